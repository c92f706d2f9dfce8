// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory.high and memory.swap.high (the kernel's mm/memcontrol.c): a
 * charge that leaves any level of the hierarchy over its memory.high, or
 * with its swap over its memory.swap.high, adds its pages to the charging
 * task's memcg_nr_pages_over_high (the shim's try_charge_memcg(), for
 * folio and objcg charges alike); on the way back to user space
 * (resume_user_mode_work(), after each fault and process call here) the
 * task reclaims that many pages from every level still over memory.high,
 * then, while reclaim cannot bring usage down, sleeps a penalty that grows
 * with the square of the worst memory overage plus that of the worst swap
 * overage: the allocator throttling of both files. Reclaim cannot shrink
 * swap usage, so a swap overage is paid for in sleep only.
 *
 * Each level reclaimed for being over its memory.high counts a MEMCG_HIGH
 * event, each level found over its memory.swap.high a MEMCG_SWAP_HIGH one.
 *
 * Differences: the shim charges exact pages (no per-CPU stock), so the
 * batch a charge adds is its own size rather than at least
 * MEMCG_CHARGE_BATCH.
 */
#include <linux/jiffies.h>
#include <linux/memcontrol.h>
#include <linux/page_counter.h>
#include <linux/sched.h>
#include <linux/swap.h>

#include "internal.h"

/* Fixed-point overage, and the scale that makes 2^x growth a penalty. */
#define MEMCG_DELAY_PRECISION_SHIFT	20
#define MEMCG_DELAY_SCALING_SHIFT	14
/* A task is never throttled longer than this per return to user. */
#define MEMCG_MAX_HIGH_DELAY_JIFFIES	(2UL * HZ)

static bool memcg_over_high(struct mem_cgroup *memcg)
{
	return page_counter_read(&memcg->memory) > READ_ONCE(memcg->memory.high);
}

void mem_cgroup_trim_over_high(gfp_t gfp)
{
	if (current && current->memcg_nr_pages_over_high > MEMCG_CHARGE_BATCH &&
	    !(current->flags & PF_MEMALLOC) && gfpflags_allow_blocking(gfp))
		mem_cgroup_handle_over_high(gfp);
}

/* Reclaim @nr_pages from each level of @memcg's hierarchy over its high. */
static unsigned long reclaim_high(struct mem_cgroup *memcg, unsigned int nr_pages, gfp_t gfp)
{
	unsigned long nr_reclaimed = 0;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg)) {
		if (!memcg_over_high(memcg))
			continue;
		memcg_memory_event(memcg, MEMCG_HIGH);
		nr_reclaimed += try_to_free_mem_cgroup_pages(memcg, nr_pages, gfp,
							     MEMCG_RECLAIM_MAY_SWAP, NULL);
	}
	return nr_reclaimed;
}

/* (usage - high) / high in 2^-20 units; a high of 0 counts as 1 page. */
static u64 calculate_overage(unsigned long usage, unsigned long high)
{
	if (usage <= high)
		return 0;
	high = max(high, 1UL);
	return ((u64)(usage - high) << MEMCG_DELAY_PRECISION_SHIFT) / high;
}

static u64 mem_find_max_overage(struct mem_cgroup *memcg)
{
	u64 max_overage = 0;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg))
		max_overage = max(max_overage,
				  calculate_overage(page_counter_read(&memcg->memory),
						    READ_ONCE(memcg->memory.high)));
	return max_overage;
}

/* The same for swap; each level over its memory.swap.high counts an event. */
static u64 swap_find_max_overage(struct mem_cgroup *memcg)
{
	u64 overage, max_overage = 0;

	for (; memcg && !mem_cgroup_is_root(memcg); memcg = parent_mem_cgroup(memcg)) {
		overage = calculate_overage(page_counter_read(&memcg->swap),
					    READ_ONCE(memcg->swap.high));
		if (overage)
			memcg_memory_event(memcg, MEMCG_SWAP_HIGH);
		max_overage = max(max_overage, overage);
	}
	return max_overage;
}

/*
 * Jiffies to sleep: quadratic in the overage, so going a little over is
 * nearly free and going far over is not; scaled by the task's share, so
 * four charges of N pages are throttled about as one of 4N.
 */
static unsigned long calculate_high_delay(unsigned int nr_pages, u64 max_overage)
{
	unsigned long penalty_jiffies;

	if (!max_overage)
		return 0;
	penalty_jiffies = max_overage * max_overage * HZ;
	penalty_jiffies >>= MEMCG_DELAY_PRECISION_SHIFT;
	penalty_jiffies >>= MEMCG_DELAY_SCALING_SHIFT;
	return penalty_jiffies * nr_pages / MEMCG_CHARGE_BATCH;
}

void mem_cgroup_handle_over_high(gfp_t gfp)
{
	unsigned int nr_pages = current->memcg_nr_pages_over_high;
	struct mem_cgroup *memcg;
	int nr_retries = MAX_RECLAIM_RETRIES;
	unsigned long penalty_jiffies, nr_reclaimed;
	bool in_retry = false;

	if (likely(!nr_pages))
		return;
	current->memcg_nr_pages_over_high = 0;
	/* A kernel thread (no mm): the root's, never over high. */
	memcg = current->mm ? get_mem_cgroup_from_mm(current->mm) : NULL;

	for (;;) {
		/* The batch first; after that only what keeps usage in check. */
		nr_reclaimed = reclaim_high(memcg, in_retry ? SWAP_CLUSTER_MAX : nr_pages, gfp);
		penalty_jiffies = calculate_high_delay(nr_pages, mem_find_max_overage(memcg)) +
				  calculate_high_delay(nr_pages, swap_find_max_overage(memcg));
		penalty_jiffies = min(penalty_jiffies, MEMCG_MAX_HIGH_DELAY_JIFFIES);
		/* Too little over to be worth a sleep. */
		if (penalty_jiffies <= HZ / 100)
			goto out;
		/* Progress (or retries left): keep reclaiming rather than sleep. */
		if (!nr_reclaimed && !nr_retries--)
			break;
		in_retry = true;
	}
	/* Reclaim cannot keep up: slow the task down (killable in the kernel). */
	schedule_timeout_uninterruptible(penalty_jiffies);
out:
	mem_cgroup_put(memcg);
}
