// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory cgroups and objcgs: the cgroup files and their parsing, the
 * hierarchy and mem_cgroup_iter()'s references, zombies, folio and objcg
 * charges with reparenting, zswap limits and writeback inheritance,
 * statistics and their flush rule, lruvecs, and concurrent use.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/vmstat.h>
#include <sim/cgroup.h>
#include <sim/memcg.h>
#include <sim/report.h>
#include <stdio.h>
#include <string.h>

#include "memcg_teardown.h"
#include "zsim_test.h"

static void boot(void **state, unsigned int cpus, bool quiet)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, cpus, 11);
	cfg.nr_nodes = 2;
	cfg.quiet = quiet;
	/* The flush-threshold checks count updates on one CPU. */
	cfg.migrate_permille = 0;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

static void assert_file(const char *path, const char *file, const char *want)
{
	char buf[512];

	assert_int_equal(zsim_memcg_read(path, file, buf, sizeof(buf)), (int)strlen(want));
	assert_string_equal(buf, want);
}

/* The value of @key in @path's memory.stat, or -1. */
static long stat_key(const char *path, const char *key)
{
	char buf[512], *p;
	size_t klen = strlen(key);

	if (zsim_memcg_read(path, "memory.stat", buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtol(p + klen + 1, NULL, 10);
	return -1;
}

static void test_files_defaults(void **state)
{
	char buf[8];

	/* Without a machine there is no cgroup tree. */
	assert_int_equal(zsim_memcg_create(NULL, "a"), -ENODEV);
	assert_int_equal(zsim_memcg_read("/", "memory.stat", buf, sizeof(buf)), -ENODEV);
	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_memcg_create("/a", "b"), 0);
	assert_file("/a", "memory.current", "0\n");
	assert_file("/a", "memory.peak", "0\n");
	assert_file("/a", "memory.max", "max\n");
	assert_file("/a", "memory.high", "max\n");
	assert_file("/a/b", "memory.zswap.max", "max\n");
	assert_file("a/b", "memory.zswap.current", "0\n");
	assert_file("/a/b", "memory.zswap.writeback", "1\n");
	assert_int_equal(stat_key("/a", "zswap"), 0);
	assert_int_equal(stat_key("/a", "zswpwb"), 0);
	/* Not on the root, as CFTYPE_NOT_ON_ROOT; these two are. */
	assert_int_equal(zsim_memcg_read("/", "memory.current", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(zsim_memcg_read("/", "memory.zswap.max", buf, sizeof(buf)), -ENOENT);
	assert_file("/", "memory.zswap.writeback", "1\n");
	assert_int_equal(stat_key("/", "zswpout"), 0);
	assert_int_equal(zsim_memcg_read("/a", "memory.nope", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(zsim_memcg_read("/x", "memory.max", buf, sizeof(buf)), -ENOENT);
	/* "max\n" plus NUL does not fit in 4 bytes. */
	assert_int_equal(zsim_memcg_read("/a", "memory.max", buf, 4), -EOVERFLOW);
	assert_int_equal(zsim_memcg_destroy("/a/b"), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	zsim_test_shutdown_clean();
}

static void test_file_parsing(void **state)
{
	static const char *const bad[] = {
		"", "abc", "10Q", "-1", "1MB", "1 M", "max1", "0x", "4096k5",
		/* Past 2^64 bytes: the kernel's memparse() would wrap "16E" to 0. */
		"16E", "17179869184G", "99999999999999999999999",
	};
	unsigned int i;
	char buf[64];

	boot(state, 2, true);
	assert_int_equal(zsim_memcg_create("/", "a"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.zswap.max", "4096"), 0);
	assert_file("/a", "memory.zswap.max", "4096\n");
	assert_int_equal(zsim_memcg_write("/a", "memory.zswap.max", " 1M\n"), 0);
	assert_file("/a", "memory.zswap.max", "1048576\n");
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "2g"), 0);
	assert_file("/a", "memory.max", "2147483648\n");
	/* Rounded down to whole pages. */
	assert_int_equal(zsim_memcg_write("/a", "memory.high", "6000"), 0);
	assert_file("/a", "memory.high", "4096\n");
	assert_int_equal(zsim_memcg_write("/a", "memory.high", "0x3000"), 0);
	assert_file("/a", "memory.high", "12288\n");
	assert_int_equal(zsim_memcg_write("/a", "memory.high", "1k"), 0);
	assert_file("/a", "memory.high", "0\n");
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "max"), 0);
	assert_file("/a", "memory.max", "max\n");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(zsim_memcg_write("/a", "memory.zswap.max", bad[i]), -EINVAL);
		assert_int_equal(zsim_memcg_write("/a", "memory.max", bad[i]), -EINVAL);
	}
	/* A failed write leaves the value alone. */
	assert_file("/a", "memory.zswap.max", "1048576\n");
	assert_file("/a", "memory.max", "max\n");
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "16E"), -EINVAL);

	assert_int_equal(zsim_memcg_write("/a", "memory.zswap.writeback", "0"), 0);
	assert_file("/a", "memory.zswap.writeback", "0\n");
	assert_int_equal(zsim_memcg_write("/a", "memory.zswap.writeback", "1\n"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.zswap.writeback", "2"), -EINVAL);
	assert_int_equal(zsim_memcg_write("/a", "memory.zswap.writeback", "yes"), -EINVAL);
	assert_file("/a", "memory.zswap.writeback", "1\n");

	assert_int_equal(zsim_memcg_write("/a", "memory.current", "0"), -EACCES);
	assert_int_equal(zsim_memcg_write("/a", "memory.stat", "0"), -EACCES);
	assert_int_equal(zsim_memcg_write("/a", "memory.bogus", "0"), -ENOENT);
	assert_int_equal(zsim_memcg_write("/", "memory.max", "0"), -ENOENT);

	/* NULL where a name, file, value or buffer goes. */
	assert_int_equal(zsim_memcg_create("/", NULL), -EINVAL);
	assert_int_equal(zsim_memcg_read("/a", NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(zsim_memcg_read("/a", "memory.max", NULL, 8), -EINVAL);
	assert_int_equal(zsim_memcg_write("/a", NULL, "0"), -EINVAL);
	assert_int_equal(zsim_memcg_write("/a", "memory.max", NULL), -EINVAL);
	assert_file("/a", "memory.max", "max\n");

	/* mkdir and rmdir errors. */
	assert_int_equal(zsim_memcg_create("/", ""), -EINVAL);
	assert_int_equal(zsim_memcg_create("/", "x/y"), -EINVAL);
	assert_int_equal(zsim_memcg_create("/", "."), -EINVAL);
	assert_int_equal(zsim_memcg_create("/", ".."), -EINVAL);
	assert_int_equal(zsim_memcg_create("/", "a"), -EEXIST);
	assert_int_equal(zsim_memcg_create("/nope", "a"), -ENOENT);
	assert_int_equal(zsim_memcg_create("/a", "b"), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), -EBUSY);
	assert_int_equal(zsim_memcg_destroy("/"), -EBUSY);
	assert_int_equal(zsim_memcg_destroy("/a/c"), -ENOENT);
	assert_int_equal(zsim_memcg_destroy("/a/b"), 0);
	assert_int_equal(zsim_memcg_destroy("/a/b"), -ENOENT);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	assert_true(zsim_warnings() == 0);
	zsim_test_shutdown_clean();
}

/* ---- hierarchy, iteration, zombies ---- */

struct iter_result {
	char order[16][8];
	int n;
};

static void record(struct iter_result *r, struct mem_cgroup *memcg)
{
	if (r->n < 16)
		snprintf(r->order[r->n++], 8, "%s",
			 mem_cgroup_is_root(memcg) ? "/" : memcg->css.name);
}

static int iter_all_task(void *arg)
{
	struct iter_result *r = arg;
	struct mem_cgroup *memcg;

	for_each_mem_cgroup(memcg)
		record(r, memcg);
	return 0;
}

/* Iterate /a's subtree, break at b, and report whether refs behaved. */
static int iter_subtree_task(void *arg)
{
	struct iter_result *r = arg;
	struct mem_cgroup *a = mem_cgroup_lookup("/a"), *memcg;
	int ret = 0;

	if (IS_ERR(a))
		return PTR_ERR(a);
	for (memcg = mem_cgroup_iter(a, NULL, NULL); memcg;
	     memcg = mem_cgroup_iter(a, memcg, NULL)) {
		record(r, memcg);
		if (!strcmp(memcg->css.name, "b")) {
			mem_cgroup_iter_break(a, memcg);
			break;
		}
	}
	mem_cgroup_put(a);
	return ret;
}

/*
 * Hold b from the iterator while b is removed: it must be a zombie (not
 * online, no tryget_online) that the walk continues past, then goes.
 */
static int iter_zombie_task(void *arg)
{
	struct iter_result *r = arg;
	struct mem_cgroup *a = mem_cgroup_lookup("/a"), *memcg, *b = NULL;
	int b_id = 0, ret = 0;

	if (IS_ERR(a))
		return PTR_ERR(a);
	for (memcg = mem_cgroup_iter(a, NULL, NULL); memcg;
	     memcg = mem_cgroup_iter(a, memcg, NULL)) {
		record(r, memcg);
		if (memcg->css.name && !strcmp(memcg->css.name, "b")) {
			b = memcg;
			b_id = mem_cgroup_id(b);
			if (mem_cgroup_remove(b))
				ret = -1;
			if (mem_cgroup_online(b) || !css_is_dying(&b->css))
				ret = -2;
			if (mem_cgroup_tryget_online(b))
				ret = -3;
			if (!IS_ERR(mem_cgroup_lookup("/a/b")))
				ret = -4;
		}
	}
	mem_cgroup_put(a);
	/* The iterator dropped b's last reference: freed after a grace period. */
	rcu_barrier();
	rcu_barrier();
	rcu_read_lock();
	if (b_id && mem_cgroup_from_id(b_id))
		ret = -5;
	rcu_read_unlock();
	return ret;
}

static void assert_order(struct iter_result *r, const char *const *want, int n)
{
	int i;

	assert_int_equal(r->n, n);
	for (i = 0; i < n; i++)
		assert_string_equal(r->order[i], want[i]);
}

static void test_iter(void **state)
{
	static const char *const all[] = { "/", "a", "b", "c", "d" };
	static const char *const sub[] = { "a", "b" };
	static const char *const after[] = { "a", "b", "c" };
	static const char *const final[] = { "/", "a", "c", "d" };
	struct iter_result r;

	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_memcg_create("/a", "b"), 0);
	assert_int_equal(zsim_memcg_create("/a", "c"), 0);
	assert_int_equal(zsim_memcg_create(NULL, "d"), 0);

	memset(&r, 0, sizeof(r));
	assert_int_equal(zsim_run(0, iter_all_task, &r), 0);
	assert_order(&r, all, 5);
	memset(&r, 0, sizeof(r));
	assert_int_equal(zsim_run(1, iter_subtree_task, &r), 0);
	assert_order(&r, sub, 2);
	memset(&r, 0, sizeof(r));
	assert_int_equal(zsim_run(0, iter_zombie_task, &r), 0);
	assert_order(&r, after, 3);
	memset(&r, 0, sizeof(r));
	assert_int_equal(zsim_run(0, iter_all_task, &r), 0);
	assert_order(&r, final, 4);

	assert_int_equal(zsim_memcg_destroy("/a/c"), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	assert_int_equal(zsim_memcg_destroy("/d"), 0);
	/* A leaked iterator reference would leave a zombie: a leak report. */
	zsim_test_shutdown_clean();
}

/* Two reclaimers sharing a cookie position visit each memcg once per round. */
static int iter_reclaim_task(void *arg)
{
	struct mem_cgroup_reclaim_cookie c1 = { .pgdat = NODE_DATA(1) };
	struct mem_cgroup_reclaim_cookie c2 = { .pgdat = NODE_DATA(1) };
	struct mem_cgroup *m1 = NULL, *m2 = NULL;
	int *seen = arg, rounds = 0;

	m1 = mem_cgroup_iter(NULL, NULL, &c1);
	m2 = mem_cgroup_iter(NULL, NULL, &c2);
	while (m1 || m2) {
		if (m1)
			seen[mem_cgroup_id(m1)]++;
		if (m2)
			seen[mem_cgroup_id(m2)]++;
		if (m1)
			m1 = mem_cgroup_iter(NULL, m1, &c1);
		if (m2)
			m2 = mem_cgroup_iter(NULL, m2, &c2);
		if (++rounds > 16)
			break;
	}
	mem_cgroup_iter_break(NULL, m1);
	mem_cgroup_iter_break(NULL, m2);
	/* The round ended: a new walker starts the next one at the root. */
	m1 = mem_cgroup_iter(NULL, NULL, &c1);
	seen[0] = m1 && mem_cgroup_is_root(m1);
	mem_cgroup_iter_break(NULL, m1);
	return rounds;
}

static void test_iter_reclaim_cookie(void **state)
{
	int seen[16] = { 0 }, i, total = 0;

	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_memcg_create("/a", "b"), 0);
	assert_int_equal(zsim_memcg_create(NULL, "c"), 0);
	assert_true(zsim_run(0, iter_reclaim_task, seen) <= 16);
	for (i = 1; i < 16; i++) {
		assert_true(seen[i] <= 1);
		total += seen[i];
	}
	assert_int_equal(total, 4);	/* root, a, b, c: each once */
	assert_int_equal(seen[0], 1);
	assert_int_equal(zsim_memcg_destroy("/a/b"), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	assert_int_equal(zsim_memcg_destroy("/c"), 0);
	zsim_test_shutdown_clean();
}

/* A zombie parent: kept by its zombie child's reference on it. */
static int zombie_chain_task(void *arg)
{
	struct mem_cgroup *p, *c, *again;
	int p_id, c_id, ret = 0;

	p = mem_cgroup_create(NULL, "p");
	if (IS_ERR(p))
		return PTR_ERR(p);
	c = mem_cgroup_create(p, "c");
	if (IS_ERR(c)) {
		/* The suite's teardown removes p. */
		mem_cgroup_put(p);
		return PTR_ERR(c);
	}
	p_id = mem_cgroup_id(p);
	c_id = mem_cgroup_id(c);
	if (mem_cgroup_remove(c) || mem_cgroup_remove(p))
		ret = -1;
	mem_cgroup_put(p);
	/* The name is free again while the zombies exist. */
	again = mem_cgroup_create(NULL, "p");
	if (IS_ERR(again))
		ret = -5;
	else
		mem_cgroup_put(again);
	rcu_barrier();
	rcu_read_lock();
	if (mem_cgroup_from_id(p_id) != p || mem_cgroup_from_id(c_id) != c)
		ret = -2;
	rcu_read_unlock();
	if (parent_mem_cgroup(c) != p || !css_tryget(&p->css))
		ret = -3;
	else
		mem_cgroup_put(p);
	mem_cgroup_put(c);
	rcu_barrier();
	rcu_barrier();
	rcu_barrier();
	rcu_read_lock();
	if (mem_cgroup_from_id(p_id) == p || mem_cgroup_from_id(c_id))
		ret = -4;
	rcu_read_unlock();
	return ret;
}

static void test_zombie_lifetime(void **state)
{
	boot(state, 2, false);
	assert_int_equal(zsim_run(1, zombie_chain_task, NULL), 0);
	assert_int_equal(zsim_memcg_destroy("/p"), 0);
	zsim_test_shutdown_clean();
}

/*
 * Processes in a cgroup (cgroup.procs): rmdir is -EBUSY while one is in
 * it, and a cgroup removed after it was looked up takes none, so that no
 * process ends up in an offline memcg.
 */
static int attach_proc_task(void *arg)
{
	struct mem_cgroup *x = mem_cgroup_lookup("/x");
	int *res = arg;

	if (IS_ERR(x))
		return PTR_ERR(x);
	res[0] = cgroup_attach_proc(&x->css);
	res[1] = mem_cgroup_remove(x);
	cgroup_detach_proc(&x->css);
	res[2] = mem_cgroup_remove(x);
	res[3] = cgroup_attach_proc(&x->css);
	mem_cgroup_put(x);
	return 0;
}

static void test_attach_proc(void **state)
{
	int res[4];

	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create("/", "x"), 0);
	assert_int_equal(zsim_run(1, attach_proc_task, res), 0);
	assert_int_equal(res[0], 0);
	assert_int_equal(res[1], -EBUSY);
	assert_int_equal(res[2], 0);
	assert_int_equal(res[3], -ENOENT);
	zsim_test_shutdown_clean();
}

/* ---- charges ---- */

static int folio_charge_task(void *arg)
{
	struct mem_cgroup *a = mem_cgroup_lookup("/a"), *b = mem_cgroup_lookup("/a/b");
	struct mem_cgroup *memcg;
	struct folio *f1, *f2, *f3;
	struct obj_cgroup *objcg;
	unsigned int flags;
	long *cur = arg;
	int ret = 0;

	f1 = folio_alloc(GFP_KERNEL, 0);
	f2 = folio_alloc(GFP_KERNEL, 2);
	f3 = folio_alloc(GFP_KERNEL, 0);
	if (IS_ERR(a) || IS_ERR(b) || !f1 || !f2 || !f3) {
		ret = -ENOMEM;
		goto out;
	}
	if (mem_cgroup_charge_folio(f1, b, GFP_KERNEL) || folio_memcg(f1) != b)
		ret = -1;
	cur[0] = page_counter_read(&b->memory);		/* 1 */
	/* memory.max of a is 4 pages: 1 + 4 does not fit. */
	if (mem_cgroup_charge_folio(f2, b, GFP_KERNEL) != -ENOMEM || folio_memcg_charged(f2))
		ret = -2;
	flags = memalloc_noreclaim_save();
	if (mem_cgroup_charge_folio(f2, b, GFP_KERNEL))	/* forced */
		ret = -3;
	memalloc_noreclaim_restore(flags);
	cur[1] = page_counter_read(&a->memory);		/* 5 */

	memcg = get_mem_cgroup_from_folio(f1);
	if (memcg != b)
		ret = -7;
	mem_cgroup_put(memcg);
	memcg = get_mem_cgroup_from_folio(f3);	/* uncharged: the root */
	if (!mem_cgroup_is_root(memcg))
		ret = -8;
	mem_cgroup_put(memcg);

	objcg = get_obj_cgroup_from_folio(f1);
	rcu_read_lock();
	if (!objcg || obj_cgroup_memcg(objcg) != b)
		ret = -4;
	rcu_read_unlock();
	obj_cgroup_put(objcg);
	/* Root and uncharged folios have no objcg. */
	if (get_obj_cgroup_from_folio(f3))
		ret = -5;
	if (mem_cgroup_charge_folio(f3, NULL, GFP_KERNEL) || get_obj_cgroup_from_folio(f3))
		ret = -6;

out:
	if (f1)
		folio_put(f1);
	if (f2)
		folio_put(f2);
	if (f3)
		folio_put(f3);
	if (!ret)
		cur[2] = page_counter_read(&a->memory);		/* 0 */
	if (!IS_ERR(a))
		mem_cgroup_put(a);
	if (!IS_ERR(b))
		mem_cgroup_put(b);
	return ret;
}

static void test_folio_charge(void **state)
{
	long cur[3];

	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_memcg_create("/a", "b"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "16K"), 0);
	assert_int_equal(zsim_run(0, folio_charge_task, cur), 0);
	assert_int_equal(cur[0], 1);
	assert_int_equal(cur[1], 5);
	assert_int_equal(cur[2], 0);
	assert_file("/a", "memory.current", "0\n");
	assert_int_equal(zsim_memcg_destroy("/a/b"), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	zsim_test_shutdown_clean();
}

struct zswap_io {
	struct obj_cgroup *objcg;
	struct folio *folio;
	size_t size;
	int n;
	long ret;
};

/* Charge or uncharge @n zswap entries of @size as zswap does (PF_MEMALLOC). */
static int zswap_charge_task(void *arg)
{
	struct zswap_io *io = arg;
	unsigned int flags = memalloc_noreclaim_save();
	int i;

	for (i = 0; i < io->n; i++)
		obj_cgroup_charge_zswap(io->objcg, io->size);
	for (i = 0; i < -io->n; i++)
		obj_cgroup_uncharge_zswap(io->objcg, io->size);
	memalloc_noreclaim_restore(flags);
	return 0;
}

static int objcg_get_task(void *arg)
{
	struct zswap_io *io = arg;
	struct mem_cgroup *memcg = mem_cgroup_lookup((const char *)io->objcg);
	int ret;

	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	io->folio = folio_alloc(GFP_KERNEL, 0);
	ret = io->folio ? mem_cgroup_charge_folio(io->folio, memcg, GFP_KERNEL) : -ENOMEM;
	mem_cgroup_put(memcg);
	if (ret)
		return ret;
	io->objcg = get_obj_cgroup_from_folio(io->folio);
	return io->objcg ? 0 : -ENOENT;
}

static int objcg_release_task(void *arg)
{
	struct zswap_io *io = arg;

	if (io->folio)
		folio_put(io->folio);
	obj_cgroup_put(io->objcg);
	return 0;
}

static int may_zswap_task(void *arg)
{
	return obj_cgroup_may_zswap(((struct zswap_io *)arg)->objcg);
}

/* Returns the memcg the objcg charges now, as a depth: 2 /a/b, 1 /a. */
static int objcg_depth_task(void *arg)
{
	struct mem_cgroup *memcg;
	int depth = 0;

	rcu_read_lock();
	for (memcg = obj_cgroup_memcg(((struct zswap_io *)arg)->objcg);
	     !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg))
		depth++;
	rcu_read_unlock();
	return depth;
}

static void objcg_setup(struct zswap_io *io, const char *path)
{
	memset(io, 0, sizeof(*io));
	io->objcg = (struct obj_cgroup *)path;
	assert_int_equal(zsim_run(0, objcg_get_task, io), 0);
}

/*
 * obj_cgroup_may_zswap() flushes the statistics when an ancestor has a
 * memory.zswap.max, and a flush may sleep (css_rstat_flush()): called with
 * preemption off it is reported, as the kernel's might_sleep() would;
 * without a limit there is no flush and no report.
 */
static int may_zswap_atomic_task(void *arg)
{
	struct zswap_io *io = arg;

	preempt_disable();
	io->ret = obj_cgroup_may_zswap(io->objcg);
	preempt_enable();
	return 0;
}

static void test_may_zswap_flush_sleeps(void **state)
{
	struct zswap_io io;

	boot(state, 2, true);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	objcg_setup(&io, "/a");
	assert_int_equal(zsim_run(0, may_zswap_atomic_task, &io), 0);
	assert_int_equal(io.ret, 1);
	assert_int_equal(sim_report_count(SIM_REPORT_ATOMIC), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.zswap.max", "1M"), 0);
	assert_int_equal(zsim_run(0, may_zswap_atomic_task, &io), 0);
	assert_int_equal(io.ret, 1);
	assert_int_equal(sim_report_count(SIM_REPORT_ATOMIC), 1);
	assert_non_null(strstr(zsim_first_report(),
			       "sleeping function called from invalid context"));
	assert_int_equal(zsim_run(0, objcg_release_task, &io), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	assert_int_equal(zsim_machine_stop(), 1);
}

/*
 * A charge with __GFP_HIGH (GFP_ATOMIC) is forced past memory.max, as the
 * kernel's try_charge_memcg(); GFP_NOWAIT is refused.
 */
static int charge_gfp_task(void *arg)
{
	struct zswap_io *io = arg;

	io->ret = obj_cgroup_charge(io->objcg, io->n ? GFP_ATOMIC : GFP_NOWAIT, io->size);
	if (!io->ret)
		obj_cgroup_uncharge(io->objcg, io->size);
	return 0;
}

static void test_charge_gfp_high_forced(void **state)
{
	struct zswap_io io;

	boot(state, 2, true);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "4K"), 0);
	objcg_setup(&io, "/a");		/* its folio fills the 4K */
	io.size = PAGE_SIZE;
	io.n = 0;
	assert_int_equal(zsim_run(0, charge_gfp_task, &io), 0);
	assert_int_equal(io.ret, -ENOMEM);
	io.n = 1;
	assert_int_equal(zsim_run(0, charge_gfp_task, &io), 0);
	assert_int_equal(io.ret, 0);
	assert_int_equal(zsim_run(0, objcg_release_task, &io), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	zsim_test_shutdown_clean();
}

/*
 * memory.events: a charge forced past a memory.max (PF_MEMALLOC, as
 * zswap's stores) counts a max event at the level that refused it, and in
 * memory.events (not .local) of its ancestors; the level below sees none.
 */
static void test_memory_events(void **state)
{
	static const char zero[] =
		"low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n";
	char buf[16];
	struct zswap_io io;

	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_memcg_create("/a", "b"), 0);
	assert_int_equal(zsim_memcg_create("/a/b", "c"), 0);
	assert_file("/a/b", "memory.events", zero);
	assert_file("/a/b", "memory.events.local", zero);
	assert_file("/a/b", "memory.swap.events", "high 0\nmax 0\nfail 0\n");
	assert_int_equal(zsim_memcg_read("/", "memory.events", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(zsim_memcg_write("/a", "memory.events", "0"), -EACCES);
	assert_int_equal(zsim_memcg_write("/a/b", "memory.max", "8K"), 0);
	objcg_setup(&io, "/a/b/c");		/* one page: the folio */
	io.size = PAGE_SIZE;
	io.n = 2;				/* the second is forced past 8K */
	assert_int_equal(zsim_run(0, zswap_charge_task, &io), 0);
	assert_file("/a/b", "memory.current", "12288\n");
	assert_file("/a/b", "memory.events",
		    "low 0\nhigh 0\nmax 1\noom 0\noom_kill 0\noom_group_kill 0\n");
	assert_file("/a/b", "memory.events.local",
		    "low 0\nhigh 0\nmax 1\noom 0\noom_kill 0\noom_group_kill 0\n");
	assert_file("/a", "memory.events",
		    "low 0\nhigh 0\nmax 1\noom 0\noom_kill 0\noom_group_kill 0\n");
	assert_file("/a", "memory.events.local", zero);
	assert_file("/a/b/c", "memory.events", zero);
	io.n = -2;
	assert_int_equal(zsim_run(0, zswap_charge_task, &io), 0);
	assert_int_equal(zsim_run(0, objcg_release_task, &io), 0);
	assert_int_equal(zsim_memcg_destroy("/a/b/c"), 0);
	assert_int_equal(zsim_memcg_destroy("/a/b"), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	zsim_test_shutdown_clean();
}

static void test_objcg_zswap_charge(void **state)
{
	struct zswap_io io;

	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_memcg_create("/a", "b"), 0);
	objcg_setup(&io, "/a/b");
	assert_file("/a/b", "memory.current", "4096\n");	/* the folio */

	io.size = 1000;
	io.n = 3;
	assert_int_equal(zsim_run(1, zswap_charge_task, &io), 0);
	/* 3000 bytes: one more page, the rest kept by the objcg. */
	assert_file("/a/b", "memory.current", "8192\n");
	assert_file("/a", "memory.current", "8192\n");
	assert_file("/a/b", "memory.zswap.current", "3000\n");
	assert_file("/a", "memory.zswap.current", "3000\n");
	assert_int_equal(stat_key("/a/b", "zswap"), 3000);
	assert_int_equal(stat_key("/a", "zswapped"), 3 * 4096);
	io.size = 2000;
	io.n = 1;
	assert_int_equal(zsim_run(0, zswap_charge_task, &io), 0);
	assert_file("/a/b", "memory.current", "12288\n");

	/* Offline b: its objcg now charges a, which keeps the totals. */
	assert_int_equal(zsim_memcg_destroy("/a/b"), 0);
	assert_int_equal(zsim_run(0, objcg_depth_task, &io), 1);
	assert_file("/a", "memory.zswap.current", "5000\n");
	io.n = -1;
	assert_int_equal(zsim_run(0, zswap_charge_task, &io), 0);
	io.size = 1000;
	io.n = -3;
	assert_int_equal(zsim_run(1, zswap_charge_task, &io), 0);
	assert_int_equal(zsim_run(0, objcg_release_task, &io), 0);
	/* b is freed now; its last per-CPU deltas were flushed into a. */
	assert_file("/a", "memory.current", "0\n");
	/* The high-water mark stays: the folio and the two zswap pages. */
	assert_file("/a", "memory.peak", "12288\n");
	assert_file("/a", "memory.zswap.current", "0\n");
	assert_int_equal(stat_key("/a", "zswapped"), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	zsim_test_shutdown_clean();
}

/*
 * zswap's objcg charges count towards memory.high as folio charges do
 * (try_charge_memcg()'s tail): within the limits, a charge that leaves a
 * level over high adds its pages to the task's batch; a forced charge
 * (PF_MEMALLOC past memory.max) does not. Returns the batch after each of
 * the three charges, a byte each.
 */
static int objcg_over_high_task(void *arg)
{
	struct zswap_io *io = arg;
	unsigned int flags = memalloc_noreclaim_save();
	int i, seen = 0;

	for (i = 0; i < 3; i++)
		obj_cgroup_charge_zswap(io->objcg, 1000);	/* 8192: at high */
	seen |= current->memcg_nr_pages_over_high;
	obj_cgroup_charge_zswap(io->objcg, 2000);		/* 12288: over */
	seen |= current->memcg_nr_pages_over_high << 8;
	obj_cgroup_charge_zswap(io->objcg, PAGE_SIZE);		/* past max: forced */
	seen |= current->memcg_nr_pages_over_high << 16;
	for (i = 0; i < 3; i++)
		obj_cgroup_uncharge_zswap(io->objcg, 1000);
	obj_cgroup_uncharge_zswap(io->objcg, 2000);
	obj_cgroup_uncharge_zswap(io->objcg, PAGE_SIZE);
	current->memcg_nr_pages_over_high = 0;
	memalloc_noreclaim_restore(flags);
	return seen;
}

static void test_objcg_charge_over_high(void **state)
{
	struct zswap_io io;

	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_memcg_create("/a", "b"), 0);
	objcg_setup(&io, "/a/b");
	assert_int_equal(zsim_memcg_write("/a", "memory.high", "8192"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "12288"), 0);
	assert_int_equal(zsim_run(1, objcg_over_high_task, &io), 0 | 1 << 8 | 1 << 16);
	assert_file("/a/b", "memory.current", "4096\n");
	assert_file("/a/b", "memory.zswap.current", "0\n");
	assert_int_equal(zsim_run(0, objcg_release_task, &io), 0);
	assert_int_equal(zsim_memcg_destroy("/a/b"), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	zsim_test_shutdown_clean();
}

static void test_may_zswap_hierarchy(void **state)
{
	struct zswap_io io;

	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "p"), 0);
	assert_int_equal(zsim_memcg_create("/p", "c"), 0);
	objcg_setup(&io, "/p/c");
	assert_int_equal(zsim_run(0, may_zswap_task, &io), 1);

	io.size = 4096;
	io.n = 2;
	assert_int_equal(zsim_run(0, zswap_charge_task, &io), 0);
	/* The parent's limit applies to the child: 2 pages used of 2. */
	assert_int_equal(zsim_memcg_write("/p", "memory.zswap.max", "8K"), 0);
	assert_int_equal(zsim_run(0, may_zswap_task, &io), 0);
	assert_int_equal(zsim_memcg_write("/p", "memory.zswap.max", "12K"), 0);
	assert_int_equal(zsim_run(1, may_zswap_task, &io), 1);
	/* 0 refuses outright, at any level. */
	assert_int_equal(zsim_memcg_write("/p/c", "memory.zswap.max", "0"), 0);
	assert_int_equal(zsim_run(0, may_zswap_task, &io), 0);
	assert_int_equal(zsim_memcg_write("/p/c", "memory.zswap.max", "max"), 0);
	assert_int_equal(zsim_memcg_write("/p", "memory.zswap.max", "max"), 0);
	assert_int_equal(zsim_run(0, may_zswap_task, &io), 1);
	assert_int_equal(zsim_memcg_write("/p/c", "memory.zswap.max", "8K"), 0);
	assert_int_equal(zsim_run(0, may_zswap_task, &io), 0);

	io.n = -2;
	assert_int_equal(zsim_run(0, zswap_charge_task, &io), 0);
	assert_int_equal(zsim_run(0, may_zswap_task, &io), 1);
	assert_int_equal(zsim_run(0, objcg_release_task, &io), 0);
	assert_int_equal(zsim_memcg_destroy("/p/c"), 0);
	assert_int_equal(zsim_memcg_destroy("/p"), 0);
	zsim_test_shutdown_clean();
}

static int writeback_task(void *arg)
{
	struct mem_cgroup *memcg = mem_cgroup_lookup(arg);
	int ret;

	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	ret = mem_cgroup_zswap_writeback_enabled(memcg);
	mem_cgroup_put(memcg);
	return ret;
}

static void test_writeback_inheritance(void **state)
{
	/* The setting counts only while zswap is enabled (as the kernel's). */
	assert_int_equal(zsim_param_set("zswap", "enabled", "Y"), 0);
	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "p"), 0);
	assert_int_equal(zsim_memcg_create("/p", "c"), 0);
	assert_int_equal(zsim_run(0, writeback_task, "/p/c"), 1);
	/* The parent's 0 wins; the child's own file still reads 1. */
	assert_int_equal(zsim_memcg_write("/p", "memory.zswap.writeback", "0"), 0);
	assert_int_equal(zsim_run(0, writeback_task, "/p/c"), 0);
	assert_file("/p/c", "memory.zswap.writeback", "1\n");
	/* A child created under a disabled parent is disabled too. */
	assert_int_equal(zsim_memcg_create("/p/c", "g"), 0);
	assert_int_equal(zsim_run(1, writeback_task, "/p/c/g"), 0);
	assert_int_equal(zsim_memcg_write("/p", "memory.zswap.writeback", "1"), 0);
	assert_int_equal(zsim_run(0, writeback_task, "/p/c/g"), 1);
	assert_int_equal(zsim_memcg_write("/p/c/g", "memory.zswap.writeback", "0"), 0);
	assert_int_equal(zsim_run(0, writeback_task, "/p/c/g"), 0);
	assert_int_equal(zsim_run(0, writeback_task, "/p/c"), 1);
	assert_int_equal(zsim_memcg_write("/", "memory.zswap.writeback", "0"), 0);
	assert_int_equal(zsim_run(0, writeback_task, "/p"), 0);
	assert_int_equal(zsim_run(0, writeback_task, "/"), 0);
	/* zswap disabled: nothing may keep pages from the swap device. */
	assert_int_equal(zsim_param_set("zswap", "enabled", "N"), 0);
	assert_int_equal(zsim_run(0, writeback_task, "/p"), 1);
	assert_int_equal(zsim_run(0, writeback_task, "/"), 1);
	assert_int_equal(zsim_memcg_destroy("/p/c/g"), 0);
	assert_int_equal(zsim_memcg_destroy("/p/c"), 0);
	assert_int_equal(zsim_memcg_destroy("/p"), 0);
	zsim_test_shutdown_clean();
}

/* ---- statistics ---- */

struct events_io {
	unsigned long before, after;
};

static int events_task(void *arg)
{
	struct events_io *io = arg;
	struct mem_cgroup *c = mem_cgroup_lookup("/p/c");
	int i;

	if (IS_ERR(c))
		return PTR_ERR(c);
	count_memcg_events(c, PGMAJFAULT, 1);
	/* One update is below the threshold: no flush, the total lags. */
	mem_cgroup_flush_stats(c);
	io->before = memcg_events(c, PGMAJFAULT);
	/* 2 CPUs x MEMCG_CHARGE_BATCH updates make the subtree flushable. */
	for (i = 0; i < 200; i++)
		count_memcg_events(c, PGMAJFAULT, 1);
	mem_cgroup_flush_stats(c);
	io->after = memcg_events(c, PGMAJFAULT);
	count_memcg_events(c, ZSWPOUT, 500);
	count_memcg_events(c, PSWPIN, 7);
	count_vm_events(PSWPOUT, 3);
	count_vm_event(ZSWPWB);
	mem_cgroup_put(c);
	return 0;
}

/* A few updates after a flush: below the threshold, the kernel's totals lag. */
static int few_updates_task(void *arg)
{
	struct events_io *io = arg;
	struct mem_cgroup *c = mem_cgroup_lookup("/p/c");

	if (IS_ERR(c))
		return PTR_ERR(c);
	mem_cgroup_flush_stats_now(NULL);
	count_memcg_events(c, PGMAJFAULT, 1);
	mod_memcg_state(c, MEMCG_ZSWAP_B, 100);
	mem_cgroup_flush_stats(c);
	io->before = memcg_events(c, PGMAJFAULT);
	io->after = memcg_page_state(c, MEMCG_ZSWAP_B);
	mem_cgroup_put(c);
	return 0;
}

static int zswap_b_undo_task(void *arg)
{
	struct mem_cgroup *c = mem_cgroup_lookup("/p/c");

	if (IS_ERR(c))
		return PTR_ERR(c);
	mod_memcg_state(c, MEMCG_ZSWAP_B, -100);
	mem_cgroup_put(c);
	return 0;
}

static void test_events_and_flush(void **state)
{
	struct events_io io;
	char buf[256];

	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "p"), 0);
	assert_int_equal(zsim_memcg_create("/p", "c"), 0);
	assert_int_equal(zsim_run(1, events_task, &io), 0);
	assert_int_equal(io.before, 0);
	assert_int_equal(io.after, 201);
	/* Hierarchical: the parent shows the child's events. */
	assert_int_equal(stat_key("/p", "zswpout"), 500);
	assert_int_equal(stat_key("/p/c", "pgmajfault"), 201);
	assert_int_equal(stat_key("/p", "pswpin"), 7);
	assert_int_equal(stat_key("/", "zswpout"), 500);
	/* memcg events are not vm events: zswap counts both itself. */
	assert_true(zsim_vmstat_read(buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "pswpout 3\n"));
	assert_non_null(strstr(buf, "zswpwb 1\n"));
	assert_non_null(strstr(buf, "zswpout 0\n"));
	assert_int_equal(zsim_vmstat_read(buf, 8), -EOVERFLOW);
	/*
	 * The simulation-control API's reads flush whatever the count (the
	 * kernel's periodic flush would show these within two seconds).
	 */
	assert_int_equal(zsim_run(1, few_updates_task, &io), 0);
	assert_int_equal(io.before, 201);
	assert_int_equal(io.after, 0);
	assert_int_equal(stat_key("/p/c", "pgmajfault"), 202);
	assert_int_equal(stat_key("/p/c", "zswap"), 100);
	assert_int_equal(zsim_memcg_read("/p/c", "memory.zswap.current", buf, sizeof(buf)), 4);
	assert_string_equal(buf, "100\n");
	assert_int_equal(zsim_run(1, zswap_b_undo_task, NULL), 0);
	assert_int_equal(stat_key("/p", "zswap"), 0);
	assert_int_equal(zsim_memcg_destroy("/p/c"), 0);
	/* A freed child's events stay in the parent's totals. */
	assert_int_equal(stat_key("/p", "zswpout"), 500);
	assert_int_equal(zsim_memcg_destroy("/p"), 0);
	zsim_test_shutdown_clean();
}

