// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU hotplug (kernel/cpu.c): the per-CPU state machine, the table of
 * state callbacks, multi-instance states, and cpu_hotplug_lock.
 *
 * Each CPU has a state (cpuhp_state[cpu].state): CPUHP_ONLINE when up,
 * CPUHP_OFFLINE when down. add_cpu() walks it up one state at a time,
 * invoking each state's startup callback; remove_cpu() walks it down
 * invoking the teardowns. Both run on the calling task, the control task,
 * with cpu_hotplug_lock held for write:
 *
 *   up:   PREPARE startups on the control task (CPU still offline)
 *         BRINGUP_CPU: the CPU is marked present and online
 *         AP startups on the CPU (the control task bound to it), and at
 *         AP_ACTIVE the scheduler may place tasks on it
 *   down: AP teardowns on the CPU, AP_ACTIVE first: no new tasks there
 *         BRINGUP_CPU: the control task leaves, the CPU is marked offline
 *         and the tasks still on it are migrated off (sched_cpu_wait_empty)
 *         PREPARE ("dead") teardowns on the control task
 *
 * Difference: the kernel runs AP callbacks in the CPU's cpuhp/N thread and
 * the dying ones in stop_machine; the shim runs them on the control task
 * bound to that CPU, so they see the same CPU, current differs.
 *
 * The per-CPU state is a plain array (one slot per possible CPU) rather
 * than DEFINE_PER_CPU, so that it exists before the per-CPU allocator.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu-rwsem.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <sim/init.h>
#include <sim/rawlock.h>
#include <sim/sched.h>
#include <zswapsim.h>

struct cpuhp_step {
	const char		*name;
	union {
		int		(*single)(unsigned int cpu);
		int		(*multi)(unsigned int cpu, struct hlist_node *node);
	} startup;
	union {
		int		(*single)(unsigned int cpu);
		int		(*multi)(unsigned int cpu, struct hlist_node *node);
	} teardown;
	struct hlist_head	list;		/* instances of a multi-instance state */
	bool			multi_instance;
};

struct cpuhp_cpu_state {
	enum cpuhp_state	state;
};

static struct cpuhp_step cpuhp_hp_states[CPUHP_ONLINE + 1];
static struct cpuhp_cpu_state cpuhp_state[NR_CPUS];

/* Serialises changes of the callback table and of instance lists. */
static struct mutex cpuhp_state_mutex;
/* Serialises hotplug operations and cpu_hotplug_disabled. */
static struct mutex cpu_add_remove_lock;
static struct percpu_rw_semaphore cpu_hotplug_lock;
static int cpu_hotplug_disabled;

/*
 * The tables and locks belong to one machine. They are set up on first use
 * in each boot: before cpuhp_init() if an earlier subsystem (workqueues)
 * installs states, and afresh after a machine that was torn down wedged.
 */
static unsigned long cpuhp_boot;
static struct sim_rawlock cpuhp_boot_lock = SIM_RAWLOCK_INIT;

static void cpuhp_boot_tables(void)
{
	unsigned int cpu;

	memset(cpuhp_hp_states, 0, sizeof(cpuhp_hp_states));
	/* Built-in states: named so that nobody can install callbacks there. */
	cpuhp_hp_states[CPUHP_OFFLINE].name = "offline";
	cpuhp_hp_states[CPUHP_BRINGUP_CPU].name = "cpu:bringup";
	cpuhp_hp_states[CPUHP_AP_ACTIVE].name = "sched:active";
	cpuhp_hp_states[CPUHP_ONLINE].name = "online";
	/* The machine start put the boot CPUs online: they are fully up. */
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		cpuhp_state[cpu].state = cpu_online(cpu) ? CPUHP_ONLINE : CPUHP_OFFLINE;
	mutex_init(&cpuhp_state_mutex);
	mutex_init(&cpu_add_remove_lock);
	percpu_init_rwsem(&cpu_hotplug_lock);
	cpu_hotplug_disabled = 0;
}

static void cpuhp_check_boot(void)
{
	if (likely(__atomic_load_n(&cpuhp_boot, __ATOMIC_ACQUIRE) == sim_boot_id))
		return;
	sim_rawlock_lock(&cpuhp_boot_lock);
	if (cpuhp_boot != sim_boot_id) {
		cpuhp_boot_tables();
		__atomic_store_n(&cpuhp_boot, sim_boot_id, __ATOMIC_RELEASE);
	}
	sim_rawlock_unlock(&cpuhp_boot_lock);
}

