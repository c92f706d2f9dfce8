// SPDX-License-Identifier: GPL-2.0-only
/*
 * Schedule shrinking: from a failing run's schedule string, find a smaller
 * one whose replay fails the same way.
 *
 * The controlled backend follows a replay string's decisions while they
 * last, taking a recorded choice modulo the candidates it has. A plain
 * string then goes on with the policy from its seed, which would replay
 * the original run from any prefix; a string ending in ":stay" goes on
 * without preemption instead (docs/shim.md). Every candidate is a ":stay"
 * string: a valid, deterministic run whose interleaving is what its
 * decisions say and nothing more. Failing "the same way" means the same
 * scenario result and, if the original had machine reports, reports.
 *
 * Passes, each kept only where the run still fails:
 * 1. the shortest failing prefix (binary search: the tail then runs
 *    without preemption);
 * 2. ddmin (Zeller and Hildebrandt, TSE 2002) over the non-zero
 *    decisions: set chunks of them to 0 (no preemption, no migration),
 *    halving the chunk size when none can go; then 1 again;
 * 3. the same over all decisions, removing chunks of them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sim/schedule.h>

#include "fuzz.h"

struct shrinker_state {
	const struct fuzz_cfg	*c;
	const struct fuzz_result *orig;
	struct fuzz_sched	best;
	unsigned int		budget;
	unsigned int		tries;
};

/* Does replaying @vals[0..nr) fail as the original did? */
static bool still_fails(struct shrinker_state *st, const uint32_t *vals, size_t nr)
{
	struct fuzz_sched s = {
		.seed = st->best.seed, .vals = (uint32_t *)vals, .nr = nr, .stay = true,
	};
	struct fuzz_result r;
	char *str;
	bool same;

	if (st->tries >= st->budget)
		return false;
	st->tries++;
	str = fuzz_sched_format(&s);
	if (!str || fuzz_run(st->c, 0, str, &r)) {
		free(str);
		return false;
	}
	same = r.failed && r.ret == st->orig->ret && !r.reports == !st->orig->reports &&
	       r.signal == st->orig->signal;
	fuzz_result_free(&r);
	free(str);
	return same;
}

static void keep(struct shrinker_state *st, uint32_t *vals, size_t nr)
{
	memcpy(st->best.vals, vals, nr * sizeof(*vals));
	st->best.nr = nr;
}

static size_t nonzero(const struct fuzz_sched *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nr; i++)
		n += s->vals[i] != 0;
	return n;
}

static void shrink_prefix(struct shrinker_state *st)
{
	size_t lo = 0, hi = st->best.nr;	/* hi fails; look for the least */

	while (lo < hi && st->tries < st->budget) {
		size_t mid = lo + (hi - lo) / 2;

		if (still_fails(st, st->best.vals, mid))
			hi = mid;
		else
			lo = mid + 1;
	}
	st->best.nr = hi;
}

/* ddmin's complement steps: drop chunks of @n decisions. */
static void shrink_remove(struct shrinker_state *st, uint32_t *scratch)
{
	size_t chunk = st->best.nr / 2;

	while (chunk && st->tries < st->budget) {
		bool removed = false;
		size_t start;

		for (start = 0; start < st->best.nr && st->tries < st->budget;) {
			size_t end = start + chunk < st->best.nr ? start + chunk : st->best.nr;
			size_t nr = st->best.nr - (end - start);

			memcpy(scratch, st->best.vals, start * sizeof(*scratch));
			memcpy(scratch + start, st->best.vals + end,
			       (st->best.nr - end) * sizeof(*scratch));
			if (still_fails(st, scratch, nr)) {
				keep(st, scratch, nr);
				removed = true;
			} else {
				start = end;
			}
		}
		if (!removed)
			chunk /= 2;
	}
}

/* The same over non-zero decisions: set chunks of them to 0. */
static void shrink_zero(struct shrinker_state *st, uint32_t *scratch)
{
	size_t nr = st->best.nr, chunk = nonzero(&st->best) / 2;

	while (chunk && st->tries < st->budget) {
		bool zeroed = false;
		size_t i = 0;

		while (i < nr && st->tries < st->budget) {
			size_t n = 0, j;

			memcpy(scratch, st->best.vals, nr * sizeof(*scratch));
			for (j = i; j < nr && n < chunk; j++) {
				if (scratch[j]) {
					scratch[j] = 0;
					n++;
				}
			}
			if (!n)
				break;
			if (still_fails(st, scratch, nr)) {
				keep(st, scratch, nr);
				zeroed = true;
			}
			i = j;
		}
		if (!zeroed)
			chunk /= 2;
	}
}

char *fuzz_shrink(const struct fuzz_cfg *c, const char *schedule, unsigned int budget,
		  FILE *log)
{
	struct shrinker_state st = { .c = c, .budget = budget + 1 };
	struct fuzz_result orig;
	uint32_t *scratch;
	char *out = NULL;

	if (fuzz_sched_parse(schedule, &st.best) || !st.best.stay) {
		fuzz_sched_free(&st.best);
		return NULL;
	}
	if (fuzz_run(c, 0, schedule, &orig) || !orig.failed) {
		if (log)
			fprintf(log, "race-fuzz: the schedule does not fail on replay: not shrunk\n");
		fuzz_result_free(&orig);
		fuzz_sched_free(&st.best);
		return NULL;
	}
	st.orig = &orig;
	scratch = malloc((st.best.nr + 1) * sizeof(*scratch));
	if (scratch) {
		size_t nr0 = st.best.nr, nz0 = nonzero(&st.best);

		st.tries = 1;
		shrink_prefix(&st);
		shrink_zero(&st, scratch);
		shrink_prefix(&st);
		shrink_remove(&st, scratch);
		if (log)
			fprintf(log, "race-fuzz: shrunk %zu decisions (%zu non-zero) to %zu (%zu non-zero) in %u replays\n",
				nr0, nz0, st.best.nr, nonzero(&st.best), st.tries);
		out = fuzz_sched_format(&st.best);
		free(scratch);
	}
	fuzz_result_free(&orig);
	fuzz_sched_free(&st.best);
	return out;
}

/* ---- schedule strings: the shim's codec (<sim/schedule.h>) ---- */

int fuzz_sched_parse(const char *str, struct fuzz_sched *s)
{
	struct sched_trace tr = { 0 };
	u64 seed;
	int ret;

	memset(s, 0, sizeof(*s));
	ret = schedule_parse(str, &seed, &tr, &s->stay);
	if (ret)
		return ret;
	s->seed = seed;
	s->vals = tr.vals;
	s->nr = tr.nr;
	return 0;
}

char *fuzz_sched_format(const struct fuzz_sched *s)
{
	const struct sched_trace tr = { .vals = s->vals, .nr = s->nr };

	return schedule_format(s->seed, &tr, s->stay);
}

void fuzz_sched_free(struct fuzz_sched *s)
{
	free(s->vals);
	memset(s, 0, sizeof(*s));
}
