// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel threads (kernel/kthread.c) on simulated tasks.
 *
 * As in the kernel, a new kthread starts in kthread(), which calls the
 * thread function only if nobody asked it to stop before its first
 * wake-up: kthread_stop() of a kthread that was never woken makes it exit
 * with -EINTR without running the function.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/smp.h>
#include <sim/sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* What kthread() runs; the simulator's own memory (no fault injection). */
struct kthread_create_info {
	int	(*threadfn)(void *data);
	void	*data;
};

static int kthread(void *arg)
{
	struct kthread_create_info info = *(struct kthread_create_info *)arg;

	free(arg);
	if (test_bit(KTHREAD_SHOULD_STOP, &current->kthread_flags))
		return -EINTR;
	return info.threadfn(info.data);
}

static struct task_struct *kthread_create_va(int (*threadfn)(void *), void *data, int cpu,
					     const char *namefmt, va_list ap)
{
	struct kthread_create_info *info;
	struct task_struct *k;
	char name[TASK_COMM_LEN];

	info = malloc(sizeof(*info));
	if (!info)
		return ERR_PTR(-ENOMEM);
	info->threadfn = threadfn;
	info->data = data;
	vsnprintf(name, sizeof(name), namefmt, ap);
	k = sched_task_create(kthread, info, cpu, "%s", name);
	if (IS_ERR(k)) {
		free(info);
		return k;
	}
	k->flags |= PF_KTHREAD;
	return k;
}

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *namefmt, ...)
{
	struct task_struct *k;
	va_list ap;
	int cpu = raw_smp_processor_id();

	if (!cpu_online(cpu))
		cpu = cpumask_first(cpu_online_mask);
	va_start(ap, namefmt);
	k = kthread_create_va(threadfn, data, cpu, namefmt, ap);
	va_end(ap);
	return k;
}

struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt)
{
	struct task_struct *k = kthread_create(threadfn, data, namefmt, cpu);

	if (!IS_ERR(k))
		kthread_bind(k, cpu);
	return k;
}

void kthread_bind(struct task_struct *k, unsigned int cpu)
{
	if (WARN_ON(k->__state != TASK_NEW))
		return;
	k->cpu = cpu;
	k->bound_cpu = cpu;
	k->flags |= PF_NO_SETAFFINITY;
}

bool kthread_should_stop(void)
{
	return test_bit(KTHREAD_SHOULD_STOP, &current->kthread_flags);
}

/* Never woken: kthread() sees the flag first and returns -EINTR. */
int kthread_stop(struct task_struct *k)
{
	set_bit(KTHREAD_SHOULD_STOP, &k->kthread_flags);
	wake_up_process(k);
	return sched_task_join(k);
}

void __noreturn kthread_exit(long result)
{
	sched_task_exit((int)result);
}
