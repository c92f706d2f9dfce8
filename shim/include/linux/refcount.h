/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reference counters with saturation (<linux/refcount.h>, lib/refcount.c).
 *
 * The kernel's semantics: an increment from zero (use after free), an
 * increment past INT_MAX (overflow), a decrement below zero (underflow) or
 * a decrement to zero by refcount_dec() (leak) WARNs once
 * ("refcount_t: ...") and leaves the counter saturated at
 * REFCOUNT_SATURATED, where it stays, so the object leaks instead of being
 * freed early. Ordering as the kernel's: increments are relaxed,
 * decrements release, and a decrement that reaches zero is also acquire.
 * Each operation is one atomic operation, hence one scheduling point.
 */
#ifndef _SHIM_LINUX_REFCOUNT_H
#define _SHIM_LINUX_REFCOUNT_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <limits.h>

struct mutex;
struct spinlock;

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n), }
#define REFCOUNT_MAX		INT_MAX
#define REFCOUNT_SATURATED	(INT_MIN / 2)

enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,
	REFCOUNT_ADD_OVF,
	REFCOUNT_ADD_UAF,
	REFCOUNT_SUB_UAF,
	REFCOUNT_DEC_LEAK,
};

/* WARN once about @t and saturate @r (out of line, in kernel/locking/refcount.c). */
void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t);

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline void refcount_set_release(refcount_t *r, int n)
{
	atomic_set_release(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

/* Wrapping int addition: the overflow checks look at the wrapped result. */
static inline int __refcount_wrap_add(int a, int b)
{
	return (int)((unsigned int)a + (unsigned int)b);
}

static inline __must_check bool __refcount_add_not_zero(int i, refcount_t *r, int *oldp)
{
	int old;

	sched_point();
	old = raw_atomic_read(&r->refs);
	do {
		if (!old)
			break;
	} while (!raw_atomic_try_cmpxchg_relaxed(&r->refs, &old,
						 __refcount_wrap_add(old, i)));
	if (oldp)
		*oldp = old;
	if (unlikely(old < 0 || __refcount_wrap_add(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_NOT_ZERO_OVF);
	return old;
}

/* Add @i unless the count is 0; returns false if it was 0. */
static inline __must_check bool refcount_add_not_zero(int i, refcount_t *r)
{
	return __refcount_add_not_zero(i, r, NULL);
}

static inline __must_check bool refcount_inc_not_zero(refcount_t *r)
{
	return __refcount_add_not_zero(1, r, NULL);
}

static inline void __refcount_add(int i, refcount_t *r, int *oldp)
{
	int old = atomic_fetch_add_relaxed(i, &r->refs);

	if (oldp)
		*oldp = old;
	if (unlikely(!old))
		refcount_warn_saturate(r, REFCOUNT_ADD_UAF);
	else if (unlikely(old < 0 || __refcount_wrap_add(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
}

static inline void refcount_add(int i, refcount_t *r)
{
	__refcount_add(i, r, NULL);
}

static inline void refcount_inc(refcount_t *r)
{
	__refcount_add(1, r, NULL);
}

static inline __must_check bool __refcount_sub_and_test(int i, refcount_t *r, int *oldp)
{
	int old = atomic_fetch_sub_release(i, &r->refs);

	if (oldp)
		*oldp = old;
	if (old == i) {
		smp_acquire__after_ctrl_dep();
		return true;
	}
	if (unlikely(old < 0 || old - i < 0))
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

/* Subtract @i; true if the count reached 0 (the caller frees). */
static inline __must_check bool refcount_sub_and_test(int i, refcount_t *r)
{
	return __refcount_sub_and_test(i, r, NULL);
}

static inline __must_check bool refcount_dec_and_test(refcount_t *r)
{
	return __refcount_sub_and_test(1, r, NULL);
}

/* Drop a reference that can never be the last one. */
static inline void refcount_dec(refcount_t *r)
{
	if (unlikely(atomic_fetch_sub_release(1, &r->refs) <= 1))
		refcount_warn_saturate(r, REFCOUNT_DEC_LEAK);
}

/* Set 1 -> 0; false (unchanged) if the count was not 1. */
bool refcount_dec_if_one(refcount_t *r);
/* Decrement unless the count is 1; false if it was 1. */
bool refcount_dec_not_one(refcount_t *r);
/* Decrement; if it reaches 0 return true with @lock held. */
bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock);
bool refcount_dec_and_lock(refcount_t *r, struct spinlock *lock);
bool refcount_dec_and_lock_irqsave(refcount_t *r, struct spinlock *lock,
				   unsigned long *flags);

#endif /* _SHIM_LINUX_REFCOUNT_H */
