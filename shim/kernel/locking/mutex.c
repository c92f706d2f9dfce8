// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mutexes (kernel/locking/mutex.c, mutex-debug.c).
 *
 * The lock word holds the owner (a task_struct pointer, or a per-thread
 * tag outside tasks) and MUTEX_FLAG_WAITERS. The fast paths are one
 * cmpxchg each way. A contended locker queues itself exclusively on the
 * mutex's wait queue, sets its task state, and then either takes the mutex
 * if it became free or makes sure the flag is set before it sleeps; the
 * unlocker clears the word and, if the flag was set, wakes one waiter.
 * Since the unlock clears the flag, a waiter that takes the mutex sets it
 * again when others still wait, so none of them is forgotten. A woken
 * waiter competes with new lockers (the kernel's optimistic stealing; no
 * hand-off).
 */
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <sim/report.h>
#include <sim/sched.h>

#include "lockdep_internals.h"

#define MUTEX_FLAG_WAITERS	0x01L
#define MUTEX_FLAGS		0x01L

static __always_inline long mutex_owner_word(struct mutex *lock)
{
	return __atomic_load_n(&lock->owner.counter, __ATOMIC_RELAXED);
}

void __mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key)
{
	__atomic_store_n(&lock->owner.counter, 0, __ATOMIC_RELAXED);
	init_waitqueue_head(&lock->wait);
	lockdep_init_map(&lock->dep_map, name, key, 0);
}

void mutex_destroy(struct mutex *lock)
{
	if (mutex_is_locked(lock))
		debug_locks_report("mutex_is_locked(lock)", &lock->dep_map);
}

static __always_inline bool mutex_trylock_fast(struct mutex *lock, long me)
{
	long zero = 0;

	return __atomic_compare_exchange_n(&lock->owner.counter, &zero, me, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Take the mutex if it has no owner, keeping the flag. */
static bool mutex_trylock_word(struct mutex *lock, long me)
{
	long old = mutex_owner_word(lock);

	while (!(old & ~MUTEX_FLAGS)) {
		if (__atomic_compare_exchange_n(&lock->owner.counter, &old,
						me | (old & MUTEX_FLAGS), false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

/*
 * Called queued and with the task state set: take the mutex, or make
 * sure the unlocker will wake us. True if taken.
 */
static bool mutex_trylock_or_flag(struct mutex *lock, long me)
{
	long old = mutex_owner_word(lock);

	for (;;) {
		if (!(old & ~MUTEX_FLAGS)) {
			if (__atomic_compare_exchange_n(&lock->owner.counter, &old,
							me | (old & MUTEX_FLAGS), false,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				return true;
			continue;
		}
		if (old & MUTEX_FLAG_WAITERS)
			return false;
		if (__atomic_compare_exchange_n(&lock->owner.counter, &old,
						old | MUTEX_FLAG_WAITERS, false,
						__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return false;
	}
}

static bool wait_list_empty(struct mutex *lock)
{
	bool empty;

	sim_rawlock_lock(&lock->wait.lock);
	empty = list_empty(&lock->wait.head);
	sim_rawlock_unlock(&lock->wait.lock);
	return empty;
}

static noinline void mutex_lock_slowpath(struct mutex *lock, long me)
{
	struct wait_queue_entry wait;

	if ((mutex_owner_word(lock) & ~MUTEX_FLAGS) == me)
		lock_self_deadlock("mutex", &lock->dep_map);
	if (!current) {
		unsigned long spins = 0;

		while (!mutex_trylock_word(lock, me))
			lock_busy_outside_task("mutex", &lock->dep_map, &spins);
		return;
	}
	init_wait_entry(&wait, WQ_FLAG_EXCLUSIVE);
	for (;;) {
		prepare_to_wait_exclusive(&lock->wait, &wait, TASK_UNINTERRUPTIBLE);
		if (mutex_trylock_or_flag(lock, me))
			break;
		sched_set_blocked_on(lock->dep_map.name ? lock->dep_map.name : "mutex");
		schedule();
	}
	finish_wait(&lock->wait, &wait);
	/* Our unlocker cleared the flag: set it again for those still queued. */
	if (!wait_list_empty(lock))
		__atomic_fetch_or(&lock->owner.counter, MUTEX_FLAG_WAITERS, __ATOMIC_SEQ_CST);
}

static __always_inline void __mutex_lock(struct mutex *lock, unsigned int subclass,
					 struct lockdep_map *nest, unsigned long ip)
{
	long me = lock_owner_id();

	might_sleep();
	mutex_acquire_nest(&lock->dep_map, subclass, 0, nest, ip);
	if (likely(mutex_trylock_fast(lock, me)))
		return;
	mutex_lock_slowpath(lock, me);
}

void mutex_lock(struct mutex *lock)
{
	__mutex_lock(lock, 0, NULL, _RET_IP_);
}

void mutex_lock_nested(struct mutex *lock, unsigned int subclass)
{
	__mutex_lock(lock, subclass, NULL, _RET_IP_);
}

void _mutex_lock_nest_lock(struct mutex *lock, struct lockdep_map *nest_lock)
{
	__mutex_lock(lock, 0, nest_lock, _RET_IP_);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	__mutex_lock(lock, 0, NULL, _RET_IP_);
	return 0;
}

int mutex_lock_interruptible_nested(struct mutex *lock, unsigned int subclass)
{
	__mutex_lock(lock, subclass, NULL, _RET_IP_);
	return 0;
}

int mutex_lock_killable(struct mutex *lock)
{
	__mutex_lock(lock, 0, NULL, _RET_IP_);
	return 0;
}

int mutex_lock_killable_nested(struct mutex *lock, unsigned int subclass)
{
	__mutex_lock(lock, subclass, NULL, _RET_IP_);
	return 0;
}

int mutex_trylock(struct mutex *lock)
{
	sched_point();
	if (!mutex_trylock_word(lock, lock_owner_id()))
		return 0;
	mutex_acquire(&lock->dep_map, 0, 1, _RET_IP_);
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	long me = lock_owner_id();
	long old;

	if (lock_release_checked(&lock->dep_map, _RET_IP_) && current &&
	    unlikely((mutex_owner_word(lock) & ~MUTEX_FLAGS) != me))
		debug_locks_report("__owner_task(owner) != current", &lock->dep_map);
	old = me;
	if (!__atomic_compare_exchange_n(&lock->owner.counter, &old, 0, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {
		old = __atomic_exchange_n(&lock->owner.counter, 0, __ATOMIC_RELEASE);
		if (old & MUTEX_FLAG_WAITERS)
			wake_up(&lock->wait);
	}
	sched_point();
}

int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock)
{
	/* dec if we can't possibly hit 0 */
	if (atomic_add_unless(cnt, -1, 1))
		return 0;
	mutex_lock(lock);
	if (!atomic_dec_and_test(cnt)) {
		mutex_unlock(lock);
		return 0;
	}
	return 1;
}
