/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Global event counters (<linux/vmstat.h>, mm/vmstat.c): what
 * /proc/vmstat shows for the events in <linux/vm_event_item.h>.
 *
 * As in the kernel, each CPU counts in its own slot (this_cpu_add(), no
 * atomic instruction) and a read sums the slots of every possible CPU, so
 * a read races with updates and may miss the latest ones. The
 * simulation-control API reads them as text: zsim_vmstat_read() in
 * <zswapsim.h>. Difference: no node or zone page-state counters yet.
 */
#ifndef _SHIM_LINUX_VMSTAT_H
#define _SHIM_LINUX_VMSTAT_H

#include <linux/percpu.h>
#include <linux/vm_event_item.h>

struct vm_event_state {
	unsigned long event[NR_VM_EVENT_ITEMS];
};

/*
 * Out of line, where the kernel inlines them: the per-CPU variable lives in
 * the library, and a program's own copy of its address (a copy relocation)
 * would not be a per-CPU address.
 */
void count_vm_events(enum vm_event_item item, long delta);

static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

/* The kernel's irq-unsafe forms; the same here. */
static inline void __count_vm_event(enum vm_event_item item)
{
	count_vm_event(item);
}

static inline void __count_vm_events(enum vm_event_item item, long delta)
{
	count_vm_events(item, delta);
}

/* Sum of @item over every possible CPU. */
unsigned long sum_vm_event(enum vm_event_item item);
/* All of them into @ret[NR_VM_EVENT_ITEMS]. */
void all_vm_events(unsigned long *ret);
/* "pswpin", ..., as /proc/vmstat names them. */
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];

#endif /* _SHIM_LINUX_VMSTAT_H */
