/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Swap devices, swap slots and the swap cache (<linux/swap.h>, plus the
 * parts of the kernel's private mm/swap.h that zswap and the simulated VM
 * call from outside shim/mm/: the swap cache and page_io interfaces).
 *
 * The model is 7.0 mainline after the "swap table" rework (phase II):
 * - A device of max slots is split into clusters of SWAPFILE_CLUSTER slots.
 *   Each cluster has a lock and a swap table: one word per slot holding
 *   the swap cache folio of that slot or nothing. The swap count of each
 *   slot (references from page tables, shmem, ...) is in si->swap_map.
 * - folio_alloc_swap() gives a locked folio folio_nr_pages() contiguous,
 *   naturally aligned slots of one cluster and adds the folio to the swap
 *   cache in the same critical section; the slots start with a swap count
 *   of zero, pinned only by the swap cache.
 * - folio_dup_swap()/folio_put_swap() raise and drop the swap count of a
 *   cached folio's slots, swap_put_entries_direct() drops it without a
 *   folio. A slot is free again once its count is zero and no folio is
 *   cached for it: the last swap_put_entries_direct(), or
 *   swap_cache_del_folio()/folio_free_swap() of a folio whose slots have
 *   no count left, frees it.
 * - si->zeromap marks the slots whose page was all zeroes at swap-out
 *   (swap_writeout() in mm/page_io.c); swap_read_folio() serves them
 *   without I/O, and a slot leaves the map when it is freed.
 * - get_swap_device() pins a device with its percpu_ref (si->users);
 *   swapoff kills the reference and waits until the last
 *   put_swap_device() before it frees anything.
 *
 * Differences from the kernel:
 * - Devices are created by ksys_swapon(nr_slots, path, read_ns, write_ns)
 *   (zsim_swapon() from outside the machine) instead of swapon(2) on a
 *   prepared swap file, and removed by ksys_swapoff(type). Slot 0 is kept
 *   as the kernel's header slot, so nr_slots usable slots are 1..nr_slots.
 * - swapoff does not pull pages back in (there are no page tables to walk):
 *   of try_to_unuse() it does only the last pass, taking the folios whose
 *   slots no pte holds out of the swap cache; while any slot of the device
 *   is still in use it fails with -EBUSY and leaves the device on.
 * - The swap table holds folios only: no shadow entries (workingset
 *   refault detection is not modelled). The tables are allocated at
 *   swapon instead of when a cluster is first used.
 * - swap_map[] counts are 16 bits with no continuation pages; there are no
 *   per-CPU cluster caches, discard, priorities given by the user (each
 *   device gets the next lower priority, as swapon without a priority), or
 *   memcg swap charges (memory.swap.*): the memcg of each slot is only
 *   recorded (<linux/swap_cgroup.h>), for the swap-in's charge.
 * - The medium is host memory (default) or a host file; I/O is synchronous
 *   with a modelled device time per page (see mm/page_io.c, swap_read_folio()
 *   and __swap_writepage() below).
 */
#ifndef _SHIM_LINUX_SWAP_H
#define _SHIM_LINUX_SWAP_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/gfp_types.h>
#include <linux/list.h>
#include <linux/mempolicy.h>
#include <linux/mm.h>
#include <linux/percpu-refcount.h>
#include <linux/spinlock.h>
#include <linux/swapops.h>
#include <linux/types.h>

/*
 * Swap types left after the non-swap entries of a 64-bit distribution
 * config (device private, migration, hwpoison, pte markers), as in the
 * kernel; the simulator only creates the real swap types.
 */
#define SWP_DEVICE_NUM		3
#define SWP_MIGRATION_NUM	3
#define SWP_HWPOISON_NUM	1
#define SWP_PTE_MARKER_NUM	1
#define MAX_SWAPFILES \
	((1 << MAX_SWAPFILES_SHIFT) - SWP_DEVICE_NUM - SWP_MIGRATION_NUM - \
	 SWP_HWPOISON_NUM - SWP_PTE_MARKER_NUM)

/* Slots per cluster: HPAGE_PMD_NR with THP swap on x86-64 (mm/swap.h). */
#define SWAPFILE_CLUSTER	512

/* swap_info_struct.flags (the kernel's values). */
enum {
	SWP_USED	= (1 << 0),	/* is slot in swap_info[] used? */
	SWP_WRITEOK	= (1 << 1),	/* ok to write to this swap? */
};

