/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Swap entry encoding (<linux/swapops.h>).
 *
 * The kernel's arch-independent form of swp_entry_t (declared in
 * <linux/mm_types.h>): the type in the top MAX_SWAPFILES_SHIFT bits below
 * the xarray value bit, the offset in the bits under it. There are no page
 * tables in the simulator, so the arch (pte) encoding and the non-swap
 * entries (migration, device, hwpoison, markers) are not provided.
 * MAX_SWAPFILES_SHIFT is defined here rather than in <linux/swap.h> (which
 * includes this header) so that either header can be included alone.
 */
#ifndef _SHIM_LINUX_SWAPOPS_H
#define _SHIM_LINUX_SWAPOPS_H

#include <linux/bits.h>
#include <linux/mm_types.h>
#include <linux/types.h>

/* Five bits of type: 32 swap types, some taken by non-swap entries. */
#define MAX_SWAPFILES_SHIFT	5

/* Number of bits an xarray value entry holds (<linux/xarray.h>). */
#define SWP_BITS_PER_XA_VALUE	(BITS_PER_LONG - 1)
#define SWP_TYPE_SHIFT		(SWP_BITS_PER_XA_VALUE - MAX_SWAPFILES_SHIFT)
#define SWP_OFFSET_MASK		((1UL << SWP_TYPE_SHIFT) - 1)

/* Store a type+offset into a swp_entry_t in the arch-independent format. */
static inline swp_entry_t swp_entry(unsigned long type, pgoff_t offset)
{
	swp_entry_t ret;

	ret.val = (type << SWP_TYPE_SHIFT) | (offset & SWP_OFFSET_MASK);
	return ret;
}

static inline unsigned swp_type(swp_entry_t entry)
{
	return entry.val >> SWP_TYPE_SHIFT;
}

static inline pgoff_t swp_offset(swp_entry_t entry)
{
	return entry.val & SWP_OFFSET_MASK;
}

#endif /* _SHIM_LINUX_SWAPOPS_H */
