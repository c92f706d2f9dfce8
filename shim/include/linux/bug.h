/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * BUG() and WARN() (<linux/bug.h>, <asm-generic/bug.h>, <linux/mmdebug.h>).
 *
 * A WARN prints "WARNING: CPU: n PID: p at file:line" with a backtrace and
 * is counted (sim_report_count(SIM_REPORT_WARN)); the task goes on. A BUG
 * prints "kernel BUG at file:line!" with a backtrace, is counted, and kills
 * the running simulated task as an oops would (its locks stay held). On a
 * thread that is not a simulated task a BUG aborts the process.
 * VM_BUG_ON and VM_WARN_ON are checked, as with CONFIG_DEBUG_VM.
 */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <linux/build_bug.h>
#include <linux/compiler.h>

void __warn_printf(const char *file, int line, const char *fmt, ...) __printf(3, 4);
void __noreturn __bug(const char *file, int line, const char *cond);

#define BUG()		__bug(__FILE__, __LINE__, NULL)
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		__bug(__FILE__, __LINE__, #cond);			\
} while (0)

#define WARN(cond, fmt, ...) ({						\
	int __ret_warn_on = !!(cond);					\
	if (unlikely(__ret_warn_on))					\
		__warn_printf(__FILE__, __LINE__, fmt, ##__VA_ARGS__);	\
	unlikely(__ret_warn_on);					\
})
#define WARN_ON(cond)		WARN(cond, "%s", "")
/*
 * "Once" means once per boot: the flag remembers the boot it fired in, so
 * every simulated machine started in a process warns afresh.
 */
extern unsigned long sim_boot_id;
#define __once_per_boot(flag) \
	(__atomic_exchange_n(&(flag), sim_boot_id, __ATOMIC_RELAXED) != sim_boot_id)

#define WARN_ONCE(cond, fmt, ...) ({					\
	static unsigned long __warned;					\
	int __ret_warn_once = !!(cond);					\
	if (unlikely(__ret_warn_once) && __once_per_boot(__warned))	\
		__warn_printf(__FILE__, __LINE__, fmt, ##__VA_ARGS__);	\
	unlikely(__ret_warn_once);					\
})
#define WARN_ON_ONCE(cond)	WARN_ONCE(cond, "%s", "")

#define VM_BUG_ON(cond)			BUG_ON(cond)
#define VM_WARN_ON(cond)		((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE(cond)		WARN_ON_ONCE(cond)
#define VM_WARN_ONCE(cond, fmt, ...)	WARN_ONCE(cond, fmt, ##__VA_ARGS__)
#define VM_BUG_ON_PAGE(cond, page)	BUG_ON(cond)
#define VM_BUG_ON_FOLIO(cond, folio)	BUG_ON(cond)
#define VM_WARN_ON_FOLIO(cond, folio)	((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE_FOLIO(cond, folio) WARN_ON_ONCE(cond)

#endif /* _SHIM_LINUX_BUG_H */
