/*
 * The report as JSON: report.json, the model serialised for scripts
 * (and for `hvlab compare` / `hvlab gate`). Times are integer ns; mean
 * and sd are ns with 3 decimals; a value that does not exist (no sample,
 * no bound, a pWCET that was refused) is null, never 0. Keys keep their
 * order, so the same run gives the same bytes.
 */
#include <math.h>
#include <stdio.h>

#include "analysis/json.h"
#include "analysis/report_private.h"
#include "tracing/trace_events.h"
#include "tracing/trace_decode.h"

static void js_key(FILE *out, const char *ind, const char *key)
{
	fprintf(out, "%s\"%s\": ", ind, key);
}

static void js_u64(FILE *out, uint64_t v)
{
	fprintf(out, "%llu", (unsigned long long)v);
}

/* @v with @decimals places, or null when it is not a number. */
static void js_double(FILE *out, double v, int decimals)
{
	if (isfinite(v))
		fprintf(out, "%.*f", decimals, v);
	else
		fputs("null", out);
}

static const char *js_bool(bool b)
{
	return b ? "true" : "false";
}

static void js_stats(FILE *out, const struct metrics_series *s)
{
	const struct stats_result *r = &s->r;
	const char *names[] = {"min",	"p50",	  "p90", "p99",
			       "p99.9", "p99.99", "max"};
	const uint64_t v[] = {r->min,  r->p50,	 r->p90, r->p99,
			      r->p999, r->p9999, r->max};

	fprintf(out, "{\"n\": %llu", (unsigned long long)r->n);
	for (size_t i = 0; i < 7; i++) {
		fprintf(out, ", \"%s\": ", names[i]);
		if (r->n)
			js_u64(out, v[i]);
		else
			fputs("null", out);
		if (i)
			continue;
		fputs(", \"mean\": ", out);
		js_double(out, r->n ? r->mean : NAN, 3);
		fputs(", \"sd\": ", out);
		js_double(out, r->n ? r->sd : NAN, 3);
	}
	fprintf(out, ", \"exact\": %s, \"rel_error\": %g}", js_bool(r->exact),
		r->rel_error);
}

static void js_share(FILE *out, uint32_t bp)
{
	fprintf(out, "%u.%02u", bp / 100, bp % 100);
}

static void js_pwcet(FILE *out, const struct report_pwcet *pw)
{
	const struct pwcet_result *r = &pw->res;
	bool ok = pw->ran && r->status == PWCET_OK;

	fprintf(out, "{\"status\": \"%s\", \"reason\": ",
		pw->ran ? pwcet_status_name(r->status) : "skipped");
	json_put_string(out, pw->why);
	fprintf(out, ", \"n\": %zu, \"block\": %zu, \"blocks\": %zu",
		pw->ran ? r->n : 0, pw->ran ? r->block : 0,
		pw->ran ? r->nr_blocks : 0);
	fprintf(out, ", \"model\": ");
	if (ok)
		json_put_string(out, pwcet_model_name(r->model));
	else
		fputs("null", out);
	fputs(", \"pwcet_ns\": ", out);
	if (ok) {
		fputs("{\"1e-6\": ", out);
		js_double(out, r->pwcet_1e6, 1);
		fputs(", \"1e-9\": ", out);
		js_double(out, r->pwcet_1e9, 1);
		fputs(", \"1e-12\": ", out);
		js_double(out, r->pwcet_1e12, 1);
		fputs("}, \"curve\": [", out);
		for (size_t i = 0; i < r->nr_curve; i++) {
			fprintf(out, "%s{\"p_run\": %.3g, \"value_ns\": ",
				i ? ", " : "", r->curve[i].p_run);
			js_double(out, r->curve[i].value, 1);
			fputc('}', out);
		}
		fputc(']', out);
	} else {
		fputs("null, \"curve\": null", out);
	}
	fputc('}', out);
}

