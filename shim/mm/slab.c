// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slab objects (the kernel's mm/slub.c, on jemalloc): allocation and free
 * of cache and kmalloc objects, the table of live objects that lets kfree()
 * find an object's cache and lets shutdown list leaks (with kmemleak on),
 * the object trailer that does the first job without it, and poisoning
 * (with slub_debug on; the poison is checked by slab_quarantine.c). Caches
 * themselves are in slab_common.c.
 */
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <sim/report.h>
#include <sim/sealed.h>
#include <stdlib.h>
#include <string.h>

#include "asan.h"
#include "slab.h"

static DEFINE_FAULT_SITE(kmalloc_fault, "kmalloc");
static DEFINE_FAULT_SITE(kmem_cache_alloc_fault, "kmem_cache_alloc");

bool slub_debug_enabled = true;
bool kmemleak_enabled = true;

/*
 * The live-object table: open addressing with linear probing, sharded by
 * address so tasks on different host threads rarely meet. Each shard's
 * lock is a raw lock held for a probe or a resize only.
 */
#define OBJ_SHARD_BITS	6
#define OBJ_SHARDS	(1U << OBJ_SHARD_BITS)

struct obj_shard {
	struct sim_rawlock	lock;
	struct slab_obj		*tab;
	unsigned long		mask;		/* capacity - 1, 0 without a table */
	unsigned long		count;
} __aligned(64);

static struct obj_shard obj_shards[OBJ_SHARDS];

static inline u64 obj_hash(const void *p)
{
	return ((u64)(unsigned long)p >> 3) * 0x9e3779b97f4a7c15ULL;
}

static inline struct obj_shard *obj_shard_of(const void *p)
{
	return &obj_shards[obj_hash(p) >> (64 - OBJ_SHARD_BITS)];
}

static inline unsigned long obj_home(const struct obj_shard *sh, const void *p)
{
	return obj_hash(p) & sh->mask;
}

static bool obj_grow(struct obj_shard *sh)
{
	unsigned long cap = sh->mask ? (sh->mask + 1) * 2 : 1024, i, j;
	struct slab_obj *old = sh->tab, *tab;
	unsigned long old_cap = sh->mask ? sh->mask + 1 : 0;

	tab = calloc(cap, sizeof(*tab));
	if (!tab)
		return false;
	sh->tab = tab;
	sh->mask = cap - 1;
	for (i = 0; i < old_cap; i++) {
		if (!old[i].ptr)
			continue;
		for (j = obj_home(sh, old[i].ptr); tab[j].ptr; j = (j + 1) & sh->mask)
			;
		tab[j] = old[i];
	}
	free(old);
	return true;
}

static bool obj_insert(const struct slab_obj *rec)
{
	struct obj_shard *sh = obj_shard_of(rec->ptr);
	unsigned long i;

	sim_rawlock_lock(&sh->lock);
	if ((sh->count + 1) * 2 > (sh->mask ? sh->mask + 1 : 0) && !obj_grow(sh)) {
		sim_rawlock_unlock(&sh->lock);
		return false;
	}
	for (i = obj_home(sh, rec->ptr); sh->tab[i].ptr; i = (i + 1) & sh->mask)
		;
	sh->tab[i] = *rec;
	sh->count++;
	sim_rawlock_unlock(&sh->lock);
	return true;
}

/* Index of @p's record in @sh, or -1. Caller holds the shard lock. */
static long obj_find(struct obj_shard *sh, const void *p)
{
	unsigned long i;

	if (!sh->mask)
		return -1;
	for (i = obj_home(sh, p); sh->tab[i].ptr; i = (i + 1) & sh->mask)
		if (sh->tab[i].ptr == p)
			return i;
	return -1;
}

