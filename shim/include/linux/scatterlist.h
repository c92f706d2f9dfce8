/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scatterlists (<linux/scatterlist.h>, lib/scatterlist.c).
 *
 * As the kernel: an entry's page_link holds its page pointer with two flag
 * bits below it, SG_CHAIN (the entry is no data but a link to the next
 * array) and SG_END (the last entry of the list); sg_next() follows both.
 * A table longer than SG_MAX_SINGLE_ALLOC entries is allocated as chained
 * arrays of SG_MAX_SINGLE_ALLOC entries (one page each) whose last entry
 * is the chain link. The layout is x86-64's with CONFIG_NEED_SG_DMA_LENGTH
 * (32 bytes, 128 entries per page). The CONFIG_DEBUG_SG checks on page
 * alignment and on sg_page() of a chain entry are always on.
 *
 * Difference: only the simulated RAM has struct pages (see <asm/page.h>),
 * while kmalloc()ed, vmalloc()ed and stack buffers live in host memory.
 * sg_set_buf() and sg_init_one() of such a buffer keep its page-aligned
 * host address in page_link with the shim-only bit __SG_HOST: sg_virt(),
 * the copy helpers below, memcpy_{from,to}_sglist() and the scatterwalk
 * (<crypto/scatterwalk.h>) work on it as on a page entry, but sg_page()
 * and sg_page_iter_page() return NULL for it, where the kernel gives the
 * slab page. Code that needs the page of a buffer must put the buffer in
 * pages (alloc_pages(), folio_alloc()).
 */
#ifndef _SHIM_LINUX_SCATTERLIST_H
#define _SHIM_LINUX_SCATTERLIST_H

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/gfp_types.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/page.h>

struct scatterlist {
	unsigned long	page_link;
	unsigned int	offset;
	unsigned int	length;
	dma_addr_t	dma_address;
	unsigned int	dma_length;
	unsigned int	dma_flags;
};

/* For the DMA-mapping side; nothing in the shim maps for DMA. */
#define sg_dma_address(sg)	((sg)->dma_address)
#define sg_dma_len(sg)		((sg)->dma_length)

struct sg_table {
	struct scatterlist *sgl;	/* the list */
	unsigned int nents;		/* number of mapped entries */
	unsigned int orig_nents;	/* original size of the list */
};

#define SG_CHAIN	0x01UL
#define SG_END		0x02UL
/* Shim only: page_link holds a page-aligned host address, not a page. */
#define __SG_HOST	0x04UL

/* The low bits of page_link that are not the page pointer. */
#define SG_PAGE_LINK_MASK	(SG_CHAIN | SG_END)

static inline unsigned int __sg_flags(struct scatterlist *sg)
{
	return sg->page_link & SG_PAGE_LINK_MASK;
}

static inline bool sg_is_chain(struct scatterlist *sg)
{
	return __sg_flags(sg) & SG_CHAIN;
}

static inline bool sg_is_last(struct scatterlist *sg)
{
	return __sg_flags(sg) & SG_END;
}

