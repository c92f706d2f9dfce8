// SPDX-License-Identifier: GPL-2.0-only
/* Wait queues: wait_event()/wake_up() and their timeout and exclusive forms. */
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <sim/sched.h>

#include "zsim_test.h"

struct mailbox {
	struct wait_queue_head	wq;
	int			posted;
	int			taken;
	int			rounds;
};

static int producer(void *arg)
{
	struct mailbox *mb = arg;
	int i;

	for (i = 0; i < mb->rounds; i++) {
		/* Wait for the consumer to take the previous one. */
		wait_event(mb->wq, READ_ONCE(mb->taken) == i);
		WRITE_ONCE(mb->posted, i + 1);
		wake_up_all(&mb->wq);
	}
	return 0;
}

static int consumer(void *arg)
{
	struct mailbox *mb = arg;
	int i, sum = 0;

	for (i = 0; i < mb->rounds; i++) {
		wait_event(mb->wq, READ_ONCE(mb->posted) == i + 1);
		sum += READ_ONCE(mb->posted);
		WRITE_ONCE(mb->taken, i + 1);
		wake_up_all(&mb->wq);
	}
	return sum;
}

static void test_ping_pong(void **state)
{
	struct mailbox mb = { .rounds = 300 };
	struct zsim_task *p, *c;

	init_waitqueue_head(&mb.wq);
	zsim_test_boot(state, 2, 21);
	assert_non_null(c = zsim_spawn(0, consumer, &mb, "consumer"));
	assert_non_null(p = zsim_spawn(1, producer, &mb, "producer"));
	assert_int_equal(zsim_join(p), 0);
	assert_int_equal(zsim_join(c), 300 * 301 / 2);
	assert_false(waitqueue_active(&mb.wq));
	zsim_test_shutdown_clean();
}

static struct wait_queue_head timeout_wq;
static int timeout_flag;

/* Wait up to *@arg ms for the flag. */
static int wait_with_timeout(void *arg)
{
	unsigned int ms = *(unsigned int *)arg;

	return (int)wait_event_timeout(timeout_wq, READ_ONCE(timeout_flag), msecs_to_jiffies(ms));
}

static int set_flag_and_wake(void *arg)
{
	WRITE_ONCE(timeout_flag, 1);
	wake_up(&timeout_wq);
	return 0;
}

static void test_wait_event_timeout(void **state)
{
	/*
	 * The waker's wait gets far more than it needs: on a loaded host a
	 * free-running waker may start many ms after the waiter.
	 */
	unsigned int short_ms = 5, long_ms = 20000;
	struct zsim_task *w;

	init_waitqueue_head(&timeout_wq);
	timeout_flag = 0;
	zsim_test_boot(state, 2, 3);
	/* Nobody sets the flag: times out with 0. */
	assert_int_equal(zsim_run(0, wait_with_timeout, &short_ms), 0);
	/* Already true: returns the timeout's remaining jiffies, at least 1. */
	timeout_flag = 1;
	assert_true(zsim_run(0, wait_with_timeout, &short_ms) >= 1);
	/* Set while waiting: woken with time left. */
	timeout_flag = 0;
	assert_non_null(w = zsim_spawn(0, wait_with_timeout, &long_ms, "waiter"));
	assert_int_equal(zsim_run(1, set_flag_and_wake, NULL), 0);
	assert_true(zsim_join(w) >= 1);
	zsim_test_shutdown_clean();
}

/* wake_up() wakes one exclusive waiter, wake_up_all() every one. */
static struct wait_queue_head excl_wq;
static int tokens, woken;

static int exclusive_waiter(void *arg)
{
	struct wait_queue_entry wait;

	init_wait_entry(&wait, 0);
	for (;;) {
		prepare_to_wait_exclusive(&excl_wq, &wait, TASK_UNINTERRUPTIBLE);
		if (__atomic_load_n(&tokens, __ATOMIC_SEQ_CST))
			break;
		schedule();
	}
	finish_wait(&excl_wq, &wait);
	__atomic_fetch_sub(&tokens, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&woken, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int give_tokens(void *arg)
{
	int i, n = (int)(long)arg;

	for (i = 0; i < n; i++) {
		__atomic_fetch_add(&tokens, 1, __ATOMIC_SEQ_CST);
		wake_up(&excl_wq);
	}
	return 0;
}

static void test_exclusive_wakeups(void **state)
{
	struct zsim_task *w[4];
	int i;

	init_waitqueue_head(&excl_wq);
	tokens = woken = 0;
	zsim_test_boot(state, 4, 17);
	for (i = 0; i < 4; i++)
		assert_non_null(w[i] = zsim_spawn(i, exclusive_waiter, NULL, "excl"));
	assert_int_equal(zsim_run(0, give_tokens, (void *)4L), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(zsim_join(w[i]), 0);
	assert_int_equal(woken, 4);
	assert_int_equal(tokens, 0);
	zsim_test_shutdown_clean();
}

/*
 * A task preempted between prepare_to_wait() and schedule() is still
 * runnable, as in the kernel: if the condition came true before it was
 * queued (nobody will wake it), it must get back to its check. Here the
 * waker finished first, so a scheduler that parked the preempted task as
 * sleeping would report a deadlock.
 */
static struct wait_queue_head early_wq;
static int early_cond;

static int set_early_cond(void *arg)
{
	WRITE_ONCE(early_cond, 1);
	wake_up(&early_wq);
	return 0;
}

static int wait_after_early_wakeup(void *arg)
{
	DEFINE_WAIT(wait);
	int slept = 0;

	prepare_to_wait(&early_wq, &wait, TASK_UNINTERRUPTIBLE);
	sched_point();		/* preempted while not TASK_RUNNING */
	if (!READ_ONCE(early_cond)) {
		schedule();
		slept = 1;
	}
	finish_wait(&early_wq, &wait);
	return slept;
}

static void test_preempted_waiter_stays_runnable(void **state)
{
	uint64_t seed;

	for (seed = 1; seed <= 20; seed++) {
		struct zsim_config cfg;

		zsim_test_config(state, &cfg, 2, seed);
		cfg.migrate_permille = 500;
		init_waitqueue_head(&early_wq);
		early_cond = 0;
		assert_int_equal(zsim_machine_start(&cfg), 0);
		assert_int_equal(zsim_run(0, set_early_cond, NULL), 0);
		assert_int_equal(zsim_run(1, wait_after_early_wakeup, NULL), 0);
		zsim_test_shutdown_clean();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_ping_pong),
		ZSIM_TEST_BOTH(test_wait_event_timeout),
		ZSIM_TEST_BOTH(test_exclusive_wakeups),
		ZSIM_TEST_BOTH(test_preempted_waiter_stays_runnable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
