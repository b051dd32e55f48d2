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
	rc = scn_load_yaml(&ctx.diag, text, len, &doc);
	if (rc)
		return rc;
	set = calloc(1, sizeof(*set));
	if (!set) {
		yaml_document_delete(&doc);
		scn_error(&ctx.diag, 1, "out of memory");
		return -ENOMEM;
	}
	copy_name(set->path, sizeof(set->path), ctx.diag.name);
	ctx.doc = &doc;
	rc = parse_budget_file(&ctx, s, set);
	yaml_document_delete(&doc);
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
