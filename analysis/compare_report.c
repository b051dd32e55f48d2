/*
 * hvlab compare's reports: compare.md for people, compare.json for tools.
 * Both print the struct compare that compare.c filled, in the same order
 * (schedulers as asked for; domains, tasks and irqs as in the scenario),
 * with integers only (times in ns, shown in us with three decimals in
 * Markdown), so the files are the same on every host.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "analysis/compare.h"
#include "analysis/json.h"
#include "scenario/scenario.h"

/* Verdict lines list at most this many problems per scheduler. */
#define MAX_LISTED 6

static const char *dom_name(const struct compare *c, unsigned int d)
{
	return c->base->domains[d].name;
}

/* ---- Markdown ---------------------------------------------------------- */

static void md_us(FILE *out, uint64_t ns)
{
	char buf[32];

	stats_format_us(ns, buf, sizeof(buf));
	fputs(buf, out);
}

static void md_header(const struct compare *c, FILE *out)
{
	const struct scenario *s = c->base;
	char dur[32];

	scn_format_time(s->duration, dur, sizeof(dur));
	fprintf(out,
		"# hvlab compare: %s\n\n"
		"Scenario `%s` (seed %" PRIu64 ", %s simulated), run once "
		"per scheduler with every cpupool switched to it; each "
		"scheduler's parameters come from the scenario's `variants:` "
		"section (docs/compare.md). Each run's files are in "
		"`<scheduler>/`: `trace.xt`, `summary.txt`, `wcrt.txt` and "
		"`scenario.yaml`, which `hvlab run <scheduler>/scenario.yaml "
		"--out DIR` runs again exactly.\n\n",
		s->name, s->path, s->seed, dur);
}

static const char *observed_word(const struct compare_run *r)
{
	return !r->ran ? "not run" : r->observed_ok ? "met" : "missed";
}

static const char *analytical_word(const struct compare_run *r)
{
	bool unbounded = false;

	if (!r->ran)
		return "not run";
	if (r->analytical_ok)
		return "met";
	for (size_t i = 0; i < r->nr_items; i++)
		unbounded |= r->items[i].status != WCRT_OK;
	return unbounded ? "not guaranteed" : "bound misses";
}

/* "; " between the problems of one verdict line, and their count. */
struct lister {
	FILE *out;
	unsigned int shown, more;
};

static bool list_next(struct lister *l)
{
	if (l->shown == MAX_LISTED) {
		l->more++;
		return false;
	}
	fputs(l->shown++ ? "; " : "", l->out);
	return true;
}

static void md_item_name(const struct compare *c, const struct compare_item *it,
			 FILE *out)
{
	fprintf(out, "%s/%s%s", dom_name(c, it->domain), it->irq ? "irq " : "",
		it->name);
}

/* Observed misses, or bounds above their deadlines. */
static void md_misses(const struct compare *c, const struct compare_run *r,
		      bool analytical, struct lister *l)
{
	for (size_t i = 0; i < r->nr_items; i++) {
		const struct compare_item *it = &r->items[i];
		bool bad = analytical ? it->status == WCRT_OK && !it->bound_met
				      : it->misses != 0;

		if (!bad || !list_next(l))
			continue;
		md_item_name(c, it, l->out);
		if (!analytical) {
			fprintf(l->out, " %" PRIu64 " missed", it->misses);
			continue;
		}
		fputs(" bound ", l->out);
		md_us(l->out, (uint64_t)it->bound);
		fputs(" us > deadline ", l->out);
		md_us(l->out, (uint64_t)it->deadline);
		fputs(" us", l->out);
	}
}

/* Items without a bound, grouped by reason: "no bound for a, b (why)". */
static void md_unbounded(const struct compare *c, const struct compare_run *r,
			 struct lister *l)
{
	for (size_t i = 0; i < r->nr_items; i++) {
		const struct compare_item *it = &r->items[i];
		bool seen = false, first = true;

		if (it->status == WCRT_OK)
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = r->items[k].status != WCRT_OK &&
			       !strcmp(r->items[k].why, it->why);
		if (seen || !list_next(l))
			continue;
		fputs("no bound for ", l->out);
		for (size_t k = i; k < r->nr_items; k++) {
			if (r->items[k].status == WCRT_OK ||
			    strcmp(r->items[k].why, it->why))
				continue;
			fputs(first ? "" : ", ", l->out);
			md_item_name(c, &r->items[k], l->out);
			first = false;
		}
		fprintf(l->out, " (%s)", it->why);
	}
}

static void md_problems(const struct compare *c, const struct compare_run *r,
			bool analytical, FILE *out)
{
	struct lister l = {.out = out};

	md_misses(c, r, analytical, &l);
	if (analytical)
		md_unbounded(c, r, &l);
	if (l.more)
		fprintf(out, "; and %u more", l.more);
}

