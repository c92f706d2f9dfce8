// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cgroup v2 memory files (mm/memcontrol.c's memory_files[] and
 * zswap_files[]) and the simulation-control API over them.
 *
 * Names, units and formats are the kernel's: limits are read as "max" or
 * bytes and written as "max" or a byte count with an optional K/M/G/T/P/E
 * suffix (rounded down to pages); memory.zswap.writeback takes 0 or 1;
 * memory.stat shows bytes for zswap/zswapped and counts for the events.
 * memory.current, memory.max, memory.high, memory.peak, memory.swap.*,
 * memory.zswap.current and memory.zswap.max are not on the root
 * (CFTYPE_NOT_ON_ROOT); memory.reclaim is write-only and reclaims through
 * the VM in src/mm.
 *
 * memory.current counts what is charged to the memcg and its descendants:
 * charged folios' pages and the pages objcgs charged for their objects
 * (zswap's compressed memory), as in cgroup v2.
 *
 * Writing memory.max or memory.high below the usage reclaims down to it
 * through the VM's reclaim (src/mm/vmscan.c), as the kernel does.
 *
 * memory.swap.current counts the swap slots charged to the memcg and its
 * descendants (zswap's entries hold slots too, so they count), as cgroup
 * v2's swap controller.
 *
 * Differences from the kernel: memory.max's write stops where the kernel
 * would OOM-kill (there is no OOM killer), counting the oom event;
 * memory.peak and memory.swap.peak are read-only (the kernel resets them
 * per open file on a write; these files have no open files); of
 * memory.events the low, oom_kill and oom_group_kill counts stay 0 (no
 * protection or OOM killer); no file notifications;
 * memory.stat has only the keys the simulated mm counts;
 * reading memory.stat or memory.zswap.current flushes the statistics
 * unconditionally, in place of the kernel's periodic flush (so they are
 * exact rather than at most two seconds old).
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/memcontrol.h>
#include <linux/page_counter.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/vmstat.h>
#include <sim/cgroup.h>
#include <sim/memcg.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <zswapsim.h>

#include "internal.h"

#define CFTYPE_NOT_ON_ROOT	(1U << 0)
/* Shows rstat figures: a read flushes them first (see below). */
#define MEMCG_FILE_STATS	(1U << 1)
#define MEMCG_WRITE_MAX		64	/* longest value a write takes */

struct memcg_seq {
	char *buf;
	size_t len, pos;
	bool overflow;
};

__printf(2, 3)
static void memcg_printf(struct memcg_seq *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->pos, s->len > s->pos ? s->len - s->pos : 0, fmt, ap);
	va_end(ap);
	if (n < 0 || s->pos + n >= s->len)
		s->overflow = true;
	else
		s->pos += n;
}

/* seq_puts_memcg_tunable(): "max" or the value in bytes. */
static void show_tunable(struct memcg_seq *s, unsigned long pages)
{
	if (pages == PAGE_COUNTER_MAX)
		memcg_printf(s, "max\n");
	else
		memcg_printf(s, "%llu\n", (unsigned long long)pages * PAGE_SIZE);
}

/* A usage or peak in pages, shown in bytes. */
static void show_pages(struct memcg_seq *s, unsigned long pages)
{
	memcg_printf(s, "%llu\n", (unsigned long long)pages * PAGE_SIZE);
}

static void memory_current_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	show_pages(s, page_counter_read(&memcg->memory));
}

static void memory_peak_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	show_pages(s, READ_ONCE(memcg->memory.watermark));
}

static void memory_max_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	show_tunable(s, READ_ONCE(memcg->memory.max));
}

static void memory_high_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	show_tunable(s, READ_ONCE(memcg->memory.high));
}

static void memory_events_print(struct memcg_seq *s, atomic_long_t *events)
{
	memcg_printf(s, "low %lu\n", atomic_long_read(&events[MEMCG_LOW]));
	memcg_printf(s, "high %lu\n", atomic_long_read(&events[MEMCG_HIGH]));
	memcg_printf(s, "max %lu\n", atomic_long_read(&events[MEMCG_MAX]));
	memcg_printf(s, "oom %lu\n", atomic_long_read(&events[MEMCG_OOM]));
	memcg_printf(s, "oom_kill %lu\n", atomic_long_read(&events[MEMCG_OOM_KILL]));
	memcg_printf(s, "oom_group_kill %lu\n", atomic_long_read(&events[MEMCG_OOM_GROUP_KILL]));
}

