// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap (src/zswap/zswap.c), driven directly from simulated tasks: store,
 * load and invalidate round trips for small and large folios, incompressible
 * pages, every reject counter, the pool limit's hysteresis, memory.zswap.max,
 * writeback through the shrinker and the shrink worker (its folios charged
 * and on the LRU, reclaimed by memory.reclaim), compressor switches
 * with pool revival, swapoff, and the teardown of everything at machine stop.
 * Hotplug and fault-injection sweeps are in test_zswap_stress.c.
 */
#include "zswap_test.h"

#include <linux/kconfig.h>
#include <linux/rcupdate.h>
#include <linux/scatterlist.h>
#include <linux/shrinker.h>
#include <linux/swap_cgroup.h>
#include <linux/workqueue.h>

#define NR_SLOTS	4096

struct ctx {
	struct mem_cgroup *memcg;
	struct folio *folio;	/* kept in the swap cache between tasks */
	struct swapped s[64];
	int n;
	long val[8];
};

/* c->memcg = the cgroup at the path in c->val[7] (a const char *). */
static int lookup_task(void *arg)
{
	struct ctx *c = arg;

	c->memcg = mem_cgroup_lookup((const char *)c->val[7]);
	CHECK(!IS_ERR(c->memcg));
	return 0;
}

static int put_memcg_task(void *arg)
{
	struct ctx *c = arg;

	mem_cgroup_put(c->memcg);
	c->memcg = NULL;
	return 0;
}

static void lookup(struct ctx *c, const char *path)
{
	c->val[7] = (long)path;
	RUN(lookup_task, c);
}

/* ---- round trips ---- */

static int round_trip_task(void *arg)
{
	struct ctx *c = arg;
	struct swapped small, large;
	int ret;

	ret = swap_out(&small, 0, PAGE_TEXT, 1, NULL);
	CHECK(ret == 0);
	ret = swap_out(&large, 4, PAGE_TEXT, 2, NULL);
	CHECK(ret == 0);
	CHECK(small.stored && large.stored);
	c->val[0] = atomic_long_read(&zswap_stored_pages);
	CHECK(swap_in_check(&small, true) == 0);
	CHECK(swap_in_check(&large, true) == 0);
	c->val[1] = atomic_long_read(&zswap_stored_pages);

	/* Invalidation alone: the slot is freed with the entry still stored. */
	CHECK(swap_out(&small, 0, PAGE_TEXT, 3, NULL) == 0);
	CHECK(small.stored);
	swap_put_entries_direct(small.entry, 1);
	c->val[2] = atomic_long_read(&zswap_stored_pages);
	return 0;
}

static void test_round_trip(void **state)
{
	struct ctx c = { };

	zswap_test_boot(state, 2, 1, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	RUN(round_trip_task, &c);
	assert_int_equal(c.val[0], 17);
	assert_int_equal(c.val[1], 0);
	assert_int_equal(c.val[2], 0);
	assert_int_equal(vmstat_event("zswpout"), 18);
	assert_int_equal(vmstat_event("zswpin"), 17);
	assert_int_equal(vmstat_event("pswpin"), 0);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	assert_int_equal(zswap_stat("pool_total_size") % 4096, 0);
	assert_int_equal(zsim_swapoff(0), 0);
	zsim_test_shutdown_clean();
}

/* A miss leaves the folio locked; a large folio is refused with a warning. */
static int load_errors_task(void *arg)
{
	struct swapped s;
	struct folio *folio;
	swp_entry_t entry;

	CHECK(swap_out(&s, 2, PAGE_TEXT, 4, NULL) == 0);
	CHECK(s.stored);

	folio = anon_folio(2);
	folio_clear_uptodate(folio);
	CHECK(swap_cache_add_folio(folio, s.entry) == 0);
	CHECK(zswap_load(folio) == -EINVAL);
	CHECK(!folio_test_locked(folio) && !folio_test_uptodate(folio));
	folio_lock(folio);
	swap_cache_del_folio(folio);
	release_folio(folio);
	CHECK(swap_in_check(&s, true) == 0);

	/* A slot zswap never saw. */
	folio = anon_folio(0);
	CHECK(folio_alloc_swap(folio) == 0);
	entry = folio->swap;
	CHECK(folio_dup_swap(folio, NULL) == 0);
	folio_clear_uptodate(folio);
	CHECK(zswap_load(folio) == -ENOENT);
	CHECK(folio_test_locked(folio));
	swap_cache_del_folio(folio);
	release_folio(folio);
	swap_put_entries_direct(entry, 1);
	return 0;
}

static void test_load_errors(void **state)
{
	zswap_test_boot(state, 2, 2, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	RUN(load_errors_task, NULL);
	assert_int_equal(zsim_warnings(), 1);
	assert_int_equal(zsim_machine_stop(), 1);
}

/* ---- incompressible pages ---- */

static int incompressible_task(void *arg)
{
	struct ctx *c = arg;
	struct mem_cgroup *nowb;
	struct swapped s;

	CHECK(swap_out(&s, 0, PAGE_RANDOM, 5, NULL) == 0);
	CHECK(s.stored);
	c->val[0] = zswap_stat("stored_incompressible_pages");
	CHECK(swap_in_check(&s, true) == 0);
	c->val[1] = zswap_stat("stored_incompressible_pages");

	/* With writeback disabled a raw page could never leave: refused. */
	nowb = mem_cgroup_lookup("/nowb");
	CHECK(!IS_ERR(nowb));
	CHECK(swap_out(&s, 0, PAGE_RANDOM, 6, nowb) == 0);
	mem_cgroup_put(nowb);
	CHECK(!s.stored);
	c->val[2] = zswap_stat("reject_compress_poor");
	CHECK(swap_in_check(&s, true) == 0);
	return 0;
}

/* A machine with a swap device and a memcg /nowb without zswap writeback. */
static void nowb_boot(void **state, u64 seed)
{
	zswap_test_boot(state, 2, seed, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "nowb"), 0);
	assert_int_equal(zsim_memcg_write("/nowb", "memory.zswap.writeback", "0"), 0);
}

static void test_incompressible(void **state)
{
	struct ctx c = { };

	nowb_boot(state, 3);
	RUN(incompressible_task, &c);
	assert_int_equal(c.val[0], 1);
	assert_int_equal(c.val[1], 0);
	assert_int_equal(c.val[2], 1);
	assert_int_equal(vmstat_event("pswpin"), 1);
	assert_int_equal(vmstat_event("pswpout"), 1);
	assert_int_equal(zsim_memcg_destroy("/nowb"), 0);
	zsim_test_shutdown_clean();
}

/* ---- reject counters ---- */

struct reject_case {
	const char *site;
	const char *counter;
	bool nowb;		/* in a memcg without writeback */
};

static const struct reject_case reject_cases[] = {
	{ "kmem_cache:zswap_entry", "reject_kmemcache_fail", false },
	{ "zs_handle", "reject_alloc_fail", false },
	{ "acomp_compress", "reject_compress_fail", true },
};

static int reject_task(void *arg)
{
	struct ctx *c = arg;
	struct swapped s;

	CHECK(swap_out(&s, 0, PAGE_TEXT, 7, c->memcg) == 0);
	c->val[0] = s.stored;
	c->val[1] = atomic_long_read(&zswap_stored_pages);
	CHECK(swap_in_check(&s, true) == 0);
	return 0;
}

static void test_reject_counters(void **state)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(reject_cases); i++) {
		const struct reject_case *rc = &reject_cases[i];
		struct ctx c = { };

		zswap_test_boot(state, 2, 10 + i, 0, "pool");
		assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
		assert_int_equal(zsim_memcg_create(NULL, "r"), 0);
		if (rc->nowb)
			assert_int_equal(zsim_memcg_write("/r", "memory.zswap.writeback", "0"), 0);
		lookup(&c, "/r");
		assert_int_equal(zsim_fault_set(rc->site, 0, 0, 1), 0);
		RUN(reject_task, &c);
		assert_int_equal(zsim_fault_injected(rc->site), 1);
		zsim_fault_clear_all();
		assert_int_equal(c.val[0], 0);
		assert_int_equal(c.val[1], 0);
		assert_int_equal(zswap_stat(rc->counter), 1);
		RUN(put_memcg_task, &c);
		assert_int_equal(zsim_memcg_destroy("/r"), 0);
		zsim_test_shutdown_clean();
	}
}

