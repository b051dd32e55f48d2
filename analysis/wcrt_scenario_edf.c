/*
 * EDF guests in hvlab wcrt: tasks scheduled by earliest deadline inside
 * their vCPU's supply, with interrupt handlers and other vCPUs' events
 * above them all.
 *
 * Method: the processor-demand criterion with interrupt load (Jeffay &
 * Stone, "Accounting for interrupt handling costs in dynamic priority
 * task systems", RTSS 1993; Baruah, Rosier & Howell 1990): the tasks are
 * schedulable if at every absolute deadline t up to the synchronous busy
 * period L,
 *
 *     B + dbf_tasks(t) + rbf_interference(t) <= sbf(t)
 *
 * where rbf counts every interfering release (with its jitter) in a window
 * of length t. Without interference on a dedicated pCPU this is plain
 * EDF, and the library's QPA (Zhang & Burns 2009) runs instead. A
 * schedulable task's bound is its deadline: the test proves every job
 * ends by it (no per-task EDF response time is computed; see
 * analysis/wcrt_edf.h).
 */
#include <errno.h>

#include "analysis/wcrt_edf.h"
#include "analysis/wcrt_scenario_private.h"

#define EDF_MAX_ITER 100000UL
#define EDF_MAX_POINTS 2000000UL

static hv_time_t rbf(const struct wcrt_task *t, size_t n, hv_time_t w)
{
	hv_time_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += ((w + t[i].jitter + t[i].period - 1) / t[i].period) *
		       t[i].wcet;
	return sum;
}

static hv_time_t dbf(const struct wcrt_task *t, size_t n, hv_time_t w)
{
	hv_time_t sum = 0;

	for (size_t i = 0; i < n; i++)
		if (w >= t[i].deadline)
			sum +=
			    ((w - t[i].deadline) / t[i].period + 1) * t[i].wcet;
	return sum;
}

/* The synchronous busy period of all demand on @s: least w with
 * w = tbf(B + rbf(w)); WCRT_CAP if it does not settle. */
static enum wcrt_status busy_period(const struct wcrt_task *all, size_t n,
				    hv_time_t blocking, const struct supply *s,
				    hv_time_t *out)
{
	hv_time_t w = 0, next;

	for (unsigned long i = 0; i < EDF_MAX_ITER; i++) {
		enum wcrt_status st =
		    supply_tbf(s, blocking + rbf(all, n, w ? w : 1), &next);

		if (st != WCRT_OK)
			return st;
		if (next == w) {
			*out = w;
			return WCRT_OK;
		}
		if (next > WCRT_TIME_MAX / 4)
			return WCRT_OVERFLOW;
		w = next;
	}
	return WCRT_CAP;
}

/*
 * Demand check: tasks [0, nt) of @all are EDF tasks, [nt, n) interfere
 * from above. Returns the status; *@bad gets a violating deadline.
 */
static enum wcrt_status demand_check(const struct wcrt_task *all, size_t nt,
				     size_t n, hv_time_t blocking,
				     const struct supply *s, hv_time_t *bad)
{
	hv_time_t L, supplied;
	unsigned long points = 0;
	enum wcrt_status st = busy_period(all, n, blocking, s, &L);

	*bad = 0;
	if (st != WCRT_OK)
		return st;
	for (size_t i = 0; i < nt; i++) {
		for (hv_time_t d = all[i].deadline; d <= L;
		     d += all[i].period) {
			if (++points > EDF_MAX_POINTS)
				return WCRT_BOUND_TOO_LARGE;
			st = supply_sbf(s, d, &supplied);
			if (st != WCRT_OK)
				return st;
			if (blocking + dbf(all, nt, d) +
				rbf(all + nt, n - nt, d) >
			    supplied) {
				*bad = d;
				return WCRT_DEADLINE_MISS;
			}
		}
	}
	return WCRT_OK;
}

int wcrt_edf_vcpu(struct wcrt_report *r, struct wcrt_vcpu *wv,
		  const struct wcrt_task *tasks, size_t n)
{
	struct wcrt_task *order;
	size_t nt = 0, k = 0;
	hv_time_t bad = 0;
	enum wcrt_status st;
	bool interference = false;

	order = calloc(n ? n : 1, sizeof(*order));
	if (!order)
		return -ENOMEM;
	/* EDF tasks first, then everything that runs above them. */
	for (size_t i = 0; i < wv->nr_items; i++)
		if (r->items[wv->first_item + i].kind == WCRT_ITEM_TASK)
			order[nt++] = tasks[i];
	k = nt;
	for (size_t i = 0; i < n; i++)
		if (i >= wv->nr_items ||
		    r->items[wv->first_item + i].kind != WCRT_ITEM_TASK) {
			order[k++] = tasks[i];
			interference = true;
		}
	if (!interference && wv->supply.kind == SUPPLY_DEDICATED &&
	    !wv->supply.overhead) {
		struct wcrt_edf_result res;
		int rc = wcrt_edf_analyze(order, nt, &wv->supply, NULL, &res);

		if (rc) {
			free(order);
			return rc;
		}
		st = res.status == WCRT_OK && !res.schedulable
			 ? WCRT_DEADLINE_MISS
			 : res.status;
		bad = res.violation;
		wv->edf_method = "EDF demand, QPA (Zhang & Burns 2009)";
	} else {
		st = demand_check(order, nt, k, order[0].blocking, &wv->supply,
				  &bad);
		wv->edf_method = "EDF demand with interrupt load (Jeffay & "
				 "Stone 1993) on the supply";
	}
	free(order);
	for (size_t i = 0; i < wv->nr_items; i++) {
		struct wcrt_item *it = &r->items[wv->first_item + i];

		if (it->kind != WCRT_ITEM_TASK)
			continue;
		it->status = st;
		it->bound = st == WCRT_OK ? it->deadline : 0;
		it->met = st == WCRT_OK;
		it->edf = true;
	}
	if (st == WCRT_DEADLINE_MISS)
		snprintf(wv->reason, sizeof(wv->reason),
			 "EDF demand exceeds the supply at t = %lld ns",
			 (long long)bad);
	return 0;
}
