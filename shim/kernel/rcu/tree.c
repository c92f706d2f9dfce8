// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grace periods (kernel/rcu/tree.c): synchronize_rcu() in both backends,
 * and RCU's init and exit.
 *
 * free-running: liburcu's synchronize_rcu(), with the virtual CPU released
 * while the host thread waits (sched_blocking_begin/end), so readers that
 * need a CPU to finish their section can get one.
 *
 * controlled: the shim models the grace period itself (no liburcu, whose
 * waiting is invisible to the seeded scheduler). synchronize_rcu() takes a
 * snapshot of the tasks that are readers (inside rcu_read_lock(), or with
 * preemption, softirqs or irqs disabled) and their quiescent state counts,
 * then sleeps on rcu_gp_wq until each of them has stopped being a reader
 * (its count moved) or exited. Readers are ordinary tasks, so one
 * descheduled inside its section simply runs again later. A grace period
 * that waits more than RCU_STALL_NS of virtual time reports an RCU stall
 * naming the tasks that hold it up, as the kernel's stall detector does.
 */
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <sim/init.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <sim/sealed.h>
#include <stdio.h>
#include <stdlib.h>
#include <zswapsim.h>

#include "rcu.h"

/* The kernel's default RCU CPU stall timeout is 21 seconds. */
#define RCU_STALL_NS	(21ULL * 1000 * 1000 * 1000)
/*
 * How often a waiting grace period rechecks without being woken: a reader
 * that exits inside its section (a bug, reported when it exits) never
 * calls rcu_read_unlock(). Virtual time only jumps this far when nothing
 * else can run, so the poll costs nothing in a healthy run.
 */
#define RCU_GP_POLL_JIFFIES	HZ

struct wait_queue_head rcu_gp_wq = __WAIT_QUEUE_HEAD_INITIALIZER(rcu_gp_wq);
int rcu_gp_waiters;

/* A reader that the grace period waits for. */
struct gp_reader {
	pid_t		pid;
	unsigned long	qs_count;
};

struct gp_snapshot {
	struct gp_reader	*readers;
	size_t			nr;
	size_t			cap;
	struct task_struct	*self;
	bool			oom;
};

/* A reader of either kind: rcu_read_lock(), or atomic context. */
static bool task_reading(struct task_struct *t)
{
	return READ_ONCE(t->rcu_read_lock_nesting) > 0 || READ_ONCE(t->preempt_count) ||
	       READ_ONCE(t->irqs_disabled);
}

static void snapshot_one(struct task_struct *t, void *arg)
{
	struct gp_snapshot *snap = arg;

	if (t == snap->self || !task_reading(t) || (READ_ONCE(t->flags) & PF_EXITING))
		return;
	if (snap->nr == snap->cap) {
		size_t cap = snap->cap ? 2 * snap->cap : 16;
		void *p = realloc(snap->readers, cap * sizeof(*snap->readers));

		if (!p) {
			snap->oom = true;
			return;
		}
		snap->readers = p;
		snap->cap = cap;
	}
	snap->readers[snap->nr].pid = t->pid;
	snap->readers[snap->nr].qs_count = __atomic_load_n(&t->rcu_qs_count, __ATOMIC_ACQUIRE);
	snap->nr++;
}

/* Is @t still in the section the snapshot saw? */
static bool still_reading(struct task_struct *t, const struct gp_reader *r)
{
	return task_reading(t) &&
	       __atomic_load_n(&t->rcu_qs_count, __ATOMIC_ACQUIRE) == r->qs_count &&
	       !(READ_ONCE(t->flags) & PF_EXITING);
}

struct gp_check {
	struct gp_snapshot	*snap;
	size_t			pos;		/* merge cursor: both lists are in pid order */
	size_t			left;
	bool			report;		/* print the blockers (stall) */
};

/*
 * The task list is in creation order and pids only grow, so the snapshot
 * is sorted by pid and one merge walk matches it. Readers that went away
 * (exited and were freed) are simply not found.
 */
