// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated VM (src/mm): faults, memcg charging, reclaim at
 * memory.max and memory.high and on request (memory.reclaim,
 * MADV_PAGEOUT), swap-out to the zero map and the swap device, swap-in
 * with the data check, folio orders, concurrent processes in both
 * backends; zswap only in the last tests (zswap disabled before), zswap
 * writeback's swap cache folios among them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/jiffies.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/swap.h>
#include <sim/memcg.h>
#include <sim/sched.h>

#include "../../bench/corpus.h"
#include "../../src/mm/internal.h"	/* a region's ptes */
#include "vm_test.h"

/* Zero-filled pages among pages [first, first + nr) of @seed's corpus, unwritten. */
static long corpus_zero_pages(uint64_t seed, unsigned long first, unsigned long nr)
{
	static unsigned char page[CORPUS_PAGE_SIZE];
	unsigned long i;
	long zero = 0;

	for (i = first; i < first + nr; i++)
		zero += corpus_gen_page(seed, i, NULL, page) == CORPUS_ZERO;
	return zero;
}

static void destroy_clean(struct zsim_process *proc, const char *memcg)
{
	assert_int_equal(zsim_process_destroy(proc), 0);
	if (memcg)
		assert_int_equal(vm_memcg_num(memcg, "memory.current"), 0);
	vm_shutdown();
}

/* memory.max reclaim to the swap device and back, written and read. */
static void test_swap_device_roundtrip(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	long out, zero_out;

	vm_boot(state, 2, 8192, false);
	vm_memcg_create("/", "a");
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "1M"), 0);
	vm_process_touched("/a", 1024, 1, false, &proc, &r);
	assert_true(vm_memcg_num("/a", "memory.current") <= 1 << 20);
	assert_true(zsim_region_resident(r) <= 256);
	out = vm_stat("/a", "pswpout");
	zero_out = vm_stat("/a", "swpout_zero");
	assert_true(out > 0);
	assert_true(zero_out > 0);
	/* Everything not resident went somewhere, and not to zswap. */
	assert_true(out + zero_out >= 1024 - zsim_region_resident(r));
	assert_int_equal(vm_stat("/a", "zswpout"), 0);
	assert_true(vm_vmstat("pswpout") >= out);

	/* Read back (checked against the corpus), write, read again. */
	assert_int_equal(zsim_touch(r, 0, 1024, false), 0);
	assert_true(vm_stat("/a", "pswpin") > 0);
	assert_true(vm_stat("/a", "swpin_zero") > 0);
	assert_int_equal(vm_stat("/a", "pgmajfault"),
			 vm_stat("/a", "pswpin") + vm_stat("/a", "swpin_zero"));
	assert_true(vm_vmstat("pgmajfault") >= vm_stat("/a", "pgmajfault"));
	assert_int_equal(zsim_touch(r, 0, 1024, true), 0);
	assert_int_equal(zsim_touch(r, 0, 1024, false), 0);
	assert_true(vm_memcg_num("/a", "memory.current") <= 1 << 20);
	destroy_clean(proc, "/a");
}

/* Zero-filled pages go to the zero map, the others to the device. */
static void test_zero_pages(void **state)
{
	long zero = corpus_zero_pages(3, 0, 512);
	struct zsim_process *proc;
	struct zsim_region *r;

	assert_true(zero > 0 && zero < 512);
	vm_boot(state, 2, 4096, false);
	assert_int_equal(zsim_process_create("/", &proc), 0);
	assert_int_equal(zsim_mmap(proc, 512, 0, 3, &r), 0);
	assert_int_equal(zsim_touch(r, 0, 512, false), 0);
	assert_int_equal(zsim_region_resident(r), 512);
	assert_int_equal(zsim_pageout(r, 0, 512), 0);
	assert_int_equal(zsim_region_resident(r), 0);
	assert_int_equal(vm_vmstat("swpout_zero"), zero);
	assert_int_equal(vm_vmstat("pswpout"), 512 - zero);

	assert_int_equal(zsim_touch(r, 0, 512, false), 0);
	assert_int_equal(vm_vmstat("swpin_zero"), zero);
	assert_int_equal(vm_vmstat("pswpin"), 512 - zero);
	assert_int_equal(vm_vmstat("pgmajfault"), 512);
	assert_int_equal(vm_vmstat("zswpout"), 0);
	destroy_clean(proc, NULL);
}

/*
 * Without swap, memory.max cannot be kept: the fault fails as an OOM would.
 * The charge that failed counts one max event (before its reclaim) and one
 * oom event (where the kernel would call the OOM killer).
 */
static void test_memory_max_oom(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	vm_boot(state, 2, 0, false);
	vm_memcg_create("/", "a");
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "256K"), 0);
	assert_int_equal(zsim_process_create("/a", &proc), 0);
	assert_int_equal(zsim_mmap(proc, 1024, 0, 5, &r), 0);
	assert_int_equal(zsim_touch(r, 0, 64, true), 0);
	assert_int_equal(vm_memcg_key("/a", "memory.events", "max"), 0);
	assert_int_equal(zsim_touch(r, 0, 1024, false), -ENOMEM);
	assert_int_equal(vm_memcg_key("/a", "memory.events", "max"), 1);
	assert_int_equal(vm_memcg_key("/a", "memory.events", "oom"), 1);
	assert_int_equal(vm_memcg_key("/a", "memory.events", "oom_kill"), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), 256 << 10);
	/* A memory.max write that reclaim cannot meet counts an oom too. */
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "128K"), 0);
	assert_int_equal(vm_memcg_key("/a", "memory.events", "oom"), 2);
	assert_int_equal(vm_memcg_key("/a", "memory.events.local", "oom"), 2);
	assert_int_equal(zsim_region_resident(r), 64);
	/* The resident pages are intact. */
	assert_int_equal(zsim_touch(r, 0, 64, false), 0);
	destroy_clean(proc, "/a");
}

/* A parent's memory.max limits the child, and reclaim finds the child's pages. */
static void test_memory_max_parent(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	vm_boot(state, 2, 4096, false);
	vm_memcg_create("/", "p");
	vm_memcg_create("/p", "c");
	assert_int_equal(zsim_memcg_write("/p", "memory.max", "512K"), 0);
	assert_int_equal(zsim_process_create("/p/c", &proc), 0);
	assert_int_equal(zsim_mmap(proc, 512, 0, 6, &r), 0);
	assert_int_equal(zsim_touch(r, 0, 512, true), 0);
	assert_true(vm_memcg_num("/p", "memory.current") <= 512 << 10);
	assert_true(vm_stat("/p/c", "pswpout") > 0);
	assert_int_equal(zsim_touch(r, 0, 512, false), 0);
	destroy_clean(proc, "/p/c");
}

/* memory.high is enforced after each fault, without failing any. */
static void test_memory_high(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	vm_boot(state, 2, 4096, false);
	vm_memcg_create("/", "a");
	assert_int_equal(zsim_memcg_write("/a", "memory.high", "1M"), 0);
	vm_process_touched("/a", 1024, 2, false, &proc, &r);
	assert_true(vm_memcg_num("/a", "memory.current") <= 1 << 20);
	assert_true(vm_stat("/a", "pswpout") + vm_stat("/a", "swpout_zero") >= 768);
	assert_int_equal(zsim_touch(r, 0, 1024, false), 0);
	destroy_clean(proc, "/a");
}

