/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zswapsim: simulation control.
 *
 * The small API a unit test, fuzzer or benchmark uses to drive the
 * simulated machine: start it, run functions as simulated kernel tasks on
 * its virtual CPUs, hot-unplug and plug CPUs, inject faults, and read its
 * reports, parameters and counters. Everything else is the kernel API of the
 * shim (<linux/...>), which simulated tasks call.
 *
 * One machine exists at a time per process, like the kernel it simulates.
 *
 *	struct zsim_config cfg;
 *
 *	zsim_config_init(&cfg);
 *	cfg.nr_cpus = 4;
 *	cfg.backend = ZSIM_CONTROLLED;
 *	cfg.seed = 42;
 *	zsim_machine_start(&cfg);
 *	ret = zsim_run(1, my_kernel_function, &args);	// on CPU 1
 *	zsim_machine_stop();
 */
#ifndef _ZSWAPSIM_H
#define _ZSWAPSIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

enum zsim_backend {
	ZSIM_FREE_RUNNING,	/* real parallel pthreads, liburcu RCU */
	ZSIM_CONTROLLED,	/* one task at a time, seeded scheduler, replayable */
};

enum zsim_policy {
	ZSIM_SCHED_RANDOM,	/* uniform random walk over runnable tasks */
	ZSIM_SCHED_PCT,		/* probabilistic concurrency testing, depth d */
};

/*
 * How CPU work (software compression) is charged to virtual clocks; see
 * <sim/timing.h> and docs/acomp.md. Modelled device time is added in both.
 */
enum zsim_timing {
	ZSIM_TIMING_MEASURED,	/* timed with the host clock */
	ZSIM_TIMING_MODELLED,	/* from the calibrated cost table: deterministic */
};

/* The most simulated RAM a machine may have (cfg.ram_bytes). */
#define ZSIM_MAX_RAM_BYTES	(1ULL << 40)

struct zsim_config {
	unsigned int	nr_cpus;	/* possible CPUs (nr_cpu_ids), 1..256 */
	unsigned int	nr_online;	/* CPUs online at boot, 0 means all */
	unsigned int	nr_nodes;	/* NUMA nodes, CPUs spread in blocks */
	uint64_t	ram_bytes;	/* simulated RAM, 4 MiB per node..ZSIM_MAX_RAM_BYTES */
	enum zsim_backend backend;
	uint64_t	seed;		/* every random choice derives from it */

	/* Controlled backend. */
	enum zsim_policy policy;
	unsigned int	pct_depth;	/* bug depth d: d-1 priority change points */
	unsigned long	pct_steps;	/* expected scheduling steps per run */
	const char	*replay;	/* schedule string to replay, or NULL */
	unsigned long	max_steps;	/* stop the run after this many steps (boot's count), 0: none */

	/* Both backends: chance per preemption point to migrate, in 1/1000. */
	unsigned int	migrate_permille;
	bool		lockdep;	/* lock-order validator */
	/*
	 * Slab debugging, both on by default (tests and fuzzers) and off in a
	 * benchmark, as a production kernel runs: slub_debug poisons freed
	 * objects and holds them in a quarantine that finds writes after free
	 * (slub_debug=PZ); kmemleak lists each leaked object with its
	 * allocation site at shutdown and recognises every double or invalid
	 * free (the object table). Without kmemleak, leaks are still reported
	 * by each cache's count of live objects (docs/shim.md "Slab").
	 */
	bool		slub_debug;
	bool		kmemleak;
	/*
	 * Page poisoning (the kernel's page_poison=1), on by default and off in
	 * a benchmark: freed pages are filled with PAGE_POISON and the poison
	 * is checked when they are handed out again ("pagealloc: memory
	 * corruption" finds writes after free). Bad page state checks stay on.
	 */
	bool		page_poison;
	bool		quiet;		/* count reports but do not print them */
	enum zsim_timing timing;	/* default ZSIM_TIMING_MEASURED */
};

