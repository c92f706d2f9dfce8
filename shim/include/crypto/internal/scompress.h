/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Synchronous compression algorithms (<crypto/internal/scompress.h>,
 * crypto/scompress.c): software compressors that work on linear buffers
 * and are reached through the acomp API.
 *
 * An algorithm supplies alloc_ctx/free_ctx (its workspace, one per tfm)
 * and compress/decompress on linear buffers, and registers with
 * crypto_register_scomp(). The scomp layer turns each acomp request into a
 * call: it uses the lists in place or copies a split source into the CPU's
 * scratch page (a split destination is -ENOSYS), serialises the
 * tfm's workspace with a mutex, and charges the call's CPU time to the
 * task (the cost table entry of its cra_driver_name in modelled timing,
 * the host-timed duration in measured timing; see <sim/timing.h>). Batches
 * reach it unit by unit through the acomp core's fallback.
 *
 * compress/decompress return 0 with *dlen set to the output length, or a
 * negative errno: -ENOSPC when the output does not fit *dlen (compress),
 * -EINVAL for corrupt input (decompress), never writing past *dlen bytes.
 *
 * Differences from the kernel: one workspace per tfm under a mutex instead
 * of per-CPU streams under spinlocks; the acomp_alg
 * the core registers is embedded in struct scomp_alg (the kernel builds it
 * through the crypto type's tfm init).
 */
#ifndef _SHIM_CRYPTO_INTERNAL_SCOMPRESS_H
#define _SHIM_CRYPTO_INTERNAL_SCOMPRESS_H

#include <crypto/internal/acompress.h>
#include <linux/types.h>

struct crypto_scomp {
	struct crypto_tfm base;
};

struct scomp_alg {
	void *(*alloc_ctx)(void);	/* ERR_PTR on failure */
	void (*free_ctx)(void *ctx);
	int (*compress)(struct crypto_scomp *tfm, const u8 *src,
			unsigned int slen, u8 *dst, unsigned int *dlen,
			void *ctx);
	int (*decompress)(struct crypto_scomp *tfm, const u8 *src,
			  unsigned int slen, u8 *dst, unsigned int *dlen,
			  void *ctx);

	struct crypto_alg base;

	/* Private to the scomp layer: what the acomp registry holds. */
	struct acomp_alg __acomp;
};

int crypto_register_scomp(struct scomp_alg *alg);
void crypto_unregister_scomp(struct scomp_alg *alg);
int crypto_register_scomps(struct scomp_alg *algs, int count);
void crypto_unregister_scomps(struct scomp_alg *algs, int count);

#endif /* _SHIM_CRYPTO_INTERNAL_SCOMPRESS_H */
