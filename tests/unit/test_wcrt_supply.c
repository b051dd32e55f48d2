/*
 * Unit tests: supply bound functions (analysis/wcrt_supply.c).
 *
 * Each closed form is compared with an independent brute force: the
 * minimum over every integer start s of the supply a legal schedule must
 * deliver in [s, s + t). For a window table that is a count of window
 * slots; for PRM/EDP it is, period by period, the part of the budget that
 * cannot be placed outside the interval. Then properties: sbf(t) <= t,
 * non-decreasing, tbf exact, the linear bound below sbf, the reductions
 * (PRM with B = P is a pCPU, EDP with D = P is a PRM), and a window table
 * never worse than its PRM(M, S) abstraction.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analysis/wcrt_supply.h"
#include "tests/support/wcrt_util.h"

static hv_time_t sbf(const struct supply *s, hv_time_t t)
{
	hv_time_t v;

	assert_int_equal(supply_sbf(s, t, &v), WCRT_OK);
	return v;
}

static hv_time_t tbf(const struct supply *s, hv_time_t w)
{
	hv_time_t v;

	assert_int_equal(supply_tbf(s, w, &v), WCRT_OK);
	return v;
}

/* tbf is the exact inverse, and sbf is a supply bound, around w / t. */
static void check_exact(const struct supply *s, hv_time_t w)
{
	hv_time_t t = tbf(s, w), num, den, delay, v;

	assert_true(sbf(s, t) >= w);
	if (t > 0)
		assert_true(sbf(s, t - 1) < w);
	v = sbf(s, w);
	assert_true(v <= w);
	assert_true(sbf(s, w + 1) >= v);
	assert_true(sbf(s, w + 1) <= v + 1);
	assert_int_equal(supply_linear(s, &num, &den, &delay), WCRT_OK);
	assert_true((__int128)num * (w - delay) <= (__int128)den * v);
}

/* Brute force: slots of a window table in [s, s + t), min over s. */
static hv_time_t brute_windows(hv_time_t m, const struct supply_window *w,
			       size_t n, hv_time_t t)
{
	hv_time_t best = -1;

	for (hv_time_t s = 0; s < m; s++) {
		hv_time_t got = 0;

		for (hv_time_t x = s; x < s + t; x++)
			for (size_t i = 0; i < n; i++)
				got += (x % m) >= w[i].offset &&
				       (x % m) < w[i].offset + w[i].len;
		if (best < 0 || got < best)
			best = got;
	}
	return best;
}

/*
 * Brute force for EDP(P, B, D) (PRM when D = P): over every start s, each
 * period [kP, kP + D) must hold B units; the least it can put inside
 * [s, s + t) is max(0, B - |[kP, kP + D) outside the interval|).
 */
static hv_time_t brute_edp(hv_time_t p, hv_time_t b, hv_time_t d, hv_time_t t)
{
	hv_time_t best = -1;

	for (hv_time_t s = 0; s < p; s++) {
		hv_time_t got = 0;

		for (hv_time_t k = 0; k * p < s + t; k++) {
			hv_time_t lo = k * p, hi = k * p + d;
			hv_time_t in_lo = lo > s ? lo : s;
			hv_time_t in_hi = hi < s + t ? hi : s + t;
			hv_time_t in = in_hi > in_lo ? in_hi - in_lo : 0;
			hv_time_t must = b - (d - in);

			got += must > 0 ? must : 0;
		}
		if (best < 0 || got < best)
			best = got;
	}
	return best;
}

/* Shin & Lee's closed form (RTSS 2003), as restated in wcrt-methods. */
static hv_time_t shin_lee(hv_time_t p, hv_time_t b, hv_time_t t)
{
	hv_time_t k = (t - (p - b) + p - 1) / p;

	if (t - (p - b) <= 0)
		k = 1; /* ceil of a non-positive value, clamped */
	if (k < 1)
		k = 1;
	if ((k + 1) * p - 2 * b <= t && t <= (k + 1) * p - b)
		return t - (k + 1) * (p - b);
	return (k - 1) * b;
}

static void test_dedicated(void **state)
{
	struct supply s;
	char buf[96];

	(void)state;
	assert_int_equal(supply_init_dedicated(&s, 0, 0), 0);
	for (hv_time_t t = 0; t < 100; t++) {
		assert_int_equal(sbf(&s, t), t);
		assert_int_equal(tbf(&s, t), t);
	}
	assert_int_equal(sbf(&s, HV_S(1000)), HV_S(1000));
	supply_describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "dedicated pCPU");
	assert_true(supply_guaranteed(&s));
	assert_string_equal(supply_kind_name(s.kind), "dedicated");

	/* O = 20us every 1ms: exact periodic interference. */
	assert_int_equal(supply_init_dedicated(&s, HV_US(20), HV_MS(1)), 0);
	supply_describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "dedicated pCPU less 20us every 1ms");
	assert_int_equal(sbf(&s, HV_US(20)), 0);
	assert_int_equal(sbf(&s, HV_MS(1)), HV_US(980));
	assert_int_equal(sbf(&s, HV_MS(1) + HV_US(10)), HV_US(980));
	/* Same as a window table [O, P) and never below t - ceil(t/P) O. */
	for (hv_time_t o = 1; o < 6; o++) {
		struct supply_window w = {o, 7 - o};

		assert_int_equal(supply_init_dedicated(&s, o, 7), 0);
		for (hv_time_t t = 0; t < 30; t++) {
			hv_time_t classic = t - (t + 6) / 7 * o;

			assert_int_equal(sbf(&s, t),
					 brute_windows(7, &w, 1, t));
			assert_true(sbf(&s, t) >= (classic > 0 ? classic : 0));
			check_exact(&s, t);
		}
	}
	assert_int_equal(supply_init_dedicated(&s, 5, 5), -EINVAL);
	assert_int_equal(supply_init_dedicated(&s, -1, 5), -EINVAL);
}

