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
