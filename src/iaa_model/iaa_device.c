// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cycle-modelled IAA devices (see idxd.h): creation at boot from the
 * iaa_model.* parameters, the descriptor pools, portal submission,
 * dispatch to engines in virtual time, the completion records, and the
 * completion interrupts of IDXD_OP_FLAG_RCI descriptors.
 *
 * In the kernel the devices are PCI functions configured with accel-config
 * and driven by drivers/dma/idxd; here they exist from boot, with the
 * configuration the parameters give, and iaa_crypto finds them through
 * iaa_idxd_devices[] where the kernel's idxd bus would probe its WQs.
 */
#define KBUILD_MODNAME "iaa_model"

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <sim/sched.h>

#include "iaa_codec.h"
#include "idxd.h"

/* Defaults: the fit to the published table (docs/iaa-model.md). */
struct iaa_model_params iaa_model = {
	.nr_devices		= 1,
	.wqs_per_device		= 2,
	.wq_mode		= IDXD_WQ_DEDICATED,
	.nr_engines		= 8,
	.comp_engines		= 2,
	.freq_mhz		= 2000,
	.req_cycles		= 1170,
	.submit_cycles		= 480,
	.comp_complete_cycles	= 742,
	.decomp_complete_cycles	= 748,
	.poll_cycles		= 40,
	.irq_cycles		= 1200,
	.irq_latency_ns		= 3000,
	.comp_setup_ns		= 360,
	.comp_ps_per_byte_in	= 400,
	.comp_ps_per_byte_out	= 240,
	.dyn_ps_per_byte_in	= 250,
	.decomp_setup_ns	= 425,
	.decomp_ps_per_byte_in	= 300,
	.decomp_ps_per_byte_out	= 237,
	.watchdog_ns		= 100 * 1000 * 1000,
};

struct idxd_device *iaa_idxd_devices[IAA_MAX_DEVICES];
unsigned int iaa_nr_idxd_devices;
/* Devices exist: the configuration is fixed until the machine stops. */
static bool iaa_model_up;

static DEFINE_FAULT_SITE(iaa_engine_error_fault, "iaa_engine_error");
static DEFINE_FAULT_SITE(iaa_timeout_fault, "iaa_timeout");
static DEFINE_FAULT_SITE(iaa_wq_refuse_fault, "iaa_wq_refuse");
static DEFINE_FAULT_SITE(iaa_desc_alloc_fault, "iaa_desc_alloc");

/*
 * The device configuration is read at boot; as accel-config cannot change
 * an enabled device, writes while the devices exist are refused.
 */
static int iaa_model_param_set(const char *val, const struct kernel_param *kp)
{
	if (READ_ONCE(iaa_model_up))
		return -EBUSY;
	return param_set_uint(val, kp);
}

static const struct kernel_param_ops iaa_model_param_ops = {
	.set = iaa_model_param_set,
	.get = param_get_uint,
};

#define iaa_model_param(name, field, desc)				\
	module_param_cb(name, &iaa_model_param_ops, &iaa_model.field, 0644); \
	MODULE_PARM_DESC(name, desc)

iaa_model_param(devices, nr_devices, "IAA devices (spread over the NUMA nodes)");
iaa_model_param(wqs, wqs_per_device, "work queues per device (128 entries shared)");
iaa_model_param(wq_mode, wq_mode, "0: dedicated WQs (MOVDIR64B), 1: shared (ENQCMDS)");
iaa_model_param(engines, nr_engines, "engines per device");
iaa_model_param(comp_engines, comp_engines, "engines per device that take compress jobs");
iaa_model_param(freq_mhz, freq_mhz, "core frequency of the CPU-side costs");
iaa_model_param(req_cycles, req_cycles, "CPU cycles per request: context, list walk, WQ lookup");
iaa_model_param(submit_cycles, submit_cycles, "CPU cycles to prepare and submit a descriptor");
iaa_model_param(comp_complete_cycles, comp_complete_cycles,
		"CPU cycles to process a compress completion");