static void js_vcpu(FILE *out, const struct metrics_vcpu *v)
{
	fprintf(out, "{\"id\": %u, \"cpu_share_pct\": ", v->id);
	js_share(out, v->share_bp);
	fputs(", \"runstate_ns\": {", out);
	for (unsigned int s = 0; s < TRACE_NR_RUNSTATES; s++)
		fprintf(out, "%s\"%s\": %llu", s ? ", " : "",
			trace_runstate_name(s),
			(unsigned long long)v->runstate_ns[s]);
	fprintf(out,
		"}, \"dispatches\": %llu, \"preemptions\": %llu, "
		"\"migrations\": %llu, \"null_waiting\": %s, "
		"\"sched_latency_ns\": ",
		(unsigned long long)v->dispatches,
		(unsigned long long)v->preemptions,
		(unsigned long long)v->migrations, js_bool(v->null_waiting));
	js_stats(out, &v->sched_latency);
	fputc('}', out);
}

static void js_task(FILE *out, const struct metrics_task *t)
{
	fprintf(out, "{\"index\": %u, \"name\": ", t->index);
	json_put_string(out, t->name);
	fprintf(out,
		", \"vcpu\": %u, \"period_ns\": %u, \"deadline_ns\": %llu, "
		"\"priority\": %u, \"released\": %llu, \"completed\": %llu, "
		"\"misses\": %llu, \"unfinished\": %llu, \"response_ns\": ",
		t->vcpu, t->period_ns, (unsigned long long)t->deadline_ns,
		t->priority, (unsigned long long)t->released,
		(unsigned long long)t->completed, (unsigned long long)t->misses,
		(unsigned long long)t->unfinished);
	js_stats(out, &t->response);
	fputc('}', out);
}

static void js_domain(FILE *out, const struct report *rep,
		      const struct metrics_domain *d)
{
	fprintf(out, "    {\"id\": %u, \"name\": ", d->id);
	json_put_string(out, d->name);
	fprintf(out, ", \"nr_vcpus\": %zu, \"cpu_share_pct\": ", d->nr_vcpus);
	js_share(out, d->share_bp);
	fprintf(out,
		", \"running_ns\": %llu, \"dispatches\": %llu, "
		"\"preemptions\": %llu, \"migrations\": %llu,\n",
		(unsigned long long)d->running_ns,
		(unsigned long long)d->dispatches,
		(unsigned long long)d->preemptions,
		(unsigned long long)d->migrations);
	js_key(out, "     ", "irq_latency_ns");
	js_stats(out, &d->irq_latency);
	js_key(out, ",\n     ", "irq_response_ns");
	js_stats(out, &d->irq_response);
	js_key(out, ",\n     ", "sched_latency_ns");
	js_stats(out, &d->sched_latency);
	js_key(out, ",\n     ", "irqs");
	fputc('[', out);
	for (size_t k = 0; k < d->nr_irqs; k++) {
		fprintf(out, "%s{\"index\": %u, \"name\": ",
			k ? ",\n      " : "\n      ", d->irqs[k].index);
		json_put_string(out, d->irqs[k].name);
		fputs(", \"latency_ns\": ", out);
		js_stats(out, &d->irqs[k].latency);
		fputs(", \"response_ns\": ", out);
		js_stats(out, &d->irqs[k].response);
		fputc('}', out);
	}
	js_key(out, "],\n     ", "tasks");
	fputc('[', out);
	for (size_t k = 0; k < d->nr_tasks; k++) {
		fputs(k ? ",\n      " : "\n      ", out);
		js_task(out, &d->tasks[k]);
	}
	js_key(out, "],\n     ", "vcpus");
	fputc('[', out);
	for (size_t k = 0; k < d->nr_vcpus; k++) {
		fputs(k ? ",\n      " : "\n      ", out);
		js_vcpu(out, &d->vcpus[k]);
	}
	js_key(out, "],\n     ", "pwcet");
	for (size_t k = 0; k < rep->nr_pwcet; k++)
		if (rep->pwcet[k].dom == d) {
			js_pwcet(out, &rep->pwcet[k]);
			fputc('}', out);
			return;
		}
	fputs("null}", out);
}

