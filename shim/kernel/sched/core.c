// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduling layer's core: tasks, virtual CPUs, preemption and
 * migration points, sleeping and waking, and the hooks hotplug needs. The
 * backend (free.c or controlled.c) decides who runs; everything here is
 * common to both.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/jiffies.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/smp.h>
#include <linux/time64.h>
#include <sim/report.h>
#include <sim/sealed.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sched.h"

__thread struct task_struct *__current_task __attribute__((tls_model("initial-exec")));
enum sim_backend sim_backend;
struct sched_state sched;

unsigned int nr_cpu_ids = 1;
struct cpumask __cpu_possible_mask;
struct cpumask __cpu_present_mask;
struct cpumask __cpu_online_mask;
unsigned int __num_online_cpus;
struct cpumask __cpu_active_mask;

u64 sched_host_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* splitmix64: small, fast, and good enough for scheduling decisions. */
u64 sched_rand_next(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 sim_random_u64(void)
{
	struct task_struct *t = current;

	if (t)
		return sched_rand_next(&t->rnd_state);
	return sched_rand_next(&sched.rnd);
}

bool sched_cpu_allowed(struct task_struct *t, int cpu)
{
	if (t->bound_cpu >= 0)
		return cpu == t->bound_cpu && cpu_online(cpu);
	return cpu_active(cpu);
}

int sched_pick_active_cpu(u64 *rnd, int avoid)
{
	unsigned int n = num_active_cpus();
	unsigned int cpu;

	if (n == 0)
		return cpumask_first(cpu_online_mask);
	if (avoid >= 0 && cpu_active(avoid) && n > 1) {
		cpu = cpumask_nth(sched_rand_below(rnd, n - 1), cpu_active_mask);
		return cpu >= (unsigned int)avoid ? cpumask_next(cpu, cpu_active_mask) : cpu;
	}
	return cpumask_nth(sched_rand_below(rnd, n), cpu_active_mask);
}

/* ---- tasks ---- */

/*
 * Adding or removing a task: the controlled scheduler walks the list under
 * its own lock, and test threads calling in at once must not free a task
 * under that walk.
 */
static void task_list_lock(void)
{
	if (sim_controlled())
		sched_controlled_lock();
	sim_rawlock_lock(&sched.tasks_lock);
}

static void task_list_unlock(void)
{
	sim_rawlock_unlock(&sched.tasks_lock);
	if (sim_controlled())
		sched_controlled_unlock();
}

struct task_struct *sched_task_create(int (*fn)(void *), void *data, int cpu,
				      const char *namefmt, ...)
{
	struct task_struct *t;
	struct sim_task *s;
	va_list ap;

	if (!sched.running)
		return ERR_PTR(-ENODEV);
	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids || !cpu_online(cpu))
		return ERR_PTR(-EINVAL);
	/* Tasks are the simulator's own: plain calloc, no fault injection. */
	t = calloc(1, sizeof(*t));
	s = calloc(1, sizeof(*s));
	if (!t || !s) {
		free(t);
		free(s);
		return ERR_PTR(-ENOMEM);
	}
	t->sim = s;
	t->__state = TASK_NEW;
	t->cpu = cpu;
	t->bound_cpu = -1;
	t->point_bound_cpu = -1;
	t->threadfn = fn;
	t->data = data;
	va_start(ap, namefmt);
	vsnprintf(t->comm, sizeof(t->comm), namefmt, ap);
	va_end(ap);
	init_waitqueue_head(&s->exit_wq);
	pthread_mutex_init(&s->lock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&s->cond, &ca);
		pthread_condattr_destroy(&ca);
	}

	task_list_lock();
	t->pid = ++sched.next_pid;
	t->rnd_state = sched.seed ^ ((u64)t->pid * 0x9e3779b97f4a7c15ULL);
	list_add_tail(&t->tasks, &sched.tasks);
	sched.nr_tasks++;
	task_list_unlock();

	if (sim_controlled())
		sched_controlled_task_created(t);
	return t;
}

void sched_task_start(struct task_struct *t)
{
	if (__atomic_load_n(&t->__state, __ATOMIC_ACQUIRE) != TASK_NEW)
		return;
	__atomic_store_n(&t->__state, TASK_RUNNING, __ATOMIC_RELEASE);
	if (pthread_create(&t->sim->thread, NULL, sched_task_thread, t)) {
		/* Out of host threads: the simulator cannot go on. */
		perror("zswapsim: pthread_create");
		abort();
	}
	t->sim->thread_started = true;
}

