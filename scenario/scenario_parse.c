/*
 * Scenario loader: YAML text -> struct scenario. This file is the schema:
 * which keys each mapping takes and what they mean. The format is
 * documented for users in docs/scenario.md; keep the two in step.
 *
 * Why libyaml's node tree and our own tables rather than libcyaml:
 * libcyaml (1.3.1 in Debian bookworm) validates a schema but reports no
 * line numbers, and every message here must read "file:line: what is wrong
 * and what was expected". libyaml keeps a start mark on every node, so the
 * file is loaded with yaml_parser_load() and walked with the field tables
 * below (the walker, scn_walk(), is in scenario_values.c).
 *
 * The text is parsed twice (scn_load_yaml()): a first pass over the event
 * stream reports syntax errors, rejects aliases and caps depth and size,
 * so the loader only ever builds a small tree -- an alias turns the tree
 * into a graph, and a few nested ones ("billion laughs") would make the
 * walk exponential.
 *
 * Top-level keys are parsed in table order -- machine, cpupools, domains,
 * budgets -- whatever their order in the file, so a domain resolves its
 * pool at once and a budget its domain. An ARINC653 schedule names domains
 * declared after it; those names wait in struct scn_notes for scn_check()
 * (scenario_check.c), which also does every check that spans mappings.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/private.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define SCN_MAX_DOMAINS 4096
#define SCN_MAX_ITEMS 1024 /* tasks, irqs or hogs per domain; budgets */
#define SCN_MAX_DURATION HV_S(3600)
#define SCN_MAX_L2_SIZE (UINT64_C(1) << 30)

#define FIELD(k, kind_, type, member, fl)             \
	{                                             \
		.key = k, .kind = kind_, .flags = fl, \
		.offset = offsetof(type, member)      \
	}
#define RANGE(k, kind_, type, member, fl, lo, hi)                      \
	{                                                              \
		.key = k, .kind = kind_, .flags = fl,                  \
		.offset = offsetof(type, member), .min = lo, .max = hi \
	}
#define CUSTOM(k, fn, fl)                                                 \
	{                                                                 \
		.key = k, .kind = SCN_K_CUSTOM, .flags = fl, .custom = fn \
	}
#define CUSTOM_AT(k, fn, type, member, fl)                     \
	{                                                      \
		.key = k, .kind = SCN_K_CUSTOM, .flags = fl,   \
		.offset = offsetof(type, member), .custom = fn \
	}
#define CHOICE(k, list, type, member, fl)                          \
	{                                                          \
		.key = k, .kind = SCN_K_CHOICE, .flags = fl,       \
		.offset = offsetof(type, member), .choices = list, \
		.size = sizeof(((type *)0)->member)                \
	}
#define MAP(name, table)                                                      \
	{                                                                     \
		.what = name, .fields = table, .nr_fields = ARRAY_SIZE(table) \
	}
#define FITS(table)                                                        \
	_Static_assert(ARRAY_SIZE(table) <= SCN_MAX_FIELDS, #table " too " \
								   "long")

#define REQ SCN_F_REQUIRED

/* ---- Schedulers -------------------------------------------------------- */

static const struct scn_sched_key no_keys[] = {{NULL, false}};

static const struct scn_sched_key a653_pool_keys[] = {
    {"major_frame", true},
    {"schedule", true},
    {NULL, false},
};

/*
 * The known schedulers (Xen's sched= tokens) and the scheduler-specific
 * keys each accepts in its cpupool and in that pool's domains. To add one
 * (credit2, rtds): add its entry here, add its keys to pool_fields[] or
 * domain_fields[] flagged SCN_F_SCHED (with the struct members they fill),
 * and give it a check_pool hook if it has cross-field rules.
 */
static const struct scn_sched_desc scn_schedulers[] = {
    {"null", no_keys, no_keys, NULL},
    {"arinc653", a653_pool_keys, no_keys, scn_check_a653_pool},
};

const struct scn_sched_desc *scn_sched_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(scn_schedulers); i++)
		if (!strcmp(scn_schedulers[i].name, name))
			return &scn_schedulers[i];
	return NULL;
}

