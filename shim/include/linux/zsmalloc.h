/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zsmalloc memory allocator (<linux/zsmalloc.h>, src/zsmalloc/zsmalloc.c).
 *
 * The 7.0 API: handles are opaque unsigned longs that zs_malloc() returns
 * (or an ERR_PTR cast to unsigned long); objects are reached only through
 * zs_obj_read_begin()/zs_obj_read_end(), the scatterlist form and
 * zs_obj_write(). See docs/zsmalloc.md.
 *
 * Simulator addition: a pool is created with one of two designs for
 * keeping a zspage alive between zs_free() and page migration
 * (zs_create_pool_design()); zs_create_pool() takes the one named by the
 * module parameter zsmalloc.free_design ("deferred", the default and
 * mainline's, or "rcu").
 */
#ifndef _SHIM_LINUX_ZSMALLOC_H
#define _SHIM_LINUX_ZSMALLOC_H

#include <linux/types.h>

struct scatterlist;

struct zs_pool_stats {
	/* How many pages were migrated (freed) */
	atomic_long_t pages_compacted;
};

struct zs_pool;

/* Simulator addition: how freed zspages are kept safe from migration. */
enum zs_free_design {
	ZS_FREE_DEFERRED,	/* trylock every page, else defer to a worker */
	ZS_FREE_RCU,		/* RCU-published zspage, call_rcu() free */
};

struct zs_pool *zs_create_pool(const char *name);
struct zs_pool *zs_create_pool_design(const char *name, enum zs_free_design design);
void zs_destroy_pool(struct zs_pool *pool);

unsigned long zs_malloc(struct zs_pool *pool, size_t size, gfp_t flags, const int nid);
void zs_free(struct zs_pool *pool, unsigned long obj);

size_t zs_huge_class_size(struct zs_pool *pool);

unsigned long zs_get_total_pages(struct zs_pool *pool);
unsigned long zs_compact(struct zs_pool *pool);

unsigned int zs_lookup_class_index(struct zs_pool *pool, unsigned int size);

void zs_pool_stats(struct zs_pool *pool, struct zs_pool_stats *stats);

void *zs_obj_read_begin(struct zs_pool *pool, unsigned long handle, size_t mem_len,
			void *local_copy);
void zs_obj_read_end(struct zs_pool *pool, unsigned long handle, size_t mem_len,
		     void *handle_mem);
void zs_obj_read_sg_begin(struct zs_pool *pool, unsigned long handle,
			  struct scatterlist *sg, size_t mem_len);
void zs_obj_read_sg_end(struct zs_pool *pool, unsigned long handle);
void zs_obj_write(struct zs_pool *pool, unsigned long handle, void *handle_mem,
		  size_t mem_len);

extern const struct movable_operations zsmalloc_mops;

#endif /* _SHIM_LINUX_ZSMALLOC_H */