iaa_model_param(decomp_complete_cycles, decomp_complete_cycles,
		"CPU cycles to process a decompress completion");
iaa_model_param(poll_cycles, poll_cycles, "CPU cycles of one completion-record poll");
iaa_model_param(irq_cycles, irq_cycles, "CPU cycles of the completion interrupt handler");
iaa_model_param(irq_latency_ns, irq_latency_ns, "ns from record write to the handler running");
iaa_model_param(comp_setup_ns, comp_setup_ns, "engine ns per compress job");
iaa_model_param(comp_ps_per_byte_in, comp_ps_per_byte_in, "engine ps per compress input byte");
iaa_model_param(comp_ps_per_byte_out, comp_ps_per_byte_out, "engine ps per compress output byte");
iaa_model_param(dyn_ps_per_byte_in, dyn_ps_per_byte_in,
		"engine ps per input byte of the dynamic mode's statistics pass");
iaa_model_param(decomp_setup_ns, decomp_setup_ns, "engine ns per decompress job");
iaa_model_param(decomp_ps_per_byte_in, decomp_ps_per_byte_in,
		"engine ps per decompress input byte");
iaa_model_param(decomp_ps_per_byte_out, decomp_ps_per_byte_out,
		"engine ps per decompress output byte");
iaa_model_param(watchdog_ns, watchdog_ns, "ns after which the device aborts a hung job");
iaa_model_param(iommu_passthrough, iommu_passthrough,
		"1: the IOMMU passes DMA through, so scatterlist entries are never merged");

/* Per task (host thread): the simulator's, not a kernel mechanism. */
static __thread u64 iaa_model_clock;
static __thread unsigned int iaa_model_depth;

void iaa_model_begin(void)
{
	if (!iaa_model_depth++)
		iaa_model_clock = sched_task_clock_ns(current);
}

void iaa_model_end(void)
{
	iaa_model_depth--;
}

u64 iaa_model_now(void)
{
	return iaa_model_depth ? iaa_model_clock : sched_task_clock_ns(current);
}

void iaa_model_account_ns(u64 ns)
{
	if (iaa_model_depth)
		iaa_model_clock += ns;
}

static void iaa_model_charge_ns(u64 ns)
{
	sched_charge_ns(ns);
	iaa_model_account_ns(ns);
}

void iaa_model_charge_cycles(unsigned int cycles)
{
	iaa_model_charge_ns(DIV_ROUND_UP_ULL((u64)cycles * 1000, iaa_model.freq_mhz));
}

struct idxd_desc *idxd_alloc_desc(struct idxd_wq *wq, enum idxd_op_type optype)
{
	struct idxd_desc *desc;
	unsigned long id;

	spin_lock(&wq->desc_lock);
	id = find_first_bit(wq->desc_free, wq->num_descs);
	if (id >= wq->num_descs || should_fail_site(&iaa_desc_alloc_fault)) {
		spin_unlock(&wq->desc_lock);
		spin_lock(&wq->idxd->lock);
		wq->stats.alloc_failures++;
		spin_unlock(&wq->idxd->lock);
		/* Blocking waits are not used by iaa_crypto's data path. */
		return ERR_PTR(-EAGAIN);
	}
	__clear_bit(id, wq->desc_free);
	spin_unlock(&wq->desc_lock);

	desc = &wq->descs[id];
	memset(desc->iax_hw, 0, sizeof(*desc->iax_hw));
	memset(desc->iax_completion, 0, sizeof(*desc->iax_completion));
	desc->complete = NULL;
	desc->complete_data = NULL;
	desc->published = false;
	desc->submit_ns = 0;
	desc->done_ns = 0;
	return desc;
}

void idxd_free_desc(struct idxd_wq *wq, struct idxd_desc *desc)
{
	spin_lock(&wq->desc_lock);
	WARN_ON(test_bit(desc->id, wq->desc_free));
	__set_bit(desc->id, wq->desc_free);
	spin_unlock(&wq->desc_lock);
}

