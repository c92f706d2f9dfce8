// SPDX-License-Identifier: GPL-2.0-only
/*
 * Booting and shutting down the simulated machine (init/main.c's
 * start_kernel(), in miniature), and the entry points a test uses to run
 * code on it (include/zswapsim.h).
 */
#include <linux/bug.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/topology.h>
#include <sim/init.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <sim/timing.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zswapsim.h>

#include "zsim_config.h"
#include "../kernel/sched/sched.h"

int __cpu_to_node_map[NR_CPUS];
nodemask_t node_states[NR_NODE_STATES];
unsigned int nr_node_ids = 1;

int sched_init(const struct zsim_config *cfg);
unsigned int sched_exit(void);
void sched_wait_running_tasks(void);
void lockdep_set_enabled(bool on);
void lockdep_reset(void);
void do_initcalls(void);
void do_exitcalls(void);

static bool machine_up;
static bool machine_wedged;
/* Counts boots, so WARN_ONCE() and friends fire once per machine. */
unsigned long sim_boot_id;
enum system_states system_state = SYSTEM_HALT;

void zsim_config_init(struct zsim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_cpus = ZSIM_DEFAULT_CPUS;
	cfg->nr_nodes = 1;
	cfg->ram_bytes = 256ULL << 20;
	cfg->backend = ZSIM_FREE_RUNNING;
	cfg->seed = 1;
	cfg->policy = ZSIM_SCHED_RANDOM;
	cfg->pct_depth = 3;
	cfg->pct_steps = 20000;
	cfg->migrate_permille = 20;
	cfg->lockdep = ZSIM_LOCKDEP_DEFAULT;
	cfg->slub_debug = true;
	cfg->kmemleak = true;
	cfg->page_poison = true;
}

/* A number in 0..@max: no sign, nothing after it, nothing cut off. */
static int env_uint(const char *name, unsigned long long max, unsigned long long *val)
{
	const char *s = getenv(name);
	char *end;

	if (!s || !*s)
		return 0;
	errno = 0;
	*val = strtoull(s, &end, 0);
	if (*end || strchr(s, '-') || errno == ERANGE || *val > max) {
		fprintf(stderr, "zswapsim: %s=\"%s\" is not a number in 0..%llu\n", name, s, max);
		return -EINVAL;
	}
	return 1;
}

int zsim_config_from_env(struct zsim_config *cfg)
{
	unsigned long long v;
	const char *s;
	int ret;

	s = getenv("ZSWAPSIM_BACKEND");
	if (s && *s) {
		if (!strcmp(s, "free") || !strcmp(s, "free-running"))
			cfg->backend = ZSIM_FREE_RUNNING;
		else if (!strcmp(s, "controlled"))
			cfg->backend = ZSIM_CONTROLLED;
		else {
			fprintf(stderr, "zswapsim: ZSWAPSIM_BACKEND=\"%s\": want free or controlled\n", s);
			return -EINVAL;
		}
	}
	s = getenv("ZSWAPSIM_SCHED");
	if (s && *s) {
		if (!strcmp(s, "random"))
			cfg->policy = ZSIM_SCHED_RANDOM;
		else if (!strcmp(s, "pct"))
			cfg->policy = ZSIM_SCHED_PCT;
		else {
			fprintf(stderr, "zswapsim: ZSWAPSIM_SCHED=\"%s\": want random or pct\n", s);
			return -EINVAL;
		}
	}
	if ((ret = env_uint("ZSWAPSIM_SEED", ULLONG_MAX, &v)) < 0)
		return ret;
	if (ret)
		cfg->seed = v;
	if ((ret = env_uint("ZSWAPSIM_CPUS", UINT_MAX, &v)) < 0)
		return ret;
	if (ret)
		cfg->nr_cpus = v;
	if ((ret = env_uint("ZSWAPSIM_PCT_DEPTH", UINT_MAX, &v)) < 0)
		return ret;
	if (ret)
		cfg->pct_depth = v;
	if ((ret = env_uint("ZSWAPSIM_LOCKDEP", 1, &v)) < 0)
		return ret;
	if (ret)
		cfg->lockdep = v != 0;
	if ((ret = env_uint("ZSWAPSIM_SLUB_DEBUG", 1, &v)) < 0)
		return ret;
	if (ret)
		cfg->slub_debug = v != 0;
	if ((ret = env_uint("ZSWAPSIM_KMEMLEAK", 1, &v)) < 0)
		return ret;
	if (ret)
		cfg->kmemleak = v != 0;
	if ((ret = env_uint("ZSWAPSIM_PAGE_POISON", 1, &v)) < 0)
		return ret;
	if (ret)
		cfg->page_poison = v != 0;
	s = getenv("ZSWAPSIM_TIMING");
	if (s && *s) {
		if (!strcmp(s, "measured"))
			cfg->timing = ZSIM_TIMING_MEASURED;
		else if (!strcmp(s, "modelled"))
			cfg->timing = ZSIM_TIMING_MODELLED;
		else {
			fprintf(stderr, "zswapsim: ZSWAPSIM_TIMING=\"%s\": want measured or modelled\n", s);
			return -EINVAL;
		}
	}
	s = getenv("ZSWAPSIM_REPLAY");
	if (s && *s) {
		cfg->replay = s;
		cfg->backend = ZSIM_CONTROLLED;
	}
	return 0;
}

