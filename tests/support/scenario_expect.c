/* See scenario_expect.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/private.h"
#include "scenario_expect.h"

/* Load @yaml as "t.yaml"; messages go to a new string in *@msgs. */
int load(const char *yaml, size_t len, struct scenario **out, char **msgs)
{
	size_t size = 0;
	FILE *err;
	int rc;

	*msgs = NULL;
	err = open_memstream(msgs, &size);
	assert_non_null(err);
	rc = scenario_load_buffer("t.yaml", yaml, len, err, out);
	fclose(err);
	return rc;
}

/* @yaml must load cleanly and print nothing. */
struct scenario *load_ok(const char *yaml)
{
	struct scenario *s = NULL;
	char *msgs;
	int rc = load(yaml, strlen(yaml), &s, &msgs);

	if (rc || *msgs)
		print_message("unexpected messages:\n%s", msgs);
	assert_int_equal(rc, 0);
	assert_string_equal(msgs, "");
	assert_non_null(s);
	free(msgs);
	return s;
}

/*
 * @len bytes of @yaml must be rejected with -EINVAL, *out left NULL, and a
 * first message "t.yaml:@line: ..." containing @what.
 */
void expect_reject_len(const char *yaml, size_t len, int line, const char *what)
{
	struct scenario *s = (struct scenario *)&s; /* must become NULL */
	char prefix[32], *msgs, *first;
	int rc = load(yaml, len, &s, &msgs);
	size_t first_len = strcspn(msgs, "\n");

	snprintf(prefix, sizeof(prefix), "t.yaml:%d: ", line);
	first = strndup(msgs, first_len); /* the first message only */
	assert_non_null(first);
	if (rc != -EINVAL || s || msgs[first_len] != '\n' ||
	    strncmp(first, prefix, strlen(prefix)) || !strstr(first, what)) {
		print_error("rc %d, out %p; expected \"%s...%s\" first in:\n%s",
			    rc, (void *)s, prefix, what, msgs);
		free(first);
		free(msgs);
		fail();
	}
	assert_int_equal(rc, -EINVAL);
	assert_null(s);
	free(first);
	free(msgs);
}

void expect_reject(const char *yaml, int line, const char *what)
{
	expect_reject_len(yaml, strlen(yaml), line, what);
}

uint64_t fnv1a(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 1099511628211ull;
	}
	return h;
}

struct cpumask mask_of(const char *list)
{
	struct cpumask m;
	char msg[SCN_MSG_MAX];

	assert_true(scn_parse_cpus(list, &m, msg, sizeof(msg)));
	return m;
}

void assert_mask(const struct cpumask *m, const char *list)
{
	char buf[128];

	scn_format_cpus(m, buf, sizeof(buf));
	assert_string_equal(buf, list);
}
