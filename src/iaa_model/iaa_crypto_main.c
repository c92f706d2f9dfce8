// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iaa_crypto acomp driver (drivers/crypto/intel/iaa/iaa_crypto_main.c
 * with the v13 batching series) on the modelled devices of idxd.h.
 *
 * Three algorithms, one per Huffman mode:
 *	cra_name "deflate",             driver "deflate-iaa"         fixed
 *	cra_name "deflate-iaa-canned",  driver "deflate-iaa-canned"  canned
 *	cra_name "deflate-iaa-dynamic", driver "deflate-iaa-dynamic" dynamic
 * all at priority 300, CRYPTO_ALG_ASYNC, batch size 8. Canned streams are
 * not standard deflate (no block header), so that mode has a name of its
 * own; a lookup of "deflate" finds deflate-iaa as in the kernel.
 *
 * Completion (sync_mode): "sync" submits each job and polls it;
 * "async" (the v13 default) submits every job of a batch, then polls them
 * all until done (iaa_comp_poll(): -EAGAIN until the record is written in
 * virtual time); "async_irq" submits with a completion interrupt and
 * returns -EINPROGRESS; the interrupt work completes the request.
 *
 * Differences from the kernel: no idxd bus or sysfs driver attributes
 * (parameters are module parameters, settable only while the driver is
 * not enabled, i.e. before the machine starts); DMA mapping is modelled
 * only as far as which scatterlists make one segment (iaa_map_src());
 * addresses are virtual; the software fallback is the model's inflate on the CPU rather
 * than the deflate-generic tfm; a decompress that times out falls back to
 * software (the kernel returns the error).
 */
#define KBUILD_MODNAME "iaa_crypto"

#include <crypto/internal/acompress.h>
#include <crypto/scatterwalk.h>
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/topology.h>
#include <sim/timing.h>

#include "iaa_codec.h"
#include "iaa_crypto.h"

#define IAA_ALG_PRIORITY	300

static unsigned int nr_iaa;
static LIST_HEAD(iaa_devices);
static DEFINE_MUTEX(iaa_devices_lock);
static bool iaa_crypto_enabled;
static bool iaa_crypto_registered;
static DEFINE_PER_CPU(struct wq_table_entry, wq_table);

/* Driver settings (the kernel's driver attributes). */
static bool async_mode = true;
static bool use_irq;
static bool iaa_verify_compress;
static bool iaa_distribute_comps = true;
/* WQs per IAA that take only compress jobs (v13; the last ones). */
static unsigned int g_comp_wqs_per_iaa = 1;

/* CPU cost of the software fallback (deflate-generic), cycles. */
static unsigned int sw_decomp_cycles = 2000;
static unsigned int sw_decomp_cycles_per_byte = 5;
static unsigned int sw_comp_cycles_per_byte = 20;
module_param(sw_decomp_cycles, uint, 0644);
MODULE_PARM_DESC(sw_decomp_cycles, "fixed CPU cycles of a software decompress");
module_param(sw_decomp_cycles_per_byte, uint, 0644);
MODULE_PARM_DESC(sw_decomp_cycles_per_byte, "CPU cycles per output byte of a software decompress");
module_param(sw_comp_cycles_per_byte, uint, 0644);
MODULE_PARM_DESC(sw_comp_cycles_per_byte, "CPU cycles per input byte of a software compress");

/* The fallback's workspace, as the kernel's single deflate_generic_tfm. */
static struct iaa_codec_ws *deflate_generic_ws;
static DEFINE_MUTEX(deflate_generic_lock);

/* ---- Settings: only while IAA is not enabled. ---- */

/* The three completion modes: their name and the two switches each sets. */
static const struct iaa_sync_mode_desc {
	const char *name;
	bool async;
	bool irq;
} iaa_sync_modes[] = {
	{ .name = "sync",      .async = false, .irq = false },
	{ .name = "async",     .async = true,  .irq = false },
	{ .name = "async_irq", .async = true,  .irq = true },
};

static int set_iaa_sync_mode(const char *name)
{
	const struct iaa_sync_mode_desc *m;

	for (m = iaa_sync_modes; m < iaa_sync_modes + ARRAY_SIZE(iaa_sync_modes); m++) {
		if (!sysfs_streq(name, m->name))
			continue;
		async_mode = m->async;
		use_irq = m->irq;
		return 0;
	}
	return -EINVAL;
}

static int sync_mode_set(const char *val, const struct kernel_param *kp)
{
	int ret = -EBUSY;

	mutex_lock(&iaa_devices_lock);
	if (!iaa_crypto_enabled)
		ret = set_iaa_sync_mode(val);
	mutex_unlock(&iaa_devices_lock);
	return ret;
}

static int sync_mode_get(char *buf, const struct kernel_param *kp)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(iaa_sync_modes); i++)
		if (iaa_sync_modes[i].async == async_mode && iaa_sync_modes[i].irq == use_irq)
			return sprintf(buf, "%s\n", iaa_sync_modes[i].name);
	return -EINVAL;
}