/*
 * PRM Gamma(5, 2) by hand: blackout 2(P - B) = 6, then the closed form
 * gives sbf = 1, 2 at t = 7, 8, flat to 11, then 3, 4 at 12, 13; and
 * tbf(w) = w + (P - B)(1 + ceil(w/B)): tbf(1) = 7, tbf(3) = 12.
 */
static void test_prm(void **state)
{
	const hv_time_t want[15] = {0, 0, 0, 0, 0, 0, 0, 1,
				    2, 2, 2, 2, 3, 4, 4};
	struct supply s, d, e;
	char buf[96];

	(void)state;
	assert_int_equal(supply_init_prm(&s, 5, 2), 0);
	for (hv_time_t t = 0; t < 15; t++)
		assert_int_equal(sbf(&s, t), want[t]);
	assert_int_equal(tbf(&s, 1), 7);
	assert_int_equal(tbf(&s, 3), 12);
	supply_init_prm(&s, HV_MS(10), HV_MS(4));
	supply_describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "PRM(period 10ms, budget 4ms)");

	for (hv_time_t p = 1; p <= 9; p++)
		for (hv_time_t b = 1; b <= p; b++) {
			assert_int_equal(supply_init_prm(&s, p, b), 0);
			assert_int_equal(supply_init_edp(&e, p, b, p), 0);
			for (hv_time_t t = 0; t <= 4 * p + 3; t++) {
				hv_time_t v = sbf(&s, t);

				assert_int_equal(v, brute_edp(p, b, p, t));
				assert_int_equal(v, sbf(&e, t));
				if (b < p)
					assert_int_equal(v, shin_lee(p, b, t));
				assert_int_equal(
				    tbf(&s, t + 1),
				    t + 1 + (p - b) * (1 + (t + b) / b));
				check_exact(&s, t);
			}
		}
	/* Budget = period is a dedicated pCPU. */
	supply_init_prm(&s, 7, 7);
	supply_init_dedicated(&d, 0, 0);
	for (hv_time_t t = 0; t < 50; t++)
		assert_int_equal(sbf(&s, t), sbf(&d, t));
}

/* EDP: brute force, exact inverse, monotone in the budget. */
static void test_edp(void **state)
{
	struct supply s, more;
	char buf[96];

	(void)state;
	for (hv_time_t p = 1; p <= 8; p++)
		for (hv_time_t d = 1; d <= p; d++)
			for (hv_time_t b = 1; b <= d; b++) {
				assert_int_equal(supply_init_edp(&s, p, b, d),
						 0);
				for (hv_time_t t = 0; t <= 4 * p + 2; t++) {
					assert_int_equal(sbf(&s, t),
							 brute_edp(p, b, d, t));
					check_exact(&s, t);
				}
			}
	for (hv_time_t p = 2; p <= 10; p++)
		for (hv_time_t b = 1; b < p; b++) {
			supply_init_prm(&s, p, b);
			supply_init_prm(&more, p, b + 1);
			for (hv_time_t t = 0; t < 5 * p; t++)
				assert_true(sbf(&more, t) >= sbf(&s, t));
		}
	supply_init_edp(&s, HV_MS(10), HV_MS(2), HV_MS(5));
	supply_describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "EDP(period 10ms, budget 2ms, deadline 5ms)");
	assert_int_equal(supply_init_edp(&s, 10, 6, 5), -EINVAL);
	assert_int_equal(supply_init_edp(&s, 10, 2, 11), -EINVAL);
}

/* A random window table of the frame m (1 to 4 windows). */
static size_t gen_windows(uint64_t *seed, hv_time_t m, struct supply_window *w)
{
	hv_time_t at = 0;
	size_t n = 0;

	while (n < 4 && at < m) {
		hv_time_t off = wt_rng_range(seed, at, m - 1);
		hv_time_t len = wt_rng_range(seed, 1, m - off);

		w[n++] = (struct supply_window){off, len};
		at = off + len + (hv_time_t)(wt_rng_next(seed) % 3);
		if (wt_rng_next(seed) % 3 == 0)
			break;
	}
	return n;
}

/*
 * ARINC 653 window tables: the candidate-start formula equals the brute
 * force over every start, tbf is exact, and the table is never worse than
 * the PRM(M, S) abstraction of the same partition (which is pessimistic).
 */
