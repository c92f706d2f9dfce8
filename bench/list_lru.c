// SPDX-License-Identifier: GPL-2.0-only
/*
 * list_lru_add() + list_lru_del() of one item, with one task and with two
 * tasks on different NUMA nodes (each on its own node's list), and a
 * list_lru_walk_one() over 1M items, each against a same-run baseline: the
 * same list operations as plain list_add_tail() + list_del_init() (or a
 * list_for_each_safe() walk calling the same callback) under one shim
 * spinlock_t per list.
 *
 * The baseline pays the same lock (scheduling point, owner tracking,
 * lockdep when on), so the ratio is what list_lru adds on top: the
 * per-memcg list lookup under RCU, the dead-list check and the atomic node
 * count. Free-running backend, 4 virtual CPUs on 2 nodes (CPUs 0-1 node 0,
 * 2-3 node 1), root memcg (the node lists), lockdep on and off.
 */
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/list_lru.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <stdbool.h>
#include <stdio.h>
#include <zswapsim.h>

#include "bench.h"

#define WALK_ITEMS	(1UL << 20)

struct plain_list {
	spinlock_t lock;
	struct list_head head;
	long nr;
} ____cacheline_aligned_in_smp;

struct pair_bench {
	struct list_lru lru;
	struct plain_list plain[2];
	struct list_head item[2] ____cacheline_aligned_in_smp;
	struct bench_op ops[2];
	/* Two-task runs. */
	unsigned long iters;
	bool use_lru;
	double two_ns[2][BENCH_REPS];	/* ns per pair per task: lru, plain */
};

static struct pair_bench pb;

static noinline void add_del_lru(int nid, unsigned long iters)
{
	unsigned long i;

	for (i = 0; i < iters; i++) {
		list_lru_add(&pb.lru, &pb.item[nid], nid, NULL);
		bench_keep(&pb.item[nid]);
		list_lru_del(&pb.lru, &pb.item[nid], nid, NULL);
	}
}

static noinline void add_del_plain(int nid, unsigned long iters)
{
	struct plain_list *pl = &pb.plain[nid];
	unsigned long i;

	for (i = 0; i < iters; i++) {
		spin_lock(&pl->lock);
		list_add_tail(&pb.item[nid], &pl->head);
		pl->nr++;
		spin_unlock(&pl->lock);
		bench_keep(&pb.item[nid]);
		spin_lock(&pl->lock);
		list_del_init(&pb.item[nid]);
		pl->nr--;
		spin_unlock(&pl->lock);
	}
}

static void run_lru(void *arg, unsigned long iters)
{
	add_del_lru(0, iters);
}

static void run_plain(void *arg, unsigned long iters)
{
	add_del_plain(0, iters);
}

static int pair_task(void *arg)
{
	long nid = (long)arg;

	if (pb.use_lru)
		add_del_lru(nid, pb.iters);
	else
		add_del_plain(nid, pb.iters);
	return 0;
}

/* Both nodes at once: wall time of the slower task, per pair. */
static int time_two(bool use_lru, double *ns)
{
	struct zsim_task *t[2];
	uint64_t t0;
	int ret;

	pb.use_lru = use_lru;
	t0 = bench_now_ns();
	t[0] = zsim_spawn(0, pair_task, (void *)0L, "node0");
	t[1] = zsim_spawn(2, pair_task, (void *)1L, "node1");
	if (!t[0] || !t[1])
		return -ENOMEM;
	ret = zsim_join(t[0]);
	ret |= zsim_join(t[1]);
	*ns = (double)(bench_now_ns() - t0) / pb.iters;
	return ret;
}

static int setup_task(void *arg)
{
	int nid;

	if (list_lru_init(&pb.lru))
		return -ENOMEM;
	for (nid = 0; nid < 2; nid++) {
		spin_lock_init(&pb.plain[nid].lock);
		INIT_LIST_HEAD(&pb.plain[nid].head);
		INIT_LIST_HEAD(&pb.item[nid]);
	}
	pb.ops[0] = (struct bench_op){ .name = "list_lru", .run = run_lru };
	pb.ops[1] = (struct bench_op){ .name = "plain", .run = run_plain };
	bench_compare(pb.ops, 2);
	/* The two-task runs do as many pairs as one calibrated repetition. */
	pb.iters = pb.ops[0].iters;
	return 0;
}

static int teardown_task(void *arg)
{
	list_lru_destroy(&pb.lru);
	return 0;
}

/* ---- the walk ---- */

struct walk_bench {
	struct list_lru lru;
	struct plain_list plain;
	struct list_head *items;
	struct bench_op ops[2];
};

static struct walk_bench wb;

static enum lru_status rotate_cb(struct list_head *item, struct list_lru_one *l, void *arg)
{
	return LRU_ROTATE;
}

/* The baseline's walk: same callback, same rotation, one lock. */
static noinline void walk_plain(struct plain_list *pl, unsigned long nr)
{
	struct list_head *item, *n;

	spin_lock(&pl->lock);
	list_for_each_safe(item, n, &pl->head) {
		if (!nr--)
			break;
		if (rotate_cb(item, NULL, NULL) == LRU_ROTATE)
			list_move_tail(item, &pl->head);
	}
	spin_unlock(&pl->lock);
}

static void run_walk_lru(void *arg, unsigned long iters)
{
	unsigned long i, nr;

	for (i = 0; i < iters; i++) {
		nr = WALK_ITEMS;
		list_lru_walk_one(&wb.lru, 0, NULL, rotate_cb, NULL, &nr);
	}
}

