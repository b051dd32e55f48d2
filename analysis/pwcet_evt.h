/*
 * Extreme value building blocks for pwcet.h: Gumbel and GEV distributions,
 * their fits, goodness-of-fit statistics and the independence tests. The
 * pipeline in pwcet.h strings them together; they are public so that tests
 * and other analyses can use each step on its own. Methods and references
 * are in docs/statistics.md.
 *
 * Parameterisation (Coles 2001): GEV(mu, sigma, xi) has
 *   F(x) = exp(-(1 + xi z)^(-1/xi)),  z = (x - mu) / sigma,  1 + xi z > 0,
 * xi > 0 a heavy (Frechet-type) tail, xi < 0 a bounded one, and xi = 0
 * the Gumbel F(x) = exp(-exp(-z)). Hosking's k is -xi.
 *
 * Exceedance probabilities: a quantile function here takes p = P(X > x)
 * (per block of b samples, since the fitted X is a block maximum), never
 * the non-exceedance 1 - p, so that p = 1e-15 is not lost to rounding.
 *
 * No function here triggers GSL's error handler: inputs are checked
 * first, and Gumbel(mu, sigma) is never handed to GSL as gumbel1 with
 * b = exp(mu / sigma), which overflows for mu / sigma > ~709 (e.g.
 * mu = 1 ms, sigma = 100 ns); GSL sees x - mu with a = 1/sigma, b = 1.
 */
#ifndef HV_PWCET_EVT_H
#define HV_PWCET_EVT_H

#include <stddef.h>
#include <stdint.h>

/* Euler-Mascheroni constant, the mean of the standard Gumbel. */
#define PWCET_EULER_GAMMA 0.57721566490153286061

struct pwcet_params {
	double mu; /* location, ns */
	double sigma; /* scale, ns, > 0 */
	double xi; /* shape; 0 for Gumbel */
};

/*
 * pwcet_block_prob() - the per-block exceedance of a per-run exceedance
 * @p_run over blocks of @b runs: 1 - (1 - p_run)^b, computed as
 * -expm1(b * log1p(-p_run)) so that 1e-15 keeps full precision.
 */
double pwcet_block_prob(double p_run, size_t b);

/* Gumbel through GSL's gumbel1 evaluated at x - mu (a = 1/sigma, b = 1). */
double pwcet_gumbel_cdf(double x, double mu, double sigma);
double pwcet_gumbel_pdf(double x, double mu, double sigma);

/*
 * pwcet_gumbel_quantile() - x with P(X > x) = @p: mu - sigma ln(-ln(1-p)),
 * with ln(1 - p) as log1p(-p). Return: x, or NaN for p outside (0, 1).
 */
double pwcet_gumbel_quantile(double p, double mu, double sigma);

/* GEV distribution; xi == 0 is the Gumbel. Outside the support the cdf is
 * 0 or 1 and the pdf 0. */
double pwcet_gev_cdf(double x, const struct pwcet_params *g);
double pwcet_gev_pdf(double x, const struct pwcet_params *g);

/* pwcet_gev_quantile() - x with P(X > x) = @p; NaN for p outside (0, 1). */
double pwcet_gev_quantile(double p, const struct pwcet_params *g);

/*
 * pwcet_gev_quantile_run() - the value a single run exceeds with
 * probability @p_run when @g is fitted to maxima of blocks of @b runs.
 * Uses -ln(1 - p_block) = -b log1p(-p_run) directly (no cancellation).
 * Return: x, or NaN for p_run outside (0, 1) or b == 0.
 */
double pwcet_gev_quantile_run(double p_run, size_t b,
			      const struct pwcet_params *g);

/* pwcet_gev_loglik() - log-likelihood of @x[0..n); -inf off support. */
double pwcet_gev_loglik(const double *x, size_t n,
			const struct pwcet_params *g);

