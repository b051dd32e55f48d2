/*
 * Test support: a trace written with the real producer (trace_buf +
 * trace_file) into a fresh temporary directory, with helpers that put
 * records in it. Use tfx_setup/tfx_teardown as the cmocka setup and
 * teardown; *state is then a struct tfx.
 */
#ifndef HV_TEST_TRACE_FIXTURE_H
#define HV_TEST_TRACE_FIXTURE_H

#include <stdint.h>

struct trace_buf;
struct trace_file;
struct trace_reader;

struct tfx {
	char dir[32];
	char path[64];
	struct trace_file *file;
	struct trace_buf *tb;
	struct trace_reader *r; /* opened by tfx_done_open() */
};

/*
 * A trace at dir/run.trace, written through @nr_cpus small (256-byte)
 * buffers so that it has several windows per cpu.
 */
int tfx_setup_cpus(void **state, unsigned int nr_cpus);

/* tfx_setup_cpus() with 2 cpus. */
int tfx_setup(void **state);

int tfx_teardown(void **state);

/* Flushes and closes the trace; the fixture keeps only the path. */
void tfx_done(struct tfx *fx);

/* tfx_done(), then opens the trace with the reader as fx->r. */
void tfx_done_open(struct tfx *fx);

void tfx_rec(struct tfx *fx, unsigned int cpu, uint64_t t, uint32_t event,
	     unsigned int n, const uint32_t *data);

/* A record of the two words @a, @b. */
void tfx_rec2(struct tfx *fx, unsigned int cpu, uint64_t t, uint32_t event,
	      uint32_t a, uint32_t b);

/*
 * A record with a u64 in words 2-3, as GUEST_IRQ_* and TASK_COMPLETE
 * (which has @e as a fifth word).
 */
void tfx_rec64(struct tfx *fx, unsigned int cpu, uint64_t t, uint32_t event,
	       uint32_t a, uint32_t b, uint64_t v, uint32_t e);

/* RUNSTATE_CHANGE of d@dom v@vcpu from @old_state to @new_state. */
void tfx_runstate(struct tfx *fx, unsigned int cpu, uint64_t t,
		  unsigned int dom, unsigned int vcpu, unsigned int old_state,
		  unsigned int new_state);

/* A name record (TRC_HVLAB_NAME_*) on cpu 0 at time 0. */
void tfx_name(struct tfx *fx, uint32_t event, uint32_t id, const char *s);

#endif /* HV_TEST_TRACE_FIXTURE_H */
