/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NUMA node masks and node states (<linux/nodemask.h>). The simulated
 * machine's nodes all have CPUs and normal memory, so N_POSSIBLE, N_ONLINE,
 * N_NORMAL_MEMORY, N_MEMORY and N_CPU are the same set of nodes.
 */
#ifndef _SHIM_LINUX_NODEMASK_H
#define _SHIM_LINUX_NODEMASK_H

#include <linux/bitops.h>
#include <linux/numa.h>

typedef struct {
	unsigned long bits[BITS_TO_LONGS(MAX_NUMNODES)];
} nodemask_t;

enum node_states {
	N_POSSIBLE,
	N_ONLINE,
	N_NORMAL_MEMORY,
	N_HIGH_MEMORY = N_NORMAL_MEMORY,
	N_MEMORY,
	N_CPU,
	N_GENERIC_INITIATOR,
	NR_NODE_STATES
};

extern nodemask_t node_states[NR_NODE_STATES];
extern unsigned int nr_node_ids;

static inline bool node_state(int node, enum node_states state)
{
	return node >= 0 && node < MAX_NUMNODES && test_bit(node, node_states[state].bits);
}

#define for_each_node_state(node, state)				\
	for ((node) = find_first_bit(node_states[state].bits, MAX_NUMNODES); \
	     (node) < MAX_NUMNODES;					\
	     (node) = find_next_bit(node_states[state].bits, MAX_NUMNODES, (node) + 1))
#define for_each_node(node)		for_each_node_state(node, N_POSSIBLE)
#define for_each_online_node(node)	for_each_node_state(node, N_ONLINE)
#define num_online_nodes()	bitmap_weight(node_states[N_ONLINE].bits, MAX_NUMNODES)
#define node_online(node)	node_state((node), N_ONLINE)

#endif /* _SHIM_LINUX_NODEMASK_H */
