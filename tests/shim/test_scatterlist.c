// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scatterlists: end marks and chaining, page, folio and buffer entries,
 * chained table allocation (and its failure), the page iterator, and the
 * copies (sg_copy_*, memcpy_{from,to}_sglist, memcpy_sglist, the
 * scatterwalk) across entries, chain links and page boundaries. All on the
 * test's own thread: nothing here sleeps or needs a task.
 */
#include <crypto/scatterwalk.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <string.h>

#include "zsim_test.h"

static void boot(bool quiet)
{
	struct zsim_config cfg;

	zsim_config_init(&cfg);
	cfg.nr_cpus = 2;
	cfg.ram_bytes = 64ULL << 20;
	cfg.quiet = quiet;
	assert_int_equal(zsim_machine_start(&cfg), 0);
}

static u8 pattern(size_t i)
{
	return (u8)(i * 7 + 3 + (i >> 8));
}

/* ---- end marks, sg_next(), sg_nents(), sg_last() ---- */

static void test_init_table_and_end_marks(void **state)
{
	struct scatterlist sg[4], one;
	char buf[16];
	int i;

	boot(false);
	memset(sg, 0xff, sizeof(sg));
	sg_init_table(sg, 4);
	for (i = 0; i < 3; i++) {
		assert_false(sg_is_last(&sg[i]));
		assert_false(sg_is_chain(&sg[i]));
		assert_int_equal(sg[i].length, 0);
		assert_int_equal(sg[i].offset, 0);
		assert_ptr_equal(sg_next(&sg[i]), &sg[i + 1]);
	}
	assert_true(sg_is_last(&sg[3]));
	assert_null(sg_next(&sg[3]));
	assert_int_equal(sg_nents(sg), 4);
	assert_ptr_equal(sg_last(sg, 4), &sg[3]);

	/* A new end shortens the list; unmarking restores it. */
	sg_mark_end(&sg[1]);
	assert_int_equal(sg_nents(sg), 2);
	assert_null(sg_next(&sg[1]));
	assert_ptr_equal(sg_last(sg, 2), &sg[1]);
	sg_unmark_end(&sg[1]);
	assert_int_equal(sg_nents(sg), 4);

	/* sg_init_one(): one entry, marked last, pointing at the buffer. */
	sg_init_one(&one, buf, sizeof(buf));
	assert_true(sg_is_last(&one));
	assert_int_equal(sg_nents(&one), 1);
	assert_ptr_equal(sg_virt(&one), buf);
	assert_int_equal(one.length, sizeof(buf));

	/* for_each_sg() visits exactly nr entries. */
	{
		struct scatterlist *s;
		int n = 0;

		for_each_sg(sg, s, 3, i)
			n++;
		assert_int_equal(n, 3);
	}
	zsim_test_shutdown_clean();
}

/* ---- page, folio and buffer entries ---- */