void scn_sched_list(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(scn_schedulers); i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 scn_schedulers[i].name);

		if (n < 0 || (size_t)n >= len - used)
			return;
		used += (size_t)n;
	}
}

/* ---- Defaults ---------------------------------------------------------- */

/*
 * The default cost model describes a Cortex-A53-class core at about
 * 1.2 GHz running a Xen-like hypervisor at EL2. It is anchored on one
 * published measurement: Xen dom0less with sched=null vwfi=native on a
 * ZCU104 (4x A53 @ 1.2 GHz, GIC-400) delivers a virtual-timer interrupt to
 * a guest alone on its pCPU in min 3260 / mean 3328 ns ("Shedding Light on
 * Static Partitioning Hypervisors", Martins & Pinto, RTAS 2023; statistics
 * derived from the raw data of the paper's artifact, n = 200). On that
 * path the vCPU owns its pCPU, so nothing is scheduled or switched:
 * trap_entry + virq_inject + trap_exit = 3.2 us reproduces it.
 */
void scenario_default_costs(struct scn_costs *costs)
{
	/* Vector entry, saving the guest's registers, reading the cause. */
	costs->trap_entry = HV_NS(500);
	/* Restoring them and the eret: roughly the mirror image. */
	costs->trap_exit = HV_NS(500);
	/*
	 * The bulk of the 3.2 us: acknowledge the pIRQ, find its vCPU, take
	 * the vGIC lock, fill a list register, EOI -- on an in-order core
	 * where the EL2 code and data mostly miss in L1.
	 */
	costs->virq_inject = HV_NS(2200);
	/* One run of the scheduling softirq path: lock, do_schedule, timer. */
	costs->sched_invoke = HV_NS(1000);
	/*
	 * Save and restore the EL1 system registers, the VGIC list registers
	 * and state, and the virtual timer, and switch stage-2 (VTTBR).
	 */
	costs->ctx_switch = HV_NS(2000);
	/*
	 * A hypervisor-sent SGI, from the register write to the target's
	 * exception; the guest-visible inter-VM IPI of the same paper (4.8 us
	 * mean on Xen) adds trapping the guest's write and injecting it.
	 */
	costs->ipi = HV_NS(1000);
}

static void set_defaults(struct scenario *s)
{
	s->seed = 1;
	s->machine.l2_size = UINT64_C(1) << 20;
	s->machine.l2_ways = 16;
	s->machine.l2_line = 64;
	scenario_default_costs(&s->machine.costs);
}

/* ---- Shared helpers ---------------------------------------------------- */

/*
 * Parse every item of list @node (0..@max items) into a new array of
 * @size-byte structs. The count is set before the items are parsed so that
 * scenario_free() can always release what was built.
 */
static void *parse_list(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
			int max, size_t size,
			void (*parse_item)(struct scn_ctx *, yaml_node_t *,
					   void *item),
			unsigned int *count)
{
	int n = scn_list_length(ctx, key, node, 0, max);
	char *items;

	if (n <= 0)
		return NULL;
	items = scn_alloc(ctx, node, (size_t)n, size);
	if (!items)
		return NULL;
	*count = (unsigned int)n;
	for (int i = 0; i < n && !scn_stop(ctx); i++)
		parse_item(ctx, scn_list_item(ctx, node, i),
			   items + (size_t)i * size);
	return items;
}

/*
 * Report item @i of an array of named structs (name first, an int line at
 * @line_offset) when an earlier item has the same name.
 */
static void check_unique_name(struct scn_ctx *ctx, const char *what,
			      const void *items, size_t stride,
			      size_t line_offset, unsigned int i)
{
	const char *item = (const char *)items + i * stride;
	int line, first;

	if (!*item)
		return; /* the name itself was wrong, already reported */
	for (unsigned int j = 0; j < i; j++) {
		const char *other = (const char *)items + j * stride;

		if (strcmp(item, other))
			continue;
		memcpy(&line, item + line_offset, sizeof(line));
		memcpy(&first, other + line_offset, sizeof(first));
		scn_error(&ctx->diag, line,
			  "duplicate %s name '%s' (first at line %d)", what,
			  item, first);
		return;
	}
}