static inline struct scatterlist *sg_chain_ptr(struct scatterlist *sg)
{
	return (struct scatterlist *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}

/* Shim: does @sg hold a host buffer (sg_set_buf() outside simulated RAM)? */
static inline bool sg_is_host_buf(struct scatterlist *sg)
{
	return !sg_is_chain(sg) && (sg->page_link & __SG_HOST);
}

/* Point @sg at @page, keeping its chain and end bits. */
static inline void sg_assign_page(struct scatterlist *sg, struct page *page)
{
	unsigned long page_link = sg->page_link & SG_PAGE_LINK_MASK;

	/* The flag bits need a page pointer aligned to 8 (struct page is 64). */
	BUG_ON((unsigned long)page & (SG_PAGE_LINK_MASK | __SG_HOST));
	sg->page_link = page_link | (unsigned long)page;
}

static inline void sg_set_page(struct scatterlist *sg, struct page *page,
			       unsigned int len, unsigned int offset)
{
	sg_assign_page(sg, page);
	sg->offset = offset;
	sg->length = len;
}

/* @len bytes from @offset into @folio (may span its pages). */
static inline void sg_set_folio(struct scatterlist *sg, struct folio *folio,
				size_t len, size_t offset)
{
	WARN_ON_ONCE(len > UINT_MAX);
	WARN_ON_ONCE(offset > UINT_MAX);
	sg_assign_page(sg, &folio->page);
	sg->offset = offset;
	sg->length = len;
}

/* The entry's first page; NULL for a host buffer (see the top comment). */
static inline struct page *sg_page(struct scatterlist *sg)
{
	BUG_ON(sg_is_chain(sg));
	if (sg->page_link & __SG_HOST)
		return NULL;
	return (struct page *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}

/*
 * Shim: the address of the start of the entry's first page, in the direct
 * map or in host memory; byte i of the entry is at this + offset + i.
 */
static inline void *sg_base_address(struct scatterlist *sg)
{
	BUG_ON(sg_is_chain(sg));
	if (sg->page_link & __SG_HOST)
		return (void *)(sg->page_link & PAGE_MASK);
	return page_address(sg_page(sg));
}

/* @buflen bytes at @buf: a page entry in simulated RAM, else a host one. */
static inline void sg_set_buf(struct scatterlist *sg, const void *buf,
			      unsigned int buflen)
{
	if (virt_addr_valid(buf)) {
		sg_set_page(sg, virt_to_page(buf), buflen, offset_in_page(buf));
		return;
	}
	sg->page_link = (sg->page_link & SG_PAGE_LINK_MASK) | __SG_HOST |
			((unsigned long)buf & PAGE_MASK);
	sg->offset = offset_in_page(buf);
	sg->length = buflen;
}

static inline void *sg_virt(struct scatterlist *sg)
{
	return sg_base_address(sg) + sg->offset;
}

/* A host entry has no physical address. */
static inline dma_addr_t sg_phys(struct scatterlist *sg)
{
	BUG_ON(sg_is_host_buf(sg));
	return page_to_phys(sg_page(sg)) + sg->offset;
}

#define for_each_sg(sglist, sg, nr, __i)	\
	for (__i = 0, sg = (sglist); __i < (nr); __i++, sg = sg_next(sg))

#define for_each_sgtable_sg(sgt, sg, i)		\
	for_each_sg((sgt)->sgl, sg, (sgt)->orig_nents, i)

/* Make @chain_sg a link to @sgl (it carries no data any more). */
static inline void __sg_chain(struct scatterlist *chain_sg,
			      struct scatterlist *sgl)
{
	chain_sg->offset = 0;
	chain_sg->length = 0;
	chain_sg->page_link = ((unsigned long)sgl | SG_CHAIN) & ~SG_END;
}

/* Link the last entry of @prv (@prv_nents long) to @sgl. */
static inline void sg_chain(struct scatterlist *prv, unsigned int prv_nents,
			    struct scatterlist *sgl)
{
	__sg_chain(&prv[prv_nents - 1], sgl);
}

/* Make @sg the last entry: sg_next() stops there. */
static inline void sg_mark_end(struct scatterlist *sg)
{
	sg->page_link |= SG_END;
	sg->page_link &= ~SG_CHAIN;
}

static inline void sg_unmark_end(struct scatterlist *sg)
{
	sg->page_link &= ~SG_END;
}

static inline void sg_init_marker(struct scatterlist *sgl, unsigned int nents)
{
	sg_mark_end(&sgl[nents - 1]);
}

/* Pages an entry touches, counted from its first page. */
static inline unsigned int __sg_page_count(struct scatterlist *sg)
{
	return PAGE_ALIGN(sg->offset + sg->length) >> PAGE_SHIFT;
}

int sg_nents(struct scatterlist *sg);
int sg_nents_for_len(struct scatterlist *sg, u64 len);
struct scatterlist *sg_next(struct scatterlist *sg);
struct scatterlist *sg_last(struct scatterlist *s, unsigned int nents);
void sg_init_table(struct scatterlist *sgl, unsigned int nents);
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen);

/* One page of entries; longer tables are chained arrays of this size. */
#define SG_MAX_SINGLE_ALLOC	(PAGE_SIZE / sizeof(struct scatterlist))
/* The block layer's inline chunk and segment limit (lib/sg_pool.c). */
#define SG_CHUNK_SIZE		128
#define SG_MAX_SEGMENTS		2048

typedef struct scatterlist *(sg_alloc_fn)(unsigned int nents, gfp_t gfp_mask);
typedef void (sg_free_fn)(struct scatterlist *sgl, unsigned int nents);

void __sg_free_table(struct sg_table *table, unsigned int max_ents,
		     unsigned int nents_first_chunk, sg_free_fn *free_fn,
		     unsigned int num_ents);
void sg_free_table(struct sg_table *table);
int __sg_alloc_table(struct sg_table *table, unsigned int nents,
		     unsigned int max_ents, struct scatterlist *first_chunk,
		     unsigned int nents_first_chunk, gfp_t gfp_mask,
		     sg_alloc_fn *alloc_fn);
/* 0 or -EINVAL (@nents 0) or -ENOMEM, after which @table holds nothing. */
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask);

/*
 * Copy between a linear buffer and the first @nents entries of @sgl,
 * skipping @skip bytes of the list; return the bytes copied (at most
 * @buflen, less when the list is shorter).
 */
size_t sg_copy_buffer(struct scatterlist *sgl, unsigned int nents, void *buf,
		      size_t buflen, off_t skip, bool to_buffer);
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			   const void *buf, size_t buflen);
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			 void *buf, size_t buflen);
size_t sg_pcopy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			    const void *buf, size_t buflen, off_t skip);
size_t sg_pcopy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			  void *buf, size_t buflen, off_t skip);
size_t sg_zero_buffer(struct scatterlist *sgl, unsigned int nents,
		      size_t buflen, off_t skip);

/*
 * Page iterator: every page the first @nents entries touch, starting
 * @pgoffset pages into the first entry.
 *
 *	struct sg_page_iter piter;
 *
 *	for_each_sg_page(sgl, &piter, nents, 0)
 *		use(sg_page_iter_page(&piter));
 */
struct sg_page_iter {
	struct scatterlist	*sg;		/* the current entry */
	unsigned int		sg_pgoffset;	/* page index in that entry */

	/* Internal. */
	unsigned int		__nents;	/* entries left */
	int			__pg_advance;	/* pages to step on next */
};

void __sg_page_iter_start(struct sg_page_iter *piter,
			  struct scatterlist *sglist, unsigned int nents,
			  unsigned long pgoffset);
bool __sg_page_iter_next(struct sg_page_iter *piter);

/* The current page; NULL in a host-buffer entry (see the top comment). */
static inline struct page *sg_page_iter_page(struct sg_page_iter *piter)
{
	struct page *page = sg_page(piter->sg);

	return page ? nth_page(page, piter->sg_pgoffset) : NULL;
}

#define for_each_sg_page(sglist, piter, nents, pgoffset)		\
	for (__sg_page_iter_start((piter), (sglist), (nents), (pgoffset)); \
	     __sg_page_iter_next(piter);)

#define for_each_sgtable_page(sgt, piter, pgoffset)			\
	for_each_sg_page((sgt)->sgl, piter, (sgt)->orig_nents, pgoffset)

#endif /* _SHIM_LINUX_SCATTERLIST_H */
