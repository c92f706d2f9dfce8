/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU reader/writer semaphores (<linux/percpu-rwsem.h>).
 *
 * The kernel's percpu_rw_semaphore makes readers cheap (a per-CPU count,
 * RCU-sync'ed against writers) and writers expensive. The shim keeps the
 * semantics that matter to correctness and to lockdep: readers share it,
 * a writer excludes readers and other writers, everyone may sleep. It is
 * an rw_semaphore underneath, so the reader fast path is not per-CPU.
 */
#ifndef _SHIM_LINUX_PERCPU_RWSEM_H
#define _SHIM_LINUX_PERCPU_RWSEM_H

#include <linux/rwsem.h>

struct percpu_rw_semaphore {
	struct rw_semaphore	rw_sem;
};

#define DEFINE_PERCPU_RWSEM(name)					\
	struct percpu_rw_semaphore name = { .rw_sem = __RWSEM_INITIALIZER(name.rw_sem) }
#define DEFINE_STATIC_PERCPU_RWSEM(name)				\
	static struct percpu_rw_semaphore name = { .rw_sem = __RWSEM_INITIALIZER(name.rw_sem) }

#define percpu_init_rwsem(sem) ({					\
	init_rwsem(&(sem)->rw_sem);					\
	0;								\
})

static inline void percpu_free_rwsem(struct percpu_rw_semaphore *sem)
{
}

static inline void percpu_down_read(struct percpu_rw_semaphore *sem)
{
	down_read(&sem->rw_sem);
}

static inline bool percpu_down_read_trylock(struct percpu_rw_semaphore *sem)
{
	return down_read_trylock(&sem->rw_sem);
}

static inline void percpu_up_read(struct percpu_rw_semaphore *sem)
{
	up_read(&sem->rw_sem);
}

static inline void percpu_down_write(struct percpu_rw_semaphore *sem)
{
	down_write(&sem->rw_sem);
}

static inline void percpu_up_write(struct percpu_rw_semaphore *sem)
{
	up_write(&sem->rw_sem);
}

#define percpu_rwsem_is_held(sem)	lockdep_is_held(&(sem)->rw_sem)
#define percpu_rwsem_assert_held(sem)	lockdep_assert_held(&(sem)->rw_sem)

#endif /* _SHIM_LINUX_PERCPU_RWSEM_H */
