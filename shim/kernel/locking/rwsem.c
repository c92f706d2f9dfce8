// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reader/writer semaphores (kernel/locking/rwsem.c).
 *
 * count holds the readers (in RWSEM_READER_BIAS units), the writer bit and
 * two flags: WAITERS (someone sleeps on the wait queue) and WRITER_WAIT (a
 * writer does; new readers then queue too, the kernel's writer fairness).
 * Readers take the semaphore when no writer holds it or waits for it;
 * a writer when nobody holds it. A sleeper queues itself, sets its state,
 * and then either takes the semaphore or sets the flags before sleeping.
 * The release that leaves the semaphore free with waiters clears both
 * flags and wakes every waiter; they contend again and those that lose set
 * the flags afresh. Difference: the kernel hands the semaphore over in
 * queue order; here a woken waiter may lose to another.
 */
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <sim/report.h>
#include <sim/sched.h>

#include "lockdep_internals.h"

#define RWSEM_FLAGS	(RWSEM_FLAG_WAITERS | RWSEM_FLAG_WRITER_WAIT)

static __always_inline long rwsem_count(struct rw_semaphore *sem)
{
	return __atomic_load_n(&sem->count.counter, __ATOMIC_RELAXED);
}

static __always_inline long rwsem_owner(struct rw_semaphore *sem)
{
	return __atomic_load_n(&sem->owner.counter, __ATOMIC_RELAXED);
}

static __always_inline void rwsem_set_owner(struct rw_semaphore *sem, long owner)
{
	__atomic_store_n(&sem->owner.counter, owner, __ATOMIC_RELAXED);
}

void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key)
{
	__atomic_store_n(&sem->count.counter, 0, __ATOMIC_RELAXED);
	rwsem_set_owner(sem, 0);
	init_waitqueue_head(&sem->wait);
	lockdep_init_map(&sem->dep_map, name, key, 0);
}

