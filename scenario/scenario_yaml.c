/*
 * The YAML layer of the scenario parser: reading a file, turning its text
 * into a libyaml node tree, helpers over nodes, the typed getters that run
 * a node's text through the value parsers (scenario_values.c), and the
 * table-driven walker over mappings. What the format contains is in the
 * field tables (scenario_fields.c, scenario_workload.c); this file knows
 * only how to read a value or a mapping and how to complain about it.
 *
 * The text is parsed twice (scn_load_yaml()): a first pass over the event
 * stream reports syntax errors, rejects aliases and more than one
 * document, and caps depth and size, so that the loader only ever builds
 * a small tree.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/private.h"

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

static void get_bool(struct scn_ctx *ctx, const struct scn_field *f,
		     yaml_node_t *node, bool *out)
{
	const char *v = scn_scalar(ctx, f->key, node, "true or false");
	char msg[SCN_MSG_MAX];

	if (v && !scn_parse_bool(v, out, msg, sizeof(msg)))
		scn_node_error(ctx, node, "%s: %s", f->key, msg);
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
	case SCN_K_BOOL: get_bool(ctx, f, value, dst); break;
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
			  const struct scn_sched_scope *scope)
{
	if (!(f->flags & SCN_F_SCHED))
		return !scope || !scope->sched_only;
	return !scope || find_sched_key(scope->keys, f->key);
}

static bool field_required(const struct scn_field *f,
			   const struct scn_sched_scope *scope)
{
	const struct scn_sched_key *k;

	if (!(f->flags & SCN_F_SCHED))
		return (f->flags & SCN_F_REQUIRED) &&
		       !(scope && scope->sched_only);
	k = scope ? find_sched_key(scope->keys, f->key) : NULL;
	return k && k->required;
}

/* "name, vcpu, period, ..." -- the keys allowed in this mapping. */
static void allowed_keys(const struct scn_map *map,
			 const struct scn_sched_scope *scope, char *buf,
			 size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < map->nr_fields; i++) {
		int n;

		if (!field_allowed(&map->fields[i], scope))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			     map->fields[i].key);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

/*
 * Index of @key's field, or -1 after reporting why the key is not valid.
 * A key of another scheduler names the mapping with @scope->where, which
 * says which scheduler runs here.
 */
static int find_field(struct scn_ctx *ctx, const struct scn_map *map,
		      const struct scn_sched_scope *scope, yaml_node_t *key)
{
	const char *text = key_text(key);
	const char *where = map->what;
	char allowed[256], q[64];

	if (text) {
		for (unsigned int i = 0; i < map->nr_fields; i++) {
			if (strcmp(map->fields[i].key, text))
				continue;
			if (field_allowed(&map->fields[i], scope))
				return (int)i;
			if (scope && scope->where)
				where = scope->where;
			break;
		}
	}
	allowed_keys(map, scope, allowed, sizeof(allowed));
	if (!text) {
		scn_node_error(
		    ctx, key,
		    "expected a key name in %s, got %s; expected one of: %s",
		    map->what, scn_node_kind(key), allowed);
		return -1;
	}
	scn_quote(text, q, sizeof(q));
	if (scope && scope->where && scope->sched_only)
		where = scope->where;
	if (!allowed[0])
		scn_node_error(ctx, key,
			       "unknown key %s in %s; it takes no keys", q,
			       where);
	else
		scn_node_error(ctx, key,
			       "unknown key %s in %s; expected one of: %s", q,
			       where, allowed);
	return -1;
}

bool scn_walk(struct scn_ctx *ctx, yaml_node_t *node, const struct scn_map *map,
	      const struct scn_sched_scope *scope, void *obj, void *aux,
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
		int i = find_field(ctx, map, scope, key);

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
		if (!lines[i] && field_required(&map->fields[i], scope))
			scn_node_error(ctx, node,
				       "%s is missing required key '%s'",
				       map->what, map->fields[i].key);
	for (unsigned int i = 0; i < map->nr_fields && !scn_stop(ctx); i++)
		if (values[i])
			parse_field(ctx, &map->fields[i], values[i], obj, aux);
	return ctx->diag.count == errors && !ctx->oom;
}
