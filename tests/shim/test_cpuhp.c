// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU hotplug: the state machine's callback order and placement, rollback
 * of failing startups, multi-instance states, migration off a dying CPU,
 * hotplug against instance changes and cpus_read_lock(), and the errors.
 *
 * Callbacks append events to a trace (under a raw lock: they may run in
 * any task); the test thread checks the trace after each operation.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/wait.h>
#include <sim/rawlock.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <string.h>

#include "zsim_test.h"

/* ---- the trace ---- */

struct ev {
	char			what;		/* 'S' startup, 'T' teardown, 'F' failed */
	char			tag;		/* which test state */
	int			cpu;		/* the CPU the callback is for */
	int			ran_on;		/* where it ran */
	int			inst;		/* instance id, -1 for single states */
	bool			online;		/* cpu_online(cpu) when it ran */
	bool			active;
	struct task_struct	*task;
};

#define MAX_EV	1024

static struct {
	struct sim_rawlock	lock;
	int			n;
	struct ev		ev[MAX_EV];
} trace;

/* A callback that fails: @what and @tag, on @cpu (-1 any) for @inst (-1 any). */
static struct {
	char	what;
	char	tag;
	int	cpu;
	int	inst;
	int	err;
} fail;

static void trace_reset(void)
{
	sim_rawlock_init(&trace.lock);
	trace.n = 0;
	memset(&fail, 0, sizeof(fail));
}

static void disarm(void)
{
	memset(&fail, 0, sizeof(fail));
}

static void arm(char what, char tag, int cpu, int inst, int err)
{
	fail.what = what;
	fail.tag = tag;
	fail.cpu = cpu;
	fail.inst = inst;
	fail.err = err;
}

static int cb_event(char what, char tag, unsigned int cpu, int inst, bool ap)
{
	struct ev e = {
		.what = what,
		.tag = tag,
		.cpu = (int)cpu,
		/* AP callbacks are bound to their CPU: smp_processor_id() is legal. */
		.ran_on = ap ? smp_processor_id() : raw_smp_processor_id(),
		.inst = inst,
		.online = cpu_online(cpu),
		.active = cpu_active(cpu),
		.task = current,
	};
	int ret = 0;

	lockdep_assert_cpus_held();
	if (fail.tag == tag && fail.what == what &&
	    (fail.cpu < 0 || fail.cpu == (int)cpu) && (fail.inst < 0 || fail.inst == inst)) {
		e.what = 'F';
		ret = fail.err;
	}
	sim_rawlock_lock(&trace.lock);
	if (trace.n < MAX_EV)
		trace.ev[trace.n++] = e;
	sim_rawlock_unlock(&trace.lock);
	return ret;
}

#define PREPARE_CBS(t)							\
static int su_##t(unsigned int cpu) { return cb_event('S', #t[0], cpu, -1, false); } \
static int td_##t(unsigned int cpu) { return cb_event('T', #t[0], cpu, -1, false); }
#define AP_CBS(t)							\
static int su_##t(unsigned int cpu) { return cb_event('S', #t[0], cpu, -1, true); } \
static int td_##t(unsigned int cpu) { return cb_event('T', #t[0], cpu, -1, true); }

PREPARE_CBS(z)
PREPARE_CBS(p)
AP_CBS(a)
AP_CBS(b)
AP_CBS(f)
AP_CBS(g)

struct inst {
	struct hlist_node	node;
	int			id;
};

static int su_m(unsigned int cpu, struct hlist_node *node)
{
	return cb_event('S', 'm', cpu, container_of(node, struct inst, node)->id, true);
}

static int td_m(unsigned int cpu, struct hlist_node *node)
{
	return cb_event('T', 'm', cpu, container_of(node, struct inst, node)->id, true);
}

static int su_n(unsigned int cpu, struct hlist_node *node)
{
	return cb_event('S', 'n', cpu, container_of(node, struct inst, node)->id, false);
}

static void expect_ev(int i, char what, char tag, int cpu, int inst)
{
	const struct ev *e;

	if (i >= trace.n)
		fail_msg("event %d missing (%d events)", i, trace.n);
	e = &trace.ev[i];
	if (e->what != what || e->tag != tag || e->cpu != cpu || e->inst != inst)
		fail_msg("event %d: got %c %c cpu %d inst %d, want %c %c cpu %d inst %d",
			 i, e->what, e->tag, e->cpu, e->inst, what, tag, cpu, inst);
}

/* ---- tasks that the tests run ---- */

struct states {
	int			z, p, a, b, f, g, m, n;
	struct task_struct	*task;		/* the task that ran the last call */
};

static struct states st;

static int do_remove_cpu(void *arg)
{
	st.task = current;
	return remove_cpu((unsigned int)(long)arg);
}

static int do_add_cpu(void *arg)
{
	st.task = current;
	return add_cpu((unsigned int)(long)arg);
}

static int setup_order_states(void *arg)
{
	int ret;

	st.task = current;
	ret = cpuhp_setup_state(CPUHP_PERF_PREPARE, "test/z:prepare", su_z, td_z);
	if (ret)
		return ret;
	st.p = cpuhp_setup_state(CPUHP_BP_PREPARE_DYN, "test/p:prepare", su_p, td_p);
	st.a = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test/a:online", su_a, td_a);
	st.b = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test/b:online", su_b, td_b);
	return 0;
}

