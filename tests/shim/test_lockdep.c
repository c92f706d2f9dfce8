// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lock validator: ABBA and longer cycles reported once without an
 * actual deadlock, no false positive for a consistent order, trylocks
 * adding no ordering edge, recursive read locks, recursive locking of a
 * class, lockdep_assert_held*(), bad unlocks, uninitialised locks, the
 * run-time switch, and held locks in the deadlock report.
 */
#include "zsim_test.h"

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <stdlib.h>
#include <string.h>

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static DEFINE_SPINLOCK(lock_c);
static DEFINE_SPINLOCK(lock_d);
static DEFINE_SPINLOCK(lock_e);

static void boot_quiet(void **state, unsigned int cpus, bool lockdep)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, cpus, 7);
	cfg.quiet = !getenv("LOCKDEP_TEST_VERBOSE");
	cfg.lockdep = lockdep;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

static int take_a_then_b(void *arg)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);
	return 0;
}

static int take_b_then_a(void *arg)
{
	mutex_lock(&lock_b);
	mutex_lock(&lock_a);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
	return 0;
}

/* ---- ABBA, found although the two orders never overlapped ---- */

static void test_abba_sequential(void **state)
{
	const char *r;

	boot_quiet(state, 2, true);
	assert_int_equal(zsim_run(0, take_a_then_b, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 0);
	assert_int_equal(zsim_run(1, take_b_then_a, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	r = zsim_first_report();
	assert_non_null(strstr(r, "WARNING: possible circular locking dependency detected"));
	assert_non_null(strstr(r, "is trying to acquire lock:\n(lock_a)"));
	assert_non_null(strstr(r, "but task is already holding lock:\n(lock_b)"));
	/* The old dependency with its recorded stack, and the current one. */
	assert_non_null(strstr(r, "-> #1 (lock_b): acquired while holding (lock_a), first seen in zsim_run/"));
	assert_non_null(strstr(r, "-> #0 (lock_a): acquired now while holding (lock_b)"));
	assert_non_null(strstr(r, "*** DEADLOCK ***"));
	/* Reported once: doing it again (either way round) stays quiet. */
	assert_int_equal(zsim_run(1, take_b_then_a, NULL), 0);
	assert_int_equal(zsim_run(0, take_a_then_b, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	assert_int_equal(zsim_machine_stop(), 1);

	/* The graph belongs to the machine: a new one starts clean. */
	boot_quiet(state, 2, true);
	assert_int_equal(zsim_run(1, take_b_then_a, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- a cycle through three locks ---- */

static int take_c_d(void *arg)
{
	spin_lock(&lock_c);
	spin_lock(&lock_d);
	spin_unlock(&lock_d);
	spin_unlock(&lock_c);
	return 0;
}

static int take_d_e(void *arg)
{
	spin_lock(&lock_d);
	spin_lock_irq(&lock_e);
	spin_unlock_irq(&lock_e);
	spin_unlock(&lock_d);
	return 0;
}

static int take_e_c(void *arg)
{
	unsigned long flags;

	spin_lock_bh(&lock_e);
	spin_lock_irqsave(&lock_c, flags);
	spin_unlock_irqrestore(&lock_c, flags);
	spin_unlock_bh(&lock_e);
	return 0;
}

static void test_three_lock_cycle(void **state)
{
	const char *r;

	boot_quiet(state, 2, true);
	assert_int_equal(zsim_run(0, take_c_d, NULL), 0);
	assert_int_equal(zsim_run(1, take_d_e, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 0);
	assert_int_equal(zsim_run(0, take_e_c, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	r = zsim_first_report();
	assert_non_null(strstr(r, "possible circular locking dependency"));
	assert_non_null(strstr(r, "-> #2 (lock_e)"));
	assert_non_null(strstr(r, "-> #1 (lock_d)"));
	assert_non_null(strstr(r, "Chain exists of:\n   lock_e --> lock_c --> lock_d --> lock_e"));
	assert_int_equal(zsim_run(0, take_e_c, NULL), 0);
	assert_int_equal(zsim_machine_stop(), 1);
}

/* ---- one order everywhere: no report, even under contention ---- */

struct order_ctx {
	struct mutex	outer;
	spinlock_t	inner[3];
	rwlock_t	rw;
	struct rw_semaphore sem;
	int		iters;
	long		count;
};

static int ordered_worker(void *arg)
{
	struct order_ctx *c = arg;
	int i;

	for (i = 0; i < c->iters; i++) {
		down_read(&c->sem);
		mutex_lock(&c->outer);
		spin_lock(&c->inner[0]);
		spin_lock_nested(&c->inner[1], SINGLE_DEPTH_NESTING);
		read_lock(&c->rw);
		c->count++;
		read_unlock(&c->rw);
		spin_unlock(&c->inner[1]);
		spin_unlock(&c->inner[0]);
		/* Out-of-order release is fine too. */
		spin_lock(&c->inner[2]);
		mutex_unlock(&c->outer);
		spin_unlock(&c->inner[2]);
		up_read(&c->sem);
	}
	return 0;
}

static void init_inner(spinlock_t *s, int n)
{
	int i;

	/* One init site: one class for all of them. */
	for (i = 0; i < n; i++)
		spin_lock_init(&s[i]);
}

static void test_consistent_order_no_report(void **state)
{
	static struct order_ctx c;
	struct zsim_task *t[4];
	int i;

	memset(&c, 0, sizeof(c));
	mutex_init(&c.outer);
	init_inner(c.inner, 3);
	rwlock_init(&c.rw);
	init_rwsem(&c.sem);
	c.iters = zsim_test_backend(state) == ZSIM_CONTROLLED ? 50 : 2000;
	zsim_test_boot(state, 4, 3);
	for (i = 0; i < 4; i++)
		assert_non_null(t[i] = zsim_spawn(i, ordered_worker, &c, "ordered"));
	for (i = 0; i < 4; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(c.count, 4L * c.iters);
	zsim_test_shutdown_clean();
}

/* ---- trylocks add no ordering edge ---- */

static int a_then_trylock_b(void *arg)
{
	int got;

	mutex_lock(&lock_a);
	got = mutex_trylock(&lock_b);
	if (got)
		mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);
	return got;
}

static int trylock_c_then_d(void *arg)
{
	int got = spin_trylock(&lock_c);

	spin_lock(&lock_d);
	spin_unlock(&lock_d);
	if (got)
		spin_unlock(&lock_c);
	return got;
}

static int take_d_c(void *arg)
{
	spin_lock(&lock_d);
	spin_lock(&lock_c);
	spin_unlock(&lock_c);
	spin_unlock(&lock_d);
	return 0;
}

static void test_trylock_adds_no_edge(void **state)
{
	boot_quiet(state, 2, true);
	/* A, then trylock B; then B -> A: no cycle, the trylock cannot block. */
	assert_int_equal(zsim_run(0, a_then_trylock_b, NULL), 1);
	assert_int_equal(zsim_run(1, take_b_then_a, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 0);
	/* A blocking A -> B closes it. */
	assert_int_equal(zsim_run(0, take_a_then_b, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	assert_non_null(strstr(zsim_first_report(), "circular locking dependency"));
	assert_int_equal(zsim_machine_stop(), 1);

	/* A lock taken by trylock is still held: later locks depend on it. */
	boot_quiet(state, 2, true);
	assert_int_equal(zsim_run(0, trylock_c_then_d, NULL), 1);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 0);
	assert_int_equal(zsim_run(1, take_d_c, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	assert_int_equal(zsim_machine_stop(), 1);
}

/* ---- read locks ---- */

struct rd_ctx {
	rwlock_t	rw;
	spinlock_t	spin;
	rwlock_t	rws[2];
	struct rw_semaphore sems[2];
	struct mutex	mutexes[2];
};

static int rd_read_then_spin(void *arg)
{
	struct rd_ctx *c = arg;

	read_lock(&c->rw);
	spin_lock(&c->spin);
	spin_unlock(&c->spin);
	read_unlock(&c->rw);
	return 0;
}

static int rd_spin_then_read(void *arg)
{
	struct rd_ctx *c = arg;

	spin_lock(&c->spin);
	read_lock(&c->rw);
	read_unlock(&c->rw);
	spin_unlock(&c->spin);
	return 0;
}

static int rd_spin_then_write(void *arg)
{
	struct rd_ctx *c = arg;

	spin_lock(&c->spin);
	write_lock(&c->rw);
	write_unlock(&c->rw);
	spin_unlock(&c->spin);
	return 0;
}

static void init_rd(struct rd_ctx *c)
{
	int i;

	rwlock_init(&c->rw);
	spin_lock_init(&c->spin);
	for (i = 0; i < 2; i++) {
		rwlock_init(&c->rws[i]);
		init_rwsem(&c->sems[i]);
		mutex_init(&c->mutexes[i]);
	}
}

static void test_recursive_read_lock(void **state)
{
	static struct rd_ctx c;

	init_rd(&c);
	boot_quiet(state, 2, true);
	/*
	 * read_lock(R), spin_lock(S) elsewhere, then spin_lock(S),
	 * read_lock(R): a recursive reader is never blocked by a reader, so
	 * no deadlock is possible.
	 */
	assert_int_equal(zsim_run(0, rd_read_then_spin, &c), 0);
	assert_int_equal(zsim_run(1, rd_spin_then_read, &c), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 0);
	/* A writer is blocked by the reader: that one is an inversion. */
	assert_int_equal(zsim_run(1, rd_spin_then_write, &c), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	assert_non_null(strstr(zsim_first_report(), "circular locking dependency"));
	assert_int_equal(zsim_machine_stop(), 1);
}

/* ---- recursive locking of one class ---- */

static int nest_readers(void *arg)
{
	struct rd_ctx *c = arg;

	/* Two rwlocks of one class, read-locked nested: recursive reads. */
	read_lock(&c->rws[0]);
	read_lock(&c->rws[1]);
	read_unlock(&c->rws[1]);
	read_unlock(&c->rws[0]);
	/* Annotated nesting of one class. */
	mutex_lock(&c->mutexes[0]);
	mutex_lock_nested(&c->mutexes[1], SINGLE_DEPTH_NESTING);
	mutex_unlock(&c->mutexes[1]);
	mutex_unlock(&c->mutexes[0]);
	return 0;
}

static int nest_mutexes(void *arg)
{
	struct rd_ctx *c = arg;

	mutex_lock(&c->mutexes[0]);
	mutex_lock(&c->mutexes[1]);
	mutex_unlock(&c->mutexes[1]);
	mutex_unlock(&c->mutexes[0]);
	return 0;
}

static int nest_rwsem_readers(void *arg)
{
	struct rd_ctx *c = arg;

	/* down_read() is not recursive: a waiting writer would deadlock it. */
	down_read(&c->sems[0]);
	down_read(&c->sems[1]);
	up_read(&c->sems[1]);
	up_read(&c->sems[0]);
	return 0;
}

static void test_recursive_locking(void **state)
{
	static struct rd_ctx c;

	init_rd(&c);
	boot_quiet(state, 1, true);
	assert_int_equal(zsim_run(0, nest_readers, &c), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 0);
	assert_int_equal(zsim_run(0, nest_mutexes, &c), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	assert_non_null(strstr(zsim_first_report(), "WARNING: possible recursive locking detected"));
	assert_non_null(strstr(zsim_first_report(), "(&c->mutexes[i])"));
	assert_int_equal(zsim_run(0, nest_rwsem_readers, &c), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 2);
	/* Once per class. */
	assert_int_equal(zsim_run(0, nest_mutexes, &c), 0);
	assert_int_equal(zsim_machine_stop(), 2);
}

/* ---- lockdep_assert_held() and friends ---- */

struct assert_ctx {
	struct mutex	m;
	spinlock_t	s;
	struct rw_semaphore sem;
	unsigned long	reports[8];
	int		n;
};

#define SNAP(c)	((c)->reports[(c)->n++] = sim_report_count(SIM_REPORT_LOCKDEP))

static int assert_task(void *arg)
{
	struct assert_ctx *c = arg;

	lockdep_assert_held(&c->m);		/* fires */
	SNAP(c);				/* 1 */
	mutex_lock(&c->m);
	lockdep_assert_held(&c->m);
	lockdep_assert_held_write(&c->m);
	mutex_unlock(&c->m);
	lockdep_assert_not_held(&c->m);
	SNAP(c);				/* 1 */

	down_read(&c->sem);
	lockdep_assert_held(&c->sem);
	lockdep_assert_held_read(&c->sem);
	SNAP(c);				/* 1 */
	lockdep_assert_held_write(&c->sem);	/* fires */
	SNAP(c);				/* 2 */
	up_read(&c->sem);
	down_write(&c->sem);
	lockdep_assert_held_write(&c->sem);
	rwsem_assert_held_write(&c->sem);
	lockdep_assert_held_read(&c->sem);	/* fires */
	SNAP(c);				/* 3 */
	up_write(&c->sem);

	spin_lock(&c->s);
	lockdep_assert_held(&c->s);
	assert_spin_locked(&c->s);
	lockdep_assert_not_held(&c->s);	/* fires */
	spin_unlock(&c->s);
	SNAP(c);				/* 4 */
	return 0;
}

static void test_lockdep_assert_held(void **state)
{
	static struct assert_ctx c;
	static const unsigned long expect[] = { 1, 1, 1, 2, 3, 4 };
	size_t i;

	memset(&c, 0, sizeof(c));
	mutex_init(&c.m);
	spin_lock_init(&c.s);
	init_rwsem(&c.sem);
	boot_quiet(state, 1, true);
	assert_int_equal(zsim_run(0, assert_task, &c), 0);
	assert_int_equal(c.n, ARRAY_SIZE(expect));
	for (i = 0; i < ARRAY_SIZE(expect); i++)
		assert_int_equal(c.reports[i], expect[i]);
	assert_non_null(strstr(zsim_first_report(), "lockdep_assert_held(&c->m) failed"));
	assert_non_null(strstr(zsim_first_report(), "no locks held by zsim_run/"));
	/* Outside a task nothing can be known: no report. */
	lockdep_assert_held(&c.m);
	assert_int_equal(zsim_machine_stop(), 4);
}

/* ---- releasing a lock that is not held ---- */

struct unlock_ctx {
	struct mutex	m;
	spinlock_t	s;
	int		step;
};

static int unlock_unheld(void *arg)
{
	struct unlock_ctx *c = arg;

	mutex_unlock(&c->m);
	/* Keep the preemption count balanced around the bogus unlock. */
	preempt_disable();
	spin_unlock(&c->s);
	return 0;
}

static int owner_task(void *arg)
{
	struct unlock_ctx *c = arg;

	mutex_lock(&c->m);
	WRITE_ONCE(c->step, 1);
	while (READ_ONCE(c->step) != 2)
		schedule_timeout_uninterruptible(1);
	mutex_unlock(&c->m);	/* no longer the owner: it was unlocked */
	return 0;
}

static int thief_task(void *arg)
{
	struct unlock_ctx *c = arg;

	while (READ_ONCE(c->step) != 1)
		schedule_timeout_uninterruptible(1);
	mutex_unlock(&c->m);	/* not ours */
	WRITE_ONCE(c->step, 2);
	return 0;
}

static void test_bad_unlock(void **state)
{
	static struct unlock_ctx c;
	struct zsim_task *a, *b;

	memset(&c, 0, sizeof(c));
	mutex_init(&c.m);
	spin_lock_init(&c.s);
	boot_quiet(state, 2, true);
	assert_int_equal(zsim_run(0, unlock_unheld, &c), 0);
	/* One report each, not one from lockdep and another from the lock. */
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 2);
	assert_non_null(strstr(zsim_first_report(), "WARNING: bad unlock balance detected!"));
	assert_non_null(strstr(zsim_first_report(), "is trying to release lock\n(&c.m)"));
	assert_int_equal(zsim_machine_stop(), 2);

	/* Unlocked by a task that does not own it. */
	memset(&c, 0, sizeof(c));
	mutex_init(&c.m);
	boot_quiet(state, 2, true);
	assert_non_null(a = zsim_spawn(0, owner_task, &c, "owner"));
	assert_non_null(b = zsim_spawn(1, thief_task, &c, "thief"));
	assert_int_equal(zsim_join(a), 0);
	assert_int_equal(zsim_join(b), 0);
	assert_false(mutex_is_locked(&c.m));
	/* The thief's bad unlock, then the owner finding its mutex unlocked. */
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 2);
	assert_non_null(strstr(zsim_first_report(), "thief/"));
	assert_non_null(strstr(zsim_first_report(), "bad unlock balance"));
	assert_int_equal(zsim_machine_stop(), 2);
}

/* ---- a lock nobody initialised ---- */

static int use_heap_locks(void *arg)
{
	struct {
		spinlock_t	zeroed;		/* never initialised */
		struct mutex	inited;
	} *p = arg;

	mutex_init(&p->inited);
	mutex_lock(&p->inited);
	mutex_unlock(&p->inited);
	spin_lock(&p->zeroed);
	spin_unlock(&p->zeroed);
	return 0;
}

static void test_uninitialised_lock(void **state)
{
	void *p = calloc(1, sizeof(spinlock_t) + sizeof(struct mutex) + 64);

	assert_non_null(p);
	boot_quiet(state, 1, true);
	assert_int_equal(zsim_run(0, use_heap_locks, p), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	assert_non_null(strstr(zsim_first_report(), "INFO: trying to register non-static key."));
	assert_int_equal(zsim_machine_stop(), 1);
	free(p);
}

/* ---- the switch ---- */

static int depth_while_holding(void *arg)
{
	int depth;

	mutex_lock(&lock_a);
	spin_lock(&lock_c);
	depth = current->lockdep_depth;
	spin_unlock(&lock_c);
	mutex_unlock(&lock_a);
	return depth * 10 + current->lockdep_depth;
}

static int assert_unheld(void *arg)
{
	lockdep_assert_held(&lock_a);
	return lockdep_enabled();
}

static void test_validator_off(void **state)
{
	boot_quiet(state, 2, false);
	assert_int_equal(zsim_run(0, take_a_then_b, NULL), 0);
	assert_int_equal(zsim_run(1, take_b_then_a, NULL), 0);
	assert_int_equal(zsim_run(0, assert_unheld, NULL), 0);
	/* Held locks are still tracked. */
	assert_int_equal(zsim_run(0, depth_while_holding, NULL), 20);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 0);

	/* Switched on at run time, it validates from then on. */
	lockdep_set_enabled(true);
	assert_int_equal(zsim_run(0, take_a_then_b, NULL), 0);
	assert_int_equal(zsim_run(1, take_b_then_a, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	assert_int_equal(zsim_run(0, assert_unheld, NULL), 1);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 2);
	assert_int_equal(zsim_machine_stop(), 2);
}

/* ---- lock_is_held() after an out-of-order release ---- */

static int out_of_order(void *arg)
{
	int res = 0;

	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_a);
	res |= (lockdep_is_held(&lock_b) == LOCK_STATE_HELD) << 0;
	res |= (lockdep_is_held(&lock_a) == LOCK_STATE_NOT_HELD) << 1;
	res |= (current->lockdep_depth == 1) << 2;
	mutex_unlock(&lock_b);
	res |= (current->lockdep_depth == 0) << 3;
	res |= (lockdep_is_held_type(&lock_b, 0) == LOCK_STATE_NOT_HELD) << 4;
	return res;
}

static void test_held_lock_stack(void **state)
{
	zsim_test_boot(state, 1, 1);
	assert_int_equal(zsim_run(0, out_of_order, NULL), 0x1f);
	zsim_test_shutdown_clean();
}

/* ---- a real deadlock: the report lists each task's held locks ---- */

static DEFINE_MUTEX(dl_first);
static DEFINE_MUTEX(dl_second);
static int dl_step[2];

static int dl_task(void *arg)
{
	long me = (long)arg;
	struct mutex *mine = me ? &dl_second : &dl_first;
	struct mutex *other = me ? &dl_first : &dl_second;

	mutex_lock(mine);
	WRITE_ONCE(dl_step[me], 1);
	while (!READ_ONCE(dl_step[!me]))
		schedule_timeout_uninterruptible(1);
	mutex_lock(other);
	mutex_unlock(other);
	mutex_unlock(mine);
	return 0;
}

static void run_deadlock(void **state, bool lockdep)
{
	struct zsim_task *t[2];
	const char *r;

	memset(dl_step, 0, sizeof(dl_step));
	/* The last run's tasks died holding them: start from fresh locks. */
	dl_first = (struct mutex)__MUTEX_INITIALIZER(dl_first);
	dl_second = (struct mutex)__MUTEX_INITIALIZER(dl_second);
	boot_quiet(state, 2, lockdep);
	assert_non_null(t[0] = zsim_spawn(0, dl_task, (void *)0L, "dl0"));
	assert_non_null(t[1] = zsim_spawn(1, dl_task, (void *)1L, "dl1"));
	assert_int_equal(zsim_join(t[0]), -EDEADLK);
	assert_int_equal(sim_report_count(SIM_REPORT_DEADLOCK), 1);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), lockdep ? 1 : 0);
	r = zsim_first_report();
	if (lockdep) {
		assert_non_null(strstr(r, "possible circular locking dependency"));
	} else {
		assert_non_null(strstr(r, "BUG: deadlock"));
		assert_non_null(strstr(r, "state D (blocked) on dl_second"));
		assert_non_null(strstr(r, "state D (blocked) on dl_first"));
		assert_non_null(strstr(r, "2 locks held by dl0/"));
		assert_non_null(strstr(r, "(dl_first){write}"));
		assert_non_null(strstr(r, "(dl_second){write}"));
	}
	zsim_machine_stop();
}

static void test_deadlock_report_held_locks(void **state)
{
	run_deadlock(state, false);
	run_deadlock(state, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_abba_sequential),
		ZSIM_TEST_BOTH(test_three_lock_cycle),
		ZSIM_TEST_BOTH(test_consistent_order_no_report),
		ZSIM_TEST_BOTH(test_trylock_adds_no_edge),
		ZSIM_TEST_FREE(test_recursive_read_lock),
		ZSIM_TEST_FREE(test_recursive_locking),
		ZSIM_TEST_BOTH(test_lockdep_assert_held),
		ZSIM_TEST_BOTH(test_bad_unlock),
		ZSIM_TEST_FREE(test_uninitialised_lock),
		ZSIM_TEST_BOTH(test_validator_off),
		ZSIM_TEST_FREE(test_held_lock_stack),
		ZSIM_TEST_CONTROLLED(test_deadlock_report_held_locks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
