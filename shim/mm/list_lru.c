// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memcg- and NUMA-aware LRU lists (mm/list_lru.c), following the 6.13+
 * kernel: a spinlock per list, per-memcg lists found under RCU, dead lists
 * after reparenting, and walks that restart after a callback dropped the
 * lock. See <linux/list_lru.h> for the contract and the differences.
 *
 * Beyond the kernel, a walk checks the lock state an isolate callback
 * returns with against its status and WARNs on a mismatch, which in the
 * kernel is a silent list corruption or a self-deadlock (see
 * list_lru_walk_holds_lock()).
 */
#include <linux/bug.h>
#include <linux/cgroup.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/list_lru.h>
#include <linux/lockdep.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <sim/init.h>

/* Every memcg-aware list_lru, for reparenting. */
static LIST_HEAD(memcg_list_lrus);
static DEFINE_MUTEX(list_lrus_mutex);

/*
 * A new machine starts with no list_lrus: a wedged one (no exit) may have
 * left its own on the list, and the mutex held by a killed task.
 */
static int __init list_lru_sim_init(void)
{
	sim_mutex_forget(&list_lrus_mutex);
	INIT_LIST_HEAD(&memcg_list_lrus);
	return 0;
}
pure_initcall(list_lru_sim_init);

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

/*
 * Take @l's lock and keep it if @l is still in use; reparenting retires
 * a list by setting nr_items to LONG_MIN under that lock.
 */
static bool list_lru_lock_if_live(struct list_lru_one *l, bool irq)
{
	if (irq)
		spin_lock_irq(&l->lock);
	else
		spin_lock(&l->lock);
	if (likely(READ_ONCE(l->nr_items) != LONG_MIN))
		return true;
	unlock_list_lru(l, irq);
	return false;
}

/*
 * The locked list for @memcg's items on @nid. Only a memcg on its way
 * offline can lack a live list; its items belong to the closest ancestor
 * that has one, except for walks (@skip_empty), which have nothing to
 * visit there and get NULL.
 */
static struct list_lru_one *list_lru_lock_memcg_list(struct list_lru *lru, int nid,
						     struct mem_cgroup *memcg, bool irq,
						     bool skip_empty)
{
	struct list_lru_one *found = NULL;

	rcu_read_lock();
	for (;;) {
		struct list_lru_one *l = list_lru_from_memcg_idx(lru, nid, memcg_kmem_id(memcg));

		if (l && list_lru_lock_if_live(l, irq)) {
			found = l;
			break;
		}
		if (skip_empty)
			break;
		/* A live memcg without lists: memcg_list_lru_alloc() was skipped. */
		VM_WARN_ON(!css_is_dying(&memcg->css));
		memcg = parent_mem_cgroup(memcg);
	}
	rcu_read_unlock();
	return found;
}

bool list_lru_add(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg)
{
	struct list_lru_one *l = list_lru_lock_memcg_list(lru, nid, memcg, false, false);
	bool added = list_empty(item);

	if (added) {
		list_add_tail(item, &l->list);
		l->nr_items++;
	}
	unlock_list_lru(l, false);
	if (added)
		atomic_long_inc(&lru->node[nid].nr_items);
	return added;
}

bool list_lru_del(struct list_lru *lru, struct list_head *item, int nid,
		  struct mem_cgroup *memcg)
{
	struct list_lru_one *l = list_lru_lock_memcg_list(lru, nid, memcg, false, false);
	bool removed = !list_empty(item);