/* swap_map[] value of the header slot 0, never allocated. */
#define SWAP_MAP_BAD		0xffff
/* Largest swap count of a slot. */
#define SWAP_MAP_MAX		0xfffe

struct swap_cluster_info;

/* The in-memory structure of a swap device (one per swap type). */
struct swap_info_struct {
	struct percpu_ref users;	/* indicate and keep swap device valid */
	unsigned long	flags;		/* SWP_USED etc */
	signed short	prio;		/* swap priority of this type */
	struct list_head list;		/* on the active list, by priority */
	signed char	type;		/* strange name for an index */
	unsigned int	max;		/* size of this swap device, in slots */
	unsigned short	*swap_map;	/* swap count of each slot */
	unsigned long	*zeromap;	/* slots whose page is all zeroes */
	struct swap_cluster_info *cluster_info;	/* cluster info */
	unsigned int	nr_clusters;
	unsigned int	pages;		/* total of usable slots */
	atomic_long_t	inuse_pages;	/* number of those currently in use */
	unsigned int	cluster_next;	/* allocation cursor, a cluster index */
	struct completion comp;		/* seldom referenced */
	/* The simulated medium and its timing (mm/page_io.c). */
	void		*swap_mem;	/* host memory, max pages, or NULL */
	int		swap_fd;	/* host file descriptor, or -1 */
	u64		read_ns;	/* device time to read one page */
	u64		write_ns;	/* device time to write one page */
};

extern struct swap_info_struct *swap_info[MAX_SWAPFILES];
/* Free slots on devices that are on, and all usable slots. */
extern atomic_long_t nr_swap_pages;
extern long total_swap_pages;

static inline long get_nr_swap_pages(void)
{
	return atomic_long_read(&nr_swap_pages);
}

/* Swap is getting full (more than half used): swap cache is worth freeing. */
static inline bool vm_swap_full(void)
{
	return atomic_long_read(&nr_swap_pages) * 2 < total_swap_pages;
}

/* The swap entry of @page, a page of a folio in the swap cache. */
static inline swp_entry_t page_swap_entry(struct page *page)
{
	struct folio *folio = page_folio(page);
	swp_entry_t entry = folio->swap;

	entry.val += page - &folio->page;	/* folio_page_idx() */
	return entry;
}

/*
 * Pin the device of @entry against swapoff. Returns NULL if the device is
 * off or being swapped off, or the entry is bad (with a message).
 */
struct swap_info_struct *get_swap_device(swp_entry_t entry);

static inline void put_swap_device(struct swap_info_struct *si)
{
	percpu_ref_put(&si->users);
}

/* The swap count of @entry's slot; 0 for a free or bad entry. */
int __swap_count(swp_entry_t entry);
/* Drop one count of @nr slots from @entry on; frees slots left unused. */
void swap_put_entries_direct(swp_entry_t entry, int nr);
/*
 * Free the slots of a locked swap cache folio none of whose slots has a
 * swap count: remove it from the swap cache and mark it dirty (its only
 * copy is now in memory). False if it is not in the swap cache, under
 * writeback, or still swapped.
 */
bool folio_free_swap(struct folio *folio);

/* The swap_info of @entry's type (the caller holds the device). */
static inline struct swap_info_struct *__swap_entry_to_info(swp_entry_t entry)
{
	return swap_info[swp_type(entry)];
}

/* Slots (the kernel's mm/swap.h). @folio is locked. */
int folio_alloc_swap(struct folio *folio);
/* Add one swap count to @subpage's slot, or every slot if @subpage is NULL. */
int folio_dup_swap(struct folio *folio, struct page *subpage);
void folio_put_swap(struct folio *folio, struct page *subpage);
/* True if @entry's slot has a swap count. */
bool swap_entry_swapped(struct swap_info_struct *si, swp_entry_t entry);

/* Whether @folio is the swap cache folio of @entry (one of its slots). */
static inline bool folio_matches_swap_entry(const struct folio *folio,
					    swp_entry_t entry)
{
	swp_entry_t folio_entry = folio->swap;
	long nr_pages = folio_nr_pages(folio);

	if (!folio_test_swapcache(folio))
		return false;
	return folio_entry.val == ALIGN_DOWN(entry.val, nr_pages);
}

