/*
 * Unit tests: the streaming and auto collectors (analysis/stats.c).
 *
 * Streaming results are checked against the exact collector fed the same
 * seeded samples, with the bound 0 <= reported - exact < 2^-k * exact
 * proved in stats.c; mean and sd against integer sums, GSL's
 * gsl_stats_mean/gsl_stats_sd and gsl_rstat. Memory must not grow; merge
 * must equal feeding one collector.
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
#include <gsl/gsl_rstat.h>
#include <gsl/gsl_statistics_double.h>

#include "analysis/stats.h"
#include "analysis/stats_private.h"
#include "tests/support/stats_expect.h"

#define BIG 1000000

/* Every bucket's low and high map back to it; the layout is monotone. */
static void test_bucket_layout(void **state)
{
	(void)state;
	for (unsigned int k = STATS_SUB_BITS_MIN; k <= STATS_SUB_BITS_MAX;
	     k++) {
		size_t nb = stats_nr_buckets(k);

		for (size_t i = 0; i < nb; i++) {
			uint64_t lo = stats_bucket_low(i, k);
			uint64_t hi = stats_bucket_high(i, k);

			assert_int_equal(stats_bucket_index(lo, k), i);
			assert_int_equal(stats_bucket_index(hi, k), i);
			if (i + 1 < nb)
				assert_int_equal(stats_bucket_low(i + 1, k),
						 hi + 1);
			/* Width <= 2^-k of the low edge above 2^(k+1). */
			if (lo >= (uint64_t)2 << k)
				assert_true(hi - lo < lo >> k);
		}
		assert_int_equal(stats_bucket_low(0, k), 0);
		assert_true(stats_bucket_high(nb - 1, k) == UINT64_MAX);
	}
}

/* Return: how many grid percentiles differ (0 would be a vacuous test). */
static int compare_stream_exact(struct stats *st, struct stats *ex,
				unsigned int k)
{
	struct stats_result rs, re;
	int differ = 0;
	uint64_t a, b;

	assert_int_equal(stats_result(st, &rs), 0);
	assert_int_equal(stats_result(ex, &re), 0);
	assert_false(rs.exact);
	assert_true(re.exact);
	assert_true(rs.rel_error == ldexp(1, -(int)k));
	assert_int_equal(rs.n, re.n);
	assert_int_equal(rs.min, re.min);
	assert_int_equal(rs.max, re.max);
	stx_assert_rel(rs.mean, re.mean, 1e-9);
	stx_assert_rel(rs.sd, re.sd, 1e-9);
	stx_assert_bound(rs.p50, re.p50, k);
	stx_assert_bound(rs.p90, re.p90, k);
	stx_assert_bound(rs.p99, re.p99, k);
	stx_assert_bound(rs.p999, re.p999, k);
	stx_assert_bound(rs.p9999, re.p9999, k);
	for (size_t j = 0; j < stx_nr_grid; j++) {
		assert_int_equal(stats_percentile(st, stx_grid[j], &a), 0);
		assert_int_equal(stats_percentile(ex, stx_grid[j], &b), 0);
		stx_assert_bound(a, b, k);
		differ += a != b;
	}
	return differ;
}

static void test_stream_vs_exact(void **state)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	uint64_t *v = malloc(BIG * sizeof(*v));
	double *d = malloc(BIG * sizeof(*d));

	(void)state;
	assert_non_null(v);
	assert_non_null(d);
	for (int dist = 0; dist < STX_NR_DIST; dist++) {
		struct stats *ex = stx_mk(STATS_EXACT, 0, 0);
		struct stats *st7 = stx_mk(STATS_STREAM, 7, 0);
		struct stats *st3 = stx_mk(STATS_STREAM, 3, 0);
		struct stats_result r;

		gsl_rng_set(rng, 1000 + (unsigned long)dist);
		for (size_t i = 0; i < BIG; i++) {
			v[i] = stx_draw(rng, dist);
			d[i] = (double)v[i];
		}
		assert_int_equal(stats_add_many(ex, v, BIG), 0);
		/* One by one (Welford) and in bulk (chunked two-pass). */
		for (size_t i = 0; i < BIG; i++)
			assert_int_equal(stats_add(st7, v[i]), 0);
		assert_int_equal(stats_add_many(st3, v, BIG), 0);
		compare_stream_exact(st7, ex, 7);
		/* k = 3 (error < 12.5 %) must show the bound at work. */
		assert_true(compare_stream_exact(st3, ex, 3) > 0);
		/* The exact mean and sd are GSL's. */
		assert_int_equal(stats_result(ex, &r), 0);
		stx_assert_rel(r.mean, gsl_stats_mean(d, 1, BIG), 1e-15);
		stx_assert_rel(r.sd, gsl_stats_sd(d, 1, BIG), 1e-15);
		stats_free(ex);
		stats_free(st7);
		stats_free(st3);
	}
	gsl_rng_free(rng);
	free(v);
	free(d);
}

