/*
 * The report's plots: which ones, from the model, into DIR/plots/.
 *
 *   irq_latency_hist_dN   histogram of domain N's IRQ latencies, log counts
 *   irq_latency_ccdf      complementary CDF of every domain's, log tail
 *   irq_latency_box       one box per domain
 *   sched_latency_box     one box per domain, runnable to running
 *   timeline              who ran on each pCPU over the window
 *   pwcet_dN              domain N's pWCET curve, when the fit was accepted
 *
 * File names use domain ids, never names read from the trace, so a name
 * cannot reach the file system.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/report_private.h"

#define HIST_BINS 60

static struct report_plot *plot_add(struct report *rep, const char *section,
				    const struct metrics_domain *d)
{
	struct report_plot *p;

	if (rep->nr_plots == REPORT_MAX_PLOTS)
		return NULL;
	p = &rep->plots[rep->nr_plots++];
	memset(p, 0, sizeof(*p));
	p->section = section;
	p->dom = d;
	return p;
}

/* The domains with IRQ (or, @sched, scheduling) latencies, as sets. */
static size_t domain_sets(const struct report *rep, bool sched,
			  struct plot_sample_set *sets)
{
	size_t n = 0;

	for (size_t i = 0; i < metrics_nr_domains(rep->m); i++) {
		const struct metrics_domain *d = metrics_domain_at(rep->m, i);
		const struct metrics_series *s =
		    sched ? &d->sched_latency : &d->irq_latency;

		if (!s->r.n)
			continue;
		sets[n].label = d->name;
		sets[n++].stats = s->stats;
	}
	return n;
}

static void irq_plots(struct report *rep, struct plot_ctx *c,
		      struct plot_sample_set *sets)
{
	struct report_plot *p;
	size_t n;

	for (size_t i = 0; i < metrics_nr_domains(rep->m); i++) {
		const struct metrics_domain *d = metrics_domain_at(rep->m, i);

		if (!d->irq_latency.r.n || !(p = plot_add(rep, "irq", d)))
			continue;
		snprintf(p->name, sizeof(p->name), "irq_latency_hist_d%u",
			 d->id);
		snprintf(p->title, sizeof(p->title),
			 "IRQ latency of %s (raise to handler start)", d->name);
		snprintf(p->caption, sizeof(p->caption),
			 "Histogram of the %llu IRQ latencies of %s, %d bins "
			 "over [min, max], log count axis.",
			 (unsigned long long)d->irq_latency.r.n, d->name,
			 HIST_BINS);
		p->status =
		    plot_histogram(c, p->name, p->title, "IRQ latency (µs)",
				   d->irq_latency.stats, HIST_BINS);
	}
	n = domain_sets(rep, false, sets);
	if (!n)
		return;
	if ((p = plot_add(rep, "irq", NULL))) {
		snprintf(p->name, sizeof(p->name), "irq_latency_ccdf");
		snprintf(p->title, sizeof(p->title),
			 "IRQ latency, complementary CDF per domain");
		snprintf(p->caption, sizeof(p->caption),
			 "P(latency > x) per domain on a log axis, down to "
			 "1/n: the tail of the distribution.");
		p->status = plot_ccdf(c, p->name, p->title, "IRQ latency (µs)",
				      sets, n);
	}
	if ((p = plot_add(rep, "irq", NULL))) {
		snprintf(p->name, sizeof(p->name), "irq_latency_box");
		snprintf(p->title, sizeof(p->title), "IRQ latency per domain");
		snprintf(p->caption, sizeof(p->caption),
			 "Box p25-p75 with the median, whiskers min-p99, "
			 "cross at the max (nearest-rank percentiles).");
		p->status =
		    plot_box(c, p->name, p->title, "IRQ latency (µs)", sets, n);
	}
}

static void sched_plot(struct report *rep, struct plot_ctx *c,
		       struct plot_sample_set *sets)
{
	size_t n = domain_sets(rep, true, sets);
	struct report_plot *p;

