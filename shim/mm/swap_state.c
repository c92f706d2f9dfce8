// SPDX-License-Identifier: GPL-2.0-only
/*
 * The swap cache (the kernel's mm/swap_state.c after the swap table
 * rework): the folio of a swap entry is the word of its slot in the swap
 * table of the slot's cluster. Lookups are lockless (the caller holds the
 * device, which keeps the tables); additions and removals take the
 * cluster lock. A cached folio holds one reference per page for the cache.
 * See <linux/swap.h>.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/swap.h>

#include "swap.h"

/*
 * The folio's fields are set before the table words, and the table words
 * cleared before the fields: a lockless reader that finds the folio in the
 * table and sees it no longer match the entry retries (see
 * swap_cache_get_folio()) instead of waiting for a half-added folio.
 */
void __swap_cache_add_folio(struct swap_cluster_info *ci, struct folio *folio,
			    swp_entry_t entry)
{
	unsigned int ci_off = swp_cluster_offset(entry);
	unsigned int ci_end = ci_off + folio_nr_pages(folio);

	VM_WARN_ON_ONCE_FOLIO(!folio_test_locked(folio), folio);
	VM_WARN_ON_ONCE_FOLIO(folio_test_swapcache(folio), folio);
	VM_WARN_ON_ONCE_FOLIO(!folio_test_swapbacked(folio), folio);

	folio_ref_add(folio, folio_nr_pages(folio));
	folio->swap = entry;
	folio_set_swapcache(folio);
	smp_wmb();
	for (; ci_off < ci_end; ci_off++) {
		VM_WARN_ON_ONCE(__swap_table_get_folio(ci, ci_off));
		__swap_table_set_folio(ci, ci_off, folio);
	}
}

int swap_cache_add_folio(struct folio *folio, swp_entry_t entry)
{
	struct swap_info_struct *si = __swap_entry_to_info(entry);
	unsigned int i, nr = folio_nr_pages(folio);
	pgoff_t offset = swp_offset(entry);
	struct swap_cluster_info *ci;
	unsigned short count;
	int err = 0;

	VM_WARN_ON_ONCE_FOLIO(!folio_test_locked(folio), folio);
	if (WARN_ON_ONCE(!IS_ALIGNED(offset, nr) || offset + nr > si->max))
		return -EINVAL;

	ci = swap_cluster_lock(si, offset);
	for (i = 0; i < nr; i++) {
		if (__swap_table_get_folio(ci, swp_cluster_offset(entry) + i)) {
			err = -EEXIST;
			break;
		}
		count = si->swap_map[offset + i];
		if (!count || count == SWAP_MAP_BAD) {
			err = -ENOENT;
			break;
		}
	}
	if (!err)
		__swap_cache_add_folio(ci, folio, entry);
	swap_cluster_unlock(ci);
	return err;
}

void __swap_cache_del_folio(struct swap_cluster_info *ci, struct folio *folio,
			    swp_entry_t entry)
{
	struct swap_info_struct *si = __swap_entry_to_info(entry);
	unsigned int ci_start = swp_cluster_offset(entry), i, run = 0;
	unsigned int nr = folio_nr_pages(folio);
	pgoff_t offset = swp_offset(entry);

	VM_WARN_ON_ONCE_FOLIO(!folio_test_locked(folio), folio);
	VM_WARN_ON_ONCE_FOLIO(!folio_test_swapcache(folio), folio);
	VM_WARN_ON_ONCE_FOLIO(folio_test_writeback(folio), folio);

	for (i = 0; i < nr; i++) {
		WARN_ON_ONCE(__swap_table_get_folio(ci, ci_start + i) != folio);
		__swap_table_set_folio(ci, ci_start + i, NULL);
	}
	smp_wmb();
	folio->swap.val = 0;
	folio_clear_swapcache(folio);

	/* Slots that no one else references are free now, in runs. */
	for (i = 0; i <= nr; i++) {
		if (i < nr && !si->swap_map[offset + i]) {
			run++;
			continue;
		}
		if (run)
			swap_entries_free(si, ci, offset + i - run, run);
		run = 0;
	}
}

