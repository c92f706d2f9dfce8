/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Workqueues (<linux/workqueue.h>).
 *
 * Work items run in worker kthreads ("kworker/uP:N", PF_WQ_WORKER) that are
 * ordinary simulated tasks, so in the controlled backend every work item is
 * a sequence of scheduled steps like any other task. The kernel's
 * guarantees hold: a work item is pending at most once (queue_work()
 * returns false while it is), its PENDING bit is cleared just before its
 * function runs so it may be requeued from there, it never runs
 * concurrently with itself (a new instance queued while one runs waits for
 * it), at most max_active items of a workqueue run at once, an ordered
 * workqueue runs one item at a time in queueing order, and flushes wait for
 * exactly what the kernel's wait for.
 *
 * Differences from the kernel, and why:
 * - Each workqueue has its own pool of unbound workers, created on demand
 *   up to max_active (one more whenever work is waiting and no worker is
 *   idle or starting) and kept until the workqueue is destroyed. There are
 *   no per-CPU pools and no concurrency management: a per-CPU workqueue's
 *   max_active limits the whole workqueue, not each CPU.
 * - queue_work_on() with a CPU on a per-CPU (not WQ_UNBOUND) workqueue
 *   runs the item in a worker bound to that CPU, so smp_processor_id() is
 *   valid in it. As in the kernel, a CPU going down unbinds the workers
 *   running its items (they finish elsewhere) and its items run unbound
 *   until it is back (CPUHP_AP_WORKQUEUE_ONLINE). An item queued with
 *   WORK_CPU_UNBOUND on such a workqueue goes to the queueing task's CPU,
 *   as in the kernel; from a thread that is not a task it runs unbound.
 * - No rescuer: the simulator's worker creation cannot fail for lack of
 *   memory, so WQ_MEM_RECLAIM needs none. WQ_HIGHPRI, WQ_FREEZABLE,
 *   WQ_CPU_INTENSIVE, WQ_POWER_EFFICIENT and WQ_SYSFS are accepted and
 *   have no effect.
 * - Queueing on a draining or destroyed workqueue from outside it warns as
 *   in the kernel but then drops the request (PENDING is released and
 *   false returned) rather than leave the item pending forever.
 * - flush_workqueue(), flush_work() or cancel_work_sync() on the work item
 *   or workqueue the caller runs in would deadlock: they warn and return.
 * - destroy_workqueue() warns about, and cancels, delayed work whose timer
 *   is still armed (the kernel would later queue it on freed memory).
 * - Flushing and cancelling with _sync must be done from a simulated task
 *   when they have to wait.
 */
#ifndef _SHIM_LINUX_WORKQUEUE_H
#define _SHIM_LINUX_WORKQUEUE_H

#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/threads.h>
#include <linux/timer.h>
#include <linux/types.h>

struct workqueue_struct;
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

enum {
	WORK_STRUCT_PENDING_BIT	= 0,	/* queued, or its timer armed */
	/* Simulator: a cancel_work_sync() owns PENDING until it is done. */
	WORK_STRUCT_CANCELING_BIT = 1,

	WORK_STRUCT_PENDING	= 1 << WORK_STRUCT_PENDING_BIT,
	WORK_STRUCT_CANCELING	= 1 << WORK_STRUCT_CANCELING_BIT,

	WORK_CPU_UNBOUND	= NR_CPUS,
	WORK_BUSY_PENDING	= 1 << 0,
	WORK_BUSY_RUNNING	= 1 << 1,
	WORKER_DESC_LEN		= 24,
};

struct work_struct {
	atomic_long_t		data;		/* WORK_STRUCT_* bits */
	struct list_head	entry;		/* in a worklist while queued */
	work_func_t		func;
	/* Simulator state, valid while the item is queued: */
	struct workqueue_struct	*wq;
	u64			seq;		/* instance number, for flush_work() */
	int			cpu;		/* CPU to run on, or -1 */
	u8			color;		/* flush_workqueue() generation */
	u8			where;		/* which list it is on */
	bool			is_delayed;	/* embedded in a delayed_work */
};

