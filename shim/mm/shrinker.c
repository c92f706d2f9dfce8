// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shrinkers (mm/shrinker.c): allocation, registration, the lockless
 * shrinker list walk of shrink_slab() and do_shrink_slab()'s scan-target
 * arithmetic, as in the 6.7+ kernel.
 *
 * Lifetime: shrinker_list is an RCU list whose updaters hold
 * shrinker_mutex. shrink_slab() walks it under rcu_read_lock() and pins a
 * shrinker with shrinker_try_get() before dropping the read lock to call
 * it; it retakes the read lock before shrinker_put(), so that both this
 * shrinker and its successor stay allocated for the next step of the
 * walk. shrinker_free() drops the registration reference, waits on ->done
 * until every pin is gone, unlinks the shrinker and frees it after a
 * grace period.
 *
 * Differences from the kernel:
 *  - A non-root memcg's shrinkers are found by walking shrinker_list for
 *    SHRINKER_MEMCG_AWARE ones instead of through the memcg's shrinker_info
 *    bitmap that list_lru_add() fills (set_shrinker_bit()): the same
 *    shrinkers free the same objects, shrinkers with nothing charged to the
 *    memcg just see an extra count_objects() call (returning 0 or
 *    SHRINK_EMPTY). The kernel's second call after SHRINK_EMPTY exists to
 *    close a race with that bitmap and is therefore not made.
 *  - Work deferred for a non-root memcg (the kernel keeps it in the memcg's
 *    shrinker_info and reparents it on offline) is not carried over: each
 *    call for such a memcg starts from its own delta. Global and root-memcg
 *    calls defer per node in shrinker->nr_deferred, as the kernel.
 *  - kmem accounting is always on (cgroup v2's default), so
 *    SHRINKER_NONSLAB changes nothing.
 *  - No debugfs directory per shrinker; the name is kept in ->name.
 *    Memcg-aware ids count up and are not reused (nothing is indexed by
 *    them here).
 *  - A shrinker without SHRINKER_NUMA_AWARE gets sc->nid = 0, as
 *    shrink_slab()'s kerneldoc states (the kernel code applies nid 0 to
 *    the deferred count only and passes the node through).
 */
#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memcontrol.h>
#include <linux/minmax.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/printk.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <sim/init.h>
#include <sim/memcg.h>
#include <stdarg.h>
#include <stdio.h>
#include <zswapsim.h>

static LIST_HEAD(shrinker_list);
static DEFINE_MUTEX(shrinker_mutex);
static int shrinker_next_id;	/* under shrinker_mutex */

/*
 * A new machine starts with no shrinkers: one leaked by the previous
 * machine (reported there as a leaked object) must not stay on the list.
 */
static int __init shrinker_init(void)
{
	sim_mutex_forget(&shrinker_mutex);
	mutex_lock(&shrinker_mutex);
	INIT_LIST_HEAD_RCU(&shrinker_list);
	shrinker_next_id = 0;
	mutex_unlock(&shrinker_mutex);
	return 0;
}
core_initcall(shrinker_init);

/* The kernel's kvasprintf_const() into ->name (CONFIG_SHRINKER_DEBUG). */
static int shrinker_name_alloc(struct shrinker *shrinker, const char *fmt,
			       va_list ap)
{
	va_list aq;
	char *name;
	int len;

	va_copy(aq, ap);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (len < 0)
		return -EINVAL;
	name = kmalloc(len + 1, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	vsnprintf(name, len + 1, fmt, ap);
	shrinker->name = name;
	return 0;
}

struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct shrinker *shrinker;
	unsigned int nr;
	va_list ap;
	int err;

	shrinker = kzalloc(sizeof(*shrinker), GFP_KERNEL);
	if (!shrinker)
		return NULL;

	va_start(ap, fmt);
	err = shrinker_name_alloc(shrinker, fmt, ap);
	va_end(ap);
	if (err)
		goto err_name;

	shrinker->flags = flags | SHRINKER_ALLOCATED;
	shrinker->seeks = DEFAULT_SEEKS;
	shrinker->id = -1;

	/* Without memcgs a memcg-aware shrinker is a plain one, as the kernel. */
	if ((flags & SHRINKER_MEMCG_AWARE) && mem_cgroup_disabled())
		shrinker->flags &= ~SHRINKER_MEMCG_AWARE;

	nr = (flags & SHRINKER_NUMA_AWARE) ? nr_node_ids : 1;
	shrinker->nr_deferred = kcalloc(nr, sizeof(*shrinker->nr_deferred),
					GFP_KERNEL);
	if (!shrinker->nr_deferred)
		goto err_deferred;

	if (shrinker->flags & SHRINKER_MEMCG_AWARE) {
		mutex_lock(&shrinker_mutex);
		shrinker->id = shrinker_next_id++;
		mutex_unlock(&shrinker_mutex);
	}
	return shrinker;

err_deferred:
	kfree(shrinker->name);
err_name:
	kfree(shrinker);
	return NULL;
}

