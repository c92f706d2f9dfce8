// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsmalloc: API errors, write-then-read round trips for every class size
 * (objects spanning two pages, the huge class) through the local-copy and
 * the scatterlist reads, a long random operation sequence against a
 * reference model with compaction and migration interleaved, fault
 * injection at each allocation site, the statistics (debugfs table, text
 * and JSON dump, shrinker-driven compaction), in both free-vs-migration
 * designs. Every test ends with no live object, page or zspage.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/zsmalloc.h>
#include <sim/migrate.h>
#include <stdio.h>
#include <string.h>

#include "zs_test.h"

static void boot(void **state, uint64_t seed)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, seed);
	cfg.ram_bytes = 32 << 20;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

static const enum zs_free_design designs[] = { ZS_FREE_DEFERRED, ZS_FREE_RCU };

struct api_args {
	enum zs_free_design design;
};

/* zs_malloc(@size) fails with @err; an unexpected handle is freed again. */
static bool malloc_fails(struct zs_pool *pool, size_t size, int err)
{
	unsigned long h = zs_malloc(pool, size, GFP_KERNEL, NUMA_NO_NODE);

	if (h == (unsigned long)ERR_PTR(err))
		return true;
	if (!IS_ERR_VALUE(h))
		zs_free(pool, h);
	return false;
}

/* zs_malloc() of 100 bytes fails with -ENOMEM when @site fails once. */
static bool site_fails_malloc(struct zs_pool *pool, const char *site)
{
	bool ok = zsim_fault_set(site, 0, 0, 1) == 0 && malloc_fails(pool, 100, -ENOMEM);

	zsim_fault_clear_all();
	return ok;
}

static int api_errors(void *arg)
{
	struct api_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("api", a->design), *bad;
	unsigned long h = 0;
	int ret = 0;

	CHECK(pool);
	bad = zs_create_pool_design("bad", (enum zs_free_design)7);
	if (bad)
		zs_destroy_pool(bad);
	CHECK_GOTO(!bad, out);
	CHECK_GOTO(malloc_fails(pool, 0, -EINVAL), out);
	CHECK_GOTO(malloc_fails(pool, PAGE_SIZE + 1, -ENOSPC), out);
	CHECK_GOTO(site_fails_malloc(pool, "zs_handle"), out);
	CHECK_GOTO(site_fails_malloc(pool, "zs_page"), out);
	CHECK_GOTO(site_fails_malloc(pool, "zs_zspage"), out);
	CHECK_GOTO(zs_get_total_pages(pool) == 0, out);

	/* Freeing nothing or an error is a no-op, as in the kernel. */
	zs_free(pool, 0);
	zs_free(pool, (unsigned long)ERR_PTR(-ENOMEM));

	/* The largest object is the huge class's: a whole page. */
	h = zs_malloc(pool, PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);
	CHECK_GOTO(!IS_ERR_VALUE(h), out);
	CHECK_GOTO(zs_get_total_pages(pool) == 1, out);
	zs_free(pool, h);
	h = 0;
	CHECK_GOTO(zs_get_total_pages(pool) == 0, out);

	/* Class geometry: 16-byte steps from 32, huge class at the top. */
	CHECK_GOTO(zs_lookup_class_index(pool, 1) == 0, out);
	CHECK_GOTO(zs_lookup_class_index(pool, 32) == 0, out);
	CHECK_GOTO(zs_lookup_class_index(pool, 33) >= 1, out);
	CHECK_GOTO(zs_lookup_class_index(pool, PAGE_SIZE) == 254, out);
	CHECK_GOTO(zs_lookup_class_index(pool, zs_huge_class_size(pool) + 8) == 254, out);
	/* One byte less (with the 8-byte header) fits the last normal class. */
	CHECK_GOTO(zs_lookup_class_index(pool, zs_huge_class_size(pool) - 1 + 8) < 254, out);
	CHECK_GOTO(zs_huge_class_size(pool) > PAGE_SIZE / 2 &&
		   zs_huge_class_size(pool) < PAGE_SIZE, out);
out:
	zs_free(pool, h);
	zs_destroy_pool(pool);
	return ret;
}

static void test_api_errors(void **state)
{
	struct api_args a;
	unsigned int i;

	boot(state, 1);
	for (i = 0; i < ARRAY_SIZE(designs); i++) {
		a.design = designs[i];
		assert_int_equal(zsim_run(0, api_errors, &a), 0);
	}
	zsim_test_shutdown_clean();
}

