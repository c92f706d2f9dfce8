// SPDX-License-Identifier: GPL-2.0-only
/*
 * Swap devices, slots, the swap cache and swap I/O (shim/mm/swapfile.c,
 * swap_state.c, page_io.c): entry encoding, swapon/swapoff, slot
 * allocation, counts and exhaustion, large folios, get/put_swap_device
 * against swapoff, swap cache add/lookup/delete, swap_cache_alloc_folio()
 * racing for one entry, write/read round trips on memory and on a file,
 * device time, faults and the teardown of devices left on; the swap
 * cgroup records and the charge of swap cache folios
 * (mem_cgroup_swapin_charge_folio()), swapoff of slots only the swap
 * cache holds.
 *
 * Simulated tasks return 0 or the (negative) line of the first failed
 * CHECK(); the test thread asserts on that.
 */
#include "zsim_test.h"
#include "../../src/mm/internal.h"	/* struct mm_struct, for current->mm */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/swap.h>
#include <linux/swap_cgroup.h>
#include <linux/swapops.h>
#include <sim/memcg.h>
#include <sim/sched.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #cond);			\
		return -__LINE__;					\
	}								\
} while (0)

#define RUN(fn, arg)	assert_int_equal(zsim_run(0, fn, arg), 0)

/* A locked, uptodate anonymous folio, as reclaim hands to swap. */
static struct folio *anon_folio(unsigned int order)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, order);

	if (folio) {
		__folio_set_locked(folio);
		__folio_set_swapbacked(folio);
		__folio_mark_uptodate(folio);
	}
	return folio;
}

/* Free a folio that is out of the swap cache. */
static void release_folio(struct folio *folio)
{
	if (folio_test_locked(folio))
		folio_unlock(folio);
	__folio_clear_swapbacked(folio);
	folio_put(folio);
}

/* Slots for a folio of @order with a swap count of 1 and no folio cached. */
static swp_entry_t swapped_entry(unsigned int order)
{
	struct folio *folio = anon_folio(order);
	swp_entry_t entry = { 0 };

	if (!folio)
		return entry;
	if (!folio_alloc_swap(folio)) {
		entry = folio->swap;
		folio_dup_swap(folio, NULL);
		swap_cache_del_folio(folio);
	}
	release_folio(folio);
	return entry;
}

static long inuse(int type)
{
	return atomic_long_read(&swap_info[type]->inuse_pages);
}

static void fill(struct folio *folio, unsigned int seed)
{
	long i;

	for (i = 0; i < folio_nr_pages(folio); i++)
		memset(page_address(folio_page(folio, i)), (int)(seed + i) & 0xff, PAGE_SIZE);
}

static bool filled(struct folio *folio, unsigned int seed)
{
	const unsigned char *p;
	long i;
	size_t b;

	for (i = 0; i < folio_nr_pages(folio); i++) {
		p = page_address(folio_page(folio, i));
		for (b = 0; b < PAGE_SIZE; b++)
			if (p[b] != ((seed + i) & 0xff))
				return false;
	}
	return true;
}

/* ---- entries ---- */

static int entry_task(void *arg)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 2);
	swp_entry_t e = swp_entry(3, 12345);

	CHECK(MAX_SWAPFILES == 24);
	CHECK(SWP_TYPE_SHIFT == 58);
	CHECK(swp_type(e) == 3 && swp_offset(e) == 12345);
	CHECK(e.val == (3UL << SWP_TYPE_SHIFT | 12345));
	e = swp_entry(MAX_SWAPFILES - 1, SWP_OFFSET_MASK);
	CHECK(swp_type(e) == MAX_SWAPFILES - 1 && swp_offset(e) == SWP_OFFSET_MASK);
	/* Offset bits beyond the mask do not leak into the type. */
	e = swp_entry(1, SWP_OFFSET_MASK + 5);
	CHECK(swp_type(e) == 1 && swp_offset(e) == 4);

	CHECK(folio);
	folio->swap = swp_entry(2, 8);
	CHECK(page_swap_entry(&folio->page).val == swp_entry(2, 8).val);
	CHECK(page_swap_entry(folio_page(folio, 3)).val == swp_entry(2, 11).val);
	folio->swap.val = 0;
	folio_put(folio);
	return 0;
}

static void test_entry_encoding(void **state)
{
	zsim_test_boot(state, 2, 1);
	RUN(entry_task, NULL);
	zsim_test_shutdown_clean();
}

/* ---- swapon and swapoff ---- */

static void test_swapon_swapoff(void **state)
{
	int type;

	zsim_test_boot(state, 2, 2);
	assert_int_equal(zsim_swapon(0, NULL, 0, 0), -EINVAL);
	assert_int_equal(zsim_swapon(100, NULL, 0, 0), 0);
	assert_int_equal(zsim_swapon(50, NULL, 0, 0), 1);
	assert_true(swap_info[0]->flags & SWP_WRITEOK);
	assert_int_equal(swap_info[0]->max, 101);
	assert_int_equal(swap_info[0]->pages, 100);
	assert_true(swap_info[0]->prio > swap_info[1]->prio);
	assert_int_equal(get_nr_swap_pages(), 150);
	assert_int_equal(total_swap_pages, 150);

	assert_int_equal(zsim_swapoff(0), 0);
	assert_int_equal(swap_info[0]->flags, 0);
	assert_int_equal(get_nr_swap_pages(), 50);
	assert_int_equal(zsim_swapoff(0), -EINVAL);
	assert_int_equal(zsim_swapoff(-1), -EINVAL);
	assert_int_equal(zsim_swapoff(5), -EINVAL);
	assert_int_equal(zsim_swapoff(MAX_SWAPFILES), -EINVAL);

	/* The lowest free type is reused, at a lower priority. */
	assert_int_equal(zsim_swapon(10, NULL, 0, 0), 0);
	assert_true(swap_info[0]->prio < swap_info[1]->prio);
	for (type = 2; type < MAX_SWAPFILES; type++)
		assert_int_equal(zsim_swapon(1, NULL, 0, 0), type);
	assert_int_equal(zsim_swapon(1, NULL, 0, 0), -EPERM);
	for (type = 0; type < MAX_SWAPFILES; type++)
		assert_int_equal(zsim_swapoff(type), 0);
	assert_int_equal(get_nr_swap_pages(), 0);
	assert_int_equal(total_swap_pages, 0);
	zsim_test_shutdown_clean();
}

