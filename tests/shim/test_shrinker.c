// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shrinkers: the arguments count_objects()/scan_objects() get, the scan
 * target arithmetic of do_shrink_slab() (priority, seeks, batch, deferred
 * work and its caps, nr_scanned, SHRINK_STOP, SHRINK_EMPTY), NUMA- and
 * memcg-aware selection, allocation failure, and shrinker_free() racing
 * with shrink_slab() in both backends.
 *
 * Kernel-side steps run as simulated tasks that return 0 or the line of
 * the first failed check; the test thread asserts on that. A failed check
 * still frees the task's shrinkers, and a test joins every task it
 * spawned before asserting, so that a failure (say, under
 * ZSWAPSIM_FAULTS=kmalloc:...) is reported as itself and not as leaks or
 * tasks left running at shutdown.
 */
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/memcontrol.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <sim/memcg.h>
#include <sim/sched.h>
#include <string.h>

#include "zsim_test.h"

/* In a task function with an int ret and an out: label that cleans up. */
#define CHECK(cond) do { if (!(cond)) { ret = __LINE__; goto out; } } while (0)

#define MAX_SCANS	64
#define FAKE_MAGIC	0x5eedf00dU

/* A cache that count/scan callbacks report on, with a log of the calls. */
struct fake_cache {
	unsigned int	magic;
	long		objects[2];	/* per node */
	bool		free_on_scan;	/* scan frees what it scans */
	unsigned long	count_ret;	/* if non-zero, count_objects() returns it */
	unsigned long	report_scanned;	/* if non-zero, set sc->nr_scanned to it */
	unsigned long	stop_at;	/* return SHRINK_STOP on this scan call (1-based) */

	unsigned long	count_calls, scan_calls;
	unsigned long	nr_to_scan[MAX_SCANS];
	int		nid;		/* of the last call */
	struct mem_cgroup *memcg;
	gfp_t		gfp;
	bool		bad_args;	/* nr_scanned was not preset to nr_to_scan */
};

static unsigned long fake_count(struct shrinker *s, struct shrink_control *sc)
{
	struct fake_cache *c = s->private_data;

	c->count_calls++;
	c->nid = sc->nid;
	c->memcg = sc->memcg;
	c->gfp = sc->gfp_mask;
	if (c->count_ret)
		return c->count_ret;
	return c->objects[sc->nid];
}

static unsigned long fake_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct fake_cache *c = s->private_data;
	unsigned long freed = 0;

	if (c->scan_calls < MAX_SCANS)
		c->nr_to_scan[c->scan_calls] = sc->nr_to_scan;
	c->scan_calls++;
	if (sc->nr_scanned != sc->nr_to_scan)
		c->bad_args = true;
	c->nid = sc->nid;
	if (c->stop_at == c->scan_calls)
		return SHRINK_STOP;
	if (c->free_on_scan) {
		freed = min_t(unsigned long, sc->nr_to_scan, c->objects[sc->nid]);
		c->objects[sc->nid] -= freed;
	}
	if (c->report_scanned)
		sc->nr_scanned = c->report_scanned;
	return freed;
}

static void fake_reset_log(struct fake_cache *c)
{
	c->count_calls = 0;
	c->scan_calls = 0;
	memset(c->nr_to_scan, 0, sizeof(c->nr_to_scan));
	c->bad_args = false;
}

static struct shrinker *fake_shrinker(struct fake_cache *c, unsigned int flags)
{
	struct shrinker *s = shrinker_alloc(flags, "fake-%d", 1);

	if (!s)
		return NULL;
	c->magic = FAKE_MAGIC;
	s->count_objects = fake_count;
	s->scan_objects = fake_scan;
	s->private_data = c;
	return s;
}

/* Every logged scan asked for @n objects. */
static bool scans_all(struct fake_cache *c, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < c->scan_calls && i < MAX_SCANS; i++)
		if (c->nr_to_scan[i] != n)
			return false;
	return true;
}

static void boot(void **state, unsigned int nodes, bool quiet)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 11);
	cfg.nr_nodes = nodes;
	cfg.quiet = quiet;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

