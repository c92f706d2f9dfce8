/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The slab layer's internals (the kernel's mm/slab.h): struct kmem_cache
 * and what slab.c (objects), slab_common.c (caches), util.c and vmalloc.c
 * share.
 */
#ifndef _SHIM_MM_SLAB_H
#define _SHIM_MM_SLAB_H

#include <linux/fault-inject.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <sim/rawlock.h>

struct kmem_cache {
	char			*name;
	unsigned int		object_size;	/* what the creator asked for */
	unsigned int		size;		/* allocated per object */
	unsigned int		align;
	slab_flags_t		flags;
	void			(*ctor)(void *);
	/* Per CPU, as SLUB's statistics: no cache line shared on the hot path. */
	struct kmem_cache_stats	*stats;
	unsigned int		nr_stats;
	struct kmem_cache_cpu	*cpu_slab;	/* per-CPU freelists, or NULL */
	bool			dead;		/* destroyed with objects left */
	struct list_head	list;		/* on slab_caches */
	struct fault_attr	fault;		/* "kmem_cache:<name>" */
	char			*fault_name;
	/* SLAB_TYPESAFE_BY_RCU: freed objects, reused by this cache only. */
	struct sim_rawlock	free_lock;
	void			**free_objs;
	size_t			nr_free, free_cap;
};

/*
 * One CPU's counts of a cache's objects, updated with relaxed atomics (a
 * task may be preempted or migrated mid-update, and threads that are not
 * tasks count as CPU 0); read by summing every CPU's.
 */
struct kmem_cache_stats {
	long			live;		/* allocs - frees on this CPU */
	unsigned long		allocs;
	unsigned long		frees;
} __aligned(64);

enum slab_stat_item { SLAB_STAT_LIVE, SLAB_STAT_ALLOCS, SLAB_STAT_FREES };

/* One CPU's freed objects of a cache, reused LIFO (slab_cpu.c). */
#define SLAB_CPU_OBJS	64
struct kmem_cache_cpu {
	unsigned int		nr;
	void			*objs[SLAB_CPU_OBJS];
} __aligned(64);

/* Whether caches get per-CPU freelists: kmem_init() says, per machine. */
void slab_cpu_setup(bool slub_debug, bool kmemleak, unsigned int nr_nodes);
/* Give @s its lists if the machine uses them: 0 or -ENOMEM. */
int slab_cpu_init(struct kmem_cache *s);
/* An object from the caller's CPU's list, or NULL. */
void *slab_cpu_pop(struct kmem_cache *s);
/* Put freed @p on the caller's CPU's list; false: free it to the host. */
bool slab_cpu_push(struct kmem_cache *s, void *p);
/* Free every CPU's listed objects and the lists (cache destruction). */
void slab_cpu_release(struct kmem_cache *s);

/* Sum over every CPU; for reports and the live-object API, not a hot path. */
long slab_stat_sum(struct kmem_cache *s, enum slab_stat_item item);

/*
 * The machine's debug options (struct zsim_config, set at kmem_init()),
 * after the kernel's:
 * - slub_debug_enabled: SLUB's slub_debug=PZ with a KASAN-like quarantine:
 *   freed objects are poisoned and held in the quarantine, whose poison is
 *   verified (slab_quarantine.c);
 * - kmemleak_enabled: every live object is in the object table, so that
 *   shutdown and kmem_cache_destroy() list each leaked object with its
 *   allocation site, and a double or invalid free is always recognised.
 *   Off, an object finds its cache through a trailer (slab.c) and leaks
 *   are reported by per-cache counts only.
 */
extern bool slub_debug_enabled;
extern bool kmemleak_enabled;

/* Every cache: user caches, the kmalloc classes, kmalloc-large, vmalloc. */
extern struct list_head slab_caches;
extern struct sim_rawlock slab_caches_lock;

#define KMALLOC_NR_CLASSES	13	/* 8 .. 8k, with 96 and 192 */
extern struct kmem_cache *kmalloc_caches[KMALLOC_NR_CLASSES];
extern struct kmem_cache *kmalloc_large_cache;
extern struct kmem_cache *vmalloc_cache;

/* A live object's record. */
struct slab_obj {
	const void		*ptr;
	struct kmem_cache	*cache;
	unsigned int		size;		/* requested */
	unsigned int		usable;		/* allocated: ksize() */
	unsigned long		caller;		/* allocation site */
};

/* Allocate one object of @s (no fault check): the common slow path. */
void *slab_alloc_node(struct kmem_cache *s, gfp_t flags, int node, size_t size,
		      size_t alloc_size, size_t align, unsigned long caller);

enum slab_free_kind {
	FREE_SLAB,	/* kfree(), kmem_cache_free(): not vmalloc memory */
	FREE_VMALLOC,	/* vfree() */
	FREE_ANY,	/* kvfree() */
};

/* Free @p; @expect, if not NULL, is the cache the caller named. */
void slab_free_ptr(const void *p, struct kmem_cache *expect, enum slab_free_kind kind,
		   const char *fn, unsigned long caller);
bool slab_obj_lookup(const void *p, struct slab_obj *rec);
/* Is @p the start of a vmalloc() area (looked up in the object table)? */
bool slab_obj_is_vmalloc(const void *p);
void slab_obj_resize(const void *p, unsigned int size);
void *kmalloc_node_track(size_t size, gfp_t flags, int node, unsigned long caller);

/* One line at KERN_WARNING, as the kernel's warn_alloc(). */
void slab_warn_alloc(const char *what, size_t size, gfp_t flags, bool injected);

/*
 * Freed, poisoned objects wait in a bounded quarantine (slab_quarantine.c)
 * whose poison is verified when they leave it. drain(NULL): every cache.
 */
void slab_quarantine_put(const struct slab_obj *obj, unsigned long free_caller);
void slab_quarantine_drain(struct kmem_cache *s);

/*
 * Objects table: collect up to @max records of @s; free everything left
 * (without kmemleak: only vmalloc areas are in the table, other leaked
 * objects stay allocated on the host).
 */
size_t slab_obj_collect(struct kmem_cache *s, struct slab_obj *out, size_t max);
void slab_obj_free_all(void);

#endif /* _SHIM_MM_SLAB_H */
