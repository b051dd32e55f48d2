/*
 * Budgets against a trace: the verdicts, the table hvlab gate prints and
 * the JUnit XML it writes for CI. Samples come from gate_trace.c, the
 * checks of "wcrt.bound >= observed" from gate_wcrt.c.
 *
 * Every number is printed with integer arithmetic (nanoseconds shown as
 * microseconds with three decimals), and nothing depends on the host or
 * the time of day, so the same run always gives the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/files.h"
#include "analysis/gate.h"
#include "analysis/stats.h"
#include "analysis/wcrt_scenario.h"
#include "scenario/scenario.h"

void gate_format_us(uint64_t ns, char *buf, size_t len)
{
	char us[24]; /* 2^64 ns is 18446744073709551.615 us */

	stats_format_us(ns, us, sizeof(us));
	snprintf(buf, len, "%s us", us);
}

/* The statistic named @stat (the scenario format's names) of @r. */
static uint64_t pick_stat(const struct stats_result *r, const char *stat)
{
	if (!strcmp(stat, "min"))
		return r->min;
	if (!strcmp(stat, "mean"))
		return (uint64_t)llround(r->mean);
	if (!strcmp(stat, "p50"))
		return r->p50;
	if (!strcmp(stat, "p90"))
		return r->p90;
	if (!strcmp(stat, "p99"))
		return r->p99;
	if (!strcmp(stat, "p99.9"))
		return r->p999;
	if (!strcmp(stat, "p99.99"))
		return r->p9999;
	return r->max;
}

static int task_index(const struct scenario *s, const struct scn_budget *b)
{
	const struct scn_domain *d;

	if (!b->task[0] || b->domain < 0)
		return -1;
	d = &s->domains[b->domain];
	for (unsigned int i = 0; i < d->nr_tasks; i++)
		if (!strcmp(d->tasks[i].name, b->task))
			return (int)i;
	return -1;
}

/* One limit budget: its statistic against its max. 0 or -ENOMEM. */
static int check_limit(const struct scenario *s, struct gate_trace *t,
		       const struct scn_budget *b, struct gate_verdict *v)
{
	int metric = gate_metric_find(b->metric);
	struct stats_result r;
	int rc = -ENODATA;

	memset(v, 0, sizeof(*v));
	v->budget = b;
	v->limit = (uint64_t)b->max;
	snprintf(v->name, sizeof(v->name), "%s.%s%s%s", b->metric, b->stat,
		 b->task[0] ? "." : "", b->task);
	snprintf(v->classname, sizeof(v->classname), "%s",
		 b->domain >= 0 ? s->domains[b->domain].name : "all");
	/* A task the scenario lacks (never, once loaded): no data. */
	if (metric >= 0 && (!b->task[0] || task_index(s, b) >= 0))
		rc = gate_trace_stats(t, (enum gate_metric)metric, b->domain,
				      task_index(s, b), &r);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		v->status = GATE_NO_SAMPLES;
		return 0;
	}
	v->n = r.n;
	v->observed = pick_stat(&r, b->stat);
	v->status = v->observed > v->limit ? GATE_FAIL : GATE_PASS;
	return 0;
}

static bool is_failure(enum gate_status st)
{
	return st != GATE_PASS && st != GATE_SKIPPED;
}

int gate_checks_run(const struct scenario *s, struct gate_trace *t,
		    const struct scn_budget *budgets, unsigned int nr,
		    const struct wcrt_report *wcrt, FILE *err,
		    struct gate_checks *out)
{
	struct wcrt_report *own = NULL;
	size_t cap = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (unsigned int i = 0; i < nr; i++)
		cap += budgets[i].kind == SCN_BUDGET_WCRT ? gate_wcrt_checks(s)
							  : 1;
	for (unsigned int i = 0; i < nr && !wcrt; i++) {
		if (budgets[i].kind != SCN_BUDGET_WCRT)
			continue;
		rc = wcrt_scenario_analyze(s, err, &own);
		if (rc)
			return rc;
		wcrt = own;
	}
	out->v = calloc(cap ? cap : 1, sizeof(*out->v));
	if (!out->v) {
		wcrt_report_free(own);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < nr && !rc; i++) {
		if (budgets[i].kind == SCN_BUDGET_WCRT) {
			out->nr += gate_check_wcrt(s, t, &budgets[i], wcrt,
						   &out->v[out->nr]);
			continue;
		}
		rc = check_limit(s, t, &budgets[i], &out->v[out->nr++]);
	}
	wcrt_report_free(own);
	if (rc) {
		gate_checks_free(out);
		return rc;
	}
	for (unsigned int i = 0; i < out->nr; i++) {
		out->failed += is_failure(out->v[i].status);
		out->skipped += out->v[i].status == GATE_SKIPPED;
	}
	return 0;
}