/* ---- cpu_hotplug_lock ---- */

void cpus_read_lock(void)
{
	cpuhp_check_boot();
	percpu_down_read(&cpu_hotplug_lock);
}

int cpus_read_trylock(void)
{
	cpuhp_check_boot();
	return percpu_down_read_trylock(&cpu_hotplug_lock);
}

void cpus_read_unlock(void)
{
	percpu_up_read(&cpu_hotplug_lock);
}

void cpus_write_lock(void)
{
	cpuhp_check_boot();
	percpu_down_write(&cpu_hotplug_lock);
}

void cpus_write_unlock(void)
{
	percpu_up_write(&cpu_hotplug_lock);
}

void lockdep_assert_cpus_held(void)
{
	percpu_rwsem_assert_held(&cpu_hotplug_lock);
}

int lockdep_is_cpus_held(void)
{
	return percpu_rwsem_is_held(&cpu_hotplug_lock);
}

void cpu_maps_update_begin(void)
{
	cpuhp_check_boot();
	mutex_lock(&cpu_add_remove_lock);
}

void cpu_maps_update_done(void)
{
	mutex_unlock(&cpu_add_remove_lock);
}

void cpu_hotplug_disable(void)
{
	cpu_maps_update_begin();
	cpu_hotplug_disabled++;
	cpu_maps_update_done();
}

void cpu_hotplug_enable(void)
{
	cpu_maps_update_begin();
	if (!WARN(!cpu_hotplug_disabled, "Unbalanced cpu hotplug enable\n"))
		cpu_hotplug_disabled--;
	cpu_maps_update_done();
}

/* ---- where callbacks run ---- */

/*
 * The control task's placement: AP callbacks run bound to their CPU,
 * everything else where the task ran on entry (its binding, unless that is
 * the CPU going away, else unbound).
 */
struct cpuhp_ctx {
	int	home;		/* current's binding on entry, -1 if none */
	int	hotplug_cpu;	/* the CPU being brought up/down, -1 if none */
};

static void cpuhp_ctx_init(struct cpuhp_ctx *ctx, int hotplug_cpu)
{
	ctx->home = current->bound_cpu;
	ctx->hotplug_cpu = hotplug_cpu;
}

static void cpuhp_run_on(struct cpuhp_ctx *ctx, int cpu)
{
	int want = cpu;

	if (want < 0 && ctx->home >= 0 && ctx->home != ctx->hotplug_cpu &&
	    cpu_online(ctx->home))
		want = ctx->home;
	if (current->bound_cpu != want)
		sched_bind_current(want);
}

static void cpuhp_ctx_done(struct cpuhp_ctx *ctx)
{
	int want = ctx->home >= 0 && cpu_online(ctx->home) ? ctx->home : -1;

	if (current->bound_cpu != want)
		sched_bind_current(want);
}

/* ---- the callback table ---- */

static struct cpuhp_step *cpuhp_get_step(enum cpuhp_state state)
{
	return &cpuhp_hp_states[state];
}

static const char *cpuhp_step_name(enum cpuhp_state state)
{
	return cpuhp_hp_states[state].name ? cpuhp_hp_states[state].name : "(none)";
}

static bool cpuhp_is_ap_state(enum cpuhp_state state)
{
	return state > CPUHP_BRINGUP_CPU;
}

static int cpuhp_cb_check(enum cpuhp_state state)
{
	if (state <= CPUHP_OFFLINE || state >= CPUHP_ONLINE)
		return -EINVAL;
	return 0;
}

/* A free state of the dynamic range that @state names, or -ENOSPC. */
static int cpuhp_reserve_state(enum cpuhp_state state)
{
	enum cpuhp_state i, end;

	switch (state) {
	case CPUHP_AP_ONLINE_DYN:
		end = CPUHP_AP_ONLINE_DYN_END;
		break;
	case CPUHP_BP_PREPARE_DYN:
		end = CPUHP_BP_PREPARE_DYN_END;
		break;
	default:
		return -EINVAL;
	}
	for (i = state; i <= end; i++)
		if (!cpuhp_hp_states[i].name)
			return i;
	WARN(1, "No more dynamic states available for CPU hotplug\n");
	return -ENOSPC;
}

/*
 * Install (or with @name NULL, clear) the callbacks of @state. Returns 0,
 * the state allocated for a dynamic request, or a negative errno.
 */