static void test_set_page_folio_buf(void **state)
{
	struct scatterlist sg[2];
	struct folio *folio;
	struct page *page;
	char stackbuf[64];
	void *kbuf;

	boot(false);
	folio = folio_alloc(GFP_KERNEL, 2);
	page = alloc_page(GFP_KERNEL);
	kbuf = kmalloc(100, GFP_KERNEL);
	assert_non_null(folio);
	assert_non_null(page);
	assert_non_null(kbuf);

	sg_init_table(sg, 2);
	sg_set_page(&sg[0], page, 200, 300);
	assert_ptr_equal(sg_page(&sg[0]), page);
	assert_int_equal(sg[0].offset, 300);
	assert_int_equal(sg[0].length, 200);
	assert_ptr_equal(sg_virt(&sg[0]), (char *)page_address(page) + 300);
	assert_int_equal(sg_phys(&sg[0]), page_to_phys(page) + 300);
	assert_false(sg_is_host_buf(&sg[0]));

	/* Setting the last entry keeps its end mark. */
	sg_set_folio(&sg[1], folio, 3 * PAGE_SIZE - 5, PAGE_SIZE + 5);
	assert_true(sg_is_last(&sg[1]));
	assert_ptr_equal(sg_page(&sg[1]), &folio->page);
	assert_int_equal(sg[1].offset, PAGE_SIZE + 5);
	assert_int_equal(sg[1].length, 3 * PAGE_SIZE - 5);
	assert_ptr_equal(sg_virt(&sg[1]), (char *)folio_address(folio) + PAGE_SIZE + 5);
	assert_int_equal(__sg_page_count(&sg[1]), 4);

	/* A buffer in simulated RAM becomes a page entry. */
	sg_set_buf(&sg[0], (char *)page_address(page) + 4000, 96);
	assert_ptr_equal(sg_page(&sg[0]), page);
	assert_int_equal(sg[0].offset, 4000);
	assert_false(sg_is_last(&sg[0]));

	/* kmalloc and stack memory: host entries, sg_virt() works, no page. */
	sg_set_buf(&sg[0], kbuf, 100);
	assert_true(sg_is_host_buf(&sg[0]));
	assert_null(sg_page(&sg[0]));
	assert_ptr_equal(sg_virt(&sg[0]), kbuf);
	assert_int_equal(sg[0].offset, offset_in_page(kbuf));
	assert_false(sg_is_last(&sg[0]));
	sg_set_buf(&sg[1], stackbuf + 3, 50);
	assert_true(sg_is_last(&sg[1]));
	assert_ptr_equal(sg_virt(&sg[1]), stackbuf + 3);

	/* A page set over a host entry is a page entry again. */
	sg_set_page(&sg[0], page, 10, 0);
	assert_false(sg_is_host_buf(&sg[0]));
	assert_ptr_equal(sg_page(&sg[0]), page);

	kfree(kbuf);
	__free_page(page);
	folio_put(folio);
	zsim_test_shutdown_clean();
}

/* ---- chaining by hand ---- */

static void test_chain(void **state)
{
	struct scatterlist a[3], b[2], *s;
	unsigned int lens[4], i;
	char buf[64];

	boot(false);
	sg_init_table(a, 3);
	sg_init_table(b, 2);
	sg_set_buf(&a[0], buf, 1);
	sg_set_buf(&a[1], buf + 1, 2);
	/* a[2] becomes the link: its data is dropped, its end bit cleared. */
	sg_set_buf(&a[2], buf + 3, 99);
	sg_chain(a, 3, b);
	assert_true(sg_is_chain(&a[2]));
	assert_false(sg_is_last(&a[2]));
	assert_ptr_equal(sg_chain_ptr(&a[2]), b);
	assert_int_equal(a[2].length, 0);
	sg_set_buf(&b[0], buf + 3, 4);
	sg_set_buf(&b[1], buf + 7, 8);

	assert_ptr_equal(sg_next(&a[1]), &b[0]);
	assert_int_equal(sg_nents(a), 4);
	for_each_sg(a, s, 4, i)
		lens[i] = s->length;
	assert_int_equal(lens[0], 1);
	assert_int_equal(lens[1], 2);
	assert_int_equal(lens[2], 4);
	assert_int_equal(lens[3], 8);
	assert_ptr_equal(sg_last(a, 4), &b[1]);

	assert_int_equal(sg_nents_for_len(a, 0), 0);
	assert_int_equal(sg_nents_for_len(a, 3), 2);
	assert_int_equal(sg_nents_for_len(a, 4), 3);
	assert_int_equal(sg_nents_for_len(a, 15), 4);
	assert_int_equal(sg_nents_for_len(a, 16), -EINVAL);

	/* A chain entry marked as the end is an end, no longer a link. */
	sg_mark_end(&a[2]);
	assert_false(sg_is_chain(&a[2]));
	assert_int_equal(sg_nents(a), 3);
	zsim_test_shutdown_clean();
}

/* ---- sg_alloc_table() ---- */

