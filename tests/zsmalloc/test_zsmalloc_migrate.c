// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsmalloc page migration and concurrency: every zsmalloc page migrated
 * (normal, spanning and huge objects keep their contents and handles);
 * page migration racing with zs_free() of the last object of a zspage;
 * and readers, writers, frees, compaction and migration all at once, in
 * both scheduling backends and both free-vs-migration designs, with
 * readers that sleep holding a zspage's read lock.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/zsmalloc.h>
#include <sim/migrate.h>
#include <string.h>

#include "zs_test.h"

static void boot(void **state, unsigned int cpus, uint64_t seed)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, cpus, seed);
	cfg.ram_bytes = 16 << 20;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

static const enum zs_free_design designs[] = { ZS_FREE_DEFERRED, ZS_FREE_RCU };

#define ALL_OBJS	300

struct all_args {
	enum zs_free_design design;
	unsigned long migrated;
};

/* Objects of many classes, then migrate until every page moved at least once. */
static int migrate_all(void *arg)
{
	struct all_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("mall", a->design);
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct zs_ref *refs = kcalloc(ALL_OBJS, sizeof(*refs), GFP_KERNEL);
	unsigned long pages, round;
	unsigned int i;
	int ret = 0;

	CHECK_GOTO(pool && buf && copy && refs, out);
	for (i = 0; i < ALL_OBJS; i++)
		CHECK_GOTO(!zs_ref_store(pool, &refs[i], 1 + (i * 173) % PAGE_SIZE, i, buf),
			   free);
	pages = zs_get_total_pages(pool);
	for (round = 0; round < 8; round++)
		a->migrated += sim_migrate_random_movable(ULONG_MAX, round);
	/* Each pass takes about half of them. */
	if (a->migrated < pages * 2)
		pr_err("migrated %lu of %lu pages\n", a->migrated, pages);
	CHECK_GOTO(a->migrated >= pages * 2, free);
	CHECK_GOTO(zs_get_total_pages(pool) == pages, free);
	for (i = 0; i < ALL_OBJS && !ret; i++)
		ret = zs_ref_check(pool, &refs[i], copy);
	/* Migrated pages are movable again, and compaction still works. */
	CHECK_GOTO(sim_migrate_random_movable(4, 99) == 4, free);
	for (i = 0; i < ALL_OBJS; i += 2) {
		zs_free(pool, refs[i].handle);
		refs[i].handle = 0;
	}
	zs_compact(pool);
	for (i = 1; i < ALL_OBJS && !ret; i += 2)
		ret = zs_ref_check(pool, &refs[i], copy);
free:
	for (i = 0; i < ALL_OBJS; i++)
		zs_free(pool, refs[i].handle);
	/* Deferred design: a free that found a page locked went to the worker. */
	flush_scheduled_work();
	if (!ret && zs_get_total_pages(pool))
		ret = __LINE__;
out:
	if (pool)
		zs_destroy_pool(pool);
	kfree(refs);
	kfree(copy);
	kfree(buf);
	return ret;
}

static void test_migrate_all_pages(void **state)
{
	struct all_args a;
	unsigned int i;

	boot(state, 2, 11);
	for (i = 0; i < ARRAY_SIZE(designs); i++) {
		memset(&a, 0, sizeof(a));
		a.design = designs[i];
		assert_int_equal(zsim_run(0, migrate_all, &a), 0);
	}
	zsim_test_shutdown_clean();
}

/* Shared state of the concurrent test. */
struct conc {
	enum zs_free_design design;
	struct zs_pool *pool;
	atomic_t stop;		/* set when the workers are done */
	atomic_t workers;
	unsigned long migrated, compacted;
};

struct worker {
	struct conc *c;
	unsigned int id;
	unsigned int ops;
};

#define SLOTS		24

