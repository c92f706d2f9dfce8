// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap-ab: compare zswap configurations on a workload of simulated
 * processes, in the layout of the kernel series' cover letters: a
 * baseline against one or more variants, % change, one block per
 * compressor and folio size (docs/benchmarks.md).
 *
 * Without --baseline/--variant, every compressor of --compressor and
 * folio size of --folio is a block whose baseline is the first batch
 * size of --batch and whose variants are the others. With them, one
 * block: the baseline SPEC against each --variant SPEC, where a SPEC is
 * "key=value,..." over the defaults the other options set.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "corpus.h"
#include "zswap_ab.h"

#define MAX_LIST	16
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const compressors[] = {
	"lz4", "zstd", "deflate", "deflate-iaa", "deflate-iaa-canned", "deflate-iaa-dynamic",
	NULL,
};
static const char *const modes[] = { "sync", "async", "async_irq", NULL };
static const char *const lifetimes[] = { "pool", "hotplug", NULL };
static const char *const designs[] = { "deferred", "rcu", NULL };

static const char usage[] =
"usage: zswap-ab [options]\n"
"Compare zswap configurations on simulated processes (docs/benchmarks.md).\n"
"\n"
"Workload:\n"
"  --workload usemem|madvise  usemem: N processes each write M MB once under\n"
"                        a memcg's memory.high, then read it back; madvise:\n"
"                        write, then MADV_PAGEOUT and read back folio by folio\n"
"                        (default usemem)\n"
"  --procs N             processes, 1..64 (default 4)\n"
"  --mb M                MB each process writes, 1..4096 (default 4)\n"
"  --high-percent P      usemem's memory.high, % of all they write, 1..100\n"
"                        (default 50); below the compressed size (about\n"
"                        100 / ratio %) every fault sleeps memory.high's penalty\n"
"  --cpus N              virtual CPUs, 1..64 (default: one per process)\n"
"  --corpus PATH         page contents from a file or directory (default:\n"
"                        the built-in generator, docs/corpus.md)\n"
"  --seed N              generator and machine seed (default 1)\n"
"\n"
"What to compare (each sets the default of every SPEC key it names):\n"
"  --compressor A,B,...  lz4, zstd, deflate, deflate-iaa, deflate-iaa-canned,\n"
"                        deflate-iaa-dynamic (default deflate-iaa,zstd)\n"
"  --batch 1,8,...       zswap's largest compression batch\n"
"                        (zswap.max_compr_batch_size), 1..16; the first is\n"
"                        the baseline (default 1,8)\n"
"  --folio 4k|64k|2m[,..] folio size of the processes' memory (default 64k)\n"
"  --iaa-devices N       IAA devices, 1..16 (default 4)\n"
"  --wqs N               WQs per IAA device, 1..8 (default 2)\n"
"  --freq-mhz N          core frequency of the IAA model's CPU costs,\n"
"                        100..10000 (default 2500)\n"
"  --mode sync|async|async_irq  iaa_crypto.sync_mode (default async)\n"
"  --distribute 0|1      iaa_crypto.distribute_comps (default 1)\n"
"  --verify 0|1          iaa_crypto.verify_compress (default 0)\n"
"  --lifetime pool|hotplug  zswap.ctx_lifetime (default pool)\n"
"  --zsmalloc deferred|rcu  zsmalloc.free_design (default deferred)\n"
"  --baseline SPEC       the baseline configuration, e.g.\n"
"                        \"compressor=deflate-iaa,batch=1,folio=64k\"; keys:\n"
"                        compressor, batch, folio, devices, wqs, freq, mode,\n"
"                        distribute, verify, lifetime, zsmalloc\n"
"  --variant SPEC        a configuration to compare with the baseline\n"
"                        (repeatable; up to 16)\n"
"\n"
"Timing and output:\n"
"  --timing modelled|measured  modelled: costs from the models, a run is\n"
"                        deterministic; measured: software compression timed\n"
"                        on the host (default modelled)\n"
"  --reps N              repetitions of each configuration, 1..100 (default 1;\n"
"                        with 2 or more: mean, standard deviation and a\n"
"                        Welch's t-test p-value per difference)\n"
"  --json                one JSON object on stdout instead of the table\n"
"  --csv                 CSV on stdout, one row per repetition\n"
"  --plot DIR            throughput and store/load latency p50/p99 against\n"
"                        batch size per compressor: data, gnuplot scripts,\n"
"                        SVG and PNG (if gnuplot is installed) in DIR\n"
"  --param MOD.NAME=VAL  set any module parameter before each machine boots,\n"
"                        after the SPEC's (repeatable, up to 16), e.g.\n"
"                        vm_cost.reclaim_page_ns=2000 (docs/vm.md)\n"
"  --list-params         print the module parameters as MOD.NAME=VAL lines,\n"
"                        with their values before a SPEC's or --param's, and\n"
"                        exit\n"
"  --no-progress         no progress bar (there is none unless stderr is a\n"
"                        terminal)\n"
"  --help                this text\n"
"\n"
"Bad input exits with status 2 and a message; a failed run with 1.\n";

