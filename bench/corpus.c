// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page corpus: the generator of anonymous-memory-like pages and the reader
 * of user files (corpus.h). docs/corpus.md describes the generated kinds
 * and gives their measured compression ratios.
 *
 * Every generated page draws from its own random stream, seeded from
 * (seed, index), so a page does not depend on the pages before it. What a
 * process shares between its pages (the addresses of its heap, libraries
 * and stack; the language of its text) derives from the seed alone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus.h"

#define PAGE		CORPUS_PAGE_SIZE
/* Generators may run past the page end by at most this much; cut after. */
#define PAGE_SLACK	512

/*
 * Zero pages 17.5% of all pages; of the non-zero ones: heap 69%, text 15%,
 * code 10%, compressed 3.6%, same-filled 2.4%. Chosen so that the pages
 * zswap sees compress like published anonymous memory (iaa-model.md:
 * lz4 2.4, zstd 3.4 on SPEC CPU2017 pages); docs/corpus.md has the
 * measured ratios.
 */
const struct corpus_mix corpus_default_mix = {
	.permille = {
		[CORPUS_ZERO]	= 175,
		[CORPUS_SAME]	= 20,
		[CORPUS_TEXT]	= 125,
		[CORPUS_HEAP]	= 570,
		[CORPUS_CODE]	= 80,
		[CORPUS_RANDOM]	= 30,
	},
};

static const char *const kind_names[CORPUS_NR_KINDS] = {
	[CORPUS_ZERO]	= "zero",
	[CORPUS_SAME]	= "same",
	[CORPUS_TEXT]	= "text",
	[CORPUS_HEAP]	= "heap",
	[CORPUS_CODE]	= "code",
	[CORPUS_RANDOM]	= "random",
	[CORPUS_FILE]	= "file",
};

const char *corpus_kind_name(enum corpus_kind kind)
{
	if ((unsigned int)kind >= CORPUS_NR_KINDS)
		return "?";
	return kind_names[kind];
}

/* splitmix64: small, fast, and good enough for content. */
struct rng {
	uint64_t s;
};

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* Uniform in [0, n), n > 0. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

static bool rng_chance(struct rng *r, unsigned int permille)
{
	return rng_below(r, 1000) < permille;
}

/*
 * Zipf-like rank in [0, n): a uniform bit length, then uniform below it,
 * so rank k has probability about 1/k, as word and value frequencies do.
 */
static uint32_t rng_zipf(struct rng *r, uint32_t n)
{
	uint32_t bits = 0, v;

	while ((1u << bits) < n)
		bits++;
	v = (1u << rng_below(r, bits + 1)) - 1;
	v += rng_below(r, v + 1);
	return v < n ? v : rng_below(r, n);
}

/* Output with slack: generators append, the page keeps the first PAGE. */
struct out {
	unsigned char	buf[PAGE + PAGE_SLACK];
	size_t		pos;
};

static bool out_full(const struct out *o)
{
	return o->pos >= PAGE;
}

static void put_bytes(struct out *o, const void *p, size_t n)
{
	if (o->pos + n > sizeof(o->buf))
		n = sizeof(o->buf) - o->pos;
	memcpy(o->buf + o->pos, p, n);
	o->pos += n;
}

static void put_byte(struct out *o, unsigned char b)
{
	put_bytes(o, &b, 1);
}

static void put_u32(struct out *o, uint32_t v)
{
	unsigned char b[4] = { v, v >> 8, v >> 16, v >> 24 };

	put_bytes(o, b, 4);
}

static void put_u64(struct out *o, uint64_t v)
{
	put_u32(o, (uint32_t)v);
	put_u32(o, (uint32_t)(v >> 32));
}

static void put_str(struct out *o, const char *s)
{
	put_bytes(o, s, strlen(s));
}

/* What one simulated process shares between its pages. */
struct process {
	uint64_t	heap_base;	/* brk heap, 0x55.. as PIE programs */
	uint64_t	lib_base;	/* shared libraries, 0x7f.. */
	uint64_t	stack_base;	/* 0x7ffc.. */
	uint64_t	tcache_key;	/* glibc's per-process tcache key */
};

