/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU variables and their accessors (<linux/percpu-defs.h>).
 *
 * Layout, as the kernel's first chunk: at start-up the shim reserves one
 * virtual area of NR_CPUS units of PCPU_UNIT_SIZE bytes (shim/mm/percpu.c).
 * A per-CPU pointer is an address inside CPU 0's unit; CPU n's copy of it
 * is the same offset in unit n:
 *	per_cpu_ptr(p, cpu) == (void *)p + cpu * PCPU_UNIT_SIZE
 * so pointers to members work as in the kernel
 * (&per_cpu_ptr(p, cpu)->field, this_cpu_add(p->field, 1)).
 *
 * Static per-CPU variables (DEFINE_PER_CPU) are placed in the ELF section
 * "zsim_percpu" of the executable or library that defines them. Every file
 * that includes this header gets a constructor that registers its module's
 * section (found through the module-local __start_/__stop_ symbols); the
 * registration copies the section into a static chunk of every unit. The
 * variable's own address is thus the template, as the kernel's
 * .data..percpu section is, and the accessors translate it with a second,
 * slower lookup that only addresses outside CPU 0's unit pay: dynamic
 * pointers, the hot case, cost one range check (plus the CPU number check).
 * Each boot (percpu_init()) copies the templates again, so a machine
 * starts with the initial values, as a freshly booted kernel does.
 * Chosen over allocating each variable from a constructor because `name`
 * must stay an lvalue usable with &, as DEFINE_PER_CPU's users expect, and
 * because `static DEFINE_PER_CPU(type, name) = init;` must keep compiling.
 *
 * Every accessor that computes a per-CPU address (per_cpu_ptr,
 * raw_cpu_ptr, this_cpu_ptr, per_cpu, and the this_cpu/raw_cpu/
 * __this_cpu operations) is a scheduling point, taken before the CPU is
 * chosen: a task can be preempted or migrated between choosing its CPU's
 * slot and using it, which is the race that matters in per-CPU code. So
 * they must not be used inside a sim_rawlock section.
 *
 * Context checks, as CONFIG_DEBUG_PREEMPT: this_cpu_ptr() (through
 * smp_processor_id()) and the __this_cpu_*() operations report use in
 * preemptible code (SIM_REPORT_PREEMPT); raw_cpu_ptr(), raw_cpu_*() and the
 * this_cpu_*() operations (single irq-safe instructions in the kernel) do
 * not.
 *
 * The this_cpu/raw_cpu/__this_cpu operations access the slot with relaxed
 * atomic loads and stores, so that another CPU may read it concurrently
 * (summing statistics) with a defined result. add, sub, inc, dec, and, or
 * are a load and a store with no scheduling point in between: a single
 * uninterruptible operation for the one task a CPU runs at a time, as in
 * the kernel, and as cheap (no locked instruction). xchg and cmpxchg are
 * atomic instructions. Difference: a thread that is not a simulated task
 * counts as CPU 0; it must not update per-CPU data while a task may run on
 * CPU 0 (it would race with it, where the kernel has no such thread).
 * Operands must be integers (as in the kernel, 1, 2, 4 or 8 bytes).
 */
#ifndef _SHIM_LINUX_PERCPU_DEFS_H
#define _SHIM_LINUX_PERCPU_DEFS_H

#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/threads.h>
#include <sim/sched.h>

/* Each CPU's unit: 8 MiB of address space, touched only where used. */
#define PCPU_UNIT_SHIFT		23
#define PCPU_UNIT_SIZE		(1UL << PCPU_UNIT_SHIFT)

/* CPU 0's unit; NR_CPUS units follow each other from here. */
extern char *pcpu_base_addr;

/* Translation of anything but a dynamic pointer for a possible CPU. */
void *__pcpu_addr_slow(const void *ptr, unsigned int cpu);

/* The address of @cpu's copy of the per-CPU object at @ptr. */
static __always_inline void *__pcpu_addr(const void *ptr, unsigned int cpu)
{
	unsigned long off = (unsigned long)ptr - (unsigned long)pcpu_base_addr;

	if (likely(off < PCPU_UNIT_SIZE && cpu < nr_cpu_ids))
		return (void *)((unsigned long)ptr + ((unsigned long)cpu << PCPU_UNIT_SHIFT));
	return __pcpu_addr_slow(ptr, cpu);
}