static void memory_events_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	memory_events_print(s, memcg->memory_events);
}

static void memory_events_local_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	memory_events_print(s, memcg->memory_events_local);
}

static void swap_events_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	memcg_printf(s, "high %lu\n", atomic_long_read(&memcg->memory_events[MEMCG_SWAP_HIGH]));
	memcg_printf(s, "max %lu\n", atomic_long_read(&memcg->memory_events[MEMCG_SWAP_MAX]));
	memcg_printf(s, "fail %lu\n", atomic_long_read(&memcg->memory_events[MEMCG_SWAP_FAIL]));
}

static void memory_stat_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	static const enum vm_event_item events[] = {
		PSWPIN, PSWPOUT, PGACTIVATE, PGDEACTIVATE, PGMAJFAULT, SWPIN_ZERO,
		SWPOUT_ZERO, ZSWPIN, ZSWPOUT, ZSWPWB,
	};
	unsigned int i;

	mem_cgroup_flush_stats(memcg);
	memcg_printf(s, "zswap %lu\n", memcg_page_state(memcg, MEMCG_ZSWAP_B));
	memcg_printf(s, "zswapped %llu\n",
		     (unsigned long long)memcg_page_state(memcg, MEMCG_ZSWAPPED) * PAGE_SIZE);
	for (i = 0; i < ARRAY_SIZE(events); i++)
		memcg_printf(s, "%s %lu\n", vm_event_names[events[i]],
			     memcg_events(memcg, events[i]));
}

static void swap_current_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	show_pages(s, page_counter_read(&memcg->swap));
}

static void swap_peak_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	show_pages(s, READ_ONCE(memcg->swap.watermark));
}

static void swap_max_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	show_tunable(s, READ_ONCE(memcg->swap.max));
}

static void swap_high_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	show_tunable(s, READ_ONCE(memcg->swap.high));
}

static void zswap_current_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	/* The kernel's zswap_current_read(): a flush only past the threshold. */
	mem_cgroup_flush_stats(memcg);
	memcg_printf(s, "%lu\n", memcg_page_state(memcg, MEMCG_ZSWAP_B));
}

static void zswap_max_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	show_tunable(s, READ_ONCE(memcg->zswap_max));
}

static void zswap_writeback_show(struct mem_cgroup *memcg, struct memcg_seq *s)
{
	memcg_printf(s, "%d\n", READ_ONCE(memcg->zswap_writeback));
}

static int memory_max_write(struct mem_cgroup *memcg, const char *buf)
{
	unsigned int nr_reclaims = MAX_RECLAIM_RETRIES;
	unsigned long max;
	int err = page_counter_memparse(buf, "max", &max);

	if (err)
		return err;
	xchg(&memcg->memory.max, max);
	/* Reclaim down to it; where the kernel would then OOM-kill, stop. */
	for (;;) {
		unsigned long nr_pages = page_counter_read(&memcg->memory);

		if (nr_pages <= max)
			break;
		if (!nr_reclaims) {
			/* The kernel counts an OOM here, then kills. */
			memcg_memory_event(memcg, MEMCG_OOM);
			break;
		}
		if (!try_to_free_mem_cgroup_pages(memcg, nr_pages - max, GFP_KERNEL,
						  MEMCG_RECLAIM_MAY_SWAP, NULL))
			nr_reclaims--;
	}
	return 0;
}

static int memory_high_write(struct mem_cgroup *memcg, const char *buf)
{
	unsigned int nr_retries = MAX_RECLAIM_RETRIES;
	unsigned long high;
	int err = page_counter_memparse(buf, "max", &high);

	if (err)
		return err;
	page_counter_set_high(&memcg->memory, high);
	/* Reclaim down to it, giving up after MAX_RECLAIM_RETRIES fruitless passes. */
	for (;;) {
		unsigned long nr_pages = page_counter_read(&memcg->memory);

		if (nr_pages <= high)
			break;
		if (!try_to_free_mem_cgroup_pages(memcg, nr_pages - high, GFP_KERNEL,
						  MEMCG_RECLAIM_MAY_SWAP, NULL) && !nr_retries--)
			break;
	}
	return 0;
}

/*
 * memory.reclaim (write-only): reclaim that many bytes from the subtree
 * with the VM's reclaim (user_proactive_reclaim() in src/mm/vmscan.c);
 * -EAGAIN if it could not.
 */