static void process_init(struct process *p, uint64_t seed)
{
	struct rng r = { mix64(seed ^ 0x70726f63ULL) };

	p->heap_base = 0x0000550000000000ULL | ((rng_next(&r) & 0xffffff) << 16);
	p->lib_base = 0x00007f0000000000ULL | ((rng_next(&r) & 0xffffff) << 16);
	p->stack_base = 0x00007ffc00000000ULL | ((rng_next(&r) & 0xffff) << 16);
	p->tcache_key = rng_next(&r);
}

/* ---- text: prose and log lines ---------------------------------------- */

static const char *const common_words[] = {
	"the", "of", "and", "to", "a", "in", "is", "that", "for", "it",
	"as", "was", "with", "be", "by", "on", "not", "he", "this", "are",
	"or", "his", "from", "at", "which", "but", "have", "an", "had", "they",
	"you", "were", "their", "one", "all", "we", "can", "her", "has", "there",
	"been", "if", "more", "when", "will", "would", "who", "so", "no", "she",
	"other", "its", "may", "these", "about", "what", "time", "into", "only", "some",
	"them", "could", "new", "than", "first", "two", "then", "do", "any", "like",
	"my", "now", "over", "such", "our", "man", "me", "even", "most", "made",
	"after", "also", "did", "many", "before", "must", "through", "back", "years", "where",
	"much", "your", "way", "well", "down", "should", "because", "each", "just", "those",
	"people", "how", "too", "little", "state", "good", "very", "make", "world", "still",
	"own", "see", "men", "work", "long", "get", "here", "between", "both", "life",
	"being", "under", "never", "day", "same", "another", "know", "while", "last", "might",
	"us", "great", "old", "year", "off", "come", "since", "against", "go", "came",
	"right", "used", "take", "three", "system", "memory", "page", "process", "file", "data",
	"number", "value", "error", "request", "server", "user", "level", "table", "list", "order",
};

static const char *const syllables[] = {
	"ar", "ba", "con", "de", "en", "for", "ga", "hi", "in", "ju",
	"ka", "lo", "men", "no", "or", "per", "qui", "re", "sta", "ter",
	"un", "ver", "wa", "xi", "yo", "ze", "tion", "ment", "al", "ly",
	"ing", "ed", "ous", "ble", "pro", "com", "ex", "pre", "sub", "trans",
};

#define NR_COMMON	(sizeof(common_words) / sizeof(common_words[0]))
#define NR_SYLLABLES	(sizeof(syllables) / sizeof(syllables[0]))
#define VOCABULARY	4096

/* Word @id of the fixed vocabulary: common words, then made-up ones. */
static void word(uint32_t id, char *buf, size_t len)
{
	struct rng r;
	uint32_t n, i;

	if (id < NR_COMMON) {
		snprintf(buf, len, "%s", common_words[id]);
		return;
	}
	r.s = mix64(id * 0x2545f4914f6cdd1dULL);
	n = 1 + rng_below(&r, 3);
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		strncat(buf, syllables[rng_below(&r, NR_SYLLABLES)], len - strlen(buf) - 1);
}

static void gen_prose(struct out *o, struct rng *r)
{
	unsigned int col = 0, in_sentence = 0, sentence_len = 0;
	char w[32];

	while (!out_full(o)) {
		if (!in_sentence) {
			sentence_len = 5 + rng_below(r, 20);
			in_sentence = 1;
		}
		word(rng_zipf(r, VOCABULARY), w, sizeof(w));
		if (in_sentence == 1)
			w[0] = w[0] >= 'a' && w[0] <= 'z' ? w[0] - 'a' + 'A' : w[0];
		if (col + strlen(w) + 1 > 72) {
			put_byte(o, '\n');
			col = 0;
		} else if (col) {
			put_byte(o, ' ');
			col++;
		}
		put_str(o, w);
		col += strlen(w);
		if (++in_sentence > sentence_len) {
			put_byte(o, '.');
			in_sentence = 0;
			if (rng_chance(r, 200)) {
				put_str(o, "\n\n");
				col = 0;
			}
		} else if (rng_chance(r, 80)) {
			put_byte(o, ',');
		}
	}
}

/*
 * Message @id of a program's fixed set: the same words every time it is
 * logged, with one variable field (a count, a name) at a fixed place.
 */
