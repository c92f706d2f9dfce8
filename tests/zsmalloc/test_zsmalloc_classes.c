// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsmalloc size classes and allocation placement, checked against
 * references computed here, independently of zsmalloc.c:
 * - class geometry: pages per zspage by the least-waste rule up to
 *   CONFIG_ZSMALLOC_CHAIN_SIZE, the number of merged classes, and
 *   zs_huge_class_size(); with the default chain size 8 also the known
 *   values (48 bytes: 3 pages, 80: 5, 3632: 8, huge from 3625);
 * - zs_malloc() takes the fullest zspage that has room, seen in the
 *   fullness histogram of the classes table;
 * - the classes table in text and JSON agree with each other.
 * Both free-vs-migration designs; every test ends with nothing left.
 */
#include <linux/kconfig.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/zsmalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zs_test.h"

/* The kernel's constants, restated: 4 KiB pages, 8-byte handles. */
#define REF_PAGE	4096
#define REF_MIN		32
#define REF_DELTA	(REF_PAGE >> 8)
#define REF_NR		((REF_PAGE - REF_MIN) / REF_DELTA + 1)
#define REF_HANDLE	8
#define REF_CHAIN	CONFIG_ZSMALLOC_CHAIN_SIZE

struct ref_class {
	int size, pages, objs;
};

/* Least waste over 1..REF_CHAIN pages; on a tie the shorter chain. */
static void ref_geometry(int size, struct ref_class *c)
{
	int k, best = 1, waste = REF_PAGE % size;

	for (k = 2; k <= REF_CHAIN; k++) {
		if ((k * REF_PAGE) % size < waste) {
			waste = (k * REF_PAGE) % size;
			best = k;
		}
	}
	c->size = size;
	c->pages = best;
	c->objs = best * REF_PAGE / size;
}

/* The class a request of @len bytes lands in (handle added, as zs_malloc()). */
static int ref_index(int len)
{
	int need = len + REF_HANDLE, idx;

	idx = need <= REF_MIN ? 0 : (need - REF_MIN + REF_DELTA - 1) / REF_DELTA;
	return idx < REF_NR ? idx : REF_NR - 1;
}

static bool ref_is_huge(const struct ref_class *c)
{
	return c->pages == 1 && c->objs == 1;
}

/* Distinct classes after merging equal neighbours (pages and objects). */
static int ref_nr_merged(const struct ref_class *ref)
{
	int i, n = 1;

	for (i = 1; i < REF_NR; i++)
		if (ref[i].pages != ref[i - 1].pages || ref[i].objs != ref[i - 1].objs)
			n++;
	return n;
}

/* The smallest request from which every larger one lands in a huge class. */
static int ref_huge_size(const struct ref_class *ref)
{
	int len = REF_PAGE;

	while (len > 1 && ref_is_huge(&ref[ref_index(len - 1)]))
		len--;
	return len;
}

static void boot(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 7);
	cfg.ram_bytes = 32 << 20;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

/* The pool's classes table as JSON (zsim_zsmalloc_dump()); free() it. */
static noinline char *dump(const char *pool, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return NULL;
	ret = zsim_zsmalloc_dump(pool, f, json);
	fclose(f);
	if (ret) {
		free(text);
		return NULL;
	}
	return text;
}

/* The number after "@key": in @row, before the row's closing brace; or -1. */
static long row_field(const char *row, const char *key)
{
	const char *end = strchr(row, '}'), *p;
	char pat[32];

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(row, pat);
	if (!p || (end && p > end))
		return -1;
	return strtol(p + strlen(pat), NULL, 10);
}

/* The JSON row of class @idx, or NULL. */
static const char *class_row(const char *json, unsigned int idx)
{
	char pat[32];

	snprintf(pat, sizeof(pat), "{\"class\":%u,", idx);
	return strstr(json, pat);
}

static int count_rows(const char *json)
{
	const char *p;
	int n = 0;

	for (p = strstr(json, "{\"class\":"); p; p = strstr(p + 1, "{\"class\":"))
		n++;
	return n;
}

struct geo_args {
	enum zs_free_design design;
	struct ref_class ref[REF_NR];
	int rows, huge, pages48, pages80, pages3632, bad_len;
	size_t huge_size;
};

/* pages_per_zspage of the class zs_malloc(@len) uses, or -1. */
static int pages_of(struct zs_pool *pool, const char *json, int len)
{
	const char *row = class_row(json, zs_lookup_class_index(pool, len + REF_HANDLE));

	return row ? (int)row_field(row, "pages_per_zspage") : -1;
}

