/*
 * The scalar values of the scenario format and the messages about them:
 * the "file:line: message" reporter, the value parsers (times, sizes,
 * integers, CPU lists, names) and their inverse, the formatting used to
 * echo values in messages. Nothing here knows about YAML or about the
 * schema, which is what lets the unit test call the parsers on plain
 * strings; the YAML layer is scenario_yaml.c.
 *
 * Only integer arithmetic is used: "1.1ms" is exactly 1100000 ns, and a
 * value that is not a whole number of nanoseconds, or does not fit, is
 * rejected rather than rounded. A floating-point strtod() would turn
 * "0.3ms" into 299999.99999999994 ns and leave the rounding to chance.
 */
#include <ctype.h>
#include <inttypes.h>
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
    {"GiB", 1024 * 1024 * 1024},
};

/*
 * QEMU's spelling of the same binary units (-m 1G), accepted on input so
 * that a size can be copied from a QEMU command line; never written.
 */
static const struct scn_unit size_aliases[] = {
    {"K", 1024},
    {"M", 1024 * 1024},
    {"G", 1024 * 1024 * 1024},
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
			 "size needs a unit (B, KiB, MiB, GiB), e.g. 1MiB; "
			 "got %s",
			 q);
		return false;
	}
	unit = find_unit(size_units, sizeof(size_units) / sizeof(size_units[0]),
			 p);
	if (!unit)
		unit = find_unit(size_aliases,
				 sizeof(size_aliases) / sizeof(size_aliases[0]),
				 p);
	if (!unit) {
		snprintf(msg, len,
			 "%s has an unknown unit; expected B, KiB, MiB or GiB "
			 "(or QEMU's K, M, G)",
			 q);
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
 * Booleans are YAML 1.2's: true or false (also True/TRUE, False/FALSE).
 * YAML 1.1's yes/no, on/off and y/n, and 1/0, are refused rather than
 * guessed at: a reader of the file should not have to know which YAML
 * version the parser follows to tell what "extratime: no" means.
 */
bool scn_parse_bool(const char *text, bool *out, char *msg, size_t len)
{
	static const char *const words[] = {"true",  "True",  "TRUE",
					    "false", "False", "FALSE"};
	char q[64];

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!strcmp(text, words[i])) {
			*out = i < 3;
			return true;
		}
	}
	scn_quote(text, q, sizeof(q));
	snprintf(msg, len,
		 "%s is not a boolean; expected true or false (yes/no, "
		 "on/off and 1/0 are not accepted)",
		 q);
	return false;
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
