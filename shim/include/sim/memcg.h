/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Making, finding and removing memory cgroups, and their files, from a
 * simulated task (shim/mm/memcontrol.c): what mkdir, rmdir, open and
 * read/write in /sys/fs/cgroup do. Not kernel APIs. The test's thread uses
 * the zsim_memcg_*() wrappers in <zswapsim.h>, which run these in a task.
 */
#ifndef _SHIM_SIM_MEMCG_H
#define _SHIM_SIM_MEMCG_H

#include <linux/memcontrol.h>
#include <linux/types.h>

/*
 * mkdir @name under @parent (NULL: the root). Returns the new memcg with a
 * reference the caller must drop with mem_cgroup_put(), or an ERR_PTR (see
 * cgroup_mkdir() in <sim/cgroup.h>).
 */
struct mem_cgroup *mem_cgroup_create(struct mem_cgroup *parent, const char *name);
/* rmdir: offline now, freed when its last reference goes. */
int mem_cgroup_remove(struct mem_cgroup *memcg);
/* The live memcg at @path ("/" is the root) with a reference, or an ERR_PTR. */
struct mem_cgroup *mem_cgroup_lookup(const char *path);

/*
 * Read the cgroup file @file of @memcg into @buf as the kernel formats it
 * (with the trailing newline, NUL-terminated); statistics are flushed
 * first, so they include every update. Returns the length,
 * -ENOENT for a file that does not exist (or not on the root),
 * -EOVERFLOW if @len is too small.
 */
int mem_cgroup_file_read(struct mem_cgroup *memcg, const char *file, char *buf, size_t len);
/*
 * Flush @memcg's subtree (NULL: everything) whatever the update count:
 * it stands in for the kernel's periodic flush, which the shim does not
 * have. mem_cgroup_file_read() calls it for files showing statistics.
 */
void mem_cgroup_flush_stats_now(struct mem_cgroup *memcg);
/*
 * Write @val to @file, parsed as the kernel does (surrounding white space
 * ignored): 0, -ENOENT, -EACCES for a read-only file, -EINVAL for a value
 * the file does not take (with a message).
 */
int mem_cgroup_file_write(struct mem_cgroup *memcg, const char *file, const char *val);

#endif /* _SHIM_SIM_MEMCG_H */
