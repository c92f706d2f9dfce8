// SPDX-License-Identifier: GPL-2.0-only
/*
 * zsim_zsmalloc_dump() (include/zswapsim.h), part of the simulation-control
 * API: a zsmalloc pool's statistics, read the way a person reads them in
 * the kernel, from debugfs. zsmalloc itself knows nothing of this API; it
 * registers zsmalloc/<pool>/classes (the kernel's CONFIG_ZSMALLOC_STAT
 * table) and zsmalloc/<pool>/sim_stats ("key value" lines: design, pages,
 * pages_compacted, zspages_rcu_pending). The text dump is the classes
 * table, a blank line and the sim_stats lines; the JSON dump is both
 * parsed into one object. The JSON is built in memory and written only
 * once it is complete, so a failure leaves nothing half-written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <zswapsim.h>

/* The classes table's columns after "class size", as the header names them. */
#define ZS_DUMP_FG_COLS		11	/* 10% .. 100% */
#define ZS_DUMP_MAX_COLS	32

static const char *const zs_dump_class_tail[] = {
	"obj_allocated", "obj_used", "pages_used", "pages_per_zspage", "freeable",
};

/* Split @line (modified) into blank-separated words; returns their number. */
static int split_words(char *line, char **w, int max)
{
	int n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, " \t", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t", &save))
		w[n++] = tok;
	return n;
}

/* Whether @s is a whole decimal number (a JSON number as it stands). */
static bool is_number(const char *s)
{
	char *end;

	if (!*s)
		return false;
	strtol(s, &end, 10);
	return !*end;
}

/* @s as a JSON string: quotes, backslashes and control bytes escaped. */
static void put_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* One JSON object of a class row or the Total row; false if malformed. */
static bool put_row(FILE *out, char **hdr, int nr_hdr, char **w, int n, bool total)
{
	int i, col;

	/* The Total row has no class, no size and no pages_per_zspage. */
	if (total ? n != nr_hdr - 2 : n != nr_hdr)
		return false;
	fputc('{', out);
	col = 0;
	for (i = 0; i < nr_hdr; i++) {
		const char *val;

		if (total && (i < 2 || !strcmp(hdr[i], "pages_per_zspage")))
			continue;
		val = w[total ? col + 1 : col];
		if (!is_number(val))
			return false;
		fprintf(out, "%s\"%s\":%s", col ? "," : "", hdr[i], val);
		col++;
	}
	fputc('}', out);
	return true;
}

/* The classes table as "classes":[...],"total":{...}; -EINVAL if unparsable. */
static int put_classes(FILE *out, char *table)
{
	char *hdr[ZS_DUMP_MAX_COLS], *w[ZS_DUMP_MAX_COLS];
	char *save = NULL, *line;
	int nr_hdr = 0, n;
	bool first = true, total = false;

	for (line = strtok_r(table, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		n = split_words(line, w, ZS_DUMP_MAX_COLS);
		if (!n)
			continue;
		if (total)
			return -EINVAL;		/* nothing may follow the Total row */
		if (!nr_hdr) {
			if (n != 2 + ZS_DUMP_FG_COLS + (int)ARRAY_SIZE(zs_dump_class_tail) ||
			    strcmp(w[0], "class"))
				return -EINVAL;
			/* The header's words are the JSON names. */
			memcpy(hdr, w, n * sizeof(*w));
			nr_hdr = n;
			fputs("\"classes\":[", out);
			continue;
		}
		if (!strcmp(w[0], "Total")) {
			fputs("],\"total\":", out);
			if (!put_row(out, hdr, nr_hdr, w, n, true))
				return -EINVAL;
			total = true;
			continue;
		}
		if (!first)
			fputc(',', out);
		if (!put_row(out, hdr, nr_hdr, w, n, false))
			return -EINVAL;
		first = false;
	}
	return total ? 0 : -EINVAL;
}

/* sim_stats as JSON members: numbers as numbers, words as strings. */
static int put_sim_stats(FILE *out, char *text)
{
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *w[3];

		if (split_words(line, w, 3) != 2)
			return -EINVAL;
		put_json_string(out, w[0]);
		fputc(':', out);
		if (is_number(w[1]))
			fputs(w[1], out);
		else
			put_json_string(out, w[1]);
		fputc(',', out);
	}
	return 0;
}

/* The whole JSON object in *@json (malloc()ed), or a negative errno. */
static int build_json(const char *pool, char *classes, char *sim, char **json)
{
	size_t len = 0;
	FILE *f = open_memstream(json, &len);
	int ret;

	if (!f)
		return -ENOMEM;
	fputs("{\"pool\":", f);
	put_json_string(f, pool);
	fputc(',', f);
	ret = put_sim_stats(f, sim);
	if (!ret)
		ret = put_classes(f, classes);
	fputs("}\n", f);
	if (fclose(f) && !ret)
		ret = -ENOMEM;
	if (ret) {
		free(*json);
		*json = NULL;
	}
	return ret;
}

int zsim_zsmalloc_dump(const char *pool, FILE *out, bool json)
{
	char path[256], *classes = NULL, *sim = NULL, *obj = NULL;
	int ret;

	if (!pool || !*pool || strchr(pool, '/'))
		return -ENOENT;
	if (!zsim_machine_running())
		return -ENODEV;

	/* sim_stats is the longer of the two paths. */
	if (snprintf(path, sizeof(path), "zsmalloc/%s/sim_stats", pool) >= (int)sizeof(path))
		return -ENOENT;
	snprintf(path, sizeof(path), "zsmalloc/%s/classes", pool);
	ret = debugfs_read_text(path, &classes);
	if (ret)
		return ret == -EISDIR ? -ENOENT : ret;
	snprintf(path, sizeof(path), "zsmalloc/%s/sim_stats", pool);
	ret = debugfs_read_text(path, &sim);
	if (ret)
		goto out;

	if (!json) {
		fprintf(out, "%s\n\n%s\n", classes, sim);
		goto out;
	}
	ret = build_json(pool, classes, sim, &obj);
	if (!ret)
		fputs(obj, out);
out:
	fflush(out);
	free(obj);
	free(classes);
	free(sim);
	return ret;
}