/* Fill @cfg with defaults: meson's default CPU count, 1 node, 256 MiB. */
void zsim_config_init(struct zsim_config *cfg);
/*
 * Apply ZSWAPSIM_* environment variables to @cfg (ZSWAPSIM_BACKEND=
 * free|controlled, ZSWAPSIM_SEED, ZSWAPSIM_CPUS, ZSWAPSIM_SCHED=random|pct,
 * ZSWAPSIM_PCT_DEPTH, ZSWAPSIM_REPLAY, ZSWAPSIM_LOCKDEP=0|1,
 * ZSWAPSIM_SLUB_DEBUG=0|1, ZSWAPSIM_KMEMLEAK=0|1, ZSWAPSIM_PAGE_POISON=0|1,
 * ZSWAPSIM_TIMING=measured|modelled). Returns 0 or
 * -EINVAL with a message on stderr naming the bad variable (a word, a
 * negative number, or one too large for its field).
 */
int zsim_config_from_env(struct zsim_config *cfg);

/* Boot the machine. Returns 0 or a negative errno with a message. */
int zsim_machine_start(const struct zsim_config *cfg);
/*
 * Shut the machine down: stop its kernel threads, drain RCU, check every
 * cache and the page allocator for leaks (reported as SIM_REPORT_LEAK).
 * Tasks nobody joined are reported too, after shutdown has first run them
 * to their end (a free-running one still executing is waited for, and
 * named on stderr after a second). Returns the number of reports of every
 * kind during the machine's life. Memory cgroups still online are
 * reported as leaked (rmdir them first); swap devices still on are
 * swapped off quietly. Called from a simulated task it stops nothing: a
 * warning, and the reports so far. No other call of this API may run
 * meanwhile on another host thread.
 */
unsigned long zsim_machine_stop(void);
bool zsim_machine_running(void);

/*
 * Run @fn(@arg) as a simulated task on @cpu and wait for it; returns what
 * @fn returned. In the controlled backend it can also fail with -EDEADLK
 * when no task can run (reported with every task's state and held locks),
 * -ETIMEDOUT when only tasks polling on timeouts keep the machine going
 * (reported likewise), or -ENOEXEC when cfg.max_steps ran out. The hang
 * limit is an hour of virtual time advanced by timeouts alone since the
 * last progress, where progress is a wakeup by another task or the test
 * (not a timeout), a task created or exited, or the end of a delay a task
 * asked for (msleep(), usleep_range(), ssleep()). So a periodic job that
 * sleeps for hours completes, while a task whose timed waits
 * (wait_event_timeout(), schedule_timeout()) keep running out is a hang; a
 * loop polling a flag with msleep() alone is bounded only by max_steps.
 * After such a failure the machine is wedged: later runs fail the same
 * way and zsim_machine_stop() tears it down without running its shutdown.
 */
int zsim_run(int cpu, int (*fn)(void *arg), void *arg);

/*
 * Start several tasks, then wait for them. zsim_spawn() returns NULL with a
 * message without a machine, for a CPU that is not online, or without @fn.
 * zsim_join() returns what the task's function returned and frees it (or
 * fails as zsim_run() can): -EINVAL for NULL, -ESRCH with a message for
 * a task joined already (or being joined) or not of the running machine.
 */
struct zsim_task;
struct zsim_task *zsim_spawn(int cpu, int (*fn)(void *arg), void *arg, const char *name);
int zsim_join(struct zsim_task *task);
/*
 * @task's virtual clock in ns (sched_task_clock_ns() in <sim/sched.h>):
 * in the controlled backend the time it lived through as if the virtual
 * CPUs ran in parallel (its own steps, time charged to it, timeouts it
 * slept through, synced to its wakers), deterministic for a seed; in the
 * free-running backend the machine clock plus the time charged to it.
 * Frozen at exit; valid until zsim_join(). 0 for a NULL @task, and 0 with
 * a message for a joined one or another machine's.
 */
uint64_t zsim_task_clock_ns(struct zsim_task *task);

/* Hot-unplug or plug @cpu from outside the machine (runs a control task). */
int zsim_cpu_down(unsigned int cpu);
int zsim_cpu_up(unsigned int cpu);

