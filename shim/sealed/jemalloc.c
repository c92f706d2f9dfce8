// SPDX-License-Identifier: GPL-2.0-only
/*
 * Object memory for the slab layer (shim/mm/slab.c), behind plain
 * functions. Compiled without the shim's include path and without
 * scheduling points.
 *
 * Normal builds: jemalloc, one arena per simulated NUMA node, so objects of
 * different nodes come from different arenas as from different nodes'
 * pages. The thread cache is bypassed (MALLOCX_TCACHE_NONE): a tcache bin
 * mixes regions of every arena, which would break the per-node placement.
 *
 * Sanitizer builds: libc posix_memalign()/free(), which ASan intercepts, so
 * every object has its own ASan chunk of exactly the requested size and a
 * use-after-free or overflow of a slab object is reported by ASan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zsim_config.h"
#include "../include/sim/sealed.h"

#if ZSIM_HAVE_JEMALLOC
#include <strings.h>
#include <jemalloc/jemalloc.h>

/* Arenas outlive machines: jemalloc cannot cheaply destroy a used arena. */
#define ZSIM_MEM_MAX_NODES	64
static unsigned int node_arena[ZSIM_MEM_MAX_NODES];
static unsigned int nr_arenas;
static unsigned int nr_mem_nodes = 1;

int zsim_mem_init(unsigned int nr_nodes)
{
	if (nr_nodes < 1 || nr_nodes > ZSIM_MEM_MAX_NODES)
		return -EINVAL;
	while (nr_arenas < nr_nodes) {
		unsigned int idx;
		size_t sz = sizeof(idx);

		if (mallctl("arenas.create", &idx, &sz, NULL, 0))
			return -ENOMEM;
		node_arena[nr_arenas++] = idx;
	}
	nr_mem_nodes = nr_nodes;
	return 0;
}

void *zsim_mem_alloc(size_t size, size_t align, int node, int zero)
{
	int flags = MALLOCX_TCACHE_NONE;

	if (node < 0 || (unsigned int)node >= nr_mem_nodes)
		node = 0;
	if (node < (int)nr_arenas)
		flags |= MALLOCX_ARENA(node_arena[node]);
	if (align > 1)
		flags |= MALLOCX_ALIGN(align);
	if (zero)
		flags |= MALLOCX_ZERO;
	return mallocx(size ? size : 1, flags);
}

void zsim_mem_free(void *ptr)
{
	if (ptr)
		dallocx(ptr, MALLOCX_TCACHE_NONE);
}

size_t zsim_mem_usable_size(void *ptr)
{
	return ptr ? sallocx(ptr, 0) : 0;
}

#else /* !ZSIM_HAVE_JEMALLOC */
#include <malloc.h>

int zsim_mem_init(unsigned int nr_nodes)
{
	return nr_nodes >= 1 ? 0 : -EINVAL;
}

void *zsim_mem_alloc(size_t size, size_t align, int node, int zero)
{
	void *p = NULL;

	(void)node;
	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size ? size : 1))
		return NULL;
	if (zero)
		memset(p, 0, size);
	return p;
}

void zsim_mem_free(void *ptr)
{
	free(ptr);
}

size_t zsim_mem_usable_size(void *ptr)
{
	return ptr ? malloc_usable_size(ptr) : 0;
}
#endif /* ZSIM_HAVE_JEMALLOC */
