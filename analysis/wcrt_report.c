/*
 * The WCRT report in three formats (text, JSON, Markdown), one ops table
 * each and one driver walking the report in a fixed order, so every format
 * says the same thing. Times print exactly (integer ns, scaled).
 */
#include <stdio.h>
#include <string.h>

#include "analysis/json.h"
#include "analysis/wcrt_scenario.h"
#include "scenario/scenario.h"

struct wcrt_out_ops {
	void (*begin)(const struct wcrt_report *r, FILE *out);
	void (*vcpu)(const struct wcrt_report *r, const struct wcrt_vcpu *v,
		     FILE *out);
	void (*item)(const struct wcrt_report *r, const struct wcrt_vcpu *v,
		     const struct wcrt_item *it, bool first, FILE *out);
	void (*vcpu_end)(const struct wcrt_report *r, const struct wcrt_vcpu *v,
			 bool last, FILE *out);
	void (*end)(const struct wcrt_report *r, FILE *out);
};

/* Exact and readable: ns below 1 us, else us or ms with ns precision. */
static const char *t(hv_time_t ns, char buf[32])
{
	if (ns < 1000)
		snprintf(buf, 32, "%lld ns", (long long)ns);
	else if (ns < 1000000)
		snprintf(buf, 32, "%lld.%03lld us", (long long)(ns / 1000),
			 (long long)(ns % 1000));
	else
		snprintf(buf, 32, "%lld.%06lld ms", (long long)(ns / 1000000),
			 (long long)(ns % 1000000));
	return buf;
}

static const char *dom_name(const struct wcrt_report *r, unsigned int d)
{
	return r->scn->domains[d].name;
}

static const char *kind_name(const struct wcrt_item *it)
{
	return it->kind == WCRT_ITEM_IRQ ? "irq" : "task";
}

static const char *method_of(const struct wcrt_vcpu *v)
{
	if (v->edf_method && supply_guaranteed(&v->supply))
		return v->edf_method;
	return supply_guaranteed(&v->supply)
		   ? "fixed-priority RTA (jitter, blocking, arbitrary "
		     "deadlines) on the supply bound function"
		   : "none: no guaranteed supply";
}

/* ---- text ---- */

static void text_begin(const struct wcrt_report *r, FILE *out)
{
	char a[32], b[32], c[32];

	fprintf(out,
		"wcrt: scenario %s (%s)\n"
		"costs charged: per job %s, per switch-in %s, per foreign "
		"event %s\n",
		r->scn->name, r->scn->path, t(r->job_overhead, a),
		t(r->switch_cost, b), t(r->foreign_cost, c));
}

static void text_vcpu(const struct wcrt_report *r, const struct wcrt_vcpu *v,
		      FILE *out)
{
	fprintf(out, "\ndomain %s vcpu %u (%s", dom_name(r, v->domain), v->vcpu,
		v->sched);
	if (v->pcpu >= 0)
		fprintf(out, ", pCPU %d", v->pcpu);
	fprintf(out, ")\n  supply: %s\n", v->supply_desc);
	if (v->edf_method && supply_guaranteed(&v->supply))
		fprintf(out,
			"  guest EDF: %s; a schedulable task's bound is "
			"its deadline\n",
			v->edf_method);
	if (!supply_guaranteed(&v->supply))
		fprintf(out, "  no bound: %s\n", v->reason);
	if (v->has_approx)
		fprintf(out, "  approximation (labelled): periodic resource "
			     "PRM(major frame, window total)\n");
	if (!v->nr_items)
		fprintf(out, "  no tasks or interrupts\n");
}

static void text_item(const struct wcrt_report *r, const struct wcrt_vcpu *v,
		      const struct wcrt_item *it, bool first, FILE *out)
{
	char a[32], b[32], c[32], d[32];

	(void)r, (void)v, (void)first;
	fprintf(out, "  %-4s %-14s C %s (+%s)  T %s  D %s  ", kind_name(it),
		it->name, t(it->wcet, a), t(it->inflated - it->wcet, b),
		t(it->period, c), t(it->deadline, d));
	if (it->status == WCRT_OK)
		fprintf(out, "bound %s  %s", t(it->bound, a),
			it->met ? "met" : "MISSED");
	else
		fprintf(out, "no bound (%s)", wcrt_status_name(it->status));
	if (it->has_approx) {
		if (it->approx_status == WCRT_OK)
			fprintf(out, "  [PRM approx. %s]",
				t(it->approx_bound, a));
		else
			fprintf(out, "  [PRM approx. %s]",
				wcrt_status_name(it->approx_status));
	}
	fputc('\n', out);
}

