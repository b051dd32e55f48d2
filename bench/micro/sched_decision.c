/*
 * One scheduler, one size: run a standard workload in the sim and print
 * how many scheduling decisions and wake-ups it made. Run under callgrind
 * by sched_decision.sh, which divides the instructions spent inside the
 * scheduler's do_schedule and wake hooks by these counts.
 *
 * Workload: NVCPUS single-vCPU domains in one pool over NPCPUS pCPUs
 * (ARINC653: one pool per pCPU, a window per vCPU, at most 64 windows).
 * Each vCPU runs a periodic task using half a pCPU's worth of time shared
 * out over the vCPUs, released at staggered offsets; RTDS servers get
 * twice the task's execution time as budget. Nothing is pinned.
 *
 * usage: sched_decision SCHED NVCPUS NPCPUS
 * prints: decisions=N wakeups=N events=N  (or "n/a: reason")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv-core/arch/sim/sim.h"
#include "scenario/scenario.h"

#define PERIOD_NS 20000000LL /* 20 ms */

static void put_pools(FILE *f, const char *sched, unsigned int nv,
		      unsigned int np)
{
	unsigned int per = nv / np;

	fprintf(f, "cpupools:\n");
	if (strcmp(sched, "arinc653")) {
		fprintf(f, "  - { name: p, sched: %s, cpus: \"0-%u\" }\n",
			sched, np - 1);
		return;
	}
	for (unsigned int c = 0; c < np; c++) {
		fprintf(f,
			"  - name: p%u\n    sched: arinc653\n    cpus: \"%u\"\n"
			"    major_frame: %lldns\n    schedule:\n",
			c, c, PERIOD_NS);
		for (unsigned int i = 0; i < per; i++)
			fprintf(f, "      - { dom: d%u, runtime: %lldns }\n",
				c * per + i, PERIOD_NS / per);
	}
}

static char *make_yaml(const char *sched, unsigned int nv, unsigned int np)
{
	long long exec = PERIOD_NS * np / 2 / nv;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	/* Whole microseconds: RTDS parameters are µs in Xen's interface. */
	exec -= exec % 1000;
	if (exec < 1000)
		exec = 1000;
	fprintf(f, "name: decision\nduration: 1s\nseed: 1\n");
	fprintf(f, "machine: { pcpus: %u }\n", np);
	put_pools(f, sched, nv, np);
	fprintf(f, "domains:\n");
	for (unsigned int d = 0; d < nv; d++) {
		const char *pool = "p";
		char pname[16];

		if (!strcmp(sched, "arinc653")) {
			snprintf(pname, sizeof(pname), "p%u", d / (nv / np));
			pool = pname;
		}
		fprintf(f, "  - name: d%u\n    pool: %s\n", d, pool);
		if (!strcmp(sched, "rtds"))
			fprintf(f, "    period: %lldns\n    budget: %lldns\n",
				PERIOD_NS, 2 * exec < 10000 ? 10000 : 2 * exec);
		fprintf(f,
			"    workload: { tasks: [ { name: t, period: %lldns, "
			"offset: %lldns, exec: %lldns, priority: 1 } ] }\n",
			PERIOD_NS, (long long)d * PERIOD_NS / nv, exec);
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	struct scenario *scn;
	struct sim_stats st;
	unsigned int nv, np;
	char *yaml;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: %s SCHED NVCPUS NPCPUS\n", argv[0]);
		return 2;
	}
	nv = (unsigned int)strtoul(argv[2], NULL, 10);
	np = (unsigned int)strtoul(argv[3], NULL, 10);
	if (!nv || !np || nv % np) {
		fprintf(stderr, "NVCPUS must be a multiple of NPCPUS\n");
		return 2;
	}
	if (!strcmp(argv[1], "arinc653") && nv / np > 64) {
		printf("n/a: %u windows per pCPU exceed ARINC653's 64\n",
		       nv / np);
		return 0;
	}
	yaml = make_yaml(argv[1], nv, np);
	rc = scenario_load_buffer("decision.yaml", yaml, strlen(yaml), stderr,
				  &scn);
	free(yaml);
	if (rc)
		return 1;
	rc = sim_run_scenario(scn, NULL, &st, stderr);
	scenario_free(scn);
	if (rc)
		return 1;
	printf("decisions=%llu wakeups=%llu events=%llu errors=%llu\n",
	       (unsigned long long)st.sched_invocations,
	       (unsigned long long)st.wakeups, (unsigned long long)st.events,
	       (unsigned long long)st.sched_errors);
	return st.sched_errors ? 1 : 0;
}
