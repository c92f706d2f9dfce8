/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Read-copy update (<linux/rcupdate.h>).
 *
 * The kernel's API with PREEMPT_RCU semantics: a reader may be preempted
 * and migrated inside rcu_read_lock(); it must not sleep there. Regions
 * with preemption, softirqs or irqs disabled are readers too.
 *
 * Two implementations of the grace period, chosen by the machine's backend:
 * - free-running: liburcu (memb flavor); every task thread is a registered
 *   reader. synchronize_rcu() releases the virtual CPU while liburcu waits.
 * - controlled: grace periods are modelled by the shim (kernel/rcu/tree.c):
 *   synchronize_rcu() waits, as a sleeping task, until every task that was
 *   a reader (rcu_read_lock() or atomic context) when it started has
 *   stopped being one. A
 *   reader descheduled inside its section is just another runnable task.
 * Callbacks (call_rcu(), kfree_rcu()) run in the "rcu_cb" kthread after a
 * full grace period, never in the caller's context, in both backends.
 *
 * The checks of CONFIG_PROVE_RCU are always on and reported as
 * SIM_REPORT_RCU: synchronize_rcu() inside a read-side section, unbalanced
 * rcu_read_unlock(), rcu_dereference*() outside a reader without the
 * lockdep condition, list_for_each_entry_rcu() outside a reader.
 *
 * Every rcu_read_lock(), rcu_read_unlock(), rcu_dereference*(),
 * rcu_assign_pointer(), call_rcu() and synchronize_rcu() is a scheduling
 * point, so the controlled backend interleaves readers and updaters there.
 *
 * Threads that are not simulated tasks (a test's main thread) may call the
 * read-side API, which does nothing for them: they must only read RCU data
 * while the machine's tasks cannot free it.
 */
#ifndef _SHIM_LINUX_RCUPDATE_H
#define _SHIM_LINUX_RCUPDATE_H

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <sim/sched.h>

/* ---- read-side critical sections ---- */

void __rcu_read_lock(void);
void __rcu_read_unlock(void);

static __always_inline void rcu_read_lock(void)
{
	__rcu_read_lock();
}

static __always_inline void rcu_read_unlock(void)
{
	__rcu_read_unlock();
}

/*
 * The flavours are one RCU since the kernel consolidated them: any region
 * with preemption, bottom halves or irqs disabled (spin_lock() included)
 * is a reader that synchronize_rcu() and call_rcu() wait for, with or
 * without these markers. The _bh and _sched forms disable bottom halves or
 * preemption, as in the kernel, and count as rcu_read_lock() nesting too.
 */
static __always_inline void rcu_read_lock_bh(void)
{
	local_bh_disable();
	__rcu_read_lock();
}

static __always_inline void rcu_read_unlock_bh(void)
{
	__rcu_read_unlock();
	local_bh_enable();
}

static __always_inline void rcu_read_lock_sched(void)
{
	preempt_disable();
	__rcu_read_lock();
}

static __always_inline void rcu_read_unlock_sched(void)
{
	__rcu_read_unlock();
	preempt_enable();
}

#define rcu_read_lock_sched_notrace()	rcu_read_lock_sched()
#define rcu_read_unlock_sched_notrace()	rcu_read_unlock_sched()

/*
 * Lockdep-style queries. As in the kernel without a lockdep map, they
 * answer "held" when the question cannot be checked: here, on a thread
 * that is not a simulated task.
 */
int rcu_read_lock_held(void);
int rcu_read_lock_bh_held(void);
int rcu_read_lock_sched_held(void);
int rcu_read_lock_any_held(void);

static inline bool rcu_is_watching(void)
{
	return true;
}

/*
 * Report a suspicious RCU usage (lockdep_rcu_suspicious()), once per call
 * site and machine boot, as CONFIG_PROVE_RCU does.
 */
void lockdep_rcu_suspicious(const char *file, const int line, const char *s);

#define RCU_LOCKDEP_WARN(c, s) do {					\
	static unsigned long __warned;					\
	if (unlikely(c) && __once_per_boot(__warned))			\
		lockdep_rcu_suspicious(__FILE__, __LINE__, s);		\
} while (0)

/* ---- publishing and reading pointers ---- */

#define RCU_INITIALIZER(v)		((typeof(*(v)) __force __rcu *)(v))
#define RCU_POINTER_INITIALIZER(p, v)	.p = RCU_INITIALIZER(v)
#define unrcu_pointer(p)		(p)

/*
 * Loads are acquire loads rather than the kernel's address-dependency
 * ordering, which C11 cannot express; on x86 they cost the same.
 */
#define __rcu_load_pointer(p)	__atomic_load_n(&(p), __ATOMIC_ACQUIRE)

/* The pointer's value, for comparisons only: no dereference, no check. */
#define rcu_access_pointer(p)	READ_ONCE(p)

#define __rcu_dereference_check(p, c, s) ({				\
	typeof(p) ________p1 = __rcu_load_pointer(p);			\
	RCU_LOCKDEP_WARN(!(c), s);					\
	sched_point();							\
	________p1;							\
})