void *sched_task_thread(void *arg)
{
	struct task_struct *t = arg;

	__current_task = t;
	if (!sim_controlled())
		zsim_urcu_register_thread();
	sched.ops->enter(t);
	sched_task_exit(t->threadfn(t->data));
}

void __noreturn sched_task_exit(int code)
{
	struct task_struct *t = current;

	t->exit_code = code;
	if (t->rcu_read_lock_nesting > 0) {
		sim_report_begin(SIM_REPORT_RCU, "BUG: task exited in an RCU read-side critical section");
		sim_report_end();
	}
	if (t->lockdep_depth > 0) {
		sim_report_begin(SIM_REPORT_LOCKDEP, "BUG: task %s/%d exited with locks held!",
				 t->comm, t->pid);
		lockdep_print_held_locks(t);
		sim_report_end();
	}
	t->flags |= PF_EXITING;
	if (!sim_controlled()) {
		t->sim->exit_clock_ns = sched_task_clock_ns(t);
		while (zsim_urcu_read_ongoing())
			zsim_urcu_read_unlock();
		zsim_urcu_unregister_thread();
	}
	__atomic_store_n(&t->sim->exited, true, __ATOMIC_RELEASE);
	wake_up_all(&t->sim->exit_wq);
	sched.ops->leave(t);
	pthread_exit(NULL);
}

void sched_task_free(struct task_struct *t)
{
	task_list_lock();
	list_del(&t->tasks);
	sched.nr_tasks--;
	task_list_unlock();
	pthread_mutex_destroy(&t->sim->lock);
	pthread_cond_destroy(&t->sim->cond);
	free(t->sim);
	free(t);
}

/* 0 once @t's thread is gone, or the controlled backend's failure (@t kept). */
static int task_wait_exit(struct task_struct *t)
{
	int ret;

	if (current) {
		wait_event(t->sim->exit_wq,
			   __atomic_load_n(&t->sim->exited, __ATOMIC_ACQUIRE));
		sched_blocking_begin();
		pthread_join(t->sim->thread, NULL);
		sched_blocking_end();
	} else {
		ret = sched.ops->join_external(t);
		if (ret)
			return ret;
		pthread_join(t->sim->thread, NULL);
	}
	return 0;
}

/* @t's thread is gone: its exit code, and the task freed. */
static int task_reap(struct task_struct *t)
{
	int ret = t->exit_code;

	sched_task_free(t);
	return ret;
}

int sched_task_join(struct task_struct *t)
{
	int ret = task_wait_exit(t);

	return ret ?: task_reap(t);
}

/* Under tasks_lock. By address alone: a joined task was freed. */
static bool task_listed(struct task_struct *t)
{
	struct task_struct *p;

	list_for_each_entry(p, &sched.tasks, tasks)
		if (p == t)
			return true;
	return false;
}

/*
 * Only a task of this machine that no other zsim_join() took is joined,
 * so that of two joins of one task only one frees it. tasks_lock is a
 * host lock: the check adds no scheduling point.
 */
int sched_task_join_handle(struct task_struct *t)
{
	bool ok = false;
	int ret;

	if (sched.running) {
		sim_rawlock_lock(&sched.tasks_lock);
		ok = task_listed(t) && !t->sim->joining;
		if (ok)
			t->sim->joining = true;
		sim_rawlock_unlock(&sched.tasks_lock);
	}
	if (!ok) {
		fprintf(stderr, "zswapsim: zsim_join(%p): not a task of this machine, or joined already\n",
			(void *)t);
		return -ESRCH;
	}
	ret = task_wait_exit(t);
	if (ret) {
		/* Not freed: a later join fails the same way. */
		sim_rawlock_lock(&sched.tasks_lock);
		t->sim->joining = false;
		sim_rawlock_unlock(&sched.tasks_lock);
		return ret;
	}
	return task_reap(t);
}

void sched_for_each_task(void (*fn)(struct task_struct *t, void *arg), void *arg)
{
	struct task_struct *t;

	sim_rawlock_lock(&sched.tasks_lock);
	list_for_each_entry(t, &sched.tasks, tasks)
		fn(t, arg);
	sim_rawlock_unlock(&sched.tasks_lock);
}

/* ---- scheduling points, sleeping, waking ---- */

static bool task_preemptible(struct task_struct *t)
{
	return t->preempt_count == 0 && !t->irqs_disabled;
}

