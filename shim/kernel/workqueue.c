// SPDX-License-Identifier: GPL-2.0-only
/*
 * Workqueues (kernel/workqueue.c) on simulated worker kthreads.
 *
 * Every workqueue owns a pool of workers, created on demand: whenever an
 * item is waiting, the workqueue is below max_active, and no worker is idle
 * or already on its way, one more worker is woken or created. So a work
 * item that sleeps never holds up the others, as with the kernel's
 * concurrency management, and the number of workers grows only as far as
 * the work needs.
 *
 * All workqueue state is under one raw lock, wq_lock, never held across a
 * scheduling point or a sleep; the public entry points place a scheduling
 * point where the kernel would take its pool lock. Blocking (flushes,
 * cancels, idle workers) goes through wait queues.
 *
 * Per item: PENDING (in work->data) is set while the item is queued, on a
 * worker's scheduled list, or its delayed-work timer is armed, and is
 * cleared by the worker just before the function runs. work->seq numbers
 * the instances; a worker records the instance it executes, so
 * flush_work() can wait for exactly the instance queued or running when it
 * was called, and the worker never touches the item after its function
 * returned (the function may free it).
 *
 * Per workqueue: nr_active counts items taken off the worklist and not yet
 * finished (at most max_active); nr_in_flight[color] counts items queued or
 * running by flush color, which flush_workqueue() flips to wait for
 * everything queued before it.
 *
 * Per-CPU items (queue_work_on() a CPU, on a workqueue that is not
 * WQ_UNBOUND): the worker that runs one binds itself to that CPU for the
 * item, as the kernel's per-CPU kworkers are bound, so the item stays
 * there across sleeps and preemption. CPU hotplug treats such workers as
 * the kernel does (workqueue_offline_cpu()/workqueue_online_cpu() at
 * CPUHP_AP_WORKQUEUE_ONLINE): a CPU going down disassociates its pool and
 * unbinds the workers running its items, which finish wherever the
 * scheduler puts them, so a running item never holds up the hotplug
 * operation; items of that CPU run unbound until it comes back, and then
 * the workers still running its items are bound to it again.
 *
 * Delayed work: the timer is armed and disarmed only under wq_lock,
 * together with dwork->armed. The timer callback queues the item only if
 * dwork->armed is still set and the timer was not re-armed in the meantime,
 * so a cancel or a mod_delayed_work() racing with an expiring timer needs no
 * retry loop.
 */
#include <linux/cpuhotplug.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <sim/init.h>
#include <sim/rawlock.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "time/timer_internal.h"

void lockdep_print_held_locks(struct task_struct *t);

#define WQ_NAME_LEN	32

enum work_where {
	WORK_OFF,		/* not on any list */
	WORK_ON_WORKLIST,	/* waiting in its workqueue's worklist */
	WORK_ON_SCHEDULED,	/* taken, waiting behind its running instance */
};

struct worker {
	struct task_struct	*task;		/* NULL while being created */
	struct workqueue_struct	*wq;		/* the pool it belongs to */
	struct list_head	node;		/* in wq->workers */
	struct list_head	idle_node;	/* in wq->idle while idle */
	struct list_head	busy_node;	/* in busy_workers while executing */
	struct list_head	scheduled;	/* items to run here next */
	struct wait_queue_head	wait;		/* sleeps here while idle */
	bool			idle;
	bool			starting;	/* woken or created, not yet looked for work */
	int			id;
	int			bind_cpu;	/* the CPU it is bound to for its item, or -1 */
	/* The item being executed, for flushes and non-reentrancy. */
	struct work_struct	*current_work;
	work_func_t		current_func;
	u64			current_seq;
	int			current_cpu;	/* the CPU the item was queued for, or -1 */
	struct workqueue_struct	*current_wq;
	u8			current_color;
	char			desc[WORKER_DESC_LEN];
};

struct workqueue_struct {
	char			name[WQ_NAME_LEN];
	unsigned int		flags;
	int			id;
	int			max_active;
	int			nr_active;
	int			nr_in_flight[2];
	u8			work_color;	/* color given to new items */
	bool			flushing;	/* a flush_workqueue() is in progress */
	int			nr_drainers;
	int			nr_workers;
	int			nr_idle;
	int			nr_starting;
	int			next_worker_id;
	struct list_head	worklist;
	struct list_head	workers;
	struct list_head	idle;
	struct list_head	delayed;	/* delayed works with the timer armed */
	struct list_head	list;		/* in workqueues */
};

static struct sim_rawlock wq_lock = SIM_RAWLOCK_INIT;
/* Flushers, cancellers and destroyers wait here for any progress. */
static DECLARE_WAIT_QUEUE_HEAD(wq_wait);
static LIST_HEAD(workqueues);
static LIST_HEAD(busy_workers);
static int next_wq_id;
/* Per CPU: its per-CPU pool is associated (the CPU is up), under wq_lock. */
static bool wq_cpu_associated[NR_CPUS];

struct workqueue_struct *system_wq;
struct workqueue_struct *system_highpri_wq;
struct workqueue_struct *system_long_wq;
struct workqueue_struct *system_unbound_wq;
struct workqueue_struct *system_freezable_wq;
struct workqueue_struct *system_power_efficient_wq;
struct workqueue_struct *system_freezable_power_efficient_wq;

