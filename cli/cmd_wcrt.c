/*
 * hvlab wcrt SCENARIO [--format text|json|md] [-o FILE]
 *
 * Analytical response-time bounds for every task and interrupt handler of
 * the scenario, on the supply its scheduler guarantees (analysis/
 * wcrt_scenario.c). Exit 0 when every analysable deadline is met, 1 when
 * a bound misses its deadline, 2 on bad usage or a bad scenario.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "analysis/wcrt_scenario.h"
#include "cli.h"
#include "scenario/scenario.h"

static void wcrt_usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: hvlab wcrt SCENARIO [--format text|json|md] [-o FILE]\n"
	    "\n"
	    "Worst-case response-time bounds for every task and interrupt\n"
	    "handler, on the supply each domain's scheduler guarantees:\n"
	    "null = a dedicated pCPU, arinc653 = its exact window table\n"
	    "(with the periodic-resource approximation beside it), rtds =\n"
	    "its server if the pool passes the deferrable-server admission\n"
	    "test, credit2 = no guarantee, so no bound. The scenario's\n"
	    "hypervisor cost model is charged. Also prints the smallest\n"
	    "RTDS budget or ARINC653 window that meets every deadline.\n"
	    "\n"
	    "exit status: 0 all deadlines met, 1 a bound misses its "
	    "deadline, 2 bad usage or scenario\n");
}

int cmd_wcrt(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	enum wcrt_format fmt = WCRT_FORMAT_TEXT;
	const char *out_path = NULL;
	struct scenario *scn;
	struct wcrt_report *r;
	FILE *out = stdout;
	bool all_met = true;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				fmt = WCRT_FORMAT_TEXT;
			else if (!strcmp(optarg, "json"))
				fmt = WCRT_FORMAT_JSON;
			else if (!strcmp(optarg, "md"))
				fmt = WCRT_FORMAT_MD;
			else {
				fprintf(stderr,
					"hvlab wcrt: --format '%s': "
					"expected text, json or md\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o': out_path = optarg; break;
		case 'h': wcrt_usage(stdout); return EXIT_OK;
		default: wcrt_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		wcrt_usage(stderr);
		return EXIT_USAGE;
	}
	if (scenario_load(argv[optind], stderr, &scn))
		return EXIT_USAGE;
	rc = wcrt_scenario_analyze(scn, stderr, &r);
	if (rc) {
		fprintf(stderr, "hvlab wcrt: analysis failed: %s\n",
			strerror(-rc));
		scenario_free(scn);
		return EXIT_FAIL;
	}
	if (out_path && !(out = fopen(out_path, "w"))) {
		fprintf(stderr, "%s: cannot create: %s\n", out_path,
			strerror(errno));
		wcrt_report_free(r);
		scenario_free(scn);
		return EXIT_FAIL;
	}
	wcrt_report_print(r, fmt, out);
	for (size_t i = 0; i < r->nr_items; i++)
		if (r->items[i].status == WCRT_OK && !r->items[i].met)
			all_met = false;
	rc = out != stdout && fclose(out) ? EXIT_FAIL : EXIT_OK;
	wcrt_report_free(r);
	scenario_free(scn);
	return rc ? rc : all_met ? EXIT_OK : EXIT_FAIL;
}
