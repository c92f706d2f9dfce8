// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory controller (mm/memcontrol.c), cgroup v2 only: memcg
 * allocation and lifetime callbacks for the cgroup core, the hierarchy
 * iterator, folio and objcg charging, the zswap limits and statistics.
 * The cgroup files are in memcontrol-files.c.
 *
 * Statistics follow the kernel's rstat design: an update adds to this
 * CPU's counter of the memcg and counts towards a flush threshold for the
 * memcg and its ancestors; a flush of a subtree sums, per memcg and CPU,
 * what changed since the last flush, adds it to the memcg's hierarchical
 * total and passes it up to the parent's pending delta. A freed memcg is
 * flushed on the way out, so that its charges stay in its ancestors'
 * totals (charges are uncharged from the parent after reparenting).
 *
 * Differences from the kernel:
 *  - One lock (memcg_rstat_lock, a spinlock) serialises flushes, which
 *    walk every memcg of the subtree (the kernel keeps a per-CPU list of
 *    updated cgroups).
 *  - No periodic flush (the kernel's flush_memcg_stats_dwork, every two
 *    seconds): its timer would wake a worker every two virtual seconds,
 *    and as every wakeup counts as progress the controlled backend would
 *    never report a hang. What it guarantees, that a reader sees every
 *    update in the end, the simulation-control API's reads give instead
 *    by flushing unconditionally (mem_cgroup_flush_stats_now()).
 *  - Charges go straight to the page counters: no per-CPU stock of
 *    pre-charged pages (so memory.current is exact), no reclaim or OOM
 *    behind a failed charge. A charge that leaves a level over memory.high
 *    adds to the task's batch, as the kernel's; the reclaim and throttling
 *    that follow are the simulated VM's (src/mm/memcg_high.c).
 *  - The root has no objcg and kmemcg_id -1, as the kernel: objects of the
 *    root are not charged and its list_lru items sit on the node lists.
 */
#define KBUILD_MODNAME "memcontrol"
#include <linux/cgroup.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/swap_cgroup.h>
#include <linux/zswap.h>
#include <sim/cgroup.h>
#include <sim/init.h>
#include <sim/memcg.h>

struct mem_cgroup *root_mem_cgroup;

/* objcg->list and memcg->objcg_list; kernel: objcg_lock. */
static DEFINE_SPINLOCK(objcg_lock);
static DEFINE_SPINLOCK(memcg_rstat_lock);

struct memcg_vmstats_percpu {
	/* Written by this CPU. */
	long state[MEMCG_NR_STAT];
	unsigned long events[NR_VM_EVENT_ITEMS];
	unsigned int stats_updates;	/* towards MEMCG_CHARGE_BATCH */
	/* What the last flush saw; flushers only. */
	long state_prev[MEMCG_NR_STAT];
	unsigned long events_prev[NR_VM_EVENT_ITEMS];
};

struct memcg_vmstats {
	/* Flushed, hierarchical; under memcg_rstat_lock, read racily. */
	long state[MEMCG_NR_STAT];
	unsigned long events[NR_VM_EVENT_ITEMS];
	/* Flushed from children, not yet added here. */
	long state_pending[MEMCG_NR_STAT];
	unsigned long events_pending[NR_VM_EVENT_ITEMS];
	/* Updates in this subtree since its last flush. */
	atomic_t stats_updates;
};

static inline struct mem_cgroup *css_memcg(struct cgroup_subsys_state *css)
{
	return container_of(css, struct mem_cgroup, css);
}

/* ---- statistics ---- */

static bool memcg_vmstats_needs_flush(struct memcg_vmstats *vmstats)
{
	return atomic_read(&vmstats->stats_updates) >
	       (int)(MEMCG_CHARGE_BATCH * num_online_cpus());
}

/*
 * Add @nr updates to this CPU's batch for @memcg; a full batch goes to
 * the memcg's shared count, which decides when a flush is worth it.
 */
static void memcg_stats_batch_add(struct mem_cgroup *memcg, unsigned int nr)
{
	struct memcg_vmstats_percpu __percpu *pcpu = memcg->vmstats_percpu;

	if (this_cpu_add_return(pcpu->stats_updates, nr) >= MEMCG_CHARGE_BATCH)
		atomic_add(this_cpu_xchg(pcpu->stats_updates, 0), &memcg->vmstats->stats_updates);
}

