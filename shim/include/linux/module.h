/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Modules (<linux/module.h>).
 *
 * There are no loadable modules: every module is linked into the program
 * and, from the machine's point of view, loaded at machine start and
 * unloaded at machine stop (see <linux/init.h>). A module's name is
 * KBUILD_MODNAME, which its sources define (-DKBUILD_MODNAME=\"zswap\");
 * "kernel" when they do not. THIS_MODULE is NULL; module references never
 * fail; module information (license, author, ...) is not kept.
 */
#ifndef _SHIM_LINUX_MODULE_H
#define _SHIM_LINUX_MODULE_H

#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/types.h>

#define module_init(initfn)	___define_initcall(initfn, ZSIM_INITCALL_DEVICE, true)
#define module_exit(exitfn)	__exitcall(exitfn)

#define MODULE_INFO(tag, info)		__MODULE_INFO(tag, tag, info)
#define MODULE_LICENSE(_license)	MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author)		MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_desc)	MODULE_INFO(description, _desc)
#define MODULE_VERSION(_version)	MODULE_INFO(version, _version)
#define MODULE_ALIAS(_alias)		MODULE_INFO(alias, _alias)
#define MODULE_SOFTDEP(_softdep)	MODULE_INFO(softdep, _softdep)
#define MODULE_FIRMWARE(_firmware)	MODULE_INFO(firmware, _firmware)
#define MODULE_IMPORT_NS(ns)		MODULE_INFO(import_ns, #ns)
#define MODULE_DEVICE_TABLE(type, name)	MODULE_INFO(device_table, #name)

static inline bool try_module_get(struct module *module)
{
	(void)module;
	return true;
}

static inline void module_put(struct module *module)
{
	(void)module;
}

static inline void __module_get(struct module *module)
{
	(void)module;
}

static inline const char *module_name(const struct module *mod)
{
	(void)mod;
	return "kernel";
}

#define symbol_get(x)		(&(x))
#define symbol_put(x)		do { } while (0)

#endif /* _SHIM_LINUX_MODULE_H */
