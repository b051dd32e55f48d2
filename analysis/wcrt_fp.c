/*
 * Fixed-priority RTA inside a supply (method and sources: wcrt_fp.h).
 *
 * Design: one pass per task over the jobs of its level-i busy period.
 * Each job's completion w(q) is the least fixed point of
 * f(t) = tbf(rbf_q(t)); f is monotone, so iterating from any t0 with
 * t0 <= f(t0) <= w(q) climbs to it. For q = 0 that is tbf(C_i + B_i); for
 * q > 0 it is w(q-1), since rbf_q >= rbf_{q-1}. Every intermediate value
 * is a lower bound of w(q), which is what makes the early deadline exit
 * sound. All arithmetic is checked: a step that would overflow int64
 * ends the task with WCRT_OVERFLOW.
 */
#include <errno.h>

#include "analysis/wcrt_fp.h"
#include "analysis/wcrt_private.h"

/* Demand of level i up to and including job q in a window of length t. */
static enum wcrt_status rbf(const struct wcrt_task *tasks, size_t n, size_t i,
			    hv_time_t q, hv_time_t t, hv_time_t *out)
{
	const struct wcrt_task *ti = &tasks[i];
	hv_time_t d, k, c;

	if (!wcrt_mul(q + 1, ti->wcet, &d) || !wcrt_add(d, ti->blocking, &d))
		return WCRT_OVERFLOW;
	for (size_t j = 0; j < n; j++) {
		if (j == i || tasks[j].priority < ti->priority)
			continue;
		if (!wcrt_add(t, tasks[j].jitter, &k))
			return WCRT_OVERFLOW;
		k = wcrt_div_ceil(k, tasks[j].period);
		if (!wcrt_mul(k, tasks[j].wcet, &c) || !wcrt_add(d, c, &d))
			return WCRT_OVERFLOW;
	}
	*out = d;
	return WCRT_OK;
}

static enum wcrt_status finish(struct wcrt_fp_result *res, enum wcrt_status st)
{
	res->status = st;
	if (st != WCRT_DEADLINE_MISS)
		res->response = 0;
	res->deadline_met = false;
	return st;
}

/* R(q) = w - q T + J, checked. */
static bool job_response(const struct wcrt_task *ti, hv_time_t q, hv_time_t w,
			 hv_time_t *r)
{
	hv_time_t qt;

	return wcrt_mul(q, ti->period, &qt) && wcrt_add(w - qt, ti->jitter, r);
}

int wcrt_fp_task(const struct wcrt_task *tasks, size_t n, size_t i,
		 const struct supply *s, const struct wcrt_fp_opts *opts,
		 struct wcrt_fp_result *res)
{
	const struct wcrt_fp_opts none = {0};
	const struct wcrt_task *ti;
	unsigned long max_jobs, max_iter;
	hv_time_t num, den, delay, t = 0, worst = 0;
	enum wcrt_status st;

	if (!tasks || !s || !res || i >= n || wcrt_tasks_valid(tasks, n, NULL))
		return -EINVAL;
	if (!opts)
		opts = &none;
	max_jobs = opts->max_jobs ? opts->max_jobs : WCRT_FP_DEFAULT_MAX_JOBS;
	max_iter = opts->max_iter ? opts->max_iter : WCRT_FP_DEFAULT_MAX_ITER;
	ti = &tasks[i];
	*res = (struct wcrt_fp_result){.status = WCRT_OK};

	if (supply_linear(s, &num, &den, &delay) != WCRT_OK) {
		finish(res, WCRT_NO_SUPPLY);
		return 0;
	}
	if (wcrt_util_cmp(tasks, n, i, num, den) == 1) {
		finish(res, WCRT_OVERLOAD);
		return 0;
	}

	for (hv_time_t q = 0;; q++) {
		hv_time_t demand, next, r, end;

		if ((unsigned long)q >= max_jobs) {
			finish(res, WCRT_CAP);
			return 0;
		}
		if (q == 0) {
			st = supply_tbf(s, ti->wcet + ti->blocking, &t);
			if (st != WCRT_OK) {
				finish(res, st);
				return 0;
			}
		}
		for (;;) {
			st = rbf(tasks, n, i, q, t, &demand);
			if (st == WCRT_OK)
				st = supply_tbf(s, demand, &next);
			if (st != WCRT_OK) {
				finish(res, st);
				return 0;
			}
			res->iterations++;
			if (next == t)
				break;
			t = next;
			if (res->iterations >= max_iter) {
				finish(res, WCRT_CAP);
				return 0;
			}
			if (opts->stop_at_deadline &&
			    job_response(ti, q, t, &r) && r > ti->deadline) {
				res->response = r;
				finish(res, WCRT_DEADLINE_MISS);
				return 0;
			}
		}
		if (!job_response(ti, q, t, &r)) {
			finish(res, WCRT_OVERFLOW);
			return 0;
		}
		if (opts->on_job)
			opts->on_job(opts->arg, i, (unsigned long)q, t, r);
		if (q == 0 || r > worst) {
			worst = r;
			res->worst_job = (unsigned long)q;
		}
		res->jobs = (unsigned long)q + 1;
		if (opts->stop_at_deadline && r > ti->deadline) {
			res->response = r;
			finish(res, WCRT_DEADLINE_MISS);
			return 0;
		}
		/* Busy period over when job q+1 arrives after w(q). */
		if (!wcrt_mul(q + 1, ti->period, &end) ||
		    !wcrt_add(t, ti->jitter, &next)) {
			finish(res, WCRT_OVERFLOW);
			return 0;
		}
		if (next <= end)
			break;
	}
	res->response = worst;
	res->busy_period = t;
	res->deadline_met = worst <= ti->deadline;
	return 0;
}

int wcrt_fp_analyze(const struct wcrt_task *tasks, size_t n,
		    const struct supply *s, const struct wcrt_fp_opts *opts,
		    struct wcrt_fp_result *res)
{
	if (!res)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int rc = wcrt_fp_task(tasks, n, i, s, opts, &res[i]);

		if (rc)
			return rc;
	}
	return 0;
}

bool wcrt_fp_schedulable(const struct wcrt_fp_result *res, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!res[i].deadline_met)
			return false;
	return true;
}
