// SPDX-License-Identifier: GPL-2.0-only
/*
 * percpu_ref (lib/percpu-refcount.c) and kref (<linux/kref.h>): release
 * exactly once after the kill, tryget and tryget_live, resurrect and
 * reinit, kill_and_confirm, the mode switches, the kernel's WARNs, freeing
 * of the per-CPU counters, and gets/puts from several CPUs racing with the
 * kill in both backends.
 *
 * Simulated tasks return 0 or the (negative) line of the first failed
 * CHECK(); the test thread asserts on that.
 */
#include "zsim_test.h"

#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/percpu-refcount.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <sim/report.h>
#include <stdio.h>
#include <string.h>

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #cond);			\
		return -__LINE__;					\
	}								\
} while (0)

struct ref_test {
	struct percpu_ref	ref;
	int			released;	/* calls of the release callback */
	int			confirmed;	/* calls of the confirm callback */
	bool			confirm_saw_atomic;
	bool			confirm_saw_dying;
	bool			confirm_tryget_live;
	int			released_at_confirm;
	long			holders;	/* references the workers hold */
	bool			early;		/* released while some were held */
	unsigned long		iterations;
};

static struct ref_test rt;

/* After a failed assertion, stop the machine so the next test can boot. */
static int stop_machine(void **state)
{
	if (zsim_machine_running())
		zsim_machine_stop();
	return 0;
}

