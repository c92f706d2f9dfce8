/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal <linux/mmzone.h>: the buddy allocator's orders, the per-node
 * pg_data_t (only its node id and its lruvec) and struct lruvec. The
 * simulated machine has one ZONE_NORMAL per node; the zones themselves are
 * not exposed.
 */
#ifndef _SHIM_LINUX_MMZONE_H
#define _SHIM_LINUX_MMZONE_H

#include <linux/list.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/spinlock.h>
#include <linux/zswap.h>
#include <asm/page.h>

#define MAX_PAGE_ORDER		10
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)
#define pageblock_order		MAX_PAGE_ORDER
#define pageblock_nr_pages	(1UL << pageblock_order)
/* Reclaim's scan priority starts here: 1/4096 of each list per pass. */
#define DEF_PRIORITY		12

struct pglist_data;

/*
 * The LRU lists of anonymous memory (src/mm/vmscan.c). Difference: there
 * is no page cache, so no file lists, and no unevictable list.
 */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	NR_LRU_LISTS
};

#define for_each_lru(lru) for (lru = 0; lru < NR_LRU_LISTS; lru++)

/*
 * The reclaim state of one (memcg, node) pair: memcg's per-node info
 * holds one per node, pg_data_t one for when memcg is disabled. Only the
 * members the simulated mm uses are present.
 */
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	/* Protects the lists and nr_pages; folio_test_lru() under it is stable. */
	spinlock_t lru_lock;
	/* Pages on each list (the kernel keeps lru_zone_size per zone). */
	unsigned long nr_pages[NR_LRU_LISTS];
	struct pglist_data *pgdat;
	struct zswap_lruvec_state zswap_lruvec_state;
};

/* Node statistics; the node items come first in memcg's stat index too. */
enum node_stat_item {
	NR_VM_NODE_STAT_ITEMS
};

typedef struct pglist_data {
	int node_id;
	/* Used only when memcg is disabled: use mem_cgroup_lruvec(). */
	struct lruvec __lruvec;
} pg_data_t;

/* Every possible node's pg_data_t, set up when the machine starts. */
extern struct pglist_data *node_data[MAX_NUMNODES];
#define NODE_DATA(nid)		(node_data[nid])

static inline struct pglist_data *lruvec_pgdat(struct lruvec *lruvec)
{
	return lruvec->pgdat;
}

/* Empty lists and a fresh lock; the caller sets lruvec->pgdat. */
void lruvec_init(struct lruvec *lruvec);

#endif /* _SHIM_LINUX_MMZONE_H */
