// SPDX-License-Identifier: GPL-2.0-only
/*
 * Folio lifetime: the last reference frees the folio (the kernel's
 * __folio_put() in mm/swap.c). Geometry and reference helpers are inline
 * in <linux/mm.h> and <linux/page_ref.h>.
 *
 * As in the kernel, the folio leaves its LRU list (__page_cache_release(),
 * the VM's, src/mm/swap.c) and its memcg charge is undone here, whoever
 * drops the last reference. Difference: there is no deferred split to
 * undo.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <sim/report.h>

#include "internal.h"

void __folio_put(struct folio *folio)
{
	int ref = folio_ref_count(folio);

	if (unlikely(ref != 0)) {
		/* folio_put() on a folio with no reference left. */
		bad_page(&folio->page, "folio_put() of a folio with no reference (refcount underflow)");
		set_page_count(&folio->page, 0);
		return;
	}
	__page_cache_release(folio);
	mem_cgroup_uncharge(folio);
	free_frozen_pages(&folio->page, folio_order(folio));
}
