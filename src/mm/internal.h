/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the simulated VM's files share (the kernel's mm/internal.h,
 * <linux/mm_types.h>'s mm_struct and vm_area_struct, <linux/rmap.h> and
 * <linux/mm_inline.h>, in small). See docs/vm.md for the model.
 *
 * A process (struct mm_struct) is charged to one memcg and owns anonymous
 * regions (struct vm_area_struct). A region's page table is a flat array
 * of pte_t, one per page: none, present (the struct page mapped there) or
 * a swap entry. vma->ptl protects the array, as the page table lock does.
 * Anonymous folios point back at their region through folio->mapping
 * (with FOLIO_MAPPING_ANON, where the kernel has an anon_vma) while they
 * are mapped, and folio->index is the region page their first page maps.
 */
#ifndef _SIM_MM_INTERNAL_H
#define _SIM_MM_INTERNAL_H

#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/swap.h>
#include <linux/types.h>

/* Fault results (<linux/mm_types.h>'s vm_fault_t bits that the VM uses). */
typedef unsigned int vm_fault_t;
#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002
#define VM_FAULT_MAJOR		0x000004
#define VM_FAULT_RETRY		0x000400
/* Simulator: a swapped-in page did not hold what the process wrote. */
#define VM_FAULT_CORRUPT	0x100000
#define VM_FAULT_ERROR		(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_CORRUPT)

struct mm_struct {
	/*
	 * The memcg new folios are charged to (the kernel finds it via
	 * mm->owner), with the process's reference. Read it through
	 * get_mem_cgroup_from_mm(): zsim_process_move() replaces it.
	 */
	struct mem_cgroup *memcg;
	spinlock_t lock;		/* protects vmas (writers also take vm_procs_lock) */
	struct list_head vmas;
};

/*
 * @mm's memcg with a reference (the root's without an mm), as the kernel's:
 * under RCU, retried if a move drops the one read before it is pinned.
 */
static inline struct mem_cgroup *get_mem_cgroup_from_mm(struct mm_struct *mm)
{
	struct mem_cgroup *memcg;

	if (!mm) {
		css_get(&root_mem_cgroup->css);
		return root_mem_cgroup;
	}
	rcu_read_lock();
	do {
		memcg = READ_ONCE(mm->memcg);
	} while (!css_tryget(&memcg->css));
	rcu_read_unlock();
	return memcg;
}

/* An event of @mm's memcg: RCU keeps the one read alive meanwhile. */
static inline void count_memcg_event_mm(struct mm_struct *mm, enum vm_event_item idx)
{
	rcu_read_lock();
	count_memcg_events(READ_ONCE(mm->memcg), idx, 1);
	rcu_read_unlock();
}

struct vm_area_struct {
	struct mm_struct *vm_mm;
	struct list_head vm_list;	/* on vm_mm->vmas */
	unsigned long nr_pages;
	unsigned int folio_order;	/* order of the folios faults allocate */
	u64 seed;			/* corpus seed of the contents */
	spinlock_t ptl;			/* the page table lock */
	bool dead;			/* unmapped: rmap walks find nothing */
	unsigned long *ptes;		/* pte_t words, see below */
	/*
	 * Per page, how many times the process wrote it: its contents are
	 * corpus page (gen << 32 | index) of the seed. Under ptl.
	 */
	u32 *gen;
	struct rcu_head rcu;
};

/*
 * A pte: 0 is none; a struct page pointer (bits 0 and 1 clear: pages are
 * aligned) is present, with bit 1 as its accessed ("young") bit;
 * (swp_entry_t.val << 1) | 1 is a swap entry. The kernel's encodings are
 * per architecture; this one fits swp_entry_t, whose value uses fewer
 * than 63 bits.
 */
typedef unsigned long pte_t;

#define _PAGE_ACCESSED		2UL

static inline bool pte_none(pte_t pte)
{
	return !pte;
}

static inline bool pte_present(pte_t pte)
{
	return pte && !(pte & 1);
}

static inline bool is_swap_pte(pte_t pte)
{
	return pte & 1;
}

static inline pte_t mk_pte(struct page *page)
{
	return (pte_t)page;
}

static inline struct page *pte_page(pte_t pte)
{
	return (struct page *)(pte & ~_PAGE_ACCESSED);
}

/* What the hardware sets on an access through a present pte. */
static inline pte_t pte_mkyoung(pte_t pte)
{
	return pte | _PAGE_ACCESSED;
}

static inline bool pte_young(pte_t pte)
{
	return pte_present(pte) && (pte & _PAGE_ACCESSED);
}

/* Does @pte map @page? */
static inline bool pte_maps(pte_t pte, const struct page *page)
{
	return pte_present(pte) && pte_page(pte) == page;
}

static inline pte_t swp_entry_to_pte(swp_entry_t entry)
{
	return (entry.val << 1) | 1;
}