/* Writing memory.high or memory.max below the usage reclaims down to it. */
static void test_limit_write_reclaims(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	vm_boot(state, 2, 4096, false);
	vm_memcg_create("/", "a");
	vm_process_touched("/a", 1024, 0, false, &proc, &r);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), 4 << 20);
	assert_int_equal(zsim_memcg_write("/a", "memory.high", "1M"), 0);
	assert_true(vm_memcg_num("/a", "memory.current") <= 1 << 20);
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "512K"), 0);
	assert_true(vm_memcg_num("/a", "memory.current") <= 512 << 10);
	assert_int_equal(vm_memcg_key("/a", "memory.events", "oom"), 0);
	destroy_clean(proc, "/a");
}

static int read_jiffies(void *arg)
{
	*(u64 *)arg = get_jiffies_64();
	return 0;
}

/* Jiffies that touching @nr new pages of a region in @memcg took. */
static u64 touch_jiffies(const char *memcg, unsigned long nr)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	u64 t0, t1;

	assert_int_equal(zsim_process_create(memcg, &proc), 0);
	assert_int_equal(zsim_mmap(proc, nr, 0, 0, &r), 0);
	assert_int_equal(zsim_run(0, read_jiffies, &t0), 0);
	assert_int_equal(zsim_touch(r, 0, nr, false), 0);
	assert_int_equal(zsim_run(0, read_jiffies, &t1), 0);
	assert_int_equal(zsim_process_destroy(proc), 0);
	return t1 - t0;
}

/*
 * No swap, so nothing is reclaimable: a task going over memory.high is
 * throttled instead, its faults never failing. 80 pages against a high of
 * 64: after the charge that takes usage to 64 + k pages the penalty is
 * (k / 64)^2 * HZ / 64 jiffies per page charged (in the kernel's fixed
 * point), slept only above HZ / 100, so from k = 7 on: 337 jiffies in all.
 * Without a high, none.
 */
static void test_memory_high_throttle(void **state)
{
	u64 throttled, free;

	vm_boot(state, 2, 0, false);
	vm_memcg_create("/", "a");
	vm_memcg_create("/", "b");
	assert_int_equal(zsim_memcg_write("/a", "memory.high", "256K"), 0);
	throttled = touch_jiffies("/a", 80);
	free = touch_jiffies("/b", 80);
	/* Each return to user over high reclaimed /a first: a high event. */
	assert_true(vm_memcg_key("/a", "memory.events", "high") > 0);
	assert_int_equal(vm_memcg_key("/b", "memory.events", "high"), 0);
	assert_true(throttled >= 330);
	/* Each sleep is capped at 2 * HZ, and this one owes far less. */
	assert_true(throttled < 2000);
	/* Host time in the free-running backend: a loaded host may stretch it. */
	if (sim_controlled())
		assert_true(free < 50);
	vm_shutdown();
}

/*
 * memory.swap.high throttles a memcg whose swap usage is over it, as the
 * kernel's mem_cgroup_handle_over_high(): reclaim cannot bring swap usage
 * down, so each return to user that charged a page sleeps the penalty of
 * the swap overage and counts a swap high event. With a high of 6/7 of the
 * 137 pages swapped out (117), the overage is 20/117: 29 jiffies per page
 * in the kernel's fixed point, 464 for 16 new pages; before the limit, or
 * with swap under it, next to none.
 */
static void test_memory_swap_high_throttle(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	u64 before, throttled, under;
	char high[32];
	long used;

	vm_boot(state, 2, 4096, false);
	vm_memcg_create("/", "a");
	vm_process_touched("/a", 256, 6, true, &proc, &r);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "512K"), 0);
	used = vm_memcg_num("/a", "memory.swap.current");
	assert_true(used >= 512 << 10);
	before = touch_jiffies("/a", 16);

	snprintf(high, sizeof(high), "%ld", used / VM_PAGE_SIZE * 6 / 7 * VM_PAGE_SIZE);
	assert_int_equal(zsim_memcg_write("/a", "memory.swap.high", high), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.high"), atol(high));
	throttled = touch_jiffies("/a", 16);
	assert_true(vm_memcg_key("/a", "memory.swap.events", "high") > 0);
	/* Memory is not over its high: nothing to reclaim for it. */
	assert_int_equal(vm_memcg_key("/a", "memory.events", "high"), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), used);
	assert_true(throttled >= 16 * 29);
	assert_true(throttled < 2000);

	assert_int_equal(zsim_memcg_write("/a", "memory.swap.high", "max"), 0);
	under = touch_jiffies("/a", 16);
	/* Host time in the free-running backend: a loaded host may stretch it. */
	if (sim_controlled())
		assert_true(before < 50 && under < 50);
	destroy_clean(proc, "/a");
}

/* memory.reclaim: reclaims what it is asked, -EAGAIN when it cannot. */
static void test_memory_reclaim(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	char buf[16];

	vm_boot(state, 2, 4096, false);
	vm_memcg_create("/", "a");
	vm_process_touched("/a", 1024, 4, false, &proc, &r);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), 4 << 20);

	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "2M"), 0);
	assert_true(vm_memcg_num("/a", "memory.current") <= 2 << 20);
	/* More than is left: fails after MAX_RECLAIM_RETRIES empty passes. */
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "64M"), -EAGAIN);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "max"), -EINVAL);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "12Q"), -EINVAL);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "0"), 0);
	assert_int_equal(zsim_memcg_read("/a", "memory.reclaim", buf, sizeof(buf)), -EACCES);
	/* The root has the file too; reclaim from it reaches every memcg. */
	assert_int_equal(zsim_touch(r, 0, 256, false), 0);
	assert_int_equal(zsim_memcg_write("/", "memory.reclaim", "512K"), 0);
	assert_true(vm_memcg_num("/a", "memory.current") <= 512 << 10);
	assert_int_equal(zsim_touch(r, 0, 1024, false), 0);
	destroy_clean(proc, "/a");
}

/* Pages on one of /a's LRU lists (a task: the lruvec is the VM's). */
static int lru_pages_task(void *arg)
{
	struct mem_cgroup *memcg = mem_cgroup_lookup("/a");
	enum lru_list lru = (enum lru_list)(long)arg;
	long nr;

	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	nr = READ_ONCE(mem_cgroup_lruvec(memcg, NODE_DATA(0))->nr_pages[lru]);
	mem_cgroup_put(memcg);
	return (int)nr;
}

static int active_pages(void)
{
	return zsim_run(0, lru_pages_task, (void *)(long)LRU_ACTIVE_ANON);
}

static int inactive_pages(void)
{
	return zsim_run(0, lru_pages_task, (void *)(long)LRU_INACTIVE_ANON);
}

/* Pages @memcg wrote to swap: to the device or the zero map. */
static long swapouts(const char *memcg)
{
	return vm_stat(memcg, "pswpout") + vm_stat(memcg, "swpout_zero");
}

/* A process in a new memcg /a with @nr pages written, on a 4096-slot device. */
static void swap_boot(void **state, unsigned long nr, struct zsim_process **proc,
		      struct zsim_region **r)
{
	vm_boot(state, 2, 4096, false);
	vm_memcg_create("/", "a");
	vm_process_touched("/a", nr, 4, true, proc, r);
}

