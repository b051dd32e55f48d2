/*
 * hvlab gate: check a run against latency budgets.
 *
 * A budget (struct scn_budget, from the scenario's "budgets:" list or a
 * budget file, scenario/scenario.h) names a metric, a statistic, a domain
 * or all of them, and a limit. The samples come from the run's trace only
 * (the trace is the single source of truth), read once into collectors of
 * analysis/stats.h, so every statistic is the nearest-rank one used
 * everywhere else in hvlab:
 *
 *   irq_latency    raise to handler start (HVLAB_GUEST_IRQ_ENTRY)
 *   irq_response   raise to handler end (HVLAB_GUEST_IRQ_EXIT)
 *   task_response  release to completion (HVLAB_TASK_COMPLETE), one task
 *                  or every task of the domain
 *   sched_latency  how long a vCPU waited runnable before it ran
 *                  (SWITCH_INFNEXT waited_ns; idle vCPUs excluded)
 *
 * A budget passes when the observed statistic is <= its limit. A budget
 * whose metric has no sample at all fails: a gate that passes because the
 * thing it guards never happened would hide a broken run. The budget
 * "wcrt.bound >= observed" stands for one check per task and interrupt
 * handler: its worst observed response is at most its bound from hvlab
 * wcrt (analysis/wcrt_scenario.h).
 *
 * The trace reader here (struct gate_trace) is shared with hvlab compare,
 * which also needs the distributions and the jobs of each task.
 */
#ifndef HV_GATE_H
#define HV_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct scenario;
struct scn_budget;
struct stats;
struct stats_result;

enum gate_metric {
	GATE_IRQ_LATENCY,
	GATE_IRQ_RESPONSE,
	GATE_TASK_RESPONSE,
	GATE_SCHED_LATENCY,
	GATE_NR_METRICS,
};

/* The metric named @name, or -1. */
int gate_metric_find(const char *name);

/* ---- Samples from a trace ---------------------------------------------- */

struct gate_trace;

/* Run-wide facts of the trace. */
struct gate_trace_info {
	bool has_header; /* HVLAB_HEADER seen */
	uint64_t scenario_hash; /* from the header */
	uint64_t end_ns; /* HVLAB_RUN_END, else the last timestamp */
	uint64_t lost; /* records the trace says were lost */
	uint64_t ignored; /* records naming a domain, task or irq that the
			     scenario lacks, or too short */
};

/* What happened to one task's jobs. */
struct gate_jobs {
	uint64_t released, completed;
	uint64_t misses; /* completed after their deadline */
	uint64_t overdue; /* unfinished at the end, deadline passed */
	uint64_t max_response; /* ns, over the completed jobs */
};

/*
 * gate_trace_read() - read the trace at @path, a run of @s (domain id =
 * scenario index + 1, tasks and irqs by index, as the sim writes them).
 * Return: 0 and *@out (gate_trace_free()); -EINVAL for a malformed trace,
 * -ENOMEM, or the errno of reading, with a message on @err (if not NULL).
 */
int gate_trace_read(const char *path, const struct scenario *s,
		    struct gate_trace **out, FILE *err);

void gate_trace_free(struct gate_trace *t);

const struct gate_trace_info *gate_trace_info(const struct gate_trace *t);

/*
 * gate_trace_stats() - statistics of @metric for domain @domain (scenario
 * index, -1: all domains) and, for GATE_TASK_RESPONSE, task @task (index
 * in the domain, -1: every task). Return: 0, -ENODATA when there is no
 * sample, -EINVAL for an index out of range, -ENOMEM.
 */
int gate_trace_stats(struct gate_trace *t, enum gate_metric metric, int domain,
		     int task, struct stats_result *out);

/*
 * gate_trace_collector() - the samples of @metric in domain @domain, for
 * percentiles and CDFs; NULL when there is none. The trace keeps it.
 */
struct stats *gate_trace_collector(struct gate_trace *t,
				   enum gate_metric metric,
				   unsigned int domain);

/* gate_trace_jobs() - the jobs of task @task of domain @domain. */
void gate_trace_jobs(const struct gate_trace *t, unsigned int domain,
		     unsigned int task, struct gate_jobs *out);

/* What happened to one interrupt source's interrupts. */
struct gate_irqs {
	uint64_t handled; /* handler finished */
	uint64_t late; /* finished later than the deadline hvlab wcrt
			  gives a handler: its period (min inter-arrival) */
	uint64_t max_response; /* ns */
};

/* gate_trace_irqs() - the interrupts of irq @irq of domain @domain. */
void gate_trace_irqs(const struct gate_trace *t, unsigned int domain,
		     unsigned int irq, struct gate_irqs *out);

/* ---- Budgets ----------------------------------------------------------- */

