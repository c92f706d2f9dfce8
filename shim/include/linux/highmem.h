/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Temporary kernel mappings of pages (<linux/highmem.h>).
 *
 * The simulated machine has no highmem: every page is in the direct map,
 * so kmap_local_page() returns page_address() and kunmap_local() does
 * nothing, exactly as the kernel without CONFIG_HIGHMEM (which also does
 * not disable migration there). kmap_atomic() disables preemption until
 * kunmap_atomic(), as in the kernel, so sleeping inside is reported.
 */
#ifndef _SHIM_LINUX_HIGHMEM_H
#define _SHIM_LINUX_HIGHMEM_H

#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <string.h>

static inline void *kmap_local_page(struct page *page)
{
	return page_address(page);
}

static inline void *kmap_local_folio(struct folio *folio, size_t offset)
{
	struct page *page = folio_page(folio, offset / PAGE_SIZE);

	return page_address(page) + offset % PAGE_SIZE;
}

static inline void __kunmap_local(const void *addr)
{
	(void)addr;
}

#define kunmap_local(addr) do {						\
	BUILD_BUG_ON(__same_type((addr), struct page *));		\
	__kunmap_local(addr);						\
} while (0)

static inline void *kmap(struct page *page)
{
	might_sleep();
	return page_address(page);
}

static inline void kunmap(struct page *page)
{
	(void)page;
}

static inline void *kmap_atomic(struct page *page)
{
	preempt_disable();
	return page_address(page);
}

static inline void __kunmap_atomic(const void *addr)
{
	(void)addr;
	preempt_enable();
}

#define kunmap_atomic(addr) do {					\
	BUILD_BUG_ON(__same_type((addr), struct page *));		\
	__kunmap_atomic(addr);						\
} while (0)

static inline void memcpy_from_page(char *to, struct page *page, size_t offset, size_t len)
{
	char *from = kmap_local_page(page);

	VM_BUG_ON(offset + len > PAGE_SIZE);
	memcpy(to, from + offset, len);
	kunmap_local(from);
}

static inline void memcpy_to_page(struct page *page, size_t offset, const char *from, size_t len)
{
	char *to = kmap_local_page(page);

	VM_BUG_ON(offset + len > PAGE_SIZE);
	memcpy(to + offset, from, len);
	kunmap_local(to);
}

static inline void memzero_page(struct page *page, size_t offset, size_t len)
{
	char *addr = kmap_local_page(page);

	VM_BUG_ON(offset + len > PAGE_SIZE);
	memset(addr + offset, 0, len);
	kunmap_local(addr);
}

static inline void memcpy_from_folio(char *to, struct folio *folio, size_t offset, size_t len)
{
	VM_BUG_ON(offset + len > folio_size(folio));
	memcpy(to, (char *)folio_address(folio) + offset, len);
}

static inline void memcpy_to_folio(struct folio *folio, size_t offset, const char *from, size_t len)
{
	VM_BUG_ON(offset + len > folio_size(folio));
	memcpy((char *)folio_address(folio) + offset, from, len);
}

static inline void clear_highpage(struct page *page)
{
	memset(kmap_local_page(page), 0, PAGE_SIZE);
}

static inline void copy_highpage(struct page *to, struct page *from)
{
	memcpy(kmap_local_page(to), kmap_local_page(from), PAGE_SIZE);
}

static inline void folio_zero_range(struct folio *folio, size_t start, size_t length)
{
	VM_BUG_ON(start + length > folio_size(folio));
	memset((char *)folio_address(folio) + start, 0, length);
}

#endif /* _SHIM_LINUX_HIGHMEM_H */
