/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Schedule strings: the controlled backend's decisions as replayable text,
 * "z1:<seed hex>:<decisions>[:stay]" (shim/kernel/sched/schedule_string.c).
 * Not a kernel API: the scheduler records and replays them, and tools that
 * edit schedules (race-fuzz's shrinker) parse and format them here rather
 * than keeping a codec of their own.
 */
#ifndef _SHIM_SIM_SCHEDULE_H
#define _SHIM_SIM_SCHEDULE_H

#include <linux/types.h>

struct sched_trace {
	u32	*vals;
	size_t	nr;
	size_t	cap;
	size_t	pos;	/* replay cursor */
};

int sched_trace_push(struct sched_trace *tr, u32 val);
/* Append a decision of the run; its growth is the "sched_trace" fault site. */
int sched_trace_record(struct sched_trace *tr, u32 val);
/* The decisions alone as text; returns a malloc'ed string. */
char *sched_trace_encode(const struct sched_trace *tr);
/* Parse decisions into @tr; -EINVAL with a message on bad input. */
int sched_trace_decode(struct sched_trace *tr, const char *str);
void sched_trace_free(struct sched_trace *tr);

/*
 * A whole schedule string. @stay: after its decisions the run goes on
 * without preemption (decisions relative to "stay", zsim_schedule_stay()).
 * schedule_format() returns a malloc'ed string or NULL; schedule_parse()
 * returns 0, -ENOMEM, or -EINVAL with a message (also for a string whose
 * run lost decisions, "z1:<seed>:!truncated", which must not be replayed).
 */
#define SCHEDULE_TRUNCATED	"!truncated"
char *schedule_format(u64 seed, const struct sched_trace *tr, bool stay);
int schedule_parse(const char *str, u64 *seed, struct sched_trace *tr, bool *stay);

#endif /* _SHIM_SIM_SCHEDULE_H */
