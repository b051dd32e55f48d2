/*
 * The report's plots: data files and gnuplot scripts (plot.h). Running
 * gnuplot is plot_gnuplot.c.
 *
 * Design: each plot writes its numbers once, in the unit of the axis
 * (us, ms), with a commented header, and a script that reads them by
 * relative name, so a researcher can restyle a plot without hvlab. Text
 * that reaches a script (titles, legend labels) is quoted in gnuplot's
 * single quotes, where nothing is interpreted, and printed with
 * `noenhanced`, so names like control_law are not typeset as subscripts.
 * Numbers are printed with fixed formats; the output depends only on the
 * samples.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/plot_private.h"
#include "analysis/pwcet.h"
#include "analysis/stats.h"

#define PLOT_SIZE "640,400"
#define PLOT_FONT "',12'"
#define CCDF_MAX_POINTS 2000 /* per set, the tail always kept in full */

/* Tableau 10: the colours stay apart in print and for most colour-blind
 * readers. */
const char *const plot_colours[PLOT_NR_COLOURS] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};

/* @s in gnuplot single quotes: '' stands for ', nothing else is special. */
void plot_put_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '\'')
			fputs("''", f);
		else if (ch < 0x20 || ch == 0x7f)
			fputc('?', f);
		else
			fputc(ch, f);
	}
	fputc('\'', f);
}

static FILE *open_file(const struct plot_ctx *c, const char *name,
		       const char *ext)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s.%s", c->dir, name, ext);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(path, "w");
}

/* Stale images of an earlier report must not pass for new ones. */
static void remove_images(const struct plot_ctx *c, const char *name)
{
	static const char *const exts[] = {"svg", "png"};
	char path[4096];

	for (size_t i = 0; i < 2; i++) {
		int n = snprintf(path, sizeof(path), "%s/%s.%s", c->dir, name,
				 exts[i]);

		if (n > 0 && (size_t)n < sizeof(path))
			unlink(path);
	}
}

/* Opens NAME.dat and NAME.gp and writes the script's preamble. */
int plot_files_open(struct plot_ctx *c, const char *name, const char *title,
		    struct plot_files *pf)
{
	remove_images(c, name);
	pf->dat = open_file(c, name, "dat");
	pf->gp = pf->dat ? open_file(c, name, "gp") : NULL;
	if (!pf->gp) {
		int e = errno ? errno : EIO;

		if (pf->dat)
			fclose(pf->dat);
		if (c->err)
			fprintf(c->err, "error: %s/%s: cannot write: %s\n",
				c->dir, name, strerror(e));
		return -e;
	}
	fprintf(pf->dat, "# %s.dat: ", name);
	for (const char *p = title; *p; p++)
		fputc(*p == '\n' ? ' ' : *p, pf->dat);
	fprintf(pf->dat, "\n");
	fprintf(pf->gp,
		"# %s.gp, written by hvlab report. Redraw, after editing if\n"
		"# you like, with: gnuplot %s.gp (in this directory).\n"
		"# Data: %s.dat. Output: %s.svg and %s.png.\n"
		"set encoding utf8\n"
		"set terminal svg size " PLOT_SIZE " font " PLOT_FONT
		" noenhanced background rgb 'white'\n"
		"set output '%s.svg'\n"
		"set title ",
		name, name, name, name, name, name);
	plot_put_str(pf->gp, title);
	fputc('\n', pf->gp);
	return 0;
}

/* Ends the script (PNG copy), closes both files and runs gnuplot. */
int plot_files_close(struct plot_ctx *c, const char *name,
		     struct plot_files *pf)
{
	int bad;

	fprintf(pf->gp,
		"set output\n"
		"if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
		"\tset terminal pngcairo size " PLOT_SIZE " font " PLOT_FONT
		" noenhanced background rgb 'white'\n"
		"} else {\n"
		"\tset terminal png size " PLOT_SIZE
		" noenhanced background rgb 'white'\n"
		"}\n"
		"set output '%s.png'\n"
		"replot\n"
		"set output\n",
		name);
	bad = ferror(pf->dat) | ferror(pf->gp);
	bad |= fclose(pf->dat) | fclose(pf->gp);
	if (bad) {
		if (c->err)
			fprintf(c->err, "error: %s/%s: write failed\n", c->dir,
				name);
		return -EIO;
	}
	return (int)plot_gnuplot_run(c, name);
}

