/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The clocks (<linux/timekeeping.h>).
 *
 * Every clock derives from sched_clock_ns() (<sim/sched.h>): nanoseconds
 * since the machine started, virtual and deterministic in the controlled
 * backend, the host's monotonic clock in the free-running backend. The
 * simulated machine never suspends, so CLOCK_BOOTTIME equals
 * CLOCK_MONOTONIC; CLOCK_REALTIME is the host's wall clock at machine start
 * plus the machine's monotonic time, so it is deterministic in the
 * controlled backend except for its starting point. The "fast" and
 * "coarse" accessors are the same clock: there is no NMI-safety or
 * resolution trade-off to model.
 */
#ifndef _SHIM_LINUX_TIMEKEEPING_H
#define _SHIM_LINUX_TIMEKEEPING_H

#include <linux/ktime.h>
#include <linux/types.h>

ktime_t ktime_get(void);
ktime_t ktime_get_real(void);
ktime_t ktime_get_boottime(void);
ktime_t ktime_get_raw(void);

static inline ktime_t ktime_get_coarse(void)
{
	return ktime_get();
}

static inline u64 ktime_get_ns(void)
{
	return ktime_to_ns(ktime_get());
}

static inline u64 ktime_get_real_ns(void)
{
	return ktime_to_ns(ktime_get_real());
}

static inline u64 ktime_get_boottime_ns(void)
{
	return ktime_to_ns(ktime_get_boottime());
}

static inline u64 ktime_get_raw_ns(void)
{
	return ktime_to_ns(ktime_get_raw());
}

static inline u64 ktime_get_coarse_ns(void)
{
	return ktime_to_ns(ktime_get_coarse());
}

u64 ktime_get_mono_fast_ns(void);
u64 ktime_get_raw_fast_ns(void);
u64 ktime_get_boot_fast_ns(void);
u64 ktime_get_real_fast_ns(void);

static inline void ktime_get_ts64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(ktime_get_ns());
}

static inline void ktime_get_real_ts64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(ktime_get_real_ns());
}

/* Whole seconds since machine start, and of the wall clock. */
time64_t ktime_get_seconds(void);
time64_t ktime_get_real_seconds(void);

#endif /* _SHIM_LINUX_TIMEKEEPING_H */
