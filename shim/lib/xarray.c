// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XArray (lib/xarray.c): a radix trie of 64-slot nodes.
 *
 * The trie has the kernel's shape. The head of the array is NULL, the entry
 * of index 0, or the root node; a node of shift S holds in slot i the
 * entries (shift 0) or child nodes (shift > 0) for the indices whose bits
 * S..S+5 are i. The root is only as tall as the largest index needs: a
 * store beyond it adds roots on top (xas_expand()), and an erase that leaves
 * a root with nothing but slot 0 takes it away again (xas_shrink()), down
 * to a direct entry at index 0.
 *
 * Readers walk under rcu_read_lock() with rcu_dereference() of the head
 * and every slot. Writers hold xa_lock, publish a new node with
 * rcu_assign_pointer() only once it is initialised, and free an unlinked
 * node with call_rcu(), so a reader can always finish its walk. A reader
 * that ends up in a node taken out by xas_shrink() or xa_destroy() finds
 * XA_RETRY_ENTRY there and starts again from the head, as in the kernel.
 *
 * Memory. The kernel's xas_store() allocates nodes one at a time while it
 * builds the path (GFP_NOWAIT under the lock, then __xas_nomem() drops the
 * lock to allocate with the caller's gfp and the store is retried), and a
 * failure can leave empty nodes behind. Here xas_create() first counts the
 * nodes the store needs (xas_nodes_needed()) and has them all in the
 * operation's pool before it changes anything: the pool is topped up with
 * GFP_NOWAIT under the lock, and if that fails __xas_nomem() allocates the
 * rest with the caller's gfp (dropping the lock when the gfp may sleep) and
 * the operation starts again. A store that still gets no memory returns
 * xa_err(-ENOMEM) with the array exactly as it was. Unused pool nodes are
 * freed at once: readers never saw them.
 */
#define KBUILD_MODNAME "xarray"

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/xarray.h>

struct kmem_cache *radix_tree_node_cachep;

/* node->array of a node that left the trie and waits for its grace period. */
#define XA_RCU_FREE	((struct xarray *)1)

#define XA_NODE_BUG_ON(node, cond)	BUG_ON(cond)

/*
 * The state of one operation: the kernel's struct xa_state without
 * multi-index entries and marks, plus a pool of preallocated nodes. Not
 * exported: the shim has no advanced (xas_*) API.
 *
 * xa_node is NULL when the walk stopped at the head, a node, or one of
 * XAS_RESTART (not walked yet), XAS_BOUNDS (the index is beyond the trie)
 * or an XA_ERROR().
 */
struct xa_state {
	struct xarray	*xa;
	unsigned long	xa_index;
	unsigned char	xa_offset;
	struct xa_node	*xa_node;
	struct xa_node	*xa_alloc;	/* the pool, chained through ->parent */
	unsigned int	xa_nr_alloc;
	unsigned int	xa_need;	/* nodes the failed store lacked */
};

#define XAS_BOUNDS	((struct xa_node *)1UL)
#define XAS_RESTART	((struct xa_node *)3UL)

#define XA_STATE(name, array, index)				\
	struct xa_state name = {				\
		.xa = array,					\
		.xa_index = index,				\
		.xa_node = XAS_RESTART,				\
	}

static inline int xas_error(const struct xa_state *xas)
{
	return xa_err(xas->xa_node);
}

static inline void xas_set_err(struct xa_state *xas, long err)
{
	xas->xa_node = XA_ERROR(err);
}

/* Not walked to an entry: restart, bounds or error. */
static inline bool xas_invalid(const struct xa_state *xas)
{
	return (unsigned long)xas->xa_node & 3;
}

static inline void xas_reset(struct xa_state *xas)
{
	xas->xa_node = XAS_RESTART;
}

static inline unsigned int xa_lock_type(const struct xarray *xa)
{
	return (__force unsigned int)xa->xa_flags & 3;
}

static inline bool xa_track_free(const struct xarray *xa)
{
	return xa->xa_flags & XA_FLAGS_TRACK_FREE;
}

static inline void *xa_zero_to_null(void *entry)
{
	return xa_is_zero(entry) ? NULL : entry;
}

/*
 * Slot and head accessors. Readers hold rcu_read_lock(), writers xa_lock;
 * the RCU test comes first because it is the cheap one on a reader's path.
 */
#define xa_rcu_or_locked(xa) \
	(rcu_read_lock_held() || lockdep_is_held(&(xa)->xa_lock))

static inline void *xa_head(const struct xarray *xa)
{
	return rcu_dereference_check(xa->xa_head, xa_rcu_or_locked(xa));
}

static inline void *xa_head_locked(const struct xarray *xa)
{
	return rcu_dereference_protected(xa->xa_head, lockdep_is_held(&xa->xa_lock));
}

static inline void *xa_entry(const struct xarray *xa, const struct xa_node *node,
			     unsigned int offset)
{
	return rcu_dereference_check(node->slots[offset], xa_rcu_or_locked(xa));
}

static inline void *xa_entry_locked(const struct xarray *xa,
				    const struct xa_node *node, unsigned int offset)
{
	return rcu_dereference_protected(node->slots[offset],
					 lockdep_is_held(&xa->xa_lock));
}

static inline struct xa_node *xa_parent(const struct xarray *xa,
					const struct xa_node *node)
{
	return rcu_dereference_check(node->parent, xa_rcu_or_locked(xa));
}

static inline struct xa_node *xa_parent_locked(const struct xarray *xa,
					       const struct xa_node *node)
{
	return rcu_dereference_protected(node->parent, lockdep_is_held(&xa->xa_lock));
}

static inline unsigned int get_offset(unsigned long index, const struct xa_node *node)
{
	return (index >> node->shift) & XA_CHUNK_MASK;
}

/* The largest index the trie under @entry can hold without growing. */
static unsigned long max_index(const void *entry)
{
	if (!xa_is_node(entry))
		return 0;
	/* Wraps to ULONG_MAX for the tallest root (shift 60), as intended. */
	return (XA_CHUNK_SIZE << xa_to_node(entry)->shift) - 1;
}

/* The shift of the smallest root that holds @index. */
static unsigned int xa_root_shift(unsigned long index)
{
	unsigned int shift = 0;

	while ((index >> shift) > XA_CHUNK_MASK)
		shift += XA_CHUNK_SHIFT;
	return shift;
}

/* ---- walking down ---- */

static void *set_bounds(struct xa_state *xas)
{
	xas->xa_node = XAS_BOUNDS;
	return NULL;
}

/* Read the head; NULL (and XAS_BOUNDS) if the index is beyond the trie. */
static void *xas_start(struct xa_state *xas)
{
	void *entry = xa_head(xas->xa);

	if (!xa_is_node(entry)) {
		if (xas->xa_index)
			return set_bounds(xas);
	} else if ((xas->xa_index >> xa_to_node(entry)->shift) > XA_CHUNK_MASK) {
		return set_bounds(xas);
	}
	xas->xa_node = NULL;
	return entry;
}

static void *xas_descend(struct xa_state *xas, struct xa_node *node)
{
	unsigned int offset = get_offset(xas->xa_index, node);

	xas->xa_node = node;
	xas->xa_offset = offset;
	return xa_entry(xas->xa, node, offset);
}

/*
 * The entry at xas->xa_index, walking from the head; leaves xa_node at the
 * leaf (or NULL for the head). May return XA_RETRY_ENTRY to a lockless
 * reader and XA_ZERO_ENTRY for a reserved index.
 */
static void *xas_load(struct xa_state *xas)
{
	void *entry;

	if (xas_error(xas))
		return NULL;
	entry = xas_start(xas);
	while (xa_is_node(entry))
		entry = xas_descend(xas, xa_to_node(entry));
	return entry;
}

/* Should the caller look again? Zero entries are skipped, retries redone. */
static bool xas_retry(struct xa_state *xas, const void *entry)
{
	if (xa_is_zero(entry))
		return true;
	if (!xa_is_retry(entry))
		return false;
	xas_reset(xas);
	return true;
}

/* ---- node memory ---- */

static void radix_tree_node_ctor(void *arg)
{
	struct xa_node *node = arg;

	memset(node, 0, sizeof(*node));
	INIT_LIST_HEAD(&node->private_list);
}

/*
 * The shim's slab runs the constructor on every allocation and poisons on
 * free, so, unlike the kernel's callback, this need not clear the slots.
 */
static void radix_tree_node_rcu_free(struct rcu_head *head)
{
	struct xa_node *node = container_of(head, struct xa_node, rcu_head);

	kmem_cache_free(radix_tree_node_cachep, node);
}

static void xa_node_free(struct xa_node *node)
{
	node->array = XA_RCU_FREE;
	call_rcu(&node->rcu_head, radix_tree_node_rcu_free);
}

static gfp_t xa_node_gfp(const struct xarray *xa, gfp_t gfp)
{
	if (xa->xa_flags & XA_FLAGS_ACCOUNT)
		gfp |= __GFP_ACCOUNT;
	return gfp;
}

/* Grow the pool to @nr nodes; false if an allocation failed. */
static bool xas_fill(struct xa_state *xas, unsigned int nr, gfp_t gfp)
{
	gfp = xa_node_gfp(xas->xa, gfp);
	while (xas->xa_nr_alloc < nr) {
		struct xa_node *node = kmem_cache_alloc(radix_tree_node_cachep, gfp);

		if (!node)
			return false;
		XA_NODE_BUG_ON(node, !list_empty(&node->private_list));
		RCU_INIT_POINTER(node->parent, xas->xa_alloc);
		xas->xa_alloc = node;
		xas->xa_nr_alloc++;
	}
	return true;
}

/* Free the pool: nobody but this operation ever saw these nodes. */
static void xas_destroy(struct xa_state *xas)
{
	struct xa_node *node;

	while ((node = xas->xa_alloc)) {
		xas->xa_alloc = rcu_dereference_raw(node->parent);
		kmem_cache_free(radix_tree_node_cachep, node);
	}
	xas->xa_nr_alloc = 0;
}

static void xas_lock_type(struct xa_state *xas, unsigned int lock_type)
{
	if (lock_type == XA_LOCK_IRQ)
		xa_lock_irq(xas->xa);
	else if (lock_type == XA_LOCK_BH)
		xa_lock_bh(xas->xa);
	else
		xa_lock(xas->xa);
}

static void xas_unlock_type(struct xa_state *xas, unsigned int lock_type)
{
	if (lock_type == XA_LOCK_IRQ)
		xa_unlock_irq(xas->xa);
	else if (lock_type == XA_LOCK_BH)
		xa_unlock_bh(xas->xa);
	else
		xa_unlock(xas->xa);
}

/*
 * After an operation: if it stopped for lack of nodes, allocate what it
 * lacked with @gfp, dropping xa_lock around the allocation when @gfp may
 * sleep, and return true to have it run again (the array may have changed
 * meanwhile). Otherwise free the pool and return false.
 */
static bool __xas_nomem(struct xa_state *xas, gfp_t gfp)
	__must_hold(xas->xa->xa_lock)
{
	unsigned int lock_type = xa_lock_type(xas->xa);
	bool ok;

	if (xas->xa_node != XA_ERROR(-ENOMEM)) {
		xas_destroy(xas);
		return false;
	}
	if (gfpflags_allow_blocking(gfp)) {
		xas_unlock_type(xas, lock_type);
		ok = xas_fill(xas, xas->xa_need, gfp);
		xas_lock_type(xas, lock_type);
	} else {
		ok = xas_fill(xas, xas->xa_need, gfp);
	}
	if (!ok) {
		xas_destroy(xas);
		return false;
	}
	xas_reset(xas);
	return true;
}

/* ---- building ---- */

/*
 * How many nodes storing a non-NULL entry at xas->xa_index needs: the
 * roots to add above the trie, then one per level of the path that does
 * not exist yet.
 */
static unsigned int xas_nodes_needed(struct xa_state *xas)
{
	struct xarray *xa = xas->xa;
	unsigned long index = xas->xa_index;
	unsigned int shift = xa_root_shift(index);
	void *entry = xa_head_locked(xa);
	struct xa_node *node;

	if (!xa_is_node(entry)) {
		if (!index)
			return 0;		/* the head holds index 0 */
		if (!entry)
			return shift / XA_CHUNK_SHIFT + 1;
		/* Roots 0..shift above the old index-0 entry, then the path. */
		return 2 * (shift / XA_CHUNK_SHIFT) + 1;
	}
	node = xa_to_node(entry);
	/*
	 * New roots; below the top one the index takes a slot other than 0
	 * (the root is the smallest that holds it), so its path is all new.
	 */
	if (shift > node->shift)
		return (shift - node->shift) / XA_CHUNK_SHIFT + shift / XA_CHUNK_SHIFT;
	for (;;) {
		entry = xa_entry_locked(xa, node, get_offset(index, node));
		if (!node->shift)
			return 0;
		if (!entry)
			return node->shift / XA_CHUNK_SHIFT;
		XA_NODE_BUG_ON(node, !xa_is_node(entry));
		node = xa_to_node(entry);
	}
}

/* Take a node from the pool and hang it below xas->xa_node. */
static struct xa_node *xas_alloc(struct xa_state *xas, unsigned int shift)
{
	struct xa_node *parent = xas->xa_node;
	struct xa_node *node = xas->xa_alloc;

	XA_NODE_BUG_ON(node, !node);	/* xas_nodes_needed() miscounted */
	xas->xa_alloc = rcu_dereference_raw(node->parent);
	xas->xa_nr_alloc--;
	if (parent) {
		node->offset = xas->xa_offset;
		parent->count++;
		XA_NODE_BUG_ON(node, parent->count > XA_CHUNK_SIZE);
	}
	node->shift = shift;
	node->count = 0;
	node->nr_values = 0;
	RCU_INIT_POINTER(node->parent, parent);
	node->array = xas->xa;
	return node;
}

/*
 * Add roots until the trie holds xas->xa_index. Returns the shift of the
 * levels below the head still to walk (0: the head itself is the slot).
 */
static unsigned int xas_expand(struct xa_state *xas, void *head)
{
	struct xarray *xa = xas->xa;
	struct xa_node *node = NULL;
	unsigned int shift = 0;
	unsigned long max = xas->xa_index;

	if (!head) {
		if (max == 0)
			return 0;
		return xa_root_shift(max) + XA_CHUNK_SHIFT;
	} else if (xa_is_node(head)) {
		node = xa_to_node(head);
		shift = node->shift + XA_CHUNK_SHIFT;
	}
	xas->xa_node = NULL;

	while (max > max_index(head)) {
		node = xas_alloc(xas, shift);
		node->count = 1;
		if (xa_is_value(head))
			node->nr_values = 1;
		RCU_INIT_POINTER(node->slots[0], head);
		/* The new root is complete: readers may find it now. */
		if (xa_is_node(head)) {
			xa_to_node(head)->offset = 0;
			rcu_assign_pointer(xa_to_node(head)->parent, node);
		}
		head = xa_mk_node(node);
		rcu_assign_pointer(xa->xa_head, head);
		shift += XA_CHUNK_SHIFT;
	}
	xas->xa_node = node;
	return shift;
}

/*
 * Make the slot for xas->xa_index exist and return what it holds, with
 * xas at it. Fails with -ENOMEM in xas (nothing changed) if the pool
 * cannot be filled without sleeping.
 */
static void *xas_create(struct xa_state *xas)
{
	struct xarray *xa = xas->xa;
	unsigned int need = xas_nodes_needed(xas);
	struct xa_node *node;
	void __rcu **slot;
	unsigned int shift;
	void *entry;

	if (need > xas->xa_nr_alloc &&
	    !xas_fill(xas, need, GFP_NOWAIT | __GFP_NOWARN)) {
		xas->xa_need = need;
		xas_set_err(xas, -ENOMEM);
		return NULL;
	}

	xas->xa_node = NULL;
	shift = xas_expand(xas, xa_head_locked(xa));
	entry = xa_head_locked(xa);
	slot = &xa->xa_head;
	while (shift > 0) {
		shift -= XA_CHUNK_SHIFT;
		if (!entry) {
			node = xas_alloc(xas, shift);
			rcu_assign_pointer(*slot, xa_mk_node(node));
		} else if (xa_is_node(entry)) {
			node = xa_to_node(entry);
		} else {
			break;
		}
		entry = xas_descend(xas, node);
		slot = &node->slots[xas->xa_offset];
	}
	return entry;
}

/* ---- taking apart ---- */

/*
 * While the root has only slot 0 in use, make that entry the head. A
 * reader still in the old root finds XA_RETRY_ENTRY in slot 0 (if the
 * entry was not a node it could follow) and walks again.
 */
static void xas_shrink(struct xa_state *xas)
{
	struct xarray *xa = xas->xa;
	struct xa_node *node = xas->xa_node;

	for (;;) {
		void *entry;

		XA_NODE_BUG_ON(node, node->count > XA_CHUNK_SIZE);
		if (node->count != 1)
			break;
		entry = xa_entry_locked(xa, node, 0);
		if (!entry)
			break;
		if (!xa_is_node(entry) && node->shift)
			break;
		xas->xa_node = XAS_BOUNDS;

		RCU_INIT_POINTER(xa->xa_head, entry);
		node->count = 0;
		node->nr_values = 0;
		if (!xa_is_node(entry))
			RCU_INIT_POINTER(node->slots[0], XA_RETRY_ENTRY);
		xa_node_free(node);
		if (!xa_is_node(entry))
			break;
		node = xa_to_node(entry);
		RCU_INIT_POINTER(node->parent, NULL);
	}
}

/* Free xas->xa_node and its ancestors while they are empty, then shrink. */
static void xas_delete_node(struct xa_state *xas)
{
	struct xa_node *node = xas->xa_node;

	for (;;) {
		struct xa_node *parent;

		XA_NODE_BUG_ON(node, node->count > XA_CHUNK_SIZE);
		if (node->count)
			break;

		parent = xa_parent_locked(xas->xa, node);
		xas->xa_node = parent;
		xas->xa_offset = node->offset;
		xa_node_free(node);

		if (!parent) {
			RCU_INIT_POINTER(xas->xa->xa_head, NULL);
			xas->xa_node = XAS_BOUNDS;
			return;
		}

		RCU_INIT_POINTER(parent->slots[xas->xa_offset], NULL);
		parent->count--;
		XA_NODE_BUG_ON(parent, parent->count > XA_CHUNK_SIZE);
		node = parent;
	}

	if (!xa_parent_locked(xas->xa, node))
		xas_shrink(xas);
}

/*
 * Free @top and every node below it; they are already unreachable from the
 * head. Entries become XA_RETRY_ENTRY for readers still inside.
 */
static void xas_free_nodes(struct xa_state *xas, struct xa_node *top)
{
	unsigned int offset = 0;
	struct xa_node *node = top;

	for (;;) {
		void *entry = xa_entry_locked(xas->xa, node, offset);

		if (xa_is_node(entry)) {
			node = xa_to_node(entry);
			offset = 0;
			continue;
		}
		if (entry)
			RCU_INIT_POINTER(node->slots[offset], XA_RETRY_ENTRY);
		offset++;
		while (offset == XA_CHUNK_SIZE) {
			struct xa_node *parent = xa_parent_locked(xas->xa, node);

			offset = node->offset + 1;
			node->count = 0;
			node->nr_values = 0;
			xa_node_free(node);
			if (node == top)
				return;
			node = parent;
		}
	}
}

static void update_node(struct xa_state *xas, struct xa_node *node,
			int count, int values)
{
	if (!node || (!count && !values))
		return;
	node->count += count;
	node->nr_values += values;
	XA_NODE_BUG_ON(node, node->count > XA_CHUNK_SIZE);
	XA_NODE_BUG_ON(node, node->nr_values > XA_CHUNK_SIZE);
	if (count < 0)
		xas_delete_node(xas);
}

/*
 * Store @entry (NULL erases) at xas->xa_index; returns the old entry. On
 * -ENOMEM (in xas) nothing changed.
 */
static void *xas_store(struct xa_state *xas, void *entry)
{
	struct xa_node *node;
	void __rcu **slot;
	void *first;

	if (entry)
		first = xas_create(xas);
	else
		first = xas_load(xas);
	if (xas_invalid(xas) || first == entry)
		return first;

	node = xas->xa_node;
	slot = node ? &node->slots[xas->xa_offset] : &xas->xa->xa_head;
	rcu_assign_pointer(*slot, entry);
	update_node(xas, node, !first - !entry,
		    (int)xa_is_value(entry) - (int)xa_is_value(first));
	return first;
}

/* The old entry, or the operation's error as an error entry. */
static void *xas_result(struct xa_state *xas, void *curr)
{
	if (xas_error(xas))
		return xas->xa_node;
	XA_NODE_BUG_ON(xas->xa_node, xa_is_internal(curr) && !xa_is_zero(curr));
	return curr;
}

/*
 * First entry (retry and zero entries included) at an index from
 * xas->xa_index to @max, which becomes xas->xa_index; NULL if none.
 * Lockless readers may miss entries stored while they walk.
 */
static void *xas_find(struct xa_state *xas, unsigned long max)
{
	struct xarray *xa = xas->xa;
	unsigned long index = xas->xa_index;
	struct xa_node *node, *parent;
	unsigned int offset;
	void *entry;

	if (index > max)
		return NULL;
	entry = xas_start(xas);
	if (!xa_is_node(entry))
		return entry;
	node = xa_to_node(entry);
	offset = get_offset(index, node);
	for (;;) {
		if (offset == XA_CHUNK_SIZE) {
			parent = xa_parent(xa, node);
			if (!parent)
				return NULL;
			offset = node->offset + 1;
			node = parent;
		} else {
			entry = xa_entry(xa, node, offset);
			if (xa_is_node(entry)) {
				node = xa_to_node(entry);
				offset = get_offset(index, node);
				continue;
			}
			if (entry) {
				xas->xa_node = node;
				xas->xa_offset = offset;
				xas->xa_index = index;
				return entry;
			}
			offset++;
		}
		if (offset < XA_CHUNK_SIZE) {
			/* The first index of slot @offset of @node. */
			unsigned int span = node->shift + XA_CHUNK_SHIFT;
			unsigned long mask = span >= BITS_PER_LONG ? ~0UL :
					     (1UL << span) - 1;

			index = (index & ~mask) | ((unsigned long)offset << node->shift);
			if (index > max)
				return NULL;
		}
	}
}

/* ---- the normal API ---- */

/**
 * xa_load() - Load an entry from an XArray.
 * @xa: XArray.
 * @index: index into array.
 *
 * Context: Any context. Takes and releases the RCU lock.
 * Return: The entry at @index in @xa.
 */
void *xa_load(struct xarray *xa, unsigned long index)
{
	XA_STATE(xas, xa, index);
	void *entry;

	rcu_read_lock();
	do {
		entry = xa_zero_to_null(xas_load(&xas));
	} while (xas_retry(&xas, entry));
	rcu_read_unlock();
	return entry;
}

/**
 * __xa_erase() - Erase this entry from the XArray while locked.
 * @xa: XArray.
 * @index: Index into array.
 *
 * Context: Any context. Expects xa_lock to be held on entry.
 * Return: The old entry at this index.
 */
void *__xa_erase(struct xarray *xa, unsigned long index)
{
	XA_STATE(xas, xa, index);

	return xa_zero_to_null(xas_result(&xas, xas_store(&xas, NULL)));
}

/**
 * xa_erase() - Erase this entry from the XArray.
 * @xa: XArray.
 * @index: Index of entry.
 *
 * Context: Any context. Takes and releases the xa_lock.
 * Return: The entry which used to be at this index.
 */
void *xa_erase(struct xarray *xa, unsigned long index)
{
	void *entry;

	xa_lock(xa);
	entry = __xa_erase(xa, index);
	xa_unlock(xa);
	return entry;
}

/**
 * __xa_store() - Store this entry in the XArray.
 * @xa: XArray.
 * @index: Index into array.
 * @entry: New entry.
 * @gfp: Memory allocation flags.
 *
 * Storing NULL erases (in an XA_FLAGS_ALLOC array it reserves @index).
 *
 * Context: Any context. Expects xa_lock to be held on entry. May release
 * and reacquire xa_lock if @gfp flags permit.
 * Return: The old entry at this index, or xa_err(-EINVAL) for an entry
 * that cannot be stored, or xa_err(-ENOMEM) (the array is unchanged).
 */
void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	XA_STATE(xas, xa, index);
	void *curr;

	if (WARN_ON_ONCE(xa_is_advanced(entry)))
		return XA_ERROR(-EINVAL);
	if (xa_track_free(xa) && !entry)
		entry = XA_ZERO_ENTRY;

	do {
		curr = xas_store(&xas, entry);
	} while (__xas_nomem(&xas, gfp));

	return xa_zero_to_null(xas_result(&xas, curr));
}

