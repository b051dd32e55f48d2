/*
 * Latency budgets: the "budgets" list of a scenario, and budget files
 * (a mapping whose one key is "budgets", the same list) that "hvlab gate"
 * checks a run against. Both go through the same field table, so a budget
 * means the same wherever it is written; a budget file is checked against
 * the scenario of the run it will judge, so its domain and task names are
 * those of that scenario. Users' documentation: docs/scenario.md
 * ("budgets") and docs/gate.md.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/private.h"

static const char *const budget_metrics[] = {
    "irq_latency", "irq_response", "task_response", "sched_latency", NULL,
};

static const char *const budget_stats[] = {
    "min", "mean", "p50", "p90", "p99", "p99.9", "p99.99", "max", NULL,
};

static void parse_budget_domain(struct scn_ctx *ctx, const struct scn_field *f,
				yaml_node_t *value, void *obj, void *aux)
{
	const struct scenario *s = ctx->s;
	struct scn_budget *b = obj;
	const char *v = scn_scalar(ctx, f->key, value, "a domain name");
	char names[256], q[64];

	(void)aux;
	if (!v)
		return;
	b->domain = scenario_find_domain(s, v);
	if (b->domain >= 0 || !ctx->domains_ok)
		return;
	scn_quote(v, q, sizeof(q));
	scn_join_names(s->domains, sizeof(*s->domains), s->nr_domains, names,
		       sizeof(names));
	scn_node_error(ctx, value, "%s: unknown domain %s; expected one of: %s",
		       f->key, q, names);
}

enum { BUD_METRIC, BUD_STAT, BUD_DOMAIN, BUD_TASK, BUD_MAX, BUD_NR };

static const struct scn_field budget_fields[] = {
    [BUD_METRIC] =
	CHOICE("metric", budget_metrics, struct scn_budget, metric, REQ),
    [BUD_STAT] = CHOICE("stat", budget_stats, struct scn_budget, stat, REQ),
    [BUD_DOMAIN] = CUSTOM("domain", parse_budget_domain, 0),
    [BUD_TASK] = FIELD("task", SCN_K_NAME, struct scn_budget, task, 0),
    [BUD_MAX] = FIELD("max", SCN_K_TIME_POS, struct scn_budget, max, REQ),
};
FITS(budget_fields);

static void parse_budget(struct scn_ctx *ctx, yaml_node_t *node, void *item)
{
	static const struct scn_map map = MAP("budget", budget_fields);
	struct scn_budget *b = item;
	int lines[BUD_NR];

	b->line = scn_line(node);
	b->domain = -1;
	if (!scn_walk(ctx, node, &map, NULL, b, NULL, lines) ||
	    !lines[BUD_TASK])
		return;
	/* The task's existence is checked by scn_check_budgets(). */
	if (strcmp(b->metric, "task_response"))
		scn_error(&ctx->diag, lines[BUD_TASK],
			  "task: only valid with metric: task_response");
	else if (!lines[BUD_DOMAIN])
		scn_error(&ctx->diag, lines[BUD_TASK],
			  "task: needs a domain: key naming the task's domain");
}

void scn_parse_budgets(struct scn_ctx *ctx, const struct scn_field *f,
		       yaml_node_t *value, void *obj, void *aux)
{
	struct scenario *s = obj;

	(void)aux;
	s->budgets =
	    scn_parse_list(ctx, f->key, value, SCN_MAX_ITEMS,
			   sizeof(*s->budgets), parse_budget, &s->nr_budgets);
}

/* ---- Budget files ------------------------------------------------------ */

/* In a file of its own, a budget list says something: not empty. */
static void parse_file_budgets(struct scn_ctx *ctx, const struct scn_field *f,
			       yaml_node_t *value, void *obj, void *aux)
{
	if (scn_list_length(ctx, f->key, value, 1, SCN_MAX_ITEMS) > 0)
		scn_parse_budgets(ctx, f, value, obj, aux);
}

