/*
 * hvlab compare: one workload under several schedulers, side by side.
 *
 * For each scheduler, compare_run() builds the scenario with every
 * cpupool switched to it (scenario_for_scheduler(): the scenario's
 * "variants:" section gives what that scheduler needs), writes it to
 * OUT/<sched>/scenario.yaml, runs that file in the sim (trace.xt,
 * summary.txt: the files of hvlab run, so hvlab run repeats the run
 * exactly), analyses it (wcrt.txt), and reads the trace back. A
 * scheduler whose scenario cannot be built (an ARINC653 pool without a
 * window table...) is reported as not run, with the reason; the others
 * still run.
 *
 * Then it writes OUT/compare.md and OUT/compare.json (the same facts) and
 * OUT/plots/: the IRQ latency CDF of each domain with one column per
 * scheduler (irq_cdf_<domain>.dat), a gnuplot script (irq_cdf.gp) and, if
 * gnuplot is installed, the SVG and PNG it draws. Nothing written depends
 * on the host or the time of day.
 *
 * Deadlines: a task meets its deadlines when no job completed late and
 * none was left unfinished past its deadline at the end of the run; an
 * interrupt handler when its worst response is within its deadline as
 * hvlab wcrt sets it (the period, or min inter-arrival). Analytically,
 * every item needs a WCRT bound within its deadline: a scheduler that
 * guarantees no supply (credit2) cannot meet that part.
 */
#ifndef HV_COMPARE_H
#define HV_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <hv/types.h>

#include "analysis/stats.h"
#include "analysis/wcrt.h"

struct gate_trace;
struct scenario;

/* One domain under one scheduler; a stats_result with n = 0: none. */
struct compare_domain {
	struct stats_result irq_latency, irq_response, sched_latency;
	uint32_t share_bp; /* running time over the run, 1/100 % of one
			      pCPU, summed over the domain's vCPUs */
	unsigned int waiting; /* vCPUs the null scheduler left waiting */
};

/* One task or interrupt handler under one scheduler. */
struct compare_item {
	unsigned int domain; /* scenario index */
	unsigned int index; /* task or irq index in the domain */
	bool irq;
	const char *name; /* points into the base scenario */
	hv_time_t deadline;
	/* observed */
	uint64_t jobs; /* completed jobs, or handled interrupts */
	uint64_t max; /* worst response, ns */
	uint64_t misses; /* late completions (+ overdue jobs) */
	/* analytical (hvlab wcrt) */
	enum wcrt_status status;
	hv_time_t bound; /* status WCRT_OK */
	bool bound_met; /* bound <= deadline */
	const char *why; /* status not WCRT_OK: the reason, or NULL */
	bool above_bound; /* observed > bound: a bug in model or analysis */
};

struct compare_run {
	char sched[HV_NAME_MAX];
	bool ran;
	char reason[512]; /* !ran: why */
	struct compare_domain *domains; /* [base->nr_domains] */
	struct compare_item *items; /* tasks then irqs, domain by domain */
	size_t nr_items;
	bool observed_ok; /* every item met its deadline in the run */
	bool analytical_ok; /* every item has a bound within its deadline */
	uint64_t lost; /* trace records lost */
	struct gate_trace *trace; /* the samples, for the CDFs */
	char wcrt_reasons[4][160]; /* why some vCPUs have no bound */
	unsigned int nr_wcrt_reasons;
};

/*
 * Runs one variant (@v, already written to @dir/scenario.yaml) so that
 * @dir/trace.xt exists afterwards. NULL in compare_options: the sim.
 * Returns 0, or a negative errno after saying why on @err.
 */
typedef int (*compare_runner_fn)(void *ctx, const struct scenario *v,
				 const char *dir, FILE *err);

struct compare {
	const struct scenario *base;
	compare_runner_fn runner; /* NULL: the sim */
	void *runner_ctx;
	char out_dir[4096];
	struct compare_run *runs; /* in the order asked for */
	size_t nr_runs;
	bool plots_drawn; /* gnuplot made the SVG/PNG files */
	char plot_note[160]; /* why not, when not */
};

struct compare_options {
	bool gnuplot; /* draw with gnuplot if it is installed */
	bool force; /* write into a non-empty OUT */
	compare_runner_fn runner; /* another backend (hvlab compare
				     --backend qemu); NULL: the sim */
	void *runner_ctx;
};

/*
 * compare_run() - run @base under each of the @nr schedulers @scheds
 * into @out_dir and write the reports. Progress and problems go to @err.
 * Return: 0 and *@out (compare_free()), also when some schedulers could
 * not run (see compare_run.ran); -EINVAL for an unknown or repeated
 * scheduler name, or a non-empty @out_dir without @opt->force; -EIO or
 * another negative errno when a run or a file failed (*@out is still set
 * when there is something to free).
 */
int compare_run(const struct scenario *base, const char *const *scheds,
		size_t nr, const char *out_dir,
		const struct compare_options *opt, FILE *err,
		struct compare **out);

void compare_free(struct compare *c);

/* compare_has_irq_samples() - a run has IRQ latencies of domain @d. */
bool compare_has_irq_samples(const struct compare *c, unsigned int d);

/* compare_meets_all() - @r ran and met every deadline, both ways. */
bool compare_meets_all(const struct compare_run *r);

/* Writers (analysis/compare_report.c, analysis/compare_plot.c). */
int compare_write_markdown(const struct compare *c, FILE *out);
int compare_write_json(const struct compare *c, FILE *out);

/*
 * compare_write_plots() - @dir/irq_cdf_<domain>.dat and irq_cdf.gp, then
 * gnuplot when @gnuplot and it is installed (sets c->plots_drawn and
 * c->plot_note). Return: 0 or a negative errno (write failure).
 */
int compare_write_plots(struct compare *c, const char *dir, bool gnuplot,
			FILE *err);

#endif /* HV_COMPARE_H */
