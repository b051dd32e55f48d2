/*
 * Helpers shared by the gate test files: a scenario to check budgets
 * against, load budgets from a string, expect them to be refused at a
 * given line.
 */
#ifndef HV_TEST_BUDGET_EXPECT_H
#define HV_TEST_BUDGET_EXPECT_H

#include <stddef.h>

#include "scenario/scenario.h"

/* One pCPU shared by rt (an irq and a task), a hog, and a quiet domain. */
extern const char bx_run_yaml[];

/*
 * Load the budgets in @yaml as "b.yaml" against @s; messages go to a new
 * string in *@msgs. Return: as budgets_load_buffer().
 */
int bx_load_budgets(const struct scenario *s, const char *yaml,
		    struct scn_budget_set **out, char **msgs);

/*
 * @len bytes of @yaml must be rejected with -EINVAL, no set, and a first
 * message "b.yaml:@line: ..." containing @what.
 */
void bx_expect_error_len(const struct scenario *s, const char *yaml, size_t len,
			 int line, const char *what);
void bx_expect_error(const struct scenario *s, const char *yaml, int line,
		     const char *what);

#endif /* HV_TEST_BUDGET_EXPECT_H */