static int lruvec_task(void *arg)
{
	struct mem_cgroup *a = mem_cgroup_lookup("/a");
	struct lruvec *lv;
	int ret = 0;

	if (IS_ERR(a))
		return PTR_ERR(a);
	lv = mem_cgroup_lruvec(a, NODE_DATA(1));
	if (lruvec_memcg(lv) != a || lruvec_pgdat(lv)->node_id != 1 ||
	    atomic_long_read(&lv->zswap_lruvec_state.nr_disk_swapins))
		ret = -1;
	if (lv == mem_cgroup_lruvec(a, NODE_DATA(0)))
		ret = -2;
	if (mem_cgroup_lruvec(NULL, NODE_DATA(0)) !=
	    mem_cgroup_lruvec(root_mem_cgroup, NODE_DATA(0)))
		ret = -3;
	atomic_long_inc(&lv->zswap_lruvec_state.nr_disk_swapins);
	mem_cgroup_put(a);
	return ret;
}

static void test_lruvec(void **state)
{
	boot(state, 2, false);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_run(0, lruvec_task, NULL), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	zsim_test_shutdown_clean();
}

/* ---- faults and concurrency ---- */

static void test_create_faults(void **state)
{
	static const char *const sites[] = { "kmalloc", "percpu" };
	unsigned int s, nth;
	int ret;

	boot(state, 2, true);
	for (s = 0; s < ARRAY_SIZE(sites); s++) {
		for (nth = 1; nth <= 12; nth++) {
			assert_int_equal(zsim_fault_set(sites[s], 0, 0, nth), 0);
			ret = zsim_memcg_create(NULL, "f");
			zsim_fault_clear_all();
			assert_true(ret == 0 || ret == -ENOMEM);
			if (!ret)
				assert_int_equal(zsim_memcg_destroy("/f"), 0);
			else
				assert_int_equal(zsim_memcg_destroy("/f"), -ENOENT);
		}
	}
	assert_int_equal(zsim_memcg_create(NULL, "f"), 0);
	assert_int_equal(zsim_memcg_destroy("/f"), 0);
	/* Failed mkdirs freed what they allocated: no leak reports. */
	assert_int_equal(zsim_machine_stop(), 0);
}

