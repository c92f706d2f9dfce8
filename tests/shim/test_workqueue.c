// SPDX-License-Identifier: GPL-2.0-only
/*
 * Workqueues: items run in worker tasks, the PENDING rules, max_active,
 * ordering, flushes and cancels (with running and self-requeueing items),
 * delayed work on the timer base, destroy draining, per-CPU items and CPU
 * hotplug (unbinding and rebinding their workers), WQ_MEM_RECLAIM,
 * schedule_work(), and the controlled backend's determinism.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <sim/sched.h>
#include <stdio.h>
#include <string.h>

#include "zsim_test.h"

/* A failed test may leave its machine running: stop it for the next test. */
static int stop_machine_teardown(void **state)
{
	if (zsim_machine_running())
		zsim_machine_stop();
	return 0;
}

#define TEST_FREE(fn) \
	{ #fn "/free", fn, NULL, stop_machine_teardown, (void *)&zsim_test_free_backend }
#define TEST_CONTROLLED(fn) \
	{ #fn "/controlled", fn, NULL, stop_machine_teardown, \
	  (void *)&zsim_test_controlled_backend }
#define TEST_BOTH(fn)	TEST_FREE(fn), TEST_CONTROLLED(fn)
#define TEST_PLAIN(fn)	cmocka_unit_test_teardown(fn, stop_machine_teardown)

#define NR_ITEMS	8

struct gate {
	struct wait_queue_head	wq;
	int			open;
};

static void gate_init(struct gate *g)
{
	init_waitqueue_head(&g->wq);
	g->open = 0;
}

static void gate_wait(struct gate *g)
{
	wait_event(g->wq, READ_ONCE(g->open));
}

static void gate_open(struct gate *g)
{
	WRITE_ONCE(g->open, 1);
	wake_up_all(&g->wq);
}

/* Poll from a task until *@p >= @value; false after about 5 s. */
static bool wait_for(const int *p, int value)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (__atomic_load_n(p, __ATOMIC_ACQUIRE) >= value)
			return true;
		schedule_timeout_uninterruptible(1);
	}
	return false;
}

struct ctx;

struct item {
	struct work_struct	work;
	struct delayed_work	dwork;
	struct ctx		*ctx;
	int			id;
	int			runs;
	int			started;
	int			done;
	int			in_fn;		/* instances running now */
	int			reentered;
	int			requeue_limit;
	bool			requeue_ok;
	bool			gated;
	bool			was_worker;
	bool			saw_current_work;
	struct task_struct	*ran_in;
	char			comm[TASK_COMM_LEN];
	int			cpu;
	unsigned long		fired_jiffies;
	ktime_t			fired_ktime;
};

struct ctx {
	struct workqueue_struct	*wq;
	struct gate		gate;
	struct wait_queue_head	done_wq;
	struct item		items[NR_ITEMS];
	int			running;
	int			max_running;
	int			started;
	int			finished;
	int			order[4 * NR_ITEMS];
	int			nr_order;
	struct task_struct	*caller;
	int			sleep_ms;
	int			r[8];		/* results for the test thread */
};

static void ctx_init(struct ctx *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	gate_init(&c->gate);
	init_waitqueue_head(&c->done_wq);
	for (i = 0; i < NR_ITEMS; i++) {
		c->items[i].ctx = c;
		c->items[i].id = i;
	}
}