/* Store, check, rewrite and free its own objects. */
static int conc_worker(void *arg)
{
	struct worker *w = arg;
	struct zs_pool *pool = w->c->pool;
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct zs_ref refs[SLOTS] = { };
	u64 rs = w->id * 7919 + 1;
	unsigned int op, i;
	int ret = 0;

	if (!buf || !copy)
		ret = __LINE__;
	for (op = 0; op < w->ops && !ret; op++) {
		struct zs_ref *r = &refs[zs_test_rand(&rs) % SLOTS];
		u32 what = zs_test_rand(&rs) % 10;

		if (!r->handle) {
			unsigned int len = zs_test_rand(&rs) % 8 ? 200 + zs_test_rand(&rs) % 2800 :
								   PAGE_SIZE - zs_test_rand(&rs) % 200;

			if (zs_ref_store(pool, r, len, zs_test_rand(&rs), buf))
				ret = __LINE__;
		} else if (what < 3) {
			zs_free(pool, r->handle);
			r->handle = 0;
		} else if (what < 5) {
			r->seed = zs_test_rand(&rs);
			zs_fill(buf, r->len, r->seed);
			zs_obj_write(pool, r->handle, buf, r->len);
		} else if (what < 8) {
			ret = zs_ref_check(pool, r, copy);
		} else {
			/* Sleep in the read: movers must leave the zspage alone. */
			ret = zs_ref_check_sleeping(pool, r, copy, what == 9 && !(op & 7));
		}
		if (op % 16 == 0)
			cond_resched();
	}
	for (i = 0; i < SLOTS; i++) {
		if (!refs[i].handle)
			continue;
		if (!ret)
			ret = zs_ref_check(pool, &refs[i], copy);
		zs_free(pool, refs[i].handle);
	}
	kfree(copy);
	kfree(buf);
	if (atomic_dec_and_test(&w->c->workers))
		atomic_set(&w->c->stop, 1);
	return ret;
}

static int conc_migrator(void *arg)
{
	struct conc *c = arg;
	u64 seed = 1;

	while (!atomic_read(&c->stop)) {
		c->migrated += sim_migrate_random_movable(4, seed++);
		cond_resched();
	}
	return 0;
}

static int conc_compactor(void *arg)
{
	struct conc *c = arg;

	while (!atomic_read(&c->stop)) {
		c->compacted += zs_compact(c->pool);
		cond_resched();
	}
	return 0;
}

static int conc_create(void *arg)
{
	struct conc *c = arg;

	c->pool = zs_create_pool_design("conc", c->design);
	return c->pool ? 0 : -ENOMEM;
}

static int conc_destroy(void *arg)
{
	struct conc *c = arg;
	unsigned long pages;

	flush_scheduled_work();
	pages = zs_get_total_pages(c->pool);
	zs_destroy_pool(c->pool);
	CHECK(pages == 0);
	return 0;
}

#define NR_WORKERS	3

