// SPDX-License-Identifier: GPL-2.0-only
/*
 * The folio lock (the kernel's mm/filemap.c): PG_locked as a sleeping bit
 * lock with waiters on hashed wait queues; and the end of a folio's
 * writeback. See <linux/pagemap.h>.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/wait.h>
#include <sim/sched.h>

#include "internal.h"

#define FOLIO_WAIT_TABLE_BITS	8
#define FOLIO_WAIT_TABLE_SIZE	(1U << FOLIO_WAIT_TABLE_BITS)

static struct wait_queue_head folio_wait_table[FOLIO_WAIT_TABLE_SIZE];

void folio_wait_table_init(void)
{
	unsigned int i;

	for (i = 0; i < FOLIO_WAIT_TABLE_SIZE; i++)
		init_waitqueue_head(&folio_wait_table[i]);
}

/*
 * Hashed by PFN, not by the host address of the struct folio, so that a
 * seeded run puts the same folios on the same queue in every process.
 */
static struct wait_queue_head *folio_waitqueue(struct folio *folio)
{
	u64 h = (u64)folio_pfn(folio) * 0x9e3779b97f4a7c15ULL;

	return &folio_wait_table[h >> (64 - FOLIO_WAIT_TABLE_BITS)];
}

/*
 * Sleep until @folio is unlocked and, if @lock, take the lock. PG_waiters
 * is set after queueing and before the last test; the unlocker clears
 * PG_locked and then tests and clears PG_waiters. Both are atomic RMWs of
 * the same flags word, so either the waiter's test sees the lock free or
 * the unlocker sees PG_waiters and wakes the queue.
 */
static void folio_wait_bit_locked(struct folio *folio, bool lock)
{
	struct wait_queue_head *q = folio_waitqueue(folio);
	unsigned long *flags = folio_flags(folio, 0);
	struct wait_queue_entry wait;

	init_wait_entry(&wait, 0);
	for (;;) {
		prepare_to_wait(q, &wait, TASK_UNINTERRUPTIBLE);
		sched_set_blocked_on(lock ? "folio_lock()" : "folio_wait_locked()");
		set_bit(PG_waiters, flags);
		if (lock ? !test_and_set_bit_lock(PG_locked, flags) : !test_bit(PG_locked, flags))
			break;
		schedule();
	}
	finish_wait(q, &wait);
}

void __folio_lock(struct folio *folio)
{
	folio_wait_bit_locked(folio, true);
}

void folio_wait_locked(struct folio *folio)
{
	might_sleep();
	sched_point();
	if (folio_test_locked(folio))
		folio_wait_bit_locked(folio, false);
}

void folio_unlock(struct folio *folio)
{
	unsigned long *flags = folio_flags(folio, 0);

	sched_point();
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	clear_bit_unlock(PG_locked, flags);
	if (test_and_clear_bit(PG_waiters, flags))
		wake_up_all(folio_waitqueue(folio));
}

void folio_end_writeback(struct folio *folio)
{
	bool was;

	/* Written for reclaim: to the inactive tail, where reclaim looks next. */
	if (folio_test_reclaim(folio)) {
		folio_clear_reclaim(folio);
		folio_rotate_reclaimable(folio);
	}
	was = folio_test_clear_writeback(folio);
	VM_BUG_ON_FOLIO(!was, folio);
}
