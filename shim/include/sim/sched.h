/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduling layer's interface to the rest of the shim.
 *
 * Not a kernel API: these are the hooks through which the shim's primitives
 * (locks, atomics, RCU, per-CPU accessors, hotplug) reach the one scheduling
 * layer, whichever backend runs the machine.
 */
#ifndef _SHIM_SIM_SCHED_H
#define _SHIM_SIM_SCHED_H

#include <linux/sched.h>
#include <linux/types.h>

enum sim_backend {
	SIM_FREE_RUNNING,
	SIM_CONTROLLED,
};

extern enum sim_backend sim_backend;

static inline bool sim_controlled(void)
{
	return sim_backend == SIM_CONTROLLED;
}

/*
 * A scheduling point. In the controlled backend the scheduler may run
 * another task here. If current is preemptible it may also be preempted
 * (lose its CPU to another task of that CPU) or migrated to another online
 * CPU, in either backend. Safe to call from a non-task thread (no-op).
 */
void sched_point(void);

/*
 * One iteration of a spin-wait: current cannot get on until another task
 * runs. Every loop that spins on another task's store calls it once per
 * iteration instead of sched_point(): the spinlock and rwlock slow paths,
 * smp_cond_load_*() and so atomic_cond_read_*(), bit spinlocks, waiting
 * for a running timer callback. It is a scheduling point; in the controlled
 * backend under PCT it is also a yield, dropping current below every other
 * task, so that a spinner of higher priority does not win every step while
 * the task it waits for never runs (deterministic: priorities are part of
 * the seeded run). Under the random walk and free-running it is just the
 * point.
 */
void sched_spin_wait(void);

/*
 * Sleep/wake bookkeeping used by <linux/wait.h> and the lock slow paths:
 * describe what current is about to sleep on (shown by the deadlock report),
 * and whether a sleeper in TASK_IDLE state counts as idle (kthreads waiting
 * for work) rather than blocked.
 */
static inline void sched_set_blocked_on(const char *what)
{
	if (current)
		current->blocked_on = what;
}

/*
 * Bracket a call that blocks the host thread outside the scheduling layer
 * (liburcu's synchronize_rcu() in the free-running backend): current gives
 * up its virtual CPU for the duration and counts as sleeping.
 */
void sched_blocking_begin(void);
void sched_blocking_end(void);

/*
 * Bind current to @cpu (which must be online; it may be inactive) and move
 * there, or unbind with @cpu == -1. Used by the hotplug core to run AP
 * callbacks on the CPU they concern, as the kernel's per-CPU hotplug thread.
 */
void sched_bind_current(int cpu);

/*
 * Hotplug support: stop placing unbound tasks on @cpu, then wait until no
 * unbound task occupies it or is migrate-disabled on it (the kernel's
 * balance_push + takedown_cpu). Tasks sleeping with task_cpu() == @cpu
 * move on wake-up.
 */
void sched_cpu_deactivate(unsigned int cpu);
void sched_cpu_activate(unsigned int cpu);
void sched_cpu_wait_empty(unsigned int cpu);

/*
 * Create a simulated task that will run @fn(@data) on @cpu, not yet started
 * (TASK_NEW); sched_task_start() makes it runnable. The task exits when @fn
 * returns; its exit code is kept for sched_task_join(). Returns ERR_PTR.
 */
struct task_struct *sched_task_create(int (*fn)(void *), void *data, int cpu,
				      const char *namefmt, ...) __printf(4, 5);
void sched_task_start(struct task_struct *tsk);
/* Wait for @tsk to exit, free it and return its exit code. */
int sched_task_join(struct task_struct *tsk);
/* Exit current now with @code (kthread_exit()/do_exit()). */
void __noreturn sched_task_exit(int code);

/* Virtual time in nanoseconds since the machine started. */
u64 sched_clock_ns(void);
/*
 * Charge @ns of (modelled) CPU or device time to current's virtual clock
 * (and, in the controlled backend, to the machine's clock).
 */
void sched_charge_ns(u64 ns);

/*
 * @tsk's own virtual clock, in nanoseconds on the machine's time base: the
 * time @tsk has lived through, as if every virtual CPU ran in parallel.
 * - Controlled: it starts at its creator's clock (the machine's for a
 *   task zsim_spawn() made) and advances by everything charged to it
 *   (sched_charge_ns(): udelay(), modelled CPU and device time), by the
 *   whole length of a timeout it slept through, and on a wakeup to at
 *   least its waker's clock. Scheduling steps do not advance it (the
 *   machine clock counts them, 100 ns each, so that timeouts come in a
 *   busy loop). A function of the run: the same seed gives the same
 *   clocks.
 * - Free-running: the host-timed machine clock plus what was charged to
 *   the task (modelled time on top of measured time).
 * It stops when the task exits; read it until the task is joined.
 */
u64 sched_task_clock_ns(struct task_struct *tsk);

/*
 * Current finished a delay it asked for (msleep() and the other sleeps of
 * <linux/delay.h>): progress for the controlled backend's hang limit
 * (see zsim_run()), unlike a timed wait that ran out.
 */
void sched_delay_done(void);

/* Controlled backend, PCT: change points applied so far in this run. */
unsigned int sched_pct_changes(void);

/* A 64-bit random number from current's seeded stream (machine's if none). */
u64 sim_random_u64(void);

/* Run @fn for every live task with the task list locked (reports, debug). */
void sched_for_each_task(void (*fn)(struct task_struct *tsk, void *arg), void *arg);

#endif /* _SHIM_SIM_SCHED_H */
