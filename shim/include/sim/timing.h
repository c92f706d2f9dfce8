/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine's timing mode (struct zsim_config.timing, ZSWAPSIM_TIMING)
 * and how simulated code charges CPU work to the current task's virtual
 * clock. Not a kernel API.
 *
 * - measured (default): CPU work costs what it took on the host. In the
 *   free-running backend the task's clock is the host clock, which already
 *   contains the work, so nothing is charged; in the controlled backend
 *   (whose clock counts steps, not host time) the host-timed duration is
 *   charged.
 * - modelled: CPU work costs what a cost model says (e.g. the software
 *   compressors' table, src/acomp/cost_table.c), in both backends; in the
 *   controlled backend runs are then deterministic for a seed.
 * Modelled device time (the IAA model's) is charged with sched_charge_ns()
 * in both modes.
 *
 *	u64 t0 = sim_cpu_work_begin();
 *	... the work ...
 *	sim_cpu_work_end(t0, modelled_ns);
 */
#ifndef _SHIM_SIM_TIMING_H
#define _SHIM_SIM_TIMING_H

#include <linux/types.h>

enum sim_timing {
	SIM_TIMING_MEASURED,
	SIM_TIMING_MODELLED,
};

extern enum sim_timing sim_timing;

static inline bool sim_timing_modelled(void)
{
	return sim_timing == SIM_TIMING_MODELLED;
}

/* Host CLOCK_MONOTONIC in ns. */
u64 sim_host_clock_ns(void);

/*
 * Start timing a piece of CPU work: the host clock, in measured mode under
 * the controlled backend only (the one case that charges host time).
 */
u64 sim_cpu_work_begin(void);
/*
 * Charge the work begun at @start to current: @modelled_ns in modelled
 * mode, the host time since @start in measured mode under the controlled
 * backend, nothing in measured mode under free-running. Returns the ns
 * charged.
 */
u64 sim_cpu_work_end(u64 start, u64 modelled_ns);

#endif /* _SHIM_SIM_TIMING_H */
