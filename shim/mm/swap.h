/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What swapfile.c, swap_state.c and page_io.c share (the kernel's
 * mm/swap.h and mm/swap_table.h, in small): clusters, their swap tables
 * and locking, and the medium's setup.
 */
#ifndef _SHIM_MM_SWAP_H
#define _SHIM_MM_SWAP_H

#include <linux/lockdep.h>
#include <linux/spinlock.h>
#include <linux/swap.h>

/*
 * A cluster of SWAPFILE_CLUSTER slots. The lock protects the table, the
 * count and the swap_map[] words of the cluster's slots.
 */
struct swap_cluster_info {
	spinlock_t	lock;
	unsigned int	count;		/* slots in use (the header slot too) */
	unsigned int	nr_slots;	/* slots the device has in this cluster */
	atomic_long_t	*table;		/* per slot: swap cache folio, or 0 */
};

static inline unsigned int swp_cluster_offset(swp_entry_t entry)
{
	return swp_offset(entry) % SWAPFILE_CLUSTER;
}

static inline struct swap_cluster_info *__swap_offset_to_cluster(struct swap_info_struct *si,
								 pgoff_t offset)
{
	return &si->cluster_info[offset / SWAPFILE_CLUSTER];
}

static inline struct swap_cluster_info *__swap_entry_to_cluster(swp_entry_t entry)
{
	return __swap_offset_to_cluster(__swap_entry_to_info(entry), swp_offset(entry));
}

static inline struct swap_cluster_info *swap_cluster_lock(struct swap_info_struct *si,
							  pgoff_t offset)
{
	struct swap_cluster_info *ci = __swap_offset_to_cluster(si, offset);

	spin_lock(&ci->lock);
	return ci;
}

static inline void swap_cluster_unlock(struct swap_cluster_info *ci)
{
	spin_unlock(&ci->lock);
}

/* Swap table words: a folio pointer or 0 (no shadows, see <linux/swap.h>). */
static inline struct folio *__swap_table_get_folio(struct swap_cluster_info *ci,
						   unsigned int ci_off)
{
	return (struct folio *)atomic_long_read(&ci->table[ci_off]);
}

static inline void __swap_table_set_folio(struct swap_cluster_info *ci, unsigned int ci_off,
					  struct folio *folio)
{
	lockdep_assert_held(&ci->lock);
	atomic_long_set(&ci->table[ci_off], (long)folio);
}

/* swapfile.c: release @nr slots from @offset whose count and cache are gone. */
void swap_entries_free(struct swap_info_struct *si, struct swap_cluster_info *ci,
		       pgoff_t offset, unsigned int nr);

/* swap_state.c, with the cluster locked. */
void __swap_cache_add_folio(struct swap_cluster_info *ci, struct folio *folio,
			    swp_entry_t entry);
void __swap_cache_del_folio(struct swap_cluster_info *ci, struct folio *folio,
			    swp_entry_t entry);

struct stat;
/* swapfile.c, swapon_mutex held: a device is on that file already. */
bool swap_file_in_use(const struct stat *st);

/* page_io.c: open and close the medium of @si (@path NULL: host memory). */
int swap_medium_open(struct swap_info_struct *si, const char *path);
void swap_medium_close(struct swap_info_struct *si);

#endif /* _SHIM_MM_SWAP_H */