static void md_verdicts(const struct compare *c, FILE *out)
{
	fputs("## Verdict\n\n"
	      "| scheduler | observed deadlines | analytical (WCRT) | every "
	      "deadline |\n| --- | --- | --- | --- |\n",
	      out);
	for (size_t i = 0; i < c->nr_runs; i++) {
		const struct compare_run *r = &c->runs[i];

		fprintf(out, "| %s | %s | %s | %s |\n", r->sched,
			observed_word(r), analytical_word(r),
			compare_meets_all(r) ? "**yes**" : "no");
	}
	fputc('\n', out);
	for (size_t i = 0; i < c->nr_runs; i++) {
		const struct compare_run *r = &c->runs[i];

		fprintf(out, "- **%s**: ", r->sched);
		if (!r->ran) {
			fprintf(out, "not run: %s\n", r->reason);
			continue;
		}
		if (compare_meets_all(r)) {
			fputs("meets every deadline, observed and "
			      "analytical.\n",
			      out);
			continue;
		}
		fputs("does not meet every deadline.", out);
		if (!r->observed_ok) {
			fputs(" Observed: ", out);
			md_problems(c, r, false, out);
			fputc('.', out);
		}
		if (!r->analytical_ok) {
			fputs(" Analytical: ", out);
			md_problems(c, r, true, out);
			fputc('.', out);
		}
		fputc('\n', out);
	}
	fputc('\n', out);
}

static void md_table_head(const struct compare *c, const char *first,
			  const char *second, FILE *out)
{
	fprintf(out, "| %s | %s |", first, second);
	for (size_t i = 0; i < c->nr_runs; i++)
		fprintf(out, " %s |", c->runs[i].sched);
	fputs("\n| --- | --- |", out);
	for (size_t i = 0; i < c->nr_runs; i++)
		fputs(" ---: |", out);
	fputc('\n', out);
}

enum md_row {
	ROW_LAT_P50,
	ROW_LAT_P99,
	ROW_LAT_MAX,
	ROW_RESP_P99,
	ROW_RESP_MAX,
	ROW_SCHED_P99,
	ROW_SCHED_MAX,
	ROW_SHARE,
	ROW_WAITING,
	ROW_NR
};

static const char *const row_names[ROW_NR] = {
    "irq latency p50",	 "irq latency p99",  "irq latency max",
    "irq response p99",	 "irq response max", "sched latency p99",
    "sched latency max", "cpu share (%)",    "vCPUs left waiting",
};

static void md_cell(const struct compare_domain *cd, enum md_row row, FILE *out)
{
	const struct stats_result *r = row <= ROW_LAT_MAX ? &cd->irq_latency
				       : row <= ROW_RESP_MAX
					   ? &cd->irq_response
					   : &cd->sched_latency;
	static const bool p99[ROW_NR] = {[ROW_LAT_P99] = true,
					 [ROW_RESP_P99] = true,
					 [ROW_SCHED_P99] = true};

	if (row == ROW_SHARE) {
		fprintf(out, " %u.%02u |", cd->share_bp / 100,
			cd->share_bp % 100);
		return;
	}
	if (row == ROW_WAITING) {
		fprintf(out, " %u |", cd->waiting);
		return;
	}
	if (!r->n) {
		fputs(" - |", out);
		return;
	}
	fputc(' ', out);
	md_us(out, row == ROW_LAT_P50 ? r->p50 : p99[row] ? r->p99 : r->max);
	fputs(" |", out);
}

static bool row_wanted(const struct compare *c, unsigned int d, enum md_row row)
{
	bool any = false;

	for (size_t i = 0; i < c->nr_runs; i++) {
		const struct compare_domain *cd = &c->runs[i].domains[d];

		if (!c->runs[i].ran)
			continue;
		if (row <= ROW_RESP_MAX)
			any |= cd->irq_latency.n || cd->irq_response.n;
		else if (row <= ROW_SCHED_MAX)
			any |= cd->sched_latency.n != 0;
		else
			any |= row == ROW_SHARE || cd->waiting;
	}
	return any;
}

