// SPDX-License-Identifier: GPL-2.0-only
/*
 * printk (kernel/printk/printk.c): the level prefix decides whether the
 * message reaches stderr; there is no ring buffer.
 */
#include <linux/printk.h>
#include <stdio.h>

int console_loglevel = LOGLEVEL_DEFAULT;
static int last_level = 4;

int vprintk(const char *fmt, va_list args)
{
	int level = 4;	/* the kernel's default message level */

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			level = last_level;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	last_level = level;
	if (level >= console_loglevel)
		return 0;
	return vfprintf(stderr, fmt, args);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vprintk(fmt, ap);
	va_end(ap);
	return ret;
}

void zsim_set_loglevel(int level)
{
	console_loglevel = level;
}
