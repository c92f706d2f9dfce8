// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap data integrity: randomised runs in which tasks store, load,
 * invalidate, write back and reload pages while a chaos task switches the
 * compressor (lz4, zstd, deflate, deflate-iaa), changes memcg limits and
 * takes CPUs down and up, in both lifetime models of the per-CPU contexts
 * and both scheduling backends. Every page loaded is compared byte for byte
 * with what was stored, every page stored is loaded or invalidated in the
 * end (nothing stored is lost), and the counters agree with what the tasks
 * saw. And CPU hotplug at any point of store and load, from a task of the
 * machine so that its timing is a scheduling decision, over many seeds in
 * the controlled backend.
 *
 * ZSWAPSIM_SOAK=seconds makes the randomised tests repeat with new seeds
 * for that long (each test); the default is one bounded round.
 */
#include "zswap_test.h"

#include <linux/cpu.h>
#include <linux/shrinker.h>
#include <sim/memcg.h>
#include <sim/sched.h>
#include <time.h>

#define NR_SLOTS	4096
#define NR_WORKERS	2
#define MAX_SETS	24		/* live page sets per worker */
#define NR_MEMCGS	2
#define HOTPLUG_SEEDS	100		/* per lifetime model */
#define CHAOS_EVERY	4		/* worker operations per chaos action */

static const char *const lifetimes[] = { "pool", "hotplug" };
static const char *const compressors[] = { "lz4", "zstd", "deflate", "deflate-iaa" };
static const char *const memcg_names[NR_MEMCGS] = { "/ia", "/ib" };

