// SPDX-License-Identifier: GPL-2.0-only
/*
 * Global event counters (mm/vmstat.c): per-CPU slots summed on read, and
 * /proc/vmstat's text for the simulation-control API. The per-CPU
 * variable starts at zero at every boot (see <linux/percpu-defs.h>).
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#include <stdio.h>
#include <zswapsim.h>

static DEFINE_PER_CPU(struct vm_event_state, vm_event_states);

void count_vm_events(enum vm_event_item item, long delta)
{
	this_cpu_add(vm_event_states.event[item], delta);
}

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PSWPIN]	= "pswpin",
	[PSWPOUT]	= "pswpout",
	[PGACTIVATE]	= "pgactivate",
	[PGDEACTIVATE]	= "pgdeactivate",
	[PGMAJFAULT]	= "pgmajfault",
	[SWPIN_ZERO]	= "swpin_zero",
	[SWPOUT_ZERO]	= "swpout_zero",
	[ZSWPIN]	= "zswpin",
	[ZSWPOUT]	= "zswpout",
	[ZSWPWB]	= "zswpwb",
};

void all_vm_events(unsigned long *ret)
{
	unsigned int cpu;
	int i;

	memset(ret, 0, NR_VM_EVENT_ITEMS * sizeof(*ret));
	for_each_possible_cpu(cpu) {
		struct vm_event_state *this = &per_cpu(vm_event_states, cpu);

		for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
			ret[i] += __atomic_load_n(&this->event[i], __ATOMIC_RELAXED);
	}
}

unsigned long sum_vm_event(enum vm_event_item item)
{
	unsigned long ret[NR_VM_EVENT_ITEMS];

	all_vm_events(ret);
	return ret[item];
}

int zsim_vmstat_read(char *buf, size_t len)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];
	size_t pos = 0;
	int i, n;

	all_vm_events(ev);
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		n = snprintf(buf + pos, len > pos ? len - pos : 0, "%s %lu\n",
			     vm_event_names[i], ev[i]);
		if (n < 0 || pos + n >= len)
			return -EOVERFLOW;
		pos += n;
	}
	return (int)pos;
}