/* The body every test item runs: records where and how it ran. */
static void item_body(struct item *it, struct work_struct *work)
{
	struct ctx *c = it->ctx;
	int now;

	if (__atomic_add_fetch(&it->in_fn, 1, __ATOMIC_SEQ_CST) > 1)
		WRITE_ONCE(it->reentered, 1);
	now = __atomic_add_fetch(&c->running, 1, __ATOMIC_SEQ_CST);
	if (now > READ_ONCE(c->max_running))
		WRITE_ONCE(c->max_running, now);
	it->ran_in = current;
	it->was_worker = current->flags & PF_WQ_WORKER;
	it->saw_current_work = current_work() == work;
	memcpy(it->comm, current->comm, TASK_COMM_LEN);
	it->cpu = raw_smp_processor_id();
	it->fired_jiffies = jiffies;
	it->fired_ktime = ktime_get();
	__atomic_fetch_add(&it->started, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&c->started, 1, __ATOMIC_SEQ_CST);
	if (it->gated)
		gate_wait(&c->gate);
	if (c->sleep_ms)
		schedule_timeout_uninterruptible(c->sleep_ms);
	c->order[__atomic_fetch_add(&c->nr_order, 1, __ATOMIC_SEQ_CST) % (4 * NR_ITEMS)] = it->id;
	__atomic_fetch_add(&it->runs, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_sub(&c->running, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_sub(&it->in_fn, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&it->done, 1, __ATOMIC_RELEASE);
	__atomic_fetch_add(&c->finished, 1, __ATOMIC_SEQ_CST);
	wake_up_all(&c->done_wq);
}

static void item_fn(struct work_struct *work)
{
	item_body(container_of(work, struct item, work), work);
}

static void dwork_fn(struct work_struct *work)
{
	struct delayed_work *dw = to_delayed_work(work);

	item_body(container_of(dw, struct item, dwork), work);
}

static void requeue_fn(struct work_struct *work)
{
	struct item *it = container_of(work, struct item, work);

	item_body(it, work);
	if (!it->requeue_limit || READ_ONCE(it->runs) < it->requeue_limit) {
		/* PENDING was cleared before we ran: requeueing must work. */
		if (!queue_work(it->ctx->wq, work))
			it->requeue_ok = false;
	}
}

static void init_items(struct ctx *c, work_func_t fn)
{
	int i;

	for (i = 0; i < NR_ITEMS; i++) {
		INIT_WORK(&c->items[i].work, fn);
		INIT_DELAYED_WORK(&c->items[i].dwork, dwork_fn);
	}
}

/* ---- items run in workers ---- */

static int runs_in_worker(void *arg)
{
	struct ctx *c = arg;
	struct item *it = &c->items[0];

	c->caller = current;
	c->wq = alloc_workqueue("wq_test", WQ_UNBOUND, 0);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, item_fn);
	c->r[0] = queue_work(c->wq, &it->work);
	/* It may have run already (false), but has finished on return. */
	flush_work(&it->work);
	c->r[1] = READ_ONCE(it->runs);
	c->r[2] = flush_work(&c->items[1].work);	/* never queued */
	c->r[3] = work_pending(&it->work);
	destroy_workqueue(c->wq);
	return 0;
}

static void test_runs_in_worker(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 11);
	assert_int_equal(zsim_run(0, runs_in_worker, &c), 0);
	assert_true(c.r[0]);
	assert_int_equal(c.r[1], 1);
	assert_false(c.r[2]);
	assert_false(c.r[3]);
	assert_int_equal(c.items[0].runs, 1);
	assert_ptr_not_equal(c.items[0].ran_in, c.caller);
	assert_true(c.items[0].was_worker);
	assert_true(c.items[0].saw_current_work);
	assert_memory_equal(c.items[0].comm, "kworker/", 8);
	zsim_test_shutdown_clean();
}

/* ---- PENDING: queue_work() is false while the item waits ---- */

static int pending_false(void *arg)
{
	struct ctx *c = arg;
	struct item *a = &c->items[0], *b = &c->items[1];

	c->wq = alloc_workqueue("wq_pending", WQ_UNBOUND, 1);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, item_fn);
	a->gated = true;
	queue_work(c->wq, &a->work);
	if (!wait_for(&a->started, 1))
		return -ETIMEDOUT;
	/* a holds the only max_active slot, so b stays queued. */
	c->r[0] = queue_work(c->wq, &b->work);
	c->r[1] = queue_work(c->wq, &b->work);
	c->r[2] = work_pending(&b->work);
	c->r[3] = queue_work(c->wq, &a->work);	/* a runs, not pending: queued again */
	gate_open(&c->gate);
	flush_workqueue(c->wq);
	c->r[4] = work_pending(&b->work);
	c->r[5] = queue_work(c->wq, &b->work);
	flush_work(&b->work);
	destroy_workqueue(c->wq);
	return 0;
}

static void test_queue_pending_returns_false(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 12);
	assert_int_equal(zsim_run(1, pending_false, &c), 0);
	assert_true(c.r[0]);
	assert_false(c.r[1]);
	assert_true(c.r[2]);
	assert_true(c.r[3]);
	assert_false(c.r[4]);
	assert_true(c.r[5]);
	assert_int_equal(c.items[0].runs, 2);
	assert_int_equal(c.items[1].runs, 2);
	zsim_test_shutdown_clean();
}

/* ---- max_active ---- */

static int max_active_one(void *arg)
{
	struct ctx *c = arg;
	int i;

	c->wq = alloc_workqueue("wq_serial", WQ_UNBOUND, 1);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, item_fn);
	c->sleep_ms = 1;
	for (i = 0; i < NR_ITEMS; i++)
		queue_work(c->wq, &c->items[i].work);
	flush_workqueue(c->wq);
	destroy_workqueue(c->wq);
	return 0;
}

static int max_active_three(void *arg)
{
	struct ctx *c = arg;
	int i;

	c->wq = alloc_workqueue("wq_three", WQ_UNBOUND, 3);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, item_fn);
	for (i = 0; i < NR_ITEMS; i++) {
		c->items[i].gated = true;
		queue_work(c->wq, &c->items[i].work);
	}
	/* Blocked items fill every slot, and only those. */
	if (!wait_for(&c->started, 3))
		return -ETIMEDOUT;
	schedule_timeout_uninterruptible(20);
	c->r[0] = READ_ONCE(c->started);
	gate_open(&c->gate);
	flush_workqueue(c->wq);
	destroy_workqueue(c->wq);
	return 0;
}

