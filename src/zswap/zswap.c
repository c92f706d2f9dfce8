// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap: a compressed cache in front of the swap devices (mm/zswap.c).
 *
 * Pages on their way to swap are compressed through the crypto acomp API
 * and kept in a zsmalloc pool. A later swap-in finds them here instead of
 * on the device; when the pool grows past its limit (or a memcg past its
 * memory.zswap.max), the coldest entries are decompressed and written to
 * the device they were headed for.
 *
 * The model is 7.0 mainline with the v13 compression batching series:
 * - entries in one xarray per 64 MiB of each swap device;
 * - a memcg- and NUMA-aware list_lru feeding a shrinker (second chance
 *   through entry->referenced) and a shrink worker that walks the online
 *   memcgs round-robin;
 * - pools under RCU, the current one at the head of the list, each held
 *   by a percpu_ref and released through a work item after a grace period;
 * - zswap_store() compresses a folio in batches of up to eight pages, each
 *   under one hold of the CPU's context: every compressor gets requests of
 *   pool->compr_batch_size pages through the acomp batching interface (one
 *   for software compressors, up to eight for hardware);
 * - per-CPU compression contexts with one of two lifetimes, chosen when
 *   zswap is set up (zswap.ctx_lifetime): "pool" (7.1-bound: they live
 *   from pool creation to pool destruction) or "hotplug" (6.13 to 7.0: a
 *   CPU's context is freed when it goes offline).
 *
 * Differences from the kernel are commented where they occur and listed
 * in docs/zswap.md. The ZSIM_RACE_* blocks put historical races back
 * ("known race N": docs/fuzzing.md, "Known-race corpus"); no default
 * build defines them.
 */

#define KBUILD_MODNAME "zswap"
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/crypto.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/jump_label.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/mempolicy.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/page-flags.h>
#include <linux/pagemap.h>
#include <linux/percpu.h>
#include <linux/percpu-refcount.h>
#include <linux/rculist.h>
#include <linux/scatterlist.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/types.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/zsmalloc.h>
#include <linux/zswap.h>
#include <crypto/acompress.h>
#include <crypto/scatterwalk.h>

/*
 * Kconfig defaults (meson options zswap_default_on, zswap_compressor,
 * zswap_shrinker_default_on, through <zsim_config.h>).
 */
#ifndef CONFIG_ZSWAP_COMPRESSOR_DEFAULT
#define CONFIG_ZSWAP_COMPRESSOR_DEFAULT "lz4"
#endif

/*********************************
* statistics
**********************************/
/* Pages stored in zswap, i.e. entries. */
atomic_long_t zswap_stored_pages = ATOMIC_LONG_INIT(0);
/* Entries stored uncompressed (length PAGE_SIZE). */
static atomic_long_t zswap_stored_incompressible_pages = ATOMIC_LONG_INIT(0);

/*
 * Event counters, updated without locking as the kernel's: concurrent
 * stores may lose an increment; they are statistics, not state.
 */
/* Store failed: the pool was at its limit. */
static u64 zswap_pool_limit_hit;
/* Entries written back to the swap device. */
static u64 zswap_written_back_pages;
/* Writeback of an LRU entry failed. */
static u64 zswap_reject_reclaim_fail;
/* The compressor failed (and the page could not be kept raw). */
static u64 zswap_reject_compress_fail;
/* The output did not fit (and the page could not be kept raw). */
static u64 zswap_reject_compress_poor;
/* zsmalloc or the xarray could not allocate. */
static u64 zswap_reject_alloc_fail;
/* The entry could not be allocated. */
static u64 zswap_reject_kmemcache_fail;
/* A stored page failed to decompress. */
static u64 zswap_decompress_fail;

/* Simulator addition: bytes of the per-CPU contexts of every pool. */
static atomic_long_t zswap_acomp_ctx_mem = ATOMIC_LONG_INIT(0);

/* The shrink worker runs here, one at a time. */
static struct workqueue_struct *shrink_wq;
/* Set at the limit, cleared below the accept threshold: the hysteresis. */
static bool zswap_pool_reached_full;

/*********************************
* tunables
**********************************/

#define ZSWAP_PARAM_UNSET ""

static int zswap_setup(void);

/* zswap_store() accepts pages only while this is set. */
static bool zswap_enabled = IS_ENABLED(CONFIG_ZSWAP_DEFAULT_ON);
static int zswap_enabled_param_set(const char *, const struct kernel_param *);
static const struct kernel_param_ops zswap_enabled_param_ops = {
	.set =		zswap_enabled_param_set,
	.get =		param_get_bool,
};
module_param_cb(enabled, &zswap_enabled_param_ops, &zswap_enabled, 0644);

/* The acomp algorithm of the current pool. */
static char *zswap_compressor = CONFIG_ZSWAP_COMPRESSOR_DEFAULT;
static int zswap_compressor_param_set(const char *, const struct kernel_param *);
static const struct kernel_param_ops zswap_compressor_param_ops = {
	.set =		zswap_compressor_param_set,
	.get =		param_get_charp,
	.free =		param_free_charp,
};
module_param_cb(compressor, &zswap_compressor_param_ops, &zswap_compressor, 0644);

/* Largest pool, in percent of RAM. */
static unsigned int zswap_max_pool_percent = 20;
module_param_named(max_pool_percent, zswap_max_pool_percent, uint, 0644);

/* Once full, stores resume below this percentage of the limit. */
static unsigned int zswap_accept_thr_percent = 90;
module_param_named(accept_threshold_percent, zswap_accept_thr_percent, uint, 0644);

/* Whether the shrinker writes entries back under memory pressure. */
static bool zswap_shrinker_enabled = IS_ENABLED(CONFIG_ZSWAP_SHRINKER_DEFAULT_ON);
module_param_named(shrinker_enabled, zswap_shrinker_enabled, bool, 0644);

/*
 * Simulator addition: the lifetime of the per-CPU compression contexts,
 * read when zswap is set up (so a machine keeps one model for its life).
 * "pool": allocated by an idempotent startup callback, freed with the
 * pool, no teardown (the 7.1-bound design). "hotplug": a teardown
 * callback frees a CPU's context when it goes offline and users re-check
 * under the context's mutex (6.13 to 7.0, with 12dcb0ef5406).
 */
enum zswap_ctx_lifetime {
	ZSWAP_CTX_POOL,
	ZSWAP_CTX_HOTPLUG,
};

static const char * const zswap_ctx_lifetime_names[] = {
	[ZSWAP_CTX_POOL]	= "pool",
	[ZSWAP_CTX_HOTPLUG]	= "hotplug",
};

static int zswap_ctx_lifetime_param = ZSWAP_CTX_POOL;
/* The model of the running machine, fixed by zswap_setup(). */
static enum zswap_ctx_lifetime zswap_ctx_lifetime;

static int zswap_ctx_lifetime_set(const char *val, const struct kernel_param *kp)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(zswap_ctx_lifetime_names); i++) {
		if (sysfs_streq(val, zswap_ctx_lifetime_names[i])) {
			*(int *)kp->arg = i;
			return 0;
		}
	}
	pr_err("ctx_lifetime: want pool or hotplug, not \"%s\"\n", val);
	return -EINVAL;
}

static int zswap_ctx_lifetime_get(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "%s\n", zswap_ctx_lifetime_names[*(int *)kp->arg]);
}

static const struct kernel_param_ops zswap_ctx_lifetime_ops = {
	.set =		zswap_ctx_lifetime_set,
	.get =		zswap_ctx_lifetime_get,
};
module_param_cb(ctx_lifetime, &zswap_ctx_lifetime_ops, &zswap_ctx_lifetime_param, 0644);

/*
 * Simulator addition: an upper bound on a new pool's compr_batch_size, so
 * that one machine can run a batching compressor one page per request
 * (1: mainline's zswap_compress()) or in batches of 2, 4 or 8. Read when a
 * pool is created (a pool keeps its batch size for its life, on every CPU
 * it prepares); above ZSWAP_MAX_BATCH_SIZE it has no effect, 0 is refused.
 */
static unsigned int zswap_max_compr_batch_size = 8;

