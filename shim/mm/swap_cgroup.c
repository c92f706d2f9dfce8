// SPDX-License-Identifier: GPL-2.0-only
/*
 * Swap cgroup records (the kernel's mm/swap_cgroup.c): one 16-bit memcg id
 * per swap slot, two to an atomic_t, so that a record changes with an
 * atomic exchange and is read without a lock. See <linux/swap_cgroup.h>.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swap_cgroup.h>
#include <linux/swapops.h>
#include <sim/init.h>

struct swap_cgroup {
	atomic_t	ids;
};

struct swap_cgroup_ctrl {
	struct swap_cgroup	*map;
};

static struct swap_cgroup_ctrl swap_cgroup_ctrl[MAX_SWAPFILES];

#define ID_PER_SC	(sizeof(struct swap_cgroup) / sizeof(unsigned short))
#define ID_SHIFT	(sizeof(unsigned short) * BITS_PER_BYTE)
#define ID_MASK		((1U << ID_SHIFT) - 1)

/* Replace the id of slot @offset by @new; returns the old one. */
static unsigned short __swap_cgroup_id_xchg(struct swap_cgroup *map, pgoff_t offset,
					    unsigned short new)
{
	struct swap_cgroup *sc = &map[offset / ID_PER_SC];
	unsigned int shift = (offset % ID_PER_SC) * ID_SHIFT;
	int old_ids = atomic_read(&sc->ids);
	unsigned int new_ids;

	do {
		new_ids = ((unsigned int)old_ids & ~(ID_MASK << shift)) |
			  ((unsigned int)new << shift);
	} while (!atomic_try_cmpxchg(&sc->ids, &old_ids, (int)new_ids));
	return ((unsigned int)old_ids >> shift) & ID_MASK;
}

void swap_cgroup_record(struct folio *folio, unsigned short id, swp_entry_t ent)
{
	struct swap_cgroup *map = swap_cgroup_ctrl[swp_type(ent)].map;
	pgoff_t offset = swp_offset(ent), end = offset + folio_nr_pages(folio);
	unsigned short old;

	for (; offset < end; offset++) {
		old = __swap_cgroup_id_xchg(map, offset, id);
		VM_WARN_ON_ONCE(old);
	}
}

unsigned short swap_cgroup_clear(swp_entry_t ent, unsigned int nr_ents)
{
	struct swap_cgroup *map = swap_cgroup_ctrl[swp_type(ent)].map;
	pgoff_t offset = swp_offset(ent), end = offset + nr_ents;
	unsigned short old, first = 0;

	for (; offset < end; offset++) {
		old = __swap_cgroup_id_xchg(map, offset, 0);
		if (offset == swp_offset(ent))
			first = old;
		VM_WARN_ON_ONCE(old != first);
	}
	return first;
}

unsigned short lookup_swap_cgroup_id(swp_entry_t ent)
{
	struct swap_cgroup *map;
	unsigned int shift;

	if (mem_cgroup_disabled())
		return 0;
	map = swap_cgroup_ctrl[swp_type(ent)].map;
	shift = (swp_offset(ent) % ID_PER_SC) * ID_SHIFT;
	return ((unsigned int)atomic_read(&map[swp_offset(ent) / ID_PER_SC].ids) >> shift) &
	       ID_MASK;
}

int swap_cgroup_swapon(int type, unsigned long max_pages)
{
	struct swap_cgroup *map;

	if (mem_cgroup_disabled())
		return 0;
	map = kvcalloc(DIV_ROUND_UP(max_pages, ID_PER_SC), sizeof(*map), GFP_KERNEL);
	if (!map) {
		pr_info("couldn't allocate enough memory for swap_cgroup\n");
		return -ENOMEM;
	}
	swap_cgroup_ctrl[type].map = map;
	return 0;
}

void swap_cgroup_swapoff(int type)
{
	struct swap_cgroup *map = swap_cgroup_ctrl[type].map;

	swap_cgroup_ctrl[type].map = NULL;
	kvfree(map);
}

/* Forget a previous machine's maps (a wedged one never swapped off). */
static int __init swap_cgroup_init(void)
{
	memset(swap_cgroup_ctrl, 0, sizeof(swap_cgroup_ctrl));
	return 0;
}
subsys_initcall(swap_cgroup_init);