static void test_max_active(void **state)
{
	struct ctx c;
	int i;

	zsim_test_boot(state, 4, 13);
	ctx_init(&c);
	assert_int_equal(zsim_run(0, max_active_one, &c), 0);
	assert_int_equal(c.max_running, 1);
	for (i = 0; i < NR_ITEMS; i++)
		assert_int_equal(c.items[i].runs, 1);

	ctx_init(&c);
	assert_int_equal(zsim_run(0, max_active_three, &c), 0);
	assert_int_equal(c.r[0], 3);
	assert_int_equal(c.max_running, 3);
	for (i = 0; i < NR_ITEMS; i++)
		assert_int_equal(c.items[i].runs, 1);
	zsim_test_shutdown_clean();
}

/* An ordered workqueue runs one item at a time, in queueing order. */
static int ordered(void *arg)
{
	struct ctx *c = arg;
	int i;

	c->wq = alloc_ordered_workqueue("wq_ordered", 0);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, item_fn);
	c->sleep_ms = 1;
	for (i = 0; i < NR_ITEMS; i++)
		queue_work(c->wq, &c->items[i].work);
	flush_workqueue(c->wq);
	destroy_workqueue(c->wq);
	return 0;
}

static void test_ordered(void **state)
{
	struct ctx c;
	int i;

	ctx_init(&c);
	zsim_test_boot(state, 4, 14);
	assert_int_equal(zsim_run(2, ordered, &c), 0);
	assert_int_equal(c.max_running, 1);
	assert_int_equal(c.nr_order, NR_ITEMS);
	for (i = 0; i < NR_ITEMS; i++)
		assert_int_equal(c.order[i], i);
	zsim_test_shutdown_clean();
}

/* A work item never runs concurrently with itself, even with free slots. */
static int non_reentrant(void *arg)
{
	struct ctx *c = arg;
	struct item *it = &c->items[0];
	int i;

	c->wq = alloc_workqueue("wq_reent", WQ_UNBOUND, 4);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, item_fn);
	c->sleep_ms = 2;
	for (i = 0; i < 20; i++) {
		queue_work(c->wq, &it->work);
		schedule_timeout_uninterruptible(1);
	}
	flush_workqueue(c->wq);
	destroy_workqueue(c->wq);
	return 0;
}

static void test_non_reentrant(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 15);
	assert_int_equal(zsim_run(0, non_reentrant, &c), 0);
	assert_false(c.items[0].reentered);
	assert_true(c.items[0].runs >= 2);
	zsim_test_shutdown_clean();
}

/* ---- flush and cancel ---- */

/* Opens the gate once the flusher sleeps, i.e. waits in flush_work(). */
static int gate_opener(void *arg)
{
	struct ctx *c = arg;

	while (!READ_ONCE(c->r[7]) || task_is_running(c->caller))
		schedule_timeout_uninterruptible(1);
	schedule_timeout_uninterruptible(2);
	gate_open(&c->gate);
	return 0;
}

static int flush_running(void *arg)
{
	struct ctx *c = arg;
	struct item *it = &c->items[0];
	struct task_struct *opener;

	init_items(c, item_fn);
	c->caller = current;
	it->gated = true;
	queue_work(system_wq, &it->work);
	if (!wait_for(&it->started, 1))
		return -ETIMEDOUT;
	opener = kthread_run(gate_opener, c, "opener");
	if (IS_ERR(opener))
		return (int)PTR_ERR(opener);
	WRITE_ONCE(c->r[7], 1);
	c->r[0] = flush_work(&it->work);
	c->r[1] = READ_ONCE(it->done);
	c->r[2] = flush_work(&it->work);	/* idle now */
	kthread_stop(opener);
	return 0;
}

static void test_flush_work_waits_running(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 16);
	assert_int_equal(zsim_run(3, flush_running, &c), 0);
	assert_true(c.r[0]);
	assert_int_equal(c.r[1], 1);
	assert_false(c.r[2]);
	zsim_test_shutdown_clean();
}

static int cancel_pending(void *arg)
{
	struct ctx *c = arg;
	struct item *a = &c->items[0], *b = &c->items[1];

	c->wq = alloc_workqueue("wq_cancel", WQ_UNBOUND, 1);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, item_fn);
	a->gated = true;
	queue_work(c->wq, &a->work);
	if (!wait_for(&a->started, 1))
		return -ETIMEDOUT;
	queue_work(c->wq, &b->work);
	c->r[0] = cancel_work_sync(&b->work);
	c->r[1] = work_pending(&b->work);
	gate_open(&c->gate);
	flush_workqueue(c->wq);
	c->r[2] = cancel_work_sync(&b->work);
	destroy_workqueue(c->wq);
	return 0;
}

static void test_cancel_pending(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 17);
	assert_int_equal(zsim_run(0, cancel_pending, &c), 0);
	assert_true(c.r[0]);
	assert_false(c.r[1]);
	assert_false(c.r[2]);
	assert_int_equal(c.items[0].runs, 1);
	assert_int_equal(c.items[1].runs, 0);
	zsim_test_shutdown_clean();
}

