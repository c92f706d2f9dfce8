// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page faults and unmapping of anonymous regions (the kernel's
 * mm/memory.c), with the memcg charge path around them.
 *
 * handle_mm_fault() of one page: a present pte is an access (it sets the
 * pte's accessed bit; a write bumps the page's generation, rewrites its
 * contents and dirties the folio); a none pte allocates a folio of the
 * region's order (do_anonymous_page()), falling back to order 0 when the
 * range is partly populated or the large charge fails; a swap pte swaps
 * in (do_swap_page()): swap cache, else a new order-0 folio, charged to
 * the memcg recorded for the slot at swap-out
 * (mem_cgroup_swapin_charge_folio()), read by swap_read_folio() (zero
 * map, zswap, device).
 * Every present pte is writable, as the kernel's would be here: regions
 * are VM_WRITE, do_anonymous_page() maps writable, and do_swap_page()
 * maps writable even on a read fault because, without fork, every swap
 * pte is exclusive (pte_swp_exclusive()). So a write never faults on a
 * present pte (do_wp_page() has nothing to do): a swap cache folio keeps
 * its slot, and reclaim writes it to that slot again, or the unmap frees it.
 * Faults that map something return VM_FAULT_RETRY so the caller repeats
 * the access on the now-present pte.
 *
 * Every page swapped in is compared with what the process last wrote
 * (VM_FAULT_CORRUPT on a mismatch): the simulator's data-integrity check.
 *
 * Differences: swap-in is always order 0 (as the kernel does whenever the
 * range may be in zswap), and a large folio found in the swap cache maps
 * only the faulting page; there is no OOM killer (a charge that reclaim
 * cannot satisfy fails the fault with VM_FAULT_OOM). A pte has no write
 * or dirty bit: every present one is writable, and a write dirties the
 * folio at once where the MMU sets the pte's dirty bit and try_to_unmap()
 * moves it to the folio; reclaim tests PG_dirty of a mapped folio only
 * after unmapping it, so it sees the same.
 */
#include <linux/gfp.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/page_counter.h>
#include <linux/pagemap.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/swap_cgroup.h>
#include <linux/vmstat.h>
#include <string.h>

#include "cost.h"
#include "internal.h"

#define PAGE_ALLOC_COSTLY_ORDER	3

/* The nearest level of @memcg's hierarchy that @nr more pages would take over max. */
static struct mem_cgroup *mem_over_limit(struct mem_cgroup *memcg, long nr)
{
	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg)) {
		if (page_counter_read(&memcg->memory) + nr > READ_ONCE(memcg->memory.max))
			return memcg;
	}
	return NULL;
}

static unsigned long mem_cgroup_margin(struct mem_cgroup *memcg)
{
	unsigned long count = page_counter_read(&memcg->memory);
	unsigned long limit = READ_ONCE(memcg->memory.max);

	return count < limit ? limit - count : 0;
}

/*
 * charge_memcg(): the shim's charge (mem_cgroup_charge_folio()) fails at
 * memory.max without reclaiming, so the retry loop of the kernel's
 * try_charge_memcg() is here: reclaim from the level over its limit and
 * retry, give up after MAX_RECLAIM_RETRIES fruitless rounds (where the
 * kernel would OOM-kill).
 */
static int charge_memcg(struct folio *folio, struct mem_cgroup *memcg, gfp_t gfp)
{
	unsigned int nr_retries = MAX_RECLAIM_RETRIES;
	long nr_pages = folio_nr_pages(folio);
	struct mem_cgroup *over;
	unsigned long nr_reclaimed;
	bool raised_max_event = false;

	for (;;) {
		if (!mem_cgroup_charge_folio(folio, memcg, gfp))
			return 0;
		if (!gfpflags_allow_blocking(gfp) || (current->flags & PF_MEMALLOC))
			return -ENOMEM;
		over = mem_over_limit(memcg, nr_pages);
		if (!over) {
			/* Uncharged meanwhile; a limit that small still ends. */
			if (!nr_retries--)
				return -ENOMEM;
			continue;
		}
		if (!raised_max_event) {
			memcg_memory_event(over, MEMCG_MAX);
			raised_max_event = true;
		}
		nr_reclaimed = try_to_free_mem_cgroup_pages(over, nr_pages, gfp,
							    MEMCG_RECLAIM_MAY_SWAP, NULL);
		if (mem_cgroup_margin(over) >= nr_pages)
			continue;
		if (gfp & __GFP_NORETRY)
			return -ENOMEM;
		if (nr_reclaimed && nr_pages <= (1 << PAGE_ALLOC_COSTLY_ORDER))
			continue;
		if (nr_retries--)
			continue;
		/* mem_cgroup_oom(), for the orders it handles; no killer follows. */
		if (!(gfp & __GFP_RETRY_MAYFAIL) && nr_pages <= (1 << PAGE_ALLOC_COSTLY_ORDER))
			memcg_memory_event(over, MEMCG_OOM);
		return -ENOMEM;
	}
}

