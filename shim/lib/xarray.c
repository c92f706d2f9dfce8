// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XArray (lib/xarray.c) as a 64-way trie of struct xa_node.
 *
 * Shape. xa_head is empty (NULL), holds the entry of index 0 itself, or
 * points at the root node. A node at height h (shift 6 * (h - 1)) splits
 * its range by index bits shift..shift+5; height-1 nodes (shift 0) hold
 * entries, taller ones hold child nodes. The trie is exactly as tall as
 * its largest index needs: a store above that pushes new roots on top
 * (old root in slot 0), an erase frees the nodes it empties and then pops
 * roots that only use slot 0, down to a direct entry for index 0.
 *
 * Readers hold rcu_read_lock() and rcu_dereference() the head and each
 * slot; they never lock. Writers hold xa_lock. A node is fully set up
 * before rcu_assign_pointer() links it, and an unlinked node goes to
 * call_rcu(), so a reader's walk never touches freed memory. Where a
 * reader could still find an entry that has moved (a root popped into
 * the head, an array torn down by xa_destroy()), the old slot is
 * overwritten with XA_RETRY_ENTRY and the reader starts over.
 *
 * Memory (differs from the kernel, see <linux/xarray.h>). Every update
 * first walks to its index and works out how many nodes it would add; it
 * gathers that many into a spare set on the stack (GFP_NOWAIT under the
 * lock, else with the caller's gfp, outside the lock if that may sleep,
 * then walks again) and only then touches the trie. So an update either
 * completes or fails with -ENOMEM having changed nothing. Spare nodes that
 * were not needed go straight back to the cache: no reader saw them.
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

/* node->array once a node is off the trie, waiting for its grace period. */
#define XA_RCU_FREE	((struct xarray *)1)

/* Levels of nodes a trie needs for any unsigned long index. */
#define XA_MAX_HEIGHT	DIV_ROUND_UP(BITS_PER_LONG, XA_CHUNK_SHIFT)

/*
 * Most nodes one store can add: a new top above a direct entry at index
 * 0, the chain down to that entry's new leaf, and the path to the index.
 */
#define XA_MAX_NEW	(2 * XA_MAX_HEIGHT - 1)

/* ---- small helpers ---- */

static inline bool xa_track_free(const struct xarray *xa)
{
	return xa->xa_flags & XA_FLAGS_TRACK_FREE;
}

static inline void *xa_zero_to_null(void *entry)
{
	return xa_is_zero(entry) ? NULL : entry;
}

/*
 * May a user store @entry? Internal entries are the array's own (nodes,
 * retry, errors) and would be misread on the next walk; the one exception
 * is XA_ZERO_ENTRY, the documented way to reserve an index.
 */
static inline bool xa_user_entry(const void *entry)
{
	return !xa_is_internal(entry) || xa_is_zero(entry);
}

/* Node levels needed to reach @index: 0 for index 0 (the head holds it). */
static unsigned int xa_height_for(unsigned long index)
{
	unsigned int height = 0;

	for (; index; index >>= XA_CHUNK_SHIFT)
		height++;
	return height;
}

/* Height of the trie whose head is @head. */
static unsigned int xa_height_of(const void *head)
{
	if (!xa_is_node(head))
		return 0;
	return xa_to_node(head)->shift / XA_CHUNK_SHIFT + 1;
}

static inline unsigned int xa_offset(const struct xa_node *node,
				     unsigned long index)
{
	return (index >> node->shift) & XA_CHUNK_MASK;
}

/* Does the trie under @root stop short of @index? */
static inline bool xa_beyond(const struct xa_node *root, unsigned long index)
{
	/* Two steps: shift + 6 is 66 for the tallest root. */
	return (index >> root->shift) >> XA_CHUNK_SHIFT;
}

/*
 * Lock-side reads: the slot may only change under xa_lock, which the
 * caller holds, so no ordering against writers is needed.
 */
#define xa_locked_ptr(xa, p) \
	rcu_dereference_protected(p, lockdep_is_held(&(xa)->xa_lock))