static int cancel_running(void *arg)
{
	struct ctx *c = arg;
	struct item *it = &c->items[0];

	init_items(c, item_fn);
	c->sleep_ms = 10;
	queue_work(system_unbound_wq, &it->work);
	if (!wait_for(&it->started, 1))
		return -ETIMEDOUT;
	c->r[0] = cancel_work_sync(&it->work);
	c->r[1] = READ_ONCE(it->done);
	return 0;
}

static void test_cancel_waits_running(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 18);
	assert_int_equal(zsim_run(1, cancel_running, &c), 0);
	assert_false(c.r[0]);		/* running, not pending */
	assert_int_equal(c.r[1], 1);	/* but waited for */
	zsim_test_shutdown_clean();
}

static int self_requeue(void *arg)
{
	struct ctx *c = arg;
	struct item *chain = &c->items[0], *forever = &c->items[1];
	int runs;

	c->wq = alloc_workqueue("wq_requeue", WQ_UNBOUND, 2);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, requeue_fn);
	chain->requeue_limit = 5;
	chain->requeue_ok = true;
	forever->requeue_ok = true;

	/* drain_workqueue() follows the chain to its end. */
	queue_work(c->wq, &chain->work);
	drain_workqueue(c->wq);
	c->r[0] = READ_ONCE(chain->runs);

	/* flush_work() returns although the item keeps requeueing itself. */
	c->sleep_ms = 1;
	queue_work(c->wq, &forever->work);
	c->r[1] = flush_work(&forever->work);
	c->r[2] = READ_ONCE(forever->runs) >= 1;
	c->r[3] = flush_work(&forever->work);

	/* cancel_work_sync() stops the chain for good. */
	cancel_work_sync(&forever->work);
	runs = READ_ONCE(forever->runs);
	schedule_timeout_uninterruptible(10);
	c->r[4] = READ_ONCE(forever->runs) == runs;
	c->r[5] = work_pending(&forever->work);
	destroy_workqueue(c->wq);
	return 0;
}

static void test_self_requeue(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 19);
	assert_int_equal(zsim_run(0, self_requeue, &c), 0);
	assert_int_equal(c.r[0], 5);
	assert_true(c.items[0].requeue_ok);
	assert_true(c.r[1]);
	assert_true(c.r[2]);
	assert_true(c.r[3]);
	assert_true(c.r[4]);
	assert_false(c.r[5]);
	/* Its requeue failed once cancel_work_sync() owned it: not checked. */
	assert_false(c.items[1].reentered);
	zsim_test_shutdown_clean();
}

/* ---- delayed work ---- */

static bool wait_done(struct ctx *c, struct item *it, long timeout)
{
	return wait_event_timeout(c->done_wq, READ_ONCE(it->done), timeout) > 0;
}

static int delayed_delay(void *arg)
{
	struct ctx *c = arg;
	struct item *it = &c->items[0];
	unsigned long j0;
	ktime_t k0;

	init_items(c, item_fn);
	j0 = jiffies;
	k0 = ktime_get();
	c->r[0] = queue_delayed_work(system_wq, &it->dwork, 100);
	c->r[1] = queue_delayed_work(system_wq, &it->dwork, 100);
	c->r[2] = delayed_work_pending(&it->dwork);
	c->r[3] = wait_done(c, it, 10 * HZ);
	c->r[4] = (long)(it->fired_jiffies - j0);
	c->r[5] = (int)ktime_ms_delta(it->fired_ktime, k0);
	c->r[6] = delayed_work_pending(&it->dwork);
	return 0;
}

static void test_delayed_work_fires_after_delay(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 20);
	assert_int_equal(zsim_run(0, delayed_delay, &c), 0);
	assert_true(c.r[0]);
	assert_false(c.r[1]);
	assert_true(c.r[2]);
	assert_true(c.r[3]);
	assert_true(c.r[4] >= 100);
	/* Jiffy granularity: the expiry is a jiffy boundary. */
	assert_true(c.r[5] >= 99);
	assert_false(c.r[6]);
	assert_int_equal(c.items[0].runs, 1);
	assert_true(c.items[0].was_worker);
	assert_true(c.items[0].saw_current_work);
	zsim_test_shutdown_clean();
}

static int mod_delayed(void *arg)
{
	struct ctx *c = arg;
	struct item *it = &c->items[0], *idle = &c->items[1];
	unsigned long j0;

	init_items(c, item_fn);
	j0 = jiffies;
	queue_delayed_work(system_wq, &it->dwork, 10000);
	/* Brought forward from 10 s to 20 ms. */
	c->r[0] = mod_delayed_work(system_wq, &it->dwork, 20);
	c->r[1] = wait_done(c, it, 5 * HZ);
	c->r[2] = (long)(it->fired_jiffies - j0);
	/* On an idle item it queues, and returns false. */
	c->r[3] = mod_delayed_work(system_wq, &idle->dwork, 0);
	c->r[4] = wait_done(c, idle, 5 * HZ);
	/* Postponing works too. */
	it->done = 0;
	j0 = jiffies;
	queue_delayed_work(system_wq, &it->dwork, 100);
	c->r[5] = mod_delayed_work(system_wq, &it->dwork, 300);
	c->r[6] = wait_done(c, it, 5 * HZ);
	c->r[7] = (long)(it->fired_jiffies - j0);
	return 0;
}

