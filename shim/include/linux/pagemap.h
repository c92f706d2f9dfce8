/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The folio lock (<linux/pagemap.h>, mm/filemap.c) and folio private data.
 *
 * PG_locked is a sleeping bit lock as in the kernel: folio_lock() may
 * sleep (might_sleep()) on a wait queue hashed from the folio, with
 * PG_waiters telling folio_unlock() to wake the queue. Every lock, trylock
 * and unlock is a scheduling point.
 * Difference: the hashed queue is woken whole (each woken waiter re-checks
 * its folio) instead of through a key-matching wake function; there is no
 * lock handoff for starving waiters.
 */
#ifndef _SHIM_LINUX_PAGEMAP_H
#define _SHIM_LINUX_PAGEMAP_H

#include <linux/mm.h>
#include <linux/sched.h>
#include <sim/sched.h>

void __folio_lock(struct folio *folio);
void folio_unlock(struct folio *folio);
/* Sleep until @folio is unlocked (without taking the lock). */
void folio_wait_locked(struct folio *folio);

static inline bool folio_trylock(struct folio *folio)
{
	sched_point();
	return likely(!test_and_set_bit_lock(PG_locked, folio_flags(folio, 0)));
}

static inline void folio_lock(struct folio *folio)
{
	might_sleep();
	if (!folio_trylock(folio))
		__folio_lock(folio);
}

/* No signals reach simulated tasks: always takes the lock and returns 0. */
static inline int folio_lock_killable(struct folio *folio)
{
	folio_lock(folio);
	return 0;
}

static inline bool trylock_page(struct page *page)
{
	return folio_trylock(page_folio(page));
}

static inline void lock_page(struct page *page)
{
	folio_lock(page_folio(page));
}

static inline void unlock_page(struct page *page)
{
	folio_unlock(page_folio(page));
}

static inline void wait_on_page_locked(struct page *page)
{
	folio_wait_locked(page_folio(page));
}

/* Attach owner-private data, with the reference the kernel takes for it. */
static inline void folio_attach_private(struct folio *folio, void *data)
{
	folio_get(folio);
	folio->private = data;
	folio_set_private(folio);
}

static inline void *folio_detach_private(struct folio *folio)
{
	void *data = folio_get_private(folio);

	if (!folio_test_private(folio))
		return NULL;
	folio_clear_private(folio);
	folio->private = NULL;
	folio_put(folio);
	return data;
}

static inline void *folio_change_private(struct folio *folio, void *data)
{
	void *old = folio_get_private(folio);

	folio->private = data;
	return old;
}

/*
 * Writeback state (folio_start_writeback() of <linux/page-flags.h>,
 * folio_end_writeback() of mm/filemap.c): PG_writeback is set with the
 * folio locked and cleared when the write completes; a PG_reclaim folio
 * then goes to the tail of its inactive list (folio_rotate_reclaimable(),
 * <linux/swap.h>), where reclaim frees it next. Difference: the shim's
 * writes (swap, mm/page_io.c) complete before their submitter returns,
 * so there is no folio_wait_writeback() and no waiter to wake.
 */
static inline void folio_start_writeback(struct folio *folio)
{
	bool busy;

	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	busy = folio_test_set_writeback(folio);
	VM_BUG_ON_FOLIO(busy, folio);
}

/* The write of a PG_writeback folio is done (mm/filemap.c). */
void folio_end_writeback(struct folio *folio);

#endif /* _SHIM_LINUX_PAGEMAP_H */
