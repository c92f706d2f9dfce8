// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IAA engines' data path on ISA-L's igzip: see iaa_codec.h for the
 * three Huffman modes and how a canned stream is framed.
 *
 * ISA-L is sealed third-party code (no scheduling points inside it); it
 * runs on the calling task's host thread, with one workspace per engine.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

#include "iaa_codec.h"

struct iaa_codec_ws {
	struct isal_zstream zs;
	struct inflate_state is;
	struct isal_huff_histogram hist;
	struct isal_hufftables dyn;
	/* A canned stream with its header put back, or a compressed one before stripping. */
	u8 buf[IAA_CODEC_MAX_DST + ISAL_DEF_MAX_HDR_SIZE + 16];
	/* Output nobody reads (IAA_DECOMP_SUPPRESS_OUTPUT). */
	u8 scratch[IAA_CODEC_MAX_DST];
};

/*
 * The canned tables: built once from a fixed training histogram, so that
 * every run (and every simulated device) agrees on them, as IAA users
 * agree on the tables they load into the AECS. The histogram
 * (iaa_canned_hist.c, written by bench/corpus-hist) is that of the
 * default page corpus's non-zero pages, generated with a seed the
 * benchmarks do not use: tables trained on the kind of memory zswap
 * stores, not on the pages they are measured with. Every literal, length
 * and distance has a code (isal_create_hufftables(), not _subset()), so
 * any input can be coded with them.
 */
static struct isal_hufftables canned_tables;
/* Bits of the block header a canned stream leaves out. */
static unsigned int canned_hdr_bits;

int iaa_codec_init(void)
{
	struct isal_huff_histogram *hist;
	unsigned int i;
	int ret = 0;

	hist = kzalloc(sizeof(*hist), GFP_KERNEL);
	if (!hist)
		return -ENOMEM;
	for (i = 0; i < ISAL_DEF_LIT_LEN_SYMBOLS; i++)
		hist->lit_len_histogram[i] = iaa_canned_lit_len_hist[i];
	for (i = 0; i < ISAL_DEF_DIST_SYMBOLS; i++)
		hist->dist_histogram[i] = iaa_canned_dist_hist[i];
	if (isal_create_hufftables(&canned_tables, hist)) {
		pr_err("iaa_codec: cannot build the canned Huffman tables\n");
		ret = -EINVAL;
	} else {
		canned_hdr_bits = canned_tables.deflate_hdr_count * 8 +
				  canned_tables.deflate_hdr_extra_bits;
	}
	kfree(hist);
	return ret;
}

struct iaa_codec_ws *iaa_codec_ws_alloc(void)
{
	return kvzalloc(sizeof(struct iaa_codec_ws), GFP_KERNEL);
}

void iaa_codec_ws_free(struct iaa_codec_ws *ws)
{
	kvfree(ws);
}

u8 *iaa_codec_ws_scratch(struct iaa_codec_ws *ws)
{
	return ws->scratch;
}

u32 iaa_codec_crc32(const u8 *buf, unsigned int len)
{
	return crc32_gzip_refl(0, buf, len);
}

/* Does @out begin with the canned block header (BFINAL set)? */
static bool canned_header_matches(const u8 *out, unsigned int out_len)
{
	unsigned int k = canned_hdr_bits / 8, e = canned_hdr_bits % 8;

	if (out_len * 8 < canned_hdr_bits)
		return false;
	if (memcmp(out, canned_tables.deflate_hdr, k))
		return false;
	return !e || !((out[k] ^ canned_tables.deflate_hdr[k]) & ((1u << e) - 1));
}

/* Drop the first canned_hdr_bits of @in (@in_len bytes, one spare byte after). */
static unsigned int canned_strip_header(const u8 *in, unsigned int in_len, u8 *out)
{
	unsigned int k = canned_hdr_bits / 8, e = canned_hdr_bits % 8;
	unsigned int i, n = in_len - k;

	for (i = 0; i < n; i++)
		out[i] = e ? (in[k + i] >> e) | (in[k + i + 1] << (8 - e)) : in[k + i];
	return n;
}

