// SPDX-License-Identifier: GPL-2.0-only
/* Kernel threads: creation, binding, stopping, exit codes. */
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
	schedule_timeout_uninterruptible(5);
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
	kthread_exit(7);
}

static int run_exits_early(void *arg)
{
	struct task_struct *k = kthread_run(exits_early, NULL, "early");

	if (IS_ERR(k))
		return (int)PTR_ERR(k);
	return kthread_stop(k);
}

static void test_kthread_exit_code(void **state)
{
	zsim_test_boot(state, 2, 2);
	assert_int_equal(zsim_run(1, run_exits_early, NULL), 7);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_kthread_lifecycle),
		ZSIM_TEST_BOTH(test_kthread_exit_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
