// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU cost of the software compressors for the modelled timing mode
 * (cost.h): { fixed ns, ps per input byte, ps per output byte } for
 * compress, then decompress. Written by bench/acomp-calibrate; rerun it
 * to recalibrate:
 *	build/bench/acomp-calibrate --output src/acomp/cost_table.c
 */
#include <linux/kernel.h>
#include "cost.h"

const struct acomp_cost acomp_cost_table[] = {
	{ "lz4-generic", { 270, 188, 442 }, { 52, 0, 85 } },
	{ "lz4hc-generic", { 2203, 474, 3589 }, { 115, 9, 58 } },
	{ "zstd-generic", { 1506, 923, 928 }, { 645, 0, 250 } },
	{ "deflate-generic", { 1240, 4748, 9957 }, { 0, 30, 2506 } },
};

const unsigned int acomp_cost_table_len = ARRAY_SIZE(acomp_cost_table);
