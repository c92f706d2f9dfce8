// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of the cycle-modelled IAA and the iaa_crypto driver: round trips
 * in every completion and Huffman mode, raw-deflate compatibility of fixed
 * and dynamic output, every error path with its fallback and counters,
 * determinism of modelled time, and the calibration against the
 * published Emerald Rapids table (docs/iaa-model.md).
 */
#include <crypto/acompress.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <sim/sched.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "zsim_test.h"
#include "../../src/iaa_model/idxd.h"

#define PAGE		4096
#define NPAGES		64

static const char *const words[] = {
	"memory ", "page ", "the ", "of ", "struct ", "return ", "0x7ffd", "int ",
	"static ", "value ", "kernel ", "swap ", "folio ", "and ", "to ", "a ",
	"NULL", "\n\t", "; ", "(", ")", "zswap ", "pool ", "entry ",
};

/* Text-like page @n: words with some random bytes, compresses about 2x. */
static void gen_page(u8 *p, unsigned int n)
{
	unsigned int pos = 0, s = 0x9e3779b9u * (n + 1);

	while (pos < PAGE) {
		const char *w;
		unsigned int i;

		s = s * 1664525 + 1013904223;
		if ((s >> 24) < 70) {
			p[pos++] = s >> 8;
			continue;
		}
		w = words[(s >> 16) % ARRAY_SIZE(words)];
		for (i = 0; w[i] && pos < PAGE; i++)
			p[pos++] = w[i];
	}
}

static void gen_random_page(u8 *p, unsigned int n)
{
	unsigned int i, s = 12345 + n;

	for (i = 0; i < PAGE; i++) {
		s = s * 1103515245 + 12345;
		p[i] = s >> 16;
	}
}

struct iaa_boot {
	const char *sync_mode;
	const char *wq_mode;
	bool verify;
	enum zsim_backend backend;
	u64 seed;
	unsigned int devices;		/* 0: 1 */
	bool no_distribute;		/* distribute_comps=0 */
};

