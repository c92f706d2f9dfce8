// SPDX-License-Identifier: GPL-2.0-only
/*
 * RCU callbacks (call_rcu(), kvfree_call_rcu(), rcu_barrier()), all
 * offloaded to one kthread as the kernel's rcu_nocbs= mode offloads them to
 * rcuo kthreads (kernel/rcu/tree_nocb.h).
 *
 * call_rcu() appends to one FIFO list and wakes the "rcu_cb" kthread. The
 * kthread takes everything queued so far, waits for a full grace period
 * (rcu_wait_gp(), either backend), then invokes the batch in order with
 * bottom halves disabled, as softirq callbacks run. Being a simulated task,
 * its steps are scheduled like any other task's in the controlled backend.
 * Callbacks never run in the caller's context.
 *
 * Difference: the kernel has per-CPU callback lists, so callbacks queued on
 * different CPUs may run in either order; here they run in queuing order.
 */
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <sim/rawlock.h>
#include <sim/sched.h>
#include <stdlib.h>
#include <zswapsim.h>

#include "rcu.h"

static struct {
	struct sim_rawlock	lock;
	struct rcu_head		*head;		/* queued, not yet taken by the kthread */
	struct rcu_head		**tail;
	unsigned long		queued;		/* callbacks queued since boot */
	unsigned long		done;		/* callbacks invoked since boot */
	struct wait_queue_head	wq;		/* the kthread waits for callbacks */
	struct wait_queue_head	barrier_wq;	/* rcu_barrier() waits for done */
	struct task_struct	*kthread;
} rcu_cbs;

static bool rcu_cbs_pending(void)
{
	return __atomic_load_n(&rcu_cbs.head, __ATOMIC_ACQUIRE) != NULL;
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	head->next = NULL;
	sim_rawlock_lock(&rcu_cbs.lock);
	*rcu_cbs.tail = head;
	rcu_cbs.tail = &head->next;
	__atomic_store_n(&rcu_cbs.queued, rcu_cbs.queued + 1, __ATOMIC_RELEASE);
	sim_rawlock_unlock(&rcu_cbs.lock);
	WARN_ONCE(!rcu_cbs.kthread, "call_rcu() with no RCU callback kthread (before rcu_init() or after rcu_exit())");
	wake_up(&rcu_cbs.wq);
	sched_point();
}

/* A head-less kvfree_rcu_mightsleep(): the pointer rides in a carrier. */
struct kvfree_carrier {
	struct rcu_head	rh;
	void		*ptr;
};

static void kvfree_carrier_cb(struct rcu_head *rh)
{
	struct kvfree_carrier *c = container_of(rh, struct kvfree_carrier, rh);

	kvfree(c->ptr);
	free(c);
}

void kvfree_call_rcu(struct rcu_head *head, void *ptr)
{
	struct kvfree_carrier *c;

	if (head) {
		/* The offset of the head in the object encodes "kvfree it". */
		call_rcu(head, (rcu_callback_t)(unsigned long)((char *)head - (char *)ptr));
		return;
	}
	might_sleep();
	/* The carrier is the simulator's memory, outside fault injection. */
	c = malloc(sizeof(*c));
	if (!c) {
		/* As the kernel when it cannot queue: wait and free inline. */
		synchronize_rcu();
		kvfree(ptr);
		return;
	}
	c->ptr = ptr;
	call_rcu(&c->rh, kvfree_carrier_cb);
}

static void rcu_invoke(struct rcu_head *head)
{
	rcu_callback_t f = head->func;
	unsigned long offset = (unsigned long)f;

	local_bh_disable();
	if (__is_kvfree_rcu_offset(offset))
		kvfree((char *)head - offset);
	else
		f(head);
	local_bh_enable();
}

static int rcu_cb_kthread(void *unused)
{
	for (;;) {
		struct rcu_head *list, *next;

		wait_event_idle(rcu_cbs.wq, rcu_cbs_pending() || kthread_should_stop());
		/* Drain before stopping: rcu_exit() ran rcu_barrier() anyway. */
		if (!rcu_cbs_pending())
			break;

		sim_rawlock_lock(&rcu_cbs.lock);
		list = rcu_cbs.head;
		rcu_cbs.head = NULL;
		rcu_cbs.tail = &rcu_cbs.head;
		sim_rawlock_unlock(&rcu_cbs.lock);

		/* Every reader that could see these objects started before now. */
		rcu_wait_gp();

		for (; list; list = next) {
			next = list->next;
			rcu_invoke(list);
			__atomic_fetch_add(&rcu_cbs.done, 1, __ATOMIC_RELEASE);
		}
		wake_up_all(&rcu_cbs.barrier_wq);
	}
	return 0;
}

static int rcu_barrier_task(void *unused)
{
	rcu_barrier();
	return 0;
}

void rcu_barrier(void)
{
	unsigned long target;

	if (unlikely(!current)) {
		if (zsim_machine_running())
			zsim_run(cpumask_first(cpu_online_mask), rcu_barrier_task, NULL);
		return;
	}
	might_sleep();
	if (!rcu_cbs.kthread || WARN_ON_ONCE(current == rcu_cbs.kthread))
		return;
	target = __atomic_load_n(&rcu_cbs.queued, __ATOMIC_ACQUIRE);
	wait_event(rcu_cbs.barrier_wq,
		   __atomic_load_n(&rcu_cbs.done, __ATOMIC_ACQUIRE) >= target);
}

int rcu_nocb_init(void)
{
	struct task_struct *k;

	sim_rawlock_init(&rcu_cbs.lock);
	rcu_cbs.head = NULL;
	rcu_cbs.tail = &rcu_cbs.head;
	rcu_cbs.queued = 0;
	rcu_cbs.done = 0;
	init_waitqueue_head(&rcu_cbs.wq);
	init_waitqueue_head(&rcu_cbs.barrier_wq);
	rcu_cbs.kthread = NULL;
	k = kthread_run(rcu_cb_kthread, NULL, "rcu_cb");
	if (IS_ERR(k))
		return (int)PTR_ERR(k);
	rcu_cbs.kthread = k;
	return 0;
}

void rcu_nocb_exit(void)
{
	if (!rcu_cbs.kthread)
		return;
	rcu_barrier();
	kthread_stop(rcu_cbs.kthread);
	rcu_cbs.kthread = NULL;
}
