/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The driver side of asynchronous compression
 * (<crypto/internal/acompress.h>): registering an algorithm, its tfm and
 * request contexts, completing a request, and walking the units of a
 * batched request (see <crypto/acompress.h> for the calling convention).
 *
 * A driver fills a struct acomp_alg (hooks, reqsize, batch_size, and in
 * base: cra_name, cra_driver_name, cra_priority, cra_flags with
 * CRYPTO_ALG_ASYNC if it completes later, cra_ctxsize, cra_module) and
 * calls crypto_register_acomp() from its module_init. Its hooks see:
 * - single requests: src/dst as lists or virtual addresses (the
 *   acomp_request_*isvirt() tests say which), slen/dlen; set req->dlen;
 * - batched requests (unit_size set and more than one unit) only if its
 *   batch_size is above 1; otherwise the core splits them and calls the
 *   hooks once per unit. A batching driver walks the units with
 *   acomp_batch_unit(), stores each result with acomp_batch_set_result()
 *   and finishes with acomp_batch_finish().
 * An asynchronous hook returns -EINPROGRESS and later, from any task,
 * calls acomp_request_complete(req, err).
 *
 * Differences from the kernel: unregistering waits for the algorithm's
 * last tfm to be freed (the kernel relies on module references and WARNs
 * if a tfm is left; here a driver can be unregistered under live tfms, and
 * new lookups stop finding it at once). No acomp_walk, streams or
 * ACOMP_FBREQ_ON_STACK.
 */
#ifndef _SHIM_CRYPTO_INTERNAL_ACOMPRESS_H
#define _SHIM_CRYPTO_INTERNAL_ACOMPRESS_H

#include <crypto/acompress.h>
#include <crypto/scatterwalk.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

/**
 * struct acomp_alg - asynchronous compression algorithm
 * @compress:	compress a request (see the top comment)
 * @decompress:	decompress a request
 * @init:	set up a new tfm's context (acomp_tfm_ctx()), 0 or -errno
 * @exit:	tear it down
 * @reqsize:	bytes of per-request context (acomp_request_ctx())
 * @batch_size:	units the hooks take in one request (v13); 0 or 1: none,
 *		the core runs batches unit by unit
 * @base:	names, priority, flags, tfm context size, module
 */
struct acomp_alg {
	int (*compress)(struct acomp_req *req);
	int (*decompress)(struct acomp_req *req);
	int (*init)(struct crypto_acomp *tfm);
	void (*exit)(struct crypto_acomp *tfm);

	unsigned int reqsize;
	unsigned int batch_size;

	struct crypto_alg base;
};

static inline struct acomp_alg *__crypto_acomp_alg(struct crypto_alg *alg)
{
	return container_of(alg, struct acomp_alg, base);
}

static inline struct acomp_alg *crypto_acomp_alg(struct crypto_acomp *tfm)
{
	return __crypto_acomp_alg(crypto_acomp_tfm(tfm)->__crt_alg);
}

static inline void *acomp_request_ctx(struct acomp_req *req)
{
	return req->__ctx;
}

static inline void *acomp_tfm_ctx(struct crypto_acomp *tfm)
{
	return tfm->base.__crt_ctx;
}

/* Finish @req with @err: calls its callback (from the completing task). */
static inline void acomp_request_complete(struct acomp_req *req, int err)
{
	crypto_request_complete(&req->base, err);
}

/*
 * Register @alg: 0, -EINVAL (no hooks or names), or -EEXIST (its
 * cra_driver_name is taken). cra_driver_name defaults to cra_name.
 */
int crypto_register_acomp(struct acomp_alg *alg);
/*
 * Unregister @alg: lookups stop finding it at once; returns when its last
 * tfm has been freed (sleeps; after 10 s it WARNs about the leaked tfms
 * and returns). WARNs if @alg is not registered.
 */
void crypto_unregister_acomp(struct acomp_alg *alg);
/* All of @count or none (unwinding on failure). */
int crypto_register_acomps(struct acomp_alg *algs, int count);
void crypto_unregister_acomps(struct acomp_alg *algs, int count);

