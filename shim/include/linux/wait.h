/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wait queues and wait_event() (<linux/wait.h>).
 *
 * The kernel's protocol, on the shim's scheduling layer: a waiter queues
 * itself and sets its task state, re-checks the condition and calls
 * schedule(); a waker makes the condition true and then wakes the queue,
 * which sets the sleepers' state back to TASK_RUNNING. Every sleep in the
 * shim (mutexes, semaphores, completions, RCU grace periods, workqueue
 * flushes) goes through here, so both backends see every blocked task.
 *
 * Difference: the queue's lock is the shim's raw lock, not a spinlock_t, so
 * wait queues are invisible to lockdep (the kernel's wq lock rarely matters
 * to it) and never contain a scheduling point.
 */
#ifndef _SHIM_LINUX_WAIT_H
#define _SHIM_LINUX_WAIT_H

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <sim/rawlock.h>
#include <sim/sched.h>

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE	0x01
#define WQ_FLAG_WOKEN		0x02

struct wait_queue_entry {
	unsigned int		flags;
	void			*private;	/* the sleeping task */
	wait_queue_func_t	func;
	struct list_head	entry;
};
typedef struct wait_queue_entry wait_queue_entry_t;

struct wait_queue_head {
	struct sim_rawlock	lock;
	struct list_head	head;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock = SIM_RAWLOCK_INIT,					\
	.head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

static inline void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	sim_rawlock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			  int flags, void *key);
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
			     int flags, void *key);

#define __WAITQUEUE_INITIALIZER(name, tsk) {				\
	.private = tsk, .func = default_wake_function,			\
	.entry = { NULL, NULL } }
#define DECLARE_WAITQUEUE(name, tsk) \
	struct wait_queue_entry name = __WAITQUEUE_INITIALIZER(name, tsk)
#define DEFINE_WAIT_FUNC(name, function)				\
	struct wait_queue_entry name = {				\
		.private = current,					\
		.func = function,					\
		.entry = LIST_HEAD_INIT((name).entry) }
#define DEFINE_WAIT(name)	DEFINE_WAIT_FUNC(name, autoremove_wake_function)

static inline void init_waitqueue_entry(struct wait_queue_entry *wq_entry,
					struct task_struct *p)
{
	wq_entry->flags = 0;
	wq_entry->private = p;
	wq_entry->func = default_wake_function;
}

void init_wait_entry(struct wait_queue_entry *wq_entry, int flags);

static inline int waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

static inline bool wq_has_sleeper(struct wait_queue_head *wq_head)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return waitqueue_active(wq_head);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void add_wait_queue_exclusive(struct wait_queue_head *wq_head,
			      struct wait_queue_entry *wq_entry);
void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);

void prepare_to_wait(struct wait_queue_head *wq_head,
		     struct wait_queue_entry *wq_entry, int state);
bool prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state);
long prepare_to_wait_event(struct wait_queue_head *wq_head,
			   struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);

/* Wake up to @nr_exclusive exclusive waiters and all non-exclusive ones. */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode,
	       int nr_exclusive, void *key);

#define wake_up(x)			__wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)		__wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x)			__wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x)	__wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_all(x)	__wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)
#define wake_up_locked(x)		__wake_up(x, TASK_NORMAL, 1, NULL)

/*
 * The wait_event() family. The condition is re-evaluated after every
 * wake-up; the task state is set before each evaluation so that a wake-up
 * between the check and schedule() is not lost.
 */
#define ___wait_event(wq_head, condition, state, exclusive, ret, cmd) ({ \
	struct wait_queue_entry __wq_entry;				\
	long __ret = ret;						\
									\
	init_wait_entry(&__wq_entry, exclusive ? WQ_FLAG_EXCLUSIVE : 0); \
	for (;;) {							\
		prepare_to_wait_event(&(wq_head), &__wq_entry, state);	\
		if (condition)						\
			break;						\
		cmd;							\
	}								\
	finish_wait(&(wq_head), &__wq_entry);				\
	__ret;								\
})

