/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Random numbers (<linux/random.h>, <linux/prandom.h>). Not random at all:
 * every value comes from the calling task's stream, seeded from the
 * machine's seed and the task's pid, so a controlled run is reproducible.
 */
#ifndef _SHIM_LINUX_RANDOM_H
#define _SHIM_LINUX_RANDOM_H

#include <linux/types.h>

u32 get_random_u32(void);
u64 get_random_u64(void);
u32 get_random_u32_below(u32 ceil);
void get_random_bytes(void *buf, size_t len);

static inline u32 prandom_u32_max(u32 ceil)
{
	return get_random_u32_below(ceil);
}

#endif /* _SHIM_LINUX_RANDOM_H */
