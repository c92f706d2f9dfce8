// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs (fs/debugfs/) as an in-memory tree, and its dumps.
 *
 * The tree is under a raw lock. Directory children are kept sorted by
 * name, so dumps list entries as `ls` would. A dump first collects the
 * entries with a reference each (refs keeps the dentry's memory), then
 * reads them one by one without the lock, marking the entry active while
 * its data is read; debugfs_remove() unlinks a subtree at once and then
 * waits for active readers to finish, so the caller may free the data when
 * it returns, as with the kernel's debugfs_file_get()/put(). Files are read
 * through their file_operations (open, read until end, release) as a
 * reader of /sys/kernel/debug would.
 */
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <sim/init.h>
#include <sim/rawlock.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zswapsim.h>

enum dentry_type {
	D_DIR,
	D_FILE,
	D_U8,
	D_U16,
	D_U32,
	D_U64,
	D_X8,
	D_X16,
	D_X32,
	D_X64,
	D_ULONG,
	D_SIZE_T,
	D_ATOMIC,
	D_BOOL,
};

struct dentry {
	char			*name;
	struct dentry		*parent;
	struct list_head	child;		/* in parent->children */
	struct list_head	children;	/* sorted by name */
	enum dentry_type	type;
	umode_t			mode;
	void			*data;
	const struct file_operations *fops;
	int			refs;		/* the tree's, lookups', dumps' */
	int			active;		/* dumps reading data now */
	bool			removed;
};

static struct dentry debugfs_root = {
	.name = "",
	.child = LIST_HEAD_INIT(debugfs_root.child),
	.children = LIST_HEAD_INIT(debugfs_root.children),
	.type = D_DIR,
	.refs = 1,
};
static struct sim_rawlock debugfs_lock = SIM_RAWLOCK_INIT;
/* debugfs_remove() waits here for readers of what it removed. */
static DECLARE_WAIT_QUEUE_HEAD(debugfs_wait);

/* debugfs_lock held. */
static struct dentry *find_child(struct dentry *parent, const char *name)
{
	struct dentry *d;

	list_for_each_entry(d, &parent->children, child) {
		if (!strcmp(d->name, name))
			return d;
	}
	return NULL;
}

static void free_dentry(struct dentry *d)
{
	free(d->name);
	free(d);
}

/* debugfs_lock held; returns the dentry to free, if any. */
static struct dentry *put_locked(struct dentry *d)
{
	if (--d->refs == 0 && d->removed)
		return d;
	return NULL;
}

static void put_dentry(struct dentry *d)
{
	struct dentry *dead;

	sim_rawlock_lock(&debugfs_lock);
	dead = put_locked(d);
	sim_rawlock_unlock(&debugfs_lock);
	if (dead)
		free_dentry(dead);
}

static struct dentry *create(const char *name, umode_t mode, struct dentry *parent,
			     enum dentry_type type, void *data,
			     const struct file_operations *fops)
{
	struct dentry *d, *pos;

	if (IS_ERR(parent))
		return parent;
	if (!parent)
		parent = &debugfs_root;
	if (!name || !*name || strchr(name, '/')) {
		pr_err("debugfs: invalid name '%s'\n", name ? name : "(null)");
		return ERR_PTR(-EINVAL);
	}
	d = calloc(1, sizeof(*d));
	if (d)
		d->name = strdup(name);
	if (!d || !d->name) {
		free(d);
		return ERR_PTR(-ENOMEM);
	}
	INIT_LIST_HEAD(&d->children);
	d->type = type;
	d->mode = mode;
	d->data = data;
	d->fops = fops;
	d->refs = 1;
	d->parent = parent;

	sim_rawlock_lock(&debugfs_lock);
	if (parent->removed || parent->type != D_DIR) {
		sim_rawlock_unlock(&debugfs_lock);
		free_dentry(d);
		return ERR_PTR(parent->removed ? -ENOENT : -ENOTDIR);
	}
	if (find_child(parent, name)) {
		sim_rawlock_unlock(&debugfs_lock);
		pr_err("debugfs: '%s' already present in '%s'!\n", name,
		       parent == &debugfs_root ? "/" : parent->name);
		free_dentry(d);
		return ERR_PTR(-EEXIST);
	}
	list_for_each_entry(pos, &parent->children, child) {
		if (strcmp(name, pos->name) < 0)
			break;
	}
	list_add_tail(&d->child, &pos->child);
	sim_rawlock_unlock(&debugfs_lock);
	return d;
}

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return create(name, S_IFDIR | 0755, parent, D_DIR, NULL, NULL);
}

