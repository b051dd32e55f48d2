/*
 * RTDS upper-level admission: does every vCPU of a pool really get its
 * budget B in each of its periods P? Only then is the vCPU's supply the
 * periodic resource PRM(P, B) (wcrt_supply.h).
 *
 * Xen's RTDS runs global EDF over DEFERRABLE servers: budget is kept while
 * the vCPU is blocked, so a vCPU can run B at the end of one period and B
 * again at the start of the next. Sum(B/P) <= 1 is then not sufficient
 * (tests/unit/test_wcrt_rtds.c has a two-vCPU pool at 82% that misses).
 * The default model accounts for it; the periodic model is offered only
 * to show what the idealisation would claim. extratime is never counted.
 *
 * Tests (the one used is reported in struct wcrt_rtds_admission):
 *   DS_UNI     one pCPU, deferrable:  for all i,
 *                B_i + sum_{j != i} W_j(P_i) <= P_i
 *   DS_GLOBAL  m > 1 pCPUs, deferrable (same carry-in bound, BCL-style):
 *                sum_{j != i} min(W_j(P_i), P_i - B_i + 1)
 *                                          < m * (P_i - B_i + 1)
 *   UTIL       one pCPU, periodic idealisation: sum B/P <= 1
 *   GFB        m > 1 pCPUs, periodic idealisation (Goossens, Funk &
 *              Baruah 2003): sum B/P <= m - (m - 1) * max B/P
 * with W_j(L) = max_{0 < x <= min(L, P_j)} [min(B_j, x) +
 * floor((L - x)/P_j) * B_j] (wcrt_rtds_interference()). Derivations and the
 * argument for the PRM lower bound are in wcrt_rtds.c and docs/wcrt.md.
 */
#ifndef HV_WCRT_RTDS_H
#define HV_WCRT_RTDS_H

#include <stdbool.h>
#include <stddef.h>

#include <hv/types.h>

#include "analysis/wcrt.h"
#include "analysis/wcrt_supply.h"

enum wcrt_rtds_model {
	WCRT_RTDS_MODEL_DEFERRABLE, /* what Xen does: the safe default */
	WCRT_RTDS_MODEL_PERIODIC, /* idealisation; unsafe for real RTDS */
};

enum wcrt_rtds_test {
	WCRT_RTDS_TEST_DS_UNI,
	WCRT_RTDS_TEST_DS_GLOBAL,
	WCRT_RTDS_TEST_UTIL,
	WCRT_RTDS_TEST_GFB,
};

/* One vCPU of the pool: Xen's (period, budget), here in ns. */
struct wcrt_rtds_vcpu {
	hv_time_t period;
	hv_time_t budget;
};

struct wcrt_rtds_admission {
	enum wcrt_rtds_test test; /* the test that decided */
	enum wcrt_status status; /* WCRT_OK, or WCRT_OVERFLOW (refused) */
	bool admitted;
	/* Refused: the first vCPU found failing (the pool's, for UTIL/GFB:
	 * 0) and the two sides of its inequality (DS tests only). */
	size_t failing;
	hv_time_t demand, capacity;
};

/*
 * wcrt_rtds_interference() - W(L) for a deferrable server (@budget, @period):
 * the most it can run with deadline <= the end of a window of length
 * @window, with any alignment of its period grid. Evaluated exactly at
 * two points, x = min(L, P) and x = L mod P (see wcrt_rtds.c).
 * Return: W(L) >= 0 (0 for L <= 0).
 */
hv_time_t wcrt_rtds_interference(hv_time_t budget, hv_time_t period,
				 hv_time_t window);

/*
 * wcrt_rtds_admission() - run the admission test of @model for @n vCPUs that
 * share @pcpus pCPUs under global EDF (@pcpus = 1 for vCPUs pinned to one
 * pCPU; group pinned vCPUs per pCPU before calling).
 * Return: 0 and *@out filled; -EINVAL for n = 0, pcpus = 0 or a vCPU
 * without 0 < budget <= period <= WCRT_TIME_MAX.
 */
int wcrt_rtds_admission(const struct wcrt_rtds_vcpu *v, size_t n,
			unsigned int pcpus, enum wcrt_rtds_model model,
			struct wcrt_rtds_admission *out);

/*
 * wcrt_rtds_vcpu_supply() - the supply of vCPU @index of the pool: PRM(P, B)
 * if the pool is admitted, else no guarantee with the reason. The note
 * names the test either way (supply_reason()).
 * Return: 0, or -EINVAL as wcrt_rtds_admission() or for a bad @index.
 */
int wcrt_rtds_vcpu_supply(struct supply *s, const struct wcrt_rtds_vcpu *v,
			  size_t n, size_t index, unsigned int pcpus,
			  enum wcrt_rtds_model model);

/* wcrt_rtds_test_name() - e.g. "deferrable-server test (1 pCPU)". */
const char *wcrt_rtds_test_name(enum wcrt_rtds_test test);

#endif /* HV_WCRT_RTDS_H */
