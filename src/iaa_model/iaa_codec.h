/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The engines' data path: real deflate streams through ISA-L, with the
 * device's 4 KB history window, in the three Huffman modes of the IAA.
 *
 * - fixed:   one final block with the RFC 1951 fixed codes (BTYPE 01).
 * - canned:  one final dynamic-Huffman block (BTYPE 10) coded with tables
 *            prepared once (iaa_codec_init()) and agreed in advance; the
 *            block header (BFINAL, BTYPE and the code-length description)
 *            is NOT in the stream, which starts with the first symbol.
 *            Decompression prepends the agreed header bits and inflates
 *            the result, as the IAA loads the canned tables from the AECS.
 * - dynamic: a first pass gathers the page's symbol histogram, a second
 *            codes it with tables built from it (one BTYPE 10 block with
 *            its header).
 * fixed and dynamic streams are raw deflate (zlib windowBits -15).
 */
#ifndef _IAA_MODEL_IAA_CODEC_H
#define _IAA_MODEL_IAA_CODEC_H

#include <linux/types.h>

#include "iaa_desc.h"

/* The device's history window: 4 KB. */
#define IAA_HIST_BITS		12
/*
 * Largest source and destination an engine takes in the model: the
 * model's own bound, not the device's (whose limit is the WQ's
 * max_xfer_size, megabytes). 64 KB covers a zswap page and a 64 KB mTHP
 * folio and keeps each engine's workspace small; a larger source fails
 * with an analytics error and a one-time warning.
 */
#define IAA_CODEC_MAX_SRC	(64 * 1024)
#define IAA_CODEC_MAX_DST	(128 * 1024)

struct iaa_codec_ws;

/* The canned tables' training histogram (iaa_canned_hist.c). */
extern const u32 iaa_canned_lit_len_hist[286];
extern const u32 iaa_canned_dist_hist[30];

/* Prepare the canned tables (once per process); 0, -ENOMEM or -EINVAL. */
int iaa_codec_init(void);

/* One engine's working memory; NULL if out of memory. */
struct iaa_codec_ws *iaa_codec_ws_alloc(void);
void iaa_codec_ws_free(struct iaa_codec_ws *ws);

/*
 * Compress @slen bytes at @src into at most *@dlen bytes at @dst. Returns
 * 0 with *@dlen the output size, -ENOSPC if it does not fit (what the
 * device reports as IAA_ERROR_COMP_BUF_OVERFLOW), -EINVAL for a size the
 * engine does not take.
 */
int iaa_codec_compress(struct iaa_codec_ws *ws, enum iaa_huffman_mode mode,
		       const u8 *src, unsigned int slen, u8 *dst, unsigned int *dlen);

/*
 * Decompress @slen bytes at @src into at most *@dlen bytes at @dst.
 * @hw_window: reject back-references beyond the device's 4 KB history.
 * Returns 0 with *@dlen the output size, -ENOSPC when the output does not
 * fit (IAA_ERROR_DECOMP_BUF_OVERFLOW), -EINVAL for a stream that is not
 * valid deflate in @mode (an analytics error). Never writes past *@dlen.
 */
int iaa_codec_decompress(struct iaa_codec_ws *ws, enum iaa_huffman_mode mode,
			 const u8 *src, unsigned int slen, u8 *dst,
			 unsigned int *dlen, bool hw_window);

/* IAA_CODEC_MAX_DST bytes of workspace scratch, for output the caller discards. */
u8 *iaa_codec_ws_scratch(struct iaa_codec_ws *ws);

/* The CRC-32 the engine reports in the completion record. */
u32 iaa_codec_crc32(const u8 *buf, unsigned int len);

#endif /* _IAA_MODEL_IAA_CODEC_H */
