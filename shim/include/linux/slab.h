/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The slab allocator (<linux/slab.h>): kmem caches, kmalloc and kvmalloc.
 *
 * Objects come from jemalloc with one arena per simulated NUMA node (libc
 * malloc in sanitizer builds, so ASan sees every object). The shim keeps
 * its own record of every live object (cache, size, allocation site), which
 * gives the kernel's checks without SLUB debug pages:
 *  - every cache counts its live objects; kmalloc sizes are accounted in
 *    the kmalloc-<size> pseudo caches (kmalloc-8 .. kmalloc-8k, and
 *    kmalloc-large above KMALLOC_MAX_CACHE_SIZE);
 *  - a freed object is filled with POISON_FREE (0x6b, last byte POISON_END)
 *    before it goes back to the allocator (and in ASan builds the free
 *    makes it ASan-poisoned);
 *  - kfree() of a pointer that is not a live object (double free, wild
 *    pointer) and kmem_cache_free() to the wrong cache are reported;
 *  - kmem_cache_destroy() of a cache with live objects reports a leak with
 *    the objects' allocation sites, as the kernel's "Objects remaining in
 *    %s on __kmem_cache_shutdown()"; machine shutdown reports every object
 *    still live in any cache (kmem_exit()).
 * kmalloc memory is naturally aligned for power-of-two sizes (at least
 * ARCH_KMALLOC_MINALIGN otherwise) and ksize() is the size class, as in the
 * kernel; in ASan builds the bytes between the requested size and ksize()
 * are poisoned until ksize() is called, as KASAN does.
 *
 * Allocations that may block (__GFP_DIRECT_RECLAIM) call might_sleep().
 * Sites for fault injection: "kmalloc", "kmem_cache_alloc" and
 * "kmem_cache:<name>" per cache (see <linux/fault-inject.h>).
 *
 * Differences from the kernel: slab memory is host memory, not pages of the
 * simulated RAM (virt_to_page() of a kmalloc()ed pointer is a bug here);
 * a cache's constructor runs on every allocation from fresh memory, not
 * once per slab page (for SLAB_TYPESAFE_BY_RCU caches, whose freed objects
 * are kept for reuse by the same cache until it is destroyed, exactly as
 * often as the kernel would: never again on reuse); caches are never
 * merged.
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/numa.h>
#include <linux/types.h>
#include <asm/page.h>
#include <stdio.h>

typedef unsigned int slab_flags_t;

/* Cache flags, in the kernel's bit order. */
#define SLAB_CONSISTENCY_CHECKS	((slab_flags_t)(1U << 0))
#define SLAB_RED_ZONE		((slab_flags_t)(1U << 1))
#define SLAB_POISON		((slab_flags_t)(1U << 2))
#define SLAB_KMALLOC		((slab_flags_t)(1U << 3))
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)(1U << 4))
#define SLAB_CACHE_DMA		((slab_flags_t)(1U << 5))
#define SLAB_CACHE_DMA32	((slab_flags_t)(1U << 6))
#define SLAB_STORE_USER		((slab_flags_t)(1U << 7))
#define SLAB_PANIC		((slab_flags_t)(1U << 8))
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t)(1U << 9))
#define SLAB_TRACE		((slab_flags_t)(1U << 10))
#define SLAB_DEBUG_OBJECTS	((slab_flags_t)(1U << 11))
#define SLAB_NOLEAKTRACE	((slab_flags_t)(1U << 12))
#define SLAB_NO_MERGE		((slab_flags_t)(1U << 13))
#define SLAB_FAILSLAB		((slab_flags_t)(1U << 14))
#define SLAB_ACCOUNT		((slab_flags_t)(1U << 15))
#define SLAB_KASAN		((slab_flags_t)(1U << 16))
#define SLAB_NO_USER_FLAGS	((slab_flags_t)(1U << 17))
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t)(1U << 18))
#define SLAB_TEMPORARY		SLAB_RECLAIM_ACCOUNT
#define SLAB_MEM_SPREAD		((slab_flags_t)0)

/* kmalloc(0) returns ZERO_SIZE_PTR: not NULL, but faults on access. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define ARCH_KMALLOC_MINALIGN	8
#define ARCH_SLAB_MINALIGN	8
#define KMALLOC_MIN_SIZE	8
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_SIZE	(1UL << (MAX_PAGE_ORDER + PAGE_SHIFT))
#define KMALLOC_MAX_ORDER	MAX_PAGE_ORDER

struct kmem_cache;

/* The cache-creation arguments of the current kernel. */
struct kmem_cache_args {
	unsigned int align;
	unsigned int useroffset;
	unsigned int usersize;
	unsigned int freeptr_offset;
	bool use_freeptr_offset;
	void (*ctor)(void *);
};

struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int object_size,
					    struct kmem_cache_args *args, slab_flags_t flags);
/* The classic form: name, size, align, flags, ctor. */
struct kmem_cache *__kmem_cache_create(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *));

