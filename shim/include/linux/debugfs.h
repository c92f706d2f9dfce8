/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * debugfs (<linux/debugfs.h>): a tree of named directories, integer
 * entries and files, kept in memory. zsim_dump_debugfs()
 * (include/zswapsim.h) prints every entry as "path value" lines, e.g.
 * "zswap/pool_limit_hit 3", or as one JSON object keyed by path; files are
 * opened and read as a reader of /sys/kernel/debug would, so show
 * callbacks (DEFINE_SHOW_ATTRIBUTE) and get callbacks
 * (DEFINE_DEBUGFS_ATTRIBUTE) run then, in a simulated task.
 *
 * Creating an entry that exists fails with ERR_PTR(-EEXIST) and a message,
 * as the kernel's; an ERR_PTR parent is passed through. debugfs_remove()
 * removes a whole subtree and waits until no dump is reading it, so the
 * data may be freed afterwards. debugfs_exit() (sim/init.h) removes what is
 * left when the machine stops.
 *
 * Simulator additions: debugfs_read_u64() and debugfs_read_text() read an
 * entry by path.
 */
#ifndef _SHIM_LINUX_DEBUGFS_H
#define _SHIM_LINUX_DEBUGFS_H

#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/types.h>

struct dentry;

static inline bool debugfs_initialized(void)
{
	return true;
}

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent);
struct dentry *debugfs_create_file(const char *name, umode_t mode, struct dentry *parent,
				   void *data, const struct file_operations *fops);
/* No file removal races to protect against: the same as debugfs_create_file(). */
struct dentry *debugfs_create_file_unsafe(const char *name, umode_t mode,
					  struct dentry *parent, void *data,
					  const struct file_operations *fops);

void debugfs_create_u8(const char *name, umode_t mode, struct dentry *parent, u8 *value);
void debugfs_create_u16(const char *name, umode_t mode, struct dentry *parent, u16 *value);
void debugfs_create_u32(const char *name, umode_t mode, struct dentry *parent, u32 *value);
void debugfs_create_u64(const char *name, umode_t mode, struct dentry *parent, u64 *value);
void debugfs_create_x8(const char *name, umode_t mode, struct dentry *parent, u8 *value);
void debugfs_create_x16(const char *name, umode_t mode, struct dentry *parent, u16 *value);
void debugfs_create_x32(const char *name, umode_t mode, struct dentry *parent, u32 *value);
void debugfs_create_x64(const char *name, umode_t mode, struct dentry *parent, u64 *value);
void debugfs_create_ulong(const char *name, umode_t mode, struct dentry *parent,
			  unsigned long *value);
void debugfs_create_size_t(const char *name, umode_t mode, struct dentry *parent,
			   size_t *value);
void debugfs_create_atomic_t(const char *name, umode_t mode, struct dentry *parent,
			     atomic_t *value);
void debugfs_create_bool(const char *name, umode_t mode, struct dentry *parent, bool *value);

/* Remove @dentry and everything below it. NULL and ERR_PTR are ignored. */
void debugfs_remove(struct dentry *dentry);
#define debugfs_remove_recursive	debugfs_remove
void debugfs_lookup_and_remove(const char *name, struct dentry *parent);
/* Find @name in @parent (NULL: the root); drop the reference with dput(). */
struct dentry *debugfs_lookup(const char *name, struct dentry *parent);
void dput(struct dentry *dentry);

ssize_t debugfs_attr_read(struct file *file, char __user *buf, size_t len, loff_t *ppos);
ssize_t debugfs_attr_write(struct file *file, const char __user *buf, size_t len,
			   loff_t *ppos);
ssize_t debugfs_attr_write_signed(struct file *file, const char __user *buf, size_t len,
				  loff_t *ppos);

#define DEFINE_DEBUGFS_ATTRIBUTE_XSIGNED(__fops, __get, __set, __fmt, __is_signed) \
static int __fops ## _open(struct inode *inode, struct file *file)	\
{									\
	__simple_attr_check_format(__fmt, 0ull);			\
	return simple_attr_open(inode, file, __get, __set, __fmt);	\
}									\
static const struct file_operations __fops = {				\
	.owner	 = THIS_MODULE,						\
	.open	 = __fops ## _open,					\
	.release = simple_attr_release,					\
	.read	 = debugfs_attr_read,					\
	.write	 = (__is_signed) ? debugfs_attr_write_signed : debugfs_attr_write, \
	.llseek	 = no_llseek,						\
}

#define DEFINE_DEBUGFS_ATTRIBUTE(__fops, __get, __set, __fmt)		\
	DEFINE_DEBUGFS_ATTRIBUTE_XSIGNED(__fops, __get, __set, __fmt, false)
#define DEFINE_DEBUGFS_ATTRIBUTE_SIGNED(__fops, __get, __set, __fmt)	\
	DEFINE_DEBUGFS_ATTRIBUTE_XSIGNED(__fops, __get, __set, __fmt, true)

/*
 * Simulator addition, for tests and tools: read the entry at @path (e.g.
 * "zswap/pool_limit_hit") as a number. Integer and bool entries are read
 * directly; a file is read and its text parsed. Returns 0, -ENOENT,
 * -EISDIR, or -EINVAL when the text is not a number.
 */
int debugfs_read_u64(const char *path, u64 *val);
/*
 * Simulator addition: the text of the entry at @path as a reader of the
 * file sees it (trailing newlines dropped), in *@text, which the caller
 * free()s. Returns 0, -ENOENT, -EISDIR or the file's error.
 */
int debugfs_read_text(const char *path, char **text);

#endif /* _SHIM_LINUX_DEBUGFS_H */
