/*
 * Unit tests: per-pCPU trace buffers, names, and the trace file writer.
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
#include "tracing/trace_events.h"
#include "tracing/trace_file.h"

#define MAX_FLUSHES 16
#define CAPTURE_WORDS 256

/* What the flush callback saw, call by call. */
struct capture {
	unsigned int nr;
	unsigned int cpu[MAX_FLUSHES];
	size_t len[MAX_FLUSHES];
	size_t at[MAX_FLUSHES]; /* word index of each window in words[] */
	uint32_t words[CAPTURE_WORDS];
	size_t used;
};

static void capture_flush(void *ctx, unsigned int cpu, const void *bytes,
			  size_t len)
{
	struct capture *c = ctx;

	assert_true(c->nr < MAX_FLUSHES);
	assert_int_equal(len % 4, 0);
	assert_true(c->used + len / 4 <= CAPTURE_WORDS);
	c->cpu[c->nr] = cpu;
	c->len[c->nr] = len;
	c->at[c->nr] = c->used;
	memcpy(&c->words[c->used], bytes, len);
	c->used += len / 4;
	c->nr++;
}

static void test_create_rejects_bad_args(void **state)
{
	struct capture c = { 0 };

	(void)state;
	assert_null(trace_buf_create(0, 4096, capture_flush, &c));
	assert_null(trace_buf_create(1, 4096, NULL, &c));
	assert_null(trace_buf_create(1, TRACE_REC_MAX_BYTES - 1, capture_flush,
				     &c));
	assert_null(trace_buf_create(1, (size_t)UINT32_MAX + 1, capture_flush,
				     &c));
}

static void test_record_encoding_bit_exact(void **state)
{
	const uint32_t data[7] = { 0x11111111, 0x22222222, 0x33333333,
				   0x44444444, 0x55555555, 0x66666666,
				   0x77777777 };
	struct capture c = { 0 };
	struct trace_buf *tb = trace_buf_create(1, 4096, capture_flush, &c);

	(void)state;
	assert_non_null(tb);
	trace_buf_write(tb, 0, 0x1122334455667788ull, TRC_HVLAB_GUEST_IRQ_ENTRY,
			4, data);
	/* Header bits in the event argument are not the caller's to set. */
	trace_buf_write(tb, 0, 5, 0xf0000000u | TRC_NULL_TASKLET, 0, NULL);
	trace_buf_write(tb, 0, 6, TRC_HVLAB_HEADER, 7, data);
	/* n > 7 is a caller bug: nothing is written or counted. */
	trace_buf_write(tb, 0, 7, TRC_HVLAB_HEADER, 8, data);
	trace_buf_write(tb, 1, 7, TRC_HVLAB_HEADER, 0, NULL);
	assert_int_equal(trace_buf_records(tb), 3);
	assert_int_equal(c.nr, 0);
	trace_buf_flush_all(tb);

	assert_int_equal(c.nr, 1);
	assert_int_equal(c.len[0], 28 + 12 + 40);
	assert_int_equal(c.words[0], 0xc1004001u);
	assert_int_equal(c.words[1], 0x55667788u);
	assert_int_equal(c.words[2], 0x11223344u);
	assert_memory_equal(&c.words[3], data, 16);
	assert_int_equal(c.words[7], 0x80022a06u);
	assert_int_equal(c.words[8], 5);
	assert_int_equal(c.words[9], 0);
	assert_int_equal(c.words[10], 0xf1001001u);
	assert_int_equal(c.words[11], 6);
	assert_memory_equal(&c.words[13], data, 28);

	/* Flushing again has nothing to flush. */
	trace_buf_flush_all(tb);
	assert_int_equal(c.nr, 1);
	trace_buf_destroy(tb);
}

static void test_flush_when_full_at_record_boundary(void **state)
{
	const uint32_t data[3] = { 0xaaaa0000u, 0xbbbb0000u, 0xcccc0000u };
	struct capture c = { 0 };
	/* 66 bytes round down to 64: three 20-byte records fit, not four. */
	struct trace_buf *tb = trace_buf_create(2, 66, capture_flush, &c);

	(void)state;
	assert_non_null(tb);
	for (unsigned int i = 0; i < 3; i++)
		trace_buf_write(tb, 1, 100 + i, TRC_WAKE, 2, data);
	assert_int_equal(c.nr, 0);
	trace_buf_write(tb, 1, 103, TRC_WAKE, 2, data);
	assert_int_equal(c.nr, 1);
	assert_int_equal(c.cpu[0], 1);
	assert_int_equal(c.len[0], 60);
	/* The window ends after the third record: no partial record. */
	assert_int_equal(c.words[10], 0xa0028004u);
	assert_int_equal(c.words[11], 102);
	assert_int_equal(c.words[14], 0xbbbb0000u);

	/* 20 + 20 + 24 bytes fill the buffer exactly: no flush yet. */
	trace_buf_write(tb, 1, 104, TRC_WAKE, 2, data);
	trace_buf_write(tb, 1, 105, TRC_SWITCH_INFPREV, 3, data);
	assert_int_equal(c.nr, 1);
	/* Even a 12-byte record does not fit any more. */
	trace_buf_write(tb, 1, 106, TRC_NULL_TASKLET, 0, NULL);
	assert_int_equal(c.nr, 2);
	assert_int_equal(c.len[1], 64);
	assert_int_equal(c.words[c.at[1]], 0xa0028004u);
	assert_int_equal(c.words[c.at[1] + 1], 103);
	assert_int_equal(c.words[c.at[1] + 10], 0xb002800eu);
	trace_buf_write(tb, 0, 107, TRC_NULL_TASKLET, 0, NULL);
	trace_buf_flush_all(tb);
	assert_int_equal(c.nr, 4);
	assert_int_equal(c.cpu[2], 0);
	assert_int_equal(c.len[2], 12);
	assert_int_equal(c.words[c.at[2] + 1], 107);
	assert_int_equal(c.cpu[3], 1);
	assert_int_equal(c.len[3], 12);
	assert_int_equal(c.words[c.at[3] + 1], 106);
	assert_int_equal(trace_buf_records(tb), 8);
	trace_buf_destroy(tb);
}

