// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time: ktime arithmetic, the clocks and jiffies, sleeps and busy-waits,
 * and timers (order of expiry, softirq context, deletion, waiting for a
 * running callback, virtual time jumps in the controlled backend).
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <sim/sched.h>
#include <string.h>
#include <time.h>

#include "zsim_test.h"

/* A failed test may leave its machine running: stop it for the next test. */
static int stop_machine_teardown(void **state)
{
	if (zsim_machine_running())
		zsim_machine_stop();
	return 0;
}

#define TEST_FREE(fn) \
	{ #fn "/free", fn, NULL, stop_machine_teardown, (void *)&zsim_test_free_backend }
#define TEST_CONTROLLED(fn) \
	{ #fn "/controlled", fn, NULL, stop_machine_teardown, \
	  (void *)&zsim_test_controlled_backend }
#define TEST_BOTH(fn)	TEST_FREE(fn), TEST_CONTROLLED(fn)
#define TEST_PLAIN(fn)	cmocka_unit_test_teardown(fn, stop_machine_teardown)

/* ---- ktime arithmetic (no machine needed) ---- */

static void test_ktime_arith(void **state)
{
	ktime_t a = ns_to_ktime(1500000000ULL), b = ms_to_ktime(500);

	assert_int_equal(ktime_to_ns(a), 1500000000LL);
	assert_int_equal(ktime_sub(a, b), 1000000000LL);
	assert_int_equal(ktime_add(a, b), 2000000000LL);
	assert_int_equal(ktime_us_delta(a, b), 1000000);
	assert_int_equal(ktime_ms_delta(a, b), 1000);
	assert_int_equal(ktime_ms_delta(b, a), -1000);
	assert_true(ktime_after(a, b));
	assert_false(ktime_after(b, a));
	assert_true(ktime_before(b, a));
	assert_int_equal(ktime_compare(a, a), 0);
	assert_int_equal(ktime_set(2, 5), 2000000005LL);
	assert_int_equal(ktime_to_us(us_to_ktime(77)), 77);
	assert_int_equal(ktime_add_us(0, 3), 3000);
	/* nsecs_to_jiffies() truncates, msecs/usecs_to_jiffies() round up. */
	assert_int_equal(nsecs_to_jiffies(1), 0);
	assert_int_equal(nsecs_to_jiffies(2 * NSEC_PER_JIFFY - 1), 1);
	assert_int_equal(nsecs_to_jiffies(3 * NSEC_PER_JIFFY), 3);
	assert_int_equal(usecs_to_jiffies(1), 1);
	assert_int_equal(msecs_to_jiffies(250), 250);
}

/* ---- clocks ---- */

struct clocks {
	int	monotonic_ok;
	int	agree;
	long	msleep_ms;
	long	msleep_jiffies;
	long	udelay_us;
	long	usleep_us;
	long	realtime_ok;
};

static int clocks_fn(void *arg)
{
	struct clocks *c = arg;
	u64 prev_j = get_jiffies_64(), prev_k = ktime_get_ns(), prev_s = sched_clock();
	ktime_t k0;
	unsigned long j0;
	int i;

	c->monotonic_ok = 1;
	c->agree = 1;
	for (i = 0; i < 500; i++) {
		u64 j, k, s;

		udelay(37);
		if (i % 50 == 0)
			schedule_timeout_uninterruptible(1);
		j = get_jiffies_64();
		k = ktime_get_ns();
		s = local_clock();
		if (j < prev_j || k < prev_k || s < prev_s)
			c->monotonic_ok = 0;
		/* jiffies count whole milliseconds of the same clock. */
		if (j > ktime_get_ns() / NSEC_PER_JIFFY || ktime_get_mono_fast_ns() < k)
			c->agree = 0;
		prev_j = j;
		prev_k = k;
		prev_s = s;
	}

	k0 = ktime_get();
	j0 = jiffies;
	msleep(25);
	c->msleep_ms = ktime_ms_delta(ktime_get(), k0);
	c->msleep_jiffies = (long)(jiffies - j0);

	k0 = ktime_get();
	udelay(500);
	c->udelay_us = ktime_us_delta(ktime_get(), k0);

	k0 = ktime_get();
	usleep_range(1500, 2000);
	c->usleep_us = ktime_us_delta(ktime_get(), k0);

	c->realtime_ok = ktime_get_real_seconds() > 1700000000LL &&
			 ktime_get_boottime() >= k0;
	return 0;
}

static void test_clocks(void **state)
{
	struct clocks c = { 0 };

	zsim_test_boot(state, 2, 31);
	assert_int_equal(zsim_run(0, clocks_fn, &c), 0);
	assert_true(c.monotonic_ok);
	assert_true(c.agree);
	assert_true(c.msleep_ms >= 25);
	assert_true(c.msleep_jiffies >= 25);
	assert_true(c.udelay_us >= 500);
	assert_true(c.usleep_us >= 1500);
	assert_true(c.realtime_ok);
	zsim_test_shutdown_clean();
}

/* ---- timers ---- */

#define NR_TIMERS	5

struct ttest {
	struct timer_list	timers[NR_TIMERS];
	unsigned long		expires[NR_TIMERS];
	unsigned long		fired_at[NR_TIMERS];
	int			order[NR_TIMERS];
	int			nr_fired;
	int			softirq;
	int			in_ktimers;
	int			fire_count[NR_TIMERS];
	struct wait_queue_head	wq;
	int			started;
	int			done;
	int			r[8];
};

/* The timers are an array inside struct ttest: find it from the index. */
static struct ttest *the_test;

static void record_fn(struct timer_list *t)
{
	struct ttest *tt = the_test;
	int idx = (int)(t - tt->timers);

	tt->fired_at[idx] = jiffies;
	tt->fire_count[idx]++;
	tt->order[tt->nr_fired++] = idx;
	if (in_serving_softirq() && !preemptible())
		tt->softirq++;
	if (!strcmp(current->comm, "ktimers"))
		tt->in_ktimers++;
	wake_up_all(&tt->wq);
}

static int timer_order(void *arg)
{
	struct ttest *tt = arg;
	static const int delay[NR_TIMERS] = { 30, 10, 20, 20, 200 };
	unsigned long now = jiffies;
	int i;

	for (i = 0; i < NR_TIMERS; i++) {
		timer_setup(&tt->timers[i], record_fn, 0);
		tt->expires[i] = now + delay[i];
		tt->r[0] += mod_timer(&tt->timers[i], tt->expires[i]);
	}
	/* Re-arming a pending timer returns 1 and moves it: 200 -> 40. */
	tt->r[1] = mod_timer(&tt->timers[4], now + 40);
	tt->expires[4] = now + 40;
	tt->r[2] = timer_pending(&tt->timers[0]);
	if (!wait_event_timeout(tt->wq, READ_ONCE(tt->nr_fired) == NR_TIMERS, 5 * HZ))
		return -ETIMEDOUT;
	tt->r[3] = timer_pending(&tt->timers[0]);
	return 0;
}

static void test_timers_fire_in_order(void **state)
{
	static const int want[NR_TIMERS] = { 1, 2, 3, 0, 4 };
	struct ttest tt;
	int i;

	memset(&tt, 0, sizeof(tt));
	init_waitqueue_head(&tt.wq);
	the_test = &tt;
	zsim_test_boot(state, 4, 32);
	assert_int_equal(zsim_run(1, timer_order, &tt), 0);
	assert_int_equal(tt.r[0], 0);
	assert_int_equal(tt.r[1], 1);
	assert_true(tt.r[2]);
	assert_false(tt.r[3]);
	for (i = 0; i < NR_TIMERS; i++) {
		assert_int_equal(tt.order[i], want[i]);
		assert_int_equal(tt.fire_count[i], 1);
		assert_true(tt.fired_at[i] >= tt.expires[i]);
	}
	assert_int_equal(tt.softirq, NR_TIMERS);
	assert_int_equal(tt.in_ktimers, NR_TIMERS);
	zsim_test_shutdown_clean();
}

static int timer_delete_fn(void *arg)
{
	struct ttest *tt = arg;
	struct timer_list *t = &tt->timers[0];

	timer_setup(t, record_fn, 0);
	mod_timer(t, jiffies + 200);
	tt->r[0] = del_timer(t);
	tt->r[1] = timer_pending(t);
	tt->r[2] = del_timer(t);
	schedule_timeout_uninterruptible(250);
	tt->r[3] = tt->fire_count[0];
	/* timer_shutdown: later arming is ignored. */
	mod_timer(t, jiffies + 200);
	tt->r[4] = timer_shutdown_sync(t);
	tt->r[5] = mod_timer(t, jiffies + 5);
	schedule_timeout_uninterruptible(20);
	tt->r[6] = tt->fire_count[0];
	/* add_timer() uses ->expires. */
	timer_setup(t, record_fn, 0);
	t->expires = jiffies + 3;
	add_timer(t);
	if (!wait_event_timeout(tt->wq, READ_ONCE(tt->fire_count[0]) == 1, 5 * HZ))
		return -ETIMEDOUT;
	return 0;
}

static void test_del_timer(void **state)
{
	struct ttest tt;

	memset(&tt, 0, sizeof(tt));
	init_waitqueue_head(&tt.wq);
	the_test = &tt;
	zsim_test_boot(state, 2, 33);
	assert_int_equal(zsim_run(0, timer_delete_fn, &tt), 0);
	assert_int_equal(tt.r[0], 1);
	assert_false(tt.r[1]);
	assert_int_equal(tt.r[2], 0);
	assert_int_equal(tt.r[3], 0);
	assert_int_equal(tt.r[4], 1);
	assert_int_equal(tt.r[5], 0);
	assert_int_equal(tt.r[6], 0);
	zsim_test_shutdown_clean();
}

/* A long callback: scheduling points and busy time, no sleeping. */
static void slow_fn(struct timer_list *t)
{
	struct ttest *tt = the_test;
	int i;

	WRITE_ONCE(tt->started, 1);
	for (i = 0; i < 100; i++) {
		sched_point();
		ndelay(20000);
	}
	WRITE_ONCE(tt->done, 1);
}

static int del_sync_fn(void *arg)
{
	struct ttest *tt = arg;
	struct timer_list *t = &tt->timers[0];
	int i;

	timer_setup(t, slow_fn, 0);
	mod_timer(t, jiffies + 1);
	for (i = 0; i < 5000 && !READ_ONCE(tt->started); i++)
		sched_point();
	while (!READ_ONCE(tt->started))
		schedule_timeout_uninterruptible(1);
	tt->r[0] = del_timer_sync(t);
	tt->r[1] = READ_ONCE(tt->done);
	return 0;
}

static void test_del_timer_sync_waits(void **state)
{
	struct ttest tt;

	memset(&tt, 0, sizeof(tt));
	init_waitqueue_head(&tt.wq);
	the_test = &tt;
	zsim_test_boot(state, 4, 34);
	assert_int_equal(zsim_run(2, del_sync_fn, &tt), 0);
	assert_int_equal(tt.r[0], 0);	/* it had fired: not pending */
	assert_int_equal(tt.r[1], 1);	/* and finished before we returned */
	zsim_test_shutdown_clean();
}

/* Virtual time: an hour-long timer fires at once in wall-clock terms. */
static int long_timer(void *arg)
{
	struct ttest *tt = arg;
	struct timer_list *t = &tt->timers[0];
	ktime_t k0 = ktime_get();

	timer_setup(t, record_fn, 0);
	mod_timer(t, jiffies + 30 * 60 * HZ);
	if (!wait_event_timeout(tt->wq, READ_ONCE(tt->fire_count[0]), 40 * 60 * HZ))
		return -ETIMEDOUT;
	tt->r[0] = (int)(ktime_ms_delta(ktime_get(), k0) / 1000);
	return 0;
}

static void test_virtual_time_jump(void **state)
{
	struct ttest tt;
	struct timespec t0, t1;

	memset(&tt, 0, sizeof(tt));
	init_waitqueue_head(&tt.wq);
	the_test = &tt;
	zsim_test_boot(state, 2, 35);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(zsim_run(0, long_timer, &tt), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(tt.r[0] >= 30 * 60 && tt.r[0] < 31 * 60);
	assert_true(t1.tv_sec - t0.tv_sec < 10);
	zsim_test_shutdown_clean();
}

/* The same seed gives the same virtual times. */
static long virtual_msleep_end(uint64_t seed)
{
	struct zsim_config cfg;
	struct clocks c = { 0 };
	long end;

	zsim_config_init(&cfg);
	cfg.backend = ZSIM_CONTROLLED;
	cfg.nr_cpus = 2;
	cfg.seed = seed;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, clocks_fn, &c), 0);
	end = (long)(ktime_get_ns() / 1000);
	zsim_test_shutdown_clean();
	return end;
}

static void test_virtual_time_deterministic(void **state)
{
	assert_int_equal(virtual_msleep_end(5), virtual_msleep_end(5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST_PLAIN(test_ktime_arith),
		TEST_BOTH(test_clocks),
		TEST_BOTH(test_timers_fire_in_order),
		TEST_BOTH(test_del_timer),
		TEST_BOTH(test_del_timer_sync_waits),
		TEST_CONTROLLED(test_virtual_time_jump),
		TEST_CONTROLLED(test_virtual_time_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
