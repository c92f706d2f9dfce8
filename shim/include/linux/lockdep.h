/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The lock validator (<linux/lockdep.h>), in the spirit of the kernel's
 * lockdep (Documentation/locking/lockdep-design.rst).
 *
 * Every lock embeds a struct lockdep_map naming its class: the address of
 * a static struct lock_class_key, one per initialisation site (each
 * *_init() macro declares one, as in the kernel), or the lock's own address
 * for statically initialised locks (DEFINE_SPINLOCK(), DEFINE_MUTEX(), ...),
 * or a key given with lockdep_set_class(). A class's name is the lock
 * expression at its init site ("&pool->lock").
 *
 * Held locks are always tracked per task (current->held_locks), whether
 * the validator is on or off: the deadlock report prints them. With the
 * validator on (the machine's cfg.lockdep, lockdep_set_enabled()), each
 * acquisition records "held class -> new class" edges in a class-order
 * graph, and the first acquisition that closes a cycle is reported as
 * "WARNING: possible circular locking dependency detected", with the stack
 * saved when the existing dependency was first seen and the current one,
 * even if this run never deadlocked. Also reported: recursive locking of a
 * class, releasing a lock that is not held, failed lockdep_assert*(), a
 * lock whose key is not static. Every report counts as SIM_REPORT_LOCKDEP.
 *
 * Differences from the kernel: no irq-state tracking (the simulator has no
 * interrupts), no lock statistics, no chain cache (a hash of seen
 * class pairs instead); the validator stays on after a report (each
 * inversion is reported once) instead of turning itself off; with the
 * validator off, lock_is_held() answers LOCK_STATE_UNKNOWN and no check
 * reports, but held locks are still tracked.
 */
#ifndef _SHIM_LINUX_LOCKDEP_H
#define _SHIM_LINUX_LOCKDEP_H

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/lockdep_types.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/types.h>

#define MAX_LOCKDEP_SUBCLASSES	8UL
#define SINGLE_DEPTH_NESTING	1

enum {
	LOCK_STATE_UNKNOWN = -1,
	LOCK_STATE_NOT_HELD,
	LOCK_STATE_HELD,
};

/* Locks of this class are tracked but never validated. */
extern struct lock_class_key __lockdep_no_validate__;

/* Non-zero while the validator is on (the kernel's debug_locks). */
extern int debug_locks;

/* Switch the validator on or off; held locks are tracked either way. */
void lockdep_set_enabled(bool on);
/* Inline: every lock operation asks, and most ask nothing else. */
static inline bool lockdep_enabled(void)
{
	return __atomic_load_n(&debug_locks, __ATOMIC_RELAXED) != 0;
}
/* Forget the class graph (machine stop); classes of static keys persist. */
void lockdep_reset(void);

void lockdep_init_map(struct lockdep_map *lock, const char *name,
		      struct lock_class_key *key, int subclass);

#define lockdep_set_class(lock, key) \
	lockdep_init_map(&(lock)->dep_map, #key, key, 0)
#define lockdep_set_class_and_name(lock, key, name) \
	lockdep_init_map(&(lock)->dep_map, name, key, 0)
#define lockdep_set_class_and_subclass(lock, key, sub) \
	lockdep_init_map(&(lock)->dep_map, #key, key, sub)
#define lockdep_set_subclass(lock, sub) \
	lockdep_init_map(&(lock)->dep_map, (lock)->dep_map.name, (lock)->dep_map.key, sub)
#define lockdep_set_novalidate_class(lock) \
	lockdep_set_class_and_name(lock, &__lockdep_no_validate__, #lock)

static inline int lockdep_match_key(struct lockdep_map *lock, struct lock_class_key *key)
{
	return lock->key == key;
}
#define lockdep_match_class(lock, key)	lockdep_match_key(&(lock)->dep_map, key)

/* Keys that live in allocated memory must be registered before use. */
void lockdep_register_key(struct lock_class_key *key);
void lockdep_unregister_key(struct lock_class_key *key);

/*
 * The annotations every lock calls. @read: 0 exclusive, 1 shared,
 * 2 shared and recursive (read_lock()); @trylock: the acquisition cannot
 * block, so it adds no ordering edge; @nest_lock: a held lock under which
 * several locks of one class may be taken (mutex_lock_nest_lock()).
 */
void lock_acquire(struct lockdep_map *lock, unsigned int subclass, int trylock,
		  int read, int check, struct lockdep_map *nest_lock, unsigned long ip);
void lock_release(struct lockdep_map *lock, unsigned long ip);
/* An exclusively held lock becomes shared (downgrade_write()). */
void lock_downgrade(struct lockdep_map *lock, unsigned long ip);
/* @read: -1 any mode, 0 exclusive, 1 shared. LOCK_STATE_* */
int lock_is_held_type(const struct lockdep_map *lock, int read);
#define lock_is_held(lock)	lock_is_held_type(lock, -1)

#define lock_acquire_exclusive(l, s, t, n, i)		lock_acquire(l, s, t, 0, 1, n, i)
#define lock_acquire_shared(l, s, t, n, i)		lock_acquire(l, s, t, 1, 1, n, i)
#define lock_acquire_shared_recursive(l, s, t, n, i)	lock_acquire(l, s, t, 2, 1, n, i)

#define spin_acquire(l, s, t, i)		lock_acquire_exclusive(l, s, t, NULL, i)
#define spin_acquire_nest(l, s, t, n, i)	lock_acquire_exclusive(l, s, t, n, i)
#define spin_release(l, i)			lock_release(l, i)

#define rwlock_acquire(l, s, t, i)		lock_acquire_exclusive(l, s, t, NULL, i)
#define rwlock_acquire_read(l, s, t, i)		lock_acquire_shared_recursive(l, s, t, NULL, i)
#define rwlock_release(l, i)			lock_release(l, i)

#define mutex_acquire(l, s, t, i)		lock_acquire_exclusive(l, s, t, NULL, i)
#define mutex_acquire_nest(l, s, t, n, i)	lock_acquire_exclusive(l, s, t, n, i)
#define mutex_release(l, i)			lock_release(l, i)

#define rwsem_acquire(l, s, t, i)		lock_acquire_exclusive(l, s, t, NULL, i)
#define rwsem_acquire_nest(l, s, t, n, i)	lock_acquire_exclusive(l, s, t, n, i)
#define rwsem_acquire_read(l, s, t, i)		lock_acquire_shared(l, s, t, NULL, i)
#define rwsem_release(l, i)			lock_release(l, i)

/* A bare lockdep_map used as a pseudo-lock (flush_work()-style annotations). */
#define lock_map_acquire(l)		lock_acquire_exclusive(l, 0, 0, NULL, _THIS_IP_)
#define lock_map_acquire_try(l)		lock_acquire_exclusive(l, 0, 1, NULL, _THIS_IP_)
#define lock_map_acquire_read(l)	lock_acquire_shared_recursive(l, 0, 0, NULL, _THIS_IP_)
#define lock_map_acquire_tryread(l)	lock_acquire_shared_recursive(l, 0, 1, NULL, _THIS_IP_)
#define lock_map_release(l)		lock_release(l, _THIS_IP_)

#define lockdep_is_held(lock)		lock_is_held(&(lock)->dep_map)
#define lockdep_is_held_type(lock, r)	lock_is_held_type(&(lock)->dep_map, (r))

/* Report a failed assertion (SIM_REPORT_LOCKDEP, with held locks and a backtrace). */
void lockdep_assert_failed(const char *what, const char *file, int line);

#define __lockdep_assert(cond, what) do {				\
	if (unlikely(!(cond)))						\
		lockdep_assert_failed(what, __FILE__, __LINE__);	\
} while (0)

#define __lockdep_assert_once(cond, what) do {				\
	static unsigned long __lockdep_once;				\
	if (unlikely(!(cond)) && __once_per_boot(__lockdep_once))	\
		lockdep_assert_failed(what, __FILE__, __LINE__);	\
} while (0)

#define lockdep_assert(cond)		__lockdep_assert(cond, "lockdep_assert(" #cond ")")
#define lockdep_assert_once(cond)	__lockdep_assert_once(cond, "lockdep_assert(" #cond ")")

#define lockdep_assert_held(l) \
	__lockdep_assert(lockdep_is_held(l) != LOCK_STATE_NOT_HELD, "lockdep_assert_held(" #l ")")
#define lockdep_assert_not_held(l) \
	__lockdep_assert(lockdep_is_held(l) != LOCK_STATE_HELD, "lockdep_assert_not_held(" #l ")")
#define lockdep_assert_held_write(l) \
	__lockdep_assert(lockdep_is_held_type(l, 0) != LOCK_STATE_NOT_HELD, \
			 "lockdep_assert_held_write(" #l ")")
#define lockdep_assert_held_read(l) \
	__lockdep_assert(lockdep_is_held_type(l, 1) != LOCK_STATE_NOT_HELD, \
			 "lockdep_assert_held_read(" #l ")")
#define lockdep_assert_held_once(l) \
	__lockdep_assert_once(lockdep_is_held(l) != LOCK_STATE_NOT_HELD, \
			      "lockdep_assert_held_once(" #l ")")
#define lockdep_assert_none_held_once() \
	__lockdep_assert_once(!lockdep_enabled() || !current || !current->lockdep_depth, \
			      "lockdep_assert_none_held_once()")

#define lockdep_assert_irqs_enabled() \
	__lockdep_assert(!lockdep_enabled() || !irqs_disabled(), "lockdep_assert_irqs_enabled()")
#define lockdep_assert_irqs_disabled() \
	__lockdep_assert(!lockdep_enabled() || !current || irqs_disabled(), \
			 "lockdep_assert_irqs_disabled()")
#define lockdep_assert_preemption_enabled() \
	__lockdep_assert(!lockdep_enabled() || preemptible(), \
			 "lockdep_assert_preemption_enabled()")
#define lockdep_assert_preemption_disabled() \
	__lockdep_assert(!lockdep_enabled() || !current || !preemptible(), \
			 "lockdep_assert_preemption_disabled()")
#define lockdep_assert_in_softirq() \
	__lockdep_assert(!lockdep_enabled() || !current || in_softirq(), \
			 "lockdep_assert_in_softirq()")

/* Record the dependency of taking @lock here, without taking it. */
#define might_lock(lock) do {						\
	lock_acquire(&(lock)->dep_map, 0, 0, 0, 1, NULL, _THIS_IP_);	\
	lock_release(&(lock)->dep_map, _THIS_IP_);			\
} while (0)
#define might_lock_read(lock) do {					\
	lock_acquire(&(lock)->dep_map, 0, 0, 1, 1, NULL, _THIS_IP_);	\
	lock_release(&(lock)->dep_map, _THIS_IP_);			\
} while (0)
#define might_lock_nested(lock, subclass) do {				\
	lock_acquire(&(lock)->dep_map, subclass, 0, 1, 1, NULL, _THIS_IP_); \
	lock_release(&(lock)->dep_map, _THIS_IP_);			\
} while (0)

/* Stop (and restart) tracking current's locks, nestable. */
static inline void lockdep_off(void)
{
	if (current)
		current->lockdep_recursion++;
}

static inline void lockdep_on(void)
{
	if (current)
		current->lockdep_recursion--;
}

#define lockdep_depth(tsk)	(debug_locks ? (tsk)->lockdep_depth : 0)
#define lockdep_recursing(tsk)	((tsk)->lockdep_recursion)

/*
 * Print @t's held locks into the report being written (sim/report.h);
 * for the deadlock, atomic-sleep and lockdep reports. Reading another
 * running task's stack is racy, as in the kernel.
 */
void lockdep_print_held_locks(struct task_struct *t);
#define debug_show_held_locks(t)	lockdep_print_held_locks(t)
/* Every task's held locks (the kernel's "Showing all locks held"). */
void debug_show_all_locks(void);
/* Report if current holds any lock (a task about to exit or sleep long). */
void debug_check_no_locks_held(void);
/* Report if current holds a lock inside [@from, @from + @len) (being freed). */
void debug_check_no_locks_freed(const void *from, unsigned long len);

#endif /* _SHIM_LINUX_LOCKDEP_H */
