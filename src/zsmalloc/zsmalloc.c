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
 * A class files its zspages by how full they are: one list for empty, one
 * for full, and one per tenth of occupancy in between, so that allocation
 * can take the fullest zspage with room and compaction the emptiest
 * without scanning. The names say the upper bound of each group's range.
 */
enum fullness_group {
	ZS_INUSE_RATIO_0 = 0,	/* empty: about to be freed */
	ZS_INUSE_RATIO_10 = 1,	/* (0%, 10%); 20% .. 90% follow as 2 .. 9 */
	ZS_INUSE_RATIO_99 = 10,	/* [90%, 100%) */
	ZS_INUSE_RATIO_100 = 11, /* no free object */
	NR_FULLNESS_GROUPS = 12,
};

/*
 * A class's counters: first the number of zspages in each fullness group
 * (indexed by the group), then two object counts.
 */
enum class_stat_type {
	ZS_OBJS_ALLOCATED = NR_FULLNESS_GROUPS,	/* slots in the class's zspages */
	ZS_OBJS_INUSE,				/* slots holding an object */
	NR_CLASS_STAT_TYPES,
};

struct zs_size_stat {
	unsigned long objs[NR_CLASS_STAT_TYPES];
};

static struct dentry *zs_stat_root;

/* The size of the first huge class (the same for every pool). */
static size_t huge_class_size;

/*
 * One size class of a pool. The geometry is fixed at pool creation;
 * everything below ->lock changes under it.
 */
struct size_class {
	unsigned int index;	/* its slot in pool->size_class[] */
	int size;		/* bytes per object, a multiple of ZS_ALIGN */
	int pages_per_zspage;	/* pages chained into each zspage */
	int objs_per_zspage;	/* objects that fit in those pages */

	spinlock_t lock;
	struct zs_size_stat stats;
	struct list_head fullness_list[NR_FULLNESS_GROUPS];
};

/*
 * The first word of every object of a normal zspage (a huge zspage keeps
 * it in zpdesc->handle instead, see obj_malloc()).
 */
struct link_free {
	union {
		/* A free object: freelink_encode() of the next free index. */
		unsigned long next;
		/* An allocated one: handle_tagged() of its handle. */
		unsigned long handle;
	};
};

struct zs_pool {
	const char *name;

	struct size_class *size_class[ZS_SIZE_CLASSES];

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

/* See zspage_read_lock() for how the three fields work together. */
struct zspage_lock {
	int cnt;		/* readers, or ZS_PAGE_WRLOCKED */
	spinlock_t lock;	/* guards cnt; a writer keeps it until unlock */
	struct lockdep_map dep_map;
};

struct zspage {
	struct zs_pool *pool;
	struct zpdesc *first_zpdesc;	/* head of the page chain */
	struct list_head list;		/* on class->fullness_list[fullness] */
	unsigned int inuse;		/* allocated objects */
	unsigned int freeobj;		/* index of the first free object */
	struct {
		unsigned int magic:MAGIC_VAL_BITS;	/* ZSPAGE_MAGIC */
		unsigned int class:CLASS_BITS + 1;	/* size_class->index */
		unsigned int fullness:FULLNESS_BITS;	/* its fullness_group */
		unsigned int huge:HUGE_BITS;		/* see SetZsHugePage() */
	};
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
 * zspage lock. zsl->cnt is the number of readers, or ZS_PAGE_WRLOCKED.
 * Readers (objects mapped by zs_obj_read_begin() and friends) may sleep
 * while they are counted, so a writer (migration, compaction), which runs
 * atomic, must never wait for them: it only trylocks. It then keeps
 * zsl->lock itself until it unlocks, so a reader arriving meanwhile spins
 * on a holder that cannot sleep.
 */
static void zsl_count_reader(struct zspage_lock *zsl, int delta)
{
	spin_lock(&zsl->lock);
	VM_WARN_ON_ONCE(zsl->cnt + delta < 0);
	zsl->cnt += delta;
	spin_unlock(&zsl->lock);
}

static void zspage_read_lock(struct zspage *zspage)
{
	rwsem_acquire_read(&zspage->zsl.dep_map, 0, 0, _RET_IP_);
	zsl_count_reader(&zspage->zsl, 1);
}

static void zspage_read_unlock(struct zspage *zspage)
{
	zsl_count_reader(&zspage->zsl, -1);
	rwsem_release(&zspage->zsl.dep_map, _RET_IP_);
}

/* On success the caller owns zsl->lock until zspage_write_unlock(). */
static __must_check bool zspage_write_trylock(struct zspage *zspage)
{
	struct zspage_lock *zsl = &zspage->zsl;
	bool idle;

	spin_lock(&zsl->lock);
	idle = zsl->cnt == ZS_PAGE_UNLOCKED;
	if (unlikely(!idle)) {
		spin_unlock(&zsl->lock);
		return false;
	}
	zsl->cnt = ZS_PAGE_WRLOCKED;
	rwsem_acquire(&zsl->dep_map, 0, 1, _RET_IP_);
	return true;
}

static void zspage_write_unlock(struct zspage *zspage)
{
	struct zspage_lock *zsl = &zspage->zsl;

	VM_WARN_ON_ONCE(zsl->cnt != ZS_PAGE_WRLOCKED);
	zsl->cnt = ZS_PAGE_UNLOCKED;
	rwsem_release(&zsl->dep_map, _RET_IP_);
	spin_unlock(&zsl->lock);
}

/*
 * A huge zspage is one page holding one object that fills it, so the
 * object has no room for its handle: the handle goes in zpdesc->handle.
 */
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

/*
 * Handles and struct zspages of all pools come from two caches that
 * zs_init() creates and zs_exit() destroys, as upstream since the caches
 * stopped being per pool. Each allocation passes its zsmalloc fault site
 * first, then the cache's own kmem_cache:<name> site.
 */
static struct kmem_cache *handle_cachep;
static struct kmem_cache *zspage_cachep;

/* Metadata is neither in highmem nor movable, whatever the pages are. */
static inline gfp_t zs_meta_gfp(gfp_t gfp)
{
	return gfp & ~(__GFP_HIGHMEM | __GFP_MOVABLE);
}

static unsigned long cache_alloc_handle(gfp_t gfp)
{
	void *handle = NULL;

	if (!should_fail_site(&zs_handle_fault))
		handle = kmem_cache_alloc(handle_cachep, zs_meta_gfp(gfp));
	return (unsigned long)handle;
}

static void cache_free_handle(unsigned long handle)
{
	kmem_cache_free(handle_cachep, (void *)handle);
}

static struct zspage *cache_alloc_zspage(gfp_t gfp)
{
	struct zspage *zspage = NULL;

