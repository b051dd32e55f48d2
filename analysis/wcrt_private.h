/*
 * Internal helpers of the WCRT analysis: checked integer arithmetic and
 * exact utilisation comparisons. Not part of the public API.
 *
 * Fractions such as a utilisation are compared exactly with 128-bit
 * rationals while they fit, and otherwise bracketed in Q64.64 fixed point
 * rounded outwards; a comparison that the bracket cannot decide is
 * reported as undecided (WCRT_CMP_UNSURE) and callers fall back to a
 * capped iteration, so rounding never decides a verdict.
 */
#ifndef HV_WCRT_PRIVATE_H
#define HV_WCRT_PRIVATE_H

#include <stdint.h>

#include "analysis/wcrt.h"

typedef unsigned __int128 wcrt_u128;

/* Every task of the set, for wcrt_util_cmp(). */
#define WCRT_ALL_TASKS ((size_t)-1)
/* wcrt_util_cmp() could not decide between "<", "=" and ">". */
#define WCRT_CMP_UNSURE 2

/* *r = a + b; false on int64 overflow. */
static inline bool wcrt_add(hv_time_t a, hv_time_t b, hv_time_t *r)
{
	return !__builtin_add_overflow(a, b, r);
}

/* *r = a * b; false on int64 overflow. */
static inline bool wcrt_mul(hv_time_t a, hv_time_t b, hv_time_t *r)
{
	return !__builtin_mul_overflow(a, b, r);
}

/* ceil(a / b) for b > 0 and any sign of a. */
static inline hv_time_t wcrt_div_ceil(hv_time_t a, hv_time_t b)
{
	hv_time_t q = a / b;

	return (a % b != 0 && a > 0) ? q + 1 : q;
}

static inline hv_time_t wcrt_max(hv_time_t a, hv_time_t b)
{
	return a > b ? a : b;
}

static inline hv_time_t wcrt_min(hv_time_t a, hv_time_t b)
{
	return a < b ? a : b;
}

/* a * 2^64 / b in Q64.64, rounded down or up; 0 <= a, 0 < b. */
wcrt_u128 wcrt_q64_div(hv_time_t a, hv_time_t b, bool round_up);

/*
 * A sum of ratios c/t over items j < n, read through a getter that
 * returns false for items to skip (so tasks and RTDS vCPUs share one
 * implementation). c >= 0, 0 < t <= WCRT_TIME_MAX.
 */
typedef bool (*wcrt_ratio_get)(const void *ctx, size_t j, hv_time_t *c,
			       hv_time_t *t);

/* Sum of the ratios in Q64.64; false if it does not fit. */
bool wcrt_ratio_q64(size_t n, wcrt_ratio_get get, const void *ctx,
		    bool round_up, wcrt_u128 *out);

/* Compare the sum with num/den (> 0): see wcrt_util_cmp(). */
int wcrt_ratio_cmp(size_t n, wcrt_ratio_get get, const void *ctx, hv_time_t num,
		   hv_time_t den);

/*
 * wcrt_util_q64() - sum of wcet/period over the tasks in @level (see
 * wcrt_util_cmp()), in Q64.64 rounded down (@round_up false) or up.
 * Return: false if the sum does not fit (more than 2^63 units).
 */
bool wcrt_util_q64(const struct wcrt_task *tasks, size_t n, size_t level,
		   bool round_up, wcrt_u128 *out);

/*
 * wcrt_util_cmp() - compare U = sum of wcet/period with num/den (> 0).
 * @level: WCRT_ALL_TASKS, or the index i of a task: then U covers task i
 * and every task j with priority_j >= priority_i (the level-i set of FP).
 * Return: -1, 0 or 1 as U <, = or > num/den; WCRT_CMP_UNSURE if the
 * numbers are too large to decide exactly and U is within 2^-60 of it.
 */
int wcrt_util_cmp(const struct wcrt_task *tasks, size_t n, size_t level,
		  hv_time_t num, hv_time_t den);

/* Is task j in the level-i set (j == i or at least as urgent)? */
static inline bool wcrt_in_level(const struct wcrt_task *tasks, size_t level,
				 size_t j)
{
	return level == WCRT_ALL_TASKS || j == level ||
	       tasks[j].priority >= tasks[level].priority;
}

#endif /* HV_WCRT_PRIVATE_H */
