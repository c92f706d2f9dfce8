// SPDX-License-Identifier: GPL-2.0-only
/*
 * The modelled cost of the VM's own CPU work, module vm_cost (docs/vm.md,
 * "Costs"): page-fault entry and exit with folio allocation, charging and
 * pte setup; clearing a new anonymous page; a swap-in fault's work besides
 * the read; and reclaim's per-folio work (LRU isolation, the rmap walk,
 * swap slot allocation, the swap cache) and per-page work (pte unmap and
 * TLB flush, swap counts, the zswap entry, zsmalloc's copy, the memcg
 * uncharge, freeing the page). The simulator's versions of these cost
 * almost nothing on the host and nothing in virtual time, so without this
 * a benchmark would see compression alone. Values are ns at the series'
 * 2.5 GHz test machine; docs/iaa-model.md ("System level: usemem") says
 * how they were chosen. Set them before a machine starts or at any time;
 * 0 switches a cost off.
 */
#define KBUILD_MODNAME "vm_cost"

#include <linux/compiler.h>
#include <linux/moduleparam.h>
#include <sim/sched.h>

#include "cost.h"

static unsigned int fault_ns = 1000;
module_param(fault_ns, uint, 0644);
MODULE_PARM_DESC(fault_ns, "ns per anonymous fault: entry, folio allocation, charge, ptes");

static unsigned int clear_page_ns = 250;
module_param(clear_page_ns, uint, 0644);
MODULE_PARM_DESC(clear_page_ns, "ns to clear a new 4 KB page (about 16 GB/s)");

static unsigned int swapin_fault_ns = 1500;
module_param(swapin_fault_ns, uint, 0644);
MODULE_PARM_DESC(swapin_fault_ns, "ns per swap-in fault besides the read");

static unsigned int reclaim_folio_ns = 2000;
module_param(reclaim_folio_ns, uint, 0644);
MODULE_PARM_DESC(reclaim_folio_ns,
		 "ns per reclaimed folio: isolation, rmap walk, swap slots, swap cache");

static unsigned int reclaim_page_ns = 2400;
module_param(reclaim_page_ns, uint, 0644);
MODULE_PARM_DESC(reclaim_page_ns,
		 "ns per reclaimed page: unmap and TLB, swap count, zswap entry and copy, uncharge");

void vm_charge_anon_fault(unsigned long nr_pages)
{
	sched_charge_ns(READ_ONCE(fault_ns) + nr_pages * READ_ONCE(clear_page_ns));
}

void vm_charge_swapin_fault(void)
{
	sched_charge_ns(READ_ONCE(swapin_fault_ns));
}

void vm_charge_reclaim(unsigned long nr_pages)
{
	sched_charge_ns(READ_ONCE(reclaim_folio_ns) + nr_pages * READ_ONCE(reclaim_page_ns));
}
