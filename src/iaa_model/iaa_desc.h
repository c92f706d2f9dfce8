/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IAA descriptor and completion record as the hardware sees them: the
 * layout of struct iax_hw_desc and struct iax_completion_record in the
 * kernel's include/uapi/linux/idxd.h, and the status, error and flag
 * values that drivers/crypto/intel/iaa/iaa_crypto.h uses.
 *
 * Difference: addresses are host virtual addresses cast to u64 (the
 * simulator has no IOMMU and no DMA mapping), so the model "DMAs" with
 * plain loads and stores.
 */
#ifndef _IAA_MODEL_IAA_DESC_H
#define _IAA_MODEL_IAA_DESC_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/types.h>

/* Opcodes (enum iax_opcode). */
#define IAX_OPCODE_NOOP			0x00
#define IAX_OPCODE_DECOMPRESS		0x42
#define IAX_OPCODE_COMPRESS		0x43

/* Descriptor flags (IDXD_OP_FLAG_*). */
#define IDXD_OP_FLAG_RCI		0x0002	/* request completion interrupt */
#define IDXD_OP_FLAG_RCR		0x0004	/* request completion record */
#define IDXD_OP_FLAG_CRAV		0x0008	/* completion record address valid */
#define IDXD_OP_FLAG_CC			0x0100	/* cache control: write to cache */
#define IDXD_OP_FLAG_RD_SRC2_AECS	0x010000 /* src2 is the AECS (tables) */

/* Compression flags (iaa_crypto.h). */
#define IAA_COMP_FLUSH_OUTPUT		BIT(1)
#define IAA_COMP_APPEND_EOB		BIT(2)
#define IAA_COMP_FLAGS			(IAA_COMP_FLUSH_OUTPUT | IAA_COMP_APPEND_EOB)

/* Decompression flags. */
#define IAA_DECOMP_ENABLE		BIT(0)
#define IAA_DECOMP_FLUSH_OUTPUT		BIT(1)
#define IAA_DECOMP_CHECK_FOR_EOB	BIT(2)
#define IAA_DECOMP_STOP_ON_EOB		BIT(3)
#define IAA_DECOMP_SUPPRESS_OUTPUT	BIT(9)
#define IAA_DECOMP_FLAGS		(IAA_DECOMP_ENABLE | IAA_DECOMP_FLUSH_OUTPUT | \
					 IAA_DECOMP_CHECK_FOR_EOB | IAA_DECOMP_STOP_ON_EOB)

/*
 * Huffman mode, in the simulator's encoding of what the AECS passed as
 * src2 would tell the engine (the kernel loads tables into the AECS; the
 * model only needs to know which kind of tables they are).
 */
enum iaa_huffman_mode {
	IAA_MODE_FIXED,
	IAA_MODE_CANNED,
	IAA_MODE_DYNAMIC,
	IAA_MODE_MAX,
};

/* Completion status (byte 0 of the record) and error codes. */
#define IAX_COMP_NONE			0x00	/* not yet written */
#define IAX_COMP_SUCCESS		0x01
#define IAA_ANALYTICS_ERROR		0x0a
#define IAA_ERROR_DECOMP_BUF_OVERFLOW	0x0b
#define IAA_ERROR_COMP_BUF_OVERFLOW	0x19	/* error_code with IAA_ANALYTICS_ERROR */
#define IAA_ERROR_WATCHDOG_EXPIRED	0x24
/* Simulator's error codes for an analytics error of the engine. */
#define IAA_ERROR_BAD_STREAM		0x0c	/* invalid deflate input */
#define IAA_ERROR_HW_FAULT		0x1f	/* injected engine error */

/* struct iax_hw_desc: 64 bytes, written to the portal in one store. */
struct iax_hw_desc {
	u32	pasid:20;
	u32	rsvd:11;
	u32	priv:1;
	u32	flags:24;
	u32	opcode:8;
	u64	completion_addr;
	u64	src1_addr;
	u64	dst_addr;
	u32	src1_size;
	u16	iax_flags;
	union {
		u16	compr_flags;
		u16	decompr_flags;
	};
	u64	src2_addr;
	u32	max_dst_size;
	u32	src2_size;
	u32	filter_flags;
	u32	num_inputs;
} __packed;

/* struct iax_completion_record: 64 bytes, written by the engine at the end. */
struct iax_completion_record {
	volatile u8	status;
	u8	error_code;
	u8	fault_info;
	u8	rsvd;
	u32	bytes_completed;
	u64	fault_addr;
	u32	invalid_flags;
	u32	rsvd2;
	u32	output_size;
	u8	output_bits;
	u8	rsvd_3;
	u16	xor_csum;
	u32	crc;
	u32	min;
	u32	max;
	u32	sum;
	u64	rsvd4[2];
} __packed;

static_assert(sizeof(struct iax_hw_desc) == 64, "iax_hw_desc is 64 bytes");
static_assert(sizeof(struct iax_completion_record) == 64,
	      "iax_completion_record is 64 bytes");

#endif /* _IAA_MODEL_IAA_DESC_H */