/* Engine time of a job, ns: fixed plus per byte in and out. */
static u64 iaa_engine_ns(const struct iax_hw_desc *hw, unsigned int in,
			 unsigned int out, enum iaa_huffman_mode mode)
{
	u64 ps;

	if (hw->opcode == IAX_OPCODE_COMPRESS) {
		ps = (u64)iaa_model.comp_setup_ns * 1000 +
		     (u64)in * iaa_model.comp_ps_per_byte_in +
		     (u64)out * iaa_model.comp_ps_per_byte_out;
		if (mode == IAA_MODE_DYNAMIC)
			ps += (u64)in * iaa_model.dyn_ps_per_byte_in;
	} else {
		ps = (u64)iaa_model.decomp_setup_ns * 1000 +
		     (u64)in * iaa_model.decomp_ps_per_byte_in +
		     (u64)out * iaa_model.decomp_ps_per_byte_out;
	}
	return DIV_ROUND_UP_ULL(ps, 1000);
}

static void iaa_result_error(struct iax_completion_record *res, u8 status,
			     u8 error_code, unsigned int bytes)
{
	res->status = status;
	res->error_code = error_code;
	res->bytes_completed = bytes;
	res->output_size = 0;
}

/*
 * A codec workspace for one job's data work. Workspaces are host memory
 * only: which one a job uses has no bearing on the modelled engine, which
 * is chosen (and its time reserved) afterwards, once the output size is
 * known. Take an idle one, else wait for the first.
 */
static unsigned int iaa_ws_get(struct idxd_device *idxd)
{
	unsigned int i;

	for (i = 0; i < idxd->nr_engines; i++)
		if (mutex_trylock(&idxd->ws_lock[i]))
			return i;
	mutex_lock(&idxd->ws_lock[0]);
	return 0;
}

/*
 * The engine's work on @desc: run the codec and fill desc->result. Returns
 * the output bytes written (for the service time).
 */
static unsigned int iaa_engine_run(struct idxd_device *idxd, struct idxd_desc *desc)
{
	const struct iax_hw_desc *hw = desc->iax_hw;
	struct iax_completion_record *res = &desc->result;
	enum iaa_huffman_mode mode = hw->src2_addr;
	const u8 *src = (const u8 *)(uintptr_t)hw->src1_addr;
	u8 *dst = (u8 *)(uintptr_t)hw->dst_addr;
	unsigned int out = hw->max_dst_size;
	bool compress = hw->opcode == IAX_OPCODE_COMPRESS;
	unsigned int engine;
	int ret;

	memset(res, 0, sizeof(*res));
	if (should_fail_site(&iaa_engine_error_fault)) {
		iaa_result_error(res, IAA_ANALYTICS_ERROR, IAA_ERROR_HW_FAULT, 0);
		return 0;
	}

	engine = iaa_ws_get(idxd);
	if (compress) {
		ret = iaa_codec_compress(idxd->ws[engine], mode, src, hw->src1_size,
					 dst, &out);
	} else {
		/* Verification decompresses for the CRC only. */
		if (hw->decompr_flags & IAA_DECOMP_SUPPRESS_OUTPUT) {
			dst = iaa_codec_ws_scratch(idxd->ws[engine]);
			out = IAA_CODEC_MAX_DST;
		}
		ret = iaa_codec_decompress(idxd->ws[engine], mode, src, hw->src1_size,
					   dst, &out, true);
	}
	mutex_unlock(&idxd->ws_lock[engine]);

	if (ret == -ENOSPC) {
		if (compress)
			iaa_result_error(res, IAA_ANALYTICS_ERROR,
					 IAA_ERROR_COMP_BUF_OVERFLOW, hw->src1_size);
		else
			iaa_result_error(res, IAA_ERROR_DECOMP_BUF_OVERFLOW, 0,
					 hw->src1_size);
		return hw->max_dst_size;
	}
	if (ret) {
		iaa_result_error(res, IAA_ANALYTICS_ERROR, IAA_ERROR_BAD_STREAM, 0);
		return 0;
	}
	res->status = IAX_COMP_SUCCESS;
	res->bytes_completed = hw->src1_size;
	res->output_size = out;
	/* The CRC of the uncompressed data, as the engine computes it. */
	res->crc = compress ? iaa_codec_crc32(src, hw->src1_size) :
			      iaa_codec_crc32(dst, out);
	return out;
}