static void run_walk_plain(void *arg, unsigned long iters)
{
	unsigned long i;

	for (i = 0; i < iters; i++)
		walk_plain(&wb.plain, WALK_ITEMS);
}

/* Like bench_compare(), with one walk per repetition (each is ms long). */
static int walk_task(void *arg)
{
	unsigned long i;
	int r, o;

	wb.items = kvcalloc(2 * WALK_ITEMS, sizeof(*wb.items), GFP_KERNEL);
	if (!wb.items || list_lru_init(&wb.lru))
		return -ENOMEM;
	spin_lock_init(&wb.plain.lock);
	INIT_LIST_HEAD(&wb.plain.head);
	for (i = 0; i < WALK_ITEMS; i++) {
		INIT_LIST_HEAD(&wb.items[i]);
		list_lru_add(&wb.lru, &wb.items[i], 0, NULL);
		list_add_tail(&wb.items[WALK_ITEMS + i], &wb.plain.head);
	}
	wb.ops[0] = (struct bench_op){ .name = "walk list_lru", .run = run_walk_lru, .iters = 1 };
	wb.ops[1] = (struct bench_op){ .name = "walk plain", .run = run_walk_plain, .iters = 1 };
	for (o = 0; o < 2; o++)
		wb.ops[o].run(NULL, 1);		/* warm-up */
	for (r = 0; r < BENCH_REPS; r++)
		for (o = 0; o < 2; o++)
			wb.ops[o].ns_per_op[r] = bench_time_once(&wb.ops[o]);
	for (o = 0; o < 2; o++)
		wb.ops[o].median = bench_median(wb.ops[o].ns_per_op, BENCH_REPS);

	for (i = 0; i < WALK_ITEMS; i++)
		list_lru_del(&wb.lru, &wb.items[i], 0, NULL);
	list_lru_destroy(&wb.lru);
	kvfree(wb.items);
	return 0;
}

static int boot(bool lockdep)
{
	struct zsim_config cfg;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 4;
	cfg.nr_nodes = 2;
	cfg.seed = 1;
	cfg.backend = ZSIM_FREE_RUNNING;
	cfg.lockdep = lockdep;
	cfg.migrate_permille = 0;	/* keep each task on its node */
	return zsim_machine_start(&cfg);
}

static int stop(const char *what, int ret)
{
	unsigned long reports = zsim_machine_stop();

	if (ret || reports) {
		fprintf(stderr, "bench_list_lru: %s: %d, %lu report(s)\n", what, ret, reports);
		return ret ? ret : -EINVAL;
	}
	return 0;
}

static int run_config(bool lockdep)
{
	double lru2, plain2;
	int r, ret;

	ret = boot(lockdep);
	if (ret)
		return ret;
	ret = zsim_run(0, setup_task, NULL);
	for (r = 0; r < BENCH_REPS && !ret; r++) {
		ret = time_two(true, &pb.two_ns[0][r]);
		if (!ret)
			ret = time_two(false, &pb.two_ns[1][r]);
	}
	if (!ret)
		ret = zsim_run(0, teardown_task, NULL);
	ret = stop("add+del", ret);
	if (ret)
		return ret;
	lru2 = bench_median(pb.two_ns[0], BENCH_REPS);
	plain2 = bench_median(pb.two_ns[1], BENCH_REPS);
	printf("%-8s %-28s %10.1f %10.1f %7.2fx %9.2f M/s\n", lockdep ? "on" : "off",
	       "add+del, 1 task", pb.ops[0].median, pb.ops[1].median,
	       pb.ops[0].median / pb.ops[1].median, 1e3 / pb.ops[0].median);
	printf("%-8s %-28s %10.1f %10.1f %7.2fx %9.2f M/s\n", lockdep ? "on" : "off",
	       "add+del, 2 tasks, 2 nodes", lru2, plain2, lru2 / plain2, 2e3 / lru2);

	ret = boot(lockdep);
	if (ret)
		return ret;
	ret = stop("walk", zsim_run(0, walk_task, NULL));
	if (ret)
		return ret;
	printf("%-8s %-28s %10.2f %10.2f %7.2fx %9.1f ms/walk\n", lockdep ? "on" : "off",
	       "walk of 1M items (ns/item)", wb.ops[0].median / WALK_ITEMS,
	       wb.ops[1].median / WALK_ITEMS, wb.ops[0].median / wb.ops[1].median,
	       wb.ops[0].median / 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	bench_args(argc, argv, NULL,
		   "list_lru_add()+list_lru_del() with 1 task and with 2 tasks on different "
		   "NUMA nodes, and a walk of 1M items, against the same list operations "
		   "under a spinlock_t (free-running, lockdep off and on)");
	printf("bench_list_lru: list_lru against the same list operations under a spinlock_t\n");
	printf("(free-running backend, 4 CPUs on 2 nodes; host CLOCK_MONOTONIC, median of %d\n"
	       " repetitions, interleaved; 2 tasks: wall time per pair, each task on its own\n"
	       " node's list; rate = list_lru pairs or walked items per second)\n\n", BENCH_REPS);
	printf("%-8s %-28s %10s %10s %8s %14s\n", "lockdep", "operation", "lru ns", "base ns",
	       "ratio", "lru rate");
	ret = run_config(false);
	if (!ret)
		ret = run_config(true);
	return ret ? 1 : 0;
}