void gate_checks_free(struct gate_checks *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static const char *status_word(enum gate_status st)
{
	return st == GATE_PASS ? "PASS" : st == GATE_SKIPPED ? "SKIP" : "FAIL";
}

static bool is_wcrt(const struct gate_verdict *v)
{
	return v->budget->kind == SCN_BUDGET_WCRT;
}

/* The table's first column: "rt irq_latency.p99", "wcrt.bound.rt.loop". */
static void label_of(const struct gate_verdict *v, char *buf, size_t len)
{
	if (is_wcrt(v))
		snprintf(buf, len, "%s", v->name);
	else
		snprintf(buf, len, "%s %s", v->classname, v->name);
}

void gate_print_table(const struct gate_verdict *v, unsigned int nr, FILE *out)
{
	unsigned int failed = 0, skipped = 0;
	char label[160], obs[32], lim[32];

	fprintf(out, "%-44s %14s %14s  %s\n", "budget", "observed", "limit",
		"result");
	for (unsigned int i = 0; i < nr; i++) {
		label_of(&v[i], label, sizeof(label));
		if (v[i].status == GATE_NO_SAMPLES)
			snprintf(obs, sizeof(obs), "no samples");
		else if (v[i].status >= GATE_SKIPPED)
			snprintf(obs, sizeof(obs), "-");
		else
			gate_format_us(v[i].observed, obs, sizeof(obs));
		if (v[i].status >= GATE_SKIPPED)
			snprintf(lim, sizeof(lim), "no bound");
		else
			gate_format_us(v[i].limit, lim, sizeof(lim));
		fprintf(out, "%-44s %14s %14s  %s\n", label, obs, lim,
			status_word(v[i].status));
		if (v[i].note[0])
			fprintf(out, "  %s\n", v[i].note);
		failed += is_failure(v[i].status);
		skipped += v[i].status == GATE_SKIPPED;
	}
	fprintf(out, "%u budget%s, %u passed, %u failed", nr,
		nr == 1 ? "" : "s", nr - failed - skipped, failed);
	if (skipped)
		fprintf(out, ", %u skipped", skipped);
	fputc('\n', out);
}

/* @text with XML's five special characters escaped, control bytes '?'. */
static void put_xml(FILE *out, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default: fputc(*p < 0x20 && *p != '\t' ? '?' : *p, out); break;
		}
	}
}

/* The one-line reason of a failed check, and a longer description. */
static void failure_text(const struct gate_verdict *v, const char *source,
			 char *msg, size_t msg_len, char *body, size_t body_len)
{
	const struct scn_budget *b = v->budget;
	char obs[32], lim[32];

	gate_format_us(v->observed, obs, sizeof(obs));
	gate_format_us(v->limit, lim, sizeof(lim));
	if (v->status == GATE_NOTHING) {
		snprintf(msg, msg_len, "%s", v->note);
		snprintf(body, body_len, "%s; budget at %s:%d", v->note, source,
			 b->line);
	} else if (is_wcrt(v) && v->status == GATE_NO_SAMPLES) {
		snprintf(msg, msg_len, "no samples of %s in the trace",
			 v->what);
		snprintf(body, body_len,
			 "%s never finished in the trace, so its response "
			 "cannot be checked against its bound %s; budget at "
			 "%s:%d",
			 v->what, lim, source, b->line);
	} else if (is_wcrt(v)) {
		snprintf(msg, msg_len, "observed %s > bound %s", obs, lim);
		snprintf(body, body_len,
			 "%s: worst observed response %s over %" PRIu64
			 ", above its WCRT bound %s (hvlab wcrt); budget at "
			 "%s:%d",
			 v->what, obs, v->n, lim, source, b->line);
	} else if (v->status == GATE_NO_SAMPLES) {
		snprintf(msg, msg_len, "no samples of %s in the trace",
			 b->metric);
		snprintf(body, body_len,
			 "%s %s of %s%s%s: the trace has no sample, so the "
			 "budget (limit %s) cannot be met; budget at %s:%d",
			 b->metric, b->stat,
			 b->domain >= 0 ? "domain " : "all domains",
			 b->domain >= 0 ? v->classname : "",
			 b->task[0] ? ", that task" : "", lim, source, b->line);
	} else {
		snprintf(msg, msg_len, "observed %s > limit %s", obs, lim);
		snprintf(body, body_len,
			 "%s %s%s%s of %s over %" PRIu64
			 " samples: observed %s, limit %s; budget at %s:%d",
			 b->metric, b->stat, b->task[0] ? " of task " : "",
			 b->task, v->classname, v->n, obs, lim, source,
			 b->line);
	}
}

