// SPDX-License-Identifier: GPL-2.0-only
/*
 * list_lru: per-node and per-memcg lists, counts, every walk status with
 * its lock contract, restarts and nr_to_walk accounting, putback,
 * memcg_list_lru_alloc() and its failure, reparenting on offline, the
 * _obj variants, concurrent adds, deletes and walks on two nodes, and
 * walks whose callbacks drop the lock while the memcg goes offline.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <sim/memcg.h>
#include <string.h>

#include "memcg_teardown.h"
#include "zsim_test.h"

#define NR_ITEMS 16

struct item {
	struct list_head lru;
	int id;
	int action;		/* enum lru_status to return, or -1: REMOVED */
	int retries;		/* LRU_RETRY/REMOVED_RETRY this many times first */
};

struct walk_ctx {
	struct list_lru lru;
	struct item items[NR_ITEMS];
	int visited[64];
	int nr_visited;
	unsigned long nr_to_walk, isolated;
	long counts[8];
	struct list_head dispose;
	bool putback;
	int nid;
	struct mem_cgroup *memcg;
};

static void boot(void **state, unsigned int cpus, bool quiet)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, cpus, 5);
	cfg.nr_nodes = 2;
	cfg.quiet = quiet;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

static void init_items(struct walk_ctx *c)
{
	int i;

	for (i = 0; i < NR_ITEMS; i++) {
		INIT_LIST_HEAD(&c->items[i].lru);
		c->items[i].id = i;
		c->items[i].action = LRU_REMOVED;
		c->items[i].retries = 0;
	}
	INIT_LIST_HEAD(&c->dispose);
	c->nr_visited = 0;
}

/* ---- basics ---- */

static int basic_task(void *arg)
{
	struct walk_ctx *c = arg;
	int i;

	if (list_lru_init(&c->lru))
		return -ENOMEM;
	init_items(c);
	for (i = 0; i < 6; i++)
		if (!list_lru_add(&c->lru, &c->items[i].lru, i & 1, NULL))
			return -1;
	if (list_lru_add(&c->lru, &c->items[0].lru, 0, NULL))
		return -2;	/* already on a list */
	c->counts[0] = list_lru_count_one(&c->lru, 0, NULL);
	c->counts[1] = list_lru_count_node(&c->lru, 1);
	c->counts[2] = list_lru_count(&c->lru);
	if (!list_lru_del(&c->lru, &c->items[1].lru, 1, NULL) ||
	    list_lru_del(&c->lru, &c->items[1].lru, 1, NULL))
		return -3;
	c->counts[3] = list_lru_count_node(&c->lru, 1);
	for (i = 0; i < 6; i++)
		list_lru_del(&c->lru, &c->items[i].lru, i & 1, NULL);
	c->counts[4] = list_lru_count(&c->lru);
	list_lru_destroy(&c->lru);
	list_lru_destroy(&c->lru);	/* twice is fine */
	return 0;
}

static void test_basic(void **state)
{
	static struct walk_ctx c;

	boot(state, 2, false);
	assert_int_equal(zsim_run(0, basic_task, &c), 0);
	assert_int_equal(c.counts[0], 3);
	assert_int_equal(c.counts[1], 3);
	assert_int_equal(c.counts[2], 6);
	assert_int_equal(c.counts[3], 2);
	assert_int_equal(c.counts[4], 0);
	zsim_test_shutdown_clean();
}

/* ---- walks ---- */

static enum lru_status isolate_cb(struct list_head *entry, struct list_lru_one *l, void *arg)
{
	struct walk_ctx *c = arg;
	struct item *it = container_of(entry, struct item, lru);

