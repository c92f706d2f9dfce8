/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sealed wrappers around third-party code. The shim calls only these;
 * nothing in here is a scheduling point.
 */
#ifndef _SHIM_SEALED_H
#define _SHIM_SEALED_H

#include <stddef.h>
#include <stdio.h>

/* liburcu, memb flavor (free-running backend RCU). */
void zsim_urcu_register_thread(void);
void zsim_urcu_unregister_thread(void);
void zsim_urcu_read_lock(void);
void zsim_urcu_read_unlock(void);
int zsim_urcu_read_ongoing(void);
void zsim_urcu_synchronize(void);

/* Backtraces. */
int zsim_backtrace(void **buf, int size);
/* Longest frame line zsim_backtrace_lines() passes on, with the NUL. */
#define ZSIM_FRAME_LINE_MAX	160
void zsim_backtrace_lines(void *const *buf, int depth,
			  void (*line)(void *arg, const char *text), void *arg);

/*
 * Object memory for the slab and page allocators: jemalloc with one arena
 * per simulated NUMA node, or libc malloc in sanitizer builds (so ASan sees
 * every object).
 */
int zsim_mem_init(unsigned int nr_nodes);
void *zsim_mem_alloc(size_t size, size_t align, int node, int zero);
void zsim_mem_free(void *ptr);
size_t zsim_mem_usable_size(void *ptr);

#endif /* _SHIM_SEALED_H */
