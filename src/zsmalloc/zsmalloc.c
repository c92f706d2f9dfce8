// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsmalloc for the simulator: our own implementation of the design of
 * Linux 7.0's mm/zsmalloc.c on the shim. Functions, structures and locks
 * keep upstream's names so that a kernel patch can be ported here and a
 * kernel developer finds their way; the code and comments are ours (see
 * docs/zsmalloc.md for the model and the differences from the kernel).
 *
 * A zspage is a chain of pages cut into objects of one size class. What
 * each page (struct zpdesc, zpdesc.h) carries:
 *	->zspage		the zspage it belongs to
 *	->next			the next page of the chain; a huge zspage has
 *				one page, so the same word holds its handle
 *	->first_obj_offset	where the first object starting on this page
 *				begins (low 24 bits of page_type)
 *	PG_private		set on the first page of the chain only
 *	page lock		held on all pages to free a zspage (deferred
 *				design) and by migration on the page it moves
 *
 * Locking order (checked by the shim's lockdep, except page locks, which
 * lockdep does not track in the kernel either):
 *	page_lock
 *	pool->lock (rwlock: read for zs_free() and object access lookups,
 *		    write for migration and compaction)
 *	class->lock
 *	zspage->lock (zspage_lock: readers may sleep, writers only trylock)
 *
 * Two designs keep a zspage alive between zs_free() and page migration
 * (zs_create_pool_design(), module parameter free_design):
 *	deferred (mainline): free_zspage() trylocks every page of the empty
 *		zspage; if one is locked (being migrated), the free is left to
 *		pool->free_work (async_free_zspage()), which sleeps on each
 *		page lock. zs_page_migrate() relies on the page lock.
 *	rcu (Chengming Zhou, Feb 2024): each page's ->zspage is published
 *		with rcu_assign_pointer() once the zspage is fully set up;
 *		zs_page_migrate() looks it up under rcu_read_lock() and skips
 *		a zspage no longer on its class list; free_zspage() takes no
 *		page lock and frees the struct zspage with call_rcu().
 */

#define KBUILD_MODNAME "zsmalloc"
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/* The kernel build force-includes it; the shim's does not. */
#include <linux/kconfig.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/highmem.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/lockdep.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/rcupdate.h>
#include <linux/scatterlist.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/zsmalloc.h>
#include <zswapsim.h>
#include "zpdesc.h"

#define ZSPAGE_MAGIC	0x58

/*
 * Object sizes are multiples of this. As a power of two no smaller than
 * struct link_free, it keeps every freelist link inside one page.
 */
#define ZS_ALIGN		8

#define ZS_HANDLE_SIZE (sizeof(unsigned long))

/*
 * A location packs the PFN of the page an object starts on into the high
 * bits of an unsigned long and the object's index in its zspage (from 0)
 * into the low OBJ_INDEX_BITS. The PFN width is x86-64's; the simulated
 * RAM's PFNs fit in it.
 */
#define MAX_POSSIBLE_PHYSMEM_BITS 52
#define _PFN_BITS		(MAX_POSSIBLE_PHYSMEM_BITS - PAGE_SHIFT)

/*
 * Bit 0 of an object's first word tells allocated (the word is its handle,
 * a slab pointer whose low bits are zero) from free (the word is the
 * freelist link, stored shifted left by OBJ_TAG_BITS).
 */
#define OBJ_ALLOCATED_TAG 1

#define OBJ_TAG_BITS	1
#define OBJ_TAG_MASK	OBJ_ALLOCATED_TAG

#define OBJ_INDEX_BITS	(BITS_PER_LONG - _PFN_BITS)
#define OBJ_INDEX_MASK	((1UL << OBJ_INDEX_BITS) - 1)

#define HUGE_BITS	1
#define FULLNESS_BITS	4
#define CLASS_BITS	8
#define MAGIC_VAL_BITS	8

/* The meson option zsmalloc_chain_size (zsim_config.h). */
#define ZS_MAX_PAGES_PER_ZSPAGE	((unsigned long)CONFIG_ZSMALLOC_CHAIN_SIZE)

/* Large enough that a full chain's object indexes fit in OBJ_INDEX_BITS. */
#define ZS_MIN_ALLOC_SIZE \
	MAX(32, (ZS_MAX_PAGES_PER_ZSPAGE << PAGE_SHIFT >> OBJ_INDEX_BITS))
/* The largest request, before zs_malloc() adds the handle. */
#define ZS_MAX_ALLOC_SIZE	PAGE_SIZE

/*
 * Classes are ZS_SIZE_CLASS_DELTA (16 bytes with 4 KiB pages) apart: 255
 * of them. Finer steps waste less inside objects but spread free space
 * over more classes. Both the step and ZS_MIN_ALLOC_SIZE are multiples of
 * ZS_ALIGN.
 */
#define ZS_SIZE_CLASS_DELTA	(PAGE_SIZE >> CLASS_BITS)
#define ZS_SIZE_CLASSES	(DIV_ROUND_UP(ZS_MAX_ALLOC_SIZE - ZS_MIN_ALLOC_SIZE, \
				      ZS_SIZE_CLASS_DELTA) + 1)

/*
 * A class keeps its zspages on one list per tenth of occupancy (plus
 * empty and full), so allocation can pick the fullest zspage with room and
 * compaction the emptiest, without scanning.
 */
enum fullness_group {
	ZS_INUSE_RATIO_0,
	ZS_INUSE_RATIO_10,
	/* ZS_INUSE_RATIO_20 .. ZS_INUSE_RATIO_90 are 2 .. 9 */
	ZS_INUSE_RATIO_99       = 10,
	ZS_INUSE_RATIO_100,
	NR_FULLNESS_GROUPS,
};

enum class_stat_type {
	/* indexes below this count the zspages of each fullness group */
	ZS_OBJS_ALLOCATED       = NR_FULLNESS_GROUPS,
	ZS_OBJS_INUSE,
	NR_CLASS_STAT_TYPES,
};

struct zs_size_stat {
	unsigned long objs[NR_CLASS_STAT_TYPES];
};

static struct dentry *zs_stat_root;

/* The size of the first huge class (the same for every pool). */
static size_t huge_class_size;

struct size_class {
	spinlock_t lock;
	struct list_head fullness_list[NR_FULLNESS_GROUPS];
	int size;		/* object size, a multiple of ZS_ALIGN */
	int objs_per_zspage;
	int pages_per_zspage;	/* length of each zspage's page chain */

	unsigned int index;
	struct zs_size_stat stats;
};

/* The first word of every object; zspage->freeobj heads the free ones. */
struct link_free {
	union {
		unsigned long next;	/* free: index of the next free object */
		unsigned long handle;	/* allocated: handle | OBJ_ALLOCATED_TAG */
	};
};

struct zs_pool {
	const char *name;

	struct size_class *size_class[ZS_SIZE_CLASSES];
	struct kmem_cache *handle_cachep;
	struct kmem_cache *zspage_cachep;

	atomic_long_t pages_allocated;

	struct zs_pool_stats stats;

	struct shrinker *shrinker;	/* runs zs_compact() under memory pressure */

	struct dentry *stat_dentry;
	struct work_struct free_work;
	/* write: moving objects (migration, compaction); read: handle lookups */
	rwlock_t lock;
	atomic_t compaction_in_progress;
	struct lock_class_key lock_class;

	/* Simulator: the free-vs-migration design and its bookkeeping. */
	enum zs_free_design design;
	atomic_long_t zspages_rcu_pending;	/* freed, waiting for a grace period */
	struct list_head pools;			/* on zs_pools, for zsim_zsmalloc_dump() */
};

static inline void zpdesc_set_first(struct zpdesc *zpdesc)
{
	SetPagePrivate(zpdesc_page(zpdesc));
}

static inline void zpdesc_inc_zone_page_state(struct zpdesc *zpdesc)
{
	/* Difference: the shim keeps no NR_ZSPAGES zone counter. */
}

static inline void zpdesc_dec_zone_page_state(struct zpdesc *zpdesc)
{
}

static DEFINE_FAULT_SITE(zs_zspage_fault, "zs_zspage");
static DEFINE_FAULT_SITE(zs_page_fault, "zs_page");
static DEFINE_FAULT_SITE(zs_handle_fault, "zs_handle");

static inline struct zpdesc *alloc_zpdesc(gfp_t gfp, const int nid)
{
	struct page *page;

	if (should_fail_site(&zs_page_fault))
		return NULL;
	page = alloc_pages_node(nid, gfp, 0);
	return page_zpdesc(page);
}

static inline void free_zpdesc(struct zpdesc *zpdesc)
{
	struct page *page = zpdesc_page(zpdesc);

	__ClearPageZsmalloc(page);
	__free_page(page);
}

#define ZS_PAGE_UNLOCKED	0
#define ZS_PAGE_WRLOCKED	-1

struct zspage_lock {
	spinlock_t lock;
	int cnt;
	struct lockdep_map dep_map;
};

struct zspage {
	struct {
		unsigned int huge:HUGE_BITS;
		unsigned int fullness:FULLNESS_BITS;
		unsigned int class:CLASS_BITS + 1;
		unsigned int magic:MAGIC_VAL_BITS;
	};
	unsigned int inuse;
	unsigned int freeobj;
	struct zpdesc *first_zpdesc;
	struct list_head list; /* fullness list */
	struct zs_pool *pool;
	struct zspage_lock zsl;
	struct rcu_head rcu;	/* rcu design: freed after a grace period */
};