/* ---- arguments, registration ---- */

static int callbacks_and_args_fn(void *arg)
{
	struct fake_cache c = { .objects = { 1000 }, .free_on_scan = true };
	struct shrinker *s = fake_shrinker(&c, 0);
	unsigned long freed;
	int ret = 0;

	CHECK(s);
	CHECK(!strcmp(s->name, "fake-1"));
	CHECK(s->seeks == DEFAULT_SEEKS && s->batch == 0 && s->id == -1);
	CHECK(s->flags & SHRINKER_ALLOCATED);
	CHECK(!(s->flags & SHRINKER_REGISTERED));

	/* Not registered yet: not called. */
	CHECK(shrink_slab(GFP_KERNEL, 0, NULL, 0) == 0);
	CHECK(c.count_calls == 0);

	shrinker_register(s);
	CHECK(s->flags & SHRINKER_REGISTERED);
	/*
	 * Priority 0, seeks 2: delta = 1000 * 4 / 2 = 2000, capped at twice
	 * the cache (2000): 15 batches of 128; the last 80 are below a batch
	 * and below the cache, so they are deferred.
	 */
	freed = shrink_slab(GFP_NOFS, 0, NULL, 0);
	CHECK(freed == 1000);
	CHECK(c.count_calls == 1 && c.scan_calls == 15);
	CHECK(scans_all(&c, SHRINK_BATCH));
	CHECK(c.gfp == GFP_NOFS && c.nid == 0 && c.memcg == NULL);
	CHECK(!c.bad_args);
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 80);

	/* Empty now: count says 0, no scan, the deferred work stays. */
	fake_reset_log(&c);
	CHECK(shrink_slab(GFP_KERNEL, 0, NULL, 0) == 0);
	CHECK(c.count_calls == 1 && c.scan_calls == 0);
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 80);

	shrinker_free(s);
	s = NULL;
	/* Gone: no more calls. */
	fake_reset_log(&c);
	c.objects[0] = 10;
	CHECK(shrink_slab(GFP_KERNEL, 0, NULL, 0) == 0);
	CHECK(c.count_calls == 0);
out:
	shrinker_free(s);
	return ret;
}

static void test_callbacks_and_args(void **state)
{
	boot(state, 1, false);
	assert_int_equal(zsim_run(0, callbacks_and_args_fn, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- the scan target ---- */

static int priority_math_fn(void *arg)
{
	struct fake_cache c = { .objects = { 1000 } };
	struct shrinker *s = fake_shrinker(&c, 0);
	int ret = 0;

	CHECK(s);
	shrinker_register(s);

	/* Priority 12: 1000 >> 12 is 0, nothing to do. */
	CHECK(shrink_slab(GFP_KERNEL, 0, NULL, 12) == 0);
	CHECK(c.count_calls == 1 && c.scan_calls == 0);
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 0);

	/* Priority 2: delta = 250 * 4 / 2 = 500: 3 batches, 116 deferred. */
	fake_reset_log(&c);
	shrink_slab(GFP_KERNEL, 0, NULL, 2);
	CHECK(c.scan_calls == 3 && scans_all(&c, 128));
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 116);

	/* Deferred work comes back scaled: 116 >> 2 + 500 = 529: 4 batches. */
	fake_reset_log(&c);
	shrink_slab(GFP_KERNEL, 0, NULL, 2);
	CHECK(c.scan_calls == 4);
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 116 + 500 - 512);

	/* seeks 0: delta is half the cache whatever the priority. */
	s->seeks = 0;
	fake_reset_log(&c);
	shrink_slab(GFP_KERNEL, 0, NULL, 2);
	/* 104 >> 2 + 500 = 526: 4 batches, 104 + 500 - 512 = 92 left. */
	CHECK(c.scan_calls == 4);
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 92);

	/* batch 100: 92 >> 2 + 500 = 523: 5 batches of 100. */
	s->seeks = DEFAULT_SEEKS;
	s->batch = 100;
	fake_reset_log(&c);
	shrink_slab(GFP_KERNEL, 0, NULL, 2);
	CHECK(c.scan_calls == 5 && scans_all(&c, 100));
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 92);

	/* A sub-batch cache at high pressure is scanned whole, in one call. */
	s->batch = 0;
	atomic_long_set(&s->nr_deferred[0], 0);
	c.objects[0] = 50;
	fake_reset_log(&c);
	shrink_slab(GFP_KERNEL, 0, NULL, 0);
	CHECK(c.scan_calls == 1 && c.nr_to_scan[0] == 100);
	/* ... but not at low pressure: 50 >> 3 * 2 = 12 < 50, deferred. */
	fake_reset_log(&c);
	atomic_long_set(&s->nr_deferred[0], 0);
	shrink_slab(GFP_KERNEL, 0, NULL, 3);
	CHECK(c.scan_calls == 0);
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 12);
out:
	shrinker_free(s);
	return ret;
}

