/*
 * Unit tests for hvlab compare (analysis/compare*.c) on a small scenario
 * with variants for all four schedulers: the runs happen, every file is
 * written, each run's scenario.yaml repeats its trace exactly, the
 * deadline verdicts are the expected ones, a scheduler without the
 * parameters it needs is reported as not run, and the reports are the
 * same bytes when made twice.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "hv-core/arch/sim/sim.h"
#include "scenario/scenario.h"
#include "tests/support/scenario_expect.h"

/*
 * pCPU 0 has ctrl (an interrupt and a task) and a hog; pCPU 1 has net.
 * null leaves the hog waiting, and the hog misses nothing (it has no
 * task), so null meets every deadline here; under credit2 the hog delays
 * ctrl and nothing has a bound; rtds and arinc653 meet every deadline
 * with the parameters of their variants.
 */
static const char yaml[] =
    "name: cmp\n"
    "duration: 200ms\n"
    "seed: 5\n"
    "machine: {pcpus: 2}\n"
    "cpupools:\n"
    "  - {name: a, sched: null, cpus: 0}\n"
    "  - {name: b, sched: null, cpus: 1}\n"
    "domains:\n"
    "  - name: ctrl\n"
    "    pool: a\n"
    "    workload:\n"
    "      irqs: [{name: adc, period: 1ms, jitter: 50us, handler: 20us}]\n"
    "      tasks: [{name: loop, period: 2ms, priority: 1, exec: 200us}]\n"
    "  - {name: hog, pool: a, workload: {hogs: [{vcpu: 0}]}}\n"
    "  - name: net\n"
    "    pool: b\n"
    "    workload:\n"
    "      tasks: [{name: stack, period: 5ms, priority: 1, exec: 1ms}]\n"
    "variants:\n"
    "  rtds:\n"
    "    domains:\n"
    "      ctrl: {period: 500us, budget: 250us}\n"
    "      hog: {period: 1ms, budget: 200us}\n"
    "      net: {period: 1ms, budget: 500us}\n"
    "  arinc653:\n"
    "    pools:\n"
    "      a: {major_frame: 1ms, schedule: [{dom: ctrl, runtime: 500us},"
    " {dom: hog, runtime: 500us}]}\n"
    "      b: {major_frame: 5ms, schedule: [{dom: net, runtime: 5ms}]}\n"
    "  null: {}\n";

static const char *const all[] = {"credit2", "rtds", "arinc653", "null"};