static int check_config(const struct zsim_config *cfg)
{
	if (cfg->nr_cpus < 1 || cfg->nr_cpus > NR_CPUS) {
		fprintf(stderr, "zswapsim: nr_cpus %u out of range 1..%d\n", cfg->nr_cpus, NR_CPUS);
		return -EINVAL;
	}
	if (cfg->nr_online > cfg->nr_cpus) {
		fprintf(stderr, "zswapsim: nr_online %u > nr_cpus %u\n", cfg->nr_online, cfg->nr_cpus);
		return -EINVAL;
	}
	if (cfg->nr_nodes < 1 || cfg->nr_nodes > MAX_NUMNODES || cfg->nr_nodes > cfg->nr_cpus) {
		fprintf(stderr, "zswapsim: nr_nodes %u out of range 1..min(%d, nr_cpus)\n",
			cfg->nr_nodes, MAX_NUMNODES);
		return -EINVAL;
	}
	if (cfg->ram_bytes < (4ULL << 20) * cfg->nr_nodes) {
		fprintf(stderr, "zswapsim: ram_bytes %llu too small (4 MiB per node at least)\n",
			(unsigned long long)cfg->ram_bytes);
		return -EINVAL;
	}
	/* The host reserves it all, and a struct page per page: keep it sane. */
	if (cfg->ram_bytes > ZSIM_MAX_RAM_BYTES) {
		fprintf(stderr, "zswapsim: ram_bytes %llu too large (1 TiB at most)\n",
			(unsigned long long)cfg->ram_bytes);
		return -EINVAL;
	}
	if (cfg->backend != ZSIM_FREE_RUNNING && cfg->backend != ZSIM_CONTROLLED) {
		fprintf(stderr, "zswapsim: backend %d is neither ZSIM_FREE_RUNNING nor ZSIM_CONTROLLED\n",
			cfg->backend);
		return -EINVAL;
	}
	if (cfg->policy != ZSIM_SCHED_RANDOM && cfg->policy != ZSIM_SCHED_PCT) {
		fprintf(stderr, "zswapsim: policy %d is neither ZSIM_SCHED_RANDOM nor ZSIM_SCHED_PCT\n",
			cfg->policy);
		return -EINVAL;
	}
	if (cfg->timing != ZSIM_TIMING_MEASURED && cfg->timing != ZSIM_TIMING_MODELLED) {
		fprintf(stderr, "zswapsim: timing %d is neither ZSIM_TIMING_MEASURED nor ZSIM_TIMING_MODELLED\n",
			cfg->timing);
		return -EINVAL;
	}
	if (cfg->migrate_permille > 1000) {
		fprintf(stderr, "zswapsim: migrate_permille %u > 1000\n", cfg->migrate_permille);
		return -EINVAL;
	}
	return 0;
}

static void setup_topology(const struct zsim_config *cfg)
{
	unsigned int nr_online = cfg->nr_online ? cfg->nr_online : cfg->nr_cpus;
	unsigned int cpu;
	int node, state;

	nr_cpu_ids = cfg->nr_cpus;
	cpumask_clear(&__cpu_possible_mask);
	cpumask_clear(&__cpu_present_mask);
	cpumask_clear(&__cpu_online_mask);
	__num_online_cpus = 0;
	cpumask_clear(&__cpu_active_mask);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		cpumask_set_cpu(cpu, &__cpu_possible_mask);
		cpumask_set_cpu(cpu, &__cpu_present_mask);
		if (cpu < nr_online) {
			set_cpu_online(cpu, true);
			cpumask_set_cpu(cpu, &__cpu_active_mask);
		}
		/* Nodes own contiguous blocks of CPUs, as on real sockets. */
		__cpu_to_node_map[cpu] = cpu * cfg->nr_nodes / cfg->nr_cpus;
	}
	nr_node_ids = cfg->nr_nodes;
	for (state = 0; state < NR_NODE_STATES; state++) {
		memset(&node_states[state], 0, sizeof(node_states[state]));
		if (state == N_GENERIC_INITIATOR)
			continue;
		for (node = 0; node < (int)cfg->nr_nodes; node++)
			__set_bit(node, node_states[state].bits);
	}
}

static int boot_task(void *arg)
{
	int ret;

	ret = timers_init();
	if (!ret)
		ret = rcu_init();
	if (!ret)
		ret = workqueue_init();
	if (!ret)
		ret = cpuhp_init();
	if (!ret)
		do_initcalls();
	return ret;
}

static int shutdown_task(void *arg)
{
	do_exitcalls();
	cpuhp_exit();
	workqueue_exit();
	rcu_exit();
	timers_exit();
	return 0;
}