static void log_message(uint32_t id, struct rng *r, char *msg, size_t len)
{
	struct rng t = { mix64(id * 0x9e3779b97f4a7c15ULL + 0x6c6f67ULL) };
	unsigned int n = 3 + rng_below(&t, 8), var = rng_below(&t, n), i;
	char w[32];

	msg[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i == var && rng_chance(&t, 600))
			snprintf(w, sizeof(w), "%u", rng_zipf(r, 1 << 20));
		else
			word(i == var ? rng_zipf(r, VOCABULARY) : rng_zipf(&t, VOCABULARY),
			     w, sizeof(w));
		strncat(msg, w, len - strlen(msg) - 2);
		strcat(msg, " ");
	}
}

static void gen_log(struct out *o, struct rng *r)
{
	static const char *const daemons[] = {
		"sshd", "systemd", "kernel", "cron", "nginx", "dockerd", "postgres",
	};
	static const char *const levels[] = { "INFO", "WARN", "DEBUG", "ERROR" };
	unsigned int sec = rng_below(r, 86400), ms, i, pid[7];
	char line[256], msg[160];

	for (i = 0; i < 7; i++)
		pid[i] = 300 + rng_below(r, 30000);
	while (!out_full(o)) {
		unsigned int d = rng_zipf(r, 7);

		sec += rng_below(r, 4);
		ms = rng_below(r, 1000);
		log_message(d * 64 + rng_zipf(r, 64), r, msg, sizeof(msg));
		snprintf(line, sizeof(line),
			 "2024-05-%02u %02u:%02u:%02u.%03u host-%02u %s[%u]: %s %sid=%u\n",
			 13 + sec / 86400 % 15, sec / 3600 % 24, sec / 60 % 60, sec % 60, ms,
			 rng_zipf(r, 4), daemons[d], pid[d], levels[rng_zipf(r, 4)], msg,
			 rng_below(r, 100000));
		put_str(o, line);
	}
}

static void gen_text(struct out *o, struct rng *r)
{
	if (rng_chance(r, 600))
		gen_prose(o, r);
	else
		gen_log(o, r);
}

/* ---- heap: malloc chunks of a few struct types ------------------------ */

enum field_type {
	F_HEAP_PTR, F_LIB_PTR, F_SMALL, F_ZERO, F_CONST, F_INTS, F_RAND, F_CHARS,
	F_NR,
};

/* Share of each field type in a struct, in 1/1000. */
static const unsigned int field_permille[F_NR] = {
	[F_HEAP_PTR]	= 280,
	[F_LIB_PTR]	= 50,
	[F_SMALL]	= 200,
	[F_ZERO]	= 170,
	[F_CONST]	= 150,
	[F_INTS]	= 70,
	[F_RAND]	= 40,
	[F_CHARS]	= 40,
};

#define MAX_FIELDS	12

struct layout {
	unsigned int	nr_fields;
	unsigned char	type[MAX_FIELDS];
	uint64_t	konst[MAX_FIELDS];	/* F_CONST values: tags, vtables */
};

static enum field_type pick_field(struct rng *r)
{
	unsigned int x = rng_below(r, 1000), t;

	for (t = 0; t < F_NR - 1; t++) {
		if (x < field_permille[t])
			return t;
		x -= field_permille[t];
	}
	return F_NR - 1;
}

static void layout_init(struct layout *l, struct rng *r, const struct process *p)
{
	unsigned int i;

	l->nr_fields = 2 + rng_below(r, MAX_FIELDS - 1);
	for (i = 0; i < l->nr_fields; i++) {
		l->type[i] = pick_field(r);
		/* A vtable or ops pointer, else a tag, a refcount or a flag set. */
		l->konst[i] = rng_chance(r, 400) ?
			p->lib_base + ((uint64_t)rng_below(r, 1 << 20) << 3) :
			rng_zipf(r, 1 << 16);
	}
}

static uint64_t heap_ptr(struct rng *r, const struct process *p, uint64_t here)
{
	/* Most pointers point near their object (lists, trees, arrays). */
	if (rng_chance(r, 600))
		return (here & ~0xfULL) + 16 * ((int64_t)rng_below(r, 8192) - 4096);
	return p->heap_base + ((uint64_t)rng_below(r, 1 << 20) << 4);
}

