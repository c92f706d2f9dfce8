// SPDX-License-Identifier: GPL-2.0-only
/*
 * RCU: grace periods wait for readers, callbacks run after them in the
 * rcu_cb kthread, rcu_barrier(), kfree_rcu(), atomic context (preemption,
 * bh or irqs disabled, spinlocks held) as a reader, the RCU lists, and the
 * PROVE_RCU reports. Orderings are forced with flags and wait queues, so
 * every test means the same in both backends.
 */
#include <linux/kernel.h>
#include <linux/poison.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <string.h>
#ifdef ZSIM_SANITIZE
#include <sanitizer/asan_interface.h>
#endif

#include "zsim_test.h"

#define OBJ_MAGIC	0x1234abcd

struct obj {
	int			magic;
	int			val;
	struct list_head	list;
	struct hlist_node	hnode;
	struct rcu_head		rh;
};

/* Has @p been freed? Decided without touching freed memory under ASan. */
static bool obj_freed(const struct obj *p)
{
#ifdef ZSIM_SANITIZE
	return __asan_address_is_poisoned(&p->magic);
#else
	unsigned int m = (unsigned int)READ_ONCE(p->magic);

	return m == 0x6b6b6b6bU || (m & 0xff) == POISON_FREE;
#endif
}

static struct obj *obj_new(int val)
{
	struct obj *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p) {
		p->magic = OBJ_MAGIC;
		p->val = val;
	}
	return p;
}

static void obj_free_cb(struct rcu_head *rh)
{
	kfree(container_of(rh, struct obj, rh));
}

/* Spin inside a reader: scheduling points, never sleeping. */
static void spin(int n)
{
	while (n-- > 0) {
		sched_point();
		__builtin_ia32_pause();
	}
}

static unsigned long next_seq(unsigned long *seq)
{
	return __atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
}

static struct zsim_config quiet_config(void **state, unsigned int cpus, u64 seed)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, cpus, seed);
	cfg.quiet = true;
	return cfg;
}

/* ---- synchronize_rcu() waits for a reader that started before it ---- */

struct gp_ctx {
	struct wait_queue_head	wq;
	int			entered;
	int			sync_started;
	unsigned long		seq;
	unsigned long		reader_left;
	unsigned long		sync_done;
};

static int gp_reader(void *arg)
{
	struct gp_ctx *c = arg;

	rcu_read_lock();
	WRITE_ONCE(c->entered, 1);
	wake_up_all(&c->wq);
	while (!READ_ONCE(c->sync_started))
		spin(1);
	/* Long enough for a broken grace period to end under us. */
	spin(200);
	c->reader_left = next_seq(&c->seq);
	rcu_read_unlock();
	return 0;
}

static int gp_updater(void *arg)
{
	struct gp_ctx *c = arg;

	wait_event(c->wq, READ_ONCE(c->entered));
	WRITE_ONCE(c->sync_started, 1);
	synchronize_rcu();
	c->sync_done = next_seq(&c->seq);
	return 0;
}

static void test_synchronize_waits_for_reader(void **state)
{
	struct gp_ctx c = { 0 };
	struct zsim_task *r, *u;
	int round;

	zsim_test_boot(state, 2, 7);
	for (round = 0; round < 3; round++) {
		memset(&c, 0, sizeof(c));
		init_waitqueue_head(&c.wq);
		assert_non_null(r = zsim_spawn(round & 1, gp_reader, &c, "reader"));
		assert_non_null(u = zsim_spawn(!(round & 1), gp_updater, &c, "updater"));
		assert_int_equal(zsim_join(u), 0);
		assert_int_equal(zsim_join(r), 0);
		assert_true(c.reader_left > 0);
		assert_true(c.sync_done > c.reader_left);
	}
	zsim_test_shutdown_clean();
}

