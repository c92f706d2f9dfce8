// SPDX-License-Identifier: GPL-2.0-only
/*
 * The general race-fuzz workload: see workload.h.
 *
 * Workers: each maps regions of a random folio order (0, 2 or 4) in a
 * process of its own memcg, writes them, then pages ranges out
 * (MADV_PAGEOUT: reclaim, zswap_store() or the device), reads them (swap-in:
 * zswap_load() or the device, every page compared with what was written:
 * -EBADMSG on a difference) and rewrites them (the old slots freed:
 * zswap_invalidate()), then reads everything back and unmaps it.
 *
 * Chaos tasks: one per enum fz_chaos kind of the plan, each doing up to
 * plan->actions actions at random moments while workers run, then putting
 * the machine back (every CPU online, the compressor of the options).
 */
#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/shrinker.h>
#include <linux/swap.h>
#include <sim/migrate.h>
#include <sim/sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

/* Folio orders the workers map: 4 KB, 16 KB and 64 KB folios. */
static const unsigned int fz_orders[] = { 0, 2, 4 };

struct fz_ctx {
	const struct fuzz_opts	*o;
	const struct fz_plan	*plan;
	atomic_t		workers_left;
	int			swapoff_type;	/* the second device, -1 while off */
	unsigned long		swapoff_slots;
	unsigned int		nr_tasks;	/* workers + chaos tasks */
};

/* A task's choices: its slice of the fuzzer input, then its random stream. */
struct fz_stream {
	const uint8_t		*in;
	size_t			len;
	size_t			pos;
	size_t			stride;
};

struct fz_task {
	struct fz_ctx		*ctx;
	struct fz_stream	s;
	struct zsim_task	*task;
	unsigned int		id;
	unsigned int		kind;		/* enum fz_chaos bit, 0: a worker */
	int			ret;
	char			why[160];
};

static u32 fz_pick(struct fz_stream *s, u32 n)
{
	u32 v;

	if (n <= 1)
		return 0;
	if (s->pos < s->len) {
		v = s->in[s->pos];
		s->pos += s->stride;
		return v % n;
	}
	return get_random_u32_below(n);
}

static __printf(3, 4) int fz_fail(struct fz_task *t, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
	t->ret = err;
	return err;
}

/* An access that may fail only with the kernel's OOM (memory.max). */
static int fz_access(struct fz_task *t, struct zsim_region *r, unsigned long first,
		     unsigned long nr, bool write)
{
	int ret = zsim_touch(r, first, nr, write);

	if (!ret || ret == -ENOMEM)
		return 0;
	return fz_fail(t, ret, "worker %u: %s of pages %lu-%lu failed: %d%s", t->id,
		       write ? "write" : "read", first, first + nr - 1, ret,
		       ret == -EBADMSG ? " (a page came back with other contents)" : "");
}

static int fz_worker_ops(struct fz_task *t, struct zsim_process *proc, struct zsim_region *r)
{
	const struct fz_plan *p = t->ctx->plan;
	char parent[8];
	unsigned int i;
	int ret;

	ret = fz_access(t, r, 0, p->pages, true);
	/*
	 * With memcg chaos, half the time the process moves to the parent
	 * once its pages are in: they stay charged to its own memcg, which
	 * the chaos may then remove under it (a zombie while they live). A
	 * cgroup with a process in it cannot be removed, as in the kernel.
	 * (Other scenarios draw nothing here: their schedules stay as they
	 * were.)
	 */
	snprintf(parent, sizeof(parent), "/fz%u", t->id % 2);
	if (!ret && (p->chaos & FZ_MEMCG) && fz_pick(&t->s, 2)) {
		ret = zsim_process_move(proc, parent);
		if (ret)
			fz_fail(t, ret, "worker %u: move to %s failed: %d", t->id, parent, ret);
	}
	for (i = 0; i < p->ops && !ret; i++) {
		unsigned long first = fz_pick(&t->s, p->pages);
		unsigned long nr = 1 + fz_pick(&t->s, p->pages - first);

		switch (fz_pick(&t->s, 4)) {
		case 0:
			first = 0;
			nr = p->pages;
			fallthrough;
		case 1:
			ret = zsim_pageout(r, first, nr);
			if (ret)
				fz_fail(t, ret, "worker %u: pageout failed: %d", t->id, ret);
			break;
		case 2:
			ret = fz_access(t, r, first, nr, false);
			break;
		default:
			ret = fz_access(t, r, first, nr, true);
			break;
		}
	}
	/* Everything that went out must come back as written. */
	if (!ret)
		ret = fz_access(t, r, 0, p->pages, false);
	return ret;
}

