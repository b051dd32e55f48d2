/*
 * Gumbel and GEV fits for the pWCET pipeline: PWM, Gumbel MLE, GEV MLE.
 *
 * Numerical care: latencies are large numbers with a small spread (a
 * block maximum of 1,000,000 ns with sigma = 100 ns is common), so every
 * fit works on centred data y = x - mean, and the GEV on standardised
 * data (x - mean) / sd; results are mapped back at the end. The Gumbel
 * MLE weights e^(-y/sigma) are shifted by the smallest y so that the
 * largest weight is 1 and nothing overflows at small sigma.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_math.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include "analysis/pwcet_evt.h"

#define BRENT_MAX_ITER 200
#define NM_MAX_ITER 4000
#define NM_MAX_RESTARTS 8
#define NM_TOL 1e-6 /* standardised units; the standard errors are >= 1e-3 */
#define XI_LO (-1.0)
#define XI_HI 5.0
#define XI_EDGE 0.01
#define PENALTY 1e30

/* Mean and sd of @x; -EINVAL unless n >= 2, finite and not constant. */
static int centre(const double *x, size_t n, double *mean, double *sd)
{
	if (n < 2)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return -EINVAL;
	*mean = gsl_stats_mean(x, 1, n);
	*sd = gsl_stats_sd_m(x, 1, n, *mean);
	return *sd > 0 ? 0 : -EINVAL;
}

int pwcet_gumbel_pwm(const double *x, size_t n, struct pwcet_params *out)
{
	double mean, sd, b1 = 0, *y;
	int ret = centre(x, n, &mean, &sd);

	if (ret)
		return ret;
	y = malloc(n * sizeof(*y));
	if (!y)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		y[i] = x[i] - mean;
	gsl_sort(y, 1, n);
	/* b1 = (1/n) sum (i-1)/(n-1) y_(i), 1-based; b0 = mean(y) = 0. */
	for (size_t i = 0; i < n; i++)
		b1 += (double)i / (double)(n - 1) * y[i];
	b1 /= (double)n;
	free(y);
	out->sigma = 2 * b1 / M_LN2;
	out->mu = mean - PWCET_EULER_GAMMA * out->sigma;
	out->xi = 0;
	return out->sigma > 0 ? 0 : -EINVAL;
}

struct gumbel_data {
	const double *y; /* centred */
	size_t n;
	double ymin;
};

/*
 * Weighted mean of y with weights w = e^(-(y - ymin)/sigma), and the mean
 * weight. The MLE equation is sigma + weighted mean = 0 (mean(y) = 0).
 */
static double gumbel_wmean(const struct gumbel_data *d, double sigma,
			   double *wbar)
{
	double s0 = 0, s1 = 0;

	for (size_t i = 0; i < d->n; i++) {
		double w = exp(-(d->y[i] - d->ymin) / sigma);

		s0 += w;
		s1 += w * d->y[i];
	}
	if (wbar)
		*wbar = s0 / (double)d->n;
	return s1 / s0; /* s0 >= 1: the smallest y has weight 1 */
}

static double gumbel_score(double sigma, void *arg)
{
	return sigma + gumbel_wmean(arg, sigma, NULL);
}

int pwcet_gumbel_mle(const double *x, size_t n, struct pwcet_params *out)
{
	gsl_function f = {gumbel_score, NULL};
	struct gumbel_data d;
	gsl_root_fsolver *solver;
	double mean, sd, lo, hi, sigma = NAN, wbar, *y;
	int ret = centre(x, n, &mean, &sd), status = GSL_CONTINUE;

	if (ret)
		return ret;
	y = malloc(n * sizeof(*y));
	if (!y)
		return -ENOMEM;
	d = (struct gumbel_data){y, n, INFINITY};
	for (size_t i = 0; i < n; i++) {
		y[i] = x[i] - mean;
		if (y[i] < d.ymin)
			d.ymin = y[i];
	}
	f.params = &d;
	/*
	 * The score tends to min(y) < 0 as sigma -> 0 and grows like sigma
	 * for large sigma; bracket it before GSL sees it (an invalid
	 * bracket would call the GSL error handler).
	 */
	lo = sd * 1e-3;
	hi = sd;
	for (int i = 0; i < 60 && gumbel_score(lo, &d) >= 0; i++)
		lo /= 4;
	for (int i = 0; i < 60 && gumbel_score(hi, &d) <= 0; i++)
		hi *= 2;
	if (gumbel_score(lo, &d) >= 0 || gumbel_score(hi, &d) <= 0) {
		free(y);
		return -EDOM;
	}
	solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!solver) {
		free(y);
		return -ENOMEM;
	}
	gsl_root_fsolver_set(solver, &f, lo, hi);
	for (int i = 0; i < BRENT_MAX_ITER && status == GSL_CONTINUE; i++) {
		if (gsl_root_fsolver_iterate(solver))
			break;
		sigma = gsl_root_fsolver_root(solver);
		status = gsl_root_test_interval(
		    gsl_root_fsolver_x_lower(solver),
		    gsl_root_fsolver_x_upper(solver), 0, 1e-12);
	}
	gsl_root_fsolver_free(solver);
	if (status != GSL_SUCCESS || !(sigma > 0)) {
		free(y);
		return -EDOM;
	}
	gumbel_wmean(&d, sigma, &wbar);
	free(y);
	/* mu = -sigma ln mean(e^(-x/sigma)), undoing both shifts. */
	out->mu = mean + d.ymin - sigma * log(wbar);
	out->sigma = sigma;
	out->xi = 0;
	return 0;
}