/* Backward-shift deletion keeps every probe chain unbroken. */
static void obj_delete_at(struct obj_shard *sh, unsigned long i)
{
	unsigned long j = i, k;

	for (;;) {
		j = (j + 1) & sh->mask;
		if (!sh->tab[j].ptr)
			break;
		k = obj_home(sh, sh->tab[j].ptr);
		/* Move j into the hole unless its home lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		sh->tab[i] = sh->tab[j];
		i = j;
	}
	sh->tab[i].ptr = NULL;
	sh->count--;
}

static bool obj_remove(const void *p, struct slab_obj *rec)
{
	struct obj_shard *sh = obj_shard_of(p);
	long i;

	sim_rawlock_lock(&sh->lock);
	i = obj_find(sh, p);
	if (i >= 0) {
		*rec = sh->tab[i];
		obj_delete_at(sh, i);
	}
	sim_rawlock_unlock(&sh->lock);
	return i >= 0;
}

/*
 * Without kmemleak, an object carries its record in a trailer at the end of
 * its host allocation, past the allocated (ksize()) size: what SLUB gets
 * from the object's page (virt_to_slab()), found here through the host
 * allocator's size of the allocation. The check word tells a live object
 * from a freed one (a double free, until the memory is reused) and from a
 * pointer that is not an object's start. vmalloc() areas are also kept in
 * the object table, which is_vmalloc_addr() searches (as the kernel keeps
 * every vmap_area in a tree).
 */
struct slab_trailer {
	struct kmem_cache	*cache;
	unsigned long		caller;
	unsigned int		size;
	unsigned int		usable;
	unsigned long		check;
};

#define TRAILER_LIVE	0x6b6d656d6c69766fUL
#define TRAILER_FREED	0x6b6d656d66726565UL

static inline struct slab_trailer *obj_trailer(const void *p)
{
	size_t host = zsim_mem_usable_size((void *)p);

	return (struct slab_trailer *)((char *)p + host - sizeof(struct slab_trailer));
}

static void trailer_set(const struct slab_obj *rec, unsigned long state)
{
	struct slab_trailer *t = obj_trailer(rec->ptr);

	zsim_asan_unpoison(t, sizeof(*t));
	t->cache = rec->cache;
	t->caller = rec->caller;
	t->size = rec->size;
	t->usable = rec->usable;
	t->check = (unsigned long)rec->ptr ^ state;
	/* Like the kernel's slab metadata: not part of the object. */
	zsim_asan_poison(t, sizeof(*t));
}

/*
 * @p's record from its trailer @t if @p is a live object; a freed
 * object's or garbage: false. With @state, a live object's trailer is
 * marked @state too (obj_take()'s TRAILER_FREED): one size lookup for both.
 */
static bool trailer_read(struct slab_trailer *t, const void *p, struct slab_obj *rec,
			 unsigned long state)
{
	bool live;

	zsim_asan_unpoison(t, sizeof(*t));
	live = t->check == ((unsigned long)p ^ TRAILER_LIVE);
	if (live) {
		rec->ptr = p;
		rec->cache = t->cache;
		rec->caller = t->caller;
		rec->size = t->size;
		rec->usable = t->usable;
		if (state)
			t->check = (unsigned long)p ^ state;
	}
	zsim_asan_poison(t, sizeof(*t));
	return live;
}

static bool trailer_get(const void *p, struct slab_obj *rec)
{
	return trailer_read(obj_trailer(p), p, rec, 0);
}

bool slab_obj_lookup(const void *p, struct slab_obj *rec)
{
	struct obj_shard *sh = obj_shard_of(p);
	long i;

	if (!kmemleak_enabled)
		return trailer_get(p, rec);
	sim_rawlock_lock(&sh->lock);
	i = obj_find(sh, p);
	if (i >= 0)
		*rec = sh->tab[i];
	sim_rawlock_unlock(&sh->lock);
	return i >= 0;
}

void slab_obj_resize(const void *p, unsigned int size)
{
	struct obj_shard *sh = obj_shard_of(p);
	struct slab_obj rec;
	long i;

	if (!kmemleak_enabled) {
		if (trailer_get(p, &rec)) {
			rec.size = size;
			trailer_set(&rec, TRAILER_LIVE);
		}
		return;
	}
	sim_rawlock_lock(&sh->lock);
	i = obj_find(sh, p);
	if (i >= 0)
		sh->tab[i].size = size;
	sim_rawlock_unlock(&sh->lock);
}

size_t slab_obj_collect(struct kmem_cache *s, struct slab_obj *out, size_t max)
{
	size_t n = 0;
	unsigned int sh_i;
	unsigned long i;

	for (sh_i = 0; sh_i < OBJ_SHARDS && n < max; sh_i++) {
		struct obj_shard *sh = &obj_shards[sh_i];

		sim_rawlock_lock(&sh->lock);
		for (i = 0; sh->mask && i <= sh->mask && n < max; i++)
			if (sh->tab[i].ptr && sh->tab[i].cache == s)
				out[n++] = sh->tab[i];
		sim_rawlock_unlock(&sh->lock);
	}
	return n;
}

/* Shutdown: give every object still recorded back to the host allocator. */
void slab_obj_free_all(void)
{
	unsigned int sh_i;
	unsigned long i;

	for (sh_i = 0; sh_i < OBJ_SHARDS; sh_i++) {
		struct obj_shard *sh = &obj_shards[sh_i];

		sim_rawlock_lock(&sh->lock);
		for (i = 0; sh->mask && i <= sh->mask; i++) {
			if (!sh->tab[i].ptr)
				continue;
			zsim_asan_unpoison((void *)sh->tab[i].ptr, sh->tab[i].usable);
			zsim_mem_free((void *)sh->tab[i].ptr);
		}
		free(sh->tab);
		sh->tab = NULL;
		sh->mask = 0;
		sh->count = 0;
		sim_rawlock_unlock(&sh->lock);
	}
}

/* Take @p's record out of the books: the first step of every free. */
static bool obj_take(const void *p, struct slab_obj *rec)
{
	if (kmemleak_enabled)
		return obj_remove(p, rec);
	if (!trailer_read(obj_trailer(p), p, rec, TRAILER_FREED))
		return false;
	if (rec->cache == vmalloc_cache)
		obj_remove(p, rec);
	return true;
}

/* Undo obj_take() for an object that must stay allocated. */
static void obj_put_back(const struct slab_obj *rec)
{
	if (kmemleak_enabled || rec->cache == vmalloc_cache)
		obj_insert(rec);
	if (!kmemleak_enabled)
		trailer_set(rec, TRAILER_LIVE);
}

bool slab_obj_is_vmalloc(const void *p)
{
	struct obj_shard *sh = obj_shard_of(p);
	long i;
	bool ret;

	sim_rawlock_lock(&sh->lock);
	i = obj_find(sh, p);
	ret = i >= 0 && sh->tab[i].cache == vmalloc_cache;
	sim_rawlock_unlock(&sh->lock);
	return ret;
}

static inline struct kmem_cache_stats *this_cpu_stats(struct kmem_cache *s)
{
	unsigned int cpu = raw_smp_processor_id();

	return &s->stats[cpu < s->nr_stats ? cpu : 0];
}

long slab_stat_sum(struct kmem_cache *s, enum slab_stat_item item)
{
	long sum = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < s->nr_stats; cpu++) {
		struct kmem_cache_stats *st = &s->stats[cpu];

		sum += item == SLAB_STAT_LIVE ? __atomic_load_n(&st->live, __ATOMIC_ACQUIRE) :
		       item == SLAB_STAT_ALLOCS ? (long)__atomic_load_n(&st->allocs, __ATOMIC_RELAXED) :
		       (long)__atomic_load_n(&st->frees, __ATOMIC_RELAXED);
	}
	return sum;
}

void slab_warn_alloc(const char *what, size_t size, gfp_t flags, bool injected)
{
	if (flags & __GFP_NOWARN)
		return;
	pr_warn("%s: %s failure: size:%zu, mode:%#x%s\n",
		current ? current->comm : "(not a task)", what, size, flags,
		injected ? " (fault injected)" : "");
}

static void cache_warn_alloc(struct kmem_cache *s, size_t size, gfp_t flags, bool injected)
{
	char what[96];

	if (flags & __GFP_NOWARN)
		return;
	snprintf(what, sizeof(what), "kmem_cache_alloc(%s)", s->name);
	slab_warn_alloc(what, size, flags, injected);
}

static void *typesafe_pop(struct kmem_cache *s)
{
	void *p = NULL;

	sim_rawlock_lock(&s->free_lock);
	if (s->nr_free)
		p = s->free_objs[--s->nr_free];
	sim_rawlock_unlock(&s->free_lock);
	return p;
}

static bool typesafe_push(struct kmem_cache *s, void *p)
{
	bool ok = true;

	sim_rawlock_lock(&s->free_lock);
	if (s->nr_free == s->free_cap) {
		size_t cap = s->free_cap ? s->free_cap * 2 : 64;
		void **v = realloc(s->free_objs, cap * sizeof(*v));

		if (v) {
			s->free_objs = v;
			s->free_cap = cap;
		} else {
			ok = false;
		}
	}
	if (ok)
		s->free_objs[s->nr_free++] = p;
	sim_rawlock_unlock(&s->free_lock);
	return ok;
}

void *slab_alloc_node(struct kmem_cache *s, gfp_t flags, int node, size_t size,
		      size_t alloc_size, size_t align, unsigned long caller)
{
	size_t host = alloc_size + (kmemleak_enabled ? 0 : sizeof(struct slab_trailer));
	struct kmem_cache_stats *st;
	struct slab_obj rec;
	bool fresh = true;
	void *p = NULL;

	if (node == NUMA_NO_NODE)
		node = numa_mem_id();
	if (s->flags & SLAB_TYPESAFE_BY_RCU) {
		p = typesafe_pop(s);
		fresh = !p;
	} else if (s->cpu_slab) {
		p = slab_cpu_pop(s);
	}
	if (!p)
		p = zsim_mem_alloc(host, align, node, 0);
	if (unlikely(!p))
		return NULL;
	/* A leak is the shim's to report (by count, without kmemleak). */
	if (!kmemleak_enabled)
		zsim_lsan_ignore(p);
	zsim_asan_unpoison(p, alloc_size);
	if (flags & __GFP_ZERO)
		memset(p, 0, alloc_size);
	if (s->ctor && fresh)
		s->ctor(p);
	/* Like KASAN: the slack past the requested size is out of bounds. */
	if (size < alloc_size)
		zsim_asan_poison((char *)p + size, alloc_size - size);

	rec.ptr = p;
	rec.cache = s;
	rec.size = size;
	rec.usable = alloc_size;
	rec.caller = caller;
	if (!kmemleak_enabled)
		trailer_set(&rec, TRAILER_LIVE);
	if ((kmemleak_enabled || s == vmalloc_cache) && unlikely(!obj_insert(&rec))) {
		zsim_asan_unpoison(p, zsim_mem_usable_size(p));
		zsim_mem_free(p);
		return NULL;
	}
	st = this_cpu_stats(s);
	__atomic_add_fetch(&st->live, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&st->allocs, 1, __ATOMIC_RELAXED);
	return p;
}

static void report_bad_free(const void *p, const char *fn, unsigned long caller,
			    const char *what)
{
	void *site = (void *)caller;

	sim_report_begin(SIM_REPORT_FAULT, "BUG: %s(%p): %s", fn, p, what);
	sim_report_printf("called from:");
	sim_report_stack(&site, 1);
	sim_report_backtrace();
	sim_report_end();
}

void slab_free_ptr(const void *p, struct kmem_cache *expect, enum slab_free_kind kind,
		   const char *fn, unsigned long caller)
{
	struct kmem_cache_stats *st;
	struct kmem_cache *s;
	struct slab_obj rec;
	bool is_vmalloc;

	if (unlikely(!obj_take(p, &rec))) {
		report_bad_free(p, fn, caller,
				"not an allocated object (double free or invalid pointer)");
		return;
	}
	s = rec.cache;
	is_vmalloc = s == vmalloc_cache;
	if (unlikely((kind == FREE_SLAB && is_vmalloc) || (kind == FREE_VMALLOC && !is_vmalloc))) {
		/* Leave the object allocated: the kernel would corrupt something. */
		obj_put_back(&rec);
		report_bad_free(p, fn, caller, is_vmalloc ? "vmalloc()ed memory freed with kfree()"
							  : "not vmalloc()ed memory");
		return;
	}
	if (expect && expect != s) {
		/* As the kernel's cache_from_obj(): report, then free it properly. */
		sim_report_begin(SIM_REPORT_FAULT,
				 "BUG: %s: Wrong slab cache. %s but object %p is from %s",
				 fn, expect->name, p, s->name);
		sim_report_backtrace();
		sim_report_end();
	}

	zsim_asan_unpoison((void *)p, rec.usable);
	if (slub_debug_enabled && !(s->flags & SLAB_TYPESAFE_BY_RCU)) {
		/* SLUB's poisoning: POISON_FREE throughout, POISON_END last. */
		memset((void *)p, POISON_FREE, rec.usable - 1);
		((char *)p)[rec.usable - 1] = (char)POISON_END;
	}
	st = this_cpu_stats(s);
	__atomic_sub_fetch(&st->live, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&st->frees, 1, __ATOMIC_RELAXED);
	/* Type-stable caches keep the memory: readers may still look at it. */
	if (s->flags & SLAB_TYPESAFE_BY_RCU) {
		if (!typesafe_push(s, (void *)p))
			zsim_mem_free((void *)p);
		return;
	}
	/* Held a while, so that a write after free is found in the poison. */
	if (slub_debug_enabled) {
		slab_quarantine_put(&rec, caller);
		return;
	}
	if (s->cpu_slab && slab_cpu_push(s, (void *)p))
		return;
	zsim_asan_unpoison((void *)p, zsim_mem_usable_size((void *)p));
	zsim_mem_free((void *)p);
}

static void *__kmem_cache_alloc(struct kmem_cache *s, gfp_t flags, int node,
				unsigned long caller)
{
	bool fail_all, fail_cache;
	void *p;

	might_alloc(flags);
	WARN_ON_ONCE(s->ctor && (flags & __GFP_ZERO));
	if (!(flags & __GFP_NOFAIL)) {
		fail_all = should_fail_site(&kmem_cache_alloc_fault);
		fail_cache = should_fail_site(&s->fault);
		if (fail_all || fail_cache) {
			cache_warn_alloc(s, s->object_size, flags, true);
			return NULL;
		}
	}
	p = slab_alloc_node(s, flags, node, s->object_size, s->size, s->align, caller);
	if (!p)
		cache_warn_alloc(s, s->object_size, flags, false);
	return p;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	return __kmem_cache_alloc(s, flags, NUMA_NO_NODE, _RET_IP_);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node)
{
	return __kmem_cache_alloc(s, flags, node, _RET_IP_);
}

void kmem_cache_free(struct kmem_cache *s, void *objp)
{
	if (!objp)
		return;
	slab_free_ptr(objp, s, FREE_SLAB, "kmem_cache_free", _RET_IP_);
}

int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	unsigned long caller = _RET_IP_;
	size_t i;

	might_alloc(flags);
	if (!(flags & __GFP_NOFAIL)) {
		bool fail_all = should_fail_site(&kmem_cache_alloc_fault);
		bool fail_cache = should_fail_site(&s->fault);

		if (fail_all || fail_cache) {
			cache_warn_alloc(s, s->object_size * size, flags, true);
			return 0;
		}
	}
	for (i = 0; i < size; i++) {
		p[i] = slab_alloc_node(s, flags, NUMA_NO_NODE, s->object_size, s->size,
				       s->align, caller);
		if (unlikely(!p[i])) {
			kmem_cache_free_bulk(s, i, p);
			cache_warn_alloc(s, s->object_size * size, flags, false);
			return 0;
		}
	}
	return (int)size;
}

