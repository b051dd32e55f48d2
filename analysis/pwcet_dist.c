/*
 * Gumbel and GEV distributions for the pWCET pipeline.
 *
 * GSL has the Gumbel (type-1) distribution in the form
 * F(x) = exp(-b e^(-a x)); Gumbel(mu, sigma) is a = 1/sigma, b = e^(mu/sigma),
 * and b overflows to +inf once mu/sigma > ~709 (mu = 1e6 ns with
 * sigma = 100 ns is mu/sigma = 10^4): GSL then returns P = 0 and a NaN
 * pdf without any error. We therefore always hand GSL the centred
 * variable x - mu with b = 1, which is the same distribution shifted.
 *
 * GSL has no GEV. With z = (x - mu)/sigma and t = 1 + xi z, the GEV is
 * written here through log1p/expm1 so that it tends smoothly to the
 * Gumbel as xi -> 0: (1 + xi z)^(-1/xi) = exp(-log1p(xi z) / xi), and the
 * quantile uses (y^(-xi) - 1) / xi = expm1(-xi ln y) / xi.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "analysis/pwcet_evt.h"

/* Below this |xi| the GEV is evaluated as the Gumbel (error ~ xi z^2). */
#define XI_ZERO 1e-12

double pwcet_block_prob(double p_run, size_t b)
{
	return -expm1((double)b * log1p(-p_run));
}

double pwcet_gumbel_cdf(double x, double mu, double sigma)
{
	return gsl_cdf_gumbel1_P(x - mu, 1.0 / sigma, 1.0);
}

double pwcet_gumbel_pdf(double x, double mu, double sigma)
{
	return gsl_ran_gumbel1_pdf(x - mu, 1.0 / sigma, 1.0);
}

/* x with -ln F(x) = y (y = -ln(1 - p) for exceedance p). */
static double quantile_y(double y, const struct pwcet_params *g)
{
	double ly = log(y);

	if (fabs(g->xi) < XI_ZERO)
		return g->mu - g->sigma * ly;
	return g->mu + g->sigma * expm1(-g->xi * ly) / g->xi;
}

double pwcet_gumbel_quantile(double p, double mu, double sigma)
{
	const struct pwcet_params g = {mu, sigma, 0};

	if (!(p > 0 && p < 1))
		return NAN;
	return quantile_y(-log1p(-p), &g);
}

double pwcet_gev_quantile(double p, const struct pwcet_params *g)
{
	if (!(p > 0 && p < 1))
		return NAN;
	return quantile_y(-log1p(-p), g);
}

double pwcet_gev_quantile_run(double p_run, size_t b,
			      const struct pwcet_params *g)
{
	if (!(p_run > 0 && p_run < 1) || !b)
		return NAN;
	/* 1 - p_block = (1 - p_run)^b, so -ln(1 - p_block) = -b ln(1-p). */
	return quantile_y(-(double)b * log1p(-p_run), g);
}

/*
 * -ln F(x) = (1 + xi z)^(-1/xi) (e^-z for the Gumbel); +inf below the
 * support (xi > 0), 0 above it (xi < 0).
 */
static double gev_tail(double x, const struct pwcet_params *g)
{
	double z = (x - g->mu) / g->sigma;

	if (fabs(g->xi) < XI_ZERO)
		return exp(-z);
	if (1 + g->xi * z <= 0)
		return g->xi > 0 ? INFINITY : 0;
	return exp(-log1p(g->xi * z) / g->xi);
}

double pwcet_gev_cdf(double x, const struct pwcet_params *g)
{
	return exp(-gev_tail(x, g));
}

/* log pdf: -ln sigma - (1 + 1/xi) ln(1 + xi z) - (1 + xi z)^(-1/xi). */
static double gev_logpdf(double x, const struct pwcet_params *g)
{
	double z = (x - g->mu) / g->sigma, l;

	if (fabs(g->xi) < XI_ZERO)
		return -log(g->sigma) - z - exp(-z);
	if (1 + g->xi * z <= 0)
		return -INFINITY;
	l = log1p(g->xi * z);
	return -log(g->sigma) - (1 + 1 / g->xi) * l - exp(-l / g->xi);
}

double pwcet_gev_pdf(double x, const struct pwcet_params *g)
{
	return exp(gev_logpdf(x, g));
}

double pwcet_gev_loglik(const double *x, size_t n, const struct pwcet_params *g)
{
	const double is = 1 / g->sigma, ixi = 1 / g->xi;
	double ll = 0, sum_l = 0;

	/* The MLE's inner loop: gev_logpdf() with the constants hoisted. */
	if (fabs(g->xi) < XI_ZERO) {
		for (size_t i = 0; i < n; i++) {
			double z = (x[i] - g->mu) * is;

			ll -= z + exp(-z);
		}
		return ll - (double)n * log(g->sigma);
	}
	for (size_t i = 0; i < n; i++) {
		double t = g->xi * ((x[i] - g->mu) * is), l;

		if (!(t > -1))
			return -INFINITY;
		l = log1p(t);
		sum_l += l;
		ll -= exp(-l * ixi);
	}
	return ll - (1 + ixi) * sum_l - (double)n * log(g->sigma);
}

double pwcet_anderson_darling(const double *sorted, size_t n,
			      const struct pwcet_params *g)
{
	double sum = 0;

	/*
	 * ln F = -tail and ln(1 - F) = ln(-expm1(-tail)) keep precision at
	 * both ends, where 1 - F would round to 0 or F to 1.
	 */
	for (size_t i = 0; i < n; i++) {
		double lf = -gev_tail(sorted[i], g);
		double lq = log(-expm1(-gev_tail(sorted[n - 1 - i], g)));

		sum += (2.0 * (double)i + 1) * (lf + lq);
	}
	if (isnan(sum))
		return INFINITY;
	return -(double)n - sum / (double)n;
}

double pwcet_ks_distance(const double *sorted, size_t n,
			 const struct pwcet_params *g)
{
	double d = 0;

	for (size_t i = 0; i < n; i++) {
		double f = pwcet_gev_cdf(sorted[i], g);
		double up = (double)(i + 1) / (double)n - f;
		double down = f - (double)i / (double)n;

		if (up > d)
			d = up;
		if (down > d)
			d = down;
	}
	return d;
}
