/*
 * Helpers shared by the plot files (plot.c, plot_timeline.c,
 * plot_pwcet.c). Not a public header.
 */
#ifndef HV_PLOT_PRIVATE_H
#define HV_PLOT_PRIVATE_H

#include <stdint.h>
#include <stdio.h>

#include "analysis/plot.h"

#define PLOT_NR_COLOURS 10

/* A colour per series, cycled. */
extern const char *const plot_colours[PLOT_NR_COLOURS];

/* The two files of one plot while it is being written. */
struct plot_files {
	FILE *dat, *gp;
};

/* plot_put_str() - @s as a gnuplot single-quoted string. */
void plot_put_str(FILE *f, const char *s);

/*
 * plot_files_open() - create NAME.dat and NAME.gp (removing NAME.svg and
 * NAME.png of an earlier run), write the script's preamble and title.
 * Return: 0, or a negative errno (message on @c->err).
 */
int plot_files_open(struct plot_ctx *c, const char *name, const char *title,
		    struct plot_files *pf);

/*
 * plot_files_close() - end the script (the PNG copy), close both files,
 * run gnuplot. Return: a plot_status, or -EIO.
 */
int plot_files_close(struct plot_ctx *c, const char *name,
		     struct plot_files *pf);

/* plot_files_abort() - close both files after an error; returns @ret. */
int plot_files_abort(struct plot_files *pf, int ret);

/*
 * plot_ccdf_block() - one gnuplot index block of @s's empirical CDF:
 * value_us cdf ccdf count_le, thinned by value but with the tail kept
 * point by point. Return: 0, -ENODATA when empty, -ENOMEM.
 */
struct stats;
int plot_ccdf_block(FILE *dat, const char *label, struct stats *s);

static inline double plot_us(uint64_t ns)
{
	return (double)ns / 1e3;
}

#endif /* HV_PLOT_PRIVATE_H */