/* Check @t's geometry: @nents data entries in arrays of SG_MAX_SINGLE_ALLOC. */
static void check_table(struct sg_table *t, unsigned int nents)
{
	unsigned int i, per = SG_MAX_SINGLE_ALLOC, links = 0;
	struct scatterlist *s, *arr = t->sgl;
	unsigned int pos = 0;

	assert_int_equal(t->nents, nents);
	assert_int_equal(t->orig_nents, nents);
	assert_int_equal(sg_nents(t->sgl), nents);
	/* Walk the arrays: every full one but the last ends in a link. */
	while (nents - pos > per) {
		assert_true(sg_is_chain(&arr[per - 1]));
		for (i = 0; i < per - 1; i++)
			assert_false(sg_is_chain(&arr[i]));
		pos += per - 1;
		arr = sg_chain_ptr(&arr[per - 1]);
		links++;
	}
	assert_true(sg_is_last(&arr[nents - pos - 1]));
	assert_int_equal(links, nents > per ? (nents - 2) / (per - 1) : 0);
	/* The entries are usable and distinct. */
	for_each_sgtable_sg(t, s, i)
		s->length = i + 1;
	for_each_sgtable_sg(t, s, i)
		assert_int_equal(s->length, i + 1);
}

static void test_alloc_table(void **state)
{
	static const unsigned int sizes[] = {
		1, 10, SG_MAX_SINGLE_ALLOC - 1, SG_MAX_SINGLE_ALLOC,
		SG_MAX_SINGLE_ALLOC + 1, 2 * SG_MAX_SINGLE_ALLOC - 1,
		2 * SG_MAX_SINGLE_ALLOC, 1000,
	};
	unsigned long objs, pages;
	struct sg_table t;
	unsigned int i;

	boot(false);
	assert_int_equal(sizeof(struct scatterlist), 32);
	assert_int_equal(SG_MAX_SINGLE_ALLOC, 128);
	objs = kmem_live_objects();
	pages = nr_free_pages();

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		assert_int_equal(sg_alloc_table(&t, sizes[i], GFP_KERNEL), 0);
		check_table(&t, sizes[i]);
		sg_free_table(&t);
		assert_null(t.sgl);
		assert_int_equal(kmem_live_objects(), objs);
		assert_int_equal(nr_free_pages(), pages);
	}

	/* A full array is one page; 129 entries are a page and a kmalloc. */
	assert_int_equal(sg_alloc_table(&t, SG_MAX_SINGLE_ALLOC, GFP_KERNEL), 0);
	assert_int_equal(nr_free_pages(), pages - 1);
	assert_int_equal(kmem_live_objects(), objs);
	assert_true(virt_addr_valid(t.sgl));
	sg_free_table(&t);
	assert_int_equal(sg_alloc_table(&t, SG_MAX_SINGLE_ALLOC + 1, GFP_KERNEL), 0);
	assert_int_equal(nr_free_pages(), pages - 1);
	assert_int_equal(kmem_live_objects(), objs + 1);
	sg_free_table(&t);

	assert_int_equal(sg_alloc_table(&t, 0, GFP_KERNEL), -EINVAL);
	assert_null(t.sgl);
	/* Freeing an empty table is fine. */
	sg_free_table(&t);
	zsim_test_shutdown_clean();
}

/* Every allocation of a 3-array table fails in turn: -ENOMEM, nothing left. */
static void test_alloc_table_failure(void **state)
{
	/* 300 entries: page (127 + link), page (127 + link), kmalloc of 46. */
	static const struct { const char *site; unsigned long nth; } faults[] = {
		{ "alloc_pages", 1 }, { "alloc_pages", 2 }, { "kmalloc", 1 },
	};
	unsigned long objs, pages;
	struct sg_table t;
	unsigned int i;

	boot(false);
	objs = kmem_live_objects();
	pages = nr_free_pages();
	for (i = 0; i < ARRAY_SIZE(faults); i++) {
		assert_int_equal(zsim_fault_set(faults[i].site, 0, 0, faults[i].nth), 0);
		assert_int_equal(sg_alloc_table(&t, 300, GFP_KERNEL | __GFP_NOWARN),
				 -ENOMEM);
		assert_int_equal(zsim_fault_injected(faults[i].site), 1);
		assert_null(t.sgl);
		assert_int_equal(kmem_live_objects(), objs);
		assert_int_equal(nr_free_pages(), pages);
		zsim_fault_clear_all();
	}
	assert_int_equal(sg_alloc_table(&t, 300, GFP_KERNEL), 0);
	check_table(&t, 300);
	sg_free_table(&t);
	assert_int_equal(nr_free_pages(), pages);
	zsim_test_shutdown_clean();
}

/* ---- the page iterator ---- */