static void zspage_lock_init(struct zspage *zspage)
{
	struct zspage_lock *zsl = &zspage->zsl;

	lockdep_init_map(&zsl->dep_map, "zspage->lock", &zspage->pool->lock_class, 0);
	spin_lock_init(&zsl->lock);
	zsl->cnt = ZS_PAGE_UNLOCKED;
}

/*
 * zspage lock: a reader/writer count guarded by a spinlock. A reader (an
 * object mapped by zs_obj_read_begin() and friends) may sleep while it
 * holds it; so a writer (migration, compaction) never waits for readers,
 * it only trylocks, and it keeps the spinlock for as long as it holds the
 * lock. A reader therefore spins only behind a writer, which cannot sleep.
 */
static void zspage_read_lock(struct zspage *zspage)
{
	struct zspage_lock *zsl = &zspage->zsl;

	rwsem_acquire_read(&zsl->dep_map, 0, 0, _RET_IP_);

	spin_lock(&zsl->lock);
	zsl->cnt++;
	spin_unlock(&zsl->lock);
}

static void zspage_read_unlock(struct zspage *zspage)
{
	struct zspage_lock *zsl = &zspage->zsl;

	rwsem_release(&zsl->dep_map, _RET_IP_);

	spin_lock(&zsl->lock);
	zsl->cnt--;
	spin_unlock(&zsl->lock);
}

/* A writer keeps zsl->lock until zspage_write_unlock(): readers spin. */
static __must_check bool zspage_write_trylock(struct zspage *zspage)
{
	struct zspage_lock *zsl = &zspage->zsl;

	spin_lock(&zsl->lock);
	if (zsl->cnt == ZS_PAGE_UNLOCKED) {
		zsl->cnt = ZS_PAGE_WRLOCKED;
		rwsem_acquire(&zsl->dep_map, 0, 1, _RET_IP_);
		return true;
	}

	spin_unlock(&zsl->lock);
	return false;
}

static void zspage_write_unlock(struct zspage *zspage)
{
	struct zspage_lock *zsl = &zspage->zsl;

	rwsem_release(&zsl->dep_map, _RET_IP_);

	zsl->cnt = ZS_PAGE_UNLOCKED;
	spin_unlock(&zsl->lock);
}

/* huge object: pages_per_zspage == 1 && maxobj_per_zspage == 1 */
static void SetZsHugePage(struct zspage *zspage)
{
	zspage->huge = 1;
}

static bool ZsHugePage(struct zspage *zspage)
{
	return zspage->huge;
}

static void kick_deferred_free(struct zs_pool *pool);
static void init_deferred_free(struct zs_pool *pool);
static void SetZsPageMovable(struct zs_pool *pool, struct zspage *zspage);

static int create_cache(struct zs_pool *pool)
{
	char name[64];

	snprintf(name, sizeof(name), "zs_handle-%s", pool->name);
	pool->handle_cachep = kmem_cache_create(name, ZS_HANDLE_SIZE, 0, 0, NULL);
	if (!pool->handle_cachep)
		return -EINVAL;

	snprintf(name, sizeof(name), "zspage-%s", pool->name);
	pool->zspage_cachep = kmem_cache_create(name, sizeof(struct zspage), 0, 0, NULL);
	if (!pool->zspage_cachep) {
		kmem_cache_destroy(pool->handle_cachep);
		pool->handle_cachep = NULL;
		return -EINVAL;
	}

	return 0;
}

static void destroy_cache(struct zs_pool *pool)
{
	kmem_cache_destroy(pool->handle_cachep);
	kmem_cache_destroy(pool->zspage_cachep);
}

static unsigned long cache_alloc_handle(struct zs_pool *pool, gfp_t gfp)
{
	if (should_fail_site(&zs_handle_fault))
		return 0;
	return (unsigned long)kmem_cache_alloc(pool->handle_cachep,
			gfp & ~(__GFP_HIGHMEM|__GFP_MOVABLE));
}

static void cache_free_handle(struct zs_pool *pool, unsigned long handle)
{
	kmem_cache_free(pool->handle_cachep, (void *)handle);
}

static struct zspage *cache_alloc_zspage(struct zs_pool *pool, gfp_t flags)
{
	if (should_fail_site(&zs_zspage_fault))
		return NULL;
	return kmem_cache_zalloc(pool->zspage_cachep,
			flags & ~(__GFP_HIGHMEM|__GFP_MOVABLE));
}

static void cache_free_zspage(struct zs_pool *pool, struct zspage *zspage)
{
	kmem_cache_free(pool->zspage_cachep, zspage);
}

/* Callers hold class->lock; readers of the handle use READ_ONCE(). */
static void record_obj(unsigned long handle, unsigned long obj)
{
	WRITE_ONCE(*(unsigned long *)handle, obj);
}

static inline bool __maybe_unused is_first_zpdesc(struct zpdesc *zpdesc)
{
	return PagePrivate(zpdesc_page(zpdesc));
}

/* ->inuse changes only under class->lock. */
static inline int get_zspage_inuse(struct zspage *zspage)
{
	return zspage->inuse;
}

static inline void mod_zspage_inuse(struct zspage *zspage, int val)
{
	zspage->inuse += val;
}

static struct zpdesc *get_first_zpdesc(struct zspage *zspage)
{
	struct zpdesc *first_zpdesc = zspage->first_zpdesc;

	VM_BUG_ON_PAGE(!is_first_zpdesc(first_zpdesc), zpdesc_page(first_zpdesc));
	return first_zpdesc;
}

#define FIRST_OBJ_PAGE_TYPE_MASK	0xffffff

static inline unsigned int get_first_obj_offset(struct zpdesc *zpdesc)
{
	VM_WARN_ON_ONCE(!PageZsmalloc(zpdesc_page(zpdesc)));
	return zpdesc->first_obj_offset & FIRST_OBJ_PAGE_TYPE_MASK;
}

static inline void set_first_obj_offset(struct zpdesc *zpdesc, unsigned int offset)
{
	/* With 24 bits available, we can support offsets into 16 MiB pages. */
	BUILD_BUG_ON(PAGE_SIZE > (1 << 24));
	VM_WARN_ON_ONCE(!PageZsmalloc(zpdesc_page(zpdesc)));
	VM_WARN_ON_ONCE(offset & ~FIRST_OBJ_PAGE_TYPE_MASK);
	zpdesc->first_obj_offset &= ~FIRST_OBJ_PAGE_TYPE_MASK;
	zpdesc->first_obj_offset |= offset & FIRST_OBJ_PAGE_TYPE_MASK;
}

static inline unsigned int get_freeobj(struct zspage *zspage)
{
	return zspage->freeobj;
}

static inline void set_freeobj(struct zspage *zspage, unsigned int obj)
{
	zspage->freeobj = obj;
}

static struct size_class *zspage_class(struct zs_pool *pool,
				       struct zspage *zspage)
{
	return pool->size_class[zspage->class];
}

/* Index of the smallest class whose objects hold @size bytes. */
static int get_size_class_index(int size)
{
	int idx = 0;

	if (likely(size > ZS_MIN_ALLOC_SIZE))
		idx = DIV_ROUND_UP(size - ZS_MIN_ALLOC_SIZE,
				ZS_SIZE_CLASS_DELTA);

	return min_t(int, ZS_SIZE_CLASSES - 1, idx);
}

static inline void class_stat_add(struct size_class *class, int type,
				  unsigned long cnt)
{
	class->stats.objs[type] += cnt;
}

static inline void class_stat_sub(struct size_class *class, int type,
				  unsigned long cnt)
{
	class->stats.objs[type] -= cnt;
}

static inline unsigned long class_stat_read(struct size_class *class, int type)
{
	return READ_ONCE(class->stats.objs[type]);
}

/* The fullness group @zspage belongs in, from its live object count. */
static int get_fullness_group(struct size_class *class, struct zspage *zspage)
{
	int inuse, objs_per_zspage, ratio;

	inuse = get_zspage_inuse(zspage);
	objs_per_zspage = class->objs_per_zspage;

	if (inuse == 0)
		return ZS_INUSE_RATIO_0;
	if (inuse == objs_per_zspage)
		return ZS_INUSE_RATIO_100;

	/* +1: a ratio that rounds down to 0% is still not empty. */
	ratio = 100 * inuse / objs_per_zspage;
	return ratio / 10 + 1;
}

/* Put @zspage on @class's list for group @fullness and count it there. */
static void insert_zspage(struct size_class *class,
				struct zspage *zspage,
				int fullness)
{
	class_stat_add(class, fullness, 1);
	list_add(&zspage->list, &class->fullness_list[fullness]);
	zspage->fullness = fullness;
}

/* Take @zspage off its fullness list; ->fullness keeps the old group. */
static void remove_zspage(struct size_class *class, struct zspage *zspage)
{
	int fullness = zspage->fullness;

	VM_BUG_ON(list_empty(&class->fullness_list[fullness]));

	list_del_init(&zspage->list);
	class_stat_sub(class, fullness, 1);
}

/*
 * After an object was allocated or freed in @zspage, move it to the list
 * of its new fullness group if it changed. Returns the group.
 */
