/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reports of kernel-detected problems: WARN, BUG, sleeping in atomic
 * context, lockdep, deadlock, leaks.
 *
 * Each report is printed to stderr with the task, its virtual CPU and a
 * backtrace, counted per kind, and the first one's text is kept so a test,
 * fuzzer or benchmark can assert that there were none or show what failed.
 */
#ifndef _SHIM_SIM_REPORT_H
#define _SHIM_SIM_REPORT_H

#include <linux/compiler.h>
#include <linux/types.h>

enum sim_report_kind {
	SIM_REPORT_WARN,	/* WARN_ON() and friends */
	SIM_REPORT_BUG,		/* BUG_ON(): the task is killed */
	SIM_REPORT_ATOMIC,	/* sleeping function called from invalid context */
	SIM_REPORT_PREEMPT,	/* smp_processor_id()/this_cpu_*() in preemptible code */
	SIM_REPORT_LOCKDEP,	/* lock order inversion, bad unlock, lockdep_assert */
	SIM_REPORT_RCU,		/* RCU usage errors */
	SIM_REPORT_DEADLOCK,	/* no task can run (controlled backend) */
	SIM_REPORT_LEAK,	/* objects left at teardown */
	SIM_REPORT_FAULT,	/* memory errors found by the shim's own checks */
	SIM_REPORT_NR
};

/* Start a report: prints "header" and the current task line. */
void sim_report_begin(enum sim_report_kind kind, const char *fmt, ...) __printf(2, 3);
/* Add a line to the report being written. */
void sim_report_printf(const char *fmt, ...) __printf(1, 2);
/* Print current's backtrace into the report. */
void sim_report_backtrace(void);
/* Print a saved stack (from backtrace()) into the report. */
void sim_report_stack(void *const *stack, int depth);
/* Finish the report. */
void sim_report_end(void);

unsigned long sim_report_count(enum sim_report_kind kind);
unsigned long sim_report_total(void);
/* Text of the first report since the machine started, or "" if none. */
const char *sim_report_first(void);
void sim_report_reset(void);
/* Suppress the printing of reports (they are still counted and kept). */
void sim_report_set_quiet(bool quiet);

#endif /* _SHIM_SIM_REPORT_H */
