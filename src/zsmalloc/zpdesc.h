/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zpdesc.h: the page descriptor of zsmalloc (the kernel's mm/zpdesc.h).
 *
 * zsmalloc never looks at a page through struct page's own names: it
 * overlays struct zpdesc, which renames the few words it uses, and goes
 * through the helpers below for everything the page core does (locking,
 * references, mapping, page type and movability).
 */
#ifndef __MM_ZPDESC_H__
#define __MM_ZPDESC_H__

#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/pagemap.h>

/*
 * What each word means to zsmalloc:
 *	flags		page flags; PG_private marks the first page of a zspage
 *	lru		unused by zsmalloc, kept for the layout
 *	movable_ops	page->mapping, owned by the movable-page core
 *	next / handle	the chain's next page; the one page of a huge zspage
 *			keeps its object's tagged handle in the same word
 *	zspage		the owning zspage (page->private); published with
 *			rcu_assign_pointer() once the zspage is complete
 *	first_obj_offset	page_type: PGTY_zsmalloc in the top byte, the
 *			offset of the first object starting here below it
 *	_refcount	the page's reference count, for the folio helpers
 */
struct zpdesc {
	unsigned long flags;
	struct list_head lru;
	unsigned long movable_ops;
	union {
		struct zpdesc *next;
		unsigned long handle;
	};
	struct zspage __rcu *zspage;
	unsigned int first_obj_offset;
	atomic_t _refcount;
};

/*
 * The overlay is only sound if every renamed word sits where struct page
 * (the shim's, shim/include/linux/mm_types.h) keeps the original.
 */
#define zpdesc_overlays(field, page_field)				\
	static_assert(offsetof(struct zpdesc, field) ==			\
		      offsetof(struct page, page_field),		\
		      "zpdesc." #field " is not at page." #page_field)

zpdesc_overlays(flags, flags);
zpdesc_overlays(lru, lru);
zpdesc_overlays(movable_ops, mapping);
zpdesc_overlays(next, __folio_index);
zpdesc_overlays(handle, __folio_index);
zpdesc_overlays(zspage, private);
zpdesc_overlays(first_obj_offset, page_type);
zpdesc_overlays(_refcount, _refcount);
#undef zpdesc_overlays
static_assert(sizeof(struct zpdesc) <= sizeof(struct page),
	      "struct zpdesc must fit in struct page");

/*
 * Conversions. The kernel's are _Generic macros that keep a const
 * pointer const; nothing here takes a const zpdesc, so plain casts do.
 */
static inline struct page *zpdesc_page(struct zpdesc *zpdesc)
{
	return (struct page *)zpdesc;
}

static inline struct folio *zpdesc_folio(struct zpdesc *zpdesc)
{
	return (struct folio *)zpdesc;
}

static inline struct zpdesc *page_zpdesc(struct page *page)
{
	return (struct zpdesc *)page;
}

static inline unsigned long zpdesc_pfn(struct zpdesc *zpdesc)
{
	return page_to_pfn(zpdesc_page(zpdesc));
}

static inline struct zpdesc *pfn_zpdesc(unsigned long pfn)
{
	return page_zpdesc(pfn_to_page(pfn));
}

static inline int zpdesc_nid(struct zpdesc *zpdesc)
{
	return page_to_nid(zpdesc_page(zpdesc));
}

/* Page type and movability, set once on each page of a new zspage. */
static inline void __zpdesc_set_zsmalloc(struct zpdesc *zpdesc)
{
	__SetPageZsmalloc(zpdesc_page(zpdesc));
}

static inline void __zpdesc_set_movable(struct zpdesc *zpdesc)
{
	SetPageMovableOps(zpdesc_page(zpdesc));
}

/* The page lock, as the folio's: migration holds it on the page it moves. */
static inline bool zpdesc_trylock(struct zpdesc *zpdesc)
{
	return folio_trylock(zpdesc_folio(zpdesc));
}

static inline void zpdesc_unlock(struct zpdesc *zpdesc)
{
	folio_unlock(zpdesc_folio(zpdesc));
}

static inline bool zpdesc_is_locked(struct zpdesc *zpdesc)
{
	return folio_test_locked(zpdesc_folio(zpdesc));
}

static inline void zpdesc_wait_locked(struct zpdesc *zpdesc)
{
	folio_wait_locked(zpdesc_folio(zpdesc));
}

/* References: the zspage holds one on each of its pages. */
static inline void zpdesc_get(struct zpdesc *zpdesc)
{
	folio_get(zpdesc_folio(zpdesc));
}

static inline void zpdesc_put(struct zpdesc *zpdesc)
{
	folio_put(zpdesc_folio(zpdesc));
}

static inline void *kmap_local_zpdesc(struct zpdesc *zpdesc)
{
	return kmap_local_page(zpdesc_page(zpdesc));
}

#endif /* __MM_ZPDESC_H__ */
