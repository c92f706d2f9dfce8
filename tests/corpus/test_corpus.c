// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page corpus (bench/corpus.c): the generator's determinism and mix,
 * reading files and directories, page boundaries, and errors. The corpus
 * is plain C (no simulated machine), so the tests call it directly.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "corpus.h"

#define PAGE	CORPUS_PAGE_SIZE

static void test_generate_deterministic(void **state)
{
	struct corpus a, b, c;
	unsigned char page[PAGE];
	unsigned long i;

	assert_int_equal(corpus_generate(&a, 42, 500, NULL), 0);
	assert_int_equal(corpus_generate(&b, 42, 500, NULL), 0);
	assert_int_equal(corpus_generate(&c, 43, 500, NULL), 0);
	assert_int_equal(a.nr_pages, 500);
	assert_memory_equal(a.data, b.data, 500 * PAGE);
	assert_memory_equal(a.kinds, b.kinds, 500);
	/* Another seed: another corpus (zero pages may coincide, not all). */
	assert_true(memcmp(a.data, c.data, 500 * PAGE) != 0);

	/* Page i depends on (seed, i) only: random access gives the same. */
	for (i = 0; i < 500; i += 37) {
		enum corpus_kind k = corpus_gen_page(42, i, NULL, page);

		assert_int_equal(k, corpus_page_kind(&a, i));
		assert_memory_equal(page, corpus_page(&a, i), PAGE);
	}
	corpus_release(&a);
	corpus_release(&b);
	corpus_release(&c);
	assert_null(a.data);
}

/* Each kind's share is its permille within 1% (20000 pages, 3 sigma). */
static void test_generate_mix(void **state)
{
	const unsigned long nr = 20000;
	unsigned long counts[CORPUS_NR_KINDS], i;
	struct corpus c;
	int k;

	assert_int_equal(corpus_generate(&c, 1, nr, NULL), 0);
	corpus_count_kinds(&c, counts);
	for (k = 0; k < CORPUS_NR_KINDS; k++) {
		double share = 1000.0 * counts[k] / nr;

		assert_true(share >= corpus_default_mix.permille[k] - 10.0);
		assert_true(share <= corpus_default_mix.permille[k] + 10.0);
	}
	assert_int_equal(counts[CORPUS_FILE], 0);

	/* Every page is what its kind says. */
	for (i = 0; i < nr; i++) {
		enum corpus_kind kind = corpus_page_kind(&c, i);
		enum corpus_kind seen = corpus_classify(corpus_page(&c, i), CORPUS_FILE);

		if (kind == CORPUS_ZERO || kind == CORPUS_SAME)
			assert_int_equal(seen, kind);
		else
			assert_int_equal(seen, CORPUS_FILE);
	}
	corpus_release(&c);
}

static void test_generate_custom_mix(void **state)
{
	struct corpus_mix mix = { .permille = { [CORPUS_CODE] = 1, [CORPUS_TEXT] = 1 } };
	struct corpus_mix none = { { 0 } };
	unsigned long counts[CORPUS_NR_KINDS];
	struct corpus c;

	assert_int_equal(corpus_generate(&c, 5, 2000, &mix), 0);
	corpus_count_kinds(&c, counts);
	assert_int_equal(counts[CORPUS_CODE] + counts[CORPUS_TEXT], 2000);
	assert_true(counts[CORPUS_CODE] > 900 && counts[CORPUS_CODE] < 1100);
	corpus_release(&c);

	assert_int_equal(corpus_generate(&c, 5, 0, NULL), -EINVAL);
	assert_int_equal(corpus_generate(&c, 5, 10, &none), -EINVAL);
	assert_null(c.data);
	assert_string_equal(corpus_kind_name(CORPUS_HEAP), "heap");
	assert_string_equal(corpus_kind_name(CORPUS_NR_KINDS), "?");
}

/* A scratch directory for the file tests, removed by the teardown. */
static char tmpdir[PATH_MAX / 2];

static int make_tmpdir(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/zsim-corpus-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) ? -1 : 0;
}

static const char *tmp_path(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", tmpdir, name);
	return buf;
}

/* Write @len bytes to @name: byte i is (i * 7 + @salt) & 0xff. */
static void write_file(const char *name, size_t len, unsigned int salt)
{
	char path[PATH_MAX];
	FILE *f = fopen(tmp_path(path, name), "wb");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < len; i++)
		fputc((int)((i * 7 + salt) & 0xff), f);
	assert_int_equal(fclose(f), 0);
}

static void assert_file_bytes(const unsigned char *page, size_t from, size_t len,
			      unsigned int salt)
{
	size_t i;

	for (i = 0; i < len; i++)
		assert_int_equal(page[i], ((from + i) * 7 + salt) & 0xff);
}

static void assert_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		assert_int_equal(p[i], 0);
}

