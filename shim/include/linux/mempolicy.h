/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NUMA memory policies (<linux/mempolicy.h>), as far as the swap cache's
 * allocation interface needs them.
 *
 * Difference: the simulator has no per-task or per-VMA policies. Every task
 * runs under the default policy (allocate on the local node, fall back to
 * the others), which get_task_policy() returns as NULL; allocators taking a
 * struct mempolicy treat NULL as that default, and the interleave index is
 * ignored.
 */
#ifndef _SHIM_LINUX_MEMPOLICY_H
#define _SHIM_LINUX_MEMPOLICY_H

#include <linux/types.h>

struct mempolicy;
struct task_struct;

/* Interleave index of an allocation that is not interleaved. */
#define NO_INTERLEAVE_INDEX	(-1UL)

static inline struct mempolicy *get_task_policy(struct task_struct *p)
{
	return NULL;
}

#endif /* _SHIM_LINUX_MEMPOLICY_H */
