// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-CPU allocator (mm/percpu.c), in miniature.
 *
 * One virtual area of NR_CPUS units (PCPU_UNIT_SIZE each) is reserved when
 * the library is loaded, before any constructor of user code needs it, or
 * on first use (whichever comes first; pthread_once). Only what is used is
 * ever touched: the mapping is MAP_NORESERVE. An offset inside a unit is
 * handed out by a first-fit allocator over a sorted table of extents; the
 * same offset in every unit is the allocation's slot for that CPU.
 *
 * Static per-CPU sections (DEFINE_PER_CPU, see <linux/percpu-defs.h>) are
 * extents too, marked static: they are never freed and are not leaks.
 *
 * Differences from the kernel: a single chunk of fixed size (8 MiB per
 * CPU) instead of chunks created on demand; no memcg accounting; no
 * reserved chunk for modules.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/poison.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <asm/page.h>
#include <sim/init.h>
#include <sim/rawlock.h>
#include <sim/report.h>
#include <sim/sched.h>
#include <sim/sealed.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifdef ZSIM_SANITIZE
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(addr, size)	((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size)	((void)(addr), (void)(size))
#endif

#define PCPU_AREA_SIZE		((unsigned long)NR_CPUS << PCPU_UNIT_SHIFT)
#define PCPU_STACK_DEPTH	10
#define PCPU_MAX_SECTIONS	64
#define PCPU_LEAKS_SHOWN	8

struct pcpu_extent {
	unsigned long	off;		/* from the start of a unit */
	unsigned long	size;		/* rounded to PCPU_MIN_ALLOC_SIZE */
	bool		is_static;	/* a registered DEFINE_PER_CPU section */
	int		nr_frames;
	void		*stack[PCPU_STACK_DEPTH];	/* who allocated it */
};

/* A module's "zsim_percpu" section and where its copies live. */
struct pcpu_section {
	unsigned long	start, stop;	/* the template, in the module */
	unsigned long	delta;		/* CPU 0's copy minus the template */
};

char *pcpu_base_addr;

static pthread_once_t pcpu_area_once = PTHREAD_ONCE_INIT;
static DEFINE_FAULT_SITE(percpu_fault, "percpu");

/*
 * Everything below is protected by pcpu_lock, a raw lock: its sections do
 * no scheduling point, only table updates and memset()s of a slot.
 */
static struct sim_rawlock pcpu_lock = SIM_RAWLOCK_INIT;
static struct pcpu_extent *pcpu_extents;	/* sorted by offset */
static size_t pcpu_nr_extents, pcpu_cap_extents;
static unsigned long pcpu_static_bytes;
static unsigned long pcpu_dyn_allocs, pcpu_dyn_bytes;
/* Highest nr_cpu_ids seen: the units that ASan poisoning must cover. */
static unsigned int pcpu_nr_units_seen;

static struct pcpu_section pcpu_sections[PCPU_MAX_SECTIONS];
static unsigned int pcpu_nr_sections;		/* published with release */

static inline char *pcpu_unit_addr(unsigned int cpu, unsigned long off)
{
	return pcpu_base_addr + ((unsigned long)cpu << PCPU_UNIT_SHIFT) + off;
}

/* ---- the area ---- */

static void pcpu_area_create(void)
{
	void *p = mmap(NULL, PCPU_AREA_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, "zswapsim: percpu: cannot reserve %lu MiB of address space: %s\n",
			PCPU_AREA_SIZE >> 20, strerror(errno));
		return;
	}
	__atomic_store_n(&pcpu_base_addr, (char *)p, __ATOMIC_RELEASE);
}

static bool pcpu_area_ensure(void)
{
	pthread_once(&pcpu_area_once, pcpu_area_create);
	return pcpu_base_addr != NULL;
}

/* Reserve the area before user code's constructors can define per-CPU data. */
static void __attribute__((constructor(101))) pcpu_early_init(void)
{
	pcpu_area_ensure();
}

