// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spinlocks and rwlocks (kernel/locking/spinlock.c,
 * kernel/locking/spinlock_debug.c).
 *
 * Acquisition: a scheduling point (preemptible if the caller is), then
 * preemption (and for the _bh/_irq forms softirqs/irqs) disabled, then the
 * lockdep annotation, then attempts on the lock word with sched_point()
 * between them, as the kernel annotates before it spins. Release: the
 * annotation, the store, the counts restored, a scheduling point.
 *
 * In the controlled backend a failed attempt's scheduling point runs
 * another task, eventually the holder (preemption stays disabled, so the
 * spinner keeps its CPU, as in the kernel). The point is a spin-wait point
 * (sched_spin_wait(), <sim/sched.h>): under PCT the spinner also yields
 * its priority, so the holder runs instead of the spinner winning every
 * step.
 */
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <sched.h>

#include "lockdep_internals.h"

/* Failed attempts before a suspected lockup is reported (controlled). */
#define SPIN_LOCKUP_ATTEMPTS	(1UL << 18)
/* Host time before a suspected lockup is reported (free-running). */
#define SPIN_LOCKUP_NS		(5ULL * 1000 * 1000 * 1000)

struct spin_wait {
	unsigned long	attempts;
	u64		start_ns;
	bool		reported;
};

static void spin_report(const char *msg, const struct lockdep_map *map,
			struct task_struct *owner, int owner_cpu)
{
	struct task_struct *t = current;
	char buf[48];

	sim_report_begin(SIM_REPORT_LOCKDEP, "BUG: %s on CPU#%d, %s/%d", msg,
			 t ? t->cpu : -1, t ? t->comm : "?", t ? t->pid : 0);
	sim_report_printf(" lock: %s, .owner: %p%s, .owner_cpu: %d",
			  lockdep_map_name(map, buf, sizeof(buf)), (void *)owner,
			  owner && owner == t ? " (current)" : "", owner_cpu);
	if (t)
		lockdep_print_held_locks(t);
	sim_report_backtrace();
	sim_report_end();
}

/*
 * One failed attempt: let the holder run and back off. Reports a
 * suspected lockup once per wait (the kernel's spin_dump()), then goes on.
 */
static void spin_relax(struct spin_wait *w, const struct lockdep_map *map,
		       struct task_struct *owner, int owner_cpu)
{
	w->attempts++;
	if (!current) {
		lock_busy_outside_task("spinlock", map, &w->attempts);
		return;
	}
	sched_spin_wait();
	if (sim_controlled()) {
		if (w->attempts == SPIN_LOCKUP_ATTEMPTS && !w->reported) {
			w->reported = true;
			spin_report("spinlock lockup suspected", map, owner, owner_cpu);
		}
		return;
	}
	if (w->attempts % 64) {
		__sim_cpu_relax();
		return;
	}
	sched_yield();
	if (!w->start_ns) {
		w->start_ns = sched_clock_ns() + 1;
	} else if (!w->reported && sched_clock_ns() + 1 - w->start_ns > SPIN_LOCKUP_NS) {
		w->reported = true;
		spin_report("spinlock lockup suspected", map, owner, owner_cpu);
	}
}

/* ---- raw_spinlock_t ---- */

void __raw_spin_lock_init(raw_spinlock_t *lock, const char *name,
			  struct lock_class_key *key)
{
	lockdep_init_map(&lock->dep_map, name, key, 0);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELAXED);
	lock->owner_cpu = -1;
	lock->owner = NULL;
}

static __always_inline bool arch_spin_trylock(raw_spinlock_t *lock)
{
	return !__atomic_load_n(&lock->locked, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE);
}

static __always_inline void spin_set_owner(raw_spinlock_t *lock)
{
	struct task_struct *t = current;

	WRITE_ONCE(lock->owner, t);
	WRITE_ONCE(lock->owner_cpu, t ? t->cpu : -1);
}

static void do_raw_spin_lock(raw_spinlock_t *lock)
{
	struct spin_wait w = { 0 };

	if (unlikely(current && READ_ONCE(lock->owner) == current))
		lock_self_deadlock("spinlock", &lock->dep_map);
	while (!arch_spin_trylock(lock))
		spin_relax(&w, &lock->dep_map, READ_ONCE(lock->owner), READ_ONCE(lock->owner_cpu));
	spin_set_owner(lock);
}

