/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IS_ENABLED() and friends (<linux/kconfig.h>). The simulator's kernel
 * configuration is a set of CONFIG_* macros defined to 1 in
 * <linux/zsim_kconfig.h>; an undefined option is off.
 */
#ifndef _SHIM_LINUX_KCONFIG_H
#define _SHIM_LINUX_KCONFIG_H

#include <linux/zsim_kconfig.h>

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __and(x, y)		___and(x, y)
#define ___and(x, y)		____and(__ARG_PLACEHOLDER_##x, y)
#define ____and(arg1_or_junk, y) __take_second_arg(arg1_or_junk y, 0)
#define __is_defined(x)		___is_defined(x)
#define ___is_defined(val)	____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)

#define IS_BUILTIN(option)	__is_defined(option)
#define IS_MODULE(option)	0
#define IS_REACHABLE(option)	__is_defined(option)
#define IS_ENABLED(option)	__is_defined(option)

#endif /* _SHIM_LINUX_KCONFIG_H */