static const struct kernel_param_ops sync_mode_ops = {
	.set = sync_mode_set,
	.get = sync_mode_get,
};
module_param_cb(sync_mode, &sync_mode_ops, NULL, 0644);
MODULE_PARM_DESC(sync_mode, "sync, async (default) or async_irq");

/* Parameters that change only while IAA is disabled: -EBUSY otherwise. */
static int iaa_set_while_disabled(const char *val, const struct kernel_param *kp,
				  int (*set)(const char *, const struct kernel_param *))
{
	int ret = -EBUSY;

	mutex_lock(&iaa_devices_lock);
	if (!iaa_crypto_enabled)
		ret = set(val, kp);
	mutex_unlock(&iaa_devices_lock);
	return ret;
}

static int iaa_bool_set(const char *val, const struct kernel_param *kp)
{
	return iaa_set_while_disabled(val, kp, param_set_bool);
}

static const struct kernel_param_ops iaa_bool_ops = {
	.set = iaa_bool_set,
	.get = param_get_bool,
};
module_param_cb(verify_compress, &iaa_bool_ops, &iaa_verify_compress, 0644);
MODULE_PARM_DESC(verify_compress, "decompress each output again and compare CRCs (v13: off)");
module_param_cb(distribute_comps, &iaa_bool_ops, &iaa_distribute_comps, 0644);
MODULE_PARM_DESC(distribute_comps, "round-robin compress jobs over the package's IAAs");

static int iaa_uint_set(const char *val, const struct kernel_param *kp)
{
	return iaa_set_while_disabled(val, kp, param_set_uint);
}

static const struct kernel_param_ops iaa_uint_ops = {
	.set = iaa_uint_set,
	.get = param_get_uint,
};
module_param_cb(g_comp_wqs_per_iaa, &iaa_uint_ops, &g_comp_wqs_per_iaa, 0644);
MODULE_PARM_DESC(g_comp_wqs_per_iaa, "WQs per IAA for compress jobs only, the last ones (v13: 1)");

/* ---- Devices, WQs and the per-CPU WQ table. ---- */

/*
 * v13's map_iaa_device_wqs(): the last g_comp_wqs_per_iaa WQs take
 * compress jobs, the others (at least the first) decompress jobs. A
 * device left without a compress WQ (one WQ, or g_comp_wqs_per_iaa 0)
 * sends compress jobs to its decompress WQs, as v13's rebalance does.
 */
static void iaa_device_map_wqs(struct iaa_device *iaa_device)
{
	struct iaa_wq *iaa_wq;
	unsigned int n = 0;

	list_for_each_entry(iaa_wq, &iaa_device->wqs, list) {
		if (!n || n + g_comp_wqs_per_iaa < iaa_device->n_wq)
			iaa_device->decomp_wqs[iaa_device->n_decomp_wqs++] = iaa_wq->wq;
		else
			iaa_device->comp_wqs[iaa_device->n_comp_wqs++] = iaa_wq->wq;
		n++;
	}
	if (!iaa_device->n_comp_wqs) {
		memcpy(iaa_device->comp_wqs, iaa_device->decomp_wqs,
		       iaa_device->n_decomp_wqs * sizeof(iaa_device->comp_wqs[0]));
		iaa_device->n_comp_wqs = iaa_device->n_decomp_wqs;
	}
}

/*
 * Track @idxd and each of its WQs on iaa_devices. Whatever was linked
 * before an allocation failed stays on the list for free_iaa_devices().
 */
static int add_iaa_wq(struct iaa_device *iaa_device, struct idxd_wq *wq)
{
	struct iaa_wq *iaa_wq;

	iaa_wq = kzalloc(sizeof(*iaa_wq), GFP_KERNEL);
	if (!iaa_wq)
		return -ENOMEM;
	*iaa_wq = (struct iaa_wq) { .wq = wq, .iaa_device = iaa_device };
	list_add_tail(&iaa_wq->list, &iaa_device->wqs);
	iaa_device->n_wq++;
	wq->private_data = iaa_wq;
	return 0;
}

static int add_iaa_device(struct idxd_device *idxd)
{
	struct iaa_device *iaa_device;
	unsigned int w;
	int ret = 0;

	iaa_device = kzalloc(sizeof(*iaa_device), GFP_KERNEL);
	if (!iaa_device)
		return -ENOMEM;
	INIT_LIST_HEAD(&iaa_device->wqs);
	iaa_device->idxd = idxd;
	list_add_tail(&iaa_device->list, &iaa_devices);
	nr_iaa++;

	for (w = 0; w < idxd->max_wqs && !ret; w++)
		ret = add_iaa_wq(iaa_device, &idxd->wqs[w]);
	if (!ret)
		iaa_device_map_wqs(iaa_device);
	return ret;
}

static void free_iaa_devices(void)
{
	struct iaa_device *iaa_device, *tmp_dev;
	struct iaa_wq *iaa_wq, *tmp_wq;

	list_for_each_entry_safe(iaa_device, tmp_dev, &iaa_devices, list) {
		list_for_each_entry_safe(iaa_wq, tmp_wq, &iaa_device->wqs, list) {
			iaa_wq->wq->private_data = NULL;
			list_del(&iaa_wq->list);
			kfree(iaa_wq);
		}
		list_del(&iaa_device->list);
		kfree(iaa_device);
	}
	nr_iaa = 0;
}

