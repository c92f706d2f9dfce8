// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scatterlists (lib/scatterlist.c): walking, chained table allocation,
 * the page iterator and copies to and from linear buffers.
 *
 * Tables come from kmalloc_array(), or a whole page from
 * __get_free_page() for a full SG_MAX_SINGLE_ALLOC array, as the kernel's
 * sg_kmalloc(); both are fault-injection sites ("kmalloc",
 * "alloc_pages"). No scheduling points of their own: an entry walk is
 * plain memory access, as in the kernel.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

struct scatterlist *sg_next(struct scatterlist *sg)
{
	if (sg_is_last(sg))
		return NULL;

	sg++;
	if (unlikely(sg_is_chain(sg)))
		sg = sg_chain_ptr(sg);

	return sg;
}

int sg_nents(struct scatterlist *sg)
{
	int nents;

	for (nents = 0; sg; sg = sg_next(sg))
		nents++;
	return nents;
}

/* Entries needed to cover @len bytes, or -EINVAL if the list is shorter. */
int sg_nents_for_len(struct scatterlist *sg, u64 len)
{
	u64 total = 0;
	int nents;

	if (!len)
		return 0;

	for (nents = 0; sg; sg = sg_next(sg)) {
		nents++;
		total += sg->length;
		if (total >= len)
			return nents;
	}
	return -EINVAL;
}

struct scatterlist *sg_last(struct scatterlist *sgl, unsigned int nents)
{
	struct scatterlist *sg, *ret = NULL;
	unsigned int i;

	for_each_sg(sgl, sg, nents, i)
		ret = sg;

	BUG_ON(!sg_is_last(ret));
	return ret;
}

void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, sizeof(*sgl) * nents);
	sg_init_marker(sgl, nents);
}

void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, buflen);
}

/* A full array is exactly one page, from the page allocator. */
static struct scatterlist *sg_kmalloc(unsigned int nents, gfp_t gfp_mask)
{
	if (nents == SG_MAX_SINGLE_ALLOC)
		return (struct scatterlist *)__get_free_page(gfp_mask);
	return kmalloc_array(nents, sizeof(struct scatterlist), gfp_mask);
}

static void sg_kfree(struct scatterlist *sg, unsigned int nents)
{
	if (nents == SG_MAX_SINGLE_ALLOC)
		free_page((unsigned long)sg);
	else
		kfree(sg);
}

/*
 * Free the arrays of @table: @num_ents entries in arrays of @max_ents
 * (the first @nents_first_chunk long and not freed, if non-zero), each
 * but the last ending in a chain link.
 */
void __sg_free_table(struct sg_table *table, unsigned int max_ents,
		     unsigned int nents_first_chunk, sg_free_fn *free_fn,
		     unsigned int num_ents)
{
	unsigned int curr_max_ents = nents_first_chunk ?: max_ents;
	struct scatterlist *sgl, *next;

	if (unlikely(!table->sgl))
		return;

	sgl = table->sgl;
	while (num_ents) {
		unsigned int alloc_size = num_ents;
		unsigned int sg_size;

		/* A full array's last entry is the link, not data. */
		if (alloc_size > curr_max_ents) {
			next = sg_chain_ptr(&sgl[curr_max_ents - 1]);
			alloc_size = curr_max_ents;
			sg_size = alloc_size - 1;
		} else {
			sg_size = alloc_size;
			next = NULL;
		}

		num_ents -= sg_size;
		if (nents_first_chunk)
			nents_first_chunk = 0;
		else
			free_fn(sgl, alloc_size);
		sgl = next;
		curr_max_ents = max_ents;
	}

	table->sgl = NULL;
}

void sg_free_table(struct sg_table *table)
{
	__sg_free_table(table, SG_MAX_SINGLE_ALLOC, 0, sg_kfree,
			table->orig_nents);
}

int __sg_alloc_table(struct sg_table *table, unsigned int nents,
		     unsigned int max_ents, struct scatterlist *first_chunk,
		     unsigned int nents_first_chunk, gfp_t gfp_mask,
		     sg_alloc_fn *alloc_fn)
{
	unsigned int curr_max_ents = nents_first_chunk ?: max_ents;
	struct scatterlist *sg, *prv = NULL;
	unsigned int left, prv_max_ents = 0;

	memset(table, 0, sizeof(*table));
	if (nents == 0)
		return -EINVAL;
	if (WARN_ON_ONCE(max_ents < 2 || (first_chunk && nents_first_chunk < 2)))
		return -EINVAL;

	left = nents;
	do {
		unsigned int sg_size, alloc_size = left;

		if (alloc_size > curr_max_ents) {
			alloc_size = curr_max_ents;
			sg_size = alloc_size - 1;
		} else {
			sg_size = alloc_size;
		}

		left -= sg_size;

		if (first_chunk) {
			sg = first_chunk;
			first_chunk = NULL;
		} else {
			sg = alloc_fn(alloc_size, gfp_mask);
		}
		if (unlikely(!sg)) {
			/*
			 * The previous array's last entry was counted as its
			 * link; it is a data entry now, so that
			 * __sg_free_table() sees the arrays as allocated.
			 */
			if (prv)
				table->nents = ++table->orig_nents;
			return -ENOMEM;
		}

		sg_init_table(sg, alloc_size);
		table->nents = table->orig_nents += sg_size;

		if (prv)
			sg_chain(prv, prv_max_ents, sg);
		else
			table->sgl = sg;

		if (!left)
			sg_mark_end(&sg[sg_size - 1]);

		prv = sg;
		prv_max_ents = curr_max_ents;
		curr_max_ents = max_ents;
	} while (left);

	return 0;
}