_Static_assert(offsetof(struct scn_task, name) == 0, "name first");
_Static_assert(offsetof(struct scn_irq, name) == 0, "name first");
_Static_assert(offsetof(struct scn_domain, name) == 0, "name first");
_Static_assert(offsetof(struct scn_pool, name) == 0, "name first");

#define CHECK_UNIQUE(ctx, what, array, i)                     \
	check_unique_name(ctx, what, array, sizeof(*(array)), \
			  offsetof(__typeof__(*(array)), line), i)

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
	d->tasks = parse_list(ctx, f->key, value, SCN_MAX_ITEMS,
			      sizeof(*d->tasks), parse_task, &d->nr_tasks);
	for (unsigned int i = 1; i < d->nr_tasks && !scn_stop(ctx); i++)
		CHECK_UNIQUE(ctx, "task", d->tasks, i);
}

static void parse_irqs(struct scn_ctx *ctx, const struct scn_field *f,
		       yaml_node_t *value, void *obj, void *aux)
{
	struct scn_domain *d = obj;

	(void)aux;
	d->irqs = parse_list(ctx, f->key, value, SCN_MAX_ITEMS,
			     sizeof(*d->irqs), parse_irq, &d->nr_irqs);
	for (unsigned int i = 1; i < d->nr_irqs && !scn_stop(ctx); i++)
		CHECK_UNIQUE(ctx, "irq", d->irqs, i);
}

static void parse_hogs(struct scn_ctx *ctx, const struct scn_field *f,
		       yaml_node_t *value, void *obj, void *aux)
{
	struct scn_domain *d = obj;

	(void)aux;
	d->hogs = parse_list(ctx, f->key, value, SCN_MAX_ITEMS,
			     sizeof(*d->hogs), parse_hog, &d->nr_hogs);
}

static const struct scn_field workload_fields[] = {
    CUSTOM("tasks", parse_tasks, 0),
    CUSTOM("irqs", parse_irqs, 0),
    CUSTOM("hogs", parse_hogs, 0),
};
FITS(workload_fields);

static void parse_workload(struct scn_ctx *ctx, const struct scn_field *f,
			   yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("workload", workload_fields);
	int lines[ARRAY_SIZE(workload_fields)];

	(void)f;
	(void)aux;
	scn_walk(ctx, value, &map, NULL, obj, NULL, lines);
}

/* ---- Domains ----------------------------------------------------------- */

/* "a, b, c": names of @n structs of @stride bytes whose name is first. */
static void join_names(const void *items, size_t stride, unsigned int n,
		       char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		const char *name = (const char *)items + i * stride;
		int w = snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", name);

		if (w < 0 || (size_t)w >= len - used)
			return;
		used += (size_t)w;
	}
}

static int find_pool(const struct scenario *s, const char *name)
{
	for (unsigned int i = 0; i < s->nr_pools; i++)
		if (!strcmp(s->pools[i].name, name))
			return (int)i;
	return -1;
}

static void parse_domain_pool(struct scn_ctx *ctx, const struct scn_field *f,
			      yaml_node_t *value, void *obj, void *aux)
{
	const struct scenario *s = ctx->s;
	struct scn_domain *d = obj;
	const char *v = scn_scalar(ctx, f->key, value, "a cpupool name");
	char names[256], q[64];
	int pool;

	(void)aux;
	if (!v)
		return;
	pool = find_pool(s, v);
	if (pool >= 0) {
		d->pool = (unsigned int)pool;
		return;
	}
	/* With broken pools, an unknown name is most likely a cascade. */
	if (!ctx->pools_ok)
		return;
	scn_quote(v, q, sizeof(q));
	join_names(s->pools, sizeof(*s->pools), s->nr_pools, names,
		   sizeof(names));
	scn_node_error(ctx, value,
		       "%s: unknown cpupool %s; expected one of: %s", f->key, q,
		       names);
}

