/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shrinkers (<linux/shrinker.h>, mm/shrinker.c): the 6.7+ dynamically
 * allocated form.
 *
 *	shrinker = shrinker_alloc(SHRINKER_NUMA_AWARE | SHRINKER_MEMCG_AWARE,
 *				  "mm-zswap");
 *	if (!shrinker)
 *		return -ENOMEM;
 *	shrinker->count_objects = my_count;
 *	shrinker->scan_objects = my_scan;
 *	shrinker->private_data = my_pool;
 *	shrinker_register(shrinker);
 *	...
 *	shrinker_free(shrinker);	// waits for running scans
 *
 * Reclaim reaches the shrinkers through shrink_slab() (the VM model in
 * src/mm and the tests call it; zsim_shrink_slab() in <zswapsim.h> is the
 * simulation-control form). As in the kernel, the walk of the shrinker list
 * is lockless: shrink_slab() walks an RCU list and pins each shrinker with
 * shrinker_try_get() before calling it outside the RCU read section;
 * shrinker_free() drops the initial reference, waits on ->done for the pins
 * to go, unlinks the shrinker and frees it after a grace period.
 *
 * Differences from the kernel are listed in docs/shim.md ("mm/shrinker.c");
 * the main one: the kernel visits a non-root memcg's shrinkers through the
 * memcg's shrinker_info bitmap (bits set by list_lru_add()), the shim
 * visits every registered SHRINKER_MEMCG_AWARE shrinker for it, which
 * gives the same result with extra count_objects() calls on empty lists.
 */
#ifndef _SHIM_LINUX_SHRINKER_H
#define _SHIM_LINUX_SHRINKER_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/gfp_types.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>

struct mem_cgroup;

/*
 * What reclaim passes to a shrinker. count_objects() reads gfp_mask, nid
 * and memcg; scan_objects() also gets nr_to_scan and may lower nr_scanned
 * (preset to nr_to_scan) to say how many objects it really looked at.
 */
struct shrink_control {
	gfp_t gfp_mask;

	/* Node being shrunk; 0 for a shrinker without SHRINKER_NUMA_AWARE. */
	int nid;

	/* How many objects scan_objects() should scan and try to reclaim. */
	unsigned long nr_to_scan;

	/*
	 * How many objects scan_objects() has scanned: set to nr_to_scan
	 * before the call, the shrinker lowers it if it looked at fewer.
	 */
	unsigned long nr_scanned;

	/* The memcg being shrunk; NULL or root means global reclaim. */
	struct mem_cgroup *memcg;
};

/* scan_objects(): cannot make progress now (e.g. would deadlock). */
#define SHRINK_STOP	(~0UL)
/* count_objects(): nothing to reclaim, and no objects at all. */
#define SHRINK_EMPTY	(~0UL - 1)

struct shrinker {
	/*
	 * Number of freeable objects for sc->nid/sc->memcg; 0 if none can be
	 * freed now, SHRINK_EMPTY if there are none at all.
	 */
	unsigned long (*count_objects)(struct shrinker *shrinker,
				       struct shrink_control *sc);
	/*
	 * Scan up to sc->nr_to_scan objects and free what can be freed;
	 * returns the number freed, or SHRINK_STOP. May sleep.
	 */
	unsigned long (*scan_objects)(struct shrinker *shrinker,
				      struct shrink_control *sc);

	long batch;		/* objects per scan_objects() call, 0: SHRINK_BATCH */
	int seeks;		/* cost to recreate an object; 0: trim half */
	unsigned int flags;

	/*
	 * Lifetime: 1 from shrinker_register() until shrinker_free() drops
	 * it, plus one per shrink_slab() caller inside the shrinker; the
	 * last put completes ->done, which shrinker_free() waits for.
	 */
	refcount_t refcount;
	struct completion done;
	struct rcu_head rcu;

	void *private_data;	/* for the owner of the shrinker */

	/* Internal. */
	struct list_head list;	/* shrinker_list, RCU */
	int id;			/* SHRINKER_MEMCG_AWARE: unique id, else -1 */
	const char *name;	/* the kernel keeps it with CONFIG_SHRINKER_DEBUG */
	/* Work not done by earlier calls, per node if NUMA-aware. */
	atomic_long_t *nr_deferred;
};

#define DEFAULT_SEEKS	2	/* a good number if you don't know better */

/* Internal flags. */
#define SHRINKER_REGISTERED	BIT(0)
#define SHRINKER_ALLOCATED	BIT(1)
/* Flags for shrinker_alloc(). */
#define SHRINKER_NUMA_AWARE	BIT(2)	/* called per node, sc->nid set */
#define SHRINKER_MEMCG_AWARE	BIT(3)	/* called for non-root memcgs too */
/* Not a slab shrinker: still called for memcgs when kmem accounting is off. */
#define SHRINKER_NONSLAB	BIT(4)

/*
 * Allocate a shrinker named by @fmt, with seeks = DEFAULT_SEEKS. Returns
 * NULL when an allocation fails. Set the callbacks, then register it.
 */
__printf(2, 3)
struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...);
/* Make @shrinker visible to shrink_slab(). */
void shrinker_register(struct shrinker *shrinker);
/*
 * Unregister (if registered) and free @shrinker; NULL is fine. Waits until
 * no shrink_slab() is inside the shrinker, so its private data may be
 * freed right after. May sleep.
 */
void shrinker_free(struct shrinker *shrinker);

/* Pin a shrinker found under rcu_read_lock(); false if it is going away. */
static inline bool shrinker_try_get(struct shrinker *shrinker)
{
	return refcount_inc_not_zero(&shrinker->refcount);
}

static inline void shrinker_put(struct shrinker *shrinker)
{
	if (refcount_dec_and_test(&shrinker->refcount))
		complete(&shrinker->done);
}

/* Objects per scan_objects() call when shrinker->batch is 0. */
#define SHRINK_BATCH	128

/*
 * Call the shrinkers for (@nid, @memcg) at reclaim @priority (DEF_PRIORITY
 * 12 down to 0, as sc->priority in vmscan): each scans about
 * count >> priority (scaled by 4 / seeks) plus a share of the work deferred
 * by earlier calls. A NULL or root @memcg calls every shrinker; a non-root
 * one only the SHRINKER_MEMCG_AWARE ones, and nothing if it is offline.
 * Returns the number of objects freed. May sleep.
 *
 * The kernel declares it in mm/internal.h; here it is public so that the
 * VM model in src/mm and the tests can call it.
 */
unsigned long shrink_slab(gfp_t gfp_mask, int nid, struct mem_cgroup *memcg,
			  int priority);

#endif /* _SHIM_LINUX_SHRINKER_H */