static void put_field(struct out *o, struct rng *r, const struct process *p,
		      const struct layout *l, unsigned int i, uint64_t here)
{
	char w[32];

	switch (l->type[i]) {
	case F_HEAP_PTR:
		put_u64(o, rng_chance(r, 100) ? 0 : heap_ptr(r, p, here));
		break;
	case F_LIB_PTR:
		put_u64(o, p->lib_base + ((uint64_t)rng_below(r, 1 << 21) << 3));
		break;
	case F_SMALL:
		put_u64(o, rng_zipf(r, 1000));
		break;
	case F_ZERO:
		put_u64(o, 0);
		break;
	case F_CONST:
		put_u64(o, l->konst[i]);
		break;
	case F_INTS:
		put_u32(o, rng_zipf(r, 256));
		put_u32(o, rng_zipf(r, 65536));
		break;
	case F_RAND:
		put_u64(o, rng_next(r));
		break;
	default:
		memset(w, 0, sizeof(w));
		word(rng_zipf(r, VOCABULARY), w, sizeof(w));
		put_bytes(o, w, 8);
		break;
	}
}

/* Chunks as glibc lays them out: a size word with PREV_INUSE, the payload. */
static void gen_chunks(struct out *o, struct rng *r, const struct process *p,
		       uint64_t page_addr)
{
	struct layout types[3];
	unsigned int nr_types = 1 + rng_zipf(r, 3), i;

	for (i = 0; i < nr_types; i++)
		layout_init(&types[i], r, p);
	while (!out_full(o)) {
		const struct layout *l = &types[rng_zipf(r, nr_types)];
		uint64_t here = page_addr + o->pos;
		uint64_t size = (8 * (l->nr_fields + 1) + 15) & ~15ULL;
		unsigned int words = size / 8 - 1;

		put_u64(o, size | 1);
		if (rng_chance(r, 120)) {
			/* A tcache-freed chunk: next pointer and key, stale rest. */
			put_u64(o, heap_ptr(r, p, here));
			put_u64(o, p->tcache_key);
			i = 2;
		} else {
			i = 0;
		}
		for (; i < words; i++) {
			if (i < l->nr_fields)
				put_field(o, r, p, l, i, here);
			else
				put_u64(o, 0);	/* alignment padding */
		}
	}
}

/* An int array (counters, indices) or an array of pointers to objects. */
static void gen_array(struct out *o, struct rng *r, const struct process *p,
		      uint64_t page_addr)
{
	if (rng_chance(r, 500)) {
		uint32_t v = rng_zipf(r, 100000);

		while (!out_full(o)) {
			v += rng_zipf(r, 64) - 8;
			put_u32(o, v);
		}
	} else {
		uint64_t a = heap_ptr(r, p, page_addr);
		unsigned int stride = 16 << rng_below(r, 4);

		while (!out_full(o)) {
			a += rng_chance(r, 800) ? stride : 16 * rng_below(r, 256);
			put_u64(o, rng_chance(r, 50) ? 0 : a);
		}
	}
}

/* A stack page: frames of return addresses, saved registers, locals. */
static void gen_stack(struct out *o, struct rng *r, const struct process *p)
{
	uint64_t fp = p->stack_base - 4096 * rng_below(r, 64);

	while (!out_full(o)) {
		unsigned int locals = rng_below(r, 10), i;

		for (i = 0; i < locals; i++)
			put_u64(o, rng_chance(r, 400) ? rng_zipf(r, 4096) :
				   rng_chance(r, 500) ? fp - 8 * rng_below(r, 64) : 0);
		fp -= 8 * (locals + 2);
		put_u64(o, fp);
		put_u64(o, p->lib_base + rng_below(r, 1 << 24));
	}
}

/* Heap pages with a zero part, in 1/1000. */
#define HEAP_SPARSE_PERMILLE	720

static void gen_heap(struct out *o, struct rng *r, const struct process *p,
		     uint64_t index)
{
	uint64_t page_addr = p->heap_base + index * PAGE;
	unsigned int x = rng_below(r, 1000);

	if (x < 750)
		gen_chunks(o, r, p, page_addr);
	else if (x < 920)
		gen_array(o, r, p, page_addr);
	else
		gen_stack(o, r, p);
	/*
	 * Much of a heap is touched only in part: the tail of a large
	 * calloc()ed or freshly grown allocation, a hole after free().
	 */
	if (rng_chance(r, HEAP_SPARSE_PERMILLE)) {
		size_t used = 8 * (1 + rng_below(r, PAGE / 8 - 1));

		if (rng_chance(r, 500))
			memset(o->buf + used, 0, PAGE - used);
		else
			memset(o->buf, 0, used);
	}
}

