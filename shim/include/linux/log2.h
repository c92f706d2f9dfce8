/* SPDX-License-Identifier: GPL-2.0-only */
/* Integer base-2 logarithms and powers of two (<linux/log2.h>). */
#ifndef _SHIM_LINUX_LOG2_H
#define _SHIM_LINUX_LOG2_H

#include <linux/bits.h>
#include <linux/types.h>

/* As the kernel: 0 is not a power of two. */
static inline __attribute__((const)) bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* floor(log2(n)) for n > 0. */
#define ilog2(n)	((int)(BITS_PER_LONG - 1 - __builtin_clzl((unsigned long)(n))))

static inline __attribute__((const)) unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (ilog2(n - 1) + 1);
}

#endif /* _SHIM_LINUX_LOG2_H */
