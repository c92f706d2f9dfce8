// SPDX-License-Identifier: GPL-2.0-only
/*
 * Swap devices and slots (the kernel's mm/swapfile.c): swapon and swapoff,
 * get_swap_device(), slot allocation for folios, swap counts and the
 * freeing of slots. The model and its differences from the kernel are
 * described in <linux/swap.h>.
 *
 * Locking: swapon_mutex serialises swapon and swapoff; swap_lock protects
 * swap_info[], the devices' flags, the active list and the priorities; a
 * cluster's lock protects its swap table, its count and its slots'
 * swap_map[] words. Allocation checks SWP_WRITEOK under the cluster lock,
 * so swapoff, after clearing the flag, knows no allocation is in flight
 * once it has taken every cluster lock once.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/swap_cgroup.h>
#include <linux/zswap.h>
#include <sim/init.h>
#include <sim/report.h>
#include <stdio.h>
#include <sys/stat.h>
#include <zswapsim.h>

#include "swap.h"

struct swap_info_struct *swap_info[MAX_SWAPFILES];
static unsigned int nr_swapfiles;
static DEFINE_SPINLOCK(swap_lock);
static DEFINE_MUTEX(swapon_mutex);
/* Devices that are on, highest priority first. */
static LIST_HEAD(swap_active_head);
static int least_priority;

atomic_long_t nr_swap_pages;
long total_swap_pages;

static DEFINE_FAULT_SITE(swap_alloc_fault, "swap_alloc");

/* ---- pinning a device ---- */

static void swap_users_ref_free(struct percpu_ref *ref)
{
	struct swap_info_struct *si = container_of(ref, struct swap_info_struct, users);

	complete(&si->comp);
}

/*
 * Pin @si unless swapoff has started on it. Only after the pin succeeds
 * may the caller read what swapon set up before making the device live
 * (the barrier pairs with the ordering percpu_ref_resurrect() gives).
 */
static bool get_swap_device_info(struct swap_info_struct *si)
{
	bool pinned = percpu_ref_tryget_live(&si->users);

	if (pinned)
		smp_rmb();
	return pinned;
}

/* The device an entry's type names, or NULL for a type out of range or unused. */
static struct swap_info_struct *swap_type_to_info(unsigned long type)
{
	if (type >= MAX_SWAPFILES)
		return NULL;
	/* Pairs with the release that publishes a new device in swapon. */
	return smp_load_acquire(&swap_info[type]);
}

struct swap_info_struct *get_swap_device(swp_entry_t entry)
{
	struct swap_info_struct *si;

	/* The empty entry is no error: the caller has nothing swapped. */
	if (!entry.val)
		return NULL;
	si = swap_type_to_info(swp_type(entry));
	if (!si) {
		pr_err("%s: no swap device of type %u for entry %08lx\n", __func__,
		       swp_type(entry), entry.val);
		return NULL;
	}
	/* Being swapped off: a race with swapoff, not a bad entry. */
	if (!get_swap_device_info(si))
		return NULL;
	if (swp_offset(entry) < si->max)
		return si;
	pr_err("%s: offset %lu of entry %08lx is past the end of swap device %u\n",
	       __func__, swp_offset(entry), entry.val, swp_type(entry));
	percpu_ref_put(&si->users);
	return NULL;
}

/* ---- swap counts ---- */

int __swap_count(swp_entry_t entry)
{
	struct swap_info_struct *si = __swap_entry_to_info(entry);
	unsigned short count = READ_ONCE(si->swap_map[swp_offset(entry)]);

	return count == SWAP_MAP_BAD ? 0 : count;
}

bool swap_entry_swapped(struct swap_info_struct *si, swp_entry_t entry)
{
	pgoff_t offset = swp_offset(entry);
	struct swap_cluster_info *ci;
	unsigned short count;

	ci = swap_cluster_lock(si, offset);
	count = si->swap_map[offset];
	swap_cluster_unlock(ci);
	return count && count != SWAP_MAP_BAD;
}