/* Jobs of @wq queued in the device and not yet dispatched at @now. */
static unsigned int iaa_wq_occupancy(struct idxd_wq *wq, u64 now)
{
	unsigned int i, n = 0;

	for (i = 0; i < wq->num_descs; i++) {
		struct idxd_desc *d = &wq->descs[i];

		if (!test_bit(i, wq->desc_free) && d->submit_ns && d->submit_ns <= now &&
		    now < d->start_ns)
			n++;
	}
	return n;
}

/* The earliest start at or after @from of an @ns job on @tl: the first gap. */
static u64 iaa_engine_fit(const struct iaa_engine_timeline *tl, u64 from, u64 ns)
{
	unsigned int i, lo = 0, hi = tl->nr;
	u64 t = from;

	/* Disjoint and sorted: the ends are sorted too; skip those before @from. */
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		if (tl->end[i] <= from)
			lo = i + 1;
		else
			hi = i;
	}
	for (i = lo; i < tl->nr; i++) {
		if (tl->start[i] >= t + ns)
			break;
		t = tl->end[i];
	}
	return t;
}

/* Reserve [@start, @start + @ns) on @tl, forgetting the oldest job if full. */
static void iaa_engine_reserve(struct iaa_engine_timeline *tl, u64 start, u64 ns)
{
	unsigned int i;

	if (tl->nr == IAA_ENGINE_SLOTS) {
		memmove(tl->start, tl->start + 1, (tl->nr - 1) * sizeof(tl->start[0]));
		memmove(tl->end, tl->end + 1, (tl->nr - 1) * sizeof(tl->end[0]));
		tl->nr--;
	}
	for (i = tl->nr; i > 0 && tl->start[i - 1] > start; i--) {
		tl->start[i] = tl->start[i - 1];
		tl->end[i] = tl->end[i - 1];
	}
	tl->start[i] = start;
	tl->end[i] = start + ns;
	tl->nr++;
}

/*
 * The engine that takes @opcode jobs and can start an @ns job earliest at
 * or after @from, and that start in @start. With clocks that only move
 * forward (one submitter, or submitters in virtual-time order) this is the
 * earliest free engine, as the WQ dispatcher picks it.
 */
static unsigned int iaa_pick_engine(struct idxd_device *idxd, u8 opcode, u64 from, u64 ns,
				    u64 *start)
{
	unsigned int i, best, n;
	u64 t;

	if (opcode == IAX_OPCODE_COMPRESS) {
		n = idxd->comp_engines;
		best = 0;
		*start = iaa_engine_fit(&idxd->engine_busy[0], from, ns);
		for (i = 1; i < n; i++) {
			t = iaa_engine_fit(&idxd->engine_busy[i], from, ns);
			if (t < *start) {
				*start = t;
				best = i;
			}
		}
		return best;
	}
	/* Decompress jobs take any engine, preferring those compress does not use. */
	n = idxd->nr_engines;
	best = n - 1;
	*start = iaa_engine_fit(&idxd->engine_busy[best], from, ns);
	for (i = n - 1; i-- > 0; ) {
		t = iaa_engine_fit(&idxd->engine_busy[i], from, ns);
		if (t < *start) {
			*start = t;
			best = i;
		}
	}
	return best;
}

