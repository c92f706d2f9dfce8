// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slab caches (the kernel's mm/slab_common.c): creation and destruction,
 * the kmalloc pseudo caches, the list of every cache, leak reports, and the
 * machine's kmem_init()/kmem_exit() (sim/init.h).
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <sim/init.h>
#include <sim/report.h>
#include <sim/sealed.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slab.h"

LIST_HEAD(slab_caches);
struct sim_rawlock slab_caches_lock = SIM_RAWLOCK_INIT;
struct kmem_cache *kmalloc_caches[KMALLOC_NR_CLASSES];
struct kmem_cache *kmalloc_large_cache;
struct kmem_cache *vmalloc_cache;

/* The RCU part of the shim provides it; destroy waits for kfree_rcu()s. */
extern void rcu_barrier(void) __attribute__((weak));

#define CACHE_LINE_SIZE		64

/* The kernel's calculate_alignment(). */
static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
					unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = CACHE_LINE_SIZE;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max_t(unsigned int, align, ARCH_SLAB_MINALIGN);
	return ALIGN(align, sizeof(void *));
}

static void free_cache(struct kmem_cache *s)
{
	size_t i;

	if (s->fault.registered)
		fault_site_unregister(&s->fault);
	for (i = 0; i < s->nr_free; i++)
		zsim_mem_free(s->free_objs[i]);
	free(s->free_objs);
	slab_cpu_release(s);
	free(s->stats);
	free(s->fault_name);
	free(s->name);
	free(s);
}

static struct kmem_cache *create_cache(const char *name, unsigned int object_size,
				       unsigned int size, unsigned int align,
				       slab_flags_t flags, void (*ctor)(void *),
				       bool fault_site, bool cpu_lists)
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = strdup(name);
	if (!s->name || asprintf(&s->fault_name, "kmem_cache:%s", name) < 0) {
		s->fault_name = NULL;
		free_cache(s);
		return NULL;
	}
	s->nr_stats = nr_cpu_ids;
	s->stats = aligned_alloc(__alignof__(*s->stats), s->nr_stats * sizeof(*s->stats));
	if (!s->stats) {
		free_cache(s);
		return NULL;
	}
	memset(s->stats, 0, s->nr_stats * sizeof(*s->stats));
	s->object_size = object_size;
	s->size = size;
	s->align = align;
	s->flags = flags;
	s->ctor = ctor;
	if (cpu_lists && slab_cpu_init(s)) {
		free_cache(s);
		return NULL;
	}
	sim_rawlock_init(&s->free_lock);
	s->fault = (struct fault_attr)FAULT_ATTR_INITIALIZER_NAMED(s->fault_name);
	if (fault_site)
		fault_site_register(&s->fault);
	sim_rawlock_lock(&slab_caches_lock);
	list_add_tail(&s->list, &slab_caches);
	sim_rawlock_unlock(&slab_caches_lock);
	return s;
}

struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int object_size,
					    struct kmem_cache_args *args, slab_flags_t flags)
{
	struct kmem_cache *s = NULL;
	unsigned int align;
	int err = -EINVAL;

	might_sleep();
	if (!name || !*name || !object_size || object_size > KMALLOC_MAX_SIZE ||
	    (args->align & (args->align - 1)))
		goto out;
	align = calculate_alignment(flags, args->align, object_size);
	err = -ENOMEM;
	s = create_cache(name, object_size, ALIGN(object_size, align), align,
			 flags & ~SLAB_KMALLOC, args->ctor, true, true);
out:
	if (!s) {
		if (flags & SLAB_PANIC)
			BUG();
		pr_warn("kmem_cache_create(%s) failed with error %d\n", name ? name : "(null)", err);
	}
	return s;
}

struct kmem_cache *__kmem_cache_create(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *))
{
	struct kmem_cache_args args = {
		.align = align,
		.ctor = ctor,
	};

	return __kmem_cache_create_args(name, size, &args, flags);
}

