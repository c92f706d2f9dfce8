// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scatterlists (lib/scatterlist.c): walking, chained table allocation,
 * the page iterator and copies to and from linear buffers.
 *
 * Tables come from kmalloc_array(), or a whole page from
 * __get_free_page() for a full SG_MAX_SINGLE_ALLOC array, as in the
 * kernel; both are fault-injection sites ("kmalloc",
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
	struct scatterlist *next;

	if (sg_is_last(sg))
		return NULL;
	/* The slot after @sg may be a link to the next array, not data. */
	next = sg + 1;
	return sg_is_chain(next) ? sg_chain_ptr(next) : next;
}

int sg_nents(struct scatterlist *sg)
{
	int count = 0;

	while (sg) {
		count++;
		sg = sg_next(sg);
	}
	return count;
}

/* Entries needed to cover @len bytes, or -EINVAL if the list is shorter. */
int sg_nents_for_len(struct scatterlist *sg, u64 len)
{
	int count = 0;

	while (len && sg) {
		count++;
		if (len <= sg->length)
			return count;
		len -= sg->length;
		sg = sg_next(sg);
	}
	/* Zero bytes need no entry, even from an empty list. */
	return len ? -EINVAL : 0;
}

/*
 * The kernel walks @nents entries and BUG()s unless it stopped on the end
 * mark (dereferencing NULL first if @nents is too large); here both misuses
 * are the same BUG().
 */
struct scatterlist *sg_last(struct scatterlist *sgl, unsigned int nents)
{
	struct scatterlist *sg = sgl;

	BUG_ON(!nents);
	while (sg && --nents)
		sg = sg_next(sg);
	BUG_ON(!sg || !sg_is_last(sg));
	return sg;
}

/* Zeroed entries, only the last one marked as the end of the list. */
void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, nents * sizeof(struct scatterlist));
	sg_mark_end(sgl + nents - 1);
}

void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, buflen);
}

/* An array of a whole page of entries is that page, as in the kernel. */
static struct scatterlist *sg_array_alloc(unsigned int nents, gfp_t gfp_mask)
{
	if (nents != SG_MAX_SINGLE_ALLOC)
		return kmalloc_array(nents, sizeof(struct scatterlist), gfp_mask);
	return (struct scatterlist *)__get_free_page(gfp_mask);
}

static void sg_array_free(struct scatterlist *sgl, unsigned int nents)
{
	if (nents != SG_MAX_SINGLE_ALLOC)
		kfree(sgl);
	else
		free_page((unsigned long)sgl);
}

/*
 * One array of a chained table. With @left entries still to place in an
 * array that has room for @room, it takes them all if they fit; otherwise
 * it is filled, and its last slot links to the next array.
 */
struct sg_span {
	unsigned int size;	/* slots in the array */
	unsigned int data;	/* of them holding entries: size, or size - 1 */
};

static struct sg_span sg_span_of(unsigned int left, unsigned int room)
{
	if (left <= room)
		return (struct sg_span){ .size = left, .data = left };
	return (struct sg_span){ .size = room, .data = room - 1 };
}

/*
 * @num_ents entries in arrays of @max_ents slots; a non-zero
 * @nents_first_chunk is the size of a first array that belongs to the
 * caller and is not freed.
 */
void __sg_free_table(struct sg_table *table, unsigned int max_ents,
		     unsigned int nents_first_chunk, sg_free_fn *free_fn,
		     unsigned int num_ents)
{
	unsigned int room = nents_first_chunk ? nents_first_chunk : max_ents;
	bool callers = nents_first_chunk != 0;
	struct scatterlist *array = table->sgl;

	for (; array && num_ents; room = max_ents, callers = false) {
		struct sg_span span = sg_span_of(num_ents, room);
		struct scatterlist *next = NULL;

		/* Read the link before the array holding it goes. */
		if (span.data < span.size)
			next = sg_chain_ptr(&array[span.size - 1]);
		if (!callers)
			free_fn(array, span.size);
		num_ents -= span.data;
		array = next;
	}
	table->sgl = NULL;
}

