/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xchg(), cmpxchg() and try_cmpxchg() on plain scalars and pointers
 * (<asm/cmpxchg.h>, <linux/atomic/atomic-instrumented.h>).
 *
 * Ordering as the kernel's: the unsuffixed forms are fully ordered, the
 * _relaxed/_acquire/_release forms as named; a failed cmpxchg is unordered.
 * The _local and 64 forms are the same operations here.
 *
 * Each operation is a scheduling point (sched_point() before it), like
 * every atomic: the controlled backend can interleave another task there.
 * The raw_ forms (the kernel's non-instrumented names) have no scheduling
 * point, for the shim's own critical sections under a sim_rawlock.
 */
#ifndef _SHIM_ASM_CMPXCHG_H
#define _SHIM_ASM_CMPXCHG_H

#include <asm/barrier.h>
#include <linux/compiler.h>
#include <sim/sched.h>

/* The __atomic memory order of a kernel ordering suffix. */
#define __sim_order_		__ATOMIC_SEQ_CST
#define __sim_order__relaxed	__ATOMIC_RELAXED
#define __sim_order__acquire	__ATOMIC_ACQUIRE
#define __sim_order__release	__ATOMIC_RELEASE
#define __sim_order(sfx)	__sim_order_##sfx

#define __raw_xchg(ptr, new, order) ({					\
	__typeof__(ptr) __xp = (ptr);					\
	__atomic_exchange_n(__xp, (__typeof__(*__xp))(new), order);	\
})

#define __raw_cmpxchg(ptr, old, new, order) ({				\
	__typeof__(ptr) __cp = (ptr);					\
	__unqual_scalar_typeof(*__cp) __cx_old = (old);			\
	__atomic_compare_exchange_n(__cp, &__cx_old,			\
				    (__typeof__(*__cp))(new), false,	\
				    order, __ATOMIC_RELAXED);		\
	__cx_old;								\
})

/* Returns true on success; on failure *@oldp is updated to the value seen. */
#define __raw_try_cmpxchg(ptr, oldp, new, order) ({			\
	__typeof__(ptr) __tp = (ptr);					\
	__typeof__(oldp) __top = (oldp);				\
	__atomic_compare_exchange_n(__tp, __top,			\
				    (__typeof__(*__tp))(new), false,	\
				    order, __ATOMIC_RELAXED);		\
})

#define raw_xchg(ptr, new)		__raw_xchg(ptr, new, __sim_order())
#define raw_xchg_relaxed(ptr, new)	__raw_xchg(ptr, new, __sim_order(_relaxed))
#define raw_xchg_acquire(ptr, new)	__raw_xchg(ptr, new, __sim_order(_acquire))
#define raw_xchg_release(ptr, new)	__raw_xchg(ptr, new, __sim_order(_release))

#define raw_cmpxchg(ptr, o, n)		__raw_cmpxchg(ptr, o, n, __sim_order())
#define raw_cmpxchg_relaxed(ptr, o, n)	__raw_cmpxchg(ptr, o, n, __sim_order(_relaxed))
#define raw_cmpxchg_acquire(ptr, o, n)	__raw_cmpxchg(ptr, o, n, __sim_order(_acquire))
#define raw_cmpxchg_release(ptr, o, n)	__raw_cmpxchg(ptr, o, n, __sim_order(_release))

#define raw_try_cmpxchg(ptr, op, n)	__raw_try_cmpxchg(ptr, op, n, __sim_order())
#define raw_try_cmpxchg_relaxed(ptr, op, n) \
	__raw_try_cmpxchg(ptr, op, n, __sim_order(_relaxed))
#define raw_try_cmpxchg_acquire(ptr, op, n) \
	__raw_try_cmpxchg(ptr, op, n, __sim_order(_acquire))
#define raw_try_cmpxchg_release(ptr, op, n) \
	__raw_try_cmpxchg(ptr, op, n, __sim_order(_release))

/* The instrumented forms: a scheduling point, then the operation. */
#define __sim_instrumented(expr) ({					\
	sched_point();							\
	expr;								\
})

#define xchg(ptr, new)			__sim_instrumented(raw_xchg(ptr, new))
#define xchg_relaxed(ptr, new)		__sim_instrumented(raw_xchg_relaxed(ptr, new))
#define xchg_acquire(ptr, new)		__sim_instrumented(raw_xchg_acquire(ptr, new))
#define xchg_release(ptr, new)		__sim_instrumented(raw_xchg_release(ptr, new))

#define cmpxchg(ptr, o, n)		__sim_instrumented(raw_cmpxchg(ptr, o, n))
#define cmpxchg_relaxed(ptr, o, n)	__sim_instrumented(raw_cmpxchg_relaxed(ptr, o, n))
#define cmpxchg_acquire(ptr, o, n)	__sim_instrumented(raw_cmpxchg_acquire(ptr, o, n))
#define cmpxchg_release(ptr, o, n)	__sim_instrumented(raw_cmpxchg_release(ptr, o, n))
#define cmpxchg_local(ptr, o, n)	cmpxchg(ptr, o, n)
#define cmpxchg64(ptr, o, n)		cmpxchg(ptr, o, n)
#define cmpxchg64_relaxed(ptr, o, n)	cmpxchg_relaxed(ptr, o, n)
#define cmpxchg64_acquire(ptr, o, n)	cmpxchg_acquire(ptr, o, n)
#define cmpxchg64_release(ptr, o, n)	cmpxchg_release(ptr, o, n)
#define cmpxchg64_local(ptr, o, n)	cmpxchg(ptr, o, n)

#define try_cmpxchg(ptr, op, n)		__sim_instrumented(raw_try_cmpxchg(ptr, op, n))
#define try_cmpxchg_relaxed(ptr, op, n)	__sim_instrumented(raw_try_cmpxchg_relaxed(ptr, op, n))
#define try_cmpxchg_acquire(ptr, op, n)	__sim_instrumented(raw_try_cmpxchg_acquire(ptr, op, n))
#define try_cmpxchg_release(ptr, op, n)	__sim_instrumented(raw_try_cmpxchg_release(ptr, op, n))
#define try_cmpxchg_local(ptr, op, n)	try_cmpxchg(ptr, op, n)
#define try_cmpxchg64(ptr, op, n)	try_cmpxchg(ptr, op, n)
#define try_cmpxchg64_relaxed(ptr, op, n) try_cmpxchg_relaxed(ptr, op, n)
#define try_cmpxchg64_acquire(ptr, op, n) try_cmpxchg_acquire(ptr, op, n)
#define try_cmpxchg64_release(ptr, op, n) try_cmpxchg_release(ptr, op, n)
#define try_cmpxchg64_local(ptr, op, n)	try_cmpxchg(ptr, op, n)

#endif /* _SHIM_ASM_CMPXCHG_H */