/*
 * What to do once wq_lock is dropped: wake or create workers, wake the
 * timer kthread, report a refused queueing. A locked section kicks at most
 * a few workqueues, each kick yielding at most one worker.
 */
#define WQ_MAX_ACTIONS	4

struct wq_actions {
	struct worker		*wake[WQ_MAX_ACTIONS];
	struct worker		*create[WQ_MAX_ACTIONS];
	int			nr_wake;
	int			nr_create;
	bool			timer;
	bool			waiters;	/* state flushers wait on changed */
	struct work_struct	*refused;	/* queueing on a draining wq */
	struct workqueue_struct	*refused_wq;
};

static long work_flags(struct work_struct *work)
{
	return __atomic_load_n(&work->data.counter, __ATOMIC_ACQUIRE);
}

static void work_set_flags(struct work_struct *work, long bits)
{
	__atomic_fetch_or(&work->data.counter, bits, __ATOMIC_ACQ_REL);
}

static void work_clear_flags(struct work_struct *work, long bits)
{
	__atomic_fetch_and(&work->data.counter, ~bits, __ATOMIC_RELEASE);
}

static struct worker *current_worker(void)
{
	struct task_struct *t = current;

	return t && (t->flags & PF_WQ_WORKER) ? t->worker_private : NULL;
}

/* wq_lock held. Same work and same function, as the kernel's check. */
static struct worker *find_worker_executing_work(struct work_struct *work)
{
	struct worker *w;

	list_for_each_entry(w, &busy_workers, busy_node) {
		if (w->current_work == work && w->current_func == work->func)
			return w;
	}
	return NULL;
}

/* wq_lock held: make sure some worker will pick up @wq's waiting work. */
static void kick_worker(struct workqueue_struct *wq, struct wq_actions *a)
{
	struct worker *w;

	if (list_empty(&wq->worklist) || wq->nr_active >= wq->max_active ||
	    wq->nr_starting)
		return;
	if (!list_empty(&wq->idle)) {
		if (WARN_ON_ONCE(a->nr_wake == WQ_MAX_ACTIONS))
			return;
		w = list_first_entry(&wq->idle, struct worker, idle_node);
		list_del_init(&w->idle_node);
		wq->nr_idle--;
		WRITE_ONCE(w->idle, false);
		w->starting = true;
		wq->nr_starting++;
		a->wake[a->nr_wake++] = w;
		return;
	}
	if (wq->nr_workers >= wq->max_active || (wq->flags & __WQ_DESTROYING))
		return;
	if (WARN_ON_ONCE(a->nr_create == WQ_MAX_ACTIONS))
		return;
	/* The simulator's own bookkeeping: host memory, no fault injection. */
	w = calloc(1, sizeof(*w));
	if (!w)
		return;
	w->wq = wq;
	w->id = wq->next_worker_id++;
	w->bind_cpu = -1;
	w->starting = true;
	INIT_LIST_HEAD(&w->idle_node);
	INIT_LIST_HEAD(&w->busy_node);
	INIT_LIST_HEAD(&w->scheduled);
	init_waitqueue_head(&w->wait);
	list_add_tail(&w->node, &wq->workers);
	wq->nr_workers++;
	wq->nr_starting++;
	a->create[a->nr_create++] = w;
}

static int worker_thread(void *arg);

static void create_worker(struct worker *w)
{
	struct workqueue_struct *wq = w->wq;
	struct task_struct *t;

	t = kthread_create(worker_thread, w, "kworker/u%d:%d", wq->id, w->id);
	if (IS_ERR(t)) {
		pr_err("workqueue: cannot create a worker for %s: %ld\n", wq->name, PTR_ERR(t));
		sim_rawlock_lock(&wq_lock);
		list_del(&w->node);
		wq->nr_workers--;
		wq->nr_starting--;
		sim_rawlock_unlock(&wq_lock);
		wake_up_all(&wq_wait);
		free(w);
		return;
	}
	t->flags |= PF_WQ_WORKER;
	t->worker_private = w;
	sim_rawlock_lock(&wq_lock);
	w->task = t;
	sim_rawlock_unlock(&wq_lock);
	wake_up_all(&wq_wait);
	wake_up_process(t);
}

static void run_actions(struct wq_actions *a)
{
	int i;

	for (i = 0; i < a->nr_wake; i++)
		wake_up(&a->wake[i]->wait);
	for (i = 0; i < a->nr_create; i++)
		create_worker(a->create[i]);
	if (a->timer)
		timer_kick();
	if (a->waiters)
		wake_up_all(&wq_wait);
	if (a->refused)
		WARN(1, "workqueue: cannot queue work %p (function %p) on %s: it is %s\n",
		     (void *)a->refused, (void *)a->refused->func, a->refused_wq->name,
		     (a->refused_wq->flags & __WQ_DESTROYING) ? "being destroyed" : "draining");
}

/* Is current running an item of @wq (it may queue on a draining @wq)? */
static bool is_chained_work(struct workqueue_struct *wq)
{
	struct worker *w = current_worker();

	return w && w->current_wq == wq;
}

