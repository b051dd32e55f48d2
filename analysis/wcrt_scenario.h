/*
 * hvlab wcrt: response-time bounds for every task (and interrupt handler)
 * of a scenario, on top of the supply its domain's scheduler guarantees.
 *
 * For each vCPU the analysis builds a supply (wcrt_supply.h) from the
 * pool's scheduler and the task set from the scenario, inflated by the
 * hypervisor costs of the scenario's cost model (docs/wcrt.md, "Costs"),
 * then runs fixed-priority RTA inside that supply, or for a domain with
 * guest_scheduler: edf the EDF demand test (wcrt_scenario_edf.c).
 * Interrupt handlers run above every task in arrival order, as in the
 * sim's guest model.
 *
 *   null      dedicated pCPU (vCPU left waiting by null: no supply)
 *   arinc653  the exact window table on the vCPU's pCPU; the periodic
 *             resource PRM(major frame, window total) is reported beside
 *             it as an approximation, labelled as such
 *   rtds      PRM(period, budget - switch costs) if the pool passes the
 *             deferrable-server admission test, else no supply
 *   credit2   no guaranteed supply: no bound, with the reason
 */
#ifndef HV_WCRT_SCENARIO_H
#define HV_WCRT_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <hv/types.h>

#include "analysis/wcrt.h"
#include "analysis/wcrt_design.h"
#include "analysis/wcrt_supply.h"

struct scenario;

enum wcrt_item_kind {
	WCRT_ITEM_TASK,
	WCRT_ITEM_IRQ, /* response = raise to handler end */
};

/* One analysed task or interrupt handler. */
struct wcrt_item {
	unsigned int domain; /* scenario index */
	unsigned int vcpu;
	unsigned int index; /* task or irq index within the domain */
	enum wcrt_item_kind kind;
	const char *name; /* points into the scenario */
	hv_time_t wcet; /* from the scenario (exec/handler max) */
	hv_time_t inflated; /* wcet + per-job hypervisor costs */
	hv_time_t period, deadline, jitter;
	enum wcrt_status status;
	hv_time_t bound; /* status WCRT_OK: the response-time bound */
	bool met; /* bound <= deadline */
	/* EDF guest: the bound is the deadline, proved by the demand test
	 * (no per-task EDF response time is computed) */
	bool edf;
	/* arinc653: the same analysis on the PRM approximation */
	bool has_approx;
	enum wcrt_status approx_status;
	hv_time_t approx_bound;
};

/* One vCPU: its supply, its items, and a design suggestion. */
struct wcrt_vcpu {
	unsigned int domain, vcpu;
	int pcpu; /* the pCPU its supply lives on; -1 floating (rtds) */
	const char *sched;
	struct supply supply;
	char supply_desc[160];
	char reason[160]; /* why there is no bound, when there is none */
	struct supply approx; /* arinc653 only */
	bool has_approx;
	size_t first_item, nr_items;
	bool schedulable; /* every item met its deadline */
	const char *edf_method; /* EDF guest: the test its tasks got */
	/* the smallest RTDS budget / ARINC653 window that would do */
	const char *design_what; /* NULL: none offered */
	struct wcrt_design_result design;
	hv_time_t design_period; /* rtds period or arinc653 major frame */
};

struct wcrt_report {
	const struct scenario *scn;
	struct wcrt_vcpu *vcpus;
	size_t nr_vcpus;
	struct wcrt_item *items;
	size_t nr_items;
	hv_time_t job_overhead, switch_cost, foreign_cost;
};

/*
 * Analyse every vCPU of @scn. Return: 0 and *@out (free with
 * wcrt_report_free()), -ENOMEM, or -EINVAL with a message on @err when a
 * task set cannot be expressed (should not happen for a loaded scenario).
 */
int wcrt_scenario_analyze(const struct scenario *scn, FILE *err,
			  struct wcrt_report **out);
void wcrt_report_free(struct wcrt_report *r);

/* The bound of task @task of domain @domain, or NULL. */
const struct wcrt_item *wcrt_report_task(const struct wcrt_report *r,
					 unsigned int domain,
					 unsigned int task);

enum wcrt_format { WCRT_FORMAT_TEXT, WCRT_FORMAT_JSON, WCRT_FORMAT_MD };

/* Print @r as text, JSON or Markdown (analysis/wcrt_report.c). */
void wcrt_report_print(const struct wcrt_report *r, enum wcrt_format fmt,
		       FILE *out);

#endif /* HV_WCRT_SCENARIO_H */
