// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-page cost of zswap against the compressor alone, on the non-zero
 * pages of the generated corpus (zero pages never reach zswap: the swap
 * core's zero map takes them).
 *
 * 1. Per page, lz4 and zstd: zswap_store() of an order-0 folio (locked in
 *    the swap cache, charged to a memcg, as reclaim hands it over) and
 *    zswap_load() of it back, against the library on the same pages in the
 *    same run: LZ4_compress_default() + LZ4_decompress_safe(), and
 *    ZSTD_compressCCtx() + ZSTD_decompressDCtx() at zswap's level (3, the
 *    kernel's ZSTD_DEF_LEVEL). The baseline compresses each folio's page
 *    into a page of room, and decompresses back into the folio, so that
 *    both sides touch the same memory; a page that does not compress into
 *    less than a page is copied (zswap stores such a page raw). The pool
 *    is in steady state: as many other pages stay stored, their objects
 *    between the timed ones (store_ballast()).
 *    Targets: store at most 1.15x, load at most 1.5x.
 * 2. Throughput of load + store with 1 and 2 tasks on 2 virtual CPUs
 *    (each task its own stored pages, each swapped in and out again in
 *    turn; one pool, one memcg): target, 2 tasks at least 1.7x the pages
 *    per second of 1.
 *
 * Free-running backend, lockdep, slub_debug, kmemleak and page poisoning
 * off (as someone timing zswap runs a production kernel: these are
 * debugging aids with a cost per lock operation, per free and per
 * allocation; the figures with lockdep on are printed too, without
 * targets), task migration off. Per-page figures in the timing thread's
 * CPU time (thread_ns()), throughput in host CLOCK_MONOTONIC (bench.h). Each
 * figure is the median of BENCH_REPS repetitions, zswap and baseline
 * interleaved.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/zswap.h>
#include <lz4.h>
#include <sim/memcg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <zstd.h>
#include <zswapsim.h>

#include "bench.h"
#include "corpus.h"

#define CORPUS_SEED	1
#define NR_PAGES	2048		/* non-zero pages per set (8 MiB) */
#define NR_SLOTS	(2 * NR_PAGES + 64)
#define ZSTD_LEVEL	3		/* zswap's: the kernel's ZSTD_DEF_LEVEL */
#define TP_ROUNDS	8		/* load + store passes per throughput task */
#define STORE_TARGET	1.15
#define LOAD_TARGET	1.5
#define SCALE_TARGET	1.7

static const char *prog;
static unsigned char *pages;		/* NR_PAGES non-zero corpus pages */

/* One task's pages: folios locked in the swap cache, and the baseline's. */
struct pageset {
	struct folio	*folio[NR_PAGES];
	void		*cbuf[NR_PAGES];	/* baseline output, a page of room */
	int		clen[NR_PAGES];		/* PAGE_SIZE: copied raw */
} ____cacheline_aligned_in_smp;

struct run {
	const char	*compressor;
	bool		lockdep;
	struct pageset	set[2];
	struct mem_cgroup *memcg;
	ZSTD_CCtx	*cctx;
	ZSTD_DCtx	*dctx;
	double		ns[4][BENCH_REPS];	/* store, load, compress, decompress */
	double		med[4];
	double		tp[2][BENCH_REPS];	/* pages/s, 1 and 2 tasks */
	double		tp_med[2];
};

static struct run run;

/* Host side: the first NR_PAGES non-zero pages of the corpus. */
static int build_pages(unsigned long *raw)
{
	static char out[PAGE_SIZE];
	unsigned long i, n = 0;
	struct corpus c;
	int ret;

	ret = corpus_generate(&c, CORPUS_SEED, 2 * NR_PAGES, NULL);
	if (ret)
		return ret;
	pages = malloc(NR_PAGES * PAGE_SIZE);
	if (!pages) {
		corpus_release(&c);
		return -ENOMEM;
	}
	*raw = 0;
	for (i = 0; i < c.nr_pages && n < NR_PAGES; i++) {
		if (corpus_page_kind(&c, i) == CORPUS_ZERO)
			continue;
		if (LZ4_compress_default(corpus_page(&c, i), out, PAGE_SIZE,
					 PAGE_SIZE - 1) <= 0)
			(*raw)++;
		memcpy(pages + n * PAGE_SIZE, corpus_page(&c, i), PAGE_SIZE);
		n++;
	}
	corpus_release(&c);
	return n == NR_PAGES ? 0 : -ENODATA;
}

/* ---- in simulated tasks ---- */

static int set_prepare(struct pageset *s)
{
	unsigned long i;

	for (i = 0; i < NR_PAGES; i++) {
		struct folio *folio = folio_alloc(GFP_KERNEL, 0);

		s->cbuf[i] = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!folio || !s->cbuf[i]) {
			if (folio)
				folio_put(folio);
			return -ENOMEM;
		}
		__folio_set_locked(folio);
		__folio_set_swapbacked(folio);
		__folio_mark_uptodate(folio);
		memcpy(folio_address(folio), pages + i * PAGE_SIZE, PAGE_SIZE);
		s->folio[i] = folio;
		if (mem_cgroup_charge_folio(folio, run.memcg, GFP_KERNEL) ||
		    folio_alloc_swap(folio))
			return -ENOMEM;
	}
	return 0;
}

