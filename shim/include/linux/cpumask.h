/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU masks (<linux/cpumask.h>).
 *
 * NR_CPUS is the compile-time ceiling (CONFIG_NR_CPUS); nr_cpu_ids is the
 * number of possible CPUs of the running simulated machine, chosen when the
 * machine starts. The possible/present/online/active masks are owned by the
 * machine and the hotplug core; code only reads them.
 */
#ifndef _SHIM_LINUX_CPUMASK_H
#define _SHIM_LINUX_CPUMASK_H

#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/threads.h>

struct cpumask {
	unsigned long bits[BITS_TO_LONGS(NR_CPUS)];
};
typedef struct cpumask cpumask_t;
typedef struct cpumask cpumask_var_t[1];

extern unsigned int nr_cpu_ids;
extern struct cpumask __cpu_possible_mask;
extern struct cpumask __cpu_present_mask;
extern struct cpumask __cpu_online_mask;
extern struct cpumask __cpu_active_mask;
/* Kept with the online mask by set_cpu_online(), as the kernel's. */
extern unsigned int __num_online_cpus;

#define cpu_possible_mask	((const struct cpumask *)&__cpu_possible_mask)
#define cpu_present_mask	((const struct cpumask *)&__cpu_present_mask)
#define cpu_online_mask		((const struct cpumask *)&__cpu_online_mask)
#define cpu_active_mask		((const struct cpumask *)&__cpu_active_mask)

#define cpumask_bits(maskp)	((maskp)->bits)
#define nr_cpumask_bits		nr_cpu_ids

static inline bool cpumask_test_cpu(int cpu, const struct cpumask *mask)
{
	return test_bit(cpu, mask->bits);
}

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *mask)
{
	set_bit(cpu, mask->bits);
}

static inline void cpumask_clear_cpu(int cpu, struct cpumask *mask)
{
	clear_bit(cpu, mask->bits);
}

static inline bool cpumask_test_and_set_cpu(int cpu, struct cpumask *mask)
{
	return test_and_set_bit(cpu, mask->bits);
}

static inline bool cpumask_test_and_clear_cpu(int cpu, struct cpumask *mask)
{
	return test_and_clear_bit(cpu, mask->bits);
}

static inline void cpumask_clear(struct cpumask *mask)
{
	memset(mask->bits, 0, sizeof(mask->bits));
}

static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	memcpy(dst->bits, src->bits, sizeof(dst->bits));
}

static inline unsigned int cpumask_first(const struct cpumask *mask)
{
	return find_first_bit(mask->bits, nr_cpu_ids);
}

static inline unsigned int cpumask_next(int n, const struct cpumask *mask)
{
	return find_next_bit(mask->bits, nr_cpu_ids, n + 1);
}

static inline unsigned int cpumask_weight(const struct cpumask *mask)
{
	return bitmap_weight(mask->bits, nr_cpu_ids);
}

static inline bool cpumask_empty(const struct cpumask *mask)
{
	return cpumask_first(mask) >= nr_cpu_ids;
}

/* The @n-th set CPU of @mask (0-based), or >= nr_cpu_ids. */
static inline unsigned int cpumask_nth(unsigned int n, const struct cpumask *mask)
{
	unsigned int cpu;

	for (cpu = cpumask_first(mask); cpu < nr_cpu_ids; cpu = cpumask_next(cpu, mask))
		if (n-- == 0)
			return cpu;
	return nr_cpu_ids;
}

#define for_each_cpu(cpu, mask)						\
	for ((cpu) = cpumask_first(mask); (cpu) < nr_cpu_ids;		\
	     (cpu) = cpumask_next((cpu), (mask)))

#define for_each_possible_cpu(cpu)	for_each_cpu((cpu), cpu_possible_mask)
#define for_each_online_cpu(cpu)	for_each_cpu((cpu), cpu_online_mask)
#define for_each_present_cpu(cpu)	for_each_cpu((cpu), cpu_present_mask)

#define num_possible_cpus()	cpumask_weight(cpu_possible_mask)
#define num_present_cpus()	cpumask_weight(cpu_present_mask)
#define num_active_cpus()	cpumask_weight(cpu_active_mask)
/* A read of the count, not of the mask: hot paths ask (memcg stat batches). */
static inline unsigned int num_online_cpus(void)
{
	return __atomic_load_n(&__num_online_cpus, __ATOMIC_RELAXED);
}

/* The machine's boot (shim/init/main.c) and the hotplug core only. */
void set_cpu_online(unsigned int cpu, bool online);

#define cpu_possible(cpu)	((unsigned int)(cpu) < nr_cpu_ids && cpumask_test_cpu((cpu), cpu_possible_mask))
#define cpu_present(cpu)	((unsigned int)(cpu) < nr_cpu_ids && cpumask_test_cpu((cpu), cpu_present_mask))
#define cpu_online(cpu)		((unsigned int)(cpu) < nr_cpu_ids && cpumask_test_cpu((cpu), cpu_online_mask))
#define cpu_active(cpu)		((unsigned int)(cpu) < nr_cpu_ids && cpumask_test_cpu((cpu), cpu_active_mask))

#endif /* _SHIM_LINUX_CPUMASK_H */
