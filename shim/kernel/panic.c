// SPDX-License-Identifier: GPL-2.0-only
/*
 * WARN and BUG (kernel/panic.c, lib/bug.c). A BUG kills the simulated task
 * that hit it, as an oops kills the current task: its locks stay held and
 * whoever waits for them will be reported as deadlocked.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/sched.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void __warn_printf(const char *file, int line, const char *fmt, ...)
{
	struct task_struct *t = current;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_report_begin(SIM_REPORT_WARN, "WARNING: CPU: %d PID: %d at %s:%d",
			 t ? t->cpu : -1, t ? t->pid : 0, file, line);
	if (msg[0])
		sim_report_printf("%s", msg);
	sim_report_backtrace();
	sim_report_end();
}

void __noreturn __bug(const char *file, int line, const char *cond)
{
	sim_report_begin(SIM_REPORT_BUG, "kernel BUG at %s:%d!", file, line);
	if (cond)
		sim_report_printf("BUG_ON(%s)", cond);
	sim_report_printf("Oops: invalid opcode: 0000 [#1] SMP");
	sim_report_backtrace();
	sim_report_end();
	if (!current)
		abort();
	sched_task_exit(-EFAULT);
}

void dump_stack(void)
{
	sim_report_backtrace();
}