/* wq_lock held, PENDING owned by the caller: put @work on @wq's worklist. */
static bool __queue_work(int cpu, struct workqueue_struct *wq, struct work_struct *work,
			 struct wq_actions *a)
{
	if (unlikely(wq->flags & (__WQ_DESTROYING | __WQ_DRAINING)) && !is_chained_work(wq)) {
		/* The kernel leaves the item pending forever; release it. */
		work_clear_flags(work, WORK_STRUCT_PENDING);
		a->refused = work;
		a->refused_wq = wq;
		return false;
	}
	work->wq = wq;
	/*
	 * As the kernel's __queue_work(): on a per-CPU workqueue, an item
	 * queued for no CPU in particular goes to the local CPU's pool. A
	 * thread that is not a task has no CPU: its items run unbound.
	 */
	if (cpu < 0 || cpu >= WORK_CPU_UNBOUND)
		cpu = current ? (int)raw_smp_processor_id() : -1;
	work->cpu = wq->flags & WQ_UNBOUND ? -1 : cpu;
	work->seq++;
	work->color = wq->work_color;
	wq->nr_in_flight[work->color]++;
	work->where = WORK_ON_WORKLIST;
	list_add_tail(&work->entry, &wq->worklist);
	kick_worker(wq, a);
	return true;
}

/*
 * wq_lock held: take @work off whatever keeps it pending (worklist,
 * scheduled list, armed timer). Returns whether it was pending; the PENDING
 * bit itself is left to the caller.
 */
static bool steal_work(struct work_struct *work, struct wq_actions *a)
{
	struct workqueue_struct *wq = work->wq;

	if (!(work_flags(work) & WORK_STRUCT_PENDING))
		return false;
	switch (work->where) {
	case WORK_ON_WORKLIST:
		list_del_init(&work->entry);
		wq->nr_in_flight[work->color]--;
		break;
	case WORK_ON_SCHEDULED:
		list_del_init(&work->entry);
		wq->nr_in_flight[work->color]--;
		wq->nr_active--;
		kick_worker(wq, a);
		break;
	default:
		if (work->is_delayed) {
			struct delayed_work *dwork = to_delayed_work(work);

			if (dwork->armed) {
				dwork->armed = false;
				list_del_init(&dwork->node);
				/* A callback already running will see !armed. */
				__timer_detach(&dwork->timer);
			}
		}
		break;
	}
	work->where = WORK_OFF;
	a->waiters = true;
	return true;
}

/* ---- workers ---- */

/* wq_lock held: the next item @w should run, or NULL. */
static struct work_struct *pick_work(struct worker *w)
{
	struct workqueue_struct *wq = w->wq;
	struct work_struct *work;
	struct worker *collision;

	if (!list_empty(&w->scheduled)) {
		work = list_first_entry(&w->scheduled, struct work_struct, entry);
		list_del_init(&work->entry);
		return work;
	}
	while (!list_empty(&wq->worklist) && wq->nr_active < wq->max_active) {
		work = list_first_entry(&wq->worklist, struct work_struct, entry);
		list_del_init(&work->entry);
		wq->nr_active++;
		collision = find_worker_executing_work(work);
		if (collision) {
			/* Never run concurrently with itself: run after it. */
			work->where = WORK_ON_SCHEDULED;
			list_add_tail(&work->entry, &collision->scheduled);
			continue;
		}
		return work;
	}
	return NULL;
}

/*
 * wq_lock held: bind (@cpu >= 0) or unbind (-1) @w's task. The kernel's
 * set_cpus_allowed_ptr(): the scheduler moves the task at its next
 * scheduling point or wake-up. Every change of a worker's binding happens
 * under wq_lock, so a worker and CPU hotplug never undo each other's.
 */
static void __worker_set_cpu(struct worker *w, struct task_struct *t, int cpu)
{
	w->bind_cpu = cpu;
	WRITE_ONCE(t->bound_cpu, cpu);
}

/*
 * Serve @cpu's pool for the next item: bind to @cpu while its pool is
 * associated, else (and for @cpu -1) run unbound. The scheduling point
 * takes the worker there (or off a CPU that went inactive).
 */
static void worker_bind(struct worker *w, int cpu)
{
	sim_rawlock_lock(&wq_lock);
	if (cpu >= 0 && !wq_cpu_associated[cpu])
		cpu = -1;
	if (cpu == w->bind_cpu && cpu == current->bound_cpu) {
		sim_rawlock_unlock(&wq_lock);
		return;
	}
	__worker_set_cpu(w, current, cpu);
	sim_rawlock_unlock(&wq_lock);
	sched_point();
}

static void report_leak(struct worker *w, work_func_t fn, int preempt, int depth, int rcu)
{
	struct task_struct *t = current;
	void *fnp = (void *)fn;

	sim_report_begin(t->lockdep_depth != depth ? SIM_REPORT_LOCKDEP : SIM_REPORT_ATOMIC,
			 "BUG: workqueue leaked lock or atomic: %s/0x%08x/%d/%d",
			 t->comm, t->preempt_count, t->pid, t->rcu_read_lock_nesting);
	sim_report_printf("     preempt count %d -> %d, locks held %d -> %d, RCU nesting %d -> %d",
			  preempt, t->preempt_count, depth, t->lockdep_depth,
			  rcu, t->rcu_read_lock_nesting);
	sim_report_printf("     last function:");
	sim_report_stack(&fnp, 1);
	lockdep_print_held_locks(t);
	sim_report_end();
	(void)w;
	/*
	 * Unlike the kernel, repair the context: a worker left atomic would
	 * be an RCU reader for good and stall every grace period after.
	 */
	if (t->irqs_disabled)
		local_irq_enable();
	if (t->preempt_count != preempt)
		preempt_count_set(preempt);
}