static int remove_order_states(void *arg)
{
	int again;

	st.task = current;
	cpuhp_remove_state(st.b);
	cpuhp_remove_state_nocalls(st.a);
	cpuhp_remove_state(st.p);
	cpuhp_remove_state(CPUHP_PERF_PREPARE);
	/* The dynamic slot is free again. */
	again = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "test/again", su_a, td_a);
	if (again != st.a)
		return -1;
	cpuhp_remove_state_nocalls(again);
	return 0;
}

/* ---- callbacks run in state order, PREPARE on the control task ---- */

static void test_callback_order(void **state)
{
	struct task_struct *ctl;
	int i, cpu;

	trace_reset();
	zsim_test_boot(state, 4, 1);

	/* Installing invokes the startup on every online CPU, in CPU order. */
	assert_int_equal(zsim_run(1, setup_order_states, NULL), 0);
	assert_in_range(st.p, CPUHP_BP_PREPARE_DYN, CPUHP_BP_PREPARE_DYN_END);
	assert_in_range(st.a, CPUHP_AP_ONLINE_DYN, CPUHP_AP_ONLINE_DYN_END);
	assert_in_range(st.b, st.a + 1, CPUHP_AP_ONLINE_DYN_END);
	assert_int_equal(trace.n, 16);
	for (cpu = 0; cpu < 4; cpu++) {
		expect_ev(cpu, 'S', 'z', cpu, -1);
		expect_ev(4 + cpu, 'S', 'p', cpu, -1);
		expect_ev(8 + cpu, 'S', 'a', cpu, -1);
		expect_ev(12 + cpu, 'S', 'b', cpu, -1);
		/* PREPARE on the installing task, AP on their own CPU. */
		assert_ptr_equal(trace.ev[cpu].task, st.task);
		assert_int_equal(trace.ev[8 + cpu].ran_on, cpu);
		assert_int_equal(trace.ev[12 + cpu].ran_on, cpu);
	}

	/* Down: AP teardowns in reverse order, then the PREPARE ones. */
	trace_reset();
	assert_int_equal(zsim_run(0, do_remove_cpu, (void *)2L), 0);
	ctl = st.task;
	assert_false(cpu_online(2));
	assert_false(cpu_active(2));
	assert_int_equal(trace.n, 4);
	expect_ev(0, 'T', 'b', 2, -1);
	expect_ev(1, 'T', 'a', 2, -1);
	expect_ev(2, 'T', 'p', 2, -1);
	expect_ev(3, 'T', 'z', 2, -1);
	for (i = 0; i < 4; i++)
		assert_ptr_equal(trace.ev[i].task, ctl);

	/* Up: PREPARE startups, then the AP ones in state order. */
	trace_reset();
	assert_int_equal(zsim_run(3, do_add_cpu, (void *)2L), 0);
	ctl = st.task;
	assert_true(cpu_online(2));
	assert_true(cpu_active(2));
	assert_int_equal(trace.n, 4);
	expect_ev(0, 'S', 'z', 2, -1);
	expect_ev(1, 'S', 'p', 2, -1);
	expect_ev(2, 'S', 'a', 2, -1);
	expect_ev(3, 'S', 'b', 2, -1);
	for (i = 0; i < 4; i++)
		assert_ptr_equal(trace.ev[i].task, ctl);

	/* Removing runs the teardowns (except _nocalls) on every online CPU. */
	trace_reset();
	assert_int_equal(zsim_run(0, remove_order_states, NULL), 0);
	assert_int_equal(trace.n, 12);
	for (cpu = 0; cpu < 4; cpu++) {
		expect_ev(cpu, 'T', 'b', cpu, -1);
		assert_int_equal(trace.ev[cpu].ran_on, cpu);
		expect_ev(4 + cpu, 'T', 'p', cpu, -1);
		expect_ev(8 + cpu, 'T', 'z', cpu, -1);
	}
	zsim_test_shutdown_clean();
}

/*
 * Where callbacks run: PREPARE ones on the control task while the CPU is
 * offline (never on it); AP ones on the CPU, online, inactive below
 * CPUHP_AP_ACTIVE.
 */