static int cpuhp_store_callbacks(enum cpuhp_state state, const char *name,
				 int (*startup)(unsigned int cpu),
				 int (*teardown)(unsigned int cpu),
				 bool multi_instance)
{
	struct cpuhp_step *sp;
	int ret = 0;

	lockdep_assert_held(&cpuhp_state_mutex);
	/* Only installing allocates: the first dynamic slot is the request's value. */
	if (name && (state == CPUHP_AP_ONLINE_DYN || state == CPUHP_BP_PREPARE_DYN)) {
		ret = cpuhp_reserve_state(state);
		if (ret < 0)
			return ret;
		state = ret;
	}
	sp = cpuhp_get_step(state);
	if (name && sp->name)
		return -EBUSY;
	sp->startup.single = startup;
	sp->teardown.single = teardown;
	sp->name = name;
	sp->multi_instance = multi_instance;
	INIT_HLIST_HEAD(&sp->list);
	return ret;
}

/*
 * Invoke @state's startup (@bringup) or teardown for @cpu: for @node only,
 * or for every instance of a multi-instance state when @node is NULL. If
 * an instance fails, the ones already done are reverted before returning.
 */
static int cpuhp_invoke_callback(unsigned int cpu, enum cpuhp_state state,
				 bool bringup, struct hlist_node *node)
{
	struct cpuhp_step *step = cpuhp_get_step(state);
	int (*cbm)(unsigned int cpu, struct hlist_node *node);
	struct hlist_node *n;
	int ret, cnt = 0;

	if (!step->multi_instance) {
		int (*cb)(unsigned int cpu) = bringup ? step->startup.single :
							step->teardown.single;

		return cb ? cb(cpu) : 0;
	}
	cbm = bringup ? step->startup.multi : step->teardown.multi;
	if (!cbm)
		return 0;
	if (node)
		return cbm(cpu, node);

	hlist_for_each(n, &step->list) {
		ret = cbm(cpu, n);
		if (ret)
			goto err;
		cnt++;
	}
	return 0;
err:
	cbm = bringup ? step->teardown.multi : step->startup.multi;
	if (!cbm)
		return ret;
	hlist_for_each(n, &step->list) {
		if (!cnt--)
			break;
		WARN_ON_ONCE(cbm(cpu, n));
	}
	return ret;
}

/* ---- the state machine ---- */

void set_cpu_online(unsigned int cpu, bool online)
{
	/* Only a change of the bit moves the count, as the kernel's. */
	if (online) {
		if (!cpumask_test_and_set_cpu(cpu, &__cpu_online_mask))
			__atomic_add_fetch(&__num_online_cpus, 1, __ATOMIC_RELAXED);
	} else if (cpumask_test_and_clear_cpu(cpu, &__cpu_online_mask)) {
		__atomic_sub_fetch(&__num_online_cpus, 1, __ATOMIC_RELAXED);
	}
}

/* Possible CPUs are all present from boot (shim/init/main.c). */
static void bringup_cpu(unsigned int cpu)
{
	set_cpu_online(cpu, true);
}

static void takedown_cpu(unsigned int cpu)
{
	set_cpu_online(cpu, false);
	/* Whatever still runs there (pinned, or not yet preempted) leaves. */
	sched_cpu_wait_empty(cpu);
}

/* Run the startup or teardown of one state of @cpu, where it belongs. */
static int cpuhp_step(struct cpuhp_ctx *ctx, unsigned int cpu,
		      enum cpuhp_state state, bool bringup)
{
	switch (state) {
	case CPUHP_BRINGUP_CPU:
		cpuhp_run_on(ctx, -1);
		if (bringup)
			bringup_cpu(cpu);
		else
			takedown_cpu(cpu);
		return 0;
	case CPUHP_AP_ACTIVE:
		cpuhp_run_on(ctx, cpu);
		if (bringup)
			sched_cpu_activate(cpu);
		else
			sched_cpu_deactivate(cpu);
		return 0;
	default:
		cpuhp_run_on(ctx, cpuhp_is_ap_state(state) ? (int)cpu : -1);
		return cpuhp_invoke_callback(cpu, state, bringup, NULL);
	}
}

/* Walk @cpu up to @target; a failure rolls it back to where it was. */
static int cpuhp_up_callbacks(struct cpuhp_ctx *ctx, unsigned int cpu,
			      enum cpuhp_state target)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	enum cpuhp_state prev_state = st->state;
	int ret;

	while (st->state < target) {
		ret = cpuhp_step(ctx, cpu, st->state + 1, true);
		if (ret) {
			pr_debug("CPU UP failed (%d) CPU %u state %s (%d)\n", ret, cpu,
				 cpuhp_step_name(st->state + 1), st->state + 1);
			/* The failed state did nothing: undo the ones below it. */
			for (; st->state > prev_state; st->state--)
				WARN_ON(cpuhp_step(ctx, cpu, st->state, false));
			return ret;
		}
		st->state++;
	}
	return 0;
}

