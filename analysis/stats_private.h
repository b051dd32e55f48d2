/*
 * Internals shared by stats.c (collector), stats_sort.c (exact mode) and
 * stats_hist.c (plot histograms and CDF). Not a public header.
 *
 * Log-linear buckets with k sub-bits (HdrHistogram-like layout, written
 * from the definition): values below 2^(k+1) get one bucket each; a value
 * v >= 2^(k+1) with e = floor(log2 v) lies in [2^e, 2^(e+1)), which is cut
 * into 2^k buckets of width w = 2^(e-k). With shift = max(0, e - k):
 *
 *   index(v) = (shift << k) + (v >> shift)
 *
 *   value   0 .. 2^(k+1)-1 | 2^(k+1) .. 2^(k+2)-1 | ...  | 2^63 .. 2^64-1
 *   width   1              | 2                    | ...  | 2^(63-k)
 *   index   0 .. 2^(k+1)-1 | 2^(k+1) + 0 .. 2^k-1 | ...  | .. (65-k)2^k - 1
 *
 * (v >> shift) is in [2^k, 2^(k+1)) once shift > 0, so consecutive ranges
 * take consecutive index blocks of 2^k and the index is monotone in v.
 * There are (65 - k) * 2^k buckets for the whole uint64_t range: 7,424
 * (58 KB) for k = 7, allocated once.
 */
#ifndef HV_STATS_PRIVATE_H
#define HV_STATS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/stats.h"

/* Samples stats_add() buffers before folding them into the moments. */
#define STATS_PEND 64

/* Running moments (chunked two-pass; Chan et al. to combine two). */
struct stats_moments {
	uint64_t n;
	unsigned __int128 sum; /* exact: (2^64 - 1)^2 < 2^128 */
	uint64_t shift; /* a sample; mean is kept relative to it */
	double mean; /* running mean - shift; the reported mean is sum / n */
	double m2; /* sum of squared deviations from the mean */
};

struct stats {
	enum stats_mode mode; /* as configured */
	unsigned int k; /* sub-bits */
	uint64_t cap; /* AUTO: largest exact sample count */
	bool streaming; /* current representation */
	uint64_t n, min, max; /* exact in every mode */

	/* Exact representation. */
	uint64_t *v;
	size_t nr, alloc;
	bool prepared; /* v sorted and mean/sd below computed */
	double exact_mean, exact_sd;

	/* Streaming representation. */
	uint64_t *bucket;
	size_t nr_buckets;
	struct stats_moments mom; /* all samples but the pending ones */
	unsigned int nr_pend; /* stats_add() samples not yet in mom */
	uint64_t pend[STATS_PEND];
};

static inline size_t stats_nr_buckets(unsigned int k)
{
	return (size_t)(65 - k) << k;
}

static inline size_t stats_bucket_index(uint64_t v, unsigned int k)
{
	unsigned int e = 63 - (unsigned int)__builtin_clzll(v | 1);
	unsigned int shift = e > k ? e - k : 0;

	return ((size_t)shift << k) + (size_t)(v >> shift);
}

/* Lowest value of bucket @idx. */
static inline uint64_t stats_bucket_low(size_t idx, unsigned int k)
{
	size_t shift;

	if (idx < (size_t)2 << k)
		return idx;
	shift = (idx >> k) - 1;
	return (uint64_t)(idx - (shift << k)) << shift;
}

/* Highest value of bucket @idx (no overflow: 2^64 - 1 at the top). */
static inline uint64_t stats_bucket_high(size_t idx, unsigned int k)
{
	size_t shift;

	if (idx < (size_t)2 << k)
		return idx;
	shift = (idx >> k) - 1;
	return stats_bucket_low(idx, k) + ((((uint64_t)1) << shift) - 1);
}

/*
 * The value a streaming collector reports for a bucket: its highest value,
 * clamped to the observed max (so the top percentile is the exact max).
 */
static inline uint64_t stats_bucket_value(const struct stats *s, size_t idx)
{
	uint64_t hi = stats_bucket_high(idx, s->k);

	return hi < s->max ? hi : s->max;
}

/*
 * stats_prepare_exact() - sort the stored samples and compute the exact
 * mean and sd, unless already done since the last add.
 * Return: 0 or -ENOMEM.
 */
int stats_prepare_exact(struct stats *s);

#endif /* HV_STATS_PRIVATE_H */