static int memory_reclaim(struct mem_cgroup *memcg, const char *buf)
{
	char tmp[MEMCG_WRITE_MAX + 1];

	strscpy(tmp, buf, sizeof(tmp));
	return user_proactive_reclaim(tmp, memcg, NULL);
}

/* A limit that only acts on what comes next: nothing is reclaimed for it. */
static int write_limit(unsigned long *limit, const char *buf)
{
	unsigned long max;
	int err = page_counter_memparse(buf, "max", &max);

	if (err)
		return err;
	xchg(limit, max);
	return 0;
}

/*
 * As the kernel's swap_high_write(): only a throttle for later charges
 * (reclaim cannot bring swap usage down).
 */
static int swap_high_write(struct mem_cgroup *memcg, const char *buf)
{
	return write_limit(&memcg->swap.high, buf);
}

/* As the kernel's swap_max_write(): what is charged already stays. */
static int swap_max_write(struct mem_cgroup *memcg, const char *buf)
{
	return write_limit(&memcg->swap.max, buf);
}

static int zswap_max_write(struct mem_cgroup *memcg, const char *buf)
{
	return write_limit(&memcg->zswap_max, buf);
}

static int zswap_writeback_write(struct mem_cgroup *memcg, const char *buf)
{
	char *end;
	long v;

	/* kstrtoint(buf, 0, &v), then only 0 and 1. */
	if (!*buf)
		return -EINVAL;
	v = strtol(buf, &end, 0);
	if (*end || (v != 0 && v != 1))
		return -EINVAL;
	WRITE_ONCE(memcg->zswap_writeback, v);
	return 0;
}

struct memcg_file {
	const char *name;
	unsigned int flags;
	void (*show)(struct mem_cgroup *memcg, struct memcg_seq *s);
	int (*write)(struct mem_cgroup *memcg, const char *buf);
};

static const struct memcg_file memcg_files[] = {
	{ "memory.current", CFTYPE_NOT_ON_ROOT, memory_current_show, NULL },
	{ "memory.events", CFTYPE_NOT_ON_ROOT, memory_events_show, NULL },
	{ "memory.events.local", CFTYPE_NOT_ON_ROOT, memory_events_local_show, NULL },
	{ "memory.high", CFTYPE_NOT_ON_ROOT, memory_high_show, memory_high_write },
	{ "memory.max", CFTYPE_NOT_ON_ROOT, memory_max_show, memory_max_write },
	{ "memory.peak", CFTYPE_NOT_ON_ROOT, memory_peak_show, NULL },
	{ "memory.reclaim", 0, NULL, memory_reclaim },
	{ "memory.stat", MEMCG_FILE_STATS, memory_stat_show, NULL },
	{ "memory.swap.current", CFTYPE_NOT_ON_ROOT, swap_current_show, NULL },
	{ "memory.swap.events", CFTYPE_NOT_ON_ROOT, swap_events_show, NULL },
	{ "memory.swap.high", CFTYPE_NOT_ON_ROOT, swap_high_show, swap_high_write },
	{ "memory.swap.max", CFTYPE_NOT_ON_ROOT, swap_max_show, swap_max_write },
	{ "memory.swap.peak", CFTYPE_NOT_ON_ROOT, swap_peak_show, NULL },
	{ "memory.zswap.current", CFTYPE_NOT_ON_ROOT | MEMCG_FILE_STATS, zswap_current_show, NULL },
	{ "memory.zswap.max", CFTYPE_NOT_ON_ROOT, zswap_max_show, zswap_max_write },
	{ "memory.zswap.writeback", 0, zswap_writeback_show, zswap_writeback_write },
};

static const struct memcg_file *memcg_file_find(struct mem_cgroup *memcg, const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(memcg_files); i++) {
		const struct memcg_file *f = &memcg_files[i];

		if (strcmp(f->name, name))
			continue;
		if ((f->flags & CFTYPE_NOT_ON_ROOT) && mem_cgroup_is_root(memcg))
			return NULL;
		return f;
	}
	return NULL;
}

