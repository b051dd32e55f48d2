/*
 * hvlab report: the model (report_private.h) built from a run directory,
 * the driver that writes it in every format, and report_generate().
 *
 * Design: everything observed comes from metrics_from_trace() on
 * DIR/trace.xt; the only other input is DIR/scenario.yaml, for the
 * analytical bounds, and only when its hash is the one the trace header
 * carries (a scenario edited after the run would put bounds of one
 * workload beside observations of another). pWCET runs on each domain's
 * IRQ latencies in trace order with a fixed seed, so its bootstrap, and
 * the report, are the same every time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/report_private.h"
#include "analysis/wcrt_scenario.h"
#include "scenario/scenario.h"
#include "tracing/trace_events.h"

#define PWCET_SEED 1

const char *report_us(char *buf, uint64_t ns)
{
	stats_format_us(ns, buf, 32);
	return buf;
}

const char *report_scenario_name(const struct report *rep)
{
	return rep->scn ? rep->scn->name : "unknown";
}

void report_verdict(const struct report_bound *b, char *buf, size_t len)
{
	char o[32], w[32];

	if (!b->has_bound)
		snprintf(buf, len, "no bound: %s", b->why);
	else if (!b->n)
		snprintf(buf, len, "not observed");
	else if (b->above)
		snprintf(
		    buf, len, "BUG: observed %s µs, above the bound by %s µs",
		    report_us(o, b->observed_max_ns),
		    report_us(w, b->observed_max_ns - (uint64_t)b->bound_ns));
	else
		snprintf(buf, len, "ok");
}

void report_check_bounds(struct report *rep)
{
	rep->nr_above = 0;
	for (size_t i = 0; i < rep->nr_bounds; i++) {
		struct report_bound *b = &rep->bounds[i];

		b->above = b->n && b->has_bound && b->bound_ns >= 0 &&
			   b->observed_max_ns > (uint64_t)b->bound_ns;
		rep->nr_above += b->above;
	}
}

/* The vCPU analysis an item belongs to, for its reason. */
static const struct wcrt_vcpu *item_vcpu(const struct wcrt_report *w,
					 size_t item)
{
	for (size_t k = 0; k < w->nr_vcpus; k++)
		if (item >= w->vcpus[k].first_item &&
		    item < w->vcpus[k].first_item + w->vcpus[k].nr_items)
			return &w->vcpus[k];
	return NULL;
}

static int build_bounds(struct report *rep)
{
	const struct wcrt_report *w = rep->wcrt;

	rep->bounds = calloc(w->nr_items + 1, sizeof(*rep->bounds));
	if (!rep->bounds)
		return -ENOMEM;
	for (size_t i = 0; i < w->nr_items; i++) {
		const struct wcrt_item *it = &w->items[i];
		const struct scn_domain *sd = &rep->scn->domains[it->domain];
		const struct wcrt_vcpu *v = item_vcpu(w, i);
		struct report_bound *b = &rep->bounds[rep->nr_bounds++];
		const struct metrics_series *obs = NULL;

		b->irq = it->kind == WCRT_ITEM_IRQ;
		b->dom_name = sd->name;
		b->name = it->name;
		b->dom_id = sd->domid;
		b->index = it->index;
		b->deadline_ns = it->deadline;
		b->has_bound = it->status == WCRT_OK;
		b->bound_ns = it->bound;
		snprintf(b->why, sizeof(b->why), "%s",
			 v && v->reason[0] ? v->reason
					   : wcrt_status_name(it->status));
		b->dom = metrics_domain(rep->m, sd->domid);
		if (b->dom && b->irq && metrics_irq(b->dom, it->index))
			obs = &metrics_irq(b->dom, it->index)->response;
		else if (b->dom && !b->irq && metrics_task(b->dom, it->index))
			obs = &metrics_task(b->dom, it->index)->response;
		if (obs && obs->r.n) {
			b->n = obs->r.n;
			b->observed_max_ns = obs->r.max;
		}
	}
	report_check_bounds(rep);
	return 0;
}

/* Loads scenario.yaml and its bounds; a missing one is not an error. */
static int load_bounds(struct report *rep, FILE *err)
{
	char path[4200];
	struct stat st;
	int ret;

	snprintf(path, sizeof(path), "%s/scenario.yaml", rep->dir);
	if (stat(path, &st)) {
		snprintf(rep->scn_note, sizeof(rep->scn_note),
			 "no scenario.yaml in the run directory, so no "
			 "analytical bounds");
		return 0;
	}
	if (scenario_load(path, err, &rep->scn)) {
		snprintf(rep->scn_note, sizeof(rep->scn_note),
			 "scenario.yaml is invalid, so no analytical bounds");
		return 0;
	}
	rep->scn_matches =
	    rep->run->has_header && rep->run->scenario_hash == rep->scn->hash;
	if (!rep->scn_matches) {
		snprintf(rep->scn_note, sizeof(rep->scn_note),
			 "scenario.yaml (hash 0x%016llx) is not the scenario "
			 "of this trace (%s), so no analytical bounds",
			 (unsigned long long)rep->scn->hash,
			 rep->run->has_header ? "hash in the trace differs"
					      : "the trace has no header");
		return 0;
	}
	ret = wcrt_scenario_analyze(rep->scn, err, &rep->wcrt);
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		snprintf(rep->scn_note, sizeof(rep->scn_note),
			 "the WCRT analysis of scenario.yaml failed, so no "
			 "analytical bounds");
		return 0;
	}
	return build_bounds(rep);
}