static int fz_worker_round(struct fz_task *t, unsigned int round)
{
	unsigned int order = fz_orders[fz_pick(&t->s, ARRAY_SIZE(fz_orders))];
	struct zsim_process *proc;
	struct zsim_region *r;
	char memcg[32];
	int ret;

	/* Its memcg may be offline (chaos rmdir): then the parent's. */
	snprintf(memcg, sizeof(memcg), "/fz%u/w%u", t->id % 2, t->id);
	ret = zsim_process_create(memcg, &proc);
	if (ret == -ENOENT) {
		memcg[4] = '\0';
		ret = zsim_process_create(memcg, &proc);
	}
	if (ret)
		return fz_fail(t, ret, "worker %u: process in %s: %d", t->id, memcg, ret);
	ret = zsim_mmap(proc, t->ctx->plan->pages, order,
			t->ctx->o->seed * 1000 + t->id * 100 + round, &r);
	if (ret) {
		fz_fail(t, ret, "worker %u: mmap of order %u: %d", t->id, order, ret);
	} else {
		ret = fz_worker_ops(t, proc, r);
		/* munmap: the slots still swapped out are invalidated. */
		zsim_munmap(r);
	}
	zsim_process_destroy(proc);
	return ret;
}

static int fz_worker(void *arg)
{
	struct fz_task *t = arg;
	unsigned int round;
	int ret = 0;

	for (round = 0; round < t->ctx->plan->rounds && !ret; round++)
		ret = fz_worker_round(t, round);
	atomic_dec(&t->ctx->workers_left);
	return ret;
}

/* ---- chaos ---- */

static int fz_hotplug(struct fz_task *t)
{
	unsigned int cpu = fz_pick(&t->s, nr_cpu_ids);
	bool down = cpu_online(cpu);
	int ret = down ? remove_cpu(cpu) : add_cpu(cpu);

	/* The last online CPU (-EBUSY) is refused, as in the kernel. */
	if (ret && ret != -EBUSY)
		return fz_fail(t, ret, "%s(%u) failed: %d", down ? "remove_cpu" : "add_cpu",
			       cpu, ret);
	return 0;
}

static int fz_migrate(struct fz_task *t)
{
	sim_migrate_random_movable(1 + fz_pick(&t->s, 8), get_random_u64());
	return 0;
}

static int fz_shrink(struct fz_task *t)
{
	int priority = fz_pick(&t->s, 13);	/* vmscan's DEF_PRIORITY 12 .. 0 */
	char memcg[16];
	long ret;

	if (fz_pick(&t->s, 2)) {
		/* The root: every shrinker, zswap's and zsmalloc's compaction. */
		shrink_slab(GFP_KERNEL, 0, NULL, priority);
		return 0;
	}
	snprintf(memcg, sizeof(memcg), "/fz%u", fz_pick(&t->s, 2));
	ret = zsim_shrink_slab(0, memcg, priority);
	if (ret < 0)
		return fz_fail(t, ret, "shrink_slab of %s failed: %ld", memcg, ret);
	return 0;
}

static int fz_swapoff(struct fz_task *t)
{
	struct fz_ctx *ctx = t->ctx;
	int ret;

	if (ctx->swapoff_type < 0) {
		ret = ksys_swapon(ctx->swapoff_slots, NULL, 0, 0);
		if (ret < 0)
			return fz_fail(t, ret, "swapon failed: %d", ret);
		ctx->swapoff_type = ret;
		return 0;
	}
	/* -EBUSY while workers' pages hold its slots. */
	ret = ksys_swapoff(ctx->swapoff_type);
	if (!ret)
		ctx->swapoff_type = -1;
	else if (ret != -EBUSY)
		return fz_fail(t, ret, "swapoff of type %d failed: %d", ctx->swapoff_type, ret);
	return 0;
}

