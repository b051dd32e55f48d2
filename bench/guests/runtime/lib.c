/*
 * The two functions GCC may call on its own even in freestanding code
 * (structure copies and clears). Byte loops: the MMU is off, so memory
 * is Device-nGnRnE and wide or unaligned tricks buy nothing; the build
 * passes -fno-tree-loop-distribute-patterns so these loops are not
 * turned back into calls to themselves.
 */
#include "rt.h"

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}