static const char *failure_type(const struct gate_verdict *v)
{
	switch (v->status) {
	case GATE_NO_SAMPLES: return "no samples";
	case GATE_NOTHING: return "nothing to check";
	default: return is_wcrt(v) ? "bound exceeded" : "budget exceeded";
	}
}

void gate_print_failures(const struct gate_verdict *v, unsigned int nr,
			 const char *prefix, FILE *out)
{
	char label[160], msg[224], body[512];

	for (unsigned int i = 0; i < nr; i++) {
		if (!is_failure(v[i].status))
			continue;
		label_of(&v[i], label, sizeof(label));
		failure_text(&v[i], "", msg, sizeof(msg), body, sizeof(body));
		fprintf(out, "%s: %s: %s: %s\n", prefix, failure_type(&v[i]),
			label, msg);
	}
}

int gate_write_junit(const struct gate_verdict *v, unsigned int nr,
		     const char *source, FILE *out)
{
	unsigned int failed = 0, skipped = 0;
	char msg[224], body[512];

	for (unsigned int i = 0; i < nr; i++) {
		failed += is_failure(v[i].status);
		skipped += v[i].status == GATE_SKIPPED;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out,
		"<testsuite name=\"hvlab gate\" tests=\"%u\" failures=\"%u\" "
		"errors=\"0\" skipped=\"%u\" time=\"0\">\n",
		nr, failed, skipped);
	fputs("  <properties>\n    <property name=\"budgets\" value=\"", out);
	put_xml(out, source);
	fputs("\"/>\n  </properties>\n", out);
	for (unsigned int i = 0; i < nr; i++) {
		fputs("  <testcase classname=\"", out);
		put_xml(out, v[i].classname);
		fputs("\" name=\"", out);
		put_xml(out, v[i].name);
		fputs("\" time=\"0\"", out);
		if (v[i].status == GATE_PASS) {
			fputs("/>\n", out);
			continue;
		}
		if (v[i].status == GATE_SKIPPED) {
			fputs(">\n    <skipped message=\"", out);
			put_xml(out, v[i].note);
			fputs("\"/>\n  </testcase>\n", out);
			continue;
		}
		failure_text(&v[i], source, msg, sizeof(msg), body,
			     sizeof(body));
		fputs(">\n    <failure message=\"", out);
		put_xml(out, msg);
		fprintf(out, "\" type=\"%s\">", failure_type(&v[i]));
		put_xml(out, body);
		fputs("</failure>\n  </testcase>\n", out);
	}
	fputs("</testsuite>\n", out);
	return ferror(out) ? -EIO : 0;
}

struct junit_args {
	const struct gate_verdict *v;
	unsigned int nr;
	const char *source;
};

static int put_junit(const void *arg, FILE *f)
{
	const struct junit_args *a = arg;

	return gate_write_junit(a->v, a->nr, a->source, f);
}

int gate_write_junit_file(const char *path, const struct gate_verdict *v,
			  unsigned int nr, const char *source, FILE *err)
{
	const struct junit_args a = {v, nr, source};

	return files_write_with(path, put_junit, &a, err ? err : stderr);
}

bool gate_report(const struct gate_checks *c, bool quiet, const char *prog,
		 const char *junit, const char *source)
{
	if (!quiet)
		gate_print_table(c->v, c->nr, stdout);
	else
		gate_print_failures(c->v, c->nr, prog, stderr);
	if (junit && gate_write_junit_file(junit, c->v, c->nr, source, stderr))
		return false;
	return !c->failed;
}