/*
 * The package of a CPU is its NUMA node. Each CPU is mapped to one IAA of
 * its package (CPUs split evenly among them); compress jobs go round-robin
 * over all of the package's IAAs with distribute_comps.
 */
static void rebalance_wq_table(void)
{
	struct iaa_device *node_devs[IAA_MAX_DEVICES], *iaa_device;
	unsigned int cpu, c, n, idx, ncpus;

	for_each_possible_cpu(cpu) {
		struct wq_table_entry *entry = per_cpu_ptr(&wq_table, cpu);
		int node = cpu_to_node(cpu);

		n = 0;
		list_for_each_entry(iaa_device, &iaa_devices, list)
			if (iaa_device->idxd->node == node)
				node_devs[n++] = iaa_device;
		if (!n)		/* a package without IAA uses them all */
			list_for_each_entry(iaa_device, &iaa_devices, list)
				node_devs[n++] = iaa_device;

		idx = 0;
		ncpus = 0;
		for_each_possible_cpu(c) {
			if (cpu_to_node(c) != node)
				continue;
			if (c < cpu)
				idx++;
			ncpus++;
		}
		memset(entry, 0, sizeof(*entry));
		entry->decomp_dev = node_devs[idx * n / ncpus];
		if (iaa_distribute_comps) {
			memcpy(entry->comp_devs, node_devs, n * sizeof(node_devs[0]));
			entry->n_comp_devs = n;
			entry->cur_comp = cpu % n;
		} else {
			entry->comp_devs[0] = entry->decomp_dev;
			entry->n_comp_devs = 1;
		}
	}
}

static struct idxd_wq *wq_table_next_wq(bool compress)
{
	struct wq_table_entry *entry;
	struct iaa_device *iaa_device;
	unsigned int i;

	entry = get_cpu_ptr(&wq_table);
	if (compress) {
		iaa_device = entry->comp_devs[entry->cur_comp];
		if (++entry->cur_comp >= entry->n_comp_devs)
			entry->cur_comp = 0;
	} else {
		iaa_device = entry->decomp_dev;
	}
	put_cpu_ptr(&wq_table);

	if (compress) {
		i = atomic_inc_return(&iaa_device->next_comp_wq);
		return iaa_device->comp_wqs[i % iaa_device->n_comp_wqs];
	}
	i = atomic_inc_return(&iaa_device->next_decomp_wq);
	return iaa_device->decomp_wqs[i % iaa_device->n_decomp_wqs];
}

/* ---- Descriptors: submission and completion. ---- */

static inline struct iaa_wq *idxd_wq_get_private(struct idxd_wq *wq)
{
	return wq->private_data;
}

/*
 * A record that never gets written means the device is wedged: stop
 * using it for new jobs (decompress then runs in software).
 */
static int iaa_wedged(bool compress)
{
	pr_err("iaa_crypto: no completion for a %s job after %d polls; disabling IAA\n",
	       compress ? "compress" : "decompress", IAA_COMPLETION_TIMEOUT);
	atomic64_inc(&iaa_stats.total_completion_timeout_errors);
	WRITE_ONCE(iaa_crypto_enabled, false);
	return -ETIMEDOUT;
}

/* The errno of a written completion record, counted in iaa_stats. */
static int iaa_record_errno(const struct iax_completion_record *comp, bool compress)
{
	switch (comp->status) {
	case IAX_COMP_SUCCESS:
		return 0;
	case IAA_ERROR_DECOMP_BUF_OVERFLOW:
		return -EOVERFLOW;
	case IAA_ERROR_WATCHDOG_EXPIRED:
		atomic64_inc(&iaa_stats.total_completion_timeout_errors);
		return -ETIMEDOUT;
	case IAA_ANALYTICS_ERROR:
		/* Only compress has an output limit the caller chose. */
		if (!compress || comp->error_code != IAA_ERROR_COMP_BUF_OVERFLOW)
			break;
		atomic64_inc(&iaa_stats.total_completion_comp_buf_overflow_errors);
		return -E2BIG;
	}
	atomic64_inc(&iaa_stats.total_completion_einval_errors);
	pr_debug("iaa_crypto: %s job failed: status %#x, error code %#x, %u bytes out\n",
		 compress ? "compress" : "decompress", comp->status, comp->error_code,
		 comp->output_size);
	return -EINVAL;
}

/*
 * Poll @idxd_desc's record: once (-EAGAIN while unwritten) or until
 * written, each poll being one cpu_relax() read in idxd_desc_status().
 */
static int check_completion(struct idxd_desc *idxd_desc, bool compress, bool only_once)
{
	int polls;

	for (polls = 0; !idxd_desc_status(idxd_desc); polls++) {
		if (only_once)
			return -EAGAIN;
		if (polls >= IAA_COMPLETION_TIMEOUT)
			return iaa_wedged(compress);
	}
	return iaa_record_errno(idxd_desc->iax_completion, compress);
}

