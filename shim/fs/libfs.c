// SPDX-License-Identifier: GPL-2.0-only
/* The libfs helpers debugfs files use (fs/libfs.c, fs/read_write.c). */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

loff_t no_llseek(struct file *file, loff_t offset, int whence)
{
	return -ESPIPE;
}

loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	return file->f_pos;
}

loff_t default_llseek(struct file *file, loff_t offset, int whence)
{
	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		offset += file->f_pos;
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	return default_llseek(file, offset, whence);
}

int simple_open(struct inode *inode, struct file *file)
{
	if (inode->i_private)
		file->private_data = inode->i_private;
	return 0;
}

int nonseekable_open(struct inode *inode, struct file *file)
{
	return 0;
}

ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos,
				const void *from, size_t available)
{
	loff_t pos = *ppos;

	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	if (count > available - pos)
		count = available - pos;
	memcpy(to, (const char *)from + pos, count);
	*ppos = pos + count;
	return count;
}

ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos,
			       const void __user *from, size_t count)
{
	loff_t pos = *ppos;

	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	if (count > available - pos)
		count = available - pos;
	memcpy((char *)to + pos, from, count);
	*ppos = pos + count;
	return count;
}

struct simple_attr {
	int (*get)(void *, u64 *);
	int (*set)(void *, u64);
	char get_buf[24];	/* enough for a u64 in any base, plus newline */
	char set_buf[24];
	void *data;
	const char *fmt;
};

int simple_attr_open(struct inode *inode, struct file *file,
		     int (*get)(void *, u64 *), int (*set)(void *, u64),
		     const char *fmt)
{
	struct simple_attr *attr = calloc(1, sizeof(*attr));

	if (!attr)
		return -ENOMEM;
	attr->get = get;
	attr->set = set;
	attr->data = inode->i_private;
	attr->fmt = fmt;
	file->private_data = attr;
	return 0;
}

int simple_attr_release(struct inode *inode, struct file *file)
{
	free(file->private_data);
	file->private_data = NULL;
	return 0;
}

ssize_t simple_attr_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	struct simple_attr *attr = file->private_data;
	size_t size;

	if (!attr->get)
		return -EACCES;
	/* Format once, at the start of the file, like the kernel. */
	if (*ppos == 0 || !attr->get_buf[0]) {
		u64 val;
		int ret = attr->get(attr->data, &val);

		if (ret)
			return ret;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(attr->get_buf, sizeof(attr->get_buf), attr->fmt, (unsigned long long)val);
#pragma GCC diagnostic pop
	}
	size = strlen(attr->get_buf);
	return simple_read_from_buffer(buf, len, ppos, attr->get_buf, size);
}

static ssize_t simple_attr_write_xsigned(struct file *file, const char __user *buf,
					 size_t len, loff_t *ppos, bool is_signed)
{
	struct simple_attr *attr = file->private_data;
	unsigned long long val;
	char *end;
	size_t size;
	int ret;

	if (!attr->set)
		return -EACCES;
	if (*ppos)
		return -EINVAL;
	size = min(sizeof(attr->set_buf) - 1, len);
	memcpy(attr->set_buf, buf, size);
	attr->set_buf[size] = '\0';
	errno = 0;
	val = is_signed ? (unsigned long long)strtoll(attr->set_buf, &end, 0) :
			  strtoull(attr->set_buf, &end, 0);
	if (errno || end == attr->set_buf || (*end && *end != '\n'))
		return -EINVAL;
	ret = attr->set(attr->data, val);
	return ret ? ret : (ssize_t)len;
}

ssize_t simple_attr_write(struct file *file, const char __user *buf, size_t len,
			  loff_t *ppos)
{
	return simple_attr_write_xsigned(file, buf, len, ppos, false);
}

ssize_t simple_attr_write_signed(struct file *file, const char __user *buf,
				 size_t len, loff_t *ppos)
{
	return simple_attr_write_xsigned(file, buf, len, ppos, true);
}
