// SPDX-License-Identifier: GPL-2.0-only
/*
 * Busy-waits and sleeps (<linux/delay.h>; kernel/time/sleep_timeout.c and
 * the architectures' delay loops).
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/time64.h>
#include <sim/sched.h>
#include <sched.h>
#include <time.h>

/*
 * A busy-wait does not sleep and is not a scheduling point, as in the
 * kernel. The controlled backend has no real time to spin on: the wait is
 * charged to the virtual clock instead, which moves it forward at once.
 */
static void busy_wait_ns(u64 ns)
{
	u64 end;
	unsigned int spins = 0;

	if (sim_controlled()) {
		sched_charge_ns(ns);
		return;
	}
	end = sched_clock_ns() + ns;
	while (sched_clock_ns() < end) {
		if (++spins % 1024 == 0)
			sched_yield();
	}
}

void ndelay(unsigned long nsecs)
{
	busy_wait_ns(nsecs);
}

void udelay(unsigned long usecs)
{
	busy_wait_ns((u64)usecs * NSEC_PER_USEC);
}

void mdelay(unsigned long msecs)
{
	busy_wait_ns((u64)msecs * NSEC_PER_MSEC);
}

/*
 * A thread that is not a simulated task cannot sleep in the scheduling
 * layer: it waits on the host (free-running) or moves virtual time
 * (controlled) instead.
 */
static void sleep_outside_machine(u64 ns)
{
	struct timespec ts = {
		.tv_sec = ns / NSEC_PER_SEC,
		.tv_nsec = ns % NSEC_PER_SEC,
	};

	if (sim_controlled())
		sched_charge_ns(ns);
	else
		nanosleep(&ts, NULL);
}

/* Sleep in @state until the clock reads at least @end (ns). */
static void sleep_until_ns(u64 end, unsigned int state)
{
	u64 now;

	if (!current) {
		now = sched_clock_ns();
		if (now < end)
			sleep_outside_machine(end - now);
		return;
	}
	might_sleep();
	while ((now = sched_clock_ns()) < end) {
		__set_current_state(state);
		/* Rounded up: a remainder under a jiffy must still sleep. */
		schedule_timeout((long)nsecs_to_jiffies(end - now + NSEC_PER_JIFFY - 1));
	}
	/* The timeout was what the caller asked for: not a hang. */
	sched_delay_done();
}

void msleep(unsigned int msecs)
{
	sleep_until_ns(sched_clock_ns() + (u64)msecs * NSEC_PER_MSEC, TASK_UNINTERRUPTIBLE);
}

/* No signals reach simulated tasks, so the whole time is always slept. */
unsigned long msleep_interruptible(unsigned int msecs)
{
	sleep_until_ns(sched_clock_ns() + (u64)msecs * NSEC_PER_MSEC, TASK_INTERRUPTIBLE);
	return 0;
}

void usleep_range_state(unsigned long min, unsigned long max, unsigned int state)
{
	(void)max;
	sleep_until_ns(sched_clock_ns() + (u64)min * NSEC_PER_USEC, state);
}
