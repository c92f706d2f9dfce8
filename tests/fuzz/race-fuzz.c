// SPDX-License-Identifier: GPL-2.0-only
/*
 * race-fuzz: the CPU-hotplug race fuzzer's command-line driver.
 *
 * A campaign runs one scenario over seeds seed, seed+1, ... (--runs,
 * --time), each run on a fresh machine in the controlled backend (one
 * seeded schedule: PCT of --depth, or a random walk) or free-running (real
 * threads, hotplug storms). A failing run is printed with its seed, its
 * schedule string, the oracle's report and the command line that replays
 * it; --shrink first reduces the schedule. Each run (and each replay of
 * a shrink) is made in a child process of its own unless --no-fork, so
 * that a run depends only on its seed and options, and a run that crashes
 * is reported like any other failure. See docs/fuzzing.md.
 *
 * Exit status: 0 nothing found, 1 a failure was found, 2 bad usage (a
 * schedule file replayed with options other than its own too) or a run
 * that could not be made.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#endif

struct campaign {
	struct fuzz_cfg	cfg;
	const char	*prog;
	uint64_t	seed;
	unsigned long	runs;		/* 0: until --time */
	double		seconds;	/* 0: until --runs */
	const char	*replay;
	const char	*replay_file;	/* --replay @FILE: FILE */
	char		*replay_sched;	/* FILE's schedule string (cp->replay) */
	char		*replay_opts;	/* the options FILE was recorded with, or NULL */
	bool		json;
	bool		json_runs;	/* every run's seed, steps and schedule hash */
	bool		shrink;
	bool		keep_going;
	unsigned int	shrink_budget;
	bool		progress;
	bool		pct_auto;	/* calibrate pct_steps (calibrate_pct()) */
};

struct failure {
	unsigned long	run;
	uint64_t	seed;
	unsigned long	pct_steps;
	char		*schedule;
	char		*shrunk;
	char		*report;
	char		*schedule_arg;	/* the schedule inline, or @FILE */
	char		*replay_arg;	/* what the replay line passes to --replay, */
					/* NULL: none (a crash sent no schedule) */
};

/* --json-runs: what identifies one run, to compare campaigns run by run. */
struct run_digest {
	uint64_t	seed;
	unsigned long	steps;
	bool		failed;
	uint64_t	hash;		/* FNV-1a of its schedule string */
};

/*
 * Longer schedules go to a file (an argument is limited to 128 KiB) and
 * the replay line reads it with --replay @FILE.
 */
#define SCHEDULE_INLINE_MAX	2048

/* The run in progress, for the ASan death callback. */
static const struct campaign *cur_campaign;
static uint64_t cur_seed;

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [options]\n"
		"  --scenario NAME        scenario to run (default mixed; --list names them)\n"
		"  --list                 list the scenarios and exit\n"
		"  --seed N               first seed (default 1); run i uses seed+i\n"
		"  --runs N               number of runs (default 100 unless --time)\n"
		"  --time SECONDS         stop after this long (with --runs: whichever first)\n"
		"  --sched pct|random     controlled policy (default pct)\n"
		"  --depth D              PCT bug depth, 1..17 (default 3)\n"
		"  --pct-steps N          PCT: steps a run takes (default: measured by a run of seed 0)\n"
		"  --replay SCHEDULE      replay a schedule string (z1:..., or @FILE holding one)\n"
		"                         --runs times (default 1), with the options of its run\n"
		"  --lifetime pool|hotplug  zswap per-CPU context lifetime (default pool)\n"
		"  --zsmalloc deferred|rcu  zsmalloc free-vs-migration design (default deferred)\n"
		"  --compressor NAME      zswap compressor (default lz4; e.g. zstd, deflate-iaa)\n"
		"  --tasks N              worker tasks (default 3)\n"
		"  --cpus N               virtual CPUs (default 4)\n"
		"  --free-running         real parallel threads and hotplug storms (soak, sanitizers)\n"
		"  --max-steps N          fail a controlled run after N steps (default 20000000)\n"
		"  --json                 print a JSON summary on stdout\n"
		"  --json-runs            with --json: every run's seed, steps and schedule hash\n"
		"  --no-fork              make the runs in this process (debuggers), not in children\n"
		"  --shrink               shrink a failing schedule before printing it\n"
		"  --shrink-budget N      most replays for shrinking (default 200)\n"
		"  --keep-going           go on after a failure\n"
		"  -v, --verbose          print the machine's reports and messages as they happen\n"
		"  -h, --help             this text\n",
		prog);
}

