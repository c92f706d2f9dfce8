// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spinlocks, rwlocks, mutexes, rw_semaphores and completions: mutual
 * exclusion under contention, reader sharing and writer exclusion, trylock
 * results, rwlock_is_contended(), the context marks of the _bh/_irq forms,
 * completion wake-ups and timeouts, sleeping under a spinlock reported by
 * might_sleep(), bit spinlocks and mutex_lock_interruptible().
 * Everything concurrent runs in both scheduling backends.
 */
#include "zsim_test.h"

#include <linux/bit_spinlock.h>
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <string.h>

#define NR_WORKERS	4

/* Iterations per worker: the controlled backend pays a hand-off per point. */
static int iters(void **state, int free_iters)
{
	return zsim_test_backend(state) == ZSIM_CONTROLLED ? free_iters / 20 : free_iters;
}

/* ---- mutual exclusion ---- */

enum lock_kind {
	KIND_SPIN,
	KIND_SPIN_BH,
	KIND_SPIN_IRQ,
	KIND_SPIN_IRQSAVE,
	KIND_MUTEX,
	KIND_RWLOCK_WRITE,
	KIND_RWSEM_WRITE,
	KIND_NR,
};

struct excl_ctx {
	enum lock_kind	kind;
	int		iters;
	spinlock_t	spin;
	rwlock_t	rw;
	struct mutex	mutex;
	struct rw_semaphore sem;
	long		counter;	/* plain: only the lock protects it */
	int		inside;		/* tasks inside the critical section */
	int		violations;
	int		bad_context;
};

static void excl_lock(struct excl_ctx *c, unsigned long *flags)
{
	switch (c->kind) {
	case KIND_SPIN:		spin_lock(&c->spin); break;
	case KIND_SPIN_BH:	spin_lock_bh(&c->spin); break;
	case KIND_SPIN_IRQ:	spin_lock_irq(&c->spin); break;
	case KIND_SPIN_IRQSAVE:	spin_lock_irqsave(&c->spin, *flags); break;
	case KIND_MUTEX:	mutex_lock(&c->mutex); break;
	case KIND_RWLOCK_WRITE:	write_lock(&c->rw); break;
	case KIND_RWSEM_WRITE:	down_write(&c->sem); break;
	default:		break;
	}
}

static void excl_unlock(struct excl_ctx *c, unsigned long flags)
{
	switch (c->kind) {
	case KIND_SPIN:		spin_unlock(&c->spin); break;
	case KIND_SPIN_BH:	spin_unlock_bh(&c->spin); break;
	case KIND_SPIN_IRQ:	spin_unlock_irq(&c->spin); break;
	case KIND_SPIN_IRQSAVE:	spin_unlock_irqrestore(&c->spin, flags); break;
	case KIND_MUTEX:	mutex_unlock(&c->mutex); break;
	case KIND_RWLOCK_WRITE:	write_unlock(&c->rw); break;
	case KIND_RWSEM_WRITE:	up_write(&c->sem); break;
	default:		break;
	}
}

/* What the context must look like inside the critical section. */
static bool context_ok(enum lock_kind kind)
{
	switch (kind) {
	case KIND_SPIN:
	case KIND_RWLOCK_WRITE:
		return preempt_count() == 1 && !irqs_disabled();
	case KIND_SPIN_BH:
		return in_softirq() && (preempt_count() & PREEMPT_MASK) == 1;
	case KIND_SPIN_IRQ:
	case KIND_SPIN_IRQSAVE:
		return preempt_count() == 1 && irqs_disabled();
	default:
		return preempt_count() == 0 && !irqs_disabled();
	}
}

static int excl_worker(void *arg)
{
	struct excl_ctx *c = arg;
	unsigned long flags = 0;
	int i, k;

	for (i = 0; i < c->iters; i++) {
		long v;

		excl_lock(c, &flags);
		if (__atomic_add_fetch(&c->inside, 1, __ATOMIC_SEQ_CST) != 1)
			__atomic_fetch_add(&c->violations, 1, __ATOMIC_RELAXED);
		if (!context_ok(c->kind))
			c->bad_context++;
		/*
		 * A racy increment with a scheduling point in its middle, and
		 * (free-running) a short spin to widen the window.
		 */
		v = READ_ONCE(c->counter);
		sched_point();
		for (k = 0; !sim_controlled() && k < 20; k++)
			__builtin_ia32_pause();
		WRITE_ONCE(c->counter, v + 1);
		__atomic_sub_fetch(&c->inside, 1, __ATOMIC_SEQ_CST);
		excl_unlock(c, flags);
		/* Everything is restored after the unlock. */
		if (preempt_count() || irqs_disabled())
			c->bad_context++;
	}
	return 0;
}