static const struct scn_field file_fields[] = {
    CUSTOM("budgets", parse_file_budgets, REQ),
};
FITS(file_fields);

static void copy_name(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	n = n < size - 1 ? n : size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- Budget expressions ------------------------------------------------ */

/*
 * One budget per line, "#" comments and blank lines allowed:
 *
 *   DOMAIN.METRIC.STAT <= TIME        rt.irq_latency.p99 <= 20us
 *   DOMAIN.TASK.response.STAT <= TIME rt.loop.response.max <= 2ms
 *   *.METRIC.STAT <= TIME             *.sched_latency.p99.9 <= 1ms
 *   wcrt.bound >= observed            every task and irq handler
 *
 * Names may contain dots (scn_check_name), so DOMAIN and TASK are matched
 * against the scenario's names rather than split at the first dot, and
 * STAT is everything after METRIC's dot ("p99.9").
 */
#define EXPR_FORMS                                                        \
	"DOMAIN.METRIC.STAT <= TIME, DOMAIN.TASK.response.STAT <= TIME, " \
	"*.METRIC.STAT <= TIME or wcrt.bound >= observed"
#define EXPR_LINE_MAX 512

/* The rest of @text after "@word.", or NULL when it does not start so. */
static const char *after_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(text, word, n) && text[n] == '.' ? text + n + 1 : NULL;
}

static bool in_list(const char *const *list, const char *v)
{
	for (; *list; list++)
		if (!strcmp(*list, v))
			return true;
	return false;
}

static void join_list(const char *const *list, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; *list && used < len; list++) {
		int n = snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", *list);

		used += n > 0 ? (size_t)n : 0;
	}
}

/* Why "@rest" (after "DOMAIN.") names no metric and no task of @d. */
static void explain_target(const struct scenario *s, int d, const char *rest,
			   char *msg, size_t len)
{
	char word[EXPR_LINE_MAX], q[64], metrics[128], tasks[256];
	const struct scn_domain *sd = d >= 0 ? &s->domains[d] : NULL;
	size_t n = strcspn(rest, ".");

	memcpy(word, rest, n);
	word[n] = '\0';
	scn_quote(word, q, sizeof(q));
	join_list(budget_metrics, metrics, sizeof(metrics));
	if (in_list(budget_metrics, rest)) {
		snprintf(msg, len,
			 "%s needs a statistic; expected %.32s.STAT, STAT one "
			 "of: min, mean, p50, p90, p99, p99.9, p99.99, max",
			 q, word);
		return;
	}
	for (unsigned int k = 0; sd && k < sd->nr_tasks; k++) {
		const char *p = after_word(rest, sd->tasks[k].name);

		if (p || !strcmp(rest, sd->tasks[k].name)) {
			scn_quote(sd->tasks[k].name, q, sizeof(q));
			snprintf(msg, len,
				 "after task %s expected response.STAT, e.g. "
				 "%s.%s.response.max",
				 q, sd->name, sd->tasks[k].name);
			return;
		}
	}
	if (!sd) {
		snprintf(msg, len,
			 "unknown metric %s after '*.'; expected one of: %s "
			 "(a task's response needs its domain: "
			 "DOMAIN.TASK.response.STAT)",
			 q, metrics);
		return;
	}
	scn_join_names(sd->tasks, sizeof(*sd->tasks), sd->nr_tasks, tasks,
		       sizeof(tasks));
	snprintf(msg, len,
		 "unknown metric or task %s in domain '%s'; expected one of: "
		 "%s%s%s",
		 q, sd->name, metrics,
		 sd->nr_tasks ? ", or a task: " : " (the domain has no tasks)",
		 sd->nr_tasks ? tasks : "");
}

/* "METRIC.STAT" or "TASK.response.STAT" of domain @d (-1: all) into @b. */
static bool parse_target(const struct scenario *s, int d, const char *rest,
			 struct scn_budget *b, char *msg, size_t len)
{
	const char *metric = NULL, *task = "", *stat = NULL;
	char q[64];

