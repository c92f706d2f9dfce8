// SPDX-License-Identifier: GPL-2.0-only
/*
 * The controlled backend: exactly one simulated task runs at a time. The
 * running task holds the baton; at every scheduling point it asks the
 * seeded scheduler which task runs next and hands the baton over. A run is
 * a function of (program, seed): decisions where there was a choice are
 * recorded as a schedule string, and replaying that string reproduces the
 * run exactly. Time is virtual: each step advances the clock by STEP_NS,
 * and when nothing can run the clock jumps to the next timeout. When
 * nothing can run and nothing will time out while a test waits for a task,
 * that is a deadlock, reported with every task's state and held locks.
 *
 * Policies: a uniform random walk, and PCT (Burckhardt et al., ASPLOS'10):
 * tasks get random distinct priorities, the highest-priority runnable task
 * runs, and at d-1 random steps the task about to run drops below all
 * initial priorities. A spin-wait iteration (sched_spin_wait()) is a yield:
 * under PCT the spinner drops below every other task, so that the task it
 * waits for runs; the random walk needs nothing more than the point.
 *
 * Each task's virtual clock (sched_task_clock_ns()) advances by what is
 * charged to it, by the length of a timeout it slept through, and on a
 * wakeup to at least its waker's clock. Steps move only the machine clock:
 * they are where the scheduler may switch, not a measure of work, so a
 * modelled figure does not depend on how many points a code path has.
 */
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <sim/report.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"

#define STEP_NS		100
/*
 * Nothing in a test waits an hour of virtual time for an event: when the
 * clock has advanced that far by timeouts alone since the last progress
 * (sched_controlled_progress()), only tasks polling on timeouts keep the
 * machine going while the task the test waits for cannot progress.
 */
#define HANG_TIMEOUT_NS		(3600ULL * 1000 * 1000 * 1000)

static struct {
	pthread_mutex_t		lock;
	/*
	 * Taken by a test thread for the whole of its join: the baton has
	 * one place for a test thread (running == NULL), so of several host
	 * threads calling zsim_run() at once one drives the machine at a
	 * time, and the others wait for it (their tasks may run meanwhile).
	 */
	pthread_mutex_t		ext_lock;
	pthread_cond_t		ext_cond;
	struct task_struct	*running;	/* baton holder, NULL: the test thread */
	struct task_struct	*ext_wait;	/* the test thread waits for its exit */
	u64			now_ns;
	u64			timeout_ns;	/* advanced by timeouts since progress */
	unsigned long		steps;
	unsigned long		max_steps;
	enum zsim_policy	policy;
	u64			rnd;
	unsigned int		pct_depth;
	unsigned long		pct_change[16];
	unsigned int		pct_nr_change;
	u32			pct_applied;	/* bit i: change point i applied */
	unsigned int		pct_nr_applied;
	unsigned int		migrate_permille;
	struct sched_trace	trace;		/* decisions of this run */
	struct sched_trace	rtrace;		/* the same, relative to "stay" */
	bool			trace_lost;	/* a decision could not be recorded */
	struct sched_trace	replay;		/* decisions to follow, if any */
	bool			replay_stay;	/* ":stay": then run on without preempting */
	struct task_struct	*last_run;	/* the last task picked */
	struct task_struct	*yielder;	/* spin-waiting at its point */
	u64			seed;
	int			err;		/* -EDEADLK, -ETIMEDOUT, -ENOEXEC: wedged */
	bool			reported;	/* the wedge was reported */
	char			*schedule;	/* cached encoding of trace */
	char			*schedule_stay;	/* cached encoding of rtrace */
	struct task_struct	**cand;		/* scratch: candidates of a step */
	size_t			cand_cap;
} ctl = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.ext_lock = PTHREAD_MUTEX_INITIALIZER,
	.ext_cond = PTHREAD_COND_INITIALIZER,
};

/*
 * The scheduler walks sched.tasks under ctl.lock: another test thread
 * adds or frees its task under it too.
 */
void sched_controlled_lock(void)
{
	pthread_mutex_lock(&ctl.lock);
}

void sched_controlled_unlock(void)
{
	pthread_mutex_unlock(&ctl.lock);
}

u64 sched_controlled_now(void)
{
	return __atomic_load_n(&ctl.now_ns, __ATOMIC_RELAXED);
}

