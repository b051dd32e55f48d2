/*
 * Unit tests: fixed-priority RTA inside a supply (analysis/wcrt_fp.c).
 *
 * Published examples are checked twice: against the published numbers and
 * against the discrete-time simulator (analysis/wcrt_sim.c), so that a
 * misremembered number cannot pass silently. Random task sets (seeded)
 * then compare the analysis with the simulator: equality on a dedicated
 * pCPU for synchronous release (with and without the critical jitter
 * pattern), and bound >= observed for every phase of supply patterns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/wcrt_fp.h"
#include "analysis/wcrt_sim.h"
#include "analysis/wcrt_supply.h"
#include "tests/support/wcrt_util.h"

#define MAXN 8

static struct wcrt_task tk(hv_time_t c, hv_time_t t, hv_time_t d, hv_time_t j,
			   hv_time_t b, int prio)
{
	return (struct wcrt_task){c, t, d, j, b, prio};
}

/*
 * A random set with utilisation <= umax_num/umax_den, unique random
 * priorities; deadlines in [C, T] or, if @arbitrary, in [C, 2T]; jitter
 * in [0, T/2] if @jitter.
 */
static size_t gen_set(uint64_t *s, struct wcrt_task *t, hv_time_t umax_num,
		      hv_time_t umax_den, bool arbitrary, bool jitter)
{
	size_t n = wt_gen_set(s, t, umax_num, umax_den, 0, arbitrary,
			      jitter ? WT_JITTER_HALF_PERIOD : WT_JITTER_NONE);

	for (size_t i = 0; i < n; i++) /* random permutation of 1..n */
		t[i].priority = (int)i + 1;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)(wt_rng_next(s) % (i + 1));
		int p = t[i].priority;

		t[i].priority = t[j].priority;
		t[j].priority = p;
	}
	return n;
}

static void analyse(const struct wcrt_task *t, size_t n, const struct supply *s,
		    struct wcrt_fp_result *r)
{
	assert_int_equal(wcrt_fp_analyze(t, n, s, NULL, r), 0);
}

static void simulate(const struct wcrt_task *t, size_t n, bool burst,
		     const struct wcrt_sim_supply *sup, hv_time_t until,
		     hv_time_t end, struct wcrt_sim_result *r)
{
	struct wcrt_sim_opts o = {.policy = WCRT_POLICY_FP,
				  .release_until = until,
				  .end = end,
				  .jitter_burst = burst,
				  .supply = sup};

	assert_int_equal(wcrt_sim_run(t, n, &o, r), 0);
}

/*
 * Burns & Wellings, Real-Time Systems and Programming Languages (the
 * classic three-task RTA example): (C, T) = (3, 7), (3, 12), (5, 20),
 * rate-monotonic, D = T: R = 3, 6, 20.
 */
static void test_burns_wellings(void **state)
{
	struct wcrt_task t[3] = {tk(3, 7, 7, 0, 0, 3), tk(3, 12, 12, 0, 0, 2),
				 tk(5, 20, 20, 0, 0, 1)};
	const hv_time_t want[3] = {3, 6, 20};
	struct wcrt_fp_result r[3];
	struct wcrt_sim_result sim[3];
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	analyse(t, 3, &s, r);
	simulate(t, 3, false, NULL, 420, 840, sim);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(r[i].status, WCRT_OK);
		assert_int_equal(r[i].response, want[i]);
		assert_true(r[i].deadline_met);
		assert_int_equal(sim[i].max_response, want[i]);
	}
	assert_true(wcrt_fp_schedulable(r, 3));
}

struct job_log {
	hv_time_t resp[16];
	unsigned long n;
};

static void log_job(void *arg, size_t task, unsigned long q,
		    hv_time_t completion, hv_time_t response)
{
	struct job_log *l = arg;

	(void)completion;
	if (task == 1 && q < 16) {
		l->resp[q] = response;
		l->n = q + 1;
	}
}

/*
 * Lehoczky, "Fixed priority scheduling of periodic task sets with
 * arbitrary deadlines", RTSS 1990: tau1 (C=26, T=70), tau2 (C=62,
 * T=100), tau1 more urgent, U = 0.991. tau2's busy period holds 7 jobs
 * with responses 114, 102, 116, 104, 118, 106, 94: the worst is job 5
 * (q = 4), not the first. The simulator must see the same maximum.
 */