/* A change of @val to a counter of @memcg: every ancestor sees it too. */
static void memcg_rstat_updated(struct mem_cgroup *memcg, int val)
{
	unsigned int nr = val < 0 ? 0U - (unsigned int)val : (unsigned int)val;
	struct mem_cgroup *pos;

	/* Stop at the first memcg due a flush: all above it are as well. */
	for (pos = memcg; nr && pos && !memcg_vmstats_needs_flush(pos->vmstats);
	     pos = parent_mem_cgroup(pos))
		memcg_stats_batch_add(pos, nr);
}

void __mod_memcg_state(struct mem_cgroup *memcg, int idx, int val)
{
	if (mem_cgroup_disabled() || WARN_ON_ONCE(idx < 0 || idx >= MEMCG_NR_STAT))
		return;
	this_cpu_add(memcg->vmstats_percpu->state[idx], val);
	memcg_rstat_updated(memcg, val);
}

void mod_memcg_state(struct mem_cgroup *memcg, int idx, int val)
{
	__mod_memcg_state(memcg, idx, val);
}

void count_memcg_events(struct mem_cgroup *memcg, enum vm_event_item idx,
			unsigned long count)
{
	if (mem_cgroup_disabled() || WARN_ON_ONCE(idx >= NR_VM_EVENT_ITEMS))
		return;
	this_cpu_add(memcg->vmstats_percpu->events[idx], count);
	memcg_rstat_updated(memcg, (int)count);
}

void count_objcg_events(struct obj_cgroup *objcg, enum vm_event_item idx,
			unsigned long count)
{
	rcu_read_lock();
	count_memcg_events(obj_cgroup_memcg(objcg), idx, count);
	rcu_read_unlock();
}

unsigned long memcg_page_state(struct mem_cgroup *memcg, int idx)
{
	long x;

	if (WARN_ON_ONCE(idx < 0 || idx >= MEMCG_NR_STAT))
		return 0;
	x = READ_ONCE(memcg->vmstats->state[idx]);
	/* Per-CPU deltas can make a total briefly negative, as the kernel. */
	return x < 0 ? 0 : x;
}

unsigned long memcg_events(struct mem_cgroup *memcg, int event)
{
	if (WARN_ON_ONCE(event < 0 || event >= NR_VM_EVENT_ITEMS))
		return 0;
	return READ_ONCE(memcg->vmstats->events[event]);
}

/* Fold @memcg's per-CPU deltas and pending child deltas; under the lock. */
static void memcg_flush_one(struct mem_cgroup *memcg)
{
	struct memcg_vmstats *vs = memcg->vmstats;
	struct mem_cgroup *parent = parent_mem_cgroup(memcg);
	long dstate[MEMCG_NR_STAT] = { 0 };
	unsigned long devents[NR_VM_EVENT_ITEMS] = { 0 };
	unsigned int cpu;
	int i;

	lockdep_assert_held(&memcg_rstat_lock);
	for_each_possible_cpu(cpu) {
		struct memcg_vmstats_percpu *pc = per_cpu_ptr(memcg->vmstats_percpu, cpu);

		for (i = 0; i < MEMCG_NR_STAT; i++) {
			long v = __atomic_load_n(&pc->state[i], __ATOMIC_RELAXED);

			dstate[i] += v - pc->state_prev[i];
			pc->state_prev[i] = v;
		}
		for (i = 0; i < NR_VM_EVENT_ITEMS; i++) {
			unsigned long v = __atomic_load_n(&pc->events[i], __ATOMIC_RELAXED);

			devents[i] += v - pc->events_prev[i];
			pc->events_prev[i] = v;
		}
		/* Flushed: this CPU's count towards the next flush starts over. */
		WRITE_ONCE(pc->stats_updates, 0);
	}
	for (i = 0; i < MEMCG_NR_STAT; i++) {
		long d = dstate[i] + vs->state_pending[i];

		vs->state_pending[i] = 0;
		WRITE_ONCE(vs->state[i], vs->state[i] + d);
		if (parent)
			parent->vmstats->state_pending[i] += d;
	}
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		unsigned long d = devents[i] + vs->events_pending[i];

		vs->events_pending[i] = 0;
		WRITE_ONCE(vs->events[i], vs->events[i] + d);
		if (parent)
			parent->vmstats->events_pending[i] += d;
	}
	atomic_set(&vs->stats_updates, 0);
}

