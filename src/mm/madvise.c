// SPDX-License-Identifier: GPL-2.0-only
/*
 * MADV_PAGEOUT (the kernel's mm/madvise.c, madvise_cold_or_pageout_pte_range()):
 * isolate the folios mapped in a range, clear their PG_referenced and
 * reclaim them at once with reclaim_pages(), which ignores references
 * (the ptes' accessed bits stay), whatever their memcg's usage.
 *
 * Difference: a large folio only partly inside the range is skipped; the
 * kernel splits it and pages out the part inside.
 */
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>

#include "internal.h"

int madvise_pageout(struct vm_area_struct *vma, unsigned long first, unsigned long nr)
{
	unsigned long idx, end = first + nr;
	LIST_HEAD(folio_list);
	struct folio *folio;
	pte_t pte;

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
		if (folio_isolate_lru(folio))
			list_add(&folio->lru, &folio_list);
	}
	spin_unlock(&vma->ptl);
	reclaim_pages(&folio_list);
	return 0;
}
