/*
 * Per-scheduler sections of a scenario ("variants:") and the scenario
 * they yield: the same machine and workload with every cpupool running
 * one scheduler, which is how "hvlab compare" puts schedulers side by
 * side. Users' documentation: docs/scenario.md ("variants") and
 * docs/compare.md.
 *
 *   variants:
 *     arinc653:                  # a scheduler's sched= token
 *       pools:                   # cpupool name -> that scheduler's pool keys
 *         rt: { major_frame: 20ms, schedule: [...] }
 *       domains:                 # domain name -> its domain keys
 *         ctrl: { ... }
 *
 * A variant's entry is parsed with the cpupool or domain field table of
 * scenario_fields.c with only that scheduler's keys allowed, so a key
 * means, defaults and is limited exactly as it is in a cpupool of that
 * scheduler. Each entry is complete: keys it leaves out take the
 * scheduler's defaults, not the values the pool or domain has under its
 * own scheduler. Variants are parsed after the domains, so names resolve
 * at once, ARINC653 windows included; with broken pools or domains the
 * section is skipped, as its names could only cascade.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/private.h"

/* Longest "variants.<sched>.domains.<name>". */
#define WHAT_MAX (HV_NAME_MAX * 2 + 32)

struct variant_ctx {
	struct scenario *s;
	struct scn_variant *v;
	const struct scn_sched_desc *desc;
};

typedef void name_fn(struct scn_ctx *ctx, yaml_node_t *key, const char *name,
		     yaml_node_t *value, void *arg);

/*
 * Walk mapping @node whose keys are names (schedulers, pools, domains):
 * each key a scalar, given once. @what names the mapping in messages.
 */
static void walk_names(struct scn_ctx *ctx, yaml_node_t *node, const char *what,
		       name_fn *fn, void *arg)
{
	yaml_node_pair_t *pair, *prev;

	if (node->type != YAML_MAPPING_NODE) {
		scn_node_error(ctx, node, "%s: expected a mapping, got %s",
			       what, scn_node_kind(node));
		return;
	}
	for (pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top && !scn_stop(ctx); pair++) {
		yaml_node_t *key = scn_node(ctx, pair->key);
		const char *name = scn_scalar(ctx, what, key, "a name as key");
		bool dup = false;

		if (!name)
			continue;
		for (prev = node->data.mapping.pairs.start; prev < pair && !dup;
		     prev++) {
			yaml_node_t *k = scn_node(ctx, prev->key);

			if (k->type != YAML_SCALAR_NODE ||
			    strcmp((const char *)k->data.scalar.value, name))
				continue;
			dup = true;
			scn_node_error(ctx, key,
				       "duplicate key '%s' in %s (first at "
				       "line %d)",
				       name, what, scn_line(k));
		}
		if (!dup)
			fn(ctx, key, name, scn_node(ctx, pair->value), arg);
	}
}

static void variant_pool(struct scn_ctx *ctx, yaml_node_t *key,
			 const char *name, yaml_node_t *value, void *arg)
{
	struct variant_ctx *vc = arg;
	const struct scenario *s = vc->s;
	int p = scn_find_pool(s, name);
	struct scn_pool_note note = {0};
	char what[WHAT_MAX], names[256], q[64];
	struct scn_pool *vp;

	snprintf(what, sizeof(what), "variants.%s.pools", vc->desc->name);
	if (p < 0) {
		scn_quote(name, q, sizeof(q));
		scn_join_names(s->pools, sizeof(*s->pools), s->nr_pools, names,
			       sizeof(names));
		scn_node_error(ctx, key,
			       "%s: unknown cpupool %s; expected one of: %s",
			       what, q, names);
		return;
	}
	vp = &vc->v->pools[p];
	memcpy(vp->name, s->pools[p].name, sizeof(vp->name));
	memcpy(vp->sched, vc->desc->name, strlen(vc->desc->name) + 1);
	vp->cpus = s->pools[p].cpus;
	vp->line = scn_line(key);
	if (vc->desc->pool_defaults)
		vc->desc->pool_defaults(vp);
	snprintf(what, sizeof(what), "variants.%s.pools.%s", vc->desc->name,
		 name);
	if (scn_parse_pool_params(ctx, value, vc->desc, what, vp, &note) &&
	    vp->nr_a653)
		scn_check_a653_table(vc->s, (unsigned int)p, vp, &note,
				     &ctx->diag);
	free(note.a653_dom);
}

