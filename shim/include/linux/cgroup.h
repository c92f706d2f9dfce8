/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cgroup subsystem states (<linux/cgroup-defs.h>, <linux/cgroup.h>): the
 * part of the cgroup core that the memory controller needs. The shim has
 * one controller (memory, on the default hierarchy, i.e. cgroup v2), so a
 * css is a cgroup: it carries the name, the parent link and the children
 * list that the kernel keeps in struct cgroup.
 *
 * Reference counting as in the kernel: a percpu_ref that starts in per-CPU
 * mode holding the cgroup's own reference. Removing the cgroup kills the
 * ref (css_tryget_online() fails from then on), takes the css offline and
 * drops that reference; the css stays, a zombie, until its last reference
 * goes, then it is unlinked from its parent and freed after a grace
 * period. The root css is CSS_NO_REF: its gets and puts are no-ops.
 */
#ifndef _SHIM_LINUX_CGROUP_H
#define _SHIM_LINUX_CGROUP_H

#include <linux/list.h>
#include <linux/percpu-refcount.h>
#include <linux/rculist.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct completion;
struct cgroup_subsys;
struct mutex;

/* css->flags, the kernel's bits. */
enum {
	CSS_NO_REF	= (1 << 0),	/* no reference counting (root) */
	CSS_ONLINE	= (1 << 1),	/* between ->css_online() and ->css_offline() */
	CSS_RELEASED	= (1 << 2),	/* refcnt reached zero, released */
	CSS_VISIBLE	= (1 << 3),	/* its files are visible */
	CSS_DYING	= (1 << 4),	/* css is dying */
};

struct cgroup_subsys_state {
	struct percpu_ref refcnt;

	/* Siblings on parent->children, under RCU; children of this css. */
	struct list_head sibling;
	struct list_head children;

	int id;			/* unique among live csses, from 1 (the root's); 0 is none */
	unsigned int flags;

	/* Increasing creation order, for css_next_child() after a release. */
	u64 serial_nr;

	/* The cgroup's name (a directory name), "" for the root. */
	char *name;

	struct cgroup_subsys_state *parent;
	struct cgroup_subsys *ss;

	/*
	 * Simulated processes in the cgroup, under cgroup_mutex: the
	 * kernel's populated count of tasks in its css_sets, for the one
	 * controller (no descendants: rmdir refuses a parent of a live child
	 * anyway).
	 */
	unsigned int nr_procs;

	/* Offline waits for the kill to be confirmed on every CPU. */
	struct completion *kill_done;
	struct rcu_head rcu_head;
};

static inline void css_get(struct cgroup_subsys_state *css)
{
	if (!(css->flags & CSS_NO_REF))
		percpu_ref_get(&css->refcnt);
}

static inline void css_get_many(struct cgroup_subsys_state *css, unsigned int n)
{
	if (!(css->flags & CSS_NO_REF))
		percpu_ref_get_many(&css->refcnt, n);
}

/* A reference unless the css was released: zombies (offline) still succeed. */
static inline bool css_tryget(struct cgroup_subsys_state *css)
{
	if (!(css->flags & CSS_NO_REF))
		return percpu_ref_tryget(&css->refcnt);
	return true;
}

/* A reference unless the css is being removed (killed) or gone. */
static inline bool css_tryget_online(struct cgroup_subsys_state *css)
{
	if (!(css->flags & CSS_NO_REF))
		return percpu_ref_tryget_live(&css->refcnt);
	return true;
}

/* True once the cgroup's removal began (its css ref was killed). */
static inline bool css_is_dying(struct cgroup_subsys_state *css)
{
	return !(css->flags & CSS_NO_REF) && percpu_ref_is_dying(&css->refcnt);
}

static inline void css_put(struct cgroup_subsys_state *css)
{
	if (!(css->flags & CSS_NO_REF))
		percpu_ref_put(&css->refcnt);
}

static inline void css_put_many(struct cgroup_subsys_state *css, unsigned int n)
{
	if (!(css->flags & CSS_NO_REF))
		percpu_ref_put_many(&css->refcnt, n);
}

/*
 * Pre-order walk of @root's subtree, @root first; call under
 * rcu_read_lock(). @pos may have been removed meanwhile: the walk goes on
 * from the first sibling created after it, as the kernel does.
 */
struct cgroup_subsys_state *css_next_child(struct cgroup_subsys_state *pos,
					   struct cgroup_subsys_state *parent);
struct cgroup_subsys_state *css_next_descendant_pre(struct cgroup_subsys_state *pos,
						    struct cgroup_subsys_state *root);
struct cgroup_subsys_state *css_next_descendant_post(struct cgroup_subsys_state *pos,
						     struct cgroup_subsys_state *root);

/*
 * A controller's callbacks, as struct cgroup_subsys: css_alloc() makes the
 * css of a new cgroup under @parent_css (NULL for the root) or returns an
 * ERR_PTR; css_online() runs once it is linked (a failure undoes the
 * mkdir); css_offline() when its removal has killed the css ref;
 * css_released() when the last reference is gone (atomic context);
 * css_free() after an RCU grace period (atomic context too: it runs as an
 * RCU callback, where the kernel uses a work item).
 */
struct cgroup_subsys {
	struct cgroup_subsys_state *(*css_alloc)(struct cgroup_subsys_state *parent_css);
	int (*css_online)(struct cgroup_subsys_state *css);
	void (*css_offline)(struct cgroup_subsys_state *css);
	void (*css_released)(struct cgroup_subsys_state *css);
	void (*css_free)(struct cgroup_subsys_state *css);
	const char *name;
	struct cgroup_subsys_state *root;	/* set by cgroup_init_root() */
};

/* Highest css id + 1; ids are reused once a css is freed. */
#define CGROUP_ID_MAX	4096

/* Held across mkdir, rmdir and offline, as in the kernel. */
extern struct mutex cgroup_mutex;

/* The css with @id while it exists (zombies too), under RCU; or NULL. */
struct cgroup_subsys_state *css_from_id(int id, struct cgroup_subsys *ss);

#define css_for_each_descendant_pre(pos, css)				\
	for ((pos) = css_next_descendant_pre(NULL, (css)); (pos);	\
	     (pos) = css_next_descendant_pre((pos), (css)))

#define css_for_each_descendant_post(pos, css)				\
	for ((pos) = css_next_descendant_post(NULL, (css)); (pos);	\
	     (pos) = css_next_descendant_post((pos), (css)))

#endif /* _SHIM_LINUX_CGROUP_H */
