/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the lock implementations in kernel/locking/ share with lockdep.c
 * and with each other (kernel/locking/lockdep_internals.h in spirit). Not
 * a kernel API.
 */
#ifndef _SHIM_KERNEL_LOCKING_LOCKDEP_INTERNALS_H
#define _SHIM_KERNEL_LOCKING_LOCKDEP_INTERNALS_H

#include <linux/compiler.h>
#include <linux/lockdep.h>
#include <linux/sched.h>

/*
 * lock_release() that tells whether the release balanced an acquisition:
 * false if it was reported as a bad unlock, so the lock's own debug checks
 * do not report the same mistake a second time.
 */
bool lock_release_checked(struct lockdep_map *lock, unsigned long ip);

/*
 * A lock implementation's debug check failed (CONFIG_DEBUG_SPINLOCK /
 * DEBUG_MUTEXES / DEBUG_RWSEMS style): "DEBUG_LOCKS_WARN_ON(@what)" for
 * @lock, with current's held locks and a backtrace, as SIM_REPORT_LOCKDEP.
 * Silent while the validator is off.
 */
void debug_locks_report(const char *what, const struct lockdep_map *lock);

/*
 * current is about to wait for a lock it holds itself: report it and kill
 * the task with BUG(), as a certain self-deadlock would hang it forever.
 */
void __noreturn lock_self_deadlock(const char *what, const struct lockdep_map *lock);

/* A lock's name for reports: its map's name, or its address. */
const char *lockdep_map_name(const struct lockdep_map *lock, char *buf, size_t len);

/*
 * A thread that is not a simulated task found a lock busy. It cannot
 * sleep; in the free-running backend it backs off on the host, in the
 * controlled backend no task runs while it does, so it would spin forever:
 * that is a usage error and aborts with a message.
 */
void lock_busy_outside_task(const char *what, const struct lockdep_map *lock,
			    unsigned long *spins);

/* An owner value for lock words: current, or a per-thread tag outside tasks. */
extern __thread long lock_owner_tag_outside_task;

static __always_inline long lock_owner_id(void)
{
	struct task_struct *t = current;

	return t ? (long)t : (long)&lock_owner_tag_outside_task;
}

#endif /* _SHIM_KERNEL_LOCKING_LOCKDEP_INTERNALS_H */
