// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memcg- and NUMA-aware LRU lists (mm/list_lru.c), following the 6.13+
 * kernel: a spinlock per list, per-memcg lists found under RCU, dead lists
 * after reparenting, and walks that restart after a callback dropped the
 * lock. See <linux/list_lru.h> for the contract and the differences.
 *
 * Beyond the kernel, a walk checks the lock state an isolate callback
 * returns with against its status (with the owner field of the shim's
 * debug spinlocks) and WARNs on a mismatch, which in the kernel is a
 * silent list corruption or a self-deadlock.
 */
#include <linux/bug.h>
#include <linux/cgroup.h>
#include <linux/errno.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

/* Every memcg-aware list_lru, for reparenting. */
static LIST_HEAD(memcg_list_lrus);
static DEFINE_MUTEX(list_lrus_mutex);

static void list_lru_register(struct list_lru *lru)
{
	if (!lru->memcg_aware)
		return;
	mutex_lock(&list_lrus_mutex);
	list_add(&lru->list, &memcg_list_lrus);
	mutex_unlock(&list_lrus_mutex);
}

static void list_lru_unregister(struct list_lru *lru)
{
	if (!lru->memcg_aware)
		return;
	mutex_lock(&list_lrus_mutex);
	list_del(&lru->list);
	mutex_unlock(&list_lrus_mutex);
}

static struct list_lru_memcg *list_lru_memcg_load(struct list_lru *lru, int idx)
{
	struct list_lru_memcg_table *t = rcu_dereference_check(lru->table,
				lockdep_is_held(&lru->table_lock));

	if (!t || idx >= CGROUP_ID_MAX)
		return NULL;
	return rcu_dereference_check(t->mlru[idx], lockdep_is_held(&lru->table_lock));
}

/* The list of (@nid, memcg @idx); NULL if that memcg has none. Under RCU. */
static struct list_lru_one *list_lru_from_memcg_idx(struct list_lru *lru, int nid, int idx)
{
	if (lru->memcg_aware && idx >= 0) {
		struct list_lru_memcg *mlru = list_lru_memcg_load(lru, idx);

		return mlru ? &mlru->node[nid] : NULL;
	}
	return &lru->node[nid].lru;
}

static void unlock_list_lru(struct list_lru_one *l, bool irq_off)
{
	if (irq_off)
		spin_unlock_irq(&l->lock);
	else
		spin_unlock(&l->lock);
}

/* Lock @l unless reparenting killed it. */
static bool lock_list_lru(struct list_lru_one *l, bool irq)
{
	if (irq)
		spin_lock_irq(&l->lock);
	else
		spin_lock(&l->lock);
	if (unlikely(READ_ONCE(l->nr_items) == LONG_MIN)) {
		unlock_list_lru(l, irq);
		return false;
	}
	return true;
}

/*
 * Lock the list of (@nid, @memcg). A dying memcg's list may be gone or
 * dead: then its nearest ancestor's list, or NULL with @skip_empty (walks
 * have nothing to do there).
 */
static struct list_lru_one *lock_list_lru_of_memcg(struct list_lru *lru, int nid,
						   struct mem_cgroup *memcg, bool irq,
						   bool skip_empty)
{
	struct list_lru_one *l;

	rcu_read_lock();
again:
	l = list_lru_from_memcg_idx(lru, nid, memcg_kmem_id(memcg));
	if (likely(l) && lock_list_lru(l, irq)) {
		rcu_read_unlock();
		return l;
	}
	if (skip_empty) {
		rcu_read_unlock();
		return NULL;
	}
	/* memcg_list_lru_alloc() was not called for a live memcg. */
	VM_WARN_ON(!css_is_dying(&memcg->css));
	memcg = parent_mem_cgroup(memcg);
	goto again;
}

bool list_lru_add(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg)
{
	struct list_lru_one *l;

	l = lock_list_lru_of_memcg(lru, nid, memcg, false, false);
	if (list_empty(item)) {
		list_add_tail(item, &l->list);
		l->nr_items++;
		unlock_list_lru(l, false);
		atomic_long_inc(&lru->node[nid].nr_items);
		return true;
	}
	unlock_list_lru(l, false);
	return false;
}

bool list_lru_del(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg)
{
	struct list_lru_one *l;

	l = lock_list_lru_of_memcg(lru, nid, memcg, false, false);
	if (!list_empty(item)) {
		list_del_init(item);
		l->nr_items--;
		unlock_list_lru(l, false);
		atomic_long_dec(&lru->node[nid].nr_items);
		return true;
	}
	unlock_list_lru(l, false);
	return false;
}

