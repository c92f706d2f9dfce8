/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Timing helpers shared by the micro-benchmarks in bench/.
 *
 * Every figure is measured with the host's CLOCK_MONOTONIC ("measured"
 * timing mode, ARCHITECTURE.md "Time"), never with the simulated machine's
 * virtual clock. An operation is timed in repetitions of a calibrated
 * number of iterations (each repetition lasts at least BENCH_REP_NS), after
 * a warm-up; the figure is the median over BENCH_REPS repetitions. Ops that
 * are compared are measured interleaved (A B A B ...) so that drift of the
 * host (frequency, noisy neighbours) hits both sides of a ratio alike.
 *
 * The ops run wherever the caller runs them: the benchmarks call these
 * helpers from inside a simulated task (zsim_run()), since the kernel APIs
 * being measured need `current`.
 */
#ifndef _ZSIM_BENCH_H
#define _ZSIM_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_REPS	11
#define BENCH_REP_NS	20000000ULL	/* 20 ms per repetition */

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of @n samples (sorts a copy). */
static inline double bench_median(const double *samples, int n)
{
	double *s, m;

	if (n <= 0 || !(s = malloc(n * sizeof(*s))))
		return 0;
	memcpy(s, samples, n * sizeof(*s));
	qsort(s, n, sizeof(s[0]), bench_cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

/* One operation to time: run(arg, iters) performs it @iters times. */
struct bench_op {
	const char	*name;
	void		(*run)(void *arg, unsigned long iters);
	void		*arg;
	unsigned long	iters;			/* per repetition, calibrated */
	double		ns_per_op[BENCH_REPS];
	double		median;			/* ns per op */
};

static inline double bench_time_once(struct bench_op *op)
{
	uint64_t t0 = bench_now_ns();

	op->run(op->arg, op->iters);
	return (double)(bench_now_ns() - t0) / op->iters;
}

/*
 * Warm up @op and pick its iteration count: double it until one
 * repetition takes BENCH_REP_NS.
 */
static inline void bench_calibrate(struct bench_op *op)
{
	uint64_t t0, dt;

	op->iters = 1000;
	for (;;) {
		t0 = bench_now_ns();
		op->run(op->arg, op->iters);
		dt = bench_now_ns() - t0;
		if (dt >= BENCH_REP_NS || op->iters >= (1UL << 40))
			break;
		op->iters *= dt < BENCH_REP_NS / 16 ? 8 : 2;
	}
}

/* Calibrate, then time @nr ops interleaved; fills each op's median. */
static inline void bench_compare(struct bench_op *ops, int nr)
{
	int i, r;

	for (i = 0; i < nr; i++)
		bench_calibrate(&ops[i]);
	for (r = 0; r < BENCH_REPS; r++)
		for (i = 0; i < nr; i++)
			ops[i].ns_per_op[r] = bench_time_once(&ops[i]);
	for (i = 0; i < nr; i++)
		ops[i].median = bench_median(ops[i].ns_per_op, BENCH_REPS);
}

/* Spread of an op's samples: (max - min) / median, in percent. */
static inline double bench_spread_pct(const struct bench_op *op)
{
	double lo = op->ns_per_op[0], hi = op->ns_per_op[0];
	int r;

	for (r = 1; r < BENCH_REPS; r++) {
		if (op->ns_per_op[r] < lo)
			lo = op->ns_per_op[r];
		if (op->ns_per_op[r] > hi)
			hi = op->ns_per_op[r];
	}
	return op->median > 0 ? 100.0 * (hi - lo) / op->median : 0;
}

/*
 * The command line of a micro-benchmark: "--help" (or "-h") prints the
 * usage line and @what, one line of what the benchmark measures, and
 * exits 0; an option, or any argument when @args is NULL, is refused with
 * a message and exit status 2. @args is the usage of the arguments the
 * benchmark takes (bench_zswap's "[lz4|zstd]"), which it checks itself.
 */
static inline void bench_args(int argc, char **argv, const char *args, const char *what)
{
	const char *prog = argc > 0 ? argv[0] : "bench";
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: %s%s%s\n%s\n", prog, args ? " " : "", args ? args : "",
			       what);
			exit(0);
		}
		if (argv[i][0] == '-' || !args) {
			fprintf(stderr, "%s: %s \"%s\" (see --help)\n", prog,
				argv[i][0] == '-' ? "unknown option" : "unexpected argument",
				argv[i]);
			exit(2);
		}
	}
}

/*
 * Keep the compiler from proving a benchmark loop's body useless (the
 * kernel's barrier_data()).
 */
#define bench_keep(ptr)	__asm__ __volatile__("" : : "r"(ptr) : "memory")

#endif /* _ZSIM_BENCH_H */