static void test_lehoczky_arbitrary_deadlines(void **state)
{
	struct wcrt_task t[2] = {tk(26, 70, 70, 0, 0, 2),
				 tk(62, 100, 200, 0, 0, 1)};
	const hv_time_t want[7] = {114, 102, 116, 104, 118, 106, 94};
	struct job_log log = {0};
	struct wcrt_fp_opts o = {.on_job = log_job, .arg = &log};
	struct wcrt_fp_result r;
	struct wcrt_sim_result sim[2];
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	assert_int_equal(wcrt_fp_task(t, 2, 1, &s, &o, &r), 0);
	assert_int_equal(r.status, WCRT_OK);
	assert_int_equal(r.response, 118);
	assert_int_equal(r.worst_job, 4);
	assert_int_equal(r.jobs, 7);
	assert_int_equal(r.busy_period, 694);
	assert_int_equal(log.n, 7);
	for (int q = 0; q < 7; q++)
		assert_int_equal(log.resp[q], want[q]);
	/* Checking only the first job would claim 114. */
	assert_true(log.resp[0] < r.response);
	simulate(t, 2, false, NULL, 700, 1400, sim);
	assert_int_equal(sim[1].max_response, 118);
	assert_int_equal(sim[0].max_response, 26);
}

/*
 * The jitter pitfall of Audsley, Burns, Richardson, Tindell & Wellings
 * (SEJ 1993): R is measured from arrival and must include the task's own
 * jitter; higher-priority jitter enlarges interference. Numbers are
 * ours, computed by hand and checked against the critical jitter pattern
 * in the simulator. (Audsley's Table 3 itself is not reproduced: we could
 * not verify all its parameters.)
 */
static void test_jitter_included(void **state)
{
	struct wcrt_task t[2] = {tk(2, 5, 5, 0, 0, 2), tk(3, 10, 10, 4, 0, 1)};
	struct wcrt_fp_result r[2];
	struct wcrt_sim_result sim[2];
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	analyse(t, 2, &s, r);
	/* w = 3 + ceil(w/5) 2 = 5; R = w + J = 9, not 5. */
	assert_int_equal(r[1].response, 9);
	simulate(t, 2, true, NULL, 100, 200, sim);
	assert_int_equal(sim[1].max_response, 9);

	/* hp jitter 2: w = 3 + ceil((w + 2)/5) 2 = 7, R = 11 > D = 10,
	 * and the busy period then holds a second job (R(1) = 6). */
	t[0].jitter = 2;
	analyse(t, 2, &s, r);
	assert_int_equal(r[1].status, WCRT_OK);
	assert_int_equal(r[1].response, 11);
	assert_int_equal(r[1].jobs, 2);
	assert_false(r[1].deadline_met);
	assert_int_equal(r[0].response, 4); /* own jitter 2 + C 2 */
	simulate(t, 2, true, NULL, 100, 200, sim);
	assert_int_equal(sim[1].max_response, 11);
	assert_int_equal(sim[0].max_response, 4);
}

/* Blocking adds once per busy period, to the blocked task only. */
static void test_blocking(void **state)
{
	struct wcrt_task t[2] = {tk(1, 4, 4, 0, 2, 2), tk(2, 10, 10, 0, 0, 1)};
	struct wcrt_fp_result r[2];
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	analyse(t, 2, &s, r);
	assert_int_equal(r[0].response, 3);
	assert_int_equal(r[1].response, 3);
}

/* U = 1 exactly is not "overload": harmonic RM sets are schedulable. */
static void test_full_utilisation_harmonic(void **state)
{
	struct wcrt_task t[2] = {tk(1, 2, 2, 0, 0, 2), tk(2, 4, 4, 0, 0, 1)};
	struct wcrt_fp_result r[2];
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	analyse(t, 2, &s, r);
	assert_int_equal(r[1].status, WCRT_OK);
	assert_int_equal(r[1].response, 4);
	assert_true(wcrt_fp_schedulable(r, 2));
}

/* A PRM supply: R = tbf(C) = C + (P - B)(1 + ceil(C/B)). */
static void test_prm_supply(void **state)
{
	struct wcrt_task t[1] = {tk(3, 20, 20, 0, 0, 1)};
	struct wcrt_fp_result r;
	struct supply s;

	(void)state;
	assert_int_equal(supply_init_prm(&s, 5, 2), 0);
	assert_int_equal(wcrt_fp_task(t, 1, 0, &s, NULL, &r), 0);
	assert_int_equal(r.status, WCRT_OK);
	assert_int_equal(r.response, 3 + 3 * (1 + 2));
}