static int decompress_fail_task(void *arg)
{
	struct ctx *c = arg;
	struct swapped s;
	struct folio *folio;

	CHECK(swap_out(&s, 0, PAGE_TEXT, 8, NULL) == 0);
	CHECK(s.stored);
	folio = anon_folio(0);
	folio_clear_uptodate(folio);
	CHECK(swap_cache_add_folio(folio, s.entry) == 0);
	CHECK(zsim_fault_set("acomp_decompress", 0, 0, 1) == 0);
	CHECK(zswap_load(folio) == -EIO);
	zsim_fault_clear_all();
	CHECK(!folio_test_locked(folio) && !folio_test_uptodate(folio));
	/* The entry stays: a later load succeeds. */
	c->val[0] = atomic_long_read(&zswap_stored_pages);
	folio_lock(folio);
	swap_cache_del_folio(folio);
	release_folio(folio);
	CHECK(swap_in_check(&s, true) == 0);
	return 0;
}

static void test_decompress_fail(void **state)
{
	struct ctx c = { };

	zswap_test_boot(state, 2, 20, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	RUN(decompress_fail_task, &c);
	assert_int_equal(c.val[0], 1);
	assert_int_equal(zswap_stat("decompress_fail"), 1);
	zsim_test_shutdown_clean();
}

/* ---- the pool limit ---- */

/*
 * Fill the pool of a 32 MiB machine with max_pool_percent 1 from a memcg
 * without writeback (the shrink worker finds nothing to write back), then
 * free entries: stores stay refused until the pool is at the accept
 * threshold, not merely under the limit.
 */
static int limit_task(void *arg)
{
	struct ctx *c = arg;
	static struct swapped s[1024];
	/* accept_threshold_percent: c->val[6], or the default 90. */
	unsigned long pct = c->val[6] ? c->val[6] : 90;
	unsigned long max = totalram_pages() / 100, thr = max * pct / 100;
	struct swapped probe;
	int n = 0, i = 0;

	while (n < 1024) {
		CHECK(swap_out(&s[n], 0, PAGE_TEXT, 100 + n, c->memcg) == 0);
		n++;
		if (!s[n - 1].stored)
			break;
	}
	CHECK(n < 1024);
	c->val[0] = zswap_total_pages() >= max;
	c->val[1] = zswap_stat("pool_limit_hit");

	/* Below the limit but above the threshold: still refused. */
	while (zswap_total_pages() >= max && i < n)
		CHECK(swap_in_check(&s[i++], true) == 0);
	CHECK(zswap_total_pages() > thr);
	CHECK(swap_out(&probe, 0, PAGE_TEXT, 5000, c->memcg) == 0);
	c->val[2] = probe.stored;
	CHECK(swap_in_check(&probe, true) == 0);

	/* A lower threshold: at the default one, still refused. */
	if (pct < 90) {
		while (zswap_total_pages() > max * 90 / 100 && i < n)
			CHECK(swap_in_check(&s[i++], true) == 0);
		CHECK(zswap_total_pages() > thr);
		CHECK(swap_out(&probe, 0, PAGE_TEXT, 5002, c->memcg) == 0);
		c->val[4] = probe.stored;
		CHECK(swap_in_check(&probe, true) == 0);
	}

	while (zswap_total_pages() > thr && i < n)
		CHECK(swap_in_check(&s[i++], true) == 0);
	CHECK(swap_out(&probe, 0, PAGE_TEXT, 5001, c->memcg) == 0);
	c->val[3] = probe.stored;
	CHECK(swap_in_check(&probe, true) == 0);
	while (i < n)
		CHECK(swap_in_check(&s[i++], true) == 0);
	return 0;
}

static void test_limit_hysteresis(void **state)
{
	struct ctx c = { };

	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "1"), 0);
	zswap_test_boot(state, 2, 21, 32 << 20, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "l"), 0);
	assert_int_equal(zsim_memcg_write("/l", "memory.zswap.writeback", "0"), 0);
	lookup(&c, "/l");
	RUN(limit_task, &c);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "20"), 0);
	assert_int_equal(c.val[0], 1);
	assert_true(c.val[1] >= 1);
	assert_int_equal(c.val[2], 0);
	assert_int_equal(c.val[3], 1);
	assert_int_equal(zsim_memcg_destroy("/l"), 0);
	zsim_test_shutdown_clean();
}

/* accept_threshold_percent changed at run time: 50 holds stores back longer. */
static void test_accept_threshold(void **state)
{
	struct ctx c = { };

	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "1"), 0);
	zswap_test_boot(state, 2, 21, 32 << 20, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_param_set("zswap", "accept_threshold_percent", "50"), 0);
	assert_int_equal(zsim_memcg_create(NULL, "l"), 0);
	assert_int_equal(zsim_memcg_write("/l", "memory.zswap.writeback", "0"), 0);
	lookup(&c, "/l");
	c.val[4] = -1;
	c.val[6] = 50;
	RUN(limit_task, &c);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_param_set("zswap", "accept_threshold_percent", "90"), 0);
	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "20"), 0);
	assert_int_equal(c.val[0], 1);
	assert_int_equal(c.val[2], 0);
	assert_int_equal(c.val[4], 0);	/* at 90% of the limit: refused */
	assert_int_equal(c.val[3], 1);	/* at 50%: accepted again */
	assert_int_equal(zsim_memcg_destroy("/l"), 0);
	zsim_test_shutdown_clean();
}

/* ---- memory.zswap.max and the memcg charges ---- */

static int zswap_max_task(void *arg)
{
	struct ctx *c = arg;
	struct swapped s;

	CHECK(swap_out(&s, 0, PAGE_TEXT, 30, c->memcg) == 0);
	c->val[0] = s.stored;
	CHECK(swap_in_check(&s, true) == 0);
	return 0;
}

static int charge_task(void *arg)
{
	struct ctx *c = arg;

	CHECK(swap_out(&c->s[0], 0, PAGE_TEXT, 31, c->memcg) == 0);
	CHECK(swap_out(&c->s[1], 0, PAGE_RANDOM, 32, c->memcg) == 0);
	CHECK(c->s[0].stored && c->s[1].stored);
	return 0;
}

static int uncharge_task(void *arg)
{
	struct ctx *c = arg;

	CHECK(swap_in_check(&c->s[0], true) == 0);
	CHECK(swap_in_check(&c->s[1], true) == 0);
	return 0;
}

static unsigned long memcg_stat(const char *path, const char *key)
{
	char buf[4096], *p;
	size_t n = strlen(key);

	if (zsim_memcg_read(path, "memory.stat", buf, sizeof(buf)) < 0)
		return ~0UL;
	for (p = buf; (p = strstr(p, key)); p++)
		if ((p == buf || p[-1] == '\n') && p[n] == ' ')
			return strtoul(p + n + 1, NULL, 10);
	return ~0UL;
}

static void test_memcg(void **state)
{
	struct ctx c = { };
	char buf[64];

	zswap_test_boot(state, 2, 22, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "m"), 0);

	/* zswap.max 0: refused (nothing to write back to make room). */
	assert_int_equal(zsim_memcg_write("/m", "memory.zswap.max", "0"), 0);
	lookup(&c, "/m");
	RUN(zswap_max_task, &c);
	assert_int_equal(c.val[0], 0);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	assert_int_equal(memcg_stat("/m", "zswpout"), 0);

	/* Charged: zswap (bytes in zsmalloc), zswapped (pages), zswpout. */
	assert_int_equal(zsim_memcg_write("/m", "memory.zswap.max", "max"), 0);
	RUN(charge_task, &c);
	assert_int_equal(memcg_stat("/m", "zswpout"), 2);
	assert_int_equal(memcg_stat("/m", "zswapped"), 2 * 4096);
	assert_true(memcg_stat("/m", "zswap") > 4096 && memcg_stat("/m", "zswap") < 2 * 4096);
	assert_true(zsim_memcg_read("/m", "memory.zswap.current", buf, sizeof(buf)) > 0);
	assert_true(strtoul(buf, NULL, 10) > 4096);
	RUN(uncharge_task, &c);
	assert_int_equal(memcg_stat("/m", "zswpin"), 2);
	assert_int_equal(memcg_stat("/m", "zswap"), 0);
	assert_int_equal(memcg_stat("/m", "zswapped"), 0);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_memcg_destroy("/m"), 0);
	zsim_test_shutdown_clean();
}

