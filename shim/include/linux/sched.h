/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated tasks (<linux/sched.h>).
 *
 * Every simulated kernel thread is a pthread with a struct task_struct;
 * current is thread-local. A task runs on one virtual CPU at a time and at
 * most one task occupies a virtual CPU; a task that sleeps in schedule()
 * gives its CPU up. Scheduling, sleeping and waking go through the one
 * scheduling layer in shim/kernel/sched/, whose backend (free-running or
 * controlled) is chosen when the machine starts.
 *
 * Threads that are not simulated tasks (a test's main thread) have
 * current == NULL: they may use the allocators and read state, and
 * smp_processor_id() is 0 for them, but they must not sleep; they reach the
 * kernel through zsim_run() (include/zswapsim.h).
 */
#ifndef _SHIM_LINUX_SCHED_H
#define _SHIM_LINUX_SCHED_H

#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/lockdep_types.h>
#include <linux/types.h>

#define TASK_RUNNING		0x00000000
#define TASK_INTERRUPTIBLE	0x00000001
#define TASK_UNINTERRUPTIBLE	0x00000002
#define TASK_DEAD		0x00000080
#define TASK_WAKEKILL		0x00000100
#define TASK_NOLOAD		0x00000400
#define TASK_NEW		0x00000800
#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE		(TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

#define PF_EXITING		0x00000004
#define PF_WQ_WORKER		0x00000020
#define PF_MEMALLOC		0x00000800
#define PF_KTHREAD		0x00200000
#define PF_NO_SETAFFINITY	0x04000000

#define TASK_COMM_LEN		16
#define MAX_SCHEDULE_TIMEOUT	((long)(~0UL >> 1))

struct sim_task;
struct mm_struct;

struct task_struct {
	unsigned int		__state;	/* TASK_*, read and written atomically */
	pid_t			pid;
	char			comm[TASK_COMM_LEN];
	unsigned int		flags;		/* PF_* */

	int			cpu;		/* CPU it runs on, or last ran on */
	int			bound_cpu;	/* -1, or the only CPU it may run on */
	int			preempt_count;	/* PREEMPT/SOFTIRQ/HARDIRQ fields as the kernel's */
	unsigned short		migration_disabled;
	unsigned short		irqs_disabled;	/* local_irq_disable() depth */
	/*
	 * Free-running backend (kernel/sched/free.c), beside the fields every
	 * scheduling point reads: TIF_NEED_RESCHED, the binding its last full
	 * check saw, preemptible points to the next migration (0: none).
	 */
	int			need_resched;
	int			point_bound_cpu;
	unsigned long		migrate_in;

	int			rcu_read_lock_nesting;
	unsigned long		rcu_qs_count;	/* outermost rcu_read_unlock()s so far */

	int			lockdep_depth;
	int			lockdep_recursion;
	struct held_lock	held_locks[MAX_LOCK_DEPTH];

	u64			vclock_ns;	/* its virtual clock: sched_task_clock_ns() */
	u64			rnd_state;	/* get_random_*() stream, seeded per task */

	int			(*threadfn)(void *data);
	void			*data;
	int			exit_code;
	unsigned long		kthread_flags;	/* KTHREAD_SHOULD_STOP, ... */
	void			*worker_private; /* workqueue worker, if PF_WQ_WORKER */

	/*
	 * The address space it runs in: NULL for kernel threads; the simulated
	 * VM (src/mm/) sets it while a task makes a process's faults and
	 * system calls. The memcg of an mm-less charge is found through it.
	 */
	struct mm_struct	*mm;
	/* memcg: pages charged over memory.high, reclaimed on the way back to user */
	unsigned int		memcg_nr_pages_over_high;

	const char		*blocked_on;	/* what it sleeps on, for reports */
	struct list_head	tasks;		/* the machine's task list */
	struct sim_task		*sim;		/* scheduling backend state */
};

/* Initial-exec: read without a __tls_get_addr() call from the library. */
extern __thread struct task_struct *__current_task __attribute__((tls_model("initial-exec")));

static __always_inline struct task_struct *get_current(void)
{
	return __current_task;
}
#define current get_current()

#define __set_current_state(state_value) \
	__atomic_store_n(&current->__state, (state_value), __ATOMIC_RELAXED)
#define set_current_state(state_value) \
	__atomic_store_n(&current->__state, (state_value), __ATOMIC_SEQ_CST)
#define get_current_state()	__atomic_load_n(&current->__state, __ATOMIC_RELAXED)
#define task_is_running(task)	(__atomic_load_n(&(task)->__state, __ATOMIC_RELAXED) == TASK_RUNNING)

/* Sleep until woken; returns at once if current's state is TASK_RUNNING. */
void schedule(void);
/* Sleep for at most @timeout jiffies; returns the jiffies left (0 on timeout). */
long schedule_timeout(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_idle(long timeout);
int wake_up_process(struct task_struct *tsk);
int wake_up_state(struct task_struct *tsk, unsigned int state);
void yield(void);
void __cond_resched(void);
#define cond_resched()	({ __cond_resched(); 0; })

static inline pid_t task_pid_nr(const struct task_struct *tsk)
{
	return tsk->pid;
}

static inline int task_cpu(const struct task_struct *tsk)
{
	return READ_ONCE(tsk->cpu);
}

/* No signals are ever delivered to simulated tasks. */
static inline int signal_pending(struct task_struct *tsk)
{
	(void)tsk;
	return 0;
}
#define fatal_signal_pending(tsk)	signal_pending(tsk)

/* Stand-ins for the kernel's per-task memalloc scopes. */
static inline unsigned int memalloc_noreclaim_save(void)
{
	unsigned int flags = current ? (current->flags & PF_MEMALLOC) : 0;

	if (current)
		current->flags |= PF_MEMALLOC;
	return flags;
}

static inline void memalloc_noreclaim_restore(unsigned int flags)
{
	if (current)
		current->flags = (current->flags & ~PF_MEMALLOC) | flags;
}

#endif /* _SHIM_LINUX_SCHED_H */
