// SPDX-License-Identifier: GPL-2.0-only
/*
 * What simulated processes write into their memory: pages of the page
 * corpus (bench/corpus.h, docs/corpus.md), a pure function of the
 * region's seed, the page's index and how often the process wrote it, so
 * a swap-in can be checked without keeping a copy. Not kernel code: the
 * corpus generator stands in for the process's own stores.
 */
#include <linux/mm.h>

#include "bench/corpus.h"
#include "internal.h"

void vma_fill_page(struct vm_area_struct *vma, unsigned long index, u32 gen, void *dst)
{
	corpus_gen_page(vma->seed, (u64)gen << 32 | index, NULL, dst);
}
