// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lock validator (kernel/locking/lockdep.c), in miniature.
 *
 * Held locks: every task keeps the stack of locks it holds in
 * current->held_locks, always, so that the deadlock and atomic-sleep
 * reports can print them. The lock class of each entry is kept beside it
 * in a thread-local array (struct held_lock has no room for it, and only
 * the owning task ever needs it).
 *
 * Classes: a class is a (struct lock_class_key address, subclass) pair; a
 * lockdep_map caches its subclass-0 class. Classes live in a hash with
 * lock-free lookups; those of static keys persist across machines (their
 * locks do), those of keys in allocated memory are freed when the machine
 * stops.
 *
 * The graph: an edge A -> B says "B was acquired while A was held". Each
 * edge carries the kinds of dependency seen (exclusive or shared holder of
 * A, recursive-read or other acquirer of B) and the stack of the
 * acquisition that first recorded it. Edges live in a hash of (A, B) pairs
 * read without locks, so an acquisition whose dependencies were all seen
 * before costs a few hash probes. A new edge takes the graph lock and runs
 * a breadth-first search for a path back from B to A; one that could
 * deadlock (see strong_path_ok()) is reported as a circular dependency,
 * once per edge, and the edge is kept so that it is not searched again.
 *
 * Internal memory comes from calloc()/free(), not kmalloc(), so that
 * lockdep neither recurses into the slab nor meets fault injection; the
 * graph lock is a pthread mutex never held across a scheduling point.
 */
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/sched.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <sim/sealed.h>
#include <dlfcn.h>
#include <link.h>
#include <asm/barrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lockdep_internals.h"

#define CLASSHASH_BITS		12
#define CLASSHASH_SIZE		(1UL << CLASSHASH_BITS)
#define EDGEHASH_BITS		15
#define EDGEHASH_SIZE		(1UL << EDGEHASH_BITS)
#define MAX_LOCKDEP_KEYS	8192
#define MAX_LOCKDEP_EDGES	(1UL << 20)
#define LOCKDEP_STACK_DEPTH	20
#define CLASS_NAME_LEN		64

/*
 * Dependency kinds, after lockdep-design.rst: the holder of the earlier
 * lock is Exclusive or Shared (any reader), the acquirer of the later one
 * is Recursive-read or Non-recursive.
 */
#define DEP_EN			(1U << 0)
#define DEP_ER			(1U << 1)
#define DEP_SN			(1U << 2)
#define DEP_SR			(1U << 3)
#define DEP_HOLDER_EXCL		(DEP_EN | DEP_ER)
#define DEP_ACQ_RECURSIVE	(DEP_ER | DEP_SR)

struct lock_edge;

struct lock_class {
	struct lock_class	*hash_next;	/* class hash chain, lock-free reads */
	struct lock_class	*all_next;	/* every class, under graph_lock */
	const struct lock_class_key *key;
	unsigned int		subclass;
	bool			dynamic;	/* key not in static storage */
	bool			recursion_reported;
	struct lock_edge	*after;		/* edges from this class */
	unsigned long		bfs_mark[2];	/* per "arrived by R" state */
	char			name[CLASS_NAME_LEN];
};

struct lock_edge {
	struct lock_edge	*hash_next;	/* edge hash chain, lock-free reads */
	struct lock_edge	*after_next;	/* from->after list */
	struct lock_edge	*all_next;	/* every edge, for lockdep_reset() */
	struct lock_class	*from, *to;
	unsigned int		types;		/* DEP_*, atomic */
	bool			cycle_reported;
	pid_t			pid;		/* who recorded it */
	char			comm[TASK_COMM_LEN];
	int			nr_stack;
	void			*stack[LOCKDEP_STACK_DEPTH];
};

struct lock_class_key __lockdep_no_validate__;
int debug_locks = 1;

/* Owner identity of lock words on threads that are not tasks. */
__thread long lock_owner_tag_outside_task;

static pthread_mutex_t graph_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lock_class *class_hash[CLASSHASH_SIZE];
static struct lock_class *all_classes;
static unsigned long nr_classes;
static struct lock_edge *edge_hash[EDGEHASH_SIZE];
static struct lock_edge *all_edges;
static unsigned long nr_edges;
static unsigned long bfs_gen;
static bool graph_full_reported;

/* Registered dynamic keys (lockdep_register_key()), a small list. */
struct dyn_key {
	struct dyn_key		*next;
	const struct lock_class_key *key;
};
static struct dyn_key *dyn_keys;

/*
 * The class of each of current's held locks (NULL: not validated).
 * Initial-exec TLS: with the validator off, tracking a held lock is a few
 * stores, without a __tls_get_addr() call from the shared library.
 */
