/*
 * The report's document walk: one fixed sequence of
 * headings, paragraphs, tables and plots that every document format
 * (report_md.c, report_html.c) renders, so they say the same things in
 * the same order; data formats (report_json.c) serialise the model.
 *
 * Times print exactly from integer ns ("12.345" us); only mean and sd,
 * which are not integers, go through floating point, with a fixed format.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report_private.h"
#include "tracing/trace_events.h"
#include "tracing/trace_decode.h"

/* A table being built; on allocation failure rows are dropped, and the
 * report says so rather than fail after all the analysis. */
struct tbl {
	struct report_table t;
	size_t cap;
	bool short_of_memory;
};

static void tbl_init(struct tbl *b, size_t nr_cols, const char *const *head,
		     const char *align)
{
	memset(b, 0, sizeof(*b));
	b->t.nr_cols = nr_cols;
	b->t.head = head;
	b->t.align = align;
}

static void tbl_row(struct tbl *b, bool alert, const char *const *cells)
{
	size_t n = b->t.nr_cols;

	if (b->t.nr_rows == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		char **c = realloc(b->t.cells, cap * n * sizeof(*c));
		bool *a = c ? realloc(b->t.alert, cap * sizeof(*a)) : NULL;

		if (c)
			b->t.cells = c;
		if (!a) {
			b->short_of_memory = true;
			return;
		}
		b->t.alert = a;
		b->cap = cap;
	}
	for (size_t i = 0; i < n; i++)
		b->t.cells[b->t.nr_rows * n + i] = strdup(cells[i]);
	b->t.alert[b->t.nr_rows++] = alert;
}

static void tbl_free(struct tbl *b)
{
	for (size_t i = 0; i < b->t.nr_rows * b->t.nr_cols; i++)
		free(b->t.cells[i]);
	free(b->t.cells);
	free(b->t.alert);
}

/* Renders the table (unless it has no rows) and frees it. */
static void tbl_emit(const struct report_format *f, FILE *out, struct tbl *b)
{
	for (size_t i = 0; i < b->t.nr_rows * b->t.nr_cols; i++)
		if (!b->t.cells[i])
			b->short_of_memory = true;
	if (b->short_of_memory)
		f->alert(out, "out of memory: a table was left out");
	else if (b->t.nr_rows)
		f->table(out, &b->t);
	tbl_free(b);
}

