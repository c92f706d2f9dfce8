// SPDX-License-Identifier: GPL-2.0-only
/*
 * Asynchronous compression: the algorithm registry, tfms, and the request
 * entry points with the v13 batching convention (crypto/acompress.c and
 * the parts of crypto/api.c and crypto/algapi.c that acomp uses).
 *
 * Lookup follows __crypto_alg_lookup(): a registered algorithm whose
 * cra_driver_name is the name wins at once; otherwise the one of highest
 * cra_priority among those whose cra_name is the name. A tfm holds a
 * reference on its algorithm (cra_refcnt, 1 while registered);
 * crypto_unregister_acomp() takes the algorithm off the list and then
 * sleeps until the last tfm is gone (at most ACOMP_UNREGISTER_WAIT, then
 * a WARN about the leaked tfms), where the kernel WARNs at once (module
 * references keep that from happening there).
 *
 * Batches (see <crypto/acompress.h>) go whole to an algorithm whose
 * batch_size is above 1; for the others acomp_do_units() runs the units
 * one by one through the algorithm's hooks, waiting for each (the fallback
 * Herbert Xu proposed for v13).
 *
 * Fault sites "acomp_compress" and "acomp_decompress": one call per call
 * of an algorithm's hook (so per unit of a fallback batch, per request of
 * a batching algorithm); a hit fails that call with -EIO without running
 * the algorithm.
 */
#include <crypto/internal/acompress.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/printk.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

static LIST_HEAD(crypto_alg_list);
static DECLARE_RWSEM(crypto_alg_sem);
/* Woken when a tfm drops its algorithm reference. */
static DECLARE_WAIT_QUEUE_HEAD(crypto_alg_wq);

/* How long crypto_unregister_acomp() waits for live tfms. */
#define ACOMP_UNREGISTER_WAIT	(10 * HZ)

static DEFINE_FAULT_SITE(acomp_compress_fault, "acomp_compress");
static DEFINE_FAULT_SITE(acomp_decompress_fault, "acomp_decompress");

static bool crypto_alg_matches(struct crypto_alg *q, u32 type, u32 mask)
{
	return !((q->cra_flags ^ type) & mask);
}

/* The algorithm @name finds, with a reference taken; NULL if none. */
static struct crypto_alg *crypto_alg_lookup(const char *name, u32 type, u32 mask)
{
	struct crypto_alg *q, *alg = NULL;
	int best = -2;

	down_read(&crypto_alg_sem);
	list_for_each_entry(q, &crypto_alg_list, cra_list) {
		bool exact, fuzzy;

		if (!crypto_alg_matches(q, type, mask))
			continue;
		exact = !strcmp(q->cra_driver_name, name);
		fuzzy = !strcmp(q->cra_name, name);
		if (!exact && !(fuzzy && q->cra_priority > best))
			continue;
		alg = q;
		best = q->cra_priority;
		if (exact)
			break;
	}
	if (alg)
		refcount_inc(&alg->cra_refcnt);
	up_read(&crypto_alg_sem);
	return alg;
}

static void crypto_alg_put(struct crypto_alg *alg)
{
	/* The registration's reference keeps the count above zero. */
	refcount_dec(&alg->cra_refcnt);
	wake_up_all(&crypto_alg_wq);
}

int crypto_has_alg(const char *name, u32 type, u32 mask)
{
	struct crypto_alg *alg = crypto_alg_lookup(name, type, mask);

	if (!alg)
		return 0;
	crypto_alg_put(alg);
	return 1;
}

struct crypto_acomp *crypto_alloc_acomp_node(const char *alg_name, u32 type,
					     u32 mask, int node)
{
	struct crypto_acomp *tfm;
	struct crypto_alg *alg;
	struct acomp_alg *aalg;
	int err;

	type &= ~CRYPTO_ALG_TYPE_MASK;
	type |= CRYPTO_ALG_TYPE_ACOMPRESS;
	mask |= CRYPTO_ALG_TYPE_ACOMPRESS_MASK;
	alg = crypto_alg_lookup(alg_name, type, mask);
	if (!alg)
		return ERR_PTR(-ENOENT);
	aalg = __crypto_acomp_alg(alg);

	tfm = kzalloc_node(sizeof(*tfm) + alg->cra_ctxsize, GFP_KERNEL, node);
	if (!tfm) {
		err = -ENOMEM;
		goto out_put;
	}
	tfm->compress = aalg->compress;
	tfm->decompress = aalg->decompress;
	tfm->reqsize = aalg->reqsize;
	tfm->base.__crt_alg = alg;
	tfm->base.node = node;
	if (aalg->init) {
		err = aalg->init(tfm);
		if (err)
			goto out_free;
	}
	return tfm;

out_free:
	kfree(tfm);
out_put:
	crypto_alg_put(alg);
	return ERR_PTR(err);
}

