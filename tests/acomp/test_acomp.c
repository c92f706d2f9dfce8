// SPDX-License-Identifier: GPL-2.0-only
/*
 * The acomp API and the software algorithms: lookup by algorithm and
 * driver name with priorities, unknown names, unregistering under live
 * tfms, single and batched round trips of every algorithm on zero, text
 * and random pages, a failing unit in a batch, asynchronous drivers
 * (batching and not) in both backends, corrupt input to every decompressor
 * with guard bytes after the output, the fault sites, scomp's in-place and
 * scratch-page paths, and modelled timing
 * (deterministic clocks, the cost table charged).
 *
 * Simulated tasks do the work and return 0 or a line number that failed
 * (CHECK); the test thread asserts.
 */
#include <crypto/internal/acompress.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <sim/sched.h>
#include <string.h>

#include "zsim_test.h"
#include "../../src/acomp/cost.h"

/* In a simulated task: give up with the line number. */
#define CHECK(cond) do { if (!(cond)) return __LINE__; } while (0)
#define CHECKGO(cond) do { if (!(cond)) { ret = __LINE__; goto out; } } while (0)

static const char *const sw_algs[] = { "lz4", "lz4hc", "zstd", "deflate" };
static const char *const sw_drivers[] = {
	"lz4-generic", "lz4hc-generic", "zstd-generic", "deflate-generic" };

/* Run @task once per software driver, in a task, the driver's name its argument. */
static void run_per_sw_driver(int (*task)(void *))
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sw_algs); i++) {
		print_message("%s\n", sw_algs[i]);
		assert_int_equal(zsim_run(0, task, (void *)sw_drivers[i]), 0);
	}
}

enum page_kind { PAGE_ZERO, PAGE_TEXT, PAGE_RANDOM, NR_PAGE_KINDS };

static void fill_page(void *p, enum page_kind kind, unsigned int seed)
{
	static const char *const words[] = { "the ", "swap ", "entry ", "of ",
		"zswap ", "pool ", "compressed ", "page\n", "memcg ", "lru " };
	unsigned int x = seed * 2654435761u + 1, i;
	char *c = p;

	switch (kind) {
	case PAGE_ZERO:
		memset(p, 0, PAGE_SIZE);
		break;
	case PAGE_TEXT:
		for (i = 0; i < PAGE_SIZE;) {
			const char *w;

			x = x * 1103515245u + 12345;
			w = words[(x >> 16) % 10];
			while (*w && i < PAGE_SIZE)
				c[i++] = *w++;
		}
		break;
	default:
		for (i = 0; i < PAGE_SIZE; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			c[i] = x;
		}
	}
}

static int boot(void **state, uint64_t seed, bool modelled)
{
	struct zsim_config cfg;

	zsim_test_config(state, &cfg, 2, seed);
	cfg.ram_bytes = 64ULL << 20;
	cfg.timing = modelled ? ZSIM_TIMING_MODELLED : ZSIM_TIMING_MEASURED;
	return zsim_machine_start(&cfg);
}

/*
 * ---- a test algorithm: stores its input behind a one-byte tag, without
 * its trailing zero bytes (decompress fills the room with zeros) ----
 */

struct copy_req_ctx {
	struct work_struct work;
	bool compress;
};

static int copy_one(struct scatterlist *src, unsigned int slen,
		    struct scatterlist *dst, unsigned int *dlen, bool compress)
{
	u8 *s = sg_virt(src), *d = sg_virt(dst);

	if (compress) {
		while (slen && !s[slen - 1])
			slen--;
		if (slen + 1 > *dlen)
			return -ENOSPC;
		d[0] = 0xc5;
		memcpy(d + 1, s, slen);
		*dlen = slen + 1;
		return 0;
	}
	if (slen < 1 || s[0] != 0xc5 || slen - 1 > *dlen)
		return -EINVAL;
	memcpy(d, s + 1, slen - 1);
	memset(d + slen - 1, 0, *dlen - (slen - 1));
	return 0;
}

static int copy_req(struct acomp_req *req, bool compress)
{
	unsigned int i, nr = acomp_request_nr_units(req, compress);
	struct acomp_unit u;
	unsigned int dlen;
	int ret;

	if (nr == 1) {
		dlen = req->dlen;
		ret = copy_one(req->src, req->slen, req->dst, &dlen, compress);
		if (!ret)
			req->dlen = dlen;
		return ret;
	}
	/* A batching driver walks the units with the core's helpers. */
	for (i = 0; i < nr; i++) {
		ret = acomp_batch_unit(req, compress, i, &u);
		if (!ret) {
			dlen = u.dst.length;
			ret = copy_one(&u.src, u.src.length, &u.dst, &dlen, compress);
		}
		acomp_batch_set_result(&u, ret ? ret : (int)dlen);
	}
	return acomp_batch_finish(req, compress);
}

static int copy_compress(struct acomp_req *req)
{
	return copy_req(req, true);
}

static int copy_decompress(struct acomp_req *req)
{
	return copy_req(req, false);
}

/* Asynchronous: the work runs on system_wq, another task. */
static void async_work(struct work_struct *work)
{
	struct copy_req_ctx *rctx = container_of(work, struct copy_req_ctx, work);
	struct acomp_req *req = container_of((void *)rctx, struct acomp_req, __ctx);

	acomp_request_complete(req, copy_req(req, rctx->compress));
}

static int async_submit(struct acomp_req *req, bool compress)
{
	struct copy_req_ctx *rctx = acomp_request_ctx(req);

	rctx->compress = compress;
	INIT_WORK(&rctx->work, async_work);
	queue_work(system_wq, &rctx->work);
	return -EINPROGRESS;
}

static int async_compress(struct acomp_req *req)
{
	return async_submit(req, true);
}

static int async_decompress(struct acomp_req *req)
{
	return async_submit(req, false);
}