static void iaa_boot(const struct iaa_boot *b)
{
	struct zsim_config cfg;

	assert_int_equal(zsim_param_set("iaa_crypto", "sync_mode", b->sync_mode), 0);
	assert_int_equal(zsim_param_set("iaa_crypto", "verify_compress", b->verify ? "1" : "0"), 0);
	assert_int_equal(zsim_param_set("iaa_model", "wq_mode", b->wq_mode ? b->wq_mode : "0"), 0);
	assert_int_equal(zsim_param_set("iaa_model", "devices", b->devices == 2 ? "2" : "1"), 0);
	assert_int_equal(zsim_param_set("iaa_crypto", "distribute_comps",
					b->no_distribute ? "0" : "1"), 0);
	zsim_config_init(&cfg);
	/* Tasks stay on their CPU: the WQ table's device for a CPU is fixed. */
	cfg.migrate_permille = 0;
	cfg.backend = b->backend;
	cfg.nr_cpus = 2;
	cfg.seed = b->seed ? b->seed : 1;
	cfg.timing = ZSIM_TIMING_MODELLED;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

static u64 dbg(const char *path)
{
	u64 v = ~0ULL;

	assert_int_equal(debugfs_read_u64(path, &v), 0);
	return v;
}

/* One task's work: compress then decompress pages through one algorithm. */
struct rt_args {
	const char *alg;
	unsigned int nr;		/* pages, <= NPAGES */
	unsigned int batch;		/* units per request */
	bool random;			/* incompressible pages */
	u32 half_random;		/* pages (bit n: page n) half random */
	unsigned int dst_cap;		/* per-unit compress capacity */
	/* Results. */
	int comp_err[NPAGES];
	int decomp_err[NPAGES];
	unsigned int clen[NPAGES];
	unsigned int mismatches;
	u64 comp_ns[NPAGES], decomp_ns[NPAGES];	/* per request */
	u64 total_ns;
	int err;
	u8 *comp[NPAGES];		/* kept when keep is set */
	bool keep;
};

static u64 model_clock(void)
{
	return sched_task_clock_ns(current);
}

static int wait_op(struct acomp_req *req, struct crypto_wait *wait, bool compress)
{
	return crypto_wait_req(compress ? crypto_acomp_compress(req) :
				       crypto_acomp_decompress(req), wait);
}

static int rt_task(void *arg)
{
	struct rt_args *a = arg;
	struct scatterlist ssg[8], dsg[8];
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	u8 *src, *out, *cbuf;
	DECLARE_CRYPTO_WAIT(wait);
	unsigned int i, j, n;
	u64 t0, start;

	tfm = crypto_alloc_acomp(a->alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	req = acomp_request_alloc(tfm);
	src = kmalloc(NPAGES * PAGE, GFP_KERNEL);
	out = kmalloc(NPAGES * PAGE, GFP_KERNEL);
	cbuf = kmalloc(NPAGES * 2 * PAGE, GFP_KERNEL);
	if (!req || !src || !out || !cbuf) {
		a->err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < a->nr; i++) {
		(a->random ? gen_random_page : gen_page)(src + i * PAGE, i);
		if (i < 32 && (a->half_random & (1u << i))) {
			u8 tmp[PAGE];

			gen_random_page(tmp, i);
			memcpy(src + i * PAGE + PAGE / 2, tmp, PAGE / 2);
		}
	}

	start = model_clock();
	for (i = 0; i < a->nr; i += n) {
		n = min(a->batch, a->nr - i);
		sg_init_one(&ssg[0], src + i * PAGE, n * PAGE);
		sg_init_table(dsg, n);
		for (j = 0; j < n; j++)
			sg_set_buf(&dsg[j], cbuf + (i + j) * 2 * PAGE, a->dst_cap);
		acomp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
		acomp_request_set_params(req, ssg, dsg, n * PAGE, n == 1 ? a->dst_cap : n * a->dst_cap);
		acomp_request_set_unit_size(req, PAGE);
		t0 = model_clock();
		a->err = wait_op(req, &wait, true);
		a->comp_ns[i] = model_clock() - t0;
		for (j = 0; j < n; j++) {
			int r = n == 1 ? (a->err ? a->err : (int)req->dlen) : (int)dsg[j].length;

			a->comp_err[i + j] = r < 0 ? r : 0;
			a->clen[i + j] = r < 0 ? 0 : r;
		}
	}
	for (i = 0; i < a->nr; i += n) {
		n = min(a->batch, a->nr - i);
		for (j = 0; j < n && !a->comp_err[i + j]; j++)
			;
		if (j < n)
			continue;	/* only whole batches that compressed */
		sg_init_table(ssg, n);
		for (j = 0; j < n; j++)
			sg_set_buf(&ssg[j], cbuf + (i + j) * 2 * PAGE, a->clen[i + j]);
		sg_init_one(&dsg[0], out + i * PAGE, n * PAGE);
		acomp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
		acomp_request_set_params(req, ssg, dsg, n == 1 ? a->clen[i] : 0, n * PAGE);
		if (n > 1) {
			unsigned int tot = 0;

			for (j = 0; j < n; j++)
				tot += a->clen[i + j];
			req->slen = tot;
		}
		acomp_request_set_unit_size(req, PAGE);
		t0 = model_clock();
		a->err = wait_op(req, &wait, false);
		a->decomp_ns[i] = model_clock() - t0;
		for (j = 0; j < n; j++) {
			int r = n == 1 ? (a->err ? a->err : (int)req->dlen) : (int)ssg[j].length;

			a->decomp_err[i + j] = r == PAGE ? 0 : (r < 0 ? r : -EBADMSG);
			if (!a->decomp_err[i + j] &&
			    memcmp(out + (i + j) * PAGE, src + (i + j) * PAGE, PAGE))
				a->mismatches++;
		}
	}
	a->total_ns = model_clock() - start;
	if (a->keep)
		for (i = 0; i < a->nr; i++) {
			a->comp[i] = malloc(a->clen[i] + 1);
			memcpy(a->comp[i], cbuf + i * 2 * PAGE, a->clen[i]);
		}
	a->err = 0;
out:
	kfree(cbuf);
	kfree(out);
	kfree(src);
	acomp_request_free(req);
	crypto_free_acomp(tfm);
	return a->err;
}

static void run_rt(struct rt_args *a)
{
	assert_int_equal(zsim_run(0, rt_task, a), 0);
}

static const char *const algs[] = { "deflate-iaa", "deflate-iaa-canned", "deflate-iaa-dynamic" };
static const char *const modes[] = { "sync", "async", "async_irq" };

/* Every completion mode x Huffman mode, single and batched, round trips. */
static void test_roundtrip(void **state)
{
	unsigned int m, i, p, b;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct iaa_boot boot = { .sync_mode = modes[m],
					 .backend = zsim_test_backend(state) };

		iaa_boot(&boot);
		for (i = 0; i < ARRAY_SIZE(algs); i++) {
			for (b = 1; b <= 8; b *= 8) {
				struct rt_args a = { .alg = algs[i], .nr = 16, .batch = b,
						     .dst_cap = PAGE };

				run_rt(&a);
				for (p = 0; p < a.nr; p++) {
					assert_int_equal(a.comp_err[p], 0);
					assert_true(a.clen[p] > 0 && a.clen[p] < PAGE * 3 / 4);
					assert_int_equal(a.decomp_err[p], 0);
				}
				assert_int_equal(a.mismatches, 0);
			}
		}
		assert_true(dbg("iaa_crypto/total_comp_calls") >= 96);
		assert_int_equal(dbg("iaa_crypto/total_sw_decomp_calls"), 0);
		zsim_test_shutdown_clean();
	}
}

/* fixed and dynamic output is raw deflate for a standard inflate; canned is not. */
static void test_format_compat(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = ZSIM_CONTROLLED };
	unsigned int i, p;
	u8 page[PAGE], out[PAGE];

	iaa_boot(&boot);
	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		struct rt_args a = { .alg = algs[i], .nr = 8, .batch = 8, .dst_cap = PAGE,
				     .keep = true };
		unsigned int ok = 0;

		run_rt(&a);
		for (p = 0; p < a.nr; p++) {
			z_stream z = { 0 };

			assert_int_equal(inflateInit2(&z, -15), Z_OK);
			z.next_in = a.comp[p];
			z.avail_in = a.clen[p];
			z.next_out = out;
			z.avail_out = PAGE;
			gen_page(page, p);
			if (inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == PAGE &&
			    !memcmp(out, page, PAGE))
				ok++;
			inflateEnd(&z);
			free(a.comp[p]);
		}
		if (i == 1)
			assert_int_equal(ok, 0);	/* canned: no block header */
		else
			assert_int_equal(ok, a.nr);
	}
	zsim_test_shutdown_clean();
}

/* 0x19: output larger than the buffer -> -E2BIG, counted; zswap stores raw. */
static void test_compress_overflow(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa-canned", .nr = 8, .batch = 8,
			     .random = true, .dst_cap = PAGE };
	unsigned int p;

	iaa_boot(&boot);
	run_rt(&a);
	for (p = 0; p < a.nr; p++)
		assert_int_equal(a.comp_err[p], -E2BIG);
	assert_int_equal(dbg("iaa_crypto/total_completion_comp_buf_overflow_errors"), 8);
	assert_int_equal(dbg("iaa_crypto/iaa0/errors"), 8);
	zsim_test_shutdown_clean();
}

