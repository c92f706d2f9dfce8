// SPDX-License-Identifier: GPL-2.0-only
/*
 * race-fuzz as a libFuzzer target: LLVMFuzzerTestOneInput() makes one run
 * from the input bytes, judged by the same oracles as race-fuzz (run.c),
 * so campaigns scale out on libFuzzer (-fork=N, -jobs=N), AFL++ (its
 * libFuzzer driver) or ClusterFuzz-style runners. A failing input aborts
 * after printing its report; the input itself replays the run (the
 * operations come from it too, so a race-fuzz line could not).
 *
 * Input layout (missing bytes are zero):
 *	bytes 0-7	the seed (little endian)
 *	byte 8		the scenario (index into the sorted list, modulo)
 *	byte 9		bit 0: lifetime hotplug, bit 1: zsmalloc rcu
 *	the rest	split in two halves: the first chooses the tasks'
 *			operations (fuzz_opts.input), the second is the
 *			schedule, one decision per byte relative to "no
 *			preemption" (a ":stay" schedule string: 0 lets the
 *			running task go on, k runs the k-th candidate after
 *			it), and no preemption once the bytes run out
 * RACE_FUZZ_SCENARIO=NAME in the environment pins the scenario.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct lf_pick {
	unsigned int want, i;
	const struct fuzz_scenario *s;
	unsigned int nr;
};

static void lf_count(const struct fuzz_scenario *s, void *arg)
{
	struct lf_pick *p = arg;

	if (p->i++ == p->want)
		p->s = s;
	p->nr++;
}

static const struct fuzz_scenario *lf_scenario(uint8_t byte)
{
	const char *name = getenv("RACE_FUZZ_SCENARIO");
	struct lf_pick p = { .want = ~0U };

	if (name && *name) {
		const struct fuzz_scenario *s = fuzz_find(name);

		if (!s) {
			fprintf(stderr, "race-fuzz: RACE_FUZZ_SCENARIO=%s: no such scenario\n", name);
			exit(2);
		}
		return s;
	}
	fuzz_for_each(lf_count, &p);
	p.want = byte % p.nr;
	p.i = 0;
	p.nr = 0;
	fuzz_for_each(lf_count, &p);
	return p.s;
}

static uint8_t lf_byte(const uint8_t *data, size_t size, size_t i)
{
	return i < size ? data[i] : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_sched sched = { .stay = true };
	struct fuzz_cfg c = {
		.policy = ZSIM_SCHED_RANDOM,
		.depth = 3,
		.max_steps = 5000000,
		.quiet = true,
	};
	size_t i, rest, half;
	struct fuzz_result r;
	uint8_t flags;
	char *str;

	for (i = 0; i < 8; i++)
		sched.seed |= (uint64_t)lf_byte(data, size, i) << (8 * i);
	c.scen = lf_scenario(lf_byte(data, size, 8));
	flags = lf_byte(data, size, 9);
	c.o.lifetime = flags & 1 ? "hotplug" : "pool";
	c.o.zsmalloc = flags & 2 ? "rcu" : "deferred";
	c.o.compressor = "lz4";
	c.o.nr_cpus = 3;
	c.o.nr_tasks = 2;
	c.o.controlled = true;
	rest = size > 10 ? size - 10 : 0;
	half = rest / 2;
	c.o.input = half ? data + 10 : NULL;
	c.o.input_len = half;
	sched.nr = rest - half;
	sched.vals = calloc(sched.nr + 1, sizeof(*sched.vals));
	if (!sched.vals)
		return 0;
	for (i = 0; i < sched.nr; i++)
		sched.vals[i] = data[10 + half + i];
	str = fuzz_sched_format(&sched);
	fuzz_sched_free(&sched);
	if (!str)
		return 0;
	zsim_set_loglevel(3);
	if (fuzz_run(&c, 0, str, &r)) {
		free(str);
		return 0;
	}
	if (r.failed) {
		/* The input replays it: libFuzzer saves it as crash-<sha1>. */
		fprintf(stderr, "race-fuzz: FAILURE (scenario %s, lifetime %s, zsmalloc %s, schedule %.200s)\nreport:\n%s\nrerun the input with race-fuzz-standalone FILE or race-fuzz-libfuzzer FILE\n",
			c.scen->name, c.o.lifetime, c.o.zsmalloc, str, r.report);
		abort();
	}
	fuzz_result_free(&r);
	free(str);
	return 0;
}
