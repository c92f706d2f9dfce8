// SPDX-License-Identifier: GPL-2.0-only
/*
 * zswap-capture (bench/zswap-capture.c) on a child process that fills
 * anonymous memory with a known pattern: every pattern page is in the
 * output exactly once and byte for byte, the output loads with
 * corpus_load(), never-touched pages are left out unless --all, --max-mb
 * bounds the output; and the exit status and message for a missing
 * process, missing ptrace permission and bad usage.
 *
 * Usage: test_capture PATH-OF-zswap-capture
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "corpus.h"

#define PAGE		CORPUS_PAGE_SIZE
#define NR_PATTERN	64		/* pages the child writes */
#define NR_UNTOUCHED	1024		/* pages it maps and never touches */
#define TAG		0x7a73776170636170ULL	/* "zswapcap" */

static const char *capture_bin;

/* Pattern page @i of child @magic: a header to find it, then its bytes. */
static void fill_pattern(unsigned char *p, uint64_t magic, uint64_t i)
{
	uint64_t hdr[3] = { TAG, magic, i };
	size_t j;

	for (j = 0; j < PAGE; j++)
		p[j] = (unsigned char)(i * 131 + j * 7 + (j >> 8));
	memcpy(p, hdr, sizeof(hdr));
}

struct child {
	pid_t pid;
	uint64_t magic;
};

/* A child with NR_PATTERN pattern pages and NR_UNTOUCHED untouched ones. */
static void start_child(struct child *c)
{
	int fds[2];
	char ok;

	c->magic = ((uint64_t)getpid() << 20) ^ (uint64_t)time(NULL);
	assert_int_equal(pipe(fds), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (!c->pid) {
		unsigned char *pat = mmap(NULL, NR_PATTERN * PAGE, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		void *untouched = mmap(NULL, NR_UNTOUCHED * PAGE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		uint64_t i;

		if (pat == MAP_FAILED || untouched == MAP_FAILED)
			_exit(1);
		for (i = 0; i < NR_PATTERN; i++)
			fill_pattern(pat + i * PAGE, c->magic, i);
		if (write(fds[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &ok, 1), 1);
	close(fds[0]);
}

static void stop_child(struct child *c)
{
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
}

/*
 * Run zswap-capture with @args (NULL-terminated), stderr into @err; as
 * user @uid if not -1. Returns its exit status.
 */
static int run_capture(const char *const *args, char *err, size_t errlen, int uid)
{
	char errpath[] = "/tmp/test_capture_errXXXXXX";
	const char *argv[16] = { capture_bin };
	int fd = mkstemp(errpath), status, i;
	ssize_t n;
	pid_t pid;

	assert_true(fd >= 0);
	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(fd, 2);
		/* 99: the caller cannot become @uid. */
		if (uid >= 0 && (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
				 setresuid(uid, uid, uid)))
			_exit(99);
		execv(capture_bin, (char *const *)argv);
		_exit(98);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	n = pread(fd, err, errlen - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(errpath);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_capture_pattern(void **state)
{
	char out[] = "/tmp/test_capture_outXXXXXX", pid[16], err[4096];
	unsigned char want[PAGE];
	unsigned long i, found[NR_PATTERN] = { 0 }, plain;
	struct child c;
	struct corpus co;
	struct stat st;
	int fd = mkstemp(out);

	assert_true(fd >= 0);
	close(fd);
	start_child(&c);
	snprintf(pid, sizeof(pid), "%d", (int)c.pid);

	assert_int_equal(run_capture((const char *[]){ pid, "-o", out, NULL }, err,
				     sizeof(err), -1), 0);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_size % PAGE, 0);
	assert_int_equal(corpus_load(&co, out, CORPUS_TAIL_SKIP, 0, err, sizeof(err)), 0);
	assert_int_equal(co.nr_pages, st.st_size / PAGE);
	for (i = 0; i < co.nr_pages; i++) {
		const uint64_t *hdr = corpus_page(&co, i);

		if (hdr[0] != TAG || hdr[1] != c.magic)
			continue;
		assert_true(hdr[2] < NR_PATTERN);
		fill_pattern(want, c.magic, hdr[2]);
		assert_memory_equal(corpus_page(&co, i), want, PAGE);
		found[hdr[2]]++;
	}
	for (i = 0; i < NR_PATTERN; i++)
		assert_int_equal(found[i], 1);
	plain = co.nr_pages;
	corpus_release(&co);

	/* --all adds the untouched pages; --max-mb 1 stops at 256 pages. */
	assert_int_equal(run_capture((const char *[]){ pid, "--all", "-o", out, NULL }, err,
				     sizeof(err), -1), 0);
	assert_int_equal(stat(out, &st), 0);
	assert_true((unsigned long)st.st_size / PAGE >= plain + NR_UNTOUCHED);
	assert_int_equal(run_capture((const char *[]){ pid, "--all", "--max-mb", "1", "-o",
						       out, NULL }, err, sizeof(err), -1), 0);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_size, 1 << 20);

	stop_child(&c);
	unlink(out);
}

static void test_capture_no_process(void **state)
{
	char pid[16], err[4096];
	pid_t gone = fork();

	assert_true(gone >= 0);
	if (!gone)
		_exit(0);
	waitpid(gone, NULL, 0);	/* reaped: the PID is free */
	snprintf(pid, sizeof(pid), "%d", (int)gone);
	assert_int_equal(run_capture((const char *[]){ pid, "-o", "/tmp/test_capture_none",
						       NULL }, err, sizeof(err), -1), 3);
	assert_non_null(strstr(err, "no process"));
	assert_int_equal(access("/tmp/test_capture_none", F_OK), -1);
}

/* As an unprivileged user against this (root) process: refused, with help. */
static void test_capture_no_permission(void **state)
{
	char pid[16], err[4096];
	int ret;

	if (geteuid() != 0)
		skip();		/* needs root to drop to another user */
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	ret = run_capture((const char *[]){ pid, "-o", "/tmp/test_capture_perm", NULL }, err,
			  sizeof(err), 65534);
	if (ret == 99)
		skip();		/* no CAP_SETUID here after all */
	assert_int_equal(ret, 4);
	assert_non_null(strstr(err, "ptrace"));
	assert_non_null(strstr(err, "/proc/sys/kernel/yama/ptrace_scope"));
	assert_non_null(strstr(err, "CAP_SYS_PTRACE"));
	assert_int_equal(access("/tmp/test_capture_perm", F_OK), -1);
}

static void test_capture_usage(void **state)
{
	char err[4096];

	assert_int_equal(run_capture((const char *[]){ NULL }, err, sizeof(err), -1), 2);
	assert_int_equal(run_capture((const char *[]){ "12x", NULL }, err, sizeof(err), -1), 2);
	assert_int_equal(run_capture((const char *[]){ "1", "--max-mb", "0", NULL }, err,
				     sizeof(err), -1), 2);
	assert_non_null(strstr(err, "--max-mb"));
	assert_int_equal(run_capture((const char *[]){ "1", "--max-map-gb", "x", NULL }, err,
				     sizeof(err), -1), 2);
	assert_non_null(strstr(err, "--max-map-gb"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_pattern),
		cmocka_unit_test(test_capture_no_process),
		cmocka_unit_test(test_capture_no_permission),
		cmocka_unit_test(test_capture_usage),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-OF-zswap-capture\n", argv[0]);
		return 2;
	}
	capture_bin = argv[1];
	return cmocka_run_group_tests_name("zswap_capture", tests, NULL, NULL);
}