static void test_page_iter(void **state)
{
	struct page *expect[8], *got[8];
	struct scatterlist sg[4];
	struct sg_page_iter piter;
	struct folio *f2, *f4;
	struct page *p;
	char kbuf[8];
	int n, i;

	boot(false);
	f2 = folio_alloc(GFP_KERNEL, 1);
	f4 = folio_alloc(GFP_KERNEL, 2);
	p = alloc_page(GFP_KERNEL);
	assert_non_null(f2);
	assert_non_null(f4);
	assert_non_null(p);

	sg_init_table(sg, 4);
	sg_set_folio(&sg[0], f2, 2 * PAGE_SIZE, 0);		/* 2 pages */
	sg_set_page(&sg[1], p, 200, 100);			/* 1 page */
	sg_set_folio(&sg[2], f4, 20, 2 * PAGE_SIZE - 10);	/* pages 0..2 of f4 */
	sg_set_buf(&sg[3], kbuf, sizeof(kbuf));			/* host: no page */

	expect[0] = folio_page(f2, 0);
	expect[1] = folio_page(f2, 1);
	expect[2] = p;
	/* Counted from the entry's first page, as the kernel does. */
	expect[3] = folio_page(f4, 0);
	expect[4] = folio_page(f4, 1);
	expect[5] = folio_page(f4, 2);
	expect[6] = NULL;

	n = 0;
	for_each_sg_page(sg, &piter, 4, 0)
		got[n++] = sg_page_iter_page(&piter);
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++)
		assert_ptr_equal(got[i], expect[i]);

	/* A page offset skips pages, across entries. */
	n = 0;
	for_each_sg_page(sg, &piter, 4, 3)
		got[n++] = sg_page_iter_page(&piter);
	assert_int_equal(n, 4);
	assert_ptr_equal(got[0], expect[3]);

	/* nents limits the entries visited. */
	n = 0;
	for_each_sg_page(sg, &piter, 2, 0)
		got[n++] = sg_page_iter_page(&piter);
	assert_int_equal(n, 3);
	assert_ptr_equal(got[2], p);

	n = 0;
	for_each_sg_page(sg, &piter, 0, 0)
		n++;
	assert_int_equal(n, 0);

	folio_put(f2);
	folio_put(f4);
	__free_page(p);
	zsim_test_shutdown_clean();
}

/* ---- copies ---- */

/*
 * A 4-entry list over 3 arrays, with entries crossing page boundaries and
 * starting inside pages: a folio entry across its two pages, a kmalloc
 * (host) entry, a one-page entry after a chain link, and a zero-length
 * entry before the last one.
 */
struct copy_list {
	struct scatterlist a[3], b[3];
	struct folio *folio;
	struct page *page;
	u8 *kbuf;
	unsigned int total;
	u8 *addr[5];		/* each entry's data */
	unsigned int len[5];
};

static void copy_list_init(struct copy_list *c)
{
	unsigned int i;

	c->folio = folio_alloc(GFP_KERNEL, 1);
	c->page = alloc_page(GFP_KERNEL);
	c->kbuf = kmalloc(64, GFP_KERNEL);
	assert_non_null(c->folio);
	assert_non_null(c->page);
	assert_non_null(c->kbuf);
	sg_init_table(c->a, 3);
	sg_init_table(c->b, 3);
	sg_set_folio(&c->a[0], c->folio, 300, PAGE_SIZE - 100);
	sg_set_buf(&c->a[1], c->kbuf + 5, 50);
	sg_chain(c->a, 3, c->b);
	sg_set_page(&c->b[0], c->page, 1000, 7);
	sg_set_page(&c->b[1], c->page, 0, 2000);
	sg_set_page(&c->b[2], c->page, PAGE_SIZE - 3000, 3000);

	c->addr[0] = (u8 *)folio_address(c->folio) + PAGE_SIZE - 100;
	c->len[0] = 300;
	c->addr[1] = c->kbuf + 5;
	c->len[1] = 50;
	c->addr[2] = (u8 *)page_address(c->page) + 7;
	c->len[2] = 1000;
	c->addr[3] = (u8 *)page_address(c->page) + 2000;
	c->len[3] = 0;
	c->addr[4] = (u8 *)page_address(c->page) + 3000;
	c->len[4] = PAGE_SIZE - 3000;
	for (c->total = 0, i = 0; i < 5; i++)
		c->total += c->len[i];
}

