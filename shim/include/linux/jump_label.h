/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Static keys (<linux/jump_label.h>).
 *
 * The kernel patches branch instructions when a key changes; here a key is
 * a counter read with a relaxed atomic load, which gives the same answers:
 * a key is enabled while its count is positive. Reading a key is not a
 * scheduling point (a patched branch is no synchronisation either).
 * Changing one may sleep, as in the kernel (it takes the hotplug lock and
 * jump_label_mutex there), so it calls might_sleep().
 */
#ifndef _SHIM_LINUX_JUMP_LABEL_H
#define _SHIM_LINUX_JUMP_LABEL_H

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/kconfig.h>
#include <linux/kernel.h>
#include <linux/types.h>

struct static_key {
	atomic_t enabled;
};

struct static_key_true {
	struct static_key key;
};

struct static_key_false {
	struct static_key key;
};

#define STATIC_KEY_INIT_TRUE	{ .enabled = { 1 } }
#define STATIC_KEY_INIT_FALSE	{ .enabled = { 0 } }
#define STATIC_KEY_INIT		STATIC_KEY_INIT_FALSE
#define STATIC_KEY_TRUE_INIT	(struct static_key_true) { .key = STATIC_KEY_INIT_TRUE }
#define STATIC_KEY_FALSE_INIT	(struct static_key_false) { .key = STATIC_KEY_INIT_FALSE }

#define DEFINE_STATIC_KEY_TRUE(name)	\
	struct static_key_true name = { .key = STATIC_KEY_INIT_TRUE }
#define DEFINE_STATIC_KEY_FALSE(name)	\
	struct static_key_false name = { .key = STATIC_KEY_INIT_FALSE }
#define DEFINE_STATIC_KEY_TRUE_RO(name)		DEFINE_STATIC_KEY_TRUE(name)
#define DEFINE_STATIC_KEY_FALSE_RO(name)	DEFINE_STATIC_KEY_FALSE(name)
#define DECLARE_STATIC_KEY_TRUE(name)	extern struct static_key_true name
#define DECLARE_STATIC_KEY_FALSE(name)	extern struct static_key_false name

#define DEFINE_STATIC_KEY_ARRAY_TRUE(name, count)			\
	struct static_key_true name[count] = {				\
		[0 ... (count) - 1] = { .key = STATIC_KEY_INIT_TRUE } }
#define DEFINE_STATIC_KEY_ARRAY_FALSE(name, count)			\
	struct static_key_false name[count] = {				\
		[0 ... (count) - 1] = { .key = STATIC_KEY_INIT_FALSE } }

#define _DEFINE_STATIC_KEY_1(name)	DEFINE_STATIC_KEY_TRUE(name)
#define _DEFINE_STATIC_KEY_0(name)	DEFINE_STATIC_KEY_FALSE(name)
#define _DECLARE_STATIC_KEY_1(name)	DECLARE_STATIC_KEY_TRUE(name)
#define _DECLARE_STATIC_KEY_0(name)	DECLARE_STATIC_KEY_FALSE(name)
/* @cfg goes through IS_ENABLED() (<linux/kconfig.h>), which gives 0 or 1. */
#define DEFINE_STATIC_KEY_MAYBE(cfg, name)	\
	__PASTE(_DEFINE_STATIC_KEY_, IS_ENABLED(cfg))(name)
#define DECLARE_STATIC_KEY_MAYBE(cfg, name)	\
	__PASTE(_DECLARE_STATIC_KEY_, IS_ENABLED(cfg))(name)

static inline int static_key_count(struct static_key *key)
{
	return __atomic_load_n(&key->enabled.counter, __ATOMIC_RELAXED);
}

/* Accepts struct static_key, static_key_true or static_key_false. */
#define static_key_enabled(x) ({					\
	_Static_assert(__builtin_types_compatible_p(typeof(*(x)), struct static_key) || \
		       __builtin_types_compatible_p(typeof(*(x)), struct static_key_true) || \
		       __builtin_types_compatible_p(typeof(*(x)), struct static_key_false), \
		       "static_key_enabled() needs a static key");	\
	static_key_count((struct static_key *)(x)) > 0;			\
})

#define static_branch_likely(x)		likely(static_key_enabled(&(x)->key))
#define static_branch_unlikely(x)	unlikely(static_key_enabled(&(x)->key))
#define static_branch_maybe(config, x)					\
	(IS_ENABLED(config) ? static_branch_likely(x) : static_branch_unlikely(x))

/* The old interface. */
static inline bool static_key_false(struct static_key *key)
{
	return unlikely(static_key_count(key) > 0);
}

static inline bool static_key_true(struct static_key *key)
{
	return likely(static_key_count(key) > 0);
}

static inline void static_key_slow_inc_cpuslocked(struct static_key *key)
{
	__atomic_fetch_add(&key->enabled.counter, 1, __ATOMIC_SEQ_CST);
}

static inline void static_key_slow_inc(struct static_key *key)
{
	might_sleep();
	static_key_slow_inc_cpuslocked(key);
}

static inline void static_key_slow_dec_cpuslocked(struct static_key *key)
{
	int old = __atomic_fetch_sub(&key->enabled.counter, 1, __ATOMIC_SEQ_CST);

	/* Decrementing below zero is a refcount bug, as the kernel warns. */
	if (WARN(old <= 0, "jump label: negative count!\n"))
		__atomic_store_n(&key->enabled.counter, 0, __ATOMIC_SEQ_CST);
}

static inline void static_key_slow_dec(struct static_key *key)
{
	might_sleep();
	static_key_slow_dec_cpuslocked(key);
}

/* Enable/disable set the count to 1/0 whatever it was, as the kernel. */
static inline void static_key_enable_cpuslocked(struct static_key *key)
{
	__atomic_store_n(&key->enabled.counter, 1, __ATOMIC_SEQ_CST);
}

static inline void static_key_disable_cpuslocked(struct static_key *key)
{
	__atomic_store_n(&key->enabled.counter, 0, __ATOMIC_SEQ_CST);
}

static inline void static_key_enable(struct static_key *key)
{
	might_sleep();
	static_key_enable_cpuslocked(key);
}

static inline void static_key_disable(struct static_key *key)
{
	might_sleep();
	static_key_disable_cpuslocked(key);
}

#define static_branch_inc(x)		static_key_slow_inc(&(x)->key)
#define static_branch_dec(x)		static_key_slow_dec(&(x)->key)
#define static_branch_inc_cpuslocked(x)	static_key_slow_inc_cpuslocked(&(x)->key)
#define static_branch_dec_cpuslocked(x)	static_key_slow_dec_cpuslocked(&(x)->key)
#define static_branch_enable(x)		static_key_enable(&(x)->key)
#define static_branch_disable(x)	static_key_disable(&(x)->key)
#define static_branch_enable_cpuslocked(x)  static_key_enable_cpuslocked(&(x)->key)
#define static_branch_disable_cpuslocked(x) static_key_disable_cpuslocked(&(x)->key)

static inline bool static_key_initialized(void)
{
	return true;
}

#endif /* _SHIM_LINUX_JUMP_LABEL_H */
