// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module parameters (kernel/params.c) and their registry, which plays the
 * part of /sys/module/NAME/parameters/.
 *
 * module_param*() constructors register every parameter before main(); the
 * registry is a list sorted by module and parameter name, so dumps come out
 * in a stable order. Reads and writes go through ops->get and ops->set
 * under kernel_param_lock(), from a simulated task when a machine runs (a
 * setter may sleep: zswap's takes mutexes and creates pools), or directly
 * when none does.
 */
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <sim/init.h>
#include <sim/rawlock.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zswapsim.h>

/* Every get() writes into a buffer this large, as sysfs gives a page. */
#define PARAM_BUF_SIZE		4096
/* Longest charp value, as the kernel's param_set_charp(). */
#define PARAM_CHARP_MAX		1024

struct param_entry {
	struct list_head		list;
	const struct kernel_param	*kp;
	char				module[MODULE_NAME_LEN];
	const char			*name;	/* after the module's '.' */
};

static LIST_HEAD(param_registry);
static struct sim_rawlock registry_lock = SIM_RAWLOCK_INIT;

/* ---- the registry ---- */

static int entry_cmp(const char *mod_a, const char *name_a,
		     const char *mod_b, const char *name_b)
{
	int c = strcmp(mod_a, mod_b);

	return c ? c : strcmp(name_a, name_b);
}

void zsim_param_register(const struct kernel_param *kp)
{
	struct param_entry *e, *pos;
	const char *dot = strchr(kp->name, '.');
	size_t modlen;

	e = calloc(1, sizeof(*e));
	if (!e) {
		fprintf(stderr, "zswapsim: out of memory registering parameter %s\n", kp->name);
		return;
	}
	e->kp = kp;
	/* "module.param", as the kernel splits built-in parameters for sysfs. */
	if (dot) {
		modlen = min_t(size_t, dot - kp->name, sizeof(e->module) - 1);
		memcpy(e->module, kp->name, modlen);
		e->name = dot + 1;
	} else {
		strcpy(e->module, "kernel");
		e->name = kp->name;
	}

	sim_rawlock_lock(&registry_lock);
	list_for_each_entry(pos, &param_registry, list) {
		int c = entry_cmp(e->module, e->name, pos->module, pos->name);

		if (c == 0) {
			sim_rawlock_unlock(&registry_lock);
			fprintf(stderr, "zswapsim: module parameter %s.%s registered twice; keeping the first\n",
				e->module, e->name);
			free(e);
			return;
		}
		if (c < 0)
			break;
	}
	list_add_tail(&e->list, &pos->list);
	sim_rawlock_unlock(&registry_lock);
}

/* Entries are never removed, so a found entry stays valid. */
static struct param_entry *find_param(const char *module, const char *name)
{
	struct param_entry *e, *found = NULL;

	sim_rawlock_lock(&registry_lock);
	list_for_each_entry(e, &param_registry, list) {
		if (!strcmp(e->module, module) && !strcmp(e->name, name)) {
			found = e;
			break;
		}
	}
	sim_rawlock_unlock(&registry_lock);
	return found;
}

/* ---- the sysfs lock ---- */

static DEFINE_MUTEX(param_lock);

/* A task of a wedged machine may have been killed holding it. */
static int __init param_lock_sim_init(void)
{
	sim_mutex_forget(&param_lock);
	return 0;
}
pure_initcall(param_lock_sim_init);

/*
 * One lock for all modules (the kernel has one per module plus one for
 * built-in code). A thread that is not a simulated task cannot take a
 * mutex; it only gets here when no machine runs, so nothing can race.
 */
void kernel_param_lock(struct module *mod)
{
	(void)mod;
	if (current)
		mutex_lock(&param_lock);
}

void kernel_param_unlock(struct module *mod)
{
	(void)mod;
	if (current)
		mutex_unlock(&param_lock);
}

/* Run @fn in a simulated task if a machine runs and we are not one. */
static int run_in_task(int (*fn)(void *), void *arg)
{
	if (current || !zsim_machine_running())
		return fn(arg);
	return zsim_run(cpumask_first(cpu_online_mask), fn, arg);
}

/* ---- /sys/module/NAME/parameters/PARAM ---- */

struct param_io {
	const struct kernel_param	*kp;
	const char			*val;	/* set */
	char				*buf;	/* get: PARAM_BUF_SIZE bytes */
};

static int param_set_task(void *arg)
{
	struct param_io *io = arg;
	int err;

	kernel_param_lock(io->kp->mod);
	err = io->kp->ops->set(io->val, io->kp);
	kernel_param_unlock(io->kp->mod);
	return err;
}

static int param_get_task(void *arg)
{
	struct param_io *io = arg;
	int count;

	kernel_param_lock(io->kp->mod);
	count = io->kp->ops->get(io->buf, io->kp);
	kernel_param_unlock(io->kp->mod);
	return count;
}

/* A parameter with permission 0 has no sysfs file. */
static struct param_entry *lookup_visible(const char *module, const char *param)
{
	struct param_entry *e = find_param(module, param);

	if (!e || !e->kp->perm) {
		pr_err("zswapsim: no module parameter %s.%s\n", module, param);
		return NULL;
	}
	return e;
}

int zsim_param_set(const char *module, const char *param, const char *val)
{
	struct param_entry *e;
	struct param_io io;
	int ret;

	if (!module || !param)
		return -EINVAL;
	e = lookup_visible(module, param);
	if (!e)
		return -ENOENT;
	/* sysfs refuses to open a read-only file for writing. */
	if (!(e->kp->perm & 0222)) {
		pr_err("zswapsim: module parameter %s.%s is read-only\n", module, param);
		return -EACCES;
	}
	if (!e->kp->ops->set)
		return -EPERM;
	/* sysfs always writes some text; only a flag takes none. */
	if (!val && !(e->kp->ops->flags & KERNEL_PARAM_OPS_FL_NOARG)) {
		pr_err("zswapsim: module parameter %s.%s needs a value\n", module, param);
		return -EINVAL;
	}
	io.kp = e->kp;
	io.val = val;
	io.buf = NULL;
	ret = run_in_task(param_set_task, &io);
	/* A setter that explained itself printed already; say which write failed. */
	if (ret)
		pr_err("zswapsim: writing \"%s\" to module parameter %s.%s: %d\n",
		       val ? val : "", module, param, ret);
	return ret;
}

/* Print the value of @e into @buf (PARAM_BUF_SIZE), newline included. */
static int read_param(struct param_entry *e, char *buf)
{
	struct param_io io = { .kp = e->kp, .buf = buf };
	int count;

	if (!(e->kp->perm & 0444))
		return -EACCES;
	if (!e->kp->ops->get)
		return -EPERM;
	buf[0] = '\0';
	count = run_in_task(param_get_task, &io);
	if (count >= 0)
		buf[min(count, PARAM_BUF_SIZE - 1)] = '\0';
	return count;
}

int zsim_param_get(const char *module, const char *param, char *buf, size_t len)
{
	struct param_entry *e;
	char *page;
	int count;

	if (!module || !param || (!buf && len))
		return -EINVAL;
	e = lookup_visible(module, param);
	if (!e)
		return -ENOENT;
	page = malloc(PARAM_BUF_SIZE);
	if (!page)
		return -ENOMEM;
	count = read_param(e, page);
	if (count >= 0 && len)
		snprintf(buf, len, "%s", page);
	free(page);
	return count;
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

struct dump_args {
	FILE	*out;
	bool	json;
};

static int dump_params_task(void *arg)
{
	struct dump_args *d = arg;
	struct param_entry *e;
	const char *module = NULL;
	char *page = malloc(PARAM_BUF_SIZE);

	if (!page)
		return -ENOMEM;
	if (d->json)
		fputs("{", d->out);
	/* The registry only grows, and only before main(): no lock needed to walk it. */
	list_for_each_entry(e, &param_registry, list) {
		int count;
		size_t n;

		if (!e->kp->perm)
			continue;
		count = read_param(e, page);
		if (count < 0)
			snprintf(page, PARAM_BUF_SIZE, "(error %d)", count);
		n = strlen(page);
		while (n && (page[n - 1] == '\n' || page[n - 1] == ' '))
			page[--n] = '\0';
		if (!d->json) {
			fprintf(d->out, "%s.%s=%s\n", e->module, e->name, page);
			continue;
		}
		if (!module || strcmp(module, e->module)) {
			fputs(module ? "\n  },\n  " : "\n  ", d->out);
			json_string(d->out, e->module);
			fputs(": {", d->out);
			module = e->module;
		} else {
			fputc(',', d->out);
		}
		fputs("\n    ", d->out);
		json_string(d->out, e->name);
		fputs(": ", d->out);
		/* Always a string: a parameter is text in sysfs, whatever its type. */
		json_string(d->out, page);
	}
	if (d->json)
		fputs(module ? "\n  }\n}\n" : "}\n", d->out);
	free(page);
	return 0;
}

void zsim_dump_params(FILE *out, bool json)
{
	struct dump_args d = { .out = out, .json = json };

	run_in_task(dump_params_task, &d);
	fflush(out);
}

/* ---- parsing, as lib/kstrtox.c ---- */

/*
 * kstrtoull(): an optional '+', base 0 means 0x-prefixed hex, 0-prefixed
 * octal or decimal; one trailing newline is accepted (echo adds it).
 */
static int parse_ull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long acc = 0;
	bool any = false;

	if (*s == '+')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] | 0x20) == 'x' &&
	    ((s[2] >= '0' && s[2] <= '9') || ((s[2] | 0x20) >= 'a' && (s[2] | 0x20) <= 'f'))) {
		base = 16;
		s += 2;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (; *s; s++) {
		unsigned int c = (unsigned char)*s, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (acc > (ULLONG_MAX - d) / base)
			return -ERANGE;
		acc = acc * base + d;
		any = true;
	}
	if (!any)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = acc;
	return 0;
}