struct delayed_work {
	struct work_struct	work;
	struct timer_list	timer;
	struct workqueue_struct	*wq;		/* target when the timer fires */
	int			cpu;
	/* Simulator: the timer is armed for this work (under the wq lock). */
	bool			armed;
	struct list_head	node;		/* in wq's armed delayed works */
};

static inline unsigned long *work_data_bits(struct work_struct *work)
{
	return (unsigned long *)&work->data.counter;
}

#define work_pending(work)	\
	((__atomic_load_n(&(work)->data.counter, __ATOMIC_ACQUIRE) & WORK_STRUCT_PENDING) != 0)
#define delayed_work_pending(w)	work_pending(&(w)->work)

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return container_of(work, struct delayed_work, work);
}

void delayed_work_timer_fn(struct timer_list *t);

#define __WORK_INITIALIZER(n, f) {					\
		.data = { 0 },						\
		.entry = LIST_HEAD_INIT((n).entry),			\
		.func = (f),						\
		.cpu = -1,						\
	}

#define __DELAYED_WORK_INITIALIZER(n, f, tflags) {			\
		.work = {						\
			.data = { 0 },					\
			.entry = LIST_HEAD_INIT((n).work.entry),	\
			.func = (f),					\
			.cpu = -1,					\
			.is_delayed = true,				\
		},							\
		.timer = __TIMER_INITIALIZER(delayed_work_timer_fn,	\
					     (tflags) | TIMER_IRQSAFE),	\
		.cpu = WORK_CPU_UNBOUND,				\
		.node = LIST_HEAD_INIT((n).node),			\
	}

#define DECLARE_WORK(n, f)						\
	struct work_struct n = __WORK_INITIALIZER(n, f)
#define DECLARE_DELAYED_WORK(n, f)					\
	struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, 0)
#define DECLARE_DEFERRABLE_WORK(n, f)					\
	struct delayed_work n = __DELAYED_WORK_INITIALIZER(n, f, TIMER_DEFERRABLE)

static inline void __init_work_struct(struct work_struct *work, work_func_t func)
{
	__atomic_store_n(&work->data.counter, 0, __ATOMIC_RELAXED);
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	work->wq = NULL;
	work->seq = 0;
	work->cpu = -1;
	work->color = 0;
	work->where = 0;
	work->is_delayed = false;
}

static inline void __init_delayed_work(struct delayed_work *dwork, work_func_t func,
				       unsigned int tflags)
{
	__init_work_struct(&dwork->work, func);
	dwork->work.is_delayed = true;
	__init_timer(&dwork->timer, delayed_work_timer_fn, tflags | TIMER_IRQSAFE);
	dwork->wq = NULL;
	dwork->cpu = WORK_CPU_UNBOUND;
	dwork->armed = false;
	INIT_LIST_HEAD(&dwork->node);
}

#define INIT_WORK(_work, _func)		__init_work_struct((_work), (_func))
#define INIT_WORK_ONSTACK(_work, _func)	__init_work_struct((_work), (_func))
#define INIT_DELAYED_WORK(_work, _func)	__init_delayed_work((_work), (_func), 0)
#define INIT_DELAYED_WORK_ONSTACK(_work, _func) __init_delayed_work((_work), (_func), 0)
#define INIT_DEFERRABLE_WORK(_work, _func) \
	__init_delayed_work((_work), (_func), TIMER_DEFERRABLE)

static inline void destroy_work_on_stack(struct work_struct *work)
{
	(void)work;
}

static inline void destroy_delayed_work_on_stack(struct delayed_work *work)
{
	(void)work;
}

enum wq_flags {
	WQ_BH			= 1 << 0,	/* not supported: runs as unbound */
	WQ_UNBOUND		= 1 << 1,
	WQ_FREEZABLE		= 1 << 2,
	WQ_MEM_RECLAIM		= 1 << 3,
	WQ_HIGHPRI		= 1 << 4,
	WQ_CPU_INTENSIVE	= 1 << 5,
	WQ_SYSFS		= 1 << 6,
	WQ_POWER_EFFICIENT	= 1 << 7,
	WQ_PERCPU		= 1 << 8,

