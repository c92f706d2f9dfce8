/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Atomic operations (<linux/atomic.h>): atomic_t, atomic64_t and
 * atomic_long_t with the kernel's operation set and ordering variants,
 * plus xchg()/cmpxchg()/try_cmpxchg() on scalars (<asm/cmpxchg.h>) and the
 * memory barriers (<asm/barrier.h>).
 *
 * The operations and their ordering are generated in <asm/atomic.h>. Here
 * they are instantiated as the kernel's instrumented atomic_*() names, each
 * beginning with sched_point(): every atomic operation is a scheduling
 * point, so the controlled backend can run another task between any two
 * atomics of a lock-free algorithm (and a preemptible task may be preempted
 * or migrated there, in either backend). A conditional operation
 * (atomic_add_unless() and friends) is one scheduling point, however often
 * its cmpxchg loop retries. The shim's own code under a sim_rawlock, which
 * must not reach a scheduling point, uses the raw_atomic_*() forms.
 *
 * Difference: the kernel instruments atomics for KASAN/KCSAN; the shim's
 * instrumentation is the scheduling point.
 */
#ifndef _SHIM_LINUX_ATOMIC_H
#define _SHIM_LINUX_ATOMIC_H

#include <asm/atomic.h>
#include <asm/barrier.h>
#include <asm/cmpxchg.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <sim/sched.h>

__SIM_ATOMIC_OPS(atomic, atomic, int, unsigned int, sched_point())
__SIM_ATOMIC_OPS(atomic64, atomic64, s64, u64, sched_point())
__SIM_ATOMIC_OPS(atomic_long, atomic_long, long, unsigned long, sched_point())

/* Spin until @c (on VAL, the counter's value) holds; see <asm/barrier.h>. */
#define atomic_cond_read_relaxed(v, c)	smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic_cond_read_acquire(v, c)	smp_cond_load_acquire(&(v)->counter, (c))
#define atomic64_cond_read_relaxed(v, c) smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic64_cond_read_acquire(v, c) smp_cond_load_acquire(&(v)->counter, (c))
#define atomic_long_cond_read_relaxed(v, c) smp_cond_load_relaxed(&(v)->counter, (c))
#define atomic_long_cond_read_acquire(v, c) smp_cond_load_acquire(&(v)->counter, (c))

#endif /* _SHIM_LINUX_ATOMIC_H */