static u64 next_rand(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Seconds from ZSWAPSIM_SOAK, 0 without it. */
static unsigned long soak_seconds(void)
{
	const char *s = getenv("ZSWAPSIM_SOAK");

	return s ? strtoul(s, NULL, 10) : 0;
}

static u64 now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* ---- the checker ---- */

/*
 * zswap writeback's __swap_writepage() unlocks the folio before its write
 * completes, so a task that locks it may see PG_writeback; the shim has no
 * folio_wait_writeback() (its writes finish in their submitter): poll.
 */
static void wait_writeback(struct folio *folio)
{
	while (folio_test_writeback(folio))
		sched_spin_wait();
}

/*
 * Swap page @i of @s back in and compare it with what was stored: from
 * the swap cache if zswap writeback put it there, else through
 * swap_read_folio() (zswap first, then the device). Another worker's
 * writeback may be working on the slot meanwhile: a cached folio is
 * re-checked under its lock, and a folio that writeback added first is
 * used instead of ours.
 */
static int check_page(struct swapped *s, long i)
{
	swp_entry_t entry = { s->entry.val + i };
	struct folio *folio;
	bool ok;
	int err;

	for (;;) {
		folio = swap_cache_get_folio(entry);
		if (folio) {
			folio_lock(folio);
			if (!folio_matches_swap_entry(folio, entry)) {
				/* Writeback gave it up: look again. */
				folio_unlock(folio);
				folio_put(folio);
				continue;
			}
			wait_writeback(folio);
			ok = folio_test_uptodate(folio) &&
			     page_matches(folio_address(folio) + (entry.val - folio->swap.val) *
					  PAGE_SIZE, s->kind, s->seed, i);
			swap_cache_del_folio(folio);
			folio_unlock(folio);
			folio_put(folio);
			return ok ? 0 : -EBADMSG;
		}
		folio = anon_folio(0);
		folio_clear_uptodate(folio);
		err = swap_cache_add_folio(folio, entry);
		if (!err)
			break;
		release_folio(folio);
		if (err != -EEXIST)
			return err;
	}
	swap_read_folio(folio, NULL);
	if (!folio_test_uptodate(folio)) {
		/* An injected or device error leaves the copy: retry once. */
		folio_lock(folio);
		swap_read_folio(folio, NULL);
	}
	err = 0;
	if (!folio_test_uptodate(folio))
		err = -EIO;
	else if (!page_matches(folio_address(folio), s->kind, s->seed, i))
		err = -EBADMSG;
	folio_lock(folio);
	swap_cache_del_folio(folio);
	release_folio(folio);
	return err;
}

/*
 * Every page of @s, then drop its slots. Unlike zswap_test.h's
 * swap_in_check(), it cleans up whatever it finds, so that a test can
 * check that it catches a bad page: 0, -EBADMSG (a page differs from what
 * was stored: corrupted, or lost and read from a slot never written),
 * -EIO (a read failed twice), -ENOENT (a slot was freed).
 */
static int load_check(struct swapped *s)
{
	long i, nr = 1L << s->order;
	int ret = 0, err;

	for (i = 0; i < nr; i++) {
		err = check_page(s, i);
		ret = ret ?: err;
	}
	if (ret != -ENOENT)
		swap_put_entries_direct(s->entry, nr);
	return ret;
}

/*
 * The process unmapped @s: drop the swap counts, then free what zswap
 * writeback left in the swap cache, as free_swap_and_cache() does: only a
 * folio whose slots have no count left (folio_free_swap()), for a freed
 * slot may already hold another task's new folio. The slots' freeing
 * calls zswap_invalidate().
 */
static void drop_set(struct swapped *s)
{
	long i, nr = 1L << s->order;

	swap_put_entries_direct(s->entry, nr);
	for (i = 0; i < nr; i++) {
		struct folio *folio = swap_cache_get_folio((swp_entry_t){ s->entry.val + i });

		if (!folio)
			continue;
		folio_lock(folio);
		wait_writeback(folio);
		folio_free_swap(folio);
		folio_unlock(folio);
		folio_put(folio);
	}
}

/* ---- randomised runs ---- */

struct integrity {
	struct mem_cgroup *memcg[NR_MEMCGS];
	atomic_t	workers_left;
	atomic_t	progress;		/* operations of all workers */
	atomic_t	actions;		/* of the chaos task */
	bool		chaos_started;		/* one action of each kind done */
	u64		seed;
	unsigned int	nr_ops;			/* per worker */
	/* Filled by the tasks, checked by the test thread. */
	long		stored_pages[NR_WORKERS];	/* zswap_store() said yes */
	unsigned long	ops[NR_WORKERS][6];
	unsigned long	chaos[4];		/* switches, limits, downs, ups */
};

struct worker {
	struct integrity *it;
	int		id;
	struct swapped	set[MAX_SETS];
	unsigned int	nr;
};

enum { OP_STORE, OP_LOAD, OP_INVALIDATE, OP_WRITEBACK, OP_RELOAD, OP_REWRITE };

static int store_set(struct worker *w, struct swapped *s, u64 *rnd, enum page_kind kind,
		     u32 seed)
{
	unsigned int order = next_rand(rnd) % 4 == 0 ? 2 : 0;
	struct mem_cgroup *memcg = w->it->memcg[next_rand(rnd) % NR_MEMCGS];

	CHECK(swap_out(s, order, kind, seed, memcg) == 0);
	if (s->stored)
		w->it->stored_pages[w->id] += 1L << order;
	return 0;
}

static int integrity_worker(void *arg)
{
	struct worker *w = arg;
	struct integrity *it = w->it;
	u64 rnd = it->seed * 7919 + w->id;
	u32 gen = (w->id + 1) << 24;
	unsigned int n, i;
	int ret = 0;

	for (n = 0; n < it->nr_ops && !ret; n++) {
		unsigned int op = next_rand(&rnd) % 10;
		struct swapped *s;

		/* Keep pace with the chaos task, in either backend. */
		while (atomic_read(&it->actions) * CHAOS_EVERY < n)
			msleep(1);
		atomic_inc(&it->progress);

		/* 3 in 10 stores, else one of the other operations. */
		op = op < 3 ? OP_STORE : 1 + op % 5;
		if (op == OP_STORE || !w->nr) {
			if (w->nr == MAX_SETS)
				continue;
			s = &w->set[w->nr++];
			ret = store_set(w, s, &rnd, next_rand(&rnd) % 3, gen++);
			it->ops[w->id][OP_STORE]++;
			continue;
		}
		i = next_rand(&rnd) % w->nr;
		s = &w->set[i];
		it->ops[w->id][op]++;
		switch (op) {
		case OP_LOAD:
			ret = load_check(s);
			w->set[i] = w->set[--w->nr];
			break;
		case OP_INVALIDATE:
			drop_set(s);
			w->set[i] = w->set[--w->nr];
			break;
		case OP_WRITEBACK:
			shrink_slab(GFP_KERNEL, 0, it->memcg[next_rand(&rnd) % NR_MEMCGS],
				    next_rand(&rnd) % 4);
			break;
		case OP_RELOAD:
			/* Swapped in, then out again with the same contents. */
			ret = load_check(s) ?: store_set(w, s, &rnd, s->kind, s->seed);
			break;
		case OP_REWRITE:
			/* Swapped in and written: out again with new contents. */
			ret = load_check(s) ?: store_set(w, s, &rnd, s->kind, gen++);
			break;
		}
	}
	/* Nothing stored may be lost: every set comes back, after some chaos. */
	while (!ret && !READ_ONCE(it->chaos_started))
		msleep(1);
	for (i = 0; i < w->nr && !ret; i++)
		ret = load_check(&w->set[i]);
	w->nr = 0;
	atomic_dec(&it->workers_left);
	return ret;
}

/*
 * Compressor switches, memory.zswap.max and memory.zswap.writeback
 * changes, and CPUs 1..3 going down and up, in a seeded order, one every
 * CHAOS_EVERY or so worker operations (the workers wait for it too, so
 * the pace holds in both backends) until the workers are done; the
 * workers run on CPUs 1 and 2, this task on 0.
 */
static int chaos_task(void *arg)
{
	static const char *const limits[] = { "max", "0", "16K", "256K", "max" };
	static const unsigned int first[] = { 0, 2, 5 };	/* switch, limit, CPU */
	struct integrity *it = arg;
	u64 rnd = it->seed ^ 0xc4a05;
	bool down[4] = { };
	unsigned int cpu, n;
	int target, ret = 0;

	for (n = 0; (n < ARRAY_SIZE(first) || atomic_read(&it->workers_left)) && !ret; n++) {
		/* One of each kind first, so that every run has them all. */
		unsigned int act = n < ARRAY_SIZE(first) ? first[n] : next_rand(&rnd) % 8;
		const char *memcg = memcg_names[next_rand(&rnd) % NR_MEMCGS];
		struct mem_cgroup *m = mem_cgroup_lookup(memcg);

		if (IS_ERR(m))
			return PTR_ERR(m);
		if (act < 2) {
			const char *name = compressors[next_rand(&rnd) % ARRAY_SIZE(compressors)];

			ret = zsim_param_set("zswap", "compressor", name);
			it->chaos[0]++;
		} else if (act < 4) {
			ret = mem_cgroup_file_write(m, "memory.zswap.max",
						    limits[next_rand(&rnd) % ARRAY_SIZE(limits)]);
			it->chaos[1]++;
		} else if (act == 4) {
			ret = mem_cgroup_file_write(m, "memory.zswap.writeback",
						    next_rand(&rnd) % 3 ? "1" : "0");
			it->chaos[1]++;
		} else {
			cpu = 1 + next_rand(&rnd) % 3;
			ret = down[cpu] ? add_cpu(cpu) : remove_cpu(cpu);
			it->chaos[down[cpu] ? 3 : 2]++;
			down[cpu] = !down[cpu];
		}
		mem_cgroup_put(m);
		if (n == ARRAY_SIZE(first) - 1)
			WRITE_ONCE(it->chaos_started, true);
		/* The next action after a few more worker operations. */
		target = (atomic_inc_return(&it->actions) - 1) * CHAOS_EVERY +
			 next_rand(&rnd) % (2 * CHAOS_EVERY);
		while (atomic_read(&it->progress) < target && atomic_read(&it->workers_left))
			msleep(1);
	}
	for (cpu = 1; cpu < 4 && !ret; cpu++)
		if (down[cpu])
			ret = add_cpu(cpu);
	return ret;
}

static int setup_task(void *arg)
{
	struct integrity *it = arg;
	int i;

	for (i = 0; i < NR_MEMCGS; i++) {
		it->memcg[i] = mem_cgroup_lookup(memcg_names[i]);
		CHECK(!IS_ERR(it->memcg[i]));
	}
	return 0;
}

static int put_memcgs_task(void *arg)
{
	struct integrity *it = arg;
	int i;

	for (i = 0; i < NR_MEMCGS; i++)
		mem_cgroup_put(it->memcg[i]);
	return 0;
}

static void integrity_run(void **state, const char *lifetime, u64 seed, unsigned int nr_ops)
{
	struct integrity it = { .seed = seed, .nr_ops = nr_ops };
	struct worker w[NR_WORKERS];
	struct zsim_task *t[NR_WORKERS], *chaos;
	long stored = 0;
	int i;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	zswap_test_boot(state, 4, seed, 0, lifetime);
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	for (i = 0; i < NR_MEMCGS; i++)
		assert_int_equal(zsim_memcg_create(NULL, memcg_names[i] + 1), 0);
	RUN(setup_task, &it);
	atomic_set(&it.workers_left, NR_WORKERS);
	for (i = 0; i < NR_WORKERS; i++) {
		w[i] = (struct worker){ .it = &it, .id = i };
		t[i] = zsim_spawn(1 + i, integrity_worker, &w[i], i ? "integ-b" : "integ-a");
		assert_non_null(t[i]);
	}
	chaos = zsim_spawn(0, chaos_task, &it, "chaos");
	assert_non_null(chaos);
	for (i = 0; i < NR_WORKERS; i++) {
		int ret = zsim_join(t[i]);

		if (ret)
			fail_msg("%s seed %llu: worker %d: %d", lifetime,
				 (unsigned long long)seed, i, ret);
		stored += it.stored_pages[i];
	}
	assert_int_equal(zsim_join(chaos), 0);
	/* Every operation and chaos action happened. */
	for (i = 0; i < 6; i++)
		assert_true(it.ops[0][i] + it.ops[1][i] > 0);
	assert_true(it.chaos[0] && it.chaos[1] && it.chaos[2]);
	assert_true(stored > 0);
	/* Each page zswap took is counted once; none is left behind. */
	assert_int_equal(vmstat_event("zswpout"), stored);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	assert_int_equal(zswap_stat("stored_incompressible_pages"), 0);
	assert_int_equal(zswap_stat("written_back_pages"), vmstat_event("zswpwb"));
	assert_int_equal(zswap_stat("decompress_fail"), 0);
	RUN(put_memcgs_task, &it);
	for (i = 0; i < NR_MEMCGS; i++)
		assert_int_equal(zsim_memcg_destroy(memcg_names[i]), 0);
	assert_int_equal(zsim_param_set("zswap", "compressor", "lz4"), 0);
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
}

/* One bounded run per lifetime model, or ZSWAPSIM_SOAK seconds of them. */
static void integrity_rounds(void **state, u64 first_seed, unsigned int nr_ops)
{
	u64 deadline = now_s() + soak_seconds(), seed = first_seed;

	do {
		integrity_run(state, lifetimes[seed & 1], seed, nr_ops);
		integrity_run(state, lifetimes[!(seed & 1)], seed + 1, nr_ops);
		seed += 2;
	} while (now_s() < deadline);
}

static void test_integrity_random(void **state)
{
	integrity_rounds(state, 1, 120);
}

/* Larger runs of the same, a few seeds. */
static void test_integrity_seeds(void **state)
{
	integrity_rounds(state, 100, 60);
	integrity_rounds(state, 200, 60);
}

/* ---- the checker can fail ---- */

struct bad {
	struct mem_cgroup *memcg;
	int mismatch, flipped, lost, intact;
};

#define NR_WB_SETS	16

/*
 * Store NR_WB_SETS pages charged to @memcg (a single small entry would
 * scale the shrinker's count to zero), write some back and corrupt one
 * byte of the first one found in the swap cache: 0 if all others check
 * out and the corrupted one fails with -EBADMSG.
 */
static int flip_written_back(struct mem_cgroup *memcg, int *flipped)
{
	struct swapped s[NR_WB_SETS];
	int i, victim = -1;

	for (i = 0; i < NR_WB_SETS; i++)
		CHECK(swap_out(&s[i], 0, PAGE_TEXT, 20 + i, memcg) == 0);
	for (i = 0; i < 4; i++)
		shrink_slab(GFP_KERNEL, 0, memcg, 0);
	CHECK(zswap_stat("written_back_pages") > 0);
	for (i = 0; i < NR_WB_SETS && victim < 0; i++) {
		struct folio *folio = swap_cache_get_folio(s[i].entry);

		if (!folio)
			continue;
		folio_lock(folio);
		((unsigned char *)folio_address(folio))[PAGE_SIZE / 2] ^= 0x10;
		folio_unlock(folio);
		folio_put(folio);
		victim = i;
	}
	CHECK(victim >= 0);
	for (i = 0; i < NR_WB_SETS; i++) {
		int ret = load_check(&s[i]);

		if (i == victim)
			*flipped = ret;
		else
			CHECK(ret == 0);
	}
	return 0;
}

/* Other contents, a flipped byte, and a page zswap dropped are all caught. */
static int checker_task(void *arg)
{
	struct bad *b = arg;
	struct swapped s;
	int ret;

	CHECK(swap_out(&s, 0, PAGE_TEXT, 11, NULL) == 0);
	CHECK(s.stored);
	CHECK(load_check(&s) == 0);
	/* The record says another seed: zswap_load()'s page differs. */
	CHECK(swap_out(&s, 0, PAGE_TEXT, 12, NULL) == 0);
	s.seed = 13;
	b->mismatch = load_check(&s);
	/* One byte flipped in a written-back copy in the swap cache. */
	b->memcg = mem_cgroup_lookup("/ia");
	CHECK(!IS_ERR(b->memcg));
	ret = flip_written_back(b->memcg, &b->flipped);
	mem_cgroup_put(b->memcg);
	CHECK(ret == 0);
	/* Lost: zswap forgets an entry while its slot is still in use. */
	CHECK(swap_out(&s, 2, PAGE_TEXT, 15, NULL) == 0);
	CHECK(s.stored);
	zswap_invalidate((swp_entry_t){ s.entry.val + 1 });
	b->lost = load_check(&s);
	CHECK(swap_out(&s, 0, PAGE_MIXED, 16, NULL) == 0);
	b->intact = load_check(&s);
	return 0;
}

static void test_checker_catches(void **state)
{
	struct bad b;

	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "Y"), 0);
	zswap_test_boot(state, 2, 5, 0, "pool");
	assert_true(zsim_swapon(NR_SLOTS, NULL, 0, 0) >= 0);
	assert_int_equal(zsim_memcg_create(NULL, "ia"), 0);
	RUN(checker_task, &b);
	assert_int_equal(zsim_memcg_destroy("/ia"), 0);
	assert_int_equal(b.mismatch, -EBADMSG);
	assert_int_equal(b.flipped, -EBADMSG);
	assert_int_equal(b.lost, -EBADMSG);
	assert_int_equal(b.intact, 0);
	assert_int_equal(zswap_stat("stored_pages"), 0);
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("zswap", "shrinker_enabled", "N"), 0);
}

