/*
 * A tiny discrete-time scheduler simulator used to cross-check the
 * analyses (wcrt-methods section 7, item 13): it runs a periodic task set
 * under preemptive FP or EDF, one time unit at a time, on a processor that
 * is available according to a periodic on/off pattern, and reports each
 * task's largest observed response time.
 *
 * It shares no code with the analyses on purpose: it is the independent
 * oracle of the tests (an observed maximum must never exceed an analysed
 * bound, and on a dedicated pCPU, synchronous FP must match RTA exactly).
 * Cost is O(end * n): meant for small integer time scales (the tests use
 * periods of at most a few hundred units), not for ns-scale scenarios.
 *
 * Model: job k of task i arrives at k*T_i (or at k*T_i - J_i with
 * jitter_burst, released at max(0, k*T_i - J_i): the critical jitter
 * pattern of the RTA, where the first job is released at 0 after waiting
 * its full jitter and the others as early as possible). Jobs of one task
 * run in arrival order; blocking is not simulated. Ties: FP by task
 * index, EDF by absolute deadline then task index.
 */
#ifndef HV_WCRT_SIM_H
#define HV_WCRT_SIM_H

#include <stdbool.h>
#include <stddef.h>

#include <hv/types.h>

#include "analysis/wcrt.h"
#include "analysis/wcrt_supply.h"

/*
 * Availability: unit [t, t+1) is available iff (t + phase) mod period
 * falls in one of the windows. period = 0 means always available.
 */
struct wcrt_sim_supply {
	hv_time_t period;
	hv_time_t phase;
	size_t nr_windows;
	const struct supply_window *windows;
};

struct wcrt_sim_opts {
	enum wcrt_policy policy;
	hv_time_t release_until; /* release jobs strictly before this */
	hv_time_t end; /* simulate [0, end) at most */
	bool jitter_burst; /* see above; else jitter is ignored */
	const struct wcrt_sim_supply *supply; /* NULL: dedicated */
};

struct wcrt_sim_result {
	hv_time_t max_response; /* over completed jobs, and unfinished
				 * ones counted up to end */
	unsigned long jobs; /* completed */
	unsigned long misses; /* late, or unfinished past the deadline */
	unsigned long unfinished; /* still pending at end */
	hv_time_t first_miss; /* earliest missed absolute deadline, or -1 */
};

/*
 * wcrt_sim_run() - simulate and fill @res[@n] (one entry per task).
 * Return: 0; -EINVAL for invalid tasks or options (end <= 0, a window
 * outside the pattern); -ENOMEM.
 */
int wcrt_sim_run(const struct wcrt_task *tasks, size_t n,
		 const struct wcrt_sim_opts *opts, struct wcrt_sim_result *res);

#endif /* HV_WCRT_SIM_H */
