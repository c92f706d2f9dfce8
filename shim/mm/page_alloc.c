// SPDX-License-Identifier: GPL-2.0-only
/*
 * The physical page allocator of the simulated machine (the kernel's
 * mm/page_alloc.c, in small).
 *
 * The machine's RAM is one host mapping; mem_map[] holds a struct page
 * per frame, PFNs start at ZSIM_PFN_BASE (so PFN 0 is never valid) and
 * each NUMA node owns a contiguous range of them with its own buddy
 * allocator: free lists per order 0..MAX_PAGE_ORDER, blocks split on
 * allocation and merged with their free buddy on free. A free block's head
 * is PageBuddy() with its order in page->private, as in the kernel.
 *
 * Checks, as with CONFIG_DEBUG_VM and page poisoning: a freed page must be
 * unlocked, unmapped, typeless and unreferenced ("BUG: Bad page state",
 * and the page is left out of the allocator); with page poisoning
 * (cfg.page_poison, the kernel's page_poison=1) freed pages are filled with
 * PAGE_POISON and the poison is verified when they are handed out again
 * ("pagealloc: memory corruption" finds writes after free); in ASan builds
 * free pages are also ASan-poisoned. page_alloc_exit() reports the pages
 * still allocated when the machine stops.
 *
 * When the free lists cannot satisfy an allocation that may block, the
 * allocating task reclaims directly, as the kernel's slow path does:
 * __perform_reclaim() holds fs_reclaim (a lockdep map) and PF_MEMALLOC
 * around try_to_free_pages() (src/mm/vmscan.c), then the free lists are
 * tried again. Differences: no watermarks, kswapd, compaction or OOM
 * killer; reclaim runs only once the free lists are empty for the order.
 */
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <sim/init.h>
#include <sim/rawlock.h>
#include <sim/report.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "asan.h"
#include "internal.h"

/* RAM starts at 4 GiB of simulated physical address space. */
#define ZSIM_PFN_BASE		0x100000UL

/* A free page whose contents are PAGE_POISON (set only by the free path). */
#define PG_sim_poisoned		(NODES_PGSHIFT - 1)

struct page *mem_map;
unsigned long max_mapnr;
unsigned long zsim_pfn_offset;
char *zsim_ram_base;

struct node_mem {
	struct sim_rawlock	lock;
	unsigned long		start_pfn, end_pfn;
	struct list_head	free_list[NR_PAGE_ORDERS];
	unsigned long		nr_free[NR_PAGE_ORDERS];
	unsigned long		free_pages;
} __aligned(64);

static struct node_mem node_mem[MAX_NUMNODES];
static bool page_poisoning;
static unsigned int nr_mem_nodes;
static void *ram_map;
static size_t ram_map_len;

static DEFINE_FAULT_SITE(alloc_pages_fault, "alloc_pages");

unsigned long totalram_pages(void)
{
	return max_mapnr;
}

unsigned long node_free_pages(int nid)
{
	if (nid < 0 || (unsigned int)nid >= nr_mem_nodes)
		return 0;
	return READ_ONCE(node_mem[nid].free_pages);
}

unsigned long nr_free_pages(void)
{
	unsigned long sum = 0;
	unsigned int nid;

	for (nid = 0; nid < nr_mem_nodes; nid++)
		sum += READ_ONCE(node_mem[nid].free_pages);
	return sum;
}

long si_mem_available(void)
{
	return nr_free_pages();
}

void bad_page(struct page *page, const char *reason)
{
	sim_report_begin(SIM_REPORT_FAULT, "BUG: Bad page state in process %s  pfn:%05lx",
			 current ? current->comm : "(not a task)", page_to_pfn(page));
	sim_report_printf("page: refcount:%d mapcount/type:%#x mapping:%p index:%#lx private:%#lx",
			  page_ref_count(page), page->page_type, page->mapping,
			  page->__folio_index, page->private);
	sim_report_printf("flags: %#lx node:%d", page->flags.f & PAGEFLAGS_MASK,
			  page_to_nid(page));
	sim_report_printf("page dumped because: %s", reason);
	sim_report_backtrace();
	sim_report_end();
}

