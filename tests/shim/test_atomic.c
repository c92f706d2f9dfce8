// SPDX-License-Identifier: GPL-2.0-only
/*
 * Atomics, cmpxchg on scalars, barriers' acquire/release accessors and
 * refcount_t: return values of every operation and ordering variant,
 * wrapping, conditional operations, atomicity under contention in both
 * backends, atomics as scheduling points, refcount saturation, bit
 * operations (and their scheduling points), smp_wmb()/smp_rmb() and
 * smp_load_acquire() message passing, and <linux/list.h> basics.
 */
#include "zsim_test.h"

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <limits.h>
#include <string.h>

/*
 * The same checks for atomic_t, atomic64_t and atomic_long_t. Run on the
 * test's own thread: atomics work outside tasks (no scheduling point).
 */
#define CHECK_ATOMIC_TYPE(pfx, T)					\
do {									\
	pfx##_t v = ATOMIC_INIT(5);						\
	T old;								\
									\
	assert_int_equal(pfx##_read(&v), 5);				\
	pfx##_set(&v, 7);						\
	assert_int_equal(pfx##_read_acquire(&v), 7);			\
	pfx##_set_release(&v, 10);					\
	pfx##_add(3, &v);						\
	pfx##_sub(1, &v);						\
	pfx##_inc(&v);							\
	pfx##_dec(&v);							\
	assert_int_equal(pfx##_read(&v), 12);				\
	/* *_return give the new value, fetch_* the old one. */		\
	assert_int_equal(pfx##_add_return(3, &v), 15);			\
	assert_int_equal(pfx##_add_return_relaxed(1, &v), 16);		\
	assert_int_equal(pfx##_add_return_acquire(1, &v), 17);		\
	assert_int_equal(pfx##_add_return_release(1, &v), 18);		\
	assert_int_equal(pfx##_sub_return(2, &v), 16);			\
	assert_int_equal(pfx##_sub_return_relaxed(1, &v), 15);		\
	assert_int_equal(pfx##_inc_return(&v), 16);			\
	assert_int_equal(pfx##_inc_return_acquire(&v), 17);		\
	assert_int_equal(pfx##_dec_return(&v), 16);			\
	assert_int_equal(pfx##_dec_return_release(&v), 15);		\
	assert_int_equal(pfx##_fetch_add(5, &v), 15);			\
	assert_int_equal(pfx##_fetch_add_relaxed(1, &v), 20);		\
	assert_int_equal(pfx##_fetch_sub(1, &v), 21);			\
	assert_int_equal(pfx##_fetch_sub_release(4, &v), 20);		\
	assert_int_equal(pfx##_fetch_inc(&v), 16);			\
	assert_int_equal(pfx##_fetch_dec_acquire(&v), 17);		\
	assert_int_equal(pfx##_read(&v), 16);				\
	/* Bit operations. */						\
	pfx##_set(&v, 0x0f);						\
	pfx##_and(0x3c, &v);						\
	assert_int_equal(pfx##_read(&v), 0x0c);				\
	pfx##_or(0x30, &v);						\
	pfx##_xor(0x05, &v);						\
	assert_int_equal(pfx##_read(&v), 0x39);				\
	pfx##_andnot(0x01, &v);						\
	assert_int_equal(pfx##_read(&v), 0x38);				\
	assert_int_equal(pfx##_fetch_or(0x01, &v), 0x38);		\
	assert_int_equal(pfx##_fetch_and_relaxed(0x0f, &v), 0x39);	\
	assert_int_equal(pfx##_fetch_xor_acquire(0xff, &v), 0x09);	\
	assert_int_equal(pfx##_fetch_andnot_release(0xf0, &v), 0xf6);	\
	assert_int_equal(pfx##_read(&v), 0x06);				\
	/* Exchange and compare-exchange. */				\
	assert_int_equal(pfx##_xchg(&v, 40), 0x06);			\
	assert_int_equal(pfx##_xchg_relaxed(&v, 41), 40);		\
	assert_int_equal(pfx##_cmpxchg(&v, 41, 42), 41);		\
	assert_int_equal(pfx##_cmpxchg(&v, 41, 99), 42);		\
	assert_int_equal(pfx##_read(&v), 42);				\
	assert_int_equal(pfx##_cmpxchg_acquire(&v, 42, 43), 42);	\
	assert_int_equal(pfx##_cmpxchg_release(&v, 43, 44), 43);	\
	assert_int_equal(pfx##_cmpxchg_relaxed(&v, 0, 1), 44);		\
	old = 44;							\
	assert_true(pfx##_try_cmpxchg(&v, &old, 45));			\
	assert_int_equal(old, 44);					\
	assert_false(pfx##_try_cmpxchg_acquire(&v, &old, 46));		\
	assert_int_equal(old, 45);	/* updated to what was seen */	\
	assert_true(pfx##_try_cmpxchg_release(&v, &old, 46));		\
	assert_false(pfx##_try_cmpxchg_relaxed(&v, &old, 47));		\
	assert_int_equal(old, 46);					\
	/* Tests. */							\
	pfx##_set(&v, 3);						\
	assert_false(pfx##_sub_and_test(2, &v));			\
	assert_true(pfx##_dec_and_test(&v));				\
	assert_false(pfx##_dec_and_test(&v));				\
	assert_true(pfx##_inc_and_test(&v));				\
	assert_true(pfx##_add_negative(-1, &v));			\
	assert_false(pfx##_add_negative_relaxed(1, &v));		\
	assert_false(pfx##_add_negative(1, &v));			\
	/* Conditional operations. */					\
	pfx##_set(&v, 1);						\
	assert_int_equal(pfx##_fetch_add_unless(&v, 5, 1), 1);		\
	assert_int_equal(pfx##_read(&v), 1);				\
	assert_int_equal(pfx##_fetch_add_unless(&v, 5, 0), 1);		\
	assert_int_equal(pfx##_read(&v), 6);				\
	assert_false(pfx##_add_unless(&v, 1, 6));			\
	assert_true(pfx##_add_unless(&v, -6, 7));			\
	assert_false(pfx##_inc_not_zero(&v));				\
	assert_int_equal(pfx##_read(&v), 0);				\
	assert_true(pfx##_inc_unless_negative(&v));			\
	assert_true(pfx##_inc_not_zero(&v));				\
	assert_int_equal(pfx##_read(&v), 2);				\
	assert_false(pfx##_dec_unless_positive(&v));			\
	assert_int_equal(pfx##_dec_if_positive(&v), 1);			\
	assert_int_equal(pfx##_dec_if_positive(&v), 0);			\
	assert_int_equal(pfx##_dec_if_positive(&v), -1);		\
	assert_int_equal(pfx##_read(&v), 0);	/* not decremented */	\
	assert_true(pfx##_dec_unless_positive(&v));			\
	assert_false(pfx##_inc_unless_negative(&v));			\
	assert_int_equal(pfx##_read(&v), -1);				\
} while (0)

static void test_atomic_ops(void **state)
{
	CHECK_ATOMIC_TYPE(atomic, int);
	CHECK_ATOMIC_TYPE(atomic64, s64);
	CHECK_ATOMIC_TYPE(atomic_long, long);
}

/* Arithmetic wraps in two's complement, as in the kernel. */
static void test_atomic_wraps(void **state)
{
	atomic_t a = ATOMIC_INIT(INT_MAX);
	atomic64_t b = ATOMIC64_INIT(S64_MAX);
	atomic_long_t c = ATOMIC_LONG_INIT(LONG_MIN);

	assert_int_equal(atomic_inc_return(&a), INT_MIN);
	assert_true(atomic64_inc_return(&b) == (s64)(1ULL << 63));
	assert_true(atomic_long_dec_return(&c) == LONG_MAX);
	atomic_set(&a, INT_MAX);
	assert_int_equal(atomic_fetch_add_unless(&a, 1, 0), INT_MAX);
	assert_int_equal(atomic_read(&a), INT_MIN);
}

/* xchg()/cmpxchg()/try_cmpxchg() on plain scalars of every size and pointers. */
static void test_cmpxchg_scalars(void **state)
{
	u8 b = 1;
	u16 h = 2;
	u32 w = 3;
	u64 q = 4;
	long l = -5;
	int x = 10, y = 20, *p = &x, *oldp;
	u32 oldw;

	assert_int_equal(cmpxchg(&b, 1, 0xff), 1);
	assert_int_equal(b, 0xff);
	assert_int_equal(cmpxchg(&b, 1, 2), 0xff);
	assert_int_equal(xchg(&h, 0xbeef), 2);
	assert_int_equal(h, 0xbeef);
	assert_int_equal(cmpxchg_relaxed(&w, 3, 30), 3);
	assert_int_equal(cmpxchg_acquire(&w, 3, 31), 30);
	assert_int_equal(cmpxchg_release(&w, 30, 32), 30);
	assert_true(cmpxchg64(&q, 4, 1ULL << 40) == 4);
	assert_true(q == 1ULL << 40);
	assert_true(xchg_relaxed(&l, 7) == -5);
	assert_true(xchg_acquire(&l, 8) == 7);
	assert_true(xchg_release(&l, 9) == 8);
	assert_ptr_equal(cmpxchg(&p, &x, &y), &x);
	assert_ptr_equal(p, &y);
	assert_ptr_equal(xchg(&p, NULL), &y);
	oldw = 32;
	assert_true(try_cmpxchg(&w, &oldw, 33));
	assert_false(try_cmpxchg_relaxed(&w, &oldw, 34));
	assert_int_equal(oldw, 33);
	assert_true(try_cmpxchg_acquire(&w, &oldw, 35));
	assert_true(try_cmpxchg_release(&w, &oldw, 36) == false);
	assert_int_equal(oldw, 35);
	oldp = NULL;
	assert_true(try_cmpxchg(&p, &oldp, &x));
	assert_ptr_equal(p, &x);
	/* The raw forms (no scheduling point) give the same results. */
	assert_int_equal(raw_cmpxchg(&w, 35, 37), 35);
	assert_int_equal(raw_xchg(&w, 38), 37);
	assert_int_equal(raw_atomic_add_return(2, &(atomic_t)ATOMIC_INIT(1)), 3);
}

/* ---- atomicity under contention ---- */

#define NR_TASKS	4

struct contention {
	atomic_t	a;
	atomic64_t	b;
	atomic_long_t	c;
	unsigned long	plain;		/* updated with a try_cmpxchg() loop */
	int		iters;
};

static int contender(void *arg)
{
	struct contention *ct = arg;
	int i;

	for (i = 0; i < ct->iters; i++) {
		unsigned long old = READ_ONCE(ct->plain);

		atomic_inc(&ct->a);
		atomic64_add_return(2, &ct->b);
		atomic_long_fetch_sub_relaxed(1, &ct->c);
		while (!try_cmpxchg(&ct->plain, &old, old + 1))
			;
	}
	return 0;
}

static void test_contention(void **state)
{
	static struct contention ct;
	struct zsim_task *t[NR_TASKS];
	int i;

	memset(&ct, 0, sizeof(ct));
	ct.iters = zsim_test_backend(state) == ZSIM_CONTROLLED ? 500 : 50000;
	zsim_test_boot(state, NR_TASKS, 17);
	for (i = 0; i < NR_TASKS; i++)
		assert_non_null(t[i] = zsim_spawn(i, contender, &ct, "contender"));
	for (i = 0; i < NR_TASKS; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	assert_int_equal(atomic_read(&ct.a), NR_TASKS * ct.iters);
	assert_true(atomic64_read(&ct.b) == 2LL * NR_TASKS * ct.iters);
	assert_true(atomic_long_read(&ct.c) == -(long)NR_TASKS * ct.iters);
	assert_true(ct.plain == (unsigned long)NR_TASKS * ct.iters);
	zsim_test_shutdown_clean();
}

/* ---- every atomic is a scheduling point (controlled backend) ---- */

static int n_atomic_ops(void *arg)
{
	atomic_t *a = arg;
	int i;

	for (i = 0; i < 100; i++)
		atomic_inc(a);
	return atomic_read(a);
}

static int n_raw_atomic_ops(void *arg)
{
	atomic_t *a = arg;
	int i;

	for (i = 0; i < 100; i++)
		raw_atomic_inc(a);
	return raw_atomic_read(a);
}

static void test_atomics_are_sched_points(void **state)
{
	atomic_t a = ATOMIC_INIT(0);
	unsigned long s0, s1, s2;

	zsim_test_boot(state, 2, 2);
	s0 = zsim_steps();
	assert_int_equal(zsim_run(0, n_raw_atomic_ops, &a), 100);
	s1 = zsim_steps();
	assert_int_equal(zsim_run(0, n_atomic_ops, &a), 200);
	s2 = zsim_steps();
	/* The raw run takes the few steps of any task, 101 atomics 101 more. */
	assert_true(s1 - s0 < 20);
	assert_true(s2 - s1 >= 101);
	zsim_test_shutdown_clean();
}

/* ---- release/acquire message passing ---- */

struct mp_ctx {
	int		data[16];
	int		flag;
	atomic_t	aflag;
	int		bad;
	int		rounds;
};

static int mp_producer(void *arg)
{
	struct mp_ctx *c = arg;
	int r, i;

	for (r = 1; r <= c->rounds; r++) {
		/* Wait until the consumer took the previous message. */
		smp_cond_load_acquire(&c->flag, VAL == 0);
		for (i = 0; i < 16; i++)
			WRITE_ONCE(c->data[i], r);
		smp_store_release(&c->flag, r);
	}
	return 0;
}

static int mp_consumer(void *arg)
{
	struct mp_ctx *c = arg;
	int r, i;

	for (r = 1; r <= c->rounds; r++) {
		int seen = smp_cond_load_acquire(&c->flag, VAL != 0);

		if (seen != r)
			c->bad++;
		for (i = 0; i < 16; i++)
			if (READ_ONCE(c->data[i]) != r)
				c->bad++;
		smp_store_release(&c->flag, 0);
		/* The atomic_t forms. */
		atomic_set_release(&c->aflag, r);
		if (atomic_cond_read_acquire(&c->aflag, VAL == r) != r)
			c->bad++;
	}
	return 0;
}

static void test_message_passing(void **state)
{
	static struct mp_ctx c;
	struct zsim_task *p, *q;

	memset(&c, 0, sizeof(c));
	c.rounds = zsim_test_backend(state) == ZSIM_CONTROLLED ? 200 : 20000;
	zsim_test_boot(state, 2, 23);
	assert_non_null(p = zsim_spawn(0, mp_producer, &c, "producer"));
	assert_non_null(q = zsim_spawn(1, mp_consumer, &c, "consumer"));
	assert_int_equal(zsim_join(p), 0);
	assert_int_equal(zsim_join(q), 0);
	assert_int_equal(c.bad, 0);
	zsim_test_shutdown_clean();
}

/* ---- atomic_dec_and_lock() ---- */

struct dal_ctx {
	atomic_t	refs;
	spinlock_t	lock;
	int		got_lock;
};

static int dal_task(void *arg)
{
	struct dal_ctx *c = arg;

	if (atomic_dec_and_lock(&c->refs, &c->lock)) {
		c->got_lock++;
		if (!spin_is_locked(&c->lock))
			return -EINVAL;
		spin_unlock(&c->lock);
	}
	return 0;
}

static void test_dec_and_lock(void **state)
{
	static struct dal_ctx c;
	int i;

	atomic_set(&c.refs, 3);
	spin_lock_init(&c.lock);
	zsim_test_boot(state, 1, 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(zsim_run(0, dal_task, &c), 0);
	assert_int_equal(c.got_lock, 1);
	assert_int_equal(atomic_read(&c.refs), 0);
	assert_false(spin_is_locked(&c.lock));
	zsim_test_shutdown_clean();
}

/* ---- refcount_t ---- */

struct ref_ctx {
	refcount_t	r;
	int		res[16];
	int		n;
};

static int refcount_basics(void *arg)
{
	struct ref_ctx *c = arg;

	refcount_set(&c->r, 1);
	refcount_inc(&c->r);
	c->res[c->n++] = refcount_read(&c->r);			/* 2 */
	c->res[c->n++] = refcount_dec_and_test(&c->r);		/* 0 */
	c->res[c->n++] = refcount_inc_not_zero(&c->r);		/* 1 */
	c->res[c->n++] = refcount_dec_not_one(&c->r);		/* 1 */
	c->res[c->n++] = refcount_dec_not_one(&c->r);		/* 0: is 1 */
	c->res[c->n++] = refcount_dec_if_one(&c->r);		/* 1 */
	c->res[c->n++] = refcount_read(&c->r);			/* 0 */
	c->res[c->n++] = refcount_inc_not_zero(&c->r);		/* 0 */
	c->res[c->n++] = refcount_read(&c->r);			/* 0 */
	refcount_set(&c->r, 5);
	c->res[c->n++] = refcount_sub_and_test(5, &c->r);	/* 1 */
	return 0;
}

static void test_refcount(void **state)
{
	static struct ref_ctx c;
	static const int expect[] = { 2, 0, 1, 1, 0, 1, 0, 0, 0, 1 };
	size_t i;

	memset(&c, 0, sizeof(c));
	zsim_test_boot(state, 1, 1);
	assert_int_equal(zsim_run(0, refcount_basics, &c), 0);
	assert_int_equal(c.n, ARRAY_SIZE(expect));
	for (i = 0; i < ARRAY_SIZE(expect); i++)
		assert_int_equal(c.res[i], expect[i]);
	zsim_test_shutdown_clean();
}

static int refcount_misuse(void *arg)
{
	struct ref_ctx *c = arg;
	int which = c->n;

	switch (which) {
	case 0:		/* increment from zero: use after free */
		refcount_set(&c->r, 0);
		refcount_inc(&c->r);
		break;
	case 1:		/* underflow */
		refcount_set(&c->r, 1);
		c->res[15] = refcount_dec_and_test(&c->r);
		c->res[15] = refcount_dec_and_test(&c->r);
		break;
	case 2:		/* refcount_dec() to zero: leak */
		refcount_set(&c->r, 1);
		refcount_dec(&c->r);
		break;
	case 3:		/* overflow */
		refcount_set(&c->r, REFCOUNT_MAX);
		refcount_inc(&c->r);
		break;
	}
	/* Saturated, and it stays so. */
	c->res[which] = refcount_read(&c->r);
	refcount_inc(&c->r);
	c->res[15] = refcount_dec_and_test(&c->r);
	c->res[8 + which] = refcount_read(&c->r);
	return 0;
}

static void test_refcount_saturation(void **state)
{
	static struct ref_ctx c;
	static const char *const msg[] = {
		"refcount_t: addition on 0; use-after-free.",
		"refcount_t: underflow; use-after-free.",
		"refcount_t: decrement hit 0; leaking memory.",
		"refcount_t: saturated; leaking memory.",
	};
	struct zsim_config cfg;
	int which;

	for (which = 0; which < 4; which++) {
		memset(&c, 0, sizeof(c));
		c.n = which;
		zsim_test_config(state, &cfg, 1, 1);
		cfg.quiet = true;
		assert_int_equal(zsim_machine_start(&cfg), 0);
		assert_int_equal(zsim_run(0, refcount_misuse, &c), 0);
		assert_true(c.res[which] == REFCOUNT_SATURATED);
		assert_true(c.res[8 + which] == REFCOUNT_SATURATED);
		/*
		 * The first WARN names the misuse (using the saturated count
		 * afterwards warns too, once per kind, as in the kernel).
		 */
		assert_true(zsim_warnings() >= 1 && zsim_warnings() <= 3);
		assert_non_null(strstr(zsim_first_report(), msg[which]));
		assert_true(zsim_machine_stop() == zsim_warnings());
	}
}

/* ---- bit operations ---- */

static void test_bitops(void **state)
{
	unsigned long map[3] = { 0 };
	unsigned long bit, seen = 0, sum = 0;

	set_bit(0, map);
	set_bit(63, map);
	set_bit(64, map);
	set_bit(150, map);
	assert_true(test_bit(63, map) && test_bit(64, map));
	assert_int_equal(map[0], 1UL | (1UL << 63));
	clear_bit(63, map);
	assert_false(test_bit(63, map));
	change_bit(5, map);
	assert_true(test_bit(5, map));
	change_bit(5, map);
	assert_false(test_bit(5, map));
	assert_false(test_and_set_bit(70, map));
	assert_true(test_and_set_bit(70, map));
	assert_true(test_and_clear_bit(70, map));
	assert_false(test_and_clear_bit(70, map));
	assert_false(test_and_set_bit_lock(100, map));
	assert_true(test_and_set_bit_lock(100, map));
	clear_bit_unlock(100, map);
	assert_false(test_bit(100, map));
	__set_bit(7, map);
	assert_true(__test_and_clear_bit(7, map));
	assert_false(__test_and_set_bit(7, map));
	__clear_bit(7, map);

	/* Set: 0, 64, 150. */
	assert_int_equal(find_first_bit(map, 192), 0);
	assert_int_equal(find_next_bit(map, 192, 1), 64);
	assert_int_equal(find_next_bit(map, 192, 65), 150);
	assert_int_equal(find_next_bit(map, 150, 65), 150);	/* none: @size */
	assert_int_equal(find_next_bit(map, 192, 151), 192);
	assert_int_equal(find_first_zero_bit(map, 192), 1);
	assert_int_equal(find_next_zero_bit(map, 192, 64), 65);
	for_each_set_bit(bit, map, 192) {
		seen++;
		sum += bit;
	}
	assert_int_equal(seen, 3);
	assert_int_equal(sum, 214);
	assert_int_equal(bitmap_weight(map, 192), 3);
	assert_int_equal(bitmap_weight(map, 150), 2);
	assert_int_equal(__ffs(0x50), 4);
	assert_int_equal(__fls(0x50), 6);
	assert_int_equal(fls(0), 0);
	assert_int_equal(fls64(1ULL << 40), 41);
	assert_int_equal(hweight32(0xf0f0), 8);
}

static int n_bitops(void *arg)
{
	unsigned long *word = arg;
	int i;

	for (i = 0; i < 25; i++) {
		set_bit(i, word);
		change_bit(i, word);
		test_and_set_bit(i, word);
		clear_bit_unlock(i, word);
	}
	return (int)*word;
}

static int n_nonatomic_bitops(void *arg)
{
	unsigned long *word = arg;
	int i;

	for (i = 0; i < 100; i++) {
		__set_bit(i % 64, word);
		__clear_bit(i % 64, word);
		if (test_bit(i % 64, word))
			return -1;
	}
	return 0;
}

/* The atomic bitops synchronise, so each is a scheduling point. */
static void test_bitops_are_sched_points(void **state)
{
	unsigned long word = 0, s0, s1, s2;

	zsim_test_boot(state, 2, 2);
	s0 = zsim_steps();
	assert_int_equal(zsim_run(0, n_nonatomic_bitops, &word), 0);
	s1 = zsim_steps();
	assert_int_equal(zsim_run(0, n_bitops, &word), 0);
	s2 = zsim_steps();
	assert_true(s1 - s0 < 20);
	assert_true(s2 - s1 >= 100);
	zsim_test_shutdown_clean();
}

/* ---- smp_wmb()/smp_rmb() and smp_load_acquire() message passing ---- */

struct barrier_ctx {
	int	data[8];
	int	flag;		/* wmb/rmb pair */
	int	aflag;		/* release/acquire pair */
	int	ack;
	int	rounds;
	int	bad;
};

static int barrier_producer(void *arg)
{
	struct barrier_ctx *c = arg;
	int r, i;

	for (r = 1; r <= c->rounds; r++) {
		while (smp_load_acquire(&c->ack) != r - 1)
			cond_resched();
		for (i = 0; i < 8; i++)
			WRITE_ONCE(c->data[i], r);
		smp_wmb();
		WRITE_ONCE(c->flag, r);
		smp_store_release(&c->aflag, r);
	}
	return 0;
}

static int barrier_consumer(void *arg)
{
	struct barrier_ctx *c = arg;
	int r, i;

	for (r = 1; r <= c->rounds; r++) {
		while (READ_ONCE(c->flag) != r)
			cond_resched();
		smp_rmb();
		for (i = 0; i < 8; i++)
			if (READ_ONCE(c->data[i]) != r)
				c->bad++;
		while (smp_load_acquire(&c->aflag) != r)
			cond_resched();
		if (READ_ONCE(c->data[7]) != r)
			c->bad++;
		smp_store_release(&c->ack, r);
	}
	return 0;
}

static void test_barriers(void **state)
{
	static struct barrier_ctx c;
	struct zsim_task *p, *q;

	memset(&c, 0, sizeof(c));
	c.rounds = zsim_test_backend(state) == ZSIM_CONTROLLED ? 100 : 5000;
	zsim_test_boot(state, 2, 29);
	assert_non_null(p = zsim_spawn(0, barrier_producer, &c, "producer"));
	assert_non_null(q = zsim_spawn(1, barrier_consumer, &c, "consumer"));
	assert_int_equal(zsim_join(p), 0);
	assert_int_equal(zsim_join(q), 0);
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.ack, c.rounds);
	zsim_test_shutdown_clean();
}

/* ---- <linux/list.h>: list_head and hlist ---- */

struct item {
	int			v;
	struct list_head	node;
	struct hlist_node	hnode;
};

static int list_values(struct list_head *head, int *out, int max)
{
	struct item *it;
	int n = 0;

	list_for_each_entry(it, head, node)
		if (n < max)
			out[n++] = it->v;
	return n;
}

static void test_lists(void **state)
{
	struct item items[5];
	struct item *it, *tmp;
	LIST_HEAD(a);
	LIST_HEAD(b);
	HLIST_HEAD(h);
	int v[8], i, n;

	for (i = 0; i < 5; i++)
		items[i].v = i;
	assert_true(list_empty(&a));
	list_add(&items[1].node, &a);		/* 1 */
	list_add(&items[0].node, &a);		/* 0 1 */
	list_add_tail(&items[2].node, &a);	/* 0 1 2 */
	list_add_tail(&items[3].node, &b);	/* b: 3 */
	list_add_tail(&items[4].node, &b);	/* b: 3 4 */
	assert_int_equal(list_first_entry(&a, struct item, node)->v, 0);
	assert_int_equal(list_last_entry(&a, struct item, node)->v, 2);
	list_del(&items[1].node);		/* 0 2 */
	list_move_tail(&items[0].node, &a);	/* 2 0 */
	list_splice_tail_init(&b, &a);		/* 2 0 3 4 */
	assert_true(list_empty(&b));
	n = list_values(&a, v, 8);
	assert_int_equal(n, 4);
	assert_int_equal(v[0], 2);
	assert_int_equal(v[1], 0);
	assert_int_equal(v[2], 3);
	assert_int_equal(v[3], 4);
	assert_true(list_is_singular(&a) == false);
	list_for_each_entry_safe(it, tmp, &a, node)
		if (it->v % 2 == 0)
			list_del_init(&it->node);
	n = list_values(&a, v, 8);
	assert_int_equal(n, 1);
	assert_int_equal(v[0], 3);
	assert_true(list_is_singular(&a));
	assert_true(list_empty(&items[4].node));

	assert_true(hlist_empty(&h));
	for (i = 0; i < 3; i++)
		hlist_add_head(&items[i].hnode, &h);	/* 2 1 0 */
	n = 0;
	hlist_for_each_entry(it, &h, hnode)
		v[n++] = it->v;
	assert_int_equal(n, 3);
	assert_int_equal(v[0], 2);
	assert_int_equal(v[2], 0);
	hlist_del(&items[1].hnode);
	n = 0;
	hlist_for_each_entry(it, &h, hnode)
		v[n++] = it->v;
	assert_int_equal(n, 2);
	assert_int_equal(v[0] + v[1], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atomic_ops),
		cmocka_unit_test(test_atomic_wraps),
		cmocka_unit_test(test_cmpxchg_scalars),
		ZSIM_TEST_BOTH(test_contention),
		ZSIM_TEST_CONTROLLED(test_atomics_are_sched_points),
		ZSIM_TEST_BOTH(test_message_passing),
		ZSIM_TEST_FREE(test_dec_and_lock),
		ZSIM_TEST_FREE(test_refcount),
		ZSIM_TEST_FREE(test_refcount_saturation),
		cmocka_unit_test(test_bitops),
		ZSIM_TEST_CONTROLLED(test_bitops_are_sched_points),
		ZSIM_TEST_BOTH(test_barriers),
		cmocka_unit_test(test_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