static __always_inline bool cmpxchg_count(struct rw_semaphore *sem, long *old, long new)
{
	return __atomic_compare_exchange_n(&sem->count.counter, old, new, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

/* A reader may enter: no writer holds the semaphore or waits for it. */
static bool read_trylock(struct rw_semaphore *sem)
{
	long c = rwsem_count(sem);

	while (!(c & (RWSEM_WRITER_LOCKED | RWSEM_FLAG_WRITER_WAIT))) {
		if (cmpxchg_count(sem, &c, c + (long)RWSEM_READER_BIAS))
			return true;
	}
	return false;
}

/* A writer may enter: nobody holds it (flags are kept). */
static bool write_trylock(struct rw_semaphore *sem)
{
	long c = rwsem_count(sem);

	while (!(c & RWSEM_LOCK_MASK)) {
		if (cmpxchg_count(sem, &c, c | RWSEM_WRITER_LOCKED)) {
			rwsem_set_owner(sem, lock_owner_id());
			return true;
		}
	}
	return false;
}

/* Queued, state set: enter, or set @flags so that the releaser wakes us. */
static bool trylock_or_flag(struct rw_semaphore *sem, bool writer)
{
	long flags = writer ? RWSEM_FLAGS : RWSEM_FLAG_WAITERS;
	long c;

	for (;;) {
		if (writer ? write_trylock(sem) : read_trylock(sem))
			return true;
		c = rwsem_count(sem);
		if ((c & flags) == flags)
			return false;
		if (writer ? !(c & RWSEM_LOCK_MASK) :
			     !(c & (RWSEM_WRITER_LOCKED | RWSEM_FLAG_WRITER_WAIT)))
			continue;	/* freed meanwhile: try again */
		if (cmpxchg_count(sem, &c, c | flags))
			return false;
	}
}

static noinline void rwsem_down_slowpath(struct rw_semaphore *sem, bool writer)
{
	struct wait_queue_entry wait;

	if (rwsem_owner(sem) == lock_owner_id())
		lock_self_deadlock("rwsem", &sem->dep_map);
	if (!current) {
		unsigned long spins = 0;

		while (!(writer ? write_trylock(sem) : read_trylock(sem)))
			lock_busy_outside_task("rwsem", &sem->dep_map, &spins);
		return;
	}
	init_wait_entry(&wait, 0);
	for (;;) {
		prepare_to_wait(&sem->wait, &wait, TASK_UNINTERRUPTIBLE);
		if (trylock_or_flag(sem, writer))
			break;
		sched_set_blocked_on(sem->dep_map.name ? sem->dep_map.name : "rwsem");
		schedule();
	}
	finish_wait(&sem->wait, &wait);
}

/* The semaphore may be free with sleepers: clear the flags and wake them all. */
static void rwsem_wake(struct rw_semaphore *sem, long c)
{
	while (!(c & RWSEM_LOCK_MASK) && (c & RWSEM_FLAGS)) {
		if (cmpxchg_count(sem, &c, c & ~RWSEM_FLAGS)) {
			wake_up_all(&sem->wait);
			return;
		}
	}
}

static __always_inline void __down_read(struct rw_semaphore *sem)
{
	if (likely(read_trylock(sem)))
		return;
	rwsem_down_slowpath(sem, false);
}

static __always_inline void __down_write(struct rw_semaphore *sem)
{
	long zero = 0;

	if (likely(cmpxchg_count(sem, &zero, RWSEM_WRITER_LOCKED))) {
		rwsem_set_owner(sem, lock_owner_id());
		return;
	}
	rwsem_down_slowpath(sem, true);
}

static void __up_read(struct rw_semaphore *sem)
{
	long c = __atomic_sub_fetch(&sem->count.counter, (long)RWSEM_READER_BIAS,
				    __ATOMIC_RELEASE);

	if (unlikely(c & RWSEM_FLAG_WAITERS))
		rwsem_wake(sem, c);
}

void down_read(struct rw_semaphore *sem)
{
	might_sleep();
	rwsem_acquire_read(&sem->dep_map, 0, 0, _RET_IP_);
	__down_read(sem);
}

void down_read_nested(struct rw_semaphore *sem, int subclass)
{
	might_sleep();
	rwsem_acquire_read(&sem->dep_map, subclass, 0, _RET_IP_);
	__down_read(sem);
}

int down_read_interruptible(struct rw_semaphore *sem)
{
	might_sleep();
	rwsem_acquire_read(&sem->dep_map, 0, 0, _RET_IP_);
	__down_read(sem);
	return 0;
}

int down_read_killable(struct rw_semaphore *sem)
{
	might_sleep();
	rwsem_acquire_read(&sem->dep_map, 0, 0, _RET_IP_);
	__down_read(sem);
	return 0;
}

int down_read_trylock(struct rw_semaphore *sem)
{
	sched_point();
	if (!read_trylock(sem))
		return 0;
	rwsem_acquire_read(&sem->dep_map, 0, 1, _RET_IP_);
	return 1;
}

void up_read(struct rw_semaphore *sem)
{
	if (lock_release_checked(&sem->dep_map, _RET_IP_) && current &&
	    unlikely(!(rwsem_count(sem) & RWSEM_READER_MASK)))
		debug_locks_report("rwsem not read-locked", &sem->dep_map);
	__up_read(sem);
	sched_point();
}

void down_read_non_owner(struct rw_semaphore *sem)
{
	might_sleep();
	__down_read(sem);
}

void up_read_non_owner(struct rw_semaphore *sem)
{
	__up_read(sem);
	sched_point();
}

void down_write(struct rw_semaphore *sem)
{
	might_sleep();
	rwsem_acquire(&sem->dep_map, 0, 0, _RET_IP_);
	__down_write(sem);
}

void down_write_nested(struct rw_semaphore *sem, int subclass)
{
	might_sleep();
	rwsem_acquire(&sem->dep_map, subclass, 0, _RET_IP_);
	__down_write(sem);
}

void _down_write_nest_lock(struct rw_semaphore *sem, struct lockdep_map *nest_lock)
{
	might_sleep();
	rwsem_acquire_nest(&sem->dep_map, 0, 0, nest_lock, _RET_IP_);
	__down_write(sem);
}

int down_write_killable(struct rw_semaphore *sem)
{
	might_sleep();
	rwsem_acquire(&sem->dep_map, 0, 0, _RET_IP_);
	__down_write(sem);
	return 0;
}

int down_write_trylock(struct rw_semaphore *sem)
{
	sched_point();
	if (!write_trylock(sem))
		return 0;
	rwsem_acquire(&sem->dep_map, 0, 1, _RET_IP_);
	return 1;
}

void up_write(struct rw_semaphore *sem)
{
	long c;

	if (lock_release_checked(&sem->dep_map, _RET_IP_) && current &&
	    unlikely(rwsem_owner(sem) != lock_owner_id()))
		debug_locks_report("sem->owner != current", &sem->dep_map);
	rwsem_set_owner(sem, 0);
	c = __atomic_and_fetch(&sem->count.counter, ~(long)RWSEM_WRITER_LOCKED,
			       __ATOMIC_RELEASE);
	if (unlikely(c & RWSEM_FLAG_WAITERS))
		rwsem_wake(sem, c);
	sched_point();
}

void downgrade_write(struct rw_semaphore *sem)
{
	long c;

	lock_downgrade(&sem->dep_map, _RET_IP_);
	if (current && lockdep_enabled() && rwsem_owner(sem) != lock_owner_id())
		debug_locks_report("sem->owner != current", &sem->dep_map);
	rwsem_set_owner(sem, 0);
	c = __atomic_add_fetch(&sem->count.counter,
			       (long)RWSEM_READER_BIAS - (long)RWSEM_WRITER_LOCKED,
			       __ATOMIC_RELEASE);
	/* Waiting readers may join now; waiting writers queue again. */
	while (c & RWSEM_FLAGS) {
		if (cmpxchg_count(sem, &c, c & ~RWSEM_FLAGS)) {
			wake_up_all(&sem->wait);
			break;
		}
	}
	sched_point();
}
