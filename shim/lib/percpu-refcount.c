// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU reference counts (lib/percpu-refcount.c), written for the shim.
 *
 * Where the count lives:
 * - per-CPU mode: each CPU adds to its own counter; those counters wrap
 *   and only their sum means anything. The atomic count holds the
 *   references taken before per-CPU mode began plus PCREF_BIAS, a huge
 *   offset that keeps it from reaching zero while the per-CPU part is
 *   unknown.
 * - atomic mode: the atomic count alone is the count; the put that takes
 *   it to zero calls the release callback.
 *
 * Leaving per-CPU mode takes two steps. pcref_begin_atomic() sets the
 * ATOMIC flag, so every get or put that starts afterwards uses the atomic
 * count; then, once an RCU grace period guarantees that the gets and puts
 * which still saw per-CPU mode (each one is an RCU read-side section) have
 * finished, pcref_fold_rcu() adds the per-CPU sum and removes the bias in
 * one addition, and the confirm callback runs. A reference pins itself
 * from the first step to the end of the second so that the release cannot
 * run in between.
 *
 * pcref_lock serialises all mode changes (one lock for every percpu_ref,
 * as in the kernel); data->switching marks a pending fold, and a new mode
 * change sleeps on pcref_switch_wq until it is done.
 */
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/percpu-refcount.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <sim/init.h>

#define PCREF_BIAS	(1UL << (BITS_PER_LONG - 1))

static DEFINE_SPINLOCK(pcref_lock);
static DECLARE_WAIT_QUEUE_HEAD(pcref_switch_wq);

/* A wedged machine's killed tasks may have left these held or waited on. */
static int __init percpu_ref_sim_init(void)
{
	sim_spin_lock_forget(&pcref_lock);
	init_waitqueue_head(&pcref_switch_wq);
	return 0;
}
pure_initcall(percpu_ref_sim_init);

/* The counters' address, without the mode flags. */
static unsigned long __percpu *pcref_counters(struct percpu_ref *ref)
{
	return (unsigned long __percpu *)(READ_ONCE(ref->percpu_count_ptr) &
					  ~(unsigned long)__PERCPU_REF_ATOMIC_DEAD);
}

static void pcref_set_flags(struct percpu_ref *ref, unsigned long flags)
{
	WRITE_ONCE(ref->percpu_count_ptr, ref->percpu_count_ptr | flags);
}

/* Free the per-CPU counters; the word keeps only ATOMIC|DEAD. */
static void pcref_free_counters(struct percpu_ref *ref)
{
	unsigned long __percpu *counters = pcref_counters(ref);

	if (!counters)
		return;
	WARN_ON_ONCE(ref->data && READ_ONCE(ref->data->switching));
	free_percpu(counters);
	WRITE_ONCE(ref->percpu_count_ptr, __PERCPU_REF_ATOMIC_DEAD);
}

/**
 * percpu_ref_init - set up a percpu refcount
 * @ref: the reference
 * @release: called once the count drops to zero after the kill
 * @flags: PERCPU_REF_INIT_ATOMIC, PERCPU_REF_INIT_DEAD, PERCPU_REF_ALLOW_REINIT
 * @gfp: allocation flags for the counters and the data
 *
 * Without flags @ref is live, in per-CPU mode, with a count of one.
 * Returns 0 or -ENOMEM.
 */
int percpu_ref_init(struct percpu_ref *ref, percpu_ref_func_t *release,
		    unsigned int flags, gfp_t gfp)
{
	bool atomic = flags & (PERCPU_REF_INIT_ATOMIC | PERCPU_REF_INIT_DEAD);
	bool dead = flags & PERCPU_REF_INIT_DEAD;
	/* The flags live in the low bits of the counters' address. */
	size_t align = max_t(size_t, __alignof__(unsigned long), 1UL << __PERCPU_REF_FLAG_BITS);
	struct percpu_ref_data *data;
	void __percpu *counters;

	/* Unlike the kernel, a failed init leaves @ref safe to exit. */
	ref->percpu_count_ptr = 0;
	ref->data = NULL;

	counters = __alloc_percpu_gfp(sizeof(unsigned long), align, gfp);
	if (!counters)
		return -ENOMEM;
	data = kzalloc(sizeof(*data), gfp);
	if (!data) {
		free_percpu(counters);
		return -ENOMEM;
	}

	data->release = release;
	data->ref = ref;
	data->force_atomic = flags & PERCPU_REF_INIT_ATOMIC;
	/* A reference born atomic must keep its counters for switching later. */
	data->allow_reinit = atomic || (flags & PERCPU_REF_ALLOW_REINIT);
	atomic_long_set(&data->count, (dead ? 0 : 1) + (atomic ? 0 : PCREF_BIAS));

	ref->percpu_count_ptr = (unsigned long)counters |
				(atomic ? __PERCPU_REF_ATOMIC : 0) |
				(dead ? __PERCPU_REF_DEAD : 0);
	ref->data = data;
	return 0;
}
EXPORT_SYMBOL_GPL(percpu_ref_init);