static __attribute__((noreturn, format(printf, 1, 2))) void bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "race-fuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see --help)\n");
	exit(2);
}

static void __attribute__((noreturn)) out_of_memory(void)
{
	fprintf(stderr, "race-fuzz: out of memory\n");
	exit(2);
}

static unsigned long long parse_num(const char *opt, const char *s, unsigned long long min,
				    unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		bad_usage("%s wants a number in %llu..%llu, not \"%s\"", opt, min, max, s);
	return v;
}

static const char *parse_choice(const char *opt, const char *s, const char *a, const char *b)
{
	if (strcmp(s, a) && strcmp(s, b))
		bad_usage("%s wants %s or %s, not \"%s\"", opt, a, b, s);
	return s;
}

/*
 * A schedule file holds its schedule string on a line of its own, after
 * "options: " and the options of the run it records (write_schedule());
 * '#' lines are comments. A file holding only the string (older ones) has
 * no options line: nothing to check.
 */
#define SCHEDULE_OPTIONS	"options: "

/* Read the schedule of @path into cp->replay, its options into cp->replay_opts. */
static void read_schedule(struct campaign *cp, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *sched = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		bad_usage("--replay @%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' '))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		if (!strncmp(line, SCHEDULE_OPTIONS, strlen(SCHEDULE_OPTIONS))) {
			free(cp->replay_opts);
			cp->replay_opts = strdup(line + strlen(SCHEDULE_OPTIONS));
			if (!cp->replay_opts)
				out_of_memory();
			continue;
		}
		if (sched)
			bad_usage("--replay @%s: more than one schedule line", path);
		sched = strdup(line);
		if (!sched)
			out_of_memory();
	}
	free(line);
	fclose(f);
	if (!sched)
		bad_usage("--replay @%s: no schedule in the file", path);
	cp->replay = cp->replay_sched = sched;
	cp->replay_file = path;
}

/* The options that shape a run, as the replay line gives them. */
static void print_run_opts(FILE *f, const struct campaign *cp, unsigned long pct_steps)
{
	const struct fuzz_cfg *c = &cp->cfg;

	fprintf(f, "--scenario %s --sched %s --depth %u --pct-steps %lu --lifetime %s --zsmalloc %s --compressor %s --tasks %u --cpus %u --max-steps %lu",
		c->scen->name, c->policy == ZSIM_SCHED_PCT ? "pct" : "random", c->depth,
		pct_steps, c->o.lifetime, c->o.zsmalloc, c->o.compressor, c->o.nr_tasks,
		c->o.nr_cpus, c->max_steps);
}

static char *run_opts(const struct campaign *cp, unsigned long pct_steps)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		out_of_memory();
	print_run_opts(f, cp, pct_steps);
	if (fclose(f))
		out_of_memory();
	return buf;
}

/* @path: @schedule and the options of its run (read_schedule()). */
static int write_schedule(const struct campaign *cp, const char *path, const char *schedule)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -errno;
	fprintf(f, "# %s schedule: replay it with these options and --replay @FILE\n%s",
		cp->prog, SCHEDULE_OPTIONS);
	print_run_opts(f, cp, cp->cfg.pct_steps);
	fprintf(f, "\n%s\n", schedule);
	err = ferror(f) ? -EIO : 0;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

#ifdef FUZZ_ASAN
#define SCHEDULE_BUILD	"-asan"
#else
#define SCHEDULE_BUILD	""
#endif

