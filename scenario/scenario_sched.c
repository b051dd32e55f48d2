/*
 * The schedulers of the scenario format: the table of Xen's sched= tokens
 * with the keys each one takes, and the values of the credit2 and RTDS
 * keys. The keys themselves sit in the field tables of scenario_fields.c
 * (flagged SCN_F_SCHED), because a pool's or a domain's keys are one YAML
 * mapping; what they mean, their defaults and their limits are here. The
 * format is documented for users in docs/scenario.md; keep the two in
 * step.
 *
 * Names, units, defaults and limits follow Xen (xen/common/sched/credit2.c
 * and rt.c, xl.cfg(5), xl(1)): a value Xen would refuse is refused here,
 * with the reason. This table is the parser's own: it must not depend on
 * the scheduler registry (schedulers/registry.c), which the core uses to
 * find an implementation.
 */
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "scenario/private.h"

/* ---- credit2 ----------------------------------------------------------- */

/* CSCHED2_DEFAULT_WEIGHT; xl.cfg cpu_weight= takes 1..65535. */
#define C2_DEFAULT_WEIGHT 256
/* SCHED_DEFAULT_RATELIMIT_US and XEN_SYSCTL_SCHED_RATELIMIT_MIN/MAX. */
#define C2_DEFAULT_RATELIMIT HV_US(1000)
#define C2_RATELIMIT_MIN HV_US(100)
#define C2_RATELIMIT_MAX HV_US(500000)
/* sched_credit2_max_cpus_runqueue's default. */
#define C2_DEFAULT_MAX_CPUS_RUNQUEUE 16

static void c2_pool_defaults(struct scn_pool *pool)
{
	pool->ratelimit = C2_DEFAULT_RATELIMIT;
	pool->runqueue = SCN_C2RQ_SOCKET;
	pool->max_cpus_runqueue = C2_DEFAULT_MAX_CPUS_RUNQUEUE;
}

static void c2_domain_defaults(struct scn_domain *d,
			       struct scn_domain_note *note)
{
	(void)note;
	d->weight = C2_DEFAULT_WEIGHT;
	d->cap = 0;
}

/*
 * Xen's sched_ratelimit_us (xl sched-credit2 -s -r), written with a unit
 * like every time of the format: 0 turns rate limiting off, anything else
 * is 100us..500ms in whole microseconds.
 */
void scn_parse_c2_ratelimit(struct scn_ctx *ctx, const struct scn_field *f,
			    yaml_node_t *value, void *obj, void *aux)
{
	struct scn_pool *pool = obj;
	hv_time_t t;
	char a[32];

	(void)aux;
	if (!scn_get_time(ctx, f->key, value, false, &t))
		return;
	scn_format_time(t, a, sizeof(a));
	if (t && (t < C2_RATELIMIT_MIN || t > C2_RATELIMIT_MAX))
		scn_node_error(ctx, value,
			       "%s: %s is out of range, expected 0us (off) or "
			       "100us..500ms (Xen's XEN_SYSCTL_SCHED_RATELIMIT_"
			       "MIN..MAX)",
			       f->key, a);
	else if (t % HV_US(1))
		scn_node_error(ctx, value,
			       "%s: %s is not a whole number of microseconds; "
			       "Xen's ratelimit is sched_ratelimit_us",
			       f->key, a);
	else
		pool->ratelimit = t;
}

/* Xen's credit2_runqueue= values, in the order of enum scn_c2_runqueue. */
static const char *const c2_runqueue_names[] = {"cpu",	"core", "socket",
						"node", "all",	NULL};

const char *scn_c2_runqueue_name(enum scn_c2_runqueue rq)
{
	return (unsigned int)rq < ARRAY_SIZE(c2_runqueue_names) - 1
		   ? c2_runqueue_names[rq]
		   : "socket";
}

void scn_parse_c2_runqueue(struct scn_ctx *ctx, const struct scn_field *f,
			   yaml_node_t *value, void *obj, void *aux)
{
	struct scn_pool *pool = obj;
	int i;

	(void)aux;
	if (scn_get_choice(ctx, f->key, value, c2_runqueue_names, &i))
		pool->runqueue = (enum scn_c2_runqueue)i;
}