/**
 * percpu_ref_exit - free what percpu_ref_init() allocated
 * @ref: the reference, no longer used by anyone
 *
 * Usually called from the release callback or on an init error path.
 * percpu_ref_is_zero() keeps working: the final count is kept in the
 * flag word (shifted past the flags).
 */
void percpu_ref_exit(struct percpu_ref *ref)
{
	struct percpu_ref_data *data = ref->data;
	unsigned long irqflags, final;

	pcref_free_counters(ref);
	if (!data)
		return;

	final = (unsigned long)atomic_long_read(&data->count);
	spin_lock_irqsave(&pcref_lock, irqflags);
	WRITE_ONCE(ref->percpu_count_ptr,
		   ref->percpu_count_ptr | (final << __PERCPU_REF_FLAG_BITS));
	ref->data = NULL;
	spin_unlock_irqrestore(&pcref_lock, irqflags);
	kfree(data);
}
EXPORT_SYMBOL_GPL(percpu_ref_exit);

/* ---- mode changes, all under pcref_lock ---- */

static unsigned long pcref_sum_counters(struct percpu_ref *ref)
{
	unsigned long __percpu *counters = pcref_counters(ref);
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(counters, cpu));
	return sum;
}

/* The second step of leaving per-CPU mode, a grace period after the first. */
static void pcref_fold_rcu(struct rcu_head *rcu)
{
	struct percpu_ref_data *data = container_of(rcu, struct percpu_ref_data, rcu);
	struct percpu_ref *ref = data->ref;
	percpu_ref_func_t *confirm = data->confirm_switch;
	unsigned long __percpu *garbage = NULL;
	unsigned long irqflags;
	long count;

	/*
	 * A single CPU's counter may be "negative" (its gets were put on
	 * another CPU), so the sum goes in at once, with the bias removed in
	 * the same addition.
	 */
	count = atomic_long_add_return((long)(pcref_sum_counters(ref) - PCREF_BIAS),
				       &data->count);
	/* Our pin is still held, so anything at or below zero is a bug. */
	WARN_ONCE(count <= 0, "percpu_ref (release %p): count %ld <= 0 after switching to atomic mode",
		  data->release, count);

	if (confirm)
		confirm(ref);

	spin_lock_irqsave(&pcref_lock, irqflags);
	data->confirm_switch = NULL;
	WRITE_ONCE(data->switching, false);
	/*
	 * Nobody may return to per-CPU mode: the counters can go. As in the
	 * kernel, a reference without counters reads as atomic and dead.
	 * The word is rewritten under the lock, which a concurrent kill
	 * holds while it sets DEAD.
	 */
	if (!data->allow_reinit) {
		garbage = pcref_counters(ref);
		WRITE_ONCE(ref->percpu_count_ptr, __PERCPU_REF_ATOMIC_DEAD);
	}
	spin_unlock_irqrestore(&pcref_lock, irqflags);
	free_percpu(garbage);
	wake_up_all(&pcref_switch_wq);

	percpu_ref_put(ref);	/* the pin of pcref_begin_atomic() */
}

/* The first step: new gets and puts go to the atomic count. */
static void pcref_begin_atomic(struct percpu_ref *ref, percpu_ref_func_t *confirm)
{
	struct percpu_ref_data *data = ref->data;

	if (ref->percpu_count_ptr & __PERCPU_REF_ATOMIC) {
		/* Already there: every CPU sees atomic mode. */
		if (confirm)
			confirm(ref);
		return;
	}
	pcref_set_flags(ref, __PERCPU_REF_ATOMIC);
	atomic_long_inc(&data->count);	/* pin until pcref_fold_rcu() */
	data->confirm_switch = confirm;
	WRITE_ONCE(data->switching, true);
	call_rcu_hurry(&data->rcu, pcref_fold_rcu);
}

