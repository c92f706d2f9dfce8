// SPDX-License-Identifier: GPL-2.0-only
/*
 * The smallest zswapsim consumer: boot a simulated machine, run one
 * function as a simulated kernel task on virtual CPU 1 (it allocates a
 * buffer with kmalloc_array() and uses smp_processor_id() with preemption
 * disabled), check what it saw, shut the machine down and require that it
 * reported nothing (the shutdown's leak check included).
 *
 * The task is written like kernel code: it includes the shim's <linux/...>
 * headers (installed under ${includedir}/zswapsim, which zswapsim.pc puts
 * on the include path) and calls kernel APIs. It returns its result to the
 * main thread instead of printing from inside the machine.
 *
 * ZSWAPSIM_BACKEND=controlled, ZSWAPSIM_SEED=N etc. select the machine
 * (zsim_config_from_env()).
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <stdio.h>
#include <stdlib.h>
#include <zswapsim.h>

struct hello_result {
	int cpu_before;		/* smp_processor_id() as preemption is disabled */
	int cpu_after;		/* ... and just before it is enabled again */
	bool online;		/* cpu_online() of that CPU */
	bool atomic;		/* in_atomic() inside the section */
};

static int hello_task(void *arg)
{
	struct hello_result *res = arg;
	unsigned long *buf;
	int i;

	/* GFP_KERNEL may sleep: allocate before disabling preemption. */
	buf = kmalloc_array(1024, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	preempt_disable();
	res->cpu_before = smp_processor_id();
	/* Some work that must not see the task move to another CPU. */
	for (i = 0; i < 1024; i++)
		buf[i] = (unsigned long)i * smp_processor_id();
	res->atomic = in_atomic();
	res->online = cpu_online(res->cpu_before);
	res->cpu_after = smp_processor_id();
	preempt_enable();

	for (i = 0; i < 1024; i++)
		if (buf[i] != (unsigned long)i * res->cpu_before)
			res->cpu_after = -1;
	kfree(buf);
	return 0;
}

int main(void)
{
	struct hello_result res = { -1, -1, false, false };
	struct zsim_config cfg;
	unsigned long reports;
	int ret;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 4;
	if (zsim_config_from_env(&cfg))
		return 1;
	if (cfg.nr_cpus < 2) {
		fprintf(stderr, "hello_task: needs at least 2 CPUs\n");
		return 1;
	}
	ret = zsim_machine_start(&cfg);
	if (ret) {
		fprintf(stderr, "hello_task: zsim_machine_start: %d\n", ret);
		return 1;
	}
	ret = zsim_run(1, hello_task, &res);
	reports = zsim_machine_stop();

	if (ret || reports) {
		fprintf(stderr, "hello_task: task returned %d, %lu report(s)\n", ret, reports);
		return 1;
	}
	if (res.cpu_before < 0 || res.cpu_before >= (int)cfg.nr_cpus ||
	    res.cpu_after != res.cpu_before || !res.online || !res.atomic) {
		fprintf(stderr, "hello_task: cpu %d -> %d, online %d, in_atomic %d\n",
			res.cpu_before, res.cpu_after, res.online, res.atomic);
		return 1;
	}
	printf("hello_task: ran on virtual CPU %d of %u (%s backend): ok\n",
	       res.cpu_before, cfg.nr_cpus,
	       cfg.backend == ZSIM_CONTROLLED ? "controlled" : "free-running");
	return 0;
}