static int mem_cgroup_charge(struct folio *folio, struct mm_struct *mm, gfp_t gfp)
{
	struct mem_cgroup *memcg = get_mem_cgroup_from_mm(mm);
	int ret = charge_memcg(folio, memcg, gfp);

	if (!ret)
		mem_cgroup_trim_over_high(gfp);
	mem_cgroup_put(memcg);
	return ret;
}

int mem_cgroup_swapin_charge_folio(struct folio *folio, struct mm_struct *mm, gfp_t gfp,
				   swp_entry_t entry)
{
	struct mem_cgroup *memcg;
	unsigned short id;
	int ret;

	if (mem_cgroup_disabled())
		return 0;
	id = lookup_swap_cgroup_id(entry);
	rcu_read_lock();
	memcg = mem_cgroup_from_id(id);
	if (!memcg || !css_tryget_online(&memcg->css)) {
		/*
		 * get_mem_cgroup_from_mm(): without an mm (zswap writeback),
		 * current's, so a process's direct reclaim charges its own
		 * memcg and a kernel thread the root. (No active_memcg():
		 * nothing here sets one.)
		 */
		if (!mm && current)
			mm = current->mm;
		memcg = get_mem_cgroup_from_mm(mm);
	}
	rcu_read_unlock();
	ret = charge_memcg(folio, memcg, gfp);
	if (!ret)
		mem_cgroup_trim_over_high(gfp);
	css_put(&memcg->css);
	return ret;
}

/* Whether the page at @index holds what the process last wrote there. */
static bool vma_page_intact(struct vm_area_struct *vma, unsigned long index,
			    struct page *page, void *scratch)
{
	vma_fill_page(vma, index, READ_ONCE(vma->gen[index]), scratch);
	if (!memcmp(scratch, page_address(page), PAGE_SIZE))
		return true;
	pr_err("vm: data corruption: page %lu of region %p (seed %llu) swapped in with other contents\n",
	       index, vma, (unsigned long long)vma->seed);
	return false;
}

static bool pte_range_none(struct vm_area_struct *vma, unsigned long start, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		if (!pte_none(vma->ptes[start + i]))
			return false;
	}
	return true;
}

static struct folio *alloc_anon_folio(struct vm_area_struct *vma, unsigned long index,
				      unsigned long *start)
{
	unsigned int order = vma->folio_order;
	unsigned long nr = 1UL << order, i;
	struct folio *folio;
	gfp_t gfp;

	*start = ALIGN_DOWN(index, nr);
	if (order) {
		spin_lock(&vma->ptl);
		if (*start + nr > vma->nr_pages || !pte_range_none(vma, *start, nr))
			order = 0;
		spin_unlock(&vma->ptl);
	}
	for (;; order = 0) {
		nr = 1UL << order;
		*start = ALIGN_DOWN(index, nr);
		/* Large folios are opportunistic: no direct reclaim (THP's default). */
		gfp = order ? GFP_TRANSHUGE_LIGHT : GFP_HIGHUSER_MOVABLE;
		folio = folio_alloc(gfp, order);
		if (folio && mem_cgroup_charge(folio, vma->vm_mm, gfp)) {
			folio_put(folio);
			folio = NULL;
		}
		if (folio || !order)
			break;
	}
	if (!folio)
		return NULL;
	for (i = 0; i < nr; i++)
		vma_fill_page(vma, *start + i, READ_ONCE(vma->gen[*start + i]),
			      page_address(folio_page(folio, i)));
	__folio_set_swapbacked(folio);
	folio_mark_uptodate(folio);
	return folio;
}