static void __mem_cgroup_flush_stats(struct mem_cgroup *memcg, bool force)
{
	struct cgroup_subsys_state *pos;

	if (!force && !memcg_vmstats_needs_flush(memcg->vmstats))
		return;
	/* As css_rstat_flush(): a flush may sleep between CPUs. */
	might_sleep();
	/* Children before parents, so each level adds what came up. */
	spin_lock(&memcg_rstat_lock);
	rcu_read_lock();
	css_for_each_descendant_post(pos, &memcg->css)
		memcg_flush_one(css_memcg(pos));
	rcu_read_unlock();
	spin_unlock(&memcg_rstat_lock);
}

void mem_cgroup_flush_stats(struct mem_cgroup *memcg)
{
	if (mem_cgroup_disabled())
		return;
	if (!memcg)
		memcg = root_mem_cgroup;
	__mem_cgroup_flush_stats(memcg, false);
}

void mem_cgroup_flush_stats_now(struct mem_cgroup *memcg)
{
	if (!mem_cgroup_disabled())
		__mem_cgroup_flush_stats(memcg ? memcg : root_mem_cgroup, true);
}

/* ---- lookup and iteration ---- */

struct mem_cgroup *mem_cgroup_from_id(unsigned short id)
{
	return mem_cgroup_from_css(css_from_id(id, &memory_cgrp_subsys));
}

/* Drop the reference mem_cgroup_iter() took on @memcg (none on @root). */
static void memcg_iter_unpin(struct mem_cgroup *root, struct mem_cgroup *memcg)
{
	if (memcg && memcg != root)
		css_put(&memcg->css);
}

/*
 * Pre-order successor of @pos under @root (the first memcg if @pos is
 * NULL) that can still be pinned; @root needs no reference, the caller
 * holds one. Under RCU.
 */
static struct mem_cgroup *memcg_iter_next(struct mem_cgroup *root, struct mem_cgroup *pos)
{
	struct cgroup_subsys_state *css = pos ? &pos->css : NULL;

	for (css = css_next_descendant_pre(css, &root->css); css;
	     css = css_next_descendant_pre(css, &root->css))
		if (css == &root->css || css_tryget(css))
			return mem_cgroup_from_css(css);
	return NULL;
}

/*
 * Reclaimers share one position per (root, node): each call claims the
 * memcg after it. Reaching the end completes a round (a new generation);
 * a walker still in the old round is done, one that has just started
 * gets a memcg of the new round.
 */
static struct mem_cgroup *memcg_iter_shared(struct mem_cgroup *root, struct mem_cgroup *prev,
					    struct mem_cgroup_reclaim_cookie *reclaim)
{
	struct mem_cgroup_reclaim_iter *iter = &root->nodeinfo[reclaim->pgdat->node_id]->iter;

	for (;;) {
		int round = atomic_read(&iter->generation);
		struct mem_cgroup *seen, *claim;

		if (!prev)
			reclaim->generation = round;
		else if (reclaim->generation != round)
			return NULL;
		seen = READ_ONCE(iter->position);
		claim = memcg_iter_next(root, seen);
		if (cmpxchg(&iter->position, seen, claim) != seen) {
			/* Another reclaimer moved on first: try from where it is. */
			memcg_iter_unpin(root, claim);
			continue;
		}
		if (claim)
			return claim;
		atomic_inc(&iter->generation);
		if (prev)
			return NULL;
	}
}

struct mem_cgroup *mem_cgroup_iter(struct mem_cgroup *root, struct mem_cgroup *prev,
				   struct mem_cgroup_reclaim_cookie *reclaim)
{
	struct mem_cgroup *next;

	if (mem_cgroup_disabled())
		return NULL;
	if (!root)
		root = root_mem_cgroup;

	rcu_read_lock();
	if (reclaim)
		next = memcg_iter_shared(root, prev, reclaim);
	else
		next = memcg_iter_next(root, prev);
	rcu_read_unlock();
	memcg_iter_unpin(root, prev);
	return next;
}

void mem_cgroup_iter_break(struct mem_cgroup *root, struct mem_cgroup *prev)
{
	memcg_iter_unpin(root ? root : root_mem_cgroup, prev);
}

/* A released memcg must not stay a shared reclaim position anywhere. */
static void invalidate_reclaim_iterators(struct mem_cgroup *dead)
{
	struct mem_cgroup *memcg;
	int nid;

	for (memcg = dead; memcg; memcg = parent_mem_cgroup(memcg))
		for_each_node(nid)
			cmpxchg(&memcg->nodeinfo[nid]->iter.position, dead, NULL);
}

