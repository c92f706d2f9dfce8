/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory barriers (<asm/barrier.h>, <asm-generic/barrier.h>).
 *
 * The kernel's barriers on GCC's __atomic fences. The shim runs on x86-64
 * (TSO): as in arch/x86, smp_rmb()/smp_wmb() and the before/after-atomic
 * barriers only stop the compiler, because the CPU keeps loads and stores in
 * order and every locked read-modify-write is a full barrier; smp_mb() is a
 * real fence.
 *
 * The plain barriers are not scheduling points: they order accesses but do
 * not synchronise by themselves. The acquire/release accessors are the
 * other half of a lock-free handshake, so like atomics (<linux/atomic.h>)
 * they call sched_point() first, letting the controlled backend interleave
 * another task exactly there. Every iteration of smp_cond_load_*() is a
 * spin-wait point (sched_spin_wait(), <sim/sched.h>): without it the task
 * it waits for would never run in the controlled backend, and with a bare
 * scheduling point PCT would pick a higher-priority spinner again and again.
 */
#ifndef _SHIM_ASM_BARRIER_H
#define _SHIM_ASM_BARRIER_H

#include <linux/compiler.h>
#include <sim/sched.h>

/*
 * The type of @x without qualifiers, for scalars (kernel's
 * compiler_types.h): lets a macro declare a modifiable copy of a
 * const/volatile object.
 */
#ifndef __unqual_scalar_typeof
#define __scalar_type_to_expr_cases(type)				\
		unsigned type:	(unsigned type)0,			\
		signed type:	(signed type)0
#define __unqual_scalar_typeof(x) __typeof__(				\
		_Generic((x),						\
			 char:	(char)0,				\
			 __scalar_type_to_expr_cases(char),		\
			 __scalar_type_to_expr_cases(short),		\
			 __scalar_type_to_expr_cases(int),		\
			 __scalar_type_to_expr_cases(long),		\
			 __scalar_type_to_expr_cases(long long),	\
			 _Bool:	(_Bool)0,				\
			 default: (x)))
#endif

#if defined(__x86_64__) || defined(__i386__)
#define __sim_fence_rmb()	barrier()
#define __sim_fence_wmb()	barrier()
#define __sim_fence_atomic()	barrier()
#define __sim_cpu_relax()	__builtin_ia32_pause()
#else
#define __sim_fence_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define __sim_fence_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define __sim_fence_atomic()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define __sim_cpu_relax()	barrier()
#endif

#define mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb()			__sim_fence_rmb()
#define wmb()			__sim_fence_wmb()
#define dma_rmb()		rmb()
#define dma_wmb()		wmb()

#define smp_mb()		mb()
#define smp_rmb()		rmb()
#define smp_wmb()		wmb()
#define __smp_mb()		smp_mb()
#define __smp_rmb()		smp_rmb()
#define __smp_wmb()		smp_wmb()
#define virt_mb()		smp_mb()
#define virt_rmb()		smp_rmb()
#define virt_wmb()		smp_wmb()

/* Value-returning atomics are full barriers already; the others are not. */
#define smp_mb__before_atomic()	__sim_fence_atomic()
#define smp_mb__after_atomic()	__sim_fence_atomic()

/* A control dependency plus this orders the load before later loads. */
#define smp_acquire__after_ctrl_dep()	smp_rmb()

/*
 * Acquire/release accessors of a scalar or pointer. Scheduling points
 * (see the top of this file); the raw_ forms are not, for the shim's own
 * critical sections.
 */
#define raw_smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define raw_smp_store_release(p, v) \
	__atomic_store_n((p), (__typeof__(*(p)))(v), __ATOMIC_RELEASE)

#define smp_load_acquire(p) ({						\
	sched_point();							\
	raw_smp_load_acquire(p);					\
})

#define smp_store_release(p, v) do {					\
	sched_point();							\
	raw_smp_store_release(p, v);					\
} while (0)

/* Store, then a full barrier (the kernel's xchg-based smp_store_mb()). */
#define smp_store_mb(var, value) do {					\
	sched_point();							\
	__atomic_store_n(&(var), (__typeof__(var))(value), __ATOMIC_RELAXED); \
	smp_mb();							\
} while (0)

/*
 * Spin until @cond_expr (which may use VAL, the value loaded from @ptr)
 * is true; the load that satisfied it has the named ordering. Each
 * failed iteration is a spin-wait point.
 */
#define smp_cond_load_relaxed(ptr, cond_expr) ({			\
	__typeof__(ptr) __PTR = (ptr);					\
	__unqual_scalar_typeof(*__PTR) VAL;				\
	sched_point();							\
	for (;;) {							\
		VAL = __atomic_load_n(__PTR, __ATOMIC_RELAXED);		\
		if (cond_expr)						\
			break;						\
		__sim_cpu_relax();					\
		sched_spin_wait();					\
	}								\
	(__typeof__(*__PTR))VAL;					\
})

#define smp_cond_load_acquire(ptr, cond_expr) ({			\
	__unqual_scalar_typeof(*(ptr)) __val;				\
	__val = smp_cond_load_relaxed(ptr, cond_expr);			\
	__atomic_thread_fence(__ATOMIC_ACQUIRE);			\
	(__typeof__(*(ptr)))__val;					\
})

#endif /* _SHIM_ASM_BARRIER_H */