static void test_priority_math(void **state)
{
	boot(state, 1, false);
	assert_int_equal(zsim_run(0, priority_math_fn, NULL), 0);
	zsim_test_shutdown_clean();
}

/* SHRINK_STOP ends the scan; the work not done is deferred, capped. */
static int shrink_stop_fn(void *arg)
{
	struct fake_cache c = { .objects = { 100 }, .free_on_scan = true };
	struct shrinker *s = fake_shrinker(&c, 0);
	unsigned long freed;
	int ret = 0;

	CHECK(s);
	shrinker_register(s);

	/* Priority 0: 200 to scan; the first call stops. */
	c.stop_at = 1;
	freed = shrink_slab(GFP_KERNEL, 0, NULL, 0);
	CHECK(freed == 0 && c.scan_calls == 1 && c.objects[0] == 100);
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 200);

	/*
	 * 200 deferred + 200 new = 400, capped at 2 * 100 = 200: one batch of
	 * 128 then 72, below a batch and below the cache. Deferred again:
	 * 200 + 200 - 128, capped at 200.
	 */
	c.stop_at = 0;
	c.free_on_scan = false;
	fake_reset_log(&c);
	shrink_slab(GFP_KERNEL, 0, NULL, 0);
	CHECK(c.scan_calls == 1 && c.nr_to_scan[0] == 128);
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 200);

	/* Freed counts the calls before the stop only. */
	c.free_on_scan = true;
	c.objects[0] = 1000;
	c.stop_at = 3;
	atomic_long_set(&s->nr_deferred[0], 0);
	fake_reset_log(&c);
	freed = shrink_slab(GFP_KERNEL, 0, NULL, 0);
	CHECK(c.scan_calls == 3 && freed == 256);
out:
	shrinker_free(s);
	return ret;
}

static void test_shrink_stop(void **state)
{
	boot(state, 1, false);
	assert_int_equal(zsim_run(0, shrink_stop_fn, NULL), 0);
	zsim_test_shutdown_clean();
}

/* A shrinker that scanned fewer than asked lowers sc->nr_scanned. */
static int nr_scanned_fn(void *arg)
{
	struct fake_cache c = { .objects = { 1000 }, .report_scanned = 100 };
	struct shrinker *s = fake_shrinker(&c, 0);
	int ret = 0;

	CHECK(s);
	shrinker_register(s);
	/* 500 to scan, 100 at a time counted: 4 calls, then 100 < a batch. */
	shrink_slab(GFP_KERNEL, 0, NULL, 2);
	CHECK(c.scan_calls == 4 && scans_all(&c, 128));
	CHECK(!c.bad_args);
	CHECK(atomic_long_read(&s->nr_deferred[0]) == 100);
out:
	shrinker_free(s);
	return ret;
}

static void test_nr_scanned(void **state)
{
	boot(state, 1, false);
	assert_int_equal(zsim_run(0, nr_scanned_fn, NULL), 0);
	zsim_test_shutdown_clean();
}

