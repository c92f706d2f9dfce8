/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The crypto API core (<linux/crypto.h>): algorithms, transforms and the
 * asynchronous request every crypto request type starts with.
 *
 * Only what the compression types need: struct crypto_alg with its names,
 * priority, flags, context size and reference count; struct crypto_tfm;
 * struct crypto_async_request with its completion callback; and the
 * crypto_wait helpers that turn an asynchronous request into a sleeping
 * call:
 *
 *	DECLARE_CRYPTO_WAIT(wait);
 *
 *	acomp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
 *				   crypto_req_done, &wait);
 *	err = crypto_wait_req(crypto_acomp_compress(req), &wait);
 *
 * crypto_wait_req() sleeps on a completion, so it waits in both scheduling
 * backends (the controlled one runs the completing task meanwhile).
 *
 * Differences from the kernel: no cipher, hash or skcipher types, no
 * template instances, larvals or module autoloading (an unknown name is
 * -ENOENT at once); the algorithm registry is the acomp core's
 * (src/acomp/acompress.c, see docs/acomp.md).
 */
#ifndef _SHIM_LINUX_CRYPTO_H
#define _SHIM_LINUX_CRYPTO_H

#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/types.h>

#define CRYPTO_ALG_TYPE_MASK		0x0000000f
#define CRYPTO_ALG_TYPE_ACOMPRESS	0x0000000a
#define CRYPTO_ALG_TYPE_ACOMPRESS_MASK	0x0000000e

/* The algorithm completes requests later, from another context. */
#define CRYPTO_ALG_ASYNC		0x00000080
/* The algorithm allocates memory while processing a request. */
#define CRYPTO_ALG_ALLOCATES_MEMORY	0x00010000

/* Request flags (crypto_async_request.flags). */
#define CRYPTO_TFM_REQ_MAY_SLEEP	0x00000200
#define CRYPTO_TFM_REQ_MAY_BACKLOG	0x00000400

#define CRYPTO_MAX_ALG_NAME		128

/* Module aliases are not kept (<linux/module.h>). */
#define MODULE_ALIAS_CRYPTO(name)	MODULE_ALIAS(name)

#define CRYPTO_MINALIGN			ARCH_KMALLOC_MINALIGN
#define CRYPTO_MINALIGN_ATTR		__attribute__((__aligned__(CRYPTO_MINALIGN)))

struct crypto_tfm;
struct module;

/* @data is the request's callback data; @err its result (-EINPROGRESS: backlog left). */
typedef void (*crypto_completion_t)(void *data, int err);

struct crypto_async_request {
	struct list_head list;
	crypto_completion_t complete;
	void *data;
	struct crypto_tfm *tfm;
	u32 flags;
};

struct crypto_alg {
	struct list_head cra_list;
	u32 cra_flags;
	unsigned int cra_blocksize;
	unsigned int cra_ctxsize;	/* bytes of tfm context (acomp_tfm_ctx()) */
	unsigned int cra_alignmask;
	int cra_priority;		/* the highest wins a lookup by cra_name */
	refcount_t cra_refcnt;		/* 1 while registered, +1 per tfm */
	char cra_name[CRYPTO_MAX_ALG_NAME];
	char cra_driver_name[CRYPTO_MAX_ALG_NAME];
	struct module *cra_module;
};

struct crypto_tfm {
	u32 crt_flags;
	int node;			/* NUMA node asked for, or NUMA_NO_NODE */
	struct crypto_alg *__crt_alg;
	void *__crt_ctx[] CRYPTO_MINALIGN_ATTR;
};

static inline const char *crypto_tfm_alg_name(struct crypto_tfm *tfm)
{
	return tfm->__crt_alg->cra_name;
}

static inline const char *crypto_tfm_alg_driver_name(struct crypto_tfm *tfm)
{
	return tfm->__crt_alg->cra_driver_name;
}

static inline void *crypto_tfm_ctx(struct crypto_tfm *tfm)
{
	return tfm->__crt_ctx;
}

static inline void crypto_request_set_tfm(struct crypto_async_request *req,
					  struct crypto_tfm *tfm)
{
	req->tfm = tfm;
}

static inline u32 crypto_request_flags(struct crypto_async_request *req)
{
	return req->flags;
}

/* Call the request's callback: the request is done with @err. */
static inline void crypto_request_complete(struct crypto_async_request *req,
					   int err)
{
	req->complete(req->data, err);
}

struct crypto_wait {
	struct completion completion;
	int err;
};

#define CRYPTO_WAIT_INITIALIZER(w) { \
	.completion = COMPLETION_INITIALIZER((w).completion), .err = 0 }

#define DECLARE_CRYPTO_WAIT(_wait) \
	struct crypto_wait _wait = CRYPTO_WAIT_INITIALIZER(_wait)

static inline void crypto_init_wait(struct crypto_wait *wait)
{
	init_completion(&wait->completion);
}

/* The callback for crypto_wait_req(): @data is the struct crypto_wait. */
void crypto_req_done(void *data, int err);

/*
 * @err is what crypto_acomp_compress() and friends returned. Only
 * -EINPROGRESS (started asynchronously) and -EBUSY (queued on the
 * backlog) leave the result to the callback: then sleep until
 * crypto_req_done() ran and hand back what it stored. The wait is made
 * reusable for the caller's next request before returning.
 */
static inline int crypto_wait_req(int err, struct crypto_wait *wait)
{
	bool pending = err == -EINPROGRESS || err == -EBUSY;

	if (!pending)
		return err;
	wait_for_completion(&wait->completion);
	err = wait->err;
	reinit_completion(&wait->completion);
	return err;
}

/*
 * Is an algorithm of this name (cra_name or cra_driver_name) registered
 * whose flags match @type under @mask? (As the kernel, but without
 * loading a module for a missing one.)
 */
int crypto_has_alg(const char *name, u32 type, u32 mask);

#endif /* _SHIM_LINUX_CRYPTO_H */
