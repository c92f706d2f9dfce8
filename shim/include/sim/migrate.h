/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulator's kcompactd (shim/mm/migrate.c): migrate movable_ops pages
 * (zsmalloc's) chosen at random, for tests, fuzzers and benchmarks.
 */
#ifndef _SHIM_SIM_MIGRATE_H
#define _SHIM_SIM_MIGRATE_H

#include <linux/types.h>

/*
 * Walk the PFNs from a random start (wrapping once), take each page with
 * movable operations with probability 1/2 and migrate it, until @nr were
 * migrated or every PFN was seen. @seed makes the choice reproducible (the
 * outcome also depends on the schedule). Must run in a simulated task; may
 * sleep. Returns the number of pages migrated.
 */
unsigned long sim_migrate_random_movable(unsigned long nr, u64 seed);

#endif /* _SHIM_SIM_MIGRATE_H */
