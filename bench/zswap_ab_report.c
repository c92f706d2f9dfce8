// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap-ab's output: the table in the layout of the series' cover
 * letters (one block per comparison: the configuration rows, then each
 * metric with the baseline, each variant and its % change), JSON, CSV,
 * and the plots (gnuplot data and scripts; SVG and PNG when gnuplot is
 * installed).
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zswap_ab.h"

const struct ab_metric_info ab_metrics[NR_METRICS] = {
	[M_THROUGHPUT]		= { "throughput_kbs", "Total throughput (KB/s)", true, 0 },
	[M_AVG_THROUGHPUT]	= { "avg_throughput_kbs", "Average throughput (KB/s)", true, 0 },
	[M_ELAPSED]		= { "elapsed_s", "Elapsed time (sec)", false, 4 },
	[M_SYS]			= { "sys_s", "sys time (sec)", false, 4 },
	[M_STORE_P50]		= { "store_p50_ns", "zswap_store p50 (ns/page)", false, 0 },
	[M_STORE_P99]		= { "store_p99_ns", "zswap_store p99 (ns/page)", false, 0 },
	[M_LOAD_P50]		= { "load_p50_ns", "zswap_load p50 (ns/page)", false, 0 },
	[M_LOAD_P99]		= { "load_p99_ns", "zswap_load p99 (ns/page)", false, 0 },
	[M_RATIO]		= { "ratio", "Compression ratio", true, 2 },
	[M_ZSWPOUT]		= { "zswpout", "zswpout", false, 0 },
	[M_ZSWPIN]		= { "zswpin", "zswpin", false, 0 },
	[M_PGMAJFAULT]		= { "pgmajfault", "pgmajfault", false, 0 },
	[M_ZSWPWB]		= { "written_back", "zswpwb (written back)", false, 0 },
	[M_POOL_BYTES]		= { "pool_bytes", "zswap pool (bytes)", false, 0 },
	[M_CTX_BYTES]		= { "ctx_bytes", "acomp ctx, all CPUs (bytes)", false, 0 },
};

/* The metrics of the upper part of a block; the rest are the counters. */
#define NR_HEADLINE	(M_LOAD_P99 + 1)

static const char *folio_name(unsigned int order)
{
	return order == 0 ? "4K" : order == 4 ? "64K" : order == 9 ? "2M" : "?";
}

void ab_spec_format(const struct ab_spec *s, char *buf, size_t len)
{
	snprintf(buf, len, "compressor=%s,batch=%u,folio=%s,devices=%u,wqs=%u,freq=%u,"
		 "mode=%s,distribute=%u,verify=%u,lifetime=%s,zsmalloc=%s",
		 s->compressor, s->batch, folio_name(s->folio_order), s->devices, s->wqs,
		 s->freq_mhz, s->mode, s->distribute, s->verify, s->lifetime, s->zsmalloc);
}

/* @v with thousands separators and @dec decimals. */
static void fmt_num(char *buf, size_t len, double v, int dec)
{
	char raw[64], *dot, out[80];
	int n, i, o = 0, lead;

	snprintf(raw, sizeof(raw), "%.*f", dec, fabs(v));
	dot = strchr(raw, '.');
	n = dot ? dot - raw : (int)strlen(raw);
	if (v < 0 && strcmp(raw, "0") && strtod(raw, NULL) != 0)
		out[o++] = '-';
	lead = n % 3 ? n % 3 : 3;
	for (i = 0; i < n; i++) {
		if (i && (i - lead) % 3 == 0)
			out[o++] = ',';
		out[o++] = raw[i];
	}
	snprintf(out + o, sizeof(out) - o, "%s", dot ? dot : "");
	snprintf(buf, len, "%s", out);
}

static const char *workload_name(const struct ab_opts *o)
{
	return o->workload == AB_USEMEM ? "usemem" : "madvise";
}

/* The configuration keys where the block's runs differ, always compressor and batch. */
static bool key_differs(const struct ab_plan *p, const struct ab_block *b, int key)
{
	const struct ab_spec *base = &p->runs[b->base].spec;
	unsigned int i;

	if (key <= 1)
		return true;
	for (i = 0; i < b->nr_var; i++) {
		const struct ab_spec *v = &p->runs[b->var[i]].spec;

		switch (key) {
		case 2: if (v->folio_order != base->folio_order) return true; break;
		case 3: if (v->devices != base->devices) return true; break;
		case 4: if (v->wqs != base->wqs) return true; break;
		case 5: if (v->freq_mhz != base->freq_mhz) return true; break;
		case 6: if (strcmp(v->mode, base->mode)) return true; break;
		case 7: if (v->distribute != base->distribute) return true; break;
		case 8: if (v->verify != base->verify) return true; break;
		case 9: if (strcmp(v->lifetime, base->lifetime)) return true; break;
		case 10: if (strcmp(v->zsmalloc, base->zsmalloc)) return true; break;
		}
	}
	return false;
}

