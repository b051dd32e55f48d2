/*
 * The arm64 hypervisor's own C library (hv-core/arch/arm64/lib/), built
 * for the host under other names (hvl_*, see the Makefile) so that it
 * can be checked against glibc: vsnprintf's conversions and truncation,
 * and the heap's alignment, disjointness, coalescing and limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hvl_snprintf(char *buf, size_t size, const char *fmt, ...);
void hvl_heap_init(void *start, size_t len);
void *hvl_malloc(size_t n);
void *hvl_calloc(size_t nmemb, size_t size);
void *hvl_realloc(void *p, size_t n);
void *hvl_aligned_alloc(size_t align, size_t size);
void hvl_free(void *p);

#define SAME(...)                                                    \
	do {                                                         \
		char a_[128], b_[128];                               \
		int na_ = hvl_snprintf(a_, sizeof(a_), __VA_ARGS__); \
		int nb_ = snprintf(b_, sizeof(b_), __VA_ARGS__);     \
		assert_string_equal(a_, b_);                         \
		assert_int_equal(na_, nb_);                          \
	} while (0)

static void test_format_matches_libc(void **state)
{
	(void)state;
	SAME("plain");
	SAME("%d %d %d", 0, -1, 2147483647);
	SAME("%i %u %x %X", -2147483647 - 1, 4294967295u, 0xbeefu, 0xbeefu);
	SAME("%ld %lu %lx", -9223372036854775807l - 1, 18446744073709551615ul,
	     0x123456789abcdeful);
	SAME("%lld %llu %zu", 42ll, 42ull, (size_t)42);
	SAME("%#x %#lx %#x", 0x1fu, 0x40000000ul, 0u);
	SAME("[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
	SAME("[%8s] [%-8s] [%s]", "ab", "ab", "");
	SAME("%c%c %%", 'o', 'k');
	SAME("(d%u) %s\n", 3u, "a guest's line");
	SAME("%016lx", 0xfedcba98ul);
}

static void test_format_truncates(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(hvl_snprintf(buf, sizeof(buf), "%s", "0123456789"),
			 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(hvl_snprintf(buf, 1, "%d", 12345), 5);
	assert_string_equal(buf, "");
	assert_int_equal(hvl_snprintf(NULL, 0, "%lu", 1234ul), 4);
	hvl_snprintf(buf, sizeof(buf), "%s", (const char *)NULL);
	assert_string_equal(buf, "(null)");
}

static unsigned char arena[1 << 20] __attribute__((aligned(16)));

static void test_heap_blocks_are_aligned_and_disjoint(void **state)
{
	unsigned char *p[64];

	(void)state;
	hvl_heap_init(arena, sizeof(arena));
	for (unsigned int i = 0; i < 64; i++) {
		size_t n = 1 + i * 37;

		p[i] = hvl_malloc(n);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_true(p[i] >= arena && p[i] + n <= arena + sizeof(arena));
		memset(p[i], i, n);
	}
	for (unsigned int i = 0; i < 64; i++)
		for (size_t k = 0; k < 1 + i * 37; k++)
			assert_int_equal(p[i][k], i);
	for (unsigned int i = 0; i < 64; i += 2)
		hvl_free(p[i]);
	for (unsigned int i = 1; i < 64; i += 2)
		hvl_free(p[i]);
	/* everything coalesced back: one block of nearly the whole arena */
	p[0] = hvl_malloc(sizeof(arena) - 64);
	assert_non_null(p[0]);
	hvl_free(p[0]);
}

static void test_heap_limits(void **state)
{
	void *a, *b;

	(void)state;
	hvl_heap_init(arena, sizeof(arena));
	assert_null(hvl_malloc(sizeof(arena)));
	assert_null(hvl_malloc(SIZE_MAX));
	assert_null(hvl_calloc(SIZE_MAX / 2, 4));
	a = hvl_malloc(sizeof(arena) / 2);
	assert_non_null(a);
	assert_null(hvl_malloc(sizeof(arena) / 2));
	hvl_free(a);
	hvl_free(NULL);
	b = hvl_calloc(1000, 8);
	assert_non_null(b);
	for (unsigned int i = 0; i < 8000; i++)
		assert_int_equal(((unsigned char *)b)[i], 0);
	hvl_free(b);
}

static void test_heap_aligned_and_realloc(void **state)
{
	unsigned char *a, *r;

	(void)state;
	hvl_heap_init(arena, sizeof(arena));
	for (size_t align = 32; align <= 8192; align *= 2) {
		a = hvl_aligned_alloc(align, 100);
		assert_non_null(a);
		assert_int_equal((uintptr_t)a % align, 0);
		hvl_free(a);
	}
	assert_null(hvl_aligned_alloc(48, 100)); /* not a power of two */
	r = hvl_malloc(10);
	memcpy(r, "0123456789", 10);
	r = hvl_realloc(r, 5000);
	assert_non_null(r);
	assert_memory_equal(r, "0123456789", 10);
	hvl_free(r);
	a = hvl_malloc(sizeof(arena) - 64); /* all of it came back */
	assert_non_null(a);
	hvl_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_matches_libc),
	    cmocka_unit_test(test_format_truncates),
	    cmocka_unit_test(test_heap_blocks_are_aligned_and_disjoint),
	    cmocka_unit_test(test_heap_limits),
	    cmocka_unit_test(test_heap_aligned_and_realloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