	if (c->nr_visited < 64)
		c->visited[c->nr_visited++] = it->id;
	if (it->retries) {
		it->retries--;
		if (it->action == LRU_REMOVED_RETRY) {
			list_lru_isolate_move(l, entry, &c->dispose);
			spin_unlock(&l->lock);
			return LRU_REMOVED_RETRY;
		}
		/* Drop the lock as a callback that sleeps would. */
		spin_unlock(&l->lock);
		cond_resched();
		return LRU_RETRY;
	}
	switch (it->action) {
	case LRU_REMOVED:
		list_lru_isolate_move(l, entry, &c->dispose);
		return LRU_REMOVED;
	case LRU_STOP:
		spin_unlock(&l->lock);
		return LRU_STOP;
	case LRU_SKIP:
		if (c->putback) {
			/* Isolate, change our mind, put it back. */
			list_lru_isolate(l, entry);
			list_lru_putback(&c->lru, entry, c->nid, c->memcg);
		}
		return LRU_SKIP;
	default:
		return it->action;
	}
}

static int walk_setup(struct walk_ctx *c, int n)
{
	int i;

	if (list_lru_init(&c->lru))
		return -ENOMEM;
	init_items(c);
	for (i = 0; i < n; i++)
		list_lru_add(&c->lru, &c->items[i].lru, 0, NULL);
	return 0;
}

/* Item order on node 0's list, as ids into @out. */
static int list_order(struct walk_ctx *c, int *out)
{
	struct list_lru_one *l = &c->lru.node[0].lru;
	struct item *it;
	int n = 0;

	spin_lock(&l->lock);
	list_for_each_entry(it, &l->list, lru)
		out[n++] = it->id;
	spin_unlock(&l->lock);
	return n;
}

struct walk_out {
	unsigned long budget;	/* in: nr_to_walk */
	unsigned long isolated, left, count;
	int visited[64], nr_visited, order[NR_ITEMS], nr_order, disposed;
};

static void walk_collect(struct walk_ctx *c, struct walk_out *o, unsigned long isolated)
{
	struct item *it;

	o->isolated = isolated;
	o->left = c->nr_to_walk;
	o->count = list_lru_count_node(&c->lru, 0);
	o->nr_order = list_order(c, o->order);
	memcpy(o->visited, c->visited, sizeof(o->visited));
	o->nr_visited = c->nr_visited;
	o->disposed = 0;
	list_for_each_entry(it, &c->dispose, lru)
		o->disposed++;
	while (!list_empty(&c->dispose))
		list_del_init(c->dispose.next);
}

static void walk_teardown(struct walk_ctx *c)
{
	int i;

	for (i = 0; i < NR_ITEMS; i++)
		list_lru_del(&c->lru, &c->items[i].lru, 0, NULL);
	list_lru_destroy(&c->lru);
}

static struct walk_ctx wc;

static int statuses_task(void *arg)
{
	struct walk_out *o = arg;

	if (walk_setup(&wc, 6))
		return -ENOMEM;
	/* 0 removed, 1 rotated, 2 skipped, 3 removed, 4 rotated, 5 skipped */
	wc.items[1].action = wc.items[4].action = LRU_ROTATE;
	wc.items[2].action = wc.items[5].action = LRU_SKIP;
	wc.nr_to_walk = o->budget;
	walk_collect(&wc, o, list_lru_walk_one(&wc.lru, 0, NULL, isolate_cb, &wc,
						&wc.nr_to_walk));
	walk_teardown(&wc);
	return 0;
}

static void test_walk_statuses(void **state)
{
	/* With budget left, rotated items come round again at the tail. */
	static const int want[] = { 0, 1, 2, 3, 4, 5, 1, 4, 1, 4 };
	struct walk_out o;
	int i;

	boot(state, 2, false);
	o.budget = 6;
	assert_int_equal(zsim_run(0, statuses_task, &o), 0);
	assert_int_equal(o.isolated, 2);
	assert_int_equal(o.nr_visited, 6);
	assert_int_equal(o.left, 0);
	assert_int_equal(o.count, 4);
	assert_int_equal(o.disposed, 2);
	/* 2 and 5 stayed; 1 and 4 moved to the tail in that order. */
	assert_int_equal(o.nr_order, 4);
	assert_int_equal(o.order[0], 2);
	assert_int_equal(o.order[1], 5);
	assert_int_equal(o.order[2], 1);
	assert_int_equal(o.order[3], 4);

	o.budget = 10;
	assert_int_equal(zsim_run(1, statuses_task, &o), 0);
	assert_int_equal(o.nr_visited, ARRAY_SIZE(want));
	for (i = 0; i < (int)ARRAY_SIZE(want); i++)
		assert_int_equal(o.visited[i], want[i]);
	assert_int_equal(o.isolated, 2);
	assert_int_equal(o.left, 0);
	zsim_test_shutdown_clean();
}

