/*
 * Budgets against a trace: the verdicts, the table hvlab gate prints and
 * the JUnit XML it writes for CI. Samples come from gate_trace.c.
 *
 * Every number is printed with integer arithmetic (nanoseconds shown as
 * microseconds with three decimals), and nothing depends on the host or
 * the time of day, so the same run always gives the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "analysis/gate.h"
#include "analysis/stats.h"
#include "scenario/scenario.h"

void gate_format_us(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64 " us", ns / 1000,
		 ns % 1000);
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

int gate_evaluate(const struct scenario *s, struct gate_trace *t,
		  const struct scn_budget *budgets, unsigned int nr,
		  struct gate_verdict *out)
{
	int failed = 0;

	for (unsigned int i = 0; i < nr; i++) {
		const struct scn_budget *b = &budgets[i];
		struct gate_verdict *v = &out[i];
		int metric = gate_metric_find(b->metric);
		struct stats_result r;
		int rc = -ENODATA;

		memset(v, 0, sizeof(*v));
		v->budget = b;
		snprintf(v->name, sizeof(v->name), "%s.%s%s%s", b->metric,
			 b->stat, b->task[0] ? "." : "", b->task);
		snprintf(v->classname, sizeof(v->classname), "%s",
			 b->domain >= 0 ? s->domains[b->domain].name : "all");
		/* A task the scenario lacks (never, once loaded): no data. */
		if (metric >= 0 && (!b->task[0] || task_index(s, b) >= 0))
			rc = gate_trace_stats(t, (enum gate_metric)metric,
					      b->domain, task_index(s, b), &r);
		if (rc == -ENOMEM)
			return rc;
		if (rc) {
			v->status = GATE_NO_SAMPLES;
			failed++;
			continue;
		}
		v->n = r.n;
		v->observed = pick_stat(&r, b->stat);
		v->status =
		    v->observed > (uint64_t)b->max ? GATE_FAIL : GATE_PASS;
		failed += v->status != GATE_PASS;
	}
	return failed;
}

static const char *status_word(enum gate_status st)
{
	return st == GATE_PASS ? "PASS" : "FAIL";
}

void gate_print_table(const struct gate_verdict *v, unsigned int nr, FILE *out)
{
	unsigned int failed = 0;
	char label[128], obs[32], lim[32];

	fprintf(out, "%-44s %14s %14s  %s\n", "budget", "observed", "limit",
		"result");
	for (unsigned int i = 0; i < nr; i++) {
		snprintf(label, sizeof(label), "%s %s", v[i].classname,
			 v[i].name);
		if (v[i].status == GATE_NO_SAMPLES)
			snprintf(obs, sizeof(obs), "no samples");
		else
			gate_format_us(v[i].observed, obs, sizeof(obs));
		gate_format_us((uint64_t)v[i].budget->max, lim, sizeof(lim));
		fprintf(out, "%-44s %14s %14s  %s\n", label, obs, lim,
			status_word(v[i].status));
		failed += v[i].status != GATE_PASS;
	}
	fprintf(out, "%u budget%s, %u passed, %u failed\n", nr,
		nr == 1 ? "" : "s", nr - failed, failed);
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

/* The one-line reason of a failed budget, and a longer description. */
static void failure_text(const struct gate_verdict *v, const char *source,
			 char *msg, size_t msg_len, char *body, size_t body_len)
{
	const struct scn_budget *b = v->budget;
	char obs[32], lim[32];

	gate_format_us(v->observed, obs, sizeof(obs));
	gate_format_us((uint64_t)b->max, lim, sizeof(lim));
	if (v->status == GATE_NO_SAMPLES) {
		snprintf(msg, msg_len, "no samples of %s in the trace",
			 b->metric);
		snprintf(body, body_len,
			 "%s %s of %s%s%s: the trace has no sample, so the "
			 "budget (limit %s) cannot be met; budget at %s:%d",
			 b->metric, b->stat,
			 b->domain >= 0 ? "domain " : "all domains",
			 b->domain >= 0 ? v->classname : "",
			 b->task[0] ? ", that task" : "", lim, source, b->line);
		return;
	}
	snprintf(msg, msg_len, "observed %s > limit %s", obs, lim);
	snprintf(body, body_len,
		 "%s %s%s%s of %s over %" PRIu64
		 " samples: observed %s, limit %s; budget at %s:%d",
		 b->metric, b->stat, b->task[0] ? " of task " : "", b->task,
		 v->classname, v->n, obs, lim, source, b->line);
}

int gate_write_junit(const struct gate_verdict *v, unsigned int nr,
		     const char *source, FILE *out)
{
	unsigned int failed = 0;
	char msg[128], body[512];

	for (unsigned int i = 0; i < nr; i++)
		failed += v[i].status != GATE_PASS;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out,
		"<testsuite name=\"hvlab gate\" tests=\"%u\" failures=\"%u\" "
		"errors=\"0\" skipped=\"0\" time=\"0\">\n",
		nr, failed);
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
		failure_text(&v[i], source, msg, sizeof(msg), body,
			     sizeof(body));
		fputs(">\n    <failure message=\"", out);
		put_xml(out, msg);
		fprintf(out, "\" type=\"%s\">",
			v[i].status == GATE_FAIL ? "budget exceeded"
						 : "no samples");
		put_xml(out, body);
		fputs("</failure>\n  </testcase>\n", out);
	}
	fputs("</testsuite>\n", out);
	return ferror(out) ? -EIO : 0;
}
