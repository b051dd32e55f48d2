/*
 * Trace ring figures (not tests).
 *
 *   trace_record ring N WORDS   write N records of WORDS data words with
 *                               trace_ring_write(), the function the core's
 *                               hv_trace_emit() calls, into one default
 *                               (128 KiB) ring
 *   trace_record emit N WORDS   the same through the core: hv_trace_emit()
 *                               on a sim machine (port clock and cpu id
 *                               included)
 *   trace_record lost SCENARIO [RING_BYTES [POLL_NS]]
 *                               run SCENARIO with tracing to a scratch file
 *                               and print the records stored and lost
 *                               (defaults: 128 KiB, drain at high water)
 *
 * The first two are run under callgrind by trace_record.sh, which
 * collects only inside the producer function and divides the difference
 * between N and 2N records by N, so set-up cancels out. The consumer is
 * not counted: this program drains the ring itself, outside the producer,
 * often enough that nothing is lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hv/machine.h>
#include <hv/trace.h>

#include "hv-core/arch/sim/sim.h"
#include "scenario/scenario.h"
#include "tracing/trace_ring.h"

/* Drain every this many records: at most 40 KiB, under the high water. */
#define DRAIN_EVERY 1024

static void null_sink(void *ctx, unsigned int cpu, const void *a, size_t alen,
		      const void *b, size_t blen)
{
	(void)ctx, (void)cpu, (void)a, (void)b;
	*(size_t *)ctx += alen + blen;
}

static int usage(void)
{
	fprintf(stderr, "usage: trace_record ring|emit N WORDS\n"
			"       trace_record lost SCENARIO [RING_BYTES "
			"[POLL_NS]]\n");
	return 2;
}

static int bench_ring(unsigned long n, unsigned int words)
{
	struct trace_ring *tr = trace_ring_create(1, TRACE_RING_DEFAULT_BYTES);
	const uint32_t data[7] = {1, 2, 3, 4, 5, 6, 7};
	struct trace_ring_stats st;
	size_t drained = 0;

	if (!tr || trace_ring_enable(tr))
		return 1;
	for (unsigned long i = 0; i < n; i++) {
		trace_ring_write(tr, 0, i, TRC_SWITCH, words, data);
		if (i % DRAIN_EVERY == DRAIN_EVERY - 1)
			trace_ring_drain(tr, 0, null_sink, &drained);
	}
	trace_ring_drain(tr, 0, null_sink, &drained);
	trace_ring_get_stats(tr, 0, &st);
	printf("records=%lu stored=%llu lost=%llu bytes=%zu\n", n,
	       (unsigned long long)st.stored, (unsigned long long)st.lost,
	       drained);
	trace_ring_destroy(tr);
	return st.lost != 0;
}

/* A one-pCPU idle machine, only there to own the trace. */
static const char tiny_yaml[] =
    "name: trace-bench\nduration: 1ms\nseed: 1\n"
    "machine: { pcpus: 1 }\n"
    "cpupools:\n  - { name: p0, sched: null, cpus: \"0\" }\n"
    "domains:\n  - name: d1\n    pool: p0\n"
    "    workload:\n      hogs: [ { vcpu: 0 } ]\n";

static int bench_emit(unsigned long n, unsigned int words)
{
	const uint32_t data[7] = {1, 2, 3, 4, 5, 6, 7};
	struct sim_options opt = {.trace_path = "/dev/null"};
	struct trace_ring_stats st;
	struct scenario *scn;
	struct machine *m;
	struct sim *sim;
	size_t drained = 0;

	if (scenario_load_buffer("bench.yaml", tiny_yaml, strlen(tiny_yaml),
				 stderr, &scn) ||
	    sim_create(scn, &opt, stderr, &sim))
		return 1;
	m = sim_machine(sim);
	/* This loop is the consumer, not the sim's high-water drain. */
	trace_ring_set_notify(m->trace, NULL, NULL);
	for (unsigned long i = 0; i < n; i++) {
		hv_trace_emit(m, TRC_SWITCH, words, data);
		if (i % DRAIN_EVERY == DRAIN_EVERY - 1)
			trace_ring_drain(m->trace, 0, null_sink, &drained);
	}
	trace_ring_drain(m->trace, 0, null_sink, &drained);
	trace_ring_get_stats(m->trace, 0, &st);
	printf("records=%lu stored=%llu lost=%llu bytes=%zu\n", n,
	       (unsigned long long)st.stored, (unsigned long long)st.lost,
	       drained);
	sim_destroy(sim);
	scenario_free(scn);
	return st.lost != 0;
}

static int bench_lost(const char *path, size_t ring_bytes, long long poll_ns)
{
	char dir[] = "/tmp/hvlab-trace-XXXXXX", trace[64];
	struct sim_options opt = {.trace_ring_bytes = ring_bytes,
				  .trace_poll_ns = poll_ns};
	struct scenario *scn;
	struct sim_stats st;
	int rc;

	if (scenario_load(path, stderr, &scn))
		return 1;
	if (!mkdtemp(dir))
		return 1;
	snprintf(trace, sizeof(trace), "%s/trace.xt", dir);
	opt.trace_path = trace;
	rc = sim_run_scenario(scn, &opt, &st, stderr);
	unlink(trace);
	rmdir(dir);
	scenario_free(scn);
	if (rc)
		return 1;
	printf("%s: ring %zu bytes/pCPU, %s: %llu records stored, %llu lost\n",
	       path, ring_bytes ? ring_bytes : (size_t)TRACE_RING_DEFAULT_BYTES,
	       poll_ns ? "periodic drain" : "drain at high water",
	       (unsigned long long)st.trace_records,
	       (unsigned long long)st.trace_lost);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 &&
	    (!strcmp(argv[1], "ring") || !strcmp(argv[1], "emit"))) {
		unsigned long n = strtoul(argv[2], NULL, 0);
		unsigned int words = (unsigned int)strtoul(argv[3], NULL, 0);

		if (words > 7)
			return usage();
		return argv[1][0] == 'r' ? bench_ring(n, words)
					 : bench_emit(n, words);
	}
	if (argc >= 3 && argc <= 5 && !strcmp(argv[1], "lost"))
		return bench_lost(argv[2],
				  argc > 3 ? strtoul(argv[3], NULL, 0) : 0,
				  argc > 4 ? strtoll(argv[4], NULL, 0) : 0);
	return usage();
}
