/*
 * Schedule timeline plot: one row per pCPU, one coloured bar per stretch
 * a vCPU of a domain ran there (plot.h).
 */
#include <errno.h>

#include "analysis/plot_private.h"

/* Times on this plot are in ms: windows are tens of ms. */
static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

int plot_timeline(struct plot_ctx *c, const char *name, const char *title,
		  const struct plot_span *spans, size_t nr_spans,
		  unsigned int nr_rows, const char *const *labels,
		  size_t nr_labels, uint64_t start_ns, uint64_t end_ns)
{
	struct plot_files pf;
	size_t blocks = 0;
	int ret;

	if (!nr_rows || end_ns <= start_ns)
		return -ENODATA;
	ret = plot_files_open(c, name, title, &pf);
	if (ret)
		return ret;
	fprintf(pf.dat,
		"# window [%.6f, %.6f] ms; one block per series (gnuplot "
		"index), in legend order\n"
		"# start_ms end_ms pcpu\n",
		ms(start_ns), ms(end_ns));
	fprintf(pf.gp,
		"set xlabel 'time since the start of the run (ms)'\n"
		"set xrange [%.6f:%.6f]\n"
		"set yrange [%u.6:-0.6]\n"
		"set ytics (",
		ms(start_ns), ms(end_ns), nr_rows - 1);
	for (unsigned int r = 0; r < nr_rows; r++)
		fprintf(pf.gp, "%s'pCPU %u' %u", r ? ", " : "", r, r);
	fprintf(pf.gp, ")\n"
		       "set grid xtics\n"
		       "set key below horizontal\n"
		       "set style fill solid 0.85 noborder\n"
		       "plot ");
	for (size_t s = 0; s < nr_labels; s++) {
		size_t nr = 0;

		for (size_t i = 0; i < nr_spans; i++) {
			if (spans[i].series != s || spans[i].row >= nr_rows)
				continue;
			fprintf(pf.dat, "%.6f %.6f %u\n", ms(spans[i].start_ns),
				ms(spans[i].end_ns), spans[i].row);
			nr++;
		}
		if (!nr)
			continue;
		fprintf(pf.dat, "\n\n");
		fprintf(pf.gp,
			"%s'%s.dat' index %zu using (($1+$2)/2):3:"
			"(($2-$1)/2):(0.35) with boxxyerror lc rgb '%s' "
			"title ",
			blocks ? ", \\\n\t" : "", name, blocks,
			plot_colours[s % PLOT_NR_COLOURS]);
		plot_put_str(pf.gp, labels[s]);
		blocks++;
	}
	if (!blocks) /* nothing ran: an empty frame, still with its axes */
		fprintf(pf.gp, "NaN notitle");
	fputc('\n', pf.gp);
	return plot_files_close(c, name, &pf);
}
