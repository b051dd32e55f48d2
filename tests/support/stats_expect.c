/* See stats_expect.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include <gsl/gsl_randist.h>

#include "stats_expect.h"

const double stx_grid[] = {0,	   0.001,  0.01,    0.1,      0.25,  0.5,
			   0.75,   0.9,	   0.95,    0.99,     0.995, 0.999,
			   0.9995, 0.9999, 0.99999, 0.999999, 1};
const size_t stx_nr_grid = sizeof(stx_grid) / sizeof(stx_grid[0]);

struct stats *stx_mk(enum stats_mode mode, unsigned int k, uint64_t cap)
{
	struct stats_config c = {.mode = mode, .sub_bits = k, .exact_cap = cap};
	struct stats *s = stats_create(&c);

	assert_non_null(s);
	return s;
}

void stx_assert_rel(double got, double want, double tol)
{
	double err = fabs(got - want);

	if (err > tol * fabs(want) && err > 1e-300) {
		print_error("got %.17g want %.17g (rel %.3g > %.3g)\n", got,
			    want, err / fabs(want), tol);
		fail();
	}
}

uint64_t stx_draw(gsl_rng *rng, enum stx_dist d)
{
	switch (d) {
	case STX_UNIFORM: return 1000 + gsl_rng_uniform_int(rng, 99001);
	case STX_EXPONENTIAL:
		return 2000 + (uint64_t)gsl_ran_exponential(rng, 5e3);
	default:
		/* alpha = 1.2: infinite variance, maxima around 1e9 ns. */
		return (uint64_t)gsl_ran_pareto(rng, 1.2, 1500);
	}
}

void stx_assert_bound(uint64_t got, uint64_t want, unsigned int k)
{
	if (got < want || (got != want && (double)(got - want) >=
					      ldexp((double)want, -(int)k))) {
		print_error("streaming %llu, exact %llu, k %u\n",
			    (unsigned long long)got, (unsigned long long)want,
			    k);
		fail();
	}
}
