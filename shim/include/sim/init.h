/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot and shutdown of the simulated machine (shim/init/main.c) call each
 * subsystem's init and exit in this order; exits run in reverse. Not a
 * kernel API.
 *
 * Before any task exists, on the thread that calls zsim_machine_start():
 *	fault_inject_init, page_alloc_init, kmem_init, percpu_init
 * In the boot task "swapper/0" on CPU 0:
 *	timers_init, rcu_init, workqueue_init, cpuhp_init, initcalls
 * Exits return the number of leaks or problems they reported.
 *
 * After a controlled run wedged (deadlock, hang or step limit), every task
 * has been killed when the exits run, on the test's thread, with
 * sim_machine_wedged() true: they must forget their state (leaking what
 * killed tasks held) without waiting for any task, so the next machine
 * boots clean. Modules' exitcalls do not run then: a module whose state
 * outlives a machine (file-scope lists, counters) resets it in its init.
 */
#ifndef _SHIM_SIM_INIT_H
#define _SHIM_SIM_INIT_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

bool sim_machine_wedged(void);

struct zsim_config;

int fault_inject_init(u64 seed);
void fault_inject_exit(void);

/* @page_poison: struct zsim_config's. */
int page_alloc_init(u64 ram_bytes, unsigned int nr_nodes, bool page_poison);
unsigned long page_alloc_exit(void);

/* @slub_debug, @kmemleak: struct zsim_config's, see shim/mm/slab.h. */
int kmem_init(unsigned int nr_nodes, bool slub_debug, bool kmemleak);
unsigned long kmem_exit(void);

int percpu_init(void);
unsigned long percpu_exit(void);

int timers_init(void);
void timers_exit(void);

int rcu_init(void);
void rcu_exit(void);

int workqueue_init(void);
void workqueue_exit(void);

int cpuhp_init(void);
void cpuhp_exit(void);

/*
 * A file-scope lock, reset by its module's init: a wedged machine's killed
 * tasks may have left it held or waited on. Its name and lockdep class stay.
 */
static inline void sim_mutex_forget(struct mutex *lock)
{
	__mutex_init(lock, lock->dep_map.name, lock->dep_map.key);
}

static inline void sim_spin_lock_forget(spinlock_t *lock)
{
	__raw_spin_lock_init(&lock->rlock, lock->dep_map.name, lock->dep_map.key);
}

/* Drop the debugfs entries left at shutdown (parameters keep their values). */
void debugfs_exit(void);

#endif /* _SHIM_SIM_INIT_H */
