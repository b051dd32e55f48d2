/*
 * Plots for reports, drawn by gnuplot. Each plot NAME is four files in
 * one directory:
 *
 *   NAME.dat   the numbers, with a commented header naming columns/units
 *   NAME.gp    the gnuplot script; `cd DIR && gnuplot NAME.gp` redraws it
 *   NAME.svg   640x400, 12 pt font (readable at paper column width)
 *   NAME.png   the same, pngcairo if gnuplot has it, else png
 *
 * The data file and the script are always written; gnuplot then runs as a
 * child process in that directory (unless the context says not to). The
 * files hold no time stamp, host name or absolute path, so the same input
 * gives byte-identical files (gnuplot's SVG is deterministic for a given
 * gnuplot version). Times are nanoseconds in and microseconds on the
 * axes (milliseconds on the timeline); every axis names its unit.
 */
#ifndef HV_PLOT_H
#define HV_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct stats;
struct pwcet_result;

enum plot_status {
	PLOT_MADE = 0, /* .dat, .gp, .svg and .png written */
	PLOT_SCRIPT_ONLY, /* gnuplot not run, as asked */
	PLOT_NO_GNUPLOT, /* gnuplot not found: .dat and .gp only */
	PLOT_FAILED, /* gnuplot failed (its message went to err) */
};

/* Where plots go and how they are made; one per report. */
struct plot_ctx {
	const char *dir; /* output directory, must exist */
	const char *gnuplot; /* program; NULL: "gnuplot" from PATH */
	bool run; /* false: write .dat and .gp only */
	FILE *err; /* gnuplot's messages on failure; may be NULL */
	/* filled in as plots are made */
	int found; /* gnuplot on PATH: -1 not checked yet, 0 no, 1 yes */
	unsigned int nr_made, nr_failed;
};

/* A labelled set of samples (ns), e.g. one domain or one scheduler. */
struct plot_sample_set {
	const char *label;
	struct stats *stats;
};

/* A stretch of @series (a legend entry) on @row (a pCPU) of a timeline. */
struct plot_span {
	uint64_t start_ns, end_ns;
	unsigned int row;
	unsigned int series;
};

/*
 * Each plot_*() writes NAME.dat and NAME.gp in @c->dir, then runs
 * gnuplot if @c->run. @title and labels are plain text (no gnuplot
 * markup; any character is safe). Empty sample sets (no samples, or
 * stats NULL) are skipped.
 * Return: a plot_status, or a negative errno when a file could not be
 * written (-ENODATA when there is nothing to plot).
 */

/* Histogram of @s in @nbins bins over [min, max], log count axis. */
int plot_histogram(struct plot_ctx *c, const char *name, const char *title,
		   const char *xlabel, struct stats *s, size_t nbins);

/*
 * Complementary CDF, P(X > x), of each set on a log axis (down to 1/n),
 * so the tail is visible; the data file also carries the CDF.
 */
int plot_ccdf(struct plot_ctx *c, const char *name, const char *title,
	      const char *xlabel, const struct plot_sample_set *sets, size_t n);

/*
 * One box per set: box p25..p75, line at p50, whiskers min..p99, a cross
 * at max (nearest-rank percentiles from stats.h). For one run, one box
 * per domain; `hvlab compare` passes one per scheduler.
 */
int plot_box(struct plot_ctx *c, const char *name, const char *title,
	     const char *ylabel, const struct plot_sample_set *sets, size_t n);

/*
 * Who runs where: one row per pCPU (@nr_rows, labelled "pCPU n"), one
 * colour per series (@labels[series]), over [@start_ns, @end_ns].
 */
int plot_timeline(struct plot_ctx *c, const char *name, const char *title,
		  const struct plot_span *spans, size_t nr_spans,
		  unsigned int nr_rows, const char *const *labels,
		  size_t nr_labels, uint64_t start_ns, uint64_t end_ns);

/*
 * The pWCET curve of @r (must be PWCET_OK): exceedance probability per
 * run against latency, log probability axis, with the empirical CCDF of
 * @observed (may be NULL) and the worst observed value beside it.
 */
int plot_pwcet(struct plot_ctx *c, const char *name, const char *title,
	       const char *xlabel, const struct pwcet_result *r,
	       struct stats *observed);

/* plot_status_name() - "made", "script-only", "no-gnuplot", "failed". */
const char *plot_status_name(enum plot_status st);

/*
 * Internal to plot.c and plot_gnuplot.c: run gnuplot on NAME.gp in
 * @c->dir and check that NAME.svg and NAME.png came out.
 * Return: the plot_status.
 */
enum plot_status plot_gnuplot_run(struct plot_ctx *c, const char *name);

/* Is @prog an executable file, by path or on PATH (default
 * /usr/bin:/bin)? */
bool plot_program_found(const char *prog);

#endif /* HV_PLOT_H */
