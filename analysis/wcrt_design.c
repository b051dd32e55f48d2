/*
 * Minimum RTDS budget and ARINC 653 window length by binary search
 * (method: wcrt_design.h).
 */
#include <errno.h>

#include "analysis/wcrt_design.h"
#include "analysis/wcrt_edf.h"
#include "analysis/wcrt_fp.h"
#include "analysis/wcrt_private.h"

#define NS_PER_US 1000

int wcrt_schedulable(const struct wcrt_task *tasks, size_t n,
		     enum wcrt_policy policy, const struct supply *s, bool *ok,
		     enum wcrt_status *why)
{
	enum wcrt_status st = WCRT_OK;

	if (!ok || !s || wcrt_tasks_valid(tasks, n, NULL))
		return -EINVAL;
	*ok = true;
	if (policy == WCRT_POLICY_EDF) {
		struct wcrt_edf_result r;
		int rc = wcrt_edf_analyze(tasks, n, s, NULL, &r);

		if (rc)
			return rc;
		*ok = r.status == WCRT_OK && r.schedulable;
		st = r.status == WCRT_OK && !r.schedulable ? WCRT_DEADLINE_MISS
							   : r.status;
	} else {
		const struct wcrt_fp_opts o = {.stop_at_deadline = true};

		for (size_t i = 0; i < n && *ok; i++) {
			struct wcrt_fp_result r;
			int rc = wcrt_fp_task(tasks, n, i, s, &o, &r);

			if (rc)
				return rc;
			*ok = r.deadline_met;
			st = r.status == WCRT_OK && !r.deadline_met
				 ? WCRT_DEADLINE_MISS
				 : r.status;
		}
	}
	if (why)
		*why = st;
	return 0;
}

/* Builds the supply for a candidate value (us). */
typedef int (*make_supply)(struct supply *s, hv_time_t us, const void *arg);

static int check(const struct wcrt_task *tasks, size_t n,
		 enum wcrt_policy policy, make_supply make, const void *arg,
		 hv_time_t us, struct wcrt_design_result *res, bool *ok)
{
	struct supply s;
	int rc = make(&s, us, arg);

	if (rc)
		return rc;
	res->checks++;
	return wcrt_schedulable(tasks, n, policy, &s, ok, &res->status);
}

/* Least value in [lo, hi] that passes; monotone predicate. */
static int search(const struct wcrt_task *tasks, size_t n,
		  enum wcrt_policy policy, make_supply make, const void *arg,
		  hv_time_t lo, hv_time_t hi, struct wcrt_design_result *res)
{
	bool ok;
	int rc;

	*res = (struct wcrt_design_result){.status = WCRT_OK};
	rc = check(tasks, n, policy, make, arg, hi, res, &ok);
	if (rc || !ok)
		return rc;
	rc = check(tasks, n, policy, make, arg, lo, res, &ok);
	if (rc)
		return rc;
	if (!ok) {
		/* Invariant: lo fails, hi passes. */
		while (hi - lo > 1) {
			hv_time_t mid = lo + (hi - lo) / 2;

			rc = check(tasks, n, policy, make, arg, mid, res, &ok);
			if (rc)
				return rc;
			if (ok)
				hi = mid;
			else
				lo = mid;
		}
		lo = hi;
	}
	res->found = true;
	res->value_us = lo;
	res->status = WCRT_OK;
	return 0;
}

static int make_prm(struct supply *s, hv_time_t us, const void *arg)
{
	const hv_time_t *period = arg;

	return supply_init_prm(s, *period, us * NS_PER_US);
}

int wcrt_design_rtds_budget(const struct wcrt_task *tasks, size_t n,
			    enum wcrt_policy policy, hv_time_t period_us,
			    struct wcrt_design_result *res)
{
	hv_time_t period;

	if (!res || wcrt_tasks_valid(tasks, n, NULL) ||
	    period_us < WCRT_RTDS_MIN_BUDGET_US ||
	    !wcrt_mul(period_us, NS_PER_US, &period) || period > WCRT_TIME_MAX)
		return -EINVAL;
	return search(tasks, n, policy, make_prm, &period,
		      WCRT_RTDS_MIN_BUDGET_US, period_us, res);
}

struct window_arg {
	hv_time_t frame, offset;
};

static int make_window(struct supply *s, hv_time_t us, const void *arg)
{
	const struct window_arg *a = arg;
	struct supply_window w = {a->offset, us * NS_PER_US};

	return supply_init_windows(s, a->frame, &w, 1);
}

int wcrt_design_arinc_window(const struct wcrt_task *tasks, size_t n,
			     enum wcrt_policy policy, hv_time_t major_frame,
			     hv_time_t offset, struct wcrt_design_result *res)
{
	struct window_arg a = {major_frame, offset};

	if (!res || wcrt_tasks_valid(tasks, n, NULL) || major_frame <= 0 ||
	    major_frame > WCRT_TIME_MAX || offset < 0 ||
	    offset > major_frame - NS_PER_US)
		return -EINVAL;
	return search(tasks, n, policy, make_window, &a, 1,
		      (major_frame - offset) / NS_PER_US, res);
}
