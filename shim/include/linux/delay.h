/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Delays and sleeps (<linux/delay.h>).
 *
 * udelay(), ndelay() and mdelay() busy-wait without sleeping, so they are
 * allowed in atomic context. In the controlled backend they charge the time
 * to the virtual clock with sched_charge_ns() instead of spinning (the clock
 * then reads at least that much later); in the free-running backend they
 * spin on the host clock.
 *
 * msleep() and friends sleep through schedule_timeout(), whose deadline is
 * exact in nanoseconds from the call (the kernel's is a jiffy boundary, so
 * its msleep() adds one jiffy; here the sleep already lasts at least the
 * requested time). usleep_range() sleeps at least @min microseconds, rounded
 * up to a jiffy (1 ms): there are no high-resolution timers.
 */
#ifndef _SHIM_LINUX_DELAY_H
#define _SHIM_LINUX_DELAY_H

#include <linux/sched.h>
#include <linux/types.h>

void ndelay(unsigned long nsecs);
void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);

void msleep(unsigned int msecs);
unsigned long msleep_interruptible(unsigned int msecs);
void usleep_range_state(unsigned long min, unsigned long max, unsigned int state);

static inline void usleep_range(unsigned long min, unsigned long max)
{
	usleep_range_state(min, max, TASK_UNINTERRUPTIBLE);
}

static inline void usleep_idle_range(unsigned long min, unsigned long max)
{
	usleep_range_state(min, max, TASK_IDLE);
}

static inline void ssleep(unsigned int seconds)
{
	msleep(seconds * 1000);
}

/* Sleep about @usecs: busy-wait below 10 us, as the kernel's fsleep(). */
static inline void fsleep(unsigned long usecs)
{
	if (usecs <= 10)
		udelay(usecs);
	else if (usecs <= 20000)
		usleep_range(usecs, 2 * usecs);
	else
		msleep((usecs + 999) / 1000);
}

#endif /* _SHIM_LINUX_DELAY_H */