struct dentry *debugfs_create_file(const char *name, umode_t mode, struct dentry *parent,
				   void *data, const struct file_operations *fops)
{
	return create(name, mode, parent, D_FILE, data, fops);
}

struct dentry *debugfs_create_file_unsafe(const char *name, umode_t mode,
					  struct dentry *parent, void *data,
					  const struct file_operations *fops)
{
	return create(name, mode, parent, D_FILE, data, fops);
}

#define DEBUGFS_INT(fn, ctype, dtype)					\
void debugfs_create_##fn(const char *name, umode_t mode, struct dentry *parent, \
			 ctype *value)					\
{									\
	create(name, mode, parent, dtype, value, NULL);			\
}

DEBUGFS_INT(u8, u8, D_U8)
DEBUGFS_INT(u16, u16, D_U16)
DEBUGFS_INT(u32, u32, D_U32)
DEBUGFS_INT(u64, u64, D_U64)
DEBUGFS_INT(x8, u8, D_X8)
DEBUGFS_INT(x16, u16, D_X16)
DEBUGFS_INT(x32, u32, D_X32)
DEBUGFS_INT(x64, u64, D_X64)
DEBUGFS_INT(ulong, unsigned long, D_ULONG)
DEBUGFS_INT(size_t, size_t, D_SIZE_T)
DEBUGFS_INT(atomic_t, atomic_t, D_ATOMIC)
DEBUGFS_INT(bool, bool, D_BOOL)

/* debugfs_lock held: unlink @d's subtree and mark it removed. */
static void unlink_subtree(struct dentry *d)
{
	struct dentry *c;

	d->removed = true;
	list_for_each_entry(c, &d->children, child)
		unlink_subtree(c);
}

static bool subtree_idle(struct dentry *d)
{
	struct dentry *c;

	if (d->active)
		return false;
	list_for_each_entry(c, &d->children, child) {
		if (!subtree_idle(c))
			return false;
	}
	return true;
}

static bool removal_done(struct dentry *d)
{
	bool idle;

	sim_rawlock_lock(&debugfs_lock);
	idle = subtree_idle(d);
	sim_rawlock_unlock(&debugfs_lock);
	return idle;
}

/* debugfs_lock held: drop the tree's references, children first. */
static void put_subtree(struct dentry *d, struct list_head *dead)
{
	struct dentry *c, *tmp;

	list_for_each_entry_safe(c, tmp, &d->children, child)
		put_subtree(c, dead);
	list_del_init(&d->child);
	if (put_locked(d))
		list_add_tail(&d->child, dead);
}

void debugfs_remove(struct dentry *dentry)
{
	struct dentry *d, *tmp;
	LIST_HEAD(dead);

	if (IS_ERR_OR_NULL(dentry) || dentry == &debugfs_root)
		return;
	sim_rawlock_lock(&debugfs_lock);
	if (dentry->removed) {
		sim_rawlock_unlock(&debugfs_lock);
		return;
	}
	unlink_subtree(dentry);
	sim_rawlock_unlock(&debugfs_lock);

	/* Readers only exist in simulated tasks or before a machine runs. */
	if (current)
		wait_event(debugfs_wait, removal_done(dentry));

	sim_rawlock_lock(&debugfs_lock);
	put_subtree(dentry, &dead);
	sim_rawlock_unlock(&debugfs_lock);
	list_for_each_entry_safe(d, tmp, &dead, child)
		free_dentry(d);
}

struct dentry *debugfs_lookup(const char *name, struct dentry *parent)
{
	struct dentry *d;

	if (IS_ERR(parent) || !name)
		return NULL;
	if (!parent)
		parent = &debugfs_root;
	sim_rawlock_lock(&debugfs_lock);
	d = parent->removed ? NULL : find_child(parent, name);
	if (d)
		d->refs++;
	sim_rawlock_unlock(&debugfs_lock);
	return d;
}

void dput(struct dentry *dentry)
{
	if (!IS_ERR_OR_NULL(dentry) && dentry != &debugfs_root)
		put_dentry(dentry);
}

