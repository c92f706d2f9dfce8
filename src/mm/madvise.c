// SPDX-License-Identifier: GPL-2.0-only
/*
 * MADV_COLD and MADV_PAGEOUT (the kernel's mm/madvise.c,
 * madvise_cold_or_pageout_pte_range()), on the folios mapped wholly in a
 * range. MADV_COLD clears their ptes' accessed bits and PG_referenced and
 * deactivates the active ones, so that reclaim takes them first and at its
 * first look. MADV_PAGEOUT clears PG_referenced and reclaims them at once
 * with reclaim_pages(), which ignores references (the ptes' accessed bits
 * stay), whatever their memcg's usage.
 *
 * Difference: a large folio only partly inside the range is skipped; the
 * kernel splits it and works on the part inside.
 */
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>

#include "internal.h"

/* Both advices walk the range alike, as the kernel's one pte walker. */
int madvise_cold_or_pageout(struct vm_area_struct *vma, unsigned long first,
			    unsigned long nr, bool pageout)
{
	unsigned long idx, end = first + nr;
	LIST_HEAD(folio_list);
	struct folio *folio;
	pte_t pte;
	long i;

	if (first > vma->nr_pages || nr > vma->nr_pages - first)
		return -EINVAL;
	spin_lock(&vma->ptl);
	for (idx = first; idx < end; idx++) {
		pte = vma->ptes[idx];
		if (!pte_present(pte))
			continue;
		folio = page_folio(pte_page(pte));
		if (folio->index < first || folio->index + folio_nr_pages(folio) > end)
			continue;
		/* Its first page was seen: skip to the next folio. */
		idx = folio->index + folio_nr_pages(folio) - 1;
		folio_clear_referenced(folio);
		if (pageout) {
			if (folio_isolate_lru(folio))
				list_add(&folio->lru, &folio_list);
			continue;
		}
		for (i = 0; i < folio_nr_pages(folio); i++)
			if (pte_maps(vma->ptes[folio->index + i], folio_page(folio, i)))
				vma->ptes[folio->index + i] &= ~_PAGE_ACCESSED;
		/* The ptes' references keep it while the lock is held. */
		folio_deactivate(folio);
	}
	spin_unlock(&vma->ptl);
	if (pageout)
		reclaim_pages(&folio_list);
	return 0;
}
