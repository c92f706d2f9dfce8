// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap under CPU hotplug and fault injection:
 * - both lifetime models of the per-CPU compression contexts ("pool" and
 *   "hotplug") with CPUs going down and up while tasks store and load, in
 *   the controlled backend over many seeds and once free-running; every
 *   page loaded is compared with what was stored, and the per-CPU memory
 *   follows the model (kept across offline in "pool", freed in "hotplug");
 * - every allocation site reachable from store, load and writeback (and
 *   the compressor's faults), each failing in turn at its 1st, 2nd, ...
 *   call: no crash, no leak, each page stored or refused (then written to
 *   the device) and never lost, the counters back to zero.
 */
#include "zswap_test.h"

#include <linux/cpu.h>
#include <linux/rcupdate.h>
#include <linux/shrinker.h>
#include <linux/workqueue.h>

#define NR_SLOTS	1024

/* ---- hotplug ---- */

struct worker {
	u32 seed;
	int rounds;
};

/* Store and load folios of orders 0 and 2, checking every page. */
static int hotplug_worker(void *arg)
{
	struct worker *w = arg;
	struct swapped s;
	int i;

	for (i = 0; i < w->rounds; i++) {
		CHECK(swap_out(&s, (i & 1) ? 2 : 0, PAGE_TEXT, w->seed + i, NULL) == 0);
		CHECK(swap_in_check(&s, true) == 0);
	}
	return 0;
}

static void hotplug_run(void **state, const char *lifetime, u64 seed, int rounds)
{
	struct worker w[2] = { { 1000, rounds }, { 2000, rounds } };
	struct zsim_task *t[2];
	int i;

	zswap_test_boot(state, 4, seed, 0, lifetime);
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	t[0] = zsim_spawn(1, hotplug_worker, &w[0], "zswap-a");
	t[1] = zsim_spawn(2, hotplug_worker, &w[1], "zswap-b");
	assert_non_null(t[0]);
	assert_non_null(t[1]);
	for (i = 0; i < 2; i++) {
		assert_int_equal(zsim_cpu_down(1 + i), 0);
		assert_int_equal(zsim_cpu_up(1 + i), 0);
	}
	assert_int_equal(zsim_join(t[0]), 0);
	assert_int_equal(zsim_join(t[1]), 0);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	zsim_test_shutdown_clean();
}

static void test_hotplug_pool_seeds(void **state)
{
	u64 seed;

	for (seed = 1; seed <= 12; seed++)
		hotplug_run(state, "pool", seed, 6);
}

static void test_hotplug_hotplug_seeds(void **state)
{
	u64 seed;

	for (seed = 1; seed <= 12; seed++)
		hotplug_run(state, "hotplug", seed, 6);
}

static void test_hotplug_free(void **state)
{
	hotplug_run(state, "pool", 7, 20);
	hotplug_run(state, "hotplug", 7, 20);
}

/* What each model keeps for an offline CPU. */
static void ctx_memory(void **state, const char *lifetime, bool kept)
{
	u64 all, down;

	zswap_test_boot(state, 4, 3, 0, lifetime);
	all = zswap_stat("acomp_ctx_bytes");
	/*
	 * lz4: per CPU one buffer of one page (as upstream; two before v13),
	 * its list entry and the request, a few hundred bytes.
	 */
	assert_true(all >= 4 * 4096 && all < 4 * 8192);
	assert_int_equal(zsim_cpu_down(3), 0);
	down = zswap_stat("acomp_ctx_bytes");
	if (kept)
		assert_int_equal(down, all);
	else
		assert_int_equal(down, all / 4 * 3);
	assert_int_equal(zsim_cpu_up(3), 0);
	assert_int_equal(zswap_stat("acomp_ctx_bytes"), all);
	zsim_test_shutdown_clean();
}

static void test_ctx_memory(void **state)
{
	ctx_memory(state, "pool", true);
	ctx_memory(state, "hotplug", false);
	assert_int_equal(zsim_param_set("zswap", "ctx_lifetime", "pool"), 0);
	assert_int_equal(zsim_param_set("zswap", "ctx_lifetime", "sometimes"), -EINVAL);
}

/* ---- fault sweep ---- */

static const char *const fault_sites[] = {
	"kmem_cache:zswap_entry",
	"kmem_cache:radix_tree_node",
	"kmalloc",
	"zs_zspage",
	"zs_page",
	"zs_handle",
	"alloc_pages",
	"acomp_compress",
	"acomp_decompress",
};

struct sweep {
	long stored_after;	/* zswap_stored_pages after the stores */
	long expected;		/* pages the stores reported stored */
};

/*
 * Swap out three folios (orders 0, 2, 0; text and random), write some
 * back through the shrinker, swap everything in and drop the slots.
 */
static int sweep_task(void *arg)
{
	struct sweep *sw = arg;
	struct swapped s[3];
	unsigned int order[3] = { 0, 2, 0 };
	enum page_kind kind[3] = { PAGE_TEXT, PAGE_TEXT, PAGE_RANDOM };
	int i;

	sw->expected = 0;
	for (i = 0; i < 3; i++) {
		CHECK(swap_out(&s[i], order[i], kind[i], 50 + i, NULL) == 0);
		if (s[i].stored)
			sw->expected += 1L << order[i];
	}
	sw->stored_after = atomic_long_read(&zswap_stored_pages);
	for (i = 0; i < 3; i++)
		shrink_slab(GFP_KERNEL, 0, NULL, 0);
	for (i = 0; i < 3; i++)
		CHECK(swap_in_check(&s[i], true) == 0);
	CHECK(atomic_long_read(&zswap_stored_pages) == 0);
	CHECK(zswap_total_pages() == 0 || zswap_total_pages() < 4);
	return 0;
}

static void test_fault_sweep(void **state)
{
	unsigned int i;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	for (i = 0; i < ARRAY_SIZE(fault_sites); i++) {
		const char *site = fault_sites[i];
		unsigned long nth;

		zswap_test_boot(state, 2, 40 + i, 0, "pool");
		assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
		for (nth = 1; nth <= 40; nth++) {
			struct sweep sw = { };

			assert_int_equal(zsim_fault_set(site, 0, 0, nth), 0);
			if (zsim_run(0, sweep_task, &sw))
				fail_msg("site %s failing at call %lu", site, nth);
			assert_int_equal(sw.stored_after, sw.expected);
			if (!zsim_fault_injected(site))
				break;
		}
		zsim_fault_clear_all();
		assert_int_equal(zswap_stat("stored_pages"), 0);
		assert_int_equal(zswap_stat("stored_incompressible_pages"), 0);
		zsim_test_shutdown_clean();
	}
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
}

/* The pool's setup fails at each allocation in turn: zswap stays usable or off. */
static int switch_task(void *arg)
{
	struct swapped s;

	CHECK(swap_out(&s, 0, PAGE_TEXT, 60, NULL) == 0);
	CHECK(swap_in_check(&s, true) == 0);
	return 0;
}

static void test_pool_create_faults(void **state)
{
	static const char *const sites[] = { "kmalloc", "percpu", "kmem_cache_alloc" };
	unsigned int i;

	for (i = 0; i < 2 * ARRAY_SIZE(sites); i++) {
		const char *lifetime = i & 1 ? "hotplug" : "pool";
		unsigned long nth;

		zswap_test_boot(state, 4, 70 + i, 0, lifetime);
		assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
		for (nth = 1; nth <= 30; nth++) {
			int ret;

			assert_int_equal(zsim_fault_set(sites[i / 2], 0, 0, nth), 0);
			ret = zsim_param_set("zswap", "compressor", nth & 1 ? "zstd" : "lz4");
			zsim_fault_clear_all();
			assert_true(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
			RUN(switch_task, NULL);
		}
		assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
		zsim_test_shutdown_clean();
	}
}

/*
 * A pool's batch size is fixed when it is created: raising
 * zswap.max_compr_batch_size afterwards changes nothing for the CPUs it
 * prepares later (a CPU coming back in the hotplug model, one that was
 * offline at the pool's creation in the pool model), so every CPU holds
 * as many buffers as a batch fills. Prepared from the raised value, such a
 * CPU made the pool's batch 8 while the others held one buffer, and the
 * next store on them wrote past their buffer list.
 */
static int batch_store_task(void *arg)
{
	struct swapped s;

	CHECK(swap_out(&s, 3, PAGE_MIXED, *(u32 *)arg, NULL) == 0);
	CHECK(s.stored);
	CHECK(swap_in_check(&s, true) == 0);
	return 0;
}

static int pool_flush_task(void *arg)
{
	rcu_barrier();
	flush_scheduled_work();
	return 0;
}

static void batch_fixed_run(void **state, const char *lifetime)
{
	bool pool_model = !strcmp(lifetime, "pool");
	u64 before, after;
	u32 seed;

	assert_int_equal(zsim_param_set("zswap", "max_compr_batch_size", "1"), 0);
	zswap_test_boot(state, 3, 31, 0, lifetime);
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	if (pool_model)
		assert_int_equal(zsim_cpu_down(2), 0);
	/* A new pool, created at the limit 1 (CPU 2 offline in the pool model). */
	assert_int_equal(zsim_param_set("zswap", "compressor", "deflate-iaa"), 0);
	assert_int_equal(zsim_run(0, pool_flush_task, NULL), 0);
	before = zswap_stat("acomp_ctx_bytes");
	assert_int_equal(zsim_param_set("zswap", "max_compr_batch_size", "8"), 0);
	if (!pool_model)
		assert_int_equal(zsim_cpu_down(2), 0);
	assert_int_equal(zsim_cpu_up(2), 0);
	after = zswap_stat("acomp_ctx_bytes");
	/* CPU 2's share is the others': one buffer, not eight. */
	if (pool_model)
		assert_int_equal(after * 2, before * 3);
	else
		assert_int_equal(after, before);
	for (seed = 0; seed < 3; seed++)
		assert_int_equal(zsim_run(seed, batch_store_task, &seed), 0);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	assert_int_equal(zswap_stat("decompress_fail"), 0);
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
}

static void test_batch_size_fixed(void **state)
{
	batch_fixed_run(state, "pool");
	batch_fixed_run(state, "hotplug");
}

/*
 * The machine stops right after compressor switches, while the killed
 * pools' percpu_refs are still switching to atomic mode: each of them is
 * released as a pool that is not current, without a warning or a leak.
 */
static void test_stop_after_switch(void **state)
{
	zswap_test_boot(state, 2, 80, 0, "pool");
	assert_int_equal(zsim_param_set("zswap", "compressor", "zstd"), 0);
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
	assert_int_equal(zsim_param_set("zswap", "compressor", "zstd"), 0);
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_CONTROLLED(test_hotplug_pool_seeds),
		ZSIM_TEST_CONTROLLED(test_hotplug_hotplug_seeds),
		ZSIM_TEST_FREE(test_hotplug_free),
		ZSIM_TEST_BOTH(test_ctx_memory),
		ZSIM_TEST_BOTH(test_fault_sweep),
		ZSIM_TEST_FREE(test_pool_create_faults),
		ZSIM_TEST_BOTH(test_stop_after_switch),
		ZSIM_TEST_BOTH(test_batch_size_fixed),
	};

	return cmocka_run_group_tests_name("zswap_stress", tests, NULL, NULL);
}
