// SPDX-License-Identifier: GPL-2.0-only
/* get_random_*() on the simulator's seeded per-task streams. */
#include <linux/random.h>
#include <sim/sched.h>
#include <string.h>

u64 get_random_u64(void)
{
	return sim_random_u64();
}

u32 get_random_u32(void)
{
	return (u32)(sim_random_u64() >> 32);
}

u32 get_random_u32_below(u32 ceil)
{
	return ceil ? (u32)(((u64)get_random_u32() * ceil) >> 32) : 0;
}

void get_random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		u64 v = sim_random_u64();
		size_t n = len < sizeof(v) ? len : sizeof(v);

		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}