/* ---- code: x86-64 functions ------------------------------------------- */

/* Registers by how often compilers pick them: rax, rdi, rsi, rdx, ... */
static const unsigned char reg_order[8] = { 0, 7, 6, 2, 3, 1, 5, 4 };

static unsigned int pick_reg(struct rng *r)
{
	return reg_order[rng_zipf(r, 8)];
}

/* A frame slot: [rbp-8], [rbp-16], ... the first few most often. */
static unsigned char frame_disp(struct rng *r)
{
	return 0x100 - 8 * (1 + rng_zipf(r, 12));
}

#define NR_IDIOMS	8
#define IDIOM_MAX	24

/*
 * What one page of code shares: its callees, its data references, and
 * idioms, the instruction sequences its functions repeat (inlined
 * helpers, argument set-up before a call, error checks).
 */
struct text_section {
	uint64_t	pc;			/* address of the page */
	uint64_t	callee[16];
	uint64_t	data[8];
	unsigned char	idiom[NR_IDIOMS][IDIOM_MAX];
	unsigned int	idiom_len[NR_IDIOMS];
};

static void put_rel32_to(struct out *o, const struct text_section *t, uint64_t target,
			 unsigned int insn_len)
{
	put_u32(o, (uint32_t)(target - (t->pc + o->pos + insn_len)));
}

static void put_modrm_insn(struct out *o, unsigned char rex, unsigned char op,
			   unsigned char modrm)
{
	if (rex)
		put_byte(o, rex);
	put_byte(o, op);
	put_byte(o, modrm);
}

/*
 * One instruction, with frequencies after compiled x86-64 code: moves
 * to and from the frame and between registers dominate, then calls,
 * compares and conditional branches, lea, arithmetic, push and pop.
 */
static void put_insn(struct out *o, struct rng *r, const struct text_section *t)
{
	unsigned int x = rng_below(r, 1000);
	unsigned int reg = pick_reg(r), rm = pick_reg(r);

	if (x < 170) {			/* mov r64, [rbp-disp8] */
		put_modrm_insn(o, 0x48, 0x8b, 0x45 | reg << 3);
		put_byte(o, frame_disp(r));
	} else if (x < 270) {		/* mov [rbp-disp8], r64 */
		put_modrm_insn(o, 0x48, 0x89, 0x45 | reg << 3);
		put_byte(o, frame_disp(r));
	} else if (x < 370) {		/* mov r64, r64 */
		put_modrm_insn(o, 0x48, 0x89, 0xc0 | reg << 3 | rm);
	} else if (x < 450) {		/* mov r32, [r64+disp8] (struct field) */
		put_modrm_insn(o, rng_chance(r, 500) ? 0x48 : 0, 0x8b, 0x40 | reg << 3 | rm);
		put_byte(o, 8 * rng_zipf(r, 16));
	} else if (x < 530) {		/* call rel32 */
		put_byte(o, 0xe8);
		put_rel32_to(o, t, t->callee[rng_zipf(r, 16)], 4);
	} else if (x < 600) {		/* test r, r / cmp r, imm8 */
		if (rng_chance(r, 600)) {
			put_modrm_insn(o, rng_chance(r, 500) ? 0x48 : 0, 0x85,
				       0xc0 | reg << 3 | reg);
		} else {
			put_modrm_insn(o, 0x48, 0x83, 0xf8 | reg);
			put_byte(o, rng_zipf(r, 32));
		}
	} else if (x < 690) {		/* jcc rel8, sometimes rel32 */
		static const unsigned char cc[] = { 0x4, 0x5, 0xe, 0xf, 0xc, 0xd, 0x2, 0x3 };

		if (rng_chance(r, 850)) {
			put_byte(o, 0x70 | cc[rng_zipf(r, 8)]);
			put_byte(o, 2 + rng_zipf(r, 96));
		} else {
			put_byte(o, 0x0f);
			put_byte(o, 0x80 | cc[rng_zipf(r, 8)]);
			put_u32(o, 0x80 + rng_zipf(r, 2048));
		}
	} else if (x < 750) {		/* lea r64, [rip+disp32] */
		put_modrm_insn(o, 0x48, 0x8d, 0x05 | reg << 3);
		put_rel32_to(o, t, t->data[rng_zipf(r, 8)] + 8 * rng_zipf(r, 64), 4);
	} else if (x < 800) {		/* mov r32, imm32 */
		put_byte(o, 0xb8 | reg);
		put_u32(o, rng_zipf(r, 4096));
	} else if (x < 850) {		/* add/sub r64, imm8 */
		put_modrm_insn(o, 0x48, 0x83, (rng_chance(r, 500) ? 0xc0 : 0xe8) | reg);
		put_byte(o, 8 * rng_zipf(r, 8));
	} else if (x < 900) {		/* push/pop */
		put_byte(o, (rng_chance(r, 500) ? 0x50 : 0x58) | reg);
	} else if (x < 940) {		/* xor r32, r32 */
		put_modrm_insn(o, 0, 0x31, 0xc0 | reg << 3 | reg);
	} else if (x < 970) {		/* jmp rel8 */
		put_byte(o, 0xeb);
		put_byte(o, 2 + rng_zipf(r, 120));
	} else {			/* movzx r32, byte [rbp-disp8] */
		put_modrm_insn(o, 0x0f, 0xb6, 0x45 | reg << 3);
		put_byte(o, frame_disp(r));
	}
}