/*
 * Where the replay line finds @schedule: inline, or a file written now,
 * "<program>[-asan]-<scenario>-seed<N>-<options hash>[-shrunk].schedule",
 * so that campaigns of other binaries, builds or options (the hash is of
 * the file's options line) do not overwrite each other's files.
 */
static char *replay_arg(const struct campaign *cp, uint64_t seed, const char *schedule,
			bool shrunk)
{
	const char *prog = strrchr(cp->prog, '/');
	char *path = NULL, *arg = NULL, *opts;
	int err;

	if (strlen(schedule) <= SCHEDULE_INLINE_MAX)
		return strdup(schedule);
	opts = run_opts(cp, cp->cfg.pct_steps);
	err = asprintf(&path, "%s" SCHEDULE_BUILD "-%s-seed%" PRIu64 "-%08" PRIx32 "%s.schedule",
		       prog ? prog + 1 : cp->prog, cp->cfg.scen->name, seed,
		       (uint32_t)fnv1a(opts), shrunk ? "-shrunk" : "");
	free(opts);
	if (err < 0)
		return NULL;
	err = write_schedule(cp, path, schedule);
	if (err) {
		fprintf(stderr, "race-fuzz: cannot write %s: %s\n", path, strerror(-err));
		free(path);
		return strdup(schedule);
	}
	if (asprintf(&arg, "@%s", path) < 0)
		arg = NULL;
	free(path);
	return arg;
}

static void list_one(const struct fuzz_scenario *s, void *arg)
{
	printf("%-20s %s\n", s->name, s->desc ? s->desc : "");
}

enum {
	OPT_LIST = 256, OPT_SEED, OPT_RUNS, OPT_TIME, OPT_SCHED, OPT_DEPTH, OPT_REPLAY,
	OPT_LIFETIME, OPT_ZSMALLOC, OPT_COMPRESSOR, OPT_TASKS, OPT_CPUS, OPT_FREE,
	OPT_JSON, OPT_SHRINK, OPT_SHRINK_BUDGET, OPT_MAX_STEPS, OPT_KEEP_GOING, OPT_PCT_STEPS,
	OPT_JSON_RUNS, OPT_NO_FORK,
};

static const struct option long_opts[] = {
	{ "scenario",		required_argument,	NULL, 's' },
	{ "list",		no_argument,		NULL, OPT_LIST },
	{ "seed",		required_argument,	NULL, OPT_SEED },
	{ "runs",		required_argument,	NULL, OPT_RUNS },
	{ "time",		required_argument,	NULL, OPT_TIME },
	{ "sched",		required_argument,	NULL, OPT_SCHED },
	{ "depth",		required_argument,	NULL, OPT_DEPTH },
	{ "pct-steps",		required_argument,	NULL, OPT_PCT_STEPS },
	{ "replay",		required_argument,	NULL, OPT_REPLAY },
	{ "lifetime",		required_argument,	NULL, OPT_LIFETIME },
	{ "zsmalloc",		required_argument,	NULL, OPT_ZSMALLOC },
	{ "compressor",		required_argument,	NULL, OPT_COMPRESSOR },
	{ "tasks",		required_argument,	NULL, OPT_TASKS },
	{ "cpus",		required_argument,	NULL, OPT_CPUS },
	{ "free-running",	no_argument,		NULL, OPT_FREE },
	{ "json",		no_argument,		NULL, OPT_JSON },
	{ "json-runs",		no_argument,		NULL, OPT_JSON_RUNS },
	{ "no-fork",		no_argument,		NULL, OPT_NO_FORK },
	{ "shrink",		no_argument,		NULL, OPT_SHRINK },
	{ "shrink-budget",	required_argument,	NULL, OPT_SHRINK_BUDGET },
	{ "max-steps",		required_argument,	NULL, OPT_MAX_STEPS },
	{ "keep-going",		no_argument,		NULL, OPT_KEEP_GOING },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "help",		no_argument,		NULL, 'h' },
	{ }
};