static int fz_memcg(struct fz_task *t)
{
	static const char *const zswap_max[] = { "0", "64K", "256K", "max" };
	static const char *const mem_max[] = { "256K", "1M", "max" };
	unsigned int w = fz_pick(&t->s, t->ctx->o->nr_tasks);
	char parent[16], child[16], path[40];
	int ret;

	snprintf(parent, sizeof(parent), "/fz%u", w % 2);
	snprintf(child, sizeof(child), "w%u", w);
	snprintf(path, sizeof(path), "%s/%s", parent, child);
	switch (fz_pick(&t->s, 6)) {
	case 0:
		ret = zsim_memcg_write(parent, "memory.zswap.max", zswap_max[fz_pick(&t->s, 4)]);
		break;
	case 1:
		ret = zsim_memcg_write(path, "memory.max", mem_max[fz_pick(&t->s, 3)]);
		break;
	case 2:
		ret = zsim_memcg_write(path, "memory.zswap.writeback",
				       fz_pick(&t->s, 2) ? "1" : "0");
		break;
	case 3:
		ret = zsim_memcg_write(parent, "memory.reclaim", "64K");
		break;
	case 4:
		/* Offline, a zombie while its pages live (-EBUSY with a process in it). */
		ret = zsim_memcg_destroy(path);
		break;
	default:
		ret = zsim_memcg_create(parent, child);
		break;
	}
	if (ret && ret != -ENOENT && ret != -EEXIST && ret != -EBUSY && ret != -EAGAIN)
		return fz_fail(t, ret, "memcg operation on %s failed: %d", path, ret);
	return 0;
}

static int fz_compressor(struct fz_task *t)
{
	static const char *const names[] = { "lz4", "zstd", "lz4hc", "deflate" };
	const char *name = names[fz_pick(&t->s, ARRAY_SIZE(names))];
	int ret = zsim_param_set("zswap", "compressor", name);

	if (ret && ret != -ENOENT)
		return fz_fail(t, ret, "switch to compressor %s failed: %d", name, ret);
	return 0;
}

static int (*const fz_actions[])(struct fz_task *t) = {
	[0] = fz_hotplug,
	[1] = fz_migrate,
	[2] = fz_shrink,
	[3] = fz_swapoff,
	[4] = fz_memcg,
	[5] = fz_compressor,
};

static const char *const fz_chaos_names[] = {
	"hotplug", "migrate", "shrink", "swapoff", "memcg", "compressor",
};

/* Put back what the chaos left: every CPU online, the chosen compressor. */
static int fz_chaos_restore(struct fz_task *t)
{
	unsigned int cpu;
	int ret;

	if (t->kind == FZ_HOTPLUG) {
		for_each_present_cpu(cpu) {
			if (cpu_online(cpu))
				continue;
			ret = add_cpu(cpu);
			if (ret)
				return fz_fail(t, ret, "add_cpu(%u) at the end failed: %d", cpu, ret);
		}
	}
	if (t->kind == FZ_COMPRESSOR && t->ctx->o->compressor) {
		ret = zsim_param_set("zswap", "compressor", t->ctx->o->compressor);
		if (ret)
			return fz_fail(t, ret, "compressor %s back failed: %d",
				       t->ctx->o->compressor, ret);
	}
	return 0;
}

/*
 * Pause a moment between actions so that they fall anywhere in the
 * workers' runs: a few thousand scheduling steps in the controlled
 * backend (virtual time), a storm of short host sleeps free-running.
 */
static void fz_pause(struct fz_task *t)
{
	if (t->ctx->o->controlled)
		usleep_range(100, 100 + 100 * fz_pick(&t->s, 8));
	else
		usleep_range(20, 20 + 20 * fz_pick(&t->s, 8));
}