/*
 * memory.swap.max: at 0 the memcg's folios cannot get slots, so reclaim
 * does not scan its lists (as the kernel's get_scan_count(); its active
 * list is empty, so aging has nothing to do: see
 * test_aging_without_swap_room()) and memory.reclaim fails;
 * raised, the slots reclaim takes show in memory.swap.current, and the
 * write faults that bring the folios back free them (only the pte and
 * the swap cache hold each: should_try_to_free_swap()).
 */
static void test_memory_swap_max(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	int active;

	swap_boot(state, 256, &proc, &r);
	assert_int_equal(zsim_memcg_write("/a", "memory.swap.max", "0"), 0);
	active = active_pages();
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "512K"), -EAGAIN);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), 1 << 20);
	assert_int_equal(active_pages(), active);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), 0);
	assert_int_equal(swapouts("/a"), 0);

	assert_int_equal(zsim_memcg_write("/a", "memory.swap.max", "max"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "512K"), 0);
	assert_true(vm_memcg_num("/a", "memory.swap.current") >= 512 << 10);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), swapouts("/a") * VM_PAGE_SIZE);
	assert_int_equal(zsim_touch(r, 0, 256, true), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), 0);
	destroy_clean(proc, "/a");
}

/*
 * Without room for swap, reclaim still ages the memcg's anonymous pages
 * while the machine has swap at all (the kernel's can_age_anon_pages()):
 * the active list is deactivated down to the inactive list's size, so
 * that pages are ready once room comes back, and nothing is written.
 * Setup: reclaim with room for one slot activates the folios it cannot
 * get slots for, in both of a process's regions; unmapping the region
 * that holds fewer of them leaves the active list the larger.
 */
static void test_aging_without_swap_room(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *small, *big;
	int active, inactive;
	long out, used;

	swap_boot(state, 64, &proc, &small);
	assert_int_equal(zsim_mmap(proc, 256, 0, 5, &big), 0);
	assert_int_equal(zsim_touch(big, 0, 256, true), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.swap.max", "4K"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "512K"), -EAGAIN);
	assert_int_equal(zsim_munmap(small), 0);
	active = active_pages();
	inactive = inactive_pages();
	assert_true(active > inactive);
	out = swapouts("/a");
	used = vm_memcg_num("/a", "memory.swap.current");

	assert_int_equal(zsim_memcg_write("/a", "memory.swap.max", "0"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "4K"), -EAGAIN);
	assert_true(active_pages() < active);
	assert_true(inactive_pages() >= active_pages());
	assert_int_equal(active_pages() + inactive_pages(), active + inactive);
	assert_int_equal(swapouts("/a"), out);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), used);
	destroy_clean(proc, "/a");
}

/*
 * Swap out /a's 256 pages, set @limit (a memory.swap.* file) to the swap
 * they now use and read them back: at half of the limit swap is short
 * (mem_cgroup_swap_full()), so each swap-in gives its slot back.
 */
static void swapin_at_half_limit(struct zsim_region *r, const char *limit)
{
	char val[32];
	long used;

	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "512K"), 0);
	used = vm_memcg_num("/a", "memory.swap.current");
	assert_true(used >= 512 << 10);
	snprintf(val, sizeof(val), "%ld", used);
	assert_int_equal(zsim_memcg_write("/a", limit, val), 0);
	assert_int_equal(zsim_touch(r, 0, 256, false), 0);
	assert_true(vm_memcg_num("/a", "memory.swap.current") < used);
}

/*
 * A read fault keeps the slot of the page it swaps in (the swap cache
 * copy stays valid) unless swap is short, as the kernel's
 * should_try_to_free_swap(): the memcg at half its memory.swap.max, or
 * the devices more than half used.
 */
static void test_swapin_frees_slots_when_short(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	long used;

	swap_boot(state, 256, &proc, &r);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "512K"), 0);
	used = vm_memcg_num("/a", "memory.swap.current");
	assert_true(used >= 512 << 10);
	/* Plenty of swap: the slots stay with the swap cache. */
	assert_int_equal(zsim_touch(r, 0, 256, false), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), used);
	swapin_at_half_limit(r, "memory.swap.max");
	destroy_clean(proc, "/a");
}

/* memory.swap.high counts as memory.swap.max does, as in the kernel. */
static void test_swapin_frees_slots_at_swap_high(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	swap_boot(state, 256, &proc, &r);
	swapin_at_half_limit(r, "memory.swap.high");
	destroy_clean(proc, "/a");
}

/*
 * A swap-in maps its page writable even on a read fault (7.0's
 * do_swap_page(): the region is VM_WRITE and, without fork, the swap pte
 * exclusive), so a write after the read does not fault: the folio keeps
 * its slot and swap charge (another region's swap-out cannot take it),
 * and reclaim writes it, dirty from the write, to that same slot
 * (try_to_unmap(), pageout()). A swap-in gives its slot
 * back only for a write fault or short swap (test_memory_swap_max(),
 * test_swapin_frees_slots_when_short()).
 */
static void test_swapin_maps_writable(void **state)
{
	static pte_t ptes[256];
	struct vm_area_struct *vma;
	struct zsim_process *proc;
	struct zsim_region *r, *other;
	long used, out, faults;
	int i;

	swap_boot(state, 256, &proc, &r);
	vma = (struct vm_area_struct *)r;
	assert_int_equal(zsim_pageout(r, 0, 256), 0);
	used = vm_memcg_num("/a", "memory.swap.current");
	assert_int_equal(used, 256 * VM_PAGE_SIZE);
	out = swapouts("/a");
	assert_int_equal(out, 256);
	for (i = 0; i < 256; i++) {
		ptes[i] = READ_ONCE(vma->ptes[i]);
		assert_true(is_swap_pte(ptes[i]));
	}

	assert_int_equal(zsim_touch(r, 0, 256, false), 0);
	faults = vm_stat("/a", "pgmajfault");
	assert_int_equal(faults, 256);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), used);
	/* No fault, no wp reuse: the slots stay with the swap cache. */
	assert_int_equal(zsim_touch(r, 0, 256, true), 0);
	assert_int_equal(vm_stat("/a", "pgmajfault"), faults);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), used);

	/* Another region's swap-out meanwhile finds the slots taken. */
	assert_int_equal(zsim_mmap(proc, 256, 0, 5, &other), 0);
	assert_int_equal(zsim_touch(other, 0, 256, true), 0);
	assert_int_equal(zsim_pageout(other, 0, 256), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), 2 * used);
	out = swapouts("/a");

	/* Written again, to the slots they had: nothing new allocated. */
	assert_int_equal(zsim_pageout(r, 0, 256), 0);
	assert_int_equal(zsim_region_resident(r), 0);
	assert_int_equal(swapouts("/a"), out + 256);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), 2 * used);
	for (i = 0; i < 256; i++)
		assert_int_equal(READ_ONCE(vma->ptes[i]), ptes[i]);
	/* The slots hold what was written: the swap-in checks every page. */
	assert_int_equal(zsim_touch(r, 0, 256, false), 0);
	assert_int_equal(vm_stat("/a", "pgmajfault"), faults + 256);
	destroy_clean(proc, "/a");
}

