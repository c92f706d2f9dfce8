/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iaa_crypto's private definitions (drivers/crypto/intel/iaa/iaa_crypto.h
 * in the kernel, with the v13 batching series): the driver's view of the
 * devices and WQs, the per-CPU WQ tables, the tfm and request contexts,
 * and the statistics.
 */
#ifndef _IAA_MODEL_IAA_CRYPTO_H
#define _IAA_MODEL_IAA_CRYPTO_H

#include <asm/page.h>
#include <crypto/internal/acompress.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/types.h>

#include "idxd.h"

#define IAA_CRYPTO_MAX_BATCH_SIZE	8U
#define IAA_COMPLETION_TIMEOUT		1000000
/* v13: retries of the non-blocking descriptor allocation. */
#define IAA_ALLOC_DESC_COMP_TIMEOUT	1000
#define IAA_ALLOC_DESC_DECOMP_TIMEOUT	500
#define IAA_ALLOC_DESC_DYNAMIC_TIMEOUT	2000
/* IAA 2.0 dynamic mode takes at most 4 KB of input. */
#define IAA_DYNAMIC_MAX_SRC		4096

struct iaa_device;

struct iaa_wq {
	struct list_head	list;
	struct idxd_wq		*wq;
	struct iaa_device	*iaa_device;
	atomic64_t		comp_calls;
	atomic64_t		comp_bytes;
	atomic64_t		decomp_calls;
	atomic64_t		decomp_bytes;
	atomic64_t		sw_fallbacks;	/* decompress done in software */
	atomic64_t		alloc_retries;	/* idxd_alloc_desc() retried */
	atomic64_t		submit_failures;
};

struct iaa_device {
	struct idxd_device	*idxd;
	struct list_head	wqs;
	int			n_wq;
	struct list_head	list;
	/* The WQs that take compress and decompress jobs (v13). */
	struct idxd_wq		*comp_wqs[IAA_MAX_WQS];
	struct idxd_wq		*decomp_wqs[IAA_MAX_WQS];
	unsigned int		n_comp_wqs, n_decomp_wqs;
	atomic_t		next_comp_wq, next_decomp_wq;
};

/* Per CPU: the devices its compress and decompress jobs go to. */
struct wq_table_entry {
	struct iaa_device	*comp_devs[IAA_MAX_DEVICES];
	unsigned int		n_comp_devs;
	unsigned int		cur_comp;
	struct iaa_device	*decomp_dev;
};

/* The tfm context: the mode and the driver settings it was created with. */
struct iaa_compression_ctx {
	enum iaa_huffman_mode	mode;
	bool			verify_compress;
	bool			async_mode;
	bool			use_irq;
};

struct iaa_req_ctx;

/* One descriptor's worth of a request: a unit of a batch, or the request. */
struct iaa_job {
	struct iaa_req_ctx	*rctx;
	struct idxd_wq		*wq;
	struct idxd_desc	*desc;
	const u8		*src;
	u8			*dst;
	unsigned int		slen;
	unsigned int		dlen;
	unsigned int		polls;
	int			result;		/* output length or -errno */
	bool			done;
	struct acomp_unit	unit;
};

/* The request context (reqsize). */
struct iaa_req_ctx {
	struct acomp_req	*req;
	bool			compress;
	bool			batch;
	unsigned int		nr;
	atomic_t		pending;	/* async_irq: jobs not yet done, +1 */
	struct iaa_job		jobs[IAA_CRYPTO_MAX_BATCH_SIZE];
	/*
	 * Simulator: the contiguous IOVA range a source of several merged
	 * entries is mapped to (iaa_map_src()); the model has no IOMMU.
	 */
	u8			src_iova[PAGE_SIZE];
};

/* Global counters (iaa_crypto_stats.c), debugfs iaa_crypto/. */
struct iaa_crypto_stats {
	atomic64_t total_comp_calls;
	atomic64_t total_decomp_calls;
	atomic64_t total_sw_decomp_calls;
	atomic64_t total_sw_comp_calls;
	atomic64_t total_comp_bytes_out;
	atomic64_t total_decomp_bytes_in;
	atomic64_t total_completion_einval_errors;
	atomic64_t total_completion_timeout_errors;
	atomic64_t total_completion_comp_buf_overflow_errors;
	atomic64_t total_desc_alloc_failures;	/* retries ran out */
	atomic64_t total_submit_failures;	/* ENQCMDS refused for good */
	atomic64_t total_verify_failures;
};

extern struct iaa_crypto_stats iaa_stats;

int iaa_crypto_debugfs_init(struct list_head *iaa_devices);
void iaa_crypto_debugfs_cleanup(void);

#endif /* _IAA_MODEL_IAA_CRYPTO_H */