/* wq_lock held on entry and on return; dropped while the function runs. */
static void process_one_work(struct worker *w, struct work_struct *work)
{
	struct task_struct *t = current;
	struct wq_actions a = { 0 };
	struct workqueue_struct *done_wq;
	int preempt, depth, rcu;
	int cpu = work->cpu;

	w->current_work = work;
	w->current_cpu = cpu;
	w->current_func = work->func;
	w->current_seq = work->seq;
	w->current_wq = work->wq;
	w->current_color = work->color;
	work->where = WORK_OFF;
	list_add_tail(&w->busy_node, &busy_workers);
	/* As in the kernel: cleared first, so the function may requeue it. */
	work_clear_flags(work, WORK_STRUCT_PENDING);
	kick_worker(w->wq, &a);
	sim_rawlock_unlock(&wq_lock);
	run_actions(&a);

	worker_bind(w, cpu);
	preempt = t->preempt_count;
	depth = t->lockdep_depth;
	rcu = t->rcu_read_lock_nesting;
	w->current_func(work);
	/* @work may be freed now: only the worker's copy is used below. */
	if (unlikely(t->preempt_count != preempt || t->lockdep_depth != depth ||
		     t->rcu_read_lock_nesting != rcu))
		report_leak(w, w->current_func, preempt, depth, rcu);
	worker_bind(w, -1);
	w->desc[0] = '\0';

	memset(&a, 0, sizeof(a));
	sched_point();
	sim_rawlock_lock(&wq_lock);
	list_del_init(&w->busy_node);
	done_wq = w->current_wq;
	w->current_cpu = -1;
	w->current_work = NULL;
	w->current_func = NULL;
	w->current_wq = NULL;
	done_wq->nr_active--;
	done_wq->nr_in_flight[w->current_color]--;
	/* An item of another workqueue that waited behind its instance here. */
	if (done_wq != w->wq)
		kick_worker(done_wq, &a);
	a.waiters = true;
	sim_rawlock_unlock(&wq_lock);
	run_actions(&a);
	sched_point();
	sim_rawlock_lock(&wq_lock);
}

static int worker_thread(void *arg)
{
	struct worker *w = arg;
	struct workqueue_struct *wq = w->wq;

	sched_point();
	sim_rawlock_lock(&wq_lock);
	for (;;) {
		struct work_struct *work;

		if (w->starting) {
			w->starting = false;
			wq->nr_starting--;
		}
		work = pick_work(w);
		if (work) {
			process_one_work(w, work);
			continue;
		}
		if (kthread_should_stop())
			break;
		WRITE_ONCE(w->idle, true);
		list_add(&w->idle_node, &wq->idle);
		wq->nr_idle++;
		sim_rawlock_unlock(&wq_lock);

		/* TASK_IDLE: the controlled backend counts it idle, not blocked. */
		wait_event_idle(w->wait, !READ_ONCE(w->idle) || kthread_should_stop());

		sched_point();
		sim_rawlock_lock(&wq_lock);
		if (w->idle) {
			/* Woken to stop, not by a kick. */
			list_del_init(&w->idle_node);
			wq->nr_idle--;
			WRITE_ONCE(w->idle, false);
		}
	}
	sim_rawlock_unlock(&wq_lock);
	return 0;
}

/* ---- queueing ---- */

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	struct wq_actions a = { 0 };
	bool ret = false;

	sched_point();
	sim_rawlock_lock(&wq_lock);
	if (!(work_flags(work) & WORK_STRUCT_PENDING)) {
		work_set_flags(work, WORK_STRUCT_PENDING);
		ret = __queue_work(cpu, wq, work, &a);
	}
	sim_rawlock_unlock(&wq_lock);
	run_actions(&a);
	return ret;
}

/* wq_lock held, PENDING owned by the caller. */
static bool __queue_delayed_work(int cpu, struct workqueue_struct *wq,
				 struct delayed_work *dwork, unsigned long delay,
				 struct wq_actions *a)
{
	dwork->wq = wq;
	dwork->cpu = cpu;
	if (!delay)
		return __queue_work(cpu, wq, &dwork->work, a);
	dwork->armed = true;
	list_add_tail(&dwork->node, &wq->delayed);
	if (__timer_arm(&dwork->timer, jiffies + delay))
		a->timer = true;
	return true;
}

static bool dwork_valid(struct delayed_work *dwork)
{
	/* INIT_WORK() instead of INIT_DELAYED_WORK(): the kernel warns too. */
	return !WARN_ON_ONCE(dwork->timer.function != delayed_work_timer_fn ||
			     !dwork->work.is_delayed);
}

bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
			   struct delayed_work *dwork, unsigned long delay)
{
	struct wq_actions a = { 0 };
	bool ret = false;