static int fix_fullness_group(struct size_class *class, struct zspage *zspage)
{
	int newfg;

	newfg = get_fullness_group(class, zspage);
	if (newfg == zspage->fullness)
		goto out;

	remove_zspage(class, zspage);
	insert_zspage(class, zspage, newfg);
out:
	return newfg;
}

/*
 * The zspage of a page. Callers hold what keeps it from being freed: the
 * page lock (deferred design), pool->lock or class->lock, or a zspage
 * lock; zs_page_migrate() uses rcu_dereference() itself.
 */
static struct zspage *get_zspage(struct zpdesc *zpdesc)
{
	struct zspage *zspage = rcu_dereference_raw(zpdesc->zspage);

	BUG_ON(!zspage || zspage->magic != ZSPAGE_MAGIC);
	return zspage;
}

/* The next page of @zspage after @zpdesc, without going through ->zspage. */
static struct zpdesc *zspage_next_zpdesc(struct zspage *zspage, struct zpdesc *zpdesc)
{
	if (unlikely(ZsHugePage(zspage)))
		return NULL;

	return zpdesc->next;
}

static struct zpdesc *get_next_zpdesc(struct zpdesc *zpdesc)
{
	return zspage_next_zpdesc(get_zspage(zpdesc), zpdesc);
}

/* Split a location into the page the object starts on and its index. */
static void obj_to_location(unsigned long obj, struct zpdesc **zpdesc,
				unsigned int *obj_idx)
{
	*zpdesc = pfn_zpdesc(obj >> OBJ_INDEX_BITS);
	*obj_idx = (obj & OBJ_INDEX_MASK);
}

static void obj_to_zpdesc(unsigned long obj, struct zpdesc **zpdesc)
{
	*zpdesc = pfn_zpdesc(obj >> OBJ_INDEX_BITS);
}

/* The inverse of obj_to_location(). */
static unsigned long location_to_obj(struct zpdesc *zpdesc, unsigned int obj_idx)
{
	unsigned long obj;

	obj = zpdesc_pfn(zpdesc) << OBJ_INDEX_BITS;
	obj |= obj_idx & OBJ_INDEX_MASK;

	return obj;
}

static unsigned long handle_to_obj(unsigned long handle)
{
	return READ_ONCE(*(unsigned long *)handle);
}

static inline bool obj_allocated(struct zpdesc *zpdesc, void *obj,
				 unsigned long *phandle)
{
	unsigned long handle;
	struct zspage *zspage = get_zspage(zpdesc);

	if (unlikely(ZsHugePage(zspage))) {
		VM_BUG_ON_PAGE(!is_first_zpdesc(zpdesc), zpdesc_page(zpdesc));
		handle = zpdesc->handle;
	} else
		handle = *(unsigned long *)obj;

	if (!(handle & OBJ_ALLOCATED_TAG))
		return false;

	/* The caller wants the bare handle. */
	*phandle = handle & ~OBJ_TAG_MASK;
	return true;
}

static void reset_zpdesc(struct zpdesc *zpdesc)
{
	struct page *page = zpdesc_page(zpdesc);

	ClearPagePrivate(page);
	RCU_INIT_POINTER(zpdesc->zspage, NULL);
	zpdesc->next = NULL;
	/* PageZsmalloc is cleared by free_zpdesc() or before the last put. */
	__ClearPageZsmalloc(page);
}

static int trylock_zspage(struct zspage *zspage)
{
	struct zpdesc *cursor, *fail;

	for (cursor = get_first_zpdesc(zspage); cursor != NULL; cursor =
					get_next_zpdesc(cursor)) {
		if (!zpdesc_trylock(cursor)) {
			fail = cursor;
			goto unlock;
		}
	}

	return 1;
unlock:
	for (cursor = get_first_zpdesc(zspage); cursor != fail; cursor =
					get_next_zpdesc(cursor))
		zpdesc_unlock(cursor);

	return 0;
}

static void zs_free_zspage_rcu(struct rcu_head *head)
{
	struct zspage *zspage = container_of(head, struct zspage, rcu);
	struct zs_pool *pool = zspage->pool;

	cache_free_zspage(pool, zspage);
	atomic_long_dec(&pool->zspages_rcu_pending);
}

static void __free_zspage(struct zs_pool *pool, struct size_class *class,
				struct zspage *zspage)
{
	struct zpdesc *zpdesc, *next;
	bool locked = pool->design == ZS_FREE_DEFERRED;

	assert_spin_locked(&class->lock);

	VM_BUG_ON(get_zspage_inuse(zspage));
	VM_BUG_ON(zspage->fullness != ZS_INUSE_RATIO_0);

	next = zpdesc = get_first_zpdesc(zspage);
	do {
		VM_BUG_ON_PAGE(locked && !zpdesc_is_locked(zpdesc), zpdesc_page(zpdesc));
		next = zspage_next_zpdesc(zspage, zpdesc);
		reset_zpdesc(zpdesc);
		if (locked)
			zpdesc_unlock(zpdesc);
		zpdesc_dec_zone_page_state(zpdesc);
		/* An isolated page keeps the migrator's reference. */
		zpdesc_put(zpdesc);
		zpdesc = next;
	} while (zpdesc != NULL);

	if (pool->design == ZS_FREE_RCU) {
		/* zs_page_migrate() may still read it under rcu_read_lock(). */
		atomic_long_inc(&pool->zspages_rcu_pending);
		call_rcu(&zspage->rcu, zs_free_zspage_rcu);
	} else {
		cache_free_zspage(pool, zspage);
	}

	class_stat_sub(class, ZS_OBJS_ALLOCATED, class->objs_per_zspage);
	atomic_long_sub(class->pages_per_zspage, &pool->pages_allocated);
}

static void free_zspage(struct zs_pool *pool, struct size_class *class,
				struct zspage *zspage)
{
	VM_BUG_ON(get_zspage_inuse(zspage));
	VM_BUG_ON(list_empty(&zspage->list));

	/*
	 * zs_free() may not sleep, so the deferred design only trylocks the
	 * pages here (__free_zspage() unlocks them) and leaves a zspage under
	 * migration to async_free_zspage().
	 */
	if (pool->design == ZS_FREE_DEFERRED && !trylock_zspage(zspage)) {
		kick_deferred_free(pool);
		return;
	}

	remove_zspage(class, zspage);
	__free_zspage(pool, class, zspage);
}

/*
 * Thread every object of a new zspage onto its freelist in address order;
 * the last link holds the "no more" value (all index bits set).
 */
static void init_zspage(struct size_class *class, struct zspage *zspage)
{
	struct zpdesc *zpdesc, *next;
	unsigned int size = class->size;
	unsigned int start = 0;
	unsigned int idx = 0;

	for (zpdesc = get_first_zpdesc(zspage); zpdesc; zpdesc = next) {
		void *base;

		next = zspage_next_zpdesc(zspage, zpdesc);
		/* Where the first object that begins on this page sits. */
		set_first_obj_offset(zpdesc, start);

		base = kmap_local_zpdesc(zpdesc);
		for (; start < PAGE_SIZE; start += size) {
			struct link_free *slot = base + start;

			/* The last object of the zspage ends the freelist. */
			if (!next && start + size >= PAGE_SIZE)
				slot->next = -1UL << OBJ_TAG_BITS;
			else
				slot->next = (unsigned long)++idx << OBJ_TAG_BITS;
		}
		kunmap_local(base);
		start -= PAGE_SIZE;
	}

	set_freeobj(zspage, 0);
}

/*
 * Link the pages of @zspage in order. ->zspage is not set here: see
 * zspage_publish().
 */
static void create_page_chain(struct size_class *class, struct zspage *zspage,
				struct zpdesc *zpdescs[])
{
	struct zpdesc **tail = &zspage->first_zpdesc;
	int n;

	for (n = 0; n < class->pages_per_zspage; n++) {
		zpdescs[n]->next = NULL;
		*tail = zpdescs[n];
		tail = &zpdescs[n]->next;
	}

	/* Only the first page gets PG_private: get_first_zpdesc() checks it. */
	zpdesc_set_first(zspage->first_zpdesc);
	/* One object filling one page: its handle cannot sit in the object. */
	if (unlikely(class->objs_per_zspage == 1 &&
		     class->pages_per_zspage == 1))
		SetZsHugePage(zspage);
}

/*
 * Point every page of the fully set up @zspage at it. The store is a
 * release (rcu_assign_pointer()), so a migrator that finds the zspage
 * through a page under the rcu design sees its chain and freelist
 * initialised. (The first version of the rcu proposal initialised the
 * zspage before the chain was built; see known race 2.)
 */
static void zspage_publish(struct zspage *zspage)
{
	struct zpdesc *zpdesc;

	for (zpdesc = zspage->first_zpdesc; zpdesc;
	     zpdesc = zspage_next_zpdesc(zspage, zpdesc))
		rcu_assign_pointer(zpdesc->zspage, zspage);
}