static __thread struct lock_class *held_class[MAX_LOCK_DEPTH]
	__attribute__((tls_model("initial-exec")));
/* Acquisitions beyond MAX_LOCK_DEPTH, not recorded. */
static __thread int held_overflow __attribute__((tls_model("initial-exec")));

/* BFS work queue, under graph_lock. */
struct bfs_entry {
	struct lock_class	*class;
	struct lock_edge	*via;		/* edge that led here */
	int			parent;		/* index in the queue, -1: root */
	bool			in_r;		/* arrived as a recursive reader */
};
static struct bfs_entry *bfs_queue;
static size_t bfs_cap;

/* ---- switches ---- */

void lockdep_set_enabled(bool on)
{
	__atomic_store_n(&debug_locks, on ? 1 : 0, __ATOMIC_RELAXED);
}

static void validator_off(void)
{
	lockdep_set_enabled(false);
}

/* ---- names and symbols ---- */

const char *lockdep_map_name(const struct lockdep_map *lock, char *buf, size_t len)
{
	if (lock && lock->name)
		return lock->name;
	snprintf(buf, len, "lock@%p", (const void *)lock);
	return buf;
}

static const char *class_name(const struct lock_class *class, char *buf, size_t len)
{
	if (class->subclass)
		snprintf(buf, len, "%s/%u", class->name, class->subclass);
	else
		snprintf(buf, len, "%s", class->name);
	return buf;
}

/* "function+0xoff" for @ip when the dynamic symbol table knows it. */
static const char *ip_name(unsigned long ip, char *buf, size_t len)
{
	Dl_info info;

	if (ip && dladdr((void *)ip, &info) && info.dli_sname && info.dli_saddr)
		snprintf(buf, len, "%s+0x%lx", info.dli_sname,
			 ip - (unsigned long)info.dli_saddr);
	else
		snprintf(buf, len, "0x%lx", ip);
	return buf;
}

static int save_stack(void **stack, int max)
{
	void *buf[LOCKDEP_STACK_DEPTH + 2];
	int n = zsim_backtrace(buf, LOCKDEP_STACK_DEPTH + 2);

	/* Drop save_stack() itself and its caller inside lockdep. */
	n = n > 2 ? n - 2 : 0;
	n = min(n, max);
	memcpy(stack, buf + 2, n * sizeof(void *));
	return n;
}

/* ---- static storage ---- */

struct static_range_query {
	unsigned long	addr;
	bool		found;
};

static int static_range_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct static_range_query *q = data;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (q->addr >= start && q->addr < start + ph->p_memsz) {
			q->found = true;
			return 1;
		}
	}
	return 0;
}

/* Is @addr in a loaded object's image (.data, .bss, ...)? As static_obj(). */
static bool static_obj(const void *addr)
{
	struct static_range_query q = { .addr = (unsigned long)addr };

	dl_iterate_phdr(static_range_cb, &q);
	return q.found;
}

static bool dyn_key_registered(const struct lock_class_key *key)
{
	struct dyn_key *k;

	for (k = dyn_keys; k; k = k->next)
		if (k->key == key)
			return true;
	return false;
}

void lockdep_register_key(struct lock_class_key *key)
{
	struct dyn_key *k;

	pthread_mutex_lock(&graph_lock);
	if (!dyn_key_registered(key)) {
		k = calloc(1, sizeof(*k));
		if (k) {
			k->key = key;
			k->next = dyn_keys;
			dyn_keys = k;
		}
	}
	pthread_mutex_unlock(&graph_lock);
}

/* ---- class hash ---- */

static unsigned long class_hashfn(const struct lock_class_key *key, unsigned int subclass)
{
	return (((unsigned long)key >> 3) * 0x9e3779b97f4a7c15UL + subclass) >>
	       (64 - CLASSHASH_BITS);
}

static struct lock_class *class_lookup(const struct lock_class_key *key, unsigned int subclass)
{
	struct lock_class *c;

	c = __atomic_load_n(&class_hash[class_hashfn(key, subclass)], __ATOMIC_ACQUIRE);
	for (; c; c = __atomic_load_n(&c->hash_next, __ATOMIC_ACQUIRE))
		if (c->key == key && c->subclass == subclass)
			return c;
	return NULL;
}

static void class_unhash(struct lock_class *class)
{
	struct lock_class **pp = &class_hash[class_hashfn(class->key, class->subclass)];

	for (; *pp; pp = &(*pp)->hash_next) {
		if (*pp == class) {
			__atomic_store_n(pp, class->hash_next, __ATOMIC_RELEASE);
			return;
		}
	}
}