static void variant_domain(struct scn_ctx *ctx, yaml_node_t *key,
			   const char *name, yaml_node_t *value, void *arg)
{
	struct variant_ctx *vc = arg;
	const struct scenario *s = vc->s;
	const struct scn_sched_desc *desc = vc->desc;
	int i = scenario_find_domain(s, name);
	struct scn_domain d = {.line = scn_line(key)};
	struct scn_domain_note note = {0};
	struct scn_variant_domain *vd;
	char what[WHAT_MAX], names[256], q[64];

	if (i < 0) {
		scn_quote(name, q, sizeof(q));
		scn_join_names(s->domains, sizeof(*s->domains), s->nr_domains,
			       names, sizeof(names));
		scn_node_error(ctx, key,
			       "variants.%s.domains: unknown domain %s; "
			       "expected one of: %s",
			       desc->name, q, names);
		return;
	}
	/* What the scheduler keys depend on: the vCPU count. */
	memcpy(d.name, s->domains[i].name, sizeof(d.name));
	d.nr_vcpus = s->domains[i].nr_vcpus;
	d.pool = s->domains[i].pool;
	if (desc->domain_defaults)
		desc->domain_defaults(&d, &note);
	snprintf(what, sizeof(what), "variants.%s.domains.%s", desc->name,
		 name);
	if (scn_parse_domain_params(ctx, value, desc, what, &d, &note) &&
	    desc->finish_domain)
		desc->finish_domain(ctx, value, &d, &note);
	vd = &vc->v->domains[i];
	vd->weight = d.weight;
	vd->cap = d.cap;
	vd->rtds = d.rtds; /* owned by the variant from here on */
	vd->line = d.line;
}

static void parse_variant_pools(struct scn_ctx *ctx, const struct scn_field *f,
				yaml_node_t *value, void *obj, void *aux)
{
	struct variant_ctx *vc = obj;
	char what[WHAT_MAX];

	(void)f;
	(void)aux;
	snprintf(what, sizeof(what), "variants.%s.pools", vc->desc->name);
	walk_names(ctx, value, what, variant_pool, vc);
}

static void parse_variant_domains(struct scn_ctx *ctx,
				  const struct scn_field *f, yaml_node_t *value,
				  void *obj, void *aux)
{
	struct variant_ctx *vc = obj;
	char what[WHAT_MAX];

	(void)f;
	(void)aux;
	snprintf(what, sizeof(what), "variants.%s.domains", vc->desc->name);
	walk_names(ctx, value, what, variant_domain, vc);
}

static const struct scn_field variant_fields[] = {
    CUSTOM("pools", parse_variant_pools, 0),
    CUSTOM("domains", parse_variant_domains, 0),
};
FITS(variant_fields);

static void parse_variant(struct scn_ctx *ctx, yaml_node_t *key,
			  const char *name, yaml_node_t *value, void *arg)
{
	struct scenario *s = arg;
	struct variant_ctx vc = {.s = s, .desc = scn_sched_find(name)};
	struct scn_map map = MAP("variant", variant_fields);
	int lines[ARRAY_SIZE(variant_fields)];
	char what[WHAT_MAX], names[128], q[64];

	if (!vc.desc) {
		scn_quote(name, q, sizeof(q));
		scn_sched_list(names, sizeof(names));
		scn_node_error(ctx, key,
			       "variants: unknown scheduler %s; expected one "
			       "of: %s",
			       q, names);
		return;
	}
	vc.v = &s->variants[s->nr_variants++];
	memcpy(vc.v->sched, vc.desc->name, strlen(vc.desc->name) + 1);
	vc.v->line = scn_line(key);
	vc.v->pools = scn_alloc(ctx, key, s->nr_pools, sizeof(*vc.v->pools));
	vc.v->domains =
	    scn_alloc(ctx, key, s->nr_domains, sizeof(*vc.v->domains));
	if (!vc.v->pools || !vc.v->domains || scn_is_empty(value))
		return;
	snprintf(what, sizeof(what), "variants.%s", vc.desc->name);
	map.what = what;
	scn_walk(ctx, value, &map, NULL, &vc, NULL, lines);
}

