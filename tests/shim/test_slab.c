// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slab caches and kmalloc: live counts, leak reports, poisoning and the
 * quarantine that finds writes after free, kmalloc_node/zalloc, alignment,
 * bulk operations, constructors, gfp semantics, and concurrent use.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <sim/report.h>
#include <string.h>

#include "zsim_test.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define HAVE_ASAN 1
#else
#define HAVE_ASAN 0
#endif

static void boot(unsigned int cpus, bool quiet)
{
	struct zsim_config cfg;

	zsim_config_init(&cfg);
	cfg.nr_cpus = cpus;
	cfg.quiet = quiet;
	cfg.seed = 7;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

struct obj {
	unsigned long a, b;
	char name[24];
};

static void test_live_counts(void **state)
{
	struct kmem_cache *c;
	unsigned long base;
	void *p[10];
	int i;

	boot(2, false);
	c = KMEM_CACHE(obj, 0);
	assert_non_null(c);
	assert_int_equal(kmem_cache_size(c), sizeof(struct obj));
	base = kmem_live_objects();
	for (i = 0; i < 10; i++) {
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
		assert_non_null(p[i]);
		assert_int_equal(kmem_cache_live_objects(c), i + 1);
	}
	assert_int_equal(kmem_live_objects(), base + 10);
	for (i = 0; i < 4; i++)
		kmem_cache_free(c, p[i]);
	assert_int_equal(kmem_cache_live_objects(c), 6);
	/* kfree() of a cache object is allowed, as in the current kernel. */
	kfree(p[4]);
	for (i = 5; i < 10; i++)
		kmem_cache_free(c, p[i]);
	assert_int_equal(kmem_cache_live_objects(c), 0);
	assert_int_equal(kmem_live_objects(), base);

	/* kmalloc sizes are counted too. */
	p[0] = kmalloc(100, GFP_KERNEL);
	p[1] = kzalloc(5000, GFP_KERNEL);
	assert_non_null(p[0]);
	assert_non_null(p[1]);
	assert_int_equal(kmem_live_objects(), base + 2);
	kfree(p[0]);
	kfree(p[1]);
	assert_int_equal(kmem_live_objects(), base);
	kmem_cache_destroy(c);
	kmem_cache_destroy(NULL);
	zsim_test_shutdown_clean();
}

static void test_leak_on_destroy(void **state)
{
	struct kmem_cache *c;
	void *p;
	int i;

	boot(2, true);
	c = kmem_cache_create("leaky_cache", 48, 0, 0, NULL);
	assert_non_null(c);
	for (i = 0; i < 3; i++) {
		p = kmem_cache_alloc(c, GFP_KERNEL);
		assert_non_null(p);
	}
	kmem_cache_destroy(c);
	assert_int_equal(sim_report_count(SIM_REPORT_LEAK), 1);
	assert_non_null(strstr(zsim_first_report(),
			       "Objects remaining in leaky_cache on __kmem_cache_shutdown()"));
	assert_non_null(strstr(zsim_first_report(), "3 object(s)"));
	/* Reported once: shutdown frees them without a second report. */
	assert_int_equal(zsim_machine_stop(), 1);
}

static void test_kmalloc_leak_at_stop(void **state)
{
	void *p;

	boot(2, true);
	p = kmalloc(100, GFP_KERNEL);
	assert_non_null(p);
	p = kmalloc(20000, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(zsim_machine_stop(), 2);
	assert_non_null(strstr(zsim_first_report(), "kmalloc-128"));
	assert_int_equal(sim_report_count(SIM_REPORT_LEAK), 2);
}

static void check_freed(void *p, size_t size)
{
#if HAVE_ASAN
	(void)size;
	assert_true(__asan_address_is_poisoned(p));
#else
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < size - 1; i++)
		assert_int_equal(b[i], POISON_FREE);
	assert_int_equal(b[size - 1], POISON_END);
#endif
}

/*
 * A freed object stays in the slab quarantine (in sanitizer builds, in
 * ASan's), so reading its poison right after the free is defined.
 */
static void test_poison_after_free(void **state)
{
	struct kmem_cache *c;
	void *p;

	boot(2, false);
	p = kmalloc(64, GFP_KERNEL);
	assert_non_null(p);
	memset(p, 0x11, 64);
	kfree(p);
	check_freed(p, 64);

	c = kmem_cache_create("poison_test", 200, 0, 0, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(p);
	memset(p, 0, 200);
	kmem_cache_free(c, p);
	check_freed(p, 200);
	kmem_cache_destroy(c);
	zsim_test_shutdown_clean();
}

#if !HAVE_ASAN
/* Poison overwritten while the object was quarantined: SLUB's report. */
static void test_write_after_free_detected(void **state)
{
	struct kmem_cache *c;
	unsigned char *p;
	char where[64];
	const char *r;
	int i;

	/* A cache object: found when the cache is destroyed. */
	boot(2, true);
	c = kmem_cache_create("waf_test", 200, 0, 0, NULL);
	assert_non_null(c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(p);
	kmem_cache_free(c, p);
	p[100] = 0x42;
	p[101] = 0x43;
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 0);
	kmem_cache_destroy(c);
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 1);
	r = zsim_first_report();
	assert_non_null(strstr(r, "BUG waf_test: Poison overwritten"));
	/* The damaged run's first and last bytes, printed once each as 0x... */
	snprintf(where, sizeof(where), "\n%p-%p @offset=100. First byte 0x42 instead of 0x6b",
		 (void *)(p + 100), (void *)(p + 101));
	assert_non_null(strstr(r, where));
	assert_non_null(strstr(r, "Freed at:"));
	assert_int_equal(zsim_machine_stop(), 1);

	/* A kmalloc object: found when later frees push it out. */
	boot(2, true);
	p = kmalloc(64, GFP_KERNEL);
	assert_non_null(p);
	kfree(p);
	p[63] = 0;		/* the POISON_END byte */
	for (i = 0; i < 4096 && !sim_report_count(SIM_REPORT_FAULT); i++)
		kfree(kmalloc(32, GFP_KERNEL));
	assert_true(i < 4096);
	assert_non_null(strstr(zsim_first_report(), "BUG kmalloc-64: Poison overwritten"));
	assert_non_null(strstr(zsim_first_report(), "@offset=63. First byte 0x0 instead of 0xa5"));

	/* And one still quarantined when the machine stops. */
	p = kmalloc(16, GFP_KERNEL);
	assert_non_null(p);
	kfree(p);
	p[0] = 1;
	assert_int_equal(zsim_machine_stop(), 2);
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 2);

	/* Untouched poison: no report, and the quarantine drains cleanly. */
	boot(2, false);
	for (i = 0; i < 3000; i++)
		kfree(kmalloc(i % 300 + 1, GFP_KERNEL));
	zsim_test_shutdown_clean();
}
#endif

