/*
 * Test support: build a sim from inline YAML, and walk a trace file.
 * Each test builds its own world in setup and frees it in teardown.
 */
#ifndef HV_TEST_WORLD_H
#define HV_TEST_WORLD_H

#include <stdio.h>

#include <hv/machine.h>

#include "hv-core/arch/sim/sim.h"
#include "scenario/scenario.h"

struct world {
	struct scenario *scn;
	struct sim *sim;
	struct machine *m;
	char dir[64];        /* temporary directory, when a trace is kept */
	char trace_path[128];
};

/*
 * Parse @yaml and build its sim. With @keep_trace, the run writes
 * world->trace_path in a fresh temporary directory. @opt may be NULL; its
 * trace_path is overridden. Fails the calling test on any error.
 */
struct world *world_create(const char *yaml, bool keep_trace,
			   const struct sim_options *opt);

/* Run to the end; stats may be NULL. Fails the test on error. */
void world_finish(struct world *w, struct sim_stats *stats);

void world_destroy(struct world *w);

/* The vCPU @vcpu of the domain named @dom (fails the test if absent). */
struct vcpu *world_vcpu(struct world *w, const char *dom, unsigned int vcpu);

#endif /* HV_TEST_WORLD_H */
