/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * <linux/zswap.h>: the zswap entry points the swap code and the VM call
 * (src/zswap/zswap.c), and the zswap state that lives in other structures.
 *
 * Callers' contract, as the kernel's:
 * - zswap_store(): @folio is locked and in the swap cache (any order).
 *   True if every page of it is now in zswap; false otherwise, with every
 *   page's old entry, if any, erased so that no stale copy survives.
 * - zswap_load(): @folio is locked, in the swap cache, not uptodate.
 *   0: loaded, uptodate, dirty, unlocked, and the entry is gone (loads are
 *   exclusive); -EIO: the entry failed to decompress, folio unlocked and
 *   not uptodate; -EINVAL (with a warning): a large folio, unlocked;
 *   -ENOENT: not in zswap, the folio stays locked for the device read.
 * - zswap_invalidate(): the slot is being freed.
 * - zswap_swapon()/zswap_swapoff(): a device of @nr_pages slots comes and
 *   goes (swapoff after the last get_swap_device() user is gone).
 * - zswap_folio_swapin(): @folio was read from the swap device, not
 *   zswap; the shrinker then protects that many more entries.
 * - zswap_memcg_offline_cleanup(): @memcg goes offline; the shrink
 *   worker's cursor moves off it.
 */
#ifndef _SHIM_LINUX_ZSWAP_H
#define _SHIM_LINUX_ZSWAP_H

#include <linux/atomic.h>
#include <linux/mm_types.h>
#include <linux/types.h>

struct folio;
struct mem_cgroup;

/* Per-lruvec state of the zswap shrinker, in struct lruvec. */
struct zswap_lruvec_state {
	/*
	 * Pages swapped in from the disk, i.e. not found in zswap: the
	 * shrinker's count subtracts (and consumes) them, to make up for
	 * having written back pages that were still in use.
	 */
	atomic_long_t nr_disk_swapins;
};

/* Pages stored (entries), for vmstat-like readers. */
extern atomic_long_t zswap_stored_pages;

unsigned long zswap_total_pages(void);
bool zswap_store(struct folio *folio);
int zswap_load(struct folio *folio);
void zswap_invalidate(swp_entry_t swp);
int zswap_swapon(int type, unsigned long nr_pages);
void zswap_swapoff(int type);
void zswap_memcg_offline_cleanup(struct mem_cgroup *memcg);
void zswap_folio_swapin(struct folio *folio);
bool zswap_is_enabled(void);
bool zswap_never_enabled(void);

/*
 * Simulator addition: bytes held by the per-CPU compression contexts of
 * every pool (buffers, scatterlists, requests), as debugfs
 * zswap/acomp_ctx_bytes shows; what the two lifetime models differ in.
 */
unsigned long zswap_acomp_ctx_bytes(void);

#endif /* _SHIM_LINUX_ZSWAP_H */
