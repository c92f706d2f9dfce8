/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU reference counts (<linux/percpu-refcount.h>,
 * lib/percpu-refcount.c).
 *
 * The kernel's semantics, in the shim's own code. A live reference
 * normally runs in per-CPU mode: get and put touch only the current CPU's
 * counter, inside an RCU read-side section, and nobody knows the total.
 * percpu_ref_kill() and percpu_ref_switch_to_atomic() move it to atomic
 * mode, completed one RCU grace period later (see lib/percpu-refcount.c);
 * from then on the put that takes the count to zero calls the release
 * callback, exactly once. The confirm callback of
 * percpu_ref_kill_and_confirm() runs when the switch completes; after it,
 * percpu_ref_tryget_live() fails on every CPU. Release and confirm
 * callbacks run in the "rcu_cb" kthread or in the last put's context and
 * must not sleep.
 *
 * Every get, tryget and put is an rcu_read_lock()/rcu_read_unlock() pair
 * around a this_cpu_add() (per-CPU mode) or an atomic operation (atomic
 * mode, out of line), so each is several scheduling points.
 *
 * Checks beyond the kernel's, in atomic mode: a put that takes the count
 * below zero, and a get on a dead reference whose count had reached zero
 * (a use after release), are WARNs. As in the kernel, a count at or below
 * zero when the switch to atomic mode completes is a WARN ("... after
 * switching to atomic mode").
 */
#ifndef _SHIM_LINUX_PERCPU_REFCOUNT_H
#define _SHIM_LINUX_PERCPU_REFCOUNT_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct percpu_ref;
typedef void (percpu_ref_func_t)(struct percpu_ref *);

/* Flags kept in the low bits of percpu_ref->percpu_count_ptr. */
enum {
	__PERCPU_REF_ATOMIC	= 1LU << 0,	/* operating in atomic mode */
	__PERCPU_REF_DEAD	= 1LU << 1,	/* (being) killed */
	__PERCPU_REF_ATOMIC_DEAD = __PERCPU_REF_ATOMIC | __PERCPU_REF_DEAD,

	__PERCPU_REF_FLAG_BITS	= 2,
};

/* @flags of percpu_ref_init(). */
enum {
	/*
	 * Start in atomic mode with a count of 1; stays atomic until
	 * percpu_ref_switch_to_percpu().
	 */
	PERCPU_REF_INIT_ATOMIC	= 1 << 0,
	/*
	 * Start dead, in atomic mode, with a count of 0: percpu_ref_reinit()
	 * makes it live (in per-CPU mode unless INIT_ATOMIC is also given).
	 * Implies ALLOW_REINIT.
	 */
	PERCPU_REF_INIT_DEAD	= 1 << 1,
	/*
	 * Keep the per-CPU counters after the kill so that the reference
	 * can be percpu_ref_reinit()ed or percpu_ref_resurrect()ed.
	 */
	PERCPU_REF_ALLOW_REINIT	= 1 << 2,
};

/* What the get/put fast path does not touch, allocated separately. */
struct percpu_ref_data {
	atomic_long_t		count;		/* + PCREF_BIAS in per-CPU mode */
	percpu_ref_func_t	*release;
	percpu_ref_func_t	*confirm_switch; /* of the pending switch, or NULL */
	bool			switching;	/* a switch to atomic mode is pending */
	bool			force_atomic;	/* stay atomic after reinit */
	bool			allow_reinit;	/* keep the counters after the kill */
	struct rcu_head		rcu;
	struct percpu_ref	*ref;
};

struct percpu_ref {
	/*
	 * Address of the per-CPU counters with the mode flags in its low
	 * bits; after percpu_ref_exit() the final count, shifted past them.
	 */
	unsigned long		percpu_count_ptr;
	struct percpu_ref_data	*data;
};

int __must_check percpu_ref_init(struct percpu_ref *ref,
				 percpu_ref_func_t *release, unsigned int flags,
				 gfp_t gfp);
void percpu_ref_exit(struct percpu_ref *ref);
void percpu_ref_switch_to_atomic(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_switch);
void percpu_ref_switch_to_atomic_sync(struct percpu_ref *ref);
void percpu_ref_switch_to_percpu(struct percpu_ref *ref);
void percpu_ref_kill_and_confirm(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_kill);
void percpu_ref_resurrect(struct percpu_ref *ref);
void percpu_ref_reinit(struct percpu_ref *ref);
bool percpu_ref_is_zero(struct percpu_ref *ref);

/*
 * Atomic-mode slow paths of the inline operations below (out of line,
 * unlike the kernel's, which inlines them: they carry the shim's checks).
 * Called inside rcu_read_lock().
 */
void __percpu_ref_get_atomic(struct percpu_ref *ref, unsigned long nr);
bool __percpu_ref_tryget_atomic(struct percpu_ref *ref, unsigned long nr, bool live);
void __percpu_ref_put_atomic(struct percpu_ref *ref, unsigned long nr);

/* True from percpu_ref_kill() until a reinit or resurrect. */
static inline bool percpu_ref_is_dying(struct percpu_ref *ref)
{
	return READ_ONCE(ref->percpu_count_ptr) & __PERCPU_REF_DEAD;
}

/*
 * Drop the initial reference and switch to atomic mode; the release
 * callback runs when the last reference goes. Once per life (a reinit or
 * resurrect starts a new one).
 */
static inline void percpu_ref_kill(struct percpu_ref *ref)
{
	percpu_ref_kill_and_confirm(ref, NULL);
}

/*
 * The per-CPU counters if @ref is in per-CPU mode, else NULL. A kill sets
 * DEAD before ATOMIC can be seen, so either flag means atomic mode. The
 * acquire pairs with the release store that re-enters per-CPU mode after
 * zeroing the counters.
 */
static inline unsigned long __percpu *__percpu_ref_fast_counters(struct percpu_ref *ref)
{
	unsigned long word = __atomic_load_n(&ref->percpu_count_ptr, __ATOMIC_ACQUIRE);

	if (unlikely(word & __PERCPU_REF_ATOMIC_DEAD))
		return NULL;
	return (unsigned long __percpu *)word;
}

/* Take @nr references; @ref must be between init and exit. */
static inline void percpu_ref_get_many(struct percpu_ref *ref, unsigned long nr)
{
	unsigned long __percpu *counters;

	rcu_read_lock();
	counters = __percpu_ref_fast_counters(ref);
	if (likely(counters))
		this_cpu_add(*counters, nr);
	else
		__percpu_ref_get_atomic(ref, nr);
	rcu_read_unlock();
}

static inline void percpu_ref_get(struct percpu_ref *ref)
{
	percpu_ref_get_many(ref, 1);
}

/* Take @nr references unless the count is zero; true if taken. */
static inline bool percpu_ref_tryget_many(struct percpu_ref *ref, unsigned long nr)
{
	unsigned long __percpu *counters;
	bool got = true;

	rcu_read_lock();
	counters = __percpu_ref_fast_counters(ref);
	if (likely(counters))
		this_cpu_add(*counters, nr);
	else
		got = __percpu_ref_tryget_atomic(ref, nr, false);
	rcu_read_unlock();
	return got;
}

static inline bool percpu_ref_tryget(struct percpu_ref *ref)
{
	return percpu_ref_tryget_many(ref, 1);
}

/* percpu_ref_tryget_live() for a caller inside rcu_read_lock(). */
static inline bool percpu_ref_tryget_live_rcu(struct percpu_ref *ref)
{
	unsigned long __percpu *counters = __percpu_ref_fast_counters(ref);

	WARN_ON_ONCE(!rcu_read_lock_held());
	if (unlikely(!counters))
		return __percpu_ref_tryget_atomic(ref, 1, true);
	this_cpu_inc(*counters);
	return true;
}

/*
 * Take a reference unless @ref was killed. Certain to fail only once the
 * confirm callback of percpu_ref_kill_and_confirm() has run.
 */
static inline bool percpu_ref_tryget_live(struct percpu_ref *ref)
{
	bool got;

	rcu_read_lock();
	got = percpu_ref_tryget_live_rcu(ref);
	rcu_read_unlock();
	return got;
}

/* Drop @nr references; the one that reaches zero calls the release callback. */
static inline void percpu_ref_put_many(struct percpu_ref *ref, unsigned long nr)
{
	unsigned long __percpu *counters;

	rcu_read_lock();
	counters = __percpu_ref_fast_counters(ref);
	if (likely(counters))
		this_cpu_sub(*counters, nr);
	else
		__percpu_ref_put_atomic(ref, nr);
	rcu_read_unlock();
}

static inline void percpu_ref_put(struct percpu_ref *ref)
{
	percpu_ref_put_many(ref, 1);
}

#endif /* _SHIM_LINUX_PERCPU_REFCOUNT_H */
