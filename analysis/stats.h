/*
 * Latency statistics over uint64_t nanosecond samples: n, min, mean,
 * standard deviation, max and percentiles, exact while the samples fit in
 * memory and streaming (fixed memory, bounded error) when they do not.
 * Methods, the error bound and its proof are in docs/statistics.md.
 *
 * Percentile definition (the only one used in hvlab): nearest rank. The
 * p-percentile of n samples is the smallest sample such that at least a
 * fraction p of the samples are <= it, i.e. sorted[ceil(p * n) - 1] with
 * ranks clamped to [1, n]. It is always an observed value (no
 * interpolation invents a latency nobody measured), it needs no
 * convention for ties, it is what `hvlab run`'s summary prints (see
 * summary.h), and it is the only definition a bucketed histogram can
 * report with a one-sided guarantee. p is read as the decimal it was
 * written as: p * n within a relative 2^-50 of an integer counts as that
 * integer, so 0.99 * 100 is rank 99 whatever the binary rounding of 0.99.
 *
 * Modes:
 *   STATS_EXACT   every sample is stored (8 bytes each); exact results.
 *   STATS_STREAM  a log-linear histogram with 2^k sub-buckets per power of
 *                 two and 64-bit counters, allocated once at creation;
 *                 n, min, max are exact, mean and sd come from running
 *                 moments (relative error ~1e-15), and every percentile
 *                 is reported as R = q or q < R < q * (1 + 2^-k), where q
 *                 is the exact nearest-rank percentile: never below the
 *                 true value, at most 0.78 % above it for k = 7 (R = q
 *                 below 2^(k+1) ns, where buckets are 1 ns wide).
 *   STATS_AUTO    exact up to a cap of samples, then the stored samples
 *                 are replayed into a histogram and the collector streams
 *                 from there on; no sample is lost.
 *
 * A collector is not thread-safe; use one per thread and stats_merge().
 * No global state; GSL's error handler is never triggered (inputs are
 * checked before GSL sees them).
 */
#ifndef HV_STATS_H
#define HV_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum stats_mode {
	STATS_AUTO = 0,
	STATS_EXACT,
	STATS_STREAM,
};

#define STATS_SUB_BITS_DEFAULT 7 /* k: relative error < 2^-7 = 0.78 % */
#define STATS_SUB_BITS_MIN 1
#define STATS_SUB_BITS_MAX 12 /* 2 MB of buckets */
#define STATS_EXACT_CAP_DEFAULT 10000000ull /* samples (80 MB) */

/* Zero-initialised means: AUTO, cap 10^7, k = 7. */
struct stats_config {
	enum stats_mode mode;
	uint64_t exact_cap; /* AUTO: samples kept exactly; 0 = default */
	unsigned int sub_bits; /* k; 0 = default */
};

/*
 * What stats_result() reports. mean is exact to double rounding; sd is
 * the sample standard deviation (n - 1 denominator), 0 when n < 2. All
 * fields are 0 when n is 0.
 */
struct stats_result {
	uint64_t n;
	uint64_t min;
	uint64_t max;
	double mean;
	double sd;
	uint64_t p50, p90, p99, p999, p9999;
	bool exact; /* percentiles exact; else see rel_error */
	double rel_error; /* reported = q or 0 < reported - q < rel_error * q;
			   * 0 if exact */
};

struct stats;

/*
 * stats_create() - a new empty collector; @cfg NULL means all defaults.
 * Return: the collector, or NULL for an invalid @cfg (sub_bits outside
 * [STATS_SUB_BITS_MIN, STATS_SUB_BITS_MAX], unknown mode) or no memory.
 */
struct stats *stats_create(const struct stats_config *cfg);

/* stats_free() - free @s; NULL is accepted. */
void stats_free(struct stats *s);

/*
 * stats_format_us() - @ns as microseconds with 3 decimals ("12.345"):
 * exact, integer arithmetic. How every report prints a time in us.
 */
void stats_format_us(uint64_t ns, char *buf, size_t len);

/*
 * stats_add() / stats_add_many() - add one or @nr samples. In STREAM mode
 * and in AUTO mode past the cap these never allocate.
 * Return: 0, or -ENOMEM (EXACT mode, or AUTO switching to streaming); on
 * -ENOMEM the samples already accepted are kept and the others are not.
 */