static void report_begin_banner(const char *title)
{
	sim_report_begin(SIM_REPORT_LOCKDEP, "%s", title);
}

static void report_task_line(const char *what)
{
	struct task_struct *t = current;

	sim_report_printf("%s/%d %s", t ? t->comm : "?", t ? t->pid : 0, what);
}

static void report_finish(void)
{
	if (current)
		lockdep_print_held_locks(current);
	sim_report_printf("stack backtrace:");
	sim_report_backtrace();
	sim_report_end();
}

/* Register (key, subclass); graph_lock held. NULL if out of room. */
static struct lock_class *register_class(struct lockdep_map *lock,
					 const struct lock_class_key *key,
					 unsigned int subclass)
{
	struct lock_class *c = class_lookup(key, subclass);
	unsigned long h;
	bool dynamic;

	if (c)
		return c;
	dynamic = !static_obj(key) && !dyn_key_registered(key);
	if (dynamic && lockdep_enabled()) {
		char buf[48];

		report_begin_banner("INFO: trying to register non-static key.");
		sim_report_printf("The code is fine but needs lockdep annotation, or maybe");
		sim_report_printf("you didn't initialize this object before use?");
		sim_report_printf("lock: %s, key: %p", lockdep_map_name(lock, buf, sizeof(buf)), key);
		report_finish();
	}
	if (nr_classes >= MAX_LOCKDEP_KEYS) {
		if (!graph_full_reported) {
			graph_full_reported = true;
			report_begin_banner("BUG: MAX_LOCKDEP_KEYS too low!");
			sim_report_printf("turning off the locking correctness validator.");
			report_finish();
		}
		validator_off();
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		validator_off();
		return NULL;
	}
	c->key = key;
	c->subclass = subclass;
	c->dynamic = dynamic;
	if (lock && lock->name)
		snprintf(c->name, sizeof(c->name), "%s", lock->name);
	else
		snprintf(c->name, sizeof(c->name), "lock@%p", (const void *)key);
	c->all_next = all_classes;
	all_classes = c;
	nr_classes++;
	h = class_hashfn(key, subclass);
	c->hash_next = class_hash[h];
	__atomic_store_n(&class_hash[h], c, __ATOMIC_RELEASE);
	return c;
}

/* The class of @lock for @subclass, registering it on first use. */
static struct lock_class *get_class(struct lockdep_map *lock, unsigned int subclass)
{
	struct lock_class *c;
	const struct lock_class_key *key;

	if (likely(!subclass)) {
		c = __atomic_load_n(&lock->class_cache, __ATOMIC_ACQUIRE);
		if (likely(c && c->key == __atomic_load_n(&lock->key, __ATOMIC_RELAXED)))
			return c;
	}
	if (unlikely(subclass >= MAX_LOCKDEP_SUBCLASSES)) {
		char buf[48];

		report_begin_banner("BUG: looking up invalid subclass");
		sim_report_printf("lock: %s, subclass: %u",
				  lockdep_map_name(lock, buf, sizeof(buf)), subclass);
		report_finish();
		subclass = 0;
	}
	/* A lock nobody initialised: a static one is its own key, as in the kernel. */
	key = __atomic_load_n(&lock->key, __ATOMIC_RELAXED);
	if (!key) {
		key = (const struct lock_class_key *)lock;
		__atomic_store_n(&lock->key, (struct lock_class_key *)key, __ATOMIC_RELAXED);
	}
	c = class_lookup(key, subclass);
	if (!c) {
		pthread_mutex_lock(&graph_lock);
		c = register_class(lock, key, subclass);
		pthread_mutex_unlock(&graph_lock);
		if (!c)
			return NULL;
	}
	if (!subclass)
		__atomic_store_n(&lock->class_cache, c, __ATOMIC_RELEASE);
	return c;
}

void lockdep_init_map(struct lockdep_map *lock, const char *name,
		      struct lock_class_key *key, int subclass)
{
	lock->name = name;
	lock->key = key;
	__atomic_store_n(&lock->class_cache, NULL, __ATOMIC_RELAXED);
	/*
	 * A map set to a subclass caches that subclass's class, so that its
	 * plain acquisitions use it (lockdep_set_subclass()).
	 */
	if (subclass && key && lockdep_enabled()) {
		struct lock_class *c = get_class(lock, subclass);

		__atomic_store_n(&lock->class_cache, c, __ATOMIC_RELEASE);
	}
}

/* Edges touching @class stop counting: it no longer exists (graph_lock). */
static void kill_class(struct lock_class *class)
{
	class_unhash(class);
	class->key = NULL;	/* stale class_cache entries miss */
	class->after = NULL;
}

