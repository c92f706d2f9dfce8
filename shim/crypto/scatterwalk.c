// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scatterlist walks and copies of the crypto layer (crypto/scatterwalk.c).
 *
 * memcpy_{from,to}_sglist() and memcpy_sglist() first check that the list
 * holds the bytes asked for: the kernel trusts its callers and would run off
 * the end through a NULL sg_next(); here that is a WARN and nothing is
 * copied, so a test sees the bug as a report instead of a crash.
 */
#include <crypto/scatterwalk.h>
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

void scatterwalk_skip(struct scatter_walk *walk, unsigned int nbytes)
{
	__scatterwalk_seek(walk, walk->sg, __scatterwalk_pos(walk) + nbytes);
}

/* Move @nbytes between @buf and the walk, one mapped piece at a time. */
static void scatterwalk_copy(struct scatter_walk *walk, void *buf,
			     unsigned int nbytes, bool to_walk)
{
	while (nbytes) {
		unsigned int piece = scatterwalk_next(walk, nbytes);

		if (to_walk) {
			memcpy(walk->addr, buf, piece);
			scatterwalk_done_dst(walk, piece);
		} else {
			memcpy(buf, walk->addr, piece);
			scatterwalk_done_src(walk, piece);
		}
		buf += piece;
		nbytes -= piece;
	}
}

void memcpy_from_scatterwalk(void *buf, struct scatter_walk *walk,
			     unsigned int nbytes)
{
	scatterwalk_copy(walk, buf, nbytes, false);
}

void memcpy_to_scatterwalk(struct scatter_walk *walk, const void *buf,
			   unsigned int nbytes)
{
	scatterwalk_copy(walk, (void *)buf, nbytes, true);
}

/* Does the list at @sg hold @nbytes bytes from byte @start on? */
static bool sglist_holds(const char *fn, struct scatterlist *sg,
			 unsigned int start, unsigned int nbytes)
{
	u64 want = (u64)start + nbytes, have = 0;

	for (; sg && have < want; sg = sg_next(sg))
		have += sg->length;
	return !WARN(have < want,
			  "%s: %u bytes at %u beyond the end of the list (%llu bytes)\n",
			  fn, nbytes, start, (unsigned long long)have);
}

void memcpy_from_sglist(void *buf, struct scatterlist *sg,
			unsigned int start, unsigned int nbytes)
{
	struct scatter_walk walk;

	/* Nothing to copy: @sg may be NULL. */
	if (unlikely(nbytes == 0))
		return;
	if (!sglist_holds(__func__, sg, start, nbytes))
		return;

	scatterwalk_start_at_pos(&walk, sg, start);
	memcpy_from_scatterwalk(buf, &walk, nbytes);
}

void memcpy_to_sglist(struct scatterlist *sg, unsigned int start,
		      const void *buf, unsigned int nbytes)
{
	struct scatter_walk walk;

	if (unlikely(nbytes == 0))
		return;
	if (!sglist_holds(__func__, sg, start, nbytes))
		return;

	scatterwalk_start_at_pos(&walk, sg, start);
	memcpy_to_scatterwalk(&walk, buf, nbytes);
}

/* Piece by piece, each as long as both current pieces allow. */
void memcpy_sglist(struct scatterlist *dst, struct scatterlist *src,
		   unsigned int nbytes)
{
	struct scatter_walk swalk, dwalk;

	if (unlikely(nbytes == 0))
		return;
	if (!sglist_holds(__func__, src, 0, nbytes) ||
	    !sglist_holds(__func__, dst, 0, nbytes))
		return;

	scatterwalk_start(&swalk, src);
	scatterwalk_start(&dwalk, dst);
	do {
		unsigned int slen = scatterwalk_next(&swalk, nbytes);
		unsigned int dlen = scatterwalk_next(&dwalk, nbytes);
		unsigned int len = min(slen, dlen);

		memmove(dwalk.addr, swalk.addr, len);
		scatterwalk_done_dst(&dwalk, len);
		scatterwalk_done_src(&swalk, len);
		nbytes -= len;
	} while (nbytes);
}