void debugfs_lookup_and_remove(const char *name, struct dentry *parent)
{
	struct dentry *d = debugfs_lookup(name, parent);

	if (d) {
		debugfs_remove(d);
		dput(d);
	}
}

ssize_t debugfs_attr_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	return simple_attr_read(file, buf, len, ppos);
}

ssize_t debugfs_attr_write(struct file *file, const char __user *buf, size_t len,
			   loff_t *ppos)
{
	return simple_attr_write(file, buf, len, ppos);
}

ssize_t debugfs_attr_write_signed(struct file *file, const char __user *buf, size_t len,
				  loff_t *ppos)
{
	return simple_attr_write_signed(file, buf, len, ppos);
}

/* ---- reading entries ---- */

/* Read a file as a reader would; returns malloc'ed text or an ERR_PTR. */
static char *read_file(struct dentry *d)
{
	struct inode inode = { .i_mode = d->mode, .i_private = d->data };
	struct file file = { .f_op = d->fops, .f_inode = &inode, .f_mode = 1 };
	size_t cap = 256, len = 0;
	loff_t pos = 0;
	char *text;
	int err = 0;

	if (!d->fops || !d->fops->read)
		return ERR_PTR(-EINVAL);
	if (d->fops->open) {
		err = d->fops->open(&inode, &file);
		if (err)
			return ERR_PTR(err);
	}
	text = malloc(cap);
	while (text) {
		ssize_t n;

		if (cap - len < 128) {
			char *bigger = realloc(text, cap * 2);

			if (!bigger) {
				free(text);
				text = NULL;
				break;
			}
			text = bigger;
			cap *= 2;
		}
		n = d->fops->read(&file, text + len, cap - len - 1, &pos);
		if (n < 0) {
			err = (int)n;
			break;
		}
		if (n == 0)
			break;
		len += n;
	}
	if (d->fops->release)
		d->fops->release(&inode, &file);
	if (!text)
		return ERR_PTR(-ENOMEM);
	if (err) {
		free(text);
		return ERR_PTR(err);
	}
	text[len] = '\0';
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	return text;
}

/* An integer entry's value; false for files and directories. */
static bool read_int(struct dentry *d, unsigned long long *val, bool *is_signed)
{
	*is_signed = false;
	switch (d->type) {
	case D_U8:
	case D_X8:
		*val = READ_ONCE(*(u8 *)d->data);
		return true;
	case D_U16:
	case D_X16:
		*val = READ_ONCE(*(u16 *)d->data);
		return true;
	case D_U32:
	case D_X32:
		*val = READ_ONCE(*(u32 *)d->data);
		return true;
	case D_U64:
	case D_X64:
		*val = READ_ONCE(*(u64 *)d->data);
		return true;
	case D_ULONG:
		*val = READ_ONCE(*(unsigned long *)d->data);
		return true;
	case D_SIZE_T:
		*val = READ_ONCE(*(size_t *)d->data);
		return true;
	case D_ATOMIC:
		*val = (long long)__atomic_load_n(&((atomic_t *)d->data)->counter,
						 __ATOMIC_RELAXED);
		*is_signed = true;
		return true;
	case D_BOOL:
		*val = READ_ONCE(*(bool *)d->data);
		return true;
	default:
		return false;
	}
}

/* The entry's text as the kernel's file would show it, minus the newline. */
static char *entry_text(struct dentry *d)
{
	unsigned long long v;
	bool is_signed;
	char *s = NULL;
	int ret = -1;

	if (d->type == D_FILE)
		return read_file(d);
	if (!read_int(d, &v, &is_signed))
		return ERR_PTR(-EISDIR);
	switch (d->type) {
	case D_X8:
		ret = asprintf(&s, "0x%02llx", v);
		break;
	case D_X16:
		ret = asprintf(&s, "0x%04llx", v);
		break;
	case D_X32:
		ret = asprintf(&s, "0x%08llx", v);
		break;
	case D_X64:
		ret = asprintf(&s, "0x%016llx", v);
		break;
	case D_BOOL:
		ret = asprintf(&s, "%c", v ? 'Y' : 'N');
		break;
	default:
		ret = is_signed ? asprintf(&s, "%lld", (long long)v) : asprintf(&s, "%llu", v);
		break;
	}
	return ret < 0 ? ERR_PTR(-ENOMEM) : s;
}

