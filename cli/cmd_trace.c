/*
 * hvlab trace dump|stats|export FILE [options]
 *
 * Tools for trace files in xentrace layout, written by `hvlab run` or by a
 * real Xen's xentrace. The work is in tracing/ (export.h, trace_stats.h);
 * this file parses the command line, opens the files and maps errors to
 * exit statuses: 0 done, 1 I/O failure, 2 bad usage or bad trace file.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "tracing/export.h"
#include "tracing/trace_reader.h"
#include "tracing/trace_stats.h"

/* 1 THz: far above any counter, and keeps ticks * 1e9 well in range. */
#define MAX_CPU_HZ 1000000000000ull

enum trace_cmd { CMD_DUMP, CMD_STATS, CMD_EXPORT };

struct trace_args {
	enum trace_cmd cmd;
	const char *name; /* "dump", "stats", "export" */
	const char *file;
	const char *out_path; /* NULL: stdout */
	const struct trace_export_ops *format;
	struct trace_export_opts opts;
	bool has_filters; /* --cpu, --event or --limit given */
};

static void trace_usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: hvlab trace dump FILE [options]\n"
	    "       hvlab trace stats FILE [options]\n"
	    "       hvlab trace export FILE --format FORMAT [-o OUT] "
	    "[options]\n"
	    "\n"
	    "Read a trace in xentrace layout, from `hvlab run` or a real Xen.\n"
	    "  dump    every record in time order across pCPUs, decoded\n"
	    "  stats   records per event, pCPU and domain; lost records, wrap\n"
	    "          fillers and the time span\n"
	    "  export  the records as csv, json, perfetto (Chrome trace-event\n"
	    "          JSON for ui.perfetto.dev and chrome://tracing) or text\n"
	    "\n"
	    "options:\n"
	    "  --cpu-hz HZ        trace clock if FILE has no hvlab header, "
	    "e.g.\n"
	    "                     2400000000 or 2.4G (default 2.4G, as "
	    "xenalyze)\n"
	    "  --cpu N            only records of pCPU N (dump, export)\n"
	    "  --event NAME|0xID  only this event; repeat for more (dump, "
	    "export)\n"
	    "  --limit N          stop after N records (dump, export)\n"
	    "  -f, --format F     export format: %s\n"
	    "  -o, --out OUT      write to OUT instead of standard output\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "Event names are those of docs/trace-format.md. Times are seconds\n"
	    "from the first timestamp. See docs/trace-tools.md.\n"
	    "\n"
	    "exit status: 0 done, 1 I/O failure, 2 bad usage or bad trace "
	    "file\n",
	    trace_export_format_names());
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("hvlab trace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see 'hvlab trace --help')\n", stderr);
	return EXIT_USAGE;
}

/* A whole number of Hz: digits, optional decimals, optional k/M/G, Hz. */
static int parse_hz(const char *s, uint64_t *out)
{
	unsigned __int128 v = 0, mult = 1, div = 1;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++)
		if ((v = v * 10 + (unsigned int)(*p - '0')) > MAX_CPU_HZ)
			return -EINVAL;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			if (div >= 1000000000u)
				return -EINVAL;
			v = v * 10 + (unsigned int)(*p - '0');
			div *= 10;
		}
	}
	switch (*p) {
	case 'k':
	case 'K':
		mult = 1000;
		p++;
		break;
	case 'M':
		mult = 1000000;
		p++;
		break;
	case 'G':
		mult = 1000000000;
		p++;
		break;
	default: break;
	}
	if (!strcasecmp(p, "hz"))
		p += 2;
	v *= mult;
	if (*p || v % div || !v || v / div > MAX_CPU_HZ)
		return -EINVAL;
	*out = (uint64_t)(v / div);
	return 0;
}