#if HAVE_ASAN
/* Like KASAN: bytes past the requested size are out of bounds until ksize(). */
static void test_asan_redzone(void **state)
{
	char *p;

	boot(1, false);
	p = kmalloc(70, GFP_KERNEL);
	assert_non_null(p);
	assert_false(__asan_address_is_poisoned(p + 69));
	assert_true(__asan_address_is_poisoned(p + 70));
	assert_int_equal(ksize(p), 96);
	assert_false(__asan_address_is_poisoned(p + 95));
	kfree(p);
	zsim_test_shutdown_clean();
}
#endif

static void test_alignment(void **state)
{
	struct kmem_cache *a, *hw, *hw_small;
	void *p[8];
	int i;

	boot(1, false);
	a = kmem_cache_create("align128", 40, 128, 0, NULL);
	hw = kmem_cache_create("hwalign", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	hw_small = kmem_cache_create("hwalign_small", 20, 0, SLAB_HWCACHE_ALIGN, NULL);
	assert_non_null(a);
	assert_non_null(hw);
	assert_non_null(hw_small);
	for (i = 0; i < 8; i++) {
		p[i] = kmem_cache_alloc(a, GFP_KERNEL);
		assert_true(IS_ALIGNED((unsigned long)p[i], 128));
	}
	kmem_cache_free_bulk(a, 8, p);
	for (i = 0; i < 8; i++) {
		p[i] = kmem_cache_alloc(hw, GFP_KERNEL);
		assert_true(IS_ALIGNED((unsigned long)p[i], 64));
	}
	kmem_cache_free_bulk(hw, 8, p);
	for (i = 0; i < 8; i++) {
		p[i] = kmem_cache_alloc(hw_small, GFP_KERNEL);
		assert_true(IS_ALIGNED((unsigned long)p[i], 32));
	}
	kmem_cache_free_bulk(NULL, 8, p);
	/* Power-of-two kmalloc sizes are naturally aligned. */
	for (i = 3; i <= 13; i++) {
		p[0] = kmalloc(1UL << i, GFP_KERNEL);
		assert_true(IS_ALIGNED((unsigned long)p[0], 1UL << i));
		assert_int_equal(ksize(p[0]), 1UL << i);
		kfree(p[0]);
	}
	p[0] = kmalloc(70, GFP_KERNEL);
	assert_true(IS_ALIGNED((unsigned long)p[0], 32));
	assert_int_equal(ksize(p[0]), 96);
	kfree(p[0]);
	assert_int_equal(kmalloc_size_roundup(150), 192);
	assert_int_equal(kmalloc_size_roundup(9000), 16384);
	p[0] = kmalloc(9000, GFP_KERNEL);
	assert_true(IS_ALIGNED((unsigned long)p[0], PAGE_SIZE));
	assert_int_equal(ksize(p[0]), 16384);
	kfree(p[0]);
	kmem_cache_destroy(a);
	kmem_cache_destroy(hw);
	kmem_cache_destroy(hw_small);
	/* A non-power-of-two alignment is refused. */
	assert_null(kmem_cache_create("bad_align", 64, 48, 0, NULL));
	zsim_test_shutdown_clean();
}

static void test_bulk(void **state)
{
	struct kmem_cache *c;
	void *p[32];

	boot(1, false);
	c = kmem_cache_create("bulk", 64, 0, 0, NULL);
	assert_int_equal(kmem_cache_alloc_bulk(c, GFP_KERNEL, 32, p), 32);
	assert_int_equal(kmem_cache_live_objects(c), 32);
	kmem_cache_free_bulk(c, 32, p);
	assert_int_equal(kmem_cache_live_objects(c), 0);
	/* All or nothing: an injected failure allocates nothing. */
	assert_int_equal(zsim_fault_set("kmem_cache_alloc", 0, 0, 1), 0);
	assert_int_equal(kmem_cache_alloc_bulk(c, GFP_KERNEL | __GFP_NOWARN, 32, p), 0);
	assert_int_equal(kmem_cache_live_objects(c), 0);
	zsim_fault_clear_all();
	kmem_cache_destroy(c);
	zsim_test_shutdown_clean();
}

static int ctor_calls;

static void obj_ctor(void *p)
{
	struct obj *o = p;

	o->a = 0xc0ffee;
	strcpy(o->name, "constructed");
	ctor_calls++;
}

static void test_ctor(void **state)
{
	struct kmem_cache_args args = { .align = 64, .ctor = obj_ctor };
	struct kmem_cache *c;
	struct obj *o[4];
	int i;

	boot(1, false);
	ctor_calls = 0;
	c = kmem_cache_create("ctor_cache", sizeof(struct obj), 0, 0, obj_ctor);
	for (i = 0; i < 4; i++) {
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
		assert_int_equal(o[i]->a, 0xc0ffee);
		assert_string_equal(o[i]->name, "constructed");
	}
	assert_int_equal(ctor_calls, 4);
	for (i = 0; i < 4; i++)
		kmem_cache_free(c, o[i]);
	kmem_cache_destroy(c);

	/* The 6.13 form with struct kmem_cache_args. */
	c = kmem_cache_create("ctor_args", sizeof(struct obj), &args, 0);
	assert_non_null(c);
	o[0] = kmem_cache_alloc_node(c, GFP_KERNEL, 0);
	assert_int_equal(o[0]->a, 0xc0ffee);
	assert_true(IS_ALIGNED((unsigned long)o[0], 64));
	kmem_cache_free(c, o[0]);
	kmem_cache_destroy(c);
	zsim_test_shutdown_clean();
}

/* SLAB_TYPESAFE_BY_RCU: freed memory stays this cache's, unpoisoned. */
static void test_typesafe_by_rcu(void **state)
{
	struct kmem_cache *c;
	struct obj *o, *o2;

	boot(1, false);
	c = kmem_cache_create("typesafe", sizeof(struct obj), 0, SLAB_TYPESAFE_BY_RCU, NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	o->a = 1234;
	kmem_cache_free(c, o);
	assert_int_equal(o->a, 1234);
	o2 = kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_equal(o, o2);
	kmem_cache_free(c, o2);
	kmem_cache_destroy(c);
	zsim_test_shutdown_clean();
}

static void test_kmalloc_family(void **state)
{
	unsigned long base;
	char *s, *d;
	u8 *z;
	int i;

	boot(2, false);
	base = kmem_live_objects();
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	assert_null(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
	assert_null(kmalloc_array(SIZE_MAX / 8, 16, GFP_KERNEL));

	z = kzalloc(300, GFP_KERNEL);
	for (i = 0; i < 300; i++)
		assert_int_equal(z[i], 0);
	memset(z, 0x5c, 300);
	/* Growing past ksize() moves the data; shrinking stays in place. */
	z = krealloc(z, 3000, GFP_KERNEL);
	assert_non_null(z);
	for (i = 0; i < 300; i++)
		assert_int_equal(z[i], 0x5c);
	d = krealloc(z, 100, GFP_KERNEL);
	assert_ptr_equal(d, z);
	kfree(d);

	s = kstrdup("zswapsim", GFP_KERNEL);
	assert_string_equal(s, "zswapsim");
	d = kmemdup(s, 9, GFP_KERNEL);
	assert_memory_equal(d, "zswapsim", 9);
	kfree(s);
	kfree(d);
	s = kstrndup("abcdef", 3, GFP_KERNEL);
	assert_string_equal(s, "abc");
	kfree(s);

	/* kvmalloc: kmalloc up to KMALLOC_MAX_SIZE, vmalloc beyond. */
	s = kvmalloc(1 << 20, GFP_KERNEL);
	assert_non_null(s);
	assert_false(is_vmalloc_addr(s));
	d = kvzalloc(8 << 20, GFP_KERNEL);
	assert_non_null(d);
	assert_true(is_vmalloc_addr(d));
	assert_int_equal(d[(8 << 20) - 1], 0);
	kvfree(s);
	kvfree(d);
	d = vmalloc(10000);
	assert_true(is_vmalloc_addr(d));
	assert_true(PAGE_ALIGNED(d));
	vfree(d);
	assert_int_equal(kmem_live_objects(), base);
	zsim_test_shutdown_clean();
}

static void test_bad_frees_reported(void **state)
{
	struct kmem_cache *a, *b;
	void *p, *v;
	int local;

	boot(1, true);
	p = kmalloc(32, GFP_KERNEL);
	kfree(p);
	kfree(p);
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 1);
	assert_non_null(strstr(zsim_first_report(), "double free or invalid pointer"));
	kfree(&local);
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 2);

	a = kmem_cache_create("cache_a", 32, 0, 0, NULL);
	b = kmem_cache_create("cache_b", 32, 0, 0, NULL);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	kmem_cache_free(b, p);		/* reported, freed to its own cache */
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 3);
	assert_int_equal(kmem_cache_live_objects(a), 0);

	v = vmalloc(100);
	kfree(v);			/* refused: vmalloc memory */
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 4);
	vfree(v);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	assert_int_equal(zsim_machine_stop(), 4);
}