void sched_point(void)
{
	struct task_struct *t = current;

	if (unlikely(!t))
		return;
	/* Free-running: most points have nothing to do (sched_free_point_due()). */
	if (!sim_controlled() && likely(!sched_free_point_due(t)))
		return;
	sched.ops->point(t, task_preemptible(t));
}

void sched_preempt_point(void)
{
	sched_point();
}

void __cond_resched(void)
{
	might_sleep();
}

void yield(void)
{
	sched_point();
}

void sched_spin_wait(void)
{
	struct task_struct *t = current;

	if (unlikely(!t))
		return;
	if (!sim_controlled()) {
		/* A task waiting for this CPU kicks us: then we give it up. */
		sched_point();
		return;
	}
	sched_controlled_spin_wait(t);
	sched.ops->point(t, task_preemptible(t));
}

void sched_delay_done(void)
{
	if (current && sim_controlled())
		sched_controlled_progress();
}

void schedule(void)
{
	struct task_struct *t = current;

	if (unlikely(!t)) {
		/* Only simulated tasks can sleep: the caller must use zsim_run(). */
		fprintf(stderr, "zswapsim: BUG: schedule() called from a thread that is not a simulated task\n");
		abort();
	}
	if (unlikely(t->preempt_count || t->irqs_disabled)) {
		sim_report_begin(SIM_REPORT_ATOMIC, "BUG: scheduling while atomic: %s/%d/0x%08x",
				 t->comm, t->pid, t->preempt_count);
		lockdep_print_held_locks(t);
		sim_report_backtrace();
		sim_report_end();
	}
	if (__atomic_load_n(&t->__state, __ATOMIC_ACQUIRE) == TASK_RUNNING) {
		sched_point();
		return;
	}
	sched.ops->sleep(t);
	t->blocked_on = NULL;
}

long schedule_timeout(long timeout)
{
	struct task_struct *t = current;
	u64 now, deadline;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %lx\n", timeout);
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	now = sched_clock_ns();
	deadline = now + jiffies_to_nsecs(timeout);
	t->sim->deadline_ns = deadline ? deadline : 1;
	t->sim->timed_out = false;
	schedule();
	t->sim->deadline_ns = 0;
	if (t->sim->timed_out)
		return 0;
	now = sched_clock_ns();
	return now >= deadline ? 0 : (long)nsecs_to_jiffies(deadline - now);
}

long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_idle(long timeout)
{
	__set_current_state(TASK_IDLE);
	return schedule_timeout(timeout);
}

int wake_up_state(struct task_struct *t, unsigned int state)
{
	unsigned int cur = __atomic_load_n(&t->__state, __ATOMIC_ACQUIRE);

	if (cur == TASK_NEW) {
		sched_task_start(t);
		return 1;
	}
	if (!(cur & state))
		return 0;
	return sched.ops->wake(t, state);
}

int wake_up_process(struct task_struct *t)
{
	return wake_up_state(t, TASK_NORMAL);
}

void sched_blocking_begin(void)
{
	if (current)
		sched.ops->blocking_begin(current);
}

void sched_blocking_end(void)
{
	if (current)
		sched.ops->blocking_end(current);
}

/* ---- context checks ---- */

void __might_sleep(const char *file, int line)
{
	struct task_struct *t = current;

	if (!t)
		return;
	if (unlikely(t->preempt_count || t->irqs_disabled || t->rcu_read_lock_nesting)) {
		sim_report_begin(SIM_REPORT_ATOMIC,
				 "BUG: sleeping function called from invalid context at %s:%d",
				 file, line);
		sim_report_printf("in_atomic(): %d, irqs_disabled(): %d, non_block: 0, pid: %d, name: %s",
				  t->preempt_count != 0, t->irqs_disabled != 0, t->pid, t->comm);
		sim_report_printf("preempt_count: %x, expected: 0", t->preempt_count);
		sim_report_printf("RCU nest depth: %d, expected: 0", t->rcu_read_lock_nesting);
		lockdep_print_held_locks(t);
		sim_report_backtrace();
		sim_report_end();
		return;
	}
	sched_point();
}

unsigned int debug_smp_processor_id(void)
{
	struct task_struct *t = current;

	if (!t)
		return 0;
	if (unlikely(task_preemptible(t) && !t->migration_disabled && t->bound_cpu < 0)) {
		sim_report_begin(SIM_REPORT_PREEMPT,
				 "BUG: using smp_processor_id() in preemptible [%08x] code: %s/%d",
				 t->preempt_count, t->comm, t->pid);
		sim_report_backtrace();
		sim_report_end();
	}
	return READ_ONCE(t->cpu);
}

