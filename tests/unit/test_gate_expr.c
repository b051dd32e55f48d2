/*
 * Unit tests for hvlab gate's budget expressions, one budget a line
 * (scenario/scenario_budgets.c): the forms, dotted names, and the errors.
 * Budget files in YAML and the checks are tested in test_gate.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"
#include "tests/support/budget_expect.h"
#include "tests/support/scenario_expect.h"

static void test_expr_forms(void **state)
{
	struct scenario *s = load_ok(bx_run_yaml);
	struct scn_budget_set *set = NULL;
	const struct scn_budget *b;
	char *msgs = NULL;

	(void)state;
	assert_int_equal(
	    bx_load_budgets(s,
			    "# CI limits, not YAML\n"
			    "\n"
			    "rt.irq_latency.p99 <= 20us\n"
			    "  rt.irq_response.p99.9<=1ms # spaces "
			    "optional\r\n"
			    "rt.loop.response.max <= 2 ms\n"
			    "*.sched_latency.p99.99 <= 1s\n"
			    "\t\n"
			    "wcrt.bound >= observed\n"
			    "rt.task_response.mean <= 500ns",
			    &set, &msgs),
	    0);
	assert_string_equal(msgs, "");
	assert_int_equal(set->nr_budgets, 6);
	b = set->budgets;
	assert_int_equal(b[0].kind, SCN_BUDGET_LIMIT);
	assert_string_equal(b[0].metric, "irq_latency");
	assert_string_equal(b[0].stat, "p99");
	assert_int_equal(b[0].domain, 0);
	assert_string_equal(b[0].task, "");
	assert_int_equal(b[0].max, HV_US(20));
	assert_int_equal(b[0].line, 3);
	assert_string_equal(b[1].metric, "irq_response");
	assert_string_equal(b[1].stat, "p99.9");
	assert_int_equal(b[1].max, HV_MS(1));
	assert_int_equal(b[1].line, 4);
	assert_string_equal(b[2].metric, "task_response");
	assert_string_equal(b[2].task, "loop");
	assert_string_equal(b[2].stat, "max");
	assert_int_equal(b[2].max, HV_MS(2));
	assert_int_equal(b[3].domain, -1);
	assert_string_equal(b[3].metric, "sched_latency");
	assert_string_equal(b[3].stat, "p99.99");
	assert_int_equal(b[3].line, 6);
	assert_int_equal(b[4].kind, SCN_BUDGET_WCRT);
	assert_int_equal(b[4].line, 8);
	assert_string_equal(b[5].metric, "task_response");
	assert_string_equal(b[5].task, "");
	assert_string_equal(b[5].stat, "mean");
	assert_int_equal(b[5].max, 500);
	budgets_free(set);
	free(msgs);
	scenario_free(s);
}

/* Names with dots: the scenario's names are matched, not split. */
static void test_expr_dotted_names(void **state)
{
	struct scenario *s =
	    load_ok("name: d\nduration: 10ms\nmachine: {pcpus: 1}\n"
		    "cpupools: [{name: p, sched: credit2, cpus: 0}]\n"
		    "domains:\n"
		    "  - {name: a.b, pool: p, workload: {tasks: [{name: t.1, "
		    "period: 1ms, priority: 1, exec: 10us}]}}\n");
	struct scn_budget_set *set = NULL;
	char *msgs = NULL;

	(void)state;
	assert_int_equal(bx_load_budgets(s,
					 "a.b.t.1.response.p99.9 <= 1ms\n"
					 "a.b.irq_latency.p50 <= 1ms\n",
					 &set, &msgs),
			 0);
	assert_string_equal(set->budgets[0].task, "t.1");
	assert_string_equal(set->budgets[0].stat, "p99.9");
	assert_int_equal(set->budgets[1].domain, 0);
	budgets_free(set);
	free(msgs);
	scenario_free(s);
}

