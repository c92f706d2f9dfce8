// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU reference counts (lib/percpu-refcount.c).
 *
 * In per-CPU mode the true count is the sum of the per-CPU counters plus
 * the atomic count; the counters wrap freely, only their sum matters.
 * Nobody can see the count reach zero there, which is fine while the
 * owner still holds the initial reference. To shut down, the reference is
 * switched to atomic mode first: the ATOMIC flag makes new gets and puts
 * go to the atomic count, and once an RCU grace period guarantees that no
 * CPU is still inside a per-CPU get or put, the per-CPU counters are
 * summed into the atomic count. Until then the atomic count carries
 * PERCPU_COUNT_BIAS so that it cannot reach zero early.
 *
 * Mode switches are serialised by percpu_ref_switch_lock; a switch to
 * atomic mode that is still waiting for its grace period is marked by a
 * non-NULL data->confirm_switch, and a new switch waits for it on
 * percpu_ref_switch_waitq.
 */
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/percpu-refcount.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#define BITS_PER_LONG_PCPU	(8 * sizeof(long))
#define PERCPU_COUNT_BIAS	(1LU << (BITS_PER_LONG_PCPU - 1))

static DEFINE_SPINLOCK(percpu_ref_switch_lock);
static DECLARE_WAIT_QUEUE_HEAD(percpu_ref_switch_waitq);

static unsigned long __percpu *percpu_count_ptr(struct percpu_ref *ref)
{
	return (unsigned long __percpu *)(ref->percpu_count_ptr & ~__PERCPU_REF_ATOMIC_DEAD);
}

/**
 * percpu_ref_init - initialize a percpu refcount
 * @ref: percpu_ref to initialize
 * @release: called when the count reaches zero after the kill
 * @flags: PERCPU_REF_INIT_* and PERCPU_REF_ALLOW_REINIT
 * @gfp: allocation mask for the counters and the data
 *
 * Without flags @ref starts in per-CPU mode with a count of 1.
 * Returns 0 or -ENOMEM.
 */
int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release,
		    unsigned int flags, gfp_t gfp)
{
	size_t align = max_t(size_t, 1 << __PERCPU_REF_FLAG_BITS, __alignof__(unsigned long));
	unsigned long start_count = 0;
	struct percpu_ref_data *data;

	/* Unlike the kernel, leave a failed @ref safe for percpu_ref_exit(). */
	ref->data = NULL;
	/* The allocator zeroes the counters on every CPU. */
	ref->percpu_count_ptr = (unsigned long)__alloc_percpu_gfp(sizeof(unsigned long), align, gfp);
	if (!ref->percpu_count_ptr)
		return -ENOMEM;

	data = kzalloc(sizeof(*ref->data), gfp);
	if (!data) {
		free_percpu((void __percpu *)ref->percpu_count_ptr);
		ref->percpu_count_ptr = 0;
		return -ENOMEM;
	}

	data->force_atomic = flags & PERCPU_REF_INIT_ATOMIC;
	data->allow_reinit = flags & PERCPU_REF_ALLOW_REINIT;

	if (flags & (PERCPU_REF_INIT_ATOMIC | PERCPU_REF_INIT_DEAD)) {
		ref->percpu_count_ptr |= __PERCPU_REF_ATOMIC;
		data->allow_reinit = true;
	} else {
		start_count += PERCPU_COUNT_BIAS;
	}

	if (flags & PERCPU_REF_INIT_DEAD)
		ref->percpu_count_ptr |= __PERCPU_REF_DEAD;
	else
		start_count++;

	atomic_long_set(&data->count, start_count);
	data->release = release;
	data->confirm_switch = NULL;
	data->ref = ref;
	ref->data = data;
	return 0;
}
EXPORT_SYMBOL_GPL(percpu_ref_init);

/* Free the per-CPU counters only (the data may still be in use). */
static void __percpu_ref_exit(struct percpu_ref *ref)
{
	unsigned long __percpu *percpu_count = percpu_count_ptr(ref);

	if (percpu_count) {
		/* A non-NULL confirm_switch means a switch is in progress. */
		WARN_ON_ONCE(ref->data && ref->data->confirm_switch);
		free_percpu(percpu_count);
		ref->percpu_count_ptr = __PERCPU_REF_ATOMIC_DEAD;
	}
}

