/*
 * The schema of a scenario file: which keys each mapping takes, what they
 * mean and where they go -- cpupools with their ARINC653 schedules,
 * domains, the machine and the top level. A domain's workload has tables
 * of its own in scenario_workload.c; the scheduler table and the values of
 * the credit2 and RTDS keys are in scenario_sched.c; budgets are in
 * scenario_budgets.c and per-scheduler variants in scenario_variants.c.
 * The format is documented for users in docs/scenario.md; keep the two in
 * step.
 *
 * Top-level keys are parsed in table order -- machine, cpupools, domains,
 * budgets, variants -- whatever their order in the file, so a domain
 * resolves its pool at once, and a budget or a variant its domains. An
 * ARINC653 schedule names domains
 * declared after it; those names wait in struct scn_notes for scn_check()
 * (scenario_check.c), which also does every check that spans mappings.
 */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "scenario/private.h"

#define SCN_MAX_DOMAINS 4096
#define SCN_MAX_DURATION HV_S(3600)
#define SCN_MAX_L2_SIZE (UINT64_C(1) << 30)

/* ---- Domains ----------------------------------------------------------- */

void scn_join_names(const void *items, size_t stride, unsigned int n, char *buf,
		    size_t len)
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

int scn_find_pool(const struct scenario *s, const char *name)
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
	pool = scn_find_pool(s, v);
	if (pool >= 0) {
		d->pool = (unsigned int)pool;
		return;
	}
	/* With broken pools, an unknown name is most likely a cascade. */
	if (!ctx->pools_ok)
		return;
	scn_quote(v, q, sizeof(q));
	scn_join_names(s->pools, sizeof(*s->pools), s->nr_pools, names,
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

/*
 * Values are parsed in table order: "vcpus" before "cpus" and "cap", the
 * RTDS domain-wide server before its per-vCPU overrides.
 */
enum {
	DOM_NAME,
	DOM_POOL,
	DOM_VCPUS,
	DOM_CPUS,
	DOM_WORKLOAD,
	DOM_WEIGHT,
	DOM_CAP,
	DOM_PERIOD,
	DOM_BUDGET,
	DOM_EXTRATIME,
	DOM_VCPU_SCHED,
	DOM_GUEST_SCHED,
	DOM_GUEST,
	DOM_NR
};

static const char *const guest_schedulers[] = {"fp", "edf", NULL};

static const struct scn_field domain_fields[] = {
    [DOM_NAME] = FIELD("name", SCN_K_NAME, struct scn_domain, name, REQ),
    [DOM_POOL] = CUSTOM("pool", parse_domain_pool, REQ),
    [DOM_VCPUS] = RANGE("vcpus", SCN_K_UINT, struct scn_domain, nr_vcpus, 0, 1,
			HV_MAX_VCPUS_PER_DOMAIN),
    [DOM_CPUS] = CUSTOM("cpus", parse_domain_cpus, 0),
    [DOM_WORKLOAD] = CUSTOM("workload", scn_parse_workload, 0),
    /* credit2 */
    [DOM_WEIGHT] =
	RANGE("weight", SCN_K_UINT, struct scn_domain, weight, SCHED, 1, 65535),
    [DOM_CAP] = CUSTOM("cap", scn_parse_c2_cap, SCHED),
    /* rtds */
    [DOM_PERIOD] = CUSTOM("period", scn_parse_rtds_time, SCHED),
    [DOM_BUDGET] = CUSTOM("budget", scn_parse_rtds_time, SCHED),
    [DOM_EXTRATIME] = CUSTOM("extratime", scn_parse_rtds_extratime, SCHED),
    [DOM_VCPU_SCHED] = CUSTOM("vcpu_sched", scn_parse_rtds_vcpus, SCHED),
    [DOM_GUEST_SCHED] = CHOICE("guest_scheduler", guest_schedulers,
			       struct scn_domain, guest_scheduler, 0),
    /* qemu backend only (scenario_guest.c) */
    [DOM_GUEST] = CUSTOM("guest", scn_parse_guest, 0),
};
FITS(domain_fields);

/*
 * The scheduler of the pool a domain names, or NULL when that is unknown
 * (reported by parse_domain_pool()). With a scheduler, @where names the
 * domain and says which scheduler its pool runs, for messages about keys
 * of another scheduler.
 */
static const struct scn_sched_desc *
domain_sched(struct scn_ctx *ctx, yaml_node_t *node, char *where, size_t len)
{
	const char *pool_name = scn_peek(ctx, node, "pool");
	const char *name = scn_peek(ctx, node, "name");
	const struct scn_sched_desc *desc;
	char q[64];
	int pool;

	if (!pool_name)
		return NULL;
	pool = scn_find_pool(ctx->s, pool_name);
	if (pool < 0)
		return NULL;
	desc = scn_sched_find(ctx->s->pools[pool].sched);
	if (!desc)
		return NULL;
	if (name)
		scn_quote(name, q, sizeof(q));
	snprintf(where, len, "domain%s%s (pool '%s' runs %s)", name ? " " : "",
		 name ? q : "", ctx->s->pools[pool].name, desc->name);
	return desc;
}

static void parse_domain(struct scn_ctx *ctx, yaml_node_t *node, unsigned int i)
{
	static const struct scn_map map = MAP("domain", domain_fields);
	struct scn_domain *d = &ctx->s->domains[i];
	struct scn_domain_note *note = &ctx->notes.domains[i];
	const struct scn_sched_desc *desc;
	struct scn_sched_scope scope;
	const struct scn_pool *pool;
	char where[160];
	int lines[DOM_NR];
	bool ok;

	d->line = scn_line(node);
	d->domid = i + 1;
	d->nr_vcpus = 1;
	d->pool = UINT_MAX;
	desc = domain_sched(ctx, node, where, sizeof(where));
	scope = (struct scn_sched_scope){desc ? desc->domain_keys : NULL, where,
					 false};
	if (desc && desc->domain_defaults)
		desc->domain_defaults(d, note);
	ok = scn_walk(ctx, node, &map, desc ? &scope : NULL, d, note, lines);
	note->cpus_line = lines[DOM_CPUS];
	if (lines[DOM_GUEST])
		d->guest.line = lines[DOM_GUEST]; /* the key, not its value */
	CHECK_UNIQUE(ctx, "domain", ctx->s->domains, i);
	if (!ok || d->pool >= ctx->s->nr_pools)
		return;
	if (!d->hard_affinity) {
		/* No "cpus": every vCPU may run anywhere in its pool. */
		pool = &ctx->s->pools[d->pool];
		d->hard_affinity = scn_alloc(ctx, node, d->nr_vcpus,
					     sizeof(*d->hard_affinity));
		for (unsigned int v = 0; d->hard_affinity && v < d->nr_vcpus;
		     v++)
			d->hard_affinity[v] = pool->cpus;
	}
	if (desc && desc->finish_domain)
		desc->finish_domain(ctx, node, d, note);
}

bool scn_parse_domain_params(struct scn_ctx *ctx, yaml_node_t *node,
			     const struct scn_sched_desc *desc,
			     const char *what, struct scn_domain *d,
			     struct scn_domain_note *note)
{
	const struct scn_map map = {what, domain_fields,
				    ARRAY_SIZE(domain_fields)};
	const struct scn_sched_scope scope = {desc->domain_keys, what, true};
	int lines[DOM_NR];

	return scn_walk(ctx, node, &map, &scope, d, note, lines);
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
	POOL_RATELIMIT,
	POOL_RUNQUEUE,
	POOL_MAX_CPUS_RUNQUEUE,
	POOL_NR
};

static const struct scn_field pool_fields[] = {
    [POOL_NAME] = FIELD("name", SCN_K_NAME, struct scn_pool, name, REQ),
    [POOL_SCHED] = CUSTOM("sched", parse_pool_sched, REQ),
    [POOL_CPUS] = FIELD("cpus", SCN_K_CPUS, struct scn_pool, cpus, REQ),
    /* arinc653 */
    [POOL_MAJOR_FRAME] = FIELD("major_frame", SCN_K_TIME_POS, struct scn_pool,
			       major_frame, SCHED),
    [POOL_SCHEDULE] = CUSTOM("schedule", parse_a653_schedule, SCHED),
    /* credit2 */
    [POOL_RATELIMIT] = CUSTOM("ratelimit", scn_parse_c2_ratelimit, SCHED),
    [POOL_RUNQUEUE] = CUSTOM("runqueue", scn_parse_c2_runqueue, SCHED),
    [POOL_MAX_CPUS_RUNQUEUE] =
	RANGE("max_cpus_runqueue", SCN_K_UINT, struct scn_pool,
	      max_cpus_runqueue, SCHED, 1, HV_MAX_PCPUS),
};
FITS(pool_fields);

static void parse_pool(struct scn_ctx *ctx, yaml_node_t *node, unsigned int i)
{
	static const struct scn_map map = MAP("cpupool", pool_fields);
	struct scn_pool *pool = &ctx->s->pools[i];
	struct scn_pool_note *note = &ctx->notes.pools[i];
	const char *sched = scn_peek(ctx, node, "sched");
	const char *name = scn_peek(ctx, node, "name");
	const struct scn_sched_desc *desc;
	struct scn_sched_scope scope = {NULL, NULL, false};
	char where[128], q[64];
	int lines[POOL_NR];

	/* Peeked first: which keys are allowed depends on the scheduler. */
	desc = sched ? scn_sched_find(sched) : NULL;
	if (desc) {
		if (name)
			scn_quote(name, q, sizeof(q));
		snprintf(where, sizeof(where), "cpupool%s%s (runs %s)",
			 name ? " " : "", name ? q : "", desc->name);
		scope = (struct scn_sched_scope){desc->pool_keys, where, false};
		if (desc->pool_defaults)
			desc->pool_defaults(pool);
	}
	pool->line = scn_line(node);
	scn_walk(ctx, node, &map, desc ? &scope : NULL, pool, note, lines);
	note->cpus_line = lines[POOL_CPUS];
	note->schedule_line = lines[POOL_SCHEDULE];
	CHECK_UNIQUE(ctx, "cpupool", ctx->s->pools, i);
}

bool scn_parse_pool_params(struct scn_ctx *ctx, yaml_node_t *node,
			   const struct scn_sched_desc *desc, const char *what,
			   struct scn_pool *pool, struct scn_pool_note *note)
{
	const struct scn_map map = {what, pool_fields, ARRAY_SIZE(pool_fields)};
	const struct scn_sched_scope scope = {desc->pool_keys, what, true};
	int lines[POOL_NR];
	bool ok = scn_walk(ctx, node, &map, &scope, pool, note, lines);

	note->schedule_line = lines[POOL_SCHEDULE];
	return ok;
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

enum { M_PCPUS, M_THREADS, M_CORES, M_L2, M_COSTS, M_QEMU, M_NR };

static const struct scn_field machine_fields[] = {
    [M_PCPUS] = RANGE("pcpus", SCN_K_UINT, struct scn_machine, pcpus, REQ, 1,
		      HV_MAX_PCPUS),
    [M_THREADS] = RANGE("threads_per_core", SCN_K_UINT, struct scn_machine,
			threads_per_core, 0, 1, 8),
    [M_CORES] = RANGE("cores_per_socket", SCN_K_UINT, struct scn_machine,
		      cores_per_socket, 0, 1, HV_MAX_PCPUS),
    [M_L2] = CUSTOM("l2", parse_l2, 0),
    [M_COSTS] = CUSTOM("costs", parse_costs, 0),
    /* after pcpus: its defaults depend on it (scenario_guest.c) */
    [M_QEMU] = CUSTOM("qemu", scn_parse_qemu, 0),
};
FITS(machine_fields);

/*
 * Topology: pCPU n is thread n % threads_per_core of core
 * n / threads_per_core, so the pCPUs make whole cores; cores fill sockets
 * of cores_per_socket in order (the last one may be partial), all in one
 * socket by default.
 */
static void parse_machine(struct scn_ctx *ctx, const struct scn_field *f,
			  yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("machine", machine_fields);
	struct scn_machine *m = &((struct scenario *)obj)->machine;
	int lines[M_NR];

	(void)f;
	(void)aux;
	if (!scn_walk(ctx, value, &map, NULL, m, NULL, lines))
		return;
	if (!lines[M_QEMU])
		scn_qemu_defaults(ctx->s);
	if (m->pcpus % m->threads_per_core) {
		scn_error(&ctx->diag, lines[M_THREADS],
			  "threads_per_core: %u pCPUs do not make whole cores "
			  "of %u threads; pcpus must be a multiple of "
			  "threads_per_core",
			  m->pcpus, m->threads_per_core);
		return;
	}
	if (!lines[M_CORES])
		m->cores_per_socket = m->pcpus / m->threads_per_core;
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
	TOP_VARIANTS,
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
    [TOP_BUDGETS] = CUSTOM("budgets", scn_parse_budgets, 0),
    [TOP_VARIANTS] = CUSTOM("variants", scn_parse_variants, 0),
};
FITS(top_fields);

void scn_parse_root(struct scn_ctx *ctx, yaml_node_t *root)
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
