/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The modelled CPU cost of the VM's own work (cost.c): what page faults
 * and reclaim cost a real kernel besides compression, which the simulator
 * does not spend (its page tables are arrays, its TLB is free). Charged
 * to the current task's virtual clock in both timing modes, as the IAA
 * model's CPU-side costs are. Not kernel code.
 */
#ifndef _SIM_MM_COST_H
#define _SIM_MM_COST_H

#include <linux/types.h>

/* A fault that maps a new anonymous folio of @nr_pages (cleared). */
void vm_charge_anon_fault(unsigned long nr_pages);
/* A major fault that reads a page back from swap (zswap or device). */
void vm_charge_swapin_fault(void);
/* A folio of @nr_pages reclaimed (unmapped, swapped out, freed). */
void vm_charge_reclaim(unsigned long nr_pages);

#endif /* _SIM_MM_COST_H */
