// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cds_lfht side of bench_xarray (see xarray_lfht.h). Host memory
 * (malloc), outside the shim's allocators: it is the baseline, not
 * simulated kernel code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <urcu/urcu-memb.h>
#include <urcu/rculfhash.h>

#include "xarray_lfht.h"

struct lfht_obj {
	unsigned long		key;		/* first: what readers check */
	struct cds_lfht_node	node;
	struct lfht_obj		*next_free;
};

struct bench_lfht {
	struct cds_lfht		*ht;
	struct lfht_obj		*replaced;	/* waiting for a grace period */
};

/* The kernel's hash_64(): multiply by the 64-bit golden ratio. */
static unsigned long lfht_hash(unsigned long key)
{
	return (unsigned long)((uint64_t)key * 0x61c8864680b583ebULL);
}

static int lfht_match(struct cds_lfht_node *node, const void *key)
{
	struct lfht_obj *obj = caa_container_of(node, struct lfht_obj, node);

	return obj->key == *(const unsigned long *)key;
}

static struct lfht_obj *lfht_obj_new(unsigned long key)
{
	struct lfht_obj *obj = malloc(sizeof(*obj));

	if (obj) {
		obj->key = key;
		cds_lfht_node_init(&obj->node);
		obj->next_free = NULL;
	}
	return obj;
}

struct bench_lfht *bench_lfht_create(unsigned long nr_buckets)
{
	struct bench_lfht *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->ht = cds_lfht_new_flavor(nr_buckets, nr_buckets, nr_buckets, 0,
				    &urcu_memb_flavor, NULL);
	if (!h->ht) {
		free(h);
		return NULL;
	}
	return h;
}

bool bench_lfht_insert(struct bench_lfht *h, unsigned long key)
{
	struct lfht_obj *obj = lfht_obj_new(key);

	if (!obj)
		return false;
	urcu_memb_read_lock();
	cds_lfht_add(h->ht, lfht_hash(key), &obj->node);
	urcu_memb_read_unlock();
	return true;
}

bool bench_lfht_replace(struct bench_lfht *h, unsigned long key)
{
	struct lfht_obj *obj = lfht_obj_new(key);
	struct cds_lfht_node *old;

	if (!obj)
		return false;
	urcu_memb_read_lock();
	old = cds_lfht_add_replace(h->ht, lfht_hash(key), lfht_match, &key, &obj->node);
	urcu_memb_read_unlock();
	if (old) {
		struct lfht_obj *o = caa_container_of(old, struct lfht_obj, node);

		o->next_free = h->replaced;
		h->replaced = o;
	}
	return true;
}

void bench_lfht_reclaim(struct bench_lfht *h)
{
	struct lfht_obj *obj;

	while ((obj = h->replaced)) {
		h->replaced = obj->next_free;
		free(obj);
	}
}

bool bench_lfht_lookup_nolock(struct bench_lfht *h, unsigned long key)
{
	struct cds_lfht_iter iter;
	struct cds_lfht_node *node;

	cds_lfht_lookup(h->ht, lfht_hash(key), lfht_match, &key, &iter);
	node = cds_lfht_iter_get_node(&iter);
	return node && caa_container_of(node, struct lfht_obj, node)->key == key;
}

bool bench_lfht_lookup(struct bench_lfht *h, unsigned long key)
{
	bool found;

	urcu_memb_read_lock();
	found = bench_lfht_lookup_nolock(h, key);
	urcu_memb_read_unlock();
	return found;
}

void bench_lfht_clear(struct bench_lfht *h)
{
	struct cds_lfht_iter iter;
	struct cds_lfht_node *node;
	struct lfht_obj *obj;

	urcu_memb_read_lock();
	cds_lfht_for_each(h->ht, &iter, node) {
		if (!cds_lfht_del(h->ht, node)) {
			obj = caa_container_of(node, struct lfht_obj, node);
			obj->next_free = h->replaced;
			h->replaced = obj;
		}
	}
	urcu_memb_read_unlock();
}

void bench_lfht_destroy(struct bench_lfht *h)
{
	bench_lfht_reclaim(h);
	cds_lfht_destroy(h->ht, NULL);
	free(h);
}
