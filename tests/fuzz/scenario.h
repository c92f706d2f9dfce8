/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * race-fuzz scenarios: the interface between the fuzzer's driver
 * (tests/fuzz/race-fuzz.c: options, seeds, schedules, oracles, replay,
 * shrinking, reporting) and the scenarios (tests/fuzz/scen_*.c), each of
 * which sets up a machine's workload and checks its own data.
 *
 * One run: the driver sets the module parameters the options name
 * (zswap.ctx_lifetime, zsmalloc.free_design, zswap.compressor; before boot,
 * since zswap reads them at setup), fills a struct zsim_config (backend,
 * seed, policy, depth, replay string, CPUs), calls ->configure() if set,
 * starts the machine, calls ->run() from the test
 * thread, stops the machine, and judges the run by every oracle: ->run()'s
 * result (data integrity, the scenario's own checks), the machine's reports
 * (BUG/WARN, KASAN-like poisoning, lockdep, deadlock, hang, leaks at stop)
 * and, in a sanitizer build, ASan itself. Scenarios only describe work;
 * they never print a verdict.
 */
#ifndef _TESTS_FUZZ_SCENARIO_H
#define _TESTS_FUZZ_SCENARIO_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zswapsim.h>

struct fuzz_opts {
	const char	*lifetime;	/* zswap.ctx_lifetime: "pool" or "hotplug" */
	const char	*zsmalloc;	/* zsmalloc free design: "deferred" or "rcu" */
	const char	*compressor;	/* zswap.compressor, e.g. "lz4", "deflate-iaa" */
	unsigned int	nr_cpus;	/* virtual CPUs */
	unsigned int	nr_tasks;	/* concurrent worker tasks */
	uint64_t	seed;		/* this run's seed (also cfg.seed) */
	bool		controlled;	/* controlled backend (else free-running) */
	/* Bytes of a libFuzzer input that choose operations, or NULL/0. */
	const uint8_t	*input;
	size_t		input_len;
};

struct fuzz_scenario {
	const char	*name;		/* what --scenario takes */
	const char	*desc;		/* one line for --list */
	/* Optional: adjust the machine before it starts (RAM, CPUs, ...). */
	void		(*configure)(struct zsim_config *cfg, const struct fuzz_opts *o);
	/*
	 * Run the workload on the started machine (from the test thread:
	 * zsim_spawn()/zsim_join(), zsim_cpu_down()/up(), zsim_swapon(), ...)
	 * and tear down what it set up. Return 0, or a negative errno with a
	 * one-line reason in @why (e.g. "page 17 of task 2 differs after
	 * load") when a check failed. -EDEADLK/-ETIMEDOUT/-ENOEXEC from
	 * zsim_run()/zsim_join() are passed through unchanged.
	 */
	int		(*run)(const struct fuzz_opts *o, char *why, size_t len);
};

/* A run ended by the harness (deadlock, step limit, killed task): no teardown. */
static inline bool fuzz_wedged(int ret)
{
	return ret == -EDEADLK || ret == -ETIMEDOUT || ret == -ENOEXEC;
}

/* Register a scenario from its own file: FUZZ_SCENARIO(scen_swapoff) = {...}; */
void fuzz_register(const struct fuzz_scenario *s);
#define FUZZ_SCENARIO(var)						\
	static const struct fuzz_scenario var;				\
	static void __attribute__((constructor)) var##_register(void)	\
	{								\
		fuzz_register(&var);					\
	}								\
	static const struct fuzz_scenario var

const struct fuzz_scenario *fuzz_find(const char *name);
/* Call @fn for every registered scenario, in name order. */
void fuzz_for_each(void (*fn)(const struct fuzz_scenario *s, void *arg), void *arg);

#endif /* _TESTS_FUZZ_SCENARIO_H */