static void set_release(struct pageset *s)
{
	unsigned long i;

	for (i = 0; i < NR_PAGES; i++) {
		struct folio *folio = s->folio[i];

		kfree(s->cbuf[i]);
		if (!folio)
			continue;
		if (folio_test_swapcache(folio))
			swap_cache_del_folio(folio);
		folio_unlock(folio);
		__folio_clear_swapbacked(folio);
		folio_put(folio);
		s->folio[i] = NULL;
	}
}

/*
 * Callers run with PF_MEMALLOC (memalloc_noreclaim_save()), as reclaim
 * stores: zswap's memcg charges are forced.
 */
static noinline int zswap_store_all(struct pageset *s)
{
	unsigned long i;

	for (i = 0; i < NR_PAGES; i++)
		if (!zswap_store(s->folio[i]))
			return -ENOSPC;
	return 0;
}

/* Loads unlock the folio and drop the entry (loads are exclusive). */
static noinline int zswap_load_all(struct pageset *s)
{
	unsigned long i;

	for (i = 0; i < NR_PAGES; i++)
		if (zswap_load(s->folio[i]))
			return -EIO;
	return 0;
}

/* Lock again what the loads unlocked (a miss, -ENOENT, leaves it locked). */
static void relock_all(struct pageset *s)
{
	unsigned long i;

	for (i = 0; i < NR_PAGES; i++)
		if (!folio_test_locked(s->folio[i]))
			folio_lock(s->folio[i]);
}

static noinline int lib_compress_all(struct pageset *s, bool zstd)
{
	unsigned long i;
	long len;

	for (i = 0; i < NR_PAGES; i++) {
		const void *src = folio_address(s->folio[i]);

		if (zstd) {
			len = ZSTD_compressCCtx(run.cctx, s->cbuf[i], PAGE_SIZE, src,
						PAGE_SIZE, ZSTD_LEVEL);
			if (ZSTD_isError(len))
				len = 0;
		} else {
			len = LZ4_compress_default(src, s->cbuf[i], PAGE_SIZE, PAGE_SIZE);
		}
		if (len <= 0 || len >= (long)PAGE_SIZE) {
			memcpy(s->cbuf[i], src, PAGE_SIZE);
			len = PAGE_SIZE;
		}
		s->clen[i] = len;
	}
	return 0;
}

static noinline int lib_decompress_all(struct pageset *s, bool zstd)
{
	unsigned long i;
	long len;

	for (i = 0; i < NR_PAGES; i++) {
		void *dst = folio_address(s->folio[i]);

		if (s->clen[i] == PAGE_SIZE) {
			memcpy(dst, s->cbuf[i], PAGE_SIZE);
			continue;
		}
		if (zstd)
			len = ZSTD_decompressDCtx(run.dctx, dst, PAGE_SIZE, s->cbuf[i],
						  s->clen[i]);
		else
			len = LZ4_decompress_safe(s->cbuf[i], dst, s->clen[i], PAGE_SIZE);
		if (len != (long)PAGE_SIZE)
			return -EIO;
	}
	return 0;
}

/* Each folio holds its corpus page (after a round trip that wrote it). */
static int set_check(struct pageset *s)
{
	unsigned long i;

	for (i = 0; i < NR_PAGES; i++)
		if (memcmp(folio_address(s->folio[i]), pages + i * PAGE_SIZE, PAGE_SIZE))
			return -EBADMSG;
	return 0;
}

/* A round trip through zswap into scribbled folios gives the pages back. */
static int zswap_verify(struct pageset *s)
{
	unsigned long i;
	int ret = zswap_store_all(s);

	for (i = 0; i < NR_PAGES && !ret; i++)
		memset(folio_address(s->folio[i]), 0x5a, PAGE_SIZE);
	ret = ret ?: zswap_load_all(s);
	relock_all(s);
	return ret ?: set_check(s);
}

