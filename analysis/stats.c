/*
 * Latency statistics collector: exact, streaming and auto modes.
 *
 * Design: one struct stats holds either a growing array of samples (exact)
 * or a fixed array of log-linear bucket counters plus running moments
 * (streaming); n, min and max are kept exactly in both. AUTO starts exact
 * and, when a sample would exceed the cap, replays the stored samples into
 * freshly allocated buckets and frees the array, so nothing is lost and
 * memory stops growing. The bucket layout is in stats_private.h.
 *
 * Streaming error bound. Let q be the exact nearest-rank percentile of rank
 * r. Buckets partition the value axis in increasing order, so the r-th
 * smallest sample lies in the first bucket b whose cumulative count
 * reaches r, and we report R = min(high(b), max). Both high(b) >= q (q is
 * in b) and max >= q, so R >= q. If b has width 1, R = q. Otherwise b lies
 * in [2^e, 2^(e+1)) with e > k and has width w = 2^(e-k), so
 *   R - q <= high(b) - low(b) = w - 1 < 2^(e-k) = 2^-k * 2^e <= 2^-k * q,
 * i.e. 0 <= R - q < 2^-k * q. The test suite checks this on 10^6 samples
 * of several distributions against the exact collector.
 *
 * Running moments: gsl_rstat_add() keeps Welford's mean and M2 but also
 * updates a P^2 median estimator on every sample (33 ns per sample on
 * the benchmark host, against under 8 for the whole streaming add) and GSL
 * cannot combine two workspaces, which stats_merge() needs. So the
 * moments are kept here: samples are folded in by chunks (up to 512 from
 * stats_add_many(), 64 buffered by stats_add()) with the corrected
 * two-pass algorithm, and chunks are combined with the pairwise formula
 * of Chan, Golub & LeVeque (1979). Chunking also keeps Welford's division
 * per sample, a serial dependency, off the hot path. The mean itself is
 * an exact 128-bit integer sum divided by n at the end. The tests compare
 * the result with gsl_stats_mean/gsl_stats_sd and with gsl_rstat. Exact
 * mode uses gsl_stats_mean/gsl_stats_sd directly (stats_sort.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "analysis/stats_private.h"

#define EXACT_ALLOC_MIN 1024
#define MOMENT_CHUNK 512

struct stats *stats_create(const struct stats_config *cfg)
{
	struct stats_config c = cfg ? *cfg : (struct stats_config){0};
	struct stats *s;

	if (!c.sub_bits)
		c.sub_bits = STATS_SUB_BITS_DEFAULT;
	if (!c.exact_cap)
		c.exact_cap = STATS_EXACT_CAP_DEFAULT;
	if (c.sub_bits < STATS_SUB_BITS_MIN || c.sub_bits > STATS_SUB_BITS_MAX)
		return NULL;
	if (c.mode != STATS_AUTO && c.mode != STATS_EXACT &&
	    c.mode != STATS_STREAM)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->mode = c.mode;
	s->k = c.sub_bits;
	s->cap = c.exact_cap;
	s->min = UINT64_MAX;
	s->nr_buckets = stats_nr_buckets(s->k);
	if (c.mode == STATS_STREAM) {
		s->bucket = calloc(s->nr_buckets, sizeof(*s->bucket));
		if (!s->bucket) {
			free(s);
			return NULL;
		}
		s->streaming = true;
	}
	return s;
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	free(s->v);
	free(s->bucket);
	free(s);
}

/* @a - @b as a double, exact while |a - b| < 2^53. */
static double diff(uint64_t a, uint64_t b)
{
	return a >= b ? (double)(a - b) : -(double)(b - a);
}

/*
 * Combine moments @b into @a (Chan, Golub & LeVeque). Means are kept
 * relative to a shift (a sample of the data), so that delta below is a
 * difference of numbers of the size of the spread, not of 1e12 ns.
 */
static void moments_combine(struct stats_moments *a,
			    const struct stats_moments *b)
{
	double n, delta;

	if (!b->n)
		return;
	if (!a->n) {
		*a = *b;
		return;
	}
	n = (double)a->n + (double)b->n;
	delta = (b->mean + diff(b->shift, a->shift)) - a->mean;
	a->mean += delta * ((double)b->n / n);
	a->m2 += b->m2 + delta * delta * ((double)a->n * (double)b->n / n);
	a->n += b->n;
	a->sum += b->sum;
}

/*
 * Moments of @nr <= MOMENT_CHUNK values (still in cache): the exact sum,
 * then the corrected two-pass sum of squares around the chunk mean, which
 * cancels the rounding of that mean (Chan, Golub & LeVeque).
 */
