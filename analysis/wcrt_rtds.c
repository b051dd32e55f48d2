/*
 * RTDS admission and the supply of an RTDS vCPU.
 *
 * Design. Model: each vCPU j is a deferrable server on a fixed period
 * grid (Xen keeps the grid across sleeps: a late wake-up moves the
 * deadline by whole periods); at most B_j runs per period, the deadline is
 * the period end, and the pool runs global EDF on deadlines (ties count as
 * interfering). extratime runs at a lower priority level than every
 * budgeted vCPU, so it neither adds to the guarantee nor interferes.
 *
 * Interference bound W_j(L). Take a window [a, a + L) that ends at the
 * deadline of vCPU i. Only periods of j whose deadline is <= a + L can
 * run ahead of i. If the first of them ends x after a (0 < x <= min(L,
 * P_j)), it runs at most min(B_j, x) inside the window (its budget may be
 * untouched until then: the deferrable carry-in), and the
 * floor((L - x)/P_j) later ones at most B_j each:
 *
 *     g(x) = min(B_j, x) + floor((L - x)/P_j) * B_j.
 *
 * Where the max over x is: floor((L - x)/P_j) is constant on each piece
 * (L - (k+1)P_j, L - kP_j] and only drops when x passes a point L - kP_j;
 * on each piece g is non-decreasing in x (min(B_j, x) only grows). So the
 * maximum is at the right end of a piece. (0, min(L, P_j)] is at most P_j
 * long, so it holds at most one point L - kP_j, namely r = L mod P_j
 * (when r > 0), and the right ends are r and min(L, P_j). The slope change
 * of min(B_j, x) at x = B_j is never a maximum candidate. Hence
 *
 *     W_j(L) = max(g(min(L, P_j)), g(L mod P_j) if L mod P_j > 0).
 *
 * The tests compare this with a brute force over every integer x.
 *
 * Why PRM(P_i, B_i) is the vCPU's own supply once the pool passes. Split
 * a period [a, d) of i (d = a + P_i) into (A) i runs, (B) others with
 * deadline <= d run while i is backlogged with budget, (C) the rest. If
 * i ever exhausts its budget in the period it got B_i. Otherwise, under
 * EDF, i is never ready-with-budget during (C), so (C) is time offered to
 * i while it had nothing to do. The test bounds (B) <= P_i - B_i (one
 * pCPU) and hence |A| + |C| >= B_i: in every period i receives B_i units
 * of run-or-offered time. In any interval in which the component is
 * backlogged, offered time is run time, so the component gets at least
 * what a server supplying B_i per period at arbitrary positions would
 * give: the PRM sbf with its 2(P_i - B_i) blackout. The back-to-back
 * (deferrable) behaviour of i itself only ever gives i MORE than that;
 * it hurts the OTHER vCPUs, which is what the carry-in term of W covers.
 *
 * On m pCPUs, if i misses, the time in its period when i is ready with
 * budget but not running is >= P_i - B_i + 1 (integer time), and in all
 * of it m vCPUs with deadline <= d run; each j contributes at most
 * min(W_j(P_i), P_i - B_i + 1) to that. That is the BCL argument
 * (Bertogna, Cirinei & Lipari, ECRTS 2005) with the deferrable W_j. For
 * m = 1 it reduces exactly to the uniprocessor test.
 */
#include <errno.h>
#include <stdio.h>

#include "analysis/wcrt_private.h"
#include "analysis/wcrt_rtds.h"
#include "scenario/scenario.h"

hv_time_t wcrt_rtds_interference(hv_time_t budget, hv_time_t period,
				 hv_time_t window)
{
	hv_time_t m, r, g_m, g_r = 0;

	if (window <= 0)
		return 0;
	m = wcrt_min(window, period);
	g_m = wcrt_min(budget, m) + ((window - m) / period) * budget;
	r = window % period;
	if (r > 0)
		g_r = wcrt_min(budget, r) + (window / period) * budget;
	return wcrt_max(g_m, g_r);
}

const char *wcrt_rtds_test_name(enum wcrt_rtds_test test)
{
	switch (test) {
	case WCRT_RTDS_TEST_DS_UNI: return "deferrable-server test (1 pCPU)";
	case WCRT_RTDS_TEST_DS_GLOBAL:
		return "deferrable-server BCL-style gEDF test";
	case WCRT_RTDS_TEST_UTIL:
		return "sum(B/P) <= 1 (periodic-server idealisation)";
	case WCRT_RTDS_TEST_GFB:
		return "GFB gEDF test (periodic-server idealisation)";
	}
	return "unknown test";
}

/*
 * The deferrable-server tests. Sums run in 128 bits: each W is below
 * 2^63 and there are at most SIZE_MAX of them, far from 2^127.
 */
