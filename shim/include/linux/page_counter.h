/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hierarchical page counters (<linux/page_counter.h>, mm/page_counter.c):
 * the usage and limits behind memory.current, memory.max and memory.high.
 *
 * As in the kernel, a charge is added to the counter and every ancestor
 * with atomic operations, no lock; page_counter_try_charge() fails (and
 * undoes its partial charge) at the first level whose usage would go past
 * max. Usage, max, high and the watermark (the highest usage seen:
 * memory.peak, memory.swap.peak) are in pages. Difference: no protection
 * (min/low), and the watermark cannot be reset.
 */
#ifndef _SHIM_LINUX_PAGE_COUNTER_H
#define _SHIM_LINUX_PAGE_COUNTER_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/types.h>
#include <asm/page.h>

struct page_counter {
	atomic_long_t usage;
	unsigned long max;
	unsigned long high;
	unsigned long watermark;	/* highest usage since init */
	unsigned long failcnt;	/* try_charge() failures at this level */
	struct page_counter *parent;
};

/* "max": no limit, as the kernel's LONG_MAX / PAGE_SIZE. */
#define PAGE_COUNTER_MAX (LONG_MAX / PAGE_SIZE)

static inline void page_counter_init(struct page_counter *counter,
				     struct page_counter *parent)
{
	atomic_long_set(&counter->usage, 0);
	counter->max = PAGE_COUNTER_MAX;
	counter->high = PAGE_COUNTER_MAX;
	counter->watermark = 0;
	counter->failcnt = 0;
	counter->parent = parent;
}

static inline unsigned long page_counter_read(struct page_counter *counter)
{
	return atomic_long_read(&counter->usage);
}

/* Charge @nr_pages to @counter and its ancestors, ignoring the limits. */
void page_counter_charge(struct page_counter *counter, unsigned long nr_pages);
/*
 * Charge @nr_pages unless a level would go above its max: then nothing is
 * charged, *@fail is the level that refused, and the result is false.
 */
bool page_counter_try_charge(struct page_counter *counter, unsigned long nr_pages,
			     struct page_counter **fail);
void page_counter_uncharge(struct page_counter *counter, unsigned long nr_pages);

static inline void page_counter_set_high(struct page_counter *counter,
					 unsigned long nr_pages)
{
	WRITE_ONCE(counter->high, nr_pages);
}

/*
 * Parse a cgroup file value (already stripped of white space): @max_str
 * ("max") or a byte count as memparse() reads it (decimal, 0x hex or 0
 * octal, optional K, M, G, T, P or E suffix in either case), rounded down
 * to pages and clamped to PAGE_COUNTER_MAX into *@nr_pages. -EINVAL for
 * anything else.
 */
int page_counter_memparse(const char *buf, const char *max_str, unsigned long *nr_pages);

#endif /* _SHIM_LINUX_PAGE_COUNTER_H */
