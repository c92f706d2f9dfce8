/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the scheduling layer, shared by the core (core.c), the two
 * backends (free.c, controlled.c) and the wait queues (wait.c).
 *
 * A virtual CPU is a struct rq whose curr is the task occupying it. A task
 * must occupy its CPU to execute simulated code; it gives the CPU up when it
 * sleeps, and at a preemption point when preemptible. The backends differ in
 * who decides what runs: the host's scheduler among parallel pthreads
 * (free-running), or a seeded scheduler that lets exactly one task run
 * between two scheduling points (controlled).
 */
#ifndef _SHIM_KERNEL_SCHED_SCHED_H
#define _SHIM_KERNEL_SCHED_SCHED_H

#include <linux/cpumask.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <sim/sched.h>
#include <sim/schedule.h>
#include <pthread.h>
#include <zswapsim.h>

struct rq {
	struct task_struct	*curr;		/* occupying task or NULL */
	unsigned int		nr_pinned;	/* migrate-disabled tasks on this CPU */
	int			nr_waiting;	/* free-running: tasks waiting for it */
	pthread_mutex_t		lock;		/* free-running only */
	pthread_cond_t		cond;
} __aligned(64);		/* one CPU's: no line shared with another's */

struct sim_task {
	pthread_t		thread;
	bool			thread_started;
	bool			exited;
	bool			joining;	/* a zsim_join() of it is under way */
	bool			killed;		/* torn down after a deadlock */
	bool			timed_out;
	bool			preempted;	/* controlled: off CPU at a point, still runnable */
	u64			deadline_ns;	/* schedule_timeout() expiry, 0 if none */
	s64			prio;		/* PCT priority; spin-waits lower it without bound */
	u64			waker_clock_ns;	/* controlled: latest waker's task clock */
	u64			exit_clock_ns;	/* free-running: the task clock at exit */
	struct wait_queue_head	exit_wq;	/* joiners that are tasks */
	pthread_mutex_t		lock;		/* free-running sleep/wake */
	pthread_cond_t		cond;		/* free: woken; controlled: our turn */
};

struct sched_backend_ops {
	const char *name;
	/* In the new thread, before it runs: wait for its turn and a CPU. */
	void (*enter)(struct task_struct *t);
	/* A scheduling point; @preemptible: current may lose or change CPU. */
	void (*point)(struct task_struct *t, bool preemptible);
	/* current's state is not TASK_RUNNING: sleep until woken or deadline. */
	void (*sleep)(struct task_struct *t);
	/* Set @t (sleeping in a state matching @state) running. */
	int (*wake)(struct task_struct *t, unsigned int state);
	/* The thread leaves the machine; no return to simulated code. */
	void (*leave)(struct task_struct *t);
	/* A thread that is not a task waits for @t to exit. */
	int (*join_external)(struct task_struct *t);
	/* Give up / take back the CPU around a host-blocking call. */
	void (*blocking_begin)(struct task_struct *t);
	void (*blocking_end)(struct task_struct *t);
	/* Move current to @cpu now (binding, or leaving an inactive CPU). */
	void (*move)(struct task_struct *t, int cpu);
	/* The CPU set changed: tasks waiting for an inactive CPU re-home. */
	void (*cpus_changed)(void);
};

extern const struct sched_backend_ops sched_free_ops;
extern const struct sched_backend_ops sched_controlled_ops;

struct sched_state {
	const struct sched_backend_ops *ops;
	struct rq		rq[NR_CPUS];
	struct sim_rawlock	tasks_lock;
	struct list_head	tasks;		/* creation order: deterministic */
	unsigned int		nr_tasks;
	pid_t			next_pid;
	u64			seed;
	u64			rnd;		/* machine stream (non-task callers) */
	unsigned int		migrate_permille;
	u64			start_ns;	/* host monotonic at start */
	struct wait_queue_head	drain_wq;	/* sched_cpu_wait_empty() */
	bool			running;
};

extern struct sched_state sched;

/*
 * Free-running: make @t look at its CPU at its next preemptible point (the
 * kernel's resched_curr()): a task waits for that CPU, or the CPU set
 * changed.
 */
static inline void sched_kick(struct task_struct *t)
{
	if (t)
		__atomic_store_n(&t->need_resched, 1, __ATOMIC_SEQ_CST);
}

/*
 * Free-running: has @t anything to do at this point (free.c)? Only @t's
 * own fields are read, so that a point with nothing due costs a few loads
 * of a cache line no other CPU writes.
 */
static inline bool sched_free_point_due(struct task_struct *t)
{
	int bound = READ_ONCE(t->bound_cpu);

	if (__atomic_load_n(&t->need_resched, __ATOMIC_ACQUIRE))
		return true;
	/* Its binding changed (workqueue rebinding sets it directly). */
	if (bound != t->point_bound_cpu)
		return true;
	if (!t->migrate_in || t->preempt_count || t->irqs_disabled ||
	    t->migration_disabled || bound >= 0)
		return false;
	return --t->migrate_in == 0;
}

static inline struct rq *cpu_rq(int cpu)
{
	return &sched.rq[cpu];
}

u64 sched_host_ns(void);
u64 sched_rand_next(u64 *state);
/* Uniform in [0, n). */
static inline u64 sched_rand_below(u64 *state, u64 n)
{
	return n ? sched_rand_next(state) % n : 0;
}

/* An active CPU for an unbound task to go to, chosen from @rnd. */
int sched_pick_active_cpu(u64 *rnd, int avoid);
/* May @t run on @cpu now (active, or online and bound there)? */
bool sched_cpu_allowed(struct task_struct *t, int cpu);
/* Body of every task thread. */
void *sched_task_thread(void *arg);
void sched_task_free(struct task_struct *t);
/* zsim_join(): sched_task_join() of a handle checked first (-ESRCH). */
int sched_task_join_handle(struct task_struct *t);

/* Controlled backend. */
int sched_controlled_init(const struct zsim_config *cfg);
void sched_controlled_exit(void);
void sched_controlled_task_created(struct task_struct *t);
void sched_controlled_kill_all(void);
void sched_controlled_spin_wait(struct task_struct *t);
void sched_controlled_progress(void);
bool sched_controlled_wedged(void);
void sched_controlled_lock(void);
void sched_controlled_unlock(void);
int sched_controlled_run_err(void);


void lockdep_print_held_locks(struct task_struct *t);

#endif /* _SHIM_KERNEL_SCHED_SCHED_H */