/* The value of option @name in @opts ("--name value ..."), @len bytes of it. */
static const char *opt_value(const char *opts, const char *name, size_t *len)
{
	size_t nlen = strlen(name);
	const char *p;

	for (p = opts; (p = strstr(p, name)); p += nlen) {
		if ((p != opts && p[-1] != ' ') || p[nlen] != ' ')
			continue;
		p += nlen + 1;
		*len = strcspn(p, " ");
		return p;
	}
	return NULL;
}

/*
 * A schedule replays its run only with the options it was recorded with:
 * refuse other ones, naming each that differs, rather than replay another
 * run that may pass.
 */
static void check_replay_opts(const struct campaign *cp)
{
	char *here = run_opts(cp, cp->cfg.pct_steps);
	const char *p = cp->replay_opts;
	unsigned int differ = 0;

	if (!strcmp(here, p)) {
		free(here);
		return;
	}
	fprintf(stderr, "race-fuzz: --replay @%s: the schedule was recorded with other options:\n",
		cp->replay_file);
	while (*p) {
		size_t nlen = strcspn(p, " "), vlen, hlen = 0;
		const char *v = p + nlen + (p[nlen] == ' '), *h;
		char name[32];

		vlen = strcspn(v, " ");
		snprintf(name, sizeof(name), "%.*s", (int)nlen, p);
		h = opt_value(here, name, &hlen);
		if (!h)
			differ += fprintf(stderr, "  %s %.*s (not an option of this race-fuzz)\n",
					  name, (int)vlen, v) > 0;
		else if (hlen != vlen || strncmp(h, v, vlen))
			differ += fprintf(stderr, "  %s %.*s, not %.*s\n", name, (int)vlen, v,
					  (int)hlen, h) > 0;
		p = v + vlen;
		p += strspn(p, " ");
	}
	if (!differ)
		fprintf(stderr, "  not this race-fuzz's options: %s\n", here);
	fprintf(stderr, "replay it with: %s %s --replay @%s\n", cp->prog, cp->replay_opts,
		cp->replay_file);
	free(here);
	exit(2);
}