/* Instructions that start an idiom, in 1/1000. */
#define CODE_IDIOM_PERMILLE	120

static void gen_code(struct out *o, struct rng *r, const struct process *p,
		     uint64_t index)
{
	static const unsigned char prologue[] = {
		0xf3, 0x0f, 0x1e, 0xfa,		/* endbr64 */
		0x55,				/* push rbp */
		0x48, 0x89, 0xe5,		/* mov rbp, rsp */
	};
	static const unsigned char nopw[] = { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	struct text_section t;
	unsigned int i;

	t.pc = p->lib_base + index * PAGE;
	for (i = 0; i < 16; i++)
		t.callee[i] = t.pc + 16 * ((int64_t)rng_below(r, 1 << 16) - (1 << 15));
	for (i = 0; i < 8; i++)
		t.data[i] = t.pc + (1 << 21) + 8 * rng_below(r, 1 << 16);
	for (i = 0; i < NR_IDIOMS; i++) {
		struct out seq = { .pos = 0 };

		while (seq.pos < IDIOM_MAX - 8)
			put_insn(&seq, r, &t);
		t.idiom_len[i] = seq.pos;
		memcpy(t.idiom[i], seq.buf, seq.pos);
	}

	while (!out_full(o)) {
		unsigned int n = 8 + rng_zipf(r, 120), saved = rng_below(r, 4);

		put_bytes(o, prologue, sizeof(prologue));
		for (i = 0; i < saved; i++) {
			put_byte(o, 0x41);
			put_byte(o, 0x54 + i);	/* push r12.. */
		}
		put_modrm_insn(o, 0x48, 0x83, 0xec);
		put_byte(o, 8 * (1 + rng_below(r, 8)));	/* sub rsp, imm8 */
		for (i = 0; i < n && !out_full(o); i++) {
			if (rng_chance(r, CODE_IDIOM_PERMILLE)) {
				unsigned int k = rng_zipf(r, NR_IDIOMS);

				put_bytes(o, t.idiom[k], t.idiom_len[k]);
			} else {
				put_insn(o, r, &t);
			}
		}
		while (saved--) {
			put_byte(o, 0x41);
			put_byte(o, 0x5c + saved);	/* pop r12.. */
		}
		put_byte(o, 0xc9);	/* leave */
		put_byte(o, 0xc3);	/* ret */
		/* Pad to 16 bytes, with int3 or nops. */
		while (o->pos % 16) {
			if (rng_chance(r, 500) && 16 - o->pos % 16 >= sizeof(nopw))
				put_bytes(o, nopw, sizeof(nopw));
			else
				put_byte(o, rng_chance(r, 500) ? 0xcc : 0x90);
		}
	}
}

/* ---- the page generator --------------------------------------------- */

static unsigned int mix_total(const struct corpus_mix *mix)
{
	unsigned int total = 0, k;

	for (k = 0; k < CORPUS_FILE; k++)
		total += mix->permille[k];
	return total;
}

static enum corpus_kind pick_kind(struct rng *r, const struct corpus_mix *mix)
{
	unsigned int x = rng_below(r, mix_total(mix)), k;

	for (k = 0; k < CORPUS_FILE; k++) {
		if (x < mix->permille[k])
			return k;
		x -= mix->permille[k];
	}
	return CORPUS_RANDOM;
}

static void fill_same(unsigned char *page, struct rng *r)
{
	uint64_t v;
	size_t i;

	switch (rng_below(r, 4)) {
	case 0:
	case 1:
		v = ~0ULL;
		break;
	case 2:
		v = 0x0101010101010101ULL * (1 + rng_below(r, 255));
		break;
	default:
		v = rng_next(r) | 1;
		break;
	}
	for (i = 0; i < PAGE; i += 8)
		memcpy(page + i, &v, 8);
}

enum corpus_kind corpus_gen_page(uint64_t seed, uint64_t index,
				 const struct corpus_mix *mix, void *page)
{
	struct rng r = { mix64(seed) ^ mix64(index + 0x51ed270b27ULL) };
	enum corpus_kind kind;
	struct process p;
	struct out o;
	size_t i;

	if (!mix || !mix_total(mix))
		mix = &corpus_default_mix;
	kind = pick_kind(&r, mix);
	switch (kind) {
	case CORPUS_ZERO:
		memset(page, 0, PAGE);
		return kind;
	case CORPUS_SAME:
		fill_same(page, &r);
		return kind;
	case CORPUS_RANDOM:
		for (i = 0; i < PAGE; i += 8) {
			uint64_t v = rng_next(&r);

			memcpy((unsigned char *)page + i, &v, 8);
		}
		return kind;
	default:
		break;
	}

	/* Text, heap and code build in a buffer with slack, then cut. */
	process_init(&p, seed);
	o.pos = 0;
	if (kind == CORPUS_TEXT)
		gen_text(&o, &r);
	else if (kind == CORPUS_HEAP)
		gen_heap(&o, &r, &p, index);
	else
		gen_code(&o, &r, &p, index);
	memcpy(page, o.buf, PAGE);
	/* A sparse heap page can come out all zero: say what it is. */
	return corpus_classify(page, kind);
}

enum corpus_kind corpus_classify(const void *page, enum corpus_kind other)
{
	const unsigned char *p = page;
	uint64_t first, v;
	size_t i;

	memcpy(&first, p, 8);
	for (i = 8; i < PAGE; i += 8) {
		memcpy(&v, p + i, 8);
		if (v != first)
			return other;
	}
	return first ? CORPUS_SAME : CORPUS_ZERO;
}

/* Make room for @nr more pages. */
static int corpus_grow(struct corpus *c, unsigned long nr)
{
	unsigned long need = c->nr_pages + nr;
	unsigned long cap = c->capacity ? 2 * c->capacity : 64;
	unsigned char *data, *kinds;

	if (need <= c->capacity)
		return 0;
	if (cap < need)
		cap = need;
	data = realloc(c->data, cap * PAGE);
	if (!data)
		return -ENOMEM;
	c->data = data;
	kinds = realloc(c->kinds, cap);
	if (!kinds)
		return -ENOMEM;
	c->kinds = kinds;
	c->capacity = cap;
	return 0;
}

int corpus_generate(struct corpus *c, uint64_t seed, unsigned long nr_pages,
		    const struct corpus_mix *mix)
{
	unsigned long i;
	int ret;

	memset(c, 0, sizeof(*c));
	if (!nr_pages || (mix && !mix_total(mix)))
		return -EINVAL;
	ret = corpus_grow(c, nr_pages);
	if (ret) {
		corpus_release(c);
		return ret;
	}
	for (i = 0; i < nr_pages; i++)
		c->kinds[i] = corpus_gen_page(seed, i, mix, c->data + i * PAGE);
	c->nr_pages = nr_pages;
	return 0;
}

struct load {
	struct corpus		*c;
	enum corpus_tail	tail;
	unsigned long		max_pages;	/* 0: no limit */
	char			*err;
	size_t			errlen;
};

#define MAX_DEPTH	32

static bool load_full(const struct load *l)
{
	return l->max_pages && l->c->nr_pages >= l->max_pages;
}

static int load_error(struct load *l, const char *path, int err)
{
	const char *why = err == -ENODATA ? "no page to read (no regular file, or empty ones)" :
			  strerror(-err);

	if (l->err && l->errlen)
		snprintf(l->err, l->errlen, "%s: %s", path, why);
	return err;
}

/* Append one page of @len bytes at the end of the corpus. */
static int add_page(struct load *l, const unsigned char *buf, size_t len)
{
	struct corpus *c = l->c;
	unsigned char *page;
	int ret;

	ret = corpus_grow(c, 1);
	if (ret)
		return ret;
	page = c->data + c->nr_pages * PAGE;
	memcpy(page, buf, len);
	memset(page + len, 0, PAGE - len);
	c->kinds[c->nr_pages++] = corpus_classify(page, CORPUS_FILE);
	return 0;
}

/* read() until @len bytes or end of file; bytes read or -errno. */
static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		done += n;
	}
	return done;
}

