/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event counters of /proc/vmstat and memory.stat (<linux/vm_event_item.h>):
 * the events the simulated mm counts, in the kernel's relative order.
 */
#ifndef _SHIM_LINUX_VM_EVENT_ITEM_H
#define _SHIM_LINUX_VM_EVENT_ITEM_H

enum vm_event_item {
	PSWPIN,		/* pages read from a swap device */
	PSWPOUT,	/* pages written to a swap device */
	PGACTIVATE,	/* pages reclaim moved to the active list */
	PGDEACTIVATE,	/* pages reclaim moved to the inactive list */
	PGMAJFAULT,	/* faults that had to do I/O (or a zswap load) */
	SWPIN_ZERO,	/* pages swapped in from the swap core's zero map */
	SWPOUT_ZERO,	/* zero-filled pages swapped out to the zero map */
	ZSWPIN,		/* pages loaded from zswap */
	ZSWPOUT,	/* pages stored in zswap */
	ZSWPWB,		/* zswap pages written back to the swap device */
	NR_VM_EVENT_ITEMS
};

#endif /* _SHIM_LINUX_VM_EVENT_ITEM_H */
