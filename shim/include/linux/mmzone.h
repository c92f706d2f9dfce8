/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal <linux/mmzone.h>: the buddy allocator's orders. The simulated
 * machine has one ZONE_NORMAL per node and no pg_data_t is exposed.
 */
#ifndef _SHIM_LINUX_MMZONE_H
#define _SHIM_LINUX_MMZONE_H

#include <linux/nodemask.h>
#include <linux/numa.h>
#include <asm/page.h>

#define MAX_PAGE_ORDER		10
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)
#define pageblock_order		MAX_PAGE_ORDER
#define pageblock_nr_pages	(1UL << pageblock_order)

#endif /* _SHIM_LINUX_MMZONE_H */
