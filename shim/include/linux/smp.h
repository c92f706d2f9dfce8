/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The current CPU (<linux/smp.h>).
 *
 * smp_processor_id() checks, as CONFIG_DEBUG_PREEMPT does, that the caller
 * cannot migrate (preemption or migration disabled, or bound to one CPU)
 * and reports "BUG: using smp_processor_id() in preemptible code" otherwise.
 * raw_smp_processor_id() does not check. Both are 0 for a thread that is
 * not a simulated task.
 */
#ifndef _SHIM_LINUX_SMP_H
#define _SHIM_LINUX_SMP_H

#include <linux/cpumask.h>
#include <linux/preempt.h>
#include <linux/sched.h>

static __always_inline int raw_smp_processor_id(void)
{
	return current ? READ_ONCE(current->cpu) : 0;
}

unsigned int debug_smp_processor_id(void);
#define smp_processor_id()	((int)debug_smp_processor_id())

#define get_cpu()		({ preempt_disable(); smp_processor_id(); })
#define put_cpu()		preempt_enable()

#endif /* _SHIM_LINUX_SMP_H */
