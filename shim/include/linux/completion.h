/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Completions (<linux/completion.h>, kernel/sched/completion.c).
 *
 * done counts complete() calls not yet consumed by a waiter (UINT_MAX
 * after complete_all(): every wait succeeds until reinit_completion()).
 * Waiters sleep on a wait queue in TASK_UNINTERRUPTIBLE, exclusively:
 * complete() wakes one, complete_all() all. Every operation is a
 * scheduling point; the waits start with might_sleep().
 *
 * Difference: the kernel's queue is a simple wait queue under a raw
 * spinlock; here it is a struct wait_queue_head whose raw lock also
 * protects done. No signals: the _interruptible and _killable forms never
 * return -ERESTARTSYS.
 */
#ifndef _SHIM_LINUX_COMPLETION_H
#define _SHIM_LINUX_COMPLETION_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/wait.h>

struct completion {
	unsigned int		done;
	struct wait_queue_head	wait;
};

#define COMPLETION_INITIALIZER(work) \
	{ 0, __WAIT_QUEUE_HEAD_INITIALIZER((work).wait) }

#define COMPLETION_INITIALIZER_ONSTACK(work) \
	(*({ init_completion(&(work)); &(work); }))

#define DECLARE_COMPLETION(work) \
	struct completion work = COMPLETION_INITIALIZER(work)
#define DECLARE_COMPLETION_ONSTACK(work) \
	struct completion work = COMPLETION_INITIALIZER_ONSTACK(work)
#define DECLARE_COMPLETION_ONSTACK_MAP(work, map) \
	DECLARE_COMPLETION_ONSTACK(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

/* Reset a completion for reuse; nobody may be waiting on it. */
static inline void reinit_completion(struct completion *x)
{
	__atomic_store_n(&x->done, 0, __ATOMIC_RELAXED);
}

void wait_for_completion(struct completion *x);
void wait_for_completion_io(struct completion *x);
int wait_for_completion_interruptible(struct completion *x);
int wait_for_completion_killable(struct completion *x);
int wait_for_completion_state(struct completion *x, unsigned int state);
/* 0 if @timeout jiffies passed first, else the jiffies left (at least 1). */
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
unsigned long wait_for_completion_io_timeout(struct completion *x, unsigned long timeout);
long wait_for_completion_interruptible_timeout(struct completion *x,
					       unsigned long timeout);
long wait_for_completion_killable_timeout(struct completion *x, unsigned long timeout);
/* Consume a completion without blocking: false if none was pending. */
bool try_wait_for_completion(struct completion *x);
/* True if a wait would not block (does not consume). */
bool completion_done(struct completion *x);

void complete(struct completion *x);
void complete_on_current_cpu(struct completion *x);
void complete_all(struct completion *x);

#endif /* _SHIM_LINUX_COMPLETION_H */