static int fz_chaos(void *arg)
{
	struct fz_task *t = arg;
	int (*action)(struct fz_task *t) = fz_actions[__builtin_ctz(t->kind)];
	unsigned int n = t->ctx->plan->actions, done = 0;
	int ret;

	if (!t->ctx->o->controlled)
		n *= 4;
	while (done < n && atomic_read(&t->ctx->workers_left) > 0) {
		fz_pause(t);
		ret = action(t);
		if (ret)
			return ret;
		done++;
	}
	pr_info("race-fuzz: %s: %u actions\n", current->comm, done);
	return fz_chaos_restore(t);
}

/* ---- the run, from the test thread ---- */

static int fz_setup(struct fz_ctx *ctx, char *why, size_t len)
{
	const struct fuzz_opts *o = ctx->o;
	unsigned long slots = o->nr_tasks * ctx->plan->pages * 2 + 64;
	unsigned int i;
	char name[16];
	int ret;

	/* With swapoff chaos the first device holds half: the rest spills over. */
	ret = zsim_swapon(ctx->plan->chaos & FZ_SWAPOFF ? slots / 2 : slots, NULL, 0, 0);
	if (ret < 0)
		goto fail;
	if (ctx->plan->chaos & FZ_SWAPOFF) {
		ctx->swapoff_slots = slots;
		ret = zsim_swapon(slots, NULL, 0, 0);
		if (ret < 0)
			goto fail;
		ctx->swapoff_type = ret;
	}
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "fz%u", i);
		ret = zsim_memcg_create("/", name);
		if (ret)
			goto fail;
	}
	for (i = 0; i < o->nr_tasks; i++) {
		char parent[16];

		snprintf(parent, sizeof(parent), "/fz%u", i % 2);
		snprintf(name, sizeof(name), "w%u", i);
		ret = zsim_memcg_create(parent, name);
		if (ret)
			goto fail;
	}
	if (ctx->plan->chaos & FZ_WRITEBACK) {
		/* 1% of the machine's RAM: stores hit the limit. */
		ret = zsim_param_set("zswap", "max_pool_percent", "1");
		if (ret)
			goto fail;
	}
	return 0;
fail:
	snprintf(why, len, "setup of the workload failed: %d", ret);
	return ret;
}

/*
 * The reclaim that follows the processes' exit. A swap cache folio whose
 * last pte was unmapped while another task held it locked (reclaim, or
 * zswap writeback, whose folio is charged and on the LRU as any other)
 * stays in the cache, unmapped, as in the kernel, where a later reclaim
 * frees it (and its memcg, a zombie meanwhile). memory.reclaim of /fz<i>
 * still charged walks its offline children too; -EAGAIN: nothing more
 * could be reclaimed, which the leak checks then judge.
 */
static int fz_reclaim_leftovers(char *why, size_t len)
{
	char path[16], buf[32];
	unsigned int i;
	int ret;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/fz%u", i);
		ret = zsim_memcg_read(path, "memory.current", buf, sizeof(buf));
		if (ret < 0 || !strtoul(buf, NULL, 10))
			continue;
		ret = zsim_memcg_write(path, "memory.reclaim", "1M");
		if (ret && ret != -EAGAIN) {
			if (why)
				snprintf(why, len, "memory.reclaim of %s at the end failed: %d",
					 path, ret);
			return ret;
		}
	}
	return 0;
}

/* Reclaim what the processes left, then rmdir the memcgs, children first. */
static int fz_teardown(struct fz_ctx *ctx, char *why, size_t len)
{
	unsigned int i;
	char path[40];
	int ret;

	ret = fz_reclaim_leftovers(why, len);
	if (ret)
		return ret;
	for (i = 0; i < ctx->o->nr_tasks + 2; i++) {
		if (i < ctx->o->nr_tasks)
			snprintf(path, sizeof(path), "/fz%u/w%u", i % 2, i);
		else
			snprintf(path, sizeof(path), "/fz%u", i - ctx->o->nr_tasks);
		ret = zsim_memcg_destroy(path);
		if (ret && ret != -ENOENT) {
			if (why)
				snprintf(why, len, "rmdir %s at the end failed: %d", path, ret);
			return ret;
		}
	}
	if (ctx->plan->chaos & FZ_WRITEBACK) {
		ret = zsim_param_set("zswap", "max_pool_percent", "20");
		if (ret && why)
			snprintf(why, len, "max_pool_percent back to 20 failed: %d", ret);
		return ret;
	}
	return 0;
}

