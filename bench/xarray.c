// SPDX-License-Identifier: GPL-2.0-only
/*
 * xa_load() lookups per second against liburcu's RCU hash table
 * (cds_lfht_lookup()) on the same keys, in the same run, with 1 and 2
 * reader tasks while a writer task keeps storing: it replaces every key's
 * entry in turn (xa_store() of another object; cds_lfht_add_replace() of a
 * new node), then waits for a grace period (synchronize_rcu()) and, for
 * the hash table, frees the replaced nodes.
 *
 * Three readers are compared:
 *   xa_load   xa_load() and a check of the object's key, as zswap_load()
 *             does; xa_load() takes the shim's rcu_read_lock() itself;
 *   lfht      cds_lfht_lookup() in a bare liburcu read-side section (the
 *             library on its own);
 *   lfht+rcu  cds_lfht_lookup() inside the shim's rcu_read_lock(): what
 *             an xarray built on the hash table would cost in the
 *             simulator, since xa_load() must be a shim RCU reader.
 *
 * Keys: "dense" are 0..N-1, the swap offsets one zswap tree holds;
 * "sparse" are N distinct scattered 32-bit numbers (the trie's bad case:
 * about one entry per leaf). Lookups go through the keys in one random order, each
 * reader from its own starting point.
 *
 * Free-running backend (real parallel pthreads, liburcu RCU) without
 * random migrations, one virtual CPU per task, host CLOCK_MONOTONIC
 * ("measured" timing mode). Each figure is the median of
 * BENCH_REPS runs of RUN_MS, the three readers interleaved run by run.
 * A reader's rate is its lookups over its own running time; the table
 * gives the sum over the readers.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <sim/sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <zswapsim.h>

#include "bench.h"
#include "xarray_lfht.h"

#define NR_KEYS		(1UL << 16)
#define RUN_MS		50
#define MAX_READERS	2
#define BATCH		256	/* lookups between looks at the stop flag */

enum reader_kind { KIND_XA, KIND_LFHT, KIND_LFHT_RCU, NR_KINDS };

struct xa_obj {
	unsigned long	key;
};

struct xa_bench {
	const char	*keys_name;
	unsigned long	keys[NR_KEYS];
	unsigned int	order[NR_KEYS];		/* lookup order: indices into keys */
	struct xarray	xa;
	struct xa_obj	objs[2][NR_KEYS];	/* the writer alternates them */
	struct bench_lfht *lfht;

	/* One measurement. */
	enum reader_kind kind;
	int		ready;
	int		go;
	int		stop;
	unsigned long	bad;
	int		writer_err;
	unsigned long	reader_ops[MAX_READERS];
	u64		reader_ns[MAX_READERS];
	unsigned long	writer_ops;
	u64		writer_ns;
};

struct reader_arg {
	struct xa_bench	*b;
	int		id;
};

static struct xa_bench bench;

static void wait_for_go(struct xa_bench *b)
{
	__atomic_add_fetch(&b->ready, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&b->go, __ATOMIC_ACQUIRE))
		sched_point();
}

static bool stopped(struct xa_bench *b)
{
	return __atomic_load_n(&b->stop, __ATOMIC_ACQUIRE);
}

/* BATCH lookups from *pos on; returns how many found the wrong object. */
static noinline unsigned long batch_xa(struct xa_bench *b, unsigned long *pos)
{
	unsigned long i, bad = 0;

	for (i = 0; i < BATCH; i++) {
		unsigned long key = b->keys[b->order[(*pos)++ % NR_KEYS]];
		struct xa_obj *obj = xa_load(&b->xa, key);

		bad += !obj || obj->key != key;
	}
	return bad;
}

static noinline unsigned long batch_lfht(struct xa_bench *b, unsigned long *pos)
{
	unsigned long i, bad = 0;

	for (i = 0; i < BATCH; i++)
		bad += !bench_lfht_lookup(b->lfht, b->keys[b->order[(*pos)++ % NR_KEYS]]);
	return bad;
}

static noinline unsigned long batch_lfht_rcu(struct xa_bench *b, unsigned long *pos)
{
	unsigned long i, bad = 0;

	for (i = 0; i < BATCH; i++) {
		unsigned long key = b->keys[b->order[(*pos)++ % NR_KEYS]];

		rcu_read_lock();
		bad += !bench_lfht_lookup_nolock(b->lfht, key);
		rcu_read_unlock();
	}
	return bad;
}