/* ---- slots ---- */

#define NR_SLOTS 64

static int slots_task(void *arg)
{
	struct folio *folios[NR_SLOTS], *extra, *f;
	bool seen[NR_SLOTS + 1] = { false };
	swp_entry_t entry;
	pgoff_t off;
	int i;

	for (i = 0; i < NR_SLOTS; i++) {
		folios[i] = anon_folio(0);
		CHECK(folios[i]);
		CHECK(folio_alloc_swap(folios[i]) == 0);
		CHECK(folio_test_swapcache(folios[i]));
		CHECK(folio_ref_count(folios[i]) == 2);
		CHECK(swp_type(folios[i]->swap) == 0);
		off = swp_offset(folios[i]->swap);
		CHECK(off >= 1 && off <= NR_SLOTS && !seen[off]);
		seen[off] = true;
		CHECK(__swap_count(folios[i]->swap) == 0);
	}
	CHECK(inuse(0) == NR_SLOTS);
	CHECK(get_nr_swap_pages() == 0);

	/* Full. */
	extra = anon_folio(0);
	CHECK(extra);
	CHECK(folio_alloc_swap(extra) == -ENOMEM);
	CHECK(!folio_test_swapcache(extra) && folio_ref_count(extra) == 1);

	/* A slot with no count is freed with its cache folio, and reused. */
	entry = folios[10]->swap;
	swap_cache_del_folio(folios[10]);
	CHECK(!folio_test_swapcache(folios[10]) && folio_ref_count(folios[10]) == 1);
	CHECK(inuse(0) == NR_SLOTS - 1);
	CHECK(folio_alloc_swap(extra) == 0);
	CHECK(extra->swap.val == entry.val);
	release_folio(folios[10]);
	folios[10] = extra;

	/* A count outlives the cache; the last direct put frees the slot. */
	f = folios[0];
	entry = f->swap;
	CHECK(folio_dup_swap(f, NULL) == 0);
	CHECK(__swap_count(entry) == 1);
	CHECK(!folio_free_swap(f));
	swap_cache_del_folio(f);
	CHECK(inuse(0) == NR_SLOTS);
	CHECK(swap_entry_swapped(swap_info[0], entry));
	CHECK(swap_cache_get_folio(entry) == NULL);
	swap_put_entries_direct(entry, 1);
	CHECK(__swap_count(entry) == 0 && !swap_entry_swapped(swap_info[0], entry));
	CHECK(inuse(0) == NR_SLOTS - 1);
	release_folio(f);

	/* folio_free_swap() once no count is left. */
	f = folios[1];
	CHECK(folio_dup_swap(f, &f->page) == 0);
	CHECK(folio_dup_swap(f, NULL) == 0);
	folio_put_swap(f, NULL);
	CHECK(__swap_count(f->swap) == 1);
	CHECK(!folio_free_swap(f));
	folio_put_swap(f, &f->page);
	CHECK(!folio_test_dirty(f));
	CHECK(folio_free_swap(f));
	CHECK(!folio_test_swapcache(f) && folio_test_dirty(f));
	CHECK(inuse(0) == NR_SLOTS - 2);
	CHECK(!folio_free_swap(f));
	release_folio(f);

	for (i = 2; i < NR_SLOTS; i++) {
		swap_cache_del_folio(folios[i]);
		release_folio(folios[i]);
	}
	CHECK(inuse(0) == 0);
	CHECK(get_nr_swap_pages() == NR_SLOTS);
	return 0;
}

static void test_slot_alloc_free(void **state)
{
	zsim_test_boot(state, 2, 3);
	assert_int_equal(zsim_swapon(NR_SLOTS, NULL, 0, 0), 0);
	RUN(slots_task, NULL);
	assert_int_equal(zsim_swapoff(0), 0);
	zsim_test_shutdown_clean();
}

/* 8 slots (1..8): one aligned order-2 block (4..7) and four order-0 slots. */
static int large_task(void *arg)
{
	struct folio *a = anon_folio(2), *b = anon_folio(2), *small[5], *f;
	int i;

	CHECK(a && b);
	CHECK(folio_alloc_swap(a) == 0);
	CHECK(swp_offset(a->swap) == 4);
	CHECK(folio_ref_count(a) == 1 + 4);
	for (i = 0; i < 4; i++) {
		CHECK(page_swap_entry(folio_page(a, i)).val == swp_entry(0, 4 + i).val);
		f = swap_cache_get_folio(swp_entry(0, 4 + i));
		CHECK(f == a);
		folio_put(f);
	}
	CHECK(folio_alloc_swap(b) == -ENOMEM);
	for (i = 0; i < 5; i++) {
		small[i] = anon_folio(0);
		CHECK(small[i]);
		CHECK(folio_alloc_swap(small[i]) == (i < 4 ? 0 : -ENOMEM));
	}
	CHECK(inuse(0) == 8);

	swap_cache_del_folio(a);
	CHECK(inuse(0) == 4 && folio_ref_count(a) == 1);
	CHECK(folio_alloc_swap(b) == 0);
	CHECK(swp_offset(b->swap) == 4);
	swap_cache_del_folio(b);
	for (i = 0; i < 4; i++)
		swap_cache_del_folio(small[i]);
	for (i = 0; i < 5; i++)
		release_folio(small[i]);
	release_folio(a);
	release_folio(b);
	CHECK(inuse(0) == 0);
	return 0;
}

static void test_large_folio_slots(void **state)
{
	zsim_test_boot(state, 2, 4);
	assert_int_equal(zsim_swapon(8, NULL, 0, 0), 0);
	RUN(large_task, NULL);
	zsim_test_shutdown_clean();	/* device left on: freed at stop */
}