static struct idxd_desc *iaa_alloc_desc(struct idxd_wq *wq, int limit)
{
	struct iaa_wq *iaa_wq = idxd_wq_get_private(wq);
	struct idxd_desc *idxd_desc;
	int retries = 0;

	idxd_desc = idxd_alloc_desc(wq, IDXD_OP_NONBLOCK);
	while (idxd_desc == ERR_PTR(-EAGAIN) && retries++ < limit) {
		iaa_model_charge_cycles(iaa_model.poll_cycles);	/* cpu_relax() */
		idxd_desc = idxd_alloc_desc(wq, IDXD_OP_NONBLOCK);
	}
	if (retries)
		atomic64_add(min(retries, limit), &iaa_wq->alloc_retries);
	if (IS_ERR(idxd_desc))
		atomic64_inc(&iaa_stats.total_desc_alloc_failures);
	return idxd_desc;
}

static void iaa_desc_complete(struct idxd_desc *idxd_desc, void *data);

/* Fill and submit @job's descriptor: -EINPROGRESS, or an error (no descriptor held). */
static int iaa_submit_job(struct iaa_compression_ctx *ctx, struct iaa_job *job,
			  bool compress, u16 extra_flags)
{
	struct iaa_wq *iaa_wq = idxd_wq_get_private(job->wq);
	struct idxd_desc *idxd_desc;
	struct iax_hw_desc *desc;
	int limit, ret;

	if (compress)
		limit = ctx->mode == IAA_MODE_DYNAMIC ? IAA_ALLOC_DESC_DYNAMIC_TIMEOUT :
							IAA_ALLOC_DESC_COMP_TIMEOUT;
	else
		limit = IAA_ALLOC_DESC_DECOMP_TIMEOUT;
	idxd_desc = iaa_alloc_desc(job->wq, limit);
	if (IS_ERR(idxd_desc))
		return -ENODEV;

	desc = idxd_desc->iax_hw;
	desc->flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_CC |
		      IDXD_OP_FLAG_RD_SRC2_AECS;
	if (ctx->use_irq && job->rctx)
		desc->flags |= IDXD_OP_FLAG_RCI;
	desc->opcode = compress ? IAX_OPCODE_COMPRESS : IAX_OPCODE_DECOMPRESS;
	if (compress)
		desc->compr_flags = IAA_COMP_FLAGS;
	else
		desc->decompr_flags = IAA_DECOMP_FLAGS | extra_flags;
	desc->priv = 0;
	desc->src1_addr = (u64)(uintptr_t)job->src;
	desc->src1_size = job->slen;
	desc->dst_addr = (u64)(uintptr_t)job->dst;
	desc->max_dst_size = job->dlen;
	/* The AECS with the mode's tables: the model reads the mode from it. */
	desc->src2_addr = ctx->mode;
	desc->completion_addr = (u64)(uintptr_t)idxd_desc->iax_completion;
	idxd_desc->complete = iaa_desc_complete;
	idxd_desc->complete_data = job;
	job->desc = idxd_desc;
	job->polls = 0;

	ret = idxd_submit_desc(job->wq, idxd_desc);
	if (ret) {
		pr_debug("iaa_crypto: submit_desc failed ret=%d\n", ret);
		atomic64_inc(&iaa_wq->submit_failures);
		atomic64_inc(&iaa_stats.total_submit_failures);
		idxd_free_desc(job->wq, idxd_desc);
		job->desc = NULL;
		return ret;
	}
	if (compress) {
		atomic64_inc(&iaa_stats.total_comp_calls);
		atomic64_inc(&iaa_wq->comp_calls);
	} else {
		atomic64_inc(&iaa_stats.total_decomp_calls);
		atomic64_inc(&iaa_wq->decomp_calls);
		atomic64_add(job->slen, &iaa_stats.total_decomp_bytes_in);
		atomic64_add(job->slen, &iaa_wq->decomp_bytes);
	}
	return -EINPROGRESS;
}

/* deflate-generic: decompress @job on the CPU, without the device's window. */
static int deflate_generic_decompress(struct iaa_compression_ctx *ctx, struct iaa_job *job)
{
	unsigned int dlen = job->dlen;
	u64 t0;
	int ret;

	atomic64_inc(&iaa_stats.total_sw_decomp_calls);
	if (job->wq)
		atomic64_inc(&idxd_wq_get_private(job->wq)->sw_fallbacks);
	t0 = sim_cpu_work_begin();
	mutex_lock(&deflate_generic_lock);
	ret = iaa_codec_decompress(deflate_generic_ws, ctx->mode, job->src, job->slen,
				   job->dst, &dlen, false);
	mutex_unlock(&deflate_generic_lock);
	iaa_model_account_ns(sim_cpu_work_end(t0, DIV_ROUND_UP_ULL(((u64)sw_decomp_cycles +
			     (u64)sw_decomp_cycles_per_byte * dlen) * 1000, iaa_model.freq_mhz)));
	if (ret)
		return ret == -ENOSPC ? -EOVERFLOW : -EINVAL;
	return dlen;
}

