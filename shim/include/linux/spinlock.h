/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Spinlocks (<linux/spinlock.h>, <linux/spinlock_api_smp.h>).
 *
 * spin_lock() disables preemption for as long as the lock is held (so
 * sleeping under it is reported by might_sleep() as "sleeping function
 * called from invalid context"), records the acquisition with lockdep,
 * then loops on an atomic trylock. Between attempts it calls sched_point():
 * in the controlled backend the holder is another task, which must get to
 * run; in the free-running backend the spinner also backs off (pause, then
 * sched_yield()). A spinlock never sleeps. The _bh forms also disable
 * softirqs and the _irq/_irqsave forms interrupts; the simulator has
 * neither, so they only mark the context (<linux/preempt.h>).
 *
 * Every lock and unlock is a scheduling point: before the first attempt
 * (preemptible if the caller was) and after the release.
 *
 * Debug checks as CONFIG_DEBUG_SPINLOCK's: unlocking a lock that is not
 * locked, or that another task holds, is reported (SIM_REPORT_LOCKDEP);
 * taking a lock current already holds is a certain self-deadlock, reported
 * and then turned into a BUG() that kills the task (the kernel would hang
 * that CPU). A spinner waiting implausibly long reports a suspected lockup
 * once, then keeps spinning.
 *
 * Threads that are not simulated tasks may take spinlocks (allocator
 * paths); for them there is no preemption accounting and no lockdep.
 */
#ifndef _SHIM_LINUX_SPINLOCK_H
#define _SHIM_LINUX_SPINLOCK_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <asm/barrier.h>

void __raw_spin_lock_init(raw_spinlock_t *lock, const char *name,
			  struct lock_class_key *key);

#define raw_spin_lock_init(lock) do {					\
	static struct lock_class_key __key;				\
									\
	__raw_spin_lock_init((lock), #lock, &__key);			\
} while (0)

void _raw_spin_lock(raw_spinlock_t *lock) __acquires(lock);
void _raw_spin_lock_nested(raw_spinlock_t *lock, int subclass) __acquires(lock);
void _raw_spin_lock_nest_lock(raw_spinlock_t *lock, struct lockdep_map *nest)
	__acquires(lock);
void _raw_spin_lock_bh(raw_spinlock_t *lock) __acquires(lock);
void _raw_spin_lock_irq(raw_spinlock_t *lock) __acquires(lock);
unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *lock) __acquires(lock);
unsigned long _raw_spin_lock_irqsave_nested(raw_spinlock_t *lock, int subclass)
	__acquires(lock);
int _raw_spin_trylock(raw_spinlock_t *lock);
int _raw_spin_trylock_bh(raw_spinlock_t *lock);
void _raw_spin_unlock(raw_spinlock_t *lock) __releases(lock);
void _raw_spin_unlock_bh(raw_spinlock_t *lock) __releases(lock);
void _raw_spin_unlock_irq(raw_spinlock_t *lock) __releases(lock);
void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags)
	__releases(lock);

#define raw_spin_lock(lock)			_raw_spin_lock(lock)
#define raw_spin_lock_nested(lock, subclass)	_raw_spin_lock_nested(lock, subclass)
#define raw_spin_lock_nest_lock(lock, nest_lock) \
	_raw_spin_lock_nest_lock(lock, &(nest_lock)->dep_map)
#define raw_spin_lock_bh(lock)			_raw_spin_lock_bh(lock)
#define raw_spin_lock_irq(lock)			_raw_spin_lock_irq(lock)
#define raw_spin_lock_irqsave(lock, flags) \
	do { (flags) = _raw_spin_lock_irqsave(lock); } while (0)
#define raw_spin_lock_irqsave_nested(lock, flags, subclass) \
	do { (flags) = _raw_spin_lock_irqsave_nested(lock, subclass); } while (0)
#define raw_spin_trylock(lock)			_raw_spin_trylock(lock)
#define raw_spin_trylock_bh(lock)		_raw_spin_trylock_bh(lock)
#define raw_spin_trylock_irq(lock) ({					\
	local_irq_disable();						\
	_raw_spin_trylock(lock) ? 1 : ({ local_irq_enable(); 0; });	\
})
#define raw_spin_trylock_irqsave(lock, flags) ({			\
	local_irq_save(flags);						\
	_raw_spin_trylock(lock) ? 1 : ({ local_irq_restore(flags); 0; }); \
})
#define raw_spin_unlock(lock)			_raw_spin_unlock(lock)
#define raw_spin_unlock_bh(lock)		_raw_spin_unlock_bh(lock)
#define raw_spin_unlock_irq(lock)		_raw_spin_unlock_irq(lock)
#define raw_spin_unlock_irqrestore(lock, flags)	_raw_spin_unlock_irqrestore(lock, flags)