/**
 * xa_store() - Store this entry in the XArray.
 * @xa: XArray.
 * @index: Index into array.
 * @entry: New entry.
 * @gfp: Memory allocation flags.
 *
 * Context: Any context. Takes and releases the xa_lock. May sleep if the
 * @gfp flags permit.
 * Return: The old entry at this index on success, xa_err(-EINVAL) if
 * @entry cannot be stored in an XArray, or xa_err(-ENOMEM) if memory
 * allocation failed.
 */
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	void *curr;

	might_alloc(gfp);
	xa_lock(xa);
	curr = __xa_store(xa, index, entry, gfp);
	xa_unlock(xa);
	return curr;
}

/**
 * __xa_cmpxchg() - Conditionally replace an entry while locked.
 * @xa: XArray.
 * @index: Index into array.
 * @old: Old value to test against (XA_ZERO_ENTRY matches a reservation).
 * @entry: New entry.
 * @gfp: Memory allocation flags.
 *
 * Context: Any context. Expects xa_lock to be held on entry. May release
 * and reacquire xa_lock if @gfp flags permit.
 * Return: The old entry at this index or xa_err() if an error happened.
 */
void *__xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		   void *entry, gfp_t gfp)
{
	XA_STATE(xas, xa, index);
	void *curr;

	if (WARN_ON_ONCE(xa_is_advanced(entry)))
		return XA_ERROR(-EINVAL);

	do {
		curr = xas_load(&xas);
		if (curr == old)
			xas_store(&xas, entry);
	} while (__xas_nomem(&xas, gfp));

	return xa_zero_to_null(xas_result(&xas, curr));
}