/* A grace period with nobody reading ends; nested sections count once. */
static int sync_alone(void *arg)
{
	int i;

	for (i = 0; i < 5; i++)
		synchronize_rcu();
	rcu_read_lock();
	rcu_read_lock_bh();
	rcu_read_lock_sched();
	if (!rcu_read_lock_held() || current->rcu_read_lock_nesting != 3)
		return -1;
	rcu_read_unlock_sched();
	rcu_read_unlock_bh();
	rcu_read_unlock();
	if (rcu_read_lock_held() || current->rcu_read_lock_nesting)
		return -2;
	synchronize_rcu();
	synchronize_rcu_expedited();
	return 0;
}

static void test_synchronize_alone(void **state)
{
	zsim_test_boot(state, 2, 3);
	assert_int_equal(zsim_run(1, sync_alone, NULL), 0);
	/* From the test thread: runs in a task for us. */
	synchronize_rcu();
	rcu_barrier();
	zsim_test_shutdown_clean();
}

/* ---- call_rcu(): after the grace period, in the rcu_cb kthread ---- */

struct cb_ctx {
	struct gp_ctx		gp;
	struct rcu_head		rh;
	struct task_struct	*caller;
	struct task_struct	*cb_task;
	char			cb_comm[TASK_COMM_LEN];
	int			cb_softirq;
	unsigned long		cb_seq;
	int			calls;
};

static void cb_func(struct rcu_head *rh)
{
	struct cb_ctx *c = container_of(rh, struct cb_ctx, rh);

	c->cb_task = current;
	memcpy(c->cb_comm, current->comm, TASK_COMM_LEN);
	c->cb_softirq = in_softirq() != 0;
	c->cb_seq = next_seq(&c->gp.seq);
	c->calls++;
}

static int cb_reader(void *arg)
{
	return gp_reader(arg);	/* struct gp_ctx is first in struct cb_ctx */
}

static int cb_updater(void *arg)
{
	struct cb_ctx *c = arg;

	wait_event(c->gp.wq, READ_ONCE(c->gp.entered));
	c->caller = current;
	call_rcu(&c->rh, cb_func);
	/* Not run in our context, not before the grace period. */
	if (c->calls)
		return -1;
	WRITE_ONCE(c->gp.sync_started, 1);
	rcu_barrier();
	return c->calls == 1 ? 0 : -2;
}

static void test_call_rcu_after_grace_period(void **state)
{
	struct cb_ctx c = { 0 };
	struct zsim_task *r, *u;

	init_waitqueue_head(&c.gp.wq);
	zsim_test_boot(state, 2, 11);
	assert_non_null(r = zsim_spawn(0, cb_reader, &c, "reader"));
	assert_non_null(u = zsim_spawn(1, cb_updater, &c, "updater"));
	assert_int_equal(zsim_join(u), 0);
	assert_int_equal(zsim_join(r), 0);
	assert_int_equal(c.calls, 1);
	assert_true(c.cb_seq > c.gp.reader_left);
	assert_ptr_not_equal(c.cb_task, c.caller);
	assert_string_equal(c.cb_comm, "rcu_cb");
	assert_true(c.cb_softirq);
	zsim_test_shutdown_clean();
}

/* ---- rcu_barrier() waits for every callback queued before it ---- */

#define NR_CBS	64

struct barrier_ctx {
	struct rcu_head	rh[NR_CBS];
	int		order[NR_CBS];
	int		ran;
	int		not_freed;
};

static struct barrier_ctx *barrier_ctx;

static void barrier_cb(struct rcu_head *rh)
{
	struct barrier_ctx *b = barrier_ctx;

	b->order[b->ran++] = (int)(rh - b->rh);
}

static int queue_and_barrier(void *arg)
{
	struct barrier_ctx *b = arg;
	struct obj *objs[NR_CBS];
	int i;

	for (i = 0; i < NR_CBS; i++) {
		objs[i] = obj_new(i);
		if (!objs[i])
			return -ENOMEM;
	}
	for (i = 0; i < NR_CBS; i++) {
		call_rcu(&b->rh[i], barrier_cb);
		kfree_rcu(objs[i], rh);
		if (i % 8 == 0)
			spin(3);
	}
	rcu_barrier();
	if (b->ran != NR_CBS)
		return -1;
	for (i = 0; i < NR_CBS; i++) {
		if (b->order[i] != i)
			return -2;
		if (!obj_freed(objs[i]))
			b->not_freed++;	/* kfree_rcu() lost or late */
	}
	/* Nothing queued: returns at once. */
	rcu_barrier();
	return 0;
}