/* ---- writeback ---- */

static int store_many_task(void *arg)
{
	struct ctx *c = arg;
	int i;

	for (i = 0; i < c->n; i++) {
		CHECK(swap_out(&c->s[i], 0, c->val[6] ? PAGE_RANDOM : PAGE_TEXT, 40 + i,
			       c->memcg) == 0);
		if (!c->val[5])
			CHECK(c->s[i].stored);
	}
	return 0;
}

static int check_many_task(void *arg)
{
	struct ctx *c = arg;
	int i;

	for (i = 0; i < c->n; i++)
		CHECK(swap_in_check(&c->s[i], true) == 0);
	return 0;
}

static void test_writeback_shrinker(void **state)
{
	struct ctx c = { .n = 16 };
	long freed = 0;
	int i;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	zswap_test_boot(state, 2, 23, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "w"), 0);
	lookup(&c, "/w");
	RUN(store_many_task, &c);
	/* The first pass only clears the referenced bits (second chance). */
	for (i = 0; i < 4; i++)
		freed += zsim_shrink_slab(0, "/w", 0);
	assert_true(freed > 0);
	assert_int_equal(zswap_stat("written_back_pages"), freed);
	assert_int_equal(vmstat_event("zswpwb"), freed);
	assert_int_equal(memcg_stat("/w", "zswpwb"), freed);
	assert_int_equal(zswap_stat("stored_pages"), 16 - freed);
	RUN(check_many_task, &c);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_memcg_destroy("/w"), 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
	zsim_test_shutdown_clean();
}

/* Writeback of the memcg's entries; then c->val[0] = 1. */
static int writeback_task(void *arg)
{
	struct ctx *c = arg;
	int i;

	for (i = 0; i < 4; i++)
		shrink_slab(GFP_KERNEL, 0, c->memcg, 0);
	WRITE_ONCE(c->val[0], 1);
	return 0;
}

/*
 * munmap of the last pte of page 0 while writeback_task() runs: as soon
 * as a folio is cached for the slot (writeback's), free_swap_and_cache():
 * the swap count goes, then the folio is freed if it can be. c->val[1] =
 * 1 if it could not (writeback held it, locked or under writeback).
 */
static int unmap_during_writeback_task(void *arg)
{
	struct ctx *c = arg;
	swp_entry_t entry = c->s[0].entry;
	struct folio *folio;
	bool done;

	for (;;) {
		done = READ_ONCE(c->val[0]);
		folio = swap_cache_get_folio(entry);
		if (folio || done)
			break;
		cond_resched();
	}
	swap_put_entries_direct(entry, 1);
	if (!folio)
		return 0;
	if (folio_trylock(folio)) {
		if (!folio_free_swap(folio))
			c->val[1] = 1;
		folio_unlock(folio);
	} else {
		c->val[1] = 1;
	}
	folio_put(folio);
	return 0;
}

/* The pages other than page 0 come back intact; their slots go. */
static int check_rest_task(void *arg)
{
	struct ctx *c = arg;
	int i;

	for (i = 1; i < c->n; i++)
		CHECK(swap_in_check(&c->s[i], true) == 0);
	return 0;
}

/*
 * c->val[2] = 1 if page 0's written-back folio is still cached, charged to
 * the memcg and on an LRU; c->val[3] = 1 if it is gone with its slot.
 */
static int leftover_task(void *arg)
{
	struct ctx *c = arg;
	struct folio *folio = swap_cache_get_folio(c->s[0].entry);

	if (folio) {
		c->val[2] = folio_memcg(folio) == c->memcg && folio_test_lru(folio);
		folio_put(folio);
	}
	c->val[3] = !folio && !swap_entry_swapped(swap_info[swp_type(c->s[0].entry)],
						     c->s[0].entry) &&
		    !atomic_long_read(&swap_info[swp_type(c->s[0].entry)]->inuse_pages);
	return 0;
}

/*
 * The last pte of a page unmapped while zswap writes it back: the
 * unmapping cannot free the folio (locked, or under writeback), which
 * stays in the swap cache, charged and on the memcg's LRU, for reclaim to
 * free, as in the kernel (memory.reclaim here). The folio used to stay
 * there for ever, on no LRU (race-fuzz: a slot and a page leaked at
 * shutdown, which zsim_test_shutdown_clean() reports). The slow device
 * (2 ms a page) keeps the window open in the free-running backend.
 */
static void test_writeback_unmapped(void **state)
{
	struct ctx c = { .n = 16 };
	struct zsim_task *wb, *unmap;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	zswap_test_boot(state, 2, 23, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 2000000) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "w"), 0);
	lookup(&c, "/w");
	RUN(store_many_task, &c);
	unmap = zsim_spawn(1, unmap_during_writeback_task, &c, "unmap");
	assert_non_null(unmap);
	wb = zsim_spawn(0, writeback_task, &c, "writeback");
	assert_non_null(wb);
	assert_int_equal(zsim_join(wb), 0);
	assert_int_equal(zsim_join(unmap), 0);
	assert_true(zswap_stat("written_back_pages") > 0);
	/*
	 * Free-running, the unmapping may come only after the write (a
	 * descheduled host thread): then it frees the folio itself.
	 */
	if (zsim_test_backend(state) == ZSIM_CONTROLLED)
		assert_int_equal(c.val[1], 1);
	RUN(check_rest_task, &c);
	RUN(leftover_task, &c);
	assert_int_equal(c.val[2], c.val[1]);
	assert_int_equal(c.val[3], !c.val[1]);
	if (c.val[1]) {
		assert_int_equal(zsim_memcg_write("/w", "memory.reclaim", "4K"), 0);
		RUN(leftover_task, &c);
		assert_int_equal(c.val[3], 1);
	}
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_memcg_destroy("/w"), 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
	zsim_test_shutdown_clean();
}

/*
 * The written-back folios of c->s[0..n): c->val[0] = how many are cached,
 * each charged to c->memcg, clean, unlocked and on its inactive list,
 * with the slot's record naming the memcg; c->val[1] = the memcg's
 * inactive list length (node 0).
 */
static int cached_task(void *arg)
{
	struct ctx *c = arg;
	struct folio *folio;
	int i;

	c->val[0] = 0;
	for (i = 0; i < c->n; i++) {
		CHECK(lookup_swap_cgroup_id(c->s[i].entry) == mem_cgroup_id(c->memcg));
		folio = swap_cache_get_folio(c->s[i].entry);
		if (!folio)
			continue;
		CHECK(folio_memcg(folio) == c->memcg);
		CHECK(folio_test_lru(folio) && !folio_test_active(folio));
		CHECK(!folio_test_locked(folio) && !folio_test_dirty(folio));
		CHECK(folio_test_uptodate(folio) && !folio_test_reclaim(folio));
		folio_put(folio);
		c->val[0]++;
	}
	c->val[1] = READ_ONCE(mem_cgroup_lruvec(c->memcg, NODE_DATA(0))->nr_pages[LRU_INACTIVE_ANON]);
	return 0;
}

