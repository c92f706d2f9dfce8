/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The XArray (<linux/xarray.h>, lib/xarray.c): an array of pointers indexed
 * by unsigned long, kept as the kernel keeps it, a radix trie of 64-slot
 * nodes (XA_CHUNK_SHIFT 6) whose root may hold the entry of index 0
 * directly.
 *
 * Readers (xa_load(), xa_find(), xa_for_each()) walk the trie under
 * rcu_read_lock() with rcu_dereference() of every slot and never take the
 * lock; writers take xa_lock (a spinlock_t, so lockdep and the scheduler
 * see it). Nodes come from the "radix_tree_node" kmem_cache, whose fault
 * site "kmem_cache:radix_tree_node" can fail them; a node leaves the trie
 * under the lock and is freed after an RCU grace period.
 *
 * Normal API only: there is no xa_state and no xas_*() advanced API.
 * Differences from the kernel: no marks (xa_find() takes XA_PRESENT only,
 * and XA_FLAGS_ALLOC keeps reserved entries but no free mark, so there is
 * no xa_alloc()), no multi-index entries; a store that needs nodes
 * allocates all of them before it changes the trie, so a store that fails
 * leaves the array exactly as it was (see __xa_store()); every internal
 * entry but XA_ZERO_ENTRY is refused with a warning and -EINVAL (the
 * kernel refuses only those xa_is_advanced() names).
 */
#ifndef _SHIM_LINUX_XARRAY_H
#define _SHIM_LINUX_XARRAY_H

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * Entries. The two low bits tell pointers (00), value entries (x1) and the
 * XArray's internal entries (10) apart: node pointers, the retry and zero
 * entries, and errors returned in place of an entry.
 */

/* An integer 0..LONG_MAX stored as an entry. */
static inline void *xa_mk_value(unsigned long v)
{
	WARN_ON((long)v < 0);
	return (void *)((v << 1) | 1);
}

static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}

/* A pointer with a 2-bit tag in its low bits (tag 2 and 3 are advanced). */
static inline void *xa_tag_pointer(void *p, unsigned long tag)
{
	return (void *)((unsigned long)p | tag);
}

static inline void *xa_untag_pointer(void *entry)
{
	return (void *)((unsigned long)entry & ~3UL);
}

static inline unsigned int xa_pointer_tag(void *entry)
{
	return (unsigned long)entry & 3UL;
}

static inline void *xa_mk_internal(unsigned long v)
{
	return (void *)((v << 2) | 2);
}

static inline unsigned long xa_to_internal(const void *entry)
{
	return (unsigned long)entry >> 2;
}

static inline bool xa_is_internal(const void *entry)
{
	return ((unsigned long)entry & 3) == 2;
}

/* Stored at a reserved index: loads return NULL, xa_insert() sees it busy. */
#define XA_ZERO_ENTRY		xa_mk_internal(257)

static inline bool xa_is_zero(const void *entry)
{
	return unlikely(entry == XA_ZERO_ENTRY);
}

/* A lockless reader that finds this must walk again from the root. */
#define XA_RETRY_ENTRY		xa_mk_internal(256)

static inline bool xa_is_retry(const void *entry)
{
	return unlikely(entry == XA_RETRY_ENTRY);
}

/*
 * The kernel's test for internal entries that only the advanced API may
 * store. The shim's normal API is stricter: it refuses every internal
 * entry but XA_ZERO_ENTRY (see __xa_store()).
 */
static inline bool xa_is_advanced(const void *entry)
{
	return xa_is_internal(entry) && (entry <= XA_RETRY_ENTRY);
}

/* An errno as an internal entry: what xa_store() returns on failure. */
#define XA_ERROR(errno)	((struct xa_node *)(((unsigned long)(errno) << 2) | 2UL))

static inline bool xa_is_err(const void *entry)
{
	return unlikely(xa_is_internal(entry) &&
			entry >= xa_mk_internal(-MAX_ERRNO));
}

/* The errno in @entry if it is an error entry, else 0. */
static inline int xa_err(void *entry)
{
	return xa_is_err(entry) ? (int)((long)entry >> 2) : 0;
}

/* ---- the array ---- */

typedef unsigned int __bitwise xa_mark_t;
/* The only filter of xa_find(): any present entry (no marks in the shim). */
#define XA_PRESENT		((__force xa_mark_t)8U)

enum xa_lock_type {
	XA_LOCK_IRQ = 1,
	XA_LOCK_BH = 2,
};

/*
 * xa_flags: the kernel's values. LOCK_IRQ/LOCK_BH pick the lock variant a
 * store drops and retakes to allocate; ACCOUNT adds __GFP_ACCOUNT to node
 * allocations; TRACK_FREE (XA_FLAGS_ALLOC) makes storing NULL reserve the
 * index, as the kernel's allocating arrays do. ZERO_BUSY and
 * ALLOC_WRAPPED only matter to xa_alloc(), which the shim does not have.
 */
