/*
 * WCRT analysis: the types shared by the supply models (wcrt_supply.h),
 * the RTDS admission test (wcrt_rtds.h), fixed-priority RTA (wcrt_fp.h),
 * EDF demand analysis (wcrt_edf.h), interface design (wcrt_design.h) and
 * the cross-check simulator (wcrt_sim.h). Methods and citations are in
 * docs/wcrt.md.
 *
 * Time is hv_time_t: signed 64-bit integer nanoseconds (any other integer
 * tick works the same; the tests use small integers). Every verdict is
 * computed in exact integer arithmetic; a value that would leave the int64
 * range is reported as WCRT_OVERFLOW, never wrapped. No floating point is
 * used anywhere in this analysis. There is no global state: every function
 * works only on its arguments.
 */
#ifndef HV_WCRT_H
#define HV_WCRT_H

#include <stdbool.h>
#include <stddef.h>

#include <hv/types.h>

/*
 * Largest accepted task or supply parameter (about 146 years in ns).
 * Keeping inputs below 2^62 lets the sum of any two of them fit in an
 * int64, which keeps the overflow checks few and local.
 */
#define WCRT_TIME_MAX ((hv_time_t)1 << 62)

/*
 * Outcome of one analysis. WCRT_OK is the only status that carries a
 * bound; every other one means "no bound was computed", for the reason
 * its name gives.
 */
enum wcrt_status {
	WCRT_OK = 0,
	WCRT_NO_SUPPLY, /* the supply guarantees nothing (credit2, no window,
			 * RTDS pool failing admission) */
	WCRT_OVERLOAD, /* utilisation above the supply's bandwidth */
	WCRT_DEADLINE_MISS, /* stopped early: R > D is certain (FP with
			     * stop_at_deadline) */
	WCRT_CAP, /* job or iteration cap reached: busy period too long */
	WCRT_BOUND_TOO_LARGE, /* EDF check horizon above the cap */
	WCRT_OVERFLOW, /* a value left the int64 ns range */
};

/* Scheduling policy inside a component (a vCPU or a partition). */
enum wcrt_policy {
	WCRT_POLICY_FP, /* fixed-priority preemptive */
	WCRT_POLICY_EDF, /* preemptive EDF */
};

/*
 * A sporadic task. period is the minimum inter-arrival time (exact period
 * for periodic tasks). deadline is relative to arrival and may be larger
 * than period. jitter is the release jitter (a job arriving at a is
 * released in [a, a + jitter]); a response time is measured from the
 * arrival, so it includes the task's own jitter. blocking is the longest
 * time the task can be blocked by lower-priority (FP) or longer-deadline
 * (EDF) work, e.g. from PCP/SRP critical sections or non-preemptive
 * regions. priority: larger = more urgent (as in the scenario format);
 * used by FP only. Equal priorities are treated as interfering with each
 * other (the safe reading of FIFO among equals).
 *
 * Validity: wcet, period, deadline > 0; jitter, blocking >= 0; all
 * <= WCRT_TIME_MAX.
 */
struct wcrt_task {
	hv_time_t wcet;
	hv_time_t period;
	hv_time_t deadline;
	hv_time_t jitter;
	hv_time_t blocking;
	int priority;
};

/* wcrt_status_name() - a short lower-case name, e.g. "overload". */
const char *wcrt_status_name(enum wcrt_status st);

/*
 * wcrt_tasks_valid() - check every task against the rules above.
 * Return: 0, or -EINVAL naming nothing (the caller reports the index it
 * gets from *@bad if @bad is not NULL).
 */
int wcrt_tasks_valid(const struct wcrt_task *tasks, size_t n, size_t *bad);

#endif /* HV_WCRT_H */
