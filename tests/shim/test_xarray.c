// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XArray: the checks lib/test_xarray.c makes for the normal API
 * (store/load/erase round trips, xa_err(), cmpxchg, insert and reserve,
 * shrinking, iteration order and xa_find() ranges, value entries, reuse
 * after xa_destroy()), node allocation failures through the
 * "kmem_cache:radix_tree_node" fault site, the lock dropped to allocate,
 * and lockless readers racing writers in both backends.
 *
 * The checks run inside simulated tasks, which return 0 or the source line
 * of the first failed check; the test asserts on that value.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <sim/sched.h>

#include "zsim_test.h"

#define XA_CHECK(cond) do {						\
	if (!(cond))							\
		return __LINE__;					\
} while (0)

#define XA_RUN(fn, arg)	assert_int_equal(zsim_run(0, fn, arg), 0)

/* The entry lib/test_xarray.c stores for an index. */
static void *xa_mk_index(unsigned long index)
{
	return xa_mk_value(index & LONG_MAX);
}

/* Nodes still allocated once every RCU-deferred free has run. */
static unsigned long live_nodes(void)
{
	rcu_barrier();
	return kmem_cache_live_objects(radix_tree_node_cachep);
}

static void boot(void **state, bool quiet)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 4, 11);
	cfg.quiet = quiet;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

/* Indices at every level of the trie, the edges of nodes, and the ends. */
static const unsigned long spread[] = {
	0, 1, 2, 63, 64, 65, 127, 4095, 4096, 4097, 262143, 262144,
	1UL << 30, (1UL << 32) + 5, 1UL << 40, ULONG_MAX / 3, LONG_MAX,
	ULONG_MAX - 64, ULONG_MAX - 1, ULONG_MAX,
};

static DEFINE_XARRAY(array);

/* ---- store, load, erase ---- */

static int store_load_erase(void *arg)
{
	unsigned long i, j;

	XA_CHECK(xa_empty(&array));
	/* check_xa_load(): dense indices, each store visible, then erased. */
	for (i = 0; i < 1024; i++) {
		XA_CHECK(xa_store(&array, i, xa_mk_index(i), GFP_KERNEL) == NULL);
		for (j = 0; j < 1024; j += 97)
			XA_CHECK(xa_load(&array, j) == (j <= i ? xa_mk_index(j) : NULL));
	}
	for (i = 0; i < 1024; i++) {
		XA_CHECK(xa_erase(&array, i) == xa_mk_index(i));
		for (j = 0; j < 1024; j += 97)
			XA_CHECK(xa_load(&array, j) == (j > i ? xa_mk_index(j) : NULL));
	}
	XA_CHECK(xa_empty(&array));

	/* Sparse indices up to ULONG_MAX; storing returns the old entry. */
	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		XA_CHECK(xa_store(&array, spread[i], xa_mk_index(spread[i]),
				  GFP_KERNEL) == NULL);
		for (j = 0; j <= i; j++)
			XA_CHECK(xa_load(&array, spread[j]) == xa_mk_index(spread[j]));
		for (j = i + 1; j < ARRAY_SIZE(spread); j++)
			XA_CHECK(xa_load(&array, spread[j]) == NULL);
	}
	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		XA_CHECK(xa_load(&array, spread[i]) == xa_mk_index(spread[i]));
		XA_CHECK(xa_store(&array, spread[i], xa_mk_value(i), GFP_KERNEL) ==
			 xa_mk_index(spread[i]));
	}
	/* Storing NULL is erasing. */
	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		XA_CHECK(xa_store(&array, spread[i], NULL, GFP_KERNEL) == xa_mk_value(i));
		XA_CHECK(xa_load(&array, spread[i]) == NULL);
		XA_CHECK(xa_erase(&array, spread[i]) == NULL);
	}
	XA_CHECK(xa_empty(&array));
	XA_CHECK(live_nodes() == 0);
	return 0;
}

static void test_store_load_erase(void **state)
{
	boot(state, false);
	XA_RUN(store_load_erase, NULL);
	zsim_test_shutdown_clean();
}