static inline void *xa_top(const struct xarray *xa)
{
	return xa_locked_ptr(xa, xa->xa_head);
}

static inline void *node_get(const struct xarray *xa,
			     const struct xa_node *node, unsigned int offset)
{
	return xa_locked_ptr(xa, node->slots[offset]);
}

static inline struct xa_node *node_up(const struct xarray *xa,
				      const struct xa_node *node)
{
	return xa_locked_ptr(xa, node->parent);
}

/* The slot in front of @node: its parent's, or xa_head for the root. */
static void __rcu **node_home(struct xarray *xa, struct xa_node *node)
{
	struct xa_node *parent = node_up(xa, node);

	return parent ? &parent->slots[node->offset] : &xa->xa_head;
}

/* ---- lockless lookups ---- */

/*
 * One walk from the head to @index under rcu_read_lock(). The answer may
 * be XA_RETRY_ENTRY (walk again) or XA_ZERO_ENTRY (reserved).
 */
static void *xa_walk_rcu(struct xarray *xa, unsigned long index)
{
	void *entry = rcu_dereference(xa->xa_head);
	struct xa_node *node;

	if (!xa_is_node(entry))
		return index ? NULL : entry;
	node = xa_to_node(entry);
	if (xa_beyond(node, index))
		return NULL;
	for (;;) {
		entry = rcu_dereference(node->slots[xa_offset(node, index)]);
		if (!xa_is_node(entry))
			return entry;
		node = xa_to_node(entry);
	}
}

/* First index of slot @offset of @node, on the path that holds @index. */
static unsigned long xa_slot_start(const struct xa_node *node,
				   unsigned long index, unsigned int offset)
{
	unsigned int span = node->shift + XA_CHUNK_SHIFT;
	unsigned long above = span < BITS_PER_LONG ? index >> span << span : 0;

	return above | ((unsigned long)offset << node->shift);
}

/*
 * Depth-first scan of @node from *@indexp for the first present entry at
 * an index <= @max; *@indexp follows the scan. Returns the entry, NULL
 * if there is none, or XA_RETRY_ENTRY with *@indexp where it was found.
 * Reserved (zero) entries are passed over. The recursion is at most
 * XA_MAX_HEIGHT deep.
 */
static void *xa_scan_rcu(struct xa_node *node, unsigned long *indexp,
			 unsigned long max)
{
	unsigned int offset = xa_offset(node, *indexp);
	unsigned long next;
	void *entry;

	for (;;) {
		entry = rcu_dereference(node->slots[offset]);
		if (xa_is_node(entry))
			entry = xa_scan_rcu(xa_to_node(entry), indexp, max);
		if (entry && !xa_is_zero(entry))
			return entry;
		if (offset == XA_CHUNK_MASK)
			return NULL;
		next = xa_slot_start(node, *indexp, ++offset);
		if (next > max)
			return NULL;
		*indexp = next;
	}
}

/* The first present entry in [*@indexp, @max] under rcu_read_lock(). */
static void *xa_first_rcu(struct xarray *xa, unsigned long *indexp,
			  unsigned long max)
{
	void *head = rcu_dereference(xa->xa_head);

	if (!xa_is_node(head))
		return *indexp || xa_is_zero(head) ? NULL : head;
	if (xa_beyond(xa_to_node(head), *indexp))
		return NULL;
	return xa_scan_rcu(xa_to_node(head), indexp, max);
}

/* ---- node memory ---- */

static void xa_node_ctor(void *arg)
{
	struct xa_node *node = arg;

	memset(node, 0, sizeof(*node));
	INIT_LIST_HEAD(&node->private_list);
}

/*
 * The shim's slab runs the constructor on every allocation and poisons
 * freed objects, so nothing needs clearing here.
 */
static void xa_node_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(radix_tree_node_cachep,
			container_of(head, struct xa_node, rcu_head));
}