/**
 * __xa_insert() - Store this entry in the XArray if no entry is present.
 * @xa: XArray.
 * @index: Index into array.
 * @entry: New entry.
 * @gfp: Memory allocation flags.
 *
 * Inserting NULL reserves @index. A reserved index is busy even though
 * loading it returns NULL.
 *
 * Context: Any context. Expects xa_lock to be held on entry. May release
 * and reacquire xa_lock if @gfp flags permit.
 * Return: 0 if the store succeeded, -EBUSY if another entry was present,
 * -ENOMEM if memory could not be allocated, -EINVAL for a bad @entry.
 */
int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	XA_STATE(xas, xa, index);
	void *curr;

	if (WARN_ON_ONCE(xa_is_advanced(entry)))
		return -EINVAL;
	if (!entry)
		entry = XA_ZERO_ENTRY;

	do {
		curr = xas_load(&xas);
		if (!curr)
			xas_store(&xas, entry);
		else
			xas_set_err(&xas, -EBUSY);
	} while (__xas_nomem(&xas, gfp));

	return xas_error(&xas);
}

/* xa_find() and xa_find_after() take no marks: only XA_PRESENT. */
static bool xa_filter_ok(xa_mark_t filter)
{
	return !WARN_ONCE(filter != XA_PRESENT,
			  "xarray: marks are not supported, filter %u\n",
			  (__force unsigned int)filter);
}

