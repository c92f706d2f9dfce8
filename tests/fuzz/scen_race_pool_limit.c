// SPDX-License-Identifier: GPL-2.0-only
/*
 * "pool-limit": two tasks store incompressible pages into a pool
 * limited to 1% of a small RAM, so that stores keep hitting the limit and
 * queueing the shrink worker, often several before it runs once (the
 * window of known race 8 (docs/fuzzing.md): a pool reference taken per queueing attempt
 * and dropped once per worker run). Every page is read back and checked;
 * the leak checks at machine stop find a pool that never went.
 */
#include "scen_race.h"

#define PL_TASKS	2
#define PL_PAGES	96

static int pl_worker_fn(void *arg)
{
	struct race_worker *w = arg;
	struct race_page pages[PL_PAGES];
	int i, n, ret = 0;

	for (n = 0; n < PL_PAGES; n++) {
		ret = race_swap_out(&pages[n], w->seed + n, true, NULL);
		if (ret) {
			snprintf(w->why, sizeof(w->why), "swap-out failed: %d", ret);
			break;
		}
	}
	for (i = 0; i < n; i++) {
		int r = race_swap_in(&pages[i], true, w->why, sizeof(w->why));

		if (r && !ret)
			ret = r;
	}
	return ret;
}

static void pl_configure(struct zsim_config *cfg, const struct fuzz_opts *o)
{
	/* 1% of 32 MiB: a limit of 81 pages, below what one task stores. */
	cfg->ram_bytes = 32ULL << 20;
	if (cfg->nr_cpus < PL_TASKS)
		cfg->nr_cpus = PL_TASKS;
}

static int pl_run(const struct fuzz_opts *o, char *why, size_t len)
{
	struct race_worker w[PL_TASKS];
	struct zsim_task *t[PL_TASKS];
	int i, r, ret = 0, type;

	if (race_zswap_on(why, len))
		return -EINVAL;
	if (zsim_param_set("zswap", "max_pool_percent", "1")) {
		snprintf(why, len, "cannot set max_pool_percent");
		return -EINVAL;
	}
	type = zsim_swapon(256, NULL, 0, 0);
	if (type < 0) {
		snprintf(why, len, "swapon: %d", type);
		return type;
	}
	for (i = 0; i < PL_TASKS; i++) {
		w[i].seed = 1000 * (i + 1);
		w[i].why[0] = '\0';
		t[i] = zsim_spawn(i, pl_worker_fn, &w[i], "store");
	}
	for (i = 0; i < PL_TASKS; i++) {
		r = t[i] ? zsim_join(t[i]) : -ENOMEM;
		if (r && !ret) {
			ret = r;
			snprintf(why, len, "%s", w[i].why);
		}
	}
	if (fuzz_wedged(ret))
		return ret;
	ret = race_swapoff_last(type, ret, why, len);
	zsim_param_set("zswap", "max_pool_percent", "20");
	return ret;
}

FUZZ_SCENARIO(scen_pool_limit) = {
	.name		= "pool-limit",
	.desc		= "stores racing into a pool at its limit, queueing the shrink worker (race 8)",
	.configure	= pl_configure,
	.run		= pl_run,
};
