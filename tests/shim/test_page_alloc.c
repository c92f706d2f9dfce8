// SPDX-License-Identifier: GPL-2.0-only
/*
 * The page allocator and folios: PFNs, buddy splitting and merging, node
 * placement, folio geometry, references, poisoning, the page lock,
 * concurrent use, and direct reclaim with its fs_reclaim lockdep map.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/poison.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <sim/report.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zsim_test.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define HAVE_ASAN 1
#else
#define HAVE_ASAN 0
#endif

static void boot_ram(unsigned int cpus, unsigned int nodes, unsigned long mib, bool quiet)
{
	struct zsim_config cfg;

	zsim_config_init(&cfg);
	cfg.nr_cpus = cpus;
	cfg.nr_nodes = nodes;
	cfg.ram_bytes = (uint64_t)mib << 20;
	cfg.quiet = quiet;
	cfg.migrate_permille = 0;	/* tasks stay on the CPU (and node) they start on */
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

static void test_pfn_round_trip(void **state)
{
	struct page *page;
	unsigned long pfn;
	void *addr;

	boot_ram(2, 2, 64, false);
	assert_int_equal(totalram_pages(), (64UL << 20) / PAGE_SIZE);
	assert_true(nr_free_pages() <= totalram_pages());
	assert_false(pfn_valid(0));
	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	pfn = page_to_pfn(page);
	assert_true(pfn != 0);
	assert_true(pfn_valid(pfn));
	assert_ptr_equal(pfn_to_page(pfn), page);
	addr = page_address(page);
	assert_true(PAGE_ALIGNED(addr));
	assert_ptr_equal(virt_to_page(addr), page);
	assert_ptr_equal(virt_to_page((char *)addr + 100), page);
	assert_int_equal(__pa(addr), (phys_addr_t)pfn << PAGE_SHIFT);
	assert_ptr_equal(__va(__pa(addr)), addr);
	assert_int_equal(page_ref_count(page), 1);
	assert_int_equal(compound_order(page), 0);
	assert_false(pfn_valid(page_to_pfn(page) + totalram_pages()));
	__free_page(page);
	zsim_test_shutdown_clean();
}

