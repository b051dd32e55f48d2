/*
 * Helpers shared by the response-time analysis test files
 * (test_wcrt_*.c): a seeded generator private to the tests, and periods.
 */
#ifndef HV_TEST_WCRT_UTIL_H
#define HV_TEST_WCRT_UTIL_H

#include <stdbool.h>
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

/* How wt_gen_set() draws each task's release jitter. */
enum wt_jitter {
	WT_JITTER_NONE,
	WT_JITTER_HALF_PERIOD, /* J in [0, T/2] */
	WT_JITTER_THIRD_DEADLINE, /* J in [0, D/3] */
};

/*
 * A random set of 2..5 tasks in @t with utilisation <= @num/@den: T from
 * periods whose hyperperiod divides 120, C in [1, T/2 + @c_extra], D in
 * [C, T] (or [C, 2T] if @arbitrary), J as @jitter says; no blocking,
 * priority 0. The sequence is a function of *@s alone. Returns n.
 */
size_t wt_gen_set(uint64_t *s, struct wcrt_task *t, hv_time_t num,
		  hv_time_t den, hv_time_t c_extra, bool arbitrary,
		  enum wt_jitter jitter);

#endif /* HV_TEST_WCRT_UTIL_H */