struct sleep_check {
	int atomic_reports_before, atomic_reports_after;
	void *p1, *p2;
};

static int alloc_in_atomic(void *arg)
{
	struct sleep_check *sc = arg;

	sc->atomic_reports_before = sim_report_count(SIM_REPORT_ATOMIC);
	preempt_disable();
	sc->p1 = kmalloc(16, GFP_ATOMIC);	/* fine */
	sc->atomic_reports_after = sim_report_count(SIM_REPORT_ATOMIC);
	sc->p2 = kmalloc(16, GFP_KERNEL);	/* may sleep: reported */
	preempt_enable();
	kfree(sc->p1);
	kfree(sc->p2);
	return 0;
}

static void test_gfp(void **state)
{
	struct sleep_check sc = {};

	assert_int_equal(GFP_KERNEL, 0xcc0);
	assert_int_equal(GFP_ATOMIC, 0x820);
	assert_int_equal(GFP_NOWAIT, 0x2800);
	assert_int_equal(GFP_NOIO, 0xc00);
	assert_int_equal(GFP_NOFS, 0xc40);
	assert_int_equal(__GFP_ZERO, 0x100);
	assert_int_equal(__GFP_NOWARN, 0x2000);
	assert_int_equal(__GFP_COMP, 0x40000);
	assert_true(gfpflags_allow_blocking(GFP_KERNEL));
	assert_true(gfpflags_allow_blocking(GFP_NOIO));
	assert_false(gfpflags_allow_blocking(GFP_ATOMIC));
	assert_false(gfpflags_allow_blocking(GFP_NOWAIT));
	assert_true(gfp_has_io_fs(GFP_KERNEL));
	assert_false(gfp_has_io_fs(GFP_NOFS));
	assert_false(gfp_has_io_fs(GFP_NOIO));

	boot(1, true);
	assert_int_equal(zsim_run(0, alloc_in_atomic, &sc), 0);
	assert_int_equal(sc.atomic_reports_after, sc.atomic_reports_before);
	assert_int_equal(sim_report_count(SIM_REPORT_ATOMIC), sc.atomic_reports_before + 1);
	assert_non_null(sc.p1);
	assert_non_null(sc.p2);
	assert_int_equal(zsim_machine_stop(), 1);
}