static void test_rcu_barrier(void **state)
{
	static struct barrier_ctx b;

	memset(&b, 0, sizeof(b));
	barrier_ctx = &b;
	zsim_test_boot(state, 3, 5);
	assert_int_equal(zsim_run(2, queue_and_barrier, &b), 0);
	assert_int_equal(b.ran, NR_CBS);
	assert_int_equal(b.not_freed, 0);
	zsim_test_shutdown_clean();
}

/* ---- an object freed too early under RCU is caught ---- */

struct uaf_ctx {
	struct obj __rcu	*gp;
	struct wait_queue_head	wq;
	bool			use_kfree_rcu;
	int			got;
	int			freed;
};

/* 0: intact while we read it, 1: freed under us, 2: garbage. */
static int uaf_reader(void *arg)
{
	struct uaf_ctx *c = arg;
	struct obj *p;
	int ret;

	rcu_read_lock();
	p = rcu_dereference(c->gp);
	if (!p) {
		rcu_read_unlock();
		return -1;
	}
	WRITE_ONCE(c->got, 1);
	wake_up_all(&c->wq);
	while (!READ_ONCE(c->freed))
		spin(1);
	/* Chances for a callback to run, were the grace period wrong. */
	spin(100);
	if (obj_freed(p))
		ret = 1;
	else
		ret = p->magic == OBJ_MAGIC && p->val == 42 ? 0 : 2;
	rcu_read_unlock();
	return ret;
}

static int uaf_updater(void *arg)
{
	struct uaf_ctx *c = arg;
	struct obj *p;

	wait_event(c->wq, READ_ONCE(c->got));
	p = rcu_dereference_protected(c->gp, 1);
	RCU_INIT_POINTER(c->gp, NULL);
	if (c->use_kfree_rcu)
		kfree_rcu(p, rh);
	else
		kfree(p);	/* the bug: a reader may still hold p */
	WRITE_ONCE(c->freed, 1);
	return 0;
}

static int uaf_publish(void *arg)
{
	struct uaf_ctx *c = arg;
	struct obj *p = obj_new(42);

	if (!p)
		return -ENOMEM;
	rcu_assign_pointer(c->gp, p);
	return 0;
}

static int run_uaf(bool use_kfree_rcu)
{
	struct uaf_ctx c = { .use_kfree_rcu = use_kfree_rcu };
	struct zsim_task *r, *u;
	int ret;

	init_waitqueue_head(&c.wq);
	if (zsim_run(0, uaf_publish, &c))
		return -100;
	r = zsim_spawn(0, uaf_reader, &c, "reader");
	u = zsim_spawn(1, uaf_updater, &c, "updater");
	if (!r || !u)
		return -101;
	ret = zsim_join(r);
	if (zsim_join(u))
		return -102;
	rcu_barrier();
	return ret;
}

static void test_early_free_caught(void **state)
{
	zsim_test_boot(state, 2, 13);
	/* kfree() while a reader holds the object: the reader sees it freed. */
	assert_int_equal(run_uaf(false), 1);
	/* kfree_rcu(): intact until the reader leaves, then freed (no leak). */
	assert_int_equal(run_uaf(true), 0);
	assert_int_equal(run_uaf(true), 0);
	zsim_test_shutdown_clean();
}

/* kfree_rcu_mightsleep(): head-less, freed after a grace period. */
static int mightsleep_free(void *arg)
{
	struct obj *p = obj_new(1);
	struct obj *q = obj_new(2);

	if (!p || !q)
		return -ENOMEM;
	rcu_read_lock();
	rcu_read_unlock();
	kfree_rcu_mightsleep(p);
	kvfree_rcu_mightsleep(q);
	kfree_rcu_mightsleep((struct obj *)NULL);
	rcu_barrier();
	return obj_freed(p) && obj_freed(q) ? 0 : -1;
}

