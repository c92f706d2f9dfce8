// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsmalloc paths the other suites reach only by chance: object access
 * with buffers of exactly the object's size (nothing written or read past
 * them), the deferred free when a page is locked, zspages waiting for a
 * grace period in the rcu design, the shrinker's count, two compactions at
 * once, compaction backing off for a waiting reader, the rcu design's
 * migration of a zspage freed under it (-EAGAIN), pool creation under
 * allocation faults, leaks reported by the global caches, and
 * zsim_zsmalloc_dump()'s pool totals, name escaping and refusal of a
 * table it cannot parse.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/zsmalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zs_test.h"

static void boot(void **state, unsigned int cpus, uint64_t seed)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, cpus, seed);
	cfg.ram_bytes = 32 << 20;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

/* zsim_zsmalloc_dump() into a string (free() it); the result in *@ret. */
static noinline char *dump(const char *pool, bool json, int *ret)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*ret = f ? zsim_zsmalloc_dump(pool, f, json) : -ENOMEM;
	if (f)
		fclose(f);
	return text;
}

/* The number after "@key" in @text, or -1. */
static long field(const char *text, const char *key)
{
	const char *p = text ? strstr(text, key) : NULL;

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

#define EXACT_OBJS	24
#define CANARY		0xa5
#define CANARY_LEN	16

struct exact_args {
	enum zs_free_design design;
	unsigned int spanning, sg_split;
};

/*
 * @len-byte objects written from and read into buffers of exactly @len
 * bytes (ASan sees any access past them), the local copy followed by a
 * canary that must survive. A spanning object is returned in local_copy
 * itself, as upstream.
 */
static int exact_size(struct zs_pool *pool, unsigned int len, struct exact_args *a)
{
	u8 *src = kmalloc(len, GFP_KERNEL), *copy = kmalloc(len + CANARY_LEN, GFP_KERNEL);
	unsigned long h[EXACT_OBJS] = { };
	struct scatterlist sg[2];
	unsigned int i, j;
	int ret = 0;

	CHECK_GOTO(src && copy, out);
	for (i = 0; i < EXACT_OBJS; i++) {
		h[i] = zs_malloc(pool, len, GFP_KERNEL, NUMA_NO_NODE);
		CHECK_GOTO(!IS_ERR_VALUE(h[i]), out);
		zs_fill(src, len, len + i);
		zs_obj_write(pool, h[i], src, len);
	}
	for (i = 0; i < EXACT_OBJS && !ret; i++) {
		unsigned int got = 0, bad = 0;
		u8 *p;

		memset(copy, CANARY, len + CANARY_LEN);
		p = zs_obj_read_begin(pool, h[i], len, copy);
		bad |= zs_cmp_fill(p, len, len + i);
		if (p >= copy && p < copy + len + CANARY_LEN) {
			a->spanning++;
			bad |= p != copy;
		}
		for (j = len; j < len + CANARY_LEN; j++)
			bad |= copy[j] != CANARY;
		zs_obj_read_end(pool, h[i], len, p);
		CHECK_GOTO(!bad, out);

		/* Each entry inside its page, the two adding up to @len. */
		zs_obj_read_sg_begin(pool, h[i], sg, len);
		for (j = 0; j < 2; j++) {
			bad |= !sg[j].length || sg[j].offset + sg[j].length > PAGE_SIZE;
			if (!bad)
				memcpy(copy + got, sg_virt(&sg[j]),
				       min(sg[j].length, len - got));
			got += sg[j].length;
			if (sg_is_last(&sg[j]))
				break;
			a->sg_split++;
		}
		zs_obj_read_sg_end(pool, h[i]);
		CHECK_GOTO(!bad && got == len, out);
		CHECK_GOTO(!zs_cmp_fill(copy, len, len + i), out);
	}
out:
	for (i = 0; i < EXACT_OBJS; i++)
		if (!IS_ERR_VALUE(h[i]))
			zs_free(pool, h[i]);
	kfree(copy);
	kfree(src);
	return ret;
}

static int exact_task(void *arg)
{
	struct exact_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("exact", a->design);
	unsigned int len;
	int ret = 0;

	CHECK(pool);
	/* 1200 bytes (the audit's case) spans pages; then a spread of sizes. */
	ret = exact_size(pool, 1200, a);
	for (len = 8; len <= PAGE_SIZE && !ret; len += 200)
		ret = exact_size(pool, len, a);
	if (!ret)
		ret = exact_size(pool, PAGE_SIZE, a);
	if (!ret && zs_get_total_pages(pool))
		ret = __LINE__;
	zs_destroy_pool(pool);
	return ret;
}

static void test_exact_size_buffers(void **state)
{
	static const enum zs_free_design designs[] = { ZS_FREE_DEFERRED, ZS_FREE_RCU };
	unsigned int d;

	boot(state, 2, 41);
	for (d = 0; d < ARRAY_SIZE(designs); d++) {
		struct exact_args a = { .design = designs[d] };

		assert_int_equal(zsim_run(0, exact_task, &a), 0);
		assert_true(a.spanning > 0);
		assert_true(a.sg_split > 0);
	}
	zsim_test_shutdown_clean();
}

struct deferred_args {
	unsigned long pages_locked, pages_after;
	int ret;
};

/*
 * Deferred design: free the only object of a huge zspage while its page
 * is locked (as by migration). free_zspage() cannot trylock it, so the
 * zspage stays until the worker, which sleeps on the page lock, runs after
 * the unlock.
 */
static int deferred_task(void *arg)
{
	struct deferred_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("deferred", ZS_FREE_DEFERRED);
	u8 *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct page *page;
	unsigned long h;
	void *p;

	CHECK(pool && copy);
	h = zs_malloc(pool, PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);
	CHECK(!IS_ERR_VALUE(h));
	/* A huge object fills its page: the mapping is the page itself. */
	p = zs_obj_read_begin(pool, h, PAGE_SIZE, copy);
	page = virt_to_page(p);
	zs_obj_read_end(pool, h, PAGE_SIZE, p);

	lock_page(page);
	zs_free(pool, h);
	a->pages_locked = zs_get_total_pages(pool);
	unlock_page(page);
	flush_scheduled_work();
	a->pages_after = zs_get_total_pages(pool);
	zs_destroy_pool(pool);
	kfree(copy);
	return 0;
}

static void test_deferred_free(void **state)
{
	struct deferred_args a = { };

	boot(state, 2, 42);
	assert_int_equal(zsim_run(0, deferred_task, &a), 0);
	assert_int_equal(a.pages_locked, 1);
	assert_int_equal(a.pages_after, 0);
	zsim_test_shutdown_clean();
}

struct rcu_args {
	struct zs_pool *pool;
	unsigned long h[64];
	atomic_t in_rcu, done;
	long pending_during, pending_after;
};

static int rcu_fill(void *arg)
{
	struct rcu_args *a = arg;
	unsigned int i;

	a->pool = zs_create_pool_design("rcupend", ZS_FREE_RCU);
	CHECK(a->pool);
	for (i = 0; i < ARRAY_SIZE(a->h); i++) {
		a->h[i] = zs_malloc(a->pool, 2000, GFP_KERNEL, NUMA_NO_NODE);
		CHECK(!IS_ERR_VALUE(a->h[i]));
	}
	return 0;
}

/* Holds off every grace period until the freeing task has looked. */
static int rcu_reader(void *arg)
{
	struct rcu_args *a = arg;

	rcu_read_lock();
	atomic_set(&a->in_rcu, 1);
	while (!atomic_read(&a->done))
		udelay(1);
	rcu_read_unlock();
	return 0;
}

static long read_pending(void)
{
	char *text = NULL;
	long n;

	if (debugfs_read_text("zsmalloc/rcupend/sim_stats", &text))
		return -1;
	n = field(text, "zspages_rcu_pending ");
	free(text);
	return n;
}

static int rcu_freer(void *arg)
{
	struct rcu_args *a = arg;
	unsigned int i;

	while (!atomic_read(&a->in_rcu))
		udelay(1);
	for (i = 0; i < ARRAY_SIZE(a->h); i++)
		zs_free(a->pool, a->h[i]);
	a->pending_during = read_pending();
	atomic_set(&a->done, 1);
	rcu_barrier();
	a->pending_after = read_pending();
	zs_destroy_pool(a->pool);
	return 0;
}

/*
 * Rcu design: freed zspages are counted in zspages_rcu_pending until
 * their grace period ends; a reader in an RCU section keeps it from
 * ending. (Free-running only: the reader spins.)
 */
static void test_rcu_pending(void **state)
{
	static struct rcu_args a;
	struct zsim_task *r, *f;

	boot(state, 2, 43);
	memset(&a, 0, sizeof(a));
	assert_int_equal(zsim_run(0, rcu_fill, &a), 0);
	r = zsim_spawn(1, rcu_reader, &a, "rcu_reader");
	f = zsim_spawn(0, rcu_freer, &a, "zs_freer");
	assert_non_null(r);
	assert_non_null(f);
	assert_int_equal(zsim_join(f), 0);
	assert_int_equal(zsim_join(r), 0);
	/* 64 objects of 2000 bytes: several zspages, all freed. */
	assert_true(a.pending_during >= 2);
	assert_int_equal(a.pending_after, 0);
	zsim_test_shutdown_clean();
}

#define FRAG_OBJS	600

struct frag_args {
	struct zs_pool *pool;
	unsigned long h[FRAG_OBJS];
	unsigned int live;
	atomic_t go;
	unsigned long freed[2];
};

/* Fill; with @sparse, free 3 objects of 4 to leave compactable zspages. */
static int frag_fill(struct frag_args *a, const char *name, bool sparse)
{
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned int i;
	int ret = 0;

	a->pool = zs_create_pool_design(name, ZS_FREE_RCU);
	CHECK_GOTO(a->pool && buf, out);
	for (i = 0; i < FRAG_OBJS; i++) {
		/* Four sizes: four classes of 1 to several pages per zspage. */
		unsigned int len = 300 + (i % 4) * 700;

		a->h[i] = zs_malloc(a->pool, len, GFP_KERNEL, NUMA_NO_NODE);
		CHECK_GOTO(!IS_ERR_VALUE(a->h[i]), out);
		zs_fill(buf, len, i);
		zs_obj_write(a->pool, a->h[i], buf, len);
	}
	a->live = FRAG_OBJS;
	for (i = 0; sparse && i < FRAG_OBJS; i++) {
		if (i % 16 < 12) {
			zs_free(a->pool, a->h[i]);
			a->h[i] = 0;
			a->live--;
		}
	}
out:
	kfree(buf);
	return ret;
}

static int frag_check_drain(struct frag_args *a)
{
	u8 *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned int i;
	int ret = 0;

	for (i = 0; i < FRAG_OBJS; i++) {
		struct zs_ref r = { a->h[i], 300 + (i % 4) * 700, i };

		if (!a->h[i])
			continue;
		if (!ret)
			ret = copy ? zs_ref_check(a->pool, &r, copy) : __LINE__;
		zs_free(a->pool, a->h[i]);
	}
	if (!ret && zs_get_total_pages(a->pool))
		ret = __LINE__;
	zs_destroy_pool(a->pool);
	kfree(copy);
	return ret;
}

static int shrink_full(void *arg)
{
	return frag_fill(arg, "shrink", false);
}

static int shrink_sparse(void *arg)
{
	return frag_fill(arg, "shrink", true);
}

static int shrink_drain(void *arg)
{
	return frag_check_drain(arg);
}

/*
 * The shrinker reports zs_can_compact()'s pages ("freeable" in the table):
 * none for packed zspages, so reclaim does not compact; some once objects
 * are freed, and reclaim then compacts them all away.
 */
static void test_shrinker_count(void **state)
{
	static struct frag_args a;
	char *json;
	long freeable, compacted;
	int ret;

	boot(state, 2, 44);
	memset(&a, 0, sizeof(a));
	assert_int_equal(zsim_run(0, shrink_full, &a), 0);
	json = dump("shrink", true, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(field(strstr(json, "\"total\":"), "\"freeable\":"), 0);
	free(json);
	zsim_shrink_slab(0, NULL, 0);
	json = dump("shrink", true, &ret);
	assert_int_equal(field(json, "\"pages_compacted\":"), 0);
	free(json);
	assert_int_equal(zsim_run(0, shrink_drain, &a), 0);

	memset(&a, 0, sizeof(a));
	assert_int_equal(zsim_run(0, shrink_sparse, &a), 0);
	json = dump("shrink", true, &ret);
	assert_int_equal(ret, 0);
	freeable = field(strstr(json, "\"total\":"), "\"freeable\":");
	free(json);
	assert_true(freeable > 0);
	zsim_shrink_slab(0, NULL, 0);
	json = dump("shrink", true, &ret);
	compacted = field(json, "\"pages_compacted\":");
	assert_true(compacted >= freeable);
	assert_int_equal(field(strstr(json, "\"total\":"), "\"freeable\":"), 0);
	free(json);
	assert_int_equal(zsim_run(0, shrink_drain, &a), 0);
	zsim_test_shutdown_clean();
}

static int twice_fill(void *arg)
{
	return frag_fill(arg, "twice", true);
}

struct compactor {
	struct frag_args *a;
	int id;
};

static int twice_compact(void *arg)
{
	struct compactor *c = arg;

	atomic_inc(&c->a->go);
	while (atomic_read(&c->a->go) < 2)
		cond_resched();
	c->a->freed[c->id] = zs_compact(c->a->pool);
	return 0;
}

static int twice_drain(void *arg)
{
	struct frag_args *a = arg;
	struct zs_pool_stats st;

	zs_pool_stats(a->pool, &st);
	/* Whichever ran (one, or both in turn), the counter has it all. */
	CHECK((unsigned long)atomic_long_read(&st.pages_compacted) ==
	      a->freed[0] + a->freed[1]);
	CHECK(a->freed[0] + a->freed[1] > 0);
	/* Nothing left to compact once both returned. */
	CHECK(zs_compact(a->pool) == 0);
	return frag_check_drain(a);
}

/*
 * Two zs_compact() calls at once: a call that finds another running
 * returns 0 at once; between them every compactable page is freed once,
 * and every object reads back.
 */
static void test_compact_twice(void **state)
{
	static struct frag_args a;
	struct compactor c[2] = { { &a, 0 }, { &a, 1 } };
	struct zsim_task *t[2];
	int i;

	boot(state, 2, 45);
	memset(&a, 0, sizeof(a));
	assert_int_equal(zsim_run(0, twice_fill, &a), 0);
	for (i = 0; i < 2; i++) {
		t[i] = zsim_spawn(i, twice_compact, &c[i], "zs_compact");
		assert_non_null(t[i]);
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(zsim_run(0, twice_drain, &a), 0);
	zsim_test_shutdown_clean();
}

/* zs_malloc() adds the handle: a request this much smaller fills a class. */
#define ZS_HANDLE_BYTES	sizeof(unsigned long)

#define EAGAIN_OBJS	48

struct eagain_args {
	struct zs_pool *pool;
	unsigned long h[EAGAIN_OBJS];
	struct page *page[EAGAIN_OBJS];
	unsigned int eagain, moved;
	atomic_t go;
};

/* One huge object per zspage: its free empties and frees the zspage. */
static int eagain_fill(void *arg)
{
	struct eagain_args *a = arg;
	u8 *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned int i;
	void *p;

	a->pool = zs_create_pool_design("eagain", ZS_FREE_RCU);
	CHECK(a->pool && copy);
	for (i = 0; i < EAGAIN_OBJS; i++) {
		a->h[i] = zs_malloc(a->pool, PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);
		CHECK(!IS_ERR_VALUE(a->h[i]));
		p = zs_obj_read_begin(a->pool, a->h[i], PAGE_SIZE, copy);
		a->page[i] = virt_to_page(p);
		zs_obj_read_end(a->pool, a->h[i], PAGE_SIZE, p);
	}
	kfree(copy);
	return 0;
}

static int eagain_freer(void *arg)
{
	struct eagain_args *a = arg;
	unsigned int i;

	atomic_inc(&a->go);
	for (i = 0; i < EAGAIN_OBJS; i++)
		zs_free(a->pool, a->h[i]);
	return 0;
}

/*
 * Migrate each page while its object is being freed. A page whose zspage
 * was freed before isolation is not isolated (-EBUSY) or is released;
 * one freed between the RCU lookup and class->lock gives -EAGAIN.
 */
static int eagain_migrator(void *arg)
{
	struct eagain_args *a = arg;
	unsigned int i;
	int rc;

	atomic_inc(&a->go);
	for (i = 0; i < EAGAIN_OBJS; i++) {
		rc = migrate_movable_page(a->page[i], MIGRATE_SYNC);
		if (rc == -EAGAIN)
			a->eagain++;
		else if (!rc)
			a->moved++;
		else if (rc != -EBUSY)
			return __LINE__;
	}
	return 0;
}

static int eagain_destroy(void *arg)
{
	struct eagain_args *a = arg;
	unsigned long pages = zs_get_total_pages(a->pool);

	zs_destroy_pool(a->pool);
	CHECK(pages == 0);
	return 0;
}

/*
 * Rcu design, controlled backend: over a few seeded schedules, some
 * migration finds its zspage already off its class list (-EAGAIN); every
 * run ends with the pool empty and nothing leaked.
 */
static void test_rcu_migrate_eagain(void **state)
{
	static struct eagain_args a;
	unsigned int seed, eagain = 0;

	for (seed = 0; seed < 8 && !eagain; seed++) {
		struct zsim_task *f, *m;

		boot(state, 2, 48 + seed);
		memset(&a, 0, sizeof(a));
		assert_int_equal(zsim_run(0, eagain_fill, &a), 0);
		m = zsim_spawn(1, eagain_migrator, &a, "zs_kcompactd");
		f = zsim_spawn(0, eagain_freer, &a, "zs_freer");
		assert_non_null(m);
		assert_non_null(f);
		assert_int_equal(zsim_join(f), 0);
		assert_int_equal(zsim_join(m), 0);
		assert_int_equal(zsim_run(0, eagain_destroy, &a), 0);
		eagain += a.eagain;
		zsim_test_shutdown_clean();
	}
	print_message("-EAGAIN after %u schedule(s)\n", seed);
	assert_true(eagain > 0);
}

#define CONT_ZSPAGES	24

struct contend_args {
	struct zs_pool *pool;
	struct zs_ref other;
	unsigned long *h;
	unsigned int nr;
	long pages_start, pages_seen, pages_end;
	atomic_t go, done;
};

/*
 * CONT_ZSPAGES one-page zspages of 32-byte objects with one object left
 * in each: compaction empties them one by one into a destination that
 * never fills, so it releases pool->lock only when someone waits for it.
 * One more object, in another class, for the waiter to read.
 */
static int contend_fill(void *arg)
{
	struct contend_args *a = arg;
	unsigned int per = PAGE_SIZE / 32, i;
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	int ret = 0;

	a->pool = zs_create_pool_design("contend", ZS_FREE_RCU);
	a->nr = per * CONT_ZSPAGES;
	a->h = kcalloc(a->nr, sizeof(*a->h), GFP_KERNEL);
	CHECK_GOTO(a->pool && a->h && buf, out);
	for (i = 0; i < a->nr; i++) {
		a->h[i] = zs_malloc(a->pool, 32 - ZS_HANDLE_BYTES, GFP_KERNEL, NUMA_NO_NODE);
		CHECK_GOTO(!IS_ERR_VALUE(a->h[i]), out);
	}
	for (i = 0; i < a->nr; i++) {
		if (i % per) {
			zs_free(a->pool, a->h[i]);
			a->h[i] = 0;
		}
	}
	CHECK_GOTO(!zs_ref_store(a->pool, &a->other, 2000, 7, buf), out);
	a->pages_start = zs_get_total_pages(a->pool);
out:
	kfree(buf);
	return ret;
}

static int contend_compactor(void *arg)
{
	struct contend_args *a = arg;

	atomic_inc(&a->go);
	zs_compact(a->pool);
	a->pages_end = zs_get_total_pages(a->pool);
	atomic_set(&a->done, 1);
	return 0;
}

/*
 * Read (pool->lock for reading, in zs_obj_read_begin()) until the first
 * read after which compaction has freed a zspage: the page count then.
 */
static int contend_reader(void *arg)
{
	struct contend_args *a = arg;
	u8 *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	int ret = 0;

	while (!atomic_read(&a->go))
		cond_resched();
	do {
		ret = copy ? zs_ref_check_sleeping(a->pool, &a->other, copy, 0) : __LINE__;
		a->pages_seen = zs_get_total_pages(a->pool);
	} while (!ret && a->pages_seen == a->pages_start && !atomic_read(&a->done));
	kfree(copy);
	return ret;
}

static int contend_drain(void *arg)
{
	struct contend_args *a = arg;
	unsigned int i;

	for (i = 0; i < a->nr; i++)
		zs_free(a->pool, a->h[i]);
	zs_free(a->pool, a->other.handle);
	kfree(a->h);
	zs_destroy_pool(a->pool);
	return 0;
}

/*
 * Compaction backs off when rwlock_is_contended(): over a few seeded
 * schedules, a reader waiting during the compaction of the one class
 * gets in before the class is done, and sees a page count strictly
 * between the start and the end. Without the back-off it would wait for
 * the whole class (the destination never fills).
 */
static void test_compact_backs_off(void **state)
{
	static struct contend_args a;
	unsigned int seed, mid = 0;

	for (seed = 0; seed < 8 && !mid; seed++) {
		struct zsim_task *c, *r;

		boot(state, 2, 60 + seed);
		memset(&a, 0, sizeof(a));
		assert_int_equal(zsim_run(0, contend_fill, &a), 0);
		c = zsim_spawn(0, contend_compactor, &a, "zs_compact");
		r = zsim_spawn(1, contend_reader, &a, "zs_reader");
		assert_non_null(c);
		assert_non_null(r);
		assert_int_equal(zsim_join(c), 0);
		assert_int_equal(zsim_join(r), 0);
		/* All but one zspage of the 32-byte class are freed. */
		assert_int_equal(a.pages_end, a.pages_start - (CONT_ZSPAGES - 1));
		mid += a.pages_seen < a.pages_start && a.pages_seen > a.pages_end;
		assert_int_equal(zsim_run(0, contend_drain, &a), 0);
		zsim_test_shutdown_clean();
	}
	print_message("reader inside the compaction after %u schedule(s)\n", seed);
	assert_true(mid > 0);
}

/* Destroy a pool that still holds an object (a caller's bug). */
static int leak_task(void *arg)
{
	struct zs_pool *pool = zs_create_pool_design("leaky", ZS_FREE_DEFERRED);
	unsigned long h;

	CHECK(pool);
	h = zs_malloc(pool, 100, GFP_KERNEL, NUMA_NO_NODE);
	CHECK(!IS_ERR_VALUE(h));
	zs_destroy_pool(pool);
	return 0;
}

/*
 * The handle and zspage caches are global, so a pool's leaked handle and
 * zspage are reported when zs_exit() destroys them at machine stop.
 */
static void test_leak_reported(void **state)
{
	unsigned long reports;

	boot(state, 2, 49);
	assert_int_equal(zsim_run(0, leak_task, NULL), 0);
	reports = zsim_machine_stop();
	assert_true(reports >= 2);
	assert_non_null(strstr(zsim_first_report(), "Objects remaining in zspage"));
}

struct create_args {
	enum zs_free_design design;
	int tries, created;
};

/* Fail the n-th kmalloc of pool creation, for n over its whole length. */
static int create_faults_task(void *arg)
{
	struct create_args *a = arg;
	int n, ret = 0;

	for (n = 1; n < 300; n += 7) {
		struct zs_pool *pool;
		unsigned long h;

		CHECK(zsim_fault_set("kmalloc", 0, 0, n) == 0);
		pool = zs_create_pool_design("cfault", a->design);
		zsim_fault_clear_all();
		a->tries++;
		if (!pool)
			continue;
		a->created++;
		/* A pool that came up works, even without shrinker or stats. */
		h = zs_malloc(pool, 500, GFP_KERNEL, NUMA_NO_NODE);
		if (IS_ERR_VALUE(h) && !ret)
			ret = __LINE__;
		zs_free(pool, h);
		zs_destroy_pool(pool);
	}
	return ret;
}

static void test_create_faults(void **state)
{
	static const enum zs_free_design designs[] = { ZS_FREE_DEFERRED, ZS_FREE_RCU };
	unsigned int d;

	boot(state, 2, 46);
	for (d = 0; d < ARRAY_SIZE(designs); d++) {
		struct create_args a = { .design = designs[d] };

		assert_int_equal(zsim_run(0, create_faults_task, &a), 0);
		/* Early faults fail the creation, late ones come after it. */
		assert_true(a.created > 0);
		assert_true(a.created < a.tries);
	}
	zsim_test_shutdown_clean();
}

/* A classes table the dump cannot parse: a word where a number goes. */
static int bogus_classes_show(struct seq_file *s, void *v)
{
	seq_puts(s, " class  size 10% 20% 30% 40% 50% 60% 70% 80% 90% 99% 100% "
		 "obj_allocated obj_used pages_used pages_per_zspage freeable\n");
	seq_puts(s, "     0    32 0 0 0 0 0 0 0 0 0 0 x 1 1 1 1 0\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bogus_classes);

static int bogus_sim_show(struct seq_file *s, void *v)
{
	seq_puts(s, "design rcu\npages 1\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bogus_sim);

struct dump_args {
	struct zs_pool *pool;
	struct dentry *bogus;
};

static const char weird_name[] = "we\"ird\\name";

static int dump_setup(void *arg)
{
	struct dump_args *a = arg;
	struct dentry *root = debugfs_lookup("zsmalloc", NULL);
	unsigned long h;

	CHECK(root);
	a->bogus = debugfs_create_dir("bogus", root);
	dput(root);
	CHECK(!IS_ERR(a->bogus));
	debugfs_create_file("classes", 0444, a->bogus, NULL, &bogus_classes_fops);
	debugfs_create_file("sim_stats", 0444, a->bogus, NULL, &bogus_sim_fops);

	a->pool = zs_create_pool_design(weird_name, ZS_FREE_DEFERRED);
	CHECK(a->pool);
	h = zs_malloc(a->pool, 100, GFP_KERNEL, NUMA_NO_NODE);
	CHECK(!IS_ERR_VALUE(h));
	/* Freed again: the pool keeps no page, the totals say 0. */
	zs_free(a->pool, h);
	return 0;
}

static int dump_teardown(void *arg)
{
	struct dump_args *a = arg;

	debugfs_remove(a->bogus);
	zs_destroy_pool(a->pool);
	return 0;
}

/*
 * The text dump has the pool totals after the table; the JSON dump
 * escapes the pool name; a table it cannot parse is -EINVAL with nothing
 * written (never a truncated object).
 */
static void test_dump_totals_and_errors(void **state)
{
	static struct dump_args a;
	char *out;
	int ret;

	boot(state, 2, 47);
	memset(&a, 0, sizeof(a));
	assert_int_equal(zsim_run(0, dump_setup, &a), 0);

	out = dump(weird_name, false, &ret);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(out, "pages_per_zspage"));
	assert_non_null(strstr(out, "\n\ndesign deferred\npages 0\n"));
	assert_non_null(strstr(out, "\npages_compacted 0\n"));
	assert_non_null(strstr(out, "\nzspages_rcu_pending 0\n"));
	free(out);

	out = dump(weird_name, true, &ret);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(out, "{\"pool\":\"we\\\"ird\\\\name\",\"design\":\"deferred\","));
	assert_int_equal(field(out, "\"zspages_rcu_pending\":"), 0);
	assert_int_equal(out[strlen(out) - 2], '}');
	free(out);

	out = dump("bogus", true, &ret);
	assert_int_equal(ret, -EINVAL);
	assert_true(!out || !*out);
	free(out);

	assert_int_equal(zsim_run(0, dump_teardown, &a), 0);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_exact_size_buffers),
		ZSIM_TEST_BOTH(test_deferred_free),
		ZSIM_TEST_FREE(test_rcu_pending),
		ZSIM_TEST_FREE(test_shrinker_count),
		ZSIM_TEST_BOTH(test_compact_twice),
		ZSIM_TEST_CONTROLLED(test_rcu_migrate_eagain),
		ZSIM_TEST_CONTROLLED(test_compact_backs_off),
		ZSIM_TEST_FREE(test_create_faults),
		ZSIM_TEST_FREE(test_leak_reported),
		ZSIM_TEST_FREE(test_dump_totals_and_errors),
	};

	return cmocka_run_group_tests_name("zsmalloc_paths", tests, NULL, NULL);
}