	if (removed) {
		list_del_init(item);
		l->nr_items--;
	}
	unlock_list_lru(l, false);
	if (removed)
		atomic_long_dec(&lru->node[nid].nr_items);
	return removed;
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

/* The statuses with which an isolate callback hands the list back unlocked. */
static bool lru_status_unlocked(enum lru_status status)
{
	return status == LRU_REMOVED_RETRY || status == LRU_RETRY || status == LRU_STOP;
}

/*
 * Beyond the kernel: WARN if the callback left @l's lock other than its
 * @status says, and return whether the walk holds the lock now. After an
 * unlocking status @l may be freed already (a memcg going offline
 * reparents and frees its lists as soon as the lock is free), so only
 * current's held-lock list is looked at, never @l; with lockdep off that
 * case goes unchecked. After a locking status @l is ours and the owner
 * field of the shim's debug spinlock tells.
 */
static bool list_lru_walk_holds_lock(struct list_lru_one *l, enum lru_status status,
				     bool irq_off)
{
	if (lru_status_unlocked(status)) {
		if (WARN(lock_is_held(&l->lock.dep_map) == LOCK_STATE_HELD,
			 "list_lru isolate callback returned %d with the list lock held\n",
			 status))
			unlock_list_lru(l, irq_off);
		return false;
	}
	/* Not relocked: the list may be gone. The walk starts over instead. */
	return !WARN(READ_ONCE(l->lock.rlock.owner) != current,
		     "list_lru isolate callback returned %d with the list lock dropped\n",
		     status);
}

enum walk_pass_end {
	WALK_DONE,	/* budget used up or end of list: lock still held */
	WALK_AGAIN,	/* lock given up: start from the head again */
	WALK_STOPPED,	/* lock given up: the callback wants no more */
};

/* Offer @l's items to @isolate from the head, with @l locked. */
static enum walk_pass_end list_lru_walk_pass(struct list_lru *lru, int nid,
					     struct list_lru_one *l,
					     list_lru_walk_cb isolate, void *cb_arg,
					     unsigned long *nr_to_walk, bool irq_off,
					     unsigned long *isolated)
{
	struct list_head *item, *next;

	list_for_each_safe(item, next, &l->list) {
		enum lru_status status;

		/*
		 * Charge the budget before the call: items that only ever
		 * answer LRU_RETRY would otherwise restart the walk forever.
		 */
		if (*nr_to_walk == 0)
			break;
		(*nr_to_walk)--;

		status = isolate(item, l, cb_arg);
		if (status > LRU_STOP)
			BUG();
		if (status == LRU_REMOVED || status == LRU_REMOVED_RETRY) {
			(*isolated)++;
			atomic_long_dec(&lru->node[nid].nr_items);
		}
		if (!list_lru_walk_holds_lock(l, status, irq_off))
			return status == LRU_STOP ? WALK_STOPPED : WALK_AGAIN;
		if (status == LRU_ROTATE)
			list_move_tail(item, &l->list);
	}
	return WALK_DONE;
}

static unsigned long __list_lru_walk_one(struct list_lru *lru, int nid,
					 struct mem_cgroup *memcg,
					 list_lru_walk_cb isolate, void *cb_arg,
					 unsigned long *nr_to_walk, bool irq_off)
{
	unsigned long isolated = 0;
	enum walk_pass_end end;

	do {
		/* Looked up afresh each pass: the memcg may have gone offline. */
		struct list_lru_one *l = list_lru_lock_memcg_list(lru, nid, memcg, irq_off, true);

		if (!l)
			break;
		end = list_lru_walk_pass(lru, nid, l, isolate, cb_arg, nr_to_walk, irq_off,
					 &isolated);
		if (end == WALK_DONE)
			unlock_list_lru(l, irq_off);
	} while (end == WALK_AGAIN);
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

/*
 * Publish @mlru as @memcg's lists unless it has some already or is
 * dying (its reparenting may have run: lists published now would never
 * be reparented). False if @mlru was not used.
 */
static bool memcg_list_lru_publish(struct list_lru *lru, struct mem_cgroup *memcg,
				   struct list_lru_memcg *mlru)
{
	struct list_lru_memcg_table *t;
	bool used = false;

	spin_lock(&lru->table_lock);
	t = rcu_dereference_protected(lru->table, lockdep_is_held(&lru->table_lock));
	if (!css_is_dying(&memcg->css) && !rcu_access_pointer(t->mlru[memcg->kmemcg_id])) {
		rcu_assign_pointer(t->mlru[memcg->kmemcg_id], mlru);
		used = true;
	}
	spin_unlock(&lru->table_lock);
	return used;
}

/*
 * Give @memcg lists after giving them to its ancestors, root side first:
 * reparenting moves items to the parent's lists, which must exist by
 * then. 1 if a dying memcg was met on the way (nothing below it needs
 * lists), 0 when done, -ENOMEM.
 */
static int memcg_list_lru_populate(struct list_lru *lru, struct mem_cgroup *memcg, gfp_t gfp)
{
	struct list_lru_memcg *mlru;
	int err;

	if (memcg_list_lru_allocated(memcg, lru))
		return 0;
	/* The root has no per-memcg lists, so it ends the recursion. */
	err = memcg_list_lru_populate(lru, parent_mem_cgroup(memcg), gfp);
	if (err)
		return err;
	mlru = memcg_init_list_lru_one(gfp);
	if (!mlru)
		return -ENOMEM;
	if (memcg_list_lru_publish(lru, memcg, mlru))
		return 0;
	kfree(mlru);
	/* Lost to a concurrent allocation, or dying. */
	return css_is_dying(&memcg->css) ? 1 : 0;
}

int memcg_list_lru_alloc(struct mem_cgroup *memcg, struct list_lru *lru, gfp_t gfp)
{
	int err;

	if (!lru->memcg_aware || memcg_list_lru_allocated(memcg, lru))
		return 0;
	err = memcg_list_lru_table_alloc(lru, gfp);
	if (!err)
		err = memcg_list_lru_populate(lru, memcg, gfp);
	return err < 0 ? err : 0;
}

/*
 * Hand the items of a dying memcg's list on @nid to @parent's list and
 * retire @dying, so that adds and deletes that still find it go to the
 * parent instead.
 */
static void memcg_list_lru_move_to_parent(struct list_lru *lru, int nid,
					  struct list_lru_one *dying,
					  struct mem_cgroup *parent)
{
	struct list_lru_one *heir;

	/* An online memcg's lists, or the node list: they stay while we run. */
	rcu_read_lock();
	heir = list_lru_from_memcg_idx(lru, nid, memcg_kmem_id(parent));
	rcu_read_unlock();

	spin_lock_irq(&dying->lock);
	spin_lock_nested(&heir->lock, SINGLE_DEPTH_NESTING);
	WARN_ON(dying->nr_items < 0);
	heir->nr_items += dying->nr_items;
	list_splice_init(&dying->list, &heir->list);
	WRITE_ONCE(dying->nr_items, LONG_MIN);
	spin_unlock(&heir->lock);
	spin_unlock_irq(&dying->lock);
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
			memcg_list_lru_move_to_parent(lru, nid, &mlru->node[nid], parent);
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