static void pcref_enter_percpu(struct percpu_ref *ref)
{
	unsigned long __percpu *counters = pcref_counters(ref);
	unsigned long word = ref->percpu_count_ptr;
	int cpu;

	if (!(word & __PERCPU_REF_ATOMIC))
		return;
	if (WARN_ONCE(!ref->data->allow_reinit || !counters,
		      "percpu_ref (release %p): per-CPU mode wanted without PERCPU_REF_ALLOW_REINIT",
		      ref->data->release))
		return;

	/* The counters start from zero; the atomic count takes the bias back. */
	atomic_long_add(PCREF_BIAS, &ref->data->count);
	for_each_possible_cpu(cpu)
		WRITE_ONCE(*per_cpu_ptr(counters, cpu), 0);
	/* Pairs with the acquire load of __percpu_ref_fast_counters(). */
	smp_store_release(&ref->percpu_count_ptr, word & ~(unsigned long)__PERCPU_REF_ATOMIC);
}

/*
 * Sleep, with pcref_lock dropped, until @ref has no fold pending (the
 * kernel's wait_event_lock_irq()). Returns at once if none is, so a caller
 * who knows that may be in atomic context.
 */
static void pcref_wait_fold(struct percpu_ref *ref)
{
	DEFINE_WAIT(wait);

	while (READ_ONCE(ref->data->switching)) {
		prepare_to_wait(&pcref_switch_wq, &wait, TASK_UNINTERRUPTIBLE);
		if (!READ_ONCE(ref->data->switching))
			break;
		spin_unlock_irq(&pcref_lock);
		sched_set_blocked_on("percpu_ref switch to atomic mode in progress");
		schedule();
		spin_lock_irq(&pcref_lock);
	}
	finish_wait(&pcref_switch_wq, &wait);
}

/* Bring @ref into the mode its flags ask for: atomic if forced or dead. */
static void pcref_update_mode(struct percpu_ref *ref, percpu_ref_func_t *confirm)
{
	lockdep_assert_held(&pcref_lock);
	pcref_wait_fold(ref);
	if (ref->data->force_atomic || percpu_ref_is_dying(ref))
		pcref_begin_atomic(ref, confirm);
	else
		pcref_enter_percpu(ref);
}

/**
 * percpu_ref_switch_to_atomic - put a percpu_ref in atomic mode
 * @ref: the reference
 * @confirm_switch: optional, called once every CPU uses the atomic count
 *
 * @ref stays atomic, across kills and reinits, until
 * percpu_ref_switch_to_percpu(). Sleeps only if a switch is pending.
 */
void percpu_ref_switch_to_atomic(struct percpu_ref *ref, percpu_ref_func_t *confirm_switch)
{
	unsigned long irqflags;

	spin_lock_irqsave(&pcref_lock, irqflags);
	ref->data->force_atomic = true;
	pcref_update_mode(ref, confirm_switch);
	spin_unlock_irqrestore(&pcref_lock, irqflags);
}
EXPORT_SYMBOL_GPL(percpu_ref_switch_to_atomic);

/**
 * percpu_ref_switch_to_atomic_sync - percpu_ref_switch_to_atomic() and wait
 * @ref: the reference
 *
 * Returns once every CPU uses the atomic count. The caller keeps others
 * from switching @ref back meanwhile.
 */
void percpu_ref_switch_to_atomic_sync(struct percpu_ref *ref)
{
	percpu_ref_switch_to_atomic(ref, NULL);
	wait_event(pcref_switch_wq, !READ_ONCE(ref->data->switching));
}
EXPORT_SYMBOL_GPL(percpu_ref_switch_to_atomic_sync);

/**
 * percpu_ref_switch_to_percpu - let a percpu_ref use per-CPU mode again
 * @ref: the reference (initialised atomic or with PERCPU_REF_ALLOW_REINIT)
 *
 * Undoes PERCPU_REF_INIT_ATOMIC and percpu_ref_switch_to_atomic(). A dying
 * reference switches at its next reinit or resurrect. Sleeps only if a
 * switch is pending.
 */
void percpu_ref_switch_to_percpu(struct percpu_ref *ref)
{
	unsigned long irqflags;

	spin_lock_irqsave(&pcref_lock, irqflags);
	ref->data->force_atomic = false;
	pcref_update_mode(ref, NULL);
	spin_unlock_irqrestore(&pcref_lock, irqflags);
}
EXPORT_SYMBOL_GPL(percpu_ref_switch_to_percpu);

/**
 * percpu_ref_kill_and_confirm - kill a percpu_ref and drop its first reference
 * @ref: the reference
 * @confirm_kill: optional, called once every CPU sees @ref dead
 *
 * From @confirm_kill on, percpu_ref_tryget_live() fails on every CPU. The
 * release callback may run as soon as the count allows; no grace period
 * separates it from the kill.
 */