/*
 * xl.cfg-style hard affinity: one CPU list for every vCPU, or a list with
 * one CPU list per vCPU. "vcpus" is parsed first, so its value is known.
 */
static void parse_domain_cpus(struct scn_ctx *ctx, const struct scn_field *f,
			      yaml_node_t *value, void *obj, void *aux)
{
	struct scn_domain *d = obj;
	struct cpumask all;
	int n;

	(void)aux;
	if (value->type != YAML_SEQUENCE_NODE) {
		if (!scn_get_cpus(ctx, f->key, value, &all))
			return;
		d->hard_affinity = scn_alloc(ctx, value, d->nr_vcpus,
					     sizeof(*d->hard_affinity));
		for (unsigned int v = 0; d->hard_affinity && v < d->nr_vcpus;
		     v++)
			d->hard_affinity[v] = all;
		return;
	}
	n = scn_list_length(ctx, f->key, value, 1, HV_MAX_VCPUS_PER_DOMAIN);
	if (n < 0)
		return;
	if ((unsigned int)n != d->nr_vcpus) {
		scn_node_error(ctx, value,
			       "%s: %d CPU lists for %u vCPU%s; give one per "
			       "vCPU, or one string for all",
			       f->key, n, d->nr_vcpus,
			       d->nr_vcpus == 1 ? "" : "s");
		return;
	}
	d->hard_affinity =
	    scn_alloc(ctx, value, d->nr_vcpus, sizeof(*d->hard_affinity));
	for (int i = 0; d->hard_affinity && i < n && !scn_stop(ctx); i++)
		scn_get_cpus(ctx, f->key, scn_list_item(ctx, value, i),
			     &d->hard_affinity[i]);
}

enum { DOM_NAME, DOM_POOL, DOM_VCPUS, DOM_CPUS, DOM_WORKLOAD, DOM_NR };

static const struct scn_field domain_fields[] = {
    [DOM_NAME] = FIELD("name", SCN_K_NAME, struct scn_domain, name, REQ),
    [DOM_POOL] = CUSTOM("pool", parse_domain_pool, REQ),
    [DOM_VCPUS] = RANGE("vcpus", SCN_K_UINT, struct scn_domain, nr_vcpus, 0, 1,
			HV_MAX_VCPUS_PER_DOMAIN),
    [DOM_CPUS] = CUSTOM("cpus", parse_domain_cpus, 0),
    [DOM_WORKLOAD] = CUSTOM("workload", parse_workload, 0),
};
FITS(domain_fields);

/* The scheduler-specific keys allowed in a domain of the pool it names. */
static const struct scn_sched_key *domain_sched_keys(struct scn_ctx *ctx,
						     yaml_node_t *node)
{
	const char *pool_name = scn_peek(ctx, node, "pool");
	const struct scn_sched_desc *desc;
	int pool;

	if (!pool_name)
		return NULL;
	pool = find_pool(ctx->s, pool_name);
	if (pool < 0)
		return NULL;
	desc = scn_sched_find(ctx->s->pools[pool].sched);
	return desc ? desc->domain_keys : NULL;
}

static void parse_domain(struct scn_ctx *ctx, yaml_node_t *node, unsigned int i)
{
	static const struct scn_map map = MAP("domain", domain_fields);
	struct scn_domain *d = &ctx->s->domains[i];
	const struct scn_pool *pool;
	int lines[DOM_NR];

	d->line = scn_line(node);
	d->domid = i + 1;
	d->nr_vcpus = 1;
	d->pool = UINT_MAX;
	if (scn_walk(ctx, node, &map, domain_sched_keys(ctx, node), d,
		     &ctx->notes.domains[i], lines) &&
	    !d->hard_affinity && d->pool < ctx->s->nr_pools) {
		/* No "cpus": every vCPU may run anywhere in its pool. */
		pool = &ctx->s->pools[d->pool];
		d->hard_affinity = scn_alloc(ctx, node, d->nr_vcpus,
					     sizeof(*d->hard_affinity));
		for (unsigned int v = 0; d->hard_affinity && v < d->nr_vcpus;
		     v++)
			d->hard_affinity[v] = pool->cpus;
	}
	ctx->notes.domains[i].cpus_line = lines[DOM_CPUS];
	CHECK_UNIQUE(ctx, "domain", ctx->s->domains, i);
}