static void moments_chunk(struct stats_moments *m, const uint64_t *v, size_t nr)
{
	struct stats_moments c = {.n = nr, .shift = m->n ? m->shift : v[0]};
	__int128 rel = 0; /* |sum - nr shift| < 2^73: no overflow */
	double corr = 0, ss = 0;

	for (size_t i = 0; i < nr; i++) {
		c.sum += v[i];
		rel += (__int128)v[i] - (__int128)c.shift;
	}
	c.mean = (double)rel / (double)nr;
	for (size_t i = 0; i < nr; i++) {
		double d = diff(v[i], c.shift) - c.mean;

		ss += d * d;
		corr += d;
	}
	c.m2 = ss - corr * corr / (double)nr;
	if (c.m2 < 0)
		c.m2 = 0;
	moments_combine(m, &c);
}

/* sum / n rounded once more than the exact quotient: q + r / n. */
static double exact_mean(const struct stats_moments *m)
{
	unsigned __int128 q = m->sum / m->n;

	return (double)q + (double)(uint64_t)(m->sum % m->n) / (double)m->n;
}

static inline void minmax(struct stats *s, uint64_t v)
{
	if (v < s->min)
		s->min = v;
	if (v > s->max)
		s->max = v;
}

/* Add @nr samples to the buckets and moments; never allocates. */
static void stream_add_many(struct stats *s, const uint64_t *v, size_t nr)
{
	const unsigned int k = s->k;
	uint64_t *bucket = s->bucket;

	while (nr) {
		size_t m = nr < MOMENT_CHUNK ? nr : MOMENT_CHUNK;

		for (size_t i = 0; i < m; i++) {
			bucket[stats_bucket_index(v[i], k)]++;
			minmax(s, v[i]);
		}
		moments_chunk(&s->mom, v, m);
		s->n += m;
		v += m;
		nr -= m;
	}
}

/* AUTO: replay the stored samples into new buckets, free the array. */
static int switch_to_stream(struct stats *s)
{
	uint64_t n = s->n, min = s->min, max = s->max;

	s->bucket = calloc(s->nr_buckets, sizeof(*s->bucket));
	if (!s->bucket)
		return -ENOMEM;
	s->streaming = true;
	s->n = 0;
	stream_add_many(s, s->v, s->nr);
	/* Replaying cannot change them; keep the originals regardless. */
	s->n = n;
	s->min = min;
	s->max = max;
	free(s->v);
	s->v = NULL;
	s->nr = s->alloc = 0;
	s->prepared = false;
	return 0;
}

