// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver's self-test scenarios, linked only into race-fuzz-selftest
 * (tests/fuzz/meson.build), never into race-fuzz's list: each has a real
 * race of its own, so that the tests can check that the fuzzer finds it
 * through the oracle it targets, reports it, replays it every time and
 * shrinks its schedule.
 *
 * - selftest-lost-update: two tasks increment a counter with a scheduling
 *   point between the load and the store; the scenario's data check
 *   (its return) finds the lost update.
 * - selftest-uaf: one task frees an object another may still write; the
 *   slab poisoning finds the write when the machine stops (in a sanitizer
 *   build ASan finds it at once and ends the process).
 * - selftest-abba: two mutexes taken in opposite orders: lockdep reports
 *   the inversion, and the controlled backend the deadlock when the
 *   schedule makes it.
 */
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <stdio.h>

#include "scenario.h"

#define ST_ROUNDS	4

static int st_join2(const struct fuzz_opts *o, int (*fn)(void *), void *a, void *b)
{
	struct zsim_task *t[2];
	int r0, r1;

	t[0] = zsim_spawn(0, fn, a, "st-a");
	t[1] = zsim_spawn(o->nr_cpus > 1 ? 1 : 0, fn, b, "st-b");
	if (!t[0] || !t[1])
		return -ENOMEM;
	r0 = zsim_join(t[0]);
	r1 = zsim_join(t[1]);
	return r0 ? r0 : r1;
}

/* ---- lost update ---- */

static int st_counter;

static int st_increment(void *arg)
{
	int i;

	for (i = 0; i < ST_ROUNDS; i++) {
		int v = READ_ONCE(st_counter);

		cond_resched();
		WRITE_ONCE(st_counter, v + 1);
	}
	return 0;
}

static int st_lost_update_run(const struct fuzz_opts *o, char *why, size_t len)
{
	int ret;

	st_counter = 0;
	ret = st_join2(o, st_increment, NULL, NULL);
	if (ret)
		return ret;
	if (st_counter != 2 * ST_ROUNDS) {
		snprintf(why, len, "counter is %d after %d increments", st_counter,
			 2 * ST_ROUNDS);
		return -EBADMSG;
	}
	return 0;
}

FUZZ_SCENARIO(scen_selftest_lost_update) = {
	.name = "selftest-lost-update",
	.desc = "self-test: an unlocked read-modify-write loses an update",
	.run = st_lost_update_run,
};

/* ---- use after free ---- */

struct st_obj {
	int value;
};

static struct st_obj *st_shared;

static int st_writer(void *arg)
{
	struct st_obj *p = READ_ONCE(st_shared);

	cond_resched();
	if (p)
		p->value = 1;	/* the freer may have run: write after free */
	return 0;
}

static int st_freer(void *arg)
{
	struct st_obj *p = READ_ONCE(st_shared);

	cond_resched();
	WRITE_ONCE(st_shared, NULL);
	kfree(p);
	return 0;
}

static int st_alloc(void *arg)
{
	st_shared = kzalloc(sizeof(*st_shared), GFP_KERNEL);
	return st_shared ? 0 : -ENOMEM;
}

static int st_uaf_run(const struct fuzz_opts *o, char *why, size_t len)
{
	struct zsim_task *t[2];
	int ret = zsim_run(0, st_alloc, NULL);

	if (ret)
		return ret;
	t[0] = zsim_spawn(0, st_writer, NULL, "st-writer");
	t[1] = zsim_spawn(o->nr_cpus > 1 ? 1 : 0, st_freer, NULL, "st-freer");
	if (!t[0] || !t[1])
		return -ENOMEM;
	ret = zsim_join(t[0]);
	return zsim_join(t[1]) ?: ret;
}

FUZZ_SCENARIO(scen_selftest_uaf) = {
	.name = "selftest-uaf",
	.desc = "self-test: a write after kfree() caught by slab poisoning",
	.run = st_uaf_run,
};

/* ---- ABBA ---- */

/* Initialised per run: a deadlocked run leaves them held. */
static struct mutex st_lock_a, st_lock_b;

static int st_ab(void *arg)
{
	bool ab = arg != NULL;
	struct mutex *first = ab ? &st_lock_a : &st_lock_b;
	struct mutex *second = ab ? &st_lock_b : &st_lock_a;

	mutex_lock(first);
	cond_resched();
	mutex_lock(second);
	mutex_unlock(second);
	mutex_unlock(first);
	return 0;
}

static int st_abba_run(const struct fuzz_opts *o, char *why, size_t len)
{
	int ret;

	mutex_init(&st_lock_a);
	mutex_init(&st_lock_b);
	ret = st_join2(o, st_ab, (void *)1, NULL);
	if (ret)
		snprintf(why, len, "the tasks did not finish: %d", ret);
	return ret;
}

FUZZ_SCENARIO(scen_selftest_abba) = {
	.name = "selftest-abba",
	.desc = "self-test: an ABBA lock order (lockdep, deadlock detection)",
	.run = st_abba_run,
};
