/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Module parameters (<linux/moduleparam.h>).
 *
 * module_param() and friends register each parameter, at program start (a
 * constructor), in a registry keyed by module and parameter name, the
 * module being the text before the first '.' of MODULE_PARAM_PREFIX
 * (KBUILD_MODNAME "." by default, "kernel." when KBUILD_MODNAME is not
 * defined). zsim_param_set()/zsim_param_get() and zsim_dump_params()
 * (include/zswapsim.h) read and write them as /sys/module/NAME/parameters/
 * does: under kernel_param_lock(), through ops->set and ops->get, -EACCES
 * writing a parameter without write permission, -ENOENT for a parameter
 * with permission 0 (it has no sysfs file).
 *
 * Differences: parameters are process-wide, so a value set at run time
 * survives zsim_machine_stop() and applies to the next machine in the same
 * process (the kernel has no equivalent of a reboot that keeps module
 * state); there is no kernel command line, so parameters are set only
 * through zsim_param_set(). Array parameters are not provided.
 */
#ifndef _SHIM_LINUX_MODULEPARAM_H
#define _SHIM_LINUX_MODULEPARAM_H

#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/types.h>

#ifndef MODULE_PARAM_PREFIX
#ifdef KBUILD_MODNAME
#define MODULE_PARAM_PREFIX	KBUILD_MODNAME "."
#else
#define MODULE_PARAM_PREFIX	"kernel."
#endif
#endif

#define MAX_PARAM_PREFIX_LEN	(64 - sizeof(unsigned long))
#define MODULE_NAME_LEN		MAX_PARAM_PREFIX_LEN

/* Module information is not kept: these only have to compile. */
#define __MODULE_INFO(tag, name, info)	extern int __zsim_modinfo_unused
#define __MODULE_PARM_TYPE(name, _type)	__MODULE_INFO(parmtype, name##type, #name ":" _type)
#define MODULE_PARM_DESC(_parm, desc)	__MODULE_INFO(parm, _parm, #_parm ":" desc)

struct kernel_param;

enum {
	KERNEL_PARAM_OPS_FL_NOARG = (1 << 0),
};

struct kernel_param_ops {
	unsigned int flags;
	/* Parse @val into kp->arg; negative errno on failure. */
	int (*set)(const char *val, const struct kernel_param *kp);
	/* Print kp->arg into @buffer (PAGE_SIZE bytes); returns the length. */
	int (*get)(char *buffer, const struct kernel_param *kp);
	/* Free what set() allocated. */
	void (*free)(void *arg);
};

enum {
	KERNEL_PARAM_FL_UNSAFE	= (1 << 0),
	KERNEL_PARAM_FL_HWPARAM	= (1 << 1),
};

struct kparam_string {
	unsigned int maxlen;
	char *string;
};

struct kernel_param {
	const char *name;		/* "module.param" */
	struct module *mod;
	const struct kernel_param_ops *ops;
	const u16 perm;
	s8 level;
	u8 flags;
	union {
		void *arg;
		const struct kparam_string *str;
	};
};

/* Register @kp (called by the module_param*() constructors). */
void zsim_param_register(const struct kernel_param *kp);

/*
 * The parameter, its name string, and a constructor that registers it.
 * Ends with a declaration so the caller's ';' is not an empty declaration.
 */
