/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * <linux/zswap.h>: the zswap state that lives in other structures. The
 * zswap entry points (zswap_store(), zswap_load(), ...) are declared here
 * by src/zswap.
 */
#ifndef _SHIM_LINUX_ZSWAP_H
#define _SHIM_LINUX_ZSWAP_H

#include <linux/atomic.h>

/* Per-lruvec state of the zswap shrinker, in struct lruvec. */
struct zswap_lruvec_state {
	/*
	 * Pages swapped in from the disk, i.e. not found in zswap: the
	 * shrinker's count subtracts (and consumes) them, to make up for
	 * having written back pages that were still in use.
	 */
	atomic_long_t nr_disk_swapins;
};

#endif /* _SHIM_LINUX_ZSWAP_H */