enum gate_status {
	GATE_PASS,
	GATE_FAIL, /* observed > limit */
	GATE_NO_SAMPLES, /* a failure too */
	GATE_SKIPPED, /* wcrt.bound: the item has no bound; not a failure */
	GATE_NOTHING, /* wcrt.bound: no item has a bound; a failure */
};

/* One check: a budget, or one task or irq of a wcrt.bound budget. */
struct gate_verdict {
	const struct scn_budget *budget;
	enum gate_status status;
	uint64_t observed; /* ns; 0 without samples */
	uint64_t limit; /* ns: the budget's max, or the item's WCRT bound */
	uint64_t n; /* samples (wcrt.bound: completed jobs, handled irqs) */
	char name[96]; /* "irq_latency.p99", "task_response.max.loop",
			  "wcrt.bound.rt.loop" */
	char classname[40]; /* the domain's name, or "all" */
	char what[80]; /* wcrt.bound: "task loop of rt", "irq tick of rt" */
	char note[192]; /* GATE_SKIPPED, GATE_NOTHING: why */
};

/* The verdicts of a list of budgets, in its order (gate_checks_run()). */
struct gate_checks {
	struct gate_verdict *v;
	unsigned int nr;
	unsigned int failed; /* GATE_FAIL, GATE_NO_SAMPLES, GATE_NOTHING */
	unsigned int skipped; /* GATE_SKIPPED */
};

struct wcrt_report;

/*
 * gate_checks_run() - check @nr budgets of @s against @t. A limit budget
 * gives one verdict; a wcrt.bound budget (SCN_BUDGET_WCRT) one per task
 * and interrupt handler of @s, in scenario order, each passing when the
 * worst response the trace shows is at most the item's bound, from @wcrt
 * or, when @wcrt is NULL, from wcrt_scenario_analyze() (the tests pass a
 * report with a bound lowered). Items without a bound are GATE_SKIPPED;
 * when no item has one, one more verdict says GATE_NOTHING.
 * Return: 0 and *@out (gate_checks_free()); -ENOMEM; -EINVAL when the
 * analysis refuses the scenario (message on @err, if not NULL).
 */
int gate_checks_run(const struct scenario *s, struct gate_trace *t,
		    const struct scn_budget *budgets, unsigned int nr,
		    const struct wcrt_report *wcrt, FILE *err,
		    struct gate_checks *out);

void gate_checks_free(struct gate_checks *c);

/*
 * gate_check_wcrt() - the verdicts of one wcrt.bound budget @b, appended
 * at @out, which has room for gate_wcrt_checks(@s). Return: how many.
 */
unsigned int gate_check_wcrt(const struct scenario *s,
			     const struct gate_trace *t,
			     const struct scn_budget *b,
			     const struct wcrt_report *wcrt,
			     struct gate_verdict *out);

/* The most verdicts one wcrt.bound budget of @s gives. */
unsigned int gate_wcrt_checks(const struct scenario *s);

/* gate_format_us() - @ns as "12.345 us", exactly (integer arithmetic). */
void gate_format_us(uint64_t ns, char *buf, size_t len);

/*
 * gate_print_table() - one line per check: budget, observed, limit,
 * PASS/FAIL/SKIP, the reason of a skip under it; then a count.
 * Deterministic.
 */
void gate_print_table(const struct gate_verdict *v, unsigned int nr, FILE *out);

/*
 * gate_print_failures() - one line per failed check, "@prefix: budget
 * exceeded: ...", for quiet runs that must still say why they fail.
 */
void gate_print_failures(const struct gate_verdict *v, unsigned int nr,
			 const char *prefix, FILE *out);

/*
 * gate_write_junit() - JUnit XML: one <testsuite name="hvlab gate"> with
 * one <testcase> per check (classname = domain, name = metric.stat
 * [.task] or wcrt.bound.DOMAIN.ITEM), a <failure> for each failed one and
 * a <skipped> for each skipped one. @source names where the budgets came
 * from ("file"; each failure adds ":line"). Deterministic: no timestamps,
 * no host names. Return: 0 or -EIO.
 */
int gate_write_junit(const struct gate_verdict *v, unsigned int nr,
		     const char *source, FILE *out);

/*
 * gate_write_junit_file() - the same, into a new file @path. Return: 0,
 * or -errno after a "path: ..." message on @err.
 */
int gate_write_junit_file(const char *path, const struct gate_verdict *v,
			  unsigned int nr, const char *source, FILE *err);

/*
 * gate_report() - what hvlab gate and hvlab run --gate say of @c: the
 * table on stdout, or with @quiet only the failures on stderr prefixed
 * @prog; then the JUnit file @junit (NULL: none) naming @source.
 * Return: true when every check passed and the JUnit file was written.
 */
bool gate_report(const struct gate_checks *c, bool quiet, const char *prog,
		 const char *junit, const char *source);

#endif /* HV_GATE_H */