static int zswap_max_compr_batch_set(const char *val, const struct kernel_param *kp)
{
	struct kernel_param tmp = *kp;
	unsigned int n;

	/* param_set_uint_minmax(val, kp, 1, UINT_MAX), on a copy. */
	tmp.arg = &n;
	if (param_set_uint(val, &tmp) || !n) {
		pr_err("max_compr_batch_size: want a number of pages >= 1, not \"%s\"\n", val);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops zswap_max_compr_batch_ops = {
	.set =		zswap_max_compr_batch_set,
	.get =		param_get_uint,
};
module_param_cb(max_compr_batch_size, &zswap_max_compr_batch_ops,
		&zswap_max_compr_batch_size, 0644);

bool zswap_is_enabled(void)
{
	return zswap_enabled;
}

/*********************************
* data structures
**********************************/

/* Most pages one request compresses (v13: ZSWAP_MAX_BATCH_SIZE). */
#define ZSWAP_MAX_BATCH_SIZE	8U

/*
 * A CPU's compression context. The mutex is initialised for every
 * possible CPU when the pool is created and outlives the resources, so
 * that the hotplug model's teardown and its users can synchronise on it.
 */
struct crypto_acomp_ctx {
	struct crypto_acomp *acomp;
	struct acomp_req *req;
	struct crypto_wait wait;
	/* nr_buffers destination buffers of one page, one per batch unit. */
	u8 **buffers;
	/* One destination entry per unit of a batch. */
	struct scatterlist *sg_outputs;
	unsigned int nr_buffers;
	struct mutex mutex;
};

/*
 * A compressor and the zsmalloc pool of what it compressed. The pool of
 * each entry holds a reference, so a pool that is no longer current lives
 * until its last entry goes.
 */
struct zswap_pool {
	struct zs_pool *zs_pool;
	struct crypto_acomp_ctx __percpu *acomp_ctx;
	struct percpu_ref ref;
	struct list_head list;
	struct work_struct release_work;
	struct hlist_node node;
	/* Pages per compress request: min(8, crypto_acomp_batch_size()). */
	unsigned int compr_batch_size;
	/*
	 * Simulator: zswap.max_compr_batch_size when the pool was created,
	 * so that every CPU the pool ever prepares sizes its buffers alike.
	 */
	unsigned int max_compr_batch_size;
	/* Pages per zswap_store_pages() step: 8 unless the batch is larger. */
	unsigned int store_batch_size;
	char tfm_name[CRYPTO_MAX_ALG_NAME];
#ifdef ZSIM_RACE_8
	/* known race 8: each pool had its own shrink work (before 6.8). */
	struct work_struct shrink_work;
#endif
};

/* Global LRU of all entries, per memcg and node. */
static struct list_lru zswap_list_lru;

/* The memcg the shrink worker shrinks next, with a reference. */
static struct mem_cgroup *zswap_next_shrink;
static DEFINE_SPINLOCK(zswap_shrink_lock);
static struct work_struct zswap_shrink_work;
static struct shrinker *zswap_shrinker;

/*
 * One stored page.
 *
 * swpentry: the slot it belongs to (its key in the tree)
 * length: bytes in zsmalloc; PAGE_SIZE for a page stored uncompressed
 * referenced: second chance for the shrinker, set at store
 * pool: the pool that compressed it, referenced
 * handle: the zsmalloc object
 * objcg: the object cgroup charged for it, referenced, or NULL
 * lru: on zswap_list_lru
 * nid: the node of its LRU list (difference: the kernel takes the node of
 *	the entry's own memory, which the shim's slab does not record)
 */
struct zswap_entry {
	swp_entry_t swpentry;
	unsigned int length;
	bool referenced;
	int nid;
	struct zswap_pool *pool;
	unsigned long handle;
	struct obj_cgroup *objcg;
	struct list_head lru;
};

static struct xarray *zswap_trees[MAX_SWAPFILES];
static unsigned int nr_zswap_trees[MAX_SWAPFILES];

/* Pools, current first; walked under RCU, changed under the lock. */
static LIST_HEAD(zswap_pools);
static DEFINE_SPINLOCK(zswap_pools_lock);
/* Numbers the zsmalloc pools, whose names must be unique. */
static atomic_t zswap_pools_count = ATOMIC_INIT(0);

enum zswap_init_type {
	ZSWAP_UNINIT,
	ZSWAP_INIT_SUCCEED,
	ZSWAP_INIT_FAILED
};

static enum zswap_init_type zswap_init_state;

/* Serialises setup against the parameter setters. */
static DEFINE_MUTEX(zswap_init_lock);

/* Set up, but no pool could be created yet. */
static bool zswap_has_pool;

/*
 * Lets loads skip the trees until zswap has been used. On from the start
 * with CONFIG_ZSWAP_DEFAULT_ON; otherwise turned on only where
 * zswap_setup() creates its first pool, as upstream. So, as in 7.0, if
 * that pool cannot be created and a later compressor write creates one,
 * enabling succeeds and stores go to zswap while loads still return
 * -ENOENT without looking (test_enabled_after_failed_pool).
 */
static DEFINE_STATIC_KEY_MAYBE(CONFIG_ZSWAP_DEFAULT_ON, zswap_ever_enabled);

bool zswap_never_enabled(void)
{
	return !static_branch_maybe(CONFIG_ZSWAP_DEFAULT_ON, &zswap_ever_enabled);
}

/*********************************
* helpers and fwd declarations
**********************************/

/* One tree covers 1 << 14 slots: 64 MiB of swap with 4 KiB pages. */
#define ZSWAP_ADDRESS_SPACE_SHIFT	14
#define ZSWAP_ADDRESS_SPACE_PAGES	(1UL << ZSWAP_ADDRESS_SPACE_SHIFT)

static inline struct xarray *swap_zswap_tree(swp_entry_t swp)
{
	return &zswap_trees[swp_type(swp)][swp_offset(swp) >> ZSWAP_ADDRESS_SPACE_SHIFT];
}

#define zswap_pool_debug(msg, p) \
	pr_debug("%s pool %s\n", msg, (p)->tfm_name)

/*********************************
* pool functions
**********************************/
static void __zswap_pool_empty(struct percpu_ref *ref);
static void acomp_ctx_dealloc(struct crypto_acomp_ctx *acomp_ctx);
#ifdef ZSIM_RACE_8
static void shrink_worker_pool(struct work_struct *w);
#endif

static struct zswap_pool *zswap_pool_create(char *compressor)
{
	struct zswap_pool *pool;
	char name[38];	/* "zswap" + up to 32 hex digits + NUL */
	int ret, cpu;

	if (!zswap_has_pool && !strcmp(compressor, ZSWAP_PARAM_UNSET))
		return NULL;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;

	snprintf(name, sizeof(name), "zswap%x", atomic_inc_return(&zswap_pools_count));
	pool->zs_pool = zs_create_pool(name);
	if (!pool->zs_pool)
		goto error;

	strscpy(pool->tfm_name, compressor, sizeof(pool->tfm_name));
	/* Read once: a later change is for the pools created after it. */
	pool->max_compr_batch_size = READ_ONCE(zswap_max_compr_batch_size);

	pool->acomp_ctx = alloc_percpu_gfp(*pool->acomp_ctx, GFP_KERNEL | __GFP_ZERO);
	if (!pool->acomp_ctx) {
		pr_err("percpu alloc failed\n");
		goto error;
	}

	for_each_possible_cpu(cpu)
		mutex_init(&per_cpu_ptr(pool->acomp_ctx, cpu)->mutex);

	ret = cpuhp_state_add_instance(CPUHP_MM_ZSWP_POOL_PREPARE, &pool->node);
	if (ret)
		goto error;

	/* The initial reference is the current pool's. */
	ret = percpu_ref_init(&pool->ref, __zswap_pool_empty, PERCPU_REF_ALLOW_REINIT,
			      GFP_KERNEL);
	if (ret)
		goto ref_fail;
	INIT_LIST_HEAD(&pool->list);
#ifdef ZSIM_RACE_8
	INIT_WORK(&pool->shrink_work, shrink_worker_pool);
#endif

	zswap_pool_debug("created", pool);
	return pool;

ref_fail:
	cpuhp_state_remove_instance(CPUHP_MM_ZSWP_POOL_PREPARE, &pool->node);
error:
	if (pool->acomp_ctx) {
		/*
		 * Without a teardown callback, a failed or removed instance
		 * leaves what the startup callback prepared to us. In the
		 * hotplug model the rollback or removal freed it already.
		 */
		for_each_possible_cpu(cpu)
			acomp_ctx_dealloc(per_cpu_ptr(pool->acomp_ctx, cpu));
		free_percpu(pool->acomp_ctx);
	}
	if (pool->zs_pool)
		zs_destroy_pool(pool->zs_pool);
	kfree(pool);
	return NULL;
}

static struct zswap_pool *__zswap_pool_create_fallback(void)
{
	if (!crypto_has_acomp(zswap_compressor, 0, 0) &&
	    strcmp(zswap_compressor, CONFIG_ZSWAP_COMPRESSOR_DEFAULT)) {
		pr_err("compressor %s not available, using default %s\n",
		       zswap_compressor, CONFIG_ZSWAP_COMPRESSOR_DEFAULT);
		param_free_charp(&zswap_compressor);
		zswap_compressor = CONFIG_ZSWAP_COMPRESSOR_DEFAULT;
	}

	/* The default should always be there; a build without it is broken. */
	if (WARN_ON_ONCE(!crypto_has_acomp(zswap_compressor, 0, 0))) {
		zswap_compressor = ZSWAP_PARAM_UNSET;
		return NULL;
	}

	return zswap_pool_create(zswap_compressor);
}

static void zswap_pool_destroy(struct zswap_pool *pool)
{
	int cpu;

	zswap_pool_debug("destroying", pool);

	/* Hotplug model: runs the teardown on the CPUs still online. */
	cpuhp_state_remove_instance(CPUHP_MM_ZSWP_POOL_PREPARE, &pool->node);
#ifdef ZSIM_RACE_1
	/* The historical teardown left freed pointers behind: nothing to free. */
	if (zswap_ctx_lifetime == ZSWAP_CTX_POOL)
#endif
	for_each_possible_cpu(cpu)
		acomp_ctx_dealloc(per_cpu_ptr(pool->acomp_ctx, cpu));
	free_percpu(pool->acomp_ctx);

	zs_destroy_pool(pool->zs_pool);
	kfree(pool);
}

static void __zswap_pool_release(struct work_struct *work)
{
	struct zswap_pool *pool = container_of(work, typeof(*pool), release_work);

	/* Readers that found it on the list are done with it after this. */
	synchronize_rcu();

	/* Nobody can take a reference any more. */
	WARN_ON(!percpu_ref_is_zero(&pool->ref));
	percpu_ref_exit(&pool->ref);

	zswap_pool_destroy(pool);
}

static struct zswap_pool *zswap_pool_current(void);

/* The last reference went: unlink the pool and destroy it later. */
static void __zswap_pool_empty(struct percpu_ref *ref)
{
	struct zswap_pool *pool = container_of(ref, typeof(*pool), ref);

	spin_lock_bh(&zswap_pools_lock);

	/* The current pool keeps its initial reference. */
	WARN_ON(pool == zswap_pool_current());

	list_del_rcu(&pool->list);

	INIT_WORK(&pool->release_work, __zswap_pool_release);
	schedule_work(&pool->release_work);

	spin_unlock_bh(&zswap_pools_lock);
}

static int __must_check zswap_pool_tryget(struct zswap_pool *pool)
{
	if (!pool)
		return 0;

	return percpu_ref_tryget(&pool->ref);
}

/* The caller holds a reference already. */
static void zswap_pool_get(struct zswap_pool *pool)
{
	percpu_ref_get(&pool->ref);
}

static void zswap_pool_put(struct zswap_pool *pool)
{
	percpu_ref_put(&pool->ref);
}

static struct zswap_pool *__zswap_pool_current(void)
{
	struct zswap_pool *pool;

	pool = list_first_or_null_rcu(&zswap_pools, typeof(*pool), list);
	WARN_ONCE(!pool && zswap_has_pool, "%s: no page storage pool!\n", __func__);

	return pool;
}

static struct zswap_pool *zswap_pool_current(void)
{
	lockdep_assert_held(&zswap_pools_lock);

	return __zswap_pool_current();
}

static struct zswap_pool *zswap_pool_current_get(void)
{
	struct zswap_pool *pool;

	rcu_read_lock();

	pool = __zswap_pool_current();
	if (!zswap_pool_tryget(pool))
		pool = NULL;

	rcu_read_unlock();

	return pool;
}

/* A pool of @tfm_name with a reference; the caller holds zswap_pools_lock. */
static struct zswap_pool *zswap_pool_find_get(char *tfm_name)
{
	struct zswap_pool *pool;

	list_for_each_entry_rcu(pool, &zswap_pools, list) {
		if (strcmp(pool->tfm_name, tfm_name))
			continue;
		/* A pool on its way out is no use. */
		if (!zswap_pool_tryget(pool))
			continue;
		return pool;
	}

	return NULL;
}

static unsigned long zswap_max_pages(void)
{
	return totalram_pages() * zswap_max_pool_percent / 100;
}

static unsigned long zswap_accept_thr_pages(void)
{
	return zswap_max_pages() * zswap_accept_thr_percent / 100;
}

/* Pages of every pool's zsmalloc memory. */
unsigned long zswap_total_pages(void)
{
	struct zswap_pool *pool;
	unsigned long total = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(pool, &zswap_pools, list)
		total += zs_get_total_pages(pool->zs_pool);
	rcu_read_unlock();

	return total;
}

/*
 * True while stores must be refused: from the moment the pool reaches
 * its limit until it has shrunk to the accept threshold.
 */
static bool zswap_check_limits(void)
{
	unsigned long cur_pages = zswap_total_pages();
	unsigned long max_pages = zswap_max_pages();

	if (cur_pages >= max_pages) {
		zswap_pool_limit_hit++;
		zswap_pool_reached_full = true;
	} else if (zswap_pool_reached_full &&
		   cur_pages <= zswap_accept_thr_pages()) {
		zswap_pool_reached_full = false;
	}
	return zswap_pool_reached_full;
}

/*********************************
* param callbacks
**********************************/

/* Whether @s names another compressor than the current one. */
static bool zswap_pool_changed(const char *s, const struct kernel_param *kp)
{
	/* No change required. */
	if (!strcmp(s, *(char **)kp->arg) && zswap_has_pool)
		return false;
	return true;
}

/*
 * sysfs hands the written text with its newline; trim it as the kernel's
 * strstrip() does (not in the shim's <linux/string.h>).
 */
static const char *zswap_param_trim(const char *val, char *buf, size_t len)
{
	size_t n;

	while (*val == ' ' || *val == '\t' || *val == '\n')
		val++;
	strscpy(buf, val, len);
	n = strlen(buf);
	while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\n'))
		buf[--n] = '\0';
	return buf;
}

static int zswap_compressor_param_set(const char *val, const struct kernel_param *kp)
{
	struct zswap_pool *pool, *put_pool = NULL;
	char buf[CRYPTO_MAX_ALG_NAME];
	const char *s = zswap_param_trim(val, buf, sizeof(buf));
	bool new_pool = false;
	int ret = 0;

	/*
	 * No machine running: only set the param. Simulator addition: after
	 * a wedged machine (no exitcall) the init state below is its.
	 */
	if (system_state != SYSTEM_RUNNING)
		return param_set_charp(s, kp);

	mutex_lock(&zswap_init_lock);
	switch (zswap_init_state) {
	case ZSWAP_UNINIT:
		/* Before setup: zswap_setup() creates the pool. */
		ret = param_set_charp(s, kp);
		break;
	case ZSWAP_INIT_SUCCEED:
		new_pool = zswap_pool_changed(s, kp);
		break;
	case ZSWAP_INIT_FAILED:
		pr_err("can't set param, initialization failed\n");
		ret = -ENODEV;
	}
	mutex_unlock(&zswap_init_lock);

	if (!new_pool)
		return ret;

	if (!crypto_has_acomp(s, 0, 0)) {
		pr_err("compressor %s not available\n", s);
		return -ENOENT;
	}

	spin_lock_bh(&zswap_pools_lock);
	pool = zswap_pool_find_get((char *)s);
	if (pool) {
		zswap_pool_debug("using existing", pool);
		WARN_ON(pool == zswap_pool_current());
		list_del_rcu(&pool->list);
	}
	spin_unlock_bh(&zswap_pools_lock);

	if (!pool) {
		pool = zswap_pool_create((char *)s);
	} else {
		/*
		 * Revival: give back the initial reference that the kill took
		 * when the pool stopped being current, and return it to
		 * percpu mode; then drop the one zswap_pool_find_get() took.
		 */
		percpu_ref_resurrect(&pool->ref);
		zswap_pool_put(pool);
	}

	if (pool)
		ret = param_set_charp(s, kp);
	else
		ret = -EINVAL;

	spin_lock_bh(&zswap_pools_lock);
	if (!ret) {
		put_pool = zswap_pool_current();
		list_add_rcu(&pool->list, &zswap_pools);
		zswap_has_pool = true;
	} else if (pool) {
		/*
		 * The parameter could not be set: the pool goes to the tail,
		 * and its initial reference is dropped below (a new, empty
		 * pool is destroyed right away).
		 */
		list_add_tail_rcu(&pool->list, &zswap_pools);
		put_pool = pool;
	}
	spin_unlock_bh(&zswap_pools_lock);

	/* Drop the initial reference of the old current (or failed) pool. */
	if (put_pool)
		percpu_ref_kill(&put_pool->ref);

	return ret;
}

static int zswap_enabled_param_set(const char *val, const struct kernel_param *kp)
{
	int ret = -ENODEV;

	/* Before boot only the value changes; setup runs at init. */
	if (system_state != SYSTEM_RUNNING)
		return param_set_bool(val, kp);

	mutex_lock(&zswap_init_lock);
	switch (zswap_init_state) {
	case ZSWAP_UNINIT:
		if (zswap_setup())
			break;
		fallthrough;
	case ZSWAP_INIT_SUCCEED:
		if (!zswap_has_pool)
			pr_err("can't enable, no pool configured\n");
		else
			ret = param_set_bool(val, kp);
		break;
	case ZSWAP_INIT_FAILED:
		pr_err("can't enable, initialization failed\n");
	}
	mutex_unlock(&zswap_init_lock);

	return ret;
}

/*********************************
* lru functions
**********************************/

/* The memcg charged for @entry; call under rcu_read_lock(). */
static struct mem_cgroup *mem_cgroup_from_entry(struct zswap_entry *entry)
{
	return entry->objcg ? obj_cgroup_memcg(entry->objcg) : NULL;
}

static void zswap_lru_add(struct list_lru *list_lru, struct zswap_entry *entry)
{
	struct mem_cgroup *memcg;

	/*
	 * The memcg may go offline meanwhile: its lists then move to the
	 * parent, and list_lru_add() finds the nearest live ancestor. RCU
	 * only keeps the memcg itself from being freed under us.
	 */
	rcu_read_lock();
	memcg = mem_cgroup_from_entry(entry);
	list_lru_add(list_lru, &entry->lru, entry->nid, memcg);
	rcu_read_unlock();
}

static void zswap_lru_del(struct list_lru *list_lru, struct zswap_entry *entry)
{
	struct mem_cgroup *memcg;

	rcu_read_lock();
	memcg = mem_cgroup_from_entry(entry);
	list_lru_del(list_lru, &entry->lru, entry->nid, memcg);
	rcu_read_unlock();
}

/* A page came from the swap device: the shrinker went too far there. */
void zswap_folio_swapin(struct folio *folio)
{
	struct lruvec *lruvec;

	if (!folio)
		return;
	lruvec = mem_cgroup_lruvec(folio_memcg(folio), NODE_DATA(folio_nid(folio)));
	atomic_long_inc(&lruvec->zswap_lruvec_state.nr_disk_swapins);
}

/* @memcg goes offline: move the shrink worker's cursor past it. */
void zswap_memcg_offline_cleanup(struct mem_cgroup *memcg)
{
	spin_lock(&zswap_shrink_lock);
	if (zswap_next_shrink == memcg) {
		do {
			zswap_next_shrink = mem_cgroup_iter(NULL, zswap_next_shrink, NULL);
		} while (zswap_next_shrink && !mem_cgroup_online(zswap_next_shrink));
	}
	spin_unlock(&zswap_shrink_lock);
}

/*********************************
* zswap entry functions
**********************************/
static struct kmem_cache *zswap_entry_cache;

static struct zswap_entry *zswap_entry_cache_alloc(gfp_t gfp, int nid)
{
	return kmem_cache_alloc_node(zswap_entry_cache, gfp, nid);
}

static void zswap_entry_cache_free(struct zswap_entry *entry)
{
	kmem_cache_free(zswap_entry_cache, entry);
}

/* Undo everything a stored entry holds; it is no longer in any tree. */
static void zswap_entry_free(struct zswap_entry *entry)
{
	zswap_lru_del(&zswap_list_lru, entry);
	zs_free(entry->pool->zs_pool, entry->handle);
	zswap_pool_put(entry->pool);
	if (entry->objcg) {
		obj_cgroup_uncharge_zswap(entry->objcg, entry->length);
		obj_cgroup_put(entry->objcg);
	}
	if (entry->length == PAGE_SIZE)
		atomic_long_dec(&zswap_stored_incompressible_pages);
	zswap_entry_cache_free(entry);
	atomic_long_dec(&zswap_stored_pages);
}

/*********************************
* compressed storage functions
**********************************/

/* Free a CPU's resources; NULL fields (never prepared, or torn down) are skipped. */
static void acomp_ctx_dealloc(struct crypto_acomp_ctx *acomp_ctx)
{
	unsigned int i;
	long bytes = 0;

	if (acomp_ctx->buffers) {
		for (i = 0; i < acomp_ctx->nr_buffers; i++) {
			if (acomp_ctx->buffers[i])
				bytes += PAGE_SIZE;
			kfree(acomp_ctx->buffers[i]);
		}
		bytes += acomp_ctx->nr_buffers * sizeof(*acomp_ctx->buffers);
		kfree(acomp_ctx->buffers);
	}
	if (acomp_ctx->sg_outputs)
		bytes += acomp_ctx->nr_buffers * sizeof(*acomp_ctx->sg_outputs);
	kfree(acomp_ctx->sg_outputs);
	if (acomp_ctx->req)
		bytes += sizeof(*acomp_ctx->req) + crypto_acomp_reqsize(acomp_ctx->acomp);
	acomp_request_free(acomp_ctx->req);
	crypto_free_acomp(acomp_ctx->acomp);
	atomic_long_sub(bytes, &zswap_acomp_ctx_mem);

	acomp_ctx->buffers = NULL;
	acomp_ctx->sg_outputs = NULL;
	acomp_ctx->req = NULL;
	acomp_ctx->acomp = NULL;
	acomp_ctx->nr_buffers = 0;
}

/*
 * Startup callback of CPUHP_MM_ZSWP_POOL_PREPARE, on the control task
 * before @cpu comes online, and for every online CPU when a pool is added.
 *
 * Everything is allocated into a local context first and only published
 * under the mutex afterwards: allocating with the mutex held can enter
 * reclaim, which can enter zswap on this CPU and take the same mutex
 * (known race 1b).
 *
 * Pool model: idempotent (a CPU that went offline and comes back keeps
 * what it had), and on failure what was allocated stays for the pool's
 * destruction path to free, as there is no teardown to roll it back.
 */
static int zswap_cpu_comp_prepare(unsigned int cpu, struct hlist_node *node)
{
	struct zswap_pool *pool = hlist_entry(node, struct zswap_pool, node);
	struct crypto_acomp_ctx *acomp_ctx = per_cpu_ptr(pool->acomp_ctx, cpu);
	struct crypto_acomp_ctx new = { };
	unsigned int i, nr;
	int nid = cpu_to_node(cpu);
	long bytes;
	int ret = -ENOMEM;

	if (zswap_ctx_lifetime == ZSWAP_CTX_POOL && READ_ONCE(acomp_ctx->acomp))
		return 0;

#ifdef ZSIM_RACE_1B
	/*
	 * known race 1b: as 12dcb0ef5406 left it, everything allocated
	 * with the mutex held. Reclaim from these GFP_KERNEL allocations can
	 * store into zswap on this CPU and wait for this very mutex. "mm:
	 * zswap: move allocations during CPU init outside the lock" allocates
	 * first and takes the mutex only to publish.
	 */
	mutex_lock(&acomp_ctx->mutex);
#endif
	new.acomp = crypto_alloc_acomp_node(pool->tfm_name, 0, 0, nid);
	if (IS_ERR(new.acomp)) {
		pr_err("could not alloc crypto acomp %s : %ld\n", pool->tfm_name,
		       PTR_ERR(new.acomp));
		ret = PTR_ERR(new.acomp);
		new.acomp = NULL;
		goto fail;
	}

	/*
	 * As upstream, the value depends on the algorithm alone (and on the
	 * pool's own limit, fixed at its creation), so every CPU, prepared at
	 * creation or coming up later, finds the same one and holds as many
	 * buffers as zswap_compress() fills.
	 */
	nr = min3(ZSWAP_MAX_BATCH_SIZE, crypto_acomp_batch_size(new.acomp),
		  pool->max_compr_batch_size);
	WRITE_ONCE(pool->compr_batch_size, nr);
	WRITE_ONCE(pool->store_batch_size, nr > 1 ? nr : ZSWAP_MAX_BATCH_SIZE);

	new.req = acomp_request_alloc(new.acomp);
	if (!new.req) {
		pr_err("could not alloc crypto acomp_request %s\n", pool->tfm_name);
		goto fail;
	}

	new.nr_buffers = nr;
	new.buffers = kcalloc_node(nr, sizeof(*new.buffers), GFP_KERNEL, nid);
	if (!new.buffers)
		goto fail;
	for (i = 0; i < nr; i++) {
		/*
		 * One page, as the request's dlen: a compressor whose output
		 * does not fit stops at dlen with -ENOSPC and the page is kept
		 * uncompressed (zswap_compress()).
		 */
		new.buffers[i] = kmalloc_node(PAGE_SIZE, GFP_KERNEL, nid);
		if (!new.buffers[i])
			goto fail;
	}

	new.sg_outputs = kcalloc_node(nr, sizeof(*new.sg_outputs), GFP_KERNEL, nid);
	if (!new.sg_outputs)
		goto fail;

	bytes = nr * (PAGE_SIZE + sizeof(*new.buffers) + sizeof(*new.sg_outputs)) +
		sizeof(*new.req) + crypto_acomp_reqsize(new.acomp);
	atomic_long_add(bytes, &zswap_acomp_ctx_mem);

#ifndef ZSIM_RACE_1B
	mutex_lock(&acomp_ctx->mutex);
#endif
	acomp_ctx->acomp = new.acomp;
	acomp_ctx->buffers = new.buffers;
	acomp_ctx->sg_outputs = new.sg_outputs;
	acomp_ctx->nr_buffers = nr;
	/*
	 * Synchronous algorithms never call the callback and crypto_wait_req()
	 * returns at once; asynchronous ones complete the wait.
	 */
	crypto_init_wait(&acomp_ctx->wait);
	acomp_request_set_callback(new.req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &acomp_ctx->wait);
	acomp_request_set_unit_size(new.req, PAGE_SIZE);
	/* Last: the hotplug model's users test req to know it is usable. */
	acomp_ctx->req = new.req;
	mutex_unlock(&acomp_ctx->mutex);
	return 0;

fail:
#ifdef ZSIM_RACE_1B
	mutex_unlock(&acomp_ctx->mutex);
#endif
	/* Nothing was published: free the local copy (bytes not counted yet). */
	if (new.buffers) {
		for (i = 0; i < new.nr_buffers; i++)
			kfree(new.buffers[i]);
		kfree(new.buffers);
	}
	kfree(new.sg_outputs);
	acomp_request_free(new.req);
	crypto_free_acomp(new.acomp);
	return ret;
}

/*
 * Hotplug model: teardown of CPUHP_MM_ZSWP_POOL_PREPARE, after @cpu is
 * dead, and for every online CPU when a pool is removed. The resources are
 * unpublished under the mutex, so a task that looked up this CPU's context
 * before migrating away sees req NULL once it gets the mutex and retries
 * on its new CPU (12dcb0ef5406), and freed after it is dropped:
 * crypto_free_acomp() can wait for the algorithm registry, whose holder
 * may be in reclaim waiting for this mutex (known race 1c).
 */
static int zswap_cpu_comp_dead(unsigned int cpu, struct hlist_node *node)
{
	struct zswap_pool *pool = hlist_entry(node, struct zswap_pool, node);
	struct crypto_acomp_ctx *acomp_ctx = per_cpu_ptr(pool->acomp_ctx, cpu);
	struct crypto_acomp_ctx old;

#if defined(ZSIM_RACE_1)
	/*
	 * known race 1 (CVE-2025-21693): before 12dcb0ef5406 the
	 * resources were freed without the mutex and the pointers left as
	 * they were, so a task that looked up this CPU's context before it
	 * went offline goes on using freed memory.
	 */
	old.acomp = acomp_ctx->acomp;
	old.req = acomp_ctx->req;
	old.buffers = acomp_ctx->buffers;
	old.sg_outputs = acomp_ctx->sg_outputs;
	old.nr_buffers = acomp_ctx->nr_buffers;
	acomp_ctx_dealloc(&old);
	return 0;
#elif defined(ZSIM_RACE_1C)
	/*
	 * known race 1c: as 12dcb0ef5406 did it, freed under the mutex.
	 * crypto_free_acomp() takes scomp_lock, whose holder in
	 * crypto_alloc_acomp_node() may be in reclaim waiting for this mutex:
	 * ABBA. "mm: zswap: fix crypto_free_acomp() deadlock in
	 * zswap_cpu_comp_dead()" frees after unlocking, as below.
	 */
	mutex_lock(&acomp_ctx->mutex);
	acomp_ctx_dealloc(acomp_ctx);
	mutex_unlock(&acomp_ctx->mutex);
	return 0;
#endif
	mutex_lock(&acomp_ctx->mutex);
	old.acomp = acomp_ctx->acomp;
	old.req = acomp_ctx->req;
	old.buffers = acomp_ctx->buffers;
	old.sg_outputs = acomp_ctx->sg_outputs;
	old.nr_buffers = acomp_ctx->nr_buffers;
	acomp_ctx->req = NULL;
	acomp_ctx->acomp = NULL;
	acomp_ctx->buffers = NULL;
	acomp_ctx->sg_outputs = NULL;
	acomp_ctx->nr_buffers = 0;
	mutex_unlock(&acomp_ctx->mutex);

	acomp_ctx_dealloc(&old);
	return 0;
}

/*
 * The context of the CPU we run on, locked. The task may migrate while it
 * waits for the mutex: the context stays the one it locked, which is safe
 * in the pool model (it lives as long as the pool we hold) and re-checked
 * in the hotplug model (its CPU may have gone and freed it).
 */
static struct crypto_acomp_ctx *acomp_ctx_get_cpu_lock(struct zswap_pool *pool)
{
	struct crypto_acomp_ctx *acomp_ctx;

#ifdef ZSIM_RACE_1
	/* known race 1: before 12dcb0ef5406, no re-check and no retry. */
	acomp_ctx = raw_cpu_ptr(pool->acomp_ctx);
	mutex_lock(&acomp_ctx->mutex);
	return acomp_ctx;
#endif
	for (;;) {
		acomp_ctx = raw_cpu_ptr(pool->acomp_ctx);
		mutex_lock(&acomp_ctx->mutex);
		if (likely(acomp_ctx->req))
			return acomp_ctx;
		/* Only a torn-down CPU's context is empty. */
		WARN_ON_ONCE(zswap_ctx_lifetime == ZSWAP_CTX_POOL);
		mutex_unlock(&acomp_ctx->mutex);
	}
}

static void acomp_ctx_put_unlock(struct crypto_acomp_ctx *acomp_ctx)
{
	mutex_unlock(&acomp_ctx->mutex);
}

/*
 * Compress the @nr units of one request, pages @start..@start + @nr - 1 of
 * @folio (nr <= the pool's compr_batch_size), into the context's buffers.
 * A batching driver takes the units in parallel, the acomp core runs them
 * one by one for the others. Each unit's result goes to @unit_ret (0 or a
 * negative errno) and @dlen (its compressed length, 0 on failure): a
 * batch reports a unit in its output entry's length, a single request in
 * dlen.
 */
static void zswap_compress_units(struct crypto_acomp_ctx *acomp_ctx,
				 struct folio *folio, long start, unsigned int nr,
				 int unit_ret[], unsigned int dlen[])
{
	struct scatterlist input;
	unsigned int i;
	int err;

	sg_init_table(&input, 1);
	sg_set_folio(&input, folio, nr * PAGE_SIZE, start * PAGE_SIZE);

	/*
	 * Each unit gets a page of room: output that does not fit is -ENOSPC,
	 * and such a page is better stored as it is.
	 */
	sg_init_table(acomp_ctx->sg_outputs, nr);
	for (i = 0; i < nr; i++)
		sg_set_buf(&acomp_ctx->sg_outputs[i], acomp_ctx->buffers[i], PAGE_SIZE);

	acomp_request_set_params(acomp_ctx->req, &input, acomp_ctx->sg_outputs,
				 nr * PAGE_SIZE, nr * PAGE_SIZE);
	acomp_request_set_unit_size(acomp_ctx->req, PAGE_SIZE);

	err = crypto_wait_req(crypto_acomp_compress(acomp_ctx->req), &acomp_ctx->wait);

	for (i = 0; i < nr; i++) {
		int res;

		if (nr == 1) {
			unit_ret[i] = err;
			dlen[i] = err ? 0 : acomp_ctx->req->dlen;
		} else if (err && err != -EINVAL) {
			/* The whole request failed, no unit has a result. */
			unit_ret[i] = err;
			dlen[i] = 0;
		} else {
			res = (int)acomp_ctx->sg_outputs[i].length;
			unit_ret[i] = res < 0 ? res : 0;
			dlen[i] = res < 0 ? 0 : res;
		}
		/* Empty or no smaller than a page: not worth keeping compressed. */
		if (!unit_ret[i] && (!dlen[i] || dlen[i] >= PAGE_SIZE))
			unit_ret[i] = -EINVAL;
	}
}

/* Count each failed unit of a request as a reject; true if one failed. */
static bool zswap_count_rejects(const int unit_ret[], unsigned int nr)
{
	bool failed = false;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (unit_ret[i] == -ENOSPC)
			zswap_reject_compress_poor++;
		else if (unit_ret[i])
			zswap_reject_compress_fail++;
		failed |= unit_ret[i] != 0;
	}
	return failed;
}

/*
 * Compress pages @start..@start + @nr_pages - 1 of @folio (one store batch,
 * at most ZSWAP_MAX_BATCH_SIZE) in requests of the pool's compr_batch_size
 * pages, under one hold of the CPU's context, and give each page its
 * zsmalloc object. A page that does not compress is kept uncompressed when
 * its memcg may write back, so that it can still leave zswap later.
 * Otherwise a request with a failed unit fails the store before any of its
 * units is allocated, and each failed unit counts as a reject.
 */
static bool zswap_compress(struct folio *folio, long start, unsigned int nr_pages,
			   struct zswap_entry *entries[], struct zswap_pool *pool,
			   int nid, bool wb_enabled)
{
	gfp_t gfp = GFP_NOWAIT | __GFP_NORETRY | __GFP_HIGHMEM | __GFP_MOVABLE;
	unsigned int compr_batch_size = READ_ONCE(pool->compr_batch_size);
	unsigned int dlen[ZSWAP_MAX_BATCH_SIZE];
	int unit_ret[ZSWAP_MAX_BATCH_SIZE];
	struct crypto_acomp_ctx *acomp_ctx;
	unsigned int i, j, nr;
	unsigned long handle;
	bool ret = false;
	void *src, *mapped;

	acomp_ctx = acomp_ctx_get_cpu_lock(pool);

	for (i = 0; i < nr_pages; i += nr) {
		nr = min(compr_batch_size, nr_pages - i);
		zswap_compress_units(acomp_ctx, folio, start + i, nr, unit_ret, dlen);

		if (!wb_enabled && zswap_count_rejects(unit_ret, nr))
			goto unlock;

		for (j = 0; j < nr; j++) {
			mapped = NULL;
			if (unit_ret[j]) {
				dlen[j] = PAGE_SIZE;
				mapped = kmap_local_page(folio_page(folio, start + i + j));
				src = mapped;
			} else {
				src = acomp_ctx->buffers[j];
			}

			handle = zs_malloc(pool->zs_pool, dlen[j], gfp, nid);
			if (IS_ERR_VALUE(handle)) {
				if (PTR_ERR((void *)handle) == -ENOSPC)
					zswap_reject_compress_poor++;
				else
					zswap_reject_alloc_fail++;
				if (mapped)
					kunmap_local(mapped);
				goto unlock;
			}

			zs_obj_write(pool->zs_pool, handle, src, dlen[j]);
			if (mapped)
				kunmap_local(mapped);
			entries[i + j]->handle = handle;
			entries[i + j]->length = dlen[j];
		}
	}
	ret = true;

unlock:
	acomp_ctx_put_unlock(acomp_ctx);
	return ret;
}

/* Decompress @entry into the first page of @folio; false on failure. */
static bool zswap_decompress(struct zswap_entry *entry, struct folio *folio)
{
	struct zswap_pool *pool = entry->pool;
	struct scatterlist input[2], output;
	struct crypto_acomp_ctx *acomp_ctx;
	int decomp_ret = 0, dlen = PAGE_SIZE;
	void *dst;

	acomp_ctx = acomp_ctx_get_cpu_lock(pool);
	/* One or two entries: the object may straddle two pages (7.0). */
	zs_obj_read_sg_begin(pool->zs_pool, entry->handle, input, entry->length);

	if (entry->length == PAGE_SIZE) {
		/* Stored uncompressed. */
		dst = kmap_local_folio(folio, 0);
		memcpy_from_sglist(dst, input, 0, PAGE_SIZE);
		kunmap_local(dst);
	} else {
		sg_init_table(&output, 1);
		sg_set_folio(&output, folio, PAGE_SIZE, 0);
		acomp_request_set_params(acomp_ctx->req, input, &output,
					 entry->length, PAGE_SIZE);
		/* unit_size PAGE_SIZE == dlen: a single request. */
		acomp_request_set_unit_size(acomp_ctx->req, PAGE_SIZE);
		decomp_ret = crypto_wait_req(crypto_acomp_decompress(acomp_ctx->req),
					     &acomp_ctx->wait);
		dlen = acomp_ctx->req->dlen;
	}

	zs_obj_read_sg_end(pool->zs_pool, entry->handle);
	acomp_ctx_put_unlock(acomp_ctx);

	if (!decomp_ret && dlen == PAGE_SIZE)
		return true;

	zswap_decompress_fail++;
	pr_alert_ratelimited("Decompression error from zswap (%d:%lu %s %u->%d)\n",
			     swp_type(entry->swpentry), swp_offset(entry->swpentry),
			     entry->pool->tfm_name, entry->length, dlen);
	return false;
}

/*********************************
* writeback code
**********************************/
/*
 * Write @entry, which the LRU walk found for @swpentry and may have been
 * freed since, back to its swap slot through the swap cache:
 * 0 when written; -EEXIST when the slot is in the swap cache already (a
 * page just swapped in: hot, leave it) or the device is going away;
 * -ENOMEM when no folio could be had or the entry is no longer the one in
 * the tree; -EIO when it failed to decompress.
 */
static int zswap_writeback_entry(struct zswap_entry *entry, swp_entry_t swpentry)
{
	struct xarray *tree;
	pgoff_t offset = swp_offset(swpentry);
	struct folio *folio;
	struct mempolicy *mpol;
	bool folio_was_allocated;
	struct swap_info_struct *si;
	int ret = 0;

#ifdef ZSIM_RACE_5
	/*
	 * known race 5: as before "mm/zswap: fix race between lru
	 * writeback and swapoff". The tree is looked up first and nothing
	 * pins the device: swapoff can invalidate the entry and free the tree
	 * (and the device's slot state) while we allocate the folio, and we
	 * then use both. The fix allocates the folio first and only then
	 * looks at the tree; get_swap_device() later pinned the device.
	 */
	(void)si;
	tree = swap_zswap_tree(swpentry);
	mpol = get_task_policy(current);
	folio = swap_cache_alloc_folio(swpentry, GFP_KERNEL, mpol, NO_INTERLEAVE_INDEX,
				       &folio_was_allocated);
	if (!folio)
		return -ENOMEM;
#else
	/* Pins the device against swapoff, and so the tree (race 5). */
	si = get_swap_device(swpentry);
	if (!si)
		return -EEXIST;

	mpol = get_task_policy(current);
	folio = swap_cache_alloc_folio(swpentry, GFP_KERNEL, mpol, NO_INTERLEAVE_INDEX,
				       &folio_was_allocated);
	put_swap_device(si);
	if (!folio)
		return -ENOMEM;
#endif

	/*
	 * A folio was cached already: swap-in or another writeback got
	 * there first. A page being swapped in is hot, so skip it; another
	 * writeback will free the entry itself.
	 */
	if (!folio_was_allocated) {
		ret = -EEXIST;
		goto out;
	}

	/*
	 * The locked swap cache folio now holds the slot against swapping
	 * in, out and off, so the tree can be looked at. The entry may have
	 * been invalidated and the slot reused for a new entry since the LRU
	 * walk let go (race 6): only the very same pointer may be written.
	 */
#ifndef ZSIM_RACE_5
	tree = swap_zswap_tree(swpentry);
#endif
	if (entry != xa_load(tree, offset)) {
#ifdef ZSIM_RACE_6
		/*
		 * known race 6: the re-check as 04fc7816089c added it. The
		 * folio leaves the swap cache but stays locked and referenced:
		 * a leaked page. e3b63e966cac unlocks and puts it as well.
		 */
		swap_cache_del_folio(folio);
		return -ENOMEM;
#endif
		ret = -ENOMEM;
		goto out;
	}

	if (!zswap_decompress(entry, folio)) {
		ret = -EIO;
		goto out;
	}

	xa_erase(tree, offset);

	count_vm_event(ZSWPWB);
	if (entry->objcg)
		count_objcg_events(entry->objcg, ZSWPWB, 1);

	zswap_entry_free(entry);

	folio_mark_uptodate(folio);

	/*
	 * The folio is charged to the slot's memcg and on its LRU
	 * (swap_cache_alloc_folio()): the end of the write moves it to the
	 * inactive tail, where reclaim frees it soon, or a swap-in finds it.
	 */
	folio_set_reclaim(folio);

	/* Unlocks the folio. */
	__swap_writepage(folio, NULL);

out:
	if (ret && folio_was_allocated) {
		swap_cache_del_folio(folio);
		folio_unlock(folio);
	}
	folio_put(folio);

	return ret;
}

/*********************************
* shrinker functions
**********************************/
/*
 * The LRU walk's callback, with the list locked. A referenced entry gets
 * a second chance. Any other is written back: the entry is rotated to the
 * tail first (if writeback fails, it is where it belongs; if it succeeds
 * or the entry is invalidated meanwhile, freeing it unlinks it), its swap
 * entry copied, the lock dropped; the entry itself may be gone after that.
 */
static enum lru_status shrink_memcg_cb(struct list_head *item, struct list_lru_one *l,
				       void *arg)
{
	struct zswap_entry *entry = container_of(item, struct zswap_entry, lru);
	bool *encountered_page_in_swapcache = (bool *)arg;
	swp_entry_t swpentry;
	enum lru_status ret = LRU_REMOVED_RETRY;
	int writeback_result;

	if (entry->referenced) {
		entry->referenced = false;
		return LRU_ROTATE;
	}

	list_move_tail(item, &l->list);

	swpentry = entry->swpentry;

	/* Every status returned from here on says the lock was dropped. */
	spin_unlock(&l->lock);

	writeback_result = zswap_writeback_entry(entry, swpentry);

	if (writeback_result) {
		zswap_reject_reclaim_fail++;
		ret = LRU_RETRY;

		/*
		 * A page in the swap cache means the walk reached the warm
		 * end of the LRU: the shrinker stops there. The shrink worker
		 * (no @arg) goes on.
		 */
		if (writeback_result == -EEXIST && encountered_page_in_swapcache) {
			ret = LRU_STOP;
			*encountered_page_in_swapcache = true;
		}
	} else {
		zswap_written_back_pages++;
	}

	return ret;
}

static unsigned long zswap_shrinker_scan(struct shrinker *shrinker,
					 struct shrink_control *sc)
{
	unsigned long shrink_ret;
	bool encountered_page_in_swapcache = false;

	if (!zswap_shrinker_enabled || !mem_cgroup_zswap_writeback_enabled(sc->memcg)) {
		sc->nr_scanned = 0;
		return SHRINK_STOP;
	}

	shrink_ret = list_lru_shrink_walk(&zswap_list_lru, sc, &shrink_memcg_cb,
					  &encountered_page_in_swapcache);

	if (encountered_page_in_swapcache)
		return SHRINK_STOP;

	return shrink_ret ? shrink_ret : SHRINK_STOP;
}

static unsigned long zswap_shrinker_count(struct shrinker *shrinker,
					  struct shrink_control *sc)
{
	/* The shim's shrink_slab() passes NULL for the root. */
	struct mem_cgroup *memcg = sc->memcg ? sc->memcg : root_mem_cgroup;
	struct lruvec *lruvec = mem_cgroup_lruvec(memcg, NODE_DATA(sc->nid));
	atomic_long_t *nr_disk_swapins = &lruvec->zswap_lruvec_state.nr_disk_swapins;
	unsigned long nr_backing, nr_stored, nr_freeable, nr_disk_swapins_cur, nr_remain;

	if (!zswap_shrinker_enabled || !mem_cgroup_zswap_writeback_enabled(memcg))
		return 0;

	/* Writeback does I/O: only for reclaim that may. */
	if (!gfp_has_io_fs(sc->gfp_mask))
		return 0;

	/*
	 * The memcg's own zswap statistics stand for this lruvec (they are
	 * not kept per node); without memcg, the pool-wide figures.
	 */
	if (!mem_cgroup_disabled()) {
		mem_cgroup_flush_stats(memcg);
		nr_backing = memcg_page_state(memcg, MEMCG_ZSWAP_B) >> PAGE_SHIFT;
		nr_stored = memcg_page_state(memcg, MEMCG_ZSWAPPED);
	} else {
		nr_backing = zswap_total_pages();
		nr_stored = atomic_long_read(&zswap_stored_pages);
	}

	if (!nr_stored)
		return 0;

	nr_freeable = list_lru_shrink_count(&zswap_list_lru, sc);
	if (!nr_freeable)
		return 0;

	/*
	 * Protect as many entries as pages recently had to come from the
	 * disk (writing those back was a mistake), consuming that count.
	 */
	nr_disk_swapins_cur = atomic_long_read(nr_disk_swapins);
	for (;;) {
		unsigned long seen;

		nr_remain = nr_freeable >= nr_disk_swapins_cur ?
			    0 : nr_disk_swapins_cur - nr_freeable;
		seen = atomic_long_cmpxchg(nr_disk_swapins, nr_disk_swapins_cur, nr_remain);
		if (seen == nr_disk_swapins_cur)
			break;
		nr_disk_swapins_cur = seen;
	}

	nr_freeable -= nr_disk_swapins_cur - nr_remain;
	if (!nr_freeable)
		return 0;

	/*
	 * Scale by the compression ratio: the better zswap compresses, the
	 * less writing an entry back saves.
	 */
	return mult_frac(nr_freeable, nr_backing, nr_stored);
}

static struct shrinker *zswap_alloc_shrinker(void)
{
	struct shrinker *shrinker;

	shrinker = shrinker_alloc(SHRINKER_NUMA_AWARE | SHRINKER_MEMCG_AWARE, "mm-zswap");
	if (!shrinker)
		return NULL;

	shrinker->scan_objects = zswap_shrinker_scan;
	shrinker->count_objects = zswap_shrinker_count;
	shrinker->batch = 0;
	shrinker->seeks = DEFAULT_SEEKS;
	return shrinker;
}

/*
 * Write back one entry per node from @memcg: 0 if any went, -EAGAIN if
 * none could, -ENOENT if @memcg has nothing to offer (writeback disabled,
 * offline, or empty lists).
 */
static int shrink_memcg(struct mem_cgroup *memcg)
{
	int nid, shrunk = 0, scanned = 0;

	if (!mem_cgroup_zswap_writeback_enabled(memcg))
		return -ENOENT;

	/* A zombie's lists were reparented: its walk would shrink the parent. */
	if (memcg && !mem_cgroup_online(memcg))
		return -ENOENT;

	for_each_node_state(nid, N_NORMAL_MEMORY) {
		unsigned long nr_to_walk = 1;

		shrunk += list_lru_walk_one(&zswap_list_lru, nid, memcg,
					    &shrink_memcg_cb, NULL, &nr_to_walk);
		scanned += 1 - nr_to_walk;
	}

	if (!scanned)
		return -ENOENT;

	return shrunk ? 0 : -EAGAIN;
}

/*
 * The pool is full: write entries back, one memcg after the other
 * round-robin from where the last run stopped, until the pool is down to
 * the accept threshold or MAX_RECLAIM_RETRIES rounds failed (a shrink that
 * wrote nothing, or a full walk of the tree that found no candidate).
 *
 * The cursor zswap_next_shrink holds a reference. An offline memcg's
 * cleanup moves the cursor on, but only once: so the cursor is only left
 * on a memcg that was online when taken under the lock, and the extra
 * reference taken then keeps it alive while it is shrunk.
 */
static void shrink_worker(struct work_struct *w)
{
	struct mem_cgroup *memcg;
	int ret, failures = 0, attempts = 0;
	unsigned long thr;

	thr = zswap_accept_thr_pages();

	do {
		spin_lock(&zswap_shrink_lock);
		do {
			memcg = mem_cgroup_iter(NULL, zswap_next_shrink, NULL);
			zswap_next_shrink = memcg;
		} while (memcg && !mem_cgroup_tryget_online(memcg));
		spin_unlock(&zswap_shrink_lock);

		if (!memcg) {
			/* End of a round: a failure only if it found no candidate. */
			if (!attempts && ++failures == MAX_RECLAIM_RETRIES)
				break;

			attempts = 0;
			goto resched;
		}

		ret = shrink_memcg(memcg);
		mem_cgroup_put(memcg);

		/* Nothing to write back here: not a failure, try the next. */
		if (ret == -ENOENT)
			continue;
		++attempts;

		if (ret && ++failures == MAX_RECLAIM_RETRIES)
			break;
resched:
		cond_resched();
	} while (zswap_total_pages() > thr);
}

#ifdef ZSIM_RACE_8
/* known race 8: a pool's shrink work drops the reference it was queued with. */
static void shrink_worker_pool(struct work_struct *w)
{
	struct zswap_pool *pool = container_of(w, typeof(*pool), shrink_work);

	shrink_worker(w);
	zswap_pool_put(pool);
}
#endif

/*********************************
* main API
**********************************/

/*
 * Store pages @start..@end - 1 of @folio (at most ZSWAP_MAX_BATCH_SIZE).
 * Entries are published in the tree before they join the LRU, and only
 * once fully built, so writeback never finds a half-made one. On failure,
 * entries already in the tree are left for zswap_store() to erase with the
 * rest of the folio's range; the others are freed here.
 */
static bool zswap_store_pages(struct folio *folio, long start, long end,
			      struct obj_cgroup *objcg, struct zswap_pool *pool,
			      int nid, bool wb_enabled)
{
	struct zswap_entry *entries[ZSWAP_MAX_BATCH_SIZE];
	unsigned int i, store_fail_idx = 0, nr_pages = end - start;

	for (i = 0; i < nr_pages; i++) {
		entries[i] = zswap_entry_cache_alloc(GFP_KERNEL, nid);
		if (unlikely(!entries[i])) {
			zswap_reject_kmemcache_fail++;
			/* Only entries[0 .. i - 1] need freeing. */
			nr_pages = i;
			goto store_pages_failed;
		}
		/* No object yet: the failure path must know (found by the sweep). */
		entries[i]->handle = (unsigned long)ERR_PTR(-EINVAL);
	}

	for (i = 0; i < nr_pages; i++) {
		entries[i]->pool = pool;
		entries[i]->swpentry = page_swap_entry(folio_page(folio, start + i));
		entries[i]->objcg = objcg;
		entries[i]->referenced = true;
		entries[i]->nid = nid;
		INIT_LIST_HEAD(&entries[i]->lru);
	}

	if (unlikely(!zswap_compress(folio, start, nr_pages, entries, pool, nid,
				     wb_enabled)))
		goto store_pages_failed;

	for (i = 0; i < nr_pages; i++) {
		struct zswap_entry *old, *entry = entries[i];

		old = xa_store(swap_zswap_tree(entry->swpentry),
			       swp_offset(entry->swpentry), entry, GFP_KERNEL);
		if (unlikely(xa_is_err(old))) {
			int err = xa_err(old);

			WARN_ONCE(err != -ENOMEM, "unexpected xarray error: %d\n", err);
			zswap_reject_alloc_fail++;
			store_fail_idx = i;
			goto store_pages_failed;
		}

		/* A stale copy from before the folio was redirtied. */
		if (unlikely(old))
			zswap_entry_free(old);

		/*
		 * In the tree now, and nothing can fail any more: take the
		 * references and the charge that zswap_entry_free() gives back.
		 */
		zswap_pool_get(pool);
		if (objcg) {
			obj_cgroup_get(objcg);
			obj_cgroup_charge_zswap(objcg, entry->length);
		}
		atomic_long_inc(&zswap_stored_pages);
		if (entry->length == PAGE_SIZE)
			atomic_long_inc(&zswap_stored_incompressible_pages);

		/*
		 * Finishing the entry while it is in the tree is safe: the
		 * folio is locked in the swap cache, so neither writeback nor
		 * a load or invalidation of this slot can reach it yet.
		 */
		zswap_lru_add(&zswap_list_lru, entry);
	}

	return true;

store_pages_failed:
	for (i = store_fail_idx; i < nr_pages; i++) {
		if (!IS_ERR_VALUE(entries[i]->handle))
			zs_free(pool->zs_pool, entries[i]->handle);
		zswap_entry_cache_free(entries[i]);
	}
	return false;
}

bool zswap_store(struct folio *folio)
{
	/*
	 * From the folio's memcg, not its objcg: a folio charged to the root
	 * has no objcg, and the root's memory.zswap.writeback applies to it.
	 */
	bool wb_enabled = mem_cgroup_zswap_writeback_enabled(folio_memcg(folio));
	long nr_pages = folio_nr_pages(folio);
	swp_entry_t swp = folio->swap;
	struct obj_cgroup *objcg = NULL;
	struct mem_cgroup *memcg = NULL;
	struct zswap_pool *pool;
	int nid = folio_nid(folio);
	bool ret = false;
	long index;

	VM_WARN_ON_ONCE(!folio_test_locked(folio));
	VM_WARN_ON_ONCE(!folio_test_swapcache(folio));

	if (!zswap_enabled)
		goto check_old;

	/* Over memory.zswap.max: make room by writing back synchronously. */
	objcg = get_obj_cgroup_from_folio(folio);
	if (objcg && !obj_cgroup_may_zswap(objcg)) {
		memcg = get_mem_cgroup_from_objcg(objcg);
		if (shrink_memcg(memcg)) {
			mem_cgroup_put(memcg);
			goto put_objcg;
		}
		mem_cgroup_put(memcg);
	}

	if (zswap_check_limits())
		goto put_objcg;

	pool = zswap_pool_current_get();
	if (!pool)
		goto put_objcg;

	if (objcg) {
		memcg = get_mem_cgroup_from_objcg(objcg);
		if (memcg_list_lru_alloc(memcg, &zswap_list_lru, GFP_KERNEL)) {
			mem_cgroup_put(memcg);
			goto put_pool;
		}
		mem_cgroup_put(memcg);
	}

	for (index = 0; index < nr_pages; index += pool->store_batch_size) {
		long end = min(index + (long)pool->store_batch_size, nr_pages);

		if (!zswap_store_pages(folio, index, end, objcg, pool, nid, wb_enabled))
			goto put_pool;
	}

	if (objcg)
		count_objcg_events(objcg, ZSWPOUT, nr_pages);

	count_vm_events(ZSWPOUT, nr_pages);

	ret = true;

put_pool:
	zswap_pool_put(pool);
put_objcg:
	obj_cgroup_put(objcg);
	if (!ret && zswap_pool_reached_full) {
#ifdef ZSIM_RACE_8
		/*
		 * known race 8, before 969d63e1af3b: a reference for the
		 * worker to drop, taken even when the work is already queued
		 * (queue_work() false). Each such store leaks one. The fix
		 * drops it again when queue_work() fails; since 6.8 the worker
		 * is global and takes no pool reference at all.
		 */
		pool = zswap_pool_current_get();
		if (pool)
			queue_work(shrink_wq, &pool->shrink_work);
#else
		queue_work(shrink_wq, &zswap_shrink_work);
#endif
	}
check_old:
	/*
	 * Whatever this folio's slots held before must go when it is not
	 * stored now (failure, or zswap disabled): writeback of a stale copy
	 * would overwrite the new data on the device.
	 */
	if (!ret) {
		unsigned int type = swp_type(swp);
		pgoff_t offset = swp_offset(swp);
		struct zswap_entry *entry;
		struct xarray *tree;

		for (index = 0; index < nr_pages; ++index) {
			tree = swap_zswap_tree(swp_entry(type, offset + index));
			entry = xa_erase(tree, offset + index);
			if (entry)
				zswap_entry_free(entry);
		}
	}

	return ret;
}

int zswap_load(struct folio *folio)
{
	swp_entry_t swp = folio->swap;
	pgoff_t offset = swp_offset(swp);
	struct xarray *tree;
	struct zswap_entry *entry;

	VM_WARN_ON_ONCE(!folio_test_locked(folio));
	VM_WARN_ON_ONCE(!folio_test_swapcache(folio));

	if (zswap_never_enabled())
		return -ENOENT;

	/*
	 * zswap stores large folios but loads only single pages: a large
	 * folio may be partly in zswap and partly not.
	 */
	if (WARN_ON_ONCE(folio_test_large(folio))) {
		folio_unlock(folio);
		return -EINVAL;
	}

	tree = swap_zswap_tree(swp);
	entry = xa_load(tree, offset);
	if (!entry)
		return -ENOENT;

	if (!zswap_decompress(entry, folio)) {
		folio_unlock(folio);
		return -EIO;
	}

	folio_mark_uptodate(folio);

	count_vm_event(ZSWPIN);
	if (entry->objcg)
		count_objcg_events(entry->objcg, ZSWPIN, 1);

	/*
	 * Loads are exclusive: the folio in the swap cache is now the only
	 * copy, so it is dirty (it must be written again to be swapped out)
	 * and the entry goes. The swap cache keeps the slot meanwhile.
	 */
	folio_mark_dirty(folio);
	xa_erase(tree, offset);
	zswap_entry_free(entry);

	folio_unlock(folio);
	return 0;
}

void zswap_invalidate(swp_entry_t swp)
{
	pgoff_t offset = swp_offset(swp);
	struct xarray *tree;
	struct zswap_entry *entry;

	/* No tree: the device came up before zswap did (machine shutdown). */
	if (!zswap_trees[swp_type(swp)])
		return;

	tree = swap_zswap_tree(swp);
	if (xa_empty(tree))
		return;

	entry = xa_erase(tree, offset);
	if (entry)
		zswap_entry_free(entry);
}

int zswap_swapon(int type, unsigned long nr_pages)
{
	struct xarray *trees, *tree;
	unsigned int nr, i;

	nr = DIV_ROUND_UP(nr_pages, ZSWAP_ADDRESS_SPACE_PAGES);
	trees = kvcalloc(nr, sizeof(*tree), GFP_KERNEL);
	if (!trees) {
		pr_err("alloc failed, zswap disabled for swap type %d\n", type);
		return -ENOMEM;
	}

	for (i = 0; i < nr; i++)
		xa_init(trees + i);

	nr_zswap_trees[type] = nr;
	zswap_trees[type] = trees;
	return 0;
}

void zswap_swapoff(int type)
{
	struct xarray *trees = zswap_trees[type];
	unsigned int i;

	if (!trees)
		return;

	/* Every slot was freed, so every entry invalidated, before this. */
	for (i = 0; i < nr_zswap_trees[type]; i++)
		WARN_ON_ONCE(!xa_empty(trees + i));

	kvfree(trees);
	nr_zswap_trees[type] = 0;
	zswap_trees[type] = NULL;
}

/*********************************
* debugfs functions
**********************************/
static struct dentry *zswap_debugfs_root;

static int debugfs_get_total_size(void *data, u64 *val)
{
	*val = zswap_total_pages() * PAGE_SIZE;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(total_size_fops, debugfs_get_total_size, NULL, "%llu\n");

static int debugfs_get_stored_pages(void *data, u64 *val)
{
	*val = atomic_long_read(&zswap_stored_pages);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(stored_pages_fops, debugfs_get_stored_pages, NULL, "%llu\n");

static int debugfs_get_stored_incompressible_pages(void *data, u64 *val)
{
	*val = atomic_long_read(&zswap_stored_incompressible_pages);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(stored_incompressible_pages_fops,
			 debugfs_get_stored_incompressible_pages, NULL, "%llu\n");

unsigned long zswap_acomp_ctx_bytes(void)
{
	return atomic_long_read(&zswap_acomp_ctx_mem);
}

static int debugfs_get_acomp_ctx_bytes(void *data, u64 *val)
{
	*val = zswap_acomp_ctx_bytes();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(acomp_ctx_bytes_fops, debugfs_get_acomp_ctx_bytes, NULL, "%llu\n");

static int zswap_debugfs_init(void)
{
	if (!debugfs_initialized())
		return -ENODEV;

	zswap_debugfs_root = debugfs_create_dir("zswap", NULL);

	debugfs_create_u64("pool_limit_hit", 0444, zswap_debugfs_root,
			   &zswap_pool_limit_hit);
	debugfs_create_u64("reject_reclaim_fail", 0444, zswap_debugfs_root,
			   &zswap_reject_reclaim_fail);
	debugfs_create_u64("reject_alloc_fail", 0444, zswap_debugfs_root,
			   &zswap_reject_alloc_fail);
	debugfs_create_u64("reject_kmemcache_fail", 0444, zswap_debugfs_root,
			   &zswap_reject_kmemcache_fail);
	debugfs_create_u64("reject_compress_fail", 0444, zswap_debugfs_root,
			   &zswap_reject_compress_fail);
	debugfs_create_u64("reject_compress_poor", 0444, zswap_debugfs_root,
			   &zswap_reject_compress_poor);
	debugfs_create_u64("decompress_fail", 0444, zswap_debugfs_root,
			   &zswap_decompress_fail);
	debugfs_create_u64("written_back_pages", 0444, zswap_debugfs_root,
			   &zswap_written_back_pages);
	debugfs_create_file("pool_total_size", 0444, zswap_debugfs_root, NULL,
			    &total_size_fops);
	debugfs_create_file("stored_pages", 0444, zswap_debugfs_root, NULL,
			    &stored_pages_fops);
	debugfs_create_file("stored_incompressible_pages", 0444, zswap_debugfs_root, NULL,
			    &stored_incompressible_pages_fops);
	debugfs_create_file("acomp_ctx_bytes", 0444, zswap_debugfs_root, NULL,
			    &acomp_ctx_bytes_fops);

	return 0;
}

/*********************************
* module init and exit
**********************************/
static int zswap_setup(void)
{
	struct zswap_pool *pool;
	int ret;

	zswap_ctx_lifetime = zswap_ctx_lifetime_param;

	zswap_entry_cache = KMEM_CACHE(zswap_entry, 0);
	if (!zswap_entry_cache) {
		pr_err("entry cache creation failed\n");
		goto cache_fail;
	}

	ret = cpuhp_setup_state_multi(CPUHP_MM_ZSWP_POOL_PREPARE, "mm/zswap_pool:prepare",
				      zswap_cpu_comp_prepare,
				      zswap_ctx_lifetime == ZSWAP_CTX_HOTPLUG ?
				      zswap_cpu_comp_dead : NULL);
	if (ret)
		goto hp_fail;

	shrink_wq = alloc_workqueue("zswap-shrink", WQ_UNBOUND | WQ_MEM_RECLAIM, 1);
	if (!shrink_wq)
		goto shrink_wq_fail;

	zswap_shrinker = zswap_alloc_shrinker();
	if (!zswap_shrinker)
		goto shrinker_fail;
	if (list_lru_init_memcg(&zswap_list_lru, zswap_shrinker))
		goto lru_fail;
	shrinker_register(zswap_shrinker);

	INIT_WORK(&zswap_shrink_work, shrink_worker);

	pool = __zswap_pool_create_fallback();
	if (pool) {
		pr_info("loaded using pool %s (%s contexts)\n", pool->tfm_name,
			zswap_ctx_lifetime_names[zswap_ctx_lifetime]);
		list_add(&pool->list, &zswap_pools);
		zswap_has_pool = true;
		static_branch_enable(&zswap_ever_enabled);
	} else {
		pr_err("pool creation failed\n");
		zswap_enabled = false;
	}

	if (zswap_debugfs_init())
		pr_warn("debugfs initialization failed\n");
	zswap_init_state = ZSWAP_INIT_SUCCEED;
	return 0;

lru_fail:
	shrinker_free(zswap_shrinker);
	zswap_shrinker = NULL;
shrinker_fail:
	destroy_workqueue(shrink_wq);
	shrink_wq = NULL;
shrink_wq_fail:
	cpuhp_remove_multi_state(CPUHP_MM_ZSWP_POOL_PREPARE);
hp_fail:
	kmem_cache_destroy(zswap_entry_cache);
	zswap_entry_cache = NULL;
cache_fail:
	/* If initialization fails, zswap stays off for the machine's life. */
	zswap_init_state = ZSWAP_INIT_FAILED;
	zswap_enabled = false;
	return -ENOMEM;
}

/*
 * The boot values of zswap's static state. Also run at init: a machine
 * that wedged (a deadlock in the controlled backend) is abandoned without
 * its exit functions, and the next one must not inherit its pools.
 */
static void zswap_reset_state(void)
{
	unsigned int type;

	zswap_init_state = ZSWAP_UNINIT;
	zswap_pool_reached_full = false;
	atomic_long_set(&zswap_stored_pages, 0);
	atomic_long_set(&zswap_stored_incompressible_pages, 0);
	atomic_long_set(&zswap_acomp_ctx_mem, 0);
	zswap_pool_limit_hit = 0;
	zswap_written_back_pages = 0;
	zswap_reject_reclaim_fail = 0;
	zswap_reject_compress_fail = 0;
	zswap_reject_compress_poor = 0;
	zswap_reject_alloc_fail = 0;
	zswap_reject_kmemcache_fail = 0;
	zswap_decompress_fail = 0;
	if (IS_ENABLED(CONFIG_ZSWAP_DEFAULT_ON))
		static_branch_enable(&zswap_ever_enabled);
	else
		static_branch_disable(&zswap_ever_enabled);
	INIT_LIST_HEAD(&zswap_pools);
	atomic_set(&zswap_pools_count, 0);
	zswap_has_pool = false;
	zswap_next_shrink = NULL;
	zswap_entry_cache = NULL;
	zswap_shrinker = NULL;
	shrink_wq = NULL;
	zswap_debugfs_root = NULL;
	for (type = 0; type < MAX_SWAPFILES; type++) {
		zswap_trees[type] = NULL;
		nr_zswap_trees[type] = 0;
	}
}

static int __init zswap_init(void)
{
	zswap_reset_state();
	if (!zswap_enabled)
		return 0;
	return zswap_setup();
}
/* Must run after the compressors and zsmalloc have registered. */
late_initcall(zswap_init);

/* Free the entries of devices still on: the machine stops under them. */
static void zswap_free_trees(void)
{
	struct zswap_entry *entry;
	unsigned long index;
	unsigned int type, i;

	for (type = 0; type < MAX_SWAPFILES; type++) {
		if (!zswap_trees[type])
			continue;
		for (i = 0; i < nr_zswap_trees[type]; i++) {
			xa_for_each(&zswap_trees[type][i], index, entry) {
				xa_erase(&zswap_trees[type][i], index);
				zswap_entry_free(entry);
			}
		}
		kvfree(zswap_trees[type]);
		zswap_trees[type] = NULL;
		nr_zswap_trees[type] = 0;
	}
}

/*
 * Simulator addition: the kernel never unloads zswap; the simulator stops
 * machines and boots new ones in the same process, so everything set up
 * goes and the static state returns to its boot values (the parameters
 * keep theirs, as every module's do).
 */
static void __exit zswap_exit(void)
{
	struct zswap_pool *pool;

	/* Devices still on have trees even if zswap was never set up. */
	zswap_free_trees();
	if (zswap_init_state == ZSWAP_INIT_SUCCEED) {
		shrinker_free(zswap_shrinker);
		zswap_shrinker = NULL;
		cancel_work_sync(&zswap_shrink_work);
#ifdef ZSIM_RACE_8
		/* Pool shrink works still queued hold their pool's reference. */
		flush_workqueue(shrink_wq);
#endif

		spin_lock(&zswap_shrink_lock);
		if (zswap_next_shrink)
			mem_cgroup_iter_break(NULL, zswap_next_shrink);
		zswap_next_shrink = NULL;
		spin_unlock(&zswap_shrink_lock);

		/*
		 * Every pool is empty now. Pools a compressor switch killed
		 * may still be in their percpu_ref's switch to atomic mode,
		 * which ends in a grace period's callback: let them reach zero
		 * and be released first. Unlinked before that, the current
		 * pool would leave one of them at the head of the list, and
		 * its release would find itself current.
		 */
		rcu_barrier();
		flush_scheduled_work();

		/*
		 * The current one is unlinked here (no task can be looking at
		 * the list at shutdown), so that killing its initial reference
		 * releases it like any other.
		 */
		spin_lock_bh(&zswap_pools_lock);
		pool = list_first_or_null_rcu(&zswap_pools, typeof(*pool), list);
		if (pool)
			list_del_init(&pool->list);
		zswap_has_pool = false;
		spin_unlock_bh(&zswap_pools_lock);
		if (pool)
			percpu_ref_kill(&pool->ref);
		rcu_barrier();
		flush_scheduled_work();
		WARN_ON(!list_empty(&zswap_pools));

		destroy_workqueue(shrink_wq);
		shrink_wq = NULL;
		list_lru_destroy(&zswap_list_lru);
		cpuhp_remove_multi_state(CPUHP_MM_ZSWP_POOL_PREPARE);
		debugfs_remove(zswap_debugfs_root);
		zswap_debugfs_root = NULL;
		kmem_cache_destroy(zswap_entry_cache);
		zswap_entry_cache = NULL;
	}
	WARN_ON(atomic_long_read(&zswap_acomp_ctx_mem));
	zswap_reset_state();
}
module_exit(zswap_exit);
