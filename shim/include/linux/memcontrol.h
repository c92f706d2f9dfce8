/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory cgroups and object cgroups (<linux/memcontrol.h>,
 * mm/memcontrol.c): a cgroup v2 memory controller.
 *
 * A hierarchy of struct mem_cgroup under root_mem_cgroup, each a css (see
 * <linux/cgroup.h> for creation, removal, zombies and reference counting)
 * with the cgroup v2 memory files: memory.current, memory.max,
 * memory.high, memory.stat, memory.zswap.{current,max,writeback}. Cgroups
 * are made and removed by the simulation (zsim_memcg_create() and friends
 * in <zswapsim.h>, or <sim/memcg.h> from a simulated task), as mkdir and
 * rmdir would.
 *
 * Charges: a folio is charged to a memcg (folio->memcg_data points to it
 * and holds a css reference) and uncharged when it is freed; objects are
 * charged in bytes to an obj_cgroup, which charges whole pages to its
 * memcg and keeps the remainder. Both count in memory.current, as in
 * cgroup v2. When a memcg goes offline, its objcgs and its list_lru lists
 * move to the parent.
 *
 * Statistics are per-CPU deltas, summed up the tree by a flush, as the
 * kernel's rstat: memcg_page_state() and memcg_events() read the values of
 * the last flush (hierarchical: the memcg and its descendants).
 *
 * Differences from the kernel are documented next to each function and in
 * docs/shim.md ("mm: memory cgroups").
 */
#ifndef _SHIM_LINUX_MEMCONTROL_H
#define _SHIM_LINUX_MEMCONTROL_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/cgroup.h>
#include <linux/container_of.h>
#include <linux/gfp_types.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/page_counter.h>
#include <linux/percpu-refcount.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/vm_event_item.h>

struct folio;

/* memcg statistics beyond the node items (enum node_stat_item). */
enum memcg_stat_item {
	MEMCG_ZSWAP_B = NR_VM_NODE_STAT_ITEMS,	/* zswap memory, bytes */
	MEMCG_ZSWAPPED,				/* pages stored in zswap */
	MEMCG_NR_STAT,
};

/*
 * memory.events and memory.swap.events. The simulator raises high, max,
 * oom, swap high, swap max and swap fail; low (no protection), oom_kill
 * and oom_group_kill (no OOM killer) stay 0.
 */
enum memcg_memory_event {
	MEMCG_LOW,
	MEMCG_HIGH,
	MEMCG_MAX,
	MEMCG_OOM,
	MEMCG_OOM_KILL,
	MEMCG_OOM_GROUP_KILL,
	MEMCG_SWAP_HIGH,
	MEMCG_SWAP_MAX,
	MEMCG_SWAP_FAIL,
	MEMCG_NR_MEMORY_EVENTS,
};

/* Stat updates a CPU batches before the flush threshold counts them. */
#define MEMCG_CHARGE_BATCH	64U

/* The reclaim iterator's shared position for one (root, node). */
struct mem_cgroup_reclaim_iter {
	struct mem_cgroup *position;	/* not referenced: cleared on release */
	atomic_t generation;		/* bumped at each full round */
};

/* What reclaim passes to mem_cgroup_iter() to share its position. */
struct mem_cgroup_reclaim_cookie {
	pg_data_t *pgdat;
	int generation;
};

struct mem_cgroup_per_node {
	struct lruvec lruvec;
	struct mem_cgroup_reclaim_iter iter;
	struct mem_cgroup *memcg;	/* back pointer */
};

/*
 * Bytes of kernel objects charged to a memcg that may outlive it: on
 * offline, the memcg's objcgs are moved to the parent, so the charges
 * follow (reparenting).
 */
struct obj_cgroup {
	struct percpu_ref refcnt;
	struct mem_cgroup *memcg;	/* RCU: read with obj_cgroup_memcg() */
	/* Charged to memcg in whole pages but not used by any object. */
	atomic_t nr_charged_bytes;
	union {
		struct list_head list;	/* on memcg->objcg_list, objcg_lock */
		struct rcu_head rcu;
	};
};

struct memcg_vmstats;
struct memcg_vmstats_percpu;

struct mem_cgroup {
	struct cgroup_subsys_state css;

