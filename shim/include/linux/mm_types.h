/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * struct page and struct folio (<linux/mm_types.h>, <linux/mm_types_task.h>).
 *
 * The layout follows the current kernel on 64-bit: struct page is 64 bytes,
 * flags are a memdesc_flags_t (page flags in the low bits, the node in the
 * top NODES_SHIFT bits), the first tail page of a compound page keeps the
 * folio's order and page count, and struct folio overlays the head page and
 * its first tail page (checked by static assertions below), so memdescs
 * such as zsmalloc's struct zpdesc can overlay struct page as they do in the
 * kernel. Only the unions the simulated mm uses are present: no page_pool,
 * ZONE_DEVICE, pt (page table) or slab views.
 */
#ifndef _SHIM_LINUX_MM_TYPES_H
#define _SHIM_LINUX_MM_TYPES_H

#include <linux/build_bug.h>
#include <linux/types.h>
#include <stddef.h>

struct address_space;
struct mem_cgroup;

/* A swap entry: swap type and offset, encoded as in <linux/swapops.h>. */
typedef struct {
	unsigned long val;
} swp_entry_t;

/* The flags word of a page or folio (the kernel wraps it since 6.18). */
typedef struct {
	unsigned long f;
} memdesc_flags_t;

struct page {
	memdesc_flags_t flags;		/* PG_* bits, node id at the top */
	union {
		struct {	/* Page cache, anonymous, swap cache, buddy, zsmalloc */
			union {
				struct list_head lru;
				struct list_head buddy_list;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
			};
			struct address_space *mapping;
			union {
				pgoff_t __folio_index;
				pgoff_t index;		/* older kernels' name */
				unsigned long share;
			};
			/* Owner-private data; the buddy order of a free block. */
			unsigned long private;
		};
		struct {	/* Tail pages of compound pages */
			unsigned long compound_head;	/* head page + 1 */
		};
		struct rcu_head rcu_head;
	};
	union {
		/* PGTY_* << 24 for typed pages, UINT_MAX (mapcount -1) if none. */
		unsigned int page_type;
		atomic_t _mapcount;
	};
	atomic_t _refcount;		/* use the page_ref.h accessors */
	unsigned long memcg_data;
};

struct folio {
	union {
		struct {
			memdesc_flags_t flags;
			union {
				struct list_head lru;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
			};
			struct address_space *mapping;
			pgoff_t index;
			union {
				void *private;
				swp_entry_t swap;	/* in the swap cache */
			};
			atomic_t _mapcount;
			atomic_t _refcount;
			unsigned long memcg_data;
		};
		struct page page;
	};
	/* First tail page, only valid when folio_test_large(). */
	union {
		struct {
			unsigned long _flags_1;		/* low byte: the order */
			unsigned long _head_1;		/* compound_head of page 1 */
			atomic_t _large_mapcount;
			atomic_t _nr_pages_mapped;
			atomic_t _entire_mapcount;
			atomic_t _pincount;
			unsigned int _folio_nr_pages;
		};
		struct page __page_1;
	};
};

#define FOLIO_MATCH(pg, fl) \
	static_assert(offsetof(struct page, pg) == offsetof(struct folio, fl), \
		      "struct folio and struct page disagree on " #fl)
FOLIO_MATCH(flags, flags);
FOLIO_MATCH(lru, lru);
FOLIO_MATCH(mapping, mapping);
FOLIO_MATCH(__folio_index, index);
FOLIO_MATCH(private, private);
FOLIO_MATCH(_mapcount, _mapcount);
FOLIO_MATCH(_refcount, _refcount);
FOLIO_MATCH(memcg_data, memcg_data);
#undef FOLIO_MATCH
static_assert(offsetof(struct folio, _flags_1) == sizeof(struct page),
	      "folio's second word block must be page 1");
static_assert(offsetof(struct folio, _head_1) ==
	      sizeof(struct page) + offsetof(struct page, compound_head),
	      "folio->_head_1 must be page 1's compound_head");
static_assert(sizeof(struct page) == 64, "struct page is 64 bytes on 64-bit");

#endif /* _SHIM_LINUX_MM_TYPES_H */
