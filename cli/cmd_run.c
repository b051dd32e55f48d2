/*
 * hvlab run SCENARIO [--backend sim|qemu] --out DIR [--force] [--seed N]
 *           [--gate [--junit FILE]] [-q]
 *
 * Writes into DIR: scenario.yaml (the exact input, so the run can be
 * repeated), trace.xt (xentrace layout) and summary.txt, which is computed
 * from trace.xt alone. The same scenario and seed give byte-identical
 * files. With --gate, the scenario's own budgets are then checked on the
 * new trace as hvlab gate DIR would (analysis/gate.h), and a budget
 * exceeded makes the exit status 1.
 *
 * --backend qemu runs the same scenario on the arm64 hypervisor under
 * QEMU (qemu/qemu_run.c); DIR then also holds console.log, the device
 * trees and the guest images, and the summary is computed the same way.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis/files.h"
#include "analysis/gate.h"
#include "analysis/summary.h"
#include "cli.h"
#include "qemu/qemu_run.h"
#include "hv-core/arch/sim/sim.h"
#include "scenario/scenario.h"

static void run_usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: hvlab run SCENARIO --out DIR [options]\n"
	    "\n"
	    "Run SCENARIO and write DIR/trace.xt, DIR/summary.txt and a copy\n"
	    "of the scenario as DIR/scenario.yaml. The summary is printed "
	    "too.\n"
	    "\n"
	    "options:\n"
	    "  --backend B     sim (default): the discrete-event simulation;\n"
	    "                  qemu: the arm64 hypervisor on QEMU virt under\n"
	    "                  -icount (docs/arm64.md)\n"
	    "  --out DIR       output directory, created if missing\n"
	    "  --force         allow writing into a non-empty DIR\n"
	    "  --seed N        override the scenario's seed\n"
	    "  --trace-kib N   trace ring per pCPU in KiB (default 128, as\n"
	    "                  xentrace's 32 pages)\n"
	    "  --trace-poll-ms N  drain the rings every N ms of simulated\n"
	    "                  time, as xentrace -s, instead of at half full\n"
	    "  --gate          then check the scenario's budgets: on the\n"
	    "                  trace, as hvlab gate DIR does\n"
	    "  --junit FILE    with --gate: also write JUnit XML for CI\n"
	    "  -q, --quiet     do not print the summary, progress or the\n"
	    "                  gate's table (failed budgets still are)\n"
	    "  -h, --help      this text\n"
	    "\n"
	    "exit status: 0 done, 1 run or write failed or (--gate) a budget "
	    "exceeded, 2 bad usage or bad scenario\n");
}

/* A count from 1 to 1000000 for option @opt. Returns 0 or -EINVAL. */
static int parse_count(const char *opt, const char *arg, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (errno || *end || !*arg || arg[0] == '-' || *out == 0 ||
	    *out > 1000000) {
		fprintf(stderr,
			"hvlab run: %s '%s': expected a whole number from 1 "
			"to 1000000\n",
			opt, arg);
		return -EINVAL;
	}
	return 0;
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out;
	char buf[65536];
	size_t n;
	int rc = 0;

	if (!in)
		return -errno;
	out = fopen(to, "wb");
	if (!out) {
		rc = -errno;
		fclose(in);
		return rc;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			rc = -EIO;
			break;
		}
	if (ferror(in))
		rc = -EIO;
	fclose(in);
	if (fclose(out) && !rc)
		rc = -errno;
	return rc;
}

struct progress {
	struct timespec start;
	bool tty;
	bool shown;
	int last_quarter;
};

static double host_seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Only runs longer than a second show progress: short runs stay quiet. */
static void show_progress(void *ctx, hv_time_t now, hv_time_t end)
{
	struct progress *p = ctx;
	double pct = end > 0 ? 100.0 * (double)now / (double)end : 100.0;

	if (host_seconds_since(&p->start) < 1.0)
		return;
	if (p->tty) {
		fprintf(stderr,
			"\rhvlab run: %5.1f%% (%.3f of %.3f s simulated)", pct,
			(double)now / 1e9, (double)end / 1e9);
		p->shown = true;
	} else if ((int)(pct / 25) > p->last_quarter) {
		p->last_quarter = (int)(pct / 25);
		fprintf(stderr,
			"hvlab run: %.0f%% (%.3f of %.3f s simulated)\n", pct,
			(double)now / 1e9, (double)end / 1e9);
	}
}