static void test_callback_placement(void **state)
{
	int round, i;

	trace_reset();
	zsim_test_boot(state, 4, 2);
	assert_int_equal(zsim_run(0, setup_order_states, NULL), 0);
	for (round = 0; round < 4; round++) {
		int cpu = 1 + round % 3;

		trace_reset();
		/* Odd rounds start the control task on the CPU going down. */
		assert_int_equal(zsim_run(round % 2 ? cpu : 0, do_remove_cpu,
					  (void *)(long)cpu), 0);
		assert_int_equal(trace.n, 4);
		for (i = 0; i < 4; i++) {
			const struct ev *e = &trace.ev[i];
			bool ap = e->tag == 'a' || e->tag == 'b';

			assert_ptr_equal(e->task, st.task);
			if (ap) {
				assert_int_equal(e->ran_on, cpu);
				assert_true(e->online);
				assert_false(e->active);
			} else {
				assert_int_not_equal(e->ran_on, cpu);
				assert_false(e->online);
			}
		}
		trace_reset();
		assert_int_equal(zsim_run(0, do_add_cpu, (void *)(long)cpu), 0);
		assert_int_equal(trace.n, 4);
		for (i = 0; i < 4; i++) {
			const struct ev *e = &trace.ev[i];
			bool ap = e->tag == 'a' || e->tag == 'b';

			assert_ptr_equal(e->task, st.task);
			if (ap) {
				assert_int_equal(e->ran_on, cpu);
				assert_true(e->online);
				assert_false(e->active);
			} else {
				assert_int_not_equal(e->ran_on, cpu);
				assert_false(e->online);
			}
		}
	}
	assert_int_equal(zsim_run(0, remove_order_states, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- a failing startup rolls back what was done ---- */

static int setup_rollback_states(void *arg)
{
	int ret = cpuhp_setup_state(CPUHP_PERF_PREPARE, "test/z:prepare", su_z, td_z);

	if (ret)
		return ret;
	st.p = cpuhp_setup_state(CPUHP_BP_PREPARE_DYN, "test/p:prepare", su_p, td_p);
	st.a = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test/a:online", su_a, td_a);
	st.f = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test/f:online", su_f, td_f);
	st.b = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test/b:online", su_b, td_b);
	return st.p > 0 && st.a > 0 && st.f > 0 && st.b > 0 ? 0 : -1;
}

static int setup_g(void *arg)
{
	st.g = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test/g:online", su_g, td_g);
	return st.g;
}

static int remove_g(void *arg)
{
	cpuhp_remove_state(st.g);
	return 0;
}

static void test_startup_failure_rolls_back(void **state)
{
	trace_reset();
	zsim_test_boot(state, 4, 3);
	assert_int_equal(zsim_run(0, setup_rollback_states, NULL), 0);
	assert_int_equal(zsim_run(0, do_remove_cpu, (void *)3L), 0);

	/* An AP startup fails: the AP and PREPARE states done are undone. */
	trace_reset();
	arm('S', 'f', 3, -1, -ENOMEM);
	assert_int_equal(zsim_run(1, do_add_cpu, (void *)3L), -ENOMEM);
	assert_false(cpu_online(3));
	assert_false(cpu_active(3));
	assert_int_equal(trace.n, 7);
	expect_ev(0, 'S', 'z', 3, -1);
	expect_ev(1, 'S', 'p', 3, -1);
	expect_ev(2, 'S', 'a', 3, -1);
	expect_ev(3, 'F', 'f', 3, -1);
	expect_ev(4, 'T', 'a', 3, -1);
	assert_int_equal(trace.ev[4].ran_on, 3);
	expect_ev(5, 'T', 'p', 3, -1);
	expect_ev(6, 'T', 'z', 3, -1);
	/* The PREPARE teardowns ran after the CPU was taken down again. */
	assert_false(trace.ev[5].online);
	assert_int_not_equal(trace.ev[5].ran_on, 3);

	/* A PREPARE startup fails: the one below it is undone. */
	trace_reset();
	arm('S', 'p', 3, -1, -EIO);
	assert_int_equal(zsim_run(1, do_add_cpu, (void *)3L), -EIO);
	assert_int_equal(trace.n, 3);
	expect_ev(0, 'S', 'z', 3, -1);
	expect_ev(1, 'F', 'p', 3, -1);
	expect_ev(2, 'T', 'z', 3, -1);
	assert_false(cpu_online(3));

	/* Healthy again: everything comes up, in order. */
	trace_reset();
	disarm();
	assert_int_equal(zsim_run(1, do_add_cpu, (void *)3L), 0);
	assert_int_equal(trace.n, 5);
	expect_ev(0, 'S', 'z', 3, -1);
	expect_ev(4, 'S', 'b', 3, -1);
	assert_true(cpu_active(3));

	/* An AP teardown fails: the CPU comes back up to where it was. */
	trace_reset();
	arm('T', 'a', 2, -1, -EBUSY);
	assert_int_equal(zsim_run(0, do_remove_cpu, (void *)2L), -EBUSY);
	assert_true(cpu_online(2));
	assert_true(cpu_active(2));
	assert_int_equal(trace.n, 5);
	expect_ev(0, 'T', 'b', 2, -1);
	expect_ev(1, 'T', 'f', 2, -1);
	expect_ev(2, 'F', 'a', 2, -1);
	expect_ev(3, 'S', 'f', 2, -1);
	expect_ev(4, 'S', 'b', 2, -1);
	disarm();

	/* Installing a state whose startup fails on CPU 2: CPUs 0, 1 undone. */
	trace_reset();
	arm('S', 'g', 2, -1, -ENODEV);
	assert_int_equal(zsim_run(0, setup_g, NULL), -ENODEV);
	assert_int_equal(trace.n, 5);
	expect_ev(0, 'S', 'g', 0, -1);
	expect_ev(1, 'S', 'g', 1, -1);
	expect_ev(2, 'F', 'g', 2, -1);
	expect_ev(3, 'T', 'g', 0, -1);
	expect_ev(4, 'T', 'g', 1, -1);
	/* The state was removed: installing again works. */
	disarm();
	trace_reset();
	assert_true(zsim_run(0, setup_g, NULL) > 0);
	assert_int_equal(trace.n, 4);
	assert_int_equal(zsim_run(0, remove_g, NULL), 0);
	assert_int_equal(trace.n, 8);
	zsim_test_shutdown_clean();
}

/* ---- multi-instance states ---- */

static struct inst i1 = { .id = 1 }, i2 = { .id = 2 }, i3 = { .id = 3 };

static int multi_setup(void *arg)
{
	st.m = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "test/m:online", su_m, td_m);
	return st.m > 0 ? 0 : st.m;
}

static int multi_add(void *arg)
{
	return cpuhp_state_add_instance(st.m, &((struct inst *)arg)->node);
}

static int multi_add_remove_nocalls(void *arg)
{
	int ret = cpuhp_state_add_instance_nocalls(st.m, &i3.node);

	if (ret)
		return ret;
	return cpuhp_state_remove_instance_nocalls(st.m, &i3.node);
}

static int multi_remove(void *arg)
{
	return cpuhp_state_remove_instance(st.m, &((struct inst *)arg)->node);
}

static int multi_remove_nocalls(void *arg)
{
	return cpuhp_state_remove_instance_nocalls(st.m, &((struct inst *)arg)->node);
}

static int multi_destroy(void *arg)
{
	cpuhp_remove_multi_state(st.m);
	return 0;
}

static void test_multi_instance(void **state)
{
	int cpu;

	trace_reset();
	zsim_test_boot(state, 4, 4);
	assert_int_equal(zsim_run(0, multi_setup, NULL), 0);
	/* Installing a multi-instance state invokes nothing. */
	assert_int_equal(trace.n, 0);

	assert_int_equal(zsim_run(0, multi_add, &i1), 0);
	assert_int_equal(trace.n, 4);
	for (cpu = 0; cpu < 4; cpu++) {
		expect_ev(cpu, 'S', 'm', cpu, 1);
		assert_int_equal(trace.ev[cpu].ran_on, cpu);
	}

	/* The startup fails on CPU 2: CPUs 0 and 1 are torn down again. */
	trace_reset();
	arm('S', 'm', 2, 2, -EIO);
	assert_int_equal(zsim_run(0, multi_add, &i2), -EIO);
	assert_int_equal(trace.n, 5);
	expect_ev(0, 'S', 'm', 0, 2);
	expect_ev(1, 'S', 'm', 1, 2);
	expect_ev(2, 'F', 'm', 2, 2);
	expect_ev(3, 'T', 'm', 0, 2);
	expect_ev(4, 'T', 'm', 1, 2);
	disarm();

	/* The failed instance was not added: hotplug sees only i1. */
	trace_reset();
	assert_int_equal(zsim_run(0, do_remove_cpu, (void *)3L), 0);
	assert_int_equal(trace.n, 1);
	expect_ev(0, 'T', 'm', 3, 1);
	assert_int_equal(trace.ev[0].ran_on, 3);

	/* i2 added for real while CPU 3 is down: not invoked for CPU 3. */
	trace_reset();
	assert_int_equal(zsim_run(0, multi_add, &i2), 0);
	assert_int_equal(trace.n, 3);

	/* _nocalls: nothing runs either way. */
	trace_reset();
	assert_int_equal(zsim_run(0, multi_add_remove_nocalls, NULL), 0);
	assert_int_equal(trace.n, 0);

	/* Up, with i1 failing: i2 (the newer, first in the list) is undone. */
	trace_reset();
	arm('S', 'm', 3, 1, -ENOSPC);
	assert_int_equal(zsim_run(0, do_add_cpu, (void *)3L), -ENOSPC);
	assert_false(cpu_online(3));
	assert_int_equal(trace.n, 3);
	expect_ev(0, 'S', 'm', 3, 2);
	expect_ev(1, 'F', 'm', 3, 1);
	expect_ev(2, 'T', 'm', 3, 2);
	disarm();

	trace_reset();
	assert_int_equal(zsim_run(0, do_add_cpu, (void *)3L), 0);
	assert_int_equal(trace.n, 2);
	expect_ev(0, 'S', 'm', 3, 2);
	expect_ev(1, 'S', 'm', 3, 1);

	/* Removing an instance tears it down on every CPU. */
	trace_reset();
	assert_int_equal(zsim_run(1, multi_remove, &i1), 0);
	assert_int_equal(trace.n, 4);
	for (cpu = 0; cpu < 4; cpu++) {
		expect_ev(cpu, 'T', 'm', cpu, 1);
		assert_int_equal(trace.ev[cpu].ran_on, cpu);
	}
	trace_reset();
	assert_int_equal(zsim_run(1, multi_remove_nocalls, &i2), 0);
	assert_int_equal(zsim_run(1, multi_destroy, NULL), 0);
	assert_int_equal(trace.n, 0);
	zsim_test_shutdown_clean();
}

/* A multi-instance state may have no teardown callback. */
static int nodown_setup(void *arg)
{
	st.n = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "test/n:prepare", su_n, NULL);
	return st.n > 0 ? 0 : st.n;
}

static int nodown_add(void *arg)
{
	return cpuhp_state_add_instance(st.n, &((struct inst *)arg)->node);
}

static int nodown_remove(void *arg)
{
	return cpuhp_state_remove_instance(st.n, &((struct inst *)arg)->node);
}

static int nodown_destroy(void *arg)
{
	cpuhp_remove_multi_state(st.n);
	return 0;
}

static void test_multi_without_teardown(void **state)
{
	struct zsim_config cfg;

	trace_reset();
	zsim_test_config(state, &cfg, 3, 5);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, nodown_setup, NULL), 0);
	assert_int_equal(zsim_run(0, nodown_add, &i1), 0);
	assert_int_equal(trace.n, 3);
	assert_ptr_equal(trace.ev[0].task, trace.ev[2].task);

	/* Down: nothing to call; up: the startup. */
	trace_reset();
	assert_int_equal(zsim_run(0, do_remove_cpu, (void *)1L), 0);
	assert_int_equal(trace.n, 0);
	assert_int_equal(zsim_run(0, do_add_cpu, (void *)1L), 0);
	assert_int_equal(trace.n, 1);
	expect_ev(0, 'S', 'n', 1, 1);
	assert_false(trace.ev[0].online);

	/* A failing add has nothing to roll back with. */
	trace_reset();
	arm('S', 'n', 2, 2, -EINVAL);
	assert_int_equal(zsim_run(0, nodown_add, &i2), -EINVAL);
	assert_int_equal(trace.n, 3);
	expect_ev(2, 'F', 'n', 2, 2);
	disarm();

	/* Removing runs nothing. */
	trace_reset();
	assert_int_equal(zsim_run(0, nodown_remove, &i1), 0);
	assert_int_equal(trace.n, 0);
	assert_int_equal(zsim_warnings(), 0);

	/* Removing the state with an instance left warns, as the kernel does. */
	assert_int_equal(zsim_run(0, nodown_add, &i3), 0);
	assert_int_equal(zsim_run(0, nodown_destroy, NULL), 0);
	assert_int_equal(zsim_warnings(), 1);
	assert_non_null(strstr(zsim_first_report(), "which has instances left"));
	assert_int_equal(zsim_machine_stop(), 1);
}