/* ---- static per-CPU variables ---- */

#define PER_CPU_SECTION_NAME	zsim_percpu
#define __PCPU_ATTRS		__attribute__((__section__(__stringify(PER_CPU_SECTION_NAME))))

#define DECLARE_PER_CPU_SECTION(type, name, sec)	extern __PCPU_ATTRS __typeof__(type) name
#define DEFINE_PER_CPU_SECTION(type, name, sec)		__PCPU_ATTRS __typeof__(type) name

#define DECLARE_PER_CPU(type, name)		DECLARE_PER_CPU_SECTION(type, name, "")
#define DEFINE_PER_CPU(type, name)		DEFINE_PER_CPU_SECTION(type, name, "")
#define DECLARE_PER_CPU_ALIGNED(type, name)	DECLARE_PER_CPU(type, name) ____cacheline_aligned
#define DEFINE_PER_CPU_ALIGNED(type, name)	DEFINE_PER_CPU(type, name) ____cacheline_aligned
#define DECLARE_PER_CPU_SHARED_ALIGNED(type, name) DECLARE_PER_CPU(type, name) ____cacheline_aligned_in_smp
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name) DEFINE_PER_CPU(type, name) ____cacheline_aligned_in_smp
#define DECLARE_PER_CPU_PAGE_ALIGNED(type, name) DECLARE_PER_CPU(type, name) __aligned(4096)
#define DEFINE_PER_CPU_PAGE_ALIGNED(type, name)	DEFINE_PER_CPU(type, name) __aligned(4096)
#define DECLARE_PER_CPU_READ_MOSTLY(type, name)	DECLARE_PER_CPU(type, name)
#define DEFINE_PER_CPU_READ_MOSTLY(type, name)	DEFINE_PER_CPU(type, name)
#define EXPORT_PER_CPU_SYMBOL(var)
#define EXPORT_PER_CPU_SYMBOL_GPL(var)

/*
 * Register this module's "zsim_percpu" section. The symbols are hidden so
 * that each executable or shared library names its own section; they are
 * NULL in a module that defines no per-CPU variable. Registering is
 * idempotent, so every file including this header may do it.
 */
extern char __start_zsim_percpu[] __attribute__((__weak__, __visibility__("hidden")));
extern char __stop_zsim_percpu[] __attribute__((__weak__, __visibility__("hidden")));
void __pcpu_register_static(char *start, char *stop);

static void __attribute__((__constructor__, __used__)) __pcpu_register_module(void)
{
	__pcpu_register_static(__start_zsim_percpu, __stop_zsim_percpu);
}

/* ---- pointers ---- */

/* Compile-time check that @ptr is a pointer; evaluates nothing. */
#define __verify_pcpu_ptr(ptr) do {					\
	const void __percpu *__vpp_verify = (typeof((ptr) + 0))NULL;	\
	(void)__vpp_verify;						\
} while (0)

#define per_cpu_ptr(ptr, cpu) ({					\
	__verify_pcpu_ptr(ptr);						\
	sched_point();							\
	(typeof(ptr))__pcpu_addr((ptr), (cpu));				\
})

#define raw_cpu_ptr(ptr) ({						\
	__verify_pcpu_ptr(ptr);						\
	sched_point();							\
	(typeof(ptr))__pcpu_addr((ptr), raw_smp_processor_id());	\
})

/* smp_processor_id() reports a preemptible caller. */
#define this_cpu_ptr(ptr) ({						\
	__verify_pcpu_ptr(ptr);						\
	sched_point();							\
	(typeof(ptr))__pcpu_addr((ptr), smp_processor_id());		\
})

#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), (cpu)))

#define get_cpu_ptr(var) ({						\
	preempt_disable();						\
	this_cpu_ptr(var);						\
})
#define put_cpu_ptr(var) do {						\
	(void)(var);							\
	preempt_enable();						\
} while (0)

#define get_cpu_var(var)	(*get_cpu_ptr(&(var)))
#define put_cpu_var(var)	put_cpu_ptr(&(var))

/* ---- operations on the current CPU's copy ---- */

