/*
 * Unit tests: minimum RTDS budget and ARINC 653 window length
 * (analysis/wcrt_design.c).
 *
 * Hand-computed cases first; then random sets whose answer is checked to
 * be minimal (the value passes, one us less fails), the predicate is
 * checked to be monotone over every candidate, and the simulator runs the
 * tasks on legal schedules of the designed reservation at every phase
 * (time unit = 1us) without a miss.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analysis/wcrt_design.h"
#include "analysis/wcrt_sim.h"
#include "analysis/wcrt_supply.h"
#include "tests/support/wcrt_util.h"

#define MAXN 8

static struct wcrt_task tk(hv_time_t c, hv_time_t t, hv_time_t d, int prio)
{
	return (struct wcrt_task){c, t, d, 0, 0, prio};
}

static bool passes(const struct wcrt_task *t, size_t n, enum wcrt_policy p,
		   const struct supply *s)
{
	bool ok;

	assert_int_equal(wcrt_schedulable(t, n, p, s, &ok, NULL), 0);
	return ok;
}

/*
 * One task C = 2ms, T = D = 10ms on PRM(5ms, B): tbf(2ms) = 2 + (5 -
 * B)(1 + ceil(2/B)) ms. B >= 2ms gives 2 + 2(5 - B) <= 10; any B < 2ms
 * needs ceil(2/B) >= 2 and then 2 + 3(5 - B) > 10. Least B: 2000us.
 * With a 10ms frame and one window of L: L = 1ms gives tbf(2ms) = 10 +
 * (9 + 1) = 20 <= 20 (T = D = 20ms); L = 999us needs three windows.
 */
static void test_hand_examples(void **state)
{
	struct wcrt_task t[1] = {tk(HV_MS(2), HV_MS(10), HV_MS(10), 1)};
	struct wcrt_design_result r;

	(void)state;
	for (int p = WCRT_POLICY_FP; p <= WCRT_POLICY_EDF; p++) {
		assert_int_equal(wcrt_design_rtds_budget(
				     t, 1, (enum wcrt_policy)p, 5000, &r),
				 0);
		assert_true(r.found);
		assert_int_equal(r.value_us, 2000);
		assert_int_equal(r.status, WCRT_OK);
	}
	t[0] = tk(HV_MS(2), HV_MS(20), HV_MS(20), 1);
	for (int p = WCRT_POLICY_FP; p <= WCRT_POLICY_EDF; p++) {
		assert_int_equal(
		    wcrt_design_arinc_window(t, 1, (enum wcrt_policy)p,
					     HV_MS(10), HV_MS(3), &r),
		    0);
		assert_true(r.found);
		assert_int_equal(r.value_us, 1000);
	}
	/* Light task: Xen's 10us floor. */
	t[0] = tk(HV_US(1), HV_MS(100), HV_MS(100), 1);
	assert_int_equal(
	    wcrt_design_rtds_budget(t, 1, WCRT_POLICY_FP, 1000, &r), 0);
	assert_int_equal(r.value_us, WCRT_RTDS_MIN_BUDGET_US);
	/* Impossible: over 100%, or a window too short at the frame end. */
	t[0] = tk(HV_MS(11), HV_MS(10), HV_MS(10), 1);
	assert_int_equal(
	    wcrt_design_rtds_budget(t, 1, WCRT_POLICY_FP, 1000, &r), 0);
	assert_false(r.found);
	assert_int_equal(r.status, WCRT_OVERLOAD);
	t[0] = tk(HV_MS(2), HV_MS(4), HV_MS(3), 1);
	assert_int_equal(wcrt_design_arinc_window(t, 1, WCRT_POLICY_EDF,
						  HV_MS(10), HV_MS(9), &r),
			 0);
	assert_false(r.found);
	assert_int_not_equal(r.status, WCRT_OK);
	/* Invalid. */
	assert_int_equal(wcrt_design_rtds_budget(t, 1, WCRT_POLICY_FP, 9, &r),
			 -EINVAL);
	assert_int_equal(wcrt_design_arinc_window(t, 1, WCRT_POLICY_FP,
						  HV_MS(10), HV_MS(10), &r),
			 -EINVAL);
}

static const hv_time_t periods[] = {20, 24, 30, 40, 60};

