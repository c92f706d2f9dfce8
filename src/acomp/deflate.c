// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deflate compression (crypto/deflate.c) on zlib, which the kernel's
 * lib/zlib_deflate derives from: "deflate", driver "deflate-generic", raw
 * deflate (no zlib header) with the kernel's parameters: level
 * Z_DEFAULT_COMPRESSION, window bits DEFLATE_DEF_WINBITS (11), memory
 * level DEFLATE_DEF_MEMLEVEL (MAX_MEM_LEVEL, 9).
 *
 * zlib's allocations are carved out of one kvmalloc()ed workspace per
 * stream, as the kernel's zlib_deflate_workspacesize() workspace, so no
 * allocation (and no scheduling point) happens inside zlib.
 *
 * Output that does not fit fails with -ENOSPC (what zswap counts as
 * reject_compress_poor), as the kernel's deflate_compress_one() when it
 * runs out of destination.
 */
#include <crypto/internal/scompress.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <zlib.h>

#define DEFLATE_DEF_LEVEL		Z_DEFAULT_COMPRESSION
#define DEFLATE_DEF_WINBITS		11
#define DEFLATE_DEF_MEMLEVEL		MAX_MEM_LEVEL

/* Enough for zlib's deflate and inflate states at these parameters. */
#define DEFLATE_WKSP_SIZE		(512 * 1024)
#define INFLATE_WKSP_SIZE		(64 * 1024)

struct deflate_wksp {
	u8 *base;
	size_t size;
	size_t used;
};

struct deflate_ctx {
	z_stream comp;
	z_stream decomp;
	struct deflate_wksp cw;
	struct deflate_wksp dw;
};

/* zlib's allocator: a bump allocator over the stream's workspace. */
static voidpf deflate_wksp_alloc(voidpf opaque, uInt items, uInt size)
{
	struct deflate_wksp *w = opaque;
	size_t bytes = ALIGN((size_t)items * size, 16);
	void *p;

	if (bytes > w->size - w->used)
		return Z_NULL;
	p = w->base + w->used;
	w->used += bytes;
	return p;
}

/* Freed with the workspace. */
static void deflate_wksp_free(voidpf opaque, voidpf address)
{
}

static int deflate_wksp_init(struct deflate_wksp *w, z_stream *s, size_t size)
{
	w->base = kvmalloc(size, GFP_KERNEL);
	if (!w->base)
		return -ENOMEM;
	w->size = size;
	w->used = 0;
	s->zalloc = deflate_wksp_alloc;
	s->zfree = deflate_wksp_free;
	s->opaque = w;
	return 0;
}

static void deflate_free_ctx(void *p)
{
	struct deflate_ctx *ctx = p;

	if (ctx->cw.base)
		deflateEnd(&ctx->comp);
	if (ctx->dw.base)
		inflateEnd(&ctx->decomp);
	kvfree(ctx->cw.base);
	kvfree(ctx->dw.base);
	kfree(ctx);
}

static void *deflate_alloc_ctx(void)
{
	struct deflate_ctx *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ret = deflate_wksp_init(&ctx->cw, &ctx->comp, DEFLATE_WKSP_SIZE);
	if (ret)
		goto fail;
	if (deflateInit2(&ctx->comp, DEFLATE_DEF_LEVEL, Z_DEFLATED,
			 -DEFLATE_DEF_WINBITS, DEFLATE_DEF_MEMLEVEL,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		goto fail_init;
	ret = deflate_wksp_init(&ctx->dw, &ctx->decomp, INFLATE_WKSP_SIZE);
	if (ret)
		goto fail;
	if (inflateInit2(&ctx->decomp, -DEFLATE_DEF_WINBITS) != Z_OK)
		goto fail_init;
	return ctx;

fail_init:
	pr_err("deflate: zlib init failed (workspace too small?)\n");
	ret = -EINVAL;
fail:
	/* deflateEnd()/inflateEnd() on a stream that never initialised are no-ops. */
	deflate_free_ctx(ctx);
	return ERR_PTR(ret);
}

static int deflate_scompress(struct crypto_scomp *tfm, const u8 *src,
			     unsigned int slen, u8 *dst, unsigned int *dlen,
			     void *p)
{
	struct deflate_ctx *ctx = p;
	z_stream *stream = &ctx->comp;
	int ret;

	if (deflateReset(stream) != Z_OK)
		return -EINVAL;
	stream->next_in = (Bytef *)src;
	stream->avail_in = slen;
	stream->next_out = dst;
	stream->avail_out = *dlen;
	ret = deflate(stream, Z_FINISH);
	if (ret != Z_STREAM_END)
		return ret == Z_OK || ret == Z_BUF_ERROR ? -ENOSPC : -EINVAL;
	*dlen = stream->total_out;
	return 0;
}

static int deflate_sdecompress(struct crypto_scomp *tfm, const u8 *src,
			       unsigned int slen, u8 *dst, unsigned int *dlen,
			       void *p)
{
	struct deflate_ctx *ctx = p;
	z_stream *stream = &ctx->decomp;
	int ret;

	if (inflateReset(stream) != Z_OK)
		return -EINVAL;
	stream->next_in = (Bytef *)src;
	stream->avail_in = slen;
	stream->next_out = dst;
	stream->avail_out = *dlen;
	ret = inflate(stream, Z_FINISH);
	if (ret != Z_STREAM_END)
		return -EINVAL;
	*dlen = stream->total_out;
	return 0;
}

static struct scomp_alg scomp = {
	.alloc_ctx		= deflate_alloc_ctx,
	.free_ctx		= deflate_free_ctx,
	.compress		= deflate_scompress,
	.decompress		= deflate_sdecompress,
	.base			= {
		.cra_name	= "deflate",
		.cra_driver_name = "deflate-generic",
		.cra_module	= THIS_MODULE,
	}
};

static int __init deflate_mod_init(void)
{
	return crypto_register_scomp(&scomp);
}

static void __exit deflate_mod_fini(void)
{
	crypto_unregister_scomp(&scomp);
}

module_init(deflate_mod_init);
module_exit(deflate_mod_fini);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deflate Compression Algorithm for IPCOMP");
MODULE_ALIAS_CRYPTO("deflate");