/* check_xa_err(): good operations report no error. */
static int errors(void *arg)
{
	XA_CHECK(xa_err(xa_store(&array, 0, xa_mk_value(0), GFP_NOWAIT)) == 0);
	XA_CHECK(xa_err(xa_erase(&array, 0)) == 0);
	XA_CHECK(xa_err(xa_store(&array, 1, xa_mk_value(0), GFP_KERNEL)) == 0);
	XA_CHECK(xa_err(xa_store(&array, 1, NULL, 0)) == 0);
	XA_CHECK(xa_err(xa_erase(&array, 1)) == 0);
	XA_CHECK(!xa_is_err(NULL) && !xa_is_err(xa_mk_value(5)));
	XA_CHECK(xa_is_err(XA_ERROR(-ENOMEM)) && xa_err(XA_ERROR(-ENOMEM)) == -ENOMEM);
	XA_CHECK(xa_err(XA_ERROR(-EINVAL)) == -EINVAL);
	XA_CHECK(xa_empty(&array));
	return 0;
}

/* Entries users may not store, and marks, are refused with a warning. */
static int bad_input(void *arg)
{
	unsigned long index = 0;

	XA_CHECK(xa_err(xa_store(&array, 3, xa_mk_internal(1), GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_err(xa_cmpxchg(&array, 3, NULL, XA_RETRY_ENTRY, GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_insert(&array, 3, xa_mk_internal(7), GFP_KERNEL) == -EINVAL);
	XA_CHECK(xa_empty(&array));
	XA_CHECK(xa_store(&array, 3, xa_mk_value(3), GFP_KERNEL) == NULL);
	XA_CHECK(xa_find(&array, &index, ULONG_MAX, (__force xa_mark_t)0) == NULL);
	XA_CHECK(xa_erase(&array, 3) == xa_mk_value(3));
	return 0;
}

static void test_errors(void **state)
{
	boot(state, false);
	XA_RUN(errors, NULL);
	zsim_test_shutdown_clean();

	boot(state, true);
	XA_RUN(bad_input, NULL);
	/* One WARN_ON_ONCE per site: store, cmpxchg, insert, the filter. */
	assert_int_equal(zsim_warnings(), 4);
	assert_int_equal(zsim_machine_stop(), 4);
}

/* ---- cmpxchg, insert, reserve ---- */

static int check_cmpxchg(void *arg)
{
	void *FIVE = xa_mk_value(5), *SIX = xa_mk_value(6);
	void *LOTS = xa_mk_value(12345678);

	XA_CHECK(xa_store(&array, 12345678, LOTS, GFP_KERNEL) == NULL);
	XA_CHECK(xa_cmpxchg(&array, 12345678, SIX, FIVE, GFP_KERNEL) == LOTS);
	XA_CHECK(xa_load(&array, 12345678) == LOTS);
	XA_CHECK(xa_cmpxchg(&array, 12345678, LOTS, FIVE, GFP_KERNEL) == LOTS);
	XA_CHECK(xa_load(&array, 12345678) == FIVE);
	XA_CHECK(xa_cmpxchg(&array, 12345678, FIVE, LOTS, GFP_KERNEL) == FIVE);
	XA_CHECK(xa_cmpxchg(&array, 5, FIVE, NULL, GFP_KERNEL) == NULL);
	XA_CHECK(xa_load(&array, 5) == NULL);
	XA_CHECK(xa_cmpxchg(&array, 5, NULL, FIVE, GFP_KERNEL) == NULL);
	XA_CHECK(xa_load(&array, 5) == FIVE);
	XA_CHECK(xa_insert(&array, 5, FIVE, GFP_KERNEL) == -EBUSY);
	XA_CHECK(xa_cmpxchg(&array, 5, FIVE, NULL, GFP_KERNEL) == FIVE);
	XA_CHECK(xa_load(&array, 5) == NULL);
	XA_CHECK(xa_insert(&array, 5, FIVE, GFP_KERNEL) == 0);
	XA_CHECK(xa_load(&array, 5) == FIVE);
	XA_CHECK(xa_erase(&array, 12345678) == LOTS);
	XA_CHECK(xa_erase(&array, 5) == FIVE);
	XA_CHECK(xa_empty(&array));
	return 0;
}

static int insert_reserve(void *arg)
{
	struct xarray *alloc = arg;
	unsigned long i, index;
	void *entry;
	int n = 0;

	/* check_insert(): every index once, -EBUSY the second time. */
	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		XA_CHECK(xa_insert(&array, spread[i], xa_mk_index(spread[i]), GFP_KERNEL) == 0);
		XA_CHECK(xa_insert(&array, spread[i], xa_mk_value(1), GFP_KERNEL) == -EBUSY);
		XA_CHECK(xa_load(&array, spread[i]) == xa_mk_index(spread[i]));
	}
	for (i = 0; i < ARRAY_SIZE(spread); i++)
		XA_CHECK(xa_erase(&array, spread[i]) == xa_mk_index(spread[i]));
	XA_CHECK(xa_empty(&array));

	/* Inserting NULL reserves: loads NULL, busy, not iterated, erasable. */
	XA_CHECK(xa_insert(&array, 12, NULL, GFP_KERNEL) == 0);
	XA_CHECK(!xa_empty(&array));
	XA_CHECK(xa_load(&array, 12) == NULL);
	XA_CHECK(xa_insert(&array, 12, xa_mk_value(12), GFP_KERNEL) == -EBUSY);
	XA_CHECK(xa_cmpxchg(&array, 12, NULL, xa_mk_value(1), GFP_KERNEL) == NULL);
	XA_CHECK(xa_load(&array, 12) == NULL);
	XA_CHECK(xa_store(&array, 13, xa_mk_value(13), GFP_KERNEL) == NULL);
	xa_for_each(&array, index, entry)
		XA_CHECK(index == 13 && entry == xa_mk_value(13) && ++n == 1);
	XA_CHECK(n == 1);
	XA_CHECK(xa_erase(&array, 12) == NULL);
	XA_CHECK(xa_erase(&array, 13) == xa_mk_value(13));
	XA_CHECK(xa_empty(&array));

	/* xa_reserve() then xa_release(); a used reservation is kept. */
	XA_CHECK(xa_reserve(&array, 1UL << 20, GFP_KERNEL) == 0);
	XA_CHECK(!xa_empty(&array) && xa_load(&array, 1UL << 20) == NULL);
	xa_release(&array, 1UL << 20);
	XA_CHECK(xa_empty(&array));
	XA_CHECK(xa_reserve(&array, 7, GFP_KERNEL) == 0);
	XA_CHECK(xa_store(&array, 7, xa_mk_value(7), GFP_KERNEL) == NULL);
	xa_release(&array, 7);
	XA_CHECK(xa_erase(&array, 7) == xa_mk_value(7));
	XA_CHECK(xa_empty(&array));

	/* An allocating array: storing NULL keeps the index reserved. */
	XA_CHECK(xa_store(alloc, 3, xa_mk_value(3), GFP_KERNEL) == NULL);
	XA_CHECK(xa_store(alloc, 3, NULL, GFP_KERNEL) == xa_mk_value(3));
	XA_CHECK(!xa_empty(alloc) && xa_load(alloc, 3) == NULL);
	XA_CHECK(xa_insert(alloc, 3, xa_mk_value(3), GFP_KERNEL) == -EBUSY);
	XA_CHECK(xa_erase(alloc, 3) == NULL);
	XA_CHECK(xa_empty(alloc));
	XA_CHECK(live_nodes() == 0);
	return 0;
}

static DEFINE_XARRAY_ALLOC(alloc_array);

static void test_cmpxchg_insert(void **state)
{
	boot(state, false);
	XA_RUN(check_cmpxchg, NULL);
	XA_RUN(insert_reserve, &alloc_array);
	zsim_test_shutdown_clean();
}

/* ---- the shape of the trie ---- */

static int shrink(void *arg)
{
	struct xarray xa;
	void *head;

	xa_init(&xa);
	/* Index 0 alone lives in the head; index 1 needs a node. */
	XA_CHECK(xa_store(&xa, 0, xa_mk_value(0), GFP_KERNEL) == NULL);
	XA_CHECK(READ_ONCE(xa.xa_head) == xa_mk_value(0) && live_nodes() == 0);
	XA_CHECK(xa_store(&xa, 1, xa_mk_value(1), GFP_KERNEL) == NULL);
	head = READ_ONCE(xa.xa_head);
	XA_CHECK(xa_is_node(head) && xa_to_node(head)->count == 2 &&
		 xa_to_node(head)->nr_values == 2 && xa_to_node(head)->shift == 0);
	XA_CHECK(live_nodes() == 1);
	/* check_xa_shrink(): erasing 1 brings index 0 back into the head. */
	XA_CHECK(xa_erase(&xa, 1) == xa_mk_value(1));
	XA_CHECK(READ_ONCE(xa.xa_head) == xa_mk_value(0));
	XA_CHECK(xa_load(&xa, 0) == xa_mk_value(0) && xa_load(&xa, 1) == NULL);
	XA_CHECK(live_nodes() == 0);

	/*
	 * Growing from a direct entry: roots of shift 0, 6, 12 above index
	 * 0's entry, then the path 6, 0 to 4096. ULONG_MAX adds roots 18..60
	 * and a path of 10 nodes below the top.
	 */
	XA_CHECK(xa_store(&xa, 4096, xa_mk_value(1), GFP_KERNEL) == NULL);
	XA_CHECK(live_nodes() == 5 && xa_to_node(READ_ONCE(xa.xa_head))->shift == 12);
	XA_CHECK(xa_load(&xa, 0) == xa_mk_value(0));
	XA_CHECK(xa_store(&xa, ULONG_MAX, xa_mk_value(2), GFP_KERNEL) == NULL);
	XA_CHECK(xa_to_node(READ_ONCE(xa.xa_head))->shift == 60);
	XA_CHECK(live_nodes() == 5 + 8 + 10);
	/* Empty nodes go; the roots stay while ULONG_MAX needs them. */
	XA_CHECK(xa_erase(&xa, 4096) == xa_mk_value(1));
	XA_CHECK(live_nodes() == 21);
	/* Then the whole trie shrinks back to the direct entry. */
	XA_CHECK(xa_erase(&xa, ULONG_MAX) == xa_mk_value(2));
	XA_CHECK(READ_ONCE(xa.xa_head) == xa_mk_value(0) && live_nodes() == 0);
	XA_CHECK(xa_erase(&xa, 0) == xa_mk_value(0));
	XA_CHECK(xa_empty(&xa));
	return 0;
}

static void test_shrink(void **state)
{
	boot(state, false);
	XA_RUN(shrink, NULL);
	zsim_test_shutdown_clean();
}

/* ---- iteration and xa_find() ---- */

/* The smallest index of spread[] in [start, max], by brute force. */
static bool ref_find(unsigned long start, unsigned long max, unsigned long *found)
{
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		if (spread[i] >= start && spread[i] <= max) {
			*found = spread[i];
			return true;
		}
	}
	return false;
}

static int iterate(void *arg)
{
	unsigned long bounds[3 * ARRAY_SIZE(spread) + 1];
	unsigned long i, j, index, expect, nb = 0;
	int order[ARRAY_SIZE(spread)];
	void *entry;

	/* Stored in a scrambled order, iterated in ascending order. */
	for (i = 0; i < ARRAY_SIZE(spread); i++)
		order[i] = (i * 7) % ARRAY_SIZE(spread);
	for (i = 0; i < ARRAY_SIZE(spread); i++)
		XA_CHECK(xa_store(&array, spread[order[i]], xa_mk_index(spread[order[i]]),
				  GFP_KERNEL) == NULL);
	/* A reservation is never returned. */
	XA_CHECK(xa_insert(&array, 5, NULL, GFP_KERNEL) == 0);
	i = 0;
	xa_for_each(&array, index, entry) {
		XA_CHECK(i < ARRAY_SIZE(spread) && index == spread[i]);
		XA_CHECK(entry == xa_mk_index(index));
		i++;
	}
	XA_CHECK(i == ARRAY_SIZE(spread));
	i = 0;
	xa_for_each_range(&array, index, entry, 64, 1UL << 32) {
		XA_CHECK(index >= 64 && index <= 1UL << 32);
		i++;
	}
	XA_CHECK(i == 9);
	i = 0;
	xa_for_each_start(&array, index, entry, ULONG_MAX - 1)
		i++;
	XA_CHECK(i == 2);

	/* check_find(): every range edge against a linear search. */
	bounds[nb++] = 0;
	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		bounds[nb++] = spread[i] - 1;
		bounds[nb++] = spread[i];
		bounds[nb++] = spread[i] + 1;
	}
	for (i = 0; i < nb; i++) {
		for (j = 0; j < nb; j++) {
			bool hit = ref_find(bounds[i], bounds[j], &expect);

			index = bounds[i];
			entry = xa_find(&array, &index, bounds[j], XA_PRESENT);
			XA_CHECK(hit ? entry == xa_mk_index(expect) && index == expect :
				 !entry && index == bounds[i]);
			/* xa_find_after() looks strictly above. */
			index = bounds[i];
			hit = bounds[i] != ULONG_MAX && ref_find(bounds[i] + 1, bounds[j], &expect);
			entry = xa_find_after(&array, &index, bounds[j], XA_PRESENT);
			XA_CHECK(hit ? entry == xa_mk_index(expect) && index == expect : !entry);
		}
	}
	XA_CHECK(xa_erase(&array, 5) == NULL);
	xa_for_each(&array, index, entry)
		XA_CHECK(xa_erase(&array, index) == entry);
	XA_CHECK(xa_empty(&array) && live_nodes() == 0);
	return 0;
}

static void test_iterate_find(void **state)
{
	boot(state, false);
	XA_RUN(iterate, NULL);
	zsim_test_shutdown_clean();
}

/* ---- values, destroy and reuse, the locked forms ---- */

static int values_destroy(void *arg)
{
	static unsigned long object[4];
	unsigned long i, index;
	void *entry;
	int n;

	/* check_xa_value-like: values and (tagged) pointers round-trip. */
	XA_CHECK(xa_is_value(xa_mk_value(0)) && xa_to_value(xa_mk_value(LONG_MAX)) == LONG_MAX);
	XA_CHECK(!xa_is_value(&object[0]) && !xa_is_internal(xa_mk_value(7)));
	XA_CHECK(xa_pointer_tag(xa_tag_pointer(&object[1], 1)) == 1);
	XA_CHECK(xa_untag_pointer(xa_tag_pointer(&object[1], 1)) == &object[1]);
	for (i = 0; i < 4; i++) {
		XA_CHECK(xa_store(&array, i * 1000, &object[i], GFP_KERNEL) == NULL);
		XA_CHECK(xa_store(&array, i * 1000 + 1, xa_mk_value(LONG_MAX - i),
				  GFP_KERNEL) == NULL);
	}
	for (i = 0; i < 4; i++) {
		XA_CHECK(xa_load(&array, i * 1000) == &object[i]);
		XA_CHECK(xa_to_value(xa_load(&array, i * 1000 + 1)) == LONG_MAX - i);
	}

	/* check_destroy(): destroy empties; the array is usable again. */
	xa_destroy(&array);
	XA_CHECK(xa_empty(&array) && xa_load(&array, 1000) == NULL);
	XA_CHECK(live_nodes() == 0);
	xa_destroy(&array);
	for (i = 0; i < ARRAY_SIZE(spread); i++)
		XA_CHECK(xa_store(&array, spread[i], xa_mk_index(spread[i]), GFP_KERNEL) == NULL);
	n = 0;
	xa_for_each(&array, index, entry)
		n++;
	XA_CHECK(n == ARRAY_SIZE(spread));
	xa_destroy(&array);
	XA_CHECK(xa_empty(&array));
	XA_CHECK(xa_store(&array, ULONG_MAX, xa_mk_value(1), GFP_KERNEL) == NULL);
	xa_destroy(&array);
	XA_CHECK(live_nodes() == 0);
	return 0;
}

static int locked_forms(void *arg)
{
	struct xarray bh;
	int err;

	xa_lock(&array);
	XA_CHECK(__xa_store(&array, 100, xa_mk_value(100), GFP_KERNEL) == NULL);
	XA_CHECK(__xa_insert(&array, 100, xa_mk_value(1), GFP_KERNEL) == -EBUSY);
	XA_CHECK(__xa_insert(&array, 200, xa_mk_value(200), GFP_ATOMIC) == 0);
	XA_CHECK(__xa_cmpxchg(&array, 100, xa_mk_value(100), xa_mk_value(101),
			      GFP_KERNEL) == xa_mk_value(100));
	XA_CHECK(__xa_erase(&array, 200) == xa_mk_value(200));
	xa_unlock(&array);
	XA_CHECK(xa_load(&array, 100) == xa_mk_value(101));
	XA_CHECK(xa_erase(&array, 100) == xa_mk_value(101));

	/* The _bh and _irq forms with an array that says how it is locked. */
	xa_init_flags(&bh, XA_FLAGS_LOCK_BH);
	XA_CHECK(xa_store_bh(&bh, 70000, xa_mk_value(1), GFP_KERNEL) == NULL);
	XA_CHECK(xa_insert_bh(&bh, 70001, xa_mk_value(2), GFP_KERNEL) == 0);
	XA_CHECK(xa_cmpxchg_bh(&bh, 70001, xa_mk_value(2), xa_mk_value(3), GFP_KERNEL) ==
		 xa_mk_value(2));
	XA_CHECK(xa_erase_bh(&bh, 70001) == xa_mk_value(3));
	xa_lock_bh(&bh);
	err = xa_err(__xa_store(&bh, 1UL << 40, xa_mk_value(4), GFP_KERNEL));
	xa_unlock_bh(&bh);
	XA_CHECK(err == 0 && xa_load(&bh, 1UL << 40) == xa_mk_value(4));
	xa_destroy(&bh);
	XA_CHECK(xa_store_irq(&array, 9, xa_mk_value(9), GFP_ATOMIC) == NULL);
	XA_CHECK(xa_insert_irq(&array, 10, xa_mk_value(10), GFP_ATOMIC) == 0);
	XA_CHECK(xa_cmpxchg_irq(&array, 10, xa_mk_value(10), NULL, 0) == xa_mk_value(10));
	XA_CHECK(xa_erase_irq(&array, 9) == xa_mk_value(9));
	XA_CHECK(xa_empty(&array) && live_nodes() == 0);
	return 0;
}

static void test_values_destroy_locked(void **state)
{
	boot(state, false);
	XA_RUN(values_destroy, NULL);
	XA_RUN(locked_forms, NULL);
	zsim_test_shutdown_clean();
}

/* ---- node allocation failures ---- */

#define NODE_SITE	"kmem_cache:radix_tree_node"

static int nomem_unchanged(void *arg)
{
	unsigned long i, nodes;
	void *head;

	for (i = 0; i < 64; i++)
		XA_CHECK(xa_store(&array, i, xa_mk_index(i), GFP_KERNEL) == NULL);
	head = READ_ONCE(array.xa_head);
	nodes = live_nodes();
	XA_CHECK(nodes == 1);

	/* Every node allocation fails: each store that needs one fails. */
	XA_CHECK(zsim_fault_set(NODE_SITE, 1000, 0, 0) == 0);
	XA_CHECK(xa_err(xa_store(&array, 64, xa_mk_value(1), GFP_KERNEL)) == -ENOMEM);
	XA_CHECK(xa_err(xa_store(&array, ULONG_MAX, xa_mk_value(1), GFP_ATOMIC)) == -ENOMEM);
	XA_CHECK(xa_insert(&array, 1UL << 20, xa_mk_value(1), GFP_KERNEL) == -ENOMEM);
	XA_CHECK(xa_err(xa_cmpxchg(&array, 4096, NULL, xa_mk_value(1), GFP_NOWAIT)) == -ENOMEM);
	XA_CHECK(xa_reserve(&array, 65, GFP_KERNEL) == -ENOMEM);
	/* The kernel's order: GFP_NOWAIT under the lock, then the caller's gfp. */
	XA_CHECK(zsim_fault_injected(NODE_SITE) == 10);
	/* ... and the array is exactly as it was. */
	XA_CHECK(READ_ONCE(array.xa_head) == head && live_nodes() == nodes);
	XA_CHECK(xa_to_node(head)->count == 64 && xa_to_node(head)->nr_values == 64);
	for (i = 0; i < 64; i++)
		XA_CHECK(xa_load(&array, i) == xa_mk_index(i));
	XA_CHECK(xa_load(&array, 64) == NULL && xa_load(&array, ULONG_MAX) == NULL);
	/* Needing no node, these still work. */
	XA_CHECK(xa_store(&array, 5, xa_mk_value(5), GFP_KERNEL) == xa_mk_index(5));
	XA_CHECK(xa_erase(&array, 63) == xa_mk_index(63));
	XA_CHECK(xa_insert(&array, 63, xa_mk_index(63), GFP_KERNEL) == 0);

	/* Only the first try fails: the retry allocates and the store lands. */
	XA_CHECK(zsim_fault_set(NODE_SITE, 0, 0, 1) == 0);
	XA_CHECK(xa_store(&array, 64, xa_mk_value(64), GFP_KERNEL) == NULL);
	XA_CHECK(zsim_fault_injected(NODE_SITE) == 1 && zsim_fault_calls(NODE_SITE) >= 2);
	XA_CHECK(xa_load(&array, 64) == xa_mk_value(64));
	zsim_fault_clear_all();

	xa_destroy(&array);
	XA_CHECK(live_nodes() == 0);
	return 0;
}

/*
 * Under the lock with a sleeping gfp, the store drops the lock (of the
 * array's lock type) to allocate: otherwise the allocation would sleep in
 * atomic context and be reported.
 */
static int nomem_drops_lock(void *arg)
{
	struct xarray bh;
	void *curr;

	XA_CHECK(zsim_fault_set(NODE_SITE, 0, 0, 1) == 0);
	xa_lock(&array);
	curr = __xa_store(&array, 1UL << 30, xa_mk_value(1), GFP_KERNEL);
	xa_unlock(&array);
	XA_CHECK(curr == NULL && xa_load(&array, 1UL << 30) == xa_mk_value(1));

	xa_init_flags(&bh, XA_FLAGS_LOCK_BH);
	XA_CHECK(zsim_fault_set(NODE_SITE, 0, 0, 1) == 0);
	xa_lock_bh(&bh);
	curr = __xa_store(&bh, 4096, xa_mk_value(2), GFP_KERNEL);
	xa_unlock_bh(&bh);
	XA_CHECK(curr == NULL && xa_load(&bh, 4096) == xa_mk_value(2));

	/* An atomic gfp retries under the lock. */
	XA_CHECK(zsim_fault_set(NODE_SITE, 0, 0, 1) == 0);
	xa_lock_bh(&bh);
	curr = __xa_store(&bh, 8192, xa_mk_value(3), GFP_ATOMIC);
	xa_unlock_bh(&bh);
	XA_CHECK(curr == NULL && xa_load(&bh, 8192) == xa_mk_value(3));
	XA_CHECK(zsim_fault_injected(NODE_SITE) == 1);
	zsim_fault_clear_all();

	xa_destroy(&bh);
	xa_destroy(&array);
	XA_CHECK(live_nodes() == 0);
	return 0;
}

/* Random stores and erases with failing nodes, against a model. */
static int nomem_model(void *arg)
{
	static const unsigned long base[] = { 0, 60, 4090, 262140, 1UL << 36, ULONG_MAX - 5 };
	unsigned long model[ARRAY_SIZE(base) * 6];
	unsigned long i, index, seed = 12345, failed = 0;
	void *curr, *entry;
	int op;

	memset(model, 0, sizeof(model));
	XA_CHECK(zsim_fault_set(NODE_SITE, 300, 0, 0) == 0);
	for (op = 0; op < 3000; op++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		i = (seed >> 33) % ARRAY_SIZE(model);
		index = base[i / 6] + i % 6;
		if ((seed >> 20) & 1) {
			curr = xa_store(&array, index, xa_mk_value(op),
					GFP_KERNEL | __GFP_NOWARN);
			if (xa_is_err(curr)) {
				XA_CHECK(xa_err(curr) == -ENOMEM);
				failed++;
			} else {
				XA_CHECK(curr == (model[i] ? xa_mk_value(model[i] - 1) : NULL));
				model[i] = op + 1;
			}
		} else {
			curr = xa_erase(&array, index);
			XA_CHECK(curr == (model[i] ? xa_mk_value(model[i] - 1) : NULL));
			model[i] = 0;
		}
		XA_CHECK(xa_load(&array, index) == (model[i] ? xa_mk_value(model[i] - 1) : NULL));
	}
	zsim_fault_clear_all();
	XA_CHECK(failed > 0);
	/* Exactly the model's entries, in order. */
	i = 0;
	xa_for_each(&array, index, entry) {
		while (i < ARRAY_SIZE(model) && !model[i])
			i++;
		XA_CHECK(i < ARRAY_SIZE(model) && index == base[i / 6] + i % 6);
		XA_CHECK(entry == xa_mk_value(model[i] - 1));
		i++;
	}
	while (i < ARRAY_SIZE(model))
		XA_CHECK(!model[i++]);
	xa_destroy(&array);
	XA_CHECK(live_nodes() == 0);
	return 0;
}

static void test_fault_injection(void **state)
{
	boot(state, false);
	XA_RUN(nomem_unchanged, NULL);
	XA_RUN(nomem_drops_lock, NULL);
	XA_RUN(nomem_model, NULL);
	zsim_test_shutdown_clean();
}

/* ---- lockless readers against writers ---- */

#define CONC_MAGIC	0x5a17ab1eUL

/* Even indices hold objects (freed after a grace period), odd ones values. */
struct conc_obj {
	unsigned long		magic;
	unsigned long		index;
	struct rcu_head		rcu;
};

static const unsigned long conc_index[] = {
	0, 1, 2, 63, 64, 4095, 4096, 1UL << 18, (1UL << 18) + 1, 1UL << 30,
	1UL << 48, ULONG_MAX - 1, ULONG_MAX,
};

struct conc_ctx {
	struct xarray	xa;
	int		ops;		/* per writer */
	int		writers;
	int		writers_done;
	unsigned long	loads;
	unsigned long	walks;
	unsigned long	bad;
};

static void *conc_entry(unsigned long index)
{
	struct conc_obj *obj;

	if (index & 1)
		return xa_mk_value(index >> 1);
	obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	if (obj) {
		obj->magic = CONC_MAGIC;
		obj->index = index;
	}
	return obj;
}

static void conc_put(void *entry)
{
	struct conc_obj *obj = entry;

	if (entry && !xa_is_value(entry))
		kfree_rcu(obj, rcu);
}

/* Is @entry something that may be at @index? Called under RCU. */
static bool conc_valid(unsigned long index, void *entry)
{
	struct conc_obj *obj = entry;

	if (!entry)
		return true;
	if (index & 1)
		return entry == xa_mk_value(index >> 1);
	if (xa_is_internal(entry) || xa_is_value(entry))
		return false;
	return READ_ONCE(obj->magic) == CONC_MAGIC && READ_ONCE(obj->index) == index;
}

static int conc_writer(void *arg)
{
	struct conc_ctx *c = arg;
	unsigned long seed = current->pid * 2654435761UL, index;
	void *entry, *old;
	int op;

	for (op = 0; op < c->ops; op++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		index = conc_index[(seed >> 33) % ARRAY_SIZE(conc_index)];
		if ((seed >> 24) % 3) {
			entry = conc_entry(index);
			if (!entry)
				return -ENOMEM;
			old = xa_store(&c->xa, index, entry, GFP_KERNEL);
			if (xa_is_err(old)) {
				conc_put(entry);
				return xa_err(old);
			}
		} else {
			old = xa_erase(&c->xa, index);
		}
		conc_put(old);
	}
	__atomic_add_fetch(&c->writers_done, 1, __ATOMIC_RELEASE);
	return 0;
}

static int conc_reader(void *arg)
{
	struct conc_ctx *c = arg;
	unsigned long i, index, prev, loads = 0, walks = 0, bad = 0;
	void *entry;
	bool first;

	while (__atomic_load_n(&c->writers_done, __ATOMIC_ACQUIRE) < c->writers) {
		for (i = 0; i < ARRAY_SIZE(conc_index); i++) {
			rcu_read_lock();
			entry = xa_load(&c->xa, conc_index[i]);
			bad += !conc_valid(conc_index[i], entry);
			rcu_read_unlock();
			loads++;
		}
		/* A walk sees each index at most once, in ascending order. */
		rcu_read_lock();
		first = true;
		prev = 0;
		xa_for_each(&c->xa, index, entry) {
			bad += !conc_valid(index, entry) || (!first && index <= prev);
			first = false;
			prev = index;
		}
		rcu_read_unlock();
		walks++;
	}
	__atomic_add_fetch(&c->loads, loads, __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->walks, walks, __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->bad, bad, __ATOMIC_RELAXED);
	return 0;
}

static int conc_teardown(void *arg)
{
	struct conc_ctx *c = arg;
	unsigned long index;
	void *entry;

	xa_for_each(&c->xa, index, entry)
		conc_put(xa_erase(&c->xa, index));
	XA_CHECK(xa_empty(&c->xa));
	xa_destroy(&c->xa);
	XA_CHECK(live_nodes() == 0);
	return 0;
}

static void test_concurrent_readers(void **state)
{
	struct zsim_task *tasks[4];
	struct conc_ctx c = { .writers = 2 };
	int i;

	boot(state, false);
	c.ops = zsim_test_backend(state) == ZSIM_CONTROLLED ? 3000 : 20000;
	xa_init(&c.xa);
	for (i = 0; i < 2; i++) {
		assert_non_null(tasks[i] = zsim_spawn(i, conc_writer, &c, "xa_writer"));
		assert_non_null(tasks[2 + i] = zsim_spawn(2 + i, conc_reader, &c, "xa_reader"));
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(zsim_join(tasks[i]), 0);
	assert_int_equal(c.bad, 0);
	assert_true(c.loads > 0 && c.walks > 0);
	XA_RUN(conc_teardown, &c);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_store_load_erase, zsim_test_teardown),
		cmocka_unit_test_teardown(test_errors, zsim_test_teardown),
		cmocka_unit_test_teardown(test_cmpxchg_insert, zsim_test_teardown),
		cmocka_unit_test_teardown(test_shrink, zsim_test_teardown),
		cmocka_unit_test_teardown(test_iterate_find, zsim_test_teardown),
		cmocka_unit_test_teardown(test_values_destroy_locked, zsim_test_teardown),
		cmocka_unit_test_teardown(test_fault_injection, zsim_test_teardown),
		ZSIM_TEST_BOTH(test_concurrent_readers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
