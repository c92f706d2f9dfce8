// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's tools/testing/selftests/cgroup/test_zswap.c on the
 * simulator: the same cgroup setups and assertions, a simulated process
 * (zsim_mmap() + zsim_touch()) in place of cg_run()'s child.
 *
 * Scaling, and why: the selftests fill pages with one byte per page (or
 * half a page of a ramp), which compresses about a hundredfold; corpus
 * pages (bench/corpus.h) compress about threefold, so compressed memory
 * charged to the memcg is a real part of memory.current and limits sized
 * for the selftests' data would OOM. Sizes are divided (by 4 to 16, per
 * test below) and the limits kept proportionate so that every test runs
 * in well under a second and reclaim works as it does upstream. Zero
 * pages of the corpus go to the swap core's zero map, not to zswap, and
 * are left out of zswap counts where a test counts pages.
 *
 * Not reproduced: test_no_kmem_bypass, which needs kswapd and
 * min_free_kbytes (the simulator has no global reclaim).
 */
#include <errno.h>
#include <stdint.h>

#include "../../bench/corpus.h"
#include "vm_test.h"

#define MB(x)	((long)(x) << 20)

/*
 * Pages of kind @kind among pages [0, @nr) of a region of @seed written
 * once (generation 1, see <zswapsim.h>).
 */
static long corpus_kind_pages(uint64_t seed, unsigned long nr, enum corpus_kind kind)
{
	static unsigned char page[CORPUS_PAGE_SIZE];
	unsigned long i;
	long n = 0;

	for (i = 0; i < nr; i++)
		n += corpus_gen_page(seed, (uint64_t)1 << 32 | i, NULL, page) == kind;
	return n;
}

/* One debugfs counter of zswap (zswap/@name), or -1. */
static long zswap_debugfs(const char *name)
{
	char *text = NULL, key[96];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	long val;

	if (!f)
		return -1;
	zsim_dump_debugfs(f, false);
	fclose(f);
	snprintf(key, sizeof(key), "zswap/%s", name);
	val = vm_text_key(text, key);
	free(text);
	return val;
}

static void boot(void **state)
{
	vm_boot(state, 2, 16384, true);
}

/* A process in @memcg that writes @bytes, then reads them if @read. */
static int run_alloc(const char *memcg, long bytes, bool read, uint64_t seed,
		     struct zsim_process **procp, struct zsim_region **rp)
{
	unsigned long nr = bytes / VM_PAGE_SIZE;
	int ret;

	ret = zsim_process_create(memcg, procp);
	if (ret)
		return ret;
	ret = zsim_mmap(*procp, nr, 0, seed, rp);
	if (!ret)
		ret = zsim_touch(*rp, 0, nr, true);
	if (!ret && read)
		ret = zsim_touch(*rp, 0, nr, false);
	return ret;
}

/* test_zswap_usage: memory.max 1M (here 2M), 4 MB allocated: zswpout rises. */
static void test_zswap_usage(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;
	long before;

	boot(state);
	vm_memcg_create("/", "no_shrink_test");
	assert_int_equal(zsim_memcg_write("/no_shrink_test", "memory.max", "2M"), 0);
	before = vm_stat("/no_shrink_test", "zswpout");
	assert_true(before >= 0);
	assert_int_equal(run_alloc("/no_shrink_test", MB(4), false, 101, &proc, &r), 0);
	assert_true(vm_stat("/no_shrink_test", "zswpout") > before);
	assert_int_equal(zsim_process_destroy(proc), 0);
	vm_shutdown();
}

/*
 * test_swapin_nozswap: memory.max 24M, memory.zswap.max 0, 32 MB written
 * and read (here 3M, 0, 4 MB): swap is used (upstream: memory.swap.peak
 * >= 8 MB, here: at least 1 MB swapped out, to the device or the zero
 * map, as the simulator has no swap peak) and zswpout stays 0.
 */
