/*
 * EDF demand analysis inside a supply.
 *
 * Method: the processor-demand criterion (Baruah, Rosier & Howell, RTS
 * 1990), inside a component as in Shin & Lee (RTSS 2003): the set is
 * schedulable iff for every t > 0
 *
 *     h(t) = dbf(t) + Bl(t) <= sbf(t),
 *     dbf(t) = sum_i max(0, floor((t - D'_i)/T_i) + 1) C_i,
 *
 * with D'_i = D_i - J_i: release jitter is treated as shortening the
 * deadline, since a job released J_i after its arrival still has to
 * finish D_i after the arrival (Spuri 1996; Zhang & Burns 2009). Bl(t) =
 * max { B_i : D'_i <= t } is the blocking a job with deadline <= t can
 * suffer (SRP, Baker 1991; Baruah 2006 uses the longest critical section
 * of a task with D > t, which this bounds). h is a step function and sbf
 * is non-decreasing, so checking the absolute deadlines t = D'_i + k T_i
 * up to a horizon L suffices. The test is exact for sporadic tasks on a
 * dedicated pCPU without blocking, and sufficient otherwise.
 *
 * Horizon L = min(L_b, L_lin): L_b is the longest busy interval, the
 * least t with sbf(t) >= Bmax + sum ceil((t + J_i)/T_i) C_i; L_lin comes
 * from the linear supply bound a (t - delay) (wcrt-methods section 3):
 * since h(t) <= U t + K with K = sum max(0, T_i - D'_i) U_i + Bmax, a
 * violation needs t < (K + a delay)/(a - U). On a dedicated pCPU L_lin is
 * George/Spuri's L_a. Either is skipped when unavailable (U = a, busy
 * period beyond the cap); with neither, WCRT_BOUND_TOO_LARGE.
 *
 * Scan of the deadlines up to L: on a dedicated pCPU (no overhead) QPA
 * (Zhang & Burns, IEEE TC 2009): from the largest deadline t <= L, if
 * h(t) <= sbf(t) then every deadline in [tbf(h(t)), t] passes, so jump
 * to the largest deadline below tbf(h(t)) (tbf(w) = w on a dedicated
 * pCPU: exactly QPA's step; the tbf form is valid for any supply and is
 * offered as an option). Other supplies: every deadline in increasing
 * order, which also yields the first violation directly. After a QPA
 * failure a forward scan locates the first violation (within the cap).
 *
 * Per-task EDF response-time bounds (Spuri 1996) are NOT implemented:
 * this module answers schedulable yes/no with the first violating t.
 */
#ifndef HV_WCRT_EDF_H
#define HV_WCRT_EDF_H

#include <stdbool.h>
#include <stddef.h>

#include <hv/types.h>

#include "analysis/wcrt.h"
#include "analysis/wcrt_supply.h"

#define WCRT_EDF_DEFAULT_MAX_POINTS 10000000UL

enum wcrt_edf_method {
	WCRT_EDF_AUTO, /* QPA on a dedicated pCPU, full scan otherwise */
	WCRT_EDF_QPA, /* QPA (tbf-generalised) on any supply */
	WCRT_EDF_SCAN, /* every deadline up to the horizon */
};

/* Options; NULL or zero fields mean the defaults. */
struct wcrt_edf_opts {
	enum wcrt_edf_method method;
	hv_time_t max_horizon; /* default: no cap beyond int64 */
	unsigned long max_points; /* deadlines evaluated; default above */
};

struct wcrt_edf_result {
	/* WCRT_OK: the verdict below is exact for the model. Otherwise
	 * (NO_SUPPLY, OVERLOAD, BOUND_TOO_LARGE, OVERFLOW) schedulable is
	 * false; only OVERLOAD is a proof of unschedulability. */
	enum wcrt_status status;
	bool schedulable;
	/* Not schedulable with status WCRT_OK: a t with h(t) > sbf(t), the
	 * first such t if violation_first, and both sides there. */
	hv_time_t violation;
	bool violation_first;
	hv_time_t demand, supply;
	hv_time_t horizon; /* L used (0 if none) */
	unsigned long points; /* deadlines evaluated */
	enum wcrt_edf_method method; /* QPA or SCAN, as run */
};

/*
 * wcrt_edf_dbf() - *@out = dbf(@t) (jitter folded into the deadlines,
 * no blocking). Return: WCRT_OK or WCRT_OVERFLOW.
 */
enum wcrt_status wcrt_edf_dbf(const struct wcrt_task *tasks, size_t n,
			      hv_time_t t, hv_time_t *out);

/*
 * wcrt_edf_analyze() - decide EDF schedulability of @tasks[@n] on @s.
 * Return: 0 with *@res filled; -EINVAL for invalid tasks or NULL pointers.
 */
int wcrt_edf_analyze(const struct wcrt_task *tasks, size_t n,
		     const struct supply *s, const struct wcrt_edf_opts *opts,
		     struct wcrt_edf_result *res);

#endif /* HV_WCRT_EDF_H */
