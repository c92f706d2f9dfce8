// SPDX-License-Identifier: GPL-2.0-only
/* WARN and BUG: reports, counters, and BUG killing the task. */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <sim/report.h>
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
		cmocka_unit_test(test_err_ptr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