static int create_default(void *arg)
{
	struct zs_pool *pool = zs_create_pool("param");
	unsigned long h;
	char buf[16] = { };

	CHECK(pool);
	h = zs_malloc(pool, 64, GFP_KERNEL, NUMA_NO_NODE);
	if (!IS_ERR_VALUE(h))
		zs_free(pool, h);
	zs_destroy_pool(pool);
	CHECK(!IS_ERR_VALUE(h));
	CHECK(zsim_param_get("zsmalloc", "free_design", buf, sizeof(buf)) >= 0);
	CHECK(!strncmp(buf, "rcu", 3));
	return 0;
}

/* free_design picks the design of zs_create_pool(); a bad value is refused. */
static void test_design_param(void **state)
{
	boot(state, 2);
	assert_int_equal(zsim_param_set("zsmalloc", "free_design", "fast"), -EINVAL);
	assert_int_equal(zsim_param_set("zsmalloc", "free_design", "rcu"), 0);
	assert_int_equal(zsim_run(0, create_default, NULL), 0);
	zsim_test_shutdown_clean();
}

#define PER_SIZE	40

struct rt_args {
	enum zs_free_design design;
};

/*
 * Every size from 1 to PAGE_SIZE in 8-byte steps, PER_SIZE objects each:
 * enough to fill several zspages, so objects start at every offset and
 * some span two pages.
 */
static int roundtrip_all_sizes(void *arg)
{
	struct rt_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("rt", a->design);
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct zs_ref *refs = kcalloc(PER_SIZE, sizeof(*refs), GFP_KERNEL);
	unsigned int len, i;
	int ret = 0;

	CHECK_GOTO(pool && buf && copy && refs, out);
	for (len = 1; len <= PAGE_SIZE && !ret; len = len < 8 ? len + 1 : len + 8) {
		for (i = 0; i < PER_SIZE; i++)
			if (zs_ref_store(pool, &refs[i], len, len * 7 + i, buf))
				ret = __LINE__;
		for (i = 0; i < PER_SIZE && !ret; i++)
			ret = zs_ref_check(pool, &refs[i], copy);
		for (i = 0; i < PER_SIZE; i++)
			zs_free(pool, refs[i].handle);
		memset(refs, 0, PER_SIZE * sizeof(*refs));
		if (!ret && zs_get_total_pages(pool) != 0)
			ret = __LINE__;
	}
out:
	if (pool)
		zs_destroy_pool(pool);
	kfree(refs);
	kfree(copy);
	kfree(buf);
	return ret;
}

static void test_roundtrip_all_sizes(void **state)
{
	struct rt_args a;
	unsigned int i;

	boot(state, 3);
	for (i = 0; i < ARRAY_SIZE(designs); i++) {
		a.design = designs[i];
		assert_int_equal(zsim_run(0, roundtrip_all_sizes, &a), 0);
	}
	zsim_test_shutdown_clean();
}

#define MODEL_SLOTS	600
#define MODEL_OPS	6000

struct model_args {
	enum zs_free_design design;
	u64 seed;
	unsigned long migrated, compacted;
};

/* Random sizes weighted like compressed pages: mostly 0.3-3 KiB, some huge. */
static unsigned int model_size(u64 *rs)
{
	u32 r = zs_test_rand(rs);

	switch (r % 8) {
	case 0:
		return 1 + r % 64;
	case 1:
		return 3000 + r % (PAGE_SIZE - 2999);
	default:
		return 300 + r % 2700;
	}
}

/*
 * MODEL_OPS random operations on MODEL_SLOTS slots (store into an empty
 * slot, free or check a full one, rewrite in place), zs_compact() and
 * migration of random zsmalloc pages interleaved; every live object is
 * checked at the end and whenever compaction or migration ran.
 */
