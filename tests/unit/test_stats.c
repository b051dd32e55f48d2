/*
 * Unit tests: latency statistics, exact mode and the outputs
 * (analysis/stats.c, stats_sort.c, stats_hist.c): the nearest-rank
 * definition, hand-computed data sets, empty and invalid input, plot
 * histograms, CDF points, values near 2^64. The streaming collector is
 * tested in test_stats_stream.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "analysis/stats.h"
#include "tests/support/stats_expect.h"

static void test_rank_definition(void **state)
{
	static const unsigned int num[] = {50, 90, 99, 999, 9999};
	static const unsigned int den[] = {100, 100, 100, 1000, 10000};
	static const double p[] = {0.5, 0.9, 0.99, 0.999, 0.9999};

	(void)state;
	/* The p99 checks of the nearest-rank definition, by hand. */
	assert_int_equal(stats_rank(100, 0.99), 99); /* ceil(99) */
	assert_int_equal(stats_rank(101, 0.99), 100); /* ceil(99.99) */
	assert_int_equal(stats_rank(200, 0.99), 198); /* ceil(198) */
	assert_int_equal(stats_rank(1000, 0.999), 999);
	assert_int_equal(stats_rank(10000, 0.9999), 9999);
	assert_int_equal(stats_rank(7, 0), 1);
	assert_int_equal(stats_rank(7, 1), 7);
	assert_int_equal(stats_rank(1, 0.5), 1);
	assert_int_equal(stats_rank(0, 0.5), 0);
	/* Same rank as the integer formula of summary.c, for every n. */
	for (uint64_t n = 1; n <= 200000; n++)
		for (unsigned int j = 0; j < 5; j++)
			assert_int_equal(stats_rank(n, p[j]),
					 (n * num[j] + den[j] - 1) / den[j]);
}

static void check_result(struct stats *s, uint64_t n, uint64_t min,
			 uint64_t max, double mean, double sd, uint64_t p50,
			 uint64_t p90, uint64_t p99, uint64_t p999)
{
	struct stats_result r;

	assert_int_equal(stats_result(s, &r), 0);
	assert_true(r.exact);
	assert_int_equal(r.n, n);
	assert_int_equal(r.min, min);
	assert_int_equal(r.max, max);
	stx_assert_rel(r.mean, mean, 1e-15);
	stx_assert_rel(r.sd, sd, 1e-14);
	assert_int_equal(r.p50, p50);
	assert_int_equal(r.p90, p90);
	assert_int_equal(r.p99, p99);
	assert_int_equal(r.p999, p999);
}

/* 1..n in a scrambled order (a multiplicative permutation). */
static void add_scrambled(struct stats *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(stats_add(s, (i * 37) % n + 1), 0);
}

static void test_exact_small(void **state)
{
	static const uint64_t five[] = {5, 1, 4, 2, 3};
	static const uint64_t ties[] = {7, 7, 1, 7};
	struct stats *s;
	uint64_t v;

	(void)state;
	s = stx_mk(STATS_EXACT, 0, 0);
	assert_int_equal(stats_add_many(s, five, 5), 0);
	/* p50: rank ceil(2.5) = 3; p90: ceil(4.5) = 5; sd = sqrt(10/4). */
	check_result(s, 5, 1, 5, 3, sqrt(2.5), 3, 5, 5, 5);
	assert_int_equal(stats_percentile(s, 0.2, &v), 0); /* rank 1 */
	assert_int_equal(v, 1);
	assert_int_equal(stats_percentile(s, 0.21, &v), 0); /* rank 2 */
	assert_int_equal(v, 2);
	assert_int_equal(stats_percentile(s, 0.0, &v), 0);
	assert_int_equal(v, 1);
	stats_free(s);

	s = stx_mk(STATS_EXACT, 0, 0);
	assert_int_equal(stats_add_many(s, ties, 4), 0);
	check_result(s, 4, 1, 7, 5.5, 3, 7, 7, 7, 7);
	assert_int_equal(stats_percentile(s, 0.25, &v), 0);
	assert_int_equal(v, 1);
	stats_free(s);

	/* 1..100: mean 50.5, sd sqrt(100*101/12) = 29.011491975882016. */
	s = stx_mk(STATS_EXACT, 0, 0);
	add_scrambled(s, 100);
	check_result(s, 100, 1, 100, 50.5, sqrt(841.6666666666666), 50, 90, 99,
		     100);
	stats_free(s);
	s = stx_mk(STATS_EXACT, 0, 0);
	add_scrambled(s, 101);
	check_result(s, 101, 1, 101, 51, sqrt(101 * 102 / 12.0), 51, 91, 100,
		     101);
	stats_free(s);
	s = stx_mk(STATS_EXACT, 0, 0);
	add_scrambled(s, 200);
	check_result(s, 200, 1, 200, 100.5, sqrt(200 * 201 / 12.0), 100, 180,
		     198, 200);
	stats_free(s);
}

