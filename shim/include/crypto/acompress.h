/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Asynchronous compression (<crypto/acompress.h>, crypto/acompress.c):
 * the interface zswap compresses through.
 *
 * A tfm (struct crypto_acomp) is an instance of an algorithm found by name:
 * its cra_name ("lz4", "deflate") gives the registered driver of highest
 * priority, its cra_driver_name ("lz4-generic", "deflate-iaa") that driver.
 * A request (struct acomp_req) carries the source and destination, as
 * scatterlists, folios or virtual addresses, and the callback of an
 * asynchronous algorithm. On return (or in the callback) req->dlen is the
 * output length.
 *
 * Batching, as the v13 proposal (patches 12 and 18): the request's
 * unit_size splits it into slen / unit_size units (compress) or
 * dlen / unit_size units (decompress), each compressed or decompressed on
 * its own. A request is single when unit_size is 0 or equals slen
 * (compress) or dlen (decompress); a single request with unit_size set
 * also gets its result (length or errno) in req->dst->length (v14).
 * - Compress: the source is nr * unit_size contiguous bytes (a folio
 *   range, or a list whose entries hold whole units); the destination is
 *   a list of nr entries, one buffer of unit_size bytes per unit (the
 *   room of each unit is unit_size, whatever the entry's length was, as
 *   v13's iaa_comp_acompress_batch() sets it). Each entry's length
 *   becomes the unit's compressed length or
 *   a negative errno (read it as an int); req->dlen is the first entry's;
 *   the request returns (or completes with) -EINVAL if any unit failed.
 * - Decompress mirrors it: the source is a list of nr entries, each one
 *   unit's compressed bytes; the destination nr * unit_size bytes. Each
 *   source entry's length becomes the unit's decompressed length or a
 *   negative errno.
 * crypto_acomp_batch_size() says how many units the algorithm handles in
 * parallel (1 for software). Every algorithm accepts batched requests: for
 * one of batch size 1 the core runs the units one by one (the fallback
 * Herbert Xu proposed), so a caller has one code path.
 *
 * Differences from the kernel: no ACOMP_REQUEST_ON_STACK/CLONE (every
 * request is allocated) and no NULL destination (the core never allocates
 * output); folio setters build a one-entry list in req->chain (as the v13
 * base). See docs/acomp.md.
 */
#ifndef _SHIM_CRYPTO_ACOMPRESS_H
#define _SHIM_CRYPTO_ACOMPRESS_H

#include <linux/atomic.h>
#include <linux/container_of.h>
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/overflow.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/types.h>

/* The source is a virtual address (req->svirt), not a list. */
#define CRYPTO_ACOMP_REQ_SRC_VIRT	0x00000002
/* The virtual source cannot be used for DMA. */
#define CRYPTO_ACOMP_REQ_SRC_NONDMA	0x00000004
/* The destination is a virtual address (req->dvirt), not a list. */
#define CRYPTO_ACOMP_REQ_DST_VIRT	0x00000008
/* The virtual destination cannot be used for DMA. */
#define CRYPTO_ACOMP_REQ_DST_NONDMA	0x00000010

/* Set by the setters; acomp_request_set_callback() keeps them. */
#define CRYPTO_ACOMP_REQ_PRIVATE \
	(CRYPTO_ACOMP_REQ_SRC_VIRT | CRYPTO_ACOMP_REQ_SRC_NONDMA | \
	 CRYPTO_ACOMP_REQ_DST_VIRT | CRYPTO_ACOMP_REQ_DST_NONDMA)

#define CRYPTO_ACOMP_DST_MAX		131072

struct acomp_req;
struct folio;

/* Private to the API: the folio setters' lists, the fallback's saved state. */
struct acomp_req_chain {
	crypto_completion_t compl;
	void *data;
	struct scatterlist ssg;
	struct scatterlist dsg;
	u32 flags;
};

/**
 * struct acomp_req - asynchronous (de)compression request
 * @base:	common request: callback, its data, flags, tfm
 * @src:	source list, or @svirt with CRYPTO_ACOMP_REQ_SRC_VIRT
 * @dst:	destination list, or @dvirt with CRYPTO_ACOMP_REQ_DST_VIRT
 * @slen:	source bytes
 * @dlen:	destination bytes; on completion the bytes produced
 * @unit_size:	bytes per unit of a batch, 0 for a single request (v13)
 * @chain:	private to the API
 * @__ctx:	the algorithm's per-request context (reqsize bytes)
 */
struct acomp_req {
	struct crypto_async_request base;
	union {
		struct scatterlist *src;
		const u8 *svirt;
	};
	union {
		struct scatterlist *dst;
		u8 *dvirt;
	};
	unsigned int slen;
	unsigned int dlen;
	unsigned int unit_size;

	struct acomp_req_chain chain;

	void *__ctx[] CRYPTO_MINALIGN_ATTR;
};

/**
 * struct crypto_acomp - an instance of an algorithm
 * @compress:	the algorithm's compress hook
 * @decompress:	the algorithm's decompress hook
 * @reqsize:	bytes of per-request context
 * @base:	common tfm (algorithm, NUMA node, context)
 */
struct crypto_acomp {
	int (*compress)(struct acomp_req *req);
	int (*decompress)(struct acomp_req *req);
	unsigned int reqsize;
	struct crypto_tfm base;
};

/*
 * Allocate a tfm for @alg_name (cra_name or cra_driver_name) whose
 * algorithm's flags match @type under @mask (e.g. type 0, mask
 * CRYPTO_ALG_ASYNC: a synchronous one). ERR_PTR(-ENOENT) for an unknown
 * name, -ENOMEM, or the algorithm's init error. _node: the algorithm
 * should use resources on NUMA node @node (NUMA_NO_NODE: any).
 */
struct crypto_acomp *crypto_alloc_acomp(const char *alg_name, u32 type, u32 mask);
struct crypto_acomp *crypto_alloc_acomp_node(const char *alg_name, u32 type,
					     u32 mask, int node);
/* Free @tfm; nothing for NULL or an error pointer. */
void crypto_free_acomp(struct crypto_acomp *tfm);

static inline struct crypto_tfm *crypto_acomp_tfm(struct crypto_acomp *tfm)
{
	return &tfm->base;
}

static inline struct crypto_acomp *__crypto_acomp_tfm(struct crypto_tfm *tfm)
{
	return container_of(tfm, struct crypto_acomp, base);
}

static inline unsigned int crypto_acomp_reqsize(struct crypto_acomp *tfm)
{
	return tfm->reqsize;
}

static inline void acomp_request_set_tfm(struct acomp_req *req,
					 struct crypto_acomp *tfm)
{
	crypto_request_set_tfm(&req->base, crypto_acomp_tfm(tfm));
}

static inline struct crypto_acomp *crypto_acomp_reqtfm(struct acomp_req *req)
{
	return __crypto_acomp_tfm(req->base.tfm);
}

static inline bool acomp_is_async(struct crypto_acomp *tfm)
{
	return crypto_acomp_tfm(tfm)->__crt_alg->cra_flags & CRYPTO_ALG_ASYNC;
}

static inline int crypto_has_acomp(const char *alg_name, u32 type, u32 mask)
{
	type &= ~CRYPTO_ALG_TYPE_MASK;
	type |= CRYPTO_ALG_TYPE_ACOMPRESS;
	mask |= CRYPTO_ALG_TYPE_ACOMPRESS_MASK;

	return crypto_has_alg(alg_name, type, mask);
}

static inline const char *crypto_acomp_alg_name(struct crypto_acomp *tfm)
{
	return crypto_tfm_alg_name(crypto_acomp_tfm(tfm));
}

static inline const char *crypto_acomp_driver_name(struct crypto_acomp *tfm)
{
	return crypto_tfm_alg_driver_name(crypto_acomp_tfm(tfm));
}

/*
 * Units the algorithm processes in parallel (v13 patch 18): its batch_size
 * when above 1, else 1. Any request may still hold more units.
 */
unsigned int crypto_acomp_batch_size(struct crypto_acomp *tfm);

/*
 * A zeroed request for @tfm with @extra bytes after the algorithm's
 * context (acomp_request_extra()); NULL if out of memory.
 */
static inline struct acomp_req *acomp_request_alloc_extra(struct crypto_acomp *tfm,
							  size_t extra, gfp_t gfp)
{
	struct acomp_req *req;
	size_t len;

	len = ALIGN(sizeof(*req) + crypto_acomp_reqsize(tfm), CRYPTO_MINALIGN);
	if (check_add_overflow(len, extra, &len))
		return NULL;
	req = kzalloc(len, gfp);
	if (likely(req))
		acomp_request_set_tfm(req, tfm);
	return req;
}

/* acomp_request_alloc(tfm) or acomp_request_alloc(tfm, gfp): GFP_KERNEL by default. */
#define __acomp_request_alloc_1(tfm)		acomp_request_alloc_extra(tfm, 0, GFP_KERNEL)
#define __acomp_request_alloc_2(tfm, gfp)	acomp_request_alloc_extra(tfm, 0, gfp)
#define __acomp_request_alloc_pick(_1, _2, fn, ...)	fn
#define acomp_request_alloc(...) \
	__acomp_request_alloc_pick(__VA_ARGS__, __acomp_request_alloc_2, \
				   __acomp_request_alloc_1, 0)(__VA_ARGS__)

static inline void *acomp_request_extra(struct acomp_req *req)
{
	struct crypto_acomp *tfm = crypto_acomp_reqtfm(req);
	size_t len;

	len = ALIGN(sizeof(*req) + crypto_acomp_reqsize(tfm), CRYPTO_MINALIGN);
	return (void *)((char *)req + len);
}

/* Zero and free @req; nothing for NULL. */
static inline void acomp_request_free(struct acomp_req *req)
{
	if (!req)
		return;
	kfree_sensitive(req);
}

/*
 * Set the callback an asynchronous algorithm calls when @req is done, and
 * the request flags (CRYPTO_TFM_REQ_MAY_BACKLOG, CRYPTO_TFM_REQ_MAY_SLEEP).
 * Resets unit_size to 0 (v13): set the unit size after the callback.
 */
static inline void acomp_request_set_callback(struct acomp_req *req, u32 flgs,
					      crypto_completion_t cmpl, void *data)
{
	flgs &= ~CRYPTO_ACOMP_REQ_PRIVATE;
	flgs |= req->base.flags & CRYPTO_ACOMP_REQ_PRIVATE;
	req->base.complete = cmpl;
	req->base.data = data;
	req->base.flags = flgs;
	req->unit_size = 0;
}

/* v13 patch 12: the bytes of one unit of a batched request (0: single). */
static inline void acomp_request_set_unit_size(struct acomp_req *req,
					       unsigned int du)
{
	req->unit_size = du;
}

/* Source and destination lists with their lengths. */
static inline void acomp_request_set_params(struct acomp_req *req,
					    struct scatterlist *src,
					    struct scatterlist *dst,
					    unsigned int slen, unsigned int dlen)
{
	req->src = src;
	req->dst = dst;
	req->slen = slen;
	req->dlen = dlen;
	req->base.flags &= ~CRYPTO_ACOMP_REQ_PRIVATE;
}

static inline void acomp_request_set_src_sg(struct acomp_req *req,
					    struct scatterlist *src,
					    unsigned int slen)
{
	req->src = src;
	req->slen = slen;
	req->base.flags &= ~(CRYPTO_ACOMP_REQ_SRC_VIRT | CRYPTO_ACOMP_REQ_SRC_NONDMA);
}

static inline void acomp_request_set_src_dma(struct acomp_req *req,
					     const u8 *src, unsigned int slen)
{
	req->svirt = src;
	req->slen = slen;
	req->base.flags &= ~CRYPTO_ACOMP_REQ_SRC_NONDMA;
	req->base.flags |= CRYPTO_ACOMP_REQ_SRC_VIRT;
}

static inline void acomp_request_set_src_nondma(struct acomp_req *req,
						const u8 *src, unsigned int slen)
{
	req->svirt = src;
	req->slen = slen;
	req->base.flags |= CRYPTO_ACOMP_REQ_SRC_NONDMA | CRYPTO_ACOMP_REQ_SRC_VIRT;
}

/*
 * The folio setters describe @len bytes of @folio at @off with the
 * request's own one-entry list (req->chain), so the caller needs no
 * scatterlist of its own. The shim's folios are always mapped, so the
 * entry is built from the folio's address.
 */
static inline struct scatterlist *acomp_folio_entry(struct scatterlist *sg,
						    struct folio *folio,
						    size_t off, unsigned int len)
{
	sg_init_one(sg, (u8 *)folio_address(folio) + off, len);
	return sg;
}

static inline void acomp_request_set_src_folio(struct acomp_req *req,
					       struct folio *folio, size_t off,
					       unsigned int len)
{
	acomp_request_set_src_sg(req, acomp_folio_entry(&req->chain.ssg, folio,
							 off, len), len);
}

static inline void acomp_request_set_dst_sg(struct acomp_req *req,
					    struct scatterlist *dst,
					    unsigned int dlen)
{
	req->dst = dst;
	req->dlen = dlen;
	req->base.flags &= ~(CRYPTO_ACOMP_REQ_DST_VIRT | CRYPTO_ACOMP_REQ_DST_NONDMA);
}

static inline void acomp_request_set_dst_dma(struct acomp_req *req,
					     u8 *dst, unsigned int dlen)
{
	req->dvirt = dst;
	req->dlen = dlen;
	req->base.flags &= ~CRYPTO_ACOMP_REQ_DST_NONDMA;
	req->base.flags |= CRYPTO_ACOMP_REQ_DST_VIRT;
}

static inline void acomp_request_set_dst_nondma(struct acomp_req *req,
						u8 *dst, unsigned int dlen)
{
	req->dvirt = dst;
	req->dlen = dlen;
	req->base.flags |= CRYPTO_ACOMP_REQ_DST_NONDMA | CRYPTO_ACOMP_REQ_DST_VIRT;
}

static inline void acomp_request_set_dst_folio(struct acomp_req *req,
					       struct folio *folio, size_t off,
					       unsigned int len)
{
	acomp_request_set_dst_sg(req, acomp_folio_entry(&req->chain.dsg, folio,
							 off, len), len);
}

/*
 * Compress or decompress @req: 0 when done (req->dlen set), -EINPROGRESS
 * (or -EBUSY, backlogged, with CRYPTO_TFM_REQ_MAY_BACKLOG) when an
 * asynchronous algorithm will call the callback, or a negative errno:
 * -ENOSPC when the output does not fit dlen, -EINVAL for bad input or a
 * batch with a failed unit, -EIO injected ("acomp_compress" and
 * "acomp_decompress" fault sites). The fallback for batches of a
 * non-batching algorithm may sleep (it waits for each unit).
 */
int crypto_acomp_compress(struct acomp_req *req);
int crypto_acomp_decompress(struct acomp_req *req);

#endif /* _SHIM_CRYPTO_ACOMPRESS_H */
