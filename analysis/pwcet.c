/*
 * pWCET pipeline: checks, block maxima, Gumbel then GEV, pWCET curve.
 *
 * Design: each step either passes or fills status and reason and stops;
 * nothing after a refusal runs, so a refused result cannot carry a number
 * from a fit the data did not support. The test statistics computed up
 * to the refusal stay in the result, so the report can show why.
 *
 * Bootstrap size: the null distribution of A^2 with estimated parameters
 * settles as m grows (the Gumbel table's finite-m correction 0.2/sqrt(m)
 * is 0.6 % at m = 1000), so replicates have min(m, 1000) points. That
 * bounds the GEV check at reps x one 1000-point fit (about 2 s for the
 * default 200) however long the run was.
 *
 * Multiple tests: independence is declared when both the Ljung-Box and
 * the runs test pass at alpha = 0.05 each, so truly i.i.d. data are
 * refused about 1 - 0.95^2 = 9.75 % of the time (less, the tests being
 * positively correlated). That errs on the side of refusing a pWCET.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort_double.h>

#include "analysis/pwcet.h"

static void reason(struct pwcet_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void reason(struct pwcet_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

const char *pwcet_status_name(enum pwcet_status st)
{
	switch (st) {
	case PWCET_OK: return "ok";
	case PWCET_NOT_ENOUGH_DATA: return "not-enough-data";
	case PWCET_NOT_INDEPENDENT: return "not-independent";
	case PWCET_NO_FIT: return "no-fit";
	}
	return "?";
}

const char *pwcet_model_name(enum pwcet_model m)
{
	switch (m) {
	case PWCET_MODEL_NONE: return "none";
	case PWCET_MODEL_GUMBEL: return "gumbel";
	case PWCET_MODEL_GEV: return "gev";
	}
	return "?";
}

static void check_iid(const double *x, size_t n, unsigned int lags,
		      struct pwcet_iid *iid)
{
	iid->lags = lags;
	if (pwcet_ljung_box(x, n, lags, &iid->lb_q, &iid->lb_p))
		return; /* constant data: left to the fit to refuse */
	iid->computed = true;
	iid->runs_valid =
	    !pwcet_runs_test(x, n, &iid->runs, &iid->runs_z, &iid->runs_p);
	if (!iid->runs_valid)
		iid->runs_p = NAN;
	iid->independent = iid->lb_p >= PWCET_ALPHA &&
			   (!iid->runs_valid || iid->runs_p >= PWCET_ALPHA);
}

/* Gumbel: PWM, MLE, modified A^2 against the table. */
static int fit_gumbel(const double *bm, const double *sorted, size_t m,
		      struct pwcet_result *r)
{
	struct pwcet_fit *f = &r->gumbel;
	int ret;

	ret = pwcet_gumbel_pwm(bm, m, &r->gumbel_pwm);
	if (ret)
		return ret;
	ret = pwcet_gumbel_mle(bm, m, &f->par);
	if (ret)
		return ret;
	f->model = PWCET_MODEL_GUMBEL;
	f->loglik = pwcet_gev_loglik(bm, m, &f->par);
	f->gof.ad = pwcet_anderson_darling(sorted, m, &f->par);
	f->gof.ad_stat = f->gof.ad * (1 + 0.2 / sqrt((double)m));
	f->gof.ad_crit = PWCET_AD_GUMBEL_CRIT;
	f->gof.ad_p = NAN;
	f->gof.ks = pwcet_ks_distance(sorted, m, &f->par);
	f->gof.accepted = f->gof.ad_stat <= f->gof.ad_crit;
	return 0;
}

/* GEV: MLE, A^2 against its own parametric bootstrap. */
static int fit_gev(const double *bm, const double *sorted, size_t m,
		   const struct pwcet_config *cfg, struct pwcet_result *r)
{
	struct pwcet_fit *f = &r->gev;
	int ret;

	ret = pwcet_gev_mle(bm, m, NULL, &f->par);
	if (ret)
		return ret;
	f->model = PWCET_MODEL_GEV;
	f->loglik = pwcet_gev_loglik(bm, m, &f->par);
	f->gof.ad = pwcet_anderson_darling(sorted, m, &f->par);
	f->gof.ad_stat = f->gof.ad;
	f->gof.ks = pwcet_ks_distance(sorted, m, &f->par);
	ret = pwcet_gev_ad_bootstrap(
	    m < PWCET_BOOTSTRAP_MAX_N ? m : PWCET_BOOTSTRAP_MAX_N, &f->par,
	    cfg->bootstrap, cfg->seed, f->gof.ad, &f->gof.ad_crit,
	    &f->gof.ad_p);
	if (ret)
		return ret;
	f->gof.accepted = f->gof.ad_p >= PWCET_ALPHA;
	return 0;
}