/*
 * A folio that munmap() unmaps while reclaim holds it isolated is not
 * reclaimed work: as the kernel's shrink_folio_list() it is kept (no slot
 * taken) and the putback's last reference frees it, without counting it.
 */
static struct folio *isolated;

static int isolate_first_task(void *arg)
{
	struct vm_area_struct *vma = arg;
	struct folio *folio = page_folio(pte_page(READ_ONCE(vma->ptes[0])));

	if (!folio_isolate_lru(folio))
		return -EBUSY;
	isolated = folio;
	return 0;
}

static int reclaim_isolated_task(void *arg)
{
	LIST_HEAD(list);

	if (folio_mapped(isolated))
		return -EINVAL;
	list_add(&isolated->lru, &list);
	return (int)reclaim_pages(&list);
}

static void test_unmapped_while_isolated(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	swap_boot(state, 4, &proc, &r);
	assert_int_equal(zsim_run(0, isolate_first_task, r), 0);
	assert_int_equal(zsim_munmap(r), 0);
	/* Charged still: the isolation holds the folio. */
	assert_int_equal(vm_memcg_num("/a", "memory.current"), VM_PAGE_SIZE);
	assert_int_equal(zsim_run(0, reclaim_isolated_task, NULL), 0);
	assert_int_equal(swapouts("/a"), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), 0);
	destroy_clean(proc, "/a");
}

/*
 * One pass of memcg reclaim of /a for a page: with a single page on its
 * LRU, one look at it (at priority 0). Returns the pages reclaimed.
 */
static int reclaim_once_task(void *arg)
{
	struct mem_cgroup *memcg = mem_cgroup_lookup("/a");
	unsigned long nr;

	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	nr = try_to_free_mem_cgroup_pages(memcg, 1, GFP_KERNEL, MEMCG_RECLAIM_MAY_SWAP, NULL);
	mem_cgroup_put(memcg);
	return (int)nr;
}

/*
 * Reclaim looks twice at a folio whose pte was accessed, as the kernel's
 * folio_check_references(): every page starts with its fault's access, so
 * the first look only marks a folio (PG_referenced) and keeps it inactive;
 * a marked folio not accessed since is reclaimed at the next look, one
 * accessed again is activated. One pass over 64 fresh pages activates
 * none; the pages it kept and that are touched again are activated by the
 * next.
 */
static void test_look_twice(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	int kept;

	swap_boot(state, 64, &proc, &r);
	kept = 64 - zsim_run(0, reclaim_once_task, NULL);
	assert_true(kept > 0 && kept < 64);
	assert_int_equal(swapouts("/a"), 64 - kept);
	assert_int_equal(active_pages(), 0);
	assert_int_equal(inactive_pages(), kept);
	assert_int_equal(vm_stat("/a", "pgactivate"), 0);

	assert_int_equal(zsim_touch(r, 0, 64, false), 0);
	assert_true(zsim_run(0, reclaim_once_task, NULL) > 0);
	assert_int_equal(active_pages(), kept);
	assert_int_equal(vm_stat("/a", "pgactivate"), kept);
	destroy_clean(proc, "/a");
}

/*
 * Deactivation keeps PG_referenced, as the kernel's shrink_active_list():
 * a folio activated and at once deactivated (the inactive list being the
 * smaller) is still marked, so one more access activates it at its next
 * look, where a folio that lost the mark would only be kept again.
 */
static void test_deactivation_keeps_mark(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	int i;

	swap_boot(state, 1, &proc, &r);
	assert_int_equal(zsim_run(0, reclaim_once_task, NULL), 0);
	for (i = 1; i <= 2; i++) {
		assert_int_equal(zsim_touch(r, 0, 1, false), 0);
		assert_int_equal(zsim_run(0, reclaim_once_task, NULL), 0);
		assert_int_equal(vm_stat("/a", "pgactivate"), i);
		assert_int_equal(vm_stat("/a", "pgdeactivate"), i);
		assert_int_equal(inactive_pages(), 1);
	}
	assert_int_equal(vm_vmstat("pgactivate"), 2);
	assert_int_equal(vm_vmstat("pgdeactivate"), 2);
	destroy_clean(proc, "/a");
}

/*
 * Deactivation clears the ptes' accessed bits, as shrink_active_list()'s
 * folio_referenced() does: a folio deactivated during a pass is not
 * activated again later in it without a new access. So a pass over pages
 * all accessed before it activates at most the pages that were inactive
 * when it began, even when it deactivates others on the way.
 */
static void test_deactivation_clears_young(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	long activated, deactivated;
	int inactive;

	swap_boot(state, 256, &proc, &r);
	assert_true(zsim_run(0, reclaim_once_task, NULL) > 0);
	assert_int_equal(zsim_touch(r, 0, 256, false), 0);
	assert_true(zsim_run(0, reclaim_once_task, NULL) > 0);
	assert_int_equal(zsim_touch(r, 0, 256, false), 0);
	assert_true(active_pages() > 0);

	inactive = inactive_pages();
	activated = vm_stat("/a", "pgactivate");
	deactivated = vm_stat("/a", "pgdeactivate");
	assert_true(zsim_run(0, reclaim_once_task, NULL) > 0);
	assert_true(vm_stat("/a", "pgdeactivate") > deactivated);
	assert_true(vm_stat("/a", "pgactivate") - activated <= inactive);
	destroy_clean(proc, "/a");
}

/*
 * An activated folio in the swap cache gives its slot back when swap is
 * short, as the kernel's shrink_folio_list(): the folio, swapped in,
 * looked at, touched and looked at again (test_look_twice()), is
 * activated and later written out afresh, instead of being dropped as a
 * clean copy.
 */
static void test_activate_frees_slot_when_short(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	long out;

	swap_boot(state, 1, &proc, &r);
	/* Kept at the first look, swapped out at the second. */
	assert_int_equal(zsim_run(0, reclaim_once_task, NULL), 0);
	assert_int_equal(swapouts("/a"), 0);
	assert_int_equal(zsim_run(0, reclaim_once_task, NULL), 1);
	assert_int_equal(swapouts("/a"), 1);
	assert_int_equal(zsim_touch(r, 0, 1, false), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), 4096);
	/* Half of memory.swap.max used: short, with room for one slot. */
	assert_int_equal(zsim_memcg_write("/a", "memory.swap.max", "8K"), 0);
	assert_int_equal(zsim_run(0, reclaim_once_task, NULL), 0);
	assert_int_equal(active_pages(), 0);
	assert_int_equal(zsim_touch(r, 0, 1, false), 0);
	out = swapouts("/a");
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "4K"), 0);
	assert_int_equal(swapouts("/a"), out + 1);
	assert_int_equal(vm_memcg_num("/a", "memory.swap.current"), 4096);
	destroy_clean(proc, "/a");
}

/*
 * MADV_COLD: the folios wholly in the range lose their ptes' accessed bits
 * and PG_referenced, and the active ones go to the inactive list
 * (pgdeactivate), so reclaim takes a cold folio at its first look, where
 * a touched one is kept. Pages outside the range keep their state.
 */
