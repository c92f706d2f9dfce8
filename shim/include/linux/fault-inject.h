/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault injection (<linux/fault-inject.h>, lib/fault-inject.c).
 *
 * One framework for every failure the simulator can inject: named sites in
 * a global registry, each failing on one of
 *	- exactly the Nth call ("nth=N"),
 *	- every Nth call ("every=N", the kernel's interval),
 *	- a probability in permille ("p=N"; the kernel's is in percent),
 * counted since the site was last configured. Probability decisions are a
 * hash of the machine seed, the site name and the call number, so a run
 * with the same seed and the same calls fails the same calls.
 * Sites are configured per test with zsim_fault_set() (include/zswapsim.h)
 * or from ZSWAPSIM_FAULTS="site:p=N,site:every=N,site:nth=N,...", which is
 * checked when the machine starts (a bad token or an unknown site makes
 * zsim_machine_start() fail with -EINVAL or -ENOENT and a message naming
 * it; an unknown site's lists the sites, as zsim_fault_set()'s does) and
 * armed at the end of its boot (a late initcall), so the boot
 * itself never fails. zsim_fault_list() prints every site with its
 * counters. Starting a machine resets every site.
 *
 * A site is a struct fault_attr. Define one at file scope with
 *	static DEFINE_FAULT_SITE(zs_malloc_fault, "zs_malloc");
 * (registered before main() by a constructor, so it can be configured
 * before its first call) and ask it at the failure point with
 *	if (should_fail_site(&zs_malloc_fault))
 *		return -ENOMEM;
 * DECLARE_FAULT_ATTR(name) is the kernel's spelling: a site named "name".
 *
 * The shim's sites: "kmalloc" (also kvmalloc's kmalloc attempt, krealloc,
 * kmemdup, kstrdup), "kmem_cache_alloc" and one "kmem_cache:<name>" per
 * cache, "alloc_pages" (also folios), "vmalloc", "percpu", "swap_alloc"
 * (folio_alloc_swap()), "swap_read" and "swap_write" (swap I/O errors);
 * xarray nodes fail through their cache, "kmem_cache:radix_tree_node";
 * zsmalloc's "zs_zspage" (struct zspage), "zs_page" (a page of a
 * zspage) and "zs_handle" (handle) allocations (src/zsmalloc/zsmalloc.c;
 * their global caches add "kmem_cache:zspage" and "kmem_cache:zs_handle");
 * "sched_trace" (growth of the controlled backend's record of decisions:
 * host memory, failed only to test zsim_schedule()'s truncated string);
 * "acomp_compress" and "acomp_decompress" (src/acomp/acompress.c: one call
 * of an algorithm's hook fails with -EIO without running; per unit of a
 * batch the core splits, per request for a batching driver).
 * "iaa_engine_error", "iaa_timeout", "iaa_wq_refuse" and "iaa_desc_alloc"
 * (src/iaa_model/iaa_device.c: an engine analytics error, a hung engine, an
 * ENQCMDS refusal, no free descriptor; docs/iaa-model.md).
 * Differences from the kernel: no debugfs files, no task filter, stack
 * filter, "space" or "times"; __GFP_NOFAIL allocations are never failed and
 * every other allocation can be (the kernel's default ignores sleeping
 * allocations).
 */
#ifndef _SHIM_LINUX_FAULT_INJECT_H
#define _SHIM_LINUX_FAULT_INJECT_H

#include <linux/list.h>
#include <linux/types.h>

enum fault_mode {
	FAULT_OFF,
	FAULT_NTH,		/* fail call number param */
	FAULT_INTERVAL,		/* fail every param-th call */
	FAULT_PROBABILITY,	/* fail with probability param/1000 */
};

struct fault_attr {
	const char		*name;
	/* Configuration (zsim_fault_set(), ZSWAPSIM_FAULTS). */
	enum fault_mode		mode;
	unsigned long		param;
	int			verbose;	/* >0: print each injected failure */
	/* State. */
	unsigned long		calls;		/* since configured */
	unsigned long		injected;
	u64			seed;		/* machine seed ^ hash of the name */
	struct list_head	list;
	int			registered;
};

#define FAULT_ATTR_INITIALIZER_NAMED(site) {				\
	.name = (site), .mode = FAULT_OFF, .list = { NULL, NULL } }

/* Register @attr by name now (done by DEFINE_FAULT_SITE or the first call). */
void fault_site_register(struct fault_attr *attr);
/* Remove a site whose memory goes away (per-cache sites). */
void fault_site_unregister(struct fault_attr *attr);

#define DEFINE_FAULT_SITE(var, site)					\
	struct fault_attr var = FAULT_ATTR_INITIALIZER_NAMED(site);	\
	static void __attribute__((constructor)) __fault_site_register_##var(void) \
	{								\
		fault_site_register(&var);				\
	}

#define DECLARE_FAULT_ATTR(name)	DEFINE_FAULT_SITE(name, #name)

/*
 * Count a call of the site and decide whether it fails. @size is accepted
 * for the kernel's signature and ignored. Not a scheduling point.
 */
bool should_fail(struct fault_attr *attr, ssize_t size);

static inline bool should_fail_site(struct fault_attr *attr)
{
	return should_fail(attr, 0);
}

/* The same, for a site known by name only (looked up on every call). */
bool fault_should_fail(const char *site);

/* Configure every site called @site; -ENOENT if none (see zsim_fault_set()). */
int fault_site_config(const char *site, enum fault_mode mode, unsigned long param);

#endif /* _SHIM_LINUX_FAULT_INJECT_H */
