// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hierarchical page counters (mm/page_counter.c): lockless charges along
 * the parent chain, and the parsing of the cgroup files that set limits.
 * Difference: memparse() (lib/cmdline.c in the kernel) is inlined here as
 * the only user of it in the shim.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/page_counter.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/*
 * Racy, as the kernel's: a charger that sees a new high raises the mark,
 * and concurrent ones may leave the lower of their two values for a while.
 */
static void raise_watermark(struct page_counter *c, long usage)
{
	if (usage > (long)READ_ONCE(c->watermark))
		WRITE_ONCE(c->watermark, usage);
}

void page_counter_charge(struct page_counter *counter, unsigned long nr_pages)
{
	struct page_counter *c;

	for (c = counter; c; c = c->parent)
		raise_watermark(c, atomic_long_add_return(nr_pages, &c->usage));
}

bool page_counter_try_charge(struct page_counter *counter, unsigned long nr_pages,
			     struct page_counter **fail)
{
	struct page_counter *c;

	for (c = counter; c; c = c->parent) {
		long new = atomic_long_add_return(nr_pages, &c->usage);

		/*
		 * Charge first, then test, as the kernel: racing chargers
		 * may both back off near the limit, never both get past it.
		 */
		if (new > (long)READ_ONCE(c->max)) {
			atomic_long_sub(nr_pages, &c->usage);
			WRITE_ONCE(c->failcnt, c->failcnt + 1);
			*fail = c;
			goto failed;
		}
		raise_watermark(c, new);
	}
	return true;

failed:
	for (c = counter; c != *fail; c = c->parent)
		atomic_long_sub(nr_pages, &c->usage);
	return false;
}

void page_counter_uncharge(struct page_counter *counter, unsigned long nr_pages)
{
	struct page_counter *c;

	for (c = counter; c; c = c->parent) {
		long new = atomic_long_sub_return(nr_pages, &c->usage);

		if (WARN_ONCE(new < 0, "page_counter underflow: %ld nr_pages=%lu\n",
			      new, nr_pages))
			atomic_long_set(&c->usage, 0);
	}
}

/*
 * memparse(): a number (strtoull base 0) scaled by an optional suffix.
 * Difference: a byte count past 2^64 is refused; the kernel's wraps, so
 * "16E" would be a limit of 0.
 */
static int memparse(const char *s, unsigned long long *bytes)
{
	static const char suffixes[] = "KMGTPE";
	unsigned long long v;
	unsigned int shift;
	const char *unit;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -EINVAL;
	if (*end) {
		unit = strchr(suffixes, toupper((unsigned char)*end));
		if (!unit || end[1])
			return -EINVAL;
		shift = 10 * (unit - suffixes + 1);
		if (v > ULLONG_MAX >> shift)
			return -EINVAL;
		v <<= shift;
	}
	*bytes = v;
	return 0;
}

int page_counter_memparse(const char *buf, const char *max_str, unsigned long *nr_pages)
{
	unsigned long long bytes;

	if (!strcmp(buf, max_str)) {
		*nr_pages = PAGE_COUNTER_MAX;
		return 0;
	}
	if (memparse(buf, &bytes))
		return -EINVAL;
	*nr_pages = bytes / PAGE_SIZE < PAGE_COUNTER_MAX ? bytes / PAGE_SIZE : PAGE_COUNTER_MAX;
	return 0;
}
