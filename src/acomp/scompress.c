// SPDX-License-Identifier: GPL-2.0-only
/*
 * Synchronous compression algorithms behind the acomp API
 * (crypto/scompress.c): see <crypto/internal/scompress.h>.
 *
 * Each tfm owns one workspace of the algorithm (alloc_ctx()), used under a
 * mutex; the kernel keeps per-CPU streams under spinlocks instead. A
 * source that is not one linear piece (a zsmalloc object that spans two
 * pages) is copied into the CPU's scratch page and used from there, under
 * the page's lock, as the kernel's (since 6.15): the first possible CPU's
 * page comes with the first tfm, another CPU's is allocated by a work item
 * on its first use, which meanwhile borrows the first CPU's. A request
 * never allocates, so it cannot fail for memory. A destination must be one
 * linear piece (-ENOSYS otherwise), as since 6.16.
 *
 * scomp_lock serialises creating and freeing the workspaces, as the
 * kernel's serialises its scratch buffers' (crypto_scomp_init_tfm() and
 * crypto_exit_scomp_ops_async()): it is held across the workspace's
 * GFP_KERNEL allocation under crypto_alloc_acomp_node() and across its
 * freeing under crypto_free_acomp(), which makes freeing a tfm under a
 * lock that reclaim takes an ABBA deadlock (known race 1c (docs/fuzzing.md)).
 */
#include <crypto/internal/scompress.h>
#include <crypto/scatterwalk.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <sim/init.h>
#include <sim/timing.h>
#include "cost.h"

static DEFINE_MUTEX(scomp_lock);

struct scomp_scratch {
	spinlock_t	lock;
	void		*src;		/* one page, or NULL */
};

static DEFINE_PER_CPU(struct scomp_scratch, scomp_scratch);
static unsigned int scomp_scratch_users;	/* tfms; under scomp_lock */
static cpumask_t scomp_scratch_want;		/* CPUs waiting for a page */
static struct work_struct scomp_scratch_work;

struct scomp_tfm_ctx {
	struct mutex lock;		/* serialises the workspace */
	void *ctx;			/* the algorithm's workspace */
	const struct acomp_cost *cost;	/* NULL: not in the table, free */
};

/* Install @page as @cpu's scratch page; false if it already has one. */
static bool scomp_install_scratch(int cpu, struct page *page)
{
	struct scomp_scratch *scratch = per_cpu_ptr(&scomp_scratch, cpu);
	bool done = false;

	spin_lock_bh(&scratch->lock);
	if (!scratch->src) {
		scratch->src = page_address(page);
		done = true;
	}
	spin_unlock_bh(&scratch->lock);
	return done;
}

static void scomp_free_scratches(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct scomp_scratch *scratch = per_cpu_ptr(&scomp_scratch, cpu);
		void *src;

		spin_lock_bh(&scratch->lock);
		src = scratch->src;
		scratch->src = NULL;
		spin_unlock_bh(&scratch->lock);
		if (src)
			free_page((unsigned long)src);
	}
}

/*
 * The pages CPUs asked for, each allocated unlocked as the kernel's work
 * does. Shim: installed under scomp_lock, so that none is left behind
 * after the last tfm freed the others.
 */
static void scomp_scratch_workfn(struct work_struct *work)
{
	int cpu;

	for_each_cpu(cpu, &scomp_scratch_want) {
		struct page *page;
		bool used = false;

		/* Racy, as the kernel's: the install below checks again. */
		if (READ_ONCE(per_cpu_ptr(&scomp_scratch, cpu)->src)) {
			cpumask_clear_cpu(cpu, &scomp_scratch_want);
			continue;
		}
		page = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL, 0);
		if (!page)
			break;
		mutex_lock(&scomp_lock);
		if (scomp_scratch_users)
			used = scomp_install_scratch(cpu, page);
		mutex_unlock(&scomp_lock);
		if (!used)
			__free_page(page);
		cpumask_clear_cpu(cpu, &scomp_scratch_want);
	}
}