/* Item 1 asks for two retries, then is removed; 2 is removed with a retry. */
static int retry_task(void *arg)
{
	struct walk_out *o = arg;

	if (walk_setup(&wc, 4))
		return -ENOMEM;
	wc.items[1].retries = 2;
	wc.items[2].action = LRU_REMOVED_RETRY;
	wc.items[2].retries = 1;
	wc.nr_to_walk = 100;
	walk_collect(&wc, o, list_lru_walk_one(&wc.lru, 0, NULL, isolate_cb, &wc,
						&wc.nr_to_walk));
	walk_teardown(&wc);
	return 0;
}

static void test_walk_retry(void **state)
{
	static const int want[] = { 0, 1, 1, 1, 2, 3 };
	struct walk_out o;
	int i;

	boot(state, 2, false);
	assert_int_equal(zsim_run(1, retry_task, &o), 0);
	/*
	 * 0 removed; 1 retried (restart from the head: 1 is first now),
	 * retried, removed; 2 removed with a retry (restart); 3 removed.
	 */
	assert_int_equal(o.nr_visited, ARRAY_SIZE(want));
	for (i = 0; i < (int)ARRAY_SIZE(want); i++)
		assert_int_equal(o.visited[i], want[i]);
	assert_int_equal(o.isolated, 4);
	assert_int_equal(o.left, 100 - ARRAY_SIZE(want));
	assert_int_equal(o.count, 0);
	assert_int_equal(o.disposed, 4);
	zsim_test_shutdown_clean();
}

/* Every item retries forever: nr_to_walk is what ends the walk. */
static int livelock_task(void *arg)
{
	struct walk_out *o = arg;
	int i;

	if (walk_setup(&wc, 3))
		return -ENOMEM;
	for (i = 0; i < 3; i++)
		wc.items[i].retries = 1000;
	wc.nr_to_walk = 7;
	walk_collect(&wc, o, list_lru_walk_one(&wc.lru, 0, NULL, isolate_cb, &wc,
						&wc.nr_to_walk));
	walk_teardown(&wc);
	return 0;
}

static void test_walk_retry_budget(void **state)
{
	struct walk_out o;
	int i;

	boot(state, 2, false);
	assert_int_equal(zsim_run(0, livelock_task, &o), 0);
	assert_int_equal(o.isolated, 0);
	assert_int_equal(o.left, 0);
	assert_int_equal(o.nr_visited, 7);
	for (i = 0; i < 7; i++)
		assert_int_equal(o.visited[i], 0);	/* the head, each restart */
	assert_int_equal(o.count, 3);
	zsim_test_shutdown_clean();
}

static int stop_task(void *arg)
{
	struct walk_out *o = arg;

	if (walk_setup(&wc, 6))
		return -ENOMEM;
	wc.items[3].action = LRU_STOP;
	wc.nr_to_walk = 50;
	walk_collect(&wc, o, list_lru_walk_one(&wc.lru, 0, NULL, isolate_cb, &wc,
						&wc.nr_to_walk));
	walk_teardown(&wc);
	return 0;
}