static void spec_key_value(const struct ab_spec *s, int key, char *buf, size_t len)
{
	switch (key) {
	case 0: snprintf(buf, len, "%s", s->compressor); break;
	case 1: snprintf(buf, len, "%u", s->batch); break;
	case 2: snprintf(buf, len, "%s", folio_name(s->folio_order)); break;
	case 3: snprintf(buf, len, "%u", s->devices); break;
	case 4: snprintf(buf, len, "%u", s->wqs); break;
	case 5: snprintf(buf, len, "%u", s->freq_mhz); break;
	case 6: snprintf(buf, len, "%s", s->mode); break;
	case 7: snprintf(buf, len, "%u", s->distribute); break;
	case 8: snprintf(buf, len, "%u", s->verify); break;
	case 9: snprintf(buf, len, "%s", s->lifetime); break;
	case 10: snprintf(buf, len, "%s", s->zsmalloc); break;
	}
}

static const char *const key_labels[] = {
	"zswap compressor", "compression batch", "folio size", "IAA devices", "WQs per IAA",
	"core MHz", "iaa sync_mode", "distribute_comps", "verify_compress", "ctx lifetime",
	"zsmalloc design",
};

#define W_LABEL	30
#define W_CHG	10
/* Value columns: wider with repetitions, for "mean±sd". */
static int w_col = 16;

static void rule(FILE *out, const struct ab_block *b)
{
	int w = W_LABEL + w_col + b->nr_var * (w_col + W_CHG), i;

	for (i = 0; i < w; i++)
		fputc('-', out);
	fputc('\n', out);
}

static void print_value(FILE *out, const struct ab_run *r, enum ab_metric m, bool spread)
{
	char num[48], sd[48], cell[100];

	fmt_num(num, sizeof(num), r->mean[m], ab_metrics[m].decimals);
	if (spread && r->nr_reps > 1) {
		fmt_num(sd, sizeof(sd), r->sd[m], ab_metrics[m].decimals);
		snprintf(cell, sizeof(cell), "%s±%s", num, sd);
	} else {
		snprintf(cell, sizeof(cell), "%s", num);
	}
	/* "±" is two bytes and one column. */
	fprintf(out, "%*s", w_col + (strstr(cell, "±") ? 1 : 0), cell);
}

static void print_change(FILE *out, const struct ab_run *a, const struct ab_run *b,
			 enum ab_metric m)
{
	double c = ab_change(a, b, m), p = ab_welch_p(a, b, m);
	char cell[48];

	if (isnan(c))
		snprintf(cell, sizeof(cell), "n/a");
	else
		snprintf(cell, sizeof(cell), "%+.0f%%%s", c,
			 isnan(p) ? "" : p < 0.01 ? "**" : p < 0.05 ? "*" : "");
	fprintf(out, "%*s", W_CHG, cell);
}

static void print_block(FILE *out, const struct ab_plan *p, const struct ab_block *b)
{
	const struct ab_run *base = &p->runs[b->base];
	unsigned int i;
	int key, m;
	char v[64];

	rule(out, b);
	for (key = 0; key < (int)(sizeof(key_labels) / sizeof(key_labels[0])); key++) {
		if (!key_differs(p, b, key))
			continue;
		fprintf(out, "%-*s", W_LABEL, key_labels[key]);
		spec_key_value(&base->spec, key, v, sizeof(v));
		fprintf(out, "%*s", w_col, v);
		for (i = 0; i < b->nr_var; i++) {
			spec_key_value(&p->runs[b->var[i]].spec, key, v, sizeof(v));
			fprintf(out, "%*s%*s", w_col, v, W_CHG, key == 0 ? "change" : "");
		}
		fputc('\n', out);
	}
	rule(out, b);
	for (m = 0; m < NR_METRICS; m++) {
		if (m == NR_HEADLINE)
			rule(out, b);
		fprintf(out, "%-*s", W_LABEL, ab_metrics[m].label);
		print_value(out, base, m, true);
		for (i = 0; i < b->nr_var; i++) {
			print_value(out, &p->runs[b->var[i]], m, true);
			print_change(out, base, &p->runs[b->var[i]], m);
		}
		fputc('\n', out);
	}
	rule(out, b);
}

