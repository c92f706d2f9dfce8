/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reader/writer spinlocks (<linux/rwlock.h>, <linux/rwlock_api_smp.h>).
 *
 * Spinning locks with the spinlock's rules (<linux/spinlock.h>):
 * preemption disabled while held, a scheduling point at every lock and
 * unlock, sched_point() between attempts. Readers share the lock and
 * exclude writers; read_lock() is a recursive read lock for lockdep.
 *
 * Difference: the kernel's queued rwlock makes a reader in process context
 * wait behind a waiting writer (and lockdep then treats read_lock() as
 * non-recursive there); here readers only wait for a writer that holds the
 * lock, as the kernel's readers in interrupt context do, so a writer can be
 * starved by a steady stream of readers.
 */
#ifndef _SHIM_LINUX_RWLOCK_H
#define _SHIM_LINUX_RWLOCK_H

#ifndef _SHIM_LINUX_SPINLOCK_H
# error "do not include directly, include linux/spinlock.h"
#endif

void __rwlock_init(rwlock_t *lock, const char *name, struct lock_class_key *key);

#define rwlock_init(lock) do {						\
	static struct lock_class_key __key;				\
									\
	__rwlock_init((lock), #lock, &__key);				\
} while (0)

void _raw_read_lock(rwlock_t *lock) __acquires(lock);
void _raw_read_lock_bh(rwlock_t *lock) __acquires(lock);
void _raw_read_lock_irq(rwlock_t *lock) __acquires(lock);
unsigned long _raw_read_lock_irqsave(rwlock_t *lock) __acquires(lock);
int _raw_read_trylock(rwlock_t *lock);
void _raw_read_unlock(rwlock_t *lock) __releases(lock);
void _raw_read_unlock_bh(rwlock_t *lock) __releases(lock);
void _raw_read_unlock_irq(rwlock_t *lock) __releases(lock);
void _raw_read_unlock_irqrestore(rwlock_t *lock, unsigned long flags) __releases(lock);

void _raw_write_lock(rwlock_t *lock) __acquires(lock);
void _raw_write_lock_nested(rwlock_t *lock, int subclass) __acquires(lock);
void _raw_write_lock_bh(rwlock_t *lock) __acquires(lock);
void _raw_write_lock_irq(rwlock_t *lock) __acquires(lock);
unsigned long _raw_write_lock_irqsave(rwlock_t *lock) __acquires(lock);
int _raw_write_trylock(rwlock_t *lock);
void _raw_write_unlock(rwlock_t *lock) __releases(lock);
void _raw_write_unlock_bh(rwlock_t *lock) __releases(lock);
void _raw_write_unlock_irq(rwlock_t *lock) __releases(lock);
void _raw_write_unlock_irqrestore(rwlock_t *lock, unsigned long flags) __releases(lock);

#define read_lock(lock)			_raw_read_lock(lock)
#define read_lock_bh(lock)		_raw_read_lock_bh(lock)
#define read_lock_irq(lock)		_raw_read_lock_irq(lock)
#define read_lock_irqsave(lock, flags) \
	do { (flags) = _raw_read_lock_irqsave(lock); } while (0)
#define read_trylock(lock)		_raw_read_trylock(lock)
#define read_unlock(lock)		_raw_read_unlock(lock)
#define read_unlock_bh(lock)		_raw_read_unlock_bh(lock)
#define read_unlock_irq(lock)		_raw_read_unlock_irq(lock)
#define read_unlock_irqrestore(lock, flags) _raw_read_unlock_irqrestore(lock, flags)

#define write_lock(lock)		_raw_write_lock(lock)
#define write_lock_nested(lock, subclass) _raw_write_lock_nested(lock, subclass)
#define write_lock_bh(lock)		_raw_write_lock_bh(lock)
#define write_lock_irq(lock)		_raw_write_lock_irq(lock)
#define write_lock_irqsave(lock, flags) \
	do { (flags) = _raw_write_lock_irqsave(lock); } while (0)
#define write_trylock(lock)		_raw_write_trylock(lock)
#define write_trylock_irqsave(lock, flags) ({				\
	local_irq_save(flags);						\
	_raw_write_trylock(lock) ? 1 : ({ local_irq_restore(flags); 0; }); \
})
#define write_unlock(lock)		_raw_write_unlock(lock)
#define write_unlock_bh(lock)		_raw_write_unlock_bh(lock)
#define write_unlock_irq(lock)		_raw_write_unlock_irq(lock)
#define write_unlock_irqrestore(lock, flags) _raw_write_unlock_irqrestore(lock, flags)

/*
 * A reader or writer is waiting, as the queued rwlock's test of its
 * wait_lock (queued_rwlock_is_contended()): lock holders that loop, like
 * zsmalloc's compaction, drop the lock when it says so.
 */
static inline int rwlock_is_contended(rwlock_t *lock)
{
	return __atomic_load_n(&lock->waiters, __ATOMIC_RELAXED) != 0;
}

/* Held by any reader or writer. */
static inline int rwlock_is_locked(rwlock_t *lock)
{
	return __atomic_load_n(&lock->cnt, __ATOMIC_RELAXED) != 0;
}

#endif /* _SHIM_LINUX_RWLOCK_H */