/* The slots of @folio, or of @subpage only. */
static swp_entry_t folio_swap_range(struct folio *folio, struct page *subpage,
				    unsigned int *nr)
{
	swp_entry_t entry = folio->swap;

	*nr = folio_nr_pages(folio);
	if (subpage) {
		entry.val += subpage - &folio->page;
		*nr = 1;
	}
	return entry;
}

int folio_dup_swap(struct folio *folio, struct page *subpage)
{
	struct swap_info_struct *si;
	struct swap_cluster_info *ci;
	swp_entry_t entry;
	pgoff_t offset;
	unsigned int nr, i;
	int ret = 0;

	VM_WARN_ON_ONCE_FOLIO(!folio_test_locked(folio), folio);
	VM_WARN_ON_ONCE_FOLIO(!folio_test_swapcache(folio), folio);
	entry = folio_swap_range(folio, subpage, &nr);
	si = __swap_entry_to_info(entry);
	offset = swp_offset(entry);

	ci = swap_cluster_lock(si, offset);
	for (i = 0; i < nr; i++) {
		/* The kernel would add a continuation page here; none exist. */
		if (si->swap_map[offset + i] >= SWAP_MAP_MAX) {
			ret = -ENOMEM;
			break;
		}
	}
	if (!ret)
		for (i = 0; i < nr; i++)
			si->swap_map[offset + i]++;
	swap_cluster_unlock(ci);
	return ret;
}

void folio_put_swap(struct folio *folio, struct page *subpage)
{
	struct swap_info_struct *si;
	struct swap_cluster_info *ci;
	swp_entry_t entry;
	pgoff_t offset;
	unsigned int nr, i;

	VM_WARN_ON_ONCE_FOLIO(!folio_test_locked(folio), folio);
	VM_WARN_ON_ONCE_FOLIO(!folio_test_swapcache(folio), folio);
	entry = folio_swap_range(folio, subpage, &nr);
	si = __swap_entry_to_info(entry);
	offset = swp_offset(entry);

	/* The swap cache still pins the slots: none is freed here. */
	ci = swap_cluster_lock(si, offset);
	for (i = 0; i < nr; i++) {
		if (!WARN_ON_ONCE(!si->swap_map[offset + i]))
			si->swap_map[offset + i]--;
	}
	swap_cluster_unlock(ci);
}

void swap_entries_free(struct swap_info_struct *si, struct swap_cluster_info *ci,
		       pgoff_t offset, unsigned int nr)
{
	unsigned int i;

	lockdep_assert_held(&ci->lock);
	for (i = 0; i < nr; i++) {
		VM_WARN_ON_ONCE(si->swap_map[offset + i]);
		VM_WARN_ON_ONCE(__swap_table_get_folio(ci, (offset + i) % SWAPFILE_CLUSTER));
		/* As the kernel's swap_range_free(): a free slot holds nothing. */
		clear_bit(offset + i, si->zeromap);
		/* As the kernel's swap_range_free(): the slot's zswap copy goes. */
		zswap_invalidate(swp_entry(si->type, offset + i));
	}
	/* As the kernel's swap_entries_free(): the memcg records go. */
	mem_cgroup_uncharge_swap(swp_entry(si->type, offset), nr);
	ci->count -= nr;
	atomic_long_sub(nr, &si->inuse_pages);
	atomic_long_add(nr, &nr_swap_pages);
}