void percpu_ref_kill_and_confirm(struct percpu_ref *ref, percpu_ref_func_t *confirm_kill)
{
	unsigned long irqflags;

	spin_lock_irqsave(&pcref_lock, irqflags);
	WARN_ONCE(percpu_ref_is_dying(ref), "percpu_ref (release %p) killed twice",
		  ref->data->release);
	pcref_set_flags(ref, __PERCPU_REF_DEAD);
	pcref_update_mode(ref, confirm_kill);
	/*
	 * Under the lock, as the kernel: holding it keeps this task an RCU
	 * reader, so the fold of a per-CPU ref cannot run before this put and
	 * always finds it done. (So, as in the kernel, the release callback of
	 * a ref already in atomic mode runs here, with the lock held, and must
	 * not call percpu_ref_exit().)
	 */
	percpu_ref_put(ref);
	spin_unlock_irqrestore(&pcref_lock, irqflags);
}
EXPORT_SYMBOL_GPL(percpu_ref_kill_and_confirm);

/**
 * percpu_ref_is_zero - whether a percpu refcount has dropped to zero
 * @ref: the reference, also after percpu_ref_exit()
 */
bool percpu_ref_is_zero(struct percpu_ref *ref)
{
	unsigned long irqflags;
	long count;

	if (__percpu_ref_fast_counters(ref))
		return false;	/* per-CPU mode: the initial reference is held */

	/* Under the lock percpu_ref_exit() cannot free the data meanwhile. */
	spin_lock_irqsave(&pcref_lock, irqflags);
	count = ref->data ? atomic_long_read(&ref->data->count) :
		(long)(ref->percpu_count_ptr >> __PERCPU_REF_FLAG_BITS);
	spin_unlock_irqrestore(&pcref_lock, irqflags);
	return count == 0;
}
EXPORT_SYMBOL_GPL(percpu_ref_is_zero);

/**
 * percpu_ref_resurrect - undo percpu_ref_kill()
 * @ref: a dead reference that was not exited
 *
 * @ref gets a reference back and returns to the mode it had before the
 * kill. If the release callback would free @ref, the caller keeps it from
 * running meanwhile.
 */
void percpu_ref_resurrect(struct percpu_ref *ref)
{
	unsigned long irqflags;

	spin_lock_irqsave(&pcref_lock, irqflags);
	WARN_ONCE(!percpu_ref_is_dying(ref), "percpu_ref (release %p) resurrected while live",
		  ref->data->release);
	WARN_ON_ONCE(__percpu_ref_fast_counters(ref));
	WRITE_ONCE(ref->percpu_count_ptr,
		   ref->percpu_count_ptr & ~(unsigned long)__PERCPU_REF_DEAD);
	/* Dead implies atomic mode: the reference goes to the atomic count. */
	atomic_long_inc(&ref->data->count);
	pcref_update_mode(ref, NULL);
	spin_unlock_irqrestore(&pcref_lock, irqflags);
}
EXPORT_SYMBOL_GPL(percpu_ref_resurrect);

/**
 * percpu_ref_reinit - revive a percpu_ref whose count dropped to zero
 * @ref: the reference, dead, at zero and not exited
 *
 * @ref returns to the state percpu_ref_init() gave it (except that
 * PERCPU_REF_INIT_DEAD is not repeated).
 */
void percpu_ref_reinit(struct percpu_ref *ref)
{
	WARN_ONCE(!percpu_ref_is_zero(ref), "percpu_ref (release %p) reinit before reaching zero",
		  ref->data->release);
	percpu_ref_resurrect(ref);
}
EXPORT_SYMBOL_GPL(percpu_ref_reinit);

/* ---- the atomic-mode halves of the inline get/put (in an RCU section) ---- */

void __percpu_ref_get_atomic(struct percpu_ref *ref, unsigned long nr)
{
	long count = atomic_long_add_return(nr, &ref->data->count);

	/* Shim check: a dead ref that got back from zero was used after release. */
	WARN_ONCE(count == (long)nr && percpu_ref_is_dying(ref),
		  "percpu_ref (release %p): get on a dead reference whose count reached zero",
		  ref->data->release);
}

bool __percpu_ref_tryget_atomic(struct percpu_ref *ref, unsigned long nr, bool live)
{
	if (live && percpu_ref_is_dying(ref))
		return false;
	return atomic_long_add_unless(&ref->data->count, nr, 0);
}

void __percpu_ref_put_atomic(struct percpu_ref *ref, unsigned long nr)
{
	long count = atomic_long_sub_return(nr, &ref->data->count);

	if (unlikely(count == 0)) {
		ref->data->release(ref);
		return;
	}
	/*
	 * Shim check: below zero is an extra put, unless the count is near
	 * LONG_MIN, which is a biased count whose fold is still pending.
	 */
	WARN_ONCE(count < 0 && count > LONG_MIN / 2,
		  "percpu_ref (release %p): count below zero (%ld) after a put",
		  ref->data->release, count);
}