/* Engine errors: compress fails with -EINVAL, decompress falls back to software. */
static void test_engine_error(void **state)
{
	struct iaa_boot boot = { .sync_mode = "sync", .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa", .nr = 4, .batch = 1, .dst_cap = PAGE };
	unsigned int p;

	iaa_boot(&boot);
	/* Calls 1-4 compress, 5-8 decompress; nth=2 fails the 2nd compress only. */
	assert_int_equal(zsim_fault_set("iaa_engine_error", 0, 0, 2), 0);
	run_rt(&a);
	assert_int_equal(a.comp_err[1], -EINVAL);
	assert_int_equal(a.comp_err[0], 0);
	assert_int_equal(dbg("iaa_crypto/total_completion_einval_errors"), 1);

	zsim_fault_set("iaa_engine_error", 0, 1, 0);
	a = (struct rt_args){ .alg = "deflate-iaa", .nr = 4, .batch = 4, .dst_cap = PAGE };
	run_rt(&a);
	for (p = 0; p < a.nr; p++) {
		assert_int_equal(a.comp_err[p], -EINVAL);
	}
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
}

/* Decompress errors fall back to software with a counter, data intact. */
static void test_decompress_fallback(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa-dynamic", .nr = 8, .batch = 8, .dst_cap = PAGE };
	unsigned int p;

	iaa_boot(&boot);
	/* Calls 1-8 compress; nth=9 fails the first decompress job only. */
	assert_int_equal(zsim_fault_set("iaa_engine_error", 0, 0, 9), 0);
	run_rt(&a);
	for (p = 0; p < a.nr; p++) {
		assert_int_equal(a.comp_err[p], 0);
		assert_int_equal(a.decomp_err[p], 0);
	}
	assert_int_equal(a.mismatches, 0);
	assert_int_equal(dbg("iaa_crypto/total_sw_decomp_calls"), 1);
	assert_int_equal(dbg("iaa_crypto/iaa0/wq0.0/sw_fallbacks"), 1);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
}

/* A hung engine: the poll limit times out, IAA is disabled, decompress goes to software. */
static void test_timeout(void **state)
{
	struct iaa_boot boot = { .sync_mode = "sync", .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa", .nr = 3, .batch = 1, .dst_cap = PAGE };

	iaa_boot(&boot);
	assert_int_equal(zsim_fault_set("iaa_timeout", 0, 0, 2), 0);
	run_rt(&a);
	assert_int_equal(a.comp_err[0], 0);
	assert_int_equal(a.comp_err[1], -ETIMEDOUT);
	assert_int_equal(a.comp_err[2], -ENODEV);	/* disabled */
	assert_int_equal(a.decomp_err[0], 0);		/* software */
	assert_int_equal(a.mismatches, 0);
	assert_int_equal(dbg("iaa_crypto/total_completion_timeout_errors"), 1);
	assert_int_equal(dbg("iaa_crypto/total_sw_decomp_calls"), 1);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
}

/* async_irq: the device watchdog's 0x24 completes a hung job, with -EIO. */
static void test_timeout_irq(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async_irq", .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa", .nr = 2, .batch = 1, .dst_cap = PAGE };

	iaa_boot(&boot);
	assert_int_equal(zsim_fault_set("iaa_timeout", 0, 0, 1), 0);
	run_rt(&a);
	assert_int_equal(a.comp_err[0], -EIO);
	assert_int_equal(a.comp_err[1], 0);
	assert_int_equal(a.decomp_err[1], 0);
	assert_int_equal(dbg("iaa_crypto/total_completion_timeout_errors"), 1);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
}

/*
 * async_irq decompress failures, as the kernel's iaa_desc_complete(): an
 * analytics error (0x0a) falls back to software; any other failure (here
 * the watchdog's 0x24) does not, and reaches the caller as -EIO.
 */
static void test_irq_decompress_failures(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async_irq", .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa", .nr = 2, .batch = 1, .dst_cap = PAGE };

	iaa_boot(&boot);
	/* Calls 1-2 compress, 3-4 decompress. */
	assert_int_equal(zsim_fault_set("iaa_engine_error", 0, 0, 3), 0);
	run_rt(&a);
	assert_int_equal(a.decomp_err[0], 0);
	assert_int_equal(a.decomp_err[1], 0);
	assert_int_equal(a.mismatches, 0);
	assert_int_equal(dbg("iaa_crypto/total_sw_decomp_calls"), 1);
	zsim_fault_clear_all();

	a = (struct rt_args){ .alg = "deflate-iaa", .nr = 2, .batch = 1, .dst_cap = PAGE };
	assert_int_equal(zsim_fault_set("iaa_timeout", 0, 0, 3), 0);
	run_rt(&a);
	assert_int_equal(a.decomp_err[0], -EIO);
	assert_int_equal(a.decomp_err[1], 0);
	assert_int_equal(dbg("iaa_crypto/total_sw_decomp_calls"), 1);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
}

/* Descriptor allocation retries run out: compress fails, decompress uses software. */
static void test_desc_alloc_exhausted(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa", .nr = 2, .batch = 1, .dst_cap = PAGE };

	iaa_boot(&boot);
	/* One failure is retried and succeeds. */
	assert_int_equal(zsim_fault_set("iaa_desc_alloc", 0, 0, 1), 0);
	run_rt(&a);
	assert_int_equal(a.comp_err[0], 0);
	assert_int_equal(dbg("iaa_crypto/iaa0/wq0.1/alloc_retries"), 1);
	assert_int_equal(dbg("iaa_crypto/total_desc_alloc_failures"), 0);

	/* Every allocation fails: 1 + 1000 tries for compress, 1 + 500 for decompress. */
	assert_int_equal(zsim_fault_set("iaa_desc_alloc", 0, 1, 0), 0);
	run_rt(&a);
	assert_int_equal(a.comp_err[0], -ENODEV);
	assert_int_equal(zsim_fault_calls("iaa_desc_alloc"), 2 * 1001);
	assert_int_equal(dbg("iaa_crypto/total_desc_alloc_failures"), 2);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
}

/* Shared WQ: ENQCMDS refusals are retried; when they never stop, the job fails. */
static void test_wq_refuse(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .wq_mode = "1",
				 .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa", .nr = 4, .batch = 4, .dst_cap = PAGE };
	unsigned int p;

	iaa_boot(&boot);
	assert_int_equal(zsim_fault_set("iaa_wq_refuse", 0, 0, 1), 0);
	run_rt(&a);
	for (p = 0; p < a.nr; p++)
		assert_int_equal(a.comp_err[p], 0);
	assert_int_equal(dbg("iaa_crypto/iaa0/wq0.1/enqcmd_retries"), 1);

	assert_int_equal(zsim_fault_set("iaa_wq_refuse", 0, 1, 0), 0);
	a = (struct rt_args){ .alg = "deflate-iaa", .nr = 1, .batch = 1, .dst_cap = PAGE };
	run_rt(&a);
	assert_int_equal(a.comp_err[0], -EAGAIN);
	assert_int_equal(dbg("iaa_crypto/total_submit_failures"), 1);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("iaa_model", "wq_mode", "0"), 0);
}

/*
 * A single request with unit_size set gets its result in req->dst->length
 * too (v13's iaa_to_acomp()), in every completion mode: the length, or
 * -E2BIG for a page that does not compress.
 */
struct single_args {
	int ret[2];
	unsigned int dlen;
	int dst_len[2];
};