void swap_put_entries_direct(swp_entry_t entry, int nr)
{
	pgoff_t offset = swp_offset(entry), end = offset + nr, cluster_end;
	struct swap_info_struct *si;
	struct swap_cluster_info *ci;
	unsigned short count;

	si = get_swap_device(entry);
	if (WARN_ON_ONCE(!si))
		return;
	if (WARN_ON_ONCE(nr <= 0 || end > si->max))
		goto out;
	while (offset < end) {
		cluster_end = min(end, ALIGN_DOWN(offset, SWAPFILE_CLUSTER) + SWAPFILE_CLUSTER);
		ci = swap_cluster_lock(si, offset);
		for (; offset < cluster_end; offset++) {
			count = si->swap_map[offset];
			if (WARN_ON_ONCE(!count || count == SWAP_MAP_BAD))
				continue;
			si->swap_map[offset] = --count;
			if (!count && !__swap_table_get_folio(ci, offset % SWAPFILE_CLUSTER))
				swap_entries_free(si, ci, offset, 1);
		}
		swap_cluster_unlock(ci);
	}
out:
	put_swap_device(si);
}

/* Whether any slot of @folio has a swap count. */
static bool folio_swapped(struct folio *folio)
{
	struct swap_info_struct *si = __swap_entry_to_info(folio->swap);
	pgoff_t offset = swp_offset(folio->swap);
	long i, nr = folio_nr_pages(folio);
	struct swap_cluster_info *ci;
	bool swapped = false;

	ci = swap_cluster_lock(si, offset);
	for (i = 0; i < nr && !swapped; i++)
		swapped = si->swap_map[offset + i];
	swap_cluster_unlock(ci);
	return swapped;
}

bool folio_free_swap(struct folio *folio)
{
	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);

	if (!folio_test_swapcache(folio) || folio_test_writeback(folio))
		return false;
	if (folio_swapped(folio))
		return false;
	swap_cache_del_folio(folio);
	folio_set_dirty(folio);
	return true;
}

/* ---- allocation ---- */

/* Cluster offset of @nr free, @nr-aligned slots in @ci, or -1. */
static int cluster_scan(struct swap_info_struct *si, struct swap_cluster_info *ci,
			pgoff_t base, unsigned int nr)
{
	unsigned int off, i;

	if (ci->nr_slots - ci->count < nr)
		return -1;
	for (off = 0; off + nr <= ci->nr_slots; off += nr) {
		for (i = 0; i < nr; i++) {
			if (si->swap_map[base + off + i] || __swap_table_get_folio(ci, off + i))
				break;
		}
		if (i == nr)
			return off;
	}
	return -1;
}

/*
 * Give @folio slots on @si and add it to the swap cache, both under the
 * cluster lock. Clusters are tried from the one last allocated from.
 */
static bool swap_alloc_on(struct swap_info_struct *si, struct folio *folio)
{
	unsigned int nr = folio_nr_pages(folio), start, i, c;
	struct swap_cluster_info *ci;
	pgoff_t base;
	int off;

	start = READ_ONCE(si->cluster_next);
	for (i = 0; i < si->nr_clusters; i++) {
		c = (start + i) % si->nr_clusters;
		ci = &si->cluster_info[c];
		base = (pgoff_t)c * SWAPFILE_CLUSTER;
		spin_lock(&ci->lock);
		if (!(READ_ONCE(si->flags) & SWP_WRITEOK)) {
			spin_unlock(&ci->lock);
			return false;
		}
		off = cluster_scan(si, ci, base, nr);
		if (off >= 0) {
			ci->count += nr;
			atomic_long_add(nr, &si->inuse_pages);
			atomic_long_sub(nr, &nr_swap_pages);
			__swap_cache_add_folio(ci, folio, swp_entry(si->type, base + off));
			spin_unlock(&ci->lock);
			WRITE_ONCE(si->cluster_next, c);
			return true;
		}
		spin_unlock(&ci->lock);
	}
	return false;
}

