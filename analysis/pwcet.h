/*
 * Probabilistic WCET / latency bound by extreme value theory (MBPTA with
 * block maxima). From samples in the order observed:
 *
 *   1. enough data?     at least PWCET_MIN_BLOCKS full blocks of b samples
 *   2. independent?     Ljung-Box on lags 1..h and a Wald-Wolfowitz runs
 *                       test around the median, each at alpha = 0.05
 *   3. block maxima     one per full block (a trailing partial block is
 *                       dropped)
 *   4. Gumbel           PWM start, then MLE; accepted if the modified
 *                       Anderson-Darling A^2 (1 + 0.2/sqrt(m)) <= 0.757,
 *                       the 5 % point of D'Agostino & Stephens (1986)
 *   5. else GEV         MLE with xi free; accepted if the p-value of its A^2
 *                       in a parametric bootstrap (replicates of
 *                       min(m, 1000) maxima, refitted) is >= 0.05
 *   6. pWCET            the value one run exceeds with probability p, for
 *                       p = 1e-6, 1e-9, 1e-12 and a curve 1e-3 .. 1e-15
 *
 * The result carries numbers only when status is PWCET_OK; otherwise the
 * reason says which step refused and why, and every pWCET field is NaN.
 * The test statistics are reported in every case they were computed.
 * Methods, definitions and references: docs/statistics.md.
 */
#ifndef HV_PWCET_H
#define HV_PWCET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/pwcet_evt.h"

#define PWCET_BLOCK_DEFAULT 50
#define PWCET_MIN_BLOCKS 30
#define PWCET_LAGS_DEFAULT 20
#define PWCET_ALPHA 0.05
#define PWCET_AD_GUMBEL_CRIT 0.757 /* modified A^2, 5 %, both estimated */
#define PWCET_BOOTSTRAP_DEFAULT 200
#define PWCET_BOOTSTRAP_MAX_N 1000 /* points per bootstrap replicate */
#define PWCET_CURVE_POINTS 13 /* p_run = 1e-3, 1e-4, ..., 1e-15 */
#define PWCET_REASON_LEN 256

enum pwcet_status {
	PWCET_OK = 0, /* a model was accepted; pWCET values are set */
	PWCET_NOT_ENOUGH_DATA, /* fewer than PWCET_MIN_BLOCKS blocks */
	PWCET_NOT_INDEPENDENT, /* an independence test rejected */
	PWCET_NO_FIT, /* neither Gumbel nor GEV fits, or degenerate data */
};

enum pwcet_model {
	PWCET_MODEL_NONE = 0,
	PWCET_MODEL_GUMBEL,
	PWCET_MODEL_GEV,
};

/* Zero-initialised means all defaults. */
struct pwcet_config {
	size_t block; /* samples per block; 0 = 50 */
	unsigned int lags; /* Ljung-Box h; 0 = min(20, n / 4) */
	unsigned int bootstrap; /* GEV A^2 replicates; 0 = 200 */
	uint64_t seed; /* bootstrap generator seed */
};

struct pwcet_iid {
	bool computed;
	unsigned int lags;
	double lb_q, lb_p; /* Ljung-Box statistic and p-value */
	bool runs_valid; /* enough values on both sides of the median */
	uint64_t runs;
	double runs_z, runs_p; /* runs test z and two-sided p-value */
	bool independent; /* lb_p >= alpha and (runs_p >= alpha or !valid) */
};

struct pwcet_gof {
	double ad; /* A^2 */
	double ad_stat; /* statistic compared: Gumbel A^2(1 + 0.2/sqrt m),
			 * GEV A^2 */
	double ad_crit; /* 5 % critical value (table or bootstrap) */
	double ad_p; /* GEV: bootstrap p-value; Gumbel: NaN (table only) */
	double ks; /* Kolmogorov-Smirnov distance, for information */
	bool accepted;
};

struct pwcet_fit {
	enum pwcet_model model; /* NONE: not attempted or failed */
	struct pwcet_params par;
	double loglik;
	struct pwcet_gof gof;
};

/* One point of the pWCET curve. */
struct pwcet_point {
	double p_run; /* exceedance per run (sample) */
	double p_block; /* the same per block: 1 - (1 - p_run)^b */
	double value; /* ns */
};

struct pwcet_result {
	enum pwcet_status status;
	char reason[PWCET_REASON_LEN]; /* one line, human-readable */
	size_t n, block, nr_blocks;
	uint64_t wcot; /* worst-case observed time (max sample) */
	struct pwcet_iid iid;
	struct pwcet_params gumbel_pwm; /* starting values, if reached */
	struct pwcet_fit gumbel; /* MLE */
	struct pwcet_fit gev; /* only if the Gumbel was rejected */
	enum pwcet_model model; /* the model used; NONE unless OK */
	struct pwcet_params par; /* its parameters; NaN unless OK */
	double pwcet_1e6, pwcet_1e9, pwcet_1e12; /* ns per run; NaN unless OK */
	size_t nr_curve; /* PWCET_CURVE_POINTS if OK, else 0 */
	struct pwcet_point curve[PWCET_CURVE_POINTS];
};

/*
 * pwcet_analyse() - run the pipeline on @samples[0..n) (ns, observed
 * order) with @cfg (NULL: defaults) into @out. The verdict is
 * out->status; a refusal is a successful analysis, not an error.
 * Return: 0; -EINVAL for a NULL pointer or block == 0; -ENOMEM.
 */
int pwcet_analyse(const uint64_t *samples, size_t n,
		  const struct pwcet_config *cfg, struct pwcet_result *out);

/* pwcet_status_name() - "ok", "not-enough-data", "not-independent",
 * "no-fit". */
const char *pwcet_status_name(enum pwcet_status st);

/* pwcet_model_name() - "none", "gumbel", "gev". */
const char *pwcet_model_name(enum pwcet_model m);

/* pwcet_print_text() - a short human-readable report of @r to @out. */
void pwcet_print_text(const struct pwcet_result *r, FILE *out);

#endif /* HV_PWCET_H */
