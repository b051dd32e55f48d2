/*
 * EDF processor-demand analysis inside a supply (method and sources:
 * wcrt_edf.h).
 *
 * Design: deadlines are never listed; the largest deadline below u and
 * the smallest above t are computed per task in O(n), so memory is O(1)
 * and QPA walks down from the horizon in few steps. The linear horizon is
 * computed in Q64.64 fixed point with every rounding directed outwards
 * (it only has to be an upper bound); verdicts are exact integers.
 */
#include <errno.h>

#include "analysis/wcrt_edf.h"
#include "analysis/wcrt_private.h"

#define BUSY_MAX_STEPS 1000000UL

/* The deadline relative to the release: jitter shortens it. */
static hv_time_t rel_dl(const struct wcrt_task *t)
{
	return t->deadline - t->jitter;
}

enum wcrt_status wcrt_edf_dbf(const struct wcrt_task *tasks, size_t n,
			      hv_time_t t, hv_time_t *out)
{
	hv_time_t sum = 0;

	for (size_t i = 0; i < n; i++) {
		hv_time_t d = rel_dl(&tasks[i]), c;

		if (t < d)
			continue;
		if (!wcrt_mul((t - d) / tasks[i].period + 1, tasks[i].wcet,
			      &c) ||
		    !wcrt_add(sum, c, &sum))
			return WCRT_OVERFLOW;
	}
	*out = sum;
	return WCRT_OK;
}

/* h(t) = dbf(t) + the largest blocking of a task with D' <= t. */
static enum wcrt_status demand(const struct wcrt_task *tasks, size_t n,
			       hv_time_t t, hv_time_t *out)
{
	hv_time_t bl = 0;

	if (wcrt_edf_dbf(tasks, n, t, out) != WCRT_OK)
		return WCRT_OVERFLOW;
	for (size_t i = 0; i < n; i++)
		if (rel_dl(&tasks[i]) <= t)
			bl = wcrt_max(bl, tasks[i].blocking);
	return wcrt_add(*out, bl, out) ? WCRT_OK : WCRT_OVERFLOW;
}

/* Largest absolute deadline < u; false if there is none. */
static bool prev_deadline(const struct wcrt_task *tasks, size_t n, hv_time_t u,
			  hv_time_t *out)
{
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		hv_time_t d = rel_dl(&tasks[i]), p = tasks[i].period;

		if (u <= d)
			continue;
		d += ((u - 1 - d) / p) * p;
		if (!found || d > *out)
			*out = d;
		found = true;
	}
	return found;
}

/* Smallest absolute deadline > t; false if none fits in int64. */
static bool next_deadline(const struct wcrt_task *tasks, size_t n, hv_time_t t,
			  hv_time_t *out)
{
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		hv_time_t d = rel_dl(&tasks[i]), p = tasks[i].period, k;

		if (t >= d &&
		    (!wcrt_mul((t - d) / p + 1, p, &k) || !wcrt_add(d, k, &d)))
			continue;
		if (!found || d < *out)
			*out = d;
		found = true;
	}
	return found;
}

/* Q64.64 of a*c/t rounded up, for a, c <= 2^62, 0 < t <= 2^62. */
static wcrt_u128 q64_mul_div_up(hv_time_t a, hv_time_t c, hv_time_t t)
{
	wcrt_u128 prod = (wcrt_u128)a * (wcrt_u128)c;
	wcrt_u128 whole = prod / (wcrt_u128)t, rem = prod % (wcrt_u128)t;

	return (whole << 64) + wcrt_q64_div((hv_time_t)rem, t, true);
}

/*
 * L_lin = (K + a delay)/(a - U) + 1 from the linear supply bound; false
 * when U < a cannot be shown or the bound does not fit in int64.
 */