static void test_empty_and_invalid(void **state)
{
	struct stats_config bad = {.sub_bits = STATS_SUB_BITS_MAX + 1};
	struct stats_result r;
	struct stats *s = stx_mk(STATS_AUTO, 0, 0);
	struct stats_histogram *h;
	struct stats_cdf_point *pt;
	size_t nr;
	uint64_t v;

	(void)state;
	assert_null(stats_create(&bad));
	bad = (struct stats_config){.mode = 42};
	assert_null(stats_create(&bad));
	assert_int_equal(stats_result(s, &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.max, 0);
	assert_int_equal(r.min, 0);
	assert_int_equal(stats_percentile(s, 0.5, &v), -ENODATA);
	assert_int_equal(stats_histogram(s, 10, 0, 0, &h), -ENODATA);
	assert_int_equal(stats_cdf(s, &pt, &nr), -ENODATA);
	assert_int_equal(stats_add(s, 3), 0);
	assert_int_equal(stats_percentile(s, -0.1, &v), -EINVAL);
	assert_int_equal(stats_percentile(s, 1.1, &v), -EINVAL);
	assert_int_equal(stats_percentile(s, NAN, &v), -EINVAL);
	assert_int_equal(stats_histogram(s, 0, 0, 0, &h), -EINVAL);
	assert_int_equal(stats_histogram(s, 4, 9, 2, &h), -EINVAL);
	assert_int_equal(stats_merge(s, s), -EINVAL);
	stats_free(s);
	stats_free(NULL);
	stats_histogram_free(NULL);
}

static uint64_t hist_total(const struct stats_histogram *h)
{
	uint64_t sum = h->below + h->above;

	for (size_t i = 0; i < h->nbins; i++)
		sum += h->count[i];
	return sum;
}

static void test_histogram(void **state)
{
	struct stats *ex = stx_mk(STATS_EXACT, 0, 0),
		     *st = stx_mk(STATS_STREAM, 0, 0);
	struct stats_histogram *h;

	(void)state;
	for (uint64_t i = 0; i < 10; i++)
		assert_int_equal(stats_add(ex, i), 0);
	assert_int_equal(stats_histogram(ex, 10, 0, 0, &h), 0);
	assert_int_equal(h->lo, 0);
	assert_int_equal(h->hi, 9);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(h->count[i], 1);
		assert_true(h->edge[i] == (double)i);
	}
	assert_true(h->edge[10] == 10.0);
	stats_histogram_free(h);
	/* A sub-range: 0 and 1 below, 8 and 9 above, 2..7 in 3 bins. */
	assert_int_equal(stats_histogram(ex, 3, 2, 7, &h), 0);
	assert_int_equal(h->below, 2);
	assert_int_equal(h->above, 2);
	assert_int_equal(h->count[0], 2);
	assert_int_equal(h->count[1], 2);
	assert_int_equal(h->count[2], 2);
	stats_histogram_free(h);
	stats_free(ex);

	ex = stx_mk(STATS_EXACT, 0, 0);
	for (uint64_t i = 0; i < 200000; i++) {
		uint64_t v = 800 + (i * 7919) % 100003 + (i % 1000 ? 0 : i);

		assert_int_equal(stats_add(ex, v), 0);
		assert_int_equal(stats_add(st, v), 0);
	}
	for (int j = 0; j < 2; j++) {
		struct stats *s = j ? st : ex;

		assert_int_equal(stats_histogram(s, 64, 0, 0, &h), 0);
		assert_int_equal(hist_total(h), 200000);
		assert_int_equal(h->below + h->above, 0);
		stats_histogram_free(h);
		assert_int_equal(stats_histogram(s, 7, 5000, 60000, &h), 0);
		assert_int_equal(hist_total(h), 200000);
		assert_true(h->below > 0 && h->above > 0);
		stats_histogram_free(h);
	}
	stats_free(ex);
	stats_free(st);
}