static void *xa_find_from(struct xarray *xa, unsigned long *indexp,
			  unsigned long start, unsigned long max)
{
	XA_STATE(xas, xa, start);
	void *entry;

	rcu_read_lock();
	for (;;) {
		entry = xas_find(&xas, max);
		if (!xas_retry(&xas, entry))
			break;
		/* A zero entry is skipped; a retry looks at its index again. */
		if (xa_is_zero(entry)) {
			if (xas.xa_index >= max) {
				entry = NULL;
				break;
			}
			xas.xa_index++;
		}
	}
	rcu_read_unlock();

	if (entry)
		*indexp = xas.xa_index;
	return entry;
}

/**
 * xa_find() - Search the XArray for an entry.
 * @xa: XArray.
 * @indexp: Pointer to an index.
 * @max: Maximum index to search to.
 * @filter: Selection criterion: XA_PRESENT.
 *
 * Finds the present entry with the lowest index that is at least @indexp
 * and no more than @max, and updates @indexp to it.
 *
 * Context: Any context. Takes and releases the RCU lock.
 * Return: The entry, if found, otherwise %NULL.
 */
void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max,
	      xa_mark_t filter)
{
	if (!xa_filter_ok(filter))
		return NULL;
	return xa_find_from(xa, indexp, *indexp, max);
}