static int write_summary(const char *trace_path, const char *summary_path,
			 bool print)
{
	struct summary *s;
	FILE *out;
	int rc = summary_from_trace(trace_path, &s, stderr);

	if (rc)
		return rc;
	out = fopen(summary_path, "w");
	if (!out) {
		rc = -errno;
		fprintf(stderr, "%s: cannot create: %s\n", summary_path,
			strerror(errno));
		summary_free(s);
		return rc;
	}
	summary_print_text(s, out);
	if (fclose(out)) {
		rc = -errno;
		fprintf(stderr, "%s: write failed: %s\n", summary_path,
			strerror(errno));
	}
	if (print && !rc)
		summary_print_text(s, stdout);
	summary_free(s);
	return rc;
}

/*
 * --gate: the budgets of @scn (the scenario just run) against @trace_path.
 * Return: an exit status.
 */
static int run_gate(const struct scenario *scn, const char *trace_path,
		    const char *junit, bool quiet)
{
	struct gate_trace *t = NULL;
	struct gate_checks checks = {0};
	int rc;

	if (!scn->nr_budgets) {
		fprintf(quiet ? stderr : stdout,
			"hvlab run: --gate: no budgets in %s\n", scn->path);
		return EXIT_OK;
	}
	if (gate_trace_read(trace_path, scn, &t, stderr))
		return EXIT_FAIL;
	rc = gate_checks_run(scn, t, scn->budgets, scn->nr_budgets, NULL,
			     stderr, &checks);
	gate_trace_free(t);
	if (rc) {
		fprintf(stderr, "hvlab run: --gate: %s\n", strerror(-rc));
		return EXIT_FAIL;
	}
	if (!quiet)
		putchar('\n');
	rc = gate_report(&checks, quiet, "hvlab run", junit, scn->path)
		 ? EXIT_OK
		 : EXIT_FAIL;
	gate_checks_free(&checks);
	return rc;
}