/* ---- the extent table (pcpu_lock held) ---- */

/* Index of the extent starting at @off, or -1. */
static long pcpu_find_extent(unsigned long off)
{
	size_t lo = 0, hi = pcpu_nr_extents;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (pcpu_extents[mid].off == off)
			return mid;
		if (pcpu_extents[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The extent containing @off, or NULL. */
static struct pcpu_extent *pcpu_extent_containing(unsigned long off)
{
	size_t lo = 0, hi = pcpu_nr_extents;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		struct pcpu_extent *e = &pcpu_extents[mid];

		if (off < e->off)
			hi = mid;
		else if (off >= e->off + e->size)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

/*
 * First fit: the lowest offset where @size bytes aligned to @align fit
 * between two extents. Returns the new extent (inserted in order), or NULL
 * when the unit is full or the table cannot grow.
 */
static struct pcpu_extent *pcpu_alloc_extent(unsigned long size, unsigned long align)
{
	unsigned long prev_end = 0, start, limit;
	struct pcpu_extent *e;
	size_t i;

	if (pcpu_nr_extents == pcpu_cap_extents) {
		size_t cap = pcpu_cap_extents ? 2 * pcpu_cap_extents : 256;
		void *p = realloc(pcpu_extents, cap * sizeof(*pcpu_extents));

		if (!p)
			return NULL;
		pcpu_extents = p;
		pcpu_cap_extents = cap;
	}
	for (i = 0; i <= pcpu_nr_extents; i++) {
		start = ALIGN(prev_end, align);
		limit = i < pcpu_nr_extents ? pcpu_extents[i].off : PCPU_UNIT_SIZE;
		if (start + size <= limit)
			break;
		if (i < pcpu_nr_extents)
			prev_end = pcpu_extents[i].off + pcpu_extents[i].size;
	}
	if (i > pcpu_nr_extents)
		return NULL;
	memmove(&pcpu_extents[i + 1], &pcpu_extents[i],
		(pcpu_nr_extents - i) * sizeof(*pcpu_extents));
	pcpu_nr_extents++;
	e = &pcpu_extents[i];
	memset(e, 0, sizeof(*e));
	e->off = start;
	e->size = size;
	return e;
}

/*
 * Fill a freed range with POISON_FREE in every possible CPU's unit, then
 * make it inaccessible to ASan in every unit any machine has used.
 */
static void pcpu_poison_range(unsigned long off, unsigned long size)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		memset(pcpu_unit_addr(cpu, off), POISON_FREE, size);
	for (cpu = 0; cpu < pcpu_nr_units_seen; cpu++)
		ASAN_POISON_MEMORY_REGION(pcpu_unit_addr(cpu, off), size);
}

static void pcpu_remove_extent(size_t i)
{
	struct pcpu_extent *e = &pcpu_extents[i];

	pcpu_poison_range(e->off, e->size);
	if (!e->is_static) {
		pcpu_dyn_allocs--;
		pcpu_dyn_bytes -= e->size;
	}
	memmove(e, e + 1, (pcpu_nr_extents - i - 1) * sizeof(*e));
	pcpu_nr_extents--;
}

/* ---- static per-CPU sections ---- */

/*
 * Copy a section's template into @cpu's unit. The template is read without
 * ASan checks: compilers leave variables in named sections unpadded, but
 * a module built otherwise must not make the copy itself a report.
 */
__attribute__((no_sanitize_address))
static void pcpu_copy_template(const struct pcpu_section *s, unsigned int cpu)
{
	const volatile unsigned char *src = (const unsigned char *)s->start;
	unsigned char *dst = (unsigned char *)(s->start + s->delta) +
			     ((unsigned long)cpu << PCPU_UNIT_SHIFT);
	unsigned long i, len = s->stop - s->start;

	for (i = 0; i < len; i++)
		dst[i] = src[i];
}

void __pcpu_register_static(char *start, char *stop)
{
	unsigned long tstart = (unsigned long)start & PAGE_MASK;
	struct pcpu_section *s;
	struct pcpu_extent *e;
	unsigned int i, cpu;

	if (!start || start >= stop)
		return;
	if (!pcpu_area_ensure()) {
		fprintf(stderr, "zswapsim: percpu: no per-CPU area for static per-CPU data\n");
		abort();
	}
	sim_rawlock_lock(&pcpu_lock);
	for (i = 0; i < pcpu_nr_sections; i++) {
		if (pcpu_sections[i].start == (unsigned long)start) {
			sim_rawlock_unlock(&pcpu_lock);
			return;
		}
	}
	/*
	 * Map the template's page to a page-aligned static chunk, so every
	 * variable keeps its alignment (up to a page) in the copies.
	 */
	e = pcpu_nr_sections < PCPU_MAX_SECTIONS ?
	    pcpu_alloc_extent(ALIGN((unsigned long)stop - tstart, PCPU_MIN_ALLOC_SIZE), PAGE_SIZE) :
	    NULL;
	if (!e) {
		sim_rawlock_unlock(&pcpu_lock);
		fprintf(stderr, "zswapsim: percpu: cannot place %lu bytes of static per-CPU data\n",
			(unsigned long)(stop - start));
		abort();
	}
	e->is_static = true;
	pcpu_static_bytes += e->size;
	/* The range may have been a freed (poisoned) dynamic allocation. */
	for (cpu = 0; cpu < pcpu_nr_units_seen; cpu++)
		ASAN_UNPOISON_MEMORY_REGION(pcpu_unit_addr(cpu, e->off), e->size);
	s = &pcpu_sections[pcpu_nr_sections];
	s->start = (unsigned long)start;
	s->stop = (unsigned long)stop;
	s->delta = (unsigned long)pcpu_unit_addr(0, e->off) - tstart;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		pcpu_copy_template(s, cpu);
	__atomic_store_n(&pcpu_nr_sections, pcpu_nr_sections + 1, __ATOMIC_RELEASE);
	sim_rawlock_unlock(&pcpu_lock);
}

static const struct pcpu_section *pcpu_section_of(unsigned long addr)
{
	unsigned int i, n = __atomic_load_n(&pcpu_nr_sections, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (addr >= pcpu_sections[i].start && addr < pcpu_sections[i].stop)
			return &pcpu_sections[i];
	return NULL;
}

/* ---- address translation, the slow path ---- */

void *__pcpu_addr_slow(const void *ptr, unsigned int cpu)
{
	unsigned long addr = (unsigned long)ptr;
	unsigned long off = addr - (unsigned long)pcpu_base_addr;
	const struct pcpu_section *s;

	if (!ptr)
		return NULL;
	if (cpu >= nr_cpu_ids)
		WARN_ONCE(1, "per_cpu_ptr(%p, %u): CPU %u is not possible (nr_cpu_ids %u)",
			  ptr, cpu, cpu, nr_cpu_ids);
	if (off < PCPU_UNIT_SIZE)
		return (void *)(addr + ((unsigned long)cpu << PCPU_UNIT_SHIFT));
	s = pcpu_section_of(addr);
	if (s)
		return (void *)(addr + s->delta + ((unsigned long)cpu << PCPU_UNIT_SHIFT));
	if (off < PCPU_AREA_SIZE)
		WARN_ONCE(1, "per_cpu_ptr(%p): CPU %lu's copy passed where a per-CPU pointer is expected",
			  ptr, off >> PCPU_UNIT_SHIFT);
	else
		WARN_ONCE(1, "per_cpu_ptr(%p): not a per-CPU pointer", ptr);
	return (void *)ptr;
}

bool is_kernel_percpu_address(unsigned long addr)
{
	unsigned long off = addr - (unsigned long)pcpu_base_addr;
	struct pcpu_extent *e;
	bool ret;

	if (!pcpu_base_addr || off >= ((unsigned long)nr_cpu_ids << PCPU_UNIT_SHIFT))
		return false;
	sim_rawlock_lock(&pcpu_lock);
	e = pcpu_extent_containing(off & (PCPU_UNIT_SIZE - 1));
	ret = e && e->is_static;
	sim_rawlock_unlock(&pcpu_lock);
	return ret;
}

void __this_cpu_preempt_check(const char *op)
{
	struct task_struct *t = current;

	if (!t || t->preempt_count || t->irqs_disabled || t->migration_disabled ||
	    t->bound_cpu >= 0)
		return;
	sim_report_begin(SIM_REPORT_PREEMPT, "BUG: using __this_cpu_%s() in preemptible [%08x] code: %s/%d",
			 op, t->preempt_count, t->comm, t->pid);
	sim_report_backtrace();
	sim_report_end();
}

/* ---- allocation ---- */

static noinline void __percpu *pcpu_alloc(size_t size, size_t align, gfp_t gfp)
{
	bool do_warn = !(gfp & __GFP_NOWARN);
	struct pcpu_extent *e;
	unsigned long off;
	unsigned int cpu, units;
	void *stack[PCPU_STACK_DEPTH + 1];
	int depth;

	if (unlikely(!size || size > PCPU_MIN_UNIT_SIZE || align > PAGE_SIZE ||
		     !align || (align & (align - 1)))) {
		WARN(do_warn, "illegal size (%zu) or align (%zu) for percpu allocation",
		     size, align);
		return NULL;
	}
	if (gfpflags_allow_blocking(gfp))
		might_alloc(gfp);
	else
		sched_point();
	if (!(gfp & __GFP_NOFAIL) && should_fail_site(&percpu_fault))
		return NULL;
	if (!pcpu_area_ensure())
		return NULL;

	size = ALIGN(size, PCPU_MIN_ALLOC_SIZE);
	align = max_t(size_t, align, PCPU_MIN_ALLOC_SIZE);
	/* Frame 0 is zsim_backtrace() itself. */
	depth = zsim_backtrace(stack, ARRAY_SIZE(stack));

	sim_rawlock_lock(&pcpu_lock);
	e = pcpu_alloc_extent(size, align);
	if (e) {
		off = e->off;
		if (depth > 1) {
			e->nr_frames = depth - 1;
			memcpy(e->stack, stack + 1, e->nr_frames * sizeof(void *));
		}
		pcpu_dyn_allocs++;
		pcpu_dyn_bytes += size;
		pcpu_nr_units_seen = max(pcpu_nr_units_seen, nr_cpu_ids);
	}
	units = pcpu_nr_units_seen;
	sim_rawlock_unlock(&pcpu_lock);

	if (!e) {
		if (do_warn)
			pr_warn("percpu: allocation failed, size=%zu align=%zu atomic=%d, no space left in the %lu KiB unit\n",
				size, align, !gfpflags_allow_blocking(gfp), PCPU_UNIT_SIZE >> 10);
		return NULL;
	}
	/* The range is ours now: clear it in every unit, as the kernel does. */
	for (cpu = 0; cpu < units; cpu++)
		ASAN_UNPOISON_MEMORY_REGION(pcpu_unit_addr(cpu, off), size);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		memset(pcpu_unit_addr(cpu, off), 0, size);
	return (void __percpu *)pcpu_unit_addr(0, off);
}

void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp)
{
	return pcpu_alloc(size, align, gfp);
}

void __percpu *__alloc_percpu(size_t size, size_t align)
{
	return pcpu_alloc(size, align, GFP_KERNEL);
}

void free_percpu(void __percpu *ptr)
{
	unsigned long off = (unsigned long)ptr - (unsigned long)pcpu_base_addr;
	struct pcpu_extent *e;
	long i;

	if (!ptr)
		return;
	sched_point();
	if (off >= PCPU_UNIT_SIZE) {
		WARN(1, "free_percpu(%p): not a per-CPU pointer", ptr);
		return;
	}
	sim_rawlock_lock(&pcpu_lock);
	i = pcpu_find_extent(off);
	if (i < 0 || pcpu_extents[i].is_static) {
		e = pcpu_extent_containing(off);
		sim_rawlock_unlock(&pcpu_lock);
		if (i >= 0)
			WARN(1, "free_percpu(%p): a static per-CPU variable", ptr);
		else if (e)
			WARN(1, "free_percpu(%p): inside the allocation at %p, not its start",
			     ptr, pcpu_unit_addr(0, e->off));
		else
			WARN(1, "free_percpu(%p): not allocated (double free?)", ptr);
		return;
	}
	pcpu_remove_extent(i);
	sim_rawlock_unlock(&pcpu_lock);
}

/* ---- accounting ---- */

unsigned long pcpu_nr_live_allocs(void)
{
	return __atomic_load_n(&pcpu_dyn_allocs, __ATOMIC_RELAXED);
}

size_t pcpu_live_bytes(void)
{
	return __atomic_load_n(&pcpu_dyn_bytes, __ATOMIC_RELAXED);
}

unsigned long pcpu_nr_pages(void)
{
	unsigned long bytes = __atomic_load_n(&pcpu_dyn_bytes, __ATOMIC_RELAXED) +
			      pcpu_static_bytes;

	return DIV_ROUND_UP(bytes, PAGE_SIZE) * nr_cpu_ids;
}

/* ---- boot and shutdown ---- */

/* Drop every dynamic extent; returns how many there were. Lock held. */
static unsigned long pcpu_free_dynamic(void)
{
	unsigned long n = 0;
	size_t i = 0;

	while (i < pcpu_nr_extents) {
		if (pcpu_extents[i].is_static) {
			i++;
			continue;
		}
		pcpu_remove_extent(i);
		n++;
	}
	return n;
}

int percpu_init(void)
{
	unsigned int i, cpu;

	if (!pcpu_area_ensure())
		return -ENOMEM;
	sim_rawlock_lock(&pcpu_lock);
	/* Left over by a machine that deadlocked and was not shut down. */
	pcpu_free_dynamic();
	pcpu_nr_units_seen = max(pcpu_nr_units_seen, nr_cpu_ids);
	/* A fresh boot: every static per-CPU variable has its initial value. */
	for (i = 0; i < pcpu_nr_sections; i++)
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			pcpu_copy_template(&pcpu_sections[i], cpu);
	sim_rawlock_unlock(&pcpu_lock);
	return 0;
}

unsigned long percpu_exit(void)
{
	struct pcpu_extent shown[PCPU_LEAKS_SHOWN];
	unsigned long leaks, bytes, n_shown = 0;
	size_t i;

	sim_rawlock_lock(&pcpu_lock);
	leaks = pcpu_dyn_allocs;
	bytes = pcpu_dyn_bytes;
	for (i = 0; i < pcpu_nr_extents && n_shown < PCPU_LEAKS_SHOWN; i++)
		if (!pcpu_extents[i].is_static)
			shown[n_shown++] = pcpu_extents[i];
	pcpu_free_dynamic();
	sim_rawlock_unlock(&pcpu_lock);

	if (!leaks)
		return 0;
	sim_report_begin(SIM_REPORT_LEAK,
			 "percpu: %lu allocation(s), %lu bytes per CPU, still allocated at shutdown",
			 leaks, bytes);
	for (i = 0; i < n_shown; i++) {
		sim_report_printf("unreferenced per-CPU object %p (size %lu), allocated at:",
				  pcpu_unit_addr(0, shown[i].off), shown[i].size);
		sim_report_stack(shown[i].stack, shown[i].nr_frames);
	}
	if (leaks > n_shown)
		sim_report_printf("... and %lu more", leaks - n_shown);
	sim_report_end();
	return leaks;
}