static int parse_ll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int err;

	if (*s == '-') {
		err = parse_ull(s + 1, base, &v);
		if (err)
			return err;
		if (v > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = (long long)(0 - v);
		return 0;
	}
	err = parse_ull(s, base, &v);
	if (err)
		return err;
	if (v > LLONG_MAX)
		return -ERANGE;
	*res = (long long)v;
	return 0;
}

/* kstrtobool(): y/Y/1/on are true, n/N/0/off false; the rest is ignored. */
static int parse_bool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y':
	case 'Y':
	case '1':
		*res = true;
		return 0;
	case 'n':
	case 'N':
	case '0':
		*res = false;
		return 0;
	case 'o':
	case 'O':
		switch (s[1]) {
		case 'n':
		case 'N':
			*res = true;
			return 0;
		case 'f':
		case 'F':
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/* scnprintf() into a sysfs page: the length actually written. */
static __printf(2, 3) int page_printf(char *buffer, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buffer, PARAM_BUF_SIZE, fmt, ap);
	va_end(ap);
	return n < 0 ? 0 : min(n, PARAM_BUF_SIZE - 1);
}

/* ---- standard parameter types ---- */

#define SIGNED_PARAM(name, type, lo, hi, fmt)				\
int param_set_##name(const char *val, const struct kernel_param *kp)	\
{									\
	long long v;							\
	int err = parse_ll(val, 0, &v);					\
									\
	if (err)							\
		return err;						\
	if (v < (lo) || v > (hi))					\
		return -ERANGE;						\
	*(type *)kp->arg = (type)v;					\
	return 0;							\
}									\
int param_get_##name(char *buffer, const struct kernel_param *kp)	\
{									\
	return page_printf(buffer, fmt "\n", *(type *)kp->arg);		\
}									\
const struct kernel_param_ops param_ops_##name = {			\
	.set = param_set_##name,					\
	.get = param_get_##name,					\
}