static long memcg_num(const char *path, const char *file)
{
	char buf[32];

	if (zsim_memcg_read(path, file, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

/* After the slots' freeing: no record is left. */
static int records_cleared_task(void *arg)
{
	struct ctx *c = arg;
	int i;

	for (i = 0; i < c->n; i++)
		CHECK(lookup_swap_cgroup_id(c->s[i].entry) == 0);
	return 0;
}

/*
 * Writeback's folio is charged to the memcg the slot recorded at
 * swap-out and sits on its LRU; memory.reclaim frees it (memory.current
 * falls by a page each), leaving the slot to its "pte", whose swap-in
 * then reads the device. Freeing the slots clears the records.
 */
static void test_writeback_charged(void **state)
{
	struct ctx c = { .n = 8 };
	char bytes[32];
	long cur;
	int i;

	zswap_test_boot(state, 2, 26, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "w"), 0);
	lookup(&c, "/w");
	RUN(store_many_task, &c);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	for (i = 0; i < 4; i++)
		zsim_shrink_slab(0, "/w", 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
	assert_true(zswap_stat("written_back_pages") > 0);
	RUN(cached_task, &c);
	assert_int_equal(c.val[0], zswap_stat("written_back_pages"));
	assert_int_equal(c.val[1], c.val[0]);

	cur = memcg_num("/w", "memory.current");
	snprintf(bytes, sizeof(bytes), "%ld", c.val[0] * PAGE_SIZE);
	assert_int_equal(zsim_memcg_write("/w", "memory.reclaim", bytes), 0);
	assert_int_equal(memcg_num("/w", "memory.current"), cur - c.val[0] * PAGE_SIZE);
	RUN(cached_task, &c);
	assert_int_equal(c.val[0], 0);
	assert_int_equal(c.val[1], 0);
	assert_int_equal(vmstat_event("pswpin"), 0);

	RUN(check_many_task, &c);
	assert_int_equal(vmstat_event("pswpin"), zswap_stat("written_back_pages"));
	RUN(records_cleared_task, &c);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_memcg_destroy("/w"), 0);
	zsim_test_shutdown_clean();
}

/* Disabled shrinker, or a memcg without writeback: nothing written. */
static void test_writeback_shrinker_off(void **state)
{
	struct ctx c = { .n = 8 };
	int i;

	zswap_test_boot(state, 2, 24, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "w"), 0);
	lookup(&c, "/w");
	RUN(store_many_task, &c);
	for (i = 0; i < 4; i++)
		assert_int_equal(zsim_shrink_slab(0, "/w", 0), 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	assert_int_equal(zsim_memcg_write("/w", "memory.zswap.writeback", "0"), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(zsim_shrink_slab(0, "/w", 0), 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
	assert_int_equal(zswap_stat("written_back_pages"), 0);
	RUN(check_many_task, &c);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_memcg_destroy("/w"), 0);
	zsim_test_shutdown_clean();
}

/* The worker runs when a store hits the limit; it shrinks to the threshold. */
static int wait_worker_task(void *arg)
{
	struct ctx *c = arg;
	unsigned long thr = totalram_pages() / 100 * 90 / 100;
	int i;

	/*
	 * The worker gives up after MAX_RECLAIM_RETRIES failures (entries
	 * still referenced only rotate): each refused store queues it again.
	 */
	for (i = 0; i < 2000 && zswap_total_pages() > thr; i++) {
		if (c->n < ARRAY_SIZE(c->s)) {
			CHECK(swap_out(&c->s[c->n], 0, PAGE_RANDOM, 40 + c->n, c->memcg) == 0);
			c->n++;
		}
		msleep(1);
	}
	c->val[0] = zswap_total_pages() <= thr;
	return 0;
}

static void test_writeback_worker(void **state)
{
	struct ctx c = { .n = 48 };

	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "1"), 0);
	zswap_test_boot(state, 2, 25, 16 << 20, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "w"), 0);
	lookup(&c, "/w");
	c.val[5] = 1;	/* some stores are refused */
	c.val[6] = 1;	/* raw pages: one zsmalloc page each */
	RUN(store_many_task, &c);
	assert_true(zswap_stat("pool_limit_hit") >= 1);
	RUN(wait_worker_task, &c);
	assert_int_equal(c.val[0], 1);
	assert_true(zswap_stat("written_back_pages") > 0);
	RUN(check_many_task, &c);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "20"), 0);
	assert_int_equal(zsim_memcg_destroy("/w"), 0);
	zsim_test_shutdown_clean();
}

/* ---- compressors and pools ---- */

static int pool_exists(const char *name)
{
	FILE *null = fopen("/dev/null", "w");
	int ret = zsim_zsmalloc_dump(name, null, false);

	fclose(null);
	return ret == 0;
}

/* Pool releases: the percpu_ref switch (RCU), then the release work. */
static int flush_task(void *arg)
{
	rcu_barrier();
	flush_scheduled_work();
	return 0;
}