static void parse_domains(struct scn_ctx *ctx, const struct scn_field *f,
			  yaml_node_t *value, void *obj, void *aux)
{
	struct scenario *s = obj;
	unsigned int errors = ctx->diag.count;
	int n = scn_list_length(ctx, f->key, value, 1, SCN_MAX_DOMAINS);

	(void)aux;
	if (n < 0)
		return;
	s->domains = scn_alloc(ctx, value, (size_t)n, sizeof(*s->domains));
	ctx->notes.domains =
	    scn_alloc(ctx, value, (size_t)n, sizeof(*ctx->notes.domains));
	if (!s->domains || !ctx->notes.domains)
		return;
	s->nr_domains = (unsigned int)n;
	for (int i = 0; i < n && !scn_stop(ctx); i++)
		parse_domain(ctx, scn_list_item(ctx, value, i),
			     (unsigned int)i);
	ctx->domains_ok = ctx->diag.count == errors;
}

/* ---- Cpupools and ARINC653 schedules ----------------------------------- */

static void parse_entry_dom(struct scn_ctx *ctx, const struct scn_field *f,
			    yaml_node_t *value, void *obj, void *aux)
{
	(void)obj;
	scn_get_name(ctx, f->key, value, aux); /* resolved by scn_check() */
}

enum { ENTRY_DOM, ENTRY_VCPU, ENTRY_RUNTIME, ENTRY_NR };

static const struct scn_field a653_entry_fields[] = {
    [ENTRY_DOM] = CUSTOM("dom", parse_entry_dom, REQ),
    [ENTRY_VCPU] = RANGE("vcpu", SCN_K_UINT, struct scn_a653_entry, vcpu, 0, 0,
			 HV_MAX_VCPUS_PER_DOMAIN - 1),
    [ENTRY_RUNTIME] =
	FIELD("runtime", SCN_K_TIME_POS, struct scn_a653_entry, runtime, REQ),
};
FITS(a653_entry_fields);

static void parse_a653_schedule(struct scn_ctx *ctx, const struct scn_field *f,
				yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map =
	    MAP("schedule entry", a653_entry_fields);
	struct scn_pool *pool = obj;
	struct scn_pool_note *note = aux;
	int n = scn_list_length(ctx, f->key, value, 1, SCN_A653_MAX_ENTRIES);
	int lines[ENTRY_NR];

	if (n < 0)
		return;
	pool->a653 = scn_alloc(ctx, value, (size_t)n, sizeof(*pool->a653));
	note->a653_dom =
	    scn_alloc(ctx, value, (size_t)n, sizeof(*note->a653_dom));
	if (!pool->a653 || !note->a653_dom)
		return;
	pool->nr_a653 = (unsigned int)n;
	for (int i = 0; i < n && !scn_stop(ctx); i++) {
		yaml_node_t *item = scn_list_item(ctx, value, i);

		pool->a653[i].line = scn_line(item);
		scn_walk(ctx, item, &map, NULL, &pool->a653[i],
			 note->a653_dom[i], lines);
	}
}

static void parse_pool_sched(struct scn_ctx *ctx, const struct scn_field *f,
			     yaml_node_t *value, void *obj, void *aux)
{
	struct scn_pool *pool = obj;
	const char *v = scn_scalar(ctx, f->key, value, "a scheduler name");
	const struct scn_sched_desc *desc;
	char names[128], q[64];

	(void)aux;
	if (!v)
		return;
	desc = scn_sched_find(v);
	if (desc) {
		memcpy(pool->sched, desc->name, strlen(desc->name) + 1);
		return;
	}
	scn_quote(v, q, sizeof(q));
	scn_sched_list(names, sizeof(names));
	scn_node_error(ctx, value,
		       "%s: unknown scheduler %s; expected one of: %s", f->key,
		       q, names);
}