static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	swp_entry_t entry = { .val = pte >> 1 };

	return entry;
}

/* ---- rmap (mm/rmap.c): one mapping per page, all of a folio in one vma ---- */

/* Pages of @folio mapped by a pte (_mapcount or _large_mapcount, from -1). */
static inline int folio_mapcount(const struct folio *folio)
{
	if (folio_test_large(folio))
		return atomic_read(&folio->_large_mapcount) + 1;
	return atomic_read(&folio->_mapcount) + 1;
}

static inline bool folio_mapped(const struct folio *folio)
{
	return folio_mapcount(folio) > 0;
}

static inline struct vm_area_struct *folio_anon_vma(const struct folio *folio)
{
	unsigned long mapping = (unsigned long)READ_ONCE(folio->mapping);

	if (!(mapping & FOLIO_MAPPING_ANON))
		return NULL;
	return (struct vm_area_struct *)(mapping & ~FOLIO_MAPPING_FLAGS);
}

/* Under vma->ptl: @nr ptes now map pages of @folio; each holds a reference. */
void folio_add_anon_rmap_ptes(struct folio *folio, int nr, struct vm_area_struct *vma);
/* Under vma->ptl: @nr ptes stopped mapping it (the caller drops the references). */
void folio_remove_rmap_ptes(struct folio *folio, int nr);
/*
 * Replace every pte mapping the locked swap cache folio @folio by its
 * page's swap entry, taking a swap count for each. False if some are
 * still mapped (a swap count could not be taken).
 */
bool try_to_unmap(struct folio *folio);
/*
 * Clear the accessed bits of the ptes mapping @folio; the number of
 * mappings that had one set (the kernel counts vmas, not ptes): 0 or 1
 * here, a folio being mapped by one region.
 */
int folio_referenced(struct folio *folio);

/* ---- LRU (mm/swap.c, <linux/mm_inline.h>) ---- */

static inline struct lruvec *folio_lruvec(struct folio *folio)
{
	return mem_cgroup_lruvec(folio_memcg(folio), NODE_DATA(folio_nid(folio)));
}

static inline enum lru_list folio_lru_list(struct folio *folio)
{
	return folio_test_active(folio) ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON;
}

/* Under lruvec->lru_lock. */
void lruvec_add_folio(struct lruvec *lruvec, struct folio *folio);
void lruvec_del_folio(struct lruvec *lruvec, struct folio *folio);

/* folio_add_lru() and folio_rotate_reclaimable() are in <linux/swap.h>. */
/*
 * Take @folio, which the caller holds a reference to, off its LRU list
 * with a reference of its own; false if it was not on one.
 */
bool folio_isolate_lru(struct folio *folio);
/* Put an isolated folio back and drop the isolation's reference. */
void folio_putback_lru(struct folio *folio);
/*
 * Move @folio, which the caller holds a reference to, from the active to
 * the inactive list, unmarked (the kernel's lru_deactivate(), done at once
 * rather than through a per-CPU batch); nothing if it is not active.
 */
void folio_deactivate(struct folio *folio);
/*
 * Drop @refs references of a VM folio; the last one takes it off its LRU
 * list and frees it (the kernel's folios_put_refs() release path; the
 * LRU part is __page_cache_release(), which every last folio_put() runs).
 */
void folio_put_lru(struct folio *folio, int refs);

/* ---- reclaim (mm/vmscan.c) ---- */

/* Reclaim the isolated folios of @folio_list, ignoring references. */
unsigned long reclaim_pages(struct list_head *folio_list);

/* ---- faults (mm/memory.c) ---- */

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long index, bool write);
/* ---- memory.high (mm/memcontrol.c, here memcg_high.c) ---- */

/*
 * After a charge (the shim's adds what went over memory.high to the task's
 * batch): far over already, trim the excess now rather than at the return,
 * as the end of the kernel's try_charge_memcg().
 */
void mem_cgroup_trim_over_high(gfp_t gfp);
/*
 * On the way back to user space: reclaim what the task charged over high
 * from its mm's memcg (current->mm), and throttle it if reclaim cannot
 * keep up.
 */
void mem_cgroup_handle_over_high(gfp_t gfp);
/* Unmap a whole region: free its folios and swap slots. */
void zap_vma(struct vm_area_struct *vma);

/*
 * MADV_PAGEOUT (@pageout) or MADV_COLD of @nr pages from @first
 * (mm/madvise.c): 0, or -EINVAL for a range outside @vma.
 */
int madvise_cold_or_pageout(struct vm_area_struct *vma, unsigned long first,
			    unsigned long nr, bool pageout);

/* Fill a page with what the process last wrote at @index of @vma. */
void vma_fill_page(struct vm_area_struct *vma, unsigned long index, u32 gen, void *dst);

#endif /* _SIM_MM_INTERNAL_H */
