/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reader/writer spinlock type (<linux/rwlock_types.h>).
 *
 * cnt counts the readers; a writer sets RW_LOCK_WRITER in it. Readers do
 * not wait for a waiting writer, so read_lock() may recurse (lockdep treats
 * it as a recursive read lock). waiters stands for the queued rwlock's
 * wait_lock: nonzero while a reader or writer spins in the slow path.
 */
#ifndef _SHIM_LINUX_RWLOCK_TYPES_H
#define _SHIM_LINUX_RWLOCK_TYPES_H

#ifndef _SHIM_LINUX_SPINLOCK_TYPES_H
# error "do not include directly, include linux/spinlock_types.h"
#endif

#define RW_LOCK_WRITER		(1 << 30)

typedef struct {
	struct lockdep_map	dep_map;
	int			cnt;		/* readers, | RW_LOCK_WRITER */
	int			waiters;	/* tasks spinning in the slow path */
	int			owner_cpu;	/* debug: writer's CPU, -1 */
	struct task_struct	*owner;		/* debug: writer, NULL */
} rwlock_t;

#define __RW_LOCK_INITIALIZER(lockname) {				\
	.dep_map = STATIC_LOCKDEP_MAP_INIT(#lockname, &(lockname)),	\
	.cnt = 0,							\
	.waiters = 0,							\
	.owner_cpu = -1,						\
	.owner = NULL }

#define __RW_LOCK_UNLOCKED(lockname)	((rwlock_t)__RW_LOCK_INITIALIZER(lockname))

#define DEFINE_RWLOCK(x)	rwlock_t x = __RW_LOCK_UNLOCKED(x)

#endif /* _SHIM_LINUX_RWLOCK_TYPES_H */
