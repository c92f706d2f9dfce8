// SPDX-License-Identifier: GPL-2.0-only
/*
 * LZ4 compression (crypto/lz4.c) on liblz4: "lz4", driver "lz4-generic",
 * LZ4_compress_default()'s acceleration 1, with a kvmalloc()ed state.
 *
 * Difference: output that does not fit fails with -ENOSPC (what zswap
 * counts as reject_compress_poor) where the kernel's returns -EINVAL.
 */
#include <crypto/internal/scompress.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <lz4.h>

static void *lz4_alloc_ctx(void)
{
	void *ctx = kvmalloc(LZ4_sizeofState(), GFP_KERNEL);

	if (!ctx)
		return ERR_PTR(-ENOMEM);
	return ctx;
}

static void lz4_free_ctx(void *ctx)
{
	kvfree(ctx);
}

static int lz4_scompress(struct crypto_scomp *tfm, const u8 *src,
			 unsigned int slen, u8 *dst, unsigned int *dlen,
			 void *ctx)
{
	int out_len = LZ4_compress_fast_extState(ctx, (const char *)src,
						 (char *)dst, slen, *dlen, 1);

	if (!out_len)
		return -ENOSPC;
	*dlen = out_len;
	return 0;
}

static int lz4_sdecompress(struct crypto_scomp *tfm, const u8 *src,
			   unsigned int slen, u8 *dst, unsigned int *dlen,
			   void *ctx)
{
	int out_len = LZ4_decompress_safe((const char *)src, (char *)dst,
					  slen, *dlen);

	if (out_len < 0)
		return -EINVAL;
	*dlen = out_len;
	return 0;
}

static struct scomp_alg scomp = {
	.alloc_ctx		= lz4_alloc_ctx,
	.free_ctx		= lz4_free_ctx,
	.compress		= lz4_scompress,
	.decompress		= lz4_sdecompress,
	.base			= {
		.cra_name	= "lz4",
		.cra_driver_name = "lz4-generic",
		.cra_module	= THIS_MODULE,
	}
};

static int __init lz4_mod_init(void)
{
	return crypto_register_scomp(&scomp);
}

static void __exit lz4_mod_fini(void)
{
	crypto_unregister_scomp(&scomp);
}

module_init(lz4_mod_init);
module_exit(lz4_mod_fini);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("LZ4 Compression Algorithm");
MODULE_ALIAS_CRYPTO("lz4");
