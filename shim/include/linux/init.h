/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Initcalls (<linux/init.h>).
 *
 * Each *_initcall(fn) registers @fn, at program start (a constructor), with
 * its level. do_initcalls() runs them at every machine start, in the boot
 * task after the core subsystems are up, level by level (early, pure,
 * core, postcore, arch, subsys, fs, rootfs, device, late; each _sync level
 * right after its own) and within a level in registration order, which is
 * link order as in the kernel. module_init(fn) is device_initcall(fn), and
 * module_exit(fn) registers @fn to run at machine stop, in reverse order of
 * the modules' initcalls; it does not run for a module whose initcall
 * failed, as a module that fails to load is never unloaded.
 *
 * Difference: the kernel runs initcalls once per boot and never calls the
 * exit functions of built-in code; the simulator boots many machines in one
 * process, so every module behaves as a loadable module that is loaded at
 * machine start and unloaded at machine stop. Module code must reset its
 * static state in its exit function. Only objects linked into the program
 * register their initcalls: an object pulled from a static library only
 * when referenced must be linked whole.
 */
#ifndef _SHIM_LINUX_INIT_H
#define _SHIM_LINUX_INIT_H

#include <linux/compiler.h>
#include <linux/types.h>

#ifndef __initconst
#define __initconst
#endif
#ifndef __exitdata
#define __exitdata
#endif
#ifndef __exit_call
#define __exit_call
#endif
#ifndef __ref
#define __ref
#endif
#ifndef __refdata
#define __refdata
#endif
#ifndef __refconst
#define __refconst
#endif
#ifndef __meminit
#define __meminit
#endif
#ifndef __meminitdata
#define __meminitdata
#endif
#ifndef __init_or_module
#define __init_or_module
#endif
#ifndef __initdata_or_module
#define __initdata_or_module
#endif

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

enum zsim_initcall_level {
	ZSIM_INITCALL_EARLY,
	ZSIM_INITCALL_PURE,
	ZSIM_INITCALL_CORE,
	ZSIM_INITCALL_CORE_SYNC,
	ZSIM_INITCALL_POSTCORE,
	ZSIM_INITCALL_POSTCORE_SYNC,
	ZSIM_INITCALL_ARCH,
	ZSIM_INITCALL_ARCH_SYNC,
	ZSIM_INITCALL_SUBSYS,
	ZSIM_INITCALL_SUBSYS_SYNC,
	ZSIM_INITCALL_FS,
	ZSIM_INITCALL_FS_SYNC,
	ZSIM_INITCALL_ROOTFS,
	ZSIM_INITCALL_DEVICE,
	ZSIM_INITCALL_DEVICE_SYNC,
	ZSIM_INITCALL_LATE,
	ZSIM_INITCALL_LATE_SYNC,
	ZSIM_INITCALL_NR
};

#ifdef KBUILD_MODNAME
#define __ZSIM_MODNAME	KBUILD_MODNAME
#else
#define __ZSIM_MODNAME	"kernel"
#endif

/* Called by the constructors below (shim/kernel/module.c). */
void zsim_register_initcall(initcall_t fn, int level, const char *fn_name,
			    const char *modname, bool module_init);
void zsim_register_exitcall(exitcall_t fn, const char *fn_name, const char *modname);

/* Run by the machine's boot and shutdown tasks (shim/init/main.c). */
void do_initcalls(void);
void do_exitcalls(void);

#define ___define_initcall(fn, level, is_module)			\
	static void __attribute__((constructor))			\
	__PASTE(__zsim_initcall_, __PASTE(fn, __LINE__))(void)		\
	{								\
		zsim_register_initcall(fn, level, #fn, __ZSIM_MODNAME,	\
				       is_module);			\
	}								\
	extern int __zsim_initcall_unused

#define __define_initcall(fn, level)	___define_initcall(fn, level, false)

#define early_initcall(fn)		__define_initcall(fn, ZSIM_INITCALL_EARLY)
#define pure_initcall(fn)		__define_initcall(fn, ZSIM_INITCALL_PURE)
#define core_initcall(fn)		__define_initcall(fn, ZSIM_INITCALL_CORE)
#define core_initcall_sync(fn)		__define_initcall(fn, ZSIM_INITCALL_CORE_SYNC)
#define postcore_initcall(fn)		__define_initcall(fn, ZSIM_INITCALL_POSTCORE)
#define postcore_initcall_sync(fn)	__define_initcall(fn, ZSIM_INITCALL_POSTCORE_SYNC)
#define arch_initcall(fn)		__define_initcall(fn, ZSIM_INITCALL_ARCH)
#define arch_initcall_sync(fn)		__define_initcall(fn, ZSIM_INITCALL_ARCH_SYNC)
#define subsys_initcall(fn)		__define_initcall(fn, ZSIM_INITCALL_SUBSYS)
#define subsys_initcall_sync(fn)	__define_initcall(fn, ZSIM_INITCALL_SUBSYS_SYNC)
#define fs_initcall(fn)			__define_initcall(fn, ZSIM_INITCALL_FS)
#define fs_initcall_sync(fn)		__define_initcall(fn, ZSIM_INITCALL_FS_SYNC)
#define rootfs_initcall(fn)		__define_initcall(fn, ZSIM_INITCALL_ROOTFS)
#define device_initcall(fn)		__define_initcall(fn, ZSIM_INITCALL_DEVICE)
#define device_initcall_sync(fn)	__define_initcall(fn, ZSIM_INITCALL_DEVICE_SYNC)
#define late_initcall(fn)		__define_initcall(fn, ZSIM_INITCALL_LATE)
#define late_initcall_sync(fn)		__define_initcall(fn, ZSIM_INITCALL_LATE_SYNC)

#define __initcall(fn)			device_initcall(fn)

#define __exitcall(fn)							\
	static void __attribute__((constructor))			\
	__PASTE(__zsim_exitcall_, __PASTE(fn, __LINE__))(void)		\
	{								\
		zsim_register_exitcall(fn, #fn, __ZSIM_MODNAME);	\
	}								\
	extern int __zsim_initcall_unused

#endif /* _SHIM_LINUX_INIT_H */