static int do_raw_spin_trylock(raw_spinlock_t *lock)
{
	if (!arch_spin_trylock(lock))
		return 0;
	spin_set_owner(lock);
	return 1;
}

static void do_raw_spin_unlock(raw_spinlock_t *lock, unsigned long ip)
{
	struct task_struct *t = current;

	/* Debug checks only if lockdep did not already report a bad unlock. */
	if (lock_release_checked(&lock->dep_map, ip) && t && lockdep_enabled()) {
		if (!__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			spin_report("spinlock already unlocked", &lock->dep_map, NULL, -1);
		else if (READ_ONCE(lock->owner) != t)
			spin_report("spinlock wrong owner", &lock->dep_map,
				    READ_ONCE(lock->owner), READ_ONCE(lock->owner_cpu));
	}
	WRITE_ONCE(lock->owner, NULL);
	WRITE_ONCE(lock->owner_cpu, -1);
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

void _raw_spin_lock(raw_spinlock_t *lock)
{
	sched_point();
	preempt_disable();
	spin_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_spin_lock(lock);
}

void _raw_spin_lock_nested(raw_spinlock_t *lock, int subclass)
{
	sched_point();
	preempt_disable();
	spin_acquire(&lock->dep_map, subclass, 0, _RET_IP_);
	do_raw_spin_lock(lock);
}

void _raw_spin_lock_nest_lock(raw_spinlock_t *lock, struct lockdep_map *nest)
{
	sched_point();
	preempt_disable();
	spin_acquire_nest(&lock->dep_map, 0, 0, nest, _RET_IP_);
	do_raw_spin_lock(lock);
}

void _raw_spin_lock_bh(raw_spinlock_t *lock)
{
	sched_point();
	__preempt_count_add(SOFTIRQ_DISABLE_OFFSET + 1);
	spin_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_spin_lock(lock);
}

void _raw_spin_lock_irq(raw_spinlock_t *lock)
{
	sched_point();
	local_irq_disable();
	preempt_disable();
	spin_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_spin_lock(lock);
}

unsigned long _raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long flags;

	sched_point();
	local_irq_save(flags);
	preempt_disable();
	spin_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_spin_lock(lock);
	return flags;
}

unsigned long _raw_spin_lock_irqsave_nested(raw_spinlock_t *lock, int subclass)
{
	unsigned long flags;

	sched_point();
	local_irq_save(flags);
	preempt_disable();
	spin_acquire(&lock->dep_map, subclass, 0, _RET_IP_);
	do_raw_spin_lock(lock);
	return flags;
}

int _raw_spin_trylock(raw_spinlock_t *lock)
{
	sched_point();
	preempt_disable();
	if (do_raw_spin_trylock(lock)) {
		spin_acquire(&lock->dep_map, 0, 1, _RET_IP_);
		return 1;
	}
	__preempt_count_sub(1);
	return 0;
}

int _raw_spin_trylock_bh(raw_spinlock_t *lock)
{
	sched_point();
	__preempt_count_add(SOFTIRQ_DISABLE_OFFSET + 1);
	if (do_raw_spin_trylock(lock)) {
		spin_acquire(&lock->dep_map, 0, 1, _RET_IP_);
		return 1;
	}
	__preempt_count_sub(SOFTIRQ_DISABLE_OFFSET + 1);
	return 0;
}

void _raw_spin_unlock(raw_spinlock_t *lock)
{
	do_raw_spin_unlock(lock, _RET_IP_);
	__preempt_count_sub(1);
	sched_point();
}

void _raw_spin_unlock_bh(raw_spinlock_t *lock)
{
	do_raw_spin_unlock(lock, _RET_IP_);
	__preempt_count_sub(SOFTIRQ_DISABLE_OFFSET + 1);
	sched_point();
}

void _raw_spin_unlock_irq(raw_spinlock_t *lock)
{
	do_raw_spin_unlock(lock, _RET_IP_);
	local_irq_enable();
	__preempt_count_sub(1);
	sched_point();
}

void _raw_spin_unlock_irqrestore(raw_spinlock_t *lock, unsigned long flags)
{
	do_raw_spin_unlock(lock, _RET_IP_);
	local_irq_restore(flags);
	__preempt_count_sub(1);
	sched_point();
}

/* ---- rwlock_t ---- */

void __rwlock_init(rwlock_t *lock, const char *name, struct lock_class_key *key)
{
	lockdep_init_map(&lock->dep_map, name, key, 0);
	__atomic_store_n(&lock->cnt, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->waiters, 0, __ATOMIC_RELAXED);
	lock->owner_cpu = -1;
	lock->owner = NULL;
}

static __always_inline bool arch_read_trylock(rwlock_t *lock)
{
	int c = __atomic_load_n(&lock->cnt, __ATOMIC_RELAXED);

	while (!(c & RW_LOCK_WRITER)) {
		if (__atomic_compare_exchange_n(&lock->cnt, &c, c + 1, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

static __always_inline bool arch_write_trylock(rwlock_t *lock)
{
	int zero = 0;

	return !__atomic_load_n(&lock->cnt, __ATOMIC_RELAXED) &&
	       __atomic_compare_exchange_n(&lock->cnt, &zero, RW_LOCK_WRITER, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static void do_raw_read_lock(rwlock_t *lock)
{
	struct spin_wait w = { 0 };

	if (unlikely(current && READ_ONCE(lock->owner) == current))
		lock_self_deadlock("rwlock", &lock->dep_map);
	if (likely(arch_read_trylock(lock)))
		return;
	/* Slow path: queued, as on the qrwlock's wait_lock. */
	__atomic_fetch_add(&lock->waiters, 1, __ATOMIC_RELAXED);
	while (!arch_read_trylock(lock))
		spin_relax(&w, &lock->dep_map, READ_ONCE(lock->owner), READ_ONCE(lock->owner_cpu));
	__atomic_fetch_sub(&lock->waiters, 1, __ATOMIC_RELAXED);
}

static void do_raw_write_lock(rwlock_t *lock)
{
	struct spin_wait w = { 0 };
	struct task_struct *t = current;

	if (unlikely(t && READ_ONCE(lock->owner) == t))
		lock_self_deadlock("rwlock", &lock->dep_map);
	if (unlikely(!arch_write_trylock(lock))) {
		__atomic_fetch_add(&lock->waiters, 1, __ATOMIC_RELAXED);
		while (!arch_write_trylock(lock))
			spin_relax(&w, &lock->dep_map, READ_ONCE(lock->owner),
				   READ_ONCE(lock->owner_cpu));
		__atomic_fetch_sub(&lock->waiters, 1, __ATOMIC_RELAXED);
	}
	WRITE_ONCE(lock->owner, t);
	WRITE_ONCE(lock->owner_cpu, t ? t->cpu : -1);
}

static void do_raw_read_unlock(rwlock_t *lock, unsigned long ip)
{
	if (lock_release_checked(&lock->dep_map, ip) && current && lockdep_enabled()) {
		int c = __atomic_load_n(&lock->cnt, __ATOMIC_RELAXED);

		if (!c || (c & RW_LOCK_WRITER))
			spin_report("rwlock read-unlocked while not read-locked",
				    &lock->dep_map, READ_ONCE(lock->owner), READ_ONCE(lock->owner_cpu));
	}
	__atomic_fetch_sub(&lock->cnt, 1, __ATOMIC_RELEASE);
}

static void do_raw_write_unlock(rwlock_t *lock, unsigned long ip)
{
	struct task_struct *t = current;

	if (lock_release_checked(&lock->dep_map, ip) && t && lockdep_enabled()) {
		if (!(__atomic_load_n(&lock->cnt, __ATOMIC_RELAXED) & RW_LOCK_WRITER))
			spin_report("rwlock already unlocked", &lock->dep_map, NULL, -1);
		else if (READ_ONCE(lock->owner) != t)
			spin_report("rwlock wrong owner", &lock->dep_map,
				    READ_ONCE(lock->owner), READ_ONCE(lock->owner_cpu));
	}
	WRITE_ONCE(lock->owner, NULL);
	WRITE_ONCE(lock->owner_cpu, -1);
	__atomic_fetch_and(&lock->cnt, ~RW_LOCK_WRITER, __ATOMIC_RELEASE);
}

void _raw_read_lock(rwlock_t *lock)
{
	sched_point();
	preempt_disable();
	rwlock_acquire_read(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_read_lock(lock);
}

void _raw_read_lock_bh(rwlock_t *lock)
{
	sched_point();
	__preempt_count_add(SOFTIRQ_DISABLE_OFFSET + 1);
	rwlock_acquire_read(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_read_lock(lock);
}

void _raw_read_lock_irq(rwlock_t *lock)
{
	sched_point();
	local_irq_disable();
	preempt_disable();
	rwlock_acquire_read(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_read_lock(lock);
}

unsigned long _raw_read_lock_irqsave(rwlock_t *lock)
{
	unsigned long flags;

	sched_point();
	local_irq_save(flags);
	preempt_disable();
	rwlock_acquire_read(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_read_lock(lock);
	return flags;
}

int _raw_read_trylock(rwlock_t *lock)
{
	sched_point();
	preempt_disable();
	if (arch_read_trylock(lock)) {
		rwlock_acquire_read(&lock->dep_map, 0, 1, _RET_IP_);
		return 1;
	}
	__preempt_count_sub(1);
	return 0;
}

void _raw_read_unlock(rwlock_t *lock)
{
	do_raw_read_unlock(lock, _RET_IP_);
	__preempt_count_sub(1);
	sched_point();
}

void _raw_read_unlock_bh(rwlock_t *lock)
{
	do_raw_read_unlock(lock, _RET_IP_);
	__preempt_count_sub(SOFTIRQ_DISABLE_OFFSET + 1);
	sched_point();
}

void _raw_read_unlock_irq(rwlock_t *lock)
{
	do_raw_read_unlock(lock, _RET_IP_);
	local_irq_enable();
	__preempt_count_sub(1);
	sched_point();
}

void _raw_read_unlock_irqrestore(rwlock_t *lock, unsigned long flags)
{
	do_raw_read_unlock(lock, _RET_IP_);
	local_irq_restore(flags);
	__preempt_count_sub(1);
	sched_point();
}

void _raw_write_lock(rwlock_t *lock)
{
	sched_point();
	preempt_disable();
	rwlock_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_write_lock(lock);
}

void _raw_write_lock_nested(rwlock_t *lock, int subclass)
{
	sched_point();
	preempt_disable();
	rwlock_acquire(&lock->dep_map, subclass, 0, _RET_IP_);
	do_raw_write_lock(lock);
}

void _raw_write_lock_bh(rwlock_t *lock)
{
	sched_point();
	__preempt_count_add(SOFTIRQ_DISABLE_OFFSET + 1);
	rwlock_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_write_lock(lock);
}

void _raw_write_lock_irq(rwlock_t *lock)
{
	sched_point();
	local_irq_disable();
	preempt_disable();
	rwlock_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_write_lock(lock);
}

unsigned long _raw_write_lock_irqsave(rwlock_t *lock)
{
	unsigned long flags;

	sched_point();
	local_irq_save(flags);
	preempt_disable();
	rwlock_acquire(&lock->dep_map, 0, 0, _RET_IP_);
	do_raw_write_lock(lock);
	return flags;
}

int _raw_write_trylock(rwlock_t *lock)
{
	struct task_struct *t = current;

	sched_point();
	preempt_disable();
	if (arch_write_trylock(lock)) {
		WRITE_ONCE(lock->owner, t);
		WRITE_ONCE(lock->owner_cpu, t ? t->cpu : -1);
		rwlock_acquire(&lock->dep_map, 0, 1, _RET_IP_);
		return 1;
	}
	__preempt_count_sub(1);
	return 0;
}

void _raw_write_unlock(rwlock_t *lock)
{
	do_raw_write_unlock(lock, _RET_IP_);
	__preempt_count_sub(1);
	sched_point();
}

void _raw_write_unlock_bh(rwlock_t *lock)
{
	do_raw_write_unlock(lock, _RET_IP_);
	__preempt_count_sub(SOFTIRQ_DISABLE_OFFSET + 1);
	sched_point();
}

void _raw_write_unlock_irq(rwlock_t *lock)
{
	do_raw_write_unlock(lock, _RET_IP_);
	local_irq_enable();
	__preempt_count_sub(1);
	sched_point();
}

void _raw_write_unlock_irqrestore(rwlock_t *lock, unsigned long flags)
{
	do_raw_write_unlock(lock, _RET_IP_);
	local_irq_restore(flags);
	__preempt_count_sub(1);
	sched_point();
}
