/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page and folio reference counts (<linux/page_ref.h>).
 *
 * Atomic operations on _refcount with the kernel's ordering; each
 * read-modify-write is a scheduling point (sim/sched.h), as the shim's
 * atomic_t operations are, so the controlled backend can interleave tasks
 * between a lookup and the reference it takes. Plain reads are not.
 */
#ifndef _SHIM_LINUX_PAGE_REF_H
#define _SHIM_LINUX_PAGE_REF_H

#include <linux/compiler.h>
#include <linux/mm_types.h>
#include <linux/page-flags.h>
#include <sim/sched.h>

static inline int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount.counter, __ATOMIC_RELAXED);
}

static inline int folio_ref_count(const struct folio *folio)
{
	return page_ref_count(&folio->page);
}

/* The count of the folio a (possibly tail) page belongs to. */
static inline int page_count(const struct page *page)
{
	return folio_ref_count(page_folio(page));
}

static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount.counter, v, __ATOMIC_RELAXED);
}

static inline void folio_set_count(struct folio *folio, int v)
{
	set_page_count(&folio->page, v);
}

static inline void init_page_count(struct page *page)
{
	set_page_count(page, 1);
}

static inline void page_ref_add(struct page *page, int nr)
{
	sched_point();
	__atomic_fetch_add(&page->_refcount.counter, nr, __ATOMIC_RELAXED);
}

static inline void page_ref_sub(struct page *page, int nr)
{
	sched_point();
	__atomic_fetch_sub(&page->_refcount.counter, nr, __ATOMIC_RELAXED);
}

static inline void page_ref_inc(struct page *page)
{
	page_ref_add(page, 1);
}

static inline void page_ref_dec(struct page *page)
{
	page_ref_sub(page, 1);
}

static inline int page_ref_sub_return(struct page *page, int nr)
{
	sched_point();
	return __atomic_sub_fetch(&page->_refcount.counter, nr, __ATOMIC_SEQ_CST);
}

static inline int page_ref_sub_and_test(struct page *page, int nr)
{
	return page_ref_sub_return(page, nr) == 0;
}

static inline int page_ref_inc_return(struct page *page)
{
	sched_point();
	return __atomic_add_fetch(&page->_refcount.counter, 1, __ATOMIC_SEQ_CST);
}

static inline int page_ref_dec_return(struct page *page)
{
	return page_ref_sub_return(page, 1);
}

static inline int page_ref_dec_and_test(struct page *page)
{
	return page_ref_sub_return(page, 1) == 0;
}

/* Add @nr unless the count is @u; true if it was added. */
static inline bool page_ref_add_unless(struct page *page, int nr, int u)
{
	int old;

	sched_point();
	old = __atomic_load_n(&page->_refcount.counter, __ATOMIC_RELAXED);
	do {
		if (old == u)
			return false;
	} while (!__atomic_compare_exchange_n(&page->_refcount.counter, &old, old + nr,
					      false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return true;
}

/* Freeze: swap an expected count for 0, so speculative getters fail. */
static inline int page_ref_freeze(struct page *page, int count)
{
	int old = count;

	sched_point();
	return __atomic_compare_exchange_n(&page->_refcount.counter, &old, 0, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

static inline void page_ref_unfreeze(struct page *page, int count)
{
	sched_point();
	VM_BUG_ON_PAGE(page_ref_count(page) != 0, page);
	VM_BUG_ON(count == 0);
	__atomic_store_n(&page->_refcount.counter, count, __ATOMIC_RELEASE);
}

static inline void folio_ref_add(struct folio *folio, int nr)
{
	page_ref_add(&folio->page, nr);
}

static inline void folio_ref_sub(struct folio *folio, int nr)
{
	page_ref_sub(&folio->page, nr);
}

static inline void folio_ref_inc(struct folio *folio)
{
	page_ref_inc(&folio->page);
}

static inline void folio_ref_dec(struct folio *folio)
{
	page_ref_dec(&folio->page);
}

static inline int folio_ref_sub_return(struct folio *folio, int nr)
{
	return page_ref_sub_return(&folio->page, nr);
}

static inline bool folio_ref_sub_and_test(struct folio *folio, int nr)
{
	return page_ref_sub_and_test(&folio->page, nr);
}

static inline bool folio_ref_dec_and_test(struct folio *folio)
{
	return page_ref_dec_and_test(&folio->page);
}

static inline int folio_ref_inc_return(struct folio *folio)
{
	return page_ref_inc_return(&folio->page);
}

static inline int folio_ref_dec_return(struct folio *folio)
{
	return page_ref_dec_return(&folio->page);
}

static inline bool folio_ref_add_unless(struct folio *folio, int nr, int u)
{
	return page_ref_add_unless(&folio->page, nr, u);
}

/* Speculative references: fail on a folio being freed (count 0 or frozen). */
static inline bool folio_try_get(struct folio *folio)
{
	return folio_ref_add_unless(folio, 1, 0);
}

static inline bool folio_ref_try_add(struct folio *folio, int count)
{
	return folio_ref_add_unless(folio, count, 0);
}

static inline bool get_page_unless_zero(struct page *page)
{
	return page_ref_add_unless(page, 1, 0);
}

static inline int folio_ref_freeze(struct folio *folio, int count)
{
	return page_ref_freeze(&folio->page, count);
}

static inline void folio_ref_unfreeze(struct folio *folio, int count)
{
	page_ref_unfreeze(&folio->page, count);
}

#endif /* _SHIM_LINUX_PAGE_REF_H */