/**
 * percpu_ref_exit - undo percpu_ref_init()
 * @ref: percpu_ref to exit
 *
 * Frees the counters and the data. The caller guarantees that @ref is no
 * longer in use: typically called from the release callback or on an init
 * error path. percpu_ref_is_zero() still answers afterwards.
 */
void percpu_ref_exit(struct percpu_ref *ref)
{
	struct percpu_ref_data *data = ref->data;
	unsigned long flags;

	__percpu_ref_exit(ref);
	if (!data)
		return;

	spin_lock_irqsave(&percpu_ref_switch_lock, flags);
	ref->percpu_count_ptr |= (unsigned long)atomic_long_read(&ref->data->count) <<
				 __PERCPU_REF_FLAG_BITS;
	ref->data = NULL;
	spin_unlock_irqrestore(&percpu_ref_switch_lock, flags);

	kfree(data);
}
EXPORT_SYMBOL_GPL(percpu_ref_exit);

static void percpu_ref_call_confirm_rcu(struct rcu_head *rcu)
{
	struct percpu_ref_data *data = container_of(rcu, struct percpu_ref_data, rcu);
	struct percpu_ref *ref = data->ref;

	data->confirm_switch(ref);
	WRITE_ONCE(data->confirm_switch, NULL);
	wake_up_all(&percpu_ref_switch_waitq);

	/* Nobody may switch back to per-CPU mode: the counters can go now. */
	if (!data->allow_reinit)
		__percpu_ref_exit(ref);

	/* Drop the reference taken by __percpu_ref_switch_to_atomic(). */
	percpu_ref_put(ref);
}

static void percpu_ref_switch_to_atomic_rcu(struct rcu_head *rcu)
{
	struct percpu_ref_data *data = container_of(rcu, struct percpu_ref_data, rcu);
	struct percpu_ref *ref = data->ref;
	unsigned long __percpu *percpu_count = percpu_count_ptr(ref);
	unsigned long count = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		count += READ_ONCE(*per_cpu_ptr(percpu_count, cpu));

	/*
	 * Add the sum of all CPUs at once: one CPU's counter alone may be
	 * negative (gets here, puts there) and would let the count reach
	 * zero too early. Removing the bias in the same addition is
	 * equivalent to removing it afterwards.
	 */
	atomic_long_add((long)count - PERCPU_COUNT_BIAS, &data->count);

	WARN_ONCE(atomic_long_read(&data->count) <= 0,
		  "percpu ref (release %p) <= 0 (%ld) after switching to atomic",
		  data->release, atomic_long_read(&data->count));

	/* Every CPU now sees @ref in atomic mode. */
	percpu_ref_call_confirm_rcu(rcu);
}

static void percpu_ref_noop_confirm_switch(struct percpu_ref *ref)
{
}

static void __percpu_ref_switch_to_atomic(struct percpu_ref *ref,
					  percpu_ref_func_t *confirm_switch)
{
	if (ref->percpu_count_ptr & __PERCPU_REF_ATOMIC) {
		if (confirm_switch)
			confirm_switch(ref);
		return;
	}

	/* From per-CPU mode to atomic: new gets and puts go to the atomic count. */
	WRITE_ONCE(ref->percpu_count_ptr, ref->percpu_count_ptr | __PERCPU_REF_ATOMIC);

	/* A non-NULL confirm_switch marks the switch as in progress. */
	ref->data->confirm_switch = confirm_switch ?: percpu_ref_noop_confirm_switch;

	percpu_ref_get(ref);	/* put after the confirmation */
	call_rcu_hurry(&ref->data->rcu, percpu_ref_switch_to_atomic_rcu);
}

static void __percpu_ref_switch_to_percpu(struct percpu_ref *ref)
{
	unsigned long __percpu *percpu_count = percpu_count_ptr(ref);
	int cpu;

	BUG_ON(!percpu_count);

	if (!(ref->percpu_count_ptr & __PERCPU_REF_ATOMIC))
		return;

	if (WARN_ON_ONCE(!ref->data->allow_reinit))
		return;

	atomic_long_add(PERCPU_COUNT_BIAS, &ref->data->count);

	/*
	 * Zero the counters, then clear ATOMIC with a release store: a CPU
	 * that sees per-CPU mode (acquire load in __ref_is_percpu()) sees
	 * the zeroes.
	 */
	for_each_possible_cpu(cpu)
		WRITE_ONCE(*per_cpu_ptr(percpu_count, cpu), 0);

	smp_store_release(&ref->percpu_count_ptr, ref->percpu_count_ptr & ~__PERCPU_REF_ATOMIC);
}

