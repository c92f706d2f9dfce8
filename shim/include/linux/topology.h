/* SPDX-License-Identifier: GPL-2.0-only */
/* CPU to NUMA node mapping (<linux/topology.h>). */
#ifndef _SHIM_LINUX_TOPOLOGY_H
#define _SHIM_LINUX_TOPOLOGY_H

#include <linux/cpumask.h>
#include <linux/nodemask.h>
#include <linux/smp.h>

/* Node of each possible CPU; filled in when the machine starts. */
extern int __cpu_to_node_map[NR_CPUS];

static inline int cpu_to_node(int cpu)
{
	return __cpu_to_node_map[cpu];
}

static inline int numa_node_id(void)
{
	return cpu_to_node(raw_smp_processor_id());
}

static inline int numa_mem_id(void)
{
	return numa_node_id();
}

static inline int cpu_to_mem(int cpu)
{
	return cpu_to_node(cpu);
}

#endif /* _SHIM_LINUX_TOPOLOGY_H */
