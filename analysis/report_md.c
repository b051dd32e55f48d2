/*
 * The report as Markdown (CommonMark with GitHub tables): report.md.
 * Plots are linked as plots/NAME.svg, relative to the report, so the
 * directory can be moved or published as a whole.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/report_private.h"

/*
 * Text from the trace or the scenario in a table cell or an image's alt
 * text: a '|' would end the cell, '*' or '`' start emphasis or code, '['
 * ']' '<' a link or tag; line breaks would end the row.
 */
static void md_cell(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\|*`[]<", *s))
			fprintf(out, "\\%c", *s);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

static void md_begin(FILE *out, const char *title)
{
	(void)out;
	(void)title;
}

static void md_heading(FILE *out, unsigned int level, const char *text)
{
	for (unsigned int i = 0; i < level; i++)
		fputc('#', out);
	fprintf(out, " %s\n\n", text);
}

static void md_para(FILE *out, const char *text)
{
	fprintf(out, "%s\n\n", text);
}

static void md_alert(FILE *out, const char *text)
{
	fprintf(out, "> **%s**\n\n", text);
}

static void md_table(FILE *out, const struct report_table *t)
{
	for (size_t c = 0; c < t->nr_cols; c++) {
		fputs(c ? " | " : "| ", out);
		md_cell(out, t->head[c]);
	}
	fputs(" |\n", out);
	for (size_t c = 0; c < t->nr_cols; c++)
		fputs(t->align[c] == 'r' ? "|---:" : "|:---", out);
	fputs("|\n", out);
	for (size_t r = 0; r < t->nr_rows; r++) {
		for (size_t c = 0; c < t->nr_cols; c++) {
			const char *cell = t->cells[r * t->nr_cols + c];
			bool loud = t->alert[r] && *cell;

			fputs(c ? " | " : "| ", out);
			fputs(loud ? "**" : "", out);
			md_cell(out, cell);
			fputs(loud ? "**" : "", out);
		}
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

static void md_plot(FILE *out, const struct report *rep,
		    const struct report_plot *p)
{
	(void)rep;
	if (p->status == PLOT_MADE) {
		fputs("![", out);
		md_cell(out, p->title);
		fprintf(out, "](plots/%s.svg)\n\n", p->name);
	} else if (p->status >= 0)
		fprintf(out,
			"Plot \"%s\" was not drawn (%s): its data and script "
			"are plots/%s.dat and plots/%s.gp.\n\n",
			p->title, plot_status_name((enum plot_status)p->status),
			p->name, p->name);
	else
		fprintf(out, "Plot \"%s\" could not be written: %s.\n\n",
			p->title, strerror(-p->status));
	fprintf(out,
		"*%s* Files: plots/%s.dat (data), plots/%s.gp (script), "
		"plots/%s.svg, plots/%s.png.\n\n",
		p->caption, p->name, p->name, p->name, p->name);
}

static void md_end(FILE *out)
{
	(void)out;
}

const struct report_format report_md_format = {
    .file = "report.md",
    .begin = md_begin,
    .heading = md_heading,
    .para = md_para,
    .alert = md_alert,
    .table = md_table,
    .plot = md_plot,
    .end = md_end,
};
