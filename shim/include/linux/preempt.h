/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Preemption, migration, softirq and irq disabling (<linux/preempt.h>,
 * <linux/irqflags.h>, <linux/bottom_half.h>).
 *
 * The counts live in current and have the kernel's meaning: a task with a
 * non-zero preempt_count() or disabled irqs is atomic (might_sleep()
 * complains) and is neither preempted nor migrated at a scheduling point; a
 * migrate-disabled task may be preempted but stays on its CPU.
 * There are no interrupts in the simulator: local_irq_disable() and
 * local_bh_disable() only mark the context.
 *
 * Since the kernel consolidated its RCU flavours, a region with preemption,
 * softirqs or irqs disabled is an RCU read-side critical section: a grace
 * period waits for it. Every change of these counts therefore goes through
 * __preempt_context_changed(), which tells RCU when current enters such a
 * region from preemptible context and when it leaves the last of them
 * (kernel/rcu/update.c). Writes that bypass it would unbalance RCU: fix-ups
 * of a leaked count use preempt_count_set().
 */
#ifndef _SHIM_LINUX_PREEMPT_H
#define _SHIM_LINUX_PREEMPT_H

#include <linux/compiler.h>
#include <linux/sched.h>

#define PREEMPT_BITS		8
#define SOFTIRQ_BITS		8
#define HARDIRQ_BITS		4
#define PREEMPT_SHIFT		0
#define SOFTIRQ_SHIFT		(PREEMPT_SHIFT + PREEMPT_BITS)
#define HARDIRQ_SHIFT		(SOFTIRQ_SHIFT + SOFTIRQ_BITS)
#define PREEMPT_OFFSET		(1UL << PREEMPT_SHIFT)
#define SOFTIRQ_OFFSET		(1UL << SOFTIRQ_SHIFT)
#define HARDIRQ_OFFSET		(1UL << HARDIRQ_SHIFT)
#define SOFTIRQ_DISABLE_OFFSET	(2 * SOFTIRQ_OFFSET)
#define PREEMPT_MASK		(((1UL << PREEMPT_BITS) - 1) << PREEMPT_SHIFT)
#define SOFTIRQ_MASK		(((1UL << SOFTIRQ_BITS) - 1) << SOFTIRQ_SHIFT)
#define HARDIRQ_MASK		(((1UL << HARDIRQ_BITS) - 1) << HARDIRQ_SHIFT)

/* A preemption point: the scheduling layer may preempt or migrate here. */
void sched_preempt_point(void);

static __always_inline int preempt_count(void)
{
	return current ? READ_ONCE(current->preempt_count) : 0;
}

/* RCU's side of atomic context (kernel/rcu/update.c); @t is current. */
void __rcu_atomic_enter(struct task_struct *t);
void __rcu_atomic_exit(struct task_struct *t);

static __always_inline bool __task_atomic(const struct task_struct *t)
{
	return t->preempt_count || t->irqs_disabled;
}

/* @t's counts changed; @was: whether it was atomic before. */
static __always_inline void __preempt_context_changed(struct task_struct *t, bool was)
{
	bool now = __task_atomic(t);

	if (now && !was)
		__rcu_atomic_enter(t);
	else if (!now && was)
		__rcu_atomic_exit(t);
}

static __always_inline void __preempt_count_add(int val)
{
	struct task_struct *t = current;

	if (t) {
		bool was = __task_atomic(t);

		t->preempt_count += val;
		__preempt_context_changed(t, was);
	}
	barrier();
}

static __always_inline void __preempt_count_sub(int val)
{
	struct task_struct *t = current;

	barrier();
	if (t) {
		bool was = __task_atomic(t);

		t->preempt_count -= val;
		__preempt_context_changed(t, was);
	}
}

/* Set the count outright: the repair after a caller leaked a count. */
static __always_inline void preempt_count_set(int pc)
{
	struct task_struct *t = current;

	barrier();
	if (t) {
		bool was = __task_atomic(t);

		t->preempt_count = pc;
		__preempt_context_changed(t, was);
	}
	barrier();
}

#define preempt_disable()		__preempt_count_add(1)
#define preempt_enable_no_resched()	__preempt_count_sub(1)
#define preempt_enable() do {						\
	__preempt_count_sub(1);						\
	if (preempt_count() == 0)					\
		sched_preempt_point();					\
} while (0)
#define preempt_disable_notrace()	preempt_disable()
#define preempt_enable_notrace()	preempt_enable()

#define softirq_count()		(preempt_count() & SOFTIRQ_MASK)
#define hardirq_count()		(preempt_count() & HARDIRQ_MASK)
#define in_softirq()		(softirq_count())
#define in_serving_softirq()	(softirq_count() & SOFTIRQ_OFFSET)
#define in_hardirq()		(hardirq_count())
#define in_irq()		in_hardirq()
#define in_interrupt()		(preempt_count() & (HARDIRQ_MASK | SOFTIRQ_MASK))
#define in_nmi()		0
#define in_task()		(!in_interrupt())
#define in_atomic()		(preempt_count() != 0)

static __always_inline bool irqs_disabled(void)
{
	return current && current->irqs_disabled;
}

#define preemptible()		(preempt_count() == 0 && !irqs_disabled())

static __always_inline void local_irq_disable(void)
{
	struct task_struct *t = current;

	if (t) {
		bool was = __task_atomic(t);

		t->irqs_disabled++;
		__preempt_context_changed(t, was);
	}
	barrier();
}

static __always_inline void __local_irq_set(bool disabled)
{
	struct task_struct *t = current;

	barrier();
	if (t) {
		bool was = __task_atomic(t);

		if (!disabled)
			t->irqs_disabled = 0;
		__preempt_context_changed(t, was);
	}
}

#define local_irq_enable()	__local_irq_set(false)
#define local_irq_save(flags) do {					\
	(flags) = irqs_disabled();					\
	local_irq_disable();						\
} while (0)
#define local_irq_restore(flags)	__local_irq_set(flags)

#define local_bh_disable()	__preempt_count_add(SOFTIRQ_DISABLE_OFFSET)
#define local_bh_enable() do {						\
	__preempt_count_sub(SOFTIRQ_DISABLE_OFFSET);			\
	if (preempt_count() == 0)					\
		sched_preempt_point();					\
} while (0)

void migrate_disable(void);
void migrate_enable(void);

#endif /* _SHIM_LINUX_PREEMPT_H */
