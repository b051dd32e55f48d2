/*
 * hvlab: deterministic scheduling and latency analysis for partitioning
 * hypervisors. This file only dispatches; each subcommand's logic lives
 * in the folder of its concern.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
    {"run", cmd_run, "run a scenario on a backend, write trace + summary"},
    {"trace", cmd_trace, "dump, count or export a trace file (hvlab or Xen)"},
    {"wcrt", cmd_wcrt, "analytical response-time bounds for a scenario"},
    {"gate", cmd_gate, "check a run against latency budgets (exit 1, JUnit)"},
    {"compare", cmd_compare, "one scenario, several schedulers, one report"},
    {"report", cmd_report, "report of a run: md, html, json and plots"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: hvlab COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name,
			commands[i].help);
	fprintf(out, "\n'hvlab COMMAND --help' describes one command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "hvlab: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