	if (!dwork_valid(dwork))
		return false;
	sched_point();
	sim_rawlock_lock(&wq_lock);
	if (!(work_flags(&dwork->work) & WORK_STRUCT_PENDING)) {
		work_set_flags(&dwork->work, WORK_STRUCT_PENDING);
		ret = __queue_delayed_work(cpu, wq, dwork, delay, &a);
	}
	sim_rawlock_unlock(&wq_lock);
	run_actions(&a);
	return ret;
}

bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
			 struct delayed_work *dwork, unsigned long delay)
{
	struct wq_actions a = { 0 };
	bool ret;

	if (!dwork_valid(dwork))
		return false;
	sched_point();
	sim_rawlock_lock(&wq_lock);
	/* Being cancelled: leave it alone and report it as pending, as the kernel. */
	if (work_flags(&dwork->work) & WORK_STRUCT_CANCELING) {
		sim_rawlock_unlock(&wq_lock);
		return true;
	}
	ret = steal_work(&dwork->work, &a);
	work_set_flags(&dwork->work, WORK_STRUCT_PENDING);
	__queue_delayed_work(cpu, wq, dwork, delay, &a);
	sim_rawlock_unlock(&wq_lock);
	run_actions(&a);
	return ret;
}

void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dwork = from_timer(dwork, t, timer);
	struct wq_actions a = { 0 };

	sim_rawlock_lock(&wq_lock);
	/* Cancelled, stolen or re-armed since this expiry: nothing to do. */
	if (dwork->armed && !timer_pending(&dwork->timer)) {
		dwork->armed = false;
		list_del_init(&dwork->node);
		__queue_work(dwork->cpu, dwork->wq, &dwork->work, &a);
	}
	sim_rawlock_unlock(&wq_lock);
	run_actions(&a);
}

/* ---- flushing and cancelling ---- */

/* Has the instance @seq of @work finished (or been cancelled)? */
static bool work_instance_done(struct work_struct *work, u64 seq)
{
	struct worker *w;
	bool busy;

	sim_rawlock_lock(&wq_lock);
	busy = work->where != WORK_OFF && work->seq == seq;
	if (!busy) {
		list_for_each_entry(w, &busy_workers, busy_node) {
			if (w->current_work == work && w->current_func == work->func &&
			    w->current_seq <= seq) {
				busy = true;
				break;
			}
		}
	}
	sim_rawlock_unlock(&wq_lock);
	return !busy;
}

static bool can_wait(const char *what)
{
	if (current)
		return true;
	WARN(1, "workqueue: %s must wait but the caller is not a simulated task\n", what);
	return false;
}

/*
 * The kernel's check_flush_dependency(): memory reclaim (a PF_MEMALLOC
 * task, or an item of a WQ_MEM_RECLAIM workqueue) that waits for a
 * workqueue without WQ_MEM_RECLAIM may wait for a worker that cannot be
 * created under memory pressure. The shim's worker creation never fails,
 * so the deadlock cannot happen here; the warning says it could.
 */
static void check_flush_dependency(struct workqueue_struct *target, work_func_t func)
{
	struct worker *self = current_worker();

	if (!current || (target->flags & WQ_MEM_RECLAIM))
		return;
	WARN_ONCE(current->flags & PF_MEMALLOC,
		  "workqueue: PF_MEMALLOC task %d(%s) is flushing !WQ_MEM_RECLAIM %s:%p\n",
		  current->pid, current->comm, target->name, (void *)func);
	WARN_ONCE(self && (self->current_wq->flags & (WQ_MEM_RECLAIM | __WQ_LEGACY)) ==
			  WQ_MEM_RECLAIM,
		  "workqueue: WQ_MEM_RECLAIM %s:%p is flushing !WQ_MEM_RECLAIM %s:%p\n",
		  self ? self->current_wq->name : "", self ? (void *)self->current_func : NULL,
		  target->name, (void *)func);
}

bool flush_work(struct work_struct *work)
{
	struct worker *self = current_worker();
	struct workqueue_struct *wq;
	struct worker *w;
	u64 target;

	might_sleep();
	sim_rawlock_lock(&wq_lock);
	if (work->where != WORK_OFF && (work_flags(work) & WORK_STRUCT_PENDING)) {
		target = work->seq;
		wq = work->wq;
	} else if ((w = find_worker_executing_work(work))) {
		target = w->current_seq;
		wq = w->current_wq;
	} else {
		sim_rawlock_unlock(&wq_lock);
		return false;
	}
	sim_rawlock_unlock(&wq_lock);
	check_flush_dependency(wq, work->func);

	if (WARN_ONCE(self && self->current_work == work && self->current_func == work->func,
		      "workqueue: work %p flushes itself: would deadlock\n", (void *)work))
		return false;
	if (!can_wait("flush_work()"))
		return false;
	wait_event(wq_wait, work_instance_done(work, target));
	return true;
}

static bool work_executing(struct work_struct *work)
{
	bool ret;

	sim_rawlock_lock(&wq_lock);
	ret = find_worker_executing_work(work) != NULL;
	sim_rawlock_unlock(&wq_lock);
	return ret;
}