#define COPY_ALG(_drv, _prio, _c, _d, _flags, _batch) {		\
	.compress = _c, .decompress = _d,				\
	.reqsize = sizeof(struct copy_req_ctx), .batch_size = _batch,	\
	.base = { .cra_name = "copytest", .cra_driver_name = _drv,	\
		  .cra_priority = _prio, .cra_flags = _flags } }

static struct acomp_alg copy_algs[] = {
	COPY_ALG("copy-low", 100, copy_compress, copy_decompress, 0, 0),
	COPY_ALG("copy-high", 200, copy_compress, copy_decompress, 0, 0),
};

static struct acomp_alg async_algs[] = {
	/* Asynchronous, no batching: batches through the core's fallback. */
	COPY_ALG("copy-async", 50, async_compress, async_decompress, CRYPTO_ALG_ASYNC, 1),
	/* Asynchronous and batching: whole batches reach the driver. */
	COPY_ALG("copy-async-batch", 40, async_compress, async_decompress, CRYPTO_ALG_ASYNC, 4),
	/* Synchronous with a batch size: v13 batches only async drivers, so 1. */
	COPY_ALG("copy-sync-batch", 30, copy_compress, copy_decompress, 0, 4),
};

/* ---- helpers for the simulated tasks ---- */

struct op {
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	struct crypto_wait wait;
};

static int op_init(struct op *op, const char *name)
{
	op->tfm = crypto_alloc_acomp(name, 0, 0);
	if (IS_ERR(op->tfm))
		return PTR_ERR(op->tfm);
	op->req = acomp_request_alloc(op->tfm);
	if (!op->req) {
		crypto_free_acomp(op->tfm);
		return -ENOMEM;
	}
	crypto_init_wait(&op->wait);
	acomp_request_set_callback(op->req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &op->wait);
	return 0;
}

static void op_exit(struct op *op)
{
	acomp_request_free(op->req);
	crypto_free_acomp(op->tfm);
}

/* Compress @src (@slen bytes) to @dst (room @dlen): length or -errno. */
static int op_compress(struct op *op, const void *src, unsigned int slen,
		       void *dst, unsigned int dlen)
{
	struct scatterlist in, out;
	int ret;

	sg_init_one(&in, src, slen);
	sg_init_one(&out, dst, dlen);
	acomp_request_set_params(op->req, &in, &out, slen, dlen);
	ret = crypto_wait_req(crypto_acomp_compress(op->req), &op->wait);
	return ret ? ret : (int)op->req->dlen;
}

static int op_decompress(struct op *op, const void *src, unsigned int slen,
			 void *dst, unsigned int dlen)
{
	struct scatterlist in, out;
	int ret;

	sg_init_one(&in, src, slen);
	sg_init_one(&out, dst, dlen);
	acomp_request_set_params(op->req, &in, &out, slen, dlen);
	ret = crypto_wait_req(crypto_acomp_decompress(op->req), &op->wait);
	return ret ? ret : (int)op->req->dlen;
}

/* ---- lookup ---- */

static int lookup_task(void *arg)
{
	struct crypto_acomp *tfm;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sw_algs); i++) {
		int prio;

		tfm = crypto_alloc_acomp(sw_drivers[i], 0, 0);
		CHECK(!IS_ERR(tfm));
		CHECK(!strcmp(crypto_acomp_alg_name(tfm), sw_algs[i]));
		CHECK(!strcmp(crypto_acomp_driver_name(tfm), sw_drivers[i]));
		CHECK(!acomp_is_async(tfm));
		CHECK(crypto_acomp_batch_size(tfm) == 1);
		prio = crypto_acomp_tfm(tfm)->__crt_alg->cra_priority;
		crypto_free_acomp(tfm);
		/* By name: this driver or one of higher priority (deflate-iaa). */
		CHECK(crypto_has_acomp(sw_algs[i], 0, 0));
		tfm = crypto_alloc_acomp_node(sw_algs[i], 0, 0, 0);
		CHECK(!IS_ERR(tfm));
		ret = !strcmp(crypto_acomp_alg_name(tfm), sw_algs[i]) &&
		      (!strcmp(crypto_acomp_driver_name(tfm), sw_drivers[i]) ||
		       crypto_acomp_tfm(tfm)->__crt_alg->cra_priority > prio);
		crypto_free_acomp(tfm);
		CHECK(ret);
		/* A synchronous one by name is the software driver. */
		tfm = crypto_alloc_acomp(sw_algs[i], 0, CRYPTO_ALG_ASYNC);
		CHECK(!IS_ERR(tfm));
		ret = !strcmp(crypto_acomp_driver_name(tfm), sw_drivers[i]);
		crypto_free_acomp(tfm);
		CHECK(ret);
	}
	CHECK(!crypto_has_acomp("nosuch", 0, 0));
	CHECK(PTR_ERR(crypto_alloc_acomp("nosuch", 0, 0)) == -ENOENT);
	crypto_free_acomp(NULL);
	crypto_free_acomp(ERR_PTR(-ENOENT));

	/* Priorities: the name finds the highest, a driver name itself. */
	CHECK(crypto_register_acomps(copy_algs, ARRAY_SIZE(copy_algs)) == 0);
	tfm = crypto_alloc_acomp("copytest", 0, 0);
	CHECK(!IS_ERR(tfm) && !strcmp(crypto_acomp_driver_name(tfm), "copy-high"));
	crypto_free_acomp(tfm);
	tfm = crypto_alloc_acomp("copy-low", 0, 0);
	CHECK(!IS_ERR(tfm) && !strcmp(crypto_acomp_driver_name(tfm), "copy-low"));
	crypto_free_acomp(tfm);
	/* A driver name is registered once; an async-only mask skips sync ones. */
	ret = crypto_register_acomp(&copy_algs[1]);
	CHECK(ret == -EEXIST);
	CHECK(PTR_ERR(crypto_alloc_acomp("copytest", CRYPTO_ALG_ASYNC,
					 CRYPTO_ALG_ASYNC)) == -ENOENT);
	crypto_unregister_acomp(&copy_algs[1]);
	tfm = crypto_alloc_acomp("copytest", 0, 0);
	CHECK(!IS_ERR(tfm) && !strcmp(crypto_acomp_driver_name(tfm), "copy-low"));
	crypto_free_acomp(tfm);
	crypto_unregister_acomp(&copy_algs[0]);
	CHECK(!crypto_has_acomp("copytest", 0, 0));
	return 0;
}

