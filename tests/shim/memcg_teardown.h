/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Teardown for suites that make memory cgroups: a test that failed
 * half-way leaves its cgroups online, and stopping the machine would then
 * report them (and everything they hold) as leaks after the real failure.
 * Remove them first, children before parents, so that a failed test
 * reports only its own failure.
 */
#ifndef _ZSIM_TEST_MEMCG_TEARDOWN_H
#define _ZSIM_TEST_MEMCG_TEARDOWN_H

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/memcontrol.h>
#include <sim/memcg.h>

#include "zsim_test.h"

#define MEMCG_TEARDOWN_MAX	64

static int memcg_rmdir_leftovers(void *arg)
{
	struct mem_cgroup *left[MEMCG_TEARDOWN_MAX], *pos;
	int n = 0;

	/* Pre-order: a parent comes before its children. */
	for (pos = mem_cgroup_iter(NULL, NULL, NULL); pos; pos = mem_cgroup_iter(NULL, pos, NULL)) {
		if (mem_cgroup_is_root(pos) || n == ARRAY_SIZE(left))
			continue;
		css_get(&pos->css);
		left[n++] = pos;
	}
	while (n--) {
		/* Offline already (a dying one) is fine: nothing to do. */
		mem_cgroup_remove(left[n]);
		mem_cgroup_put(left[n]);
	}
	return 0;
}

static inline int memcg_test_teardown(void **state)
{
	if (zsim_machine_running())
		zsim_run(cpumask_first(cpu_online_mask), memcg_rmdir_leftovers, NULL);
	return zsim_test_teardown(state);
}

#define MEMCG_TEST(fn)	cmocka_unit_test_teardown(fn, memcg_test_teardown)
#define MEMCG_TEST_BOTH(fn) \
	{ #fn "/free", fn, NULL, memcg_test_teardown, (void *)&zsim_test_free_backend }, \
	{ #fn "/controlled", fn, NULL, memcg_test_teardown, (void *)&zsim_test_controlled_backend }

#endif /* _ZSIM_TEST_MEMCG_TEARDOWN_H */
