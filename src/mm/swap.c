// SPDX-License-Identifier: GPL-2.0-only
/*
 * The LRU lists of anonymous folios (the kernel's mm/swap.c and
 * <linux/mm_inline.h>): one inactive and one active list per lruvec, i.e.
 * per (memcg, node), under lruvec->lru_lock.
 *
 * As in the kernel, being on a list holds no reference: a folio whose last
 * reference goes is taken off its list by __page_cache_release() (from
 * __folio_put(), whoever puts last) before it is freed, and isolation
 * (folio_try_get() under the lock) never takes a folio whose count
 * already reached zero.
 *
 * Differences: there are no per-CPU folio batches (lru_add_drain() has
 * nothing to drain), and new and rotated folios go straight to their list.
 */
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/vmstat.h>

#include "internal.h"

void lruvec_add_folio(struct lruvec *lruvec, struct folio *folio)
{
	enum lru_list lru = folio_lru_list(folio);

	lockdep_assert_held(&lruvec->lru_lock);
	list_add(&folio->lru, &lruvec->lists[lru]);
	lruvec->nr_pages[lru] += folio_nr_pages(folio);
}

void lruvec_del_folio(struct lruvec *lruvec, struct folio *folio)
{
	enum lru_list lru = folio_lru_list(folio);

	lockdep_assert_held(&lruvec->lru_lock);
	list_del(&folio->lru);
	lruvec->nr_pages[lru] -= folio_nr_pages(folio);
}

void folio_add_lru(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);

	VM_BUG_ON_FOLIO(folio_test_lru(folio), folio);
	spin_lock(&lruvec->lru_lock);
	folio_set_lru(folio);
	lruvec_add_folio(lruvec, folio);
	spin_unlock(&lruvec->lru_lock);
}

/* The tail of the list is where reclaim isolates from. */
static void lruvec_add_folio_tail(struct lruvec *lruvec, struct folio *folio)
{
	enum lru_list lru = folio_lru_list(folio);

	lockdep_assert_held(&lruvec->lru_lock);
	list_add_tail(&folio->lru, &lruvec->lists[lru]);
	lruvec->nr_pages[lru] += folio_nr_pages(folio);
}

/* lru_move_tail(), done at once: the kernel batches it per CPU. */
void folio_rotate_reclaimable(struct folio *folio)
{
	struct lruvec *lruvec;

	if (folio_test_locked(folio) || folio_test_dirty(folio) || !folio_test_lru(folio))
		return;
	lruvec = folio_lruvec(folio);
	spin_lock(&lruvec->lru_lock);
	/* Isolation clears PG_lru under the lock: if set, the folio is listed. */
	if (folio_test_lru(folio)) {
		lruvec_del_folio(lruvec, folio);
		folio_clear_active(folio);
		lruvec_add_folio_tail(lruvec, folio);
	}
	spin_unlock(&lruvec->lru_lock);
}

bool folio_isolate_lru(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);
	bool ret = false;

	VM_BUG_ON_FOLIO(!folio_ref_count(folio), folio);
	spin_lock(&lruvec->lru_lock);
	if (folio_test_clear_lru(folio)) {
		folio_get(folio);
		lruvec_del_folio(lruvec, folio);
		ret = true;
	}
	spin_unlock(&lruvec->lru_lock);
	return ret;
}

void folio_deactivate(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);
	long nr = folio_nr_pages(folio);
	bool done = false;

	spin_lock(&lruvec->lru_lock);
	if (folio_test_lru(folio) && folio_test_active(folio)) {
		lruvec_del_folio(lruvec, folio);
		folio_clear_active(folio);
		folio_clear_referenced(folio);
		lruvec_add_folio(lruvec, folio);
		done = true;
	}
	spin_unlock(&lruvec->lru_lock);
	if (done) {
		count_vm_events(PGDEACTIVATE, nr);
		count_memcg_events(lruvec_memcg(lruvec), PGDEACTIVATE, nr);
	}
}

void folio_putback_lru(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);

	spin_lock(&lruvec->lru_lock);
	folio_set_lru(folio);
	lruvec_add_folio(lruvec, folio);
	spin_unlock(&lruvec->lru_lock);
	folio_put_lru(folio, 1);
}

/*
 * Called by __folio_put() for every folio: the last reference may be
 * anyone's, e.g. compaction's speculative one on a page that turned out
 * to be an anonymous folio (isolate_movable_ops_page()).
 */
void __page_cache_release(struct folio *folio)
{
	struct lruvec *lruvec;

	/* No reference left, so no isolation can race: PG_lru is stable. */
	if (folio_test_lru(folio)) {
		lruvec = folio_lruvec(folio);
		spin_lock(&lruvec->lru_lock);
		__folio_clear_lru(folio);
		lruvec_del_folio(lruvec, folio);
		spin_unlock(&lruvec->lru_lock);
	}
	/* An isolated folio may still say which list it came from. */
	__folio_clear_active(folio);
}

void folio_put_lru(struct folio *folio, int refs)
{
	folio_put_refs(folio, refs);
}
