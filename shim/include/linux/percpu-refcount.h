/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU reference counts (<linux/percpu-refcount.h>,
 * lib/percpu-refcount.c).
 *
 * The kernel's design and semantics: a reference starts in per-CPU mode,
 * where get and put only add to the current CPU's counter inside an RCU
 * read-side section and never see the total; percpu_ref_kill() (or
 * percpu_ref_switch_to_atomic()) switches it to atomic mode: after an RCU
 * grace period the per-CPU counters are summed into an atomic_long_t that
 * carried PERCPU_COUNT_BIAS until then, and from there on the put that
 * drops the count to zero calls the release callback, exactly once.
 * percpu_ref_kill_and_confirm()'s callback runs once every CPU sees the
 * reference as dead (in the RCU callback, after the switch), after which
 * percpu_ref_tryget_live() fails everywhere. The release and confirm
 * callbacks run in the "rcu_cb" kthread or in the last put's context and
 * must not sleep.
 *
 * Every get, tryget and put is an rcu_read_lock()/rcu_read_unlock() pair
 * and a this_cpu_add() (per-CPU mode) or an atomic operation (atomic
 * mode), so each is several scheduling points.
 *
 * Checks beyond the kernel's: in atomic mode, a put that takes the count
 * below zero and a get on a dead reference whose count already reached
 * zero (a use after release) are WARNs. As in the kernel, a count found
 * at or below zero when the switch to atomic mode completes is a WARN
 * ("percpu ref (...) <= 0 (...) after switching to atomic").
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
	 * Start dead, in atomic mode, with a count of 0: revive it with
	 * percpu_ref_reinit() before use. Implies INIT_ATOMIC and
	 * ALLOW_REINIT.
	 */
	PERCPU_REF_INIT_DEAD	= 1 << 1,
	/*
	 * Keep the per-CPU counters after the kill so that the reference
	 * can be percpu_ref_reinit()ed or percpu_ref_resurrect()ed.
	 */
	PERCPU_REF_ALLOW_REINIT	= 1 << 2,
};

/* The parts not needed on the get/put fast path, allocated separately. */
struct percpu_ref_data {
	atomic_long_t		count;
	percpu_ref_func_t	*release;
	percpu_ref_func_t	*confirm_switch;	/* non-NULL: switch in progress */
	bool			force_atomic:1;
	bool			allow_reinit:1;
	struct rcu_head		rcu;
	struct percpu_ref	*ref;
};

struct percpu_ref {
	/*
	 * The per-CPU counters' pointer; its low bits say whether the
	 * reference is in atomic mode and whether it is dead. After
	 * percpu_ref_exit(), the count shifted left by the flag bits.
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

/* Out of line: the WARNs of the atomic-mode checks described above. */
void __percpu_ref_warn_get_dead(struct percpu_ref *ref);
void __percpu_ref_warn_underflow(struct percpu_ref *ref, long count);

/*
 * Drop the initial reference and switch to atomic mode; the release
 * callback runs when the last reference goes. Must be called exactly once
 * (until a reinit or resurrect).
 */
static inline void percpu_ref_kill(struct percpu_ref *ref)
{
	percpu_ref_kill_and_confirm(ref, NULL);
}

/*
 * Internal: true, with the counters' pointer in *@percpu_countp, if @ref
 * is in per-CPU mode. DEAD implies ATOMIC but may be seen first while
 * percpu_ref_kill() runs, so both are tested.
 */
static inline bool __ref_is_percpu(struct percpu_ref *ref,
				   unsigned long __percpu **percpu_countp)
{
	/* Paired with the release store in __percpu_ref_switch_to_percpu(). */
	unsigned long percpu_ptr = __atomic_load_n(&ref->percpu_count_ptr, __ATOMIC_ACQUIRE);

	if (unlikely(percpu_ptr & __PERCPU_REF_ATOMIC_DEAD))
		return false;
	*percpu_countp = (unsigned long __percpu *)percpu_ptr;
	return true;
}

/* Add @nr references; @ref must be between init and exit. */
static inline void percpu_ref_get_many(struct percpu_ref *ref, unsigned long nr)
{
	unsigned long __percpu *percpu_count;

	rcu_read_lock();
	if (__ref_is_percpu(ref, &percpu_count)) {
		this_cpu_add(*percpu_count, nr);
	} else if (unlikely(atomic_long_add_return(nr, &ref->data->count) == (long)nr &&
			    (READ_ONCE(ref->percpu_count_ptr) & __PERCPU_REF_DEAD))) {
		__percpu_ref_warn_get_dead(ref);
	}
	rcu_read_unlock();
}

static inline void percpu_ref_get(struct percpu_ref *ref)
{
	percpu_ref_get_many(ref, 1);
}

/* Add @nr references unless the count is zero; true on success. */
static inline bool percpu_ref_tryget_many(struct percpu_ref *ref, unsigned long nr)
{
	unsigned long __percpu *percpu_count;
	bool ret;

	rcu_read_lock();
	if (__ref_is_percpu(ref, &percpu_count)) {
		this_cpu_add(*percpu_count, nr);
		ret = true;
	} else {
		ret = atomic_long_add_unless(&ref->data->count, nr, 0);
	}
	rcu_read_unlock();
	return ret;
}

static inline bool percpu_ref_tryget(struct percpu_ref *ref)
{
	return percpu_ref_tryget_many(ref, 1);
}

/* percpu_ref_tryget_live() for a caller already inside rcu_read_lock(). */
static inline bool percpu_ref_tryget_live_rcu(struct percpu_ref *ref)
{
	unsigned long __percpu *percpu_count;
	bool ret = false;

	WARN_ON_ONCE(!rcu_read_lock_held());
	if (likely(__ref_is_percpu(ref, &percpu_count))) {
		this_cpu_inc(*percpu_count);
		ret = true;
	} else if (!(READ_ONCE(ref->percpu_count_ptr) & __PERCPU_REF_DEAD)) {
		ret = atomic_long_inc_not_zero(&ref->data->count);
	}
	return ret;
}

/*
 * Get a reference unless @ref has been killed. Fails for certain only
 * once percpu_ref_kill_and_confirm()'s callback has run.
 */
static inline bool percpu_ref_tryget_live(struct percpu_ref *ref)
{
	bool ret;

	rcu_read_lock();
	ret = percpu_ref_tryget_live_rcu(ref);
	rcu_read_unlock();
	return ret;
}

/* Drop @nr references; the release callback runs if the count hits zero. */
static inline void percpu_ref_put_many(struct percpu_ref *ref, unsigned long nr)
{
	unsigned long __percpu *percpu_count;
	long count;

	rcu_read_lock();
	if (__ref_is_percpu(ref, &percpu_count)) {
		this_cpu_sub(*percpu_count, nr);
	} else {
		count = atomic_long_sub_return(nr, &ref->data->count);
		if (unlikely(count == 0))
			ref->data->release(ref);
		/* Near LONG_MIN is the biased count of a switch in progress. */
		else if (unlikely(count < 0 && count > LONG_MIN / 2))
			__percpu_ref_warn_underflow(ref, count);
	}
	rcu_read_unlock();
}

static inline void percpu_ref_put(struct percpu_ref *ref)
{
	percpu_ref_put_many(ref, 1);
}

/* True once percpu_ref_kill() has been called (until reinit/resurrect). */
static inline bool percpu_ref_is_dying(struct percpu_ref *ref)
{
	return READ_ONCE(ref->percpu_count_ptr) & __PERCPU_REF_DEAD;
}

#endif /* _SHIM_LINUX_PERCPU_REFCOUNT_H */
