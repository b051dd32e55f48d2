/*
 * The generic half of the scenario parser: the "file:line: message"
 * reporter, scalar values of the format (times, sizes, integers, CPU lists,
 * names), reading a file into a libyaml node tree, and the table-driven
 * walker over that tree. What the format contains is in scenario_parse.c;
 * this file knows only how to read a value or a mapping and how to
 * complain about it.
 *
 * Only integer arithmetic is used: "1.1ms" is exactly 1100000 ns, and a
 * value that is not a whole number of nanoseconds, or does not fit, is
 * rejected rather than rounded. A floating-point strtod() would turn
 * "0.3ms" into 299999.99999999994 ns and leave the rounding to chance.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scenario/private.h"

void scn_verror(struct scn_diag *diag, int line, const char *fmt, va_list ap)
{
	FILE *f = diag->err ? diag->err : stderr;

	diag->count++;
	if (diag->count > SCN_MAX_ERRORS + 1)
		return;
	if (diag->count == SCN_MAX_ERRORS + 1) {
		fprintf(f, "%s:%d: too many errors, stopping after %d\n",
			diag->name, line, SCN_MAX_ERRORS);
		return;
	}
	fprintf(f, "%s:%d: ", diag->name, line);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void scn_error(struct scn_diag *diag, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_verror(diag, line, fmt, ap);
	va_end(ap);
}

/*
 * User text echoed in a message: quoted, cut at 40 characters, and with
 * control characters replaced, so that a message always stays one line.
 */