static void test_swapin_nozswap(void **state)
{
	struct zsim_process *proc;
	struct zsim_region *r;

	boot(state);
	vm_memcg_create("/", "no_zswap_test");
	assert_int_equal(zsim_memcg_write("/no_zswap_test", "memory.max", "3M"), 0);
	assert_int_equal(zsim_memcg_write("/no_zswap_test", "memory.zswap.max", "0"), 0);
	assert_int_equal(run_alloc("/no_zswap_test", MB(4), true, 102, &proc, &r), 0);
	assert_true((vm_stat("/no_zswap_test", "pswpout") +
		     vm_stat("/no_zswap_test", "swpout_zero")) * VM_PAGE_SIZE >= MB(1));
	assert_int_equal(vm_stat("/no_zswap_test", "zswpout"), 0);
	assert_int_equal(zsim_process_destroy(proc), 0);
	vm_shutdown();
}

/*
 * test_zswapin: memory.max 8M, 32 MB written and read (here 4M, 8 MB):
 * zswpin >= (32 - 8) MB / pagesize (here (8 - 4) MB / pagesize, less
 * the zero pages, which the zero map serves).
 */
static void test_zswapin(void **state)
{
	long zero = corpus_kind_pages(103, MB(8) / VM_PAGE_SIZE, CORPUS_ZERO);
	struct zsim_process *proc;
	struct zsim_region *r;

	boot(state);
	vm_memcg_create("/", "zswapin_test");
	assert_int_equal(zsim_memcg_write("/zswapin_test", "memory.max", "4M"), 0);
	assert_int_equal(run_alloc("/zswapin_test", MB(8), true, 103, &proc, &r), 0);
	assert_true(vm_stat("/zswapin_test", "zswpin") >= (MB(8) - MB(4)) / VM_PAGE_SIZE - zero);
	assert_int_equal(zsim_process_destroy(proc), 0);
	vm_shutdown();
}

/*
 * attempt_writeback(): fill 4 MB, reclaim it all, read it back (checked),
 * set memory.zswap.max to half the zswap usage and reclaim again: with
 * writeback disabled that must fail with -EAGAIN. Difference: the corpus
 * has incompressible pages, which zswap stores raw only when writeback is
 * allowed, so both reclaims ask for the compressible pages' size.
 */
static int attempt_writeback(const char *memcg, bool wb_enabled, uint64_t seed)
{
	unsigned long nr = MB(4) / VM_PAGE_SIZE;
	long reclaim = (nr - corpus_kind_pages(seed, nr, CORPUS_RANDOM)) * VM_PAGE_SIZE;
	struct zsim_process *proc = NULL;
	struct zsim_region *r;
	char val[32];
	long zswap_usage;
	int ret;

	ret = run_alloc(memcg, MB(4), false, seed, &proc, &r);
	if (ret)
		goto out;
	snprintf(val, sizeof(val), "%ld", reclaim);
	ret = zsim_memcg_write(memcg, "memory.reclaim", val);
	if (ret)
		goto out;
	zswap_usage = vm_memcg_num(memcg, "memory.zswap.current");
	/* zswpin, and the contents checked on the way. */
	ret = zsim_touch(r, 0, nr, false);
	if (ret)
		goto out;
	snprintf(val, sizeof(val), "%ld", zswap_usage / 2);
	ret = zsim_memcg_write(memcg, "memory.zswap.max", val);
	if (ret)
		goto out;
	snprintf(val, sizeof(val), "%ld", reclaim);
	ret = zsim_memcg_write(memcg, "memory.reclaim", val);
	if (!wb_enabled)
		ret = ret == -EAGAIN ? 0 : -1;
out:
	zsim_process_destroy(proc);
	return ret;
}

static void zswap_writeback_one(const char *memcg, bool wb, uint64_t seed)
{
	assert_int_equal(vm_stat(memcg, "zswpwb"), 0);
	assert_int_equal(attempt_writeback(memcg, wb, seed), 0);
	/* Writeback happened exactly when it was enabled. */
	assert_int_equal(vm_stat(memcg, "zswpwb") > 0, wb);
}

/* test_zswap_writeback_{enabled,disabled}, then in a child set to 1. */
static void zswap_writeback(void **state, bool wb)
{
	const char *group = "/zswap_writeback_test";
	const char *child = "/zswap_writeback_test/zswap_writeback_test_child";

	boot(state);
	assert_int_equal(vm_memcg_num("/", "memory.zswap.writeback"), 1);
	vm_memcg_create("/", "zswap_writeback_test");
	assert_int_equal(zsim_memcg_write(group, "memory.zswap.writeback", wb ? "1" : "0"), 0);
	zswap_writeback_one(group, wb, 104);

	/* The parent's setting is what counts. */
	assert_int_equal(zsim_memcg_write(group, "memory.zswap.max", "max"), 0);
	vm_memcg_create(group, "zswap_writeback_test_child");
	assert_int_equal(zsim_memcg_write(child, "memory.zswap.writeback", "1"), 0);
	zswap_writeback_one(child, wb, 106);
	vm_shutdown();
}

