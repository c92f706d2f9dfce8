/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The atomic_t family's operations on GCC's __atomic builtins
 * (<asm/atomic.h>, <linux/atomic/atomic-arch-fallback.h>).
 *
 * One generator, __SIM_ATOMIC_OPS(), writes every operation of a type with
 * the kernel's names, argument order and ordering rules
 * (Documentation/atomic_t.txt):
 *   - read/set are relaxed; read_acquire/set_release as named;
 *   - void RMW ops (add, sub, inc, dec, and, andnot, or, xor) are relaxed;
 *   - value-returning RMW ops (*_return, fetch_*, xchg, cmpxchg,
 *     try_cmpxchg, *_and_test, add_negative and the conditional ones) are
 *     fully ordered, their _relaxed/_acquire/_release forms as named;
 *   - a failed cmpxchg/try_cmpxchg is unordered.
 * Fully ordered is __ATOMIC_SEQ_CST on a read-modify-write, a locked
 * instruction and so a full barrier on x86-64, the shim's host. Arithmetic
 * wraps (two's complement), as in the kernel.
 *
 * It is instantiated twice per type: here as raw_atomic_*() (the kernel's
 * non-instrumented names: no scheduling point, for the shim's own critical
 * sections) and in <linux/atomic.h> as atomic_*(), where every operation
 * starts with a scheduling point.
 */
#ifndef _SHIM_ASM_ATOMIC_H
#define _SHIM_ASM_ATOMIC_H

#include <asm/barrier.h>
#include <asm/cmpxchg.h>
#include <linux/compiler.h>
#include <linux/types.h>

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }

/*
 * Operations of one ordering: fn is the function prefix (raw_atomic,
 * atomic, ...), ty the atomic type's prefix, T its value type, UT the
 * unsigned type used for wrapping arithmetic in C, H the hook statement
 * run first (empty or sched_point()).
 */
#define __SIM_ATOMIC_ORDERED(fn, ty, T, UT, H, sfx)			\
static __always_inline T fn##_add_return##sfx(T i, ty##_t *v)		\
{ H; return __atomic_add_fetch(&v->counter, i, __sim_order(sfx)); }	\
static __always_inline T fn##_sub_return##sfx(T i, ty##_t *v)		\
{ H; return __atomic_sub_fetch(&v->counter, i, __sim_order(sfx)); }	\
static __always_inline T fn##_inc_return##sfx(ty##_t *v)		\
{ H; return __atomic_add_fetch(&v->counter, 1, __sim_order(sfx)); }	\
static __always_inline T fn##_dec_return##sfx(ty##_t *v)		\
{ H; return __atomic_sub_fetch(&v->counter, 1, __sim_order(sfx)); }	\
static __always_inline T fn##_fetch_add##sfx(T i, ty##_t *v)		\
{ H; return __atomic_fetch_add(&v->counter, i, __sim_order(sfx)); }	\
static __always_inline T fn##_fetch_sub##sfx(T i, ty##_t *v)		\
{ H; return __atomic_fetch_sub(&v->counter, i, __sim_order(sfx)); }	\
static __always_inline T fn##_fetch_inc##sfx(ty##_t *v)		\
{ H; return __atomic_fetch_add(&v->counter, 1, __sim_order(sfx)); }	\
static __always_inline T fn##_fetch_dec##sfx(ty##_t *v)		\
{ H; return __atomic_fetch_sub(&v->counter, 1, __sim_order(sfx)); }	\
static __always_inline T fn##_fetch_and##sfx(T i, ty##_t *v)		\
{ H; return __atomic_fetch_and(&v->counter, i, __sim_order(sfx)); }	\
static __always_inline T fn##_fetch_andnot##sfx(T i, ty##_t *v)	\
{ H; return __atomic_fetch_and(&v->counter, ~i, __sim_order(sfx)); }	\
static __always_inline T fn##_fetch_or##sfx(T i, ty##_t *v)		\
{ H; return __atomic_fetch_or(&v->counter, i, __sim_order(sfx)); }	\
static __always_inline T fn##_fetch_xor##sfx(T i, ty##_t *v)		\
{ H; return __atomic_fetch_xor(&v->counter, i, __sim_order(sfx)); }	\
static __always_inline T fn##_xchg##sfx(ty##_t *v, T new)		\
{ H; return __atomic_exchange_n(&v->counter, new, __sim_order(sfx)); } \
static __always_inline T fn##_cmpxchg##sfx(ty##_t *v, T old, T new)	\
{									\
	H;								\
	__atomic_compare_exchange_n(&v->counter, &old, new, false,	\
				    __sim_order(sfx), __ATOMIC_RELAXED); \
	return old;							\
}									\
static __always_inline bool fn##_try_cmpxchg##sfx(ty##_t *v, T *old, T new) \
{									\
	H;								\
	return __atomic_compare_exchange_n(&v->counter, old, new, false, \
					   __sim_order(sfx), __ATOMIC_RELAXED); \
}									\
static __always_inline bool fn##_add_negative##sfx(T i, ty##_t *v)	\
{ H; return __atomic_add_fetch(&v->counter, i, __sim_order(sfx)) < 0; }

