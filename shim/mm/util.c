// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation helpers of the kernel's mm/util.c: copies into kmalloc()ed
 * memory and kvmalloc(). Each records its own caller as the allocation
 * site, so leak reports name the code that asked.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <string.h>

#include "asan.h"
#include "slab.h"

void *__vmalloc_node_track(size_t size, gfp_t gfp, int node, unsigned long caller);

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc_node_track(len, gfp, NUMA_NO_NODE, _RET_IP_);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

void *kmemdup_nul(const char *s, size_t len, gfp_t gfp)
{
	char *p;

	if (!s)
		return NULL;
	p = kmalloc_node_track(len + 1, gfp, NUMA_NO_NODE, _RET_IP_);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	p = kmalloc_node_track(len, gfp, NUMA_NO_NODE, _RET_IP_);
	if (p)
		memcpy(p, s, len);
	return p;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	p = kmalloc_node_track(len + 1, gfp, NUMA_NO_NODE, _RET_IP_);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* Difference: there is no .rodata test, the string is always copied. */
const char *kstrdup_const(const char *s, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	p = kmalloc_node_track(len, gfp, NUMA_NO_NODE, _RET_IP_);
	if (p)
		memcpy(p, s, len);
	return p;
}

void kfree_const(const void *x)
{
	kfree(x);
}

void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	unsigned long caller = _RET_IP_;
	gfp_t kmalloc_flags = flags;
	void *p;

	/* Large requests try kmalloc quietly and without effort first. */
	if (size > PAGE_SIZE) {
		kmalloc_flags |= __GFP_NOWARN;
		if (!(kmalloc_flags & __GFP_RETRY_MAYFAIL))
			kmalloc_flags |= __GFP_NORETRY;
		kmalloc_flags &= ~__GFP_NOFAIL;
	}
	p = kmalloc_node_track(size, kmalloc_flags, node, caller);
	if (p || size <= PAGE_SIZE)
		return p;
	return __vmalloc_node_track(size, flags, node, caller);
}

void kvfree(const void *addr)
{
	if (ZERO_OR_NULL_PTR(addr))
		return;
	slab_free_ptr(addr, NULL, FREE_ANY, "kvfree", _RET_IP_);
}

void kvfree_sensitive(const void *addr, size_t len)
{
	struct slab_obj rec;

	if (ZERO_OR_NULL_PTR(addr))
		return;
	if (slab_obj_lookup(addr, &rec)) {
		zsim_asan_unpoison((void *)addr, rec.usable);
		memset((void *)addr, 0, min_t(size_t, len, rec.usable));
	}
	slab_free_ptr(addr, NULL, FREE_ANY, "kvfree_sensitive", _RET_IP_);
}

/* The current kernel's kvrealloc(p, size, flags). */
void *kvrealloc(const void *p, size_t size, gfp_t flags)
{
	struct slab_obj rec;
	void *n;

	if (ZERO_OR_NULL_PTR(p))
		return kvmalloc(size, flags);
	if (slab_obj_lookup(p, &rec) && rec.cache != vmalloc_cache && size <= rec.usable)
		return krealloc(p, size, flags);
	n = kvmalloc(size, flags);
	if (!n)
		return NULL;
	if (slab_obj_lookup(p, &rec))
		memcpy(n, p, min_t(size_t, rec.size, size));
	kvfree(p);
	return n;
}