/*
 * CONFIG_DEBUG_PREEMPT's check of the __this_cpu_*() operations: reports
 * "BUG: using __this_cpu_<op>() in preemptible [...] code" unless
 * preemption or migration is disabled or the task is bound to one CPU.
 */
void __this_cpu_preempt_check(const char *op);

/* Address of this CPU's copy of @pcp; no scheduling point, no check. */
#define __pcpu_this_addr(pcp)						\
	((typeof(&(pcp)))__pcpu_addr(&(pcp), raw_smp_processor_id()))

#define __pcpu_read(pcp) ({						\
	sched_point();							\
	__atomic_load_n(__pcpu_this_addr(pcp), __ATOMIC_RELAXED);	\
})
#define __pcpu_write(pcp, val) do {					\
	typeof(pcp) __pcpu_val = (val);					\
	sched_point();							\
	__atomic_store_n(__pcpu_this_addr(pcp), __pcpu_val, __ATOMIC_RELAXED); \
} while (0)
/*
 * A read-modify-write of this CPU's slot: a relaxed load and a relaxed
 * store with nothing in between, so no other task of this CPU can run in
 * the middle (see the top of the file).
 */
#define __pcpu_rmw_return(pcp, op, val) ({				\
	typeof(pcp) __pcpu_val = (val);					\
	typeof(&(pcp)) __pcpu_p;					\
	typeof(pcp) __pcpu_new;						\
	sched_point();							\
	__pcpu_p = __pcpu_this_addr(pcp);				\
	__pcpu_new = __atomic_load_n(__pcpu_p, __ATOMIC_RELAXED) op __pcpu_val; \
	__atomic_store_n(__pcpu_p, __pcpu_new, __ATOMIC_RELAXED);	\
	__pcpu_new;							\
})
#define __pcpu_add_return(pcp, val)	__pcpu_rmw_return(pcp, +, val)
#define __pcpu_sub_return(pcp, val)	__pcpu_rmw_return(pcp, -, val)
#define __pcpu_and(pcp, val)		((void)__pcpu_rmw_return(pcp, &, val))
#define __pcpu_or(pcp, val)		((void)__pcpu_rmw_return(pcp, |, val))
#define __pcpu_xchg(pcp, nval) ({					\
	typeof(pcp) __pcpu_val = (nval);				\
	sched_point();							\
	__atomic_exchange_n(__pcpu_this_addr(pcp), __pcpu_val, __ATOMIC_RELAXED); \
})
/* Returns the old value, as the kernel's this_cpu_cmpxchg(). */
#define __pcpu_cmpxchg(pcp, oval, nval) ({				\
	typeof(pcp) __pcpu_old = (oval);				\
	typeof(pcp) __pcpu_new = (nval);				\
	sched_point();							\
	(void)__atomic_compare_exchange_n(__pcpu_this_addr(pcp), &__pcpu_old, \
					  __pcpu_new, false,		\
					  __ATOMIC_RELAXED, __ATOMIC_RELAXED); \
	__pcpu_old;							\
})
/* On failure *@ovalp is updated with the current value. */
#define __pcpu_try_cmpxchg(pcp, ovalp, nval) ({				\
	typeof(pcp) __pcpu_new = (nval);				\
	sched_point();							\
	__atomic_compare_exchange_n(__pcpu_this_addr(pcp), (ovalp),	\
				    __pcpu_new, false,			\
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED); \
})

/* this_cpu_*(): no preemption check (irq-safe single operations). */
#define this_cpu_read(pcp)		__pcpu_read(pcp)
#define this_cpu_write(pcp, val)	__pcpu_write(pcp, val)
#define this_cpu_add(pcp, val)		((void)__pcpu_add_return(pcp, val))
#define this_cpu_sub(pcp, val)		((void)__pcpu_sub_return(pcp, val))
#define this_cpu_inc(pcp)		this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp)		this_cpu_sub(pcp, 1)
#define this_cpu_add_return(pcp, val)	__pcpu_add_return(pcp, val)
#define this_cpu_sub_return(pcp, val)	__pcpu_sub_return(pcp, val)
#define this_cpu_inc_return(pcp)	this_cpu_add_return(pcp, 1)
#define this_cpu_dec_return(pcp)	this_cpu_sub_return(pcp, 1)
#define this_cpu_and(pcp, val)		__pcpu_and(pcp, val)
#define this_cpu_or(pcp, val)		__pcpu_or(pcp, val)
#define this_cpu_xchg(pcp, nval)	__pcpu_xchg(pcp, nval)
#define this_cpu_cmpxchg(pcp, oval, nval) __pcpu_cmpxchg(pcp, oval, nval)
#define this_cpu_try_cmpxchg(pcp, ovalp, nval) __pcpu_try_cmpxchg(pcp, ovalp, nval)