/* @node is unreachable from the head: free it once readers are out. */
static void xa_node_retire(struct xa_node *node)
{
	node->count = 0;
	node->nr_values = 0;
	node->array = XA_RCU_FREE;
	call_rcu(&node->rcu_head, xa_node_free_rcu);
}

/* Nodes gathered for one update before it changes anything. */
struct xa_spare {
	unsigned int	nr;
	struct xa_node	*node[XA_MAX_NEW];
};

/* Top @spare up to @want nodes; false if an allocation failed. */
static bool xa_spare_fill(struct xarray *xa, struct xa_spare *spare,
			  unsigned int want, gfp_t gfp)
{
	if (xa->xa_flags & XA_FLAGS_ACCOUNT)
		gfp |= __GFP_ACCOUNT;
	BUG_ON(want > XA_MAX_NEW);
	while (spare->nr < want) {
		struct xa_node *node = kmem_cache_alloc(radix_tree_node_cachep, gfp);

		if (!node)
			return false;
		spare->node[spare->nr++] = node;
	}
	return true;
}

/* Give back what the update did not use; no reader ever saw these. */
static void xa_spare_drain(struct xa_spare *spare)
{
	while (spare->nr)
		kmem_cache_free(radix_tree_node_cachep, spare->node[--spare->nr]);
}

/*
 * Fill @spare with the caller's @gfp after GFP_NOWAIT under the lock fell
 * short. If @gfp may sleep, xa_lock is dropped around the allocations in
 * the flavour the array's flags name, so the caller must look at the trie
 * afresh afterwards.
 */
static bool xa_spare_fill_slow(struct xarray *xa, struct xa_spare *spare,
			       unsigned int want, gfp_t gfp)
	__must_hold(xa->xa_lock)
{
	bool ok;

	if (!gfpflags_allow_blocking(gfp))
		return xa_spare_fill(xa, spare, want, gfp);

	if (xa->xa_flags & XA_FLAGS_LOCK_IRQ)
		xa_unlock_irq(xa);
	else if (xa->xa_flags & XA_FLAGS_LOCK_BH)
		xa_unlock_bh(xa);
	else
		xa_unlock(xa);

	ok = xa_spare_fill(xa, spare, want, gfp);

	if (xa->xa_flags & XA_FLAGS_LOCK_IRQ)
		xa_lock_irq(xa);
	else if (xa->xa_flags & XA_FLAGS_LOCK_BH)
		xa_lock_bh(xa);
	else
		xa_lock(xa);
	return ok;
}

/* A spare node made ready to hang in slot @offset of @parent. */
static struct xa_node *xa_spare_take(struct xarray *xa, struct xa_spare *spare,
				     unsigned int shift, struct xa_node *parent,
				     unsigned int offset)
{
	struct xa_node *node;

	BUG_ON(!spare->nr);	/* xa_seek_locked() counted too few */
	node = spare->node[--spare->nr];
	node->shift = shift;
	node->offset = offset;
	node->count = 0;
	node->nr_values = 0;
	node->array = xa;
	RCU_INIT_POINTER(node->parent, parent);
	return node;
}

/* ---- locked updates ---- */

/* Where the entry of an index lives: slot @offset of @node, or xa_head. */
struct xa_slotref {
	struct xa_node	*node;
	unsigned int	offset;
};

static void __rcu **xa_slot_ptr(struct xarray *xa, const struct xa_slotref *ref)
{
	return ref->node ? &ref->node->slots[ref->offset] : &xa->xa_head;
}

/*
 * Walk to @index under xa_lock. Returns the entry there, raw (NULL when
 * its path is incomplete), and sets *@missing to the nodes a non-NULL
 * store would add; when that is 0, *@ref is the entry's slot.
 */
static void *xa_seek_locked(struct xarray *xa, unsigned long index,
			    struct xa_slotref *ref, unsigned int *missing)
{
	unsigned int want = xa_height_for(index);
	void *entry = xa_top(xa);
	unsigned int have = xa_height_of(entry);

