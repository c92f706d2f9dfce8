/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page size and the memory model (<asm/page.h>, <asm-generic/getorder.h>,
 * <asm-generic/memory_model.h>).
 *
 * The simulated machine's RAM is one host mapping made by page_alloc_init()
 * (shim/mm/page_alloc.c): FLATMEM with mem_map[] indexed from
 * ARCH_PFN_OFFSET, a non-zero first PFN, so PFN 0 is never valid. The
 * "direct map" is that mapping: __va()/__pa() translate between a host
 * address inside it and a simulated physical address.
 *
 * Difference: only simulated RAM is in the direct map. kmalloc()ed and
 * vmalloc()ed memory lives in host memory (jemalloc), so virt_to_page() of
 * such an address is a bug here (reported by BUG_ON) where the kernel would
 * give the slab page; virt_addr_valid() tells the two apart.
 */
#ifndef _SHIM_ASM_PAGE_H
#define _SHIM_ASM_PAGE_H

#include <linux/bug.h>
#include <linux/types.h>

#undef PAGE_SHIFT
#undef PAGE_SIZE
#undef PAGE_MASK
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))

#define PFN_ALIGN(x)		(((unsigned long)(x) + (PAGE_SIZE - 1)) & PAGE_MASK)
#define PFN_UP(x)		(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)		((x) >> PAGE_SHIFT)
#define PFN_PHYS(x)		((phys_addr_t)(x) << PAGE_SHIFT)
#define PHYS_PFN(x)		((unsigned long)((x) >> PAGE_SHIFT))

/* Order of the smallest power-of-two number of pages holding @size bytes. */
static inline int get_order(unsigned long size)
{
	size--;
	size >>= PAGE_SHIFT;
	return size ? 64 - __builtin_clzl(size) : 0;
}

struct page;

/* Set up by page_alloc_init(); valid while a machine runs. */
extern struct page *mem_map;
extern unsigned long max_mapnr;
extern unsigned long zsim_pfn_offset;
extern char *zsim_ram_base;

#define ARCH_PFN_OFFSET		(zsim_pfn_offset)

#define pfn_to_page(pfn)	(mem_map + ((unsigned long)(pfn) - ARCH_PFN_OFFSET))
#define page_to_pfn(page)	((unsigned long)((page) - mem_map) + ARCH_PFN_OFFSET)

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn >= ARCH_PFN_OFFSET && pfn - ARCH_PFN_OFFSET < max_mapnr;
}

static inline bool virt_addr_valid(const volatile void *kaddr)
{
	unsigned long a = (unsigned long)kaddr, base = (unsigned long)zsim_ram_base;

	return zsim_ram_base && a >= base && a - base < (max_mapnr << PAGE_SHIFT);
}

static inline phys_addr_t __pa_checked(const volatile void *kaddr)
{
	BUG_ON(!virt_addr_valid(kaddr));
	return ((unsigned long)kaddr - (unsigned long)zsim_ram_base) + PFN_PHYS(ARCH_PFN_OFFSET);
}

#define __pa(x)			__pa_checked((const volatile void *)(x))
#define __va(x)			((void *)(zsim_ram_base + ((phys_addr_t)(x) - PFN_PHYS(ARCH_PFN_OFFSET))))
#define virt_to_phys(x)		__pa(x)
#define phys_to_virt(x)		__va(x)
#define virt_to_pfn(kaddr)	PHYS_PFN(__pa(kaddr))
#define pfn_to_virt(pfn)	__va(PFN_PHYS(pfn))
#define pfn_to_kaddr(pfn)	pfn_to_virt(pfn)
#define virt_to_page(kaddr)	pfn_to_page(virt_to_pfn(kaddr))
#define page_to_virt(page)	((void *)(zsim_ram_base + ((unsigned long)((page) - mem_map) << PAGE_SHIFT)))
#define page_to_phys(page)	PFN_PHYS(page_to_pfn(page))

#endif /* _SHIM_ASM_PAGE_H */