struct stress {
	atomic_t done;
	int errors;
};

static int charger_task(void *arg)
{
	struct stress *st = arg;
	struct zswap_io io = { 0 };
	unsigned int flags;
	int i, round;

	for (round = 0; round < 20; round++) {
		struct mem_cgroup *memcg = mem_cgroup_lookup(round & 1 ? "/a/t" : "/a");

		if (IS_ERR(memcg))	/* removed meanwhile: charge /a */
			memcg = mem_cgroup_lookup("/a");
		if (IS_ERR(memcg))
			return -1;
		io.folio = folio_alloc(GFP_KERNEL, 0);
		if (!io.folio || mem_cgroup_charge_folio(io.folio, memcg, GFP_KERNEL)) {
			st->errors++;
			mem_cgroup_put(memcg);
			continue;
		}
		mem_cgroup_put(memcg);
		io.objcg = get_obj_cgroup_from_folio(io.folio);
		flags = memalloc_noreclaim_save();
		for (i = 0; i < 8; i++)
			obj_cgroup_charge_zswap(io.objcg, 700 + i);
		if (!obj_cgroup_may_zswap(io.objcg))
			st->errors++;
		for (i = 0; i < 8; i++)
			obj_cgroup_uncharge_zswap(io.objcg, 700 + i);
		memalloc_noreclaim_restore(flags);
		count_objcg_events(io.objcg, ZSWPOUT, 1);
		obj_cgroup_put(io.objcg);
		folio_put(io.folio);
	}
	atomic_inc(&st->done);
	return 0;
}

