/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Lock classes and held-lock records (<linux/lockdep_types.h>).
 *
 * As in the kernel, a lock's class is the address of a static
 * struct lock_class_key, one per initialisation site (spin_lock_init(),
 * mutex_init(), ... declare it), or one given with lockdep_set_class().
 * Held locks are always tracked per task (the deadlock report prints them);
 * the order validator can be switched off for throughput runs.
 */
#ifndef _SHIM_LINUX_LOCKDEP_TYPES_H
#define _SHIM_LINUX_LOCKDEP_TYPES_H

#include <linux/types.h>

#define MAX_LOCK_DEPTH		48
#define HELD_LOCK_STACK_DEPTH	12

struct lock_class_key {
	char __one_byte;	/* only its address matters */
};

struct lock_class;

struct lockdep_map {
	struct lock_class_key	*key;
	const char		*name;
	struct lock_class	*class_cache;	/* lockdep's class for key */
};

struct held_lock {
	struct lockdep_map	*instance;
	unsigned long		acquire_ip;
	int			read;		/* 0 exclusive, 1 shared, 2 recursive-read */
	int			trylock;
	int			nr_stack;
	void			*stack[HELD_LOCK_STACK_DEPTH];
};

#define STATIC_LOCKDEP_MAP_INIT(_name, _key) \
	{ .key = (void *)(_key), .name = (_name) }

#endif /* _SHIM_LINUX_LOCKDEP_TYPES_H */