static bool canceling_done(struct work_struct *work)
{
	return !(work_flags(work) & WORK_STRUCT_CANCELING);
}

static bool __cancel_work(struct work_struct *work, bool sync)
{
	struct worker *self = current_worker();
	struct wq_actions a = { 0 };
	bool was_pending;

	if (sync)
		might_sleep();
	else
		sched_point();
	sim_rawlock_lock(&wq_lock);
	while (work_flags(work) & WORK_STRUCT_CANCELING) {
		/* Another cancel_*_sync() owns it: wait for that one. */
		sim_rawlock_unlock(&wq_lock);
		if (!sync || !can_wait("cancel_work_sync()"))
			return false;
		wait_event(wq_wait, canceling_done(work));
		sim_rawlock_lock(&wq_lock);
	}
	was_pending = steal_work(work, &a);
	if (!sync) {
		work_clear_flags(work, WORK_STRUCT_PENDING);
		sim_rawlock_unlock(&wq_lock);
		run_actions(&a);
		return was_pending;
	}
	/* Own PENDING so that nobody can queue it until we are done. */
	work_set_flags(work, WORK_STRUCT_PENDING | WORK_STRUCT_CANCELING);
	sim_rawlock_unlock(&wq_lock);
	run_actions(&a);

	/* An expiring timer callback may still be running: it will back off. */
	if (work->is_delayed)
		timer_delete_sync(&to_delayed_work(work)->timer);
	if (WARN_ONCE(self && self->current_work == work && self->current_func == work->func,
		      "workqueue: work %p cancels itself with _sync: would deadlock\n",
		      (void *)work)) {
		/* Do not wait for ourselves. */
	} else if (work_executing(work) && can_wait("cancel_work_sync()")) {
		wait_event(wq_wait, !work_executing(work));
	}

	sim_rawlock_lock(&wq_lock);
	work_clear_flags(work, WORK_STRUCT_PENDING | WORK_STRUCT_CANCELING);
	sim_rawlock_unlock(&wq_lock);
	wake_up_all(&wq_wait);
	return was_pending;
}

bool cancel_work(struct work_struct *work)
{
	return __cancel_work(work, false);
}

bool cancel_work_sync(struct work_struct *work)
{
	return __cancel_work(work, true);
}

bool cancel_delayed_work(struct delayed_work *dwork)
{
	return __cancel_work(&dwork->work, false);
}

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return __cancel_work(&dwork->work, true);
}

bool flush_delayed_work(struct delayed_work *dwork)
{
	struct wq_actions a = { 0 };

	sched_point();
	sim_rawlock_lock(&wq_lock);
	/* Armed: queue it now instead of at expiry, then wait for it. */
	if (dwork->armed) {
		dwork->armed = false;
		list_del_init(&dwork->node);
		__timer_detach(&dwork->timer);
		__queue_work(dwork->cpu, dwork->wq, &dwork->work, &a);
	}
	sim_rawlock_unlock(&wq_lock);
	run_actions(&a);
	return flush_work(&dwork->work);
}

/* Become the workqueue's flusher; returns the color to wait for in *color. */
static bool start_flush(struct workqueue_struct *wq, u8 *color)
{
	bool started = false;

	sim_rawlock_lock(&wq_lock);
	if (!wq->flushing) {
		wq->flushing = true;
		*color = wq->work_color;
		wq->work_color ^= 1;
		started = true;
	}
	sim_rawlock_unlock(&wq_lock);
	return started;
}

static bool color_flushed(struct workqueue_struct *wq, u8 color)
{
	bool done;

	sim_rawlock_lock(&wq_lock);
	done = wq->nr_in_flight[color] == 0;
	sim_rawlock_unlock(&wq_lock);
	return done;
}

/*
 * Wait for every item queued before the call. Flushers of one workqueue
 * take turns: each flips the color new items get and waits until no item
 * of the old color is left. A flusher that waited for its turn still flips
 * and waits itself, so it never returns before the items it must wait for.
 */
void flush_workqueue(struct workqueue_struct *wq)
{
	struct worker *self = current_worker();
	u8 color = 0;

	might_sleep();
	if (WARN_ONCE(self && self->current_wq == wq,
		      "workqueue: flushing %s from its own work item would deadlock\n",
		      wq->name))
		return;
	if (!can_wait("flush_workqueue()"))
		return;
	check_flush_dependency(wq, NULL);
	wait_event(wq_wait, start_flush(wq, &color));
	wait_event(wq_wait, color_flushed(wq, color));
	sim_rawlock_lock(&wq_lock);
	wq->flushing = false;
	sim_rawlock_unlock(&wq_lock);
	wake_up_all(&wq_wait);
}

/*
 * Flush until empty; meanwhile only the workqueue's own items may queue
 * on it (chained work), as in the kernel.
 */
