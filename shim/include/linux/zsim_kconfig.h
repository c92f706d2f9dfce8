/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated kernel's configuration: the options whose behaviour the
 * shim provides. Code tests them with IS_ENABLED().
 */
#ifndef _SHIM_LINUX_ZSIM_KCONFIG_H
#define _SHIM_LINUX_ZSIM_KCONFIG_H

#define CONFIG_SMP 1
#define CONFIG_NUMA 1
#define CONFIG_MMU 1
#define CONFIG_64BIT 1
#define CONFIG_PREEMPTION 1
#define CONFIG_DEBUG_ATOMIC_SLEEP 1
#define CONFIG_DEBUG_PREEMPT 1
#define CONFIG_DEBUG_VM 1
#define CONFIG_LOCKDEP 1
#define CONFIG_PROVE_LOCKING 1
#define CONFIG_PROVE_RCU 1
#define CONFIG_HOTPLUG_CPU 1
#define CONFIG_DEBUG_FS 1

/*
 * Options chosen when the library is configured (meson_options.txt, e.g.
 * CONFIG_ZSMALLOC_CHAIN_SIZE), from the build's generated zsim_config.h.
 * Code outside the library's build does not see them.
 */
#if __has_include(<zsim_config.h>)
#include <zsim_config.h>
#endif

#endif /* _SHIM_LINUX_ZSIM_KCONFIG_H */
