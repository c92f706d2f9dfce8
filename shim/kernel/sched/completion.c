// SPDX-License-Identifier: GPL-2.0-only
/*
 * Completions (kernel/sched/completion.c).
 *
 * done is read and changed under the wait queue's raw lock. A waiter
 * consumes one unit of done if there is one; otherwise it queues itself
 * exclusively, sets its state, and checks again before sleeping, so a
 * complete() in between is not lost. complete() adds a unit and wakes one
 * waiter, complete_all() sets done to UINT_MAX and wakes all.
 *
 * Difference: the kernel consumes and wakes under one lock, so a wake-up
 * always reaches a waiter that still needs it. Here a waiter can be woken
 * by one complete() while it consumes the unit of an earlier one; so a
 * waiter that leaves with units still pending passes a wake-up on.
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <sim/sched.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

static bool completion_consume(struct completion *x)
{
	bool ok = false;

	sim_rawlock_lock(&x->wait.lock);
	if (x->done) {
		if (x->done != UINT_MAX)
			x->done--;
		ok = true;
	}
	sim_rawlock_unlock(&x->wait.lock);
	return ok;
}

static unsigned int completion_pending(struct completion *x)
{
	return __atomic_load_n(&x->done, __ATOMIC_ACQUIRE);
}

/*
 * A thread that is not a simulated task cannot sleep: in the free-running
 * backend it polls on the host; in the controlled backend nothing runs
 * while it waits, so that would hang and is refused.
 */
static long wait_outside_task(struct completion *x, long timeout)
{
	u64 deadline = timeout == MAX_SCHEDULE_TIMEOUT ? 0 :
		       sched_clock_ns() + jiffies_to_nsecs(timeout) + 1;

	if (sim_controlled()) {
		fprintf(stderr, "zswapsim: wait_for_completion() on a thread that is not a "
			"simulated task (controlled backend): wait inside zsim_run()\n");
		abort();
	}
	while (!completion_consume(x)) {
		if (deadline && sched_clock_ns() >= deadline)
			return 0;
		sched_yield();
	}
	return timeout ? timeout : 1;
}

static long do_wait_for_common(struct completion *x, long timeout, int state)
{
	struct wait_queue_entry wait;

	if (completion_consume(x))
		return timeout ? timeout : 1;
	if (!current)
		return wait_outside_task(x, timeout);
	init_wait_entry(&wait, WQ_FLAG_EXCLUSIVE);
	for (;;) {
		prepare_to_wait_exclusive(&x->wait, &wait, state);
		if (completion_consume(x))
			break;
		if (!timeout) {
			finish_wait(&x->wait, &wait);
			return 0;
		}
		sched_set_blocked_on("wait_for_completion()");
		timeout = schedule_timeout(timeout);
		if (!timeout) {
			/* Timed out, unless it completed at the last moment. */
			finish_wait(&x->wait, &wait);
			if (!completion_consume(x))
				return 0;
			timeout = 1;
			goto pass_on;
		}
	}
	finish_wait(&x->wait, &wait);
pass_on:
	/* We may have absorbed the wake-up meant for another waiter. */
	if (completion_pending(x))
		wake_up(&x->wait);
	return timeout ? timeout : 1;
}

static long wait_for_common(struct completion *x, long timeout, int state)
{
	might_sleep();
	return do_wait_for_common(x, timeout, state);
}

void wait_for_completion(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE);
}

void wait_for_completion_io(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_UNINTERRUPTIBLE);
}

int wait_for_completion_interruptible(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_INTERRUPTIBLE);
	return 0;
}

int wait_for_completion_killable(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, TASK_KILLABLE);
	return 0;
}

int wait_for_completion_state(struct completion *x, unsigned int state)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT, state);
	return 0;
}

unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	return wait_for_common(x, timeout, TASK_UNINTERRUPTIBLE);
}

unsigned long wait_for_completion_io_timeout(struct completion *x, unsigned long timeout)
{
	return wait_for_common(x, timeout, TASK_UNINTERRUPTIBLE);
}

long wait_for_completion_interruptible_timeout(struct completion *x, unsigned long timeout)
{
	return wait_for_common(x, timeout, TASK_INTERRUPTIBLE);
}

long wait_for_completion_killable_timeout(struct completion *x, unsigned long timeout)
{
	return wait_for_common(x, timeout, TASK_KILLABLE);
}

bool try_wait_for_completion(struct completion *x)
{
	sched_point();
	/* Do not take the lock when there is nothing to take, as the kernel. */
	if (!completion_pending(x))
		return false;
	return completion_consume(x);
}

bool completion_done(struct completion *x)
{
	sched_point();
	return completion_pending(x) != 0;
}

void complete(struct completion *x)
{
	sched_point();
	sim_rawlock_lock(&x->wait.lock);
	if (x->done != UINT_MAX)
		x->done++;
	sim_rawlock_unlock(&x->wait.lock);
	wake_up(&x->wait);
}

void complete_on_current_cpu(struct completion *x)
{
	complete(x);
}

void complete_all(struct completion *x)
{
	sched_point();
	sim_rawlock_lock(&x->wait.lock);
	x->done = UINT_MAX;
	sim_rawlock_unlock(&x->wait.lock);
	wake_up_all(&x->wait);
}