static int churn_task(void *arg)
{
	struct stress *st = arg;
	struct mem_cgroup *a, *b, *memcg;
	int n = 0;

	while (atomic_read(&st->done) < 2 && n < 200) {
		a = mem_cgroup_lookup("/a");
		if (IS_ERR(a))
			return -1;
		b = mem_cgroup_create(a, "t");
		if (!IS_ERR(b)) {
			for_each_mem_cgroup(memcg)
				n++;
			mem_cgroup_remove(b);
			mem_cgroup_put(b);
		}
		mem_cgroup_put(a);
		cond_resched();
	}
	return 0;
}

/* Reclaim-style shared walks while memcgs come and go under them. */
static int reclaimer_task(void *arg)
{
	struct stress *st = arg;
	struct mem_cgroup_reclaim_cookie cookie = { .pgdat = NODE_DATA(0) };
	struct mem_cgroup *memcg;
	int rounds = 0;

	/* At least a few rounds, however early the others finish. */
	while (rounds < 20 || (atomic_read(&st->done) < 2 && rounds < 500)) {
		memcg = mem_cgroup_iter(NULL, NULL, &cookie);
		while (memcg) {
			if (!css_tryget(&memcg->css))
				st->errors++;	/* the walk holds a reference */
			else
				mem_cgroup_put(memcg);
			memcg = mem_cgroup_iter(NULL, memcg, &cookie);
		}
		rounds++;
		cond_resched();
	}
	return 0;
}