/* Software compress, for input the dynamic mode's engine does not take. */
static int deflate_generic_compress(struct iaa_compression_ctx *ctx, struct iaa_job *job)
{
	unsigned int dlen = job->dlen;
	u64 t0;
	int ret;

	atomic64_inc(&iaa_stats.total_sw_comp_calls);
	t0 = sim_cpu_work_begin();
	mutex_lock(&deflate_generic_lock);
	ret = iaa_codec_compress(deflate_generic_ws, ctx->mode, job->src, job->slen,
				 job->dst, &dlen);
	mutex_unlock(&deflate_generic_lock);
	iaa_model_account_ns(sim_cpu_work_end(t0,
			     DIV_ROUND_UP_ULL((u64)sw_comp_cycles_per_byte * job->slen * 1000,
					      iaa_model.freq_mhz)));
	if (ret)
		return ret == -ENOSPC ? -E2BIG : -EINVAL;
	return dlen;
}

/*
 * verify_compress: decompress the output on the same WQ with the output
 * suppressed and compare the engine's CRC with the compress CRC. As v13:
 * a failed decompress gives check_completion()'s errno, a CRC mismatch
 * -EINVAL.
 */
static int iaa_compress_verify(struct iaa_compression_ctx *ctx, struct iaa_job *job,
			       u32 compression_crc)
{
	struct iaa_job vjob = {
		.wq = job->wq, .src = job->dst, .slen = job->result,
		.dst = NULL, .dlen = job->slen,
	};
	int ret;

	ret = iaa_submit_job(ctx, &vjob, false, IAA_DECOMP_SUPPRESS_OUTPUT);
	if (ret != -EINPROGRESS)
		return ret;
	ret = check_completion(vjob.desc, false, false);
	iaa_model_charge_cycles(iaa_model.decomp_complete_cycles);
	if (!ret && vjob.desc->iax_completion->crc != compression_crc)
		ret = -EINVAL;
	if (ret) {
		pr_debug("iaa_crypto: verify failed ret=%d\n", ret);
		atomic64_inc(&iaa_stats.total_verify_failures);
	}
	idxd_free_desc(vjob.wq, vjob.desc);
	return ret;
}

/*
 * @job's descriptor completed with @ret (check_completion()): set
 * job->result. From the completion interrupt (@irq), as the kernel's
 * iaa_desc_complete(): only an analytics error (0x0a) of a decompress
 * falls back to software, and every failure is -EIO.
 */
static void iaa_finish_job(struct iaa_compression_ctx *ctx, struct iaa_job *job,
			   bool compress, int ret, bool irq)
{
	struct idxd_desc *idxd_desc = job->desc;
	struct iax_completion_record *comp = idxd_desc->iax_completion;
	struct iaa_wq *iaa_wq = idxd_wq_get_private(job->wq);
	bool fallback;

	job->done = true;
	if (compress) {
		iaa_model_charge_cycles(iaa_model.comp_complete_cycles);
		if (!ret) {
			job->result = comp->output_size;
			atomic64_add(job->result, &iaa_stats.total_comp_bytes_out);
			atomic64_add(job->result, &iaa_wq->comp_bytes);
			if (ctx->verify_compress)
				ret = iaa_compress_verify(ctx, job, comp->crc);
		}
		if (ret)
			job->result = irq ? -EIO : ret;
		idxd_free_desc(job->wq, idxd_desc);
		job->desc = NULL;
		return;
	}

	iaa_model_charge_cycles(iaa_model.decomp_complete_cycles);
	job->result = ret ? ret : comp->output_size;
	/* Polling: analytics errors, output overflow and timeouts go to software. */
	if (irq)
		fallback = ret && comp->status == IAA_ANALYTICS_ERROR;
	else
		fallback = ret == -EINVAL || ret == -EOVERFLOW || ret == -ETIMEDOUT;
	idxd_free_desc(job->wq, idxd_desc);
	job->desc = NULL;
	if (fallback) {
		pr_debug("iaa_crypto: falling back to deflate-generic decompress (%d)\n", ret);
		job->result = deflate_generic_decompress(ctx, job);
	}
	if (irq && job->result < 0)
		job->result = -EIO;
}

/*
 * Submit @job. On -EINPROGRESS it is in flight; otherwise it is done
 * (job->result set): a compress that could not be submitted fails, a
 * decompress falls back to software.
 */
static int iaa_start_job(struct iaa_compression_ctx *ctx, struct iaa_job *job, bool compress)
{
	int ret;

	job->done = false;
	job->desc = NULL;
	if (compress && ctx->mode == IAA_MODE_DYNAMIC && job->slen > IAA_DYNAMIC_MAX_SRC) {
		job->result = deflate_generic_compress(ctx, job);
		job->done = true;
		return 0;
	}
	if (!READ_ONCE(iaa_crypto_enabled)) {
		job->result = compress ? -ENODEV : deflate_generic_decompress(ctx, job);
		job->done = true;
		return 0;
	}
	job->wq = wq_table_next_wq(compress);
	ret = iaa_submit_job(ctx, job, compress, 0);
	if (ret == -EINPROGRESS)
		return ret;
	job->result = compress ? ret : deflate_generic_decompress(ctx, job);
	job->done = true;
	return 0;
}