static int bad(const char *what, const char *val, const char *want)
{
	fprintf(stderr, "zswap-ab: bad %s \"%s\": want %s (see --help)\n", what, val, want);
	return 2;
}

static bool parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && !*end && *v >= min && *v <= max;
}

static bool one_of(const char *s, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(s, *names))
			return true;
	return false;
}

static bool parse_folio(const char *s, unsigned int *order)
{
	if (!strcasecmp(s, "4k"))
		*order = 0;
	else if (!strcasecmp(s, "64k"))
		*order = 4;
	else if (!strcasecmp(s, "2m"))
		*order = 9;
	else
		return false;
	return true;
}

/* Split @s at commas into @out (at most MAX_LIST, none empty). */
static int split(char *s, char **out)
{
	int n = 0;
	char *tok, *save;

	if (!*s || s[0] == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,"))
		return -1;
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == MAX_LIST)
			return -1;
		out[n++] = tok;
	}
	return n;
}

static bool copy_name(char *dst, const char *src, const char *const *names)
{
	if (!one_of(src, names))
		return false;
	snprintf(dst, AB_NAME_LEN, "%s", src);
	return true;
}

/* Set @key of @s to @val; returns false for a bad key or value. */
static bool spec_set(struct ab_spec *s, const char *key, const char *val, const char **want)
{
	unsigned long v;

	*want = NULL;
	if (!strcmp(key, "compressor")) {
		*want = "lz4, zstd, deflate, deflate-iaa, deflate-iaa-canned or deflate-iaa-dynamic";
		return copy_name(s->compressor, val, compressors);
	}
	if (!strcmp(key, "batch")) {
		*want = "a batch size, 1..16";
		return parse_uint(val, 1, 16, &v) && ((s->batch = v), true);
	}
	if (!strcmp(key, "folio")) {
		*want = "4k, 64k or 2m";
		return parse_folio(val, &s->folio_order);
	}
	if (!strcmp(key, "devices")) {
		*want = "a number of IAA devices, 1..16";
		return parse_uint(val, 1, 16, &v) && ((s->devices = v), true);
	}
	if (!strcmp(key, "wqs")) {
		*want = "WQs per device, 1..8";
		return parse_uint(val, 1, 8, &v) && ((s->wqs = v), true);
	}
	if (!strcmp(key, "freq")) {
		*want = "a core frequency in MHz, 100..10000";
		return parse_uint(val, 100, 10000, &v) && ((s->freq_mhz = v), true);
	}
	if (!strcmp(key, "mode")) {
		*want = "sync, async or async_irq";
		return copy_name(s->mode, val, modes);
	}
	if (!strcmp(key, "distribute") || !strcmp(key, "verify")) {
		*want = "0 or 1";
		if (!parse_uint(val, 0, 1, &v))
			return false;
		if (key[0] == 'd')
			s->distribute = v;
		else
			s->verify = v;
		return true;
	}
	if (!strcmp(key, "lifetime")) {
		*want = "pool or hotplug";
		return copy_name(s->lifetime, val, lifetimes);
	}
	if (!strcmp(key, "zsmalloc")) {
		*want = "deferred or rcu";
		return copy_name(s->zsmalloc, val, designs);
	}
	return false;
}