enum {
	POOL_NAME,
	POOL_SCHED,
	POOL_CPUS,
	POOL_MAJOR_FRAME,
	POOL_SCHEDULE,
	POOL_NR
};

static const struct scn_field pool_fields[] = {
    [POOL_NAME] = FIELD("name", SCN_K_NAME, struct scn_pool, name, REQ),
    [POOL_SCHED] = CUSTOM("sched", parse_pool_sched, REQ),
    [POOL_CPUS] = FIELD("cpus", SCN_K_CPUS, struct scn_pool, cpus, REQ),
    [POOL_MAJOR_FRAME] = FIELD("major_frame", SCN_K_TIME_POS, struct scn_pool,
			       major_frame, SCN_F_SCHED),
    [POOL_SCHEDULE] = CUSTOM("schedule", parse_a653_schedule, SCN_F_SCHED),
};
FITS(pool_fields);

static void parse_pool(struct scn_ctx *ctx, yaml_node_t *node, unsigned int i)
{
	static const struct scn_map map = MAP("cpupool", pool_fields);
	struct scn_pool *pool = &ctx->s->pools[i];
	struct scn_pool_note *note = &ctx->notes.pools[i];
	const char *sched = scn_peek(ctx, node, "sched");
	const struct scn_sched_desc *desc;
	int lines[POOL_NR];

	/* Peeked first: which keys are allowed depends on the scheduler. */
	desc = sched ? scn_sched_find(sched) : NULL;
	pool->line = scn_line(node);
	scn_walk(ctx, node, &map, desc ? desc->pool_keys : NULL, pool, note,
		 lines);
	note->cpus_line = lines[POOL_CPUS];
	note->schedule_line = lines[POOL_SCHEDULE];
	CHECK_UNIQUE(ctx, "cpupool", ctx->s->pools, i);
}

static void parse_pools(struct scn_ctx *ctx, const struct scn_field *f,
			yaml_node_t *value, void *obj, void *aux)
{
	struct scenario *s = obj;
	unsigned int errors = ctx->diag.count;
	int n = scn_list_length(ctx, f->key, value, 1, HV_MAX_PCPUS);

	(void)aux;
	if (n < 0)
		return;
	s->pools = scn_alloc(ctx, value, (size_t)n, sizeof(*s->pools));
	ctx->notes.pools =
	    scn_alloc(ctx, value, (size_t)n, sizeof(*ctx->notes.pools));
	if (!s->pools || !ctx->notes.pools)
		return;
	s->nr_pools = (unsigned int)n;
	for (int i = 0; i < n && !scn_stop(ctx); i++)
		parse_pool(ctx, scn_list_item(ctx, value, i), (unsigned int)i);
	ctx->pools_ok = ctx->diag.count == errors;
}

/* ---- Machine ----------------------------------------------------------- */

enum { L2_SIZE, L2_WAYS, L2_LINE, L2_NR };

static const struct scn_field l2_fields[] = {
    [L2_SIZE] = FIELD("size", SCN_K_SIZE, struct scn_machine, l2_size, 0),
    [L2_WAYS] =
	RANGE("ways", SCN_K_UINT, struct scn_machine, l2_ways, 0, 1, 64),
    [L2_LINE] =
	RANGE("line", SCN_K_UINT, struct scn_machine, l2_line, 0, 16, 256),
};
FITS(l2_fields);

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static void parse_l2(struct scn_ctx *ctx, const struct scn_field *f,
		     yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("l2", l2_fields);
	struct scn_machine *m = obj;
	uint64_t way_bytes;
	int lines[L2_NR];
	char size[32];

	(void)f;
	(void)aux;
	if (!scn_walk(ctx, value, &map, NULL, m, NULL, lines))
		return;
	way_bytes = (uint64_t)m->l2_ways * m->l2_line;
	scn_format_size(m->l2_size, size, sizeof(size));
	if (!is_pow2(m->l2_line))
		scn_error(&ctx->diag, lines[L2_LINE],
			  "line: %u is not a power of two; expected 16, 32, "
			  "64, 128 or 256",
			  m->l2_line);
	else if (!is_pow2(m->l2_size) || m->l2_size > SCN_MAX_L2_SIZE)
		scn_error(&ctx->diag, lines[L2_SIZE],
			  "size: %s is not a power of two up to 1024MiB", size);
	else if (m->l2_size % way_bytes)
		scn_node_error(
		    ctx, value,
		    "l2: size %s does not divide into %u ways of %u-byte lines",
		    size, m->l2_ways, m->l2_line);
}