static void test_zswap_writeback_enabled(void **state)
{
	zswap_writeback(state, true);
}

static void test_zswap_writeback_disabled(void **state)
{
	zswap_writeback(state, false);
}

/*
 * test_no_invasive_cgroup_shrink: a group with memory.max 32M and
 * memory.zswap.max 64K and a control group with memory.max 32M each
 * allocate 64 MB (here 2M, 64K, 2M and 4 MB): only the first one's pages
 * are written back.
 */
static void test_no_invasive_cgroup_shrink(void **state)
{
	struct zsim_process *wb_proc, *ctl_proc;
	struct zsim_region *r;

	boot(state);
	vm_memcg_create("/", "wb_group");
	vm_memcg_create("/", "control_group");
	assert_int_equal(zsim_memcg_write("/wb_group", "memory.max", "2M"), 0);
	assert_int_equal(zsim_memcg_write("/wb_group", "memory.zswap.max", "64K"), 0);
	assert_int_equal(zsim_memcg_write("/control_group", "memory.max", "2M"), 0);
	assert_int_equal(run_alloc("/control_group", MB(4), false, 106, &ctl_proc, &r), 0);
	assert_int_equal(run_alloc("/wb_group", MB(4), false, 107, &wb_proc, &r), 0);
	assert_true(vm_stat("/wb_group", "zswpwb") > 0);
	assert_int_equal(vm_stat("/control_group", "zswpwb"), 0);
	assert_int_equal(zsim_process_destroy(wb_proc), 0);
	assert_int_equal(zsim_process_destroy(ctl_proc), 0);
	vm_shutdown();
}

/*
 * test_zswap_incompressible (mm-new): 4 MB of /dev/urandom, then
 * MADV_PAGEOUT: zswap_incomp > 0 while the memory is still there. Here
 * the corpus's incompressible pages of a 4 MB region are paged out, and
 * zswap's stored_incompressible_pages (debugfs) is the counter: the
 * simulator's memory.stat has no zswap_incomp yet.
 */
static void test_zswap_incompressible(void **state)
{
	static unsigned char page[CORPUS_PAGE_SIZE];
	unsigned long i, nr = MB(4) / VM_PAGE_SIZE, random = 0;
	struct zsim_process *proc;
	struct zsim_region *r;

	boot(state);
	vm_memcg_create("/", "zswap_incompressible_test");
	assert_int_equal(run_alloc("/zswap_incompressible_test", MB(4), false, 108, &proc, &r), 0);
	for (i = 0; i < nr; i++) {
		if (corpus_gen_page(108, (uint64_t)1 << 32 | i, NULL, page) != CORPUS_RANDOM)
			continue;
		assert_int_equal(zsim_pageout(r, i, 1), 0);
		random++;
	}
	assert_true(random > 0);
	assert_true(zswap_debugfs("stored_incompressible_pages") > 0);
	/* Stored raw: a whole page each. */
	assert_true(vm_stat("/zswap_incompressible_test", "zswap") >=
		    zswap_debugfs("stored_incompressible_pages") * VM_PAGE_SIZE);
	assert_int_equal(zsim_touch(r, 0, nr, false), 0);
	assert_int_equal(zsim_process_destroy(proc), 0);
	vm_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_FREE(test_zswap_usage),
		ZSIM_TEST_FREE(test_swapin_nozswap),
		ZSIM_TEST_FREE(test_zswapin),
		ZSIM_TEST_FREE(test_zswap_writeback_enabled),
		ZSIM_TEST_FREE(test_zswap_writeback_disabled),
		ZSIM_TEST_FREE(test_no_invasive_cgroup_shrink),
		ZSIM_TEST_FREE(test_zswap_incompressible),
	};

	return cmocka_run_group_tests_name("zswap_selftests", tests, NULL, NULL);
}
