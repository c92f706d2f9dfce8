/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU hotplug states and their callbacks (<linux/cpuhotplug.h>).
 *
 * Each CPU has a hotplug state. Bringing a CPU up runs the installed
 * startup callbacks in increasing state order from CPUHP_OFFLINE + 1 to
 * CPUHP_ONLINE; taking it down runs the teardown callbacks in reverse.
 *
 * The shim's state space has two sections:
 * - PREPARE (CPUHP_OFFLINE < state < CPUHP_BRINGUP_CPU): the callbacks run
 *   on the control task (the task calling add_cpu()/remove_cpu()), never on
 *   the CPU concerned: startup before the CPU is online, teardown ("dead")
 *   after it is offline and no task runs on it any more.
 * - AP (CPUHP_BRINGUP_CPU < state < CPUHP_ONLINE): the callbacks run on the
 *   CPU concerned, while it is online; the CPU is active (unbound tasks may
 *   be placed on it) from CPUHP_AP_ACTIVE up.
 * Difference: the kernel also has a STARTING section (between BRINGUP_CPU
 * and AP_ONLINE) whose callbacks run with interrupts disabled and must not
 * fail; here those states are ordinary AP states.
 *
 * A startup callback that fails rolls back the states already run for that
 * CPU (their teardown callbacks, in reverse) and the hotplug operation
 * fails with its error, leaving the CPU in its previous state.
 */
#ifndef _SHIM_LINUX_CPUHOTPLUG_H
#define _SHIM_LINUX_CPUHOTPLUG_H

#include <linux/types.h>

enum cpuhp_state {
	CPUHP_INVALID = -1,

	/* PREPARE section: on the control task. */
	CPUHP_OFFLINE = 0,
	CPUHP_CREATE_THREADS,
	CPUHP_PERF_PREPARE,
	CPUHP_MM_WRITEBACK_DEAD,
	CPUHP_MM_VMSTAT_DEAD,
	CPUHP_SOFTIRQ_DEAD,
	CPUHP_SLUB_DEAD,
	CPUHP_MM_MEMCQ_DEAD,
	CPUHP_PERCPU_CNT_DEAD,
	CPUHP_RADIX_DEAD,
	CPUHP_PAGE_ALLOC,
	CPUHP_NET_DEV_DEAD,
	CPUHP_RANDOM_PREPARE,
	CPUHP_WORKQUEUE_PREP,
	CPUHP_HRTIMERS_PREPARE,
	CPUHP_SMPCFD_PREPARE,
	CPUHP_RCUTREE_PREP,
	CPUHP_MM_ZS_PREPARE,
	CPUHP_MM_ZSWP_MEM_PREPARE,
	CPUHP_MM_ZSWP_POOL_PREPARE,
	CPUHP_ZCOMP_PREPARE,
	CPUHP_TIMERS_PREPARE,
	CPUHP_BP_PREPARE_DYN,
	CPUHP_BP_PREPARE_DYN_END = CPUHP_BP_PREPARE_DYN + 20,

	/* Built in: the CPU comes online / is taken down here. */
	CPUHP_BRINGUP_CPU,

	/* AP section: on the CPU concerned. */
	CPUHP_AP_OFFLINE,
	CPUHP_AP_SCHED_STARTING,
	CPUHP_AP_ONLINE,
	CPUHP_AP_ONLINE_IDLE,
	CPUHP_AP_SMPBOOT_THREADS,
	CPUHP_AP_WORKQUEUE_ONLINE,
	CPUHP_AP_RANDOM_ONLINE,
	CPUHP_AP_RCUTREE_ONLINE,
	CPUHP_AP_ONLINE_DYN,
	CPUHP_AP_ONLINE_DYN_END = CPUHP_AP_ONLINE_DYN + 40,
	CPUHP_AP_MM_DEMOTION_ONLINE,
	/* Built in: the CPU becomes active / inactive for the scheduler. */
	CPUHP_AP_ACTIVE,
	CPUHP_ONLINE,
};

int __cpuhp_setup_state(enum cpuhp_state state, const char *name, bool invoke,
			int (*startup)(unsigned int cpu),
			int (*teardown)(unsigned int cpu), bool multi_instance);
int __cpuhp_setup_state_cpuslocked(enum cpuhp_state state, const char *name,
				   bool invoke,
				   int (*startup)(unsigned int cpu),
				   int (*teardown)(unsigned int cpu),
				   bool multi_instance);