void lockdep_unregister_key(struct lock_class_key *key)
{
	struct dyn_key **pp, *k;
	struct lock_class *c;

	pthread_mutex_lock(&graph_lock);
	for (pp = &dyn_keys; (k = *pp); pp = &k->next) {
		if (k->key == key) {
			*pp = k->next;
			free(k);
			break;
		}
	}
	for (c = all_classes; c; c = c->all_next)
		if (c->key == key)
			kill_class(c);
	pthread_mutex_unlock(&graph_lock);
}

/* ---- edges ---- */

static unsigned long edge_hashfn(const struct lock_class *from, const struct lock_class *to)
{
	unsigned long h = (unsigned long)from * 0x9e3779b97f4a7c15UL ^
			  (unsigned long)to * 0xc2b2ae3d27d4eb4fUL;

	return (h ^ (h >> 29)) >> (64 - EDGEHASH_BITS);
}

static struct lock_edge *edge_lookup(const struct lock_class *from, const struct lock_class *to)
{
	struct lock_edge *e;

	e = __atomic_load_n(&edge_hash[edge_hashfn(from, to)], __ATOMIC_ACQUIRE);
	for (; e; e = __atomic_load_n(&e->hash_next, __ATOMIC_ACQUIRE))
		if (e->from == from && e->to == to)
			return e;
	return NULL;
}

/* graph_lock held. */
static struct lock_edge *edge_add(struct lock_class *from, struct lock_class *to)
{
	struct task_struct *t = current;
	struct lock_edge *e;
	unsigned long h;

	if (nr_edges >= MAX_LOCKDEP_EDGES || !(e = calloc(1, sizeof(*e)))) {
		if (!graph_full_reported) {
			graph_full_reported = true;
			report_begin_banner("BUG: MAX_LOCKDEP_ENTRIES too low!");
			sim_report_printf("turning off the locking correctness validator.");
			report_finish();
		}
		validator_off();
		return NULL;
	}
	e->from = from;
	e->to = to;
	e->pid = t ? t->pid : 0;
	snprintf(e->comm, sizeof(e->comm), "%s", t ? t->comm : "?");
	e->nr_stack = save_stack(e->stack, LOCKDEP_STACK_DEPTH);
	e->after_next = from->after;
	from->after = e;
	e->all_next = all_edges;
	all_edges = e;
	nr_edges++;
	h = edge_hashfn(from, to);
	e->hash_next = edge_hash[h];
	__atomic_store_n(&edge_hash[h], e, __ATOMIC_RELEASE);
	return e;
}

static unsigned int dep_type(int prev_read, int next_read)
{
	return 1U << ((prev_read ? 2 : 0) + (next_read == 2 ? 1 : 0));
}

/*
 * A cycle only deadlocks if every lock in it can block its waiter: a
 * recursive reader waiting for L is not blocked by a task that holds L
 * shared. So a path may not arrive at L as a recursive reader (-(*R)->)
 * and leave it from a shared holding (-(S*)->).
 */
static unsigned int allowed_out(bool in_r)
{
	return in_r ? DEP_HOLDER_EXCL : (DEP_EN | DEP_ER | DEP_SN | DEP_SR);
}

static bool bfs_push(size_t *n, struct lock_class *c, struct lock_edge *via, int parent, bool in_r)
{
	if (c->bfs_mark[in_r] == bfs_gen)
		return true;
	if (*n == bfs_cap) {
		size_t cap = bfs_cap ? 2 * bfs_cap : 256;
		void *p = realloc(bfs_queue, cap * sizeof(*bfs_queue));

		if (!p)
			return false;
		bfs_queue = p;
		bfs_cap = cap;
	}
	c->bfs_mark[in_r] = bfs_gen;
	bfs_queue[*n] = (struct bfs_entry){ .class = c, .via = via, .parent = parent, .in_r = in_r };
	(*n)++;
	return true;
}

/*
 * Is there a path from @next back to @prev that, closed by the new edge
 * @prev -(@type)-> @next, makes a deadlock-capable cycle? Returns the
 * queue index of the path's last entry (at @prev), or -1. graph_lock held.
 */