/* page_to_nid(virt_to_page()) for simulated RAM; node 0 for host memory. */
static int list_lru_obj_nid(const void *item)
{
	return virt_addr_valid(item) ? page_to_nid(virt_to_page(item)) : 0;
}

bool list_lru_add_obj(struct list_lru *lru, struct list_head *item)
{
	return list_lru_add(lru, item, list_lru_obj_nid(item), NULL);
}

bool list_lru_del_obj(struct list_lru *lru, struct list_head *item)
{
	return list_lru_del(lru, item, list_lru_obj_nid(item), NULL);
}

void list_lru_isolate(struct list_lru_one *list, struct list_head *item)
{
	list_del_init(item);
	list->nr_items--;
}

void list_lru_isolate_move(struct list_lru_one *list, struct list_head *item,
			   struct list_head *head)
{
	list_move(item, head);
	list->nr_items--;
}

void list_lru_putback(struct list_lru *lru, struct list_head *item, int nid,
		      struct mem_cgroup *memcg)
{
	struct list_lru_one *list;

	rcu_read_lock();
	list = list_lru_from_memcg_idx(lru, nid, memcg_kmem_id(memcg));
	rcu_read_unlock();
	if (WARN_ON_ONCE(!list))
		return;
	lockdep_assert_held(&list->lock);
	if (list_empty(item)) {
		list_add_tail(item, &list->list);
		list->nr_items++;
	}
}

unsigned long list_lru_count_one(struct list_lru *lru, int nid, struct mem_cgroup *memcg)
{
	struct list_lru_one *l;
	long count;

	rcu_read_lock();
	l = list_lru_from_memcg_idx(lru, nid, memcg_kmem_id(memcg));
	count = l ? READ_ONCE(l->nr_items) : 0;
	rcu_read_unlock();
	/* Negative while reparenting, LONG_MIN when dead. */
	return count < 0 ? 0 : count;
}

unsigned long list_lru_count_node(struct list_lru *lru, int nid)
{
	return atomic_long_read(&lru->node[nid].nr_items);
}

/* The shim's debug spinlocks record their owner. */
static bool list_lru_lock_owned(struct list_lru_one *l)
{
	return READ_ONCE(l->lock.rlock.owner) == current;
}

static void check_isolate_lock(struct list_lru_one *l, enum lru_status ret, bool irq_off)
{
	bool dropped = ret == LRU_REMOVED_RETRY || ret == LRU_RETRY || ret == LRU_STOP;
	bool owned = list_lru_lock_owned(l);

	if (WARN(dropped == owned, "list_lru isolate callback returned %d with the list lock %s\n",
		 ret, owned ? "held" : "dropped")) {
		/* Keep going in the state the walk expects. */
		if (owned)
			unlock_list_lru(l, irq_off);
		else if (irq_off)
			spin_lock_irq(&l->lock);
		else
			spin_lock(&l->lock);
	}
}

static unsigned long __list_lru_walk_one(struct list_lru *lru, int nid,
					 struct mem_cgroup *memcg,
					 list_lru_walk_cb isolate, void *cb_arg,
					 unsigned long *nr_to_walk, bool irq_off)
{
	struct list_lru_node *nlru = &lru->node[nid];
	struct list_head *item, *n;
	unsigned long isolated = 0;
	struct list_lru_one *l;

restart:
	l = lock_list_lru_of_memcg(lru, nid, memcg, irq_off, true);
	if (!l)
		return isolated;
	list_for_each_safe(item, n, &l->list) {
		enum lru_status ret;

		/* Count first: a list of LRU_RETRY items must not livelock. */
		if (!*nr_to_walk)
			break;
		--*nr_to_walk;

		ret = isolate(item, l, cb_arg);
		check_isolate_lock(l, ret, irq_off);
		switch (ret) {
		case LRU_RETRY:
			/* The lock was dropped: the list may have changed. */
			goto restart;
		case LRU_REMOVED_RETRY:
		case LRU_REMOVED:
			isolated++;
			atomic_long_dec(&nlru->nr_items);
			if (ret == LRU_REMOVED_RETRY)
				goto restart;
			break;
		case LRU_ROTATE:
			list_move_tail(item, &l->list);
			break;
		case LRU_SKIP:
			break;
		case LRU_STOP:
			return isolated;
		default:
			BUG();
		}
	}
	unlock_list_lru(l, irq_off);
	return isolated;
}