void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++) {
		if (!p[i])
			continue;
		slab_free_ptr(p[i], s, FREE_SLAB, "kmem_cache_free_bulk", _RET_IP_);
	}
}

/* kmalloc's size classes: powers of two from 8, with 96 and 192. */
static const unsigned int kmalloc_sizes[KMALLOC_NR_CLASSES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192
};

static int kmalloc_index(size_t size)
{
	int i;

	for (i = 0; i < KMALLOC_NR_CLASSES; i++)
		if (size <= kmalloc_sizes[i])
			return i;
	return -1;
}

size_t kmalloc_size_roundup(size_t size)
{
	int i = kmalloc_index(size);

	if (!size)
		return 0;
	if (i >= 0)
		return kmalloc_sizes[i];
	if (size > KMALLOC_MAX_SIZE)
		return size;
	return PAGE_SIZE << get_order(size);
}

void *kmalloc_node_track(size_t size, gfp_t flags, int node, unsigned long caller)
{
	struct kmem_cache *s;
	size_t alloc, align;
	void *p;
	int i;

	might_alloc(flags);
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_SIZE)) {
		/* The kernel warns about such a request unless __GFP_NOWARN. */
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	if (!(flags & __GFP_NOFAIL) && should_fail_site(&kmalloc_fault)) {
		slab_warn_alloc("kmalloc", size, flags, true);
		return NULL;
	}
	i = kmalloc_index(size);
	if (i >= 0) {
		s = kmalloc_caches[i];
		alloc = kmalloc_sizes[i];
		/* Natural alignment of the class's largest power-of-two factor. */
		align = alloc & -alloc;
	} else {
		/* Large kmalloc: whole pages, as the kernel's page allocator path. */
		s = kmalloc_large_cache;
		alloc = PAGE_SIZE << get_order(size);
		align = PAGE_SIZE;
	}
	p = slab_alloc_node(s, flags, node, size, alloc, align, caller);
	if (!p)
		slab_warn_alloc("kmalloc", size, flags, false);
	return p;
}