static int single_unit_task(void *arg)
{
	struct single_args *sa = arg;
	struct crypto_acomp *tfm = crypto_alloc_acomp("deflate-iaa", 0, 0);
	u8 *src = kmalloc(PAGE, GFP_KERNEL), *dst = kmalloc(PAGE, GFP_KERNEL);
	struct scatterlist ssg, dsg;
	DECLARE_CRYPTO_WAIT(wait);
	struct acomp_req *req;
	int i, ret = -ENOMEM;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	req = acomp_request_alloc(tfm);
	if (!req || !src || !dst)
		goto out;
	for (i = 0; i < 2; i++) {
		(i ? gen_random_page : gen_page)(src, 1);
		sg_init_one(&ssg, src, PAGE);
		sg_init_one(&dsg, dst, PAGE);
		acomp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
		acomp_request_set_params(req, &ssg, &dsg, PAGE, PAGE);
		acomp_request_set_unit_size(req, PAGE);
		sa->ret[i] = wait_op(req, &wait, true);
		sa->dst_len[i] = (int)dsg.length;
		if (!i)
			sa->dlen = req->dlen;
	}
	ret = 0;
out:
	kfree(dst);
	kfree(src);
	acomp_request_free(req);
	crypto_free_acomp(tfm);
	return ret;
}

static void test_single_unit_result(void **state)
{
	unsigned int m;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct iaa_boot boot = { .sync_mode = modes[m],
					 .backend = zsim_test_backend(state) };
		struct single_args sa = { 0 };

		iaa_boot(&boot);
		assert_int_equal(zsim_run(0, single_unit_task, &sa), 0);
		assert_int_equal(sa.ret[0], 0);
		assert_true(sa.dlen > 0 && sa.dlen < PAGE);
		assert_int_equal(sa.dst_len[0], sa.dlen);
		/* The completion interrupt reports every failure as -EIO. */
		assert_int_equal(sa.ret[1], m == 2 ? -EIO : -E2BIG);
		assert_int_equal(sa.dst_len[1], sa.ret[1]);
		zsim_test_shutdown_clean();
	}
}

/* verify_compress decompresses each output again: same data, more device work. */
static void test_verify(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .verify = true,
				 .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa-canned", .nr = 8, .batch = 8, .dst_cap = PAGE };
	unsigned int p;

	iaa_boot(&boot);
	run_rt(&a);
	for (p = 0; p < a.nr; p++)
		assert_int_equal(a.decomp_err[p], 0);
	assert_int_equal(dbg("iaa_crypto/total_verify_failures"), 0);
	/* 8 compress + 8 verify + 8 decompress jobs. */
	assert_int_equal(dbg("iaa_crypto/iaa0/jobs_decomp"), 16);
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("iaa_crypto", "verify_compress", "0"), 0);
}

/* Settings change only while IAA is disabled. */
static void test_params_locked(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = ZSIM_CONTROLLED };

	iaa_boot(&boot);
	assert_int_equal(zsim_param_set("iaa_crypto", "sync_mode", "sync"), -EBUSY);
	assert_int_equal(zsim_param_set("iaa_model", "devices", "2"), -EBUSY);
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("iaa_crypto", "sync_mode", "bogus"), -EINVAL);
}

static u64 run_timed(u64 seed)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = ZSIM_CONTROLLED, .seed = seed };
	struct rt_args a = { .alg = "deflate-iaa-canned", .nr = 32, .batch = 8, .dst_cap = PAGE };
	unsigned long reports;

	iaa_boot(&boot);
	run_rt(&a);
	reports = zsim_machine_stop();
	assert_int_equal(reports, 0);
	return a.total_ns;
}

/* Modelled time is a function of the run: the same in two runs. */
static void test_determinism(void **state)
{
	u64 t1 = run_timed(7), t2 = run_timed(7);

	assert_true(t1 > 0);
	assert_int_equal(t1, t2);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Job placement (v13): with distribute_comps a CPU's compress jobs go
 * round-robin over the package's IAAs; without it, and for every
 * decompress, to the IAA the CPU is mapped to (2 CPUs, 2 IAAs: CPU 0 ->
 * iaa0, CPU 1 -> iaa1).
 */
static void test_placement(void **state)
{
	unsigned int d, cpu;

	for (d = 0; d < 2; d++) {
		for (cpu = 0; cpu < 2; cpu++) {
			struct iaa_boot boot = { .sync_mode = "async", .devices = 2,
						 .no_distribute = d,
						 .backend = zsim_test_backend(state) };
			struct rt_args a = { .alg = "deflate-iaa", .nr = 16, .batch = 8,
					     .dst_cap = PAGE };
			char mine[64], other[64];

			iaa_boot(&boot);
			assert_int_equal(zsim_run(cpu, rt_task, &a), 0);
			assert_int_equal(a.mismatches, 0);
			snprintf(mine, sizeof(mine), "iaa_crypto/iaa%u/jobs_comp", cpu);
			snprintf(other, sizeof(other), "iaa_crypto/iaa%u/jobs_comp", !cpu);
			if (d) {
				assert_int_equal(dbg(mine), 16);
				assert_int_equal(dbg(other), 0);
			} else {
				assert_int_equal(dbg(mine), 8);
				assert_int_equal(dbg(other), 8);
			}
			snprintf(mine, sizeof(mine), "iaa_crypto/iaa%u/jobs_decomp", cpu);
			snprintf(other, sizeof(other), "iaa_crypto/iaa%u/jobs_decomp", !cpu);
			assert_int_equal(dbg(mine), 16);
			assert_int_equal(dbg(other), 0);
			zsim_test_shutdown_clean();
		}
	}
	assert_int_equal(zsim_param_set("iaa_model", "devices", "1"), 0);
	assert_int_equal(zsim_param_set("iaa_crypto", "distribute_comps", "1"), 0);
}

/*
 * The WQ split of v13's map_iaa_device_wqs(): the last g_comp_wqs_per_iaa
 * WQs of a device take the compress jobs, the others the decompress jobs;
 * a single WQ takes both.
 */
static void test_wq_split(void **state)
{
	static const struct { const char *wqs, *comp; u32 comp_mask; } cases[] = {
		{ "4", "1", 1u << 3 },
		{ "4", "2", 3u << 2 },
		{ "1", "1", 1u << 0 },
	};
	unsigned int c, w, nwq;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct iaa_boot boot = { .sync_mode = "async", .backend = zsim_test_backend(state) };
		struct rt_args a = { .alg = "deflate-iaa", .nr = 16, .batch = 8, .dst_cap = PAGE };
		u64 comp = 0, decomp = 0;

		assert_int_equal(zsim_param_set("iaa_model", "wqs", cases[c].wqs), 0);
		assert_int_equal(zsim_param_set("iaa_crypto", "g_comp_wqs_per_iaa", cases[c].comp), 0);
		iaa_boot(&boot);
		run_rt(&a);
		assert_int_equal(a.mismatches, 0);
		nwq = atoi(cases[c].wqs);
		for (w = 0; w < nwq; w++) {
			char path[64];
			u64 n;

			snprintf(path, sizeof(path), "iaa_crypto/iaa0/wq0.%u/comp_calls", w);
			n = dbg(path);
			comp += n;
			if (!(cases[c].comp_mask & (1u << w)))
				assert_int_equal(n, 0);
			snprintf(path, sizeof(path), "iaa_crypto/iaa0/wq0.%u/decomp_calls", w);
			n = dbg(path);
			decomp += n;
			if (nwq > 1 && (cases[c].comp_mask & (1u << w)))
				assert_int_equal(n, 0);
		}
		assert_int_equal(comp, 16);
		assert_int_equal(decomp, 16);
		zsim_test_shutdown_clean();
	}
	assert_int_equal(zsim_param_set("iaa_model", "wqs", "2"), 0);
	assert_int_equal(zsim_param_set("iaa_crypto", "g_comp_wqs_per_iaa", "1"), 0);
}