	for (const char *const *m = budget_metrics; *m && !stat; m++)
		if ((stat = after_word(rest, *m)))
			metric = *m;
	for (unsigned int k = 0; d >= 0 && !stat && k < s->domains[d].nr_tasks;
	     k++) {
		const char *p = after_word(rest, s->domains[d].tasks[k].name);

		if (p && (stat = after_word(p, "response"))) {
			metric = "task_response";
			task = s->domains[d].tasks[k].name;
		}
	}
	if (!stat) {
		explain_target(s, d, rest, msg, len);
		return false;
	}
	if (!in_list(budget_stats, stat)) {
		scn_quote(stat, q, sizeof(q));
		snprintf(msg, len,
			 "unknown statistic %s; expected one of: min, mean, "
			 "p50, p90, p99, p99.9, p99.99, max",
			 q);
		return false;
	}
	copy_name(b->metric, sizeof(b->metric), metric);
	copy_name(b->stat, sizeof(b->stat), stat);
	copy_name(b->task, sizeof(b->task), task);
	b->domain = d;
	return true;
}

/* The left-hand side "DOMAIN.REST" or "*.REST" into @b. */
static bool parse_lhs(const struct scenario *s, const char *lhs,
		      struct scn_budget *b, char *msg, size_t len)
{
	char word[EXPR_LINE_MAX], q[64], names[256];
	const char *rest;
	int first = -1;

	if ((rest = after_word(lhs, "*")))
		return parse_target(s, -1, rest, b, msg, len);
	/* Any domain whose name is a prefix: the first full match wins. */
	for (unsigned int d = 0; d < s->nr_domains; d++) {
		rest = after_word(lhs, s->domains[d].name);
		if (!rest)
			continue;
		if (first < 0)
			first = (int)d;
		if (parse_target(s, (int)d, rest, b, msg, len))
			return true;
	}
	/* None did: the message is that of the first domain tried. */
	if (first >= 0)
		return parse_target(s, first,
				    after_word(lhs, s->domains[first].name), b,
				    msg, len);
	memcpy(word, lhs, strcspn(lhs, "."));
	word[strcspn(lhs, ".")] = '\0';
	scn_quote(word, q, sizeof(q));
	scn_join_names(s->domains, sizeof(*s->domains), s->nr_domains, names,
		       sizeof(names));
	snprintf(msg, len,
		 "unknown domain %s; expected one of: %s, or * for all "
		 "domains",
		 q, names);
	return false;
}

/* The limit after "<=": a time > 0 with a unit, as in a scenario. */
static bool parse_limit(const char *rhs, struct scn_budget *b, char *msg,
			size_t len)
{
	char why[SCN_MSG_MAX];

	if (!*rhs) {
		snprintf(msg, len,
			 "missing limit after '<='; expected a time with a "
			 "unit (ns, us, ms, s), e.g. 20us");
		return false;
	}
	if (!scn_parse_time(rhs, &b->max, why, sizeof(why))) {
		snprintf(msg, len, "limit: %s", why);
		return false;
	}
	if (b->max <= 0) {
		snprintf(msg, len, "limit: expected a time > 0, got '%s'", rhs);
		return false;
	}
	return true;
}

/*
 * One line, without its newline, comment cut. Return: 1 and *@b, 0 for a
 * blank line, -1 after reporting the problem.
 */