/* SHRINK_EMPTY is nothing freed, not a count added to the result. */
static int shrink_empty_fn(void *arg)
{
	struct fake_cache e = { .count_ret = SHRINK_EMPTY };
	struct fake_cache f = { .objects = { 10 }, .free_on_scan = true };
	struct shrinker *se = fake_shrinker(&e, 0);
	struct shrinker *sf = fake_shrinker(&f, 0);
	unsigned long freed;
	int ret = 0;

	CHECK(se && sf);
	shrinker_register(se);
	shrinker_register(sf);
	freed = shrink_slab(GFP_KERNEL, 0, NULL, 0);
	CHECK(freed == 10);
	CHECK(e.count_calls == 1 && e.scan_calls == 0);
	CHECK(atomic_long_read(&se->nr_deferred[0]) == 0);
	CHECK(f.scan_calls == 1 && f.objects[0] == 0);
out:
	shrinker_free(se);
	shrinker_free(sf);
	return ret;
}

static void test_shrink_empty(void **state)
{
	boot(state, 1, false);
	assert_int_equal(zsim_run(0, shrink_empty_fn, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- NUMA ---- */

static int numa_fn(void *arg)
{
	struct fake_cache a = { .objects = { 1000, 1000 } };
	struct fake_cache b = { .objects = { 1000, 1000 } };
	struct shrinker *sa = fake_shrinker(&a, SHRINKER_NUMA_AWARE);
	struct shrinker *sb = fake_shrinker(&b, 0);
	int ret = 0;

	CHECK(sa && sb);
	CHECK(nr_node_ids == 2);
	shrinker_register(sa);
	shrinker_register(sb);

	/* The aware one sees node 1, the other node 0. */
	shrink_slab(GFP_KERNEL, 1, NULL, 2);
	CHECK(a.nid == 1 && b.nid == 0);
	CHECK(a.scan_calls == 3 && b.scan_calls == 3);
	CHECK(atomic_long_read(&sa->nr_deferred[1]) == 116);
	CHECK(atomic_long_read(&sa->nr_deferred[0]) == 0);
	CHECK(atomic_long_read(&sb->nr_deferred[0]) == 116);

	/*
	 * Node 0: the aware one starts fresh (3 batches), the unaware one
	 * has node 1's deferred work (4).
	 */
	fake_reset_log(&a);
	fake_reset_log(&b);
	shrink_slab(GFP_KERNEL, 0, NULL, 2);
	CHECK(a.nid == 0 && a.scan_calls == 3);
	CHECK(b.nid == 0 && b.scan_calls == 4);
out:
	shrinker_free(sa);
	shrinker_free(sb);
	return ret;
}

static void test_numa_aware(void **state)
{
	boot(state, 2, false);
	assert_int_equal(zsim_run(0, numa_fn, NULL), 0);
	zsim_test_shutdown_clean();
}

/* Bad arguments and registrations are reported and change nothing. */
static int bad_args_fn(void *arg)
{
	struct fake_cache c = { .objects = { 1000 } };
	struct shrinker *s = fake_shrinker(&c, SHRINKER_NUMA_AWARE);
	struct shrinker *nocb = NULL;
	int ret = 0;

	CHECK(s);
	shrinker_register(s);
	shrinker_register(s);			/* twice: WARN, still once on the list */
	CHECK(shrink_slab(GFP_KERNEL, 1, NULL, 0) == 0);	/* no node 1: WARN */
	CHECK(shrink_slab(GFP_KERNEL, 0, NULL, -1) == 0);	/* bad priority */
	CHECK(c.count_calls == 0);
	shrink_slab(GFP_KERNEL, 0, NULL, 12);
	CHECK(c.count_calls == 1);

	nocb = shrinker_alloc(0, "nocb");
	CHECK(nocb);
	shrinker_register(nocb);		/* no callbacks: WARN, not registered */
	CHECK(!(nocb->flags & SHRINKER_REGISTERED));
out:
	shrinker_free(nocb);
	shrinker_free(s);
	return ret;
}

static void test_bad_args(void **state)
{
	boot(state, 1, true);
	assert_int_equal(zsim_run(0, bad_args_fn, NULL), 0);
	/* Twice registered, bad node (the bad priority is the same WARN_ONCE), no callbacks. */
	assert_int_equal(zsim_warnings(), 3);
	assert_int_equal(zsim_machine_stop(), 3);
}

/* ---- memcg-aware selection ---- */

static int memcg_fn(void *arg)
{
	struct fake_cache m = { .objects = { 1000 } };
	struct fake_cache p = { .objects = { 1000 } };
	struct shrinker *sm = fake_shrinker(&m, SHRINKER_MEMCG_AWARE);
	struct shrinker *sp = fake_shrinker(&p, 0);
	struct mem_cgroup *a = NULL;
	bool online = false;
	int ret = 0;

	CHECK(sm && sp);
	CHECK(!mem_cgroup_disabled());
	CHECK(sm->id >= 0 && (sm->flags & SHRINKER_MEMCG_AWARE));
	CHECK(sp->id == -1);
	shrinker_register(sm);
	shrinker_register(sp);
	a = mem_cgroup_create(NULL, "a");
	if (IS_ERR(a))
		a = NULL;
	CHECK(a);
	online = true;

	/* A non-root memcg: only the memcg-aware shrinker, told which one. */
	shrink_slab(GFP_KERNEL, 0, a, 2);
	CHECK(m.count_calls == 1 && m.memcg == a && m.scan_calls == 3);
	CHECK(p.count_calls == 0);
	/* Its deferred work is not kept per memcg: 3 batches again. */
	fake_reset_log(&m);
	shrink_slab(GFP_KERNEL, 0, a, 2);
	CHECK(m.scan_calls == 3);
	CHECK(atomic_long_read(&sm->nr_deferred[0]) == 0);

	/* The root: everyone, with the root memcg passed on. */
	fake_reset_log(&m);
	shrink_slab(GFP_KERNEL, 0, root_mem_cgroup, 2);
	CHECK(m.count_calls == 1 && m.memcg == root_mem_cgroup);
	CHECK(p.count_calls == 1 && p.memcg == root_mem_cgroup);
	CHECK(atomic_long_read(&sm->nr_deferred[0]) == 116);
	/* NULL is global reclaim too. */
	fake_reset_log(&m);
	fake_reset_log(&p);
	shrink_slab(GFP_KERNEL, 0, NULL, 2);
	CHECK(m.count_calls == 1 && m.memcg == NULL && m.scan_calls == 4);
	CHECK(p.count_calls == 1);

	/* Offline (removed, still referenced): nothing is called. */
	online = false;
	CHECK(mem_cgroup_remove(a) == 0);
	CHECK(!mem_cgroup_online(a));
	fake_reset_log(&m);
	fake_reset_log(&p);
	CHECK(shrink_slab(GFP_KERNEL, 0, a, 0) == 0);
	CHECK(m.count_calls == 0 && p.count_calls == 0);
out:
	if (online)
		mem_cgroup_remove(a);
	mem_cgroup_put(a);
	shrinker_free(sm);
	shrinker_free(sp);
	return ret;
}

static void test_memcg_aware(void **state)
{
	boot(state, 1, false);
	assert_int_equal(zsim_run(0, memcg_fn, NULL), 0);
	zsim_test_shutdown_clean();
}

/* zsim_shrink_slab() from the test's thread, by cgroup path. */
static struct fake_cache zsim_m = { .objects = { 100 }, .free_on_scan = true };
static struct fake_cache zsim_p = { .objects = { 100 }, .free_on_scan = true };

static int zsim_setup_fn(void *arg)
{
	struct shrinker **s = arg;
	struct mem_cgroup *b;
	int ret = 0;

	s[0] = fake_shrinker(&zsim_m, SHRINKER_MEMCG_AWARE);
	s[1] = fake_shrinker(&zsim_p, 0);
	CHECK(s[0] && s[1]);
	shrinker_register(s[0]);
	shrinker_register(s[1]);
	b = mem_cgroup_create(NULL, "b");
	CHECK(!IS_ERR(b));
	mem_cgroup_put(b);
	return 0;
out:
	shrinker_free(s[0]);
	shrinker_free(s[1]);
	return ret;
}

static int zsim_teardown_fn(void *arg)
{
	struct shrinker **s = arg;
	struct mem_cgroup *b = mem_cgroup_lookup("/b");
	int ret = 0;

	CHECK(!IS_ERR(b));
	CHECK(mem_cgroup_remove(b) == 0);
	mem_cgroup_put(b);
out:
	shrinker_free(s[0]);
	shrinker_free(s[1]);
	return ret;
}

/*
 * Run first, before any machine: -ENODEV, not a bad node (there are none
 * until a machine boots).
 */
static void test_zsim_shrink_slab_never_booted(void **state)
{
	assert_int_equal(zsim_shrink_slab(0, NULL, 0), -ENODEV);
	assert_int_equal(zsim_shrink_slab(0, "/", 12), -ENODEV);
}

static void test_zsim_shrink_slab(void **state)
{
	long memcg_freed, memcg_left, other_left, global_freed, global_left;
	long root_freed, missing, bad_node, bad_prio, bad_prio_high;
	struct shrinker *s[2];

	assert_int_equal(zsim_shrink_slab(0, NULL, 0), -ENODEV);
	boot(state, 1, false);
	assert_int_equal(zsim_run(0, zsim_setup_fn, s), 0);
	/* Results first, asserts after the teardown: no shrinker outlives a failure. */
	memcg_freed = zsim_shrink_slab(0, "/b", 0);
	memcg_left = zsim_m.objects[0];
	other_left = zsim_p.objects[0];
	global_freed = zsim_shrink_slab(0, NULL, 0);
	global_left = zsim_p.objects[0];
	root_freed = zsim_shrink_slab(0, "/", 0);
	missing = zsim_shrink_slab(0, "/nope", 0);
	bad_node = zsim_shrink_slab(1, NULL, 0);
	bad_prio = zsim_shrink_slab(0, NULL, -1);
	bad_prio_high = zsim_shrink_slab(0, NULL, DEF_PRIORITY + 1);
	assert_int_equal(zsim_run(0, zsim_teardown_fn, s), 0);

	/* Priority 0 on 100 objects: 200 to scan, one call of 128 frees 100. */
	assert_int_equal(memcg_freed, 100);
	assert_int_equal(memcg_left, 0);
	assert_int_equal(other_left, 100);
	assert_int_equal(global_freed, 100);
	assert_int_equal(global_left, 0);
	assert_int_equal(root_freed, 0);
	assert_int_equal(missing, -ENOENT);
	assert_int_equal(bad_node, -EINVAL);
	assert_int_equal(bad_prio, -EINVAL);
	assert_int_equal(bad_prio_high, -EINVAL);
	zsim_test_shutdown_clean();
}

/* ---- allocation failure ---- */

static int alloc_fail_fn(void *arg)
{
	struct shrinker *s = shrinker_alloc(SHRINKER_NUMA_AWARE, "fail-%s", "x");

	if (!s)
		return -ENOMEM;
	shrinker_free(s);	/* never registered: fine */
	return 0;
}

static void test_alloc_failure(void **state)
{
	unsigned long nth, base;
	int ret;

	boot(state, 2, false);
	base = kmem_live_objects();
	/* Each of the allocations fails in turn; then all succeed. */
	for (nth = 1; nth < 10; nth++) {
		assert_int_equal(zsim_fault_set("kmalloc", 0, 0, nth), 0);
		ret = zsim_run(0, alloc_fail_fn, NULL);
		if (!zsim_fault_injected("kmalloc")) {
			assert_int_equal(ret, 0);
			break;
		}
		assert_int_equal(ret, -ENOMEM);
		assert_int_equal(kmem_live_objects(), base);
	}
	/* The shrinker, its name and its deferred counts. */
	assert_int_equal(nth, 4);
	zsim_fault_clear_all();
	shrinker_free(NULL);
	zsim_test_shutdown_clean();
}

/* ---- shrinker_free() against a running scan ---- */

struct race_ctx {
	struct wait_queue_head	wq;
	struct shrinker		*s;
	struct fake_cache	*cache;		/* freed right after shrinker_free() */
	int			in_scan;
	int			free_started;
	unsigned long		seq;
	unsigned long		scan_done;
	unsigned long		free_done;
	bool			bad;
};

static struct race_ctx *race;

static unsigned long next_seq(unsigned long *seq)
{
	return __atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
}

static void spin(int n)
{
	while (n-- > 0)
		sched_point();
}

static unsigned long race_count(struct shrinker *s, struct shrink_control *sc)
{
	struct fake_cache *c = s->private_data;

	if (READ_ONCE(c->magic) != FAKE_MAGIC)
		race->bad = true;
	return 1000;
}

/* Sleeps in the scan until shrinker_free() has started, then lingers. */
static unsigned long race_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct fake_cache *c = s->private_data;

	WRITE_ONCE(race->in_scan, 1);
	wake_up_all(&race->wq);
	wait_event(race->wq, READ_ONCE(race->free_started));
	spin(200);
	if (READ_ONCE(c->magic) != FAKE_MAGIC)
		race->bad = true;
	race->scan_done = next_seq(&race->seq);
	return SHRINK_STOP;
}

static int race_shrink_fn(void *arg)
{
	shrink_slab(GFP_KERNEL, 0, NULL, 0);
	return 0;
}

static int race_free_fn(void *arg)
{
	struct fake_cache *c = race->cache;

	wait_event(race->wq, READ_ONCE(race->in_scan));
	WRITE_ONCE(race->free_started, 1);
	wake_up_all(&race->wq);
	shrinker_free(race->s);
	race->free_done = next_seq(&race->seq);
	/* The kernel's promise: the owner may free its data now. */
	c->magic = 0;
	kfree(c);
	return 0;
}

static int race_setup_fn(void *arg)
{
	struct fake_cache *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	race->s = fake_shrinker(c, 0);
	if (!race->s) {
		kfree(c);
		return -ENOMEM;
	}
	race->cache = c;
	race->s->count_objects = race_count;
	race->s->scan_objects = race_scan;
	shrinker_register(race->s);
	return 0;
}

/*
 * The free task could not be spawned: let a scan waiting for it go on, and
 * free what the setup made.
 */
static int race_abort_fn(void *arg)
{
	WRITE_ONCE(race->free_started, 1);
	wake_up_all(&race->wq);
	return 0;
}

static int race_free_now_fn(void *arg)
{
	shrinker_free(race->s);
	kfree(race->cache);
	return 0;
}

static void test_free_waits_for_scan(void **state)
{
	int setup, shrink_ret, free_ret;
	struct zsim_task *t1, *t2;
	struct race_ctx ctx;
	int round;

	boot(state, 2, false);
	for (round = 0; round < 3; round++) {
		memset(&ctx, 0, sizeof(ctx));
		init_waitqueue_head(&ctx.wq);
		race = &ctx;
		setup = zsim_run(0, race_setup_fn, NULL);
		assert_int_equal(setup, 0);
		t1 = zsim_spawn(round & 1, race_shrink_fn, NULL, "shrink");
		t2 = zsim_spawn(!(round & 1), race_free_fn, NULL, "free");
		if (!t2) {
			zsim_run(0, race_abort_fn, NULL);
			free_ret = zsim_run(0, race_free_now_fn, NULL);
		} else {
			free_ret = zsim_join(t2);
		}
		shrink_ret = t1 ? zsim_join(t1) : -ENOMEM;
		/* Everything is joined and freed: failures report only themselves. */
		assert_non_null(t1);
		assert_non_null(t2);
		assert_int_equal(free_ret, 0);
		assert_int_equal(shrink_ret, 0);
		assert_false(ctx.bad);
		assert_true(ctx.scan_done > 0);
		assert_true(ctx.free_done > ctx.scan_done);
	}
	zsim_test_shutdown_clean();
}

/*
 * shrink_slab() in a loop against registrations and frees of shrinkers
 * whose data is freed right after shrinker_free(): no call may reach a
 * freed shrinker (ASan and the magic check would see it).
 */
#define CHURN_ROUNDS	30

struct churn_ctx {
	int		done;
	bool		bad;
	unsigned long	calls;
};

static struct churn_ctx *churn;

static unsigned long churn_count(struct shrinker *s, struct shrink_control *sc)
{
	struct fake_cache *c = s->private_data;

	if (READ_ONCE(c->magic) != FAKE_MAGIC)
		churn->bad = true;
	__atomic_add_fetch(&churn->calls, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->count_calls, 1, __ATOMIC_RELAXED);
	spin(3);
	return 500;
}

static unsigned long churn_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct fake_cache *c = s->private_data;

	spin(3);
	if (READ_ONCE(c->magic) != FAKE_MAGIC)
		churn->bad = true;
	return 0;
}

static int churn_shrink_fn(void *arg)
{
	while (!READ_ONCE(churn->done)) {
		shrink_slab(GFP_KERNEL, 0, NULL, 1);
		sched_point();
	}
	return 0;
}

static void churn_free(struct shrinker *s, struct fake_cache *c)
{
	shrinker_free(s);
	if (c)
		c->magic = 0;
	kfree(c);
}

/* Ends the walkers' loops however it returns. */
static int churn_update_fn(void *arg)
{
	struct shrinker *keep = NULL;
	struct fake_cache *kc = NULL;
	int i, ret = 0;

	for (i = 0; i < CHURN_ROUNDS; i++) {
		struct fake_cache *c = kzalloc(sizeof(*c), GFP_KERNEL);
		struct shrinker *s;

		if (!c) {
			ret = -ENOMEM;
			break;
		}
		s = fake_shrinker(c, 0);
		if (!s) {
			kfree(c);
			ret = -ENOMEM;
			break;
		}
		s->count_objects = churn_count;
		s->scan_objects = churn_scan;
		shrinker_register(s);
		/* Let a walker reach it, so that frees overlap with walks. */
		while (!READ_ONCE(c->count_calls))
			spin(1);
		/* Free the one before, so that two are often on the list. */
		churn_free(keep, kc);
		keep = s;
		kc = c;
	}
	churn_free(keep, kc);
	WRITE_ONCE(churn->done, 1);
	return ret;
}

static void test_register_free_churn(void **state)
{
	struct churn_ctx ctx = { 0 };
	struct zsim_task *a, *b, *u;
	int ra, rb, ru;

	boot(state, 2, false);
	churn = &ctx;
	a = zsim_spawn(0, churn_shrink_fn, NULL, "shrink0");
	b = zsim_spawn(1, churn_shrink_fn, NULL, "shrink1");
	u = zsim_spawn(1, churn_update_fn, NULL, "update");
	/* Without the updater nothing ends the walkers: end them here. */
	if (!u)
		WRITE_ONCE(ctx.done, 1);
	ru = u ? zsim_join(u) : -ENOMEM;
	ra = a ? zsim_join(a) : -ENOMEM;
	rb = b ? zsim_join(b) : -ENOMEM;
	/* All joined: a failure below reports only itself. */
	assert_int_equal(ru, 0);
	assert_int_equal(ra, 0);
	assert_int_equal(rb, 0);
	assert_false(ctx.bad);
	assert_true(ctx.calls >= CHURN_ROUNDS);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zsim_shrink_slab_never_booted),
		cmocka_unit_test_teardown(test_callbacks_and_args, zsim_test_teardown),
		cmocka_unit_test_teardown(test_priority_math, zsim_test_teardown),
		cmocka_unit_test_teardown(test_shrink_stop, zsim_test_teardown),
		cmocka_unit_test_teardown(test_nr_scanned, zsim_test_teardown),
		cmocka_unit_test_teardown(test_shrink_empty, zsim_test_teardown),
		cmocka_unit_test_teardown(test_numa_aware, zsim_test_teardown),
		cmocka_unit_test_teardown(test_bad_args, zsim_test_teardown),
		cmocka_unit_test_teardown(test_memcg_aware, zsim_test_teardown),
		cmocka_unit_test_teardown(test_zsim_shrink_slab, zsim_test_teardown),
		cmocka_unit_test_teardown(test_alloc_failure, zsim_test_teardown),
		ZSIM_TEST_BOTH(test_free_waits_for_scan),
		ZSIM_TEST_BOTH(test_register_free_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
