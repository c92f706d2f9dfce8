// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XArray: the checks lib/test_xarray.c makes for the normal API
 * (store/load/erase round trips, xa_err(), internal entries refused,
 * cmpxchg, insert and reserve, shrinking, iteration order and xa_find()
 * ranges, value entries, reuse after xa_destroy()), node allocation
 * failures through the "kmem_cache:radix_tree_node" fault site, the lock
 * dropped to allocate, and lockless readers racing writers in both
 * backends, also with failing node allocations.
 *
 * The checks run inside simulated tasks, which return 0 or the source line
 * of the first failed check; the test asserts on that value. Each test
 * works on arrays of its own, initialised after boot and destroyed before
 * the machine stops.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <sim/report.h>
#include <sim/sched.h>

#include <string.h>

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

/*
 * Every test has its own arrays, initialised after its machine booted and
 * destroyed before it stops, so a test that failed half-way leaves nothing
 * behind for the next one.
 */
static int xa_test_fini(void *arg)
{
	struct xarray *xa = arg;

	xa_destroy(xa);
	XA_CHECK(xa_empty(xa));
	XA_CHECK(live_nodes() == 0);
	return 0;
}

#define XA_FINI(xa)	XA_RUN(xa_test_fini, xa)

/* Indices at every level of the trie, the edges of nodes, and the ends. */
static const unsigned long spread[] = {
	0, 1, 2, 63, 64, 65, 127, 4095, 4096, 4097, 262143, 262144,
	1UL << 30, (1UL << 32) + 5, 1UL << 40, ULONG_MAX / 3, LONG_MAX,
	ULONG_MAX - 64, ULONG_MAX - 1, ULONG_MAX,
};

/* ---- store, load, erase ---- */

static int store_load_erase(void *arg)
{
	struct xarray *xa = arg;
	unsigned long i, j;

	XA_CHECK(xa_empty(xa));
	/* check_xa_load(): dense indices, each store visible, then erased. */
	for (i = 0; i < 1024; i++) {
		XA_CHECK(xa_store(xa, i, xa_mk_index(i), GFP_KERNEL) == NULL);
		for (j = 0; j < 1024; j += 97)
			XA_CHECK(xa_load(xa, j) == (j <= i ? xa_mk_index(j) : NULL));
	}
	for (i = 0; i < 1024; i++) {
		XA_CHECK(xa_erase(xa, i) == xa_mk_index(i));
		for (j = 0; j < 1024; j += 97)
			XA_CHECK(xa_load(xa, j) == (j > i ? xa_mk_index(j) : NULL));
	}
	XA_CHECK(xa_empty(xa));

	/* Sparse indices up to ULONG_MAX; storing returns the old entry. */
	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		XA_CHECK(xa_store(xa, spread[i], xa_mk_index(spread[i]),
				  GFP_KERNEL) == NULL);
		for (j = 0; j <= i; j++)
			XA_CHECK(xa_load(xa, spread[j]) == xa_mk_index(spread[j]));
		for (j = i + 1; j < ARRAY_SIZE(spread); j++)
			XA_CHECK(xa_load(xa, spread[j]) == NULL);
	}
	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		XA_CHECK(xa_load(xa, spread[i]) == xa_mk_index(spread[i]));
		XA_CHECK(xa_store(xa, spread[i], xa_mk_value(i), GFP_KERNEL) ==
			 xa_mk_index(spread[i]));
	}
	/* Storing NULL is erasing. */
	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		XA_CHECK(xa_store(xa, spread[i], NULL, GFP_KERNEL) == xa_mk_value(i));
		XA_CHECK(xa_load(xa, spread[i]) == NULL);
		XA_CHECK(xa_erase(xa, spread[i]) == NULL);
	}
	XA_CHECK(xa_empty(xa));
	XA_CHECK(live_nodes() == 0);
	return 0;
}

static void test_store_load_erase(void **state)
{
	struct xarray array;

	boot(state, false);
	xa_init(&array);
	XA_RUN(store_load_erase, &array);
	XA_FINI(&array);
	zsim_test_shutdown_clean();
}