void drain_workqueue(struct workqueue_struct *wq)
{
	unsigned int flush_cnt = 0;
	bool empty;

	sim_rawlock_lock(&wq_lock);
	wq->nr_drainers++;
	wq->flags |= __WQ_DRAINING;
	sim_rawlock_unlock(&wq_lock);
	for (;;) {
		flush_workqueue(wq);
		sim_rawlock_lock(&wq_lock);
		empty = wq->nr_in_flight[0] + wq->nr_in_flight[1] == 0;
		sim_rawlock_unlock(&wq_lock);
		if (empty || !current)
			break;
		if (++flush_cnt == 10 || flush_cnt % 100 == 0)
			pr_warn("workqueue %s: %s() isn't complete after %u tries\n",
				wq->name, __func__, flush_cnt);
	}
	sim_rawlock_lock(&wq_lock);
	if (--wq->nr_drainers == 0)
		wq->flags &= ~__WQ_DRAINING;
	sim_rawlock_unlock(&wq_lock);
}

/* ---- workqueues ---- */

static int wq_clamp_max_active(int max_active, const char *name)
{
	if (max_active < 1 || max_active > WQ_MAX_ACTIVE)
		pr_warn("workqueue: max_active %d requested for %s is out of range, clamping between %d and %d\n",
			max_active, name, 1, WQ_MAX_ACTIVE);
	return clamp(max_active, 1, (int)WQ_MAX_ACTIVE);
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...)
{
	struct workqueue_struct *wq;
	va_list ap;

	wq = calloc(1, sizeof(*wq));
	if (!wq)
		return NULL;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	if (flags & __WQ_ORDERED)
		max_active = 1;
	wq->flags = flags & ~(__WQ_DESTROYING | __WQ_DRAINING);
	wq->max_active = wq_clamp_max_active(max_active ?: WQ_DFL_ACTIVE, wq->name);
	INIT_LIST_HEAD(&wq->worklist);
	INIT_LIST_HEAD(&wq->workers);
	INIT_LIST_HEAD(&wq->idle);
	INIT_LIST_HEAD(&wq->delayed);
	sim_rawlock_lock(&wq_lock);
	wq->id = next_wq_id++;
	list_add_tail(&wq->list, &workqueues);
	sim_rawlock_unlock(&wq_lock);
	return wq;
}

void workqueue_set_max_active(struct workqueue_struct *wq, int max_active)
{
	struct wq_actions a = { 0 };

	/* An ordered workqueue stays ordered, as the kernel insists. */
	if (WARN_ON(wq->flags & __WQ_ORDERED))
		return;
	max_active = wq_clamp_max_active(max_active, wq->name);
	sim_rawlock_lock(&wq_lock);
	wq->max_active = max_active;
	kick_worker(wq, &a);
	sim_rawlock_unlock(&wq_lock);
	run_actions(&a);
}

static bool workers_created(struct workqueue_struct *wq)
{
	struct worker *w;
	bool ret = true;

	sim_rawlock_lock(&wq_lock);
	list_for_each_entry(w, &wq->workers, node) {
		if (!w->task) {
			ret = false;
			break;
		}
	}
	sim_rawlock_unlock(&wq_lock);
	return ret;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	struct worker *w, *tmp;
	void *first_fn = NULL;
	LIST_HEAD(workers);
	int armed = 0;

	might_sleep();
	drain_workqueue(wq);

	sim_rawlock_lock(&wq_lock);
	while (!list_empty(&wq->delayed)) {
		struct delayed_work *dwork = list_first_entry(&wq->delayed,
							      struct delayed_work, node);

		if (!armed++)
			first_fn = (void *)dwork->work.func;
		dwork->armed = false;
		list_del_init(&dwork->node);
		__timer_detach(&dwork->timer);
		work_clear_flags(&dwork->work, WORK_STRUCT_PENDING);
	}
	wq->flags |= __WQ_DESTROYING;
	sim_rawlock_unlock(&wq_lock);
	WARN(armed, "destroy_workqueue: %s had %d delayed work(s) with armed timers (first function %p): cancelled\n",
	     wq->name, armed, first_fn);

	if (current)
		wait_event(wq_wait, workers_created(wq));
	sim_rawlock_lock(&wq_lock);
	list_splice_init(&wq->workers, &workers);
	sim_rawlock_unlock(&wq_lock);
	list_for_each_entry_safe(w, tmp, &workers, node) {
		list_del(&w->node);
		if (w->task)
			kthread_stop(w->task);
		free(w);
	}

	sim_rawlock_lock(&wq_lock);
	list_del(&wq->list);
	sim_rawlock_unlock(&wq_lock);
	free(wq);
}

/* ---- introspection ---- */

struct work_struct *current_work(void)
{
	struct worker *w = current_worker();

	return w ? w->current_work : NULL;
}

/* There are no rescuers (see <linux/workqueue.h>). */
bool current_is_workqueue_rescuer(void)
{
	return false;
}

/* Items wait for a max_active slot. The CPU does not matter: one pool. */
bool workqueue_congested(int cpu, struct workqueue_struct *wq)
{
	bool ret;

	(void)cpu;
	sim_rawlock_lock(&wq_lock);
	ret = !list_empty(&wq->worklist) && wq->nr_active >= wq->max_active;
	sim_rawlock_unlock(&wq_lock);
	return ret;
}

unsigned int work_busy(struct work_struct *work)
{
	unsigned int ret = 0;

	sim_rawlock_lock(&wq_lock);
	if (work_flags(work) & WORK_STRUCT_PENDING)
		ret |= WORK_BUSY_PENDING;
	if (find_worker_executing_work(work))
		ret |= WORK_BUSY_RUNNING;
	sim_rawlock_unlock(&wq_lock);
	return ret;
}

