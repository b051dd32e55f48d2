/* Trace file images for tests (tests/support/trace_image.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "tests/support/trace_image.h"
#include "tracing/trace_events.h"

void timg_put(struct trace_image *im, uint32_t w)
{
	if (im->n == im->cap) {
		im->cap = im->cap ? 2 * im->cap : 256;
		im->w = realloc(im->w, im->cap * sizeof(*im->w));
		assert_non_null(im->w);
	}
	im->w[im->n++] = w;
}

void timg_rec(struct trace_image *im, bool tsc, uint32_t event, uint64_t t,
	      unsigned int n, const uint32_t *data)
{
	timg_put(im, (tsc ? TRC_CYCLE_FLAG : 0) | n << TRC_EXTRA_SHIFT | event);
	if (tsc) {
		timg_put(im, (uint32_t)t);
		timg_put(im, (uint32_t)(t >> 32));
	}
	for (unsigned int i = 0; i < n; i++)
		timg_put(im, data[i]);
}

size_t timg_window_start(struct trace_image *im, uint32_t cpu)
{
	timg_put(im, (uint32_t)TRC_CPU_CHANGE_WORDS << TRC_EXTRA_SHIFT |
			 TRC_CPU_CHANGE);
	timg_put(im, cpu);
	timg_put(im, 0);
	return im->n;
}

void timg_window_end(struct trace_image *im, size_t start)
{
	im->w[start - 1] = (uint32_t)((im->n - start) * 4);
}