/* A folio larger than a cluster: -EINVAL and the kernel's VM_WARN. */
static int oversized_task(void *arg)
{
	struct folio *f = anon_folio(10);

	CHECK(f);
	CHECK(folio_alloc_swap(f) == -EINVAL);
	CHECK(!folio_test_swapcache(f));
	release_folio(f);
	return 0;
}

static void test_oversized_folio(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 5);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_swapon(4096, NULL, 0, 0), 0);
	RUN(oversized_task, NULL);
	assert_int_equal(zsim_warnings(), 1);
	assert_int_equal(zsim_machine_stop(), 1);
}

/* ---- get_swap_device() against swapoff ---- */

static struct {
	struct completion	held;
	int			released;
	int			swapoff_ret;
} gp;

static int holder_task(void *arg)
{
	struct swap_info_struct *si = get_swap_device(swp_entry(0, 1));

	CHECK(si == swap_info[0]);
	complete(&gp.held);
	msleep(20);
	WRITE_ONCE(gp.released, 1);
	put_swap_device(si);
	return 0;
}

static int swapoff_task(void *arg)
{
	wait_for_completion(&gp.held);
	gp.swapoff_ret = ksys_swapoff(0);
	/* swapoff returned only after the holder's put. */
	CHECK(READ_ONCE(gp.released) == 1);
	CHECK(get_swap_device(swp_entry(0, 1)) == NULL);
	return 0;
}

static int bad_entries_task(void *arg)
{
	struct swap_info_struct *si;

	init_completion(&gp.held);
	CHECK(get_swap_device(swp_entry(0, 17)) == NULL);	/* offset >= max */
	CHECK(get_swap_device(swp_entry(5, 1)) == NULL);	/* no such type */
	CHECK(get_swap_device((swp_entry_t){ 0 }) == NULL);
	si = get_swap_device(swp_entry(0, 16));
	CHECK(si == swap_info[0]);
	put_swap_device(si);
	return 0;
}

static void test_get_put_vs_swapoff(void **state)
{
	struct zsim_task *h, *s;

	memset(&gp, 0, sizeof(gp));
	zsim_test_boot(state, 4, 6);
	assert_int_equal(zsim_swapon(16, NULL, 0, 0), 0);
	RUN(bad_entries_task, NULL);
	s = zsim_spawn(1, swapoff_task, NULL, "swapoff");
	h = zsim_spawn(2, holder_task, NULL, "holder");
	assert_non_null(s);
	assert_non_null(h);
	assert_int_equal(zsim_join(h), 0);
	assert_int_equal(zsim_join(s), 0);
	assert_int_equal(gp.swapoff_ret, 0);
	assert_int_equal(swap_info[0]->flags, 0);
	zsim_test_shutdown_clean();
}

/* ---- the swap cache ---- */

static int cache_task(void *arg)
{
	struct folio *f, *g, *h;
	swp_entry_t e, big;
	bool alloc;
	int i;

	e = swapped_entry(0);
	CHECK(e.val);
	CHECK(swap_cache_get_folio(e) == NULL);

	f = anon_folio(0);
	g = anon_folio(0);
	CHECK(f && g);
	CHECK(swap_cache_add_folio(f, e) == 0);
	CHECK(folio_test_swapcache(f) && f->swap.val == e.val);
	CHECK(folio_ref_count(f) == 2);
	CHECK(swap_cache_add_folio(g, e) == -EEXIST);
	CHECK(swap_cache_add_folio(g, swp_entry(0, 20)) == -ENOENT);	/* free slot */
	CHECK(!folio_test_swapcache(g));
	h = swap_cache_get_folio(e);
	CHECK(h == f && folio_ref_count(f) == 3);
	folio_put(h);
	swap_cache_del_folio(f);
	CHECK(!folio_test_swapcache(f) && folio_ref_count(f) == 1 && !f->swap.val);
	CHECK(swap_cache_get_folio(e) == NULL);
	CHECK(__swap_count(e) == 1 && inuse(0) == 1);

	/* swap_cache_alloc_folio(): a new locked folio, then the same one. */
	h = swap_cache_alloc_folio(e, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX, &alloc);
	CHECK(h && alloc);
	CHECK(folio_test_locked(h) && folio_test_swapcache(h) && !folio_test_uptodate(h));
	CHECK(h->swap.val == e.val && folio_ref_count(h) == 2);
	CHECK(swap_cache_alloc_folio(e, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX, &alloc) == h);
	CHECK(!alloc && folio_ref_count(h) == 3);
	folio_put(h);
	swap_cache_del_folio(h);
	release_folio(h);
	/* A slot without a swap count gets no folio. */
	swap_put_entries_direct(e, 1);
	CHECK(inuse(0) == 0);
	CHECK(!swap_cache_alloc_folio(e, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX, &alloc));
	CHECK(!alloc);

	/* A large folio covers its aligned range. */
	big = swapped_entry(2);
	CHECK(big.val && IS_ALIGNED(swp_offset(big), 4));
	release_folio(g);
	g = anon_folio(2);
	CHECK(g);
	CHECK(swap_cache_add_folio(g, big) == 0);
	for (i = 0; i < 4; i++) {
		h = swap_cache_get_folio(swp_entry(0, swp_offset(big) + i));
		CHECK(h == g);
		folio_put(h);
	}
	swap_cache_del_folio(g);
	swap_put_entries_direct(big, 4);
	CHECK(inuse(0) == 0);
	release_folio(f);
	release_folio(g);
	return 0;
}

static void test_swap_cache(void **state)
{
	zsim_test_boot(state, 2, 7);
	assert_int_equal(zsim_swapon(32, NULL, 0, 0), 0);
	RUN(cache_task, NULL);
	assert_int_equal(zsim_swapoff(0), 0);
	zsim_test_shutdown_clean();
}

/* Two tasks race swap_cache_alloc_folio() for one entry: one allocates. */
#define NR_RACES 8

struct race {
	swp_entry_t		entry;
	atomic_t		arrived;
	struct completion	both;
	struct folio		*folio[2];
	bool			alloc[2];
};