/**
 * xa_find_after() - Search the XArray for a present entry.
 * @xa: XArray.
 * @indexp: Pointer to an index.
 * @max: Maximum index to search to.
 * @filter: Selection criterion: XA_PRESENT.
 *
 * As xa_find(), for indices above @indexp.
 *
 * Context: Any context. Takes and releases the RCU lock.
 * Return: The entry, if found, otherwise %NULL.
 */
void *xa_find_after(struct xarray *xa, unsigned long *indexp, unsigned long max,
		    xa_mark_t filter)
{
	if (!xa_filter_ok(filter) || *indexp >= max)
		return NULL;
	return xa_find_from(xa, indexp, *indexp + 1, max);
}

/**
 * xa_destroy() - Free all internal data structures.
 * @xa: XArray.
 *
 * After this the array is empty and may be used again. The objects the
 * entries pointed to are the caller's to free.
 *
 * Context: Any context. Takes and releases the xa_lock, interrupt-safe.
 */
void xa_destroy(struct xarray *xa)
{
	XA_STATE(xas, xa, 0);
	unsigned long flags;
	void *entry;

	xa_lock_irqsave(xa, flags);
	entry = xa_head_locked(xa);
	RCU_INIT_POINTER(xa->xa_head, NULL);
	if (xa_is_node(entry))
		xas_free_nodes(&xas, xa_to_node(entry));
	xa_unlock_irqrestore(xa, flags);
}

/* The kernel creates the cache in radix_tree_init(), early in start_kernel(). */
static int __init radix_tree_init(void)
{
	radix_tree_node_cachep = kmem_cache_create("radix_tree_node",
			sizeof(struct xa_node), 0,
			SLAB_PANIC | SLAB_RECLAIM_ACCOUNT,
			radix_tree_node_ctor);
	return 0;
}
early_initcall(radix_tree_init);

/*
 * The simulator boots many machines: the cache goes at machine stop, after
 * the modules that use xarrays (their initcalls come later, so their exits
 * run first). Nodes still in some array are reported as leaks here.
 */
static void __exit radix_tree_exit(void)
{
	kmem_cache_destroy(radix_tree_node_cachep);
	radix_tree_node_cachep = NULL;
}
module_exit(radix_tree_exit);
