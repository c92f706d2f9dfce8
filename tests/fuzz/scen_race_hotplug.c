// SPDX-License-Identifier: GPL-2.0-only
/*
 * "hotplug-store": stores and loads on two CPUs while a third task takes
 * one of those CPUs offline and back online, twice. The window of
 * known race 1 (docs/fuzzing.md) (CVE-2025-21693): a store or load looks up its CPU's
 * compression context, the CPU goes down and its teardown frees the
 * context, the task carries on with it. Meaningful in both lifetime
 * models; the race exists only with per-CPU teardown (--lifetime hotplug).
 */
#include <linux/cpu.h>

#include "scen_race.h"

#define HS_PAGES	8
/* CPU 1 goes down and up this many times. */
#define HS_CYCLES	2

static int hs_worker_fn(void *arg)
{
	struct race_worker *w = arg;
	struct race_page pages[HS_PAGES];
	int i, ret;

	for (i = 0; i < HS_PAGES; i++) {
		ret = race_swap_out(&pages[i], w->seed + i, false, NULL);
		if (ret) {
			snprintf(w->why, sizeof(w->why), "swap-out failed: %d", ret);
			while (--i >= 0)
				race_swap_in(&pages[i], true, w->why, sizeof(w->why));
			return ret;
		}
	}
	for (i = 0; i < HS_PAGES; i++) {
		ret = race_swap_in(&pages[i], true, w->why, sizeof(w->why));
		if (ret)
			return ret;
	}
	return 0;
}

static int hs_hotplug_fn(void *arg)
{
	int i, ret = 0;

	for (i = 0; i < HS_CYCLES && !ret; i++) {
		ret = remove_cpu(1);
		if (!ret)
			ret = add_cpu(1);
	}
	return ret;
}

static void hs_configure(struct zsim_config *cfg, const struct fuzz_opts *o)
{
	if (cfg->nr_cpus < 3)
		cfg->nr_cpus = 3;
}

static int hs_run(const struct fuzz_opts *o, char *why, size_t len)
{
	struct race_worker w[2] = { { .seed = 100 }, { .seed = 200 } };
	struct zsim_task *t[3];
	int i, ret = 0, r, type;

	if (race_zswap_on(why, len))
		return -EINVAL;
	type = zsim_swapon(64, NULL, 0, 0);
	if (type < 0) {
		snprintf(why, len, "swapon: %d", type);
		return type;
	}
	t[0] = zsim_spawn(1, hs_worker_fn, &w[0], "store-a");
	t[1] = zsim_spawn(2, hs_worker_fn, &w[1], "store-b");
	t[2] = zsim_spawn(0, hs_hotplug_fn, NULL, "hotplug");
	for (i = 0; i < 3; i++) {
		r = t[i] ? zsim_join(t[i]) : -ENOMEM;
		if (r && !ret) {
			ret = r;
			snprintf(why, len, "%s", i < 2 ? w[i].why : "cpu 1 down/up failed");
		}
	}
	if (fuzz_wedged(ret))
		return ret;
	ret = race_swapoff_last(type, ret, why, len);
	return ret;
}

FUZZ_SCENARIO(scen_hotplug_store) = {
	.name		= "hotplug-store",
	.desc		= "stores and loads on CPUs 1 and 2 while CPU 1 goes down and up (race 1)",
	.configure	= hs_configure,
	.run		= hs_run,
};