static void warn_alloc(gfp_t gfp, unsigned int order, bool injected)
{
	if (gfp & __GFP_NOWARN)
		return;
	pr_warn("%s: page allocation failure: order:%u, mode:%#x, nodemask=(null)%s\n",
		current ? current->comm : "(not a task)", order, gfp,
		injected ? " (fault injected)" : "");
}

static inline void set_buddy_order(struct page *page, unsigned int order)
{
	page->private = order;
	__SetPageBuddy(page);
}

/* Caller holds the node's lock. */
static void add_to_free_list(struct node_mem *nm, struct page *page, unsigned int order)
{
	set_buddy_order(page, order);
	list_add(&page->buddy_list, &nm->free_list[order]);
	nm->nr_free[order]++;
}

static void del_from_free_list(struct node_mem *nm, struct page *page, unsigned int order)
{
	list_del(&page->buddy_list);
	__ClearPageBuddy(page);
	page->private = 0;
	nm->nr_free[order]--;
}

/* Take a block of @order from @nm, splitting a larger one if needed. */
static struct page *rmqueue(struct node_mem *nm, unsigned int order)
{
	struct page *page = NULL;
	unsigned int o;

	sim_rawlock_lock(&nm->lock);
	for (o = order; o < NR_PAGE_ORDERS; o++) {
		if (list_empty(&nm->free_list[o]))
			continue;
		page = list_first_entry(&nm->free_list[o], struct page, buddy_list);
		del_from_free_list(nm, page, o);
		/* Give the upper halves back, largest first. */
		while (o > order) {
			o--;
			add_to_free_list(nm, page + (1UL << o), o);
		}
		nm->free_pages -= 1UL << order;
		break;
	}
	sim_rawlock_unlock(&nm->lock);
	return page;
}

