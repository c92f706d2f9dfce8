// SPDX-License-Identifier: GPL-2.0-only
/*
 * race-fuzz scenarios of zsmalloc alone: objects allocated, written, read
 * back and freed by several tasks while compaction and the simulator's
 * kcompactd (random page migration) run, in the pool's free-vs-migration
 * design (--zsmalloc). Each task keeps a reference model of its objects
 * (handle -> length and fill seed) and checks every object it reads and,
 * before freeing it, that its bytes are still the ones written; a zspage
 * freed or migrated wrongly shows as a BUG, a poisoned access, a leak or a
 * data mismatch.
 *
 * zsmalloc-free-migrate: the large multi-page classes (up to 8 pages per
 * zspage, 9 objects or fewer), so that zspages empty often while their
 * pages are being migrated: the window of known race 2 (the deferred
 * free's lock_zspage() against migration, ZSIM_RACE_2) and of the rcu
 * design's lookups. zsmalloc-mixed: every size, objects that span pages
 * and the huge class, for the fixed code's soak runs. A build with
 * ZSIM_RACE_2_INIT_ORDER fails either on its first zs_malloc().
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/zsmalloc.h>
#include <sim/migrate.h>
#include <stdio.h>

#include "scenario.h"

#define ZSF_SLOTS		24	/* live objects per task at most */
#define ZSF_OPS			160	/* operations per task */
#define ZSF_MIGRATE_ROUNDS	24
#define ZSF_COMPACT_ROUNDS	6
#define ZSF_MAX_TASKS		8

struct zsf_obj {
	unsigned long	handle;
	unsigned int	len;
	u32		seed;
};

struct zsf_run {
	struct zs_pool	*pool;
	bool		large;		/* the multi-page classes only */
	u64		seed;
	atomic_t	workers_left;
};

struct zsf_task {
	struct zsf_run	*run;
	unsigned int	id;
	u64		rng;
	struct zsf_obj	obj[ZSF_SLOTS];
	char		why[128];
};

