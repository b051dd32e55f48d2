/*
 * Unit tests: EDF demand analysis (analysis/wcrt_edf.c).
 *
 * Worked examples are checked against their numbers and against the
 * discrete-time simulator; random sets then check that the verdict on a
 * dedicated pCPU equals the simulated one (the demand criterion is exact
 * there), that QPA and the full scan agree everywhere (including the
 * tbf-generalised QPA on supplies), that "schedulable" inside a supply
 * pattern means no simulated miss at any phase, and that no violation
 * hides beyond the computed horizon.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analysis/wcrt_edf.h"
#include "analysis/wcrt_fp.h"
#include "analysis/wcrt_sim.h"
#include "analysis/wcrt_supply.h"
#include "tests/support/wcrt_util.h"

#define MAXN 8

static struct wcrt_task tk(hv_time_t c, hv_time_t t, hv_time_t d, hv_time_t j,
			   hv_time_t b)
{
	return (struct wcrt_task){c, t, d, j, b, 0};
}

/* Random set with U <= num/den; D in [C, T] or [C, 2T]; J in [0, D/3]. */
static size_t gen_set(uint64_t *s, struct wcrt_task *t, int num, int den,
		      bool arbitrary, bool jitter)
{
	return wt_gen_set(s, t, num, den, 1, arbitrary,
			  jitter ? WT_JITTER_THIRD_DEADLINE : WT_JITTER_NONE);
}

static void edf(const struct wcrt_task *t, size_t n, const struct supply *s,
		enum wcrt_edf_method m, struct wcrt_edf_result *r)
{
	struct wcrt_edf_opts o = {.method = m};

	assert_int_equal(wcrt_edf_analyze(t, n, s, &o, r), 0);
}

/* Total simulated misses over all tasks. */
static unsigned long sim_misses(const struct wcrt_task *t, size_t n,
				enum wcrt_policy pol, bool burst,
				const struct wcrt_sim_supply *sup,
				hv_time_t until, hv_time_t end)
{
	struct wcrt_sim_opts o = {pol, until, end, burst, sup};
	struct wcrt_sim_result r[MAXN];
	unsigned long misses = 0;

	assert_int_equal(wcrt_sim_run(t, n, &o, r), 0);
	for (size_t i = 0; i < n; i++)
		misses += r[i].misses;
	return misses;
}

/*
 * Liu & Layland (JACM 1973): implicit deadlines are EDF-schedulable iff
 * U <= 1. (C, T) = (2, 4), (3, 6) has U = 1: EDF passes while RM misses
 * (R_2 = 7 > 6), both confirmed by simulation.
 */
static void test_full_utilisation(void **state)
{
	struct wcrt_task t[2] = {tk(2, 4, 4, 0, 0), tk(3, 6, 6, 0, 0)};
	struct wcrt_fp_result fp[2];
	struct wcrt_edf_result r;
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	edf(t, 2, &s, WCRT_EDF_AUTO, &r);
	assert_int_equal(r.status, WCRT_OK);
	assert_true(r.schedulable);
	assert_int_equal(r.method, WCRT_EDF_QPA);
	assert_int_equal(sim_misses(t, 2, WCRT_POLICY_EDF, false, NULL, 24, 48),
			 0);
	t[0].priority = 2;
	t[1].priority = 1;
	assert_int_equal(wcrt_fp_analyze(t, 2, &s, NULL, fp), 0);
	assert_int_equal(fp[1].response, 7);
	assert_true(sim_misses(t, 2, WCRT_POLICY_FP, false, NULL, 24, 48) > 0);
}

/*
 * The classic RM-versus-EDF pair (cf. Buttazzo, Hard Real-Time Computing
 * Systems, ch. 4): (2, 5), (4, 7), U = 0.97. RM misses at t = 7; EDF meets
 * every deadline. Both confirmed by simulation.
 */
static void test_rm_versus_edf(void **state)
{
	struct wcrt_task t[2] = {tk(2, 5, 5, 0, 0), tk(4, 7, 7, 0, 0)};
	struct wcrt_edf_result r;
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	edf(t, 2, &s, WCRT_EDF_AUTO, &r);
	assert_true(r.schedulable);
	assert_int_equal(
	    sim_misses(t, 2, WCRT_POLICY_EDF, false, NULL, 70, 140), 0);
	t[0].priority = 2;
	t[1].priority = 1;
	assert_true(sim_misses(t, 2, WCRT_POLICY_FP, false, NULL, 70, 140) > 0);
}

