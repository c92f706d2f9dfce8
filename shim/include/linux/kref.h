/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reference-counted objects (<linux/kref.h>) on refcount_t.
 *
 * The kernel's semantics, including refcount_t's saturation and its
 * WARNs on increment from zero and on underflow (<linux/refcount.h>).
 * Every operation is an atomic operation, hence a scheduling point.
 */
#ifndef _SHIM_LINUX_KREF_H
#define _SHIM_LINUX_KREF_H

#include <linux/compiler.h>
#include <linux/refcount.h>
#include <linux/spinlock_types.h>

struct mutex;

struct kref {
	refcount_t refcount;
};

#define KREF_INIT(n)	{ .refcount = REFCOUNT_INIT(n), }

/* Set the count to 1. */
static inline void kref_init(struct kref *kref)
{
	refcount_set(&kref->refcount, 1);
}

static inline unsigned int kref_read(const struct kref *kref)
{
	return refcount_read(&kref->refcount);
}

/* Take a reference; the caller must already hold one. */
static inline void kref_get(struct kref *kref)
{
	refcount_inc(&kref->refcount);
}

/*
 * Drop a reference; @release(@kref) is called when it was the last one.
 * Returns 1 if the object was released, else 0 (in which case the caller
 * may no longer touch it either, unless it holds another reference).
 */
static inline int kref_put(struct kref *kref, void (*release)(struct kref *kref))
{
	if (refcount_dec_and_test(&kref->refcount)) {
		release(kref);
		return 1;
	}
	return 0;
}

/*
 * kref_put() for objects found through a lookup that @mutex (@lock)
 * protects: if this was the last reference, @release runs with the lock
 * held and must drop it; so a concurrent kref_get_unless_zero() under the
 * lock cannot resurrect the object.
 */
static inline int kref_put_mutex(struct kref *kref, void (*release)(struct kref *kref),
				 struct mutex *mutex)
{
	if (refcount_dec_and_mutex_lock(&kref->refcount, mutex)) {
		release(kref);
		return 1;
	}
	return 0;
}

static inline int kref_put_lock(struct kref *kref, void (*release)(struct kref *kref),
				spinlock_t *lock)
{
	if (refcount_dec_and_lock(&kref->refcount, lock)) {
		release(kref);
		return 1;
	}
	return 0;
}

/*
 * Take a reference unless the count already reached zero (the object is
 * being released); for lookups under a lock or RCU. Returns non-zero on
 * success.
 */
static inline int __must_check kref_get_unless_zero(struct kref *kref)
{
	return refcount_inc_not_zero(&kref->refcount);
}

#endif /* _SHIM_LINUX_KREF_H */
