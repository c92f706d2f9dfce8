// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machine's slab debug options (struct zsim_config slub_debug and
 * kmemleak, ZSWAPSIM_SLUB_DEBUG and ZSWAPSIM_KMEMLEAK): defaults and the
 * environment, poisoning and the quarantine on and off, the object API
 * without the object table (the trailer), leak reports by count, and the
 * per-CPU counts of a cache.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/poison.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <sim/report.h>
#include <stdlib.h>
#include <string.h>

#include "zsim_test.h"
#include "../../shim/mm/slab.h"	/* struct kmem_cache: its CPU lists */

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#else
#define HAVE_ASAN 0
#endif

static void boot(void **state, bool slub_debug, bool kmemleak, bool quiet)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 11);
	cfg.slub_debug = slub_debug;
	cfg.kmemleak = kmemleak;
	cfg.quiet = quiet;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

/* On by default, as the tests and fuzzers run; the environment can say 0. */
static void test_defaults_and_env(void **state)
{
	struct zsim_config cfg;

	zsim_config_init(&cfg);
	assert_true(cfg.slub_debug);
	assert_true(cfg.kmemleak);
	setenv("ZSWAPSIM_SLUB_DEBUG", "0", 1);
	setenv("ZSWAPSIM_KMEMLEAK", "0", 1);
	assert_int_equal(zsim_config_from_env(&cfg), 0);
	assert_false(cfg.slub_debug);
	assert_false(cfg.kmemleak);
	setenv("ZSWAPSIM_KMEMLEAK", "yes", 1);
	assert_int_equal(zsim_config_from_env(&cfg), -EINVAL);
	setenv("ZSWAPSIM_SLUB_DEBUG", "1", 1);
	setenv("ZSWAPSIM_KMEMLEAK", "1", 1);
	assert_int_equal(zsim_config_from_env(&cfg), 0);
	assert_true(cfg.slub_debug);
	assert_true(cfg.kmemleak);
	unsetenv("ZSWAPSIM_SLUB_DEBUG");
	unsetenv("ZSWAPSIM_KMEMLEAK");
}

/*
 * slub_debug on: a freed object is poisoned and quarantined, so its memory
 * is not handed out again by the next allocations of its size.
 */
static void test_poison_on(void **state)
{
	unsigned char *p, *q;
	int i;

	boot(state, true, false, false);
	p = kmalloc(64, GFP_KERNEL);
	assert_non_null(p);
	memset(p, 0x11, 64);
	kfree(p);
#if !HAVE_ASAN
	for (i = 0; i < 63; i++)
		assert_int_equal(p[i], POISON_FREE);
	assert_int_equal(p[63], POISON_END);
#endif
	for (i = 0; i < 64; i++) {
		q = kmalloc(64, GFP_KERNEL);
		assert_non_null(q);
		assert_ptr_not_equal(q, p);
		kfree(q);
	}
	zsim_test_shutdown_clean();
}

/*
 * slub_debug off: no quarantine, a freed object's memory goes straight
 * back to the host allocator and comes out again (not in sanitizer builds,
 * where ASan's own quarantine holds it).
 */
static void test_poison_off(void **state)
{
	void *p, *q;
	int i, reused = 0;

	boot(state, false, true, false);
	for (i = 0; i < 64; i++) {
		p = kmalloc(64, GFP_KERNEL);
		assert_non_null(p);
		kfree(p);
		q = kmalloc(64, GFP_KERNEL);
		assert_non_null(q);
		reused += q == p;
		kfree(q);
	}
	if (!HAVE_ASAN)
		assert_true(reused > 0);
	zsim_test_shutdown_clean();
}

