// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cgroup core for one controller (kernel/cgroup/cgroup.c): css
 * creation and removal, reference counting, the RCU-walked hierarchy and
 * the id table.
 *
 * Lifetime, as in the kernel: mkdir links a new css into its parent's
 * children list (under cgroup_mutex and, for the lockless walkers,
 * list_add_tail_rcu()) with its percpu_ref holding the cgroup's reference
 * and a reference on the parent. rmdir kills the ref, waits for the kill to
 * be confirmed (css_tryget_online() fails everywhere from then on), calls
 * ->css_offline() and drops the cgroup's reference. The last css_put()
 * releases the css: it is unlinked and marked CSS_RELEASED, ->css_released()
 * runs, and after a grace period ->css_free() frees it and the parent's
 * reference is dropped, which may release the parent in turn.
 *
 * Differences from the kernel: there is no struct cgroup, kernfs or
 * css_set: a css carries its name, and one controller (the memory
 * controller) uses this core. rmdir takes the css offline before it
 * returns, where the kernel leaves it to a work item, so a test sees a
 * settled state. Release and free run in the context of the last put and
 * in an RCU callback instead of work items, so the children lists are
 * changed under a spinlock (cgroup_tree_lock) besides cgroup_mutex. Ids
 * come from a fixed table of CGROUP_ID_MAX entries; a css keeps its id
 * until it is released (the kernel drops a memcg's id when its last
 * swap-out record goes).
 */
#include <linux/bug.h>
#include <linux/cgroup.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <sim/cgroup.h>
#include <sim/init.h>

#define CGROUP_NAME_MAX	255	/* NAME_MAX of the cgroupfs directory */

DEFINE_MUTEX(cgroup_mutex);

/* Children lists, CSS_RELEASED and the id table; a leaf lock. */
static DEFINE_SPINLOCK(cgroup_tree_lock);
static struct cgroup_subsys_state __rcu *css_idr[CGROUP_ID_MAX];
static u64 css_serial_nr_next;		/* under cgroup_mutex */
/* Released csses whose RCU free has not run yet. */
static atomic_t css_frees_pending;

struct cgroup_subsys_state *css_from_id(int id, struct cgroup_subsys *ss)
{
	struct cgroup_subsys_state *css;

	if (id <= 0 || id >= CGROUP_ID_MAX)
		return NULL;
	css = rcu_dereference(css_idr[id]);
	return css && css->ss == ss ? css : NULL;
}

struct cgroup_subsys_state *css_next_child(struct cgroup_subsys_state *pos,
					   struct cgroup_subsys_state *parent)
{
	struct cgroup_subsys_state *next;

	if (!pos) {
		next = list_entry_rcu(parent->children.next, struct cgroup_subsys_state, sibling);
	} else if (likely(!(READ_ONCE(pos->flags) & CSS_RELEASED))) {
		next = list_entry_rcu(pos->sibling.next, struct cgroup_subsys_state, sibling);
	} else {
		/* @pos left the list: resume after it in creation order. */
		list_for_each_entry_rcu(next, &parent->children, sibling)
			if (next->serial_nr > pos->serial_nr)
				break;
	}
	if (&next->sibling != &parent->children)
		return next;
	return NULL;
}

struct cgroup_subsys_state *css_next_descendant_pre(struct cgroup_subsys_state *pos,
						    struct cgroup_subsys_state *root)
{
	struct cgroup_subsys_state *next;

	if (!pos)
		return root;
	next = css_next_child(NULL, pos);
	if (next)
		return next;
	while (pos != root) {
		next = css_next_child(pos, pos->parent);
		if (next)
			return next;
		pos = pos->parent;
	}
	return NULL;
}

static struct cgroup_subsys_state *css_leftmost_descendant(struct cgroup_subsys_state *pos)
{
	struct cgroup_subsys_state *last;

	do {
		last = pos;
		pos = css_next_child(NULL, pos);
	} while (pos);
	return last;
}

struct cgroup_subsys_state *css_next_descendant_post(struct cgroup_subsys_state *pos,
						     struct cgroup_subsys_state *root)
{
	struct cgroup_subsys_state *next;

	if (!pos)
		return css_leftmost_descendant(root);
	if (pos == root)
		return NULL;
	next = css_next_child(pos, pos->parent);
	if (next)
		return css_leftmost_descendant(next);
	return pos->parent;
}

static void css_free_rcu_fn(struct rcu_head *rcu)
{
	struct cgroup_subsys_state *css = container_of(rcu, struct cgroup_subsys_state, rcu_head);
	struct cgroup_subsys_state *parent = css->parent;

	percpu_ref_exit(&css->refcnt);
	kfree(css->name);
	css->ss->css_free(css);
	css_put(parent);
	atomic_dec(&css_frees_pending);
}