#define rcu_dereference_check(p, c)					\
	__rcu_dereference_check((p), (c) || rcu_read_lock_held(),	\
				"suspicious rcu_dereference_check() usage")
#define rcu_dereference_bh_check(p, c)					\
	__rcu_dereference_check((p), (c) || rcu_read_lock_bh_held(),	\
				"suspicious rcu_dereference_bh_check() usage")
#define rcu_dereference_sched_check(p, c)				\
	__rcu_dereference_check((p), (c) || rcu_read_lock_sched_held(),	\
				"suspicious rcu_dereference_sched_check() usage")

#define rcu_dereference(p)		rcu_dereference_check(p, 0)
#define rcu_dereference_bh(p)		rcu_dereference_bh_check(p, 0)
#define rcu_dereference_sched(p)	rcu_dereference_sched_check(p, 0)
#define rcu_dereference_raw(p) ({					\
	typeof(p) ________p1 = __rcu_load_pointer(p);			\
	sched_point();							\
	________p1;							\
})
#define rcu_dereference_raw_check(p)	rcu_dereference_raw(p)
#define rcu_pointer_handoff(p)		(p)

/* The update side, with the lock that protects @p held (@c says so). */
#define rcu_dereference_protected(p, c) ({				\
	RCU_LOCKDEP_WARN(!(c), "suspicious rcu_dereference_protected() usage"); \
	(p);								\
})

/* Publish @v: everything initialised before is visible to readers. */
#define rcu_assign_pointer(p, v) do {					\
	typeof(p) ________v = (v);					\
	__atomic_store_n(&(p), ________v, __ATOMIC_RELEASE);		\
	sched_point();							\
} while (0)

/* No ordering needed: NULL, or a structure readers cannot reach yet. */
#define RCU_INIT_POINTER(p, v) do {					\
	WRITE_ONCE(p, (typeof(p))(v));					\
} while (0)

#define rcu_replace_pointer(rcu_ptr, ptr, c) ({				\
	typeof(ptr) __tmp = rcu_dereference_protected((rcu_ptr), (c));	\
	rcu_assign_pointer((rcu_ptr), (ptr));				\
	__tmp;								\
})

/* ---- grace periods and callbacks ---- */

/* Wait for every read-side critical section that began before the call. */
void synchronize_rcu(void);
/* No expedited machinery: the same wait. */
void synchronize_rcu_expedited(void);
#define synchronize_rcu_bh()		synchronize_rcu()
#define synchronize_sched()		synchronize_rcu()
#define synchronize_rcu_mult(...)	synchronize_rcu()

/*
 * Invoke @func(@head) in the rcu_cb kthread, in softirq-like context
 * (bottom halves disabled), after a full grace period. Callbacks run in the
 * order they were queued.
 */
void call_rcu(struct rcu_head *head, rcu_callback_t func);
#define call_rcu_hurry(head, func)	call_rcu(head, func)

/* Wait until every callback queued before the call has been invoked. */
void rcu_barrier(void);

/* ---- freeing after a grace period ---- */

/*
 * As the kernel, the rcu_head's offset inside the object stands in for the
 * callback function, so kfree_rcu() needs no callback of its own; offsets
 * below 4096 are not function addresses.
 */
#define __is_kvfree_rcu_offset(offset)	((offset) < 4096)

/* Free @ptr (kvfree()) after a grace period; @head is inside it, or NULL. */
void kvfree_call_rcu(struct rcu_head *head, void *ptr);

#define kvfree_rcu_arg_2(ptr, rhf) do {					\
	typeof(ptr) ___p = (ptr);					\
									\
	if (___p) {							\
		BUILD_BUG_ON(!__is_kvfree_rcu_offset(offsetof(typeof(*(ptr)), rhf))); \
		kvfree_call_rcu(&((___p)->rhf), (void *)(___p));	\
	}								\
} while (0)

#define kvfree_rcu_arg_1(ptr) do {					\
	typeof(ptr) ___p = (ptr);					\
									\
	if (___p)							\
		kvfree_call_rcu(NULL, (void *)(___p));			\
} while (0)

/* kfree(ptr) after a grace period; @rhf is ptr's struct rcu_head member. */
#define kfree_rcu(ptr, rhf)		kvfree_rcu_arg_2(ptr, rhf)
#define kvfree_rcu(ptr, rhf)		kvfree_rcu_arg_2(ptr, rhf)
/*
 * Head-less forms: may sleep (a grace period inline if no memory can be
 * found to queue the pointer).
 */
#define kfree_rcu_mightsleep(ptr)	kvfree_rcu_arg_1(ptr)
#define kvfree_rcu_mightsleep(ptr)	kvfree_rcu_arg_1(ptr)

/* rcu_head helpers. */
static inline void rcu_head_init(struct rcu_head *rhp)
{
	rhp->func = (rcu_callback_t)~0UL;
}

static inline bool rcu_head_after_call_rcu(struct rcu_head *rhp, rcu_callback_t f)
{
	return READ_ONCE(rhp->func) == f;
}

#endif /* _SHIM_LINUX_RCUPDATE_H */
