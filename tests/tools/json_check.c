/*
 * json_check FILE [--perfetto]: exit 0 if FILE is one valid JSON document
 * (parsed with jansson, the project's JSON library), 1 if not, with the
 * line and reason. --perfetto also checks the Chrome trace-event shape
 * `hvlab trace export --format perfetto` promises, and prints the number
 * of events per phase ("M 9 X 5236 i 16163").
 *
 * A test tool for tests/e2e/trace_tools.sh, not part of hvlab.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int bad(const char *path, size_t i, const char *what)
{
	fprintf(stderr, "%s: traceEvents[%zu]: %s\n", path, i, what);
	return 1;
}

static int check_perfetto(const char *path, json_t *root)
{
	json_t *events = json_object_get(root, "traceEvents"), *e;
	const char *unit =
	    json_string_value(json_object_get(root, "displayTimeUnit"));
	size_t i, m = 0, x = 0, inst = 0;

	if (!json_is_array(events))
		return bad(path, 0, "no traceEvents array");
	if (!unit || strcmp(unit, "ns"))
		return bad(path, 0, "displayTimeUnit is not \"ns\"");
	json_array_foreach(events, i, e)
	{
		const char *ph = json_string_value(json_object_get(e, "ph"));

		if (!ph || !json_is_string(json_object_get(e, "name")) ||
		    !json_is_integer(json_object_get(e, "pid")))
			return bad(path, i, "ph, name or pid missing");
		if (!strcmp(ph, "M")) {
			m++;
			continue;
		}
		if (!json_is_integer(json_object_get(e, "tid")) ||
		    !json_is_number(json_object_get(e, "ts")) ||
		    json_number_value(json_object_get(e, "ts")) < 0)
			return bad(path, i, "tid or ts missing or negative");
		if (!strcmp(ph, "X")) {
			if (!json_is_number(json_object_get(e, "dur")) ||
			    json_number_value(json_object_get(e, "dur")) <= 0)
				return bad(path, i, "slice without a dur > 0");
			x++;
		} else if (!strcmp(ph, "i")) {
			inst++;
		} else {
			return bad(path, i, "unexpected phase");
		}
	}
	printf("M %zu X %zu i %zu\n", m, x, inst);
	return 0;
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *root;
	int rc = 0;

	if (argc < 2 || argc > 3 ||
	    (argc == 3 && strcmp(argv[2], "--perfetto"))) {
		fprintf(stderr, "usage: json_check FILE [--perfetto]\n");
		return 2;
	}
	root = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		fprintf(stderr, "%s:%d:%d: %s\n", argv[1], err.line, err.column,
			err.text);
		return 1;
	}
	if (argc == 3)
		rc = check_perfetto(argv[1], root);
	json_decref(root);
	return rc;
}