/*
 * Swap devices (shim/mm/swapfile.c; ksys_swapon()/ksys_swapoff() of
 * <linux/swap.h> from a simulated task). zsim_swapon() adds a device of
 * @nr_slots usable slots (offsets 1..@nr_slots) on host memory, or on the
 * file @backing_path if not NULL (created if missing, extended to
 * (@nr_slots + 1) * 4096 bytes, left in place at swapoff); each page read
 * or written costs @read_ns or @write_ns of device time (virtual time in
 * the controlled backend, a host sleep in the free-running one). Returns
 * the swap type (0..MAX_SWAPFILES-1, lowest free first; later devices get
 * lower priorities) or a negative errno: -EINVAL (bad size), -EPERM (no
 * free type), -ENOMEM, -EBUSY (another device is on that file, by any
 * name), or the file's errno. zsim_swapoff() returns 0,
 * -EINVAL if @type is not on, or -EBUSY (the device stays on) while any of
 * its slots is in use; it waits for get_swap_device() users. Devices still
 * on at machine stop are freed; slots still in use then are reported as
 * leaks. Both run as a task on the first online CPU when called from
 * outside the machine.
 */
int zsim_swapon(unsigned long nr_slots, const char *backing_path, uint64_t read_ns,
		uint64_t write_ns);
int zsim_swapoff(int type);

/*
 * Slab shrinking (shim/mm/shrinker.c): run shrink_slab() for node @nid and
 * the memcg at cgroup path @memcg ("/a/b"; NULL or "/" for the root, which
 * calls every registered shrinker) at reclaim @priority (12, vmscan's
 * DEF_PRIORITY, scans little; 0 scans the most), as reclaim would. Returns
 * the number of objects freed, -EINVAL for a bad node or a priority
 * outside 0..12,
 * -ENOENT if no live memcg has that path, -ENODEV without a machine. Runs
 * as a task on the first online CPU when called from outside the machine.
 */
long zsim_shrink_slab(int nid, const char *memcg, int priority);

/*
 * Memory cgroups (shim/mm/memcontrol*.c), named by cgroup path below the
 * root: "/" (or NULL, "") is the root, "/a/b" or "a/b" a descendant.
 * zsim_memcg_create() is mkdir @name under @parent: 0, -EINVAL (bad name),
 * -EEXIST, -ENOENT (no such parent), -ENOSPC (no free id: 4094 live
 * cgroups below the root, where the kernel's memcg ids go to 65535),
 * -ENOMEM. zsim_memcg_destroy() is rmdir: the
 * cgroup goes offline at once (its objcgs and list_lru items move to the
 * parent) and stays a zombie until its last reference goes; -EBUSY while
 * it has live children or a process in it (as the kernel's for a populated
 * cgroup: zsim_process_move() one out first), -ENOENT if there is no such
 * cgroup.
 * zsim_memcg_read() reads a cgroup file ("memory.current", "memory.events",
 * "memory.events.local", "memory.max", "memory.high", "memory.peak",
 * "memory.stat", "memory.swap.current", "memory.swap.events",
 * "memory.swap.max", "memory.swap.peak", "memory.zswap.current",
 * "memory.zswap.max", "memory.zswap.writeback"; "memory.reclaim" is
 * write-only: -EACCES) as text into @buf, newline included, and
 * returns its length; -ENOENT (no such file or cgroup; all but memory.stat,
 * memory.reclaim and memory.zswap.writeback are not on the root),
 * -EOVERFLOW if @len is too small, -EINVAL for a NULL @file or @buf.
 * zsim_memcg_write() writes one: "max" or
 * a byte count with an optional K/M/G/T/P/E suffix for the limits
 * (memory.max, .high, .swap.max, .zswap.max), 0 or 1 for
 * memory.zswap.writeback, a byte count for memory.reclaim (reclaims that
 * much from the subtree, -EAGAIN if it could not, as the kernel's);
 * -EINVAL (with a message) for anything else,
 * -EACCES for a read-only file. All run as a task on the first online CPU
 * when called from outside the machine; -ENODEV without a machine.
 */
int zsim_memcg_create(const char *parent, const char *name);
int zsim_memcg_destroy(const char *path);
int zsim_memcg_read(const char *path, const char *file, char *buf, size_t len);
int zsim_memcg_write(const char *path, const char *file, const char *val);