	*missing = 0;
	ref->node = NULL;
	ref->offset = 0;
	if (want > have) {
		/*
		 * want - have new roots; below the top, the index leaves slot
		 * 0 (the top is the lowest that holds it) so the rest of its
		 * path is new too. A direct entry at the head needs no path of
		 * its own: the new roots become its chain.
		 */
		*missing = entry ? (want - have) + (want - 1) : want;
		return NULL;
	}
	while (xa_is_node(entry)) {
		struct xa_node *node = xa_to_node(entry);

		ref->node = node;
		ref->offset = xa_offset(node, index);
		entry = node_get(xa, node, ref->offset);
		if (!entry && node->shift) {
			*missing = node->shift / XA_CHUNK_SHIFT;
			return NULL;
		}
	}
	return entry;
}

/* Put a new root above @head, holding @head in slot 0; the new head. */
static void *xa_push_root(struct xarray *xa, void *head, struct xa_spare *spare)
{
	unsigned int shift = xa_height_of(head) * XA_CHUNK_SHIFT;
	struct xa_node *root = xa_spare_take(xa, spare, shift, NULL, 0);

	RCU_INIT_POINTER(root->slots[0], head);
	root->count = 1;
	root->nr_values = xa_is_value(head);
	/* A reader going up from the old root finds the new one, or NULL. */
	if (xa_is_node(head))
		rcu_assign_pointer(xa_to_node(head)->parent, root);
	head = xa_mk_node(root);
	rcu_assign_pointer(xa->xa_head, head);
	return head;
}

/*
 * Make every node on the way to @index exist, from @spare, and point
 * *@ref at its slot. Each new node is linked only once it is set up.
 */
static void xa_build_path(struct xarray *xa, unsigned long index,
			  struct xa_spare *spare, struct xa_slotref *ref)
{
	unsigned int want = xa_height_for(index);
	void *head = xa_top(xa);
	void __rcu **slot = &xa->xa_head;
	struct xa_node *node = NULL;
	unsigned int level, offset = 0;

	if (head)
		while (xa_height_of(head) < want)
			head = xa_push_root(xa, head, spare);
	for (level = head ? xa_height_of(head) : want; level; level--) {
		void *entry = xa_locked_ptr(xa, *slot);
		struct xa_node *parent = node;

		if (entry) {
			BUG_ON(!xa_is_node(entry));
			node = xa_to_node(entry);
		} else {
			node = xa_spare_take(xa, spare, (level - 1) * XA_CHUNK_SHIFT,
					     parent, offset);
			rcu_assign_pointer(*slot, xa_mk_node(node));
			if (parent)
				parent->count++;
		}
		offset = xa_offset(node, index);
		slot = &node->slots[offset];
	}
	ref->node = node;
	ref->offset = offset;
}

/*
 * While the root uses nothing but slot 0, let slot 0 be the head. A child
 * node keeps working for readers still in the old root; an entry (only a
 * height-1 root holds one) is replaced there by XA_RETRY_ENTRY, as later
 * stores to index 0 go to the head, not to it.
 */
static void xa_pop_roots(struct xarray *xa)
{
	struct xa_node *root = xa_to_node(xa_top(xa));
	void *first;

	while (root->count == 1 && (first = node_get(xa, root, 0))) {
		rcu_assign_pointer(xa->xa_head, first);
		if (!xa_is_node(first)) {
			BUG_ON(root->shift);
			RCU_INIT_POINTER(root->slots[0], XA_RETRY_ENTRY);
			xa_node_retire(root);
			return;
		}
		xa_node_retire(root);
		root = xa_to_node(first);
		RCU_INIT_POINTER(root->parent, NULL);
	}
}

/*
 * A slot of @node was cleared: unlink and retire @node and then each
 * ancestor that this leaves empty, then pop roots if the walk got up to
 * the root.
 */
static void xa_prune(struct xarray *xa, struct xa_node *node)
{
	struct xa_node *parent;

	for (; node; node = parent) {
		parent = node_up(xa, node);
		if (node->count) {
			if (!parent)
				xa_pop_roots(xa);
			return;
		}
		RCU_INIT_POINTER(*node_home(xa, node), NULL);
		if (parent)
			parent->count--;
		xa_node_retire(node);
	}
}