static inline bool acomp_request_src_isvirt(struct acomp_req *req)
{
	return req->base.flags & CRYPTO_ACOMP_REQ_SRC_VIRT;
}

static inline bool acomp_request_dst_isvirt(struct acomp_req *req)
{
	return req->base.flags & CRYPTO_ACOMP_REQ_DST_VIRT;
}

static inline bool acomp_request_isvirt(struct acomp_req *req)
{
	return req->base.flags & (CRYPTO_ACOMP_REQ_SRC_VIRT | CRYPTO_ACOMP_REQ_DST_VIRT);
}

static inline bool acomp_request_src_isnondma(struct acomp_req *req)
{
	return req->base.flags & CRYPTO_ACOMP_REQ_SRC_NONDMA;
}

static inline bool acomp_request_dst_isnondma(struct acomp_req *req)
{
	return req->base.flags & CRYPTO_ACOMP_REQ_DST_NONDMA;
}

static inline bool acomp_request_issg(struct acomp_req *req)
{
	return !acomp_request_isvirt(req);
}

/* The request's own flags, without the API's private ones. */
static inline u32 acomp_request_flags(struct acomp_req *req)
{
	return crypto_request_flags(&req->base) & ~CRYPTO_ACOMP_REQ_PRIVATE;
}

/*
 * Batches. @compress says which direction @req goes: the unit count is
 * slen / unit_size for compress and dlen / unit_size for decompress; 1 for
 * a single request. The core has checked a batch before a hook sees it
 * (whole units, a list of at least nr entries on the per-unit side).
 */
static inline bool acomp_request_is_batch(struct acomp_req *req, bool compress)
{
	unsigned int len = compress ? req->slen : req->dlen;

	return req->unit_size && len != req->unit_size;
}

static inline unsigned int acomp_request_nr_units(struct acomp_req *req,
						  bool compress)
{
	if (!acomp_request_is_batch(req, compress))
		return 1;
	return (compress ? req->slen : req->dlen) / req->unit_size;
}

/*
 * One unit of a batch: one-entry lists for its input and output (over the
 * caller's memory, not copies) and the caller's per-unit entry, whose
 * length receives the result (a destination entry for compress, a source
 * entry for decompress).
 */
struct acomp_unit {
	struct scatterlist src;
	struct scatterlist dst;
	struct scatterlist *result;
};

/*
 * Fill @u for unit @i of @req (a compress unit's room, u->dst.length, is
 * unit_size): 0, or -EINVAL if the unit's bytes on the contiguous side
 * cross an entry of its list (a list's entries must hold whole units) or
 * @i is past the end.
 */
int acomp_batch_unit(struct acomp_req *req, bool compress, unsigned int i,
		     struct acomp_unit *u);

/* Store unit @u's output length or negative errno. */
static inline void acomp_batch_set_result(struct acomp_unit *u, int len_or_err)
{
	u->result->length = (unsigned int)len_or_err;
}

/* Read a per-unit entry's result: the output length or a negative errno. */
static inline int acomp_unit_result(struct scatterlist *sg)
{
	return (int)sg->length;
}

/*
 * After every unit's result is stored: set req->dlen to the first unit's
 * result and return 0, or -EINVAL if any unit failed.
 */
int acomp_batch_finish(struct acomp_req *req, bool compress);

/*
 * A single request with unit_size set also reports its result @ret (0:
 * req->dlen; else the negative errno) in its destination entry, as v13's
 * iaa_to_acomp() and v14's acomp_reqchain_finish().
 */
static inline void acomp_single_unit_report(struct acomp_req *req, int ret)
{
	if (req->unit_size && req->dst && !acomp_request_dst_isvirt(req))
		req->dst->length = ret ? (unsigned int)ret : req->dlen;
}

#endif /* _SHIM_CRYPTO_INTERNAL_ACOMPRESS_H */