static int settle_task(void *arg)
{
	int i;

	/* A free drops the parent's reference, which may free it in turn. */
	for (i = 0; i < 4; i++)
		rcu_barrier();
	return 0;
}

static void test_concurrent_charge_churn(void **state)
{
	struct zsim_task *t[4];
	struct stress st = { 0 };
	struct zswap_io io;

	boot(state, 3, false);
	assert_int_equal(zsim_memcg_create(NULL, "a"), 0);
	assert_int_equal(zsim_memcg_create("/a", "b"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.zswap.max", "1M"), 0);
	assert_non_null(t[0] = zsim_spawn(0, charger_task, &st, "charger0"));
	assert_non_null(t[1] = zsim_spawn(1, charger_task, &st, "charger1"));
	assert_non_null(t[2] = zsim_spawn(2, churn_task, &st, "churn"));
	assert_non_null(t[3] = zsim_spawn(2, reclaimer_task, &st, "reclaimer"));
	assert_int_equal(zsim_join(t[0]), 0);
	assert_int_equal(zsim_join(t[1]), 0);
	assert_int_equal(zsim_join(t[2]), 0);
	assert_int_equal(zsim_join(t[3]), 0);
	assert_int_equal(st.errors, 0);
	/* Zombies freed, then a forced flush of /a (it has a zswap.max). */
	assert_int_equal(zsim_run(0, settle_task, NULL), 0);
	objcg_setup(&io, "/a");
	assert_int_equal(zsim_run(0, may_zswap_task, &io), 1);
	assert_int_equal(zsim_run(0, objcg_release_task, &io), 0);
	assert_file("/a", "memory.current", "0\n");
	assert_file("/a", "memory.zswap.current", "0\n");
	assert_int_equal(stat_key("/a", "zswpout"), 40);
	assert_int_equal(zsim_memcg_destroy("/a/b"), 0);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MEMCG_TEST(test_files_defaults),
		MEMCG_TEST(test_file_parsing),
		MEMCG_TEST_BOTH(test_iter),
		MEMCG_TEST(test_iter_reclaim_cookie),
		MEMCG_TEST_BOTH(test_zombie_lifetime),
		MEMCG_TEST_BOTH(test_attach_proc),
		MEMCG_TEST(test_folio_charge),
		MEMCG_TEST_BOTH(test_memory_events),
		MEMCG_TEST_BOTH(test_may_zswap_flush_sleeps),
		MEMCG_TEST_BOTH(test_charge_gfp_high_forced),
		MEMCG_TEST_BOTH(test_objcg_zswap_charge),
		MEMCG_TEST_BOTH(test_objcg_charge_over_high),
		MEMCG_TEST(test_may_zswap_hierarchy),
		MEMCG_TEST(test_writeback_inheritance),
		MEMCG_TEST(test_events_and_flush),
		MEMCG_TEST(test_lruvec),
		MEMCG_TEST(test_create_faults),
		MEMCG_TEST_BOTH(test_concurrent_charge_churn),
	};

	return cmocka_run_group_tests_name("memcg", tests, NULL, NULL);
}
