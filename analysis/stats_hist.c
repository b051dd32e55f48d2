/*
 * Plot helpers: fixed-width histograms (gsl_histogram) and empirical CDF
 * points, from the exact samples or from the streaming buckets.
 *
 * GSL bins are half-open [range[i], range[i+1]); samples are integers, so
 * the inclusive ns range [lo, hi] is binned as [lo, hi + 1). GSL keeps
 * counts as doubles, exact up to 2^53 samples per bin, then copied out as
 * uint64_t. A value that double rounding puts just outside GSL's range
 * (only possible above 2^53 ns, and only at the top) goes to the last bin;
 * gsl_histogram_accumulate() reports that case with GSL_EDOM and does not
 * call the GSL error handler.
 */
#include <errno.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>

#include "analysis/stats_private.h"

/*
 * Add @count samples of value @v, known to be inside [lo, hi]. Rounding is
 * monotone, so a miss can only be at the top: (double)v == (double)hi + 1.
 */
static void bin_add(gsl_histogram *h, uint64_t v, uint64_t count)
{
	if (gsl_histogram_accumulate(h, (double)v, (double)count) == GSL_EDOM)
		h->bin[h->n - 1] += (double)count;
}

static void bin_value(gsl_histogram *h, struct stats_histogram *out, uint64_t v,
		      uint64_t count)
{
	if (v < out->lo)
		out->below += count;
	else if (v > out->hi)
		out->above += count;
	else
		bin_add(h, v, count);
}

void stats_histogram_free(struct stats_histogram *h)
{
	if (!h)
		return;
	free(h->edge);
	free(h->count);
	free(h);
}

int stats_histogram(struct stats *s, size_t nbins, uint64_t lo, uint64_t hi,
		    struct stats_histogram **out)
{
	struct stats_histogram *res;
	gsl_histogram *h;

	if (!nbins || lo > hi || nbins > SIZE_MAX / sizeof(double) - 1)
		return -EINVAL;
	if (!lo && !hi) {
		if (!s->n)
			return -ENODATA;
		lo = s->min;
		hi = s->max;
	}
	res = calloc(1, sizeof(*res));
	h = gsl_histogram_alloc(nbins);
	if (!res || !h)
		goto nomem;
	res->nbins = nbins;
	res->lo = lo;
	res->hi = hi;
	res->edge = malloc((nbins + 1) * sizeof(*res->edge));
	res->count = malloc(nbins * sizeof(*res->count));
	if (!res->edge || !res->count)
		goto nomem;
	gsl_histogram_set_ranges_uniform(h, (double)lo, (double)hi + 1.0);

	if (s->streaming) {
		size_t first = stats_bucket_index(s->min, s->k);
		size_t last = stats_bucket_index(s->max, s->k);

		for (size_t i = first; s->n && i <= last; i++)
			if (s->bucket[i])
				bin_value(h, res, stats_bucket_value(s, i),
					  s->bucket[i]);
	} else {
		for (size_t i = 0; i < s->nr; i++)
			bin_value(h, res, s->v[i], 1);
	}
	for (size_t i = 0; i <= nbins; i++)
		res->edge[i] = h->range[i];
	for (size_t i = 0; i < nbins; i++)
		res->count[i] = (uint64_t)gsl_histogram_get(h, i);
	gsl_histogram_free(h);
	*out = res;
	return 0;
nomem:
	if (h)
		gsl_histogram_free(h);
	stats_histogram_free(res);
	return -ENOMEM;
}

static void cdf_point(struct stats_cdf_point *pt, uint64_t value,
		      uint64_t count_le, uint64_t n)
{
	pt->value = value;
	pt->count_le = count_le;
	pt->frac = (double)count_le / (double)n;
	pt->ccdf = (double)(n - count_le) / (double)n;
}

int stats_cdf(struct stats *s, struct stats_cdf_point **out, size_t *nr)
{
	struct stats_cdf_point *pt;
	size_t m = 0;
	int ret;

	if (!s->n)
		return -ENODATA;
	if (s->streaming) {
		size_t first = stats_bucket_index(s->min, s->k);
		size_t last = stats_bucket_index(s->max, s->k);
		uint64_t cum = 0;

		pt = malloc((last - first + 1) * sizeof(*pt));
		if (!pt)
			return -ENOMEM;
		for (size_t i = first; i <= last; i++) {
			if (!s->bucket[i])
				continue;
			cum += s->bucket[i];
			cdf_point(&pt[m++], stats_bucket_value(s, i), cum,
				  s->n);
		}
	} else {
		ret = stats_prepare_exact(s);
		if (ret)
			return ret;
		pt = malloc(s->nr * sizeof(*pt));
		if (!pt)
			return -ENOMEM;
		for (size_t i = 0; i < s->nr; i++)
			if (i + 1 == s->nr || s->v[i + 1] != s->v[i])
				cdf_point(&pt[m++], s->v[i], i + 1, s->n);
	}
	if (m) {
		struct stats_cdf_point *shrunk = realloc(pt, m * sizeof(*pt));

		if (shrunk)
			pt = shrunk;
	}
	*out = pt;
	*nr = m;
	return 0;
}
