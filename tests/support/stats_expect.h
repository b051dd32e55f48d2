/*
 * Helpers shared by the statistics test files (test_stats.c,
 * test_stats_stream.c).
 */
#ifndef HV_TEST_STATS_EXPECT_H
#define HV_TEST_STATS_EXPECT_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "analysis/stats.h"

/* Percentiles from 0 to 1, dense in the tail. */
extern const double stx_grid[];
extern const size_t stx_nr_grid;

/* A new collector (fails the test if it cannot be made). */
struct stats *stx_mk(enum stats_mode mode, unsigned int k, uint64_t cap);

/* |@got - @want| <= @tol * |@want|, or both are (nearly) 0. */
void stx_assert_rel(double got, double want, double tol);

/* Sample distributions for stx_draw(). */
enum stx_dist { STX_UNIFORM, STX_EXPONENTIAL, STX_PARETO, STX_NR_DIST };

/* One latency in ns from @d: uniform, exponential, or Pareto (heavy). */
uint64_t stx_draw(gsl_rng *rng, enum stx_dist d);

/*
 * Streaming percentile @got against the exact @want: equal, or
 * 0 < got - want < 2^-k want (a bucket wider than 1 ns).
 */
void stx_assert_bound(uint64_t got, uint64_t want, unsigned int k);

#endif /* HV_TEST_STATS_EXPECT_H */