static u32 zsf_rand(u64 *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static u8 zsf_byte(u32 seed, unsigned int i)
{
	return (u8)(seed * 7 + i * 151 + (i >> 9));
}

/*
 * Request sizes. Large: 2720..3624 bytes, the classes with 3 to 8 pages
 * per zspage and at most 9 objects (3624 + the handle is the 3632-byte
 * class: 8 pages, 9 objects). Mixed: anything up to a page.
 */
static unsigned int zsf_len(struct zsf_task *t)
{
	if (t->run->large)
		return 2720 + zsf_rand(&t->rng) % (3624 - 2720 + 1);
	return 1 + zsf_rand(&t->rng) % PAGE_SIZE;
}

/* Compare the object with what was written; 0, or -EIO with a reason. */
static int zsf_check(struct zsf_task *t, struct zsf_obj *o, u8 *copy)
{
	const u8 *p;
	unsigned int i, bad = o->len;

	p = zs_obj_read_begin(t->run->pool, o->handle, o->len, copy);
	for (i = 0; i < o->len; i++) {
		if (p[i] != zsf_byte(o->seed, i)) {
			bad = i;
			break;
		}
	}
	zs_obj_read_end(t->run->pool, o->handle, o->len, (void *)p);
	if (bad == o->len)
		return 0;
	snprintf(t->why, sizeof(t->why),
		 "task %u: object of %u bytes differs at byte %u", t->id, o->len, bad);
	return -EIO;
}

static int zsf_store(struct zsf_task *t, struct zsf_obj *o, u8 *buf)
{
	unsigned int len = zsf_len(t), i;
	unsigned long h;

	h = zs_malloc(t->run->pool, len, GFP_KERNEL, NUMA_NO_NODE);
	if (IS_ERR_VALUE(h)) {
		/* Out of memory is the workload's size, not a bug. */
		if (h == (unsigned long)ERR_PTR(-ENOMEM))
			return 0;
		snprintf(t->why, sizeof(t->why), "task %u: zs_malloc(%u) = %ld",
			 t->id, len, (long)h);
		return -EIO;
	}
	o->seed = zsf_rand(&t->rng);
	for (i = 0; i < len; i++)
		buf[i] = zsf_byte(o->seed, i);
	zs_obj_write(t->run->pool, h, buf, len);
	o->handle = h;
	o->len = len;
	return 0;
}

/* Check, then free: a lost object would show before its handle goes. */
static int zsf_drop(struct zsf_task *t, struct zsf_obj *o, u8 *copy)
{
	int ret = zsf_check(t, o, copy);

	zs_free(t->run->pool, o->handle);
	o->handle = 0;
	return ret;
}

static int zsf_worker(void *arg)
{
	struct zsf_task *t = arg;
	u8 *buf = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
	int i, ret = 0;

	if (!buf) {
		snprintf(t->why, sizeof(t->why), "task %u: no buffer", t->id);
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < ZSF_OPS && !ret; i++) {
		struct zsf_obj *o = &t->obj[zsf_rand(&t->rng) % ZSF_SLOTS];
		u32 op = zsf_rand(&t->rng) % 8;

		if (!o->handle)
			ret = zsf_store(t, o, buf);
		else if (op < 3)
			ret = zsf_check(t, o, buf + PAGE_SIZE);
		else
			ret = zsf_drop(t, o, buf + PAGE_SIZE);
	}
	/* Free everything, so that every zspage empties at the end too. */
	for (i = 0; i < ZSF_SLOTS; i++) {
		if (!t->obj[i].handle)
			continue;
		if (ret)
			zs_free(t->run->pool, t->obj[i].handle);
		else
			ret = zsf_drop(t, &t->obj[i], buf + PAGE_SIZE);
		t->obj[i].handle = 0;
	}
	kfree(buf);
out:
	atomic_dec(&t->run->workers_left);
	return ret;
}

/* kcompactd's role: a few pages at a time while the workers run. */
static int zsf_migrator(void *arg)
{
	struct zsf_run *r = arg;
	u64 rng = r->seed ^ 0x6d6967726174ULL;
	int i;

	for (i = 0; i < ZSF_MIGRATE_ROUNDS && atomic_read(&r->workers_left); i++) {
		sim_migrate_random_movable(1 + zsf_rand(&rng) % 4, zsf_rand(&rng));
		/* Let the workers move on between rounds (PCT runs us otherwise). */
		msleep(1);
	}
	return 0;
}

static int zsf_compactor(void *arg)
{
	struct zsf_run *r = arg;
	int i;

	for (i = 0; i < ZSF_COMPACT_ROUNDS && atomic_read(&r->workers_left); i++) {
		zs_compact(r->pool);
		msleep(2);
	}
	return 0;
}

static int zsf_create(void *arg)
{
	struct zsf_run *r = arg;

	/* The driver set zsmalloc.free_design from --zsmalloc. */
	r->pool = zs_create_pool("fuzz");
	return r->pool ? 0 : -ENOMEM;
}

/* Empty zspages left behind show as pr_err()s and leaks at machine stop. */
static int zsf_destroy(void *arg)
{
	struct zsf_run *r = arg;

	zs_destroy_pool(r->pool);
	return 0;
}

static int zsf_run(const struct fuzz_opts *o, char *why, size_t len, bool large)
{
	static struct zsf_task tasks[ZSF_MAX_TASKS];
	struct zsim_task *th[ZSF_MAX_TASKS + 2];
	unsigned int nr = o->nr_tasks ? o->nr_tasks : 3, cpus = o->nr_cpus ? o->nr_cpus : 2;
	struct zsf_run r = { .large = large, .seed = o->seed };
	int ret, err = 0, i, n = 0;

	if (nr > ZSF_MAX_TASKS)
		nr = ZSF_MAX_TASKS;
	ret = zsim_run(0, zsf_create, &r);
	if (ret) {
		snprintf(why, len, "zs_create_pool() failed: %d", ret);
		return ret;
	}
	atomic_set(&r.workers_left, nr);
	for (i = 0; i < nr; i++) {
		memset(&tasks[i], 0, sizeof(tasks[i]));
		tasks[i].run = &r;
		tasks[i].id = i;
		tasks[i].rng = o->seed * 0x9e3779b97f4a7c15ULL + i + 1;
		th[n++] = zsim_spawn(i % cpus, zsf_worker, &tasks[i], "zs-worker");
	}
	th[n++] = zsim_spawn(nr % cpus, zsf_migrator, &r, "zs-kcompactd");
	th[n++] = zsim_spawn((nr + 1) % cpus, zsf_compactor, &r, "zs-compact");

	for (i = 0; i < n; i++) {
		if (!th[i]) {
			if (!err)
				err = -ENOMEM;
			continue;
		}
		ret = zsim_join(th[i]);
		if (ret && !err) {
			err = ret;
			if (i < nr && tasks[i].why[0])
				snprintf(why, len, "%s", tasks[i].why);
			else
				snprintf(why, len, "task %d returned %d", i, ret);
		}
	}
	/*
	 * After a failure the machine may be wedged (a task killed by a BUG
	 * holds its locks): leave the pool to the leak check.
	 */
	if (err)
		return err;
	ret = zsim_run(0, zsf_destroy, &r);
	if (ret && !err) {
		err = ret;
		snprintf(why, len, "teardown failed: %d", ret);
	}
	return err;
}

static void zsf_configure(struct zsim_config *cfg, const struct fuzz_opts *o)
{
	/* Enough frames for every task's objects, few enough to walk fast. */
	cfg->ram_bytes = 16 << 20;
}

static int zsf_run_large(const struct fuzz_opts *o, char *why, size_t len)
{
	return zsf_run(o, why, len, true);
}

static int zsf_run_mixed(const struct fuzz_opts *o, char *why, size_t len)
{
	return zsf_run(o, why, len, false);
}

FUZZ_SCENARIO(scen_zsmalloc_free_migrate) = {
	.name		= "zsmalloc-free-migrate",
	.desc		= "zsmalloc: multi-page zspages emptied while migrated, compacted (race 2)",
	.configure	= zsf_configure,
	.run		= zsf_run_large,
};

FUZZ_SCENARIO(scen_zsmalloc_mixed) = {
	.name		= "zsmalloc-mixed",
	.desc		= "zsmalloc: every size; reads, frees, compaction, migration",
	.configure	= zsf_configure,
	.run		= zsf_run_mixed,
};