static int parse_expr_line(struct scn_diag *diag, const struct scenario *s,
			   char *line, int lineno, struct scn_budget *b)
{
	char msg[SCN_MSG_MAX + 320], q[64], op[4];
	char *lhs, *rhs, *end;
	size_t n;

	line[strcspn(line, "#")] = '\0';
	for (end = line + strlen(line); end > line && strchr(" \t\r", end[-1]);
	     end--)
		end[-1] = '\0';
	lhs = line + strspn(line, " \t");
	if (!*lhs)
		return 0;
	memset(b, 0, sizeof(*b));
	b->line = lineno;
	b->domain = -1;
	n = strcspn(lhs, " \t<>=!");
	rhs = lhs + n + strspn(lhs + n, " \t");
	op[0] = '\0';
	if (strspn(rhs, "<>=!") < sizeof(op)) {
		memcpy(op, rhs, strspn(rhs, "<>=!"));
		op[strspn(rhs, "<>=!")] = '\0';
	}
	if (!n || !*op || !memchr(lhs, '.', n)) {
		scn_quote(lhs, q, sizeof(q));
		scn_error(diag, lineno,
			  "%s is not a budget; expected " EXPR_FORMS, q);
		return -1;
	}
	rhs += strspn(rhs, "<>=!");
	rhs += strspn(rhs, " \t");
	lhs[n] = '\0';
	if (!strcmp(lhs, "wcrt.bound")) {
		if (!strcmp(op, ">=") && !strcmp(rhs, "observed")) {
			b->kind = SCN_BUDGET_WCRT;
			copy_name(b->metric, sizeof(b->metric), "wcrt");
			copy_name(b->stat, sizeof(b->stat), "bound");
			return 1;
		}
		scn_error(diag, lineno,
			  "wcrt.bound: expected 'wcrt.bound >= observed' (each "
			  "task's and irq's worst observed response within its "
			  "bound)");
		return -1;
	}
	if (!parse_lhs(s, lhs, b, msg, sizeof(msg))) {
		scn_error(diag, lineno, "%s", msg);
		return -1;
	}
	if (strcmp(op, "<=")) {
		scn_quote(*op ? op : rhs, q, sizeof(q));
		scn_error(diag, lineno,
			  "unknown comparison %s; expected <= (the statistic "
			  "must be at most the limit)%s",
			  q,
			  strcmp(op, ">=") ? ""
					   : "; >= is only for wcrt.bound >= "
					     "observed");
		return -1;
	}
	if (!parse_limit(rhs, b, msg, sizeof(msg))) {
		scn_error(diag, lineno, "%s", msg);
		return -1;
	}
	return 1;
}

/* The first line that is not blank or a comment starts with "budgets:". */
static bool is_yaml_budget_file(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start, end;

		while (i < len && (text[i] == ' ' || text[i] == '\t'))
			i++;
		start = i;
		while (i < len && text[i] != '\n')
			i++;
		end = i++;
		if (start == end || text[start] == '#' || text[start] == '\r')
			continue;
		return (end - start >= 8 &&
			!memcmp(text + start, "budgets:", 8)) ||
		       (end - start >= 3 && !memcmp(text + start, "---", 3));
	}
	return false;
}

/* Bytes a line may not hold: controls other than tab (and CR at its end). */
static int bad_byte(const char *line, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t' && !(c == '\r' && i == n - 1)) ||
		    c == 0x7f)
			return c;
	}
	return -1;
}

static int parse_expr_file(struct scn_diag *diag, const struct scenario *s,
			   const char *text, size_t len,
			   struct scn_budget_set *set)
{
	char line[EXPR_LINE_MAX];
	int lineno = 0, c;

	for (size_t pos = 0; pos < len && !scn_diag_full(diag);) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		struct scn_budget b;

		lineno++;
		memcpy(line, text + pos, n < sizeof(line) ? n : 0);
		line[n < sizeof(line) ? n : 0] = '\0';
		c = bad_byte(text + pos, n);
		pos += n + 1;
		if (n >= sizeof(line)) {
			scn_error(diag, lineno,
				  "line of %zu characters; expected one budget "
				  "of at most %d",
				  n, EXPR_LINE_MAX - 1);
			continue;
		}
		if (c >= 0) {
			scn_error(diag, lineno,
				  "control character 0x%02x; expected a budget "
				  "as text",
				  c);
			continue;
		}
		if (parse_expr_line(diag, s, line, lineno, &b) <= 0)
			continue;
		if (set->nr_budgets == SCN_MAX_ITEMS) {
			scn_error(diag, lineno,
				  "more than %d budgets; expected at most %d",
				  SCN_MAX_ITEMS, SCN_MAX_ITEMS);
			break;
		}
		if (!set->budgets) {
			set->budgets = calloc(SCN_MAX_ITEMS, sizeof(b));
			if (!set->budgets) {
				scn_error(diag, lineno, "out of memory");
				return -ENOMEM;
			}
		}
		set->budgets[set->nr_budgets++] = b;
	}
	if (!set->nr_budgets && !diag->count)
		scn_error(diag, 1,
			  "no budgets; expected one per line, e.g. "
			  "DOMAIN.irq_latency.p99 <= 20us, or a YAML "
			  "budgets: list");
	return diag->count ? -EINVAL : 0;
}