void shrinker_register(struct shrinker *shrinker)
{
	if (unlikely(!(shrinker->flags & SHRINKER_ALLOCATED))) {
		pr_warn("Must use shrinker_alloc() to dynamically allocate the shrinker");
		return;
	}
	if (WARN_ONCE(!shrinker->count_objects || !shrinker->scan_objects,
		      "shrinker %s registered without callbacks\n", shrinker->name))
		return;

	mutex_lock(&shrinker_mutex);
	if (WARN_ONCE(shrinker->flags & SHRINKER_REGISTERED,
		      "shrinker %s registered twice\n", shrinker->name)) {
		mutex_unlock(&shrinker_mutex);
		return;
	}
	list_add_tail_rcu(&shrinker->list, &shrinker_list);
	shrinker->flags |= SHRINKER_REGISTERED;
	mutex_unlock(&shrinker_mutex);

	/*
	 * Fully set up: the first reference lets shrink_slab() pin it. A
	 * walker that found it on the list before this fails
	 * shrinker_try_get() and skips it.
	 */
	init_completion(&shrinker->done);
	refcount_set(&shrinker->refcount, 1);
}

static void shrinker_free_rcu_cb(struct rcu_head *head)
{
	struct shrinker *shrinker = container_of(head, struct shrinker, rcu);

	kfree(shrinker->name);
	kfree(shrinker);
}

void shrinker_free(struct shrinker *shrinker)
{
	if (!shrinker)
		return;

	if (shrinker->flags & SHRINKER_REGISTERED) {
		/* Drop the registration reference, wait for the pins to go. */
		shrinker_put(shrinker);
		wait_for_completion(&shrinker->done);
	}

	/*
	 * No one runs the shrinker or can pin it again; walkers may still
	 * stand on it, so it leaves the list now and memory after a grace
	 * period.
	 */
	mutex_lock(&shrinker_mutex);
	if (shrinker->flags & SHRINKER_REGISTERED) {
		list_del_rcu(&shrinker->list);
		shrinker->flags &= ~SHRINKER_REGISTERED;
	}
	mutex_unlock(&shrinker_mutex);

	kfree(shrinker->nr_deferred);
	shrinker->nr_deferred = NULL;
	call_rcu(&shrinker->rcu, shrinker_free_rcu_cb);
}

/*
 * Deferred work lives per node (node 0 for NUMA-unaware shrinkers) for
 * global and root-memcg reclaim; see the header comment for memcgs.
 */
static atomic_long_t *shrinker_deferred(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	int nid = (shrinker->flags & SHRINKER_NUMA_AWARE) ? sc->nid : 0;

	if ((shrinker->flags & SHRINKER_MEMCG_AWARE) && sc->memcg &&
	    !mem_cgroup_is_root(sc->memcg))
		return NULL;
	return &shrinker->nr_deferred[nid];
}

static long xchg_nr_deferred(struct shrinker *shrinker,
			     struct shrink_control *sc)
{
	atomic_long_t *deferred = shrinker_deferred(shrinker, sc);

	return deferred ? atomic_long_xchg(deferred, 0) : 0;
}

static long add_nr_deferred(long nr, struct shrinker *shrinker,
			    struct shrink_control *sc)
{
	atomic_long_t *deferred = shrinker_deferred(shrinker, sc);

	return deferred ? atomic_long_add_return(nr, deferred) : 0;
}

/*
 * This call's own share of a cache of @freeable objects: 4/seeks of its
 * 2^-priority part, or half the cache whatever the priority for objects
 * that cost nothing to recreate (seeks 0).
 */
static long shrink_new_work(struct shrinker *shrinker, long freeable,
			    int priority)
{
	u64 share;

	if (!shrinker->seeks)
		return freeable / 2;
	share = ((u64)freeable >> priority) * 4;
	return share / shrinker->seeks;
}

/*
 * Call scan_objects() for @target objects: whole batches, and one last
 * short call only if it takes in the whole cache (a cache smaller than a
 * batch, under pressure high enough to ask for all of it). Stops early on
 * SHRINK_STOP. Returns the objects freed; *@scanned gets the objects the
 * shrinker said it looked at.
 */