/* A new, empty, published zspage for @class, or NULL. */
static struct zspage *alloc_zspage(struct zs_pool *pool,
				   struct size_class *class,
				   gfp_t gfp, const int nid)
{
	struct zpdesc *pages[ZS_MAX_PAGES_PER_ZSPAGE];
	struct zspage *zspage;
	int nr;

	zspage = cache_alloc_zspage(pool, gfp);
	if (!zspage)
		return NULL;

	zspage->magic = ZSPAGE_MAGIC;
	zspage->pool = pool;
	zspage->class = class->index;
	INIT_LIST_HEAD(&zspage->list);
	zspage_lock_init(zspage);

	for (nr = 0; nr < class->pages_per_zspage; nr++) {
		pages[nr] = alloc_zpdesc(gfp, nid);
		if (!pages[nr])
			goto undo_pages;
		__zpdesc_set_zsmalloc(pages[nr]);
		zpdesc_inc_zone_page_state(pages[nr]);
	}

	create_page_chain(class, zspage, pages);
	init_zspage(class, zspage);
	zspage_publish(zspage);
	return zspage;

undo_pages:
	/* Give back the pages taken so far, newest first. */
	while (nr--) {
		zpdesc_dec_zone_page_state(pages[nr]);
		free_zpdesc(pages[nr]);
	}
	cache_free_zspage(pool, zspage);
	return NULL;
}

static struct zspage *find_get_zspage(struct size_class *class)
{
	int i;
	struct zspage *zspage;

	for (i = ZS_INUSE_RATIO_99; i >= ZS_INUSE_RATIO_0; i--) {
		zspage = list_first_entry_or_null(&class->fullness_list[i],
						  struct zspage, list);
		if (zspage)
			break;
	}

	return zspage;
}

static bool can_merge(struct size_class *prev, int pages_per_zspage,
					int objs_per_zspage)
{
	if (prev->pages_per_zspage == pages_per_zspage &&
		prev->objs_per_zspage == objs_per_zspage)
		return true;

	return false;
}

static bool zspage_full(struct size_class *class, struct zspage *zspage)
{
	return get_zspage_inuse(zspage) == class->objs_per_zspage;
}

static bool zspage_empty(struct zspage *zspage)
{
	return get_zspage_inuse(zspage) == 0;
}

/**
 * zs_lookup_class_index() - which size class a @size byte object goes to
 * @pool: the pool
 * @size: object size
 *
 * Merged sizes report the index of the class they share.
 * Context: Any context.
 * Return: the class index.
 */
unsigned int zs_lookup_class_index(struct zs_pool *pool, unsigned int size)
{
	struct size_class *class;

	class = pool->size_class[get_size_class_index(size)];

	return class->index;
}
EXPORT_SYMBOL_GPL(zs_lookup_class_index);

unsigned long zs_get_total_pages(struct zs_pool *pool)
{
	return atomic_long_read(&pool->pages_allocated);
}
EXPORT_SYMBOL_GPL(zs_get_total_pages);

/*
 * Find the object of @handle and keep its zspage from migration: the pool
 * lock makes the handle's location stable until the zspage read lock is
 * taken, which then keeps every page of the zspage in place.
 */
static struct zspage *zs_obj_lock(struct zs_pool *pool, unsigned long handle,
				  struct zpdesc **zpdesc, unsigned int *obj_idx)
{
	struct zspage *zspage;
	unsigned long obj;

	read_lock(&pool->lock);
	obj = handle_to_obj(handle);
	obj_to_location(obj, zpdesc, obj_idx);
	zspage = get_zspage(*zpdesc);

	/* Held until the matching read_end/write: migration must wait. */
	zspage_read_lock(zspage);
	read_unlock(&pool->lock);
	return zspage;
}

/* Bytes in front of the payload: the handle, except in a huge zspage. */
static size_t zs_obj_header(struct zspage *zspage)
{
	return ZsHugePage(zspage) ? 0 : ZS_HANDLE_SIZE;
}

/* Offset of object @obj_idx in the page where it starts. */
static unsigned long zs_obj_start(struct zs_pool *pool, struct zspage *zspage,
				  unsigned int obj_idx)
{
	return offset_in_page(zspage_class(pool, zspage)->size * obj_idx);
}

/* The object's zspage for a caller that already holds its read lock. */
static struct zspage *zs_obj_held(unsigned long handle, struct zpdesc **zpdesc,
				  unsigned int *obj_idx)
{
	obj_to_location(handle_to_obj(handle), zpdesc, obj_idx);
	return get_zspage(*zpdesc);
}

void *zs_obj_read_begin(struct zs_pool *pool, unsigned long handle,
			size_t mem_len, void *local_copy)
{
	struct zpdesc *zpdesc;
	unsigned int obj_idx;
	struct zspage *zspage = zs_obj_lock(pool, handle, &zpdesc, &obj_idx);
	unsigned long off = zs_obj_start(pool, zspage, obj_idx);
	size_t hdr = zs_obj_header(zspage);
	size_t len = mem_len + hdr, head;

	if (off + len <= PAGE_SIZE)
		return kmap_local_zpdesc(zpdesc) + off + hdr;

	/* Split over two pages: give the caller one linear copy. */
	head = PAGE_SIZE - off;
	memcpy_from_page(local_copy, zpdesc_page(zpdesc), off, head);
	memcpy_from_page(local_copy + head, zpdesc_page(get_next_zpdesc(zpdesc)),
			 0, len - head);
	return local_copy + hdr;
}
EXPORT_SYMBOL_GPL(zs_obj_read_begin);

void zs_obj_read_end(struct zs_pool *pool, unsigned long handle,
		     size_t mem_len, void *handle_mem)
{
	struct zpdesc *zpdesc;
	unsigned int obj_idx;
	/* The read lock keeps the location stable: no pool->lock needed. */
	struct zspage *zspage = zs_obj_held(handle, &zpdesc, &obj_idx);
	unsigned long off = zs_obj_start(pool, zspage, obj_idx);
	size_t hdr = zs_obj_header(zspage);

	/* Only the single-page case mapped the page; a copy needs no undo. */
	if (off + mem_len + hdr <= PAGE_SIZE)
		kunmap_local(handle_mem - off - hdr);

	zspage_read_unlock(zspage);
}
EXPORT_SYMBOL_GPL(zs_obj_read_end);

void zs_obj_read_sg_begin(struct zs_pool *pool, unsigned long handle,
			  struct scatterlist *sg, size_t mem_len)
{
	struct zpdesc *zpdesc;
	unsigned int obj_idx;
	struct zspage *zspage = zs_obj_lock(pool, handle, &zpdesc, &obj_idx);
	unsigned long off = zs_obj_start(pool, zspage, obj_idx) + zs_obj_header(zspage);
	size_t head;

	if (off + mem_len <= PAGE_SIZE) {
		sg_init_table(sg, 1);
		sg_set_page(sg, zpdesc_page(zpdesc), mem_len, off);
		return;
	}

	head = PAGE_SIZE - off;
	sg_init_table(sg, 2);
	sg_set_page(sg, zpdesc_page(zpdesc), head, off);
	sg_set_page(sg_next(sg), zpdesc_page(get_next_zpdesc(zpdesc)),
		    mem_len - head, 0);
}
EXPORT_SYMBOL_GPL(zs_obj_read_sg_begin);

void zs_obj_read_sg_end(struct zs_pool *pool, unsigned long handle)
{
	struct zpdesc *zpdesc;
	unsigned int obj_idx;

	zspage_read_unlock(zs_obj_held(handle, &zpdesc, &obj_idx));
}
EXPORT_SYMBOL_GPL(zs_obj_read_sg_end);

void zs_obj_write(struct zs_pool *pool, unsigned long handle,
		  void *handle_mem, size_t mem_len)
{
	struct zpdesc *zpdesc;
	unsigned int obj_idx;
	struct zspage *zspage = zs_obj_lock(pool, handle, &zpdesc, &obj_idx);
	unsigned long off = zs_obj_start(pool, zspage, obj_idx) + zs_obj_header(zspage);
	size_t head = min_t(size_t, mem_len, PAGE_SIZE - off);

	memcpy_to_page(zpdesc_page(zpdesc), off, handle_mem, head);
	if (head < mem_len)
		memcpy_to_page(zpdesc_page(get_next_zpdesc(zpdesc)), 0,
			       handle_mem + head, mem_len - head);

	zspage_read_unlock(zspage);
}
EXPORT_SYMBOL_GPL(zs_obj_write);

/**
 * zs_huge_class_size() - smallest request that gets a page to itself
 * @pool: the pool (the value is the same for all pools)
 *
 * Context: Any context.
 * Return: the size in bytes; zswap stores such pages uncompressed.
 */
size_t zs_huge_class_size(struct zs_pool *pool)
{
	return huge_class_size;
}
EXPORT_SYMBOL_GPL(zs_huge_class_size);

static unsigned long obj_malloc(struct zs_pool *pool,
				struct zspage *zspage, unsigned long handle)
{
	struct size_class *class = pool->size_class[zspage->class];
	unsigned int idx = get_freeobj(zspage);
	unsigned int byte = idx * class->size;
	unsigned int skip = byte >> PAGE_SHIFT;
	struct zpdesc *zpdesc = get_first_zpdesc(zspage);
	struct link_free *slot;
	unsigned long obj;
	void *base;

	/* Walk to the page the free object starts in. */
	while (skip--)
		zpdesc = get_next_zpdesc(zpdesc);

	base = kmap_local_zpdesc(zpdesc);
	slot = base + offset_in_page(byte);
	/* Pop the object off the zspage's freelist. */
	set_freeobj(zspage, slot->next >> OBJ_TAG_BITS);
	/* A huge object fills its page, so its handle lives in the zpdesc. */
	if (unlikely(ZsHugePage(zspage)))
		zspage->first_zpdesc->handle = handle | OBJ_ALLOCATED_TAG;
	else
		slot->handle = handle | OBJ_ALLOCATED_TAG;
	kunmap_local(base);

