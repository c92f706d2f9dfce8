// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fault-injection framework: a registry of named sites, their
 * configuration and counters, ZSWAPSIM_FAULTS, and the zsim_fault_* calls
 * of include/zswapsim.h. See <linux/fault-inject.h>.
 */
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/printk.h>
#include <sim/init.h>
#include <sim/rawlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zswapsim.h>

/* Sites, and configurations waiting for per-cache sites not created yet. */
static LIST_HEAD(fault_sites);
static struct sim_rawlock fault_lock = SIM_RAWLOCK_INIT;
static u64 fault_machine_seed = 1;

#define PENDING_PREFIX	"kmem_cache:"

struct fault_pending {
	struct fault_pending	*next;
	enum fault_mode		mode;
	unsigned long		param;
	char			name[];
};
static struct fault_pending *fault_pending;

static u64 splitmix64(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Each site's stream depends on the machine seed and its name only. */
static u64 site_seed(const char *name)
{
	u64 h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; name && *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3ULL;
	return splitmix64(fault_machine_seed ^ h);
}

static struct fault_pending *pending_find(const char *name)
{
	struct fault_pending *p;

	for (p = fault_pending; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static void pending_clear(void)
{
	while (fault_pending) {
		struct fault_pending *p = fault_pending;

		fault_pending = p->next;
		free(p);
	}
}

static void site_configure(struct fault_attr *attr, enum fault_mode mode, unsigned long param)
{
	WRITE_ONCE(attr->mode, FAULT_OFF);
	__atomic_store_n(&attr->calls, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&attr->injected, 0, __ATOMIC_RELAXED);
	WRITE_ONCE(attr->param, param);
	__atomic_store_n(&attr->mode, mode, __ATOMIC_RELEASE);
}

void fault_site_register(struct fault_attr *attr)
{
	struct fault_pending *p;

	sim_rawlock_lock(&fault_lock);
	if (!attr->registered) {
		attr->seed = site_seed(attr->name);
		p = attr->name ? pending_find(attr->name) : NULL;
		site_configure(attr, p ? p->mode : FAULT_OFF, p ? p->param : 0);
		list_add_tail(&attr->list, &fault_sites);
		__atomic_store_n(&attr->registered, 1, __ATOMIC_RELEASE);
	}
	sim_rawlock_unlock(&fault_lock);
}

void fault_site_unregister(struct fault_attr *attr)
{
	sim_rawlock_lock(&fault_lock);
	if (attr->registered) {
		list_del(&attr->list);
		attr->registered = 0;
	}
	sim_rawlock_unlock(&fault_lock);
}

bool should_fail(struct fault_attr *attr, ssize_t size)
{
	enum fault_mode mode;
	unsigned long n, param;
	bool fail;

	(void)size;
	if (unlikely(!__atomic_load_n(&attr->registered, __ATOMIC_ACQUIRE)))
		fault_site_register(attr);
	n = __atomic_add_fetch(&attr->calls, 1, __ATOMIC_RELAXED);
	mode = __atomic_load_n(&attr->mode, __ATOMIC_ACQUIRE);
	param = READ_ONCE(attr->param);
	switch (mode) {
	case FAULT_NTH:
		fail = n == param;
		break;
	case FAULT_INTERVAL:
		fail = param && n % param == 0;
		break;
	case FAULT_PROBABILITY:
		fail = splitmix64(attr->seed + n * 0xd1342543de82ef95ULL) % 1000 < param;
		break;
	default:
		fail = false;
		break;
	}
	if (!fail)
		return false;
	__atomic_add_fetch(&attr->injected, 1, __ATOMIC_RELAXED);
	if (attr->verbose) {
		printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure.\n");
		printk(KERN_NOTICE "name %s, call %lu\n", attr->name, n);
		if (attr->verbose > 1)
			dump_stack();
	}
	return true;
}

/* Sites known only by name get a registry entry of their own on first use. */
bool fault_should_fail(const char *site)
{
	struct fault_attr *attr, *found = NULL;

	sim_rawlock_lock(&fault_lock);
	list_for_each_entry(attr, &fault_sites, list) {
		if (attr->name && !strcmp(attr->name, site)) {
			found = attr;
			break;
		}
	}
	sim_rawlock_unlock(&fault_lock);
	if (!found) {
		char *name = strdup(site);

		found = calloc(1, sizeof(*found));
		if (!found || !name) {
			free(found);
			free(name);
			return false;
		}
		found->name = name;
		fault_site_register(found);
	}
	return should_fail(found, 0);
}

int fault_site_config(const char *site, enum fault_mode mode, unsigned long param)
{
	struct fault_attr *attr;
	struct fault_pending *p;
	int found = 0;

	sim_rawlock_lock(&fault_lock);
	list_for_each_entry(attr, &fault_sites, list) {
		if (attr->name && !strcmp(attr->name, site)) {
			site_configure(attr, mode, param);
			found++;
		}
	}
	/* Per-cache sites come and go with their caches: remember the setting. */
	if (!strncmp(site, PENDING_PREFIX, strlen(PENDING_PREFIX)) &&
	    site[strlen(PENDING_PREFIX)]) {
		p = pending_find(site);
		if (!p) {
			p = calloc(1, sizeof(*p) + strlen(site) + 1);
			if (p) {
				strcpy(p->name, site);
				p->next = fault_pending;
				fault_pending = p;
			}
		}
		if (p) {
			p->mode = mode;
			p->param = param;
			found++;
		}
	}
	sim_rawlock_unlock(&fault_lock);
	return found ? 0 : -ENOENT;
}

static int fault_cmp(const void *a, const void *b)
{
	const struct fault_attr *x = *(struct fault_attr *const *)a;
	const struct fault_attr *y = *(struct fault_attr *const *)b;

	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

/* Every site, sorted by name, in *@nr; NULL if out of memory. Under fault_lock. */
static struct fault_attr **fault_sites_sorted(size_t *nr)
{
	struct fault_attr *attr, **v;
	size_t n = 0;

	list_for_each_entry(attr, &fault_sites, list)
		n++;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return NULL;
	n = 0;
	list_for_each_entry(attr, &fault_sites, list)
		v[n++] = attr;
	qsort(v, n, sizeof(*v), fault_cmp);
	*nr = n;
	return v;
}

/*
 * The message for an unknown @site, of ZSWAPSIM_FAULTS' token @tok or of
 * zsim_fault_set() (@tok NULL): it lists the sites there are, each name
 * once, and the per-cache ones as a pattern.
 */
static void fault_unknown_site(const char *site, const char *tok)
{
	struct fault_attr **v;
	const char *prev = NULL;
	size_t n, i;

	if (tok)
		fprintf(stderr, "zswapsim: ZSWAPSIM_FAULTS: unknown fault site \"%s\" in \"%s\";",
			site, tok);
	else
		fprintf(stderr, "zswapsim: zsim_fault_set(): unknown fault site \"%s\";", site);
	fputs(" the sites are", stderr);
	sim_rawlock_lock(&fault_lock);
	v = fault_sites_sorted(&n);
	for (i = 0; v && i < n; i++) {
		const char *name = v[i]->name;

		if (!name || (prev && !strcmp(name, prev)) ||
		    !strncmp(name, PENDING_PREFIX, strlen(PENDING_PREFIX)))
			continue;
		fprintf(stderr, " %s,", name);
		prev = name;
	}
	sim_rawlock_unlock(&fault_lock);
	free(v);
	fputs(" and " PENDING_PREFIX "<name> for a slab cache\n", stderr);
}

/* 0 if @site can be configured (see fault_site_config()), else -ENOENT. */
static int fault_site_check(const char *site)
{
	struct fault_attr *attr;
	int found = 0;

	if (!strncmp(site, PENDING_PREFIX, strlen(PENDING_PREFIX)) &&
	    site[strlen(PENDING_PREFIX)])
		return 0;
	sim_rawlock_lock(&fault_lock);
	list_for_each_entry(attr, &fault_sites, list)
		if (attr->name && !strcmp(attr->name, site))
			found = 1;
	sim_rawlock_unlock(&fault_lock);
	return found ? 0 : -ENOENT;
}

static int fault_token_error(const char *tok, const char *why)
{
	fprintf(stderr, "zswapsim: ZSWAPSIM_FAULTS: bad token \"%s\": %s\n", tok, why);
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* One "site:key=N" token; the site may itself contain ':' (kmem_cache:x). */
static int fault_parse_token(char *tok, bool apply)
{
	char *colon = strrchr(tok, ':'), *eq, *end, *key;
	enum fault_mode mode;
	unsigned long val;
	char site[256];
	int ret;

	if (!colon || colon == tok)
		return fault_token_error(tok, "want site:p=N, site:every=N or site:nth=N");
	if ((size_t)(colon - tok) >= sizeof(site))
		return fault_token_error(tok, "site name too long");
	memcpy(site, tok, colon - tok);
	site[colon - tok] = '\0';
	key = colon + 1;
	eq = strchr(key, '=');
	if (!eq)
		return fault_token_error(tok, "want key=N after the site name");
	*eq = '\0';
	if (!strcmp(key, "p") || !strcmp(key, "probability"))
		mode = FAULT_PROBABILITY;
	else if (!strcmp(key, "every") || !strcmp(key, "interval"))
		mode = FAULT_INTERVAL;
	else if (!strcmp(key, "nth"))
		mode = FAULT_NTH;
	else {
		*eq = '=';
		return fault_token_error(tok, "unknown key (want p, every or nth)");
	}
	*eq = '=';
	errno = 0;
	val = strtoul(eq + 1, &end, 0);
	if (end == eq + 1 || *end || errno || eq[1] == '-')
		return fault_token_error(tok, "value is not a non-negative number");
	if (mode == FAULT_PROBABILITY && val > 1000)
		return fault_token_error(tok, "p is in permille: 0..1000");
	if (mode != FAULT_PROBABILITY && val == 0)
		return fault_token_error(tok, "every and nth count from 1");
	if (mode == FAULT_PROBABILITY && val == 0)
		mode = FAULT_OFF;
	ret = apply ? fault_site_config(site, mode, val) : fault_site_check(site);
	if (ret == -ENOENT)
		fault_unknown_site(site, tok);
	return ret;
}

static int fault_parse(const char *spec, bool apply)
{
	char *copy = strdup(spec), *save = NULL, *tok;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (!*tok)
			continue;
		ret = fault_parse_token(tok, apply);
		if (ret)
			break;
	}
	free(copy);
	return ret;
}

static void fault_disable_all(bool reset)
{
	struct fault_attr *attr;

	sim_rawlock_lock(&fault_lock);
	list_for_each_entry(attr, &fault_sites, list) {
		if (reset) {
			attr->seed = site_seed(attr->name);
			site_configure(attr, FAULT_OFF, 0);
		} else {
			__atomic_store_n(&attr->mode, FAULT_OFF, __ATOMIC_RELEASE);
		}
	}
	pending_clear();
	sim_rawlock_unlock(&fault_lock);
}

/* ZSWAPSIM_FAULTS as read at machine start, armed once the machine booted. */
static char *fault_env_spec;

/*
 * Reset every site for a new machine and check ZSWAPSIM_FAULTS, so a bad
 * specification stops the machine from starting. The faults themselves are
 * armed by fault_inject_arm() at the end of boot: the machine's own boot is
 * never failed, and nth/every count the calls made after it.
 */
int fault_inject_init(u64 seed)
{
	const char *env = getenv("ZSWAPSIM_FAULTS");
	int ret;

	sim_rawlock_lock(&fault_lock);
	fault_machine_seed = seed;
	sim_rawlock_unlock(&fault_lock);
	fault_disable_all(true);
	free(fault_env_spec);
	fault_env_spec = NULL;
	if (!env || !*env)
		return 0;
	ret = fault_parse(env, false);
	if (ret)
		return ret;
	fault_env_spec = strdup(env);
	return fault_env_spec ? 0 : -ENOMEM;
}

static int __init fault_inject_arm(void)
{
	if (!fault_env_spec)
		return 0;
	return fault_parse(fault_env_spec, true);
}
late_initcall_sync(fault_inject_arm);

/* Injection stops with the machine; the counters stay readable. */
void fault_inject_exit(void)
{
	fault_disable_all(false);
}

int zsim_fault_set(const char *site, unsigned int permille,
		   unsigned long interval, unsigned long nth)
{
	int ret;

	if (!site || permille > 1000)
		return -EINVAL;
	if (nth)
		ret = fault_site_config(site, FAULT_NTH, nth);
	else if (interval)
		ret = fault_site_config(site, FAULT_INTERVAL, interval);
	else if (permille)
		ret = fault_site_config(site, FAULT_PROBABILITY, permille);
	else
		ret = fault_site_config(site, FAULT_OFF, 0);
	if (ret == -ENOENT)
		fault_unknown_site(site, NULL);
	return ret;
}

void zsim_fault_clear_all(void)
{
	fault_disable_all(false);
}

static unsigned long fault_sum(const char *site, bool injected)
{
	struct fault_attr *attr;
	unsigned long sum = 0;

	if (!site)
		return 0;
	sim_rawlock_lock(&fault_lock);
	list_for_each_entry(attr, &fault_sites, list) {
		if (attr->name && !strcmp(attr->name, site))
			sum += __atomic_load_n(injected ? &attr->injected : &attr->calls,
					       __ATOMIC_RELAXED);
	}
	sim_rawlock_unlock(&fault_lock);
	return sum;
}

unsigned long zsim_fault_calls(const char *site)
{
	return fault_sum(site, false);
}

unsigned long zsim_fault_injected(const char *site)
{
	return fault_sum(site, true);
}

void zsim_fault_list(FILE *out)
{
	static const char *const modes[] = { "off", "nth", "every", "p" };
	struct fault_attr **v;
	size_t n, i;

	sim_rawlock_lock(&fault_lock);
	v = fault_sites_sorted(&n);
	if (!v) {
		sim_rawlock_unlock(&fault_lock);
		return;
	}
	fprintf(out, "%-32s %-12s %12s %12s\n", "site", "mode", "calls", "injected");
	for (i = 0; i < n; i++) {
		char mode[32];

		if (v[i]->mode == FAULT_OFF)
			snprintf(mode, sizeof(mode), "off");
		else
			snprintf(mode, sizeof(mode), "%s=%lu", modes[v[i]->mode], v[i]->param);
		fprintf(out, "%-32s %-12s %12lu %12lu\n", v[i]->name ? v[i]->name : "?", mode,
			__atomic_load_n(&v[i]->calls, __ATOMIC_RELAXED),
			__atomic_load_n(&v[i]->injected, __ATOMIC_RELAXED));
	}
	sim_rawlock_unlock(&fault_lock);
	free(v);
}
