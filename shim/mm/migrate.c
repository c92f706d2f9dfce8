// SPDX-License-Identifier: GPL-2.0-only
/*
 * Migration of movable_ops pages (mm/migrate.c): the per-type operations,
 * isolation, migration and putback, and the simulator's kcompactd
 * (sim_migrate_random_movable(), zsim_migrate_random()).
 *
 * As the kernel's compaction: a scanner isolates pages with
 * isolate_movable_ops_page() (reference, trylock, ->isolate_page(),
 * PG_movable_ops_isolated, unlock) onto a batch, then each isolated page
 * goes through what migrate_pages() does for a movable_ops page in
 * MIGRATE_SYNC mode: allocate the destination, lock the source again
 * (sleeping), notice an owner that let go of the page meanwhile, lock the
 * destination, call ->migrate_page(), and on failure put it back with
 * ->putback_page(). migrate_movable_page() is the same for one page.
 *
 * Difference: the kernel (since 6.18) keeps the page type until the buddy
 * allocator takes the page, so the operations can be looked up until the
 * end; the shim's zsmalloc clears its type before its last put (6.12's
 * way, which the shim's page allocator checks). A type gone by the time
 * of migration or putback means the owner released the page, handled as
 * older kernels handled !__PageMovable(): nothing left to move.
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <sim/migrate.h>
#include <zswapsim.h>

#include <linux/cpumask.h>

#define NR_MOVABLE_TYPES	16

static const struct movable_operations *movable_ops[NR_MOVABLE_TYPES];

static int movable_type_index(unsigned int page_type)
{
	unsigned int type = page_type >> 24;

	if (type < PGTY_buddy || type - PGTY_buddy >= NR_MOVABLE_TYPES)
		return -1;
	return type - PGTY_buddy;
}

int set_movable_ops(const struct movable_operations *ops, enum pagetype type)
{
	int idx = movable_type_index((unsigned int)type << 24);

	if (WARN_ON_ONCE(idx < 0))
		return -EINVAL;
	/* As the kernel: registering over another owner's ops is a bug. */
	if (ops && WARN_ON_ONCE(movable_ops[idx] && movable_ops[idx] != ops))
		return -EBUSY;
	WRITE_ONCE(movable_ops[idx], ops);
	return 0;
}

const struct movable_operations *page_movable_ops(const struct page *page)
{
	int idx;

	if (!page_has_type(page))
		return NULL;
	idx = movable_type_index(READ_ONCE(page->page_type));
	return idx < 0 ? NULL : READ_ONCE(movable_ops[idx]);
}

bool isolate_movable_ops_page(struct page *page, isolate_mode_t mode)
{
	const struct movable_operations *ops;

	/* A page being freed, or free, has no reference to take. */
	if (unlikely(!get_page_unless_zero(page)))
		return false;
	/* Unlocked check first: the owner sets up new pages non-atomically. */
	if (unlikely(!page_has_movable_ops(page)))
		goto out_put;
	if (unlikely(!trylock_page(page)))
		goto out_put;
	ops = page_movable_ops(page);
	if (unlikely(!ops || !PageMovableOps(page) || PageMovableOpsIsolated(page)))
		goto out_unlock;
	if (!ops->isolate_page(page, mode))
		goto out_unlock;
	SetPageMovableOpsIsolated(page);
	unlock_page(page);
	return true;

out_unlock:
	unlock_page(page);
out_put:
	put_page(page);
	return false;
}

/* End the isolation of a page the owner released: drop our reference. */
static void release_released_page(struct page *page)
{
	ClearPageMovableOpsIsolated(page);
	unlock_page(page);
	put_page(page);
}

/* Give an isolated page back to its owner after a failed migration. */
static void putback_movable_ops_page(struct page *page)
{
	const struct movable_operations *ops;

	lock_page(page);
	ops = page_movable_ops(page);
	if (ops)
		ops->putback_page(page);
	release_released_page(page);
}