/* ---- charging ---- */

/*
 * try_charge_memcg()'s high check: if, after the charge of @nr_pages,
 * @memcg or an ancestor is over its memory.high or its swap over its
 * memory.swap.high, add them to the task's batch, which the return to user
 * reclaims or pays for (mem_cgroup_handle_over_high(), the VM's).
 */
static void mem_cgroup_add_over_high(struct mem_cgroup *memcg, unsigned int nr_pages)
{
	/* Not a random interrupted task's: the kernel queues high_work then. */
	if (!current || in_interrupt())
		return;
	for (; !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg)) {
		if (page_counter_read(&memcg->memory) > READ_ONCE(memcg->memory.high) ||
		    page_counter_read(&memcg->swap) > READ_ONCE(memcg->swap.high)) {
			current->memcg_nr_pages_over_high += nr_pages;
			return;
		}
	}
}

/* Folio and objcg charges alike: 0 or -ENOMEM. */
static int try_charge_memcg(struct mem_cgroup *memcg, gfp_t gfp, unsigned long nr_pages)
{
	struct page_counter *fail;

	if (mem_cgroup_is_root(memcg))
		return 0;
	if (page_counter_try_charge(&memcg->memory, nr_pages, &fail)) {
		mem_cgroup_add_over_high(memcg, nr_pages);
		return 0;
	}
	/*
	 * try_charge_memcg()'s force (__GFP_NOFAIL, __GFP_HIGH as atomic
	 * allocations have, or PF_MEMALLOC): it must not fail, and skips the high
	 * check. The kernel raises MEMCG_MAX there unless its reclaim did;
	 * that reclaim is the VM's (charge_memcg()), never before a force.
	 */
	if ((gfp & (__GFP_NOFAIL | __GFP_HIGH)) ||
	    (current && (current->flags & PF_MEMALLOC))) {
		memcg_memory_event(container_of(fail, struct mem_cgroup, memory), MEMCG_MAX);
		page_counter_charge(&memcg->memory, nr_pages);
		return 0;
	}
	return -ENOMEM;
}

static void memcg_uncharge(struct mem_cgroup *memcg, unsigned long nr_pages)
{
	if (!mem_cgroup_is_root(memcg))
		page_counter_uncharge(&memcg->memory, nr_pages);
}

int mem_cgroup_charge_folio(struct folio *folio, struct mem_cgroup *memcg, gfp_t gfp)
{
	long nr = folio_nr_pages(folio);
	int ret;

	if (mem_cgroup_disabled())
		return 0;
	if (!memcg)
		memcg = root_mem_cgroup;
	VM_BUG_ON_FOLIO(folio_memcg_charged(folio), folio);
	ret = try_charge_memcg(memcg, gfp, nr);
	if (ret)
		return ret;
	css_get(&memcg->css);
	WRITE_ONCE(folio->memcg_data, (unsigned long)memcg);
	return 0;
}

void __mem_cgroup_uncharge(struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(folio);

	memcg_uncharge(memcg, folio_nr_pages(folio));
	WRITE_ONCE(folio->memcg_data, 0);
	css_put(&memcg->css);
}

struct mem_cgroup *get_mem_cgroup_from_folio(struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(folio);

	if (mem_cgroup_disabled())
		return NULL;
	rcu_read_lock();
	if (!memcg || WARN_ON_ONCE(!css_tryget(&memcg->css)))
		memcg = root_mem_cgroup;
	rcu_read_unlock();
	return memcg;
}

/* ---- swap ---- */

/*
 * The kernel pins a memcg's id (memcg->id.ref, which holds a css
 * reference) for every swap record of it, so that the id stays the
 * memcg's until the last record goes. The shim's css ids live as long as
 * the css, so one css reference per record does both.
 */
static void mem_cgroup_id_get_many(struct mem_cgroup *memcg, unsigned int n)
{
	css_get_many(&memcg->css, n);
}

static void mem_cgroup_id_put_many(struct mem_cgroup *memcg, unsigned int n)
{
	css_put_many(&memcg->css, n);
}

/* @memcg, or its nearest ancestor still online, with one id reference. */
static struct mem_cgroup *mem_cgroup_id_get_online(struct mem_cgroup *memcg)
{
	while (!css_tryget_online(&memcg->css))
		memcg = parent_mem_cgroup(memcg);	/* the root always succeeds */
	return memcg;
}

