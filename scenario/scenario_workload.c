/*
 * The field tables of a domain's workload mapping: tasks, interrupt
 * sources and hogs, and the execution-time distributions they share. They
 * sit apart from the rest of the schema (scenario_fields.c) because this
 * is the part that describes the guest rather than the system, and grows
 * with the guest model. The format is documented for users in
 * docs/scenario.md; keep the two in step.
 *
 * A table lists a key before the keys that depend on it; the custom
 * parsers here finish what a table cannot say: which keys go together
 * (period or sporadic, dist and its parameters) and how values relate.
 */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "scenario/private.h"

/* ---- Distributions ----------------------------------------------------- */

enum { DIST_DIST, DIST_MIN, DIST_MAX, DIST_MEAN, DIST_STDDEV, DIST_NR };

static void parse_dist_kind(struct scn_ctx *ctx, const struct scn_field *f,
			    yaml_node_t *value, void *obj, void *aux)
{
	static const char *const kinds[] = {"uniform", "normal", NULL};
	static const enum scn_dist_kind values[] = {SCN_DIST_UNIFORM,
						    SCN_DIST_NORMAL};
	struct scn_dist *dist = obj;
	int i;

	(void)aux;
	if (scn_get_choice(ctx, f->key, value, kinds, &i))
		dist->kind = values[i];
}

static const struct scn_field dist_fields[] = {
    [DIST_DIST] = CUSTOM("dist", parse_dist_kind, REQ),
    [DIST_MIN] = FIELD("min", SCN_K_TIME_POS, struct scn_dist, min, 0),
    [DIST_MAX] = FIELD("max", SCN_K_TIME_POS, struct scn_dist, max, 0),
    [DIST_MEAN] = FIELD("mean", SCN_K_TIME_POS, struct scn_dist, mean, 0),
    [DIST_STDDEV] = FIELD("stddev", SCN_K_TIME, struct scn_dist, stddev, 0),
};
FITS(dist_fields);

static void finish_dist(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
			struct scn_dist *d, const int *lines)
{
	bool normal = d->kind == SCN_DIST_NORMAL;
	unsigned int errors = ctx->diag.count;
	char a[32], b[32], c[32];

	for (int i = DIST_MIN; i < DIST_NR; i++) {
		bool needed = normal || i == DIST_MIN || i == DIST_MAX;

		if (needed && !lines[i])
			scn_node_error(ctx, node, "%s: dist %s needs '%s'", key,
				       normal ? "normal" : "uniform",
				       dist_fields[i].key);
		else if (!needed && lines[i])
			scn_error(&ctx->diag, lines[i],
				  "%s: '%s' only applies to dist: normal", key,
				  dist_fields[i].key);
	}
	if (ctx->diag.count != errors)
		return;
	scn_format_time(d->min, a, sizeof(a));
	scn_format_time(d->max, b, sizeof(b));
	if (d->min > d->max) {
		scn_error(&ctx->diag, lines[DIST_MIN],
			  "%s: min %s is larger than max %s", key, a, b);
		return;
	}
	if (!normal) {
		d->mean = d->min + (d->max - d->min) / 2;
		return;
	}
	scn_format_time(d->mean, c, sizeof(c));
	if (d->mean < d->min || d->mean > d->max)
		scn_error(&ctx->diag, lines[DIST_MEAN],
			  "%s: mean %s is outside [min, max] = [%s, %s]", key,
			  c, a, b);
}

/* exec / handler: a plain time, or a {dist: ...} mapping. */
static void parse_dist(struct scn_ctx *ctx, const struct scn_field *f,
		       yaml_node_t *value, void *obj, void *aux)
{
	struct scn_dist *dist = (void *)((char *)obj + f->offset);
	struct scn_map map = MAP(f->key, dist_fields);
	int lines[DIST_NR];
	hv_time_t t;

	(void)aux;
	if (value->type == YAML_MAPPING_NODE) {
		if (scn_walk(ctx, value, &map, NULL, dist, NULL, lines))
			finish_dist(ctx, f->key, value, dist, lines);
		return;
	}
	if (value->type != YAML_SCALAR_NODE) {
		scn_node_error(ctx, value,
			       "%s: expected a time such as 1ms or a mapping "
			       "with dist: uniform or normal, got %s",
			       f->key, scn_node_kind(value));
		return;
	}
	if (!scn_get_time(ctx, f->key, value, true, &t))
		return;
	dist->kind = SCN_DIST_CONST;
	dist->min = dist->max = dist->mean = t;
	dist->stddev = 0;
}

/* ---- Tasks ------------------------------------------------------------- */

enum { TSPOR_MIN, TSPOR_MAX, TSPOR_NR };

static const struct scn_field task_sporadic_fields[] = {
    [TSPOR_MIN] =
	FIELD("min_interarrival", SCN_K_TIME_POS, struct scn_task, period, REQ),
    [TSPOR_MAX] = FIELD("max_interarrival", SCN_K_TIME_POS, struct scn_task,
			max_interarrival, 0),
};
FITS(task_sporadic_fields);