static int model_sequence(void *arg)
{
	struct model_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("model", a->design);
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct zs_ref *refs = kcalloc(MODEL_SLOTS, sizeof(*refs), GFP_KERNEL);
	u64 rs = a->seed;
	unsigned int op, i;
	int ret = 0;

	CHECK_GOTO(pool && buf && copy && refs, out);
	for (op = 0; op < MODEL_OPS && !ret; op++) {
		struct zs_ref *r = &refs[zs_test_rand(&rs) % MODEL_SLOTS];
		u32 what = zs_test_rand(&rs) % 100;

		if (!r->handle) {
			if (zs_ref_store(pool, r, model_size(&rs), zs_test_rand(&rs), buf))
				ret = __LINE__;
		} else if (what < 40) {
			zs_free(pool, r->handle);
			r->handle = 0;
		} else if (what < 55) {
			/* Rewrite in place with new contents. */
			r->seed = zs_test_rand(&rs);
			zs_fill(buf, r->len, r->seed);
			zs_obj_write(pool, r->handle, buf, r->len);
		} else {
			ret = zs_ref_check(pool, r, copy);
		}
		if (op % 500 == 499)
			a->compacted += zs_compact(pool);
		if (op % 150 == 149)
			a->migrated += sim_migrate_random_movable(8, rs);
		if (op % 1000 == 999)
			for (i = 0; i < MODEL_SLOTS && !ret; i++)
				if (refs[i].handle)
					ret = zs_ref_check(pool, &refs[i], copy);
	}
	for (i = 0; i < MODEL_SLOTS; i++) {
		if (!refs[i].handle)
			continue;
		if (!ret)
			ret = zs_ref_check(pool, &refs[i], copy);
		zs_free(pool, refs[i].handle);
	}
	if (!ret && zs_get_total_pages(pool) != 0)
		ret = __LINE__;
out:
	if (pool)
		zs_destroy_pool(pool);
	kfree(refs);
	kfree(copy);
	kfree(buf);
	return ret;
}

static void test_model_sequence(void **state)
{
	struct model_args a;
	unsigned int i;

	boot(state, 4);
	for (i = 0; i < ARRAY_SIZE(designs); i++) {
		memset(&a, 0, sizeof(a));
		a.design = designs[i];
		a.seed = 1000 + i;
		assert_int_equal(zsim_run(0, model_sequence, &a), 0);
		/* The sequence must have exercised both movers. */
		assert_true(a.migrated > 10);
		assert_true(a.compacted > 0);
	}
	zsim_test_shutdown_clean();
}

struct fault_args {
	enum zs_free_design design;
	const char *site;
	unsigned long failed;
};

#define FAULT_OBJS	300

/* Every 3rd call of the site fails: -ENOMEM, nothing leaked, the rest work. */
static int fault_site(void *arg)
{
	struct fault_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("fault", a->design);
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL), *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct zs_ref *refs = kcalloc(FAULT_OBJS, sizeof(*refs), GFP_KERNEL);
	unsigned int i;
	int ret = 0, err;

	CHECK_GOTO(pool && buf && copy && refs, out);
	CHECK_GOTO(zsim_fault_set(a->site, 0, 3, 0) == 0, out);
	for (i = 0; i < FAULT_OBJS; i++) {
		/* Spread over classes with 1 to 8 pages per zspage. */
		err = zs_ref_store(pool, &refs[i], 100 + (i * 397) % 3900, i, buf);
		if (err == -ENOMEM)
			a->failed++;
		else if (err)
			ret = __LINE__;
	}
	zsim_fault_clear_all();
	for (i = 0; i < FAULT_OBJS && !ret; i++)
		if (refs[i].handle)
			ret = zs_ref_check(pool, &refs[i], copy);
	for (i = 0; i < FAULT_OBJS; i++)
		zs_free(pool, refs[i].handle);
	if (!ret && zs_get_total_pages(pool) != 0)
		ret = __LINE__;
out:
	if (pool)
		zs_destroy_pool(pool);
	kfree(refs);
	kfree(copy);
	kfree(buf);
	return ret;
}

static void test_fault_sites(void **state)
{
	static const char *const sites[] = { "zs_zspage", "zs_page", "zs_handle" };
	struct fault_args a;
	unsigned int i, d;

	boot(state, 5);
	for (d = 0; d < ARRAY_SIZE(designs); d++) {
		for (i = 0; i < ARRAY_SIZE(sites); i++) {
			memset(&a, 0, sizeof(a));
			a.design = designs[d];
			a.site = sites[i];
			assert_int_equal(zsim_run(0, fault_site, &a), 0);
			assert_true(a.failed > 0);
			assert_true(a.failed < FAULT_OBJS);
		}
	}
	zsim_test_shutdown_clean();
}

struct stats_args {
	struct zs_pool *pool;
	struct zs_ref refs[400];
	unsigned long live;
};