#define __module_param_call(prefix, name, ops, arg, perm, level, flags)	\
	static const char __param_str_##name[] = prefix #name;		\
	static struct kernel_param __param_##name = {			\
		__param_str_##name, THIS_MODULE, ops, (perm), level,	\
		flags, { arg } };					\
	static void __attribute__((constructor)) __param_register_##name(void) \
	{								\
		zsim_param_register(&__param_##name);			\
	}								\
	extern int __zsim_modinfo_unused

#define module_param_cb(name, ops, arg, perm)				\
	__module_param_call(MODULE_PARAM_PREFIX, name, ops, arg, perm, -1, 0)
#define module_param_cb_unsafe(name, ops, arg, perm)			\
	__module_param_call(MODULE_PARAM_PREFIX, name, ops, arg, perm, -1, \
			    KERNEL_PARAM_FL_UNSAFE)

/* Type check of the variable against the parameter type, as the kernel. */
#define __param_check(name, p, type)					\
	static inline type __always_unused *__check_##name(void) { return (p); } \
	extern int __zsim_modinfo_unused

#define module_param_named(name, value, type, perm)			\
	param_check_##type(name, &(value));				\
	module_param_cb(name, &param_ops_##type, &value, perm);		\
	__MODULE_PARM_TYPE(name, #type)
#define module_param_named_unsafe(name, value, type, perm)		\
	param_check_##type(name, &(value));				\
	module_param_cb_unsafe(name, &param_ops_##type, &value, perm);	\
	__MODULE_PARM_TYPE(name, #type)
#define module_param(name, type, perm)					\
	module_param_named(name, name, type, perm)
#define module_param_unsafe(name, type, perm)				\
	module_param_named_unsafe(name, name, type, perm)

#define module_param_string(name, string, len, perm)			\
	static const struct kparam_string __param_string_##name = {	\
		len, string };						\
	__module_param_call(MODULE_PARAM_PREFIX, name, &param_ops_string, \
			    .str = &__param_string_##name, perm, -1, 0);	\
	__MODULE_PARM_TYPE(name, "string")

/* The lock sysfs holds around ops->set and ops->get. */
void kernel_param_lock(struct module *mod);
void kernel_param_unlock(struct module *mod);

#define DECLARE_PARAM_TYPE(type)					\
	extern const struct kernel_param_ops param_ops_##type;		\
	int param_set_##type(const char *val, const struct kernel_param *kp); \
	int param_get_##type(char *buffer, const struct kernel_param *kp)

DECLARE_PARAM_TYPE(byte);
DECLARE_PARAM_TYPE(short);
DECLARE_PARAM_TYPE(ushort);
DECLARE_PARAM_TYPE(int);
DECLARE_PARAM_TYPE(uint);
DECLARE_PARAM_TYPE(long);
DECLARE_PARAM_TYPE(ulong);
DECLARE_PARAM_TYPE(ullong);
DECLARE_PARAM_TYPE(hexint);
DECLARE_PARAM_TYPE(charp);
DECLARE_PARAM_TYPE(bool);
DECLARE_PARAM_TYPE(invbool);

void param_free_charp(void *arg);
int param_set_bool_enable_only(const char *val, const struct kernel_param *kp);
extern const struct kernel_param_ops param_ops_bool_enable_only;
/* module_param_string(): a fixed-size buffer (struct kparam_string). */
extern const struct kernel_param_ops param_ops_string;
int param_set_copystring(const char *val, const struct kernel_param *kp);
int param_get_string(char *buffer, const struct kernel_param *kp);

#define param_check_byte(name, p)	__param_check(name, p, unsigned char)
#define param_check_short(name, p)	__param_check(name, p, short)
#define param_check_ushort(name, p)	__param_check(name, p, unsigned short)
#define param_check_int(name, p)	__param_check(name, p, int)
#define param_check_uint(name, p)	__param_check(name, p, unsigned int)
#define param_check_long(name, p)	__param_check(name, p, long)
#define param_check_ulong(name, p)	__param_check(name, p, unsigned long)
#define param_check_ullong(name, p)	__param_check(name, p, unsigned long long)
#define param_check_hexint(name, p)	__param_check(name, p, unsigned int)
#define param_check_charp(name, p)	__param_check(name, p, char *)
#define param_check_bool(name, p)	__param_check(name, p, bool)
#define param_check_bool_enable_only	param_check_bool
#define param_check_invbool(name, p)	__param_check(name, p, bool)

/*
 * <stdbool.h> makes bool a macro, so a "bool" type argument reaches
 * module_param_named() as _Bool (the kernel's bool is a typedef).
 */
#define param_check__Bool		param_check_bool
#define param_ops__Bool			param_ops_bool

#endif /* _SHIM_LINUX_MODULEPARAM_H */