/* Put a block back, merging it with its free buddies. */
static void free_one_block(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), buddy_pfn;
	struct node_mem *nm = &node_mem[page_to_nid(page)];
	unsigned int freed = order;
	struct page *buddy;

	sim_rawlock_lock(&nm->lock);
	while (order < MAX_PAGE_ORDER) {
		buddy_pfn = pfn ^ (1UL << order);
		if (buddy_pfn < nm->start_pfn || buddy_pfn + (1UL << order) > nm->end_pfn)
			break;
		buddy = pfn_to_page(buddy_pfn);
		if (!PageBuddy(buddy) || buddy->private != order)
			break;
		del_from_free_list(nm, buddy, order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_to_free_list(nm, pfn_to_page(pfn), order);
	nm->free_pages += 1UL << freed;
	sim_rawlock_unlock(&nm->lock);
}

static bool check_poison(struct page *page)
{
	const unsigned char *p = page_address(page);
	unsigned long i;

	for (i = 0; i < PAGE_SIZE; i += sizeof(u64)) {
		if (*(const u64 *)(p + i) == 0xaaaaaaaaaaaaaaaaULL)
			continue;
		sim_report_begin(SIM_REPORT_FAULT, "pagealloc: memory corruption");
		sim_report_printf("pfn %#lx offset %lu: %02x %02x %02x %02x %02x %02x %02x %02x",
				  page_to_pfn(page), i, p[i], p[i + 1], p[i + 2], p[i + 3],
				  p[i + 4], p[i + 5], p[i + 6], p[i + 7]);
		sim_report_printf("a freed page was written to after it was freed");
		sim_report_backtrace();
		sim_report_end();
		return false;
	}
	return true;
}

static void prep_compound_page(struct page *page, unsigned int order)
{
	struct folio *folio = (struct folio *)page;
	unsigned long i, nr = 1UL << order;

	__SetPageHead(page);
	for (i = 1; i < nr; i++)
		WRITE_ONCE(page[i].compound_head, (unsigned long)page + 1);
	folio->_flags_1 = (folio->_flags_1 & ~0xffUL) | order;
	folio->_folio_nr_pages = nr;
	__atomic_store_n(&folio->_large_mapcount.counter, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&folio->_nr_pages_mapped.counter, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&folio->_entire_mapcount.counter, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&folio->_pincount.counter, 0, __ATOMIC_RELAXED);
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	unsigned long i, nr = 1UL << order;

	zsim_asan_unpoison(page_address(page), PAGE_SIZE << order);
	for (i = 0; i < nr; i++) {
		struct page *p = page + i;

		if (page_ref_count(p) || page_has_type(p) || p->mapping)
			bad_page(p, "allocating a page that is in use");
		/* Checked before any zeroing, as kernel_unpoison_pages(). */
		if (test_bit(PG_sim_poisoned, &p->flags.f)) {
			check_poison(p);
			__clear_bit(PG_sim_poisoned, &p->flags.f);
		}
	}
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	page->private = 0;
	set_page_count(page, 1);
	if (order && (gfp & __GFP_COMP))
		prep_compound_page(page, order);
}

/*
 * Reclaim as a lock for lockdep (the kernel's __fs_reclaim_map): direct
 * reclaim holds it, and every allocation that could enter reclaim takes
 * and drops it at once (might_alloc()). A lock held across a GFP_KERNEL
 * allocation that reclaim also takes is then a reported cycle, even in a
 * run where that allocation never had to reclaim.
 */
static struct lockdep_map __fs_reclaim_map =
	STATIC_LOCKDEP_MAP_INIT("fs_reclaim", &__fs_reclaim_map);

static bool __need_reclaim(gfp_t gfp_mask)
{
	/* No reclaim without waiting on it. */
	if (!(gfp_mask & __GFP_DIRECT_RECLAIM))
		return false;
	/* Reclaim itself does not recurse into reclaim. */
	if (current && (current->flags & PF_MEMALLOC))
		return false;
	if (gfp_mask & __GFP_NOLOCKDEP)
		return false;
	return true;
}

/*
 * Difference: the kernel first narrows @gfp_mask by the task's
 * memalloc_nofs/noio scopes (current_gfp_context()); the shim has no
 * such scopes. Outside a simulated task nothing is tracked.
 */
void fs_reclaim_acquire(gfp_t gfp_mask)
{
	if (current && __need_reclaim(gfp_mask) && (gfp_mask & __GFP_FS))
		lock_map_acquire(&__fs_reclaim_map);
}

void fs_reclaim_release(gfp_t gfp_mask)
{
	if (current && __need_reclaim(gfp_mask) && (gfp_mask & __GFP_FS))
		lock_map_release(&__fs_reclaim_map);
}

static struct page *get_page_from_freelist(gfp_t gfp, unsigned int order, int preferred_nid,
					   nodemask_t *nodemask)
{
	struct page *page = NULL;
	unsigned int i;
	int nid;

	/* The preferred node, then the others in order (the zonelist). */
	for (i = 0; i < nr_mem_nodes && !page; i++) {
		nid = (preferred_nid + i) % nr_mem_nodes;
		if (i && (gfp & __GFP_THISNODE))
			break;
		if (nodemask && !test_bit(nid, nodemask->bits))
			continue;
		page = rmqueue(&node_mem[nid], order);
	}
	return page;
}

/* Reclaim for an allocation that found the free lists empty. */
static unsigned long __perform_reclaim(gfp_t gfp_mask, unsigned int order,
				       nodemask_t *nodemask)
{
	unsigned int noreclaim_flag;
	unsigned long progress;

	cond_resched();
	fs_reclaim_acquire(gfp_mask);
	noreclaim_flag = memalloc_noreclaim_save();
	progress = try_to_free_pages(order, gfp_mask, nodemask);
	memalloc_noreclaim_restore(noreclaim_flag);
	fs_reclaim_release(gfp_mask);
	cond_resched();
	return progress;
}

static struct page *__alloc_pages_direct_reclaim(gfp_t gfp, unsigned int order,
						 int preferred_nid, nodemask_t *nodemask)
{
	struct page *page = NULL;
	int retries = MAX_RECLAIM_RETRIES;

	while (!page && retries--) {
		if (!__perform_reclaim(gfp, order, nodemask))
			break;
		page = get_page_from_freelist(gfp, order, preferred_nid, nodemask);
	}
	return page;
}

struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   nodemask_t *nodemask)
{
	struct page *page;

	might_alloc(gfp);
	if (unlikely(order > MAX_PAGE_ORDER)) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	if (unlikely(!mem_map)) {
		WARN_ONCE(1, "alloc_pages() without a running machine\n");
		return NULL;
	}
	if (!(gfp & __GFP_NOFAIL) && should_fail_site(&alloc_pages_fault)) {
		warn_alloc(gfp, order, true);
		return NULL;
	}
	if (preferred_nid < 0 || (unsigned int)preferred_nid >= nr_mem_nodes) {
		WARN_ON_ONCE(preferred_nid != NUMA_NO_NODE);
		preferred_nid = numa_mem_id() % nr_mem_nodes;
	}
	page = get_page_from_freelist(gfp, order, preferred_nid, nodemask);
	if (!page && current && __need_reclaim(gfp))
		page = __alloc_pages_direct_reclaim(gfp, order, preferred_nid, nodemask);
	if (!page) {
		warn_alloc(gfp, order, false);
		return NULL;
	}
	prep_new_page(page, order, gfp);
	return page;
}

