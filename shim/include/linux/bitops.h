/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bit operations (<linux/bitops.h>, <asm/bitops.h>, lib/find_bit.c).
 *
 * The atomic forms (set_bit, test_and_set_bit, ...) are real atomic RMW
 * operations with the kernel's ordering (test_and_* fully ordered, *_lock
 * acquire, *_unlock release). Like atomic_t operations (<linux/atomic.h>)
 * each begins with sched_point(): flag bits and bit locks synchronise
 * tasks, so the controlled backend must be able to interleave another
 * task at each of them. The non-atomic __set_bit() family and test_bit()
 * are not scheduling points (the former are for words nobody else writes
 * concurrently; test_bit() is a plain load, as READ_ONCE() is).
 *
 * The sched_point() declaration is repeated here rather than taken from
 * <sim/sched.h>, which needs <linux/sched.h>, which needs this header.
 */
#ifndef _SHIM_LINUX_BITOPS_H
#define _SHIM_LINUX_BITOPS_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>

void sched_point(void);

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	sched_point();
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	sched_point();
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void change_bit(long nr, volatile unsigned long *addr)
{
	sched_point();
	__atomic_fetch_xor(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	sched_point();
	return __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static inline bool test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	sched_point();
	return __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static inline bool test_and_change_bit(long nr, volatile unsigned long *addr)
{
	sched_point();
	return __atomic_fetch_xor(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static inline bool test_and_set_bit_lock(long nr, volatile unsigned long *addr)
{
	sched_point();
	return __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_ACQUIRE) & BIT_MASK(nr);
}

static inline void clear_bit_unlock(long nr, volatile unsigned long *addr)
{
	sched_point();
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_RELEASE);
}

/*
 * Release-store of the whole word with bit @nr cleared: only for a lock
 * holder, when no other bit of the word can change concurrently (as in
 * the kernel). Still a scheduling point: it is an unlock.
 */
static inline void __clear_bit_unlock(long nr, volatile unsigned long *addr)
{
	unsigned long old;

	sched_point();
	old = __atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED);
	__atomic_store_n(&addr[BIT_WORD(nr)], old & ~BIT_MASK(nr), __ATOMIC_RELEASE);
}

static inline void __set_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline bool __test_and_set_bit(long nr, volatile unsigned long *addr)
{
	bool old = addr[BIT_WORD(nr)] & BIT_MASK(nr);

	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
	return old;
}

static inline bool __test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	bool old = addr[BIT_WORD(nr)] & BIT_MASK(nr);

	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
	return old;
}

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return 1UL & (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED) >> (nr & (BITS_PER_LONG - 1)));
}

static inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}

static inline unsigned long __fls(unsigned long word)
{
	return BITS_PER_LONG - 1 - __builtin_clzl(word);
}

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/* ffs() comes from glibc's <strings.h>, with the kernel's meaning. */
#include <strings.h>

static inline unsigned int hweight32(unsigned int w)
{
	return __builtin_popcount(w);
}

static inline unsigned long hweight64(u64 w)
{
	return __builtin_popcountll(w);
}

static inline unsigned long hweight_long(unsigned long w)
{
	return __builtin_popcountl(w);
}

/* First set (or clear) bit at or after @offset, @size if none. */
static inline unsigned long _find_next_bit(const unsigned long *addr, unsigned long size,
					   unsigned long offset, unsigned long invert)
{
	unsigned long word;

	if (offset >= size)
		return size;
	word = (READ_ONCE(addr[BIT_WORD(offset)]) ^ invert) & (~0UL << (offset % BITS_PER_LONG));
	offset &= ~(unsigned long)(BITS_PER_LONG - 1);
	while (!word) {
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		word = READ_ONCE(addr[BIT_WORD(offset)]) ^ invert;
	}
	offset += __ffs(word);
	return offset < size ? offset : size;
}

static inline unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
					  unsigned long offset)
{
	return _find_next_bit(addr, size, offset, 0UL);
}

static inline unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
					       unsigned long offset)
{
	return _find_next_bit(addr, size, offset, ~0UL);
}

static inline unsigned long find_first_bit(const unsigned long *addr, unsigned long size)
{
	return find_next_bit(addr, size, 0);
}

static inline unsigned long find_first_zero_bit(const unsigned long *addr, unsigned long size)
{
	return find_next_zero_bit(addr, size, 0);
}

#define for_each_set_bit(bit, addr, size)				\
	for ((bit) = find_first_bit((addr), (size));			\
	     (bit) < (size);						\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

#define for_each_clear_bit(bit, addr, size)				\
	for ((bit) = find_first_zero_bit((addr), (size));		\
	     (bit) < (size);						\
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

static inline unsigned long bitmap_weight(const unsigned long *src, unsigned int nbits)
{
	unsigned long w = 0;
	unsigned int k;

	for (k = 0; k < nbits / BITS_PER_LONG; k++)
		w += hweight_long(src[k]);
	if (nbits % BITS_PER_LONG)
		w += hweight_long(src[k] & (~0UL >> (BITS_PER_LONG - nbits % BITS_PER_LONG)));
	return w;
}

static inline int ilog2_ul(unsigned long n)
{
	return (int)__fls(n);
}

#endif /* _SHIM_LINUX_BITOPS_H */
