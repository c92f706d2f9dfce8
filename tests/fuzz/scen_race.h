/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the known-race scenarios (tests/fuzz/scen_race_*.c): pages
 * of known contents taken out through the swap path as reclaim does
 * (slot, swap cache, zswap_store(), else the device) and back in as a
 * swap-in does (swap cache, else swap_read_folio(): zswap first), with
 * every byte checked. They run in simulated tasks and return 0 or a
 * negative errno with a reason in the caller's buffer.
 */
#ifndef _TESTS_FUZZ_SCEN_RACE_H
#define _TESTS_FUZZ_SCEN_RACE_H

#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/zswap.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"

/* One page a task swapped out: its slot and what it must read back. */
struct race_page {
	swp_entry_t	entry;
	u32		seed;
	bool		random;		/* incompressible: zswap keeps it raw */
};

/* Page contents from (seed, random): words that compress, or noise. */
static inline void race_fill(void *p, u32 seed, bool random)
{
	static const char *const words[] = {
		"zswap ", "slot ", "folio ", "pool ", "entry ", "lru ", "tree ",
		"reclaim ",
	};
	u64 x = seed * 0x9e3779b97f4a7c15ULL + 1;
	char *c = p;
	size_t off = 0, n;

	while (off < PAGE_SIZE) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (random) {
			n = min_t(size_t, sizeof(x), PAGE_SIZE - off);
			memcpy(c + off, &x, n);
		} else {
			n = min_t(size_t, strlen(words[x % 8]), PAGE_SIZE - off);
			memcpy(c + off, words[x % 8], n);
		}
		off += n;
	}
}

static inline bool race_matches(const void *p, u32 seed, bool random)
{
	static __thread char want[PAGE_SIZE];

	race_fill(want, seed, random);
	return !memcmp(p, want, PAGE_SIZE);
}

/* A locked anonymous folio as reclaim hands it to swap; never fails. */
static inline struct folio *race_folio(void)
{
	struct folio *folio = folio_alloc(GFP_KERNEL | __GFP_NOFAIL, 0);

	__folio_set_locked(folio);
	__folio_set_swapbacked(folio);
	__folio_mark_uptodate(folio);
	return folio;
}

static inline void race_folio_free(struct folio *folio)
{
	if (folio_test_locked(folio))
		folio_unlock(folio);
	__folio_clear_swapbacked(folio);
	folio_put(folio);
}

/*
 * Swap out one page charged to @memcg (NULL: none) as shrink_folio_list()
 * does: a slot and the swap cache, one swap count for the "page table",
 * zswap_store() under PF_MEMALLOC or else the device, then out of the
 * swap cache.
 */
static inline int race_swap_out(struct race_page *rp, u32 seed, bool random,
				struct mem_cgroup *memcg)
{
	struct folio *folio = race_folio();
	unsigned int noreclaim;
	int ret;

	rp->seed = seed;
	rp->random = random;
	race_fill(folio_address(folio), seed, random);
	if (memcg && mem_cgroup_charge_folio(folio, memcg, GFP_KERNEL | __GFP_NOFAIL)) {
		race_folio_free(folio);
		return -ENOMEM;
	}
	ret = folio_alloc_swap(folio);
	if (ret) {
		race_folio_free(folio);
		return ret;
	}
	rp->entry = folio->swap;
	ret = folio_dup_swap(folio, NULL);
	if (!ret) {
		noreclaim = memalloc_noreclaim_save();
		if (!zswap_store(folio)) {
			/* __swap_writepage() unlocks; the removal needs it locked. */
			__swap_writepage(folio, NULL);
			folio_lock(folio);
		}
		memalloc_noreclaim_restore(noreclaim);
	}
	swap_cache_del_folio(folio);
	race_folio_free(folio);
	return ret;
}

/*
 * Read @rp back as a swap-in does and check it; drop its slot if @put.
 * A folio found in the swap cache (a writeback's) may be removed from it
 * before we get its lock: then look again, as do_swap_page() does.
 */
static inline int race_swap_in(struct race_page *rp, bool put, char *why, size_t len)
{
	struct folio *folio;
	bool ok;

	for (;;) {
		folio = swap_cache_get_folio(rp->entry);
		if (!folio)
			break;
		folio_lock(folio);
		/*
		 * Writeback unlocks before its write completes, and a folio
		 * under writeback cannot leave the swap cache. The shim has
		 * no folio_wait_writeback(): sleep and look again.
		 */
		if (folio_test_writeback(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			msleep(1);
			continue;
		}
		if (!folio_test_swapcache(folio) || folio->swap.val != rp->entry.val) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		ok = folio_test_uptodate(folio) &&
		     race_matches(folio_address(folio), rp->seed, rp->random);
		swap_cache_del_folio(folio);
		folio_unlock(folio);
		folio_put(folio);
		if (!ok)
			goto bad;
		goto done;
	}

	folio = race_folio();
	folio_clear_uptodate(folio);
	if (swap_cache_add_folio(folio, rp->entry)) {
		/* Someone cached it meanwhile: read that one. */
		race_folio_free(folio);
		return race_swap_in(rp, put, why, len);
	}
	swap_read_folio(folio, NULL);
	ok = folio_test_uptodate(folio) &&
	     race_matches(folio_address(folio), rp->seed, rp->random);
	folio_lock(folio);
	swap_cache_del_folio(folio);
	race_folio_free(folio);
	if (!ok)
		goto bad;
done:
	if (put)
		swap_put_entries_direct(rp->entry, 1);
	return 0;
bad:
	snprintf(why, len, "slot %lu of seed %u differs after swap-in",
		 swp_offset(rp->entry), rp->seed);
	return -EBADMSG;
}

/*
 * Folios only the swap cache holds (unmapped while locked, or a zswap
 * writeback's, left on the LRU for reclaim), and those swapoff took out
 * of the swap cache: reclaim them, as the kernel's reclaim eventually
 * would.
 */
static int race_unuse_fn(void *arg)
{
	unsigned int noreclaim = memalloc_noreclaim_save();

	try_to_free_pages(0, GFP_KERNEL, NULL);
	memalloc_noreclaim_restore(noreclaim);
	msleep(1);
	return 0;
}

/*
 * Swap @type off from the test thread. The shim's swapoff takes the
 * folios no pte needs out of the swap cache (try_to_unuse()'s last pass),
 * but refuses with -EBUSY while one is under writeback: reclaim, retry.
 * The folios it took out are reclaim's to free as well.
 */
static inline int race_swapoff(int type)
{
	int ret, tries;

	for (tries = 0; tries < 100; tries++) {
		ret = zsim_swapoff(type);
		zsim_run(0, race_unuse_fn, NULL);
		if (ret != -EBUSY)
			break;
	}
	return ret;
}

/* A worker task's seed, and why it failed. */
struct race_worker {
	u32		seed;
	char		why[128];
};

/* The end of a run: swap device @type off; its failure is the run's unless one came first. */
static inline int race_swapoff_last(int type, int ret, char *why, size_t len)
{
	int r = race_swapoff(type);

	if (r && !ret) {
		snprintf(why, len, "swapoff: %d", r);
		ret = r;
	}
	return ret;
}

/* zswap on (setting it up if this is the first time), as the options chose. */
static inline int race_zswap_on(char *why, size_t len)
{
	int ret = zsim_param_set("zswap", "enabled", "Y");

	if (ret)
		snprintf(why, len, "cannot enable zswap: %d", ret);
	return ret;
}

#endif /* _TESTS_FUZZ_SCEN_RACE_H */
