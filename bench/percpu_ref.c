// SPDX-License-Identifier: GPL-2.0-only
/*
 * percpu_ref_get() + percpu_ref_put() on a reference in per-CPU mode,
 * against an atomic_long_inc() + atomic_long_dec() pair of the shim's
 * <linux/atomic.h> and a raw host atomic add/sub pair, measured in the same
 * run inside one simulated task, in both scheduling backends. The same
 * pair on a reference in atomic mode (PERCPU_REF_INIT_ATOMIC, as after
 * percpu_ref_kill()) is shown for comparison.
 *
 * In the kernel the per-CPU fast path is an RCU-sched read section around a
 * this_cpu_add(), which is why percpu_ref beats a shared atomic on many
 * CPUs; here each of those steps is also a scheduling point, so the figure
 * says what a zswap pool reference costs in the simulator.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/percpu-refcount.h>
#include <linux/rcupdate.h>
#include <stdbool.h>
#include <stdio.h>
#include <zswapsim.h>

#include "bench.h"

struct ref_bench {
	struct percpu_ref	ref;		/* per-CPU mode */
	struct percpu_ref	aref;		/* atomic mode */
	atomic_long_t		counter;
	long			raw_counter;
	int			released;
	struct bench_op		ops[4];
};

static struct ref_bench bench;

static void ref_release(struct percpu_ref *ref)
{
	__atomic_fetch_add(&bench.released, 1, __ATOMIC_RELAXED);
}

static noinline void run_percpu_ref(void *arg, unsigned long iters)
{
	struct ref_bench *b = arg;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		percpu_ref_get(&b->ref);
		bench_keep(&b->ref);
		percpu_ref_put(&b->ref);
	}
}

static noinline void run_percpu_ref_atomic(void *arg, unsigned long iters)
{
	struct ref_bench *b = arg;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		percpu_ref_get(&b->aref);
		bench_keep(&b->aref);
		percpu_ref_put(&b->aref);
	}
}

static noinline void run_atomic_long(void *arg, unsigned long iters)
{
	struct ref_bench *b = arg;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		atomic_long_inc(&b->counter);
		bench_keep(&b->counter);
		atomic_long_dec(&b->counter);
	}
}

static noinline void run_raw_atomic(void *arg, unsigned long iters)
{
	struct ref_bench *b = arg;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		__atomic_fetch_add(&b->raw_counter, 1, __ATOMIC_SEQ_CST);
		bench_keep(&b->raw_counter);
		__atomic_fetch_sub(&b->raw_counter, 1, __ATOMIC_SEQ_CST);
	}
}

static int bench_task(void *arg)
{
	struct ref_bench *b = arg;
	int ret;

	b->released = 0;
	atomic_long_set(&b->counter, 0);
	b->raw_counter = 0;
	/* No flags: the reference starts in per-CPU mode. */
	ret = percpu_ref_init(&b->ref, ref_release, 0, GFP_KERNEL);
	if (ret)
		return ret;
	ret = percpu_ref_init(&b->aref, ref_release, PERCPU_REF_INIT_ATOMIC, GFP_KERNEL);
	if (ret) {
		percpu_ref_exit(&b->ref);
		return ret;
	}
	if (percpu_ref_is_zero(&b->ref) || percpu_ref_is_zero(&b->aref))
		ret = -EINVAL;

	b->ops[0] = (struct bench_op){ .name = "percpu_ref", .run = run_percpu_ref, .arg = b };
	b->ops[1] = (struct bench_op){ .name = "atomic_long", .run = run_atomic_long, .arg = b };
	b->ops[2] = (struct bench_op){ .name = "raw atomic", .run = run_raw_atomic, .arg = b };
	b->ops[3] = (struct bench_op){ .name = "percpu_ref atomic", .run = run_percpu_ref_atomic, .arg = b };
	bench_compare(b->ops, 4);

	/*
	 * Drop the initial references: the atomic one is released at once,
	 * the per-CPU one after the grace period of its switch to atomic.
	 */
	percpu_ref_kill(&b->ref);
	percpu_ref_kill(&b->aref);
	rcu_barrier();
	if (__atomic_load_n(&b->released, __ATOMIC_RELAXED) != 2 ||
	    atomic_long_read(&b->counter))
		ret = -EINVAL;
	percpu_ref_exit(&b->ref);
	percpu_ref_exit(&b->aref);
	return ret;
}

static int run_config(enum zsim_backend backend)
{
	struct ref_bench *b = &bench;
	struct zsim_config cfg;
	unsigned long reports;
	int ret;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 2;
	cfg.seed = 1;
	cfg.backend = backend;
	ret = zsim_machine_start(&cfg);
	if (ret)
		return ret;
	ret = zsim_run(0, bench_task, b);
	reports = zsim_machine_stop();
	if (ret || reports) {
		fprintf(stderr, "bench_percpu_ref: task returned %d, %lu report(s)\n", ret, reports);
		return ret ? ret : -EINVAL;
	}
	printf("%-13s %11.1f %12.1f %8.2fx %11.1f %8.2fx %11.1f %8.2fx\n",
	       backend == ZSIM_CONTROLLED ? "controlled" : "free-running",
	       b->ops[0].median, b->ops[1].median, b->ops[0].median / b->ops[1].median,
	       b->ops[2].median, b->ops[0].median / b->ops[2].median,
	       b->ops[3].median, b->ops[3].median / b->ops[1].median);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	bench_args(argc, argv, NULL,
		   "percpu_ref_get()+percpu_ref_put() in per-CPU mode against "
		   "atomic_long_inc()+atomic_long_dec() and a raw host atomic add/sub, ns "
		   "per pair, in both backends");
	printf("bench_percpu_ref: get+put in per-CPU mode vs inc+dec baselines, one simulated task\n");
	printf("(host CLOCK_MONOTONIC, ns per pair, median of %d repetitions of >= %llu ms each, interleaved)\n\n",
	       BENCH_REPS, BENCH_REP_NS / 1000000);
	printf("%-13s %11s %12s %9s %11s %9s %11s %9s\n", "backend", "percpu_ref",
	       "atomic_long", "ratio", "raw atomic", "ratio", "atomic-mode", "ratio");
	printf("%-13s %11s %12s %9s %11s %9s %11s %9s\n", "", "per-CPU", "inc+dec",
	       "ref/long", "add+sub", "ref/raw", "percpu_ref", "/long");
	ret = run_config(ZSIM_FREE_RUNNING);
	if (!ret)
		ret = run_config(ZSIM_CONTROLLED);
	return ret ? 1 : 0;
}
