// SPDX-License-Identifier: GPL-2.0-only
/*
 * The free-running backend: every task is a real parallel pthread. A task
 * still has to occupy its virtual CPU (rq->curr) to execute, so at most one
 * task runs per virtual CPU; preemption and migration happen at preemption
 * points, migrations at random with the machine's migrate_permille rate
 * from the task's seeded stream.
 *
 * As in the kernel, a point costs next to nothing unless something is due:
 * a task waiting for a CPU, or a CPU-set change, sets need_resched on the
 * task that occupies it (sched_kick(), the kernel's resched_curr()); a
 * change of the task's binding is seen against point_bound_cpu; and
 * the distance to the next migration is drawn once per migration, as a
 * countdown of preemptible points with the geometric distribution of a
 * migrate_permille chance at each (the same process as a draw per point).
 */
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <math.h>
#include <sched.h>
#include <time.h>

#include "sched.h"

/*
 * An idle CPU other than @busy that @t may move to, or -1: as the kernel's
 * idle balancing would, a task kept off its CPU (by one that holds it in a
 * non-preemptible section) goes where it can run. A racy look: the caller
 * just tries that CPU.
 */
static int idle_cpu_for(struct task_struct *t, int busy)
{
	unsigned int cpu;

	if (t->migration_disabled || t->bound_cpu >= 0)
		return -1;
	for_each_cpu(cpu, cpu_active_mask)
		if ((int)cpu != busy && !READ_ONCE(cpu_rq(cpu)->curr))
			return cpu;
	return -1;
}

/*
 * Preemptible points until @t's next migration: at least 1, geometric with
 * success chance migrate_permille / 1000; 0 (never) without migration.
 */
static void draw_migration(struct task_struct *t)
{
	double p = sched.migrate_permille / 1000.0, u;

	if (!sched.migrate_permille) {
		t->migrate_in = 0;
		return;
	}
	if (p >= 1.0) {
		t->migrate_in = 1;
		return;
	}
	/* u in (0, 1]: the number of failures before a success, plus one. */
	u = 1.0 - (sched_rand_next(&t->rnd_state) >> 11) * 0x1p-53;
	t->migrate_in = 1 + (unsigned long)floor(log(u) / log1p(-p));
}

/* How long a task waits for its busy CPU before it looks for an idle one. */
#define IDLE_BALANCE_NS		(200 * 1000)

static void rq_acquire(struct task_struct *t)
{
	int cpu = READ_ONCE(t->cpu), idle;
	struct rq *rq;

	for (;;) {
		if (!sched_cpu_allowed(t, cpu))
			cpu = t->bound_cpu >= 0 ? t->bound_cpu :
			      sched_pick_active_cpu(&t->rnd_state, -1);
		rq = cpu_rq(cpu);
		pthread_mutex_lock(&rq->lock);
		rq->nr_waiting++;
		idle = -1;
		while (rq->curr && rq->curr != t && sched_cpu_allowed(t, cpu)) {
			struct timespec ts;

			/* Ask the one there to give way at its next point. */
			sched_kick(rq->curr);
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += IDLE_BALANCE_NS;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			if (pthread_cond_timedwait(&rq->cond, &rq->lock, &ts) &&
			    (idle = idle_cpu_for(t, cpu)) >= 0)
				break;
		}
		rq->nr_waiting--;
		if (idle >= 0) {
			pthread_mutex_unlock(&rq->lock);
			cpu = idle;
			continue;
		}
		if (sched_cpu_allowed(t, cpu)) {
			rq->curr = t;
			WRITE_ONCE(t->cpu, cpu);
			pthread_mutex_unlock(&rq->lock);
			return;
		}
		pthread_mutex_unlock(&rq->lock);
	}
}

static void rq_release(struct task_struct *t)
{
	struct rq *rq = cpu_rq(t->cpu);
	bool draining;

	pthread_mutex_lock(&rq->lock);
	if (rq->curr == t)
		rq->curr = NULL;
	pthread_cond_broadcast(&rq->cond);
	pthread_mutex_unlock(&rq->lock);
	draining = !cpu_active(t->cpu);
	if (draining)
		wake_up_all(&sched.drain_wq);
}

static void free_enter(struct task_struct *t)
{
	draw_migration(t);
	rq_acquire(t);
}