static void test_mutual_exclusion(void **state)
{
	static struct excl_ctx c;
	struct zsim_task *t[NR_WORKERS];
	int kind, i;

	zsim_test_boot(state, NR_WORKERS, 11);
	for (kind = 0; kind < KIND_NR; kind++) {
		memset(&c, 0, sizeof(c));
		c.kind = kind;
		c.iters = iters(state, 4000);
		spin_lock_init(&c.spin);
		rwlock_init(&c.rw);
		mutex_init(&c.mutex);
		init_rwsem(&c.sem);
		for (i = 0; i < NR_WORKERS; i++)
			assert_non_null(t[i] = zsim_spawn(i, excl_worker, &c, "excl"));
		for (i = 0; i < NR_WORKERS; i++)
			assert_int_equal(zsim_join(t[i]), 0);
		assert_int_equal(c.violations, 0);
		assert_int_equal(c.bad_context, 0);
		assert_int_equal(c.counter, (long)NR_WORKERS * c.iters);
		assert_false(spin_is_locked(&c.spin));
		assert_false(mutex_is_locked(&c.mutex));
		assert_false(rwsem_is_locked(&c.sem));
	}
	zsim_test_shutdown_clean();
}

/* Lock operations are scheduling points even when uncontended. */
static int do_nothing(void *arg)
{
	return 0;
}

static int lock_unlock_once(void *arg)
{
	struct mutex *m = arg;

	mutex_lock(m);
	mutex_unlock(m);
	return 0;
}

static int spin_lock_unlock_once(void *arg)
{
	spinlock_t *s = arg;

	spin_lock(s);
	spin_unlock(s);
	return 0;
}

static void test_lock_ops_are_sched_points(void **state)
{
	static DEFINE_MUTEX(m);
	static DEFINE_SPINLOCK(s);
	unsigned long base, with_mutex, with_spin;

	zsim_test_boot(state, 2, 3);
	base = zsim_steps();
	assert_int_equal(zsim_run(0, do_nothing, NULL), 0);
	base = zsim_steps() - base;
	with_mutex = zsim_steps();
	assert_int_equal(zsim_run(0, lock_unlock_once, &m), 0);
	with_mutex = zsim_steps() - with_mutex;
	with_spin = zsim_steps();
	assert_int_equal(zsim_run(0, spin_lock_unlock_once, &s), 0);
	with_spin = zsim_steps() - with_spin;
	/* At least one point in each lock and in each unlock. */
	assert_true(with_mutex >= base + 2);
	assert_true(with_spin >= base + 2);
	zsim_test_shutdown_clean();
}

/* ---- readers share, writers exclude ---- */

struct rw_ctx {
	bool		use_rwsem;
	rwlock_t	rw;
	struct rw_semaphore sem;
	struct wait_queue_head wq;
	int		readers_in;
	int		max_readers;
	int		writer_in;
	int		violations;
	int		rounds;
	int		reader_timeouts;
};

static void rw_read_lock(struct rw_ctx *c)
{
	if (c->use_rwsem)
		down_read(&c->sem);
	else
		read_lock(&c->rw);
}

static void rw_read_unlock(struct rw_ctx *c)
{
	if (c->use_rwsem)
		up_read(&c->sem);
	else
		read_unlock(&c->rw);
}

static void rw_write_lock(struct rw_ctx *c)
{
	if (c->use_rwsem)
		down_write(&c->sem);
	else
		write_lock(&c->rw);
}

static void rw_write_unlock(struct rw_ctx *c)
{
	if (c->use_rwsem)
		up_write(&c->sem);
	else
		write_unlock(&c->rw);
}

