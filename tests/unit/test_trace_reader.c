/*
 * Unit tests: the trace reader (validation, merge, Xen files) and the
 * decoder table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracing/trace_buf.h"
#include "tracing/trace_decode.h"
#include "tracing/trace_events.h"
#include "tracing/trace_file.h"
#include "tracing/trace_reader.h"

#define CC_HDR 0x2001f003u

struct fixture {
	char dir[32];
	char path[64];
};

/* A file image built word by word, as xentrace would have written it. */
struct image {
	unsigned char b[1024];
	size_t len;
};

static void put32(struct image *im, uint32_t w)
{
	assert_true(im->len + 4 <= sizeof(im->b));
	memcpy(im->b + im->len, &w, 4);
	im->len += 4;
}

static void put_window(struct image *im, uint32_t cpu, uint32_t bytes)
{
	put32(im, CC_HDR);
	put32(im, cpu);
	put32(im, bytes);
}

static void put_rec(struct image *im, uint32_t event, uint64_t tsc,
		    unsigned int n, const uint32_t *data)
{
	put32(im, TRC_CYCLE_FLAG | n << TRC_EXTRA_SHIFT | event);
	put32(im, (uint32_t)tsc);
	put32(im, (uint32_t)(tsc >> 32));
	for (unsigned int i = 0; i < n; i++)
		put32(im, data[i]);
}