/*
 * Start @fn on @cpu, or on the next online CPU after it: in a free-running
 * soak the hotplug storm, started first, may already have taken @cpu down,
 * and zsim_spawn() refuses an offline CPU. (In the controlled backend no
 * task runs before the joins, so @cpu itself is taken.)
 */
static struct zsim_task *fz_spawn(unsigned int cpu, int (*fn)(void *), struct fz_task *t,
				  const char *name)
{
	unsigned int n;

	for (n = 0; n < nr_cpu_ids; n++, cpu = (cpu + 1) % nr_cpu_ids) {
		struct zsim_task *task;

		if (!cpu_online(cpu))
			continue;
		task = zsim_spawn(cpu, fn, t, name);
		if (task)
			return task;
	}
	return NULL;
}

int fz_run_plan(const struct fuzz_opts *o, const struct fz_plan *plan, char *why, size_t len)
{
	struct fz_ctx ctx = {
		.o = o,
		.plan = plan,
		.swapoff_type = -1,
	};
	unsigned int chaos = plan->chaos & ~FZ_WRITEBACK;
	unsigned int nr_chaos, i, k;
	struct fz_task *tasks;
	int ret, first = 0;

	/* Free-running soak runs get a hotplug storm whatever the scenario. */
	if (!o->controlled && o->nr_cpus > 1)
		chaos |= FZ_HOTPLUG;
	nr_chaos = __builtin_popcount(chaos);
	ctx.nr_tasks = o->nr_tasks + nr_chaos;
	tasks = calloc(ctx.nr_tasks, sizeof(*tasks));
	if (!tasks) {
		snprintf(why, len, "out of host memory");
		return -ENOMEM;
	}
	ret = fz_setup(&ctx, why, len);
	if (ret)
		goto out;
	atomic_set(&ctx.workers_left, o->nr_tasks);
	for (i = 0, k = 0; i < ctx.nr_tasks; i++) {
		struct fz_task *t = &tasks[i];
		char name[32];

		t->ctx = &ctx;
		t->id = i;
		t->s.in = o->input;
		t->s.len = o->input_len;
		t->s.pos = i;
		t->s.stride = ctx.nr_tasks;
		if (i < o->nr_tasks) {
			snprintf(name, sizeof(name), "fz-worker%u", i);
			t->task = fz_spawn(i % o->nr_cpus, fz_worker, t, name);
		} else {
			while (!(chaos & (1U << k)))
				k++;
			t->kind = 1U << k++;
			snprintf(name, sizeof(name), "fz-%s", fz_chaos_names[__builtin_ctz(t->kind)]);
			t->task = fz_spawn(i % o->nr_cpus, fz_chaos, t, name);
		}
		if (!t->task) {
			/* Tasks already started run on; join them below. */
			snprintf(t->why, sizeof(t->why), "cannot spawn task %u on any online CPU", i);
			t->ret = -EAGAIN;
		}
	}
	for (i = 0; i < ctx.nr_tasks; i++) {
		struct fz_task *t = &tasks[i];

		if (!t->task) {
			ret = t->ret;
		} else {
			ret = zsim_join(t->task);
			if (fuzz_wedged(ret))
				snprintf(t->why, sizeof(t->why), "task %u: machine wedged: %d", i, ret);
		}
		if (ret && !first) {
			first = ret;
			snprintf(why, len, "%s", t->why[0] ? t->why : "a task failed");
		}
	}
	ret = first;
	/* A wedged machine runs nothing more; otherwise rmdir even after a failure. */
	if (!fuzz_wedged(ret)) {
		int err = fz_teardown(&ctx, first ? NULL : why, first ? 0 : len);

		if (!ret)
			ret = err;
	}
out:
	free(tasks);
	return ret;
}