static void note_max(int *max, int v)
{
	int old = __atomic_load_n(max, __ATOMIC_RELAXED);

	while (v > old && !__atomic_compare_exchange_n(max, &old, v, false,
						       __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/*
 * Two readers that each wait, inside the read section, until both are
 * inside: this only finishes if readers really share the lock.
 */
static int sharing_reader(void *arg)
{
	struct rw_ctx *c = arg;
	u64 start = sched_clock_ns();
	long spins = 0;
	int in;

	rw_read_lock(c);
	in = __atomic_add_fetch(&c->readers_in, 1, __ATOMIC_SEQ_CST);
	note_max(&c->max_readers, in);
	/* Bounded: 10 s of host time, or a million steps when controlled. */
	while (__atomic_load_n(&c->max_readers, __ATOMIC_SEQ_CST) < 2) {
		if (sim_controlled() ? ++spins > 1000000 :
		    sched_clock_ns() - start > 10000000000ULL) {
			c->reader_timeouts++;
			break;
		}
		sched_point();
	}
	__atomic_sub_fetch(&c->readers_in, 1, __ATOMIC_SEQ_CST);
	rw_read_unlock(c);
	return 0;
}

static int rw_reader(void *arg)
{
	struct rw_ctx *c = arg;
	int i;

	for (i = 0; i < c->rounds; i++) {
		rw_read_lock(c);
		__atomic_add_fetch(&c->readers_in, 1, __ATOMIC_SEQ_CST);
		if (READ_ONCE(c->writer_in))
			__atomic_fetch_add(&c->violations, 1, __ATOMIC_RELAXED);
		sched_point();
		if (READ_ONCE(c->writer_in))
			__atomic_fetch_add(&c->violations, 1, __ATOMIC_RELAXED);
		__atomic_sub_fetch(&c->readers_in, 1, __ATOMIC_SEQ_CST);
		rw_read_unlock(c);
	}
	return 0;
}

static int rw_writer(void *arg)
{
	struct rw_ctx *c = arg;
	int i;

	for (i = 0; i < c->rounds; i++) {
		rw_write_lock(c);
		if (__atomic_add_fetch(&c->writer_in, 1, __ATOMIC_SEQ_CST) != 1 ||
		    __atomic_load_n(&c->readers_in, __ATOMIC_SEQ_CST))
			__atomic_fetch_add(&c->violations, 1, __ATOMIC_RELAXED);
		sched_point();
		if (__atomic_load_n(&c->readers_in, __ATOMIC_SEQ_CST))
			__atomic_fetch_add(&c->violations, 1, __ATOMIC_RELAXED);
		__atomic_sub_fetch(&c->writer_in, 1, __ATOMIC_SEQ_CST);
		rw_write_unlock(c);
	}
	return 0;
}

static void run_rw(void **state, bool use_rwsem)
{
	static struct rw_ctx c;
	struct zsim_task *t[4];
	int i;

	memset(&c, 0, sizeof(c));
	c.use_rwsem = use_rwsem;
	rwlock_init(&c.rw);
	init_rwsem(&c.sem);
	init_waitqueue_head(&c.wq);

	/* Sharing. */
	assert_non_null(t[0] = zsim_spawn(0, sharing_reader, &c, "reader0"));
	assert_non_null(t[1] = zsim_spawn(1, sharing_reader, &c, "reader1"));
	assert_int_equal(zsim_join(t[0]), 0);
	assert_int_equal(zsim_join(t[1]), 0);
	assert_int_equal(c.reader_timeouts, 0);
	assert_int_equal(c.max_readers, 2);

	/* Writers exclude readers and each other. */
	c.rounds = iters(state, 2000);
	assert_non_null(t[0] = zsim_spawn(0, rw_reader, &c, "reader"));
	assert_non_null(t[1] = zsim_spawn(1, rw_reader, &c, "reader"));
	assert_non_null(t[2] = zsim_spawn(2, rw_writer, &c, "writer"));
	assert_non_null(t[3] = zsim_spawn(3, rw_writer, &c, "writer"));
	for (i = 0; i < 4; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(c.violations, 0);
	assert_int_equal(c.readers_in, 0);
	assert_int_equal(c.writer_in, 0);
}

static void test_rwlock_sharing_and_exclusion(void **state)
{
	zsim_test_boot(state, 4, 21);
	run_rw(state, false);
	zsim_test_shutdown_clean();
}

static void test_rwsem_sharing_and_exclusion(void **state)
{
	zsim_test_boot(state, 4, 22);
	run_rw(state, true);
	zsim_test_shutdown_clean();
}

/* ---- rwlock_is_contended(): a reader or writer waits ---- */

struct contended_ctx {
	rwlock_t	rw;
	bool		waiter_writes;
	int		step;		/* 1: held, 2: the waiter got it */
	int		before;		/* rwlock_is_contended() with no waiter */
	int		seen;		/* ... became true while held */
	int		after;		/* ... once the waiter is gone */
};

static int contended_holder(void *arg)
{
	struct contended_ctx *c = arg;
	long spins;

	write_lock(&c->rw);
	c->before = rwlock_is_contended(&c->rw);
	WRITE_ONCE(c->step, 1);
	/* Bounded, so a broken rwlock_is_contended() fails instead of hanging. */
	for (spins = 0; spins < (1L << 26) && !c->seen; spins++) {
		c->seen = rwlock_is_contended(&c->rw);
		sched_point();
	}
	write_unlock(&c->rw);
	while (READ_ONCE(c->step) != 2)
		cond_resched();
	c->after = rwlock_is_contended(&c->rw);
	return 0;
}

static int contended_waiter(void *arg)
{
	struct contended_ctx *c = arg;

	while (!READ_ONCE(c->step))
		cond_resched();
	if (c->waiter_writes) {
		write_lock(&c->rw);
		write_unlock(&c->rw);
	} else {
		read_lock(&c->rw);
		read_unlock(&c->rw);
	}
	WRITE_ONCE(c->step, 2);
	return 0;
}

/*
 * A writer holding the lock sees rwlock_is_contended() only while another
 * task spins in read_lock() or write_lock(), as with the queued rwlock.
 */
static void test_rwlock_is_contended(void **state)
{
	static struct contended_ctx c;
	struct zsim_task *h, *w;
	int writes;

	zsim_test_boot(state, 2, 23);
	for (writes = 0; writes < 2; writes++) {
		memset(&c, 0, sizeof(c));
		rwlock_init(&c.rw);
		c.waiter_writes = writes;
		assert_false(rwlock_is_contended(&c.rw));
		assert_non_null(h = zsim_spawn(0, contended_holder, &c, "holder"));
		assert_non_null(w = zsim_spawn(1, contended_waiter, &c, "waiter"));
		assert_int_equal(zsim_join(h), 0);
		assert_int_equal(zsim_join(w), 0);
		assert_false(c.before);
		assert_true(c.seen);
		assert_false(c.after);
	}
	zsim_test_shutdown_clean();
}

/* ---- rwsem: a waiting writer holds new readers back; downgrade ---- */

struct fair_ctx {
	struct rw_semaphore sem;
	int		step;
	int		trylock_while_writer_waits;
	int		writer_got_it;
	int		reader_during_downgrade;
};

static int fair_holder(void *arg)
{
	struct fair_ctx *c = arg;

	down_read(&c->sem);
	WRITE_ONCE(c->step, 1);
	/* Wait until the writer sleeps on the semaphore. */
	while (!rwsem_is_contended(&c->sem))
		schedule_timeout_uninterruptible(1);
	c->trylock_while_writer_waits = down_read_trylock(&c->sem);
	if (c->trylock_while_writer_waits)
		up_read(&c->sem);
	up_read(&c->sem);
	return 0;
}

static int fair_writer(void *arg)
{
	struct fair_ctx *c = arg;

	while (!READ_ONCE(c->step))
		schedule_timeout_uninterruptible(1);
	down_write(&c->sem);
	c->writer_got_it = 1;
	downgrade_write(&c->sem);
	/* Still held for read by us: other readers get in. */
	WRITE_ONCE(c->step, 2);
	while (READ_ONCE(c->step) != 3)
		schedule_timeout_uninterruptible(1);
	up_read(&c->sem);
	return 0;
}

static int fair_late_reader(void *arg)
{
	struct fair_ctx *c = arg;

	while (READ_ONCE(c->step) != 2)
		schedule_timeout_uninterruptible(1);
	c->reader_during_downgrade = down_read_trylock(&c->sem);
	if (c->reader_during_downgrade)
		up_read(&c->sem);
	WRITE_ONCE(c->step, 3);
	return 0;
}

static void test_rwsem_writer_fairness_and_downgrade(void **state)
{
	static struct fair_ctx c;
	struct zsim_task *t[3];
	int i;

	memset(&c, 0, sizeof(c));
	init_rwsem(&c.sem);
	zsim_test_boot(state, 3, 5);
	assert_non_null(t[0] = zsim_spawn(0, fair_holder, &c, "holder"));
	assert_non_null(t[1] = zsim_spawn(1, fair_writer, &c, "writer"));
	assert_non_null(t[2] = zsim_spawn(2, fair_late_reader, &c, "late"));
	for (i = 0; i < 3; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(c.trylock_while_writer_waits, 0);
	assert_int_equal(c.writer_got_it, 1);
	assert_int_equal(c.reader_during_downgrade, 1);
	assert_false(rwsem_is_locked(&c.sem));
	zsim_test_shutdown_clean();
}

/* ---- trylock results ---- */

struct try_ctx {
	spinlock_t	spin;
	rwlock_t	rw;
	struct mutex	mutex;
	struct rw_semaphore sem;
	int		res[32];
	int		n;
	int		holding;
	int		done;
};

#define RECORD(c, expr)	((c)->res[(c)->n++] = !!(expr))

static int try_same_task(void *arg)
{
	struct try_ctx *c = arg;
	unsigned long flags = 0;
	int pc;

	RECORD(c, spin_trylock(&c->spin));		/* 1 */
	RECORD(c, preempt_count() == 1);		/* 1 */
	spin_unlock(&c->spin);
	RECORD(c, preempt_count() == 0);		/* 1 */

	RECORD(c, spin_trylock_irqsave(&c->spin, flags));	/* 1 */
	RECORD(c, irqs_disabled());			/* 1 */
	spin_unlock_irqrestore(&c->spin, flags);
	RECORD(c, irqs_disabled());			/* 0 */

	RECORD(c, read_trylock(&c->rw));		/* 1 */
	RECORD(c, read_trylock(&c->rw));		/* 1: readers share */
	RECORD(c, write_trylock(&c->rw));		/* 0: readers hold it */
	read_unlock(&c->rw);
	read_unlock(&c->rw);
	RECORD(c, write_trylock(&c->rw));		/* 1 */
	pc = preempt_count();
	RECORD(c, read_trylock(&c->rw));		/* 0: a writer holds it */
	RECORD(c, preempt_count() == pc);		/* 1: failure restores it */
	write_unlock(&c->rw);

	RECORD(c, mutex_trylock(&c->mutex));		/* 1 */
	RECORD(c, mutex_is_locked(&c->mutex));		/* 1 */
	mutex_unlock(&c->mutex);
	RECORD(c, mutex_is_locked(&c->mutex));		/* 0 */

	RECORD(c, down_read_trylock(&c->sem));		/* 1 */
	RECORD(c, down_write_trylock(&c->sem));		/* 0 */
	up_read(&c->sem);
	RECORD(c, down_write_trylock(&c->sem));		/* 1 */
	RECORD(c, down_read_trylock(&c->sem));		/* 0 */
	up_write(&c->sem);
	return 0;
}

static const int try_same_expect[] = {
	1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0,
};

static int try_holder(void *arg)
{
	struct try_ctx *c = arg;

	mutex_lock(&c->mutex);
	down_write(&c->sem);
	spin_lock(&c->spin);
	WRITE_ONCE(c->holding, 1);
	/* Spin (never sleep) with all three held until the other task tried. */
	while (!READ_ONCE(c->done))
		sched_point();
	spin_unlock(&c->spin);
	up_write(&c->sem);
	mutex_unlock(&c->mutex);
	return 0;
}

static int try_other_task(void *arg)
{
	struct try_ctx *c = arg;

	while (!READ_ONCE(c->holding))
		schedule_timeout_uninterruptible(1);
	RECORD(c, mutex_trylock(&c->mutex));		/* 0 */
	RECORD(c, down_read_trylock(&c->sem));		/* 0 */
	RECORD(c, down_write_trylock(&c->sem));		/* 0 */
	RECORD(c, spin_trylock(&c->spin));		/* 0 */
	RECORD(c, preempt_count() == 0);		/* 1 */
	WRITE_ONCE(c->done, 1);
	return 0;
}

static void test_trylock(void **state)
{
	static struct try_ctx c;
	struct zsim_task *a, *b;
	size_t i;

	memset(&c, 0, sizeof(c));
	spin_lock_init(&c.spin);
	rwlock_init(&c.rw);
	mutex_init(&c.mutex);
	init_rwsem(&c.sem);
	zsim_test_boot(state, 2, 9);
	assert_int_equal(zsim_run(0, try_same_task, &c), 0);
	assert_int_equal(c.n, ARRAY_SIZE(try_same_expect));
	for (i = 0; i < ARRAY_SIZE(try_same_expect); i++)
		assert_int_equal(c.res[i], try_same_expect[i]);

	c.n = 0;
	assert_non_null(a = zsim_spawn(0, try_holder, &c, "holder"));
	assert_non_null(b = zsim_spawn(1, try_other_task, &c, "trier"));
	assert_int_equal(zsim_join(a), 0);
	assert_int_equal(zsim_join(b), 0);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.res[0], 0);
	assert_int_equal(c.res[1], 0);
	assert_int_equal(c.res[2], 0);
	assert_int_equal(c.res[3], 0);
	assert_int_equal(c.res[4], 1);
	assert_false(mutex_is_locked(&c.mutex));
	assert_false(spin_is_locked(&c.spin));
	zsim_test_shutdown_clean();
}

/* ---- completions ---- */

struct comp_ctx {
	struct completion done;
	int		woken;
	long		ret[8];
};

static int comp_waiter(void *arg)
{
	struct comp_ctx *c = arg;

	wait_for_completion(&c->done);
	__atomic_fetch_add(&c->woken, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static int comp_completer(void *arg)
{
	struct comp_ctx *c = arg;

	complete(&c->done);
	return 0;
}

static int comp_complete_all(void *arg)
{
	struct comp_ctx *c = arg;

	/* Let the waiters go to sleep first, some of the time. */
	schedule_timeout_uninterruptible(2);
	complete_all(&c->done);
	return 0;
}

static void test_completion_wakeups(void **state)
{
	static struct comp_ctx c;
	struct zsim_task *w[3], *k[3];
	int i;

	zsim_test_boot(state, 4, 31);

	/* One complete() per waiter: each wakes exactly one. */
	memset(&c, 0, sizeof(c));
	init_completion(&c.done);
	for (i = 0; i < 3; i++)
		assert_non_null(w[i] = zsim_spawn(i, comp_waiter, &c, "waiter"));
	for (i = 0; i < 3; i++)
		assert_non_null(k[i] = zsim_spawn(3, comp_completer, &c, "completer"));
	for (i = 0; i < 3; i++) {
		assert_int_equal(zsim_join(w[i]), 0);
		assert_int_equal(zsim_join(k[i]), 0);
	}
	assert_int_equal(c.woken, 3);
	assert_false(completion_done(&c.done));

	/* complete_all() releases every waiter, and later ones too. */
	memset(&c, 0, sizeof(c));
	init_completion(&c.done);
	for (i = 0; i < 3; i++)
		assert_non_null(w[i] = zsim_spawn(i, comp_waiter, &c, "waiter"));
	assert_non_null(k[0] = zsim_spawn(3, comp_complete_all, &c, "all"));
	for (i = 0; i < 3; i++)
		assert_int_equal(zsim_join(w[i]), 0);
	assert_int_equal(zsim_join(k[0]), 0);
	assert_int_equal(c.woken, 3);
	assert_true(completion_done(&c.done));
	assert_int_equal(zsim_run(1, comp_waiter, &c), 0);
	assert_int_equal(c.woken, 4);
	assert_true(try_wait_for_completion(&c.done));
	reinit_completion(&c.done);
	assert_false(completion_done(&c.done));
	assert_false(try_wait_for_completion(&c.done));
	zsim_test_shutdown_clean();
}

/*
 * Two waiters and two completers racing, over many schedules: every
 * complete() must reach a waiter (no lost wake-up, so no deadlock).
 */
static void test_completion_no_lost_wakeup(void **state)
{
	static struct comp_ctx c;
	struct zsim_task *t[4];
	int seed, i, rounds = zsim_test_backend(state) == ZSIM_CONTROLLED ? 40 : 10;

	for (seed = 1; seed <= rounds; seed++) {
		zsim_test_boot(state, 4, seed);
		memset(&c, 0, sizeof(c));
		init_completion(&c.done);
		assert_non_null(t[0] = zsim_spawn(0, comp_waiter, &c, "w0"));
		assert_non_null(t[1] = zsim_spawn(1, comp_waiter, &c, "w1"));
		assert_non_null(t[2] = zsim_spawn(2, comp_completer, &c, "c0"));
		assert_non_null(t[3] = zsim_spawn(3, comp_completer, &c, "c1"));
		for (i = 0; i < 4; i++)
			assert_int_equal(zsim_join(t[i]), 0);
		assert_int_equal(c.woken, 2);
		assert_false(completion_done(&c.done));
		zsim_test_shutdown_clean();
	}
}

static int comp_timeouts(void *arg)
{
	struct comp_ctx *c = arg;

	/* Nobody completes: times out with 0. */
	c->ret[0] = wait_for_completion_timeout(&c->done, msecs_to_jiffies(5));
	/* Already completed: returns the full timeout at once. */
	complete(&c->done);
	c->ret[1] = wait_for_completion_timeout(&c->done, 100);
	/* A zero timeout only polls. */
	c->ret[2] = wait_for_completion_timeout(&c->done, 0);
	complete(&c->done);
	c->ret[3] = wait_for_completion_timeout(&c->done, 0);
	return 0;
}

static int comp_late_completer(void *arg)
{
	struct comp_ctx *c = arg;

	schedule_timeout_uninterruptible(msecs_to_jiffies(5));
	complete(&c->done);
	return 0;
}

static int comp_timed_waiter(void *arg)
{
	struct comp_ctx *c = arg;

	c->ret[4] = wait_for_completion_timeout(&c->done, msecs_to_jiffies(10000));
	return 0;
}

static void test_completion_timeout(void **state)
{
	static struct comp_ctx c;
	struct zsim_task *a, *b;

	memset(&c, 0, sizeof(c));
	init_completion(&c.done);
	zsim_test_boot(state, 2, 41);
	assert_int_equal(zsim_run(0, comp_timeouts, &c), 0);
	assert_int_equal(c.ret[0], 0);
	assert_int_equal(c.ret[1], 100);
	assert_int_equal(c.ret[2], 0);
	assert_int_equal(c.ret[3], 1);

	/* Completed before the timeout: the jiffies left, at least 1. */
	assert_non_null(a = zsim_spawn(0, comp_timed_waiter, &c, "waiter"));
	assert_non_null(b = zsim_spawn(1, comp_late_completer, &c, "late"));
	assert_int_equal(zsim_join(a), 0);
	assert_int_equal(zsim_join(b), 0);
	assert_true(c.ret[4] >= 1);
	assert_true(c.ret[4] <= (long)msecs_to_jiffies(10000));
	zsim_test_shutdown_clean();
}

/* ---- sleeping under a spinlock ---- */

struct sleep_ctx {
	spinlock_t	spin;
	struct mutex	mutex;
};

static int sleep_in_spinlock(void *arg)
{
	struct sleep_ctx *c = arg;

	spin_lock(&c->spin);
	mutex_lock(&c->mutex);
	mutex_unlock(&c->mutex);
	spin_unlock(&c->spin);
	return 0;
}

static void test_sleep_under_spinlock_reported(void **state)
{
	static struct sleep_ctx c;
	struct zsim_config cfg;

	spin_lock_init(&c.spin);
	mutex_init(&c.mutex);
	zsim_test_config(state, &cfg, 2, 4);
	cfg.quiet = true;
	assert_int_equal(zsim_machine_start(&cfg), 0);
	assert_int_equal(zsim_run(1, sleep_in_spinlock, &c), 0);
	assert_int_equal(sim_report_count(SIM_REPORT_ATOMIC), 1);
	assert_non_null(strstr(zsim_first_report(),
			       "BUG: sleeping function called from invalid context"));
	/* The report lists the spinlock among the held locks. */
	assert_non_null(strstr(zsim_first_report(), "1 lock held by"));
	assert_non_null(strstr(zsim_first_report(), "&c.spin"));
	assert_int_equal(zsim_machine_stop(), 1);
}

/* ---- a thread that is not a task may use the locks, uncontended ---- */

static void test_locks_outside_tasks(void **state)
{
	static DEFINE_SPINLOCK(s);
	static DEFINE_MUTEX(m);
	static DECLARE_RWSEM(sem);

	zsim_test_boot(state, 1, 1);
	spin_lock(&s);
	assert_true(spin_is_locked(&s));
	spin_unlock(&s);
	mutex_lock(&m);
	assert_true(mutex_is_locked(&m));
	assert_false(mutex_trylock(&m));
	mutex_unlock(&m);
	down_read(&sem);
	up_read(&sem);
	down_write(&sem);
	assert_true(rwsem_is_locked(&sem));
	up_write(&sem);
	assert_false(rwsem_is_locked(&sem));
	zsim_test_shutdown_clean();
}

/* ---- bit spinlocks (zsmalloc's handle lock) ---- */

#define BITLOCK_BIT	3

struct bitlock_ctx {
	unsigned long	word;		/* BITLOCK_BIT is the lock; bit 0 a flag */
	unsigned long	counter;	/* plain: protected by the bit lock */
	int		iters;
	int		bad;
};

static int bitlock_worker(void *arg)
{
	struct bitlock_ctx *c = arg;
	unsigned long v;
	int i;

	for (i = 0; i < c->iters; i++) {
		bit_spin_lock(BITLOCK_BIT, &c->word);
		if (!bit_spin_is_locked(BITLOCK_BIT, &c->word) || preemptible())
			c->bad++;
		v = READ_ONCE(c->counter);
		sched_point();		/* other tasks run, not in here */
		WRITE_ONCE(c->counter, v + 1);
		bit_spin_unlock(BITLOCK_BIT, &c->word);
		/* The other bits of the word are untouched by the lock. */
		if (!test_bit(0, &c->word))
			c->bad++;
	}
	return preemptible() ? 0 : -1;
}

static int bitlock_trylock(void *arg)
{
	struct bitlock_ctx *c = arg;

	if (!bit_spin_trylock(BITLOCK_BIT, &c->word))
		return -1;
	if (bit_spin_trylock(BITLOCK_BIT, &c->word) || preempt_count() != 1)
		return -2;
	__bit_spin_unlock(BITLOCK_BIT, &c->word);
	if (bit_spin_is_locked(BITLOCK_BIT, &c->word) || preempt_count())
		return -3;
	return 0;
}

static void test_bit_spinlock(void **state)
{
	static struct bitlock_ctx c;
	struct zsim_task *t[NR_WORKERS];
	int i;

	memset(&c, 0, sizeof(c));
	c.word = 1;
	c.iters = iters(state, 2000);
	zsim_test_boot(state, NR_WORKERS, 31);
	assert_int_equal(zsim_run(0, bitlock_trylock, &c), 0);
	for (i = 0; i < NR_WORKERS; i++)
		assert_non_null(t[i] = zsim_spawn(i, bitlock_worker, &c, "bitlock"));
	for (i = 0; i < NR_WORKERS; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.counter, (unsigned long)NR_WORKERS * c.iters);
	assert_int_equal(c.word, 1);
	/* Not a lockdep class, as in the kernel: nothing to report. */
	assert_int_equal(zsim_reports(), 0);
	zsim_test_shutdown_clean();
}

/* ---- mutex_lock_interruptible() ---- */

struct intr_ctx {
	struct mutex	lock;
	int		inside;
	int		bad;
	int		iters;
};

static int intr_worker(void *arg)
{
	struct intr_ctx *c = arg;
	int i, ret;

	for (i = 0; i < c->iters; i++) {
		/* No signals reach simulated tasks: it always gets the lock. */
		ret = mutex_lock_interruptible(&c->lock);
		if (ret)
			return ret;
		if (!mutex_is_locked(&c->lock) || c->inside++)
			c->bad++;
		cond_resched();
		c->inside--;
		mutex_unlock(&c->lock);
	}
	return 0;
}

static void test_mutex_lock_interruptible(void **state)
{
	static struct intr_ctx c;
	struct zsim_task *t[NR_WORKERS];
	int i;

	memset(&c, 0, sizeof(c));
	c.iters = iters(state, 1000);
	zsim_test_boot(state, NR_WORKERS, 37);
	mutex_init(&c.lock);
	for (i = 0; i < NR_WORKERS; i++)
		assert_non_null(t[i] = zsim_spawn(i, intr_worker, &c, "intr"));
	for (i = 0; i < NR_WORKERS; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(c.bad, 0);
	assert_false(mutex_is_locked(&c.lock));
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_mutual_exclusion),
		ZSIM_TEST_CONTROLLED(test_lock_ops_are_sched_points),
		ZSIM_TEST_BOTH(test_rwlock_sharing_and_exclusion),
		ZSIM_TEST_BOTH(test_rwlock_is_contended),
		ZSIM_TEST_BOTH(test_rwsem_sharing_and_exclusion),
		ZSIM_TEST_BOTH(test_rwsem_writer_fairness_and_downgrade),
		ZSIM_TEST_BOTH(test_trylock),
		ZSIM_TEST_BOTH(test_completion_wakeups),
		ZSIM_TEST_BOTH(test_completion_no_lost_wakeup),
		ZSIM_TEST_BOTH(test_completion_timeout),
		ZSIM_TEST_BOTH(test_sleep_under_spinlock_reported),
		ZSIM_TEST_FREE(test_locks_outside_tasks),
		ZSIM_TEST_BOTH(test_bit_spinlock),
		ZSIM_TEST_BOTH(test_mutex_lock_interruptible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