	/* memory.current (pages), memory.max, memory.high, memory.peak. */
	struct page_counter memory;
	/* memory.swap.current: swap slots charged here, memory.swap.max/peak. */
	struct page_counter swap;

	/* memory.events (this memcg and its descendants) and memory.events.local. */
	atomic_long_t memory_events[MEMCG_NR_MEMORY_EVENTS];
	atomic_long_t memory_events_local[MEMCG_NR_MEMORY_EVENTS];

	/* memory.zswap.max in pages (PAGE_COUNTER_MAX: "max"). */
	unsigned long zswap_max;
	/* memory.zswap.writeback; the effective value ANDs the ancestors'. */
	bool zswap_writeback;

	struct memcg_vmstats *vmstats;
	struct memcg_vmstats_percpu __percpu *vmstats_percpu;

	/* The objcg new charges go to; NULL once offline. */
	struct obj_cgroup __rcu *objcg;
	struct obj_cgroup *orig_objcg;
	/* This memcg's objcgs and the ones reparented to it. */
	struct list_head objcg_list;

	/* Index of this memcg's lists in every memcg-aware list_lru. */
	int kmemcg_id;

	struct mem_cgroup_per_node *nodeinfo[MAX_NUMNODES];
};

extern struct mem_cgroup *root_mem_cgroup;
/* The memory controller's callbacks for the cgroup core. */
extern struct cgroup_subsys memory_cgrp_subsys;

/*
 * The memory controller is always enabled in the shim (no
 * cgroup_disable=memory), so this is false once the machine has booted;
 * code is written to the kernel's contract and must check it.
 */
static inline bool mem_cgroup_disabled(void)
{
	return !root_mem_cgroup;
}

static inline struct mem_cgroup *mem_cgroup_from_css(struct cgroup_subsys_state *css)
{
	return css ? container_of(css, struct mem_cgroup, css) : NULL;
}

static inline bool mem_cgroup_is_root(struct mem_cgroup *memcg)
{
	return memcg == root_mem_cgroup;
}

/* NULL for the root. */
static inline struct mem_cgroup *parent_mem_cgroup(struct mem_cgroup *memcg)
{
	return mem_cgroup_from_css(memcg->css.parent);
}

/* True from creation until the memcg's removal takes it offline. */
/* @event happened at @memcg: counted there and at each non-root ancestor. */
static inline void memcg_memory_event(struct mem_cgroup *memcg, enum memcg_memory_event event)
{
	atomic_long_inc(&memcg->memory_events_local[event]);
	do {
		atomic_long_inc(&memcg->memory_events[event]);
	} while ((memcg = parent_mem_cgroup(memcg)) && !mem_cgroup_is_root(memcg));
}

static inline bool mem_cgroup_online(struct mem_cgroup *memcg)
{
	if (mem_cgroup_disabled())
		return true;
	return !!(READ_ONCE(memcg->css.flags) & CSS_ONLINE);
}

static inline void mem_cgroup_get(struct mem_cgroup *memcg)
{
	if (memcg)
		css_get(&memcg->css);
}

static inline bool mem_cgroup_tryget(struct mem_cgroup *memcg)
{
	return !memcg || css_tryget(&memcg->css);
}

static inline bool mem_cgroup_tryget_online(struct mem_cgroup *memcg)
{
	return !memcg || css_tryget_online(&memcg->css);
}

static inline void mem_cgroup_put(struct mem_cgroup *memcg)
{
	if (memcg)
		css_put(&memcg->css);
}

static inline unsigned short mem_cgroup_id(struct mem_cgroup *memcg)
{
	if (mem_cgroup_disabled())
		return 0;
	return memcg->css.id;
}

/* The memcg with @id while it exists (zombies too); call under RCU. */
struct mem_cgroup *mem_cgroup_from_id(unsigned short id);

static inline int memcg_kmem_id(struct mem_cgroup *memcg)
{
	return memcg ? memcg->kmemcg_id : -1;
}