/* Exhaust RAM in order-0 pages, free them, and find max-order blocks again. */
static int fragment_and_merge(void *arg)
{
	unsigned long free_before = nr_free_pages(), n = 0, i;
	struct page **pages;
	struct page *big[2];
	int ret = 0;

	pages = kvmalloc_array(totalram_pages() + 1, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	while ((pages[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		n++;
	if (n != free_before || nr_free_pages() != 0)
		ret = 1;
	/* Nothing is left for any order. */
	if (alloc_pages(GFP_KERNEL | __GFP_NOWARN, 9))
		ret = 2;
	/* Free in an order that leaves buddies apart until the very end. */
	for (i = 0; i < n; i += 2)
		__free_page(pages[i]);
	if (alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1))
		ret = 3;
	for (i = 1; i < n; i += 2)
		__free_page(pages[i]);
	if (nr_free_pages() != free_before)
		ret = 4;
	big[0] = alloc_pages(GFP_KERNEL, 9);
	big[1] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	if (!big[0] || !big[1])
		ret = 5;
	else if (page_to_pfn(big[0]) & 511 || page_to_pfn(big[1]) & 1023)
		ret = 6;
	if (big[0])
		__free_pages(big[0], 9);
	if (big[1])
		__free_pages(big[1], MAX_PAGE_ORDER);
	if (nr_free_pages() != free_before)
		ret = 7;
	kvfree(pages);
	return ret;
}

static void test_buddy_merge(void **state)
{
	boot_ram(1, 1, 8, false);
	assert_int_equal(zsim_run(0, fragment_and_merge, NULL), 0);
	zsim_test_shutdown_clean();
}

struct node_result {
	int nid_explicit0, nid_explicit1, nid_local_cpu0, nid_local_cpu3;
	int thisnode_failed, fallback_nid;
	unsigned long drained;
};

static int node_placement(void *arg)
{
	struct node_result *r = arg;
	struct page *p0, *p1, *p, *q;
	LIST_HEAD(held);

	p0 = alloc_pages_node(0, GFP_KERNEL, 0);
	p1 = alloc_pages_node(1, GFP_KERNEL, 2);
	r->nid_explicit0 = page_to_nid(p0);
	r->nid_explicit1 = page_to_nid(p1);
	__free_pages(p0, 0);
	__free_pages(p1, 2);

	/* Drain node 1 with __GFP_THISNODE; then fall back to node 0. */
	while ((p = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0))) {
		list_add(&p->lru, &held);
		r->drained++;
	}
	r->thisnode_failed = node_free_pages(1) == 0;
	q = alloc_pages_node(1, GFP_KERNEL, 0);
	r->fallback_nid = q ? page_to_nid(q) : -1;
	if (q)
		__free_page(q);
	while (!list_empty(&held)) {
		p = list_first_entry(&held, struct page, lru);
		list_del(&p->lru);
		__free_page(p);
	}
	return 0;
}

static int local_node(void *arg)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	int nid = page_to_nid(p);

	__free_page(p);
	return nid;
}

static void test_node_placement(void **state)
{
	struct node_result r = {};
	struct folio *f;

	boot_ram(4, 2, 16, false);
	assert_int_equal(zsim_run(0, node_placement, &r), 0);
	assert_int_equal(r.nid_explicit0, 0);
	assert_int_equal(r.nid_explicit1, 1);
	assert_true(r.drained > 0);
	assert_true(r.thisnode_failed);
	assert_int_equal(r.fallback_nid, 0);
	/* NUMA_NO_NODE is the node of the CPU the task runs on. */
	assert_int_equal(zsim_run(0, local_node, NULL), 0);
	assert_int_equal(zsim_run(3, local_node, NULL), 1);
	f = folio_alloc_node(GFP_KERNEL, 3, 1);
	assert_int_equal(folio_nid(f), 1);
	folio_put(f);
	f = __folio_alloc_node(GFP_KERNEL, 0, 0);
	assert_int_equal(folio_nid(f), 0);
	folio_put(f);
	zsim_test_shutdown_clean();
}

static void test_folio_geometry(void **state)
{
	unsigned long free_before, n;
	unsigned int order;
	struct folio *f;

	boot_ram(1, 1, 32, false);
	free_before = nr_free_pages();
	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		f = folio_alloc(GFP_KERNEL, order);
		assert_non_null(f);
		assert_int_equal(folio_order(f), order);
		assert_int_equal(folio_nr_pages(f), 1L << order);
		assert_int_equal(folio_size(f), PAGE_SIZE << order);
		assert_int_equal(folio_test_large(f), order > 0);
		assert_int_equal(folio_ref_count(f), 1);
		assert_true(IS_ALIGNED((unsigned long)folio_address(f), folio_size(f)));
		assert_true(IS_ALIGNED(folio_pfn(f), 1UL << order));
		assert_int_equal(folio_nid(f), 0);
		for (n = 0; n < (1UL << order); n++) {
			struct page *p = folio_page(f, n);

			assert_ptr_equal(page_folio(p), f);
			assert_int_equal(page_to_pfn(p), folio_pfn(f) + n);
			assert_int_equal(PageTail(p), n > 0);
			assert_ptr_equal(virt_to_folio(page_address(p)), f);
		}
		assert_ptr_equal(kmap_local_folio(f, PAGE_SIZE * ((1UL << order) - 1) + 5),
				 (char *)folio_address(f) + folio_size(f) - PAGE_SIZE + 5);
		assert_int_equal(nr_free_pages(), free_before - (1UL << order));
		folio_put(f);
		assert_int_equal(nr_free_pages(), free_before);
	}
	zsim_test_shutdown_clean();
}

static void test_refcount_and_private(void **state)
{
	unsigned long free_before;
	struct folio *f;
	struct page *p;

	boot_ram(1, 1, 8, false);
	free_before = nr_free_pages();
	p = alloc_page(GFP_KERNEL);
	set_page_private(p, 0xabc);
	assert_int_equal(page_private(p), 0xabc);
	get_page(p);
	assert_int_equal(page_count(p), 2);
	put_page(p);
	assert_int_equal(nr_free_pages(), free_before - 1);
	assert_true(get_page_unless_zero(p));
	put_page(p);
	set_page_private(p, 0);
	put_page(p);
	assert_int_equal(nr_free_pages(), free_before);
	assert_false(get_page_unless_zero(p));

	/* A reference on a tail page is the folio's. */
	f = folio_alloc(GFP_KERNEL, 2);
	get_page(folio_page(f, 3));
	assert_int_equal(folio_ref_count(f), 2);
	assert_int_equal(page_count(folio_page(f, 2)), 2);
	put_page(folio_page(f, 1));
	folio_get(f);
	assert_true(folio_try_get(f));
	folio_put_refs(f, 3);
	assert_int_equal(nr_free_pages(), free_before);

	/* Flags live on the head; PageHead/PageTail follow the geometry. */
	f = folio_alloc(GFP_KERNEL, 1);
	assert_true(PageHead(&f->page));
	SetPageDirty(folio_page(f, 1));
	assert_true(folio_test_dirty(f));
	assert_false(folio_mark_dirty(f));
	folio_clear_dirty(f);
	assert_true(folio_mark_dirty(f));
	folio_mark_uptodate(f);
	assert_true(PageUptodate(folio_page(f, 1)));
	folio_set_reclaim(f);
	assert_true(folio_test_reclaim(f));
	folio_clear_reclaim(f);
	folio_clear_dirty(f);
	folio_put(f);
	assert_int_equal(nr_free_pages(), free_before);
	zsim_test_shutdown_clean();
}