/*
 * A decompress batch submits its two largest units first. Pages 3 and 6
 * are half random, so they compress far worse than the others. In sync
 * mode a hung job stops the device (IAA disabled) and the rest of the
 * batch runs in software without reaching the device, so the bytes the
 * device took in are those of the jobs submitted up to the hung one:
 * nth=9 hangs the first decompress job (calls 1-8 are the compress
 * jobs), nth=10 the second.
 */
static void test_decomp_two_largest_first(void **state)
{
	unsigned int nth, p, top1 = 0, top2 = 0;

	for (nth = 9; nth <= 10; nth++) {
		struct iaa_boot boot = { .sync_mode = "sync", .backend = zsim_test_backend(state) };
		struct rt_args a = { .alg = "deflate-iaa", .nr = 8, .batch = 8, .dst_cap = PAGE,
				     .half_random = (1u << 3) | (1u << 6) };
		u64 in;

		iaa_boot(&boot);
		assert_int_equal(zsim_fault_set("iaa_timeout", 0, 0, nth), 0);
		run_rt(&a);
		top1 = top2 = 0;
		for (p = 0; p < a.nr; p++) {
			assert_int_equal(a.comp_err[p], 0);
			assert_int_equal(a.decomp_err[p], 0);
			if (a.clen[p] > top1) {
				top2 = top1;
				top1 = a.clen[p];
			} else if (a.clen[p] > top2) {
				top2 = a.clen[p];
			}
		}
		assert_int_equal(a.mismatches, 0);
		assert_true(top2 > a.clen[0] && top2 > a.clen[7]);
		in = dbg("iaa_crypto/iaa0/bytes_in") - (u64)a.nr * PAGE;
		assert_int_equal(dbg("iaa_crypto/iaa0/jobs_decomp"), nth - 8);
		assert_int_equal(in, nth == 9 ? top1 : top1 + top2);
		zsim_fault_clear_all();
		zsim_test_shutdown_clean();
	}
}

/*
 * The completion record stays unwritten (status 0, what makes
 * iaa_comp_poll() return -EAGAIN) until the job's end in virtual time;
 * each poll costs the CPU poll_cycles, so the record turns up after the
 * engine's service time.
 */
struct poll_args {
	unsigned int polls;
	u8 status;
	u32 out;
	u64 waited_ns;
};

static int poll_task(void *arg)
{
	struct poll_args *pa = arg;
	struct idxd_wq *wq = &iaa_idxd_devices[0]->wqs[0];
	struct idxd_desc *desc;
	struct iax_hw_desc *hw;
	u8 *src = kmalloc(PAGE, GFP_KERNEL), *dst = kmalloc(PAGE, GFP_KERNEL);
	u64 t0;
	int ret = -ENOMEM;

	if (!src || !dst)
		goto out;
	gen_page(src, 1);
	iaa_model_begin();
	desc = idxd_alloc_desc(wq, IDXD_OP_NONBLOCK);
	ret = PTR_ERR_OR_ZERO(desc);
	if (ret)
		goto out_model;
	hw = desc->iax_hw;
	memset(hw, 0, sizeof(*hw));
	hw->opcode = IAX_OPCODE_COMPRESS;
	hw->flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_CC;
	hw->src1_addr = (u64)(uintptr_t)src;
	hw->src1_size = PAGE;
	hw->dst_addr = (u64)(uintptr_t)dst;
	hw->max_dst_size = PAGE;
	hw->src2_addr = IAA_MODE_FIXED;
	hw->completion_addr = (u64)(uintptr_t)desc->iax_completion;
	ret = idxd_submit_desc(wq, desc);
	if (!ret) {
		t0 = iaa_model_now();
		while (!(pa->status = idxd_desc_status(desc)) && pa->polls < 1000000)
			pa->polls++;
		pa->waited_ns = iaa_model_now() - t0;
		pa->out = desc->iax_completion->output_size;
	}
	idxd_free_desc(wq, desc);
out_model:
	iaa_model_end();
out:
	kfree(dst);
	kfree(src);
	return ret;
}

static void test_poll_until_done(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = zsim_test_backend(state) };
	struct poll_args pa = { 0 };

	iaa_boot(&boot);
	assert_int_equal(zsim_run(0, poll_task, &pa), 0);
	assert_int_equal(pa.status, IAX_COMP_SUCCESS);
	assert_true(pa.out > 0 && pa.out < PAGE);
	/* Engine time of a page is about 2 us; a poll 40 cycles at 2 GHz. */
	assert_true(pa.polls > 20);
	assert_true(pa.waited_ns > 1000);
	zsim_test_shutdown_clean();
}

/*
 * Controlled backend: task clocks run as if the CPUs were parallel, so a
 * task can submit after another in host order but before it in virtual
 * time. Its jobs must take the engines' free time at its own clock, not
 * queue behind the other task's future (struct iaa_engine_timeline).
 */
