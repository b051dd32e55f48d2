/*
 * Trace reader.
 *
 * Design: the file is read whole into memory, then walked once to validate
 * it and index its windows:
 *
 *   file   [CC cpu1 len][rec rec rec][CC cpu0 len][rec rec][CC cpu1 ...
 *           ^ window 0 (cpu 1)        ^ window 1 (cpu 0)    ^ window 2
 *
 *   cpu 0: window 1 -> end           cpu 1: window 0 -> window 2 -> end
 *
 * Each pCPU's windows are chained in file order, which is that pCPU's
 * record order. A cursor per pCPU walks its chain; a binary heap keyed by
 * (timestamp of the cursor's next record, cpu) merges the streams, so ties
 * go to the lower cpu and, within a cpu, to file order. Because the first
 * pass checked every boundary, the merge cannot run off a window.
 *
 * Hostile files: nothing is allocated from a size read in the file without
 * checking it against the file itself. The window index grows with the
 * file (one entry per non-empty window, so per 16 bytes at worst) and
 * cursors are capped at TRACE_READER_MAX_CPUS.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tracing/trace_events.h"
#include "tracing/trace_reader.h"

#define CPU_CHANGE_BYTES 12
#define NO_WINDOW UINT32_MAX
#define MAX_WINDOWS (UINT32_MAX - 1)

struct trace_window {
	size_t start, end; /* records, after the CPU-change header */
	uint32_t next; /* next window of the same cpu */
};

struct cpu_cursor {
	uint32_t first; /* first window, for trace_reader_rewind() */
	uint32_t win; /* current window, NO_WINDOW when done */
	size_t off; /* next record in the file */
	uint64_t last_tsc; /* for records without a timestamp */
	struct trace_rec head; /* next record this cpu contributes */
};

struct trace_reader {
	char *path;
	unsigned char *buf;
	size_t size;
	struct trace_window *wins;
	size_t nr_wins, cap_wins;
	struct cpu_cursor *cpus;
	unsigned int nr_cpus;
	unsigned int *heap; /* cpus with a head record */
	unsigned int heap_len;
	struct trace_reader_info info;
	char err[256];
};

