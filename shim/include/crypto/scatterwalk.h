/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scatterlist walks of the crypto layer (<crypto/scatterwalk.h>,
 * crypto/scatterwalk.c), the 6.15+ forms: scatterwalk_next() puts the
 * address of the next piece in walk->addr and returns its length, and
 * memcpy_from_sglist()/memcpy_to_sglist() copy between a list and a linear
 * buffer. zswap copies incompressible entries with them; acomp drivers walk
 * their requests' lists with the walk API.
 *
 * As the kernel without highmem: a piece never crosses the end of an
 * entry, and is at most PAGE_SIZE long, but may cross a page boundary
 * inside an entry (the direct map is contiguous). Host-buffer entries
 * (sg_set_buf() of kmalloc or stack memory, see <linux/scatterlist.h>) are
 * walked like page entries.
 *
 * Difference: copying past the end of the list is reported (WARN once)
 * and copies nothing, where the kernel would follow a NULL sg_next().
 */
#ifndef _SHIM_CRYPTO_SCATTERWALK_H
#define _SHIM_CRYPTO_SCATTERWALK_H

#include <linux/errno.h>
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

struct scatter_walk {
	/* The current piece, set by scatterwalk_next(); read only. */
	void *addr;
	struct scatterlist *sg;
	unsigned int offset;	/* in sg, counted as sg->offset is */
};

static inline void scatterwalk_crypto_chain(struct scatterlist *head,
					    struct scatterlist *sg, int num)
{
	if (sg)
		sg_chain(head, num, sg);
	else
		sg_mark_end(head);
}

static inline void scatterwalk_start(struct scatter_walk *walk,
				     struct scatterlist *sg)
{
	walk->sg = sg;
	walk->offset = sg->offset;
}

/* Shim: bytes of the current entry the walk has passed. */
static inline unsigned int __scatterwalk_pos(struct scatter_walk *walk)
{
	return walk->offset - walk->sg->offset;
}

/*
 * Shim: put @walk @pos bytes after the start of @sg's data, which must be
 * inside the list. A position at the very end of an entry stays in it;
 * the next scatterwalk_next() steps on to the following entry.
 */
static inline void __scatterwalk_seek(struct scatter_walk *walk,
				      struct scatterlist *sg, unsigned int pos)
{
	for (; pos > sg->length; sg = sg_next(sg))
		pos -= sg->length;
	scatterwalk_start(walk, sg);
	walk->offset += pos;
}

/* scatterwalk_start() then scatterwalk_skip(@pos); @pos must be in the list. */
static inline void scatterwalk_start_at_pos(struct scatter_walk *walk,
					    struct scatterlist *sg,
					    unsigned int pos)
{
	__scatterwalk_seek(walk, sg, pos);
}

/* Length of the next piece: at most @nbytes, PAGE_SIZE and the entry's rest. */
static inline unsigned int scatterwalk_clamp(struct scatter_walk *walk,
					     unsigned int nbytes)
{
	/* An entry walked to its end hands over to the next one. */
	if (__scatterwalk_pos(walk) >= walk->sg->length)
		scatterwalk_start(walk, sg_next(walk->sg));

	return min3(nbytes, walk->sg->length - __scatterwalk_pos(walk),
		    (unsigned int)PAGE_SIZE);
}

/* Without highmem the entry is mapped whole: address from its first page. */
static inline void scatterwalk_map(struct scatter_walk *walk)
{
	walk->addr = sg_base_address(walk->sg) + walk->offset;
}

/*
 * Map the next piece of at most @total (> 0) bytes at walk->addr and
 * return its length; finish it with scatterwalk_done_src()/_dst().
 */
static inline unsigned int scatterwalk_next(struct scatter_walk *walk,
					    unsigned int total)
{
	unsigned int nbytes = scatterwalk_clamp(walk, total);

	scatterwalk_map(walk);
	return nbytes;
}

/* Nothing to unmap without highmem. */
static inline void scatterwalk_unmap(struct scatter_walk *walk)
{
}

static inline void scatterwalk_advance(struct scatter_walk *walk,
				       unsigned int nbytes)
{
	walk->offset += nbytes;
}

/* Done with @nbytes of the piece, which was only read. */
static inline void scatterwalk_done_src(struct scatter_walk *walk,
					unsigned int nbytes)
{
	scatterwalk_unmap(walk);
	scatterwalk_advance(walk, nbytes);
}

/* Done with @nbytes of the piece, which may have been written (x86: no flush). */
static inline void scatterwalk_done_dst(struct scatter_walk *walk,
					unsigned int nbytes)
{
	scatterwalk_unmap(walk);
	scatterwalk_advance(walk, nbytes);
}

void scatterwalk_skip(struct scatter_walk *walk, unsigned int nbytes);

void memcpy_from_scatterwalk(void *buf, struct scatter_walk *walk,
			     unsigned int nbytes);
void memcpy_to_scatterwalk(struct scatter_walk *walk, const void *buf,
			   unsigned int nbytes);

/* Copy @nbytes at byte @start of the list @sg to @buf. */
void memcpy_from_sglist(void *buf, struct scatterlist *sg,
			unsigned int start, unsigned int nbytes);
/* Copy @nbytes of @buf to byte @start of the list @sg. */
void memcpy_to_sglist(struct scatterlist *sg, unsigned int start,
		      const void *buf, unsigned int nbytes);
/* Copy @nbytes from the start of @src to the start of @dst. */
void memcpy_sglist(struct scatterlist *dst, struct scatterlist *src,
		   unsigned int nbytes);

/* In new code, use memcpy_{from,to}_sglist() directly (as upstream says). */
static inline void scatterwalk_map_and_copy(void *buf, struct scatterlist *sg,
					    unsigned int start,
					    unsigned int nbytes, int out)
{
	if (out)
		memcpy_to_sglist(sg, start, buf, nbytes);
	else
		memcpy_from_sglist(buf, sg, start, nbytes);
}

#endif /* _SHIM_CRYPTO_SCATTERWALK_H */