static void test_flush_all_in_cpu_order(void **state)
{
	const uint32_t dv = 0x00010002u;
	struct capture c = { 0 };
	struct trace_buf *tb = trace_buf_create(4, 4096, capture_flush, &c);

	(void)state;
	assert_non_null(tb);
	trace_buf_write(tb, 2, 1, TRC_CONTINUE_RUNNING, 1, &dv);
	trace_buf_write(tb, 0, 2, TRC_CONTINUE_RUNNING, 1, &dv);
	trace_buf_write(tb, 2, 3, TRC_CONTINUE_RUNNING, 1, &dv);
	trace_buf_write(tb, 1, 4, TRC_CONTINUE_RUNNING, 1, &dv);
	trace_buf_flush_all(tb);
	assert_int_equal(c.nr, 3); /* cpu 3 is empty and skipped */
	assert_int_equal(c.cpu[0], 0);
	assert_int_equal(c.cpu[1], 1);
	assert_int_equal(c.cpu[2], 2);
	assert_int_equal(c.len[0], 16);
	assert_int_equal(c.len[2], 32);
	assert_int_equal(c.words[c.at[2] + 1], 1);
	assert_int_equal(c.words[c.at[2] + 5], 3);
	assert_int_equal(trace_buf_records(tb), 4);
	trace_buf_destroy(tb);
}

static void test_names(void **state)
{
	uint32_t words[7];
	char name[TRACE_NAME_BYTES + 1];

	(void)state;
	memset(words, 0xee, sizeof(words));
	trace_put_name(words, 0x00030001u, "ctrl");
	assert_int_equal(words[0], 0x00030001u);
	assert_memory_equal(&words[1], "ctrl\0\0\0\0", 8);
	for (unsigned int i = 3; i < 7; i++)
		assert_int_equal(words[i], 0);
	trace_name_get(words, name);
	assert_string_equal(name, "ctrl");

	trace_put_name(words, 7, "abcdefghijklmnopqrstuvwxyz");
	assert_memory_equal(&words[1], "abcdefghijklmnopqrstuvwx", 24);
	trace_name_get(words, name);
	assert_string_equal(name, "abcdefghijklmnopqrstuvwx");

	trace_put_name(words, 7, "");
	trace_name_get(words, name);
	assert_string_equal(name, "");
}

static void test_file_window_layout(void **state)
{
	char dir[] = "/tmp/hvlab-tbuf-XXXXXX";
	char path[64];
	const uint32_t recs[3] = { 0x80021101u, 9, 0 };
	uint32_t got[11];
	struct trace_file *f;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.trace", dir);
	assert_int_equal(trace_file_create(path, &f), 0);
	trace_file_write_window(f, 3, recs, sizeof(recs));
	trace_file_write_window(f, 1, recs, 0); /* empty: not written */
	trace_file_write_window(f, 0, recs, 4);
	assert_int_equal(trace_file_close(f), 0);

	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(got, 4, 11, fp), 10);
	fclose(fp);
	assert_int_equal(got[0], 0x2001f003u);
	assert_int_equal(got[1], 3);
	assert_int_equal(got[2], 12);
	assert_memory_equal(&got[3], recs, 12);
	assert_int_equal(got[6], 0x2001f003u);
	assert_int_equal(got[7], 0);
	assert_int_equal(got[8], 4);
	assert_int_equal(got[9], 0x80021101u);
	unlink(path);
	rmdir(dir);
}

static void test_file_errors(void **state)
{
	struct trace_file *f = NULL;
	char dir[] = "/tmp/hvlab-tbuf-XXXXXX";
	char path[64];

	(void)state;
	assert_int_equal(trace_file_create("/nonexistent-dir/x.trace", &f),
			 -ENOENT);
	assert_null(f);
	assert_int_equal(trace_file_close(NULL), 0);

	/* A bad cpu poisons the file; close reports it. */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.trace", dir);
	assert_int_equal(trace_file_create(path, &f), 0);
	trace_file_write_window(f, (unsigned int)INT32_MAX + 1, "abcd", 4);
	assert_int_equal(trace_file_close(f), -EINVAL);

	/* /dev/full: writes fail at flush time at the latest. */
	if (access("/dev/full", W_OK) == 0) {
		static uint32_t big[4096];

		assert_int_equal(trace_file_create("/dev/full", &f), 0);
		trace_file_write_window(f, 0, big, sizeof(big));
		assert_int_equal(trace_file_close(f), -ENOSPC);
	}
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_rejects_bad_args),
		cmocka_unit_test(test_record_encoding_bit_exact),
		cmocka_unit_test(test_flush_when_full_at_record_boundary),
		cmocka_unit_test(test_flush_all_in_cpu_order),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_file_window_layout),
		cmocka_unit_test(test_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