static void fill_pwcet(struct pwcet_result *r, const struct pwcet_fit *f)
{
	double p = 1e-3;

	r->model = f->model;
	r->par = f->par;
	r->pwcet_1e6 = pwcet_gev_quantile_run(1e-6, r->block, &f->par);
	r->pwcet_1e9 = pwcet_gev_quantile_run(1e-9, r->block, &f->par);
	r->pwcet_1e12 = pwcet_gev_quantile_run(1e-12, r->block, &f->par);
	for (size_t i = 0; i < PWCET_CURVE_POINTS; i++, p /= 10) {
		r->curve[i].p_run = p;
		r->curve[i].p_block = pwcet_block_prob(p, r->block);
		r->curve[i].value =
		    pwcet_gev_quantile_run(p, r->block, &f->par);
	}
	r->nr_curve = PWCET_CURVE_POINTS;
	r->status = PWCET_OK;
}

/* Steps 4 and 5 on the block maxima; sets status and reason. */
static int fit_maxima(const double *bm, size_t m,
		      const struct pwcet_config *cfg, struct pwcet_result *r)
{
	double *sorted = malloc(m * sizeof(*sorted));
	char gum[64];
	int ret;

	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, bm, m * sizeof(*sorted));
	gsl_sort(sorted, 1, m);
	if (sorted[0] == sorted[m - 1]) {
		r->status = PWCET_NO_FIT;
		reason(r,
		       "all %zu block maxima equal %.0f ns: no spread to "
		       "extrapolate from, only the observed maximum is known",
		       m, sorted[0]);
		free(sorted);
		return 0;
	}
	ret = fit_gumbel(bm, sorted, m, r);
	if (!ret && r->gumbel.gof.accepted) {
		fill_pwcet(r, &r->gumbel);
		reason(r,
		       "Gumbel fits %zu block maxima of %zu (modified A2 "
		       "%.3f <= %.3f)",
		       m, r->block, r->gumbel.gof.ad_stat,
		       r->gumbel.gof.ad_crit);
		goto out;
	}
	if (ret == -ENOMEM)
		goto out;
	if (ret)
		snprintf(gum, sizeof(gum), "the Gumbel MLE failed");
	else
		snprintf(gum, sizeof(gum),
			 "Gumbel rejected (modified A2 %.3f > %.3f)",
			 r->gumbel.gof.ad_stat, PWCET_AD_GUMBEL_CRIT);
	ret = fit_gev(bm, sorted, m, cfg, r);
	if (!ret && r->gev.gof.accepted) {
		fill_pwcet(r, &r->gev);
		reason(r,
		       "GEV (xi = %.3f) fits %zu block maxima of %zu "
		       "(A2 %.3f, bootstrap p = %.3f); %s",
		       r->gev.par.xi, m, r->block, r->gev.gof.ad,
		       r->gev.gof.ad_p, gum);
		goto out;
	}
	if (ret == -ENOMEM)
		goto out;
	r->status = PWCET_NO_FIT;
	if (ret && r->gev.model == PWCET_MODEL_NONE)
		reason(r,
		       "%s, and the GEV likelihood of the %zu block maxima "
		       "has no interior maximum (xi at the edge of (-1, 5)) "
		       "or the search did not converge; no pWCET",
		       gum, m);
	else if (ret)
		reason(r,
		       "%s, and the GEV fit (xi = %.3f) is unstable: over a "
		       "tenth of its bootstrap refits failed; no pWCET",
		       gum, r->gev.par.xi);
	else
		reason(r,
		       "%s, and the GEV does not fit either (A2 %.3f, "
		       "bootstrap p = %.3f < %.2f) on %zu block maxima; "
		       "no pWCET",
		       gum, r->gev.gof.ad, r->gev.gof.ad_p, PWCET_ALPHA, m);
	ret = 0;
out:
	free(sorted);
	return ret;
}