int folio_alloc_swap(struct folio *folio)
{
	struct swap_info_struct *devs[MAX_SWAPFILES], *si;
	unsigned int nr_devs = 0, i;
	bool done = false;

	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	VM_BUG_ON_FOLIO(!folio_test_uptodate(folio), folio);

	/* A folio's slots must fit in one cluster. */
	if (folio_nr_pages(folio) > SWAPFILE_CLUSTER) {
		VM_WARN_ON_ONCE(1);
		return -EINVAL;
	}
	if (should_fail_site(&swap_alloc_fault))
		return -ENOMEM;

	/* Pin the devices that are on, in priority order, then try each. */
	spin_lock(&swap_lock);
	list_for_each_entry(si, &swap_active_head, list) {
		if (get_swap_device_info(si))
			devs[nr_devs++] = si;
	}
	spin_unlock(&swap_lock);
	for (i = 0; i < nr_devs; i++) {
		if (!done)
			done = swap_alloc_on(devs[i], folio);
		put_swap_device(devs[i]);
	}
	if (!done) {
		/* As the kernel: called anyway, for MEMCG_SWAP_FAIL. */
		mem_cgroup_try_charge_swap(folio, (swp_entry_t){ 0 });
		return -ENOMEM;
	}
	if (mem_cgroup_try_charge_swap(folio, folio->swap)) {
		swap_cache_del_folio(folio);
		return -ENOMEM;
	}
	return 0;
}

/* ---- swapon and swapoff ---- */

/*
 * The last pass of the kernel's try_to_unuse(): a folio that only the swap
 * cache still holds its slots for (every pte that held them is gone: one
 * zswap writeback left, say) leaves the swap cache, freeing the slots;
 * dropping our reference then usually frees it (reclaim does, if someone
 * else still holds one). The kernel first swaps every pte's page
 * back in; the shim has no page tables to walk, so slots a pte still
 * holds keep the device busy. Difference: the kernel waits for a folio
 * under writeback; the shim has no folio_wait_writeback() and leaves it.
 * With @trylock (machine stop, where a task still alive may hold a folio
 * lock forever) a locked folio is left too, and reported as in use.
 */
static void swap_unuse_cache(struct swap_info_struct *si, bool trylock)
{
	struct swap_cluster_info *ci;
	struct folio *folio;
	pgoff_t offset;

	for (offset = 1; offset < si->max; offset++) {
		ci = __swap_offset_to_cluster(si, offset);
		if (READ_ONCE(si->swap_map[offset]) ||
		    !__swap_table_get_folio(ci, offset % SWAPFILE_CLUSTER))
			continue;
		folio = swap_cache_get_folio(swp_entry(si->type, offset));
		if (!folio)
			continue;
		if (!trylock)
			folio_lock(folio);
		else if (!folio_trylock(folio)) {
			folio_put(folio);
			continue;
		}
		if (folio_matches_swap_entry(folio, swp_entry(si->type, offset)))
			folio_free_swap(folio);
		folio_unlock(folio);
		folio_put(folio);
		cond_resched();
	}
}

/* Caller holds swap_lock. Keep the active list in priority order. */
static void add_to_active_list(struct swap_info_struct *si)
{
	struct swap_info_struct *pos;

	list_for_each_entry(pos, &swap_active_head, list) {
		if (pos->prio < si->prio) {
			list_add_tail(&si->list, &pos->list);
			return;
		}
	}
	list_add_tail(&si->list, &swap_active_head);
}

/* A free type's swap_info: reused, or new (kept until machine stop). */
static struct swap_info_struct *alloc_swap_info(void)
{
	struct swap_info_struct *si;
	unsigned int type;

	spin_lock(&swap_lock);
	for (type = 0; type < nr_swapfiles; type++) {
		if (!(swap_info[type]->flags & SWP_USED))
			break;
	}
	if (type >= MAX_SWAPFILES) {
		spin_unlock(&swap_lock);
		return ERR_PTR(-EPERM);
	}
	if (type < nr_swapfiles) {
		si = swap_info[type];
		si->flags = SWP_USED;
		spin_unlock(&swap_lock);
		return si;
	}
	spin_unlock(&swap_lock);

