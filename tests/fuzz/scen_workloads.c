// SPDX-License-Identifier: GPL-2.0-only
/*
 * The general race-fuzz scenarios: the workload of workload.c with one
 * kind of chaos each (always with CPU hotplug, the fuzzer's subject), and
 * "mixed" with every kind at once. Each checks every page it reads back.
 */
#include "workload.h"

#define FZ_SCENARIO(var, sname, sdesc, ...)				\
	static const struct fz_plan var##_plan = { __VA_ARGS__ };	\
	static int var##_run(const struct fuzz_opts *o, char *why, size_t len) \
	{								\
		return fz_run_plan(o, &var##_plan, why, len);		\
	}								\
	FUZZ_SCENARIO(var) = {						\
		.name = sname,						\
		.desc = sdesc,						\
		.run = var##_run,					\
	}

FZ_SCENARIO(scen_store_load, "store-load",
	    "stores and loads of order 0/2/4 folios, rewrites, unmaps; no chaos",
	    .chaos = 0, .rounds = 3, .pages = 32, .ops = 6);

FZ_SCENARIO(scen_hotplug, "hotplug",
	    "store-load while any CPU goes down and up at any point",
	    .chaos = FZ_HOTPLUG, .rounds = 3, .pages = 32, .ops = 6, .actions = 12);

FZ_SCENARIO(scen_writeback, "writeback",
	    "a 1% pool limit (shrink worker) and shrink_slab() (shrinker writeback, compaction), with hotplug",
	    .chaos = FZ_WRITEBACK | FZ_SHRINK | FZ_HOTPLUG, .rounds = 3, .pages = 48,
	    .ops = 6, .actions = 8);

FZ_SCENARIO(scen_swapoff, "swapoff",
	    "swapoff/swapon of the device the pages spill onto, with writeback and hotplug",
	    .chaos = FZ_SWAPOFF | FZ_SHRINK | FZ_HOTPLUG, .rounds = 4, .pages = 32,
	    .ops = 5, .actions = 10);

FZ_SCENARIO(scen_memcg, "memcg",
	    "memory.max, memory.zswap.max/.writeback, memory.reclaim, rmdir/mkdir of the workers' memcgs, with hotplug",
	    .chaos = FZ_MEMCG | FZ_HOTPLUG, .rounds = 4, .pages = 32, .ops = 5,
	    .actions = 12);

FZ_SCENARIO(scen_compressor, "compressor",
	    "compressor switches creating and destroying pools under stores and loads, with hotplug",
	    .chaos = FZ_COMPRESSOR | FZ_HOTPLUG, .rounds = 3, .pages = 32, .ops = 6,
	    .actions = 8);

FZ_SCENARIO(scen_migrate, "migrate",
	    "zsmalloc page migration and compaction under stores and loads, with hotplug",
	    .chaos = FZ_MIGRATE | FZ_SHRINK | FZ_HOTPLUG, .rounds = 3, .pages = 32,
	    .ops = 6, .actions = 12);

FZ_SCENARIO(scen_mixed, "mixed",
	    "everything at once: hotplug, migration, writeback, swapoff, memcgs, compressors",
	    .chaos = FZ_ALL, .rounds = 4, .pages = 32, .ops = 6, .actions = 10);
