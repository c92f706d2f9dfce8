// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap (src/zswap/zswap.c), driven directly from simulated tasks: store,
 * load and invalidate round trips for small and large folios, incompressible
 * pages, every reject counter, the pool limit's hysteresis, memory.zswap.max,
 * writeback through the shrinker and the shrink worker, compressor switches
 * with pool revival, swapoff, and the teardown of everything at machine stop.
 * Hotplug and fault-injection sweeps are in test_zswap_stress.c.
 */
#include "zswap_test.h"

#include <linux/rcupdate.h>
#include <linux/workqueue.h>

#define NR_SLOTS	4096

struct ctx {
	struct mem_cgroup *memcg;
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

static void test_incompressible(void **state)
{
	struct ctx c = { };

	zswap_test_boot(state, 2, 3, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "nowb"), 0);
	assert_int_equal(zsim_memcg_write("/nowb", "memory.zswap.writeback", "0"), 0);
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
	unsigned long max = totalram_pages() / 100, thr = max * 90 / 100;
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
	/*
	 * Not loaded back: an object that straddles two zsmalloc pages is a
	 * two-entry source list, which the IAA model's driver refuses with
	 * -EIO (the kernel's dma_map_sg() merges it under an IOMMU). Freed
	 * through the slots instead.
	 */
	swap_put_entries_direct(s.entry, 16);
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
	/* Eight buffers of two pages per CPU. */
	bytes = zswap_stat("acomp_ctx_bytes");
	assert_true(bytes >= 2 * 8 * 8192);
	RUN(batch_task, &c);
	assert_int_equal(c.val[0], 16);
	assert_int_equal(c.val[1], 3);	/* pages 3, 8 and 13 */
	assert_int_equal(vmstat_event("zswpout"), 16);
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_round_trip),
		ZSIM_TEST_BOTH(test_load_errors),
		ZSIM_TEST_BOTH(test_incompressible),
		ZSIM_TEST_FREE(test_reject_counters),
		ZSIM_TEST_BOTH(test_decompress_fail),
		ZSIM_TEST_BOTH(test_limit_hysteresis),
		ZSIM_TEST_BOTH(test_memcg),
		ZSIM_TEST_BOTH(test_writeback_shrinker),
		ZSIM_TEST_BOTH(test_writeback_shrinker_off),
		ZSIM_TEST_BOTH(test_writeback_worker),
		ZSIM_TEST_BOTH(test_compressor_switch),
		ZSIM_TEST_BOTH(test_swapoff),
		ZSIM_TEST_FREE(test_teardown_with_entries),
		ZSIM_TEST_BOTH(test_batching_iaa),
		ZSIM_TEST_BOTH(test_disk_swapins),
	};

	return cmocka_run_group_tests_name("zswap", tests, NULL, NULL);
}