void migrate_disable(void)
{
	struct task_struct *t = current;

	if (!t)
		return;
	if (t->migration_disabled++ == 0)
		__atomic_fetch_add(&cpu_rq(t->cpu)->nr_pinned, 1, __ATOMIC_SEQ_CST);
}

void migrate_enable(void)
{
	struct task_struct *t = current;

	if (!t)
		return;
	if (WARN_ON_ONCE(!t->migration_disabled))
		return;
	if (--t->migration_disabled == 0) {
		__atomic_fetch_sub(&cpu_rq(t->cpu)->nr_pinned, 1, __ATOMIC_SEQ_CST);
		if (!cpu_active(t->cpu))
			wake_up_all(&sched.drain_wq);
		sched_point();
	}
}

/* ---- hotplug support ---- */

void sched_bind_current(int cpu)
{
	struct task_struct *t = current;

	t->bound_cpu = cpu;
	if (cpu >= 0) {
		if (t->cpu != cpu)
			sched.ops->move(t, cpu);
	} else if (!cpu_active(t->cpu)) {
		sched.ops->move(t, sched_pick_active_cpu(&t->rnd_state, -1));
	}
}

void sched_cpu_deactivate(unsigned int cpu)
{
	cpumask_clear_cpu(cpu, &__cpu_active_mask);
	sched.ops->cpus_changed();
	/*
	 * As the kernel's: readers that began while the CPU was active end
	 * before any of its teardowns run; later ones see !cpu_active().
	 */
	synchronize_rcu();
}

void sched_cpu_activate(unsigned int cpu)
{
	cpumask_set_cpu(cpu, &__cpu_active_mask);
	sched.ops->cpus_changed();
}

static bool cpu_is_empty(unsigned int cpu)
{
	struct task_struct *curr = READ_ONCE(cpu_rq(cpu)->curr);

	return (!curr || curr == current || curr->bound_cpu == (int)cpu) &&
	       !__atomic_load_n(&cpu_rq(cpu)->nr_pinned, __ATOMIC_SEQ_CST);
}

void sched_cpu_wait_empty(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	if (!sim_controlled()) {
		/* Free-running: what runs there leaves at its next point. */
		pthread_mutex_lock(&rq->lock);
		sched_kick(rq->curr);
		pthread_mutex_unlock(&rq->lock);
	}
	wait_event(sched.drain_wq, cpu_is_empty(cpu));
}

/* ---- time ---- */

u64 sched_clock_ns(void)
{
	extern u64 sched_controlled_now(void);

	if (sim_controlled())
		return sched_controlled_now();
	return sched_host_ns() - sched.start_ns;
}

void sched_charge_ns(u64 ns)
{
	extern void sched_controlled_advance(u64 ns);

	if (current)
		__atomic_fetch_add(&current->vclock_ns, ns, __ATOMIC_RELAXED);
	if (sim_controlled())
		sched_controlled_advance(ns);
}

/*
 * Controlled: vclock_ns is the clock itself (see controlled.c). Free-running:
 * it holds the time charged to the task, on top of the host-timed machine
 * clock; the sum is kept at exit so that a joiner reads the final value.
 */
u64 sched_task_clock_ns(struct task_struct *t)
{
	if (sim_controlled())
		return __atomic_load_n(&t->vclock_ns, __ATOMIC_RELAXED);
	if (__atomic_load_n(&t->sim->exited, __ATOMIC_ACQUIRE))
		return t->sim->exit_clock_ns;
	return sched_clock_ns() + __atomic_load_n(&t->vclock_ns, __ATOMIC_RELAXED);
}

uint64_t zsim_task_clock_ns(struct zsim_task *task)
{
	struct task_struct *t = (struct task_struct *)task;
	bool listed = false;
	u64 ns = 0;

	/* zsim_spawn() failed: no task, no time. */
	if (!task)
		return 0;
	/* Read under tasks_lock: a zsim_join() elsewhere cannot free it meanwhile. */
	if (sched.running) {
		sim_rawlock_lock(&sched.tasks_lock);
		listed = task_listed(t);
		if (listed)
			ns = sched_task_clock_ns(t);
		sim_rawlock_unlock(&sched.tasks_lock);
	}
	if (!listed)
		fprintf(stderr, "zswapsim: zsim_task_clock_ns(%p): not a task of this machine, or joined already\n",
			(void *)task);
	return ns;
}

/* ---- machine ---- */

