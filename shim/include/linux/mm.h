/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pages and folios (<linux/mm.h>): geometry, addresses, node, references.
 *
 * Pages are frames of the simulated machine's RAM (shim/mm/page_alloc.c);
 * page_address() is the page's place in the host mapping that holds that
 * RAM (there is no highmem). A folio is a head page, of order 0 to
 * MAX_PAGE_ORDER; a large folio's order and page count are kept in its
 * first tail page, as in the kernel.
 */
#ifndef _SHIM_LINUX_MM_H
#define _SHIM_LINUX_MM_H

#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>
#include <linux/page_ref.h>
#include <linux/slab.h>
#include <asm/page.h>

#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGN_DOWN(addr)	ALIGN_DOWN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)
#define offset_in_folio(folio, p) ((unsigned long)(p) & (folio_size(folio) - 1))

#define nth_page(page, n)	((page) + (n))

static inline int page_to_nid(const struct page *page)
{
	return (READ_ONCE(page->flags.f) >> NODES_PGSHIFT) & NODES_MASK;
}

static inline int folio_nid(const struct folio *folio)
{
	return page_to_nid(&folio->page);
}

static inline unsigned int folio_order(const struct folio *folio)
{
	if (!folio_test_large(folio))
		return 0;
	return folio->_flags_1 & 0xff;
}

static inline long folio_nr_pages(const struct folio *folio)
{
	if (!folio_test_large(folio))
		return 1;
	return folio->_folio_nr_pages;
}

static inline size_t folio_size(const struct folio *folio)
{
	return PAGE_SIZE << folio_order(folio);
}

static inline unsigned int folio_shift(const struct folio *folio)
{
	return PAGE_SHIFT + folio_order(folio);
}

static inline unsigned long folio_pfn(const struct folio *folio)
{
	return page_to_pfn(&folio->page);
}

static inline struct folio *pfn_folio(unsigned long pfn)
{
	return page_folio(pfn_to_page(pfn));
}

static inline struct folio *folio_next(struct folio *folio)
{
	return (struct folio *)folio_page(folio, folio_nr_pages(folio));
}

/* Order of the compound page @page heads (0 for a tail or single page). */
static inline unsigned int compound_order(const struct page *page)
{
	if (!PageHead(page))
		return 0;
	return folio_order((const struct folio *)page);
}

static inline unsigned long compound_nr(const struct page *page)
{
	return 1UL << compound_order(page);
}

static inline unsigned long page_size(const struct page *page)
{
	return PAGE_SIZE << compound_order(page);
}

static inline unsigned int page_shift(const struct page *page)
{
	return PAGE_SHIFT + compound_order(page);
}

static inline void *lowmem_page_address(const struct page *page)
{
	return page_to_virt(page);
}

#define page_address(page)	lowmem_page_address(page)

static inline void *folio_address(const struct folio *folio)
{
	return page_address(&folio->page);
}

static inline struct folio *virt_to_folio(const void *x)
{
	return page_folio(virt_to_page(x));
}

static inline struct page *virt_to_head_page(const void *x)
{
	return compound_head(virt_to_page(x));
}

/* Page private data (buffer heads, zsmalloc's zspage, swap entries). */
static inline unsigned long page_private(const struct page *page)
{
	return page->private;
}

static inline void set_page_private(struct page *page, unsigned long private)
{
	page->private = private;
}

static inline void *folio_get_private(const struct folio *folio)
{
	return folio->private;
}

/* References. The last folio_put() frees the folio to the page allocator. */
void __folio_put(struct folio *folio);

static inline void folio_get(struct folio *folio)
{
	VM_BUG_ON_FOLIO(folio_ref_count(folio) <= 0, folio);
	folio_ref_inc(folio);
}

static inline void get_page(struct page *page)
{
	folio_get(page_folio(page));
}

/* Below zero is a put too many: __folio_put() reports it as a bad page. */
static inline void folio_put(struct folio *folio)
{
	if (folio_ref_dec_return(folio) <= 0)
		__folio_put(folio);
}

static inline void folio_put_refs(struct folio *folio, int refs)
{
	if (folio_ref_sub_return(folio, refs) <= 0)
		__folio_put(folio);
}

static inline void put_page(struct page *page)
{
	folio_put(page_folio(page));
}

/*
 * Dirtying: sets PG_dirty and returns true if it was clean. Difference: no
 * address_space operation is called (there are no filesystems).
 */
static inline bool folio_mark_dirty(struct folio *folio)
{
	return !folio_test_set_dirty(folio);
}

static inline bool set_page_dirty(struct page *page)
{
	return folio_mark_dirty(page_folio(page));
}

static inline bool folio_clear_dirty_for_io(struct folio *folio)
{
	return folio_test_clear_dirty(folio);
}

/* Memory totals of the simulated machine, in pages. */
unsigned long totalram_pages(void);
unsigned long nr_free_pages(void);
long si_mem_available(void);
/* Free pages of one node (not a kernel function; node_page_state() is). */
unsigned long node_free_pages(int nid);

/* True for memory from vmalloc() and kvmalloc()'s vmalloc fallback. */
bool is_vmalloc_addr(const void *x);

#endif /* _SHIM_LINUX_MM_H */
