/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Latency probes on the swap path, for benchmarks: what an fexit probe
 * on zswap_store() and zswap_load() gives on a real kernel (bpftrace
 * measuring each call), without tracing infrastructure. Not a kernel API.
 *
 * swap_writeout() and swap_read_folio() (shim/mm/page_io.c) read the
 * current task's virtual clock (sched_task_clock_ns()) around each call
 * and pass the elapsed ns to the registered callbacks, in the calling
 * task. Callbacks must not sleep and must be safe against concurrent
 * calls from several tasks (free-running backend).
 */
#ifndef _SHIM_SIM_SWAP_PROBE_H
#define _SHIM_SIM_SWAP_PROBE_H

#include <linux/types.h>

struct sim_swap_probe_ops {
	/* zswap_store() of a folio of @nr_pages took @ns; @stored its result. */
	void (*zswap_store)(long nr_pages, u64 ns, bool stored);
	/* zswap_load() took @ns and returned @ret (-ENOENT: not in zswap). */
	void (*zswap_load)(long nr_pages, u64 ns, int ret);
};

/* Register @ops (NULL: none); set it while no machine runs. */
void sim_swap_probe_register(const struct sim_swap_probe_ops *ops);

#endif /* _SHIM_SIM_SWAP_PROBE_H */