static void test_statuses(void **state)
{
	struct wcrt_task t[2] = {tk(3, 4, 4, 0, 0, 2), tk(2, 4, 4, 0, 0, 1)};
	struct wcrt_fp_opts o = {0};
	struct wcrt_fp_result r;
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	/* Level 2 at 125%: overload; level 1 alone is fine. */
	assert_int_equal(wcrt_fp_task(t, 2, 1, &s, NULL, &r), 0);
	assert_int_equal(r.status, WCRT_OVERLOAD);
	assert_false(r.deadline_met);
	assert_int_equal(wcrt_fp_task(t, 2, 0, &s, NULL, &r), 0);
	assert_int_equal(r.status, WCRT_OK);

	/* No supply (credit2): never a finite bound. */
	supply_init_none(&s, "credit2: proportional share");
	assert_int_equal(wcrt_fp_task(t, 2, 0, &s, NULL, &r), 0);
	assert_int_equal(r.status, WCRT_NO_SUPPLY);
	assert_int_equal(r.response, 0);

	/* U = 1 with blocking: the busy period never ends -> job cap. */
	supply_init_dedicated(&s, 0, 0);
	t[0] = tk(1, 2, 2, 0, 0, 2);
	t[1] = tk(1, 2, 2, 0, 1, 1);
	o.max_jobs = 50;
	assert_int_equal(wcrt_fp_task(t, 2, 1, &s, &o, &r), 0);
	assert_int_equal(r.status, WCRT_CAP);

	/* stop_at_deadline: a lower bound above D, reported early. */
	t[0] = tk(26, 70, 70, 0, 0, 2);
	t[1] = tk(62, 100, 100, 0, 0, 1);
	o = (struct wcrt_fp_opts){.stop_at_deadline = true};
	assert_int_equal(wcrt_fp_task(t, 2, 1, &s, &o, &r), 0);
	assert_int_equal(r.status, WCRT_DEADLINE_MISS);
	assert_true(r.response > 100);

	/* Overflow: the busy period runs past 2^63 ns. */
	assert_int_equal(
	    supply_init_prm(&s, (hv_time_t)1 << 62, (hv_time_t)1 << 61), 0);
	t[0] = tk((hv_time_t)1 << 60, (hv_time_t)1 << 62, (hv_time_t)1 << 62, 0,
		  0, 1);
	assert_int_equal(wcrt_fp_task(t, 1, 0, &s, NULL, &r), 0);
	assert_int_equal(r.status, WCRT_OVERFLOW);

	/* Invalid input. */
	t[0].wcet = 0;
	assert_int_equal(wcrt_fp_task(t, 1, 0, &s, NULL, &r), -EINVAL);
	t[0].wcet = 1;
	assert_int_equal(wcrt_fp_task(t, 1, 1, &s, NULL, &r), -EINVAL);
	assert_string_equal(wcrt_status_name(WCRT_OVERLOAD), "overload");
}

/*
 * Random sets on a dedicated pCPU: the RTA must EQUAL the simulated
 * maximum, for synchronous release and for the critical jitter pattern,
 * with constrained and arbitrary deadlines and random priority orders.
 */
static void test_random_dedicated_exact(void **state)
{
	uint64_t seed = 20240601;
	unsigned long sets = 0, tasks = 0, multi_job = 0;
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	for (int iter = 0; iter < 400; iter++) {
		struct wcrt_task t[MAXN];
		struct wcrt_fp_result r[MAXN];
		struct wcrt_sim_result sim[MAXN];
		bool burst = iter % 2;
		/* With jitter at U = 1 the busy period never ends. */
		size_t n = gen_set(&seed, t, burst ? 19 : 1, burst ? 20 : 1,
				   iter % 4 >= 2, burst);
		hv_time_t h = wt_hyperperiod(t, n);

		analyse(t, n, &s, r);
		simulate(t, n, burst, NULL, 3 * h, 12 * h + 400, sim);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(sim[i].unfinished, 0);
			assert_int_equal(r[i].status, WCRT_OK);
			if (r[i].response != sim[i].max_response)
				fail_msg("set %d task %zu: RTA %lld, sim %lld",
					 iter, i, (long long)r[i].response,
					 (long long)sim[i].max_response);
			multi_job += r[i].jobs > 1;
		}
		sets++;
		tasks += n;
	}
	print_message("fp dedicated: %lu sets, %lu tasks, RTA == simulated "
		      "max for all (%lu with multi-job busy periods)\n",
		      sets, tasks, multi_job);
}

struct pattern {
	hv_time_t period;
	size_t nr;
	struct supply_window w[4];
};

