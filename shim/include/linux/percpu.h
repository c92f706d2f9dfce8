/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-CPU allocator (<linux/percpu.h>, mm/percpu.c).
 *
 * alloc_percpu() hands out one slot per possible CPU: a per-CPU pointer
 * into CPU 0's unit of the reserved per-CPU area (see <linux/percpu-defs.h>
 * for the layout and the accessors), first fit, the alignment honoured.
 *
 * Semantics kept: the memory is zeroed for every possible CPU whether or
 * not __GFP_ZERO is passed (the kernel's pcpu_alloc() always clears it, and
 * callers such as percpu_ref_init() rely on that); sizes above
 * PCPU_MIN_UNIT_SIZE, a zero size and alignments that are not a power of
 * two up to PAGE_SIZE are refused with a WARN; an allocation that may
 * block (GFP_KERNEL) is a might_sleep() point; free_percpu(NULL) is a
 * no-op and free_percpu() may be called from atomic context.
 *
 * Checks the kernel does not make: free_percpu() of a pointer that is not
 * the start of a live allocation (double free, foreign pointer) is a WARN;
 * freed slots are filled with POISON_FREE in every CPU's unit and, in
 * sanitizer builds (ZSIM_SANITIZE), ASan-poisoned, so a use after
 * free_percpu() is seen; per_cpu_ptr() with a CPU that is not possible
 * WARNs. Allocations do not survive a machine: percpu_exit() reports the
 * ones still live (SIM_REPORT_LEAK, with the allocating stack) and frees
 * them.
 *
 * Every allocation is the fault-injection site "percpu" (not with
 * __GFP_NOFAIL): an injected failure returns NULL, silently.
 */
#ifndef _SHIM_LINUX_PERCPU_H
#define _SHIM_LINUX_PERCPU_H

#include <linux/gfp_types.h>
#include <linux/percpu-defs.h>
#include <linux/types.h>

/* Largest single allocation, as the kernel's minimum unit size. */
#define PCPU_MIN_UNIT_SIZE	(32UL << 10)
/* Granule of sizes and alignments. */
#define PCPU_MIN_ALLOC_SHIFT	2
#define PCPU_MIN_ALLOC_SIZE	(1UL << PCPU_MIN_ALLOC_SHIFT)

void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp) __must_check;
void __percpu *__alloc_percpu(size_t size, size_t align) __must_check;
void free_percpu(void __percpu *__pdata);

#define alloc_percpu_gfp(type, gfp)					\
	((typeof(type) __percpu *)__alloc_percpu_gfp(sizeof(type),	\
						__alignof__(type), gfp))
#define alloc_percpu(type)						\
	((typeof(type) __percpu *)__alloc_percpu(sizeof(type),		\
						__alignof__(type)))

/* True if @addr is inside some CPU's copy of the static per-CPU variables. */
bool is_kernel_percpu_address(unsigned long addr);

/* Pages of per-CPU memory in use, over every possible CPU. */
unsigned long pcpu_nr_pages(void);

/*
 * Simulator extensions, not kernel APIs: the live dynamic allocations and
 * their bytes per CPU, for tests that assert nothing leaked.
 */
unsigned long pcpu_nr_live_allocs(void);
size_t pcpu_live_bytes(void);

#endif /* _SHIM_LINUX_PERCPU_H */
