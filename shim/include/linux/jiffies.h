/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * jiffies (<linux/jiffies.h>). HZ is 1000. jiffies counts from the
 * machine's start on its clock: the host's monotonic clock in the
 * free-running backend, virtual time in the controlled backend.
 */
#ifndef _SHIM_LINUX_JIFFIES_H
#define _SHIM_LINUX_JIFFIES_H

#include <linux/types.h>

#define HZ			1000
#define NSEC_PER_JIFFY		(1000000000ULL / HZ)
#define MAX_JIFFY_OFFSET	((long)((~0UL >> 1) - 1))

u64 get_jiffies_64(void);
#define jiffies			((unsigned long)get_jiffies_64())

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define time_is_before_jiffies(a) time_after(jiffies, a)
#define time_is_after_jiffies(a)  time_before(jiffies, a)

static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	return m;
}

static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	return (u + 999) / 1000;
}

/* Truncates, as the kernel's does (unlike the msecs/usecs forms). */
static inline unsigned long nsecs_to_jiffies(u64 n)
{
	return (unsigned long)(n / NSEC_PER_JIFFY);
}

static inline unsigned int jiffies_to_msecs(const unsigned long j)
{
	return (unsigned int)j;
}

static inline unsigned int jiffies_to_usecs(const unsigned long j)
{
	return (unsigned int)(j * 1000);
}

static inline u64 jiffies_to_nsecs(const unsigned long j)
{
	return (u64)j * NSEC_PER_JIFFY;
}

#endif /* _SHIM_LINUX_JIFFIES_H */
