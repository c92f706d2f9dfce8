/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reader/writer semaphores (<linux/rwsem.h>).
 *
 * Sleeping locks on a wait queue, like struct mutex: readers share the
 * semaphore, a writer excludes everyone; down_*() start with might_sleep();
 * every acquisition and release is a scheduling point. Fairness as the
 * kernel's in effect: once a writer waits, new readers queue behind it, so
 * a reader that takes the semaphore twice can deadlock against a waiting
 * writer (lockdep reports the recursion). A release wakes every waiter and
 * they contend again; the kernel hands off in queue order.
 *
 * Debug checks (SIM_REPORT_LOCKDEP, with the validator on): up_write() by
 * a task that is not the writer, releasing a semaphore that is not held.
 * No signals: the _interruptible and _killable forms return 0.
 */
#ifndef _SHIM_LINUX_RWSEM_H
#define _SHIM_LINUX_RWSEM_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <linux/types.h>
#include <linux/wait.h>

/* count: readers in units of RWSEM_READER_BIAS, and these flags. */
#define RWSEM_WRITER_LOCKED	(1UL << 0)
#define RWSEM_FLAG_WAITERS	(1UL << 1)	/* tasks sleep on wait */
#define RWSEM_FLAG_WRITER_WAIT	(1UL << 2)	/* a writer sleeps: readers queue */
#define RWSEM_READER_SHIFT	8
#define RWSEM_READER_BIAS	(1UL << RWSEM_READER_SHIFT)
#define RWSEM_READER_MASK	(~(RWSEM_READER_BIAS - 1))
#define RWSEM_LOCK_MASK		(RWSEM_WRITER_LOCKED | RWSEM_READER_MASK)

struct rw_semaphore {
	atomic_long_t		count;
	atomic_long_t		owner;	/* the writer's task_struct *, or 0 */
	struct wait_queue_head	wait;
	struct lockdep_map	dep_map;
};

#define __RWSEM_INITIALIZER(name) {					\
	.count = ATOMIC_LONG_INIT(0),					\
	.owner = ATOMIC_LONG_INIT(0),					\
	.wait = __WAIT_QUEUE_HEAD_INITIALIZER((name).wait),		\
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#name, &(name)) }

#define DECLARE_RWSEM(name) \
	struct rw_semaphore name = __RWSEM_INITIALIZER(name)

void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key);

#define init_rwsem(sem) do {						\
	static struct lock_class_key __key;				\
									\
	__init_rwsem((sem), #sem, &__key);				\
} while (0)

/* Held by a reader or the writer. */
static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return (__atomic_load_n(&sem->count.counter, __ATOMIC_RELAXED) &
		RWSEM_LOCK_MASK) != 0;
}

static inline int rwsem_is_contended(struct rw_semaphore *sem)
{
	return (__atomic_load_n(&sem->count.counter, __ATOMIC_RELAXED) &
		RWSEM_FLAG_WAITERS) != 0;
}

void down_read(struct rw_semaphore *sem) __acquires(sem);
void down_read_nested(struct rw_semaphore *sem, int subclass) __acquires(sem);
int __must_check down_read_interruptible(struct rw_semaphore *sem);
int __must_check down_read_killable(struct rw_semaphore *sem);
/* Returns 1 on success, 0 if a writer holds or waits for it. */
int down_read_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem) __releases(sem);

void down_write(struct rw_semaphore *sem) __acquires(sem);
void down_write_nested(struct rw_semaphore *sem, int subclass) __acquires(sem);
void _down_write_nest_lock(struct rw_semaphore *sem, struct lockdep_map *nest_lock)
	__acquires(sem);
int __must_check down_write_killable(struct rw_semaphore *sem);
/* Returns 1 on success, 0 if it is held. */
int down_write_trylock(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem) __releases(sem);
/* The writer becomes a reader, letting other readers in. */
void downgrade_write(struct rw_semaphore *sem);

#define down_write_nest_lock(sem, nest_lock) \
	_down_write_nest_lock(sem, &(nest_lock)->dep_map)

/* Reader side released by another task: not tracked by lockdep. */
void down_read_non_owner(struct rw_semaphore *sem);
void up_read_non_owner(struct rw_semaphore *sem);

#define rwsem_assert_held(sem)		lockdep_assert_held(sem)
#define rwsem_assert_held_write(sem)	lockdep_assert_held_write(sem)
#define rwsem_assert_held_nolockdep(sem) \
	WARN_ON_ONCE(!rwsem_is_locked(sem))

#endif /* _SHIM_LINUX_RWSEM_H */