/* A set without a collector counts as empty. */
static uint64_t set_count(const struct plot_sample_set *set)
{
	return set->stats ? stats_count(set->stats) : 0;
}

int plot_files_abort(struct plot_files *pf, int ret)
{
	fclose(pf->dat);
	fclose(pf->gp);
	return ret;
}

int plot_histogram(struct plot_ctx *c, const char *name, const char *title,
		   const char *xlabel, struct stats *s, size_t nbins)
{
	struct stats_histogram *h;
	struct stats_result r;
	struct plot_files pf;
	int ret;

	if (!stats_count(s))
		return -ENODATA;
	ret = stats_result(s, &r);
	if (ret)
		return ret;
	if (nbins > r.max - r.min + 1)
		nbins = (size_t)(r.max - r.min + 1);
	ret = stats_histogram(s, nbins, 0, 0, &h);
	if (ret)
		return ret;
	ret = plot_files_open(c, name, title, &pf);
	if (ret) {
		stats_histogram_free(h);
		return ret;
	}
	fprintf(pf.dat,
		"# %zu bins over [min, max] = [%llu, %llu] ns, n = %llu%s\n"
		"# bin_low_us bin_high_us center_us count\n",
		h->nbins, (unsigned long long)h->lo, (unsigned long long)h->hi,
		(unsigned long long)r.n,
		r.exact ? "" : " (streaming: values at bucket precision)");
	for (size_t i = 0; i < h->nbins; i++)
		fprintf(pf.dat, "%.3f %.3f %.3f %llu\n", h->edge[i] / 1e3,
			h->edge[i + 1] / 1e3,
			(h->edge[i] + h->edge[i + 1]) / 2e3,
			(unsigned long long)h->count[i]);
	fprintf(pf.gp, "set xlabel ");
	plot_put_str(pf.gp, xlabel);
	fprintf(pf.gp,
		"\nset ylabel 'samples per bin (log scale)'\n"
		"set logscale y\n"
		"set yrange [0.7:*]\n"
		"set grid ytics\n"
		"set style fill solid 0.6 border rgb '#404040'\n"
		"# a bin with 0 samples has no log: gnuplot leaves it out\n"
		"plot '%s.dat' using 3:4:($2-$1) with boxes lc rgb '%s' "
		"notitle\n",
		name, plot_colours[0]);
	stats_histogram_free(h);
	return plot_files_close(c, name, &pf);
}

/*
 * Writes one set's CDF block. Points are thinned to about
 * CCDF_MAX_POINTS by value, except where the CCDF has fewer than
 * CCDF_MAX_POINTS samples above it: the tail is kept point by point.
 */
int plot_ccdf_block(FILE *dat, const char *label, struct stats *s)
{
	struct stats_cdf_point *pt;
	uint64_t n = stats_count(s);
	size_t nr;
	double step;
	double last = -1;
	int ret = stats_cdf(s, &pt, &nr);

	if (ret)
		return ret;
	fprintf(dat, "# set: %s, n = %llu\n", label, (unsigned long long)n);
	fprintf(dat, "# value_us cdf ccdf count_le ccdf_ge\n"
		     "# cdf = P(X <= value), ccdf = P(X > value), "
		     "ccdf_ge = P(X >= value)\n");
	step = (double)(pt[nr - 1].value - pt[0].value) / CCDF_MAX_POINTS;
	for (size_t i = 0; i < nr; i++) {
		bool tail = pt[i].count_le + CCDF_MAX_POINTS >= n;
		uint64_t below = i ? pt[i - 1].count_le : 0;

		if (i && i + 1 < nr && !tail && pt[i].value - last < step)
			continue;
		last = (double)pt[i].value;
		fprintf(dat, "%.3f %.9g %.9g %llu %.9g\n", plot_us(pt[i].value),
			pt[i].frac, pt[i].ccdf,
			(unsigned long long)pt[i].count_le,
			(double)(n - below) / (double)n);
	}
	fprintf(dat, "\n\n");
	free(pt);
	return 0;
}

