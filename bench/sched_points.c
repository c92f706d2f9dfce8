// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scheduling points per second.
 *
 * 1, 2 and 8 simulated tasks each call sched_point() in a loop, in the
 * controlled backend (one task runs at a time; at every point the seeded
 * scheduler picks who runs next, which usually means handing the host CPU
 * to another pthread) and, for comparison, in the free-running backend
 * (tasks run in parallel; a point is a check for preemption and migration).
 * The rate is all tasks' points divided by the wall time from the first
 * spawn to the last join. The free-running single-task cost of one point,
 * measured in the same run, is the baseline of the ratios.
 */
#include <linux/errno.h>
#include <sim/sched.h>
#include <stdio.h>
#include <zswapsim.h>

#include "bench.h"

#define NR_CPUS_BENCH	8
#define MAX_TASKS	8

static const unsigned int task_counts[] = { 1, 2, 8 };
#define NR_COUNTS	(sizeof(task_counts) / sizeof(task_counts[0]))

struct points_arg {
	unsigned long	points;
};

static int points_task(void *arg)
{
	struct points_arg *a = arg;
	unsigned long i;

	for (i = 0; i < a->points; i++)
		sched_point();
	return 0;
}

/* One run of @nr tasks doing @points points each; returns ns or 0 on error. */
static uint64_t run_tasks(unsigned int nr, unsigned long points, unsigned long *steps)
{
	struct zsim_task *tasks[MAX_TASKS];
	struct points_arg a = { .points = points };
	unsigned long steps0 = zsim_steps();
	uint64_t t0 = bench_now_ns(), dt;
	unsigned int i;
	int err = 0;

	for (i = 0; i < nr; i++)
		tasks[i] = zsim_spawn(i % NR_CPUS_BENCH, points_task, &a, "points");
	for (i = 0; i < nr; i++)
		err |= tasks[i] ? zsim_join(tasks[i]) : -EINVAL;
	dt = bench_now_ns() - t0;
	*steps = zsim_steps() - steps0;
	return err ? 0 : dt;
}

struct rate {
	double		ns_per_point;	/* wall time / all tasks' points, median */
	double		steps_per_point;
};

/* Calibrate the points per task, then time BENCH_REPS runs. */
static int measure(unsigned int nr, struct rate *r)
{
	double ns[BENCH_REPS];
	unsigned long points = 1000, steps;
	uint64_t dt;
	int rep;

	for (;;) {	/* the warm-up runs */
		dt = run_tasks(nr, points, &steps);
		if (!dt)
			return -EINVAL;
		if (dt >= BENCH_REP_NS || points >= (1UL << 32))
			break;
		points *= dt < BENCH_REP_NS / 16 ? 8 : 2;
	}
	for (rep = 0; rep < BENCH_REPS; rep++) {
		dt = run_tasks(nr, points, &steps);
		if (!dt)
			return -EINVAL;
		ns[rep] = (double)dt / ((double)nr * points);
	}
	r->ns_per_point = bench_median(ns, BENCH_REPS);
	r->steps_per_point = (double)steps / ((double)nr * points);
	return 0;
}

static int run_backend(enum zsim_backend backend, struct rate rates[NR_COUNTS])
{
	struct zsim_config cfg;
	unsigned long reports;
	unsigned int i;
	int ret;

	zsim_config_init(&cfg);
	cfg.nr_cpus = NR_CPUS_BENCH;
	cfg.seed = 1;
	cfg.backend = backend;
	ret = zsim_machine_start(&cfg);
	if (ret)
		return ret;
	for (i = 0; i < NR_COUNTS && !ret; i++)
		ret = measure(task_counts[i], &rates[i]);
	reports = zsim_machine_stop();
	if (ret || reports) {
		fprintf(stderr, "bench_sched_points: error %d, %lu report(s)\n", ret, reports);
		return ret ? ret : -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct rate freer[NR_COUNTS], ctl[NR_COUNTS];
	struct zsim_config defaults;
	double base;
	unsigned int i;

	bench_args(argc, argv, NULL,
		   "scheduling points per second with 1, 2 and 8 tasks calling sched_point() "
		   "in a loop, in the controlled and the free-running backend, as ratios to "
		   "one free-running task's cost");
	zsim_config_init(&defaults);
	if (run_backend(ZSIM_FREE_RUNNING, freer) || run_backend(ZSIM_CONTROLLED, ctl))
		return 1;
	base = freer[0].ns_per_point;

	printf("bench_sched_points: tasks calling sched_point() in a loop, %d virtual CPUs,\n"
	       "migrate_permille %u, random-walk scheduler (host CLOCK_MONOTONIC, wall time of\n"
	       "spawn..join over all tasks' points, median of %d runs of >= %llu ms each)\n\n",
	       NR_CPUS_BENCH, defaults.migrate_permille, BENCH_REPS, BENCH_REP_NS / 1000000);
	printf("free-running sched_point(), 1 task: %.1f ns/point (the baseline)\n\n", base);
	printf("%-13s %5s %14s %12s %16s %11s\n", "backend", "tasks", "points/s",
	       "ns/point", "x free 1-task", "steps/point");
	for (i = 0; i < NR_COUNTS; i++)
		printf("%-13s %5u %14.0f %12.1f %15.1fx %11s\n", "free-running", task_counts[i],
		       1e9 / freer[i].ns_per_point, freer[i].ns_per_point,
		       freer[i].ns_per_point / base, "-");
	for (i = 0; i < NR_COUNTS; i++)
		printf("%-13s %5u %14.0f %12.1f %15.1fx %11.2f\n", "controlled", task_counts[i],
		       1e9 / ctl[i].ns_per_point, ctl[i].ns_per_point,
		       ctl[i].ns_per_point / base, ctl[i].steps_per_point);
	return 0;
}