/* What every block shares: the common keys, in a header line. */
static void print_common(FILE *out, const struct ab_opts *o, const struct ab_plan *p)
{
	const struct ab_spec *s = &p->runs[0].spec;

	fprintf(out, "%s: %u processes x %u MB", workload_name(o), o->nr_procs, o->mb_per_proc);
	if (o->workload == AB_USEMEM)
		fprintf(out, ", memory.high %u%%", o->high_percent);
	fprintf(out, ", %u CPUs, %s timing, %u rep%s, %s corpus, seed %lu\n", o->cpus,
		o->timing == ZSIM_TIMING_MODELLED ? "modelled" : "measured", o->reps,
		o->reps > 1 ? "s" : "", o->pages ? "file" : "built-in", o->seed);
	fprintf(out, "IAA: %u devices, %u WQs each, %u MHz, %s, distribute_comps %u, "
		"verify_compress %u; zswap ctx_lifetime %s; zsmalloc %s\n", s->devices, s->wqs,
		s->freq_mhz, s->mode, s->distribute, s->verify, s->lifetime, s->zsmalloc);
}

void ab_print_table(FILE *out, const struct ab_opts *o, const struct ab_plan *p)
{
	unsigned int i;

	w_col = o->reps > 1 ? 26 : 16;
	print_common(out, o, p);
	for (i = 0; i < p->nr_blocks; i++) {
		const struct ab_spec *s = &p->runs[p->blocks[i].base].spec;

		fprintf(out, "\n %s%u, %s folios, %s:\n", workload_name(o), o->nr_procs,
			folio_name(s->folio_order), s->compressor);
		print_block(out, p, &p->blocks[i]);
	}
	if (o->reps > 1)
		fprintf(out, "\nmean±sd over %u repetitions; change: * p < 0.05, ** p < 0.01 "
			"(Welch's t-test)\n", o->reps);
}

/*
 * @v in JSON and CSV, exactly and in plain notation: an integral value as
 * an integer, any other with the fewest significant digits that read back
 * as @v; NaN and infinities as null.
 */
static void json_num(FILE *out, double v)
{
	char buf[32];
	int prec;

	if (isnan(v) || isinf(v)) {
		fputs("null", out);
		return;
	}
	if (v == floor(v)) {
		fprintf(out, "%.0f", v);
		return;
	}
	for (prec = 1;; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
		if (prec == DBL_DECIMAL_DIG || strtod(buf, NULL) == v)
			break;
	}
	/* The same digits as decimals: prec - 1 after the exponent's place. */
	fprintf(out, "%.*f", prec - 1 - atoi(strchr(buf, 'e') + 1), v);
}

static void json_spec(FILE *out, const struct ab_spec *s)
{
	fprintf(out, "{\"compressor\": \"%s\", \"batch\": %u, \"folio_kb\": %u, "
		"\"devices\": %u, \"wqs\": %u, \"freq_mhz\": %u, \"mode\": \"%s\", "
		"\"distribute\": %u, \"verify\": %u, \"lifetime\": \"%s\", \"zsmalloc\": \"%s\"}",
		s->compressor, s->batch, 4U << s->folio_order, s->devices, s->wqs, s->freq_mhz,
		s->mode, s->distribute, s->verify, s->lifetime, s->zsmalloc);
}