static void para(const struct report_format *f, FILE *out, bool alert,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void para(const struct report_format *f, FILE *out, bool alert,
		 const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	(alert ? f->alert : f->para)(out, text);
}

static void plots_of(const struct report_format *f, FILE *out,
		     const struct report *rep, const char *section)
{
	for (size_t i = 0; i < rep->nr_plots; i++)
		if (!strcmp(rep->plots[i].section, section))
			f->plot(out, rep, &rep->plots[i]);
}

/* ---- statistics rows ---- */

#define NR_STATS 10
static const char *const stats_head[NR_STATS] = {
    "n", "min", "mean", "sd", "p50", "p90", "p99", "p99.9", "p99.99", "max",
};

/* Cells @cells[0..NR_STATS) of @s in us, from @buf. */
static void stats_cells(const struct metrics_series *s, char buf[][32],
			const char **cells)
{
	const struct stats_result *r = &s->r;
	const uint64_t v[] = {r->min,  r->p50,	 r->p90, r->p99,
			      r->p999, r->p9999, r->max};
	const char *approx = r->exact ? "" : "~";

	snprintf(buf[0], 32, "%llu", (unsigned long long)r->n);
	snprintf(buf[2], 32, "%.3f", r->mean / 1e3);
	snprintf(buf[3], 32, "%.3f", r->sd / 1e3);
	report_us(buf[1], v[0]);
	for (size_t k = 1; k < 6; k++) {
		char us[32];

		snprintf(buf[3 + k], 32, "%s%s", approx, report_us(us, v[k]));
	}
	report_us(buf[9], v[6]);
	for (size_t k = 0; k < NR_STATS; k++)
		cells[k] = r->n ? buf[k] : k ? "-" : "0";
}

/* A table: @key_cols label columns, then the statistics. */
struct stats_tbl {
	struct tbl b;
	const char *head[2 + NR_STATS];
	char align[2 + NR_STATS];
	size_t keys;
};

static void stats_tbl_init(struct stats_tbl *st, const char *k0, const char *k1)
{
	st->keys = k1 ? 2 : 1;
	st->head[0] = k0;
	st->head[1] = k1;
	for (size_t i = 0; i < NR_STATS; i++)
		st->head[st->keys + i] = stats_head[i];
	memset(st->align, 'r', sizeof(st->align));
	st->align[0] = st->align[1] = 'l';
	tbl_init(&st->b, st->keys + NR_STATS, st->head, st->align);
}

static void stats_row(struct stats_tbl *st, const char *k0, const char *k1,
		      const struct metrics_series *s)
{
	char buf[NR_STATS][32];
	const char *cells[2 + NR_STATS];

	cells[0] = k0;
	cells[1] = k1;
	stats_cells(s, buf, cells + st->keys);
	tbl_row(&st->b, false, cells);
}

/* ---- sections ---- */

static void section_run(const struct report_format *f, FILE *out,
			const struct report *rep)
{
	const struct metrics_run *run = rep->run;
	uint64_t us = run->span_ns / 1000 + (run->span_ns % 1000 >= 500);
	char span[32];

	snprintf(span, sizeof(span), "%llu.%06llu",
		 (unsigned long long)(us / 1000000),
		 (unsigned long long)(us % 1000000));
	para(f, out, false,
	     "Run: backend %s, %u pCPUs, trace clock %llu Hz%s, span %s s, "
	     "%llu trace records, %llu lost, %llu malformed. Scenario %s "
	     "(hash 0x%016llx). Every figure below is derived from trace.xt "
	     "alone; the analytical bounds come from scenario.yaml.",
	     hvlab_backend_name(run->backend), run->pcpus,
	     (unsigned long long)run->hz, run->has_header ? "" : " (assumed)",
	     span, (unsigned long long)run->records,
	     (unsigned long long)run->lost, (unsigned long long)run->malformed,
	     report_scenario_name(rep), (unsigned long long)run->scenario_hash);
	if (rep->nr_above)
		para(f, out, true,
		     "BUG: %u observed response time(s) above the analytical "
		     "bound (see \"Analytical bounds\"). A bound is a proof: "
		     "an observation above it means the analysis, its cost "
		     "model or the simulator is wrong.",
		     rep->nr_above);
	if (run->lost)
		para(f, out, true,
		     "%llu trace records were lost: counts and statistics "
		     "below miss them.",
		     (unsigned long long)run->lost);
	if (!rep->wcrt)
		para(f, out, !rep->scn_matches && rep->scn, "Note: %s.",
		     rep->scn_note);
}

static void section_domains(const struct report_format *f, FILE *out,
			    const struct report *rep)
{
	static const char *const head[] = {
	    "domain",	  "id",		 "vCPUs",      "CPU share (%)",
	    "dispatches", "preemptions", "migrations", "IRQs",
	    "jobs",	  "misses",	 "unfinished",
	};
	struct tbl b;

	f->heading(out, 2, "Domains");
	tbl_init(&b, 11, head, "lrrrrrrrrrr");
	for (size_t i = 0; i < metrics_nr_domains(rep->m); i++) {
		const struct metrics_domain *d = metrics_domain_at(rep->m, i);
		char c[10][32];
		const char *cells[11] = {d->name};
		uint64_t jobs = 0, misses = 0, unfinished = 0;

		for (size_t k = 0; k < d->nr_tasks; k++) {
			jobs += d->tasks[k].completed;
			misses += d->tasks[k].misses;
			unfinished += d->tasks[k].unfinished;
		}
		snprintf(c[0], 32, "%u", d->id);
		snprintf(c[1], 32, "%zu", d->nr_vcpus);
		snprintf(c[2], 32, "%u.%02u", d->share_bp / 100,
			 d->share_bp % 100);
		snprintf(c[3], 32, "%llu", (unsigned long long)d->dispatches);
		snprintf(c[4], 32, "%llu", (unsigned long long)d->preemptions);
		snprintf(c[5], 32, "%llu", (unsigned long long)d->migrations);
		snprintf(c[6], 32, "%llu",
			 (unsigned long long)d->irq_latency.r.n);
		snprintf(c[7], 32, "%llu", (unsigned long long)jobs);
		snprintf(c[8], 32, "%llu", (unsigned long long)misses);
		snprintf(c[9], 32, "%llu", (unsigned long long)unfinished);
		for (size_t k = 0; k < 10; k++)
			cells[k + 1] = c[k];
		tbl_row(&b, misses > 0, cells);
	}
	tbl_emit(f, out, &b);
	para(f, out, false,
	     "CPU share is running time over the span, in %% of one pCPU "
	     "(all vCPUs of the domain). A preemption is a vCPU descheduled "
	     "while still runnable; a migration is a vCPU switched in on a "
	     "pCPU other than the one it last ran on.");
}

static void section_irq(const struct report_format *f, FILE *out,
			const struct report *rep, bool response)
{
	struct stats_tbl st;

	f->heading(out, 2,
		   response ? "Interrupt response (raise to handler end, µs)"
			    : "Interrupt latency (raise to handler start, "
			      "µs)");
	stats_tbl_init(&st, "domain", "IRQ");
	for (size_t i = 0; i < metrics_nr_domains(rep->m); i++) {
		const struct metrics_domain *d = metrics_domain_at(rep->m, i);

		if (!d->nr_irqs)
			continue;
		stats_row(&st, d->name,
			  d->nr_irqs == 1 ? d->irqs[0].name : "(all)",
			  response ? &d->irq_response : &d->irq_latency);
		for (size_t k = 0; d->nr_irqs > 1 && k < d->nr_irqs; k++)
			stats_row(&st, d->name, d->irqs[k].name,
				  response ? &d->irqs[k].response
					   : &d->irqs[k].latency);
	}
	if (!st.b.t.nr_rows && !st.b.short_of_memory)
		para(f, out, false, "No interrupts in this run.");
	tbl_emit(f, out, &st.b);
	if (!response)
		plots_of(f, out, rep, "irq");
}

static void section_sched(const struct report_format *f, FILE *out,
			  const struct report *rep)
{
	struct stats_tbl st;

	f->heading(out, 2, "Scheduling latency (runnable to running, µs)");
	stats_tbl_init(&st, "domain", "vCPU");
	for (size_t i = 0; i < metrics_nr_domains(rep->m); i++) {
		const struct metrics_domain *d = metrics_domain_at(rep->m, i);
		char id[16];

		stats_row(&st, d->name, "(all)", &d->sched_latency);
		for (size_t k = 0; d->nr_vcpus > 1 && k < d->nr_vcpus; k++) {
			snprintf(id, sizeof(id), "%u", d->vcpus[k].id);
			stats_row(&st, d->name, id, &d->vcpus[k].sched_latency);
		}
	}
	tbl_emit(f, out, &st.b);
	plots_of(f, out, rep, "sched");
}

static void section_tasks(const struct report_format *f, FILE *out,
			  const struct report *rep)
{
	struct stats_tbl st;
	bool any = false;

	f->heading(out, 2, "Task response times (release to completion, µs)");
	stats_tbl_init(&st, "domain", "task");
	for (size_t i = 0; i < metrics_nr_domains(rep->m); i++) {
		const struct metrics_domain *d = metrics_domain_at(rep->m, i);

		for (size_t k = 0; k < d->nr_tasks; k++, any = true)
			stats_row(&st, d->name, d->tasks[k].name,
				  &d->tasks[k].response);
	}
	if (!any)
		para(f, out, false, "No tasks in this run.");
	tbl_emit(f, out, &st.b);
}

static void section_bounds(const struct report_format *f, FILE *out,
			   const struct report *rep)
{
	static const char *const head[] = {
	    "domain",
	    "kind",
	    "name",
	    "deadline (µs)",
	    "WCRT bound (µs)",
	    "n",
	    "observed max (µs)",
	    "margin (µs)",
	    "verdict",
	};
	struct tbl b;

	f->heading(out, 2, "Analytical bounds beside observed worst cases");
	if (!rep->wcrt) {
		para(f, out, false, "No bounds: %s.", rep->scn_note);
		return;
	}
	para(f, out, false,
	     "Bounds from the WCRT analysis of scenario.yaml (as `hvlab "
	     "wcrt` prints them): task response from release to completion, "
	     "IRQ response from raise to handler end. Observed maxima are "
	     "the same metrics from the trace. Jobs unfinished at the end "
	     "of the run are not observations.");
	tbl_init(&b, 9, head, "lllrrrrrl");
	for (size_t i = 0; i < rep->nr_bounds; i++) {
		const struct report_bound *bd = &rep->bounds[i];
		char c[5][32], over[32], verdict[REPORT_TEXT_LEN + 64];
		const char *cells[9] = {bd->dom_name, bd->irq ? "irq" : "task",
					bd->name};

		report_us(c[0], (uint64_t)bd->deadline_ns);
		if (bd->has_bound)
			report_us(c[1], (uint64_t)bd->bound_ns);
		else
			snprintf(c[1], 32, "-");
		snprintf(c[2], 32, "%llu", (unsigned long long)bd->n);
		if (bd->n)
			report_us(c[3], bd->observed_max_ns);
		else
			snprintf(c[3], 32, "-");
		if (bd->n && bd->has_bound && !bd->above)
			report_us(c[4],
				  (uint64_t)bd->bound_ns - bd->observed_max_ns);
		else if (bd->above)
			snprintf(c[4], 32, "-%s",
				 report_us(over, bd->observed_max_ns -
						     (uint64_t)bd->bound_ns));
		else
			snprintf(c[4], 32, "-");
		report_verdict(bd, verdict, sizeof(verdict));
		for (size_t k = 0; k < 5; k++)
			cells[3 + k] = c[k];
		cells[8] = verdict;
		tbl_row(&b, bd->above, cells);
	}
	tbl_emit(f, out, &b);
}

static void section_vcpus(const struct report_format *f, FILE *out,
			  const struct report *rep)
{
	static const char *const head[] = {
	    "domain",	     "vCPU",	     "CPU share (%)", "running (ms)",
	    "runnable (ms)", "blocked (ms)", "offline (ms)",  "dispatches",
	    "preemptions",   "migrations",   "note",
	};
	struct tbl b;

	f->heading(out, 2, "vCPUs");
	tbl_init(&b, 11, head, "lrrrrrrrrrl");
	for (size_t i = 0; i < metrics_nr_domains(rep->m); i++) {
		const struct metrics_domain *d = metrics_domain_at(rep->m, i);

		for (size_t k = 0; k < d->nr_vcpus; k++) {
			const struct metrics_vcpu *v = &d->vcpus[k];
			char c[9][32];
			const char *cells[11] = {d->name};

			snprintf(c[0], 32, "%u", v->id);
			snprintf(c[1], 32, "%u.%02u", v->share_bp / 100,
				 v->share_bp % 100);
			for (size_t s = 0; s < TRACE_NR_RUNSTATES; s++)
				report_us(c[2 + s], v->runstate_ns[s] / 1000);
			snprintf(c[6], 32, "%llu",
				 (unsigned long long)v->dispatches);
			snprintf(c[7], 32, "%llu",
				 (unsigned long long)v->preemptions);
			snprintf(c[8], 32, "%llu",
				 (unsigned long long)v->migrations);
			for (size_t s = 0; s < 9; s++)
				cells[1 + s] = c[s];
			cells[10] = v->null_waiting
					? "null scheduler had no free pCPU"
					: "";
			tbl_row(&b, v->null_waiting, cells);
		}
	}
	tbl_emit(f, out, &b);
}

static void section_timeline(const struct report_format *f, FILE *out,
			     const struct report *rep)
{
	size_t nr;
	bool truncated;
	char a[32], b[32];

	metrics_timeline(rep->m, &nr, &truncated);
	f->heading(out, 2, "Schedule timeline");
	para(f, out, false,
	     "Window %s to %s ms from the start of the run (hvlab report "
	     "--window START:END): %zu stretches of a vCPU on a pCPU%s.",
	     report_us(a, rep->window_start_ns / 1000),
	     report_us(b, rep->window_end_ns / 1000), nr,
	     truncated ? " (truncated: the window holds more than the "
			 "stretches kept)"
		       : "");
	plots_of(f, out, rep, "timeline");
}

static void pwcet_cell(char *buf, double ns, bool ok)
{
	if (ok)
		snprintf(buf, 32, "%.3f", ns / 1e3);
	else
		snprintf(buf, 32, "-");
}

static void section_pwcet(const struct report_format *f, FILE *out,
			  const struct report *rep)
{
	static const char *const head[] = {
	    "domain",
	    "n",
	    "status",
	    "model",
	    "max observed (µs)",
	    "pWCET 1e-6 (µs)",
	    "pWCET 1e-9 (µs)",
	    "pWCET 1e-12 (µs)",
	    "reason",
	};
	struct tbl b;

	f->heading(out, 2, "pWCET of IRQ latency (extreme value theory)");
	if (!rep->nr_pwcet) {
		para(f, out, false, "No IRQ latency samples, so no pWCET.");
		return;
	}
	para(f, out, false,
	     "Block maxima of each domain's IRQ latencies, in trace order, "
	     "after independence tests; a pWCET value is the latency one "
	     "sample exceeds with the given probability. Numbers are shown "
	     "only when a model was accepted; otherwise the reason says "
	     "which step refused.");
	tbl_init(&b, 9, head, "lrllrrrrl");
	for (size_t i = 0; i < rep->nr_pwcet; i++) {
		const struct report_pwcet *pw = &rep->pwcet[i];
		bool ok = pw->ran && pw->res.status == PWCET_OK;
		char c[6][32];
		const char *cells[9] = {pw->dom->name};

		snprintf(c[0], 32, "%llu",
			 (unsigned long long)pw->dom->irq_latency.r.n);
		report_us(c[1], pw->dom->irq_latency.r.max);
		pwcet_cell(c[2], pw->res.pwcet_1e6, ok);
		pwcet_cell(c[3], pw->res.pwcet_1e9, ok);
		pwcet_cell(c[4], pw->res.pwcet_1e12, ok);
		cells[1] = c[0];
		cells[2] =
		    pw->ran ? pwcet_status_name(pw->res.status) : "skipped";
		cells[3] = ok ? pwcet_model_name(pw->res.model) : "-";
		cells[4] = c[1];
		cells[5] = c[2];
		cells[6] = c[3];
		cells[7] = c[4];
		cells[8] = pw->why;
		tbl_row(&b, false, cells);
	}
	tbl_emit(f, out, &b);
	plots_of(f, out, rep, "pwcet");
}

static void section_method(const struct report_format *f, FILE *out,
			   const struct report *rep)
{
	bool exact = true;

	for (size_t i = 0; i < metrics_nr_domains(rep->m); i++) {
		const struct metrics_domain *d = metrics_domain_at(rep->m, i);

		exact &= d->irq_latency.r.exact && d->irq_response.r.exact &&
			 d->sched_latency.r.exact;
	}
	f->heading(out, 2, "Method");
	para(f, out, false,
	     "Percentiles are nearest-rank: the smallest sample with at least "
	     "that fraction of the samples at or below it, always an observed "
	     "value. sd is the sample standard deviation. %s",
	     exact ? "Every statistic here is exact (all samples kept)."
		   : "Values marked ~ come from a streaming histogram: never "
		     "below the exact value and at most 0.78 % above it.");
	para(f, out, false,
	     "Sources in the trace: IRQ latency and response from "
	     "HVLAB_GUEST_IRQ_ENTRY/EXIT, scheduling latency from "
	     "SWITCH_INFNEXT waited_ns, task response times and misses from "
	     "HVLAB_TASK_COMPLETE, runstate times from RUNSTATE_CHANGE "
	     "(preemption: running to runnable without a YIELD), "
	     "dispatches, migrations and the timeline from SWITCH.");
	if (!rep->plots_wanted)
		para(f, out, false, "Plots were not made (--no-plots).");
	else
		para(f, out, false,
		     "Each plot's data file and gnuplot script are in plots/ "
		     "beside its SVG and PNG; `gnuplot NAME.gp` there redraws "
		     "it.");
}

void report_doc_walk(const struct report_format *f, FILE *out,
		     const struct report *rep)
{
	char title[128];

	snprintf(title, sizeof(title), "hvlab report: %s",
		 report_scenario_name(rep));
	f->begin(out, title);
	f->heading(out, 1, title);
	section_run(f, out, rep);
	section_domains(f, out, rep);
	section_irq(f, out, rep, false);
	section_irq(f, out, rep, true);
	section_sched(f, out, rep);
	section_tasks(f, out, rep);
	section_bounds(f, out, rep);
	section_vcpus(f, out, rep);
	section_timeline(f, out, rep);
	section_pwcet(f, out, rep);
	section_method(f, out, rep);
	f->end(out);
}