struct lag_args {
	u64 ahead_ns;		/* charged before submitting */
	unsigned int jobs;
	int *go;		/* wait (spinning) until set, or set when done */
	u64 submit_ns, done_ns;	/* of the last job */
};

static int lag_task(void *arg)
{
	struct lag_args *la = arg;
	struct idxd_wq *wq = &iaa_idxd_devices[0]->wqs[0];
	struct idxd_desc *desc[2] = { };
	u8 *src = kmalloc(PAGE, GFP_KERNEL), *dst = kmalloc(2 * PAGE, GFP_KERNEL);
	unsigned int i;
	int ret = -ENOMEM;

	if (!src || !dst)
		goto out;
	gen_page(src, 1);
	/* Spinning does not advance a task's clock: only host order moves. */
	while (!la->ahead_ns && !smp_load_acquire(la->go))
		sched_spin_wait();
	sched_charge_ns(la->ahead_ns);
	iaa_model_begin();
	for (i = 0, ret = 0; i < la->jobs && !ret; i++) {
		struct iax_hw_desc *hw;

		desc[i] = idxd_alloc_desc(wq, IDXD_OP_NONBLOCK);
		ret = PTR_ERR_OR_ZERO(desc[i]);
		if (ret) {
			desc[i] = NULL;
			break;
		}
		hw = desc[i]->iax_hw;
		memset(hw, 0, sizeof(*hw));
		hw->opcode = IAX_OPCODE_COMPRESS;
		hw->flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_CC;
		hw->src1_addr = (u64)(uintptr_t)src;
		hw->src1_size = PAGE;
		hw->dst_addr = (u64)(uintptr_t)(dst + i * PAGE);
		hw->max_dst_size = PAGE;
		hw->src2_addr = IAA_MODE_FIXED;
		hw->completion_addr = (u64)(uintptr_t)desc[i]->iax_completion;
		ret = idxd_submit_desc(wq, desc[i]);
		la->submit_ns = desc[i]->submit_ns;
		la->done_ns = desc[i]->done_ns;
	}
	for (i = 0; i < la->jobs; i++)
		if (desc[i])
			idxd_free_desc(wq, desc[i]);
	iaa_model_end();
	if (la->ahead_ns)
		smp_store_release(la->go, 1);
out:
	kfree(dst);
	kfree(src);
	return ret;
}

static void test_lagging_clock(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = zsim_test_backend(state) };
	/* Both compress engines busy a millisecond ahead of the second task. */
	int go = 0;
	struct lag_args ahead = { .ahead_ns = 1000000, .jobs = 2, .go = &go };
	struct lag_args behind = { .jobs = 1, .go = &go };
	struct zsim_task *t[2];

	iaa_boot(&boot);
	t[0] = zsim_spawn(0, lag_task, &ahead, "ahead");
	t[1] = zsim_spawn(1, lag_task, &behind, "behind");
	assert_non_null(t[0]);
	assert_non_null(t[1]);
	assert_int_equal(zsim_join(t[0]), 0);
	assert_int_equal(zsim_join(t[1]), 0);
	print_message("ahead submitted at %llu ns, behind at %llu, done at %llu\n",
		      (unsigned long long)ahead.submit_ns, (unsigned long long)behind.submit_ns,
		      (unsigned long long)behind.done_ns);
	/* The second task's clock lags the first's by most of the 1 ms. */
	assert_true(behind.submit_ns + 500000 < ahead.submit_ns);
	/* One engine latency (a few us), not after the first task's jobs. */
	assert_true(behind.done_ns - behind.submit_ns < 10000);
	assert_true(behind.done_ns < ahead.submit_ns);
	zsim_test_shutdown_clean();
}

/*
 * Corrupt input to every IAA decompressor: a clear error, nothing written
 * past the destination (guard bytes), and the software fallback counted.
 */
struct corrupt_args {
	const char *alg;
	int ret[3];
	bool guard_ok;
};

#define GUARD	64

static int corrupt_task(void *arg)
{
	struct corrupt_args *ca = arg;
	struct crypto_acomp *tfm = crypto_alloc_acomp(ca->alg, 0, 0);
	u8 *page = kmalloc(PAGE, GFP_KERNEL), *comp = kmalloc(2 * PAGE, GFP_KERNEL);
	u8 *out = kmalloc(PAGE + GUARD, GFP_KERNEL);
	struct scatterlist ssg, dsg;
	struct acomp_req *req = NULL;
	DECLARE_CRYPTO_WAIT(wait);
	unsigned int clen, i, k;
	int ret = -ENOMEM;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	req = acomp_request_alloc(tfm);
	if (!req || !page || !comp || !out)
		goto out;
	acomp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
	gen_page(page, 3);
	sg_init_one(&ssg, page, PAGE);
	sg_init_one(&dsg, comp, 2 * PAGE);
	acomp_request_set_params(req, &ssg, &dsg, PAGE, 2 * PAGE);
	ret = wait_op(req, &wait, true);
	if (ret)
		goto out;
	clen = req->dlen;
	ca->guard_ok = true;
	/* 0: garbage; 1: the stream truncated to a third; 2: bytes flipped in the middle. */
	for (k = 0; k < 3; k++) {
		u8 bad[2 * PAGE];
		unsigned int blen = clen;

		memcpy(bad, comp, clen);
		if (k == 0)
			gen_random_page(bad, 77);
		else if (k == 1)
			blen = clen / 3;
		else
			for (i = clen / 3; i < clen / 3 + 16; i++)
				bad[i] ^= 0x5a;
		memset(out, 0xa5, PAGE + GUARD);
		sg_init_one(&ssg, bad, blen);
		sg_init_one(&dsg, out, PAGE);
		acomp_request_set_params(req, &ssg, &dsg, blen, PAGE);
		ca->ret[k] = wait_op(req, &wait, false);
		/* A flip may still decode to something: then it must not be the page. */
		if (!ca->ret[k] && req->dlen == PAGE && !memcmp(out, page, PAGE))
			ca->ret[k] = 1;
		for (i = PAGE; i < PAGE + GUARD; i++)
			if (out[i] != 0xa5)
				ca->guard_ok = false;
	}
	ret = 0;
out:
	kfree(out);
	kfree(comp);
	kfree(page);
	acomp_request_free(req);
	crypto_free_acomp(tfm);
	return ret;
}