void ab_print_json(FILE *out, const struct ab_opts *o, const struct ab_plan *p)
{
	unsigned int i, j, r;
	int m;

	fprintf(out, "{\"workload\": \"%s\", \"procs\": %u, \"mb_per_proc\": %u, "
		"\"high_percent\": %u, \"cpus\": %u, \"timing\": \"%s\", \"reps\": %u, "
		"\"corpus\": \"%s\", \"seed\": %lu,\n \"runs\": [", workload_name(o),
		o->nr_procs, o->mb_per_proc, o->high_percent, o->cpus,
		o->timing == ZSIM_TIMING_MODELLED ? "modelled" : "measured", o->reps,
		o->pages ? "file" : "built-in", o->seed);
	for (i = 0; i < p->nr_runs; i++) {
		const struct ab_run *run = &p->runs[i];

		fprintf(out, "%s\n  {\"spec\": ", i ? "," : "");
		json_spec(out, &run->spec);
		fprintf(out, ",\n   \"metrics\": {");
		for (m = 0; m < NR_METRICS; m++) {
			fprintf(out, "%s\"%s\": ", m ? ", " : "", ab_metrics[m].key);
			json_num(out, run->mean[m]);
		}
		fprintf(out, "},\n   \"sd\": {");
		for (m = 0; m < NR_METRICS; m++) {
			fprintf(out, "%s\"%s\": ", m ? ", " : "", ab_metrics[m].key);
			json_num(out, run->sd[m]);
		}
		fprintf(out, "},\n   \"reps\": [");
		for (r = 0; r < run->nr_reps; r++) {
			fprintf(out, "%s{", r ? ", " : "");
			for (m = 0; m < NR_METRICS; m++) {
				fprintf(out, "%s\"%s\": ", m ? ", " : "", ab_metrics[m].key);
				json_num(out, run->rep[r].m[m]);
			}
			fputc('}', out);
		}
		fprintf(out, "]}");
	}
	fprintf(out, "],\n \"comparisons\": [");
	for (i = 0, r = 0; i < p->nr_blocks; i++) {
		const struct ab_block *b = &p->blocks[i];

		for (j = 0; j < b->nr_var; j++, r++) {
			const struct ab_run *a = &p->runs[b->base], *v = &p->runs[b->var[j]];

			fprintf(out, "%s\n  {\"baseline\": %u, \"variant\": %u, \"change_pct\": {",
				r ? "," : "", b->base, b->var[j]);
			for (m = 0; m < NR_METRICS; m++) {
				fprintf(out, "%s\"%s\": ", m ? ", " : "", ab_metrics[m].key);
				json_num(out, ab_change(a, v, m));
			}
			fprintf(out, "}, \"p_value\": {");
			for (m = 0; m < NR_METRICS; m++) {
				fprintf(out, "%s\"%s\": ", m ? ", " : "", ab_metrics[m].key);
				json_num(out, ab_welch_p(a, v, m));
			}
			fprintf(out, "}}");
		}
	}
	fprintf(out, "]}\n");
}

void ab_print_csv(FILE *out, const struct ab_opts *o, const struct ab_plan *p)
{
	unsigned int i, r;
	int m;

	fputs("workload,compressor,batch,folio_kb,devices,wqs,freq_mhz,mode,distribute,"
	      "verify,lifetime,zsmalloc,timing,rep", out);
	for (m = 0; m < NR_METRICS; m++)
		fprintf(out, ",%s", ab_metrics[m].key);
	fputc('\n', out);
	for (i = 0; i < p->nr_runs; i++) {
		const struct ab_run *run = &p->runs[i];
		const struct ab_spec *s = &run->spec;

		for (r = 0; r < run->nr_reps; r++) {
			fprintf(out, "%s,%s,%u,%u,%u,%u,%u,%s,%u,%u,%s,%s,%s,%u", workload_name(o),
				s->compressor, s->batch, 4U << s->folio_order, s->devices, s->wqs,
				s->freq_mhz, s->mode, s->distribute, s->verify, s->lifetime,
				s->zsmalloc, o->timing == ZSIM_TIMING_MODELLED ? "modelled" :
				"measured", r + 1);
			for (m = 0; m < NR_METRICS; m++) {
				fputc(',', out);
				json_num(out, run->rep[r].m[m]);
			}
			fputc('\n', out);
		}
	}
}

/*
 * The plots: for each folio size, zswap-ab-<folio>.dat holds one line per
 * run ("compressor batch throughput store_p50 store_p99 load_p50
 * load_p99", runs of one compressor in a gnuplot index block each), and
 * throughput-<folio>.gp / latency-<folio>.gp draw them against the batch
 * size, one line per compressor, into .svg and .png.
 */
static int write_file(const char *path, FILE **f)
{
	*f = fopen(path, "w");
	if (!*f) {
		fprintf(stderr, "zswap-ab: --plot: %s: %s\n", path, strerror(errno));
		return -errno;
	}
	return 0;
}

static void gp_terminals(FILE *f, const char *dir, const char *name, const char *body)
{
	fprintf(f, "set terminal svg size 800,500 dynamic\nset output '%s/%s.svg'\n%s", dir,
		name, body);
	fprintf(f, "set terminal png size 800,500\nset output '%s/%s.png'\nreplot\n", dir, name);
}

