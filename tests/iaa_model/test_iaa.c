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
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <sim/sched.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "zsim_test.h"

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
};

static void iaa_boot(const struct iaa_boot *b)
{
	struct zsim_config cfg;

	assert_int_equal(zsim_param_set("iaa_crypto", "sync_mode", b->sync_mode), 0);
	assert_int_equal(zsim_param_set("iaa_crypto", "verify_compress", b->verify ? "1" : "0"), 0);
	assert_int_equal(zsim_param_set("iaa_model", "wq_mode", b->wq_mode ? b->wq_mode : "0"), 0);
	zsim_config_init(&cfg);
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
	for (i = 0; i < a->nr; i++)
		(a->random ? gen_random_page : gen_page)(src + i * PAGE, i);

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
	/* Calls 1-4 compress; fail the 2nd compress and every decompress (5-8). */
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
	/* Compress calls 1-8 succeed; every decompress from call 9 on fails. */
	assert_int_equal(zsim_fault_set("iaa_engine_error", 0, 0, 9), 0);
	run_rt(&a);
	for (p = 0; p < a.nr; p++) {
		assert_int_equal(a.comp_err[p], 0);
		assert_int_equal(a.decomp_err[p], 0);
	}
	assert_int_equal(a.mismatches, 0);
	assert_int_equal(dbg("iaa_crypto/total_sw_decomp_calls"), 1);
	assert_int_equal(dbg("iaa_crypto/iaa0/wq0.1/sw_fallbacks"), 1);
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

/* async_irq: the device watchdog's 0x24 completes a hung job with -ETIMEDOUT. */
static void test_timeout_irq(void **state)
{
	struct iaa_boot boot = { .sync_mode = "async_irq", .backend = zsim_test_backend(state) };
	struct rt_args a = { .alg = "deflate-iaa", .nr = 2, .batch = 1, .dst_cap = PAGE };

	iaa_boot(&boot);
	assert_int_equal(zsim_fault_set("iaa_timeout", 0, 0, 1), 0);
	run_rt(&a);
	assert_int_equal(a.comp_err[0], -ETIMEDOUT);
	assert_int_equal(a.comp_err[1], 0);
	assert_int_equal(a.decomp_err[1], 0);
	assert_int_equal(dbg("iaa_crypto/total_completion_timeout_errors"), 1);
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
	assert_int_equal(dbg("iaa_crypto/iaa0/wq0.0/alloc_retries"), 1);
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
	assert_int_equal(dbg("iaa_crypto/iaa0/wq0.0/enqcmd_retries"), 1);

	assert_int_equal(zsim_fault_set("iaa_wq_refuse", 0, 1, 0), 0);
	a = (struct rt_args){ .alg = "deflate-iaa", .nr = 1, .batch = 1, .dst_cap = PAGE };
	run_rt(&a);
	assert_int_equal(a.comp_err[0], -EAGAIN);
	assert_int_equal(dbg("iaa_crypto/total_submit_failures"), 1);
	zsim_fault_clear_all();
	zsim_test_shutdown_clean();
	assert_int_equal(zsim_param_set("iaa_model", "wq_mode", "0"), 0);
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
	bytes_in = dbg("iaa_crypto/iaa0/wq0.0/bytes_in");
	bytes_out = dbg("iaa_crypto/iaa0/wq0.0/bytes_out");
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
		ZSIM_TEST_BOTH(test_desc_alloc_exhausted),
		ZSIM_TEST_BOTH(test_wq_refuse),
		ZSIM_TEST_BOTH(test_verify),
		ZSIM_TEST_CONTROLLED(test_params_locked),
		ZSIM_TEST_CONTROLLED(test_determinism),
		ZSIM_TEST_CONTROLLED(test_calibration),
	};

	return cmocka_run_group_tests_name("iaa_model", tests, NULL, NULL);
}