static void test_zero_and_poison(void **state)
{
	unsigned char *a;
	struct page *p;
	int i;

	boot_ram(1, 1, 8, false);
	p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	a = page_address(p);
	for (i = 0; i < (int)PAGE_SIZE; i++)
		assert_int_equal(a[i], 0);
	memset(a, 0x37, PAGE_SIZE);
	a = (unsigned char *)__get_free_page(GFP_KERNEL);
	free_page((unsigned long)a);
	__free_page(p);
	a = page_address(p);
#if HAVE_ASAN
	assert_true(__asan_address_is_poisoned(a));
	assert_true(__asan_address_is_poisoned(a + PAGE_SIZE - 1));
#else
	for (i = 0; i < (int)PAGE_SIZE; i++)
		assert_int_equal(a[i], PAGE_POISON);
#endif
	a = (unsigned char *)get_zeroed_page(GFP_KERNEL);
	for (i = 0; i < (int)PAGE_SIZE; i++)
		assert_int_equal(a[i], 0);
	free_page((unsigned long)a);
	zsim_test_shutdown_clean();
}

/* Page poisoning is on by default; ZSWAPSIM_PAGE_POISON=0|1 sets it. */
static void test_page_poison_env(void **state)
{
	struct zsim_config cfg;

	zsim_config_init(&cfg);
	assert_true(cfg.page_poison);
	setenv("ZSWAPSIM_PAGE_POISON", "0", 1);
	assert_int_equal(zsim_config_from_env(&cfg), 0);
	assert_false(cfg.page_poison);
	setenv("ZSWAPSIM_PAGE_POISON", "on", 1);
	assert_int_equal(zsim_config_from_env(&cfg), -EINVAL);
	assert_false(cfg.page_poison);
	setenv("ZSWAPSIM_PAGE_POISON", "1", 1);
	assert_int_equal(zsim_config_from_env(&cfg), 0);
	assert_true(cfg.page_poison);
	unsetenv("ZSWAPSIM_PAGE_POISON");
}

#if !HAVE_ASAN
/*
 * A write into a freed page: with page poisoning it is found when the page
 * is handed out again, even to a __GFP_ZERO allocation (checked before the
 * zeroing, as kernel_unpoison_pages()); without, as in a kernel booted
 * without page_poison=1, the page comes back as it was left and nothing is
 * reported.
 */
static void write_after_free(bool poison)
{
	struct page *victim, *pages[2048];
	unsigned long victim_pfn;
	int n = 0, i, found = -1;
	struct zsim_config cfg;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 1;
	cfg.ram_bytes = 4ULL << 20;
	cfg.quiet = true;
	cfg.page_poison = poison;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	victim = alloc_page(GFP_KERNEL);
	victim_pfn = page_to_pfn(victim);
	memset(page_address(victim), 0x37, PAGE_SIZE);
	__free_page(victim);
	((char *)page_address(victim))[123] = 1;	/* use after free */
	while (n < 2048 &&
	       (pages[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN | (poison ? __GFP_ZERO : 0)))) {
		if (page_to_pfn(pages[n]) == victim_pfn)
			found = n;
		n++;
	}
	assert_true(found >= 0);
	if (poison) {
		assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 1);
		assert_non_null(strstr(zsim_first_report(), "pagealloc: memory corruption"));
	} else {
		const unsigned char *a = page_address(pages[found]);

		assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 0);
		assert_int_equal(a[123], 1);
		assert_int_equal(a[0], 0x37);
		assert_int_equal(a[PAGE_SIZE - 1], 0x37);
	}
	for (i = 0; i < n; i++)
		__free_page(pages[i]);
	assert_int_equal(zsim_machine_stop(), poison ? 1 : 0);
}

