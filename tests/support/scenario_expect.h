/*
 * Helpers shared by the scenario parser's test files: load YAML from a
 * string, expect it to load or to be refused at a given line.
 */
#ifndef HV_TEST_SCENARIO_EXPECT_H
#define HV_TEST_SCENARIO_EXPECT_H

#include <stddef.h>

#include <hv/types.h>

#include "scenario/scenario.h"

/* Load @yaml as "t.yaml"; messages go to a new string in *@msgs. */
int load(const char *yaml, size_t len, struct scenario **out, char **msgs);

/* @yaml must load cleanly and print nothing. */
struct scenario *load_ok(const char *yaml);

/*
 * @len bytes of @yaml must be rejected with -EINVAL, *out left NULL, and a
 * first message "t.yaml:@line: ..." containing @what.
 */
void expect_reject_len(const char *yaml, size_t len, int line,
		       const char *what);
void expect_reject(const char *yaml, int line, const char *what);

uint64_t fnv1a(const char *p, size_t n);
struct cpumask mask_of(const char *list);
void assert_mask(const struct cpumask *m, const char *list);

/* Five lines every test scenario starts with; cpupools follow on line 6. */
#define HEAD             \
	"name: t\n"      \
	"duration: 1s\n" \
	"machine:\n"     \
	"  pcpus: 4\n"   \
	"cpupools:\n"

/* What a scenario needs after its first lines, to be complete. */
#define POOLS_TAIL                                      \
	"cpupools: [{name: p, sched: null, cpus: 0}]\n" \
	"domains: [{name: d, pool: p}]\n"
#define TAIL "machine: {pcpus: 1}\n" POOLS_TAIL

/* A null pool on cpus 0-3 (line 6) and "domains:" on line 7. */
#define NULL_POOL HEAD "  - {name: p, sched: null, cpus: 0-3}\ndomains:\n"

/* An ARINC653 pool "a" on cpu 0; its schedule entries follow. */
#define A653_POOL                      \
	HEAD "  - name: a\n"           \
	     "    sched: arinc653\n"   \
	     "    cpus: 0\n"           \
	     "    major_frame: 20ms\n" \
	     "    schedule:\n"

#endif /* HV_TEST_SCENARIO_EXPECT_H */
