/*
 * WCRT analysis: status names, task validation and exact utilisation
 * comparisons shared by the FP and EDF analyses.
 */
#include <errno.h>
#include <stdio.h>

#include "analysis/wcrt.h"
#include "analysis/wcrt_private.h"

const char *wcrt_status_name(enum wcrt_status st)
{
	switch (st) {
	case WCRT_OK: return "ok";
	case WCRT_NO_SUPPLY: return "no guaranteed supply";
	case WCRT_OVERLOAD: return "overload";
	case WCRT_DEADLINE_MISS: return "deadline miss";
	case WCRT_CAP: return "cap reached";
	case WCRT_BOUND_TOO_LARGE: return "bound too large";
	case WCRT_OVERFLOW: return "overflow";
	}
	return "unknown";
}

static bool time_ok(hv_time_t v, bool zero_ok)
{
	return v <= WCRT_TIME_MAX && (zero_ok ? v >= 0 : v > 0);
}

int wcrt_tasks_valid(const struct wcrt_task *tasks, size_t n, size_t *bad)
{
	if (n && !tasks)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		const struct wcrt_task *t = &tasks[i];

		if (!time_ok(t->wcet, false) || !time_ok(t->period, false) ||
		    !time_ok(t->deadline, false) || !time_ok(t->jitter, true) ||
		    !time_ok(t->blocking, true)) {
			if (bad)
				*bad = i;
			return -EINVAL;
		}
	}
	return 0;
}

wcrt_u128 wcrt_q64_div(hv_time_t a, hv_time_t b, bool round_up)
{
	wcrt_u128 num = (wcrt_u128)a << 64;
	wcrt_u128 q = num / (wcrt_u128)b;

	if (round_up && num % (wcrt_u128)b)
		q++;
	return q;
}

static wcrt_u128 gcd128(wcrt_u128 a, wcrt_u128 b)
{
	while (b) {
		wcrt_u128 r = a % b;

		a = b;
		b = r;
	}
	return a;
}

/* The sum as the exact fraction p/q; false if it does not fit. */
static bool ratio_exact(size_t n, wcrt_ratio_get get, const void *ctx,
			wcrt_u128 *p, wcrt_u128 *q)
{
	wcrt_u128 num = 0, den = 1;

	for (size_t j = 0; j < n; j++) {
		wcrt_u128 a, b, g;
		hv_time_t c, t;

		if (!get(ctx, j, &c, &t))
			continue;
		if (__builtin_mul_overflow(num, (wcrt_u128)t, &a) ||
		    __builtin_mul_overflow(den, (wcrt_u128)c, &b) ||
		    __builtin_add_overflow(a, b, &a) ||
		    __builtin_mul_overflow(den, (wcrt_u128)t, &b))
			return false;
		g = gcd128(a, b);
		num = a / g;
		den = b / g;
	}
	*p = num;
	*q = den;
	return true;
}

bool wcrt_ratio_q64(size_t n, wcrt_ratio_get get, const void *ctx,
		    bool round_up, wcrt_u128 *out)
{
	wcrt_u128 sum = 0;

	for (size_t j = 0; j < n; j++) {
		hv_time_t c, t;

		if (!get(ctx, j, &c, &t))
			continue;
		if (__builtin_add_overflow(sum, wcrt_q64_div(c, t, round_up),
					   &sum))
			return false;
	}
	/* Keep headroom: callers add and multiply these sums. */
	if (sum >> 127)
		return false;
	*out = sum;
	return true;
}

int wcrt_ratio_cmp(size_t n, wcrt_ratio_get get, const void *ctx, hv_time_t num,
		   hv_time_t den)
{
	wcrt_u128 p, q, lhs, rhs, u_lo, u_hi, a_lo, a_hi;

	if (ratio_exact(n, get, ctx, &p, &q) &&
	    !__builtin_mul_overflow(p, (wcrt_u128)den, &lhs) &&
	    !__builtin_mul_overflow((wcrt_u128)num, q, &rhs))
		return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;

	a_lo = wcrt_q64_div(num, den, false);
	a_hi = wcrt_q64_div(num, den, true);
	if (!wcrt_ratio_q64(n, get, ctx, false, &u_lo))
		return 1; /* more than 2^63: far above any bandwidth */
	if (!wcrt_ratio_q64(n, get, ctx, true, &u_hi))
		u_hi = ~(wcrt_u128)0;
	if (u_hi < a_lo)
		return -1;
	if (u_lo > a_hi)
		return 1;
	return WCRT_CMP_UNSURE;
}

struct level_ctx {
	const struct wcrt_task *tasks;
	size_t level;
};

static bool level_get(const void *ctx, size_t j, hv_time_t *c, hv_time_t *t)
{
	const struct level_ctx *l = ctx;

	if (!wcrt_in_level(l->tasks, l->level, j))
		return false;
	*c = l->tasks[j].wcet;
	*t = l->tasks[j].period;
	return true;
}

bool wcrt_util_q64(const struct wcrt_task *tasks, size_t n, size_t level,
		   bool round_up, wcrt_u128 *out)
{
	struct level_ctx l = {tasks, level};

	return wcrt_ratio_q64(n, level_get, &l, round_up, out);
}

int wcrt_util_cmp(const struct wcrt_task *tasks, size_t n, size_t level,
		  hv_time_t num, hv_time_t den)
{
	struct level_ctx l = {tasks, level};

	return wcrt_ratio_cmp(n, level_get, &l, num, den);
}