/* Replace @old, the entry in *@ref, with @entry and keep the counts. */
static void xa_set_slot(struct xarray *xa, const struct xa_slotref *ref,
			void *old, void *entry)
{
	struct xa_node *node = ref->node;

	rcu_assign_pointer(*xa_slot_ptr(xa, ref), entry);
	if (!node)
		return;
	node->count += !!entry - !!old;
	node->nr_values += (int)xa_is_value(entry) - (int)xa_is_value(old);
	BUG_ON(node->count > XA_CHUNK_SIZE || node->nr_values > node->count);
	if (!entry)
		xa_prune(xa, node);
}

/* When an update stores: always, if the entry there is @expect, if free. */
enum xa_cond {
	XA_ALWAYS,
	XA_IF_EXPECTED,
	XA_IF_FREE,
};

/*
 * The one locked update behind store, erase, cmpxchg and insert. Returns
 * the entry that was at @index, raw (a reservation is XA_ZERO_ENTRY), or
 * XA_ERROR(-ENOMEM) with the array unchanged.
 */
static void *xa_update(struct xarray *xa, unsigned long index, void *entry,
		       enum xa_cond cond, void *expect, gfp_t gfp)
	__must_hold(xa->xa_lock)
{
	struct xa_spare spare = { .nr = 0 };
	struct xa_slotref ref;
	unsigned int missing;
	void *curr;

	for (;;) {
		curr = xa_seek_locked(xa, index, &ref, &missing);
		if (curr == entry ||
		    (cond == XA_IF_EXPECTED && curr != expect) ||
		    (cond == XA_IF_FREE && curr))
			break;
		if (!missing) {
			xa_set_slot(xa, &ref, curr, entry);
			break;
		}
		/* curr is NULL here, so entry is not: nodes are needed. */
		if (xa_spare_fill(xa, &spare, missing, GFP_NOWAIT | __GFP_NOWARN)) {
			xa_build_path(xa, index, &spare, &ref);
			xa_set_slot(xa, &ref, NULL, entry);
			break;
		}
		if (!xa_spare_fill_slow(xa, &spare, missing, gfp)) {
			curr = XA_ERROR(-ENOMEM);
			break;
		}
	}
	xa_spare_drain(&spare);
	return curr;
}

/* Retire @node and everything below it; readers inside will retry. */
static void xa_free_subtree(struct xarray *xa, struct xa_node *node)
{
	unsigned int offset;

	for (offset = 0; offset < XA_CHUNK_SIZE; offset++) {
		void *entry = node_get(xa, node, offset);

		if (xa_is_node(entry))
			xa_free_subtree(xa, xa_to_node(entry));
		else if (entry)
			RCU_INIT_POINTER(node->slots[offset], XA_RETRY_ENTRY);
	}
	xa_node_retire(node);
}

/* ---- the normal API ---- */

/**
 * xa_load() - Look up the entry at an index.
 * @xa: The array.
 * @index: Which entry.
 *
 * Runs without xa_lock; concurrent stores are either seen entirely or
 * not at all. A reserved index reads as %NULL.
 *
 * Context: Any context. Takes and releases rcu_read_lock().
 * Return: The entry at @index, or %NULL.
 */
void *xa_load(struct xarray *xa, unsigned long index)
{
	void *entry;

	rcu_read_lock();
	do {
		entry = xa_walk_rcu(xa, index);
	} while (xa_is_retry(entry));
	rcu_read_unlock();
	return xa_zero_to_null(entry);
}

/**
 * __xa_erase() - Remove the entry at an index, xa_lock held.
 * @xa: The array.
 * @index: Which entry.
 *
 * Also drops a reservation. Never allocates, never fails.
 *
 * Context: Any context; the caller holds xa_lock.
 * Return: What was at @index (%NULL for nothing or a reservation).
 */