static void test_walk_stop(void **state)
{
	struct walk_out o;

	boot(state, 2, false);
	assert_int_equal(zsim_run(0, stop_task, &o), 0);
	assert_int_equal(o.isolated, 3);
	assert_int_equal(o.nr_visited, 4);
	assert_int_equal(o.left, 46);
	assert_int_equal(o.count, 3);
	assert_int_equal(o.nr_order, 3);
	assert_int_equal(o.order[0], 3);
	zsim_test_shutdown_clean();
}

static int putback_task(void *arg)
{
	struct walk_out *o = arg;
	int i;

	if (walk_setup(&wc, 3))
		return -ENOMEM;
	for (i = 0; i < 3; i++)
		wc.items[i].action = LRU_SKIP;
	wc.putback = true;
	wc.nid = 0;
	wc.memcg = NULL;
	wc.nr_to_walk = 3;
	walk_collect(&wc, o, list_lru_walk_one(&wc.lru, 0, NULL, isolate_cb, &wc,
						&wc.nr_to_walk));
	wc.putback = false;
	o->left = list_lru_count_one(&wc.lru, 0, NULL);
	walk_teardown(&wc);
	return 0;
}

static void test_putback(void **state)
{
	struct walk_out o;

	boot(state, 2, false);
	assert_int_equal(zsim_run(0, putback_task, &o), 0);
	assert_int_equal(o.isolated, 0);
	assert_int_equal(o.count, 3);	/* node count untouched */
	assert_int_equal(o.left, 3);	/* list count back */
	assert_int_equal(o.nr_visited, 3);
	assert_int_equal(o.nr_order, 3);
	zsim_test_shutdown_clean();
}

/* Callbacks that break the lock contract are reported, not deadlocked. */
static enum lru_status bad_cb(struct list_head *entry, struct list_lru_one *l, void *arg)
{
	int *calls = arg;

	if ((*calls)++ == 0)
		return LRU_RETRY;	/* claims the lock was dropped: it was not */
	spin_unlock(&l->lock);
	return LRU_SKIP;		/* claims it is held: it is not */
}

static int bad_cb_task(void *arg)
{
	unsigned long nr = 2;
	int calls = 0;

	if (walk_setup(&wc, 1))
		return -ENOMEM;
	list_lru_walk_one(&wc.lru, 0, NULL, bad_cb, &calls, &nr);
	walk_teardown(&wc);
	return calls;
}

static void test_walk_lock_contract(void **state)
{
	boot(state, 2, true);
	assert_int_equal(zsim_run(0, bad_cb_task, NULL), 2);
	assert_int_equal(zsim_warnings(), 2);
	assert_int_equal(zsim_machine_stop(), 2);
}

/* ---- memcg-aware lists ---- */

struct memcg_out {
	long c_before, p_before, root, c_after, p_after, node0;
	long added_dying, p_dying, walked_c, walked_node, nr_lists;
	int alloc_fail, alloc_fail2, alloc_ok;
};

static struct item mitems[NR_ITEMS];