static void js_bound(FILE *out, const struct report_bound *b)
{
	char verdict[REPORT_TEXT_LEN + 64];

	fputs("    {\"domain\": ", out);
	json_put_string(out, b->dom_name);
	fprintf(out,
		", \"domain_id\": %u, \"kind\": \"%s\", \"name\": ", b->dom_id,
		b->irq ? "irq" : "task");
	json_put_string(out, b->name);
	fprintf(out, ", \"index\": %u, \"deadline_ns\": %lld, \"bound_ns\": ",
		b->index, (long long)b->deadline_ns);
	if (b->has_bound)
		fprintf(out, "%lld", (long long)b->bound_ns);
	else
		fputs("null", out);
	fputs(", \"no_bound_reason\": ", out);
	if (b->has_bound)
		fputs("null", out);
	else
		json_put_string(out, b->why);
	fprintf(out, ", \"n\": %llu, \"observed_max_ns\": ",
		(unsigned long long)b->n);
	if (b->n)
		js_u64(out, b->observed_max_ns);
	else
		fputs("null", out);
	report_verdict(b, verdict, sizeof(verdict));
	fprintf(out, ", \"above_bound\": %s, \"verdict\": ", js_bool(b->above));
	json_put_string(out, verdict);
	fputc('}', out);
}

static void js_plots(FILE *out, const struct report *rep)
{
	fputs("  \"plots\": [", out);
	for (size_t i = 0; i < rep->nr_plots; i++) {
		const struct report_plot *p = &rep->plots[i];
		const char *n = p->name;

		fprintf(out,
			"%s    {\"name\": \"%s\", \"section\": \"%s\", "
			"\"title\": ",
			i ? ",\n" : "\n", n, p->section);
		json_put_string(out, p->title);
		fprintf(out,
			", \"status\": \"%s\", \"files\": "
			"{\"data\": \"plots/%s.dat\", \"script\": "
			"\"plots/%s.gp\", \"svg\": \"plots/%s.svg\", "
			"\"png\": \"plots/%s.png\"}}",
			p->status >= 0 ? plot_status_name(p->status) : "error",
			n, n, n, n);
	}
	fputs("]\n", out);
}

static void json_write(FILE *out, const struct report *rep)
{
	const struct metrics_run *run = rep->run;
	size_t nr_segs;
	bool truncated;

	metrics_timeline(rep->m, &nr_segs, &truncated);
	fputs("{\n  \"format\": \"hvlab-report\",\n  \"version\": 1,\n", out);
	fputs("  \"scenario\": {\"name\": ", out);
	if (rep->scn)
		json_put_string(out, report_scenario_name(rep));
	else
		fputs("null", out);
	fprintf(out, ", \"matches_trace\": %s, \"bounds\": %s, \"note\": ",
		js_bool(rep->scn_matches), js_bool(rep->wcrt != NULL));
	json_put_string(out, rep->scn_note);
	fprintf(out,
		"},\n  \"run\": {\"backend\": \"%s\", \"has_header\": %s, "
		"\"pcpus\": %u, \"hz\": %llu, \"scenario_hash\": "
		"\"0x%016llx\", \"span_ns\": %llu, \"records\": %llu, "
		"\"lost\": %llu, \"malformed\": %llu},\n",
		hvlab_backend_name(run->backend), js_bool(run->has_header),
		run->pcpus, (unsigned long long)run->hz,
		(unsigned long long)run->scenario_hash,
		(unsigned long long)run->span_ns,
		(unsigned long long)run->records, (unsigned long long)run->lost,
		(unsigned long long)run->malformed);
	fprintf(out, "  \"above_bound\": %u,\n  \"domains\": [", rep->nr_above);
	for (size_t i = 0; i < metrics_nr_domains(rep->m); i++) {
		fputs(i ? ",\n" : "\n", out);
		js_domain(out, rep, metrics_domain_at(rep->m, i));
	}
	fputs("],\n  \"bounds\": [", out);
	for (size_t i = 0; i < rep->nr_bounds; i++) {
		fputs(i ? ",\n" : "\n", out);
		js_bound(out, &rep->bounds[i]);
	}
	fprintf(out,
		"],\n  \"timeline\": {\"window_start_ns\": %llu, "
		"\"window_end_ns\": %llu, \"segments\": %zu, \"truncated\": "
		"%s},\n",
		(unsigned long long)rep->window_start_ns,
		(unsigned long long)rep->window_end_ns, nr_segs,
		js_bool(truncated));
	js_plots(out, rep);
	fputs("}\n", out);
}

const struct report_format report_json_format = {
    .file = "report.json",
    .write = json_write,
};