/*
 * Walk @cpu down to @target. An AP teardown that fails brings the CPU back
 * up to where it was; a PREPARE ("dead") teardown cannot stop a CPU that is
 * already dead, so its failure is only warned about, as in the kernel.
 */
static int cpuhp_down_callbacks(struct cpuhp_ctx *ctx, unsigned int cpu,
				enum cpuhp_state target)
{
	struct cpuhp_cpu_state *st = &cpuhp_state[cpu];
	enum cpuhp_state prev_state = st->state;
	int ret;

	while (st->state > target) {
		ret = cpuhp_step(ctx, cpu, st->state, false);
		if (ret && cpuhp_is_ap_state(st->state)) {
			pr_debug("CPU DOWN failed (%d) CPU %u state %s (%d)\n", ret, cpu,
				 cpuhp_step_name(st->state), st->state);
			/* The failed state is still up: redo the ones above it. */
			while (st->state < prev_state) {
				st->state++;
				WARN_ON(cpuhp_step(ctx, cpu, st->state, true));
			}
			return ret;
		}
		WARN(ret, "DEAD callback error for CPU%u\n", cpu);
		st->state--;
	}
	return 0;
}

static int _cpu_down(unsigned int cpu)
{
	struct cpuhp_ctx ctx;
	int ret;

	cpus_write_lock();
	if (num_online_cpus() == 1) {
		ret = -EBUSY;
		goto out;
	}
	if (!cpu_present(cpu) || !cpu_online(cpu)) {
		ret = -EINVAL;
		goto out;
	}
	cpuhp_ctx_init(&ctx, cpu);
	ret = cpuhp_down_callbacks(&ctx, cpu, CPUHP_OFFLINE);
	cpuhp_ctx_done(&ctx);
out:
	cpus_write_unlock();
	return ret;
}

static int _cpu_up(unsigned int cpu)
{
	struct cpuhp_ctx ctx;
	int ret;

	cpus_write_lock();
	if (!cpu_present(cpu) || cpu_online(cpu)) {
		ret = -EINVAL;
		goto out;
	}
	cpuhp_ctx_init(&ctx, cpu);
	ret = cpuhp_up_callbacks(&ctx, cpu, CPUHP_ONLINE);
	cpuhp_ctx_done(&ctx);
out:
	cpus_write_unlock();
	return ret;
}

int remove_cpu(unsigned int cpu)
{
	int ret;

	if (!current)
		return zsim_cpu_down(cpu);
	might_sleep();
	cpu_maps_update_begin();
	if (cpu_hotplug_disabled)
		ret = -EBUSY;
	else
		ret = _cpu_down(cpu);
	cpu_maps_update_done();
	return ret;
}

int add_cpu(unsigned int cpu)
{
	int ret;

	if (!current)
		return zsim_cpu_up(cpu);
	might_sleep();
	if (!cpu_possible(cpu)) {
		pr_err("can't online cpu %u because it is not configured as may-hotadd at boot time\n",
		       cpu);
		return -EINVAL;
	}
	cpu_maps_update_begin();
	if (cpu_hotplug_disabled)
		ret = -EBUSY;
	else
		ret = _cpu_up(cpu);
	cpu_maps_update_done();
	return ret;
}

/* ---- installing states and instances ---- */

/*
 * Invoke @state's callback for @cpu outside a hotplug operation (@cpu is
 * stable at or past @state: the caller holds cpus_read_lock()).
 */
static int cpuhp_issue_call(struct cpuhp_ctx *ctx, int cpu, enum cpuhp_state state,
			    bool bringup, struct hlist_node *node)
{
	struct cpuhp_step *sp = cpuhp_get_step(state);
	int ret;

	if ((bringup && !sp->startup.single) || (!bringup && !sp->teardown.single))
		return 0;
	cpuhp_run_on(ctx, cpuhp_is_ap_state(state) ? cpu : -1);
	ret = cpuhp_invoke_callback(cpu, state, bringup, node);
	/* The kernel BUG()s here: a teardown must not fail. */
	WARN(ret && !bringup, "cpuhp: teardown of state %d (%s) failed on CPU%d: %d\n",
	     state, cpuhp_step_name(state), cpu, ret);
	return ret;
}