static void parse_task_sporadic(struct scn_ctx *ctx, const struct scn_field *f,
				yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("sporadic", task_sporadic_fields);
	struct scn_task *t = obj;
	int lines[TSPOR_NR];
	char a[32], b[32];

	(void)f;
	(void)aux;
	t->sporadic = true;
	if (!scn_walk(ctx, value, &map, NULL, t, NULL, lines))
		return;
	if (!lines[TSPOR_MAX]) {
		t->max_interarrival = t->period;
	} else if (t->max_interarrival < t->period) {
		scn_format_time(t->max_interarrival, a, sizeof(a));
		scn_format_time(t->period, b, sizeof(b));
		scn_error(
		    &ctx->diag, lines[TSPOR_MAX],
		    "max_interarrival: %s is shorter than min_interarrival %s",
		    a, b);
	}
}

enum {
	TASK_NAME,
	TASK_VCPU,
	TASK_PERIOD,
	TASK_SPORADIC,
	TASK_OFFSET,
	TASK_DEADLINE,
	TASK_PRIORITY,
	TASK_EXEC,
	TASK_NR
};

static const struct scn_field task_fields[] = {
    [TASK_NAME] = FIELD("name", SCN_K_NAME, struct scn_task, name, REQ),
    [TASK_VCPU] = RANGE("vcpu", SCN_K_UINT, struct scn_task, vcpu, 0, 0,
			HV_MAX_VCPUS_PER_DOMAIN - 1),
    [TASK_PERIOD] = FIELD("period", SCN_K_TIME_POS, struct scn_task, period, 0),
    [TASK_SPORADIC] = CUSTOM("sporadic", parse_task_sporadic, 0),
    [TASK_OFFSET] = FIELD("offset", SCN_K_TIME, struct scn_task, offset, 0),
    [TASK_DEADLINE] =
	FIELD("deadline", SCN_K_TIME_POS, struct scn_task, deadline, 0),
    [TASK_PRIORITY] = RANGE("priority", SCN_K_INT, struct scn_task, priority,
			    REQ, INT_MIN, INT_MAX),
    [TASK_EXEC] = CUSTOM_AT("exec", parse_dist, struct scn_task, exec, REQ),
};
FITS(task_fields);

/* Exactly one of period / sporadic; false after reporting otherwise. */
static bool one_arrival_model(struct scn_ctx *ctx, yaml_node_t *node,
			      const char *what, const char *name,
			      int period_line, int sporadic_line)
{
	if (period_line && sporadic_line) {
		scn_error(&ctx->diag,
			  period_line > sporadic_line ? period_line
						      : sporadic_line,
			  "%s '%s' has both period and sporadic; it is either "
			  "periodic or sporadic",
			  what, name);
		return false;
	}
	if (!period_line && !sporadic_line) {
		scn_node_error(ctx, node,
			       "%s '%s' needs either period or sporadic: "
			       "{min_interarrival: ...}",
			       what, name);
		return false;
	}
	return true;
}

static void parse_task(struct scn_ctx *ctx, yaml_node_t *node, void *item)
{
	static const struct scn_map map = MAP("task", task_fields);
	struct scn_task *t = item;
	int lines[TASK_NR];

	t->line = scn_line(node);
	if (!scn_walk(ctx, node, &map, NULL, t, NULL, lines))
		return;
	if (!one_arrival_model(ctx, node, "task", t->name, lines[TASK_PERIOD],
			       lines[TASK_SPORADIC]))
		return;
	if (!lines[TASK_DEADLINE])
		t->deadline = t->period;
}

/* ---- Interrupt sources ------------------------------------------------- */

enum { ISPOR_MIN, ISPOR_JITTER, ISPOR_NR };

static const struct scn_field irq_sporadic_fields[] = {
    [ISPOR_MIN] =
	FIELD("min_interarrival", SCN_K_TIME_POS, struct scn_irq, period, REQ),
    [ISPOR_JITTER] = FIELD("jitter", SCN_K_TIME, struct scn_irq, jitter, 0),
};
FITS(irq_sporadic_fields);

static void parse_irq_sporadic(struct scn_ctx *ctx, const struct scn_field *f,
			       yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("sporadic", irq_sporadic_fields);
	struct scn_irq *irq = obj;
	int lines[ISPOR_NR];

	(void)f;
	(void)aux;
	irq->sporadic = true;
	scn_walk(ctx, value, &map, NULL, irq, NULL, lines);
}

enum {
	IRQ_NAME,
	IRQ_VCPU,
	IRQ_PERIOD,
	IRQ_JITTER,
	IRQ_SPORADIC,
	IRQ_OFFSET,
	IRQ_HANDLER,
	IRQ_NR
};