/*
 * At folio_alloc_swap(): charge @folio's new slots to the swap counter of
 * its memcg (or the nearest online ancestor), memory.swap.current, and
 * record that memcg for them. -ENOMEM if a level's memory.swap.max would
 * be passed (MEMCG_SWAP_MAX and MEMCG_SWAP_FAIL); the caller then gives
 * the slots back. Called with no @entry when there were no slots to get,
 * for MEMCG_SWAP_FAIL alone. The root is not charged, as for memory. An
 * uncharged folio (the shim's tests make some; the kernel's anonymous
 * folios are all charged) records nothing. Difference: no MEMCG_SWAP
 * statistic.
 */
int mem_cgroup_try_charge_swap(struct folio *folio, swp_entry_t entry)
{
	unsigned int nr_pages = folio_nr_pages(folio);
	struct page_counter *counter;
	struct mem_cgroup *memcg;

	if (mem_cgroup_disabled())
		return 0;
	memcg = folio_memcg(folio);
	if (!memcg)
		return 0;
	if (!entry.val) {
		/* folio_alloc_swap() found no slots: counted, nothing to charge. */
		memcg_memory_event(memcg, MEMCG_SWAP_FAIL);
		return 0;
	}
	memcg = mem_cgroup_id_get_online(memcg);
	if (!mem_cgroup_is_root(memcg) &&
	    !page_counter_try_charge(&memcg->swap, nr_pages, &counter)) {
		memcg_memory_event(memcg, MEMCG_SWAP_MAX);
		memcg_memory_event(memcg, MEMCG_SWAP_FAIL);
		mem_cgroup_id_put_many(memcg, 1);
		return -ENOMEM;
	}
	if (nr_pages > 1)
		mem_cgroup_id_get_many(memcg, nr_pages - 1);
	swap_cgroup_record(folio, mem_cgroup_id(memcg), entry);
	return 0;
}

/* When slots are freed: their records go, with the id references. */
void mem_cgroup_uncharge_swap(swp_entry_t entry, unsigned int nr_pages)
{
	struct mem_cgroup *memcg;
	unsigned short id;

	if (mem_cgroup_disabled())
		return;
	id = swap_cgroup_clear(entry, nr_pages);
	rcu_read_lock();
	memcg = mem_cgroup_from_id(id);
	if (memcg) {
		if (!mem_cgroup_is_root(memcg))
			page_counter_uncharge(&memcg->swap, nr_pages);
		mem_cgroup_id_put_many(memcg, nr_pages);
	}
	rcu_read_unlock();
}

bool mem_cgroup_swap_full(struct folio *folio)
{
	struct mem_cgroup *memcg;

	VM_WARN_ON_ONCE(!folio_test_locked(folio));
	if (vm_swap_full())
		return true;
	if (mem_cgroup_disabled())
		return false;
	memcg = folio_memcg(folio);
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg)) {
		unsigned long usage = page_counter_read(&memcg->swap);

		/* Half of either limit: memory.swap.high counts as max does. */
		if (usage * 2 >= READ_ONCE(memcg->swap.high) ||
		    usage * 2 >= READ_ONCE(memcg->swap.max))
			return true;
	}
	return false;
}

long mem_cgroup_get_nr_swap_pages(struct mem_cgroup *memcg)
{
	long nr_swap_pages = get_nr_swap_pages();

	if (mem_cgroup_disabled())
		return nr_swap_pages;
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg))
		nr_swap_pages = min_t(long, nr_swap_pages,
				      (long)READ_ONCE(memcg->swap.max) -
				      (long)page_counter_read(&memcg->swap));
	return nr_swap_pages;
}

/* ---- object cgroups ---- */

struct mem_cgroup *get_mem_cgroup_from_objcg(struct obj_cgroup *objcg)
{
	struct mem_cgroup *memcg;

	rcu_read_lock();
	/* A reparenting may be under way: its new memcg is still live. */
	do {
		memcg = obj_cgroup_memcg(objcg);
	} while (!css_tryget(&memcg->css));
	rcu_read_unlock();
	return memcg;
}

struct obj_cgroup *get_obj_cgroup_from_folio(struct folio *folio)
{
	struct obj_cgroup *objcg = NULL;
	struct mem_cgroup *memcg;