/* Locked by anyone (not necessarily current). */
static __always_inline int raw_spin_is_locked(raw_spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0;
}
#define raw_spin_is_contended(lock)	((void)(lock), 0)
#define assert_raw_spin_locked(lock)	BUG_ON(!raw_spin_is_locked(lock))

/* spinlock_t: the same operations on the wrapped raw lock. */
static __always_inline raw_spinlock_t *spinlock_check(spinlock_t *lock)
{
	return &lock->rlock;
}

#define spin_lock_init(_lock) do {					\
	static struct lock_class_key __key;				\
									\
	__raw_spin_lock_init(spinlock_check(_lock), #_lock, &__key);	\
} while (0)

static __always_inline void spin_lock(spinlock_t *lock) __acquires(lock)
{
	raw_spin_lock(&lock->rlock);
}

static __always_inline void spin_lock_bh(spinlock_t *lock) __acquires(lock)
{
	raw_spin_lock_bh(&lock->rlock);
}

static __always_inline void spin_lock_irq(spinlock_t *lock) __acquires(lock)
{
	raw_spin_lock_irq(&lock->rlock);
}

static __always_inline int spin_trylock(spinlock_t *lock)
{
	return raw_spin_trylock(&lock->rlock);
}

static __always_inline int spin_trylock_bh(spinlock_t *lock)
{
	return raw_spin_trylock_bh(&lock->rlock);
}

static __always_inline int spin_trylock_irq(spinlock_t *lock)
{
	return raw_spin_trylock_irq(&lock->rlock);
}

#define spin_lock_nested(lock, subclass) \
	raw_spin_lock_nested(spinlock_check(lock), subclass)
#define spin_lock_nest_lock(lock, nest_lock) \
	raw_spin_lock_nest_lock(spinlock_check(lock), nest_lock)
#define spin_lock_irqsave(lock, flags) \
	raw_spin_lock_irqsave(spinlock_check(lock), flags)
#define spin_lock_irqsave_nested(lock, flags, subclass) \
	raw_spin_lock_irqsave_nested(spinlock_check(lock), flags, subclass)
#define spin_trylock_irqsave(lock, flags) \
	raw_spin_trylock_irqsave(spinlock_check(lock), flags)

static __always_inline void spin_unlock(spinlock_t *lock) __releases(lock)
{
	raw_spin_unlock(&lock->rlock);
}

static __always_inline void spin_unlock_bh(spinlock_t *lock) __releases(lock)
{
	raw_spin_unlock_bh(&lock->rlock);
}

static __always_inline void spin_unlock_irq(spinlock_t *lock) __releases(lock)
{
	raw_spin_unlock_irq(&lock->rlock);
}

static __always_inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
	__releases(lock)
{
	raw_spin_unlock_irqrestore(&lock->rlock, flags);
}

static __always_inline int spin_is_locked(spinlock_t *lock)
{
	return raw_spin_is_locked(&lock->rlock);
}

static __always_inline int spin_is_contended(spinlock_t *lock)
{
	return raw_spin_is_contended(&lock->rlock);
}

/* The kernel's lock-break hint: nobody ever waits to preempt a holder here. */
static inline int spin_needbreak(spinlock_t *lock)
{
	return 0;
}

#define assert_spin_locked(lock)	assert_raw_spin_locked(&(lock)->rlock)

/* After a lock acquisition, make it a full barrier. */
#define smp_mb__after_spinlock()	smp_mb()

/*
 * Decrement @atomic; if it reaches 0, return 1 with @lock held (the
 * kernel's lib/dec_and_lock.c), else 0.
 */
static inline int _atomic_dec_and_lock(atomic_t *atomic, spinlock_t *lock)
{
	/* Not the last reference: no need to lock. */
	if (atomic_add_unless(atomic, -1, 1))
		return 0;
	spin_lock(lock);
	if (atomic_dec_and_test(atomic))
		return 1;
	spin_unlock(lock);
	return 0;
}
#define atomic_dec_and_lock(atomic, lock)	_atomic_dec_and_lock(atomic, lock)

static inline int _atomic_dec_and_lock_irqsave(atomic_t *atomic, spinlock_t *lock,
					       unsigned long *flags)
{
	if (atomic_add_unless(atomic, -1, 1))
		return 0;
	spin_lock_irqsave(lock, *flags);
	if (atomic_dec_and_test(atomic))
		return 1;
	spin_unlock_irqrestore(lock, *flags);
	return 0;
}
#define atomic_dec_and_lock_irqsave(atomic, lock, flags) \
	_atomic_dec_and_lock_irqsave(atomic, lock, &(flags))

static inline int atomic_dec_and_raw_lock(atomic_t *atomic, raw_spinlock_t *lock)
{
	if (atomic_add_unless(atomic, -1, 1))
		return 0;
	raw_spin_lock(lock);
	if (atomic_dec_and_test(atomic))
		return 1;
	raw_spin_unlock(lock);
	return 0;
}

#include <linux/rwlock.h>

#endif /* _SHIM_LINUX_SPINLOCK_H */