static int find_cycle(struct lock_class *prev, struct lock_class *next, unsigned int type)
{
	bool start_r = type & DEP_ACQ_RECURSIVE;
	bool prev_excl = type & DEP_HOLDER_EXCL;
	size_t head = 0, n = 0;

	bfs_gen++;
	if (!bfs_push(&n, next, NULL, -1, start_r))
		return -1;
	while (head < n) {
		struct bfs_entry cur = bfs_queue[head];
		struct lock_edge *e;

		if (cur.class == prev) {
			/* The new edge leaves prev: shared holding after R is safe. */
			if (!cur.in_r || prev_excl)
				return (int)head;
			head++;
			continue;
		}
		for (e = cur.class->after; e; e = e->after_next) {
			unsigned int types = __atomic_load_n(&e->types, __ATOMIC_RELAXED) &
					     allowed_out(cur.in_r);

			if (!e->to->key)
				continue;	/* unregistered */
			if ((types & ~DEP_ACQ_RECURSIVE) &&
			    !bfs_push(&n, e->to, e, (int)head, false))
				return -1;
			if ((types & DEP_ACQ_RECURSIVE) &&
			    !bfs_push(&n, e->to, e, (int)head, true))
				return -1;
		}
		head++;
	}
	return -1;
}

static void print_lock_line(const char *prefix, struct lock_class *class,
			    const struct held_lock *hlock)
{
	char cbuf[CLASS_NAME_LEN + 16], ibuf[64];

	sim_report_printf("%s(%s){%s}, at: %s", prefix,
			  class_name(class, cbuf, sizeof(cbuf)),
			  hlock->read == 2 ? "recursive read" : hlock->read ? "read" : "write",
			  ip_name(hlock->acquire_ip, ibuf, sizeof(ibuf)));
}

static void print_circular(struct lock_class *prev, const struct held_lock *prev_hlock,
			   struct lock_class *next, const struct held_lock *next_hlock,
			   int last)
{
	char b1[CLASS_NAME_LEN + 16], b2[CLASS_NAME_LEN + 16];
	void *stack[LOCKDEP_STACK_DEPTH];
	int i, depth = 0, nr;

	for (i = last; bfs_queue[i].parent >= 0; i = bfs_queue[i].parent)
		depth++;

	report_begin_banner("WARNING: possible circular locking dependency detected");
	sim_report_printf("------------------------------------------------------");
	report_task_line("is trying to acquire lock:");
	print_lock_line("", next, next_hlock);
	sim_report_printf("but task is already holding lock:");
	print_lock_line("", prev, prev_hlock);
	sim_report_printf("which lock already depends on the new lock.");
	sim_report_printf("%s", "");
	sim_report_printf("the existing dependency chain (in reverse order) is:");
	/* Each edge of the path, last first: its target, and where it was seen. */
	for (i = last; bfs_queue[i].parent >= 0; i = bfs_queue[i].parent, depth--) {
		struct lock_edge *e = bfs_queue[i].via;

		sim_report_printf("%s", "");
		sim_report_printf("-> #%d (%s): acquired while holding (%s), first seen in %s/%d:",
				  depth, class_name(e->to, b1, sizeof(b1)),
				  class_name(e->from, b2, sizeof(b2)), e->comm, e->pid);
		sim_report_stack(e->stack, e->nr_stack);
	}
	sim_report_printf("%s", "");
	sim_report_printf("-> #0 (%s): acquired now while holding (%s):",
			  class_name(next, b1, sizeof(b1)), class_name(prev, b2, sizeof(b2)));
	nr = save_stack(stack, LOCKDEP_STACK_DEPTH);
	sim_report_stack(stack, nr);
	sim_report_printf("%s", "");
	sim_report_printf("other info that might help us debug this:");
	if (bfs_queue[bfs_queue[last].parent].parent >= 0) {
		/* Longer than A -> B -> A: the whole cycle, from the held lock. */
		struct lock_class *path[16];
		char chain[512];
		int n = 0, len;

		for (i = last; i >= 0 && n < (int)ARRAY_SIZE(path); i = bfs_queue[i].parent)
			path[n++] = bfs_queue[i].class;
		len = snprintf(chain, sizeof(chain), "%s", class_name(prev, b1, sizeof(b1)));
		while (n-- > 0 && len < (int)sizeof(chain))
			len += snprintf(chain + len, sizeof(chain) - len, " --> %s",
					class_name(path[n], b1, sizeof(b1)));
		sim_report_printf(" Chain exists of:");
		sim_report_printf("   %s", chain);
	}
	sim_report_printf(" Possible unsafe locking scenario:");
	sim_report_printf("       CPU0                    CPU1");
	sim_report_printf("       ----                    ----");
	sim_report_printf("  lock(%s);", class_name(prev, b1, sizeof(b1)));
	sim_report_printf("                               lock(%s);", class_name(next, b1, sizeof(b1)));
	sim_report_printf("                               lock(%s);", class_name(prev, b1, sizeof(b1)));
	sim_report_printf("  lock(%s);", class_name(next, b1, sizeof(b1)));
	sim_report_printf(" *** DEADLOCK ***");
	report_finish();
}

