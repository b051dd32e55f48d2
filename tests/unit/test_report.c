/*
 * Unit tests: hvlab report on a small real run. The sim writes the trace
 * (tests/support/world.h), the test puts the scenario beside it as
 * `hvlab run` does, then checks the model, the three files, the plots'
 * data and scripts (and images when gnuplot is installed), the flagging
 * of an observation above a bound, and that a report is deterministic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "analysis/report_private.h"
#include "analysis/stats.h"
#include "tests/support/world.h"

/*
 * Two null-scheduler domains (bounds exist) and one on credit2 (no
 * bound: credit2 guarantees no supply).
 */
static const char yaml[] =
    "name: rep\nduration: 200ms\nseed: 7\nmachine: { pcpus: 3 }\n"
    "cpupools:\n"
    "  - { name: rt, sched: null, cpus: \"0-1\" }\n"
    "  - { name: c2, sched: credit2, cpus: \"2\" }\n"
    "domains:\n"
    "  - name: a\n    pool: rt\n    workload:\n"
    "      irqs: [ { name: tick, period: 1ms, jitter: 100us, "
    "handler: 10us } ]\n"
    "      tasks: [ { name: work, period: 2ms, exec: 300us, "
    "priority: 5 } ]\n"
    "  - name: b\n    pool: rt\n    workload:\n"
    "      tasks: [ { name: loop, period: 5ms, exec: 1ms, priority: 3 } ]\n"
    "  - name: c\n    pool: c2\n    workload:\n"
    "      tasks: [ { name: bg, period: 10ms, exec: 2ms, priority: 1 } ]\n"
    "      hogs: [ { vcpu: 0 } ]\n";

struct fixture {
	struct world *w;
	bool have_gnuplot;
};

static bool gnuplot_installed(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char path[256];
	FILE *f;

	if (!fx)
		return -1;
	fx->w = world_create(yaml, true, NULL);
	world_finish(fx->w, NULL);
	snprintf(path, sizeof(path), "%s/scenario.yaml", fx->w->dir);
	f = fopen(path, "w");
	if (!f || fwrite(yaml, 1, strlen(yaml), f) != strlen(yaml) || fclose(f))
		return -1;
	fx->have_gnuplot = gnuplot_installed();
	if (!fx->have_gnuplot)
		print_message("note: gnuplot is not installed; checking the "
			      "plots' data files and scripts only\n");
	*state = fx;
	return 0;
}

/* Removes @dir and the files in it (plots/ has no subdirectory). */
static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(d);
	rmdir(dir);
}

/* Removes what the report wrote; world_destroy() removes the rest. */
static int teardown(void **state)
{
	struct fixture *fx = *state;
	static const char *const names[] = {"scenario.yaml", "report.md",
					    "report.html", "report.json"};
	char path[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fx->w->dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/plots", fx->w->dir);
	rm_dir(path);
	world_destroy(fx->w);
	free(fx);
	return 0;
}

static char *slurp(const char *dir, const char *name)
{
	char path[256];
	char *buf;
	long size;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: not written", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	return buf;
}

static bool file_nonempty(const char *dir, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !stat(path, &st) && st.st_size > 0;
}

static const struct report_bound *find_bound(const struct report *rep,
					     const char *name)
{
	for (size_t i = 0; i < rep->nr_bounds; i++)
		if (!strcmp(rep->bounds[i].name, name))
			return &rep->bounds[i];
	fail_msg("no bound for %s", name);
	return NULL;
}

static void test_model(void **state)
{
	struct fixture *fx = *state;
	struct report_options opt = {.no_plots = true};
	const struct report_bound *b;
	struct report *rep;

	assert_int_equal(report_build(fx->w->dir, &opt, &rep), 0);
	assert_true(rep->scn_matches);
	assert_non_null(rep->wcrt);
	assert_int_equal(rep->nr_bounds, 4); /* tick, work, loop, bg */
	assert_int_equal(rep->nr_above, 0);
	b = find_bound(rep, "tick");
	assert_true(b->irq);
	assert_true(b->has_bound);
	assert_int_equal(b->n, 200);
	assert_true(b->observed_max_ns <= (uint64_t)b->bound_ns);
	b = find_bound(rep, "work");
	assert_true(b->has_bound);
	assert_int_equal(b->n, 100);
	b = find_bound(rep, "bg");
	assert_false(b->has_bound); /* credit2: no guaranteed supply */
	assert_true(strlen(b->why) > 0);
	assert_true(b->n > 0);
	/* pWCET ran on a's IRQ latencies, whatever its verdict */
	assert_int_equal(rep->nr_pwcet, 1);
	assert_true(rep->pwcet[0].ran);
	assert_int_equal(rep->pwcet[0].res.n, 200);
	assert_true(strlen(rep->pwcet[0].why) > 0);
	report_free(rep);
}

static void check_json(const char *dir, unsigned int above)
{
	char *text = slurp(dir, "report.json");
	json_error_t jerr;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr), *doms,
	       *bounds, *d;
	size_t i, flagged = 0;

	if (!root)
		fail_msg("report.json line %d: %s", jerr.line, jerr.text);
	assert_string_equal(json_string_value(json_object_get(root, "format")),
			    "hvlab-report");
	doms = json_object_get(root, "domains");
	bounds = json_object_get(root, "bounds");
	assert_true(json_is_array(doms));
	assert_int_equal(json_array_size(doms), 3);
	json_array_foreach(doms, i, d)
	{
		json_t *lat = json_object_get(d, "irq_latency_ns");

		assert_true(json_is_string(json_object_get(d, "name")));
		assert_true(json_is_integer(json_object_get(lat, "n")));
		assert_true(json_is_array(json_object_get(d, "vcpus")));
	}
	assert_int_equal(json_array_size(bounds), 4);
	json_array_foreach(bounds, i, d) flagged +=
	    json_is_true(json_object_get(d, "above_bound"));
	assert_int_equal(flagged, above);
	assert_int_equal(
	    json_integer_value(json_object_get(root, "above_bound")), above);
	json_decref(root);
	free(text);
}