/* Put the canned header back in front of @in: the stream length in @out. */
static unsigned int canned_add_header(const u8 *in, unsigned int in_len, u8 *out)
{
	unsigned int k = canned_hdr_bits / 8, e = canned_hdr_bits % 8;
	unsigned int i;

	memcpy(out, canned_tables.deflate_hdr, k);
	out[k] = e ? canned_tables.deflate_hdr[k] & ((1u << e) - 1) : 0;
	for (i = 0; i < in_len; i++) {
		out[k + i] |= in[i] << e;
		out[k + i + 1] = e ? in[i] >> (8 - e) : 0;
	}
	return k + in_len + 1;
}

int iaa_codec_compress(struct iaa_codec_ws *ws, enum iaa_huffman_mode mode,
		       const u8 *src, unsigned int slen, u8 *dst, unsigned int *dlen)
{
	struct isal_zstream *zs = &ws->zs;
	unsigned int cap = *dlen, n;
	u8 *out = dst;

	if (slen > IAA_CODEC_MAX_SRC) {
		pr_warn_once("iaa_codec: %u-byte source above the model's %u-byte limit\n",
			     slen, IAA_CODEC_MAX_SRC);
		return -EINVAL;
	}
	if (!slen || !cap || cap > IAA_CODEC_MAX_DST || mode >= IAA_MODE_MAX)
		return -EINVAL;

	isal_deflate_init(zs);
	zs->level = 0;
	zs->hist_bits = IAA_HIST_BITS;
	zs->end_of_stream = 1;
	zs->flush = NO_FLUSH;
	zs->gzip_flag = IGZIP_DEFLATE;
	switch (mode) {
	case IAA_MODE_FIXED:
		isal_deflate_set_hufftables(zs, NULL, IGZIP_HUFFTABLE_STATIC);
		break;
	case IAA_MODE_CANNED:
		isal_deflate_set_hufftables(zs, &canned_tables, IGZIP_HUFFTABLE_CUSTOM);
		/* The header goes to the workspace and is stripped below. */
		out = ws->buf;
		cap += canned_hdr_bits / 8 + 1;
		break;
	default:
		/* Pass 1: the page's statistics; pass 2 below codes with them. */
		memset(&ws->hist, 0, sizeof(ws->hist));
		isal_update_histogram((u8 *)src, slen, &ws->hist);
		if (isal_create_hufftables(&ws->dyn, &ws->hist))
			return -EINVAL;
		isal_deflate_set_hufftables(zs, &ws->dyn, IGZIP_HUFFTABLE_CUSTOM);
		break;
	}

	zs->next_in = (u8 *)src;
	zs->avail_in = slen;
	zs->next_out = out;
	zs->avail_out = cap;
	if (isal_deflate(zs) != COMP_OK)
		return -EINVAL;
	if (zs->avail_in || zs->internal_state.state != ZSTATE_END)
		return -ENOSPC;

	if (mode != IAA_MODE_CANNED) {
		*dlen = zs->total_out;
		return 0;
	}
	if (WARN_ON_ONCE(!canned_header_matches(out, zs->total_out)))
		return -EINVAL;
	out[zs->total_out] = 0;
	n = zs->total_out - canned_hdr_bits / 8;
	if (n > *dlen)
		return -ENOSPC;
	*dlen = canned_strip_header(out, zs->total_out, dst);
	return 0;
}

int iaa_codec_decompress(struct iaa_codec_ws *ws, enum iaa_huffman_mode mode,
			 const u8 *src, unsigned int slen, u8 *dst,
			 unsigned int *dlen, bool hw_window)
{
	struct inflate_state *is = &ws->is;
	const u8 *in = src;
	int ret;

	if (!slen || slen > IAA_CODEC_MAX_DST || mode >= IAA_MODE_MAX)
		return -EINVAL;
	if (mode == IAA_MODE_CANNED) {
		slen = canned_add_header(src, slen, ws->buf);
		in = ws->buf;
	}

	isal_inflate_init(is);
	is->next_in = (u8 *)in;
	is->avail_in = slen;
	is->next_out = dst;
	is->avail_out = *dlen;
	is->crc_flag = ISAL_DEFLATE;
	if (hw_window)
		is->hist_bits = IAA_HIST_BITS;
	ret = isal_inflate(is);
	if (ret == ISAL_OUT_OVERFLOW)
		return -ENOSPC;
	if (ret < 0)
		return -EINVAL;
	if (is->block_state != ISAL_BLOCK_FINISH)
		return is->avail_out ? -EINVAL : -ENOSPC;
	*dlen = is->total_out;
	return 0;
}