/* "key=value,..." over @s; returns 0 or the exit status 2. */
static int parse_spec(const char *opt, const char *text, struct ab_spec *s)
{
	char buf[512], *items[MAX_LIST], *eq;
	const char *want;
	int n, i;

	if (strlen(text) >= sizeof(buf))
		return bad(opt, text, "a shorter SPEC");
	strcpy(buf, text);
	n = split(buf, items);
	if (n < 0)
		return bad(opt, text, "key=value pairs separated by commas");
	for (i = 0; i < n; i++) {
		eq = strchr(items[i], '=');
		if (!eq)
			return bad(opt, text, "key=value pairs separated by commas");
		*eq = '\0';
		if (!spec_set(s, items[i], eq + 1, &want)) {
			char what[sizeof(buf) + 32];

			/* Name the bad key or key=value, quote the whole SPEC. */
			if (want)
				snprintf(what, sizeof(what), "%s value \"%s=%s\" in", opt,
					 items[i], eq + 1);
			else
				snprintf(what, sizeof(what), "%s key \"%s\" in", opt, items[i]);
			return bad(what, text, want ? want :
				   "one of compressor, batch, folio, devices, wqs, freq, mode, "
				   "distribute, verify, lifetime, zsmalloc");
		}
	}
	return 0;
}

struct cli {
	struct ab_opts	o;
	struct ab_spec	defaults;
	char		comp[MAX_LIST][AB_NAME_LEN];
	unsigned int	nr_comp;
	unsigned int	batch[MAX_LIST], nr_batch;
	unsigned int	folio[3], nr_folio;
	const char	*baseline;
	const char	*variant[MAX_LIST];
	unsigned int	nr_variant;
	const char	*corpus, *plot_dir;
	bool		json, csv, no_progress;
};

enum {
	O_WORKLOAD = 256, O_PROCS, O_MB, O_HIGH, O_CPUS, O_CORPUS, O_SEED, O_COMPRESSOR,
	O_BATCH, O_FOLIO, O_DEVICES, O_WQS, O_FREQ, O_MODE, O_DISTRIBUTE, O_VERIFY,
	O_LIFETIME, O_ZSMALLOC, O_BASELINE, O_VARIANT, O_TIMING, O_REPS, O_JSON, O_CSV,
	O_PLOT, O_NO_PROGRESS, O_PARAM, O_LIST_PARAMS, O_HELP,
};

