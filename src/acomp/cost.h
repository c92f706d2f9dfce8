/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU cost model of the software compressors, for the modelled timing mode
 * (<sim/timing.h>): per driver and direction, a fixed cost per call plus a
 * cost per input byte and per output byte. The table (cost_table.c) is
 * what bench/acomp-calibrate measured on some machine; it writes a new one
 * in the same format (docs/acomp.md).
 */
#ifndef _ACOMP_COST_H
#define _ACOMP_COST_H

#include <linux/types.h>

struct acomp_cost_dir {
	u64 fixed_ns;		/* per call */
	u32 in_ps;		/* picoseconds per input byte */
	u32 out_ps;		/* picoseconds per output byte */
};

struct acomp_cost {
	const char *driver;	/* cra_driver_name */
	struct acomp_cost_dir comp;
	struct acomp_cost_dir decomp;
};

extern const struct acomp_cost acomp_cost_table[];
extern const unsigned int acomp_cost_table_len;

/* The entry of @driver, or NULL. */
const struct acomp_cost *acomp_cost_lookup(const char *driver);

static inline u64 acomp_cost_ns(const struct acomp_cost_dir *d,
				unsigned int in, unsigned int out)
{
	return d->fixed_ns + ((u64)d->in_ps * in + (u64)d->out_ps * out) / 1000;
}

#endif /* _ACOMP_COST_H */
