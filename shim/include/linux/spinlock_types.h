/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Spinlock types and static initialisers (<linux/spinlock_types.h>,
 * <linux/spinlock_types_raw.h>).
 *
 * A raw_spinlock_t is an atomic word with CONFIG_DEBUG_SPINLOCK's owner
 * fields and a lockdep map. spinlock_t wraps it as in a non-PREEMPT_RT
 * kernel; its dep_map overlays the inner lock's, so lockdep_assert_held()
 * works on either. A statically initialised lock is its own lockdep class
 * (key = its address), named after the variable.
 */
#ifndef _SHIM_LINUX_SPINLOCK_TYPES_H
#define _SHIM_LINUX_SPINLOCK_TYPES_H

#include <linux/lockdep_types.h>
#include <linux/types.h>

struct task_struct;

typedef struct raw_spinlock {
	struct lockdep_map	dep_map;	/* first: spinlock_t overlays it */
	int			locked;		/* 0 or 1, atomic */
	int			owner_cpu;	/* debug: holder's CPU, -1 */
	struct task_struct	*owner;		/* debug: holder, NULL */
} raw_spinlock_t;

#define __RAW_SPIN_LOCK_INITIALIZER(lockname) {				\
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#lockname, &(lockname)),	\
	.locked = 0,							\
	.owner_cpu = -1,						\
	.owner = NULL }

#define __RAW_SPIN_LOCK_UNLOCKED(lockname) \
	((raw_spinlock_t)__RAW_SPIN_LOCK_INITIALIZER(lockname))

#define DEFINE_RAW_SPINLOCK(x)	raw_spinlock_t x = __RAW_SPIN_LOCK_UNLOCKED(x)

typedef struct spinlock {
	union {
		struct raw_spinlock	rlock;
		struct lockdep_map	dep_map;	/* == rlock.dep_map */
	};
} spinlock_t;

#define ___SPIN_LOCK_INITIALIZER(lockname) \
	{ { .rlock = __RAW_SPIN_LOCK_INITIALIZER(lockname) } }

#define __SPIN_LOCK_UNLOCKED(lockname) \
	((spinlock_t)___SPIN_LOCK_INITIALIZER(lockname))

#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

#include <linux/rwlock_types.h>

#endif /* _SHIM_LINUX_SPINLOCK_TYPES_H */
