/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Overflow-checked arithmetic (<linux/overflow.h>): the compiler builtins,
 * as the kernel's. Each returns true (and stores the wrapped value) when
 * the result does not fit *@d.
 */
#ifndef _SHIM_LINUX_OVERFLOW_H
#define _SHIM_LINUX_OVERFLOW_H

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_sub_overflow(a, b, d)	__builtin_sub_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

#endif /* _SHIM_LINUX_OVERFLOW_H */