static void test_kfree_rcu_mightsleep(void **state)
{
	zsim_test_boot(state, 2, 17);
	assert_int_equal(zsim_run(1, mightsleep_free, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- RCU lists: readers never see a freed entry ---- */

#define LIST_LEN	6
#define NR_READERS	2

struct list_ctx {
	struct list_head	head;
	struct hlist_head	hhead;
	int			stop;
	int			bad;		/* freed or garbage entries seen */
	int			walks;
	int			writer_ops;
};

static int list_reader(void *arg)
{
	struct list_ctx *c = arg;
	struct obj *p, *first;
	int n;

	while (!READ_ONCE(c->stop)) {
		rcu_read_lock();
		n = 0;
		list_for_each_entry_rcu(p, &c->head, list) {
			if (obj_freed(p) || p->magic != OBJ_MAGIC)
				__atomic_fetch_add(&c->bad, 1, __ATOMIC_RELAXED);
			n++;
		}
		first = list_first_or_null_rcu(&c->head, struct obj, list);
		if (first && (obj_freed(first) || first->magic != OBJ_MAGIC))
			__atomic_fetch_add(&c->bad, 1, __ATOMIC_RELAXED);
		hlist_for_each_entry_rcu(p, &c->hhead, hnode) {
			if (obj_freed(p) || p->magic != OBJ_MAGIC)
				__atomic_fetch_add(&c->bad, 1, __ATOMIC_RELAXED);
		}
		rcu_read_unlock();
		if (n > 2 * LIST_LEN)
			__atomic_fetch_add(&c->bad, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&c->walks, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static void wait_for_walks(struct list_ctx *c, int n)
{
	while (__atomic_load_n(&c->walks, __ATOMIC_RELAXED) < n)
		schedule_timeout_uninterruptible(1);
}

/* The only updater, so it needs no lock of its own. */
static int list_writer(void *arg)
{
	struct list_ctx *c = arg;
	struct obj *p, *n, *old;
	int i, op;

	for (i = 0; i < LIST_LEN; i++) {
		if (!(p = obj_new(i)))
			return -ENOMEM;
		list_add_tail_rcu(&p->list, &c->head);
		if (!(p = obj_new(i)))
			return -ENOMEM;
		hlist_add_head_rcu(&p->hnode, &c->hhead);
	}
	for (op = 0; op < 120; op++) {
		/* Make sure readers walk while we update, however busy the host. */
		if (op % 30 == 0)
			wait_for_walks(c, __atomic_load_n(&c->walks, __ATOMIC_RELAXED) + NR_READERS);
		switch (op % 4) {
		case 0:	/* replace the first entry */
			old = list_first_entry(&c->head, struct obj, list);
			if (!(n = obj_new(op)))
				return -ENOMEM;
			list_replace_rcu(&old->list, &n->list);
			kfree_rcu(old, rh);
			break;
		case 1:	/* move the last entry to the front, via a copy */
			old = list_last_entry(&c->head, struct obj, list);
			list_del_rcu(&old->list);
			if (!(n = obj_new(op)))
				return -ENOMEM;
			list_add_rcu(&n->list, &c->head);
			call_rcu(&old->rh, obj_free_cb);
			break;
		case 2:	/* swap an hlist entry */
			old = hlist_entry(c->hhead.first, struct obj, hnode);
			hlist_del_rcu(&old->hnode);
			if (!(n = obj_new(op)))
				return -ENOMEM;
			hlist_add_head_rcu(&n->hnode, &c->hhead);
			kfree_rcu(old, rh);
			break;
		default:	/* wait for readers ourselves, then free */
			old = list_first_entry(&c->head, struct obj, list);
			list_del_rcu(&old->list);
			synchronize_rcu();
			kfree(old);
			if (!(n = obj_new(op)))
				return -ENOMEM;
			list_add_tail_rcu(&n->list, &c->head);
			break;
		}
		c->writer_ops++;
	}
	WRITE_ONCE(c->stop, 1);
	return 0;
}

static int list_teardown(void *arg)
{
	struct list_ctx *c = arg;
	struct obj *p, *n;
	struct hlist_node *t;

	list_for_each_entry_safe(p, n, &c->head, list) {
		list_del_rcu(&p->list);
		kfree_rcu(p, rh);
	}
	hlist_for_each_entry_safe(p, t, &c->hhead, hnode) {
		hlist_del_init_rcu(&p->hnode);
		if (!hlist_unhashed(&p->hnode))
			return -1;
		kfree_rcu(p, rh);
	}
	rcu_barrier();
	return 0;
}

static void run_list_scenario(struct list_ctx *c)
{
	struct zsim_task *r[NR_READERS], *w;
	int i;

	memset(c, 0, sizeof(*c));
	INIT_LIST_HEAD(&c->head);
	INIT_HLIST_HEAD(&c->hhead);
	assert_non_null(w = zsim_spawn(0, list_writer, c, "writer"));
	for (i = 0; i < NR_READERS; i++)
		assert_non_null(r[i] = zsim_spawn(1 + i, list_reader, c, "reader"));
	assert_int_equal(zsim_join(w), 0);
	for (i = 0; i < NR_READERS; i++)
		assert_int_equal(zsim_join(r[i]), 0);
	assert_int_equal(zsim_run(0, list_teardown, c), 0);
}

static void test_rculist_readers(void **state)
{
	struct list_ctx c;

	zsim_test_boot(state, 3, 19);
	run_list_scenario(&c);
	assert_int_equal(c.writer_ops, 120);
	assert_int_equal(c.bad, 0);
	assert_true(c.walks > 0);
	zsim_test_shutdown_clean();
}

/* The controlled backend repeats a run exactly from its seed. */
static void test_rculist_deterministic(void **state)
{
	struct list_ctx c1, c2;
	char *sched1;

	zsim_test_boot(state, 3, 23);
	run_list_scenario(&c1);
	zsim_test_shutdown_clean();
	sched1 = strdup(zsim_schedule());
	assert_non_null(sched1);
	assert_true(strlen(sched1) > 10);

	zsim_test_boot(state, 3, 23);
	run_list_scenario(&c2);
	zsim_test_shutdown_clean();
	assert_string_equal(sched1, zsim_schedule());
	assert_int_equal(c1.walks, c2.walks);
	free(sched1);
}

/* ---- atomic context is a reader: preemption, bh or irqs disabled ---- */

enum atomic_kind {
	AK_PREEMPT,		/* preempt_disable() */
	AK_SPIN,		/* spin_lock() */
	AK_SPIN_IRQSAVE,	/* spin_lock_irqsave() */
	AK_BH,			/* local_bh_disable() */
	AK_IRQ,			/* local_irq_disable() */
	AK_SCHED,		/* rcu_read_lock_sched() */
	AK_BH_READER,		/* rcu_read_lock_bh() */
	AK_RCU_OUTER,		/* rcu_read_lock(), preemption toggled inside */
	AK_PREEMPT_OUTER,	/* preempt_disable(), a reader begun and ended inside */
	NR_ATOMIC_KINDS,
};

struct atomic_ctx {
	struct obj __rcu	*gp;
	spinlock_t		lock;
	struct wait_queue_head	wq;
	enum atomic_kind	kind;
	bool			use_call_rcu;
	int			entered;
	int			freeing;
};

static void atomic_enter(struct atomic_ctx *c, unsigned long *flags)
{
	switch (c->kind) {
	case AK_PREEMPT:
	case AK_PREEMPT_OUTER:
		preempt_disable();
		break;
	case AK_SPIN:
		spin_lock(&c->lock);
		break;
	case AK_SPIN_IRQSAVE:
		spin_lock_irqsave(&c->lock, *flags);
		break;
	case AK_BH:
		local_bh_disable();
		break;
	case AK_IRQ:
		local_irq_disable();
		break;
	case AK_SCHED:
		rcu_read_lock_sched();
		break;
	case AK_BH_READER:
		rcu_read_lock_bh();
		break;
	default:
		rcu_read_lock();
		break;
	}
}

static void atomic_leave(struct atomic_ctx *c, unsigned long flags)
{
	switch (c->kind) {
	case AK_PREEMPT:
	case AK_PREEMPT_OUTER:
		preempt_enable();
		break;
	case AK_SPIN:
		spin_unlock(&c->lock);
		break;
	case AK_SPIN_IRQSAVE:
		spin_unlock_irqrestore(&c->lock, flags);
		break;
	case AK_BH:
		local_bh_enable();
		break;
	case AK_IRQ:
		local_irq_enable();
		break;
	case AK_SCHED:
		rcu_read_unlock_sched();
		break;
	case AK_BH_READER:
		rcu_read_unlock_bh();
		break;
	default:
		rcu_read_unlock();
		break;
	}
}

/*
 * Hold @p across scheduling points until it is freed (a broken grace
 * period) or long enough for a broken one to have ended: 300 points, and
 * in the free-running backend also 30 ms, since the updater runs in
 * parallel there.
 */
static void hold_object(struct obj *p)
{
	u64 start = sched_clock_ns();
	int i;

	for (i = 0; !obj_freed(p); i++) {
		if (i >= 300 && (sim_controlled() || sched_clock_ns() - start > 30000000ULL))
			break;
		spin(1);
	}
}

/* 0: intact all along, 1: freed under us, 2: garbage, <0: setup. */
static int atomic_reader(void *arg)
{
	struct atomic_ctx *c = arg;
	unsigned long flags = 0;
	struct obj *p;
	int ret;

	/* The updater stays on the other CPU: it must run while we hold ours. */
	migrate_disable();
	atomic_enter(c, &flags);
	if (c->kind == AK_BH || c->kind == AK_BH_READER)
		p = rcu_dereference_bh(c->gp);
	else if (c->kind == AK_RCU_OUTER)
		p = rcu_dereference(c->gp);
	else
		p = rcu_dereference_sched(c->gp);
	if (!p) {
		atomic_leave(c, flags);
		migrate_enable();
		return -1;
	}
	if (c->kind == AK_RCU_OUTER) {
		/* Leaving atomic context is no quiescent state inside a reader. */
		preempt_disable();
		preempt_enable();
		spin_lock(&c->lock);
		spin_unlock(&c->lock);
	} else if (c->kind == AK_PREEMPT_OUTER) {
		/* Nor is leaving a reader inside atomic context. */
		rcu_read_lock();
		rcu_read_unlock();
	}
	WRITE_ONCE(c->entered, 1);
	wake_up_all(&c->wq);
	while (!READ_ONCE(c->freeing))
		spin(1);
	hold_object(p);
	if (obj_freed(p))
		ret = 1;
	else
		ret = p->magic == OBJ_MAGIC && p->val == 42 ? 0 : 2;
	atomic_leave(c, flags);
	migrate_enable();
	return ret;
}

static int atomic_updater(void *arg)
{
	struct atomic_ctx *c = arg;
	struct obj *p;

	migrate_disable();
	wait_event(c->wq, READ_ONCE(c->entered));
	p = rcu_dereference_protected(c->gp, 1);
	RCU_INIT_POINTER(c->gp, NULL);
	WRITE_ONCE(c->freeing, 1);
	if (c->use_call_rcu) {
		call_rcu(&p->rh, obj_free_cb);
	} else {
		synchronize_rcu();
		kfree(p);
	}
	migrate_enable();
	return 0;
}

static int atomic_publish(void *arg)
{
	struct atomic_ctx *c = arg;
	struct obj *p = obj_new(42);

	if (!p)
		return -ENOMEM;
	rcu_assign_pointer(c->gp, p);
	return 0;
}

static int run_atomic_reader(enum atomic_kind kind, bool use_call_rcu, int round)
{
	struct atomic_ctx c = { .kind = kind, .use_call_rcu = use_call_rcu };
	struct zsim_task *r, *u;
	int ret;

	spin_lock_init(&c.lock);
	init_waitqueue_head(&c.wq);
	if (zsim_run(0, atomic_publish, &c))
		return -100;
	r = zsim_spawn(round & 1, atomic_reader, &c, "reader");
	u = zsim_spawn(!(round & 1), atomic_updater, &c, "updater");
	if (!r || !u)
		return -101;
	ret = zsim_join(r);
	if (zsim_join(u))
		return -102;
	rcu_barrier();
	return ret;
}

static void test_atomic_reader_waited_for(void **state)
{
	int kind, ret;

	zsim_test_boot(state, 2, 43);
	for (kind = 0; kind < NR_ATOMIC_KINDS; kind++) {
		/* synchronize_rcu() + kfree(): never freed under the reader. */
		ret = run_atomic_reader(kind, false, kind);
		if (ret)
			fail_msg("kind %d, synchronize_rcu(): reader result %d", kind, ret);
	}
	zsim_test_shutdown_clean();
}

static void test_atomic_reader_delays_callbacks(void **state)
{
	int kind, ret;

	zsim_test_boot(state, 2, 47);
	for (kind = 0; kind < NR_ATOMIC_KINDS; kind++) {
		/* call_rcu(): the callback waits for the reader too. */
		ret = run_atomic_reader(kind, true, kind + 1);
		if (ret)
			fail_msg("kind %d, call_rcu(): reader result %d", kind, ret);
	}
	zsim_test_shutdown_clean();
}

/* synchronize_rcu() in atomic context is reported and does not deadlock. */
static int sync_in_atomic(void *arg)
{
	spinlock_t *lock = arg;

	spin_lock(lock);
	synchronize_rcu();
	spin_unlock(lock);
	preempt_disable();
	preempt_enable();
	synchronize_rcu();	/* fine again */
	return 0;
}

static void test_sync_in_atomic_reported(void **state)
{
	struct zsim_config cfg = quiet_config(state, 2, 53);
	spinlock_t lock;

	spin_lock_init(&lock);
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(1, sync_in_atomic, &lock), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_ATOMIC), 1);
	assert_non_null(strstr(zsim_first_report(), "sleeping function called from invalid context"));
	assert_int_equal(zsim_machine_stop(), 1);
}

/* ---- PROVE_RCU reports ---- */

static int sync_in_reader(void *arg)
{
	rcu_read_lock();
	synchronize_rcu();	/* reported, and does not deadlock */
	rcu_read_unlock();
	return 0;
}

static int unlock_without_lock(void *arg)
{
	rcu_read_unlock();
	return current->rcu_read_lock_nesting;
}

static struct obj __rcu *check_gp;

static int deref_checks(void *arg)
{
	struct obj *p;

	p = rcu_dereference_check(check_gp, 1);		/* fine: condition */
	rcu_read_lock();
	p = rcu_dereference(check_gp);			/* fine: reader */
	rcu_read_unlock();
	p = rcu_dereference(check_gp);			/* reported */
	p = rcu_dereference_protected(check_gp, 0);	/* reported */
	p = rcu_dereference_raw(check_gp);		/* never checked */
	preempt_disable();
	p = rcu_dereference_sched(check_gp);		/* fine: preemption off */
	preempt_enable();
	(void)p;
	return 0;
}

static void test_prove_rcu_reports(void **state)
{
	struct zsim_config cfg = quiet_config(state, 2, 29);

	assert_int_equal(zsim_machine_start(&cfg), 0);

	assert_int_equal(zsim_run(0, sync_in_reader, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_RCU), 1);
	assert_non_null(strstr(zsim_first_report(),
			       "Illegal synchronize_rcu() in RCU read-side critical section"));

	assert_int_equal(zsim_run(0, unlock_without_lock, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_RCU), 2);

	assert_int_equal(zsim_run(1, deref_checks, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_RCU), 4);
	/* Once per site. */
	assert_int_equal(zsim_run(1, deref_checks, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_RCU), 4);

	assert_int_equal(sim_report_count(SIM_REPORT_ATOMIC), 0);
	assert_int_equal(zsim_machine_stop(), 4);
}

static int deref_outside(void *arg)
{
	struct obj *p = rcu_dereference(check_gp);

	(void)p;
	return 0;
}

static void test_suspicious_dereference_text(void **state)
{
	struct zsim_config cfg = quiet_config(state, 1, 31);

	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, deref_outside, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_RCU), 1);
	assert_non_null(strstr(zsim_first_report(), "suspicious rcu_dereference_check() usage"));
	zsim_machine_stop();
}

/* Sleeping inside a reader is reported by might_sleep(). */
static DECLARE_WAIT_QUEUE_HEAD(never_wq);

static int sleep_in_reader(void *arg)
{
	rcu_read_lock();
	wait_event_timeout(never_wq, false, 1);
	rcu_read_unlock();
	return 0;
}

static void test_sleep_in_reader_reported(void **state)
{
	struct zsim_config cfg = quiet_config(state, 1, 37);

	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, sleep_in_reader, NULL), 0);
	assert_true(sim_report_count(SIM_REPORT_ATOMIC) >= 1);
	zsim_machine_stop();
}

