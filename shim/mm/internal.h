/* SPDX-License-Identifier: GPL-2.0-only */
/* What the shim's mm files share (the kernel's mm/internal.h, in small). */
#ifndef _SHIM_MM_INTERNAL_H
#define _SHIM_MM_INTERNAL_H

#include <linux/mm_types.h>

/* Free a block whose reference count already dropped to zero. */
void free_frozen_pages(struct page *page, unsigned int order);
/* Reset the hashed folio-lock wait queues (filemap.c) for a new machine. */
void folio_wait_table_init(void);
/* Report a bad page (the kernel's bad_page()). */
void bad_page(struct page *page, const char *reason);

#endif /* _SHIM_MM_INTERNAL_H */