static unsigned long shrink_batches(struct shrinker *shrinker,
				    struct shrink_control *sc, long target,
				    long freeable, long *scanned)
{
	long batch = shrinker->batch ? shrinker->batch : SHRINK_BATCH;
	unsigned long freed = 0;

	*scanned = 0;
	while (target >= min(batch, freeable)) {
		unsigned long ret;

		sc->nr_to_scan = min(batch, target);
		/* The shrinker lowers it if it looked at fewer. */
		sc->nr_scanned = sc->nr_to_scan;
		ret = shrinker->scan_objects(shrinker, sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		target -= sc->nr_scanned;
		*scanned += sc->nr_scanned;
		cond_resched();
	}
	return freed;
}

static unsigned long do_shrink_slab(struct shrink_control *sc,
				    struct shrinker *shrinker, int priority)
{
	long freeable, inherited, fresh, target, scanned;
	unsigned long count, freed;

	count = shrinker->count_objects(shrinker, sc);
	if (count == 0 || count == SHRINK_EMPTY)
		return count;
	freeable = count;

	/* Claim what earlier calls left over, so no concurrent call redoes it. */
	inherited = xchg_nr_deferred(shrinker, sc);
	fresh = shrink_new_work(shrinker, freeable, priority);
	/* Never more than twice the cache, however much piled up. */
	target = min((inherited >> priority) + fresh, 2 * freeable);

	freed = shrink_batches(shrinker, sc, target, freeable, &scanned);

	/* Hand on what was not scanned of both, bounded the same way. */
	add_nr_deferred(clamp(inherited + fresh - scanned, 0L, 2 * freeable),
			shrinker, sc);
	return freed;
}

/* Call @shrinker pinned by the caller; SHRINK_EMPTY counts as nothing. */
static unsigned long shrink_one(struct shrinker *shrinker, gfp_t gfp_mask,
				int nid, struct mem_cgroup *memcg, int priority)
{
	struct shrink_control sc = {
		.gfp_mask = gfp_mask,
		.nid = (shrinker->flags & SHRINKER_NUMA_AWARE) ? nid : 0,
		.memcg = memcg,
	};
	unsigned long ret;

	ret = do_shrink_slab(&sc, shrinker, priority);
	return ret == SHRINK_EMPTY ? 0 : ret;
}

unsigned long shrink_slab(gfp_t gfp_mask, int nid, struct mem_cgroup *memcg,
			  int priority)
{
	bool memcg_only = memcg && !mem_cgroup_disabled() &&
			  !mem_cgroup_is_root(memcg);
	struct shrinker *shrinker;
	unsigned long freed = 0;

	might_sleep();
	if (WARN_ON_ONCE(nid < 0 || nid >= (int)nr_node_ids ||
			 priority < 0 || priority >= BITS_PER_LONG))
		return 0;
	/* Only shrinkers that keep per-memcg lists help a memcg (online). */
	if (memcg_only && !mem_cgroup_online(memcg))
		return 0;

	rcu_read_lock();
	list_for_each_entry_rcu(shrinker, &shrinker_list, list) {
		if (memcg_only && !(shrinker->flags & SHRINKER_MEMCG_AWARE))
			continue;
		/* Fails once shrinker_free() dropped the last reference. */
		if (!shrinker_try_get(shrinker))
			continue;
		rcu_read_unlock();

		freed += shrink_one(shrinker, gfp_mask, nid, memcg, priority);

		/*
		 * The put may let shrinker_free() go on and unlink it; the
		 * read lock keeps it and its successor allocated for the
		 * next step of the walk.
		 */
		rcu_read_lock();
		shrinker_put(shrinker);
	}
	rcu_read_unlock();

	cond_resched();
	return freed;
}

/* ---- simulation control (include/zswapsim.h) ---- */

struct zsim_shrink_req {
	int nid;
	const char *memcg;
	int priority;
	long freed;
};

static int zsim_shrink_fn(void *arg)
{
	struct zsim_shrink_req *req = arg;
	struct mem_cgroup *memcg = NULL;

	if (req->memcg) {
		memcg = mem_cgroup_lookup(req->memcg);
		if (IS_ERR(memcg))
			return PTR_ERR(memcg);
	}
	req->freed = shrink_slab(GFP_KERNEL, req->nid,
				 memcg ? memcg : root_mem_cgroup, req->priority);
	mem_cgroup_put(memcg);
	return 0;
}

long zsim_shrink_slab(int nid, const char *memcg, int priority)
{
	struct zsim_shrink_req req = {
		.nid = nid, .memcg = memcg, .priority = priority,
	};
	int ret;

	/* Before the node check: without a machine there are no nodes. */
	if (!current && !zsim_machine_running())
		return -ENODEV;
	/* Reclaim's priorities: DEF_PRIORITY down to 0. */
	if (nid < 0 || nid >= (int)nr_node_ids || !node_online(nid) ||
	    priority < 0 || priority > DEF_PRIORITY)
		return -EINVAL;
	if (current)
		ret = zsim_shrink_fn(&req);
	else
		ret = zsim_run(cpumask_first(cpu_online_mask), zsim_shrink_fn, &req);
	return ret ? ret : req.freed;
}
