/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mutexes (<linux/mutex.h>, <linux/mutex_types.h>).
 *
 * A sleeping lock: owner holds the owning task (with a flag bit saying
 * that tasks sleep on the wait queue), and contended lockers sleep on a
 * wait queue (<linux/wait.h>), so a task blocked on a mutex is visible to
 * both scheduling backends and to the deadlock report. mutex_lock() starts
 * with might_sleep(); lock and unlock are scheduling points.
 *
 * Debug checks as CONFIG_DEBUG_MUTEXES' (reported as SIM_REPORT_LOCKDEP,
 * with the validator on): unlocking a mutex current does not own (another
 * task's, or an unlocked one), destroying a locked one. Locking a mutex
 * current already owns is a certain self-deadlock: it is reported and then
 * turned into a BUG() that kills the task, instead of sleeping forever.
 *
 * No signals reach simulated tasks: the _interruptible and _killable forms
 * always return 0. Threads that are not simulated tasks may lock mutexes
 * (allocator paths); they spin on the host instead of sleeping.
 */
#ifndef _SHIM_LINUX_MUTEX_H
#define _SHIM_LINUX_MUTEX_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <linux/types.h>
#include <linux/wait.h>

struct mutex {
	atomic_long_t		owner;	/* task_struct * | MUTEX_FLAG_WAITERS */
	struct wait_queue_head	wait;
	struct lockdep_map	dep_map;
};

#define __MUTEX_INITIALIZER(lockname) {					\
	.owner = ATOMIC_LONG_INIT(0),					\
	.wait = __WAIT_QUEUE_HEAD_INITIALIZER((lockname).wait),		\
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#lockname, &(lockname)) }

#define DEFINE_MUTEX(mutexname) \
	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

void __mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key);

#define mutex_init(mutex) do {						\
	static struct lock_class_key __key;				\
									\
	__mutex_init((mutex), #mutex, &__key);				\
} while (0)

/* Locked by anyone. */
static inline bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->owner.counter, __ATOMIC_RELAXED) != 0;
}

void mutex_destroy(struct mutex *lock);

void mutex_lock(struct mutex *lock) __acquires(lock);
void mutex_lock_nested(struct mutex *lock, unsigned int subclass) __acquires(lock);
void _mutex_lock_nest_lock(struct mutex *lock, struct lockdep_map *nest_lock)
	__acquires(lock);
int __must_check mutex_lock_interruptible(struct mutex *lock);
int __must_check mutex_lock_interruptible_nested(struct mutex *lock, unsigned int subclass);
int __must_check mutex_lock_killable(struct mutex *lock);
int __must_check mutex_lock_killable_nested(struct mutex *lock, unsigned int subclass);
/* Returns 1 if the mutex was taken, 0 if it is held (never sleeps). */
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock) __releases(lock);

#define mutex_lock_nest_lock(lock, nest_lock) \
	_mutex_lock_nest_lock(lock, &(nest_lock)->dep_map)
#define mutex_lock_io(lock)		mutex_lock(lock)
#define mutex_lock_io_nested(lock, subclass) mutex_lock_nested(lock, subclass)

/* Decrement @cnt; if it reaches 0 return 1 with @lock held, else 0. */
int atomic_dec_and_mutex_lock(atomic_t *cnt, struct mutex *lock);

#endif /* _SHIM_LINUX_MUTEX_H */
