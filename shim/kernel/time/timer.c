// SPDX-License-Identifier: GPL-2.0-only
/*
 * Timers (kernel/time/timer.c) on one timer base for the machine.
 *
 * Pending timers sit in a list sorted by expiry (ties in arming order)
 * under the base's raw lock. The timer kthread "ktimers" runs the expired
 * ones, one at a time and in order, in softirq context, then sleeps with
 * schedule_timeout() until the next expiry, or idle when none is pending.
 * Arming a timer that expires before the kthread's wake-up time wakes it.
 * In the controlled backend the kthread's sleep is an ordinary timeout, so
 * virtual time jumps to the next expiry as soon as nothing else can run.
 */
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include <sim/init.h>
#include <sim/rawlock.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <sched.h>

#include "timer_internal.h"

#define NO_EXPIRY	(~0UL)

static struct timer_base {
	struct sim_rawlock	lock;
	struct list_head	pending;	/* sorted by expires */
	struct timer_list	*running;	/* callback being run */
	/* Expiry the kthread sleeps until; 0 while it is awake. */
	unsigned long		sleep_until;
	struct task_struct	*thread;
} base = {
	.lock = SIM_RAWLOCK_INIT,
	.pending = LIST_HEAD_INIT(base.pending),
};

static void detach_timer(struct timer_list *timer)
{
	list_del(&timer->entry);
	timer->entry.next = NULL;
	WRITE_ONCE(timer->entry.prev, NULL);
}

/* Insert in expiry order, after timers with the same expiry. Base locked. */
static bool enqueue_timer(struct timer_list *timer, unsigned long expires)
{
	struct list_head *pos;

	timer->expires = expires;
	for (pos = base.pending.prev; pos != &base.pending; pos = pos->prev) {
		if (list_entry(pos, struct timer_list, entry)->expires <= expires)
			break;
	}
	list_add(&timer->entry, pos);
	/*
	 * Jiffies never wrap in the simulator (they count from machine start
	 * in 64 bits), so expiries compare directly.
	 */
	if (base.thread && base.sleep_until && expires < base.sleep_until) {
		base.sleep_until = 0;
		return true;
	}
	return false;
}

void timer_kick(void)
{
	struct task_struct *t = READ_ONCE(base.thread);

	if (t)
		wake_up_process(t);
}

bool __timer_arm(struct timer_list *timer, unsigned long expires)
{
	bool kick = false;

	sim_rawlock_lock(&base.lock);
	if (timer_pending(timer))
		detach_timer(timer);
	/* A timer that was shut down is never re-armed. */
	if (timer->function)
		kick = enqueue_timer(timer, expires);
	sim_rawlock_unlock(&base.lock);
	return kick;
}

bool __timer_detach(struct timer_list *timer)
{
	bool was_pending = false;

	sim_rawlock_lock(&base.lock);
	if (timer_pending(timer)) {
		detach_timer(timer);
		was_pending = true;
	}
	sim_rawlock_unlock(&base.lock);
	return was_pending;
}

enum mod_mode {
	MOD_TIMER_ANY,
	MOD_TIMER_PENDING_ONLY,
	MOD_TIMER_REDUCE,
};

static int __mod_timer(struct timer_list *timer, unsigned long expires, enum mod_mode mode)
{
	bool kick = false;
	int ret = 0;

	/* The kernel takes the base's spinlock here: a scheduling point. */
	sched_point();
	sim_rawlock_lock(&base.lock);
	if (timer_pending(timer)) {
		if (timer->expires == expires ||
		    (mode == MOD_TIMER_REDUCE && timer->expires < expires)) {
			sim_rawlock_unlock(&base.lock);
			return 1;
		}
		detach_timer(timer);
		ret = 1;
	} else if (mode == MOD_TIMER_PENDING_ONLY) {
		sim_rawlock_unlock(&base.lock);
		return 0;
	}
	if (timer->function)
		kick = enqueue_timer(timer, expires);
	sim_rawlock_unlock(&base.lock);
	if (kick)
		timer_kick();
	return ret;
}

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, MOD_TIMER_ANY);
}

int mod_timer_pending(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, MOD_TIMER_PENDING_ONLY);
}

int timer_reduce(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, MOD_TIMER_REDUCE);
}

void add_timer(struct timer_list *timer)
{
	BUG_ON(timer_pending(timer));
	__mod_timer(timer, timer->expires, MOD_TIMER_ANY);
}

/* One base for all CPUs: the CPU is ignored (see <linux/timer.h>). */
void add_timer_on(struct timer_list *timer, int cpu)
{
	(void)cpu;
	add_timer(timer);
}

void add_timer_global(struct timer_list *timer)
{
	add_timer(timer);
}

int timer_delete(struct timer_list *timer)
{
	sched_point();
	return __timer_detach(timer);
}

int try_to_del_timer_sync(struct timer_list *timer)
{
	int ret = 0;

	sched_point();
	sim_rawlock_lock(&base.lock);
	if (base.running == timer) {
		ret = -1;
	} else if (timer_pending(timer)) {
		detach_timer(timer);
		ret = 1;
	}
	sim_rawlock_unlock(&base.lock);
	return ret;
}

static bool running_self(struct timer_list *timer)
{
	return current && current == READ_ONCE(base.thread) &&
	       READ_ONCE(base.running) == timer;
}

/*
 * Wait for a running callback by spinning, as the kernel does (it is not
 * a sleep, so callers may hold spinlocks). In the controlled backend the
 * spin-wait point in each attempt lets the timer kthread finish; that
 * kthread occupies its own CPU while it runs a callback, so it never waits
 * for the spinner's CPU.
 */