/* ---- tasks on a dying CPU move off it ---- */

struct spin_ctx {
	int	started;
	int	down_done;
	int	stop;
	int	first_cpu;
	int	on_dead_cpu;	/* seen on CPU 2 after it went down */
	int	last_cpu;
};

static int spinner(void *arg)
{
	struct spin_ctx *c = arg;

	c->first_cpu = raw_smp_processor_id();
	WRITE_ONCE(c->started, 1);
	while (!READ_ONCE(c->stop)) {
		cond_resched();
		c->last_cpu = raw_smp_processor_id();
		if (READ_ONCE(c->down_done) && c->last_cpu == 2)
			c->on_dead_cpu++;
	}
	return 0;
}

static int wait_started(void *arg)
{
	struct spin_ctx *c = arg;

	while (!READ_ONCE(c->started))
		schedule_timeout_uninterruptible(1);
	return 0;
}

static void test_tasks_migrated_off(void **state)
{
	struct spin_ctx c = { 0 };
	struct zsim_config cfg;
	struct zsim_task *s;

	zsim_test_config(state, &cfg, 3, 6);
	cfg.migrate_permille = 0;	/* only hotplug moves the spinner */
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_non_null(s = zsim_spawn(2, spinner, &c, "spinner"));
	assert_int_equal(zsim_run(0, wait_started, &c), 0);
	assert_int_equal(zsim_cpu_down(2), 0);
	assert_false(cpu_online(2));
	WRITE_ONCE(c.down_done, 1);
	/* Let it spin a little more, then stop it. */
	assert_int_equal(zsim_run(1, wait_started, &c), 0);
	WRITE_ONCE(c.stop, 1);
	assert_int_equal(zsim_join(s), 0);
	assert_int_equal(c.first_cpu, 2);
	assert_int_not_equal(c.last_cpu, 2);
	assert_int_equal(c.on_dead_cpu, 0);
	assert_int_equal(zsim_cpu_up(2), 0);
	assert_true(cpu_active(2));
	zsim_test_shutdown_clean();
}

