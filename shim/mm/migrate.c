// SPDX-License-Identifier: GPL-2.0-only
/*
 * Migration of movable_ops pages (mm/migrate.c): the per-type operations,
 * isolation, the migration of one page, and the simulator's kcompactd
 * (sim_migrate_random_movable(), zsim_migrate_random()).
 *
 * migrate_movable_page() follows what migrate_pages() does for a single
 * movable_ops page in MIGRATE_SYNC mode: isolate it (reference, trylock,
 * ->isolate_page(), PG_movable_ops_isolated, unlock), allocate the
 * destination, lock the source again (sleeping), notice an owner that
 * freed the page meanwhile (only the isolation reference left), lock the
 * destination, call ->migrate_page(), and on failure ->putback_page().
 *
 * Difference: the operations are looked up once, at isolation, and kept
 * for the rest of this page's migration. In the kernel since 6.18 the page
 * type stays set until the page reaches the buddy allocator, so the
 * lookup by type keeps working after the owner let go of the page; the
 * shim's zsmalloc clears the type before its last put, as 6.12's did.
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

static const struct movable_operations *__isolate_movable_ops_page(struct page *page,
								  isolate_mode_t mode)
{
	const struct movable_operations *ops;

	/* A page being freed, or free, has no reference to take. */
	if (unlikely(!get_page_unless_zero(page)))
		return NULL;
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
	return ops;

out_unlock:
	unlock_page(page);
out_put:
	put_page(page);
	return NULL;
}

bool isolate_movable_ops_page(struct page *page, isolate_mode_t mode)
{
	return __isolate_movable_ops_page(page, mode) != NULL;
}

static void putback_movable_ops_page(const struct movable_operations *ops,
				     struct page *page)
{
	lock_page(page);
	ops->putback_page(page);
	ClearPageMovableOpsIsolated(page);
	unlock_page(page);
	put_page(page);
}

int migrate_movable_page(struct page *page, enum migrate_mode mode)
{
	const struct movable_operations *ops;
	struct page *dst;
	int rc;

	might_sleep();
	ops = __isolate_movable_ops_page(page, 0);
	if (!ops)
		return -EBUSY;

	dst = alloc_pages_node(page_to_nid(page), GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0);
	if (!dst) {
		putback_movable_ops_page(ops, page);
		return -ENOMEM;
	}

	lock_page(page);
	if (page_count(page) == 1) {
		/* The owner freed it while isolated: nothing left to move. */
		ClearPageMovableOpsIsolated(page);
		unlock_page(page);
		put_page(page);
		put_page(dst);
		return 0;
	}
	/* A page fresh from the allocator is unlocked. */
	if (WARN_ON_ONCE(!trylock_page(dst))) {
		unlock_page(page);
		put_page(dst);
		putback_movable_ops_page(ops, page);
		return -EAGAIN;
	}

	rc = ops->migrate_page(dst, page, mode);
	unlock_page(dst);
	/* The owner took its own reference to @dst if it kept it. */
	put_page(dst);
	if (!rc) {
		ClearPageMovableOpsIsolated(page);
		unlock_page(page);
		put_page(page);
		return 0;
	}
	unlock_page(page);
	putback_movable_ops_page(ops, page);
	return rc;
}

static u64 migrate_rand_next(u64 *state)
{
	/* xorshift64*: a few random choices per page, reproducible from @seed. */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

unsigned long sim_migrate_random_movable(unsigned long nr, u64 seed)
{
	u64 state = seed * 0x9e3779b97f4a7c15ULL + 1;
	unsigned long start, i, migrated = 0;

	if (!max_mapnr || !nr)
		return 0;
	start = migrate_rand_next(&state) % max_mapnr;
	for (i = 0; i < max_mapnr && migrated < nr; i++) {
		struct page *page = mem_map + (start + i) % max_mapnr;

		/* Racy peek, as the compaction scanner's: isolation re-checks. */
		if (!PageMovableOps(page) || !page_movable_ops(page) ||
		    PageMovableOpsIsolated(page))
			continue;
		if (migrate_rand_next(&state) & 1)
			continue;
		if (!migrate_movable_page(page, MIGRATE_SYNC))
			migrated++;
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