	if (!n || !(p = plot_add(rep, "sched", NULL)))
		return;
	snprintf(p->name, sizeof(p->name), "sched_latency_box");
	snprintf(p->title, sizeof(p->title),
		 "Scheduling latency per domain (runnable to running)");
	snprintf(p->caption, sizeof(p->caption),
		 "Box p25-p75 with the median, whiskers min-p99, cross at the "
		 "max, from SWITCH_INFNEXT waited_ns.");
	p->status =
	    plot_box(c, p->name, p->title, "scheduling latency (µs)", sets, n);
}

static int timeline_plot(struct report *rep, struct plot_ctx *c)
{
	size_t nr_doms = metrics_nr_domains(rep->m), nr_segs;
	const struct metrics_segment *segs =
	    metrics_timeline(rep->m, &nr_segs, NULL);
	const char **labels = calloc(nr_doms + 1, sizeof(*labels));
	struct plot_span *spans = calloc(nr_segs + 1, sizeof(*spans));
	unsigned int rows = rep->run->pcpus;
	struct report_plot *p;
	char a[32], b[32];

	if (!labels || !spans) {
		free(labels);
		free(spans);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nr_doms; i++)
		labels[i] = metrics_domain_at(rep->m, i)->name;
	for (size_t i = 0; i < nr_segs; i++) {
		size_t k = 0;

		while (k < nr_doms &&
		       metrics_domain_at(rep->m, k)->id != segs[i].dom)
			k++;
		spans[i] = (struct plot_span){segs[i].start_ns, segs[i].end_ns,
					      segs[i].pcpu, (unsigned int)k};
		if (segs[i].pcpu >= rows)
			rows = segs[i].pcpu + 1;
	}
	if ((p = plot_add(rep, "timeline", NULL))) {
		snprintf(p->name, sizeof(p->name), "timeline");
		snprintf(p->title, sizeof(p->title),
			 "Schedule per pCPU, %s to %s ms",
			 report_us(a, rep->window_start_ns / 1000),
			 report_us(b, rep->window_end_ns / 1000));
		snprintf(p->caption, sizeof(p->caption),
			 "Which domain's vCPU ran on each pCPU (from SWITCH "
			 "records); gaps are idle.");
		p->status = plot_timeline(
		    c, p->name, p->title, spans, nr_segs, rows, labels, nr_doms,
		    rep->window_start_ns, rep->window_end_ns);
	}
	free(labels);
	free(spans);
	return 0;
}

static void pwcet_plots(struct report *rep, struct plot_ctx *c)
{
	for (size_t i = 0; i < rep->nr_pwcet; i++) {
		const struct report_pwcet *pw = &rep->pwcet[i];
		struct report_plot *p;

		if (!pw->ran || pw->res.status != PWCET_OK ||
		    !(p = plot_add(rep, "pwcet", pw->dom)))
			continue;
		snprintf(p->name, sizeof(p->name), "pwcet_d%u", pw->dom->id);
		snprintf(p->title, sizeof(p->title),
			 "pWCET of %s's IRQ latency", pw->dom->name);
		snprintf(p->caption, sizeof(p->caption),
			 "Fitted exceedance curve (%s) beside the observed "
			 "complementary CDF; dashed: the largest observation.",
			 pwcet_model_name(pw->res.model));
		p->status = plot_pwcet(c, p->name, p->title, "IRQ latency (µs)",
				       &pw->res, pw->dom->irq_latency.stats);
	}
}

int report_make_plots(struct report *rep)
{
	char dir[4200];
	struct plot_ctx c = {.dir = dir,
			     .gnuplot = rep->opt.gnuplot,
			     .run = true,
			     .err = rep->opt.err,
			     .found = -1};
	struct plot_sample_set *sets =
	    calloc(metrics_nr_domains(rep->m) + 1, sizeof(*sets));
	int ret;

	snprintf(dir, sizeof(dir), "%s/plots", rep->dir);
	if (!sets)
		return -ENOMEM;
	if (mkdir(dir, 0777) && errno != EEXIST) {
		ret = -errno;
		fprintf(rep->opt.err, "%s: cannot create: %s\n", dir,
			strerror(errno));
		free(sets);
		return ret;
	}
	irq_plots(rep, &c, sets);
	sched_plot(rep, &c, sets);
	ret = timeline_plot(rep, &c);
	if (!ret)
		pwcet_plots(rep, &c);
	rep->no_gnuplot = c.found == 0;
	free(sets);
	return ret;
}
