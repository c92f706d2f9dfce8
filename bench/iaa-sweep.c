// SPDX-License-Identifier: GPL-2.0-only
/*
 * iaa-sweep: per-page compress and decompress latency of batches of corpus
 * pages through the crypto acomp API, as zswap calls it, for a list of
 * batch sizes. Default compressor: the IAA model (deflate-iaa-canned);
 * lz4, zstd and deflate go through the same path for comparison.
 * docs/iaa-sweep.md describes the method and the options.
 *
 * One simulated task per batch size runs the whole corpus batch by batch:
 * copy B pages into a folio (not timed), compress them as zswap_store()
 * would (requests of at most ZSWAP_MAX_BATCH_SIZE pages: v13 zswap steps a
 * folio by the compressor's batch size, 8 at most, and by 8 for software
 * compressors through the acomp fallback), then decompress the pages that
 * compressed into a second folio, batched alike. A batch's per-page
 * latency is its elapsed virtual time (the task's clock,
 * sched_task_clock_ns()) divided by its pages; p50 and p99 are over the
 * batches. The machine runs in the modelled timing mode, in the
 * controlled backend by default, so a run is deterministic.
 */
#include <crypto/acompress.h>
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <sim/sched.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zswapsim.h>

#include "corpus.h"

/* v13 zswap: a store compresses at most this many pages per request. */
#define ZSWAP_MAX_BATCH_SIZE	8U
#define MAX_BATCHES		16
#define MAX_BATCH		512U

enum sweep_op { OP_COMPRESS, OP_DECOMPRESS, NR_OPS };

static const char *const op_names[NR_OPS] = { "compress", "decompress" };

struct sweep_opts {
	unsigned int	devices, wqs, freq_mhz;
	const char	*mode;		/* sync, async, async_irq */
	const char	*huffman;	/* fixed, canned, dynamic */
	unsigned int	verify, distribute;
	unsigned int	batch[MAX_BATCHES];
	unsigned int	nr_batch;
	const char	*corpus;	/* NULL: the generator */
	unsigned long	pages, seed;
	const char	*compressor;	/* NULL: the IAA model */
	enum zsim_backend backend;
	bool		json;
	/* Which IAA options the user gave (they do nothing for software). */
	bool		iaa_opts_given;
};

/* Results of one (op, batch size). */
struct sweep_result {
	u64		p50_ns, p99_ns;
	unsigned long	pages;		/* pages that went through the op */
	unsigned long	overflows;	/* compress: units stored raw */
	unsigned long	errors;		/* units that failed otherwise */
	u64		bytes_in, bytes_out;
};

/* What a task needs: the pages, one batch size, and where results go. */
struct sweep_run {
	const struct sweep_opts	*opts;
	const char		*alg;
	const unsigned char	*pages;		/* nr_pages * PAGE_SIZE, host memory */
	unsigned long		nr_pages;
	unsigned int		batch;
	struct sweep_result	res[NR_OPS];
	char			driver[CRYPTO_MAX_ALG_NAME];	/* what @alg gave */
	char			err[256];
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile @pct of @n sorted samples. */
static u64 percentile(const u64 *sorted, unsigned long n, unsigned int pct)
{
	unsigned long rank = (n * pct + 99) / 100;

	return sorted[rank ? rank - 1 : 0];
}

static void set_stats(struct sweep_result *r, u64 *samples, unsigned long n)
{
	if (!n)
		return;
	qsort(samples, n, sizeof(*samples), cmp_u64);
	r->p50_ns = percentile(samples, n, 50);
	r->p99_ns = percentile(samples, n, 99);
}

/* Per-task buffers: a batch's source and output folios, unit buffers. */
struct sweep_bufs {
	struct folio		*src, *out;
	u8			*dst[MAX_BATCH];	/* one compressed page each */
	int			clen[MAX_BATCH];	/* its length or errno */
	int			dlen[MAX_BATCH];	/* decompressed length or errno */
	struct scatterlist	sg[ZSWAP_MAX_BATCH_SIZE];
	unsigned int		batch;
};

static void sweep_bufs_free(struct sweep_bufs *b)
{
	unsigned int i;

	if (b->src)
		folio_put(b->src);
	if (b->out)
		folio_put(b->out);
	for (i = 0; i < b->batch; i++)
		kfree(b->dst[i]);
}

static int sweep_bufs_alloc(struct sweep_bufs *b, unsigned int batch)
{
	unsigned int order = get_order(batch * PAGE_SIZE), i;

	memset(b, 0, sizeof(*b));
	b->batch = batch;
	b->src = folio_alloc(GFP_KERNEL, order);
	b->out = folio_alloc(GFP_KERNEL, order);
	if (!b->src || !b->out)
		goto nomem;
	for (i = 0; i < batch; i++) {
		/* zswap's compression buffers are two pages: room for overruns. */
		b->dst[i] = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
		if (!b->dst[i])
			goto nomem;
	}
	return 0;
nomem:
	sweep_bufs_free(b);
	return -ENOMEM;
}

/*
 * Compress pages [@first, @first + @nr) of the source folio in one
 * request (as zswap_compress() of v13), each into its own buffer; store
 * each unit's length or errno in clen[]. A single request (@nr == 1)
 * reports through its return value and req->dlen, a batch through its
 * destination entries (and -EINVAL if any unit failed); a request error
 * that no unit explains becomes every unit's.
 */
static void sweep_compress(struct acomp_req *req, struct crypto_wait *wait,
			  struct sweep_bufs *b, unsigned int first, unsigned int nr)
{
	unsigned int i;
	int ret;