static void test_write_after_free_found(void **state)
{
	write_after_free(true);
}

static void test_write_after_free_unpoisoned(void **state)
{
	write_after_free(false);
}
#endif

static void test_bad_page_reported(void **state)
{
	unsigned long free_before;
	struct folio *f;
	struct page *p;

	boot_ram(1, 1, 8, true);
	free_before = nr_free_pages();
	p = alloc_page(GFP_KERNEL);
	__free_page(p);
	__free_page(p);			/* double free */
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 1);
	assert_non_null(strstr(zsim_first_report(), "Bad page state"));
	assert_int_equal(nr_free_pages(), free_before);

	f = folio_alloc(GFP_KERNEL, 1);
	folio_put(f);
	folio_put(f);			/* a put too many */
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 2);
	assert_int_equal(nr_free_pages(), free_before);

	p = alloc_page(GFP_KERNEL);
	SetPageLRU(p);			/* freed while still "on the LRU" */
	__free_page(p);
	assert_int_equal(sim_report_count(SIM_REPORT_FAULT), 3);
	/* The bad page stays out of the allocator, and is a leak at shutdown. */
	assert_int_equal(nr_free_pages(), free_before - 1);
	assert_int_equal(zsim_machine_stop(), 4);
	assert_int_equal(sim_report_count(SIM_REPORT_LEAK), 1);
}

static void test_page_leak_reported(void **state)
{
	boot_ram(1, 1, 8, true);
	assert_non_null(alloc_pages(GFP_KERNEL, 3));
	assert_int_equal(zsim_machine_stop(), 1);
	assert_non_null(strstr(zsim_first_report(), "8 page(s) still allocated"));
}

static void test_failures(void **state)
{
	struct page *first;

	boot_ram(1, 1, 4, true);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
	/* 4 MiB hold one block of MAX_PAGE_ORDER at most. */
	first = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER));
	if (first)
		__free_pages(first, MAX_PAGE_ORDER);
	zsim_test_shutdown_clean();
}

/*
 * fs_reclaim: a lock held across an allocation that may reclaim, and
 * taken by reclaim, is a cycle (the pattern of known race 1b (docs/fuzzing.md)); an
 * allocation that cannot enter reclaim (GFP_NOFS, GFP_NOWAIT, PF_MEMALLOC)
 * adds no dependency.
 */
static DEFINE_MUTEX(fsr_held_across_alloc);
static DEFINE_MUTEX(fsr_nofs);

static int fsr_alloc_under(void *arg)
{
	struct mutex *m = arg;
	gfp_t gfp = m == &fsr_nofs ? GFP_NOFS : GFP_KERNEL;
	unsigned int noreclaim;
	void *p;

	mutex_lock(m);
	p = kmalloc(64, gfp);
	kfree(p);
	p = kmalloc(64, GFP_NOWAIT);
	kfree(p);
	/* Reclaim itself allocates under PF_MEMALLOC: no recursion, no edge. */
	noreclaim = memalloc_noreclaim_save();
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	memalloc_noreclaim_restore(noreclaim);
	mutex_unlock(m);
	return 0;
}

/* What reclaim does: hold fs_reclaim, take the lock (zswap_store()'s). */
static int fsr_reclaim_takes(void *arg)
{
	struct mutex *m = arg;

	fs_reclaim_acquire(GFP_KERNEL);
	mutex_lock(m);
	mutex_unlock(m);
	fs_reclaim_release(GFP_KERNEL);
	return 0;
}

static void test_fs_reclaim_lockdep(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 1);
	cfg.lockdep = true;
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(0, fsr_alloc_under, &fsr_nofs), 0);
	assert_int_equal(zsim_run(1, fsr_reclaim_takes, &fsr_nofs), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 0);
	assert_int_equal(zsim_run(0, fsr_alloc_under, &fsr_held_across_alloc), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 0);
	assert_int_equal(zsim_run(1, fsr_reclaim_takes, &fsr_held_across_alloc), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_LOCKDEP), 1);
	assert_non_null(strstr(zsim_first_report(), "circular locking dependency"));
	assert_non_null(strstr(zsim_first_report(), "fs_reclaim"));
	assert_int_equal(zsim_machine_stop(), 1);
}