	mod_zspage_inuse(zspage, 1);
	obj = location_to_obj(zpdesc, idx);
	record_obj(handle, obj);
	return obj;
}

/**
 * zs_malloc - allocate an object
 * @pool: the pool
 * @size: payload size, 1 .. PAGE_SIZE
 * @gfp: allocation flags for the handle and a new zspage
 * @nid: node to take a new zspage's pages from
 *
 * Return: a handle for zs_obj_*() and zs_free(), or ERR_PTR(-EINVAL) for
 * size 0, ERR_PTR(-ENOSPC) above PAGE_SIZE, ERR_PTR(-ENOMEM).
 */
unsigned long zs_malloc(struct zs_pool *pool, size_t size, gfp_t gfp,
			const int nid)
{
	struct size_class *class;
	struct zspage *zspage;
	unsigned long handle;

	if (unlikely(!size))
		return (unsigned long)ERR_PTR(-EINVAL);
	if (unlikely(size > ZS_MAX_ALLOC_SIZE))
		return (unsigned long)ERR_PTR(-ENOSPC);

	handle = cache_alloc_handle(pool, gfp);
	if (!handle)
		return (unsigned long)ERR_PTR(-ENOMEM);

	/* Room for the handle in front of the payload. */
	class = pool->size_class[get_size_class_index(size + ZS_HANDLE_SIZE)];

	spin_lock(&class->lock);
	zspage = find_get_zspage(class);
	if (likely(zspage)) {
		obj_malloc(pool, zspage, handle);
		fix_fullness_group(class, zspage);
	} else {
		/* Pages may sleep to allocate: drop the class lock meanwhile. */
		spin_unlock(&class->lock);
		zspage = alloc_zspage(pool, class, gfp, nid);
		if (!zspage) {
			cache_free_handle(pool, handle);
			return (unsigned long)ERR_PTR(-ENOMEM);
		}
		spin_lock(&class->lock);

		obj_malloc(pool, zspage, handle);
		insert_zspage(class, zspage,
			      get_fullness_group(class, zspage));
		atomic_long_add(class->pages_per_zspage,
				&pool->pages_allocated);
		class_stat_add(class, ZS_OBJS_ALLOCATED,
			       class->objs_per_zspage);
		/* Only a complete zspage may be offered to migration. */
		SetZsPageMovable(pool, zspage);
	}
	class_stat_add(class, ZS_OBJS_INUSE, 1);
	spin_unlock(&class->lock);

	return handle;
}
EXPORT_SYMBOL_GPL(zs_malloc);

static void obj_free(int class_size, unsigned long obj)
{
	struct zpdesc *zpdesc;
	struct zspage *zspage;
	struct link_free *slot;
	unsigned int idx;
	void *base;

	obj_to_location(obj, &zpdesc, &idx);
	zspage = get_zspage(zpdesc);

	base = kmap_local_zpdesc(zpdesc);
	slot = base + offset_in_page(class_size * idx);
	/* Push the object on the front of its zspage's freelist. */
	if (unlikely(ZsHugePage(zspage)))
		zpdesc->handle = 0;
	else
		slot->next = get_freeobj(zspage) << OBJ_TAG_BITS;
	set_freeobj(zspage, idx);
	kunmap_local(base);

	mod_zspage_inuse(zspage, -1);
}

void zs_free(struct zs_pool *pool, unsigned long handle)
{
	struct size_class *class;
	struct zpdesc *zpdesc;
	struct zspage *zspage;
	unsigned long obj;

	if (IS_ERR_OR_NULL((void *)handle))
		return;

	/*
	 * Migration moves objects under pool->lock held for writing, so a
	 * reader sees a stable handle -> zspage -> class chain; class->lock,
	 * taken before pool->lock is dropped, then pins the zspage.
	 */
	read_lock(&pool->lock);
	obj = handle_to_obj(handle);
	obj_to_zpdesc(obj, &zpdesc);
	zspage = get_zspage(zpdesc);
	class = zspage_class(pool, zspage);
	spin_lock(&class->lock);
	read_unlock(&pool->lock);

	class_stat_sub(class, ZS_OBJS_INUSE, 1);
	obj_free(class->size, obj);
	/* The last object out takes the zspage with it. */
	if (fix_fullness_group(class, zspage) == ZS_INUSE_RATIO_0)
		free_zspage(pool, class, zspage);
	spin_unlock(&class->lock);

	cache_free_handle(pool, handle);
}
EXPORT_SYMBOL_GPL(zs_free);

/* Copy one object of @class from location @src to location @dst. */
static void zs_object_copy(struct size_class *class, unsigned long dst,
				unsigned long src)
{
	struct zpdesc *s_zpdesc, *d_zpdesc;
	unsigned int s_idx, d_idx, s_off, d_off;
	unsigned int left = class->size;

	obj_to_location(src, &s_zpdesc, &s_idx);
	obj_to_location(dst, &d_zpdesc, &d_idx);
	s_off = offset_in_page(class->size * s_idx);
	d_off = offset_in_page(class->size * d_idx);

	/* Each step copies up to the nearer of the two page ends. */
	while (left) {
		unsigned int n = min_t(unsigned int, left,
				       min_t(unsigned int, PAGE_SIZE - s_off,
					     PAGE_SIZE - d_off));
		void *s_addr, *d_addr;

		/* kmap_local mappings nest, so unmap in reverse order. */
		s_addr = kmap_local_zpdesc(s_zpdesc);
		d_addr = kmap_local_zpdesc(d_zpdesc);
		memcpy(d_addr + d_off, s_addr + s_off, n);
		kunmap_local(d_addr);
		kunmap_local(s_addr);

		left -= n;
		s_off += n;
		d_off += n;
		if (!left)
			break;
		if (s_off == PAGE_SIZE) {
			s_zpdesc = get_next_zpdesc(s_zpdesc);
			s_off = 0;
		}
		if (d_off == PAGE_SIZE) {
			d_zpdesc = get_next_zpdesc(d_zpdesc);
			d_off = 0;
		}
	}
}

/*
 * Scan @zpdesc from object *@obj_idx on for an allocated object. Returns
 * its handle with *@obj_idx at it, or 0 with *@obj_idx past the page.
 */
static unsigned long find_alloced_obj(struct size_class *class,
				      struct zpdesc *zpdesc, int *obj_idx)
{
	unsigned int pos = get_first_obj_offset(zpdesc) + class->size * *obj_idx;
	void *vaddr = kmap_local_zpdesc(zpdesc);
	unsigned long handle = 0;

	for (; pos < PAGE_SIZE; pos += class->size, (*obj_idx)++) {
		if (obj_allocated(zpdesc, vaddr + pos, &handle))
			break;
	}

	kunmap_local(vaddr);
	return handle;
}

/*
 * Move objects from @src_zspage into @dst_zspage until the destination is
 * full or the source is empty. Handles are rewritten by obj_malloc().
 */
static void migrate_zspage(struct zs_pool *pool, struct zspage *src_zspage,
			   struct zspage *dst_zspage)
{
	struct size_class *class = zspage_class(pool, src_zspage);
	struct zpdesc *page = get_first_zpdesc(src_zspage);
	int idx = 0;

	while (page) {
		unsigned long handle, from, to;

		handle = find_alloced_obj(class, page, &idx);
		if (!handle) {
			/* Nothing left on this page: go on with the next. */
			page = get_next_zpdesc(page);
			idx = 0;
			continue;
		}

		from = handle_to_obj(handle);
		to = obj_malloc(pool, dst_zspage, handle);
		zs_object_copy(class, to, from);
		obj_free(class->size, from);
		idx++;

		if (zspage_full(class, dst_zspage) || zspage_empty(src_zspage))
			return;
	}
}

/* Remove and return the first zspage of fullness group @fg, if any. */
static struct zspage *zs_take_first(struct size_class *class, int fg)
{
	struct zspage *zspage;

	zspage = list_first_entry_or_null(&class->fullness_list[fg],
					  struct zspage, list);
	if (zspage)
		remove_zspage(class, zspage);
	return zspage;
}

/* Compaction empties the sparsest zspages ... */
static struct zspage *isolate_src_zspage(struct size_class *class)
{
	struct zspage *zspage = NULL;
	int fg;

	for (fg = ZS_INUSE_RATIO_10; !zspage && fg <= ZS_INUSE_RATIO_99; fg++)
		zspage = zs_take_first(class, fg);
	return zspage;
}

/* ... into the fullest ones that still have room. */
static struct zspage *isolate_dst_zspage(struct size_class *class)
{
	struct zspage *zspage = NULL;
	int fg;

	for (fg = ZS_INUSE_RATIO_99; !zspage && fg >= ZS_INUSE_RATIO_10; fg--)
		zspage = zs_take_first(class, fg);
	return zspage;
}

/* Return an isolated zspage to the list its fill level says; returns that group. */
static int putback_zspage(struct size_class *class, struct zspage *zspage)
{
	int fg = get_fullness_group(class, zspage);

	insert_zspage(class, zspage, fg);
	return fg;
}