#define __wait_event(wq_head, condition) \
	(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0, schedule())

#define wait_event(wq_head, condition) do {				\
	might_sleep();							\
	sched_set_blocked_on("wait_event(" #condition ") at "	\
			     __FILE__ ":" __stringify(__LINE__));	\
	if (condition)							\
		break;							\
	__wait_event(wq_head, condition);				\
} while (0)

#define wait_event_idle(wq_head, condition) do {			\
	might_sleep();							\
	sched_set_blocked_on("wait_event(" #condition ") at "	\
			     __FILE__ ":" __stringify(__LINE__));	\
	if (!(condition))						\
		(void)___wait_event(wq_head, condition, TASK_IDLE, 0, 0, schedule()); \
} while (0)

#define wait_event_idle_exclusive(wq_head, condition) do {		\
	might_sleep();							\
	sched_set_blocked_on("wait_event(" #condition ") at "	\
			     __FILE__ ":" __stringify(__LINE__));	\
	if (!(condition))						\
		(void)___wait_event(wq_head, condition, TASK_IDLE, 1, 0, schedule()); \
} while (0)

/* No signals reach simulated tasks, so these always return 0. */
#define wait_event_interruptible(wq_head, condition) ({			\
	might_sleep();							\
	sched_set_blocked_on("wait_event(" #condition ") at "	\
			     __FILE__ ":" __stringify(__LINE__));	\
	if (!(condition))						\
		(void)___wait_event(wq_head, condition, TASK_INTERRUPTIBLE, 0, 0, schedule()); \
	0;								\
})
#define wait_event_killable(wq_head, condition) ({			\
	might_sleep();							\
	sched_set_blocked_on("wait_event(" #condition ") at "	\
			     __FILE__ ":" __stringify(__LINE__));	\
	if (!(condition))						\
		(void)___wait_event(wq_head, condition, TASK_KILLABLE, 0, 0, schedule()); \
	0;								\
})

#define ___wait_cond_timeout(condition) ({				\
	bool __cond = (condition);					\
	if (__cond && !__ret)						\
		__ret = 1;						\
	__cond || !__ret;						\
})

/*
 * Returns 0 if @condition was still false when @timeout (jiffies) elapsed,
 * else the jiffies left (at least 1).
 */
#define __wait_event_timeout(wq_head, condition, state, timeout)	\
	___wait_event(wq_head, ___wait_cond_timeout(condition),		\
		      state, 0, timeout, __ret = schedule_timeout(__ret))

#define wait_event_timeout(wq_head, condition, timeout) ({		\
	long __ret = timeout;						\
	might_sleep();							\
	sched_set_blocked_on("wait_event(" #condition ") at "	\
			     __FILE__ ":" __stringify(__LINE__));	\
	if (!___wait_cond_timeout(condition))				\
		__ret = __wait_event_timeout(wq_head, condition,	\
					     TASK_UNINTERRUPTIBLE, timeout); \
	__ret;								\
})
#define wait_event_interruptible_timeout(wq_head, condition, timeout) ({ \
	long __ret = timeout;						\
	might_sleep();							\
	sched_set_blocked_on("wait_event(" #condition ") at "	\
			     __FILE__ ":" __stringify(__LINE__));	\
	if (!___wait_cond_timeout(condition))				\
		__ret = __wait_event_timeout(wq_head, condition,	\
					     TASK_INTERRUPTIBLE, timeout); \
	__ret;								\
})
#define wait_event_idle_timeout(wq_head, condition, timeout) ({		\
	long __ret = timeout;						\
	might_sleep();							\
	sched_set_blocked_on("wait_event(" #condition ") at "	\
			     __FILE__ ":" __stringify(__LINE__));	\
	if (!___wait_cond_timeout(condition))				\
		__ret = __wait_event_timeout(wq_head, condition,	\
					     TASK_IDLE, timeout);	\
	__ret;								\
})

#endif /* _SHIM_LINUX_WAIT_H */
