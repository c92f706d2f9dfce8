/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The page allocator's interface (<linux/gfp.h>), over the simulated
 * machine's RAM (shim/mm/page_alloc.c): a buddy allocator per NUMA node,
 * orders 0..MAX_PAGE_ORDER.
 *
 * Semantics kept: NUMA_NO_NODE means the node of the current CPU; other
 * nodes are tried after the preferred one unless __GFP_THISNODE;
 * __GFP_ZERO zeroes; __GFP_COMP makes a compound page (a folio);
 * allocations that may block (__GFP_DIRECT_RECLAIM) call might_sleep() and
 * so are scheduling points. A failed allocation without __GFP_NOWARN prints
 * a one-line "page allocation failure" warning.
 * An allocation the free lists cannot satisfy reclaims directly if it may
 * block (try_to_free_pages(), then the free lists again).
 * Differences: no watermarks, no kswapd, no per-CPU page lists
 * and no mempolicy; __GFP_NOFAIL only exempts the allocation from fault
 * injection (an exhausted machine still returns NULL, with a warning).
 * Every allocation is the fault-injection site "alloc_pages".
 */
#ifndef _SHIM_LINUX_GFP_H
#define _SHIM_LINUX_GFP_H

#include <linux/gfp_types.h>
#include <linux/kernel.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/topology.h>

struct page;
struct folio;

/* True if the allocation may sleep to reclaim memory. */
static inline bool gfpflags_allow_blocking(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

/* True if the allocation may enter both the I/O and the filesystem layers. */
static inline bool gfp_has_io_fs(gfp_t gfp)
{
	return (gfp & (__GFP_IO | __GFP_FS)) == (__GFP_IO | __GFP_FS);
}

/*
 * Lockdep's view of reclaim (<linux/sched/mm.h>, shim/mm/page_alloc.c):
 * direct reclaim holds the "fs_reclaim" map; an allocation that could
 * enter reclaim (__GFP_DIRECT_RECLAIM and __GFP_FS, not under PF_MEMALLOC
 * or __GFP_NOLOCKDEP) acquires and releases it.
 */
void fs_reclaim_acquire(gfp_t gfp_mask);
void fs_reclaim_release(gfp_t gfp_mask);

/*
 * The kernel's might_alloc() (<linux/sched/mm.h>): an allocation that may
 * block is a possible sleep and a possible entry into reclaim. Defined
 * here because every allocator of the shim includes this header.
 */
static inline void might_alloc(gfp_t gfp_mask)
{
	fs_reclaim_acquire(gfp_mask);
	fs_reclaim_release(gfp_mask);
	might_sleep_if(gfpflags_allow_blocking(gfp_mask));
}

struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   nodemask_t *nodemask);
struct folio *__folio_alloc(gfp_t gfp, unsigned int order, int preferred_nid,
			    nodemask_t *nodemask);

static inline struct page *__alloc_pages_node(int nid, gfp_t gfp_mask, unsigned int order)
{
	return __alloc_pages(gfp_mask, order, nid, NULL);
}

static inline struct folio *__folio_alloc_node(gfp_t gfp, unsigned int order, int nid)
{
	return __folio_alloc(gfp, order, nid, NULL);
}

/* Allocate 2^@order pages on @nid (NUMA_NO_NODE: the current CPU's node). */
static inline struct page *alloc_pages_node(int nid, gfp_t gfp_mask, unsigned int order)
{
	if (nid == NUMA_NO_NODE)
		nid = numa_mem_id();
	return __alloc_pages_node(nid, gfp_mask, order);
}

/* Default policy: local node first. */
static inline struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	return alloc_pages_node(NUMA_NO_NODE, gfp_mask, order);
}

#define alloc_page(gfp_mask)	alloc_pages(gfp_mask, 0)

/* A folio of 2^@order pages (always compound when @order > 0). */
static inline struct folio *folio_alloc_node(gfp_t gfp, unsigned int order, int nid)
{
	if (nid == NUMA_NO_NODE)
		nid = numa_mem_id();
	return __folio_alloc_node(gfp, order, nid);
}

static inline struct folio *folio_alloc(gfp_t gfp, unsigned int order)
{
	return folio_alloc_node(gfp, order, NUMA_NO_NODE);
}

/* Direct-map address of fresh pages, 0 on failure. */
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp_mask);
#define __get_free_page(gfp_mask)	__get_free_pages((gfp_mask), 0)

/* Drop the allocation's reference; the block is freed when it was the last. */
void __free_pages(struct page *page, unsigned int order);
void free_pages(unsigned long addr, unsigned int order);
#define __free_page(page)	__free_pages((page), 0)
#define free_page(addr)		free_pages((addr), 0)

#endif /* _SHIM_LINUX_GFP_H */