static void iaa_queue_irq(struct idxd_wq *wq, struct idxd_desc *desc)
{
	struct idxd_desc *pos;

	spin_lock(&wq->irq_lock);
	list_for_each_entry(pos, &wq->irq_pending, irq_list) {
		if (pos->done_ns > desc->done_ns)
			break;
	}
	list_add_tail(&desc->irq_list, &pos->irq_list);
	spin_unlock(&wq->irq_lock);
	queue_work(system_highpri_wq, &wq->irq_work);
}

int idxd_submit_desc(struct idxd_wq *wq, struct idxd_desc *desc)
{
	struct idxd_device *idxd = wq->idxd;
	struct iax_hw_desc *hw = desc->iax_hw;
	unsigned int engine, in = hw->src1_size, out, tries = 0;
	bool hang, fifo;
	u64 now, start, ns;

	/* The portal write: MOVDIR64B, or ENQCMDS and its answer. */
	iaa_model_charge_cycles(iaa_model.submit_cycles);
	for (;;) {
		now = iaa_model_now();
		if (wq->mode == IDXD_WQ_DEDICATED)
			break;
		spin_lock(&idxd->lock);
		if (iaa_wq_occupancy(wq, now) < wq->size &&
		    !should_fail_site(&iaa_wq_refuse_fault)) {
			spin_unlock(&idxd->lock);
			break;
		}
		wq->stats.enqcmd_retries++;
		spin_unlock(&idxd->lock);
		if (++tries > IDXD_ENQCMDS_RETRIES)
			return -EAGAIN;
		iaa_model_charge_cycles(iaa_model.submit_cycles);
	}

	hang = should_fail_site(&iaa_timeout_fault);
	out = iaa_engine_run(idxd, desc);
	ns = hang ? iaa_model.watchdog_ns : iaa_engine_ns(hw, in, out, hw->src2_addr);
	if (hang)
		iaa_result_error(&desc->result, IAA_ERROR_WATCHDOG_EXPIRED, 0, 0);

	/* Choose the engine and reserve its time in one critical section. */
	spin_lock(&idxd->lock);
	/*
	 * FIFO dispatch: a job starts no earlier than the WQ's previous one,
	 * unless it was submitted before that one in virtual time (a lagging
	 * clock, see struct iaa_engine_timeline).
	 */
	fifo = now >= wq->last_submit_ns;
	engine = iaa_pick_engine(idxd, hw->opcode, fifo ? max(now, wq->last_start_ns) : now,
				 ns, &start);
	desc->submit_ns = now;
	desc->start_ns = start;
	desc->done_ns = start + ns;
	if (fifo) {
		wq->last_start_ns = start;
		wq->last_submit_ns = now;
	}
	iaa_engine_reserve(&idxd->engine_busy[engine], start, ns);
	idxd->stats.engine_busy_ns[engine] += ns;
	idxd->stats.busy_ns += ns;
	wq->stats.busy_ns += ns;
	if (hw->opcode == IAX_OPCODE_COMPRESS) {
		idxd->stats.comp_jobs++;
		wq->stats.comp_jobs++;
	} else {
		idxd->stats.decomp_jobs++;
		wq->stats.decomp_jobs++;
	}
	idxd->stats.bytes_in += in;
	wq->stats.bytes_in += in;
	if (desc->result.status == IAX_COMP_SUCCESS) {
		idxd->stats.bytes_out += desc->result.output_size;
		wq->stats.bytes_out += desc->result.output_size;
	} else {
		idxd->stats.errors++;
		wq->stats.errors++;
	}
	spin_unlock(&idxd->lock);

	/*
	 * A hung job's record is never written when polled: the driver's
	 * poll limit runs out first. Its interrupt (if it asked for one)
	 * comes from the device watchdog, with status 0x24.
	 */
	if (hang && !(hw->flags & IDXD_OP_FLAG_RCI))
		desc->done_ns = U64_MAX;
	if (hw->flags & IDXD_OP_FLAG_RCI)
		iaa_queue_irq(wq, desc);
	return 0;
}