static vm_fault_t do_anonymous_page(struct vm_area_struct *vma, unsigned long index)
{
	unsigned long start, nr, i;
	struct folio *folio;

	folio = alloc_anon_folio(vma, index, &start);
	if (!folio)
		return VM_FAULT_OOM;
	nr = folio_nr_pages(folio);

	spin_lock(&vma->ptl);
	if (vma->dead || !pte_range_none(vma, start, nr)) {
		/* Someone else populated the range. */
		spin_unlock(&vma->ptl);
		folio_put(folio);
		return VM_FAULT_RETRY;
	}
	folio->index = start;
	for (i = 0; i < nr; i++)
		/* Young, as x86's protections make a new pte. */
		vma->ptes[start + i] = pte_mkyoung(mk_pte(folio_page(folio, i)));
	/* The allocation's reference is one of the nr the ptes hold. */
	folio_ref_add(folio, nr - 1);
	folio_add_anon_rmap_ptes(folio, nr, vma);
	folio_add_lru(folio);
	spin_unlock(&vma->ptl);
	vm_charge_anon_fault(nr);
	return VM_FAULT_RETRY;
}

/*
 * alloc_swap_folio(), order 0: a new folio charged for @entry's swap-in
 * (its swap cgroup record, else the faulting process's memcg).
 */
static struct folio *alloc_swap_folio(struct vm_area_struct *vma, swp_entry_t entry)
{
	struct folio *folio = folio_alloc(GFP_HIGHUSER_MOVABLE, 0);

	if (folio && mem_cgroup_swapin_charge_folio(folio, vma->vm_mm, GFP_KERNEL, entry)) {
		folio_put(folio);
		folio = NULL;
	}
	return folio;
}

/*
 * 7.0's should_try_to_free_swap(), after the folio is mapped, for a device
 * without SWP_SYNCHRONOUS_IO (the kernel always frees a synchronous
 * device's swap cache here; VM_LOCKED and mlock are not modelled): swap
 * is short, or a write fault mapped the folio and only the swap cache
 * holds it besides the pte (the slot's copy is stale once written).
 */
static bool should_try_to_free_swap(struct folio *folio, bool write)
{
	if (!folio_test_swapcache(folio))
		return false;
	if (mem_cgroup_swap_full(folio))
		return true;
	return write && folio_ref_count(folio) == 1 + folio_nr_pages(folio);
}

static vm_fault_t do_swap_page(struct vm_area_struct *vma, unsigned long index, pte_t orig_pte,
			       bool write)
{
	swp_entry_t entry = pte_to_swp_entry(orig_pte);
	struct mm_struct *mm = vma->vm_mm;
	struct swap_info_struct *si;
	vm_fault_t ret = VM_FAULT_RETRY;
	bool new_folio = false, major = false;
	struct folio *folio, *swapcache;
	struct page *page;
	void *scratch;

	scratch = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!scratch)
		return VM_FAULT_OOM;
	si = get_swap_device(entry);
	if (!si) {
		kfree(scratch);
		return READ_ONCE(vma->ptes[index]) == orig_pte ? VM_FAULT_SIGBUS : VM_FAULT_RETRY;
	}

	/*
	 * Not cached: 7.0's path for a synchronous device (the simulated
	 * ones all are) and a slot only this pte holds (always, without
	 * fork): a charged folio, added to the swap cache and the LRU, read.
	 */
	folio = swap_cache_get_folio(entry);
	if (!folio) {
		folio = alloc_swap_folio(vma, entry);
		if (folio) {
			swapcache = swapin_folio(entry, folio);
			new_folio = swapcache == folio;
			if (!new_folio)
				folio_put(folio);
			folio = swapcache;
		}
		if (!folio) {
			/* The slot went away (the pte changed) or no memory. */
			if (READ_ONCE(vma->ptes[index]) == orig_pte)
				ret = VM_FAULT_OOM;
			goto out;
		}
		/* Not in the swap cache when we looked: major, even if another swap-in won. */
		major = true;
	}
	if (major) {
		ret |= VM_FAULT_MAJOR;
		count_vm_event(PGMAJFAULT);
		count_memcg_event_mm(mm, PGMAJFAULT);
	}
	if (new_folio)
		vm_charge_swapin_fault();

	folio_lock(folio);
	if (!folio_matches_swap_entry(folio, entry))
		goto out_unlock;	/* reclaimed meanwhile: fault again */
	if (!folio_test_uptodate(folio)) {
		ret = VM_FAULT_SIGBUS;
		goto out_unlock;
	}
	page = folio_page(folio, swp_offset(entry) - swp_offset(folio->swap));
	if (!vma_page_intact(vma, index, page, scratch)) {
		ret = VM_FAULT_CORRUPT;
		goto out_unlock;
	}

	spin_lock(&vma->ptl);
	if (vma->dead || vma->ptes[index] != orig_pte) {
		spin_unlock(&vma->ptl);
		goto out_unlock;
	}
	if (!folio_mapped(folio))
		folio->index = index - (page - &folio->page);
	/*
	 * Writable (see the top of the file) even on a read fault, as 7.0
	 * maps an exclusive folio of a VM_WRITE region: a later write does
	 * not fault, and the folio stays in the swap cache.
	 */
	vma->ptes[index] = pte_mkyoung(mk_pte(page));
	/* The lookup's reference becomes the pte's. */
	folio_add_anon_rmap_ptes(folio, 1, vma);
	/* swap_free(): the pte no longer holds the slot, the swap cache does. */
	folio_put_swap(folio, page);
	spin_unlock(&vma->ptl);
	if (should_try_to_free_swap(folio, write))
		folio_free_swap(folio);
	folio_unlock(folio);
	folio = NULL;
	goto out;