/*
 * A pool in steady state: set 1's pages stored between set 0's, so that
 * set 0's loads free objects, not whole zspages, and its next stores fill
 * the holes, as zswap under sustained reclaim and refault does (and not
 * the page allocator's cost of a pool emptied and refilled each pass).
 */
static int store_ballast(void)
{
	unsigned long i;
	int ret;

	for (i = 0; i < NR_PAGES; i++)
		if (!zswap_store(run.set[1].folio[i]) || !zswap_store(run.set[0].folio[i]))
			return -ENOSPC;
	ret = zswap_load_all(&run.set[0]);
	relock_all(&run.set[0]);
	return ret;
}

/*
 * CPU time of the calling thread: the per-page figures leave out time the
 * host gave to other processes, which a shared machine otherwise adds to
 * both sides of a ratio unevenly. Nothing in the timed loops sleeps (one
 * task, no contention), so CPU time is all of their time.
 */
static uint64_t thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int time_task(void *arg)
{
	bool zstd = !strcmp(run.compressor, "zstd");
	struct pageset *s = &run.set[0];
	unsigned int noreclaim = memalloc_noreclaim_save();
	uint64_t t[3];
	int r, ret;

	ret = zswap_verify(s);
	ret = ret ?: store_ballast();
	for (r = -1; r < BENCH_REPS && !ret; r++) {
		/* Alternate which side goes first; r == -1 warms both up. */
		bool lib_first = r & 1;
		int side;

		for (side = 0; side < 2 && !ret; side++) {
			bool lib = side ? !lib_first : lib_first;

			t[0] = thread_ns();
			ret = lib ? lib_compress_all(s, zstd) : zswap_store_all(s);
			t[1] = thread_ns();
			ret = ret ?: (lib ? lib_decompress_all(s, zstd) : zswap_load_all(s));
			t[2] = thread_ns();
			if (!lib)
				relock_all(s);
			if (r < 0)
				continue;
			run.ns[lib ? 2 : 0][r] = (double)(t[1] - t[0]) / NR_PAGES;
			run.ns[lib ? 3 : 1][r] = (double)(t[2] - t[1]) / NR_PAGES;
		}
	}
	ret = ret ?: zswap_load_all(&run.set[1]);
	relock_all(&run.set[1]);
	ret = ret ?: set_check(s) ?: set_check(&run.set[1]);
	memalloc_noreclaim_restore(noreclaim);
	return ret;
}

/*
 * Each page of the (stored) set in turn swapped in and out again: the
 * pool stays in steady state, each load's hole refilled by the store.
 */
static int tp_task(void *arg)
{
	struct pageset *s = arg;
	unsigned int noreclaim = memalloc_noreclaim_save();
	unsigned long i;
	int r, ret = 0;

	for (r = 0; r < TP_ROUNDS && !ret; r++) {
		for (i = 0; i < NR_PAGES && !ret; i++) {
			ret = zswap_load(s->folio[i]) ? -EIO : 0;
			if (!folio_test_locked(s->folio[i]))
				folio_lock(s->folio[i]);
			if (!ret && !zswap_store(s->folio[i]))
				ret = -ENOSPC;
		}
	}
	memalloc_noreclaim_restore(noreclaim);
	return ret;
}

/* Both sets into zswap before the throughput rounds... */
static int tp_fill_task(void *arg)
{
	unsigned int noreclaim = memalloc_noreclaim_save();
	int ret = zswap_store_all(&run.set[0]) ?: zswap_store_all(&run.set[1]);

	memalloc_noreclaim_restore(noreclaim);
	return ret;
}

/* ... and back out after them, intact. */
static int tp_drain_task(void *arg)
{
	int ret = zswap_load_all(&run.set[0]) ?: zswap_load_all(&run.set[1]);

	relock_all(&run.set[0]);
	relock_all(&run.set[1]);
	return ret ?: set_check(&run.set[0]) ?: set_check(&run.set[1]);
}

static int setup_task(void *arg)
{
	int ret;

	run.memcg = mem_cgroup_lookup("/bench");
	if (IS_ERR(run.memcg))
		return PTR_ERR(run.memcg);
	ret = set_prepare(&run.set[0]);
	return ret ?: set_prepare(&run.set[1]);
}

static int teardown_task(void *arg)
{
	set_release(&run.set[0]);
	set_release(&run.set[1]);
	mem_cgroup_put(run.memcg);
	return 0;
}

/* ---- host side ---- */