static int memcg_lru_task(void *arg)
{
	struct memcg_out *o = arg;
	struct mem_cgroup *p, *c;
	unsigned long nr;
	int i, ret = 0;

	init_items(&wc);
	if (list_lru_init_memcg(&wc.lru, NULL))
		return -ENOMEM;
	p = mem_cgroup_create(NULL, "p");
	c = IS_ERR(p) ? p : mem_cgroup_create(p, "c");
	if (IS_ERR(c)) {
		/* The suite's teardown removes p. */
		list_lru_destroy(&wc.lru);
		return PTR_ERR(c);
	}
	/* Every kmalloc fails (kvmalloc falls back to vmalloc): then it works. */
	zsim_fault_set("kmalloc", 0, 1, 0);
	o->alloc_fail = memcg_list_lru_alloc(c, &wc.lru, GFP_KERNEL);
	zsim_fault_clear_all();
	/* The table is there now; c's own lists fail on their own. */
	if (memcg_list_lru_alloc(p, &wc.lru, GFP_KERNEL))
		ret = -6;
	zsim_fault_set("kmalloc", 0, 0, 1);
	o->alloc_fail2 = memcg_list_lru_alloc(c, &wc.lru, GFP_KERNEL);
	zsim_fault_clear_all();
	o->alloc_ok = memcg_list_lru_alloc(c, &wc.lru, GFP_KERNEL);
	for (i = 0; i < NR_ITEMS; i++)
		INIT_LIST_HEAD(&mitems[i].lru);
	for (i = 0; i < 4; i++)
		list_lru_add(&wc.lru, &mitems[i].lru, 0, c);
	for (i = 4; i < 6; i++)
		list_lru_add(&wc.lru, &mitems[i].lru, 0, p);
	list_lru_add(&wc.lru, &mitems[6].lru, 0, NULL);
	list_lru_add(&wc.lru, &mitems[7].lru, 0, root_mem_cgroup);
	o->c_before = list_lru_count_one(&wc.lru, 0, c);
	o->p_before = list_lru_count_one(&wc.lru, 0, p);
	o->root = list_lru_count_one(&wc.lru, 0, NULL);
	o->node0 = list_lru_count_node(&wc.lru, 0);

	/* Offline c: its items move to p; c's list is dead. */
	if (mem_cgroup_remove(c))
		ret = -2;
	o->c_after = list_lru_count_one(&wc.lru, 0, c);
	o->p_after = list_lru_count_one(&wc.lru, 0, p);
	/* An add for the dying c lands on p's list; a delete finds it there. */
	o->added_dying = list_lru_add(&wc.lru, &mitems[8].lru, 0, c);
	o->p_dying = list_lru_count_one(&wc.lru, 0, p);
	if (!list_lru_del(&wc.lru, &mitems[0].lru, 0, c))
		ret = -3;
	/* Allocating for a dying memcg does nothing. */
	if (memcg_list_lru_alloc(c, &wc.lru, GFP_KERNEL))
		ret = -4;
	nr = 100;
	o->walked_c = list_lru_walk_one(&wc.lru, 0, c, isolate_cb, &wc, &nr);
	/* The whole node: the root's list, then every memcg's. */
	nr = 100;
	o->walked_node = list_lru_walk_node(&wc.lru, 0, isolate_cb, &wc, &nr);
	o->nr_lists = list_lru_count(&wc.lru);
	while (!list_empty(&wc.dispose))
		list_del_init(wc.dispose.next);
	mem_cgroup_put(c);
	if (mem_cgroup_remove(p))
		ret = -5;
	mem_cgroup_put(p);
	list_lru_destroy(&wc.lru);
	return ret;
}

static void test_memcg_lists_and_reparent(void **state)
{
	struct memcg_out o;

	boot(state, 2, true);
	assert_int_equal(zsim_run(0, memcg_lru_task, &o), 0);
	assert_int_equal(o.alloc_fail, -ENOMEM);
	assert_int_equal(o.alloc_fail2, -ENOMEM);
	assert_int_equal(o.alloc_ok, 0);
	assert_int_equal(o.c_before, 4);
	assert_int_equal(o.p_before, 2);
	assert_int_equal(o.root, 2);	/* NULL and root_mem_cgroup: one list */
	assert_int_equal(o.node0, 8);
	assert_int_equal(o.c_after, 0);
	assert_int_equal(o.p_after, 6);
	assert_true(o.added_dying);
	assert_int_equal(o.p_dying, 7);
	assert_int_equal(o.walked_c, 0);	/* nothing left on c's list */
	assert_int_equal(o.walked_node, 8);	/* 2 root + 6 on p */
	assert_int_equal(o.nr_lists, 0);
	assert_int_equal(zsim_warnings(), 0);
	zsim_test_shutdown_clean();
}

