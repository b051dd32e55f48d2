/*
 * String and memory functions for the freestanding arm64 image. Plain
 * byte loops: the copies on the hypervisor's paths are small, and the
 * trace drain at the end of a run is the only bulk copy.
 */
#include <stdint.h>
#include <string.h>

void *(memcpy)(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (!(((uintptr_t)dp | (uintptr_t)sp | n) & 7)) {
		for (size_t i = 0; i < n; i += 8)
			*(uint64_t *)(void *)(dp + i) =
			    *(const uint64_t *)(const void *)(sp + i);
		return d;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp < sp || dp >= sp + n) {
		while (n--)
			*dp++ = *sp++;
	} else {
		while (n--)
			dp[n] = sp[n];
	}
	return d;
}

void *(memset)(void *d, int c, size_t n)
{
	unsigned char *dp = d;

	if (!c && !(((uintptr_t)dp | n) & 7)) {
		for (size_t i = 0; i < n; i += 8)
			*(uint64_t *)(void *)(dp + i) = 0;
		return d;
	}
	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}
