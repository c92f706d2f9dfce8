/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Timers (<linux/timer.h>).
 *
 * A timer fires when jiffies reaches its expiry. Callbacks run one at a
 * time in the machine's timer kthread "ktimers" (created by timers_init()),
 * in softirq context as the kernel's TIMER_SOFTIRQ: in_serving_softirq() is
 * true and sleeping is reported. Timers with the same expiry fire in the
 * order they were armed. The kthread sleeps with schedule_timeout() until
 * the earliest expiry, so in the controlled backend virtual time jumps to
 * the next expiry when nothing else can run.
 *
 * Differences from the kernel: one timer base for the machine instead of
 * one per CPU, so a timer does not fire on the CPU that armed it
 * (TIMER_PINNED and add_timer_on() are accepted and ignored) and callbacks
 * of different timers never run in parallel; TIMER_DEFERRABLE timers are
 * not deferred. A timer still pending at machine stop is reported as a
 * leak (the kernel would call it after its module was unloaded).
 */
#ifndef _SHIM_LINUX_TIMER_H
#define _SHIM_LINUX_TIMER_H

#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/types.h>
/*
 * glibc's <time.h> declares POSIX timer_delete(timer_t): declare it first,
 * then give the kernel's timer_delete() another symbol name.
 */
#include <time.h>
#define timer_delete		zsim_timer_delete

struct timer_list {
	/* In the timer base, sorted by expiry; prev == NULL: not pending. */
	struct list_head	entry;
	unsigned long		expires;
	void			(*function)(struct timer_list *);
	u32			flags;
};

#define TIMER_CPUMASK		0x0003FFFF
#define TIMER_MIGRATING		0x00040000
#define TIMER_BASEMASK		(TIMER_CPUMASK | TIMER_MIGRATING)
#define TIMER_DEFERRABLE	0x00080000
#define TIMER_PINNED		0x00100000
#define TIMER_IRQSAFE		0x00200000
#define TIMER_INIT_FLAGS	(TIMER_DEFERRABLE | TIMER_PINNED | TIMER_IRQSAFE)

#define __TIMER_INITIALIZER(_function, _flags) {			\
		.entry = { NULL, NULL },				\
		.function = (_function),				\
		.flags = (_flags),					\
	}

#define DEFINE_TIMER(_name, _function)					\
	struct timer_list _name = __TIMER_INITIALIZER(_function, 0)

static inline void __init_timer(struct timer_list *timer,
				void (*func)(struct timer_list *), unsigned int flags)
{
	timer->entry.next = NULL;
	timer->entry.prev = NULL;
	timer->expires = 0;
	timer->function = func;
	timer->flags = flags & TIMER_INIT_FLAGS;
}

#define timer_setup(timer, callback, flags)				\
	__init_timer((timer), (callback), (flags))
#define timer_setup_on_stack(timer, callback, flags)			\
	__init_timer((timer), (callback), (flags))

static inline void destroy_timer_on_stack(struct timer_list *timer)
{
	(void)timer;
}

#define from_timer(var, callback_timer, timer_fieldname)		\
	container_of(callback_timer, typeof(*var), timer_fieldname)
#define timer_container_of(var, callback_timer, timer_fieldname)	\
	from_timer(var, callback_timer, timer_fieldname)

/* Is @timer armed? Racy unless the caller serialises, as in the kernel. */
static inline int timer_pending(const struct timer_list *timer)
{
	return READ_ONCE(timer->entry.prev) != NULL;
}

/*
 * (Re)arm @timer to fire at @expires (jiffies). Returns 1 if it was
 * pending (modified), 0 if it was inactive. A timer that was shut down is
 * not re-armed.
 */
int mod_timer(struct timer_list *timer, unsigned long expires);
/* As mod_timer(), but only if the timer is pending. */
int mod_timer_pending(struct timer_list *timer, unsigned long expires);
/* As mod_timer(), but never postpone a pending timer. */
int timer_reduce(struct timer_list *timer, unsigned long expires);
/* Arm an inactive timer at timer->expires; BUG if it is pending. */
void add_timer(struct timer_list *timer);
void add_timer_on(struct timer_list *timer, int cpu);
void add_timer_global(struct timer_list *timer);

/* Disarm; returns 1 if it was pending. Does not wait for a running callback. */
int timer_delete(struct timer_list *timer);
/* Disarm and wait for a running callback; -1 from try_ if it is running. */
int try_to_del_timer_sync(struct timer_list *timer);
int timer_delete_sync(struct timer_list *timer);
/* Disarm for good: later mod_timer()/add_timer() calls do nothing. */
int timer_shutdown(struct timer_list *timer);
int timer_shutdown_sync(struct timer_list *timer);

static inline int del_timer(struct timer_list *timer)
{
	return timer_delete(timer);
}

static inline int del_timer_sync(struct timer_list *timer)
{
	return timer_delete_sync(timer);
}

#define del_singleshot_timer_sync(t)	timer_delete_sync(t)

/* Round to whole seconds, as the kernel does to batch wake-ups. */
unsigned long round_jiffies(unsigned long j);
unsigned long round_jiffies_relative(unsigned long j);
unsigned long round_jiffies_up(unsigned long j);
unsigned long round_jiffies_up_relative(unsigned long j);

#endif /* _SHIM_LINUX_TIMER_H */
