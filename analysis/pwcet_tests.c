/*
 * Statistical tests for the pWCET pipeline: independence (Ljung-Box,
 * Wald-Wolfowitz runs) and the parametric bootstrap of the GEV
 * Anderson-Darling statistic.
 *
 * Why a bootstrap for the GEV: with parameters estimated from the same
 * data, A^2 is smaller than for a fully specified distribution, and for
 * the GEV its null distribution depends on xi, so no single table value
 * applies. Refitting each simulated sample (the "parametric bootstrap" of
 * Stute, Gonzales Manteiga & Presedo Quindimil 1993) reproduces exactly
 * the estimation step the observed statistic went through.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

#include "analysis/pwcet_evt.h"

#define RUNS_MIN_SIDE 10
#define BOOT_MAX_FAIL_FRAC 10 /* at most 1/10 of the refits may fail */

int pwcet_ljung_box(const double *x, size_t n, unsigned int h, double *q,
		    double *p)
{
	double mean, c0 = 0, sum = 0;

	if (!h || n <= (size_t)h + 1)
		return -EINVAL;
	mean = gsl_stats_mean(x, 1, n);
	for (size_t t = 0; t < n; t++)
		c0 += (x[t] - mean) * (x[t] - mean);
	if (!(c0 > 0))
		return -EINVAL;
	for (unsigned int k = 1; k <= h; k++) {
		double ck = 0, r;

		for (size_t t = 0; t + k < n; t++)
			ck += (x[t] - mean) * (x[t + k] - mean);
		r = ck / c0;
		sum += r * r / (double)(n - k);
	}
	*q = (double)n * ((double)n + 2) * sum;
	*p = gsl_cdf_chisq_Q(*q, (double)h);
	return 0;
}

int pwcet_runs_test(const double *x, size_t n, uint64_t *runs, double *z,
		    double *p)
{
	double *tmp, med, n1 = 0, n2 = 0, e, var;
	uint64_t r = 0;
	int last = 0;

	if (n < 2 * RUNS_MIN_SIDE)
		return -EINVAL;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, x, n * sizeof(*tmp));
	med = gsl_stats_median(tmp, 1, n); /* reorders tmp */
	free(tmp);
	for (size_t i = 0; i < n; i++) {
		int side = x[i] > med ? 1 : x[i] < med ? -1 : 0;

		if (!side)
			continue; /* ties with the median carry no sign */
		if (side > 0)
			n1++;
		else
			n2++;
		if (side != last)
			r++;
		last = side;
	}
	if (n1 < RUNS_MIN_SIDE || n2 < RUNS_MIN_SIDE)
		return -EINVAL;
	e = 2 * n1 * n2 / (n1 + n2) + 1;
	var = 2 * n1 * n2 * (2 * n1 * n2 - n1 - n2) /
	      ((n1 + n2) * (n1 + n2) * (n1 + n2 - 1));
	*runs = r;
	*z = ((double)r - e) / sqrt(var);
	*p = 2 * gsl_cdf_ugaussian_P(-fabs(*z));
	return 0;
}

int pwcet_gev_ad_bootstrap(size_t n, const struct pwcet_params *g,
			   unsigned int reps, uint64_t seed, double ad,
			   double *crit, double *p)
{
	double *x = malloc(n * sizeof(*x));
	double *stat = malloc(reps * sizeof(*stat));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	unsigned int exceed = 0, done = 0;
	int ret = 0;

	if (n < 2 || !reps) {
		ret = -EINVAL;
		goto out;
	}
	if (!x || !stat || !rng) {
		ret = -ENOMEM;
		goto out;
	}
	gsl_rng_set(rng, (unsigned long)(seed ^ (seed >> 32)));
	for (unsigned int r = 0; r < reps; r++) {
		struct pwcet_params fit;
		int err;

		/* Inverse transform: P(X > x) = U is uniform on (0, 1). */
		for (size_t i = 0; i < n; i++)
			x[i] = pwcet_gev_quantile(gsl_rng_uniform_pos(rng), g);
		err = pwcet_gev_mle(x, n, g, &fit);
		if (err == -ENOMEM) {
			ret = err;
			goto out;
		}
		if (err)
			continue;
		gsl_sort(x, 1, n);
		stat[done] = pwcet_anderson_darling(x, n, &fit);
		if (stat[done++] >= ad)
			exceed++;
	}
	/*
	 * A replicate whose refit failed has no statistic. Counting it
	 * either way would bias the p-value, so it is dropped; when more
	 * than a tenth fail, the fitted model is too unstable to trust.
	 */
	if (done < reps - reps / BOOT_MAX_FAIL_FRAC || !done) {
		ret = -EDOM;
		goto out;
	}
	gsl_sort(stat, 1, done);
	/* Nearest rank, as everywhere in hvlab: rank ceil(0.95 done). */
	*crit = stat[((size_t)done * 95 + 99) / 100 - 1];
	*p = (1.0 + exceed) / (1.0 + done);
out:
	free(x);
	free(stat);
	if (rng)
		gsl_rng_free(rng);
	return ret;
}