void scn_parse_variants(struct scn_ctx *ctx, const struct scn_field *f,
			yaml_node_t *value, void *obj, void *aux)
{
	struct scenario *s = obj;
	ptrdiff_t n;

	(void)aux;
	/* Names of broken pools or domains would only cascade. */
	if (!ctx->pools_ok || !ctx->domains_ok || scn_is_empty(value))
		return;
	if (value->type != YAML_MAPPING_NODE) {
		scn_node_error(ctx, value,
			       "%s: expected a mapping from scheduler names "
			       "to their sections, got %s",
			       f->key, scn_node_kind(value));
		return;
	}
	n = value->data.mapping.pairs.top - value->data.mapping.pairs.start;
	s->variants = scn_alloc(ctx, value, (size_t)n, sizeof(*s->variants));
	if (s->variants)
		walk_names(ctx, value, f->key, parse_variant, s);
}

void scn_free_variants(struct scenario *s)
{
	for (unsigned int i = 0; s->variants && i < s->nr_variants; i++) {
		struct scn_variant *v = &s->variants[i];

		for (unsigned int p = 0; v->pools && p < s->nr_pools; p++)
			free(v->pools[p].a653);
		for (unsigned int d = 0; v->domains && d < s->nr_domains; d++)
			free(v->domains[d].rtds);
		free(v->pools);
		free(v->domains);
	}
	free(s->variants);
	s->variants = NULL;
	s->nr_variants = 0;
}

bool scenario_sched_known(const char *name)
{
	return name && scn_sched_find(name);
}

const struct scn_variant *scenario_variant(const struct scenario *s,
					   const char *sched)
{
	for (unsigned int i = 0; s && sched && i < s->nr_variants; i++)
		if (!strcmp(s->variants[i].sched, sched))
			return &s->variants[i];
	return NULL;
}

/* ---- The scenario of one scheduler ----------------------------------- */

/*
 * The pools of @view (a shallow copy of @base) for @desc: the variant's
 * entry, the pool's own parameters when it runs @desc already, else the
 * defaults. Returns the number of problems reported.
 */
static unsigned int derive_pools(const struct scenario *base,
				 const struct scn_sched_desc *desc,
				 const struct scn_variant *v,
				 struct scn_pool *pools, FILE *err)
{
	unsigned int problems = 0;

	for (unsigned int p = 0; p < base->nr_pools; p++) {
		const struct scn_pool *bp = &base->pools[p];
		struct scn_pool *np = &pools[p];

		if (v && v->pools[p].line) {
			*np = v->pools[p];
		} else if (!strcmp(bp->sched, desc->name)) {
			*np = *bp;
		} else {
			*np = (struct scn_pool){.cpus = bp->cpus,
						.line = bp->line};
			memcpy(np->name, bp->name, sizeof(np->name));
			memcpy(np->sched, desc->name, strlen(desc->name) + 1);
			if (desc->pool_defaults)
				desc->pool_defaults(np);
		}
		if (strcmp(desc->name, "arinc653") || np->nr_a653)
			continue;
		problems++;
		fprintf(err,
			"%s:%d: variants.arinc653 needs a schedule for pool "
			"'%s'; expected variants: arinc653: pools: %s: "
			"{major_frame: ..., schedule: [...]}\n",
			base->path, v ? v->line : bp->line, bp->name, bp->name);
	}
	return problems;
}

