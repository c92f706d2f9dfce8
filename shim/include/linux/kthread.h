/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel threads (<linux/kthread.h>): simulated tasks flagged PF_KTHREAD.
 * kthread_stop() sets the stop flag, wakes the thread and waits for it to
 * exit, returning its exit code, or -EINTR without the thread function
 * having run if it was never woken (as in the kernel, the thread checks the
 * flag before calling it); the task_struct is freed then, as the kernel's
 * final put_task_struct() would.
 */
#ifndef _SHIM_LINUX_KTHREAD_H
#define _SHIM_LINUX_KTHREAD_H

#include <linux/err.h>
#include <linux/sched.h>

#define KTHREAD_SHOULD_STOP	0
#define KTHREAD_SHOULD_PARK	1

struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt);
struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *namefmt, ...) __printf(3, 4);

#define kthread_run(threadfn, data, namefmt, ...) ({			\
	struct task_struct *__k =					\
		kthread_create(threadfn, data, namefmt, ##__VA_ARGS__);	\
	if (!IS_ERR(__k))						\
		wake_up_process(__k);					\
	__k;								\
})

/* Bind a not yet started kthread to @cpu. */
void kthread_bind(struct task_struct *k, unsigned int cpu);
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);
void __noreturn kthread_exit(long result);

#endif /* _SHIM_LINUX_KTHREAD_H */
