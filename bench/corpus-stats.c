// SPDX-License-Identifier: GPL-2.0-only
/*
 * corpus-stats: compression ratios of a page corpus, page by page, with the
 * compressors' own libraries (no simulator): LZ4_compress_default(),
 * ZSTD_compress() at level 3 (the kernel's zstd default) and zlib's raw
 * deflate at level 1, and raw deflate as the kernel configures deflate-generic
 * (crypto/deflate.c: default level, window bits 11, MAX_MEM_LEVEL).
 * Produces the table of docs/corpus.md.
 *
 * A kind's ratio is its pages' total size over their total compressed
 * size, each page compressed alone (as zswap does). The "zswap sees" line
 * leaves zero pages out, since the swap core's zeromap takes them before
 * zswap_store(); same-filled non-zero pages do reach zswap (6.12 removed
 * its same-filled path) and count there.
 *
 *	corpus-stats [--pages N] [--seed N] [--corpus PATH] [--tail pad|skip]
 */
#include <errno.h>
#include <getopt.h>
#include <lz4.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "corpus.h"

enum { C_LZ4, C_ZSTD, C_DEFLATE, C_DEFLATE_GENERIC, NR_COMP };

static const char *const comp_names[NR_COMP] = { "lz4", "zstd", "deflate", "defl-gen" };

struct tally {
	unsigned long	pages;
	unsigned long	in;
	unsigned long	out[NR_COMP];
	unsigned long	no_fit[NR_COMP];	/* output >= a page */
};

static long compress_page(int comp, const void *page, void *dst, size_t dst_len,
			  z_stream *zs_by_comp[NR_COMP])
{
	z_stream *zs = zs_by_comp[comp];
	size_t n;

	switch (comp) {
	case C_LZ4:
		n = LZ4_compress_default(page, dst, CORPUS_PAGE_SIZE, dst_len);
		return n ? (long)n : -ENOSPC;
	case C_ZSTD:
		n = ZSTD_compress(dst, dst_len, page, CORPUS_PAGE_SIZE, 3);
		return ZSTD_isError(n) ? -EINVAL : (long)n;
	default:
		if (deflateReset(zs) != Z_OK)
			return -EINVAL;
		zs->next_in = (Bytef *)page;
		zs->avail_in = CORPUS_PAGE_SIZE;
		zs->next_out = dst;
		zs->avail_out = dst_len;
		if (deflate(zs, Z_FINISH) != Z_STREAM_END)
			return -ENOSPC;
		return zs->total_out;
	}
}

static void print_row(const char *name, const struct tally *t, unsigned long total)
{
	int c;

	printf("%-12s %8lu %6.1f%%", name, t->pages, total ? 100.0 * t->pages / total : 0);
	for (c = 0; c < NR_COMP; c++) {
		if (t->pages)
			printf("  %7.2f %5.1f%%", (double)t->in / t->out[c],
			       100.0 * t->no_fit[c] / t->pages);
		else
			printf("  %7s %6s", "-", "-");
	}
	printf("\n");
}

static void usage(FILE *f)
{
	fprintf(f, "usage: corpus-stats [--pages N] [--seed N] [--corpus PATH] [--tail pad|skip]\n"
		   "  --pages N      pages to generate (default 20000), or at most N of PATH\n"
		   "  --seed N       generator seed (default 1)\n"
		   "  --corpus PATH  read a file or directory instead of generating\n"
		   "  --tail MODE    a file's last partial page: pad (default) or skip\n");
}