/* ---- hotplug against instance changes ---- */

#define NR_INST		3
#define NR_ROUNDS	6
#define TEST_CPUS	4

struct cinst {
	struct hlist_node	node_p;
	struct hlist_node	node_a;
	int			up_p[TEST_CPUS];
	int			up_a[TEST_CPUS];
	bool			added;
};

static struct {
	struct cinst	inst[NR_INST];
	int		state_p, state_a;
	int		violations;
	int		errors;
} cc;

static void violation(void)
{
	__atomic_fetch_add(&cc.violations, 1, __ATOMIC_RELAXED);
}

static int cc_su_p(unsigned int cpu, struct hlist_node *node)
{
	struct cinst *ci = container_of(node, struct cinst, node_p);

	lockdep_assert_cpus_held();
	if (ci->up_p[cpu]++)
		violation();
	sched_point();
	return 0;
}

static int cc_td_p(unsigned int cpu, struct hlist_node *node)
{
	struct cinst *ci = container_of(node, struct cinst, node_p);

	if (--ci->up_p[cpu])
		violation();
	sched_point();
	return 0;
}

static int cc_su_a(unsigned int cpu, struct hlist_node *node)
{
	struct cinst *ci = container_of(node, struct cinst, node_a);

	if (ci->up_a[cpu]++ || raw_smp_processor_id() != (int)cpu || !ci->up_p[cpu])
		violation();
	sched_point();
	return 0;
}

static int cc_td_a(unsigned int cpu, struct hlist_node *node)
{
	struct cinst *ci = container_of(node, struct cinst, node_a);

	if (--ci->up_a[cpu] || raw_smp_processor_id() != (int)cpu)
		violation();
	sched_point();
	return 0;
}

static int cc_setup(void *arg)
{
	cc.state_p = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "test/cc:prepare",
					     cc_su_p, cc_td_p);
	cc.state_a = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "test/cc:online",
					     cc_su_a, cc_td_a);
	return cc.state_p > 0 && cc.state_a > 0 ? 0 : -1;
}