static int build_pwcet(struct report *rep)
{
	size_t nr = metrics_nr_domains(rep->m);
	const struct pwcet_config cfg = {.seed = PWCET_SEED};

	rep->pwcet = calloc(nr + 1, sizeof(*rep->pwcet));
	if (!rep->pwcet)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++) {
		const struct metrics_domain *d = metrics_domain_at(rep->m, i);
		struct report_pwcet *p = &rep->pwcet[rep->nr_pwcet];
		int ret;

		if (!d->irq_latency.r.n)
			continue;
		rep->nr_pwcet++;
		p->dom = d;
		if (d->raw_truncated) {
			snprintf(p->why, sizeof(p->why),
				 "skipped for size: %llu samples, more than "
				 "the %llu kept in trace order",
				 (unsigned long long)d->irq_latency.r.n,
				 (unsigned long long)METRICS_RAW_CAP_DEFAULT);
			continue;
		}
		ret = pwcet_analyse(d->irq_latency_raw, d->nr_irq_latency_raw,
				    &cfg, &p->res);
		if (ret)
			return ret;
		p->ran = true;
		snprintf(p->why, sizeof(p->why), "%s", p->res.reason);
	}
	return 0;
}

int report_build(const char *dir, const struct report_options *opt,
		 struct report **out)
{
	struct metrics_config mc = {.keep_raw = true, .timeline = true};
	FILE *err = opt && opt->err ? opt->err : stderr;
	struct report *rep = calloc(1, sizeof(*rep));
	char path[4200];
	struct stat st;
	int ret;

	if (!rep)
		return -ENOMEM;
	if (opt)
		rep->opt = *opt;
	rep->opt.err = err;
	snprintf(rep->dir, sizeof(rep->dir), "%s", dir);
	rep->window_start_ns = rep->opt.window_start_ns;
	rep->window_end_ns = rep->opt.window_end_ns;
	if (!rep->window_start_ns && !rep->window_end_ns)
		rep->window_end_ns = REPORT_WINDOW_DEFAULT_NS;
	rep->plots_wanted = !rep->opt.no_plots;
	snprintf(path, sizeof(path), "%s/trace.xt", dir);
	if (stat(path, &st)) {
		ret = -errno;
		fprintf(err,
			"%s: %s (expected the output directory of "
			"`hvlab run`)\n",
			path, strerror(errno));
		report_free(rep);
		return ret;
	}
	mc.window_start_ns = rep->window_start_ns;
	mc.window_end_ns = rep->window_end_ns;
	ret = metrics_from_trace(path, &mc, &rep->m, err);
	if (!ret) {
		rep->run = metrics_run_info(rep->m);
		/* The default window ends with a shorter run. */
		if (!rep->opt.window_start_ns && !rep->opt.window_end_ns &&
		    rep->run->span_ns && rep->run->span_ns < rep->window_end_ns)
			rep->window_end_ns = rep->run->span_ns;
		ret = load_bounds(rep, err);
	}
	if (!ret)
		ret = build_pwcet(rep);
	if (ret) {
		if (ret == -ENOMEM)
			fprintf(err, "%s: out of memory\n", dir);
		report_free(rep);
		return ret;
	}
	*out = rep;
	return 0;
}

void report_free(struct report *rep)
{
	if (!rep)
		return;
	free(rep->pwcet);
	free(rep->bounds);
	wcrt_report_free(rep->wcrt);
	scenario_free(rep->scn);
	metrics_free(rep->m);
	free(rep);
}

static const struct report_format *const formats[] = {
    &report_md_format,
    &report_html_format,
    &report_json_format,
};

/* Writes one file through a temporary name, so a reader never sees half. */
static int write_one(const struct report *rep, const struct report_format *f)
{
	char path[4200], tmp[4300];
	FILE *out;
	int bad;

	snprintf(path, sizeof(path), "%s/%s", rep->dir, f->file);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	out = fopen(tmp, "w");
	if (!out) {
		int e = errno;

		fprintf(rep->opt.err, "%s: cannot create: %s\n", tmp,
			strerror(e));
		return -e;
	}
	if (f->write)
		f->write(out, rep);
	else
		report_doc_walk(f, out, rep);
	bad = ferror(out);
	bad |= fclose(out);
	if (bad || rename(tmp, path)) {
		fprintf(rep->opt.err, "%s: write failed\n", path);
		remove(tmp);
		return -EIO;
	}
	return 0;
}

int report_write(const struct report *rep)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		int ret = write_one(rep, formats[i]);

		if (ret)
			return ret;
	}
	return 0;
}

int report_generate(const char *dir, const struct report_options *opt,
		    struct report_outcome *out)
{
	struct report *rep;
	int ret = report_build(dir, opt, &rep);

	memset(out, 0, sizeof(*out));
	if (ret)
		return ret;
	if (rep->plots_wanted)
		ret = report_make_plots(rep);
	if (!ret)
		ret = report_write(rep);
	out->above_bound = rep->nr_above;
	out->no_bounds = !rep->wcrt;
	out->no_gnuplot = rep->no_gnuplot;
	for (size_t i = 0; i < rep->nr_plots; i++) {
		out->plots_made += rep->plots[i].status == PLOT_MADE;
		out->plots_failed += rep->plots[i].status == PLOT_FAILED;
	}
	report_free(rep);
	return ret;
}