static void test_mod_delayed_work(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 21);
	assert_int_equal(zsim_run(0, mod_delayed, &c), 0);
	assert_true(c.r[0]);
	assert_true(c.r[1]);
	assert_true(c.r[2] >= 20 && c.r[2] < 5000);
	assert_false(c.r[3]);
	assert_true(c.r[4]);
	assert_true(c.r[5]);
	assert_true(c.r[6]);
	assert_true(c.r[7] >= 300);
	assert_int_equal(c.items[0].runs, 2);
	assert_int_equal(c.items[1].runs, 1);
	zsim_test_shutdown_clean();
}

static int cancel_delayed(void *arg)
{
	struct ctx *c = arg;
	struct item *it = &c->items[0];

	init_items(c, item_fn);
	queue_delayed_work(system_wq, &it->dwork, 200);
	c->r[0] = cancel_delayed_work_sync(&it->dwork);
	c->r[1] = delayed_work_pending(&it->dwork);
	schedule_timeout_uninterruptible(50);
	c->r[2] = cancel_delayed_work_sync(&it->dwork);
	queue_delayed_work(system_wq, &it->dwork, 200);
	c->r[3] = cancel_delayed_work(&it->dwork);
	schedule_timeout_uninterruptible(250);
	/* flush_delayed_work() runs an armed item now. */
	queue_delayed_work(system_wq, &it->dwork, 100 * HZ);
	flush_delayed_work(&it->dwork);	/* false if it finished already */
	c->r[4] = !delayed_work_pending(&it->dwork);
	c->r[5] = READ_ONCE(it->runs);
	return 0;
}

static void test_cancel_delayed_work(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 22);
	assert_int_equal(zsim_run(0, cancel_delayed, &c), 0);
	assert_true(c.r[0]);
	assert_false(c.r[1]);
	assert_false(c.r[2]);
	assert_true(c.r[3]);
	assert_true(c.r[4]);
	assert_int_equal(c.r[5], 1);
	zsim_test_shutdown_clean();
}

/* In the controlled backend a 10-minute delay costs no real time. */
static int long_delay(void *arg)
{
	struct ctx *c = arg;
	struct item *it = &c->items[0];
	ktime_t k0 = ktime_get();

	init_items(c, item_fn);
	queue_delayed_work(system_long_wq, &it->dwork, 600 * HZ);
	c->r[0] = wait_done(c, it, 700 * HZ);
	c->r[1] = (int)(ktime_ms_delta(ktime_get(), k0) / 1000);
	return 0;
}

static void test_virtual_time_delay(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 2, 23);
	assert_int_equal(zsim_run(0, long_delay, &c), 0);
	assert_true(c.r[0]);
	assert_true(c.r[1] >= 600 && c.r[1] < 700);
	zsim_test_shutdown_clean();
}

/* ---- destroy, CPU hints ---- */

static int destroy_drains(void *arg)
{
	struct ctx *c = arg;
	int i;

	c->wq = alloc_workqueue("wq_destroy", WQ_UNBOUND, 2);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, item_fn);
	c->sleep_ms = 2;
	for (i = 0; i < NR_ITEMS; i++)
		queue_work(c->wq, &c->items[i].work);
	destroy_workqueue(c->wq);
	c->r[0] = READ_ONCE(c->finished);
	return 0;
}

static void test_destroy_drains(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 4, 24);
	assert_int_equal(zsim_run(0, destroy_drains, &c), 0);
	assert_int_equal(c.r[0], NR_ITEMS);
	assert_true(c.max_running <= 2);
	zsim_test_shutdown_clean();
}

static void cpu_fn(struct work_struct *work)
{
	struct item *it = container_of(work, struct item, work);

	/* Valid without a report only if the item is pinned to its CPU. */
	it->cpu = smp_processor_id();
	it->runs++;
}

static int queue_on_cpu(void *arg)
{
	struct ctx *c = arg;
	int i;

	c->wq = alloc_workqueue("wq_percpu", 0, 0);
	if (!c->wq)
		return -ENOMEM;
	for (i = 0; i < 4; i++) {
		INIT_WORK(&c->items[i].work, cpu_fn);
		queue_work_on(i, c->wq, &c->items[i].work);
		flush_work(&c->items[i].work);
	}
	destroy_workqueue(c->wq);
	return 0;
}