/* Write the held-back record: status last, as the device does. */
static void iaa_publish(struct idxd_desc *desc)
{
	struct iax_completion_record *comp = desc->iax_completion;
	u8 status = desc->result.status;

	memcpy(comp, &desc->result, sizeof(*comp));
	comp->status = 0;
	smp_wmb();
	WRITE_ONCE(comp->status, status);
	desc->published = true;
}

u8 idxd_desc_status(struct idxd_desc *desc)
{
	iaa_model_charge_cycles(iaa_model.poll_cycles);
	if (!desc->published && desc->done_ns != U64_MAX &&
	    iaa_model_now() >= desc->done_ns)
		iaa_publish(desc);
	return READ_ONCE(desc->iax_completion->status);
}

/*
 * The completion interrupt's handler (the kernel's threaded idxd_wq_thread
 * handler): in done order, wait in virtual time until each record is due
 * plus the interrupt latency, then run its callback.
 */
static void iaa_irq_work(struct work_struct *work)
{
	struct idxd_wq *wq = container_of(work, struct idxd_wq, irq_work);
	struct idxd_desc *desc;
	u64 now, due;

	iaa_model_begin();
	for (;;) {
		spin_lock(&wq->irq_lock);
		desc = list_first_entry_or_null(&wq->irq_pending, struct idxd_desc,
						irq_list);
		if (desc)
			list_del(&desc->irq_list);
		spin_unlock(&wq->irq_lock);
		if (!desc)
			break;
		due = desc->done_ns + iaa_model.irq_latency_ns;
		now = iaa_model_now();
		if (now < due)
			iaa_model_charge_ns(due - now);
		iaa_model_charge_cycles(iaa_model.irq_cycles);
		iaa_publish(desc);
		desc->complete(desc, desc->complete_data);
	}
	iaa_model_end();
}

static void iaa_wq_destroy(struct idxd_wq *wq)
{
	if (wq->irq_work.func)
		cancel_work_sync(&wq->irq_work);
	kfree(wq->desc_free);
	kfree(wq->descs);
	kfree(wq->hw);
	kfree(wq->comps);
}

static int iaa_wq_create(struct idxd_device *idxd, unsigned int id)
{
	struct idxd_wq *wq = &idxd->wqs[id];
	unsigned int i;

	wq->idxd = idxd;
	wq->id = id;
	snprintf(wq->name, sizeof(wq->name), "wq%d.%u", idxd->id, id);
	wq->mode = iaa_model.wq_mode == IDXD_WQ_SHARED ? IDXD_WQ_SHARED : IDXD_WQ_DEDICATED;
	wq->size = IAA_MAX_WQ_ENTRIES / idxd->max_wqs;
	/*
	 * A dedicated WQ has one descriptor per entry, so it never overflows;
	 * a shared WQ's entries are shared with other submitters, modelled
	 * by a pool larger than the WQ, so ENQCMDS can find it full.
	 */
	wq->num_descs = wq->mode == IDXD_WQ_SHARED ? 2 * wq->size : wq->size;
	spin_lock_init(&wq->desc_lock);
	spin_lock_init(&wq->irq_lock);
	INIT_LIST_HEAD(&wq->irq_pending);
	INIT_WORK(&wq->irq_work, iaa_irq_work);

	wq->desc_free = kcalloc(BITS_TO_LONGS(wq->num_descs), sizeof(long), GFP_KERNEL);
	wq->descs = kcalloc(wq->num_descs, sizeof(*wq->descs), GFP_KERNEL);
	wq->hw = kcalloc(wq->num_descs, sizeof(*wq->hw), GFP_KERNEL);
	wq->comps = kcalloc(wq->num_descs, sizeof(*wq->comps), GFP_KERNEL);
	if (!wq->desc_free || !wq->descs || !wq->hw || !wq->comps)
		return -ENOMEM;
	for (i = 0; i < wq->num_descs; i++) {
		wq->descs[i].id = i;
		wq->descs[i].wq = wq;
		wq->descs[i].iax_hw = &wq->hw[i];
		wq->descs[i].iax_completion = &wq->comps[i];
		__set_bit(i, wq->desc_free);
	}
	return 0;
}