static void copy_list_fini(struct copy_list *c)
{
	kfree(c->kbuf);
	__free_page(c->page);
	folio_put(c->folio);
}

/* Byte @pos of the list, read through the entries' own addresses. */
static u8 *copy_list_byte(struct copy_list *c, unsigned int pos)
{
	unsigned int i;

	for (i = 0; i < 5; i++) {
		if (pos < c->len[i])
			return c->addr[i] + pos;
		pos -= c->len[i];
	}
	return NULL;
}

static void test_memcpy_sglist(void **state)
{
	static const unsigned int points[] = {
		0, 1, 99, 100, 101, 299, 300, 301, 349, 350, 351, 1349, 1350,
		1351, 2000,
	};
	struct copy_list c;
	unsigned int i, j, k;
	u8 *src, *dst;

	boot(false);
	copy_list_init(&c);
	assert_int_equal(c.total, 1350 + PAGE_SIZE - 3000);
	assert_int_equal(sg_nents(c.a), 5);
	src = malloc(c.total);
	dst = malloc(c.total);
	assert_non_null(src);
	assert_non_null(dst);
	for (i = 0; i < c.total; i++)
		src[i] = pattern(i);

	/* The whole list, then check every byte where it belongs. */
	memcpy_to_sglist(c.a, 0, src, c.total);
	for (i = 0; i < c.total; i++)
		assert_int_equal(*copy_list_byte(&c, i), src[i]);
	memset(dst, 0, c.total);
	memcpy_from_sglist(dst, c.a, 0, c.total);
	assert_memory_equal(dst, src, c.total);

	/* Every (start, end) pair of interesting points. */
	for (i = 0; i < ARRAY_SIZE(points); i++) {
		for (j = i; j < ARRAY_SIZE(points); j++) {
			unsigned int start = points[i], len = points[j] - points[i];

			if (points[j] > c.total)
				continue;
			memset(dst, 0xee, c.total);
			memcpy_from_sglist(dst, c.a, start, len);
			assert_memory_equal(dst, src + start, len);
			if (len < c.total)
				assert_int_equal(dst[len], 0xee);

			/* Write a fresh pattern there; the rest is untouched. */
			for (k = 0; k < len; k++)
				dst[k] = ~src[start + k];
			memcpy_to_sglist(c.a, start, dst, len);
			for (k = 0; k < c.total; k++) {
				u8 want = (k >= start && k < start + len) ? ~src[k] : src[k];

				assert_int_equal(*copy_list_byte(&c, k), want);
			}
			memcpy_to_sglist(c.a, 0, src, c.total);
		}
	}

	/* scatterwalk_map_and_copy() is the old spelling of the same. */
	scatterwalk_map_and_copy(dst, c.a, 290, 20, 0);
	assert_memory_equal(dst, src + 290, 20);

	free(src);
	free(dst);
	copy_list_fini(&c);
	zsim_test_shutdown_clean();
}

/* The walk hands out pieces within an entry, at most a page each. */
static void test_scatterwalk_pieces(void **state)
{
	struct scatter_walk walk;
	struct scatterlist sg[2];
	unsigned int n, lens[8], i = 0;
	struct folio *folio;

	boot(false);
	folio = folio_alloc(GFP_KERNEL, 2);
	assert_non_null(folio);
	sg_init_table(sg, 2);
	sg_set_folio(&sg[0], folio, 2 * PAGE_SIZE + 50, 100);
	sg_set_folio(&sg[1], folio, 10, 0);

	scatterwalk_start(&walk, sg);
	n = 2 * PAGE_SIZE + 60;
	while (n) {
		unsigned int len = scatterwalk_next(&walk, n);

		if (i == 0)
			assert_ptr_equal(walk.addr, (char *)folio_address(folio) + 100);
		lens[i++] = len;
		scatterwalk_done_src(&walk, len);
		n -= len;
	}
	assert_int_equal(i, 4);
	assert_int_equal(lens[0], PAGE_SIZE);
	assert_int_equal(lens[1], PAGE_SIZE);
	assert_int_equal(lens[2], 50);
	assert_int_equal(lens[3], 10);

	/* scatterwalk_skip() moves across entries. */
	scatterwalk_start(&walk, sg);
	scatterwalk_skip(&walk, 2 * PAGE_SIZE + 55);
	assert_ptr_equal(walk.sg, &sg[1]);
	assert_int_equal(walk.offset, 5);

	folio_put(folio);
	zsim_test_shutdown_clean();
}