/* Both sets' store + load passes with @nr tasks: pages per second. */
static int tp_time(int nr, double *rate)
{
	struct zsim_task *t[2];
	uint64_t t0;
	int i, ret = 0;

	t0 = bench_now_ns();
	for (i = 0; i < nr; i++) {
		t[i] = zsim_spawn(i, tp_task, &run.set[i], i ? "tp1" : "tp0");
		if (!t[i])
			return -ENOMEM;
	}
	for (i = 0; i < nr; i++)
		ret = zsim_join(t[i]) ?: ret;
	*rate = 1e9 * nr * TP_ROUNDS * NR_PAGES / (double)(bench_now_ns() - t0);
	return ret;
}

static int boot(const char *compressor, bool lockdep)
{
	struct zsim_config cfg;
	int ret;

	ret = zsim_param_set("zswap", "enabled", "Y") ?:
	      zsim_param_set("zswap", "compressor", compressor);
	if (ret)
		return ret;
	zsim_config_init(&cfg);
	cfg.nr_cpus = 2;
	cfg.seed = 1;
	cfg.backend = ZSIM_FREE_RUNNING;
	cfg.lockdep = lockdep;
	cfg.slub_debug = false;
	cfg.kmemleak = false;
	cfg.page_poison = false;
	cfg.migrate_permille = 0;
	cfg.ram_bytes = 512UL << 20;
	ret = zsim_machine_start(&cfg);
	if (ret)
		return ret;
	if (zsim_swapon(NR_SLOTS, NULL, 0, 0) < 0 || zsim_memcg_create(NULL, "bench"))
		return -ENOMEM;
	return 0;
}

static int measure(const char *compressor, bool lockdep)
{
	unsigned long reports;
	int i, r, ret;

	memset(&run, 0, sizeof(run));
	run.compressor = compressor;
	run.lockdep = lockdep;
	run.cctx = ZSTD_createCCtx();
	run.dctx = ZSTD_createDCtx();
	ret = run.cctx && run.dctx ? boot(compressor, lockdep) : -ENOMEM;
	ret = ret ?: zsim_run(0, setup_task, NULL);
	ret = ret ?: zsim_run(0, time_task, NULL);
	/* Both sets stored; a warm-up, then 1 and 2 tasks alternately. */
	ret = ret ?: zsim_run(0, tp_fill_task, NULL);
	ret = ret ?: tp_time(2, &run.tp[1][0]);
	for (r = 0; r < BENCH_REPS && !ret; r++)
		ret = tp_time(1, &run.tp[0][r]) ?: tp_time(2, &run.tp[1][r]);
	ret = ret ?: zsim_run(0, tp_drain_task, NULL);
	if (zsim_machine_running()) {
		int tret = zsim_run(0, teardown_task, NULL);

		ret = ret ?: tret;
		if (!ret && zsim_memcg_destroy("/bench"))
			ret = -EBUSY;
		reports = zsim_machine_stop();
		if (reports && !ret) {
			fprintf(stderr, "%s: %s: %lu report(s), first:\n%s\n", prog,
				compressor, reports, zsim_first_report());
			ret = -EINVAL;
		}
	}
	ZSTD_freeCCtx(run.cctx);
	ZSTD_freeDCtx(run.dctx);
	if (ret) {
		fprintf(stderr, "%s: %s: %s (%d)\n", prog, compressor, strerror(-ret), ret);
		return ret;
	}
	for (i = 0; i < 4; i++)
		run.med[i] = bench_median(run.ns[i], BENCH_REPS);
	for (i = 0; i < 2; i++)
		run.tp_med[i] = bench_median(run.tp[i], BENCH_REPS);
	return 0;
}