	if (mem_cgroup_disabled())
		return NULL;
	rcu_read_lock();
	for (memcg = folio_memcg(folio); memcg; memcg = parent_mem_cgroup(memcg)) {
		objcg = rcu_dereference(memcg->objcg);
		if (likely(objcg && obj_cgroup_tryget(objcg)))
			break;
		objcg = NULL;
	}
	rcu_read_unlock();
	return objcg;
}

/* Give whole pages of @objcg's unused charge back to its memcg. */
static void obj_cgroup_drain(struct obj_cgroup *objcg)
{
	int old = atomic_read(&objcg->nr_charged_bytes);
	struct mem_cgroup *memcg;
	unsigned long nr_pages;

	do {
		if (old < (int)PAGE_SIZE)
			return;
	} while (!atomic_try_cmpxchg(&objcg->nr_charged_bytes, &old, old & (PAGE_SIZE - 1)));
	nr_pages = (unsigned int)old >> PAGE_SHIFT;
	memcg = get_mem_cgroup_from_objcg(objcg);
	memcg_uncharge(memcg, nr_pages);
	css_put(&memcg->css);
}

int obj_cgroup_charge(struct obj_cgroup *objcg, gfp_t gfp, size_t size)
{
	int old = atomic_read(&objcg->nr_charged_bytes);
	struct mem_cgroup *memcg;
	unsigned long nr_pages;
	int ret;

	/* Use what an earlier charge left over, as consume_obj_stock(). */
	while (old >= (int)size)
		if (atomic_try_cmpxchg(&objcg->nr_charged_bytes, &old, old - (int)size))
			return 0;

	nr_pages = DIV_ROUND_UP(size, PAGE_SIZE);
	memcg = get_mem_cgroup_from_objcg(objcg);
	ret = try_charge_memcg(memcg, gfp, nr_pages);
	css_put(&memcg->css);
	if (ret)
		return ret;
	if (nr_pages * PAGE_SIZE > size) {
		atomic_add((int)(nr_pages * PAGE_SIZE - size), &objcg->nr_charged_bytes);
		obj_cgroup_drain(objcg);
	}
	return 0;
}

void obj_cgroup_uncharge(struct obj_cgroup *objcg, size_t size)
{
	atomic_add((int)size, &objcg->nr_charged_bytes);
	obj_cgroup_drain(objcg);
}

/* The last reference: no object is charged any more (any context). */
static void obj_cgroup_release(struct percpu_ref *ref)
{
	struct obj_cgroup *objcg = container_of(ref, struct obj_cgroup, refcnt);
	unsigned long flags;

	/* Every charge was uncharged, so only whole pages could be left. */
	WARN_ON_ONCE(atomic_read(&objcg->nr_charged_bytes) & (PAGE_SIZE - 1));
	obj_cgroup_drain(objcg);

	spin_lock_irqsave(&objcg_lock, flags);
	list_del(&objcg->list);
	spin_unlock_irqrestore(&objcg_lock, flags);
	percpu_ref_exit(ref);
	kfree_rcu(objcg, rcu);
}

static struct obj_cgroup *obj_cgroup_alloc(void)
{
	struct obj_cgroup *objcg = kzalloc(sizeof(*objcg), GFP_KERNEL);

	if (!objcg)
		return NULL;
	if (percpu_ref_init(&objcg->refcnt, obj_cgroup_release, 0, GFP_KERNEL)) {
		kfree(objcg);
		return NULL;
	}
	INIT_LIST_HEAD(&objcg->list);
	return objcg;
}

/*
 * Offline: from now on @memcg's own objcg, and those handed to it by
 * offlined descendants, charge @parent; they join @parent's list so that
 * its own offline passes them on again.
 */
static void memcg_reparent_objcgs(struct mem_cgroup *memcg, struct mem_cgroup *parent)
{
	struct obj_cgroup *own = rcu_replace_pointer(memcg->objcg, NULL, true);
	struct obj_cgroup *inherited;

	spin_lock_irq(&objcg_lock);
	WRITE_ONCE(own->memcg, parent);
	list_for_each_entry(inherited, &memcg->objcg_list, list)
		WRITE_ONCE(inherited->memcg, parent);
	list_add(&own->list, &parent->objcg_list);
	list_splice_init(&memcg->objcg_list, &parent->objcg_list);
	spin_unlock_irq(&objcg_lock);

	/* The memcg's reference goes; each charged object keeps its own. */
	percpu_ref_kill(&own->refcnt);
}

/* ---- zswap ---- */