static void test_lookup(void **state)
{
	assert_int_equal(boot(state, 1, false), 0);
	assert_int_equal(zsim_run(0, lookup_task, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- unregister while a tfm lives ---- */

struct unreg {
	struct completion done;
	bool returned;
};

static int unreg_thread(void *arg)
{
	struct unreg *u = arg;

	crypto_unregister_acomp(&copy_algs[0]);
	WRITE_ONCE(u->returned, true);
	complete(&u->done);
	return 0;
}

static int unreg_task(void *arg)
{
	struct unreg u = { .returned = false };
	struct task_struct *t;
	struct crypto_acomp *tfm;
	int ret;
	char in[64] = "unregister", out[128], back[64];
	struct op op;
	int i;

	init_completion(&u.done);
	CHECK(crypto_register_acomp(&copy_algs[0]) == 0);
	CHECK(op_init(&op, "copytest") == 0);
	t = sched_task_create(unreg_thread, &u, 1, "unreg");
	CHECK(!IS_ERR(t));
	sched_task_start(t);
	/* The name goes away at once... */
	for (i = 0; i < 10000 && crypto_has_acomp("copytest", 0, 0); i++)
		msleep(1);
	CHECK(!crypto_has_acomp("copytest", 0, 0));
	tfm = crypto_alloc_acomp("copy-low", 0, 0);
	CHECK(PTR_ERR(tfm) == -ENOENT);
	/* ...while the live tfm still works and unregister waits for it. */
	msleep(5);
	CHECK(!READ_ONCE(u.returned));
	CHECK(op_compress(&op, in, sizeof(in), out, sizeof(out)) == strlen(in) + 1);
	CHECK(op_decompress(&op, out, strlen(in) + 1, back, sizeof(back)) == sizeof(in));
	CHECK(!memcmp(in, back, sizeof(in)));
	op_exit(&op);
	wait_for_completion(&u.done);
	ret = sched_task_join(t);
	CHECK(u.returned && !ret);
	return 0;
}

static void test_unregister_live_tfm(void **state)
{
	assert_int_equal(boot(state, 2, false), 0);
	assert_int_equal(zsim_run(0, unreg_task, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- round trips ---- */

#define NR_UNITS	4
#define DST_ROOM	(2 * PAGE_SIZE)

static int single_round_trip(struct op *op, enum page_kind kind)
{
	struct folio *src = folio_alloc(GFP_KERNEL, 0), *back = folio_alloc(GFP_KERNEL, 0);
	u8 *dst = kmalloc(DST_ROOM, GFP_KERNEL);
	struct scatterlist out, in;
	int ret = 0, len;

	CHECKGO(src && back && dst);
	fill_page(folio_address(src), kind, 7);
	acomp_request_set_src_folio(op->req, src, 0, PAGE_SIZE);
	sg_init_one(&out, dst, DST_ROOM);
	acomp_request_set_dst_sg(op->req, &out, DST_ROOM);
	CHECKGO(crypto_wait_req(crypto_acomp_compress(op->req), &op->wait) == 0);
	len = op->req->dlen;
	CHECKGO(len > 0 && len <= DST_ROOM);
	if (kind == PAGE_ZERO || kind == PAGE_TEXT)
		CHECKGO(len < PAGE_SIZE / 2);

	sg_init_one(&in, dst, len);
	acomp_request_set_src_sg(op->req, &in, len);
	acomp_request_set_dst_folio(op->req, back, 0, PAGE_SIZE);
	CHECKGO(crypto_wait_req(crypto_acomp_decompress(op->req), &op->wait) == 0);
	CHECKGO(op->req->dlen == PAGE_SIZE);
	CHECKGO(!memcmp(folio_address(src), folio_address(back), PAGE_SIZE));
out:
	kfree(dst);
	if (src)
		folio_put(src);
	if (back)
		folio_put(back);
	return ret;
}

/*
 * @nr pages of a folio compressed as one batch, then decompressed as one.
 * Each page is text with a zeroed second half, so that it fits its
 * unit-size room in every algorithm (the copy algorithm included).
 */
static int batch_round_trip(struct op *op, unsigned int nr)
{
	struct folio *src = folio_alloc(GFP_KERNEL, 2), *back = folio_alloc(GFP_KERNEL, 2);
	struct scatterlist out[NR_UNITS], in[NR_UNITS];
	u8 *dst[NR_UNITS] = { NULL };
	int len[NR_UNITS];
	unsigned int i;
	int ret = 0;

	CHECKGO(src && back);
	sg_init_table(out, nr);
	for (i = 0; i < nr; i++) {
		dst[i] = kmalloc(DST_ROOM, GFP_KERNEL);
		CHECKGO(dst[i]);
		sg_set_buf(&out[i], dst[i], DST_ROOM);
		fill_page(folio_address(src) + i * PAGE_SIZE, PAGE_TEXT, i);
		memset(folio_address(src) + i * PAGE_SIZE + PAGE_SIZE / 2, 0, PAGE_SIZE / 2);
	}
	acomp_request_set_callback(op->req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &op->wait);
	acomp_request_set_unit_size(op->req, PAGE_SIZE);
	acomp_request_set_src_folio(op->req, src, 0, nr * PAGE_SIZE);
	acomp_request_set_dst_sg(op->req, out, DST_ROOM);
	CHECKGO(crypto_wait_req(crypto_acomp_compress(op->req), &op->wait) == 0);
	/* A single request reports in req->dlen (and its dst entry). */
	for (i = 0; i < nr; i++) {
		len[i] = nr == 1 ? (int)op->req->dlen : acomp_unit_result(&out[i]);
		CHECKGO(len[i] > 0 && len[i] <= DST_ROOM);
	}
	CHECKGO(op->req->dlen == (unsigned int)len[0]);

	sg_init_table(in, nr);
	for (i = 0; i < nr; i++)
		sg_set_buf(&in[i], dst[i], len[i]);
	acomp_request_set_src_sg(op->req, in, len[0]);
	acomp_request_set_dst_folio(op->req, back, 0, nr * PAGE_SIZE);
	CHECKGO(crypto_wait_req(crypto_acomp_decompress(op->req), &op->wait) == 0);
	CHECKGO(op->req->dlen == PAGE_SIZE);
	for (i = 0; nr > 1 && i < nr; i++)
		CHECKGO(acomp_unit_result(&in[i]) == PAGE_SIZE);
	CHECKGO(!memcmp(folio_address(src), folio_address(back), nr * PAGE_SIZE));
	acomp_request_set_unit_size(op->req, 0);
out:
	for (i = 0; i < nr; i++)
		kfree(dst[i]);
	if (src)
		folio_put(src);
	if (back)
		folio_put(back);
	return ret;
}

static int round_trip_task(void *arg)
{
	const char *name = arg;
	struct op op;
	int k, ret;

	CHECK(op_init(&op, name) == 0);
	for (k = 0; k < NR_PAGE_KINDS; k++) {
		ret = single_round_trip(&op, k);
		if (ret)
			goto out;
	}
	/* A batch of one unit is a single request; then 2 and 4 units. */
	ret = batch_round_trip(&op, 1);
	if (!ret)
		ret = batch_round_trip(&op, 2);
	if (!ret)
		ret = batch_round_trip(&op, NR_UNITS);
out:
	op_exit(&op);
	return ret;
}

static void test_round_trips(void **state)
{
	assert_int_equal(boot(state, 3, false), 0);
	run_per_sw_driver(round_trip_task);
	zsim_test_shutdown_clean();
}

/* ---- a failing unit in a batch ---- */

static int unit_error_task(void *arg)
{
	const char *name = arg;
	struct folio *src = folio_alloc(GFP_KERNEL, 2);
	struct scatterlist out[3];
	u8 *dst = kmalloc(3 * PAGE_SIZE, GFP_KERNEL), back[PAGE_SIZE];
	unsigned int i;
	struct op op;
	int ret = 0;

	CHECK(op_init(&op, name) == 0);
	CHECKGO(src && dst);
	/*
	 * text, random, text: the random unit does not fit its room, the
	 * unit size (the entries' half-page lengths do not matter).
	 */
	sg_init_table(out, 3);
	for (i = 0; i < 3; i++) {
		fill_page(folio_address(src) + i * PAGE_SIZE,
			  i == 1 ? PAGE_RANDOM : PAGE_TEXT, i);
		sg_set_buf(&out[i], dst + i * PAGE_SIZE, PAGE_SIZE / 2);
	}
	acomp_request_set_unit_size(op.req, PAGE_SIZE);
	acomp_request_set_src_folio(op.req, src, 0, 3 * PAGE_SIZE);
	acomp_request_set_dst_sg(op.req, out, PAGE_SIZE / 2);
	CHECKGO(crypto_wait_req(crypto_acomp_compress(op.req), &op.wait) == -EINVAL);
	CHECKGO(acomp_unit_result(&out[1]) == -ENOSPC);
	CHECKGO(op.req->dlen == out[0].length);
	for (i = 0; i < 3; i += 2) {
		int len = acomp_unit_result(&out[i]);

		CHECKGO(len > 0 && len < PAGE_SIZE);
		acomp_request_set_unit_size(op.req, 0);
		CHECKGO(op_decompress(&op, dst + i * PAGE_SIZE, len, back, PAGE_SIZE) ==
			PAGE_SIZE);
		CHECKGO(!memcmp(back, folio_address(src) + i * PAGE_SIZE, PAGE_SIZE));
	}
	/* A batch that is not whole units, or lacks entries, is refused. */
	for (i = 0; i < 3; i++)
		out[i].length = PAGE_SIZE / 2;
	acomp_request_set_unit_size(op.req, PAGE_SIZE);
	acomp_request_set_dst_sg(op.req, out, PAGE_SIZE / 2);
	acomp_request_set_src_folio(op.req, src, 0, 2 * PAGE_SIZE + 1);
	CHECKGO(crypto_acomp_compress(op.req) == -EINVAL);
	sg_mark_end(&out[1]);
	acomp_request_set_src_folio(op.req, src, 0, 3 * PAGE_SIZE);
	CHECKGO(crypto_acomp_compress(op.req) == -EINVAL);
out:
	kfree(dst);
	if (src)
		folio_put(src);
	op_exit(&op);
	return ret;
}

static void test_batch_unit_error(void **state)
{
	assert_int_equal(boot(state, 4, false), 0);
	zsim_set_loglevel(3);	/* the refused batches warn */
	run_per_sw_driver(unit_error_task);
	zsim_set_loglevel(7);
	zsim_test_shutdown_clean();
}

/*
 * A list reused from a previous batch: its entries still hold that
 * batch's small results. Each unit's room is the unit size (v13), so every
 * unit compresses, through the core's fallback and through a batching
 * driver alike.
 */
static int stale_room_task(void *arg)
{
	const char *name = arg;
	struct folio *src = folio_alloc(GFP_KERNEL, 2);
	struct scatterlist out[NR_UNITS];
	u8 *dst = kmalloc(NR_UNITS * PAGE_SIZE, GFP_KERNEL);
	unsigned int i;
	struct op op;
	int ret = 0;

	CHECK(op_init(&op, name) == 0);
	CHECKGO(src && dst);
	sg_init_table(out, NR_UNITS);
	for (i = 0; i < NR_UNITS; i++) {
		fill_page(folio_address(src) + i * PAGE_SIZE, PAGE_TEXT, i);
		memset(folio_address(src) + i * PAGE_SIZE + PAGE_SIZE / 2, 0, PAGE_SIZE / 2);
		sg_set_buf(&out[i], dst + i * PAGE_SIZE, 16);
	}
	acomp_request_set_callback(op.req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				   crypto_req_done, &op.wait);
	acomp_request_set_unit_size(op.req, PAGE_SIZE);
	acomp_request_set_src_folio(op.req, src, 0, NR_UNITS * PAGE_SIZE);
	acomp_request_set_dst_sg(op.req, out, NR_UNITS * PAGE_SIZE);
	CHECKGO(crypto_wait_req(crypto_acomp_compress(op.req), &op.wait) == 0);
	for (i = 0; i < NR_UNITS; i++)
		CHECKGO(acomp_unit_result(&out[i]) > 16 &&
			acomp_unit_result(&out[i]) < PAGE_SIZE);
out:
	kfree(dst);
	if (src)
		folio_put(src);
	op_exit(&op);
	return ret;
}

static int stale_room_batching_task(void *arg)
{
	int ret;

	CHECK(crypto_register_acomps(async_algs, ARRAY_SIZE(async_algs)) == 0);
	ret = stale_room_task("copy-async-batch");
	crypto_unregister_acomps(async_algs, ARRAY_SIZE(async_algs));
	return ret;
}

static void test_batch_stale_room(void **state)
{
	assert_int_equal(boot(state, 4, false), 0);
	run_per_sw_driver(stale_room_task);
	assert_int_equal(zsim_run(0, stale_room_batching_task, NULL), 0);
	zsim_test_shutdown_clean();
}

/*
 * A single request with unit_size set (one unit) reports its result in
 * its destination entry too, as v14's acomp_reqchain_finish(): the length,
 * or the errno of a unit that does not fit.
 */
static int single_unit_task(void *arg)
{
	const char *name = arg;
	struct folio *src = folio_alloc(GFP_KERNEL, 0);
	u8 *dst = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct scatterlist out;
	struct op op;
	int ret = 0, k;

	CHECK(op_init(&op, name) == 0);
	CHECKGO(src && dst);
	for (k = PAGE_TEXT; k <= PAGE_RANDOM; k++) {
		fill_page(folio_address(src), k, 3);
		sg_init_one(&out, dst, PAGE_SIZE);
		acomp_request_set_callback(op.req, CRYPTO_TFM_REQ_MAY_BACKLOG,
					   crypto_req_done, &op.wait);
		acomp_request_set_unit_size(op.req, PAGE_SIZE);
		acomp_request_set_src_folio(op.req, src, 0, PAGE_SIZE);
		acomp_request_set_dst_sg(op.req, &out, PAGE_SIZE);
		ret = crypto_wait_req(crypto_acomp_compress(op.req), &op.wait);
		if (k == PAGE_TEXT) {
			CHECKGO(ret == 0);
			CHECKGO(op.req->dlen > 0 && out.length == op.req->dlen);
		} else {
			CHECKGO(ret == -ENOSPC);
			CHECKGO(acomp_unit_result(&out) == -ENOSPC);
		}
		ret = 0;
	}
out:
	kfree(dst);
	if (src)
		folio_put(src);
	op_exit(&op);
	return ret;
}

static void test_single_unit_result(void **state)
{
	assert_int_equal(boot(state, 4, false), 0);
	run_per_sw_driver(single_unit_task);
	zsim_test_shutdown_clean();
}

/* ---- asynchronous drivers ---- */

static int async_task(void *arg)
{
	static const char *const drivers[] = { "copy-async", "copy-async-batch" };
	char in[100] = "async", out[200], back[100];
	unsigned int i;
	struct op op;
	int ret;

	CHECK(crypto_register_acomps(async_algs, ARRAY_SIZE(async_algs)) == 0);
	for (i = 0; i < ARRAY_SIZE(drivers); i++) {
		CHECK(op_init(&op, drivers[i]) == 0);
		CHECK(acomp_is_async(op.tfm));
		CHECK(crypto_acomp_batch_size(op.tfm) == (i ? 4 : 1));
		ret = op_compress(&op, in, sizeof(in), out, sizeof(out));
		CHECK(ret == strlen(in) + 1);
		CHECK(op_decompress(&op, out, ret, back, sizeof(back)) == sizeof(in));
		CHECK(!memcmp(in, back, sizeof(in)));
		/* Too small a destination: the error arrives through the callback. */
		CHECK(op_compress(&op, in, sizeof(in), out, 5) == -ENOSPC);
		ret = batch_round_trip(&op, NR_UNITS);
		op_exit(&op);
		if (ret)
			return ret;
	}
	CHECK(op_init(&op, "copy-sync-batch") == 0);
	CHECK(!acomp_is_async(op.tfm));
	CHECK(crypto_acomp_batch_size(op.tfm) == 1);
	op_exit(&op);
	crypto_unregister_acomps(async_algs, ARRAY_SIZE(async_algs));
	return 0;
}

static void test_async(void **state)
{
	assert_int_equal(boot(state, 5, false), 0);
	assert_int_equal(zsim_run(1, async_task, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- corrupt input ---- */

#define GUARD	64

static int corrupt_task(void *arg)
{
	const char *name = arg;
	u8 *page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	u8 *comp = kmalloc(DST_ROOM, GFP_KERNEL);
	u8 *bad = kmalloc(DST_ROOM, GFP_KERNEL);
	u8 *dst = kmalloc(PAGE_SIZE + GUARD, GFP_KERNEL);
	unsigned int i, j;
	struct op op;
	int ret = 0, len, r;

	CHECK(op_init(&op, name) == 0);
	CHECKGO(page && comp && bad && dst);
	fill_page(page, PAGE_TEXT, 3);
	len = op_compress(&op, page, PAGE_SIZE, comp, DST_ROOM);
	CHECKGO(len > 16);
	for (i = 0; i < 4; i++) {
		unsigned int blen = len, room = PAGE_SIZE;

		memcpy(bad, comp, len);
		switch (i) {
		case 0:		/* truncated */
			blen = len / 2;
			break;
		case 1:		/* garbage */
			memset(bad, 0xff, len);
			break;
		case 2:		/* random bytes */
			fill_page(bad, PAGE_RANDOM, 11);
			blen = min_t(unsigned int, len, PAGE_SIZE);
			break;
		case 3:		/* intact, but the output does not fit */
			room = PAGE_SIZE / 2;
			break;
		}
		memset(dst, 0xa5, PAGE_SIZE + GUARD);
		r = op_decompress(&op, bad, blen, dst, room);
		if (r >= 0) {
			print_message("%s: corruption %u decompressed to %d bytes\n",
				      name, i, r);
			CHECKGO(false);
		}
		for (j = room; j < PAGE_SIZE + GUARD; j++)
			CHECKGO(dst[j] == 0xa5);
	}
	/* The tfm still works after the errors. */
	CHECKGO(op_decompress(&op, comp, len, dst, PAGE_SIZE) == PAGE_SIZE);
	CHECKGO(!memcmp(dst, page, PAGE_SIZE));
out:
	kfree(page);
	kfree(comp);
	kfree(bad);
	kfree(dst);
	op_exit(&op);
	return ret;
}

static void test_corrupt_input(void **state)
{
	assert_int_equal(boot(state, 6, false), 0);
	run_per_sw_driver(corrupt_task);
	zsim_test_shutdown_clean();
}

/* ---- fault injection ---- */

static int fault_task(void *arg)
{
	struct folio *src = folio_alloc(GFP_KERNEL, 2);
	u8 *dst = kmalloc(NR_UNITS * DST_ROOM, GFP_KERNEL), back[PAGE_SIZE];
	struct scatterlist out[NR_UNITS];
	unsigned int i;
	struct op op;
	int ret = 0, len;

	CHECK(op_init(&op, "lz4-generic") == 0);
	CHECKGO(src && dst);
	for (i = 0; i < NR_UNITS; i++)
		fill_page(folio_address(src) + i * PAGE_SIZE, PAGE_TEXT, i);

	CHECKGO(zsim_fault_set("acomp_compress", 0, 0, 1) == 0);
	CHECKGO(op_compress(&op, folio_address(src), PAGE_SIZE, dst, DST_ROOM) == -EIO);
	len = op_compress(&op, folio_address(src), PAGE_SIZE, dst, DST_ROOM);
	CHECKGO(len > 0);

	CHECKGO(zsim_fault_set("acomp_decompress", 0, 0, 1) == 0);
	CHECKGO(op_decompress(&op, dst, len, back, PAGE_SIZE) == -EIO);
	CHECKGO(op_decompress(&op, dst, len, back, PAGE_SIZE) == PAGE_SIZE);

	/* Every second unit of a fallback batch fails. */
	CHECKGO(zsim_fault_set("acomp_compress", 0, 2, 0) == 0);
	sg_init_table(out, NR_UNITS);
	for (i = 0; i < NR_UNITS; i++)
		sg_set_buf(&out[i], dst + i * DST_ROOM, DST_ROOM);
	acomp_request_set_unit_size(op.req, PAGE_SIZE);
	acomp_request_set_src_folio(op.req, src, 0, NR_UNITS * PAGE_SIZE);
	acomp_request_set_dst_sg(op.req, out, DST_ROOM);
	CHECKGO(crypto_wait_req(crypto_acomp_compress(op.req), &op.wait) == -EINVAL);
	for (i = 0; i < NR_UNITS; i++) {
		if (i % 2)
			CHECKGO(acomp_unit_result(&out[i]) == -EIO);
		else
			CHECKGO(acomp_unit_result(&out[i]) > 0);
	}
	CHECKGO(zsim_fault_injected("acomp_compress") == 2);
	zsim_fault_clear_all();
out:
	zsim_fault_clear_all();
	kfree(dst);
	if (src)
		folio_put(src);
	op_exit(&op);
	return ret;
}

/* tfm and request allocation failures leave nothing behind. */
static int alloc_fault_task(void *arg)
{
	struct crypto_acomp *tfm;
	struct acomp_req *req;
	unsigned int i, n;
	int fails = 0;

	for (i = 0; i < ARRAY_SIZE(sw_algs); i++) {
		for (n = 1; n <= 4; n++) {
			zsim_fault_set("kmalloc", 0, 0, n);
			tfm = crypto_alloc_acomp(sw_drivers[i], 0, 0);
			if (IS_ERR(tfm)) {
				CHECK(PTR_ERR(tfm) == -ENOMEM);
				fails++;
				continue;
			}
			req = acomp_request_alloc(tfm);
			acomp_request_free(req);
			crypto_free_acomp(tfm);
		}
		zsim_fault_set("vmalloc", 0, 0, 1);
		tfm = crypto_alloc_acomp(sw_drivers[i], 0, 0);
		if (IS_ERR(tfm))
			fails++;
		else
			crypto_free_acomp(tfm);
	}
	zsim_fault_clear_all();
	CHECK(fails > 0);
	return 0;
}

static void test_fault_injection(void **state)
{
	assert_int_equal(boot(state, 7, false), 0);
	assert_int_equal(zsim_run(0, fault_task, NULL), 0);
	assert_int_equal(zsim_run(0, alloc_fault_task, NULL), 0);
	zsim_test_shutdown_clean();
}

/* ---- scomp: in place or through the scratch page ---- */

/* Calls that could allocate memory so far. */
static unsigned long alloc_calls(void)
{
	return zsim_fault_calls("kmalloc") + zsim_fault_calls("vmalloc") +
	       zsim_fault_calls("alloc_pages");
}

static void fail_allocs(bool fail)
{
	zsim_fault_set("kmalloc", fail ? 1000 : 0, 0, 0);
	zsim_fault_set("vmalloc", fail ? 1000 : 0, 0, 0);
	zsim_fault_set("alloc_pages", fail ? 1000 : 0, 0, 0);
}

/*
 * A source or destination whose first entry holds the whole length is used
 * in place, as the kernel maps a lowmem segment instead of copying it. A
 * source split over two entries (a zsmalloc object spanning two pages) is
 * copied into the CPU's scratch page, which the tfm's creation made sure
 * of: no request allocates, so both work with every allocation failing. A
 * destination split over two entries is refused with -ENOSYS, as the
 * kernel's since 6.16.
 */
static int scomp_path_task(void *arg)
{
	u8 *page = kmalloc(PAGE_SIZE, GFP_KERNEL), *back = kmalloc(PAGE_SIZE, GFP_KERNEL);
	u8 *comp = kmalloc(DST_ROOM, GFP_KERNEL), *lo = kmalloc(DST_ROOM, GFP_KERNEL);
	u8 *hi = kmalloc(DST_ROOM, GFP_KERNEL);
	const unsigned int cut = 100;
	struct scatterlist in[2], out[2];
	unsigned long calls;
	struct op op;
	int ret = 0, len;

	CHECK(op_init(&op, "lz4-generic") == 0);
	CHECKGO(page && back && comp && lo && hi);
	fill_page(page, PAGE_TEXT, 5);

	/* Direct: single entries, nothing allocated even when nothing can be. */
	calls = alloc_calls();
	len = op_compress(&op, page, PAGE_SIZE, comp, DST_ROOM);
	CHECKGO(len > (int)cut && len < PAGE_SIZE);
	CHECKGO(op_decompress(&op, comp, len, back, PAGE_SIZE) == PAGE_SIZE);
	CHECKGO(!memcmp(back, page, PAGE_SIZE));
	CHECKGO(alloc_calls() == calls);
	fail_allocs(true);
	memset(back, 0, PAGE_SIZE);
	CHECKGO(op_compress(&op, page, PAGE_SIZE, comp, DST_ROOM) == len);
	CHECKGO(op_decompress(&op, comp, len, back, PAGE_SIZE) == PAGE_SIZE);
	fail_allocs(false);
	CHECKGO(!memcmp(back, page, PAGE_SIZE));

	/* Through the scratch page: the compressed object in two pieces. */
	memcpy(lo, comp, cut);
	memcpy(hi, comp + cut, len - cut);
	sg_init_table(in, 2);
	sg_set_buf(&in[0], lo, cut);
	sg_set_buf(&in[1], hi, len - cut);
	sg_init_one(&out[0], back, PAGE_SIZE);
	memset(back, 0, PAGE_SIZE);
	/* Setting a site resets its counts: the calls since are the request's. */
	fail_allocs(true);
	acomp_request_set_params(op.req, in, out, len, PAGE_SIZE);
	CHECKGO(crypto_acomp_decompress(op.req) == 0);
	CHECKGO(alloc_calls() == 0);
	fail_allocs(false);
	CHECKGO(op.req->dlen == PAGE_SIZE && !memcmp(back, page, PAGE_SIZE));

	/* A destination in two pieces. */
	sg_init_one(&in[0], page, PAGE_SIZE);
	sg_init_table(out, 2);
	sg_set_buf(&out[0], lo, cut);
	sg_set_buf(&out[1], hi, DST_ROOM - cut);
	memset(lo, 0x5a, cut);
	acomp_request_set_params(op.req, in, out, PAGE_SIZE, DST_ROOM);
	CHECKGO(crypto_acomp_compress(op.req) == -ENOSYS);
	CHECKGO(lo[0] == 0x5a && lo[cut - 1] == 0x5a);
out:
	zsim_fault_clear_all();
	kfree(hi);
	kfree(lo);
	kfree(comp);
	kfree(back);
	kfree(page);
	op_exit(&op);
	return ret;
}

static void test_scomp_paths(void **state)
{
	assert_int_equal(boot(state, 9, false), 0);
	assert_int_equal(zsim_run(0, scomp_path_task, NULL), 0);
	zsim_test_shutdown_clean();
}

/*
 * Another CPU's scratch page: its first split request borrows the first
 * CPU's and asks the work item for one; a page that cannot be had leaves
 * it borrowing until a later request asks again; once it has its own, a
 * request allocates nothing. The last tfm frees every page (the leak check
 * at shutdown).
 */
struct lazy {
	struct op op;
	u8 *page, *lo, *hi, *back;
	int len;
};

static int lazy_prepare_task(void *arg)
{
	struct lazy *lz = arg;
	const unsigned int cut = 100;
	u8 *comp;
	int ret = 0;

	CHECK(op_init(&lz->op, "lz4-generic") == 0);
	lz->page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	lz->back = kmalloc(PAGE_SIZE, GFP_KERNEL);
	lz->lo = kmalloc(cut, GFP_KERNEL);
	lz->hi = kmalloc(DST_ROOM, GFP_KERNEL);
	comp = kmalloc(DST_ROOM, GFP_KERNEL);
	CHECKGO(lz->page && lz->back && lz->lo && lz->hi && comp);
	fill_page(lz->page, PAGE_TEXT, 7);
	lz->len = op_compress(&lz->op, lz->page, PAGE_SIZE, comp, DST_ROOM);
	CHECKGO(lz->len > (int)cut && lz->len < PAGE_SIZE);
	memcpy(lz->lo, comp, cut);
	memcpy(lz->hi, comp + cut, lz->len - cut);
out:
	kfree(comp);
	return ret;
}

/* A split-source decompression, then the work item given time to run. */
static int lazy_split_task(void *arg)
{
	struct lazy *lz = arg;
	struct scatterlist in[2], out;

	sg_init_table(in, 2);
	sg_set_buf(&in[0], lz->lo, 100);
	sg_set_buf(&in[1], lz->hi, lz->len - 100);
	sg_init_one(&out, lz->back, PAGE_SIZE);
	memset(lz->back, 0, PAGE_SIZE);
	acomp_request_set_params(lz->op.req, in, &out, lz->len, PAGE_SIZE);
	CHECK(crypto_acomp_decompress(lz->op.req) == 0);
	CHECK(lz->op.req->dlen == PAGE_SIZE && !memcmp(lz->back, lz->page, PAGE_SIZE));
	flush_workqueue(system_wq);
	return 0;
}

static int lazy_release_task(void *arg)
{
	struct lazy *lz = arg;

	kfree(lz->hi);
	kfree(lz->lo);
	kfree(lz->back);
	kfree(lz->page);
	op_exit(&lz->op);
	return 0;
}

static void test_scomp_scratch_per_cpu(void **state)
{
	static struct lazy lz;

	memset(&lz, 0, sizeof(lz));
	assert_int_equal(boot(state, 11, false), 0);
	assert_int_equal(zsim_run(0, lazy_prepare_task, &lz), 0);
	/* Setting a site resets its counts. */
	zsim_fault_set("alloc_pages", 1000, 0, 0);
	assert_int_equal(zsim_run(1, lazy_split_task, &lz), 0);
	assert_int_equal(zsim_fault_injected("alloc_pages"), 1);
	zsim_fault_set("alloc_pages", 0, 0, 0);
	assert_int_equal(zsim_run(1, lazy_split_task, &lz), 0);
	assert_int_equal(zsim_fault_calls("alloc_pages"), 1);
	zsim_fault_set("alloc_pages", 1000, 0, 0);
	assert_int_equal(zsim_run(1, lazy_split_task, &lz), 0);
	assert_int_equal(zsim_fault_calls("alloc_pages"), 0);
	zsim_fault_clear_all();
	assert_int_equal(zsim_run(0, lazy_release_task, &lz), 0);
	zsim_test_shutdown_clean();
}

/* ---- modelled timing ---- */

struct timing_arg {
	u64 expected_ns;	/* the cost table's charge for the calls made */
	u64 clock_ns;		/* the task's clock at the end */
};

static int timing_task(void *arg)
{
	struct timing_arg *ta = arg;
	u8 *page = kmalloc(PAGE_SIZE, GFP_KERNEL), *dst = kmalloc(DST_ROOM, GFP_KERNEL);
	unsigned int i, k;
	u64 t0, t1;
	int ret = 0;

	CHECKGO(page && dst);
	ta->expected_ns = 0;
	for (i = 0; i < ARRAY_SIZE(sw_algs); i++) {
		const struct acomp_cost *c = acomp_cost_lookup(sw_drivers[i]);
		struct op op;
		int len;

		CHECKGO(c && op_init(&op, sw_drivers[i]) == 0);
		for (k = 0; k < NR_PAGE_KINDS; k++) {
			fill_page(page, k, i);
			t0 = sched_task_clock_ns(current);
			len = op_compress(&op, page, PAGE_SIZE, dst, DST_ROOM);
			t1 = sched_task_clock_ns(current);
			CHECKGO(len > 0);
			/* Charged on what was done: input and output room. */
			ta->expected_ns += acomp_cost_ns(&c->comp, PAGE_SIZE, len);
			CHECKGO(t1 - t0 >= acomp_cost_ns(&c->comp, PAGE_SIZE, len));
			t0 = sched_task_clock_ns(current);
			CHECKGO(op_decompress(&op, dst, len, page, PAGE_SIZE) == PAGE_SIZE);
			t1 = sched_task_clock_ns(current);
			ta->expected_ns += acomp_cost_ns(&c->decomp, len, PAGE_SIZE);
			CHECKGO(t1 - t0 >= acomp_cost_ns(&c->decomp, len, PAGE_SIZE));
		}
		op_exit(&op);
	}
out:
	kfree(page);
	kfree(dst);
	ta->clock_ns = sched_task_clock_ns(current);
	return ret;
}

static u64 timing_run(void **state, bool modelled, struct timing_arg *ta)
{
	struct zsim_task *t;

	assert_int_equal(boot(state, 42, modelled), 0);
	t = zsim_spawn(1, timing_task, ta, "timing");
	assert_non_null(t);
	assert_int_equal(zsim_join(t), 0);
	zsim_test_shutdown_clean();
	return ta->clock_ns;
}

static void test_modelled_timing(void **state)
{
	struct timing_arg a, b;
	u64 ca, cb;

	ca = timing_run(state, true, &a);
	cb = timing_run(state, true, &b);
	assert_true(a.expected_ns > 0);
	assert_true(ca >= a.expected_ns);
	if (zsim_test_backend(state) == ZSIM_CONTROLLED) {
		/* Same seed, modelled: the same clock to the nanosecond. */
		assert_int_equal(ca, cb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lookup, zsim_test_teardown),
		ZSIM_TEST_BOTH(test_unregister_live_tfm),
		cmocka_unit_test_teardown(test_round_trips, zsim_test_teardown),
		cmocka_unit_test_teardown(test_batch_unit_error, zsim_test_teardown),
		cmocka_unit_test_teardown(test_batch_stale_room, zsim_test_teardown),
		cmocka_unit_test_teardown(test_single_unit_result, zsim_test_teardown),
		ZSIM_TEST_BOTH(test_async),
		cmocka_unit_test_teardown(test_corrupt_input, zsim_test_teardown),
		cmocka_unit_test_teardown(test_fault_injection, zsim_test_teardown),
		cmocka_unit_test_teardown(test_scomp_paths, zsim_test_teardown),
		ZSIM_TEST_BOTH(test_scomp_scratch_per_cpu),
		ZSIM_TEST_BOTH(test_modelled_timing),
	};

	return cmocka_run_group_tests_name("acomp", tests, NULL, NULL);
}