/*
 * The swap cache (mm/swap_state.c). Callers hold the device of the entry
 * (get_swap_device()) or a locked swap cache folio of it.
 *
 * swap_cache_get_folio: the cached folio of @entry with a reference, or NULL.
 * swap_cache_add_folio: add a locked, swap-backed folio for the slots from
 *	@entry (aligned to the folio's size) on; the slots must be in use
 *	(swap count > 0): -ENOENT if one is not, -EEXIST if one is cached.
 *	The cache takes folio_nr_pages() references. (Static in 7.0, where
 *	only the swap code itself adds folios; exported here for the VM and
 *	tests.)
 * swap_cache_del_folio: remove a locked folio that is not under
 *	writeback; slots without a swap count are freed.
 * swap_cache_alloc_folio: the cached folio of @entry (with a reference,
 *	*@new_page_allocated false) if there is one; else NULL if the slot
 *	has no swap count or allocation or the charge fails; else a new
 *	order-0 folio, locked, in the swap cache, charged to the memcg of
 *	the slot's swap cgroup record (mem_cgroup_swapin_charge_folio() with
 *	no mm) and on its LRU, with a reference for the caller and
 *	*@new_page_allocated true, for the caller to read into (swap-in) or
 *	fill (zswap writeback). @mpol NULL is the default policy.
 */
struct folio *swap_cache_get_folio(swp_entry_t entry);
int swap_cache_add_folio(struct folio *folio, swp_entry_t entry);
void swap_cache_del_folio(struct folio *folio);
struct folio *swap_cache_alloc_folio(swp_entry_t entry, gfp_t gfp_mask,
				     struct mempolicy *mpol, pgoff_t ilx,
				     bool *new_page_allocated);
/*
 * swapin_folio: swap-in skipping readahead (7.0's mm/swap.h): add @folio, new
 *	and already charged (mem_cgroup_swapin_charge_folio()), to the swap
 *	cache for @entry, put it on the LRU and read it; returns @folio, else
 *	the folio another swap-in cached first (with a reference), else NULL
 *	if the slot no longer has a swap count. @folio stays the caller's.
 */
struct folio *swapin_folio(swp_entry_t entry, struct folio *folio);

/*
 * Swap I/O (mm/page_io.c). There is no block layer: the transfer happens
 * in the call, followed by the device time (pages x read_ns or write_ns):
 * charged to the virtual clock in the controlled backend, slept on the
 * host (the task gives up its virtual CPU, as while waiting for I/O) in
 * the free-running one. @plug is accepted for the kernel's signature;
 * there is no plugging.
 *
 * swap_read_folio: read a locked, not uptodate swap cache folio; marks it
 *	uptodate and unlocks it ("Read-error on swap-device" and not uptodate
 *	on failure).
 * __swap_writepage: write a locked swap cache folio: starts writeback,
 *	unlocks, writes, ends writeback; on failure the folio is redirtied
 *	and PG_reclaim cleared, as end_swap_bio_write() does.
 */
struct swap_iocb;
void swap_read_folio(struct folio *folio, struct swap_iocb **plug);
void __swap_writepage(struct folio *folio, struct swap_iocb **swap_plug);
/*
 * swap_writeout: reclaim's write of a locked, clean-for-I/O swap cache
 *	folio (the kernel's mm/page_io.c, 6.17+): a zero-filled folio only
 *	sets its slots in si->zeromap (SWPOUT_ZERO); otherwise the slots leave
 *	the zero map and the folio goes to zswap_store(), or to
 *	__swap_writepage() when zswap rejects it. Returns 0 with the folio
 *	unlocked, or AOP_WRITEPAGE_ACTIVATE with it still locked and dirty
 *	when zswap rejected it and the memcg forbids writeback to the device.
 */
#define AOP_WRITEPAGE_ACTIVATE	0x80000
int swap_writeout(struct folio *folio, struct swap_iocb **swap_plug);

/*
 * The simulator's swapon(2)/swapoff(2), for simulated tasks (zsim_swapon()
 * and zsim_swapoff() in <zswapsim.h> run them from outside the machine).
 * ksys_swapon: a device of @nr_slots usable slots on host memory, or on
 *	the file @path (created if missing, extended to the device size, kept
 *	at swapoff); @read_ns and @write_ns are the device time per page.
 *	Returns the new swap type, -EINVAL for a bad size, -EPERM when all
 *	MAX_SWAPFILES types are in use, -ENOMEM, or the file's errno.
 * ksys_swapoff: -EINVAL if @type is not on; takes the cached folios whose
 *	slots have no swap count out of the swap cache (not one under
 *	writeback), then -EBUSY (device left on) while slots are in use;
 *	otherwise waits for every get_swap_device() user, frees the device
 *	and returns 0.
 */