/* raw_cpu_*(): no preemption check either (the caller knows better). */
#define raw_cpu_read(pcp)		__pcpu_read(pcp)
#define raw_cpu_write(pcp, val)		__pcpu_write(pcp, val)
#define raw_cpu_add(pcp, val)		((void)__pcpu_add_return(pcp, val))
#define raw_cpu_sub(pcp, val)		((void)__pcpu_sub_return(pcp, val))
#define raw_cpu_inc(pcp)		raw_cpu_add(pcp, 1)
#define raw_cpu_dec(pcp)		raw_cpu_sub(pcp, 1)
#define raw_cpu_add_return(pcp, val)	__pcpu_add_return(pcp, val)
#define raw_cpu_sub_return(pcp, val)	__pcpu_sub_return(pcp, val)
#define raw_cpu_inc_return(pcp)		raw_cpu_add_return(pcp, 1)
#define raw_cpu_dec_return(pcp)		raw_cpu_sub_return(pcp, 1)
#define raw_cpu_and(pcp, val)		__pcpu_and(pcp, val)
#define raw_cpu_or(pcp, val)		__pcpu_or(pcp, val)
#define raw_cpu_xchg(pcp, nval)		__pcpu_xchg(pcp, nval)
#define raw_cpu_cmpxchg(pcp, oval, nval) __pcpu_cmpxchg(pcp, oval, nval)
#define raw_cpu_try_cmpxchg(pcp, ovalp, nval) __pcpu_try_cmpxchg(pcp, ovalp, nval)

/* __this_cpu_*(): the caller must not be preemptible (checked). */
#define __this_cpu_read(pcp) ({						\
	__this_cpu_preempt_check("read");				\
	raw_cpu_read(pcp);						\
})
#define __this_cpu_write(pcp, val) do {					\
	__this_cpu_preempt_check("write");				\
	raw_cpu_write(pcp, val);					\
} while (0)
#define __this_cpu_add(pcp, val) do {					\
	__this_cpu_preempt_check("add");				\
	raw_cpu_add(pcp, val);						\
} while (0)
#define __this_cpu_sub(pcp, val) do {					\
	__this_cpu_preempt_check("sub");				\
	raw_cpu_sub(pcp, val);						\
} while (0)
#define __this_cpu_inc(pcp)		__this_cpu_add(pcp, 1)
#define __this_cpu_dec(pcp)		__this_cpu_sub(pcp, 1)
#define __this_cpu_add_return(pcp, val) ({				\
	__this_cpu_preempt_check("add_return");				\
	raw_cpu_add_return(pcp, val);					\
})
#define __this_cpu_sub_return(pcp, val) ({				\
	__this_cpu_preempt_check("sub_return");				\
	raw_cpu_sub_return(pcp, val);					\
})
#define __this_cpu_inc_return(pcp)	__this_cpu_add_return(pcp, 1)
#define __this_cpu_dec_return(pcp)	__this_cpu_sub_return(pcp, 1)
#define __this_cpu_and(pcp, val) do {					\
	__this_cpu_preempt_check("and");				\
	raw_cpu_and(pcp, val);						\
} while (0)
#define __this_cpu_or(pcp, val) do {					\
	__this_cpu_preempt_check("or");					\
	raw_cpu_or(pcp, val);						\
} while (0)
#define __this_cpu_xchg(pcp, nval) ({					\
	__this_cpu_preempt_check("xchg");				\
	raw_cpu_xchg(pcp, nval);					\
})
#define __this_cpu_cmpxchg(pcp, oval, nval) ({				\
	__this_cpu_preempt_check("cmpxchg");				\
	raw_cpu_cmpxchg(pcp, oval, nval);				\
})

#endif /* _SHIM_LINUX_PERCPU_DEFS_H */