static void report_leak(struct kmem_cache *s, long live, const char *where, bool destroy)
{
	struct slab_obj objs[8];
	size_t n, i;

	n = slab_obj_collect(s, objs, ARRAY_SIZE(objs));
	sim_report_begin(SIM_REPORT_LEAK, "BUG %s: Objects remaining in %s on %s",
			 s->name, s->name, where);
	sim_report_printf("%ld object(s) still allocated", live);
	for (i = 0; i < n; i++) {
		void *site = (void *)objs[i].caller;

		sim_report_printf("Object %p (%u bytes) allocated at:", objs[i].ptr, objs[i].size);
		sim_report_stack(&site, 1);
	}
	if (!kmemleak_enabled)
		sim_report_printf("(objects not listed: kmemleak is off)");
	else if ((size_t)live > n)
		sim_report_printf("... and %zu more", (size_t)live - n);
	if (destroy) {
		sim_report_printf("kmem_cache_destroy %s: Slab cache still has objects", s->name);
		sim_report_backtrace();
	}
	sim_report_end();
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	long live;

	if (!s)
		return;
	might_sleep();
	/* Let pending kfree_rcu()/call_rcu() frees into this cache finish. */
	if (current && rcu_barrier)
		rcu_barrier();
	/* Check the poison of its freed objects while the cache exists. */
	slab_quarantine_drain(s);
	live = slab_stat_sum(s, SLAB_STAT_LIVE);
	if (live > 0) {
		/* As the kernel: report, and keep the cache (its objects leak). */
		report_leak(s, live, "__kmem_cache_shutdown()", true);
		s->dead = true;
		return;
	}
	sim_rawlock_lock(&slab_caches_lock);
	list_del(&s->list);
	sim_rawlock_unlock(&slab_caches_lock);
	free_cache(s);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	return 0;
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

unsigned long kmem_cache_live_objects(struct kmem_cache *s)
{
	long live = slab_stat_sum(s, SLAB_STAT_LIVE);

	return live > 0 ? live : 0;
}

unsigned long kmem_live_objects(void)
{
	struct kmem_cache *s;
	unsigned long sum = 0;

	sim_rawlock_lock(&slab_caches_lock);
	list_for_each_entry(s, &slab_caches, list)
		sum += kmem_cache_live_objects(s);
	sim_rawlock_unlock(&slab_caches_lock);
	return sum;
}

void kmem_dump(FILE *out)
{
	struct kmem_cache *s;

	fprintf(out, "# name            <active_objs> <objsize> <size> <align> <allocs> <frees>\n");
	sim_rawlock_lock(&slab_caches_lock);
	list_for_each_entry(s, &slab_caches, list)
		fprintf(out, "%-24s %10lu %8u %8u %6u %10lu %10lu%s\n", s->name,
			kmem_cache_live_objects(s), s->object_size, s->size, s->align,
			(unsigned long)slab_stat_sum(s, SLAB_STAT_ALLOCS),
			(unsigned long)slab_stat_sum(s, SLAB_STAT_FREES),
			s->dead ? " (destroyed, leaked)" : "");
	sim_rawlock_unlock(&slab_caches_lock);
}

/*
 * Take every cache off the list, report the ones with live objects (unless
 * quiet or already reported by kmem_cache_destroy()), free all objects and
 * caches. Returns the number of leaked objects reported.
 */
static unsigned long kmem_teardown(bool report)
{
	struct kmem_cache *s, *tmp;
	unsigned long leaked = 0;
	LIST_HEAD(caches);

	sim_rawlock_lock(&slab_caches_lock);
	list_splice_init(&slab_caches, &caches);
	sim_rawlock_unlock(&slab_caches_lock);

	slab_quarantine_drain(NULL);
	list_for_each_entry(s, &caches, list) {
		long live = slab_stat_sum(s, SLAB_STAT_LIVE);

		if (report && live > 0 && !s->dead) {
			report_leak(s, live, "machine shutdown (kmem_exit())", false);
			leaked += live;
		}
	}
	slab_obj_free_all();
	list_for_each_entry_safe(s, tmp, &caches, list) {
		list_del(&s->list);
		free_cache(s);
	}
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	kmalloc_large_cache = NULL;
	vmalloc_cache = NULL;
	return leaked;
}

/* kmalloc's classes (@cpu_lists) and the variable-size kmalloc-large and vmalloc. */
static struct kmem_cache *create_pseudo_cache(const char *name, unsigned int size,
					      bool cpu_lists)
{
	return create_cache(name, size, size, ARCH_KMALLOC_MINALIGN, SLAB_KMALLOC, NULL, false,
			    cpu_lists);
}

int kmem_init(unsigned int nr_nodes, bool slub_debug, bool kmemleak)
{
	static const char *const names[KMALLOC_NR_CLASSES] = {
		"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96",
		"kmalloc-128", "kmalloc-192", "kmalloc-256", "kmalloc-512",
		"kmalloc-1k", "kmalloc-2k", "kmalloc-4k", "kmalloc-8k",
	};
	static const unsigned int sizes[KMALLOC_NR_CLASSES] = {
		8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192
	};
	int i, ret;

	/* A machine that wedged was not shut down: drop what it left. */
	kmem_teardown(false);
	slub_debug_enabled = slub_debug;
	kmemleak_enabled = kmemleak;
	slab_cpu_setup(slub_debug, kmemleak, nr_nodes);
	ret = zsim_mem_init(nr_nodes);
	if (ret)
		return ret;
	for (i = 0; i < KMALLOC_NR_CLASSES; i++) {
		kmalloc_caches[i] = create_pseudo_cache(names[i], sizes[i], true);
		if (!kmalloc_caches[i])
			goto fail;
	}
	kmalloc_large_cache = create_pseudo_cache("kmalloc-large", PAGE_SIZE, false);
	vmalloc_cache = create_pseudo_cache("vmalloc", PAGE_SIZE, false);
	if (!kmalloc_large_cache || !vmalloc_cache)
		goto fail;
	return 0;
fail:
	kmem_teardown(false);
	return -ENOMEM;
}

unsigned long kmem_exit(void)
{
	return kmem_teardown(true);
}
