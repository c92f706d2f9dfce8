// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scenarios linked into a race-fuzz binary. Each scenario file
 * registers itself from a constructor (FUZZ_SCENARIO()), so a binary's list
 * is what it links: race-fuzz has the general and known-race scenarios,
 * the driver's self-test binary adds its self-test scenarios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define FUZZ_MAX_SCENARIOS	64

static const struct fuzz_scenario *fuzz_scenarios[FUZZ_MAX_SCENARIOS];
static unsigned int fuzz_nr_scenarios;

/* Kept sorted by name, so that --list and fuzz_for_each() are stable. */
void fuzz_register(const struct fuzz_scenario *s)
{
	unsigned int i;

	if (fuzz_find(s->name)) {
		fprintf(stderr, "race-fuzz: scenario \"%s\" registered twice\n", s->name);
		abort();
	}
	if (fuzz_nr_scenarios == FUZZ_MAX_SCENARIOS) {
		fprintf(stderr, "race-fuzz: more than %d scenarios\n", FUZZ_MAX_SCENARIOS);
		abort();
	}
	for (i = fuzz_nr_scenarios; i > 0; i--) {
		if (strcmp(fuzz_scenarios[i - 1]->name, s->name) < 0)
			break;
		fuzz_scenarios[i] = fuzz_scenarios[i - 1];
	}
	fuzz_scenarios[i] = s;
	fuzz_nr_scenarios++;
}

const struct fuzz_scenario *fuzz_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < fuzz_nr_scenarios; i++)
		if (!strcmp(fuzz_scenarios[i]->name, name))
			return fuzz_scenarios[i];
	return NULL;
}

void fuzz_for_each(void (*fn)(const struct fuzz_scenario *s, void *arg), void *arg)
{
	unsigned int i;

	for (i = 0; i < fuzz_nr_scenarios; i++)
		fn(fuzz_scenarios[i], arg);
}
