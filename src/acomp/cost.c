// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lookup in the software compressors' cost table (cost.h).
 */
#include <linux/string.h>
#include "cost.h"

const struct acomp_cost *acomp_cost_lookup(const char *driver)
{
	unsigned int i;

	for (i = 0; i < acomp_cost_table_len; i++)
		if (!strcmp(acomp_cost_table[i].driver, driver))
			return &acomp_cost_table[i];
	return NULL;
}