void sched_controlled_advance(u64 ns)
{
	__atomic_fetch_add(&ctl.now_ns, ns, __ATOMIC_RELAXED);
}

bool sched_controlled_wedged(void)
{
	return sim_controlled() && ctl.err;
}

int sched_controlled_run_err(void)
{
	return ctl.err;
}

static bool task_exited(struct task_struct *t)
{
	return __atomic_load_n(&t->sim->exited, __ATOMIC_ACQUIRE);
}

/*
 * One decision among @n options: @fresh is the policy's, @stay the one
 * that changes nothing (no preemption, no migration). A ":stay" replay
 * string holds decisions relative to @stay (0: stay, k: the k-th option
 * after it) and is followed by @stay once it has run out. Each decision
 * is recorded both ways (zsim_schedule(), zsim_schedule_stay()).
 */
static u32 decide(u32 n, u32 fresh, u32 stay)
{
	u32 v = fresh;

	if (n <= 1)
		return 0;
	if (ctl.replay.pos < ctl.replay.nr) {
		v = ctl.replay.vals[ctl.replay.pos++] % n;
		if (ctl.replay_stay)
			v = (stay + v) % n;
	} else if (ctl.replay_stay) {
		v = stay;
	}
	/* Cannot record: the run goes on, but its string cannot replay it. */
	if (!ctl.trace_lost && (sched_trace_record(&ctl.trace, v) ||
				sched_trace_record(&ctl.rtrace, (v + n - stay) % n)))
		ctl.trace_lost = true;
	return v;
}

static void rq_take(struct task_struct *t)
{
	cpu_rq(t->cpu)->curr = t;
}

static void rq_drop(struct task_struct *t)
{
	struct rq *rq = cpu_rq(t->cpu);

	if (rq->curr == t)
		rq->curr = NULL;
}

/* Put a task that may not stay on its CPU somewhere it may run. */
static void rehome(struct task_struct *t)
{
	if (sched_cpu_allowed(t, t->cpu))
		return;
	if (t->bound_cpu >= 0)
		t->cpu = t->bound_cpu;
	else
		t->cpu = sched_pick_active_cpu(&t->rnd_state, -1);
}

static void expire_timeouts(void)
{
	struct task_struct *t;

	list_for_each_entry(t, &sched.tasks, tasks) {
		struct sim_task *s = t->sim;

		if (s->deadline_ns && s->deadline_ns <= ctl.now_ns &&
		    t->__state != TASK_RUNNING && t->__state != TASK_NEW && !s->exited) {
			s->timed_out = true;
			t->__state = TASK_RUNNING;
		}
	}
}

static u64 next_timeout(void)
{
	struct task_struct *t;
	u64 next = 0;

	list_for_each_entry(t, &sched.tasks, tasks) {
		struct sim_task *s = t->sim;

		if (s->deadline_ns && t->__state != TASK_RUNNING && !s->exited &&
		    (!next || s->deadline_ns < next))
			next = s->deadline_ns;
	}
	return next;
}

/*
 * @t is runnable but another task holds its CPU (one inside a
 * non-preemptible section keeps it across scheduling points). As the
 * kernel's idle balancing would, move @t to an idle CPU it may run on, if
 * it may migrate; the lowest such CPU, so a replay moves it the same way.
 */
static bool idle_balance(struct task_struct *t)
{
	unsigned int cpu;

	if (t->migration_disabled || t->bound_cpu >= 0)
		return false;
	for_each_cpu(cpu, cpu_active_mask) {
		if (!cpu_rq(cpu)->curr) {
			t->cpu = cpu;
			return true;
		}
	}
	return false;
}

static size_t collect_candidates(void)
{
	struct task_struct *t;
	size_t n = 0;

	list_for_each_entry(t, &sched.tasks, tasks) {
		struct task_struct *curr;

		/*
		 * A task preempted at a scheduling point stays on the runqueue
		 * whatever its state, as in the kernel: one caught between
		 * prepare_to_wait() and schedule() must get to run its
		 * schedule(), where it sleeps or finds itself already woken.
		 */
		if (!t->sim->thread_started || t->sim->exited ||
		    (t->__state != TASK_RUNNING && !t->sim->preempted))
			continue;
		rehome(t);
		curr = cpu_rq(t->cpu)->curr;
		if (curr && curr != t && !idle_balance(t))
			continue;
		if (n == ctl.cand_cap) {
			size_t cap = ctl.cand_cap ? 2 * ctl.cand_cap : 64;
			void *p = realloc(ctl.cand, cap * sizeof(*ctl.cand));

			if (!p)
				break;
			ctl.cand = p;
			ctl.cand_cap = cap;
		}
		ctl.cand[n++] = t;
	}
	return n;
}