static int parse_count(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Return: -1 when parsed, else the exit status. */
static int trace_parse(int argc, char **argv, struct trace_args *a)
{
	static const struct option opts[] = {
	    {"cpu-hz", required_argument, NULL, 'z'},
	    {"cpu", required_argument, NULL, 'c'},
	    {"event", required_argument, NULL, 'e'},
	    {"limit", required_argument, NULL, 'l'},
	    {"format", required_argument, NULL, 'f'},
	    {"out", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t v;
	int c;

	a->opts.cpu = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'z':
			if (parse_hz(optarg, &a->opts.cpu_hz))
				return usage_error("--cpu-hz '%s': expected a "
						   "frequency in Hz such as "
						   "2400000000 or 2.4G",
						   optarg);
			break;
		case 'c':
			if (parse_count(optarg, TRACE_READER_MAX_CPUS - 1, &v))
				return usage_error(
				    "--cpu '%s': expected a pCPU "
				    "number, 0..4095",
				    optarg);
			a->opts.cpu = (int)v;
			a->has_filters = true;
			break;
		case 'e':
			if (a->opts.nr_events == TRACE_EXPORT_MAX_EVENTS)
				return usage_error("--event '%s': at most 16 "
						   "--event options expected",
						   optarg);
			if (trace_event_match_parse(
				optarg, &a->opts.events[a->opts.nr_events++]))
				return usage_error(
				    "--event '%s': expected an event name "
				    "from docs/trace-format.md or an ID as "
				    "0x hex",
				    optarg);
			a->has_filters = true;
			break;
		case 'l':
			if (parse_count(optarg, UINT64_MAX, &a->opts.limit) ||
			    !a->opts.limit)
				return usage_error("--limit '%s': expected a "
						   "positive integer",
						   optarg);
			a->has_filters = true;
			break;
		case 'f':
			a->format = trace_export_find(optarg);
			if (!a->format) {
				fprintf(stderr,
					"hvlab trace: --format '%s': "
					"expected one of %s\n",
					optarg, trace_export_format_names());
				return EXIT_USAGE;
			}
			break;
		case 'o': a->out_path = optarg; break;
		case 'h': trace_usage(stdout); return EXIT_OK;
		default:
			fputs("(see 'hvlab trace --help')\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind >= argc
					     ? "missing FILE"
					     : "expected one FILE, got more");
	a->file = argv[optind];
	if (a->cmd == CMD_EXPORT && !a->format)
		return usage_error("%s", "export: missing --format FORMAT");
	if (a->cmd != CMD_EXPORT && a->format)
		return usage_error("%s: --format is for export", a->name);
	if (a->cmd == CMD_STATS && a->has_filters)
		return usage_error("%s",
				   "stats: --cpu, --event and --limit are "
				   "for dump and export");
	if (a->cmd == CMD_DUMP)
		a->format = &trace_export_text;
	return -1;
}

/* A trace that cannot be read: bad input (2) unless the host failed (1). */
static int open_error_status(int err)
{
	return err == -ENOMEM || err == -EIO ? EXIT_FAIL : EXIT_USAGE;
}

static int run_tool(const struct trace_args *a, struct trace_reader *r,
		    FILE *out)
{
	struct trace_stats *st;
	struct trace_clock clock;
	char err[256];
	int ret;

	if (a->cmd == CMD_STATS) {
		ret = trace_stats_collect(r, a->opts.cpu_hz, &st, err,
					  sizeof(err));
		if (!ret) {
			clock = st->clock;
			trace_stats_print_text(st, a->file, out);
			trace_stats_free(st);
			if (fflush(out) || ferror(out))
				ret = -EIO;
		}
	} else {
		ret = trace_export_run(r, a->format, &a->opts, out, &clock, err,
				       sizeof(err));
	}
	if (ret == -ENOMEM)
		fprintf(stderr, "%s: out of memory\n", a->file);
	else if (ret == -EIO)
		fprintf(stderr, "%s: write error: %s\n",
			a->out_path ? a->out_path : "standard output",
			strerror(errno ? errno : EIO));
	else if (ret)
		fprintf(stderr, "%s\n", err);
	if (ret)
		return ret == -EINVAL ? EXIT_USAGE : EXIT_FAIL;
	if (a->opts.cpu_hz && clock.source == TRACE_CLOCK_HEADER)
		fprintf(stderr,
			"hvlab trace: note: %s has an HVLAB_HEADER clock "
			"(%llu Hz); --cpu-hz ignored\n",
			a->file, (unsigned long long)clock.hz);
	return EXIT_OK;
}

int cmd_trace(int argc, char **argv)
{
	static const char *const names[] = {"dump", "stats", "export"};
	struct trace_args a = {.cmd = CMD_DUMP};
	struct trace_reader *r;
	char err[256];
	FILE *out = stdout;
	size_t i;
	int rc;

	if (argc < 2) {
		trace_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		trace_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(argv[1], names[i]))
			break;
	if (i == sizeof(names) / sizeof(names[0]))
		return usage_error("unknown command '%s'; expected dump, "
				   "stats or export",
				   argv[1]);
	a.cmd = (enum trace_cmd)i;
	a.name = names[i];
	rc = trace_parse(argc - 1, argv + 1, &a);
	if (rc >= 0)
		return rc;

	/* Validate the whole trace before creating any output. */
	rc = trace_reader_open(a.file, &r, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "%s\n", err);
		return open_error_status(rc);
	}
	if (a.out_path) {
		out = fopen(a.out_path, "w");
		if (!out) {
			fprintf(stderr, "%s: cannot create: %s\n", a.out_path,
				strerror(errno));
			trace_reader_close(r);
			return EXIT_FAIL;
		}
	}
	errno = 0;
	rc = run_tool(&a, r, out);
	trace_reader_close(r);
	if (out != stdout && fclose(out) && rc == EXIT_OK) {
		fprintf(stderr, "%s: write error: %s\n", a.out_path,
			strerror(errno));
		rc = EXIT_FAIL;
	}
	if (rc != EXIT_OK && a.out_path)
		unlink(a.out_path); /* no half-written file */
	if (out == stdout && fflush(stdout) && rc == EXIT_OK) {
		fprintf(stderr, "standard output: write error: %s\n",
			strerror(errno));
		rc = EXIT_FAIL;
	}
	return rc;
}