	if (!should_fail_site(&zs_zspage_fault))
		zspage = kmem_cache_zalloc(zspage_cachep, zs_meta_gfp(gfp));
	return zspage;
}

static void cache_free_zspage(struct zspage *zspage)
{
	kmem_cache_free(zspage_cachep, zspage);
}

/* kmem_cache_destroy() reports (and keeps) a cache with live objects. */
static void zs_destroy_caches(void)
{
	kmem_cache_destroy(zspage_cachep);
	zspage_cachep = NULL;
	kmem_cache_destroy(handle_cachep);
	handle_cachep = NULL;
}

static int zs_create_caches(void)
{
	handle_cachep = kmem_cache_create("zs_handle", ZS_HANDLE_SIZE, 0, 0, NULL);
	zspage_cachep = kmem_cache_create("zspage", sizeof(struct zspage), 0, 0, NULL);
	if (likely(handle_cachep && zspage_cachep))
		return 0;
	zs_destroy_caches();
	return -ENOMEM;
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

static bool zspage_full(struct size_class *class, struct zspage *zspage)
{
	return get_zspage_inuse(zspage) == class->objs_per_zspage;
}

static bool zspage_empty(struct zspage *zspage)
{
	return get_zspage_inuse(zspage) == 0;
}

static struct zpdesc *get_first_zpdesc(struct zspage *zspage)
{
	struct zpdesc *first_zpdesc = zspage->first_zpdesc;

	/* The kernel oopses on the NULL; the shim makes it a BUG report. */
	VM_BUG_ON(!first_zpdesc);
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
	/* The mask leaves 24 bits for the offset: pages up to 16 MiB. */
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

/*
 * pool->size_class[@i] if it is the class's own slot, NULL for a merged
 * size (whose class has a higher index) or a slot not built yet: walking
 * the indexes with it visits every class once.
 */
static struct size_class *zs_own_class(struct zs_pool *pool, int i)
{
	struct size_class *class = pool->size_class[i];

	return class && class->index == i ? class : NULL;
}

/*
 * The slot of the smallest class whose objects hold @size bytes: sizes up
 * to ZS_MIN_ALLOC_SIZE share slot 0, then one slot per ZS_SIZE_CLASS_DELTA
 * (rounding up), capped at the last slot.
 */
static int get_size_class_index(int size)
{
	int over = size - ZS_MIN_ALLOC_SIZE;
	int idx = over > 0 ? DIV_ROUND_UP(over, ZS_SIZE_CLASS_DELTA) : 0;

	return idx < ZS_SIZE_CLASSES ? idx : ZS_SIZE_CLASSES - 1;
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

/*
 * The fullness group @zspage belongs in: 0 when empty, 11 (100%) when
 * full, else 1 + the tenths of its objects in use (1..10), so that a
 * zspage with a single object is never counted as empty.
 */
static int get_fullness_group(struct size_class *class, struct zspage *zspage)
{
	unsigned int used = get_zspage_inuse(zspage);
	unsigned int max = class->objs_per_zspage;

	if (!used)
		return ZS_INUSE_RATIO_0;
	if (used >= max)
		return ZS_INUSE_RATIO_100;
	return ZS_INUSE_RATIO_10 + used * 10 / max;
}

/* Each fullness list's length is also its stats counter (the histogram). */
static void insert_zspage(struct size_class *class, struct zspage *zspage,
			  int fullness)
{
	zspage->fullness = fullness;
	class_stat_add(class, fullness, 1);
	list_add(&zspage->list, &class->fullness_list[fullness]);
}

/* Off its list (isolated); ->fullness still names the group it left. */
static void remove_zspage(struct size_class *class, struct zspage *zspage)
{
	VM_BUG_ON(list_empty(&zspage->list));
	class_stat_sub(class, zspage->fullness, 1);
	list_del_init(&zspage->list);
}

/*
 * Regroup @zspage after obj_malloc() or obj_free() changed its use count:
 * to the head of the new group's list, where allocation and compaction
 * look first. Returns the group.
 */
static int fix_fullness_group(struct size_class *class, struct zspage *zspage)
{
	int old = zspage->fullness;
	int fg = get_fullness_group(class, zspage);

	if (fg != old) {
		class_stat_sub(class, old, 1);
		class_stat_add(class, fg, 1);
		zspage->fullness = fg;
		list_move(&zspage->list, &class->fullness_list[fg]);
	}
	return fg;
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

/*
 * Locations (see OBJ_INDEX_BITS): the two fields of an obj value, and the
 * conversions between it and (page, index) that every path uses.
 */
static inline unsigned long obj_pfn(unsigned long obj)
{
	return obj >> OBJ_INDEX_BITS;
}

static inline unsigned int obj_index(unsigned long obj)
{
	return obj & OBJ_INDEX_MASK;
}

static void obj_to_zpdesc(unsigned long obj, struct zpdesc **zpdesc)
{
	*zpdesc = pfn_zpdesc(obj_pfn(obj));
}

static void obj_to_location(unsigned long obj, struct zpdesc **zpdesc,
				unsigned int *obj_idx)
{
	obj_to_zpdesc(obj, zpdesc);
	*obj_idx = obj_index(obj);
}

static unsigned long location_to_obj(struct zpdesc *zpdesc, unsigned int obj_idx)
{
	return zpdesc_pfn(zpdesc) << OBJ_INDEX_BITS | (obj_idx & OBJ_INDEX_MASK);
}

/* Unlocked readers pair with record_obj()'s WRITE_ONCE(). */
static unsigned long handle_to_obj(unsigned long handle)
{
	return READ_ONCE(*(unsigned long *)handle);
}

/*
 * Tags of an object's first word. A handle is a slab pointer aligned to
 * at least 8, so its bit 0 is free for OBJ_ALLOCATED_TAG; a free object's
 * link is stored shifted up by OBJ_TAG_BITS, which leaves the bit clear.
 */
static inline unsigned long handle_tagged(unsigned long handle)
{
	return handle | OBJ_ALLOCATED_TAG;
}

static inline unsigned long freelink_encode(unsigned int next_idx)
{
	return (unsigned long)next_idx << OBJ_TAG_BITS;
}

static inline unsigned int freelink_decode(unsigned long link)
{
	return link >> OBJ_TAG_BITS;
}

/*
 * Whether the object at @obj on @zpdesc is allocated, and its handle. A
 * huge zspage's only object fills the page, so its tagged handle lives in
 * the (first and only) page descriptor instead of the object.
 */
static inline bool obj_allocated(struct zpdesc *zpdesc, void *obj,
				 unsigned long *phandle)
{
	unsigned long word;

	if (likely(!ZsHugePage(get_zspage(zpdesc)))) {
		word = *(unsigned long *)obj;
	} else {
		VM_BUG_ON_PAGE(!is_first_zpdesc(zpdesc), zpdesc_page(zpdesc));
		word = zpdesc->handle;
	}
	if (!(word & OBJ_ALLOCATED_TAG))
		return false;
	*phandle = word & ~OBJ_TAG_MASK;
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

/* Unlock the pages of @zspage's chain in front of @stop (NULL: all). */
static void unlock_zspage_until(struct zspage *zspage, struct zpdesc *stop)
{
	struct zpdesc *zpdesc = get_first_zpdesc(zspage);

	while (zpdesc != stop) {
		struct zpdesc *next = zspage_next_zpdesc(zspage, zpdesc);

		zpdesc_unlock(zpdesc);
		zpdesc = next;
	}
}

/*
 * Lock all pages of @zspage without sleeping, or none: a page that is
 * locked already belongs to a migration in progress, and the caller then
 * leaves the zspage to the deferred free.
 */
static bool trylock_zspage(struct zspage *zspage)
{
	struct zpdesc *zpdesc;

	for (zpdesc = get_first_zpdesc(zspage); zpdesc;
	     zpdesc = zspage_next_zpdesc(zspage, zpdesc)) {
		if (unlikely(!zpdesc_trylock(zpdesc))) {
			unlock_zspage_until(zspage, zpdesc);
			return false;
		}
	}
	return true;
}

static void zs_free_zspage_rcu(struct rcu_head *head)
{
	struct zspage *zspage = container_of(head, struct zspage, rcu);
	struct zs_pool *pool = zspage->pool;

	cache_free_zspage(zspage);
	atomic_long_dec(&pool->zspages_rcu_pending);
}

/*
 * Detach every page from @zspage and drop the zspage's reference to it.
 * @locked: the caller holds all the page locks (deferred design), which
 * are released here, after the page no longer points at the zspage.
 */
static void zspage_put_pages(struct zspage *zspage, bool locked)
{
	struct zpdesc *zpdesc = get_first_zpdesc(zspage);

	while (zpdesc) {
		/* reset_zpdesc() clears ->next: step before it. */
		struct zpdesc *next = zspage_next_zpdesc(zspage, zpdesc);

		VM_BUG_ON_PAGE(locked && !zpdesc_is_locked(zpdesc), zpdesc_page(zpdesc));
		reset_zpdesc(zpdesc);
		if (locked)
			zpdesc_unlock(zpdesc);
		zpdesc_dec_zone_page_state(zpdesc);
		/* A page isolated for migration keeps the core's reference. */
		zpdesc_put(zpdesc);
		zpdesc = next;
	}
}

/* The struct itself: now, or after the readers of zs_page_migrate() (rcu). */
static void zspage_free_struct(struct zs_pool *pool, struct zspage *zspage)
{
	if (pool->design != ZS_FREE_RCU) {
		cache_free_zspage(zspage);
		return;
	}
	atomic_long_inc(&pool->zspages_rcu_pending);
	call_rcu(&zspage->rcu, zs_free_zspage_rcu);
}

/* Free an empty zspage that is off its list; class->lock held. */
static void __free_zspage(struct zs_pool *pool, struct size_class *class,
			  struct zspage *zspage)
{
	assert_spin_locked(&class->lock);
	VM_BUG_ON(!zspage_empty(zspage));
	VM_BUG_ON(zspage->fullness != ZS_INUSE_RATIO_0);

	class_stat_sub(class, ZS_OBJS_ALLOCATED, class->objs_per_zspage);
	atomic_long_sub(class->pages_per_zspage, &pool->pages_allocated);
	zspage_put_pages(zspage, pool->design == ZS_FREE_DEFERRED);
	zspage_free_struct(pool, zspage);
}

/*
 * Whether an empty zspage can be freed from atomic context. The deferred
 * design needs all its page locks and may only trylock them here (zs_free()
 * cannot sleep); the rcu design needs none.
 */
static bool zspage_free_now(struct zs_pool *pool, struct zspage *zspage)
{
	return pool->design != ZS_FREE_DEFERRED || trylock_zspage(zspage);
}

/* Free the empty @zspage, which is on its 0% list; class->lock held. */
static void free_zspage(struct zs_pool *pool, struct size_class *class,
			struct zspage *zspage)
{
	VM_BUG_ON(!zspage_empty(zspage));
	VM_BUG_ON(list_empty(&zspage->list));

	if (unlikely(!zspage_free_now(pool, zspage))) {
		/* It stays on the 0% list, where async_free_zspage() looks. */
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
				slot->next = freelink_encode(-1U);
			else
				slot->next = freelink_encode(++idx);
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

	zspage = cache_alloc_zspage(gfp);
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

#ifdef ZSIM_RACE_2_INIT_ORDER
	/*
	 * Known race 2, second part (docs/fuzzing.md), re-introduced: the first
	 * version of the rcu proposal ("mm/zsmalloc: simplify synchronization
	 * between zs_page_migrate() and free_zspage()", Feb 2024) published
	 * the zspage in each page and initialised it before
	 * create_page_chain() had set ->first_zpdesc, so init_zspage() found
	 * no first page and crashed on first use. Fixed in the design as
	 * merged here: chain, then init, then zspage_publish().
	 */
	for (nr = 0; nr < class->pages_per_zspage; nr++)
		rcu_assign_pointer(pages[nr]->zspage, zspage);
	init_zspage(class, zspage);
	create_page_chain(class, zspage, pages);
#else
	create_page_chain(class, zspage, pages);
	init_zspage(class, zspage);
	zspage_publish(zspage);
#endif
	return zspage;

undo_pages:
	/* Give back the pages taken so far, newest first. */
	while (nr--) {
		zpdesc_dec_zone_page_state(pages[nr]);
		free_zpdesc(pages[nr]);
	}
	cache_free_zspage(zspage);
	return NULL;
}

/*
 * The zspage zs_malloc() fills next: the first of the fullest non-full
 * group, so that objects pack into few zspages and the sparse ones can
 * empty. An empty zspage (0%) is the last resort before a new one.
 */
static struct zspage *find_get_zspage(struct size_class *class)
{
	int fg = ZS_INUSE_RATIO_99;
	struct list_head *head;

	do {
		head = &class->fullness_list[fg];
		if (!list_empty(head))
			return list_first_entry(head, struct zspage, list);
	} while (fg-- > ZS_INUSE_RATIO_0);

	return NULL;
}

/* Whether a size needing this zspage shape can live in class @above. */
static bool can_merge(struct size_class *above, int pages_per_zspage,
		      int objs_per_zspage)
{
	return above->objs_per_zspage == objs_per_zspage &&
	       above->pages_per_zspage == pages_per_zspage;
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
	/* Where the payload starts: past the handle header, if there is one. */
	unsigned long off = zs_obj_start(pool, zspage, obj_idx) + zs_obj_header(zspage);
	size_t head;

	if (off + mem_len <= PAGE_SIZE)
		return kmap_local_zpdesc(zpdesc) + off;

	/*
	 * The payload crosses into the next page: give the caller one linear
	 * copy of exactly @mem_len bytes, the size of its buffer.
	 */
	head = PAGE_SIZE - off;
	memcpy_from_page(local_copy, zpdesc_page(zpdesc), off, head);
	memcpy_from_page(local_copy + head, zpdesc_page(get_next_zpdesc(zpdesc)),
			 0, mem_len - head);
	return local_copy;
}
EXPORT_SYMBOL_GPL(zs_obj_read_begin);

void zs_obj_read_end(struct zs_pool *pool, unsigned long handle,
		     size_t mem_len, void *handle_mem)
{
	struct zpdesc *zpdesc;
	unsigned int obj_idx;
	/* The read lock keeps the location stable: no pool->lock needed. */
	struct zspage *zspage = zs_obj_held(handle, &zpdesc, &obj_idx);
	unsigned long off = zs_obj_start(pool, zspage, obj_idx) + zs_obj_header(zspage);

	/* Only the single-page case mapped the page; a copy needs no undo. */
	if (off + mem_len <= PAGE_SIZE)
		kunmap_local(handle_mem - off);

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

static unsigned long obj_malloc(struct zs_pool *pool, struct zspage *zspage,
			       unsigned long handle)
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
	set_freeobj(zspage, freelink_decode(slot->next));
	/* A huge object fills its page, so its handle lives in the zpdesc. */
	if (unlikely(ZsHugePage(zspage)))
		zspage->first_zpdesc->handle = handle_tagged(handle);
	else
		slot->handle = handle_tagged(handle);
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

	handle = cache_alloc_handle(gfp);
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
			cache_free_handle(handle);
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
		slot->next = freelink_encode(get_freeobj(zspage));
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

	cache_free_handle(handle);
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
 * The next allocated object of a zspage at or after object *@obj_idx of
 * page *@zpdesc, following the chain: its handle, with the cursor on it;
 * 0 at the end of the chain.
 */
static unsigned long zspage_next_alloced(struct size_class *class,
					 struct zpdesc **zpdesc, int *obj_idx)
{
	while (*zpdesc) {
		unsigned long handle = find_alloced_obj(class, *zpdesc, obj_idx);

		if (handle)
			return handle;
		*zpdesc = get_next_zpdesc(*zpdesc);
		*obj_idx = 0;
	}
	return 0;
}

/*
 * Move objects, lowest address first, from @src_zspage into @dst_zspage
 * while the destination has room and the source has any. obj_malloc()
 * points each handle at the object's new place.
 */
static void migrate_zspage(struct zs_pool *pool, struct zspage *src_zspage,
			   struct zspage *dst_zspage)
{
	struct size_class *class = zspage_class(pool, src_zspage);
	struct zpdesc *cursor = get_first_zpdesc(src_zspage);
	unsigned long handle;
	int idx = 0;

	while (!zspage_full(class, dst_zspage) && !zspage_empty(src_zspage)) {
		unsigned long old_obj, new_obj;

		handle = zspage_next_alloced(class, &cursor, &idx);
		if (WARN_ON_ONCE(!handle))
			break;	/* ->inuse counts more objects than are tagged */
		old_obj = handle_to_obj(handle);
		new_obj = obj_malloc(pool, dst_zspage, handle);
		zs_object_copy(class, new_obj, old_obj);
		obj_free(class->size, old_obj);
		idx++;
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
 * Deferred design: lock every page of an empty zspage so that no migration
 * is using it when it is freed. A page we have not locked yet may be
 * swapped out of the chain by migration, so each step reads the chain
 * under the zspage read lock (which migration cannot get past), and the
 * sleep happens outside it. A page once locked stays in the chain.
 */
#ifdef ZSIM_RACE_2
/*
 * Known race 2 (docs/fuzzing.md), re-introduced: lock_zspage() as it was
 * before 2505a981114d ("zsmalloc: fix races between asynchronous zspage
 * free and page migration", May 2022). It walks the chain with nothing to
 * keep migration off the pages it has not locked yet: it can sleep on a
 * page that migration then replaces, wake up owning a page that left the
 * zspage (whose ->zspage is gone: get_next_zpdesc() BUGs), read a ->next
 * that create_page_chain() is rewriting, or stop early and leave the
 * replacement page unlocked (__free_zspage() BUGs). The fix, below, reads
 * the chain under the zspage read lock, which migration cannot take.
 */
static void lock_zspage(struct zspage *zspage)
{
	struct zpdesc *zpdesc = get_first_zpdesc(zspage);

	do {
		lock_page(zpdesc_page(zpdesc));
	} while ((zpdesc = get_next_zpdesc(zpdesc)) != NULL);
}
#else
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
#endif /* ZSIM_RACE_2 */

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
	/*
	 * The zspage stays valid after this: the held class->lock (then the
	 * zspage lock's spinlock) keeps us in atomic context, which is an
	 * RCU reader too (the flavours are one since 4.20; the shim's
	 * spin_lock() counts as a reader the same way), so a call_rcu() of
	 * the zspage issued before we got class->lock cannot complete until
	 * zspage_write_unlock(). One issued later cannot happen while we hold
	 * class->lock, and its list_empty() check sees the earlier ones.
	 */
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
		struct size_class *class = zs_own_class(pool, i);

		if (!class)
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

/*
 * Offer the pages of a new, complete zspage to migration (PG_movable_ops).
 * The flag is changed under the page lock, as for any movable page. Until
 * now the zspage was reachable by no one but us, so no page can be locked
 * by anybody else: a failed trylock is a bug.
 */
static void SetZsPageMovable(struct zs_pool *pool, struct zspage *zspage)
{
	struct zpdesc *zpdesc;

	for (zpdesc = get_first_zpdesc(zspage); zpdesc;
	     zpdesc = zspage_next_zpdesc(zspage, zpdesc)) {
		bool locked = zpdesc_trylock(zpdesc);

		WARN_ON(!locked);
		__zpdesc_set_movable(zpdesc);
		if (locked)
			zpdesc_unlock(zpdesc);
	}
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

/* State of one class's compaction: the zspage being filled and the gain. */
struct zs_compact_control {
	struct zs_pool *pool;
	struct size_class *class;
	struct zspage *dst;
	unsigned long pages_freed;
};

/*
 * Empty the sparsest zspage of the class into cc->dst as far as it fits
 * (choosing cc->dst first if there is none), and free it if it emptied.
 * Returns false when the class cannot be compacted further now: no
 * destination, no source, or a source a reader is using.
 */
static bool zs_compact_one(struct zs_compact_control *cc)
{
	struct size_class *class = cc->class;
	struct zspage *src;

	if (!cc->dst)
		cc->dst = isolate_dst_zspage(class);
	if (!cc->dst)
		return false;
	src = isolate_src_zspage(class);
	if (!src)
		return false;

	/* A mapped object must not move: give up on this class for now. */
	if (!zspage_write_trylock(src)) {
		putback_zspage(class, src);
		return false;
	}
	migrate_zspage(cc->pool, src, cc->dst);
	zspage_write_unlock(src);

	if (putback_zspage(class, src) == ZS_INUSE_RATIO_0) {
		free_zspage(cc->pool, class, src);
		cc->pages_freed += class->pages_per_zspage;
	}
	return true;
}

static void zs_compact_put_dst(struct zs_compact_control *cc)
{
	if (cc->dst)
		putback_zspage(cc->class, cc->dst);
	cc->dst = NULL;
}

/*
 * Compact one class. pool->lock held for writing keeps zs_free() and the
 * object lookups from reading a handle whose object is moving;
 * class->lock keeps allocation and free out of the class. Both are given
 * up between destinations, so that a long compaction does not starve
 * them.
 */
static unsigned long __zs_compact(struct zs_pool *pool,
				  struct size_class *class)
{
	struct zs_compact_control cc = { .pool = pool, .class = class };

	write_lock(&pool->lock);
	spin_lock(&class->lock);
	while (zs_can_compact(class) && zs_compact_one(&cc)) {
		if (!zspage_full(class, cc.dst) && !rwlock_is_contended(&pool->lock))
			continue;
		zs_compact_put_dst(&cc);
		zs_compact_relax(pool, class);
	}
	zs_compact_put_dst(&cc);
	spin_unlock(&class->lock);
	write_unlock(&pool->lock);

	return cc.pages_freed;
}

/**
 * zs_compact - move objects to free zspages
 * @pool: the pool
 *
 * Compacts every class, largest first. Returns at once with 0 when
 * another compaction of @pool is running: it holds pool->lock for writing
 * per class, and a second one would only queue behind it and lengthen
 * everybody else's waits.
 *
 * Context: Process context; takes spinlocks only.
 * Return: the number of pages freed.
 */
unsigned long zs_compact(struct zs_pool *pool)
{
	unsigned long freed = 0;
	int i;

	if (atomic_xchg(&pool->compaction_in_progress, 1))
		return 0;
	for (i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
		struct size_class *class = zs_own_class(pool, i);

		if (class)
			freed += __zs_compact(pool, class);
	}
	atomic_long_add(freed, &pool->stats.pages_compacted);
	atomic_set(&pool->compaction_in_progress, 0);

	return freed;
}
EXPORT_SYMBOL_GPL(zs_compact);

void zs_pool_stats(struct zs_pool *pool, struct zs_pool_stats *stats)
{
	memcpy(stats, &pool->stats, sizeof(struct zs_pool_stats));
}
EXPORT_SYMBOL_GPL(zs_pool_stats);

/* Pages that compaction could give back now, summed over the classes. */
static unsigned long zs_shrinker_count(struct shrinker *shrinker,
				       struct shrink_control *sc)
{
	struct zs_pool *pool = shrinker->private_data;
	unsigned long freeable = 0;
	struct size_class *class;
	int i;

	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		class = zs_own_class(pool, i);
		freeable += class ? zs_can_compact(class) : 0;
	}
	return freeable;
}

/*
 * Compact the whole pool, whatever sc->nr_to_scan asks: zs_compact() has
 * no partial mode. Nothing freed (or a compaction already running, which
 * makes zs_compact() return 0) stops this reclaim pass from calling again.
 */
static unsigned long zs_shrinker_scan(struct shrinker *shrinker,
				      struct shrink_control *sc)
{
	unsigned long freed = zs_compact(shrinker->private_data);

	return freed ? freed : SHRINK_STOP;
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
 * @name: pool name, used for its shrinker and debugfs directory
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
	/* The kernel cannot call into a module whose init failed; we can. */
	if (unlikely(!handle_cachep)) {
		pr_err("%s: zsmalloc is not initialised\n", name);
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

	pool->name = kstrdup(name, GFP_KERNEL);
	if (!pool->name || zs_init_size_classes(pool)) {
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

/* Free the classes; a zspage still on a list is the caller's leak. */
static void zs_free_size_classes(struct zs_pool *pool)
{
	int i, fg;

	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		struct size_class *class = zs_own_class(pool, i);

		if (!class)
			continue;
		for (fg = ZS_INUSE_RATIO_0; fg < NR_FULLNESS_GROUPS; fg++) {
			if (!list_empty(&class->fullness_list[fg]))
				pr_err("class %d (size %d): fullness group %d not empty at destroy\n",
				       i, class->size, fg);
		}
		kfree(class);
	}
}

/**
 * zs_destroy_pool - destroy a pool
 * @pool: the pool, with every object freed; may be half-built (a failed
 *	zs_create_pool_design())
 *
 * Context: Process context; may sleep.
 */
void zs_destroy_pool(struct zs_pool *pool)
{
	/* Nothing may start a compaction or a deferred free any more. */
	zs_unregister_shrinker(pool);
	zs_flush_migration(pool);
	zs_pool_stat_destroy(pool);
	zs_free_size_classes(pool);

	/*
	 * Rcu design: the zspages freed last are still waiting for call_rcu(),
	 * whose callback updates the pool's zspages_rcu_pending.
	 */
	if (pool->design == ZS_FREE_RCU)
		rcu_barrier();

	lockdep_unregister_key(&pool->lock_class);
	kfree(pool->name);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(zs_destroy_pool);

/*
 * Statistics: debugfs zsmalloc/<pool>/classes, the kernel's
 * CONFIG_ZSMALLOC_STAT table, and (simulator addition) zsmalloc/<pool>/
 * sim_stats with the pool-wide numbers the simulation-control API's
 * zsim_zsmalloc_dump() adds to it.
 */
static void zs_stats_fg_header(struct seq_file *s)
{
	static const char * const names[NR_FULLNESS_GROUPS] = {
		[ZS_INUSE_RATIO_10] = "10%", "20%", "30%", "40%", "50%",
		"60%", "70%", "80%", "90%", "99%", "100%",
	};
	int fg;

	for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
		seq_printf(s, "%9s ", names[fg]);
}

static int zs_stats_size_show(struct seq_file *s, void *v)
{
	struct zs_pool *pool = s->private;
	unsigned long fg_total[NR_FULLNESS_GROUPS] = { };
	unsigned long total_objs = 0, total_used = 0, total_pages = 0;
	unsigned long total_freeable = 0;
	int i, fg;

	seq_printf(s, " %5s %5s ", "class", "size");
	zs_stats_fg_header(s);
	seq_printf(s, "%13s %10s %10s %16s %8s\n", "obj_allocated", "obj_used",
		   "pages_used", "pages_per_zspage", "freeable");

	for (i = 0; i < ZS_SIZE_CLASSES; i++) {
		struct size_class *class = zs_own_class(pool, i);
		unsigned long fgs[NR_FULLNESS_GROUPS];
		unsigned long objs, used, pages, freeable;

		if (!class)
			continue;

		/* One consistent row: the counters change under class->lock. */
		spin_lock(&class->lock);
		for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
			fgs[fg] = class_stat_read(class, fg);
		objs = class_stat_read(class, ZS_OBJS_ALLOCATED);
		used = class_stat_read(class, ZS_OBJS_INUSE);
		freeable = zs_can_compact(class);
		spin_unlock(&class->lock);
		pages = objs / class->objs_per_zspage * class->pages_per_zspage;

		seq_printf(s, " %5u %5u ", i, class->size);
		for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++) {
			seq_printf(s, "%9lu ", fgs[fg]);
			fg_total[fg] += fgs[fg];
		}
		seq_printf(s, "%13lu %10lu %10lu %16d %8lu\n", objs, used, pages,
			   class->pages_per_zspage, freeable);

		total_objs += objs;
		total_used += used;
		total_pages += pages;
		total_freeable += freeable;
	}

	seq_printf(s, "\n %5s %5s ", "Total", "");
	for (fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
		seq_printf(s, "%9lu ", fg_total[fg]);
	seq_printf(s, "%13lu %10lu %10lu %16s %8lu\n", total_objs, total_used,
		   total_pages, "", total_freeable);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zs_stats_size);

/* Not in the kernel: the design and the pool totals, one "key value" a line. */
static int zs_sim_stats_show(struct seq_file *s, void *v)
{
	struct zs_pool *pool = s->private;

	seq_printf(s, "design %s\n", zs_design_names[pool->design]);
	seq_printf(s, "pages %lu\n", zs_get_total_pages(pool));
	seq_printf(s, "pages_compacted %ld\n",
		   atomic_long_read(&pool->stats.pages_compacted));
	seq_printf(s, "zspages_rcu_pending %ld\n",
		   atomic_long_read(&pool->zspages_rcu_pending));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zs_sim_stats);

static int zs_pool_stat_create(struct zs_pool *pool, const char *name)
{
	if (!zs_stat_root) {
		pr_warn("pool %s: no zsmalloc debugfs directory, no statistics\n", name);
		return -ENODEV;
	}

	pool->stat_dentry = debugfs_create_dir(name, zs_stat_root);
	if (IS_ERR(pool->stat_dentry)) {
		pool->stat_dentry = NULL;
		return -ENOMEM;
	}

	debugfs_create_file("classes", 0444, pool->stat_dentry, pool,
			    &zs_stats_size_fops);
	debugfs_create_file("sim_stats", 0444, pool->stat_dentry, pool,
			    &zs_sim_stats_fops);
	return 0;
}

static void zs_pool_stat_destroy(struct zs_pool *pool)
{
	debugfs_remove_recursive(pool->stat_dentry);
}

/*
 * Runs at every machine boot. After a wedged machine zs_exit() did not
 * run: the old caches went with that machine's slab state, so the
 * pointers are simply overwritten.
 */
static int __init zs_init(void)
{
	int rc;

	rc = zs_create_caches();
	if (rc)
		return rc;

	rc = set_movable_ops(&zsmalloc_mops, PGTY_zsmalloc);
	if (rc) {
		zs_destroy_caches();
		return rc;
	}

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
	/* Every pool is gone: a live handle or zspage left is reported here. */
	zs_destroy_caches();
	/* A new machine may be booted with another default. */
	zs_default_design = ZS_FREE_DEFERRED;
}

module_init(zs_init);
module_exit(zs_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zsmalloc allocator model for the zswapsim simulator");