/* memcpy_sglist() between lists of different shapes. */
static void test_memcpy_sglist_to_sglist(void **state)
{
	struct scatterlist d[3];
	struct copy_list c;
	u8 *src, *out, *buf;
	unsigned int i;

	boot(false);
	copy_list_init(&c);
	src = malloc(c.total);
	out = malloc(c.total);
	buf = kmalloc(c.total + 10, GFP_KERNEL);
	assert_non_null(src);
	assert_non_null(out);
	assert_non_null(buf);
	for (i = 0; i < c.total; i++)
		src[i] = pattern(i + 11);
	memcpy_to_sglist(c.a, 0, src, c.total);

	sg_init_table(d, 3);
	sg_set_buf(&d[0], buf, 1);
	sg_set_buf(&d[1], buf + 1, 777);
	sg_set_buf(&d[2], buf + 778, c.total - 778 + 10);
	memset(buf, 0, c.total + 10);
	memcpy_sglist(d, c.a, c.total);
	assert_memory_equal(buf, src, c.total);
	assert_int_equal(buf[c.total], 0);

	memset(out, 0, c.total);
	memcpy_from_sglist(out, d, 0, c.total);
	assert_memory_equal(out, src, c.total);

	kfree(buf);
	free(src);
	free(out);
	copy_list_fini(&c);
	zsim_test_shutdown_clean();
}

/* Past the end: a warning and nothing copied; up to the end is fine. */
static void test_memcpy_bounds(void **state)
{
	struct copy_list c;
	u8 buf[64], before[64];
	unsigned long reports;

	boot(true);
	copy_list_init(&c);
	memset(buf, 0x5a, sizeof(buf));
	memcpy(before, buf, sizeof(buf));

	memcpy_from_sglist(buf, c.a, c.total - 10, 10);
	assert_int_equal(zsim_warnings(), 0);
	memcpy_from_sglist(buf, NULL, 0, 0);	/* nothing to copy: no list needed */
	memcpy_to_sglist(NULL, 5, buf, 0);
	assert_int_equal(zsim_warnings(), 0);

	memcpy(buf, before, sizeof(buf));
	memcpy_from_sglist(buf, c.a, c.total - 10, 11);
	assert_int_equal(zsim_warnings(), 1);
	assert_memory_equal(buf, before, sizeof(buf));
	assert_non_null(strstr(zsim_first_report(), "beyond the end of the list"));

	/* memcpy_to_sglist() past the end leaves the list untouched. */
	*copy_list_byte(&c, c.total - 1) = 0x77;
	memcpy_to_sglist(c.a, c.total - 1, buf, 2);
	assert_int_equal(zsim_warnings(), 2);
	assert_int_equal(*copy_list_byte(&c, c.total - 1), 0x77);
	memcpy_to_sglist(c.a, c.total + 100, buf, 1);
	assert_int_equal(zsim_warnings(), 3);

	copy_list_fini(&c);
	reports = zsim_machine_stop();
	assert_int_equal(reports, 3);
}