#define XA_FLAGS_LOCK_IRQ	((__force gfp_t)XA_LOCK_IRQ)
#define XA_FLAGS_LOCK_BH	((__force gfp_t)XA_LOCK_BH)
#define XA_FLAGS_TRACK_FREE	((__force gfp_t)4U)
#define XA_FLAGS_ZERO_BUSY	((__force gfp_t)8U)
#define XA_FLAGS_ALLOC_WRAPPED	((__force gfp_t)16U)
#define XA_FLAGS_ACCOUNT	((__force gfp_t)32U)
#define XA_FLAGS_ALLOC		XA_FLAGS_TRACK_FREE
#define XA_FLAGS_ALLOC1		(XA_FLAGS_TRACK_FREE | XA_FLAGS_ZERO_BUSY)

struct xarray {
	spinlock_t	xa_lock;
	gfp_t		xa_flags;
	void __rcu	*xa_head;	/* NULL, the entry of index 0, or a node */
};

#define XARRAY_INIT(name, flags) {				\
	.xa_lock = __SPIN_LOCK_UNLOCKED(name.xa_lock),		\
	.xa_flags = flags,					\
	.xa_head = NULL,					\
}

#define DEFINE_XARRAY_FLAGS(name, flags)			\
	struct xarray name = XARRAY_INIT(name, flags)
#define DEFINE_XARRAY(name)		DEFINE_XARRAY_FLAGS(name, 0)
#define DEFINE_XARRAY_ALLOC(name)	DEFINE_XARRAY_FLAGS(name, XA_FLAGS_ALLOC)
#define DEFINE_XARRAY_ALLOC1(name)	DEFINE_XARRAY_FLAGS(name, XA_FLAGS_ALLOC1)

/*
 * As in the kernel, the arrays set up at run time by one source file share
 * one lock class (the static key of this inline's spin_lock_init()), so
 * lockdep takes nesting two of their xa_locks for recursion.
 */
static inline void xa_init_flags(struct xarray *xa, gfp_t flags)
{
	spin_lock_init(&xa->xa_lock);
	xa->xa_flags = flags;
	xa->xa_head = NULL;
}

static inline void xa_init(struct xarray *xa)
{
	xa_init_flags(xa, 0);
}

/* No entry at all (a reserved index counts as one). */
static inline bool xa_empty(const struct xarray *xa)
{
	return READ_ONCE(xa->xa_head) == NULL;
}

#define xa_trylock(xa)		spin_trylock(&(xa)->xa_lock)
#define xa_lock(xa)		spin_lock(&(xa)->xa_lock)
#define xa_unlock(xa)		spin_unlock(&(xa)->xa_lock)
#define xa_lock_bh(xa)		spin_lock_bh(&(xa)->xa_lock)
#define xa_unlock_bh(xa)	spin_unlock_bh(&(xa)->xa_lock)
#define xa_lock_irq(xa)		spin_lock_irq(&(xa)->xa_lock)
#define xa_unlock_irq(xa)	spin_unlock_irq(&(xa)->xa_lock)
#define xa_lock_irqsave(xa, flags) \
				spin_lock_irqsave(&(xa)->xa_lock, flags)
#define xa_unlock_irqrestore(xa, flags) \
				spin_unlock_irqrestore(&(xa)->xa_lock, flags)
#define xa_lock_nested(xa, subclass) \
				spin_lock_nested(&(xa)->xa_lock, subclass)

/* ---- the functions (shim/lib/xarray.c) ---- */

void *xa_load(struct xarray *xa, unsigned long index);
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max,
	      xa_mark_t filter);
void *xa_find_after(struct xarray *xa, unsigned long *indexp, unsigned long max,
		    xa_mark_t filter);
void xa_destroy(struct xarray *xa);

/* With xa_lock held; may drop and retake it to allocate (see __xa_store()). */
void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *__xa_erase(struct xarray *xa, unsigned long index);
void *__xa_cmpxchg(struct xarray *xa, unsigned long index, void *old,
		   void *entry, gfp_t gfp);
int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);

/*
 * Evaluate @call, one of the __xa_*() functions, inside xa_lock taken in
 * the flavour @how (empty, _bh or _irq); its value is the call's.
 */
#define __xa_locked(xa, how, call) ({				\
	typeof(call) __xa_ret;					\
	xa_lock##how(xa);					\
	__xa_ret = (call);					\
	xa_unlock##how(xa);					\
	__xa_ret;						\
})

static inline void *xa_store_bh(struct xarray *xa, unsigned long index,
				void *entry, gfp_t gfp)
{
	might_alloc(gfp);
	return __xa_locked(xa, _bh, __xa_store(xa, index, entry, gfp));
}

static inline void *xa_store_irq(struct xarray *xa, unsigned long index,
				 void *entry, gfp_t gfp)
{
	might_alloc(gfp);
	return __xa_locked(xa, _irq, __xa_store(xa, index, entry, gfp));
}

static inline void *xa_erase_bh(struct xarray *xa, unsigned long index)
{
	return __xa_locked(xa, _bh, __xa_erase(xa, index));
}

static inline void *xa_erase_irq(struct xarray *xa, unsigned long index)
{
	return __xa_locked(xa, _irq, __xa_erase(xa, index));
}

