/*
 * Scenario loader: YAML text -> struct scenario. This file holds the
 * public entry points and the glue between the parts of the parser:
 *
 *   scenario_yaml.c      file -> libyaml node tree; the mapping walker
 *   scenario_values.c    scalar values and the file:line reporter
 *   scenario_fields.c    the schema: pools, domains, machine, the top
 *                        level
 *   scenario_budgets.c   budgets, in a scenario or a budget file
 *   scenario_variants.c  per-scheduler sections; one scheduler's scenario
 *   scenario_write.c     a scenario back to YAML
 *   scenario_workload.c  the schema of a domain's workload
 *   scenario_sched.c     the scheduler table; credit2 and RTDS values
 *   scenario_guest.c     the qemu backend's keys: guest, machine.qemu
 *   scenario_check.c     checks that span mappings, once parsing succeeded
 *
 * Why libyaml's node tree and our own tables rather than libcyaml:
 * libcyaml (1.3.1 in Debian bookworm) validates a schema but reports no
 * line numbers, and every message here must read "file:line: what is wrong
 * and what was expected". libyaml keeps a start mark on every node, so the
 * file is loaded with yaml_parser_load() and walked with field tables
 * (the walker, scn_walk(), is in scenario_yaml.c).
 *
 * The text is parsed twice (scn_load_yaml()): a first pass over the event
 * stream reports syntax errors, rejects aliases and caps depth and size,
 * so the loader only ever builds a small tree -- an alias turns the tree
 * into a graph, and a few nested ones ("billion laughs") would make the
 * walk exponential.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/private.h"

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
	s->machine.threads_per_core = 1;
	scenario_default_costs(&s->machine.costs);
}

/* ---- Shared helpers ---------------------------------------------------- */

void *scn_parse_list(struct scn_ctx *ctx, const char *key, yaml_node_t *node,
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

void scn_check_unique_name(struct scn_ctx *ctx, const char *what,
			   const void *items, size_t stride, size_t line_offset,
			   unsigned int i)
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

/* What CHECK_UNIQUE() relies on. */
_Static_assert(offsetof(struct scn_task, name) == 0, "name first");
_Static_assert(offsetof(struct scn_irq, name) == 0, "name first");
_Static_assert(offsetof(struct scn_domain, name) == 0, "name first");
_Static_assert(offsetof(struct scn_pool, name) == 0, "name first");

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
	scn_parse_root(ctx, yaml_document_get_root_node(ctx->doc));
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
			free(d->rtds);
		}
	}
	scn_free_variants(s);
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
