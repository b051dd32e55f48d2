/*
 * hvlab report: a run directory (DIR/trace.xt, DIR/scenario.yaml) turned
 * into DIR/report.md, a self-contained DIR/report.html (plots inlined as
 * SVG, no external resources, no JavaScript) and DIR/report.json, with
 * the plots' data, scripts and images in DIR/plots/.
 *
 * Every figure comes from the trace (analysis/metrics.h); the analytical
 * WCRT bounds come from scenario.yaml (analysis/wcrt_scenario.h) and
 * stand beside the observed worst cases: an observation above a bound is
 * reported as a bug. pWCET (analysis/pwcet.h) is fitted to each domain's
 * IRQ latencies, with numbers only when the fit is accepted.
 *
 * Output is deterministic: no time stamp, host name or absolute path, so
 * two reports of the same run are byte-identical.
 */
#ifndef HV_REPORT_H
#define HV_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define REPORT_WINDOW_DEFAULT_NS 50000000ull /* timeline: first 50 ms */

/* Zero-initialised means: timeline over the first 50 ms, plots drawn. */
struct report_options {
	uint64_t window_start_ns, window_end_ns; /* both 0: the default */
	bool no_plots; /* no plots at all (no DIR/plots) */
	const char *gnuplot; /* program; NULL: gnuplot from PATH */
	FILE *err; /* messages; NULL: stderr */
};

/* What a report run found, for the exit status. */
struct report_outcome {
	unsigned int above_bound; /* observations above a bound: bugs */
	unsigned int plots_made;
	unsigned int plots_failed; /* gnuplot ran and failed */
	bool no_gnuplot; /* plots asked for, gnuplot missing */
	bool no_bounds; /* scenario.yaml missing, invalid or not this run */
};

/*
 * report_generate() - write the report of the run in @dir.
 * Return: 0 with *@out filled (it may still report bugs or missing
 * plots); -ENOENT when @dir/trace.xt is missing, -EINVAL for a malformed
 * trace (message with the byte offset), -ENOMEM, or the negative errno
 * of writing a file. Messages go to @opt->err.
 */
int report_generate(const char *dir, const struct report_options *opt,
		    struct report_outcome *out);

#endif /* HV_REPORT_H */