struct racer {
	struct race	*race;
	int		idx;
};

static struct race races[NR_RACES];
static struct racer racers[NR_RACES][2];

static int race_setup_task(void *arg)
{
	int i;

	for (i = 0; i < NR_RACES; i++) {
		races[i].entry = swapped_entry(0);
		CHECK(races[i].entry.val);
		atomic_set(&races[i].arrived, 0);
		init_completion(&races[i].both);
	}
	return 0;
}

static int racer_task(void *arg)
{
	struct racer *r = arg;
	struct race *race = r->race;
	struct folio *folio;
	bool alloc;

	folio = swap_cache_alloc_folio(race->entry, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX,
				       &alloc);
	race->folio[r->idx] = folio;
	race->alloc[r->idx] = alloc;
	/* The winner keeps its folio cached until the other has looked. */
	if (atomic_inc_return(&race->arrived) == 2)
		complete_all(&race->both);
	else
		wait_for_completion(&race->both);
	if (!folio)
		return 0;
	if (alloc) {
		swap_cache_del_folio(folio);
		folio_unlock(folio);
		__folio_clear_swapbacked(folio);
	}
	folio_put(folio);
	return 0;
}

static int race_cleanup_task(void *arg)
{
	int i;

	for (i = 0; i < NR_RACES; i++)
		swap_put_entries_direct(races[i].entry, 1);
	CHECK(inuse(0) == 0);
	return 0;
}

static void test_swap_cache_alloc_race(void **state)
{
	struct zsim_task *t[2];
	int i, j;

	memset(races, 0, sizeof(races));
	zsim_test_boot(state, 4, 8);
	assert_int_equal(zsim_swapon(64, NULL, 0, 0), 0);
	RUN(race_setup_task, NULL);
	for (i = 0; i < NR_RACES; i++) {
		for (j = 0; j < 2; j++) {
			racers[i][j] = (struct racer){ .race = &races[i], .idx = j };
			t[j] = zsim_spawn(j + 1, racer_task, &racers[i][j], "racer");
			assert_non_null(t[j]);
		}
		for (j = 0; j < 2; j++)
			assert_int_equal(zsim_join(t[j]), 0);
		assert_non_null(races[i].folio[0]);
		assert_ptr_equal(races[i].folio[0], races[i].folio[1]);
		assert_int_equal(races[i].alloc[0] + races[i].alloc[1], 1);
	}
	RUN(race_cleanup_task, NULL);
	assert_int_equal(zsim_swapoff(0), 0);
	zsim_test_shutdown_clean();
}

/* ---- swap cgroup records and swap-in charges ---- */

static struct {
	struct mem_cgroup	*memcg;		/* "/m", with our reference */
	swp_entry_t		entry;
	unsigned short		id;
} scg;

/* Swap out a folio charged to /m: its slot records /m; keep a count. */
static int scg_record_task(void *arg)
{
	struct folio *f = anon_folio(0);

	scg.memcg = mem_cgroup_lookup("/m");
	CHECK(!IS_ERR(scg.memcg));
	scg.id = mem_cgroup_id(scg.memcg);
	CHECK(f && scg.id);
	CHECK(mem_cgroup_charge_folio(f, scg.memcg, GFP_KERNEL) == 0);
	CHECK(folio_alloc_swap(f) == 0);
	scg.entry = f->swap;
	CHECK(lookup_swap_cgroup_id(scg.entry) == scg.id);
	CHECK(folio_dup_swap(f, NULL) == 0);
	swap_cache_del_folio(f);
	release_folio(f);
	CHECK(page_counter_read(&scg.memcg->memory) == 0);
	/* The record outlives the swap cache: it is the slot's. */
	CHECK(lookup_swap_cgroup_id(scg.entry) == scg.id);
	return 0;
}

/*
 * swap_cache_alloc_folio() charges the recorded memcg (memory.current +1
 * page) and puts the folio on its LRU; arg: the memcg expected (NULL: the
 * root, the record's memcg being offline).
 */
static int scg_charge_task(void *arg)
{
	struct mem_cgroup *want = arg ? arg : root_mem_cgroup;
	struct folio *f;
	bool alloc;

	f = swap_cache_alloc_folio(scg.entry, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX, &alloc);
	CHECK(f && alloc);
	CHECK(folio_memcg(f) == want && folio_test_lru(f) && !folio_test_active(f));
	CHECK(page_counter_read(&scg.memcg->memory) == (want == scg.memcg));
	swap_cache_del_folio(f);
	release_folio(f);
	CHECK(page_counter_read(&scg.memcg->memory) == 0);
	return 0;
}

/*
 * The record's memcg offline and no mm given (zswap writeback): the memcg
 * of current->mm is charged, as get_mem_cgroup_from_mm(NULL) does when a
 * process's direct reclaim writes back.
 */
static int scg_charge_current_mm_task(void *arg)
{
	struct mem_cgroup *memcg = mem_cgroup_lookup(arg);
	struct mm_struct mm = { .memcg = memcg };
	struct folio *f;
	bool alloc;

	CHECK(!IS_ERR(memcg));
	current->mm = &mm;
	f = swap_cache_alloc_folio(scg.entry, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX, &alloc);
	current->mm = NULL;
	CHECK(f && alloc && folio_memcg(f) == memcg);
	CHECK(page_counter_read(&memcg->memory) == 1);
	swap_cache_del_folio(f);
	release_folio(f);
	CHECK(page_counter_read(&memcg->memory) == 0);
	mem_cgroup_put(memcg);
	return 0;
}

/* At memory.max 0 the charge fails: no folio, nothing cached or charged. */
static int scg_charge_fail_task(void *arg)
{
	bool alloc = true;

	CHECK(!swap_cache_alloc_folio(scg.entry, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX, &alloc));
	CHECK(!alloc && !swap_cache_get_folio(scg.entry));
	CHECK(page_counter_read(&scg.memcg->memory) == 0);
	CHECK(swap_entry_swapped(swap_info[0], scg.entry));
	return 0;
}