static int obj_task(void *arg)
{
	long *out = arg;
	struct page *page = alloc_pages_node(1, GFP_KERNEL, 0);
	struct list_head *in_ram, *in_slab;

	if (!page || list_lru_init(&wc.lru))
		return -ENOMEM;
	in_ram = page_address(page);
	in_slab = kmalloc(sizeof(*in_slab), GFP_KERNEL);
	if (!in_slab)
		return -ENOMEM;
	INIT_LIST_HEAD(in_ram);
	INIT_LIST_HEAD(in_slab);
	out[0] = list_lru_add_obj(&wc.lru, in_ram);
	out[1] = list_lru_add_obj(&wc.lru, in_slab);
	out[2] = list_lru_count_node(&wc.lru, 1);
	out[3] = list_lru_count_node(&wc.lru, 0);
	out[4] = list_lru_del_obj(&wc.lru, in_ram) && list_lru_del_obj(&wc.lru, in_slab);
	out[5] = list_lru_count(&wc.lru);
	list_lru_destroy(&wc.lru);
	kfree(in_slab);
	__free_pages(page, 0);
	return 0;
}

static void test_obj_variants(void **state)
{
	long out[6];

	boot(state, 2, false);
	assert_int_equal(zsim_run(0, obj_task, out), 0);
	assert_true(out[0] && out[1]);
	assert_int_equal(out[2], 1);	/* the page's node */
	assert_int_equal(out[3], 1);	/* host memory: node 0 */
	assert_true(out[4]);
	assert_int_equal(out[5], 0);
	zsim_test_shutdown_clean();
}

/* ---- concurrency ---- */

#define STRESS_ITEMS 64

struct stress {
	struct list_lru lru;
	struct mem_cgroup *memcg;
	struct item items[2][STRESS_ITEMS];
	atomic_t running;
	long walked;
};

static struct stress st;

static int adder_task(void *arg)
{
	long nid = (long)arg;
	int round, i;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < STRESS_ITEMS; i++)
			list_lru_add(&st.lru, &st.items[nid][i].lru, nid,
				     i & 1 ? st.memcg : NULL);
		for (i = 0; i < STRESS_ITEMS; i += 2)
			list_lru_del(&st.lru, &st.items[nid][i].lru, nid, NULL);
		cond_resched();
	}
	atomic_dec(&st.running);
	return 0;
}

/* Rotate whatever it finds: items stay, the lists keep changing. */
static enum lru_status rotate_cb(struct list_head *entry, struct list_lru_one *l, void *arg)
{
	return LRU_ROTATE;
}

static int walker_task(void *arg)
{
	while (atomic_read(&st.running)) {
		unsigned long nr = 16;
		int nid;

		for (nid = 0; nid < 2; nid++)
			list_lru_walk_node(&st.lru, nid, rotate_cb, NULL, &nr);
		st.walked += 16 - nr;
		cond_resched();
	}
	return 0;
}

static int stress_setup_task(void *arg)
{
	int nid, i, err;

	if (list_lru_init_memcg(&st.lru, NULL))
		return -ENOMEM;
	st.memcg = mem_cgroup_create(NULL, "s");
	if (IS_ERR(st.memcg)) {
		list_lru_destroy(&st.lru);
		return PTR_ERR(st.memcg);
	}
	for (nid = 0; nid < 2; nid++)
		for (i = 0; i < STRESS_ITEMS; i++)
			INIT_LIST_HEAD(&st.items[nid][i].lru);
	atomic_set(&st.running, 2);
	st.walked = 0;
	err = memcg_list_lru_alloc(st.memcg, &st.lru, GFP_KERNEL);
	if (err) {
		/* The suite's teardown removes the memcg. */
		mem_cgroup_put(st.memcg);
		list_lru_destroy(&st.lru);
	}
	return err;
}

/* Offline the memcg halfway through the adds: its items go to the root. */
static int stress_remove_task(void *arg)
{
	return mem_cgroup_remove(st.memcg);
}