/*
 * Migrate an isolated page: 0 when it moved or its owner released it,
 * else an error, the page put back.
 */
static int migrate_isolated_movable_page(struct page *page, enum migrate_mode mode)
{
	const struct movable_operations *ops;
	struct page *dst;
	int rc;

	dst = alloc_pages_node(page_to_nid(page), GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0);
	if (!dst) {
		putback_movable_ops_page(page);
		return -ENOMEM;
	}

	lock_page(page);
	ops = page_movable_ops(page);
	/* Only our reference left, or the type gone: the owner let it go. */
	if (page_count(page) == 1 || !ops) {
		release_released_page(page);
		put_page(dst);
		return 0;
	}
	/* A page fresh from the allocator is unlocked. */
	if (WARN_ON_ONCE(!trylock_page(dst))) {
		unlock_page(page);
		put_page(dst);
		putback_movable_ops_page(page);
		return -EAGAIN;
	}

	rc = ops->migrate_page(dst, page, mode);
	unlock_page(dst);
	/* The owner took its own reference to @dst if it kept it. */
	put_page(dst);
	if (!rc) {
		release_released_page(page);
		return 0;
	}
	unlock_page(page);
	putback_movable_ops_page(page);
	return rc;
}

int migrate_movable_page(struct page *page, enum migrate_mode mode)
{
	might_sleep();
	if (!isolate_movable_ops_page(page, 0))
		return -EBUSY;
	return migrate_isolated_movable_page(page, mode);
}

static u64 migrate_rand_next(u64 *state)
{
	/* xorshift64*: a few random choices per page, reproducible from @seed. */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

/* Pages isolated per scan before they are migrated (COMPACT_CLUSTER_MAX). */
#define SIM_MIGRATE_BATCH	32

unsigned long sim_migrate_random_movable(unsigned long nr, u64 seed)
{
	u64 state = seed * 0x9e3779b97f4a7c15ULL + 1;
	struct page *batch[SIM_MIGRATE_BATCH];
	unsigned long start, pfn = 0, migrated = 0;

	if (!max_mapnr || !nr)
		return 0;
	start = migrate_rand_next(&state) % max_mapnr;
	while (pfn < max_mapnr && migrated < nr) {
		unsigned long want = min_t(unsigned long, nr - migrated, SIM_MIGRATE_BATCH);
		unsigned int n = 0, i;

		/* isolate_migratepages(): scan on until a batch is isolated. */
		for (; pfn < max_mapnr && n < want; pfn++) {
			struct page *page = mem_map + (start + pfn) % max_mapnr;

			/* Racy peek, as the compaction scanner's: isolation re-checks. */
			if (!PageMovableOps(page) || !page_movable_ops(page) ||
			    PageMovableOpsIsolated(page))
				continue;
			if (migrate_rand_next(&state) & 1)
				continue;
			if (isolate_movable_ops_page(page, 0))
				batch[n++] = page;
		}
		/* migrate_pages() of the batch; failures are put back. */
		for (i = 0; i < n; i++) {
			if (!migrate_isolated_movable_page(batch[i], MIGRATE_SYNC))
				migrated++;
			cond_resched();
		}
		cond_resched();
	}
	return migrated;
}

struct zsim_migrate_req {
	unsigned long nr;
	u64 seed;
	unsigned long migrated;
};

static int zsim_migrate_fn(void *arg)
{
	struct zsim_migrate_req *req = arg;

	req->migrated = sim_migrate_random_movable(req->nr, req->seed);
	return 0;
}

long zsim_migrate_random(unsigned long nr, uint64_t seed)
{
	struct zsim_migrate_req req = { .nr = nr, .seed = seed };
	int ret;

	if (current)
		ret = zsim_migrate_fn(&req);
	else if (!zsim_machine_running())
		return -ENODEV;
	else
		ret = zsim_run(cpumask_first(cpu_online_mask), zsim_migrate_fn, &req);
	return ret ? ret : (long)req.migrated;
}
