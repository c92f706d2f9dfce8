/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sched_clock() and local_clock() (<linux/sched/clock.h>): nanoseconds on
 * the machine's clock (see <linux/timekeeping.h>). The kernel's per-CPU
 * clocks may drift apart slightly; the simulator's CPUs share one clock.
 */
#ifndef _SHIM_LINUX_SCHED_CLOCK_H
#define _SHIM_LINUX_SCHED_CLOCK_H

#include <linux/types.h>

u64 sched_clock(void);
u64 local_clock(void);
u64 running_clock(void);

static inline u64 cpu_clock(int cpu)
{
	(void)cpu;
	return sched_clock();
}

#endif /* _SHIM_LINUX_SCHED_CLOCK_H */