static void image_save(const struct fixture *fx, const struct image *im)
{
	FILE *fp = fopen(fx->path, "wb");

	assert_non_null(fp);
	if (im->len)
		assert_int_equal(fwrite(im->b, 1, im->len, fp), im->len);
	assert_int_equal(fclose(fp), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	strcpy(fx->dir, "/tmp/hvlab-reader-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/t.trace", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	unlink(fx->path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static const struct {
	uint32_t id;
	unsigned int n;
	const char *name;
} all_events[] = {
#define X(name, id, n, fields) { id, n, #name },
	TRACE_EVENTS(X)
#undef X
};

#define NR_EVENTS (sizeof(all_events) / sizeof(all_events[0]))

static void test_round_trip_every_event(void **state)
{
	const struct fixture *fx = *state;
	struct trace_file *f;
	struct trace_buf *tb;
	struct trace_reader *r;
	struct trace_rec rec;
	uint32_t data[7];
	unsigned int nr = 0, i;
	char err[256];

	assert_int_equal(trace_file_create(fx->path, &f), 0);
	/* Small buffers: the records span several windows per cpu. */
	tb = trace_buf_create(2, 128, trace_file_write_window, f);
	assert_non_null(tb);
	for (i = 0; i < NR_EVENTS + 16; i++) {
		uint32_t id = i < NR_EVENTS ?
				      all_events[i].id :
				      TRC_RUNSTATE_ID((i - NR_EVENTS) / 4,
						      (i - NR_EVENTS) % 4);
		unsigned int n = i < NR_EVENTS ? all_events[i].n : 1;

		for (unsigned int k = 0; k < 7; k++)
			data[k] = id ^ (k << 24);
		trace_buf_write(tb, i % 2, 1000 + 10 * i, id, n, data);
	}
	trace_buf_flush_all(tb);
	trace_buf_destroy(tb);
	assert_int_equal(trace_file_close(f), 0);

	assert_int_equal(trace_reader_open(fx->path, &r, err, sizeof(err)), 0);
	for (i = 0; i < NR_EVENTS + 16; i++) {
		uint32_t id = i < NR_EVENTS ?
				      all_events[i].id :
				      TRC_RUNSTATE_ID((i - NR_EVENTS) / 4,
						      (i - NR_EVENTS) % 4);
		unsigned int n = i < NR_EVENTS ? all_events[i].n : 1;
		const struct trace_event_desc *d = trace_event_find(id);

		assert_non_null(d);
		assert_int_equal(d->nr_words, n);
		if (i < NR_EVENTS)
			assert_string_equal(d->name, all_events[i].name);
		if (id == TRC_WRAP_BUFFER)
			continue; /* a filler: the reader skips it */
		assert_int_equal(trace_reader_next(r, &rec), 1);
		nr++;
		assert_int_equal(rec.event, id);
		assert_int_equal(rec.n, n);
		assert_int_equal(rec.cpu, i % 2);
		assert_true(rec.has_tsc);
		assert_int_equal(rec.tsc, 1000 + 10 * i);
		for (unsigned int k = 0; k < 7; k++)
			assert_int_equal(rec.data[k],
					 k < n ? id ^ (k << 24) : 0);
	}
	assert_int_equal(trace_reader_next(r, &rec), 0);
	assert_int_equal(trace_reader_next(r, &rec), 0);
	assert_int_equal(nr, NR_EVENTS + 16 - 1);
	assert_string_equal(trace_reader_error(r), "");
	trace_reader_close(r);
}

static void test_merge_order_interleaved_windows(void **state)
{
	/* (cpu, tsc) in write order; data[0] is the index. */
	static const struct {
		unsigned int cpu;
		uint64_t tsc;
	} w[] = {
		{ 0, 10 }, { 0, 20 }, { 0, 30 }, { 0, 40 }, { 0, 50 },
		{ 1, 5 },  { 1, 20 }, { 1, 25 }, { 1, 60 }, { 2, 20 },
		{ 2, 20 }, { 2, 21 }, { 0, 50 }, { 0, 70 },
	};
	/* Expected order: by tsc, then cpu, then file order. */
	static const unsigned int want[] = { 5, 0, 1, 6, 9, 10, 11, 7,
					     2, 3, 4, 12, 8, 13 };
	const struct fixture *fx = *state;
	struct trace_file *f;
	struct trace_buf *tb;
	struct trace_reader *r;
	struct trace_rec rec;
	char err[256];

	assert_int_equal(trace_file_create(fx->path, &f), 0);
	/* 40 bytes: two 16-byte records per window, so windows interleave. */
	tb = trace_buf_create(3, 40, trace_file_write_window, f);
	assert_non_null(tb);
	for (uint32_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		trace_buf_write(tb, w[i].cpu, w[i].tsc, TRC_CONTINUE_RUNNING, 1,
				&i);
	trace_buf_flush_all(tb);
	trace_buf_destroy(tb);
	assert_int_equal(trace_file_close(f), 0);

	assert_int_equal(trace_reader_open(fx->path, &r, err, sizeof(err)), 0);
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(trace_reader_next(r, &rec), 1);
		assert_int_equal(rec.data[0], want[i]);
		assert_int_equal(rec.cpu, w[want[i]].cpu);
		assert_int_equal(rec.tsc, w[want[i]].tsc);
	}
	assert_int_equal(trace_reader_next(r, &rec), 0);
	trace_reader_close(r);
}

/*
 * A file as xentrace writes it: windows of two cpus, a LOST_RECORDS note,
 * records without timestamp, wrap fillers, an empty window.
 */
static void build_xen_image(struct image *im)
{
	const uint32_t lost[4] = { 5, 0x00000001u, 0x90, 0 };
	const uint32_t sw[4] = { 1, 0, 32767, 0 };

	/* Window 0, cpu 1, 96 bytes from offset 12. */
	put_window(im, 1, 96);
	put_rec(im, TRC_LOST_RECORDS, 0x100, 4, lost); /* @12, 28 B */
	put_rec(im, TRC_SWITCH, 0x1ffffffffull, 4, sw); /* @40, 28 B */
	put32(im, 1u << TRC_EXTRA_SHIFT | TRC_RUNSTATE_ID(0, 2)); /* @68 */
	put32(im, 0x00010000u); /* no timestamp: inherits 0x1ffffffff */
	/* Wrap filler padding 24 bytes with a timestamp + 3 words, @76. */
	put32(im, TRC_CYCLE_FLAG | 3u << TRC_EXTRA_SHIFT | TRC_WRAP_BUFFER);
	for (int i = 0; i < 5; i++)
		put32(im, 0xdeadbeef);
	/* Filler without timestamp, 8 bytes @100. */
	put32(im, 1u << TRC_EXTRA_SHIFT | TRC_WRAP_BUFFER);
	put32(im, 0xdeadbeef);
	assert_int_equal(im->len, 108);
	/* Window 1, cpu 0: a record without timestamp first (tsc 0). */
	put_window(im, 0, 16);
	put32(im, 0u << TRC_EXTRA_SHIFT | TRC_NULL_TASKLET); /* @120 */
	put_rec(im, TRC_NULL_TASKLET, 0x100, 0, NULL);	     /* @124 */
	/* An empty window is legal. */
	put_window(im, 2, 0);
}

static void test_xen_file_by_hand(void **state)
{
	const struct fixture *fx = *state;
	struct trace_reader *r;
	struct trace_rec rec;
	struct image im = { .len = 0 };
	char err[256];

	build_xen_image(&im);
	image_save(fx, &im);

	assert_int_equal(trace_reader_open(fx->path, &r, err, sizeof(err)), 0);
	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(rec.cpu, 0);
	assert_int_equal(rec.event, TRC_NULL_TASKLET);
	assert_false(rec.has_tsc);
	assert_int_equal(rec.tsc, 0);
	assert_int_equal(rec.offset, 120);

	/* tsc 0x100 on cpu 0 and cpu 1: the lower cpu goes first. */
	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(rec.cpu, 0);
	assert_true(rec.has_tsc);
	assert_int_equal(rec.tsc, 0x100);
	assert_int_equal(rec.offset, 124);

	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(rec.cpu, 1);
	assert_int_equal(rec.event, TRC_LOST_RECORDS);
	assert_int_equal(rec.n, 4);
	assert_int_equal(rec.data[0], 5);
	assert_int_equal(rec.data[2], 0x90);
	assert_int_equal(rec.offset, 12);

	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(rec.event, TRC_SWITCH);
	assert_int_equal(rec.tsc, 0x1ffffffffull);
	assert_int_equal(rec.data[2], 32767);
	assert_int_equal(rec.offset, 40);

	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_int_equal(rec.event, TRC_RUNSTATE_ID(0, 2));
	assert_false(rec.has_tsc);
	assert_int_equal(rec.tsc, 0x1ffffffffull);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.data[0], 0x00010000u);
	assert_int_equal(rec.offset, 68);

	/* Both fillers skipped, the empty window contributes nothing. */
	assert_int_equal(trace_reader_next(r, &rec), 0);
	trace_reader_close(r);
}

/*
 * The same image from memory: same records; rewind starts again; the info
 * counts windows (the empty one too), records and fillers.
 */
static void test_buffer_rewind_info(void **state)
{
	struct image im = { .len = 0 };
	struct trace_reader_info info;
	struct trace_reader *r;
	struct trace_rec first, rec;
	char err[256];
	int n = 0;

	(void)state;
	build_xen_image(&im);
	assert_int_equal(trace_reader_open_buffer(im.b, im.len, "mem", &r, err,
						  sizeof(err)),
			 0);
	trace_reader_get_info(r, &info);
	assert_int_equal(info.bytes, im.len);
	assert_int_equal(info.windows, 3);
	assert_int_equal(info.records, 7);
	assert_int_equal(info.fillers, 2);
	assert_int_equal(info.nr_cpus, 2);
	assert_int_equal(trace_reader_next(r, &first), 1);
	assert_int_equal(first.offset, 120);
	while (trace_reader_next(r, &rec) == 1)
		n++;
	assert_int_equal(n, 4);
	trace_reader_rewind(r);
	assert_int_equal(trace_reader_next(r, &rec), 1);
	assert_memory_equal(&rec, &first, sizeof(rec));
	trace_reader_close(r);

	/* Errors name the buffer; an empty or NULL buffer is an empty file. */
	im.len = 20;
	assert_int_equal(trace_reader_open_buffer(im.b, im.len, "mem", &r, err,
						  sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "mem: offset 0: window of 96 bytes runs past "
				 "the end of the file, expected at most 8");
	assert_int_equal(
		trace_reader_open_buffer(NULL, 5, NULL, &r, err, sizeof(err)),
		-EINVAL);
	assert_string_equal(err, "buffer: offset 0: empty file, expected a "
				 "CPU-change record");
}

/*
 * Every truncation and many single-byte corruptions of a valid file either
 * open and read to the end or fail with -EINVAL: never a crash (the ASan
 * build checks the reads), never more records than the file can hold.
 */
static void test_mutated_files_never_crash(void **state)
{
	static const unsigned char values[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	const struct fixture *fx = *state;
	struct image good = { .len = 0 }, im;
	unsigned int opened = 0, rejected = 0;

	build_xen_image(&good);
	for (size_t pos = 0; pos <= good.len; pos++) {
		for (size_t v = 0; v <= sizeof(values); v++) {
			struct trace_reader *r = NULL;
			struct trace_rec rec;
			size_t nr = 0;
			int ret;

			im = good;
			if (v == sizeof(values))
				im.len = pos; /* truncated at pos */
			else if (pos < good.len)
				im.b[pos] = values[v];
			else
				continue;
			image_save(fx, &im);
			ret = trace_reader_open(fx->path, &r, NULL, 0);
			if (ret) {
				assert_int_equal(ret, -EINVAL);
				assert_null(r);
				rejected++;
				continue;
			}
			while ((ret = trace_reader_next(r, &rec)) == 1) {
				assert_true(rec.offset + 4 <= im.len);
				assert_true(rec.cpu < TRACE_READER_MAX_CPUS);
				nr++;
			}
			assert_int_equal(ret, 0);
			assert_true(nr <= im.len / 4);
			trace_reader_close(r);
			opened++;
		}
	}
	/* Both outcomes happen: the test exercises both paths. */
	assert_true(opened > 100);
	assert_true(rejected > 100);
}

/* Opens a file expected to be rejected; checks errno and message. */
static void expect_error(const struct fixture *fx, const struct image *im,
			 int want_ret, const char *want_msg)
{
	struct trace_reader *r = NULL;
	char err[256], want[256];

	image_save(fx, im);
	assert_int_equal(trace_reader_open(fx->path, &r, err, sizeof(err)),
			 want_ret);
	assert_null(r);
	snprintf(want, sizeof(want), "%s: %s", fx->path, want_msg);
	assert_string_equal(err, want);
}

static void test_error_empty_file(void **state)
{
	struct image im = { .len = 0 };

	expect_error(*state, &im, -EINVAL,
		     "offset 0: empty file, expected a CPU-change record");
}

static void test_error_truncated_header(void **state)
{
	struct image im = { .len = 0 };

	put_window(&im, 0, 12);
	put_rec(&im, TRC_NULL_TASKLET, 1, 0, NULL);
	put32(&im, CC_HDR);
	put32(&im, 1);
	expect_error(*state, &im, -EINVAL,
		     "offset 24: truncated CPU-change record (8 bytes), "
		     "expected 12 bytes");
}

static void test_error_window_past_eof(void **state)
{
	struct image im = { .len = 0 };

	put_window(&im, 0, 12);
	put_rec(&im, TRC_NULL_TASKLET, 1, 0, NULL);
	put_window(&im, 1, 100);
	put_rec(&im, TRC_NULL_TASKLET, 2, 0, NULL);
	expect_error(*state, &im, -EINVAL,
		     "offset 24: window of 100 bytes runs past the end of the "
		     "file, expected at most 12");
}

static void test_error_record_crosses_window(void **state)
{
	const uint32_t d[4] = { 0 };
	struct image im = { .len = 0 };

	/* The window ends at 48; the second record would end at 52. */
	put_window(&im, 3, 36);
	put_rec(&im, TRC_NULL_TASKLET, 1, 0, NULL);
	put_rec(&im, TRC_SWITCH, 2, 4, d);
	expect_error(*state, &im, -EINVAL,
		     "offset 24: record 0xc002800a of 28 bytes crosses the "
		     "end of its window, expected it to end by offset 48");
}

static void test_error_stray_bytes(void **state)
{
	struct image im = { .len = 0 };

	put_window(&im, 0, 14);
	put_rec(&im, TRC_NULL_TASKLET, 1, 0, NULL);
	im.b[im.len++] = 0;
	im.b[im.len++] = 0;
	expect_error(*state, &im, -EINVAL,
		     "offset 24: 2 stray bytes at the end of the window, "
		     "expected a 4-byte record header");
}

static void test_error_bad_extra_count(void **state)
{
	struct image im = { .len = 0 };

	put_window(&im, 0, 12);
	put_rec(&im, TRC_NULL_TASKLET, 1, 0, NULL);
	put32(&im, 3u << TRC_EXTRA_SHIFT | TRC_CPU_CHANGE);
	put32(&im, 0);
	put32(&im, 0);
	put32(&im, 0);
	expect_error(*state, &im, -EINVAL,
		     "offset 24: CPU-change record with 3 extra words, "
		     "expected 2");
}

static void test_error_not_a_window(void **state)
{
	struct image im = { .len = 0 };

	put_rec(&im, TRC_NULL_TASKLET, 1, 0, NULL);
	expect_error(*state, &im, -EINVAL,
		     "offset 0: record 0x80022a06, expected a CPU-change "
		     "record (0x2001f003) starting a window");
}

static void test_error_cpu_out_of_range(void **state)
{
	struct image im = { .len = 0 };

	put_window(&im, 4096, 0);
	expect_error(*state, &im, -EINVAL,
		     "offset 0: CPU-change record for cpu 4096, expected "
		     "0..4095");
	im.len = 0;
	put_window(&im, 4095, 0);
	put_window(&im, UINT32_MAX, 0);
	expect_error(*state, &im, -EINVAL,
		     "offset 12: CPU-change record for cpu -1, expected "
		     "0..4095");
}

static void test_error_missing_file(void **state)
{
	struct trace_reader *r = NULL;
	char err[256];

	(void)state;
	assert_int_equal(trace_reader_open("/nonexistent-dir/t.trace", &r, err,
					   sizeof(err)),
			 -ENOENT);
	assert_null(r);
	assert_string_equal(err, "/nonexistent-dir/t.trace: No such file or "
				 "directory");
}

static void test_decode_table(void **state)
{
	const struct trace_event_desc *d;

	(void)state;
	assert_int_equal(trace_event_count(), NR_EVENTS + 16);
	assert_null(trace_event_at(NR_EVENTS + 16));
	d = trace_event_find(TRC_HVLAB_TASK_COMPLETE);
	assert_non_null(d);
	assert_string_equal(d->name, "HVLAB_TASK_COMPLETE");
	assert_int_equal(d->nr_words, 5);
	assert_string_equal(d->fields, "dt,job,resp_lo,resp_hi,missed");
	assert_int_equal(d->runstate_old, -1);
	/* Header bits are ignored. */
	assert_ptr_equal(trace_event_find(0xd0028011u),
			 trace_event_find(TRC_SWITCH_INFCONT));

	d = trace_event_find(0x00021211u); /* blocked -> runnable */
	assert_non_null(d);
	assert_string_equal(d->name, "RUNSTATE_CHANGE");
	assert_int_equal(d->runstate_old, TRACE_RUNSTATE_BLOCKED);
	assert_int_equal(d->runstate_new, TRACE_RUNSTATE_RUNNABLE);
	assert_int_equal(d->nr_words, 1);
	d = trace_event_find(TRC_RUNSTATE_ID(3, 0));
	assert_int_equal(d->runstate_old, 3);
	assert_int_equal(d->runstate_new, 0);
	assert_string_equal(trace_runstate_name(d->runstate_old), "offline");
	assert_string_equal(trace_runstate_name(0), "running");
	assert_null(trace_runstate_name(4));

	/* Not ours: a state 4, a credit2 ID, CONTINUE_RUNNING's neighbour. */
	assert_null(trace_event_find(TRC_RUNSTATE_ID(4, 0)));
	assert_null(trace_event_find(0x00022212u));
	assert_null(trace_event_find(0x00021003u));
	assert_string_equal(trace_event_find(0x00021002u)->name,
			    "CONTINUE_RUNNING");
}

/*
 * docs/trace-format.md carries the generated table between markers; it
 * must match the table (run from the top of the tree, as `make test`
 * does; skipped elsewhere).
 */
static void test_doc_table_matches(void **state)
{
	static const char begin[] =
		"<!-- BEGIN GENERATED: trace_events_print_markdown -->\n";
	static const char end[] =
		"<!-- END GENERATED: trace_events_print_markdown -->";
	FILE *fp = fopen("docs/trace-format.md", "r");
	char *doc, *table = NULL, *from, *to;
	size_t len = 0;
	FILE *out;
	long size;

	(void)state;
	if (!fp)
		skip();
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	rewind(fp);
	doc = calloc(1, (size_t)size + 1);
	assert_non_null(doc);
	assert_int_equal(fread(doc, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	out = open_memstream(&table, &len);
	assert_non_null(out);
	trace_events_print_markdown(out);
	assert_int_equal(fclose(out), 0);

	from = strstr(doc, begin);
	to = strstr(doc, end);
	assert_non_null(from);
	assert_non_null(to);
	from += strlen(begin);
	assert_true(to >= from);
	*to = '\0';
	assert_string_equal(from, table);
	free(table);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip_every_event,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_merge_order_interleaved_windows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xen_file_by_hand, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mutated_files_never_crash,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_empty_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_error_truncated_header,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_window_past_eof,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_error_record_crosses_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_stray_bytes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_error_bad_extra_count,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_not_a_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_error_cpu_out_of_range,
						setup, teardown),
		cmocka_unit_test(test_error_missing_file),
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_doc_table_matches),
		cmocka_unit_test(test_buffer_rewind_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