void *kmalloc(size_t size, gfp_t flags)
{
	return kmalloc_node_track(size, flags, NUMA_NO_NODE, _RET_IP_);
}

void *kmalloc_node(size_t size, gfp_t flags, int node)
{
	return kmalloc_node_track(size, flags, node, _RET_IP_);
}

void kfree(const void *objp)
{
	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return;
	slab_free_ptr(objp, NULL, FREE_SLAB, "kfree", _RET_IP_);
}

void kfree_sensitive(const void *objp)
{
	struct slab_obj rec;

	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return;
	if (slab_obj_lookup(objp, &rec)) {
		zsim_asan_unpoison((void *)objp, rec.usable);
		memset((void *)objp, 0, rec.usable);
	}
	slab_free_ptr(objp, NULL, FREE_SLAB, "kfree_sensitive", _RET_IP_);
}

size_t ksize(const void *objp)
{
	struct slab_obj rec;

	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return 0;
	if (!slab_obj_lookup(objp, &rec)) {
		WARN_ONCE(1, "ksize(%p): not an allocated object\n", objp);
		return 0;
	}
	/* The caller may now use the whole object, as after KASAN's ksize(). */
	zsim_asan_unpoison((void *)objp, rec.usable);
	return rec.usable;
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	unsigned long caller = _RET_IP_;
	struct slab_obj rec;
	void *n;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc_node_track(new_size, flags, NUMA_NO_NODE, caller);
	if (!slab_obj_lookup(p, &rec)) {
		report_bad_free(p, "krealloc", caller, "not an allocated object");
		return NULL;
	}
	might_alloc(flags);
	if (new_size <= rec.usable && rec.cache != vmalloc_cache) {
		/* Fits in place: adjust the in-bounds part, zero what grew. */
		zsim_asan_unpoison((void *)p, new_size);
		if ((flags & __GFP_ZERO) && new_size > rec.size)
			memset((char *)p + rec.size, 0, new_size - rec.size);
		if (new_size < rec.usable)
			zsim_asan_poison((char *)p + new_size, rec.usable - new_size);
		slab_obj_resize(p, new_size);
		return (void *)p;
	}
	n = kmalloc_node_track(new_size, flags, NUMA_NO_NODE, caller);
	if (!n)
		return NULL;
	memcpy(n, p, min_t(size_t, rec.size, new_size));
	slab_free_ptr(p, NULL, FREE_ANY, "krealloc", caller);
	return n;
}