static const struct scn_field costs_fields[] = {
    FIELD("trap_entry", SCN_K_TIME, struct scn_costs, trap_entry, 0),
    FIELD("trap_exit", SCN_K_TIME, struct scn_costs, trap_exit, 0),
    FIELD("ctx_switch", SCN_K_TIME, struct scn_costs, ctx_switch, 0),
    FIELD("sched_invoke", SCN_K_TIME, struct scn_costs, sched_invoke, 0),
    FIELD("virq_inject", SCN_K_TIME, struct scn_costs, virq_inject, 0),
    FIELD("ipi", SCN_K_TIME, struct scn_costs, ipi, 0),
};
FITS(costs_fields);

static void parse_costs(struct scn_ctx *ctx, const struct scn_field *f,
			yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("costs", costs_fields);
	struct scn_machine *m = obj;
	int lines[ARRAY_SIZE(costs_fields)];

	(void)f;
	(void)aux;
	scn_walk(ctx, value, &map, NULL, &m->costs, NULL, lines);
}

static const struct scn_field machine_fields[] = {
    RANGE("pcpus", SCN_K_UINT, struct scn_machine, pcpus, REQ, 1, HV_MAX_PCPUS),
    CUSTOM("l2", parse_l2, 0),
    CUSTOM("costs", parse_costs, 0),
};
FITS(machine_fields);

static void parse_machine(struct scn_ctx *ctx, const struct scn_field *f,
			  yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("machine", machine_fields);
	struct scenario *s = obj;
	int lines[ARRAY_SIZE(machine_fields)];

	(void)f;
	(void)aux;
	scn_walk(ctx, value, &map, NULL, &s->machine, NULL, lines);
}

/* ---- Budgets ----------------------------------------------------------- */

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
	join_names(s->domains, sizeof(*s->domains), s->nr_domains, names,
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
	/* The task's existence is checked by scn_check(). */
	if (strcmp(b->metric, "task_response"))
		scn_error(&ctx->diag, lines[BUD_TASK],
			  "task: only valid with metric: task_response");
	else if (!lines[BUD_DOMAIN])
		scn_error(&ctx->diag, lines[BUD_TASK],
			  "task: needs a domain: key naming the task's domain");
}

static void parse_budgets(struct scn_ctx *ctx, const struct scn_field *f,
			  yaml_node_t *value, void *obj, void *aux)
{
	struct scenario *s = obj;

	(void)aux;
	s->budgets =
	    parse_list(ctx, f->key, value, SCN_MAX_ITEMS, sizeof(*s->budgets),
		       parse_budget, &s->nr_budgets);
}

/* ---- The top level ----------------------------------------------------- */

enum {
	TOP_NAME,
	TOP_DURATION,
	TOP_SEED,
	TOP_MACHINE,
	TOP_CPUPOOLS,
	TOP_DOMAINS,
	TOP_BUDGETS,
	TOP_NR
};

static const struct scn_field top_fields[] = {
    [TOP_NAME] = FIELD("name", SCN_K_NAME, struct scenario, name, REQ),
    [TOP_DURATION] =
	FIELD("duration", SCN_K_TIME_POS, struct scenario, duration, REQ),
    [TOP_SEED] = FIELD("seed", SCN_K_U64, struct scenario, seed, 0),
    [TOP_MACHINE] = CUSTOM("machine", parse_machine, REQ),
    [TOP_CPUPOOLS] = CUSTOM("cpupools", parse_pools, REQ),
    [TOP_DOMAINS] = CUSTOM("domains", parse_domains, REQ),
    [TOP_BUDGETS] = CUSTOM("budgets", parse_budgets, 0),
};
FITS(top_fields);

