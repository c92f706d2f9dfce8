// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsmalloc on the sizes zswap gives it: the generated page corpus's
 * non-zero pages compressed with LZ4_compress_default() (a page that does
 * not compress below PAGE_SIZE is stored raw, as zswap does since 6.18).
 *
 * 1. Throughput: zs_malloc() + zs_obj_write() + zs_free() per operation
 *    against malloc() + memcpy() + free() of the same sizes and bytes
 *    (jemalloc or libc, whichever the process resolved malloc to; printed),
 *    in steady state (each task keeps a ring of live objects and replaces
 *    the oldest), with 1 and 2 tasks on 2 virtual CPUs sharing one pool.
 * 2. Memory efficiency: stored bytes / (pool pages * PAGE_SIZE) after
 *    filling, after freeing a random half and after zs_compact(), against
 *    the target.
 * 3. Migration, for both free-vs-migration designs: host time per page
 *    migrated by the simulator's kcompactd (sim_migrate_random_movable()),
 *    zs_obj_read_begin()..zs_obj_read_end() latency while it runs on the
 *    other CPU (and without it), and the peak number of freed zspages
 *    waiting for a grace period while a task frees every object.
 *
 * Free-running backend, host CLOCK_MONOTONIC (bench.h), task migration
 * between virtual CPUs off so that each task keeps its CPU.
 */
#include <dlfcn.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/zsmalloc.h>
#include <lz4.h>
#include <sim/migrate.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <zswapsim.h>

#include "bench.h"
#include "corpus.h"

#define CORPUS_SEED	1
#define CORPUS_PAGES	8192
#define RING_OBJS	4096		/* live objects per throughput task */
#define FILL_BYTES	(64UL << 20)	/* stored bytes, memory efficiency */
#define MIG_FILL_BYTES	(16UL << 20)	/* stored bytes, migration */
#define READ_NS		200000000ULL	/* reader run, each case */
#define MIG_ROUNDS	3		/* machines per design, alternating */
#define MAX_SAMPLES	(1UL << 21)
#define EFF_TARGET	0.85

/* One object: a compressed page (or a raw one that did not compress). */
struct zobj {
	const void	*data;
	unsigned int	len;
};

static struct zobj *objs;
static unsigned long nr_objs;
static const char *prog;