/*
 * The domains' scheduler parameters, chosen as for the pools. RTDS
 * servers made up from the defaults are recorded in @owned for freeing.
 */
static int derive_domains(const struct scenario *base,
			  const struct scn_sched_desc *desc,
			  const struct scn_variant *v,
			  struct scn_domain *domains,
			  struct scn_rtds_vcpu **owned)
{
	bool rtds = !strcmp(desc->name, "rtds");

	for (unsigned int i = 0; i < base->nr_domains; i++) {
		struct scn_domain *nd = &domains[i];
		struct scn_domain_note note = {0};
		bool kept;

		*nd = base->domains[i];
		/* Only null passes IRQs straight through; the others trap. */
		if (strcmp(desc->name, "null"))
			nd->guest.direct_irq = false;
		kept = !strcmp(base->pools[nd->pool].sched, desc->name);
		if (v && v->domains[i].line) {
			nd->weight = v->domains[i].weight;
			nd->cap = v->domains[i].cap;
			nd->rtds = v->domains[i].rtds;
			continue;
		}
		if (kept)
			continue;
		nd->weight = nd->cap = 0;
		nd->rtds = NULL;
		if (desc->domain_defaults)
			desc->domain_defaults(nd, &note);
		if (!rtds)
			continue;
		owned[i] = calloc(nd->nr_vcpus, sizeof(*owned[i]));
		if (!owned[i])
			return -ENOMEM;
		for (unsigned int k = 0; k < nd->nr_vcpus; k++)
			owned[i][k] = note.rtds_dom;
		nd->rtds = owned[i];
	}
	return 0;
}

/* Write @view and load it back as "@base->path (variant sched)". */
static int reload(const struct scenario *base, const struct scenario *view,
		  const char *sched, FILE *err, struct scenario **out)
{
	char name[sizeof(base->path) + 32];
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int rc;

	if (!mem)
		return -ENOMEM;
	rc = scenario_write(view, mem);
	if (fclose(mem) || rc) {
		free(text);
		return -ENOMEM;
	}
	snprintf(name, sizeof(name), "%s (variant %s)", base->path, sched);
	rc = scenario_load_buffer(name, text, len, err, out);
	free(text);
	return rc;
}

int scenario_for_scheduler(const struct scenario *base, const char *sched,
			   FILE *err, struct scenario **out)
{
	const struct scn_sched_desc *desc =
	    sched ? scn_sched_find(sched) : NULL;
	struct scn_rtds_vcpu **owned = NULL;
	const struct scn_variant *v;
	struct scenario view;
	char names[128];
	int rc = -ENOMEM;

	if (!out || !base)
		return -EINVAL;
	*out = NULL;
	err = err ? err : stderr;
	if (!desc) {
		scn_sched_list(names, sizeof(names));
		fprintf(err,
			"%s: unknown scheduler '%s'; expected one of: %s\n",
			base->path, sched ? sched : "", names);
		return -EINVAL;
	}
	v = scenario_variant(base, desc->name);
	view = *base;
	view.variants = NULL;
	view.nr_variants = 0;
	view.pools = calloc(base->nr_pools, sizeof(*view.pools));
	view.domains = calloc(base->nr_domains, sizeof(*view.domains));
	owned = calloc(base->nr_domains, sizeof(*owned));
	if (!view.pools || !view.domains || !owned)
		goto out;
	if (derive_pools(base, desc, v, view.pools, err)) {
		rc = -EINVAL;
		goto out;
	}
	rc = derive_domains(base, desc, v, view.domains, owned);
	if (!rc)
		rc = reload(base, &view, desc->name, err, out);
out:
	for (unsigned int i = 0; owned && i < base->nr_domains; i++)
		free(owned[i]);
	free(owned);
	free(view.pools);
	free(view.domains);
	return rc;
}