struct folio *__folio_alloc(gfp_t gfp, unsigned int order, int preferred_nid,
			    nodemask_t *nodemask)
{
	return (struct folio *)__alloc_pages(gfp | __GFP_COMP, order, preferred_nid, nodemask);
}

static bool free_page_is_bad(struct page *page)
{
	if (PageBuddy(page)) {
		bad_page(page, "page is already free (double free)");
		return true;
	}
	if (page_ref_count(page)) {
		bad_page(page, "nonzero _refcount");
		return true;
	}
	if (page_has_type(page) || page->page_type != UINT_MAX) {
		bad_page(page, "nonzero mapcount or page type still set");
		return true;
	}
	if (page->mapping) {
		bad_page(page, "non-NULL mapping");
		return true;
	}
	if (page->flags.f & PAGE_FLAGS_CHECK_AT_FREE) {
		bad_page(page, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
		return true;
	}
	if (page->memcg_data) {
		bad_page(page, "page still charged to cgroup");
		return true;
	}
	return false;
}

/* Undo a compound page; false if its tails were corrupted. */
static bool free_tail_pages_check(struct page *head, unsigned int order)
{
	unsigned long i, nr = 1UL << order;
	bool ok = true;

	for (i = 1; i < nr; i++) {
		struct page *p = head + i;

		if (READ_ONCE(p->compound_head) != (unsigned long)head + 1) {
			bad_page(p, "corrupted compound_head");
			ok = false;
		}
		p->compound_head = 0;
		if (i == 1) {
			/* The folio's fields in the first tail page. */
			p->flags.f &= ~0xffUL;
			p->mapping = NULL;
			p->__folio_index = 0;
			p->private = 0;
		}
	}
	__ClearPageHead(head);
	return ok;
}

void free_frozen_pages(struct page *page, unsigned int order)
{
	unsigned long i, nr = 1UL << order;
	bool bad = false;

	if (PageHead(page)) {
		unsigned int corder = folio_order((struct folio *)page);

		if (corder != order) {
			bad_page(page, "freeing a compound page with the wrong order");
			return;
		}
		if (!free_tail_pages_check(page, order))
			bad = true;
	} else if (PageTail(page)) {
		bad_page(page, "freeing a tail page");
		return;
	}
	for (i = 0; i < nr; i++)
		bad |= free_page_is_bad(page + i);
	/* As the kernel: a bad page is never handed out again. */
	if (bad)
		return;
	for (i = 0; i < nr; i++) {
		struct page *p = page + i;

		p->flags.f &= ~PAGEFLAGS_MASK;
		if (page_poisoning)
			__set_bit(PG_sim_poisoned, &p->flags.f);
		p->private = 0;
		p->__folio_index = 0;
	}
	if (page_poisoning)
		memset(page_address(page), PAGE_POISON, PAGE_SIZE << order);
	zsim_asan_poison(page_address(page), PAGE_SIZE << order);
	free_one_block(page, order);
}

void __free_pages(struct page *page, unsigned int order)
{
	bool head = PageHead(page);
	int ref = page_ref_count(page);

	if (unlikely(ref <= 0)) {
		bad_page(page, ref ? "negative _refcount on free" :
				     "freeing a page with _refcount 0 (double free?)");
		return;
	}
	if (page_ref_dec_and_test(page))
		free_frozen_pages(page, order);
	else if (!head)
		/* Someone holds the first page: free the rest, as the kernel. */
		while (order-- > 0)
			free_frozen_pages(page + (1UL << order), order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr) {
		VM_BUG_ON(!virt_addr_valid((void *)addr));
		__free_pages(virt_to_page((void *)addr), order);
	}
}

unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page = alloc_pages(gfp_mask & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp_mask)
{
	return __get_free_pages(gfp_mask | __GFP_ZERO, 0);
}

static void ram_teardown(void)
{
	if (ram_map) {
		/* Shadow memory outlives the mapping: leave it clean. */
		zsim_asan_unpoison(ram_map, ram_map_len);
		munmap(ram_map, ram_map_len);
	}
	free(mem_map);
	ram_map = NULL;
	ram_map_len = 0;
	mem_map = NULL;
	max_mapnr = 0;
	zsim_ram_base = NULL;
	nr_mem_nodes = 0;
	memset(node_mem, 0, sizeof(node_mem));
}

int page_alloc_init(u64 ram_bytes, unsigned int nr_nodes, bool page_poison)
{
	unsigned long nr_pages = ram_bytes >> PAGE_SHIFT, per_node, pfn;
	size_t align = PAGE_SIZE << MAX_PAGE_ORDER;
	unsigned int nid, order;
	char *base;

	/* A machine that wedged was never shut down: forget it. */
	ram_teardown();
	if (!nr_nodes || nr_nodes > MAX_NUMNODES || nr_pages < nr_nodes)
		return -EINVAL;
	page_poisoning = page_poison;
	ram_map_len = nr_pages * PAGE_SIZE + align;
	ram_map = mmap(NULL, ram_map_len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ram_map == MAP_FAILED) {
		ram_map = NULL;
		return -ENOMEM;
	}
	/* Folios are naturally aligned in the direct map, up to MAX_PAGE_ORDER. */
	base = (char *)ALIGN((unsigned long)ram_map, align);
	mem_map = calloc(nr_pages + 1, sizeof(struct page));	/* +1: folio tail slack */
	if (!mem_map) {
		ram_teardown();
		return -ENOMEM;
	}
	zsim_ram_base = base;
	zsim_pfn_offset = ZSIM_PFN_BASE;
	max_mapnr = nr_pages;
	nr_mem_nodes = nr_nodes;
	folio_wait_table_init();

	per_node = nr_pages / nr_nodes;
	for (nid = 0; nid < nr_nodes; nid++) {
		struct node_mem *nm = &node_mem[nid];

		sim_rawlock_init(&nm->lock);
		for (order = 0; order < NR_PAGE_ORDERS; order++)
			INIT_LIST_HEAD(&nm->free_list[order]);
		nm->start_pfn = ZSIM_PFN_BASE + nid * per_node;
		nm->end_pfn = nid == nr_nodes - 1 ? ZSIM_PFN_BASE + nr_pages
						  : nm->start_pfn + per_node;
		for (pfn = nm->start_pfn; pfn < nm->end_pfn; pfn++) {
			struct page *p = pfn_to_page(pfn);

			p->flags.f = (unsigned long)nid << NODES_PGSHIFT;
			p->page_type = UINT_MAX;
		}
		/* Carve the range into the largest aligned blocks that fit. */
		for (pfn = nm->start_pfn; pfn < nm->end_pfn; pfn += 1UL << order) {
			order = MAX_PAGE_ORDER;
			while (order && ((pfn & ((1UL << order) - 1)) ||
					 pfn + (1UL << order) > nm->end_pfn))
				order--;
			add_to_free_list(nm, pfn_to_page(pfn), order);
			nm->free_pages += 1UL << order;
		}
	}
	zsim_asan_poison(zsim_ram_base, nr_pages * PAGE_SIZE);
	return 0;
}

unsigned long page_alloc_exit(void)
{
	unsigned long leaked, pfn, shown = 0;

	if (!mem_map)
		return 0;
	leaked = max_mapnr - nr_free_pages();
	if (leaked) {
		sim_report_begin(SIM_REPORT_LEAK, "page_alloc: %lu page(s) still allocated at shutdown",
				 leaked);
		for (pfn = ZSIM_PFN_BASE; pfn < ZSIM_PFN_BASE + max_mapnr && shown < 8; pfn++) {
			struct page *p = pfn_to_page(pfn);

			if (page_ref_count(p) <= 0)
				continue;
			sim_report_printf("pfn %#lx order %u refcount %d flags %#lx type %#x private %#lx",
					  pfn, compound_order(p), page_ref_count(p),
					  p->flags.f & PAGEFLAGS_MASK, p->page_type, p->private);
			shown++;
		}
		sim_report_end();
	}
	ram_teardown();
	return leaked;
}