static int reader(void *arg)
{
	struct reader_arg *ra = arg;
	struct xa_bench *b = ra->b;
	unsigned long (*batch)(struct xa_bench *, unsigned long *);
	unsigned long pos = ra->id * (NR_KEYS / MAX_READERS), ops = 0, bad = 0;
	u64 t0;

	batch = b->kind == KIND_XA ? batch_xa :
		b->kind == KIND_LFHT ? batch_lfht : batch_lfht_rcu;
	wait_for_go(b);
	t0 = bench_now_ns();
	do {
		bad += batch(b, &pos);
		ops += BATCH;
	} while (!stopped(b));
	b->reader_ns[ra->id] = bench_now_ns() - t0;
	b->reader_ops[ra->id] = ops;
	__atomic_add_fetch(&b->bad, bad, __ATOMIC_RELAXED);
	return 0;
}

static int writer(void *arg)
{
	struct xa_bench *b = arg;
	unsigned long i, ops = 0;
	unsigned int pass = 0;
	u64 t0;

	wait_for_go(b);
	t0 = bench_now_ns();
	while (!stopped(b)) {
		pass++;
		for (i = 0; i < NR_KEYS; i++) {
			if (b->kind == KIND_XA) {
				void *old = xa_store(&b->xa, b->keys[i], &b->objs[pass & 1][i],
						     GFP_KERNEL);

				if (xa_is_err(old)) {
					b->writer_err = xa_err(old);
					break;
				}
			} else if (!bench_lfht_replace(b->lfht, b->keys[i])) {
				b->writer_err = -ENOMEM;
				break;
			}
			ops++;
			if (i % BATCH == 0 && stopped(b))
				break;
		}
		synchronize_rcu();
		if (b->kind != KIND_XA)
			bench_lfht_reclaim(b->lfht);
		if (b->writer_err)
			break;
	}
	b->writer_ns = bench_now_ns() - t0;
	b->writer_ops = ops;
	return 0;
}

/* One run of @kind with @nr_readers: lookups/s (sum) and writer stores/s. */
static int measure(struct xa_bench *b, enum reader_kind kind, int nr_readers,
		   double *lookups, double *stores)
{
	struct reader_arg ra[MAX_READERS];
	struct zsim_task *w, *r[MAX_READERS];
	struct timespec ts = { .tv_sec = 0, .tv_nsec = RUN_MS * 1000000L };
	int i, ret = 0;

	b->kind = kind;
	b->ready = b->go = b->stop = 0;
	w = zsim_spawn(0, writer, b, "xa_writer");
	if (!w)
		return -ENOMEM;
	for (i = 0; i < nr_readers; i++) {
		ra[i] = (struct reader_arg){ .b = b, .id = i };
		r[i] = zsim_spawn(1 + i, reader, &ra[i], "xa_reader");
		if (!r[i]) {
			nr_readers = i;
			ret = -ENOMEM;
			break;
		}
	}
	while (__atomic_load_n(&b->ready, __ATOMIC_ACQUIRE) < nr_readers + 1)
		usleep(100);
	__atomic_store_n(&b->go, 1, __ATOMIC_RELEASE);
	nanosleep(&ts, NULL);
	__atomic_store_n(&b->stop, 1, __ATOMIC_RELEASE);
	zsim_join(w);
	*lookups = 0;
	for (i = 0; i < nr_readers; i++) {
		zsim_join(r[i]);
		*lookups += b->reader_ops[i] * 1e9 / b->reader_ns[i];
	}
	*stores = b->writer_ops * 1e9 / b->writer_ns;
	return ret ? ret : b->writer_err;
}

static u64 rnd_state = 0x9e3779b97f4a7c15ULL;

