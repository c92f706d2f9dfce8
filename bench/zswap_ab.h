/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zswap-ab: A/B comparisons of zswap configurations (compressor, batch
 * size, folio size, IAA configuration, per-CPU context lifetime, zsmalloc
 * design) on a workload of simulated processes (docs/benchmarks.md).
 *
 * zswap-ab.c parses the command line and plans the runs,
 * zswap_ab_workload.c boots a machine per run and drives the workload,
 * zswap_ab_stats.c summarises repetitions (mean, spread, Welch's t-test),
 * zswap_ab_report.c prints the table, JSON and CSV and writes the plots.
 */
#ifndef _ZSIM_BENCH_ZSWAP_AB_H
#define _ZSIM_BENCH_ZSWAP_AB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <zswapsim.h>

#define AB_NAME_LEN	32
#define AB_MAX_RUNS	64	/* configurations in one invocation */
#define AB_MAX_REPS	100

enum ab_workload { AB_USEMEM, AB_MADVISE };

/* One configuration: what a SPEC names (docs/benchmarks.md, "SPEC"). */
struct ab_spec {
	char		compressor[AB_NAME_LEN];
	unsigned int	batch;		/* zswap.max_compr_batch_size */
	unsigned int	folio_order;	/* 0, 4, 9 */
	unsigned int	devices, wqs, freq_mhz;
	char		mode[AB_NAME_LEN];	/* iaa_crypto.sync_mode */
	unsigned int	distribute, verify;
	char		lifetime[AB_NAME_LEN];	/* zswap.ctx_lifetime */
	char		zsmalloc[AB_NAME_LEN];	/* zsmalloc.free_design */
};

/* Everything the workload needs besides the configuration. */
struct ab_opts {
	enum ab_workload workload;
	unsigned int	nr_procs;	/* processes (usemem) */
	unsigned int	mb_per_proc;	/* MB each process writes */
	unsigned int	high_percent;	/* memory.high, % of what they write */
	unsigned int	cpus;		/* virtual CPUs */
	enum zsim_timing timing;
	unsigned int	reps;
	unsigned long	seed;
	const void	*pages;		/* --corpus pages, or NULL: the generator */
	unsigned long	nr_pages;
	bool		progress;	/* progress bar on stderr */
	const char	*params[16];	/* --param module.name=value */
	unsigned int	nr_params;
};

/* Metrics of one run (docs/benchmarks.md, "Metrics"). */
enum ab_metric {
	M_THROUGHPUT,		/* KB/s, summed over the processes */
	M_AVG_THROUGHPUT,	/* KB/s per process */
	M_ELAPSED,		/* s, virtual */
	M_SYS,			/* s, virtual, summed */
	M_STORE_P50, M_STORE_P99,	/* ns per page of a zswap_store() */
	M_LOAD_P50, M_LOAD_P99,		/* ns per zswap_load() */
	M_RATIO,		/* bytes stored / compressed bytes */
	M_ZSWPOUT, M_ZSWPIN, M_PGMAJFAULT, M_ZSWPWB,
	M_POOL_BYTES,		/* zswap pool at the end of the write pass */
	M_CTX_BYTES,		/* per-CPU compression contexts, all CPUs */
	NR_METRICS,
};

struct ab_metric_info {
	const char	*key;		/* JSON and CSV name */
	const char	*label;		/* table row */
	bool		higher_better;
	int		decimals;
};

extern const struct ab_metric_info ab_metrics[NR_METRICS];

struct ab_result {
	double		m[NR_METRICS];
	char		driver[AB_NAME_LEN];	/* what the compressor resolved to */
};

/* One configuration with its repetitions and summary. */
struct ab_run {
	struct ab_spec	spec;
	unsigned int	nr_reps;
	struct ab_result rep[AB_MAX_REPS];
	double		mean[NR_METRICS], sd[NR_METRICS];
};

/* Baseline run index against variant run indices: one table block. */
struct ab_block {
	unsigned int	base;
	unsigned int	var[AB_MAX_RUNS];
	unsigned int	nr_var;
};

struct ab_plan {
	struct ab_run	runs[AB_MAX_RUNS];
	unsigned int	nr_runs;
	struct ab_block	blocks[AB_MAX_RUNS];
	unsigned int	nr_blocks;
};

/* zswap_ab_workload.c */
int ab_run_once(const struct ab_opts *o, const struct ab_spec *s, struct ab_result *r,
		unsigned int done, unsigned int total, char *err, size_t errlen);

/* zswap_ab_stats.c */
void ab_summarise(struct ab_run *run);
double ab_welch_p(const struct ab_run *a, const struct ab_run *b, enum ab_metric m);
double ab_change(const struct ab_run *a, const struct ab_run *b, enum ab_metric m);

/* zswap_ab_report.c */
void ab_spec_format(const struct ab_spec *s, char *buf, size_t len);
void ab_print_table(FILE *out, const struct ab_opts *o, const struct ab_plan *p);
void ab_print_json(FILE *out, const struct ab_opts *o, const struct ab_plan *p);
void ab_print_csv(FILE *out, const struct ab_opts *o, const struct ab_plan *p);
int ab_write_plots(const char *dir, const struct ab_opts *o, const struct ab_plan *p);

#endif /* _ZSIM_BENCH_ZSWAP_AB_H */