static int stress_check_task(void *arg)
{
	long *out = arg;
	int nid, i;

	out[0] = list_lru_count_node(&st.lru, 0);
	out[1] = list_lru_count_node(&st.lru, 1);
	out[2] = list_lru_count_one(&st.lru, 0, NULL) + list_lru_count_one(&st.lru, 1, NULL);
	for (nid = 0; nid < 2; nid++)
		for (i = 0; i < STRESS_ITEMS; i++)
			list_lru_del(&st.lru, &st.items[nid][i].lru, nid, st.memcg);
	out[3] = list_lru_count(&st.lru);
	mem_cgroup_put(st.memcg);
	list_lru_destroy(&st.lru);
	return 0;
}

static void test_concurrent_two_nodes(void **state)
{
	struct zsim_task *t[4];
	long out[4];

	boot(state, 4, false);
	assert_int_equal(zsim_run(0, stress_setup_task, NULL), 0);
	/* CPUs 0-1 are node 0, 2-3 node 1. */
	assert_non_null(t[0] = zsim_spawn(0, adder_task, (void *)0L, "add0"));
	assert_non_null(t[1] = zsim_spawn(2, adder_task, (void *)1L, "add1"));
	assert_non_null(t[2] = zsim_spawn(1, walker_task, NULL, "walker"));
	assert_non_null(t[3] = zsim_spawn(3, stress_remove_task, NULL, "rmdir"));
	assert_int_equal(zsim_join(t[0]), 0);
	assert_int_equal(zsim_join(t[1]), 0);
	assert_int_equal(zsim_join(t[2]), 0);
	assert_int_equal(zsim_join(t[3]), 0);
	assert_int_equal(zsim_run(0, stress_check_task, out), 0);
	/* Odd items stay: half of each node's, all on the root's lists now. */
	assert_int_equal(out[0], STRESS_ITEMS / 2);
	assert_int_equal(out[1], STRESS_ITEMS / 2);
	assert_int_equal(out[2], STRESS_ITEMS);
	assert_int_equal(out[3], 0);
	zsim_test_shutdown_clean();
}

/*
 * An isolate callback that drops the lock (zswap's shrink_memcg_cb()
 * writing back) while the memcg goes offline: its lists are reparented
 * and freed before the callback returns. The walk must not touch the
 * freed list again (ASan catches it if it does).
 */
#define RACE_ITEMS 4

struct offline_race {
	struct list_lru lru;
	struct mem_cgroup *parent, *memcg;
	struct item items[RACE_ITEMS];
	enum lru_status status;
	atomic_t dropped, freed;
	unsigned long isolated;
};

static struct offline_race orace;

static enum lru_status drop_and_wait_cb(struct list_head *entry, struct list_lru_one *l,
					void *arg)
{
	struct offline_race *r = arg;

	if (r->status == LRU_REMOVED_RETRY)
		list_lru_isolate(l, entry);
	spin_unlock(&l->lock);
	atomic_set(&r->dropped, 1);
	while (!atomic_read(&r->freed))
		cond_resched();
	return r->status;
}

static int offline_walker_task(void *arg)
{
	unsigned long nr = 2 * RACE_ITEMS;

	orace.isolated = list_lru_walk_one(&orace.lru, 0, orace.memcg, drop_and_wait_cb,
					   &orace, &nr);
	return 0;
}

static int offline_rmdir_task(void *arg)
{
	int ret;

	while (!atomic_read(&orace.dropped))
		cond_resched();
	ret = mem_cgroup_remove(orace.memcg);
	/* The reparented lists are freed after a grace period: wait for it. */
	rcu_barrier();
	atomic_set(&orace.freed, 1);
	return ret;
}

