// SPDX-License-Identifier: GPL-2.0-only
/*
 * iaa_crypto's statistics in debugfs (iaa_crypto_stats.c in the kernel):
 *	iaa_crypto/<global counter>
 *	iaa_crypto/iaa<N>/<device counter>		the model's device
 *	iaa_crypto/iaa<N>/wq<N>.<M>/<WQ counter>	driver and model, per WQ
 * zsim_dump_debugfs() prints them all.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/kernel.h>

#include "iaa_crypto.h"

struct iaa_crypto_stats iaa_stats;

static struct dentry *iaa_crypto_debugfs_root;

static int iaa_stat_get(void *data, u64 *val)
{
	*val = atomic64_read((atomic64_t *)data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(iaa_stat_fops, iaa_stat_get, NULL, "%llu\n");

static void iaa_stat_file(const char *name, struct dentry *dir, atomic64_t *v)
{
	debugfs_create_file(name, 0444, dir, v, &iaa_stat_fops);
}

static void iaa_wq_debugfs(struct iaa_wq *iaa_wq, struct dentry *parent)
{
	struct idxd_wq *wq = iaa_wq->wq;
	struct dentry *dir = debugfs_create_dir(wq->name, parent);

	iaa_stat_file("comp_calls", dir, &iaa_wq->comp_calls);
	iaa_stat_file("comp_bytes", dir, &iaa_wq->comp_bytes);
	iaa_stat_file("decomp_calls", dir, &iaa_wq->decomp_calls);
	iaa_stat_file("decomp_bytes", dir, &iaa_wq->decomp_bytes);
	iaa_stat_file("sw_fallbacks", dir, &iaa_wq->sw_fallbacks);
	iaa_stat_file("alloc_retries", dir, &iaa_wq->alloc_retries);
	iaa_stat_file("submit_failures", dir, &iaa_wq->submit_failures);
	debugfs_create_u32("size", 0444, dir, &wq->size);
	debugfs_create_u64("jobs_comp", 0444, dir, &wq->stats.comp_jobs);
	debugfs_create_u64("jobs_decomp", 0444, dir, &wq->stats.decomp_jobs);
	debugfs_create_u64("bytes_in", 0444, dir, &wq->stats.bytes_in);
	debugfs_create_u64("bytes_out", 0444, dir, &wq->stats.bytes_out);
	debugfs_create_u64("busy_ns", 0444, dir, &wq->stats.busy_ns);
	debugfs_create_u64("errors", 0444, dir, &wq->stats.errors);
	debugfs_create_u64("enqcmd_retries", 0444, dir, &wq->stats.enqcmd_retries);
	debugfs_create_u64("alloc_failures", 0444, dir, &wq->stats.alloc_failures);
}

static void iaa_device_debugfs(struct iaa_device *iaa_device)
{
	struct idxd_device *idxd = iaa_device->idxd;
	struct iaa_wq *iaa_wq;
	struct dentry *dir;
	char name[16];

	snprintf(name, sizeof(name), "iaa%d", idxd->id);
	dir = debugfs_create_dir(name, iaa_crypto_debugfs_root);
	debugfs_create_u64("jobs_comp", 0444, dir, &idxd->stats.comp_jobs);
	debugfs_create_u64("jobs_decomp", 0444, dir, &idxd->stats.decomp_jobs);
	debugfs_create_u64("bytes_in", 0444, dir, &idxd->stats.bytes_in);
	debugfs_create_u64("bytes_out", 0444, dir, &idxd->stats.bytes_out);
	debugfs_create_u64("busy_ns", 0444, dir, &idxd->stats.busy_ns);
	debugfs_create_u64("errors", 0444, dir, &idxd->stats.errors);
	list_for_each_entry(iaa_wq, &iaa_device->wqs, list)
		iaa_wq_debugfs(iaa_wq, dir);
}

int iaa_crypto_debugfs_init(struct list_head *iaa_devices)
{
	struct iaa_device *iaa_device;
	struct dentry *root;

	root = debugfs_create_dir("iaa_crypto", NULL);
	if (IS_ERR(root))
		return PTR_ERR(root);
	iaa_crypto_debugfs_root = root;

	iaa_stat_file("total_comp_calls", root, &iaa_stats.total_comp_calls);
	iaa_stat_file("total_decomp_calls", root, &iaa_stats.total_decomp_calls);
	iaa_stat_file("total_sw_decomp_calls", root, &iaa_stats.total_sw_decomp_calls);
	iaa_stat_file("total_sw_comp_calls", root, &iaa_stats.total_sw_comp_calls);
	iaa_stat_file("total_comp_bytes_out", root, &iaa_stats.total_comp_bytes_out);
	iaa_stat_file("total_decomp_bytes_in", root, &iaa_stats.total_decomp_bytes_in);
	iaa_stat_file("total_completion_einval_errors", root,
		      &iaa_stats.total_completion_einval_errors);
	iaa_stat_file("total_completion_timeout_errors", root,
		      &iaa_stats.total_completion_timeout_errors);
	iaa_stat_file("total_completion_comp_buf_overflow_errors", root,
		      &iaa_stats.total_completion_comp_buf_overflow_errors);
	iaa_stat_file("total_desc_alloc_failures", root, &iaa_stats.total_desc_alloc_failures);
	iaa_stat_file("total_submit_failures", root, &iaa_stats.total_submit_failures);
	iaa_stat_file("total_verify_failures", root, &iaa_stats.total_verify_failures);

	list_for_each_entry(iaa_device, iaa_devices, list)
		iaa_device_debugfs(iaa_device);
	return 0;
}

void iaa_crypto_debugfs_cleanup(void)
{
	debugfs_remove_recursive(iaa_crypto_debugfs_root);
	iaa_crypto_debugfs_root = NULL;
}