int sched_init(const struct zsim_config *cfg)
{
	unsigned int cpu;
	int ret;

	sim_backend = cfg->backend == ZSIM_CONTROLLED ? SIM_CONTROLLED : SIM_FREE_RUNNING;
	sched.ops = sim_controlled() ? &sched_controlled_ops : &sched_free_ops;
	sim_rawlock_init(&sched.tasks_lock);
	INIT_LIST_HEAD(&sched.tasks);
	sched.nr_tasks = 0;
	sched.next_pid = 0;
	sched.seed = cfg->seed;
	sched.rnd = cfg->seed ^ 0x5a5a5a5a5a5a5a5aULL;
	sched.migrate_permille = cfg->migrate_permille;
	sched.start_ns = sched_host_ns();
	init_waitqueue_head(&sched.drain_wq);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct rq *rq = cpu_rq(cpu);

		rq->curr = NULL;
		rq->nr_pinned = 0;
		rq->nr_waiting = 0;
		pthread_mutex_init(&rq->lock, NULL);
		pthread_cond_init(&rq->cond, NULL);
	}
	if (sim_controlled()) {
		ret = sched_controlled_init(cfg);
		if (ret)
			return ret;
	}
	sched.running = true;
	return 0;
}

/*
 * The first task the test spawned (not a kthread) that has not exited, with
 * its name copied under the list lock; NULL if none.
 */
static struct task_struct *first_running_task(char *comm, size_t len, pid_t *pid)
{
	struct task_struct *t, *found = NULL;

	sim_rawlock_lock(&sched.tasks_lock);
	list_for_each_entry(t, &sched.tasks, tasks) {
		if ((t->flags & PF_KTHREAD) || !t->sim->thread_started ||
		    __atomic_load_n(&t->sim->exited, __ATOMIC_ACQUIRE))
			continue;
		snprintf(comm, len, "%s", t->comm);
		*pid = t->pid;
		found = t;
		break;
	}
	sim_rawlock_unlock(&sched.tasks_lock);
	return found;
}

/*
 * Tasks that zsim_spawn() started and nobody joined may not have finished
 * at zsim_machine_stop(). Shutting down under them would tear down, and in
 * the free-running backend free, what they still use: run them to their
 * end first, as a halt lets the system calls in progress complete.
 *
 * Controlled: joined as zsim_join() would (nothing runs between two looks,
 * so the task found is still there); one that cannot finish is reported
 * as a deadlock and wedges the machine, which stop then abandons.
 * Free-running: polled, keeping no pointer between looks, as another task
 * may join and free it meanwhile; names it on stderr after 1 s, then
 * every 10 s (one that never ends keeps zsim_machine_stop() waiting).
 */
void sched_wait_running_tasks(void)
{
	const struct timespec poll = { .tv_nsec = 1000000 };
	u64 next_note = sched_host_ns() + NSEC_PER_SEC;
	char comm[TASK_COMM_LEN];
	struct task_struct *t;
	pid_t pid;

	while ((t = first_running_task(comm, sizeof(comm), &pid))) {
		if (sim_controlled()) {
			if (sched_controlled_wedged() || sched.ops->join_external(t))
				return;
			continue;
		}
		if (sched_host_ns() >= next_note) {
			fprintf(stderr, "zswapsim: zsim_machine_stop(): waiting for %s/%d, spawned and still running (zsim_join() tasks before stopping)\n",
				comm, pid);
			next_note = sched_host_ns() + 10 * NSEC_PER_SEC;
		}
		nanosleep(&poll, NULL);
	}
}

/* Tear down what is left; returns the number of tasks nobody joined. */
unsigned int sched_exit(void)
{
	unsigned int cpu, left;

	if (sim_controlled()) {
		sched_controlled_kill_all();
		sched_controlled_exit();
	}
	left = sched.nr_tasks;
	while (!list_empty(&sched.tasks)) {
		struct task_struct *t = list_first_entry(&sched.tasks, struct task_struct, tasks);

		/* Free-running kthreads nobody stopped still execute: leak them. */
		if (!sim_controlled() && t->sim->thread_started &&
		    !__atomic_load_n(&t->sim->exited, __ATOMIC_ACQUIRE)) {
			list_del(&t->tasks);
			continue;
		}
		if (t->sim->thread_started)
			pthread_join(t->sim->thread, NULL);
		sched_task_free(t);
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		pthread_mutex_destroy(&cpu_rq(cpu)->lock);
		pthread_cond_destroy(&cpu_rq(cpu)->cond);
	}
	sched.running = false;
	return left;
}