static inline struct kmem_cache *__kmem_cache_default_args(const char *name, unsigned int size,
							   struct kmem_cache_args *args,
							   slab_flags_t flags)
{
	struct kmem_cache_args kmem_default_args = {};

	(void)args;
	return __kmem_cache_create_args(name, size, &kmem_default_args, flags);
}

/*
 * kmem_cache_create(name, size, align, flags, ctor) or, as since 6.13,
 * kmem_cache_create(name, size, &args, flags) or (name, size, NULL, flags).
 */
#define kmem_cache_create(__name, __object_size, __args, ...)		\
	_Generic((__args),						\
		struct kmem_cache_args *: __kmem_cache_create_args,	\
		void *: __kmem_cache_default_args,			\
		default: __kmem_cache_create)(__name, __object_size, __args, __VA_ARGS__)

#define KMEM_CACHE(__struct, __flags)					\
	__kmem_cache_create_args(#__struct, sizeof(struct __struct),	\
		&(struct kmem_cache_args) {				\
			.align = __alignof__(struct __struct),		\
		}, (__flags))

void kmem_cache_destroy(struct kmem_cache *s);
int kmem_cache_shrink(struct kmem_cache *s);
unsigned int kmem_cache_size(struct kmem_cache *s);
const char *kmem_cache_name(const struct kmem_cache *s);

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags) __must_check;
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node) __must_check;
void kmem_cache_free(struct kmem_cache *s, void *objp);

static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}

/*
 * Allocate @size objects into @p: returns @size, or 0 with nothing
 * allocated. Free with kmem_cache_free_bulk(); @s may be NULL there.
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p) __must_check;
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p);

void *kmalloc(size_t size, gfp_t flags) __must_check;
void *kmalloc_node(size_t size, gfp_t flags, int node) __must_check;
void *krealloc(const void *objp, size_t new_size, gfp_t flags) __must_check;
void kfree(const void *objp);
void kfree_sensitive(const void *objp);
size_t ksize(const void *objp);
size_t kmalloc_size_roundup(size_t size);

static inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static inline void *kzalloc_node(size_t size, gfp_t flags, int node)
{
	return kmalloc_node(size, flags | __GFP_ZERO, node);
}

static inline void *kmalloc_array_node(size_t n, size_t size, gfp_t flags, int node)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc_node(bytes, flags, node);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array_node(n, size, flags, NUMA_NO_NODE);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

static inline void *kcalloc_node(size_t n, size_t size, gfp_t flags, int node)
{
	return kmalloc_array_node(n, size, flags | __GFP_ZERO, node);
}

static inline void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(new_n, new_size, &bytes)))
		return NULL;
	return krealloc(p, bytes, flags);
}


/*
 * kvmalloc: kmalloc, falling back to vmalloc for sizes above PAGE_SIZE
 * (the kmalloc attempt is then __GFP_NOWARN | __GFP_NORETRY, as in the
 * kernel). Free with kvfree().
 */
void *kvmalloc_node(size_t size, gfp_t flags, int node) __must_check;
void kvfree(const void *addr);
void kvfree_sensitive(const void *addr, size_t len);
void *kvrealloc(const void *p, size_t size, gfp_t flags) __must_check;

static inline void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, NUMA_NO_NODE);
}

static inline void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}

static inline void *kvzalloc_node(size_t size, gfp_t flags, int node)
{
	return kvmalloc_node(size, flags | __GFP_ZERO, node);
}

static inline void *kvmalloc_array_node(size_t n, size_t size, gfp_t flags, int node)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kvmalloc_node(bytes, flags, node);
}

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array_node(n, size, flags, NUMA_NO_NODE);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}

static inline void *kvcalloc_node(size_t n, size_t size, gfp_t flags, int node)
{
	return kvmalloc_array_node(n, size, flags | __GFP_ZERO, node);
}

/* Copies into kmalloc()ed memory (the kernel declares them in <linux/string.h>). */
void *kmemdup(const void *src, size_t len, gfp_t gfp) __must_check;
void *kmemdup_nul(const char *s, size_t len, gfp_t gfp) __must_check;
char *kstrdup(const char *s, gfp_t gfp) __must_check;
char *kstrndup(const char *s, size_t max, gfp_t gfp) __must_check;
const char *kstrdup_const(const char *s, gfp_t gfp);
void kfree_const(const void *x);

static inline void *kmemdup_array(const void *src, size_t count, size_t element_size, gfp_t gfp)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(count, element_size, &bytes)))
		return NULL;
	return kmemdup(src, bytes, gfp);
}

/*
 * Simulator additions, not kernel APIs: live-object counts for tests, and
 * a /proc/slabinfo-like dump of every cache.
 */
unsigned long kmem_cache_live_objects(struct kmem_cache *s);
/* Every live slab, kmalloc and vmalloc object of the machine. */
unsigned long kmem_live_objects(void);
void kmem_dump(FILE *out);

#endif /* _SHIM_LINUX_SLAB_H */