/* v13 iaa_comp_poll(): -EAGAIN until @job's record is written, then its result. */
static int iaa_comp_poll(struct iaa_compression_ctx *ctx, struct iaa_job *job, bool compress)
{
	int ret;

	if (job->done)
		return job->result;
	ret = check_completion(job->desc, compress, true);
	if (ret == -EAGAIN) {
		if (++job->polls < IAA_COMPLETION_TIMEOUT)
			return -EAGAIN;
		ret = iaa_wedged(compress);
	}
	iaa_finish_job(ctx, job, compress, ret, false);
	return job->result;
}

/* Wait for every in-flight job of @jobs by polling them in turn. */
static void iaa_poll_jobs(struct iaa_compression_ctx *ctx, struct iaa_job *jobs,
			  unsigned int nr, bool compress)
{
	unsigned int i, left = nr;

	while (left) {
		left = 0;
		for (i = 0; i < nr; i++)
			if (iaa_comp_poll(ctx, &jobs[i], compress) == -EAGAIN)
				left++;
	}
}

/*
 * Decompress batches submit the two largest jobs first (v13): they take
 * the longest, so starting them early shortens the batch.
 */
static void iaa_decomp_order(struct iaa_job *jobs, unsigned int nr, unsigned int *order)
{
	unsigned int i, a = 0, b = nr > 1 ? 1 : 0, n = 0;

	if (nr > 1 && jobs[b].slen > jobs[a].slen)
		swap(a, b);
	for (i = 2; i < nr; i++) {
		if (jobs[i].slen > jobs[a].slen) {
			b = a;
			a = i;
		} else if (jobs[i].slen > jobs[b].slen) {
			b = i;
		}
	}
	order[n++] = a;
	if (nr > 1)
		order[n++] = b;
	for (i = 0; i < nr; i++)
		if (i != a && (nr == 1 || i != b))
			order[n++] = i;
}

/* The submission order of a batch, the same in every completion mode. */
static void iaa_submit_order(struct iaa_job *jobs, unsigned int nr, bool compress,
			     unsigned int *order)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		order[i] = i;
	if (!compress && nr > 2)
		iaa_decomp_order(jobs, nr, order);
}

/* Run @nr jobs to completion in the polling modes. */
static void iaa_run_jobs(struct iaa_compression_ctx *ctx, struct iaa_job *jobs,
			 unsigned int nr, bool compress)
{
	unsigned int order[IAA_CRYPTO_MAX_BATCH_SIZE], i;

	iaa_submit_order(jobs, nr, compress, order);
	for (i = 0; i < nr; i++) {
		struct iaa_job *job = &jobs[order[i]];

		if (iaa_start_job(ctx, job, compress) != -EINPROGRESS)
			continue;
		/* sync: each job is polled to completion before the next. */
		if (!ctx->async_mode || nr == 1)
			iaa_finish_job(ctx, job, compress,
				       check_completion(job->desc, compress, false), false);
	}
	if (ctx->async_mode && nr > 1)
		iaa_poll_jobs(ctx, jobs, nr, compress);
}

/* dma_get_max_seg_size() of a PCI device without its own limit. */
#define IAA_DMA_MAX_SEG_SIZE	65536U

/*
 * The kernel's dma_map_sg() of a single request's source, which the
 * driver takes only as one DMA segment (nr_sgs > 1: -EIO). With a
 * translating IOMMU (dma-iommu's __finalise_sg()) an entry joins the one
 * before it when it starts at a page boundary and the one before ends at
 * one, up to the device's segment size; in passthrough (dma-direct) every
 * entry is a segment. So the two entries zs_obj_read_sg_begin() gives for
 * an object that straddles two zsmalloc pages (the first ends where its
 * page ends, the second starts at offset 0) make one segment under an
 * IOMMU and an -EIO in passthrough, as in the kernel.
 *
 * Difference: the model has no IOVA space. A segment merged from several
 * entries is copied into the request's src_iova, which stands for the
 * contiguous IOVA range the device reads; the copy costs no modelled time
 * (translation is not modelled). A merged segment larger than that (not
 * made by zswap, whose compressed objects are under a page) gets -EIO.
 */
static int iaa_map_src(struct acomp_req *req, struct iaa_job *job)
{
	struct iaa_req_ctx *rctx = acomp_request_ctx(req);
	struct scatterlist *sg, *next;
	int nents, i;

	nents = req->src ? sg_nents_for_len(req->src, req->slen) : -EINVAL;
	if (nents <= 0)
		return -EIO;
	if (nents == 1) {
		job->src = sg_virt(req->src);
		return 0;
	}

	for (i = 0, sg = req->src; i < nents - 1; i++, sg = next) {
		next = sg_next(sg);
		if (iaa_model.iommu_passthrough ||
		    (sg->offset + sg->length) & ~PAGE_MASK || next->offset & ~PAGE_MASK) {
			pr_debug("iaa_crypto: couldn't map src sg: %d segments\n", nents);
			return -EIO;
		}
	}
	if (req->slen > IAA_DMA_MAX_SEG_SIZE || req->slen > sizeof(rctx->src_iova))
		return -EIO;

	memcpy_from_sglist(rctx->src_iova, req->src, 0, req->slen);
	job->src = rctx->src_iova;
	return 0;
}

