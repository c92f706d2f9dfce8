// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page reclaim (the kernel's mm/vmscan.c, classic LRU, anonymous memory
 * only): memcg reclaim for memory.max, memory.high and memory.reclaim,
 * and reclaim_pages() for MADV_PAGEOUT.
 *
 * try_to_free_mem_cgroup_pages() walks the target's subtree with
 * mem_cgroup_iter() at falling priorities; each lruvec scans
 * size >> priority folios of each list in SWAP_CLUSTER_MAX batches.
 * shrink_active_list() moves folios to the inactive list (referenced
 * anonymous folios too, as the kernel does); shrink_folio_list() looks
 * twice at a folio whose ptes were accessed (folio_check_references():
 * kept the first time, activated the second) and otherwise swaps it out:
 * folio_alloc_swap() (add_to_swap()), unmap, pageout() through
 * swap_writeout() (zero map, zswap, swap device), then removes it from
 * the swap cache and frees it.
 *
 * A memcg with no swap slots left to take (none free, or its
 * memory.swap.max reached) is not scanned, as the kernel's
 * get_scan_count() leaves anonymous memory then; its active list is still
 * aged while there is swap at all (can_age_anon_pages()).
 *
 * Differences: no file LRUs, swappiness, kswapd, MGLRU, dirty throttling
 * or writeback waits (swap I/O is synchronous here, so a folio is never
 * still under writeback after pageout()); a large folio that cannot get
 * swap slots is kept rather than split; the swap cache removal checks the
 * reference count instead of freezing it (a racing swap-in that holds a
 * reference just finds the folio gone from the cache and reads the slot).
 */
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/page_counter.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/vmstat.h>

#include "cost.h"
#include "internal.h"

struct scan_control {
	unsigned long nr_to_reclaim;
	struct mem_cgroup *target_mem_cgroup;
	gfp_t gfp_mask;
	int priority;
	unsigned int may_swap:1;
	unsigned int proactive:1;
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
};

enum folio_references {
	FOLIOREF_RECLAIM,
	FOLIOREF_KEEP,
	FOLIOREF_ACTIVATE,
};

#define lru_to_folio(head) (list_entry((head)->prev, struct folio, lru))

/*
 * Look twice: every mapped folio starts with the young pte of the fault
 * that instantiated it, so one reference since the last scan only marks it
 * (PG_referenced) and keeps it on the inactive list; a reference on a
 * marked folio activates it, and a folio referenced by no pte is reclaimed.
 * The kernel also activates a folio referenced from several mappings;
 * here a folio has one.
 */
static enum folio_references folio_check_references(struct folio *folio,
						    struct scan_control *sc)
{
	int referenced_ptes = folio_referenced(folio);
	bool referenced_folio = folio_test_clear_referenced(folio);

	if (referenced_ptes) {
		folio_set_referenced(folio);
		if (referenced_folio)
			return FOLIOREF_ACTIVATE;
		return FOLIOREF_KEEP;
	}
	return FOLIOREF_RECLAIM;
}

typedef enum {
	PAGE_KEEP,	/* failed to write folio out, folio is locked */
	PAGE_ACTIVATE,	/* move folio to the active list, folio is locked */
	PAGE_SUCCESS,	/* folio has been sent to the disk successfully, folio is unlocked */
	PAGE_CLEAN,	/* folio is clean and locked */
} pageout_t;

static pageout_t pageout(struct folio *folio)
{
	int res;

	if (!folio_clear_dirty_for_io(folio))
		return PAGE_CLEAN;
	folio_set_reclaim(folio);
	res = swap_writeout(folio, NULL);
	if (res == AOP_WRITEPAGE_ACTIVATE) {
		folio_clear_reclaim(folio);
		return PAGE_ACTIVATE;
	}
	if (!folio_test_writeback(folio))
		folio_clear_reclaim(folio);
	return PAGE_SUCCESS;
}

/*
 * __remove_mapping() for a swap cache folio: only the isolation's and the
 * swap cache's references may be left. The slots keep the swap counts of
 * the ptes that now hold them.
 */
static bool remove_mapping(struct folio *folio)
{
	if (folio_ref_count(folio) != 1 + folio_nr_pages(folio))
		return false;
	if (folio_test_dirty(folio) || folio_test_writeback(folio))
		return false;
	swap_cache_del_folio(folio);
	return true;
}