	sg_init_table(b->sg, nr);
	for (i = 0; i < nr; i++)
		sg_set_buf(&b->sg[i], b->dst[first + i], PAGE_SIZE);
	acomp_request_set_src_folio(req, b->src, first * PAGE_SIZE, nr * PAGE_SIZE);
	acomp_request_set_dst_sg(req, b->sg, nr * PAGE_SIZE);
	ret = crypto_wait_req(crypto_acomp_compress(req), wait);
	if (nr == 1) {
		b->clen[first] = ret ? ret : (int)req->dlen;
		return;
	}
	/* -EINVAL: some unit failed and says why; else the request did. */
	for (i = 0; i < nr; i++)
		b->clen[first + i] = ret && ret != -EINVAL ? ret : (int)b->sg[i].length;
}

/*
 * A compress result zswap stores raw ("compress poor" and the like):
 * output that does not fit (-ENOSPC; the IAA driver's -E2BIG for the
 * hardware's 0x19 error; -EOVERFLOW), or no smaller than a page.
 */
static bool compress_overflowed(int len)
{
	return len == -ENOSPC || len == -E2BIG || len == -EOVERFLOW ||
	       len >= (int)PAGE_SIZE;
}

/* A unit that compressed (stored compressed, so decompressed on load). */
static bool compress_stored(int len)
{
	return len > 0 && !compress_overflowed(len);
}

/*
 * Decompress, in one request, the units among [@first, @first + @nr)
 * that compressed (a page stored raw is copied by zswap, not
 * decompressed), each into its own page of the output folio; store each
 * unit's result in dlen[] (a request error that no unit explains becomes
 * every unit's). Returns the units submitted.
 */
static int sweep_decompress(struct acomp_req *req, struct crypto_wait *wait,
			    struct sweep_bufs *b, unsigned int first, unsigned int nr)
{
	unsigned int idx[ZSWAP_MAX_BATCH_SIZE], n = 0, slen = 0, i;
	int ret;