void swap_cache_del_folio(struct folio *folio)
{
	swp_entry_t entry = folio->swap;
	struct swap_cluster_info *ci;

	ci = swap_cluster_lock(__swap_entry_to_info(entry), swp_offset(entry));
	__swap_cache_del_folio(ci, folio, entry);
	swap_cluster_unlock(ci);
	folio_ref_sub(folio, folio_nr_pages(folio));
}

struct folio *swap_cache_get_folio(swp_entry_t entry)
{
	struct swap_cluster_info *ci = __swap_entry_to_cluster(entry);
	unsigned int ci_off = swp_cluster_offset(entry);
	struct folio *folio;

	for (;;) {
		folio = __swap_table_get_folio(ci, ci_off);
		if (!folio)
			return NULL;
		/* The reference orders the reads of the folio's fields. */
		if (likely(folio_try_get(folio))) {
			if (likely(folio_matches_swap_entry(folio, entry)))
				return folio;
			folio_put(folio);
		}
	}
}

/*
 * Add the new folio @folio to the swap cache for @entry, charge it unless
 * @charged (to the slot's swap cgroup record: no mm here) and put it on
 * the LRU, as 7.0 does: charged after the add, so a racing swap-in finds
 * the folio instead of allocating its own. Returns @folio locked, or the
 * folio cached first (with a reference), or NULL: the slot has no count,
 * or the charge failed. Whatever is returned, @folio stays the caller's.
 */
static struct folio *__swap_cache_prepare_and_add(swp_entry_t entry, struct folio *folio,
						  gfp_t gfp, bool charged)
{
	struct folio *swapcache = NULL;
	int err;

	__folio_set_locked(folio);
	__folio_set_swapbacked(folio);
	for (;;) {
		err = swap_cache_add_folio(folio, entry);
		if (!err)
			break;
		if (err != -EEXIST)
			goto failed;
		swapcache = swap_cache_get_folio(entry);
		if (swapcache)
			goto failed;
		/* The cached folio was removed meanwhile: try again. */
	}
	if (!charged && mem_cgroup_swapin_charge_folio(folio, NULL, gfp, entry)) {
		swap_cache_del_folio(folio);
		goto failed;
	}
	/* The caller reads into (or fills) the locked folio. */
	folio_add_lru(folio);
	return folio;

failed:
	/* Unused: undo the flags, so the caller's put frees a plain folio. */
	__folio_clear_swapbacked(folio);
	folio_unlock(folio);
	return swapcache;
}

struct folio *swap_cache_alloc_folio(swp_entry_t entry, gfp_t gfp_mask,
				     struct mempolicy *mpol, pgoff_t ilx,
				     bool *new_page_allocated)
{
	struct swap_info_struct *si = __swap_entry_to_info(entry);
	struct folio *folio, *result;

	*new_page_allocated = false;
	folio = swap_cache_get_folio(entry);
	if (folio)
		return folio;
	/* Skip allocation for an unused or bad slot. */
	if (!swap_entry_swapped(si, entry))
		return NULL;

	/* @mpol and @ilx: only the default policy exists (<linux/mempolicy.h>). */
	folio = folio_alloc(gfp_mask, 0);
	if (!folio)
		return NULL;
	result = __swap_cache_prepare_and_add(entry, folio, gfp_mask, false);
	if (result == folio)
		*new_page_allocated = true;
	else
		folio_put(folio);
	return result;
}

struct folio *swapin_folio(swp_entry_t entry, struct folio *folio)
{
	struct folio *swapcache;

	/* Order 0 only: the simulated VM swaps in one page at a time. */
	VM_WARN_ON_ONCE_FOLIO(folio_test_large(folio), folio);
	swapcache = __swap_cache_prepare_and_add(entry, folio, 0, true);
	if (swapcache == folio)
		swap_read_folio(folio, NULL);
	return swapcache;
}