struct crypto_acomp *crypto_alloc_acomp(const char *alg_name, u32 type, u32 mask)
{
	return crypto_alloc_acomp_node(alg_name, type, mask, NUMA_NO_NODE);
}

void crypto_free_acomp(struct crypto_acomp *tfm)
{
	struct crypto_alg *alg;
	struct acomp_alg *aalg;

	if (IS_ERR_OR_NULL(tfm))
		return;
	alg = tfm->base.__crt_alg;
	aalg = __crypto_acomp_alg(alg);
	if (aalg->exit)
		aalg->exit(tfm);
	kfree_sensitive(tfm);
	crypto_alg_put(alg);
}

/*
 * As v13: only an asynchronous acomp driver batches in hardware; a
 * synchronous one (every scomp) takes one unit at a time, whatever its
 * alg says.
 */
unsigned int crypto_acomp_batch_size(struct crypto_acomp *tfm)
{
	unsigned int n = crypto_acomp_alg(tfm)->batch_size;

	if (!acomp_is_async(tfm))
		return 1;
	return max(n, 1U);
}

/*
 * A backlogged request reports -EINPROGRESS once when it leaves the
 * backlog and its final result later; only the final result wakes the
 * waiter.
 */
void crypto_req_done(void *data, int err)
{
	struct crypto_wait *wait = data;
	bool left_backlog = err == -EINPROGRESS;

	if (left_backlog)
		return;
	WRITE_ONCE(wait->err, err);
	complete(&wait->completion);
}

/* ---- registration ---- */

/*
 * Each machine starts with an empty registry: a wedged machine is torn
 * down without its module exits, so its algorithms were never
 * unregistered (the kernel boots with an empty list too).
 */
static int __init crypto_acomp_registry_init(void)
{
	INIT_LIST_HEAD(&crypto_alg_list);
	/* So are the waiters its killed tasks left on their stacks. */
	init_waitqueue_head(&crypto_alg_wq);
	return 0;
}
pure_initcall(crypto_acomp_registry_init);

int crypto_register_acomp(struct acomp_alg *alg)
{
	struct crypto_alg *base = &alg->base, *q;
	int ret = 0;

	if (!alg->compress || !alg->decompress || !base->cra_name[0]) {
		pr_err("acomp: algorithm \"%s\" lacks a name or a hook\n",
		       base->cra_name);
		return -EINVAL;
	}
	if (!base->cra_driver_name[0])
		strscpy(base->cra_driver_name, base->cra_name,
			sizeof(base->cra_driver_name));
	base->cra_flags &= ~CRYPTO_ALG_TYPE_MASK;
	base->cra_flags |= CRYPTO_ALG_TYPE_ACOMPRESS;

	down_write(&crypto_alg_sem);
	list_for_each_entry(q, &crypto_alg_list, cra_list) {
		if (q == base || !strcmp(q->cra_driver_name, base->cra_driver_name)) {
			ret = -EEXIST;
			break;
		}
	}
	if (!ret) {
		refcount_set(&base->cra_refcnt, 1);
		list_add(&base->cra_list, &crypto_alg_list);
	}
	up_write(&crypto_alg_sem);
	if (ret)
		pr_err("acomp: driver \"%s\" is already registered\n",
		       base->cra_driver_name);
	return ret;
}

static bool crypto_alg_unused(struct crypto_alg *alg)
{
	return refcount_read(&alg->cra_refcnt) == 1;
}

void crypto_unregister_acomp(struct acomp_alg *alg)
{
	struct crypto_alg *base = &alg->base, *q;
	bool found = false;

	down_write(&crypto_alg_sem);
	list_for_each_entry(q, &crypto_alg_list, cra_list) {
		if (q == base) {
			found = true;
			list_del_init(&base->cra_list);
			break;
		}
	}
	up_write(&crypto_alg_sem);
	if (WARN(!found, "acomp: algorithm %s is not registered\n",
		 base->cra_driver_name))
		return;
	if (!crypto_alg_unused(base))
		pr_info("acomp: %s unregistered; waiting for %u tfms to be freed\n",
			base->cra_driver_name, refcount_read(&base->cra_refcnt) - 1);
	/*
	 * A tfm that is never freed would hang the caller (machine shutdown
	 * included): after the limit, report the leak and return. The
	 * algorithm is static driver data, so the leaked tfm stays usable.
	 */
	if (!wait_event_timeout(crypto_alg_wq, crypto_alg_unused(base),
				ACOMP_UNREGISTER_WAIT))
		WARN(1, "acomp: unregistering %s with %u tfms still allocated\n",
		     base->cra_driver_name, refcount_read(&base->cra_refcnt) - 1);
}

