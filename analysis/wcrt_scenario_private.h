/* Shared by wcrt_scenario.c and wcrt_scenario_edf.c. */
#ifndef HV_WCRT_SCENARIO_PRIVATE_H
#define HV_WCRT_SCENARIO_PRIVATE_H

#include <stdio.h>
#include <stdlib.h>

#include "analysis/wcrt_scenario.h"

/*
 * Replace the verdicts of @wv's tasks by the EDF demand test. @tasks[n] is
 * the vCPU's analysis set: its own items first, in item order, then the
 * interference. Interrupt items keep their fixed-priority bounds (they run
 * above every task). Return: 0 or -ENOMEM / -EINVAL.
 */
int wcrt_edf_vcpu(struct wcrt_report *r, struct wcrt_vcpu *wv,
		  const struct wcrt_task *tasks, size_t n);

#endif /* HV_WCRT_SCENARIO_PRIVATE_H */
