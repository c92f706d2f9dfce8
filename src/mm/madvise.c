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

/*
 * Under vma->ptl: the folio mapped at *@idx if the range [@first, @end)
 * holds all of it, with *@idx moved to its last page; else NULL.
 */
static struct folio *range_folio(struct vm_area_struct *vma, unsigned long *idx,
				 unsigned long first, unsigned long end)
{
	pte_t pte = vma->ptes[*idx];
	struct folio *folio;

	if (!pte_present(pte))
		return NULL;
	folio = page_folio(pte_page(pte));
	if (folio->index < first || folio->index + folio_nr_pages(folio) > end)
		return NULL;
	*idx = folio->index + folio_nr_pages(folio) - 1;
	return folio;
}

int madvise_cold(struct vm_area_struct *vma, unsigned long first, unsigned long nr)
{
	unsigned long idx, end = first + nr;
	struct folio *folio;
	long i;

	if (first > vma->nr_pages || nr > vma->nr_pages - first)
		return -EINVAL;
	spin_lock(&vma->ptl);
	for (idx = first; idx < end; idx++) {
		folio = range_folio(vma, &idx, first, end);
		if (!folio)
			continue;
		for (i = 0; i < folio_nr_pages(folio); i++)
			if (pte_maps(vma->ptes[folio->index + i], folio_page(folio, i)))
				vma->ptes[folio->index + i] &= ~_PAGE_ACCESSED;
		folio_clear_referenced(folio);
		/* The ptes' references keep it while the lock is held. */
		folio_deactivate(folio);
	}
	spin_unlock(&vma->ptl);
	return 0;
}

int madvise_pageout(struct vm_area_struct *vma, unsigned long first, unsigned long nr)
{
	unsigned long idx, end = first + nr;
	LIST_HEAD(folio_list);
	struct folio *folio;

	if (first > vma->nr_pages || nr > vma->nr_pages - first)
		return -EINVAL;
	spin_lock(&vma->ptl);
	for (idx = first; idx < end; idx++) {
		folio = range_folio(vma, &idx, first, end);
		if (!folio)
			continue;
		folio_clear_referenced(folio);
		if (folio_isolate_lru(folio))
			list_add(&folio->lru, &folio_list);
	}
	spin_unlock(&vma->ptl);
	reclaim_pages(&folio_list);
	return 0;
}