/*
 * Drop the zspage read lock and sleep until @zpdesc is unlocked. The
 * reference keeps the page from being freed and reused while we wait.
 */
static void zs_wait_zpdesc_unlocked(struct zspage *zspage, struct zpdesc *zpdesc)
{
	zpdesc_get(zpdesc);
	zspage_read_unlock(zspage);
	zpdesc_wait_locked(zpdesc);
	zpdesc_put(zpdesc);
}

/*
 * Deferred design: lock every page of an empty zspage so that no migration
 * is using it when it is freed. A page we have not locked yet may be
 * swapped out of the chain by migration, so each step reads the chain
 * under the zspage read lock (which migration cannot get past), and the
 * sleep happens outside it. A page once locked stays in the chain.
 */
static void lock_zspage(struct zspage *zspage)
{
	struct zpdesc *last_locked = NULL, *next;

	zspage_read_lock(zspage);
	for (;;) {
		next = last_locked ? get_next_zpdesc(last_locked) :
				     get_first_zpdesc(zspage);
		if (!next)
			break;
		if (zpdesc_trylock(next)) {
			last_locked = next;
			continue;
		}
		zs_wait_zpdesc_unlocked(zspage, next);
		zspage_read_lock(zspage);
	}
	zspage_read_unlock(zspage);
}

/* Put @newzpdesc in @oldzpdesc's place in @zspage's chain. */
static void replace_sub_page(struct size_class *class, struct zspage *zspage,
				struct zpdesc *newzpdesc, struct zpdesc *oldzpdesc)
{
	struct zpdesc *chain[ZS_MAX_PAGES_PER_ZSPAGE] = { };
	struct zpdesc *cur;
	int n = 0;

	for (cur = get_first_zpdesc(zspage); cur; cur = get_next_zpdesc(cur))
		chain[n++] = cur == oldzpdesc ? newzpdesc : cur;

	/* Relinking clears ->next, which a huge page shares with ->handle. */
	create_page_chain(class, zspage, chain);
	set_first_obj_offset(newzpdesc, get_first_obj_offset(oldzpdesc));
	if (unlikely(ZsHugePage(zspage)))
		newzpdesc->handle = oldzpdesc->handle;

	zspage_publish(zspage);
	__zpdesc_set_movable(newzpdesc);
}

static bool zs_page_isolate(struct page *page, isolate_mode_t mode)
{
	/*
	 * A page that reset_zpdesc() already detached has nothing to move.
	 * Deferred design: the page lock we are called with keeps the zspage
	 * from being freed, so the answer holds. Rcu design: free takes no
	 * page lock, so this is a hint and zs_page_migrate() looks again.
	 */
	return rcu_access_pointer(page_zpdesc(page)->zspage) != NULL;
}

/*
 * Give every allocated object on @old (mapped at @vaddr) a location on
 * @new with the same index: the copy keeps offsets, only the PFN changes.
 */
static void zs_move_handles(struct size_class *class, struct zpdesc *old,
			    struct zpdesc *new, void *vaddr)
{
	unsigned int pos;

	for (pos = get_first_obj_offset(old); pos < PAGE_SIZE; pos += class->size) {
		struct zpdesc *unused;
		unsigned long handle;
		unsigned int idx;

		if (!obj_allocated(old, vaddr + pos, &handle))
			continue;
		obj_to_location(handle_to_obj(handle), &unused, &idx);
		record_obj(handle, location_to_obj(new, idx));
	}
}

static int zs_page_migrate(struct page *newpage, struct page *page,
		enum migrate_mode mode)
{
	struct zpdesc *newzpdesc = page_zpdesc(newpage);
	struct zpdesc *zpdesc = page_zpdesc(page);
	struct size_class *class;
	struct zspage *zspage;
	struct zs_pool *pool;
	void *src, *dst;
	int err = 0;

	/*
	 * Deferred design: our page lock already keeps free_zspage() (which
	 * trylocks every page) away, so the RCU section adds nothing. Rcu
	 * design: free takes no page lock; RCU keeps the struct zspage
	 * readable until we hold class->lock and can see whether it is still
	 * on a class list, i.e. not yet handed to call_rcu().
	 */
	rcu_read_lock();
	zspage = rcu_dereference(zpdesc->zspage);
	if (!zspage) {
		/* Freed while the page was isolated and unlocked. */
		rcu_read_unlock();
		return 0;
	}
	pool = zspage->pool;

	/* pool->lock fixes every handle, class->lock the zspage's contents. */
	write_lock(&pool->lock);
	class = zspage_class(pool, zspage);
	spin_lock(&class->lock);
	rcu_read_unlock();

	if (pool->design == ZS_FREE_RCU && list_empty(&zspage->list))
		err = -EAGAIN;		/* being freed since the lookup */
	else if (!zspage_write_trylock(zspage))
		err = -EBUSY;		/* a reader maps one of its objects */
	if (err) {
		spin_unlock(&class->lock);
		write_unlock(&pool->lock);
		return err;
	}

	/* From here on the move cannot fail. */
	__zpdesc_set_zsmalloc(newzpdesc);
	src = kmap_local_zpdesc(zpdesc);
	dst = kmap_local_zpdesc(newzpdesc);
	memcpy(dst, src, PAGE_SIZE);	/* copy_page() */
	kunmap_local(dst);
	zs_move_handles(class, zpdesc, newzpdesc, src);
	kunmap_local(src);

	/*
	 * The zspage's reference to the new page is taken before the page
	 * joins the chain. Mainline takes it after unlocking, which works
	 * because free_zspage() cannot lock a page migration holds; under the
	 * rcu design a zs_free() just after class->lock is dropped would
	 * otherwise put the migration core's reference.
	 */
	zpdesc_get(newzpdesc);
	replace_sub_page(class, zspage, newzpdesc, zpdesc);

	write_unlock(&pool->lock);
	spin_unlock(&class->lock);
	zspage_write_unlock(zspage);

	if (zpdesc_nid(newzpdesc) != zpdesc_nid(zpdesc)) {
		zpdesc_dec_zone_page_state(zpdesc);
		zpdesc_inc_zone_page_state(newzpdesc);
	}

	reset_zpdesc(zpdesc);
	zpdesc_put(zpdesc);

	return 0;
}

static void zs_page_putback(struct page *page)
{
}

const struct movable_operations zsmalloc_mops = {
	.isolate_page = zs_page_isolate,
	.migrate_page = zs_page_migrate,
	.putback_page = zs_page_putback,
};

/* Take every class's empty zspages off their lists, onto @list. */
static void zs_take_empty_zspages(struct zs_pool *pool, struct list_head *list)
{
	int i;

	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		struct size_class *class = pool->size_class[i];

		if (class->index != i)
			continue;
		spin_lock(&class->lock);
		list_splice_init(&class->fullness_list[ZS_INUSE_RATIO_0], list);
		spin_unlock(&class->lock);
	}
}

/*
 * Deferred design: free the empty zspages whose pages free_zspage() could
 * not trylock. Here we may sleep on the page locks.
 */
static void async_free_zspage(struct work_struct *work)
{
	struct zs_pool *pool = container_of(work, struct zs_pool, free_work);
	struct zspage *zspage, *tmp;
	LIST_HEAD(empty);

	zs_take_empty_zspages(pool, &empty);

	list_for_each_entry_safe(zspage, tmp, &empty, list) {
		struct size_class *class = zspage_class(pool, zspage);

		list_del(&zspage->list);
		lock_zspage(zspage);

		spin_lock(&class->lock);
		class_stat_sub(class, ZS_INUSE_RATIO_0, 1);
		__free_zspage(pool, class, zspage);
		spin_unlock(&class->lock);
	}
}

static void kick_deferred_free(struct zs_pool *pool)
{
	schedule_work(&pool->free_work);
}

static void zs_flush_migration(struct zs_pool *pool)
{
	flush_work(&pool->free_work);
}

static void init_deferred_free(struct zs_pool *pool)
{
	INIT_WORK(&pool->free_work, async_free_zspage);
}

static void SetZsPageMovable(struct zs_pool *pool, struct zspage *zspage)
{
	struct zpdesc *zpdesc = get_first_zpdesc(zspage);

	do {
		WARN_ON(!zpdesc_trylock(zpdesc));
		__zpdesc_set_movable(zpdesc);
		zpdesc_unlock(zpdesc);
	} while ((zpdesc = get_next_zpdesc(zpdesc)) != NULL);
}

/*
 * Pages compaction could give back in @class: the unused object slots,
 * counted in whole zspages.
 */
static unsigned long zs_can_compact(struct size_class *class)
{
	unsigned long allocated = class_stat_read(class, ZS_OBJS_ALLOCATED);
	unsigned long used = class_stat_read(class, ZS_OBJS_INUSE);
	unsigned long spare_zspages;

	if (used >= allocated)
		return 0;
	spare_zspages = (allocated - used) / class->objs_per_zspage;
	return spare_zspages * class->pages_per_zspage;
}

/* Let waiters for the pool or class lock in, then take both again. */
static void zs_compact_relax(struct zs_pool *pool, struct size_class *class)
{
	spin_unlock(&class->lock);
	write_unlock(&pool->lock);
	cond_resched();
	write_lock(&pool->lock);
	spin_lock(&class->lock);
}

/*
 * Compact one class. The write side of pool->lock stops zs_free() and
 * object lookups from seeing a handle while its object moves; class->lock
 * stops allocation and free within the class.
 */
