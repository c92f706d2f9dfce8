/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page and folio flags (<linux/page-flags.h>).
 *
 * The kernel's flag bits, accessors and per-flag policies: a flag with the
 * PF_HEAD policy lives in the head page and its Page*() accessors look
 * through compound_head(); PF_ANY flags belong to each page. Page types
 * (PGTY_*: buddy, zsmalloc, ...) are kept in the top byte of page_type as
 * in the kernel since 6.12, and zsmalloc may use the low 24 bits.
 *
 * The node id lives in the top NODES_SHIFT bits of flags, so page_to_nid()
 * reads it from the page as the kernel does.
 *
 * Difference: PF_NO_TAIL and PF_NO_COMPOUND are treated as PF_HEAD and
 * PF_ANY (no VM_BUG_ON on tail pages), and a few rarely used flags are not
 * provided.
 */
#ifndef _SHIM_LINUX_PAGE_FLAGS_H
#define _SHIM_LINUX_PAGE_FLAGS_H

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/mm_types.h>
#include <linux/numa.h>
#include <limits.h>

enum pageflags {
	PG_locked,		/* page is locked: don't touch */
	PG_writeback,		/* under writeback */
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,		/* head of a compound page (folio) */
	PG_waiters,		/* tasks wait on the page lock or writeback */
	PG_active,
	PG_workingset,
	PG_owner_priv_1,	/* owner use; PG_swapcache for swap-backed folios */
	PG_owner_2,
	PG_arch_1,
	PG_reserved,
	PG_private,		/* page->private is in use */
	PG_private_2,
	PG_reclaim,		/* to be reclaimed asap */
	PG_swapbacked,		/* backed by RAM or swap */
	PG_unevictable,
	PG_dropbehind,
	PG_mlocked,
	__NR_PAGEFLAGS,

	PG_readahead = PG_reclaim,
	PG_swapcache = PG_owner_priv_1,
	PG_checked = PG_owner_priv_1,
	PG_anon_exclusive = PG_owner_2,
	PG_mappedtodisk = PG_owner_2,
	PG_fscache = PG_private_2,
	/* Non-folio movable pages (zsmalloc, balloon) since 6.18. */
	PG_movable_ops = PG_uptodate,
	PG_movable_ops_isolated = PG_reclaim,
	/* Older kernels' isolation flag of movable non-LRU pages. */
	PG_isolated = PG_reclaim,
};

#define PAGEFLAGS_MASK		((1UL << __NR_PAGEFLAGS) - 1)
/* Flags that must be clear when a page is freed (kernel: PAGE_FLAGS_CHECK_AT_FREE). */
#define PAGE_FLAGS_CHECK_AT_FREE					\
	(1UL << PG_lru | 1UL << PG_locked | 1UL << PG_private |		\
	 1UL << PG_private_2 | 1UL << PG_writeback | 1UL << PG_reserved | \
	 1UL << PG_active | 1UL << PG_unevictable | 1UL << PG_mlocked)

/* Where the node id sits in page->flags. */
#define NODES_PGSHIFT		(BITS_PER_LONG - NODES_SHIFT)
#define NODES_MASK		((1UL << NODES_SHIFT) - 1)

static __always_inline unsigned long _compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	if (unlikely(head & 1))
		return head - 1;
	return (unsigned long)page;
}

#define compound_head(page)	((typeof(page))_compound_head(page))

#define page_folio(p)		(_Generic((p),					\
	const struct page *:	(const struct folio *)_compound_head(p),	\
	struct page *:		(struct folio *)_compound_head(p)))

#define folio_page(folio, n)	(&(folio)->page + (n))

static __always_inline int PageTail(const struct page *page)
{
	return READ_ONCE(page->compound_head) & 1;
}

static __always_inline unsigned long *folio_flags(struct folio *folio, unsigned int n)
{
	return &folio_page(folio, n)->flags.f;
}

static __always_inline const unsigned long *const_folio_flags(const struct folio *folio,
							       unsigned int n)
{
	return &folio_page(folio, n)->flags.f;
}

/* Policies: which page of a compound page holds the flag. */
#define PF_ANY(page)		((struct page *)(page))
#define PF_HEAD(page)		((struct page *)_compound_head(page))
#define PF_NO_TAIL(page)	PF_HEAD(page)
#define PF_NO_COMPOUND(page)	PF_ANY(page)

