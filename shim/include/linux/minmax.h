/* SPDX-License-Identifier: GPL-2.0-only */
/* min()/max()/clamp() evaluating each argument once, as <linux/minmax.h>. */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#define __cmp_once(op, x, y) ({						\
	typeof(x) __x = (x);						\
	typeof(y) __y = (y);						\
	__x op __y ? __x : __y; })

#define min(x, y)		__cmp_once(<, x, y)
#define max(x, y)		__cmp_once(>, x, y)
#define min3(x, y, z)		min(min(x, y), z)
#define max3(x, y, z)		max(max(x, y), z)
#define min_t(type, x, y)	__cmp_once(<, (type)(x), (type)(y))
#define max_t(type, x, y)	__cmp_once(>, (type)(x), (type)(y))
/* For constant expressions (array sizes); arguments evaluated twice. */
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#define clamp(val, lo, hi)	min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi)	clamp_t(typeof(val), val, lo, hi)
#define swap(a, b) do {							\
	typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif /* _SHIM_LINUX_MINMAX_H */