void *__xa_erase(struct xarray *xa, unsigned long index)
{
	return xa_zero_to_null(xa_update(xa, index, NULL, XA_ALWAYS, NULL, 0));
}

/**
 * xa_erase() - Remove the entry at an index.
 * @xa: The array.
 * @index: Which entry.
 *
 * __xa_erase() inside xa_lock()/xa_unlock().
 *
 * Context: Takes and releases the plain xa_lock; arrays also changed from
 * softirq or interrupt context use the _bh or _irq form.
 * Return: What was at @index (%NULL for nothing or a reservation).
 */
void *xa_erase(struct xarray *xa, unsigned long index)
{
	return __xa_locked(xa, , __xa_erase(xa, index));
}

/**
 * __xa_store() - Put an entry at an index, xa_lock held.
 * @xa: The array.
 * @index: Which entry.
 * @entry: What to put there; %NULL erases (reserves, in an allocating
 *	array).
 * @gfp: How to allocate nodes if the index has no slot yet.
 *
 * Internal entries other than XA_ZERO_ENTRY are refused with a warning.
 * If GFP_NOWAIT cannot supply the nodes, @gfp is tried, with xa_lock
 * dropped meanwhile when @gfp may sleep.
 *
 * Context: Any context; the caller holds xa_lock, which may be released
 * and retaken if @gfp allows sleeping.
 * Return: The previous entry (%NULL for a reservation), xa_err(-EINVAL)
 * for a refused @entry, or xa_err(-ENOMEM) with the array unchanged.
 */
void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	if (WARN_ON_ONCE(!xa_user_entry(entry)))
		return XA_ERROR(-EINVAL);
	if (!entry && xa_track_free(xa))
		entry = XA_ZERO_ENTRY;
	return xa_zero_to_null(xa_update(xa, index, entry, XA_ALWAYS, NULL, gfp));
}

/**
 * xa_store() - Put an entry at an index.
 * @xa: The array.
 * @index: Which entry.
 * @entry: What to put there; %NULL erases.
 * @gfp: How to allocate nodes.
 *
 * __xa_store() inside xa_lock()/xa_unlock().
 *
 * Context: Takes and releases the plain xa_lock; may sleep if @gfp
 * allows. Arrays also changed from softirq or interrupt context use the
 * _bh or _irq form.
 * Return: The previous entry, xa_err(-EINVAL) for an entry that may not
 * be stored, or xa_err(-ENOMEM) with the array unchanged.
 */
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	/*
	 * No might_alloc() here, as in the kernel: only a node allocation
	 * that must wait (with xa_lock dropped) checks the caller's context.
	 */
	return __xa_locked(xa, , __xa_store(xa, index, entry, gfp));
}

/**
 * __xa_cmpxchg() - Replace an entry only if it is the expected one.
 * @xa: The array.
 * @index: Which entry.
 * @old: The entry expected at @index (XA_ZERO_ENTRY: a reservation).
 * @entry: Its replacement (XA_ZERO_ENTRY reserves, as xa_reserve() does).
 * @gfp: How to allocate nodes.
 *
 * The comparison is of raw entries: only @old == XA_ZERO_ENTRY matches a
 * reserved index, although a reservation is returned as %NULL.
 *
 * Context: Any context; the caller holds xa_lock, which may be released
 * and retaken if @gfp allows sleeping.
 * Return: What was at @index (the swap happened if that is @old), or an
 * error entry: -EINVAL for a refused @entry, -ENOMEM.
 */
void *__xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		   void *entry, gfp_t gfp)
{
	if (WARN_ON_ONCE(!xa_user_entry(entry)))
		return XA_ERROR(-EINVAL);
	return xa_zero_to_null(xa_update(xa, index, entry, XA_IF_EXPECTED, old, gfp));
}