/* Tasks in us (x1000 ns), U <= 0.6, unique priorities (RM-ish). */
static size_t gen_set(uint64_t *s, struct wcrt_task *t)
{
	size_t n = (size_t)wt_rng_range(s, 1, 4);

	for (;;) {
		double u = 0;

		for (size_t i = 0; i < n; i++) {
			hv_time_t p = periods[wt_rng_next(s) % 5];
			hv_time_t c = wt_rng_range(s, 1, p / 4);

			t[i] = tk(HV_US(c), HV_US(p),
				  HV_US(wt_rng_range(s, c + p / 4, p)),
				  (int)(100 - p) * 8 - (int)i);
			u += (double)c / (double)p;
		}
		if (u <= 0.6)
			return n;
	}
}

/* No simulated miss with time unit 1us on the given pattern, any phase. */
static void sim_ok(const struct wcrt_task *t, size_t n, enum wcrt_policy p,
		   hv_time_t period, const struct supply_window *w, size_t nw)
{
	struct wcrt_task us[MAXN];
	hv_time_t h = period;

	for (size_t i = 0; i < n; i++) {
		us[i] = t[i];
		us[i].wcet /= 1000;
		us[i].period /= 1000;
		us[i].deadline /= 1000;
		h = wt_lcm(h, us[i].period);
	}
	for (hv_time_t ph = 0; ph < period; ph++) {
		struct wcrt_sim_supply sup = {period, ph, nw, w};
		struct wcrt_sim_opts o = {p, 2 * h, 6 * h + 200, false, &sup};
		struct wcrt_sim_result r[MAXN];

		assert_int_equal(wcrt_sim_run(us, n, &o, r), 0);
		for (size_t i = 0; i < n; i++)
			if (r[i].misses) {
				fail_msg(
				    "pol %d period %lld phase %lld task %zu "
				    "(%lld,%lld,%lld) misses %lu resp %lld",
				    p, (long long)period, (long long)ph, i,
				    (long long)us[i].wcet,
				    (long long)us[i].period,
				    (long long)us[i].deadline, r[i].misses,
				    (long long)r[i].max_response);
			}
	}
}

static void test_random_minimal_and_simulated(void **state)
{
	uint64_t seed = 10;
	unsigned long designs = 0, checks = 0;

	(void)state;
	for (int iter = 0; iter < 120; iter++) {
		struct wcrt_task t[MAXN];
		enum wcrt_policy pol =
		    iter % 2 ? WCRT_POLICY_EDF : WCRT_POLICY_FP;
		size_t n = gen_set(&seed, t);
		hv_time_t per = wt_rng_range(&seed, 10, 16);
		hv_time_t off = wt_rng_range(&seed, 0, per - 1);
		struct wcrt_design_result r;
		struct supply s;
		bool prev = false;

		/* RTDS: every candidate, to see monotonicity and minimality. */
		assert_int_equal(wcrt_design_rtds_budget(t, n, pol, per, &r),
				 0);
		for (hv_time_t b = 10; b <= per; b++) {
			bool ok;

			supply_init_prm(&s, HV_US(per), HV_US(b));
			ok = passes(t, n, pol, &s);
			assert_true(ok || !prev);
			if (ok && !prev) {
				assert_true(r.found);
				assert_int_equal(r.value_us, b);
			}
			prev = ok;
		}
		if (!prev)
			assert_false(r.found);
		if (r.found) {
			/* Legal PRM schedules: early/late alternation. */
			struct supply_window w[2] = {
			    {0, r.value_us},
			    {2 * per - r.value_us, r.value_us}};

			if (r.value_us == per) /* B = P: always available */
				w[0].len = 2 * per;
			sim_ok(t, n, pol, 2 * per, w,
			       r.value_us == per ? 1 : 2);
			designs++;
			checks += r.checks;
		}

		/* ARINC: one window at off in a frame of per us. */
		assert_int_equal(wcrt_design_arinc_window(t, n, pol, HV_US(per),
							  HV_US(off), &r),
				 0);
		prev = false;
		for (hv_time_t l = 1; l <= per - off; l++) {
			struct supply_window w = {HV_US(off), HV_US(l)};
			bool ok;

			supply_init_windows(&s, HV_US(per), &w, 1);
			ok = passes(t, n, pol, &s);
			assert_true(ok || !prev);
			if (ok && !prev)
				assert_int_equal(r.value_us, l);
			prev = ok;
		}
		assert_int_equal(r.found, prev);
		if (r.found) {
			struct supply_window w = {off, r.value_us};

			sim_ok(t, n, pol, per, &w, 1);
			designs++;
			checks += r.checks;
		}
	}
	print_message("design: %lu minimal reservations found, each verified "
		      "against every candidate and simulated at every phase "
		      "(%lu analyses by binary search)\n",
		      designs, checks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hand_examples),
	    cmocka_unit_test(test_random_minimal_and_simulated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