/* Undo @state (for @node, or the whole state) on the CPUs before @failedcpu. */
static void cpuhp_rollback_install(struct cpuhp_ctx *ctx, int failedcpu,
				   enum cpuhp_state state, struct hlist_node *node)
{
	int cpu;

	for_each_present_cpu(cpu) {
		if (cpu >= failedcpu)
			break;
		if (cpuhp_state[cpu].state >= state)
			cpuhp_issue_call(ctx, cpu, state, false, node);
	}
}

int __cpuhp_setup_state_cpuslocked(enum cpuhp_state state, const char *name,
				   bool invoke,
				   int (*startup)(unsigned int cpu),
				   int (*teardown)(unsigned int cpu),
				   bool multi_instance)
{
	struct cpuhp_ctx ctx;
	int cpu, ret = 0;
	bool dynstate;

	lockdep_assert_cpus_held();
	if (cpuhp_cb_check(state) || !name)
		return -EINVAL;

	mutex_lock(&cpuhp_state_mutex);
	cpuhp_ctx_init(&ctx, -1);
	ret = cpuhp_store_callbacks(state, name, startup, teardown, multi_instance);
	dynstate = state == CPUHP_AP_ONLINE_DYN || state == CPUHP_BP_PREPARE_DYN;
	if (ret > 0 && dynstate) {
		state = ret;
		ret = 0;
	}
	if (ret || !invoke || !startup)
		goto out;

	/* Bring the new state up on every CPU that is already past it. */
	for_each_present_cpu(cpu) {
		if (cpuhp_state[cpu].state < state)
			continue;
		ret = cpuhp_issue_call(&ctx, cpu, state, true, NULL);
		if (ret) {
			if (teardown)
				cpuhp_rollback_install(&ctx, cpu, state, NULL);
			cpuhp_store_callbacks(state, NULL, NULL, NULL, false);
			goto out;
		}
	}
out:
	cpuhp_ctx_done(&ctx);
	mutex_unlock(&cpuhp_state_mutex);
	if (!ret && dynstate)
		return state;
	return ret;
}

int __cpuhp_setup_state(enum cpuhp_state state, const char *name, bool invoke,
			int (*startup)(unsigned int cpu),
			int (*teardown)(unsigned int cpu), bool multi_instance)
{
	int ret;

	if (WARN_ON_ONCE(!current))
		return -EINVAL;
	cpus_read_lock();
	ret = __cpuhp_setup_state_cpuslocked(state, name, invoke, startup, teardown,
					     multi_instance);
	cpus_read_unlock();
	return ret;
}

void __cpuhp_remove_state_cpuslocked(enum cpuhp_state state, bool invoke)
{
	struct cpuhp_step *sp;
	struct cpuhp_ctx ctx;
	int cpu;

	/* The kernel BUG()s on a bad state. */
	if (WARN_ON(cpuhp_cb_check(state)))
		return;
	lockdep_assert_cpus_held();
	sp = cpuhp_get_step(state);

	mutex_lock(&cpuhp_state_mutex);
	cpuhp_ctx_init(&ctx, -1);
	if (sp->multi_instance) {
		WARN(!hlist_empty(&sp->list),
		     "Error: Removing state %d which has instances left.\n", state);
		goto remove;
	}
	if (!invoke || !sp->teardown.single)
		goto remove;

	/* Tear the state down on every CPU that is past it. */
	for_each_present_cpu(cpu) {
		if (cpuhp_state[cpu].state >= state)
			cpuhp_issue_call(&ctx, cpu, state, false, NULL);
	}
remove:
	cpuhp_store_callbacks(state, NULL, NULL, NULL, false);
	cpuhp_ctx_done(&ctx);
	mutex_unlock(&cpuhp_state_mutex);
}

void __cpuhp_remove_state(enum cpuhp_state state, bool invoke)
{
	if (WARN_ON_ONCE(!current))
		return;
	cpus_read_lock();
	__cpuhp_remove_state_cpuslocked(state, invoke);
	cpus_read_unlock();
}

int __cpuhp_state_add_instance_cpuslocked(enum cpuhp_state state,
					  struct hlist_node *node, bool invoke)
{
	struct cpuhp_step *sp;
	struct cpuhp_ctx ctx;
	int cpu, ret;

	lockdep_assert_cpus_held();
	if (cpuhp_cb_check(state))
		return -EINVAL;
	sp = cpuhp_get_step(state);
	if (!sp->multi_instance)
		return -EINVAL;

