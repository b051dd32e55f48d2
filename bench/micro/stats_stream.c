/*
 * Latency statistics throughput and memory: 10^8 samples into the
 * streaming collector, 10^7 into the exact one for comparison.
 *
 * Samples are latency-like and cheap to make: xorshift64* gives a body of
 * 1.5-2.5 us plus, one sample in 1,024, a spike of up to 1 ms. The time
 * to generate them is measured on its own and printed, so the collector's
 * share can be read off. Memory is reported three ways: the collector's
 * own size (stats_mem_bytes), and the process's peak RSS (getrusage
 * ru_maxrss) before and after; the streaming run must leave both flat.
 *
 * Figures only: no assertion on time, which depends on the host.
 *
 * usage: stats_stream [--quick]   (--quick: 10^6 and 10^5 samples)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <gsl/gsl_rstat.h>

#include "analysis/stats.h"

#define BATCH 4096

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static inline uint64_t latency_ns(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	x *= 0x2545f4914f6cdd1dull;
	return 1500 + ((x >> 40) & 0x3ff) + ((x & 0x3ff) ? 0 : x >> 44);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void report(const char *what, uint64_t n, double s)
{
	printf("%-34s %11llu samples %8.3f s %7.2f ns/sample\n", what,
	       (unsigned long long)n, s, s * 1e9 / (double)n);
}

static void print_result(struct stats *s)
{
	struct stats_result r;

	if (stats_result(s, &r)) {
		fprintf(stderr, "stats_result: out of memory\n");
		exit(1);
	}
	printf("  n %llu min %llu mean %.1f sd %.1f p50 %llu p99 %llu "
	       "p99.99 %llu max %llu ns (%s)\n",
	       (unsigned long long)r.n, (unsigned long long)r.min, r.mean, r.sd,
	       (unsigned long long)r.p50, (unsigned long long)r.p99,
	       (unsigned long long)r.p9999, (unsigned long long)r.max,
	       r.exact ? "exact" : "streaming");
}

static struct stats *make(enum stats_mode mode)
{
	struct stats_config cfg = {.mode = mode};
	struct stats *s = stats_create(&cfg);

	if (!s) {
		fprintf(stderr, "stats_create failed\n");
		exit(1);
	}
	return s;
}

/* Best of REPS runs: host time is noisy, the work is the same. */
#define REPS 3

static void stream_one_by_one(uint64_t n, double *best, int verbose)
{
	struct stats *s = make(STATS_STREAM);
	size_t before = stats_mem_bytes(s);
	long rss0 = maxrss_kb();
	double t = now_s();

	for (uint64_t i = 0; i < n; i++)
		stats_add(s, latency_ns());
	t = now_s() - t;
	if (t < *best)
		*best = t;
	if (verbose) {
		printf("  collector %zu -> %zu bytes, peak RSS %ld -> %ld KB\n",
		       before, stats_mem_bytes(s), rss0, maxrss_kb());
		print_result(s);
	}
	stats_free(s);
}

static void stream_batched(uint64_t n, double *best)
{
	static uint64_t buf[BATCH];
	struct stats *s = make(STATS_STREAM);
	double t = now_s();

	for (uint64_t i = 0; i < n; i += BATCH) {
		size_t m = n - i < BATCH ? (size_t)(n - i) : BATCH;

		for (size_t j = 0; j < m; j++)
			buf[j] = latency_ns();
		stats_add_many(s, buf, m);
	}
	t = now_s() - t;
	if (t < *best)
		*best = t;
	stats_free(s);
}

int main(int argc, char **argv)
{
	const int quick = argc > 1 && !strcmp(argv[1], "--quick");
	const uint64_t n_stream = quick ? 1000000 : 100000000;
	const uint64_t n_exact = n_stream / 10;
	double gen = 1e30, one = 1e30, batch = 1e30, rstat = 1e30, t;
	double exact_add = 1e30, exact_res = 1e30;
	struct stats_result r;
	uint64_t sink = 0;
	long rss0;

	printf("streaming (k = %d), best of %d runs:\n", STATS_SUB_BITS_DEFAULT,
	       REPS);
	for (int rep = 0; rep < REPS; rep++) {
		t = now_s();
		for (uint64_t i = 0; i < n_stream; i++)
			sink += latency_ns();
		t = now_s() - t;
		gen = t < gen ? t : gen;
		stream_one_by_one(n_stream, &one, !rep);
		stream_batched(n_stream, &batch);
	}
	report("generate only", n_stream, gen);
	report("stream: stats_add", n_stream, one);
	report("stream: stats_add_many(4096)", n_stream, batch);

	/* What gsl_rstat_add() alone costs (see stats.c for why not used). */
	for (int rep = 0; rep < REPS; rep++) {
		gsl_rstat_workspace *rs = gsl_rstat_alloc();

		t = now_s();
		for (uint64_t i = 0; i < n_exact; i++)
			gsl_rstat_add((double)latency_ns(), rs);
		t = now_s() - t;
		rstat = t < rstat ? t : rstat;
		gsl_rstat_free(rs);
	}
	report("gsl_rstat_add (reference)", n_exact, rstat);

	/* Exact mode: store, then sort and compute at result time. */
	printf("exact, best of %d runs:\n", REPS);
	rss0 = maxrss_kb();
	for (int rep = 0; rep < REPS; rep++) {
		struct stats *s = make(STATS_EXACT);

		t = now_s();
		for (uint64_t i = 0; i < n_exact; i++)
			stats_add(s, latency_ns());
		t = now_s() - t;
		exact_add = t < exact_add ? t : exact_add;
		t = now_s();
		if (stats_result(s, &r)) {
			fprintf(stderr, "stats_result: out of memory\n");
			return 1;
		}
		t = now_s() - t;
		exact_res = t < exact_res ? t : exact_res;
		if (!rep) {
			print_result(s);
			printf(
			    "  collector %zu bytes, peak RSS %ld -> %ld KB\n",
			    stats_mem_bytes(s), rss0, maxrss_kb());
		}
		stats_free(s);
	}
	report("exact: stats_add", n_exact, exact_add);
	report("exact: stats_result (sort, moments)", n_exact, exact_res);
	printf("(checksum %llu)\n", (unsigned long long)sink);
	return 0;
}