	/* A new type; swapon_mutex keeps nr_swapfiles stable meanwhile. */
	si = kvzalloc(sizeof(*si), GFP_KERNEL);
	if (!si)
		return ERR_PTR(-ENOMEM);
	if (percpu_ref_init(&si->users, swap_users_ref_free, PERCPU_REF_INIT_DEAD, GFP_KERNEL)) {
		kvfree(si);
		return ERR_PTR(-ENOMEM);
	}
	init_completion(&si->comp);
	INIT_LIST_HEAD(&si->list);
	si->swap_fd = -1;
	spin_lock(&swap_lock);
	si->type = type;
	si->flags = SWP_USED;
	smp_store_release(&swap_info[type], si);
	nr_swapfiles++;
	spin_unlock(&swap_lock);
	return si;
}

static void free_clusters(struct swap_info_struct *si)
{
	unsigned int c;

	for (c = 0; si->cluster_info && c < si->nr_clusters; c++)
		kvfree(si->cluster_info[c].table);
	kvfree(si->cluster_info);
	kvfree(si->swap_map);
	kvfree(si->zeromap);
	si->cluster_info = NULL;
	si->swap_map = NULL;
	si->zeromap = NULL;
	si->nr_clusters = 0;
}

static int setup_clusters(struct swap_info_struct *si, unsigned int max)
{
	unsigned int c, nr_clusters = DIV_ROUND_UP(max, SWAPFILE_CLUSTER);

	si->swap_map = kvcalloc(max, sizeof(*si->swap_map), GFP_KERNEL);
	/* The zero map of swapon(): one bit per slot (BITS_TO_LONGS words). */
	si->zeromap = kvcalloc(BITS_TO_LONGS(max), sizeof(long), GFP_KERNEL);
	si->cluster_info = kvcalloc(nr_clusters, sizeof(*si->cluster_info), GFP_KERNEL);
	if (!si->swap_map || !si->zeromap || !si->cluster_info)
		goto nomem;
	si->nr_clusters = nr_clusters;
	for (c = 0; c < nr_clusters; c++) {
		struct swap_cluster_info *ci = &si->cluster_info[c];

		spin_lock_init(&ci->lock);
		ci->nr_slots = min_t(unsigned int, SWAPFILE_CLUSTER, max - c * SWAPFILE_CLUSTER);
		ci->table = kvcalloc(SWAPFILE_CLUSTER, sizeof(*ci->table), GFP_KERNEL);
		if (!ci->table)
			goto nomem;
	}
	/* Slot 0 is the swap header's and never handed out. */
	si->swap_map[0] = SWAP_MAP_BAD;
	si->cluster_info[0].count = 1;
	si->max = max;
	si->pages = max - 1;
	si->cluster_next = 0;
	atomic_long_set(&si->inuse_pages, 0);
	return 0;
nomem:
	free_clusters(si);
	return -ENOMEM;
}

static void enable_swap_info(struct swap_info_struct *si)
{
	/* Finished initialising the device: now it may be referenced. */
	reinit_completion(&si->comp);
	percpu_ref_resurrect(&si->users);
	spin_lock(&swap_lock);
	si->prio = --least_priority;
	add_to_active_list(si);
	atomic_long_add(si->pages, &nr_swap_pages);
	total_swap_pages += si->pages;
	si->flags |= SWP_WRITEOK;
	spin_unlock(&swap_lock);
}

/*
 * swapon_mutex held: whether a device already swaps to the file @st
 * describes (the kernel's claim_swapfile() finds S_SWAPFILE on its inode).
 * Two devices on one file would write each other's slots.
 */
bool swap_file_in_use(const struct stat *st)
{
	struct stat other;
	unsigned int type;

	lockdep_assert_held(&swapon_mutex);
	for (type = 0; type < nr_swapfiles; type++) {
		struct swap_info_struct *si = swap_info[type];

		if ((si->flags & SWP_USED) && si->swap_fd >= 0 && !fstat(si->swap_fd, &other) &&
		    other.st_dev == st->st_dev && other.st_ino == st->st_ino)
			return true;
	}
	return false;
}