/*
 * Running moments on data with a large offset (1e12 ns + 0..999), against
 * integer sums (exact) and gsl_rstat. gsl_rstat's Welford mean drifts by
 * ulps of 1e12 there and its sd comes out 2.8e-8 too large; ours is
 * shifted by a sample and matches the exact value to 1e-12.
 */
static void test_moments_vs_rstat(void **state)
{
	gsl_rstat_workspace *w = gsl_rstat_alloc();
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct stats *a = stx_mk(STATS_STREAM, 0, 0),
		     *b = stx_mk(STATS_STREAM, 0, 0);
	struct stats_result ra, rb;
	const uint64_t base = 1000000000000ull;
	uint64_t s1 = 0, s2 = 0;
	double n = 1e5, sd;

	(void)state;
	gsl_rng_set(rng, 7);
	for (int i = 0; i < 100000; i++) {
		uint64_t d = gsl_rng_uniform_int(rng, 1000), v = base + d;

		s1 += d;
		s2 += d * d;
		gsl_rstat_add((double)v, w);
		assert_int_equal(stats_add(a, v), 0);
		assert_int_equal(stats_add_many(b, &v, 1), 0);
	}
	sd = sqrt(((double)s2 - (double)s1 * (double)s1 / n) / (n - 1));
	assert_int_equal(stats_result(a, &ra), 0);
	assert_int_equal(stats_result(b, &rb), 0);
	stx_assert_rel(ra.mean, (double)base + (double)s1 / n, 1e-16);
	stx_assert_rel(rb.mean, ra.mean, 1e-16);
	stx_assert_rel(ra.sd, sd, 1e-12);
	stx_assert_rel(rb.sd, sd, 1e-12);
	stx_assert_rel(gsl_rstat_mean(w), ra.mean, 1e-13);
	stx_assert_rel(gsl_rstat_sd(w), sd, 1e-7);
	stats_free(a);
	stats_free(b);
	gsl_rstat_free(w);
	gsl_rng_free(rng);
}

static void test_auto_switch(void **state)
{
	struct stats *au = stx_mk(STATS_AUTO, 0, 1000);
	struct stats *st = stx_mk(STATS_STREAM, 0, 0);
	struct stats *ex = stx_mk(STATS_EXACT, 0, 0);
	struct stats_result ra, rs;
	uint64_t v[700];
	uint64_t x = 12345;

	(void)state;
	for (int round = 0; round < 8; round++) {
		for (size_t i = 0; i < 700; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			v[i] = 500 + (x >> 44);
		}
		/* Mix single adds and bulk adds across the cap. */
		for (size_t i = 0; i < 100; i++)
			assert_int_equal(stats_add(au, v[i]), 0);
		assert_int_equal(stats_add_many(au, v + 100, 600), 0);
		assert_int_equal(stats_add_many(st, v, 700), 0);
		assert_int_equal(stats_add_many(ex, v, 700), 0);
		assert_int_equal(stats_is_exact(au), round == 0);
	}
	assert_int_equal(stats_count(au), 5600);
	assert_int_equal(stats_result(au, &ra), 0);
	assert_int_equal(stats_result(st, &rs), 0);
	/* Same buckets as a collector that streamed from the start. */
	assert_memory_equal(au->bucket, st->bucket,
			    st->nr_buckets * sizeof(*st->bucket));
	assert_int_equal(ra.n, rs.n);
	assert_int_equal(ra.min, rs.min);
	assert_int_equal(ra.max, rs.max);
	assert_int_equal(ra.p99, rs.p99);
	stx_assert_rel(ra.mean, rs.mean, 1e-12);
	stx_assert_rel(ra.sd, rs.sd, 1e-12);
	compare_stream_exact(au, ex, STATS_SUB_BITS_DEFAULT);
	assert_int_equal(stats_mem_bytes(au), stats_mem_bytes(st));
	stats_free(au);
	stats_free(st);
	stats_free(ex);
}

