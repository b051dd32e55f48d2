/*
 * hvlab gate DIR [--budgets FILE] [--junit OUT.xml] [-q]
 *
 * Check the run in DIR (the output of hvlab run, or one scheduler's
 * directory of hvlab compare) against latency budgets: those of
 * DIR/scenario.yaml, or of a budget file (expressions or YAML, told
 * apart by scenario/scenario_budgets.c). The samples come from
 * DIR/trace.xt (analysis/gate.h). Exit 0 when every budget holds, 1 when
 * one does not (or has no samples), 2 on bad usage or bad input.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/gate.h"
#include "cli.h"
#include "scenario/scenario.h"

static void gate_usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: hvlab gate DIR [--budgets FILE] [--junit OUT.xml] "
	    "[-q]\n"
	    "\n"
	    "Check the run in DIR (written by hvlab run) against latency\n"
	    "budgets, computed from DIR/trace.xt. The budgets are those of\n"
	    "DIR/scenario.yaml unless --budgets names a budget file\n"
	    "(docs/gate.md).\n"
	    "\n"
	    "options:\n"
	    "  --budgets FILE  budget file: one budget per line, e.g.\n"
	    "                  rt.irq_latency.p99 <= 20us, or a YAML\n"
	    "                  budgets: list\n"
	    "  --junit FILE    also write JUnit XML for CI\n"
	    "  -q, --quiet     do not print the table (failed budgets\n"
	    "                  are still listed, on stderr)\n"
	    "  -h, --help      this text\n"
	    "\n"
	    "exit status: 0 every budget met, 1 a budget exceeded or "
	    "without samples, 2 bad usage or input\n");
}

struct gate_input {
	struct scenario *scn;
	struct scn_budget_set *file; /* NULL: the scenario's budgets */
	const struct scn_budget *budgets;
	unsigned int nr;
	const char *source; /* where the budgets are written */
	char scn_path[4200];
};

static int load_input(const char *dir, const char *budget_path,
		      struct gate_input *in)
{
	snprintf(in->scn_path, sizeof(in->scn_path), "%s/scenario.yaml", dir);
	if (scenario_load(in->scn_path, stderr, &in->scn)) {
		fprintf(stderr,
			"hvlab gate: %s: expected the output directory of "
			"hvlab run, with scenario.yaml and trace.xt\n",
			dir);
		return EXIT_USAGE;
	}
	if (budget_path) {
		if (budgets_load(budget_path, in->scn, stderr, &in->file))
			return EXIT_USAGE;
		in->budgets = in->file->budgets;
		in->nr = in->file->nr_budgets;
		in->source = budget_path;
		return EXIT_OK;
	}
	in->budgets = in->scn->budgets;
	in->nr = in->scn->nr_budgets;
	in->source = in->scn_path;
	if (in->nr)
		return EXIT_OK;
	fprintf(stderr,
		"hvlab gate: %s has no budgets; expected a budgets: list "
		"there, or --budgets FILE\n",
		in->scn_path);
	return EXIT_USAGE;
}

static int read_trace(const char *dir, const struct scenario *scn,
		      struct gate_trace **t)
{
	char path[4200];
	const struct gate_trace_info *info;

	snprintf(path, sizeof(path), "%s/trace.xt", dir);
	if (gate_trace_read(path, scn, t, stderr))
		return EXIT_USAGE;
	info = gate_trace_info(*t);
	if (info->has_header && info->scenario_hash != scn->hash) {
		fprintf(stderr,
			"hvlab gate: %s was not made from %s/scenario.yaml "
			"(scenario hash 0x%016" PRIx64
			" in the trace, 0x%016" PRIx64
			" of the file); expected the files of one run\n",
			path, dir, info->scenario_hash, scn->hash);
		return EXIT_USAGE;
	}
	if (info->lost)
		fprintf(stderr,
			"hvlab gate: note: %s lost %" PRIu64
			" records; the statistics cover what was recorded\n",
			path, info->lost);
	return EXIT_OK;
}

int cmd_gate(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"budgets", required_argument, NULL, 'b'},
	    {"junit", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *budget_path = NULL, *junit = NULL;
	struct gate_input in = {0};
	struct gate_trace *t = NULL;
	struct gate_checks checks = {0};
	bool quiet = false;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'b': budget_path = optarg; break;
		case 'j': junit = optarg; break;
		case 'q': quiet = true; break;
		case 'h': gate_usage(stdout); return EXIT_OK;
		default: gate_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "hvlab gate: %s\n",
			optind >= argc ? "missing DIR" : "too many arguments");
		gate_usage(stderr);
		return EXIT_USAGE;
	}
	rc = load_input(argv[optind], budget_path, &in);
	if (!rc)
		rc = read_trace(argv[optind], in.scn, &t);
	if (rc)
		goto out;
	rc = gate_checks_run(in.scn, t, in.budgets, in.nr, NULL, stderr,
			     &checks);
	if (rc) {
		if (rc == -ENOMEM)
			fprintf(stderr, "hvlab gate: out of memory\n");
		rc = rc == -ENOMEM ? EXIT_FAIL : EXIT_USAGE;
		goto out;
	}
	if (!gate_report(&checks, quiet, "hvlab gate", junit, in.source))
		rc = EXIT_FAIL;
out:
	gate_checks_free(&checks);
	gate_trace_free(t);
	budgets_free(in.file);
	scenario_free(in.scn);
	return rc;
}