int ksys_swapon(unsigned long nr_slots, const char *path, u64 read_ns, u64 write_ns);
int ksys_swapoff(int type);

/*
 * Reclaim (src/mm/vmscan.c, the simulated VM).
 * try_to_free_mem_cgroup_pages: reclaim at least @nr_pages (at least
 *	SWAP_CLUSTER_MAX) from the LRUs of @memcg's subtree, from priority
 *	DEF_PRIORITY down to 0; returns the pages reclaimed. Runs with
 *	PF_MEMALLOC, as the kernel's does.
 * try_to_free_pages: direct reclaim of the page allocator's slow path:
 *	at least SWAP_CLUSTER_MAX pages from every memcg's LRUs, slab
 *	shrinkers included; returns the pages reclaimed. The caller holds
 *	fs_reclaim and PF_MEMALLOC. Difference: no zonelist argument (the
 *	simulated nodes have one zone each) and @order is only recorded.
 * user_proactive_reclaim: the write of memory.reclaim: @buf is a byte
 *	count with an optional K/M/G/T/P/E suffix; 0, -EINVAL, or -EAGAIN if
 *	MAX_RECLAIM_RETRIES passes in a row reclaimed nothing before the
 *	target was met. (In the kernel's mm/internal.h; @pgdat, the node
 *	reclaim file's, must be NULL here.)
 */
struct mem_cgroup;
struct pglist_data;
#define SWAP_CLUSTER_MAX		32UL
/*
 * Shim: the kernel keeps this one in mm/internal.h. Here the shim's mm/
 * and src/ (mm, zswap) each have their own internal.h, so the reclaim
 * declarations that all of them include carry it.
 */
#define MAX_RECLAIM_RETRIES		16
#define MEMCG_RECLAIM_MAY_SWAP		(1 << 1)
#define MEMCG_RECLAIM_PROACTIVE		(1 << 2)
unsigned long try_to_free_mem_cgroup_pages(struct mem_cgroup *memcg, unsigned long nr_pages,
					   gfp_t gfp_mask, unsigned int reclaim_options,
					   int *swappiness);
unsigned long try_to_free_pages(int order, gfp_t gfp_mask, nodemask_t *nodemask);
int user_proactive_reclaim(char *buf, struct mem_cgroup *memcg, struct pglist_data *pgdat);

/*
 * Swap accounting of the memory controller (shim/mm/memcontrol.c):
 * mem_cgroup_try_charge_swap() charges @folio's slots to its memcg's
 * memory.swap.current and records the memcg for them at
 * folio_alloc_swap() (-ENOMEM past a memory.swap.max);
 * mem_cgroup_uncharge_swap() uncharges @nr_pages slots being freed and
 * drops their records (see <linux/swap_cgroup.h>);
 * mem_cgroup_get_nr_swap_pages() is how many slots @memcg may still take:
 * the free slots, capped by the room under every ancestor's
 * memory.swap.max; mem_cgroup_swap_full() (@folio locked) is
 * vm_swap_full() or a non-root ancestor of @folio's memcg at half its
 * memory.swap.max or more.
 */
int mem_cgroup_try_charge_swap(struct folio *folio, swp_entry_t entry);
void mem_cgroup_uncharge_swap(swp_entry_t entry, unsigned int nr_pages);
struct mem_cgroup;
long mem_cgroup_get_nr_swap_pages(struct mem_cgroup *memcg);
bool mem_cgroup_swap_full(struct folio *folio);

/*
 * The LRU lists (src/mm/swap.c, the simulated VM's):
 * folio_add_lru: a new, charged folio joins the inactive list of its lruvec.
 * folio_rotate_reclaimable: a folio on the inactive list whose writeback
 *	for reclaim ended (PG_reclaim) moves to its tail, where reclaim
 *	looks first; called by folio_end_writeback().
 */
void folio_add_lru(struct folio *folio);
void folio_rotate_reclaimable(struct folio *folio);

/*
 * The LRU side of freeing a folio (src/mm/swap.c; static in the kernel's
 * mm/swap.c): __folio_put() takes a folio whose last reference is gone
 * off its LRU list. Any holder of a reference may drop the last one: a
 * speculative folio_try_get() (migration's isolation, a swap cache
 * lookup) as much as the VM's own.
 */
void __page_cache_release(struct folio *folio);

#endif /* _SHIM_LINUX_SWAP_H */