/*
 * The candidate that keeps the last task running, or the first one; a
 * spin-waiter hands on to the next candidate, as a yield, lest it spin
 * for ever.
 */
static u32 stay_choice(size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ctl.cand[i] == ctl.last_run)
			return ctl.cand[i] == ctl.yielder ? (i + 1) % n : i;
	return 0;
}

static u32 pct_choose(size_t n)
{
	u32 best = 0;
	size_t i;

	for (i = 1; i < n; i++)
		if (ctl.cand[i]->sim->prio > ctl.cand[best]->sim->prio)
			best = i;
	return best;
}

/*
 * PCT change point i (at step pct_change[i]): the task about to run drops
 * to level d-1-i, below every initial priority. A change point whose step
 * went by without a pick among tasks (the test thread's turn, the waited
 * task's exit) applies at the next pick, so none is lost.
 */
static void pct_apply_changes(size_t n)
{
	unsigned int i;

	for (i = 0; i < ctl.pct_nr_change; i++) {
		if ((ctl.pct_applied & (1U << i)) || ctl.pct_change[i] > ctl.steps)
			continue;
		ctl.cand[pct_choose(n)]->sim->prio = (s64)(ctl.pct_depth - 1 - i);
		ctl.pct_applied |= 1U << i;
		ctl.pct_nr_applied++;
	}
}

/*
 * Pick who runs next, with ctl.lock held, on behalf of @self (NULL: the
 * test thread). NULL means the test thread: the task it waits for has
 * exited, the step limit ran out, or no task can run.
 */
static struct task_struct *pick_next(struct task_struct *self)
{
	size_t n;
	u32 pick;

	ctl.steps++;
	ctl.now_ns += STEP_NS;
	if (ctl.max_steps && ctl.steps > ctl.max_steps && !ctl.err) {
		ctl.err = -ENOEXEC;
		return NULL;
	}
	if (ctl.err)
		return NULL;
	if (ctl.ext_wait && task_exited(ctl.ext_wait))
		return NULL;
	for (;;) {
		u64 next;

		expire_timeouts();
		n = collect_candidates();
		if (n)
			break;
		next = next_timeout();
		if (!next)
			return NULL;
		ctl.timeout_ns += next - ctl.now_ns;
		if (ctl.timeout_ns > HANG_TIMEOUT_NS) {
			ctl.err = -ETIMEDOUT;
			return NULL;
		}
		ctl.now_ns = next;
	}
	if (ctl.policy == ZSIM_SCHED_PCT) {
		pct_apply_changes(n);
		pick = decide(n, pct_choose(n), stay_choice(n));
	} else {
		pick = decide(n, sched_rand_below(&ctl.rnd, n), stay_choice(n));
	}
	ctl.yielder = NULL;
	ctl.last_run = ctl.cand[pick];
	return ctl.last_run;
}

static void handoff(struct task_struct *next)
{
	ctl.running = next;
	if (next)
		pthread_cond_signal(&next->sim->cond);
	else
		pthread_cond_signal(&ctl.ext_cond);
}

/* Wait, with ctl.lock held, until @t holds the baton again. */
static void wait_turn(struct task_struct *t)
{
	while (ctl.running != t) {
		if (t->sim->killed) {
			pthread_mutex_unlock(&ctl.lock);
			pthread_exit(NULL);
		}
		pthread_cond_wait(&t->sim->cond, &ctl.lock);
	}
	if (t->sim->killed) {
		pthread_mutex_unlock(&ctl.lock);
		pthread_exit(NULL);
	}
}

/* Give up the baton to whoever is picked, and come back when picked. */
static void switch_away(struct task_struct *t)
{
	struct task_struct *next = pick_next(t);

	if (next != t) {
		handoff(next);
		wait_turn(t);
	}
	rehome(t);
	rq_take(t);
}

static void ctl_enter(struct task_struct *t)
{
	pthread_mutex_lock(&ctl.lock);
	wait_turn(t);
	rehome(t);
	rq_take(t);
	pthread_mutex_unlock(&ctl.lock);
}