static const struct option long_opts[] = {
	{ "workload", required_argument, NULL, O_WORKLOAD },
	{ "procs", required_argument, NULL, O_PROCS },
	{ "mb", required_argument, NULL, O_MB },
	{ "high-percent", required_argument, NULL, O_HIGH },
	{ "cpus", required_argument, NULL, O_CPUS },
	{ "corpus", required_argument, NULL, O_CORPUS },
	{ "seed", required_argument, NULL, O_SEED },
	{ "compressor", required_argument, NULL, O_COMPRESSOR },
	{ "batch", required_argument, NULL, O_BATCH },
	{ "folio", required_argument, NULL, O_FOLIO },
	{ "iaa-devices", required_argument, NULL, O_DEVICES },
	{ "wqs", required_argument, NULL, O_WQS },
	{ "freq-mhz", required_argument, NULL, O_FREQ },
	{ "mode", required_argument, NULL, O_MODE },
	{ "distribute", required_argument, NULL, O_DISTRIBUTE },
	{ "verify", required_argument, NULL, O_VERIFY },
	{ "lifetime", required_argument, NULL, O_LIFETIME },
	{ "zsmalloc", required_argument, NULL, O_ZSMALLOC },
	{ "baseline", required_argument, NULL, O_BASELINE },
	{ "variant", required_argument, NULL, O_VARIANT },
	{ "timing", required_argument, NULL, O_TIMING },
	{ "reps", required_argument, NULL, O_REPS },
	{ "json", no_argument, NULL, O_JSON },
	{ "csv", no_argument, NULL, O_CSV },
	{ "plot", required_argument, NULL, O_PLOT },
	{ "no-progress", no_argument, NULL, O_NO_PROGRESS },
	{ "param", required_argument, NULL, O_PARAM },
	{ "list-params", no_argument, NULL, O_LIST_PARAMS },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Options whose value is a SPEC key: --iaa-devices is "devices", ... */
static const char *const spec_key[][2] = {
	{ "iaa-devices", "devices" }, { "wqs", "wqs" }, { "freq-mhz", "freq" },
	{ "mode", "mode" }, { "distribute", "distribute" }, { "verify", "verify" },
	{ "lifetime", "lifetime" }, { "zsmalloc", "zsmalloc" },
};

static int parse_lists(struct cli *c, int opt, const char *name, const char *arg)
{
	char buf[512], *items[MAX_LIST];
	unsigned long v;
	int n, i;

	if (strlen(arg) >= sizeof(buf))
		return bad(name, arg, "a shorter list");
	strcpy(buf, arg);
	n = split(buf, items);
	if (n < 0)
		return bad(name, arg, "a comma-separated list (at most 16)");
	for (i = 0; i < n; i++) {
		switch (opt) {
		case O_COMPRESSOR:
			if (!one_of(items[i], compressors))
				return bad(name, items[i], "lz4, zstd, deflate, deflate-iaa, "
					   "deflate-iaa-canned or deflate-iaa-dynamic");
			snprintf(c->comp[i], AB_NAME_LEN, "%s", items[i]);
			break;
		case O_BATCH:
			if (!parse_uint(items[i], 1, 16, &v))
				return bad(name, items[i], "batch sizes, 1..16");
			c->batch[i] = v;
			break;
		case O_FOLIO:
			if (i == 3 || !parse_folio(items[i], &c->folio[i]))
				return bad(name, items[i], "4k, 64k or 2m");
			break;
		}
	}
	if (opt == O_COMPRESSOR)
		c->nr_comp = n;
	else if (opt == O_BATCH)
		c->nr_batch = n;
	else
		c->nr_folio = n;
	return 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse_cli(int argc, char **argv, struct cli *c)
{
	const char *want;
	unsigned long v;
	unsigned int i;
	int opt, ret;

	memset(c, 0, sizeof(*c));
	c->o = (struct ab_opts){
		.workload = AB_USEMEM, .nr_procs = 4, .mb_per_proc = 4, .high_percent = 50,
		.timing = ZSIM_TIMING_MODELLED, .reps = 1, .seed = 1,
	};
	c->defaults = (struct ab_spec){
		.compressor = "deflate-iaa", .batch = 1, .folio_order = 4, .devices = 4,
		.wqs = 2, .freq_mhz = 2500, .mode = "async", .distribute = 1, .verify = 0,
		.lifetime = "pool", .zsmalloc = "deferred",
	};
	strcpy(c->comp[0], "deflate-iaa");
	strcpy(c->comp[1], "zstd");
	c->nr_comp = 2;
	c->batch[0] = 1;
	c->batch[1] = 8;
	c->nr_batch = 2;
	c->folio[0] = 4;
	c->nr_folio = 1;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		const char *name = "option";

		for (i = 0; long_opts[i].name; i++)
			if (long_opts[i].val == opt)
				name = long_opts[i].name;
		switch (opt) {
		case O_HELP:
			fputs(usage, stdout);
			return 0;
		case O_LIST_PARAMS:
			zsim_dump_params(stdout, false);
			return 0;
		case O_WORKLOAD:
			if (strcmp(optarg, "usemem") && strcmp(optarg, "madvise"))
				return bad("--workload", optarg, "usemem or madvise");
			c->o.workload = optarg[0] == 'u' ? AB_USEMEM : AB_MADVISE;
			break;
		case O_PROCS:
			if (!parse_uint(optarg, 1, 64, &v))
				return bad("--procs", optarg, "a number of processes, 1..64");
			c->o.nr_procs = v;
			break;
		case O_MB:
			if (!parse_uint(optarg, 1, 4096, &v))
				return bad("--mb", optarg, "MB per process, 1..4096");
			c->o.mb_per_proc = v;
			break;
		case O_HIGH:
			if (!parse_uint(optarg, 1, 100, &v))
				return bad("--high-percent", optarg, "a percentage, 1..100");
			c->o.high_percent = v;
			break;
		case O_CPUS:
			if (!parse_uint(optarg, 1, 64, &v))
				return bad("--cpus", optarg, "a number of CPUs, 1..64");
			c->o.cpus = v;
			break;
		case O_SEED:
			if (!parse_uint(optarg, 0, ~0UL, &v))
				return bad("--seed", optarg, "a number");
			c->o.seed = v;
			break;
		case O_REPS:
			if (!parse_uint(optarg, 1, AB_MAX_REPS, &v))
				return bad("--reps", optarg, "a number of repetitions, 1..100");
			c->o.reps = v;
			break;
		case O_TIMING:
			if (strcmp(optarg, "modelled") && strcmp(optarg, "measured"))
				return bad("--timing", optarg, "modelled or measured");
			c->o.timing = optarg[1] == 'o' ? ZSIM_TIMING_MODELLED : ZSIM_TIMING_MEASURED;
			break;
		case O_CORPUS:
			c->corpus = optarg;
			break;
		case O_PLOT:
			c->plot_dir = optarg;
			break;
		case O_JSON:
			c->json = true;
			break;
		case O_CSV:
			c->csv = true;
			break;
		case O_NO_PROGRESS:
			c->no_progress = true;
			break;
		case O_PARAM:
			if (c->o.nr_params == 16 || !strchr(optarg, '.') || !strchr(optarg, '='))
				return bad("--param", optarg, "module.name=value (at most 16)");
			c->o.params[c->o.nr_params++] = optarg;
			break;
		case O_COMPRESSOR:
		case O_BATCH:
		case O_FOLIO:
			ret = parse_lists(c, opt, name, optarg);
			if (ret)
				return ret;
			break;
		case O_BASELINE:
			c->baseline = optarg;
			break;
		case O_VARIANT:
			if (c->nr_variant == MAX_LIST)
				return bad("--variant", optarg, "at most 16 variants");
			c->variant[c->nr_variant++] = optarg;
			break;
		case O_DEVICES: case O_WQS: case O_FREQ: case O_MODE: case O_DISTRIBUTE:
		case O_VERIFY: case O_LIFETIME: case O_ZSMALLOC:
			for (i = 0; i < ARRAY_SIZE(spec_key); i++)
				if (!strcmp(spec_key[i][0], name))
					break;
			if (!spec_set(&c->defaults, spec_key[i][1], optarg, &want)) {
				char what[64];

				snprintf(what, sizeof(what), "--%s", name);
				return bad(what, optarg, want);
			}
			break;
		case '?':
		default:
			fprintf(stderr, "zswap-ab: unknown option or missing value: %s (see --help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "zswap-ab: unexpected argument \"%s\" (see --help)\n", argv[optind]);
		return 2;
	}
	if (c->json && c->csv) {
		fprintf(stderr, "zswap-ab: --json and --csv exclude each other\n");
		return 2;
	}
	if (c->baseline && !c->nr_variant) {
		fprintf(stderr, "zswap-ab: --baseline needs at least one --variant\n");
		return 2;
	}
	if (!c->o.cpus)
		c->o.cpus = c->o.nr_procs;
	return -1;
}

static int add_run(struct ab_plan *p, const struct ab_spec *s)
{
	if (p->nr_runs == AB_MAX_RUNS) {
		fprintf(stderr, "zswap-ab: more than %d configurations\n", AB_MAX_RUNS);
		return -1;
	}
	p->runs[p->nr_runs].spec = *s;
	return p->nr_runs++;
}

/* The runs and blocks the options ask for; 0 or the exit status 2. */
static int plan(struct cli *c, struct ab_plan *p)
{
	struct ab_spec s;
	unsigned int ci, fi, bi, i;
	int idx, ret;

	memset(p, 0, sizeof(*p));
	if (c->nr_variant) {
		struct ab_block *b = &p->blocks[p->nr_blocks++];

		s = c->defaults;
		snprintf(s.compressor, AB_NAME_LEN, "%s", c->comp[0]);
		s.batch = c->batch[0];
		s.folio_order = c->folio[0];
		if (c->baseline && (ret = parse_spec("--baseline", c->baseline, &s)))
			return ret;
		b->base = add_run(p, &s);
		for (i = 0; i < c->nr_variant; i++) {
			struct ab_spec v = p->runs[b->base].spec;

			ret = parse_spec("--variant", c->variant[i], &v);
			if (ret)
				return ret;
			idx = add_run(p, &v);
			if (idx < 0)
				return 2;
			b->var[b->nr_var++] = idx;
		}
		return 0;
	}
	for (fi = 0; fi < c->nr_folio; fi++) {
		for (ci = 0; ci < c->nr_comp; ci++) {
			/* A block has a run at least: add_run() runs out first. */
			struct ab_block *b = &p->blocks[p->nr_blocks++];

			for (bi = 0; bi < c->nr_batch; bi++) {
				s = c->defaults;
				snprintf(s.compressor, AB_NAME_LEN, "%s", c->comp[ci]);
				s.batch = c->batch[bi];
				s.folio_order = c->folio[fi];
				idx = add_run(p, &s);
				if (idx < 0)
					return 2;
				if (bi == 0)
					b->base = idx;
				else
					b->var[b->nr_var++] = idx;
			}
		}
	}
	return 0;
}

static int load_corpus(struct cli *c, struct corpus *corpus)
{
	char err[512];
	int ret;

	if (!c->corpus)
		return 0;
	ret = corpus_load(corpus, c->corpus, CORPUS_TAIL_PAD, 0, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "zswap-ab: --corpus: %s\n", err);
		return 2;
	}
	c->o.pages = corpus->data;
	c->o.nr_pages = corpus->nr_pages;
	return 0;
}

int main(int argc, char **argv)
{
	static struct ab_plan p;
	struct corpus corpus = { 0 };
	unsigned int i, r, done = 0, total;
	struct cli c;
	char err[512];
	int ret;

	ret = parse_cli(argc, argv, &c);
	if (ret >= 0)
		return ret;
	ret = plan(&c, &p);
	if (ret)
		return ret;
	for (i = 0; i < c.o.nr_params; i++) {
		const char *dot = strchr(c.o.params[i], '.'), *eq = strchr(c.o.params[i], '=');
		char mod[64], name[64], val[256];

		/* An unknown parameter is bad input, refused before any run. */
		snprintf(mod, sizeof(mod), "%.*s", (int)(dot - c.o.params[i]), c.o.params[i]);
		snprintf(name, sizeof(name), "%.*s", (int)(eq > dot ? eq - dot - 1 : 0), dot + 1);
		if (eq < dot || zsim_param_get(mod, name, val, sizeof(val)) < 0)
			return bad("--param", c.o.params[i], "an existing module.name=value "
				   "(--list-params lists them)");
	}
	ret = load_corpus(&c, &corpus);
	if (ret)
		return ret;
	c.o.progress = !c.no_progress && isatty(STDERR_FILENO);
	zsim_set_loglevel(3);	/* errors only: the run's messages are not the output */
	total = p.nr_runs * c.o.reps;
	for (i = 0; i < p.nr_runs; i++) {
		struct ab_run *run = &p.runs[i];

		for (r = 0; r < c.o.reps; r++) {
			ret = ab_run_once(&c.o, &run->spec, &run->rep[r], done++, total, err,
					  sizeof(err));
			if (ret) {
				char spec[256];

				ab_spec_format(&run->spec, spec, sizeof(spec));
				fprintf(stderr, "zswap-ab: run %s failed: %s\n", spec, err);
				corpus_release(&corpus);
				return 1;
			}
		}
		run->nr_reps = c.o.reps;
		ab_summarise(run);
	}
	if (c.json)
		ab_print_json(stdout, &c.o, &p);
	else if (c.csv)
		ab_print_csv(stdout, &c.o, &p);
	else
		ab_print_table(stdout, &c.o, &p);
	ret = 0;
	fflush(stdout);
	if (c.plot_dir && ab_write_plots(c.plot_dir, &c.o, &p) < 0)
		ret = 1;
	corpus_release(&corpus);
	return ret;
}