static int geometry_task(void *arg)
{
	struct geo_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("geo", a->design);
	char *json;
	int len;

	if (!pool)
		return __LINE__;
	json = dump("geo", true);
	if (!json) {
		zs_destroy_pool(pool);
		return __LINE__;
	}
	a->rows = count_rows(json);
	a->huge_size = zs_huge_class_size(pool);
	a->pages48 = pages_of(pool, json, 48 - REF_HANDLE);
	a->pages80 = pages_of(pool, json, 80 - REF_HANDLE);
	a->pages3632 = pages_of(pool, json, 3632 - REF_HANDLE);
	/* Every request's class has the reference's pages per zspage. */
	a->bad_len = 0;
	for (len = 1; len <= REF_PAGE - REF_HANDLE && !a->bad_len; len++)
		if (pages_of(pool, json, len) != a->ref[ref_index(len)].pages)
			a->bad_len = len;
	free(json);
	zs_destroy_pool(pool);
	return 0;
}

static void test_class_geometry(void **state)
{
	static struct geo_args a;
	int i, d;

	for (i = 0; i < REF_NR; i++)
		ref_geometry(REF_MIN + i * REF_DELTA, &a.ref[i]);

	boot(state);
	for (d = 0; d < 2; d++) {
		a.design = d ? ZS_FREE_RCU : ZS_FREE_DEFERRED;
		assert_int_equal(zsim_run(0, geometry_task, &a), 0);
		assert_int_equal(a.bad_len, 0);
		assert_int_equal(a.rows, ref_nr_merged(a.ref));
		assert_int_equal(a.huge_size, ref_huge_size(a.ref));
		assert_int_equal(a.pages48, a.ref[ref_index(48 - REF_HANDLE)].pages);
		assert_int_equal(a.pages80, a.ref[ref_index(80 - REF_HANDLE)].pages);
		assert_int_equal(a.pages3632, a.ref[ref_index(3632 - REF_HANDLE)].pages);
		if (REF_CHAIN == 8) {
			/* The numbers a kernel developer knows for the default. */
			assert_int_equal(a.pages48, 3);
			assert_int_equal(a.pages80, 5);
			assert_int_equal(a.pages3632, 8);
			assert_int_equal(a.huge_size, 3625);
		}
	}
	zsim_test_shutdown_clean();
}

/*
 * Requests of 504 bytes take 512-byte objects: one-page zspages of 8
 * objects. The fullness group of a zspage with n of 8 in use is
 * 1 + 10 * n / 8, named by its upper bound: 2 -> "30%", 3 -> "40%",
 * 4 -> "60%", 5 -> "70%", 6 -> "80%", 7 -> "90%", 8 -> "100%".
 */
#define FIT_LEN		504
#define FIT_OBJS	8

struct fit_args {
	enum zs_free_design design;
	/* histograms after each step: counts in "30%", "40%", "60%", ... */
	long hist[4][7];
};

static const char *const fit_groups[7] = {
	"30%", "40%", "60%", "70%", "80%", "90%", "100%",
};

static int fit_hist(struct zs_pool *pool, long *hist)
{
	char *json = dump("fit", true);
	const char *row;
	int g;

	if (!json)
		return __LINE__;
	row = class_row(json, zs_lookup_class_index(pool, FIT_LEN + REF_HANDLE));
	for (g = 0; g < 7; g++)
		hist[g] = row ? row_field(row, fit_groups[g]) : -1;
	free(json);
	return 0;
}

static int fit_task(void *arg)
{
	struct fit_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("fit", a->design);
	unsigned long h[3 * FIT_OBJS + 3] = { };
	/* Objects to free from zspages A, B, C: leave 2, 6 and 4 in use. */
	static const int keep[3] = { 2, 6, 4 };
	int i, z, n = 0, ret = 0;

	if (!pool)
		return __LINE__;
	/* Three full zspages, filled one after the other: A, B, C. */
	for (i = 0; i < 3 * FIT_OBJS; i++) {
		h[n] = zs_malloc(pool, FIT_LEN, GFP_KERNEL, NUMA_NO_NODE);
		CHECK_GOTO(!IS_ERR_VALUE(h[n]), out);
		n++;
	}
	CHECK_GOTO(zs_get_total_pages(pool) == 3, out);
	for (z = 0; z < 3; z++) {
		for (i = keep[z]; i < FIT_OBJS; i++) {
			zs_free(pool, h[z * FIT_OBJS + i]);
			h[z * FIT_OBJS + i] = 0;
		}
	}
	/* Now A is in "30%", C in "60%", B in "80%". */
	CHECK_GOTO(!fit_hist(pool, a->hist[0]), out);
	/* Each allocation must go to the fullest zspage with room. */
	for (i = 1; i < 4; i++) {
		h[n] = zs_malloc(pool, FIT_LEN, GFP_KERNEL, NUMA_NO_NODE);
		CHECK_GOTO(!IS_ERR_VALUE(h[n]), out);
		n++;
		CHECK_GOTO(!fit_hist(pool, a->hist[i]), out);
	}
	/* No new zspage was needed. */
	CHECK_GOTO(zs_get_total_pages(pool) == 3, out);
out:
	for (i = 0; i < n; i++)
		if (h[i] && !IS_ERR_VALUE(h[i]))
			zs_free(pool, h[i]);
	zs_destroy_pool(pool);
	return ret;
}

