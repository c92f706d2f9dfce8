/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulator's side of the cgroup core (shim/kernel/cgroup/cgroup.c):
 * what mkdir, rmdir and path lookup in cgroupfs do, for simulated tasks.
 * Not kernel APIs; <zswapsim.h> wraps the memory controller's use of them
 * for the test's thread (zsim_memcg_create() and friends), and <sim/memcg.h>
 * gives them memcg types.
 */
#ifndef _SHIM_SIM_CGROUP_H
#define _SHIM_SIM_CGROUP_H

#include <linux/cgroup.h>

/* Boot: allocate and online @ss's root css (CSS_NO_REF). */
int cgroup_init_root(struct cgroup_subsys *ss);
/*
 * Shutdown: wait for the frees in flight, then take the root offline and
 * free it. Returns the number of cgroups still alive (each leaked, with a
 * message): a test that leaks a reference leaves a zombie behind.
 */
unsigned long cgroup_exit_root(struct cgroup_subsys *ss);

/*
 * mkdir @name under @parent: -EINVAL for a bad name ("", ".", "..", a '/',
 * longer than NAME_MAX), -EEXIST if a live sibling has it, -ENOENT if
 * @parent is being removed, -ENOSPC without free ids, -ENOMEM. The new css
 * holds its cgroup's own reference, which cgroup_rmdir() drops, and one for
 * the caller (css_put() it).
 */
struct cgroup_subsys_state *cgroup_mkdir(struct cgroup_subsys_state *parent,
					 const char *name);
/*
 * rmdir: -EBUSY if a child is still online, if a process is in it (as the
 * kernel's for a populated cgroup) or for the root (the mount point),
 * -ENOENT if already removed. Kills the css ref, waits until every CPU sees it
 * dead, takes the css offline and drops the cgroup's reference; the css
 * stays a zombie while other references remain.
 */
int cgroup_rmdir(struct cgroup_subsys_state *css);

/*
 * The live (not removed) cgroup at @path ("/", "" or NULL for the root,
 * "/a/b" or "a/b" below it), with a reference; ERR_PTR(-ENOENT) if there
 * is none, ERR_PTR(-EINVAL) for a malformed path.
 */
struct cgroup_subsys_state *cgroup_lookup(struct cgroup_subsys *ss, const char *path);

/*
 * A simulated process joins or leaves @css: the kernel's task migration
 * (a pid written to cgroup.procs, the css_set switched) and cgroup_exit()
 * at its end, counted only. Joining a removed cgroup is -ENOENT (the
 * kernel's write to a removed cgroup.procs fails too). The caller holds a
 * reference to @css for as long as the process is in it.
 */
int cgroup_attach_proc(struct cgroup_subsys_state *css);
void cgroup_detach_proc(struct cgroup_subsys_state *css);

#endif /* _SHIM_SIM_CGROUP_H */
