/*
 * The sim port's public face: run a scenario as a discrete-event
 * simulation of the hypervisor core, writing a trace file.
 *
 * The very same core and scheduler code as on arm64 runs here; the sim
 * supplies the port interface (<hv/port.h>) from an event queue, models
 * what runs inside each domain (tasks, interrupt handlers, CPU hogs) and
 * charges the hypervisor's own costs from the scenario's cost model.
 */
#ifndef HV_SIM_H
#define HV_SIM_H

#include <stdio.h>

#include <hv/types.h>

struct machine;
struct scenario;
struct sim;

struct sim_options {
	const char *trace_path; /* NULL: no trace file */
	/*
	 * Per-pCPU trace ring, its 8-byte header included; 0 = 128 KiB,
	 * xentrace's default of 32 pages.
	 */
	size_t trace_ring_bytes;
	/*
	 * 0: drain a ring as soon as it is half full (Xen's VIRQ_TBUF, the
	 * consumer answering at once), so nothing is lost. > 0: drain every
	 * ring each trace_poll_ns of simulated time instead (xentrace -s;
	 * its default is 100 ms), so a small ring loses records.
	 */
	hv_time_t trace_poll_ns;
	/* Called about every 2^16 events; may print progress. */
	void (*progress)(void *ctx, hv_time_t now, hv_time_t end);
	void *progress_ctx;
	/* Called after every event (tests check invariants here). */
	void (*after_event)(void *ctx, struct sim *sim);
	void *after_event_ctx;
};

struct sim_stats {
	uint64_t events; /* discrete events processed */
	uint64_t sched_invocations; /* do_schedule calls */
	uint64_t context_switches;
	uint64_t wakeups;
	uint64_t sched_errors; /* invalid decisions (must be 0) */
	uint64_t trace_records; /* stored (lost-record notes, fillers aside) */
	uint64_t trace_lost; /* dropped: ring full; the trace has the notes */
	uint64_t trace_errors; /* corrupt ring header seen: tracing stopped */
	uint64_t backlog_overflows; /* task releases dropped: backlog full */
	uint64_t irqs_merged; /* raised while already pending (GIC) */
	hv_time_t end;
};

/*
 * Build the machine described by @scn and prepare its run. Returns 0 and
 * *@out, or a negative errno with a message on @err. The scenario must
 * outlive the sim.
 */
int sim_create(const struct scenario *scn, const struct sim_options *opt,
	       FILE *err, struct sim **out);

/* Run until simulated time @until (inclusive) or the scenario's end,
 * whichever is first. Returns 0 or a negative errno. */
int sim_run_until(struct sim *sim, hv_time_t until);

/* Finish: run to the scenario's end, write RUN_END, flush and close the
 * trace. Returns 0 or a negative errno (e.g. a write error). */
int sim_finish(struct sim *sim, struct sim_stats *stats);

void sim_destroy(struct sim *sim);

/* Introspection for tests and benchmarks. */
struct machine *sim_machine(struct sim *sim);
hv_time_t sim_now(const struct sim *sim);

/* One call does it all: create, run to the end, finish, destroy. */
int sim_run_scenario(const struct scenario *scn, const struct sim_options *opt,
		     struct sim_stats *stats, FILE *err);

#endif /* HV_SIM_H */