static void test_files(void **state)
{
	struct fixture *fx = *state;
	const char *dir = fx->w->dir;
	struct report_options opt = {0};
	struct report_outcome res;
	char *md, *html, *first;

	assert_int_equal(report_generate(dir, &opt, &res), 0);
	assert_int_equal(res.above_bound, 0);
	assert_false(res.no_bounds);
	assert_int_equal(res.no_gnuplot, !fx->have_gnuplot);
	md = slurp(dir, "report.md");
	assert_non_null(strstr(md, "# hvlab report: rep"));
	assert_non_null(strstr(md, "## Interrupt latency"));
	assert_non_null(strstr(md, "| domain | IRQ | n | min | mean | sd | "
				   "p50 | p90 | p99 | p99.9 | p99.99 | max |"));
	assert_non_null(strstr(md, "## Analytical bounds"));
	assert_non_null(strstr(md, "| a | task | work |"));
	assert_non_null(strstr(md, "no bound: "));
	assert_non_null(strstr(md, "## pWCET"));
	assert_null(strstr(md, "BUG"));
	assert_null(strstr(md, dir)); /* no temporary path in the report */
	html = slurp(dir, "report.html");
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "<table>"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<?xml"));
	check_json(dir, 0);

	/* Data and scripts always; images when gnuplot is there. */
	assert_true(file_nonempty(dir, "plots/irq_latency_hist_d1.dat"));
	assert_true(file_nonempty(dir, "plots/irq_latency_hist_d1.gp"));
	assert_true(file_nonempty(dir, "plots/irq_latency_ccdf.gp"));
	assert_true(file_nonempty(dir, "plots/irq_latency_box.dat"));
	assert_true(file_nonempty(dir, "plots/sched_latency_box.gp"));
	assert_true(file_nonempty(dir, "plots/timeline.dat"));
	if (fx->have_gnuplot) {
		assert_int_equal(res.plots_failed, 0);
		assert_true(res.plots_made >= 5);
		assert_true(file_nonempty(dir, "plots/timeline.svg"));
		assert_true(file_nonempty(dir, "plots/timeline.png"));
		assert_true(file_nonempty(dir, "plots/irq_latency_box.svg"));
		assert_non_null(strstr(html, "<svg"));
		assert_non_null(strstr(html, "id='timeline-gpPt0'"));
	} else {
		assert_non_null(strstr(md, "was not drawn (no-gnuplot)"));
	}

	/* The same run reported again: the same bytes. */
	first = md;
	free(html);
	assert_int_equal(report_generate(dir, &opt, &res), 0);
	md = slurp(dir, "report.md");
	assert_string_equal(md, first);
	free(md);
	free(first);
}

/* A bound made smaller than what was observed must be flagged as a bug. */
static void test_above_bound_is_flagged(void **state)
{
	struct fixture *fx = *state;
	struct report_options opt = {.no_plots = true};
	struct report_bound *b;
	struct report *rep;
	char *md, *html;

	assert_int_equal(report_build(fx->w->dir, &opt, &rep), 0);
	b = (struct report_bound *)find_bound(rep, "work");
	assert_true(b->n > 0);
	b->bound_ns = (hv_time_t)b->observed_max_ns - 1;
	report_check_bounds(rep);
	assert_int_equal(rep->nr_above, 1);
	assert_true(b->above);
	assert_int_equal(report_write(rep), 0);
	report_free(rep);

	md = slurp(fx->w->dir, "report.md");
	assert_non_null(strstr(md, "> **BUG: 1 observed response time(s) "
				   "above the analytical bound"));
	assert_non_null(strstr(md, "**BUG: observed "));
	assert_non_null(strstr(md, "above the bound by 0.001 µs**"));
	html = slurp(fx->w->dir, "report.html");
	assert_non_null(strstr(html, "<tr class=\"alert\">"));
	assert_non_null(strstr(html, "<p class=\"alert\">BUG:"));
	check_json(fx->w->dir, 1);
	free(md);
	free(html);
}

