/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ASan's manual poisoning, for the allocators (the kernel's KASAN hooks in
 * miniature). No-ops unless the build is a sanitizer build.
 */
#ifndef _SHIM_MM_ASAN_H
#define _SHIM_MM_ASAN_H

#include <stddef.h>

#if defined(ZSIM_SANITIZE) && defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#define ZSIM_ASAN 1
#define zsim_asan_poison(addr, size)	ASAN_POISON_MEMORY_REGION((addr), (size))
#define zsim_asan_unpoison(addr, size)	ASAN_UNPOISON_MEMORY_REGION((addr), (size))
/* A leak of this block is the shim's to report, not LeakSanitizer's. */
#define zsim_lsan_ignore(addr)		__lsan_ignore_object(addr)
#else
#define ZSIM_ASAN 0
/* @size is not evaluated: it may be a host allocator lookup. */
#define zsim_asan_poison(addr, size)	((void)(addr), (void)sizeof(size))
#define zsim_asan_unpoison(addr, size)	((void)(addr), (void)sizeof(size))
#define zsim_lsan_ignore(addr)		((void)(addr))
#endif

#endif /* _SHIM_MM_ASAN_H */