static u32 migrate_choice(struct task_struct *t, unsigned int nr_active)
{
	u32 fresh = 0;

	if (sched_rand_below(&ctl.rnd, 1000) < ctl.migrate_permille)
		fresh = 1 + sched_rand_below(&ctl.rnd, nr_active - 1);
	return decide(nr_active, fresh, 0);
}

static void ctl_point(struct task_struct *t, bool preemptible)
{
	pthread_mutex_lock(&ctl.lock);
	if (preemptible) {
		rq_drop(t);
		if (!t->migration_disabled && t->bound_cpu < 0) {
			unsigned int nr_active = num_active_cpus();
			u32 m = nr_active > 1 ? migrate_choice(t, nr_active) : 0;

			if (m) {
				/* The m-th active CPU after the current one. */
				unsigned int cpu = t->cpu;

				while (m--) {
					cpu = cpumask_next(cpu, cpu_active_mask);
					if (cpu >= nr_cpu_ids)
						cpu = cpumask_first(cpu_active_mask);
				}
				t->cpu = cpu;
			}
		}
	}
	t->sim->preempted = true;
	switch_away(t);
	t->sim->preempted = false;
	pthread_mutex_unlock(&ctl.lock);
}

/*
 * @t's clock after a sleep that began at machine time @slept_at: a timeout
 * lasted until its deadline, and a wakeup came no earlier than the waker's
 * clock read when it woke @t.
 */
static void task_clock_after_sleep(struct task_struct *t, u64 slept_at)
{
	struct sim_task *s = t->sim;

	if (s->timed_out && s->deadline_ns > slept_at)
		t->vclock_ns += s->deadline_ns - slept_at;
	if (s->waker_clock_ns > t->vclock_ns)
		t->vclock_ns = s->waker_clock_ns;
}

static void ctl_sleep(struct task_struct *t)
{
	pthread_mutex_lock(&ctl.lock);
	if (t->__state != TASK_RUNNING) {
		u64 slept_at = ctl.now_ns;

		t->sim->waker_clock_ns = 0;
		rq_drop(t);
		switch_away(t);
		task_clock_after_sleep(t, slept_at);
	}
	pthread_mutex_unlock(&ctl.lock);
}

static int ctl_wake(struct task_struct *t, unsigned int state)
{
	struct task_struct *waker = current;
	int woke = 0;

	pthread_mutex_lock(&ctl.lock);
	if (t->__state & state) {
		t->__state = TASK_RUNNING;
		if (waker && waker->vclock_ns > t->sim->waker_clock_ns)
			t->sim->waker_clock_ns = waker->vclock_ns;
		ctl.timeout_ns = 0;
		woke = 1;
	}
	pthread_mutex_unlock(&ctl.lock);
	return woke;
}

static void ctl_leave(struct task_struct *t)
{
	pthread_mutex_lock(&ctl.lock);
	ctl.timeout_ns = 0;
	rq_drop(t);
	/* Its memory may be a later task's: "stay" must not take that for it. */
	if (ctl.last_run == t)
		ctl.last_run = NULL;
	handoff(pick_next(t));
	pthread_mutex_unlock(&ctl.lock);
}

static const char *state_name(unsigned int state)
{
	switch (state) {
	case TASK_RUNNING:		return "R (runnable)";
	case TASK_INTERRUPTIBLE:	return "S (sleeping)";
	case TASK_UNINTERRUPTIBLE:	return "D (blocked)";
	case TASK_IDLE:			return "I (idle)";
	case TASK_NEW:			return "N (not started)";
	default:			return "?";
	}
}

/*
 * "z1:<seed>:<decisions>", cached in ctl.schedule; ctl.lock held. A run
 * that lost a decision gets "z1:<seed>:!truncated", which replay refuses:
 * the decisions it kept would replay another run.
 */
static const char *encode_trace(struct sched_trace *tr, bool stay, char **cache)
{
	char *s = NULL;

	if (!ctl.trace_lost)
		s = schedule_format(ctl.seed, tr, stay);
	else if (asprintf(&s, "z1:%llx:" SCHEDULE_TRUNCATED, (unsigned long long)ctl.seed) < 0)
		s = NULL;
	if (s) {
		free(*cache);
		*cache = s;
	}
	return *cache ? *cache : "";
}

