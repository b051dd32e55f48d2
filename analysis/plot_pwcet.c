/*
 * pWCET plot: the fitted exceedance curve of pwcet.h beside the
 * empirical complementary CDF of the samples it was fitted to (plot.h).
 */
#include <errno.h>
#include <math.h>

#include "analysis/plot_private.h"
#include "analysis/pwcet.h"
#include "analysis/stats.h"

int plot_pwcet(struct plot_ctx *c, const char *name, const char *title,
	       const char *xlabel, const struct pwcet_result *r,
	       struct stats *observed)
{
	struct plot_files pf;
	bool have_obs = observed && stats_count(observed);
	int ret;

	if (r->status != PWCET_OK || !r->nr_curve)
		return -ENODATA;
	ret = plot_files_open(c, name, title, &pf);
	if (ret)
		return ret;
	fprintf(pf.dat,
		"# block 0: pWCET curve, model %s, %zu blocks of %zu samples\n"
		"# p_run value_us (exceedance probability per sample)\n",
		pwcet_model_name(r->model), r->nr_blocks, r->block);
	for (size_t i = 0; i < r->nr_curve; i++)
		fprintf(pf.dat, "%.3g %.3f\n", r->curve[i].p_run,
			r->curve[i].value / 1e3);
	fprintf(pf.dat, "\n\n");
	if (have_obs) {
		fprintf(pf.dat, "# block 1: the observed samples\n");
		ret = plot_ccdf_block(pf.dat, "observed", observed);
		if (ret)
			return plot_files_abort(&pf, ret);
	}
	fprintf(pf.gp, "set xlabel ");
	plot_put_str(pf.gp, xlabel);
	fprintf(pf.gp,
		"\nset ylabel 'exceedance probability per sample (log)'\n"
		"set logscale y\n"
		"set format y '%%.0e'\n"
		"set yrange [1e-16:1]\n"
		"set grid\n"
		"set key top right\n"
		"set arrow from %.3f, graph 0 to %.3f, graph 1 nohead dt 2 "
		"lc rgb 'gray40'\n"
		"set label 'max observed' at %.3f, graph 0.5 rotate by 90 "
		"offset -1,0 center\n"
		"plot '%s.dat' index 0 using 2:1 with linespoints lw 2 pt 7 "
		"ps 0.6 lc rgb '%s' title 'pWCET (%s fit)'",
		plot_us(r->wcot), plot_us(r->wcot), plot_us(r->wcot), name,
		plot_colours[3], pwcet_model_name(r->model));
	if (have_obs)
		fprintf(pf.gp,
			", \\\n\t'' index 1 using 1:5 with fsteps lw 2 "
			"lc rgb '%s' title 'observed P(X >= x)'",
			plot_colours[0]);
	fputc('\n', pf.gp);
	return plot_files_close(c, name, &pf);
}
