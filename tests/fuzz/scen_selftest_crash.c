// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver's self-test of runs that end badly, in race-fuzz-selftest
 * only: selftest-crash picks by its seed what the run does, so that one
 * campaign has bad runs among clean ones.
 *
 * - seed % 4 == 1: a kworker hits BUG() holding the scenario's static
 *   mutex while a task sleeps on its static wait queue; the test waits for
 *   that task: the deadlock wedges the machine, which is abandoned with
 *   the mutex held and the waiter (on a killed task's stack) queued;
 * - seed % 4 == 3: a task dereferences a bad pointer: SIGSEGV (ASan's SEGV
 *   report in a sanitizer build);
 * - otherwise a clean run using the same mutex and wait queue.
 *
 * Like a module's file-scope locks, the mutex and the wait queue outlive
 * the machine in the process: a run after a wedged one finds them as the
 * killed tasks left them unless each run has a process of its own, which
 * is what race-fuzz does by default (child.c). The tests check that the
 * clean runs of a campaign stay clean and equal to the same seeds alone.
 */
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <stdio.h>

#include "scenario.h"

static DEFINE_MUTEX(stc_lock);
static DECLARE_WAIT_QUEUE_HEAD(stc_wq);
static int stc_count;
static bool stc_flag;

static void stc_bug_fn(struct work_struct *work)
{
	mutex_lock(&stc_lock);
	BUG();
}

static int stc_waiter(void *arg)
{
	wait_event(stc_wq, READ_ONCE(stc_flag));
	return 0;
}

static int stc_bug(void *arg)
{
	static DECLARE_WORK(stc_work, stc_bug_fn);

	schedule_work(&stc_work);
	flush_work(&stc_work);
	return 0;
}

static int stc_segv(void *arg)
{
	int *volatile bad = (int *)16;

	cond_resched();
	return *bad;
}

static int stc_clean(void *arg)
{
	int i;

	for (i = 0; i < 4; i++) {
		mutex_lock(&stc_lock);
		stc_count++;
		cond_resched();
		mutex_unlock(&stc_lock);
	}
	if (arg) {
		WRITE_ONCE(stc_flag, true);
		wake_up(&stc_wq);
	} else {
		wait_event(stc_wq, READ_ONCE(stc_flag));
	}
	return 0;
}

static int stc_join2(const struct fuzz_opts *o, int (*fa)(void *), int (*fb)(void *),
		     void *b)
{
	struct zsim_task *t[2];
	int r0, r1;

	t[0] = zsim_spawn(0, fa, NULL, "stc-a");
	t[1] = zsim_spawn(o->nr_cpus > 1 ? 1 : 0, fb, b, "stc-b");
	if (!t[0] || !t[1])
		return -ENOMEM;
	r0 = zsim_join(t[0]);
	r1 = zsim_join(t[1]);
	return r0 ? r0 : r1;
}

static int stc_run(const struct fuzz_opts *o, char *why, size_t len)
{
	int ret;

	stc_count = 0;
	stc_flag = false;
	switch (o->seed % 4) {
	case 1:
		ret = stc_join2(o, stc_waiter, stc_bug, NULL);
		snprintf(why, len, "BUG in a kworker holding stc_lock: %d", ret);
		return ret ? ret : -EFAULT;
	case 3:
		return zsim_run(0, stc_segv, NULL);
	}
	ret = stc_join2(o, stc_clean, stc_clean, (void *)1);
	if (ret) {
		snprintf(why, len, "the clean run did not finish: %d", ret);
		return ret;
	}
	if (stc_count != 8) {
		snprintf(why, len, "count %d after 8 locked increments", stc_count);
		return -EBADMSG;
	}
	return 0;
}

FUZZ_SCENARIO(scen_selftest_crash) = {
	.name = "selftest-crash",
	.desc = "self-test: seed%4==1 BUG-wedges holding static state, ==3 segfaults, else clean",
	.run = stc_run,
};
