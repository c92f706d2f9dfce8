// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault injection: nth, every-N and seeded probability modes, counters,
 * ZSWAPSIM_FAULTS parsing, per-cache and user-defined sites, the list of
 * sites an unknown one's message gives, and that an injected failure has
 * no side effect.
 */
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <sim/report.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zsim_test.h"

static DEFINE_FAULT_SITE(test_site, "test_site");

static void boot_seed(uint64_t seed)
{
	struct zsim_config cfg;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 2;
	cfg.seed = seed;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

/* Outcomes of @n kmallocs as a bit string: 1 = failed. */
static unsigned long kmalloc_pattern(int n)
{
	unsigned long bits = 0;
	int i;

	for (i = 0; i < n; i++) {
		void *p = kmalloc(32, GFP_KERNEL | __GFP_NOWARN);

		if (!p)
			bits |= 1UL << i;
		kfree(p);
	}
	return bits;
}

static void test_nth(void **state)
{
	boot_seed(1);
	assert_int_equal(zsim_fault_set("kmalloc", 0, 0, 3), 0);
	assert_int_equal(kmalloc_pattern(6), 0x4);
	assert_int_equal(zsim_fault_calls("kmalloc"), 6);
	assert_int_equal(zsim_fault_injected("kmalloc"), 1);
	/* Configuring again restarts the count. */
	assert_int_equal(zsim_fault_set("kmalloc", 0, 0, 1), 0);
	assert_int_equal(zsim_fault_calls("kmalloc"), 0);
	assert_int_equal(kmalloc_pattern(3), 0x1);
	zsim_fault_clear_all();
	assert_int_equal(kmalloc_pattern(3), 0);
	zsim_test_shutdown_clean();
}

static void test_every(void **state)
{
	boot_seed(1);
	assert_int_equal(zsim_fault_set("kmalloc", 0, 3, 0), 0);
	assert_int_equal(kmalloc_pattern(9), 0x124);
	assert_int_equal(zsim_fault_injected("kmalloc"), 3);
	/* nth wins over interval, interval over probability. */
	assert_int_equal(zsim_fault_set("kmalloc", 1000, 2, 4), 0);
	assert_int_equal(kmalloc_pattern(5), 0x8);
	assert_int_equal(zsim_fault_set("kmalloc", 1000, 2, 0), 0);
	assert_int_equal(kmalloc_pattern(4), 0xa);
	assert_int_equal(zsim_fault_set("kmalloc", 1000, 0, 0), 0);
	assert_int_equal(kmalloc_pattern(4), 0xf);
	zsim_test_shutdown_clean();
}

struct prob_run {
	unsigned long bits[4];
	unsigned long injected;
};

static int cache_pattern(void *arg)
{
	struct prob_run *r = arg;
	struct kmem_cache *c = kmem_cache_create("prob_cache", 64, 0, 0, NULL);
	int i;

	for (i = 0; i < 256; i++) {
		void *p = kmem_cache_alloc(c, GFP_KERNEL | __GFP_NOWARN);

		if (!p)
			r->bits[i / 64] |= 1UL << (i % 64);
		else
			kmem_cache_free(c, p);
	}
	kmem_cache_destroy(c);
	return 0;
}

static void prob_run(void **state, uint64_t seed, struct prob_run *r)
{
	memset(r, 0, sizeof(*r));
	zsim_test_boot(state, 2, seed);
	assert_int_equal(zsim_fault_set("kmem_cache_alloc", 300, 0, 0), 0);
	assert_int_equal(zsim_run(1, cache_pattern, r), 0);
	r->injected = zsim_fault_injected("kmem_cache_alloc");
	assert_int_equal(zsim_fault_calls("kmem_cache_alloc"), 256);
	zsim_test_shutdown_clean();
}

static void test_probability_reproducible(void **state)
{
	struct prob_run a, b, c;

	prob_run(state, 42, &a);
	prob_run(state, 42, &b);
	prob_run(state, 43, &c);
	assert_memory_equal(a.bits, b.bits, sizeof(a.bits));
	assert_int_equal(a.injected, b.injected);
	assert_memory_not_equal(a.bits, c.bits, sizeof(a.bits));
	/* About 30% of 256. */
	assert_true(a.injected > 40 && a.injected < 120);
	assert_true(c.injected > 40 && c.injected < 120);
}

static void test_failure_has_no_side_effects(void **state)
{
	unsigned long live, free_pages;
	struct kmem_cache *c;
	void *p;

	boot_seed(3);
	c = kmem_cache_create("nofail_cache", 128, 0, 0, NULL);
	live = kmem_live_objects();
	free_pages = nr_free_pages();
	assert_int_equal(zsim_fault_set("kmalloc", 1000, 0, 0), 0);
	assert_int_equal(zsim_fault_set("alloc_pages", 1000, 0, 0), 0);
	assert_int_equal(zsim_fault_set("vmalloc", 1000, 0, 0), 0);
	assert_int_equal(zsim_fault_set("kmem_cache:nofail_cache", 1000, 0, 0), 0);
	assert_null(kmalloc(100, GFP_KERNEL));			/* warns */
	assert_null(kzalloc(100, GFP_KERNEL | __GFP_NOWARN));
	assert_null(kstrdup("x", GFP_KERNEL | __GFP_NOWARN));
	assert_null(kvmalloc(1 << 20, GFP_KERNEL | __GFP_NOWARN));	/* both paths fail */
	assert_null(vmalloc(4096));
	assert_null(alloc_pages(GFP_KERNEL, 0));		/* warns */
	assert_null(folio_alloc(GFP_KERNEL | __GFP_NOWARN, 2));
	assert_int_equal(__get_free_page(GFP_KERNEL | __GFP_NOWARN), 0);
	assert_null(kmem_cache_alloc(c, GFP_KERNEL | __GFP_NOWARN));
	assert_int_equal(kmem_live_objects(), live);
	assert_int_equal(nr_free_pages(), free_pages);
	assert_int_equal(zsim_fault_injected("kmem_cache:nofail_cache"), 1);
	assert_int_equal(zsim_fault_injected("alloc_pages"), 3);

	/* __GFP_NOFAIL allocations are never failed. */
	p = kmalloc(100, GFP_KERNEL | __GFP_NOFAIL);
	assert_non_null(p);
	kfree(p);
	p = kmem_cache_alloc(c, GFP_KERNEL | __GFP_NOFAIL);
	assert_non_null(p);
	kmem_cache_free(c, p);
	zsim_fault_clear_all();
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(p);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	zsim_test_shutdown_clean();
}

static void test_sites_api(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	boot_seed(5);
	/* A DEFINE_FAULT_SITE site is known before its first call. */
	assert_int_equal(zsim_fault_set("test_site", 0, 0, 2), 0);
	assert_false(should_fail_site(&test_site));
	assert_true(should_fail_site(&test_site));
	assert_false(should_fail_site(&test_site));
	assert_int_equal(zsim_fault_calls("test_site"), 3);
	/* A site known by name only registers on first use. */
	assert_int_equal(zsim_fault_set("dynamic_site", 0, 0, 1), -ENOENT);
	assert_false(fault_should_fail("dynamic_site"));
	assert_int_equal(zsim_fault_set("dynamic_site", 0, 2, 0), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(fault_should_fail("dynamic_site"), i % 2 == 1);
	assert_int_equal(zsim_fault_injected("dynamic_site"), 2);
	assert_int_equal(zsim_fault_set("no_such_site", 10, 0, 0), -ENOENT);
	assert_int_equal(zsim_fault_set("kmalloc", 1001, 0, 0), -EINVAL);
	assert_int_equal(zsim_fault_calls("no_such_site"), 0);
	assert_int_equal(zsim_fault_calls(NULL), 0);
	assert_int_equal(zsim_fault_injected(NULL), 0);

	f = open_memstream(&buf, &len);
	zsim_fault_list(f);
	fclose(f);
	assert_non_null(strstr(buf, "kmalloc"));
	assert_non_null(strstr(buf, "kmem_cache_alloc"));
	assert_non_null(strstr(buf, "alloc_pages"));
	assert_non_null(strstr(buf, "vmalloc"));
	assert_non_null(strstr(buf, "every=2"));
	free(buf);
	zsim_test_shutdown_clean();
}

static void test_env(void **state)
{
	struct kmem_cache *c;
	void *p;

	setenv("ZSWAPSIM_FAULTS", " kmalloc:nth=2 , alloc_pages:every=2,kmem_cache:env_cache:p=1000", 1);
	boot_seed(9);
	unsetenv("ZSWAPSIM_FAULTS");
	/* Armed after boot: the counts start with the test's calls. */
	assert_int_equal(kmalloc_pattern(4), 0x2);
	p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0);
	assert_non_null(p);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	__free_page((struct page *)p);
	c = kmem_cache_create("env_cache", 16, 0, 0, NULL);
	assert_null(kmem_cache_alloc(c, GFP_KERNEL | __GFP_NOWARN));
	kmem_cache_destroy(c);
	zsim_test_shutdown_clean();
}

static void test_env_errors(void **state)
{
	static const struct {
		const char *spec;
		int err;
	} cases[] = {
		{ "kmalloc", -EINVAL },
		{ "kmalloc:x=1", -EINVAL },
		{ "kmalloc:p", -EINVAL },
		{ "kmalloc:p=2000", -EINVAL },
		{ "kmalloc:nth=abc", -EINVAL },
		{ "kmalloc:every=0", -EINVAL },
		{ "kmalloc:nth=-1", -EINVAL },
		{ ":p=3", -EINVAL },
		{ "kmalloc:nth=1,bogus", -EINVAL },
		{ "no_such_site:p=5", -ENOENT },
	};
	struct zsim_config cfg;
	size_t i;

	zsim_config_init(&cfg);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		setenv("ZSWAPSIM_FAULTS", cases[i].spec, 1);
		assert_int_equal(zsim_machine_start(&cfg), cases[i].err);
		assert_false(zsim_machine_running());
	}
	unsetenv("ZSWAPSIM_FAULTS");
	/* A failed parse leaves nothing configured. */
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(kmalloc_pattern(3), 0);
	zsim_test_shutdown_clean();
}