unsigned long list_lru_walk_one(struct list_lru *lru, int nid, struct mem_cgroup *memcg,
				list_lru_walk_cb isolate, void *cb_arg,
				unsigned long *nr_to_walk)
{
	return __list_lru_walk_one(lru, nid, memcg, isolate, cb_arg, nr_to_walk, false);
}

unsigned long list_lru_walk_one_irq(struct list_lru *lru, int nid, struct mem_cgroup *memcg,
				    list_lru_walk_cb isolate, void *cb_arg,
				    unsigned long *nr_to_walk)
{
	return __list_lru_walk_one(lru, nid, memcg, isolate, cb_arg, nr_to_walk, true);
}

unsigned long list_lru_walk_node(struct list_lru *lru, int nid,
				 list_lru_walk_cb isolate, void *cb_arg,
				 unsigned long *nr_to_walk)
{
	struct list_lru_memcg_table *t;
	unsigned long isolated;
	int idx;

	isolated = list_lru_walk_one(lru, nid, NULL, isolate, cb_arg, nr_to_walk);
	if (!*nr_to_walk || !lru->memcg_aware)
		return isolated;

	rcu_read_lock();
	/* Published once and kept until list_lru_destroy(): @t stays valid. */
	t = rcu_dereference(lru->table);
	for (idx = 0; t && idx < CGROUP_ID_MAX && *nr_to_walk; idx++) {
		struct mem_cgroup *memcg;

		/* A plain look at each slot: most are empty. */
		if (!rcu_access_pointer(t->mlru[idx]))
			continue;
		memcg = mem_cgroup_from_id(idx);
		if (!memcg || !mem_cgroup_tryget(memcg))
			continue;
		rcu_read_unlock();
		isolated += __list_lru_walk_one(lru, nid, memcg, isolate, cb_arg,
						nr_to_walk, false);
		mem_cgroup_put(memcg);
		rcu_read_lock();
	}
	rcu_read_unlock();
	return isolated;
}

static void init_one_lru(struct list_lru_one *l)
{
	INIT_LIST_HEAD(&l->list);
	spin_lock_init(&l->lock);
	l->nr_items = 0;
}

static struct list_lru_memcg *memcg_init_list_lru_one(gfp_t gfp)
{
	struct list_lru_memcg *mlru;
	int nid;

	mlru = kmalloc(sizeof(*mlru) + nr_node_ids * sizeof(mlru->node[0]), gfp);
	if (!mlru)
		return NULL;
	for_each_node(nid)
		init_one_lru(&mlru->node[nid]);
	return mlru;
}

/* Publish the table of per-memcg lists the first time one is needed. */
static int memcg_list_lru_table_alloc(struct list_lru *lru, gfp_t gfp)
{
	struct list_lru_memcg_table *t;

	if (rcu_access_pointer(lru->table))
		return 0;
	t = kvzalloc(sizeof(*t) + CGROUP_ID_MAX * sizeof(t->mlru[0]), gfp);
	if (!t)
		return -ENOMEM;
	spin_lock(&lru->table_lock);
	if (!rcu_access_pointer(lru->table)) {
		rcu_assign_pointer(lru->table, t);
		t = NULL;
	}
	spin_unlock(&lru->table_lock);
	kvfree(t);
	return 0;
}

static bool memcg_list_lru_allocated(struct mem_cgroup *memcg, struct list_lru *lru)
{
	int idx = memcg->kmemcg_id;
	bool ret;

	if (idx < 0)
		return true;
	rcu_read_lock();
	ret = list_lru_memcg_load(lru, idx);
	rcu_read_unlock();
	return ret;
}

