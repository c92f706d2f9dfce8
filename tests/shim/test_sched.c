// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduling layer: tasks on virtual CPUs, one task per CPU at a time,
 * preemption and migration points, sleeping with timeouts, and the
 * controlled backend's determinism, replay and deadlock detection.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/wait.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <stdio.h>
#include <string.h>

#include "zsim_test.h"

static int report_cpu(void *arg)
{
	return raw_smp_processor_id();
}

static void test_runs_on_requested_cpu(void **state)
{
	int cpu;

	zsim_test_boot(state, 8, 1);
	for (cpu = 0; cpu < 8; cpu++)
		assert_int_equal(zsim_run(cpu, report_cpu, NULL), cpu);
	assert_int_equal(zsim_run(8, report_cpu, NULL), -EINVAL);
	zsim_test_shutdown_clean();
}

static void test_nr_cpus_range(void **state)
{
	static const unsigned int sizes[] = { 1, 2, 64, 256 };
	struct zsim_config cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		zsim_test_config(state, &cfg, sizes[i], 7);
		assert_int_equal(zsim_machine_start(&cfg), 0);
		assert_int_equal(nr_cpu_ids, sizes[i]);
		assert_int_equal(num_online_cpus(), sizes[i]);
		assert_int_equal(zsim_run(sizes[i] - 1, report_cpu, NULL), (int)sizes[i] - 1);
		zsim_test_shutdown_clean();
	}
	zsim_test_config(state, &cfg, 257, 7);
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
	zsim_test_config(state, &cfg, 0, 7);
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
}

/* Each task checks that nobody else occupies its CPU between points. */
struct occupancy {
	int		occupied[NR_CPUS];
	int		violations;
	int		migrations;
	int		iterations;
};

static int occupy(void *arg)
{
	struct occupancy *o = arg;
	int i, last = raw_smp_processor_id();

	for (i = 0; i < o->iterations; i++) {
		int cpu = raw_smp_processor_id();
		int k;

		if (cpu != last)
			__atomic_fetch_add(&o->migrations, 1, __ATOMIC_RELAXED);
		last = cpu;
		if (__atomic_add_fetch(&o->occupied[cpu], 1, __ATOMIC_SEQ_CST) != 1)
			__atomic_fetch_add(&o->violations, 1, __ATOMIC_RELAXED);
		for (k = 0; k < 50; k++)
			barrier();
		__atomic_fetch_sub(&o->occupied[cpu], 1, __ATOMIC_SEQ_CST);
		sched_point();
	}
	return 0;
}

static void test_one_task_per_cpu(void **state)
{
	static struct occupancy o;
	struct zsim_task *t[6];
	struct zsim_config cfg;
	int i;

	memset(&o, 0, sizeof(o));
	o.iterations = 2000;
	zsim_test_config(state, &cfg, 3, 11);
	cfg.migrate_permille = 50;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	for (i = 0; i < 6; i++)
		assert_non_null(t[i] = zsim_spawn(i % 3, occupy, &o, "occupy"));
	for (i = 0; i < 6; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(o.violations, 0);
	assert_true(o.migrations > 0);
	zsim_test_shutdown_clean();
}

/* No migration inside preempt_disable() or migrate_disable(). */
struct pinned {
	int iterations;
	int moved;
};

static int stay_pinned(void *arg)
{
	struct pinned *p = arg;
	int i, cpu;

	for (i = 0; i < p->iterations; i++) {
		preempt_disable();
		cpu = smp_processor_id();
		sched_point();
		if (smp_processor_id() != cpu)
			p->moved++;
		preempt_enable();

		migrate_disable();
		cpu = smp_processor_id();
		cond_resched();
		if (smp_processor_id() != cpu)
			p->moved++;
		migrate_enable();
	}
	return 0;
}

static void test_no_migration_when_pinned(void **state)
{
	struct pinned p = { .iterations = 500 };
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 4, 3);
	cfg.migrate_permille = 500;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(1, stay_pinned, &p), 0);
	assert_int_equal(p.moved, 0);
	zsim_test_shutdown_clean();
}

static int use_cpu_id_preemptible(void *arg)
{
	return smp_processor_id();
}

static void test_smp_processor_id_preemptible_reported(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 1);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(1, use_cpu_id_preemptible, NULL), 1);
	assert_int_equal(sim_report_count(SIM_REPORT_PREEMPT), 1);
	assert_non_null(strstr(zsim_first_report(), "smp_processor_id() in preemptible"));
	assert_int_equal(zsim_machine_stop(), 1);
}

static int sleep_in_atomic(void *arg)
{
	preempt_disable();
	might_sleep();
	preempt_enable();
	return 0;
}

static void test_might_sleep_in_atomic(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 1);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, sleep_in_atomic, NULL), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_ATOMIC), 1);
	assert_non_null(strstr(zsim_first_report(),
			       "sleeping function called from invalid context"));
	zsim_machine_stop();
}

static int sleep_a_while(void *arg)
{
	u64 *slept = arg;
	u64 start = sched_clock_ns();
	long left;

	left = schedule_timeout_uninterruptible(msecs_to_jiffies(20));
	*slept = sched_clock_ns() - start;
	return (int)left;
}