/* rm -r @path (a temporary directory of this test). */
static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char sub[512];

	if (!d) {
		remove(path);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		rm_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

struct fixture {
	char dir[64];
	char out[96];
	struct scenario *s;
	struct compare *c;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char *msgs = NULL;
	size_t len = 0;
	FILE *err;

	if (!fx)
		return -1;
	strcpy(fx->dir, "/tmp/hvlab-compare-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->out, sizeof(fx->out), "%s/out", fx->dir);
	fx->s = load_ok(yaml);
	err = open_memstream(&msgs, &len);
	if (compare_run(fx->s, all, 4, fx->out,
			&(struct compare_options){.gnuplot = false}, err,
			&fx->c)) {
		fclose(err);
		fprintf(stderr, "compare_run failed: %s\n", msgs);
		return -1;
	}
	fclose(err);
	free(msgs);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	compare_free(fx->c);
	scenario_free(fx->s);
	rm_tree(fx->dir);
	free(fx);
	return 0;
}

static void assert_file(const struct fixture *fx, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", fx->out, name);
	if (stat(path, &st) || !st.st_size)
		fail_msg("%s missing or empty", path);
}

static void test_files(void **state)
{
	struct fixture *fx = *state;
	char name[160];

	assert_file(fx, "compare.md");
	assert_file(fx, "compare.json");
	assert_file(fx, "plots/irq_cdf.gp");
	assert_file(fx, "plots/irq_cdf_ctrl.dat");
	for (size_t i = 0; i < 4; i++) {
		static const char *const files[] = {
		    "trace.xt", "summary.txt", "scenario.yaml", "wcrt.txt"};

		for (size_t k = 0; k < 4; k++) {
			snprintf(name, sizeof(name), "%s/%s", all[i], files[k]);
			assert_file(fx, name);
		}
	}
	/* No interrupts in net: no CDF for it. */
	snprintf(name, sizeof(name), "%s/plots/irq_cdf_net.dat", fx->out);
	assert_int_equal(access(name, F_OK), -1);
	assert_false(fx->c->plots_drawn);
	assert_string_equal(fx->c->plot_note,
			    "gnuplot was not run (--no-gnuplot)");
}

static void test_verdicts(void **state)
{
	const struct compare *c = ((struct fixture *)*state)->c;
	const struct compare_run *r = c->runs;

	assert_int_equal(c->nr_runs, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(r[i].sched, all[i]);
		assert_true(r[i].ran);
		assert_int_equal(r[i].nr_items, 3);
		for (size_t k = 0; k < r[i].nr_items; k++)
			assert_false(r[i].items[k].above_bound);
	}
	/* credit2: no bound for anything, so not every deadline. */
	assert_false(r[0].analytical_ok);
	assert_int_equal(r[0].items[0].status, WCRT_NO_SUPPLY);
	assert_non_null(strstr(r[0].items[0].why, "credit2"));
	assert_false(compare_meets_all(&r[0]));
	assert_true(compare_meets_all(&r[1]));
	assert_true(compare_meets_all(&r[2]));
	assert_true(compare_meets_all(&r[3]));
	/* null: the hog waits, and is reported. */
	assert_int_equal(r[3].domains[1].waiting, 1);
	assert_int_equal(r[3].domains[1].share_bp, 0);
	assert_int_equal(r[0].domains[1].waiting, 0);
	/* Items: tasks then irqs, domain by domain. */
	assert_string_equal(r[1].items[0].name, "loop");
	assert_false(r[1].items[0].irq);
	assert_string_equal(r[1].items[1].name, "adc");
	assert_true(r[1].items[1].irq);
	assert_int_equal(r[1].items[1].deadline, HV_MS(1));
	assert_int_equal(r[1].items[1].jobs, 200);
	assert_true(r[1].items[1].max <= (uint64_t)r[1].items[1].bound);
	/* Observed latencies: null's injection path is the floor. */
	assert_int_equal(r[3].domains[0].irq_latency.min, HV_NS(3200));
	assert_true(r[2].domains[0].irq_latency.n > 0);
}

static void test_json(void **state)
{
	struct fixture *fx = *state;
	char path[256];
	json_error_t jerr;
	json_t *root, *scheds, *r;

	snprintf(path, sizeof(path), "%s/compare.json", fx->out);
	root = json_load_file(path, 0, &jerr);
	if (!root)
		fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
	assert_string_equal(json_string_value(json_object_get(root, "tool")),
			    "hvlab compare");
	scheds = json_object_get(root, "schedulers");
	assert_int_equal(json_array_size(scheds), 4);
	r = json_array_get(scheds, 1);
	assert_string_equal(json_string_value(json_object_get(r, "sched")),
			    "rtds");
	assert_true(json_is_true(
	    json_object_get(json_object_get(r, "verdict"), "every_deadline")));
	assert_int_equal(json_array_size(json_object_get(r, "items")), 3);
	r = json_array_get(scheds, 0);
	assert_true(json_is_false(
	    json_object_get(json_object_get(r, "verdict"), "analytical")));
	assert_true(json_is_null(json_object_get(
	    json_object_get(json_array_get(json_object_get(r, "items"), 0),
			    "wcrt"),
	    "bound_ns")));
	json_decref(root);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_markdown(void **state)
{
	struct fixture *fx = *state;
	char path[256], *md;
	size_t len;

	snprintf(path, sizeof(path), "%s/compare.md", fx->out);
	md = slurp(path, &len);
	assert_non_null(strstr(md, "# hvlab compare: cmp\n"));
	assert_non_null(strstr(md, "| rtds | met | met | **yes** |\n"));
	assert_non_null(
	    strstr(md, "| credit2 | missed | not guaranteed | no |\n"));
	assert_non_null(strstr(md, "- **credit2**: does not meet every "
				   "deadline. Observed: ctrl/loop "));
	assert_non_null(strstr(md, "Analytical: no bound for ctrl/loop, "
				   "ctrl/irq adc, net/stack (credit2 "
				   "guarantees no supply"));
	assert_non_null(strstr(md, "| ctrl | irq latency p50 |"));
	assert_non_null(
	    strstr(md, "|  | vCPUs left waiting | 0 | 0 | 0 | 1 |"));
	assert_non_null(strstr(md, "| ctrl | irq adc (1000.000) |"));
	assert_non_null(strstr(md, "No images: gnuplot was not run"));
	free(md);
}

/* The run's scenario.yaml repeats the run: same trace, byte for byte. */
static void test_reproducible(void **state)
{
	struct fixture *fx = *state;
	char yaml_path[256], trace[256], again[256], *a, *b;
	struct sim_options so = {.trace_path = again};
	struct scenario *v;
	size_t la, lb;

	snprintf(yaml_path, sizeof(yaml_path), "%s/rtds/scenario.yaml",
		 fx->out);
	snprintf(trace, sizeof(trace), "%s/rtds/trace.xt", fx->out);
	snprintf(again, sizeof(again), "%s/again.xt", fx->dir);
	assert_int_equal(scenario_load(yaml_path, NULL, &v), 0);
	assert_int_equal(sim_run_scenario(v, &so, NULL, NULL), 0);
	scenario_free(v);
	a = slurp(trace, &la);
	b = slurp(again, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
}

/* Twice into another directory: the same reports, byte for byte. */
static void test_deterministic(void **state)
{
	struct fixture *fx = *state;
	static const char *const files[] = {"compare.md", "compare.json",
					    "plots/irq_cdf_ctrl.dat",
					    "plots/irq_cdf.gp"};
	char out2[128], p1[256], p2[256], *a, *b;
	struct compare *c2;
	size_t la, lb;

	snprintf(out2, sizeof(out2), "%s/out2", fx->dir);
	assert_int_equal(compare_run(fx->s, all, 4, out2, NULL, NULL, &c2), 0);
	compare_free(c2);
	for (size_t i = 0; i < 4; i++) {
		snprintf(p1, sizeof(p1), "%s/%s", fx->out, files[i]);
		snprintf(p2, sizeof(p2), "%s/%s", out2, files[i]);
		a = slurp(p1, &la);
		b = slurp(p2, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		free(a);
		free(b);
	}
}

static void test_not_run(void **state)
{
	struct fixture *fx = *state;
	static const char no_a653[] =
	    "name: n\nduration: 20ms\nmachine: {pcpus: 1}\n"
	    "cpupools: [{name: p, sched: credit2, cpus: 0}]\n"
	    "domains: [{name: d, pool: p, workload: {tasks: [{name: t, "
	    "period: 5ms, priority: 1, exec: 1ms}]}}]\n";
	const char *const two[] = {"arinc653", "null"};
	struct scenario *s = load_ok(no_a653);
	struct compare *c;
	char out[128], path[256], *md;
	size_t len;

	snprintf(out, sizeof(out), "%s/nr", fx->dir);
	assert_int_equal(compare_run(s, two, 2, out, NULL, NULL, &c), 0);
	assert_false(c->runs[0].ran);
	assert_non_null(strstr(c->runs[0].reason,
			       "t.yaml:4: variants.arinc653 needs a schedule "
			       "for pool 'p'"));
	assert_true(c->runs[1].ran);
	assert_true(compare_meets_all(&c->runs[1]));
	compare_free(c);
	snprintf(path, sizeof(path), "%s/compare.md", out);
	md = slurp(path, &len);
	assert_non_null(strstr(md, "| arinc653 | not run | not run | no |"));
	assert_non_null(strstr(md, "- **arinc653**: not run: t.yaml:4: "));
	free(md);
	snprintf(path, sizeof(path), "%s/arinc653", out);
	assert_int_equal(access(path, F_OK), -1);
	scenario_free(s);
}

static void test_bad_arguments(void **state)
{
	struct fixture *fx = *state;
	const char *const bad[] = {"null", "cfs"};
	const char *const twice[] = {"null", "null"};
	struct compare *c = (struct compare *)&c;
	char *msgs = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msgs, &len);

	assert_int_equal(compare_run(fx->s, bad, 2, fx->dir, NULL, err, &c),
			 -EINVAL);
	assert_null(c);
	assert_int_equal(compare_run(fx->s, twice, 2, fx->dir, NULL, err, &c),
			 -EINVAL);
	/* fx->out holds the first run: not without force. */
	assert_int_equal(compare_run(fx->s, all, 1, fx->out, NULL, err, &c),
			 -EINVAL);
	fclose(err);
	assert_non_null(strstr(msgs, "unknown scheduler 'cfs'"));
	assert_non_null(strstr(msgs, "'null' is listed twice"));
	assert_non_null(strstr(msgs, "is not empty; use --force"));
	free(msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_files),
	    cmocka_unit_test(test_verdicts),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_markdown),
	    cmocka_unit_test(test_reproducible),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_not_run),
	    cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests_name("compare", tests, setup, teardown);
}