/*
 * U < 1 is not enough with constrained deadlines: (C, T, D) = (2, 4, 2),
 * (3, 8, 3), U = 0.875, dbf(3) = 5 > 3. Hand-computed; the simulator
 * misses the deadline at 3 too.
 */
static void test_constrained_violation(void **state)
{
	struct wcrt_task t[2] = {tk(2, 4, 2, 0, 0), tk(3, 8, 3, 0, 0)};
	struct wcrt_sim_opts o = {WCRT_POLICY_EDF, 16, 64, false, NULL};
	struct wcrt_sim_result sim[2];
	struct wcrt_edf_result r;
	struct supply s;
	hv_time_t d;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	assert_int_equal(wcrt_edf_dbf(t, 2, 2, &d), WCRT_OK);
	assert_int_equal(d, 2);
	assert_int_equal(wcrt_edf_dbf(t, 2, 3, &d), WCRT_OK);
	assert_int_equal(d, 5);
	assert_int_equal(wcrt_edf_dbf(t, 2, 10, &d), WCRT_OK);
	assert_int_equal(d, 3 * 2 + 1 * 3);
	for (int m = WCRT_EDF_QPA; m <= WCRT_EDF_SCAN; m++) {
		edf(t, 2, &s, (enum wcrt_edf_method)m, &r);
		assert_int_equal(r.status, WCRT_OK);
		assert_false(r.schedulable);
		assert_int_equal(r.violation, 3);
		assert_true(r.violation_first);
		assert_int_equal(r.demand, 5);
		assert_int_equal(r.supply, 3);
	}
	assert_int_equal(wcrt_sim_run(t, 2, &o, sim), 0);
	assert_int_equal(sim[1].first_miss, 3);
}

/* Jitter shortens the deadline; blocking adds to h(t) from D' on. */
static void test_jitter_and_blocking(void **state)
{
	struct wcrt_task t[2] = {tk(1, 4, 3, 0, 1), tk(2, 8, 8, 0, 0)};
	struct wcrt_edf_result r;
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	edf(t, 2, &s, WCRT_EDF_AUTO, &r);
	assert_true(r.schedulable); /* h(3) = 1 + 1 = 2 */
	t[0].blocking = 3; /* h(3) = 1 + 3 = 4 > 3 */
	edf(t, 2, &s, WCRT_EDF_SCAN, &r);
	assert_false(r.schedulable);
	assert_int_equal(r.violation, 3);
	t[0].blocking = 0;
	t[0].jitter = 2; /* D' = 1: dbf(1) = 1 <= 1 */
	edf(t, 2, &s, WCRT_EDF_AUTO, &r);
	assert_true(r.schedulable);
	t[0].wcet = 2; /* dbf(1) = 2 > 1 */
	edf(t, 2, &s, WCRT_EDF_AUTO, &r);
	assert_false(r.schedulable);
	assert_int_equal(r.violation, 1);
	t[0].jitter = 3; /* due before release */
	edf(t, 2, &s, WCRT_EDF_AUTO, &r);
	assert_false(r.schedulable);
	assert_int_equal(r.violation, 0);
}

