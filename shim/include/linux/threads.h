/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_THREADS_H
#define _SHIM_LINUX_THREADS_H

/* Compile-time ceiling on possible CPUs (CONFIG_NR_CPUS). */
#define NR_CPUS		256
#define PID_MAX_DEFAULT	0x8000

#endif /* _SHIM_LINUX_THREADS_H */