static void test_compressor_switch(void **state)
{
	struct ctx c = { .n = 1 };
	struct ctx d = { .n = 1 };
	char buf[64];

	zswap_test_boot(state, 2, 26, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	RUN(store_many_task, &c);		/* in zswap1, lz4 */
	assert_int_equal(zsim_param_set("zswap", "compressor", "zstd"), 0);
	assert_int_equal(zsim_param_get("zswap", "compressor", buf, sizeof(buf)) > 0, 1);
	assert_string_equal(buf, "zstd\n");
	RUN(store_many_task, &d);		/* in zswap2, zstd */
	assert_int_equal(pool_exists("zswap2"), 1);

	/* Unknown: refused, nothing changes. */
	assert_int_equal(zsim_param_set("zswap", "compressor", "nosuch"), -ENOENT);
	assert_int_equal(zsim_param_get("zswap", "compressor", buf, sizeof(buf)) > 0, 1);
	assert_string_equal(buf, "zstd\n");

	/* Back to lz4: zswap1 still holds an entry, so it is revived. */
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
	assert_int_equal(pool_exists("zswap3"), 0);
	RUN(check_many_task, &c);
	RUN(check_many_task, &d);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	/* zswap2 lost its last entry: released after a grace period. */
	RUN(flush_task, NULL);
	assert_int_equal(pool_exists("zswap2"), 0);
	assert_int_equal(pool_exists("zswap1"), 1);
	zsim_test_shutdown_clean();
}

/* ---- swapoff ---- */

static void test_swapoff(void **state)
{
	struct ctx c = { .n = 8 };
	int type;

	zswap_test_boot(state, 2, 27, 0, "pool");
	type = zsim_swapon(NR_SLOTS, NULL, 0, 0);
	assert_true(type >= 0);
	RUN(store_many_task, &c);
	assert_int_equal(zsim_swapoff(type), -EBUSY);
	RUN(check_many_task, &c);
	assert_int_equal(zsim_swapoff(type), 0);
	/* A new device of several trees (64 MiB each) comes and goes. */
	type = zsim_swapon(3 * 16384 + 5, NULL, 0, 0);
	assert_true(type >= 0);
	RUN(store_many_task, &c);
	RUN(check_many_task, &c);
	assert_int_equal(zsim_swapoff(type), 0);
	zsim_test_shutdown_clean();
}

/* Entries of a device left on at machine stop are freed without reports. */
static void test_teardown_with_entries(void **state)
{
	struct ctx c = { .n = 4 };
	unsigned long reports;

	zswap_test_boot(state, 2, 28, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	RUN(store_many_task, &c);
	reports = zsim_machine_stop();
	/* The swap slots still in use are the only leak reported. */
	assert_int_equal(reports, 1);
}

/* ---- batching: a compressor of batch size 8 (the IAA model) ---- */

static int batch_task(void *arg)
{
	struct ctx *c = arg;
	struct swapped s;

	CHECK(swap_out(&s, 4, PAGE_MIXED, 90, NULL) == 0);
	CHECK(s.stored);
	c->val[0] = atomic_long_read(&zswap_stored_pages);
	c->val[1] = zswap_stat("stored_incompressible_pages");
	CHECK(swap_in_check(&s, true) == 0);
	CHECK(zswap_stat("decompress_fail") == 0);
	CHECK(atomic_long_read(&zswap_stored_pages) == 0);
	return 0;
}

static void test_batching_iaa(void **state)
{
	struct ctx c = { };
	u64 bytes;

	assert_int_equal(zsim_param_set("zswap", "compressor", "deflate-iaa"), 0);
	zswap_test_boot(state, 2, 29, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	/* Eight buffers of a page per CPU (test_max_compr_batch_size: exactly). */
	bytes = zswap_stat("acomp_ctx_bytes");
	assert_true(bytes >= 2 * 8 * 4096);
	RUN(batch_task, &c);
	assert_int_equal(c.val[0], 16);
	assert_int_equal(c.val[1], 3);	/* pages 3, 8 and 13 */
	assert_int_equal(vmstat_event("zswpout"), 16);
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
}

/*
 * Writeback disabled, a batch of eight incompressible pages: as the series'
 * zswap_compress(), the request fails before any unit gets an object and
 * each failed unit counts (the IAA model fails each with -E2BIG, a
 * compress failure); nothing is left in zsmalloc.
 */
static int batch_reject_task(void *arg)
{
	struct ctx *c = arg;
	struct mem_cgroup *nowb = mem_cgroup_lookup("/nowb");
	struct swapped s;

	CHECK(!IS_ERR(nowb));
	CHECK(swap_out(&s, 3, PAGE_RANDOM, 11, nowb) == 0);
	mem_cgroup_put(nowb);
	c->val[0] = s.stored;
	c->val[1] = zswap_stat("reject_compress_fail");
	c->val[2] = zswap_stat("reject_compress_poor");
	c->val[3] = zswap_stat("reject_alloc_fail");
	c->val[4] = zswap_stat("pool_total_size");
	CHECK(swap_in_check(&s, true) == 0);
	return 0;
}

static void test_batch_reject_counts_units(void **state)
{
	struct ctx c = { };

	assert_int_equal(zsim_param_set("zswap", "compressor", "deflate-iaa"), 0);
	nowb_boot(state, 30);
	RUN(batch_reject_task, &c);
	assert_int_equal(c.val[0], 0);
	assert_int_equal(c.val[1], 8);
	assert_int_equal(c.val[2], 0);
	assert_int_equal(c.val[3], 0);
	assert_int_equal(c.val[4], 0);
	assert_int_equal(zsim_memcg_destroy("/nowb"), 0);
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
}

/*
 * zswap.max_compr_batch_size (simulator): 1 makes a batching compressor
 * run one page per request, as mainline's zswap_compress(): one buffer
 * per CPU instead of eight, and in virtual time a store of sixteen pages
 * costs sixteen full IAA latencies instead of two batches'. Bad values
 * are refused. Controlled backend: the clocks are the model's alone.
 */
static int timed_store_task(void *arg)
{
	struct ctx *c = arg;
	struct swapped s;
	u64 t0 = sched_task_clock_ns(current);

	CHECK(swap_out(&s, 4, PAGE_MIXED, 90, NULL) == 0);
	c->val[0] = sched_task_clock_ns(current) - t0;
	CHECK(s.stored);
	CHECK(swap_in_check(&s, true) == 0);
	return 0;
}

static void batch_limit_run(void **state, const char *limit, u64 *store_ns, u64 *ctx_bytes)
{
	struct ctx c = { };

	assert_int_equal(zsim_param_set("zswap", "max_compr_batch_size", limit), 0);
	assert_int_equal(zsim_param_set("zswap", "compressor", "deflate-iaa"), 0);
	zswap_test_boot(state, 2, 29, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	*ctx_bytes = zswap_stat("acomp_ctx_bytes");
	RUN(timed_store_task, &c);
	*store_ns = c.val[0];
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
	assert_int_equal(zsim_param_set("zswap", "max_compr_batch_size", "8"), 0);
}

static void test_max_compr_batch_size(void **state)
{
	u64 ns1, ns8, ns16, bytes1, bytes8, bytes16;
	char buf[16];

	assert_int_equal(zsim_param_set("zswap", "max_compr_batch_size", "0"), -EINVAL);
	assert_int_equal(zsim_param_set("zswap", "max_compr_batch_size", "x"), -EINVAL);
	assert_int_equal(zsim_param_get("zswap", "max_compr_batch_size", buf, sizeof(buf)) > 0, 1);
	assert_string_equal(buf, "8\n");
	batch_limit_run(state, "1", &ns1, &bytes1);
	batch_limit_run(state, "8", &ns8, &bytes8);
	/* Above ZSWAP_MAX_BATCH_SIZE: the same as 8. */
	batch_limit_run(state, "16", &ns16, &bytes16);
	assert_true(bytes1 < bytes8 && bytes1 >= 2 * 4096);
	/* Seven more units per CPU: a one-page buffer (as upstream) and its entry. */
	assert_int_equal(bytes8 - bytes1,
			 2 * 7 * (PAGE_SIZE + sizeof(u8 *) + sizeof(struct scatterlist)));
	assert_int_equal(bytes16, bytes8);
	assert_int_equal(ns16, ns8);
	/* Two engines per device, four jobs in flight: well over twice as fast. */
	assert_true(ns1 > 2 * ns8);
}

/*
 * IAA and objects that straddle two zsmalloc pages: zswap 7.0 hands the
 * driver the two-entry list of zs_obj_read_sg_begin(), which the IOMMU
 * maps as one segment; in IOMMU passthrough the driver refuses it (-EIO).
 */
#define NR_SPAN_PAGES	48

struct span_ctx {
	struct swapped s[NR_SPAN_PAGES];
	long loaded, failed;
	u64 decompress_fail;
};

static int span_task(void *arg)
{
	struct span_ctx *c = arg;
	int i, ret;

	/* Text of every seed compresses to a different size: many classes. */
	for (i = 0; i < NR_SPAN_PAGES; i++) {
		CHECK(swap_out(&c->s[i], 0, PAGE_TEXT, 300 + i, NULL) == 0);
		CHECK(c->s[i].stored);
	}
	for (i = 0; i < NR_SPAN_PAGES; i++) {
		struct folio *folio = anon_folio(0);

		folio_clear_uptodate(folio);
		CHECK(swap_cache_add_folio(folio, c->s[i].entry) == 0);
		ret = zswap_load(folio);
		CHECK(!folio_test_locked(folio));
		if (!ret) {
			CHECK(page_matches(folio_address(folio), PAGE_TEXT, 300 + i, 0));
			c->loaded++;
		} else {
			/* The entry stays; the slot's release frees it. */
			CHECK(ret == -EIO && !folio_test_uptodate(folio));
			c->failed++;
		}
		folio_lock(folio);
		swap_cache_del_folio(folio);
		release_folio(folio);
		swap_put_entries_direct(c->s[i].entry, 1);
	}
	CHECK(atomic_long_read(&zswap_stored_pages) == 0);
	c->decompress_fail = zswap_stat("decompress_fail");
	return 0;
}

static void span_run(void **state, const char *compressor, const char *passthrough,
		     struct span_ctx *c)
{
	assert_int_equal(zsim_param_set("iaa_model", "iommu_passthrough", passthrough), 0);
	assert_int_equal(zsim_param_set("zswap", "compressor", compressor), 0);
	zswap_test_boot(state, 2, 31, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	RUN(span_task, c);
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
	assert_int_equal(zsim_param_set("iaa_model", "iommu_passthrough", "0"), 0);
}

static void test_iaa_spanning(void **state)
{
	static const char *const algs[] = {
		"deflate-iaa", "deflate-iaa-canned", "deflate-iaa-dynamic",
	};
	struct span_ctx c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		memset(&c, 0, sizeof(c));
		span_run(state, algs[i], "0", &c);
		assert_int_equal(c.loaded, NR_SPAN_PAGES);
		assert_int_equal(c.decompress_fail, 0);
	}

	/* Passthrough: the same objects, the straddling ones unmerged. */
	memset(&c, 0, sizeof(c));
	span_run(state, "deflate-iaa", "1", &c);
	assert_true(c.failed > 0);
	assert_int_equal(c.loaded + c.failed, NR_SPAN_PAGES);
	assert_int_equal(c.decompress_fail, c.failed);
}

/* Swap-ins from the disk shield as many entries from the shrinker. */
static int disk_swapin_task(void *arg)
{
	struct ctx *c = arg;
	struct folio *folio = anon_folio(0);
	int i;

	CHECK(mem_cgroup_charge_folio(folio, c->memcg, GFP_KERNEL | __GFP_NOFAIL) == 0);
	for (i = 0; i < 100; i++)
		zswap_folio_swapin(folio);
	release_folio(folio);
	return 0;
}

static void test_disk_swapins(void **state)
{
	struct ctx c = { .n = 8 };
	int i;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	zswap_test_boot(state, 2, 30, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "d"), 0);
	lookup(&c, "/d");
	RUN(store_many_task, &c);
	RUN(disk_swapin_task, &c);
	/* 100 swap-ins against 8 entries: the count is 0 for 12 rounds. */
	for (i = 0; i < 4; i++)
		assert_int_equal(zsim_shrink_slab(0, "/d", 0), 0);
	assert_int_equal(zswap_stat("written_back_pages"), 0);
	RUN(check_many_task, &c);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_memcg_destroy("/d"), 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
	zsim_test_shutdown_clean();
}

/* ---- memory.zswap.writeback of the root, and while zswap is disabled ---- */

/*
 * A folio charged to the root has no objcg; the root's
 * memory.zswap.writeback 0 still keeps an incompressible page from being
 * stored raw (it could never leave zswap), as it does for any memcg.
 */
static int root_wb_task(void *arg)
{
	struct ctx *c = arg;
	int i;

	CHECK(swap_out(&c->s[0], 0, PAGE_RANDOM, 60, root_mem_cgroup) == 0);
	CHECK(swap_out(&c->s[1], 0, PAGE_TEXT, 61, root_mem_cgroup) == 0);
	CHECK(swap_out(&c->s[2], 0, PAGE_RANDOM, 62, c->memcg) == 0);
	for (i = 0; i < 3; i++) {
		c->val[i] = c->s[i].stored;
		CHECK(swap_in_check(&c->s[i], true) == 0);
	}
	c->val[3] = zswap_stat("stored_incompressible_pages");
	return 0;
}

static void test_root_writeback(void **state)
{
	struct ctx c = { };

	zswap_test_boot(state, 2, 60, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "c"), 0);
	lookup(&c, "/c");
	assert_int_equal(zsim_memcg_write("/", "memory.zswap.writeback", "0"), 0);
	RUN(root_wb_task, &c);
	assert_int_equal(c.val[0], 0);		/* root, incompressible: refused */
	assert_int_equal(c.val[1], 1);		/* root, compressible: stored */
	assert_int_equal(c.val[2], 0);		/* a child, under the root's 0 */
	assert_int_equal(zswap_stat("reject_compress_poor"), 2);
	assert_int_equal(vmstat_event("pswpout"), 2);
	/* Allowed again: the root's incompressible page is stored raw. */
	assert_int_equal(zsim_memcg_write("/", "memory.zswap.writeback", "1"), 0);
	RUN(root_wb_task, &c);
	assert_int_equal(c.val[0], 1);
	assert_int_equal(c.val[2], 1);
	assert_int_equal(zswap_stat("reject_compress_poor"), 2);
	assert_int_equal(vmstat_event("zswpout"), 4);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_memcg_destroy("/c"), 0);
	zsim_test_shutdown_clean();
}

/*
 * With zswap disabled at run time, memory.zswap.writeback 0 no longer
 * holds anything back (mem_cgroup_zswap_writeback_enabled() is true): the
 * shrinker writes the memcg's entries still in zswap back to the device.
 */
static void test_writeback_while_disabled(void **state)
{
	struct ctx c = { .n = 8 };
	long freed = 0;
	int i;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	zswap_test_boot(state, 2, 61, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "n"), 0);
	assert_int_equal(zsim_memcg_write("/n", "memory.zswap.writeback", "0"), 0);
	lookup(&c, "/n");
	RUN(store_many_task, &c);
	assert_int_equal(zsim_shrink_slab(0, "/n", 0), 0);
	assert_int_equal(zsim_param_set("zswap", "enabled", "N"), 0);
	for (i = 0; i < 4; i++)
		freed += zsim_shrink_slab(0, "/n", 0);
	assert_true(freed > 0);
	assert_int_equal(zswap_stat("written_back_pages"), freed);
	assert_int_equal(memcg_stat("/n", "zswpwb"), freed);
	RUN(check_many_task, &c);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_param_set("zswap", "enabled", "Y"), 0);
	assert_int_equal(zsim_memcg_destroy("/n"), 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
	zsim_test_shutdown_clean();
}