#define UNSIGNED_PARAM(name, type, hi, fmt)				\
int param_set_##name(const char *val, const struct kernel_param *kp)	\
{									\
	unsigned long long v;						\
	int err = parse_ull(val, 0, &v);				\
									\
	if (err)							\
		return err;						\
	if (v > (hi))							\
		return -ERANGE;						\
	*(type *)kp->arg = (type)v;					\
	return 0;							\
}									\
int param_get_##name(char *buffer, const struct kernel_param *kp)	\
{									\
	return page_printf(buffer, fmt "\n", *(type *)kp->arg);		\
}									\
const struct kernel_param_ops param_ops_##name = {			\
	.set = param_set_##name,					\
	.get = param_get_##name,					\
}

UNSIGNED_PARAM(byte, unsigned char, UCHAR_MAX, "%hhu");
SIGNED_PARAM(short, short, SHRT_MIN, SHRT_MAX, "%hi");
UNSIGNED_PARAM(ushort, unsigned short, USHRT_MAX, "%hu");
SIGNED_PARAM(int, int, INT_MIN, INT_MAX, "%i");
UNSIGNED_PARAM(uint, unsigned int, UINT_MAX, "%u");
SIGNED_PARAM(long, long, LONG_MIN, LONG_MAX, "%li");
UNSIGNED_PARAM(ulong, unsigned long, ULONG_MAX, "%lu");
UNSIGNED_PARAM(ullong, unsigned long long, ULLONG_MAX, "%llu");
UNSIGNED_PARAM(hexint, unsigned int, UINT_MAX, "%#08x");

