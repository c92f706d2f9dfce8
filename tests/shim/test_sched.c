// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduling layer: tasks on virtual CPUs, one task per CPU at a time,
 * preemption and migration points, sleeping with timeouts, and the
 * controlled backend's determinism, replay and deadlock detection.
 */
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/time64.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <asm/barrier.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
	/* Values no enum has. */
	zsim_test_config(state, &cfg, 2, 7);
	cfg.backend = (enum zsim_backend)5;
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
	zsim_test_config(state, &cfg, 2, 7);
	cfg.policy = (enum zsim_policy)9;
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
	zsim_test_config(state, &cfg, 2, 7);
	cfg.timing = (enum zsim_timing)42;
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
	/* More RAM than the host could map a struct page for. */
	zsim_test_config(state, &cfg, 2, 7);
	cfg.ram_bytes = ZSIM_MAX_RAM_BYTES + 4096;
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
	cfg.ram_bytes = 1ULL << 62;
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
	assert_false(zsim_machine_running());
}

/* ZSWAPSIM_* numbers: cut off, negative or out of range is refused. */
static void test_config_env_numbers(void **state)
{
	static const char *const bad_cpus[] = { "4294967297", "-1", "2x", "99999999999999999999" };
	struct zsim_config cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_cpus); i++) {
		zsim_config_init(&cfg);
		cfg.nr_cpus = 3;
		setenv("ZSWAPSIM_CPUS", bad_cpus[i], 1);
		assert_int_equal(zsim_config_from_env(&cfg), -EINVAL);
		assert_int_equal(cfg.nr_cpus, 3);
	}
	setenv("ZSWAPSIM_CPUS", "0x4", 1);
	assert_int_equal(zsim_config_from_env(&cfg), 0);
	assert_int_equal(cfg.nr_cpus, 4);
	unsetenv("ZSWAPSIM_CPUS");
	setenv("ZSWAPSIM_LOCKDEP", "2", 1);
	assert_int_equal(zsim_config_from_env(&cfg), -EINVAL);
	unsetenv("ZSWAPSIM_LOCKDEP");
	setenv("ZSWAPSIM_SEED", "-5", 1);
	assert_int_equal(zsim_config_from_env(&cfg), -EINVAL);
	setenv("ZSWAPSIM_SEED", "18446744073709551615", 1);
	assert_int_equal(zsim_config_from_env(&cfg), 0);
	assert_true(cfg.seed == UINT64_MAX);
	unsetenv("ZSWAPSIM_SEED");
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
		/*
		 * Preemption off: the task keeps its CPU across the point in
		 * the window, while the other CPUs' tasks run (controlled) so
		 * that one put on this CPU would be seen.
		 */
		preempt_disable();
		if (__atomic_add_fetch(&o->occupied[cpu], 1, __ATOMIC_SEQ_CST) != 1)
			__atomic_fetch_add(&o->violations, 1, __ATOMIC_RELAXED);
		for (k = 0; k < 50; k++)
			barrier();
		sched_point();
		if (raw_smp_processor_id() != cpu)
			__atomic_fetch_add(&o->violations, 1, __ATOMIC_RELAXED);
		__atomic_fetch_sub(&o->occupied[cpu], 1, __ATOMIC_SEQ_CST);
		preempt_enable();
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

		/* Another seed: another interleaving, another outcome. */
		cfg.seed = 99;
		run_interleave(&cfg, sched2, sizeof(sched2));
		memcpy(log2, il.log, sizeof(log2));
		assert_string_not_equal(sched1, sched2);
		assert_memory_not_equal(log1, log2, sizeof(log1));

		/* Replay from the string alone (its seed is inside). */
		zsim_test_config(state, &cfg, 4, 5555);
		cfg.replay = sched1;
		run_interleave(&cfg, sched3, sizeof(sched3));
		assert_string_equal(sched1, sched3);
		assert_memory_equal(log1, il.log, sizeof(log1));
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

/*
 * Replay across processes: a child (this binary, re-executed with
 * ZSIM_TEST_SCHED_CHILD set) runs the interleaving and prints its schedule
 * string and outcome; the parent replays the string and must get both.
 */
#define CHILD_ENV	"ZSIM_TEST_SCHED_CHILD"

