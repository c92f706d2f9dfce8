// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel odds and ends: module parameters through the sysfs-like registry
 * (set/get round trips, kernel parsing rules, permissions, callbacks and
 * their errors, dumps), initcalls and module exit, debugfs entries and
 * their dumps, static keys.
 */
#define KBUILD_MODNAME "testmod"

#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zsim_test.h"

/* A failed test may leave its machine running: stop it for the next test. */
static int stop_machine_teardown(void **state)
{
	if (zsim_machine_running())
		zsim_machine_stop();
	return 0;
}

#define TEST_FREE(fn) \
	{ #fn "/free", fn, NULL, stop_machine_teardown, (void *)&zsim_test_free_backend }
#define TEST_CONTROLLED(fn) \
	{ #fn "/controlled", fn, NULL, stop_machine_teardown, \
	  (void *)&zsim_test_controlled_backend }
#define TEST_BOTH(fn)	TEST_FREE(fn), TEST_CONTROLLED(fn)
#define TEST_PLAIN(fn)	cmocka_unit_test_teardown(fn, stop_machine_teardown)

/* ---- the parameters of "testmod" ---- */

static bool flag = true;
module_param(flag, bool, 0644);
MODULE_PARM_DESC(flag, "a bool");

static int level = 3;
module_param(level, int, 0644);

static unsigned int limit = 20;
module_param_named(max_limit, limit, uint, 0644);

static long big = -5;
module_param(big, long, 0644);

static char *comp = "lzo";
module_param(comp, charp, 0644);

static int ro = 1;
module_param(ro, int, 0444);

static int hidden = 2;
module_param(hidden, int, 0);

static bool inv = false;
module_param(inv, invbool, 0644);

static char name_buf[8] = "abc";
module_param_string(name, name_buf, sizeof(name_buf), 0644);

/* A parameter with its own ops whose set can fail and may sleep. */
static int cb_val = 7;
static int cb_calls;
static bool cb_in_task;

static int cb_set(const char *val, const struct kernel_param *kp)
{
	int old = *(int *)kp->arg;
	int err;

	cb_calls++;
	cb_in_task = current != NULL;
	if (current)
		schedule_timeout_uninterruptible(1);
	err = param_set_int(val, kp);
	if (err)
		return err;
	if (*(int *)kp->arg > 100) {
		*(int *)kp->arg = old;
		return -EINVAL;
	}
	return 0;
}

static const struct kernel_param_ops cb_ops = {
	.set = cb_set,
	.get = param_get_int,
};
module_param_cb(cbparam, &cb_ops, &cb_val, 0644);

#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "othermod."
static unsigned long other = 9;
module_param(other, ulong, 0600);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("zswapsim");
MODULE_DESCRIPTION("parameters for the params test");

static char *get(const char *mod, const char *param)
{
	static char buf[256];
	int ret = zsim_param_get(mod, param, buf, sizeof(buf));

	if (ret < 0)
		snprintf(buf, sizeof(buf), "error %d", ret);
	return buf;
}

static void test_param_defaults(void **state)
{
	assert_string_equal(get("testmod", "flag"), "Y\n");
	assert_string_equal(get("testmod", "level"), "3\n");
	assert_string_equal(get("testmod", "max_limit"), "20\n");
	assert_string_equal(get("testmod", "big"), "-5\n");
	assert_string_equal(get("testmod", "comp"), "lzo\n");
	assert_string_equal(get("testmod", "ro"), "1\n");
	assert_string_equal(get("testmod", "inv"), "Y\n");
	assert_string_equal(get("testmod", "name"), "abc\n");
	assert_string_equal(get("othermod", "other"), "9\n");
}

static void test_param_int_rules(void **state)
{
	char *msg;
	FILE *f;
	int fd;

	assert_int_equal(zsim_param_set("testmod", "level", "42"), 0);
	assert_int_equal(level, 42);
	assert_string_equal(get("testmod", "level"), "42\n");
	/* echo adds a newline; base 0 as kstrtoint(). */
	assert_int_equal(zsim_param_set("testmod", "level", "0x10\n"), 0);
	assert_int_equal(level, 16);
	assert_int_equal(zsim_param_set("testmod", "level", "010"), 0);
	assert_int_equal(level, 8);
	assert_int_equal(zsim_param_set("testmod", "level", "-7"), 0);
	assert_int_equal(level, -7);
	assert_int_equal(zsim_param_set("testmod", "level", "abc"), -EINVAL);
	assert_int_equal(zsim_param_set("testmod", "level", ""), -EINVAL);
	assert_int_equal(zsim_param_set("testmod", "level", "5x"), -EINVAL);
	assert_int_equal(zsim_param_set("testmod", "level", "99999999999"), -ERANGE);
	assert_int_equal(level, -7);
	/* A refused write says which, for the person who made it. */
	f = zsim_test_stderr_begin(&fd);
	assert_int_equal(zsim_param_set("testmod", "level", "12abc"), -EINVAL);
	msg = zsim_test_stderr_end(f, fd);
	assert_non_null(strstr(msg, "writing \"12abc\" to module parameter testmod.level: -22"));
	free(msg);
	assert_int_equal(level, -7);
	assert_int_equal(zsim_param_set("testmod", "max_limit", "-1"), -EINVAL);
	assert_int_equal(zsim_param_set("testmod", "max_limit", "4294967295"), 0);
	assert_int_equal(limit, 4294967295U);
	assert_int_equal(zsim_param_set("testmod", "max_limit", "4294967296"), -ERANGE);
	assert_int_equal(zsim_param_set("testmod", "big", "-9223372036854775808"), 0);
	assert_true(big == LONG_MIN);
	assert_int_equal(zsim_param_set("othermod", "other", "+12"), 0);
	assert_int_equal(other, 12);
}

static void test_param_bool_rules(void **state)
{
	static const char *const yes[] = { "Y", "y", "1", "on", "ON", "yes", "Y\n" };
	static const char *const no[] = { "N", "n", "0", "off", "OFF", "no", "N\n" };
	static const char *const bad[] = { "x", "", "o", "2", "true" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		flag = false;
		assert_int_equal(zsim_param_set("testmod", "flag", yes[i]), 0);
		assert_true(flag);
		assert_string_equal(get("testmod", "flag"), "Y\n");
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		flag = true;
		assert_int_equal(zsim_param_set("testmod", "flag", no[i]), 0);
		assert_false(flag);
		assert_string_equal(get("testmod", "flag"), "N\n");
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		flag = true;
		assert_int_equal(zsim_param_set("testmod", "flag", bad[i]), -EINVAL);
		assert_true(flag);
	}
	assert_int_equal(zsim_param_set("testmod", "inv", "Y"), 0);
	assert_false(inv);
	assert_string_equal(get("testmod", "inv"), "Y\n");
}

static void test_param_strings(void **state)
{
	char long_val[1100];

	assert_int_equal(zsim_param_set("testmod", "comp", "zstd"), 0);
	assert_string_equal(comp, "zstd");
	assert_int_equal(zsim_param_set("testmod", "comp", "lz4"), 0);
	assert_string_equal(get("testmod", "comp"), "lz4\n");
	memset(long_val, 'a', sizeof(long_val) - 1);
	long_val[sizeof(long_val) - 1] = '\0';
	assert_int_equal(zsim_param_set("testmod", "comp", long_val), -ENOSPC);
	assert_string_equal(comp, "lz4");
	assert_int_equal(zsim_param_set("testmod", "name", "defg"), 0);
	assert_string_equal(name_buf, "defg");
	assert_int_equal(zsim_param_set("testmod", "name", "12345678"), -ENOSPC);
	assert_string_equal(name_buf, "defg");
}

static void test_param_permissions(void **state)
{
	char buf[8];

	assert_int_equal(zsim_param_set("testmod", "ro", "5"), -EACCES);
	assert_int_equal(ro, 1);
	assert_int_equal(zsim_param_get("testmod", "hidden", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(zsim_param_set("testmod", "hidden", "5"), -ENOENT);
	assert_int_equal(hidden, 2);
	assert_int_equal(zsim_param_set("testmod", "nosuch", "5"), -ENOENT);
	assert_int_equal(zsim_param_set("nosuchmod", "level", "5"), -ENOENT);
	assert_int_equal(zsim_param_get("nosuchmod", "level", buf, sizeof(buf)), -ENOENT);
	/* A short buffer truncates; the full length is returned. */
	assert_int_equal(zsim_param_get("testmod", "comp", buf, 3), (int)strlen(comp) + 1);
	assert_int_equal(strlen(buf), 2);
	/* NULL names, a NULL value (a bool flag aside), a NULL buffer. */
	assert_int_equal(zsim_param_set(NULL, "level", "5"), -EINVAL);
	assert_int_equal(zsim_param_set("testmod", NULL, "5"), -EINVAL);
	assert_int_equal(zsim_param_set("testmod", "level", NULL), -EINVAL);
	assert_int_equal(zsim_param_get(NULL, "level", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(zsim_param_get("testmod", NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(zsim_param_get("testmod", "level", NULL, sizeof(buf)), -EINVAL);
	assert_true(zsim_param_get("testmod", "level", NULL, 0) > 0);
}

static void test_param_cb_no_machine(void **state)
{
	cb_calls = 0;
	assert_int_equal(zsim_param_set("testmod", "cbparam", "55"), 0);
	assert_int_equal(cb_val, 55);
	assert_int_equal(cb_calls, 1);
	assert_false(cb_in_task);
	assert_int_equal(zsim_param_set("testmod", "cbparam", "500"), -EINVAL);
	assert_int_equal(cb_val, 55);
	assert_int_equal(zsim_param_set("testmod", "cbparam", "zz"), -EINVAL);
	assert_string_equal(get("testmod", "cbparam"), "55\n");
}

static int set_from_task(void *arg)
{
	return zsim_param_set("testmod", "cbparam", arg);
}

/* With a machine running, a set from outside runs in a simulated task. */
static void test_param_cb_machine(void **state)
{
	zsim_test_boot(state, 2, 41);
	cb_in_task = false;
	assert_int_equal(zsim_param_set("testmod", "cbparam", "60"), 0);
	assert_true(cb_in_task);
	assert_int_equal(cb_val, 60);
	assert_int_equal(zsim_param_set("testmod", "cbparam", "101"), -EINVAL);
	assert_int_equal(zsim_run(1, set_from_task, "61"), 0);
	assert_int_equal(cb_val, 61);
	assert_int_equal(zsim_run(1, set_from_task, "1000"), -EINVAL);
	assert_string_equal(get("testmod", "cbparam"), "61\n");
	zsim_test_shutdown_clean();
	/* Values outlive the machine. */
	assert_int_equal(cb_val, 61);
}

static noinline char *capture(void (*dump)(FILE *, bool), bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	dump(f, json);
	fclose(f);
	return text;
}

/* Every brace and bracket outside strings is balanced. */
static bool json_balanced(const char *s)
{
	int depth = 0;
	bool in_str = false;

	for (; *s; s++) {
		if (in_str) {
			if (*s == '\\')
				s++;
			else if (*s == '"')
				in_str = false;
			continue;
		}
		if (*s == '"')
			in_str = true;
		else if (*s == '{')
			depth++;
		else if (*s == '}' && --depth < 0)
			return false;
	}
	return depth == 0 && !in_str;
}

static void test_param_dump(void **state)
{
	char *text, *a, *b;

	assert_int_equal(zsim_param_set("testmod", "level", "42"), 0);
	assert_int_equal(zsim_param_set("testmod", "comp", "zstd"), 0);
	text = capture(zsim_dump_params, false);
	assert_non_null(strstr(text, "testmod.level=42\n"));
	assert_non_null(strstr(text, "testmod.comp=zstd\n"));
	assert_non_null(strstr(text, "testmod.max_limit="));
	assert_non_null(strstr(text, "othermod.other="));
	assert_null(strstr(text, "hidden"));
	/* Sorted by module, then parameter. */
	a = strstr(text, "othermod.other=");
	b = strstr(text, "testmod.big=");
	assert_true(a && b && a < b);
	assert_true(strstr(text, "testmod.big=") < strstr(text, "testmod.cbparam="));
	free(text);

	text = capture(zsim_dump_params, true);
	assert_true(text[0] == '{');
	assert_true(json_balanced(text));
	assert_non_null(strstr(text, "\"testmod\": {"));
	assert_non_null(strstr(text, "\"level\": \"42\""));
	assert_non_null(strstr(text, "\"comp\": \"zstd\""));
	assert_non_null(strstr(text, "\"othermod\": {"));
	assert_null(strstr(text, "hidden"));
	free(text);
}

/* ---- initcalls and module exit ---- */

static int order_log[8];
static int nr_order;
static int init_ret_fail = -ENODEV;
static int exits_run;
static int failmod_exit_run;
static bool init_in_task;

/* Every machine of this program runs the initcalls: keep the log bounded. */
static void log_order(int v)
{
	if (nr_order < (int)ARRAY_SIZE(order_log))
		order_log[nr_order] = v;
	nr_order++;
}

static int __init sub_init(void)
{
	log_order(1);
	return 0;
}
subsys_initcall(sub_init);

static int __init late_init(void)
{
	log_order(3);
	return 0;
}
late_initcall(late_init);

static int __init testmod_init(void)
{
	log_order(2);
	init_in_task = current != NULL;
	return 0;
}
module_init(testmod_init);

static void __exit testmod_exit(void)
{
	exits_run++;
}
module_exit(testmod_exit);

#undef KBUILD_MODNAME
#define KBUILD_MODNAME "failmod"

static int __init failmod_init(void)
{
	log_order(9);
	return init_ret_fail;
}
module_init(failmod_init);

static void __exit failmod_exit(void)
{
	failmod_exit_run++;
}
module_exit(failmod_exit);

static void test_initcalls(void **state)
{
	nr_order = 0;
	exits_run = 0;
	failmod_exit_run = 0;
	init_ret_fail = -ENODEV;
	zsim_test_boot(state, 2, 42);
	assert_int_equal(nr_order, 4);
	assert_int_equal(order_log[0], 1);	/* subsys */
	assert_true((order_log[1] == 2 && order_log[2] == 9) ||
		    (order_log[1] == 9 && order_log[2] == 2));	/* device, link order */
	assert_int_equal(order_log[3], 3);	/* late */
	assert_true(init_in_task);
	assert_int_equal(exits_run, 0);
	zsim_test_shutdown_clean();
	assert_int_equal(exits_run, 1);
	assert_int_equal(failmod_exit_run, 0);	/* its init failed: never loaded */

	/* Every machine loads and unloads the modules again. */
	nr_order = 0;
	init_ret_fail = 0;
	zsim_test_boot(state, 2, 43);
	assert_int_equal(nr_order, 4);
	zsim_test_shutdown_clean();
	assert_int_equal(exits_run, 2);
	assert_int_equal(failmod_exit_run, 1);
}

/* ---- debugfs ---- */

struct dfs {
	struct dentry	*dir;
	struct dentry	*sub;
	struct dentry	*dup;
	u64		counter;
	u32		small;
	atomic_t	atom;
	bool		on;
	u64		hex;
	int		shows;
	int		r[8];
};

static struct dfs dfs;

static int lines_show(struct seq_file *m, void *v)
{
	struct dfs *d = m->private;

	d->shows++;
	seq_printf(m, "a=%d\n", 1);
	seq_puts(m, "b=2\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lines);

/* Text that a line-based reader of the dump could mistake. */
static int odd_show(struct seq_file *m, void *v)
{
	seq_puts(m, "back\\slash\ttab\x01\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(odd);

/* Lines of @text that begin with @prefix. */
static int count_lines_starting(const char *text, const char *prefix)
{
	size_t len = strlen(prefix);
	const char *line = text;
	int n = 0;

	while (line && *line) {
		if (!strncmp(line, prefix, len))
			n++;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return n;
}

static int total_get(void *data, u64 *val)
{
	struct dfs *d = data;

	*val = d->counter * 1000 + d->small;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(total_fops, total_get, NULL, "%llu\n");

static int big_show(struct seq_file *m, void *v)
{
	int i;

	/* More than the first buffer holds: seq_read() must grow it. */
	for (i = 0; i < 1000; i++)
		seq_printf(m, "line %04d\n", i);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(big);

static int create_entries(void *arg)
{
	struct dfs *d = arg;

	d->dir = debugfs_create_dir("zt", NULL);
	if (IS_ERR(d->dir))
		return (int)PTR_ERR(d->dir);
	debugfs_create_u64("counter", 0444, d->dir, &d->counter);
	debugfs_create_u32("small", 0444, d->dir, &d->small);
	debugfs_create_atomic_t("atom", 0444, d->dir, &d->atom);
	debugfs_create_bool("on", 0444, d->dir, &d->on);
	debugfs_create_x64("hex", 0444, d->dir, &d->hex);
	debugfs_create_file("lines", 0444, d->dir, d, &lines_fops);
	debugfs_create_file("total", 0444, d->dir, d, &total_fops);
	debugfs_create_file("odd", 0444, d->dir, NULL, &odd_fops);
	d->sub = debugfs_create_dir("sub", d->dir);
	debugfs_create_file("big", 0444, d->sub, NULL, &big_fops);
	d->dup = debugfs_create_dir("zt", NULL);
	return 0;
}

static int remove_dir(void *arg)
{
	struct dfs *d = arg;
	struct dentry *found = debugfs_lookup("sub", d->dir);

	d->r[0] = found == d->sub;
	dput(found);
	debugfs_remove(d->sub);
	d->r[1] = debugfs_lookup("sub", d->dir) == NULL;
	debugfs_remove(d->dir);
	return 0;
}

static void test_debugfs(void **state)
{
	char *text;
	u64 v;

	memset(&dfs, 0, sizeof(dfs));
	zsim_test_boot(state, 2, 44);
	assert_int_equal(zsim_run(0, create_entries, &dfs), 0);
	assert_true(IS_ERR(dfs.dup));
	assert_int_equal(PTR_ERR(dfs.dup), -EEXIST);

	dfs.counter = 3;
	dfs.small = 7;
	dfs.atom.counter = -2;
	dfs.on = true;
	dfs.hex = 0xbeef;
	assert_int_equal(debugfs_read_u64("zt/counter", &v), 0);
	assert_int_equal(v, 3);
	dfs.counter++;
	assert_int_equal(debugfs_read_u64("zt/counter", &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(debugfs_read_u64("zt/total", &v), 0);
	assert_int_equal(v, 4007);
	assert_int_equal(debugfs_read_u64("zt/on", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(debugfs_read_u64("zt", &v), -EISDIR);
	assert_int_equal(debugfs_read_u64("zt/nope", &v), -ENOENT);
	assert_int_equal(debugfs_read_u64("zt/lines", &v), -EINVAL);

	text = capture(zsim_dump_debugfs, false);
	assert_non_null(strstr(text, "zt/counter 4\n"));
	assert_non_null(strstr(text, "zt/small 7\n"));
	assert_non_null(strstr(text, "zt/atom -2\n"));
	assert_non_null(strstr(text, "zt/on Y\n"));
	assert_non_null(strstr(text, "zt/hex 0x000000000000beef\n"));
	assert_non_null(strstr(text, "zt/total 4007\n"));
	/* One line per entry: the file's newlines are escaped. */
	assert_non_null(strstr(text, "zt/lines a=1\\nb=2\n"));
	assert_non_null(strstr(text, "zt/sub/big line 0000\\nline 0001\\n"));
	assert_non_null(strstr(text, "\\nline 0999\n"));
	assert_non_null(strstr(text, "zt/odd back\\\\slash\\x09tab\\x01\n"));
	/* Nine entries under zt/, and no line that is the rest of a value. */
	assert_int_equal(count_lines_starting(text, "zt/"), 9);
	assert_int_equal(count_lines_starting(text, "line "), 0);
	assert_int_equal(count_lines_starting(text, "b=2"), 0);
	/* Sorted by name within a directory. */
	assert_true(strstr(text, "zt/atom") < strstr(text, "zt/counter"));
	assert_true(dfs.shows >= 1);
	free(text);

	text = capture(zsim_dump_debugfs, true);
	assert_true(json_balanced(text));
	assert_non_null(strstr(text, "\"zt/counter\": 4"));
	assert_non_null(strstr(text, "\"zt/atom\": -2"));
	assert_non_null(strstr(text, "\"zt/on\": true"));
	assert_non_null(strstr(text, "\"zt/hex\": 48879"));
	assert_non_null(strstr(text, "\"zt/total\": 4007"));
	assert_non_null(strstr(text, "\"zt/lines\": \"a=1\\nb=2\""));
	free(text);

	assert_int_equal(zsim_run(1, remove_dir, &dfs), 0);
	assert_true(dfs.r[0]);
	assert_true(dfs.r[1]);
	assert_int_equal(debugfs_read_u64("zt/counter", &v), -ENOENT);
	text = capture(zsim_dump_debugfs, false);
	assert_null(strstr(text, "zt/"));
	free(text);
	zsim_test_shutdown_clean();
}

/* Entries left at machine stop are removed. */
static void test_debugfs_cleared_at_stop(void **state)
{
	char *text;
	u64 v;

	memset(&dfs, 0, sizeof(dfs));
	zsim_test_boot(state, 2, 45);
	assert_int_equal(zsim_run(0, create_entries, &dfs), 0);
	zsim_test_shutdown_clean();
	assert_int_equal(debugfs_read_u64("zt/counter", &v), -ENOENT);
	zsim_test_boot(state, 2, 46);
	/* Built-in modules (iaa_crypto, ...) have their own entries at boot. */
	text = capture(zsim_dump_debugfs, false);
	assert_null(strstr(text, "zt/"));
	free(text);
	assert_int_equal(zsim_run(0, create_entries, &dfs), 0);
	assert_false(IS_ERR(dfs.dir));
	zsim_test_shutdown_clean();
}

/* ---- static keys ---- */

static DEFINE_STATIC_KEY_FALSE(key_off);
static DEFINE_STATIC_KEY_TRUE(key_on);

static int toggle_keys(void *arg)
{
	int *r = arg;

	r[0] = static_branch_unlikely(&key_off);
	static_branch_enable(&key_off);
	r[1] = static_branch_unlikely(&key_off);
	static_branch_inc(&key_off);
	r[2] = static_key_count(&key_off.key);
	static_branch_dec(&key_off);
	r[3] = static_key_enabled(&key_off);
	static_branch_dec(&key_off);
	r[4] = static_key_enabled(&key_off);
	r[5] = static_branch_likely(&key_on);
	static_branch_disable(&key_on);
	r[6] = static_branch_likely(&key_on) || static_key_enabled(&key_on.key);
	/* Back to the initial state for the other backend's run. */
	static_branch_enable(&key_on);
	return 0;
}

static void test_static_keys(void **state)
{
	int r[8] = { 0 };

	zsim_test_boot(state, 2, 47);
	assert_int_equal(zsim_run(0, toggle_keys, r), 0);
	assert_false(r[0]);
	assert_true(r[1]);
	assert_int_equal(r[2], 2);
	assert_true(r[3]);
	assert_false(r[4]);
	assert_true(r[5]);
	assert_false(r[6]);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST_PLAIN(test_param_defaults),
		TEST_PLAIN(test_param_int_rules),
		TEST_PLAIN(test_param_bool_rules),
		TEST_PLAIN(test_param_strings),
		TEST_PLAIN(test_param_permissions),
		TEST_PLAIN(test_param_cb_no_machine),
		TEST_BOTH(test_param_cb_machine),
		TEST_PLAIN(test_param_dump),
		TEST_BOTH(test_initcalls),
		TEST_BOTH(test_debugfs),
		TEST_BOTH(test_debugfs_cleared_at_stop),
		TEST_BOTH(test_static_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
