// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sequential files (fs/seq_file.c). The whole text is produced on the
 * first read from position 0, into a buffer that doubles until the text
 * fits (the kernel does the same per page); later reads copy from it.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEQ_FIRST_SIZE	4096

int seq_open(struct file *file, const struct seq_operations *op)
{
	struct seq_file *m;

	/* File bookkeeping is the simulator's own: host memory. */
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->op = op;
	m->file = file;
	file->private_data = m;
	return 0;
}

/* Run the iterator over the whole file; false if the buffer overflowed. */
static int seq_fill(struct seq_file *m)
{
	loff_t pos = 0;
	size_t before;
	void *p;
	int err = 0;

	m->count = 0;
	p = m->op->start(m, &pos);
	while (p) {
		if (IS_ERR(p)) {
			err = PTR_ERR(p);
			break;
		}
		before = m->count;
		err = m->op->show(m, p);
		if (err < 0)
			break;
		if (err > 0) {
			/* SEQ_SKIP: drop what this record printed. */
			m->count = before;
			err = 0;
		}
		if (seq_has_overflowed(m))
			break;
		p = m->op->next(m, p, &pos);
	}
	m->op->stop(m, p);
	m->index = pos;
	return err;
}

ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	size_t avail;
	int err;

	if (*ppos == 0 || !m->filled) {
		for (;;) {
			if (!m->buf) {
				m->size = m->size ? m->size : SEQ_FIRST_SIZE;
				m->buf = malloc(m->size);
				if (!m->buf)
					return -ENOMEM;
			}
			err = seq_fill(m);
			if (err)
				return err;
			if (!seq_has_overflowed(m))
				break;
			free(m->buf);
			m->buf = NULL;
			m->size *= 2;
		}
		m->filled = true;
	}
	if ((size_t)*ppos >= m->count)
		return 0;
	avail = min(size, m->count - (size_t)*ppos);
	memcpy(buf, m->buf + *ppos, avail);
	*ppos += avail;
	return avail;
}

loff_t seq_lseek(struct file *file, loff_t offset, int whence)
{
	return default_llseek(file, offset, whence);
}

int seq_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	if (m) {
		free(m->buf);
		free(m);
	}
	file->private_data = NULL;
	return 0;
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list args)
{
	int len;

	if (m->count < m->size) {
		len = vsnprintf(m->buf + m->count, m->size - m->count, fmt, args);
		if (len >= 0 && m->count + len < m->size) {
			m->count += len;
			return;
		}
	}
	m->count = m->size;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	seq_vprintf(m, fmt, args);
	va_end(args);
}

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->count + len < m->size) {
		memcpy(m->buf + m->count, data, len);
		m->count += len;
		return;
	}
	m->count = m->size;
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_put_decimal_ull(struct seq_file *m, const char *delimiter, unsigned long long num)
{
	seq_printf(m, "%s%llu", delimiter ? delimiter : "", num);
}

void seq_put_decimal_ll(struct seq_file *m, const char *delimiter, long long num)
{
	seq_printf(m, "%s%lld", delimiter ? delimiter : "", num);
}

void seq_put_hex_ll(struct seq_file *m, const char *delimiter, unsigned long long v,
		    unsigned int width)
{
	seq_printf(m, "%s%0*llx", delimiter ? delimiter : "", (int)width, v);
}

void seq_pad(struct seq_file *m, char c)
{
	if (c)
		seq_putc(m, c);
}

/* single_open(): one record, the show callback, with @data as m->private. */
static void *single_start(struct seq_file *p, loff_t *pos)
{
	return *pos ? NULL : SEQ_START_TOKEN;
}

static void *single_next(struct seq_file *p, void *v, loff_t *pos)
{
	++*pos;
	return NULL;
}

static void single_stop(struct seq_file *p, void *v)
{
}


int single_open(struct file *file, int (*show)(struct seq_file *, void *), void *data)
{
	struct seq_operations *op = calloc(1, sizeof(*op));
	int res;

	if (!op)
		return -ENOMEM;
	op->start = single_start;
	op->next = single_next;
	op->stop = single_stop;
	op->show = show;
	res = seq_open(file, op);
	if (res) {
		free(op);
		return res;
	}
	((struct seq_file *)file->private_data)->private = data;
	return 0;
}

int single_open_size(struct file *file, int (*show)(struct seq_file *, void *),
		     void *data, size_t size)
{
	int ret = single_open(file, show, data);

	if (!ret)
		((struct seq_file *)file->private_data)->size = size ? size : SEQ_FIRST_SIZE;
	return ret;
}

int single_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	const struct seq_operations *op = m ? m->op : NULL;
	int res = seq_release(inode, file);

	free((void *)op);
	return res;
}

struct list_head *seq_list_start(struct list_head *head, loff_t pos)
{
	struct list_head *lh;

	list_for_each(lh, head)
		if (pos-- == 0)
			return lh;
	return NULL;
}

struct list_head *seq_list_start_head(struct list_head *head, loff_t pos)
{
	if (!pos)
		return head;
	return seq_list_start(head, pos - 1);
}

struct list_head *seq_list_next(void *v, struct list_head *head, loff_t *ppos)
{
	struct list_head *lh = ((struct list_head *)v)->next;

	++*ppos;
	return lh == head ? NULL : lh;
}
