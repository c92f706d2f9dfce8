/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bit spinlocks (<linux/bit_spinlock.h>): one bit of a word as a spinlock,
 * as zsmalloc's per-object handle lock uses.
 *
 * As in the kernel: taking the lock disables preemption until the unlock;
 * a contended lock is waited for with preemption enabled, on plain loads
 * of the bit, before the next test_and_set_bit_lock(). The bit lock is not
 * a lockdep class (the kernel's bit spinlocks are not tracked either), so
 * lockdep neither sees it in the held-locks list nor checks its order.
 *
 * In the shim each attempt is a scheduling point (test_and_set_bit_lock(),
 * <linux/bitops.h>) and each iteration of the wait is a spin-wait point
 * (sched_spin_wait(), <sim/sched.h>), so that the controlled backend runs
 * the holder. Difference: there is no lockup report (a spinlock's
 * "lockup suspected"); a holder that never unlocks makes the spinner spin
 * forever, as in the kernel until the soft-lockup watchdog fires.
 */
#ifndef _SHIM_LINUX_BIT_SPINLOCK_H
#define _SHIM_LINUX_BIT_SPINLOCK_H

#include <asm/barrier.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/preempt.h>
#include <sim/sched.h>

static inline void bit_spin_lock(int bitnum, unsigned long *addr)
{
	for (;;) {
		preempt_disable();
		if (likely(!test_and_set_bit_lock(bitnum, addr)))
			return;
		preempt_enable();
		while (test_bit(bitnum, addr)) {
			__sim_cpu_relax();
			sched_spin_wait();
		}
	}
}

/* 1 with the lock taken (and preemption disabled), 0 if it was held. */
static inline int bit_spin_trylock(int bitnum, unsigned long *addr)
{
	preempt_disable();
	if (unlikely(test_and_set_bit_lock(bitnum, addr))) {
		preempt_enable();
		return 0;
	}
	return 1;
}

/* The kernel checks the bit with CONFIG_DEBUG_SPINLOCK; the shim always. */
static inline void bit_spin_unlock(int bitnum, unsigned long *addr)
{
	BUG_ON(!test_bit(bitnum, addr));
	clear_bit_unlock(bitnum, addr);
	preempt_enable();
}

/*
 * Unlock with a non-atomic release store of the word: only when no other
 * bit of it can change while the lock is held.
 */
static inline void __bit_spin_unlock(int bitnum, unsigned long *addr)
{
	BUG_ON(!test_bit(bitnum, addr));
	__clear_bit_unlock(bitnum, addr);
	preempt_enable();
}

static inline int bit_spin_is_locked(int bitnum, unsigned long *addr)
{
	return test_bit(bitnum, addr);
}

#endif /* _SHIM_LINUX_BIT_SPINLOCK_H */