int ksys_swapon(unsigned long nr_slots, const char *path, u64 read_ns, u64 write_ns)
{
	struct swap_info_struct *si;
	int err;

	might_sleep();
	if (!nr_slots || nr_slots > UINT_MAX - SWAPFILE_CLUSTER) {
		pr_err("swapon: %lu slots: want 1..%u\n", nr_slots, UINT_MAX - SWAPFILE_CLUSTER);
		return -EINVAL;
	}
	mutex_lock(&swapon_mutex);
	si = alloc_swap_info();
	if (IS_ERR(si)) {
		mutex_unlock(&swapon_mutex);
		return PTR_ERR(si);
	}
	err = setup_clusters(si, nr_slots + 1);
	if (err)
		goto bad_swap;
	si->read_ns = read_ns;
	si->write_ns = write_ns;
	err = swap_medium_open(si, path);
	if (err)
		goto bad_clusters;
	/* As the kernel's swapon(): the memcg records, zswap's trees. */
	err = swap_cgroup_swapon(si->type, si->max);
	if (err)
		goto bad_medium;
	err = zswap_swapon(si->type, si->max);
	if (err)
		goto bad_swap_cgroup;
	enable_swap_info(si);
	mutex_unlock(&swapon_mutex);
	pr_info("Adding %luk swap on %s.  Priority:%d\n", si->pages * (PAGE_SIZE >> 10),
		path ? path : "(memory)", si->prio);
	return si->type;

bad_swap_cgroup:
	swap_cgroup_swapoff(si->type);
bad_medium:
	swap_medium_close(si);
bad_clusters:
	free_clusters(si);
bad_swap:
	spin_lock(&swap_lock);
	si->flags = 0;
	spin_unlock(&swap_lock);
	mutex_unlock(&swapon_mutex);
	return err;
}

int ksys_swapoff(int type)
{
	struct swap_info_struct *si = NULL;
	unsigned int c;
	long inuse;

	might_sleep();
	if (type < 0 || type >= MAX_SWAPFILES)
		return -EINVAL;
	mutex_lock(&swapon_mutex);
	spin_lock(&swap_lock);
	if ((unsigned int)type < nr_swapfiles)
		si = swap_info[type];
	if (!si || !(si->flags & SWP_WRITEOK)) {
		spin_unlock(&swap_lock);
		mutex_unlock(&swapon_mutex);
		return -EINVAL;
	}
	si->flags &= ~SWP_WRITEOK;
	list_del_init(&si->list);
	spin_unlock(&swap_lock);

	/* After this, no allocation is in flight on @si or can start. */
	for (c = 0; c < si->nr_clusters; c++) {
		spin_lock(&si->cluster_info[c].lock);
		spin_unlock(&si->cluster_info[c].lock);
	}
	swap_unuse_cache(si, false);
	inuse = atomic_long_read(&si->inuse_pages);
	if (inuse) {
		/* The kernel's try_to_unuse() would swap these back in. */
		pr_warn("swapoff: swap type %d still has %ld slot(s) in use\n", type, inuse);
		spin_lock(&swap_lock);
		si->flags |= SWP_WRITEOK;
		add_to_active_list(si);
		spin_unlock(&swap_lock);
		mutex_unlock(&swapon_mutex);
		return -EBUSY;
	}

	/* Wait for every user between get_swap_device() and put_swap_device(). */
	percpu_ref_kill(&si->users);
	synchronize_rcu();
	wait_for_completion(&si->comp);
	zswap_swapoff(type);
	swap_cgroup_swapoff(type);

	swap_medium_close(si);
	free_clusters(si);
	spin_lock(&swap_lock);
	atomic_long_sub(si->pages, &nr_swap_pages);
	total_swap_pages -= si->pages;
	si->flags = 0;
	spin_unlock(&swap_lock);
	mutex_unlock(&swapon_mutex);
	return 0;
}