static void text_vcpu_end(const struct wcrt_report *r,
			  const struct wcrt_vcpu *v, bool last, FILE *out)
{
	(void)r, (void)last;
	if (!v->nr_items || !supply_guaranteed(&v->supply))
		return;
	fprintf(out, "  verdict: %s\n",
		v->schedulable ? "every deadline met" : "deadline(s) missed");
	if (v->design_what && v->design.found)
		fprintf(out,
			"  smallest %s that meets every deadline: %lld us\n",
			v->design_what, (long long)v->design.value_us);
	else if (v->design_what)
		fprintf(out, "  no %s meets every deadline (%s)\n",
			v->design_what, wcrt_status_name(v->design.status));
}

static const struct wcrt_out_ops text_ops = {
    .begin = text_begin,
    .vcpu = text_vcpu,
    .item = text_item,
    .vcpu_end = text_vcpu_end,
};

/* ---- JSON ---- */

static void json_begin(const struct wcrt_report *r, FILE *out)
{
	fprintf(out, "{\n  \"version\": 1,\n  \"scenario\": ");
	json_put_string(out, r->scn->name);
	fprintf(out, ",\n  \"path\": ");
	json_put_string(out, r->scn->path);
	fprintf(out,
		",\n  \"costs_ns\": {\"per_job\": %lld, \"per_switch_in\": "
		"%lld, \"per_foreign_event\": %lld},\n  \"vcpus\": [",
		(long long)r->job_overhead, (long long)r->switch_cost,
		(long long)r->foreign_cost);
}

static void json_vcpu(const struct wcrt_report *r, const struct wcrt_vcpu *v,
		      FILE *out)
{
	fprintf(out, "%s\n    {\"domain\": ", v == r->vcpus ? "" : ",");
	json_put_string(out, dom_name(r, v->domain));
	fprintf(out, ", \"vcpu\": %u, \"scheduler\": ", v->vcpu);
	json_put_string(out, v->sched);
	fprintf(out, ", \"pcpu\": %d, \"supply\": ", v->pcpu);
	json_put_string(out, v->supply_desc);
	fprintf(out, ", \"guaranteed\": %s, \"method\": ",
		supply_guaranteed(&v->supply) ? "true" : "false");
	json_put_string(out, method_of(v));
	if (!supply_guaranteed(&v->supply)) {
		fprintf(out, ", \"reason\": ");
		json_put_string(out, v->reason);
	}
	fprintf(out, ",\n     \"items\": [");
}

static void json_item(const struct wcrt_report *r, const struct wcrt_vcpu *v,
		      const struct wcrt_item *it, bool first, FILE *out)
{
	(void)r, (void)v;
	fprintf(out,
		"%s\n       {\"kind\": \"%s\", \"name\": ", first ? "" : ",",
		kind_name(it));
	json_put_string(out, it->name);
	fprintf(
	    out,
	    ", \"wcet_ns\": %lld, \"charged_ns\": %lld, \"period_ns\": "
	    "%lld, \"deadline_ns\": %lld, \"status\": \"%s\", \"bound_ns\": ",
	    (long long)it->wcet, (long long)it->inflated, (long long)it->period,
	    (long long)it->deadline, wcrt_status_name(it->status));
	if (it->status == WCRT_OK)
		fprintf(out, "%lld", (long long)it->bound);
	else
		fprintf(out, "null");
	fprintf(out, ", \"deadline_met\": %s", it->met ? "true" : "false");
	if (it->has_approx) {
		fprintf(out,
			", \"approximation\": {\"model\": \"periodic "
			"resource PRM(major frame, window total)\", "
			"\"status\": \"%s\", \"bound_ns\": ",
			wcrt_status_name(it->approx_status));
		if (it->approx_status == WCRT_OK)
			fprintf(out, "%lld}", (long long)it->approx_bound);
		else
			fprintf(out, "null}");
	}
	fputc('}', out);
}