static void test_madv_cold(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r, *one;
	long deactivated, activated;
	int active;

	swap_boot(state, 64, &proc, &r);
	assert_true(zsim_run(0, reclaim_once_task, NULL) < 64);
	assert_int_equal(zsim_touch(r, 0, 64, false), 0);
	assert_true(zsim_run(0, reclaim_once_task, NULL) > 0);
	active = active_pages();
	assert_true(active > 0);
	/* Outside the range nothing changes. */
	assert_int_equal(zsim_cold(r, 0, 0), 0);
	assert_int_equal(active_pages(), active);
	deactivated = vm_stat("/a", "pgdeactivate");
	assert_int_equal(zsim_cold(r, 0, 64), 0);
	assert_int_equal(active_pages(), 0);
	assert_int_equal(vm_stat("/a", "pgdeactivate") - deactivated, active);
	assert_int_equal(zsim_cold(r, 60, 5), -EINVAL);
	assert_int_equal(zsim_cold(NULL, 0, 1), -EINVAL);
	assert_int_equal(zsim_munmap(r), 0);

	/* A lone page, touched then made cold: taken at its first look. */
	assert_int_equal(zsim_mmap(proc, 1, 0, 9, &one), 0);
	assert_int_equal(zsim_touch(one, 0, 1, true), 0);
	assert_int_equal(zsim_cold(one, 0, 1), 0);
	assert_int_equal(zsim_run(0, reclaim_once_task, NULL), 1);
	assert_int_equal(zsim_region_resident(one), 0);
	/* Marked at a look, made cold, touched once: only kept, not activated. */
	assert_int_equal(zsim_touch(one, 0, 1, false), 0);
	assert_int_equal(zsim_run(0, reclaim_once_task, NULL), 0);
	assert_int_equal(zsim_cold(one, 0, 1), 0);
	assert_int_equal(zsim_touch(one, 0, 1, false), 0);
	activated = vm_stat("/a", "pgactivate");
	assert_int_equal(zsim_run(0, reclaim_once_task, NULL), 0);
	assert_int_equal(vm_stat("/a", "pgactivate"), activated);
	assert_int_equal(zsim_run(0, reclaim_once_task, NULL), 1);
	destroy_clean(proc, "/a");
}

/* MADV_PAGEOUT of a range, whatever the memcg's usage. */
static void test_madv_pageout(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	vm_boot(state, 2, 4096, false);
	assert_int_equal(zsim_process_create("/", &proc), 0);
	assert_int_equal(zsim_mmap(proc, 256, 0, 8, &r), 0);
	/* Nothing present: nothing to do. */
	assert_int_equal(zsim_pageout(r, 0, 256), 0);
	assert_int_equal(zsim_touch(r, 0, 256, true), 0);
	assert_int_equal(zsim_pageout(r, 64, 64), 0);
	assert_int_equal(zsim_region_resident(r), 192);
	assert_int_equal(vm_vmstat("pswpout") + vm_vmstat("swpout_zero"), 64);
	assert_int_equal(zsim_touch(r, 0, 256, false), 0);
	assert_int_equal(vm_vmstat("pgmajfault"), 64);
	assert_int_equal(zsim_region_resident(r), 256);
	/* Swapped in for reading: still in the swap cache, paged out without I/O. */
	assert_int_equal(zsim_pageout(r, 64, 64), 0);
	assert_int_equal(vm_vmstat("pswpout") + vm_vmstat("swpout_zero"), 64);
	assert_int_equal(zsim_touch(r, 64, 64, false), 0);

	assert_int_equal(zsim_pageout(r, 200, 57), -EINVAL);
	assert_int_equal(zsim_touch(r, 256, 1, false), -EINVAL);
	assert_int_equal(zsim_touch(NULL, 0, 1, false), -EINVAL);
	destroy_clean(proc, NULL);
}

/* 4 KB, 64 KB and 2 MB folios: charged whole, swapped out whole, in as 4 KB. */
static void test_folio_orders(void **state)
{
	static const unsigned int orders[] = { 0, 4, 9 };
	struct zsim_process *proc;
	struct zsim_region *r;
	long out0, in0, maj0;
	unsigned int i;

	vm_boot(state, 2, 8192, false);
	vm_memcg_create("/", "a");
	for (i = 0; i < 3; i++) {
		out0 = vm_vmstat("pswpout") + vm_vmstat("swpout_zero");
		in0 = vm_vmstat("pswpin") + vm_vmstat("swpin_zero");
		maj0 = vm_vmstat("pgmajfault");
		assert_int_equal(zsim_process_create("/a", &proc), 0);
		assert_int_equal(zsim_mmap(proc, 1024, orders[i], 10 + i, &r), 0);
		/* One page faults in its whole folio. */
		assert_int_equal(zsim_touch(r, 0, 1, false), 0);
		assert_int_equal(zsim_region_resident(r), 1 << orders[i]);
		assert_int_equal(vm_memcg_num("/a", "memory.current"), VM_PAGE_SIZE << orders[i]);
		assert_int_equal(zsim_touch(r, 0, 1024, false), 0);
		assert_int_equal(vm_memcg_num("/a", "memory.current"), 4 << 20);
		if (orders[i]) {
			/* Part of a large folio is not paged out (the kernel splits). */
			assert_int_equal(zsim_pageout(r, 0, 8), 0);
			assert_int_equal(zsim_region_resident(r), 1024);
		}
		assert_int_equal(zsim_pageout(r, 0, 1024), 0);
		assert_int_equal(zsim_region_resident(r), 0);
		assert_int_equal(vm_memcg_num("/a", "memory.current"), 0);
		assert_int_equal(vm_vmstat("pswpout") + vm_vmstat("swpout_zero") - out0, 1024);
		/* Swap-in is per page. */
		assert_int_equal(zsim_touch(r, 0, 1024, false), 0);
		assert_int_equal(vm_vmstat("pgmajfault") - maj0, 1024);
		assert_int_equal(vm_vmstat("pswpin") + vm_vmstat("swpin_zero") - in0, 1024);
		assert_int_equal(vm_memcg_num("/a", "memory.current"), 4 << 20);
		assert_int_equal(zsim_process_destroy(proc), 0);
		assert_int_equal(vm_memcg_num("/a", "memory.current"), 0);
	}
	vm_shutdown();
}

struct worker {
	const char *memcg;
	uint64_t seed;
	int ret;
};

/* A process that writes and reads its memory in passes, inside a task. */
static int worker_fn(void *arg)
{
	struct worker *w = arg;
	struct zsim_process *proc;
	struct zsim_region *r;
	int pass, ret;

	ret = zsim_process_create(w->memcg, &proc);
	if (ret)
		return ret;
	ret = zsim_mmap(proc, 384, w->seed % 2 ? 4 : 0, w->seed, &r);
	for (pass = 0; !ret && pass < 4; pass++)
		ret = zsim_touch(r, 0, 384, pass % 2 == 0);
	if (!ret)
		ret = zsim_pageout(r, 0, 192);
	if (!ret)
		ret = zsim_touch(r, 0, 384, false);
	zsim_process_destroy(proc);
	return ret;
}

/* memory.reclaim of whatever @path still has charged (stale swap cache). */
static void reclaim_leftover(const char *path)
{
	long cur = vm_memcg_num(path, "memory.current");
	char bytes[32];

	if (cur <= 0)
		return;
	snprintf(bytes, sizeof(bytes), "%ld", cur);
	assert_int_equal(zsim_memcg_write(path, "memory.reclaim", bytes), 0);
}