/*
 * This CPU's scratch page, or while it has none the first CPU's. Plain
 * spin_lock(): requests run in task context only; the kernel's run with
 * bottom halves already off under its stream lock.
 */
static struct scomp_scratch *scomp_lock_scratch(void)
{
	int cpu = raw_smp_processor_id();
	struct scomp_scratch *scratch = per_cpu_ptr(&scomp_scratch, cpu);

	spin_lock(&scratch->lock);
	if (likely(scratch->src))
		return scratch;
	spin_unlock(&scratch->lock);

	cpumask_set_cpu(cpu, &scomp_scratch_want);
	schedule_work(&scomp_scratch_work);
	scratch = per_cpu_ptr(&scomp_scratch, cpumask_first(cpu_possible_mask));
	spin_lock(&scratch->lock);
	return scratch;
}

/* A new tfm, under scomp_lock: the first one gives the first CPU its page. */
static int scomp_scratch_get(void)
{
	int cpu = cpumask_first(cpu_possible_mask);
	struct page *page;

	if (!scomp_scratch_users) {
		page = alloc_pages_node(cpu_to_node(cpu), GFP_KERNEL, 0);
		if (!page)
			return -ENOMEM;
		scomp_install_scratch(cpu, page);
	}
	scomp_scratch_users++;
	return 0;
}

static struct scomp_alg *crypto_scomp_alg(struct crypto_acomp *tfm)
{
	return container_of(crypto_acomp_alg(tfm), struct scomp_alg, __acomp);
}

static int scomp_init_tfm(struct crypto_acomp *tfm)
{
	struct scomp_tfm_ctx *ctx = acomp_tfm_ctx(tfm);
	struct scomp_alg *alg = crypto_scomp_alg(tfm);
	int ret;

	mutex_lock(&scomp_lock);
	ctx->ctx = alg->alloc_ctx();
	ret = IS_ERR(ctx->ctx) ? PTR_ERR(ctx->ctx) : scomp_scratch_get();
	if (ret && !IS_ERR(ctx->ctx))
		alg->free_ctx(ctx->ctx);
	mutex_unlock(&scomp_lock);
	if (ret)
		return ret;
	mutex_init(&ctx->lock);
	ctx->cost = acomp_cost_lookup(alg->base.cra_driver_name);
	return 0;
}

static void scomp_exit_tfm(struct crypto_acomp *tfm)
{
	struct scomp_tfm_ctx *ctx = acomp_tfm_ctx(tfm);
	bool last;

	mutex_lock(&scomp_lock);
	crypto_scomp_alg(tfm)->free_ctx(ctx->ctx);
	last = !--scomp_scratch_users;
	if (last)
		scomp_free_scratches();
	mutex_unlock(&scomp_lock);
	mutex_destroy(&ctx->lock);
	/* A page the work would still allocate is given back there. */
	if (last)
		cancel_work_sync(&scomp_scratch_work);
}

/* @sg's first @len bytes as one linear piece, or NULL if they are not. */
static u8 *scomp_sg_linear(struct scatterlist *sg, unsigned int len)
{
	if (!sg || sg->length < len)
		return NULL;
	return sg_virt(sg);
}

