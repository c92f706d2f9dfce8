/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the zswap suites: pages with known contents taken through
 * the swap-out path as reclaim would (slots, swap cache, zswap_store(),
 * the device if zswap refuses) and back in through swap_read_folio()
 * (swap cache, zswap_load(), the device), checked byte for byte.
 *
 * The helpers run in simulated tasks and return 0 or the negative line of
 * the first failed CHECK(); the test thread asserts on that.
 */
#ifndef _TESTS_ZSWAP_TEST_H
#define _TESTS_ZSWAP_TEST_H

#include "zsim_test.h"

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/zswap.h>
#include <sim/memcg.h>
#include <stdio.h>
#include <string.h>

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #cond);			\
		return -__LINE__;					\
	}								\
} while (0)

#define RUN(fn, arg)	assert_int_equal(zsim_run(0, fn, arg), 0)

enum page_kind {
	PAGE_TEXT,	/* compresses well */
	PAGE_RANDOM,	/* does not compress: stored raw or rejected */
	PAGE_MIXED,	/* text, with every fifth page random */
};

/* Page @idx of a data set: its contents follow from (kind, seed, idx). */
static inline void fill_page(void *p, enum page_kind kind, u32 seed, unsigned long idx)
{
	static const char *const words[] = {
		"swap ", "zswap ", "folio ", "memcg ", "reclaim ", "lru ", "pool ",
		"compress ", "entry ", "slot ",
	};
	u64 x = (u64)seed * 0x9e3779b97f4a7c15ULL + idx * 0xbf58476d1ce4e5b9ULL + 1;
	char *c = p;
	size_t off = 0;

	if (kind == PAGE_MIXED)
		kind = idx % 5 == 3 ? PAGE_RANDOM : PAGE_TEXT;
	if (kind == PAGE_RANDOM) {
		for (off = 0; off < PAGE_SIZE; off += sizeof(u64)) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(c + off, &x, sizeof(x));
		}
		return;
	}
	while (off < PAGE_SIZE) {
		const char *w;
		size_t n;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w = words[x % 10];
		n = strlen(w);
		if (n > PAGE_SIZE - off)
			n = PAGE_SIZE - off;
		memcpy(c + off, w, n);
		off += n;
	}
}

static inline bool page_matches(void *p, enum page_kind kind, u32 seed, unsigned long idx)
{
	static __thread char want[PAGE_SIZE];

	fill_page(want, kind, seed, idx);
	return !memcmp(p, want, PAGE_SIZE);
}

/* A locked, uptodate anonymous folio, as reclaim hands to swap. */
static inline struct folio *anon_folio(unsigned int order)
{
	/* The test's own folios never fail, so fault sweeps hit zswap only. */
	struct folio *folio = folio_alloc(GFP_KERNEL | __GFP_NOFAIL, order);

	__folio_set_locked(folio);
	__folio_set_swapbacked(folio);
	__folio_mark_uptodate(folio);
	return folio;
}

static inline void release_folio(struct folio *folio)
{
	if (folio_test_locked(folio))
		folio_unlock(folio);
	__folio_clear_swapbacked(folio);
	folio_put(folio);
}

/* What swap-out of a data set did. */
struct swapped {
	swp_entry_t entry;	/* first slot */
	unsigned int order;
	enum page_kind kind;
	u32 seed;
	bool stored;		/* zswap took it, else it went to the device */
};

/*
 * Swap out one folio of @order charged to @memcg (NULL: not charged), as
 * reclaim does: slots and swap cache, a swap count for the "page table",
 * zswap_store() or else the device, then out of the swap cache.
 */