static void test_stream_memory_fixed(void **state)
{
	struct stats *s = stx_mk(STATS_STREAM, 0, 0);
	size_t after10;

	(void)state;
	for (uint64_t i = 0; i < 10; i++)
		assert_int_equal(stats_add(s, i * 977), 0);
	after10 = stats_mem_bytes(s);
	assert_int_equal(after10, sizeof(struct stats) + 58 * 128 * 8);
	for (uint64_t i = 0; i < BIG; i++)
		assert_int_equal(stats_add(s, (i * 2654435761u) >> 7), 0);
	assert_int_equal(stats_mem_bytes(s), after10);
	assert_int_equal(stats_count(s), BIG + 10);
	stats_free(s);
}

static void assert_same(struct stats *a, struct stats *b)
{
	struct stats_result ra, rb;

	assert_int_equal(stats_result(a, &ra), 0);
	assert_int_equal(stats_result(b, &rb), 0);
	assert_int_equal(ra.n, rb.n);
	assert_int_equal(ra.min, rb.min);
	assert_int_equal(ra.max, rb.max);
	assert_int_equal(ra.p50, rb.p50);
	assert_int_equal(ra.p90, rb.p90);
	assert_int_equal(ra.p99, rb.p99);
	assert_int_equal(ra.p999, rb.p999);
	assert_int_equal(ra.p9999, rb.p9999);
	assert_int_equal(ra.exact, rb.exact);
	stx_assert_rel(ra.mean, rb.mean, 1e-12);
	stx_assert_rel(ra.sd, rb.sd, 1e-12);
}

static void test_merge(void **state)
{
	enum { N = 30000 };
	static const enum stats_mode modes[] = {STATS_EXACT, STATS_STREAM,
						STATS_AUTO};
	uint64_t *v = malloc(N * sizeof(*v));
	uint64_t x = 99;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v[i] = 1000 + (x >> 40) + ((x & 0xff) ? 0 : x >> 30);
	}
	/* Every combination of destination and source mode. */
	for (size_t a = 0; a < 3; a++) {
		for (size_t b = 0; b < 3; b++) {
			struct stats *d = stx_mk(modes[a], 0, 20000);
			struct stats *s = stx_mk(modes[b], 0, 20000);
			struct stats *all = stx_mk(modes[a], 0, 20000);
			int ret;

			assert_int_equal(stats_add_many(d, v, N / 3), 0);
			assert_int_equal(
			    stats_add_many(s, v + N / 3, N - N / 3), 0);
			assert_int_equal(stats_add_many(all, v, N), 0);
			ret = stats_merge(d, s);
			if (modes[a] == STATS_EXACT && !stats_is_exact(s)) {
				assert_int_equal(ret, -EINVAL);
			} else {
				assert_int_equal(ret, 0);
				assert_same(d, all);
			}
			stats_free(d);
			stats_free(s);
			stats_free(all);
		}
	}
	/* A finer source merges into a coarser destination; not back. */
	{
		struct stats *d = stx_mk(STATS_STREAM, 5, 0);
		struct stats *s = stx_mk(STATS_STREAM, 9, 0);
		struct stats *all = stx_mk(STATS_STREAM, 5, 0);

		assert_int_equal(stats_add_many(d, v, N / 2), 0);
		assert_int_equal(stats_add_many(s, v + N / 2, N - N / 2), 0);
		assert_int_equal(stats_add_many(all, v, N), 0);
		assert_int_equal(stats_merge(s, d), -EINVAL);
		assert_int_equal(stats_merge(d, s), 0);
		assert_memory_equal(d->bucket, all->bucket,
				    all->nr_buckets * sizeof(*all->bucket));
		assert_same(d, all);
		stats_free(d);
		stats_free(s);
		stats_free(all);
	}
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bucket_layout),
	    cmocka_unit_test(test_stream_vs_exact),
	    cmocka_unit_test(test_moments_vs_rstat),
	    cmocka_unit_test(test_auto_switch),
	    cmocka_unit_test(test_stream_memory_fixed),
	    cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