/*
 * The kernel's wait_event_lock_irq(percpu_ref_switch_waitq,
 * !ref->data->confirm_switch, percpu_ref_switch_lock): called with the
 * lock held (irqs off), sleeps with it dropped.
 */
static void percpu_ref_wait_switch_done(struct percpu_ref *ref)
{
	DEFINE_WAIT(wait);

	if (!READ_ONCE(ref->data->confirm_switch))
		return;
	for (;;) {
		prepare_to_wait(&percpu_ref_switch_waitq, &wait, TASK_UNINTERRUPTIBLE);
		if (!READ_ONCE(ref->data->confirm_switch))
			break;
		spin_unlock_irq(&percpu_ref_switch_lock);
		sched_set_blocked_on("percpu_ref switch to atomic mode in progress");
		schedule();
		spin_lock_irq(&percpu_ref_switch_lock);
	}
	finish_wait(&percpu_ref_switch_waitq, &wait);
}

static void __percpu_ref_switch_mode(struct percpu_ref *ref,
				     percpu_ref_func_t *confirm_switch)
{
	struct percpu_ref_data *data = ref->data;

	lockdep_assert_held(&percpu_ref_switch_lock);

	/*
	 * Wait for a previous switch to atomic mode to finish. If the caller
	 * knows none is in progress, this may be called from any context.
	 */
	percpu_ref_wait_switch_done(ref);

	if (data->force_atomic || percpu_ref_is_dying(ref))
		__percpu_ref_switch_to_atomic(ref, confirm_switch);
	else
		__percpu_ref_switch_to_percpu(ref);
}

/**
 * percpu_ref_switch_to_atomic - switch a percpu_ref to atomic mode
 * @ref: percpu_ref to switch
 * @confirm_switch: optional callback, called once every CPU is in atomic mode
 *
 * The reference stays in atomic mode across kill/reinit cycles until
 * percpu_ref_switch_to_percpu(). May sleep only if a switch is already in
 * progress.
 */
void percpu_ref_switch_to_atomic(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_switch)
{
	unsigned long flags;

	spin_lock_irqsave(&percpu_ref_switch_lock, flags);
	ref->data->force_atomic = true;
	__percpu_ref_switch_mode(ref, confirm_switch);
	spin_unlock_irqrestore(&percpu_ref_switch_lock, flags);
}
EXPORT_SYMBOL_GPL(percpu_ref_switch_to_atomic);

/**
 * percpu_ref_switch_to_atomic_sync - switch to atomic mode and wait for it
 * @ref: percpu_ref to switch
 *
 * The caller must make sure that nobody switches back to per-CPU mode
 * meanwhile.
 */
void percpu_ref_switch_to_atomic_sync(struct percpu_ref *ref)
{
	percpu_ref_switch_to_atomic(ref, NULL);
	wait_event(percpu_ref_switch_waitq, !READ_ONCE(ref->data->confirm_switch));
}
EXPORT_SYMBOL_GPL(percpu_ref_switch_to_atomic_sync);

/**
 * percpu_ref_switch_to_percpu - switch a percpu_ref back to per-CPU mode
 * @ref: percpu_ref to switch
 *
 * Undoes PERCPU_REF_INIT_ATOMIC and percpu_ref_switch_to_atomic(). On a
 * dying or dead reference the switch happens at the next
 * percpu_ref_reinit(). May sleep only if a switch to atomic mode is in
 * progress.
 */
void percpu_ref_switch_to_percpu(struct percpu_ref *ref)
{
	unsigned long flags;

	spin_lock_irqsave(&percpu_ref_switch_lock, flags);
	ref->data->force_atomic = false;
	__percpu_ref_switch_mode(ref, NULL);
	spin_unlock_irqrestore(&percpu_ref_switch_lock, flags);
}
EXPORT_SYMBOL_GPL(percpu_ref_switch_to_percpu);

