/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the cmocka suites.
 *
 * A test that must hold in both scheduling backends is registered with
 * ZSIM_TEST_BOTH(fn): cmocka runs it twice, as "fn/free" and
 * "fn/controlled", and zsim_test_boot(state, ...) starts the machine in the
 * backend of that run. cmocka's assertions longjmp, so they are only used on
 * the test's own thread: simulated tasks return results (or store them in
 * the test's structures) and the test asserts after zsim_run()/zsim_join().
 */
#ifndef _ZSIM_TEST_H
#define _ZSIM_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include <zswapsim.h>

static const enum zsim_backend zsim_test_free_backend = ZSIM_FREE_RUNNING;
static const enum zsim_backend zsim_test_controlled_backend = ZSIM_CONTROLLED;

/* A test that failed half-way leaves its machine: stop it for the next. */
static inline int zsim_test_teardown(void **state)
{
	if (zsim_machine_running())
		zsim_machine_stop();
	return 0;
}

#define ZSIM_TEST_FREE(fn) \
	{ #fn "/free", fn, NULL, zsim_test_teardown, (void *)&zsim_test_free_backend }
#define ZSIM_TEST_CONTROLLED(fn) \
	{ #fn "/controlled", fn, NULL, zsim_test_teardown, (void *)&zsim_test_controlled_backend }
#define ZSIM_TEST_BOTH(fn) ZSIM_TEST_FREE(fn), ZSIM_TEST_CONTROLLED(fn)

static inline enum zsim_backend zsim_test_backend(void **state)
{
	if (state && *state)
		return *(const enum zsim_backend *)*state;
	return ZSIM_FREE_RUNNING;
}

/* A default machine for @state's backend with @nr_cpus CPUs and @seed. */
static inline void zsim_test_config(void **state, struct zsim_config *cfg,
				    unsigned int nr_cpus, uint64_t seed)
{
	zsim_config_init(cfg);
	cfg->backend = zsim_test_backend(state);
	cfg->nr_cpus = nr_cpus;
	cfg->seed = seed;
}

static inline void zsim_test_boot(void **state, unsigned int nr_cpus, uint64_t seed)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, nr_cpus, seed);
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

/*
 * Send stderr (fd 2) to a temporary file, for a test of what a call says;
 * zsim_test_stderr_end() restores it and returns the text (free() it).
 */
static inline FILE *zsim_test_stderr_begin(int *saved)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	fflush(stderr);
	*saved = dup(STDERR_FILENO);
	assert_true(*saved >= 0);
	assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
	return f;
}

static inline char *zsim_test_stderr_end(FILE *f, int saved)
{
	char *text;
	long len;

	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	len = ftell(f);
	assert_true(len >= 0);
	text = calloc(1, len + 1);
	assert_non_null(text);
	rewind(f);
	assert_int_equal(fread(text, 1, len, f), len);
	fclose(f);
	return text;
}

/* Stop the machine and require that nothing was reported during its life. */
static inline void zsim_test_shutdown_clean(void)
{
	unsigned long reports = zsim_machine_stop();

	if (reports)
		fail_msg("machine reported %lu problem(s); first:\n%s", reports,
			 zsim_first_report());
}

#endif /* _ZSIM_TEST_H */
