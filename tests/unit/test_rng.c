/* The sim's one random generator: seeded, reproducible, unbiased. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "hv-core/arch/sim/rng.h"

static void test_rng_is_seeded_and_bounded(void **state)
{
	struct rng a, b, c;
	int differ = 0;

	(void)state;
	rng_seed(&a, 42);
	rng_seed(&b, 42);
	rng_seed(&c, 43);
	for (int i = 0; i < 1000; i++) {
		uint64_t x = rng_next(&a);

		assert_int_equal(x, rng_next(&b));
		differ += x != rng_next(&c);
		int64_t v = rng_range(&a, -5, 5);

		assert_true(v >= -5 && v <= 5);
		rng_range(&b, -5, 5);
		double u = rng_unit(&a);

		assert_true(u >= 0.0 && u < 1.0);
		rng_unit(&b);
	}
	assert_true(differ > 990);
	assert_int_equal(rng_range(&a, 7, 7), 7);
}

static void test_rng_range_is_uniform(void **state)
{
	struct rng r;
	unsigned int hist[10] = { 0 };

	(void)state;
	rng_seed(&r, 1);
	for (int i = 0; i < 100000; i++)
		hist[rng_range(&r, 0, 9)]++;
	/* Each bucket expects 10,000; 5 sigma is about 475. */
	for (int i = 0; i < 10; i++)
		assert_true(hist[i] > 9500 && hist[i] < 10500);
}

static void test_rng_normal_moments(void **state)
{
	struct rng r;
	double sum = 0, sq = 0;
	const int n = 200000;

	(void)state;
	rng_seed(&r, 5);
	for (int i = 0; i < n; i++) {
		double x = rng_normal(&r);

		sum += x;
		sq += x * x;
	}
	/* mean 0 +- 5 sigma/sqrt(n), variance 1 within 2% */
	assert_true(fabs(sum / n) < 5.0 / sqrt(n));
	assert_true(fabs(sq / n - 1.0) < 0.02);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng_is_seeded_and_bounded),
		cmocka_unit_test(test_rng_range_is_uniform),
		cmocka_unit_test(test_rng_normal_moments),
	};

	return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