int zsim_machine_start(const struct zsim_config *cfg)
{
	int ret;

	if (!cfg) {
		fprintf(stderr, "zswapsim: zsim_machine_start() without a configuration\n");
		return -EINVAL;
	}
	if (machine_up) {
		fprintf(stderr, "zswapsim: a machine is already running\n");
		return -EBUSY;
	}
	ret = check_config(cfg);
	if (ret)
		return ret;
	sim_boot_id++;
	system_state = SYSTEM_BOOTING;
	sim_report_reset();
	sim_report_set_quiet(cfg->quiet);
	setup_topology(cfg);
	lockdep_set_enabled(cfg->lockdep);
	sim_timing = cfg->timing == ZSIM_TIMING_MODELLED ? SIM_TIMING_MODELLED :
							 SIM_TIMING_MEASURED;

	ret = fault_inject_init(cfg->seed);
	if (ret)
		return ret;
	ret = page_alloc_init(cfg->ram_bytes, cfg->nr_nodes, cfg->page_poison);
	if (ret)
		goto out_fault;
	ret = kmem_init(cfg->nr_nodes, cfg->slub_debug, cfg->kmemleak);
	if (ret)
		goto out_page;
	ret = percpu_init();
	if (ret)
		goto out_kmem;
	ret = sched_init(cfg);
	if (ret)
		goto out_percpu;
	machine_up = true;
	ret = zsim_run(0, boot_task, NULL);
	if (ret) {
		fprintf(stderr, "zswapsim: boot failed: %d\n", ret);
		zsim_machine_stop();
		return ret;
	}
	system_state = SYSTEM_RUNNING;
	return 0;

out_percpu:
	percpu_exit();
out_kmem:
	kmem_exit();
out_page:
	page_alloc_exit();
out_fault:
	fault_inject_exit();
	return ret;
}

bool sim_machine_wedged(void)
{
	return machine_wedged;
}

/*
 * A wedged controlled run (deadlock, hang, step limit) can run no task: kill
 * them all and let each subsystem forget its state. What the killed tasks
 * held is leaked on purpose; the run was already reported.
 */
static void abandon_machine(void)
{
	machine_wedged = true;
	sim_report_set_quiet(true);
	sched_controlled_kill_all();
	cpuhp_exit();
	workqueue_exit();
	rcu_exit();
	timers_exit();
}

unsigned long zsim_machine_stop(void)
{
	unsigned long reports;
	unsigned int left;

	if (!machine_up)
		return 0;
	/* A task cannot wait for itself to be torn down. */
	if (WARN(current, "zsim_machine_stop() called from simulated task %s/%d: stop the machine from the test thread\n",
		 current->comm, current->pid))
		return sim_report_total();
	/* Free-running: not under tasks still executing (reported below). */
	sched_wait_running_tasks();
	system_state = SYSTEM_HALT;
	if (sched_controlled_wedged())
		abandon_machine();
	else
		zsim_run(cpumask_first(cpu_online_mask), shutdown_task, NULL);
	left = sched_exit();
	if (left && !machine_wedged) {
		sim_report_begin(SIM_REPORT_LEAK, "zswapsim: %u simulated task(s) not joined at shutdown",
				 left);
		sim_report_end();
	}
	/* Reports from here on in a wedged machine are its leaks: not counted. */
	reports = sim_report_total();
	debugfs_exit();
	percpu_exit();
	kmem_exit();
	page_alloc_exit();
	fault_inject_exit();
	lockdep_reset();
	if (!machine_wedged)
		reports = sim_report_total();
	machine_wedged = false;
	sim_report_set_quiet(false);
	machine_up = false;
	return reports;
}

bool zsim_machine_running(void)
{
	return machine_up;
}

struct zsim_task *zsim_spawn(int cpu, int (*fn)(void *arg), void *arg, const char *name)
{
	struct task_struct *t;

	if (!machine_up) {
		fprintf(stderr, "zswapsim: zsim_spawn: no machine running\n");
		return NULL;
	}
	if (!fn) {
		fprintf(stderr, "zswapsim: zsim_spawn(%d, %s): no function to run\n", cpu,
			name ? name : "");
		return NULL;
	}
	t = sched_task_create(fn, arg, cpu, "%s", name ? name : "zsim");
	if (IS_ERR(t)) {
		fprintf(stderr, "zswapsim: zsim_spawn(%d, %s): %ld\n", cpu, name ? name : "", PTR_ERR(t));
		return NULL;
	}
	sched_task_start(t);
	return (struct zsim_task *)t;
}

int zsim_join(struct zsim_task *task)
{
	if (!task)
		return -EINVAL;
	return sched_task_join_handle((struct task_struct *)task);
}

int zsim_run(int cpu, int (*fn)(void *arg), void *arg)
{
	struct zsim_task *t = zsim_spawn(cpu, fn, arg, "zsim_run");

	if (!t)
		return -EINVAL;
	return zsim_join(t);
}