int memcg_list_lru_alloc(struct mem_cgroup *memcg, struct list_lru *lru, gfp_t gfp)
{
	struct list_lru_memcg *mlru = NULL;
	struct mem_cgroup *pos, *parent;
	int ret;

	if (!lru->memcg_aware || memcg_list_lru_allocated(memcg, lru))
		return 0;
	ret = memcg_list_lru_table_alloc(lru, gfp);
	if (ret)
		return ret;

	/*
	 * Items can be reparented to any ancestor: give every ancestor its
	 * lists first, from the farthest one that lacks them down to @memcg.
	 */
	do {
		struct list_lru_memcg_table *t;

		pos = memcg;
		parent = parent_mem_cgroup(pos);
		while (!memcg_list_lru_allocated(parent, lru)) {
			pos = parent;
			parent = parent_mem_cgroup(pos);
		}
		if (!mlru) {
			mlru = memcg_init_list_lru_one(gfp);
			if (!mlru)
				return -ENOMEM;
		}
		spin_lock(&lru->table_lock);
		t = rcu_dereference_protected(lru->table, lockdep_is_held(&lru->table_lock));
		/* A dying memcg gets none: its reparenting may be done already. */
		if (!rcu_access_pointer(t->mlru[pos->kmemcg_id]) && !css_is_dying(&pos->css)) {
			rcu_assign_pointer(t->mlru[pos->kmemcg_id], mlru);
			mlru = NULL;
		}
		spin_unlock(&lru->table_lock);
	} while (pos != memcg && !css_is_dying(&pos->css));

	kfree(mlru);
	return 0;
}

static void memcg_reparent_list_lru_one(struct list_lru *lru, int nid,
					struct list_lru_one *src, struct mem_cgroup *dst_memcg)
{
	struct list_lru_one *dst;

	spin_lock_irq(&src->lock);
	rcu_read_lock();
	dst = list_lru_from_memcg_idx(lru, nid, dst_memcg->kmemcg_id);
	rcu_read_unlock();
	spin_lock_nested(&dst->lock, SINGLE_DEPTH_NESTING);

	list_splice_init(&src->list, &dst->list);
	if (src->nr_items) {
		WARN_ON(src->nr_items < 0);
		dst->nr_items += src->nr_items;
	}
	/* Adds and deletes that find it now go to the parent. */
	WRITE_ONCE(src->nr_items, LONG_MIN);

	spin_unlock(&dst->lock);
	spin_unlock_irq(&src->lock);
}

void memcg_reparent_list_lrus(struct mem_cgroup *memcg, struct mem_cgroup *parent)
{
	struct list_lru *lru;
	int nid;

	mutex_lock(&list_lrus_mutex);
	list_for_each_entry(lru, &memcg_list_lrus, list) {
		struct list_lru_memcg_table *t;
		struct list_lru_memcg *mlru = NULL;

		/* Under the table lock: no allocation for it is in flight. */
		spin_lock(&lru->table_lock);
		t = rcu_dereference_protected(lru->table, lockdep_is_held(&lru->table_lock));
		if (t && memcg->kmemcg_id >= 0) {
			mlru = rcu_dereference_protected(t->mlru[memcg->kmemcg_id],
							 lockdep_is_held(&lru->table_lock));
			RCU_INIT_POINTER(t->mlru[memcg->kmemcg_id], NULL);
		}
		spin_unlock(&lru->table_lock);
		if (!mlru)
			continue;

		/* Unpublished: only walkers that found it before can lock it. */
		for_each_node(nid)
			memcg_reparent_list_lru_one(lru, nid, &mlru->node[nid], parent);
		kvfree_rcu(mlru, rcu);
	}
	mutex_unlock(&list_lrus_mutex);
}

int __list_lru_init(struct list_lru *lru, bool memcg_aware, struct shrinker *shrinker)
{
	int nid;

	lru->shrinker_id = shrinker ? shrinker->id : -1;
	lru->node = kcalloc(nr_node_ids, sizeof(*lru->node), GFP_KERNEL);
	if (!lru->node)
		return -ENOMEM;
	for_each_node(nid) {
		init_one_lru(&lru->node[nid].lru);
		atomic_long_set(&lru->node[nid].nr_items, 0);
	}
	lru->memcg_aware = memcg_aware;
	spin_lock_init(&lru->table_lock);
	RCU_INIT_POINTER(lru->table, NULL);
	INIT_LIST_HEAD(&lru->list);
	list_lru_register(lru);
	return 0;
}

void list_lru_destroy(struct list_lru *lru)
{
	struct list_lru_memcg_table *t;
	int idx;

	/* Already destroyed or never initialised. */
	if (!lru->node)
		return;
	list_lru_unregister(lru);

	t = rcu_dereference_protected(lru->table, true);
	if (t) {
		for (idx = 0; idx < CGROUP_ID_MAX; idx++)
			kfree(rcu_dereference_protected(t->mlru[idx], true));
		kvfree(t);
		RCU_INIT_POINTER(lru->table, NULL);
	}
	kfree(lru->node);
	lru->node = NULL;
	lru->shrinker_id = -1;
}
