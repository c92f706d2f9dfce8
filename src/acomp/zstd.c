// SPDX-License-Identifier: GPL-2.0-only
/*
 * Zstandard compression (crypto/zstd.c) on libzstd: "zstd", driver
 * "zstd-generic", at the kernel's ZSTD_DEF_LEVEL (3), one-shot, with
 * static compression and decompression contexts in kvmalloc()ed
 * workspaces (the kernel's zstd_init_cctx()/zstd_init_dctx()).
 *
 * Difference: output that does not fit fails with -ENOSPC (what zswap
 * counts as reject_compress_poor) where the kernel's returns -EINVAL.
 */
#define ZSTD_STATIC_LINKING_ONLY
#include <crypto/internal/scompress.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <zstd.h>
#include <zstd_errors.h>

#define ZSTD_DEF_LEVEL	3

struct zstd_ctx {
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
	void *cwksp;
	void *dwksp;
};

static void zstd_free_ctx(void *p)
{
	struct zstd_ctx *ctx = p;

	kvfree(ctx->cwksp);
	kvfree(ctx->dwksp);
	kfree(ctx);
}

static void *zstd_alloc_ctx(void)
{
	size_t csize = ZSTD_estimateCCtxSize(ZSTD_DEF_LEVEL);
	size_t dsize = ZSTD_estimateDCtxSize();
	struct zstd_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->cwksp = kvmalloc(csize, GFP_KERNEL);
	ctx->dwksp = kvmalloc(dsize, GFP_KERNEL);
	if (!ctx->cwksp || !ctx->dwksp)
		goto fail;
	ctx->cctx = ZSTD_initStaticCCtx(ctx->cwksp, csize);
	ctx->dctx = ZSTD_initStaticDCtx(ctx->dwksp, dsize);
	if (!ctx->cctx || !ctx->dctx)
		goto fail;
	return ctx;
fail:
	zstd_free_ctx(ctx);
	return ERR_PTR(-ENOMEM);
}

static int zstd_scompress(struct crypto_scomp *tfm, const u8 *src,
			  unsigned int slen, u8 *dst, unsigned int *dlen,
			  void *p)
{
	struct zstd_ctx *ctx = p;
	size_t out_len;

	out_len = ZSTD_compressCCtx(ctx->cctx, dst, *dlen, src, slen,
				    ZSTD_DEF_LEVEL);
	if (ZSTD_isError(out_len)) {
		if (ZSTD_getErrorCode(out_len) == ZSTD_error_dstSize_tooSmall)
			return -ENOSPC;
		pr_warn_ratelimited("zstd: compression failed: %s\n",
				    ZSTD_getErrorName(out_len));
		return -EINVAL;
	}
	*dlen = out_len;
	return 0;
}

static int zstd_sdecompress(struct crypto_scomp *tfm, const u8 *src,
			    unsigned int slen, u8 *dst, unsigned int *dlen,
			    void *p)
{
	struct zstd_ctx *ctx = p;
	size_t out_len;

	out_len = ZSTD_decompressDCtx(ctx->dctx, dst, *dlen, src, slen);
	if (ZSTD_isError(out_len))
		return -EINVAL;
	*dlen = out_len;
	return 0;
}

static struct scomp_alg scomp = {
	.alloc_ctx		= zstd_alloc_ctx,
	.free_ctx		= zstd_free_ctx,
	.compress		= zstd_scompress,
	.decompress		= zstd_sdecompress,
	.base			= {
		.cra_name	= "zstd",
		.cra_driver_name = "zstd-generic",
		.cra_module	= THIS_MODULE,
	}
};

static int __init zstd_mod_init(void)
{
	return crypto_register_scomp(&scomp);
}

static void __exit zstd_mod_fini(void)
{
	crypto_unregister_scomp(&scomp);
}

module_init(zstd_mod_init);
module_exit(zstd_mod_fini);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Zstd Compression Algorithm");
MODULE_ALIAS_CRYPTO("zstd");