int plot_ccdf(struct plot_ctx *c, const char *name, const char *title,
	      const char *xlabel, const struct plot_sample_set *sets, size_t n)
{
	struct plot_files pf;
	size_t blocks = 0;
	int ret;

	for (size_t i = 0; i < n; i++)
		blocks += set_count(&sets[i]) > 0;
	if (!blocks)
		return -ENODATA;
	ret = plot_files_open(c, name, title, &pf);
	if (ret)
		return ret;
	fprintf(pf.dat, "# one block per set (gnuplot index)\n");
	fprintf(pf.gp, "set xlabel ");
	plot_put_str(pf.gp, xlabel);
	fprintf(pf.gp,
		"\nset ylabel 'P(X >= x), complementary CDF (log)'\n"
		"set logscale y\n"
		"set format y '%%.0e'\n"
		"set grid\n"
		"set key top right\n"
		"# P(X >= x) is at least 1/n: the max stays on the plot\n"
		"plot ");
	blocks = 0;
	for (size_t i = 0; i < n && !ret; i++) {
		if (!set_count(&sets[i]))
			continue;
		ret = plot_ccdf_block(pf.dat, sets[i].label, sets[i].stats);
		fprintf(pf.gp,
			"%s'%s.dat' index %zu using 1:5 with fsteps lw 2 "
			"lc rgb '%s' title ",
			blocks ? ", \\\n\t" : "", name, blocks,
			plot_colours[i % PLOT_NR_COLOURS]);
		plot_put_str(pf.gp, sets[i].label);
		blocks++;
	}
	fputc('\n', pf.gp);
	if (ret)
		return plot_files_abort(&pf, ret);
	return plot_files_close(c, name, &pf);
}

int plot_box(struct plot_ctx *c, const char *name, const char *title,
	     const char *ylabel, const struct plot_sample_set *sets, size_t n)
{
	static const double ps[] = {0.25, 0.5, 0.75, 0.99};
	struct plot_files pf;
	size_t x = 0;
	int ret;

	for (size_t i = 0; i < n; i++)
		x += set_count(&sets[i]) > 0;
	if (!x)
		return -ENODATA;
	ret = plot_files_open(c, name, title, &pf);
	if (ret)
		return ret;
	fprintf(pf.dat, "# nearest-rank percentiles, one line per set\n"
			"# x min_us p25_us p50_us p75_us p99_us max_us n\n");
	fprintf(pf.gp, "set ylabel ");
	plot_put_str(pf.gp, ylabel);
	fprintf(pf.gp, "\nset xtics (");
	x = 0;
	for (size_t i = 0; i < n && !ret; i++) {
		struct stats *s = sets[i].stats;
		struct stats_result r;
		uint64_t v[4];

		if (!set_count(&sets[i]))
			continue;
		ret = stats_result(s, &r);
		for (size_t k = 0; k < 4 && !ret; k++)
			ret = stats_percentile(s, ps[k], &v[k]);
		if (ret)
			break;
		x++;
		fprintf(pf.dat, "%zu %.3f %.3f %.3f %.3f %.3f %.3f %llu\n", x,
			plot_us(r.min), plot_us(v[0]), plot_us(v[1]),
			plot_us(v[2]), plot_us(v[3]), plot_us(r.max),
			(unsigned long long)r.n);
		fprintf(pf.gp, "%s", x > 1 ? ", " : "");
		plot_put_str(pf.gp, sets[i].label);
		fprintf(pf.gp, " %zu", x);
	}
	fprintf(pf.gp,
		")\n"
		"set xrange [0.4:%zu.6]\n"
		"set yrange [0:*]\n"
		"set grid ytics\n"
		"set boxwidth 0.5\n"
		"set key below horizontal\n"
		"set style fill solid 0.3\n"
		"plot '%s.dat' using 1:3:2:6:5 with candlesticks whiskerbars "
		"lc rgb '%s' lw 1.5 title 'p25-p75, whiskers min-p99', \\\n"
		"\t'' using 1:4:4:4:4 with candlesticks lc rgb 'black' lw 2 "
		"title 'p50', \\\n"
		"\t'' using 1:7 with points pt 2 ps 1.2 lc rgb '%s' "
		"title 'max'\n",
		x, name, plot_colours[0], plot_colours[3]);
	if (ret)
		return plot_files_abort(&pf, ret);
	return plot_files_close(c, name, &pf);
}
