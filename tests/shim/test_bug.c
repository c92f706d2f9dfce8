// SPDX-License-Identifier: GPL-2.0-only
/*
 * WARN and BUG: reports, counters, BUG killing the task, the backtrace in
 * the report text, VM_BUG_ON/VM_WARN_ON_ONCE and the printk level filter.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <sim/report.h>
#include <sim/sealed.h>
#include <string.h>

#include "zsim_test.h"

static int warn_some(void *arg)
{
	int i, hits = 0;

	for (i = 0; i < 5; i++) {
		if (WARN_ON(i % 2))
			hits++;
		WARN_ON_ONCE(i > 2);
	}
	if (WARN(0, "never printed"))
		hits += 100;
	return hits;
}

static void test_warn_counts(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 1);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_warnings(), 0);
	assert_int_equal(zsim_run(1, warn_some, NULL), 2);
	/* Two WARN_ON hits plus one WARN_ON_ONCE. */
	assert_int_equal(zsim_warnings(), 3);
	assert_non_null(strstr(zsim_first_report(), "WARNING: CPU: 1 PID:"));
	assert_non_null(strstr(zsim_first_report(), "test_bug.c"));
	assert_int_equal(zsim_machine_stop(), 3);
}

static int reached_after_bug;

static int hit_bug(void *arg)
{
	int x = (int)(long)arg;

	BUG_ON(x == 3);
	reached_after_bug = 1;
	return 0;
}

static void test_bug_kills_task(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 1);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, hit_bug, (void *)2L), 0);
	assert_int_equal(reached_after_bug, 1);
	reached_after_bug = 0;
	assert_int_equal(zsim_run(0, hit_bug, (void *)3L), -EFAULT);
	assert_int_equal(reached_after_bug, 0);
	assert_int_equal(sim_report_count(SIM_REPORT_BUG), 1);
	assert_non_null(strstr(zsim_first_report(), "kernel BUG at"));
	assert_non_null(strstr(zsim_first_report(), "BUG_ON(x == 3)"));
	/* The machine goes on after an oops. */
	assert_int_equal(zsim_run(1, hit_bug, (void *)1L), 0);
	assert_int_equal(zsim_machine_stop(), 1);
}

/* ---- the call trace is part of the report text ---- */

/*
 * Not static, so that backtrace_symbols() can name them (the test is
 * linked with -rdynamic); noinline so that each is a frame of its own.
 */
noinline int bug_trace_warner(void *arg);
noinline int bug_trace_oopser(void *arg);
noinline int bug_trace_sleeper(void *arg);
noinline int bug_trace_percpu_user(void *arg);

noinline int bug_trace_warner(void *arg)
{
	return WARN_ON(arg != NULL) ? 1 : 0;
}

/*
 * The BUG_ON() is one call down: its branch may sit in an unnamed .cold
 * part, but the return address into bug_trace_oopser() is named.
 */
static noinline int bug_trace_oops_inner(void *arg)
{
	BUG_ON(arg != NULL);
	return 0;
}

noinline int bug_trace_oopser(void *arg)
{
	int ret = bug_trace_oops_inner(arg);

	barrier();	/* not a tail call: this frame stays on the stack */
	return ret;
}

noinline int bug_trace_sleeper(void *arg)
{
	preempt_disable();
	might_sleep();
	preempt_enable();
	return 0;
}

noinline int bug_trace_percpu_user(void *arg)
{
	int __percpu *counters = alloc_percpu(int);

	if (!counters)
		return -ENOMEM;
	(*this_cpu_ptr(counters))++;	/* preemptible: reported */
	free_percpu(counters);
	return 0;
}

struct trace_case {
	int			(*fn)(void *arg);
	const char		*name;
	enum sim_report_kind	kind;
	int			ret;
};

