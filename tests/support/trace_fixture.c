/*
 * Test support: a trace written with the real producer in a temporary
 * directory (trace_fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/trace_fixture.h"
#include "tracing/trace_buf.h"
#include "tracing/trace_events.h"
#include "tracing/trace_file.h"
#include "tracing/trace_reader.h"

int tfx_setup_cpus(void **state, unsigned int nr_cpus)
{
	struct tfx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	strcpy(fx->dir, "/tmp/hvlab-trace-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/run.trace", fx->dir);
	if (trace_file_create(fx->path, &fx->file))
		return -1;
	fx->tb =
	    trace_buf_create(nr_cpus, 256, trace_file_write_window, fx->file);
	if (!fx->tb)
		return -1;
	*state = fx;
	return 0;
}

int tfx_setup(void **state)
{
	return tfx_setup_cpus(state, 2);
}

int tfx_teardown(void **state)
{
	struct tfx *fx = *state;

	trace_reader_close(fx->r);
	trace_buf_destroy(fx->tb);
	trace_file_close(fx->file);
	unlink(fx->path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

void tfx_done(struct tfx *fx)
{
	trace_buf_flush_all(fx->tb);
	trace_buf_destroy(fx->tb);
	fx->tb = NULL;
	assert_int_equal(trace_file_close(fx->file), 0);
	fx->file = NULL;
}

void tfx_done_open(struct tfx *fx)
{
	char err[256];

	tfx_done(fx);
	assert_int_equal(trace_reader_open(fx->path, &fx->r, err, sizeof(err)),
			 0);
}

void tfx_rec(struct tfx *fx, unsigned int cpu, uint64_t t, uint32_t event,
	     unsigned int n, const uint32_t *data)
{
	trace_buf_write(fx->tb, cpu, t, event, n, data);
}

void tfx_rec2(struct tfx *fx, unsigned int cpu, uint64_t t, uint32_t event,
	      uint32_t a, uint32_t b)
{
	const uint32_t d[2] = {a, b};

	tfx_rec(fx, cpu, t, event, 2, d);
}

void tfx_rec64(struct tfx *fx, unsigned int cpu, uint64_t t, uint32_t event,
	       uint32_t a, uint32_t b, uint64_t v, uint32_t e)
{
	const uint32_t d[5] = {a, b, (uint32_t)v, (uint32_t)(v >> 32), e};

	tfx_rec(fx, cpu, t, event, event == TRC_HVLAB_TASK_COMPLETE ? 5 : 4, d);
}

void tfx_runstate(struct tfx *fx, unsigned int cpu, uint64_t t,
		  unsigned int dom, unsigned int vcpu, unsigned int old_state,
		  unsigned int new_state)
{
	const uint32_t dv = trace_dv(dom, vcpu);

	tfx_rec(fx, cpu, t, TRC_RUNSTATE_ID(old_state, new_state), 1, &dv);
}

void tfx_name(struct tfx *fx, uint32_t event, uint32_t id, const char *s)
{
	uint32_t w[7];

	trace_put_name(w, id, s);
	tfx_rec(fx, 0, 0, event, 7, w);
}