/*
 * xl.cfg cap=: percent of one pCPU for the whole domain, 0 = no cap. Xen
 * refuses more than 100 per unit (-EINVAL), so "vcpus" must come first.
 */
void scn_parse_c2_cap(struct scn_ctx *ctx, const struct scn_field *f,
		      yaml_node_t *value, void *obj, void *aux)
{
	struct scn_domain *d = obj;
	const char *v = scn_scalar(ctx, f->key, value, "an integer");
	char msg[SCN_MSG_MAX];
	int64_t cap;

	(void)aux;
	if (!v)
		return;
	if (!scn_parse_int(v, 0, 100 * (int64_t)d->nr_vcpus, &cap, msg,
			   sizeof(msg))) {
		scn_node_error(ctx, value,
			       "%s: %s (percent of one pCPU, at most 100 per "
			       "vCPU; 0 = no cap)",
			       f->key, msg);
		return;
	}
	d->cap = (unsigned int)cap;
}

static const struct scn_sched_key c2_pool_keys[] = {
    {"ratelimit", false},
    {"runqueue", false},
    {"max_cpus_runqueue", false},
    {NULL, false},
};

static const struct scn_sched_key c2_domain_keys[] = {
    {"weight", false},
    {"cap", false},
    {NULL, false},
};

/* ---- RTDS -------------------------------------------------------------- */

/* RTDS_DEFAULT_PERIOD / _BUDGET, and RTDS_MIN_PERIOD = RTDS_MIN_BUDGET. */
#define RTDS_DEFAULT_PERIOD HV_MS(10)
#define RTDS_DEFAULT_BUDGET HV_MS(4)
#define RTDS_MIN HV_US(10)
/* struct xen_domctl_sched_rtds carries uint32_t microseconds. */
#define RTDS_MAX HV_US(UINT32_MAX)

static void rtds_domain_defaults(struct scn_domain *d,
				 struct scn_domain_note *note)
{
	(void)d;
	note->rtds = true;
	note->rtds_dom.period = RTDS_DEFAULT_PERIOD;
	note->rtds_dom.budget = RTDS_DEFAULT_BUDGET;
	/* rt_alloc_udata() sets the extratime flag of every new unit. */
	note->rtds_dom.extratime = true;
}

/* A server period or budget: 10us..2^32-1us in whole microseconds. */
static bool get_rtds_time(struct scn_ctx *ctx, const char *key,
			  yaml_node_t *value, hv_time_t *out)
{
	bool period = !strcmp(key, "period");
	hv_time_t t;
	char a[32];

	if (!scn_get_time(ctx, key, value, false, &t))
		return false;
	scn_format_time(t, a, sizeof(a));
	if (t < RTDS_MIN) {
		scn_node_error(ctx, value,
			       "%s: %s is shorter than 10us, Xen's RTDS "
			       "minimum (RTDS_MIN_%s)",
			       key, a, period ? "PERIOD" : "BUDGET");
		return false;
	}
	if (t > RTDS_MAX) {
		scn_node_error(ctx, value,
			       "%s: %s is longer than 4294967295us, the most "
			       "Xen's RTDS interface (uint32 microseconds) "
			       "carries",
			       key, a);
		return false;
	}
	if (t % HV_US(1)) {
		scn_node_error(ctx, value,
			       "%s: %s is not a whole number of microseconds, "
			       "the unit of Xen's RTDS interface",
			       key, a);
		return false;
	}
	*out = t;
	return true;
}

/* The domain-wide period or budget (xl sched-rtds -d dom -p / -b). */
void scn_parse_rtds_time(struct scn_ctx *ctx, const struct scn_field *f,
			 yaml_node_t *value, void *obj, void *aux)
{
	struct scn_domain_note *note = aux;
	bool period = !strcmp(f->key, "period");

	(void)obj;
	if (!get_rtds_time(ctx, f->key, value,
			   period ? &note->rtds_dom.period
				  : &note->rtds_dom.budget)) {
		note->rtds_bad = true;
		return;
	}
	*(period ? &note->rtds_period_line : &note->rtds_budget_line) =
	    scn_line(value);
}