static void test_queue_work_on_cpu(void **state)
{
	struct ctx c;
	int i;

	ctx_init(&c);
	zsim_test_boot(state, 4, 25);
	assert_int_equal(zsim_run(3, queue_on_cpu, &c), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(c.items[i].runs, 1);
		assert_int_equal(c.items[i].cpu, i);
	}
	zsim_test_shutdown_clean();
}

/* ---- per-CPU items and CPU hotplug ---- */

struct hp_item {
	struct work_struct	work;
	struct gate		*gate;		/* wait here if set */
	bool			take_hotplug_lock; /* sleep, then cpus_read_lock() */
	int			started;
	int			done;
	int			cpu_start;
	int			cpu_end;
	int			moved;		/* seen off its CPU while it was up */
};

static void hp_fn(struct work_struct *work)
{
	struct hp_item *it = container_of(work, struct hp_item, work);

	it->cpu_start = raw_smp_processor_id();
	__atomic_store_n(&it->started, 1, __ATOMIC_RELEASE);
	if (it->gate)
		gate_wait(it->gate);
	if (it->take_hotplug_lock) {
		int i;

		/*
		 * Wait for the hotplug to begin (its first teardown, AP_ACTIVE,
		 * clears the CPU's active bit): it holds the lock until done.
		 */
		for (i = 0; i < 5000 && cpu_active(it->cpu_start); i++)
			msleep(1);
		cpus_read_lock();
		cpus_read_unlock();
	}
	it->cpu_end = raw_smp_processor_id();
	__atomic_store_n(&it->done, 1, __ATOMIC_RELEASE);
}

/*
 * An item running on a CPU that goes down does not hold up the hotplug
 * operation, even while it waits for the hotplug lock: its worker is
 * unbound and the item finishes on another CPU.
 */
static int hp_running_item(void *arg)
{
	struct hp_item *it = arg;
	int ret;

	INIT_WORK(&it->work, hp_fn);
	it->take_hotplug_lock = true;
	queue_work_on(1, system_wq, &it->work);
	if (!wait_for(&it->started, 1))
		return -ETIMEDOUT;
	ret = remove_cpu(1);
	if (ret)
		return ret;
	flush_work(&it->work);
	if (!READ_ONCE(it->done))
		return -EBUSY;
	return add_cpu(1);
}

static void test_hotplug_unbinds_running_work(void **state)
{
	struct hp_item it = { 0 };

	zsim_test_boot(state, 2, 31);
	assert_int_equal(zsim_run(0, hp_running_item, &it), 0);
	assert_int_equal(it.cpu_start, 1);
	assert_int_equal(it.cpu_end, 0);
	zsim_test_shutdown_clean();
}

/* Back online, the CPU gets the workers still running its items back. */
static int hp_rebind(void *arg)
{
	struct hp_item *it = arg;
	struct gate gate;
	int ret;

	gate_init(&gate);
	INIT_WORK(&it->work, hp_fn);
	it->gate = &gate;
	queue_work_on(1, system_wq, &it->work);
	if (!wait_for(&it->started, 1))
		return -ETIMEDOUT;
	ret = remove_cpu(1);
	if (!ret)
		ret = add_cpu(1);
	gate_open(&gate);
	flush_work(&it->work);
	return ret;
}

static void test_hotplug_rebinds_work(void **state)
{
	struct hp_item it = { 0 };

	zsim_test_boot(state, 2, 37);
	assert_int_equal(zsim_run(0, hp_rebind, &it), 0);
	assert_int_equal(it.done, 1);
	assert_int_equal(it.cpu_start, 1);
	assert_int_equal(it.cpu_end, 1);
	zsim_test_shutdown_clean();
}

/* Work queued on a CPU that goes down before it runs still runs, elsewhere. */
static int hp_pending_item(void *arg)
{
	struct ctx *c = arg;
	struct item *blocker = &c->items[0], *pending = &c->items[1];
	int ret;

	/* One slot: the pending item waits behind the gated one. */
	c->wq = alloc_workqueue("wq_hp", 0, 1);
	if (!c->wq)
		return -ENOMEM;
	init_items(c, item_fn);
	blocker->gated = true;
	queue_work(c->wq, &blocker->work);
	if (!wait_for(&blocker->started, 1))
		return -ETIMEDOUT;
	queue_work_on(1, c->wq, &pending->work);
	ret = remove_cpu(1);
	gate_open(&c->gate);
	flush_work(&pending->work);
	c->r[0] = READ_ONCE(pending->runs);
	c->r[1] = pending->cpu;
	c->r[2] = cpu_online(pending->cpu);
	if (!ret)
		ret = add_cpu(1);
	destroy_workqueue(c->wq);
	return ret;
}

static void test_hotplug_pending_work_runs(void **state)
{
	struct ctx c;

	ctx_init(&c);
	zsim_test_boot(state, 3, 41);
	assert_int_equal(zsim_run(0, hp_pending_item, &c), 0);
	assert_int_equal(c.r[0], 1);
	assert_int_not_equal(c.r[1], 1);
	assert_int_equal(c.r[2], 1);
	zsim_test_shutdown_clean();
}