static void test_corrupt_input(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = zsim_test_backend(state) };
	unsigned int i, k;

	iaa_boot(&boot);
	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		struct corrupt_args ca = { .alg = algs[i] };

		assert_int_equal(zsim_run(0, corrupt_task, &ca), 0);
		assert_true(ca.guard_ok);
		/* Garbage and truncation always fail, with -EINVAL or -EOVERFLOW. */
		for (k = 0; k < 2; k++)
			assert_true(ca.ret[k] == -EINVAL || ca.ret[k] == -EOVERFLOW);
		assert_true(ca.ret[2] != 1);
	}
	/* Each hardware failure was retried in software. */
	assert_true(dbg("iaa_crypto/total_sw_decomp_calls") >= 6);
	assert_true(dbg("iaa_crypto/total_completion_einval_errors") >= 6);
	zsim_test_shutdown_clean();
}

/*
 * A source of two entries, as zs_obj_read_sg_begin() gives for an object
 * that straddles two zsmalloc pages. ret[0]: the entries meet at a page
 * boundary (the first ends where its page ends, the second starts at 0);
 * ret[1]: the first ends inside its page. 1 stands for "decompressed,
 * but not to the page".
 */
struct split_args {
	const char *alg;
	int ret[2];
};

static int split_task(void *arg)
{
	struct split_args *sa = arg;
	struct crypto_acomp *tfm = crypto_alloc_acomp(sa->alg, 0, 0);
	struct page *a = alloc_page(GFP_KERNEL), *b = alloc_page(GFP_KERNEL);
	u8 *page = kmalloc(PAGE, GFP_KERNEL), *comp = kmalloc(2 * PAGE, GFP_KERNEL);
	u8 *out = kmalloc(PAGE, GFP_KERNEL);
	struct scatterlist ssg[2], dsg;
	struct acomp_req *req = NULL;
	DECLARE_CRYPTO_WAIT(wait);
	unsigned int clen, head, k;
	int ret = -ENOMEM;

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	req = acomp_request_alloc(tfm);
	if (!req || !a || !b || !page || !comp || !out)
		goto out;
	acomp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
	gen_page(page, 5);
	sg_init_one(&ssg[0], page, PAGE);
	sg_init_one(&dsg, comp, 2 * PAGE);
	acomp_request_set_params(req, &ssg[0], &dsg, PAGE, 2 * PAGE);
	ret = wait_op(req, &wait, true);
	if (ret)
		goto out;
	clen = req->dlen;
	head = clen / 3;
	for (k = 0; k < 2; k++) {
		/* k == 0: the head fills the end of page a; k == 1: it stops 8 bytes short. */
		unsigned int off = PAGE - head - (k ? 8 : 0);

		memcpy(page_address(a) + off, comp, head);
		memcpy(page_address(b), comp + head, clen - head);
		sg_init_table(ssg, 2);
		sg_set_page(&ssg[0], a, head, off);
		sg_set_page(&ssg[1], b, clen - head, 0);
		sg_init_one(&dsg, out, PAGE);
		memset(out, 0, PAGE);
		acomp_request_set_params(req, ssg, &dsg, clen, PAGE);
		sa->ret[k] = wait_op(req, &wait, false);
		if (!sa->ret[k] && (req->dlen != PAGE || memcmp(out, page, PAGE)))
			sa->ret[k] = 1;
	}
	ret = 0;
out:
	kfree(out);
	kfree(comp);
	kfree(page);
	if (b)
		__free_page(b);
	if (a)
		__free_page(a);
	acomp_request_free(req);
	crypto_free_acomp(tfm);
	return ret;
}

/*
 * The kernel's driver takes a source only as one DMA segment: under an
 * IOMMU, entries that meet at a page boundary are one segment and
 * decompress; entries that do not, or any two in IOMMU passthrough, fail
 * with -EIO (no software fallback: the request never reached the device).
 */
static void test_split_source(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = zsim_test_backend(state) };
	unsigned int i, passthrough;

	for (passthrough = 0; passthrough < 2; passthrough++) {
		assert_int_equal(zsim_param_set("iaa_model", "iommu_passthrough",
						passthrough ? "1" : "0"), 0);
		iaa_boot(&boot);
		for (i = 0; i < ARRAY_SIZE(algs); i++) {
			struct split_args sa = { .alg = algs[i] };

			assert_int_equal(zsim_run(0, split_task, &sa), 0);
			assert_int_equal(sa.ret[0], passthrough ? -EIO : 0);
			assert_int_equal(sa.ret[1], -EIO);
		}
		assert_int_equal(dbg("iaa_crypto/total_sw_decomp_calls"), 0);
		zsim_test_shutdown_clean();
	}
	assert_int_equal(zsim_param_set("iaa_model", "iommu_passthrough", "0"), 0);
}

/*
 * verify_compress catches a bad compress: an engine error injected into
 * the verifying decompress (call 2; call 1 is the compress) fails the
 * compress with -EINVAL and counts a verify failure.
 */
static void test_verify_failure(void **state)
{
	struct iaa_boot boot = { .sync_mode = "sync", .verify = true,
				 .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa", .nr = 2, .batch = 1, .dst_cap = PAGE };

	iaa_boot(&boot);
	assert_int_equal(zsim_fault_set("iaa_engine_error", 0, 0, 2), 0);
	run_rt(&a);
	assert_int_equal(a.comp_err[0], -EINVAL);
	assert_int_equal(a.comp_err[1], 0);
	assert_int_equal(a.decomp_err[1], 0);
	assert_int_equal(dbg("iaa_crypto/total_verify_failures"), 1);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();

	/* A verify that times out fails the compress with its own errno (v13). */
	iaa_boot(&boot);
	a = (struct rt_args){ .alg = "deflate-iaa", .nr = 1, .batch = 1, .dst_cap = PAGE };
	assert_int_equal(zsim_fault_set("iaa_timeout", 0, 0, 2), 0);
	run_rt(&a);
	assert_int_equal(a.comp_err[0], -ETIMEDOUT);
	assert_int_equal(dbg("iaa_crypto/total_verify_failures"), 1);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("iaa_crypto", "verify_compress", "0"), 0);
}