/* A reader that exits inside its section is reported and does not hang GPs. */
static int exiting_reader(void *arg)
{
	struct gp_ctx *c = arg;

	rcu_read_lock();
	WRITE_ONCE(c->entered, 1);
	wake_up_all(&c->wq);
	while (!READ_ONCE(c->sync_started))
		spin(1);
	spin(20);
	return 0;	/* without rcu_read_unlock() */
}

static void test_exit_in_reader(void **state)
{
	struct zsim_config cfg = quiet_config(state, 2, 41);
	struct gp_ctx c = { 0 };
	struct zsim_task *r, *u;

	init_waitqueue_head(&c.wq);
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_non_null(r = zsim_spawn(0, exiting_reader, &c, "reader"));
	assert_non_null(u = zsim_spawn(1, gp_updater, &c, "updater"));
	assert_int_equal(zsim_join(u), 0);
	assert_int_equal(zsim_join(r), 0);
	assert_true(c.sync_done > 0);
	assert_int_equal(sim_report_count(SIM_REPORT_RCU), 1);
	assert_non_null(strstr(zsim_first_report(), "RCU read-side critical section"));
	/* Later grace periods are not held up either. */
	synchronize_rcu();
	assert_int_equal(zsim_machine_stop(), 1);
}

static int stop_machine_if_running(void **state)
{
	if (zsim_machine_running())
		zsim_machine_stop();
	return 0;
}

int main(void)
{
	struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_synchronize_waits_for_reader),
		ZSIM_TEST_BOTH(test_synchronize_alone),
		ZSIM_TEST_BOTH(test_call_rcu_after_grace_period),
		ZSIM_TEST_BOTH(test_rcu_barrier),
		ZSIM_TEST_BOTH(test_early_free_caught),
		ZSIM_TEST_BOTH(test_kfree_rcu_mightsleep),
		ZSIM_TEST_BOTH(test_atomic_reader_waited_for),
		ZSIM_TEST_BOTH(test_atomic_reader_delays_callbacks),
		ZSIM_TEST_BOTH(test_sync_in_atomic_reported),
		ZSIM_TEST_BOTH(test_rculist_readers),
		ZSIM_TEST_CONTROLLED(test_rculist_deterministic),
		ZSIM_TEST_BOTH(test_prove_rcu_reports),
		ZSIM_TEST_BOTH(test_suspicious_dereference_text),
		ZSIM_TEST_BOTH(test_sleep_in_reader_reported),
		ZSIM_TEST_BOTH(test_exit_in_reader),
	};
	size_t i;

	/* A failed test must not leave its machine running for the next. */
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		tests[i].teardown_func = stop_machine_if_running;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
