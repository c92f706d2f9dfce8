// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU freelists of slab objects (SLUB's struct kmem_cache_cpu, in
 * miniature): a freed object goes on its CPU's list and the next allocation
 * of the cache on that CPU takes it back, LIFO, without a call into the
 * host allocator. As in the kernel this is the fast path of both
 * directions; an empty list falls back to jemalloc, a full one gives its
 * older half back.
 *
 * Only one task occupies a virtual CPU at a time in either backend, and a
 * task changes CPU only at a scheduling point, of which there is none
 * here: the list of current->cpu is the caller's alone while it is used,
 * as SLUB's is under its this_cpu cmpxchg. Threads that are not tasks go
 * to the host allocator directly.
 *
 * Used only when the machine runs without slub_debug and kmemleak and the
 * build is not a sanitizer build (a benchmark's machine): the poisoning
 * and quarantine of slub_debug, the object table of kmemleak and ASan's
 * own quarantine all want each free to reach them. Differences: only for
 * caches without a constructor or SLAB_TYPESAFE_BY_RCU (those reuse
 * objects by their own rules) and on single-node machines (the host
 * allocator keeps one arena per node and a list would mix them); an
 * offline CPU's list is kept until the cache is destroyed, where the
 * kernel flushes it when the CPU dies (slub_cpu_dead()): here a kthread
 * bound to the CPU may still run there after takedown, as the shim does
 * not park per-CPU kthreads, so the list is not provably idle then.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <sim/sealed.h>
#include <stdlib.h>
#include <string.h>

#include "asan.h"
#include "slab.h"

static bool slab_cpu_enabled;

void slab_cpu_setup(bool slub_debug, bool kmemleak, unsigned int nr_nodes)
{
	slab_cpu_enabled = !slub_debug && !kmemleak && !ZSIM_ASAN && nr_nodes == 1;
}

int slab_cpu_init(struct kmem_cache *s)
{
	if (!slab_cpu_enabled || s->ctor || (s->flags & SLAB_TYPESAFE_BY_RCU))
		return 0;
	/* One list per possible CPU, as the statistics (s->nr_stats). */
	s->cpu_slab = aligned_alloc(__alignof__(*s->cpu_slab),
				    s->nr_stats * sizeof(*s->cpu_slab));
	if (!s->cpu_slab)
		return -ENOMEM;
	memset(s->cpu_slab, 0, s->nr_stats * sizeof(*s->cpu_slab));
	return 0;
}

void *slab_cpu_pop(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c;

	if (!current)
		return NULL;
	c = &s->cpu_slab[raw_smp_processor_id()];
	return c->nr ? c->objs[--c->nr] : NULL;
}

bool slab_cpu_push(struct kmem_cache *s, void *p)
{
	struct kmem_cache_cpu *c;
	unsigned int i, half = SLAB_CPU_OBJS / 2;

	if (!current)
		return false;
	c = &s->cpu_slab[raw_smp_processor_id()];
	if (c->nr == SLAB_CPU_OBJS) {
		for (i = 0; i < half; i++)
			zsim_mem_free(c->objs[i]);
		memmove(c->objs, c->objs + half, (SLAB_CPU_OBJS - half) * sizeof(c->objs[0]));
		c->nr -= half;
	}
	c->objs[c->nr++] = p;
	return true;
}

void slab_cpu_release(struct kmem_cache *s)
{
	unsigned int cpu, i;

	if (!s->cpu_slab)
		return;
	for (cpu = 0; cpu < s->nr_stats; cpu++)
		for (i = 0; i < s->cpu_slab[cpu].nr; i++)
			zsim_mem_free(s->cpu_slab[cpu].objs[i]);
	free(s->cpu_slab);
	s->cpu_slab = NULL;
}
