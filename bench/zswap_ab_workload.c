// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap-ab's workloads: one machine per run, configured by a SPEC through
 * module parameters before it boots, simulated processes (each in its
 * memcg below /zswap-ab) writing and reading their memory through the VM
 * (src/mm), and the
 * metrics read back from the task clocks, the swap-path probes
 * (<sim/swap_probe.h>), vmstat, memory.stat and zswap's debugfs.
 *
 * usemem: each process writes its region once, in order (usemem -w), with
 * its memcg's memory.high below what it writes, so reclaim of the faulting task
 * swaps out to zswap as it goes (the series' usemem30); then, in a second
 * round of tasks, reads the region back (major faults, zswap loads).
 * madvise: each process writes its region and pages it out folio by
 * folio with MADV_PAGEOUT; then, in a second round of tasks, reads it back.
 */
#include <linux/kernel.h>
#include <sim/sched.h>
#include <sim/swap_probe.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zswap_ab.h"

#define AB_MEMCG		"zswap-ab"
/*
 * User time of usemem's store loop per 4 KB page (a memset at about
 * 10 GB/s): the process's own work, not the kernel's, charged by the
 * process task itself and counted as user time, not sys time.
 */
#define USER_WRITE_NS		400
#define USER_READ_NS		100
/* Device time per page of the swap device behind zswap (an NVMe SSD). */
#define SWAP_DEV_NS		10000

/* Per-page latency samples of the swap-path probes. */
struct ab_samples {
	uint64_t	*v;
	unsigned long	cap;
	unsigned long	n;	/* updated with atomics: tasks may run in parallel */
};

static struct ab_samples store_samples, load_samples;
/*
 * Stores are sampled in the timed first round only: the read-back round
 * re-reclaims its order-0 folios under memory.high, one page per store
 * whatever the batch size, which is not the workload being measured.
 */
static bool sample_stores;

static void sample_add(struct ab_samples *s, uint64_t ns)
{
	unsigned long i = __atomic_fetch_add(&s->n, 1, __ATOMIC_RELAXED);

	if (i < s->cap)
		s->v[i] = ns;
}

/* One sample per page: a folio's pages each cost its per-page share. */
static void probe_store(long nr_pages, u64 ns, bool stored)
{
	long i;

	if (!READ_ONCE(sample_stores))
		return;
	for (i = 0; i < nr_pages; i++)
		sample_add(&store_samples, ns / nr_pages);
}

static void probe_load(long nr_pages, u64 ns, int ret)
{
	long i;

	if (ret == -ENOENT)
		return;
	for (i = 0; i < nr_pages; i++)
		sample_add(&load_samples, ns / nr_pages);
}

static const struct sim_swap_probe_ops ab_probe_ops = {
	.zswap_store	= probe_store,
	.zswap_load	= probe_load,
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile @pct of the samples (sorts them); 0 if none. */
static double samples_pct(struct ab_samples *s, unsigned int pct)
{
	unsigned long n = min(s->n, s->cap), rank;

	if (!n)
		return 0;
	qsort(s->v, n, sizeof(*s->v), cmp_u64);
	rank = (n * pct + 99) / 100;
	return s->v[rank ? rank - 1 : 0];
}

/* Progress bar on stderr: runs done of total, and pages of this run. */
static struct {
	bool		on;
	unsigned int	done, total;
	unsigned long	pages, nr_pages;	/* pages updated with atomics */
	int		shown;
} bar;

static void bar_draw(void)
{
	const int width = 30;
	double f = (bar.done + (bar.nr_pages ? (double)bar.pages / bar.nr_pages : 0)) /
		   bar.total;
	int fill = f * width, pct = f * 100;

	if (pct == bar.shown)
		return;
	bar.shown = pct;
	fprintf(stderr, "\r[%.*s%*s] %3d%%  run %u of %u", fill,
		"##############################", width - fill, "", pct,
		min(bar.done + 1, bar.total), bar.total);
	if (bar.done == bar.total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void bar_pages(unsigned long nr)
{
	if (!bar.on)
		return;
	__atomic_fetch_add(&bar.pages, nr, __ATOMIC_RELAXED);
	bar_draw();
}

/* The crypto name zswap gets: "deflate" is software deflate here. */
static const char *tfm_name(const char *compressor)
{
	return strcmp(compressor, "deflate") ? compressor : "deflate-generic";
}

static int set_param(const char *mod, const char *param, const char *val, char *err,
		     size_t errlen)
{
	int ret = zsim_param_set(mod, param, val);

	if (ret)
		snprintf(err, errlen, "%s.%s=%s: %s", mod, param, val, strerror(-ret));
	return ret;
}

/* Module parameters of @s: all of them every run, as they outlive machines. */
static int configure(const struct ab_spec *s, char *err, size_t errlen)
{
	char v[4][16];

	snprintf(v[0], sizeof(v[0]), "%u", s->batch);
	snprintf(v[1], sizeof(v[1]), "%u", s->devices);
	snprintf(v[2], sizeof(v[2]), "%u", s->wqs);
	snprintf(v[3], sizeof(v[3]), "%u", s->freq_mhz);
	if (set_param("zswap", "enabled", "Y", err, errlen) ||
	    set_param("zswap", "compressor", tfm_name(s->compressor), err, errlen) ||
	    set_param("zswap", "max_compr_batch_size", v[0], err, errlen) ||
	    set_param("zswap", "ctx_lifetime", s->lifetime, err, errlen) ||
	    set_param("zsmalloc", "free_design", s->zsmalloc, err, errlen) ||
	    set_param("iaa_model", "devices", v[1], err, errlen) ||
	    set_param("iaa_model", "wqs", v[2], err, errlen) ||
	    set_param("iaa_model", "freq_mhz", v[3], err, errlen) ||
	    set_param("iaa_crypto", "sync_mode", s->mode, err, errlen) ||
	    set_param("iaa_crypto", "verify_compress", s->verify ? "1" : "0", err, errlen) ||
	    set_param("iaa_crypto", "distribute_comps", s->distribute ? "1" : "0", err, errlen))
		return -EINVAL;
	return 0;
}

/* One simulated process of the workload. */
struct ab_proc {
	const struct ab_opts	*o;
	unsigned int		id;
	unsigned int		folio_pages;
	unsigned long		nr_pages;
	struct zsim_process	*proc;
	struct zsim_region	*region;
	bool			memcg;		/* its memcg exists */
	uint64_t		write_ns;	/* the timed write (or page-out) pass */
	uint64_t		total_ns;	/* everything */
	uint64_t		user_ns;
	uint64_t		write_user_ns;	/* user_ns of the timed pass */
	int			ret;
};

/* Touch [first, first + nr) of @p's region, charging the user's loop. */
static int proc_touch(struct ab_proc *p, unsigned long first, unsigned long nr, bool write)
{
	uint64_t user = nr * (write ? USER_WRITE_NS : USER_READ_NS);
	int ret = zsim_touch(p->region, first, nr, write);

	sched_charge_ns(user);
	p->user_ns += user;
	bar_pages(nr);
	return ret;
}

/* Whole region in chunks of a folio (at least 16 pages) at a time. */
static int proc_pass(struct ab_proc *p, bool write)
{
	unsigned long chunk = max(p->folio_pages, 16U), i;
	int ret;

	for (i = 0; i < p->nr_pages; i += chunk) {
		ret = proc_touch(p, i, min(chunk, p->nr_pages - i), write);
		if (ret)
			return ret;
	}
	return 0;
}

static int usemem_write_task(void *arg)
{
	struct ab_proc *p = arg;
	uint64_t t0 = sched_task_clock_ns(current);

	p->ret = proc_pass(p, true);
	p->write_ns = sched_task_clock_ns(current) - t0;
	p->write_user_ns = p->user_ns;
	p->total_ns += p->write_ns;
	return p->ret;
}

static int usemem_read_task(void *arg)
{
	struct ab_proc *p = arg;
	uint64_t t0 = sched_task_clock_ns(current);

	p->ret = proc_pass(p, false);
	p->total_ns += sched_task_clock_ns(current) - t0;
	return p->ret;
}

/*
 * madvise, first round: populate (not in the throughput), then page the
 * region out folio by folio with MADV_PAGEOUT (timed).
 */
static int madvise_out_task(void *arg)
{
	struct ab_proc *p = arg;
	unsigned long step = p->folio_pages, i;
	uint64_t t0 = sched_task_clock_ns(current), t1, user0;
	int ret;

	ret = proc_pass(p, true);
	t1 = sched_task_clock_ns(current);
	user0 = p->user_ns;
	for (i = 0; !ret && i < p->nr_pages; i += step) {
		ret = zsim_pageout(p->region, i, min(step, p->nr_pages - i));
		bar_pages(min(step, p->nr_pages - i));
	}
	p->write_ns = sched_task_clock_ns(current) - t1;
	p->write_user_ns = p->user_ns - user0;
	p->total_ns = sched_task_clock_ns(current) - t0;
	p->ret = ret;
	return ret;
}

/* madvise, second round: read it all back (timed with the page-out). */
static int madvise_in_task(void *arg)
{
	struct ab_proc *p = arg;
	uint64_t t0 = sched_task_clock_ns(current), user0 = p->user_ns, dt;

	p->ret = proc_pass(p, false);
	dt = sched_task_clock_ns(current) - t0;
	p->write_ns += dt;
	p->write_user_ns += p->user_ns - user0;
	p->total_ns += dt;
	return p->ret;
}

/* Run @fn in one task per process, each on its own CPU, and wait. */
static int run_tasks(struct ab_proc *procs, unsigned int n, unsigned int cpus,
		     int (*fn)(void *))
{
	struct zsim_task *tasks[n];
	unsigned int i;
	int ret = 0, r;

	for (i = 0; i < n; i++) {
		tasks[i] = zsim_spawn(i % cpus, fn, &procs[i], "usemem");
		if (!tasks[i]) {
			n = i;
			ret = -ENOMEM;
			break;
		}
	}
	for (i = 0; i < n; i++) {
		r = zsim_join(tasks[i]);
		if (r && !ret)
			ret = r;
	}
	return ret;
}

/* The value of @key in "key value" lines, or -1. */
static double text_key(const char *buf, const char *key)
{
	size_t klen = strlen(key);
	const char *p;

	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtod(p + klen + 1, NULL);
	return -1;
}

static double debugfs_value(const char *key)
{
	char *buf = NULL;
	size_t len = 0;
	double v = -1;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -1;
	zsim_dump_debugfs(f, false);
	fclose(f);
	v = text_key(buf, key);
	free(buf);
	return v;
}

static double vmstat_value(const char *key)
{
	char buf[2048];

	if (zsim_vmstat_read(buf, sizeof(buf)) < 0)
		return -1;
	return text_key(buf, key);
}

/* After the write pass: what zswap holds and what it cost. */
static void read_pool_metrics(struct ab_result *r)
{
	char buf[4096];
	double zswap_b = -1, zswapped_b = -1;

	if (zsim_memcg_read("/" AB_MEMCG, "memory.stat", buf, sizeof(buf)) > 0) {
		zswap_b = text_key(buf, "zswap");
		zswapped_b = text_key(buf, "zswapped");
	}
	r->m[M_RATIO] = zswap_b > 0 ? zswapped_b / zswap_b : 0;
	r->m[M_POOL_BYTES] = debugfs_value("zswap/pool_total_size");
	r->m[M_CTX_BYTES] = debugfs_value("zswap/acomp_ctx_bytes");
}

/* --param module.name=value, after the SPEC's. */
static int extra_params(const struct ab_opts *o, char *err, size_t errlen)
{
	char buf[256], *dot, *eq;
	unsigned int i;

	for (i = 0; i < o->nr_params; i++) {
		snprintf(buf, sizeof(buf), "%s", o->params[i]);
		dot = strchr(buf, '.');
		eq = strchr(buf, '=');
		if (!dot || !eq || eq < dot) {
			snprintf(err, errlen, "--param %s: want module.name=value", o->params[i]);
			return -EINVAL;
		}
		*dot = *eq = '\0';
		if (set_param(buf, dot + 1, eq + 1, err, errlen))
			return -EINVAL;
	}
	return 0;
}

static int boot(const struct ab_opts *o, const struct ab_spec *s, unsigned long total_pages,
		char *err, size_t errlen)
{
	struct zsim_config cfg;
	int ret;

	ret = configure(s, err, errlen);
	if (!ret)
		ret = extra_params(o, err, errlen);
	if (ret)
		return ret;
	zsim_config_init(&cfg);
	cfg.nr_cpus = o->cpus;
	cfg.nr_nodes = 1;
	/* Room for everything twice: zswap's pool limit is never the story. */
	cfg.ram_bytes = (uint64_t)total_pages * 4096 * 2 + (64ULL << 20);
	/*
	 * PCT without change points: the highest-priority task runs until it
	 * blocks, so the processes run one after another in host order, and
	 * far faster than a random walk switching at every scheduling point.
	 * Virtual time is unaffected: each process has its own memcg, and
	 * the IAA engines keep their timelines in virtual time whatever the
	 * order of submission (struct iaa_engine_timeline).
	 */
	cfg.backend = ZSIM_CONTROLLED;
	cfg.policy = ZSIM_SCHED_PCT;
	cfg.pct_depth = 1;
	cfg.seed = o->seed;
	cfg.timing = o->timing;
	cfg.migrate_permille = 0;
	cfg.lockdep = false;
	ret = zsim_machine_start(&cfg);
	if (ret) {
		snprintf(err, errlen, "machine start: %s", strerror(-ret));
		return ret;
	}
	ret = zsim_swapon(total_pages * 2 + 1024, NULL, SWAP_DEV_NS, SWAP_DEV_NS);
	if (ret >= 0)
		ret = zsim_memcg_create("/", AB_MEMCG);
	if (ret < 0)
		snprintf(err, errlen, "machine setup: %s", strerror(-ret));
	return ret < 0 ? ret : 0;
}

static int samples_alloc(unsigned long cap)
{
	free(store_samples.v);
	free(load_samples.v);
	store_samples = (struct ab_samples){ .v = calloc(cap, sizeof(uint64_t)), .cap = cap };
	load_samples = (struct ab_samples){ .v = calloc(cap, sizeof(uint64_t)), .cap = cap };
	return store_samples.v && load_samples.v ? 0 : -ENOMEM;
}

static int procs_setup(struct ab_proc *procs, const struct ab_opts *o,
		       const struct ab_spec *s, unsigned long per_proc)
{
	unsigned int i;
	int ret;

	char name[16], path[48], high[32];

	snprintf(high, sizeof(high), "%lu", per_proc * o->high_percent / 100 * 4096);
	for (i = 0; i < o->nr_procs; i++) {
		procs[i] = (struct ab_proc){
			.o = o, .id = i, .folio_pages = 1U << s->folio_order,
			.nr_pages = per_proc,
		};
		snprintf(name, sizeof(name), "p%u", i);
		snprintf(path, sizeof(path), "/%s/%s", AB_MEMCG, name);
		ret = zsim_memcg_create("/" AB_MEMCG, name);
		if (ret)
			return ret;
		procs[i].memcg = true;
		if (o->workload == AB_USEMEM) {
			ret = zsim_memcg_write(path, "memory.high", high);
			if (ret)
				return ret;
		}
		ret = zsim_process_create(path, &procs[i].proc);
		if (ret)
			return ret;
		ret = zsim_mmap(procs[i].proc, per_proc, s->folio_order, o->seed + i,
				&procs[i].region);
		if (ret)
			return ret;
	}
	return 0;
}

static void procs_teardown(struct ab_proc *procs, unsigned int n)
{
	unsigned int i;

	char path[48];

	for (i = 0; i < n; i++) {
		if (procs[i].proc)
			zsim_process_destroy(procs[i].proc);
		snprintf(path, sizeof(path), "/%s/p%u", AB_MEMCG, i);
		if (procs[i].memcg)
			zsim_memcg_destroy(path);
	}
}

static void collect(const struct ab_opts *o, struct ab_proc *procs, struct ab_result *r)
{
	double tp = 0, elapsed = 0, sys = 0;
	unsigned int i;

	for (i = 0; i < o->nr_procs; i++) {
		struct ab_proc *p = &procs[i];
		double kb = p->nr_pages * 4.0;

		if (p->write_ns)
			tp += kb / (p->write_ns / 1e9);
		elapsed = max(elapsed, p->write_ns / 1e9);
		sys += (p->write_ns - min(p->write_user_ns, p->write_ns)) / 1e9;
	}
	r->m[M_THROUGHPUT] = tp;
	r->m[M_AVG_THROUGHPUT] = tp / o->nr_procs;
	r->m[M_ELAPSED] = elapsed;
	r->m[M_SYS] = sys;
	r->m[M_STORE_P50] = samples_pct(&store_samples, 50);
	r->m[M_STORE_P99] = samples_pct(&store_samples, 99);
	r->m[M_LOAD_P50] = samples_pct(&load_samples, 50);
	r->m[M_LOAD_P99] = samples_pct(&load_samples, 99);
	r->m[M_ZSWPOUT] = vmstat_value("zswpout");
	r->m[M_ZSWPIN] = vmstat_value("zswpin");
	r->m[M_PGMAJFAULT] = vmstat_value("pgmajfault");
	r->m[M_ZSWPWB] = vmstat_value("zswpwb");
}

/*
 * One run of @s: boot, workload, metrics into @r, shut down. Returns 0 or
 * a negative errno with a message in @err. @done of @total runs so far
 * are for the progress bar.
 */
int ab_run_once(const struct ab_opts *o, const struct ab_spec *s, struct ab_result *r,
		unsigned int done, unsigned int total, char *err, size_t errlen)
{
	unsigned long per_proc = (unsigned long)o->mb_per_proc * 256;
	unsigned long total_pages = per_proc * o->nr_procs;
	struct ab_proc procs[o->nr_procs];
	unsigned long reports;
	int ret;

	memset(r, 0, sizeof(*r));
	memset(procs, 0, sizeof(procs));
	snprintf(r->driver, sizeof(r->driver), "%s", tfm_name(s->compressor));
	bar = (typeof(bar)){ .on = o->progress, .done = done, .total = total, .shown = -1,
			     .nr_pages = total_pages *
					 (o->workload == AB_MADVISE ? 3 : 2) };
	ret = samples_alloc(total_pages * 4 + 1024);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		return ret;
	}
	ret = zsim_vm_use_pages(o->pages, o->nr_pages);
	if (ret) {
		snprintf(err, errlen, "corpus: %s", strerror(-ret));
		return ret;
	}
	sim_swap_probe_register(&ab_probe_ops);
	ret = boot(o, s, total_pages, err, errlen);
	if (!ret) {
		ret = procs_setup(procs, o, s, per_proc);
		if (ret)
			snprintf(err, errlen, "processes: %s", strerror(-ret));
	}
	WRITE_ONCE(sample_stores, true);
	if (!ret && o->workload == AB_USEMEM) {
		ret = run_tasks(procs, o->nr_procs, o->cpus, usemem_write_task);
		WRITE_ONCE(sample_stores, false);
		if (!ret) {
			read_pool_metrics(r);
			ret = run_tasks(procs, o->nr_procs, o->cpus, usemem_read_task);
		}
		if (ret)
			snprintf(err, errlen, "usemem: %s", strerror(-ret));
	} else if (!ret) {
		ret = run_tasks(procs, o->nr_procs, o->cpus, madvise_out_task);
		WRITE_ONCE(sample_stores, false);
		if (!ret) {
			read_pool_metrics(r);
			ret = run_tasks(procs, o->nr_procs, o->cpus, madvise_in_task);
		}
		if (ret)
			snprintf(err, errlen, "madvise: %s", strerror(-ret));
	}
	if (!ret)
		collect(o, procs, r);
	procs_teardown(procs, o->nr_procs);
	if (zsim_machine_running()) {
		zsim_memcg_destroy("/" AB_MEMCG);
		reports = zsim_machine_stop();
		if (reports && !ret) {
			snprintf(err, errlen, "the machine reported %lu problem(s): %s", reports,
				 zsim_first_report());
			ret = -EIO;
		}
	}
	sim_swap_probe_register(NULL);
	zsim_vm_use_pages(NULL, 0);
	if (bar.on) {
		bar.done = done + 1;
		bar.pages = 0;
		bar.nr_pages = 0;
		bar_draw();
	}
	return ret;
}