/*
 * Direct reclaim: a process that touches half again the machine's RAM
 * gets its pages because the faults' allocations reclaim (swapping to
 * the device), where they used to fail (-ENOMEM); every page reads back.
 */
struct dr_ctx {
	struct zsim_region *region;
	int type;
};

static int dr_reclaim_cache(void *arg)
{
	unsigned int noreclaim = memalloc_noreclaim_save();

	/* Slots only the swap cache still holds keep swapoff busy. */
	try_to_free_pages(0, GFP_KERNEL, NULL);
	memalloc_noreclaim_restore(noreclaim);
	return 0;
}

static void test_direct_reclaim(void **state)
{
	struct zsim_process *proc;
	struct dr_ctx c;
	char buf[4096], *p;
	int tries, ret;

	boot_ram(2, 1, 4, true);
	c.type = zsim_swapon(2048, NULL, 0, 0);
	assert_true(c.type >= 0);
	assert_int_equal(zsim_process_create(NULL, &proc), 0);
	assert_int_equal(zsim_mmap(proc, 1536, 0, 7, &c.region), 0);
	assert_int_equal(zsim_touch(c.region, 0, 1536, true), 0);
	assert_int_equal(zsim_touch(c.region, 0, 1536, false), 0);
	assert_true(zsim_vmstat_read(buf, sizeof(buf)) > 0);
	p = strstr(buf, "pswpout ");
	assert_non_null(p);
	assert_true(strtoul(p + 8, NULL, 10) > 0);
	assert_int_equal(zsim_process_destroy(proc), 0);
	for (tries = 0; tries < 10; tries++) {
		ret = zsim_swapoff(c.type);
		if (ret != -EBUSY)
			break;
		assert_int_equal(zsim_run(0, dr_reclaim_cache, NULL), 0);
	}
	assert_int_equal(ret, 0);
	zsim_test_shutdown_clean();
}

/* Task B blocks in lock_page() until task A's unlock. */
struct lock_ctx {
	struct page *page;
	int contended;
	int in_section;
	int max_in_section;
	int acquired;
};

static int lock_and_return(void *arg)
{
	struct lock_ctx *lc = arg;

	lock_page(lc->page);
	return PageLocked(lc->page) ? 0 : -1;
}

static int contender(void *arg)
{
	struct lock_ctx *lc = arg;
	int in;

	if (!trylock_page(lc->page)) {
		__atomic_fetch_add(&lc->contended, 1, __ATOMIC_SEQ_CST);
		lock_page(lc->page);
	}
	in = __atomic_add_fetch(&lc->in_section, 1, __ATOMIC_SEQ_CST);
	if (in > __atomic_load_n(&lc->max_in_section, __ATOMIC_SEQ_CST))
		__atomic_store_n(&lc->max_in_section, in, __ATOMIC_SEQ_CST);
	cond_resched();
	__atomic_fetch_sub(&lc->in_section, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&lc->acquired, 1, __ATOMIC_SEQ_CST);
	unlock_page(lc->page);
	return 0;
}

static int unlock_when_contended(void *arg)
{
	struct lock_ctx *lc = arg;

	/* Wait until all three contenders found the page locked. */
	while (__atomic_load_n(&lc->contended, __ATOMIC_SEQ_CST) < 3)
		schedule_timeout_uninterruptible(1);
	if (__atomic_load_n(&lc->acquired, __ATOMIC_SEQ_CST))
		return -1;
	unlock_page(lc->page);
	return 0;
}

