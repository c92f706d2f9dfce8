/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU hotplug control and the hotplug lock (<linux/cpu.h>).
 *
 * cpu_hotplug_lock is a reader/writer sleeping lock (a percpu_rw_semaphore
 * as in the kernel): cpus_read_lock() keeps the set of online CPUs and
 * every CPU's hotplug state stable; add_cpu()/remove_cpu() hold it for
 * write across the whole state machine. The state machine's callbacks
 * (<linux/cpuhotplug.h>) run with it held, so lockdep_assert_cpus_held()
 * holds in them.
 */
#ifndef _SHIM_LINUX_CPU_H
#define _SHIM_LINUX_CPU_H

#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/smp.h>

/*
 * Take @cpu offline / bring it online, running the hotplug state machine
 * on the calling task (the control task). Returns 0 or a negative errno:
 * -EBUSY for the last online CPU or while hotplug is disabled, -EINVAL for
 * a CPU that is not present or already in the requested state, or the
 * error of a failing callback (the CPU then stays in its previous state).
 * Differences: the kernel's remove_cpu()/add_cpu() return 1/0 for a CPU
 * already in the requested state (device_offline()/device_online()); the
 * shim returns -EINVAL as the kernel's cpu_down()/cpu_up() used to. Called
 * from a thread that is not a task, they run as zsim_cpu_down()/up().
 */
int remove_cpu(unsigned int cpu);
int add_cpu(unsigned int cpu);

void cpus_read_lock(void);
void cpus_read_unlock(void);
int cpus_read_trylock(void);
void cpus_write_lock(void);
void cpus_write_unlock(void);
void lockdep_assert_cpus_held(void);
int lockdep_is_cpus_held(void);

#define get_online_cpus()	cpus_read_lock()
#define put_online_cpus()	cpus_read_unlock()

/* Serialise CPU-map updates (cpu_add_remove_lock). */
void cpu_maps_update_begin(void);
void cpu_maps_update_done(void);

/* Make add_cpu()/remove_cpu() fail with -EBUSY until re-enabled; nests. */
void cpu_hotplug_disable(void);
void cpu_hotplug_enable(void);

#endif /* _SHIM_LINUX_CPU_H */