static double spread(const double *v)
{
	double lo = v[0], hi = v[0], med = bench_median(v, BENCH_REPS);
	int i;

	for (i = 1; i < BENCH_REPS; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	return med > 0 ? 100.0 * (hi - lo) / med : 0;
}

static const char *verdict(bool ok, bool targets)
{
	return !targets ? "-" : ok ? "PASS" : "FAIL";
}

/* Prints one compressor's rows; returns the number of failed targets. */
static int report(bool targets)
{
	double st = run.med[0] / run.med[2], ld = run.med[1] / run.med[3];
	double scale = run.tp_med[1] / run.tp_med[0];
	const char *lib = strcmp(run.compressor, "zstd") ? "lz4" : "zstd";
	int failed = 0;

	printf("%-5s %-7s %-5s %9.0f %9.0f %6.2fx %-4s %9.0f %9.0f %6.2fx %-4s %4.0f%%/%.0f%%\n",
	       run.compressor, run.lockdep ? "on" : "off", lib, run.med[0], run.med[2], st,
	       verdict(st <= STORE_TARGET, targets), run.med[1], run.med[3], ld,
	       verdict(ld <= LOAD_TARGET, targets), spread(run.ns[0]), spread(run.ns[1]));
	printf("      throughput (load+store pages/s): 1 task %.0f, 2 tasks %.0f: %.2fx %s"
	       " (spread %.0f%%/%.0f%%)\n", run.tp_med[0], run.tp_med[1], scale,
	       verdict(scale >= SCALE_TARGET, targets), spread(run.tp[0]), spread(run.tp[1]));
	if (targets)
		failed = (st > STORE_TARGET) + (ld > LOAD_TARGET) + (scale < SCALE_TARGET);
	return failed;
}

int main(int argc, char **argv)
{
	static const char *const all[] = { "lz4", "zstd" };
	const char *const *compressors = all;
	unsigned long raw;
	int failed = 0, lockdep, i, nr = 2;

	bench_args(argc, argv, "[lz4|zstd]",
		   "zswap_store()/zswap_load() per page against the compressor alone (lz4 "
		   "and zstd, or the one named), and load+store throughput with 1 and 2 "
		   "tasks, against targets");
	prog = argc > 0 ? argv[0] : "bench_zswap";
	/* bench_zswap [lz4|zstd]: one compressor only. */
	if (argc > 1) {
		if (argc > 2 || (strcmp(argv[1], "lz4") && strcmp(argv[1], "zstd"))) {
			fprintf(stderr, "usage: %s [lz4|zstd]\n", prog);
			return 2;
		}
		compressors = (const char *const *)&argv[1];
		nr = 1;
	}
	if (build_pages(&raw)) {
		fprintf(stderr, "%s: cannot build the page set\n", prog);
		return 1;
	}
	printf("bench_zswap: per-page zswap_store()/zswap_load() against the compressor alone\n");
	printf("command: %s; free-running backend, 2 virtual CPUs, task migration off,\n"
	       "slub_debug, kmemleak and page poisoning off (leaks reported by per-cache\n"
	       "counts only);\n"
	       "timing: measured mode; per page: the timing thread's CPU time\n"
	       "(CLOCK_THREAD_CPUTIME_ID); throughput: host CLOCK_MONOTONIC\n\n", prog);
	printf("pages: %d non-zero pages of the generated corpus (seed %d), %lu of them not\n"
	       "lz4-compressible below a page (stored raw); order-0 folios charged to memcg\n"
	       "/bench, locked in the swap cache; zswap_store() of each, then zswap_load() of\n"
	       "each back into it, %d other pages staying stored between them (a pool in\n"
	       "steady state). Baseline: LZ4_compress_default() + LZ4_decompress_safe(),\n"
	       "ZSTD_compressCCtx() + ZSTD_decompressDCtx() at level %d, on the same folios.\n"
	       "ns per page, median of %d interleaved repetitions of %d pages; targets: store\n"
	       "<= %.2fx, load <= %.2fx; throughput: %d passes of load + store of each of %d\n"
	       "stored pages per task, CPUs 0 and 1, one pool and memcg, median of %d rounds,\n"
	       "target 2 tasks >= %.1fx 1 task. Targets apply with lockdep off (how zswap\n"
	       "is timed); lockdep on is shown for its cost. spread = (max - min) / median\n"
	       "of the store and load samples.\n\n",
	       NR_PAGES, CORPUS_SEED, raw, NR_PAGES, ZSTD_LEVEL, BENCH_REPS, NR_PAGES, STORE_TARGET,
	       LOAD_TARGET, TP_ROUNDS, NR_PAGES, BENCH_REPS, SCALE_TARGET);
	printf("%-5s %-7s %-5s %9s %9s %7s %-4s %9s %9s %7s %-4s %s\n", "zswap", "lockdep",
	       "lib", "store ns", "comp ns", "ratio", "", "load ns", "decomp", "ratio", "",
	       "spread");
	for (lockdep = 0; lockdep < 2; lockdep++) {
		for (i = 0; i < nr; i++) {
			if (measure(compressors[i], lockdep))
				return 1;
			failed += report(!lockdep);
		}
	}
	/* Parameters are process-wide: leave them as found. */
	zsim_param_set("zswap", "compressor", "lz4");
	zsim_param_set("zswap", "enabled", "N");
	free(pages);
	printf("\n%s: %d target(s) failed\n", failed ? "FAIL" : "PASS", failed);
	return failed ? 1 : 0;
}