static int load_file(struct load *l, const char *path)
{
	unsigned char buf[PAGE];
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return load_error(l, path, -errno);
	l->c->nr_files++;
	while (!load_full(l)) {
		n = read_full(fd, buf, PAGE);
		if (n < 0) {
			ret = load_error(l, path, n);
			break;
		}
		if (!n || (n < (ssize_t)PAGE && l->tail == CORPUS_TAIL_SKIP))
			break;
		ret = add_page(l, buf, n);
		if (ret) {
			load_error(l, path, ret);
			break;
		}
		if (n < (ssize_t)PAGE)
			break;
	}
	close(fd);
	return ret;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

static int load_path(struct load *l, const char *path, unsigned int depth);

static int load_child(struct load *l, const char *dir, const char *name,
		      unsigned int depth)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *child = malloc(len);
	int ret;

	if (!child)
		return load_error(l, dir, -ENOMEM);
	snprintf(child, len, "%s/%s", dir, name);
	ret = load_path(l, child, depth);
	free(child);
	return ret;
}

static int load_dir(struct load *l, const char *path, unsigned int depth)
{
	struct dirent **names;
	int nr, i, ret = 0;

	if (depth >= MAX_DEPTH)
		return load_error(l, path, -ELOOP);
	nr = scandir(path, &names, not_dots, name_cmp);
	if (nr < 0)
		return load_error(l, path, -errno);
	for (i = 0; i < nr; i++) {
		if (!ret && !load_full(l))
			ret = load_child(l, path, names[i]->d_name, depth + 1);
		free(names[i]);
	}
	free(names);
	return ret;
}

