// SPDX-License-Identifier: GPL-2.0-only
/*
 * RCU read-side critical sections and the CONFIG_PROVE_RCU checks
 * (kernel/rcu/update.c, with __rcu_read_lock/unlock from tree_plugin.h).
 *
 * A task is a reader while it is inside rcu_read_lock() or in atomic
 * context (preemption, softirqs or irqs disabled: since the kernel
 * consolidated its flavours these are RCU-sched readers, and a grace period
 * waits for them). current->rcu_read_lock_nesting counts nested
 * rcu_read_lock()s; <linux/preempt.h> calls __rcu_atomic_enter() and
 * __rcu_atomic_exit() when atomic context begins and ends.
 *
 * current->rcu_qs_count counts the task's quiescent states, the moments it
 * stops being a reader of either kind, and is what the controlled backend's
 * grace periods watch. In the free-running backend a task is inside one
 * liburcu read-side section exactly while it is a reader of either kind:
 * it enters when it becomes one and leaves when it has left both, so a
 * spinlock taken inside rcu_read_lock() (or the reverse) costs liburcu
 * nothing.
 */
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <sim/sealed.h>

#include "rcu.h"

/* @t stopped being a reader of either kind: a quiescent state. */
static void rcu_note_qs(struct task_struct *t)
{
	__atomic_store_n(&t->rcu_qs_count, t->rcu_qs_count + 1, __ATOMIC_RELEASE);
	if (__atomic_load_n(&rcu_gp_waiters, __ATOMIC_ACQUIRE))
		wake_up_all(&rcu_gp_wq);
}

/*
 * Atomic context begins and ends. No scheduling point here: the caller
 * (preempt_enable(), spin_unlock(), ...) places its own. A task must not
 * sleep in atomic context (might_sleep() reports it): in the free-running
 * backend it would hold up liburcu's grace periods meanwhile.
 */
void __rcu_atomic_enter(struct task_struct *t)
{
	if (!sim_controlled() && t->rcu_read_lock_nesting <= 0)
		zsim_urcu_read_lock();
}

void __rcu_atomic_exit(struct task_struct *t)
{
	if (t->rcu_read_lock_nesting > 0)
		return;		/* still an rcu_read_lock() reader */
	if (!sim_controlled())
		zsim_urcu_read_unlock();
	else
		rcu_note_qs(t);
}

void __rcu_read_lock(void)
{
	struct task_struct *t = current;

	if (unlikely(!t))
		return;
	if (t->rcu_read_lock_nesting++ == 0 && !sim_controlled() && !__task_atomic(t))
		zsim_urcu_read_lock();
	barrier();
	/* Inside the section: an updater may run here. */
	sched_point();
}

static void report_unbalanced_unlock(struct task_struct *t)
{
	sim_report_begin(SIM_REPORT_RCU, "WARNING: bad unlock balance detected!");
	sim_report_printf("%s/%d is trying to release lock (rcu_read_lock) at:", t->comm, t->pid);
	sim_report_backtrace();
	sim_report_printf("but there are no more locks to release!");
	lockdep_print_held_locks(t);
	sim_report_end();
}

void __rcu_read_unlock(void)
{
	struct task_struct *t = current;

	if (unlikely(!t))
		return;
	if (unlikely(t->rcu_read_lock_nesting <= 0)) {
		report_unbalanced_unlock(t);
		return;
	}
	barrier();
	if (--t->rcu_read_lock_nesting == 0 && !__task_atomic(t)) {
		if (!sim_controlled())
			zsim_urcu_read_unlock();
		else
			rcu_note_qs(t);	/* grace periods waiting for us may end */
	}
	sched_point();
}

int rcu_read_lock_held(void)
{
	struct task_struct *t = current;

	if (!t)
		return 1;
	return t->rcu_read_lock_nesting > 0;
}

/* Bottom halves or irqs disabled count as a _bh reader, as in the kernel. */
int rcu_read_lock_bh_held(void)
{
	if (!current)
		return 1;
	return rcu_read_lock_held() || in_softirq() || irqs_disabled();
}

/* Preemption disabled counts as a _sched reader, as in the kernel. */
int rcu_read_lock_sched_held(void)
{
	if (!current)
		return 1;
	return rcu_read_lock_held() || !preemptible();
}

int rcu_read_lock_any_held(void)
{
	return rcu_read_lock_sched_held() || rcu_read_lock_bh_held();
}

void lockdep_rcu_suspicious(const char *file, const int line, const char *s)
{
	struct task_struct *t = current;

	sim_report_begin(SIM_REPORT_RCU, "WARNING: suspicious RCU usage");
	sim_report_printf("%s:%d %s!", file, line, s);
	sim_report_printf("other info that might help us debug this:");
	if (t) {
		sim_report_printf("rcu_scheduler_active = 2, debug_locks = 1, RCU nest depth %d",
				  t->rcu_read_lock_nesting);
		lockdep_print_held_locks(t);
	}
	sim_report_backtrace();
	sim_report_end();
}