static void md_metrics(const struct compare *c, FILE *out)
{
	bool any = false;

	for (size_t i = 0; i < c->nr_runs; i++)
		any |= c->runs[i].ran;
	if (!any)
		return;
	fputs("## Metrics per domain\n\nTimes in microseconds; `-`: no "
	      "sample. cpu share is running time over the run, summed over "
	      "the domain's vCPUs (100 = one pCPU).\n\n",
	      out);
	md_table_head(c, "domain", "metric", out);
	for (unsigned int d = 0; d < c->base->nr_domains; d++) {
		bool first = true;

		for (int row = 0; row < ROW_NR; row++) {
			if (!row_wanted(c, d, row))
				continue;
			fprintf(out, "| %s | %s |", first ? dom_name(c, d) : "",
				row_names[row]);
			first = false;
			for (size_t i = 0; i < c->nr_runs; i++) {
				if (c->runs[i].ran)
					md_cell(&c->runs[i].domains[d], row,
						out);
				else
					fputs(" not run |", out);
			}
			fputc('\n', out);
		}
	}
	fputc('\n', out);
}

static void md_item_cell(const struct compare_item *it, FILE *out)
{
	fputc(' ', out);
	if (it->jobs)
		md_us(out, it->max);
	else
		fputc('-', out);
	fputs(" / ", out);
	if (it->status == WCRT_OK)
		md_us(out, (uint64_t)it->bound);
	else
		fprintf(out, "no bound");
	if (it->misses)
		fprintf(out, ", %" PRIu64 " missed", it->misses);
	if (it->above_bound)
		fputs(", **above bound**", out);
	fputs(" |", out);
}

static void md_items(const struct compare *c, FILE *out)
{
	const struct compare_run *ref = NULL;

	for (size_t i = 0; i < c->nr_runs && !ref; i++)
		if (c->runs[i].ran)
			ref = &c->runs[i];
	if (!ref || !ref->nr_items)
		return;
	fputs("## Response times against WCRT bounds\n\nObserved worst "
	      "response / analytical bound (hvlab wcrt), in microseconds, "
	      "and the deadlines missed in the run. An observation above "
	      "its bound would be a bug in the model or the analysis.\n\n",
	      out);
	md_table_head(c, "domain", "task (deadline, us)", out);
	for (size_t k = 0; k < ref->nr_items; k++) {
		const struct compare_item *it = &ref->items[k];

		fprintf(out, "| %s | %s%s (", dom_name(c, it->domain),
			it->irq ? "irq " : "", it->name);
		md_us(out, (uint64_t)it->deadline);
		fputs(") |", out);
		for (size_t i = 0; i < c->nr_runs; i++) {
			if (c->runs[i].ran)
				md_item_cell(&c->runs[i].items[k], out);
			else
				fputs(" not run |", out);
		}
		fputc('\n', out);
	}
	fputc('\n', out);
}

static void md_plots(const struct compare *c, FILE *out)
{
	bool any = false;

	for (unsigned int d = 0; d < c->base->nr_domains; d++)
		any |= compare_has_irq_samples(c, d);
	if (!any)
		return;
	fputs("## IRQ latency CDFs\n\n", out);
	if (!c->plots_drawn)
		fprintf(out,
			"No images: %s. The data is in "
			"`plots/irq_cdf_<domain>.dat` (cumulative fraction, "
			"then one column of microseconds per scheduler); "
			"`gnuplot irq_cdf.gp` in `plots/` draws them.\n\n",
			c->plot_note);
	for (unsigned int d = 0; d < c->base->nr_domains; d++) {
		if (!compare_has_irq_samples(c, d))
			continue;
		if (c->plots_drawn)
			fprintf(out,
				"![IRQ latency CDF of %s](plots/irq_cdf_%s."
				"svg)\n\n",
				dom_name(c, d), dom_name(c, d));
		else
			fprintf(out, "- %s: `plots/irq_cdf_%s.dat`\n",
				dom_name(c, d), dom_name(c, d));
	}
	if (!c->plots_drawn)
		fputc('\n', out);
}

int compare_write_markdown(const struct compare *c, FILE *out)
{
	md_header(c, out);
	md_verdicts(c, out);
	md_metrics(c, out);
	md_items(c, out);
	md_plots(c, out);
	return ferror(out) ? -EIO : 0;
}

/* ---- JSON -------------------------------------------------------------- */

static void js_stats(FILE *out, const char *key, const struct stats_result *r)
{
	fprintf(out, "\"%s\": ", key);
	if (!r->n) {
		fputs("null", out);
		return;
	}
	fprintf(out,
		"{\"n\": %" PRIu64 ", \"min_ns\": %" PRIu64
		", \"mean_ns\": %lld, \"p50_ns\": %" PRIu64
		", \"p90_ns\": %" PRIu64 ", \"p99_ns\": %" PRIu64
		", \"max_ns\": %" PRIu64 "}",
		r->n, r->min, llround(r->mean), r->p50, r->p90, r->p99, r->max);
}