static void test_statuses(void **state)
{
	struct wcrt_task t[2] = {tk(3, 4, 4, 0, 0), tk(2, 4, 4, 0, 0)};
	struct wcrt_edf_opts o = {0};
	struct wcrt_edf_result r;
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	edf(t, 2, &s, WCRT_EDF_AUTO, &r);
	assert_int_equal(r.status, WCRT_OVERLOAD);
	assert_false(r.schedulable);

	supply_init_none(&s, "credit2: proportional share");
	t[0].wcet = 1;
	edf(t, 2, &s, WCRT_EDF_AUTO, &r);
	assert_int_equal(r.status, WCRT_NO_SUPPLY);
	assert_false(r.schedulable);

	/* Horizon and point caps. */
	supply_init_prm(&s, 10, 9);
	t[0] = tk(1, 7, 5, 0, 0);
	t[1] = tk(3, 11, 9, 0, 0);
	o.max_horizon = 5;
	assert_int_equal(wcrt_edf_analyze(t, 2, &s, &o, &r), 0);
	assert_int_equal(r.status, WCRT_BOUND_TOO_LARGE);
	o = (struct wcrt_edf_opts){0};
	assert_int_equal(wcrt_edf_analyze(t, 2, &s, &o, &r), 0);
	assert_int_equal(r.status, WCRT_OK);
	assert_true(r.schedulable);
	assert_int_equal(r.horizon, 6);
	/* U = 1: horizon = busy period 12, deadlines 4, 6, 8, 12. */
	supply_init_dedicated(&s, 0, 0);
	t[0] = tk(2, 4, 4, 0, 0);
	t[1] = tk(3, 6, 6, 0, 0);
	o = (struct wcrt_edf_opts){.method = WCRT_EDF_SCAN, .max_points = 3};
	assert_int_equal(wcrt_edf_analyze(t, 2, &s, &o, &r), 0);
	assert_int_equal(r.status, WCRT_BOUND_TOO_LARGE);
	o.max_points = 4;
	assert_int_equal(wcrt_edf_analyze(t, 2, &s, &o, &r), 0);
	assert_int_equal(r.status, WCRT_OK);
	assert_int_equal(r.horizon, 12);
	assert_int_equal(r.points, 4);

	/* U equal to a PRM's bandwidth: no finite horizon can be shown. */
	supply_init_prm(&s, 4, 2);
	t[0] = tk(1, 2, 2, 0, 0);
	edf(t, 1, &s, WCRT_EDF_AUTO, &r);
	assert_int_equal(r.status, WCRT_BOUND_TOO_LARGE);

	t[0].period = 0;
	assert_int_equal(wcrt_edf_analyze(t, 1, &s, NULL, &r), -EINVAL);
}

/*
 * Random sets on a dedicated pCPU: QPA and the full scan agree on the
 * verdict and the first violation, and the verdict equals the simulated
 * synchronous schedule (exact criterion).
 */
static void test_random_dedicated_exact(void **state)
{
	uint64_t seed = 4242;
	unsigned long sched = 0, sets = 0, qpa_points = 0, scan_points = 0;
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	for (int iter = 0; iter < 500; iter++) {
		struct wcrt_task t[MAXN];
		struct wcrt_edf_result q, f;
		size_t n = gen_set(&seed, t, 1, 1, iter % 2, false);
		hv_time_t h = wt_hyperperiod(t, n);
		unsigned long misses;

		edf(t, n, &s, WCRT_EDF_QPA, &q);
		edf(t, n, &s, WCRT_EDF_SCAN, &f);
		assert_int_equal(q.status, WCRT_OK);
		assert_int_equal(f.status, WCRT_OK);
		assert_int_equal(q.schedulable, f.schedulable);
		if (!q.schedulable) {
			assert_true(q.violation_first);
			assert_int_equal(q.violation, f.violation);
		}
		misses = sim_misses(t, n, WCRT_POLICY_EDF, false, NULL,
				    2 * h + 80, 8 * h + 400);
		if (q.schedulable != (misses == 0))
			fail_msg("set %d: analysis %d, %lu simulated misses",
				 iter, q.schedulable, misses);
		sched += q.schedulable;
		qpa_points += q.points;
		scan_points += f.points;
		sets++;
	}
	print_message("edf dedicated: %lu sets, %lu schedulable, verdict == "
		      "simulation for all; QPA %lu points vs scan %lu\n",
		      sets, sched, qpa_points, scan_points);
}

struct pattern {
	hv_time_t period;
	size_t nr;
	struct supply_window w[4];
};

/* A random supply and a legal schedule of it for the simulator. */
static void gen_supply(uint64_t *seed, int kind, struct supply *s,
		       struct pattern *p)
{
	memset(p, 0, sizeof(*p));
	if (kind == 0) {
		hv_time_t m = wt_rng_range(seed, 6, 12), at = 0;

		p->period = m;
		while (p->nr < 3 && at < m - 1) {
			hv_time_t off = wt_rng_range(seed, at, m - 2);
			hv_time_t len = wt_rng_range(seed, 1, m - off);

			p->w[p->nr++] = (struct supply_window){off, len};
			at = off + len + 1;
		}
		assert_int_equal(supply_init_windows(s, m, p->w, p->nr), 0);
	} else if (kind == 1) {
		hv_time_t per = wt_rng_range(seed, 2, 8);
		hv_time_t b = wt_rng_range(seed, (per + 1) / 2, per);

		assert_int_equal(supply_init_prm(s, per, b), 0);
		p->period = 2 * per;
		p->nr = 2;
		p->w[0] = (struct supply_window){0, b};
		p->w[1] = (struct supply_window){2 * per - b, b};
		if (b == per) {
			p->nr = 1;
			p->w[0].len = 2 * per;
		}
	} else {
		hv_time_t per = wt_rng_range(seed, 3, 10);
		hv_time_t o = wt_rng_range(seed, 1, per / 3);

		assert_int_equal(supply_init_dedicated(s, o, per), 0);
		p->period = per;
		p->nr = 1;
		p->w[0] = (struct supply_window){o, per - o};
	}
}

