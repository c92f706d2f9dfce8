// SPDX-License-Identifier: GPL-2.0-only
/*
 * Uncontended mutex_lock() + mutex_unlock() against a raw
 * pthread_mutex_lock() + pthread_mutex_unlock(), in both scheduling
 * backends, with the lock-order validator on and off.
 *
 * Both loops run inside one simulated task (zsim_run()) on an otherwise
 * idle machine, so the shim mutex always takes its uncontended path; the
 * difference to pthreads is what the shim adds: the scheduling point of
 * every lock operation, owner tracking and, with lockdep, the held-lock
 * stack and class-order checks. The controlled backend's figure includes
 * the scheduler's decision at each scheduling point (only one task is
 * runnable, so it never switches).
 */
#include <linux/errno.h>
#include <linux/mutex.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <zswapsim.h>

#include "bench.h"

struct mutex_bench {
	struct mutex		mutex;
	pthread_mutex_t		pmutex;
	struct bench_op		ops[2];
};

static noinline void run_mutex(void *arg, unsigned long iters)
{
	struct mutex_bench *b = arg;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		mutex_lock(&b->mutex);
		bench_keep(&b->mutex);
		mutex_unlock(&b->mutex);
	}
}

static noinline void run_pthread(void *arg, unsigned long iters)
{
	struct mutex_bench *b = arg;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		pthread_mutex_lock(&b->pmutex);
		bench_keep(&b->pmutex);
		pthread_mutex_unlock(&b->pmutex);
	}
}

static int bench_task(void *arg)
{
	struct mutex_bench *b = arg;

	mutex_init(&b->mutex);
	pthread_mutex_init(&b->pmutex, NULL);
	b->ops[0] = (struct bench_op){ .name = "mutex", .run = run_mutex, .arg = b };
	b->ops[1] = (struct bench_op){ .name = "pthread", .run = run_pthread, .arg = b };
	bench_compare(b->ops, 2);
	if (mutex_is_locked(&b->mutex))
		return -EINVAL;
	pthread_mutex_destroy(&b->pmutex);
	return 0;
}

static int run_config(enum zsim_backend backend, bool lockdep)
{
	static struct mutex_bench b;
	struct zsim_config cfg;
	unsigned long reports;
	int ret;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 2;
	cfg.seed = 1;
	cfg.backend = backend;
	cfg.lockdep = lockdep;
	ret = zsim_machine_start(&cfg);
	if (ret)
		return ret;
	ret = zsim_run(0, bench_task, &b);
	reports = zsim_machine_stop();
	if (ret || reports) {
		fprintf(stderr, "bench_mutex: task returned %d, %lu report(s)\n", ret, reports);
		return ret ? ret : -EINVAL;
	}
	printf("%-13s %-7s %12.1f %14.1f %8.2fx %8.1f%% %8.1f%%\n",
	       backend == ZSIM_CONTROLLED ? "controlled" : "free-running",
	       lockdep ? "on" : "off", b.ops[0].median, b.ops[1].median,
	       b.ops[0].median / b.ops[1].median,
	       bench_spread_pct(&b.ops[0]), bench_spread_pct(&b.ops[1]));
	return 0;
}

int main(int argc, char **argv)
{
	static const enum zsim_backend backends[] = { ZSIM_FREE_RUNNING, ZSIM_CONTROLLED };
	int i, ret = 0;

	bench_args(argc, argv, NULL,
		   "uncontended mutex_lock()+mutex_unlock() against "
		   "pthread_mutex_lock()+pthread_mutex_unlock(), ns per pair, in both "
		   "backends, lockdep on and off");
	printf("bench_mutex: uncontended lock+unlock inside one simulated task, ns per pair\n");
	printf("(host CLOCK_MONOTONIC, median of %d repetitions of >= %llu ms each, interleaved;\n"
	       " spread = (max - min) / median of the mutex and pthread samples)\n\n",
	       BENCH_REPS, BENCH_REP_NS / 1000000);
	printf("%-13s %-7s %12s %14s %9s %9s %9s\n", "backend", "lockdep",
	       "mutex ns/op", "pthread ns/op", "ratio", "spread m", "spread p");
	for (i = 0; i < 2 && !ret; i++) {
		ret = run_config(backends[i], true);
		if (!ret)
			ret = run_config(backends[i], false);
	}
	return ret ? 1 : 0;
}