static int load_path(struct load *l, const char *path, unsigned int depth)
{
	struct stat st;

	if (stat(path, &st))
		return load_error(l, path, -errno);
	if (S_ISDIR(st.st_mode))
		return load_dir(l, path, depth);
	if (S_ISREG(st.st_mode))
		return load_file(l, path);
	return 0;	/* devices, fifos, sockets: not corpus material */
}

int corpus_load(struct corpus *c, const char *path, enum corpus_tail tail,
		unsigned long max_pages, char *err, size_t errlen)
{
	struct load l = {
		.c = c, .tail = tail, .max_pages = max_pages,
		.err = err, .errlen = errlen,
	};
	int ret;

	memset(c, 0, sizeof(*c));
	if (err && errlen)
		err[0] = '\0';
	ret = load_path(&l, path, 0);
	if (!ret && !c->nr_pages)
		ret = load_error(&l, path, -ENODATA);
	if (ret)
		corpus_release(c);
	return ret;
}

void corpus_count_kinds(const struct corpus *c, unsigned long *counts)
{
	unsigned long i;

	memset(counts, 0, CORPUS_NR_KINDS * sizeof(*counts));
	for (i = 0; i < c->nr_pages; i++)
		counts[c->kinds[i]]++;
}

void corpus_release(struct corpus *c)
{
	free(c->data);
	free(c->kinds);
	memset(c, 0, sizeof(*c));
}