/*
 * Store @entry at @index if what is there is @old; returns what was there
 * (a reserved index reads as NULL, but only @old == XA_ZERO_ENTRY matches
 * it), or an error entry.
 */
static inline void *xa_cmpxchg(struct xarray *xa, unsigned long index,
			       void *old, void *entry, gfp_t gfp)
{
	might_alloc(gfp);
	return __xa_locked(xa, , __xa_cmpxchg(xa, index, old, entry, gfp));
}

static inline void *xa_cmpxchg_bh(struct xarray *xa, unsigned long index,
				  void *old, void *entry, gfp_t gfp)
{
	might_alloc(gfp);
	return __xa_locked(xa, _bh, __xa_cmpxchg(xa, index, old, entry, gfp));
}

static inline void *xa_cmpxchg_irq(struct xarray *xa, unsigned long index,
				   void *old, void *entry, gfp_t gfp)
{
	might_alloc(gfp);
	return __xa_locked(xa, _irq, __xa_cmpxchg(xa, index, old, entry, gfp));
}

/*
 * Store @entry at @index only if nothing (not even a reservation) is
 * there: 0, -EBUSY, -ENOMEM or -EINVAL. Inserting NULL reserves @index.
 */
static inline int xa_insert(struct xarray *xa, unsigned long index,
			    void *entry, gfp_t gfp)
{
	might_alloc(gfp);
	return __xa_locked(xa, , __xa_insert(xa, index, entry, gfp));
}

static inline int xa_insert_bh(struct xarray *xa, unsigned long index,
			       void *entry, gfp_t gfp)
{
	might_alloc(gfp);
	return __xa_locked(xa, _bh, __xa_insert(xa, index, entry, gfp));
}

static inline int xa_insert_irq(struct xarray *xa, unsigned long index,
				void *entry, gfp_t gfp)
{
	might_alloc(gfp);
	return __xa_locked(xa, _irq, __xa_insert(xa, index, entry, gfp));
}

/* Reserve @index (allocating its slot now); 0 or -ENOMEM. */
static inline __must_check int xa_reserve(struct xarray *xa, unsigned long index,
					  gfp_t gfp)
{
	return xa_err(xa_cmpxchg(xa, index, NULL, XA_ZERO_ENTRY, gfp));
}

/* Drop a reservation that was not used (nothing if an entry was stored). */
static inline void xa_release(struct xarray *xa, unsigned long index)
{
	xa_cmpxchg(xa, index, XA_ZERO_ENTRY, NULL, 0);
}

/*
 * Every present entry with @index from @start to @last, in ascending index
 * order. Each step is an xa_find_after() under RCU: the lock is not held
 * across the loop body, entries stored or erased meanwhile may or may not
 * be seen, and reserved indices are skipped.
 */
#define xa_for_each_range(xa, index, entry, start, last)		\
	for (index = start,						\
	     entry = xa_find(xa, &index, last, XA_PRESENT);		\
	     entry;							\
	     entry = xa_find_after(xa, &index, last, XA_PRESENT))

#define xa_for_each_start(xa, index, entry, start) \
	xa_for_each_range(xa, index, entry, start, ULONG_MAX)

#define xa_for_each(xa, index, entry) \
	xa_for_each_start(xa, index, entry, 0)

/* ---- the trie ---- */

#define XA_CHUNK_SHIFT		6
#define XA_CHUNK_SIZE		(1UL << XA_CHUNK_SHIFT)
#define XA_CHUNK_MASK		(XA_CHUNK_SIZE - 1)

/*
 * An interior node: @shift is the number of index bits below its slots
 * (0 for a leaf node), @offset its slot in @parent, @count its non-NULL
 * slots, @nr_values how many of them are value entries. The kernel's
 * marks[][] are absent (no marks).
 */
struct xa_node {
	unsigned char	shift;
	unsigned char	offset;
	unsigned char	count;
	unsigned char	nr_values;
	struct xa_node __rcu *parent;	/* NULL for the root node */
	struct xarray	*array;		/* XA_RCU_FREE once unlinked */
	union {
		struct list_head private_list;	/* for the node's user */
		struct rcu_head	rcu_head;	/* freeing */
	};
	void __rcu	*slots[XA_CHUNK_SIZE];
};

static inline bool xa_is_node(const void *entry)
{
	return xa_is_internal(entry) && (unsigned long)entry > 4096;
}

static inline struct xa_node *xa_to_node(const void *entry)
{
	return (struct xa_node *)((unsigned long)entry - 2);
}

static inline void *xa_mk_node(const struct xa_node *node)
{
	return (void *)((unsigned long)node | 2);
}

/*
 * The node cache, created at boot (the kernel's radix_tree_init()). The
 * kernel declares it in lib/radix-tree.h; it is here so that tests can
 * count live nodes with kmem_cache_live_objects().
 */
struct kmem_cache;
extern struct kmem_cache *radix_tree_node_cachep;

#endif /* _SHIM_LINUX_XARRAY_H */