static bool parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return !errno && *s && !*end && *s != '-';
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pages", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 's' },
		{ "corpus", required_argument, NULL, 'c' },
		{ "tail", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long pages = 20000, seed = 1, i;
	enum corpus_tail tail = CORPUS_TAIL_PAD;
	struct tally kinds[CORPUS_NR_KINDS] = { 0 }, seen = { 0 };
	const char *path = NULL;
	char err[512], dst[2 * CORPUS_PAGE_SIZE];
	struct corpus c;
	z_stream zs = { 0 }, zs_gen = { 0 };
	z_stream *zs_by_comp[NR_COMP] = { NULL };
	int opt, ret, k, comp;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (!parse_ulong(optarg, &pages) || !pages)
				goto bad;
			break;
		case 's':
			if (!parse_ulong(optarg, &seed))
				goto bad;
			break;
		case 'c':
			path = optarg;
			break;
		case 't':
			if (!strcmp(optarg, "pad"))
				tail = CORPUS_TAIL_PAD;
			else if (!strcmp(optarg, "skip"))
				tail = CORPUS_TAIL_SKIP;
			else
				goto bad;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "corpus-stats: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	if (path)
		ret = corpus_load(&c, path, tail, pages, err, sizeof(err));
	else
		ret = corpus_generate(&c, seed, pages, NULL);
	if (ret) {
		fprintf(stderr, "corpus-stats: %s\n", path ? err : strerror(-ret));
		return 1;
	}
	/*
	 * Raw deflate (negative window bits): level 1 with a 4 KB window as
	 * IAA; and as the kernel's crypto/deflate.c configures deflate-generic
	 * (Z_DEFAULT_COMPRESSION, window bits 11, MAX_MEM_LEVEL).
	 */
	zs_by_comp[C_DEFLATE] = &zs;
	zs_by_comp[C_DEFLATE_GENERIC] = &zs_gen;
	if (deflateInit2(&zs, 1, Z_DEFLATED, -12, 8, Z_DEFAULT_STRATEGY) != Z_OK ||
	    deflateInit2(&zs_gen, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -11, MAX_MEM_LEVEL,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		fprintf(stderr, "corpus-stats: deflateInit2 failed\n");
		return 1;
	}

	for (i = 0; i < c.nr_pages; i++) {
		const void *page = corpus_page(&c, i);
		struct tally *t = &kinds[corpus_page_kind(&c, i)];
		bool zero = corpus_page_kind(&c, i) == CORPUS_ZERO;

		t->pages++;
		t->in += CORPUS_PAGE_SIZE;
		if (!zero) {
			seen.pages++;
			seen.in += CORPUS_PAGE_SIZE;
		}
		for (comp = 0; comp < NR_COMP; comp++) {
			long n = compress_page(comp, page, dst, sizeof(dst), zs_by_comp);

			if (n < 0) {
				fprintf(stderr, "corpus-stats: %s failed on page %lu: %ld\n",
					comp_names[comp], i, n);
				return 1;
			}
			t->out[comp] += n;
			t->no_fit[comp] += n >= (long)CORPUS_PAGE_SIZE;
			if (!zero) {
				seen.out[comp] += n;
				seen.no_fit[comp] += n >= (long)CORPUS_PAGE_SIZE;
			}
		}
	}
	deflateEnd(&zs);
	deflateEnd(&zs_gen);

	if (path)
		printf("corpus: %s, %lu file(s), %lu pages (tail %s)\n", path, c.nr_files,
		       c.nr_pages, tail == CORPUS_TAIL_PAD ? "padded" : "skipped");
	else
		printf("corpus: generated, seed %lu, %lu pages\n", seed, c.nr_pages);
	printf("ratio = uncompressed / compressed bytes; nofit = pages whose output >= 4096 B\n"
	       "lz4: LZ4_compress_default; zstd: level 3; deflate: zlib raw, level 1, 4 KB window;\n"
	       "defl-gen: zlib raw as the kernel's deflate-generic (default level 6, window bits 11)\n\n");
	printf("%-12s %8s %7s", "kind", "pages", "share");
	for (comp = 0; comp < NR_COMP; comp++)
		printf("  %7s %6s", comp_names[comp], "nofit");
	printf("\n");
	for (k = 0; k < CORPUS_NR_KINDS; k++)
		if (kinds[k].pages)
			print_row(corpus_kind_name(k), &kinds[k], c.nr_pages);
	print_row("zswap sees", &seen, c.nr_pages);
	corpus_release(&c);
	return 0;
bad:
	fprintf(stderr, "corpus-stats: bad value '%s' for --%s\n", optarg,
		opts[opt == 'p' ? 0 : opt == 's' ? 1 : 3].name);
	usage(stderr);
	return 2;
}