static void test_report_has_call_trace(void **state)
{
	static const struct trace_case cases[] = {
		{ bug_trace_warner, "bug_trace_warner", SIM_REPORT_WARN, 1 },
		{ bug_trace_oopser, "bug_trace_oopser", SIM_REPORT_BUG, -EFAULT },
		{ bug_trace_sleeper, "bug_trace_sleeper", SIM_REPORT_ATOMIC, 0 },
		{ bug_trace_percpu_user, "bug_trace_percpu_user", SIM_REPORT_PREEMPT, 0 },
	};
	struct zsim_config cfg;
	const char *text, *trace;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		zsim_test_config(state, &cfg, 2, 3);
		cfg.quiet = true;
		assert_int_equal(zsim_machine_start(&cfg), 0);
		assert_int_equal(zsim_run(1, cases[i].fn, (void *)1L), cases[i].ret);
		assert_int_equal(sim_report_count(cases[i].kind), 1);
		text = zsim_first_report();
		trace = strstr(text, "Call Trace:");
		assert_non_null(trace);
		/* The function that hit the check is a frame of the trace. */
		assert_non_null(strstr(trace, cases[i].name));
		/* Bounded: a trace is at most a few kilobytes of text. */
		assert_true(strlen(trace) < 32 * ZSIM_FRAME_LINE_MAX + 64);
		zsim_machine_stop();
	}
}

/* ---- CONFIG_DEBUG_VM checks ---- */

static int vm_checks(void *arg)
{
	int i, hits = 0;

	for (i = 0; i < 4; i++)
		if (VM_WARN_ON_ONCE(i >= 1))
			hits++;
	VM_BUG_ON(arg != NULL);
	return hits + 100;
}

static void test_vm_checks(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 1);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	/* The condition is returned each time, the report made once. */
	assert_int_equal(zsim_run(0, vm_checks, NULL), 103);
	assert_int_equal(zsim_warnings(), 1);
	assert_int_equal(sim_report_count(SIM_REPORT_BUG), 0);
	assert_int_equal(zsim_run(0, vm_checks, (void *)1L), -EFAULT);
	assert_int_equal(sim_report_count(SIM_REPORT_BUG), 1);
	/* A second run of the same site does not warn again. */
	assert_int_equal(zsim_warnings(), 1);
	assert_int_equal(zsim_machine_stop(), 2);
}

/* ---- printk levels ---- */

static void test_printk_levels(void **state)
{
	int saved = console_loglevel;

	/* printk() returns the characters written; 0 if filtered out. */
	zsim_set_loglevel(4);	/* KERN_WARNING and below are hidden */
	assert_true(pr_err("test_bug: pr_err shown at loglevel 4\n") > 0);
	assert_int_equal(pr_warn("test_bug: pr_warn hidden\n"), 0);
	assert_int_equal(pr_info("test_bug: pr_info hidden\n"), 0);
	assert_int_equal(printk("test_bug: default level (4) hidden\n"), 0);
	/* KERN_CONT continues at the previous message's level. */
	assert_int_equal(pr_cont("hidden too\n"), 0);
	zsim_set_loglevel(8);	/* everything is shown */
	assert_true(pr_info("test_bug: pr_info shown at loglevel 8\n") > 0);
	assert_true(pr_cont("and its continuation\n") > 0);
	zsim_set_loglevel(0);
	assert_int_equal(pr_emerg("test_bug: even pr_emerg hidden at 0\n"), 0);
	zsim_set_loglevel(saved);
}

static void test_err_ptr(void **state)
{
	void *p = ERR_PTR(-ENOMEM);

	assert_true(IS_ERR(p));
	assert_int_equal(PTR_ERR(p), -ENOMEM);
	assert_true(IS_ERR_OR_NULL(NULL));
	assert_false(IS_ERR_OR_NULL(&p));
	assert_int_equal(PTR_ERR_OR_ZERO(&p), 0);
	assert_int_equal(PTR_ERR_OR_ZERO(ERR_PTR(-EIO)), -EIO);
	assert_int_equal(min(3, 5), 3);
	assert_int_equal(max(3u, 5u), 5);
	assert_int_equal(clamp(9, 1, 4), 4);
	assert_int_equal(DIV_ROUND_UP(9, 4), 3);
	assert_int_equal(ALIGN(13, 8), 16);
	assert_int_equal(round_up(17, 16), 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_warn_counts),
		ZSIM_TEST_BOTH(test_bug_kills_task),
		ZSIM_TEST_BOTH(test_report_has_call_trace),
		ZSIM_TEST_FREE(test_vm_checks),
		cmocka_unit_test(test_printk_levels),
		cmocka_unit_test(test_err_ptr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