static void test_expr_errors(void **state)
{
	struct scenario *s = load_ok(bx_run_yaml);

	(void)state;
	bx_expect_error(s, "", 1, "no budgets; expected one per line");
	bx_expect_error(s, "# only a comment\n\n", 1, "no budgets");
	bx_expect_error(s, "garbage\n", 1,
			"'garbage' is not a budget; expected "
			"DOMAIN.METRIC.STAT <= TIME, "
			"DOMAIN.TASK.response.STAT <= TIME, "
			"*.METRIC.STAT <= TIME or wcrt.bound >= observed");
	bx_expect_error(s, "rt.irq_latency.p99 <= 5us\n- {metric: x}\n", 2,
			"'- {metric: x}' is not a budget");
	bx_expect_error(s, "rt.irq_latency.p99 20us\n", 1, "is not a budget");
	bx_expect_error(s, "\nrt.irq_latency.p42 <= 5us\n", 2,
			"unknown statistic 'p42'; expected one of: min, "
			"mean, p50, p90, p99, p99.9, p99.99, max");
	bx_expect_error(s, "rt.irq_latency.p99 < 5us\n", 1,
			"unknown comparison '<'; expected <=");
	bx_expect_error(s, "rt.irq_latency.p99 >= 5us\n", 1,
			">= is only for wcrt.bound >= observed");
	bx_expect_error(s, "rt.irq_latency.p99 <= 5\n", 1,
			"limit: time needs a unit (ns, us, ms, s), e.g. "
			"500us; got '5'");
	bx_expect_error(s, "rt.irq_latency.p99 <= 5 parsecs\n", 1, "limit: ");
	bx_expect_error(s, "rt.irq_latency.p99 <= 0us\n", 1,
			"limit: expected a time > 0");
	bx_expect_error(s, "rt.irq_latency.p99 <=\n", 1,
			"missing limit after '<='");
	bx_expect_error(s, "rtt.irq_latency.p99 <= 5us\n", 1,
			"unknown domain 'rtt'; expected one of: rt, hog, "
			"quiet, or * for all domains");
	bx_expect_error(s, "rt.lop.response.max <= 5us\n", 1,
			"unknown metric or task 'lop' in domain 'rt'; "
			"expected one of: irq_latency, irq_response, "
			"task_response, sched_latency, or a task: loop");
	bx_expect_error(s, "hog.loop.response.max <= 5us\n", 1,
			"(the domain has no tasks)");
	bx_expect_error(s, "rt.loop.max <= 5us\n", 1,
			"after task 'loop' expected response.STAT");
	bx_expect_error(s, "rt.irq_latency <= 5us\n", 1,
			"'irq_latency' needs a statistic");
	bx_expect_error(s, "*.loop.response.max <= 5us\n", 1,
			"unknown metric 'loop' after '*.'");
	bx_expect_error(s, "wcrt.bound <= 5us\n", 1,
			"wcrt.bound: expected 'wcrt.bound >= observed'");
	bx_expect_error(s, "wcrt.bound >= 5us\n", 1, "wcrt.bound: expected");
	bx_expect_error_len(s, "rt.irq_latency.p99 <= 5us\n\0\n", 28, 2,
			    "control character 0x00");
	scenario_free(s);
}

/* Every problem is reported, each with its own line. */
static void test_expr_all_errors(void **state)
{
	struct scenario *s = load_ok(bx_run_yaml);
	struct scn_budget_set *set = (struct scn_budget_set *)&set;
	char *msgs = NULL;

	(void)state;
	assert_int_equal(bx_load_budgets(s,
					 "rt.irq_latency.p99 <= 5us\n"
					 "rt.irq_latency.p42 <= 5us\n"
					 "# fine\n"
					 "rt.irq_latency.p99 < 5us\n",
					 &set, &msgs),
			 -EINVAL);
	assert_null(set);
	assert_non_null(strstr(msgs, "b.yaml:2: unknown statistic"));
	assert_non_null(strstr(msgs, "\nb.yaml:4: unknown comparison"));
	assert_null(strstr(msgs, "b.yaml:1:"));
	free(msgs);
	scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_expr_forms),
	    cmocka_unit_test(test_expr_dotted_names),
	    cmocka_unit_test(test_expr_errors),
	    cmocka_unit_test(test_expr_all_errors),
	};

	return cmocka_run_group_tests_name("gate_expr", tests, NULL, NULL);
}