static void check_one(struct task_struct *t, void *arg)
{
	struct gp_check *c = arg;
	struct gp_snapshot *snap = c->snap;

	while (c->pos < snap->nr && snap->readers[c->pos].pid < t->pid)
		c->pos++;
	if (c->pos == snap->nr || snap->readers[c->pos].pid != t->pid)
		return;
	if (still_reading(t, &snap->readers[c->pos])) {
		c->left++;
		if (c->report)
			sim_report_printf("\ttask %s/%d on cpu %d, RCU nest depth %d, preempt_count %#x, irqs %s, state %#x%s%s",
					  t->comm, t->pid, t->cpu, t->rcu_read_lock_nesting,
					  t->preempt_count, t->irqs_disabled ? "off" : "on",
					  t->__state, t->blocked_on ? " on " : "",
					  t->blocked_on ? t->blocked_on : "");
	}
	c->pos++;
}

static size_t readers_left(struct gp_snapshot *snap, bool report)
{
	struct gp_check c = { .snap = snap, .report = report };

	if (!snap->nr)
		return 0;
	sched_for_each_task(check_one, &c);
	return c.left;
}

static void report_stall(struct gp_snapshot *snap, u64 waited_ns)
{
	sim_report_begin(SIM_REPORT_RCU,
			 "INFO: rcu_preempt detected stalls on tasks: grace period waited %llu ms",
			 (unsigned long long)(waited_ns / 1000000));
	sim_report_printf("Tasks blocking the current grace period:");
	readers_left(snap, true);
	sim_report_printf("waiter %s/%d:", current->comm, current->pid);
	sim_report_backtrace();
	sim_report_end();
}

/* The controlled backend's grace period. */
static void rcu_wait_gp_model(void)
{
	struct gp_snapshot snap = { .self = current };
	u64 start = sched_clock_ns();
	bool stalled = false;

	__atomic_fetch_add(&rcu_gp_waiters, 1, __ATOMIC_SEQ_CST);
	sched_for_each_task(snapshot_one, &snap);
	if (unlikely(snap.oom)) {
		/* Out of host memory for the snapshot: the simulator cannot go on. */
		fprintf(stderr, "zswapsim: out of memory for an RCU grace period\n");
		abort();
	}
	while (readers_left(&snap, false)) {
		wait_event_timeout(rcu_gp_wq, !readers_left(&snap, false),
				   RCU_GP_POLL_JIFFIES);
		if (!stalled && sched_clock_ns() - start > RCU_STALL_NS &&
		    readers_left(&snap, false)) {
			stalled = true;
			report_stall(&snap, sched_clock_ns() - start);
		}
	}
	__atomic_fetch_sub(&rcu_gp_waiters, 1, __ATOMIC_SEQ_CST);
	free(snap.readers);
}

void rcu_wait_gp(void)
{
	if (sim_controlled()) {
		rcu_wait_gp_model();
	} else {
		sched_blocking_begin();
		zsim_urcu_synchronize();
		sched_blocking_end();
	}
}

static int synchronize_rcu_task(void *unused)
{
	synchronize_rcu();
	return 0;
}

void synchronize_rcu(void)
{
	struct task_struct *t = current;

	if (unlikely(!t)) {
		/* A thread that cannot sleep waits for a task that can. */
		if (zsim_machine_running())
			zsim_run(cpumask_first(cpu_online_mask), synchronize_rcu_task, NULL);
		return;
	}
	if (unlikely(t->rcu_read_lock_nesting > 0)) {
		/* The kernel would deadlock here; report it and do not wait. */
		lockdep_rcu_suspicious(__FILE__, __LINE__,
				       "Illegal synchronize_rcu() in RCU read-side critical section");
		return;
	}
	if (unlikely(__task_atomic(t))) {
		/*
		 * Atomic context is a reader too: waiting would deadlock on
		 * ourselves. might_sleep() reports it, as in the kernel.
		 */
		might_sleep();
		return;
	}
	might_sleep();
	rcu_wait_gp();
	sched_point();
}

void synchronize_rcu_expedited(void)
{
	synchronize_rcu();
}

int rcu_init(void)
{
	__atomic_store_n(&rcu_gp_waiters, 0, __ATOMIC_RELAXED);
	init_waitqueue_head(&rcu_gp_wq);
	return rcu_nocb_init();
}

void rcu_exit(void)
{
	rcu_nocb_exit();
}