/**
 * __xa_insert() - Put an entry at an index that is free.
 * @xa: The array.
 * @index: Which entry.
 * @entry: What to put there; %NULL reserves the index.
 * @gfp: How to allocate nodes.
 *
 * A reserved index is not free, although it loads as %NULL.
 *
 * Context: Any context; the caller holds xa_lock, which may be released
 * and retaken if @gfp allows sleeping.
 * Return: 0 when stored, -EBUSY if @index was in use, -ENOMEM, or
 * -EINVAL for an @entry that may not be stored.
 */
int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	void *curr;

	if (WARN_ON_ONCE(!xa_user_entry(entry)))
		return -EINVAL;
	curr = xa_update(xa, index, entry ? entry : XA_ZERO_ENTRY, XA_IF_FREE,
			 NULL, gfp);
	if (xa_is_err(curr))
		return xa_err(curr);
	return curr ? -EBUSY : 0;
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
	unsigned long index = start;
	void *entry;

	if (start > max)
		return NULL;
	rcu_read_lock();
	do {
		/* Below the retry everything was empty: go on from there. */
		entry = xa_first_rcu(xa, &index, max);
	} while (xa_is_retry(entry));
	rcu_read_unlock();

	if (entry)
		*indexp = index;
	return entry;
}

/**
 * xa_find() - The first present entry at or above an index.
 * @xa: The array.
 * @indexp: Where to start; set to the index found.
 * @max: The last index to look at.
 * @filter: XA_PRESENT (the shim has no marks).
 *
 * Reserved indices are skipped. Runs without xa_lock, so entries stored
 * or erased during the search may or may not be seen.
 *
 * Context: Any context. Takes and releases rcu_read_lock().
 * Return: The entry, with *@indexp its index, or %NULL (*@indexp kept).
 */
void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max,
	      xa_mark_t filter)
{
	if (!xa_filter_ok(filter))
		return NULL;
	return xa_find_from(xa, indexp, *indexp, max);
}

/**
 * xa_find_after() - The first present entry above an index.
 * @xa: The array.
 * @indexp: The index to start after; set to the index found.
 * @max: The last index to look at.
 * @filter: XA_PRESENT (the shim has no marks).
 *
 * xa_find() from *@indexp + 1: the step of xa_for_each().
 *
 * Context: Any context. Takes and releases rcu_read_lock().
 * Return: The entry, with *@indexp its index, or %NULL.
 */
void *xa_find_after(struct xarray *xa, unsigned long *indexp, unsigned long max,
		    xa_mark_t filter)
{
	if (!xa_filter_ok(filter) || *indexp >= max)
		return NULL;
	return xa_find_from(xa, indexp, *indexp + 1, max);
}

/**
 * xa_destroy() - Empty an array and free its nodes.
 * @xa: The array.
 *
 * The nodes go after a grace period; what the entries point to stays the
 * caller's. The array can be used again straight away.
 *
 * Context: Any context. Takes xa_lock with interrupts saved.
 */
void xa_destroy(struct xarray *xa)
{
	unsigned long flags;
	void *head;

	xa_lock_irqsave(xa, flags);
	head = xa_top(xa);
	RCU_INIT_POINTER(xa->xa_head, NULL);
	if (xa_is_node(head))
		xa_free_subtree(xa, xa_to_node(head));
	xa_unlock_irqrestore(xa, flags);
}

/* The kernel makes the node cache in radix_tree_init(), from start_kernel(). */
static int __init radix_tree_init(void)
{
	radix_tree_node_cachep = kmem_cache_create("radix_tree_node",
			sizeof(struct xa_node), 0,
			SLAB_PANIC | SLAB_RECLAIM_ACCOUNT, xa_node_ctor);
	return 0;
}
early_initcall(radix_tree_init);

/*
 * The simulator boots many machines in one process, so the cache goes at
 * machine stop. Initcalls of the modules that use xarrays come later, so
 * their exits run first; nodes still in some array are reported as leaks.
 */
static void __exit radix_tree_exit(void)
{
	kmem_cache_destroy(radix_tree_node_cachep);
	radix_tree_node_cachep = NULL;
}
module_exit(radix_tree_exit);
