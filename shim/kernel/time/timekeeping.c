// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machine's clocks (kernel/time/timekeeping.c, kernel/sched/clock.c,
 * kernel/time/jiffies.c). One time source, sched_clock_ns(): virtual
 * nanoseconds in the controlled backend, host monotonic nanoseconds since
 * machine start in the free-running backend. Everything else is derived
 * from it, so jiffies, ktime_get() and sched_clock() always agree.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched/clock.h>
#include <linux/timekeeping.h>
#include <sim/sched.h>
#include <time.h>

#include "timer_internal.h"

/*
 * The wall clock at machine start. The controlled backend starts every run
 * at the same instant (2024-01-01 00:00:00 UTC) so that a run does not
 * depend on when it happened.
 */
#define CONTROLLED_EPOCH_NS	(1704067200LL * NSEC_PER_SEC)

static s64 realtime_offset_ns;

void timekeeping_init(void)
{
	struct timespec ts;

	if (sim_controlled()) {
		realtime_offset_ns = CONTROLLED_EPOCH_NS;
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	realtime_offset_ns = (s64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec -
			     (s64)sched_clock_ns();
}

u64 get_jiffies_64(void)
{
	return sched_clock_ns() / NSEC_PER_JIFFY;
}

ktime_t ktime_get(void)
{
	return (ktime_t)sched_clock_ns();
}

/* The machine never suspends: boot time and raw time are monotonic time. */
ktime_t ktime_get_boottime(void)
{
	return ktime_get();
}

ktime_t ktime_get_raw(void)
{
	return ktime_get();
}

ktime_t ktime_get_real(void)
{
	return ktime_get() + realtime_offset_ns;
}

u64 ktime_get_mono_fast_ns(void)
{
	return sched_clock_ns();
}

u64 ktime_get_raw_fast_ns(void)
{
	return sched_clock_ns();
}

u64 ktime_get_boot_fast_ns(void)
{
	return sched_clock_ns();
}

u64 ktime_get_real_fast_ns(void)
{
	return (u64)ktime_get_real();
}

time64_t ktime_get_seconds(void)
{
	return ktime_get() / NSEC_PER_SEC;
}

time64_t ktime_get_real_seconds(void)
{
	return ktime_get_real() / NSEC_PER_SEC;
}

u64 sched_clock(void)
{
	return sched_clock_ns();
}

u64 local_clock(void)
{
	return sched_clock_ns();
}

u64 running_clock(void)
{
	return sched_clock_ns();
}