static unsigned long __zs_compact(struct zs_pool *pool,
				  struct size_class *class)
{
	struct zspage *dst = NULL, *src;
	unsigned long freed = 0;

	write_lock(&pool->lock);
	spin_lock(&class->lock);

	while (zs_can_compact(class)) {
		if (!dst)
			dst = isolate_dst_zspage(class);
		if (!dst)
			break;

		src = isolate_src_zspage(class);
		if (!src)
			break;
		/* A reader is using the source: leave the class for now. */
		if (!zspage_write_trylock(src)) {
			putback_zspage(class, src);
			break;
		}

		migrate_zspage(pool, src, dst);
		zspage_write_unlock(src);

		if (putback_zspage(class, src) == ZS_INUSE_RATIO_0) {
			free_zspage(pool, class, src);
			freed += class->pages_per_zspage;
		}

		/* Pick a new destination after a break, or once this one is full. */
		if (zspage_full(class, dst) || rwlock_is_contended(&pool->lock)) {
			putback_zspage(class, dst);
			dst = NULL;
			zs_compact_relax(pool, class);
		}
	}

	if (dst)
		putback_zspage(class, dst);

	spin_unlock(&class->lock);
	write_unlock(&pool->lock);

	return freed;
}

unsigned long zs_compact(struct zs_pool *pool)
{
	int i;
	struct size_class *class;
	unsigned long pages_freed = 0;

	/*
	 * __zs_compact() holds pool->lock for writing, so a second compactor
	 * would only wait for it and lengthen the stalls of everyone else.
	 */
	if (atomic_xchg(&pool->compaction_in_progress, 1))
		return 0;

	for (i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
		class = pool->size_class[i];
		if (class->index != i)
			continue;
		pages_freed += __zs_compact(pool, class);
	}
	atomic_long_add(pages_freed, &pool->stats.pages_compacted);
	atomic_set(&pool->compaction_in_progress, 0);

	return pages_freed;
}
EXPORT_SYMBOL_GPL(zs_compact);

void zs_pool_stats(struct zs_pool *pool, struct zs_pool_stats *stats)
{
	memcpy(stats, &pool->stats, sizeof(struct zs_pool_stats));
}
EXPORT_SYMBOL_GPL(zs_pool_stats);

static unsigned long zs_shrinker_scan(struct shrinker *shrinker,
		struct shrink_control *sc)
{
	unsigned long pages_freed;
	struct zs_pool *pool = shrinker->private_data;

	/* Returns 0 at once if a zs_compact() call is already running. */
	pages_freed = zs_compact(pool);
	if (!pages_freed)
		return SHRINK_STOP;
	return pages_freed;
}

static unsigned long zs_shrinker_count(struct shrinker *shrinker,
		struct shrink_control *sc)
{
	struct zs_pool *pool = shrinker->private_data;
	unsigned long total = 0;
	int i;

	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		struct size_class *class = pool->size_class[i];

		/* Count a merged class once, at its own index. */
		if (class->index == i)
			total += zs_can_compact(class);
	}

	return total;
}

static void zs_unregister_shrinker(struct zs_pool *pool)
{
	shrinker_free(pool->shrinker);
}

static int zs_register_shrinker(struct zs_pool *pool)
{
	struct shrinker *shrinker;

	shrinker = shrinker_alloc(0, "mm-zspool:%s", pool->name);
	if (!shrinker)
		return -ENOMEM;

	shrinker->count_objects = zs_shrinker_count;
	shrinker->scan_objects = zs_shrinker_scan;
	shrinker->private_data = pool;
	shrinker->batch = 0;
	pool->shrinker = shrinker;
	shrinker_register(shrinker);

	return 0;
}

static int calculate_zspage_chain_size(int class_size)
{
	int pages, best = 1, best_waste = INT_MAX;

	/* A power-of-two size tiles one page exactly. */
	if (is_power_of_2(class_size))
		return 1;

	/* Fewest bytes left over at the chain's end; ties go to the shorter chain. */
	for (pages = 1; pages <= ZS_MAX_PAGES_PER_ZSPAGE; pages++) {
		int waste = (pages * PAGE_SIZE) % class_size;

		if (waste >= best_waste)
			continue;
		best_waste = waste;
		best = pages;
	}

	return best;
}

/* The pools by name, for zsim_zsmalloc_dump() (not in the kernel). */
static LIST_HEAD(zs_pools);
static DEFINE_MUTEX(zs_pools_lock);

/* Default design of zs_create_pool(): module parameter free_design. */
static enum zs_free_design zs_default_design = ZS_FREE_DEFERRED;
static const char * const zs_design_names[] = {
	[ZS_FREE_DEFERRED]	= "deferred",
	[ZS_FREE_RCU]		= "rcu",
};

static int zs_design_param_set(const char *val, const struct kernel_param *kp)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(zs_design_names); i++) {
		if (sysfs_streq(val, zs_design_names[i])) {
			*(enum zs_free_design *)kp->arg = i;
			return 0;
		}
	}
	pr_err("free_design: \"%s\" is neither \"deferred\" nor \"rcu\"\n", val);
	return -EINVAL;
}

static int zs_design_param_get(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "%s\n",
		       zs_design_names[*(enum zs_free_design *)kp->arg]);
}

static const struct kernel_param_ops zs_design_param_ops = {
	.set = zs_design_param_set,
	.get = zs_design_param_get,
};
module_param_cb(free_design, &zs_design_param_ops, &zs_default_design, 0644);
MODULE_PARM_DESC(free_design,
		 "Free-vs-migration design of new pools: deferred (mainline) or rcu");

static int zs_pool_stat_create(struct zs_pool *pool, const char *name);
static void zs_pool_stat_destroy(struct zs_pool *pool);

static struct size_class *zs_alloc_class(unsigned int index, int size,
					  int pages_per_zspage, int objs_per_zspage)
{
	struct size_class *class;
	int fg;

	class = kzalloc(sizeof(*class), GFP_KERNEL);
	if (!class)
		return NULL;

	spin_lock_init(&class->lock);
	for (fg = 0; fg < NR_FULLNESS_GROUPS; fg++)
		INIT_LIST_HEAD(&class->fullness_list[fg]);
	class->index = index;
	class->size = size;
	class->pages_per_zspage = pages_per_zspage;
	class->objs_per_zspage = objs_per_zspage;
	return class;
}

/*
 * Build pool->size_class[] from the largest size down. A size whose zspage
 * shape (pages, objects) equals the next larger one's shares that class:
 * the objects would take the same room anyway, and fewer classes means
 * fewer half-empty zspages.
 */
static int zs_init_size_classes(struct zs_pool *pool)
{
	struct size_class *above = NULL;
	int idx;

	for (idx = ZS_SIZE_CLASSES - 1; idx >= 0; idx--) {
		int size = min_t(int, ZS_MIN_ALLOC_SIZE + idx * ZS_SIZE_CLASS_DELTA,
				 ZS_MAX_ALLOC_SIZE);
		int pages = calculate_zspage_chain_size(size);
		int objs = pages * PAGE_SIZE / size;

		/*
		 * Every class above the first one that packs several objects
		 * into a multi-page zspage holds one object per page: those
		 * are the huge classes. zs_malloc() adds the handle before
		 * choosing a class, so the caller's threshold is smaller by
		 * ZS_HANDLE_SIZE - 1.
		 */
		if (!huge_class_size && pages != 1 && objs != 1)
			huge_class_size = size - (ZS_HANDLE_SIZE - 1);

		if (above && can_merge(above, pages, objs)) {
			pool->size_class[idx] = above;
			continue;
		}

		above = zs_alloc_class(idx, size, pages, objs);
		if (!above)
			return -ENOMEM;
		pool->size_class[idx] = above;
	}

	return 0;
}

/**
 * zs_create_pool_design - create a pool that uses a given free design
 * @name: pool name, used for its caches, shrinker and debugfs directory
 * @design: how a freed zspage is kept safe from a concurrent migration
 *
 * Not in the kernel: zs_create_pool() calls it with the free_design
 * module parameter.
 *
 * Return: the new pool, or NULL on a bad @design or out of memory.
 */
struct zs_pool *zs_create_pool_design(const char *name, enum zs_free_design design)
{
	struct zs_pool *pool;

	if (design != ZS_FREE_DEFERRED && design != ZS_FREE_RCU) {
		pr_err("%s: unknown free design %d\n", name, design);
		return NULL;
	}

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;

	pool->design = design;
	rwlock_init(&pool->lock);
	lockdep_register_key(&pool->lock_class);
	atomic_set(&pool->compaction_in_progress, 0);
	init_deferred_free(pool);
	INIT_LIST_HEAD(&pool->pools);

	pool->name = kstrdup(name, GFP_KERNEL);
	if (!pool->name || create_cache(pool) || zs_init_size_classes(pool)) {
		/* zs_destroy_pool() copes with a half-built pool. */
		zs_destroy_pool(pool);
		return NULL;
	}

	/*
	 * Neither failure is fatal: the stats are for debugging, and without
	 * the shrinker the pool works and can still be compacted by hand.
	 */
	zs_pool_stat_create(pool, name);
	zs_register_shrinker(pool);

	mutex_lock(&zs_pools_lock);
	list_add_tail(&pool->pools, &zs_pools);
	mutex_unlock(&zs_pools_lock);