/* A ":stay" run's replay goes on with "stay": its string is relative too. */
static const char *encode_schedule(void)
{
	if (ctl.replay_stay)
		return encode_trace(&ctl.rtrace, true, &ctl.schedule);
	return encode_trace(&ctl.trace, false, &ctl.schedule);
}

static void report_deadlock(struct task_struct *waited)
{
	struct task_struct *t;

	sim_report_begin(SIM_REPORT_DEADLOCK,
			 ctl.err == -ETIMEDOUT ?
			 "BUG: hang: only timeouts keep the machine going (waiting for %s/%d, step %lu)" :
			 "BUG: deadlock: no simulated task can run (waiting for %s/%d, step %lu)",
			 waited->comm, waited->pid, ctl.steps);
	list_for_each_entry(t, &sched.tasks, tasks) {
		if (t->sim->exited)
			continue;
		sim_report_printf("task %s/%d cpu %d state %s%s%s", t->comm, t->pid, t->cpu,
				  state_name(t->__state),
				  t->blocked_on ? " on " : "",
				  t->blocked_on ? t->blocked_on : "");
		lockdep_print_held_locks(t);
	}
	sim_report_printf("replay with schedule %s", encode_schedule());
	sim_report_end();
}

static int ctl_join_external(struct task_struct *t)
{
	int ret = 0;

	pthread_mutex_lock(&ctl.ext_lock);
	pthread_mutex_lock(&ctl.lock);
	ctl.ext_wait = t;
	while (!task_exited(t)) {
		struct task_struct *next = pick_next(NULL);

		if (!next) {
			if (task_exited(t))
				break;
			if (!ctl.err)
				ctl.err = -EDEADLK;
			if (ctl.err != -ENOEXEC && !ctl.reported) {
				ctl.reported = true;
				report_deadlock(t);
			}
			ret = ctl.err;
			break;
		}
		handoff(next);
		while (ctl.running)
			pthread_cond_wait(&ctl.ext_cond, &ctl.lock);
	}
	ctl.ext_wait = NULL;
	pthread_mutex_unlock(&ctl.lock);
	pthread_mutex_unlock(&ctl.ext_lock);
	return ret;
}

static void ctl_nop(struct task_struct *t)
{
}

static void ctl_move(struct task_struct *t, int cpu)
{
	pthread_mutex_lock(&ctl.lock);
	rq_drop(t);
	t->cpu = cpu;
	switch_away(t);
	pthread_mutex_unlock(&ctl.lock);
}

static void ctl_cpus_changed(void)
{
}

const struct sched_backend_ops sched_controlled_ops = {
	.name		= "controlled",
	.enter		= ctl_enter,
	.point		= ctl_point,
	.sleep		= ctl_sleep,
	.wake		= ctl_wake,
	.leave		= ctl_leave,
	.join_external	= ctl_join_external,
	/* The baton stays with a task blocked in pthread_join(): the thread
	 * it joins needs no baton to finish exiting. */
	.blocking_begin	= ctl_nop,
	.blocking_end	= ctl_nop,
	.move		= ctl_move,
	.cpus_changed	= ctl_cpus_changed,
};

void sched_controlled_task_created(struct task_struct *t)
{
	struct task_struct *parent = current;

	pthread_mutex_lock(&ctl.lock);
	/* Distinct random priorities above the d-1 change-point levels. */
	t->sim->prio = (s64)(ctl.pct_depth + (sched_rand_below(&ctl.rnd, 1 << 16) << 12) +
			     (t->pid & 0xfff));
	/* Its timeline starts where its creator's is, or at the machine's. */
	t->vclock_ns = parent ? parent->vclock_ns : ctl.now_ns;
	ctl.timeout_ns = 0;
	pthread_mutex_unlock(&ctl.lock);
}

/*
 * A spin-wait iteration of @t, before its scheduling point. PCT treats it
 * as a yield: @t drops below every other live task, so the highest-priority
 * runnable task is one that may end the wait. Priorities only move down,
 * and a 64-bit priority cannot run out within a run.
 */