static int plot_folio(const char *dir, const struct ab_opts *o, const struct ab_plan *p,
		      unsigned int order, bool *have_gnuplot)
{
	char path[4096], body[4096], comp[AB_MAX_RUNS][AB_NAME_LEN];
	unsigned int nr_comp = 0, i, c;
	const char *fn = folio_name(order);
	int off, ret;
	FILE *f;

	for (i = 0; i < p->nr_runs; i++) {
		const struct ab_spec *s = &p->runs[i].spec;

		if (s->folio_order != order)
			continue;
		for (c = 0; c < nr_comp; c++)
			if (!strcmp(comp[c], s->compressor))
				break;
		if (c == nr_comp)
			snprintf(comp[nr_comp++], AB_NAME_LEN, "%s", s->compressor);
	}
	if (!nr_comp)
		return 0;
	snprintf(path, sizeof(path), "%s/zswap-ab-%s.dat", dir, fn);
	ret = write_file(path, &f);
	if (ret)
		return ret;
	fprintf(f, "# %s, %s folios: batch throughput_kbs store_p50_ns store_p99_ns "
		"load_p50_ns load_p99_ns\n", workload_name(o), fn);
	for (c = 0; c < nr_comp; c++) {
		fprintf(f, "%s\"%s\"\n", c ? "\n\n" : "", comp[c]);
		for (i = 0; i < p->nr_runs; i++) {
			const struct ab_run *r = &p->runs[i];

			if (r->spec.folio_order != order || strcmp(r->spec.compressor, comp[c]))
				continue;
			fprintf(f, "%u %.0f %.0f %.0f %.0f %.0f\n", r->spec.batch,
				r->mean[M_THROUGHPUT], r->mean[M_STORE_P50], r->mean[M_STORE_P99],
				r->mean[M_LOAD_P50], r->mean[M_LOAD_P99]);
		}
	}
	fclose(f);

	for (int kind = 0; kind < 2; kind++) {
		char name[64];

		snprintf(name, sizeof(name), "%s-%s", kind ? "latency" : "throughput", fn);
		off = snprintf(body, sizeof(body),
			       "set title '%s, %s folios: %s against compression batch'\n"
			       "set xlabel 'batch size (pages)'\nset logscale x 2\nset grid\n"
			       "set key below\nset ylabel '%s'\nset yrange [0:*]\nplot ",
			       workload_name(o), fn, kind ? "zswap store/load latency" :
			       "throughput", kind ? "ns per page" : "KB/s");
		for (c = 0; c < nr_comp; c++) {
			if (kind)
				off += snprintf(body + off, sizeof(body) - off,
						"%s'%s/zswap-ab-%s.dat' index %u using 1:3 with "
						"linespoints title '%s store p50', '' index %u using "
						"1:4 with linespoints title '%s store p99', '' index %u "
						"using 1:5 with linespoints title '%s load p50', '' "
						"index %u using 1:6 with linespoints title '%s load p99'",
						c ? ", " : "", dir, fn, c, comp[c], c, comp[c], c,
						comp[c], c, comp[c]);
			else
				off += snprintf(body + off, sizeof(body) - off,
						"%s'%s/zswap-ab-%s.dat' index %u using 1:2 with "
						"linespoints title '%s'", c ? ", " : "", dir, fn, c,
						comp[c]);
		}
		snprintf(body + off, sizeof(body) - off, "\n");
		snprintf(path, sizeof(path), "%s/%s.gp", dir, name);
		ret = write_file(path, &f);
		if (ret)
			return ret;
		gp_terminals(f, dir, name, body);
		fclose(f);
		if (*have_gnuplot) {
			char cmd[4200];

			snprintf(cmd, sizeof(cmd), "gnuplot '%s' 2>&1", path);
			if (system(cmd)) {
				fprintf(stderr, "zswap-ab: --plot: gnuplot failed on %s\n", path);
				return -EIO;
			}
		}
	}
	return 0;
}

int ab_write_plots(const char *dir, const struct ab_opts *o, const struct ab_plan *p)
{
	static const unsigned int orders[] = { 0, 4, 9 };
	bool have_gnuplot = !system("command -v gnuplot >/dev/null 2>&1");
	unsigned int i;
	int ret;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "zswap-ab: --plot: %s: %s\n", dir, strerror(errno));
		return -errno;
	}
	if (!have_gnuplot)
		fprintf(stderr, "zswap-ab: gnuplot is not installed (Debian: apt-get install "
			"gnuplot-nox): wrote the data (.dat) and gnuplot scripts (.gp) to %s, "
			"no SVG or PNG; run 'gnuplot %s/*.gp' once it is\n", dir, dir);
	for (i = 0; i < 3; i++) {
		ret = plot_folio(dir, o, p, orders[i], &have_gnuplot);
		if (ret)
			return ret;
	}
	if (have_gnuplot)
		fprintf(stderr, "zswap-ab: plots in %s (throughput-*.svg/png, latency-*.svg/png)\n",
			dir);
	return 0;
}