/* Bound >= observed for every integer phase of @p. */
static void check_pattern(const struct wcrt_task *t, size_t n,
			  const struct wcrt_fp_result *r,
			  const struct pattern *p, unsigned long *cmp,
			  unsigned long *tight)
{
	hv_time_t h = wt_lcm(wt_hyperperiod(t, n), p->period);

	for (hv_time_t ph = 0; ph < p->period; ph++) {
		struct wcrt_sim_supply sup = {p->period, ph, p->nr, p->w};
		struct wcrt_sim_result sim[MAXN];

		simulate(t, n, false, &sup, 2 * h, 8 * h + 400, sim);
		for (size_t i = 0; i < n; i++) {
			if (r[i].status != WCRT_OK)
				continue;
			(*cmp)++;
			*tight += sim[i].max_response == r[i].response;
			if (sim[i].max_response > r[i].response)
				fail_msg("phase %lld task %zu: sim %lld > "
					 "bound %lld",
					 (long long)ph, i,
					 (long long)sim[i].max_response,
					 (long long)r[i].response);
		}
	}
}

/*
 * Random sets inside supplies: ARINC window tables (the exact sbf), PRM
 * (checked against two legal PRM schedules: one window per period at any
 * offset, and the alternating early/late pattern of period 2P), and a
 * pCPU with periodic overhead. The bound must cover every phase.
 */
static void test_random_supply_bounds(void **state)
{
	uint64_t seed = 77;
	unsigned long cmp = 0, tight = 0, sets = 0;

	(void)state;
	for (int iter = 0; iter < 240; iter++) {
		struct wcrt_task t[MAXN];
		struct wcrt_fp_result r[MAXN];
		struct pattern p = {0};
		struct supply s;
		size_t n = gen_set(&seed, t, 1, 3, iter % 2, false);
		int kind = iter % 3;

		if (kind == 0) { /* windows: 1-3 windows in M = 6..12 */
			hv_time_t m = wt_rng_range(&seed, 6, 12), at = 0;

			p.period = m;
			for (size_t k = 0; k < 3 && at < m - 1; k++) {
				hv_time_t off = wt_rng_range(&seed, at, m - 2);
				hv_time_t len = wt_rng_range(&seed, 1, m - off);

				p.w[p.nr++] = (struct supply_window){off, len};
				at = off + len + 1;
				if (wt_rng_next(&seed) % 2)
					break;
			}
			assert_int_equal(supply_init_windows(&s, m, p.w, p.nr),
					 0);
		} else if (kind == 1) { /* PRM(P, B), B/P >= 1/2 */
			hv_time_t per = wt_rng_range(&seed, 2, 8);
			hv_time_t b = wt_rng_range(&seed, (per + 1) / 2, per);

			assert_int_equal(supply_init_prm(&s, per, b), 0);
			if (iter % 2) {
				p.period = 2 * per;
				p.nr = 2;
				p.w[0] = (struct supply_window){0, b};
				p.w[1] = (struct supply_window){2 * per - b, b};
				if (b == per)
					p.nr = 1, p.w[0].len = 2 * per;
			} else {
				p.period = per;
				p.nr = 1;
				p.w[0] = (struct supply_window){
				    wt_rng_range(&seed, 0, per - b), b};
			}
		} else { /* dedicated less O every P */
			hv_time_t per = wt_rng_range(&seed, 3, 10);
			hv_time_t o = wt_rng_range(&seed, 1, per / 3);

			assert_int_equal(supply_init_dedicated(&s, o, per), 0);
			p.period = per;
			p.nr = 1;
			p.w[0] = (struct supply_window){o, per - o};
		}
		analyse(t, n, &s, r);
		check_pattern(t, n, r, &p, &cmp, &tight);
		sets++;
	}
	print_message("fp supplies: %lu sets, %lu (task, phase) checks, bound "
		      ">= simulated in all, equal in %lu\n",
		      sets, cmp, tight);
}

/*
 * A pCPU losing O every P behaves exactly like classic RTA with one more
 * highest-priority task (O, P): the sbf form changes nothing in tbf.
 */
static void test_overhead_equals_extra_task(void **state)
{
	uint64_t seed = 5;

	(void)state;
	for (int iter = 0; iter < 200; iter++) {
		struct wcrt_task t[MAXN + 1];
		struct wcrt_fp_result a[MAXN + 1], b[MAXN + 1];
		struct supply s, ded;
		size_t n = gen_set(&seed, t, 2, 3, iter % 2, iter % 3 == 0);
		hv_time_t per = wt_rng_range(&seed, 3, 12);
		hv_time_t o = wt_rng_range(&seed, 1, per / 4 + 1);

		if (o >= per)
			continue;
		supply_init_dedicated(&s, o, per);
		supply_init_dedicated(&ded, 0, 0);
		analyse(t, n, &s, a);
		t[n] = tk(o, per, per, 0, 0, 1000);
		analyse(t, n + 1, &ded, b);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(a[i].status, b[i].status);
			if (a[i].status == WCRT_OK)
				assert_int_equal(a[i].response, b[i].response);
		}
	}
}

