// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writeback from the zswap shrinker racing with what can pull an entry
 * out from under it once the LRU walk has dropped its lock:
 *
 * "writeback-invalidate": the pages are swapped back in (their entries
 * loaded and freed, the slots kept until the end) while the shrinker
 * writes entries back. The window of known race 6 (docs/fuzzing.md): writeback finds the slot no
 * longer holding its entry and must undo its swap cache folio completely.
 *
 * "writeback-swapoff": the pages are swapped in and their slots freed,
 * then the device is swapped off, while the shrinker writes back. The
 * window of known race 5 (docs/fuzzing.md): writeback must not touch the device or its
 * zswap tree once swapoff may have freed them.
 *
 * Both check every page's contents and that every slot is gone at the end.
 */
#include <linux/delay.h>
#include <linux/shrinker.h>

#include <sim/memcg.h>

#include "scen_race.h"

#define WB_PAGES	8
#define WB_SLOTS	64

struct wb_state {
	struct race_page	pages[WB_PAGES];
	struct mem_cgroup	*memcg;		/* "/race": the shrinker's target */
	int			type;
	bool			swapoff;	/* writeback-swapoff */
	bool			swapped_off;
	char			why[128];
};

static int wb_fill_fn(void *arg)
{
	struct wb_state *st = arg;
	int i, ret;

	st->memcg = mem_cgroup_lookup("/race");
	if (IS_ERR(st->memcg)) {
		snprintf(st->why, sizeof(st->why), "no memcg /race");
		st->memcg = NULL;
		return -ENOENT;
	}
	for (i = 0; i < WB_PAGES; i++) {
		ret = race_swap_out(&st->pages[i], 300 + i, false, st->memcg);
		if (ret) {
			snprintf(st->why, sizeof(st->why), "swap-out failed: %d", ret);
			return ret;
		}
	}
	return 0;
}

/* Shrinker passes over the memcg: the first clears the second chance. */
static int wb_shrink_fn(void *arg)
{
	struct wb_state *st = arg;
	int i;

	for (i = 0; i < 3; i++)
		shrink_slab(GFP_KERNEL, 0, st->memcg, 0);
	return 0;
}

/* The end: the slots writeback-invalidate kept, and the memcg reference. */
static int wb_put_fn(void *arg)
{
	struct wb_state *st = arg;
	int i;

	if (!st->swapoff) {
		for (i = 0; i < WB_PAGES; i++)
			swap_put_entries_direct(st->pages[i].entry, 1);
	}
	mem_cgroup_put(st->memcg);
	st->memcg = NULL;
	return 0;
}

static int wb_swapin_fn(void *arg)
{
	struct wb_state *st = arg;
	int i, ret, tries;

	/* writeback-invalidate keeps the slots until the writeback is over. */
	for (i = 0; i < WB_PAGES; i++) {
		ret = race_swap_in(&st->pages[i], st->swapoff, st->why, sizeof(st->why));
		if (ret)
			return ret;
	}
	if (!st->swapoff)
		return 0;
	/* A writeback's swap cache folio may hold a slot for a moment. */
	for (tries = 0; tries < 100; tries++) {
		ret = ksys_swapoff(st->type);
		if (ret != -EBUSY)
			break;
		msleep(1);
	}
	if (ret) {
		snprintf(st->why, sizeof(st->why), "swapoff: %d", ret);
		return ret;
	}
	st->swapped_off = true;
	return 0;
}

static int wb_run(struct wb_state *st, char *why, size_t len)
{
	struct zsim_task *t[2];
	int i, r, ret;

	if (race_zswap_on(why, len))
		return -EINVAL;
	if (zsim_param_set("zswap", "shrinker_enabled", "Y")) {
		snprintf(why, len, "cannot enable the zswap shrinker");
		return -EINVAL;
	}
	st->type = zsim_swapon(WB_SLOTS, NULL, 0, 0);
	if (st->type < 0) {
		snprintf(why, len, "swapon: %d", st->type);
		return st->type;
	}
	ret = zsim_memcg_create(NULL, "race");
	if (ret) {
		snprintf(why, len, "mkdir /race: %d", ret);
		return ret;
	}
	ret = zsim_run(1, wb_fill_fn, st);
	if (ret) {
		snprintf(why, len, "%s", st->why);
		return ret;
	}
	t[0] = zsim_spawn(1, wb_swapin_fn, st, "swapin");
	t[1] = zsim_spawn(2, wb_shrink_fn, st, "shrink");
	ret = 0;
	for (i = 0; i < 2; i++) {
		r = t[i] ? zsim_join(t[i]) : -ENOMEM;
		if (r && !ret) {
			ret = r;
			snprintf(why, len, "%s", i ? "shrinker task failed" : st->why);
		}
	}
	if (fuzz_wedged(ret))
		return ret;
	zsim_run(1, wb_put_fn, st);
	if (!st->swapped_off) {
		r = race_swapoff(st->type);
		if (r && !ret) {
			snprintf(why, len, "swapoff at the end: %d", r);
			ret = r;
		}
	} else {
		/* What the swapoff took out of the swap cache is reclaim's. */
		zsim_run(0, race_unuse_fn, NULL);
	}
	r = zsim_memcg_destroy("/race");
	if (r && !ret) {
		snprintf(why, len, "rmdir /race: %d", r);
		ret = r;
	}
	return ret;
}

static void wb_configure(struct zsim_config *cfg, const struct fuzz_opts *o)
{
	if (cfg->nr_cpus < 3)
		cfg->nr_cpus = 3;
}

static int wb_invalidate_run(const struct fuzz_opts *o, char *why, size_t len)
{
	struct wb_state st = { .swapoff = false };

	return wb_run(&st, why, len);
}

static int wb_swapoff_run(const struct fuzz_opts *o, char *why, size_t len)
{
	struct wb_state st = { .swapoff = true };

	return wb_run(&st, why, len);
}

FUZZ_SCENARIO(scen_writeback_invalidate) = {
	.name		= "writeback-invalidate",
	.desc		= "shrinker writeback while the entries are loaded and their slots kept (race 6)",
	.configure	= wb_configure,
	.run		= wb_invalidate_run,
};

FUZZ_SCENARIO(scen_writeback_swapoff) = {
	.name		= "writeback-swapoff",
	.desc		= "shrinker writeback while the pages are swapped in and the device swapped off (race 5)",
	.configure	= wb_configure,
	.run		= wb_swapoff_run,
};