static void json_vcpu_end(const struct wcrt_report *r,
			  const struct wcrt_vcpu *v, bool last, FILE *out)
{
	(void)r, (void)last;
	fprintf(out, "],\n     \"schedulable\": %s",
		v->nr_items && supply_guaranteed(&v->supply) && v->schedulable
		    ? "true"
		    : "false");
	if (v->design_what) {
		fprintf(out, ", \"design\": {\"what\": ");
		json_put_string(out, v->design_what);
		if (v->design.found)
			fprintf(out, ", \"value_us\": %lld}",
				(long long)v->design.value_us);
		else
			fprintf(out, ", \"value_us\": null}");
	}
	fputc('}', out);
}

static void json_end(const struct wcrt_report *r, FILE *out)
{
	(void)r;
	fprintf(out, "\n  ]\n}\n");
}

static const struct wcrt_out_ops json_ops = {
    .begin = json_begin,
    .vcpu = json_vcpu,
    .item = json_item,
    .vcpu_end = json_vcpu_end,
    .end = json_end,
};

/* ---- Markdown ---- */

static void md_begin(const struct wcrt_report *r, FILE *out)
{
	char a[32], b[32], c[32];

	fprintf(out,
		"# WCRT bounds: %s\n\nScenario `%s`. Hypervisor costs "
		"charged: %s per job, %s per switch-in, %s per foreign "
		"event.\n",
		r->scn->name, r->scn->path, t(r->job_overhead, a),
		t(r->switch_cost, b), t(r->foreign_cost, c));
}

static void md_vcpu(const struct wcrt_report *r, const struct wcrt_vcpu *v,
		    FILE *out)
{
	fprintf(out, "\n## %s vCPU %u (%s)\n\nSupply: %s.",
		dom_name(r, v->domain), v->vcpu, v->sched, v->supply_desc);
	if (!supply_guaranteed(&v->supply))
		fprintf(out, " **No bound**: %s.", v->reason);
	fprintf(out, "\n\n");
	if (v->nr_items)
		fprintf(out,
			"| kind | name | C | charged | T | D | bound | "
			"deadline |%s\n|---|---|---|---|---|---|---|---|%s\n",
			v->has_approx ? " PRM approximation |" : "",
			v->has_approx ? "---|" : "");
}

static void md_item(const struct wcrt_report *r, const struct wcrt_vcpu *v,
		    const struct wcrt_item *it, bool first, FILE *out)
{
	char a[32], b[32], c[32], d[32], e[32];

	(void)r, (void)first;
	fprintf(out, "| %s | %s | %s | %s | %s | %s | %s | %s |", kind_name(it),
		it->name, t(it->wcet, a), t(it->inflated, b), t(it->period, c),
		t(it->deadline, d),
		it->status == WCRT_OK ? t(it->bound, e)
				      : wcrt_status_name(it->status),
		it->status != WCRT_OK ? "no bound"
		: it->met	      ? "met"
				      : "**missed**");
	if (v->has_approx)
		fprintf(out, " %s |",
			it->approx_status == WCRT_OK
			    ? t(it->approx_bound, a)
			    : wcrt_status_name(it->approx_status));
	fputc('\n', out);
}

static void md_vcpu_end(const struct wcrt_report *r, const struct wcrt_vcpu *v,
			bool last, FILE *out)
{
	(void)r, (void)last;
	if (v->design_what && v->design.found)
		fprintf(out,
			"\nSmallest %s that meets every deadline: %lld us.\n",
			v->design_what, (long long)v->design.value_us);
}

static const struct wcrt_out_ops md_ops = {
    .begin = md_begin,
    .vcpu = md_vcpu,
    .item = md_item,
    .vcpu_end = md_vcpu_end,
};

void wcrt_report_print(const struct wcrt_report *r, enum wcrt_format fmt,
		       FILE *out)
{
	const struct wcrt_out_ops *ops = fmt == WCRT_FORMAT_JSON ? &json_ops
					 : fmt == WCRT_FORMAT_MD ? &md_ops
								 : &text_ops;

	ops->begin(r, out);
	for (size_t i = 0; i < r->nr_vcpus; i++) {
		const struct wcrt_vcpu *v = &r->vcpus[i];

		ops->vcpu(r, v, out);
		for (size_t k = 0; k < v->nr_items; k++)
			ops->item(r, v, &r->items[v->first_item + k], k == 0,
				  out);
		ops->vcpu_end(r, v, i + 1 == r->nr_vcpus, out);
	}
	if (ops->end)
		ops->end(r, out);
}