/*
 * Contention: two virtual CPUs compressing on the one device share its
 * two compress engines, so each page waits longer than when one CPU has
 * the device to itself.
 */
static u64 median_comp_ns(const struct rt_args *a)
{
	u64 v[NPAGES / 8];
	unsigned int i;

	for (i = 0; i < a->nr / 8; i++)
		v[i] = a->comp_ns[i * 8];
	qsort(v, a->nr / 8, sizeof(u64), cmp_u64);
	return v[a->nr / 16];
}

static void test_contention(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async", .backend = zsim_test_backend(state) };
	struct rt_args solo = { .alg = "deflate-iaa-canned", .nr = 64, .batch = 8, .dst_cap = PAGE };
	struct rt_args pair[2] = {
		{ .alg = "deflate-iaa-canned", .nr = 64, .batch = 8, .dst_cap = PAGE },
		{ .alg = "deflate-iaa-canned", .nr = 64, .batch = 8, .dst_cap = PAGE },
	};
	struct zsim_task *t[2];
	u64 alone, shared;
	unsigned int i;

	iaa_boot(&boot);
	run_rt(&solo);
	for (i = 0; i < 2; i++) {
		t[i] = zsim_spawn(i, rt_task, &pair[i], "iaa_user");
		assert_non_null(t[i]);
	}
	for (i = 0; i < 2; i++)
		assert_int_equal(zsim_join(t[i]), 0);
	alone = median_comp_ns(&solo);
	shared = max(median_comp_ns(&pair[0]), median_comp_ns(&pair[1]));
	print_message("compress batch of 8: %llu ns alone, %llu ns with another CPU\n",
		      (unsigned long long)alone, (unsigned long long)shared);
	assert_true(shared > alone * 5 / 4);
	for (i = 0; i < 2; i++)
		assert_int_equal(pair[i].mismatches, 0);
	zsim_test_shutdown_clean();
}

/*
 * The calibration target: 1 device, 2 WQs, 8 engines, 2000 MHz, async,
 * canned; per-page p50 within 10% of the published table for batches of
 * 1..32 (a batch above 8 is several requests of 8, as zswap sends them).
 */
static void test_calibration(void **state)
{
	static const unsigned int batches[] = { 1, 2, 4, 8, 16, 32 };
	static const double pub_comp[] = { 3571, 1971, 1568, 1378, 1373, 1374 };
	static const double pub_decomp[] = { 2999, 1719, 1103, 773, 776, 771 };
	struct iaa_boot boot = { .sync_mode = "async", .backend = ZSIM_CONTROLLED };
	double pc[ARRAY_SIZE(batches)], pd[ARRAY_SIZE(batches)];
	unsigned int b, i, j, k;
	u64 bytes_in, bytes_out;

	iaa_boot(&boot);
	for (b = 0; b < ARRAY_SIZE(batches); b++) {
		unsigned int bs = batches[b], req = min(bs, 8u), groups = NPAGES / bs;
		struct rt_args a = { .alg = "deflate-iaa-canned", .nr = NPAGES, .batch = req,
				     .dst_cap = PAGE };
		u64 c[NPAGES], d[NPAGES];

		run_rt(&a);
		/* Per group of bs pages: the sum of its requests, per page. */
		for (i = 0, k = 0; i < groups; i++, k++) {
			c[k] = d[k] = 0;
			for (j = i * bs; j < (i + 1) * bs; j += req) {
				c[k] += a.comp_ns[j];
				d[k] += a.decomp_ns[j];
			}
			c[k] /= bs;
			d[k] /= bs;
		}
		qsort(c, groups, sizeof(u64), cmp_u64);
		qsort(d, groups, sizeof(u64), cmp_u64);
		pc[b] = c[groups / 2];
		pd[b] = d[groups / 2];
		print_message("batch %2u: compress p50 %5.0f ns (published %4.0f, %+5.1f%%), decompress p50 %5.0f ns (published %4.0f, %+5.1f%%)\n",
			      bs, pc[b], pub_comp[b], 100 * (pc[b] / pub_comp[b] - 1),
			      pd[b], pub_decomp[b], 100 * (pd[b] / pub_decomp[b] - 1));
	}
	bytes_in = dbg("iaa_crypto/iaa0/wq0.1/bytes_in");
	bytes_out = dbg("iaa_crypto/iaa0/wq0.1/bytes_out");
	print_message("canned ratio on the test pages: %.2f\n", (double)bytes_in / bytes_out);
	for (b = 0; b < ARRAY_SIZE(batches); b++) {
		assert_true(pc[b] > pub_comp[b] * 0.9 && pc[b] < pub_comp[b] * 1.1);
		assert_true(pd[b] > pub_decomp[b] * 0.9 && pd[b] < pub_decomp[b] * 1.1);
	}
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ZSIM_TEST_BOTH(test_roundtrip),
		ZSIM_TEST_CONTROLLED(test_format_compat),
		ZSIM_TEST_BOTH(test_compress_overflow),
		ZSIM_TEST_BOTH(test_engine_error),
		ZSIM_TEST_BOTH(test_decompress_fallback),
		ZSIM_TEST_BOTH(test_timeout),
		ZSIM_TEST_BOTH(test_timeout_irq),
		ZSIM_TEST_BOTH(test_irq_decompress_failures),
		ZSIM_TEST_BOTH(test_desc_alloc_exhausted),
		ZSIM_TEST_BOTH(test_wq_refuse),
		ZSIM_TEST_BOTH(test_verify),
		ZSIM_TEST_BOTH(test_single_unit_result),
		ZSIM_TEST_CONTROLLED(test_params_locked),
		ZSIM_TEST_CONTROLLED(test_determinism),
		ZSIM_TEST_CONTROLLED(test_calibration),
		ZSIM_TEST_BOTH(test_placement),
		ZSIM_TEST_BOTH(test_wq_split),
		ZSIM_TEST_BOTH(test_decomp_two_largest_first),
		ZSIM_TEST_BOTH(test_poll_until_done),
		ZSIM_TEST_CONTROLLED(test_lagging_clock),
		ZSIM_TEST_BOTH(test_corrupt_input),
		ZSIM_TEST_BOTH(test_split_source),
		ZSIM_TEST_BOTH(test_verify_failure),
		ZSIM_TEST_CONTROLLED(test_contention),
	};

	return cmocka_run_group_tests_name("iaa_model", tests, NULL, NULL);
}