static int scomp_acomp_comp_decomp(struct acomp_req *req, bool dir)
{
	struct crypto_acomp *tfm = crypto_acomp_reqtfm(req);
	struct scomp_tfm_ctx *ctx = acomp_tfm_ctx(tfm);
	struct scomp_alg *alg = crypto_scomp_alg(tfm);
	struct crypto_scomp *stfm = (struct crypto_scomp *)crypto_acomp_tfm(tfm);
	unsigned int slen = req->slen, dlen = req->dlen;
	struct scomp_scratch *scratch = NULL;
	const u8 *src;
	u8 *dst;
	u64 t0, cost = 0;
	int ret;

	if (!slen || !dlen)
		return -EINVAL;
	if (acomp_request_dst_isvirt(req))
		dst = req->dvirt;
	else if (!req->dst)
		return -EINVAL;
	else if (!(dst = scomp_sg_linear(req->dst, dlen)))
		return -ENOSYS;
	if (acomp_request_src_isvirt(req)) {
		src = req->svirt;
	} else {
		src = scomp_sg_linear(req->src, slen);
		if (!src && sg_nents_for_len(req->src, slen) < 0)
			return -EINVAL;
		/* Shim: the kernel would copy past its one-page scratch. */
		if (!src && slen > PAGE_SIZE)
			return -ENOSYS;
	}

	mutex_lock(&ctx->lock);
	if (!src) {
		scratch = scomp_lock_scratch();
		memcpy_from_sglist(scratch->src, req->src, 0, slen);
		src = scratch->src;
	}
	t0 = sim_cpu_work_begin();
	if (dir)
		ret = alg->compress(stfm, src, slen, dst, &dlen, ctx->ctx);
	else
		ret = alg->decompress(stfm, src, slen, dst, &dlen, ctx->ctx);
	/* A failed call worked through its input and its whole output room. */
	if (ctx->cost)
		cost = acomp_cost_ns(dir ? &ctx->cost->comp : &ctx->cost->decomp,
				     slen, dlen);
	sim_cpu_work_end(t0, cost);
	if (scratch)
		spin_unlock(&scratch->lock);
	mutex_unlock(&ctx->lock);

	if (!ret)
		req->dlen = dlen;
	return ret;
}

static int scomp_acomp_compress(struct acomp_req *req)
{
	return scomp_acomp_comp_decomp(req, true);
}

static int scomp_acomp_decompress(struct acomp_req *req)
{
	return scomp_acomp_comp_decomp(req, false);
}

int crypto_register_scomp(struct scomp_alg *alg)
{
	struct acomp_alg *aalg = &alg->__acomp;

	if (!alg->alloc_ctx || !alg->free_ctx || !alg->compress || !alg->decompress)
		return -EINVAL;
	memset(aalg, 0, sizeof(*aalg));
	aalg->compress = scomp_acomp_compress;
	aalg->decompress = scomp_acomp_decompress;
	aalg->init = scomp_init_tfm;
	aalg->exit = scomp_exit_tfm;
	aalg->base = alg->base;
	aalg->base.cra_flags &= ~CRYPTO_ALG_ASYNC;
	aalg->base.cra_ctxsize = sizeof(struct scomp_tfm_ctx);
	if (!aalg->base.cra_driver_name[0])
		strscpy(aalg->base.cra_driver_name, aalg->base.cra_name,
			sizeof(aalg->base.cra_driver_name));
	if (!acomp_cost_lookup(aalg->base.cra_driver_name))
		pr_warn("scomp: %s has no cost table entry: free in modelled timing\n",
			aalg->base.cra_driver_name);
	return crypto_register_acomp(aalg);
}

/* A new machine: no tfm, no scratch page (the per-CPU copies start zeroed). */
static int __init scomp_scratch_init(void)
{
	int cpu;

	/* A wedged machine's task may have died holding it (known race 1c). */
	sim_mutex_forget(&scomp_lock);
	scomp_scratch_users = 0;
	cpumask_clear(&scomp_scratch_want);
	INIT_WORK(&scomp_scratch_work, scomp_scratch_workfn);
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(&scomp_scratch, cpu)->lock);
	return 0;
}
pure_initcall(scomp_scratch_init);

void crypto_unregister_scomp(struct scomp_alg *alg)
{
	crypto_unregister_acomp(&alg->__acomp);
}

int crypto_register_scomps(struct scomp_alg *algs, int count)
{
	int i, ret;

	for (i = 0; i < count; i++) {
		ret = crypto_register_scomp(&algs[i]);
		if (ret) {
			while (--i >= 0)
				crypto_unregister_scomp(&algs[i]);
			return ret;
		}
	}
	return 0;
}

void crypto_unregister_scomps(struct scomp_alg *algs, int count)
{
	int i;

	for (i = count - 1; i >= 0; i--)
		crypto_unregister_scomp(&algs[i]);
}
