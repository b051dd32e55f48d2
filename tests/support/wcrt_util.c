/* See wcrt_util.h. */
#include "wcrt_util.h"

uint64_t wt_rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

hv_time_t wt_rng_range(uint64_t *s, hv_time_t lo, hv_time_t hi)
{
	return lo + (hv_time_t)(wt_rng_next(s) % (uint64_t)(hi - lo + 1));
}

hv_time_t wt_lcm(hv_time_t a, hv_time_t b)
{
	hv_time_t x = a, y = b;

	while (y) {
		hv_time_t r = x % y;

		x = y;
		y = r;
	}
	return a / x * b;
}

hv_time_t wt_hyperperiod(const struct wcrt_task *t, size_t n)
{
	hv_time_t h = 1;

	for (size_t i = 0; i < n; i++)
		h = wt_lcm(h, t[i].period);
	return h;
}

/* Periods whose hyperperiod divides 120. */
static const hv_time_t periods[] = {4, 5, 6, 8, 10, 12, 15, 20, 24, 30, 40};

size_t wt_gen_set(uint64_t *s, struct wcrt_task *t, hv_time_t num,
		  hv_time_t den, hv_time_t c_extra, bool arbitrary,
		  enum wt_jitter jitter)
{
	size_t n = (size_t)wt_rng_range(s, 2, 5);

	for (;;) {
		double u = 0;

		for (size_t i = 0; i < n; i++) {
			hv_time_t p =
			    periods[wt_rng_next(s) %
				    (sizeof(periods) / sizeof(periods[0]))];
			hv_time_t c = wt_rng_range(s, 1, p / 2 + c_extra);
			hv_time_t d = wt_rng_range(s, c, arbitrary ? 2 * p : p);
			hv_time_t j = jitter == WT_JITTER_HALF_PERIOD
					  ? wt_rng_range(s, 0, p / 2)
				      : jitter == WT_JITTER_THIRD_DEADLINE
					  ? wt_rng_range(s, 0, d / 3)
					  : 0;

			t[i] = (struct wcrt_task){c, p, d, j, 0, 0};
			u += (double)c / (double)p;
		}
		if (u * (double)den <= (double)num)
			return n;
	}
}
