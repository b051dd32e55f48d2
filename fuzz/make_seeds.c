/*
 * make_seeds OUT_DIR [TRACE...]: write a small seed corpus for the trace
 * fuzzer into OUT_DIR.
 *
 * From each TRACE (a real `hvlab run` trace, megabytes long) it cuts
 * valid files of at most SEED_MAX bytes: the start of the file (header,
 * names, first records of each pCPU) and, for the first windows, a run of
 * records from the middle of the window under a fresh CPU-change header.
 * Without TRACEs or with them, it also writes a few seeds built here: a
 * Xen-style file (no header, records without timestamps, wrap fillers,
 * lost records), every event of the table once, and unknown events. So no
 * binary seed is kept in git; seeds follow the format as it changes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracing/trace_events.h"

#define SEED_MAX 4096
#define CC_HDR \
	((uint32_t)TRC_CPU_CHANGE_WORDS << TRC_EXTRA_SHIFT | TRC_CPU_CHANGE)
#define MIDDLE_SEEDS 8

struct seed {
	uint32_t w[SEED_MAX / 4];
	size_t n; /* words */
	size_t win; /* index of the current window's byte count */
};

/* Where seeds go and how many were written. */
struct corpus {
	const char *dir;
	unsigned int nr;
};

static int seed_write(struct corpus *c, const struct seed *s, const char *tag)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%03u", c->dir, tag, c->nr++);
	f = fopen(path, "wb");
	if (!f || fwrite(s->w, 4, s->n, f) != s->n || fclose(f)) {
		fprintf(stderr, "make_seeds: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int room(const struct seed *s, size_t words)
{
	return s->n + words <= sizeof(s->w) / 4;
}

static void window_open(struct seed *s, uint32_t cpu)
{
	s->w[s->n++] = CC_HDR;
	s->w[s->n++] = cpu;
	s->w[s->n++] = 0;
	s->win = s->n - 1;
}

/* Appends one record of @nr words to the current window. */
static void put_rec(struct seed *s, const uint32_t *words, size_t nr)
{
	memcpy(&s->w[s->n], words, nr * 4);
	s->w[s->win] += (uint32_t)(nr * 4);
	s->n += nr;
}

static size_t rec_words(uint32_t hdr)
{
	return 1 + (hdr & TRC_CYCLE_FLAG ? 2 : 0) +
	       ((hdr >> TRC_EXTRA_SHIFT) & TRC_EXTRA_MAX);
}

/*
 * Copies whole records of the window at @w[0..len) from word @from on,
 * into a new window of @s, while they fit. Return: records copied.
 */
static size_t copy_records(struct seed *s, uint32_t cpu, const uint32_t *w,
			   size_t len, size_t from)
{
	size_t i = from, copied = 0;

	if (!room(s, 3 + 1))
		return 0;
	window_open(s, cpu);
	while (i < len) {
		size_t n = rec_words(w[i]);

		if (i + n > len || !room(s, n))
			break;
		put_rec(s, &w[i], n);
		i += n;
		copied++;
	}
	return copied;
}

static int seeds_from_trace(struct corpus *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint32_t *w = NULL;
	size_t n = 0, cap = 0, got, i, nr_win = 0;
	struct seed head = {.n = 0};

	if (!f) {
		fprintf(stderr, "make_seeds: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (n == cap) {
			uint32_t *grown =
			    realloc(w, (cap ? 2 * cap : 65536) * 4);

			if (!grown) {
				free(w);
				fclose(f);
				fprintf(stderr, "make_seeds: out of memory\n");
				return -1;
			}
			w = grown;
			cap = cap ? 2 * cap : 65536;
		}
		got = fread(w + n, 4, cap - n, f);
		n += got;
	} while (got);
	fclose(f);

	/* Walk the windows; the reader validates, so stop at anything odd. */
	for (i = 0; i + 3 <= n && w[i] == CC_HDR; nr_win++) {
		size_t len = w[i + 2] / 4, start = i + 3;

		if (start + len > n)
			break;
		copy_records(&head, w[i + 1], w + start, len, 0);
		if (nr_win < MIDDLE_SEEDS && len > 0) {
			struct seed mid = {.n = 0};
			size_t k = 0;

			while (k < len / 2)
				k += rec_words(w[start + k]);
			if (k < len &&
			    copy_records(&mid, w[i + 1], w + start, len, k) &&
			    seed_write(c, &mid, "middle"))
				return -1;
		}
		i = start + len;
	}
	free(w);
	return head.n ? seed_write(c, &head, "head") : 0;
}

static void rec(struct seed *s, int tsc, uint64_t t, uint32_t event,
		unsigned int nr, const uint32_t *data)
{
	uint32_t r[10];
	size_t k = 0;

	r[k++] = (tsc ? TRC_CYCLE_FLAG : 0) | nr << TRC_EXTRA_SHIFT | event;
	if (tsc) {
		r[k++] = (uint32_t)t;
		r[k++] = (uint32_t)(t >> 32);
	}
	memcpy(&r[k], data, nr * 4);
	if (room(s, k + nr))
		put_rec(s, r, k + nr);
}

static int seeds_built_here(struct corpus *c)
{
	static const struct {
		uint32_t id;
		unsigned int n;
	} events[] = {
#define X(name, id, n, fields) {id, n},
	    TRACE_EVENTS(X)
#undef X
	};
	const uint32_t sw[4] = {32767, 1, 3, 1}, dv = trace_dv(3, 1);
	const uint32_t lost[4] = {5, dv, 0x100, 0}, junk[3] = {7, 7, 7};
	uint32_t data[7];
	struct seed s = {.n = 0};

	/* A Xen trace: TSC, no header, untimed records, filler, lost. */
	window_open(&s, 1);
	rec(&s, 1, 24000000000ull, TRC_SWITCH, 4, sw);
	rec(&s, 0, 0, TRC_RUNSTATE_ID(1, 0), 1, &dv);
	rec(&s, 1, 24000000000ull, TRC_WRAP_BUFFER, 3, junk);
	window_open(&s, 0);
	rec(&s, 1, 23999999000ull, TRC_LOST_RECORDS, 4, lost);
	rec(&s, 1, 24000009000ull, 0x00081234u, 2, junk); /* HVM: unknown */
	if (seed_write(c, &s, "xen"))
		return -1;

	/* Every event of the table with its words, on two pCPUs. */
	s.n = 0;
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		if (i % 8 == 0)
			window_open(&s, (uint32_t)(i / 8) % 2);
		for (unsigned int k = 0; k < 7; k++)
			data[k] = (uint32_t)(i << 16 | k);
		rec(&s, 1, 1000 * i, events[i].id, events[i].n, data);
	}
	return seed_write(c, &s, "events");
}

int main(int argc, char **argv)
{
	struct corpus c = {argv[1], 0};

	if (argc < 2) {
		fprintf(stderr, "usage: make_seeds OUT_DIR [TRACE...]\n");
		return 2;
	}
	if (seeds_built_here(&c))
		return 1;
	for (int i = 2; i < argc; i++)
		if (seeds_from_trace(&c, argv[i]))
			return 1;
	printf("make_seeds: %u seeds in %s\n", c.nr, c.dir);
	return 0;
}
