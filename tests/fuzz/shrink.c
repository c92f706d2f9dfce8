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

/* ---- schedule strings ---- */

static int sched_push(struct fuzz_sched *s, uint32_t v, size_t *cap)
{
	if (s->nr == *cap) {
		size_t ncap = *cap ? 2 * *cap : 256;
		uint32_t *p = realloc(s->vals, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->vals = p;
		*cap = ncap;
	}
	s->vals[s->nr++] = v;
	return 0;
}

static int base36(const char **p, unsigned long long *v)
{
	const char *s = *p;

	*v = 0;
	if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z')))
		return -EINVAL;
	for (; (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z'); s++) {
		*v = *v * 36 + (*s <= '9' ? *s - '0' : *s - 'a' + 10);
		if (*v > UINT32_MAX)
			return -EINVAL;
	}
	*p = s;
	return 0;
}

int fuzz_sched_parse(const char *str, struct fuzz_sched *s)
{
	const char *p;
	size_t cap = 0;
	char *end;

	memset(s, 0, sizeof(*s));
	if (strncmp(str, "z1:", 3))
		return -EINVAL;
	s->seed = strtoull(str + 3, &end, 16);
	if (end == str + 3 || *end != ':')
		return -EINVAL;
	for (p = end + 1; *p;) {
		if (!strcmp(p, ":stay")) {
			s->stay = true;
			break;
		}
		unsigned long long v, run = 1;

		if (base36(&p, &v))
			goto bad;
		if (*p == '*') {
			p++;
			if (base36(&p, &run) || !run)
				goto bad;
		}
		while (run--)
			if (sched_push(s, v, &cap))
				goto bad;
		if (*p == '.')
			p++;
		else if (*p && *p != ':')
			goto bad;
	}
	return 0;
bad:
	fuzz_sched_free(s);
	return -EINVAL;
}

static void put36(FILE *f, unsigned long long v)
{
	char buf[16];
	int i = sizeof(buf);

	buf[--i] = '\0';
	do {
		buf[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v);
	fputs(buf + i, f);
}

char *fuzz_sched_format(const struct fuzz_sched *s)
{
	char *buf = NULL;
	size_t len = 0, i = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "z1:%llx:", (unsigned long long)s->seed);
	while (i < s->nr) {
		size_t run = 1;

		while (i + run < s->nr && s->vals[i + run] == s->vals[i])
			run++;
		if (i)
			fputc('.', f);
		put36(f, s->vals[i]);
		if (run > 1) {
			fputc('*', f);
			put36(f, run);
		}
		i += run;
	}
	if (s->stay)
		fputs(":stay", f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void fuzz_sched_free(struct fuzz_sched *s)
{
	free(s->vals);
	memset(s, 0, sizeof(*s));
}
