// SPDX-License-Identifier: GPL-2.0-only
/*
 * "reclaim-hotplug": a process touches more memory than the machine has,
 * so its page faults reclaim directly (the page allocator's slow path,
 * holding fs_reclaim) and swap out through zswap, while another task
 * takes a CPU offline and back online (zswap's per-CPU teardown and
 * preparation). The windows of known race 1b (docs/fuzzing.md) (allocating under the
 * context mutex, which reclaim takes) and 1c (freeing the tfm, which takes
 * scomp_lock, under that mutex): lockdep sees the cycle through
 * fs_reclaim whether or not this run deadlocks. Every page is read back
 * and checked.
 */
#include <linux/cpu.h>

#include "scen_race.h"

/* Half again the machine's 4 MiB. */
#define RH_PAGES	1536

struct rh_state {
	struct zsim_region	*region;
	int			touch_ret;
};

static int rh_touch_fn(void *arg)
{
	struct rh_state *st = arg;

	st->touch_ret = zsim_touch(st->region, 0, RH_PAGES, true);
	return st->touch_ret;
}

static int rh_hotplug_fn(void *arg)
{
	int ret = remove_cpu(2);

	return ret ? ret : add_cpu(2);
}

static void rh_configure(struct zsim_config *cfg, const struct fuzz_opts *o)
{
	cfg->ram_bytes = 4ULL << 20;
	if (cfg->nr_cpus < 3)
		cfg->nr_cpus = 3;
}

static int rh_run(const struct fuzz_opts *o, char *why, size_t len)
{
	struct rh_state st = { };
	struct zsim_process *proc;
	struct zsim_task *t[2];
	int i, r, ret = 0, type;

	if (race_zswap_on(why, len))
		return -EINVAL;
	type = zsim_swapon(2 * RH_PAGES, NULL, 0, 0);
	if (type < 0) {
		snprintf(why, len, "swapon: %d", type);
		return type;
	}
	ret = zsim_process_create(NULL, &proc);
	if (ret) {
		snprintf(why, len, "process: %d", ret);
		return ret;
	}
	ret = zsim_mmap(proc, RH_PAGES, 0, o->seed, &st.region);
	if (ret) {
		snprintf(why, len, "mmap: %d", ret);
		goto out;
	}
	t[0] = zsim_spawn(1, rh_touch_fn, &st, "toucher");
	t[1] = zsim_spawn(0, rh_hotplug_fn, NULL, "hotplug");
	for (i = 0; i < 2; i++) {
		r = t[i] ? zsim_join(t[i]) : -ENOMEM;
		if (r && !ret) {
			ret = r;
			snprintf(why, len, i ? "cpu 2 down/up failed: %d" :
				 "touching the region failed: %d", r);
		}
	}
	if (fuzz_wedged(ret))
		return ret;
	/* Read every page back (checked by the VM against what was written). */
	r = zsim_touch(st.region, 0, RH_PAGES, false);
	if (r && !ret) {
		snprintf(why, len, "reading the region back: %d", r);
		ret = r;
	}
out:
	zsim_process_destroy(proc);
	ret = race_swapoff_last(type, ret, why, len);
	return ret;
}

FUZZ_SCENARIO(scen_reclaim_hotplug) = {
	.name		= "reclaim-hotplug",
	.desc		= "direct reclaim into zswap while CPU 2 goes down and up (races 1b, 1c)",
	.configure	= rh_configure,
	.run		= rh_run,
};
