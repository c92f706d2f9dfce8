// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap-capture PID [-o FILE] [--max-mb N] [--all] [--max-map-gb N]
 *
 * Snapshot the anonymous memory of a running process into a page corpus
 * file (bench/corpus.h: a file is its pages, 4 KB each, in order), so that
 * compressors and batch sizes can be evaluated on the memory of a real
 * workload (zswap-ab --corpus FILE, corpus-stats --corpus FILE).
 *
 * What is anonymous memory: the private mappings of /proc/PID/maps with no
 * file behind them (inode 0: anonymous mmap()s, "[heap]", "[stack]",
 * "[anon:NAME]"), readable; the kernel's special mappings ([vdso], [vvar],
 * [vsyscall]) are not. Of these, only the pages that are resident or
 * swapped out (/proc/PID/pagemap bits 63 and 62) are taken, as only they
 * can reach zswap; --all takes every page (never-touched pages read as
 * zeroes). The scan of a mapping stops once it found as many pages as
 * /proc/PID/smaps counts resident or swapped (Rss + Swap), and mappings of
 * more than --max-map-gb of address space (64 GiB; a sanitizer's shadow,
 * a runtime's reservation) are left out: their pagemap alone would take
 * minutes to read. Pages are read with process_vm_readv(), mapping by
 * mapping, in address order; a range that went away meanwhile is skipped.
 *
 * Reading another process's memory needs ptrace access to it
 * (PTRACE_MODE_ATTACH): the same user and, under Yama, ptrace_scope 0 (or
 * the process being a descendant at scope 1), or CAP_SYS_PTRACE.
 *
 * Exit status: 0 done; 1 an error (output, memory, no page to capture);
 * 2 bad usage; 3 no such process; 4 permission denied.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE_SZ		4096UL
#define CHUNK_PAGES	256		/* pages read per process_vm_readv() */
#define EXIT_ERROR	1
#define EXIT_USAGE	2
#define EXIT_NOPROC	3
#define EXIT_PERM	4

#define PM_CHUNK	4096		/* pagemap entries read at once */
#define MAX_MAP_GB	64		/* default --max-map-gb */
#define PM_PRESENT	(1ULL << 63)
#define PM_SWAPPED	(1ULL << 62)

struct capture {
	pid_t		pid;
	const char	*out_path;
	unsigned long	max_pages;	/* 0: no limit */
	bool		all;
	FILE		*out;
	unsigned long	max_map_pages;	/* larger mappings are left out; 0: none */
	int		pagemap;	/* fd or -1 (then every page is taken) */
	uint64_t	pm[PM_CHUNK];	/* pagemap entries of pages pm_first.. */
	unsigned long	pm_first, pm_nr;
	unsigned long	pages, zero, mappings, skipped, huge;
};

static const char *prog = "zswap-capture";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s PID [-o FILE] [--max-mb N] [--all] [--max-map-gb N]\n"
		"Snapshot the anonymous memory of process PID into a page corpus file.\n"
		"  -o, --output FILE  write the pages here (default: zswap-capture-PID.pages)\n"
		"  --max-mb N         stop after N MiB of pages (default: no limit)\n"
		"  --all              every page of the mappings, not only resident or\n"
		"                     swapped-out ones\n"
		"  --max-map-gb N     leave out mappings of more than N GiB of address space\n"
		"                     (sanitizer shadows, reservations; default %d, 0: none)\n"
		"  -h, --help         this text\n"
		"Needs ptrace access to PID: the same user with\n"
		"/proc/sys/kernel/yama/ptrace_scope 0, or root / CAP_SYS_PTRACE.\n"
		"Exit status: 0 done, 1 error, 2 usage, 3 no such process, 4 permission denied.\n",
		prog, MAX_MAP_GB);
}

/* The message for a failed access to the process, and its exit status. */
static int access_failed(const struct capture *c, const char *what, int err)
{
	if (err == ESRCH || err == ENOENT) {
		fprintf(stderr, "%s: no process %d\n", prog, (int)c->pid);
		return EXIT_NOPROC;
	}
	if (err == EPERM || err == EACCES) {
		FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
		int scope = -1;

		if (f) {
			if (fscanf(f, "%d", &scope) != 1)
				scope = -1;
			fclose(f);
		}
		fprintf(stderr,
			"%s: %s of process %d: %s: no ptrace permission.\n"
			"  Reading another process's memory needs ptrace access to it: run as the\n"
			"  same user with /proc/sys/kernel/yama/ptrace_scope set to 0",
			prog, what, (int)c->pid, strerror(err));
		if (scope >= 0)
			fprintf(stderr, " (it is %d)", scope);
		fprintf(stderr, ",\n  or as root / with CAP_SYS_PTRACE "
				"(sudo setcap cap_sys_ptrace+ep %s).\n", prog);
		return EXIT_PERM;
	}
	fprintf(stderr, "%s: %s of process %d: %s\n", prog, what, (int)c->pid, strerror(err));
	return EXIT_ERROR;
}