static int cc_instancer(void *arg)
{
	int round, i;

	for (round = 0; round < NR_ROUNDS; round++) {
		for (i = 0; i < NR_INST; i++) {
			struct cinst *ci = &cc.inst[(i + round) % NR_INST];

			if (ci->added) {
				cpuhp_state_remove_instance(cc.state_a, &ci->node_a);
				cpuhp_state_remove_instance(cc.state_p, &ci->node_p);
				ci->added = false;
			} else {
				if (cpuhp_state_add_instance(cc.state_p, &ci->node_p) ||
				    cpuhp_state_add_instance(cc.state_a, &ci->node_a))
					cc.errors++;
				ci->added = true;
			}
			cond_resched();
		}
	}
	return 0;
}

static int cc_hotplugger(void *arg)
{
	int round;

	for (round = 0; round < NR_ROUNDS; round++) {
		if (remove_cpu(2) || remove_cpu(3) || add_cpu(2) || add_cpu(3))
			cc.errors++;
		if (round % 2 == 0 && (remove_cpu(1) || add_cpu(1)))
			cc.errors++;
	}
	return 0;
}

/* Each added instance is up exactly on the online CPUs. */
static int cc_check(void *arg)
{
	int i, cpu;

	cpus_read_lock();
	for (i = 0; i < NR_INST; i++) {
		struct cinst *ci = &cc.inst[i];

		for (cpu = 0; cpu < TEST_CPUS; cpu++) {
			int want = ci->added && cpu_online(cpu);

			if (ci->up_p[cpu] != want || ci->up_a[cpu] != want)
				violation();
		}
	}
	cpus_read_unlock();
	return 0;
}

static void test_hotplug_vs_instances(void **state)
{
	struct zsim_task *h, *in;

	memset(&cc, 0, sizeof(cc));
	zsim_test_boot(state, TEST_CPUS, 8);
	assert_int_equal(zsim_run(0, cc_setup, NULL), 0);
	assert_non_null(in = zsim_spawn(0, cc_instancer, NULL, "instancer"));
	assert_non_null(h = zsim_spawn(1, cc_hotplugger, NULL, "hotplugger"));
	assert_int_equal(zsim_join(h), 0);
	assert_int_equal(zsim_join(in), 0);
	assert_int_equal(zsim_run(0, cc_check, NULL), 0);
	assert_int_equal(cc.errors, 0);
	assert_int_equal(cc.violations, 0);
	zsim_test_shutdown_clean();
}

/* ---- cpus_read_lock() holds hotplug off ---- */

struct rl_ctx {
	struct wait_queue_head	wq;
	int			locked;
	int			hotplug_started;
	unsigned long		seq;
	unsigned long		unlocked_at;
	unsigned long		hotplug_done_at;
	int			online_seen;	/* CPU 1 online while we held the lock */
};

static int rl_reader(void *arg)
{
	struct rl_ctx *c = arg;

	cpus_read_lock();
	lockdep_assert_cpus_held();
	WRITE_ONCE(c->locked, 1);
	wake_up_all(&c->wq);
	wait_event(c->wq, READ_ONCE(c->hotplug_started));
	schedule_timeout_uninterruptible(3);
	c->online_seen = cpu_online(1);
	c->unlocked_at = __atomic_add_fetch(&c->seq, 1, __ATOMIC_SEQ_CST);
	cpus_read_unlock();
	return 0;
}

static int rl_hotplug(void *arg)
{
	struct rl_ctx *c = arg;
	int ret;

	wait_event(c->wq, READ_ONCE(c->locked));
	WRITE_ONCE(c->hotplug_started, 1);
	wake_up_all(&c->wq);
	ret = remove_cpu(1);
	c->hotplug_done_at = __atomic_add_fetch(&c->seq, 1, __ATOMIC_SEQ_CST);
	return ret;
}

static void test_cpus_read_lock_excludes_hotplug(void **state)
{
	struct rl_ctx c = { 0 };
	struct zsim_task *r, *h;

	init_waitqueue_head(&c.wq);
	zsim_test_boot(state, 3, 9);
	assert_non_null(r = zsim_spawn(0, rl_reader, &c, "reader"));
	assert_non_null(h = zsim_spawn(2, rl_hotplug, &c, "hotplug"));
	assert_int_equal(zsim_join(h), 0);
	assert_int_equal(zsim_join(r), 0);
	assert_true(c.online_seen);
	assert_true(c.hotplug_done_at > c.unlocked_at);
	assert_false(cpu_online(1));
	zsim_test_shutdown_clean();
}

/* ---- errors ---- */

