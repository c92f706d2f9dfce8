/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page corpus: 4 KB pages to feed compressors, as anonymous memory would.
 *
 * Two sources:
 * - corpus_generate(): a built-in deterministic generator whose mix
 *   resembles the anonymous memory of real processes (zero and
 *   same-filled pages, text, pointer-rich heap data, x86-64 code,
 *   already-compressed data). Page i of a corpus is a pure function of
 *   (seed, i): corpus_gen_page() makes one page on demand without a corpus,
 *   for simulated processes that fault pages in at random.
 * - corpus_load(): the files of a path the user names (a file, or a
 *   directory walked recursively in name order), each file split into
 *   pages from its first byte; a last partial page is zero-padded
 *   (CORPUS_TAIL_PAD) or dropped (CORPUS_TAIL_SKIP).
 *
 * docs/corpus.md gives the generator's mix and its measured compression
 * ratios (bench/corpus-stats). Plain C on libc only, no shim header, so
 * the benches, the tests and simulated code can all link it
 * (libzsim_corpus.a). Errors are negative errno values; functions that
 * read files also write a message for a person into the caller's buffer.
 */
#ifndef _ZSIM_BENCH_CORPUS_H
#define _ZSIM_BENCH_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CORPUS_PAGE_SIZE	4096UL

enum corpus_kind {
	CORPUS_ZERO,		/* all zero: the swap core's zeromap takes it */
	CORPUS_SAME,		/* one 8-byte word repeated, not zero */
	CORPUS_TEXT,		/* prose and log lines */
	CORPUS_HEAP,		/* malloc chunks: pointers, small ints, free chunks */
	CORPUS_CODE,		/* x86-64 instruction stream */
	CORPUS_RANDOM,		/* already compressed or encrypted data */
	CORPUS_FILE,		/* a page of a user's file, neither zero nor same-filled */
	CORPUS_NR_KINDS,
};

/* The generator's mix: the share of each generated kind, in 1/1000. */
struct corpus_mix {
	unsigned int permille[CORPUS_NR_KINDS];
};

/* The default mix (docs/corpus.md says how it was chosen). */
extern const struct corpus_mix corpus_default_mix;

const char *corpus_kind_name(enum corpus_kind kind);

/*
 * Fill @page (CORPUS_PAGE_SIZE bytes) with page @index of the generated
 * corpus of @seed and @mix (NULL: the default mix); returns its kind.
 */
enum corpus_kind corpus_gen_page(uint64_t seed, uint64_t index,
				 const struct corpus_mix *mix, void *page);

/* CORPUS_ZERO, CORPUS_SAME, or @other for any other content. */
enum corpus_kind corpus_classify(const void *page, enum corpus_kind other);

enum corpus_tail {
	CORPUS_TAIL_PAD,	/* zero-pad a file's last partial page */
	CORPUS_TAIL_SKIP,	/* drop it */
};

/* Pages in memory, in order, and each page's kind. */
struct corpus {
	unsigned long	nr_pages;
	unsigned char	*data;		/* nr_pages * CORPUS_PAGE_SIZE bytes */
	unsigned char	*kinds;		/* enum corpus_kind per page */
	unsigned long	nr_files;	/* files read (corpus_load()) */
	unsigned long	capacity;	/* pages allocated */
};

/*
 * @nr_pages generated pages of @seed and @mix (NULL: default) into @c.
 * Returns 0, -EINVAL for zero pages, or -ENOMEM.
 */
int corpus_generate(struct corpus *c, uint64_t seed, unsigned long nr_pages,
		    const struct corpus_mix *mix);

/*
 * The pages of @path (a regular file or a directory; directories are
 * walked recursively, entries in strcmp() order, anything neither file
 * nor directory skipped), at most @max_pages of them (0: all), into @c.
 * Returns 0 or a negative errno with a message in @err (@errlen bytes,
 * "PATH: reason"): -ENOENT (missing), -EACCES, -EIO, -ELOOP (directories
 * nested deeper than 32), -ENODATA (no page in @path), -ENOMEM.
 * On error @c holds nothing.
 */
int corpus_load(struct corpus *c, const char *path, enum corpus_tail tail,
		unsigned long max_pages, char *err, size_t errlen);

static inline const void *corpus_page(const struct corpus *c, unsigned long i)
{
	return c->data + i * CORPUS_PAGE_SIZE;
}

static inline enum corpus_kind corpus_page_kind(const struct corpus *c,
						unsigned long i)
{
	return (enum corpus_kind)c->kinds[i];
}

/* Count the pages of each kind into @counts[CORPUS_NR_KINDS]. */
void corpus_count_kinds(const struct corpus *c, unsigned long *counts);

void corpus_release(struct corpus *c);

#ifdef __cplusplus
}
#endif

#endif /* _ZSIM_BENCH_CORPUS_H */
