// SPDX-License-Identifier: GPL-2.0-only
/*
 * Freed-object quarantine with poison checks (not a kernel file: SLUB's
 * SLAB_POISON check_object() and KASAN's quarantine in one small FIFO).
 *
 * A freed slab object is filled with POISON_FREE and POISON_END by
 * slab_free_ptr() and then kept here, still owned by the shim, instead of
 * going back to the host allocator at once. The quarantine is per CPU, as
 * KASAN's (one FIFO per CPU, up to QUARANTINE_SHARDS, so that frees on
 * different CPUs share no lock). When it leaves its FIFO (the oldest goes
 * when more than QUARANTINE_OBJS objects or QUARANTINE_BYTES bytes are held
 * in that CPU's), when its cache is destroyed and when the machine stops,
 * its poison is verified: a byte that changed means a write after free,
 * reported as SLUB reports it ("Poison overwritten"), with the cache, the
 * offset and the allocation and free sites. The memory is then released.
 *
 * Differences: SLUB checks the poison when the object is allocated again;
 * here it is checked when the object leaves the quarantine, so a write is
 * caught only if it happens while the object is held (the most recent
 * frees, bounded as above). Objects larger than QUARANTINE_MAX_OBJ skip
 * the quarantine. In sanitizer builds nothing is kept: the objects go to
 * libc's free(), whose ASan quarantine reports a write after free at the
 * write itself. With slub_debug off (struct zsim_config) there is no
 * poison and no quarantine: freed objects go back to the host at once.
 */
#include <linux/kernel.h>
#include <linux/poison.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <sim/rawlock.h>
#include <sim/report.h>
#include <sim/sealed.h>

#include "asan.h"
#include "slab.h"

#define QUARANTINE_OBJS		1024
#define QUARANTINE_BYTES	(4UL << 20)
#define QUARANTINE_MAX_OBJ	(QUARANTINE_BYTES / 16)
#define QUARANTINE_SHARDS	16

struct quarantined {
	struct slab_obj		obj;
	unsigned long		free_caller;
};

struct quarantine {
	struct sim_rawlock	lock;
	struct quarantined	ring[QUARANTINE_OBJS];
	unsigned int		head;		/* oldest */
	unsigned int		nr;
	size_t			bytes;
} __aligned(64);

static struct quarantine quarantines[QUARANTINE_SHARDS] = {
	[0 ... QUARANTINE_SHARDS - 1] = { .lock = SIM_RAWLOCK_INIT },
};

/* Offset of the first byte that is not the free poison, or -1. */
static long poison_damage(const unsigned char *p, size_t len)
{
	const u64 word = 0x0101010101010101ULL * POISON_FREE;
	size_t i = 0;
	u64 w;

	/* A word at a time (objects are freed often), then the damaged byte. */
	for (; i + sizeof(w) < len; i += sizeof(w)) {
		memcpy(&w, p + i, sizeof(w));
		if (w != word)
			break;
	}
	for (; i + 1 < len; i++)
		if (p[i] != POISON_FREE)
			return i;
	return p[len - 1] == (unsigned char)POISON_END ? -1 : (long)(len - 1);
}

static void report_overwritten(const struct quarantined *e, long off)
{
	const unsigned char *p = e->obj.ptr;
	unsigned char want = off + 1 == e->obj.usable ? POISON_END : POISON_FREE;
	void *alloc_site = (void *)e->obj.caller, *free_site = (void *)e->free_caller;
	size_t end = off;

	/* The damaged run, as SLUB prints it. */
	while (end + 1 < e->obj.usable && p[end + 1] != POISON_FREE)
		end++;
	sim_report_begin(SIM_REPORT_FAULT, "BUG %s: Poison overwritten", e->obj.cache->name);
	sim_report_printf("%p-%p @offset=%ld. First byte 0x%x instead of 0x%x",
			  (void *)(p + off), (void *)(p + end), off, p[off], want);
	sim_report_printf("Object %p (size %u, %u allocated) written to after it was freed",
			  (void *)p, e->obj.size, e->obj.usable);
	sim_report_printf("Allocated at:");
	sim_report_stack(&alloc_site, 1);
	sim_report_printf("Freed at:");
	sim_report_stack(&free_site, 1);
	sim_report_end();
}

/* Verify the poison of an object leaving the quarantine, then free it. */
static void release(const struct quarantined *e)
{
	long off = poison_damage(e->obj.ptr, e->obj.usable);

	if (unlikely(off >= 0))
		report_overwritten(e, off);
	zsim_mem_free((void *)e->obj.ptr);
}

/* q->lock held: take the oldest entry out. */
static struct quarantined pop_oldest(struct quarantine *q)
{
	struct quarantined e = q->ring[q->head];

	q->head = (q->head + 1) % QUARANTINE_OBJS;
	q->nr--;
	q->bytes -= e.obj.usable;
	return e;
}

void slab_quarantine_put(const struct slab_obj *obj, unsigned long free_caller)
{
	struct quarantined e = { .obj = *obj, .free_caller = free_caller };
	struct quarantine *q;

	if (ZSIM_ASAN || obj->usable > QUARANTINE_MAX_OBJ) {
		zsim_mem_free((void *)obj->ptr);
		return;
	}
	q = &quarantines[raw_smp_processor_id() % QUARANTINE_SHARDS];
	sim_rawlock_lock(&q->lock);
	while (q->nr == QUARANTINE_OBJS || q->bytes + obj->usable > QUARANTINE_BYTES) {
		struct quarantined old = pop_oldest(q);

		sim_rawlock_unlock(&q->lock);
		release(&old);
		sim_rawlock_lock(&q->lock);
	}
	q->ring[(q->head + q->nr) % QUARANTINE_OBJS] = e;
	q->nr++;
	q->bytes += obj->usable;
	sim_rawlock_unlock(&q->lock);
}

/*
 * Release every quarantined object of @s (of every cache if @s is NULL),
 * keeping the others in FIFO order. Checked under the lock: a destroy or
 * the machine's stop is not a fast path.
 */
static void drain_one(struct quarantine *q, struct kmem_cache *s)
{
	unsigned int i, kept = 0, nr;

	sim_rawlock_lock(&q->lock);
	nr = q->nr;
	for (i = 0; i < nr; i++) {
		struct quarantined e = pop_oldest(q);

		if (s && e.obj.cache != s) {
			q->ring[(q->head + q->nr + kept) % QUARANTINE_OBJS] = e;
			kept++;
			continue;
		}
		release(&e);
	}
	q->nr += kept;
	for (i = 0; i < kept; i++)
		q->bytes += q->ring[(q->head + i) % QUARANTINE_OBJS].obj.usable;
	sim_rawlock_unlock(&q->lock);
}

void slab_quarantine_drain(struct kmem_cache *s)
{
	unsigned int i;

	for (i = 0; i < QUARANTINE_SHARDS; i++)
		drain_one(&quarantines[i], s);
}