/* Without the object table: every object call still works. */
static void test_kmemleak_off_api(void **state)
{
	struct kmem_cache *c;
	unsigned long base;
	char *p, *q, *v;
	void *o;

	boot(state, false, false, false);
	base = kmem_live_objects();
	c = kmem_cache_create("trailer_test", 40, 0, SLAB_HWCACHE_ALIGN, NULL);
	assert_non_null(c);
	o = kmem_cache_alloc(c, GFP_KERNEL | __GFP_ZERO);
	assert_non_null(o);
	assert_int_equal(((char *)o)[39], 0);
	assert_int_equal(kmem_cache_live_objects(c), 1);
	kfree(o);
	assert_int_equal(kmem_cache_live_objects(c), 0);
	kmem_cache_destroy(c);

	p = kmalloc(100, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(ksize(p), 128);
	memset(p, 'a', 100);
	q = krealloc(p, 120, GFP_KERNEL);
	assert_ptr_equal(q, p);
	q = krealloc(q, 3000, GFP_KERNEL);
	assert_non_null(q);
	assert_int_equal(q[99], 'a');
	assert_int_equal(ksize(q), 4096);
	kfree_sensitive(q);

	v = vmalloc(3 * PAGE_SIZE);
	assert_non_null(v);
	assert_true(is_vmalloc_addr(v));
	p = kvmalloc(64, GFP_KERNEL);
	assert_non_null(p);
	assert_false(is_vmalloc_addr(p));
	kvfree(p);
	kvfree(v);
	assert_int_equal(kmem_live_objects(), base);
	zsim_test_shutdown_clean();
}

/* Bad frees are still recognised through the trailer's check word. */
static void test_kmemleak_off_bad_frees(void **state)
{
	struct kmem_cache *c;
	unsigned long base;
	void *v, *p;

	boot(state, false, false, true);
	base = kmem_live_objects();
	v = vmalloc(PAGE_SIZE);
	assert_non_null(v);
	kfree(v);
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 1);
	assert_non_null(strstr(zsim_first_report(), "vmalloc()ed memory freed with kfree()"));
	/* Still allocated: freed the right way now. */
	vfree(v);
	/* A size nothing else allocates: its memory is not reused at once. */
	c = kmem_cache_create("bad_free_test", 1000, 0, 0, NULL);
	assert_non_null(c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(p);
#if !HAVE_ASAN
	/* In sanitizer builds, ASan reports these itself. */
	kfree((char *)p + 8);
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 2);
	assert_int_equal(kmem_cache_live_objects(c), 1);
	kmem_cache_free(c, p);
	kmem_cache_free(c, p);
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 3);
	assert_non_null(strstr(zsim_first_report(), "BUG: kfree("));
#else
	kmem_cache_free(c, p);
#endif
	assert_int_equal(kmem_cache_live_objects(c), 0);
	kmem_cache_destroy(c);
	assert_int_equal(kmem_live_objects(), base);
	assert_int_equal(zsim_machine_stop(), HAVE_ASAN ? 1 : 3);
}

/*
 * No object list without kmemleak, but a leak is still reported: by the
 * cache's count at kmem_cache_destroy() ("Slab cache still has objects")
 * and at machine stop.
 */
static void test_kmemleak_off_leak_counts(void **state)
{
	struct kmem_cache *c;
	const char *r;
	int i;

	boot(state, false, false, true);
	c = kmem_cache_create("leaky_nodebug", 48, 0, 0, NULL);
	assert_non_null(c);
	for (i = 0; i < 3; i++)
		assert_non_null(kmem_cache_alloc(c, GFP_KERNEL));
	kmem_cache_destroy(c);
	assert_int_equal(sim_report_count(SIM_REPORT_LEAK), 1);
	r = zsim_first_report();
	assert_non_null(strstr(r, "Objects remaining in leaky_nodebug on __kmem_cache_shutdown()"));
	assert_non_null(strstr(r, "3 object(s) still allocated"));
	assert_non_null(strstr(r, "kmemleak is off"));
	assert_non_null(strstr(r, "Slab cache still has objects"));
	assert_null(strstr(r, "allocated at:"));

	assert_non_null(kmalloc(200, GFP_KERNEL));
	assert_int_equal(zsim_machine_stop(), 2);
	assert_int_equal(sim_report_count(SIM_REPORT_LEAK), 2);
}

/* kmemleak on: the same leak lists the object and where it came from. */
static void test_kmemleak_on_lists_objects(void **state)
{
	boot(state, false, true, true);
	assert_non_null(kmalloc(200, GFP_KERNEL));
	assert_int_equal(zsim_machine_stop(), 1);
	assert_non_null(strstr(zsim_first_report(), "1 object(s) still allocated"));
	assert_non_null(strstr(zsim_first_report(), "(200 bytes) allocated at:"));
}

