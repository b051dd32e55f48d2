/*
 * Trace file writer.
 *
 * stdio is used per window, never per record: windows are whole buffers,
 * so a large stdio buffer only saves a few syscalls on small buffers.
 * A failed write poisons the file instead of being returned, because the
 * writer is called from the flush callback, which cannot fail; the error
 * comes out of trace_file_close(), which every producer checks.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tracing/trace_events.h"
#include "tracing/trace_file.h"

struct trace_file {
	FILE *fp;
	int err; /* first error, negative errno, or 0 */
};

static int errno_or(int fallback)
{
	return errno ? -errno : -fallback;
}

int trace_file_create(const char *path, struct trace_file **out)
{
	struct trace_file *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	errno = 0;
	f->fp = fopen(path, "wb");
	if (!f->fp) {
		int err = errno_or(EIO);

		free(f);
		return err;
	}
	*out = f;
	return 0;
}

static void trace_file_put(struct trace_file *f, const void *bytes, size_t len)
{
	errno = 0;
	if (fwrite(bytes, 1, len, f->fp) != len)
		f->err = errno_or(EIO);
}

void trace_file_write_window(void *trace_file, unsigned int cpu,
			     const void *bytes, size_t len)
{
	struct trace_file *f = trace_file;
	uint32_t hdr[3];

	if (f->err || !len)
		return;
	if (len > UINT32_MAX || cpu > INT32_MAX) {
		f->err = len > UINT32_MAX ? -EFBIG : -EINVAL;
		return;
	}
	trace_file_window_header(hdr, cpu, (uint32_t)len); /* checked above */
	trace_file_put(f, hdr, sizeof(hdr));
	if (!f->err)
		trace_file_put(f, bytes, len);
}

int trace_file_close(struct trace_file *f)
{
	int err;

	if (!f)
		return 0;
	err = f->err;
	errno = 0;
	if (fflush(f->fp) && !err)
		err = errno_or(EIO);
	errno = 0;
	if (fclose(f->fp) && !err)
		err = errno_or(EIO);
	free(f);
	return err;
}