/*
 * Fits on @x[0..n) (block maxima, any order; @x is not modified).
 *
 * pwcet_gumbel_pwm(): probability-weighted moments (Hosking, Wallis &
 * Wood 1985): sigma = (2 b1 - b0) / ln 2, mu = b0 - gamma sigma.
 * pwcet_gumbel_mle(): maximum likelihood; the scale solves
 * sigma = mean(x) - sum(x e^(-x/sigma)) / sum(e^(-x/sigma)) (Brent on a
 * bracket, data centred and weights shifted so nothing overflows), then
 * mu = -sigma ln(mean(e^(-x/sigma))).
 * pwcet_gev_mle(): maximum likelihood with xi free (Nelder-Mead simplex
 * on -log L over (mu, ln sigma, xi) of the standardised data, restarted
 * until it stops improving); xi is kept in (-1, 5) since the likelihood
 * is unbounded for xi <= -1, and an optimum within 0.01 of either end is
 * reported as -EDOM. @start (NULL: the Gumbel MLE, and also tried
 * with xi = +-0.2) seeds the search.
 * Return: 0; -EINVAL for n < 2 or all values equal or a non-finite value;
 * -EDOM if the solver did not converge; -ENOMEM.
 */
int pwcet_gumbel_pwm(const double *x, size_t n, struct pwcet_params *out);
int pwcet_gumbel_mle(const double *x, size_t n, struct pwcet_params *out);
int pwcet_gev_mle(const double *x, size_t n, const struct pwcet_params *start,
		  struct pwcet_params *out);

/*
 * Goodness of fit of @sorted[0..n) (ascending) to @g (Gumbel if xi == 0):
 * the Anderson-Darling A^2 = -n - (1/n) sum (2i-1) [ln F(x_(i)) +
 * ln(1 - F(x_(n+1-i)))] (+inf if a point has F = 0 or 1), and the
 * Kolmogorov-Smirnov distance D = max |F_n - F|.
 */
double pwcet_anderson_darling(const double *sorted, size_t n,
			      const struct pwcet_params *g);
double pwcet_ks_distance(const double *sorted, size_t n,
			 const struct pwcet_params *g);

/*
 * pwcet_gev_ad_bootstrap() - parametric bootstrap of A^2 for a GEV fitted
 * by MLE to n points: @reps samples of size @n from @g, each refitted,
 * seeded by @seed (deterministic). *@crit is the nearest-rank 95th
 * percentile of the replicates and *@p = (1 + #{A^2_r >= @ad}) /
 * (kept + 1) over the replicates whose refit succeeded.
 * Return: 0; -EINVAL (n < 2, reps == 0); -EDOM if more than a tenth of
 * the refits failed (the model is too unstable to test); -ENOMEM.
 */
int pwcet_gev_ad_bootstrap(size_t n, const struct pwcet_params *g,
			   unsigned int reps, uint64_t seed, double ad,
			   double *crit, double *p);

/*
 * pwcet_ljung_box() - Q = n(n+2) sum_{k=1..h} r_k^2 / (n-k) over the
 * sample autocorrelations r_k of @x[0..n) in observed order; p-value from
 * chi-square with @h degrees of freedom (gsl_cdf_chisq_Q).
 * Return: 0; -EINVAL for h == 0, n <= h + 1 or constant data.
 */
int pwcet_ljung_box(const double *x, size_t n, unsigned int h, double *q,
		    double *p);

/*
 * pwcet_runs_test() - Wald-Wolfowitz runs above/below the median of
 * @x[0..n) (values equal to the median dropped); two-sided p-value from
 * the normal approximation (gsl_cdf_ugaussian_P).
 * Return: 0; -EINVAL if fewer than 10 values lie on either side of the
 * median, where the normal approximation does not hold.
 */
int pwcet_runs_test(const double *x, size_t n, uint64_t *runs, double *z,
		    double *p);

#endif /* HV_PWCET_EVT_H */
