/*
 * Supply models: what a component (a vCPU, a partition) is guaranteed to
 * get from the hypervisor, as a supply bound function.
 *
 *   sbf(t) = the least processor time the component receives in ANY
 *            interval of length t during which it is backlogged;
 *   tbf(w) = min { t : sbf(t) >= w }, its exact inverse.
 *
 * One struct supply per component; the local analyses (wcrt_fp.h,
 * wcrt_edf.h) only see sbf, tbf and the linear lower bound. Which model
 * fits which Xen scheduler (docs/wcrt.md, wcrt-methods section 3.5):
 *
 *   null      SUPPLY_DEDICATED (optionally minus a periodic overhead)
 *   RTDS      SUPPLY_DEFERRABLE_SERVER, built by wcrt_rtds_vcpu_supply() in
 *             wcrt_rtds.h: PRM(P, B) once the pool passes admission
 *   ARINC653  SUPPLY_WINDOWS, the exact window table of the partition
 *   credit2   SUPPLY_NONE: no guarantee; every query says so
 *   (models)  SUPPLY_PRM, SUPPLY_EDP for component interfaces
 *
 * Sources: I. Shin, I. Lee, RTSS 2003 (periodic resource model, PRM);
 * A. Easwaran, M. Anand, I. Lee, RTSS 2007 (explicit-deadline periodic,
 * EDP); Mok, Feng & Chen 2001 (bounded delay, used as the linear bound);
 * Easwaran, Lee, Sokolsky, Vestal, RTCSA 2009 (ARINC 653 partitions).
 *
 * A struct supply is plain data filled by one supply_init_*() call; it owns
 * no memory and may be copied. Fields are for reading only.
 */
#ifndef HV_WCRT_SUPPLY_H
#define HV_WCRT_SUPPLY_H

#include <stdbool.h>
#include <stddef.h>

#include <hv/types.h>

#include "analysis/wcrt.h"

/* Xen's arinc653 scheduler takes at most 64 schedule entries. */
#define SUPPLY_MAX_WINDOWS 64
#define SUPPLY_REASON_LEN 160

enum supply_kind {
	SUPPLY_NONE,
	SUPPLY_DEDICATED,
	SUPPLY_PRM,
	SUPPLY_EDP,
	SUPPLY_DEFERRABLE_SERVER,
	SUPPLY_WINDOWS,
};

/* One window [offset, offset + len) of a major frame. */
struct supply_window {
	hv_time_t offset;
	hv_time_t len;
};

struct supply {
	enum supply_kind kind;
	bool guaranteed; /* false: every query returns WCRT_NO_SUPPLY */
	/*
	 * DEDICATED with overhead, PRM, EDP and an admitted deferrable server
	 * are all evaluated as an EDP (period, budget, deadline); see
	 * wcrt_supply.c. overhead is DEDICATED's O (0: none).
	 */
	hv_time_t period, budget, deadline, overhead;
	/* WINDOWS: windows sorted by offset; total = sum of lengths. */
	hv_time_t major_frame, total;
	size_t nr_windows;
	struct supply_window windows[SUPPLY_MAX_WINDOWS];
	/* Linear lower bound sbf(t) >= (num/den) * (t - lin_delay). */
	hv_time_t lin_num, lin_den, lin_delay;
	/* NONE and refused servers: why there is no guarantee; admitted
	 * servers: which admission test passed. */
	char reason[SUPPLY_REASON_LEN];
};

/*
 * supply_init_dedicated() - a whole pCPU (Xen null scheduler).
 * With @overhead > 0 the pCPU loses @overhead every @period to a strictly
 * periodic interference (e.g. a hypervisor tick) at the worst phase:
 *   sbf(t) = floor(t/P)*(P - O) + max(0, t mod P - O).
 * The classic form t - ceil(t/P)*O (clamped at 0) is a lower bound that
 * dips at every period start, so it is not monotone; the form above is
 * its monotone envelope and has the SAME inverse tbf, so FP response
 * times equal classic RTA with an extra highest-priority task (O, P).
 * Pass @overhead = @period = 0 for no overhead.
 * Return: 0, or -EINVAL (negative values, O >= P, P > WCRT_TIME_MAX).
 */
