/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel string helpers (<linux/string.h>, lib/string.c) on top of libc's
 * <string.h>. glibc never includes this header, so it can shadow the uapi
 * one freely. The allocating copies (kmemdup(), kstrdup(), ...) are
 * declared in <linux/slab.h>, included here as in the kernel.
 */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <string.h>

/* First byte in [@start, @start + @bytes) that is not @c, or NULL. */
static inline void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned char *p = start;
	size_t i;

	for (i = 0; i < bytes; i++)
		if (p[i] != (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

/* Copy a NUL-terminated string; -E2BIG if truncated, else its length. */
static inline ssize_t strscpy(char *dst, const char *src, size_t count)
{
	size_t len;

	if (!count)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dst, src, count - 1);
		dst[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

/* Like strscpy(), padding the rest of @dst with NULs. */
static inline ssize_t strscpy_pad(char *dst, const char *src, size_t count)
{
	ssize_t ret = strscpy(dst, src, count);
	size_t used = ret < 0 ? count : (size_t)ret + 1;

	if (used < count)
		memset(dst + used, 0, count - used);
	return ret;
}

static inline void memset64(u64 *s, u64 v, size_t count)
{
	while (count--)
		*s++ = v;
}

static inline void memset32(u32 *s, u32 v, size_t count)
{
	while (count--)
		*s++ = v;
}

static inline void memset_l(unsigned long *p, unsigned long v, size_t n)
{
	while (n--)
		*p++ = v;
}

/* Length of @prefix if @str starts with it, else 0. */
static inline size_t str_has_prefix(const char *str, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(str, prefix, len) == 0 ? len : 0;
}

/* Compare, ignoring one trailing newline in @s1 (sysfs input). */
static inline bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

static inline void memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	barrier();
}

#endif /* _SHIM_LINUX_STRING_H */