/* While its CPU is up, a per-CPU item stays there across sleeps and points. */
static void stay_fn(struct work_struct *work)
{
	struct hp_item *it = container_of(work, struct hp_item, work);
	int i;

	it->cpu_start = smp_processor_id();
	for (i = 0; i < 20; i++) {
		switch (i % 4) {
		case 0:
			msleep(1);
			break;
		case 1:
			cond_resched();
			break;
		case 2:
			schedule_timeout_uninterruptible(1);
			break;
		default:
			sched_point();
			break;
		}
		if (raw_smp_processor_id() != it->cpu_start)
			it->moved++;
	}
	it->cpu_end = smp_processor_id();
	__atomic_store_n(&it->done, 1, __ATOMIC_RELEASE);
}

static int percpu_items(void *arg)
{
	struct hp_item *items = arg;
	int cpu;

	for (cpu = 0; cpu < 4; cpu++) {
		INIT_WORK(&items[cpu].work, stay_fn);
		schedule_work_on(cpu, &items[cpu].work);
	}
	for (cpu = 0; cpu < 4; cpu++)
		flush_work(&items[cpu].work);
	return 0;
}

/* Run @fn, which runs items[cpu] for each of 4 CPUs: each ran there only. */
static void check_items_stay(void **state, u64 seed, int (*fn)(void *))
{
	struct hp_item items[4] = { 0 };
	struct zsim_config cfg;
	int cpu;

	zsim_test_config(state, &cfg, 4, seed);
	cfg.migrate_permille = 500;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, fn, items), 0);
	for (cpu = 0; cpu < 4; cpu++) {
		assert_int_equal(items[cpu].done, 1);
		assert_int_equal(items[cpu].cpu_start, cpu);
		assert_int_equal(items[cpu].cpu_end, cpu);
		assert_int_equal(items[cpu].moved, 0);
	}
	zsim_test_shutdown_clean();
}

static void test_percpu_work_stays_on_cpu(void **state)
{
	check_items_stay(state, 43, percpu_items);
}

/*
 * schedule_work() (no CPU named, a per-CPU workqueue) runs the item on
 * the queueing task's CPU, as the kernel's __queue_work() picks the local
 * pool: smp_processor_id() in it is valid and it stays there.
 */
static int local_items(void *arg)
{
	struct hp_item *items = arg;
	int cpu;

	for (cpu = 0; cpu < 4; cpu++) {
		sched_bind_current(cpu);
		INIT_WORK(&items[cpu].work, stay_fn);
		schedule_work(&items[cpu].work);
		flush_work(&items[cpu].work);
	}
	sched_bind_current(-1);
	return 0;
}

static void test_schedule_work_runs_locally(void **state)
{
	check_items_stay(state, 44, local_items);
}

/* ---- WQ_MEM_RECLAIM is accepted; schedule_work() uses system_wq ---- */

static int mem_reclaim_and_schedule(void *arg)
{
	struct ctx *c = arg;
	struct workqueue_struct *single;

	c->wq = alloc_workqueue("wq_reclaim", WQ_MEM_RECLAIM, 0);
	single = create_singlethread_workqueue("wq_single");
	if (!c->wq || !single)
		return -ENOMEM;
	init_items(c, item_fn);
	c->r[0] = queue_work(c->wq, &c->items[0].work);
	c->r[1] = queue_work(single, &c->items[1].work);
	flush_workqueue(c->wq);
	flush_workqueue(single);
	c->r[2] = current_is_workqueue_rescuer();

	/* schedule_work() queues on system_wq. */
	c->r[3] = schedule_work(&c->items[2].work);
	flush_scheduled_work();

	/*
	 * Queueing a pending item returns false. The ordered workqueue's one
	 * worker is held in a gated item, so the second item cannot start
	 * (and stop being pending) between the two calls.
	 */
	c->items[3].gated = true;
	queue_work(single, &c->items[3].work);
	if (!wait_for(&c->items[3].started, 1))
		return -ETIMEDOUT;
	c->r[4] = queue_work(single, &c->items[4].work);
	c->r[5] = queue_work(single, &c->items[4].work) ? 2 : 0;
	gate_open(&c->gate);
	flush_workqueue(single);
	destroy_workqueue(single);
	destroy_workqueue(c->wq);
	return 0;
}

static void test_mem_reclaim_and_schedule_work(void **state)
{
	struct ctx c;
	int i;

	ctx_init(&c);
	zsim_test_boot(state, 2, 47);
	assert_int_equal(zsim_run(0, mem_reclaim_and_schedule, &c), 0);
	assert_int_equal(c.r[0], 1);
	assert_int_equal(c.r[1], 1);
	assert_int_equal(c.r[2], 0);
	assert_int_equal(c.r[3], 1);
	assert_int_equal(c.r[4], 1);
	assert_int_equal(c.r[5], 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(c.items[i].runs, 1);
		assert_true(c.items[i].was_worker);
	}
	zsim_test_shutdown_clean();
}