int mem_cgroup_file_read(struct mem_cgroup *memcg, const char *file, char *buf, size_t len)
{
	const struct memcg_file *f = memcg_file_find(memcg, file);
	struct memcg_seq s = { .buf = buf, .len = len };

	if (!f)
		return -ENOENT;
	if (!f->show)
		return -EACCES;
	if (len)
		buf[0] = '\0';
	/*
	 * Without the kernel's periodic flush, a show's threshold-bound
	 * mem_cgroup_flush_stats() could leave the last few updates out
	 * for good; the kernel shows them within two seconds.
	 */
	if (f->flags & MEMCG_FILE_STATS)
		mem_cgroup_flush_stats_now(memcg);
	f->show(memcg, &s);
	return s.overflow ? -EOVERFLOW : (int)s.pos;
}

int mem_cgroup_file_write(struct mem_cgroup *memcg, const char *file, const char *val)
{
	const struct memcg_file *f = memcg_file_find(memcg, file);
	char buf[MEMCG_WRITE_MAX + 1];
	size_t len;
	int err;

	if (!f)
		return -ENOENT;
	if (!f->write)
		return -EACCES;
	/* strstrip(), as the kernel's write handlers do. */
	while (isspace((unsigned char)*val))
		val++;
	len = strlen(val);
	while (len && isspace((unsigned char)val[len - 1]))
		len--;
	err = -EINVAL;
	if (len <= MEMCG_WRITE_MAX) {
		memcpy(buf, val, len);
		buf[len] = '\0';
		err = f->write(memcg, buf);
	}
	/* memory.reclaim's -EAGAIN is a result, not a bad value. */
	if (err && err != -EAGAIN)
		pr_warn("memcg: %s: invalid value \"%.*s\"\n", file, (int)len, val);
	return err;
}

/* ---- <zswapsim.h>: the test's side, run in a simulated task ---- */

struct memcg_io {
	const char *parent, *name, *path, *file, *val;
	char *buf;
	size_t len;
};

static int run_in_task(int (*fn)(void *), void *arg)
{
	if (current)
		return fn(arg);
	if (!zsim_machine_running())
		return -ENODEV;
	return zsim_run(cpumask_first(cpu_online_mask), fn, arg);
}

static int memcg_create_task(void *arg)
{
	struct memcg_io *io = arg;
	struct mem_cgroup *parent, *memcg;

	parent = mem_cgroup_lookup(io->parent);
	if (IS_ERR(parent))
		return PTR_ERR(parent);
	memcg = mem_cgroup_create(parent, io->name);
	mem_cgroup_put(parent);
	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	mem_cgroup_put(memcg);
	return 0;
}

int zsim_memcg_create(const char *parent, const char *name)
{
	struct memcg_io io = { .parent = parent, .name = name };

	return run_in_task(memcg_create_task, &io);
}

static int memcg_destroy_task(void *arg)
{
	struct memcg_io *io = arg;
	struct mem_cgroup *memcg = mem_cgroup_lookup(io->path);
	int ret;

	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	ret = mem_cgroup_remove(memcg);
	mem_cgroup_put(memcg);
	return ret;
}

int zsim_memcg_destroy(const char *path)
{
	struct memcg_io io = { .path = path };

	return run_in_task(memcg_destroy_task, &io);
}

static int memcg_read_task(void *arg)
{
	struct memcg_io *io = arg;
	struct mem_cgroup *memcg = mem_cgroup_lookup(io->path);
	int ret;

	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	ret = mem_cgroup_file_read(memcg, io->file, io->buf, io->len);
	mem_cgroup_put(memcg);
	return ret;
}

int zsim_memcg_read(const char *path, const char *file, char *buf, size_t len)
{
	struct memcg_io io = { .path = path, .file = file, .buf = buf, .len = len };

	if (!file || (!buf && len))
		return -EINVAL;
	return run_in_task(memcg_read_task, &io);
}

static int memcg_write_task(void *arg)
{
	struct memcg_io *io = arg;
	struct mem_cgroup *memcg = mem_cgroup_lookup(io->path);
	int ret;

	if (IS_ERR(memcg))
		return PTR_ERR(memcg);
	ret = mem_cgroup_file_write(memcg, io->file, io->val);
	mem_cgroup_put(memcg);
	return ret;
}

int zsim_memcg_write(const char *path, const char *file, const char *val)
{
	struct memcg_io io = { .path = path, .file = file, .val = val };

	if (!file || !val) {
		pr_warn("memcg: a write needs a file and a value\n");
		return -EINVAL;
	}
	return run_in_task(memcg_write_task, &io);
}