/* The domain-wide extratime flag (xl sched-rtds -v all -e). */
void scn_parse_rtds_extratime(struct scn_ctx *ctx, const struct scn_field *f,
			      yaml_node_t *value, void *obj, void *aux)
{
	struct scn_domain_note *note = aux;
	const char *v = scn_scalar(ctx, f->key, value, "true or false");
	char msg[SCN_MSG_MAX];

	(void)obj;
	if (v &&
	    !scn_parse_bool(v, &note->rtds_dom.extratime, msg, sizeof(msg)))
		scn_node_error(ctx, value, "%s: %s", f->key, msg);
}

/*
 * The domain-wide server must be valid on its own, as Xen checks a
 * domain-wide putinfo since 4.22 (before, only the per-vCPU path did); a
 * default may be what makes it wrong. Returns false when the per-vCPU
 * checks would only repeat the problem.
 */
static bool check_rtds_domain(struct scn_ctx *ctx, struct scn_domain_note *note)
{
	const struct scn_rtds_vcpu *rt = &note->rtds_dom;
	char p[32], b[32];

	if (note->rtds_checked)
		return !note->rtds_bad;
	note->rtds_checked = true;
	if (note->rtds_bad || rt->budget <= rt->period)
		return !note->rtds_bad;
	note->rtds_bad = true;
	scn_format_time(rt->period, p, sizeof(p));
	scn_format_time(rt->budget, b, sizeof(b));
	if (note->rtds_budget_line)
		scn_error(&ctx->diag, note->rtds_budget_line,
			  "budget: %s is longer than period %s%s", b, p,
			  note->rtds_period_line ? "" : " (the default)");
	else
		scn_error(&ctx->diag, note->rtds_period_line,
			  "period: %s is shorter than budget %s (the "
			  "default); give a budget too",
			  p, b);
	return false;
}

/* One vcpu_sched entry: a vCPU and its server, the domain's by default. */
struct rtds_item {
	unsigned int vcpu;
	struct scn_rtds_vcpu rt;
};

static void parse_item_time(struct scn_ctx *ctx, const struct scn_field *f,
			    yaml_node_t *value, void *obj, void *aux)
{
	(void)aux;
	get_rtds_time(ctx, f->key, value,
		      (hv_time_t *)((char *)obj + f->offset));
}

enum { VS_VCPU, VS_PERIOD, VS_BUDGET, VS_EXTRATIME, VS_NR };

static const struct scn_field vcpu_sched_fields[] = {
    [VS_VCPU] = RANGE("vcpu", SCN_K_UINT, struct rtds_item, vcpu, REQ, 0,
		      HV_MAX_VCPUS_PER_DOMAIN - 1),
    [VS_PERIOD] =
	CUSTOM_AT("period", parse_item_time, struct rtds_item, rt.period, 0),
    [VS_BUDGET] =
	CUSTOM_AT("budget", parse_item_time, struct rtds_item, rt.budget, 0),
    [VS_EXTRATIME] =
	FIELD("extratime", SCN_K_BOOL, struct rtds_item, rt.extratime, 0),
};
FITS(vcpu_sched_fields);

/* Apply one parsed entry; @seen holds the line of each vCPU's entry. */
static void apply_vcpu_item(struct scn_ctx *ctx, struct scn_domain *d,
			    const struct rtds_item *it, const int *lines,
			    bool check_budget, int *seen)
{
	const struct scn_rtds_vcpu *rt = &it->rt;
	char p[32], b[32];

	if (it->vcpu >= d->nr_vcpus) {
		scn_error(&ctx->diag, lines[VS_VCPU],
			  "vcpu_sched: vcpu %u does not exist; domain '%s' "
			  "has %u vCPU%s",
			  it->vcpu, d->name, d->nr_vcpus,
			  d->nr_vcpus == 1 ? "" : "s");
		return;
	}
	if (seen[it->vcpu]) {
		scn_error(&ctx->diag, lines[VS_VCPU],
			  "vcpu_sched: vcpu %u is already set at line %d; "
			  "give each vCPU at most once",
			  it->vcpu, seen[it->vcpu]);
		return;
	}
	seen[it->vcpu] = lines[VS_VCPU];
	d->rtds[it->vcpu] = *rt;
	/* An entry that changes neither inherits a server already checked. */
	if (!check_budget || (!lines[VS_PERIOD] && !lines[VS_BUDGET]) ||
	    rt->budget <= rt->period)
		return;
	scn_format_time(rt->period, p, sizeof(p));
	scn_format_time(rt->budget, b, sizeof(b));
	scn_error(&ctx->diag,
		  lines[VS_BUDGET] ? lines[VS_BUDGET] : lines[VS_PERIOD],
		  "vcpu_sched: vcpu %u: budget %s is longer than its period %s",
		  it->vcpu, b, p);
}

