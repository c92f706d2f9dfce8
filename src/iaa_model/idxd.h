/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cycle-modelled IAA devices behind the idxd interface that
 * iaa_crypto uses (drivers/dma/idxd/idxd.h in the kernel): devices with
 * work queues and engines, a pool of descriptors per WQ, submission
 * through a portal, and a completion record per descriptor.
 *
 * Time: a descriptor is submitted at the submitting task's virtual clock
 * (sched_task_clock_ns()). The device dispatches it in FIFO order per WQ
 * to the earliest free engine allowed for its opcode, runs it for the
 * engine service time (a function of bytes in and out, independent of the
 * core frequency) and makes its completion record visible at the end. The
 * engines' timelines are per device and shared by every CPU, under the
 * device lock, so CPUs contend for them in virtual time. The data is real:
 * the engine's work (iaa_codec.c) runs at submission on the submitter's
 * host thread, and its result is held back until the record is due.
 * CPU-side costs are cycles at the modelled core frequency and are
 * charged to the task that does the work (iaa_model_charge_cycles()).
 * Every parameter is a module parameter of "iaa_model" (iaa_device.c,
 * docs/iaa-model.md).
 */
#ifndef _IAA_MODEL_IDXD_H
#define _IAA_MODEL_IDXD_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "iaa_desc.h"

#define IAA_MAX_DEVICES		16
#define IAA_MAX_ENGINES		8
#define IAA_MAX_WQS		8
#define IAA_MAX_WQ_ENTRIES	128	/* per device, over all its WQs */

/* idxd_alloc_desc() */
enum idxd_op_type {
	IDXD_OP_BLOCK = 0,
	IDXD_OP_NONBLOCK = 1,
};

enum idxd_wq_mode {
	IDXD_WQ_DEDICATED,	/* one submitter, MOVDIR64B, no feedback */
	IDXD_WQ_SHARED,		/* ENQCMDS, the device may refuse (ZF=1) */
};

/* The model's parameters (iaa_model.* module parameters). */
struct iaa_model_params {
	unsigned int nr_devices;
	unsigned int wqs_per_device;
	unsigned int wq_mode;		/* enum idxd_wq_mode */
	unsigned int nr_engines;
	unsigned int comp_engines;	/* engines that take compress jobs */
	unsigned int freq_mhz;		/* core frequency of the CPU side */
	/* CPU side, cycles. */
	unsigned int req_cycles;
	unsigned int submit_cycles;
	unsigned int comp_complete_cycles;
	unsigned int decomp_complete_cycles;
	unsigned int poll_cycles;
	unsigned int irq_cycles;
	/* Device side, ns and ps per byte. */
	unsigned int irq_latency_ns;
	unsigned int comp_setup_ns;
	unsigned int comp_ps_per_byte_in;
	unsigned int comp_ps_per_byte_out;
	unsigned int dyn_ps_per_byte_in;
	unsigned int decomp_setup_ns;
	unsigned int decomp_ps_per_byte_in;
	unsigned int decomp_ps_per_byte_out;
	unsigned int watchdog_ns;
	/* The IOMMU: 0 translates DMA (dma-iommu), 1 passthrough (dma-direct). */
	unsigned int iommu_passthrough;
};

extern struct iaa_model_params iaa_model;

struct idxd_wq;
struct idxd_desc;

/* Called in the completion-interrupt work (IDXD_OP_FLAG_RCI descriptors). */
typedef void (*idxd_desc_complete_t)(struct idxd_desc *desc, void *data);

struct idxd_desc {
	struct iax_hw_desc *iax_hw;
	struct iax_completion_record *iax_completion;
	int id;
	struct idxd_wq *wq;
	/* Completion interrupt: who to call and with what. */
	idxd_desc_complete_t complete;
	void *complete_data;

	/* Model state, not in the kernel's struct. */
	struct iax_completion_record result;	/* written at done_ns */
	u64 submit_ns;
	u64 start_ns;
	u64 done_ns;			/* U64_MAX: the engine hung */
	bool published;
	struct list_head irq_list;
};

struct idxd_wq_stats {
	u64 comp_jobs;
	u64 decomp_jobs;
	u64 bytes_in;
	u64 bytes_out;
	u64 busy_ns;			/* engine time of this WQ's jobs */
	u64 errors;
	u64 enqcmd_retries;		/* ENQCMD refusals */
	u64 alloc_failures;		/* idxd_alloc_desc() found none free */
};