/* Take @d for reading its data; false if it was removed meanwhile. */
static bool get_active(struct dentry *d)
{
	bool ok;

	sim_rawlock_lock(&debugfs_lock);
	ok = !d->removed;
	if (ok)
		d->active++;
	sim_rawlock_unlock(&debugfs_lock);
	return ok;
}

static void put_active(struct dentry *d)
{
	bool wake;

	sim_rawlock_lock(&debugfs_lock);
	d->active--;
	wake = d->removed;
	sim_rawlock_unlock(&debugfs_lock);
	if (wake)
		wake_up_all(&debugfs_wait);
}

/* Run @fn in a simulated task if a machine runs and we are not one. */
static int run_in_task(int (*fn)(void *), void *arg)
{
	if (current || !zsim_machine_running())
		return fn(arg);
	return zsim_run(cpumask_first(cpu_online_mask), fn, arg);
}

/* ---- dumps ---- */

struct snap {
	struct dentry	*d;
	char		*path;
};

struct snapshot {
	struct snap	*v;
	size_t		nr;
	size_t		cap;
	bool		oom;
};

/* debugfs_lock held: every non-directory entry below @d, in tree order. */
static void collect(struct dentry *d, const char *prefix, struct snapshot *s)
{
	struct dentry *c;

	list_for_each_entry(c, &d->children, child) {
		char *path;

		if (asprintf(&path, "%s%s", prefix, c->name) < 0) {
			s->oom = true;
			continue;
		}
		if (c->type == D_DIR) {
			char *dir;

			if (asprintf(&dir, "%s/", path) >= 0) {
				collect(c, dir, s);
				free(dir);
			} else {
				s->oom = true;
			}
			free(path);
			continue;
		}
		if (s->nr == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 64;
			struct snap *v = realloc(s->v, cap * sizeof(*v));

			if (!v) {
				free(path);
				s->oom = true;
				continue;
			}
			s->v = v;
			s->cap = cap;
		}
		c->refs++;
		s->v[s->nr].d = c;
		s->v[s->nr].path = path;
		s->nr++;
	}
}

static void snapshot_free(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++) {
		put_dentry(s->v[i].d);
		free(s->v[i].path);
	}
	free(s->v);
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

/* A JSON number: an optional '-' and decimal digits, no leading zeros. */
static bool is_json_integer(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s || (*s == '0' && s[1]))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

/*
 * JSON: integer entries as numbers (in decimal, whatever base the file
 * shows), bools as true/false, files as a number when their text is one,
 * else as a string.
 */
static void json_entry(FILE *out, struct dentry *d)
{
	unsigned long long v;
	bool is_signed;
	char *text;

	if (d->type == D_BOOL) {
		read_int(d, &v, &is_signed);
		fputs(v ? "true" : "false", out);
		return;
	}
	if (read_int(d, &v, &is_signed)) {
		if (is_signed)
			fprintf(out, "%lld", (long long)v);
		else
			fprintf(out, "%llu", v);
		return;
	}
	text = read_file(d);
	if (IS_ERR(text)) {
		fprintf(out, "\"(error %ld)\"", PTR_ERR(text));
		return;
	}
	if (is_json_integer(text))
		fputs(text, out);
	else
		json_string(out, text);
	free(text);
}

/*
 * A value of the text dump, on one line: a backslash is written as "\\",
 * a newline as "\n", any other control character as "\xHH", so that
 * every entry is exactly one "path value" line and the value can be
 * unescaped to the file's text.
 */
static void put_escaped(FILE *out, const char *text)
{
	const unsigned char *c;

	for (c = (const unsigned char *)text; *c; c++) {
		if (*c == '\\')
			fputs("\\\\", out);
		else if (*c == '\n')
			fputs("\\n", out);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(out, "\\x%02x", *c);
		else
			fputc(*c, out);
	}
}

struct dump_args {
	FILE	*out;
	bool	json;
};