	for (i = first; i < first + nr; i++)
		if (compress_stored(b->clen[i]))
			idx[n++] = i;
	if (!n)
		return 0;
	sg_init_table(b->sg, n);
	for (i = 0; i < n; i++) {
		sg_set_buf(&b->sg[i], b->dst[idx[i]], b->clen[idx[i]]);
		slen += b->clen[idx[i]];
	}
	/* The n outputs fill consecutive pages of the output from @first. */
	acomp_request_set_src_sg(req, b->sg, slen);
	acomp_request_set_dst_folio(req, b->out, first * PAGE_SIZE, n * PAGE_SIZE);
	ret = crypto_wait_req(crypto_acomp_decompress(req), wait);
	if (n == 1) {
		b->dlen[idx[0]] = ret ? ret : (int)req->dlen;
		return 1;
	}
	for (i = 0; i < n; i++)
		b->dlen[idx[i]] = ret && ret != -EINVAL ? ret : (int)b->sg[i].length;
	return n;
}

/*
 * After the timed part: a unit that failed to compress or decompress with
 * an error is counted (zswap would reject the store, or fail the load,
 * and go on); a page that decompressed "successfully" must have come back
 * whole, else the model is broken and the sweep stops. Unit k of a
 * request at @first landed on output page first + k.
 */
static int sweep_check(struct sweep_run *run, struct sweep_bufs *b,
		       unsigned int first, unsigned int nr)
{
	const u8 *src = folio_address(b->src), *out = folio_address(b->out);
	unsigned int i, k = first;

	for (i = first; i < first + nr; i++) {
		if (compress_overflowed(b->clen[i]))
			continue;
		if (!compress_stored(b->clen[i])) {
			run->res[OP_COMPRESS].errors++;
			continue;
		}
		if (b->dlen[i] < 0) {
			run->res[OP_DECOMPRESS].errors++;
			k++;
			continue;
		}
		if (b->dlen[i] != (int)PAGE_SIZE ||
		    memcmp(out + k * PAGE_SIZE, src + i * PAGE_SIZE, PAGE_SIZE)) {
			snprintf(run->err, sizeof(run->err),
				 "decompressing page %u of a batch (%d bytes) gave %d%s", i,
				 b->clen[i], b->dlen[i],
				 b->dlen[i] == (int)PAGE_SIZE ? " bytes, not the page" : "");
			return -EIO;
		}
		k++;
	}
	return 0;
}

/* One batch: compress it (timed), decompress it (timed), check it. */
static int sweep_batch(struct sweep_run *run, struct acomp_req *req,
		       struct crypto_wait *wait, struct sweep_bufs *b,
		       u64 *dt, unsigned int *decompressed)
{
	unsigned int batch = run->batch, step = min(batch, ZSWAP_MAX_BATCH_SIZE);
	unsigned int i;
	u64 t0;
	int ret;

	t0 = sched_task_clock_ns(current);
	for (i = 0; i < batch; i += step)
		sweep_compress(req, wait, b, i, min(step, batch - i));
	dt[OP_COMPRESS] = sched_task_clock_ns(current) - t0;

	*decompressed = 0;
	t0 = sched_task_clock_ns(current);
	for (i = 0; i < batch; i += step)
		*decompressed += sweep_decompress(req, wait, b, i, min(step, batch - i));
	dt[OP_DECOMPRESS] = sched_task_clock_ns(current) - t0;

	for (i = 0; i < batch; i += step) {
		ret = sweep_check(run, b, i, min(step, batch - i));
		if (ret)
			return ret;
	}
	return 0;
}

static void sweep_account(struct sweep_run *run, const struct sweep_bufs *b)
{
	struct sweep_result *c = &run->res[OP_COMPRESS];
	unsigned int i;

	for (i = 0; i < run->batch; i++) {
		if (compress_overflowed(b->clen[i])) {
			c->overflows++;
			continue;
		}
		if (!compress_stored(b->clen[i]))
			continue;	/* an error, counted by sweep_check() */
		c->bytes_in += PAGE_SIZE;
		c->bytes_out += b->clen[i];
	}
	c->pages += run->batch;
}

static int sweep_task(void *arg)
{
	struct sweep_run *run = arg;
	unsigned long nr_batches = run->nr_pages / run->batch, bi;
	unsigned long nr_samples[NR_OPS] = { 0, 0 };
	u64 *samples[NR_OPS] = { NULL, NULL };
	struct acomp_req *req = NULL;
	struct crypto_acomp *tfm;
	struct crypto_wait wait;
	struct sweep_bufs b;
	int ret, op;

	tfm = crypto_alloc_acomp(run->alg, 0, 0);
	if (IS_ERR(tfm)) {
		snprintf(run->err, sizeof(run->err), "crypto_alloc_acomp(\"%s\"): %ld",
			 run->alg, PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}
	strscpy(run->driver, crypto_acomp_driver_name(tfm), sizeof(run->driver));
	ret = sweep_bufs_alloc(&b, run->batch);
	if (ret)
		goto out_tfm;
	req = acomp_request_alloc(tfm);
	for (op = 0; op < NR_OPS; op++)
		samples[op] = kvmalloc(nr_batches * sizeof(u64), GFP_KERNEL);
	ret = -ENOMEM;
	if (!req || !samples[OP_COMPRESS] || !samples[OP_DECOMPRESS])
		goto out;
	crypto_init_wait(&wait);
	acomp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
	/* After the callback, which resets it (v13). */
	acomp_request_set_unit_size(req, PAGE_SIZE);

	for (bi = 0; bi < nr_batches; bi++) {
		unsigned int done;
		u64 dt[NR_OPS];

		memcpy(folio_address(b.src), run->pages + bi * run->batch * PAGE_SIZE,
		       run->batch * PAGE_SIZE);
		ret = sweep_batch(run, req, &wait, &b, dt, &done);
		if (ret)
			goto out;
		sweep_account(run, &b);
		samples[OP_COMPRESS][nr_samples[OP_COMPRESS]++] = dt[OP_COMPRESS] / run->batch;
		/* A batch whose every page was stored raw decompresses nothing. */
		if (done)
			samples[OP_DECOMPRESS][nr_samples[OP_DECOMPRESS]++] =
				dt[OP_DECOMPRESS] / done;
		run->res[OP_DECOMPRESS].pages += done;
		cond_resched();
	}
	run->res[OP_DECOMPRESS].bytes_in = run->res[OP_COMPRESS].bytes_in;
	run->res[OP_DECOMPRESS].bytes_out = run->res[OP_COMPRESS].bytes_out;
	for (op = 0; op < NR_OPS; op++)
		set_stats(&run->res[op], samples[op], nr_samples[op]);
	ret = 0;
out:
	for (op = 0; op < NR_OPS; op++)
		kvfree(samples[op]);
	acomp_request_free(req);
	sweep_bufs_free(&b);
out_tfm:
	crypto_free_acomp(tfm);
	return ret;
}

/* ---- the host side: options, corpus, machine, report ----------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: iaa-sweep [options]\n"
		"Per-page latency (p50, p99) of batched compress and decompress through the\n"
		"crypto acomp API, per batch size, in modelled virtual time.\n\n"
		"  --compressor NAME  acomp algorithm or driver (default: the IAA model,\n"
		"                     deflate-iaa[-canned|-dynamic] after --huffman); lz4,\n"
		"                     zstd, deflate, ... run through the same path\n"
		"  --batch LIST       batch sizes, e.g. 1,2,4,8 (default 1,2,4,8,16,32; 1..%u)\n"
		"  --pages N          pages per batch size (default 4096; zero pages, which\n"
		"                     the swap core keeps from zswap, are not counted)\n"
		"  --corpus PATH      file or directory of pages (default: the generator)\n"
		"  --seed N           generator seed (default 1)\n"
		"IAA model (module parameters iaa_model.* and iaa_crypto.*):\n"
		"  --devices N        IAA devices (default 1)\n"
		"  --wqs N            work queues per device (default 2)\n"
		"  --freq-mhz N       core frequency (default 2000)\n"
		"  --mode MODE        sync, async (default) or async_irq\n"
		"  --huffman MODE     fixed, canned (default) or dynamic\n"
		"  --verify 0|1       verify_compress (default 0)\n"
		"  --distribute 0|1   distribute_comps over the package's devices (default 1)\n"
		"Output and machine:\n"
		"  --json             one JSON object with a \"results\" array\n"
		"  --backend B        controlled (default, deterministic) or free\n"
		"  --help             this text\n", MAX_BATCH);
}

static int bad_option(const char *opt, const char *val, const char *want)
{
	fprintf(stderr, "iaa-sweep: bad value '%s' for --%s: %s\n", val, opt, want);
	fprintf(stderr, "Try 'iaa-sweep --help'.\n");
	return 2;
}

static bool parse_uint(const char *s, unsigned long min, unsigned long max,
		       unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && !*end && *v >= min && *v <= max;
}

static bool parse_batches(const char *s, struct sweep_opts *o)
{
	char buf[256], *tok, *save;
	unsigned long v;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	o->nr_batch = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (o->nr_batch == MAX_BATCHES || !parse_uint(tok, 1, MAX_BATCH, &v))
			return false;
		o->batch[o->nr_batch++] = v;
	}
	return o->nr_batch > 0 && s[strlen(s) - 1] != ',' && s[0] != ',' &&
	       !strstr(s, ",,");
}

static bool one_of(const char *s, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(s, *names))
			return true;
	return false;
}

enum {
	OPT_DEVICES = 256, OPT_WQS, OPT_FREQ, OPT_MODE, OPT_HUFFMAN, OPT_VERIFY,
	OPT_DISTRIBUTE, OPT_BATCH, OPT_CORPUS, OPT_PAGES, OPT_SEED, OPT_COMPRESSOR,
	OPT_JSON, OPT_BACKEND, OPT_HELP,
};

static const struct option long_opts[] = {
	{ "devices", required_argument, NULL, OPT_DEVICES },
	{ "wqs", required_argument, NULL, OPT_WQS },
	{ "freq-mhz", required_argument, NULL, OPT_FREQ },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "huffman", required_argument, NULL, OPT_HUFFMAN },
	{ "verify", required_argument, NULL, OPT_VERIFY },
	{ "distribute", required_argument, NULL, OPT_DISTRIBUTE },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "corpus", required_argument, NULL, OPT_CORPUS },
	{ "pages", required_argument, NULL, OPT_PAGES },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "compressor", required_argument, NULL, OPT_COMPRESSOR },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, struct sweep_opts *o)
{
	static const char *const modes[] = { "sync", "async", "async_irq", NULL };
	static const char *const huffmans[] = { "fixed", "canned", "dynamic", NULL };
	static const char *const backends[] = { "controlled", "free", NULL };
	const char *backend = "controlled";
	unsigned long v;
	int opt;

	*o = (struct sweep_opts){
		.devices = 1, .wqs = 2, .freq_mhz = 2000, .mode = "async",
		.huffman = "canned", .verify = 0, .distribute = 1,
		.batch = { 1, 2, 4, 8, 16, 32 }, .nr_batch = 6,
		.pages = 4096, .seed = 1,
	};
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		const char *name = NULL;
		int i;

		for (i = 0; long_opts[i].name; i++)
			if (long_opts[i].val == opt)
				name = long_opts[i].name;
		switch (opt) {
		case OPT_DEVICES:
			if (!parse_uint(optarg, 1, 16, &v))
				return bad_option(name, optarg, "a number of devices, 1..16");
			o->devices = v;
			o->iaa_opts_given = true;
			break;
		case OPT_WQS:
			if (!parse_uint(optarg, 1, 8, &v))
				return bad_option(name, optarg, "WQs per device, 1..8");
			o->wqs = v;
			o->iaa_opts_given = true;
			break;
		case OPT_FREQ:
			if (!parse_uint(optarg, 100, 10000, &v))
				return bad_option(name, optarg, "a core frequency in MHz, 100..10000");
			o->freq_mhz = v;
			o->iaa_opts_given = true;
			break;
		case OPT_MODE:
			if (!one_of(optarg, modes))
				return bad_option(name, optarg, "sync, async or async_irq");
			o->mode = optarg;
			o->iaa_opts_given = true;
			break;
		case OPT_HUFFMAN:
			if (!one_of(optarg, huffmans))
				return bad_option(name, optarg, "fixed, canned or dynamic");
			o->huffman = optarg;
			o->iaa_opts_given = true;
			break;
		case OPT_VERIFY:
		case OPT_DISTRIBUTE:
			if (!parse_uint(optarg, 0, 1, &v))
				return bad_option(name, optarg, "0 or 1");
			if (opt == OPT_VERIFY)
				o->verify = v;
			else
				o->distribute = v;
			o->iaa_opts_given = true;
			break;
		case OPT_BATCH:
			if (!parse_batches(optarg, o))
				return bad_option(name, optarg, "a comma-separated list of batch sizes");
			break;
		case OPT_CORPUS:
			o->corpus = optarg;
			break;
		case OPT_PAGES:
			if (!parse_uint(optarg, 1, 1UL << 24, &v))
				return bad_option(name, optarg, "a number of pages, 1..16777216");
			o->pages = v;
			break;
		case OPT_SEED:
			if (!parse_uint(optarg, 0, ULONG_MAX, &v))
				return bad_option(name, optarg, "a non-negative number");
			o->seed = v;
			break;
		case OPT_COMPRESSOR:
			if (!*optarg)
				return bad_option(name, optarg, "an acomp algorithm or driver name");
			o->compressor = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_BACKEND:
			if (!one_of(optarg, backends))
				return bad_option(name, optarg, "controlled or free");
			backend = optarg;
			break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			if (optopt)
				fprintf(stderr, "iaa-sweep: option '%s' needs a value\n",
					argv[optind - 1]);
			else
				fprintf(stderr, "iaa-sweep: unknown option '%s'\n",
					argv[optind - 1]);
			fprintf(stderr, "Try 'iaa-sweep --help'.\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "iaa-sweep: unexpected argument '%s'\nTry 'iaa-sweep --help'.\n",
			argv[optind]);
		return 2;
	}
	o->backend = strcmp(backend, "free") ? ZSIM_CONTROLLED : ZSIM_FREE_RUNNING;
	return -1;
}

/*
 * The pages to run: @nr non-zero pages of the corpus, in order (the swap
 * core's zeromap keeps zero pages from zswap; same-filled ones reach it).
 * A file corpus with fewer gives what it has.
 */
static unsigned char *sweep_pages(const struct sweep_opts *o, unsigned long *nr,
				  unsigned long *skipped)
{
	unsigned long want = o->pages, n = 0, i;
	unsigned char *pages = malloc(want * PAGE_SIZE);
	struct corpus c;
	char err[512];
	int ret;

	if (!pages) {
		fprintf(stderr, "iaa-sweep: no memory for %lu pages\n", want);
		return NULL;
	}
	*skipped = 0;
	if (!o->corpus) {
		for (i = 0; n < want; i++) {
			if (corpus_gen_page(o->seed, i, NULL, pages + n * PAGE_SIZE) == CORPUS_ZERO)
				(*skipped)++;
			else
				n++;
		}
		*nr = n;
		return pages;
	}
	ret = corpus_load(&c, o->corpus, CORPUS_TAIL_PAD, 0, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "iaa-sweep: --corpus %s\n", err);
		free(pages);
		return NULL;
	}
	for (i = 0; i < c.nr_pages && n < want; i++) {
		if (corpus_page_kind(&c, i) == CORPUS_ZERO) {
			(*skipped)++;
			continue;
		}
		memcpy(pages + n++ * PAGE_SIZE, corpus_page(&c, i), PAGE_SIZE);
	}
	corpus_release(&c);
	*nr = n;
	return pages;
}

/* The IAA model's settings, as module parameters, before the machine boots. */
static int set_iaa_params(const struct sweep_opts *o)
{
	char devices[16], wqs[16], freq[16];
	const struct { const char *module, *param, *val; } params[] = {
		{ "iaa_model", "devices", devices },
		{ "iaa_model", "wqs", wqs },
		{ "iaa_model", "freq_mhz", freq },
		{ "iaa_crypto", "sync_mode", o->mode },
		{ "iaa_crypto", "verify_compress", o->verify ? "1" : "0" },
		{ "iaa_crypto", "distribute_comps", o->distribute ? "1" : "0" },
	};
	unsigned int i;
	int ret;

	snprintf(devices, sizeof(devices), "%u", o->devices);
	snprintf(wqs, sizeof(wqs), "%u", o->wqs);
	snprintf(freq, sizeof(freq), "%u", o->freq_mhz);
	for (i = 0; i < ARRAY_SIZE(params); i++) {
		ret = zsim_param_set(params[i].module, params[i].param, params[i].val);
		if (ret) {
			fprintf(stderr, "iaa-sweep: %s.%s=%s: %s\n", params[i].module,
				params[i].param, params[i].val, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static bool is_iaa(const char *alg)
{
	return !strncmp(alg, "deflate-iaa", strlen("deflate-iaa"));
}

static double ratio_of(const struct sweep_result *r)
{
	return r->bytes_out ? (double)r->bytes_in / r->bytes_out : 0;
}

/*
 * The compressor to allocate for --compressor @name: "deflate" means the
 * software deflate the issue compares against, so it names deflate-generic
 * explicitly (by cra_name, "deflate" would find deflate-iaa at priority
 * 300, as with iaa_crypto loaded). Any other name, driver names included,
 * is passed on verbatim.
 */
static const char *sweep_alg_name(const char *name)
{
	return strcmp(name, "deflate") ? name : "deflate-generic";
}

static unsigned long total_errors(const struct sweep_opts *o, const struct sweep_run *runs)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < o->nr_batch; i++)
		n += runs[i].res[OP_COMPRESS].errors + runs[i].res[OP_DECOMPRESS].errors;
	return n;
}

static void print_header(const struct sweep_opts *o, const char *alg,
			 unsigned long nr_pages, unsigned long skipped)
{
	if (is_iaa(alg))
		printf("iaa-sweep: %s, %u device(s) x %u WQ(s), %u MHz, %s, verify %u, distribute %u\n",
		       alg, o->devices, o->wqs, o->freq_mhz, o->mode, o->verify, o->distribute);
	else
		printf("iaa-sweep: %s\n", alg);
	if (o->corpus)
		printf("corpus: %s, %lu pages (%lu zero pages left out)\n", o->corpus,
		       nr_pages, skipped);
	else
		printf("corpus: generated (seed %lu), %lu pages (%lu zero pages left out)\n",
		       o->seed, nr_pages, skipped);
	printf("timing: modelled, %s backend, tasks on CPU 0 with migrate_permille 0; "
	       "ns per page = a batch's virtual time / its pages\n\n",
	       o->backend == ZSIM_CONTROLLED ? "controlled" : "free-running");
	printf("%-10s %5s %9s %9s %6s %7s %9s %6s\n", "op", "batch", "p50_ns", "p99_ns",
	       "ratio", "pages", "overflows", "errors");
}

static void print_row(const struct sweep_run *run, int op)
{
	const struct sweep_result *r = &run->res[op];

	printf("%-10s %5u %9llu %9llu %6.2f %7lu %9lu %6lu\n", op_names[op], run->batch,
	       (unsigned long long)r->p50_ns, (unsigned long long)r->p99_ns,
	       ratio_of(&run->res[OP_COMPRESS]), r->pages,
	       op == OP_COMPRESS ? r->overflows : 0, r->errors);
}

static void print_json(const struct sweep_opts *o, const char *alg,
		       const struct sweep_run *runs, unsigned long nr_pages)
{
	unsigned int i;
	int op;

	printf("{\"compressor\": \"%s\", \"timing\": \"modelled\", \"backend\": \"%s\", "
	       "\"migrate_permille\": 0, ", alg,
	       o->backend == ZSIM_CONTROLLED ? "controlled" : "free-running");
	/* The IAA settings only describe an IAA run. */
	if (is_iaa(alg))
		printf("\"devices\": %u, \"wqs\": %u, \"freq_mhz\": %u, \"mode\": \"%s\", "
		       "\"huffman\": \"%s\", \"verify\": %u, \"distribute\": %u, ",
		       o->devices, o->wqs, o->freq_mhz, o->mode, o->huffman, o->verify,
		       o->distribute);
	printf("\"pages\": %lu, \"errors\": %lu, \"results\": [", nr_pages,
	       total_errors(o, runs));
	for (i = 0; i < o->nr_batch; i++) {
		for (op = 0; op < NR_OPS; op++) {
			const struct sweep_result *r = &runs[i].res[op];

			printf("%s{\"op\": \"%s\", \"batch\": %u, \"p50_ns\": %llu, "
			       "\"p99_ns\": %llu, \"ratio\": %.3f, \"pages\": %lu, "
			       "\"overflows\": %lu}", i || op ? ", " : "", op_names[op],
			       runs[i].batch, (unsigned long long)r->p50_ns,
			       (unsigned long long)r->p99_ns, ratio_of(&runs[i].res[OP_COMPRESS]),
			       r->pages, op == OP_COMPRESS ? r->overflows : 0);
		}
	}
	printf("]}\n");
}

int main(int argc, char **argv)
{
	struct sweep_run runs[MAX_BATCHES] = { 0 };
	unsigned long nr_pages, skipped, reports;
	char alg_buf[64];
	struct sweep_opts o;
	struct zsim_config cfg;
	unsigned char *pages;
	const char *alg;
	unsigned int i;
	int ret = 0;

	ret = parse_options(argc, argv, &o);
	if (ret >= 0)
		return ret;
	for (i = 0; i < o.nr_batch; i++) {
		if (o.batch[i] > o.pages) {
			fprintf(stderr, "iaa-sweep: batch %u is larger than --pages %lu\n",
				o.batch[i], o.pages);
			return 2;
		}
	}
	if (o.compressor) {
		alg = sweep_alg_name(o.compressor);
	} else {
		snprintf(alg_buf, sizeof(alg_buf), "deflate-iaa%s%s",
			 strcmp(o.huffman, "fixed") ? "-" : "",
			 strcmp(o.huffman, "fixed") ? o.huffman : "");
		alg = alg_buf;
	}
	pages = sweep_pages(&o, &nr_pages, &skipped);
	if (!pages)
		return 2;
	for (i = 0; i < o.nr_batch; i++) {
		if (o.batch[i] > nr_pages) {
			fprintf(stderr, "iaa-sweep: --corpus %s has %lu non-zero pages, fewer than batch %u\n",
				o.corpus, nr_pages, o.batch[i]);
			free(pages);
			return 2;
		}
	}
	/*
	 * Always: a cra_name such as "deflate" may resolve to the IAA driver
	 * (priority 300 beats deflate-generic), as with iaa_crypto loaded.
	 */
	if (set_iaa_params(&o)) {
		free(pages);
		return 2;
	}

	zsim_config_init(&cfg);
	cfg.nr_cpus = 2;
	cfg.seed = o.seed;
	cfg.backend = o.backend;
	cfg.timing = ZSIM_TIMING_MODELLED;
	cfg.lockdep = false;
	/*
	 * No task migration: the tasks stay on CPU 0, so the device its WQ
	 * table maps (and the round-robin start) is the same in every run.
	 */
	cfg.migrate_permille = 0;
	ret = zsim_machine_start(&cfg);
	if (ret) {
		fprintf(stderr, "iaa-sweep: machine start: %s\n", strerror(-ret));
		free(pages);
		return 1;
	}
	for (i = 0; i < o.nr_batch && !ret; i++) {
		runs[i] = (struct sweep_run){
			.opts = &o, .alg = alg, .pages = pages,
			.nr_pages = nr_pages, .batch = o.batch[i],
		};
		ret = zsim_run(0, sweep_task, &runs[i]);
		if (ret)
			fprintf(stderr, "iaa-sweep: %s, batch %u: %s\n", alg, o.batch[i],
				runs[i].err[0] ? runs[i].err : strerror(-ret));
	}
	reports = zsim_machine_stop();
	free(pages);
	if (ret == -ENOENT)
		return 2;	/* no such compressor: a bad --compressor */
	if (ret || reports) {
		if (!ret)
			fprintf(stderr, "iaa-sweep: the machine reported %lu problem(s)\n", reports);
		return 1;
	}

	if (!is_iaa(runs[0].driver) && o.iaa_opts_given)
		fprintf(stderr, "iaa-sweep: note: the IAA options do nothing for %s\n",
			runs[0].driver);
	if (o.json) {
		print_json(&o, runs[0].driver, runs, nr_pages);
		return 0;
	}
	print_header(&o, runs[0].driver, nr_pages, skipped);
	for (i = 0; i < o.nr_batch; i++)
		print_row(&runs[i], OP_COMPRESS);
	for (i = 0; i < o.nr_batch; i++)
		print_row(&runs[i], OP_DECOMPRESS);
	return 0;
}