out_unlock:
	folio_unlock(folio);
	folio_put_lru(folio, 1);
out:
	put_swap_device(si);
	kfree(scratch);
	return ret;
}

/*
 * The access itself, on a present (so writable) pte: the accessed bit,
 * and for a write new contents and the dirty bit, the folio's here. A
 * swap cache folio keeps its slot, whose copy is stale now: reclaim
 * writes the dirty folio there again.
 */
static void do_access(struct vm_area_struct *vma, unsigned long index, struct folio *folio,
		      bool write)
{
	struct page *page = pte_page(vma->ptes[index]);

	vma->ptes[index] = pte_mkyoung(vma->ptes[index]);
	if (!write)
		return;
	vma->gen[index]++;
	vma_fill_page(vma, index, vma->gen[index], page_address(page));
	folio_mark_dirty(folio);
}

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long index, bool write)
{
	struct folio *folio;
	pte_t pte;

	spin_lock(&vma->ptl);
	pte = vma->ptes[index];
	if (pte_present(pte)) {
		folio = page_folio(pte_page(pte));
		do_access(vma, index, folio, write);
		spin_unlock(&vma->ptl);
		return 0;
	}
	spin_unlock(&vma->ptl);
	if (pte_none(pte))
		return do_anonymous_page(vma, index);
	return do_swap_page(vma, index, pte, write);
}

/* free_swap_cache(): drop an unmapped folio's swap cache when no pte needs it. */
static void free_swap_cache(struct folio *folio)
{
	if (folio_trylock(folio)) {
		if (!folio_mapped(folio))
			folio_free_swap(folio);
		folio_unlock(folio);
	}
}

/* free_swap_and_cache(): the pte's swap count, then a cached folio nobody maps. */
static void free_swap_and_cache(swp_entry_t entry)
{
	struct swap_info_struct *si;
	struct folio *folio;

	swap_put_entries_direct(entry, 1);
	si = get_swap_device(entry);
	if (!si)
		return;
	folio = swap_cache_get_folio(entry);
	if (folio) {
		free_swap_cache(folio);
		folio_put_lru(folio, 1);
	}
	put_swap_device(si);
}

static void vma_free_rcu(struct rcu_head *head)
{
	struct vm_area_struct *vma = container_of(head, struct vm_area_struct, rcu);

	kvfree(vma->ptes);
	kvfree(vma->gen);
	kfree(vma);
}

void zap_vma(struct vm_area_struct *vma)
{
	struct folio *folio;
	unsigned long i;
	pte_t pte;

	might_sleep();
	/* From here on no rmap walk or fault uses the ptes. */
	spin_lock(&vma->ptl);
	vma->dead = true;
	spin_unlock(&vma->ptl);

	for (i = 0; i < vma->nr_pages; i++) {
		pte = vma->ptes[i];
		vma->ptes[i] = 0;
		if (pte_present(pte)) {
			folio = page_folio(pte_page(pte));
			spin_lock(&vma->ptl);
			folio_remove_rmap_ptes(folio, 1);
			spin_unlock(&vma->ptl);
			if (!folio_mapped(folio) && folio_test_swapcache(folio))
				free_swap_cache(folio);
			folio_put_lru(folio, 1);
		} else if (is_swap_pte(pte)) {
			free_swap_and_cache(pte_to_swp_entry(pte));
		}
		cond_resched();
	}
	/* try_to_unmap() may still be looking at the region under RCU. */
	call_rcu(&vma->rcu, vma_free_rcu);
}