void sched_controlled_spin_wait(struct task_struct *t)
{
	struct task_struct *o;
	s64 lowest;

	pthread_mutex_lock(&ctl.lock);
	ctl.yielder = t;
	if (ctl.policy != ZSIM_SCHED_PCT) {
		pthread_mutex_unlock(&ctl.lock);
		return;
	}
	lowest = t->sim->prio;
	list_for_each_entry(o, &sched.tasks, tasks)
		if (o != t && !o->sim->exited && o->sim->prio <= lowest)
			lowest = o->sim->prio - 1;
	t->sim->prio = lowest;
	pthread_mutex_unlock(&ctl.lock);
}

/* Real progress: the hang limit counts timeouts from here on. */
void sched_controlled_progress(void)
{
	pthread_mutex_lock(&ctl.lock);
	ctl.timeout_ns = 0;
	pthread_mutex_unlock(&ctl.lock);
}

int sched_controlled_init(const struct zsim_config *cfg)
{
	unsigned int i;
	int ret;

	sched_trace_free(&ctl.trace);
	sched_trace_free(&ctl.rtrace);
	free(ctl.schedule_stay);
	ctl.schedule_stay = NULL;
	sched_trace_free(&ctl.replay);
	free(ctl.schedule);
	ctl.schedule = NULL;
	ctl.seed = cfg->seed;
	ctl.replay_stay = false;
	ctl.last_run = NULL;
	ctl.yielder = NULL;
	if (cfg->replay) {
		ret = schedule_parse(cfg->replay, &ctl.seed, &ctl.replay, &ctl.replay_stay);
		if (ret)
			return ret;
		/* Every other random stream derives from the recorded seed. */
		sched.seed = ctl.seed;
		sched.rnd = ctl.seed ^ 0x5a5a5a5a5a5a5a5aULL;
	}
	ctl.running = NULL;
	ctl.ext_wait = NULL;
	ctl.now_ns = 0;
	ctl.timeout_ns = 0;
	ctl.trace_lost = false;
	ctl.steps = 0;
	ctl.err = 0;
	ctl.reported = false;
	ctl.max_steps = cfg->max_steps;
	ctl.policy = cfg->policy;
	ctl.rnd = ctl.seed ^ 0xc3a5c85c97cb3127ULL;
	ctl.migrate_permille = cfg->migrate_permille;
	ctl.pct_depth = clamp(cfg->pct_depth, 1U, (unsigned int)ARRAY_SIZE(ctl.pct_change) + 1);
	ctl.pct_nr_change = ctl.pct_depth - 1;
	ctl.pct_applied = 0;
	ctl.pct_nr_applied = 0;
	for (i = 0; i < ctl.pct_nr_change; i++)
		ctl.pct_change[i] = 1 + sched_rand_below(&ctl.rnd, cfg->pct_steps ? cfg->pct_steps : 10000);
	return 0;
}

void sched_controlled_kill_all(void)
{
	struct task_struct *t;

	pthread_mutex_lock(&ctl.lock);
	list_for_each_entry(t, &sched.tasks, tasks) {
		if (!t->sim->thread_started || t->sim->exited)
			continue;
		t->sim->killed = true;
		pthread_cond_signal(&t->sim->cond);
		pthread_mutex_unlock(&ctl.lock);
		pthread_join(t->sim->thread, NULL);
		pthread_mutex_lock(&ctl.lock);
		t->sim->thread_started = false;
	}
	pthread_mutex_unlock(&ctl.lock);
}

void sched_controlled_exit(void)
{
	sched_trace_free(&ctl.replay);
	free(ctl.cand);
	ctl.cand = NULL;
	ctl.cand_cap = 0;
}

/* The decisions so far (or of the last run), as "z1:<seed>:<decisions>". */
const char *zsim_schedule(void)
{
	const char *s;

	if (!sim_controlled())
		return "";
	pthread_mutex_lock(&ctl.lock);
	s = encode_schedule();
	pthread_mutex_unlock(&ctl.lock);
	return s;
}

/* The same decisions relative to "no preemption", as a ":stay" string. */
const char *zsim_schedule_stay(void)
{
	const char *s;

	if (!sim_controlled())
		return "";
	pthread_mutex_lock(&ctl.lock);
	s = encode_trace(&ctl.rtrace, true, &ctl.schedule_stay);
	pthread_mutex_unlock(&ctl.lock);
	return s;
}

unsigned long zsim_steps(void)
{
	return ctl.steps;
}

unsigned int sched_pct_changes(void)
{
	return ctl.pct_nr_applied;
}