void set_worker_desc(const char *fmt, ...)
{
	struct worker *w = current_worker();
	va_list ap;

	if (!w)
		return;
	va_start(ap, fmt);
	vsnprintf(w->desc, sizeof(w->desc), fmt, ap);
	va_end(ap);
}

/* ---- CPU hotplug ---- */

/*
 * CPUHP_AP_WORKQUEUE_ONLINE teardown, on the dying CPU after it went
 * inactive: disassociate its pool and unbind the workers running its items
 * (the kernel's unbind_workers()). They finish wherever they run next, so
 * the CPU goes down without waiting for them.
 */
static int workqueue_offline_cpu(unsigned int cpu)
{
	struct worker *w;

	sim_rawlock_lock(&wq_lock);
	wq_cpu_associated[cpu] = false;
	list_for_each_entry(w, &busy_workers, busy_node) {
		if (w->bind_cpu == (int)cpu)
			__worker_set_cpu(w, w->task, -1);
	}
	sim_rawlock_unlock(&wq_lock);
	return 0;
}

/*
 * CPUHP_AP_WORKQUEUE_ONLINE startup, on the CPU coming up: associate its
 * pool again and bind the workers still running its items back to it (the
 * kernel's rebind_workers()).
 */
static int workqueue_online_cpu(unsigned int cpu)
{
	struct worker *w;

	sim_rawlock_lock(&wq_lock);
	wq_cpu_associated[cpu] = true;
	list_for_each_entry(w, &busy_workers, busy_node) {
		if (w->current_cpu == (int)cpu && w->bind_cpu < 0)
			__worker_set_cpu(w, w->task, cpu);
	}
	sim_rawlock_unlock(&wq_lock);
	return 0;
}

/* ---- machine start and stop ---- */

static const struct {
	struct workqueue_struct **wq;
	const char *name;
	unsigned int flags;
	int max_active;
} system_wqs[] = {
	{ &system_wq, "events", 0, 0 },
	{ &system_highpri_wq, "events_highpri", WQ_HIGHPRI, 0 },
	{ &system_long_wq, "events_long", 0, 0 },
	{ &system_unbound_wq, "events_unbound", WQ_UNBOUND, WQ_MAX_ACTIVE },
	{ &system_freezable_wq, "events_freezable", WQ_FREEZABLE, 0 },
	{ &system_power_efficient_wq, "events_power_efficient", WQ_POWER_EFFICIENT, 0 },
	{ &system_freezable_power_efficient_wq, "events_freezable_pwr_efficient",
	  WQ_FREEZABLE | WQ_POWER_EFFICIENT, 0 },
};

int workqueue_init(void)
{
	unsigned int i;
	int ret;

	sim_rawlock_lock(&wq_lock);
	next_wq_id = 0;
	for (i = 0; i < NR_CPUS; i++)
		wq_cpu_associated[i] = cpu_online(i);
	sim_rawlock_unlock(&wq_lock);
	/* Built in, as in the kernel's static state table: never removed. */
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_WORKQUEUE_ONLINE, "workqueue:online",
					workqueue_online_cpu, workqueue_offline_cpu);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(system_wqs); i++) {
		*system_wqs[i].wq = alloc_workqueue("%s", system_wqs[i].flags,
						    system_wqs[i].max_active, system_wqs[i].name);
		if (!*system_wqs[i].wq)
			return -ENOMEM;
	}
	return 0;
}

void workqueue_exit(void)
{
	struct workqueue_struct *wq;
	int i;

	if (sim_machine_wedged()) {
		/*
		 * Workers were killed mid-work: their work items are abandoned,
		 * but the workqueues and worker descriptors belong to the shim
		 * and are freed here, not leaked.
		 */
		for (i = 0; i < (int)ARRAY_SIZE(system_wqs); i++)
			*system_wqs[i].wq = NULL;
		sim_rawlock_lock(&wq_lock);
		while ((wq = list_first_entry_or_null(&workqueues, struct workqueue_struct, list))) {
			struct worker *w, *tmp;

			list_for_each_entry_safe(w, tmp, &wq->workers, node)
				free(w);
			list_del(&wq->list);
			free(wq);
		}
		INIT_LIST_HEAD(&busy_workers);
		/* Its waiters were on the killed tasks' stacks. */
		init_waitqueue_head(&wq_wait);
		sim_rawlock_unlock(&wq_lock);
		return;
	}

	for (i = ARRAY_SIZE(system_wqs) - 1; i >= 0; i--) {
		if (*system_wqs[i].wq)
			destroy_workqueue(*system_wqs[i].wq);
		*system_wqs[i].wq = NULL;
	}
	/* Left by a module: its workers would outlive the machine. */
	for (;;) {
		sim_rawlock_lock(&wq_lock);
		wq = list_first_entry_or_null(&workqueues, struct workqueue_struct, list);
		sim_rawlock_unlock(&wq_lock);
		if (!wq)
			break;
		sim_report_begin(SIM_REPORT_LEAK, "workqueue %s was not destroyed before shutdown",
				 wq->name);
		sim_report_end();
		destroy_workqueue(wq);
	}
}
