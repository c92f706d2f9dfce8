// SPDX-License-Identifier: GPL-2.0-only
/*
 * One race-fuzz run in a child process of its own.
 *
 * A run that wedges its machine leaves state behind it in the process
 * (what its killed tasks held, the host heap's layout), and a run that
 * crashes ends the process. Each run of a campaign (and each replay of a
 * shrink) therefore forks: the parent never boots a machine, so every
 * child starts from the state of a fresh process, and a run depends only
 * on its seed and options, which is what lets a campaign's failure replay
 * alone. The child sends its verdict back through a pipe; its stderr goes
 * to a file the parent copies out after the run, so that the report of a
 * child killed by a signal or by ASan can carry the sanitizer's text.
 *
 * A crashing child writes the decisions made so far from its signal
 * handler (or ASan's death callback) before it dies: a plain "z1" string
 * prefix replays the whole run, since the policy goes on from the same
 * seed after it, and the ":stay" one is what a shrink starts from. The handler is best effort (it takes the scheduler's
 * lock and allocates); an alarm ends a child that hangs in it. Outside
 * sanitizer builds (whose runtime prints its own stack traces) it first
 * prints a backtrace of the faulting thread to the child's stderr, which
 * the parent's report of the crash ends with.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#if defined(__SANITIZE_ADDRESS__)
#define CHILD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHILD_ASAN 1
#endif
#endif
#ifdef CHILD_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#else
#include <execinfo.h>
#endif

/* Record types on the pipe: a verdict, or a dying child's decisions. */
enum { REC_RESULT = 'R', REC_CRASH = 'C', REC_ERROR = 'E' };

struct rec_result {
	int		ret;
	int		failed;
	unsigned long	reports;
	unsigned long	steps;
};

/* Most of a crashed child's stderr kept in its report. */
#define CRASH_TAIL	8192

static int child_fd = -1;	/* the child's end of the pipe */
static bool child_controlled;
static volatile sig_atomic_t child_dying;

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_str(int fd, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (write_all(fd, &len, sizeof(len)))
		return -EIO;
	return write_all(fd, s, len);
}

/* The decisions of the run that is dying, if the scheduler can give them. */
static void send_crash(void)
{
	char type = REC_CRASH;

	if (child_dying)
		return;
	child_dying = 1;
	alarm(10);
	if (write_all(child_fd, &type, 1) ||
	    write_str(child_fd, child_controlled ? zsim_schedule() : ""))
		return;
	write_str(child_fd, child_controlled ? zsim_schedule_stay() : "");
}

#ifndef CHILD_ASAN
/*
 * Frames of the faulting thread printed by a crashing child, after the
 * handler's own: crash_backtrace(), crash_handler() and the signal
 * trampoline the kernel returns through.
 */
#define CRASH_FRAMES	32
#define CRASH_SKIP	3

static const char *crash_signame(int sig)
{
	switch (sig) {
	case SIGSEGV:	return "SIGSEGV";
	case SIGBUS:	return "SIGBUS";
	case SIGFPE:	return "SIGFPE";
	case SIGILL:	return "SIGILL";
	case SIGABRT:	return "SIGABRT";
	default:	return "a fatal signal";
	}
}

/*
 * The stack of the thread the signal was delivered to: the faulting one
 * for a fault, abort()'s caller for SIGABRT. Only write(2), strlen()
 * and glibc's backtrace functions, whose first call
 * (child_catch_crashes()) loaded the unwinder: backtrace_symbols_fd()
 * does not allocate.
 */
static void __attribute__((noinline)) crash_backtrace(int sig)
{
	static const char head[] = "race-fuzz: ";
	static const char tail[] = " in the run's process, backtrace of the faulting thread:\n";
	void *frames[CRASH_SKIP + CRASH_FRAMES];
	const char *name = crash_signame(sig);
	int n;

	alarm(10);
	if (write_all(STDERR_FILENO, head, sizeof(head) - 1) ||
	    write_all(STDERR_FILENO, name, strlen(name)) ||
	    write_all(STDERR_FILENO, tail, sizeof(tail) - 1))
		return;
	n = backtrace(frames, CRASH_SKIP + CRASH_FRAMES);
	if (n > CRASH_SKIP)
		backtrace_symbols_fd(frames + CRASH_SKIP, n - CRASH_SKIP, STDERR_FILENO);
}
#endif