/* Processes in separate and shared memcgs reclaiming at once. */
static void test_concurrent_processes(void **state)
{
	struct worker w[3] = {
		{ "/c0", 21 }, { "/s", 22 }, { "/s", 23 },
	};
	struct zsim_task *t[3];
	unsigned int i;

	vm_boot(state, 2, 8192, false);
	vm_memcg_create("/", "c0");
	vm_memcg_create("/", "s");
	assert_int_equal(zsim_memcg_write("/c0", "memory.max", "512K"), 0);
	assert_int_equal(zsim_memcg_write("/s", "memory.max", "1M"), 0);
	for (i = 0; i < 3; i++)
		t[i] = zsim_spawn(i % 2, worker_fn, &w[i], "vm-worker");
	for (i = 0; i < 3; i++) {
		assert_non_null(t[i]);
		assert_int_equal(zsim_join(t[i]), 0);
	}
	assert_true(vm_stat("/s", "pswpout") > 0);
	assert_true(vm_stat("/c0", "pswpout") > 0);
	/*
	 * An exit can leave a folio another worker's reclaim held at that
	 * moment in the swap cache with no swap count, back on the LRU: the
	 * kernel's free_swap_and_cache() skips a folio it cannot trylock,
	 * and reclaim frees it later. Reclaim what is left; then nothing
	 * may stay charged (nor a slot in use at shutdown).
	 */
	reclaim_leftover("/c0");
	reclaim_leftover("/s");
	assert_int_equal(vm_memcg_num("/c0", "memory.current"), 0);
	assert_int_equal(vm_memcg_num("/s", "memory.current"), 0);
	vm_shutdown();
}

/*
 * Device errors and failing allocations: write errors keep the page (it
 * is written again later), a read error fails the access until reclaim
 * drops the bad folio, allocation failures fail faults with -ENOMEM; the
 * data survives all of it and nothing leaks.
 */
static void test_faults(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	unsigned long injected = 0;
	int i, ret;

	vm_boot(state, 2, 8192, false);
	vm_memcg_create("/", "a");
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "1M"), 0);
	assert_int_equal(zsim_process_create("/a", &proc), 0);
	assert_int_equal(zsim_mmap(proc, 1024, 0, 40, &r), 0);

	assert_int_equal(zsim_fault_set("swap_write", 0, 3, 0), 0);
	assert_int_equal(zsim_touch(r, 0, 1024, true), 0);
	assert_true(zsim_fault_injected("swap_write") > 0);
	zsim_fault_clear_all();
	assert_int_equal(zsim_touch(r, 0, 1024, false), 0);

	assert_int_equal(zsim_fault_set("swap_read", 0, 0, 1), 0);
	assert_int_equal(zsim_touch(r, 0, 1024, false), -EIO);
	zsim_fault_clear_all();
	/* Nothing else is resident: reclaim finds the bad folio and frees it. */
	assert_int_equal(zsim_pageout(r, 0, 1024), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", "4K"), 0);
	assert_int_equal(zsim_touch(r, 0, 1024, false), 0);

	for (i = 0; i < 4; i++) {
		assert_int_equal(zsim_fault_set("alloc_pages", 30, 0, 0), 0);
		assert_int_equal(zsim_fault_set("kmalloc", 30, 0, 0), 0);
		assert_int_equal(zsim_fault_set("swap_alloc", 30, 0, 0), 0);
		ret = zsim_touch(r, 0, 1024, i % 2);
		assert_true(ret == 0 || ret == -ENOMEM);
		injected += zsim_fault_injected("alloc_pages") + zsim_fault_injected("kmalloc");
		zsim_fault_clear_all();
		assert_int_equal(zsim_touch(r, 0, 1024, false), 0);
	}
	assert_true(injected > 0);
	destroy_clean(proc, "/a");
}

/* With zswap on: stores on reclaim, loads on fault, nothing left at the end. */
static void test_zswap_roundtrip(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	vm_boot(state, 2, 8192, true);
	vm_memcg_create("/", "a");
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "2M"), 0);
	vm_process_touched("/a", 1024, 30, true, &proc, &r);
	assert_true(vm_stat("/a", "zswpout") > 0);
	assert_true(vm_memcg_num("/a", "memory.zswap.current") > 0);
	assert_int_equal(zsim_touch(r, 0, 1024, false), 0);
	assert_true(vm_stat("/a", "zswpin") > 0);
	assert_int_equal(zsim_process_destroy(proc), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.zswap.current"), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), 0);
	vm_shutdown();
}

/* Write back every entry of /a the zswap shrinker will: returns the pages written. */
static long vm_zswap_writeback(void)
{
	long wb0 = vm_stat("/a", "zswpwb");
	int i;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	for (i = 0; i < 4; i++)
		zsim_shrink_slab(0, "/a", 0);
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
	return vm_stat("/a", "zswpwb") - wb0;
}

/*
 * zswap writeback leaves its folio in the swap cache, charged to the
 * process's memcg and on its LRU: memory.reclaim frees exactly those
 * pages (the slots stay for the ptes, a later fault reads the device).
 * Pages written back later are found by the fault in the swap cache: a
 * minor fault with no device read.
 */
static void test_zswap_writeback_swapin(void **state)
{
	long stored, wb, wb2, cur, maj, pswpin;
	struct zsim_process *proc;
	struct zsim_region *r, *r2;
	char bytes[32];

	vm_boot(state, 2, 8192, true);
	vm_memcg_create("/", "a");
	vm_process_touched("/a", 64, 50, true, &proc, &r);
	assert_int_equal(zsim_pageout(r, 0, 64), 0);
	stored = vm_stat("/a", "zswpout");
	assert_true(stored > 8);

	/* Only the written-back folios are on the LRU now. */
	wb = vm_zswap_writeback();
	assert_true(wb > 0 && wb <= stored);
	cur = vm_memcg_num("/a", "memory.current");
	assert_true(cur >= wb * VM_PAGE_SIZE);
	snprintf(bytes, sizeof(bytes), "%ld", wb * VM_PAGE_SIZE);
	assert_int_equal(zsim_memcg_write("/a", "memory.reclaim", bytes), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), cur - wb * VM_PAGE_SIZE);
	assert_int_equal(vm_stat("/a", "pswpin"), 0);

	/* A second region's pages written back stay cached for the faults. */
	assert_int_equal(zsim_mmap(proc, 64, 0, 51, &r2), 0);
	assert_int_equal(zsim_touch(r2, 0, 64, true), 0);
	assert_int_equal(zsim_pageout(r2, 0, 64), 0);
	wb2 = vm_zswap_writeback();
	assert_true(wb2 > 0);
	maj = vm_stat("/a", "pgmajfault");
	pswpin = vm_stat("/a", "pswpin");
	assert_int_equal(zsim_touch(r, 0, 64, false), 0);
	assert_int_equal(zsim_touch(r2, 0, 64, false), 0);
	/* The pages reclaim freed are read from the device; only cached ones fault minor. */
	assert_int_equal(vm_stat("/a", "pswpin") - pswpin, wb);
	assert_int_equal(vm_stat("/a", "pgmajfault") - maj, 128 - wb2);
	destroy_clean(proc, "/a");
}

/*
 * A process call returns to user space as the kernel's syscalls do: the
 * pages its zswap stores charged over memory.high (objcg charges, while
 * the folios they replace were still charged) are handled on the way out,
 * and current->mm is the caller's again. Returns the task's over-high
 * batch after the call, with bit 16 set if current->mm was left set.
 */