/*
 * The budgets go into @ctx->s, a scratch copy of the scenario's top-level
 * struct, which the budget parser fills as it would a scenario's; the
 * copy shares the scenario's pools and domains read-only, for the name
 * lookups.
 */
static int parse_budget_file(struct scn_ctx *ctx, const struct scenario *s,
			     struct scn_budget_set *set)
{
	static const struct scn_map map = MAP("budget file", file_fields);
	yaml_node_t *root = yaml_document_get_root_node(ctx->doc);
	struct scenario *scratch = ctx->s;
	int lines[ARRAY_SIZE(file_fields)];

	ctx->pools_ok = ctx->domains_ok = true;
	if (!root || scn_is_empty(root))
		scn_error(&ctx->diag, root ? scn_line(root) : 1,
			  "empty budget file; expected a mapping with a "
			  "budgets: list");
	else if (scn_walk(ctx, root, &map, NULL, scratch, NULL, lines))
		scn_check_budgets(s, scratch->budgets, scratch->nr_budgets,
				  &ctx->diag);
	set->budgets = scratch->budgets;
	set->nr_budgets = scratch->nr_budgets;
	if (ctx->oom)
		return -ENOMEM;
	return ctx->diag.count ? -EINVAL : 0;
}

int budgets_load_buffer(const char *name, const char *text, size_t len,
			const struct scenario *s, FILE *err,
			struct scn_budget_set **out)
{
	struct scn_ctx ctx = {
	    .diag = {.name = name ? name : "<buffer>", .err = err}};
	struct scn_budget_set *set;
	struct scenario scratch;
	yaml_document_t doc;
	int rc;

	if (!out || !s)
		return -EINVAL;
	scratch = *s;
	scratch.budgets = NULL;
	scratch.nr_budgets = 0;
	ctx.s = &scratch;
	*out = NULL;
	if (!text) {
		if (len)
			return -EINVAL;
		text = "";
	}
	if (len > SCN_MAX_FILE_BYTES) {
		scn_error(&ctx.diag, 1,
			  "the file is larger than %u MiB, the limit for a "
			  "budget file",
			  SCN_MAX_FILE_BYTES >> 20);
		return -EINVAL;
	}
	set = calloc(1, sizeof(*set));
	if (!set) {
		scn_error(&ctx.diag, 1, "out of memory");
		return -ENOMEM;
	}
	copy_name(set->path, sizeof(set->path), ctx.diag.name);
	if (!is_yaml_budget_file(text, len)) {
		rc = parse_expr_file(&ctx.diag, s, text, len, set);
	} else if (!(rc = scn_load_yaml(&ctx.diag, text, len, &doc))) {
		ctx.doc = &doc;
		rc = parse_budget_file(&ctx, s, set);
		yaml_document_delete(&doc);
	}
	if (rc) {
		budgets_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

int budgets_load(const char *path, const struct scenario *s, FILE *err,
		 struct scn_budget_set **out)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!out)
		return -EINVAL;
	*out = NULL;
	rc = scn_read_file(path, &text, &len);
	if (rc) {
		fprintf(err ? err : stderr, "%s: cannot read: %s\n", path,
			strerror(-rc));
		return rc;
	}
	rc = budgets_load_buffer(path, text, len, s, err, out);
	free(text);
	return rc;
}

void budgets_free(struct scn_budget_set *set)
{
	if (!set)
		return;
	free(set->budgets);
	free(set);
}
