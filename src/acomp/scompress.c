// SPDX-License-Identifier: GPL-2.0-only
/*
 * Synchronous compression algorithms behind the acomp API
 * (crypto/scompress.c): see <crypto/internal/scompress.h>.
 *
 * Each tfm owns one workspace of the algorithm (alloc_ctx()), used under a
 * mutex; the kernel keeps per-CPU streams under spinlocks instead. A
 * source or destination that is not one linear piece (a list of several
 * entries) is bounced through a kvmalloc()ed buffer, as the kernel's
 * scratch buffers do; the bounce can fail with -ENOMEM. It never enters
 * reclaim (GFP_NOWAIT): the kernel's scratch buffers are preallocated,
 * and callers such as zswap compress under locks that reclaim takes.
 *
 * scomp_lock serialises creating and freeing the workspaces, as the
 * kernel's serialises its scratch buffers' (crypto_scomp_init_tfm() and
 * crypto_exit_scomp_ops_async()): it is held across the workspace's
 * GFP_KERNEL allocation under crypto_alloc_acomp_node() and across its
 * freeing under crypto_free_acomp(), which makes freeing a tfm under a
 * lock that reclaim takes an ABBA deadlock (known-races.md 1c).
 */
#include <crypto/internal/scompress.h>
#include <crypto/scatterwalk.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <sim/timing.h>
#include "cost.h"

static DEFINE_MUTEX(scomp_lock);

struct scomp_tfm_ctx {
	struct mutex lock;		/* serialises the workspace */
	void *ctx;			/* the algorithm's workspace */
	const struct acomp_cost *cost;	/* NULL: not in the table, free */
};

static struct scomp_alg *crypto_scomp_alg(struct crypto_acomp *tfm)
{
	return container_of(crypto_acomp_alg(tfm), struct scomp_alg, __acomp);
}

static int scomp_init_tfm(struct crypto_acomp *tfm)
{
	struct scomp_tfm_ctx *ctx = acomp_tfm_ctx(tfm);
	struct scomp_alg *alg = crypto_scomp_alg(tfm);

	mutex_lock(&scomp_lock);
	ctx->ctx = alg->alloc_ctx();
	mutex_unlock(&scomp_lock);
	if (IS_ERR(ctx->ctx))
		return PTR_ERR(ctx->ctx);
	mutex_init(&ctx->lock);
	ctx->cost = acomp_cost_lookup(alg->base.cra_driver_name);
	return 0;
}

static void scomp_exit_tfm(struct crypto_acomp *tfm)
{
	struct scomp_tfm_ctx *ctx = acomp_tfm_ctx(tfm);

	mutex_lock(&scomp_lock);
	crypto_scomp_alg(tfm)->free_ctx(ctx->ctx);
	mutex_unlock(&scomp_lock);
	mutex_destroy(&ctx->lock);
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
	u8 *sbounce = NULL, *dbounce = NULL;
	const u8 *src;
	u8 *dst;
	u64 t0, cost = 0;
	int ret;

	if (!slen || !dlen)
		return -EINVAL;
	if (acomp_request_src_isvirt(req)) {
		src = req->svirt;
	} else {
		src = scomp_sg_linear(req->src, slen);
		if (!src) {
			if (sg_nents_for_len(req->src, slen) < 0)
				return -EINVAL;
			sbounce = kvmalloc(slen, GFP_NOWAIT | __GFP_NOWARN);
			if (!sbounce)
				return -ENOMEM;
			memcpy_from_sglist(sbounce, req->src, 0, slen);
			src = sbounce;
		}
	}
	if (acomp_request_dst_isvirt(req)) {
		dst = req->dvirt;
	} else {
		dst = scomp_sg_linear(req->dst, dlen);
		if (!dst) {
			ret = -EINVAL;
			if (sg_nents_for_len(req->dst, dlen) < 0)
				goto out;
			ret = -ENOMEM;
			dbounce = kvmalloc(dlen, GFP_NOWAIT | __GFP_NOWARN);
			if (!dbounce)
				goto out;
			dst = dbounce;
		}
	}

	mutex_lock(&ctx->lock);
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
	mutex_unlock(&ctx->lock);

	if (!ret) {
		if (dbounce)
			memcpy_to_sglist(req->dst, 0, dbounce, dlen);
		req->dlen = dlen;
	}
out:
	kvfree(dbounce);
	kvfree(sbounce);
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
