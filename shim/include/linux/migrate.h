/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Migration of movable_ops pages (<linux/migrate.h>, mm/migrate.c): pages
 * that are not folios on an LRU but whose owner (zsmalloc, balloon) can
 * move their contents, as in the kernel since 6.18. The owner registers
 * its operations for its page type with set_movable_ops() and marks each
 * of its pages with PG_movable_ops (__SetPageMovableOps()).
 *
 * The simulator has no migrate_pages() list API: migrate_movable_page()
 * performs the kernel's sequence for one page (isolate, allocate a
 * destination on the same node, lock both, call ->migrate_page(), put back
 * on failure), and sim_migrate_random_movable() (<sim/migrate.h>) is a
 * kcompactd-like driver that isolates a batch of pages with
 * isolate_movable_ops_page() and then migrates them the same way.
 */
#ifndef _SHIM_LINUX_MIGRATE_H
#define _SHIM_LINUX_MIGRATE_H

#include <linux/mm.h>
#include <linux/page-flags.h>

enum migrate_mode {
	MIGRATE_ASYNC,
	MIGRATE_SYNC_LIGHT,
	MIGRATE_SYNC,
};

typedef unsigned int isolate_mode_t;

struct movable_operations {
	/* Called with the page locked and a reference held. */
	bool (*isolate_page)(struct page *page, isolate_mode_t mode);
	/* Both pages locked; 0 on success, -EAGAIN/-EBUSY to put back. */
	int (*migrate_page)(struct page *dst, struct page *src, enum migrate_mode mode);
	/* Called with the page locked after a failed migration. */
	void (*putback_page)(struct page *page);
};

/* Register @ops for pages of @type (PGTY_zsmalloc, PGTY_offline). */
int set_movable_ops(const struct movable_operations *ops, enum pagetype type);

/*
 * A page with movable operations: PG_movable_ops set and a page type with
 * registered operations. Difference: the kernel tests the flag alone
 * (PG_movable_ops aliases PG_uptodate, only meaningful on non-folio
 * pages); the shim also requires the type, so that an uptodate folio
 * found by a PFN scan is never taken for one.
 */
const struct movable_operations *page_movable_ops(const struct page *page);

static inline bool page_has_movable_ops(const struct page *page)
{
	return PageMovableOps(page) && page_movable_ops(page);
}

/* Take a reference, lock, ->isolate_page(), mark isolated; true on success. */
bool isolate_movable_ops_page(struct page *page, isolate_mode_t mode);

/*
 * Migrate one movable_ops page to a new page frame on its node. Returns 0
 * (migrated, or freed by its owner meanwhile), -EBUSY (not isolated:
 * not movable, locked, or already isolated), -ENOMEM (no destination),
 * or the owner's error after putting the page back.
 */
int migrate_movable_page(struct page *page, enum migrate_mode mode);

#endif /* _SHIM_LINUX_MIGRATE_H */