	return pool;
}
EXPORT_SYMBOL_GPL(zs_create_pool_design);

/**
 * zs_create_pool - create a pool with the default free design
 * @name: pool name
 *
 * Return: the new pool, or NULL when out of memory.
 */
struct zs_pool *zs_create_pool(const char *name)
{
	return zs_create_pool_design(name, READ_ONCE(zs_default_design));
}
EXPORT_SYMBOL_GPL(zs_create_pool);

void zs_destroy_pool(struct zs_pool *pool)
{
	int i;

	mutex_lock(&zs_pools_lock);
	list_del_init(&pool->pools);
	mutex_unlock(&zs_pools_lock);

	zs_unregister_shrinker(pool);
	zs_flush_migration(pool);
	zs_pool_stat_destroy(pool);

	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		int fg;
		struct size_class *class = pool->size_class[i];

		if (!class)
			continue;

		if (class->index != i)
			continue;

		for (fg = ZS_INUSE_RATIO_0; fg < NR_FULLNESS_GROUPS; fg++) {
			if (list_empty(&class->fullness_list[fg]))
				continue;

			pr_err("Class-%d fullness group %d is not empty\n",
			       class->size, fg);
		}
		kfree(class);
	}

	/* Rcu design: zspages still waiting for a grace period. */
	if (pool->design == ZS_FREE_RCU)
		rcu_barrier();

	destroy_cache(pool);
	lockdep_unregister_key(&pool->lock_class);
	kfree(pool->name);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(zs_destroy_pool);

/*
 * Statistics: debugfs zsmalloc/<pool>/classes as the kernel's
 * CONFIG_ZSMALLOC_STAT, and the same table as text or JSON for
 * zsim_zsmalloc_dump().
 */
struct zs_stat_out {
	struct seq_file *s;
	FILE *f;
};

static __printf(2, 3) void zs_stat_printf(struct zs_stat_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (o->s)
		seq_vprintf(o->s, fmt, ap);
	else
		vfprintf(o->f, fmt, ap);
	va_end(ap);
}

static const char * const zs_fg_names[NR_FULLNESS_GROUPS] = {
	"0%", "10%", "20%", "30%", "40%", "50%", "60%", "70%", "80%", "90%",
	"99%", "100%",
};

struct zs_class_row {
	unsigned long fg[NR_FULLNESS_GROUPS];
	unsigned long obj_allocated, obj_used, pages_used, freeable;
};

static void zs_class_row_read(struct size_class *class, struct zs_class_row *row)
{
	int fg;

	spin_lock(&class->lock);
	for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
		row->fg[fg] = class_stat_read(class, fg);
	row->obj_allocated = class_stat_read(class, ZS_OBJS_ALLOCATED);
	row->obj_used = class_stat_read(class, ZS_OBJS_INUSE);
	row->freeable = zs_can_compact(class);
	spin_unlock(&class->lock);

	row->pages_used = row->obj_allocated / class->objs_per_zspage *
			  class->pages_per_zspage;
}

static void zs_class_row_add(struct zs_class_row *total, const struct zs_class_row *row)
{
	int fg;

	for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
		total->fg[fg] += row->fg[fg];
	total->obj_allocated += row->obj_allocated;
	total->obj_used += row->obj_used;
	total->pages_used += row->pages_used;
	total->freeable += row->freeable;
}

static void zs_stats_text(struct zs_pool *pool, struct zs_stat_out *o)
{
	struct zs_class_row row, total = { };
	int i, fg;

	zs_stat_printf(o, " %5s %5s ", "class", "size");
	for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
		zs_stat_printf(o, "%9s ", zs_fg_names[fg]);
	zs_stat_printf(o, "%13s %10s %10s %16s %8s\n", "obj_allocated", "obj_used",
		       "pages_used", "pages_per_zspage", "freeable");

	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		struct size_class *class = pool->size_class[i];

		if (class->index != i)
			continue;

		zs_class_row_read(class, &row);
		zs_class_row_add(&total, &row);
		zs_stat_printf(o, " %5u %5u ", i, class->size);
		for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
			zs_stat_printf(o, "%9lu ", row.fg[fg]);
		zs_stat_printf(o, "%13lu %10lu %10lu %16d %8lu\n", row.obj_allocated,
			       row.obj_used, row.pages_used, class->pages_per_zspage,
			       row.freeable);
	}

	zs_stat_printf(o, "\n %5s %5s ", "Total", "");
	for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
		zs_stat_printf(o, "%9lu ", total.fg[fg]);
	zs_stat_printf(o, "%13lu %10lu %10lu %16s %8lu\n", total.obj_allocated,
		       total.obj_used, total.pages_used, "", total.freeable);
}

static void zs_stats_json_row(struct zs_stat_out *o, const struct zs_class_row *row)
{
	int fg;

	for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
		zs_stat_printf(o, "\"%s\":%lu,", zs_fg_names[fg], row->fg[fg]);
	zs_stat_printf(o, "\"obj_allocated\":%lu,\"obj_used\":%lu,\"pages_used\":%lu,",
		       row->obj_allocated, row->obj_used, row->pages_used);
}

static void zs_stats_json(struct zs_pool *pool, struct zs_stat_out *o)
{
	struct zs_class_row row, total = { };
	struct zs_pool_stats stats;
	bool first = true;
	int i;

	zs_pool_stats(pool, &stats);
	zs_stat_printf(o, "{\"pool\":\"%s\",\"design\":\"%s\",\"pages\":%lu,"
		       "\"pages_compacted\":%ld,\"zspages_rcu_pending\":%ld,\"classes\":[",
		       pool->name, zs_design_names[pool->design], zs_get_total_pages(pool),
		       atomic_long_read(&stats.pages_compacted),
		       atomic_long_read(&pool->zspages_rcu_pending));
	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		struct size_class *class = pool->size_class[i];

		if (class->index != i)
			continue;

		zs_class_row_read(class, &row);
		zs_class_row_add(&total, &row);
		zs_stat_printf(o, "%s{\"class\":%d,\"size\":%d,", first ? "" : ",", i,
			       class->size);
		zs_stats_json_row(o, &row);
		zs_stat_printf(o, "\"pages_per_zspage\":%d,\"freeable\":%lu}",
			       class->pages_per_zspage, row.freeable);
		first = false;
	}
	zs_stat_printf(o, "],\"total\":{");
	zs_stats_json_row(o, &total);
	zs_stat_printf(o, "\"freeable\":%lu}}\n", total.freeable);
}

static int zs_stats_size_show(struct seq_file *s, void *v)
{
	struct zs_stat_out o = { .s = s };

	zs_stats_text(s->private, &o);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(zs_stats_size);

static int zs_pool_stat_create(struct zs_pool *pool, const char *name)
{
	if (!zs_stat_root) {
		pr_warn("no root stat dir, not creating <%s> stat dir\n", name);
		return -ENODEV;
	}

	pool->stat_dentry = debugfs_create_dir(name, zs_stat_root);
	if (IS_ERR(pool->stat_dentry)) {
		pool->stat_dentry = NULL;
		return -ENOMEM;
	}

	debugfs_create_file("classes", 0444, pool->stat_dentry, pool,
			    &zs_stats_size_fops);
	return 0;
}

static void zs_pool_stat_destroy(struct zs_pool *pool)
{
	debugfs_remove_recursive(pool->stat_dentry);
}

struct zs_dump_req {
	const char *name;
	FILE *out;
	bool json;
};

static int zs_dump_fn(void *arg)
{
	struct zs_dump_req *req = arg;
	struct zs_stat_out o = { .f = req->out };
	struct zs_pool *pool;
	int ret = -ENOENT;

	mutex_lock(&zs_pools_lock);
	list_for_each_entry(pool, &zs_pools, pools) {
		if (strcmp(pool->name, req->name))
			continue;
		if (req->json)
			zs_stats_json(pool, &o);
		else
			zs_stats_text(pool, &o);
		ret = 0;
		break;
	}
	mutex_unlock(&zs_pools_lock);
	return ret;
}

int zsim_zsmalloc_dump(const char *pool, FILE *out, bool json)
{
	struct zs_dump_req req = { .name = pool, .out = out, .json = json };

	if (!pool)
		return -ENOENT;
	if (current)
		return zs_dump_fn(&req);
	if (!zsim_machine_running())
		return -ENODEV;
	return zsim_run(cpumask_first(cpu_online_mask), zs_dump_fn, &req);
}

static int __init zs_init(void)
{
	int rc;

	rc = set_movable_ops(&zsmalloc_mops, PGTY_zsmalloc);
	if (rc)
		return rc;

	zs_stat_root = debugfs_create_dir("zsmalloc", NULL);
	if (IS_ERR(zs_stat_root))
		zs_stat_root = NULL;
	return 0;
}

static void __exit zs_exit(void)
{
	set_movable_ops(NULL, PGTY_zsmalloc);
	debugfs_remove_recursive(zs_stat_root);
	zs_stat_root = NULL;
	/* Pools never destroyed were reported as leaks; forget them. */
	INIT_LIST_HEAD(&zs_pools);
	/* A new machine may be booted with another default. */
	zs_default_design = ZS_FREE_DEFERRED;
}

module_init(zs_init);
module_exit(zs_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zsmalloc allocator model for the zswapsim simulator");
