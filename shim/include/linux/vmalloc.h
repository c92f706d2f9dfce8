/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Virtually contiguous allocations (<linux/vmalloc.h>).
 *
 * Page-aligned, page-rounded host memory (jemalloc, or libc malloc under
 * ASan), accounted in the "vmalloc" pseudo cache (kmem_live_objects())
 * and checked like slab objects (vfree() of anything else is reported).
 * Fault-injection site "vmalloc".
 * Difference: the memory is not made of simulated pages, so
 * vmalloc_to_page() is not provided.
 */
#ifndef _SHIM_LINUX_VMALLOC_H
#define _SHIM_LINUX_VMALLOC_H

#include <linux/gfp.h>
#include <linux/numa.h>
#include <linux/types.h>

void *vmalloc(unsigned long size) __must_check;
void *vzalloc(unsigned long size) __must_check;
void *vmalloc_node(unsigned long size, int node) __must_check;
void *vzalloc_node(unsigned long size, int node) __must_check;
void *__vmalloc(unsigned long size, gfp_t gfp_mask) __must_check;
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask,
		     int node, const void *caller) __must_check;
void *vmalloc_array(size_t n, size_t size) __must_check;
void *vcalloc(size_t n, size_t size) __must_check;
void vfree(const void *addr);

bool is_vmalloc_addr(const void *x);

#endif /* _SHIM_LINUX_VMALLOC_H */