/* Anonymous memory: private, readable, no file behind it, not special. */
static bool anon_mapping(const char *perms, unsigned long inode, const char *name)
{
	if (perms[0] != 'r' || perms[3] != 'p' || inode)
		return false;
	if (!*name || !strcmp(name, "[heap]") || !strncmp(name, "[stack", 6) ||
	    !strncmp(name, "[anon:", 6))
		return true;
	return false;	/* [vdso], [vvar], [vsyscall], deleted files ... */
}

/*
 * Whether page @addr may be in memory or swap (or pagemap is unreadable),
 * from a window of PM_CHUNK pagemap entries read at once.
 */
static bool page_wanted(struct capture *c, unsigned long addr)
{
	unsigned long idx = addr / PAGE_SZ;
	ssize_t got;

	if (c->all || c->pagemap < 0)
		return true;
	if (idx < c->pm_first || idx >= c->pm_first + c->pm_nr) {
		got = pread(c->pagemap, c->pm, sizeof(c->pm), (off_t)idx * sizeof(c->pm[0]));
		c->pm_first = idx;
		c->pm_nr = got > 0 ? got / sizeof(c->pm[0]) : 0;
		if (!c->pm_nr)
			return true;
	}
	return c->pm[idx - c->pm_first] & (PM_PRESENT | PM_SWAPPED);
}

static bool is_zero(const unsigned char *p)
{
	unsigned long i;

	for (i = 0; i < PAGE_SZ; i++)
		if (p[i])
			return false;
	return true;
}

static bool full(const struct capture *c)
{
	return c->max_pages && c->pages >= c->max_pages;
}

/*
 * Copy the wanted pages of [start, end) to the output; exit status or 0.
 * @expect is how many are resident or swapped (smaps' Rss + Swap): the
 * scan stops when it has found them, sparing the tail of a large mapping.
 */
static int capture_range(struct capture *c, unsigned long start, unsigned long end,
			 unsigned long expect, unsigned char *buf)
{
	bool counted = !c->all && c->pagemap >= 0;
	unsigned long addr = start;

	while (addr < end && !full(c) && (!counted || expect)) {
		struct iovec local[CHUNK_PAGES], remote[CHUNK_PAGES];
		unsigned long i, n = 0;
		ssize_t got;

		/* Up to CHUNK_PAGES wanted pages, one iovec each. */
		for (; addr < end && n < CHUNK_PAGES && c->pages + n < (c->max_pages ?: ~0UL);
		     addr += PAGE_SZ) {
			if (!page_wanted(c, addr))
				continue;
			if (counted && !expect--)
				break;
			local[n] = (struct iovec){ buf + n * PAGE_SZ, PAGE_SZ };
			remote[n] = (struct iovec){ (void *)addr, PAGE_SZ };
			n++;
		}
		if (!n)
			break;
		got = process_vm_readv(c->pid, local, n, remote, n, 0);
		if (got < 0) {
			if (errno == EFAULT) {
				/* Unmapped since /proc/PID/maps was read. */
				c->skipped += n;
				continue;
			}
			return access_failed(c, "process_vm_readv", errno);
		}
		/* A short read stops at the first page that went away. */
		c->skipped += n - got / PAGE_SZ;
		for (i = 0; i < (unsigned long)got / PAGE_SZ; i++) {
			if (fwrite(buf + i * PAGE_SZ, PAGE_SZ, 1, c->out) != 1) {
				fprintf(stderr, "%s: %s: %s\n", prog, c->out_path,
					strerror(errno));
				return EXIT_ERROR;
			}
			c->zero += is_zero(buf + i * PAGE_SZ);
			c->pages++;
		}
	}
	return 0;
}

struct mapping {
	unsigned long	start, end, kb;	/* kb: Rss + Swap */
	bool		anon;
};

static int capture_mapping(struct capture *c, const struct mapping *m, unsigned char *buf)
{
	if (!m->anon)
		return 0;
	if (c->max_map_pages && (m->end - m->start) / PAGE_SZ > c->max_map_pages) {
		c->huge++;
		return 0;
	}
	c->mappings++;
	return capture_range(c, m->start, m->end, m->kb / (PAGE_SZ / 1024), buf);
}

/*
 * Every anonymous mapping listed in @smaps (/proc/PID/smaps: each
 * mapping's maps line, then its "Key: value kB" lines); exit status or 0.
 */
