/*
 * The report's model and its output formats. Internal to the report
 * files (report*.c) and to tests/unit/test_report.c, which edits the
 * model between report_build() and report_write() to check that an
 * observation above a bound is flagged.
 *
 *   report.c         report_build(): metrics, scenario, bounds, pWCET;
 *                    report_write(): the driver, one file per format
 *   report_plots.c   report_make_plots(): which plots, from the model
 *   report_doc.c     the document walk (sections, tables)
 *   report_md.c      Markdown     \  one ops table each
 *   report_html.c    HTML         |  (report_format)
 *   report_json.c    JSON         /
 */
#ifndef HV_REPORT_PRIVATE_H
#define HV_REPORT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hv/types.h>

#include "analysis/metrics.h"
#include "analysis/plot.h"
#include "analysis/pwcet.h"
#include "analysis/report.h"

struct scenario;
struct wcrt_report;

#define REPORT_TEXT_LEN 256
#define REPORT_MAX_PLOTS 64

/* One task or IRQ handler: its analytical bound beside what was seen. */
struct report_bound {
	bool irq; /* else a task */
	const struct metrics_domain *dom; /* NULL: not in the trace */
	const char *dom_name, *name; /* from the scenario */
	unsigned int dom_id, index;
	hv_time_t deadline_ns;
	bool has_bound;
	hv_time_t bound_ns; /* has_bound */
	char why[REPORT_TEXT_LEN]; /* !has_bound: the analysis's reason */
	uint64_t n; /* observations (completed jobs, handler ends) */
	uint64_t observed_max_ns; /* n > 0 */
	bool above; /* n > 0, has_bound, observed_max_ns > bound_ns: a bug */
};

/* pWCET of one domain's IRQ latencies. */
struct report_pwcet {
	const struct metrics_domain *dom;
	bool ran; /* else skipped: see why */
	char why[REPORT_TEXT_LEN];
	struct pwcet_result res; /* ran */
};

/* One plot, as the formats show it. */
struct report_plot {
	char name[64]; /* file stem in plots/ */
	char title[128];
	char caption[REPORT_TEXT_LEN];
	const char *section; /* "irq_latency", "sched_latency", ... */
	int status; /* enum plot_status, or a negative errno */
	const struct metrics_domain *dom; /* per-domain plots, else NULL */
};

struct report {
	char dir[4096]; /* the run directory (never printed) */
	struct report_options opt;
	struct metrics *m;
	const struct metrics_run *run;
	struct scenario *scn; /* NULL: missing or invalid */
	bool scn_matches; /* its hash is the trace header's */
	char scn_note[REPORT_TEXT_LEN]; /* why bounds are missing */
	struct wcrt_report *wcrt; /* NULL: no bounds */
	struct report_bound *bounds;
	size_t nr_bounds;
	unsigned int nr_above;
	struct report_pwcet *pwcet; /* one per domain with IRQ samples */
	size_t nr_pwcet;
	uint64_t window_start_ns, window_end_ns;
	bool plots_wanted;
	bool no_gnuplot;
	struct report_plot plots[REPORT_MAX_PLOTS];
	size_t nr_plots;
};

/*
 * report_build() - read @dir's trace and scenario into a new report.
 * Return: 0 and *@out; -ENOENT (no trace.xt), -EINVAL (bad trace),
 * -ENOMEM; messages on @opt->err.
 */
int report_build(const char *dir, const struct report_options *opt,
		 struct report **out);

/* report_check_bounds() - recompute each bound's verdict and nr_above. */
void report_check_bounds(struct report *rep);

/*
 * report_make_plots() - write plots/ and fill rep->plots.
 * Return: 0 or a negative errno (plots/ could not be created).
 */
int report_make_plots(struct report *rep);

/*
 * report_write() - write report.md, report.html and report.json.
 * Return: 0 or the negative errno of the first file that failed.
 */
int report_write(const struct report *rep);

void report_free(struct report *rep);

/* ---- formats ---- */

/* A table of plain-text cells; formats escape as they need. */
struct report_table {
	size_t nr_cols;
	const char *const *head;
	const char *align; /* 'l' or 'r' per column */
	size_t nr_rows;
	char **cells; /* nr_rows * nr_cols */
	bool *alert; /* per row: a bug, shown loudly */
};

/*
 * One output format. Document formats (Markdown, HTML) get the walk of
 * report_doc.c, so they say the same things in the same order; a data
 * format (JSON) sets only .write and serialises the model itself.
 * Text arguments are plain text.
 */
struct report_format {
	const char *file; /* "report.md" */
	void (*write)(FILE *out, const struct report *rep);
	void (*begin)(FILE *out, const char *title);
	void (*heading)(FILE *out, unsigned int level, const char *text);
	void (*para)(FILE *out, const char *text);
	void (*alert)(FILE *out, const char *text);
	void (*table)(FILE *out, const struct report_table *t);
	void (*plot)(FILE *out, const struct report *rep,
		     const struct report_plot *p);
	void (*end)(FILE *out);
};

/*
 * report_doc_walk() - the document: every section, in order, through
 * @f's hooks (report_doc.c).
 */
void report_doc_walk(const struct report_format *f, FILE *out,
		     const struct report *rep);

extern const struct report_format report_md_format;
extern const struct report_format report_html_format;
extern const struct report_format report_json_format;

/* "12.345" (us, exact, from integer ns) into @buf of 32 bytes. */
const char *report_us(char *buf, uint64_t ns);

/* A bound's verdict in words: "ok", "BUG: ...", "no bound: ...". */
void report_verdict(const struct report_bound *b, char *buf, size_t len);

/* The scenario's name, or "unknown". */
const char *report_scenario_name(const struct report *rep);

/* "sim", "qemu", "xen" or "unknown". */

#endif /* HV_REPORT_PRIVATE_H */