	__WQ_DESTROYING		= 1 << 15,
	__WQ_DRAINING		= 1 << 16,
	__WQ_ORDERED		= 1 << 17,
	__WQ_LEGACY		= 1 << 18,
};

enum wq_consts {
	WQ_MAX_ACTIVE		= 512,
	WQ_UNBOUND_MAX_ACTIVE	= WQ_MAX_ACTIVE,
	WQ_DFL_ACTIVE		= WQ_MAX_ACTIVE / 2,
};

/* Created by workqueue_init() at machine start (sim/init.h). */
extern struct workqueue_struct *system_wq;
extern struct workqueue_struct *system_highpri_wq;
extern struct workqueue_struct *system_long_wq;
extern struct workqueue_struct *system_unbound_wq;
extern struct workqueue_struct *system_freezable_wq;
extern struct workqueue_struct *system_power_efficient_wq;
extern struct workqueue_struct *system_freezable_power_efficient_wq;
#define system_percpu_wq	system_wq
#define system_dfl_wq		system_unbound_wq

/*
 * @max_active: at most this many items run at once; 0 means WQ_DFL_ACTIVE;
 * out of range values are clamped with a warning, as in the kernel.
 * Returns NULL on failure.
 */
struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags,
					 int max_active, ...) __printf(1, 4);

#define alloc_ordered_workqueue(fmt, flags, args...)			\
	alloc_workqueue(fmt, WQ_UNBOUND | __WQ_ORDERED | (flags), 1, ##args)
#define create_workqueue(name)						\
	alloc_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, 1, (name))
#define create_freezable_workqueue(name)				\
	alloc_workqueue("%s", __WQ_LEGACY | WQ_FREEZABLE | WQ_UNBOUND |	\
			WQ_MEM_RECLAIM, 1, (name))
#define create_singlethread_workqueue(name)				\
	alloc_ordered_workqueue("%s", __WQ_LEGACY | WQ_MEM_RECLAIM, name)

void destroy_workqueue(struct workqueue_struct *wq);
void workqueue_set_max_active(struct workqueue_struct *wq, int max_active);

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq,
			   struct delayed_work *dwork, unsigned long delay);
bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq,
			 struct delayed_work *dwork, unsigned long delay);

void flush_workqueue(struct workqueue_struct *wq);
void drain_workqueue(struct workqueue_struct *wq);

bool flush_work(struct work_struct *work);
bool cancel_work(struct work_struct *work);
bool cancel_work_sync(struct work_struct *work);
bool flush_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work_sync(struct delayed_work *dwork);

/* The work item current is running, if current is a worker. */
struct work_struct *current_work(void);
bool current_is_workqueue_rescuer(void);
bool workqueue_congested(int cpu, struct workqueue_struct *wq);
unsigned int work_busy(struct work_struct *work);
__printf(1, 2) void set_worker_desc(const char *fmt, ...);

static inline bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	return queue_work_on(WORK_CPU_UNBOUND, wq, work);
}

static inline bool queue_delayed_work(struct workqueue_struct *wq,
				      struct delayed_work *dwork, unsigned long delay)
{
	return queue_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

static inline bool mod_delayed_work(struct workqueue_struct *wq,
				    struct delayed_work *dwork, unsigned long delay)
{
	return mod_delayed_work_on(WORK_CPU_UNBOUND, wq, dwork, delay);
}

static inline bool schedule_work_on(int cpu, struct work_struct *work)
{
	return queue_work_on(cpu, system_wq, work);
}

static inline bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

static inline bool schedule_delayed_work_on(int cpu, struct delayed_work *dwork,
					    unsigned long delay)
{
	return queue_delayed_work_on(cpu, system_wq, dwork, delay);
}

static inline bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	return queue_delayed_work(system_wq, dwork, delay);
}

#define flush_scheduled_work()	flush_workqueue(system_wq)

#endif /* _SHIM_LINUX_WORKQUEUE_H */
