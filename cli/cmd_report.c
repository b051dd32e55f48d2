/*
 * hvlab report DIR [--window START:END] [--no-plots] [--gnuplot PROG] [-q]
 *
 * The report of a run directory (analysis/report.c): DIR/report.md,
 * DIR/report.html, DIR/report.json and DIR/plots/. Exit 0 when all is
 * well; 1 when the report was written but an observation lies above an
 * analytical bound (a bug), a plot could not be drawn (gnuplot missing
 * or failing: data files and scripts are still written) or a file could
 * not be written; 2 on bad usage, a missing DIR/trace.xt or a malformed
 * trace.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analysis/report.h"
#include "cli.h"

static void report_usage(FILE *out)
{
	fprintf(out,
		"usage: hvlab report DIR [--window START:END] [--no-plots] "
		"[--gnuplot PROG] [-q]\n"
		"\n"
		"Write DIR/report.md, DIR/report.html (self-contained, plots "
		"inlined)\nand DIR/report.json from DIR/trace.xt and "
		"DIR/scenario.yaml, the output\nof `hvlab run`, with each "
		"plot's data, gnuplot script, SVG and PNG\nin DIR/plots/.\n"
		"\n"
		"options:\n"
		"  --window START:END  schedule timeline window, times with "
		"a unit (ns,\n"
		"                      us, ms, s; ms if none), default "
		"0:50ms\n"
		"  --no-plots          no plots, no gnuplot\n"
		"  --gnuplot PROG      the gnuplot to run (default: gnuplot "
		"on PATH)\n"
		"  -q, --quiet         print nothing on success\n"
		"  -h, --help          this text\n"
		"\n"
		"exit status: 0 done, 1 written but an observation exceeds "
		"a bound (a bug),\na plot could not be drawn or a file not "
		"written, 2 bad usage or bad input\n");
}

/*
 * Parses "1.5ms" into ns, exactly (up to 9 decimals).
 * Return: 0, or -EINVAL.
 */
static int parse_time(const char *s, size_t len, uint64_t *out)
{
	static const struct {
		const char *unit;
		uint64_t ns;
	} units[] = {{"ns", 1},
		     {"us", 1000},
		     {"ms", 1000000},
		     {"s", 1000000000},
		     {"", 1000000}};
	uint64_t whole = 0, frac = 0, frac_div = 1;
	size_t i = 0, digits = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		whole = whole * 10 + (uint64_t)(s[i] - '0');
	}
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (frac_div == 1000000000ull)
				return -EINVAL;
			frac = frac * 10 + (uint64_t)(s[i] - '0');
			frac_div *= 10;
			digits++;
		}
	if (!digits)
		return -EINVAL;
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		uint64_t ns = units[u].ns;

		if (strlen(units[u].unit) != len - i ||
		    strncmp(s + i, units[u].unit, len - i))
			continue;
		if (whole > UINT64_MAX / ns || frac * ns % frac_div ||
		    whole * ns > UINT64_MAX - frac * ns / frac_div)
			return -EINVAL; /* too big, or below 1 ns */
		*out = whole * ns + frac * ns / frac_div;
		return 0;
	}
	return -EINVAL;
}

static int parse_window(const char *arg, struct report_options *opt)
{
	const char *colon = strchr(arg, ':');

	if (!colon ||
	    parse_time(arg, (size_t)(colon - arg), &opt->window_start_ns) ||
	    parse_time(colon + 1, strlen(colon + 1), &opt->window_end_ns) ||
	    opt->window_end_ns <= opt->window_start_ns) {
		fprintf(stderr,
			"hvlab report: --window '%s': expected START:END with "
			"START < END, e.g. 0:50ms or 1.5s:1.6s\n",
			arg);
		return -EINVAL;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"window", required_argument, NULL, 'w'},
	    {"no-plots", no_argument, NULL, 'n'},
	    {"gnuplot", required_argument, NULL, 'g'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct report_options opt = {.err = stderr};
	struct report_outcome res;
	bool quiet = false;
	const char *dir;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (parse_window(optarg, &opt))
				return EXIT_USAGE;
			break;
		case 'n': opt.no_plots = true; break;
		case 'g': opt.gnuplot = optarg; break;
		case 'q': quiet = true; break;
		case 'h': report_usage(stdout); return EXIT_OK;
		default: report_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		report_usage(stderr);
		return EXIT_USAGE;
	}
	dir = argv[optind];
	rc = report_generate(dir, &opt, &res);
	if (rc == -ENOENT || rc == -EINVAL || rc == -EFBIG || rc == -ENOTDIR)
		return EXIT_USAGE;
	if (rc) {
		fprintf(stderr, "hvlab report: %s: %s\n", dir, strerror(-rc));
		return EXIT_FAIL;
	}
	if (res.above_bound)
		fprintf(stderr,
			"hvlab report: BUG: %u observation(s) above an "
			"analytical bound; see %s/report.md\n",
			res.above_bound, dir);
	if (!quiet)
		printf("wrote %s/report.md, %s/report.html, %s/report.json "
		       "(%u plots drawn)\n",
		       dir, dir, dir, res.plots_made);
	if (res.above_bound || res.no_gnuplot || res.plots_failed)
		return EXIT_FAIL;
	return EXIT_OK;
}