static const struct scn_field irq_fields[] = {
    [IRQ_NAME] = FIELD("name", SCN_K_NAME, struct scn_irq, name, REQ),
    [IRQ_VCPU] = RANGE("vcpu", SCN_K_UINT, struct scn_irq, vcpu, 0, 0,
		       HV_MAX_VCPUS_PER_DOMAIN - 1),
    [IRQ_PERIOD] = FIELD("period", SCN_K_TIME_POS, struct scn_irq, period, 0),
    [IRQ_JITTER] = FIELD("jitter", SCN_K_TIME, struct scn_irq, jitter, 0),
    [IRQ_SPORADIC] = CUSTOM("sporadic", parse_irq_sporadic, 0),
    [IRQ_OFFSET] = FIELD("offset", SCN_K_TIME, struct scn_irq, offset, 0),
    [IRQ_HANDLER] =
	CUSTOM_AT("handler", parse_dist, struct scn_irq, handler, REQ),
};
FITS(irq_fields);

static void parse_irq(struct scn_ctx *ctx, yaml_node_t *node, void *item)
{
	static const struct scn_map map = MAP("irq", irq_fields);
	struct scn_irq *irq = item;
	int lines[IRQ_NR];
	char a[32], b[32];

	irq->line = scn_line(node);
	if (!scn_walk(ctx, node, &map, NULL, irq, NULL, lines))
		return;
	if (!one_arrival_model(ctx, node, "irq", irq->name, lines[IRQ_PERIOD],
			       lines[IRQ_SPORADIC]))
		return;
	if (irq->sporadic && lines[IRQ_JITTER]) {
		scn_error(&ctx->diag, lines[IRQ_JITTER],
			  "jitter: a sporadic irq takes its jitter inside "
			  "sporadic: {min_interarrival: ..., jitter: ...}");
	} else if (!irq->sporadic && irq->jitter >= irq->period) {
		scn_format_time(irq->jitter, a, sizeof(a));
		scn_format_time(irq->period, b, sizeof(b));
		scn_error(&ctx->diag, lines[IRQ_JITTER],
			  "jitter: %s must be shorter than the period, %s", a,
			  b);
	}
}

/* ---- Hogs and the workload mapping ------------------------------------- */

enum { HOG_VCPU, HOG_NR };

static const struct scn_field hog_fields[] = {
    [HOG_VCPU] = RANGE("vcpu", SCN_K_UINT, struct scn_hog, vcpu, 0, 0,
		       HV_MAX_VCPUS_PER_DOMAIN - 1),
};
FITS(hog_fields);

static void parse_hog(struct scn_ctx *ctx, yaml_node_t *node, void *item)
{
	static const struct scn_map map = MAP("hog", hog_fields);
	struct scn_hog *hog = item;
	int lines[HOG_NR];

	hog->line = scn_line(node);
	scn_walk(ctx, node, &map, NULL, hog, NULL, lines);
}

static void parse_tasks(struct scn_ctx *ctx, const struct scn_field *f,
			yaml_node_t *value, void *obj, void *aux)
{
	struct scn_domain *d = obj;

	(void)aux;
	d->tasks = scn_parse_list(ctx, f->key, value, SCN_MAX_ITEMS,
				  sizeof(*d->tasks), parse_task, &d->nr_tasks);
	for (unsigned int i = 1; i < d->nr_tasks && !scn_stop(ctx); i++)
		CHECK_UNIQUE(ctx, "task", d->tasks, i);
}

static void parse_irqs(struct scn_ctx *ctx, const struct scn_field *f,
		       yaml_node_t *value, void *obj, void *aux)
{
	struct scn_domain *d = obj;

	(void)aux;
	d->irqs = scn_parse_list(ctx, f->key, value, SCN_MAX_ITEMS,
				 sizeof(*d->irqs), parse_irq, &d->nr_irqs);
	for (unsigned int i = 1; i < d->nr_irqs && !scn_stop(ctx); i++)
		CHECK_UNIQUE(ctx, "irq", d->irqs, i);
}

static void parse_hogs(struct scn_ctx *ctx, const struct scn_field *f,
		       yaml_node_t *value, void *obj, void *aux)
{
	struct scn_domain *d = obj;

	(void)aux;
	d->hogs = scn_parse_list(ctx, f->key, value, SCN_MAX_ITEMS,
				 sizeof(*d->hogs), parse_hog, &d->nr_hogs);
}

static const struct scn_field workload_fields[] = {
    CUSTOM("tasks", parse_tasks, 0),
    CUSTOM("irqs", parse_irqs, 0),
    CUSTOM("hogs", parse_hogs, 0),
};
FITS(workload_fields);

void scn_parse_workload(struct scn_ctx *ctx, const struct scn_field *f,
			yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("workload", workload_fields);
	int lines[ARRAY_SIZE(workload_fields)];

	(void)f;
	(void)aux;
	scn_walk(ctx, value, &map, NULL, obj, NULL, lines);
}
