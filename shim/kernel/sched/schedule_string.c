// SPDX-License-Identifier: GPL-2.0-only
/*
 * Schedule strings: the controlled scheduler's decisions as short text.
 *
 * Each decision is a small number (which candidate ran, whether and where
 * a task migrated), recorded only where there was a choice. The text is
 * the numbers in base 36 separated by '.', a run of equal numbers written
 * once with "*count" (base 36): most steps keep the same choice, so a run
 * of thousands of steps fits in a line. Example: "0*2s.1.0*a.2".
 */
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/printk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"

int sched_trace_push(struct sched_trace *tr, u32 val)
{
	if (tr->nr == tr->cap) {
		size_t cap = tr->cap ? 2 * tr->cap : 1024;
		u32 *vals = realloc(tr->vals, cap * sizeof(*vals));

		if (!vals)
			return -ENOMEM;
		tr->vals = vals;
		tr->cap = cap;
	}
	tr->vals[tr->nr++] = val;
	return 0;
}

/*
 * The record is host memory, like every structure of the simulator, but
 * its growth is a fault site so that tests can see what a run that could
 * not record its decisions reports (zsim_schedule()).
 */
static DEFINE_FAULT_SITE(sched_trace_fault, "sched_trace");

int sched_trace_record(struct sched_trace *tr, u32 val)
{
	if (tr->nr == tr->cap && should_fail_site(&sched_trace_fault))
		return -ENOMEM;
	return sched_trace_push(tr, val);
}

void sched_trace_free(struct sched_trace *tr)
{
	free(tr->vals);
	memset(tr, 0, sizeof(*tr));
}

static void put_base36(FILE *f, unsigned long v)
{
	char buf[16];
	int i = sizeof(buf);

	buf[--i] = '\0';
	do {
		buf[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		v /= 36;
	} while (v);
	fputs(buf + i, f);
}

char *sched_trace_encode(const struct sched_trace *tr)
{
	char *buf = NULL;
	size_t len = 0;
	size_t i = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	while (i < tr->nr) {
		size_t run = 1;

		while (i + run < tr->nr && tr->vals[i + run] == tr->vals[i])
			run++;
		if (i)
			fputc('.', f);
		put_base36(f, tr->vals[i]);
		if (run > 1) {
			fputc('*', f);
			put_base36(f, run);
		}
		i += run;
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int get_base36(const char **p, unsigned long *out)
{
	unsigned long v = 0;
	const char *s = *p;

	if (!*s || (!(*s >= '0' && *s <= '9') && !(*s >= 'a' && *s <= 'z')))
		return -EINVAL;
	for (; (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z'); s++) {
		unsigned long d = *s <= '9' ? (unsigned long)(*s - '0') : (unsigned long)(*s - 'a' + 10);

		if (v > (~0UL - d) / 36)
			return -EINVAL;
		v = v * 36 + d;
	}
	*p = s;
	*out = v;
	return 0;
}

int sched_trace_decode(struct sched_trace *tr, const char *str)
{
	const char *p = str;

	sched_trace_free(tr);
	while (*p) {
		unsigned long val, run = 1;

		if (get_base36(&p, &val) || val > UINT32_MAX)
			goto bad;
		if (*p == '*') {
			p++;
			if (get_base36(&p, &run) || !run || run > (1UL << 32))
				goto bad;
		}
		while (run--)
			if (sched_trace_push(tr, (u32)val)) {
				sched_trace_free(tr);
				return -ENOMEM;
			}
		if (*p == '.')
			p++;
		else if (*p)
			goto bad;
	}
	return 0;
bad:
	pr_err("zswapsim: bad schedule string at offset %zu: \"%.20s\"\n", (size_t)(p - str), p);
	sched_trace_free(tr);
	return -EINVAL;
}

/* Suffix of a replay string: after its decisions, no preemption. */
#define STAY_MARK	":stay"

char *schedule_format(u64 seed, const struct sched_trace *tr, bool stay)
{
	char *body = sched_trace_encode(tr);
	char *s = NULL;

	if (body && asprintf(&s, "z1:%llx:%s%s", (unsigned long long)seed, body,
			     stay ? STAY_MARK : "") < 0)
		s = NULL;
	free(body);
	return s;
}

int schedule_parse(const char *str, u64 *seed, struct sched_trace *tr, bool *stay)
{
	char *end, *body;
	size_t len;
	int ret;

	if (strncmp(str, "z1:", 3)) {
		pr_err("zswapsim: schedule string must start with \"z1:\": \"%.40s\"\n", str);
		return -EINVAL;
	}
	*seed = strtoull(str + 3, &end, 16);
	if (end == str + 3 || *end != ':') {
		pr_err("zswapsim: schedule string has no seed: \"%.40s\"\n", str);
		return -EINVAL;
	}
	if (!strcmp(end + 1, SCHEDULE_TRUNCATED)) {
		pr_err("zswapsim: schedule string \"%.40s\" cannot be replayed: its run could not record every decision (host out of memory); rerun with seed 0x%llx instead, unless that run was itself a replay\n",
		       str, (unsigned long long)*seed);
		return -EINVAL;
	}
	body = strdup(end + 1);
	if (!body)
		return -ENOMEM;
	len = strlen(body);
	*stay = len >= strlen(STAY_MARK) && !strcmp(body + len - strlen(STAY_MARK), STAY_MARK);
	if (*stay)
		body[len - strlen(STAY_MARK)] = '\0';
	ret = sched_trace_decode(tr, body);
	free(body);
	return ret;
}