int param_set_bool(const char *val, const struct kernel_param *kp)
{
	/* No value means set, as on the kernel command line. */
	if (!val)
		val = "1";
	return parse_bool(val, kp->arg);
}

int param_get_bool(char *buffer, const struct kernel_param *kp)
{
	return page_printf(buffer, "%c\n", *(bool *)kp->arg ? 'Y' : 'N');
}

const struct kernel_param_ops param_ops_bool = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_bool,
	.get = param_get_bool,
};

/* Once set, it stays set. */
int param_set_bool_enable_only(const char *val, const struct kernel_param *kp)
{
	bool orig = *(bool *)kp->arg, v;
	int err;

	err = parse_bool(val ? val : "1", &v);
	if (err)
		return err;
	if (!v && orig)
		return -EROFS;
	if (v)
		*(bool *)kp->arg = true;
	return 0;
}

const struct kernel_param_ops param_ops_bool_enable_only = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_bool_enable_only,
	.get = param_get_bool,
};

int param_set_invbool(const char *val, const struct kernel_param *kp)
{
	bool v;
	int err = parse_bool(val ? val : "1", &v);

	if (!err)
		*(bool *)kp->arg = !v;
	return err;
}

int param_get_invbool(char *buffer, const struct kernel_param *kp)
{
	return page_printf(buffer, "%c\n", *(bool *)kp->arg ? 'N' : 'Y');
}

const struct kernel_param_ops param_ops_invbool = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_invbool,
	.get = param_get_invbool,
};

/*
 * Strings that param_set_charp() allocated, so that only those are freed
 * (a charp's initial value is usually a string literal). Host memory: the
 * values outlive machines.
 */
struct kmalloced_param {
	struct list_head list;
	char val[];
};
static LIST_HEAD(kmalloced_params);
static struct sim_rawlock kmalloced_lock = SIM_RAWLOCK_INIT;

static void maybe_free_parameter(void *param)
{
	struct kmalloced_param *p, *found = NULL;

	if (!param)
		return;
	sim_rawlock_lock(&kmalloced_lock);
	list_for_each_entry(p, &kmalloced_params, list) {
		if (p->val == param) {
			list_del(&p->list);
			found = p;
			break;
		}
	}
	sim_rawlock_unlock(&kmalloced_lock);
	free(found);
}

/* The value is kept as given, trailing newline included, as the kernel. */
int param_set_charp(const char *val, const struct kernel_param *kp)
{
	struct kmalloced_param *p;
	size_t len = strnlen(val, PARAM_CHARP_MAX + 1);

	if (len > PARAM_CHARP_MAX) {
		pr_err("%s: string parameter too long\n", kp->name);
		return -ENOSPC;
	}
	p = malloc(sizeof(*p) + len + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p->val, val, len + 1);
	sim_rawlock_lock(&kmalloced_lock);
	list_add(&p->list, &kmalloced_params);
	sim_rawlock_unlock(&kmalloced_lock);
	maybe_free_parameter(*(char **)kp->arg);
	*(char **)kp->arg = p->val;
	return 0;
}

int param_get_charp(char *buffer, const struct kernel_param *kp)
{
	const char *s = *(char **)kp->arg;

	return page_printf(buffer, "%s\n", s ? s : "(null)");
}

void param_free_charp(void *arg)
{
	maybe_free_parameter(*(char **)arg);
}

const struct kernel_param_ops param_ops_charp = {
	.set = param_set_charp,
	.get = param_get_charp,
	.free = param_free_charp,
};

int param_set_copystring(const char *val, const struct kernel_param *kp)
{
	const struct kparam_string *kps = kp->str;

	if (strlen(val) + 1 > kps->maxlen) {
		pr_err("%s: string doesn't fit in %u chars.\n", kp->name, kps->maxlen - 1);
		return -ENOSPC;
	}
	strcpy(kps->string, val);
	return 0;
}

int param_get_string(char *buffer, const struct kernel_param *kp)
{
	return page_printf(buffer, "%s\n", kp->str->string);
}

const struct kernel_param_ops param_ops_string = {
	.set = param_set_copystring,
	.get = param_get_string,
};