static void test_page_lock_sleeps(void **state)
{
	struct lock_ctx lc = {};
	struct zsim_task *b[3];
	int i;

	zsim_test_boot(state, 4, 5);
	lc.page = alloc_page(GFP_KERNEL);
	assert_int_equal(zsim_run(0, lock_and_return, &lc), 0);
	assert_true(PageLocked(lc.page));
	assert_false(trylock_page(lc.page));
	for (i = 0; i < 3; i++)
		assert_non_null(b[i] = zsim_spawn(i + 1, contender, &lc, "contender"));
	assert_int_equal(zsim_run(0, unlock_when_contended, &lc), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(zsim_join(b[i]), 0);
	assert_int_equal(lc.acquired, 3);
	assert_int_equal(lc.max_in_section, 1);
	assert_false(PageLocked(lc.page));
	assert_false(PageWaiters(lc.page));
	__free_page(lc.page);
	zsim_test_shutdown_clean();
}

/* Several tasks allocate, fill, check and free pages of random orders. */
#define PSTRESS_TASKS	4
#define PSTRESS_ROUNDS	300

static int page_stress(void *arg)
{
	unsigned long seed = (unsigned long)arg, *w;
	struct page *held[8] = {};
	unsigned int orders[8] = {};
	int i, slot, bad = 0;

	for (i = 0; i < PSTRESS_ROUNDS; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		slot = (seed >> 33) % 8;
		if (held[slot]) {
			w = page_address(held[slot]);
			if (w[0] != page_to_pfn(held[slot]) ||
			    w[(PAGE_SIZE << orders[slot]) / sizeof(long) - 1] != ~w[0])
				bad++;
			if (slot & 1)
				folio_put(page_folio(held[slot]));
			else
				__free_pages(held[slot], orders[slot]);
			held[slot] = NULL;
		} else {
			orders[slot] = (seed >> 40) % 4;
			if (slot & 1)
				held[slot] = &folio_alloc_node(GFP_KERNEL, orders[slot],
							       (seed >> 50) % 2)->page;
			else
				held[slot] = alloc_pages(GFP_KERNEL, orders[slot]);
			w = page_address(held[slot]);
			w[0] = page_to_pfn(held[slot]);
			w[(PAGE_SIZE << orders[slot]) / sizeof(long) - 1] = ~w[0];
		}
	}
	for (slot = 0; slot < 8; slot++)
		if (held[slot])
			__free_pages(held[slot], orders[slot]);
	return bad;
}

static void test_concurrent_stress(void **state)
{
	struct zsim_task *t[PSTRESS_TASKS];
	struct zsim_config cfg;
	unsigned long free_before;
	int i;

	zsim_test_config(state, &cfg, PSTRESS_TASKS, 11);
	cfg.nr_nodes = 2;
	cfg.ram_bytes = 32 << 20;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	free_before = nr_free_pages();
	for (i = 0; i < PSTRESS_TASKS; i++)
		assert_non_null(t[i] = zsim_spawn(i, page_stress, (void *)(unsigned long)(i + 1),
						  "page_stress"));
	for (i = 0; i < PSTRESS_TASKS; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(nr_free_pages(), free_before);
	zsim_test_shutdown_clean();
}

/* ---- folio_lock()/folio_unlock(), kmap_local_page() ---- */

static int folio_lock_task(void *arg)
{
	struct folio *folio = arg;
	char *a;

	if (folio_test_locked(folio))
		return -1;
	folio_lock(folio);
	if (!folio_test_locked(folio) || folio_trylock(folio))
		return -2;
	folio_unlock(folio);
	if (folio_test_locked(folio) || !folio_trylock(folio))
		return -3;
	folio_unlock(folio);

	/* A mapping of the page's memory, dropped with kunmap_local(). */
	a = kmap_local_page(&folio->page);
	if (a != folio_address(folio))
		return -4;
	memset(a, 0x3c, PAGE_SIZE);
	kunmap_local(a);
	a = kmap_local_page(&folio->page);
	if (a[0] != 0x3c || a[PAGE_SIZE - 1] != 0x3c)
		return -5;
	kunmap_local(a);
	return 0;
}

static void test_folio_lock_and_kmap(void **state)
{
	struct folio *folio;

	zsim_test_boot(state, 2, 9);
	folio = folio_alloc(GFP_KERNEL, 0);
	assert_non_null(folio);
	assert_int_equal(zsim_run(1, folio_lock_task, folio), 0);
	assert_false(folio_test_locked(folio));
	folio_put(folio);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pfn_round_trip),
		cmocka_unit_test(test_buddy_merge),
		cmocka_unit_test(test_node_placement),
		cmocka_unit_test(test_folio_geometry),
		cmocka_unit_test(test_refcount_and_private),
		cmocka_unit_test(test_zero_and_poison),
		cmocka_unit_test(test_page_poison_env),
#if !HAVE_ASAN
		cmocka_unit_test(test_write_after_free_found),
		cmocka_unit_test(test_write_after_free_unpoisoned),
#endif
		cmocka_unit_test(test_bad_page_reported),
		cmocka_unit_test(test_page_leak_reported),
		cmocka_unit_test(test_failures),
		ZSIM_TEST_BOTH(test_fs_reclaim_lockdep),
		cmocka_unit_test(test_direct_reclaim),
		ZSIM_TEST_BOTH(test_page_lock_sleeps),
		ZSIM_TEST_BOTH(test_concurrent_stress),
		ZSIM_TEST_BOTH(test_folio_lock_and_kmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
