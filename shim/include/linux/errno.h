/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Error numbers. glibc's <errno.h> reaches the uapi <linux/errno.h> through
 * this header, so the uapi numbers come first via #include_next; the
 * kernel-internal codes (>= 512) follow.
 */
#ifndef _SHIM_LINUX_ERRNO_H
#define _SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#define ERESTARTSYS	512
#define ENOTSUPP	524
#define EPROBE_DEFER	517

#endif /* _SHIM_LINUX_ERRNO_H */