/*
 * Pre-order iteration of @root's subtree (NULL: the whole hierarchy),
 * @root first. Returns the next memcg after @prev with a reference held
 * (except on @root, which the caller pins) and drops @prev's; NULL at the
 * end. Offline memcgs that are still referenced are returned too. With a
 * @reclaim cookie, concurrent callers on the same (root, node) share one
 * position and each memcg goes to one of them per round; a caller whose
 * cookie is from an older round gets NULL. Stop early with
 * mem_cgroup_iter_break().
 */
struct mem_cgroup *mem_cgroup_iter(struct mem_cgroup *root, struct mem_cgroup *prev,
				   struct mem_cgroup_reclaim_cookie *reclaim);
void mem_cgroup_iter_break(struct mem_cgroup *root, struct mem_cgroup *prev);

#define for_each_mem_cgroup_tree(iter, root)			\
	for ((iter) = mem_cgroup_iter((root), NULL, NULL);	\
	     (iter) != NULL;					\
	     (iter) = mem_cgroup_iter((root), (iter), NULL))

#define for_each_mem_cgroup(iter)				\
	for_each_mem_cgroup_tree(iter, NULL)

/* The lruvec of (@memcg, @pgdat); a NULL @memcg means the root. */
static inline struct lruvec *mem_cgroup_lruvec(struct mem_cgroup *memcg,
					       struct pglist_data *pgdat)
{
	if (mem_cgroup_disabled())
		return &pgdat->__lruvec;
	if (!memcg)
		memcg = root_mem_cgroup;
	return &memcg->nodeinfo[pgdat->node_id]->lruvec;
}

static inline struct mem_cgroup *lruvec_memcg(struct lruvec *lruvec)
{
	if (mem_cgroup_disabled())
		return NULL;
	return container_of(lruvec, struct mem_cgroup_per_node, lruvec)->memcg;
}

/* Folios. */

/* The memcg @folio is charged to, or NULL; stable while it is charged. */
static inline struct mem_cgroup *folio_memcg(struct folio *folio)
{
	return (struct mem_cgroup *)READ_ONCE(folio->memcg_data);
}

static inline bool folio_memcg_charged(struct folio *folio)
{
	return folio->memcg_data != 0;
}

/*
 * Charge @folio's pages to @memcg (NULL: the root) and record it in
 * folio->memcg_data with a css reference; 0 or -ENOMEM when the charge
 * would take memory.current above memory.max of @memcg or an ancestor.
 * This is the kernel's charge_memcg(), which mem_cgroup_charge() calls
 * with the memcg of an mm; the shim has no mm, so callers name the memcg.
 * Differences: no reclaim and no OOM killer behind a failed charge (the
 * VM model reclaims and retries), and a PF_MEMALLOC task or __GFP_NOFAIL
 * charges past the limit, as try_charge_memcg() forces such charges.
 */
int mem_cgroup_charge_folio(struct folio *folio, struct mem_cgroup *memcg, gfp_t gfp);

/* Undo the charge of a charged folio; folio freeing calls it. */
void __mem_cgroup_uncharge(struct folio *folio);

static inline void mem_cgroup_uncharge(struct folio *folio)
{
	if (folio_memcg_charged(folio))
		__mem_cgroup_uncharge(folio);
}

/* @folio's memcg with a reference (the root if it is not charged). */
struct mem_cgroup *get_mem_cgroup_from_folio(struct folio *folio);

/*
 * Charge a new swap-in folio for @entry: to the memcg recorded for the
 * slot at swap-out (lookup_swap_cgroup_id()) while it is online, else to
 * @mm's memcg; @mm NULL (zswap writeback) means current->mm, as the
 * kernel's get_mem_cgroup_from_mm(NULL): a writeback from a process's
 * direct reclaim charges that process's memcg, one from a kernel thread
 * the root. 0 or -ENOMEM. Defined by the simulated VM
 * (src/mm/memory.c), whose charge path reclaims and retries as the
 * kernel's try_charge_memcg() does (mem_cgroup_charge_folio() does not).
 */
struct mm_struct;
int mem_cgroup_swapin_charge_folio(struct folio *folio, struct mm_struct *mm, gfp_t gfp,
				   swp_entry_t entry);

/* Object cgroups. */

static inline bool obj_cgroup_tryget(struct obj_cgroup *objcg)
{
	return percpu_ref_tryget(&objcg->refcnt);
}

