// SPDX-License-Identifier: GPL-2.0-only
/*
 * One race-fuzz run and its oracles.
 *
 * The module parameters the options name are set before the machine
 * boots, since zswap reads ctx_lifetime and creates its first pool (with
 * zsmalloc's free_design) at setup; the rest are put back to their
 * defaults so that one run's scenario cannot change the next. The
 * controlled backend charges modelled CPU time, not host-timed time: a
 * run, its timeouts included, is then a function of its seed and
 * schedule, which is what makes --replay exact.
 *
 * Oracles: the scenario's own result (data integrity), every report the
 * machine made during its life (BUG/WARN, poisoning, lockdep, RCU and
 * context checks, deadlock and hang) and the leak checks of
 * zsim_machine_stop(). fuzz_run() makes the run in a child process when
 * asked (child.c), so that nothing a run leaves in the process reaches
 * the next one, and a crash (a signal, ASan ending the process in a
 * sanitizer build) is one more failed run; in this process ASan ends the
 * campaign (race-fuzz.c prints the run's replay line first).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int fuzz_set_params(const struct fuzz_opts *o)
{
	static const char *const params[][3] = {
		{ "zswap", "enabled", "Y" },
		{ "zswap", "shrinker_enabled", "Y" },
		{ "zswap", "max_pool_percent", "20" },
		{ "zswap", "accept_threshold_percent", "90" },
	};
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		ret = zsim_param_set(params[i][0], params[i][1], params[i][2]);
		if (ret)
			goto fail;
	}
	ret = zsim_param_set("zswap", "ctx_lifetime", o->lifetime);
	if (ret)
		goto fail;
	ret = zsim_param_set("zsmalloc", "free_design", o->zsmalloc);
	if (ret)
		goto fail;
	ret = zsim_param_set("zswap", "compressor", o->compressor);
	if (ret)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "race-fuzz: cannot set the module parameters (%d)\n", ret);
	return ret;
}

/* zswap falls back to its default for an unavailable compressor: refuse that. */
static int fuzz_check_compressor(const char *want)
{
	char buf[64];
	size_t n;

	if (zsim_param_get("zswap", "compressor", buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	n = strcspn(buf, "\n");
	if (n != strlen(want) || strncmp(buf, want, n)) {
		fprintf(stderr, "race-fuzz: compressor \"%s\" is not available\n", want);
		return -EINVAL;
	}
	return 0;
}

static char *fuzz_strdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d) {
		fprintf(stderr, "race-fuzz: out of memory\n");
		exit(2);
	}
	return d;
}

int fuzz_run_here(const struct fuzz_cfg *c, uint64_t seed, const char *replay,
		  struct fuzz_result *r)
{
	struct fuzz_opts o = c->o;
	struct zsim_config cfg;
	char why[256] = "";
	const char *first;
	size_t len;
	int ret;

	memset(r, 0, sizeof(*r));
	/* The scenario's seed is the machine's: a replay's, from its string. */
	if (replay) {
		struct fuzz_sched sched;

		if (fuzz_sched_parse(replay, &sched)) {
			fprintf(stderr, "race-fuzz: cannot parse the schedule \"%.40s\"\n", replay);
			return -EINVAL;
		}
		seed = sched.seed;
		fuzz_sched_free(&sched);
	}
	ret = fuzz_set_params(&o);
	if (ret)
		return ret;
	o.seed = seed;
	zsim_config_init(&cfg);
	cfg.nr_cpus = o.nr_cpus;
	cfg.ram_bytes = 64ULL << 20;
	cfg.backend = o.controlled ? ZSIM_CONTROLLED : ZSIM_FREE_RUNNING;
	cfg.seed = seed;
	cfg.policy = c->policy;
	cfg.pct_depth = c->depth;
	if (c->pct_steps)
		cfg.pct_steps = c->pct_steps;
	cfg.replay = replay;
	cfg.max_steps = c->max_steps;
	cfg.quiet = c->quiet;
	if (o.controlled)
		cfg.timing = ZSIM_TIMING_MODELLED;
	if (c->scen->configure)
		c->scen->configure(&cfg, &o);
	ret = zsim_machine_start(&cfg);
	if (ret) {
		fprintf(stderr, "race-fuzz: the machine did not start (%d)\n", ret);
		return ret;
	}
	ret = fuzz_check_compressor(o.compressor);
	if (ret) {
		zsim_machine_stop();
		return ret;
	}
	r->ret = c->scen->run(&o, why, sizeof(why));
	r->reports = zsim_machine_stop();
	/* After the stop: its decisions are part of the run. */
	r->schedule = fuzz_strdup(zsim_schedule());
	r->schedule_stay = fuzz_strdup(zsim_schedule_stay());
	r->steps = zsim_steps();
	r->failed = r->ret || r->reports;
	if (!r->failed)
		return 0;

	first = zsim_first_report();
	len = strlen(why) + strlen(first) + 128;
	r->report = malloc(len);
	if (!r->report) {
		fprintf(stderr, "race-fuzz: out of memory\n");
		exit(2);
	}
	if (r->ret == -ENOEXEC)
		snprintf(why, sizeof(why), "step limit of %lu reached (livelock?)", c->max_steps);
	/* First line: what failed; then the machine's first report. */
	if (r->ret)
		snprintf(r->report, len, "%s: %s (%d); %lu machine report(s)%s%s", c->scen->name,
			 why, r->ret, r->reports, r->reports ? ", first:\n" : "", first);
	else
		snprintf(r->report, len, "%s: %lu machine report(s), first:\n%s", c->scen->name,
			 r->reports, first);
	return 0;
}

int fuzz_run(const struct fuzz_cfg *c, uint64_t seed, const char *replay,
	     struct fuzz_result *r)
{
	if (c->fork)
		return fuzz_run_child(c, seed, replay, r);
	return fuzz_run_here(c, seed, replay, r);
}

void fuzz_result_free(struct fuzz_result *r)
{
	free(r->schedule);
	free(r->schedule_stay);
	free(r->report);
	memset(r, 0, sizeof(*r));
}