static void crash_handler(int sig)
{
#ifndef CHILD_ASAN
	if (!child_dying)
		crash_backtrace(sig);
#endif
	send_crash();
	/* SA_RESETHAND put the default action back: die of @sig. */
	raise(sig);
}

static void child_catch_crashes(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa = { .sa_handler = crash_handler,
				.sa_flags = SA_RESETHAND | SA_ONSTACK };
	unsigned int i;

#ifdef CHILD_ASAN
	/* ASan reports the memory errors itself, then calls back and aborts. */
	__asan_set_death_callback(send_crash);
#else
	/*
	 * This thread's overflowed stack cannot run the handler: give it
	 * another. Simulated tasks' threads have none and handle their
	 * signals on their own stacks. backtrace() loads the unwinder now,
	 * not in the handler.
	 */
	static char altstack[65536];
	const stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	void *frame;

	sigaltstack(&ss, NULL);
	backtrace(&frame, 1);
#endif
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
#ifdef CHILD_ASAN
		if (sigs[i] != SIGABRT)
			continue;
#endif
		sigaction(sigs[i], &sa, NULL);
	}
}

static void __attribute__((noreturn)) child_main(const struct fuzz_cfg *c, uint64_t seed,
						 const char *replay, int fd, int err_fd)
{
	struct rec_result h = { };
	struct fuzz_result r;
	char type;
	int ret;

	child_fd = fd;
	child_controlled = c->o.controlled;
	if (err_fd >= 0)
		dup2(err_fd, STDERR_FILENO);
	child_catch_crashes();
	ret = fuzz_run_here(c, seed, replay, &r);
	if (ret) {
		type = REC_ERROR;
		h.ret = ret;
		write_all(fd, &type, 1);
		write_all(fd, &h, sizeof(h));
		_exit(0);
	}
#ifdef CHILD_ASAN
	/*
	 * _exit() skips LeakSanitizer's check at exit: check the host heap
	 * here, after a clean run only (a wedged machine leaks on purpose).
	 */
	if (!r.failed && __lsan_do_recoverable_leak_check()) {
		r.failed = true;
		free(r.report);
		r.report = strdup("LeakSanitizer: the run leaked host memory (its report is above)");
	}
#endif
	type = REC_RESULT;
	h.ret = r.ret;
	h.failed = r.failed;
	h.reports = r.reports;
	h.steps = r.steps;
	if (write_all(fd, &type, 1) || write_all(fd, &h, sizeof(h)) ||
	    write_str(fd, r.schedule) || write_str(fd, r.schedule_stay) ||
	    write_str(fd, r.report))
		_exit(3);
	/* No exit handlers: the parent's own end checks the host process. */
	_exit(0);
}

/* A growing buffer of what the child sent. */
struct inbuf {
	char	*data;
	size_t	len;
	size_t	pos;
};

static int read_all(int fd, struct inbuf *b)
{
	size_t cap = 0;

	for (;;) {
		ssize_t n;

		if (b->len == cap) {
			size_t ncap = cap ? 2 * cap : 65536;
			char *p = realloc(b->data, ncap);

			if (!p)
				return -ENOMEM;
			b->data = p;
			cap = ncap;
		}
		n = read(fd, b->data + b->len, cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		b->len += n;
	}
}

static bool take(struct inbuf *b, void *dst, size_t len)
{
	if (b->len - b->pos < len)
		return false;
	memcpy(dst, b->data + b->pos, len);
	b->pos += len;
	return true;
}

/* A length-prefixed string, NULL if the record was cut short. */
static char *take_str(struct inbuf *b)
{
	size_t len;
	char *s;

	if (!take(b, &len, sizeof(len)) || b->len - b->pos < len)
		return NULL;
	s = malloc(len + 1);
	if (!s)
		return NULL;
	memcpy(s, b->data + b->pos, len);
	s[len] = '\0';
	b->pos += len;
	return s;
}

/* What the child wrote to stderr: copied out to ours, and returned. */
static char *drain_stderr(int fd)
{
	struct inbuf b = { };

	if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0 || read_all(fd, &b) || !b.len) {
		free(b.data);
		b.data = NULL;
	} else {
		write_all(STDERR_FILENO, b.data, b.len);
		/* read_all() leaves room: it grows the buffer before a read. */
		b.data[b.len] = '\0';
	}
	if (fd >= 0 && !ftruncate(fd, 0))
		lseek(fd, 0, SEEK_SET);
	return b.data;
}

