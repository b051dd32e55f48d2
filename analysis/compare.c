/*
 * hvlab compare: the runs and what is kept of each (see compare.h). The
 * reports are written by compare_report.c and compare_plot.c from the
 * struct compare filled here, never from the runs' files directly, so
 * the Markdown and the JSON cannot disagree.
 *
 * Each run is made from the scenario file it leaves behind: the variant
 * is written first, then loaded back and run, so "hvlab run
 * OUT/<sched>/scenario.yaml" gives the very same trace (the trace header
 * carries the hash of that file).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compare.h"
#include "analysis/files.h"
#include "analysis/gate.h"
#include "analysis/summary.h"
#include "analysis/wcrt_scenario.h"
#include "hv-core/arch/sim/sim.h"
#include "scenario/scenario.h"

/* OUT/<sched> fits in DIR_LEN (compare_run() checks OUT); files in it
 * in PATH_LEN. */
#define DIR_LEN 4160
#define PATH_LEN (DIR_LEN + 64)

static int put_scenario(const void *arg, FILE *f)
{
	return scenario_write(arg, f);
}

static int put_summary(const void *arg, FILE *f)
{
	summary_print_text(arg, f);
	return ferror(f) ? -EIO : 0;
}

static int put_wcrt(const void *arg, FILE *f)
{
	wcrt_report_print(arg, WCRT_FORMAT_TEXT, f);
	return ferror(f) ? -EIO : 0;
}

static int put_markdown(const void *arg, FILE *f)
{
	return compare_write_markdown(arg, f);
}

static int put_json(const void *arg, FILE *f)
{
	return compare_write_json(arg, f);
}

/* The scheduler's scenario, or why there is none (in @run->reason). */
static int build_variant(const struct scenario *base, struct compare_run *run,
			 struct scenario **v)
{
	char *msgs = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&msgs, &len);
	int rc;

	if (!mem)
		return -ENOMEM;
	rc = scenario_for_scheduler(base, run->sched, mem, v);
	fclose(mem);
	/* One line per problem; the report wants them on one line. */
	for (size_t i = 0; i + 1 < len; i++)
		if (msgs[i] == '\n')
			msgs[i] = ' ';
	if (len && msgs[len - 1] == '\n')
		msgs[len - 1] = '\0';
	if (rc == -EINVAL)
		snprintf(run->reason, sizeof(run->reason), "%s",
			 msgs ? msgs : "invalid variant");
	free(msgs);
	return rc;
}

/* Keep @reason once in @run, and return the kept copy. */
static const char *keep_reason(struct compare_run *run, const char *reason)
{
	for (unsigned int i = 0; i < run->nr_wcrt_reasons; i++)
		if (!strcmp(run->wcrt_reasons[i], reason))
			return run->wcrt_reasons[i];
	if (run->nr_wcrt_reasons == 4)
		return NULL;
	snprintf(run->wcrt_reasons[run->nr_wcrt_reasons],
		 sizeof(run->wcrt_reasons[0]), "%s", reason);
	return run->wcrt_reasons[run->nr_wcrt_reasons++];
}

static void item_bound(struct compare_run *run, struct compare_item *it,
		       const struct wcrt_report *wr)
{
	const struct wcrt_item *wi = NULL;
	const struct wcrt_vcpu *wv = NULL;

	for (size_t i = 0; i < wr->nr_items && !wi; i++) {
		const struct wcrt_item *c = &wr->items[i];

		if (c->domain == it->domain && c->index == it->index &&
		    (c->kind == WCRT_ITEM_IRQ) == it->irq)
			wi = c;
	}
	it->status = WCRT_NO_SUPPLY;
	if (!wi)
		return;
	it->status = wi->status;
	it->bound = wi->bound;
	it->bound_met = wi->status == WCRT_OK && wi->met;
	it->deadline = wi->deadline;
	it->above_bound =
	    wi->status == WCRT_OK && it->max > (uint64_t)wi->bound;
	if (wi->status == WCRT_OK)
		return;
	for (size_t i = 0; i < wr->nr_vcpus && !wv; i++) {
		size_t k = (size_t)(wi - wr->items);

		if (k >= wr->vcpus[i].first_item &&
		    k < wr->vcpus[i].first_item + wr->vcpus[i].nr_items)
			wv = &wr->vcpus[i];
	}
	it->why = wv && wv->reason[0] ? keep_reason(run, wv->reason) : NULL;
	if (!it->why)
		it->why = wcrt_status_name(wi->status);
}

/*
 * @s is the run's scenario; names point into @base, which outlives the
 * report (the two have the same domains, tasks and irqs).
 */
