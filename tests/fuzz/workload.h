/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The general race-fuzz workload (tests/fuzz/workload.c): worker tasks
 * that run simulated processes through the VM (src/mm), so that every page
 * goes out through reclaim into zswap (or the device) and back in through
 * a fault that checks its contents, plus "chaos" tasks that, concurrently
 * with the workers and as simulated tasks themselves, hot-unplug and plug
 * CPUs, migrate zsmalloc pages, shrink slabs, swap a device off and on,
 * change memcg limits and take memcgs offline, and switch compressors.
 *
 * In the controlled backend every one of these is then a scheduling
 * decision of the seeded scheduler (as are the kworkers and the RCU
 * callbacks they cause); in the free-running backend they race for real.
 * Each task draws its choices from its slice of the fuzzer input
 * (fuzz_opts.input) while it lasts, then from its own seeded random
 * stream, so a run is a function of (seed, input, schedule).
 */
#ifndef _TESTS_FUZZ_WORKLOAD_H
#define _TESTS_FUZZ_WORKLOAD_H

#include <stddef.h>

#include "scenario.h"

/* What the chaos tasks do, besides the workers' swap-out and swap-in. */
enum fz_chaos {
	FZ_HOTPLUG	= 1 << 0,	/* remove_cpu()/add_cpu() of any CPU */
	FZ_MIGRATE	= 1 << 1,	/* zsmalloc page migration, as kcompactd */
	FZ_SHRINK	= 1 << 2,	/* shrink_slab(): zswap writeback, zs compaction */
	FZ_SWAPOFF	= 1 << 3,	/* swapoff/swapon of the second device */
	FZ_MEMCG	= 1 << 4,	/* memcg limits, memory.reclaim, rmdir/mkdir */
	FZ_COMPRESSOR	= 1 << 5,	/* compressor switches: pools come and go */
	FZ_WRITEBACK	= 1 << 6,	/* tiny pool limit: the shrink worker runs */
	FZ_ALL		= (1 << 7) - 1,
};

struct fz_plan {
	unsigned int	chaos;		/* enum fz_chaos */
	unsigned int	rounds;		/* regions each worker maps in turn */
	unsigned int	pages;		/* pages per region (a multiple of 16) */
	unsigned int	ops;		/* random accesses per region */
	unsigned int	actions;	/* most actions per chaos task */
};

/*
 * Run @plan on the started machine: devices, memcgs, o->nr_tasks
 * workers and one task per chaos kind, then tear all of it down. Returns
 * 0 or a negative errno with the first failure's reason in @why.
 */
int fz_run_plan(const struct fuzz_opts *o, const struct fz_plan *plan, char *why,
		size_t len);

#endif /* _TESTS_FUZZ_WORKLOAD_H */