/* The slot's freeing clears its record and drops its memcg reference. */
static int scg_free_task(void *arg)
{
	bool gone;

	CHECK(!mem_cgroup_online(scg.memcg));
	swap_put_entries_direct(scg.entry, 1);
	CHECK(lookup_swap_cgroup_id(scg.entry) == 0);
	mem_cgroup_put(scg.memcg);
	/* Ours and the record's were the last references of the zombie. */
	rcu_read_lock();
	gone = !mem_cgroup_from_id(scg.id);
	rcu_read_unlock();
	CHECK(gone);
	return 0;
}

static void test_swap_cgroup(void **state)
{
	memset(&scg, 0, sizeof(scg));
	zsim_test_boot(state, 2, 16);
	assert_int_equal(zsim_swapon(16, NULL, 0, 0), 0);
	assert_int_equal(zsim_memcg_create(NULL, "m"), 0);
	RUN(scg_record_task, NULL);
	RUN(scg_charge_task, scg.memcg);
	assert_int_equal(zsim_memcg_write("/m", "memory.max", "0"), 0);
	RUN(scg_charge_fail_task, NULL);
	assert_int_equal(zsim_memcg_write("/m", "memory.max", "max"), 0);
	/* Offline, the record's memcg is no longer charged: the root is... */
	assert_int_equal(zsim_memcg_destroy("/m"), 0);
	RUN(scg_charge_task, NULL);
	/* ... or, from a process's context, the process's memcg. */
	assert_int_equal(zsim_memcg_create(NULL, "n"), 0);
	RUN(scg_charge_current_mm_task, "/n");
	assert_int_equal(zsim_memcg_destroy("/n"), 0);
	RUN(scg_free_task, NULL);
	assert_int_equal(zsim_swapoff(0), 0);
	zsim_test_shutdown_clean();
}

/* ---- memory.swap.current, memory.swap.max, memory.swap.peak ---- */

static struct {
	struct mem_cgroup	*parent, *child;	/* "/p", "/p/c", referenced */
	struct folio		*folio;			/* charged to child, in swap cache */
	long			free_slots;		/* get_nr_swap_pages() before */
} sacct;

/* A folio of @order charged to @memcg, with slots if folio_alloc_swap() gives them. */
static int sacct_swap_folio(struct mem_cgroup *memcg, unsigned int order, struct folio **out)
{
	struct folio *f = anon_folio(order);
	int ret;

	CHECK(f && !mem_cgroup_charge_folio(f, memcg, GFP_KERNEL));
	ret = folio_alloc_swap(f);
	if (ret) {
		release_folio(f);
		f = NULL;
	}
	*out = f;
	return ret;
}

/* Drop a folio out of the swap cache: its slots are freed with it. */
static void sacct_drop(struct folio *f)
{
	swap_cache_del_folio(f);
	release_folio(f);
}

static int sacct_lookup_task(void *arg)
{
	sacct.parent = mem_cgroup_lookup("/p");
	sacct.child = mem_cgroup_lookup("/p/c");
	CHECK(!IS_ERR(sacct.parent) && !IS_ERR(sacct.child));
	sacct.free_slots = get_nr_swap_pages();
	return 0;
}

/* One page's slot is charged to the child and, hierarchically, the parent. */
static int sacct_charge_task(void *arg)
{
	CHECK(sacct_swap_folio(sacct.child, 0, &sacct.folio) == 0);
	CHECK(page_counter_read(&sacct.child->swap) == 1);
	CHECK(page_counter_read(&sacct.parent->swap) == 1);
	CHECK(get_nr_swap_pages() == sacct.free_slots - 1);
	return 0;
}

/*
 * At the parent's memory.swap.max of one page the child's next folio gets
 * no slots: -ENOMEM, the slots given back, nothing charged, and the VM is
 * told there is no room (mem_cgroup_get_nr_swap_pages()).
 */
static int sacct_limit_task(void *arg)
{
	struct folio *f;

	CHECK(mem_cgroup_get_nr_swap_pages(sacct.child) == 0);
	CHECK(sacct_swap_folio(sacct.child, 0, &f) == -ENOMEM && !f);
	CHECK(get_nr_swap_pages() == sacct.free_slots - 1);
	CHECK(page_counter_read(&sacct.child->swap) == 1);
	CHECK(page_counter_read(&sacct.parent->swap) == 1);
	CHECK(sacct.parent->swap.failcnt == 1);
	return 0;
}

/* No room on the device for 16 slots: a swap fail event, no charge. */
static int sacct_noslot_task(void *arg)
{
	struct folio *f;

	CHECK(sacct_swap_folio(sacct.child, 4, &f) == -ENOMEM && !f);
	CHECK(page_counter_read(&sacct.parent->swap) == 1);
	return 0;
}

/* A large folio charges all its slots; freeing slots uncharges them. */
static int sacct_large_task(void *arg)
{
	struct folio *f;

	CHECK(mem_cgroup_get_nr_swap_pages(sacct.child) == sacct.free_slots - 1);
	CHECK(sacct_swap_folio(sacct.child, 2, &f) == 0);
	CHECK(page_counter_read(&sacct.parent->swap) == 5);
	sacct_drop(f);
	sacct_drop(sacct.folio);
	CHECK(page_counter_read(&sacct.child->swap) == 0);
	CHECK(page_counter_read(&sacct.parent->swap) == 0);
	CHECK(get_nr_swap_pages() == sacct.free_slots);
	return 0;
}

/* A folio of an offline memcg charges its nearest online ancestor. */
static int sacct_offline_task(void *arg)
{
	struct folio *f;

	CHECK(!mem_cgroup_online(sacct.child));
	CHECK(sacct_swap_folio(sacct.child, 0, &f) == 0);
	CHECK(page_counter_read(&sacct.child->swap) == 0);
	CHECK(page_counter_read(&sacct.parent->swap) == 1);
	sacct_drop(f);
	CHECK(page_counter_read(&sacct.parent->swap) == 0);
	mem_cgroup_put(sacct.child);
	mem_cgroup_put(sacct.parent);
	return 0;
}

