/*
 * Helpers shared by the response-time analysis test files
 * (test_wcrt_*.c): a seeded generator private to the tests, and periods.
 */
#ifndef HV_TEST_WCRT_UTIL_H
#define HV_TEST_WCRT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/wcrt.h"

/* splitmix64: the next number from the state *@s. */
uint64_t wt_rng_next(uint64_t *s);

/* A number in [@lo, @hi] from wt_rng_next(). */
hv_time_t wt_rng_range(uint64_t *s, hv_time_t lo, hv_time_t hi);

hv_time_t wt_lcm(hv_time_t a, hv_time_t b);

/* The lcm of the periods of @t[0..@n). */
hv_time_t wt_hyperperiod(const struct wcrt_task *t, size_t n);

#endif /* HV_TEST_WCRT_UTIL_H */