/* The source and destination of a single request. */
static int iaa_req_buffers(struct acomp_req *req, struct iaa_job *job)
{
	int ret;

	if (acomp_request_src_isvirt(req)) {
		job->src = req->svirt;
	} else {
		ret = iaa_map_src(req, job);
		if (ret)
			return ret;
	}
	if (acomp_request_dst_isvirt(req)) {
		job->dst = req->dvirt;
	} else {
		if (!req->dst)
			return -EIO;
		job->dst = sg_virt(req->dst);
		req->dlen = min(req->dlen, req->dst->length);
	}
	job->slen = req->slen;
	job->dlen = req->dlen;
	return 0;
}

/*
 * The result of a single request: as v13's iaa_to_acomp(), one with
 * unit_size set also gets it (the length or the errno) in req->dst->length.
 */
static int iaa_single_result(struct acomp_req *req, int result)
{
	int ret = result < 0 ? result : 0;

	if (!ret)
		req->dlen = result;
	acomp_single_unit_report(req, ret);
	return ret;
}

/* async_irq: one job of @rctx is done; the last one completes the request. */
static void iaa_req_job_done(struct iaa_req_ctx *rctx)
{
	struct acomp_req *req = rctx->req;
	unsigned int i;
	int ret;

	if (!atomic_dec_and_test(&rctx->pending))
		return;
	if (rctx->batch) {
		for (i = 0; i < rctx->nr; i++)
			acomp_batch_set_result(&rctx->jobs[i].unit, rctx->jobs[i].result);
		ret = acomp_batch_finish(req, rctx->compress);
	} else {
		ret = iaa_single_result(req, rctx->jobs[0].result);
	}
	acomp_request_complete(req, ret);
}

/* The completion interrupt of one job (async_irq). */
static void iaa_desc_complete(struct idxd_desc *idxd_desc, void *data)
{
	struct iaa_job *job = data;
	struct iaa_req_ctx *rctx = job->rctx;
	struct iaa_compression_ctx *ctx = acomp_tfm_ctx(crypto_acomp_reqtfm(rctx->req));

	iaa_finish_job(ctx, job, rctx->compress,
		       check_completion(idxd_desc, rctx->compress, true), true);
	iaa_req_job_done(rctx);
}

static int iaa_comp_run(struct acomp_req *req, bool compress)
{
	struct iaa_compression_ctx *ctx = acomp_tfm_ctx(crypto_acomp_reqtfm(req));
	struct iaa_req_ctx *rctx = acomp_request_ctx(req);
	unsigned int nr = acomp_request_nr_units(req, compress);
	unsigned int i, base, n;
	bool irq = ctx->use_irq && nr <= IAA_CRYPTO_MAX_BATCH_SIZE;
	int ret;

	/* Per request: context, list walk, WQ table lookup. */
	iaa_model_charge_cycles(iaa_model.req_cycles);
	rctx->req = req;
	rctx->compress = compress;
	rctx->batch = acomp_request_is_batch(req, compress);

	for (base = 0; base < nr; base += n) {
		n = min(nr - base, IAA_CRYPTO_MAX_BATCH_SIZE);
		rctx->nr = n;
		for (i = 0; i < n; i++) {
			struct iaa_job *job = &rctx->jobs[i];

			memset(job, 0, sizeof(*job));
			job->rctx = irq ? rctx : NULL;
			if (!rctx->batch) {
				ret = iaa_req_buffers(req, job);
				if (ret)
					return ret;
				continue;
			}
			ret = acomp_batch_unit(req, compress, base + i, &job->unit);
			if (ret)
				return ret;
			job->src = sg_virt(&job->unit.src);
			job->slen = job->unit.src.length;
			job->dst = sg_virt(&job->unit.dst);
			job->dlen = job->unit.dst.length;
		}

		if (irq) {
			unsigned int order[IAA_CRYPTO_MAX_BATCH_SIZE];

			iaa_submit_order(rctx->jobs, n, compress, order);
			atomic_set(&rctx->pending, n + 1);
			for (i = 0; i < n; i++)
				if (iaa_start_job(ctx, &rctx->jobs[order[i]], compress) !=
				    -EINPROGRESS)
					iaa_req_job_done(rctx);
			if (!atomic_dec_and_test(&rctx->pending))
				return -EINPROGRESS;
			/* Everything finished at submission: complete here. */
		} else {
			iaa_run_jobs(ctx, rctx->jobs, n, compress);
		}
		for (i = 0; i < n; i++)
			if (rctx->batch)
				acomp_batch_set_result(&rctx->jobs[i].unit, rctx->jobs[i].result);
	}

	if (rctx->batch)
		return acomp_batch_finish(req, compress);
	return iaa_single_result(req, rctx->jobs[0].result);
}

static int iaa_comp_acompress(struct acomp_req *req)
{
	int ret;

	if (!READ_ONCE(iaa_crypto_enabled))
		return -ENODEV;
	iaa_model_begin();
	ret = iaa_comp_run(req, true);
	iaa_model_end();
	return ret;
}