static int pageout_returns_task(void *arg)
{
	struct zsim_region *r = arg;

	if (zsim_pageout(r, 0, 64))
		return -1;
	return (int)current->memcg_nr_pages_over_high | (current->mm ? 1 << 16 : 0);
}

static void test_return_to_user(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	struct zsim_task *t;
	char high[32];

	vm_boot(state, 2, 8192, true);
	vm_memcg_create("/", "a");
	vm_process_touched("/a", 64, 50, true, &proc, &r);
	/* At high exactly: each store's first charged page takes /a over it. */
	snprintf(high, sizeof(high), "%ld", vm_memcg_num("/a", "memory.current"));
	assert_int_equal(zsim_memcg_write("/a", "memory.high", high), 0);
	t = zsim_spawn(0, pageout_returns_task, r, "vm-pageout");
	assert_non_null(t);
	assert_int_equal(zsim_join(t), 0);
	assert_true(vm_stat("/a", "zswpout") > 8);
	destroy_clean(proc, "/a");
}

/*
 * A swap-in whose charge fails (memory.max 0, nothing to reclaim): the
 * fault fails with -ENOMEM, nothing stays charged or cached, and the
 * page comes back intact once the limit allows it.
 */
static void test_swapin_charge_fail(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	vm_boot(state, 2, 8192, false);
	vm_memcg_create("/", "a");
	vm_process_touched("/a", 16, 52, true, &proc, &r);
	assert_int_equal(zsim_pageout(r, 0, 16), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "0"), 0);
	assert_int_equal(zsim_touch(r, 0, 1, false), -ENOMEM);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), 0);
	assert_int_equal(vm_stat("/a", "pgmajfault"), 0);
	assert_int_equal(zsim_memcg_write("/a", "memory.max", "max"), 0);
	assert_int_equal(zsim_touch(r, 0, 16, false), 0);
	destroy_clean(proc, "/a");
}

/*
 * The VM's cost model (module vm_cost, src/mm/cost.c): in virtual time a
 * fault costs fault_ns plus clear_page_ns per page of its folio, a
 * reclaimed folio reclaim_folio_ns plus reclaim_page_ns per page, a
 * swap-in fault swapin_fault_ns (the device's read_ns is 0 here).
 */
struct cost_args {
	struct zsim_region *r;
	uint64_t fault_ns, reclaim_ns, swapin_ns;
	int ret;
};

static int cost_task(void *arg)
{
	struct cost_args *c = arg;
	uint64_t t0 = sched_task_clock_ns(current);

	c->ret = zsim_touch(c->r, 0, 32, true);
	c->fault_ns = sched_task_clock_ns(current) - t0;
	t0 = sched_task_clock_ns(current);
	if (!c->ret)
		c->ret = zsim_pageout(c->r, 0, 32);
	c->reclaim_ns = sched_task_clock_ns(current) - t0;
	t0 = sched_task_clock_ns(current);
	if (!c->ret)
		c->ret = zsim_touch(c->r, 5, 1, false);
	c->swapin_ns = sched_task_clock_ns(current) - t0;
	return 0;
}

static void set_costs(const char *fault, const char *clear, const char *swapin,
		      const char *folio, const char *page)
{
	assert_int_equal(zsim_param_set("vm_cost", "fault_ns", fault), 0);
	assert_int_equal(zsim_param_set("vm_cost", "clear_page_ns", clear), 0);
	assert_int_equal(zsim_param_set("vm_cost", "swapin_fault_ns", swapin), 0);
	assert_int_equal(zsim_param_set("vm_cost", "reclaim_folio_ns", folio), 0);
	assert_int_equal(zsim_param_set("vm_cost", "reclaim_page_ns", page), 0);
}

static void test_costs(void **state)
{
	struct zsim_process *proc;
	struct cost_args c = { };

	set_costs("1000", "100", "700", "3000", "50");
	vm_boot(state, 2, 1024, false);
	assert_int_equal(zsim_process_create(NULL, &proc), 0);
	assert_int_equal(zsim_mmap(proc, 32, 4, 3, &c.r), 0);
	assert_int_equal(zsim_run(0, cost_task, &c), 0);
	assert_int_equal(c.ret, 0);
	/* Two 64 KB folios: two faults, two reclaimed folios, one swap-in. */
	assert_int_equal(c.fault_ns, 2 * (1000 + 16 * 100));
	assert_int_equal(c.reclaim_ns, 2 * (3000 + 16 * 50));
	assert_int_equal(c.swapin_ns, 700);
	assert_int_equal(vm_vmstat("pgmajfault"), 1);
	destroy_clean(proc, NULL);
	set_costs("1000", "250", "1500", "2000", "2400");
}

/*
 * The first step of compaction's isolate_movable_ops_page() on a page it
 * scans: a speculative reference (get_page_unless_zero()), here on the
 * only LRU folio of the machine.
 */
static int grab_lru_page(void *arg)
{
	struct page **found = arg;
	unsigned long pfn;

	for (pfn = 0; pfn < max_mapnr; pfn++) {
		struct page *page = mem_map + pfn;

		if (!folio_test_lru(page_folio(page)) || !get_page_unless_zero(page))
			continue;
		if (folio_test_lru(page_folio(page))) {
			*found = page;
			return 0;
		}
		put_page(page);
	}
	return -ENOENT;
}

static int put_grabbed_page(void *arg)
{
	put_page(arg);
	return 0;
}

/*
 * The process unmaps and exits while the speculative reference is held:
 * the scanner's put_page() is the last one and must take the folio off
 * its LRU list before freeing it, as the kernel's __folio_put() does
 * (a bad page state, PG_lru set at free, before that was so).
 */
static void test_speculative_last_put(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	struct page *page = NULL;

	vm_boot(state, 1, 0, false);
	vm_memcg_create("/", "s");
	assert_int_equal(zsim_process_create("/s", &proc), 0);
	assert_int_equal(zsim_mmap(proc, 1, 0, 3, &r), 0);
	assert_int_equal(zsim_touch(r, 0, 1, true), 0);
	assert_int_equal(zsim_run(0, grab_lru_page, &page), 0);
	assert_non_null(page);
	assert_int_equal(zsim_process_destroy(proc), 0);
	/* Still charged: the folio lives on with our reference only. */
	assert_int_equal(vm_memcg_num("/s", "memory.current"), VM_PAGE_SIZE);
	assert_int_equal(zsim_run(0, put_grabbed_page, page), 0);
	assert_int_equal(vm_memcg_num("/s", "memory.current"), 0);
	vm_shutdown();
}

/*
 * A process left alive at machine stop is freed with the machine (and
 * reported as leaked): calls on its region after that fail with -ENODEV,
 * as without a machine, and read nothing of it.
 */