static void run_concurrent(void **state, enum zs_free_design design, unsigned int ops)
{
	struct zsim_task *t[NR_WORKERS + 2];
	struct worker w[NR_WORKERS];
	struct conc c = { .design = design };
	unsigned int i;

	boot(state, 4, 21 + design);
	assert_int_equal(zsim_run(0, conc_create, &c), 0);
	atomic_set(&c.workers, NR_WORKERS);
	for (i = 0; i < NR_WORKERS; i++) {
		w[i] = (struct worker){ .c = &c, .id = i, .ops = ops };
		t[i] = zsim_spawn(i, conc_worker, &w[i], "zs_worker");
		assert_non_null(t[i]);
	}
	t[NR_WORKERS] = zsim_spawn(3, conc_migrator, &c, "zs_kcompactd");
	t[NR_WORKERS + 1] = zsim_spawn(3, conc_compactor, &c, "zs_compact");
	assert_non_null(t[NR_WORKERS]);
	assert_non_null(t[NR_WORKERS + 1]);
	for (i = 0; i < NR_WORKERS + 2; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_true(c.migrated > 0);
	assert_int_equal(zsim_run(0, conc_destroy, &c), 0);
	zsim_test_shutdown_clean();
}

static unsigned int conc_ops(void **state)
{
	return zsim_test_backend(state) == ZSIM_CONTROLLED ? 300 : 3000;
}

static void test_concurrent_deferred(void **state)
{
	run_concurrent(state, ZS_FREE_DEFERRED, conc_ops(state));
}

static void test_concurrent_rcu(void **state)
{
	run_concurrent(state, ZS_FREE_RCU, conc_ops(state));
}

struct race_args {
	enum zs_free_design design;
	struct zs_pool *pool;
	unsigned long handles[64];
	atomic_t go;
	atomic_long_t migrated;
	atomic_t migrator_done;
};

static int race_fill(void *arg)
{
	struct race_args *r = arg;
	unsigned int i;

	r->pool = zs_create_pool_design("race", r->design);
	CHECK(r->pool);
	/* One object per huge zspage: each free empties a zspage. */
	for (i = 0; i < ARRAY_SIZE(r->handles); i++) {
		r->handles[i] = zs_malloc(r->pool, PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);
		if (IS_ERR_VALUE(r->handles[i]))
			break;
	}
	if (i == ARRAY_SIZE(r->handles))
		return 0;
	while (i--)
		zs_free(r->pool, r->handles[i]);
	zs_destroy_pool(r->pool);
	return __LINE__;
}

static int race_free(void *arg)
{
	struct race_args *r = arg;
	unsigned int i;

	while (!atomic_read(&r->go))
		cond_resched();
	for (i = 0; i < ARRAY_SIZE(r->handles); i++) {
		/*
		 * Halfway, wait for the migrator to have moved pages: in the
		 * free-running backend nothing else forces the two to overlap.
		 */
		while (i == ARRAY_SIZE(r->handles) / 2 &&
		       !atomic_long_read(&r->migrated) && !atomic_read(&r->migrator_done))
			cond_resched();
		zs_free(r->pool, r->handles[i]);
		cond_resched();
	}
	return 0;
}

static int race_migrate(void *arg)
{
	struct race_args *r = arg;
	u64 seed = 0;

	atomic_set(&r->go, 1);
	while (zs_get_total_pages(r->pool) && seed < 10000)
		atomic_long_add(sim_migrate_random_movable(2, seed++), &r->migrated);
	atomic_set(&r->migrator_done, 1);
	return 0;
}

static int race_destroy(void *arg)
{
	struct race_args *r = arg;
	unsigned long pages;

	flush_scheduled_work();
	pages = zs_get_total_pages(r->pool);
	zs_destroy_pool(r->pool);
	CHECK(pages == 0);
	return 0;
}

/* Free the last object of zspages whose pages are being migrated (race 2). */
static void free_vs_migrate(void **state, enum zs_free_design design)
{
	struct race_args r = { .design = design };
	struct zsim_task *a, *b;

	boot(state, 2, 31 + design);
	assert_int_equal(zsim_run(0, race_fill, &r), 0);
	a = zsim_spawn(0, race_free, &r, "zs_free");
	b = zsim_spawn(1, race_migrate, &r, "zs_kcompactd");
	assert_int_equal(zsim_join(a), 0);
	assert_int_equal(zsim_join(b), 0);
	assert_int_equal(zsim_run(0, race_destroy, &r), 0);
	/* The race needs pages that really moved while the frees ran. */
	assert_true(atomic_long_read(&r.migrated) > 0);
	zsim_test_shutdown_clean();
}

static void test_free_vs_migrate_deferred(void **state)
{
	free_vs_migrate(state, ZS_FREE_DEFERRED);
}

static void test_free_vs_migrate_rcu(void **state)
{
	free_vs_migrate(state, ZS_FREE_RCU);
}

#define SLEEP_OBJS	32
#define SLEEP_LEN	240	/* + header: the 256-byte class, 16 per page */

struct sleep_args {
	enum zs_free_design design;
	struct zs_pool *pool;
	struct zs_ref refs[SLEEP_OBJS];
	struct page *held_page;	/* page of the object being read */
	atomic_t held, done;
	int migrate_rc;
	unsigned long compacted_held, compacted_after;
};

/* Two one-page zspages: the first 1/4 used (compaction source), one 3/4. */
static int sleep_fill(void *arg)
{
	struct sleep_args *s = arg;
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned int i;
	int ret = 0;

	s->pool = zs_create_pool_design("sleep", s->design);
	CHECK_GOTO(buf && s->pool, fail);
	for (i = 0; i < SLEEP_OBJS; i++)
		CHECK_GOTO(!zs_ref_store(s->pool, &s->refs[i], SLEEP_LEN, i, buf), fail);
	CHECK_GOTO(zs_get_total_pages(s->pool) == 2, fail);
	for (i = 0; i < SLEEP_OBJS; i++) {
		if (i < 12 || (i >= 16 && i < 20)) {
			zs_free(s->pool, s->refs[i].handle);
			s->refs[i].handle = 0;
		}
	}
	kfree(buf);
	return 0;
fail:
	if (s->pool) {
		for (i = 0; i < SLEEP_OBJS; i++)
			zs_free(s->pool, s->refs[i].handle);
		zs_destroy_pool(s->pool);
		s->pool = NULL;
	}
	kfree(buf);
	return ret;
}

/* Holds the read lock of the source zspage, sleeping, until told to stop. */
static int sleep_reader(void *arg)
{
	struct sleep_args *s = arg;
	const struct zs_ref *r = &s->refs[12];
	u8 *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	void *p;
	int bad;

	CHECK(copy);
	p = zs_obj_read_begin(s->pool, r->handle, r->len, copy);
	s->held_page = virt_to_page(p);
	atomic_set(&s->held, 1);
	bad = zs_cmp_fill(p, r->len, r->seed);
	while (!atomic_read(&s->done)) {
		msleep(1);
		bad |= zs_cmp_fill(p, r->len, r->seed);
	}
	zs_obj_read_end(s->pool, r->handle, r->len, p);
	kfree(copy);
	CHECK(!bad);
	return 0;
}

static int sleep_mover(void *arg)
{
	struct sleep_args *s = arg;

	while (!atomic_read(&s->held))
		cond_resched();
	s->compacted_held = zs_compact(s->pool);
	s->migrate_rc = migrate_movable_page(s->held_page, MIGRATE_SYNC);
	atomic_set(&s->done, 1);
	return 0;
}

static int sleep_drain(void *arg)
{
	struct sleep_args *s = arg;
	u8 *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned int i;
	int ret = copy ? 0 : __LINE__;

	/* Unlocked: the source zspage empties into the other one. */
	s->compacted_after = zs_compact(s->pool);
	for (i = 0; i < SLEEP_OBJS; i++) {
		if (!s->refs[i].handle)
			continue;
		if (!ret)
			ret = zs_ref_check(s->pool, &s->refs[i], copy);
		zs_free(s->pool, s->refs[i].handle);
	}
	flush_scheduled_work();
	if (!ret && zs_get_total_pages(s->pool))
		ret = __LINE__;
	zs_destroy_pool(s->pool);
	kfree(copy);
	return ret;
}

/*
 * A reader sleeping in zs_obj_read_begin()..end() keeps its zspage: page
 * migration of its page fails with -EBUSY and compaction of its class
 * stops at it (the source zspage's write trylock fails); once the read
 * ends, compaction frees the page.
 */
static void reader_sleeps(void **state, enum zs_free_design design)
{
	static struct sleep_args s;
	struct zsim_task *a, *b;

	memset(&s, 0, sizeof(s));
	s.design = design;
	boot(state, 2, 41 + design);
	assert_int_equal(zsim_run(0, sleep_fill, &s), 0);
	a = zsim_spawn(0, sleep_reader, &s, "zs_reader");
	b = zsim_spawn(1, sleep_mover, &s, "zs_kcompactd");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(zsim_join(a), 0);
	assert_int_equal(zsim_join(b), 0);
	assert_int_equal(zsim_run(0, sleep_drain, &s), 0);
	assert_int_equal(s.migrate_rc, -EBUSY);
	assert_int_equal(s.compacted_held, 0);
	assert_int_equal(s.compacted_after, 1);
	zsim_test_shutdown_clean();
}

static void test_reader_sleeps_deferred(void **state)
{
	reader_sleeps(state, ZS_FREE_DEFERRED);
}

static void test_reader_sleeps_rcu(void **state)
{
	reader_sleeps(state, ZS_FREE_RCU);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_FREE(test_migrate_all_pages),
		ZSIM_TEST_BOTH(test_free_vs_migrate_deferred),
		ZSIM_TEST_BOTH(test_free_vs_migrate_rcu),
		ZSIM_TEST_BOTH(test_concurrent_deferred),
		ZSIM_TEST_BOTH(test_concurrent_rcu),
		ZSIM_TEST_BOTH(test_reader_sleeps_deferred),
		ZSIM_TEST_BOTH(test_reader_sleeps_rcu),
	};

	return cmocka_run_group_tests_name("zsmalloc_migrate", tests, NULL, NULL);
}
