/*
 * Fixed-priority preemptive response-time analysis inside a supply.
 *
 * Method: level-i busy-period analysis over the jobs q = 0, 1, ... of task
 * i (Lehoczky, RTSS 1990; Tindell, Burns & Wellings, RTS 1994), with
 * release jitter (Audsley et al., SEJ 1993) and blocking (PCP/SRP, Sha et
 * al. 1990, Baker 1991), generalised to a supply bound function as in
 * Almeida & Pedreiras (EMSOFT 2004) and Shin & Lee (RTSS 2003):
 *
 *   rbf_q(t) = (q+1) C_i + B_i + sum_{j in hp(i)} ceil((t + J_j)/T_j) C_j
 *   w(q)     = least t > 0 with sbf(t) >= rbf_q(t),
 *              the fixed point of t <- tbf(rbf_q(t)) iterated from below
 *   R(q)     = w(q) - q T_i + J_i          (measured from arrival)
 *   stop at the first q with w(q) + J_i <= (q+1) T_i; R_i = max_q R(q)
 *
 * The stop test includes J_i: job q+1 arrives (q+1)T_i - J_i after the
 * busy period starts (Davis, Burns, Bril & Lukkien, RTS 2007 count
 * ceil((t + J_i)/T_i) jobs). On a dedicated pCPU (tbf(w) = w) this is
 * classic RTA, and exact for independent sporadic tasks. hp(i) holds every
 * other task with priority >= priority_i.
 *
 * A level whose utilisation exceeds the supply's bandwidth is reported as
 * WCRT_OVERLOAD at once; at exactly equal bandwidth the analysis runs and
 * the job cap decides. Nothing here allocates.
 */
#ifndef HV_WCRT_FP_H
#define HV_WCRT_FP_H

#include <stdbool.h>
#include <stddef.h>

#include <hv/types.h>

#include "analysis/wcrt.h"
#include "analysis/wcrt_supply.h"

#define WCRT_FP_DEFAULT_MAX_JOBS 100000UL
#define WCRT_FP_DEFAULT_MAX_ITER 10000000UL

/* Options; a NULL pointer or a zero field means the default. */
struct wcrt_fp_opts {
	unsigned long max_jobs; /* jobs in one busy period */
	unsigned long max_iter; /* fixed-point steps per task, all jobs */
	/* Stop as soon as R > D is certain (WCRT_DEADLINE_MISS): faster for
	 * yes/no questions such as budget design. */
	bool stop_at_deadline;
	/* Called for every job q analysed, with its completion w(q) and
	 * response R(q) (both from the busy period start / arrival). */
	void (*on_job)(void *arg, size_t task, unsigned long q,
		       hv_time_t completion, hv_time_t response);
	void *arg;
};

struct wcrt_fp_result {
	enum wcrt_status status;
	/* WCRT_OK: the bound R_i. WCRT_DEADLINE_MISS: a value > D that R_i
	 * is known to reach. Otherwise: 0. */
	hv_time_t response;
	bool deadline_met; /* status WCRT_OK and response <= deadline */
	unsigned long iterations; /* fixed-point steps, all jobs */
	unsigned long jobs; /* jobs analysed */
	unsigned long worst_job; /* the q that gave the maximum */
	hv_time_t busy_period; /* WCRT_OK: level-i busy period length */
};

/*
 * wcrt_fp_task() - analyse task @i of @tasks[@n] on supply @s.
 * Return: 0 with *@res filled (the verdict is res->status); -EINVAL for
 * invalid tasks (wcrt_tasks_valid()), i >= n or a NULL pointer.
 */
int wcrt_fp_task(const struct wcrt_task *tasks, size_t n, size_t i,
		 const struct supply *s, const struct wcrt_fp_opts *opts,
		 struct wcrt_fp_result *res);

/*
 * wcrt_fp_analyze() - wcrt_fp_task() for every task; res has n entries.
 * Return: 0, or -EINVAL as wcrt_fp_task().
 */
int wcrt_fp_analyze(const struct wcrt_task *tasks, size_t n,
		    const struct supply *s, const struct wcrt_fp_opts *opts,
		    struct wcrt_fp_result *res);

/* wcrt_fp_schedulable() - true when every result has deadline_met. */
bool wcrt_fp_schedulable(const struct wcrt_fp_result *res, size_t n);

#endif /* HV_WCRT_FP_H */
