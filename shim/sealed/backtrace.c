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

/*
 * Call @line for each frame, symbolised by backtrace_symbols(): names of
 * functions in the dynamic symbol table only (executables linked with
 * -rdynamic, shared objects), the address otherwise. At most
 * ZSIM_FRAME_LINE_MAX - 1 characters a line.
 */
void zsim_backtrace_lines(void *const *buf, int depth,
			  void (*line)(void *arg, const char *text), void *arg)
{
	char **syms = depth > 0 ? backtrace_symbols((void *const *)buf, depth) : NULL;
	char text[ZSIM_FRAME_LINE_MAX];
	int i;

	for (i = 0; i < depth; i++) {
		if (syms)
			snprintf(text, sizeof(text), "%s", syms[i]);
		else
			snprintf(text, sizeof(text), "[<%p>]", buf[i]);
		line(arg, text);
	}
	free(syms);
}