/* ---- stores over old entries, and zswap disabled at run time ---- */

/*
 * A folio stored again while its slots still hold entries (redirtied in
 * the swap cache) replaces them; a store that fails, or finds zswap
 * disabled, erases them (check_old), so that no stale copy is ever loaded
 * or written back over newer data.
 */
static int restore_task(void *arg)
{
	struct ctx *c = arg;
	struct folio *folio = anon_folio(2);
	unsigned int noreclaim;
	long i;

	for (i = 0; i < 4; i++)
		fill_page(folio_address(folio) + i * PAGE_SIZE, PAGE_TEXT, 70, i);
	CHECK(folio_alloc_swap(folio) == 0);
	CHECK(folio_dup_swap(folio, NULL) == 0);
	noreclaim = memalloc_noreclaim_save();
	CHECK(zswap_store(folio));
	CHECK(atomic_long_read(&zswap_stored_pages) == 4);
	/* Redirtied and stored again: the old entries are freed, not leaked. */
	for (i = 0; i < 4; i++)
		fill_page(folio_address(folio) + i * PAGE_SIZE, PAGE_TEXT, 71, i);
	CHECK(zswap_store(folio));
	CHECK(atomic_long_read(&zswap_stored_pages) == 4);
	c->val[0] = vmstat_event("zswpout");
	/* Fails at its third entry: the folio's whole range is erased. */
	CHECK(zsim_fault_set("kmem_cache:zswap_entry", 0, 0, 3) == 0);
	c->val[1] = zswap_store(folio);
	zsim_fault_clear_all();
	c->val[2] = atomic_long_read(&zswap_stored_pages);
	CHECK(zswap_store(folio));
	memalloc_noreclaim_restore(noreclaim);
	c->val[3] = atomic_long_read(&zswap_stored_pages);
	c->s[0].entry = folio->swap;
	c->s[0].order = 2;
	c->s[0].kind = PAGE_TEXT;
	c->s[0].seed = 71;
	/* The folio stays in the swap cache for the next task. */
	c->folio = folio;
	return 0;
}

static int disabled_store_task(void *arg)
{
	struct ctx *c = arg;
	struct folio *folio = c->folio;
	unsigned int noreclaim;

	noreclaim = memalloc_noreclaim_save();
	c->val[4] = zswap_store(folio);
	memalloc_noreclaim_restore(noreclaim);
	c->val[5] = atomic_long_read(&zswap_stored_pages);
	c->val[6] = vmstat_event("zswpout");
	swap_cache_del_folio(folio);
	release_folio(folio);
	c->folio = NULL;
	swap_put_entries_direct(c->s[0].entry, 4);
	return 0;
}