static inline int swap_out(struct swapped *s, unsigned int order, enum page_kind kind,
			   u32 seed, struct mem_cgroup *memcg)
{
	struct folio *folio = anon_folio(order);
	unsigned int noreclaim;
	long i;

	s->order = order;
	s->kind = kind;
	s->seed = seed;
	for (i = 0; i < folio_nr_pages(folio); i++)
		fill_page(folio_address(folio) + i * PAGE_SIZE, kind, seed, i);
	if (memcg)
		CHECK(mem_cgroup_charge_folio(folio, memcg, GFP_KERNEL | __GFP_NOFAIL) == 0);
	CHECK(folio_alloc_swap(folio) == 0);
	s->entry = folio->swap;
	CHECK(folio_dup_swap(folio, NULL) == 0);
	/* Reclaim stores with PF_MEMALLOC: zswap's memcg charges are forced. */
	noreclaim = memalloc_noreclaim_save();
	s->stored = zswap_store(folio);
	memalloc_noreclaim_restore(noreclaim);
	if (!s->stored) {
		/* __swap_writepage() unlocks; relock for the removal. */
		__swap_writepage(folio, NULL);
		folio_lock(folio);
		CHECK(!folio_test_dirty(folio));
	}
	swap_cache_del_folio(folio);
	release_folio(folio);
	return 0;
}

/*
 * Swap every page of @s back in and check it: a page still in the swap
 * cache (written back by zswap) is checked there, any other is read by
 * swap_read_folio(), which tries zswap first. Drops the slots afterwards
 * if @put (zswap_invalidate() through the slot's freeing).
 */
static inline int swap_in_check(struct swapped *s, bool put)
{
	long i, nr = 1L << s->order;

	for (i = 0; i < nr; i++) {
		swp_entry_t entry = { s->entry.val + i };
		struct folio *folio = swap_cache_get_folio(entry);

		if (folio) {
			folio_lock(folio);
			CHECK(folio_test_uptodate(folio));
			CHECK(page_matches(folio_address(folio), s->kind, s->seed, i));
			swap_cache_del_folio(folio);
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		folio = anon_folio(0);
		folio_clear_uptodate(folio);
		CHECK(swap_cache_add_folio(folio, entry) == 0);
		swap_read_folio(folio, NULL);
		CHECK(!folio_test_locked(folio));
		if (!folio_test_uptodate(folio)) {
			/* An injected error (-EIO): the copy is still there, retry. */
			folio_lock(folio);
			swap_read_folio(folio, NULL);
		}
		CHECK(folio_test_uptodate(folio));
		CHECK(page_matches(folio_address(folio), s->kind, s->seed, i));
		folio_lock(folio);
		swap_cache_del_folio(folio);
		release_folio(folio);
	}
	if (put)
		swap_put_entries_direct(s->entry, nr);
	return 0;
}

static inline u64 zswap_stat(const char *name)
{
	char path[128];
	u64 v = ~0ULL;

	snprintf(path, sizeof(path), "zswap/%s", name);
	if (debugfs_read_u64(path, &v))
		return ~0ULL;
	return v;
}

/* A vmstat event count ("zswpout") from zsim_vmstat_read(). */
static inline unsigned long vmstat_event(const char *name)
{
	static char buf[4096];
	char *p;
	size_t n = strlen(name);

	if (zsim_vmstat_read(buf, sizeof(buf)) < 0)
		return ~0UL;
	for (p = buf; (p = strstr(p, name)); p++) {
		if ((p == buf || p[-1] == '\n') && p[n] == ' ')
			return strtoul(p + n + 1, NULL, 10);
	}
	return ~0UL;
}

/* Boot with zswap enabled and @lifetime contexts ("pool"/"hotplug"). */
static inline void zswap_test_boot(void **state, unsigned int nr_cpus, u64 seed,
				   u64 ram_bytes, const char *lifetime)
{
	struct zsim_config cfg;

	assert_int_equal(zsim_param_set("zswap", "enabled", "Y"), 0);
	assert_int_equal(zsim_param_set("zswap", "ctx_lifetime", lifetime), 0);
	zsim_test_config(state, &cfg, nr_cpus, seed);
	if (ram_bytes)
		cfg.ram_bytes = ram_bytes;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

#endif /* _TESTS_ZSWAP_TEST_H */
