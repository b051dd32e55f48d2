/*
 * hvlab compare's plots: the IRQ latency CDF of each domain, every
 * scheduler overlaid. The data files are the product; the images are a
 * convenience drawn by gnuplot when it is installed.
 *
 * irq_cdf_<domain>.dat holds one row per cumulative fraction p (steps of
 * 0.001, then 0.9995, 0.9999 and 1) and one column per scheduler: the
 * nearest-rank p-quantile of that run's latencies, in microseconds --
 * the CDF sampled on a fixed grid of p, so the columns share rows however
 * different the runs are. "NaN" marks a scheduler that did not run or saw
 * no interrupt there. p is written from integers (k / 10000), so the
 * files are the same on every host.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "analysis/files.h"
#include "analysis/plot.h"
#include "analysis/gate.h"
#include "analysis/stats.h"
#include "scenario/scenario.h"

#define PATH_LEN 4200

/* The grid of p, in 1/10000: 10, 20, ..., 9990, 9995, 9999, 10000. */
static unsigned int grid_at(unsigned int i)
{
	static const unsigned int tail[] = {9995, 9999, 10000};

	return i < 999 ? (i + 1) * 10 : tail[i - 999];
}

#define GRID_POINTS 1002

static const char *dom_name(const struct compare *c, unsigned int d)
{
	return c->base->domains[d].name;
}

static struct stats *collector(const struct compare *c, size_t run,
			       unsigned int d)
{
	const struct compare_run *r = &c->runs[run];

	if (!r->ran || !r->domains[d].irq_latency.n)
		return NULL;
	return gate_trace_collector(r->trace, GATE_IRQ_LATENCY, d);
}

static int write_dat(const struct compare *c, unsigned int d, FILE *out)
{
	char us[32];

	fprintf(out,
		"# hvlab compare: IRQ latency CDF of domain %s, scenario %s\n"
		"# column 1: cumulative fraction p; then per scheduler the "
		"nearest-rank p-quantile in us (NaN: no sample)\n# p",
		dom_name(c, d), c->base->name);
	for (size_t i = 0; i < c->nr_runs; i++)
		fprintf(out, " %s", c->runs[i].sched);
	fputc('\n', out);
	for (unsigned int g = 0; g < GRID_POINTS; g++) {
		unsigned int k = grid_at(g);

		fprintf(out, "%u.%04u", k / 10000, k % 10000);
		for (size_t i = 0; i < c->nr_runs; i++) {
			struct stats *s = collector(c, i, d);
			uint64_t v;

			if (!s) {
				fputs(" NaN", out);
				continue;
			}
			if (stats_percentile(s, k / 10000.0, &v))
				return -ENOMEM;
			stats_format_us(v, us, sizeof(us));
			fprintf(out, " %s", us);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}

static void write_plot_cmd(const struct compare *c, unsigned int d, FILE *out)
{
	bool first = true;

	fprintf(out,
		"    set output \"irq_cdf_%s.\".ext\n"
		"    set title \"IRQ latency CDF, domain %s (%s)\"\n"
		"    plot",
		dom_name(c, d), dom_name(c, d), c->base->name);
	for (size_t i = 0; i < c->nr_runs; i++) {
		if (!collector(c, i, d))
			continue;
		fprintf(out,
			"%s \"irq_cdf_%s.dat\" using %zu:1 with steps lw 2 "
			"title \"%s\"",
			first ? "" : ", \\\n        ", dom_name(c, d), i + 2,
			c->runs[i].sched);
		first = false;
	}
	fputc('\n', out);
}

static int write_gp(const struct compare *c, FILE *out)
{
	fprintf(out,
		"# hvlab compare: IRQ latency CDFs of scenario %s, one line "
		"per scheduler.\n"
		"# In this directory: gnuplot irq_cdf.gp -> irq_cdf_<domain>"
		".svg and .png\n"
		"set datafile missing \"NaN\"\n"
		"set key bottom right\n"
		"set grid\n"
		"set logscale x\n"
		"set xlabel \"IRQ latency (us, log scale)\"\n"
		"set ylabel \"fraction of interrupts\"\n"
		"set yrange [0:1.02]\n"
		"do for [ext in \"svg png\"] {\n"
		"    if (ext eq \"svg\") {\n"
		"        set terminal svg size 900,560\n"
		"    } else {\n"
		"        if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n"
		"            set terminal pngcairo size 900,560\n"
		"        } else {\n"
		"            set terminal png size 900,560\n"
		"        }\n"
		"    }\n",
		c->base->name);
	for (unsigned int d = 0; d < c->base->nr_domains; d++)
		if (compare_has_irq_samples(c, d))
			write_plot_cmd(c, d, out);
	fputs("}\nset output\n", out);
	return ferror(out) ? -EIO : 0;
}

/* One plot file: its writer with the domain it is for. */
struct plot_file {
	int (*fn)(const struct compare *, unsigned int, FILE *);
	const struct compare *c;
	unsigned int d;
};

static int put_plot_file(const void *arg, FILE *f)
{
	const struct plot_file *p = arg;

	return p->fn(p->c, p->d, f);
}

static int write_file(const char *path,
		      int (*fn)(const struct compare *, unsigned int, FILE *),
		      const struct compare *c, unsigned int d, FILE *err)
{
	const struct plot_file p = {fn, c, d};

	return files_write_with(path, put_plot_file, &p, err);
}

static int write_gp_file(const struct compare *c, unsigned int d, FILE *out)
{
	(void)d;
	return write_gp(c, out);
}

/* gnuplot irq_cdf.gp in @dir, its output in gnuplot.log (kept on error). */
static int run_gnuplot(const char *dir)
{
	char log[PATH_LEN];
	int status;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/gnuplot.log", dir);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);

		if (fd < 0 || chdir(dir) || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		close(fd);
		execlp("gnuplot", "gnuplot", "irq_cdf.gp", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -EIO;
	unlink(log);
	return 0;
}

int compare_write_plots(struct compare *c, const char *dir, bool gnuplot,
			FILE *err)
{
	char path[PATH_LEN];
	bool any = false;
	int rc;

	c->plots_drawn = false;
	for (unsigned int d = 0; d < c->base->nr_domains; d++) {
		if (!compare_has_irq_samples(c, d))
			continue;
		any = true;
		snprintf(path, sizeof(path), "%s/irq_cdf_%s.dat", dir,
			 dom_name(c, d));
		rc = write_file(path, write_dat, c, d, err);
		if (rc)
			return rc;
	}
	snprintf(path, sizeof(path), "%s/irq_cdf.gp", dir);
	rc = write_file(path, write_gp_file, c, 0, err);
	if (rc)
		return rc;
	if (!any)
		snprintf(c->plot_note, sizeof(c->plot_note),
			 "no domain has interrupts");
	else if (!gnuplot)
		snprintf(c->plot_note, sizeof(c->plot_note),
			 "gnuplot was not run (--no-gnuplot)");
	else if (!plot_program_found("gnuplot"))
		snprintf(c->plot_note, sizeof(c->plot_note),
			 "gnuplot is not installed");
	else if (run_gnuplot(dir))
		snprintf(c->plot_note, sizeof(c->plot_note),
			 "gnuplot failed, see plots/gnuplot.log");
	else
		c->plots_drawn = true;
	if (any && gnuplot && !c->plots_drawn)
		fprintf(err, "hvlab compare: no images: %s\n", c->plot_note);
	return 0;
}