static int errors_task(void *arg)
{
	int *step = arg;
	int ret, n, dyn[64];

#define CHECK(expr, want) do {						\
	(*step)++;							\
	ret = (expr);							\
	if (ret != (want))						\
		return ret == 0 ? -1000 : ret;				\
} while (0)

	CHECK(remove_cpu(2), 0);
	CHECK(remove_cpu(2), -EINVAL);		/* already offline */
	CHECK(add_cpu(0), -EINVAL);		/* already online */
	CHECK(add_cpu(nr_cpu_ids), -EINVAL);	/* not possible */
	CHECK(remove_cpu(nr_cpu_ids + 5), -EINVAL);
	CHECK(remove_cpu(1), 0);
	CHECK(remove_cpu(0), -EBUSY);		/* the last online CPU */
	CHECK(add_cpu(1), 0);
	CHECK(add_cpu(2), 0);

	cpu_hotplug_disable();
	CHECK(remove_cpu(1), -EBUSY);
	CHECK(add_cpu(1), -EBUSY);
	cpu_hotplug_enable();

	CHECK(cpuhp_setup_state(CPUHP_ONLINE, "test/bad", su_a, td_a), -EINVAL);
	CHECK(cpuhp_setup_state(CPUHP_OFFLINE, "test/bad", su_a, td_a), -EINVAL);
	CHECK(cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, NULL, su_a, td_a), -EINVAL);
	CHECK(cpuhp_setup_state(CPUHP_BRINGUP_CPU, "test/bad", su_a, td_a), -EBUSY);
	CHECK(cpuhp_setup_state(CPUHP_AP_ACTIVE, "test/bad", su_a, td_a), -EBUSY);
	CHECK(cpuhp_setup_state_nocalls(CPUHP_NET_DEV_DEAD, "test/w", su_z, td_z), 0);
	CHECK(cpuhp_setup_state_nocalls(CPUHP_NET_DEV_DEAD, "test/w2", su_z, td_z), -EBUSY);
	/* Not a multi-instance state. */
	CHECK(cpuhp_state_add_instance(CPUHP_NET_DEV_DEAD, &i1.node), -EINVAL);
	CHECK(cpuhp_state_remove_instance(CPUHP_NET_DEV_DEAD, &i1.node), -EINVAL);
	cpuhp_remove_state_nocalls(CPUHP_NET_DEV_DEAD);
	CHECK(cpuhp_setup_state_nocalls(CPUHP_NET_DEV_DEAD, "test/w", su_z, td_z), 0);
	cpuhp_remove_state_nocalls(CPUHP_NET_DEV_DEAD);

	/* Every dynamic PREPARE state taken: -ENOSPC (and a warning). */
	for (n = 0; n < 64; n++) {
		dyn[n] = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "test/dyn", su_p, td_p);
		if (dyn[n] < 0)
			break;
		CHECK(dyn[n] >= CPUHP_BP_PREPARE_DYN && dyn[n] <= CPUHP_BP_PREPARE_DYN_END, 1);
	}
	CHECK(n > 0 && n <= CPUHP_BP_PREPARE_DYN_END - CPUHP_BP_PREPARE_DYN + 1, 1);
	CHECK(dyn[n], -ENOSPC);
	while (n--)
		cpuhp_remove_state_nocalls(dyn[n]);
	CHECK(cpus_read_trylock(), 1);
	cpus_read_unlock();
#undef CHECK
	return 0;
}

static void test_errors(void **state)
{
	struct zsim_config cfg;
	int step = 0;

	trace_reset();
	zsim_test_config(state, &cfg, 3, 10);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	if (zsim_run(0, errors_task, &step))
		fail_msg("check %d failed", step);
	assert_int_equal(trace.n, 0);
	assert_int_equal(zsim_warnings(), 1);	/* the -ENOSPC one */

	/* From the test thread: the operation runs in a control task. */
	assert_int_equal(num_online_cpus(), 3);
	assert_int_equal(zsim_cpu_down(1), 0);
	assert_int_equal(zsim_cpu_down(1), -EINVAL);
	assert_int_equal(num_online_cpus(), 2);
	assert_int_equal(zsim_cpu_down(2), 0);
	assert_int_equal(zsim_cpu_down(0), -EBUSY);
	assert_int_equal(num_online_cpus(), 1);
	assert_int_equal(zsim_cpu_up(1), 0);
	assert_int_equal(zsim_cpu_up(1), -EINVAL);
	assert_int_equal(num_online_cpus(), cpumask_weight(cpu_online_mask));
	assert_int_equal(zsim_cpu_up(7), -EINVAL);
	assert_int_equal(remove_cpu(0), 0);
	assert_int_equal(add_cpu(2), 0);
	assert_int_equal(num_online_cpus(), 2);
	assert_int_equal(zsim_machine_stop(), 1);

	/* A machine that boots with CPU 2 offline. */
	zsim_test_config(state, &cfg, 3, 11);
	cfg.nr_online = 2;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_false(cpu_online(2));
	assert_int_equal(num_online_cpus(), 2);
	assert_int_equal(zsim_cpu_up(2), 0);
	assert_true(cpu_active(2));
	assert_int_equal(zsim_cpu_down(2), 0);
	zsim_test_shutdown_clean();
}

/* lockdep_assert_cpus_held() without the lock is reported. */
static int assert_unheld(void *arg)
{
	lockdep_assert_cpus_held();
	return 0;
}

static void test_assert_cpus_held(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 12);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, assert_unheld, NULL), 0);
	assert_true(zsim_reports() >= 1);
	zsim_machine_stop();
}

static int stop_machine_if_running(void **state)
{
	if (zsim_machine_running())
		zsim_machine_stop();
	return 0;
}

/* ---- CPUHP_MM_ZS_PREPARE, as zsmalloc uses it ---- */

static struct {
	int	prepared[4];	/* startups minus teardowns, per CPU */
	bool	hotplug;	/* zsim_cpu_up()/down() in progress */
	int	online_in_cb;	/* hotplug callbacks that found their CPU online */
} zs;