/* ---- hotplug at any point of store and load ---- */

struct hp_worker {
	u32 seed;
	int rounds;
};

static int hp_worker_task(void *arg)
{
	struct hp_worker *w = arg;
	struct swapped s;
	int i;

	for (i = 0; i < w->rounds; i++) {
		CHECK(swap_out(&s, i % 3 == 1 ? 2 : 0, PAGE_MIXED, w->seed + i, NULL) == 0);
		CHECK(load_check(&s) == 0);
	}
	return 0;
}

struct hp_control {
	u64 seed;
	int downs;
};

/*
 * Takes the workers' CPUs down and up from inside the machine: where in a
 * store or load that lands is up to the scheduler (and the seed).
 */
static int hp_control_task(void *arg)
{
	struct hp_control *c = arg;
	u64 rnd = c->seed;
	int i, k;

	for (i = 0; i < 3; i++) {
		unsigned int cpu = 1 + next_rand(&rnd) % 2;

		for (k = next_rand(&rnd) % 16; k > 0; k--)
			cond_resched();
		CHECK(remove_cpu(cpu) == 0);
		c->downs++;
		for (k = next_rand(&rnd) % 16; k > 0; k--)
			cond_resched();
		CHECK(add_cpu(cpu) == 0);
	}
	return 0;
}

