// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reverse mapping of anonymous folios (the kernel's mm/rmap.c, in small).
 *
 * A folio is mapped by ptes of one region only (no fork, no KSM), so its
 * anon_vma is that region: folio->mapping holds it, tagged with
 * FOLIO_MAPPING_ANON, from the first mapping to the last unmapping, and
 * folio->index is the region page of its first page. try_to_unmap() and
 * folio_referenced() find the ptes under RCU: a region is freed after a grace period, and marked
 * dead under its page table lock before that, so a walker that takes the
 * lock either finds the ptes or sees the region gone.
 *
 * Differences: the kernel keeps folio->mapping after the last unmapping
 * and clears it when the folio is freed; the shim's page allocator
 * reports a freed page with a mapping, so it is cleared here instead.
 */
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/swap.h>

#include "internal.h"

static atomic_t *folio_mapcount_ptr(struct folio *folio)
{
	return folio_test_large(folio) ? &folio->_large_mapcount : &folio->_mapcount;
}

void folio_add_anon_rmap_ptes(struct folio *folio, int nr, struct vm_area_struct *vma)
{
	lockdep_assert_held(&vma->ptl);
	VM_BUG_ON_FOLIO(folio_mapcount(folio) + nr > folio_nr_pages(folio), folio);
	if (!folio_mapped(folio))
		WRITE_ONCE(folio->mapping,
			   (struct address_space *)((unsigned long)vma | FOLIO_MAPPING_ANON));
	atomic_add(nr, folio_mapcount_ptr(folio));
}

void folio_remove_rmap_ptes(struct folio *folio, int nr)
{
	VM_BUG_ON_FOLIO(folio_mapcount(folio) < nr, folio);
	atomic_sub(nr, folio_mapcount_ptr(folio));
	if (!folio_mapped(folio))
		WRITE_ONCE(folio->mapping, NULL);
}

bool try_to_unmap(struct folio *folio)
{
	struct vm_area_struct *vma;
	unsigned long idx;
	struct page *page;
	long i;
	int nr = 0;
	bool ret;

	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);
	VM_BUG_ON_FOLIO(!folio_test_swapcache(folio), folio);

	rcu_read_lock();
	vma = folio_anon_vma(folio);
	if (!vma) {
		rcu_read_unlock();
		return true;
	}
	spin_lock(&vma->ptl);
	for (i = 0; !vma->dead && i < folio_nr_pages(folio); i++) {
		page = folio_page(folio, i);
		idx = folio->index + i;
		if (idx >= vma->nr_pages || !pte_maps(vma->ptes[idx], page))
			continue;
		/* The pte's reference to the slot (swap_duplicate()). */
		if (folio_dup_swap(folio, page))
			break;
		vma->ptes[idx] = swp_entry_to_pte(page_swap_entry(page));
		nr++;
	}
	if (nr) {
		folio_remove_rmap_ptes(folio, nr);
		/* The caller's reference keeps the folio. */
		folio_ref_sub(folio, nr);
	}
	ret = !folio_mapped(folio);
	spin_unlock(&vma->ptl);
	rcu_read_unlock();
	return ret;
}

int folio_referenced(struct folio *folio)
{
	struct vm_area_struct *vma;
	unsigned long idx;
	int referenced = 0;
	long i;

	rcu_read_lock();
	vma = folio_anon_vma(folio);
	if (!vma) {
		rcu_read_unlock();
		return 0;
	}
	spin_lock(&vma->ptl);
	for (i = 0; !vma->dead && i < folio_nr_pages(folio); i++) {
		idx = folio->index + i;
		if (idx >= vma->nr_pages || !pte_maps(vma->ptes[idx], folio_page(folio, i)))
			continue;
		/* ptep_clear_flush_young(): the next access sets it again. */
		if (pte_young(vma->ptes[idx])) {
			vma->ptes[idx] &= ~_PAGE_ACCESSED;
			referenced = 1;
		}
	}
	spin_unlock(&vma->ptl);
	rcu_read_unlock();
	return referenced;
}