static int iaa_comp_adecompress(struct acomp_req *req)
{
	int ret;

	iaa_model_begin();
	ret = iaa_comp_run(req, false);
	iaa_model_end();
	return ret;
}

/* ---- Algorithms. ---- */

static int iaa_comp_init(struct crypto_acomp *tfm, enum iaa_huffman_mode mode)
{
	struct iaa_compression_ctx *ctx = acomp_tfm_ctx(tfm);

	ctx->mode = mode;
	ctx->verify_compress = iaa_verify_compress;
	ctx->async_mode = async_mode;
	ctx->use_irq = use_irq;
	return 0;
}

static int iaa_comp_init_fixed(struct crypto_acomp *tfm)
{
	return iaa_comp_init(tfm, IAA_MODE_FIXED);
}

static int iaa_comp_init_canned(struct crypto_acomp *tfm)
{
	return iaa_comp_init(tfm, IAA_MODE_CANNED);
}

static int iaa_comp_init_dynamic(struct crypto_acomp *tfm)
{
	return iaa_comp_init(tfm, IAA_MODE_DYNAMIC);
}

#define IAA_ACOMP_ALG(_init, _name, _driver) {				\
	.init		= _init,					\
	.compress	= iaa_comp_acompress,				\
	.decompress	= iaa_comp_adecompress,				\
	.reqsize	= sizeof(struct iaa_req_ctx),			\
	.batch_size	= IAA_CRYPTO_MAX_BATCH_SIZE,			\
	.base		= {						\
		.cra_name	 = _name,				\
		.cra_driver_name = _driver,				\
		.cra_flags	 = CRYPTO_ALG_ASYNC,			\
		.cra_ctxsize	 = sizeof(struct iaa_compression_ctx),	\
		.cra_module	 = THIS_MODULE,				\
		.cra_priority	 = IAA_ALG_PRIORITY,			\
	},								\
}

static struct acomp_alg iaa_acomp_algs[] = {
	IAA_ACOMP_ALG(iaa_comp_init_fixed, "deflate", "deflate-iaa"),
	IAA_ACOMP_ALG(iaa_comp_init_canned, "deflate-iaa-canned", "deflate-iaa-canned"),
	IAA_ACOMP_ALG(iaa_comp_init_dynamic, "deflate-iaa-dynamic", "deflate-iaa-dynamic"),
};

/* The kernel's iaa_crypto_probe() for every WQ the idxd bus offers. */
static int iaa_crypto_probe_all(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < iaa_nr_idxd_devices; i++) {
		ret = add_iaa_device(iaa_idxd_devices[i]);
		if (ret)
			return ret;
	}
	rebalance_wq_table();
	return 0;
}

static void iaa_crypto_cleanup(void)
{
	iaa_crypto_debugfs_cleanup();
	if (iaa_crypto_registered)
		crypto_unregister_acomps(iaa_acomp_algs, ARRAY_SIZE(iaa_acomp_algs));
	iaa_crypto_registered = false;
	mutex_lock(&iaa_devices_lock);
	iaa_crypto_enabled = false;
	free_iaa_devices();
	mutex_unlock(&iaa_devices_lock);
	iaa_codec_ws_free(deflate_generic_ws);
	deflate_generic_ws = NULL;
	memset(&iaa_stats, 0, sizeof(iaa_stats));
}

static int __init iaa_crypto_init_module(void)
{
	int ret;

	/*
	 * A wedged machine is torn down without module exits (sim/init.h):
	 * forget the previous machine's devices, whose memory is gone.
	 */
	INIT_LIST_HEAD(&iaa_devices);
	nr_iaa = 0;
	iaa_crypto_enabled = false;
	iaa_crypto_registered = false;

	if (!iaa_nr_idxd_devices) {
		pr_info("iaa_crypto: no IAA devices\n");
		return 0;
	}
	deflate_generic_ws = iaa_codec_ws_alloc();
	if (!deflate_generic_ws)
		return -ENOMEM;

	mutex_lock(&iaa_devices_lock);
	ret = iaa_crypto_probe_all();
	mutex_unlock(&iaa_devices_lock);
	if (ret)
		goto err;

	ret = crypto_register_acomps(iaa_acomp_algs, ARRAY_SIZE(iaa_acomp_algs));
	if (ret) {
		pr_err("iaa_crypto: deflate algorithm acomp registration failed (%d)\n", ret);
		goto err;
	}
	iaa_crypto_registered = true;
	ret = iaa_crypto_debugfs_init(&iaa_devices);
	if (ret)
		goto err;
	mutex_lock(&iaa_devices_lock);
	iaa_crypto_enabled = true;
	mutex_unlock(&iaa_devices_lock);
	pr_debug("iaa_crypto: initialized, %u IAA(s)\n", nr_iaa);
	return 0;
err:
	iaa_crypto_cleanup();
	return ret;
}

static void __exit iaa_crypto_cleanup_module(void)
{
	iaa_crypto_cleanup();
}

module_init(iaa_crypto_init_module);
module_exit(iaa_crypto_cleanup_module);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("IAA Compression Accelerator Crypto Driver (cycle-modelled)");