#define __SIM_ATOMIC_OPS(fn, ty, T, UT, H)				\
static __always_inline T fn##_read(const ty##_t *v)			\
{ H; return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static __always_inline T fn##_read_acquire(const ty##_t *v)		\
{ H; return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE); }		\
static __always_inline void fn##_set(ty##_t *v, T i)			\
{ H; __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }		\
static __always_inline void fn##_set_release(ty##_t *v, T i)		\
{ H; __atomic_store_n(&v->counter, i, __ATOMIC_RELEASE); }		\
static __always_inline void fn##_add(T i, ty##_t *v)			\
{ H; __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); }		\
static __always_inline void fn##_sub(T i, ty##_t *v)			\
{ H; __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); }		\
static __always_inline void fn##_inc(ty##_t *v)			\
{ H; __atomic_fetch_add(&v->counter, 1, __ATOMIC_RELAXED); }		\
static __always_inline void fn##_dec(ty##_t *v)			\
{ H; __atomic_fetch_sub(&v->counter, 1, __ATOMIC_RELAXED); }		\
static __always_inline void fn##_and(T i, ty##_t *v)			\
{ H; __atomic_fetch_and(&v->counter, i, __ATOMIC_RELAXED); }		\
static __always_inline void fn##_andnot(T i, ty##_t *v)		\
{ H; __atomic_fetch_and(&v->counter, ~i, __ATOMIC_RELAXED); }		\
static __always_inline void fn##_or(T i, ty##_t *v)			\
{ H; __atomic_fetch_or(&v->counter, i, __ATOMIC_RELAXED); }		\
static __always_inline void fn##_xor(T i, ty##_t *v)			\
{ H; __atomic_fetch_xor(&v->counter, i, __ATOMIC_RELAXED); }		\
__SIM_ATOMIC_ORDERED(fn, ty, T, UT, H, )				\
__SIM_ATOMIC_ORDERED(fn, ty, T, UT, H, _relaxed)			\
__SIM_ATOMIC_ORDERED(fn, ty, T, UT, H, _acquire)			\
__SIM_ATOMIC_ORDERED(fn, ty, T, UT, H, _release)			\
static __always_inline bool fn##_sub_and_test(T i, ty##_t *v)		\
{ H; return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST) == 0; } \
static __always_inline bool fn##_dec_and_test(ty##_t *v)		\
{ H; return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == 0; } \
static __always_inline bool fn##_inc_and_test(ty##_t *v)		\
{ H; return __atomic_add_fetch(&v->counter, 1, __ATOMIC_SEQ_CST) == 0; } \
/* Add @a unless the value is @u; returns the value before. */		\
static __always_inline T fn##_fetch_add_unless(ty##_t *v, T a, T u)	\
{									\
	T c;								\
									\
	H;								\
	c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);		\
	do {								\
		if (unlikely(c == u))					\
			break;						\
	} while (!__atomic_compare_exchange_n(&v->counter, &c,		\
					      (T)((UT)c + (UT)a), false, \
					      __ATOMIC_SEQ_CST,		\
					      __ATOMIC_RELAXED));	\
	return c;							\
}									\
static __always_inline bool fn##_add_unless(ty##_t *v, T a, T u)	\
{ return fn##_fetch_add_unless(v, a, u) != u; }			\
static __always_inline bool fn##_inc_not_zero(ty##_t *v)		\
{ return fn##_add_unless(v, 1, 0); }					\
static __always_inline bool fn##_inc_unless_negative(ty##_t *v)	\
{									\
	T c;								\
									\
	H;								\
	c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);		\
	do {								\
		if (unlikely(c < 0))					\
			return false;					\
	} while (!__atomic_compare_exchange_n(&v->counter, &c,		\
					      (T)((UT)c + 1), false,	\
					      __ATOMIC_SEQ_CST,		\
					      __ATOMIC_RELAXED));	\
	return true;							\
}									\
static __always_inline bool fn##_dec_unless_positive(ty##_t *v)	\
{									\
	T c;								\
									\
	H;								\
	c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);		\
	do {								\
		if (unlikely(c > 0))					\
			return false;					\
	} while (!__atomic_compare_exchange_n(&v->counter, &c,		\
					      (T)((UT)c - 1), false,	\
					      __ATOMIC_SEQ_CST,		\
					      __ATOMIC_RELAXED));	\
	return true;							\
}									\
/* Decrement if the result is not negative; returns old - 1 either way. */ \
static __always_inline T fn##_dec_if_positive(ty##_t *v)		\
{									\
	T c, dec;							\
									\
	H;								\
	c = __atomic_load_n(&v->counter, __ATOMIC_RELAXED);		\
	do {								\
		dec = (T)((UT)c - 1);					\
		if (unlikely(dec < 0))					\
			break;						\
	} while (!__atomic_compare_exchange_n(&v->counter, &c, dec,	\
					      false, __ATOMIC_SEQ_CST,	\
					      __ATOMIC_RELAXED));	\
	return dec;							\
}

__SIM_ATOMIC_OPS(raw_atomic, atomic, int, unsigned int, )
__SIM_ATOMIC_OPS(raw_atomic64, atomic64, s64, u64, )
__SIM_ATOMIC_OPS(raw_atomic_long, atomic_long, long, unsigned long, )

#endif /* _SHIM_ASM_ATOMIC_H */