/*
 * Record "@prev held while acquiring @next" and report a cycle it closes.
 * Lock-free when the dependency was seen before.
 */
static void add_dependency(struct lock_class *prev, const struct held_lock *prev_hlock,
			   struct lock_class *next, const struct held_lock *next_hlock)
{
	unsigned int type = dep_type(prev_hlock->read, next_hlock->read);
	struct lock_edge *e = edge_lookup(prev, next);
	int cycle;

	if (likely(e && (__atomic_load_n(&e->types, __ATOMIC_RELAXED) & type)))
		return;

	pthread_mutex_lock(&graph_lock);
	if (!lockdep_enabled() || !prev->key || !next->key)
		goto out;
	e = edge_lookup(prev, next);
	if (e && (e->types & type))
		goto out;
	cycle = find_cycle(prev, next, type);
	if (!e)
		e = edge_add(prev, next);
	if (!e)
		goto out;
	__atomic_fetch_or(&e->types, type, __ATOMIC_RELAXED);
	if (cycle >= 0 && !e->cycle_reported) {
		e->cycle_reported = true;
		print_circular(prev, prev_hlock, next, next_hlock, cycle);
	}
out:
	pthread_mutex_unlock(&graph_lock);
}

static void print_recursive(struct lock_class *class, const struct held_lock *prev,
			    const struct held_lock *next)
{
	char b[CLASS_NAME_LEN + 16];

	report_begin_banner("WARNING: possible recursive locking detected");
	sim_report_printf("--------------------------------------------");
	report_task_line("is trying to acquire lock:");
	print_lock_line("", class, next);
	sim_report_printf("but task is already holding lock:");
	print_lock_line("", class, prev);
	sim_report_printf("%s", "");
	sim_report_printf("other info that might help us debug this:");
	sim_report_printf(" Possible unsafe locking scenario:");
	sim_report_printf("       CPU0");
	sim_report_printf("       ----");
	sim_report_printf("  lock(%s);", class_name(class, b, sizeof(b)));
	sim_report_printf("  lock(%s);", class_name(class, b, sizeof(b)));
	sim_report_printf(" *** DEADLOCK ***");
	sim_report_printf(" May be due to missing lock nesting notation");
	report_finish();
}

static bool nest_lock_held(struct task_struct *t, const struct lockdep_map *nest)
{
	int i;

	for (i = 0; i < t->lockdep_depth; i++)
		if (t->held_locks[i].instance == nest)
			return true;
	return false;
}

/*
 * Check a blocking acquisition of @class by @t against the locks it holds
 * (the new entry @next is not pushed yet).
 */
static void validate(struct task_struct *t, struct lock_class *class,
		     const struct held_lock *next, const struct lockdep_map *nest)
{
	int depth = t->lockdep_depth;
	int i;

	if (class->key == &__lockdep_no_validate__)
		return;
	/* Same class held: fine only for read-after-read recursion or nesting. */
	for (i = depth - 1; i >= 0; i--) {
		const struct held_lock *h = &t->held_locks[i];

		if (held_class[i] != class)
			continue;
		if (next->read == 2 && h->read)
			continue;
		if (nest && nest_lock_held(t, nest))
			continue;
		if (!class->recursion_reported) {
			class->recursion_reported = true;
			print_recursive(class, h, next);
		}
		return;
	}
	/*
	 * Dependencies on the locks held: the most recent one, and the
	 * trylocked ones above the first blocking acquisition below it (those
	 * reach the older locks through its own edges).
	 */
	for (i = depth - 1; i >= 0; i--) {
		struct lock_class *pc = held_class[i];
		const struct held_lock *h = &t->held_locks[i];

		if (pc && pc != class && pc->key != &__lockdep_no_validate__)
			add_dependency(pc, h, class, next);
		if (!h->trylock)
			break;
	}
}

/* ---- acquire and release ---- */