static void free_move(struct task_struct *t, int cpu)
{
	rq_release(t);
	WRITE_ONCE(t->cpu, cpu);
	rq_acquire(t);
}

/* Only reached when sched_free_point_due(): a kick, or a migration due. */
static void free_point(struct task_struct *t, bool preemptible)
{
	struct rq *rq;

	/* Not now: need_resched stays set for the next preemptible point. */
	if (!preemptible || t->migration_disabled)
		return;
	/* A full barrier: a kick after this is seen below or at a later point. */
	__atomic_exchange_n(&t->need_resched, 0, __ATOMIC_SEQ_CST);
	t->point_bound_cpu = READ_ONCE(t->bound_cpu);
	if (!sched_cpu_allowed(t, t->cpu)) {
		free_move(t, sched_pick_active_cpu(&t->rnd_state, t->cpu));
		return;
	}
	if (sched.migrate_permille && t->bound_cpu < 0 && !t->migrate_in) {
		draw_migration(t);
		free_move(t, sched_pick_active_cpu(&t->rnd_state, t->cpu));
		return;
	}
	/* Let a task waiting for this CPU have it. */
	rq = cpu_rq(t->cpu);
	if (__atomic_load_n(&rq->nr_waiting, __ATOMIC_RELAXED)) {
		rq_release(t);
		sched_yield();
		rq_acquire(t);
	}
}

static struct timespec abs_deadline(u64 deadline_ns)
{
	u64 host = sched.start_ns + deadline_ns;
	struct timespec ts = {
		.tv_sec = host / 1000000000ULL,
		.tv_nsec = host % 1000000000ULL,
	};

	return ts;
}

static void free_sleep(struct task_struct *t)
{
	struct sim_task *s = t->sim;

	rq_release(t);
	pthread_mutex_lock(&s->lock);
	while (__atomic_load_n(&t->__state, __ATOMIC_ACQUIRE) != TASK_RUNNING) {
		if (s->deadline_ns) {
			struct timespec ts = abs_deadline(s->deadline_ns);

			if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT &&
			    __atomic_load_n(&t->__state, __ATOMIC_ACQUIRE) != TASK_RUNNING) {
				s->timed_out = true;
				__atomic_store_n(&t->__state, TASK_RUNNING, __ATOMIC_RELEASE);
			}
		} else {
			pthread_cond_wait(&s->cond, &s->lock);
		}
	}
	pthread_mutex_unlock(&s->lock);
	rq_acquire(t);
}

static int free_wake(struct task_struct *t, unsigned int state)
{
	struct sim_task *s = t->sim;
	int woke = 0;

	pthread_mutex_lock(&s->lock);
	if (__atomic_load_n(&t->__state, __ATOMIC_ACQUIRE) & state) {
		__atomic_store_n(&t->__state, TASK_RUNNING, __ATOMIC_RELEASE);
		pthread_cond_signal(&s->cond);
		woke = 1;
	}
	pthread_mutex_unlock(&s->lock);
	return woke;
}

static void free_leave(struct task_struct *t)
{
	rq_release(t);
}

static int free_join_external(struct task_struct *t)
{
	/* pthread_join() in the caller does the waiting. */
	return 0;
}

static void free_blocking_begin(struct task_struct *t)
{
	rq_release(t);
}

static void free_blocking_end(struct task_struct *t)
{
	rq_acquire(t);
}

static void free_cpus_changed(void)
{
	unsigned int cpu;

	/*
	 * Waiters for a CPU that went inactive pick another one; what runs on
	 * one looks at its next point.
	 */
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct rq *rq = cpu_rq(cpu);

		pthread_mutex_lock(&rq->lock);
		sched_kick(rq->curr);
		pthread_cond_broadcast(&rq->cond);
		pthread_mutex_unlock(&rq->lock);
	}
}

const struct sched_backend_ops sched_free_ops = {
	.name		= "free-running",
	.enter		= free_enter,
	.point		= free_point,
	.sleep		= free_sleep,
	.wake		= free_wake,
	.leave		= free_leave,
	.join_external	= free_join_external,
	.blocking_begin	= free_blocking_begin,
	.blocking_end	= free_blocking_end,
	.move		= free_move,
	.cpus_changed	= free_cpus_changed,
};