int stats_add(struct stats *s, uint64_t ns);
int stats_add_many(struct stats *s, const uint64_t *ns, size_t nr);

/*
 * stats_merge() - add every sample of @src to @dst, as if they had been
 * added to @dst one by one (@src is unchanged). Percentiles and counts of
 * the result equal those of one collector fed everything; mean and sd
 * agree to rounding. An AUTO @dst switches to streaming if needed.
 * Return: 0; -EINVAL if @dst is EXACT and @src streams, or both stream
 * and @src has fewer sub-buckets (coarser) than @dst; -ENOMEM.
 */
int stats_merge(struct stats *dst, const struct stats *src);

/* stats_count() - the number of samples added. */
uint64_t stats_count(const struct stats *s);

/* stats_is_exact() - true while the collector stores every sample. */
bool stats_is_exact(const struct stats *s);

/*
 * stats_mem_bytes() - heap bytes the collector holds now (struct, sample
 * store or buckets). Constant while streaming.
 */
size_t stats_mem_bytes(const struct stats *s);

/*
 * stats_result() - fill @out. In exact mode this sorts the stored samples
 * in place (once; adding more clears the flag) and needs a transient
 * buffer of 8 bytes per sample, hence the non-const collector.
 * Return: 0 or -ENOMEM.
 */
int stats_result(struct stats *s, struct stats_result *out);

/*
 * stats_percentile() - the nearest-rank @p-percentile, 0 <= @p <= 1
 * (p = 0 gives min). Same guarantee as the result's percentiles.
 * Return: 0 and *@out set; -EINVAL for @p outside [0, 1] or NaN;
 * -ENODATA when empty; -ENOMEM.
 */
int stats_percentile(struct stats *s, double p, uint64_t *out);

/*
 * stats_rank() - the nearest rank used above: ceil(@p * @n) clamped to
 * [1, @n], with the decimal reading of @p described at the top.
 * Return: the 1-based rank, or 0 when @n is 0.
 */
uint64_t stats_rank(uint64_t n, double p);

/*
 * Fixed-width histogram for plots, over the inclusive ns range [lo, hi]:
 * bin i holds the samples v with edge[i] <= v < edge[i + 1], the last bin
 * also v = hi. In streaming mode each bucket's count goes to the bin of
 * its reported value (the same value the percentiles use), so the bins
 * are accurate to the bucket width. counts[] plus below and above is n.
 */
struct stats_histogram {
	size_t nbins;
	uint64_t lo, hi;
	double *edge; /* nbins + 1 edges */
	uint64_t *count; /* nbins counts */
	uint64_t below, above; /* samples outside [lo, hi] */
};

/*
 * stats_histogram() - bin the samples into @nbins bins over [@lo, @hi],
 * or over [min, max] when @lo == @hi == 0 (built with gsl_histogram).
 * Return: 0 and *@out set (free with stats_histogram_free()); -EINVAL for
 * nbins == 0 or lo > hi; -ENODATA when empty over [min, max]; -ENOMEM.
 */
int stats_histogram(struct stats *s, size_t nbins, uint64_t lo, uint64_t hi,
		    struct stats_histogram **out);

/* stats_histogram_free() - free @h; NULL is accepted. */
void stats_histogram_free(struct stats_histogram *h);

/*
 * One point of the empirical CDF: count_le samples are <= value. frac is
 * count_le / n and ccdf is (n - count_le) / n computed from the counts,
 * so tail fractions such as 1e-9 keep their precision.
 */
struct stats_cdf_point {
	uint64_t value;
	uint64_t count_le;
	double frac;
	double ccdf;
};

/*
 * stats_cdf() - the empirical CDF as points with increasing value and
 * non-decreasing frac, the last one (max, 1.0). Exact mode: one point per
 * distinct sample value. Streaming: one point per non-empty bucket at the
 * bucket's highest value (clamped to max); count_le there is exact, since
 * every sample of the bucket and below is <= it.
 * Return: 0 with *@out (free()) and *@nr set; -ENODATA when empty; -ENOMEM.
 */
int stats_cdf(struct stats *s, struct stats_cdf_point **out, size_t *nr);

#endif /* HV_STATS_H */