static int dump_task(void *arg)
{
	struct dump_args *a = arg;
	struct snapshot s = { 0 };
	bool first = true;
	size_t i;

	sim_rawlock_lock(&debugfs_lock);
	collect(&debugfs_root, "", &s);
	sim_rawlock_unlock(&debugfs_lock);

	if (a->json)
		fputc('{', a->out);
	for (i = 0; i < s.nr; i++) {
		struct dentry *d = s.v[i].d;

		if (!get_active(d))
			continue;
		if (a->json) {
			fputs(first ? "\n  " : ",\n  ", a->out);
			json_string(a->out, s.v[i].path);
			fputs(": ", a->out);
			json_entry(a->out, d);
		} else {
			char *text = entry_text(d);

			if (IS_ERR(text)) {
				fprintf(a->out, "%s (error %ld)\n", s.v[i].path, PTR_ERR(text));
			} else {
				fprintf(a->out, "%s ", s.v[i].path);
				put_escaped(a->out, text);
				fputc('\n', a->out);
				free(text);
			}
		}
		first = false;
		put_active(d);
	}
	if (a->json)
		fputs(first ? "}\n" : "\n}\n", a->out);
	if (s.oom && !a->json)
		fputs("(out of memory: entries missing)\n", a->out);
	snapshot_free(&s);
	return 0;
}

void zsim_dump_debugfs(FILE *out, bool json)
{
	struct dump_args a = { .out = out, .json = json };

	run_in_task(dump_task, &a);
	fflush(out);
}

/* debugfs_lock held: the entry at "a/b/c", or NULL. */
static struct dentry *walk_path(const char *path)
{
	struct dentry *d = &debugfs_root;
	const char *p = path;

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		struct dentry *c, *found = NULL;

		if (len) {
			if (d->type != D_DIR)
				return NULL;
			list_for_each_entry(c, &d->children, child) {
				if (strlen(c->name) == len && !strncmp(c->name, p, len)) {
					found = c;
					break;
				}
			}
			if (!found)
				return NULL;
			d = found;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return d == &debugfs_root ? NULL : d;
}

/* A read of one file: the entry looked up and referenced, and where the value goes. */
struct read_args {
	struct dentry	*d;
	void		*out;
};

static int read_u64_task(void *arg)
{
	struct read_args *a = arg;
	u64 *val = a->out;
	unsigned long long v;
	bool is_signed;
	char *text, *end;
	int ret = 0;

	if (!get_active(a->d))
		return -ENOENT;
	if (read_int(a->d, &v, &is_signed)) {
		*val = v;
		goto out;
	}
	text = read_file(a->d);
	if (IS_ERR(text)) {
		ret = (int)PTR_ERR(text);
		goto out;
	}
	errno = 0;
	v = text[0] == '-' ? (unsigned long long)strtoll(text, &end, 0) : strtoull(text, &end, 0);
	if (errno || end == text || *end)
		ret = -EINVAL;
	else
		*val = v;
	free(text);
out:
	put_active(a->d);
	return ret;
}

static int read_text_task(void *arg)
{
	struct read_args *a = arg;
	char *text;

	if (!get_active(a->d))
		return -ENOENT;
	text = entry_text(a->d);
	put_active(a->d);
	if (IS_ERR(text))
		return (int)PTR_ERR(text);
	*(char **)a->out = text;
	return 0;
}

/* Look @path up, hold it, and run @fn in a task (a file's ops may sleep). */
static int read_entry(const char *path, int (*fn)(void *), void *out)
{
	struct read_args a = { .out = out };
	int ret;

	sim_rawlock_lock(&debugfs_lock);
	a.d = walk_path(path);
	if (a.d)
		a.d->refs++;
	sim_rawlock_unlock(&debugfs_lock);
	if (!a.d)
		return -ENOENT;
	if (a.d->type == D_DIR) {
		put_dentry(a.d);
		return -EISDIR;
	}
	ret = run_in_task(fn, &a);
	put_dentry(a.d);
	return ret;
}

int debugfs_read_u64(const char *path, u64 *val)
{
	return read_entry(path, read_u64_task, val);
}

int debugfs_read_text(const char *path, char **text)
{
	return read_entry(path, read_text_task, text);
}

/*
 * At machine stop, after every task has exited: nothing can be reading,
 * so whatever modules left behind is freed outright, their lookup
 * references included.
 */
static void free_subtree(struct dentry *d)
{
	struct dentry *c, *tmp;

	list_for_each_entry_safe(c, tmp, &d->children, child) {
		list_del(&c->child);
		free_subtree(c);
		free_dentry(c);
	}
}

void debugfs_exit(void)
{
	sim_rawlock_lock(&debugfs_lock);
	free_subtree(&debugfs_root);
	/* A wedged machine's killed tasks may have left their waiters here. */
	if (sim_machine_wedged())
		init_waitqueue_head(&debugfs_wait);
	sim_rawlock_unlock(&debugfs_lock);
}