static void test_no_gnuplot(void **state)
{
	struct fixture *fx = *state;
	struct report_options opt = {.gnuplot = "/nonexistent/gnuplot"};
	struct report_outcome res;
	char *msg = NULL, *md;
	size_t len = 0;

	opt.err = open_memstream(&msg, &len);
	assert_non_null(opt.err);
	assert_int_equal(report_generate(fx->w->dir, &opt, &res), 0);
	assert_int_equal(fclose(opt.err), 0);
	assert_true(res.no_gnuplot);
	assert_int_equal(res.plots_made, 0);
	/* one clear message, not one per plot */
	assert_non_null(strstr(msg, "/nonexistent/gnuplot not found"));
	assert_null(strstr(strstr(msg, "not found") + 1, "not found"));
	assert_true(file_nonempty(fx->w->dir, "plots/timeline.dat"));
	assert_true(file_nonempty(fx->w->dir, "plots/timeline.gp"));
	assert_false(file_nonempty(fx->w->dir, "plots/timeline.svg"));
	md = slurp(fx->w->dir, "report.md");
	assert_non_null(strstr(md, "was not drawn (no-gnuplot)"));
	free(md);
	free(msg);
}

static void test_errors(void **state)
{
	struct fixture *fx = *state;
	struct report_outcome res;
	struct report_options opt = {0};
	char *msg = NULL;
	size_t len = 0;
	char path[256];
	FILE *f;

	opt.err = open_memstream(&msg, &len);
	assert_non_null(opt.err);
	assert_int_equal(report_generate("/nonexistent", &opt, &res), -ENOENT);
	/* A bad trace: its byte offset is in the message. */
	snprintf(path, sizeof(path), "%s/trace.xt", fx->w->dir);
	f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fwrite("\xff\xff\xff\xff", 1, 4, f), 4);
	fclose(f);
	assert_int_equal(report_generate(fx->w->dir, &opt, &res), -EINVAL);
	assert_int_equal(fclose(opt.err), 0);
	assert_non_null(strstr(msg, "/nonexistent/trace.xt: No such file"));
	assert_non_null(strstr(msg, "offset 0"));
	free(msg);
}

/* Counts the lines of @dir/@name that do not start with '#'. */
static size_t data_lines(const char *dir, const char *name)
{
	char *text = slurp(dir, name);
	size_t n = 0;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		n += line[0] != '#';
	free(text);
	return n;
}

/*
 * The plot functions alone: a pWCET curve (which the small run above
 * cannot produce: too few samples) and a box plot of N labelled sets,
 * the form `hvlab compare` reuses per scheduler.
 */
static void test_plots(void **state)
{
	struct fixture *fx = *state;
	char dir[128];
	struct plot_ctx c = {
	    .dir = dir, .run = true, .err = stderr, .found = -1};
	struct stats *a = stats_create(NULL), *b = stats_create(NULL);
	const struct plot_sample_set sets[] = {
	    {"credit2 'quoted'", a}, {"empty", NULL}, {"rtds", b}};
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	const size_t n = 5000;
	uint64_t *v = malloc(n * sizeof(*v));
	struct pwcet_result res;
	int st;

	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(r);
	assert_non_null(v);
	snprintf(dir, sizeof(dir), "%s/plots", fx->w->dir);
	assert_int_equal(mkdir(dir, 0777), 0);
	gsl_rng_set(r, 5);
	for (size_t i = 0; i < n; i++) {
		/* Gumbel(10 us, 0.5 us): the model pWCET accepts */
		v[i] = (uint64_t)(10000 +
				  500 * -log(-log(gsl_rng_uniform_pos(r))));
		assert_int_equal(stats_add(a, v[i]), 0);
		assert_int_equal(stats_add(b, v[i] / 2), 0);
	}
	assert_int_equal(
	    pwcet_analyse(v, n, &(struct pwcet_config){.seed = 1}, &res), 0);
	assert_int_equal(res.status, PWCET_OK);
	st = plot_pwcet(&c, "pw", "pWCET", "IRQ latency (µs)", &res, a);
	assert_int_equal(st, fx->have_gnuplot ? PLOT_MADE : PLOT_NO_GNUPLOT);
	/* the curve, then the observed CCDF */
	assert_true(data_lines(dir, "pw.dat") > PWCET_CURVE_POINTS);
	assert_int_equal(plot_box(&c, "box", "Box", "latency (µs)", sets, 3),
			 st);
	assert_int_equal(data_lines(dir, "box.dat"), 2); /* empty set skipped */
	assert_int_equal(
	    plot_box(&c, "none", "Box", "latency (µs)", sets + 1, 1), -ENODATA);
	if (fx->have_gnuplot) {
		assert_true(file_nonempty(dir, "pw.svg"));
		assert_true(file_nonempty(dir, "box.png"));
	}
	gsl_rng_free(r);
	free(v);
	stats_free(a);
	stats_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_model, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_above_bound_is_flagged, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_no_gnuplot, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_plots, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