static void test_store_over_old(void **state)
{
	struct ctx c = { };

	zswap_test_boot(state, 2, 70, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	RUN(restore_task, &c);
	assert_int_equal(c.val[0], 8);
	assert_int_equal(c.val[1], 0);
	assert_int_equal(c.val[2], 0);
	assert_int_equal(zswap_stat("reject_kmemcache_fail"), 1);
	assert_int_equal(c.val[3], 4);
	/* Disabled at run time: refused, and the old entries go. */
	assert_int_equal(zsim_param_set("zswap", "enabled", "N"), 0);
	RUN(disabled_store_task, &c);
	assert_int_equal(zsim_param_set("zswap", "enabled", "Y"), 0);
	assert_int_equal(c.val[4], 0);
	assert_int_equal(c.val[5], 0);
	assert_int_equal(c.val[6], 12);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	zsim_test_shutdown_clean();
}

/*
 * Upstream's behaviour, kept (a bug of 7.0's with CONFIG_ZSWAP_DEFAULT_ON
 * off): zswap_ever_enabled is turned on only where zswap_setup() creates
 * its first pool. When that pool fails and a compressor write creates one
 * later, enabling succeeds and zswap_store() takes pages, but
 * zswap_load() still returns -ENOENT without looking: swap-in would read a
 * device slot that was never written.
 */
static int never_enabled_task(void *arg)
{
	struct ctx *c = arg;
	struct folio *folio = anon_folio(0);
	unsigned int noreclaim;

	fill_page(folio_address(folio), PAGE_TEXT, 72, 0);
	CHECK(folio_alloc_swap(folio) == 0);
	CHECK(folio_dup_swap(folio, NULL) == 0);
	c->val[0] = zswap_never_enabled();
	noreclaim = memalloc_noreclaim_save();
	c->val[1] = zswap_store(folio);
	memalloc_noreclaim_restore(noreclaim);
	c->val[2] = atomic_long_read(&zswap_stored_pages);
	c->val[3] = zswap_load(folio);
	c->val[4] = folio_test_locked(folio);
	c->val[5] = atomic_long_read(&zswap_stored_pages);
	c->s[0].entry = folio->swap;
	swap_cache_del_folio(folio);
	release_folio(folio);
	/* The slot's freeing invalidates the entry zswap never gave back. */
	swap_put_entries_direct(c->s[0].entry, 1);
	c->val[6] = atomic_long_read(&zswap_stored_pages);
	return 0;
}

static void test_enabled_after_failed_pool(void **state)
{
	struct ctx c = { };
	char *msg;
	FILE *f;
	int fd;

	if (IS_ENABLED(CONFIG_ZSWAP_DEFAULT_ON))
		skip();	/* the key is on from boot */
	assert_int_equal(zsim_param_set("zswap", "enabled", "N"), 0);
	zsim_test_boot(state, 2, 72);
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	/* Setup runs, its pool's per-CPU contexts cannot be allocated. */
	assert_int_equal(zsim_fault_set("percpu", 0, 0, 1), 0);
	f = zsim_test_stderr_begin(&fd);
	assert_int_equal(zsim_param_set("zswap", "enabled", "Y"), -ENODEV);
	msg = zsim_test_stderr_end(f, fd);
	zsim_fault_clear_all();
	assert_non_null(strstr(msg, "can't enable, no pool configured"));
	free(msg);
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
	assert_int_equal(zsim_param_set("zswap", "enabled", "Y"), 0);
	RUN(never_enabled_task, &c);
	assert_int_equal(c.val[0], 1);
	assert_int_equal(c.val[1], 1);
	assert_int_equal(c.val[2], 1);
	assert_int_equal(c.val[3], -ENOENT);
	assert_int_equal(c.val[4], 1);
	assert_int_equal(c.val[5], 1);
	assert_int_equal(c.val[6], 0);
	zsim_test_shutdown_clean();
}

/* ---- writeback meeting a folio in the swap cache ---- */

/*
 * The oldest entry's slot has a folio in the swap cache (a swap-in in
 * progress): its writeback fails with -EEXIST (reject_reclaim_fail) and
 * the shrinker stops there (LRU_STOP, the warm end of the LRU), writing
 * nothing else back in that pass. Once the folio is gone, the pass goes on.
 */
static int cache_folio_task(void *arg)
{
	struct ctx *c = arg;
	struct folio *folio = c->folio;

	if (folio) {
		folio_lock(folio);
		swap_cache_del_folio(folio);
		release_folio(folio);
		c->folio = NULL;
		return 0;
	}
	folio = anon_folio(0);
	folio_clear_uptodate(folio);
	CHECK(swap_cache_add_folio(folio, c->s[0].entry) == 0);
	folio_unlock(folio);
	c->folio = folio;
	return 0;
}

static void test_writeback_eexist(void **state)
{
	struct ctx c = { .n = 8 };
	long freed;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	zswap_test_boot(state, 2, 72, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "w"), 0);
	lookup(&c, "/w");
	c.val[6] = 1;	/* raw pages: the count is the LRU length */
	RUN(store_many_task, &c);
	RUN(cache_folio_task, &c);
	/* Second chances, then the oldest entry: -EEXIST, and the walk stops. */
	assert_int_equal(zsim_shrink_slab(0, "/w", 0), 0);
	assert_int_equal(zswap_stat("reject_reclaim_fail"), 1);
	assert_int_equal(zswap_stat("written_back_pages"), 0);
	assert_int_equal(zswap_stat("stored_pages"), 8);
	RUN(cache_folio_task, &c);
	/* It was rotated to the tail: the others go first, then it. */
	freed = zsim_shrink_slab(0, "/w", 0);
	assert_int_equal(freed, 8);
	assert_int_equal(zswap_stat("reject_reclaim_fail"), 1);
	assert_int_equal(zswap_stat("written_back_pages"), 8);
	RUN(check_many_task, &c);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_memcg_destroy("/w"), 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
	zsim_test_shutdown_clean();
}

/*
 * The shrink worker gives up after MAX_RECLAIM_RETRIES (16) failed
 * shrinks: every entry's slot has a folio in the swap cache, so each
 * writeback fails with -EEXIST (reject_reclaim_fail), which does not stop
 * the worker the way it stops the shrinker. One run: exactly 16 failures.
 */
static int cache_folios_task(void *arg)
{
	struct ctx *c = arg;
	static struct folio *cached[64];
	int i;

	for (i = 0; i < c->n; i++) {
		if (cached[i]) {
			folio_lock(cached[i]);
			swap_cache_del_folio(cached[i]);
			release_folio(cached[i]);
			cached[i] = NULL;
			continue;
		}
		cached[i] = anon_folio(0);
		folio_clear_uptodate(cached[i]);
		CHECK(swap_cache_add_folio(cached[i], c->s[i].entry) == 0);
		folio_unlock(cached[i]);
	}
	return 0;
}

static int worker_retries_task(void *arg)
{
	struct ctx *c = arg;
	struct swapped probe;
	int i;

	/* Refused at the limit: queues the worker. */
	CHECK(swap_out(&probe, 0, PAGE_RANDOM, 900, c->memcg) == 0);
	c->val[0] = probe.stored;
	for (i = 0; i < 2000 && zswap_stat("reject_reclaim_fail") < 17; i++)
		msleep(1);
	/* Time for more, if it did not stop. */
	msleep(50);
	c->val[1] = zswap_stat("reject_reclaim_fail");
	CHECK(swap_in_check(&probe, true) == 0);
	return 0;
}

static void test_shrink_worker_retries(void **state)
{
	struct ctx c = { .n = 24 };

	zswap_test_boot(state, 2, 76, 16 << 20, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "w"), 0);
	lookup(&c, "/w");
	c.val[6] = 1;
	RUN(store_many_task, &c);
	RUN(cache_folios_task, &c);
	/* One shrinker pass clears the second chances and stops at -EEXIST. */
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	assert_int_equal(zsim_shrink_slab(0, "/w", 0), 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
	assert_int_equal(zswap_stat("reject_reclaim_fail"), 1);
	/* Over the limit now, with an accept threshold of nothing. */
	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "0"), 0);
	RUN(worker_retries_task, &c);
	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "20"), 0);
	assert_int_equal(c.val[0], 0);
	assert_int_equal(c.val[1], 1 + 16);
	assert_int_equal(zswap_stat("written_back_pages"), 0);
	assert_int_equal(zswap_stat("stored_pages"), 24);
	RUN(cache_folios_task, &c);
	RUN(check_many_task, &c);
	RUN(put_memcg_task, &c);
	assert_int_equal(zsim_memcg_destroy("/w"), 0);
	zsim_test_shutdown_clean();
}

/*
 * The shrink worker's cursor and an offline memcg. Four memcgs, iterated
 * root, /a, /b, /c, /f; one raw page (one zsmalloc page) each in /a, /b,
 * /c and seven in /f: the pool is at its limit, 10 pages (1% of 1024),
 * and the accept threshold is 9, so each worker run writes back exactly
 * one entry. The first run gives /a, /b, /c and /f their second chances,
 * then writes /a's entry and stops with the cursor on /a. Taking /a
 * offline moves the cursor on to /b, so the second run starts after /b
 * and writes /c's entry back: /b keeps its own. (A cursor left on the
 * offline /a would have the run start at /b.)
 */
#define CURSOR_MEMCGS	4

struct cursor_ctx {
	const char *path[CURSOR_MEMCGS];
	struct mem_cgroup *memcg[CURSOR_MEMCGS];
	struct swapped s[16];
	int n;
	long written;		/* written_back_pages after the run */
};

static int cursor_lookup_task(void *arg)
{
	struct cursor_ctx *c = arg;
	int i;

	/* 1% of the RAM is the 10-page pool the comment above counts on. */
	CHECK(totalram_pages() / 100 == 10);
	for (i = 0; i < CURSOR_MEMCGS; i++) {
		c->memcg[i] = mem_cgroup_lookup(c->path[i]);
		CHECK(!IS_ERR(c->memcg[i]));
	}
	return 0;
}