int supply_init_dedicated(struct supply *s, hv_time_t overhead,
			  hv_time_t period);

/*
 * supply_init_prm() - periodic resource Gamma(@period, @budget): @budget
 * units in every period, anywhere in it. Blackout 2(P - B).
 * A zero budget gives a supply without guarantee.
 * Return: 0, or -EINVAL (period <= 0, budget < 0, budget > period).
 */
int supply_init_prm(struct supply *s, hv_time_t period, hv_time_t budget);

/*
 * supply_init_edp() - explicit-deadline periodic Omega(@period, @budget,
 * @deadline): @budget units within @deadline of every period start.
 * Blackout P + D - 2B; D = P is the PRM.
 * Return: 0, or -EINVAL (needs 0 <= budget <= deadline <= period).
 */
int supply_init_edp(struct supply *s, hv_time_t period, hv_time_t budget,
		    hv_time_t deadline);

/*
 * supply_init_windows() - the exact supply of an ARINC 653 partition on
 * one pCPU: its @n windows repeat every @major_frame. Windows are copied
 * and sorted; they must lie inside the frame and not overlap. No window
 * (n = 0) gives a supply without guarantee.
 * Return: 0, or -EINVAL (bad frame or window, overlap, n too large).
 */
int supply_init_windows(struct supply *s, hv_time_t major_frame,
			const struct supply_window *w, size_t n);

/*
 * supply_init_none() - no guaranteed supply (credit2, or anything else
 * that cannot promise time). @reason (may be NULL) is kept for reports.
 * Return: 0.
 */
int supply_init_none(struct supply *s, const char *reason);

/*
 * supply_init_deferrable() - an RTDS vCPU (budget @budget every @period).
 * Low level: wcrt_rtds_vcpu_supply() runs the pool admission test and calls
 * this. If @admitted, the supply is PRM(@period, @budget) and @note names
 * the test that admitted it; otherwise it guarantees nothing and @note
 * says why. extratime is never part of the supply.
 * Return: 0, or -EINVAL (needs 0 < budget <= period).
 */
int supply_init_deferrable(struct supply *s, hv_time_t period, hv_time_t budget,
			   bool admitted, const char *note);

/*
 * supply_sbf() - *@out = sbf(@t); t <= 0 gives 0.
 * Return: WCRT_OK, or WCRT_NO_SUPPLY (then *@out = 0).
 */
enum wcrt_status supply_sbf(const struct supply *s, hv_time_t t,
			    hv_time_t *out);

/*
 * supply_tbf() - *@out = min { t : sbf(t) >= @w }; w <= 0 gives 0.
 * Exact: sbf(tbf(w)) >= w and sbf(tbf(w) - 1) < w.
 * Return: WCRT_OK; WCRT_NO_SUPPLY or WCRT_OVERFLOW (then *@out =
 * HV_TIME_NEVER).
 */
enum wcrt_status supply_tbf(const struct supply *s, hv_time_t w,
			    hv_time_t *out);

/*
 * supply_linear() - the linear (bounded-delay) lower bound
 *   sbf(t) >= (*@num / *@den) * (t - *@delay)  for every t >= 0,
 * with num/den the long-run bandwidth (1/1 for a whole pCPU).
 * Return: WCRT_OK, or WCRT_NO_SUPPLY.
 */
enum wcrt_status supply_linear(const struct supply *s, hv_time_t *num,
			       hv_time_t *den, hv_time_t *delay);

/* supply_guaranteed() - true when the queries return bounds. */
bool supply_guaranteed(const struct supply *s);

/* supply_reason() - why there is no guarantee, or the admission note. */
const char *supply_reason(const struct supply *s);

/* supply_kind_name() - "dedicated", "prm", "edp", "rtds", "windows", ... */
const char *supply_kind_name(enum supply_kind kind);

/*
 * supply_describe() - one human line, e.g. "ARINC653 windows: 2 x 5ms in
 * 20ms" or "no guaranteed supply: credit2 is proportional share".
 * Return: what snprintf returns.
 */
int supply_describe(const struct supply *s, char *buf, size_t len);

#endif /* HV_WCRT_SUPPLY_H */
