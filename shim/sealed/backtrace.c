// SPDX-License-Identifier: GPL-2.0-only
/* glibc's backtrace(3), for reports; sealed like the other libraries. */
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>

#include "../include/sim/sealed.h"

int zsim_backtrace(void **buf, int size)
{
	return backtrace(buf, size);
}

void zsim_backtrace_print(FILE *out, void *const *buf, int depth)
{
	char **syms = backtrace_symbols((void *const *)buf, depth);
	int i;

	for (i = 0; i < depth; i++)
		fprintf(out, "  %s\n", syms ? syms[i] : "?");
	free(syms);
}