static inline void obj_cgroup_get(struct obj_cgroup *objcg)
{
	percpu_ref_get(&objcg->refcnt);
}

static inline void obj_cgroup_put(struct obj_cgroup *objcg)
{
	if (objcg)
		percpu_ref_put(&objcg->refcnt);
}

/*
 * The memcg @objcg charges now; call under rcu_read_lock() (or hold
 * objcg_lock): it may be reparented and the old memcg freed after.
 */
static inline struct mem_cgroup *obj_cgroup_memcg(struct obj_cgroup *objcg)
{
	WARN_ON_ONCE(!rcu_read_lock_held());
	return READ_ONCE(objcg->memcg);
}

/* @objcg's memcg with a css reference, retried across a reparenting. */
struct mem_cgroup *get_mem_cgroup_from_objcg(struct obj_cgroup *objcg);

/*
 * The objcg of @folio's memcg (or of its nearest ancestor with one) with
 * a reference; NULL if @folio is not charged.
 */
struct obj_cgroup *get_obj_cgroup_from_folio(struct folio *folio);

/*
 * Charge @size bytes to @objcg: whole pages go to memory.current of its
 * memcg, the rest of the last page stays in objcg->nr_charged_bytes for
 * the next charge. 0 or -ENOMEM as mem_cgroup_charge_folio(). Difference:
 * no per-CPU stock in front of nr_charged_bytes.
 */
int obj_cgroup_charge(struct obj_cgroup *objcg, gfp_t gfp, size_t size);
void obj_cgroup_uncharge(struct obj_cgroup *objcg, size_t size);

/* zswap. */

/*
 * False if zswap usage (MEMCG_ZSWAP_B) of @objcg's memcg or of any
 * non-root ancestor has reached its memory.zswap.max, or any of those is
 * 0. Flushes the statistics of each limited level it checks, as the
 * kernel does, so the figure is exact.
 */
bool obj_cgroup_may_zswap(struct obj_cgroup *objcg);
/* Charge @size bytes of one zswap entry (MEMCG_ZSWAP_B, MEMCG_ZSWAPPED). */
void obj_cgroup_charge_zswap(struct obj_cgroup *objcg, size_t size);
void obj_cgroup_uncharge_zswap(struct obj_cgroup *objcg, size_t size);
/*
 * False if memory.zswap.writeback is 0 in @memcg or any ancestor; true
 * while zswap is disabled, as the kernel's.
 */
bool mem_cgroup_zswap_writeback_enabled(struct mem_cgroup *memcg);

/* Statistics. */

/* Add @val to @memcg's stat @idx (enum memcg_stat_item, node items). */
void mod_memcg_state(struct mem_cgroup *memcg, int idx, int val);
void __mod_memcg_state(struct mem_cgroup *memcg, int idx, int val);
/* The flushed value of @idx for @memcg and its descendants. */
unsigned long memcg_page_state(struct mem_cgroup *memcg, int idx);

void count_memcg_events(struct mem_cgroup *memcg, enum vm_event_item idx,
			unsigned long count);
#define __count_memcg_events count_memcg_events

static inline void count_memcg_folio_events(struct folio *folio,
					    enum vm_event_item idx,
					    unsigned long nr)
{
	struct mem_cgroup *memcg = folio_memcg(folio);

	if (memcg)
		count_memcg_events(memcg, idx, nr);
}

/* Count events of the memcg @objcg charges now. */
void count_objcg_events(struct obj_cgroup *objcg, enum vm_event_item idx,
			unsigned long count);
/* The flushed count of @event for @memcg and its descendants. */
unsigned long memcg_events(struct mem_cgroup *memcg, int event);

/*
 * Flush the statistics of @memcg's subtree (NULL: the root's) if enough
 * updates are pending anywhere in the tree: more than MEMCG_CHARGE_BATCH
 * per online CPU, the kernel's threshold. Below it readers may see values
 * that are behind by that much. A flush may sleep, as the kernel's
 * css_rstat_flush() (might_sleep()); below the threshold nothing happens.
 */
void mem_cgroup_flush_stats(struct mem_cgroup *memcg);

#endif /* _SHIM_LINUX_MEMCONTROL_H */