static int capture(struct capture *c, FILE *smaps)
{
	char path[64], line[4096 + 256];
	struct mapping m = { };
	unsigned char *buf;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)c->pid);
	c->pagemap = open(path, O_RDONLY | O_CLOEXEC);
	buf = malloc(CHUNK_PAGES * PAGE_SZ);
	if (!buf) {
		fprintf(stderr, "%s: out of memory\n", prog);
		ret = EXIT_ERROR;
	}
	while (!ret && !full(c) && fgets(line, sizeof(line), smaps)) {
		unsigned long start, end, inode, kb;
		char perms[8], name[4096] = "";

		if (sscanf(line, "Rss: %lu kB", &kb) == 1 ||
		    sscanf(line, "Swap: %lu kB", &kb) == 1) {
			m.kb += kb;
			continue;
		}
		if (sscanf(line, "%lx-%lx %7s %*s %*s %lu %4095[^\n]", &start, &end, perms,
			   &inode, name) < 4)
			continue;
		/* A new mapping: the previous one is complete. */
		ret = capture_mapping(c, &m, buf);
		m = (struct mapping){ start, end, 0, anon_mapping(perms, inode, name) };
	}
	if (!ret && !full(c))
		ret = capture_mapping(c, &m, buf);
	free(buf);
	if (c->pagemap >= 0)
		close(c->pagemap);
	return ret;
}

static int parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || end == s || *end || *s == '-' ? -EINVAL : 0;
}

int main(int argc, char **argv)
{
	static struct capture c = {
		.pagemap = -1,
		.max_map_pages = MAX_MAP_GB * (1UL << 30) / PAGE_SZ,
	};
	char default_out[64], smaps_path[64];
	FILE *smaps;
	unsigned long v;
	int i, ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			c.out_path = argv[++i];
		} else if (!strcmp(a, "--max-mb") && i + 1 < argc) {
			if (parse_ulong(argv[++i], &v) || !v) {
				fprintf(stderr, "%s: --max-mb: not a positive number: %s\n",
					prog, argv[i]);
				return EXIT_USAGE;
			}
			c.max_pages = v * (1UL << 20) / PAGE_SZ;
		} else if (!strcmp(a, "--max-map-gb") && i + 1 < argc) {
			if (parse_ulong(argv[++i], &v)) {
				fprintf(stderr, "%s: --max-map-gb: not a number: %s\n", prog,
					argv[i]);
				return EXIT_USAGE;
			}
			c.max_map_pages = v * (1UL << 30) / PAGE_SZ;
		} else if (!strcmp(a, "--all")) {
			c.all = true;
		} else if (!c.pid && a[0] != '-' && !parse_ulong(a, &v) && v && v <= INT32_MAX) {
			c.pid = (pid_t)v;
		} else {
			fprintf(stderr, "%s: bad argument: %s\n", prog, a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!c.pid) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!c.out_path) {
		snprintf(default_out, sizeof(default_out), "zswap-capture-%d.pages", (int)c.pid);
		c.out_path = default_out;
	}
	/* A missing process or permission fails before the file is created. */
	if (kill(c.pid, 0) && errno == ESRCH)
		return access_failed(&c, "signalling", ESRCH);
	snprintf(smaps_path, sizeof(smaps_path), "/proc/%d/smaps", (int)c.pid);
	smaps = fopen(smaps_path, "r");
	if (!smaps)
		return access_failed(&c, "reading /proc/PID/smaps", errno);
	c.out = fopen(c.out_path, "w");
	if (!c.out) {
		fprintf(stderr, "%s: %s: %s\n", prog, c.out_path, strerror(errno));
		fclose(smaps);
		return EXIT_ERROR;
	}
	ret = capture(&c, smaps);
	fclose(smaps);
	if (fclose(c.out) && !ret) {
		fprintf(stderr, "%s: %s: %s\n", prog, c.out_path, strerror(errno));
		ret = EXIT_ERROR;
	}
	if (!ret && !c.pages) {
		fprintf(stderr, "%s: process %d has no anonymous page to capture\n", prog,
			(int)c.pid);
		ret = EXIT_ERROR;
	}
	if (ret) {
		unlink(c.out_path);
		return ret;
	}
	printf("%s: %lu pages (%lu MiB, %lu zero-filled) of %lu anonymous mappings of "
	       "process %d -> %s", prog, c.pages, c.pages * PAGE_SZ >> 20, c.zero,
	       c.mappings, (int)c.pid, c.out_path);
	if (c.skipped)
		printf(" (%lu pages unmapped while reading, skipped)", c.skipped);
	if (c.huge)
		printf(" (%lu mappings over --max-map-gb left out)", c.huge);
	printf("\n");
	return 0;
}