/* Counts per CPU: allocated on one CPU and freed on the other, they sum up. */
struct xcpu {
	struct kmem_cache	*cache;
	void			*obj[16];
};

static int alloc_all(void *arg)
{
	struct xcpu *x = arg;
	int i;

	for (i = 0; i < 16; i++)
		if (!(x->obj[i] = kmem_cache_alloc(x->cache, GFP_KERNEL)))
			return -ENOMEM;
	return (int)kmem_cache_live_objects(x->cache);
}

static int free_all(void *arg)
{
	struct xcpu *x = arg;
	int i;

	for (i = 0; i < 16; i++)
		kmem_cache_free(x->cache, x->obj[i]);
	return (int)kmem_cache_live_objects(x->cache);
}

static void test_counts_across_cpus(void **state)
{
	static struct xcpu x;
	bool debug;

	for (debug = false; ; debug = true) {
		boot(state, debug, debug, false);
		x.cache = kmem_cache_create("xcpu", 24, 0, 0, NULL);
		assert_non_null(x.cache);
		assert_int_equal(zsim_run(0, alloc_all, &x), 16);
		assert_int_equal(zsim_run(1, free_all, &x), 0);
		kmem_cache_destroy(x.cache);
		zsim_test_shutdown_clean();
		if (debug)
			break;
	}
}

/*
 * Without slub_debug and kmemleak, freed objects wait on their CPU's list
 * (shim/mm/slab_cpu.c) and come back LIFO on that CPU only. Sanitizer
 * builds have no lists (ASan's quarantine wants every free). Each step
 * that must stay on one CPU runs with preemption disabled and GFP_ATOMIC:
 * no scheduling point, so no migration, between a free and the allocation
 * that should find the object.
 */
#define LIST_TEST_OBJS	(3 * SLAB_CPU_OBJS)	/* three times a list's capacity */

struct lists {
	struct kmem_cache	*cache, *ctor_cache;
	void			*obj[LIST_TEST_OBJS];
	int			duplicates;
};

/* One allocation (and with @free, its free) on one CPU: which, and what. */
struct list_step {
	struct kmem_cache	*cache;
	bool			free;
	void			*obj;
	int			cpu;
};

static void nop_ctor(void *p)
{
}

static int list_step(void *arg)
{
	struct list_step *st = arg;

	preempt_disable();
	st->cpu = smp_processor_id();
	st->obj = kmem_cache_alloc(st->cache, GFP_ATOMIC);
	if (st->free)
		kmem_cache_free(st->cache, st->obj);
	preempt_enable();
	return 0;
}

static int churn(void *arg)
{
	struct lists *l = arg;
	void *a, *b, *c, *d;
	int i, j;

	/* LIFO: the last freed comes back first. */
	preempt_disable();
	a = kmalloc(200, GFP_ATOMIC);
	b = kmalloc(200, GFP_ATOMIC);
	kfree(a);
	kfree(b);
	c = kmalloc(256, GFP_ATOMIC);	/* the same class, kmalloc-256 */
	d = kmalloc(256, GFP_ATOMIC);
	kfree(c);
	kfree(d);
	preempt_enable();
	if (c != b || d != a)
		return -EINVAL;
	/* Overflow a list, then take as many back: each object once. */
	for (i = 0; i < LIST_TEST_OBJS; i++)
		l->obj[i] = kmem_cache_alloc(l->cache, GFP_KERNEL);
	for (i = 0; i < LIST_TEST_OBJS; i++)
		kmem_cache_free(l->cache, l->obj[i]);
	for (i = 0; i < LIST_TEST_OBJS; i++)
		l->obj[i] = kmem_cache_alloc(l->cache, GFP_KERNEL);
	for (i = 0; i < LIST_TEST_OBJS; i++)
		for (j = 0; j < i; j++)
			l->duplicates += l->obj[i] == l->obj[j] || !l->obj[i];
	for (i = 0; i < LIST_TEST_OBJS; i++)
		kmem_cache_free(l->cache, l->obj[i]);
	return 0;
}

