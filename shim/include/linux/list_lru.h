/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memcg- and NUMA-aware LRU lists (<linux/list_lru.h>, mm/list_lru.c), as
 * in the 6.13+ kernel: one list with its own spinlock per node, and for a
 * memcg-aware list_lru one more per (memcg, node), allocated by
 * memcg_list_lru_alloc() before the first add for that memcg. Items of the
 * root memcg (and of every memcg for a list_lru that is not memcg-aware)
 * sit on the node lists.
 *
 * Walks call the isolate callback with the item's list locked
 * (list->lock). It returns one of enum lru_status; with LRU_REMOVED,
 * LRU_ROTATE and LRU_SKIP the lock is still held, with LRU_REMOVED_RETRY,
 * LRU_RETRY and LRU_STOP the callback has dropped it (the walk takes it
 * again to restart from the head, or stops). Each item looked at, whatever
 * the outcome, counts against *nr_to_walk, so a walk of items that keep
 * asking for a retry ends.
 *
 * When a memcg goes offline its lists are spliced onto its parent's and
 * marked dead (nr_items LONG_MIN); an add or delete that finds a dead or
 * missing list for a dying memcg uses the nearest live ancestor's.
 *
 * Differences from the kernel: the per-memcg lists are indexed by an
 * RCU-published array of CGROUP_ID_MAX slots (allocated with the first
 * memcg_list_lru_alloc()) instead of an xarray; no shrinker bitmap is set
 * on the first add (the shim's shrink_slab() visits every memcg-aware
 * shrinker); list_lru_add_obj() and list_lru_del_obj() use the node of an
 * item in simulated RAM, node 0 for any other (slab memory is host memory
 * whose node the shim does not record), and the root memcg (slab objects
 * carry no objcg here).
 */
#ifndef _SHIM_LINUX_LIST_LRU_H
#define _SHIM_LINUX_LIST_LRU_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/gfp_types.h>
#include <linux/list.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/shrinker.h>
#include <linux/spinlock.h>

struct mem_cgroup;

/* What a list_lru_walk_cb returns. */
enum lru_status {
	LRU_REMOVED,		/* item removed from list */
	LRU_REMOVED_RETRY,	/* item removed, lock dropped: restart */
	LRU_ROTATE,		/* item referenced, give another pass */
	LRU_SKIP,		/* item cannot be locked, skip */
	LRU_RETRY,		/* item not freeable, lock dropped: restart */
	LRU_STOP,		/* lock dropped, stop walking the list */
};

struct list_lru_one {
	struct list_head	list;
	/* May become negative during memcg reparenting; LONG_MIN: dead. */
	long			nr_items;
	/* Protects all fields above. */
	spinlock_t		lock;
};

struct list_lru_memcg {
	struct rcu_head		rcu;
	/* One list per node, indexed by node id. */
	struct list_lru_one	node[];
};

struct list_lru_node {
	/* The root memcg's list (every item's, if not memcg-aware). */
	struct list_lru_one	lru;
	/* Items on this node across all memcgs. */
	atomic_long_t		nr_items;
} ____cacheline_aligned_in_smp;

/* The per-memcg lists, indexed by memcg_kmem_id(). */
struct list_lru_memcg_table {
	struct rcu_head		rcu;
	struct list_lru_memcg __rcu *mlru[];
};

struct list_lru {
	struct list_lru_node	*node;
	struct list_head	list;		/* on memcg_list_lrus */
	int			shrinker_id;
	bool			memcg_aware;
	/* Guards storing into @table; readers use RCU. */
	spinlock_t		table_lock;
	struct list_lru_memcg_table __rcu *table;
};

void list_lru_destroy(struct list_lru *lru);
int __list_lru_init(struct list_lru *lru, bool memcg_aware, struct shrinker *shrinker);

#define list_lru_init(lru)			__list_lru_init((lru), false, NULL)
#define list_lru_init_memcg(lru, shrinker)	__list_lru_init((lru), true, (shrinker))

/*
 * Allocate @lru's lists for @memcg and every ancestor lacking them; 0 if
 * they exist or @lru is not memcg-aware, -ENOMEM. Call before adding items
 * of @memcg (zswap does so in zswap_store()).
 */
