#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "world.h"

struct world *world_create(const char *yaml, bool keep_trace,
			   const struct sim_options *opt)
{
	struct world *w = calloc(1, sizeof(*w));
	struct sim_options so = { 0 };
	char *errbuf = NULL;
	size_t errlen = 0;
	FILE *err = open_memstream(&errbuf, &errlen);
	int rc;

	assert_non_null(w);
	assert_non_null(err);
	rc = scenario_load_buffer("test.yaml", yaml, strlen(yaml), err,
				  &w->scn);
	fflush(err);
	if (rc)
		fail_msg("scenario rejected: %s", errbuf);
	if (opt)
		so = *opt;
	so.trace_path = NULL;
	if (keep_trace) {
		snprintf(w->dir, sizeof(w->dir), "/tmp/hvlab-test-XXXXXX");
		assert_non_null(mkdtemp(w->dir));
		snprintf(w->trace_path, sizeof(w->trace_path), "%s/trace.xt",
			 w->dir);
		so.trace_path = w->trace_path;
	}
	rc = sim_create(w->scn, &so, err, &w->sim);
	fflush(err);
	if (rc)
		fail_msg("sim_create failed (%d): %s", rc, errbuf);
	fclose(err);
	free(errbuf);
	w->m = sim_machine(w->sim);
	return w;
}

void world_finish(struct world *w, struct sim_stats *stats)
{
	assert_int_equal(sim_finish(w->sim, stats), 0);
}

void world_destroy(struct world *w)
{
	if (!w)
		return;
	sim_destroy(w->sim);
	scenario_free(w->scn);
	if (w->dir[0]) {
		unlink(w->trace_path);
		rmdir(w->dir);
	}
	free(w);
}

struct vcpu *world_vcpu(struct world *w, const char *dom, unsigned int vcpu)
{
	int idx = scenario_find_domain(w->scn, dom);

	if (idx < 0)
		fail_msg("no domain '%s'", dom);
	assert_true(vcpu < w->m->domains[idx].nr_vcpus);
	return &w->m->domains[idx].vcpus[vcpu];
}