/**
 * cpuhp_setup_state - install a state and invoke its startup callback on
 * every CPU already at or past @state. @state CPUHP_AP_ONLINE_DYN or
 * CPUHP_BP_PREPARE_DYN allocates a dynamic state: the return value is then
 * its number (> 0). If a startup fails, the CPUs done are rolled back with
 * @teardown and the state is removed again. Returns 0, the dynamic state,
 * or a negative errno (-EINVAL bad state or no name, -EBUSY state in use,
 * -ENOSPC no dynamic state left, or the callback's error).
 */
static inline int cpuhp_setup_state(enum cpuhp_state state, const char *name,
				    int (*startup)(unsigned int cpu),
				    int (*teardown)(unsigned int cpu))
{
	return __cpuhp_setup_state(state, name, true, startup, teardown, false);
}

static inline int cpuhp_setup_state_cpuslocked(enum cpuhp_state state,
					       const char *name,
					       int (*startup)(unsigned int cpu),
					       int (*teardown)(unsigned int cpu))
{
	return __cpuhp_setup_state_cpuslocked(state, name, true, startup,
					      teardown, false);
}

/* Install a state without invoking anything now. */
static inline int cpuhp_setup_state_nocalls(enum cpuhp_state state,
					    const char *name,
					    int (*startup)(unsigned int cpu),
					    int (*teardown)(unsigned int cpu))
{
	return __cpuhp_setup_state(state, name, false, startup, teardown, false);
}

static inline int cpuhp_setup_state_nocalls_cpuslocked(enum cpuhp_state state,
						       const char *name,
						       int (*startup)(unsigned int cpu),
						       int (*teardown)(unsigned int cpu))
{
	return __cpuhp_setup_state_cpuslocked(state, name, false, startup,
					      teardown, false);
}

/*
 * Install a multi-instance state; nothing is invoked until instances are
 * added. @teardown may be NULL.
 */
static inline int cpuhp_setup_state_multi(enum cpuhp_state state,
					  const char *name,
					  int (*startup)(unsigned int cpu,
							 struct hlist_node *node),
					  int (*teardown)(unsigned int cpu,
							  struct hlist_node *node))
{
	return __cpuhp_setup_state(state, name, false, (void *)startup,
				   (void *)teardown, true);
}

void __cpuhp_remove_state(enum cpuhp_state state, bool invoke);
void __cpuhp_remove_state_cpuslocked(enum cpuhp_state state, bool invoke);

/* Run the teardown on every CPU at or past @state, then remove it. */
static inline void cpuhp_remove_state(enum cpuhp_state state)
{
	__cpuhp_remove_state(state, true);
}

static inline void cpuhp_remove_state_nocalls(enum cpuhp_state state)
{
	__cpuhp_remove_state(state, false);
}

static inline void cpuhp_remove_state_nocalls_cpuslocked(enum cpuhp_state state)
{
	__cpuhp_remove_state_cpuslocked(state, false);
}

/* Remove a multi-instance state; all its instances must be gone (WARN). */
static inline void cpuhp_remove_multi_state(enum cpuhp_state state)
{
	__cpuhp_remove_state(state, false);
}

int __cpuhp_state_add_instance(enum cpuhp_state state, struct hlist_node *node,
			       bool invoke);
int __cpuhp_state_add_instance_cpuslocked(enum cpuhp_state state,
					  struct hlist_node *node, bool invoke);

/*
 * Add an instance and invoke the startup for it on every CPU at or past
 * @state; if one fails, the CPUs done are rolled back (when the state has a
 * teardown) and the instance is not added. -EINVAL if @state is not
 * multi-instance.
 */
static inline int cpuhp_state_add_instance(enum cpuhp_state state,
					   struct hlist_node *node)
{
	return __cpuhp_state_add_instance(state, node, true);
}

static inline int cpuhp_state_add_instance_nocalls(enum cpuhp_state state,
						   struct hlist_node *node)
{
	return __cpuhp_state_add_instance(state, node, false);
}

static inline int cpuhp_state_add_instance_nocalls_cpuslocked(enum cpuhp_state state,
							      struct hlist_node *node)
{
	return __cpuhp_state_add_instance_cpuslocked(state, node, false);
}

int __cpuhp_state_remove_instance(enum cpuhp_state state,
				  struct hlist_node *node, bool invoke);

/* Invoke the teardown (if any) on every CPU at or past @state, then remove. */
static inline int cpuhp_state_remove_instance(enum cpuhp_state state,
					      struct hlist_node *node)
{
	return __cpuhp_state_remove_instance(state, node, true);
}

static inline int cpuhp_state_remove_instance_nocalls(enum cpuhp_state state,
						      struct hlist_node *node)
{
	return __cpuhp_state_remove_instance(state, node, false);
}

#endif /* _SHIM_LINUX_CPUHOTPLUG_H */