int memcg_list_lru_alloc(struct mem_cgroup *memcg, struct list_lru *lru, gfp_t gfp);
/* Offline: move @memcg's items of every list_lru to @parent. */
void memcg_reparent_list_lrus(struct mem_cgroup *memcg, struct mem_cgroup *parent);

/*
 * Add @item at the tail of the (@nid, @memcg) list unless it is on a list
 * already (!list_empty(item)); true if added. The caller keeps @memcg
 * alive. list_lru_del() is the reverse, true if @item was removed.
 */
bool list_lru_add(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg);
bool list_lru_add_obj(struct list_lru *lru, struct list_head *item);
bool list_lru_del(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg);
bool list_lru_del_obj(struct list_lru *lru, struct list_head *item);

/* Items on the (@nid, @memcg) list, racy as in the kernel. */
unsigned long list_lru_count_one(struct list_lru *lru, int nid, struct mem_cgroup *memcg);
unsigned long list_lru_count_node(struct list_lru *lru, int nid);

static inline unsigned long list_lru_shrink_count(struct list_lru *lru,
						  struct shrink_control *sc)
{
	return list_lru_count_one(lru, sc->nid, sc->memcg);
}

static inline unsigned long list_lru_count(struct list_lru *lru)
{
	long count = 0;
	int nid;

	for_each_node_state(nid, N_NORMAL_MEMORY)
		count += list_lru_count_node(lru, nid);
	return count;
}

/*
 * For isolate callbacks, with @list->lock held: take @item off @list (and
 * move it to @head). The node count drops when the callback returns
 * LRU_REMOVED or LRU_REMOVED_RETRY.
 */
void list_lru_isolate(struct list_lru_one *list, struct list_head *item);
void list_lru_isolate_move(struct list_lru_one *list, struct list_head *item,
			   struct list_head *head);
/*
 * Undo list_lru_isolate() for an item whose callback will not return
 * LRU_REMOVED: put it back at the tail of its (@nid, @memcg) list. Call
 * with that list's lock held; the node count is unchanged (the isolation
 * did not lower it).
 */
void list_lru_putback(struct list_lru *lru, struct list_head *item, int nid,
		      struct mem_cgroup *memcg);

typedef enum lru_status (*list_lru_walk_cb)(struct list_head *item,
		struct list_lru_one *list, void *cb_arg);

/*
 * Walk the (@nid, @memcg) list from its head, calling @isolate on up to
 * *@nr_to_walk items (decremented per item). Returns the number removed.
 */
unsigned long list_lru_walk_one(struct list_lru *lru, int nid, struct mem_cgroup *memcg,
				list_lru_walk_cb isolate, void *cb_arg,
				unsigned long *nr_to_walk);
/* As list_lru_walk_one(), with the lock taken by spin_lock_irq(). */
unsigned long list_lru_walk_one_irq(struct list_lru *lru, int nid, struct mem_cgroup *memcg,
				    list_lru_walk_cb isolate, void *cb_arg,
				    unsigned long *nr_to_walk);
/* The root's list of @nid, then every memcg's, until *@nr_to_walk is spent. */
unsigned long list_lru_walk_node(struct list_lru *lru, int nid,
				 list_lru_walk_cb isolate, void *cb_arg,
				 unsigned long *nr_to_walk);

/* The shrinker's walk: sc->nr_to_scan is the budget (and is consumed). */
static inline unsigned long list_lru_shrink_walk(struct list_lru *lru,
						 struct shrink_control *sc,
						 list_lru_walk_cb isolate, void *cb_arg)
{
	return list_lru_walk_one(lru, sc->nid, sc->memcg, isolate, cb_arg,
				 &sc->nr_to_scan);
}

static inline unsigned long list_lru_walk(struct list_lru *lru, list_lru_walk_cb isolate,
					  void *cb_arg, unsigned long nr_to_walk)
{
	long isolated = 0;
	int nid;

	for_each_node_state(nid, N_NORMAL_MEMORY) {
		isolated += list_lru_walk_node(lru, nid, isolate, cb_arg, &nr_to_walk);
		if (nr_to_walk <= 0)
			break;
	}
	return isolated;
}

#endif /* _SHIM_LINUX_LIST_LRU_H */