static int interleave_child(void)
{
	struct zsim_task *t[4];
	struct zsim_config cfg;
	long i;

	zsim_config_init(&cfg);
	cfg.backend = ZSIM_CONTROLLED;
	cfg.nr_cpus = 4;
	cfg.seed = strtoull(getenv(CHILD_ENV), NULL, 0);
	cfg.policy = ZSIM_SCHED_PCT;
	cfg.pct_steps = 300;
	memset(&il, 0, sizeof(il));
	if (zsim_machine_start(&cfg))
		return 1;
	for (i = 0; i < 4; i++)
		t[i] = zsim_spawn(i, append_ids, (void *)i, "append");
	for (i = 0; i < 4; i++)
		if (zsim_join(t[i]))
			return 1;
	if (zsim_machine_stop())
		return 1;
	printf("%s\n%.*s\n", zsim_schedule(), il.len, il.log);
	return 0;
}

static void test_replay_in_another_process(void **state)
{
	static char out[16384];
	char sched2[8192], *nl, *log;
	char *argv[] = { "test_sched", NULL };
	posix_spawn_file_actions_t fa;
	struct zsim_config cfg;
	extern char **environ;
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(setenv(CHILD_ENV, "0x7e57", 1), 0);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO), 0);
	assert_int_equal(posix_spawn_file_actions_addclose(&fa, fds[0]), 0);
	assert_int_equal(posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	unsetenv(CHILD_ENV);
	close(fds[1]);
	while ((n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += n;
	close(fds[0]);
	out[len] = '\0';
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* "<schedule>\n<log>\n" */
	nl = strchr(out, '\n');
	assert_non_null(nl);
	*nl = '\0';
	log = nl + 1;
	nl = strchr(log, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_true(strncmp(out, "z1:7e57:", 8) == 0);
	assert_true(strlen(log) > 40);

	zsim_test_config(state, &cfg, 4, 1);
	cfg.policy = ZSIM_SCHED_RANDOM;	/* the string decides, not the policy */
	cfg.replay = out;
	run_interleave(&cfg, sched2, sizeof(sched2));
	assert_string_equal(out, sched2);
	assert_int_equal(il.len, (int)strlen(log));
	assert_memory_equal(il.log, log, il.len);
}

/* Contended spinlocks under PCT: the holder must run again. */
static DEFINE_SPINLOCK(pct_lock);
static int pct_counter;

static int lock_loop(void *arg)
{
	int i;

	for (i = 0; i < 100; i++) {
		spin_lock(&pct_lock);
		pct_counter++;
		sched_point();	/* others run, and find the lock taken */
		spin_unlock(&pct_lock);
	}
	return 0;
}

static void pct_config(void **state, struct zsim_config *cfg, u64 seed)
{
	zsim_test_config(state, cfg, 2, seed);
	cfg->policy = ZSIM_SCHED_PCT;
	cfg->pct_depth = 3;
	cfg->pct_steps = 600;
	cfg->max_steps = 200000;	/* a livelock fails fast */
}

static void test_pct_spinlock_progress(void **state)
{
	struct zsim_task *t[3];
	struct zsim_config cfg;
	u64 seed;
	int i;

	for (seed = 1; seed <= 60; seed++) {
		pct_config(state, &cfg, seed);
		pct_counter = 0;
		assert_int_equal(zsim_machine_start(&cfg), 0);
		for (i = 0; i < 3; i++)
			assert_non_null(t[i] = zsim_spawn(i % 2, lock_loop, NULL, "locker"));
		for (i = 0; i < 3; i++)
			assert_int_equal(zsim_join(t[i]), 0);
		assert_int_equal(pct_counter, 300);
		zsim_test_shutdown_clean();
	}
}

/* smp_cond_load_acquire() under PCT: the setter must get to run. */
struct handshake {
	int	flag;
	int	data;
};

static int cond_waiter(void *arg)
{
	struct handshake *h = arg;

	if (smp_cond_load_acquire(&h->flag, VAL != 0) != 1)
		return -1;
	return READ_ONCE(h->data) == 42 ? 0 : -2;
}

static int cond_setter(void *arg)
{
	struct handshake *h = arg;
	int i;

	for (i = 0; i < 20; i++)
		sched_point();
	WRITE_ONCE(h->data, 42);
	smp_store_release(&h->flag, 1);
	return 0;
}

/*
 * ":stay" strings (zsim_schedule_stay()): decisions relative to "no
 * preemption", and none once they run out.
 */
static void test_stay_replay(void **state)
{
	char log1[4096], sched1[8192], stay1[8192], sched2[8192], stay2[8192];
	struct handshake h = { };
	struct zsim_task *t[2];
	struct zsim_config cfg;
	int i;

	zsim_test_config(state, &cfg, 4, 1234);
	run_interleave(&cfg, sched1, sizeof(sched1));
	snprintf(stay1, sizeof(stay1), "%s", zsim_schedule_stay());
	memcpy(log1, il.log, sizeof(log1));
	assert_non_null(strstr(stay1, ":stay"));
	assert_string_not_equal(sched1, stay1);

	/* The relative form replays the same run, and is what it records. */
	cfg.replay = stay1;
	run_interleave(&cfg, stay2, sizeof(stay2));
	assert_string_equal(stay1, stay2);
	assert_memory_equal(log1, il.log, sizeof(log1));

	/* No decisions: every task runs its loop without being preempted. */
	cfg.replay = "z1:4d2::stay";
	run_interleave(&cfg, sched2, sizeof(sched2));
	assert_int_equal(il.len, 160);
	for (i = 0; i < 160; i++)
		assert_int_equal(il.log[i], il.log[i - i % 40]);

	/* A spin-waiter hands on: the setter runs, no livelock. */
	cfg.replay = "z1:1::stay";
	cfg.max_steps = 100000;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_non_null(t[0] = zsim_spawn(0, cond_waiter, &h, "waiter"));
	assert_non_null(t[1] = zsim_spawn(1, cond_setter, &h, "setter"));
	assert_int_equal(zsim_join(t[0]), 0);
	assert_int_equal(zsim_join(t[1]), 0);
	zsim_test_shutdown_clean();

	/* A plain string keeps its meaning: the policy after its end. */
	zsim_test_config(state, &cfg, 4, 1234);
	cfg.replay = sched1;
	run_interleave(&cfg, sched2, sizeof(sched2));
	assert_string_equal(sched1, sched2);
	assert_memory_equal(log1, il.log, sizeof(log1));
}

static void test_pct_cond_load_progress(void **state)
{
	struct zsim_task *w, *s;
	struct zsim_config cfg;
	struct handshake h;
	u64 seed;

	for (seed = 1; seed <= 60; seed++) {
		pct_config(state, &cfg, seed);
		cfg.pct_depth = 1;	/* no change point rescues a spinning waiter */
		memset(&h, 0, sizeof(h));
		assert_int_equal(zsim_machine_start(&cfg), 0);
		assert_non_null(w = zsim_spawn(0, cond_waiter, &h, "waiter"));
		assert_non_null(s = zsim_spawn(1, cond_setter, &h, "setter"));
		assert_int_equal(zsim_join(w), 0);
		assert_int_equal(zsim_join(s), 0);
		zsim_test_shutdown_clean();
	}
}

/* Every one of the d-1 PCT change points is applied, whoever picks. */
static int points_loop(void *arg)
{
	int i;

	for (i = 0; i < 300; i++)
		sched_point();
	return 0;
}

static void test_pct_change_points(void **state)
{
	static const unsigned long steps[] = { 1, 2, 50, 400 };
	struct zsim_task *t[3];
	struct zsim_config cfg;
	unsigned int k;
	int i;

	for (k = 0; k < ARRAY_SIZE(steps); k++) {
		zsim_test_config(state, &cfg, 2, 17 + k);
		cfg.policy = ZSIM_SCHED_PCT;
		cfg.pct_depth = 4;
		cfg.pct_steps = steps[k];
		assert_int_equal(zsim_machine_start(&cfg), 0);
		for (i = 0; i < 3; i++)
			assert_non_null(t[i] = zsim_spawn(i % 2, points_loop, NULL, "points"));
		for (i = 0; i < 3; i++)
			assert_int_equal(zsim_join(t[i]), 0);
		assert_true(zsim_steps() > steps[k]);
		assert_int_equal(sched_pct_changes(), 3);
		zsim_test_shutdown_clean();
	}
}

/* The hang limit counts timeouts since the last progress, not from boot. */
static int periodic_job(void *arg)
{
	int i;

	for (i = 0; i < 4000; i++)
		msleep(1000);
	return 42;
}

static DECLARE_WAIT_QUEUE_HEAD(poll_wq);
static int poll_flag;

static int poll_forever(void *arg)
{
	for (;;)
		if (wait_event_timeout(poll_wq, READ_ONCE(poll_flag), HZ))
			return 0;
}

static void test_hang_limit_since_progress(void **state)
{
	struct zsim_config cfg;

	zsim_test_boot(state, 2, 3);
	assert_int_equal(zsim_run(0, periodic_job, NULL), 42);
	assert_true(sched_clock_ns() > 4000ULL * NSEC_PER_SEC);
	/* Past the hour since boot, a further sleep is still no hang. */
	assert_int_equal(zsim_run(1, periodic_job, NULL), 42);
	zsim_test_shutdown_clean();

	zsim_test_config(state, &cfg, 2, 3);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(1, poll_forever, NULL), -ETIMEDOUT);
	assert_int_equal(sim_report_count(SIM_REPORT_DEADLOCK), 1);
	assert_non_null(strstr(zsim_first_report(), "BUG: hang"));
	zsim_machine_stop();
}

/* A decision that cannot be recorded makes the string unreplayable. */
static void test_truncated_schedule(void **state)
{
	struct zsim_task *t[4];
	struct zsim_config cfg;
	char sched1[128];
	long i;

	zsim_test_config(state, &cfg, 4, 21);
	assert_int_equal(zsim_machine_start(&cfg), 0);
	/* The record's second growth, past 1024 decisions, fails. */
	assert_int_equal(zsim_fault_set("sched_trace", 0, 0, 2), 0);
	for (i = 0; i < 4; i++)
		assert_non_null(t[i] = zsim_spawn(i, points_loop, NULL, "points"));
	for (i = 0; i < 4; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(zsim_fault_injected("sched_trace"), 1);
	snprintf(sched1, sizeof(sched1), "%s", zsim_schedule());
	zsim_test_shutdown_clean();
	assert_string_equal(sched1, "z1:15:!truncated");

	zsim_test_config(state, &cfg, 4, 1);
	cfg.replay = sched1;
	assert_int_equal(zsim_machine_start(&cfg), -EINVAL);
	assert_false(zsim_machine_running());
}

/* Per-task virtual clocks. */
struct clocks {
	u64	charged;	/* advance over sched_charge_ns(12345) */
	u64	delayed;	/* over udelay(7) */
	u64	slept;		/* over msleep(20) */
	u64	at_exit;
};

static int clock_task(void *arg)
{
	struct clocks *c = arg;
	u64 t0;
	int i;

	for (i = 0; i < 10 + task_pid_nr(current) % 7; i++)
		sched_point();
	t0 = sched_task_clock_ns(current);
	sched_charge_ns(12345);
	c->charged = sched_task_clock_ns(current) - t0;
	t0 = sched_task_clock_ns(current);
	udelay(7);
	c->delayed = sched_task_clock_ns(current) - t0;
	t0 = sched_task_clock_ns(current);
	msleep(20);
	c->slept = sched_task_clock_ns(current) - t0;
	WRITE_ONCE(c->at_exit, sched_task_clock_ns(current));
	return 0;
}

static int wait_clock_task(void *arg)
{
	struct clocks *c = arg;

	while (!READ_ONCE(c->at_exit))
		msleep(1);
	return 0;
}

static void run_clocks(void **state, struct clocks *c, u64 *read_after)
{
	struct zsim_task *t[3];
	int i;

	zsim_test_boot(state, 2, 77);
	memset(c, 0, 3 * sizeof(*c));
	for (i = 0; i < 3; i++)
		assert_non_null(t[i] = zsim_spawn(i % 2, clock_task, &c[i], "clock"));
	assert_int_equal(zsim_join(t[0]), 0);
	assert_int_equal(zsim_join(t[1]), 0);
	/* t[2]'s clock read after it finished, before its join. */
	assert_int_equal(zsim_run(0, wait_clock_task, &c[2]), 0);
	*read_after = zsim_task_clock_ns(t[2]);
	assert_int_equal(zsim_join(t[2]), 0);
	zsim_test_shutdown_clean();
}

static void test_task_clock(void **state)
{
	struct clocks c1[3], c2[3];
	u64 after1, after2;
	int i;

	run_clocks(state, c1, &after1);
	for (i = 0; i < 3; i++) {
		assert_true(c1[i].charged >= 12345);
		assert_true(c1[i].delayed >= 7000);
		assert_true(c1[i].slept >= 20ULL * NSEC_PER_MSEC);
	}
	assert_true(after1 >= c1[2].at_exit);
	if (zsim_test_backend(state) != ZSIM_CONTROLLED)
		return;
	/* Controlled: exact, stopped at exit, and a function of the seed. */
	for (i = 0; i < 3; i++) {
		assert_int_equal(c1[i].charged, 12345);
		assert_int_equal(c1[i].delayed, 7000);
		assert_true(c1[i].slept < 21ULL * NSEC_PER_MSEC);
	}
	assert_true(after1 - c1[2].at_exit <= 1000);
	run_clocks(state, c2, &after2);
	assert_memory_equal(c1, c2, sizeof(c1));
	assert_int_equal(after1, after2);
}

/*
 * A task whose CPU is held by a non-preemptible spinner moves to an idle
 * CPU, as idle balancing would: the spinner waits inside
 * preempt_disable() on CPU 1 for a flag that a task of CPU 1 sets after a
 * short sleep (started first, so that its thread exists before the
 * spinner holds up RCU grace periods in the free-running backend).
 */
static int flag_setter;

static int spin_for_flag(void *arg)
{
	u64 start = sched_clock_ns();
	long spins = 0;

	preempt_disable();
	while (!READ_ONCE(flag_setter)) {
		if (sim_controlled() ? ++spins > 1000000 :
		    sched_clock_ns() - start > 2 * NSEC_PER_SEC)
			break;
		sched_point();
	}
	preempt_enable();
	return READ_ONCE(flag_setter) ? 0 : -ETIMEDOUT;
}

static int set_flag(void *arg)
{
	msleep(5);
	WRITE_ONCE(flag_setter, 1);
	return 0;
}

static void test_idle_balance(void **state)
{
	struct zsim_task *spinner, *setter;
	uint64_t seed;

	for (seed = 1; seed <= 10; seed++) {
		flag_setter = 0;
		zsim_test_boot(state, 2, seed);
		assert_non_null(setter = zsim_spawn(1, set_flag, NULL, "setter"));
		assert_non_null(spinner = zsim_spawn(1, spin_for_flag, NULL, "spinner"));
		assert_int_equal(zsim_join(spinner), 0);
		assert_int_equal(zsim_join(setter), 0);
		zsim_test_shutdown_clean();
	}
}

/*
 * zsim_machine_stop() lets a task that nobody joined run to its end before
 * it tears the machine down (in the free-running backend, before it frees
 * the memory the task still uses).
 */
static int leftover_done;

static int leftover(void *arg)
{
	struct page *page;

	msleep(100);
	page = alloc_page(GFP_KERNEL);
	if (page) {
		memset(page_address(page), 0x5a, PAGE_SIZE);
		__free_page(page);
	}
	WRITE_ONCE(leftover_done, page ? 1 : -1);
	return 0;
}

static void test_stop_waits_for_running_task(void **state)
{
	struct zsim_config cfg;

	leftover_done = 0;
	zsim_test_config(state, &cfg, 2, 1);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_non_null(zsim_spawn(1, leftover, NULL, "leftover"));
	/* One report, the task not joined; it ran to its end first. */
	assert_int_equal(zsim_machine_stop(), 1);
	assert_non_null(strstr(zsim_first_report(), "1 simulated task(s) not joined at shutdown"));
	assert_int_equal(READ_ONCE(leftover_done), 1);
	zsim_test_boot(state, 2, 2);
	zsim_test_shutdown_clean();
}

/*
 * Several test threads calling zsim_run() at once. The controlled backend
 * still runs one task at a time (no two tasks inside host_run_once() at
 * once) and every call returns its task's result.
 */
#define HOST_THREADS	3
#define HOST_RUNS	200

static int host_inside, host_overlaps;

static int host_run_once(void *arg)
{
	volatile unsigned int spin;

	if (__atomic_add_fetch(&host_inside, 1, __ATOMIC_SEQ_CST) > 1)
		__atomic_add_fetch(&host_overlaps, 1, __ATOMIC_SEQ_CST);
	for (spin = 0; spin < 2000; spin++)
		;
	__atomic_sub_fetch(&host_inside, 1, __ATOMIC_SEQ_CST);
	cond_resched();
	return (int)(long)arg;
}

static void *host_thread(void *arg)
{
	long id = (long)arg, bad = 0;
	int i;

	for (i = 0; i < HOST_RUNS; i++)
		bad += zsim_run(i % 2, host_run_once, (void *)id) != id;
	return (void *)bad;
}

static void test_host_threads_at_once(void **state)
{
	pthread_t threads[HOST_THREADS];
	struct timespec deadline;
	void *bad;
	long i;

	host_inside = host_overlaps = 0;
	zsim_test_boot(state, 2, 3);
	for (i = 0; i < HOST_THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, host_thread, (void *)(i + 1)), 0);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 60;
	for (i = 0; i < HOST_THREADS; i++) {
		if (pthread_timedjoin_np(threads[i], &bad, &deadline)) {
			/* The machine is stuck: no teardown could stop it. */
			fprintf(stderr, "test_host_threads_at_once: test thread %ld hangs\n", i);
			abort();
		}
		assert_int_equal((long)bad, 0);
	}
	if (zsim_test_backend(state) == ZSIM_CONTROLLED)
		assert_int_equal(host_overlaps, 0);
	zsim_test_shutdown_clean();
}

static int stop_from_task(void *arg)
{
	return zsim_machine_running() && zsim_machine_stop() == 1 && zsim_machine_running();
}

/* Bad arguments to the control calls are refused, and the machine goes on. */
static void test_control_bad_args(void **state)
{
	struct zsim_config cfg;

	assert_int_equal(zsim_machine_start(NULL), -EINVAL);
	zsim_test_config(state, &cfg, 2, 5);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_null(zsim_spawn(0, NULL, NULL, "nothing"));
	assert_int_equal(zsim_run(0, NULL, NULL), -EINVAL);
	assert_int_equal(zsim_task_clock_ns(NULL), 0);
	/* A task cannot stop the machine under itself: a warning, no stop. */
	assert_int_equal(zsim_run(1, stop_from_task, NULL), 1);
	assert_true(zsim_machine_running());
	assert_int_equal(zsim_warnings(), 1);
	assert_int_equal(zsim_run(0, report_cpu, NULL), 0);
	assert_int_equal(zsim_machine_stop(), 1);
}

static int return_seven(void *arg)
{
	return 7;
}

/* From a task: the second join of a child finds it gone. */
static int join_child_twice(void *arg)
{
	struct zsim_task *child = zsim_spawn(0, return_seven, NULL, "child");
	int ret;

	if (!child)
		return -ENOMEM;
	ret = zsim_join(child);
	return ret == 7 ? zsim_join(child) : -EINVAL;
}

/*
 * A joined task was freed: joining it again, or another machine's task,
 * is -ESRCH and its clock 0, without reading it (each a use after free)
 * and without a scheduling step.
 */
static void test_join_stale(void **state)
{
	struct zsim_task *old, *t;
	unsigned long steps;

	zsim_test_boot(state, 2, 3);
	old = zsim_spawn(1, return_seven, NULL, "old");
	assert_non_null(old);
	assert_int_equal(zsim_join(old), 7);
	zsim_test_shutdown_clean();

	zsim_test_boot(state, 2, 3);
	assert_int_equal(zsim_join(old), -ESRCH);
	assert_int_equal(zsim_task_clock_ns(old), 0);
	t = zsim_spawn(1, return_seven, NULL, "t");
	assert_non_null(t);
	assert_int_equal(zsim_join(t), 7);
	steps = zsim_steps();
	assert_int_equal(zsim_join(t), -ESRCH);
	assert_int_equal(zsim_task_clock_ns(t), 0);
	assert_int_equal(zsim_steps(), steps);
	assert_int_equal(zsim_run(0, join_child_twice, NULL), -ESRCH);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_runs_on_requested_cpu),
		ZSIM_TEST_BOTH(test_idle_balance),
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
		ZSIM_TEST_CONTROLLED(test_replay_in_another_process),
		ZSIM_TEST_CONTROLLED(test_pct_spinlock_progress),
		ZSIM_TEST_CONTROLLED(test_pct_cond_load_progress),
		ZSIM_TEST_CONTROLLED(test_stay_replay),
		ZSIM_TEST_CONTROLLED(test_pct_change_points),
		ZSIM_TEST_CONTROLLED(test_hang_limit_since_progress),
		ZSIM_TEST_CONTROLLED(test_truncated_schedule),
		ZSIM_TEST_BOTH(test_task_clock),
		ZSIM_TEST_BOTH(test_stop_waits_for_running_task),
		ZSIM_TEST_BOTH(test_host_threads_at_once),
		ZSIM_TEST_BOTH(test_control_bad_args),
		ZSIM_TEST_BOTH(test_join_stale),
		cmocka_unit_test(test_config_env_numbers),
	};

	if (getenv(CHILD_ENV))
		return interleave_child();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