int pwcet_analyse(const uint64_t *samples, size_t n,
		  const struct pwcet_config *cfg, struct pwcet_result *out)
{
	struct pwcet_config c = cfg ? *cfg : (struct pwcet_config){0};
	double *x, *bm;
	size_t m;
	int ret;

	if (!out || (!samples && n))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->par.mu = out->par.sigma = out->par.xi = NAN;
	out->pwcet_1e6 = out->pwcet_1e9 = out->pwcet_1e12 = NAN;
	if (!c.block)
		c.block = PWCET_BLOCK_DEFAULT;
	if (!c.bootstrap)
		c.bootstrap = PWCET_BOOTSTRAP_DEFAULT;
	if (!c.lags)
		c.lags = n / 4 < PWCET_LAGS_DEFAULT ? (unsigned int)(n / 4)
						    : PWCET_LAGS_DEFAULT;
	out->n = n;
	out->block = c.block;
	out->nr_blocks = m = n / c.block;
	for (size_t i = 0; i < n; i++)
		if (samples[i] > out->wcot)
			out->wcot = samples[i];

	if (m < PWCET_MIN_BLOCKS) {
		out->status = PWCET_NOT_ENOUGH_DATA;
		reason(out,
		       "%zu samples make %zu blocks of %zu; EVT needs at "
		       "least %d blocks (%zu samples)",
		       n, m, c.block, PWCET_MIN_BLOCKS,
		       (size_t)PWCET_MIN_BLOCKS * c.block);
		return 0;
	}
	x = malloc(n * sizeof(*x));
	bm = malloc(m * sizeof(*bm));
	if (!x || !bm) {
		free(x);
		free(bm);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		x[i] = (double)samples[i];
	check_iid(x, n, c.lags, &out->iid);
	if (out->iid.computed && !out->iid.independent) {
		out->status = PWCET_NOT_INDEPENDENT;
		reason(out,
		       "samples are not independent at alpha = %.2f "
		       "(Ljung-Box p = %.3g over %u lags, runs test p = "
		       "%.3g); EVT does not apply, no pWCET",
		       PWCET_ALPHA, out->iid.lb_p, out->iid.lags,
		       out->iid.runs_p);
		ret = 0;
		goto out;
	}
	for (size_t b = 0; b < m; b++) {
		const double *blk = x + b * c.block;
		double mx = blk[0];

		for (size_t i = 1; i < c.block; i++)
			if (blk[i] > mx)
				mx = blk[i];
		bm[b] = mx;
	}
	ret = fit_maxima(bm, m, &c, out);
out:
	free(x);
	free(bm);
	return ret;
}

void pwcet_print_text(const struct pwcet_result *r, FILE *out)
{
	const struct pwcet_iid *iid = &r->iid;

	fprintf(out, "pwcet: %s: %s\n", pwcet_status_name(r->status),
		r->reason);
	fprintf(out, "  samples %zu, blocks %zu of %zu, observed max %llu ns\n",
		r->n, r->nr_blocks, r->block, (unsigned long long)r->wcot);
	if (iid->computed)
		fprintf(out,
			"  independence: Ljung-Box Q = %.2f (%u lags) p = "
			"%.3g; runs %llu, z = %.2f, p = %.3g\n",
			iid->lb_q, iid->lags, iid->lb_p,
			(unsigned long long)iid->runs, iid->runs_z,
			iid->runs_p);
	if (r->gumbel.model)
		fprintf(out,
			"  gumbel: mu %.1f sigma %.2f, modified A2 %.3f "
			"(crit %.3f), KS %.4f\n",
			r->gumbel.par.mu, r->gumbel.par.sigma,
			r->gumbel.gof.ad_stat, r->gumbel.gof.ad_crit,
			r->gumbel.gof.ks);
	if (r->gev.model)
		fprintf(out,
			"  gev: mu %.1f sigma %.2f xi %.4f, A2 %.3f "
			"(bootstrap crit %.3f, p %.3f), KS %.4f\n",
			r->gev.par.mu, r->gev.par.sigma, r->gev.par.xi,
			r->gev.gof.ad, r->gev.gof.ad_crit, r->gev.gof.ad_p,
			r->gev.gof.ks);
	for (size_t i = 0; i < r->nr_curve; i++)
		fprintf(out, "  pWCET @ %.0e/run (%.2e/block): %.0f ns\n",
			r->curve[i].p_run, r->curve[i].p_block,
			r->curve[i].value);
}
