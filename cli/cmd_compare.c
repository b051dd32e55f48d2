/*
 * hvlab compare SCENARIO [--sched LIST] --out DIR [--force] [--no-gnuplot]
 *               [--backend sim|qemu]
 *
 * Run SCENARIO once per scheduler, every cpupool switched to it, and
 * write one side-by-side report (analysis/compare.h): DIR/<sched>/ with
 * the files of hvlab run, DIR/compare.md, DIR/compare.json, DIR/plots/.
 * Exit 0 when the report is written (whatever the verdicts: they are
 * the report), 1 when a run or a file failed, 2 on bad usage or input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "analysis/compare.h"
#include "cli.h"
#include "qemu/qemu_run.h"
#include "scenario/scenario.h"

#define MAX_SCHEDS 8

static void compare_usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: hvlab compare SCENARIO --out DIR [--sched LIST] "
	    "[options]\n"
	    "\n"
	    "Run SCENARIO under each scheduler of LIST with every cpupool\n"
	    "switched to it (parameters from the scenario's variants:\n"
	    "section, docs/compare.md), then write DIR/compare.md,\n"
	    "DIR/compare.json, DIR/plots/ (IRQ latency CDFs) and one\n"
	    "directory of hvlab run files per scheduler.\n"
	    "\n"
	    "options:\n"
	    "  --sched LIST    comma-separated schedulers (default\n"
	    "                  credit2,rtds,arinc653,null)\n"
	    "  --backend B     sim (default) or qemu: each run on the\n"
	    "                  arm64 hypervisor, as hvlab run --backend qemu\n"
	    "  --out DIR       output directory, created if missing\n"
	    "  --force         allow writing into a non-empty DIR\n"
	    "  --no-gnuplot    write the plot data and script, not images\n"
	    "  -q, --quiet     print nothing but errors\n"
	    "  -h, --help      this text\n"
	    "\n"
	    "exit status: 0 report written, 1 a run or a write failed, 2 "
	    "bad usage or scenario\n");
}

/* --backend qemu: one variant under QEMU; its trace is what counts. */
static int run_variant_on_qemu(void *ctx, const struct scenario *v,
			       const char *dir, FILE *err)
{
	struct qemu_result res;
	int rc = qemu_run_scenario(v, dir, true, err, &res);

	(void)ctx;
	if (rc)
		return rc;
	if (res.hv_status != HV_EXIT_DONE)
		fprintf(err,
			"hvlab compare: %s: the hypervisor ended with "
			"status %d (%s)\n",
			dir, res.hv_status, hv_exit_status_text(res.hv_status));
	return 0;
}

/* Split @list at commas into @out (pointing into @buf). */
static int split_list(const char *list, char *buf, size_t len, const char **out,
		      size_t *nr)
{
	char *save = NULL, *tok;

	if (strlen(list) >= len || !*list || list[strlen(list) - 1] == ',' ||
	    list[0] == ',' || strstr(list, ",,")) {
		fprintf(stderr,
			"hvlab compare: --sched '%s': expected scheduler "
			"names separated by commas, e.g. credit2,null\n",
			list);
		return -EINVAL;
	}
	strcpy(buf, list);
	*nr = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (*nr == MAX_SCHEDS) {
			fprintf(stderr,
				"hvlab compare: --sched: at most %d "
				"schedulers\n",
				MAX_SCHEDS);
			return -EINVAL;
		}
		out[(*nr)++] = tok;
	}
	return 0;
}

static void print_verdicts(const struct compare *c, bool written)
{
	for (size_t i = 0; i < c->nr_runs; i++) {
		const struct compare_run *r = &c->runs[i];

		if (!r->ran)
			printf("%-9s not run: %s\n", r->sched, r->reason);
		else if (compare_meets_all(r))
			printf("%-9s meets every deadline (observed and "
			       "analytical)\n",
			       r->sched);
		else
			printf("%-9s does not meet every deadline: observed "
			       "%s, analytical %s\n",
			       r->sched, r->observed_ok ? "met" : "missed",
			       r->analytical_ok ? "met" : "not guaranteed");
	}
	if (written)
		printf("wrote %s/compare.md, %s/compare.json, %s/plots/\n",
		       c->out_dir, c->out_dir, c->out_dir);
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"sched", required_argument, NULL, 's'},
	    {"backend", required_argument, NULL, 'b'},
	    {"out", required_argument, NULL, 'o'},
	    {"force", no_argument, NULL, 'f'},
	    {"no-gnuplot", no_argument, NULL, 'n'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *list = "credit2,rtds,arinc653,null", *out_dir = NULL;
	struct compare_options opt = {.gnuplot = true};
	const char *scheds[MAX_SCHEDS];
	struct scenario *scn;
	struct compare *c = NULL;
	bool quiet = false;
	char buf[256];
	size_t nr;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (ch) {
		case 's': list = optarg; break;
		case 'b':
			if (!strcmp(optarg, "qemu")) {
				opt.runner = run_variant_on_qemu;
			} else if (strcmp(optarg, "sim")) {
				fprintf(stderr,
					"hvlab compare: backend '%s': expected "
					"sim or qemu\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o': out_dir = optarg; break;
		case 'f': opt.force = true; break;
		case 'n': opt.gnuplot = false; break;
		case 'q': quiet = true; break;
		case 'h': compare_usage(stdout); return EXIT_OK;
		default: compare_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !out_dir) {
		fprintf(stderr, "hvlab compare: %s\n",
			optind >= argc ? "missing SCENARIO"
			: !out_dir     ? "missing --out DIR"
				       : "too many arguments");
		compare_usage(stderr);
		return EXIT_USAGE;
	}
	if (split_list(list, buf, sizeof(buf), scheds, &nr))
		return EXIT_USAGE;
	if (scenario_load(argv[optind], stderr, &scn))
		return EXIT_USAGE;
	rc = compare_run(scn, scheds, nr, out_dir, &opt, stderr, &c);
	if (c && !quiet)
		print_verdicts(c, !rc);
	for (size_t i = 0; c && quiet && i < c->nr_runs; i++)
		if (!c->runs[i].ran)
			fprintf(stderr, "hvlab compare: %s: not run: %s\n",
				c->runs[i].sched, c->runs[i].reason);
	compare_free(c);
	scenario_free(scn);
	if (rc == -EINVAL)
		return EXIT_USAGE;
	return rc ? EXIT_FAIL : EXIT_OK;
}