static void js_domain(const struct compare *c, const struct compare_run *r,
		      unsigned int d, FILE *out)
{
	const struct compare_domain *cd = &r->domains[d];

	fputs("        {\"name\": ", out);
	json_put_string(out, dom_name(c, d));
	fputs(", ", out);
	js_stats(out, "irq_latency", &cd->irq_latency);
	fputs(", ", out);
	js_stats(out, "irq_response", &cd->irq_response);
	fputs(", ", out);
	js_stats(out, "sched_latency", &cd->sched_latency);
	fprintf(out, ", \"cpu_share_bp\": %u, \"waiting_vcpus\": %u}",
		cd->share_bp, cd->waiting);
}

static void js_item(const struct compare *c, const struct compare_item *it,
		    FILE *out)
{
	fputs("        {\"domain\": ", out);
	json_put_string(out, dom_name(c, it->domain));
	fprintf(out,
		", \"kind\": \"%s\", \"name\": ", it->irq ? "irq" : "task");
	json_put_string(out, it->name);
	fprintf(out,
		", \"deadline_ns\": %lld, \"count\": %" PRIu64
		", \"max_ns\": %" PRIu64 ", \"misses\": %" PRIu64
		", \"wcrt\": {\"status\": \"%s\", \"bound_ns\": ",
		(long long)it->deadline, it->jobs, it->max, it->misses,
		wcrt_status_name(it->status));
	if (it->status == WCRT_OK)
		fprintf(out, "%lld", (long long)it->bound);
	else
		fputs("null", out);
	fprintf(out, ", \"met\": %s, \"reason\": ",
		it->bound_met ? "true" : "false");
	if (it->status != WCRT_OK && it->why)
		json_put_string(out, it->why);
	else
		fputs("null", out);
	fprintf(out, "}, \"above_bound\": %s}",
		it->above_bound ? "true" : "false");
}

static void js_run(const struct compare *c, const struct compare_run *r,
		   FILE *out)
{
	fputs("    {\"sched\": ", out);
	json_put_string(out, r->sched);
	fprintf(out, ", \"ran\": %s", r->ran ? "true" : "false");
	if (!r->ran) {
		fputs(", \"reason\": ", out);
		json_put_string(out, r->reason);
		fputs("}", out);
		return;
	}
	fputs(", \"dir\": ", out);
	json_put_string(out, r->sched);
	fprintf(out,
		", \"verdict\": {\"observed\": %s, \"analytical\": %s, "
		"\"every_deadline\": %s}, \"lost_records\": %" PRIu64
		",\n      \"domains\": [\n",
		r->observed_ok ? "true" : "false",
		r->analytical_ok ? "true" : "false",
		compare_meets_all(r) ? "true" : "false", r->lost);
	for (unsigned int d = 0; d < c->base->nr_domains; d++) {
		js_domain(c, r, d, out);
		fputs(d + 1 < c->base->nr_domains ? ",\n" : "\n", out);
	}
	fputs("      ],\n      \"items\": [\n", out);
	for (size_t k = 0; k < r->nr_items; k++) {
		js_item(c, &r->items[k], out);
		fputs(k + 1 < r->nr_items ? ",\n" : "\n", out);
	}
	fputs("      ]}", out);
}

int compare_write_json(const struct compare *c, FILE *out)
{
	const struct scenario *s = c->base;
	bool first = true;

	fputs("{\n  \"tool\": \"hvlab compare\",\n  \"version\": 1,\n"
	      "  \"scenario\": {\"name\": ",
	      out);
	json_put_string(out, s->name);
	fputs(", \"path\": ", out);
	json_put_string(out, s->path);
	fprintf(out,
		", \"seed\": %" PRIu64 ", \"duration_ns\": %lld, "
		"\"hash\": \"0x%016" PRIx64 "\"},\n  \"schedulers\": [\n",
		s->seed, (long long)s->duration, s->hash);
	for (size_t i = 0; i < c->nr_runs; i++) {
		js_run(c, &c->runs[i], out);
		fputs(i + 1 < c->nr_runs ? ",\n" : "\n", out);
	}
	fprintf(out, "  ],\n  \"plots\": {\"drawn\": %s, \"note\": ",
		c->plots_drawn ? "true" : "false");
	if (c->plots_drawn)
		fputs("null", out);
	else
		json_put_string(out, c->plot_note);
	fputs(", \"script\": \"plots/irq_cdf.gp\", \"irq_cdf\": [", out);
	for (unsigned int d = 0; d < s->nr_domains; d++) {
		if (!compare_has_irq_samples(c, d))
			continue;
		fprintf(out, "%s\"plots/irq_cdf_%s.dat\"", first ? "" : ", ",
			dom_name(c, d));
		first = false;
	}
	fputs("]}\n}\n", out);
	return ferror(out) ? -EIO : 0;
}
