/*
 * A trace file image built word by word, as xentrace writes one: windows
 * (a CPU-change header, then that pCPU's records), for tests of readers
 * that take a buffer. The image grows as needed; free(im.w) at the end.
 */
#ifndef HV_TEST_TRACE_IMAGE_H
#define HV_TEST_TRACE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace_image {
	uint32_t *w;
	size_t n, cap;
};

/* One word. */
void timg_put(struct trace_image *im, uint32_t w);

/* One record: @event with @n data words, with a timestamp @t if @tsc. */
void timg_rec(struct trace_image *im, bool tsc, uint32_t event, uint64_t t,
	      unsigned int n, const uint32_t *data);

/* Start a window for @cpu; timg_window_end() fills in its byte count. */
size_t timg_window_start(struct trace_image *im, uint32_t cpu);
void timg_window_end(struct trace_image *im, size_t start);

#endif /* HV_TEST_TRACE_IMAGE_H */