/*
 * Sufficient tests never beat the exact one: on RM implicit-deadline sets,
 * Liu & Layland (U <= n(2^(1/n) - 1)) and the hyperbolic bound (Bini &
 * Buttazzo: prod(U_i + 1) <= 2) never accept a set RTA rejects, and the
 * response-time upper bound of Bini, Nguyen, Richard & Baruah (2009),
 * (C_i + sum_hp C_j (1 - U_j)) / (1 - sum_hp U_j), is >= the exact R_i.
 * Floating point is fine here: these are test oracles, not verdicts.
 */
static void test_sufficient_bounds(void **state)
{
	uint64_t seed = 99;
	unsigned long ll = 0, hyp = 0, ok = 0;
	struct supply s;

	(void)state;
	supply_init_dedicated(&s, 0, 0);
	for (int iter = 0; iter < 600; iter++) {
		struct wcrt_task t[MAXN];
		struct wcrt_fp_result r[MAXN];
		size_t n = gen_set(&seed, t, 1, 1, false, false);
		double u = 0, prod = 1;
		bool sched;

		for (size_t i = 0; i < n; i++) {
			t[i].deadline = t[i].period; /* implicit, RM */
			t[i].priority = 1000 - (int)t[i].period;
			u += (double)t[i].wcet / (double)t[i].period;
			prod *= 1 + (double)t[i].wcet / (double)t[i].period;
		}
		for (size_t i = 0; i < n; i++) /* unique: break RM ties */
			t[i].priority = t[i].priority * 16 - (int)i;
		analyse(t, n, &s, r);
		sched = wcrt_fp_schedulable(r, n);
		ok += sched;
		if (u <= (double)n * (pow(2.0, 1.0 / (double)n) - 1)) {
			ll++;
			assert_true(sched);
		}
		if (prod <= 2.0) {
			hyp++;
			assert_true(sched);
		}
		for (size_t i = 0; i < n; i++) {
			double num = (double)t[i].wcet, uhp = 0;

			for (size_t j = 0; j < n; j++) {
				double uj =
				    (double)t[j].wcet / (double)t[j].period;

				if (t[j].priority <= t[i].priority)
					continue;
				num += (double)t[j].wcet * (1 - uj);
				uhp += uj;
			}
			if (uhp < 1 && r[i].status == WCRT_OK)
				assert_true((double)r[i].response <=
					    num / (1 - uhp) + 1e-9);
		}
	}
	print_message("fp sufficient tests: %lu RTA-schedulable sets; LL "
		      "accepted %lu, hyperbolic %lu, none wrongly\n",
		      ok, ll, hyp);
}

/* Monotonicity: more execution time never shortens a response. */
static void test_monotone_in_wcet(void **state)
{
	uint64_t seed = 1234;
	struct supply sup[3];

	(void)state;
	supply_init_dedicated(&sup[0], 0, 0);
	supply_init_prm(&sup[1], 4, 3);
	supply_init_dedicated(&sup[2], 1, 5);
	for (int iter = 0; iter < 300; iter++) {
		struct wcrt_task t[MAXN];
		struct wcrt_fp_result a[MAXN], b[MAXN];
		const struct supply *s = &sup[iter % 3];
		size_t n = gen_set(&seed, t, 1, 2, iter % 2, iter % 5 == 0);
		size_t k = (size_t)(wt_rng_next(&seed) % n);

		analyse(t, n, s, a);
		t[k].wcet++;
		analyse(t, n, s, b);
		for (size_t i = 0; i < n; i++)
			if (a[i].status == WCRT_OK && b[i].status == WCRT_OK)
				assert_true(b[i].response >= a[i].response);
			else if (a[i].status != WCRT_OK)
				assert_int_not_equal(b[i].status, WCRT_OK);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_burns_wellings),
	    cmocka_unit_test(test_lehoczky_arbitrary_deadlines),
	    cmocka_unit_test(test_jitter_included),
	    cmocka_unit_test(test_blocking),
	    cmocka_unit_test(test_full_utilisation_harmonic),
	    cmocka_unit_test(test_prm_supply),
	    cmocka_unit_test(test_statuses),
	    cmocka_unit_test(test_random_dedicated_exact),
	    cmocka_unit_test(test_random_supply_bounds),
	    cmocka_unit_test(test_overhead_equals_extra_task),
	    cmocka_unit_test(test_sufficient_bounds),
	    cmocka_unit_test(test_monotone_in_wcet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