static unsigned long shrink_folio_list(struct list_head *folio_list,
				       struct list_head *ret_folios,
				       struct scan_control *sc, bool ignore_references)
{
	unsigned long nr_reclaimed = 0;
	struct folio *folio;
	long nr_pages;

	while (!list_empty(folio_list)) {
		folio = lru_to_folio(folio_list);
		list_del(&folio->lru);
		nr_pages = folio_nr_pages(folio);
		sc->nr_scanned += nr_pages;

		if (!folio_trylock(folio))
			goto keep;
		if (folio_test_writeback(folio))
			goto keep_locked;
		if (!ignore_references) {
			switch (folio_check_references(folio, sc)) {
			case FOLIOREF_ACTIVATE:
				goto activate_locked;
			case FOLIOREF_KEEP:
				goto keep_locked;
			case FOLIOREF_RECLAIM:
				break;
			}
		}

		if (!folio_test_swapcache(folio)) {
			/*
			 * Unmapped by munmap while isolated: nothing to save.
			 * The kernel goes through add_to_swap() and pageout(),
			 * whose folio_free_swap() redirties it, so it is kept
			 * and freed by the putback's last reference, not
			 * counted as reclaimed; the same result, without the
			 * slot.
			 */
			if (!folio_mapped(folio))
				goto keep_locked;
			if (!sc->may_swap)
				goto keep_locked;
			/* add_to_swap(): new slots hold nothing yet. */
			if (folio_alloc_swap(folio))
				goto activate_locked;
			folio_mark_dirty(folio);
		}

		if (folio_mapped(folio) && !try_to_unmap(folio))
			goto activate_locked;

		/* A clean swap cache folio (a swap-in's, zswap writeback's) is on swap already. */
		if (folio_test_dirty(folio)) {
			switch (pageout(folio)) {
			case PAGE_KEEP:
				goto keep_locked;
			case PAGE_ACTIVATE:
				goto activate_locked;
			case PAGE_SUCCESS:
				if (folio_test_writeback(folio) || folio_test_dirty(folio))
					goto keep;
				if (!folio_trylock(folio))
					goto keep;
				if (folio_test_dirty(folio) || folio_test_writeback(folio))
					goto keep_locked;
				break;
			case PAGE_CLEAN:
				break;
			}
		}

		/* swap_writeout() may have freed the slots of an unmapped folio. */
		if (folio_test_swapcache(folio) && !remove_mapping(folio))
			goto keep_locked;
		folio_unlock(folio);
		nr_reclaimed += nr_pages;
		vm_charge_reclaim(nr_pages);
		/* The isolation's reference; a racing swap-in may hold one more. */
		folio_put_lru(folio, 1);
		continue;
activate_locked:
		/* Swap is short: the slots of a folio that stays are worth more free. */
		if (folio_test_swapcache(folio) && mem_cgroup_swap_full(folio))
			folio_free_swap(folio);
		folio_set_active(folio);
		count_vm_events(PGACTIVATE, nr_pages);
		count_memcg_folio_events(folio, PGACTIVATE, nr_pages);
keep_locked:
		folio_unlock(folio);
keep:
		list_add(&folio->lru, ret_folios);
	}
	return nr_reclaimed;
}

static void putback_folio_list(struct list_head *list)
{
	struct folio *folio, *next;

	list_for_each_entry_safe(folio, next, list, lru) {
		list_del(&folio->lru);
		folio_putback_lru(folio);
	}
}

/*
 * Move up to @nr_to_scan folios from the tail of @lru to @dst, each with
 * a reference. A folio whose count is already zero is being freed: it is
 * left for folio_put_lru() to take off the list.
 */
static unsigned long isolate_lru_folios(unsigned long nr_to_scan, struct lruvec *lruvec,
					struct list_head *dst, enum lru_list lru)
{
	struct list_head *src = &lruvec->lists[lru], *pos, *prev;
	unsigned long scanned = 0, nr_taken = 0;
	struct folio *folio;