static void test_sg_copy_buffer(void **state)
{
	struct copy_list c;
	u8 *src, *dst;
	unsigned int i;
	size_t n;

	boot(false);
	copy_list_init(&c);
	src = malloc(c.total + 100);
	dst = malloc(c.total + 100);
	assert_non_null(src);
	assert_non_null(dst);
	for (i = 0; i < c.total + 100; i++)
		src[i] = pattern(i + 5);

	/* A longer buffer copies the list's length. */
	n = sg_copy_from_buffer(c.a, 5, src, c.total + 100);
	assert_int_equal(n, c.total);
	for (i = 0; i < c.total; i++)
		assert_int_equal(*copy_list_byte(&c, i), src[i]);
	memset(dst, 0, c.total + 100);
	assert_int_equal(sg_copy_to_buffer(c.a, 5, dst, c.total + 100), c.total);
	assert_memory_equal(dst, src, c.total);

	/* nents limits the entries: the first two hold 350 bytes. */
	assert_int_equal(sg_copy_to_buffer(c.a, 2, dst, c.total), 350);

	/* With a skip, across the chain link. */
	memset(dst, 0, c.total);
	assert_int_equal(sg_pcopy_to_buffer(c.a, 5, dst, 100, 320), 100);
	assert_memory_equal(dst, src + 320, 100);
	assert_int_equal(sg_pcopy_to_buffer(c.a, 5, dst, 100, c.total - 30), 30);
	assert_int_equal(sg_pcopy_to_buffer(c.a, 5, dst, 100, c.total), 0);
	assert_int_equal(sg_pcopy_from_buffer(c.a, 5, src + 1000, 10, 345), 10);
	for (i = 0; i < 10; i++)
		assert_int_equal(*copy_list_byte(&c, 345 + i), src[1000 + i]);

	/* Zeroing. */
	assert_int_equal(sg_zero_buffer(c.a, 5, 400, 10), 400);
	for (i = 0; i < c.total; i++) {
		if (i >= 10 && i < 410)
			assert_int_equal(*copy_list_byte(&c, i), 0);
		else if (i < 345 || i >= 355)
			assert_int_equal(*copy_list_byte(&c, i), src[i]);
	}

	free(src);
	free(dst);
	copy_list_fini(&c);
	zsim_test_shutdown_clean();
}

/*
 * @nents larger than the list: the copy ends at the end mark and returns
 * what it copied, as the kernel's sg_miter does (it stops at a NULL
 * sg_next()).
 */
static void test_sg_copy_past_end(void **state)
{
	struct copy_list c;
	u8 *src, *dst;
	unsigned int i;

	boot(false);
	copy_list_init(&c);
	src = malloc(c.total + 100);
	dst = calloc(1, c.total + 100);
	assert_non_null(src);
	assert_non_null(dst);
	for (i = 0; i < c.total + 100; i++)
		src[i] = pattern(i + 11);

	assert_int_equal(sg_copy_from_buffer(c.a, 9, src, c.total + 100), c.total);
	assert_int_equal(sg_copy_to_buffer(c.a, 9, dst, c.total + 100), c.total);
	assert_memory_equal(dst, src, c.total);
	assert_int_equal(sg_pcopy_to_buffer(c.a, 9, dst, c.total, 1000), c.total - 1000);
	assert_memory_equal(dst, src + 1000, c.total - 1000);
	assert_int_equal(sg_pcopy_from_buffer(c.a, 9, src, c.total, 1300), c.total - 1300);
	/* A skip past the end copies nothing. */
	assert_int_equal(sg_pcopy_to_buffer(c.a, 9, dst, 10, c.total + 5), 0);
	assert_int_equal(sg_zero_buffer(c.a, 9, c.total + 100, 0), c.total);
	for (i = 0; i < c.total; i++)
		assert_int_equal(*copy_list_byte(&c, i), 0);

	free(src);
	free(dst);
	copy_list_fini(&c);
	zsim_test_shutdown_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_init_table_and_end_marks, zsim_test_teardown),
		cmocka_unit_test_teardown(test_set_page_folio_buf, zsim_test_teardown),
		cmocka_unit_test_teardown(test_chain, zsim_test_teardown),
		cmocka_unit_test_teardown(test_alloc_table, zsim_test_teardown),
		cmocka_unit_test_teardown(test_alloc_table_failure, zsim_test_teardown),
		cmocka_unit_test_teardown(test_page_iter, zsim_test_teardown),
		cmocka_unit_test_teardown(test_memcpy_sglist, zsim_test_teardown),
		cmocka_unit_test_teardown(test_scatterwalk_pieces, zsim_test_teardown),
		cmocka_unit_test_teardown(test_memcpy_sglist_to_sglist, zsim_test_teardown),
		cmocka_unit_test_teardown(test_memcpy_bounds, zsim_test_teardown),
		cmocka_unit_test_teardown(test_sg_copy_buffer, zsim_test_teardown),
		cmocka_unit_test_teardown(test_sg_copy_past_end, zsim_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
