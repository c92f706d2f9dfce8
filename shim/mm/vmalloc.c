// SPDX-License-Identifier: GPL-2.0-only
/* vmalloc() on host memory, accounted like slab objects (see <linux/vmalloc.h>). */
#include <linux/fault-inject.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "slab.h"

static DEFINE_FAULT_SITE(vmalloc_fault, "vmalloc");

void *__vmalloc_node_track(size_t size, gfp_t gfp, int node, unsigned long caller);

void *__vmalloc_node_track(size_t size, gfp_t gfp, int node, unsigned long caller)
{
	size_t alloc;
	void *p;

	might_alloc(gfp);
	if (unlikely(!size || size > (1UL << 40))) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN) && size);
		return NULL;
	}
	/*
	 * As the kernel's __vmalloc_node_range(): no area larger than the
	 * machine's RAM. Host memory backs it here, so without this a size
	 * from a caller (zsim_mmap()'s page tables, a swap map) could take
	 * more of the host than it has.
	 */
	if (unlikely((size >> PAGE_SHIFT) > totalram_pages())) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("%s: vmalloc error: size %zu, exceeds total pages, mode:%#x\n",
				current ? current->comm : "(not a task)", size, gfp);
		return NULL;
	}
	if (!(gfp & __GFP_NOFAIL) && should_fail_site(&vmalloc_fault)) {
		slab_warn_alloc("vmalloc", size, gfp, true);
		return NULL;
	}
	alloc = PAGE_ALIGN(size);
	p = slab_alloc_node(vmalloc_cache, gfp, node, size, alloc, PAGE_SIZE, caller);
	if (!p)
		slab_warn_alloc("vmalloc", size, gfp, false);
	return p;
}

void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask,
		     int node, const void *caller)
{
	return __vmalloc_node_track(size, gfp_mask, node, (unsigned long)caller);
}

void *__vmalloc(unsigned long size, gfp_t gfp_mask)
{
	return __vmalloc_node_track(size, gfp_mask, NUMA_NO_NODE, _RET_IP_);
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_node_track(size, GFP_KERNEL, NUMA_NO_NODE, _RET_IP_);
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_node_track(size, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
}

void *vmalloc_node(unsigned long size, int node)
{
	return __vmalloc_node_track(size, GFP_KERNEL, node, _RET_IP_);
}

void *vzalloc_node(unsigned long size, int node)
{
	return __vmalloc_node_track(size, GFP_KERNEL | __GFP_ZERO, node, _RET_IP_);
}

void *vmalloc_array(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return __vmalloc_node_track(bytes, GFP_KERNEL, NUMA_NO_NODE, _RET_IP_);
}

void *vcalloc(size_t n, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return __vmalloc_node_track(bytes, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
}

void vfree(const void *addr)
{
	if (!addr)
		return;
	might_sleep_if(!in_interrupt());
	slab_free_ptr(addr, NULL, FREE_VMALLOC, "vfree", _RET_IP_);
}

bool is_vmalloc_addr(const void *x)
{
	/* Difference: only the start of an area is recognised. */
	return x && slab_obj_is_vmalloc(x);
}