void sg_free_table(struct sg_table *table)
{
	__sg_free_table(table, SG_MAX_SINGLE_ALLOC, 0, sg_array_free,
			table->orig_nents);
}

int __sg_alloc_table(struct sg_table *table, unsigned int nents,
		     unsigned int max_ents, struct scatterlist *first_chunk,
		     unsigned int nents_first_chunk, gfp_t gfp_mask,
		     sg_alloc_fn *alloc_fn)
{
	unsigned int room = nents_first_chunk ? nents_first_chunk : max_ents;
	struct scatterlist *link = NULL;	/* last slot of the array before */
	unsigned int left = nents;

	memset(table, 0, sizeof(*table));
	if (!nents)
		return -EINVAL;
	if (WARN_ON_ONCE(max_ents < 2 || (first_chunk && nents_first_chunk < 2)))
		return -EINVAL;

	for (; left; room = max_ents) {
		struct sg_span span = sg_span_of(left, room);
		struct scatterlist *array = first_chunk;

		first_chunk = NULL;
		if (!array)
			array = alloc_fn(span.size, gfp_mask);
		if (unlikely(!array)) {
			/*
			 * @link never became a link: with it counted as an
			 * entry, orig_nents describes the arrays allocated so
			 * far and the caller's __sg_free_table() frees them.
			 */
			if (link)
				table->orig_nents++;
			table->nents = table->orig_nents;
			return -ENOMEM;
		}

		/* Each array ends marked; all but the last mark become links. */
		sg_init_table(array, span.size);
		if (link)
			__sg_chain(link, array);
		else
			table->sgl = array;
		link = &array[span.size - 1];
		table->orig_nents += span.data;
		table->nents = table->orig_nents;
		left -= span.data;
	}
	return 0;
}

int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask)
{
	int err = __sg_alloc_table(table, nents, SG_MAX_SINGLE_ALLOC, NULL, 0,
				   gfp_mask, sg_array_alloc);

	if (unlikely(err))
		sg_free_table(table);
	return err;
}

void __sg_page_iter_start(struct sg_page_iter *piter,
			  struct scatterlist *sglist, unsigned int nents,
			  unsigned long pgoffset)
{
	piter->sg = sglist;
	piter->sg_pgoffset = pgoffset;
	piter->__nents = nents;
	piter->__pg_advance = 0;	/* the first call stays on @pgoffset */
}

bool __sg_page_iter_next(struct sg_page_iter *piter)
{
	struct scatterlist *sg = piter->sg;
	unsigned int page;

	if (!sg || !piter->__nents)
		return false;

	page = piter->sg_pgoffset + piter->__pg_advance;
	piter->__pg_advance = 1;

	/* Move to the entry that holds page number @page of the walk. */
	while (page >= __sg_page_count(sg)) {
		page -= __sg_page_count(sg);
		if (!--piter->__nents)
			return false;
		sg = sg_next(sg);
		if (!sg)
			return false;
	}
	piter->sg = sg;
	piter->sg_pgoffset = page;
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
 * so whole entries are copied at once. Like the iterator, the walk ends
 * at the end mark even when @nents counts more entries than the list has.
 */
static size_t sg_copy_op(struct scatterlist *sg, unsigned int nents,
			 void *buf, size_t buflen, off_t skip,
			 enum sg_copy_op op)
{
	size_t done = 0;

	if (WARN_ON_ONCE(skip < 0))
		return 0;

	for (; sg && nents && done < buflen; sg = sg_next(sg), nents--) {
		size_t len;
		char *addr;

		if ((size_t)skip >= sg->length) {
			skip -= sg->length;
			continue;
		}
		addr = (char *)sg_virt(sg) + skip;
		len = min_t(size_t, sg->length - skip, buflen - done);
		skip = 0;

		if (op == SG_ZERO)
			memset(addr, 0, len);
		else if (op == SG_COPY_TO_BUFFER)
			memcpy((char *)buf + done, addr, len);
		else
			memcpy(addr, (char *)buf + done, len);
		done += len;
	}
	return done;
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