/*
 * Page migration (shim/mm/migrate.c): migrate up to @nr movable_ops pages
 * (zsmalloc's), chosen from a random PFN with probability 1/2 each, to new
 * page frames, as kcompactd would. Returns how many were migrated or
 * -ENODEV without a machine. Runs as a task on the first online CPU when
 * called from outside the machine.
 */
long zsim_migrate_random(unsigned long nr, uint64_t seed);

/*
 * zsmalloc statistics, read from debugfs (shim/fs/debugfs-zsmalloc.c):
 * the per-class table of zsmalloc/@pool/classes (class, size, 10%..100%
 * fullness histogram, obj_allocated, obj_used, pages_used,
 * pages_per_zspage, freeable) and the pool totals of zsmalloc/@pool/
 * sim_stats (design, pages, pages_compacted, zspages_rcu_pending): as that
 * text (the table, a blank line, "key value" lines), or as one JSON object.
 * Returns 0, -ENOENT if no pool has that name, -ENODEV without a machine,
 * -EINVAL (nothing written) if the table cannot be parsed into JSON.
 */
int zsim_zsmalloc_dump(const char *pool, FILE *out, bool json);

/*
 * Global event counters as /proc/vmstat shows them ("zswpout 12\n"...):
 * pswpin, pswpout, pgactivate, pgdeactivate, pgmajfault, swpin_zero,
 * swpout_zero, zswpin, zswpout, zswpwb. Returns the length or -EOVERFLOW.
 */
int zsim_vmstat_read(char *buf, size_t len);

/*
 * Simulated processes (src/mm, docs/vm.md): anonymous memory that the VM
 * charges to a memcg, reclaims (memory.max, memory.high, memory.reclaim,
 * zsim_pageout()) through the zero map, zswap and the swap devices, and
 * swaps back in on access. Page i of a region holds page
 * (generation << 32 | i) of the page corpus of its seed (bench/corpus.h),
 * the generation counting the writes to it; every swap-in is checked
 * against it.
 *
 * zsim_process_create: a process charged to the memcg at cgroup path
 *	@memcg (NULL: the root): 0, -ENOENT (no such memcg), -ENOMEM,
 *	-EINVAL (NULL @proc; zsim_mmap() likewise for @region).
 * zsim_process_move: the process joins the memcg at @memcg (NULL: the
 *	root), as its pid written to that cgroup.procs: new folios are
 *	charged there, what it charged stays where it is (cgroup v2 moves
 *	no charges): 0, -ENOENT (no such memcg, or removed), -EINVAL (NULL
 *	@proc).
 * zsim_process_destroy: munmap every region, free the process.
 * zsim_mmap: a region of @nr_pages (1..2^32) pages whose faults allocate
 *	folios of @folio_order (0..9: 4 KB to 2 MB; order 0 where the
 *	aligned range is partly populated or its charge fails): 0, -EINVAL,
 *	-ENOMEM. Nothing is populated until touched.
 * zsim_munmap: free a region's folios and swap slots.
 * zsim_touch: access pages [@first, @first + @nr), writing them if
 *	@write (a write changes the page's contents), faulting in what is not
 *	present and reclaiming above memory.high after each fault: 0,
 *	-EINVAL (range), -ENOMEM (the memcg could not be brought under
 *	memory.max: the kernel's OOM), -EIO (swap read error), -EBADMSG (a
 *	page came back with other contents than written, with a message).
 * zsim_cold: madvise(MADV_COLD) of the range: the folios wholly in it
 *	lose their accessed bits and PG_referenced, the active ones go to
 *	the inactive list; 0 or -EINVAL.
 * zsim_pageout: madvise(MADV_PAGEOUT) of the range: 0 or -EINVAL.
 * zsim_region_resident: present pages of the region, or -EINVAL.
 * All run as a task on the first online CPU when called from outside
 * the machine (-ENODEV without one), or in the calling task. A handle
 * that is not live (a region unmapped or whose process was destroyed, a
 * destroyed process, one of an earlier machine) is -EINVAL with a message
 * on stderr, found out by its address alone; one freed by another task
 * while a call on it runs is the caller's race.
 */
