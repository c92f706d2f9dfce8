// SPDX-License-Identifier: GPL-2.0-only
/*
 * What simulated processes write into their memory: pages of the page
 * corpus (bench/corpus.h, docs/corpus.md), a pure function of the
 * region's seed, the page's index and how often the process wrote it, so
 * a swap-in can be checked without keeping a copy. Not kernel code: the
 * corpus generator stands in for the process's own stores.
 *
 * zsim_vm_use_pages() replaces the generator with pages the caller holds
 * (a corpus loaded from files): page (gen << 32 | index) of a region then
 * is page (seed + index + gen * stride) % nr of them, the stride chosen so
 * that a rewrite changes the page whenever there are two or more.
 */
#include <linux/mm.h>
#include <linux/string.h>
#include <zswapsim.h>

#include "bench/corpus.h"
#include "internal.h"

static const unsigned char *vm_pages;
static unsigned long vm_nr_pages;

int zsim_vm_use_pages(const void *pages, unsigned long nr_pages)
{
	if (zsim_machine_running())
		return -EBUSY;
	if (pages && !nr_pages)
		return -EINVAL;
	vm_pages = pages;
	vm_nr_pages = pages ? nr_pages : 0;
	return 0;
}

void vma_fill_page(struct vm_area_struct *vma, unsigned long index, u32 gen, void *dst)
{
	unsigned long n = vm_nr_pages, i;

	if (!vm_pages) {
		corpus_gen_page(vma->seed, (u64)gen << 32 | index, NULL, dst);
		return;
	}
	i = (unsigned long)((vma->seed + index + (u64)gen * (n / 2 + 1)) % n);
	memcpy(dst, vm_pages + i * PAGE_SIZE, PAGE_SIZE);
}
