/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the zsmalloc suites: a reference model (handle -> the bytes
 * written), deterministic object contents, and checked reads through both
 * read APIs. Simulated tasks return 0 or the line of the first failed check
 * (CHECK(), or CHECK_GOTO() where resources must be released first); the
 * test thread asserts on that.
 */
#ifndef _ZS_TEST_H
#define _ZS_TEST_H

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/zsmalloc.h>
#include <string.h>

#include "zsim_test.h"

#define CHECK(cond) do { if (!(cond)) return __LINE__; } while (0)
/* Record the first failed check in ret and jump to the cleanup at @label. */
#define CHECK_GOTO(cond, label) do {					\
	if (!(cond)) {							\
		if (!ret)						\
			ret = __LINE__;					\
		goto label;						\
	}								\
} while (0)

struct zs_ref {
	unsigned long	handle;
	unsigned int	len;
	u32		seed;	/* the contents are zs_fill(seed, len) */
};

static inline u32 zs_test_rand(u64 *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

static inline void zs_fill(u8 *buf, unsigned int len, u32 seed)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		buf[i] = (u8)(seed + i * 131 + (i >> 8));
}

/* Compare @len bytes at @p with zs_fill(@seed); 0 if equal. */
static inline int zs_cmp_fill(const u8 *p, unsigned int len, u32 seed)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (p[i] != (u8)(seed + i * 131 + (i >> 8)))
			return 1;
	return 0;
}

/* Allocate and write an object of @len bytes; 0 or a negative errno. */
static inline int zs_ref_store(struct zs_pool *pool, struct zs_ref *r, unsigned int len,
			       u32 seed, u8 *buf)
{
	unsigned long handle = zs_malloc(pool, len, GFP_KERNEL, NUMA_NO_NODE);

	if (IS_ERR_VALUE(handle))
		return (int)(long)handle;
	zs_fill(buf, len, seed);
	zs_obj_write(pool, handle, buf, len);
	r->handle = handle;
	r->len = len;
	r->seed = seed;
	return 0;
}

/* Read @r back through the local-copy API and the scatterlist API. */
static inline int zs_ref_check(struct zs_pool *pool, const struct zs_ref *r, u8 *copy)
{
	struct scatterlist sg[2];
	unsigned int got = 0, n;
	void *p;
	int bad;

	p = zs_obj_read_begin(pool, r->handle, r->len, copy);
	bad = zs_cmp_fill(p, r->len, r->seed);
	zs_obj_read_end(pool, r->handle, r->len, p);
	CHECK(!bad);

	zs_obj_read_sg_begin(pool, r->handle, sg, r->len);
	n = sg_is_last(&sg[0]) ? 1 : 2;
	memcpy(copy, sg_virt(&sg[0]), sg[0].length);
	got = sg[0].length;
	/* No CHECK() until the read ends: it must not return locked. */
	bad = n == 2 && !(sg_is_last(&sg[1]) && sg[1].offset == 0);
	if (n == 2 && !bad) {
		memcpy(copy + got, sg_virt(&sg[1]), sg[1].length);
		got += sg[1].length;
	}
	zs_obj_read_sg_end(pool, r->handle);
	CHECK(!bad);
	CHECK(got == r->len);
	CHECK(!zs_cmp_fill(copy, r->len, r->seed));
	return 0;
}

/*
 * Read @r holding the zspage read lock across a scheduling point (@nap
 * milliseconds of sleep, or cond_resched() for 0): compaction and
 * migration must wait for, or skip, the zspage meanwhile.
 */
static inline int zs_ref_check_sleeping(struct zs_pool *pool, const struct zs_ref *r,
					u8 *copy, unsigned int nap)
{
	void *p = zs_obj_read_begin(pool, r->handle, r->len, copy);
	int bad = zs_cmp_fill(p, r->len, r->seed);

	if (nap)
		msleep(nap);
	else
		cond_resched();
	bad |= zs_cmp_fill(p, r->len, r->seed);
	zs_obj_read_end(pool, r->handle, r->len, p);
	CHECK(!bad);
	return 0;
}

#endif /* _ZS_TEST_H */