void lock_acquire(struct lockdep_map *lock, unsigned int subclass, int trylock,
		  int read, int check, struct lockdep_map *nest_lock, unsigned long ip)
{
	struct task_struct *t = current;
	struct lock_class *class = NULL;
	struct held_lock *hlock;
	int depth;

	if (unlikely(!t || t->lockdep_recursion))
		return;
	depth = t->lockdep_depth;
	if (unlikely(depth >= MAX_LOCK_DEPTH)) {
		if (!held_overflow++ && lockdep_enabled()) {
			report_begin_banner("BUG: MAX_LOCK_DEPTH too low!");
			sim_report_printf("depth: %d  max: %d!", depth, MAX_LOCK_DEPTH);
			report_finish();
		}
		return;
	}
	hlock = &t->held_locks[depth];
	hlock->instance = lock;
	hlock->acquire_ip = ip;
	hlock->read = read;
	hlock->trylock = trylock;
	hlock->nr_stack = 0;
	if (likely(lockdep_enabled()) && check) {
		class = get_class(lock, subclass);
		if (class && !trylock) {
			t->lockdep_recursion++;
			validate(t, class, hlock, nest_lock);
			t->lockdep_recursion--;
		}
	}
	held_class[depth] = class;
	__atomic_store_n(&t->lockdep_depth, depth + 1, __ATOMIC_RELEASE);
}

static void print_bad_unlock(struct lockdep_map *lock, unsigned long ip)
{
	char nbuf[48], ibuf[64];

	report_begin_banner("WARNING: bad unlock balance detected!");
	sim_report_printf("-------------------------------------");
	report_task_line("is trying to release lock");
	sim_report_printf("(%s) at: %s", lockdep_map_name(lock, nbuf, sizeof(nbuf)),
			  ip_name(ip, ibuf, sizeof(ibuf)));
	sim_report_printf("but there are no more locks to release!");
	sim_report_printf("%s", "");
	sim_report_printf("other info that might help us debug this:");
	report_finish();
}

bool lock_release_checked(struct lockdep_map *lock, unsigned long ip)
{
	struct task_struct *t = current;
	int depth, i;

	if (unlikely(!t || t->lockdep_recursion))
		return true;
	depth = t->lockdep_depth;
	for (i = depth - 1; i >= 0; i--)
		if (t->held_locks[i].instance == lock)
			break;
	if (unlikely(i < 0)) {
		if (held_overflow) {
			held_overflow--;	/* one of those never recorded */
			return true;
		}
		if (lockdep_enabled())
			print_bad_unlock(lock, ip);
		return false;
	}
	/* Usually the top one; otherwise close the gap. */
	for (; i < depth - 1; i++) {
		t->held_locks[i] = t->held_locks[i + 1];
		held_class[i] = held_class[i + 1];
	}
	__atomic_store_n(&t->lockdep_depth, depth - 1, __ATOMIC_RELEASE);
	return true;
}

void lock_release(struct lockdep_map *lock, unsigned long ip)
{
	lock_release_checked(lock, ip);
}

void lock_downgrade(struct lockdep_map *lock, unsigned long ip)
{
	struct task_struct *t = current;
	int i;

	if (!t || t->lockdep_recursion)
		return;
	for (i = t->lockdep_depth - 1; i >= 0; i--) {
		if (t->held_locks[i].instance == lock) {
			t->held_locks[i].read = 1;
			return;
		}
	}
	if (lockdep_enabled())
		print_bad_unlock(lock, ip);
}

int lock_is_held_type(const struct lockdep_map *lock, int read)
{
	struct task_struct *t = current;
	int i;

	if (!t || t->lockdep_recursion || !lockdep_enabled())
		return LOCK_STATE_UNKNOWN;
	for (i = t->lockdep_depth - 1; i >= 0; i--) {
		const struct held_lock *h = &t->held_locks[i];

		if (h->instance == lock) {
			if (read == -1 || !!h->read == read)
				return LOCK_STATE_HELD;
			return LOCK_STATE_NOT_HELD;
		}
	}
	return LOCK_STATE_NOT_HELD;
}

/* ---- reports for the rest of the shim ---- */

void lockdep_assert_failed(const char *what, const char *file, int line)
{
	struct task_struct *t = current;

	if (!lockdep_enabled())
		return;
	sim_report_begin(SIM_REPORT_LOCKDEP, "WARNING: CPU: %d PID: %d at %s:%d %s failed",
			 t ? t->cpu : -1, t ? t->pid : 0, file, line, what);
	report_finish();
}

void debug_locks_report(const char *what, const struct lockdep_map *lock)
{
	char buf[48];

	if (!lockdep_enabled())
		return;
	sim_report_begin(SIM_REPORT_LOCKDEP, "WARNING: DEBUG_LOCKS_WARN_ON(%s)", what);
	sim_report_printf("lock: %s", lockdep_map_name(lock, buf, sizeof(buf)));
	report_finish();
}

void __noreturn lock_self_deadlock(const char *what, const struct lockdep_map *lock)
{
	char buf[48];

	sim_report_begin(SIM_REPORT_LOCKDEP, "BUG: %s recursion: %s is already held by this task",
			 what, lockdep_map_name(lock, buf, sizeof(buf)));
	sim_report_printf("taking it again would deadlock forever: killing the task");
	report_finish();
	BUG();
}