static bool linear_horizon(const struct wcrt_task *tasks, size_t n,
			   const struct supply *s, hv_time_t *out)
{
	hv_time_t num, den, delay, bmax = 0;
	wcrt_u128 u_hi, a_lo, a_hi, k = 0, ad, l;

	supply_linear(s, &num, &den, &delay);
	if (!wcrt_util_q64(tasks, n, WCRT_ALL_TASKS, true, &u_hi))
		return false;
	a_lo = wcrt_q64_div(num, den, false);
	a_hi = wcrt_q64_div(num, den, true);
	if (a_lo <= u_hi)
		return false;
	for (size_t i = 0; i < n; i++) {
		hv_time_t slack = tasks[i].period - rel_dl(&tasks[i]);

		bmax = wcrt_max(bmax, tasks[i].blocking);
		if (slack > 0 &&
		    __builtin_add_overflow(
			k,
			q64_mul_div_up(slack, tasks[i].wcet, tasks[i].period),
			&k))
			return false;
	}
	if (__builtin_add_overflow(k, (wcrt_u128)bmax << 64, &k) ||
	    __builtin_mul_overflow(a_hi, (wcrt_u128)delay, &ad) ||
	    __builtin_add_overflow(k, ad, &k))
		return false;
	l = k / (a_lo - u_hi) + 1;
	if (l > (wcrt_u128)WCRT_TIME_MAX)
		return false;
	*out = (hv_time_t)l;
	return true;
}

/*
 * L_b: least t with sbf(t) >= Bmax + sum ceil((t + J)/T) C, iterated from
 * below; false past @ceiling, after BUSY_MAX_STEPS or on overflow.
 */
static bool busy_horizon(const struct wcrt_task *tasks, size_t n,
			 const struct supply *s, hv_time_t ceiling,
			 hv_time_t *out)
{
	hv_time_t w = 0, bmax = 0, t;

	/* Start below the fixed point: every task once, plus Bmax. */
	for (size_t i = 0; i < n; i++) {
		bmax = wcrt_max(bmax, tasks[i].blocking);
		if (!wcrt_add(w, tasks[i].wcet, &w))
			return false;
	}
	if (!wcrt_add(w, bmax, &w))
		return false;
	if (supply_tbf(s, w, &t) != WCRT_OK)
		return false;
	for (unsigned long step = 0; step < BUSY_MAX_STEPS; step++) {
		hv_time_t next;

		if (t > ceiling)
			return false;
		w = 0;
		for (size_t i = 0; i < n; i++) {
			hv_time_t k, c;

			if (!wcrt_add(t, tasks[i].jitter, &k) ||
			    !wcrt_mul(wcrt_div_ceil(k, tasks[i].period),
				      tasks[i].wcet, &c) ||
			    !wcrt_add(w, c, &w))
				return false;
		}
		if (!wcrt_add(w, bmax, &w) ||
		    supply_tbf(s, w, &next) != WCRT_OK)
			return false;
		if (next == t) {
			*out = t;
			return true;
		}
		t = next;
	}
	return false;
}

/* Record a violation at t (first if @first). */
static void violated(struct wcrt_edf_result *res, hv_time_t t, hv_time_t h,
		     hv_time_t sbf, bool first)
{
	res->schedulable = false;
	res->violation = t;
	res->violation_first = first;
	res->demand = h;
	res->supply = sbf;
}

/* Deadlines in increasing order from the first up to @last. */
static enum wcrt_status scan(const struct wcrt_task *tasks, size_t n,
			     const struct supply *s, hv_time_t last,
			     unsigned long max_points,
			     struct wcrt_edf_result *res)
{
	hv_time_t t, h, sbf;
	bool more = next_deadline(tasks, n, -1, &t);

	for (; more && t <= last; more = next_deadline(tasks, n, t, &t)) {
		if (++res->points > max_points)
			return WCRT_BOUND_TOO_LARGE;
		if (demand(tasks, n, t, &h) != WCRT_OK)
			return WCRT_OVERFLOW;
		supply_sbf(s, t, &sbf);
		if (h > sbf) {
			violated(res, t, h, sbf, true);
			return WCRT_OK;
		}
	}
	res->schedulable = true;
	return WCRT_OK;
}