/*
 * check_flush_dependency(): memory reclaim that flushes a workqueue
 * without WQ_MEM_RECLAIM is warned about, once per kind, as in the
 * kernel: an item of a WQ_MEM_RECLAIM workqueue flushing a system_wq item,
 * and a PF_MEMALLOC task flushing system_wq. Flushing a WQ_MEM_RECLAIM
 * workqueue, or from a task outside reclaim, is silent.
 */
static struct {
	struct work_struct target, flusher;
	struct workqueue_struct *reclaim_wq;
	unsigned long warned;
} fd;

static void fd_target_fn(struct work_struct *work)
{
	msleep(1);
}

static void fd_flusher_fn(struct work_struct *work)
{
	schedule_work(&fd.target);
	flush_work(&fd.target);
}

static int flush_dependency(void *arg)
{
	unsigned int noreclaim;

	fd.reclaim_wq = alloc_workqueue("wq_fd", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!fd.reclaim_wq)
		return -ENOMEM;
	INIT_WORK(&fd.target, fd_target_fn);
	INIT_WORK(&fd.flusher, fd_flusher_fn);
	/* Outside reclaim, and reclaim flushing a reclaim workqueue: silent. */
	schedule_work(&fd.target);
	flush_work(&fd.target);
	noreclaim = memalloc_noreclaim_save();
	queue_work(fd.reclaim_wq, &fd.target);
	flush_work(&fd.target);
	flush_workqueue(fd.reclaim_wq);
	memalloc_noreclaim_restore(noreclaim);
	fd.warned = zsim_warnings();
	/* A reclaim workqueue's item flushing system_wq. */
	queue_work(fd.reclaim_wq, &fd.flusher);
	flush_workqueue(fd.reclaim_wq);
	/* A PF_MEMALLOC task flushing system_wq. */
	noreclaim = memalloc_noreclaim_save();
	schedule_work(&fd.target);
	flush_work(&fd.target);
	memalloc_noreclaim_restore(noreclaim);
	destroy_workqueue(fd.reclaim_wq);
	return 0;
}

static void test_flush_dependency_warns(void **state)
{
	struct zsim_config cfg;

	memset(&fd, 0, sizeof(fd));
	zsim_test_config(state, &cfg, 2, 48);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, flush_dependency, NULL), 0);
	assert_int_equal(fd.warned, 0);
	assert_int_equal(zsim_warnings(), 2);
	assert_non_null(strstr(zsim_first_report(),
			       "WQ_MEM_RECLAIM wq_fd:"));
	assert_int_equal(zsim_machine_stop(), 2);
}

/* ---- the controlled backend is deterministic with workers too ---- */

static void run_scenario(uint64_t seed, char *schedule, size_t len, int *order)
{
	struct zsim_config cfg;
	struct ctx c;

	zsim_config_init(&cfg);
	cfg.backend = ZSIM_CONTROLLED;
	cfg.nr_cpus = 4;
	cfg.seed = seed;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	ctx_init(&c);
	assert_int_equal(zsim_run(0, max_active_three, &c), 0);
	memcpy(order, c.order, sizeof(c.order));
	snprintf(schedule, len, "%s", zsim_schedule());
	zsim_test_shutdown_clean();
}

static void test_deterministic(void **state)
{
	static char s1[1 << 16], s2[1 << 16];
	int o1[4 * NR_ITEMS], o2[4 * NR_ITEMS];

	run_scenario(77, s1, sizeof(s1), o1);
	run_scenario(77, s2, sizeof(s2), o2);
	assert_true(strlen(s1) > 8);
	assert_string_equal(s1, s2);
	assert_memory_equal(o1, o2, sizeof(o1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST_BOTH(test_runs_in_worker),
		TEST_BOTH(test_queue_pending_returns_false),
		TEST_BOTH(test_max_active),
		TEST_BOTH(test_ordered),
		TEST_BOTH(test_non_reentrant),
		TEST_BOTH(test_flush_work_waits_running),
		TEST_BOTH(test_cancel_pending),
		TEST_BOTH(test_cancel_waits_running),
		TEST_BOTH(test_self_requeue),
		TEST_BOTH(test_delayed_work_fires_after_delay),
		TEST_BOTH(test_mod_delayed_work),
		TEST_BOTH(test_cancel_delayed_work),
		TEST_CONTROLLED(test_virtual_time_delay),
		TEST_BOTH(test_destroy_drains),
		TEST_BOTH(test_queue_work_on_cpu),
		TEST_BOTH(test_hotplug_unbinds_running_work),
		TEST_BOTH(test_hotplug_rebinds_work),
		TEST_BOTH(test_hotplug_pending_work_runs),
		TEST_BOTH(test_percpu_work_stays_on_cpu),
		TEST_BOTH(test_schedule_work_runs_locally),
		TEST_BOTH(test_flush_dependency_warns),
		TEST_BOTH(test_mem_reclaim_and_schedule_work),
		TEST_CONTROLLED(test_deterministic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
