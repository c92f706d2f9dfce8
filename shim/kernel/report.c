// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulator's report channel (not a kernel file): every problem the
 * shim detects is printed as the kernel would print it, with the task and
 * virtual CPU, counted per kind, and the first report's text is kept for
 * the test, fuzzer or tool that asks. Reports are serialised so that
 * concurrent ones do not interleave.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <sim/report.h>
#include <sim/sealed.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define FIRST_REPORT_MAX	16384
/* Frames of a backtrace shown in a report. */
#define REPORT_FRAMES		32

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t report_owner;
static int report_depth;
static unsigned long report_counts[SIM_REPORT_NR];
static char first_report[FIRST_REPORT_MAX];
static size_t first_len;
static bool capturing;
static bool quiet;

static void emit(const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	if (!quiet) {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	if (capturing && first_len < FIRST_REPORT_MAX - 1) {
		int n = vsnprintf(first_report + first_len, FIRST_REPORT_MAX - first_len, fmt, copy);

		if (n > 0)
			first_len = min(first_len + n, (size_t)FIRST_REPORT_MAX - 2);
		first_report[first_len++] = '\n';
		first_report[first_len] = '\0';
	}
	va_end(copy);
}

static void emitf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(fmt, ap);
	va_end(ap);
}

void sim_report_begin(enum sim_report_kind kind, const char *fmt, ...)
{
	struct task_struct *t = current;
	va_list ap;

	/* A report may be nested in another (a WARN inside a report helper). */
	if (report_depth && pthread_equal(report_owner, pthread_self())) {
		report_depth++;
	} else {
		pthread_mutex_lock(&report_lock);
		report_owner = pthread_self();
		report_depth = 1;
	}
	__atomic_fetch_add(&report_counts[kind], 1, __ATOMIC_RELAXED);
	if (report_depth == 1) {
		capturing = first_len == 0;
		if (!quiet)
			fputs("------------[ zswapsim report ]------------\n", stderr);
	}
	va_start(ap, fmt);
	emit(fmt, ap);
	va_end(ap);
	if (t)
		emitf("CPU: %d PID: %d Comm: %s", t->cpu, t->pid, t->comm);
	else
		emitf("(not a simulated task)");
}

void sim_report_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(fmt, ap);
	va_end(ap);
}

static void emit_frame(void *arg, const char *line)
{
	emitf(" %s", line);
}

/*
 * The frames go into the report text like every other line, so that
 * zsim_first_report() shows them. Bounded: at most REPORT_FRAMES frames,
 * each line cut at FRAME_LINE_MAX characters by the sealed formatter.
 */
void sim_report_stack(void *const *stack, int depth)
{
	emitf("Call Trace:");
	zsim_backtrace_lines(stack, min(depth, REPORT_FRAMES), emit_frame, NULL);
}

void sim_report_backtrace(void)
{
	void *stack[REPORT_FRAMES + 1];
	int depth = zsim_backtrace(stack, REPORT_FRAMES + 1);

	/* Frame 0 is this function. */
	if (depth > 1)
		sim_report_stack(stack + 1, depth - 1);
	else
		emitf("Call Trace: (unavailable)");
}

void sim_report_end(void)
{
	if (--report_depth > 0)
		return;
	if (!quiet)
		fputs("---[ end zswapsim report ]---\n", stderr);
	capturing = false;
	pthread_mutex_unlock(&report_lock);
}

unsigned long sim_report_count(enum sim_report_kind kind)
{
	return __atomic_load_n(&report_counts[kind], __ATOMIC_RELAXED);
}

unsigned long sim_report_total(void)
{
	unsigned long sum = 0;
	int k;

	for (k = 0; k < SIM_REPORT_NR; k++)
		sum += sim_report_count(k);
	return sum;
}

const char *sim_report_first(void)
{
	return first_report;
}

void sim_report_reset(void)
{
	pthread_mutex_lock(&report_lock);
	memset(report_counts, 0, sizeof(report_counts));
	first_len = 0;
	first_report[0] = '\0';
	pthread_mutex_unlock(&report_lock);
}

void sim_report_set_quiet(bool q)
{
	quiet = q;
}

unsigned long zsim_warnings(void)
{
	return sim_report_count(SIM_REPORT_WARN);
}

unsigned long zsim_reports(void)
{
	return sim_report_total();
}

const char *zsim_first_report(void)
{
	return sim_report_first();
}
