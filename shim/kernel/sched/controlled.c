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
 * runs, and at d-1 random steps the running task drops below all others.
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
 * Nothing in a test waits for an hour of virtual time: a run that gets
 * there is only being kept alive by tasks polling on timeouts while the
 * task the test waits for cannot progress.
 */
#define VIRTUAL_TIME_LIMIT_NS	(3600ULL * 1000 * 1000 * 1000)

static struct {
	pthread_mutex_t		lock;
	pthread_cond_t		ext_cond;
	struct task_struct	*running;	/* baton holder, NULL: the test thread */
	struct task_struct	*ext_wait;	/* the test thread waits for its exit */
	u64			now_ns;
	unsigned long		steps;
	unsigned long		max_steps;
	enum zsim_policy	policy;
	u64			rnd;
	unsigned int		pct_depth;
	unsigned long		pct_change[16];
	unsigned int		pct_nr_change;
	unsigned int		migrate_permille;
	struct sched_trace	trace;		/* decisions of this run */
	struct sched_trace	replay;		/* decisions to follow, if any */
	u64			seed;
	int			err;		/* -EDEADLK, -ETIMEDOUT, -ENOEXEC: wedged */
	bool			reported;	/* the wedge was reported */
	char			*schedule;	/* cached encoding of trace */
	struct task_struct	**cand;		/* scratch: candidates of a step */
	size_t			cand_cap;
} ctl = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.ext_cond = PTHREAD_COND_INITIALIZER,
};

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

/* One decision among @n options; @fresh() makes it when not replaying. */
static u32 decide(u32 n, u32 fresh)
{
	u32 v = fresh;

	if (n <= 1)
		return 0;
	if (ctl.replay.pos < ctl.replay.nr)
		v = ctl.replay.vals[ctl.replay.pos++] % n;
	if (sched_trace_push(&ctl.trace, v)) {
		/* Cannot record: the run stays valid, only its string is cut. */
		ctl.trace.nr = 0;
	}
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

static size_t collect_candidates(void)
{
	struct task_struct *t;
	size_t n = 0;

	list_for_each_entry(t, &sched.tasks, tasks) {
		struct task_struct *curr;

		if (!t->sim->thread_started || t->sim->exited || t->__state != TASK_RUNNING)
			continue;
		rehome(t);
		curr = cpu_rq(t->cpu)->curr;
		if (curr && curr != t)
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
 * Pick who runs next, with ctl.lock held, on behalf of @self (NULL: the
 * test thread). NULL means the test thread: the task it waits for has
 * exited, the step limit ran out, or no task can run.
 */
static struct task_struct *pick_next(struct task_struct *self)
{
	unsigned int i;
	size_t n;

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
	if (ctl.policy == ZSIM_SCHED_PCT && self) {
		for (i = 0; i < ctl.pct_nr_change; i++)
			if (ctl.pct_change[i] == ctl.steps)
				self->sim->prio = (int)(ctl.pct_depth - 1 - i);
	}
	for (;;) {
		u64 next;

		expire_timeouts();
		n = collect_candidates();
		if (n)
			break;
		next = next_timeout();
		if (!next)
			return NULL;
		if (next > VIRTUAL_TIME_LIMIT_NS) {
			ctl.err = -ETIMEDOUT;
			return NULL;
		}
		ctl.now_ns = next;
	}
	if (ctl.policy == ZSIM_SCHED_PCT)
		return ctl.cand[decide(n, pct_choose(n))];
	return ctl.cand[decide(n, sched_rand_below(&ctl.rnd, n))];
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
	return decide(nr_active, fresh);
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
	switch_away(t);
	pthread_mutex_unlock(&ctl.lock);
}

static void ctl_sleep(struct task_struct *t)
{
	pthread_mutex_lock(&ctl.lock);
	if (t->__state != TASK_RUNNING) {
		rq_drop(t);
		switch_away(t);
	}
	pthread_mutex_unlock(&ctl.lock);
}

static int ctl_wake(struct task_struct *t, unsigned int state)
{
	int woke = 0;

	pthread_mutex_lock(&ctl.lock);
	if (t->__state & state) {
		t->__state = TASK_RUNNING;
		woke = 1;
	}
	pthread_mutex_unlock(&ctl.lock);
	return woke;
}

static void ctl_leave(struct task_struct *t)
{
	pthread_mutex_lock(&ctl.lock);
	rq_drop(t);
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

/* "z1:<seed>:<decisions>", cached in ctl.schedule; ctl.lock held. */
static const char *encode_schedule(void)
{
	char *body = sched_trace_encode(&ctl.trace);
	char *s = NULL;

	if (body && asprintf(&s, "z1:%llx:%s", (unsigned long long)ctl.seed, body) < 0)
		s = NULL;
	free(body);
	if (s) {
		free(ctl.schedule);
		ctl.schedule = s;
	}
	return ctl.schedule ? ctl.schedule : "";
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
	pthread_mutex_lock(&ctl.lock);
	/* Distinct random priorities above the d-1 change-point levels. */
	t->sim->prio = (int)(ctl.pct_depth + (sched_rand_below(&ctl.rnd, 1 << 16) << 12) +
			     (t->pid & 0xfff));
	pthread_mutex_unlock(&ctl.lock);
}

/* Parse "z1:<seed>:<decisions>"; fills the seed and the replay trace. */
static int parse_replay(const char *str, u64 *seed)
{
	char *end;

	if (strncmp(str, "z1:", 3)) {
		pr_err("zswapsim: schedule string must start with \"z1:\": \"%.40s\"\n", str);
		return -EINVAL;
	}
	*seed = strtoull(str + 3, &end, 16);
	if (end == str + 3 || *end != ':') {
		pr_err("zswapsim: schedule string has no seed: \"%.40s\"\n", str);
		return -EINVAL;
	}
	return sched_trace_decode(&ctl.replay, end + 1);
}

int sched_controlled_init(const struct zsim_config *cfg)
{
	unsigned int i;
	int ret;

	sched_trace_free(&ctl.trace);
	sched_trace_free(&ctl.replay);
	free(ctl.schedule);
	ctl.schedule = NULL;
	ctl.seed = cfg->seed;
	if (cfg->replay) {
		ret = parse_replay(cfg->replay, &ctl.seed);
		if (ret)
			return ret;
		/* Every other random stream derives from the recorded seed. */
		sched.seed = ctl.seed;
		sched.rnd = ctl.seed ^ 0x5a5a5a5a5a5a5a5aULL;
	}
	ctl.running = NULL;
	ctl.ext_wait = NULL;
	ctl.now_ns = 0;
	ctl.steps = 0;
	ctl.err = 0;
	ctl.reported = false;
	ctl.max_steps = cfg->max_steps;
	ctl.policy = cfg->policy;
	ctl.rnd = ctl.seed ^ 0xc3a5c85c97cb3127ULL;
	ctl.migrate_permille = cfg->migrate_permille;
	ctl.pct_depth = clamp(cfg->pct_depth, 1U, (unsigned int)ARRAY_SIZE(ctl.pct_change) + 1);
	ctl.pct_nr_change = ctl.pct_depth - 1;
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

unsigned long zsim_steps(void)
{
	return ctl.steps;
}
