/* SPDX-License-Identifier: GPL-2.0-only */
/* Poison values written over freed or uninitialised memory (<linux/poison.h>). */
#ifndef _SHIM_LINUX_POISON_H
#define _SHIM_LINUX_POISON_H

#ifndef LIST_POISON1
#define LIST_POISON1	((void *)0x100 + 0xdead000000000000UL)
#define LIST_POISON2	((void *)0x122 + 0xdead000000000000UL)
#endif

/* Freed pages are filled with this (CONFIG_PAGE_POISONING). */
#define PAGE_POISON	0xaa

/* Slab objects (SLAB_POISON): allocated, freed, and the last byte of a freed one. */
#define POISON_INUSE	0x5a
#define POISON_FREE	0x6b
#define POISON_END	0xa5

/* Uninitialised slab red zones. */
#define SLUB_RED_INACTIVE	0xbb
#define SLUB_RED_ACTIVE		0xcc

#endif /* _SHIM_LINUX_POISON_H */