	mutex_lock(&cpuhp_state_mutex);
	cpuhp_ctx_init(&ctx, -1);
	if (!invoke || !sp->startup.multi)
		goto add_node;

	/* Bring the instance up on every CPU that is already past the state. */
	for_each_present_cpu(cpu) {
		if (cpuhp_state[cpu].state < state)
			continue;
		ret = cpuhp_issue_call(&ctx, cpu, state, true, node);
		if (ret) {
			if (sp->teardown.multi)
				cpuhp_rollback_install(&ctx, cpu, state, node);
			goto unlock;
		}
	}
add_node:
	ret = 0;
	/* At the head, as the kernel: the newest instance is invoked first. */
	hlist_add_head(node, &sp->list);
unlock:
	cpuhp_ctx_done(&ctx);
	mutex_unlock(&cpuhp_state_mutex);
	return ret;
}

int __cpuhp_state_add_instance(enum cpuhp_state state, struct hlist_node *node,
			       bool invoke)
{
	int ret;

	if (WARN_ON_ONCE(!current))
		return -EINVAL;
	cpus_read_lock();
	ret = __cpuhp_state_add_instance_cpuslocked(state, node, invoke);
	cpus_read_unlock();
	return ret;
}

int __cpuhp_state_remove_instance(enum cpuhp_state state,
				  struct hlist_node *node, bool invoke)
{
	struct cpuhp_step *sp;
	struct cpuhp_ctx ctx;
	int cpu;

	if (WARN_ON_ONCE(!current))
		return -EINVAL;
	if (cpuhp_cb_check(state))
		return -EINVAL;
	sp = cpuhp_get_step(state);
	if (!sp->multi_instance)
		return -EINVAL;

	cpus_read_lock();
	mutex_lock(&cpuhp_state_mutex);
	cpuhp_ctx_init(&ctx, -1);
	if (!invoke || !sp->teardown.multi)
		goto remove;

	/* Tear the instance down on every CPU that is past the state. */
	for_each_present_cpu(cpu) {
		if (cpuhp_state[cpu].state >= state)
			cpuhp_issue_call(&ctx, cpu, state, false, node);
	}
remove:
	hlist_del(node);
	cpuhp_ctx_done(&ctx);
	mutex_unlock(&cpuhp_state_mutex);
	cpus_read_unlock();
	return 0;
}

/* ---- machine ---- */

int cpuhp_init(void)
{
	cpuhp_check_boot();
	return 0;
}

void cpuhp_exit(void)
{
	/*
	 * Nothing to free: states left installed die with the machine, as
	 * built-in kernel code never removes its own. The next boot starts
	 * from fresh tables (cpuhp_check_boot()).
	 */
}

/* ---- simulation control (include/zswapsim.h) ---- */

struct zsim_hotplug_req {
	unsigned int	cpu;
	bool		up;
};

static int zsim_hotplug_fn(void *arg)
{
	struct zsim_hotplug_req *req = arg;

	return req->up ? add_cpu(req->cpu) : remove_cpu(req->cpu);
}

/*
 * Run the hotplug operation in a control task, started on another online
 * CPU than the one going down (the kernel's cpu_down_maps_locked() moves
 * the work off it too). A concurrent hotplug may take the chosen CPU away
 * before the task is created: then try another.
 */
static int zsim_hotplug(unsigned int cpu, bool up)
{
	struct zsim_hotplug_req req = { .cpu = cpu, .up = up };
	struct task_struct *t;
	unsigned int ctl, tries;

	if (current)
		return zsim_hotplug_fn(&req);
	if (!zsim_machine_running())
		return -ENODEV;
	for (tries = 0; tries < 1000; tries++) {
		ctl = cpumask_first(cpu_online_mask);
		if (ctl == cpu && cpumask_next(ctl, cpu_online_mask) < nr_cpu_ids)
			ctl = cpumask_next(ctl, cpu_online_mask);
		if (ctl >= nr_cpu_ids)
			continue;
		t = sched_task_create(zsim_hotplug_fn, &req, ctl, "cpuhp_ctl/%u", cpu);
		if (IS_ERR(t)) {
			if (PTR_ERR(t) == -EINVAL)
				continue;
			return (int)PTR_ERR(t);
		}
		sched_task_start(t);
		return sched_task_join(t);
	}
	return -EAGAIN;
}

int zsim_cpu_down(unsigned int cpu)
{
	return zsim_hotplug(cpu, false);
}

int zsim_cpu_up(unsigned int cpu)
{
	return zsim_hotplug(cpu, true);
}
