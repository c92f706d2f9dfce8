/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals shared by the shim's RCU files (kernel/rcu/rcu.h):
 * update.c (read side and checks), tree.c (grace periods), tree_nocb.c
 * (the callback kthread).
 */
#ifndef _SHIM_KERNEL_RCU_RCU_H
#define _SHIM_KERNEL_RCU_RCU_H

#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/wait.h>

/*
 * Controlled backend: tasks that wait for a grace period sleep on
 * rcu_gp_wq; the outermost rcu_read_unlock() wakes it when anyone waits.
 */
extern struct wait_queue_head rcu_gp_wq;
extern int rcu_gp_waiters;

/* Wait for a grace period; current is a task outside any reader. */
void rcu_wait_gp(void);

/* Callback machinery (tree_nocb.c). */
int rcu_nocb_init(void);
void rcu_nocb_exit(void);

/* Print @t's held locks into the report being written (lockdep). */
void lockdep_print_held_locks(struct task_struct *t);

#endif /* _SHIM_KERNEL_RCU_RCU_H */