/* --backend qemu: QEMU's run, then the summary from its trace. */
static int run_on_qemu(const struct scenario *scn, const char *out_dir,
		       const char *trace_path, const char *summary_path,
		       bool quiet)
{
	struct qemu_result res;
	int rc = qemu_run_scenario(scn, out_dir, quiet, stderr, &res);

	if (rc)
		return EXIT_FAIL;
	if (res.hv_status != HV_EXIT_DONE) {
		fprintf(stderr,
			"hvlab run: the hypervisor ended with status %d"
			" (%s); see %s/console.log\n",
			res.hv_status, hv_exit_status_text(res.hv_status),
			out_dir);
		if (access(trace_path, R_OK))
			return EXIT_FAIL;
	}
	if (write_summary(trace_path, summary_path, !quiet))
		return EXIT_FAIL;
	if (!quiet)
		printf("\nwrote %s, %s (QEMU: %.1f s of host time)\n",
		       trace_path, summary_path, res.host_seconds);
	return res.hv_status == HV_EXIT_DONE ? EXIT_OK : EXIT_FAIL;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"backend", required_argument, NULL, 'b'},
	    {"out", required_argument, NULL, 'o'},
	    {"force", no_argument, NULL, 'f'},
	    {"seed", required_argument, NULL, 's'},
	    {"trace-kib", required_argument, NULL, 'k'},
	    {"trace-poll-ms", required_argument, NULL, 'p'},
	    {"gate", no_argument, NULL, 'g'},
	    {"junit", required_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *backend = "sim", *out_dir = NULL, *seed_arg = NULL;
	const char *junit = NULL;
	unsigned long ring_kib = 0, poll_ms = 0;
	bool force = false, quiet = false, gate = false;
	char trace_path[4200], summary_path[4200], copy_path[4200];
	struct scenario *scn;
	struct sim_stats st;
	struct progress prog = {.last_quarter = 0};
	struct sim_options so = {0};
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'b': backend = optarg; break;
		case 'o': out_dir = optarg; break;
		case 'f': force = true; break;
		case 's': seed_arg = optarg; break;
		case 'q': quiet = true; break;
		case 'g': gate = true; break;
		case 'j': junit = optarg; break;
		case 'k':
		case 'p':
			if (parse_count(
				c == 'k' ? "--trace-kib" : "--trace-poll-ms",
				optarg, c == 'k' ? &ring_kib : &poll_ms))
				return EXIT_USAGE;
			break;
		case 'h': run_usage(stdout); return EXIT_OK;
		default: run_usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !out_dir) {
		fprintf(stderr, "hvlab run: %s\n",
			optind >= argc ? "missing SCENARIO"
			: !out_dir     ? "missing --out DIR"
				       : "too many arguments");
		run_usage(stderr);
		return EXIT_USAGE;
	}
	if (junit && !gate) {
		fprintf(stderr, "hvlab run: --junit needs --gate\n");
		run_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(backend, "sim") && strcmp(backend, "qemu")) {
		fprintf(stderr,
			"hvlab run: backend '%s' is not available; "
			"expected: sim or qemu\n",
			backend);
		return EXIT_USAGE;
	}

	/* Validate everything before touching the output directory. */
	rc = scenario_load(argv[optind], stderr, &scn);
	if (rc)
		return EXIT_USAGE;
	if (seed_arg) {
		char *end;

		errno = 0;
		scn->seed = strtoull(seed_arg, &end, 0);
		if (errno || *end || !*seed_arg || seed_arg[0] == '-') {
			fprintf(stderr,
				"hvlab run: --seed '%s': expected a "
				"non-negative integer\n",
				seed_arg);
			scenario_free(scn);
			return EXIT_USAGE;
		}
	}
	rc = files_dir_has_entries(out_dir);
	if (rc > 0 && !force) {
		fprintf(stderr,
			"hvlab run: %s is not empty; use --force to "
			"write into it\n",
			out_dir);
		scenario_free(scn);
		return EXIT_USAGE;
	}
	if (rc < 0 || (rc = files_mkdir_p(out_dir))) {
		fprintf(stderr, "hvlab run: %s: %s\n", out_dir, strerror(-rc));
		scenario_free(scn);
		return EXIT_FAIL;
	}
	snprintf(trace_path, sizeof(trace_path), "%s/trace.xt", out_dir);
	snprintf(summary_path, sizeof(summary_path), "%s/summary.txt", out_dir);
	snprintf(copy_path, sizeof(copy_path), "%s/scenario.yaml", out_dir);
	rc = copy_file(argv[optind], copy_path);
	if (rc) {
		fprintf(stderr, "%s: cannot write: %s\n", copy_path,
			strerror(-rc));
		scenario_free(scn);
		return EXIT_FAIL;
	}

	if (!strcmp(backend, "qemu")) {
		rc = run_on_qemu(scn, out_dir, trace_path, summary_path, quiet);
		if (rc == EXIT_OK && gate)
			rc = run_gate(scn, trace_path, junit, quiet);
		scenario_free(scn);
		return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &prog.start);
	prog.tty = isatty(STDERR_FILENO);
	so.trace_path = trace_path;
	so.trace_ring_bytes = ring_kib * 1024;
	so.trace_poll_ns = (hv_time_t)poll_ms * 1000000;
	if (!quiet) {
		so.progress = show_progress;
		so.progress_ctx = &prog;
	}
	rc = sim_run_scenario(scn, &so, &st, stderr);
	if (prog.shown)
		fputc('\n', stderr);
	if (rc) {
		fprintf(stderr, "hvlab run: simulation failed: %s\n",
			strerror(-rc));
		scenario_free(scn);
		return EXIT_FAIL;
	}
	if (st.sched_errors)
		fprintf(stderr,
			"hvlab run: warning: %llu invalid scheduler "
			"decisions were replaced by idle\n",
			(unsigned long long)st.sched_errors);
	if (st.trace_lost)
		fprintf(stderr,
			"hvlab run: note: %llu trace records were lost (ring "
			"full); the trace carries lost-record notes\n",
			(unsigned long long)st.trace_lost);
	if (st.trace_errors)
		fprintf(stderr, "hvlab run: warning: a corrupt trace ring "
				"stopped tracing early\n");
	if (st.backlog_overflows)
		fprintf(stderr,
			"hvlab run: note: %llu task releases were dropped: a "
			"task had 65536 unfinished jobs (overload)\n",
			(unsigned long long)st.backlog_overflows);
	if (st.irqs_merged)
		fprintf(stderr,
			"hvlab run: note: %llu interrupts arrived while the "
			"same interrupt was still pending and merged into it\n",
			(unsigned long long)st.irqs_merged);
	rc = write_summary(trace_path, summary_path, !quiet);
	if (rc) {
		scenario_free(scn);
		return EXIT_FAIL;
	}
	if (!quiet)
		printf("\nwrote %s (%llu records), %s, %s\n", trace_path,
		       (unsigned long long)st.trace_records, summary_path,
		       copy_path);
	rc = gate ? run_gate(scn, trace_path, junit, quiet) : EXIT_OK;
	scenario_free(scn);
	return rc;
}