static void ds_test(const struct wcrt_rtds_vcpu *v, size_t n, unsigned int m,
		    struct wcrt_rtds_admission *out)
{
	out->test = m == 1 ? WCRT_RTDS_TEST_DS_UNI : WCRT_RTDS_TEST_DS_GLOBAL;
	for (size_t i = 0; i < n; i++) {
		hv_time_t slack = v[i].period - v[i].budget + 1;
		__int128 sum = 0, cap;

		for (size_t j = 0; j < n; j++) {
			hv_time_t w;

			if (j == i)
				continue;
			w = wcrt_rtds_interference(v[j].budget, v[j].period,
						   v[i].period);
			sum += m == 1 ? w : wcrt_min(w, slack);
		}
		cap = m == 1 ? (__int128)v[i].period - v[i].budget
			     : (__int128)m * slack - 1;
		if (sum > cap) {
			__int128 lhs = sum + (m == 1 ? v[i].budget : 0);
			__int128 rhs = m == 1 ? v[i].period : cap + 1;

			out->admitted = false;
			out->failing = i;
			out->demand = lhs > WCRT_TIME_MAX ? HV_TIME_NEVER
							  : (hv_time_t)lhs;
			out->capacity = rhs > WCRT_TIME_MAX ? HV_TIME_NEVER
							    : (hv_time_t)rhs;
			return;
		}
	}
	out->admitted = true;
}

static bool vcpu_get(const void *ctx, size_t j, hv_time_t *c, hv_time_t *t)
{
	const struct wcrt_rtds_vcpu *v = ctx;

	*c = v[j].budget;
	*t = v[j].period;
	return true;
}

/* Periodic idealisation: sum U <= 1, or GFB on m > 1 pCPUs. */
static void periodic_test(const struct wcrt_rtds_vcpu *v, size_t n,
			  unsigned int m, struct wcrt_rtds_admission *out)
{
	hv_time_t num = 1, den = 1;
	size_t k = 0;
	int cmp;

	out->test = m == 1 ? WCRT_RTDS_TEST_UTIL : WCRT_RTDS_TEST_GFB;
	if (m > 1) {
		/* u_max = B_k/P_k; bound m - (m-1) u_max = (mP - (m-1)B)/P */
		for (size_t j = 1; j < n; j++)
			if ((__int128)v[j].budget * v[k].period >
			    (__int128)v[k].budget * v[j].period)
				k = j;
		hv_time_t used;

		if (!wcrt_mul(m, v[k].period, &num) ||
		    !wcrt_mul(m - 1, v[k].budget, &used)) {
			out->status = WCRT_OVERFLOW;
			out->admitted = false;
			return;
		}
		num -= used; /* > 0: budget <= period */
		den = v[k].period;
	}
	cmp = wcrt_ratio_cmp(n, vcpu_get, v, num, den);
	/* An undecided comparison is a refusal: never admit on rounding. */
	out->admitted = cmp == -1 || cmp == 0;
}

int wcrt_rtds_admission(const struct wcrt_rtds_vcpu *v, size_t n,
			unsigned int pcpus, enum wcrt_rtds_model model,
			struct wcrt_rtds_admission *out)
{
	if (!n || !v || !pcpus || !out)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (v[i].budget <= 0 || v[i].budget > v[i].period ||
		    v[i].period > WCRT_TIME_MAX)
			return -EINVAL;
	*out = (struct wcrt_rtds_admission){.status = WCRT_OK};
	if (model == WCRT_RTDS_MODEL_PERIODIC)
		periodic_test(v, n, pcpus, out);
	else
		ds_test(v, n, pcpus, out);
	return 0;
}

int wcrt_rtds_vcpu_supply(struct supply *s, const struct wcrt_rtds_vcpu *v,
			  size_t n, size_t index, unsigned int pcpus,
			  enum wcrt_rtds_model model)
{
	struct wcrt_rtds_admission adm;
	char note[SUPPLY_REASON_LEN], a[32], b[32];
	int rc;

	if (index >= n)
		return -EINVAL;
	rc = wcrt_rtds_admission(v, n, pcpus, model, &adm);
	if (rc)
		return rc;
	if (adm.admitted)
		snprintf(note, sizeof(note), "admitted by the %s on %u pCPU%s",
			 wcrt_rtds_test_name(adm.test), pcpus,
			 pcpus == 1 ? "" : "s");
	else if (adm.status != WCRT_OK)
		snprintf(note, sizeof(note), "%s: overflow, pool refused",
			 wcrt_rtds_test_name(adm.test));
	else if (adm.test == WCRT_RTDS_TEST_DS_UNI ||
		 adm.test == WCRT_RTDS_TEST_DS_GLOBAL) {
		scn_format_time(adm.demand, a, sizeof(a));
		scn_format_time(adm.capacity, b, sizeof(b));
		snprintf(note, sizeof(note),
			 "pool fails the %s at vCPU %zu (%s %s %s %s)",
			 wcrt_rtds_test_name(adm.test), adm.failing,
			 adm.test == WCRT_RTDS_TEST_DS_UNI
			     ? "B + sum W ="
			     : "sum min(W, P - B + 1) =",
			 a, adm.test == WCRT_RTDS_TEST_DS_UNI ? ">" : ">=", b);
	} else
		snprintf(note, sizeof(note), "pool fails the %s",
			 wcrt_rtds_test_name(adm.test));
	return supply_init_deferrable(s, v[index].period, v[index].budget,
				      adm.admitted, note);
}