static int collect_items(struct compare_run *run, const struct scenario *s,
			 const struct scenario *base,
			 const struct wcrt_report *wr)
{
	size_t n = 0;

	for (unsigned int d = 0; d < s->nr_domains; d++)
		n += s->domains[d].nr_tasks + s->domains[d].nr_irqs;
	run->items = calloc(n + 1, sizeof(*run->items));
	if (!run->items)
		return -ENOMEM;
	for (unsigned int d = 0; d < s->nr_domains; d++) {
		const struct scn_domain *sd = &s->domains[d];

		for (unsigned int k = 0; k < sd->nr_tasks + sd->nr_irqs; k++) {
			struct compare_item *it = &run->items[run->nr_items++];
			bool irq = k >= sd->nr_tasks;
			unsigned int i = irq ? k - sd->nr_tasks : k;
			struct gate_jobs jobs;
			struct gate_irqs irqs;

			*it = (struct compare_item){
			    .domain = d, .index = i, .irq = irq};
			if (irq) {
				gate_trace_irqs(run->trace, d, i, &irqs);
				it->name = base->domains[d].irqs[i].name;
				it->deadline = sd->irqs[i].period;
				it->jobs = irqs.handled;
				it->max = irqs.max_response;
				it->misses = irqs.late;
			} else {
				gate_trace_jobs(run->trace, d, i, &jobs);
				it->name = base->domains[d].tasks[i].name;
				it->deadline = sd->tasks[i].deadline;
				it->jobs = jobs.completed;
				it->max = jobs.max_response;
				it->misses = jobs.misses + jobs.overdue;
			}
			item_bound(run, it, wr);
			run->observed_ok &= !it->misses;
			run->analytical_ok &= it->bound_met;
		}
	}
	return 0;
}

static int collect_domains(struct compare_run *run, const struct scenario *s,
			   const struct summary *sum)
{
	static const enum gate_metric metrics[] = {
	    GATE_IRQ_LATENCY, GATE_IRQ_RESPONSE, GATE_SCHED_LATENCY};

	run->domains = calloc(s->nr_domains + 1, sizeof(*run->domains));
	if (!run->domains)
		return -ENOMEM;
	for (unsigned int d = 0; d < s->nr_domains; d++) {
		struct compare_domain *cd = &run->domains[d];
		struct stats_result *res[] = {
		    &cd->irq_latency, &cd->irq_response, &cd->sched_latency};
		const struct summary_domain *sd =
		    summary_domain(sum, s->domains[d].domid);

		for (size_t m = 0; m < 3; m++) {
			int rc = gate_trace_stats(run->trace, metrics[m],
						  (int)d, -1, res[m]);

			if (rc == -ENOMEM)
				return rc;
		}
		for (size_t v = 0; sd && v < sd->nr_vcpus; v++) {
			cd->share_bp += sd->vcpus[v].share_bp;
			cd->waiting += sd->vcpus[v].null_waiting;
		}
	}
	return 0;
}

/* Run @v, written at @dir/scenario.yaml, and analyse it into @run. */
static int run_variant(const struct compare *c, struct compare_run *run,
		       const struct scenario *v, const char dir[DIR_LEN],
		       FILE *err)
{
	const struct scenario *base = c->base;
	char trace[PATH_LEN], path[PATH_LEN];
	struct sim_options so = {.trace_path = trace};
	struct wcrt_report *wr = NULL;
	struct summary *sum = NULL;
	struct sim_stats st;
	int rc;

	snprintf(trace, sizeof(trace), "%s/trace.xt", dir);
	if (c->runner) {
		rc = c->runner(c->runner_ctx, v, dir, err);
		if (rc) {
			snprintf(run->reason, sizeof(run->reason),
				 "run failed: %s", strerror(-rc));
			return -EIO;
		}
		st.sched_errors = 0;
	} else {
		rc = sim_run_scenario(v, &so, &st, err);
	}
	if (rc) {
		snprintf(run->reason, sizeof(run->reason),
			 "simulation failed: %s", strerror(-rc));
		return -EIO;
	}
	if (st.sched_errors)
		fprintf(err,
			"hvlab compare: %s: %llu invalid scheduler decisions "
			"were replaced by idle\n",
			run->sched, (unsigned long long)st.sched_errors);
	rc = summary_from_trace(trace, &sum, err);
	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	if (!rc)
		rc = files_write_with(path, put_summary, sum, err);
	if (!rc)
		rc = wcrt_scenario_analyze(v, err, &wr);
	snprintf(path, sizeof(path), "%s/wcrt.txt", dir);
	if (!rc)
		rc = files_write_with(path, put_wcrt, wr, err);
	if (!rc)
		rc = gate_trace_read(trace, v, &run->trace, err);
	run->observed_ok = run->analytical_ok = true;
	if (!rc)
		rc = collect_domains(run, v, sum);
	if (!rc)
		rc = collect_items(run, v, base, wr);
	if (!rc) {
		run->ran = true;
		run->lost = gate_trace_info(run->trace)->lost;
	} else {
		snprintf(run->reason, sizeof(run->reason),
			 "analysis failed: %s", strerror(-rc));
	}
	wcrt_report_free(wr);
	summary_free(sum);
	return rc;
}

