/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * liburcu's RCU hash table (cds_lfht) behind plain functions: the baseline
 * of bench_xarray. xarray_lfht.c includes liburcu, whose names (list_head,
 * rcu_read_lock, ...) collide with the shim's <linux/...> headers, so it is
 * built without the shim's include path, as shim/sealed/ is, and this
 * header uses no kernel or liburcu type.
 *
 * The table maps an unsigned long key to an object whose first word is the
 * key. It is tied to liburcu's memb flavor, the one the free-running
 * backend's RCU uses, so the shim's rcu_read_lock() and synchronize_rcu()
 * protect it too. Callers are simulated tasks (registered liburcu threads).
 */
#ifndef _BENCH_XARRAY_LFHT_H
#define _BENCH_XARRAY_LFHT_H

#include <stdbool.h>

struct bench_lfht;

/* A table of @nr_buckets (a power of two) buckets, no resizing; NULL on failure. */
struct bench_lfht *bench_lfht_create(unsigned long nr_buckets);
/* Add a new object for @key; false without memory. */
bool bench_lfht_insert(struct bench_lfht *h, unsigned long key);
/* Replace @key's object by a new one; the old waits for bench_lfht_reclaim(). */
bool bench_lfht_replace(struct bench_lfht *h, unsigned long key);
/* Free the objects replaced so far; call after a grace period. */
void bench_lfht_reclaim(struct bench_lfht *h);
/* Look @key up in its own liburcu read-side section; true if found intact. */
bool bench_lfht_lookup(struct bench_lfht *h, unsigned long key);
/* The same inside the caller's read-side section (the shim's rcu_read_lock()). */
bool bench_lfht_lookup_nolock(struct bench_lfht *h, unsigned long key);
/* Unlink every object; they wait for bench_lfht_reclaim() too. */
void bench_lfht_clear(struct bench_lfht *h);
/* Free the (cleared, reclaimed-after-a-grace-period) table. */
void bench_lfht_destroy(struct bench_lfht *h);

#endif /* _BENCH_XARRAY_LFHT_H */
