// SPDX-License-Identifier: GPL-2.0-only
/*
 * Swap cgroup records (the kernel's mm/swap_cgroup.c), see
 * <linux/swap_cgroup.h>.
 *
 * Difference: the kernel packs two 16-bit ids into each 32-bit word and
 * changes one with a cmpxchg loop; here each slot has a word of its own,
 * so a record is one atomic_xchg() and a lookup one atomic_read(), at
 * twice the memory (4 bytes per slot).
 */
#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swap_cgroup.h>
#include <linux/swapops.h>
#include <sim/init.h>

/* Per device: one memcg id per slot, 0 for none. */
static atomic_t *swap_cgroup_ids[MAX_SWAPFILES];

static atomic_t *swap_cgroup_slot(swp_entry_t ent)
{
	return &swap_cgroup_ids[swp_type(ent)][swp_offset(ent)];
}

void swap_cgroup_record(struct folio *folio, unsigned short id, swp_entry_t ent)
{
	atomic_t *slot = swap_cgroup_slot(ent);
	unsigned short old;
	long i;

	for (i = 0; i < folio_nr_pages(folio); i++) {
		old = atomic_xchg(&slot[i], id);
		VM_WARN_ON_ONCE(old);
	}
}

unsigned short swap_cgroup_clear(swp_entry_t ent, unsigned int nr_ents)
{
	atomic_t *slot = swap_cgroup_slot(ent);
	unsigned short first = atomic_xchg(&slot[0], 0), old;
	unsigned int i;

	/* The slots were one folio's: they all name the same memcg. */
	for (i = 1; i < nr_ents; i++) {
		old = atomic_xchg(&slot[i], 0);
		VM_WARN_ON_ONCE(old != first);
	}
	return first;
}

unsigned short lookup_swap_cgroup_id(swp_entry_t ent)
{
	if (mem_cgroup_disabled())
		return 0;
	return atomic_read(swap_cgroup_slot(ent));
}

int swap_cgroup_swapon(int type, unsigned long max_pages)
{
	atomic_t *ids;

	if (mem_cgroup_disabled())
		return 0;
	ids = kvcalloc(max_pages, sizeof(*ids), GFP_KERNEL);
	if (!ids) {
		pr_warn("swap type %d: no memory for its %lu swap cgroup records\n",
			type, max_pages);
		return -ENOMEM;
	}
	swap_cgroup_ids[type] = ids;
	return 0;
}

void swap_cgroup_swapoff(int type)
{
	atomic_t *ids = swap_cgroup_ids[type];

	swap_cgroup_ids[type] = NULL;
	kvfree(ids);
}

/* Forget a previous machine's records (a wedged one never swapped off). */
static int __init swap_cgroup_init(void)
{
	memset(swap_cgroup_ids, 0, sizeof(swap_cgroup_ids));
	return 0;
}
subsys_initcall(swap_cgroup_init);