/* Make room for @more samples in the exact array. */
static int exact_reserve(struct stats *s, size_t more)
{
	size_t want = s->nr + more, alloc = s->alloc;
	uint64_t *v;

	if (want <= alloc)
		return 0;
	if (alloc < EXACT_ALLOC_MIN)
		alloc = EXACT_ALLOC_MIN;
	while (alloc < want)
		alloc = alloc > SIZE_MAX / 2 / sizeof(*v) ? want : alloc * 2;
	if (s->mode == STATS_AUTO && alloc > s->cap)
		alloc = s->cap > want ? s->cap : want;
	if (alloc > SIZE_MAX / sizeof(*v))
		return -ENOMEM;
	v = realloc(s->v, alloc * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->v = v;
	s->alloc = alloc;
	return 0;
}

int stats_add_many(struct stats *s, const uint64_t *v, size_t nr)
{
	int ret;

	while (nr && !s->streaming) {
		size_t m = nr;

		if (s->mode == STATS_AUTO) {
			if (s->nr >= s->cap) {
				ret = switch_to_stream(s);
				if (ret)
					return ret;
				break;
			}
			if (m > s->cap - s->nr)
				m = (size_t)(s->cap - s->nr);
		}
		ret = exact_reserve(s, m);
		if (ret)
			return ret;
		memcpy(s->v + s->nr, v, m * sizeof(*v));
		for (size_t i = 0; i < m; i++)
			minmax(s, v[i]);
		s->nr += m;
		s->n += m;
		s->prepared = false;
		v += m;
		nr -= m;
	}
	if (nr)
		stream_add_many(s, v, nr);
	return 0;
}

int stats_add(struct stats *s, uint64_t v)
{
	if (!s->streaming) {
		/* Fast path: room in the array, and below the AUTO cap. */
		if (s->nr < s->alloc &&
		    (s->mode != STATS_AUTO || s->nr < s->cap)) {
			s->v[s->nr++] = v;
			s->n++;
			minmax(s, v);
			s->prepared = false;
			return 0;
		}
		return stats_add_many(s, &v, 1);
	}
	s->bucket[stats_bucket_index(v, s->k)]++;
	minmax(s, v);
	s->n++;
	s->pend[s->nr_pend++] = v;
	if (s->nr_pend == STATS_PEND) {
		moments_chunk(&s->mom, s->pend, STATS_PEND);
		s->nr_pend = 0;
	}
	return 0;
}

/* The moments of every sample, the pending ones included. */
static struct stats_moments moments_now(const struct stats *s)
{
	struct stats_moments m = s->mom;

	if (s->nr_pend)
		moments_chunk(&m, s->pend, s->nr_pend);
	return m;
}

int stats_merge(struct stats *dst, const struct stats *src)
{
	struct stats_moments src_mom;
	size_t lo, hi;
	int ret;

	if (dst == src)
		return -EINVAL;
	if (!src->n)
		return 0;
	if (!src->streaming)
		return stats_add_many(dst, src->v, src->nr);
	if (dst->mode == STATS_EXACT || src->k < dst->k)
		return -EINVAL;
	if (!dst->streaming) {
		ret = switch_to_stream(dst);
		if (ret)
			return ret;
	}
	/*
	 * With k_src >= k_dst each source bucket lies inside one destination
	 * bucket (both are aligned to their power-of-two widths), so the
	 * counts move without any loss.
	 */
	lo = stats_bucket_index(src->min, src->k);
	hi = stats_bucket_index(src->max, src->k);
	for (size_t i = lo; i <= hi; i++) {
		uint64_t low = stats_bucket_low(i, src->k);

		if (src->bucket[i])
			dst->bucket[stats_bucket_index(low, dst->k)] +=
			    src->bucket[i];
	}
	src_mom = moments_now(src);
	moments_combine(&dst->mom, &src_mom);
	dst->n += src->n;
	minmax(dst, src->min);
	minmax(dst, src->max);
	return 0;
}

uint64_t stats_count(const struct stats *s)
{
	return s->n;
}

bool stats_is_exact(const struct stats *s)
{
	return !s->streaming;
}

size_t stats_mem_bytes(const struct stats *s)
{
	size_t bytes = sizeof(*s);

	if (s->streaming)
		bytes += s->nr_buckets * sizeof(*s->bucket);
	else
		bytes += s->alloc * sizeof(*s->v);
	return bytes;
}

uint64_t stats_rank(uint64_t n, double p)
{
	double x, r;

	if (!n)
		return 0;
	if (!(p > 0))
		return 1;
	if (p >= 1)
		return n;
	/*
	 * ceil(p * n) with p read as a decimal: a product within a relative
	 * 2^-50 of an integer is that integer (the binary rounding of p and
	 * of the product are each below 2^-53 relative).
	 */
	x = p * (double)n;
	r = nearbyint(x);
	if (fabs(x - r) > ldexp(x, -50))
		r = ceil(x);
	if (r < 1)
		return 1;
	if (r >= (double)n)
		return n;
	return (uint64_t)r;
}

/*
 * Values of the non-decreasing ranks @rank[0..m) from the buckets, in one
 * pass from the bucket of min to the bucket of max.
 */
static void stream_ranks(const struct stats *s, const uint64_t *rank, size_t m,
			 uint64_t *out)
{
	size_t i = stats_bucket_index(s->min, s->k);
	size_t last = stats_bucket_index(s->max, s->k);
	uint64_t cum = s->bucket[i];
	size_t j = 0;

	while (j < m) {
		while (cum < rank[j] && i < last)
			cum += s->bucket[++i];
		out[j++] = stats_bucket_value(s, i);
	}
}

/* Nearest-rank values of @m non-decreasing ranks, exact or streaming. */
static int values_at_ranks(struct stats *s, const uint64_t *rank, size_t m,
			   uint64_t *out)
{
	int ret;

	if (s->streaming) {
		stream_ranks(s, rank, m, out);
		return 0;
	}
	ret = stats_prepare_exact(s);
	if (ret)
		return ret;
	for (size_t j = 0; j < m; j++)
		out[j] = s->v[rank[j] - 1];
	return 0;
}

int stats_percentile(struct stats *s, double p, uint64_t *out)
{
	uint64_t rank;

	if (isnan(p) || p < 0 || p > 1)
		return -EINVAL;
	if (!s->n)
		return -ENODATA;
	rank = stats_rank(s->n, p);
	return values_at_ranks(s, &rank, 1, out);
}

int stats_result(struct stats *s, struct stats_result *out)
{
	static const double ps[5] = {0.5, 0.9, 0.99, 0.999, 0.9999};
	uint64_t rank[5], val[5];
	int ret;

	memset(out, 0, sizeof(*out));
	out->exact = !s->streaming;
	if (s->streaming)
		out->rel_error = ldexp(1, -(int)s->k);
	if (!s->n)
		return 0;
	for (size_t j = 0; j < 5; j++)
		rank[j] = stats_rank(s->n, ps[j]);
	ret = values_at_ranks(s, rank, 5, val);
	if (ret)
		return ret;
	out->n = s->n;
	out->min = s->min;
	out->max = s->max;
	out->p50 = val[0];
	out->p90 = val[1];
	out->p99 = val[2];
	out->p999 = val[3];
	out->p9999 = val[4];
	if (s->streaming) {
		struct stats_moments m = moments_now(s);

		out->mean = exact_mean(&m);
		out->sd = m.n > 1 ? sqrt(m.m2 / (double)(m.n - 1)) : 0;
	} else {
		out->mean = s->exact_mean;
		out->sd = s->exact_sd;
	}
	return 0;
}

void stats_format_us(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%03llu", (unsigned long long)(ns / 1000),
		 (unsigned long long)(ns % 1000));
}