/* QPA downwards from the horizon, jumping to tbf(h(t)). */
static enum wcrt_status qpa(const struct wcrt_task *tasks, size_t n,
			    const struct supply *s, hv_time_t horizon,
			    unsigned long max_points,
			    struct wcrt_edf_result *res)
{
	hv_time_t t, h, sbf, u;
	bool more = prev_deadline(tasks, n, horizon + 1, &t);

	for (; more; more = prev_deadline(tasks, n, u, &t)) {
		if (++res->points > max_points)
			return WCRT_BOUND_TOO_LARGE;
		if (demand(tasks, n, t, &h) != WCRT_OK)
			return WCRT_OVERFLOW;
		if (h == 0)
			break;
		supply_sbf(s, t, &sbf);
		if (h > sbf) {
			struct wcrt_edf_result first = *res;

			violated(res, t, h, sbf, false);
			/* Find the first violation if the cap allows. */
			first.points = 0;
			if (scan(tasks, n, s, t, max_points, &first) ==
				WCRT_OK &&
			    !first.schedulable)
				violated(res, first.violation, first.demand,
					 first.supply, true);
			return WCRT_OK;
		}
		if (supply_tbf(s, h, &u) != WCRT_OK)
			return WCRT_OVERFLOW;
	}
	res->schedulable = true;
	return WCRT_OK;
}

int wcrt_edf_analyze(const struct wcrt_task *tasks, size_t n,
		     const struct supply *s, const struct wcrt_edf_opts *opts,
		     struct wcrt_edf_result *res)
{
	const struct wcrt_edf_opts none = {0};
	hv_time_t num, den, delay, lin = 0, busy = 0, cap, h = 0;
	unsigned long max_points;
	bool have_lin, have_busy;

	if (!s || !res || (n && !tasks) || wcrt_tasks_valid(tasks, n, NULL))
		return -EINVAL;
	if (!opts)
		opts = &none;
	*res = (struct wcrt_edf_result){.status = WCRT_OK};
	max_points =
	    opts->max_points ? opts->max_points : WCRT_EDF_DEFAULT_MAX_POINTS;
	cap = opts->max_horizon > 0 ? opts->max_horizon : WCRT_TIME_MAX;
	res->method = opts->method;
	if (opts->method == WCRT_EDF_AUTO)
		res->method = s->kind == SUPPLY_DEDICATED && !s->overhead
				  ? WCRT_EDF_QPA
				  : WCRT_EDF_SCAN;

	if (supply_linear(s, &num, &den, &delay) != WCRT_OK) {
		res->status = WCRT_NO_SUPPLY;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (rel_dl(&tasks[i]) > 0)
			continue;
		/* Jitter >= deadline: due before it can be released. */
		demand(tasks, n, 0, &h);
		violated(res, 0, h, 0, true);
		return 0;
	}
	if (wcrt_util_cmp(tasks, n, WCRT_ALL_TASKS, num, den) == 1) {
		res->status = WCRT_OVERLOAD;
		return 0;
	}
	if (n == 0) {
		res->schedulable = true;
		return 0;
	}

	have_lin = linear_horizon(tasks, n, s, &lin);
	have_busy = busy_horizon(tasks, n, s,
				 have_lin ? wcrt_min(lin, cap) : cap, &busy);
	if (!have_lin && !have_busy) {
		res->status = WCRT_BOUND_TOO_LARGE;
		return 0;
	}
	res->horizon = !have_busy  ? lin
		       : !have_lin ? busy
				   : wcrt_min(lin, busy);
	if (res->horizon > cap) {
		res->status = WCRT_BOUND_TOO_LARGE;
		return 0;
	}
	res->status = res->method == WCRT_EDF_QPA
			  ? qpa(tasks, n, s, res->horizon, max_points, res)
			  : scan(tasks, n, s, res->horizon, max_points, res);
	if (res->status != WCRT_OK)
		res->schedulable = false;
	return 0;
}