static u64 bench_rand(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Host side, before any machine: compress the corpus's non-zero pages. */
static int build_sizes(void)
{
	unsigned long i, raw = 0, stored = 0, nofit = 0;
	struct corpus c;
	char *out;
	int ret, len;

	ret = corpus_generate(&c, CORPUS_SEED, CORPUS_PAGES, NULL);
	if (ret)
		return ret;
	objs = calloc(c.nr_pages, sizeof(*objs));
	out = malloc(c.nr_pages * PAGE_SIZE);
	if (!objs || !out)
		return -ENOMEM;
	for (i = 0; i < c.nr_pages; i++) {
		const char *page = corpus_page(&c, i);
		char *dst = out + i * PAGE_SIZE;

		if (corpus_page_kind(&c, i) == CORPUS_ZERO)
			continue;	/* the swap core's zeromap takes these */
		len = LZ4_compress_default(page, dst, PAGE_SIZE, PAGE_SIZE - 1);
		if (len <= 0) {
			memcpy(dst, page, PAGE_SIZE);
			len = PAGE_SIZE;
			nofit++;
		}
		objs[nr_objs++] = (struct zobj){ .data = dst, .len = len };
		raw += PAGE_SIZE;
		stored += len;
	}
	corpus_release(&c);
	printf("size distribution: %lu non-zero pages of %d generated (corpus seed %d),\n"
	       "  LZ4_compress_default(), mean object %.0f bytes, lz4 ratio %.2f, %lu raw (>= 4095)\n\n",
	       nr_objs, CORPUS_PAGES, CORPUS_SEED, (double)stored / nr_objs,
	       (double)raw / stored, nofit);
	return 0;
}

static int boot(bool lockdep, unsigned long ram)
{
	struct zsim_config cfg;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 2;
	cfg.seed = 1;
	cfg.backend = ZSIM_FREE_RUNNING;
	cfg.lockdep = lockdep;
	cfg.migrate_permille = 0;
	cfg.ram_bytes = ram;
	return zsim_machine_start(&cfg);
}

static int stop(const char *what, int ret)
{
	unsigned long reports = zsim_machine_stop();

	if (ret || reports) {
		fprintf(stderr, "%s: %s: %d, %lu report(s)\n", prog, what, ret, reports);
		return ret ? ret : -EINVAL;
	}
	return 0;
}

/* Read the pool's JSON dump (zsim_zsmalloc_dump()) into a string. */
static char *pool_json(const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (zsim_zsmalloc_dump(name, f, true)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

static long json_long(const char *s, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(s, pat);
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* (max - min) / median of @n samples, in percent. */
static double spread_pct(const double *v, int n)
{
	double lo = v[0], hi = v[0], med = bench_median(v, n);
	int i;

	for (i = 1; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	return med > 0 ? 100.0 * (hi - lo) / med : 0;
}

/* ---- 1. throughput ---- */

struct tp_task {
	struct zs_pool	*pool;
	unsigned long	zs_ring[RING_OBJS];
	void		*m_ring[RING_OBJS];
	unsigned long	zs_pos, m_pos;		/* next ring slot and object */
	int		err;
} ____cacheline_aligned_in_smp;

struct tp_bench {
	struct zs_pool	*pool;
	struct tp_task	t[2];
	struct bench_op	ops[2];
	double		two_ns[2][BENCH_REPS];	/* wall ns per op, zs and malloc */
	bool		use_zs;
};

static struct tp_bench tp;

static noinline void zs_ops(struct tp_task *t, unsigned long iters)
{
	unsigned long i, handle;

	for (i = 0; i < iters && !t->err; i++, t->zs_pos++) {
		unsigned long slot = t->zs_pos % RING_OBJS;
		const struct zobj *o = &objs[t->zs_pos % nr_objs];

		if (t->zs_ring[slot])
			zs_free(t->pool, t->zs_ring[slot]);
		handle = zs_malloc(t->pool, o->len, GFP_KERNEL, NUMA_NO_NODE);
		if (IS_ERR_VALUE(handle)) {
			t->zs_ring[slot] = 0;
			t->err = (int)(long)handle;
			break;
		}
		zs_obj_write(t->pool, handle, (void *)o->data, o->len);
		t->zs_ring[slot] = handle;
	}
}

static noinline void malloc_ops(struct tp_task *t, unsigned long iters)
{
	unsigned long i;
	void *p;

	for (i = 0; i < iters && !t->err; i++, t->m_pos++) {
		unsigned long slot = t->m_pos % RING_OBJS;
		const struct zobj *o = &objs[t->m_pos % nr_objs];

		free(t->m_ring[slot]);
		p = malloc(o->len);
		t->m_ring[slot] = p;
		if (!p) {
			t->err = -ENOMEM;
			break;
		}
		memcpy(p, o->data, o->len);
		bench_keep(p);
	}
}

static void run_zs(void *arg, unsigned long iters)
{
	zs_ops(&tp.t[0], iters);
}

static void run_malloc(void *arg, unsigned long iters)
{
	malloc_ops(&tp.t[0], iters);
}

static int tp_pair_task(void *arg)
{
	struct tp_task *t = arg;

	if (tp.use_zs)
		zs_ops(t, tp.ops[0].iters);
	else
		malloc_ops(t, tp.ops[1].iters);
	return t->err;
}

/* Both tasks at once, each on its CPU: wall time per operation. */
static int tp_time_two(bool use_zs, double *ns)
{
	unsigned long iters = use_zs ? tp.ops[0].iters : tp.ops[1].iters;
	struct zsim_task *t[2];
	uint64_t t0;
	int ret;

	tp.use_zs = use_zs;
	t0 = bench_now_ns();
	t[0] = zsim_spawn(0, tp_pair_task, &tp.t[0], "tp0");
	t[1] = zsim_spawn(1, tp_pair_task, &tp.t[1], "tp1");
	if (!t[0] || !t[1])
		return -ENOMEM;
	ret = zsim_join(t[0]);
	ret = zsim_join(t[1]) ?: ret;
	*ns = (double)(bench_now_ns() - t0) / (2 * iters);
	return ret;
}

static int tp_setup_task(void *arg)
{
	int i;

	tp.pool = zs_create_pool_design("bench_tp", ZS_FREE_DEFERRED);
	if (!tp.pool)
		return -ENOMEM;
	for (i = 0; i < 2; i++) {
		memset(&tp.t[i], 0, sizeof(tp.t[i]));
		tp.t[i].pool = tp.pool;
		/* The second task starts half way through the objects. */
		tp.t[i].zs_pos = tp.t[i].m_pos = i * nr_objs / 2;
	}
	tp.ops[0] = (struct bench_op){ .name = "zsmalloc", .run = run_zs };
	tp.ops[1] = (struct bench_op){ .name = "malloc", .run = run_malloc };
	bench_compare(tp.ops, 2);
	return tp.t[0].err;
}

static int tp_teardown_task(void *arg)
{
	int i, j;

	for (i = 0; i < 2; i++) {
		for (j = 0; j < RING_OBJS; j++) {
			if (tp.t[i].zs_ring[j])
				zs_free(tp.pool, tp.t[i].zs_ring[j]);
			free(tp.t[i].m_ring[j]);
		}
	}
	flush_scheduled_work();
	zs_destroy_pool(tp.pool);
	return 0;
}

static int run_throughput(bool lockdep)
{
	double zs2, m2;
	int r, ret;

	ret = boot(lockdep, 256UL << 20);
	if (ret)
		return ret;
	ret = zsim_run(0, tp_setup_task, NULL);
	/* Warm the second task's ring, then interleave zs and malloc rounds. */
	if (!ret)
		ret = tp_time_two(true, &zs2) ?: tp_time_two(false, &m2);
	for (r = 0; r < BENCH_REPS && !ret; r++) {
		ret = tp_time_two(true, &tp.two_ns[0][r]);
		if (!ret)
			ret = tp_time_two(false, &tp.two_ns[1][r]);
	}
	if (!ret)
		ret = zsim_run(0, tp_teardown_task, NULL);
	ret = stop("throughput", ret);
	if (ret)
		return ret;
	zs2 = bench_median(tp.two_ns[0], BENCH_REPS);
	m2 = bench_median(tp.two_ns[1], BENCH_REPS);
	printf("%-8s %-8s %10.1f %10.1f %7.2fx %10.2f %10.2f %6.0f%%/%.0f%%\n",
	       lockdep ? "on" : "off", "1 task", tp.ops[0].median, tp.ops[1].median,
	       tp.ops[0].median / tp.ops[1].median, 1e3 / tp.ops[0].median,
	       1e3 / tp.ops[1].median, bench_spread_pct(&tp.ops[0]),
	       bench_spread_pct(&tp.ops[1]));
	printf("%-8s %-8s %10.1f %10.1f %7.2fx %10.2f %10.2f %6.0f%%/%.0f%%\n",
	       lockdep ? "on" : "off", "2 tasks", zs2, m2, zs2 / m2, 1e3 / zs2, 1e3 / m2,
	       spread_pct(tp.two_ns[0], BENCH_REPS), spread_pct(tp.two_ns[1], BENCH_REPS));
	return 0;
}

static const char *malloc_name(void)
{
	Dl_info info;

	if (!dladdr((void *)malloc, &info) || !info.dli_fname)
		return "malloc (unknown library)";
	return strstr(info.dli_fname, "jemalloc") ? "jemalloc" : "libc malloc";
}

/* ---- 2. memory efficiency ---- */

struct eff_bench {
	struct zs_pool	*pool;
	unsigned long	*handles;
	unsigned int	*lens;
	unsigned long	nr;
	double		eff[3];
	unsigned long	stored[3], pages[3], slot_bytes[3];
	unsigned long	compacted;
};

static struct eff_bench eb;

/* Bytes of the class slots that hold objects: sum of size * obj_used. */
static unsigned long slot_bytes(const char *name)
{
	char *json = pool_json(name);
	unsigned long sum = 0;
	const char *p;

	if (!json)
		return 0;
	for (p = strstr(json, "{\"class\":"); p; p = strstr(p + 1, "{\"class\":"))
		sum += json_long(p, "size") * json_long(p, "obj_used");
	free(json);
	return sum;
}

static void eff_sample(int i, unsigned long stored)
{
	eb.stored[i] = stored;
	eb.pages[i] = zs_get_total_pages(eb.pool);
	eb.eff[i] = (double)stored / (eb.pages[i] * PAGE_SIZE);
	eb.slot_bytes[i] = slot_bytes("bench_eff");
}

static int eff_task(void *arg)
{
	unsigned long i, j, stored = 0, cap = FILL_BYTES / 256;
	struct zs_pool_stats stats;
	u64 rs = 7;
	int ret = 0;

	eb.pool = zs_create_pool_design("bench_eff", ZS_FREE_DEFERRED);
	eb.handles = kvcalloc(cap, sizeof(*eb.handles), GFP_KERNEL);
	eb.lens = kvcalloc(cap, sizeof(*eb.lens), GFP_KERNEL);
	if (!eb.pool || !eb.handles || !eb.lens) {
		ret = -ENOMEM;
		goto out;
	}
	for (eb.nr = 0; stored < FILL_BYTES && eb.nr < cap; eb.nr++) {
		const struct zobj *o = &objs[eb.nr % nr_objs];
		unsigned long h = zs_malloc(eb.pool, o->len, GFP_KERNEL, NUMA_NO_NODE);

		if (IS_ERR_VALUE(h)) {
			ret = (int)(long)h;
			goto out;
		}
		zs_obj_write(eb.pool, h, (void *)o->data, o->len);
		eb.handles[eb.nr] = h;
		eb.lens[eb.nr] = o->len;
		stored += o->len;
		if (eb.nr % 256 == 0)
			cond_resched();
	}
	eff_sample(0, stored);

	/* Shuffle, then free the first half: a random half of the objects. */
	for (i = eb.nr - 1; i > 0; i--) {
		unsigned long h;
		unsigned int l;

		j = bench_rand(&rs) % (i + 1);
		h = eb.handles[i], eb.handles[i] = eb.handles[j], eb.handles[j] = h;
		l = eb.lens[i], eb.lens[i] = eb.lens[j], eb.lens[j] = l;
	}
	for (i = 0; i < eb.nr / 2; i++) {
		zs_free(eb.pool, eb.handles[i]);
		stored -= eb.lens[i];
		eb.handles[i] = 0;
	}
	flush_scheduled_work();
	eff_sample(1, stored);

	eb.compacted = zs_compact(eb.pool);
	eff_sample(2, stored);
	zs_pool_stats(eb.pool, &stats);
	if ((unsigned long)atomic_long_read(&stats.pages_compacted) != eb.compacted)
		ret = -EINVAL;
out:
	for (i = 0; eb.handles && i < eb.nr; i++)
		if (eb.handles[i])
			zs_free(eb.pool, eb.handles[i]);
	flush_scheduled_work();
	if (eb.pool)
		zs_destroy_pool(eb.pool);
	kvfree(eb.handles);
	kvfree(eb.lens);
	return ret;
}

static int run_efficiency(void)
{
	static const char * const when[] = {
		"after filling", "after freeing a random half", "after zs_compact()",
	};
	int i, ret;

	ret = boot(false, 512UL << 20);
	if (ret)
		return ret;
	ret = stop("efficiency", zsim_run(0, eff_task, NULL));
	if (ret)
		return ret;
	printf("%-30s %10s %12s %9s %12s %12s\n", "state", "objects", "stored MiB",
	       "pages", "efficiency", "slot fill");
	for (i = 0; i < 3; i++)
		printf("%-30s %10lu %12.1f %9lu %12.3f %12.3f\n", when[i],
		       i ? eb.nr - eb.nr / 2 : eb.nr, eb.stored[i] / 1048576.0, eb.pages[i],
		       eb.eff[i], (double)eb.slot_bytes[i] / (eb.pages[i] * PAGE_SIZE));
	printf("zs_compact() freed %lu pages; efficiency after compaction %.3f, target >= %.2f: %s\n",
	       eb.compacted, eb.eff[2], EFF_TARGET, eb.eff[2] >= EFF_TARGET ? "PASS" : "MISS");
	printf("(efficiency = stored bytes / (pages * PAGE_SIZE); slot fill = bytes of the size-class\n"
	       " slots holding objects / (pages * PAGE_SIZE): the gap between the two is rounding up\n"
	       " to the class size, the gap from slot fill to 1 is partly used zspages and chain waste)\n");
	return 0;
}

/* ---- 3. migration ---- */

struct mig_bench {
	enum zs_free_design design;
	struct zs_pool	*pool;
	unsigned long	*handles;
	unsigned int	*lens;
	unsigned long	nr, pages;
	double		ns_per_page[BENCH_REPS];
	unsigned long	migrated_per_pass;
	/* Reader latency. */
	u32		*lat;
	unsigned long	nr_lat, migrated_during;
	atomic_t	stop;
	int		err;
	/* Free-heavy phase. */
	long		peak_pending;
	unsigned long	samples;
	double		pages_per_zspage;
	unsigned int	zspage_objsize;
};

static struct mig_bench mb;

static int mig_setup_task(void *arg)
{
	unsigned long stored = 0, cap = MIG_FILL_BYTES / 256;

	mb.pool = zs_create_pool_design("bench_mig", mb.design);
	mb.handles = kvcalloc(cap, sizeof(*mb.handles), GFP_KERNEL);
	mb.lens = kvcalloc(cap, sizeof(*mb.lens), GFP_KERNEL);
	mb.lat = kvcalloc(MAX_SAMPLES, sizeof(*mb.lat), GFP_KERNEL);
	if (!mb.pool || !mb.handles || !mb.lens || !mb.lat)
		return -ENOMEM;
	for (mb.nr = 0; stored < MIG_FILL_BYTES && mb.nr < cap; mb.nr++) {
		const struct zobj *o = &objs[mb.nr % nr_objs];
		unsigned long h = zs_malloc(mb.pool, o->len, GFP_KERNEL, NUMA_NO_NODE);

		if (IS_ERR_VALUE(h))
			return (int)(long)h;
		zs_obj_write(mb.pool, h, (void *)o->data, o->len);
		mb.handles[mb.nr] = h;
		mb.lens[mb.nr] = o->len;
		stored += o->len;
	}
	mb.pages = zs_get_total_pages(mb.pool);
	return 0;
}

/* Every PFN once per pass; each zsmalloc page taken with probability 1/2. */
static int mig_cost_task(void *arg)
{
	unsigned long n, total = 0;
	uint64_t t0;
	int r;

	sim_migrate_random_movable(ULONG_MAX, 1000);	/* warm-up */
	for (r = 0; r < BENCH_REPS; r++) {
		t0 = bench_now_ns();
		n = sim_migrate_random_movable(ULONG_MAX, r + 1);
		mb.ns_per_page[r] = n ? (double)(bench_now_ns() - t0) / n : 0;
		total += n;
	}
	mb.migrated_per_pass = total / BENCH_REPS;
	return total ? 0 : -EAGAIN;
}

static int reader_task(void *arg)
{
	u8 *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	uint64_t end, t0, t1;
	u64 rs = 3;
	unsigned long sum = 0;

	if (!copy) {
		atomic_set(&mb.stop, 1);
		return -ENOMEM;
	}
	mb.nr_lat = 0;
	end = bench_now_ns() + READ_NS;
	do {
		unsigned long i = bench_rand(&rs) % mb.nr;
		void *mem;

		t0 = bench_now_ns();
		mem = zs_obj_read_begin(mb.pool, mb.handles[i], mb.lens[i], copy);
		sum += *(u8 *)mem;
		zs_obj_read_end(mb.pool, mb.handles[i], mb.lens[i], mem);
		t1 = bench_now_ns();
		mb.lat[mb.nr_lat++] = t1 - t0;
		if (mb.nr_lat % 1024 == 0)
			cond_resched();
	} while (t1 < end && mb.nr_lat < MAX_SAMPLES);
	bench_keep(&sum);
	atomic_set(&mb.stop, 1);
	kfree(copy);
	return 0;
}

static int migrator_task(void *arg)
{
	u64 seed = 5000;

	mb.migrated_during = 0;
	while (!atomic_read(&mb.stop)) {
		mb.migrated_during += sim_migrate_random_movable(64, seed++);
		cond_resched();
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Reader on CPU 0, with or without the migrator on CPU 1: p50, p99, p99.9. */
static int read_latency(bool migrate, double *pct)
{
	struct zsim_task *r, *m = NULL;
	int ret;

	atomic_set(&mb.stop, 0);
	mb.migrated_during = 0;
	if (migrate) {
		m = zsim_spawn(1, migrator_task, NULL, "kcompactd");
		if (!m)
			return -ENOMEM;
	}
	r = zsim_spawn(0, reader_task, NULL, "reader");
	if (!r) {
		atomic_set(&mb.stop, 1);
		zsim_join(m);
		return -ENOMEM;
	}
	ret = zsim_join(r);
	if (m)
		ret = zsim_join(m) ?: ret;
	if (ret || !mb.nr_lat)
		return ret ?: -EINVAL;
	qsort(mb.lat, mb.nr_lat, sizeof(*mb.lat), cmp_u32);
	pct[0] = mb.lat[mb.nr_lat / 2];
	pct[1] = mb.lat[mb.nr_lat * 99 / 100];
	pct[2] = mb.lat[mb.nr_lat * 999 / 1000];
	return 0;
}

/* Object size of the pool's zspage cache, from the slab dump. */
static unsigned int zspage_objsize(void)
{
	char *buf = NULL, name[] = "zspage-bench_mig ";
	unsigned int size = 0;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *p;

	if (!f)
		return 0;
	kmem_dump(f);
	fclose(f);
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		unsigned long active;

		if (!strncmp(p, name, strlen(name)) &&
		    sscanf(p + strlen(name), "%lu %u", &active, &size) == 2)
			break;
	}
	free(buf);
	return size;
}

/* Mean pages per zspage of the filled pool: pages_used / zspages. */
static double mean_pages_per_zspage(void)
{
	static const char * const fg[] = {
		"10%", "20%", "30%", "40%", "50%", "60%", "70%", "80%", "90%", "99%", "100%",
	};
	char *json = pool_json("bench_mig");
	long zspages = 0, pages;
	const char *total;
	unsigned int i;

	if (!json)
		return 0;
	total = strstr(json, "\"total\":");
	if (!total) {
		free(json);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(fg); i++)
		zspages += json_long(total, fg[i]);
	pages = json_long(total, "pages_used");
	free(json);
	return zspages > 0 ? (double)pages / zspages : 0;
}

static int sampler_task(void *arg)
{
	mb.peak_pending = 0;
	mb.samples = 0;
	while (!atomic_read(&mb.stop)) {
		char *json = pool_json("bench_mig");
		long pending;

		if (!json)
			return -ENOMEM;
		pending = json_long(json, "zspages_rcu_pending");
		free(json);
		if (pending > mb.peak_pending)
			mb.peak_pending = pending;
		mb.samples++;
		cond_resched();
	}
	return 0;
}

/* Free every object in random order. */
static int free_all_task(void *arg)
{
	unsigned long i, j;
	u64 rs = 11;

	for (i = mb.nr - 1; i > 0; i--) {
		unsigned long h;

		j = bench_rand(&rs) % (i + 1);
		h = mb.handles[i], mb.handles[i] = mb.handles[j], mb.handles[j] = h;
	}
	for (i = 0; i < mb.nr; i++) {
		zs_free(mb.pool, mb.handles[i]);
		mb.handles[i] = 0;
		if (i % 64 == 0)
			cond_resched();
	}
	/* Let the sampler see the callbacks drain before it stops. */
	msleep(20);
	atomic_set(&mb.stop, 1);
	return 0;
}

static int free_heavy(void)
{
	struct zsim_task *s, *f;
	int ret;

	atomic_set(&mb.stop, 0);
	s = zsim_spawn(1, sampler_task, NULL, "sampler");
	if (!s)
		return -ENOMEM;
	f = zsim_spawn(0, free_all_task, NULL, "freer");
	if (!f) {
		atomic_set(&mb.stop, 1);
		zsim_join(s);
		return -ENOMEM;
	}
	ret = zsim_join(f);
	return zsim_join(s) ?: ret;
}

static int mig_info_task(void *arg)
{
	mb.pages_per_zspage = mean_pages_per_zspage();
	mb.zspage_objsize = zspage_objsize();
	return mb.pages_per_zspage > 0 && mb.zspage_objsize ? 0 : -EINVAL;
}

static int mig_teardown_task(void *arg)
{
	unsigned long i;

	for (i = 0; mb.handles && i < mb.nr; i++)
		if (mb.handles[i])
			zs_free(mb.pool, mb.handles[i]);
	flush_scheduled_work();
	if (mb.pool) {
		if (zs_get_total_pages(mb.pool))
			mb.err = -EBUSY;
		zs_destroy_pool(mb.pool);
	}
	kvfree(mb.handles);
	kvfree(mb.lens);
	kvfree(mb.lat);
	return mb.err;
}

/* One design's figures from one machine. */
struct mig_result {
	double cost, idle[3], busy[3];
	double migrated_during, peak_pending, samples;
};

static int run_migration(enum zs_free_design design, struct mig_result *res)
{
	int ret;

	memset(&mb, 0, sizeof(mb));
	mb.design = design;
	ret = boot(false, 128UL << 20);
	if (ret)
		return ret;
	ret = zsim_run(0, mig_setup_task, NULL);
	if (!ret)
		ret = zsim_run(0, mig_cost_task, NULL);
	if (!ret)
		ret = read_latency(false, res->idle);
	if (!ret)
		ret = read_latency(true, res->busy);
	res->migrated_during = mb.migrated_during;
	if (!ret)
		ret = zsim_run(0, mig_info_task, NULL);
	if (!ret)
		ret = free_heavy();
	ret = zsim_run(0, mig_teardown_task, NULL) ?: ret;
	ret = stop(design == ZS_FREE_RCU ? "rcu" : "deferred", ret);
	res->cost = bench_median(mb.ns_per_page, BENCH_REPS);
	res->peak_pending = mb.peak_pending;
	res->samples = mb.samples;
	return ret;
}

/* Median over the rounds of the figure at byte @off of struct mig_result. */
static double mig_median(const struct mig_result *res, size_t off)
{
	double v[MIG_ROUNDS];
	int r;

	for (r = 0; r < MIG_ROUNDS; r++)
		v[r] = *(const double *)((const char *)&res[r] + off);
	return bench_median(v, MIG_ROUNDS);
}

#define MIG_MED(res, field)	mig_median(res, offsetof(struct mig_result, field))

static int run_migrations(void)
{
	static const enum zs_free_design designs[] = { ZS_FREE_DEFERRED, ZS_FREE_RCU };
	static struct mig_result res[2][MIG_ROUNDS];
	double ppz[2];
	unsigned int objsize[2], pages[2], per_pass[2];
	int d, r;

	/* Alternate the designs so that host noise hits both alike. */
	for (r = 0; r < MIG_ROUNDS; r++) {
		for (d = 0; d < 2; d++) {
			if (run_migration(designs[d], &res[d][r]))
				return -EINVAL;
			ppz[d] = mb.pages_per_zspage;
			objsize[d] = mb.zspage_objsize;
			pages[d] = mb.pages;
			per_pass[d] = mb.migrated_per_pass;
		}
	}
	printf("%-9s %6s %8s %9s %14s %15s %15s %8s\n", "design", "pages", "per pass",
	       "ns/page", "read idle", "read migrating", "p99.9 idle/mig", "migrated");
	for (d = 0; d < 2; d++)
		printf("%-9s %6u %8u %9.0f %7.0f/%-6.0f %8.0f/%-6.0f %7.0f/%-7.0f %8.0f\n",
		       designs[d] == ZS_FREE_RCU ? "rcu" : "deferred", pages[d], per_pass[d],
		       MIG_MED(res[d], cost), MIG_MED(res[d], idle[0]), MIG_MED(res[d], idle[1]),
		       MIG_MED(res[d], busy[0]), MIG_MED(res[d], busy[1]),
		       MIG_MED(res[d], idle[2]), MIG_MED(res[d], busy[2]),
		       MIG_MED(res[d], migrated_during));
	printf("per round (ns/page deferred | rcu):");
	for (r = 0; r < MIG_ROUNDS; r++)
		printf(" %.0f|%.0f", res[0][r].cost, res[1][r].cost);

	printf("\n\n   freed zspages waiting for a grace period while one task frees every object\n"
	       "   in random order (zspages_rcu_pending sampled from CPU 1 through the JSON dump;\n"
	       "   median over the rounds)\n\n");
	printf("%-9s %8s %8s %10s %14s %16s\n", "design", "samples", "peak", "pages/zsp",
	       "held (bytes)", "spanned (KiB)");
	for (d = 0; d < 2; d++) {
		double peak = MIG_MED(res[d], peak_pending);

		printf("%-9s %8.0f %8.0f %10.2f %14.0f %16.0f\n",
		       designs[d] == ZS_FREE_RCU ? "rcu" : "deferred", MIG_MED(res[d], samples),
		       peak, ppz[d], peak * objsize[d], peak * ppz[d] * PAGE_SIZE / 1024.0);
	}
	printf("(held = peak * %u-byte struct zspage: what waits for the grace period, since\n"
	       " __free_zspage() puts the pages at once and only call_rcu()s the struct zspage;\n"
	       " spanned = peak * mean pages per zspage * PAGE_SIZE: what would wait if the pages\n"
	       " were kept until the grace period as well)\n", objsize[1]);
	return 0;
}

int main(int argc, char **argv)
{
	int ret;

	bench_args(argc, argv, NULL,
		   "zsmalloc on lz4-compressed corpus page sizes: "
		   "zs_malloc()+zs_obj_write()+zs_free() against malloc+memcpy+free, memory "
		   "efficiency around zs_compact(), and migration cost and reader latency "
		   "per free design");
	prog = argc > 0 ? argv[0] : "bench_zsmalloc";
	printf("bench_zsmalloc: zsmalloc on lz4-compressed page sizes\n");
	printf("command: %s; free-running backend, 2 virtual CPUs, task migration off;\n"
	       "timing: host CLOCK_MONOTONIC (measured mode)\n\n", prog);
	ret = build_sizes();
	if (ret) {
		fprintf(stderr, "%s: size distribution: %d\n", prog, ret);
		return 1;
	}

	printf("1. throughput: zs_malloc+zs_obj_write+zs_free vs %s malloc+memcpy+free,\n"
	       "   ns per op (one op replaces the oldest of %d live objects per task); 1 task:\n"
	       "   median of %d interleaved repetitions of >= %llu ms; 2 tasks (CPUs 0 and 1, one\n"
	       "   shared pool): wall time / ops of both, median of %d interleaved rounds;\n"
	       "   Mops/s of all tasks together; spread = (max - min) / median, zs/malloc\n\n",
	       malloc_name(), RING_OBJS, BENCH_REPS, BENCH_REP_NS / 1000000, BENCH_REPS);
	printf("%-8s %-8s %10s %10s %8s %10s %10s %12s\n", "lockdep", "tasks", "zs ns/op",
	       "malloc ns", "ratio", "zs Mops/s", "m Mops/s", "spread");
	ret = run_throughput(false);
	if (!ret)
		ret = run_throughput(true);
	if (ret)
		return 1;

	printf("\n2. memory efficiency: %lu MiB of stored objects, then a random half freed,\n"
	       "   then zs_compact() (deferred design, lockdep off)\n\n", FILL_BYTES >> 20);
	if (run_efficiency())
		return 1;

	printf("\n3. migration (pool of %lu MiB stored, lockdep off): cost = host ns per page\n"
	       "   migrated by sim_migrate_random_movable() over every PFN (median of %d passes);\n"
	       "   read = zs_obj_read_begin()..zs_obj_read_end() of random objects on CPU 0 for\n"
	       "   %llu ms, ns p50/p99 and p99.9, idle vs while CPU 1 migrates pages in batches of\n"
	       "   64 (includes ~20 ns of clock reads); each figure the median over %d machines\n"
	       "   per design, booted alternately\n\n", MIG_FILL_BYTES >> 20, BENCH_REPS,
	       READ_NS / 1000000, MIG_ROUNDS);
	return run_migrations() ? 1 : 0;
}
