/*
 * "wcrt.bound >= observed": the analysis against the run. One check per
 * task and interrupt handler of the scenario: the worst response the
 * trace shows (release to completion, raise to handler end) must not be
 * above the bound hvlab wcrt gives it. A bound that a run exceeds means
 * the analysis, its cost model or the simulator is wrong, which is what
 * this budget is there to catch in CI.
 *
 * Items without a bound (credit2 guarantees no supply, an overloaded
 * vCPU...) are skipped, not failed: there is nothing to hold them to.
 * But a budget under which every item is skipped checks nothing, and a
 * gate that passes without checking would hide that, so it fails.
 */
#include <inttypes.h>
#include <string.h>

#include "analysis/gate.h"
#include "analysis/wcrt_scenario.h"
#include "scenario/scenario.h"

unsigned int gate_wcrt_checks(const struct scenario *s)
{
	unsigned int n = 1; /* "nothing to check" */

	for (unsigned int d = 0; d < s->nr_domains; d++)
		n += s->domains[d].nr_tasks + s->domains[d].nr_irqs;
	return n;
}

static const struct wcrt_item *find_item(const struct wcrt_report *r,
					 unsigned int domain,
					 enum wcrt_item_kind kind,
					 unsigned int index, size_t *at)
{
	for (size_t i = 0; r && i < r->nr_items; i++) {
		const struct wcrt_item *it = &r->items[i];

		if (it->domain == domain && it->kind == kind &&
		    it->index == index) {
			*at = i;
			return it;
		}
	}
	return NULL;
}

/* Why item number @at of @r has no bound: its vCPU's reason, or the
 * analysis's status. */
static const char *no_bound_reason(const struct wcrt_report *r, size_t at)
{
	for (size_t i = 0; i < r->nr_vcpus; i++) {
		const struct wcrt_vcpu *wv = &r->vcpus[i];

		if (at >= wv->first_item &&
		    at < wv->first_item + wv->nr_items && wv->reason[0])
			return wv->reason;
	}
	return wcrt_status_name(r->items[at].status);
}

/* One task (@kind WCRT_ITEM_TASK) or irq of domain @d into @v. */
static void check_item(const struct scenario *s, const struct gate_trace *t,
		       const struct wcrt_report *r, unsigned int d,
		       enum wcrt_item_kind kind, unsigned int index,
		       struct gate_verdict *v)
{
	const struct scn_domain *sd = &s->domains[d];
	const char *name = kind == WCRT_ITEM_TASK ? sd->tasks[index].name
						  : sd->irqs[index].name;
	const struct wcrt_item *it;
	size_t at = 0;

	snprintf(v->name, sizeof(v->name), "wcrt.bound.%s.%s", sd->name, name);
	snprintf(v->classname, sizeof(v->classname), "%s", sd->name);
	snprintf(v->what, sizeof(v->what), "%s %s of %s",
		 kind == WCRT_ITEM_TASK ? "task" : "irq", name, sd->name);
	if (kind == WCRT_ITEM_TASK) {
		struct gate_jobs jobs;

		gate_trace_jobs(t, d, index, &jobs);
		v->n = jobs.completed;
		v->observed = jobs.max_response;
	} else {
		struct gate_irqs irqs;

		gate_trace_irqs(t, d, index, &irqs);
		v->n = irqs.handled;
		v->observed = irqs.max_response;
	}
	it = find_item(r, d, kind, index, &at);
	if (!it || it->status != WCRT_OK) {
		v->status = GATE_SKIPPED;
		snprintf(v->note, sizeof(v->note), "skipped: no WCRT bound: %s",
			 it ? no_bound_reason(r, at) : "not analysed");
		return;
	}
	v->limit = (uint64_t)it->bound;
	if (!v->n)
		v->status = GATE_NO_SAMPLES;
	else
		v->status = v->observed > v->limit ? GATE_FAIL : GATE_PASS;
}

unsigned int gate_check_wcrt(const struct scenario *s,
			     const struct gate_trace *t,
			     const struct scn_budget *b,
			     const struct wcrt_report *wcrt,
			     struct gate_verdict *out)
{
	unsigned int n = 0, bounded = 0;

	for (unsigned int d = 0; d < s->nr_domains; d++) {
		const struct scn_domain *sd = &s->domains[d];

		for (unsigned int k = 0; k < sd->nr_tasks + sd->nr_irqs; k++) {
			struct gate_verdict *v = &out[n++];
			bool task = k < sd->nr_tasks;

			memset(v, 0, sizeof(*v));
			v->budget = b;
			check_item(s, t, wcrt, d,
				   task ? WCRT_ITEM_TASK : WCRT_ITEM_IRQ,
				   task ? k : k - sd->nr_tasks, v);
			bounded += v->status != GATE_SKIPPED;
		}
	}
	if (bounded)
		return n;
	memset(&out[n], 0, sizeof(out[n]));
	out[n].budget = b;
	out[n].status = GATE_NOTHING;
	snprintf(out[n].name, sizeof(out[n].name), "wcrt.bound");
	snprintf(out[n].classname, sizeof(out[n].classname), "all");
	if (n)
		snprintf(out[n].note, sizeof(out[n].note),
			 "nothing to check: none of the %u tasks and "
			 "interrupt handlers has a WCRT bound",
			 n);
	else
		snprintf(out[n].note, sizeof(out[n].note),
			 "nothing to check: the scenario has no tasks and no "
			 "interrupt handlers");
	return n + 1;
}