static void test_alloc_fullest_first(void **state)
{
	/* Counts in 30% 40% 60% 70% 80% 90% 100%, after each step. */
	static const long want[4][7] = {
		{ 1, 0, 1, 0, 1, 0, 0 },	/* A 2/8, C 4/8, B 6/8 */
		{ 1, 0, 1, 0, 0, 1, 0 },	/* B 7/8 */
		{ 1, 0, 1, 0, 0, 0, 1 },	/* B full */
		{ 1, 0, 0, 1, 0, 0, 1 },	/* then C 5/8, not A */
	};
	static struct fit_args a;
	int d, s, g;

	boot(state);
	for (d = 0; d < 2; d++) {
		memset(&a, 0, sizeof(a));
		a.design = d ? ZS_FREE_RCU : ZS_FREE_DEFERRED;
		assert_int_equal(zsim_run(0, fit_task, &a), 0);
		for (s = 0; s < 4; s++)
			for (g = 0; g < 7; g++)
				assert_int_equal(a.hist[s][g], want[s][g]);
	}
	zsim_test_shutdown_clean();
}

struct table_args {
	char *text, *json;
	long obj_used;
};

static int table_task(void *arg)
{
	struct table_args *a = arg;
	struct zs_pool *pool = zs_create_pool_design("table", ZS_FREE_DEFERRED);
	unsigned long h[40];
	int i, ret = 0;

	if (!pool)
		return __LINE__;
	for (i = 0; i < 40; i++) {
		h[i] = zs_malloc(pool, 100 + i * 97, GFP_KERNEL, NUMA_NO_NODE);
		CHECK_GOTO(!IS_ERR_VALUE(h[i]), out);
	}
	a->text = dump("table", false);
	a->json = dump("table", true);
out:
	while (i--)
		zs_free(pool, h[i]);
	zs_destroy_pool(pool);
	return ret;
}

/*
 * Sum of column @col (0: "class") over the class rows of the text dump:
 * the lines that start with a class number (not the header, the Total
 * row or the pool totals after the table).
 */
static long text_column_sum(const char *text, int col, int *rows)
{
	char *copy = strdup(text), *save = NULL, *line;
	long sum = 0;

	*rows = 0;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *w, *s2 = NULL;
		int c = 0;

		w = strtok_r(line, " ", &s2);
		if (!w || *w < '0' || *w > '9')
			continue;
		(*rows)++;
		while (w && c < col) {
			w = strtok_r(NULL, " ", &s2);
			c++;
		}
		if (w)
			sum += strtol(w, NULL, 10);
	}
	free(copy);
	return sum;
}

/* The text table (upstream's layout) and the JSON dump say the same. */
static void test_table_text_json(void **state)
{
	static struct table_args a;
	const char *tot, *pages;
	int rows;

	boot(state);
	memset(&a, 0, sizeof(a));
	assert_int_equal(zsim_run(0, table_task, &a), 0);
	assert_non_null(a.text);
	assert_non_null(a.json);
	/* Header as the kernel's: class size 10% .. 100% then the counters. */
	assert_non_null(strstr(a.text, "class  size       10%"));
	assert_non_null(strstr(a.text, "obj_allocated   obj_used pages_used"));
	assert_non_null(strstr(a.text, "pages_used pages_per_zspage freeable"));
	/* obj_used is column 14 (class, size, 11 groups, obj_allocated). */
	assert_int_equal(text_column_sum(a.text, 14, &rows), 40);
	assert_int_equal(rows, count_rows(a.json));
	tot = strstr(a.json, "\"total\":");
	assert_non_null(tot);
	assert_int_equal(row_field(tot, "obj_used"), 40);
	assert_int_equal(row_field(tot, "pages_per_zspage"), -1);
	assert_non_null(strstr(a.json, "\"design\":\"deferred\""));
	assert_true(row_field(a.json, "pages") > 0);
	assert_int_equal(row_field(a.json, "pages"), row_field(tot, "pages_used"));
	/* The text dump ends with the same totals, one "key value" a line. */
	assert_non_null(strstr(a.text, "\ndesign deferred\n"));
	pages = strstr(a.text, "\npages ");
	assert_non_null(pages);
	assert_int_equal(strtol(pages + 7, NULL, 10), row_field(a.json, "pages"));
	free(a.text);
	free(a.json);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_FREE(test_class_geometry),
		ZSIM_TEST_FREE(test_alloc_fullest_first),
		ZSIM_TEST_FREE(test_table_text_json),
	};

	return cmocka_run_group_tests_name("zsmalloc_classes", tests, NULL, NULL);
}
