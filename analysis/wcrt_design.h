/*
 * Interface design: the smallest reservation that makes a task set
 * schedulable (wcrt-methods sections 3.1 and 4).
 *
 *   - RTDS: the least budget B (integer us, Xen's unit, >= 10us) for a
 *     given period P such that the tasks pass on PRM(P, B), the vCPU's
 *     supply once the pool is admitted (wcrt_rtds.h). Admission of the
 *     pool with that budget is a separate question for the caller.
 *   - ARINC 653: the least length L (integer us) of a single window
 *     [offset, offset + L) per major frame M such that the tasks pass on
 *     that window table. The release-agnostic sbf of one window does not
 *     depend on its offset; the offset only limits L to M - offset.
 *
 * Method: binary search on the integer. Both supplies grow pointwise with
 * B or L (PRM(P, B+1) can imitate PRM(P, B); a longer window contains the
 * shorter one), and the FP and EDF tests are monotone in the supply, so
 * schedulability is monotone and the search is exact. Every returned
 * value has itself been checked; an analysis cap at some candidate counts
 * as "not schedulable", which can only make the answer larger, never
 * unsafe.
 */
#ifndef HV_WCRT_DESIGN_H
#define HV_WCRT_DESIGN_H

#include <stdbool.h>
#include <stddef.h>

#include <hv/types.h>

#include "analysis/wcrt.h"
#include "analysis/wcrt_supply.h"

#define WCRT_RTDS_MIN_BUDGET_US 10 /* Xen's minimum budget and period */

struct wcrt_design_result {
	bool found;
	hv_time_t value_us; /* found: the least budget / window length */
	/* Not found: why the largest candidate failed (WCRT_DEADLINE_MISS,
	 * WCRT_OVERLOAD, WCRT_CAP, ...); found: WCRT_OK. */
	enum wcrt_status status;
	unsigned long checks; /* schedulability analyses run */
};

/*
 * wcrt_schedulable() - do @tasks meet every deadline under @policy on @s?
 * FP runs with stop_at_deadline. *@why gets the deciding status
 * (WCRT_OK when schedulable) if not NULL.
 * Return: 0 with *@ok set; -EINVAL for invalid tasks or arguments.
 */
int wcrt_schedulable(const struct wcrt_task *tasks, size_t n,
		     enum wcrt_policy policy, const struct supply *s, bool *ok,
		     enum wcrt_status *why);

/*
 * wcrt_design_rtds_budget() - least integer-us budget in [10us, period]
 * for the period @period_us (>= 10).
 * Return: 0 with *@res filled (res->found false if even B = P fails);
 * -EINVAL for invalid tasks or period.
 */
int wcrt_design_rtds_budget(const struct wcrt_task *tasks, size_t n,
			    enum wcrt_policy policy, hv_time_t period_us,
			    struct wcrt_design_result *res);

/*
 * wcrt_design_arinc_window() - least integer-us length of one window at
 * @offset (ns) in the major frame @major_frame (ns), up to the frame end.
 * Return: 0 with *@res filled (found false if even the longest window
 * fails); -EINVAL for invalid tasks, or offset outside [0, frame - 1us].
 */
int wcrt_design_arinc_window(const struct wcrt_task *tasks, size_t n,
			     enum wcrt_policy policy, hv_time_t major_frame,
			     hv_time_t offset, struct wcrt_design_result *res);

#endif /* HV_WCRT_DESIGN_H */