/* The sites an unknown site's message must list, and what it must not. */
static void check_site_list(const char *msg, const char *head)
{
	assert_non_null(strstr(msg, head));
	assert_non_null(strstr(msg, " alloc_pages,"));
	assert_non_null(strstr(msg, " kmalloc,"));
	assert_non_null(strstr(msg, " test_site,"));
	assert_non_null(strstr(msg, " and kmem_cache:<name> for a slab cache\n"));
	/* Per-cache sites are the pattern, not one name per cache. */
	assert_null(strstr(msg, "kmem_cache:radix_tree_node"));
}

static void test_unknown_site_lists_sites(void **state)
{
	struct zsim_config cfg;
	char *msg, *list = NULL;
	size_t len = 0;
	FILE *f;
	int fd;

	zsim_config_init(&cfg);
	setenv("ZSWAPSIM_FAULTS", "kmalloc:nth=1,no_such_site:p=5", 1);
	f = zsim_test_stderr_begin(&fd);
	assert_int_equal(zsim_machine_start(&cfg), -ENOENT);
	msg = zsim_test_stderr_end(f, fd);
	unsetenv("ZSWAPSIM_FAULTS");
	check_site_list(msg, "zswapsim: ZSWAPSIM_FAULTS: unknown fault site \"no_such_site\" "
			"in \"no_such_site:p=5\"; the sites are ");
	free(msg);

	/* With a machine up, its caches' sites are there too, not listed. */
	boot_seed(1);
	f = open_memstream(&list, &len);
	zsim_fault_list(f);
	fclose(f);
	assert_non_null(strstr(list, "kmem_cache:radix_tree_node"));
	free(list);
	f = zsim_test_stderr_begin(&fd);
	assert_int_equal(zsim_fault_set("no_such_site", 10, 0, 0), -ENOENT);
	msg = zsim_test_stderr_end(f, fd);
	check_site_list(msg, "zswapsim: zsim_fault_set(): unknown fault site \"no_such_site\"; "
			"the sites are ");
	free(msg);
	zsim_test_shutdown_clean();
}

/* A failed test must not leave its machine to the next one. */
static int stop_machine(void **state)
{
	unsetenv("ZSWAPSIM_FAULTS");
	if (zsim_machine_running())
		zsim_machine_stop();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_nth, stop_machine),
		cmocka_unit_test_teardown(test_every, stop_machine),
		ZSIM_TEST_BOTH(test_probability_reproducible),
		cmocka_unit_test_teardown(test_failure_has_no_side_effects, stop_machine),
		cmocka_unit_test_teardown(test_sites_api, stop_machine),
		cmocka_unit_test_teardown(test_env, stop_machine),
		cmocka_unit_test_teardown(test_env_errors, stop_machine),
		cmocka_unit_test_teardown(test_unknown_site_lists_sites, stop_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