static void parse_root(struct scn_ctx *ctx, yaml_node_t *root)
{
	static const struct scn_map map = MAP("scenario", top_fields);
	int lines[TOP_NR];
	char t[32];

	if (!root || scn_is_empty(root)) {
		scn_error(&ctx->diag, root ? scn_line(root) : 1,
			  "empty scenario; expected a mapping with name, "
			  "duration, machine, cpupools and domains");
		return;
	}
	scn_walk(ctx, root, &map, NULL, ctx->s, NULL, lines);
	if (ctx->s->duration > SCN_MAX_DURATION) {
		scn_format_time(ctx->s->duration, t, sizeof(t));
		scn_error(
		    &ctx->diag, lines[TOP_DURATION],
		    "duration: %s is longer than the limit of 1 hour (3600s)",
		    t);
	}
}

/* ---- Public interface -------------------------------------------------- */

/* 64-bit FNV-1a: cheap, stable across hosts, enough to name an input. */
static uint64_t fnv1a64(const char *data, size_t len)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static void copy_truncated(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void free_notes(struct scn_notes *notes, const struct scenario *s)
{
	if (notes->pools)
		for (unsigned int i = 0; i < s->nr_pools; i++)
			free(notes->pools[i].a653_dom);
	free(notes->pools);
	free(notes->domains);
}

static int build_scenario(struct scn_ctx *ctx, const char *name,
			  const char *text, size_t len, struct scenario **out)
{
	struct scenario *s = calloc(1, sizeof(*s));

	if (!s) {
		scn_error(&ctx->diag, 1, "out of memory");
		return -ENOMEM;
	}
	copy_truncated(s->path, sizeof(s->path), name);
	s->hash = fnv1a64(text, len);
	set_defaults(s);
	ctx->s = s;
	parse_root(ctx, yaml_document_get_root_node(ctx->doc));
	if (!ctx->diag.count && !ctx->oom)
		scn_check(s, &ctx->notes, &ctx->diag);
	free_notes(&ctx->notes, s);
	if (ctx->diag.count || ctx->oom) {
		scenario_free(s);
		return ctx->oom ? -ENOMEM : -EINVAL;
	}
	*out = s;
	return 0;
}

int scenario_load_buffer(const char *name, const char *text, size_t len,
			 FILE *err, struct scenario **out)
{
	struct scn_ctx ctx = {
	    .diag = {.name = name ? name : "<buffer>", .err = err}};
	yaml_document_t doc;
	int rc;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!text) {
		if (len)
			return -EINVAL;
		text = "";
	}
	if (len > SCN_MAX_FILE_BYTES) {
		scn_error(
		    &ctx.diag, 1,
		    "the file is larger than %u MiB, the limit for a scenario",
		    SCN_MAX_FILE_BYTES >> 20);
		return -EINVAL;
	}
	rc = scn_load_yaml(&ctx.diag, text, len, &doc);
	if (rc)
		return rc;
	ctx.doc = &doc;
	rc = build_scenario(&ctx, ctx.diag.name, text, len, out);
	yaml_document_delete(&doc);
	return rc;
}

int scenario_load(const char *path, FILE *err, struct scenario **out)
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
	rc = scenario_load_buffer(path, text, len, err, out);
	free(text);
	return rc;
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	if (s->pools)
		for (unsigned int i = 0; i < s->nr_pools; i++)
			free(s->pools[i].a653);
	if (s->domains) {
		for (unsigned int i = 0; i < s->nr_domains; i++) {
			struct scn_domain *d = &s->domains[i];

			free(d->hard_affinity);
			free(d->tasks);
			free(d->irqs);
			free(d->hogs);
		}
	}
	free(s->pools);
	free(s->domains);
	free(s->budgets);
	free(s);
}

int scenario_find_domain(const struct scenario *s, const char *name)
{
	if (!s || !name)
		return -1;
	for (unsigned int i = 0; i < s->nr_domains; i++)
		if (!strcmp(s->domains[i].name, name))
			return (int)i;
	return -1;
}