struct idxd_wq {
	struct idxd_device *idxd;
	int id;
	char name[24];
	enum idxd_wq_mode mode;
	unsigned int size;		/* WQ entries */
	unsigned int num_descs;		/* descriptors in the pool */
	spinlock_t desc_lock;		/* the pool */
	unsigned long *desc_free;	/* bitmap of free descriptors */
	struct idxd_desc *descs;
	struct iax_hw_desc *hw;
	struct iax_completion_record *comps;
	u64 last_start_ns;		/* FIFO dispatch, under idxd->lock */
	u64 last_submit_ns;		/* submission time of that job */
	void *private_data;		/* the iaa_wq */
	/* Completion interrupts. */
	spinlock_t irq_lock;
	struct list_head irq_pending;	/* by done_ns */
	struct work_struct irq_work;
	struct idxd_wq_stats stats;	/* under idxd->lock */
};

struct idxd_device_stats {
	u64 comp_jobs;
	u64 decomp_jobs;
	u64 bytes_in;
	u64 bytes_out;
	u64 busy_ns;
	u64 errors;
	u64 engine_busy_ns[IAA_MAX_ENGINES];
};

/*
 * An engine's reserved time: the last IAA_ENGINE_SLOTS jobs' [start, end)
 * intervals, sorted and disjoint. In the controlled backend the tasks'
 * virtual clocks run "as if in parallel", so a task whose clock lags
 * another's may submit after it in host order but before it in virtual
 * time; it then takes the first gap that fits from its own clock on, as it
 * would have on the hardware, instead of queueing behind the other's
 * future. Jobs older than the slots are forgotten (assumed finished):
 * 4096 per engine cover a benchmark process's run (512 KiB per device).
 */
#define IAA_ENGINE_SLOTS	4096

struct iaa_engine_timeline {
	unsigned int nr;
	u64 start[IAA_ENGINE_SLOTS];
	u64 end[IAA_ENGINE_SLOTS];
};

struct idxd_device {
	int id;
	int node;			/* the package: NUMA node */
	spinlock_t lock;		/* engine timelines, WQ dispatch, stats */
	unsigned int nr_engines;
	unsigned int comp_engines;
	struct iaa_engine_timeline engine_busy[IAA_MAX_ENGINES];
	unsigned int max_wqs;
	struct idxd_wq wqs[IAA_MAX_WQS];
	/* One codec workspace per engine, each under its mutex. */
	struct iaa_codec_ws *ws[IAA_MAX_ENGINES];
	struct mutex ws_lock[IAA_MAX_ENGINES];
	struct idxd_device_stats stats;
};

/* The devices the model created at boot (iaa_model.devices of them). */
extern struct idxd_device *iaa_idxd_devices[IAA_MAX_DEVICES];
extern unsigned int iaa_nr_idxd_devices;

/*
 * The model's clock of current. Between iaa_model_begin() and
 * iaa_model_end() (one acomp request) it starts at the task clock and
 * advances only by what the model charges, so the simulator's own costs
 * inside the request (the controlled backend's 100 ns per scheduling
 * point, the host time of the codec in the free-running backend) do not
 * shift the device timeline; outside a request it is the task clock.
 */
void iaa_model_begin(void);
void iaa_model_end(void);
u64 iaa_model_now(void);
/* Charge @cycles of CPU work at the modelled core frequency to current. */
void iaa_model_charge_cycles(unsigned int cycles);
/* Account @ns that were charged to current by other means (sim_cpu_work_end()). */
void iaa_model_account_ns(u64 ns);

/*
 * A free descriptor of @wq: ERR_PTR(-EAGAIN) when none is free with
 * IDXD_OP_NONBLOCK (or when the "iaa_desc_alloc" fault fires). The
 * descriptor and its completion record are cleared.
 */
struct idxd_desc *idxd_alloc_desc(struct idxd_wq *wq, enum idxd_op_type optype);
void idxd_free_desc(struct idxd_wq *wq, struct idxd_desc *desc);

/*
 * Write @desc to @wq's portal: MOVDIR64B on a dedicated WQ (always
 * accepted), ENQCMDS on a shared one, retried up to IDXD_ENQCMDS_RETRIES
 * times while the WQ is full or refuses ("iaa_wq_refuse"); -EAGAIN then.
 * The engine's result appears in the completion record at done_ns.
 */
#define IDXD_ENQCMDS_RETRIES	32
int idxd_submit_desc(struct idxd_wq *wq, struct idxd_desc *desc);

/*
 * The status byte of @desc's completion record as a poll of it reads it
 * now: one poll's CPU cost is charged and, once current's clock has
 * reached done_ns, the record is written. 0 until then.
 */
u8 idxd_desc_status(struct idxd_desc *desc);

#endif /* _IAA_MODEL_IDXD_H */