	spin_lock(&lruvec->lru_lock);
	for (pos = src->prev; pos != src && scanned < nr_to_scan; pos = prev) {
		prev = pos->prev;
		folio = list_entry(pos, struct folio, lru);
		scanned++;
		if (!folio_try_get(folio))
			continue;
		if (!folio_test_clear_lru(folio)) {
			folio_put(folio);
			continue;
		}
		lruvec_del_folio(lruvec, folio);
		list_add(&folio->lru, dst);
		nr_taken += folio_nr_pages(folio);
	}
	spin_unlock(&lruvec->lru_lock);
	return nr_taken;
}

static void shrink_active_list(unsigned long nr_to_scan, struct lruvec *lruvec)
{
	LIST_HEAD(l_hold);
	struct folio *folio, *next;
	unsigned long nr_deactivate;

	nr_deactivate = isolate_lru_folios(nr_to_scan, lruvec, &l_hold, LRU_ACTIVE_ANON);
	list_for_each_entry_safe(folio, next, &l_hold, lru) {
		list_del(&folio->lru);
		/*
		 * Anonymous folios are deactivated whether referenced or not;
		 * the look clears their ptes' accessed bits all the same.
		 */
		folio_referenced(folio);
		folio_clear_active(folio);
		folio_putback_lru(folio);
	}
	count_vm_events(PGDEACTIVATE, nr_deactivate);
	count_memcg_events(lruvec_memcg(lruvec), PGDEACTIVATE, nr_deactivate);
}

static unsigned long shrink_inactive_list(unsigned long nr_to_scan, struct lruvec *lruvec,
					  struct scan_control *sc)
{
	LIST_HEAD(folio_list);
	LIST_HEAD(ret_folios);
	unsigned long nr_reclaimed;

	if (!isolate_lru_folios(nr_to_scan, lruvec, &folio_list, LRU_INACTIVE_ANON))
		return 0;
	nr_reclaimed = shrink_folio_list(&folio_list, &ret_folios, sc, false);
	putback_folio_list(&ret_folios);
	return nr_reclaimed;
}

/* Below 1 GB the kernel's inactive:active target ratio is 1. */
static bool inactive_is_low(struct lruvec *lruvec)
{
	return READ_ONCE(lruvec->nr_pages[LRU_INACTIVE_ANON]) <
	       READ_ONCE(lruvec->nr_pages[LRU_ACTIVE_ANON]);
}

/*
 * As the kernel's get_scan_count(): anonymous folios are scanned only if
 * they could get swap slots, free ones under the memcg's (and its
 * ancestors') memory.swap.max. There is no demotion to fall back on.
 */
static bool can_reclaim_anon_pages(struct mem_cgroup *memcg)
{
	return mem_cgroup_get_nr_swap_pages(memcg) > 0;
}

/* can_age_anon_pages(): aging is worth it wherever there is swap at all. */
static bool can_age_anon_pages(void)
{
	return total_swap_pages > 0;
}

static void shrink_lruvec(struct lruvec *lruvec, struct scan_control *sc)
{
	unsigned long nr[NR_LRU_LISTS], nr_to_scan;
	enum lru_list lru;

	if (!can_reclaim_anon_pages(lruvec_memcg(lruvec)))
		goto age;

	for_each_lru(lru)
		nr[lru] = READ_ONCE(lruvec->nr_pages[lru]) >> sc->priority;
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_ANON]) {
		for_each_lru(lru) {
			if (!nr[lru])
				continue;
			nr_to_scan = min(nr[lru], SWAP_CLUSTER_MAX);
			nr[lru] -= nr_to_scan;
			if (lru == LRU_ACTIVE_ANON) {
				if (inactive_is_low(lruvec))
					shrink_active_list(nr_to_scan, lruvec);
			} else {
				sc->nr_reclaimed += shrink_inactive_list(nr_to_scan, lruvec, sc);
			}
		}
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		cond_resched();
	}
age:
	/* Even without eviction, keep the inactive list filled for later. */
	if (can_age_anon_pages() && inactive_is_low(lruvec))
		shrink_active_list(SWAP_CLUSTER_MAX, lruvec);
}

