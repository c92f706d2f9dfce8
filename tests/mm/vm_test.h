/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the VM suites (test_vm.c, test_selftests.c): booting a
 * machine with a swap device, reading cgroup files and vmstat as numbers.
 */
#ifndef _ZSIM_VM_TEST_H
#define _ZSIM_VM_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zsim_test.h"

#define VM_PAGE_SIZE	4096L

/*
 * The memcgs a test made, to rmdir (children first) before the machine
 * stops: one left online would be reported as leaked.
 */
#define VM_MAX_MEMCGS	8
static char vm_memcgs[VM_MAX_MEMCGS][128];
static int vm_nr_memcgs;

/* mkdir @parent/@name and remember it for vm_shutdown(). */
static inline void vm_memcg_create(const char *parent, const char *name)
{
	assert_true(vm_nr_memcgs < VM_MAX_MEMCGS);
	assert_int_equal(zsim_memcg_create(parent, name), 0);
	snprintf(vm_memcgs[vm_nr_memcgs++], sizeof(vm_memcgs[0]), "%s/%s",
		 strcmp(parent, "/") ? parent : "", name);
}

/* rmdir the test's memcgs, then stop and require a clean machine. */
static inline void vm_shutdown(void)
{
	while (vm_nr_memcgs)
		assert_int_equal(zsim_memcg_destroy(vm_memcgs[--vm_nr_memcgs]), 0);
	zsim_test_shutdown_clean();
}

/* Boot on @nr_cpus CPUs with @swap_slots of swap (none if 0) and zswap @zswap. */
static inline void vm_boot(void **state, unsigned int nr_cpus, unsigned long swap_slots,
			   bool zswap)
{
	vm_nr_memcgs = 0;
	zsim_test_boot(state, nr_cpus, 7);
	assert_int_equal(zsim_param_set("zswap", "enabled", zswap ? "Y" : "N"), 0);
	if (swap_slots)
		assert_int_equal(zsim_swapon(swap_slots, NULL, 0, 0), 0);
}

/* A process of @memcg with @nr order-0 pages of corpus @seed, each touched once. */
static inline void vm_process_touched(const char *memcg, unsigned long nr, uint64_t seed,
				      bool write, struct zsim_process **proc,
				      struct zsim_region **r)
{
	assert_int_equal(zsim_process_create(memcg, proc), 0);
	assert_int_equal(zsim_mmap(*proc, nr, 0, seed, r), 0);
	assert_int_equal(zsim_touch(*r, 0, nr, write), 0);
}

/* The value of @key in a "key value" per line text, or -1. */
static inline long vm_text_key(const char *buf, const char *key)
{
	size_t klen = strlen(key);
	const char *p;

	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtol(p + klen + 1, NULL, 10);
	return -1;
}

/* @key of @path's memory.stat, or -1. */
static inline long vm_stat(const char *path, const char *key)
{
	char buf[1024];

	if (zsim_memcg_read(path, "memory.stat", buf, sizeof(buf)) < 0)
		return -1;
	return vm_text_key(buf, key);
}

static inline long vm_vmstat(const char *key)
{
	char buf[1024];

	if (zsim_vmstat_read(buf, sizeof(buf)) < 0)
		return -1;
	return vm_text_key(buf, key);
}

/* @key of a "key value" cgroup file of @path (memory.events), or -1. */
static inline long vm_memcg_key(const char *path, const char *file, const char *key)
{
	char buf[256];

	if (zsim_memcg_read(path, file, buf, sizeof(buf)) < 0)
		return -1;
	return vm_text_key(buf, key);
}

/* A numeric cgroup file (memory.current, memory.zswap.current), or -1. */
static inline long vm_memcg_num(const char *path, const char *file)
{
	char buf[64];

	if (zsim_memcg_read(path, file, buf, sizeof(buf)) < 0)
		return -1;
	return strtol(buf, NULL, 10);
}

#endif /* _ZSIM_VM_TEST_H */