static int run_one(const struct compare *c, struct compare_run *run, FILE *err)
{
	char dir[DIR_LEN], path[PATH_LEN];
	struct scenario *v = NULL;
	int rc = build_variant(c->base, run, &v);

	if (rc == -EINVAL)
		return 0; /* not run, and the report says why */
	if (rc)
		return rc;
	snprintf(dir, sizeof(dir), "%s/%s", c->out_dir, run->sched);
	snprintf(path, sizeof(path), "%s/scenario.yaml", dir);
	rc = files_mkdir_p(dir);
	if (rc)
		fprintf(err, "%s: %s\n", dir, strerror(-rc));
	if (!rc)
		rc = files_write_with(path, put_scenario, v, err);
	scenario_free(v);
	v = NULL;
	if (!rc && scenario_load(path, err, &v))
		rc = -EIO;
	/* Named as in the report, so that wcrt.txt does not depend on OUT. */
	if (!rc)
		snprintf(v->path, sizeof(v->path), "%s/scenario.yaml",
			 run->sched);
	if (!rc)
		rc = run_variant(c, run, v, dir, err);
	scenario_free(v);
	if (rc && !run->reason[0])
		snprintf(run->reason, sizeof(run->reason), "%.300s: %s", dir,
			 strerror(-rc));
	return rc;
}

static int check_args(const char *const *scheds, size_t nr, const char *out,
		      const struct compare_options *opt, FILE *err)
{
	int rc;

	if (!nr) {
		fprintf(err, "hvlab compare: no scheduler to run\n");
		return -EINVAL;
	}
	for (size_t i = 0; i < nr; i++) {
		if (!scenario_sched_known(scheds[i])) {
			fprintf(err,
				"hvlab compare: unknown scheduler '%s'; "
				"expected credit2, rtds, arinc653 or null\n",
				scheds[i]);
			return -EINVAL;
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(scheds[k], scheds[i])) {
				fprintf(err,
					"hvlab compare: scheduler '%s' is "
					"listed twice\n",
					scheds[i]);
				return -EINVAL;
			}
	}
	rc = files_dir_has_entries(out);
	if (rc > 0 && !opt->force) {
		fprintf(err,
			"hvlab compare: %s is not empty; use --force to write "
			"into it\n",
			out);
		return -EINVAL;
	}
	return rc < 0 ? rc : 0;
}

static int write_reports(struct compare *c, const struct compare_options *opt,
			 FILE *err)
{
	char path[PATH_LEN];
	int rc;

	snprintf(path, sizeof(path), "%s/plots", c->out_dir);
	rc = files_mkdir_p(path);
	if (rc)
		fprintf(err, "%s: %s\n", path, strerror(-rc));
	if (!rc)
		rc = compare_write_plots(c, path, opt->gnuplot, err);
	snprintf(path, sizeof(path), "%s/compare.md", c->out_dir);
	if (!rc)
		rc = files_write_with(path, put_markdown, c, err);
	snprintf(path, sizeof(path), "%s/compare.json", c->out_dir);
	if (!rc)
		rc = files_write_with(path, put_json, c, err);
	return rc;
}

int compare_run(const struct scenario *base, const char *const *scheds,
		size_t nr, const char *out_dir,
		const struct compare_options *opt, FILE *err,
		struct compare **out)
{
	struct compare_options none = {0};
	struct compare *c;
	int rc, first = 0;

	*out = NULL;
	err = err ? err : stderr;
	opt = opt ? opt : &none;
	if (strlen(out_dir) >= sizeof(c->out_dir) - 32)
		return -ENAMETOOLONG;
	rc = check_args(scheds, nr, out_dir, opt, err);
	if (rc)
		return rc;
	rc = files_mkdir_p(out_dir);
	if (rc) {
		fprintf(err, "%s: %s\n", out_dir, strerror(-rc));
		return rc;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->runs = calloc(nr, sizeof(*c->runs)))) {
		free(c);
		return -ENOMEM;
	}
	c->base = base;
	c->runner = opt->runner;
	c->runner_ctx = opt->runner_ctx;
	c->nr_runs = nr;
	snprintf(c->out_dir, sizeof(c->out_dir), "%s", out_dir);
	for (size_t i = 0; i < nr; i++) {
		snprintf(c->runs[i].sched, sizeof(c->runs[i].sched), "%s",
			 scheds[i]);
		rc = run_one(c, &c->runs[i], err);
		if (rc == -ENOMEM) {
			compare_free(c);
			return rc;
		}
		if (rc && !first)
			first = rc;
	}
	rc = write_reports(c, opt, err);
	*out = c;
	return first ? first : rc;
}

void compare_free(struct compare *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nr_runs; i++) {
		free(c->runs[i].domains);
		free(c->runs[i].items);
		gate_trace_free(c->runs[i].trace);
	}
	free(c->runs);
	free(c);
}

bool compare_has_irq_samples(const struct compare *c, unsigned int d)
{
	for (size_t i = 0; i < c->nr_runs; i++)
		if (c->runs[i].ran && c->runs[i].domains[d].irq_latency.n)
			return true;
	return false;
}

bool compare_meets_all(const struct compare_run *r)
{
	return r->ran && r->observed_ok && r->analytical_ok;
}