int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask)
{
	int ret;

	ret = __sg_alloc_table(table, nents, SG_MAX_SINGLE_ALLOC, NULL, 0,
			       gfp_mask, sg_kmalloc);
	if (unlikely(ret))
		sg_free_table(table);
	return ret;
}

void __sg_page_iter_start(struct sg_page_iter *piter,
			  struct scatterlist *sglist, unsigned int nents,
			  unsigned long pgoffset)
{
	piter->__pg_advance = 0;
	piter->__nents = nents;
	piter->sg = sglist;
	piter->sg_pgoffset = pgoffset;
}

bool __sg_page_iter_next(struct sg_page_iter *piter)
{
	if (!piter->__nents || !piter->sg)
		return false;

	piter->sg_pgoffset += piter->__pg_advance;
	piter->__pg_advance = 1;

	/* Entries that end before the page we want are skipped whole. */
	while (piter->sg_pgoffset >= __sg_page_count(piter->sg)) {
		piter->sg_pgoffset -= __sg_page_count(piter->sg);
		piter->sg = sg_next(piter->sg);
		if (!--piter->__nents || !piter->sg)
			return false;
	}

	return true;
}

enum sg_copy_op {
	SG_COPY_TO_BUFFER,
	SG_COPY_FROM_BUFFER,
	SG_ZERO,
};

/*
 * The kernel does this with an sg_mapping_iter, page by page; without
 * highmem every entry is contiguous in the direct map (or host memory),
 * so whole entries are copied at once.
 */
static size_t sg_copy_op(struct scatterlist *sgl, unsigned int nents,
			 void *buf, size_t buflen, off_t skip,
			 enum sg_copy_op op)
{
	struct scatterlist *sg;
	size_t offset = 0;
	unsigned int i;

	if (WARN_ON_ONCE(skip < 0))
		return 0;

	for_each_sg(sgl, sg, nents, i) {
		size_t len = sg->length;
		char *addr;

		if (offset >= buflen)
			break;
		if ((size_t)skip >= len) {
			skip -= len;
			continue;
		}
		addr = (char *)sg_virt(sg) + skip;
		len = min(len - skip, buflen - offset);
		skip = 0;

		switch (op) {
		case SG_COPY_TO_BUFFER:
			memcpy((char *)buf + offset, addr, len);
			break;
		case SG_COPY_FROM_BUFFER:
			memcpy(addr, (char *)buf + offset, len);
			break;
		case SG_ZERO:
			memset(addr, 0, len);
			break;
		}
		offset += len;
	}
	return offset;
}

size_t sg_copy_buffer(struct scatterlist *sgl, unsigned int nents, void *buf,
		      size_t buflen, off_t skip, bool to_buffer)
{
	return sg_copy_op(sgl, nents, buf, buflen, skip,
			  to_buffer ? SG_COPY_TO_BUFFER : SG_COPY_FROM_BUFFER);
}

size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			   const void *buf, size_t buflen)
{
	return sg_copy_buffer(sgl, nents, (void *)buf, buflen, 0, false);
}

size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			 void *buf, size_t buflen)
{
	return sg_copy_buffer(sgl, nents, buf, buflen, 0, true);
}

size_t sg_pcopy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			    const void *buf, size_t buflen, off_t skip)
{
	return sg_copy_buffer(sgl, nents, (void *)buf, buflen, skip, false);
}

size_t sg_pcopy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			  void *buf, size_t buflen, off_t skip)
{
	return sg_copy_buffer(sgl, nents, buf, buflen, skip, true);
}

/* Zero @buflen bytes of the list after @skip; returns the bytes zeroed. */
size_t sg_zero_buffer(struct scatterlist *sgl, unsigned int nents,
		      size_t buflen, off_t skip)
{
	return sg_copy_op(sgl, nents, NULL, buflen, skip, SG_ZERO);
}