static int zs_prepare(unsigned int cpu)
{
	zs.prepared[cpu]++;
	zs.online_in_cb += zs.hotplug && cpu_online(cpu);
	return 0;
}

static int zs_dead(unsigned int cpu)
{
	zs.prepared[cpu]--;
	zs.online_in_cb += zs.hotplug && cpu_online(cpu);
	return 0;
}

static int zs_setup(void *arg)
{
	/* A fixed state: 0 on success, not a state number. */
	return cpuhp_setup_state(CPUHP_MM_ZS_PREPARE, "mm/zsmalloc:prepare",
				 zs_prepare, zs_dead);
}

static int zs_remove(void *arg)
{
	cpuhp_remove_state(CPUHP_MM_ZS_PREPARE);
	return 0;
}

static void test_mm_zs_prepare(void **state)
{
	struct zsim_config cfg;

	memset(&zs, 0, sizeof(zs));
	zsim_test_config(state, &cfg, 4, 13);
	cfg.nr_online = 3;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, zs_setup, NULL), 0);
	/* Run at once for the online CPUs only. */
	assert_int_equal(zs.prepared[0] + zs.prepared[1] + zs.prepared[2], 3);
	assert_int_equal(zs.prepared[3], 0);
	/* PREPARE: before the CPU comes online, after it went dead. */
	zs.hotplug = true;
	assert_int_equal(zsim_cpu_up(3), 0);
	assert_int_equal(zs.prepared[3], 1);
	assert_int_equal(zsim_cpu_down(1), 0);
	zs.hotplug = false;
	assert_int_equal(zs.prepared[1], 0);
	assert_int_equal(zs.online_in_cb, 0);
	assert_int_equal(zsim_run(0, zs_remove, NULL), 0);
	assert_int_equal(zs.prepared[0] + zs.prepared[2] + zs.prepared[3], 0);
	zsim_test_shutdown_clean();
}

/*
 * Taking a CPU down waits for a grace period once it is no longer active,
 * as the kernel's sched_cpu_deactivate(): an RCU reader that began before
 * remove_cpu() has finished before any teardown of that CPU runs.
 */
static struct {
	int started, unplugging, in_reader, torn_down, overlap;
	int state;
} dr;

static int dr_teardown(unsigned int cpu)
{
	if (READ_ONCE(dr.in_reader))
		WRITE_ONCE(dr.overlap, 1);
	WRITE_ONCE(dr.torn_down, 1);
	return 0;
}

static int dr_startup(unsigned int cpu)
{
	return 0;
}

static int dr_setup(void *arg)
{
	dr.state = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "test/rcu-reader",
					     dr_startup, dr_teardown);
	return dr.state < 0 ? dr.state : 0;
}

static int dr_reader(void *arg)
{
	int i;

	rcu_read_lock();
	WRITE_ONCE(dr.in_reader, 1);
	WRITE_ONCE(dr.started, 1);
	/* Still inside when remove_cpu() starts, then a while longer. */
	while (!READ_ONCE(dr.unplugging))
		sched_point();
	for (i = 0; i < 20000 && !READ_ONCE(dr.torn_down); i++)
		sched_point();
	WRITE_ONCE(dr.in_reader, 0);
	rcu_read_unlock();
	return 0;
}

static int dr_unplug(void *arg)
{
	while (!READ_ONCE(dr.started))
		sched_point();
	WRITE_ONCE(dr.unplugging, 1);
	return remove_cpu(1);
}

static int dr_remove(void *arg)
{
	cpuhp_remove_state_nocalls(dr.state);
	return 0;
}

static void test_deactivate_waits_for_readers(void **state)
{
	struct zsim_task *reader, *unplug;

	memset(&dr, 0, sizeof(dr));
	zsim_test_boot(state, 3, 7);
	assert_int_equal(zsim_run(0, dr_setup, NULL), 0);
	reader = zsim_spawn(1, dr_reader, NULL, "reader");
	unplug = zsim_spawn(2, dr_unplug, NULL, "unplug");
	assert_non_null(reader);
	assert_non_null(unplug);
	assert_int_equal(zsim_join(reader), 0);
	assert_int_equal(zsim_join(unplug), 0);
	assert_int_equal(dr.torn_down, 1);
	assert_int_equal(dr.overlap, 0);
	assert_int_equal(zsim_run(0, dr_remove, NULL), 0);
	zsim_test_shutdown_clean();
}

int main(void)
{
	struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_callback_order),
		ZSIM_TEST_BOTH(test_mm_zs_prepare),
		ZSIM_TEST_BOTH(test_callback_placement),
		ZSIM_TEST_BOTH(test_startup_failure_rolls_back),
		ZSIM_TEST_BOTH(test_multi_instance),
		ZSIM_TEST_BOTH(test_multi_without_teardown),
		ZSIM_TEST_BOTH(test_tasks_migrated_off),
		ZSIM_TEST_BOTH(test_hotplug_vs_instances),
		ZSIM_TEST_BOTH(test_cpus_read_lock_excludes_hotplug),
		ZSIM_TEST_BOTH(test_errors),
		ZSIM_TEST_BOTH(test_assert_cpus_held),
		ZSIM_TEST_BOTH(test_deactivate_waits_for_readers),
	};
	size_t i;

	/* A failed test must not leave its machine running for the next. */
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		tests[i].teardown_func = stop_machine_if_running;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