static void parse_args(struct campaign *cp, int argc, char **argv)
{
	struct fuzz_cfg *c = &cp->cfg;
	const char *scen = "mixed";
	bool list = false, runs_set = false;
	int opt;

	c->o.lifetime = "pool";
	c->o.zsmalloc = "deferred";
	c->o.compressor = "lz4";
	c->o.nr_cpus = 4;
	c->o.nr_tasks = 3;
	c->o.controlled = true;
	c->policy = ZSIM_SCHED_PCT;
	c->depth = 3;
	c->max_steps = 20000000;
	/* zsim_config_init()'s guess until calibrate_pct() has measured it. */
	c->pct_steps = 20000;
	cp->pct_auto = true;
	c->quiet = true;
	c->fork = true;
	cp->prog = argv[0];
	cp->seed = 1;
	cp->shrink_budget = 200;
	while ((opt = getopt_long(argc, argv, "s:vh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			scen = optarg;
			break;
		case OPT_LIST:
			list = true;
			break;
		case OPT_SEED:
			cp->seed = parse_num("--seed", optarg, 0, UINT64_MAX);
			break;
		case OPT_RUNS:
			cp->runs = parse_num("--runs", optarg, 1, ULONG_MAX);
			runs_set = true;
			break;
		case OPT_TIME:
			cp->seconds = parse_num("--time", optarg, 1, 1000000);
			break;
		case OPT_SCHED:
			c->policy = strcmp(parse_choice("--sched", optarg, "pct", "random"), "pct") ?
				    ZSIM_SCHED_RANDOM : ZSIM_SCHED_PCT;
			break;
		case OPT_DEPTH:
			c->depth = parse_num("--depth", optarg, 1, 17);
			break;
		case OPT_PCT_STEPS:
			c->pct_steps = parse_num("--pct-steps", optarg, 1, ULONG_MAX);
			cp->pct_auto = false;
			break;
		case OPT_REPLAY:
			cp->replay = optarg;
			break;
		case OPT_LIFETIME:
			c->o.lifetime = parse_choice("--lifetime", optarg, "pool", "hotplug");
			break;
		case OPT_ZSMALLOC:
			c->o.zsmalloc = parse_choice("--zsmalloc", optarg, "deferred", "rcu");
			break;
		case OPT_COMPRESSOR:
			if (!*optarg)
				bad_usage("--compressor wants a name");
			c->o.compressor = optarg;
			break;
		case OPT_TASKS:
			c->o.nr_tasks = parse_num("--tasks", optarg, 1, 64);
			break;
		case OPT_CPUS:
			c->o.nr_cpus = parse_num("--cpus", optarg, 1, 256);
			break;
		case OPT_FREE:
			c->o.controlled = false;
			break;
		case OPT_JSON:
			cp->json = true;
			break;
		case OPT_JSON_RUNS:
			cp->json = cp->json_runs = true;
			break;
		case OPT_NO_FORK:
			c->fork = false;
			break;
		case OPT_SHRINK:
			cp->shrink = true;
			break;
		case OPT_SHRINK_BUDGET:
			cp->shrink_budget = parse_num("--shrink-budget", optarg, 1, 100000);
			break;
		case OPT_MAX_STEPS:
			c->max_steps = parse_num("--max-steps", optarg, 0, ULONG_MAX);
			break;
		case OPT_KEEP_GOING:
			cp->keep_going = true;
			break;
		case 'v':
			c->quiet = false;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			usage(stderr, argv[0]);
			exit(2);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument \"%s\"", argv[optind]);
	if (list) {
		fuzz_for_each(list_one, NULL);
		exit(0);
	}
	c->scen = fuzz_find(scen);
	if (!c->scen)
		bad_usage("no scenario \"%s\" (--list names them)", scen);
	if (cp->replay && cp->replay[0] == '@')
		read_schedule(cp, cp->replay + 1);
	if (cp->replay) {
		struct fuzz_sched s;

		if (!c->o.controlled)
			bad_usage("--replay needs the controlled backend, not --free-running");
		if (fuzz_sched_parse(cp->replay, &s))
			bad_usage("--replay wants a schedule string \"z1:<seed>:<decisions>\", not \"%.40s\"",
				  cp->replay);
		cp->seed = s.seed;
		fuzz_sched_free(&s);
		if (!runs_set)
			cp->runs = 1;
		cp->pct_auto = false;
		cp->seconds = 0;
		if (cp->replay_opts)
			check_replay_opts(cp);
	}
	if (cp->shrink && !c->o.controlled)
		bad_usage("--shrink needs the controlled backend, not --free-running");
	if (!runs_set && !cp->seconds && !cp->replay)
		cp->runs = 100;
	cp->progress = isatty(STDERR_FILENO) && c->quiet;
}

/*
 * The command line that replays @schedule with the campaign's options;
 * without a schedule (a run whose process died before it could send one)
 * the run of @seed alone, which is the same run since runs are made in
 * processes of their own.
 */
static void print_replay_cmd(FILE *f, const struct campaign *cp, const char *schedule,
			     uint64_t seed, unsigned long pct_steps)
{
	fprintf(f, "%s ", cp->prog);
	print_run_opts(f, cp, pct_steps);
	if (schedule)
		fprintf(f, " --replay '%s'", schedule);
	else
		fprintf(f, " --seed %" PRIu64 " --runs 1", seed);
}

static char *replay_cmd(const struct campaign *cp, const char *schedule, uint64_t seed,
			unsigned long pct_steps)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	print_replay_cmd(f, cp, schedule, seed, pct_steps);
	fclose(f);
	return buf;
}

#ifdef FUZZ_ASAN
/*
 * ASan is about to end the process: say which run to replay. The
 * decisions so far are a prefix of the run, which replays it (the rest
 * follows the policy from the same seed, as the run did).
 */
static void asan_death(void)
{
	const char *s = cur_campaign->cfg.o.controlled ? zsim_schedule() : "";
	char *arg;

	fprintf(stderr, "race-fuzz: ASan reported a failure in the run with seed %" PRIu64 "\n",
		cur_seed);
	if (!*s)
		return;
	arg = replay_arg(cur_campaign, cur_seed, s, false);
	fprintf(stderr, "race-fuzz: replay: ");
	print_replay_cmd(stderr, cur_campaign, arg ? arg : s, cur_seed,
			 cur_campaign->cfg.pct_steps);
	fputc('\n', stderr);
	free(arg);
}
#endif

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void print_sched(const char *what, const char *sched, const char *arg)
{
	if (arg && arg[0] == '@')
		fprintf(stderr, "%s: in %s (%zu bytes)\n", what, arg + 1, strlen(sched));
	else
		fprintf(stderr, "%s: %s\n", what, sched);
}

static void print_failure(const struct campaign *cp, const struct failure *fl)
{
	fprintf(stderr, "race-fuzz: FAILURE in run %lu (seed %" PRIu64 ")\n", fl->run, fl->seed);
	if (cp->cfg.o.controlled) {
		if (*fl->schedule)
			print_sched("schedule", fl->schedule, fl->schedule_arg);
		else
			fprintf(stderr, "schedule: none (its process died before sending it)\n");
		if (fl->shrunk)
			print_sched("shrunk schedule", fl->shrunk, fl->replay_arg);
	}
	fprintf(stderr, "report:\n%s\n", fl->report);
	if (cp->cfg.o.controlled) {
		fprintf(stderr, "replay: ");
		print_replay_cmd(stderr, cp, fl->replay_arg, fl->seed, fl->pct_steps);
		fputc('\n', stderr);
	} else {
		fprintf(stderr, "free-running runs do not replay; rerun the seed with --seed %" PRIu64
			" --runs 1 --free-running, or fuzz it in the controlled backend\n", fl->seed);
	}
}

/*
 * PCT's change points spread over the length of a run: measure it with a
 * run of seed 0 (not counted, not judged). A fixed seed, not the first
 * run's, so that --pct-steps, and with it every run, is a function of the
 * options alone: run k of a campaign is the run of its seed alone.
 */
#define CALIBRATION_SEED	0

static void calibrate_pct(struct campaign *cp)
{
	struct fuzz_result r;

	if (!cp->pct_auto || !cp->cfg.o.controlled || cp->cfg.policy != ZSIM_SCHED_PCT)
		return;
	if (fuzz_run(&cp->cfg, CALIBRATION_SEED, NULL, &r))
		exit(2);
	if (r.steps)
		cp->cfg.pct_steps = r.steps;
	fuzz_result_free(&r);
}

/*
 * A replay takes its schedule's decisions in order, each modulo the
 * candidates the run has at that point: a run whose options differ from
 * the recorded run's (or whose code does) takes other decisions or fewer.
 * Warn when a replay of a run's plain "z1" string did not end with those
 * decisions as its own first ones: the run replayed is another one, and
 * its verdict says nothing of the recorded run's. A ":stay" string is an
 * edit (the shrinker's), whose decisions need not fit its run.
 */
static void check_replay_followed(const struct campaign *cp, const struct fuzz_result *r)
{
	struct fuzz_sched want, got;
	size_t i;

	if (fuzz_sched_parse(cp->replay, &want))
		return;
	if (want.stay || fuzz_sched_parse(r->schedule, &got)) {
		fuzz_sched_free(&want);
		return;
	}
	for (i = 0; i < want.nr && i < got.nr; i++)
		if (want.vals[i] != got.vals[i])
			break;
	if (i < want.nr && (i < got.nr || !r->signal))
		fprintf(stderr, "race-fuzz: warning: the replay diverged from its schedule at decision %zu of %zu (%s): this is another run than the one recorded (other options, or other code; the replay line gives the options)\n",
			i, want.nr, i < got.nr ? "a choice the run did not have" :
			"the run ended before its decisions did");
	fuzz_sched_free(&want);
	fuzz_sched_free(&got);
}

/*
 * --no-fork: a run that killed tasks (a BUG, or a wedged machine
 * abandoned) may leave state in the process that later runs find (locks
 * held by the dead, waiters on their stacks): say so once.
 */
static void warn_dirty(const struct campaign *cp, const struct fuzz_result *r)
{
	static bool warned;

	if (cp->cfg.fork || warned || !r->failed)
		return;
	if (r->ret != -EDEADLK && r->ret != -ETIMEDOUT && r->ret != -ENOEXEC &&
	    !(r->report && strstr(r->report, "kernel BUG at")))
		return;
	warned = true;
	fprintf(stderr, "race-fuzz: --no-fork: seed %" PRIu64 " killed simulated tasks; what they left in this process may change the runs after it (they may not replay alone)\n",
		cur_seed);
}

/* Take over @r's strings, shrink if asked, and place the schedules. */
static void record_failure(const struct campaign *cp, struct failure *fl, unsigned long run,
			   struct fuzz_result *r)
{
	memset(fl, 0, sizeof(*fl));
	fl->run = run;
	fl->seed = cur_seed;
	fl->pct_steps = cp->cfg.pct_steps;
	fl->schedule = r->schedule;
	fl->report = r->report;
	r->schedule = r->report = NULL;
	if (!cp->cfg.o.controlled)
		return;
	if (cp->shrink && *r->schedule_stay)
		fl->shrunk = fuzz_shrink(&cp->cfg, r->schedule_stay, cp->shrink_budget, stderr);
	if (!*fl->schedule)
		return;
	fl->schedule_arg = replay_arg(cp, fl->seed, fl->schedule, false);
	fl->replay_arg = fl->shrunk ? replay_arg(cp, fl->seed, fl->shrunk, true) :
				      strdup(fl->schedule_arg ? fl->schedule_arg : "");
	if (!fl->schedule_arg || !fl->replay_arg)
		out_of_memory();
}

static void print_json(const struct campaign *cp, unsigned long runs, double secs,
		       unsigned long long steps, const struct failure *fails, unsigned long nf,
		       const struct run_digest *digests)
{
	unsigned long i;

	printf("{\"scenario\": ");
	json_str(stdout, cp->cfg.scen->name);
	printf(", \"backend\": \"%s\", \"runs\": %lu, \"seconds\": %.3f, \"runs_per_sec\": %.2f, \"steps\": %llu, \"nr_failures\": %lu, \"failures\": [",
	       cp->cfg.o.controlled ? "controlled" : "free-running", runs, secs,
	       secs > 0 ? runs / secs : 0.0, steps, nf);
	for (i = 0; i < nf; i++) {
		const struct failure *fl = &fails[i];
		char *cmd = cp->cfg.o.controlled ?
			    replay_cmd(cp, fl->replay_arg, fl->seed, fl->pct_steps) : NULL;

		printf("%s{\"run\": %lu, \"seed\": %" PRIu64 ", \"schedule\": ", i ? ", " : "",
		       fl->run, fl->seed);
		json_str(stdout, fl->schedule);
		if (fl->shrunk) {
			printf(", \"shrunk\": ");
			json_str(stdout, fl->shrunk);
		}
		printf(", \"report\": ");
		json_str(stdout, fl->report);
		printf(", \"replay\": ");
		json_str(stdout, cmd ? cmd : "");
		printf("}");
		free(cmd);
	}
	printf("]");
	if (cp->json_runs) {
		printf(", \"run_list\": [");
		for (i = 0; i < runs; i++)
			printf("%s{\"seed\": %" PRIu64 ", \"steps\": %lu, \"failed\": %s, \"hash\": \"%016" PRIx64 "\"}",
			       i ? ", " : "", digests[i].seed, digests[i].steps,
			       digests[i].failed ? "true" : "false", digests[i].hash);
		printf("]");
	}
	printf("}\n");
}

static void progress(const struct campaign *cp, unsigned long runs, unsigned long nf,
		     double secs, bool last)
{
	fprintf(stderr, "\r\033[Krace-fuzz: %s: %lu runs, %.1f runs/s, %lu failure%s",
		cp->cfg.scen->name, runs, secs > 0 ? runs / secs : 0.0, nf, nf == 1 ? "" : "s");
	if (last)
		fputs("\r\033[K", stderr);
}

int main(int argc, char **argv)
{
	struct campaign cp = { };
	struct failure *fails = NULL;
	struct run_digest *digests = NULL;
	unsigned long run, nf = 0;
	unsigned long long steps = 0;
	double start, last_progress = 0, secs;
	char steps_note[32] = "";
	int ret;

	parse_args(&cp, argc, argv);
	cur_campaign = &cp;
#ifdef FUZZ_ASAN
	/* A child sends its schedule itself (child.c). */
	if (!cp.cfg.fork)
		__asan_set_death_callback(asan_death);
#endif
	/* pr_warn()s of a long campaign are noise (reports carry the text); -v shows all. */
	zsim_set_loglevel(cp.cfg.quiet ? 3 : 8);
	start = now_s();
	calibrate_pct(&cp);
	for (run = 0; !cp.runs || run < cp.runs; run++) {
		struct fuzz_result r;

		secs = now_s() - start;
		if (cp.seconds && secs >= cp.seconds)
			break;
		if (cp.progress && secs - last_progress >= 0.25) {
			progress(&cp, run, nf, secs, false);
			last_progress = secs;
		}
		cur_seed = cp.replay ? cp.seed : cp.seed + run;
		ret = fuzz_run(&cp.cfg, cur_seed, cp.replay, &r);
		if (ret)
			exit(2);
		if (cp.replay && !run)
			check_replay_followed(&cp, &r);
		steps += r.steps;
		if (cp.json_runs) {
			struct run_digest *d = realloc(digests, (run + 1) * sizeof(*d));

			if (!d)
				out_of_memory();
			digests = d;
			d[run] = (struct run_digest){ .seed = cur_seed, .steps = r.steps,
						      .failed = r.failed,
						      .hash = fnv1a(r.schedule) };
		}
		if (r.failed) {
			fails = realloc(fails, (nf + 1) * sizeof(*fails));
			if (!fails)
				out_of_memory();
			if (cp.progress)
				progress(&cp, run + 1, nf + 1, now_s() - start, true);
			warn_dirty(&cp, &r);
			record_failure(&cp, &fails[nf++], run, &r);
			print_failure(&cp, &fails[nf - 1]);
		}
		fuzz_result_free(&r);
		if (nf && !cp.keep_going) {
			run++;
			break;
		}
	}
	secs = now_s() - start;
	if (cp.progress)
		progress(&cp, run, nf, secs, true);
	/* Steps are the controlled scheduler's decisions: free-running has none. */
	if (cp.cfg.o.controlled)
		snprintf(steps_note, sizeof(steps_note), ", %.0f steps/run",
			 run ? (double)steps / run : 0.0);
	fprintf(stderr, "race-fuzz: %s (%s, lifetime %s, zsmalloc %s, %s): %lu runs in %.1f s (%.1f runs/s%s), %lu failure%s\n",
		cp.cfg.scen->name, !cp.cfg.o.controlled ? "free-running" :
		cp.cfg.policy == ZSIM_SCHED_PCT ? "controlled pct" : "controlled random",
		cp.cfg.o.lifetime,
		cp.cfg.o.zsmalloc, cp.cfg.o.compressor, run, secs, secs > 0 ? run / secs : 0.0,
		steps_note, nf, nf == 1 ? "" : "s");
	if (cp.json)
		print_json(&cp, run, secs, steps, fails, nf, digests);
	free(digests);
	for (run = 0; run < nf; run++) {
		free(fails[run].schedule);
		free(fails[run].shrunk);
		free(fails[run].report);
		free(fails[run].replay_arg);
		free(fails[run].schedule_arg);
	}
	free(fails);
	free(cp.replay_sched);
	free(cp.replay_opts);
	return nf ? 1 : 0;
}