#define TESTPAGEFLAG(uname, lname, policy)				\
static __always_inline bool folio_test_##lname(const struct folio *folio) \
{ return test_bit(PG_##lname, const_folio_flags(folio, 0)); }		\
static __always_inline int Page##uname(const struct page *page)	\
{ return test_bit(PG_##lname, &policy(page)->flags.f); }

#define SETPAGEFLAG(uname, lname, policy)				\
static __always_inline void folio_set_##lname(struct folio *folio)	\
{ set_bit(PG_##lname, folio_flags(folio, 0)); }				\
static __always_inline void SetPage##uname(struct page *page)		\
{ set_bit(PG_##lname, &policy(page)->flags.f); }

#define CLEARPAGEFLAG(uname, lname, policy)				\
static __always_inline void folio_clear_##lname(struct folio *folio)	\
{ clear_bit(PG_##lname, folio_flags(folio, 0)); }			\
static __always_inline void ClearPage##uname(struct page *page)	\
{ clear_bit(PG_##lname, &policy(page)->flags.f); }

#define __SETPAGEFLAG(uname, lname, policy)				\
static __always_inline void __folio_set_##lname(struct folio *folio)	\
{ __set_bit(PG_##lname, folio_flags(folio, 0)); }			\
static __always_inline void __SetPage##uname(struct page *page)	\
{ __set_bit(PG_##lname, &policy(page)->flags.f); }

#define __CLEARPAGEFLAG(uname, lname, policy)				\
static __always_inline void __folio_clear_##lname(struct folio *folio)	\
{ __clear_bit(PG_##lname, folio_flags(folio, 0)); }			\
static __always_inline void __ClearPage##uname(struct page *page)	\
{ __clear_bit(PG_##lname, &policy(page)->flags.f); }

#define TESTSETFLAG(uname, lname, policy)				\
static __always_inline bool folio_test_set_##lname(struct folio *folio) \
{ return test_and_set_bit(PG_##lname, folio_flags(folio, 0)); }	\
static __always_inline int TestSetPage##uname(struct page *page)	\
{ return test_and_set_bit(PG_##lname, &policy(page)->flags.f); }

#define TESTCLEARFLAG(uname, lname, policy)				\
static __always_inline bool folio_test_clear_##lname(struct folio *folio) \
{ return test_and_clear_bit(PG_##lname, folio_flags(folio, 0)); }	\
static __always_inline int TestClearPage##uname(struct page *page)	\
{ return test_and_clear_bit(PG_##lname, &policy(page)->flags.f); }

#define PAGEFLAG(uname, lname, policy)					\
	TESTPAGEFLAG(uname, lname, policy)				\
	SETPAGEFLAG(uname, lname, policy)				\
	CLEARPAGEFLAG(uname, lname, policy)

#define __PAGEFLAG(uname, lname, policy)				\
	TESTPAGEFLAG(uname, lname, policy)				\
	__SETPAGEFLAG(uname, lname, policy)				\
	__CLEARPAGEFLAG(uname, lname, policy)

#define TESTSCFLAG(uname, lname, policy)				\
	TESTSETFLAG(uname, lname, policy)				\
	TESTCLEARFLAG(uname, lname, policy)

/* The lock bit is taken and released only through <linux/pagemap.h>. */
TESTPAGEFLAG(Locked, locked, PF_NO_TAIL)
__SETPAGEFLAG(Locked, locked, PF_NO_TAIL)
__CLEARPAGEFLAG(Locked, locked, PF_NO_TAIL)
PAGEFLAG(Waiters, waiters, PF_HEAD)
PAGEFLAG(Writeback, writeback, PF_NO_TAIL)
	TESTSCFLAG(Writeback, writeback, PF_NO_TAIL)
PAGEFLAG(Referenced, referenced, PF_HEAD)
	TESTCLEARFLAG(Referenced, referenced, PF_HEAD)
	__SETPAGEFLAG(Referenced, referenced, PF_HEAD)
PAGEFLAG(Dirty, dirty, PF_HEAD)
	TESTSCFLAG(Dirty, dirty, PF_HEAD)
	__CLEARPAGEFLAG(Dirty, dirty, PF_HEAD)
PAGEFLAG(LRU, lru, PF_HEAD)
	__CLEARPAGEFLAG(LRU, lru, PF_HEAD)
	TESTCLEARFLAG(LRU, lru, PF_HEAD)
PAGEFLAG(Active, active, PF_HEAD)
	__CLEARPAGEFLAG(Active, active, PF_HEAD)
	TESTCLEARFLAG(Active, active, PF_HEAD)
PAGEFLAG(Workingset, workingset, PF_HEAD)
	TESTCLEARFLAG(Workingset, workingset, PF_HEAD)
PAGEFLAG(Checked, checked, PF_NO_COMPOUND)
PAGEFLAG(OwnerPriv1, owner_priv_1, PF_ANY)
	TESTCLEARFLAG(OwnerPriv1, owner_priv_1, PF_ANY)
PAGEFLAG(Reserved, reserved, PF_NO_COMPOUND)
	__CLEARPAGEFLAG(Reserved, reserved, PF_NO_COMPOUND)
	__SETPAGEFLAG(Reserved, reserved, PF_NO_COMPOUND)
PAGEFLAG(SwapBacked, swapbacked, PF_NO_TAIL)
	__CLEARPAGEFLAG(SwapBacked, swapbacked, PF_NO_TAIL)
	__SETPAGEFLAG(SwapBacked, swapbacked, PF_NO_TAIL)
PAGEFLAG(Private, private, PF_ANY)
PAGEFLAG(Private2, private_2, PF_ANY)
	TESTSCFLAG(Private2, private_2, PF_ANY)
PAGEFLAG(MappedToDisk, mappedtodisk, PF_NO_TAIL)
PAGEFLAG(Reclaim, reclaim, PF_NO_TAIL)
	TESTCLEARFLAG(Reclaim, reclaim, PF_NO_TAIL)
PAGEFLAG(Readahead, readahead, PF_NO_COMPOUND)
	TESTCLEARFLAG(Readahead, readahead, PF_NO_COMPOUND)
PAGEFLAG(Unevictable, unevictable, PF_HEAD)
	__CLEARPAGEFLAG(Unevictable, unevictable, PF_HEAD)
	TESTCLEARFLAG(Unevictable, unevictable, PF_HEAD)
PAGEFLAG(Mlocked, mlocked, PF_NO_TAIL)
	__CLEARPAGEFLAG(Mlocked, mlocked, PF_NO_TAIL)
	TESTSCFLAG(Mlocked, mlocked, PF_NO_TAIL)
PAGEFLAG(Dropbehind, dropbehind, PF_HEAD)
	TESTCLEARFLAG(Dropbehind, dropbehind, PF_HEAD)
PAGEFLAG(AnonExclusive, anon_exclusive, PF_ANY)
	__CLEARPAGEFLAG(AnonExclusive, anon_exclusive, PF_ANY)
PAGEFLAG(Isolated, isolated, PF_ANY)
PAGEFLAG(MovableOps, movable_ops, PF_ANY)
PAGEFLAG(MovableOpsIsolated, movable_ops_isolated, PF_ANY)
TESTPAGEFLAG(Head, head, PF_ANY)
__SETPAGEFLAG(Head, head, PF_ANY)
__CLEARPAGEFLAG(Head, head, PF_ANY)
CLEARPAGEFLAG(Head, head, PF_ANY)

static __always_inline int PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}

static __always_inline bool folio_test_large(const struct folio *folio)
{
	return folio_test_head(folio);
}

/*
 * Uptodate: the kernel orders the data before the flag (smp_wmb() before
 * setting) and the flag before reading the data (smp_rmb() after testing).
 */
static __always_inline bool folio_test_uptodate(const struct folio *folio)
{
	bool ret = test_bit(PG_uptodate, const_folio_flags(folio, 0));

	if (ret)
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return ret;
}

static __always_inline void __folio_mark_uptodate(struct folio *folio)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__set_bit(PG_uptodate, folio_flags(folio, 0));
}

static __always_inline void folio_mark_uptodate(struct folio *folio)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	set_bit(PG_uptodate, folio_flags(folio, 0));
}

static __always_inline void folio_clear_uptodate(struct folio *folio)
{
	clear_bit(PG_uptodate, folio_flags(folio, 0));
}

static __always_inline int PageUptodate(const struct page *page)
{
	return folio_test_uptodate(page_folio(page));
}

static __always_inline void SetPageUptodate(struct page *page)
{
	folio_mark_uptodate((struct folio *)page);
}

static __always_inline void __SetPageUptodate(struct page *page)
{
	__folio_mark_uptodate((struct folio *)page);
}

static __always_inline void ClearPageUptodate(struct page *page)
{
	clear_bit(PG_uptodate, &PF_NO_TAIL(page)->flags.f);
}

/* Swap cache: PG_swapcache only means something on swap-backed folios. */
static __always_inline bool folio_test_swapcache(const struct folio *folio)
{
	return folio_test_swapbacked(folio) &&
	       test_bit(PG_swapcache, const_folio_flags(folio, 0));
}

static __always_inline void folio_set_swapcache(struct folio *folio)
{
	set_bit(PG_swapcache, folio_flags(folio, 0));
}

static __always_inline void folio_clear_swapcache(struct folio *folio)
{
	clear_bit(PG_swapcache, folio_flags(folio, 0));
}

static __always_inline int PageSwapCache(const struct page *page)
{
	return folio_test_swapcache(page_folio(page));
}

/* folio->mapping's low bits tell anonymous folios from page cache ones. */
#define FOLIO_MAPPING_ANON	0x1
#define FOLIO_MAPPING_KSM	0x2
#define FOLIO_MAPPING_FLAGS	(FOLIO_MAPPING_ANON | FOLIO_MAPPING_KSM)
#define PAGE_MAPPING_ANON	FOLIO_MAPPING_ANON

static __always_inline bool folio_test_anon(const struct folio *folio)
{
	return ((unsigned long)folio->mapping & FOLIO_MAPPING_ANON) != 0;
}

static __always_inline bool PageAnon(const struct page *page)
{
	return folio_test_anon(page_folio(page));
}

/*
 * Page types, for pages never mapped to user space: the top byte of
 * page_type (which overlays _mapcount) names the type; UINT_MAX (mapcount
 * -1) means none. Values as the kernel's.
 */
enum pagetype {
	PGTY_buddy		= 0xf0,
	PGTY_offline		= 0xf1,
	PGTY_table		= 0xf2,
	PGTY_guard		= 0xf3,
	PGTY_hugetlb		= 0xf4,
	PGTY_slab		= 0xf5,
	PGTY_zsmalloc		= 0xf6,
	PGTY_unaccepted		= 0xf7,
	PGTY_large_kmalloc	= 0xf8,
	PGTY_mapcount_underflow	= 0xff
};

static inline bool page_type_has_type(unsigned int page_type)
{
	return page_type < ((unsigned int)PGTY_mapcount_underflow << 24);
}

static inline bool page_has_type(const struct page *page)
{
	return page_type_has_type(READ_ONCE(page->page_type));
}

#define FOLIO_TYPE_OPS(lname, fname)					\
static __always_inline bool folio_test_##fname(const struct folio *folio) \
{ return (READ_ONCE(folio->page.page_type) >> 24) == PGTY_##lname; }	\
static __always_inline void __folio_set_##fname(struct folio *folio)	\
{									\
	if (folio_test_##fname(folio))					\
		return;							\
	VM_BUG_ON_FOLIO(READ_ONCE(folio->page.page_type) != UINT_MAX, folio); \
	folio->page.page_type = (unsigned int)PGTY_##lname << 24;	\
}									\
static __always_inline void __folio_clear_##fname(struct folio *folio)	\
{									\
	if (folio->page.page_type == UINT_MAX)				\
		return;							\
	VM_BUG_ON_FOLIO(!folio_test_##fname(folio), folio);		\
	folio->page.page_type = UINT_MAX;				\
}

#define PAGE_TYPE_OPS(uname, lname, fname)				\
	FOLIO_TYPE_OPS(lname, fname)					\
static __always_inline int Page##uname(const struct page *page)	\
{ return (READ_ONCE(page->page_type) >> 24) == PGTY_##lname; }		\
static __always_inline void __SetPage##uname(struct page *page)	\
{									\
	if (Page##uname(page))						\
		return;							\
	VM_BUG_ON_PAGE(READ_ONCE(page->page_type) != UINT_MAX, page);	\
	page->page_type = (unsigned int)PGTY_##lname << 24;		\
}									\
static __always_inline void __ClearPage##uname(struct page *page)	\
{									\
	if (page->page_type == UINT_MAX)				\
		return;							\
	VM_BUG_ON_PAGE(!Page##uname(page), page);			\
	page->page_type = UINT_MAX;					\
}

PAGE_TYPE_OPS(Buddy, buddy, buddy)
PAGE_TYPE_OPS(Offline, offline, offline)
PAGE_TYPE_OPS(Guard, guard, guard)
PAGE_TYPE_OPS(Table, table, pgtable)
PAGE_TYPE_OPS(Zsmalloc, zsmalloc, zsmalloc)
PAGE_TYPE_OPS(LargeKmalloc, large_kmalloc, large_kmalloc)

#endif /* _SHIM_LINUX_PAGE_FLAGS_H */