static void test_region_after_stop(void **state)
{
	struct zsim_process *proc;
	struct zsim_config cfg;
	struct zsim_region *r;

	zsim_test_config(state, &cfg, 2, 7);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_process_create(NULL, &proc), 0);
	assert_int_equal(zsim_mmap(proc, 4, 0, 1, &r), 0);
	assert_int_equal(zsim_touch(r, 0, 4, true), 0);
	assert_true(zsim_machine_stop() > 0);

	assert_int_equal(zsim_touch(r, 0, 1, true), -ENODEV);
	assert_int_equal(zsim_cold(r, 0, 1), -ENODEV);
	assert_int_equal(zsim_pageout(r, 0, 1), -ENODEV);
	assert_int_equal(zsim_region_resident(r), -ENODEV);
	assert_int_equal(zsim_munmap(r), -ENODEV);
	assert_int_equal(zsim_process_destroy(proc), -ENODEV);
}

/* Nowhere to put the new process or region: -EINVAL, nothing made. */
static void test_null_out_pointers(void **state)
{
	struct zsim_process *proc;

	vm_boot(state, 1, 0, false);
	assert_int_equal(zsim_process_create(NULL, NULL), -EINVAL);
	assert_int_equal(zsim_process_create(NULL, &proc), 0);
	assert_int_equal(zsim_mmap(proc, 1, 0, 1, NULL), -EINVAL);
	assert_int_equal(zsim_process_destroy(proc), 0);
	vm_shutdown();
}

/*
 * cgroup.procs: a cgroup with a process in it cannot be removed. Moved
 * out, the process charges its new cgroup and what it charged stays with
 * the old one (v2 moves no charges), which rmdir then leaves a zombie
 * holding those pages.
 */
static void test_process_move(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r, *r2;

	vm_boot(state, 2, 0, false);
	assert_int_equal(zsim_memcg_create("/", "a"), 0);
	vm_memcg_create("/", "b");
	vm_process_touched("/a", 16, 3, true, &proc, &r);
	assert_int_equal(zsim_memcg_destroy("/a"), -EBUSY);
	assert_int_equal(zsim_process_move(NULL, "/b"), -EINVAL);
	assert_int_equal(zsim_process_move(proc, "/nope"), -ENOENT);
	assert_int_equal(zsim_process_move(proc, "/b"), 0);
	assert_int_equal(zsim_mmap(proc, 8, 0, 4, &r2), 0);
	assert_int_equal(zsim_touch(r2, 0, 8, true), 0);
	assert_int_equal(vm_memcg_num("/a", "memory.current"), 16 * VM_PAGE_SIZE);
	assert_int_equal(vm_memcg_num("/b", "memory.current"), 8 * VM_PAGE_SIZE);
	assert_int_equal(zsim_memcg_destroy("/a"), 0);
	assert_int_equal(zsim_process_move(proc, "/a"), -ENOENT);
	/* The zombie's pages are still the process's, intact. */
	assert_int_equal(zsim_touch(r, 0, 16, false), 0);
	assert_int_equal(zsim_region_resident(r), 16);
	assert_int_equal(zsim_process_destroy(proc), 0);
	assert_int_equal(zsim_process_move(proc, "/b"), -EINVAL);
	vm_shutdown();
}

/*
 * Handles that are no longer live are -EINVAL (with a message) and are not
 * read: a region unmapped, or destroyed with its process, a destroyed
 * process, and an earlier machine's process and region. Each was a use
 * after free (the double munmap a crash in list_del()).
 */
static void test_stale_handles(void **state)
{
	struct zsim_process *old_proc, *proc;
	struct zsim_region *old_r, *r, *r2, *none;

	vm_boot(state, 2, 0, false);
	vm_process_touched(NULL, 4, 1, true, &old_proc, &old_r);
	assert_int_equal(zsim_process_destroy(old_proc), 0);
	vm_shutdown();

	vm_boot(state, 2, 0, false);
	assert_int_equal(zsim_touch(old_r, 0, 1, true), -EINVAL);
	assert_int_equal(zsim_munmap(old_r), -EINVAL);
	assert_int_equal(zsim_mmap(old_proc, 1, 0, 1, &none), -EINVAL);
	assert_null(none);
	assert_int_equal(zsim_process_destroy(old_proc), -EINVAL);

	vm_process_touched(NULL, 4, 2, true, &proc, &r);
	assert_int_equal(zsim_mmap(proc, 4, 0, 3, &r2), 0);
	assert_int_equal(zsim_touch(r2, 0, 4, true), 0);
	assert_int_equal(zsim_munmap(r), 0);
	assert_int_equal(zsim_munmap(r), -EINVAL);
	assert_int_equal(zsim_touch(r, 0, 1, false), -EINVAL);
	assert_int_equal(zsim_cold(r, 0, 1), -EINVAL);
	assert_int_equal(zsim_pageout(r, 0, 1), -EINVAL);
	assert_int_equal(zsim_region_resident(r), -EINVAL);
	assert_int_equal(zsim_region_resident(r2), 4);

	assert_int_equal(zsim_process_destroy(proc), 0);
	assert_int_equal(zsim_touch(r2, 0, 1, true), -EINVAL);
	assert_int_equal(zsim_munmap(r2), -EINVAL);
	assert_int_equal(zsim_mmap(proc, 1, 0, 1, &none), -EINVAL);
	assert_int_equal(zsim_process_destroy(proc), -EINVAL);
	vm_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_swap_device_roundtrip),
		ZSIM_TEST_FREE(test_zero_pages),
		ZSIM_TEST_FREE(test_memory_max_oom),
		ZSIM_TEST_FREE(test_memory_max_parent),
		ZSIM_TEST_FREE(test_memory_high),
		ZSIM_TEST_FREE(test_limit_write_reclaims),
		ZSIM_TEST_BOTH(test_memory_high_throttle),
		ZSIM_TEST_BOTH(test_memory_swap_high_throttle),
		ZSIM_TEST_FREE(test_memory_reclaim),
		ZSIM_TEST_FREE(test_memory_swap_max),
		ZSIM_TEST_FREE(test_aging_without_swap_room),
		ZSIM_TEST_FREE(test_look_twice),
		ZSIM_TEST_FREE(test_deactivation_keeps_mark),
		ZSIM_TEST_FREE(test_deactivation_clears_young),
		ZSIM_TEST_FREE(test_activate_frees_slot_when_short),
		ZSIM_TEST_FREE(test_swapin_frees_slots_when_short),
		ZSIM_TEST_FREE(test_swapin_frees_slots_at_swap_high),
		ZSIM_TEST_BOTH(test_swapin_maps_writable),
		ZSIM_TEST_FREE(test_madv_cold),
		ZSIM_TEST_FREE(test_madv_pageout),
		ZSIM_TEST_FREE(test_unmapped_while_isolated),
		ZSIM_TEST_FREE(test_folio_orders),
		ZSIM_TEST_BOTH(test_concurrent_processes),
		ZSIM_TEST_FREE(test_faults),
		ZSIM_TEST_BOTH(test_zswap_roundtrip),
		ZSIM_TEST_BOTH(test_zswap_writeback_swapin),
		ZSIM_TEST_BOTH(test_return_to_user),
		ZSIM_TEST_FREE(test_swapin_charge_fail),
		ZSIM_TEST_CONTROLLED(test_costs),
		ZSIM_TEST_FREE(test_speculative_last_put),
		ZSIM_TEST_FREE(test_region_after_stop),
		ZSIM_TEST_BOTH(test_stale_handles),
		ZSIM_TEST_FREE(test_null_out_pointers),
		ZSIM_TEST_BOTH(test_process_move),
	};

	return cmocka_run_group_tests_name("vm", tests, NULL, NULL);
}
