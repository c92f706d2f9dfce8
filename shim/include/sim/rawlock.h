/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shim's innermost lock: a test-and-set spinlock with no scheduling
 * point, no lockdep and no preemption accounting. It protects the shim's
 * own short critical sections (wait queue lists, the task list) that are
 * never held across a scheduling point, so in the controlled backend it is
 * never contended. Not a kernel API: kernel code uses spinlock_t.
 */
#ifndef _SHIM_SIM_RAWLOCK_H
#define _SHIM_SIM_RAWLOCK_H

#include <sched.h>

struct sim_rawlock {
	int locked;
};

#define SIM_RAWLOCK_INIT	{ 0 }

static inline void sim_rawlock_init(struct sim_rawlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELAXED);
}

static inline void sim_rawlock_lock(struct sim_rawlock *l)
{
	unsigned int spins = 0;

	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			if (++spins % 128 == 0)
				sched_yield();
			else
				__builtin_ia32_pause();
		}
	}
}

static inline int sim_rawlock_trylock(struct sim_rawlock *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void sim_rawlock_unlock(struct sim_rawlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif /* _SHIM_SIM_RAWLOCK_H */