static void test_load_page_boundaries(void **state)
{
	char path[PATH_MAX], err[512];
	const unsigned char *p;
	struct corpus c;

	/* Exactly three pages: no tail, the same with either policy. */
	write_file("three", 3 * PAGE, 1);
	assert_int_equal(corpus_load(&c, tmp_path(path, "three"), CORPUS_TAIL_SKIP, 0,
				     err, sizeof(err)), 0);
	assert_int_equal(c.nr_pages, 3);
	assert_int_equal(c.nr_files, 1);
	assert_file_bytes(corpus_page(&c, 0), 0, 3 * PAGE, 1);
	assert_int_equal(corpus_page_kind(&c, 2), CORPUS_FILE);
	corpus_release(&c);

	/* One byte over a page: padded to two pages, or one. */
	write_file("over", PAGE + 1, 2);
	assert_int_equal(corpus_load(&c, tmp_path(path, "over"), CORPUS_TAIL_PAD, 0,
				     err, sizeof(err)), 0);
	assert_int_equal(c.nr_pages, 2);
	p = corpus_page(&c, 1);
	assert_int_equal(p[0], (PAGE * 7 + 2) & 0xff);
	assert_zero(p + 1, PAGE - 1);
	corpus_release(&c);
	assert_int_equal(corpus_load(&c, path, CORPUS_TAIL_SKIP, 0, err, sizeof(err)), 0);
	assert_int_equal(c.nr_pages, 1);
	assert_file_bytes(corpus_page(&c, 0), 0, PAGE, 2);
	corpus_release(&c);

	/* A file shorter than a page: one padded page, or nothing at all. */
	write_file("short", 100, 3);
	assert_int_equal(corpus_load(&c, tmp_path(path, "short"), CORPUS_TAIL_SKIP, 0,
				     err, sizeof(err)), -ENODATA);
	assert_non_null(strstr(err, path));
	assert_null(c.data);
	assert_int_equal(corpus_load(&c, path, CORPUS_TAIL_PAD, 0, err, sizeof(err)), 0);
	assert_int_equal(c.nr_pages, 1);
	assert_file_bytes(corpus_page(&c, 0), 0, 100, 3);
	assert_zero((const unsigned char *)corpus_page(&c, 0) + 100, PAGE - 100);
	corpus_release(&c);
}

static void test_load_directory(void **state)
{
	char path[PATH_MAX], err[512];
	unsigned long counts[CORPUS_NR_KINDS];
	struct corpus c;

	/* Name order: a (2.5 pages), b/c (1 page of zeros), b/d (empty), e. */
	write_file("a", 2 * PAGE + PAGE / 2, 4);
	assert_int_equal(mkdir(tmp_path(path, "b"), 0755), 0);
	{
		char zero[PAGE] = { 0 };
		FILE *f = fopen(tmp_path(path, "b/c"), "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(zero, 1, PAGE, f), PAGE);
		assert_int_equal(fclose(f), 0);
	}
	write_file("b/d", 0, 0);
	write_file("e", PAGE, 5);

	assert_int_equal(corpus_load(&c, tmpdir, CORPUS_TAIL_PAD, 0, err, sizeof(err)), 0);
	assert_int_equal(c.nr_pages, 5);
	assert_int_equal(c.nr_files, 4);
	assert_file_bytes(corpus_page(&c, 0), 0, 2 * PAGE + PAGE / 2, 4);
	assert_zero((const unsigned char *)corpus_page(&c, 2) + PAGE / 2, PAGE / 2);
	assert_int_equal(corpus_page_kind(&c, 3), CORPUS_ZERO);
	assert_file_bytes(corpus_page(&c, 4), 0, PAGE, 5);
	corpus_count_kinds(&c, counts);
	assert_int_equal(counts[CORPUS_FILE], 4);
	assert_int_equal(counts[CORPUS_ZERO], 1);
	corpus_release(&c);

	assert_int_equal(corpus_load(&c, tmpdir, CORPUS_TAIL_SKIP, 0, err, sizeof(err)), 0);
	assert_int_equal(c.nr_pages, 4);
	assert_file_bytes(corpus_page(&c, 3), 0, PAGE, 5);
	corpus_release(&c);

	/* At most max_pages, stopping inside a file. */
	assert_int_equal(corpus_load(&c, tmpdir, CORPUS_TAIL_PAD, 2, err, sizeof(err)), 0);
	assert_int_equal(c.nr_pages, 2);
	assert_int_equal(c.nr_files, 1);
	corpus_release(&c);
}

static void test_load_errors(void **state)
{
	char path[PATH_MAX], err[512];
	struct corpus c;

	assert_int_equal(corpus_load(&c, tmp_path(path, "missing"), CORPUS_TAIL_PAD, 0,
				     err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "No such file or directory"));
	assert_null(c.data);
	assert_int_equal(c.nr_pages, 0);

	/* Without a message buffer the errno still comes back. */
	assert_int_equal(corpus_load(&c, path, CORPUS_TAIL_PAD, 0, NULL, 0), -ENOENT);

	/* An empty directory has no page. */
	assert_int_equal(mkdir(tmp_path(path, "empty"), 0755), 0);
	assert_int_equal(corpus_load(&c, path, CORPUS_TAIL_PAD, 0, err, sizeof(err)),
			 -ENODATA);
	assert_non_null(strstr(err, "no page"));

	/* A directory that contains itself ends at the depth limit. */
	assert_int_equal(mkdir(tmp_path(path, "loop"), 0755), 0);
	write_file("loop/f", PAGE, 6);
	assert_int_equal(symlink(".", tmp_path(path, "loop/self")), 0);
	assert_int_equal(corpus_load(&c, tmp_path(path, "loop"), CORPUS_TAIL_PAD, 0,
				     err, sizeof(err)), -ELOOP);
	assert_non_null(strstr(err, "loop/self/self"));
	assert_null(c.data);
}

int main(void)
{
	const struct CMUnitTest gen_tests[] = {
		cmocka_unit_test(test_generate_deterministic),
		cmocka_unit_test(test_generate_mix),
		cmocka_unit_test(test_generate_custom_mix),
	};
	const struct CMUnitTest file_tests[] = {
		cmocka_unit_test_setup_teardown(test_load_page_boundaries, make_tmpdir,
						remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_load_directory, make_tmpdir,
						remove_tmpdir),
		cmocka_unit_test_setup_teardown(test_load_errors, make_tmpdir,
						remove_tmpdir),
	};
	int failed;

	failed = cmocka_run_group_tests_name("corpus generator", gen_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("corpus files", file_tests, NULL, NULL);
	return failed;
}
