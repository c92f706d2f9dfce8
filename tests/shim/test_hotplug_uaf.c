// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CPU-hotplug use-after-free pattern of CVE-2025-21693, re-created on
 * purpose: a task takes raw_cpu_ptr() of a per-CPU context and then sleeps
 * on the context's mutex (a preemption point); meanwhile the CPU goes down
 * and the teardown callback frees the context's buffer; the task then uses
 * the freed buffer. The controlled backend must find that interleaving
 * within a bounded number of seeds, the failing run must replay from its
 * schedule string, and the fixed teardown (take the mutex, clear the
 * pointer; users re-check and retry, as upstream 12dcb0ef5406) must run
 * clean in both backends.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/poison.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <stdio.h>
#include <string.h>
#ifdef ZSIM_SANITIZE
#include <sanitizer/asan_interface.h>
#endif

#include "zsim_test.h"

#define BUF_SIZE	512
#define SEEDS		300

struct comp_ctx {
	struct mutex	mutex;
	u8		*buffer;
};

static struct comp_ctx __percpu *pcpu_ctx;
static bool fixed_teardown;
static int uaf_found;

/*
 * Whether @buf was freed: ASan's shadow in sanitizer builds, the slab's
 * free poisoning otherwise. A freed object stays poisoned in the slab
 * quarantine (shim/mm/slab_quarantine.c) until later frees push it out,
 * and this test frees a handful, so reading it here is defined.
 */
static bool buffer_freed(const u8 *buf)
{
#ifdef ZSIM_SANITIZE
	return __asan_address_is_poisoned(buf);
#else
	return buf[0] == POISON_FREE && buf[1] == POISON_FREE;
#endif
}

static int ctx_prepare(unsigned int cpu)
{
	struct comp_ctx *ctx = per_cpu_ptr(pcpu_ctx, cpu);
	u8 *buf = kzalloc(BUF_SIZE, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	mutex_lock(&ctx->mutex);
	ctx->buffer = buf;
	mutex_unlock(&ctx->mutex);
	return 0;
}

static int ctx_dead(unsigned int cpu)
{
	struct comp_ctx *ctx = per_cpu_ptr(pcpu_ctx, cpu);

	if (fixed_teardown) {
		mutex_lock(&ctx->mutex);
		kfree(ctx->buffer);
		ctx->buffer = NULL;
		mutex_unlock(&ctx->mutex);
	} else {
		/* The bug: free under the users' feet, leave the pointer. */
		kfree(ctx->buffer);
	}
	return 0;
}

/* The compress path: the pattern of zswap_compress() before the fix. */
static int compress_loop(void *arg)
{
	int i;

	for (i = 0; i < 40; i++) {
		struct comp_ctx *ctx;

		for (;;) {
			ctx = raw_cpu_ptr(pcpu_ctx);
			mutex_lock(&ctx->mutex);
			if (likely(ctx->buffer))
				break;
			/* Fixed teardown cleared it: the CPU is gone, retry. */
			mutex_unlock(&ctx->mutex);
		}
		if (buffer_freed(ctx->buffer)) {
			uaf_found++;
			mutex_unlock(&ctx->mutex);
			return 1;
		}
		memset(ctx->buffer, i, BUF_SIZE);
		mutex_unlock(&ctx->mutex);
	}
	return 0;
}

static int unplug_cpu1(void *arg)
{
	return remove_cpu(1);
}

static int setup(void *arg)
{
	int cpu, ret;

	pcpu_ctx = alloc_percpu(struct comp_ctx);
	if (!pcpu_ctx)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		mutex_init(&per_cpu_ptr(pcpu_ctx, cpu)->mutex);
	ret = cpuhp_setup_state(CPUHP_MM_ZSWP_POOL_PREPARE, "test/uaf:prepare",
				ctx_prepare, ctx_dead);
	if (ret < 0)
		free_percpu(pcpu_ctx);
	return ret;
}

static int teardown(void *arg)
{
	cpuhp_remove_state(CPUHP_MM_ZSWP_POOL_PREPARE);
	free_percpu(pcpu_ctx);
	return 0;
}

/* One run: returns 1 if the use-after-free was seen. */
static int run_once(const struct zsim_config *cfg, char *schedule, size_t len)
{
	struct zsim_task *user, *hotplug;
	int found;

	uaf_found = 0;
	assert_int_equal(zsim_machine_start(cfg), 0);
	assert_int_equal(zsim_run(0, setup, NULL), 0);
	assert_non_null(user = zsim_spawn(1, compress_loop, NULL, "compress"));
	assert_non_null(hotplug = zsim_spawn(0, unplug_cpu1, NULL, "cpuhp"));
	found = zsim_join(user);
	assert_int_equal(zsim_join(hotplug), 0);
	assert_int_equal(zsim_run(0, teardown, NULL), 0);
	if (schedule)
		snprintf(schedule, len, "%s", zsim_schedule());
	/* The buggy run frees CPU 1's buffer once; nothing else may fail. */
	assert_int_equal(zsim_machine_stop(), 0);
	assert_int_equal(found, uaf_found);
	return found;
}

static enum zsim_policy policy;

static void config_for(struct zsim_config *cfg, enum zsim_backend backend, u64 seed)
{
	zsim_config_init(cfg);
	cfg->backend = backend;
	cfg->nr_cpus = 2;
	cfg->seed = seed;
	cfg->policy = policy;
	cfg->pct_depth = 2;
	cfg->pct_steps = 300;	/* about the length of a run */
}

static void find_uaf(enum zsim_policy p)
{
	static char schedule[1 << 16], replayed[1 << 16];
	struct zsim_config cfg;
	u64 seed;

	policy = p;
	fixed_teardown = false;
	for (seed = 1; seed <= SEEDS; seed++) {
		config_for(&cfg, ZSIM_CONTROLLED, seed);
		if (run_once(&cfg, schedule, sizeof(schedule)))
			break;
	}
	if (seed > SEEDS)
		fail_msg("use-after-free not found in %d seeds", SEEDS);
	printf("# %s: use-after-free found with seed %llu: %s\n",
	       p == ZSIM_SCHED_PCT ? "pct" : "random walk", (unsigned long long)seed, schedule);

	/* The schedule string alone reproduces it, every time. */
	config_for(&cfg, ZSIM_CONTROLLED, 0);
	cfg.replay = schedule;
	assert_int_equal(run_once(&cfg, replayed, sizeof(replayed)), 1);
	assert_string_equal(schedule, replayed);
	assert_int_equal(run_once(&cfg, NULL, 0), 1);
}

static void test_random_walk_finds_uaf(void **state)
{
	find_uaf(ZSIM_SCHED_RANDOM);
}

static void test_pct_finds_uaf(void **state)
{
	find_uaf(ZSIM_SCHED_PCT);
}

static void test_fixed_teardown_is_clean(void **state)
{
	enum zsim_backend backend = zsim_test_backend(state);
	struct zsim_config cfg;
	u64 seed;

	fixed_teardown = true;
	policy = ZSIM_SCHED_RANDOM;
	for (seed = 1; seed <= (backend == ZSIM_CONTROLLED ? 100 : 20); seed++) {
		config_for(&cfg, backend, seed);
		assert_int_equal(run_once(&cfg, NULL, 0), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_CONTROLLED(test_random_walk_finds_uaf),
		ZSIM_TEST_CONTROLLED(test_pct_finds_uaf),
		ZSIM_TEST_BOTH(test_fixed_teardown_is_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