/* percpu_ref release: the last reference is gone (any context). */
static void css_release(struct percpu_ref *ref)
{
	struct cgroup_subsys_state *css = container_of(ref, struct cgroup_subsys_state, refcnt);

	atomic_inc(&css_frees_pending);
	spin_lock(&cgroup_tree_lock);
	WRITE_ONCE(css->flags, css->flags | CSS_RELEASED);
	list_del_rcu(&css->sibling);
	RCU_INIT_POINTER(css_idr[css->id], NULL);
	spin_unlock(&cgroup_tree_lock);
	if (css->ss->css_released)
		css->ss->css_released(css);
	call_rcu(&css->rcu_head, css_free_rcu_fn);
}

static bool cgroup_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	return len && len <= CGROUP_NAME_MAX && !strchr(name, '/') &&
	       strcmp(name, ".") && strcmp(name, "..");
}

/*
 * A child of @parent named @name that is not being removed; it stays so
 * while cgroup_mutex is held. Released children leave the list under
 * cgroup_tree_lock only, hence the RCU walk.
 */
static struct cgroup_subsys_state *find_live_child(struct cgroup_subsys_state *parent,
						   const char *name)
{
	struct cgroup_subsys_state *child, *found = NULL;

	lockdep_assert_held(&cgroup_mutex);
	rcu_read_lock();
	list_for_each_entry_rcu(child, &parent->children, sibling) {
		if (!css_is_dying(child) && !strcmp(child->name, name)) {
			found = child;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

static bool css_has_online_children(struct cgroup_subsys_state *css)
{
	struct cgroup_subsys_state *child;
	bool ret = false;

	rcu_read_lock();
	list_for_each_entry_rcu(child, &css->children, sibling) {
		if (READ_ONCE(child->flags) & CSS_ONLINE) {
			ret = true;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}

static int css_alloc_id(void)
{
	int id;

	/* Ids are taken under cgroup_mutex; releases only free more. */
	for (id = 1; id < CGROUP_ID_MAX; id++)
		if (!rcu_access_pointer(css_idr[id]))
			return id;
	return -ENOSPC;
}

static void css_init_common(struct cgroup_subsys_state *css, struct cgroup_subsys *ss,
			    struct cgroup_subsys_state *parent, int id)
{
	css->ss = ss;
	css->parent = parent;
	css->id = id;
	css->serial_nr = ++css_serial_nr_next;
	INIT_LIST_HEAD(&css->sibling);
	INIT_LIST_HEAD(&css->children);
}

struct cgroup_subsys_state *cgroup_mkdir(struct cgroup_subsys_state *parent,
					 const char *name)
{
	struct cgroup_subsys *ss = parent->ss;
	struct cgroup_subsys_state *css;
	int id, ret;

	if (!cgroup_name_valid(name)) {
		pr_warn("cgroup: invalid name \"%s\"\n", name);
		return ERR_PTR(-EINVAL);
	}
	mutex_lock(&cgroup_mutex);
	ret = -ENOENT;
	if (css_is_dying(parent))
		goto out_unlock;
	ret = -EEXIST;
	if (find_live_child(parent, name))
		goto out_unlock;
	ret = id = css_alloc_id();
	if (id < 0)
		goto out_unlock;

	css = ss->css_alloc(parent);
	ret = PTR_ERR(css);
	if (IS_ERR(css))
		goto out_unlock;
	css_init_common(css, ss, parent, id);
	ret = -ENOMEM;
	css->name = kstrdup(name, GFP_KERNEL);
	if (!css->name)
		goto out_free;
	ret = percpu_ref_init(&css->refcnt, css_release, 0, GFP_KERNEL);
	if (ret)
		goto out_free_name;

	css_get(parent);
	spin_lock(&cgroup_tree_lock);
	rcu_assign_pointer(css_idr[id], css);
	list_add_tail_rcu(&css->sibling, &parent->children);
	spin_unlock(&cgroup_tree_lock);

	ret = ss->css_online(css);
	if (ret)
		goto out_unlink;
	WRITE_ONCE(css->flags, css->flags | CSS_ONLINE | CSS_VISIBLE);
	/* The caller's reference, before a concurrent rmdir can drop ours. */
	css_get(css);
	mutex_unlock(&cgroup_mutex);
	return css;

out_unlink:
	spin_lock(&cgroup_tree_lock);
	list_del_rcu(&css->sibling);
	RCU_INIT_POINTER(css_idr[id], NULL);
	spin_unlock(&cgroup_tree_lock);
	css_put(parent);
	/* Walkers may have seen it; none can have taken a reference we keep. */
	synchronize_rcu();
	percpu_ref_exit(&css->refcnt);
out_free_name:
	kfree(css->name);
out_free:
	ss->css_free(css);
out_unlock:
	mutex_unlock(&cgroup_mutex);
	return ERR_PTR(ret);
}

/* The kill is visible on every CPU: css_tryget_online() fails now. */
static void css_killed_ref_fn(struct percpu_ref *ref)
{
	struct cgroup_subsys_state *css = container_of(ref, struct cgroup_subsys_state, refcnt);

	complete(css->kill_done);
}

int cgroup_rmdir(struct cgroup_subsys_state *css)
{
	DECLARE_COMPLETION_ONSTACK(killed);

	if (css->flags & CSS_NO_REF)
		return -EBUSY;
	mutex_lock(&cgroup_mutex);
	if (css_is_dying(css)) {
		mutex_unlock(&cgroup_mutex);
		return -ENOENT;
	}
	/* cgroup_destroy_locked(): a populated cgroup cannot go. */
	if (css->nr_procs || css_has_online_children(css)) {
		mutex_unlock(&cgroup_mutex);
		return -EBUSY;
	}
	WRITE_ONCE(css->flags, css->flags | CSS_DYING);
	/* Keep it until it is offline, as kill_css() does. */
	css_get(css);
	css->kill_done = &killed;
	percpu_ref_kill_and_confirm(&css->refcnt, css_killed_ref_fn);
	wait_for_completion(&killed);
	css->kill_done = NULL;

	css->ss->css_offline(css);
	WRITE_ONCE(css->flags, css->flags & ~(CSS_ONLINE | CSS_VISIBLE));
	mutex_unlock(&cgroup_mutex);
	css_put(css);
	return 0;
}

int cgroup_attach_proc(struct cgroup_subsys_state *css)
{
	int ret = 0;

	mutex_lock(&cgroup_mutex);
	if (css_is_dying(css))
		ret = -ENOENT;
	else
		css->nr_procs++;
	mutex_unlock(&cgroup_mutex);
	return ret;
}

void cgroup_detach_proc(struct cgroup_subsys_state *css)
{
	mutex_lock(&cgroup_mutex);
	WARN_ON_ONCE(!css->nr_procs);
	css->nr_procs--;
	mutex_unlock(&cgroup_mutex);
}

struct cgroup_subsys_state *cgroup_lookup(struct cgroup_subsys *ss, const char *path)
{
	struct cgroup_subsys_state *css = ss->root;
	char name[CGROUP_NAME_MAX + 1];
	const char *p = path ? path : "";

	mutex_lock(&cgroup_mutex);
	while (*p) {
		size_t len;

		if (*p == '/') {
			p++;
			continue;
		}
		len = strcspn(p, "/");
		if (len > CGROUP_NAME_MAX) {
			mutex_unlock(&cgroup_mutex);
			return ERR_PTR(-EINVAL);
		}
		memcpy(name, p, len);
		name[len] = '\0';
		p += len;
		css = find_live_child(css, name);
		if (!css) {
			mutex_unlock(&cgroup_mutex);
			return ERR_PTR(-ENOENT);
		}
	}
	css_get(css);
	mutex_unlock(&cgroup_mutex);
	return css;
}

int cgroup_init_root(struct cgroup_subsys *ss)
{
	struct cgroup_subsys_state *css;

	/* A wedged machine may have left its state: start from nothing. */
	sim_mutex_forget(&cgroup_mutex);
	sim_spin_lock_forget(&cgroup_tree_lock);
	memset(css_idr, 0, sizeof(css_idr));
	atomic_set(&css_frees_pending, 0);
	css_serial_nr_next = 0;

	css = ss->css_alloc(NULL);
	if (IS_ERR(css))
		return PTR_ERR(css);
	mutex_lock(&cgroup_mutex);
	css_init_common(css, ss, NULL, 1);
	css->flags = CSS_NO_REF;
	css->name = NULL;
	ss->root = css;
	rcu_assign_pointer(css_idr[1], css);
	if (ss->css_online(css)) {
		RCU_INIT_POINTER(css_idr[1], NULL);
		ss->root = NULL;
		mutex_unlock(&cgroup_mutex);
		ss->css_free(css);
		return -ENOMEM;
	}
	css->flags |= CSS_ONLINE | CSS_VISIBLE;
	mutex_unlock(&cgroup_mutex);
	return 0;
}

unsigned long cgroup_exit_root(struct cgroup_subsys *ss)
{
	struct cgroup_subsys_state *root = ss->root, *pos;
	unsigned long alive = 0;

	if (!root)
		return 0;
	/* A free drops the parent's reference, which may queue another. */
	while (atomic_read(&css_frees_pending))
		rcu_barrier();

	rcu_read_lock();
	css_for_each_descendant_pre(pos, root) {
		if (pos == root)
			continue;
		pr_err("cgroup: %s (id %d) still referenced at shutdown (%s)\n",
		       pos->name, pos->id, css_is_dying(pos) ? "zombie" : "online");
		alive++;
	}
	rcu_read_unlock();
	if (alive)
		return alive;	/* leaked, with everything they pin */

	mutex_lock(&cgroup_mutex);
	root->flags &= ~(CSS_ONLINE | CSS_VISIBLE);
	ss->css_offline(root);
	RCU_INIT_POINTER(css_idr[1], NULL);
	ss->root = NULL;
	mutex_unlock(&cgroup_mutex);
	synchronize_rcu();
	ss->css_free(root);
	return 0;
}