static void shrink_node_memcgs(pg_data_t *pgdat, struct scan_control *sc)
{
	struct mem_cgroup *target = sc->target_mem_cgroup;
	struct mem_cgroup *memcg;

	memcg = mem_cgroup_iter(target, NULL, NULL);
	do {
		shrink_lruvec(mem_cgroup_lruvec(memcg, pgdat), sc);
		/*
		 * Slab shrinkers, zswap's among them: its writeback uncharges
		 * compressed memory, which the charge path's margin check sees.
		 * As in the kernel, memcg reclaim does not count freed slab
		 * pages as reclaimed.
		 */
		shrink_slab(sc->gfp_mask, pgdat->node_id, memcg, sc->priority);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim) {
			mem_cgroup_iter_break(target, memcg);
			break;
		}
	} while ((memcg = mem_cgroup_iter(target, memcg, NULL)));
}

static unsigned long do_try_to_free_pages(struct scan_control *sc)
{
	int nid;

	do {
		for_each_online_node(nid)
			shrink_node_memcgs(NODE_DATA(nid), sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	} while (--sc->priority >= 0);
	return sc->nr_reclaimed;
}

unsigned long try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg, unsigned long nr_pages,
					   gfp_t gfp_mask, unsigned int reclaim_options,
					   int *swappiness)
{
	struct scan_control sc = {
		.nr_to_reclaim = max(nr_pages, SWAP_CLUSTER_MAX),
		.target_mem_cgroup = memcg,
		.gfp_mask = gfp_mask,
		.priority = DEF_PRIORITY,
		.may_swap = !!(reclaim_options & MEMCG_RECLAIM_MAY_SWAP),
		.proactive = !!(reclaim_options & MEMCG_RECLAIM_PROACTIVE),
	};
	unsigned long nr_reclaimed;
	unsigned int noreclaim_flag;

	might_sleep();
	/* The swappiness argument is accepted for the signature: anon only. */
	noreclaim_flag = memalloc_noreclaim_save();
	nr_reclaimed = do_try_to_free_pages(&sc);
	memalloc_noreclaim_restore(noreclaim_flag);
	return nr_reclaimed;
}

/*
 * Direct reclaim from the page allocator (shim/mm/page_alloc.c), which
 * holds fs_reclaim and PF_MEMALLOC around it: every memcg's LRUs, swapping
 * allowed. The kernel also honours @nodemask through the zonelist; the
 * simulated VM reclaims from every node.
 */
unsigned long try_to_free_pages(int order, gfp_t gfp_mask, nodemask_t *nodemask)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp_mask,
		.priority = DEF_PRIORITY,
		.may_swap = 1,
	};

	return do_try_to_free_pages(&sc);
}

int user_proactive_reclaim(char *buf, struct mem_cgroup *memcg, pg_data_t *pgdat)
{
	unsigned int nr_retries = MAX_RECLAIM_RETRIES;
	unsigned long nr_to_reclaim, nr_reclaimed = 0;

	if (WARN_ON_ONCE(!memcg || pgdat))
		return -EINVAL;
	/*
	 * memparse() of a byte count; "max" is no number. The kernel also
	 * takes "swappiness=N"; there is only anonymous memory to reclaim.
	 */
	if (!strcmp(buf, "max") || page_counter_memparse(buf, "max", &nr_to_reclaim))
		return -EINVAL;

	while (nr_reclaimed < nr_to_reclaim) {
		/* Will converge on zero, but reclaim enforces a minimum */
		unsigned long batch_size = (nr_to_reclaim - nr_reclaimed) / 4;
		unsigned long reclaimed;

		reclaimed = try_to_free_mem_cgroup_pages(memcg, batch_size, GFP_KERNEL,
							 MEMCG_RECLAIM_MAY_SWAP |
							 MEMCG_RECLAIM_PROACTIVE, NULL);
		if (!reclaimed && !nr_retries--)
			return -EAGAIN;
		nr_reclaimed += reclaimed;
	}
	return 0;
}

unsigned long reclaim_pages(struct list_head *folio_list)
{
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.may_swap = 1,
	};
	LIST_HEAD(ret_folios);
	unsigned long nr_reclaimed;
	unsigned int noreclaim_flag;

	noreclaim_flag = memalloc_noreclaim_save();
	nr_reclaimed = shrink_folio_list(folio_list, &ret_folios, &sc, true);
	memalloc_noreclaim_restore(noreclaim_flag);
	putback_folio_list(&ret_folios);
	return nr_reclaimed;
}