void scn_quote(const char *text, char *buf, size_t len)
{
	size_t in = 0, out = 0;

	if (len < 8) {
		if (len)
			buf[0] = '\0';
		return;
	}
	buf[out++] = '\'';
	while (text[in] && out + 5 < len && in < 40) {
		unsigned char c = (unsigned char)text[in++];

		buf[out++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (text[in]) {
		buf[out++] = '.';
		buf[out++] = '.';
		buf[out++] = '.';
	}
	buf[out++] = '\'';
	buf[out] = '\0';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A decimal number as written: whole part and exact fractional part. */
struct scn_number {
	uint64_t whole;
	uint64_t frac; /* fraction digits, trailing zeros dropped */
	uint64_t scale; /* 10^(digits in frac): value = whole + frac/scale */
	bool too_big; /* the whole part does not fit in 64 bits */
	bool too_fine; /* a non-zero digit beyond the 18th decimal */
};

/* Read [0-9]+(\.[0-9]+)? at *p; false when there is no such number. */
static bool read_number(const char **p, struct scn_number *n)
{
	const char *s = *p;

	memset(n, 0, sizeof(*n));
	n->scale = 1;
	if (!is_digit(*s))
		return false;
	for (; is_digit(*s); s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (n->whole > (UINT64_MAX - d) / 10)
			n->too_big = true;
		else
			n->whole = n->whole * 10 + d;
	}
	if (*s == '.') {
		if (!is_digit(s[1]))
			return false;
		for (s++; is_digit(*s); s++) {
			unsigned int d = (unsigned int)(*s - '0');

			if (n->scale < UINT64_C(1000000000000000000)) {
				n->frac = n->frac * 10 + d;
				n->scale *= 10;
			} else if (d) {
				n->too_fine = true;
			}
		}
		while (n->scale > 1 && n->frac % 10 == 0) {
			n->frac /= 10;
			n->scale /= 10;
		}
	}
	*p = s;
	return true;
}

struct scn_unit {
	const char *name;
	uint64_t factor;
};

static const struct scn_unit time_units[] = {
    {"ns", 1},
    {"us", 1000},
    {"ms", 1000000},
    {"s", 1000000000},
};

static const struct scn_unit size_units[] = {
    {"B", 1},
    {"KiB", 1024},
    {"MiB", 1024 * 1024},
};

static const struct scn_unit *find_unit(const struct scn_unit *units, size_t nr,
					const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(units[i].name, name))
			return &units[i];
	return NULL;
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

enum scale_result { SCALE_OK, SCALE_FRACTION, SCALE_TOO_BIG };

/*
 * n * factor as an exact integer no larger than @limit. Units are powers
 * of ten, so after dropping trailing zeros a fraction finer than the unit
 * can never come out whole, and one no finer gives frac * (factor/scale),
 * which is below factor and cannot overflow.
 */
static enum scale_result scale_number(const struct scn_number *n,
				      uint64_t factor, uint64_t limit,
				      uint64_t *out)
{
	uint64_t whole;

	if (n->too_fine || n->scale > factor)
		return SCALE_FRACTION;
	if (n->too_big || __builtin_mul_overflow(n->whole, factor, &whole))
		return SCALE_TOO_BIG;
	if (__builtin_add_overflow(whole, n->frac * (factor / n->scale), out))
		return SCALE_TOO_BIG;
	return *out > limit ? SCALE_TOO_BIG : SCALE_OK;
}

bool scn_parse_time(const char *text, hv_time_t *out, char *msg, size_t len)
{
	const struct scn_unit *unit;
	struct scn_number n;
	char q[64];
	const char *p = text;
	uint64_t ns;

	scn_quote(text, q, sizeof(q));
	if (*p == '-') {
		snprintf(msg, len, "%s is negative; expected a time >= 0", q);
		return false;
	}
	if (!read_number(&p, &n)) {
		snprintf(msg, len,
			 "%s is not a time; expected a number and a unit, e.g. "
			 "500us",
			 q);
		return false;
	}
	p = skip_spaces(p);
	if (!*p) {
		snprintf(
		    msg, len,
		    "time needs a unit (ns, us, ms, s), e.g. 500us; got %s", q);
		return false;
	}
	unit = find_unit(time_units, sizeof(time_units) / sizeof(time_units[0]),
			 p);
	if (!unit) {
		snprintf(msg, len,
			 "%s has an unknown unit; expected ns, us, ms or s", q);
		return false;
	}
	switch (scale_number(&n, unit->factor, INT64_MAX, &ns)) {
	case SCALE_FRACTION:
		snprintf(msg, len, "%s is not a whole number of nanoseconds",
			 q);
		return false;
	case SCALE_TOO_BIG:
		snprintf(msg, len,
			 "%s is too large; the limit is %" PRId64
			 "ns (about 292 years)",
			 q, INT64_MAX);
		return false;
	case SCALE_OK: break;
	}
	*out = (hv_time_t)ns;
	return true;
}

bool scn_parse_size(const char *text, uint64_t *out, char *msg, size_t len)
{
	const struct scn_unit *unit;
	struct scn_number n;
	char q[64];
	const char *p = text;

	scn_quote(text, q, sizeof(q));
	if (!read_number(&p, &n) || n.frac || n.too_fine) {
		snprintf(msg, len,
			 "%s is not a size; expected a whole number and a "
			 "unit, e.g. 1MiB",
			 q);
		return false;
	}
	p = skip_spaces(p);
	if (!*p) {
		snprintf(msg, len,
			 "size needs a unit (B, KiB, MiB), e.g. 1MiB; got %s",
			 q);
		return false;
	}
	unit = find_unit(size_units, sizeof(size_units) / sizeof(size_units[0]),
			 p);
	if (!unit) {
		snprintf(msg, len,
			 "%s has an unknown unit; expected B, KiB or MiB", q);
		return false;
	}
	if (scale_number(&n, unit->factor, UINT64_MAX, out) != SCALE_OK) {
		snprintf(msg, len, "%s is too large", q);
		return false;
	}
	return true;
}

/* Optional '-' then digits to the end; magnitude saturates on overflow. */
static bool read_integer(const char *text, bool *negative, uint64_t *mag,
			 bool *too_big)
{
	const char *s = text;

	*negative = *s == '-';
	if (*negative)
		s++;
	*mag = 0;
	*too_big = false;
	if (!is_digit(*s))
		return false;
	for (; is_digit(*s); s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (*mag > (UINT64_MAX - d) / 10)
			*too_big = true;
		else
			*mag = *mag * 10 + d;
	}
	return *s == '\0';
}

bool scn_parse_int(const char *text, int64_t min, int64_t max, int64_t *out,
		   char *msg, size_t len)
{
	bool negative, too_big;
	uint64_t mag;
	int64_t v;
	char q[64];

	scn_quote(text, q, sizeof(q));
	if (!read_integer(text, &negative, &mag, &too_big)) {
		snprintf(msg, len, "%s is not an integer", q);
		return false;
	}
	if (too_big || mag > (uint64_t)INT64_MAX + negative)
		goto range;
	if (negative)
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	else
		v = (int64_t)mag;
	if (v < min || v > max)
		goto range;
	*out = v;
	return true;
range:
	/* Only digits and a sign get here: no quoting needed. */
	snprintf(msg, len,
		 "%.40s is out of range, expected %" PRId64 "..%" PRId64, text,
		 min, max);
	return false;
}

bool scn_parse_u64(const char *text, uint64_t *out, char *msg, size_t len)
{
	bool negative, too_big;
	uint64_t mag;
	char q[64];

	scn_quote(text, q, sizeof(q));
	if (!read_integer(text, &negative, &mag, &too_big)) {
		snprintf(msg, len, "%s is not an integer", q);
		return false;
	}
	if (too_big || (negative && mag)) {
		snprintf(msg, len,
			 "%.40s is out of range, expected 0..%" PRIu64, text,
			 UINT64_MAX);
		return false;
	}
	*out = mag;
	return true;
}

/* One CPU number at *p: digits, saturating; false if there are none. */
static bool read_cpu(const char **p, uint64_t *cpu)
{
	const char *s = *p;

	*cpu = 0;
	if (!is_digit(*s))
		return false;
	for (; is_digit(*s); s++)
		if (*cpu < HV_MAX_PCPUS)
			*cpu = *cpu * 10 + (uint64_t)(*s - '0');
	*p = s;
	return true;
}

/* Add lo..hi to @mask; false with a message on a range or overlap error. */
static bool add_cpu_range(struct cpumask *mask, uint64_t lo, uint64_t hi,
			  const char *token, int token_len, char *msg,
			  size_t len)
{
	if (lo >= HV_MAX_PCPUS || hi >= HV_MAX_PCPUS) {
		snprintf(msg, len,
			 "'%.*s' is out of range, expected cpus 0..%d",
			 token_len, token, HV_MAX_PCPUS - 1);
		return false;
	}
	if (hi < lo) {
		snprintf(msg, len,
			 "range %" PRIu64 "-%" PRIu64
			 " is descending; write it as %" PRIu64 "-%" PRIu64,
			 lo, hi, hi, lo);
		return false;
	}
	for (uint64_t cpu = lo; cpu <= hi; cpu++) {
		if (cpumask_test(mask, (unsigned int)cpu)) {
			snprintf(msg, len, "cpu %" PRIu64 " is listed twice",
				 cpu);
			return false;
		}
		cpumask_set(mask, (unsigned int)cpu);
	}
	return true;
}

bool scn_parse_cpus(const char *text, struct cpumask *out, char *msg,
		    size_t len)
{
	const char *p = skip_spaces(text);
	char q[64];

	cpumask_clear(out);
	scn_quote(text, q, sizeof(q));
	if (!*p) {
		snprintf(msg, len, "empty CPU list; expected e.g. \"0-3,5\"");
		return false;
	}
	for (;;) {
		const char *token = p;
		uint64_t lo, hi;

		if (!read_cpu(&p, &lo))
			goto syntax;
		hi = lo;
		if (*skip_spaces(p) == '-') {
			p = skip_spaces(skip_spaces(p) + 1);
			if (!read_cpu(&p, &hi))
				goto syntax;
		}
		if (!add_cpu_range(out, lo, hi, token, (int)(p - token), msg,
				   len))
			return false;
		p = skip_spaces(p);
		if (!*p)
			return true;
		if (*p != ',')
			goto syntax;
		p = skip_spaces(p + 1);
	}
syntax:
	snprintf(
	    msg, len,
	    "%s is not a CPU list; expected numbers and ranges like \"0-3,5\"",
	    q);
	return false;
}

static bool is_name_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
}

/*
 * Names end up in trace decodes, report file names and device-tree node
 * names, so they are kept to a character set that is safe in all three.
 */
bool scn_check_name(const char *text, char *msg, size_t len)
{
	size_t n = strlen(text);
	char q[64];

	scn_quote(text, q, sizeof(q));
	if (!n) {
		snprintf(msg, len, "a name must not be empty");
		return false;
	}
	if (n >= HV_NAME_MAX) {
		snprintf(msg, len,
			 "%s is too long (%zu characters), expected at most %d",
			 q, n, HV_NAME_MAX - 1);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (is_name_char(text[i]))
			continue;
		if (isprint((unsigned char)text[i]))
			snprintf(msg, len,
				 "%s contains '%c'; use letters, digits, '_', "
				 "'-' and '.'",
				 q, text[i]);
		else
			snprintf(msg, len,
				 "%s contains character 0x%02x; use letters, "
				 "digits, '_', '-' and '.'",
				 q, (unsigned char)text[i]);
		return false;
	}
	return true;
}

void scn_format_time(hv_time_t t, char *buf, size_t len)
{
	/* Largest unit that divides exactly, so the text parses back. */
	for (size_t i = sizeof(time_units) / sizeof(time_units[0]); i-- > 1;) {
		hv_time_t f = (hv_time_t)time_units[i].factor;

		if (t && t % f == 0) {
			snprintf(buf, len, "%" PRId64 "%s", t / f,
				 time_units[i].name);
			return;
		}
	}
	snprintf(buf, len, "%" PRId64 "ns", t);
}

void scn_format_size(uint64_t bytes, char *buf, size_t len)
{
	for (size_t i = sizeof(size_units) / sizeof(size_units[0]); i-- > 1;) {
		if (bytes && bytes % size_units[i].factor == 0) {
			snprintf(buf, len, "%" PRIu64 "%s",
				 bytes / size_units[i].factor,
				 size_units[i].name);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64 "B", bytes);
}

void scn_format_cpus(const struct cpumask *mask, char *buf, size_t len)
{
	unsigned int cpu, last;
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for_each_cpu (cpu, mask) {
		int n;

		last = cpu;
		while (cpumask_test(mask, last + 1))
			last++;
		if (last == cpu)
			n = snprintf(buf + used, len - used, "%s%u",
				     used ? "," : "", cpu);
		else
			n = snprintf(buf + used, len - used, "%s%u-%u",
				     used ? "," : "", cpu, last);
		if (n < 0 || (size_t)n >= len - used)
			return; /* truncated: good enough for a message */
		used += (size_t)n;
		cpu = last;
	}
}

/* ---- From bytes to a node tree --------------------------------------- */

/* The format nests 7 deep: scenario/domains/domain/workload/tasks/task/exec. */
#define SCN_MAX_DEPTH 16
/*
 * A 4096-domain scenario has a few hundred thousand values; the cap keeps
 * a hostile 16 MiB file of "- a" lines from costing gigabytes of nodes.
 */
#define SCN_MAX_NODES (1 << 20)

static int mark_line(size_t line)
{
	return line < INT_MAX - 1 ? (int)line + 1 : INT_MAX;
}

/* Reader errors (bad encoding, control characters) carry only an offset. */
static int syntax_error_line(const yaml_parser_t *parser, const char *text,
			     size_t len)
{
	size_t end, line = 0;

	if (parser->error != YAML_READER_ERROR)
		return mark_line(parser->problem_mark.line);
	end = parser->problem_offset < len ? parser->problem_offset : len;
	for (size_t i = 0; i < end; i++)
		line += text[i] == '\n';
	return mark_line(line);
}

static int report_syntax_error(struct scn_diag *diag,
			       const yaml_parser_t *parser, const char *text,
			       size_t len)
{
	int line = syntax_error_line(parser, text, len);
	const char *problem = parser->problem ? parser->problem : "unknown";

	if (parser->error == YAML_MEMORY_ERROR) {
		scn_error(diag, line, "out of memory");
		return -ENOMEM;
	}
	if (parser->error == YAML_READER_ERROR && parser->problem_value >= 0)
		scn_error(diag, line,
			  "YAML syntax error: %s (character 0x%02x)", problem,
			  (unsigned int)parser->problem_value);
	else if (parser->context)
		scn_error(diag, line, "YAML syntax error: %s (%s)", problem,
			  parser->context);
	else
		scn_error(diag, line, "YAML syntax error: %s", problem);
	return -EINVAL;
}

/* What the first pass counts as it goes. */
struct scan_state {
	int depth;
	int docs;
	long nodes;
};

static int check_event(struct scn_diag *diag, const yaml_event_t *ev,
		       struct scan_state *st)
{
	int line = mark_line(ev->start_mark.line);
	char q[64];

	if (ev->type == YAML_DOCUMENT_START_EVENT && ++st->docs > 1) {
		scn_error(
		    diag, line,
		    "a scenario is one YAML document; found a second one");
		return -EINVAL;
	}
	if (ev->type == YAML_ALIAS_EVENT) {
		scn_quote((const char *)ev->data.alias.anchor, q, sizeof(q));
		scn_error(diag, line,
			  "aliases are not supported (alias %s); write the "
			  "value out in full",
			  q);
		return -EINVAL;
	}
	if (ev->type == YAML_SEQUENCE_END_EVENT ||
	    ev->type == YAML_MAPPING_END_EVENT)
		st->depth--;
	if (ev->type == YAML_SEQUENCE_START_EVENT ||
	    ev->type == YAML_MAPPING_START_EVENT) {
		if (++st->depth > SCN_MAX_DEPTH) {
			scn_error(diag, line,
				  "nesting is deeper than %d levels; a "
				  "scenario needs at most 7",
				  SCN_MAX_DEPTH);
			return -EINVAL;
		}
	}
	if ((ev->type == YAML_SCALAR_EVENT ||
	     ev->type == YAML_SEQUENCE_START_EVENT ||
	     ev->type == YAML_MAPPING_START_EVENT) &&
	    ++st->nodes > SCN_MAX_NODES) {
		scn_error(diag, line,
			  "more than %d values; this is not a scenario a "
			  "simulator can run",
			  SCN_MAX_NODES);
		return -EINVAL;
	}
	return 0;
}

/*
 * First pass, over events only. An alias turns the tree into a graph, and
 * a few nested ones ("billion laughs") make any walk exponential; so do
 * not build the tree before knowing there is none.
 */
static int scan_events(struct scn_diag *diag, const char *text, size_t len)
{
	struct scan_state st = {0};
	yaml_parser_t parser;
	yaml_event_t event;
	bool done = false;
	int rc = 0;

	if (!yaml_parser_initialize(&parser)) {
		scn_error(diag, 1, "out of memory");
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && !rc) {
		if (!yaml_parser_parse(&parser, &event)) {
			rc = report_syntax_error(diag, &parser, text, len);
			break;
		}
		rc = check_event(diag, &event, &st);
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* Second pass: the node tree. */
static int load_document(struct scn_diag *diag, const char *text, size_t len,
			 yaml_document_t *doc)
{
	yaml_parser_t parser;
	int rc = 0;

	if (!yaml_parser_initialize(&parser)) {
		scn_error(diag, 1, "out of memory");
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	/* On failure yaml_parser_load() has already freed @doc. */
	if (!yaml_parser_load(&parser, doc))
		rc = report_syntax_error(diag, &parser, text, len);
	yaml_parser_delete(&parser);
	return rc;
}

int scn_read_file(const char *path, char **text, size_t *len)
{
	/* One byte past the limit is enough to refuse the file. */
	const size_t limit = SCN_MAX_FILE_BYTES + 1;
	size_t cap = 0, used = 0;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");
	int rc = 0;

	if (!f)
		return -errno;
	for (;;) {
		size_t n;

		if (used == cap) {
			char *bigger;

			cap = cap ? cap * 2 : 64 * 1024;
			cap = cap < limit ? cap : limit;
			bigger = realloc(buf, cap);
			if (!bigger) {
				rc = -ENOMEM;
				break;
			}
			buf = bigger;
		}
		n = fread(buf + used, 1, cap - used, f);
		used += n;
		if (n == 0 || used == limit) {
			if (ferror(f))
				rc = errno ? -errno : -EIO;
			break;
		}
	}
	fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = used;
	return 0;
}

int scn_load_yaml(struct scn_diag *diag, const char *text, size_t len,
		  yaml_document_t *doc)
{
	int rc = scan_events(diag, text, len);

	return rc ? rc : load_document(diag, text, len, doc);
}

/* ---- YAML nodes ------------------------------------------------------ */

int scn_line(const yaml_node_t *node)
{
	return node->start_mark.line < INT_MAX - 1
		   ? (int)node->start_mark.line + 1
		   : INT_MAX;
}

void scn_node_error(struct scn_ctx *ctx, const yaml_node_t *node,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_verror(&ctx->diag, scn_line(node), fmt, ap);
	va_end(ap);
}

yaml_node_t *scn_node(struct scn_ctx *ctx, int index)
{
	return yaml_document_get_node(ctx->doc, index);
}

/*
 * Only "" and "~" count as nothing: the word null must stay a plain
 * string, because it is the name of Xen's null scheduler (sched: null).
 */
bool scn_is_empty(const yaml_node_t *node)
{
	const char *v;

	if (node->type != YAML_SCALAR_NODE ||
	    node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)node->data.scalar.value;
	return !*v || !strcmp(v, "~");
}

const char *scn_node_kind(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_SCALAR_NODE:
		return scn_is_empty(node) ? "nothing" : "a scalar";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

const char *scn_scalar(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		       const char *expected)
{
	const char *v;

	if (node->type != YAML_SCALAR_NODE || scn_is_empty(node)) {
		scn_node_error(ctx, node, "%s: expected %s, got %s", key,
			       expected, scn_node_kind(node));
		return NULL;
	}
	v = (const char *)node->data.scalar.value;
	/* A quoted "\0" would silently cut the value short otherwise. */
	if (strlen(v) != node->data.scalar.length) {
		scn_node_error(ctx, node, "%s: contains a NUL character", key);
		return NULL;
	}
	return v;
}

/* The text of scalar @node if it holds no NUL byte, else NULL. */
static const char *key_text(const yaml_node_t *node)
{
	const char *v;

	if (node->type != YAML_SCALAR_NODE)
		return NULL;
	v = (const char *)node->data.scalar.value;
	return strlen(v) == node->data.scalar.length ? v : NULL;
}

const char *scn_peek(struct scn_ctx *ctx, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;

	if (map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start;
	     pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = scn_node(ctx, pair->key);
		yaml_node_t *v = scn_node(ctx, pair->value);
		const char *text = k ? key_text(k) : NULL;

		if (text && !strcmp(text, key) && v &&
		    v->type == YAML_SCALAR_NODE)
			return key_text(v);
	}
	return NULL;
}

int scn_list_length(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		    int min, int max)
{
	ptrdiff_t n;

	if (node->type != YAML_SEQUENCE_NODE) {
		scn_node_error(ctx, node, "%s: expected a list, got %s", key,
			       scn_node_kind(node));
		return -1;
	}
	n = node->data.sequence.items.top - node->data.sequence.items.start;
	if (n < min) {
		scn_node_error(ctx, node,
			       "%s: expected at least %d entr%s, got %td", key,
			       min, min == 1 ? "y" : "ies", n);
		return -1;
	}
	if (n > max) {
		scn_node_error(
		    ctx, node,
		    "%s: %td entries are too many, expected at most %d", key, n,
		    max);
		return -1;
	}
	return (int)n;
}

yaml_node_t *scn_list_item(struct scn_ctx *ctx, yaml_node_t *list, int i)
{
	return scn_node(ctx, list->data.sequence.items.start[i]);
}

void *scn_alloc(struct scn_ctx *ctx, const yaml_node_t *node, size_t n,
		size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p && !ctx->oom) {
		ctx->oom = true;
		scn_node_error(ctx, node, "out of memory");
	}
	return p;
}

/* ---- Typed values ---------------------------------------------------- */

bool scn_get_name(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		  char *dst)
{
	const char *v = scn_scalar(ctx, key, node, "a name");
	char msg[SCN_MSG_MAX];

	if (!v)
		return false;
	if (!scn_check_name(v, msg, sizeof(msg))) {
		scn_node_error(ctx, node, "%s: %s", key, msg);
		return false;
	}
	memcpy(dst, v, strlen(v) + 1);
	return true;
}

bool scn_get_time(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		  bool positive, hv_time_t *out)
{
	const char *v = scn_scalar(ctx, key, node, "a time such as 500us");
	char msg[SCN_MSG_MAX];
	hv_time_t t;

	if (!v)
		return false;
	if (!scn_parse_time(v, &t, msg, sizeof(msg))) {
		scn_node_error(ctx, node, "%s: %s", key, msg);
		return false;
	}
	if (positive && t == 0) {
		scn_node_error(ctx, node, "%s: expected a time > 0, got %s",
			       key, v);
		return false;
	}
	*out = t;
	return true;
}

bool scn_get_cpus(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		  struct cpumask *out)
{
	const char *v =
	    scn_scalar(ctx, key, node, "a CPU list such as \"0-3,5\"");
	char msg[SCN_MSG_MAX];

	if (!v)
		return false;
	if (!scn_parse_cpus(v, out, msg, sizeof(msg))) {
		scn_node_error(ctx, node, "%s: %s", key, msg);
		return false;
	}
	return true;
}

static bool get_int(struct scn_ctx *ctx, const struct scn_field *f,
		    yaml_node_t *node, int64_t *out)
{
	const char *v = scn_scalar(ctx, f->key, node, "an integer");
	char msg[SCN_MSG_MAX];

	if (!v)
		return false;
	if (!scn_parse_int(v, f->min, f->max, out, msg, sizeof(msg))) {
		scn_node_error(ctx, node, "%s: %s", f->key, msg);
		return false;
	}
	return true;
}

static void get_u64(struct scn_ctx *ctx, const struct scn_field *f,
		    yaml_node_t *node, uint64_t *out)
{
	const char *v = scn_scalar(ctx, f->key, node, "an integer");
	char msg[SCN_MSG_MAX];

	if (v && !scn_parse_u64(v, out, msg, sizeof(msg)))
		scn_node_error(ctx, node, "%s: %s", f->key, msg);
}

static void get_size(struct scn_ctx *ctx, const struct scn_field *f,
		     yaml_node_t *node, uint64_t *out)
{
	const char *v = scn_scalar(ctx, f->key, node, "a size such as 1MiB");
	char msg[SCN_MSG_MAX];

	if (v && !scn_parse_size(v, out, msg, sizeof(msg)))
		scn_node_error(ctx, node, "%s: %s", f->key, msg);
}

bool scn_get_choice(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
		    const char *const *choices, int *index)
{
	const char *v = scn_scalar(ctx, key, node, "a name");
	char list[256], q[64];
	size_t used = 0;

	if (!v)
		return false;
	for (int i = 0; choices[i]; i++) {
		if (!strcmp(v, choices[i])) {
			*index = i;
			return true;
		}
	}
	list[0] = '\0';
	for (int i = 0; choices[i] && used < sizeof(list); i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%s",
				 i ? ", " : "", choices[i]);

		used += n > 0 ? (size_t)n : 0;
	}
	scn_quote(v, q, sizeof(q));
	scn_node_error(ctx, node, "%s: unknown value %s; expected one of: %s",
		       key, q, list);
	return false;
}

static void get_choice(struct scn_ctx *ctx, const struct scn_field *f,
		       yaml_node_t *node, char *dst)
{
	int i;

	if (scn_get_choice(ctx, f->key, node, f->choices, &i) &&
	    strlen(f->choices[i]) < f->size)
		memcpy(dst, f->choices[i], strlen(f->choices[i]) + 1);
}

static void parse_field(struct scn_ctx *ctx, const struct scn_field *f,
			yaml_node_t *value, void *obj, void *aux)
{
	void *dst = (char *)obj + f->offset;
	int64_t v;

	switch (f->kind) {
	case SCN_K_NAME: scn_get_name(ctx, f->key, value, dst); break;
	case SCN_K_TIME:
	case SCN_K_TIME_POS:
		scn_get_time(ctx, f->key, value, f->kind == SCN_K_TIME_POS,
			     dst);
		break;
	case SCN_K_UINT:
		if (get_int(ctx, f, value, &v))
			*(unsigned int *)dst = (unsigned int)v;
		break;
	case SCN_K_INT:
		if (get_int(ctx, f, value, &v))
			*(int *)dst = (int)v;
		break;
	case SCN_K_U64: get_u64(ctx, f, value, dst); break;
	case SCN_K_SIZE: get_size(ctx, f, value, dst); break;
	case SCN_K_CPUS: scn_get_cpus(ctx, f->key, value, dst); break;
	case SCN_K_CHOICE: get_choice(ctx, f, value, dst); break;
	case SCN_K_CUSTOM: f->custom(ctx, f, value, obj, aux); break;
	}
}

/* ---- The mapping walker ---------------------------------------------- */

static const struct scn_sched_key *
find_sched_key(const struct scn_sched_key *keys, const char *key)
{
	for (; keys && keys->key; keys++)
		if (!strcmp(keys->key, key))
			return keys;
	return NULL;
}

static bool field_allowed(const struct scn_field *f,
			  const struct scn_sched_key *sched_keys)
{
	return !(f->flags & SCN_F_SCHED) || !sched_keys ||
	       find_sched_key(sched_keys, f->key);
}

static bool field_required(const struct scn_field *f,
			   const struct scn_sched_key *sched_keys)
{
	const struct scn_sched_key *k;

	if (!(f->flags & SCN_F_SCHED))
		return f->flags & SCN_F_REQUIRED;
	k = find_sched_key(sched_keys, f->key);
	return k && k->required;
}

/* "name, vcpu, period, ..." -- the keys allowed in this mapping. */
static void allowed_keys(const struct scn_map *map,
			 const struct scn_sched_key *sched_keys, char *buf,
			 size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < map->nr_fields; i++) {
		int n;

		if (!field_allowed(&map->fields[i], sched_keys))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			     map->fields[i].key);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

/* Index of @key's field, or -1 after reporting why the key is not valid. */
static int find_field(struct scn_ctx *ctx, const struct scn_map *map,
		      const struct scn_sched_key *sched_keys, yaml_node_t *key)
{
	const char *text = key_text(key);
	char allowed[256], q[64];

	if (text) {
		for (unsigned int i = 0; i < map->nr_fields; i++) {
			if (strcmp(map->fields[i].key, text))
				continue;
			if (field_allowed(&map->fields[i], sched_keys))
				return (int)i;
			break;
		}
	}
	allowed_keys(map, sched_keys, allowed, sizeof(allowed));
	if (!text) {
		scn_node_error(
		    ctx, key,
		    "expected a key name in %s, got %s; expected one of: %s",
		    map->what, scn_node_kind(key), allowed);
		return -1;
	}
	scn_quote(text, q, sizeof(q));
	scn_node_error(ctx, key, "unknown key %s in %s; expected one of: %s", q,
		       map->what, allowed);
	return -1;
}

bool scn_walk(struct scn_ctx *ctx, yaml_node_t *node, const struct scn_map *map,
	      const struct scn_sched_key *sched_keys, void *obj, void *aux,
	      int *lines)
{
	yaml_node_t *values[SCN_MAX_FIELDS] = {0};
	unsigned int errors = ctx->diag.count;
	yaml_node_pair_t *pair;

	if (map->nr_fields > SCN_MAX_FIELDS) {
		/* A table grew past the stack arrays: a bug, not bad input. */
		scn_node_error(ctx, node, "internal error: %s has %u keys",
			       map->what, map->nr_fields);
		return false;
	}
	for (unsigned int i = 0; i < map->nr_fields; i++)
		lines[i] = 0;
	if (node->type != YAML_MAPPING_NODE) {
		scn_node_error(ctx, node, "%s: expected a mapping, got %s",
			       map->what, scn_node_kind(node));
		return false;
	}
	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top && !scn_stop(ctx); pair++) {
		yaml_node_t *key = scn_node(ctx, pair->key);
		int i = find_field(ctx, map, sched_keys, key);

		if (i < 0)
			continue;
		if (lines[i]) {
			scn_node_error(
			    ctx, key,
			    "duplicate key '%s' in %s (first at line %d)",
			    map->fields[i].key, map->what, lines[i]);
			continue;
		}
		lines[i] = scn_line(key);
		values[i] = scn_node(ctx, pair->value);
	}
	/* Missing keys first: a later cascade is easier to read after it. */
	for (unsigned int i = 0; i < map->nr_fields && !scn_stop(ctx); i++)
		if (!lines[i] && field_required(&map->fields[i], sched_keys))
			scn_node_error(ctx, node,
				       "%s is missing required key '%s'",
				       map->what, map->fields[i].key);
	for (unsigned int i = 0; i < map->nr_fields && !scn_stop(ctx); i++)
		if (values[i])
			parse_field(ctx, &map->fields[i], values[i], obj, aux);
	return ctx->diag.count == errors && !ctx->oom;
}