static void hotplug_seeds(void **state, const char *lifetime)
{
	u64 seed;

	for (seed = 1; seed <= HOTPLUG_SEEDS; seed++) {
		struct hp_worker w[2] = { { 100, 4 }, { 200, 4 } };
		struct hp_control c = { .seed = seed };
		struct zsim_task *t[3];
		int i;

		zswap_test_boot(state, 3, seed, 0, lifetime);
		assert_true(zsim_swapon(256, NULL, 0, 0) >= 0);
		t[0] = zsim_spawn(1, hp_worker_task, &w[0], "hp-a");
		t[1] = zsim_spawn(2, hp_worker_task, &w[1], "hp-b");
		t[2] = zsim_spawn(0, hp_control_task, &c, "hp-ctl");
		for (i = 0; i < 3; i++) {
			assert_non_null(t[i]);
			if (zsim_join(t[i]))
				fail_msg("%s seed %llu: task %d failed", lifetime,
					 (unsigned long long)seed, i);
		}
		assert_int_equal(c.downs, 3);
		assert_int_equal(zswap_stat("stored_pages"), 0);
		assert_int_equal(vmstat_event("zswpout"), vmstat_event("zswpin"));
		zsim_test_shutdown_clean();
	}
}

static void test_hotplug_any_point_pool(void **state)
{
	hotplug_seeds(state, "pool");
}

static void test_hotplug_any_point_hotplug(void **state)
{
	hotplug_seeds(state, "hotplug");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_checker_catches),
		ZSIM_TEST_BOTH(test_integrity_random),
		ZSIM_TEST_CONTROLLED(test_integrity_seeds),
		ZSIM_TEST_CONTROLLED(test_hotplug_any_point_pool),
		ZSIM_TEST_CONTROLLED(test_hotplug_any_point_hotplug),
	};

	return cmocka_run_group_tests_name("zswap_integrity", tests, NULL, NULL);
}
