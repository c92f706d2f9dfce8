/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compiler helpers with the kernel's names.
 *
 * READ_ONCE()/WRITE_ONCE() are volatile accesses as in the kernel; they are
 * not scheduling points (atomics and locks are, see <linux/atomic.h>).
 */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#include <stddef.h>

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define barrier()		__asm__ __volatile__("" ::: "memory")

#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define noinline		__attribute__((__noinline__))
#define __noreturn		__attribute__((__noreturn__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __cold			__attribute__((__cold__))
#define __weak			__attribute__((__weak__))
#define __read_mostly
#define __ro_after_init
#define __init
#define __exit
#define __initdata
#define __cacheline_aligned	__aligned(64)
#define ____cacheline_aligned	__aligned(64)
#define ____cacheline_aligned_in_smp __aligned(64)
#define fallthrough		__attribute__((__fallthrough__))
#define notrace

/* Sparse annotations: documentation only, as in a non-sparse kernel build. */
#define __percpu
#define __rcu
#define __iomem
#define __user
#define __force
#define __bitwise
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define __cond_acquires(x)

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)
#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))
#define __is_constexpr(x)	__builtin_constant_p(x)

#define __READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define READ_ONCE(x)		__READ_ONCE(x)
#define WRITE_ONCE(x, val)	do { *(volatile typeof(x) *)&(x) = (val); } while (0)

#define data_race(expr)		(expr)

#define _RET_IP_		((unsigned long)__builtin_return_address(0))
#define _THIS_IP_		({ __label__ __here; __here: (unsigned long)&&__here; })

#endif /* _SHIM_LINUX_COMPILER_H */