static int offline_race_setup(void *arg)
{
	enum lru_status status = (long)arg;
	int i, err;

	orace.status = status;
	atomic_set(&orace.dropped, 0);
	atomic_set(&orace.freed, 0);
	orace.memcg = mem_cgroup_create(orace.parent, "c");
	if (IS_ERR(orace.memcg))
		return PTR_ERR(orace.memcg);
	err = memcg_list_lru_alloc(orace.memcg, &orace.lru, GFP_KERNEL);
	if (err) {
		mem_cgroup_remove(orace.memcg);
		mem_cgroup_put(orace.memcg);
	}
	for (i = 0; !err && i < RACE_ITEMS; i++) {
		INIT_LIST_HEAD(&orace.items[i].lru);
		list_lru_add(&orace.lru, &orace.items[i].lru, 0, orace.memcg);
	}
	return err;
}

/* What the parent holds after the offline; then empty it and drop c. */
static int offline_race_collect(void *arg)
{
	long *on_parent = arg;
	int i;

	*on_parent = list_lru_count_one(&orace.lru, 0, orace.parent);
	for (i = 0; i < RACE_ITEMS; i++)
		list_lru_del(&orace.lru, &orace.items[i].lru, 0, orace.parent);
	mem_cgroup_put(orace.memcg);
	return 0;
}

static int offline_race_init(void *arg)
{
	if (list_lru_init_memcg(&orace.lru, NULL))
		return -ENOMEM;
	orace.parent = mem_cgroup_create(NULL, "p");
	if (IS_ERR(orace.parent)) {
		list_lru_destroy(&orace.lru);
		return PTR_ERR(orace.parent);
	}
	return 0;
}

static int offline_race_exit(void *arg)
{
	int ret = mem_cgroup_remove(orace.parent);

	mem_cgroup_put(orace.parent);
	list_lru_destroy(&orace.lru);
	return ret;
}

static void test_walk_races_offline(void **state)
{
	static const enum lru_status statuses[] = { LRU_RETRY, LRU_REMOVED_RETRY, LRU_STOP };
	long on_parent[ARRAY_SIZE(statuses)];
	int walked[ARRAY_SIZE(statuses)], rmdir[ARRAY_SIZE(statuses)];
	unsigned long isolated[ARRAY_SIZE(statuses)];
	unsigned int i;

	boot(state, 2, false);
	assert_int_equal(zsim_run(0, offline_race_init, NULL), 0);
	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		struct zsim_task *walker, *remover;

		rmdir[i] = walked[i] = -1;
		if (zsim_run(0, offline_race_setup, (void *)(long)statuses[i]))
			break;
		walker = zsim_spawn(0, offline_walker_task, NULL, "walker");
		remover = zsim_spawn(1, offline_rmdir_task, NULL, "rmdir");
		walked[i] = walker ? zsim_join(walker) : -1;
		rmdir[i] = remover ? zsim_join(remover) : -1;
		isolated[i] = orace.isolated;
		zsim_run(0, offline_race_collect, &on_parent[i]);
	}
	/* Clean up before asserting, so that a failure is reported as itself. */
	assert_int_equal(zsim_run(0, offline_race_exit, NULL), 0);
	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		bool removed = statuses[i] == LRU_REMOVED_RETRY;

		assert_int_equal(walked[i], 0);
		assert_int_equal(rmdir[i], 0);
		/* The first callback's item only; the restart finds c's list dead. */
		assert_int_equal(isolated[i], removed);
		assert_int_equal(on_parent[i], RACE_ITEMS - removed);
	}
	assert_int_equal(zsim_warnings(), 0);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MEMCG_TEST(test_basic),
		MEMCG_TEST(test_walk_statuses),
		MEMCG_TEST(test_walk_retry),
		MEMCG_TEST(test_walk_retry_budget),
		MEMCG_TEST(test_walk_stop),
		MEMCG_TEST(test_putback),
		MEMCG_TEST(test_walk_lock_contract),
		MEMCG_TEST_BOTH(test_memcg_lists_and_reparent),
		MEMCG_TEST(test_obj_variants),
		MEMCG_TEST_BOTH(test_concurrent_two_nodes),
		MEMCG_TEST_BOTH(test_walk_races_offline),
	};

	return cmocka_run_group_tests_name("list_lru", tests, NULL, NULL);
}