int crypto_register_acomps(struct acomp_alg *algs, int count)
{
	int i, ret;

	for (i = 0; i < count; i++) {
		ret = crypto_register_acomp(&algs[i]);
		if (ret) {
			while (--i >= 0)
				crypto_unregister_acomp(&algs[i]);
			return ret;
		}
	}
	return 0;
}

void crypto_unregister_acomps(struct acomp_alg *algs, int count)
{
	int i;

	for (i = count - 1; i >= 0; i--)
		crypto_unregister_acomp(&algs[i]);
}

/* ---- batches ---- */

/* The per-unit list (destinations for compress, sources for decompress). */
static struct scatterlist *acomp_unit_list(struct acomp_req *req, bool compress)
{
	return compress ? req->dst : req->src;
}

/* Entry @i of @sg, or NULL past the end. */
static struct scatterlist *acomp_sg_nth(struct scatterlist *sg, unsigned int i)
{
	while (sg && i--)
		sg = sg_next(sg);
	return sg;
}

/*
 * @out: one entry over @len bytes at byte @off of the contiguous side,
 * a virtual buffer @virt (if not NULL) or the list @sgl.
 */
static int acomp_flat_unit(struct scatterlist *sgl, const u8 *virt,
			   unsigned int off, unsigned int len,
			   struct scatterlist *out)
{
	struct scatterlist *sg;
	unsigned int pos;

	if (virt) {
		sg_init_one(out, virt + off, len);
		return 0;
	}
	for (sg = sgl; sg && off >= sg->length; sg = sg_next(sg))
		off -= sg->length;
	if (!sg || len > sg->length - off)
		return -EINVAL;
	sg_init_table(out, 1);
	if (sg_is_host_buf(sg)) {
		sg_set_buf(out, sg_virt(sg) + off, len);
		return 0;
	}
	pos = sg->offset + off;
	sg_set_page(out, nth_page(sg_page(sg), pos >> PAGE_SHIFT), len,
		    offset_in_page(pos));
	return 0;
}

int acomp_batch_unit(struct acomp_req *req, bool compress, unsigned int i,
		     struct acomp_unit *u)
{
	unsigned int off = i * req->unit_size;
	struct scatterlist *entry;
	int ret;

	if (i >= acomp_request_nr_units(req, compress))
		return -EINVAL;
	entry = acomp_sg_nth(acomp_unit_list(req, compress), i);
	if (!entry)
		return -EINVAL;
	u->result = entry;
	if (compress) {
		/*
		 * As v13's iaa_comp_acompress_batch(): each unit's room is
		 * the unit size, whatever the entry's length says (a previous
		 * batch leaves its results there).
		 */
		u->dst = *entry;
		u->dst.length = req->unit_size;
		sg_mark_end(&u->dst);
		ret = acomp_flat_unit(req->src,
				      acomp_request_src_isvirt(req) ? req->svirt : NULL,
				      off, req->unit_size, &u->src);
	} else {
		u->src = *entry;
		sg_mark_end(&u->src);
		ret = acomp_flat_unit(req->dst,
				      acomp_request_dst_isvirt(req) ? req->dvirt : NULL,
				      off, req->unit_size, &u->dst);
	}
	return ret;
}

int acomp_batch_finish(struct acomp_req *req, bool compress)
{
	unsigned int i, nr = acomp_request_nr_units(req, compress);
	struct scatterlist *sg = acomp_unit_list(req, compress);
	bool failed = false;

	req->dlen = sg->length;
	for (i = 0; i < nr; i++, sg = sg_next(sg))
		failed |= acomp_unit_result(sg) < 0;
	return failed ? -EINVAL : 0;
}

