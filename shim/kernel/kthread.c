// SPDX-License-Identifier: GPL-2.0-only
/* Kernel threads (kernel/kthread.c) on simulated tasks. */
#include <linux/bitops.h>
#include <linux/kthread.h>
#include <linux/smp.h>
#include <sim/sched.h>
#include <stdarg.h>
#include <stdio.h>

static struct task_struct *kthread_create_va(int (*threadfn)(void *), void *data, int cpu,
					     const char *namefmt, va_list ap)
{
	struct task_struct *k;
	char name[TASK_COMM_LEN];

	vsnprintf(name, sizeof(name), namefmt, ap);
	k = sched_task_create(threadfn, data, cpu, "%s", name);
	if (!IS_ERR(k))
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