/* Whether @memcg's own memory.zswap.max leaves room for one more store. */
static bool memcg_zswap_under_max(struct mem_cgroup *memcg)
{
	unsigned long max = READ_ONCE(memcg->zswap_max);

	if (max == PAGE_COUNTER_MAX)
		return true;
	if (!max)
		return false;
	/* A limit needs the exact usage: flush even below the threshold. */
	__mem_cgroup_flush_stats(memcg, true);
	return memcg_page_state(memcg, MEMCG_ZSWAP_B) / PAGE_SIZE < max;
}

bool obj_cgroup_may_zswap(struct obj_cgroup *objcg)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_objcg(objcg);
	struct mem_cgroup *pos;
	bool room = true;

	/* Every level up to (not including) the root has its own limit. */
	for (pos = memcg; room && !mem_cgroup_is_root(pos); pos = parent_mem_cgroup(pos))
		room = memcg_zswap_under_max(pos);
	mem_cgroup_put(memcg);
	return room;
}

/* Account @bytes in @entries compressed objects of @objcg's memcg. */
static void memcg_account_zswap(struct obj_cgroup *objcg, int bytes, int entries)
{
	struct mem_cgroup *memcg;

	rcu_read_lock();
	memcg = obj_cgroup_memcg(objcg);
	mod_memcg_state(memcg, MEMCG_ZSWAP_B, bytes);
	mod_memcg_state(memcg, MEMCG_ZSWAPPED, entries);
	rcu_read_unlock();
}

void obj_cgroup_charge_zswap(struct obj_cgroup *objcg, size_t size)
{
	int err;

	/*
	 * Stores come from reclaim: PF_MEMALLOC makes try_charge_memcg()
	 * force the charge, so it cannot fail.
	 */
	VM_WARN_ON_ONCE(!current || !(current->flags & PF_MEMALLOC));
	err = obj_cgroup_charge(objcg, GFP_KERNEL, size);
	VM_WARN_ON_ONCE(err);
	memcg_account_zswap(objcg, (int)size, 1);
}

void obj_cgroup_uncharge_zswap(struct obj_cgroup *objcg, size_t size)
{
	obj_cgroup_uncharge(objcg, size);
	memcg_account_zswap(objcg, -(int)size, -1);
}

bool mem_cgroup_zswap_writeback_enabled(struct mem_cgroup *memcg)
{
	/* With zswap off, nothing may keep pages from the swap device. */
	if (!zswap_is_enabled())
		return true;

	for (; memcg; memcg = parent_mem_cgroup(memcg))
		if (!READ_ONCE(memcg->zswap_writeback))
			return false;
	return true;
}

/* ---- css callbacks ---- */

static void mem_cgroup_free(struct mem_cgroup *memcg)
{
	int nid;

	for_each_node(nid)
		kfree(memcg->nodeinfo[nid]);
	free_percpu(memcg->vmstats_percpu);
	kfree(memcg->vmstats);
	kfree(memcg);
}

static struct cgroup_subsys_state *mem_cgroup_css_alloc(struct cgroup_subsys_state *parent_css)
{
	struct mem_cgroup *parent = mem_cgroup_from_css(parent_css);
	struct mem_cgroup *memcg;
	int nid;

	memcg = kzalloc(sizeof(*memcg), GFP_KERNEL);
	if (!memcg)
		return ERR_PTR(-ENOMEM);
	memcg->vmstats = kzalloc(sizeof(*memcg->vmstats), GFP_KERNEL);
	memcg->vmstats_percpu = alloc_percpu_gfp(struct memcg_vmstats_percpu,
						 GFP_KERNEL | __GFP_ZERO);
	if (!memcg->vmstats || !memcg->vmstats_percpu)
		goto fail;
	for_each_node(nid) {
		struct mem_cgroup_per_node *pn = kzalloc_node(sizeof(*pn), GFP_KERNEL, nid);

		if (!pn)
			goto fail;
		pn->memcg = memcg;
		lruvec_init(&pn->lruvec);
		pn->lruvec.pgdat = NODE_DATA(nid);
		memcg->nodeinfo[nid] = pn;
	}
	page_counter_init(&memcg->memory, parent ? &parent->memory : NULL);
	page_counter_init(&memcg->swap, parent ? &parent->swap : NULL);
	memcg->zswap_max = PAGE_COUNTER_MAX;
	/* Own setting 1; the effective one ANDs the ancestors' (see above). */
	WRITE_ONCE(memcg->zswap_writeback, true);
	memcg->kmemcg_id = -1;
	INIT_LIST_HEAD(&memcg->objcg_list);
	return &memcg->css;
fail:
	mem_cgroup_free(memcg);
	return ERR_PTR(-ENOMEM);
}