static void test_cpu_lists(void **state)
{
	static struct lists l;
	struct list_step p = { .free = true }, q = { 0 }, r = { 0 };
	struct zsim_config cfg;

	memset(&l, 0, sizeof(l));
	zsim_test_config(state, &cfg, 2, 11);
	cfg.slub_debug = false;
	cfg.kmemleak = false;
	cfg.migrate_permille = 0;	/* each task stays where it starts */
	assert_int_equal(zsim_machine_start(&cfg), 0);
	l.cache = kmem_cache_create("lists", 48, 0, 0, NULL);
	l.ctor_cache = kmem_cache_create("lists_ctor", 48, 0, 0, nop_ctor);
	assert_non_null(l.cache);
	assert_non_null(l.ctor_cache);
	/* Lists for a plain cache only, and only without ASan. */
	assert_true((l.cache->cpu_slab == NULL) == HAVE_ASAN);
	assert_null(l.ctor_cache->cpu_slab);
	p.cache = q.cache = r.cache = l.cache;
	assert_int_equal(zsim_run(1, list_step, &p), 0);
	assert_int_equal(zsim_run(0, list_step, &q), 0);
	assert_int_equal(zsim_run(1, list_step, &r), 0);
	assert_int_equal(p.cpu, 1);
	assert_int_equal(q.cpu, 0);
	assert_int_equal(r.cpu, 1);
	if (!HAVE_ASAN) {
		/* p waited on CPU 1's list: not CPU 0's to take, CPU 1's next. */
		assert_ptr_not_equal(q.obj, p.obj);
		assert_ptr_equal(r.obj, p.obj);
		assert_int_equal(zsim_run(0, churn, &l), 0);
	}
	kmem_cache_free(l.cache, q.obj);
	kmem_cache_free(l.cache, r.obj);
	assert_int_equal(l.duplicates, 0);
	assert_int_equal(kmem_cache_live_objects(l.cache), 0);
	/* Listed objects are free ones: destroying the cache reports no leak. */
	kmem_cache_destroy(l.cache);
	kmem_cache_destroy(l.ctor_cache);
	zsim_test_shutdown_clean();
}

#if !HAVE_ASAN
/*
 * A second free of an object waiting on a CPU list is reported and does
 * not list it twice: of the next two allocations only one is the object
 * (in sanitizer builds there are no lists, and ASan reports it itself).
 */
static int double_free_task(void *arg)
{
	struct kmem_cache *c = arg;
	void *p, *q, *r;

	preempt_disable();
	p = kmem_cache_alloc(c, GFP_ATOMIC);
	kmem_cache_free(c, p);
	kmem_cache_free(c, p);
	q = kmem_cache_alloc(c, GFP_ATOMIC);
	r = kmem_cache_alloc(c, GFP_ATOMIC);
	preempt_enable();
	kmem_cache_free(c, q);
	kmem_cache_free(c, r);
	return q == p && r != p;
}

static void test_cpu_list_double_free(void **state)
{
	struct kmem_cache *c;

	boot(state, false, false, true);
	c = kmem_cache_create("lifo_df", 32, 0, 0, NULL);
	assert_non_null(c);
	assert_int_equal(zsim_run(0, double_free_task, c), 1);
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 1);
	assert_non_null(strstr(zsim_first_report(), "double free or invalid pointer"));
	assert_int_equal(kmem_cache_live_objects(c), 0);
	kmem_cache_destroy(c);
	assert_int_equal(zsim_machine_stop(), 1);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_env),
		ZSIM_TEST_FREE(test_poison_on),
		ZSIM_TEST_FREE(test_poison_off),
		ZSIM_TEST_FREE(test_kmemleak_off_api),
		ZSIM_TEST_FREE(test_kmemleak_off_bad_frees),
		ZSIM_TEST_FREE(test_kmemleak_off_leak_counts),
		ZSIM_TEST_FREE(test_kmemleak_on_lists_objects),
		ZSIM_TEST_BOTH(test_counts_across_cpus),
		ZSIM_TEST_BOTH(test_cpu_lists),
#if !HAVE_ASAN
		ZSIM_TEST_BOTH(test_cpu_list_double_free),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