void lock_busy_outside_task(const char *what, const struct lockdep_map *lock,
			    unsigned long *spins)
{
	char buf[48];

	if (sim_controlled()) {
		fprintf(stderr, "zswapsim: %s %s is held by a simulated task and wanted by a thread "
			"that is not one (controlled backend: it can never be released); "
			"take it inside zsim_run()\n", what, lockdep_map_name(lock, buf, sizeof(buf)));
		abort();
	}
	if (++*spins % 64)
		__sim_cpu_relax();
	else
		sched_yield();
}

void debug_check_no_locks_held(void)
{
	struct task_struct *t = current;

	if (!t || !t->lockdep_depth || !lockdep_enabled())
		return;
	report_begin_banner("WARNING: lock held when returning to user space!");
	report_task_line("is leaving the kernel with locks still held!");
	report_finish();
}

void debug_check_no_locks_freed(const void *from, unsigned long len)
{
	struct task_struct *t = current;
	unsigned long start = (unsigned long)from, end = start + len;
	int i;

	if (!t || !len || !lockdep_enabled())
		return;
	for (i = 0; i < t->lockdep_depth; i++) {
		unsigned long addr = (unsigned long)t->held_locks[i].instance;
		char buf[48];

		if (addr < start || addr >= end)
			continue;
		report_begin_banner("WARNING: held lock freed!");
		report_task_line("is freeing memory");
		sim_report_printf("%p-%p, with a lock still held there:", from, (void *)end);
		sim_report_printf(" %p (%s)", (void *)addr,
				  lockdep_map_name(t->held_locks[i].instance, buf, sizeof(buf)));
		report_finish();
		return;
	}
}

/* ---- printing held locks ---- */

void lockdep_print_held_locks(struct task_struct *t)
{
	int depth = __atomic_load_n(&t->lockdep_depth, __ATOMIC_ACQUIRE);
	int i;

	depth = clamp(depth, 0, MAX_LOCK_DEPTH);
	if (!depth) {
		sim_report_printf("no locks held by %s/%d.", t->comm, t->pid);
		return;
	}
	sim_report_printf("%d lock%s held by %s/%d:", depth, depth > 1 ? "s" : "",
			  t->comm, t->pid);
	for (i = 0; i < depth; i++) {
		const struct held_lock *h = &t->held_locks[i];
		char nbuf[48], ibuf[64];

		sim_report_printf(" #%d: %p (%s){%s%s}, at: %s", i, (void *)h->instance,
				  lockdep_map_name(h->instance, nbuf, sizeof(nbuf)),
				  h->read == 2 ? "recursive read" : h->read ? "read" : "write",
				  h->trylock ? ", trylock" : "",
				  ip_name(h->acquire_ip, ibuf, sizeof(ibuf)));
		if (h->nr_stack)
			sim_report_stack(h->stack, h->nr_stack);
	}
}

static void show_task_locks(struct task_struct *t, void *arg)
{
	if (__atomic_load_n(&t->lockdep_depth, __ATOMIC_ACQUIRE))
		lockdep_print_held_locks(t);
}

void debug_show_all_locks(void)
{
	sim_report_printf("Showing all locks held in the system:");
	sched_for_each_task(show_task_locks, NULL);
	sim_report_printf("=============================================");
}

/* ---- machine stop ---- */

void lockdep_reset(void)
{
	struct lock_class **pp, *c;
	struct lock_edge *e;

	pthread_mutex_lock(&graph_lock);
	while ((e = all_edges)) {
		all_edges = e->all_next;
		free(e);
	}
	nr_edges = 0;
	memset(edge_hash, 0, sizeof(edge_hash));
	/* Classes of keys in allocated memory die with the machine's memory. */
	for (pp = &all_classes; (c = *pp); ) {
		c->after = NULL;
		c->recursion_reported = false;
		c->bfs_mark[0] = c->bfs_mark[1] = 0;
		if (c->dynamic || !c->key) {
			if (c->key)
				class_unhash(c);
			*pp = c->all_next;
			nr_classes--;
			free(c);
			continue;
		}
		pp = &c->all_next;
	}
	while (dyn_keys) {
		struct dyn_key *k = dyn_keys;

		dyn_keys = k->next;
		free(k);
	}
	bfs_gen = 0;
	free(bfs_queue);
	bfs_queue = NULL;
	bfs_cap = 0;
	graph_full_reported = false;
	pthread_mutex_unlock(&graph_lock);
}