/*
 * vcpu_sched: per-vCPU servers (xl sched-rtds -v N -p -b -e), each
 * overriding the domain-wide values it names. The table lists it after
 * vcpus, period, budget and extratime, so all of those are known here.
 */
void scn_parse_rtds_vcpus(struct scn_ctx *ctx, const struct scn_field *f,
			  yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map =
	    MAP("vcpu_sched entry", vcpu_sched_fields);
	struct scn_domain *d = obj;
	struct scn_domain_note *note = aux;
	int seen[HV_MAX_VCPUS_PER_DOMAIN] = {0};
	int n = scn_list_length(ctx, f->key, value, 0, HV_MAX_VCPUS_PER_DOMAIN);
	bool check_budget = false;
	int lines[VS_NR];

	if (n < 0)
		return;
	/* Outside an rtds pool (an unknown one, already reported) only
	 * the entries' syntax is checked. */
	if (note->rtds) {
		check_budget = check_rtds_domain(ctx, note);
		d->rtds = scn_alloc(ctx, value, d->nr_vcpus, sizeof(*d->rtds));
		if (!d->rtds)
			return;
		for (unsigned int v = 0; v < d->nr_vcpus; v++)
			d->rtds[v] = note->rtds_dom;
	}
	for (int i = 0; i < n && !scn_stop(ctx); i++) {
		struct rtds_item it = {.vcpu = 0, .rt = note->rtds_dom};

		if (scn_walk(ctx, scn_list_item(ctx, value, i), &map, NULL, &it,
			     NULL, lines) &&
		    d->rtds)
			apply_vcpu_item(ctx, d, &it, lines, check_budget, seen);
	}
}

/* Every vCPU of an rtds domain gets a server, the domain's by default. */
static void rtds_finish_domain(struct scn_ctx *ctx, yaml_node_t *node,
			       struct scn_domain *d,
			       struct scn_domain_note *note)
{
	if (!check_rtds_domain(ctx, note) || d->rtds)
		return;
	d->rtds = scn_alloc(ctx, node, d->nr_vcpus, sizeof(*d->rtds));
	for (unsigned int v = 0; d->rtds && v < d->nr_vcpus; v++)
		d->rtds[v] = note->rtds_dom;
}

static const struct scn_sched_key rtds_domain_keys[] = {
    {"period", false},	   {"budget", false}, {"extratime", false},
    {"vcpu_sched", false}, {NULL, false},
};

/* ---- The table --------------------------------------------------------- */

static const struct scn_sched_key no_keys[] = {{NULL, false}};

static const struct scn_sched_key a653_pool_keys[] = {
    {"major_frame", true},
    {"schedule", true},
    {NULL, false},
};

/*
 * The known schedulers (Xen's sched= tokens) and the scheduler-specific
 * keys each accepts in its cpupool and in that pool's domains. Adding one
 * is one entry here; its keys, if any, go into pool_fields[] or
 * domain_fields[] (scenario_fields.c) flagged SCN_F_SCHED, with the
 * struct members they fill; its defaults and the rules that span its keys
 * into the hooks.
 */
static const struct scn_sched_desc scn_schedulers[] = {
    {.name = "null", .pool_keys = no_keys, .domain_keys = no_keys},
    {
	.name = "arinc653",
	.pool_keys = a653_pool_keys,
	.domain_keys = no_keys,
	.check_pool = scn_check_a653_pool,
    },
    {
	.name = "credit2",
	.pool_keys = c2_pool_keys,
	.domain_keys = c2_domain_keys,
	.pool_defaults = c2_pool_defaults,
	.domain_defaults = c2_domain_defaults,
    },
    {
	.name = "rtds",
	.pool_keys = no_keys,
	.domain_keys = rtds_domain_keys,
	.domain_defaults = rtds_domain_defaults,
	.finish_domain = rtds_finish_domain,
    },
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