/* Several tasks allocate and free from one cache and kmalloc at once. */
#define STRESS_TASKS	4
#define STRESS_ROUNDS	400

static struct kmem_cache *stress_cache;

static int stress_task(void *arg)
{
	void *objs[16] = {};
	unsigned long seed = (unsigned long)arg;
	int i, slot, bad = 0;

	for (i = 0; i < STRESS_ROUNDS; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		slot = (seed >> 33) % 16;
		if (objs[slot]) {
			/* The owner's mark must have survived everybody else. */
			if (*(unsigned long *)objs[slot] != (unsigned long)objs[slot])
				bad++;
			if (slot & 1)
				kmem_cache_free(stress_cache, objs[slot]);
			else
				kfree(objs[slot]);
			objs[slot] = NULL;
		} else {
			objs[slot] = slot & 1 ? kmem_cache_alloc(stress_cache, GFP_KERNEL)
					      : kmalloc(8 + (seed >> 40) % 2000, GFP_KERNEL);
			if (!objs[slot])
				return -ENOMEM;
			*(unsigned long *)objs[slot] = (unsigned long)objs[slot];
		}
	}
	for (slot = 0; slot < 16; slot++)
		kfree(objs[slot]);
	return bad;
}

static void test_concurrent_stress(void **state)
{
	struct zsim_task *t[STRESS_TASKS];
	unsigned long base;
	int i;

	zsim_test_boot(state, STRESS_TASKS, 99);
	stress_cache = kmem_cache_create("stress", 128, 0, SLAB_HWCACHE_ALIGN, NULL);
	base = kmem_live_objects();
	for (i = 0; i < STRESS_TASKS; i++)
		assert_non_null(t[i] = zsim_spawn(i, stress_task, (void *)(unsigned long)(i + 1),
						  "slab_stress"));
	for (i = 0; i < STRESS_TASKS; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(kmem_cache_live_objects(stress_cache), 0);
	assert_int_equal(kmem_live_objects(), base);
	kmem_cache_destroy(stress_cache);
	zsim_test_shutdown_clean();
}

static void test_dump(void **state)
{
	struct kmem_cache *c;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	void *p;

	boot(1, false);
	c = kmem_cache_create("dumped_cache", 24, 0, 0, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	f = open_memstream(&buf, &len);
	kmem_dump(f);
	fclose(f);
	assert_non_null(strstr(buf, "dumped_cache"));
	assert_non_null(strstr(buf, "kmalloc-8k"));
	free(buf);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	zsim_test_shutdown_clean();
}

/* ---- kmalloc_node(), kmem_cache_zalloc() ---- */

static void test_node_and_zalloc(void **state)
{
	struct zsim_config cfg;
	struct kmem_cache *c;
	unsigned char *p, *z;
	int node, i;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 4;
	cfg.nr_nodes = 2;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	for (node = 0; node < 2; node++) {
		p = kmalloc_node(100, GFP_KERNEL, node);
		assert_non_null(p);
		assert_int_equal(ksize(p), 128);
		memset(p, 0x5a, 100);
		kfree(p);
	}
	p = kmalloc_node(64, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE);
	assert_non_null(p);
	for (i = 0; i < 64; i++)
		assert_int_equal(p[i], 0);
	kfree(p);

	c = kmem_cache_create("zalloc_test", 72, 0, 0, NULL);
	assert_non_null(c);
	/* Dirty an object, free it, and ask again: zalloc zeroes. */
	p = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(p);
	memset(p, 0xff, 72);
	kmem_cache_free(c, p);
	z = kmem_cache_zalloc(c, GFP_KERNEL);
	assert_non_null(z);
	for (i = 0; i < 72; i++)
		assert_int_equal(z[i], 0);
	assert_int_equal(kmem_cache_live_objects(c), 1);
	kmem_cache_free(c, z);
	kmem_cache_destroy(c);
	zsim_test_shutdown_clean();
}

/*
 * No vmalloc area larger than RAM, as the kernel's __vmalloc_node_range():
 * the host memory behind it would otherwise be whatever a caller asks.
 */
static void test_vmalloc_over_ram(void **state)
{
	struct zsim_config cfg;
	unsigned long base;
	void *p;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 2;
	cfg.ram_bytes = 16ULL << 20;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	base = kmem_live_objects();
	p = vmalloc(totalram_pages() * PAGE_SIZE);
	assert_non_null(p);
	vfree(p);
	assert_null(vmalloc((totalram_pages() + 1) * PAGE_SIZE));
	assert_null(kvcalloc(totalram_pages() + 1, PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN));
	assert_int_equal(kmem_live_objects(), base);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_counts),
		cmocka_unit_test(test_leak_on_destroy),
		cmocka_unit_test(test_kmalloc_leak_at_stop),
		cmocka_unit_test(test_poison_after_free),
#if !HAVE_ASAN
		cmocka_unit_test(test_write_after_free_detected),
#endif
#if HAVE_ASAN
		cmocka_unit_test(test_asan_redzone),
#endif
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_ctor),
		cmocka_unit_test(test_typesafe_by_rcu),
		cmocka_unit_test(test_kmalloc_family),
		cmocka_unit_test(test_bad_frees_reported),
		cmocka_unit_test(test_gfp),
		ZSIM_TEST_BOTH(test_concurrent_stress),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_node_and_zalloc),
		cmocka_unit_test(test_vmalloc_over_ram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