/**
 * percpu_ref_kill_and_confirm - drop the initial ref and schedule confirmation
 * @ref: percpu_ref to kill
 * @confirm_kill: optional callback, called once every CPU sees @ref dead
 *
 * After @confirm_kill has run, percpu_ref_tryget_live() fails on every
 * CPU. There is no grace period between the kill and the release.
 */
void percpu_ref_kill_and_confirm(struct percpu_ref *ref,
				 percpu_ref_func_t *confirm_kill)
{
	unsigned long flags;

	spin_lock_irqsave(&percpu_ref_switch_lock, flags);

	WARN_ONCE(percpu_ref_is_dying(ref),
		  "%s called more than once on percpu ref (release %p)!",
		  __func__, ref->data->release);

	WRITE_ONCE(ref->percpu_count_ptr, ref->percpu_count_ptr | __PERCPU_REF_DEAD);
	__percpu_ref_switch_mode(ref, confirm_kill);
	percpu_ref_put(ref);

	spin_unlock_irqrestore(&percpu_ref_switch_lock, flags);
}
EXPORT_SYMBOL_GPL(percpu_ref_kill_and_confirm);

/**
 * percpu_ref_is_zero - test whether a percpu refcount reached zero
 * @ref: percpu_ref to test
 *
 * Also valid after percpu_ref_exit().
 */
bool percpu_ref_is_zero(struct percpu_ref *ref)
{
	unsigned long __percpu *percpu_count;
	unsigned long count, flags;

	if (__ref_is_percpu(ref, &percpu_count))
		return false;

	/* The lock keeps percpu_ref_exit() from freeing the data under us. */
	spin_lock_irqsave(&percpu_ref_switch_lock, flags);
	if (ref->data)
		count = atomic_long_read(&ref->data->count);
	else
		count = ref->percpu_count_ptr >> __PERCPU_REF_FLAG_BITS;
	spin_unlock_irqrestore(&percpu_ref_switch_lock, flags);

	return count == 0;
}
EXPORT_SYMBOL_GPL(percpu_ref_is_zero);

/**
 * percpu_ref_reinit - re-initialize a percpu refcount
 * @ref: percpu_ref to re-initialize
 *
 * @ref must have reached zero and not been exited; it returns to the state
 * percpu_ref_init() left it in (ignoring PERCPU_REF_INIT_DEAD).
 */
void percpu_ref_reinit(struct percpu_ref *ref)
{
	WARN_ON_ONCE(!percpu_ref_is_zero(ref));

	percpu_ref_resurrect(ref);
}
EXPORT_SYMBOL_GPL(percpu_ref_reinit);

/**
 * percpu_ref_resurrect - bring a killed percpu refcount back to life
 * @ref: percpu_ref to resurrect
 *
 * @ref must be dead but not exited; it returns to its state before
 * percpu_ref_kill(). The caller makes sure the release callback cannot run
 * meanwhile if it would free @ref.
 */
void percpu_ref_resurrect(struct percpu_ref *ref)
{
	unsigned long __percpu *percpu_count;
	unsigned long flags;

	spin_lock_irqsave(&percpu_ref_switch_lock, flags);

	WARN_ON_ONCE(!percpu_ref_is_dying(ref));
	WARN_ON_ONCE(__ref_is_percpu(ref, &percpu_count));

	WRITE_ONCE(ref->percpu_count_ptr, ref->percpu_count_ptr & ~__PERCPU_REF_DEAD);
	percpu_ref_get(ref);
	__percpu_ref_switch_mode(ref, NULL);

	spin_unlock_irqrestore(&percpu_ref_switch_lock, flags);
}
EXPORT_SYMBOL_GPL(percpu_ref_resurrect);

void __percpu_ref_warn_get_dead(struct percpu_ref *ref)
{
	WARN_ONCE(1, "percpu ref (release %p): get on a dead reference whose count reached zero",
		  ref->data->release);
}

void __percpu_ref_warn_underflow(struct percpu_ref *ref, long count)
{
	WARN_ONCE(1, "percpu ref (release %p): count below zero (%ld) after a put",
		  ref->data->release, count);
}