static void test_schedule_timeout(void **state)
{
	u64 slept = 0;

	zsim_test_boot(state, 2, 5);
	assert_int_equal(zsim_run(1, sleep_a_while, &slept), 0);
	assert_true(slept >= 20ULL * 1000 * 1000);
	zsim_test_shutdown_clean();
}

/* An interleaving-sensitive program: tasks append their ids to a log. */
struct interleave {
	char	log[4096];
	int	len;
};

static struct interleave il;

static int append_ids(void *arg)
{
	int id = (int)(long)arg;
	int i;

	for (i = 0; i < 40; i++) {
		int pos = il.len;

		sched_point();
		il.log[pos] = 'a' + id;
		il.len = pos + 1;	/* racy on purpose: lost updates show */
	}
	return 0;
}

static void run_interleave(const struct zsim_config *cfg, char *schedule, size_t len)
{
	struct zsim_task *t[4];
	long i;

	memset(&il, 0, sizeof(il));
	assert_int_equal(zsim_machine_start(cfg), 0);
	for (i = 0; i < 4; i++)
		assert_non_null(t[i] = zsim_spawn(i, append_ids, (void *)i, "append"));
	for (i = 0; i < 4; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	zsim_test_shutdown_clean();
	snprintf(schedule, len, "%s", zsim_schedule());
}

static void test_controlled_determinism_and_replay(void **state)
{
	char log1[4096], log2[4096], sched1[8192], sched2[8192], sched3[8192];
	struct zsim_config cfg;
	int policy;

	for (policy = ZSIM_SCHED_RANDOM; policy <= ZSIM_SCHED_PCT; policy++) {
		zsim_test_config(state, &cfg, 4, 1234);
		cfg.policy = policy;
		cfg.pct_steps = 300;
		run_interleave(&cfg, sched1, sizeof(sched1));
		memcpy(log1, il.log, sizeof(log1));
		assert_true(strlen(sched1) > 5);

		/* Same seed: same decisions, same outcome. */
		run_interleave(&cfg, sched2, sizeof(sched2));
		assert_string_equal(sched1, sched2);
		assert_memory_equal(log1, il.log, sizeof(log1));

		/* Another seed: another interleaving. */
		cfg.seed = 99;
		run_interleave(&cfg, sched2, sizeof(sched2));
		memcpy(log2, il.log, sizeof(log2));
		assert_string_not_equal(sched1, sched2);

		/* Replay from the string alone (its seed is inside). */
		zsim_test_config(state, &cfg, 4, 5555);
		cfg.replay = sched1;
		run_interleave(&cfg, sched3, sizeof(sched3));
		assert_string_equal(sched1, sched3);
		assert_memory_equal(log1, il.log, sizeof(log1));
		(void)log2;
	}
}

static void test_bad_replay_string(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 1);
	cfg.replay = "z1:10:0*2.?";
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
	cfg.replay = "nonsense";
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
	assert_false(zsim_machine_running());
}

static DECLARE_WAIT_QUEUE_HEAD(never_wq);
static int never;

static int wait_forever(void *arg)
{
	wait_event(never_wq, READ_ONCE(never));
	return 0;
}

static void test_deadlock_detected(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 8);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(1, wait_forever, NULL), -EDEADLK);
	assert_int_equal(sim_report_count(SIM_REPORT_DEADLOCK), 1);
	assert_non_null(strstr(zsim_first_report(), "task zsim_run/"));
	assert_non_null(strstr(zsim_first_report(), "wait_event(READ_ONCE(never)) at "));
	assert_non_null(strstr(zsim_first_report(), "replay with schedule z1:"));
	zsim_machine_stop();
	/* The next machine starts clean. */
	zsim_test_boot(state, 2, 8);
	assert_int_equal(zsim_run(1, report_cpu, NULL), 1);
	zsim_test_shutdown_clean();
}

static int spin_forever(void *arg)
{
	for (;;)
		sched_point();
	return 0;
}

static void test_step_limit(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 8);
	cfg.max_steps = 5000;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(1, spin_forever, NULL), -ENOEXEC);
	assert_true(zsim_steps() > 5000);
	zsim_machine_stop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_runs_on_requested_cpu),
		ZSIM_TEST_BOTH(test_nr_cpus_range),
		ZSIM_TEST_BOTH(test_one_task_per_cpu),
		ZSIM_TEST_BOTH(test_no_migration_when_pinned),
		ZSIM_TEST_BOTH(test_smp_processor_id_preemptible_reported),
		ZSIM_TEST_BOTH(test_might_sleep_in_atomic),
		ZSIM_TEST_BOTH(test_schedule_timeout),
		ZSIM_TEST_CONTROLLED(test_controlled_determinism_and_replay),
		ZSIM_TEST_CONTROLLED(test_bad_replay_string),
		ZSIM_TEST_CONTROLLED(test_deadlock_detected),
		ZSIM_TEST_CONTROLLED(test_step_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
