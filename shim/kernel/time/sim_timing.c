// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machine's timing mode and the charging of CPU work (<sim/timing.h>).
 */
#include <linux/types.h>
#include <sim/sched.h>
#include <sim/timing.h>
#include <time.h>

/* Set by zsim_machine_start() from struct zsim_config.timing. */
enum sim_timing sim_timing = SIM_TIMING_MEASURED;

u64 sim_host_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Only sim_cpu_work_end()'s controlled measured case uses the start. */
u64 sim_cpu_work_begin(void)
{
	return !sim_timing_modelled() && sim_controlled() ? sim_host_clock_ns() : 0;
}

u64 sim_cpu_work_end(u64 start, u64 modelled_ns)
{
	u64 ns;

	if (sim_timing_modelled())
		ns = modelled_ns;
	else if (sim_controlled())
		ns = sim_host_clock_ns() - start;
	else
		return 0;	/* the free-running clock is the host's already */
	sched_charge_ns(ns);
	return ns;
}