static void assert_memcg_file(const char *path, const char *file, const char *want)
{
	char buf[64];

	assert_int_equal(zsim_memcg_read(path, file, buf, sizeof(buf)), (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_swap_accounting(void **state)
{
	char buf[64];

	memset(&sacct, 0, sizeof(sacct));
	zsim_test_boot(state, 2, 17);
	assert_int_equal(zsim_swapon(16, NULL, 0, 0), 0);
	assert_int_equal(zsim_memcg_create(NULL, "p"), 0);
	assert_int_equal(zsim_memcg_create("/p", "c"), 0);
	assert_int_equal(zsim_memcg_read("/", "memory.swap.current", buf, sizeof(buf)), -ENOENT);
	assert_memcg_file("/p", "memory.swap.max", "max\n");
	assert_int_equal(zsim_memcg_write("/p", "memory.swap.max", "1 page"), -EINVAL);
	assert_int_equal(zsim_memcg_write("/p", "memory.swap.current", "0"), -EACCES);
	RUN(sacct_lookup_task, NULL);
	RUN(sacct_charge_task, NULL);
	assert_memcg_file("/p/c", "memory.swap.current", "4096\n");
	assert_memcg_file("/p", "memory.swap.current", "4096\n");
	assert_int_equal(zsim_memcg_write("/p", "memory.swap.max", "4k"), 0);
	assert_memcg_file("/p", "memory.swap.max", "4096\n");
	RUN(sacct_limit_task, NULL);
	/* Counted at the charging memcg and up: a max and a fail event. */
	assert_memcg_file("/p/c", "memory.swap.events", "high 0\nmax 1\nfail 1\n");
	assert_memcg_file("/p", "memory.swap.events", "high 0\nmax 1\nfail 1\n");
	assert_int_equal(zsim_memcg_write("/p", "memory.swap.max", "max"), 0);
	RUN(sacct_noslot_task, NULL);
	assert_memcg_file("/p/c", "memory.swap.events", "high 0\nmax 1\nfail 2\n");
	RUN(sacct_large_task, NULL);
	assert_memcg_file("/p", "memory.swap.current", "0\n");
	/* The peaks stay at the high-water mark: 5 pages above, 5 below. */
	assert_memcg_file("/p", "memory.swap.peak", "20480\n");
	assert_memcg_file("/p/c", "memory.swap.peak", "20480\n");
	assert_int_equal(zsim_memcg_destroy("/p/c"), 0);
	RUN(sacct_offline_task, NULL);
	assert_int_equal(zsim_swapoff(0), 0);
	assert_int_equal(zsim_memcg_destroy("/p"), 0);
	zsim_test_shutdown_clean();
}

/*
 * Stale swap cache: a charged folio on its LRU that only the swap cache
 * holds, its slot's count gone (an exit whose free_swap_and_cache() could
 * not trylock the folio leaves one). memory.reclaim frees it and its slot.
 */
static int stale_setup_task(void *arg)
{
	struct folio *f;
	bool alloc;

	CHECK(scg_record_task(NULL) == 0);
	f = swap_cache_alloc_folio(scg.entry, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX, &alloc);
	CHECK(f && alloc && folio_memcg(f) == scg.memcg && folio_test_lru(f));
	folio_mark_uptodate(f);
	folio_unlock(f);
	folio_put(f);
	swap_put_entries_direct(scg.entry, 1);
	CHECK(inuse(0) == 1 && page_counter_read(&scg.memcg->memory) == 1);
	return 0;
}

static int stale_check_task(void *arg)
{
	CHECK(inuse(0) == 0 && page_counter_read(&scg.memcg->memory) == 0);
	CHECK(!swap_cache_get_folio(scg.entry));
	mem_cgroup_put(scg.memcg);
	return 0;
}

/* A machine with one device and /m, and a stale folio charged to /m. */
static void stale_boot(void **state, uint64_t seed)
{
	memset(&scg, 0, sizeof(scg));
	zsim_test_boot(state, 2, seed);
	assert_int_equal(zsim_swapon(16, NULL, 0, 0), 0);
	assert_int_equal(zsim_memcg_create(NULL, "m"), 0);
	RUN(stale_setup_task, NULL);
}

static void test_stale_swap_cache_reclaimed(void **state)
{
	stale_boot(state, 18);
	assert_int_equal(zsim_memcg_write("/m", "memory.reclaim", "4096"), 0);
	RUN(stale_check_task, NULL);
	assert_int_equal(zsim_memcg_destroy("/m"), 0);
	assert_int_equal(zsim_swapoff(0), 0);
	zsim_test_shutdown_clean();
}

static int put_scg_memcg_task(void *arg)
{
	mem_cgroup_put(scg.memcg);
	return 0;
}

/*
 * Left at machine stop with the device still on, stale swap cache is
 * freed first, as swapoff's last pass would: no slot in use, no page or
 * memcg leaked.
 */
static void test_stale_swap_cache_at_stop(void **state)
{
	stale_boot(state, 19);
	RUN(put_scg_memcg_task, NULL);
	assert_int_equal(zsim_memcg_destroy("/m"), 0);
	assert_int_equal(zsim_machine_stop(), 0);
}

/* A folio only the swap cache holds (its count gone, as after writeback). */
static struct folio *unuse_folio;

static int unuse_setup_task(void *arg)
{
	swp_entry_t e = swapped_entry(0);
	bool alloc;

	CHECK(e.val);
	unuse_folio = swap_cache_alloc_folio(e, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX, &alloc);
	CHECK(unuse_folio && alloc);
	folio_mark_uptodate(unuse_folio);
	folio_unlock(unuse_folio);
	swap_put_entries_direct(e, 1);
	CHECK(folio_test_swapcache(unuse_folio) && inuse(0) == 1);
	return 0;
}

static int unuse_check_task(void *arg)
{
	CHECK(!folio_test_swapcache(unuse_folio) && folio_test_lru(unuse_folio));
	/* Reclaim would free it; our reference is the last one. */
	CHECK(folio_ref_count(unuse_folio) == 1);
	folio_put(unuse_folio);
	return 0;
}

/* swapoff drops such a folio from the swap cache, as try_to_unuse() does. */
static void test_swapoff_unuses_cache(void **state)
{
	zsim_test_boot(state, 2, 17);
	assert_int_equal(zsim_swapon(16, NULL, 0, 0), 0);
	RUN(unuse_setup_task, NULL);
	assert_int_equal(zsim_swapoff(0), 0);
	RUN(unuse_check_task, NULL);
	zsim_test_shutdown_clean();
}

/* ---- I/O ---- */

struct io_args {
	unsigned int	order;
	unsigned int	seed;
	swp_entry_t	entry;		/* out of write_task, into read_task */
	u64		write_ns, read_ns;	/* device time seen */
};

/* Write a patterned folio; its slots keep a count of 1 and no cache. */
static int write_task(void *arg)
{
	struct io_args *io = arg;
	struct folio *f = anon_folio(io->order);
	u64 t0;

	CHECK(f);
	fill(f, io->seed);
	CHECK(folio_alloc_swap(f) == 0);
	CHECK(folio_dup_swap(f, NULL) == 0);
	io->entry = f->swap;
	folio_set_reclaim(f);
	t0 = sched_clock_ns();
	__swap_writepage(f, NULL);
	io->write_ns = sched_clock_ns() - t0;
	CHECK(!folio_test_locked(f) && !folio_test_writeback(f));
	CHECK(!folio_test_reclaim(f) && !folio_test_dirty(f));
	folio_lock(f);
	swap_cache_del_folio(f);
	release_folio(f);
	return 0;
}

/* Read the slots back into a new folio and check them; frees the slots. */
static int read_task(void *arg)
{
	struct io_args *io = arg;
	struct folio *f;
	bool alloc = false;
	u64 t0;

	if (!io->order) {
		f = swap_cache_alloc_folio(io->entry, GFP_KERNEL, NULL, NO_INTERLEAVE_INDEX, &alloc);
		CHECK(f && alloc);
	} else {
		f = anon_folio(io->order);
		CHECK(f);
		folio_clear_uptodate(f);
		CHECK(swap_cache_add_folio(f, io->entry) == 0);
	}
	t0 = sched_clock_ns();
	swap_read_folio(f, NULL);
	io->read_ns = sched_clock_ns() - t0;
	CHECK(folio_test_uptodate(f) && !folio_test_locked(f));
	CHECK(filled(f, io->seed));
	folio_lock(f);
	folio_put_swap(f, NULL);
	CHECK(folio_free_swap(f));
	release_folio(f);
	return 0;
}

static void roundtrip(struct io_args *io)
{
	RUN(write_task, io);
	RUN(read_task, io);
}

static void test_roundtrip_memory(void **state)
{
	struct io_args io0 = { .order = 0, .seed = 0x11 }, io3 = { .order = 3, .seed = 0x40 };

	zsim_test_boot(state, 2, 9);
	assert_int_equal(zsim_swapon(256, NULL, 0, 0), 0);
	roundtrip(&io0);
	roundtrip(&io3);
	assert_int_equal(zsim_swapoff(0), 0);
	zsim_test_shutdown_clean();
}

static void test_roundtrip_file(void **state)
{
	char dir[] = "/tmp/zsim-swap-XXXXXX", path[64], other[64];
	struct io_args io = { .order = 2, .seed = 0x70 };
	unsigned char page[PAGE_SIZE];
	struct stat st;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/swapfile", dir);
	zsim_test_boot(state, 2, 10);
	assert_int_equal(zsim_swapon(64, "/nonexistent-dir/swapfile", 0, 0), -ENOENT);
	assert_int_equal(zsim_swapon(64, path, 0, 0), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 65 * PAGE_SIZE);
	/* The file is taken, by any name: one device would write the other's slots. */
	assert_int_equal(zsim_swapon(64, path, 0, 0), -EBUSY);
	snprintf(other, sizeof(other), "%s/./swapfile", dir);
	assert_int_equal(zsim_swapon(128, other, 0, 0), -EBUSY);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 65 * PAGE_SIZE);
	RUN(write_task, &io);
	/* The data is in the file, at offset * PAGE_SIZE. */
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, page, PAGE_SIZE, (off_t)(swp_offset(io.entry) + 1) * PAGE_SIZE),
			 PAGE_SIZE);
	close(fd);
	assert_int_equal(page[0], io.seed + 1);
	assert_int_equal(page[PAGE_SIZE - 1], io.seed + 1);
	RUN(read_task, &io);
	assert_int_equal(zsim_swapoff(0), 0);
	zsim_test_shutdown_clean();
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* Slots of one device are untouched by swapon/swapoff of another. */
static void test_other_device_survives(void **state)
{
	struct io_args io = { .order = 1, .seed = 0x23 };
	int round;

	zsim_test_boot(state, 2, 11);
	assert_int_equal(zsim_swapon(32, NULL, 0, 0), 0);
	assert_int_equal(zsim_swapon(32, NULL, 0, 0), 1);
	RUN(write_task, &io);
	/* The first device has the highest priority. */
	assert_int_equal(swp_type(io.entry), 0);
	assert_int_equal(zsim_swapon(32, NULL, 0, 0), 2);
	for (round = 0; round < 3; round++) {
		assert_int_equal(zsim_swapoff(round ? 1 : 2), 0);
		assert_int_equal(zsim_swapon(16, NULL, 0, 0), round ? 1 : 2);
	}
	assert_int_equal(zsim_swapoff(1), 0);
	assert_int_equal(zsim_swapoff(0), -EBUSY);	/* io.entry is still in use */
	RUN(read_task, &io);
	assert_int_equal(zsim_swapoff(0), 0);
	assert_int_equal(zsim_swapoff(2), 0);
	zsim_test_shutdown_clean();
}

/* Device time: virtual time in the controlled backend, slept otherwise. */
static void test_device_time(void **state)
{
	struct io_args io = { .order = 1, .seed = 0x5a };

	zsim_test_boot(state, 2, 12);
	assert_int_equal(zsim_swapon(16, NULL, 70000, 30000), 0);
	roundtrip(&io);
	assert_true(io.write_ns >= 2 * 30000);
	assert_true(io.read_ns >= 2 * 70000);
	if (zsim_test_backend(state) == ZSIM_CONTROLLED) {
		/* Only the device time and a few scheduling steps. */
		assert_true(io.write_ns < 2 * 30000 + 100000);
		assert_true(io.read_ns < 2 * 70000 + 100000);
	}
	zsim_test_shutdown_clean();	/* device left on: freed at stop */
}

/* ---- faults, busy swapoff, teardown ---- */

static int alloc_fault_task(void *arg)
{
	struct folio *f = anon_folio(0);
	swp_entry_t e;
	bool alloc = true;

	CHECK(f);
	CHECK(folio_alloc_swap(f) == -ENOMEM);		/* "swap_alloc" nth=1 */
	CHECK(!folio_test_swapcache(f) && inuse(0) == 0);
	CHECK(folio_alloc_swap(f) == 0);
	e = f->swap;
	CHECK(folio_dup_swap(f, NULL) == 0);
	swap_cache_del_folio(f);
	release_folio(f);
	zsim_fault_set("alloc_pages", 0, 0, 1);
	CHECK(!swap_cache_alloc_folio(e, GFP_KERNEL | __GFP_NOWARN, NULL, NO_INTERLEAVE_INDEX,
				      &alloc));
	CHECK(!alloc && swap_cache_get_folio(e) == NULL);
	swap_put_entries_direct(e, 1);
	CHECK(inuse(0) == 0);
	return 0;
}

static int io_fault_task(void *arg)
{
	struct folio *f = anon_folio(0);

	CHECK(f);
	CHECK(folio_alloc_swap(f) == 0);
	folio_set_reclaim(f);
	__swap_writepage(f, NULL);			/* "swap_write" nth=1 */
	CHECK(folio_test_dirty(f) && !folio_test_reclaim(f) && !folio_test_writeback(f));
	CHECK(!folio_test_locked(f));
	folio_lock(f);
	folio_clear_uptodate(f);
	swap_read_folio(f, NULL);			/* "swap_read" nth=1 */
	CHECK(!folio_test_uptodate(f) && !folio_test_locked(f));
	folio_lock(f);
	swap_cache_del_folio(f);
	release_folio(f);
	return 0;
}

static void test_fault_injection(void **state)
{
	int ret, n;

	zsim_test_boot(state, 2, 13);
	/* A new type's percpu_ref, then every kmalloc of a swapon. */
	assert_int_equal(zsim_fault_set("percpu", 0, 0, 1), 0);
	assert_int_equal(zsim_swapon(1000, NULL, 0, 0), -ENOMEM);
	zsim_fault_clear_all();
	for (n = 1;; n++) {
		assert_int_equal(zsim_fault_set("kmalloc", 0, 0, n), 0);
		ret = zsim_swapon(1000, NULL, 0, 0);
		if (ret != -ENOMEM)
			break;
		assert_true(n < 100);
	}
	zsim_fault_clear_all();
	assert_int_equal(ret, 0);
	/* swap_info, swap_map, zero map, clusters, tables, swap cgroup records */
	assert_true(n > 5);

	assert_int_equal(zsim_fault_set("swap_alloc", 0, 0, 1), 0);
	RUN(alloc_fault_task, NULL);
	assert_int_equal(zsim_fault_injected("swap_alloc"), 1);
	assert_int_equal(zsim_fault_injected("alloc_pages"), 1);
	zsim_fault_clear_all();

	assert_int_equal(zsim_fault_set("swap_write", 0, 0, 1), 0);
	assert_int_equal(zsim_fault_set("swap_read", 0, 0, 1), 0);
	RUN(io_fault_task, NULL);
	assert_int_equal(zsim_fault_injected("swap_write"), 1);
	assert_int_equal(zsim_fault_injected("swap_read"), 1);
	zsim_fault_clear_all();
	assert_int_equal(zsim_swapoff(0), 0);
	zsim_test_shutdown_clean();
}

static int leak_slot_task(void *arg)
{
	return swapped_entry(0).val ? 0 : -1;
}

/* A slot still in use at machine stop is a leak; the next boot is clean. */
static void test_teardown_leak(void **state)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, 14);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_swapon(16, NULL, 0, 0), 0);
	RUN(leak_slot_task, NULL);
	assert_int_equal(zsim_swapoff(0), -EBUSY);
	assert_true(swap_info[0]->flags & SWP_WRITEOK);
	assert_int_equal(zsim_machine_stop(), 1);

	zsim_test_boot(state, 2, 15);
	assert_null(swap_info[0]);
	assert_int_equal(zsim_swapon(16, NULL, 0, 0), 0);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_FREE(test_entry_encoding),
		ZSIM_TEST_FREE(test_swapon_swapoff),
		ZSIM_TEST_BOTH(test_slot_alloc_free),
		ZSIM_TEST_FREE(test_large_folio_slots),
		ZSIM_TEST_FREE(test_oversized_folio),
		ZSIM_TEST_BOTH(test_get_put_vs_swapoff),
		ZSIM_TEST_FREE(test_swap_cache),
		ZSIM_TEST_BOTH(test_swap_cache_alloc_race),
		ZSIM_TEST_FREE(test_swap_cgroup),
		ZSIM_TEST_FREE(test_swap_accounting),
		ZSIM_TEST_FREE(test_stale_swap_cache_reclaimed),
		ZSIM_TEST_FREE(test_stale_swap_cache_at_stop),
		ZSIM_TEST_FREE(test_swapoff_unuses_cache),
		ZSIM_TEST_FREE(test_roundtrip_memory),
		ZSIM_TEST_FREE(test_roundtrip_file),
		ZSIM_TEST_FREE(test_other_device_survives),
		ZSIM_TEST_BOTH(test_device_time),
		ZSIM_TEST_FREE(test_fault_injection),
		ZSIM_TEST_FREE(test_teardown_leak),
	};

	return cmocka_run_group_tests_name("swap", tests, NULL, NULL);
}