static int mem_cgroup_css_online(struct cgroup_subsys_state *css)
{
	struct mem_cgroup *memcg = css_memcg(css);
	struct obj_cgroup *objcg;

	if (!css->parent) {
		root_mem_cgroup = memcg;
		return 0;
	}
	objcg = obj_cgroup_alloc();
	if (!objcg)
		return -ENOMEM;
	objcg->memcg = memcg;
	rcu_assign_pointer(memcg->objcg, objcg);
	/* orig_objcg's reference, dropped when the memcg is freed. */
	obj_cgroup_get(objcg);
	memcg->orig_objcg = objcg;
	memcg->kmemcg_id = css->id;
	return 0;
}

static void mem_cgroup_css_offline(struct cgroup_subsys_state *css)
{
	struct mem_cgroup *memcg = css_memcg(css);
	struct mem_cgroup *parent = parent_mem_cgroup(memcg);

	if (!parent) {
		root_mem_cgroup = NULL;
		return;
	}
	/* As the kernel's mem_cgroup_css_offline(), before memcg_offline_kmem(). */
	zswap_memcg_offline_cleanup(memcg);
	/*
	 * memcg_offline_kmem()'s order since the list_lru locks became per
	 * list (6.13): the lists first, then the objcgs. Until the child's
	 * lists are spliced and marked dead, list_lru_del() of one of its
	 * items (zswap finds the memcg through the objcg) must still find
	 * the child's list and its lock, not the parent's; an item added
	 * after the splice finds the dead list and goes to the parent.
	 */
	memcg_reparent_list_lrus(memcg, parent);
	memcg_reparent_objcgs(memcg, parent);
}

static void mem_cgroup_css_released(struct cgroup_subsys_state *css)
{
	invalidate_reclaim_iterators(css_memcg(css));
}

static void mem_cgroup_css_free(struct cgroup_subsys_state *css)
{
	struct mem_cgroup *memcg = css_memcg(css);

	/* What this memcg counted must reach its ancestors' totals. */
	if (css->parent) {
		spin_lock(&memcg_rstat_lock);
		memcg_flush_one(memcg);
		spin_unlock(&memcg_rstat_lock);
	}
	obj_cgroup_put(memcg->orig_objcg);
	mem_cgroup_free(memcg);
}

struct cgroup_subsys memory_cgrp_subsys = {
	.css_alloc	= mem_cgroup_css_alloc,
	.css_online	= mem_cgroup_css_online,
	.css_offline	= mem_cgroup_css_offline,
	.css_released	= mem_cgroup_css_released,
	.css_free	= mem_cgroup_css_free,
	.name		= "memory",
};

/* ---- the simulator's mkdir/rmdir ---- */

struct mem_cgroup *mem_cgroup_create(struct mem_cgroup *parent, const char *name)
{
	struct cgroup_subsys_state *css;

	if (mem_cgroup_disabled())
		return ERR_PTR(-ENODEV);
	css = cgroup_mkdir(parent ? &parent->css : &root_mem_cgroup->css, name);
	return IS_ERR(css) ? ERR_CAST(css) : css_memcg(css);
}

int mem_cgroup_remove(struct mem_cgroup *memcg)
{
	return cgroup_rmdir(&memcg->css);
}

struct mem_cgroup *mem_cgroup_lookup(const char *path)
{
	struct cgroup_subsys_state *css;

	if (mem_cgroup_disabled())
		return ERR_PTR(-ENODEV);
	css = cgroup_lookup(&memory_cgrp_subsys, path);
	return IS_ERR(css) ? ERR_CAST(css) : css_memcg(css);
}

static int __init mem_cgroup_init(void)
{
	sim_spin_lock_forget(&objcg_lock);
	sim_spin_lock_forget(&memcg_rstat_lock);
	root_mem_cgroup = NULL;
	return cgroup_init_root(&memory_cgrp_subsys);
}
subsys_initcall(mem_cgroup_init);

static void __exit mem_cgroup_exit(void)
{
	if (cgroup_exit_root(&memory_cgrp_subsys))
		pr_err("memcg: cgroups leaked at shutdown: a reference was not dropped\n");
}
module_exit(mem_cgroup_exit);
