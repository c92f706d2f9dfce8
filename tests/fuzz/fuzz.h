/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * race-fuzz's driver internals, shared by the command-line driver
 * (race-fuzz.c) and the libFuzzer entry point (libfuzzer.c): one run of a
 * scenario judged by every oracle (run.c), and schedule shrinking
 * (shrink.c).
 */
#ifndef _TESTS_FUZZ_FUZZ_H
#define _TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

/* How every run of a campaign is made; only the seed changes. */
struct fuzz_cfg {
	const struct fuzz_scenario *scen;
	struct fuzz_opts	o;		/* o.seed is set per run */
	enum zsim_policy	policy;
	unsigned int		depth;		/* PCT bug depth */
	unsigned long		pct_steps;	/* PCT: steps a run is expected to take */
	unsigned long		max_steps;	/* livelock bound per run, 0: none */
	bool			quiet;		/* machine reports counted, not printed */
	bool			fork;		/* each run in a child process (child.c) */
};

/* The verdict of one run. */
struct fuzz_result {
	bool		failed;
	int		ret;		/* the scenario's return */
	unsigned long	reports;	/* machine reports, leaks at stop included */
	unsigned long	steps;		/* controlled scheduling steps */
	int		signal;		/* the run's child died: its signal, -1: exit */
	char		*schedule;	/* "z1:..." (controlled), else "" */
	char		*schedule_stay;	/* the same as a ":stay" string, for shrinking */
	char		*report;	/* why it failed: scenario reason + first report */
};

/*
 * Boot a machine for @c with @seed (or, if @replay is set, the seed and
 * decisions of that schedule string, for the machine and the scenario
 * alike), run the scenario, stop the machine and judge; in a child
 * process if c->fork. Returns 0 with @r filled (r->failed says the verdict), or a
 * negative errno when the run could not be made at all (bad replay string,
 * machine start failure), with a message on stderr.
 */
int fuzz_run(const struct fuzz_cfg *c, uint64_t seed, const char *replay,
	     struct fuzz_result *r);
void fuzz_result_free(struct fuzz_result *r);
/*
 * fuzz_run() in this process, and in a child process of its own (what
 * fuzz_run() does when c->fork is set). A child that dies (a signal, an
 * ASan abort) is a failed run: r->signal says how, r->report carries the
 * end of its stderr and r->schedule the decisions it sent before dying
 * ("" if none).
 */
int fuzz_run_here(const struct fuzz_cfg *c, uint64_t seed, const char *replay,
		  struct fuzz_result *r);
int fuzz_run_child(const struct fuzz_cfg *c, uint64_t seed, const char *replay,
		   struct fuzz_result *r);

/*
 * Reduce the failing ":stay" schedule @schedule (fuzz_result.schedule_stay)
 * to one with fewer decisions and fewer non-zero ones (preemptions and
 * migrations) whose replay still fails, by delta debugging over
 * at most @budget replays. Returns the smallest failing string found (the
 * input if nothing smaller fails; malloc'd) or NULL if @schedule itself
 * does not fail on replay. Progress goes to @log if not NULL.
 */
char *fuzz_shrink(const struct fuzz_cfg *c, const char *schedule, unsigned int budget,
		  FILE *log);

/*
 * Schedule strings "z1:<seed hex>:<decisions>[:stay]" as decision arrays;
 * @stay: after the decisions the run goes on without preemption.
 */
struct fuzz_sched {
	uint64_t	seed;
	uint32_t	*vals;
	size_t		nr;
	bool		stay;
};
int fuzz_sched_parse(const char *str, struct fuzz_sched *s);
char *fuzz_sched_format(const struct fuzz_sched *s);
void fuzz_sched_free(struct fuzz_sched *s);

#endif /* _TESTS_FUZZ_FUZZ_H */
