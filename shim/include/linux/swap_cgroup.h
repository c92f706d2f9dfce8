/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Swap cgroup records (<linux/swap_cgroup.h>, mm/swap_cgroup.c): for every
 * slot of a swap device, the id of the memcg that owned the page swapped
 * out there (mem_cgroup_id(); 0: none). The memory controller records a
 * folio's memcg when the folio gets its slots (mem_cgroup_try_charge_swap()
 * from folio_alloc_swap()) and clears the records when the slots are freed
 * (mem_cgroup_uncharge_swap()); a swap-in charges the memcg recorded for
 * its slot (mem_cgroup_swapin_charge_folio()).
 *
 * swap_cgroup_record: record @id for the folio_nr_pages() slots from @ent
 *	on; the slots must hold no record yet.
 * swap_cgroup_clear: clear @nr_ents records from @ent on and return the id
 *	they held (one id: the slots were a folio's).
 * lookup_swap_cgroup_id: the id recorded for @ent, read locklessly.
 * swap_cgroup_swapon: allocate the records of device @type, @max_pages
 *	slots, all 0; 0 or -ENOMEM. Nothing is allocated while the memory
 *	controller is disabled.
 * swap_cgroup_swapoff: free the records of device @type.
 *
 * swapon and swapoff call the last two under swapon_mutex, which
 * serialises them (the kernel has a swap_cgroup_mutex of its own).
 */
#ifndef _SHIM_LINUX_SWAP_CGROUP_H
#define _SHIM_LINUX_SWAP_CGROUP_H

#include <linux/swap.h>

void swap_cgroup_record(struct folio *folio, unsigned short id, swp_entry_t ent);
unsigned short swap_cgroup_clear(swp_entry_t ent, unsigned int nr_ents);
unsigned short lookup_swap_cgroup_id(swp_entry_t ent);
int swap_cgroup_swapon(int type, unsigned long max_pages);
void swap_cgroup_swapoff(int type);

#endif /* _SHIM_LINUX_SWAP_CGROUP_H */