static void check_cdf(struct stats *s)
{
	struct stats_cdf_point *pt;
	uint64_t n = stats_count(s), max;
	size_t nr;

	assert_int_equal(stats_percentile(s, 1, &max), 0);
	assert_int_equal(stats_cdf(s, &pt, &nr), 0);
	assert_true(nr > 0);
	for (size_t i = 0; i < nr; i++) {
		assert_true(pt[i].frac >= 0 && pt[i].frac <= 1);
		assert_int_equal(pt[i].count_le +
				     (uint64_t)llround(pt[i].ccdf * (double)n),
				 n);
		if (i) {
			assert_true(pt[i].value > pt[i - 1].value);
			assert_true(pt[i].frac >= pt[i - 1].frac);
			assert_true(pt[i].count_le > pt[i - 1].count_le);
		}
	}
	assert_int_equal(pt[nr - 1].value, max);
	assert_true(pt[nr - 1].frac == 1.0);
	assert_true(pt[nr - 1].ccdf == 0.0);
	free(pt);
}

static void test_cdf(void **state)
{
	static const uint64_t small[] = {4, 1, 4, 9};
	struct stats *ex = stx_mk(STATS_EXACT, 0, 0),
		     *st = stx_mk(STATS_STREAM, 0, 0);
	struct stats_cdf_point *pt;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t nr;

	(void)state;
	assert_int_equal(stats_add_many(ex, small, 4), 0);
	assert_int_equal(stats_cdf(ex, &pt, &nr), 0);
	assert_int_equal(nr, 3);
	assert_int_equal(pt[0].value, 1);
	assert_true(pt[0].frac == 0.25);
	assert_int_equal(pt[1].value, 4);
	assert_true(pt[1].frac == 0.75);
	assert_int_equal(pt[2].value, 9);
	assert_true(pt[2].frac == 1.0);
	free(pt);
	stats_free(ex);

	ex = stx_mk(STATS_EXACT, 0, 0);
	gsl_rng_set(rng, 3);
	for (int i = 0; i < 100000; i++) {
		uint64_t v = stx_draw(rng, STX_PARETO);

		assert_int_equal(stats_add(ex, v), 0);
		assert_int_equal(stats_add(st, v), 0);
	}
	check_cdf(ex);
	check_cdf(st);
	/* A streaming point is exact: count_le equals the exact count. */
	assert_int_equal(stats_cdf(st, &pt, &nr), 0);
	for (size_t i = 0; i < nr; i += nr / 17 + 1) {
		uint64_t q;
		double f = (double)pt[i].count_le / 100000.0;

		assert_int_equal(stats_percentile(ex, f, &q), 0);
		assert_true(q <= pt[i].value);
	}
	free(pt);
	stats_free(ex);
	stats_free(st);
	gsl_rng_free(rng);
}

/* Values near 2^64: no overflow in the top bucket, bound still holds. */
static void test_huge_values(void **state)
{
	struct stats *ex = stx_mk(STATS_EXACT, 0, 0),
		     *st = stx_mk(STATS_STREAM, 0, 0);
	struct stats_histogram *h;
	uint64_t x = 1;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		x = x * 6364136223846793005ull + 1;
		assert_int_equal(stats_add(ex, x | (1ull << 63)), 0);
		assert_int_equal(stats_add(st, x | (1ull << 63)), 0);
	}
	assert_int_equal(stats_add(ex, UINT64_MAX), 0);
	assert_int_equal(stats_add(st, UINT64_MAX), 0);
	assert_int_equal(stats_add(ex, 0), 0);
	assert_int_equal(stats_add(st, 0), 0);
	for (size_t j = 0; j < stx_nr_grid; j++) {
		uint64_t a, b;

		assert_int_equal(stats_percentile(st, stx_grid[j], &a), 0);
		assert_int_equal(stats_percentile(ex, stx_grid[j], &b), 0);
		stx_assert_bound(a, b, STATS_SUB_BITS_DEFAULT);
	}
	assert_int_equal(stats_histogram(st, 16, 0, 0, &h), 0);
	assert_int_equal(hist_total(h), 5002);
	stats_histogram_free(h);
	assert_int_equal(stats_histogram(ex, 16, 0, 0, &h), 0);
	assert_int_equal(hist_total(h), 5002);
	stats_histogram_free(h);
	stats_free(ex);
	stats_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rank_definition),
	    cmocka_unit_test(test_exact_small),
	    cmocka_unit_test(test_empty_and_invalid),
	    cmocka_unit_test(test_histogram),
	    cmocka_unit_test(test_cdf),
	    cmocka_unit_test(test_huge_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