#define REF_TEST_FREE(fn) \
	{ #fn "/free", fn, NULL, stop_machine, (void *)&zsim_test_free_backend }
#define REF_TEST_BOTH(fn) REF_TEST_FREE(fn), \
	{ #fn "/controlled", fn, NULL, stop_machine, (void *)&zsim_test_controlled_backend }

static void ref_release(struct percpu_ref *ref)
{
	struct ref_test *t = container_of(ref, struct ref_test, ref);

	if (__atomic_load_n(&t->holders, __ATOMIC_SEQ_CST))
		t->early = true;
	__atomic_fetch_add(&t->released, 1, __ATOMIC_SEQ_CST);
}

static void ref_confirm(struct percpu_ref *ref)
{
	struct ref_test *t = container_of(ref, struct ref_test, ref);

	t->confirm_saw_atomic = READ_ONCE(ref->percpu_count_ptr) & __PERCPU_REF_ATOMIC;
	t->confirm_saw_dying = percpu_ref_is_dying(ref);
	t->confirm_tryget_live = percpu_ref_tryget_live(ref);
	if (t->confirm_tryget_live)
		percpu_ref_put(ref);
	t->released_at_confirm = READ_ONCE(t->released);
	__atomic_fetch_add(&t->confirmed, 1, __ATOMIC_SEQ_CST);
}

static bool in_percpu_mode(struct percpu_ref *ref)
{
	return !(READ_ONCE(ref->percpu_count_ptr) & __PERCPU_REF_ATOMIC_DEAD);
}

static void boot(void **state, unsigned int nr_cpus, bool quiet)
{
	struct zsim_config cfg;

	memset(&rt, 0, sizeof(rt));
	zsim_test_config(state, &cfg, nr_cpus, 7);
	cfg.quiet = quiet;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

/* ---- the life cycle ---- */

static int lifecycle_task(void *arg)
{
	struct ref_test *t = arg;
	unsigned long live = pcpu_nr_live_allocs();

	CHECK(!percpu_ref_init(&t->ref, ref_release, 0, GFP_KERNEL));
	CHECK(pcpu_nr_live_allocs() == live + 1);
	CHECK(in_percpu_mode(&t->ref));
	CHECK(!percpu_ref_is_zero(&t->ref));
	CHECK(!percpu_ref_is_dying(&t->ref));

	percpu_ref_get(&t->ref);
	percpu_ref_get_many(&t->ref, 3);
	percpu_ref_put_many(&t->ref, 3);
	CHECK(percpu_ref_tryget(&t->ref));
	CHECK(percpu_ref_tryget_many(&t->ref, 2));
	percpu_ref_put_many(&t->ref, 3);
	CHECK(percpu_ref_tryget_live(&t->ref));
	percpu_ref_put(&t->ref);
	/* Count: the initial reference and one more. */

	percpu_ref_kill(&t->ref);
	CHECK(percpu_ref_is_dying(&t->ref));
	CHECK(!percpu_ref_tryget_live(&t->ref));
	rcu_barrier();			/* the switch to atomic mode is done */
	CHECK(READ_ONCE(t->released) == 0);
	CHECK(!percpu_ref_is_zero(&t->ref));
	CHECK(!percpu_ref_tryget_live(&t->ref));
	/* Not live, but not zero either: tryget still works. */
	CHECK(percpu_ref_tryget(&t->ref));
	percpu_ref_put(&t->ref);
	CHECK(READ_ONCE(t->released) == 0);
	/* Without ALLOW_REINIT the counters went with the switch. */
	CHECK(pcpu_nr_live_allocs() == live);

	percpu_ref_put(&t->ref);	/* the last one: released here */
	CHECK(READ_ONCE(t->released) == 1);
	CHECK(percpu_ref_is_zero(&t->ref));
	CHECK(!percpu_ref_tryget(&t->ref));
	CHECK(!percpu_ref_tryget_live(&t->ref));
	rcu_barrier();
	CHECK(READ_ONCE(t->released) == 1);

	percpu_ref_exit(&t->ref);
	CHECK(t->ref.data == NULL);
	CHECK(percpu_ref_is_zero(&t->ref));
	CHECK(pcpu_nr_live_allocs() == live);
	return 0;
}

static void test_lifecycle(void **state)
{
	boot(state, 4, false);
	assert_int_equal(zsim_run(1, lifecycle_task, &rt), 0);
	assert_int_equal(rt.released, 1);
	zsim_test_shutdown_clean();
}

/* The last put before the grace period ends: released by the switch. */
static int put_before_switch_task(void *arg)
{
	struct ref_test *t = arg;

	CHECK(!percpu_ref_init(&t->ref, ref_release, PERCPU_REF_ALLOW_REINIT, GFP_KERNEL));
	percpu_ref_get(&t->ref);
	percpu_ref_kill(&t->ref);
	percpu_ref_put(&t->ref);
	rcu_barrier();
	CHECK(READ_ONCE(t->released) == 1);
	CHECK(percpu_ref_is_zero(&t->ref));
	percpu_ref_exit(&t->ref);
	return 0;
}

static void test_put_before_switch(void **state)
{
	boot(state, 2, false);
	assert_int_equal(zsim_run(0, put_before_switch_task, &rt), 0);
	assert_int_equal(rt.released, 1);
	zsim_test_shutdown_clean();
}

/* ---- kill_and_confirm ---- */

static int confirm_task(void *arg)
{
	struct ref_test *t = arg;

	CHECK(!percpu_ref_init(&t->ref, ref_release, 0, GFP_KERNEL));
	percpu_ref_get(&t->ref);
	percpu_ref_kill_and_confirm(&t->ref, ref_confirm);
	rcu_barrier();
	CHECK(READ_ONCE(t->confirmed) == 1);
	CHECK(t->confirm_saw_atomic);
	CHECK(t->confirm_saw_dying);
	CHECK(!t->confirm_tryget_live);
	CHECK(t->released_at_confirm == 0);
	CHECK(READ_ONCE(t->released) == 0);
	percpu_ref_put(&t->ref);
	CHECK(READ_ONCE(t->released) == 1);
	percpu_ref_exit(&t->ref);

	/* Already atomic: confirmed, and released, within the kill itself. */
	memset(t, 0, sizeof(*t));
	CHECK(!percpu_ref_init(&t->ref, ref_release, PERCPU_REF_INIT_ATOMIC, GFP_KERNEL));
	CHECK(!in_percpu_mode(&t->ref));
	percpu_ref_get(&t->ref);
	percpu_ref_put(&t->ref);
	percpu_ref_kill_and_confirm(&t->ref, ref_confirm);
	CHECK(t->confirmed == 1);
	CHECK(t->released == 1);
	CHECK(percpu_ref_is_zero(&t->ref));
	percpu_ref_exit(&t->ref);
	return 0;
}

static void test_kill_and_confirm(void **state)
{
	boot(state, 4, false);
	assert_int_equal(zsim_run(2, confirm_task, &rt), 0);
	zsim_test_shutdown_clean();
}

/* ---- resurrect, reinit, INIT_DEAD ---- */

static int resurrect_task(void *arg)
{
	struct ref_test *t = arg;
	unsigned long live = pcpu_nr_live_allocs();

	CHECK(!percpu_ref_init(&t->ref, ref_release, PERCPU_REF_ALLOW_REINIT, GFP_KERNEL));
	percpu_ref_get(&t->ref);
	percpu_ref_kill(&t->ref);
	rcu_barrier();
	CHECK(!percpu_ref_tryget_live(&t->ref));
	/* ALLOW_REINIT keeps the counters across the kill. */
	CHECK(pcpu_nr_live_allocs() == live + 1);

	/* Killed but not zero: bring it back to per-CPU mode. */
	percpu_ref_resurrect(&t->ref);
	CHECK(!percpu_ref_is_dying(&t->ref));
	CHECK(in_percpu_mode(&t->ref));
	CHECK(percpu_ref_tryget_live(&t->ref));
	percpu_ref_put(&t->ref);
	percpu_ref_put(&t->ref);	/* the reference held across */
	CHECK(READ_ONCE(t->released) == 0);
	percpu_ref_kill(&t->ref);
	rcu_barrier();
	CHECK(READ_ONCE(t->released) == 1);
	CHECK(percpu_ref_is_zero(&t->ref));

	/* Zero: reinit starts over with one reference, in per-CPU mode. */
	percpu_ref_reinit(&t->ref);
	CHECK(!percpu_ref_is_zero(&t->ref));
	CHECK(!percpu_ref_is_dying(&t->ref));
	CHECK(in_percpu_mode(&t->ref));
	CHECK(percpu_ref_tryget_live(&t->ref));
	percpu_ref_put(&t->ref);
	percpu_ref_kill(&t->ref);
	rcu_barrier();
	CHECK(READ_ONCE(t->released) == 2);
	percpu_ref_exit(&t->ref);
	CHECK(pcpu_nr_live_allocs() == live);

	/* Born dead: zero until reinit. */
	memset(t, 0, sizeof(*t));
	CHECK(!percpu_ref_init(&t->ref, ref_release, PERCPU_REF_INIT_DEAD, GFP_KERNEL));
	CHECK(percpu_ref_is_zero(&t->ref));
	CHECK(percpu_ref_is_dying(&t->ref));
	CHECK(!percpu_ref_tryget(&t->ref));
	CHECK(!percpu_ref_tryget_live(&t->ref));
	percpu_ref_reinit(&t->ref);
	CHECK(in_percpu_mode(&t->ref));
	CHECK(percpu_ref_tryget_live(&t->ref));
	percpu_ref_put(&t->ref);
	percpu_ref_kill(&t->ref);
	rcu_barrier();
	CHECK(READ_ONCE(t->released) == 1);
	percpu_ref_exit(&t->ref);
	return 0;
}

static void test_resurrect_reinit(void **state)
{
	boot(state, 4, false);
	assert_int_equal(zsim_run(3, resurrect_task, &rt), 0);
	zsim_test_shutdown_clean();
}

/* ---- explicit mode switches ---- */

static int switch_task(void *arg)
{
	struct ref_test *t = arg;

	/* Switching back needs the counters kept after a switch. */
	CHECK(!percpu_ref_init(&t->ref, ref_release, PERCPU_REF_ALLOW_REINIT, GFP_KERNEL));
	percpu_ref_get_many(&t->ref, 5);
	percpu_ref_switch_to_atomic_sync(&t->ref);
	CHECK(!in_percpu_mode(&t->ref));
	CHECK(!percpu_ref_is_dying(&t->ref));
	/*
	 * The switch's RCU callback wakes us, then drops its own reference, as
	 * the kernel's percpu_ref_call_confirm_rcu(): wait for it to finish.
	 */
	rcu_barrier();
	CHECK(atomic_long_read(&t->ref.data->count) == 6);
	percpu_ref_put_many(&t->ref, 5);
	CHECK(atomic_long_read(&t->ref.data->count) == 1);
	CHECK(percpu_ref_tryget_live(&t->ref));
	percpu_ref_switch_to_percpu(&t->ref);
	CHECK(in_percpu_mode(&t->ref));
	percpu_ref_switch_to_atomic(&t->ref, ref_confirm);
	/* ...a second switch waits for the first one to be confirmed. */
	percpu_ref_switch_to_percpu(&t->ref);
	CHECK(READ_ONCE(t->confirmed) == 1);
	CHECK(in_percpu_mode(&t->ref));
	percpu_ref_put(&t->ref);
	percpu_ref_kill(&t->ref);
	rcu_barrier();
	CHECK(READ_ONCE(t->released) == 1);
	percpu_ref_exit(&t->ref);
	return 0;
}

static void test_mode_switches(void **state)
{
	boot(state, 4, false);
	assert_int_equal(zsim_run(0, switch_task, &rt), 0);
	zsim_test_shutdown_clean();
}

/* ---- PERCPU_REF_INIT_ATOMIC, and a release callback that exits the ref ---- */

static void exit_on_release(struct percpu_ref *ref)
{
	struct ref_test *t = container_of(ref, struct ref_test, ref);

	__atomic_fetch_add(&t->released, 1, __ATOMIC_SEQ_CST);
	percpu_ref_exit(ref);
}

static int atomic_init_task(void *arg)
{
	struct ref_test *t = arg;

	CHECK(!percpu_ref_init(&t->ref, ref_release,
			       PERCPU_REF_INIT_ATOMIC | PERCPU_REF_ALLOW_REINIT, GFP_KERNEL));
	CHECK(!in_percpu_mode(&t->ref));
	CHECK(atomic_long_read(&t->ref.data->count) == 1);
	/* Already atomic: the confirmation comes at once, no grace period. */
	percpu_ref_switch_to_atomic(&t->ref, ref_confirm);
	CHECK(READ_ONCE(t->confirmed) == 1);
	CHECK(t->confirm_saw_atomic);
	percpu_ref_kill(&t->ref);
	/* Atomic mode: the kill's put is the last one. */
	CHECK(READ_ONCE(t->released) == 1);
	/* INIT_ATOMIC is sticky: reinit leaves the ref atomic... */
	percpu_ref_reinit(&t->ref);
	CHECK(!in_percpu_mode(&t->ref));
	CHECK(!percpu_ref_is_zero(&t->ref));
	/* ...until it is switched to per-CPU mode explicitly. */
	percpu_ref_switch_to_percpu(&t->ref);
	CHECK(in_percpu_mode(&t->ref));
	percpu_ref_get(&t->ref);
	percpu_ref_kill(&t->ref);
	rcu_barrier();
	CHECK(READ_ONCE(t->released) == 1);
	percpu_ref_put(&t->ref);
	CHECK(READ_ONCE(t->released) == 2);
	percpu_ref_exit(&t->ref);

	/*
	 * A per-CPU ref whose release exits it, as obj_cgroup_release(): the
	 * last put is the fold's, outside the switch lock the exit takes.
	 */
	memset(t, 0, sizeof(*t));
	CHECK(!percpu_ref_init(&t->ref, exit_on_release, 0, GFP_KERNEL));
	percpu_ref_kill(&t->ref);
	rcu_barrier();
	CHECK(READ_ONCE(t->released) == 1);
	CHECK(t->ref.data == NULL);
	CHECK(percpu_ref_is_zero(&t->ref));
	return 0;
}

static void test_atomic_init(void **state)
{
	boot(state, 3, false);
	assert_int_equal(zsim_run(1, atomic_init_task, &rt), 0);
	assert_int_equal(zsim_warnings(), 0);
	zsim_test_shutdown_clean();
}

/* ---- the kernel's WARNs and the shim's ---- */

static int underflow_task(void *arg)
{
	struct ref_test *t = arg;

	CHECK(!percpu_ref_init(&t->ref, ref_release, 0, GFP_KERNEL));
	percpu_ref_put(&t->ref);	/* drops the initial ref: a bug */
	percpu_ref_kill(&t->ref);	/* and drops it again */
	rcu_barrier();
	CHECK(READ_ONCE(t->released) == 0);
	percpu_ref_exit(&t->ref);

	/* Use after release, in atomic mode. */
	memset(t, 0, sizeof(*t));
	CHECK(!percpu_ref_init(&t->ref, ref_release, PERCPU_REF_INIT_ATOMIC, GFP_KERNEL));
	percpu_ref_kill(&t->ref);
	CHECK(READ_ONCE(t->released) == 1);
	percpu_ref_get(&t->ref);
	percpu_ref_put(&t->ref);
	CHECK(READ_ONCE(t->released) == 2);	/* what the bug costs */
	percpu_ref_exit(&t->ref);
	return 0;
}

static void test_warns(void **state)
{
	unsigned long warns;

	boot(state, 2, true);
	assert_int_equal(zsim_run(1, underflow_task, &rt), 0);
	warns = zsim_warnings();
	assert_non_null(strstr(zsim_first_report(), "after switching to atomic"));
	/* <= 0 after the switch, below zero at its put, get on a dead ref. */
	assert_int_equal(warns, 3);
	assert_int_equal(zsim_machine_stop(), 3);
}

/* ---- gets and puts on several CPUs racing with the kill ---- */

#define RACE_WORKERS	6
/* A worker gives up after this many iterations if no kill came. */
#define RACE_MAX_ITERS	10000000UL

struct race_ctx {
	struct ref_test	*t;
	unsigned long	kill_after;	/* iterations of all workers */
	int		bad_tryget;
	int		never_killed;
};

static int race_worker(void *arg)
{
	struct race_ctx *ctx = arg;
	struct ref_test *t = ctx->t;
	unsigned long i;
	int j;

	/* Until the kill makes tryget_live() fail. */
	for (i = 0; i < RACE_MAX_ITERS; i++) {
		if (!percpu_ref_tryget_live(&t->ref))
			break;
		__atomic_fetch_add(&t->holders, 1, __ATOMIC_SEQ_CST);
		for (j = 0; j < 3; j++) {
			percpu_ref_get(&t->ref);
			__atomic_fetch_add(&t->holders, 1, __ATOMIC_SEQ_CST);
		}
		/* Holding references: the count cannot be zero. */
		if (!percpu_ref_tryget(&t->ref))
			ctx->bad_tryget = 1;
		else
			percpu_ref_put(&t->ref);
		if (__atomic_load_n(&t->released, __ATOMIC_SEQ_CST))
			t->early = true;
		for (j = 0; j < 3; j++) {
			__atomic_fetch_sub(&t->holders, 1, __ATOMIC_SEQ_CST);
			percpu_ref_put(&t->ref);
		}
		__atomic_fetch_sub(&t->holders, 1, __ATOMIC_SEQ_CST);
		percpu_ref_put_many(&t->ref, 1);
		__atomic_fetch_add(&t->iterations, 1, __ATOMIC_SEQ_CST);
	}
	if (i == RACE_MAX_ITERS)
		ctx->never_killed = 1;
	return 0;
}

static int race_killer(void *arg)
{
	struct race_ctx *ctx = arg;
	struct ref_test *t = ctx->t;

	/* Kill while the workers are busy. */
	while (__atomic_load_n(&t->iterations, __ATOMIC_SEQ_CST) < ctx->kill_after)
		cond_resched();
	percpu_ref_kill_and_confirm(&t->ref, ref_confirm);
	return 0;
}

static int race_finish(void *arg)
{
	struct ref_test *t = arg;

	rcu_barrier();
	CHECK(percpu_ref_is_zero(&t->ref));
	percpu_ref_exit(&t->ref);
	return 0;
}

static int race_init(void *arg)
{
	struct ref_test *t = arg;

	return percpu_ref_init(&t->ref, ref_release, 0, GFP_KERNEL);
}

static void run_race(void **state, uint64_t seed)
{
	struct zsim_task *workers[RACE_WORKERS], *killer;
	struct race_ctx ctx = { .t = &rt };
	struct zsim_config cfg;
	int i;

	memset(&rt, 0, sizeof(rt));
	zsim_test_config(state, &cfg, 4, seed);
	assert_int_equal(zsim_machine_start(&cfg), 0);
	ctx.kill_after = zsim_test_backend(state) == ZSIM_CONTROLLED ? 500 : 5000;
	assert_int_equal(zsim_run(0, race_init, &rt), 0);
	for (i = 0; i < RACE_WORKERS; i++) {
		workers[i] = zsim_spawn(i % 3, race_worker, &ctx, "ref_worker");
		assert_non_null(workers[i]);
	}
	killer = zsim_spawn(3, race_killer, &ctx, "ref_killer");
	assert_non_null(killer);
	assert_int_equal(zsim_join(killer), 0);
	for (i = 0; i < RACE_WORKERS; i++)
		assert_int_equal(zsim_join(workers[i]), 0);
	assert_int_equal(zsim_run(1, race_finish, &rt), 0);

	assert_int_equal(rt.released, 1);
	assert_false(rt.early);
	assert_int_equal(rt.holders, 0);
	assert_int_equal(ctx.bad_tryget, 0);
	assert_int_equal(rt.confirmed, 1);
	assert_false(rt.confirm_tryget_live);
	assert_int_equal(ctx.never_killed, 0);
	assert_true(rt.iterations >= ctx.kill_after);
	zsim_test_shutdown_clean();
}

/* Several seeds: each is a different interleaving in the controlled backend. */
static void test_concurrent_kill(void **state)
{
	uint64_t seed, seeds = zsim_test_backend(state) == ZSIM_CONTROLLED ? 8 : 2;

	for (seed = 1; seed <= seeds; seed++)
		run_race(state, seed);
}

/* ---- per-CPU counters are freed; allocation failures ---- */

static int exit_task(void *arg)
{
	struct ref_test *t = arg;
	unsigned long live = pcpu_nr_live_allocs();

	CHECK(!percpu_ref_init(&t->ref, ref_release, PERCPU_REF_ALLOW_REINIT, GFP_KERNEL));
	CHECK(pcpu_nr_live_allocs() == live + 1);
	/* Exit without a kill, as on an init error path. */
	percpu_ref_exit(&t->ref);
	CHECK(pcpu_nr_live_allocs() == live);

	/* An injected per-CPU allocation failure. */
	CHECK(zsim_fault_set("percpu", 0, 0, 1) == 0);
	CHECK(percpu_ref_init(&t->ref, ref_release, 0, GFP_KERNEL) == -ENOMEM);
	CHECK(zsim_fault_injected("percpu") == 1);
	/* The data allocation fails: the counters are given back. */
	CHECK(zsim_fault_set("kmalloc", 0, 0, 1) == 0);
	CHECK(percpu_ref_init(&t->ref, ref_release, 0, GFP_KERNEL) == -ENOMEM);
	CHECK(zsim_fault_injected("kmalloc") == 1);
	CHECK(pcpu_nr_live_allocs() == live);
	zsim_fault_clear_all();
	return 0;
}

static void test_exit_frees(void **state)
{
	boot(state, 4, false);
	assert_int_equal(zsim_run(0, exit_task, &rt), 0);
	zsim_test_shutdown_clean();
}

/* ---- kref ---- */

struct kobj {
	struct kref	kref;
	int		released;
};

static void kobj_release(struct kref *kref)
{
	container_of(kref, struct kobj, kref)->released++;
}

static int kref_task(void *arg)
{
	struct kobj o = { .kref = KREF_INIT(2) };

	CHECK(kref_read(&o.kref) == 2);
	kref_init(&o.kref);
	CHECK(kref_read(&o.kref) == 1);
	kref_get(&o.kref);
	CHECK(kref_get_unless_zero(&o.kref));
	CHECK(kref_read(&o.kref) == 3);
	CHECK(kref_put(&o.kref, kobj_release) == 0);
	CHECK(kref_put(&o.kref, kobj_release) == 0);
	CHECK(o.released == 0);
	CHECK(kref_put(&o.kref, kobj_release) == 1);
	CHECK(o.released == 1);
	CHECK(kref_read(&o.kref) == 0);
	CHECK(!kref_get_unless_zero(&o.kref));
	CHECK(o.released == 1);
	return 0;
}

static void test_kref(void **state)
{
	boot(state, 2, false);
	assert_int_equal(zsim_run(0, kref_task, NULL), 0);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		REF_TEST_BOTH(test_lifecycle),
		REF_TEST_BOTH(test_put_before_switch),
		REF_TEST_BOTH(test_kill_and_confirm),
		REF_TEST_BOTH(test_resurrect_reinit),
		REF_TEST_BOTH(test_mode_switches),
		REF_TEST_BOTH(test_atomic_init),
		REF_TEST_FREE(test_warns),
		REF_TEST_BOTH(test_concurrent_kill),
		REF_TEST_FREE(test_exit_frees),
		REF_TEST_FREE(test_kref),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