static int stats_fill(void *arg)
{
	struct stats_args *a = arg;
	u8 *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned int i;
	int ret = 0;

	a->pool = zs_create_pool_design("stats", ZS_FREE_RCU);
	CHECK_GOTO(buf && a->pool, fail);
	for (i = 0; i < ARRAY_SIZE(a->refs); i++)
		CHECK_GOTO(!zs_ref_store(a->pool, &a->refs[i], 700, i, buf), fail);
	/* Free every other object: half-empty zspages to compact. */
	for (i = 0; i < ARRAY_SIZE(a->refs); i += 2) {
		zs_free(a->pool, a->refs[i].handle);
		a->refs[i].handle = 0;
	}
	a->live = ARRAY_SIZE(a->refs) / 2;
	kfree(buf);
	return 0;
fail:
	if (a->pool) {
		for (i = 0; i < ARRAY_SIZE(a->refs); i++)
			zs_free(a->pool, a->refs[i].handle);
		zs_destroy_pool(a->pool);
		a->pool = NULL;
	}
	kfree(buf);
	return ret;
}

static int stats_drain(void *arg)
{
	struct stats_args *a = arg;
	u8 *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct zs_pool_stats st;
	unsigned int i;
	int ret = 0;

	zs_pool_stats(a->pool, &st);
	if (!copy || atomic_long_read(&st.pages_compacted) <= 0)
		ret = __LINE__;
	for (i = 0; i < ARRAY_SIZE(a->refs); i++) {
		if (!a->refs[i].handle)
			continue;
		if (!ret)
			ret = zs_ref_check(a->pool, &a->refs[i], copy);
		zs_free(a->pool, a->refs[i].handle);
	}
	zs_destroy_pool(a->pool);
	kfree(copy);
	return ret;
}

/*
 * Not inlined: GCC 12 then takes the returned buffer for a pointer to
 * the local that open_memstream() writes through (-Wdangling-pointer).
 */
static noinline char *dump(const char *pool, bool json, int *ret)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	*ret = zsim_zsmalloc_dump(pool, f, json);
	fclose(f);
	return text;
}

/* The number after "@key": in @text, or -1. */
static long json_field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/*
 * The classes table (debugfs and zsim_zsmalloc_dump()) reports the live
 * objects, and the pool's shrinker compacts half-empty zspages.
 */
static void test_stats_and_shrinker(void **state)
{
	static struct stats_args a;
	char *text, *json, *dbg = NULL, *tot;
	size_t dlen = 0;
	FILE *f;
	long freed;
	int ret;

	boot(state, 6);
	memset(&a, 0, sizeof(a));
	assert_int_equal(zsim_run(0, stats_fill, &a), 0);

	text = dump("stats", false, &ret);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(text, "obj_allocated"));
	assert_non_null(strstr(text, "pages_per_zspage"));
	assert_non_null(strstr(text, "Total"));
	json = dump("stats", true, &ret);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(json, "\"design\":\"rcu\""));
	tot = strstr(json, "\"total\":");
	assert_non_null(tot);
	assert_int_equal(json_field(tot, "\"obj_used\":"), a.live);
	assert_true(json_field(tot, "\"freeable\":") > 0);
	assert_true(json_field(json, "\"pages\":") > 0);
	free(text);
	free(json);
	text = dump("nosuch", false, &ret);
	assert_int_equal(ret, -ENOENT);
	free(text);

	f = open_memstream(&dbg, &dlen);
	zsim_dump_debugfs(f, false);
	fclose(f);
	assert_non_null(strstr(dbg, "zsmalloc/stats/classes"));
	free(dbg);

	/* Reclaim at the highest pressure calls the "mm-zspool:stats" shrinker. */
	freed = zsim_shrink_slab(0, NULL, 0);
	assert_true(freed > 0);
	json = dump("stats", true, &ret);
	assert_int_equal(ret, 0);
	assert_true(json_field(json, "\"pages_compacted\":") > 0);
	free(json);

	assert_int_equal(zsim_run(0, stats_drain, &a), 0);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_FREE(test_api_errors),
		ZSIM_TEST_FREE(test_design_param),
		ZSIM_TEST_FREE(test_roundtrip_all_sizes),
		ZSIM_TEST_BOTH(test_model_sequence),
		ZSIM_TEST_FREE(test_fault_sites),
		ZSIM_TEST_FREE(test_stats_and_shrinker),
	};

	return cmocka_run_group_tests_name("zsmalloc", tests, NULL, NULL);
}