/* splitmix64: a fixed sequence, so every run looks up the same keys. */
static u64 rnd(void)
{
	u64 z = (rnd_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Fill both structures with every key (run as a task: RCU readers). */
static int populate(void *arg)
{
	struct xa_bench *b = arg;
	unsigned long i;

	xa_init(&b->xa);
	b->lfht = bench_lfht_create(NR_KEYS);
	if (!b->lfht)
		return -ENOMEM;
	for (i = 0; i < NR_KEYS; i++) {
		b->objs[0][i].key = b->objs[1][i].key = b->keys[i];
		if (xa_insert(&b->xa, b->keys[i], &b->objs[0][i], GFP_KERNEL))
			return -EEXIST;		/* or -ENOMEM */
		if (!bench_lfht_insert(b->lfht, b->keys[i]))
			return -ENOMEM;
	}
	return 0;
}

static int depopulate(void *arg)
{
	struct xa_bench *b = arg;

	xa_destroy(&b->xa);
	if (b->lfht) {
		bench_lfht_clear(b->lfht);
		synchronize_rcu();
		bench_lfht_destroy(b->lfht);
		b->lfht = NULL;
	}
	return 0;
}

/* A bijection of 32-bit numbers (lowbias32): distinct, scattered keys. */
static unsigned long scatter32(u32 x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static void make_keys(struct xa_bench *b, bool dense)
{
	unsigned long i, j, t;

	b->keys_name = dense ? "dense" : "sparse";
	for (i = 0; i < NR_KEYS; i++)
		b->keys[i] = dense ? i : scatter32(i);
	for (i = 0; i < NR_KEYS; i++)
		b->order[i] = i;
	for (i = NR_KEYS - 1; i > 0; i--) {
		j = rnd() % (i + 1);
		t = b->order[i];
		b->order[i] = b->order[j];
		b->order[j] = t;
	}
}

static int run_keys(struct xa_bench *b, bool dense)
{
	double lookups[NR_KINDS][BENCH_REPS], stores[NR_KINDS][BENCH_REPS];
	double med[NR_KINDS], wmed[NR_KINDS];
	int nr_readers, rep, k, ret;

	make_keys(b, dense);
	ret = zsim_run(0, populate, b);
	for (nr_readers = 1; !ret && nr_readers <= MAX_READERS; nr_readers++) {
		for (rep = 0; rep < BENCH_REPS && !ret; rep++)
			for (k = 0; k < NR_KINDS && !ret; k++)
				ret = measure(b, k, nr_readers, &lookups[k][rep], &stores[k][rep]);
		if (ret)
			break;
		for (k = 0; k < NR_KINDS; k++) {
			med[k] = bench_median(lookups[k], BENCH_REPS);
			wmed[k] = bench_median(stores[k], BENCH_REPS);
		}
		printf("%-7s %7d %10.2f %10.2f %10.2f %9.2fx %9.2fx   %6.2f %6.2f %6.2f\n",
		       b->keys_name, nr_readers, med[KIND_XA] / 1e6, med[KIND_LFHT] / 1e6,
		       med[KIND_LFHT_RCU] / 1e6, med[KIND_XA] / med[KIND_LFHT],
		       med[KIND_XA] / med[KIND_LFHT_RCU], wmed[KIND_XA] / 1e6,
		       wmed[KIND_LFHT] / 1e6, wmed[KIND_LFHT_RCU] / 1e6);
	}
	zsim_run(0, depopulate, b);
	if (!ret && b->bad) {
		fprintf(stderr, "bench_xarray: %lu lookups found a wrong object\n", b->bad);
		ret = -EINVAL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct zsim_config cfg;
	unsigned long reports;
	int ret;

	bench_args(argc, argv, NULL,
		   "xa_load() lookups per second against liburcu's RCU hash table, bare and "
		   "inside rcu_read_lock(), on dense and sparse keys, with 1 and 2 readers "
		   "while a writer replaces the entries");
	zsim_config_init(&cfg);
	cfg.nr_cpus = 1 + MAX_READERS;
	cfg.seed = 1;
	cfg.backend = ZSIM_FREE_RUNNING;
	/*
	 * A task that migrates to a virtual CPU another task occupies waits
	 * for it there; that would measure the scheduler, not the lookups.
	 */
	cfg.migrate_permille = 0;
	ret = zsim_machine_start(&cfg);
	if (ret)
		return 1;

	printf("bench_xarray: lookups of %lu keys while a writer replaces them, free-running backend\n",
	       NR_KEYS);
	printf("(%ld host CPUs, lockdep %s; host CLOCK_MONOTONIC, median of %d runs of %d ms,\n"
	       " xa_load/lfht/lfht+rcu interleaved; M/s summed over readers; ratios are xa_load's)\n\n",
	       sysconf(_SC_NPROCESSORS_ONLN), cfg.lockdep ? "on" : "off", BENCH_REPS, RUN_MS);
	printf("%-7s %7s %10s %10s %10s %10s %10s   %-20s\n", "keys", "readers",
	       "xa_load", "lfht", "lfht+rcu", "/lfht", "/lfht+rcu", "writer Mstores/s");
	printf("%-7s %7s %10s %10s %10s %10s %10s   %6s %6s %6s\n", "", "",
	       "M/s", "M/s", "M/s", "", "", "xa", "lfht", "l+rcu");
	ret = run_keys(&bench, true);
	if (!ret)
		ret = run_keys(&bench, false);
	reports = zsim_machine_stop();
	if (ret || reports) {
		fprintf(stderr, "bench_xarray: error %d, %lu report(s)\n", ret, reports);
		return 1;
	}
	return 0;
}