/*
 * The report of a child that died: how, and the end of its stderr (from
 * ASan's "ERROR:" line if there is one).
 */
static char *crash_report(const struct fuzz_cfg *c, int status, const char *err)
{
	const char *tail = "";
	char *rep = NULL;

	if (err) {
		const char *asan = strstr(err, "ERROR: AddressSanitizer");
		size_t len = strlen(err);

		if (asan) {
			while (asan > err && asan[-1] != '\n')
				asan--;
			tail = asan;
		} else {
			tail = len > CRASH_TAIL ? err + len - CRASH_TAIL : err;
		}
	}
	if (WIFSIGNALED(status)) {
		if (asprintf(&rep, "%s: the run's process was killed by signal %d (%s)%s%.*s",
			     c->scen->name, WTERMSIG(status), strsignal(WTERMSIG(status)),
			     *tail ? ", its stderr:\n" : "", CRASH_TAIL, tail) < 0)
			rep = NULL;
	} else if (asprintf(&rep, "%s: the run's process exited with status %d without a verdict%s%.*s",
			    c->scen->name, WEXITSTATUS(status),
			    *tail ? ", its stderr:\n" : "", CRASH_TAIL, tail) < 0) {
		rep = NULL;
	}
	return rep;
}

/* The file children write their stderr to, made once. */
static int err_file(void)
{
	static int fd = -2;
	FILE *f;

	if (fd != -2)
		return fd;
	f = tmpfile();
	fd = f ? dup(fileno(f)) : -1;
	if (f)
		fclose(f);
	return fd;
}

int fuzz_run_child(const struct fuzz_cfg *c, uint64_t seed, const char *replay,
		   struct fuzz_result *r)
{
	struct rec_result h = { };
	struct inbuf in = { };
	int pfd[2], status, err_fd = err_file(), ret = 0;
	char type = 0, *err;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe(pfd))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return ret;
	}
	if (!pid) {
		close(pfd[0]);
		child_main(c, seed, replay, pfd[1], err_fd);
	}
	close(pfd[1]);
	ret = read_all(pfd[0], &in);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	err = drain_stderr(err_fd);
	if (ret)
		goto out;
	take(&in, &type, 1);
	if (type == REC_ERROR) {
		take(&in, &h, sizeof(h));
		ret = h.ret ? h.ret : -EIO;
		goto out;
	}
	if (type == REC_RESULT && take(&in, &h, sizeof(h)) && WIFEXITED(status) &&
	    !WEXITSTATUS(status)) {
		r->schedule = take_str(&in);
		r->schedule_stay = take_str(&in);
		r->report = take_str(&in);
		if (r->schedule && r->schedule_stay) {
			r->ret = h.ret;
			r->failed = h.failed;
			r->reports = h.reports;
			r->steps = h.steps;
			if (!r->failed || r->report)
				goto out;
		}
		fuzz_result_free(r);
		ret = -EIO;
		goto out;
	}
	/* It died: a failure of the run, with what it could send first. */
	r->failed = true;
	r->signal = WIFSIGNALED(status) ? WTERMSIG(status) : -1;
	if (type == REC_CRASH) {
		r->schedule = take_str(&in);
		r->schedule_stay = take_str(&in);
	}
	if (!r->schedule)
		r->schedule = strdup("");
	if (!r->schedule_stay)
		r->schedule_stay = strdup("");
	r->report = crash_report(c, status, err);
	if (!r->schedule || !r->schedule_stay || !r->report) {
		fuzz_result_free(r);
		ret = -ENOMEM;
	}
out:
	free(err);
	free(in.data);
	return ret;
}
