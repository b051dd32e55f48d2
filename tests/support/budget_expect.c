/* See budget_expect.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget_expect.h"

const char bx_run_yaml[] =
    "name: g\n"
    "duration: 200ms\n"
    "seed: 3\n"
    "machine: {pcpus: 1}\n"
    "cpupools: [{name: p, sched: credit2, cpus: 0, ratelimit: 500us}]\n"
    "domains:\n"
    "  - name: rt\n"
    "    pool: p\n"
    "    weight: 1024\n"
    "    workload:\n"
    "      irqs: [{name: tick, period: 1ms, jitter: 100us, handler: "
    "10us}]\n"
    "      tasks: [{name: loop, period: 2ms, priority: 1, exec: 300us}]\n"
    "  - {name: hog, pool: p, workload: {hogs: [{vcpu: 0}]}}\n"
    "  - {name: quiet, pool: p}\n";

int bx_load_budgets(const struct scenario *s, const char *yaml,
		    struct scn_budget_set **out, char **msgs)
{
	size_t len = 0;
	FILE *err = open_memstream(msgs, &len);
	int rc;

	assert_non_null(err);
	rc = budgets_load_buffer("b.yaml", yaml, strlen(yaml), s, err, out);
	fclose(err);
	return rc;
}

void bx_expect_error_len(const struct scenario *s, const char *yaml, size_t len,
			 int line, const char *what)
{
	struct scn_budget_set *set = (struct scn_budget_set *)&set;
	char *msgs = NULL, prefix[32];
	size_t mlen = 0;
	FILE *err = open_memstream(&msgs, &mlen);
	int rc;

	assert_non_null(err);
	rc = budgets_load_buffer("b.yaml", yaml, len, s, err, &set);
	fclose(err);

	snprintf(prefix, sizeof(prefix), "b.yaml:%d: ", line);
	if (rc != -EINVAL || set || strncmp(msgs, prefix, strlen(prefix)) ||
	    !strstr(msgs, what))
		fail_msg("rc %d; expected \"%s...%s\" first in:\n%s", rc,
			 prefix, what, msgs);
	free(msgs);
}

void bx_expect_error(const struct scenario *s, const char *yaml, int line,
		     const char *what)
{
	bx_expect_error_len(s, yaml, strlen(yaml), line, what);
}
