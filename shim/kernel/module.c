// SPDX-License-Identifier: GPL-2.0-only
/*
 * Initcalls and module exit functions (init/main.c's do_initcalls(),
 * kernel/module/ unloading), run at every machine start and stop.
 *
 * The *_initcall() and module_exit() constructors fill two tables before
 * main(). do_initcalls() sorts the initcalls by level, keeping registration
 * (link) order within a level, and runs them in the boot task.
 * do_exitcalls() runs the exit functions of the modules whose initcalls all
 * succeeded, the module initialised last going first.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct initcall_entry {
	initcall_t	fn;
	int		level;
	const char	*name;
	const char	*modname;
	bool		module_init;
	unsigned int	seq;		/* registration order */
	int		ret;		/* of this machine's call */
	bool		ran;
};

struct exitcall_entry {
	exitcall_t	fn;
	const char	*name;
	const char	*modname;
	unsigned int	seq;
	/* Initcalls registered before it: its own file's come first. */
	unsigned int	nr_initcalls_before;
	long		key;		/* position of the module's last initcall */
};

static struct initcall_entry *initcalls;
static unsigned int nr_initcalls;
static struct exitcall_entry *exitcalls;
static unsigned int nr_exitcalls;
static bool initcalls_sorted;

static void *grow(void *array, unsigned int nr, size_t size)
{
	void *p = realloc(array, (nr + 1) * size);

	if (!p) {
		fprintf(stderr, "zswapsim: out of memory registering an initcall\n");
		abort();
	}
	return p;
}

void zsim_register_initcall(initcall_t fn, int level, const char *fn_name,
			    const char *modname, bool module_init)
{
	struct initcall_entry *e;

	initcalls = grow(initcalls, nr_initcalls, sizeof(*initcalls));
	e = &initcalls[nr_initcalls];
	memset(e, 0, sizeof(*e));
	e->fn = fn;
	e->level = level;
	e->name = fn_name;
	e->modname = modname;
	e->module_init = module_init;
	e->seq = nr_initcalls++;
	initcalls_sorted = false;
}

void zsim_register_exitcall(exitcall_t fn, const char *fn_name, const char *modname)
{
	struct exitcall_entry *e;

	exitcalls = grow(exitcalls, nr_exitcalls, sizeof(*exitcalls));
	e = &exitcalls[nr_exitcalls];
	memset(e, 0, sizeof(*e));
	e->fn = fn;
	e->name = fn_name;
	e->modname = modname;
	e->nr_initcalls_before = nr_initcalls;
	e->seq = nr_exitcalls++;
}

static int initcall_cmp(const void *a, const void *b)
{
	const struct initcall_entry *x = a, *y = b;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

/* Exit functions of later-initialised modules first. */
static int exitcall_cmp(const void *a, const void *b)
{
	const struct exitcall_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->seq > y->seq ? -1 : (x->seq < y->seq);
}

static void sort_calls(void)
{
	unsigned int i, j;

	if (initcalls_sorted)
		return;
	if (nr_initcalls)
		qsort(initcalls, nr_initcalls, sizeof(*initcalls), initcall_cmp);
	for (i = 0; i < nr_exitcalls; i++) {
		/*
		 * Built-in code ("kernel") is many files, one pseudo-module:
		 * each exit function goes with its own file's initcall, the
		 * last one registered before it, so that it runs after the
		 * exit of a module initialised later (zswap's late initcall
		 * before the swap devices', memcgs' and compressors' exits).
		 */
		bool builtin = !strcmp(exitcalls[i].modname, "kernel");

		exitcalls[i].key = -1;
		for (j = 0; j < nr_initcalls; j++) {
			if (strcmp(initcalls[j].modname, exitcalls[i].modname))
				continue;
			if (builtin && initcalls[j].seq >= exitcalls[i].nr_initcalls_before)
				continue;
			if (!builtin || exitcalls[i].key < 0 ||
			    initcalls[j].seq > initcalls[exitcalls[i].key].seq)
				exitcalls[i].key = j;
		}
	}
	if (nr_exitcalls)
		qsort(exitcalls, nr_exitcalls, sizeof(*exitcalls), exitcall_cmp);
	initcalls_sorted = true;
}

/* Report an initcall or exit function that left the context unbalanced. */
static void check_context(const char *what, const char *name, int count)
{
	if (WARN(preempt_count() != count, "%s %s returned with preemption imbalance\n",
		 what, name))
		preempt_count_set(count);
	if (WARN(irqs_disabled(), "%s %s returned with disabled interrupts\n", what, name))
		local_irq_enable();
}

void do_initcalls(void)
{
	unsigned int i;

	sort_calls();
	for (i = 0; i < nr_initcalls; i++) {
		initcalls[i].ran = false;
		initcalls[i].ret = 0;
	}
	for (i = 0; i < nr_initcalls; i++) {
		struct initcall_entry *e = &initcalls[i];
		int count = preempt_count();

		e->ret = e->fn();
		e->ran = true;
		check_context("initcall", e->name, count);
		if (e->ret)
			pr_warn("initcall %s (%s) returned %d\n", e->name, e->modname, e->ret);
	}
}

/* A module that failed to initialise was never loaded: no exit for it. */
static bool module_loaded(const char *modname)
{
	unsigned int i;

	for (i = 0; i < nr_initcalls; i++) {
		if (!strcmp(initcalls[i].modname, modname) &&
		    (!initcalls[i].ran || initcalls[i].ret))
			return false;
	}
	return true;
}

void do_exitcalls(void)
{
	unsigned int i;

	sort_calls();
	for (i = 0; i < nr_exitcalls; i++) {
		struct exitcall_entry *e = &exitcalls[i];
		int count = preempt_count();

		if (!module_loaded(e->modname))
			continue;
		e->fn();
		check_context("exit function", e->name, count);
	}
	for (i = 0; i < nr_initcalls; i++)
		initcalls[i].ran = false;
}
