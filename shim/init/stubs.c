// SPDX-License-Identifier: GPL-2.0-only
/* TEMPORARY: weak defaults while the subsystems are being written. */
#include <linux/types.h>
#include <sim/init.h>
#include <stdbool.h>

struct task_struct;
#define W __attribute__((weak))
W int fault_inject_init(u64 seed) { return 0; }
W void fault_inject_exit(void) { }
W int page_alloc_init(u64 ram_bytes, unsigned int nr_nodes) { return 0; }
W unsigned long page_alloc_exit(void) { return 0; }
W int kmem_init(unsigned int nr_nodes) { return 0; }
W unsigned long kmem_exit(void) { return 0; }
W int percpu_init(void) { return 0; }
W unsigned long percpu_exit(void) { return 0; }
W int timers_init(void) { return 0; }
W void timers_exit(void) { }
W int rcu_init(void) { return 0; }
W void rcu_exit(void) { }
W int workqueue_init(void) { return 0; }
W void workqueue_exit(void) { }
W int cpuhp_init(void) { return 0; }
W void cpuhp_exit(void) { }
W void debugfs_exit(void) { }
W void lockdep_set_enabled(bool on) { }
W void lockdep_reset(void) { }
W void lockdep_print_held_locks(struct task_struct *t) { }
W void do_initcalls(void) { }
W void do_exitcalls(void) { }
W u64 get_jiffies_64(void) { return 0; }