struct zsim_process;
struct zsim_region;
int zsim_process_create(const char *memcg, struct zsim_process **proc);
int zsim_process_move(struct zsim_process *proc, const char *memcg);
int zsim_process_destroy(struct zsim_process *proc);
int zsim_mmap(struct zsim_process *proc, unsigned long nr_pages, unsigned int folio_order,
	      uint64_t seed, struct zsim_region **region);
int zsim_munmap(struct zsim_region *region);
int zsim_touch(struct zsim_region *region, unsigned long first, unsigned long nr, bool write);
int zsim_cold(struct zsim_region *region, unsigned long first, unsigned long nr);
int zsim_pageout(struct zsim_region *region, unsigned long first, unsigned long nr);
long zsim_region_resident(struct zsim_region *region);
/*
 * Contents of simulated processes' pages from @nr_pages pages (4 KB each)
 * at @pages, which the caller keeps until it passes NULL, instead of the
 * corpus generator: page (generation << 32 | i) of a region of seed s is
 * page (s + i + generation * (@nr_pages / 2 + 1)) % @nr_pages. Set while
 * no machine runs: 0, -EBUSY, -EINVAL (no pages).
 */
int zsim_vm_use_pages(const void *pages, unsigned long nr_pages);

/*
 * Fault injection, by site name ("kmalloc", "kmem_cache_alloc",
 * "alloc_pages", "percpu", ...; zsim_fault_list() prints them):
 * fail with probability @permille/1000, every @interval-th call, or exactly
 * the @nth call (the first non-zero of nth, interval, permille wins).
 * Returns 0, or -ENOENT for an unknown site, with a message on stderr that
 * lists the sites. Also settable with
 * ZSWAPSIM_FAULTS="site:p=N|every=N|nth=N,..." at machine start. A site
 * set while no machine runs is reset by the next zsim_machine_start():
 * set sites after it (or through ZSWAPSIM_FAULTS).
 */
int zsim_fault_set(const char *site, unsigned int permille,
		   unsigned long interval, unsigned long nth);
void zsim_fault_clear_all(void);
unsigned long zsim_fault_calls(const char *site);
unsigned long zsim_fault_injected(const char *site);
void zsim_fault_list(FILE *out);

/* Reports: SIM_REPORT_* kinds (see shim/include/sim/report.h). */
unsigned long zsim_warnings(void);	/* WARN_ON() and friends */
unsigned long zsim_reports(void);	/* every kind */
const char *zsim_first_report(void);	/* text of the first report, "" if none */

/*
 * Controlled backend: the decisions so far, as a string for cfg.replay. If
 * a decision could not be recorded (host out of memory), the string is
 * "z1:<seed>:!truncated", which replay refuses with a message: the run
 * goes on, but no string replays it.
 */
const char *zsim_schedule(void);
/*
 * The same run as "z1:<seed>:<decisions>:stay": each decision relative to
 * the one that changes nothing (0: the last task runs on / no migration,
 * k: the k-th candidate after it), and a replay of a ":stay" string goes
 * on without preemption once its decisions run out. Its non-zero
 * decisions are the run's preemptions and migrations, so editing it
 * (dropping decisions, zeroing them) gives another deterministic run:
 * what race-fuzz --shrink does. Replaying it reproduces this run.
 */
const char *zsim_schedule_stay(void);
unsigned long zsim_steps(void);

/*
 * Module parameters and debugfs counters, as text or JSON. Parameters are
 * sysfs text: "module.param=value" lines, JSON string values. debugfs:
 * one "path value" line per entry, the value escaped ("\\", "\n",
 * "\xHH"); JSON numbers for integer entries and integer-valued files.
 */
void zsim_dump_params(FILE *out, bool json);
void zsim_dump_debugfs(FILE *out, bool json);
/*
 * Set /sys/module/@module/parameters/@param; negative errno on failure
 * (-ENOENT: no such parameter, -EACCES: read-only, -EINVAL: a NULL name,
 * or a NULL @val for a parameter that is not a flag).
 */
int zsim_param_set(const char *module, const char *param, const char *val);
int zsim_param_get(const char *module, const char *param, char *buf, size_t len);

void zsim_set_loglevel(int level);

#ifdef __cplusplus
}
#endif

#endif /* _ZSWAPSIM_H */