static void wait_for_running_timer(struct timer_list *timer)
{
	unsigned int spins = 0;

	while (READ_ONCE(base.running) == timer) {
		sched_spin_wait();
		if (!sim_controlled() && ++spins % 64 == 0)
			sched_yield();
	}
}

int timer_delete_sync(struct timer_list *timer)
{
	int ret;

	/* From its own callback this would spin forever. */
	if (WARN_ON_ONCE(running_self(timer)))
		return timer_delete(timer);
	for (;;) {
		ret = try_to_del_timer_sync(timer);
		if (ret >= 0)
			return ret;
		wait_for_running_timer(timer);
	}
}

static int __timer_shutdown(struct timer_list *timer)
{
	int ret = 0;

	sched_point();
	sim_rawlock_lock(&base.lock);
	if (timer_pending(timer)) {
		detach_timer(timer);
		ret = 1;
	}
	timer->function = NULL;
	sim_rawlock_unlock(&base.lock);
	return ret;
}

int timer_shutdown(struct timer_list *timer)
{
	return __timer_shutdown(timer);
}

int timer_shutdown_sync(struct timer_list *timer)
{
	int ret;

	if (WARN_ON_ONCE(running_self(timer)))
		return timer_shutdown(timer);
	ret = __timer_shutdown(timer);
	wait_for_running_timer(timer);
	return ret;
}

/* Whole seconds, rounded to the nearest unless that is in the past. */
unsigned long round_jiffies(unsigned long j)
{
	unsigned long rem = j % HZ, r;

	r = rem < HZ / 4 ? j - rem : j - rem + HZ;
	return time_is_after_jiffies(r) ? r : j;
}

unsigned long round_jiffies_relative(unsigned long j)
{
	unsigned long now = jiffies;

	return round_jiffies(j + now) - now;
}

unsigned long round_jiffies_up(unsigned long j)
{
	return roundup(j, HZ);
}

unsigned long round_jiffies_up_relative(unsigned long j)
{
	unsigned long now = jiffies;

	return round_jiffies_up(j + now) - now;
}

/* Run one callback in softirq context, as the kernel's call_timer_fn(). */
static void call_timer_fn(struct timer_list *timer, void (*fn)(struct timer_list *))
{
	int count = preempt_count();

	__preempt_count_add(SOFTIRQ_OFFSET);
	fn(timer);
	__preempt_count_sub(SOFTIRQ_OFFSET);
	if (WARN_ONCE(preempt_count() != count,
		      "timer: %p preempt leak: %08x -> %08x\n",
		      (void *)fn, count, preempt_count()))
		preempt_count_set(count);
}

static int timer_thread(void *unused)
{
	for (;;) {
		unsigned long now, next;

		sched_point();
		sim_rawlock_lock(&base.lock);
		base.sleep_until = 0;
		while (!list_empty(&base.pending)) {
			struct timer_list *t = list_first_entry(&base.pending,
								struct timer_list, entry);
			void (*fn)(struct timer_list *) = t->function;

			if (t->expires > get_jiffies_64())
				break;
			detach_timer(t);
			base.running = t;
			sim_rawlock_unlock(&base.lock);
			call_timer_fn(t, fn);
			sched_point();
			sim_rawlock_lock(&base.lock);
			base.running = NULL;
		}
		/* State first, then the stop check: kthread_stop() is not lost. */
		set_current_state(TASK_IDLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			sim_rawlock_unlock(&base.lock);
			break;
		}
		next = list_empty(&base.pending) ? NO_EXPIRY :
		       list_first_entry(&base.pending, struct timer_list, entry)->expires;
		base.sleep_until = next;
		sim_rawlock_unlock(&base.lock);

		now = get_jiffies_64();
		if (next == NO_EXPIRY)
			schedule();
		else if (next > now)
			schedule_timeout((long)(next - now));
		else
			__set_current_state(TASK_RUNNING);
	}
	return 0;
}

int timers_init(void)
{
	struct task_struct *t;

	timekeeping_init();
	sim_rawlock_lock(&base.lock);
	base.running = NULL;
	base.sleep_until = 0;
	sim_rawlock_unlock(&base.lock);
	t = kthread_run(timer_thread, NULL, "ktimers");
	if (IS_ERR(t))
		return (int)PTR_ERR(t);
	WRITE_ONCE(base.thread, t);
	return 0;
}

void timers_exit(void)
{
	struct task_struct *t;

	sim_rawlock_lock(&base.lock);
	t = base.thread;
	WRITE_ONCE(base.thread, NULL);
	if (sim_machine_wedged()) {
		/* The timer thread was killed: forget what was armed. */
		INIT_LIST_HEAD(&base.pending);
		base.running = NULL;
		sim_rawlock_unlock(&base.lock);
		return;
	}
	sim_rawlock_unlock(&base.lock);
	if (t)
		kthread_stop(t);

	/* A module left a timer armed: the kernel would call freed code. */
	sim_rawlock_lock(&base.lock);
	while (!list_empty(&base.pending)) {
		struct timer_list *timer = list_first_entry(&base.pending,
							    struct timer_list, entry);
		void *fn = (void *)timer->function;

		detach_timer(timer);
		sim_rawlock_unlock(&base.lock);
		sim_report_begin(SIM_REPORT_LEAK,
				 "timer %p still pending at shutdown (expires %lu, function:)",
				 (void *)timer, timer->expires);
		sim_report_stack(&fn, 1);
		sim_report_end();
		sim_rawlock_lock(&base.lock);
	}
	sim_rawlock_unlock(&base.lock);
}
