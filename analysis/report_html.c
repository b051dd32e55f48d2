/*
 * The report as one self-contained HTML file: report.html. Plots are the
 * SVG files gnuplot wrote, inlined; a few lines of CSS; no script, no
 * external resource, so the file can be mailed or archived alone.
 *
 * Inlining: the XML prolog goes, and every id gnuplot gives (the same
 * "gpPt0", "gnuplot_canvas" ... in every file) is prefixed with the
 * plot's name, together with the references to it (href="#id",
 * url(#id)), so the ids of several plots on one page stay unique.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/report_private.h"

#define SVG_MAX_BYTES (64u << 20)

static const char css[] =
    "body{font-family:sans-serif;max-width:72em;margin:1em auto;"
    "padding:0 1em;color:#222}\n"
    "table{border-collapse:collapse;margin:0.5em 0 1em;font-size:0.9em}\n"
    "th,td{border:1px solid #bbb;padding:0.2em 0.5em}\n"
    "th{background:#eee}\n"
    "td.r,th.r{text-align:right}\n"
    "tr.alert td{background:#fdd;color:#900;font-weight:bold}\n"
    "p.alert{background:#fdd;border-left:0.4em solid #c00;padding:0.5em;"
    "font-weight:bold;color:#900}\n"
    "figure{margin:1em 0}\n"
    "figure svg{max-width:100%;height:auto}\n"
    "figcaption{font-size:0.9em;color:#444}\n"
    "code{background:#f4f4f4;padding:0 0.2em}\n";

static void html_esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
	}
}

/* Escaped text in which `this` becomes <code>this</code>. */
static void html_text(FILE *out, const char *s)
{
	bool code = false;
	char one[2] = {0};

	for (; *s; s++) {
		if (*s == '`') {
			fputs(code ? "</code>" : "<code>", out);
			code = !code;
			continue;
		}
		one[0] = *s;
		html_esc(out, one);
	}
	if (code)
		fputs("</code>", out);
}

static void html_begin(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>",
	      out);
	html_esc(out, title);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

static void html_heading(FILE *out, unsigned int level, const char *text)
{
	fprintf(out, "<h%u>", level);
	html_esc(out, text);
	fprintf(out, "</h%u>\n", level);
}

static void html_para(FILE *out, const char *text)
{
	fputs("<p>", out);
	html_text(out, text);
	fputs("</p>\n", out);
}

static void html_alert(FILE *out, const char *text)
{
	fputs("<p class=\"alert\">", out);
	html_text(out, text);
	fputs("</p>\n", out);
}

static void html_table(FILE *out, const struct report_table *t)
{
	fputs("<table>\n<thead><tr>", out);
	for (size_t c = 0; c < t->nr_cols; c++) {
		fputs(t->align[c] == 'r' ? "<th class=\"r\">" : "<th>", out);
		html_esc(out, t->head[c]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t r = 0; r < t->nr_rows; r++) {
		fputs(t->alert[r] ? "<tr class=\"alert\">" : "<tr>", out);
		for (size_t c = 0; c < t->nr_cols; c++) {
			fputs(t->align[c] == 'r' ? "<td class=\"r\">" : "<td>",
			      out);
			html_esc(out, t->cells[r * t->nr_cols + c]);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n", out);
}

/* Reads a whole file. Return: the bytes (NUL-terminated) or NULL. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (size = ftell(f)) >= 0 &&
	    (unsigned long)size <= SVG_MAX_BYTES && !fseek(f, 0, SEEK_SET) &&
	    (buf = malloc((size_t)size + 1))) {
		*len = fread(buf, 1, (size_t)size, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

/* Copies @svg with its ids (and references to them) prefixed. */
static void svg_inline(FILE *out, const char *svg, const char *prefix)
{
	static const char *const marks[] = {
	    " id='", " id=\"", "href='#", "href=\"#", "url(#",
	};
	const char *p = svg;

	if (!strncmp(p, "<?xml", 5) && (p = strstr(p, "?>")))
		p += 2;
	else
		p = svg;
	while (*p == '\n' || *p == '\r')
		p++;
	while (*p) {
		size_t k, len = 0;

		for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++) {
			len = strlen(marks[k]);
			if (!strncmp(p, marks[k], len))
				break;
		}
		if (k == sizeof(marks) / sizeof(marks[0])) {
			fputc(*p++, out);
			continue;
		}
		fwrite(p, 1, len, out);
		fprintf(out, "%s-", prefix);
		p += len;
	}
}

static void html_plot(FILE *out, const struct report *rep,
		      const struct report_plot *p)
{
	char path[4300];
	char *svg = NULL;
	size_t len = 0;

	fprintf(out, "<figure id=\"plot-%s\">\n", p->name);
	if (p->status == PLOT_MADE) {
		snprintf(path, sizeof(path), "%s/plots/%s.svg", rep->dir,
			 p->name);
		svg = slurp(path, &len);
	}
	if (svg) {
		svg_inline(out, svg, p->name);
		free(svg);
	} else {
		fputs("<p class=\"alert\">Plot not drawn (", out);
		html_esc(out, p->status >= 0 ? plot_status_name(p->status)
					     : strerror(-p->status));
		fputs("): its data and gnuplot script are in plots/.</p>\n",
		      out);
	}
	fputs("<figcaption><strong>", out);
	html_esc(out, p->title);
	fputs(".</strong> ", out);
	html_esc(out, p->caption);
	fprintf(out,
		" Files: <code>plots/%s.dat</code>, <code>plots/%s.gp</code>, "
		"<code>plots/%s.svg</code>, <code>plots/%s.png</code>."
		"</figcaption>\n</figure>\n",
		p->name, p->name, p->name, p->name);
}

static void html_end(FILE *out)
{
	fputs("</body>\n</html>\n", out);
}

const struct report_format report_html_format = {
    .file = "report.html",
    .begin = html_begin,
    .heading = html_heading,
    .para = html_para,
    .alert = html_alert,
    .table = html_table,
    .plot = html_plot,
    .end = html_end,
};