static void test_windows(void **state)
{
	uint64_t seed = 653;
	const struct supply_window two[2] = {{HV_MS(10), HV_MS(5)},
					     {0, HV_MS(5)}};
	const struct supply_window bad[2] = {{0, 5}, {4, 2}};
	unsigned long strictly_better = 0;
	struct supply s, prm;
	char buf[96];

	(void)state;
	assert_int_equal(supply_init_windows(&s, HV_MS(20), two, 2), 0);
	supply_describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "ARINC653 windows: 2 x 5ms in 20ms");
	assert_int_equal(s.windows[0].offset, 0); /* sorted */
	assert_int_equal(sbf(&s, HV_MS(5)), 0);
	assert_int_equal(sbf(&s, HV_MS(10)), HV_MS(5));
	assert_int_equal(tbf(&s, HV_MS(10)), HV_MS(20));
	assert_int_equal(supply_init_windows(&s, 10, bad, 2), -EINVAL);
	assert_int_equal(supply_init_windows(&s, 5, bad, 1), 0);
	assert_int_equal(supply_init_windows(&s, 4, bad, 1), -EINVAL);

	for (int iter = 0; iter < 400; iter++) {
		struct supply_window w[4];
		hv_time_t m = wt_rng_range(&seed, 1, 16);
		size_t n = gen_windows(&seed, m, w);

		assert_int_equal(supply_init_windows(&s, m, w, n), 0);
		assert_int_equal(supply_init_prm(&prm, m, s.total), 0);
		for (hv_time_t t = 0; t <= 3 * m + 2; t++) {
			hv_time_t v = sbf(&s, t);

			assert_int_equal(v, brute_windows(m, w, n, t));
			assert_true(v >= sbf(&prm, t));
			strictly_better += v > sbf(&prm, t);
			check_exact(&s, t);
		}
	}
	supply_init_windows(&s, HV_MS(20), two, 1);
	supply_describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "ARINC653 windows: 1 x 5ms in 20ms");
	print_message("windows: 400 random tables equal brute force; better "
		      "than PRM(M, S) at %lu points\n",
		      strictly_better);
}

/* Large ns-scale parameters: exact inverse and overflow reporting. */
static void test_large_values(void **state)
{
	uint64_t seed = 99;
	struct supply s;
	hv_time_t v;

	(void)state;
	for (int iter = 0; iter < 2000; iter++) {
		hv_time_t p = wt_rng_range(&seed, 1, HV_S(10));
		hv_time_t b = wt_rng_range(&seed, 1, p);
		hv_time_t w = wt_rng_range(&seed, 1, HV_S(3600));
		struct supply_window win[2] = {
		    {0, wt_rng_range(&seed, 1, p / 2 + 1)},
		    {p / 2 + 1, wt_rng_range(&seed, 1, p - p / 2 - 1 + 1)}};

		if (iter % 3 == 0)
			assert_int_equal(supply_init_prm(&s, p, b), 0);
		else if (iter % 3 == 1)
			assert_int_equal(
			    supply_init_edp(&s, p, b,
					    wt_rng_range(&seed, b, p)),
			    0);
		else if (supply_init_windows(&s, p + 2, win, 2))
			continue;
		check_exact(&s, w);
	}
	supply_init_prm(&s, WCRT_TIME_MAX, 1);
	assert_int_equal(supply_tbf(&s, WCRT_TIME_MAX, &v), WCRT_OVERFLOW);
	assert_int_equal(v, HV_TIME_NEVER);
}

/* No guarantee: every query says so, with the reason. */
static void test_no_supply(void **state)
{
	struct supply s;
	hv_time_t v, n, d, delay;
	char buf[128];

	(void)state;
	supply_init_none(&s, "credit2 is proportional share");
	for (hv_time_t t = 0; t < 10; t++) {
		assert_int_equal(supply_sbf(&s, t, &v), WCRT_NO_SUPPLY);
		assert_int_equal(v, 0);
		assert_int_equal(supply_tbf(&s, t + 1, &v), WCRT_NO_SUPPLY);
		assert_int_equal(v, HV_TIME_NEVER);
	}
	assert_int_equal(supply_linear(&s, &n, &d, &delay), WCRT_NO_SUPPLY);
	assert_false(supply_guaranteed(&s));
	supply_describe(&s, buf, sizeof(buf));
	assert_string_equal(
	    buf, "no guaranteed supply: credit2 is proportional share");
	supply_init_prm(&s, 10, 0);
	assert_int_equal(supply_tbf(&s, 1, &v), WCRT_NO_SUPPLY);
	supply_init_windows(&s, 10, NULL, 0);
	assert_int_equal(supply_sbf(&s, 5, &v), WCRT_NO_SUPPLY);
	assert_string_equal(supply_reason(&s),
			    "the partition has no window in the major frame");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dedicated),
	    cmocka_unit_test(test_prm),
	    cmocka_unit_test(test_edp),
	    cmocka_unit_test(test_windows),
	    cmocka_unit_test(test_large_values),
	    cmocka_unit_test(test_no_supply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