static void iaa_device_destroy(struct idxd_device *idxd)
{
	unsigned int i;

	for (i = 0; i < idxd->max_wqs; i++)
		iaa_wq_destroy(&idxd->wqs[i]);
	for (i = 0; i < idxd->nr_engines; i++) {
		iaa_codec_ws_free(idxd->ws[i]);
		mutex_destroy(&idxd->ws_lock[i]);
	}
	kfree(idxd);
}

static struct idxd_device *iaa_device_create(int id)
{
	struct idxd_device *idxd;
	unsigned int i;

	idxd = kzalloc(sizeof(*idxd), GFP_KERNEL);
	if (!idxd)
		return NULL;
	idxd->id = id;
	idxd->node = id * nr_node_ids / iaa_model.nr_devices;
	spin_lock_init(&idxd->lock);
	idxd->nr_engines = iaa_model.nr_engines;
	idxd->comp_engines = iaa_model.comp_engines;
	if (idxd->comp_engines > idxd->nr_engines) {
		pr_warn_once("iaa_model: comp_engines %u > engines %u, using %u\n",
			     iaa_model.comp_engines, iaa_model.nr_engines,
			     iaa_model.nr_engines);
		idxd->comp_engines = idxd->nr_engines;
	}
	idxd->max_wqs = iaa_model.wqs_per_device;
	/* All locks first: the failure path destroys every engine's. */
	for (i = 0; i < idxd->nr_engines; i++)
		mutex_init(&idxd->ws_lock[i]);
	for (i = 0; i < idxd->nr_engines; i++) {
		idxd->ws[i] = iaa_codec_ws_alloc();
		if (!idxd->ws[i])
			goto fail;
	}
	for (i = 0; i < idxd->max_wqs; i++)
		if (iaa_wq_create(idxd, i))
			goto fail;
	return idxd;
fail:
	iaa_device_destroy(idxd);
	return NULL;
}

static bool iaa_model_params_valid(void)
{
	const struct iaa_model_params *p = &iaa_model;

	if (!p->nr_devices || p->nr_devices > IAA_MAX_DEVICES ||
	    !p->wqs_per_device || p->wqs_per_device > IAA_MAX_WQS ||
	    !p->nr_engines || p->nr_engines > IAA_MAX_ENGINES ||
	    !p->comp_engines || !p->freq_mhz || p->wq_mode > IDXD_WQ_SHARED)
		return false;
	return true;
}

static void iaa_model_exit(void)
{
	unsigned int i;

	for (i = 0; i < iaa_nr_idxd_devices; i++) {
		iaa_device_destroy(iaa_idxd_devices[i]);
		iaa_idxd_devices[i] = NULL;
	}
	iaa_nr_idxd_devices = 0;
	WRITE_ONCE(iaa_model_up, false);
}

static int __init iaa_model_init(void)
{
	unsigned int i;
	int ret;

	if (!iaa_model_params_valid()) {
		pr_err("iaa_model: bad configuration (devices 1-%d, wqs 1-%d, engines 1-%d, freq_mhz > 0)\n",
		       IAA_MAX_DEVICES, IAA_MAX_WQS, IAA_MAX_ENGINES);
		return -EINVAL;
	}
	/* After a wedged machine (no module exits): start from no devices. */
	iaa_nr_idxd_devices = 0;
	ret = iaa_codec_init();
	if (ret)
		return ret;
	WRITE_ONCE(iaa_model_up, true);
	for (i = 0; i < iaa_model.nr_devices; i++) {
		iaa_idxd_devices[i] = iaa_device_create(i);
		if (!iaa_idxd_devices[i]) {
			iaa_model_exit();
			return -ENOMEM;
		}
		iaa_nr_idxd_devices++;
	}
	return 0;
}
subsys_initcall(iaa_model_init);
module_exit(iaa_model_exit);
