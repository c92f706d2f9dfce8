// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-node pg_data_t (NODE_DATA()): the kernel allocates them during
 * NUMA setup; the shim keeps one per possible node in static storage and
 * resets them at every boot.
 */
#include <linux/init.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <string.h>

static struct pglist_data pgdat_storage[MAX_NUMNODES];
struct pglist_data *node_data[MAX_NUMNODES];

void lruvec_init(struct lruvec *lruvec)
{
	enum lru_list lru;

	memset(lruvec, 0, sizeof(*lruvec));
	spin_lock_init(&lruvec->lru_lock);
	for_each_lru(lru)
		INIT_LIST_HEAD(&lruvec->lists[lru]);
}

static int __init pgdat_init(void)
{
	int nid;

	memset(node_data, 0, sizeof(node_data));
	for_each_node(nid) {
		struct pglist_data *pgdat = &pgdat_storage[nid];

		memset(pgdat, 0, sizeof(*pgdat));
		pgdat->node_id = nid;
		lruvec_init(&pgdat->__lruvec);
		pgdat->__lruvec.pgdat = pgdat;
		node_data[nid] = pgdat;
	}
	return 0;
}
pure_initcall(pgdat_init);
