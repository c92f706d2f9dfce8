// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel threads: creation, binding, stopping (also before the first
 * wake-up), exit codes, and the wait_event_interruptible() loop.
 */
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/wait.h>

#include "zsim_test.h"

struct loop {
	int	iterations;
	int	started;
	int	cpu_seen;
};

static int looper(void *arg)
{
	struct loop *l = arg;

	WRITE_ONCE(l->started, 1);
	l->cpu_seen = raw_smp_processor_id();
	while (!kthread_should_stop()) {
		l->iterations++;
		schedule_timeout_interruptible(1);
	}
	return 42;
}

static int start_and_stop(void *arg)
{
	struct loop *l = arg;
	struct task_struct *k;

	k = kthread_create(looper, l, "looper/%d", 3);
	if (IS_ERR(k))
		return (int)PTR_ERR(k);
	if (strcmp(k->comm, "looper/3") || !(k->flags & PF_KTHREAD))
		return -100;
	/* Created but not started until woken. */
	schedule_timeout_uninterruptible(3);
	if (READ_ONCE(l->started))
		return -101;
	kthread_bind(k, 2);
	wake_up_process(k);
	/* Until it ran a loop (free-running, a loaded host may take a while). */
	while (!READ_ONCE(l->iterations))
		schedule_timeout_uninterruptible(1);
	return kthread_stop(k);
}

static void test_kthread_lifecycle(void **state)
{
	struct loop l = { 0 };

	zsim_test_boot(state, 4, 2);
	assert_int_equal(zsim_run(0, start_and_stop, &l), 42);
	assert_int_equal(l.started, 1);
	assert_int_equal(l.cpu_seen, 2);
	assert_true(l.iterations >= 1);
	zsim_test_shutdown_clean();
}

static int exits_early(void *arg)
{
	WRITE_ONCE(*(int *)arg, 1);
	kthread_exit(7);
}

static int run_exits_early(void *arg)
{
	int started = 0;
	struct task_struct *k = kthread_run(exits_early, &started, "early");

	if (IS_ERR(k))
		return (int)PTR_ERR(k);
	/*
	 * A stop that beats the woken thread to its first check returns
	 * -EINTR, as in the kernel: wait until it runs.
	 */
	while (!READ_ONCE(started))
		schedule_timeout_uninterruptible(1);
	return kthread_stop(k);
}

static void test_kthread_exit_code(void **state)
{
	zsim_test_boot(state, 2, 2);
	assert_int_equal(zsim_run(1, run_exits_early, NULL), 7);
	zsim_test_shutdown_clean();
}

/* kthread_stop() before the first wake-up: -EINTR, the function never runs. */
static int must_not_run(void *arg)
{
	WRITE_ONCE(*(int *)arg, 1);
	return 0;
}

static int stop_unstarted(void *arg)
{
	struct task_struct *k = kthread_create(must_not_run, arg, "unstarted");

	if (IS_ERR(k))
		return (int)PTR_ERR(k);
	schedule_timeout_uninterruptible(2);
	return kthread_stop(k);
}

static void test_kthread_stop_unstarted(void **state)
{
	int ran = 0;

	zsim_test_boot(state, 2, 5);
	assert_int_equal(zsim_run(0, stop_unstarted, &ran), -EINTR);
	assert_int_equal(ran, 0);
	zsim_test_shutdown_clean();
}

/*
 * The usual kthread loop: wait_event_interruptible() for work or a stop.
 * No signals reach simulated tasks, so it returns 0 once the condition holds.
 */
struct waiter {
	struct wait_queue_head	wq;
	int			work;
	int			handled;
	int			bad_ret;
};

static int interruptible_loop(void *arg)
{
	struct waiter *w = arg;

	for (;;) {
		int ret = wait_event_interruptible(w->wq, READ_ONCE(w->work) ||
						   kthread_should_stop());

		if (ret)
			w->bad_ret = ret;
		if (kthread_should_stop())
			break;
		WRITE_ONCE(w->work, 0);
		w->handled++;
		wake_up_all(&w->wq);
	}
	/* Timed out: 0; condition already true: the time left (at least 1). */
	if (wait_event_interruptible_timeout(w->wq, false, 2) != 0)
		w->bad_ret = -100;
	if (wait_event_interruptible_timeout(w->wq, true, 5) < 1)
		w->bad_ret = -101;
	return 0;
}

static int drive_interruptible(void *arg)
{
	struct waiter *w = arg;
	struct task_struct *k;
	int i;

	init_waitqueue_head(&w->wq);
	k = kthread_run(interruptible_loop, w, "waiter");
	if (IS_ERR(k))
		return (int)PTR_ERR(k);
	for (i = 0; i < 3; i++) {
		WRITE_ONCE(w->work, 1);
		wake_up_interruptible(&w->wq);
		wait_event(w->wq, !READ_ONCE(w->work));
	}
	return kthread_stop(k);
}

static void test_wait_event_interruptible(void **state)
{
	struct waiter w = { 0 };

	zsim_test_boot(state, 2, 9);
	assert_int_equal(zsim_run(0, drive_interruptible, &w), 0);
	assert_int_equal(w.handled, 3);
	assert_int_equal(w.bad_ret, 0);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_kthread_lifecycle),
		ZSIM_TEST_BOTH(test_kthread_exit_code),
		ZSIM_TEST_BOTH(test_kthread_stop_unstarted),
		ZSIM_TEST_BOTH(test_wait_event_interruptible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