/*
 * Random sets inside supplies: SCAN and the tbf-generalised QPA agree;
 * schedulable implies no simulated miss at any phase of a legal supply
 * pattern; and brute force over every integer t up to a far bound finds
 * no violation that the horizon would have missed.
 */
static void test_random_supplies(void **state)
{
	uint64_t seed = 31337;
	unsigned long sched = 0, sets = 0, runs = 0, caught = 0;

	(void)state;
	for (int iter = 0; iter < 300; iter++) {
		struct wcrt_task t[MAXN];
		struct wcrt_edf_result q, f;
		struct pattern p;
		struct supply s;
		size_t n = gen_set(&seed, t, 1, 3, iter % 2, iter % 4 == 1);
		hv_time_t h, far;

		gen_supply(&seed, iter % 3, &s, &p);
		h = wt_lcm(wt_hyperperiod(t, n), p.period);
		edf(t, n, &s, WCRT_EDF_SCAN, &f);
		edf(t, n, &s, WCRT_EDF_QPA, &q);
		assert_int_equal(f.status, q.status);
		if (f.status != WCRT_OK)
			continue;
		assert_int_equal(f.schedulable, q.schedulable);
		if (!f.schedulable)
			assert_int_equal(f.violation, q.violation);
		sets++;
		far = 3 * h + 2 * f.horizon;
		for (hv_time_t x = 1; x <= far; x++) {
			hv_time_t d, b = 0, sbf;

			assert_int_equal(wcrt_edf_dbf(t, n, x, &d), WCRT_OK);
			for (size_t i = 0; i < n; i++)
				if (t[i].deadline - t[i].jitter <= x &&
				    t[i].blocking > b)
					b = t[i].blocking;
			supply_sbf(&s, x, &sbf);
			if (d + b > sbf) {
				assert_false(f.schedulable);
				assert_true(x >= f.violation);
				break;
			}
		}
		if (!f.schedulable)
			continue;
		sched++;
		for (hv_time_t ph = 0; ph < p.period; ph++) {
			struct wcrt_sim_supply sup = {p.period, ph, p.nr, p.w};

			runs++;
			if (sim_misses(t, n, WCRT_POLICY_EDF, iter % 4 == 1,
				       &sup, 2 * h + 80, 8 * h + 400))
				fail_msg("set %d phase %lld: schedulable but "
					 "simulated miss",
					 iter, (long long)ph);
		}
	}
	for (int iter = 0; iter < 200; iter++) { /* misses are flagged */
		struct wcrt_task t[MAXN];
		struct wcrt_edf_result f;
		struct pattern p;
		struct supply s;
		size_t n = gen_set(&seed, t, 2, 3, false, false);
		hv_time_t h;

		gen_supply(&seed, iter % 3, &s, &p);
		h = wt_lcm(wt_hyperperiod(t, n), p.period);
		edf(t, n, &s, WCRT_EDF_AUTO, &f);
		for (hv_time_t ph = 0; ph < p.period; ph++) {
			struct wcrt_sim_supply sup = {p.period, ph, p.nr, p.w};

			if (sim_misses(t, n, WCRT_POLICY_EDF, false, &sup,
				       2 * h + 80, 8 * h + 400)) {
				assert_false(f.schedulable);
				caught++;
				break;
			}
		}
	}
	print_message("edf supplies: %lu decided sets, %lu schedulable, %lu "
		      "(set, phase) simulations without a miss; %lu simulated "
		      "misses all flagged by the analysis\n",
		      sets, sched, runs, caught);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_utilisation),
	    cmocka_unit_test(test_rm_versus_edf),
	    cmocka_unit_test(test_constrained_violation),
	    cmocka_unit_test(test_jitter_and_blocking),
	    cmocka_unit_test(test_statuses),
	    cmocka_unit_test(test_random_dedicated_exact),
	    cmocka_unit_test(test_random_supplies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