/* Is @req a well-formed batch? Sets *@nr to its units (1 if single). */
static int acomp_batch_check(struct acomp_req *req, bool compress,
			     unsigned int *nr)
{
	unsigned int len = compress ? req->slen : req->dlen;
	bool list_virt = compress ? acomp_request_dst_isvirt(req) :
				    acomp_request_src_isvirt(req);

	*nr = 1;
	if (!acomp_request_is_batch(req, compress))
		return 0;
	*nr = len / req->unit_size;
	if (!*nr || len % req->unit_size) {
		pr_warn_ratelimited("acomp: %u bytes are not whole units of %u\n",
				    len, req->unit_size);
		return -EINVAL;
	}
	if (list_virt || !acomp_sg_nth(acomp_unit_list(req, compress), *nr - 1)) {
		pr_warn_ratelimited("acomp: a batch of %u units needs a list of %u entries\n",
				    *nr, *nr);
		return -EINVAL;
	}
	return 0;
}

/* Fail every unit of a batch with @err (an injected fault). */
static int acomp_batch_fail(struct acomp_req *req, bool compress, int err)
{
	unsigned int i, nr = acomp_request_nr_units(req, compress);
	struct scatterlist *sg = acomp_unit_list(req, compress);

	for (i = 0; i < nr; i++, sg = sg_next(sg))
		sg->length = (unsigned int)err;
	return acomp_batch_finish(req, compress);
}

/*
 * The fallback: run each unit as a single request on @req itself (saving
 * and restoring the caller's fields), waiting for an asynchronous
 * algorithm, and store each result in its per-unit entry.
 */
static int acomp_do_units(struct acomp_req *req, bool compress, unsigned int nr,
			  struct fault_attr *fault)
{
	struct crypto_acomp *tfm = crypto_acomp_reqtfm(req);
	struct acomp_req saved = *req;
	struct crypto_wait wait;
	struct acomp_unit u;
	unsigned int i;
	int ret;

	crypto_init_wait(&wait);
	for (i = 0; i < nr; i++) {
		ret = acomp_batch_unit(&saved, compress, i, &u);
		if (ret) {
			acomp_batch_set_result(&u, ret);
			continue;
		}
		req->src = &u.src;
		req->dst = &u.dst;
		req->slen = u.src.length;
		req->dlen = u.dst.length;
		req->unit_size = 0;
		req->base.flags = saved.base.flags & ~CRYPTO_ACOMP_REQ_PRIVATE;
		req->base.complete = crypto_req_done;
		req->base.data = &wait;
		if (should_fail_site(fault))
			ret = -EIO;
		else if (compress)
			ret = crypto_wait_req(tfm->compress(req), &wait);
		else
			ret = crypto_wait_req(tfm->decompress(req), &wait);
		acomp_batch_set_result(&u, ret ? ret : (int)req->dlen);
	}
	req->src = saved.src;
	req->dst = saved.dst;
	req->slen = saved.slen;
	req->dlen = saved.dlen;
	req->unit_size = saved.unit_size;
	req->base.flags = saved.base.flags;
	req->base.complete = saved.base.complete;
	req->base.data = saved.base.data;
	return acomp_batch_finish(req, compress);
}

static int acomp_do_req(struct acomp_req *req, bool compress)
{
	struct crypto_acomp *tfm = crypto_acomp_reqtfm(req);
	struct fault_attr *fault = compress ? &acomp_compress_fault :
					      &acomp_decompress_fault;
	unsigned int nr;
	int ret;

	ret = acomp_batch_check(req, compress, &nr);
	if (ret)
		return ret;
	if (nr > 1 && crypto_acomp_batch_size(tfm) == 1)
		return acomp_do_units(req, compress, nr, fault);
	if (should_fail_site(fault))
		ret = nr > 1 ? acomp_batch_fail(req, compress, -EIO) : -EIO;
	else
		ret = compress ? tfm->compress(req) : tfm->decompress(req);
	/*
	 * A single unit reports in its entry too, as v14's core does for an
	 * algorithm that does not take batches (a batching driver does it
	 * itself). Only a result the hook returns: an asynchronous
	 * algorithm's completion is not intercepted (the core keeps no
	 * request state to do it).
	 */
	if (nr == 1 && crypto_acomp_batch_size(tfm) == 1 &&
	    ret != -EINPROGRESS && ret != -EBUSY)
		acomp_single_unit_report(req, ret);
	return ret;
}

int crypto_acomp_compress(struct acomp_req *req)
{
	return acomp_do_req(req, true);
}

int crypto_acomp_decompress(struct acomp_req *req)
{
	return acomp_do_req(req, false);
}