/* check_xa_err(): good operations report no error. */
static int errors(void *arg)
{
	struct xarray *xa = arg;
	XA_CHECK(xa_err(xa_store(xa, 0, xa_mk_value(0), GFP_NOWAIT)) == 0);
	XA_CHECK(xa_err(xa_erase(xa, 0)) == 0);
	XA_CHECK(xa_err(xa_store(xa, 1, xa_mk_value(0), GFP_KERNEL)) == 0);
	XA_CHECK(xa_err(xa_store(xa, 1, NULL, 0)) == 0);
	XA_CHECK(xa_err(xa_erase(xa, 1)) == 0);
	XA_CHECK(!xa_is_err(NULL) && !xa_is_err(xa_mk_value(5)));
	XA_CHECK(xa_is_err(XA_ERROR(-ENOMEM)) && xa_err(XA_ERROR(-ENOMEM)) == -ENOMEM);
	XA_CHECK(xa_err(XA_ERROR(-EINVAL)) == -EINVAL);
	XA_CHECK(xa_empty(xa));
	return 0;
}

/* Entries users may not store, and marks, are refused with a warning. */
static int bad_input(void *arg)
{
	struct xarray *xa = arg;
	unsigned long index = 0;

	XA_CHECK(xa_err(xa_store(xa, 3, xa_mk_internal(1), GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_err(xa_cmpxchg(xa, 3, NULL, XA_RETRY_ENTRY, GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_insert(xa, 3, xa_mk_internal(7), GFP_KERNEL) == -EINVAL);
	XA_CHECK(xa_empty(xa));
	XA_CHECK(xa_store(xa, 3, xa_mk_value(3), GFP_KERNEL) == NULL);
	XA_CHECK(xa_find(xa, &index, ULONG_MAX, (__force xa_mark_t)0) == NULL);
	XA_CHECK(xa_erase(xa, 3) == xa_mk_value(3));
	return 0;
}

static void test_errors(void **state)
{
	struct xarray array;

	boot(state, false);
	xa_init(&array);
	XA_RUN(errors, &array);
	XA_FINI(&array);
	zsim_test_shutdown_clean();

	boot(state, true);
	xa_init(&array);
	XA_RUN(bad_input, &array);
	XA_FINI(&array);
	/* One WARN_ON_ONCE per site: store, cmpxchg, insert, the filter. */
	assert_int_equal(zsim_warnings(), 4);
	assert_int_equal(zsim_machine_stop(), 4);
}

/*
 * Internal entries belong to the array: a pointer tagged 2 above 4096
 * reads as a node, so stored at the head the next walk would follow it.
 * Every form refuses them with -EINVAL (one warning per site); only
 * XA_ZERO_ENTRY, a reservation, may be stored.
 */
static int internal_entries(void *arg)
{
	static unsigned long object[2];
	void *tagged = xa_tag_pointer(&object[0], 2);
	struct xarray *xa = arg;

	XA_CHECK(xa_is_internal(tagged) && xa_is_node(tagged) && !xa_is_advanced(tagged));
	XA_CHECK(xa_err(xa_store(xa, 0, tagged, GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_empty(xa) && xa_load(xa, 0) == NULL);
	XA_CHECK(xa_err(xa_store(xa, 100, tagged, GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_err(xa_store(xa, 1, XA_ERROR(-ENOMEM), GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_err(xa_cmpxchg(xa, 0, NULL, tagged, GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_insert(xa, 0, tagged, GFP_KERNEL) == -EINVAL);
	XA_CHECK(xa_insert(xa, 7, xa_mk_internal(4000), GFP_KERNEL) == -EINVAL);
	XA_CHECK(xa_empty(xa));
	/* Nor may they replace an entry. */
	XA_CHECK(xa_store(xa, 0, &object[1], GFP_KERNEL) == NULL);
	XA_CHECK(xa_err(xa_store(xa, 0, tagged, GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_err(xa_cmpxchg(xa, 0, &object[1], tagged, GFP_KERNEL)) == -EINVAL);
	XA_CHECK(xa_load(xa, 0) == &object[1]);
	XA_CHECK(xa_erase(xa, 0) == &object[1]);
	/* The zero entry reserves, through every form. */
	XA_CHECK(xa_store(xa, 9, XA_ZERO_ENTRY, GFP_KERNEL) == NULL);
	XA_CHECK(!xa_empty(xa) && xa_load(xa, 9) == NULL);
	XA_CHECK(xa_insert(xa, 9, xa_mk_value(9), GFP_KERNEL) == -EBUSY);
	XA_CHECK(xa_erase(xa, 9) == NULL && xa_empty(xa));
	return 0;
}

static void test_internal_entries(void **state)
{
	struct xarray array;

	boot(state, true);
	xa_init(&array);
	XA_RUN(internal_entries, &array);
	XA_FINI(&array);
	/* store, cmpxchg, insert: once each */
	assert_int_equal(zsim_warnings(), 3);
	assert_int_equal(zsim_machine_stop(), 3);
}

/* ---- cmpxchg, insert, reserve ---- */

static int check_cmpxchg(void *arg)
{
	struct xarray *xa = arg;
	void *FIVE = xa_mk_value(5), *SIX = xa_mk_value(6);
	void *LOTS = xa_mk_value(12345678);

	XA_CHECK(xa_store(xa, 12345678, LOTS, GFP_KERNEL) == NULL);
	XA_CHECK(xa_cmpxchg(xa, 12345678, SIX, FIVE, GFP_KERNEL) == LOTS);
	XA_CHECK(xa_load(xa, 12345678) == LOTS);
	XA_CHECK(xa_cmpxchg(xa, 12345678, LOTS, FIVE, GFP_KERNEL) == LOTS);
	XA_CHECK(xa_load(xa, 12345678) == FIVE);
	XA_CHECK(xa_cmpxchg(xa, 12345678, FIVE, LOTS, GFP_KERNEL) == FIVE);
	XA_CHECK(xa_cmpxchg(xa, 5, FIVE, NULL, GFP_KERNEL) == NULL);
	XA_CHECK(xa_load(xa, 5) == NULL);
	XA_CHECK(xa_cmpxchg(xa, 5, NULL, FIVE, GFP_KERNEL) == NULL);
	XA_CHECK(xa_load(xa, 5) == FIVE);
	XA_CHECK(xa_insert(xa, 5, FIVE, GFP_KERNEL) == -EBUSY);
	XA_CHECK(xa_cmpxchg(xa, 5, FIVE, NULL, GFP_KERNEL) == FIVE);
	XA_CHECK(xa_load(xa, 5) == NULL);
	XA_CHECK(xa_insert(xa, 5, FIVE, GFP_KERNEL) == 0);
	XA_CHECK(xa_load(xa, 5) == FIVE);
	XA_CHECK(xa_erase(xa, 12345678) == LOTS);
	XA_CHECK(xa_erase(xa, 5) == FIVE);
	XA_CHECK(xa_empty(xa));
	return 0;
}

/* The arrays of test_cmpxchg_insert(): a plain one and an allocating one. */
struct xa_pair {
	struct xarray	plain;
	struct xarray	alloc;
};

static int insert_reserve(void *arg)
{
	struct xa_pair *pair = arg;
	struct xarray *xa = &pair->plain, *alloc = &pair->alloc;
	unsigned long i, index;
	void *entry;
	int n = 0;

	/* check_insert(): every index once, -EBUSY the second time. */
	for (i = 0; i < ARRAY_SIZE(spread); i++) {
		XA_CHECK(xa_insert(xa, spread[i], xa_mk_index(spread[i]), GFP_KERNEL) == 0);
		XA_CHECK(xa_insert(xa, spread[i], xa_mk_value(1), GFP_KERNEL) == -EBUSY);
		XA_CHECK(xa_load(xa, spread[i]) == xa_mk_index(spread[i]));
	}
	for (i = 0; i < ARRAY_SIZE(spread); i++)
		XA_CHECK(xa_erase(xa, spread[i]) == xa_mk_index(spread[i]));
	XA_CHECK(xa_empty(xa));

	/* Inserting NULL reserves: loads NULL, busy, not iterated, erasable. */
	XA_CHECK(xa_insert(xa, 12, NULL, GFP_KERNEL) == 0);
	XA_CHECK(!xa_empty(xa));
	XA_CHECK(xa_load(xa, 12) == NULL);
	XA_CHECK(xa_insert(xa, 12, xa_mk_value(12), GFP_KERNEL) == -EBUSY);
	XA_CHECK(xa_cmpxchg(xa, 12, NULL, xa_mk_value(1), GFP_KERNEL) == NULL);
	XA_CHECK(xa_load(xa, 12) == NULL);
	XA_CHECK(xa_store(xa, 13, xa_mk_value(13), GFP_KERNEL) == NULL);
	xa_for_each(xa, index, entry)
		XA_CHECK(index == 13 && entry == xa_mk_value(13) && ++n == 1);
	XA_CHECK(n == 1);
	XA_CHECK(xa_erase(xa, 12) == NULL);
	XA_CHECK(xa_erase(xa, 13) == xa_mk_value(13));
	XA_CHECK(xa_empty(xa));

	/* xa_reserve() then xa_release(); a used reservation is kept. */
	XA_CHECK(xa_reserve(xa, 1UL << 20, GFP_KERNEL) == 0);
	XA_CHECK(!xa_empty(xa) && xa_load(xa, 1UL << 20) == NULL);
	xa_release(xa, 1UL << 20);
	XA_CHECK(xa_empty(xa));
	XA_CHECK(xa_reserve(xa, 7, GFP_KERNEL) == 0);
	XA_CHECK(xa_store(xa, 7, xa_mk_value(7), GFP_KERNEL) == NULL);
	xa_release(xa, 7);
	XA_CHECK(xa_erase(xa, 7) == xa_mk_value(7));
	XA_CHECK(xa_empty(xa));

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

static void test_cmpxchg_insert(void **state)
{
	struct xa_pair pair;

	boot(state, false);
	xa_init(&pair.plain);
	xa_init_flags(&pair.alloc, XA_FLAGS_ALLOC);
	XA_RUN(check_cmpxchg, &pair.plain);
	XA_RUN(insert_reserve, &pair);
	XA_FINI(&pair.plain);
	XA_FINI(&pair.alloc);
	zsim_test_shutdown_clean();
}

/* ---- the shape of the trie ---- */

static int shrink(void *arg)
{
	struct xarray *xa = arg;
	void *head;

	/* Index 0 alone lives in the head; index 1 needs a node. */
	XA_CHECK(xa_store(xa, 0, xa_mk_value(0), GFP_KERNEL) == NULL);
	XA_CHECK(READ_ONCE(xa->xa_head) == xa_mk_value(0) && live_nodes() == 0);
	XA_CHECK(xa_store(xa, 1, xa_mk_value(1), GFP_KERNEL) == NULL);
	head = READ_ONCE(xa->xa_head);
	XA_CHECK(xa_is_node(head) && xa_to_node(head)->count == 2 &&
		 xa_to_node(head)->nr_values == 2 && xa_to_node(head)->shift == 0);
	XA_CHECK(live_nodes() == 1);
	/* check_xa_shrink(): erasing 1 brings index 0 back into the head. */
	XA_CHECK(xa_erase(xa, 1) == xa_mk_value(1));
	XA_CHECK(READ_ONCE(xa->xa_head) == xa_mk_value(0));
	XA_CHECK(xa_load(xa, 0) == xa_mk_value(0) && xa_load(xa, 1) == NULL);
	XA_CHECK(live_nodes() == 0);

	/*
	 * Growing from a direct entry: roots of shift 0, 6, 12 above index
	 * 0's entry, then the path 6, 0 to 4096. ULONG_MAX adds roots 18..60
	 * and a path of 10 nodes below the top.
	 */
	XA_CHECK(xa_store(xa, 4096, xa_mk_value(1), GFP_KERNEL) == NULL);
	XA_CHECK(live_nodes() == 5 && xa_to_node(READ_ONCE(xa->xa_head))->shift == 12);
	XA_CHECK(xa_load(xa, 0) == xa_mk_value(0));
	XA_CHECK(xa_store(xa, ULONG_MAX, xa_mk_value(2), GFP_KERNEL) == NULL);
	XA_CHECK(xa_to_node(READ_ONCE(xa->xa_head))->shift == 60);
	XA_CHECK(live_nodes() == 5 + 8 + 10);
	/* Empty nodes go; the roots stay while ULONG_MAX needs them. */
	XA_CHECK(xa_erase(xa, 4096) == xa_mk_value(1));
	XA_CHECK(live_nodes() == 21);
	/* Then the whole trie shrinks back to the direct entry. */
	XA_CHECK(xa_erase(xa, ULONG_MAX) == xa_mk_value(2));
	XA_CHECK(READ_ONCE(xa->xa_head) == xa_mk_value(0) && live_nodes() == 0);
	XA_CHECK(xa_erase(xa, 0) == xa_mk_value(0));
	XA_CHECK(xa_empty(xa));
	return 0;
}

static void test_shrink(void **state)
{
	struct xarray array;

	boot(state, false);
	xa_init(&array);
	XA_RUN(shrink, &array);
	XA_FINI(&array);
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
	struct xarray *xa = arg;
	unsigned long bounds[3 * ARRAY_SIZE(spread) + 1];
	unsigned long i, j, index, expect, nb = 0;
	int order[ARRAY_SIZE(spread)];
	void *entry;

	/* Stored in a scrambled order, iterated in ascending order. */
	for (i = 0; i < ARRAY_SIZE(spread); i++)
		order[i] = (i * 7) % ARRAY_SIZE(spread);
	for (i = 0; i < ARRAY_SIZE(spread); i++)
		XA_CHECK(xa_store(xa, spread[order[i]], xa_mk_index(spread[order[i]]),
				  GFP_KERNEL) == NULL);
	/* A reservation is never returned. */
	XA_CHECK(xa_insert(xa, 5, NULL, GFP_KERNEL) == 0);
	i = 0;
	xa_for_each(xa, index, entry) {
		XA_CHECK(i < ARRAY_SIZE(spread) && index == spread[i]);
		XA_CHECK(entry == xa_mk_index(index));
		i++;
	}
	XA_CHECK(i == ARRAY_SIZE(spread));
	i = 0;
	xa_for_each_range(xa, index, entry, 64, 1UL << 32) {
		XA_CHECK(index >= 64 && index <= 1UL << 32);
		i++;
	}
	XA_CHECK(i == 9);
	i = 0;
	xa_for_each_start(xa, index, entry, ULONG_MAX - 1)
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
			entry = xa_find(xa, &index, bounds[j], XA_PRESENT);
			XA_CHECK(hit ? entry == xa_mk_index(expect) && index == expect :
				 !entry && index == bounds[i]);
			/* xa_find_after() looks strictly above. */
			index = bounds[i];
			hit = bounds[i] != ULONG_MAX && ref_find(bounds[i] + 1, bounds[j], &expect);
			entry = xa_find_after(xa, &index, bounds[j], XA_PRESENT);
			XA_CHECK(hit ? entry == xa_mk_index(expect) && index == expect : !entry);
		}
	}
	XA_CHECK(xa_erase(xa, 5) == NULL);
	xa_for_each(xa, index, entry)
		XA_CHECK(xa_erase(xa, index) == entry);
	XA_CHECK(xa_empty(xa) && live_nodes() == 0);
	return 0;
}

static void test_iterate_find(void **state)
{
	struct xarray array;

	boot(state, false);
	xa_init(&array);
	XA_RUN(iterate, &array);
	XA_FINI(&array);
	zsim_test_shutdown_clean();
}

/* ---- values, destroy and reuse, the locked forms ---- */

static int values_destroy(void *arg)
{
	struct xarray *xa = arg;
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
		XA_CHECK(xa_store(xa, i * 1000, &object[i], GFP_KERNEL) == NULL);
		XA_CHECK(xa_store(xa, i * 1000 + 1, xa_mk_value(LONG_MAX - i),
				  GFP_KERNEL) == NULL);
	}
	for (i = 0; i < 4; i++) {
		XA_CHECK(xa_load(xa, i * 1000) == &object[i]);
		XA_CHECK(xa_to_value(xa_load(xa, i * 1000 + 1)) == LONG_MAX - i);
	}

	/* check_destroy(): destroy empties; the array is usable again. */
	xa_destroy(xa);
	XA_CHECK(xa_empty(xa) && xa_load(xa, 1000) == NULL);
	XA_CHECK(live_nodes() == 0);
	xa_destroy(xa);
	for (i = 0; i < ARRAY_SIZE(spread); i++)
		XA_CHECK(xa_store(xa, spread[i], xa_mk_index(spread[i]), GFP_KERNEL) == NULL);
	n = 0;
	xa_for_each(xa, index, entry)
		n++;
	XA_CHECK(n == ARRAY_SIZE(spread));
	xa_destroy(xa);
	XA_CHECK(xa_empty(xa));
	XA_CHECK(xa_store(xa, ULONG_MAX, xa_mk_value(1), GFP_KERNEL) == NULL);
	xa_destroy(xa);
	XA_CHECK(live_nodes() == 0);
	return 0;
}

static int locked_forms(void *arg)
{
	struct xarray *xa = arg;
	struct xarray bh;
	int err;

	xa_lock(xa);
	XA_CHECK(__xa_store(xa, 100, xa_mk_value(100), GFP_KERNEL) == NULL);
	XA_CHECK(__xa_insert(xa, 100, xa_mk_value(1), GFP_KERNEL) == -EBUSY);
	XA_CHECK(__xa_insert(xa, 200, xa_mk_value(200), GFP_ATOMIC) == 0);
	XA_CHECK(__xa_cmpxchg(xa, 100, xa_mk_value(100), xa_mk_value(101),
			      GFP_KERNEL) == xa_mk_value(100));
	XA_CHECK(__xa_erase(xa, 200) == xa_mk_value(200));
	xa_unlock(xa);
	XA_CHECK(xa_load(xa, 100) == xa_mk_value(101));
	XA_CHECK(xa_erase(xa, 100) == xa_mk_value(101));

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
	XA_CHECK(xa_store_irq(xa, 9, xa_mk_value(9), GFP_ATOMIC) == NULL);
	XA_CHECK(xa_insert_irq(xa, 10, xa_mk_value(10), GFP_ATOMIC) == 0);
	XA_CHECK(xa_cmpxchg_irq(xa, 10, xa_mk_value(10), NULL, 0) == xa_mk_value(10));
	XA_CHECK(xa_erase_irq(xa, 9) == xa_mk_value(9));
	XA_CHECK(xa_empty(xa) && live_nodes() == 0);
	return 0;
}

static void test_values_destroy_locked(void **state)
{
	struct xarray array;

	boot(state, false);
	xa_init(&array);
	XA_RUN(values_destroy, &array);
	XA_RUN(locked_forms, &array);
	XA_FINI(&array);
	zsim_test_shutdown_clean();
}

/* ---- node allocation failures ---- */

#define NODE_SITE	"kmem_cache:radix_tree_node"

static int nomem_unchanged(void *arg)
{
	struct xarray *xa = arg;
	unsigned long i, nodes;
	void *head;

	for (i = 0; i < 64; i++)
		XA_CHECK(xa_store(xa, i, xa_mk_index(i), GFP_KERNEL) == NULL);
	head = READ_ONCE(xa->xa_head);
	nodes = live_nodes();
	XA_CHECK(nodes == 1);

	/* Every node allocation fails: each store that needs one fails. */
	XA_CHECK(zsim_fault_set(NODE_SITE, 1000, 0, 0) == 0);
	XA_CHECK(xa_err(xa_store(xa, 64, xa_mk_value(1), GFP_KERNEL)) == -ENOMEM);
	XA_CHECK(xa_err(xa_store(xa, ULONG_MAX, xa_mk_value(1), GFP_ATOMIC)) == -ENOMEM);
	XA_CHECK(xa_insert(xa, 1UL << 20, xa_mk_value(1), GFP_KERNEL) == -ENOMEM);
	XA_CHECK(xa_err(xa_cmpxchg(xa, 4096, NULL, xa_mk_value(1), GFP_NOWAIT)) == -ENOMEM);
	XA_CHECK(xa_reserve(xa, 65, GFP_KERNEL) == -ENOMEM);
	/* The kernel's order: GFP_NOWAIT under the lock, then the caller's gfp. */
	XA_CHECK(zsim_fault_injected(NODE_SITE) == 10);
	/* ... and the array is exactly as it was. */
	XA_CHECK(READ_ONCE(xa->xa_head) == head && live_nodes() == nodes);
	XA_CHECK(xa_to_node(head)->count == 64 && xa_to_node(head)->nr_values == 64);
	for (i = 0; i < 64; i++)
		XA_CHECK(xa_load(xa, i) == xa_mk_index(i));
	XA_CHECK(xa_load(xa, 64) == NULL && xa_load(xa, ULONG_MAX) == NULL);
	/* Needing no node, these still work. */
	XA_CHECK(xa_store(xa, 5, xa_mk_value(5), GFP_KERNEL) == xa_mk_index(5));
	XA_CHECK(xa_erase(xa, 63) == xa_mk_index(63));
	XA_CHECK(xa_insert(xa, 63, xa_mk_index(63), GFP_KERNEL) == 0);

	/* Only the first try fails: the retry allocates and the store lands. */
	XA_CHECK(zsim_fault_set(NODE_SITE, 0, 0, 1) == 0);
	XA_CHECK(xa_store(xa, 64, xa_mk_value(64), GFP_KERNEL) == NULL);
	XA_CHECK(zsim_fault_injected(NODE_SITE) == 1 && zsim_fault_calls(NODE_SITE) >= 2);
	XA_CHECK(xa_load(xa, 64) == xa_mk_value(64));
	zsim_fault_clear_all();

	xa_destroy(xa);
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
	struct xarray *xa = arg;
	struct xarray bh;
	void *curr;

	XA_CHECK(zsim_fault_set(NODE_SITE, 0, 0, 1) == 0);
	xa_lock(xa);
	curr = __xa_store(xa, 1UL << 30, xa_mk_value(1), GFP_KERNEL);
	xa_unlock(xa);
	XA_CHECK(curr == NULL && xa_load(xa, 1UL << 30) == xa_mk_value(1));

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
	xa_destroy(xa);
	XA_CHECK(live_nodes() == 0);
	return 0;
}

/* Random stores and erases with failing nodes, against a model. */
static int nomem_model(void *arg)
{
	struct xarray *xa = arg;
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
			curr = xa_store(xa, index, xa_mk_value(op),
					GFP_KERNEL | __GFP_NOWARN);
			if (xa_is_err(curr)) {
				XA_CHECK(xa_err(curr) == -ENOMEM);
				failed++;
			} else {
				XA_CHECK(curr == (model[i] ? xa_mk_value(model[i] - 1) : NULL));
				model[i] = op + 1;
			}
		} else {
			curr = xa_erase(xa, index);
			XA_CHECK(curr == (model[i] ? xa_mk_value(model[i] - 1) : NULL));
			model[i] = 0;
		}
		XA_CHECK(xa_load(xa, index) == (model[i] ? xa_mk_value(model[i] - 1) : NULL));
	}
	zsim_fault_clear_all();
	XA_CHECK(failed > 0);
	/* Exactly the model's entries, in order. */
	i = 0;
	xa_for_each(xa, index, entry) {
		while (i < ARRAY_SIZE(model) && !model[i])
			i++;
		XA_CHECK(i < ARRAY_SIZE(model) && index == base[i / 6] + i % 6);
		XA_CHECK(entry == xa_mk_value(model[i] - 1));
		i++;
	}
	while (i < ARRAY_SIZE(model))
		XA_CHECK(!model[i++]);
	xa_destroy(xa);
	XA_CHECK(live_nodes() == 0);
	return 0;
}

static void test_fault_injection(void **state)
{
	struct xarray array;

	boot(state, false);
	xa_init(&array);
	XA_RUN(nomem_unchanged, &array);
	XA_RUN(nomem_drops_lock, &array);
	XA_RUN(nomem_model, &array);
	XA_FINI(&array);
	zsim_test_shutdown_clean();
}

/*
 * As the kernel's xa_store(), only a store that has to wait for a node
 * checks whether the caller may sleep: overwriting an entry under a
 * spinlock is silent; a new index whose GFP_NOWAIT node allocation fails
 * (injected) retries with GFP_KERNEL and is reported.
 */
static int store_under_spinlock(void *arg)
{
	static DEFINE_SPINLOCK(outer);
	struct xarray *xa = arg;

	XA_CHECK(xa_store(xa, 1, xa_mk_value(1), GFP_KERNEL) == NULL);
	spin_lock(&outer);
	XA_CHECK(xa_store(xa, 1, xa_mk_value(2), GFP_KERNEL) == xa_mk_value(1));
	spin_unlock(&outer);
	XA_CHECK(sim_report_count(SIM_REPORT_ATOMIC) == 0);
	XA_CHECK(zsim_fault_set("kmem_cache:radix_tree_node", 0, 0, 1) == 0);
	spin_lock(&outer);
	XA_CHECK(xa_store(xa, 1UL << 20, xa_mk_value(3), GFP_KERNEL) == NULL);
	spin_unlock(&outer);
	zsim_fault_clear_all();
	XA_CHECK(xa_load(xa, 1UL << 20) == xa_mk_value(3));
	/* One per node allocated with the caller's spinlock held. */
	XA_CHECK(sim_report_count(SIM_REPORT_ATOMIC) >= 1);
	return 0;
}

static void test_store_checks_context_when_allocating(void **state)
{
	struct xarray array;

	boot(state, true);
	xa_init(&array);
	XA_RUN(store_under_spinlock, &array);
	XA_FINI(&array);
	assert_non_null(strstr(zsim_first_report(),
			       "sleeping function called from invalid context"));
	assert_true(zsim_machine_stop() >= 1);
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

/*
 * Shared by the test and its tasks. It is static, not on the test's stack:
 * an assertion longjmps out of the test function, and no task may be left
 * using its frame (the test also joins every task before it asserts).
 */
struct conc_ctx {
	struct xarray	xa;
	int		ops;		/* per writer */
	int		writers;	/* spawned; set before any reader runs */
	int		writers_done;
	unsigned long	nomem;		/* stores that failed with -ENOMEM */
	unsigned long	other_errors;
	unsigned long	loads;
	unsigned long	walks;
	unsigned long	bad;
};

static struct conc_ctx conc_ctx;

static void *conc_entry(unsigned long index)
{
	struct conc_obj *obj;

	if (index & 1)
		return xa_mk_value(index >> 1);
	obj = kmalloc(sizeof(*obj), GFP_KERNEL | __GFP_NOWARN);
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

/*
 * A store that cannot get memory (its object or a node) is counted and
 * skipped; whatever happens the writer says it is done, or the readers
 * would wait for it forever.
 */
static int conc_writer(void *arg)
{
	struct conc_ctx *c = arg;
	unsigned long seed = current->pid * 2654435761UL, index;
	unsigned long nomem = 0, other = 0;
	void *entry, *old;
	int op;

	for (op = 0; op < c->ops; op++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		index = conc_index[(seed >> 33) % ARRAY_SIZE(conc_index)];
		if ((seed >> 24) % 3) {
			entry = conc_entry(index);
			old = entry ? xa_store(&c->xa, index, entry,
					       GFP_KERNEL | __GFP_NOWARN) :
				      XA_ERROR(-ENOMEM);
			if (xa_is_err(old)) {
				conc_put(entry);
				if (xa_err(old) == -ENOMEM)
					nomem++;
				else
					other++;
				continue;
			}
		} else {
			old = xa_erase(&c->xa, index);
		}
		conc_put(old);
	}
	__atomic_add_fetch(&c->nomem, nomem, __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->other_errors, other, __ATOMIC_RELAXED);
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
	return xa_test_fini(&c->xa);
}

/*
 * Two writers and two readers; with @node_permille, that share of node
 * allocations fails. Every task spawned is joined and the array torn down
 * before the first assertion.
 */
static void conc_run(void **state, unsigned int node_permille)
{
	struct conc_ctx *c = &conc_ctx;
	struct zsim_task *tasks[4];
	int i, nr = 0, ret[4], fault_err = 0, teardown;

	memset(c, 0, sizeof(*c));
	boot(state, false);
	c->ops = zsim_test_backend(state) == ZSIM_CONTROLLED ? 3000 : 20000;
	xa_init(&c->xa);
	if (node_permille)
		fault_err = zsim_fault_set(NODE_SITE, node_permille, 0, 0);
	for (i = 0; i < 2 && (tasks[nr] = zsim_spawn(i, conc_writer, c, "xa_writer")); i++)
		nr++;
	c->writers = nr;
	for (i = 0; i < 2 && (tasks[nr] = zsim_spawn(2 + i, conc_reader, c, "xa_reader")); i++)
		nr++;
	for (i = 0; i < nr; i++)
		ret[i] = zsim_join(tasks[i]);
	zsim_fault_clear_all();
	teardown = zsim_run(0, conc_teardown, c);

	assert_int_equal(fault_err, 0);
	assert_int_equal(nr, 4);
	for (i = 0; i < nr; i++)
		assert_int_equal(ret[i], 0);
	assert_int_equal(teardown, 0);
	assert_int_equal(c->bad, 0);
	assert_int_equal(c->other_errors, 0);
	assert_true(c->loads > 0 && c->walks > 0);
	if (node_permille)
		assert_true(c->nomem > 0);
	else
		assert_int_equal(c->nomem, 0);
	zsim_test_shutdown_clean();
}

static void test_concurrent_readers(void **state)
{
	conc_run(state, 0);
}

/* Half the node allocations fail: stores fail cleanly, readers finish. */
static void test_concurrent_nomem(void **state)
{
	conc_run(state, 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_store_load_erase, zsim_test_teardown),
		cmocka_unit_test_teardown(test_errors, zsim_test_teardown),
		cmocka_unit_test_teardown(test_internal_entries, zsim_test_teardown),
		cmocka_unit_test_teardown(test_cmpxchg_insert, zsim_test_teardown),
		cmocka_unit_test_teardown(test_shrink, zsim_test_teardown),
		cmocka_unit_test_teardown(test_iterate_find, zsim_test_teardown),
		cmocka_unit_test_teardown(test_values_destroy_locked, zsim_test_teardown),
		cmocka_unit_test_teardown(test_fault_injection, zsim_test_teardown),
		cmocka_unit_test_teardown(test_store_checks_context_when_allocating,
					  zsim_test_teardown),
		ZSIM_TEST_BOTH(test_concurrent_readers),
		ZSIM_TEST_BOTH(test_concurrent_nomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