/* ---- machine start and stop ---- */

static void swap_state_reset(void)
{
	sim_spin_lock_forget(&swap_lock);
	sim_mutex_forget(&swapon_mutex);
	memset(swap_info, 0, sizeof(swap_info));
	nr_swapfiles = 0;
	least_priority = 0;
	INIT_LIST_HEAD(&swap_active_head);
	atomic_long_set(&nr_swap_pages, 0);
	total_swap_pages = 0;
}

/* Forget a previous machine's devices (a wedged one never stopped them). */
static int __init swapfile_init(void)
{
	swap_state_reset();
	return 0;
}
subsys_initcall(swapfile_init);

/*
 * Devices still on at machine stop are freed; their slots still in use and
 * device references never put are reported as leaks. Stale swap cache (a
 * folio only the swap cache holds, its slots' counts gone) is freed first,
 * as swapoff's last pass would: the kernel never stops, and a reclaim that
 * would have freed it later is not a leak. This runs before the memory
 * controller's exit, so the folio's memcg can still be uncharged: both
 * initcalls are subsys_initcall()s, run in link order (memcontrol.c before
 * swapfile.c in shim/mm/meson.build), and exits run in reverse.
 */
static void __exit swapfile_exit(void)
{
	struct swap_info_struct *si;
	unsigned int type;
	long inuse;

	for (type = 0; type < nr_swapfiles; type++) {
		si = swap_info[type];
		if (si->flags & SWP_USED) {
			/* Still on the active list, but nothing allocates now. */
			if (si->flags & SWP_WRITEOK)
				swap_unuse_cache(si, true);
			inuse = atomic_long_read(&si->inuse_pages);
			if (inuse) {
				sim_report_begin(SIM_REPORT_LEAK,
						 "swap: %ld slot(s) of swap type %u still in use at shutdown",
						 inuse, type);
				sim_report_end();
			}
			percpu_ref_kill(&si->users);
			rcu_barrier();
			if (!percpu_ref_is_zero(&si->users)) {
				sim_report_begin(SIM_REPORT_LEAK,
						 "swap: get_swap_device() of swap type %u without put_swap_device() at shutdown",
						 type);
				sim_report_end();
			}
			swap_cgroup_swapoff(type);
			swap_medium_close(si);
			free_clusters(si);
		}
		percpu_ref_exit(&si->users);
		kvfree(si);
	}
	swap_state_reset();
}
module_exit(swapfile_exit);

/* ---- simulation control (include/zswapsim.h) ---- */

struct zsim_swapon_req {
	unsigned long	nr_slots;
	const char	*path;
	u64		read_ns, write_ns;
};

static int zsim_swapon_fn(void *arg)
{
	struct zsim_swapon_req *req = arg;

	return ksys_swapon(req->nr_slots, req->path, req->read_ns, req->write_ns);
}

static int zsim_swapoff_fn(void *arg)
{
	return ksys_swapoff(*(int *)arg);
}

/* From outside the machine, as a task on the first online CPU. */
static int zsim_swap_call(int (*fn)(void *), void *arg)
{
	if (current)
		return fn(arg);
	if (!zsim_machine_running())
		return -ENODEV;
	return zsim_run(cpumask_first(cpu_online_mask), fn, arg);
}

int zsim_swapon(unsigned long nr_slots, const char *backing_path, uint64_t read_ns,
		uint64_t write_ns)
{
	struct zsim_swapon_req req = {
		.nr_slots = nr_slots, .path = backing_path,
		.read_ns = read_ns, .write_ns = write_ns,
	};

	return zsim_swap_call(zsim_swapon_fn, &req);
}

int zsim_swapoff(int type)
{
	return zsim_swap_call(zsim_swapoff_fn, &type);
}