static int cursor_put_task(void *arg)
{
	struct cursor_ctx *c = arg;
	int i;

	for (i = 0; i < CURSOR_MEMCGS; i++)
		mem_cgroup_put(c->memcg[i]);
	return 0;
}

static int cursor_put_a_task(void *arg)
{
	struct cursor_ctx *c = arg;

	mem_cgroup_put(c->memcg[0]);
	c->memcg[0] = NULL;
	return 0;
}

/* A raw page of memcg @i, stored (or refused at the limit if !@fits). */
static int cursor_store(struct cursor_ctx *c, int i, bool fits)
{
	struct swapped *s = &c->s[c->n++];

	CHECK(swap_out(s, 0, PAGE_RANDOM, 70 + c->n, c->memcg[i]) == 0);
	CHECK(s->stored == fits);
	return 0;
}

/* Over the limit: the refused store queues the worker; wait for its one writeback. */
static int cursor_run_worker(struct cursor_ctx *c)
{
	u64 before = zswap_stat("written_back_pages");
	int i;

	CHECK(cursor_store(c, 3, false) == 0);
	for (i = 0; i < 2000 && zswap_stat("written_back_pages") == before; i++)
		msleep(1);
	/* Time for more, if the run did not stop at the threshold. */
	msleep(50);
	c->written = zswap_stat("written_back_pages") - before;
	return 0;
}

static int cursor_fill_task(void *arg)
{
	struct cursor_ctx *c = arg;
	int i;

	for (i = 0; i < 3; i++)
		CHECK(cursor_store(c, i, true) == 0);
	for (i = 0; i < 7; i++)
		CHECK(cursor_store(c, 3, true) == 0);
	return cursor_run_worker(c);
}

static int cursor_refill_task(void *arg)
{
	struct cursor_ctx *c = arg;

	/* Back under the threshold: one more fits, the next one does not. */
	CHECK(cursor_store(c, 3, true) == 0);
	return cursor_run_worker(c);
}

static int cursor_check_task(void *arg)
{
	struct cursor_ctx *c = arg;
	int i;

	for (i = 0; i < c->n; i++)
		CHECK(swap_in_check(&c->s[i], true) == 0);
	return 0;
}

static void test_shrink_worker_cursor_offline(void **state)
{
	struct cursor_ctx c = { .path = { "/a", "/b", "/c", "/f" } };
	int i;

	zswap_test_boot(state, 2, 77, 4 << 20, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	for (i = 0; i < CURSOR_MEMCGS; i++)
		assert_int_equal(zsim_memcg_create(NULL, c.path[i] + 1), 0);
	RUN(cursor_lookup_task, &c);
	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "1"), 0);

	RUN(cursor_fill_task, &c);
	assert_int_equal(c.written, 1);
	assert_int_equal(memcg_stat("/a", "zswpwb"), 1);

	RUN(cursor_put_a_task, &c);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	RUN(cursor_refill_task, &c);
	assert_int_equal(c.written, 1);
	assert_int_equal(memcg_stat("/b", "zswpwb"), 0);
	assert_int_equal(memcg_stat("/c", "zswpwb"), 1);
	assert_int_equal(memcg_stat("/f", "zswpwb"), 0);
	assert_int_equal(zswap_stat("pool_limit_hit"), 2);

	assert_int_equal(zsim_param_set("zswap", "max_pool_percent", "20"), 0);
	RUN(cursor_check_task, &c);
	RUN(cursor_put_task, &c);
	for (i = 1; i < CURSOR_MEMCGS; i++)
		assert_int_equal(zsim_memcg_destroy(c.path[i]), 0);
	zsim_test_shutdown_clean();
}

/* ---- the shrinker's count, scaled by the compression ratio ---- */

/*
 * count = LRU length * (MEMCG_ZSWAP_B >> PAGE_SHIFT) / MEMCG_ZSWAPPED. A
 * pass at priority 0 scans twice the count: eight raw pages (ratio 1) are
 * all given their second chance and written back in one pass; eight pages
 * compressed to under half a page count as at most three, so the first
 * pass only gets through six second chances and writes nothing back, and
 * the last entries, less than a page of zsmalloc memory, count as none.
 */
static void test_shrinker_ratio(void **state)
{
	int raw;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	for (raw = 0; raw <= 1; raw++) {
		struct ctx c = { .n = 8 };
		unsigned long bytes;
		long freed, total = 0;
		int i;

		zswap_test_boot(state, 2, 74 + raw, 0, "pool");
		assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
		assert_int_equal(zsim_memcg_create(NULL, "r"), 0);
		lookup(&c, "/r");
		c.val[6] = raw;
		RUN(store_many_task, &c);
		bytes = memcg_stat("/r", "zswap");
		assert_int_equal(memcg_stat("/r", "zswapped"), 8 * 4096);
		if (raw)
			assert_int_equal(bytes, 8 * 4096);
		else
			assert_true(bytes < 8 * 4096 / 2);
		freed = zsim_shrink_slab(0, "/r", 0);
		assert_int_equal(freed, raw ? 8 : 0);
		total = freed;
		/* Each later pass writes back at most twice the scaled count. */
		for (i = 0; i < 16 && total < 8; i++) {
			unsigned long count = (8 - total) * (memcg_stat("/r", "zswap") >> 12) /
					      (memcg_stat("/r", "zswapped") >> 12);

			freed = zsim_shrink_slab(0, "/r", 0);
			assert_true(freed <= 2 * (long)count);
			total += freed;
		}
		if (raw) {
			assert_int_equal(total, 8);
		} else {
			/* The last few, less than a page together, count as 0. */
			assert_true(total > 0 && total < 8);
			assert_true(memcg_stat("/r", "zswap") < 4096);
			assert_int_equal(zsim_shrink_slab(0, "/r", 0), 0);
		}
		RUN(check_many_task, &c);
		RUN(put_memcg_task, &c);
		assert_int_equal(zsim_memcg_destroy("/r"), 0);
		zsim_test_shutdown_clean();
	}
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_round_trip),
		ZSIM_TEST_BOTH(test_load_errors),
		ZSIM_TEST_BOTH(test_incompressible),
		ZSIM_TEST_FREE(test_reject_counters),
		ZSIM_TEST_BOTH(test_decompress_fail),
		ZSIM_TEST_BOTH(test_limit_hysteresis),
		ZSIM_TEST_BOTH(test_accept_threshold),
		ZSIM_TEST_BOTH(test_memcg),
		ZSIM_TEST_BOTH(test_writeback_shrinker),
		ZSIM_TEST_BOTH(test_writeback_unmapped),
		ZSIM_TEST_FREE(test_writeback_charged),
		ZSIM_TEST_BOTH(test_writeback_shrinker_off),
		ZSIM_TEST_BOTH(test_writeback_worker),
		ZSIM_TEST_BOTH(test_compressor_switch),
		ZSIM_TEST_BOTH(test_swapoff),
		ZSIM_TEST_FREE(test_teardown_with_entries),
		ZSIM_TEST_BOTH(test_batching_iaa),
		ZSIM_TEST_BOTH(test_batch_reject_counts_units),
		ZSIM_TEST_BOTH(test_enabled_after_failed_pool),
		ZSIM_TEST_CONTROLLED(test_max_compr_batch_size),
		ZSIM_TEST_BOTH(test_iaa_spanning),
		ZSIM_TEST_BOTH(test_disk_swapins),
		ZSIM_TEST_BOTH(test_root_writeback),
		ZSIM_TEST_BOTH(test_writeback_while_disabled),
		ZSIM_TEST_BOTH(test_store_over_old),
		ZSIM_TEST_BOTH(test_writeback_eexist),
		ZSIM_TEST_BOTH(test_shrinker_ratio),
		ZSIM_TEST_BOTH(test_shrink_worker_retries),
		ZSIM_TEST_BOTH(test_shrink_worker_cursor_offline),
	};

	return cmocka_run_group_tests_name("zswap", tests, NULL, NULL);
}