/* -log L of the standardised data z at v = (mu, ln sigma, xi). */
static double gev_nll(const gsl_vector *v, void *arg)
{
	const struct gumbel_data *d = arg;
	struct pwcet_params g = {gsl_vector_get(v, 0),
				 exp(gsl_vector_get(v, 1)),
				 gsl_vector_get(v, 2)};
	double ll;

	if (!(g.xi > XI_LO && g.xi < XI_HI) || !(g.sigma > 0) ||
	    !isfinite(g.sigma))
		return PENALTY;
	ll = pwcet_gev_loglik(d->y, d->n, &g);
	return isfinite(ll) ? -ll : PENALTY;
}

/* Nelder-Mead from @g (standardised units), restarted until stable. */
static int gev_minimise(const struct gumbel_data *d, struct pwcet_params *g,
			double *nll)
{
	const gsl_multimin_fminimizer_type *T =
	    gsl_multimin_fminimizer_nmsimplex2;
	gsl_multimin_function fn = {gev_nll, 3, (void *)d};
	gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(T, 3);
	gsl_vector *x = gsl_vector_alloc(3), *step = gsl_vector_alloc(3);
	double best = PENALTY;
	int ret = -EDOM;

	if (!m || !x || !step) {
		ret = -ENOMEM;
		goto out;
	}
	gsl_vector_set(x, 0, g->mu);
	gsl_vector_set(x, 1, log(g->sigma));
	gsl_vector_set(x, 2, g->xi);
	if (gev_nll(x, (void *)d) >= PENALTY)
		goto out; /* the start must be feasible */
	for (int r = 0; r < NM_MAX_RESTARTS; r++) {
		int status = GSL_CONTINUE;
		double val;

		/* Restarts only re-check the optimum: a smaller simplex. */
		gsl_vector_set_all(step, r ? 0.02 : 0.1);
		gsl_multimin_fminimizer_set(m, &fn, x, step);
		for (int i = 0; i < NM_MAX_ITER && status == GSL_CONTINUE;
		     i++) {
			if (gsl_multimin_fminimizer_iterate(m))
				break;
			status = gsl_multimin_test_size(
			    gsl_multimin_fminimizer_size(m), NM_TOL);
		}
		val = gsl_multimin_fminimizer_minimum(m);
		gsl_vector_memcpy(x, gsl_multimin_fminimizer_x(m));
		if (status == GSL_SUCCESS)
			ret = 0;
		if (!(val < best - 1e-10 * (1 + fabs(best)))) {
			best = val < best ? val : best;
			break; /* a restart found nothing better */
		}
		best = val;
	}
	g->mu = gsl_vector_get(x, 0);
	g->sigma = exp(gsl_vector_get(x, 1));
	g->xi = gsl_vector_get(x, 2);
	*nll = best;
	if (best >= PENALTY)
		ret = -EDOM;
out:
	gsl_multimin_fminimizer_free(m);
	gsl_vector_free(x);
	gsl_vector_free(step);
	return ret;
}

int pwcet_gev_mle(const double *x, size_t n, const struct pwcet_params *start,
		  struct pwcet_params *out)
{
	struct pwcet_params starts[3], best = {0};
	double mean, sd, best_nll = INFINITY, *z;
	size_t nr_starts = 0;
	struct gumbel_data d;
	int ret = centre(x, n, &mean, &sd), found = -EDOM;

	if (ret)
		return ret;
	if (start) {
		starts[nr_starts++] = *start;
	} else {
		struct pwcet_params gum;

		ret = pwcet_gumbel_mle(x, n, &gum);
		if (ret)
			return ret;
		for (int i = 0; i < 3; i++) {
			starts[nr_starts] = gum;
			starts[nr_starts++].xi = (i - 1) * 0.2;
		}
	}
	z = malloc(n * sizeof(*z));
	if (!z)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		z[i] = (x[i] - mean) / sd;
	d = (struct gumbel_data){z, n, 0};
	for (size_t s = 0; s < nr_starts; s++) {
		struct pwcet_params g = {(starts[s].mu - mean) / sd,
					 starts[s].sigma / sd, starts[s].xi};
		double nll;

		ret = gev_minimise(&d, &g, &nll);
		if (ret == -ENOMEM) {
			free(z);
			return ret;
		}
		if (!ret && nll < best_nll) {
			best_nll = nll;
			best = g;
			found = 0;
		}
	}
	free(z);
	if (found)
		return found;
	/*
	 * An optimum on the edge of the allowed shapes is the simplex
	 * pushing against the penalty, not a maximum of the likelihood.
	 */
	if (best.xi < XI_LO + XI_EDGE || best.xi > XI_HI - XI_EDGE)
		return -EDOM;
	out->mu = mean + sd * best.mu;
	out->sigma = sd * best.sigma;
	out->xi = best.xi;
	return 0;
}