static void reader_fail(struct trace_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void reader_fail(struct trace_reader *r, const char *fmt, ...)
{
	int len = snprintf(r->err, sizeof(r->err), "%s: ", r->path);
	va_list ap;

	if (len < 0 || (size_t)len >= sizeof(r->err))
		return;
	va_start(ap, fmt);
	vsnprintf(r->err + len, sizeof(r->err) - (size_t)len, fmt, ap);
	va_end(ap);
}

static uint32_t get32(const struct trace_reader *r, size_t off)
{
	uint32_t w;

	memcpy(&w, r->buf + off, sizeof(w));
	return w;
}

static size_t rec_bytes(uint32_t hdr)
{
	return 4 + (hdr & TRC_CYCLE_FLAG ? 8 : 0) +
	       4 * ((hdr >> TRC_EXTRA_SHIFT) & TRC_EXTRA_MAX);
}

static int reader_load(struct trace_reader *r)
{
	const size_t max_cap = (size_t)TRACE_READER_MAX_BYTES + 1;
	FILE *fp = fopen(r->path, "rb");
	size_t cap = 64 * 1024;
	struct stat st;
	int ret = 0;

	if (!fp) {
		ret = -errno;
		reader_fail(r, "%s", strerror(errno));
		return ret;
	}
	/*
	 * The size is only a hint (a pipe has none, a growing file lies);
	 * one byte more than it lets the read see EOF without growing.
	 */
	if (!fstat(fileno(fp), &st) && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (uint64_t)st.st_size < TRACE_READER_MAX_BYTES
			  ? (size_t)st.st_size + 1
			  : max_cap;
	for (;;) {
		size_t got;

		errno = 0;
		if (r->size == cap || !r->buf) {
			unsigned char *grown;

			if (r->buf && cap == max_cap) {
				ret = -EFBIG;
				reader_fail(r,
					    "offset %zu: file too large, "
					    "expected at most %zu bytes",
					    r->size, max_cap - 1);
				break;
			}
			if (r->buf)
				cap = cap > max_cap / 2 ? max_cap : cap * 2;
			grown = realloc(r->buf, cap);
			if (!grown) {
				ret = -ENOMEM;
				reader_fail(r, "out of memory reading it");
				break;
			}
			r->buf = grown;
		}
		got = fread(r->buf + r->size, 1, cap - r->size, fp);
		r->size += got;
		if (ferror(fp)) {
			ret = errno ? -errno : -EIO;
			reader_fail(r, "offset %zu: read error (%s)", r->size,
				    strerror(-ret));
			break;
		}
		if (!got)
			break;
	}
	fclose(fp);
	return ret;
}

static int reader_add_window(struct trace_reader *r, size_t start, size_t end)
{
	if (r->nr_wins == r->cap_wins) {
		size_t cap = r->cap_wins ? r->cap_wins * 2 : 64;
		struct trace_window *grown;

		if (cap > MAX_WINDOWS)
			return -EFBIG;
		grown = realloc(r->wins, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		r->wins = grown;
		r->cap_wins = cap;
	}
	r->wins[r->nr_wins++] = (struct trace_window){start, end, NO_WINDOW};
	return 0;
}

/* Checks that [start, end) is a sequence of whole records. */
static int reader_check_window(struct trace_reader *r, size_t start, size_t end)
{
	size_t off = start;

	while (off < end) {
		uint32_t hdr;
		size_t len;

		if (end - off < 4) {
			reader_fail(r,
				    "offset %zu: %zu stray bytes at the end "
				    "of the window, expected a 4-byte "
				    "record header",
				    off, end - off);
			return -EINVAL;
		}
		hdr = get32(r, off);
		len = rec_bytes(hdr);
		r->info.records++;
		if ((hdr & TRC_EVENT_MASK) == TRC_WRAP_BUFFER)
			r->info.fillers++;
		if (len > end - off) {
			reader_fail(r,
				    "offset %zu: record 0x%08x of %zu "
				    "bytes crosses the end of its window, "
				    "expected it to end by offset %zu",
				    off, (unsigned int)hdr, len, end);
			return -EINVAL;
		}
		off += len;
	}
	return 0;
}

/*
 * First pass: validate every CPU-change header and record boundary, and
 * chain each cpu's windows. @first and @last have TRACE_READER_MAX_CPUS
 * entries, all NO_WINDOW on entry; they end up as each chain's ends.
 */
static int reader_index(struct trace_reader *r, uint32_t *first, uint32_t *last)
{
	const uint32_t cc_hdr =
	    (uint32_t)TRC_CPU_CHANGE_WORDS << TRC_EXTRA_SHIFT | TRC_CPU_CHANGE;
	size_t off = 0;
	int ret;

	if (!r->size) {
		reader_fail(r, "offset 0: empty file, expected a CPU-change "
			       "record");
		return -EINVAL;
	}
	while (off < r->size) {
		size_t left; /* bytes after this CPU-change record */
		uint32_t hdr, len;
		int32_t cpu;

		if (r->size - off < CPU_CHANGE_BYTES) {
			reader_fail(r,
				    "offset %zu: truncated CPU-change "
				    "record (%zu bytes), expected %d bytes",
				    off, r->size - off, CPU_CHANGE_BYTES);
			return -EINVAL;
		}
		left = r->size - off - CPU_CHANGE_BYTES;
		hdr = get32(r, off);
		cpu = (int32_t)get32(r, off + 4);
		len = get32(r, off + 8);
		if ((hdr & ~(7u << TRC_EXTRA_SHIFT)) != TRC_CPU_CHANGE) {
			reader_fail(r,
				    "offset %zu: record 0x%08x, expected a "
				    "CPU-change record (0x%08x) starting a "
				    "window",
				    off, (unsigned int)hdr,
				    (unsigned int)cc_hdr);
			return -EINVAL;
		}
		if (hdr != cc_hdr) {
			reader_fail(r,
				    "offset %zu: CPU-change record with %u "
				    "extra words, expected %d",
				    off, (unsigned int)(hdr >> TRC_EXTRA_SHIFT),
				    TRC_CPU_CHANGE_WORDS);
			return -EINVAL;
		}
		if (cpu < 0 || cpu >= TRACE_READER_MAX_CPUS) {
			reader_fail(r,
				    "offset %zu: CPU-change record for cpu "
				    "%d, expected 0..%d",
				    off, (int)cpu, TRACE_READER_MAX_CPUS - 1);
			return -EINVAL;
		}
		if (len > left) {
			reader_fail(r,
				    "offset %zu: window of %u bytes runs "
				    "past the end of the file, expected at "
				    "most %zu",
				    off, (unsigned int)len, left);
			return -EINVAL;
		}
		off += CPU_CHANGE_BYTES;
		r->info.windows++;
		/*
		 * Empty windows carry nothing; indexing them would let a file
		 * of bare headers cost more memory than its own size.
		 */
		if (!len)
			continue;
		ret = reader_check_window(r, off, off + len);
		if (!ret)
			ret = reader_add_window(r, off, off + len);
		if (ret) {
			if (ret != -EINVAL)
				reader_fail(r,
					    "offset %zu: cannot index "
					    "window (%s)",
					    off - CPU_CHANGE_BYTES,
					    strerror(-ret));
			return ret;
		}
		if ((unsigned int)cpu >= r->nr_cpus)
			r->nr_cpus = (unsigned int)cpu + 1;
		if (last[cpu] == NO_WINDOW)
			first[cpu] = (uint32_t)(r->nr_wins - 1);
		else
			r->wins[last[cpu]].next = (uint32_t)(r->nr_wins - 1);
		last[cpu] = (uint32_t)(r->nr_wins - 1);
		off += len;
	}
	return 0;
}

/* Loads @c->head with the cpu's next record; false when it has none. */
static bool cursor_advance(struct trace_reader *r, struct cpu_cursor *c,
			   unsigned int cpu)
{
	while (c->win != NO_WINDOW) {
		const struct trace_window *w = &r->wins[c->win];
		struct trace_rec *rec = &c->head;
		size_t p = c->off;
		uint32_t hdr;

		if (p >= w->end) {
			c->win = w->next;
			if (c->win != NO_WINDOW)
				c->off = r->wins[c->win].start;
			continue;
		}
		hdr = get32(r, p);
		c->off += rec_bytes(hdr);
		/* Fillers pad the ring's tail; their contents are garbage. */
		if ((hdr & TRC_EVENT_MASK) == TRC_WRAP_BUFFER)
			continue;

		memset(rec, 0, sizeof(*rec));
		rec->cpu = cpu;
		rec->event = hdr & TRC_EVENT_MASK;
		rec->n = (hdr >> TRC_EXTRA_SHIFT) & TRC_EXTRA_MAX;
		rec->offset = p;
		p += 4;
		rec->has_tsc = hdr & TRC_CYCLE_FLAG;
		if (rec->has_tsc) {
			c->last_tsc =
			    (uint64_t)get32(r, p + 4) << 32 | get32(r, p);
			p += 8;
		}
		rec->tsc = c->last_tsc;
		memcpy(rec->data, r->buf + p, rec->n * sizeof(uint32_t));
		return true;
	}
	return false;
}

static bool heap_less(const struct trace_reader *r, unsigned int a,
		      unsigned int b)
{
	uint64_t ta = r->cpus[a].head.tsc, tb = r->cpus[b].head.tsc;

	return ta < tb || (ta == tb && a < b);
}

static void heap_sift_down(struct trace_reader *r, unsigned int i)
{
	for (;;) {
		unsigned int l = 2 * i + 1, m = i, tmp;

		if (l < r->heap_len && heap_less(r, r->heap[l], r->heap[m]))
			m = l;
		if (l + 1 < r->heap_len &&
		    heap_less(r, r->heap[l + 1], r->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		tmp = r->heap[i];
		r->heap[i] = r->heap[m];
		r->heap[m] = tmp;
		i = m;
	}
}

/* Puts every cpu's cursor on its first record and builds the heap. */
static void reader_merge_reset(struct trace_reader *r)
{
	r->heap_len = 0;
	for (unsigned int cpu = 0; cpu < r->nr_cpus; cpu++) {
		struct cpu_cursor *c = &r->cpus[cpu];

		c->win = c->first;
		c->last_tsc = 0;
		if (c->win != NO_WINDOW)
			c->off = r->wins[c->win].start;
		if (cursor_advance(r, c, cpu))
			r->heap[r->heap_len++] = cpu;
	}
	for (unsigned int i = r->heap_len / 2; i-- > 0;)
		heap_sift_down(r, i);
}

static int reader_start_merge(struct trace_reader *r, const uint32_t *first)
{
	r->cpus = calloc(r->nr_cpus ? r->nr_cpus : 1, sizeof(*r->cpus));
	r->heap = calloc(r->nr_cpus ? r->nr_cpus : 1, sizeof(*r->heap));
	if (!r->cpus || !r->heap) {
		reader_fail(r, "out of memory");
		return -ENOMEM;
	}
	for (unsigned int cpu = 0; cpu < r->nr_cpus; cpu++)
		r->cpus[cpu].first = first[cpu];
	reader_merge_reset(r);
	return 0;
}

/*
 * Shared by both ways of opening: @r has its name set; @buf (NULL: read
 * the file called r->path) is copied.
 */
static int reader_open_common(struct trace_reader *r, const void *buf,
			      size_t len, struct trace_reader **out, char *err,
			      size_t errlen)
{
	uint32_t *first = NULL, *last = NULL;
	int ret;

	first = malloc(TRACE_READER_MAX_CPUS * sizeof(*first));
	last = malloc(TRACE_READER_MAX_CPUS * sizeof(*last));
	if (!r->path || !first || !last) {
		ret = -ENOMEM;
		snprintf(r->err, sizeof(r->err), "%s: out of memory",
			 r->path ? r->path : "trace");
		goto out;
	}
	/* All bits set is NO_WINDOW. */
	memset(first, 0xff, TRACE_READER_MAX_CPUS * sizeof(*first));
	memset(last, 0xff, TRACE_READER_MAX_CPUS * sizeof(*last));
	if (!buf) {
		ret = reader_load(r);
	} else if (len > TRACE_READER_MAX_BYTES) {
		ret = -EFBIG;
		reader_fail(r,
			    "offset %llu: buffer too large, expected at most "
			    "%llu bytes",
			    (unsigned long long)TRACE_READER_MAX_BYTES,
			    (unsigned long long)TRACE_READER_MAX_BYTES);
	} else {
		/* A private copy: the reader owns its image either way. */
		r->buf = malloc(len ? len : 1);
		ret = r->buf ? 0 : -ENOMEM;
		if (r->buf && len)
			memcpy(r->buf, buf, len);
		r->size = len;
		if (ret)
			reader_fail(r, "out of memory");
	}
	r->info.bytes = r->size;
	if (!ret)
		ret = reader_index(r, first, last);
	if (!ret)
		ret = reader_start_merge(r, first);
	r->info.nr_cpus = r->nr_cpus;
out:
	free(first);
	free(last);
	if (ret) {
		if (err && errlen)
			snprintf(err, errlen, "%s", r->err);
		trace_reader_close(r);
		return ret;
	}
	*out = r;
	return 0;
}

int trace_reader_open(const char *path, struct trace_reader **out, char *err,
		      size_t errlen)
{
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	r->path = strdup(path);
	return reader_open_common(r, NULL, 0, out, err, errlen);
}

int trace_reader_open_buffer(const void *buf, size_t len, const char *name,
			     struct trace_reader **out, char *err,
			     size_t errlen)
{
	static const unsigned char none[1];
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (!name)
		name = "buffer";
	if (!r) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", name);
		return -ENOMEM;
	}
	r->path = strdup(name);
	return reader_open_common(r, buf ? buf : none, buf ? len : 0, out, err,
				  errlen);
}

void trace_reader_rewind(struct trace_reader *r)
{
	r->err[0] = '\0';
	reader_merge_reset(r);
}

void trace_reader_get_info(const struct trace_reader *r,
			   struct trace_reader_info *info)
{
	*info = r->info;
}

int trace_reader_next(struct trace_reader *r, struct trace_rec *rec)
{
	unsigned int cpu;

	if (!r->heap_len)
		return 0;
	cpu = r->heap[0];
	*rec = r->cpus[cpu].head;
	if (!cursor_advance(r, &r->cpus[cpu], cpu))
		r->heap[0] = r->heap[--r->heap_len];
	heap_sift_down(r, 0);
	return 1;
}

const char *trace_reader_error(const struct trace_reader *r)
{
	return r->err;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	free(r->heap);
	free(r->cpus);
	free(r->wins);
	free(r->buf);
	free(r->path);
	free(r);
}
