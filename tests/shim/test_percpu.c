// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-CPU allocator and accessors (shim/mm/percpu.c,
 * <linux/percpu-defs.h>): one real slot per possible CPU, reuse and
 * zeroing, static DEFINE_PER_CPU variables, the preemption checks, leak
 * reports at shutdown and fault injection.
 *
 * Simulated tasks return 0 or the (negative) line of the first failed
 * CHECK(); the test thread asserts on that.
 */
#include "zsim_test.h"

#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/percpu.h>
#include <linux/poison.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <stdio.h>
#include <string.h>

#ifdef ZSIM_SANITIZE
#include <sanitizer/asan_interface.h>
#endif

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #cond);			\
		return -__LINE__;					\
	}								\
} while (0)

/* After a failed assertion, stop the machine so the next test can boot. */
static int stop_machine(void **state)
{
	if (zsim_machine_running())
		zsim_machine_stop();
	return 0;
}

#define PCPU_TEST_FREE(fn) \
	{ #fn "/free", fn, NULL, stop_machine, (void *)&zsim_test_free_backend }
#define PCPU_TEST_BOTH(fn) PCPU_TEST_FREE(fn), \
	{ #fn "/controlled", fn, NULL, stop_machine, (void *)&zsim_test_controlled_backend }

static void boot_quiet(void **state, unsigned int nr_cpus, bool quiet)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, nr_cpus, 1);
	cfg.quiet = quiet;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

/* ---- one distinct slot per possible CPU ---- */

static int slots_task(void *arg)
{
	unsigned int want = (unsigned long)arg;
	unsigned long *slot[NR_CPUS];
	unsigned long __percpu *p;
	unsigned long before = pcpu_nr_live_allocs();
	int cpu, other;

	CHECK(nr_cpu_ids == want);
	CHECK(num_possible_cpus() == want);
	p = alloc_percpu(unsigned long);
	CHECK(p);
	CHECK(pcpu_nr_live_allocs() == before + 1);
	for_each_possible_cpu(cpu) {
		slot[cpu] = per_cpu_ptr(p, cpu);
		CHECK(IS_ALIGNED((unsigned long)slot[cpu], __alignof__(unsigned long)));
		CHECK(*slot[cpu] == 0);
		*slot[cpu] = 1000 + cpu;
	}
	for_each_possible_cpu(cpu) {
		CHECK(*per_cpu_ptr(p, cpu) == 1000UL + cpu);
		for (other = 0; other < cpu; other++)
			CHECK(slot[other] != slot[cpu]);
	}
	/* A task's own slot is the one of the CPU it runs on. */
	preempt_disable();
	CHECK(this_cpu_ptr(p) == slot[smp_processor_id()]);
	preempt_enable();
	free_percpu(p);
	CHECK(pcpu_nr_live_allocs() == before);
	return 0;
}

static void run_slots(void **state, unsigned int nr_cpus)
{
	boot_quiet(state, nr_cpus, false);
	assert_int_equal(zsim_run(nr_cpus - 1, slots_task, (void *)(unsigned long)nr_cpus), 0);
	zsim_test_shutdown_clean();
}

static void test_slots_1cpu(void **state)
{
	run_slots(state, 1);
}

static void test_slots_4cpus(void **state)
{
	run_slots(state, 4);
}

static void test_slots_256cpus(void **state)
{
	run_slots(state, 256);
}

/* ---- slots persist, free + alloc reuses, alignment ---- */

struct three {
	long a, b, c;
};

static int reuse_task(void *arg)
{
	struct three __percpu *a;
	char __percpu *b, *d;
	void __percpu *big, *page;
	int cpu;

	a = alloc_percpu(struct three);
	CHECK(a);
	for_each_possible_cpu(cpu) {
		per_cpu_ptr(a, cpu)->a = cpu;
		per_cpu_ptr(a, cpu)->b = -cpu;
		per_cpu_ptr(a, cpu)->c = 7 * cpu;
	}
	b = __alloc_percpu(40, 8);
	CHECK(b);
	big = __alloc_percpu(1000, 64);
	CHECK(big);
	CHECK(IS_ALIGNED((unsigned long)big, 64));
	page = __alloc_percpu(16, 4096);
	CHECK(page);
	CHECK(IS_ALIGNED((unsigned long)page, 4096));
	for_each_possible_cpu(cpu) {
		CHECK(IS_ALIGNED((unsigned long)per_cpu_ptr(page, cpu), 4096));
		memset(per_cpu_ptr(b, cpu), 0x5a, 40);
		memset(per_cpu_ptr(big, cpu), 0x11, 1000);
		memset(per_cpu_ptr(page, cpu), 0x22, 16);
	}
	/* First fit: the freed hole is handed out again, cleared. */
	free_percpu(b);
	d = __alloc_percpu(40, 8);
	CHECK(d == b);
	for_each_possible_cpu(cpu) {
		int i;

		for (i = 0; i < 40; i++)
			CHECK(per_cpu_ptr(d, cpu)[i] == 0);
		/* The neighbours kept their contents. */
		CHECK(per_cpu_ptr(a, cpu)->a == cpu);
		CHECK(per_cpu_ptr(a, cpu)->b == -cpu);
		CHECK(per_cpu_ptr(a, cpu)->c == 7 * cpu);
		CHECK(((unsigned char *)per_cpu_ptr(big, cpu))[999] == 0x11);
		CHECK(((unsigned char *)per_cpu_ptr(page, cpu))[0] == 0x22);
	}
	/* Pointers to members translate like the struct. */
	CHECK(&per_cpu_ptr(a, 2)->c == per_cpu_ptr(&a->c, 2));
	free_percpu(a);
	free_percpu(d);
	free_percpu(big);
	free_percpu(page);
	return 0;
}

static void test_persist_and_reuse(void **state)
{
	boot_quiet(state, 4, false);
	assert_int_equal(zsim_run(1, reuse_task, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- zeroing and poisoning ---- */

static bool stale_slot_poisoned(const unsigned char *p, size_t size)
{
#ifdef ZSIM_SANITIZE
	/* Reading it would be a (deliberate) ASan report: ask ASan instead. */
	return __asan_region_is_poisoned((void *)p, size) == p;
#else
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i] != POISON_FREE)
			return false;
	return true;
#endif
}

static int zero_task(void *arg)
{
	u64 (__percpu *p)[8], (__percpu *q)[8], (__percpu *r)[8];
	int cpu, i;

	p = alloc_percpu_gfp(u64[8], GFP_KERNEL | __GFP_ZERO);
	CHECK(p);
	for_each_possible_cpu(cpu) {
		for (i = 0; i < 8; i++) {
			CHECK((*per_cpu_ptr(p, cpu))[i] == 0);
			(*per_cpu_ptr(p, cpu))[i] = ~0ULL;
		}
	}
	free_percpu(p);
	/* Freed slots are poisoned on every CPU. */
	for_each_possible_cpu(cpu)
		CHECK(stale_slot_poisoned((void *)per_cpu_ptr(p, cpu), sizeof(*p)));

	/*
	 * Without __GFP_ZERO the memory is still zeroed: the kernel's
	 * pcpu_alloc() clears every allocation on every possible CPU.
	 */
	q = alloc_percpu_gfp(u64[8], GFP_KERNEL);
	CHECK(q == p);
	for_each_possible_cpu(cpu) {
		for (i = 0; i < 8; i++) {
			CHECK((*per_cpu_ptr(q, cpu))[i] == 0);
			(*per_cpu_ptr(q, cpu))[i] = 0x1234;
		}
	}
	free_percpu(q);
	/* An atomic (non-blocking) allocation works the same. */
	r = alloc_percpu_gfp(u64[8], GFP_NOWAIT);
	CHECK(r == p);
	for_each_possible_cpu(cpu)
		for (i = 0; i < 8; i++)
			CHECK((*per_cpu_ptr(r, cpu))[i] == 0);
	free_percpu(r);
	return 0;
}

static void test_zeroing_and_poison(void **state)
{
	boot_quiet(state, 4, false);
	assert_int_equal(zsim_run(0, zero_task, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- static per-CPU variables ---- */

struct pcpu_stats {
	unsigned long	events;
	unsigned long	bytes;
};

static DEFINE_PER_CPU(unsigned long, test_counter);
static DEFINE_PER_CPU(int, test_initval) = 42;
static DEFINE_PER_CPU_ALIGNED(struct pcpu_stats, test_stats);

#define STATIC_TASKS	8
#define STATIC_ITERS	500

struct static_ctx {
	int	bad_initval;
};

static int static_worker(void *arg)
{
	struct static_ctx *ctx = arg;
	int i;

	if (this_cpu_read(test_initval) != 42)
		__atomic_store_n(&ctx->bad_initval, 1, __ATOMIC_RELAXED);
	for (i = 0; i < STATIC_ITERS; i++) {
		this_cpu_inc(test_counter);
		this_cpu_add(test_stats.bytes, 3);
		/* An explicit pointer, with preemption off as required. */
		get_cpu_ptr(&test_stats)->events++;
		put_cpu_ptr(&test_stats);
	}
	return 0;
}

static void test_static_percpu(void **state)
{
	struct zsim_task *tasks[STATIC_TASKS];
	struct static_ctx ctx = { 0 };
	unsigned long sum = 0, events = 0, bytes = 0;
	int cpu, i;

	boot_quiet(state, 4, false);
	/* A fresh boot has the initial values, whatever the last machine did. */
	for_each_possible_cpu(cpu) {
		assert_int_equal(per_cpu(test_initval, cpu), 42);
		assert_int_equal(per_cpu(test_counter, cpu), 0);
		assert_ptr_equal(per_cpu_ptr(&test_counter, cpu), &per_cpu(test_counter, cpu));
		assert_ptr_not_equal(per_cpu_ptr(&test_counter, cpu), &test_counter);
		assert_true(IS_ALIGNED((unsigned long)per_cpu_ptr(&test_stats, cpu), 64));
		assert_true(is_kernel_percpu_address((unsigned long)per_cpu_ptr(&test_counter, cpu)));
		if (cpu)
			assert_ptr_not_equal(per_cpu_ptr(&test_counter, cpu),
					     per_cpu_ptr(&test_counter, cpu - 1));
	}
	for (i = 0; i < STATIC_TASKS; i++) {
		tasks[i] = zsim_spawn(i % 4, static_worker, &ctx, "static_worker");
		assert_non_null(tasks[i]);
	}
	for (i = 0; i < STATIC_TASKS; i++)
		assert_int_equal(zsim_join(tasks[i]), 0);
	assert_int_equal(ctx.bad_initval, 0);
	for_each_possible_cpu(cpu) {
		sum += per_cpu(test_counter, cpu);
		events += per_cpu_ptr(&test_stats, cpu)->events;
		bytes += per_cpu(test_stats, cpu).bytes;
		/* Dirty the values: the next boot must start afresh. */
		per_cpu(test_initval, cpu) = 7;
	}
	assert_int_equal(sum, STATIC_TASKS * STATIC_ITERS);
	assert_int_equal(events, STATIC_TASKS * STATIC_ITERS);
	assert_int_equal(bytes, 3 * STATIC_TASKS * STATIC_ITERS);
	/* The variable itself is only the template. */
	assert_int_equal(test_counter, 0);
	zsim_test_shutdown_clean();
}

/* ---- preemption checks ---- */

struct preempt_ctx {
	unsigned long	quiet_reports;	/* uses that must not report */
	unsigned long	this_cpu_ptr_reports;
	unsigned long	__this_cpu_reports;
	int		ret;
};

static unsigned long preempt_reports(void)
{
	return sim_report_count(SIM_REPORT_PREEMPT);
}

static int preempt_task(void *arg)
{
	struct preempt_ctx *ctx = arg;
	unsigned long __percpu *p = alloc_percpu(unsigned long);
	unsigned long n0, *slot;

	CHECK(p);
	n0 = preempt_reports();
	preempt_disable();
	slot = this_cpu_ptr(p);
	CHECK(slot == per_cpu_ptr(p, smp_processor_id()));
	__this_cpu_inc(*p);
	preempt_enable();
	migrate_disable();
	(*this_cpu_ptr(p))++;
	migrate_enable();
	slot = get_cpu_ptr(p);
	(*slot)++;
	put_cpu_ptr(p);
	/* Irq-safe single operations and raw accessors never report. */
	this_cpu_inc(*p);
	this_cpu_add(*p, 2);
	(void)this_cpu_read(*p);
	(void)raw_cpu_ptr(p);
	raw_cpu_inc(*p);
	ctx->quiet_reports = preempt_reports() - n0;

	n0 = preempt_reports();
	(void)this_cpu_ptr(p);
	ctx->this_cpu_ptr_reports = preempt_reports() - n0;

	n0 = preempt_reports();
	__this_cpu_inc(*p);
	ctx->__this_cpu_reports = preempt_reports() - n0;
	free_percpu(p);
	return 0;
}

static void test_preempt_checks(void **state)
{
	struct preempt_ctx ctx = { 0 };

	boot_quiet(state, 2, true);
	assert_int_equal(zsim_run(0, preempt_task, &ctx), 0);
	assert_int_equal(ctx.quiet_reports, 0);
	assert_int_equal(ctx.this_cpu_ptr_reports, 1);
	assert_int_equal(ctx.__this_cpu_reports, 1);
	assert_int_equal(zsim_machine_stop(), 2);
	assert_int_equal(sim_report_count(SIM_REPORT_PREEMPT), 2);
	assert_non_null(strstr(zsim_first_report(), "in preemptible"));
}

/* ---- a per-CPU read is a scheduling point where the task can migrate ---- */

static int migrate_task(void *arg)
{
	unsigned long __percpu *p = alloc_percpu(unsigned long);
	unsigned long *last = NULL, *slot;
	int i, moves = 0;

	CHECK(p);
	for (i = 0; i < 2000; i++) {
		slot = raw_cpu_ptr(p);
		if (last && slot != last)
			moves++;
		last = slot;
	}
	free_percpu(p);
	return moves;
}

static void test_read_is_sched_point(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 4, 3);
	cfg.migrate_permille = 200;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	/* Nothing but raw_cpu_ptr() in the loop: it moved there. */
	assert_true(zsim_run(0, migrate_task, NULL) > 0);
	zsim_test_shutdown_clean();
}

/* ---- leaks at shutdown ---- */

static int leak_task(void *arg)
{
	void __percpu *p = __alloc_percpu(24, 8);
	void __percpu *q = alloc_percpu(int);

	CHECK(p && q);
	return 0;
}

static void test_leak_reported(void **state)
{
	unsigned long booted;

	boot_quiet(state, 4, true);
	/* What boot allocated (root memcg statistics), freed at shutdown. */
	booted = pcpu_nr_live_allocs();
	assert_int_equal(zsim_run(2, leak_task, NULL), 0);
	assert_int_equal(pcpu_nr_live_allocs(), booted + 2);
	assert_int_equal(zsim_machine_stop(), 1);
	assert_int_equal(sim_report_count(SIM_REPORT_LEAK), 1);
	assert_non_null(strstr(zsim_first_report(), "percpu: 2 allocation(s)"));
	assert_non_null(strstr(zsim_first_report(), "allocated at:"));
	/* Allocations do not survive the machine. */
	assert_int_equal(pcpu_nr_live_allocs(), 0);
	assert_int_equal(pcpu_live_bytes(), 0);
	boot_quiet(state, 4, false);
	zsim_test_shutdown_clean();
}

/* ---- misuse ---- */

static int misuse_task(void *arg)
{
	char __percpu *p = __alloc_percpu(64, 8);
	int local;

	CHECK(p);
	free_percpu(p + 8);			/* inside an allocation */
	free_percpu(p);
	free_percpu(p);				/* double free */
	free_percpu((void __percpu *)&local);	/* not per-CPU memory */
	free_percpu(&test_counter);		/* a static variable */
	CHECK(!__alloc_percpu(0, 8));
	CHECK(!__alloc_percpu(PCPU_MIN_UNIT_SIZE + 1, 8));
	CHECK(!__alloc_percpu(8, 3));
	/* __GFP_NOWARN: refused silently. */
	CHECK(!__alloc_percpu_gfp(8, 3, GFP_KERNEL | __GFP_NOWARN));
	free_percpu(NULL);
	return 0;
}

static void test_misuse_warns(void **state)
{
	boot_quiet(state, 2, true);
	assert_int_equal(zsim_run(0, misuse_task, NULL), 0);
	assert_int_equal(zsim_warnings(), 7);
	assert_int_equal(zsim_machine_stop(), 7);
	assert_non_null(strstr(zsim_first_report(), "not its start"));
}

/* ---- fault injection ---- */

static int fault_task(void *arg)
{
	void __percpu *a, *b, *c;

	a = alloc_percpu(long);
	b = alloc_percpu_gfp(long, GFP_NOWAIT);
	c = alloc_percpu(long);
	CHECK(a && !b && c);
	/* __GFP_NOFAIL allocations are never failed. */
	b = alloc_percpu_gfp(long, GFP_KERNEL | __GFP_NOFAIL);
	CHECK(b);
	free_percpu(a);
	free_percpu(b);
	free_percpu(c);
	return 0;
}

static void test_fault_injection(void **state)
{
	boot_quiet(state, 2, false);
	assert_int_equal(zsim_fault_set("percpu", 0, 0, 2), 0);
	assert_int_equal(zsim_run(0, fault_task, NULL), 0);
	assert_int_equal(zsim_fault_injected("percpu"), 1);
	assert_true(zsim_fault_calls("percpu") >= 3);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
}

/* ---- get_cpu()/put_cpu(), online CPUs and NUMA nodes ---- */

struct topo_result {
	int	cpus_seen;
	int	nodes_seen;
	int	cpu_on_node[4];
	int	bad;
};

static int topology_task(void *arg)
{
	struct topo_result *r = arg;
	int cpu, node, i;

	for (i = 0; i < 200; i++) {
		cpu = get_cpu();
		/* Preemption is off: no migration until put_cpu(). */
		if (preemptible() || preempt_count() != 1)
			r->bad++;
		sched_point();		/* a point, but no migration */
		if (smp_processor_id() != cpu || numa_node_id() != cpu_to_node(cpu))
			r->bad++;
		put_cpu();
		if (!preemptible())
			r->bad++;
	}
	for_each_online_cpu(cpu) {
		r->cpus_seen++;
		if (!cpu_online(cpu))
			r->bad++;
	}
	for_each_node_state(node, N_NORMAL_MEMORY)
		r->nodes_seen++;
	for_each_possible_cpu(cpu) {
		node = cpu_to_node(cpu);
		if (node < 0 || node >= 4 || !node_state(node, N_NORMAL_MEMORY))
			r->bad++;
		else
			r->cpu_on_node[node]++;
	}
	return 0;
}

static void test_topology(void **state)
{
	struct topo_result r = { 0 };
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 8, 3);
	cfg.nr_online = 6;
	cfg.nr_nodes = 2;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(1, topology_task, &r), 0);
	assert_int_equal(r.bad, 0);
	assert_int_equal(r.cpus_seen, 6);
	assert_int_equal(r.nodes_seen, 2);
	/* CPUs are spread over the nodes in blocks. */
	assert_int_equal(r.cpu_on_node[0], 4);
	assert_int_equal(r.cpu_on_node[1], 4);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PCPU_TEST_FREE(test_slots_1cpu),
		PCPU_TEST_FREE(test_slots_4cpus),
		PCPU_TEST_FREE(test_slots_256cpus),
		PCPU_TEST_FREE(test_persist_and_reuse),
		PCPU_TEST_FREE(test_zeroing_and_poison),
		PCPU_TEST_BOTH(test_static_percpu),
		PCPU_TEST_BOTH(test_preempt_checks),
		PCPU_TEST_BOTH(test_read_is_sched_point),
		PCPU_TEST_FREE(test_leak_reported),
		PCPU_TEST_FREE(test_misuse_warns),
		PCPU_TEST_FREE(test_fault_injection),
		PCPU_TEST_BOTH(test_topology),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
