/*
 * A parsed, validated scenario: the one input that drives both backends.
 *
 * The parser (scenario_load) turns a YAML file into this plain, read-only
 * description. Everything here has already been checked: indices are in
 * range, times are positive where they must be, pinning lies inside the
 * pool, ARINC653 tables fit their major frame. Consumers never re-validate.
 * The format is documented in docs/scenario.md.
 */
#ifndef HV_SCENARIO_H
#define HV_SCENARIO_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <hv/types.h>

/* An execution-time (or handler-time) distribution. */
enum scn_dist_kind {
	SCN_DIST_CONST, /* always .min (== .max) */
	SCN_DIST_UNIFORM, /* uniform in [.min, .max] */
	SCN_DIST_NORMAL, /* normal(.mean, .stddev) clamped to [.min, .max] */
};

struct scn_dist {
	enum scn_dist_kind kind;
	hv_time_t min, max; /* always set; .max is the WCET for analysis */
	hv_time_t mean, stddev; /* SCN_DIST_NORMAL only */
};

/* A task run by the domain's fixed-priority preemptive guest scheduler. */
struct scn_task {
	char name[HV_NAME_MAX];
	unsigned int vcpu; /* vCPU index inside the domain */
	bool sporadic; /* false: periodic */
	hv_time_t period; /* periodic: period; sporadic: min inter-arrival */
	hv_time_t max_interarrival; /* sporadic only: arrivals uniform in
				       [period, max_interarrival] */
	hv_time_t offset; /* first release */
	hv_time_t deadline; /* relative; defaults to period */
	int priority; /* larger = more urgent; unique per vCPU */
	struct scn_dist exec;
	int line; /* where it was written, for later messages */
};

/* An interrupt source routed to one vCPU of the domain. */
struct scn_irq {
	char name[HV_NAME_MAX];
	unsigned int vcpu;
	bool sporadic; /* false: periodic with release jitter */
	hv_time_t period; /* periodic: period; sporadic: min inter-arrival */
	hv_time_t jitter; /* periodic: raise uniformly in [k*period+offset,
			     +jitter]; sporadic: extra gap uniform in
			     [0, jitter] */
	hv_time_t offset;
	struct scn_dist handler; /* handler execution time */
	int line;
};

/* A CPU hog: always-runnable work at the lowest guest priority. */
struct scn_hog {
	unsigned int vcpu;
	int line;
};

/* RTDS server parameters of one vCPU (xl sched-rtds -v N -p -b -e). */
struct scn_rtds_vcpu {
	hv_time_t period; /* default 10ms, >= 10us */
	hv_time_t budget; /* default 4ms, >= 10us, <= period */
	bool extratime; /* default true, as Xen sets it for new units */
};

/*
 * The guest image a domain runs under "hvlab run --backend qemu"
 * (bench/guests/). The values are those of enum guest_kind in
 * <hv/guest_abi.h>. The sim ignores the guest: it runs the workload.
 */
enum scn_guest_image {
	SCN_GUEST_NONE = 0, /* no "guest:" key */
	SCN_GUEST_IRQLAT = 1, /* virtual-timer interrupt latency */
	SCN_GUEST_HOG = 2, /* busy loop, optionally a stray write */
	SCN_GUEST_TASKS = 3, /* the domain's periodic tasks, fixed priority */
	SCN_GUEST_PROBE = 4, /* makes bad hypercalls, checks each refusal */
};

struct scn_guest {
	enum scn_guest_image image;
	/* irqlat: samples to take (default 1000); tasks: jobs of the
	 * lowest-priority task (default: all whose deadline falls inside
	 * the duration); 0 for hog */
	unsigned int samples;
	hv_time_t delta_min, delta_max; /* irqlat: timer delay, uniform;
					   default 20us-100us */
	uint64_t memory; /* guest RAM in bytes, a multiple of 2 MiB;
			    default 16 MiB */
	bool wfi_native; /* "wfi: native" (Xen's vwfi=native); default trap */
	bool direct_irq; /* physical IRQs straight to the guest: null pool,
			    the domain's vCPU alone on its pCPU */
	hv_time_t fault_after; /* hog: stray write after this long; 0 never */
	int line; /* of the "guest:" key; 0 when there is none */
};

struct scn_domain {
	char name[HV_NAME_MAX];
	unsigned int domid; /* index + 1; 0 is reserved for the control
			       domain in Xen and never used here */
	unsigned int pool; /* index into scenario.pools */
	unsigned int nr_vcpus;
	/* Hard affinity per vCPU (xl.cfg "cpus="), already intersected with
	 * nothing: the parser guarantees each mask is a non-empty subset of the
	 * pool's CPUs. Without "cpus=" every vCPU gets the pool's CPUs. */
	struct cpumask *hard_affinity; /* [nr_vcpus] */
	struct scn_task *tasks;
	unsigned int nr_tasks;
	struct scn_irq *irqs;
	unsigned int nr_irqs;
	struct scn_hog *hogs;
	unsigned int nr_hogs;
	/* The guest's own scheduler: "fp" (fixed priority, the default) or
	 * "edf" (earliest absolute deadline first); interrupt handlers run
	 * above tasks either way. */
	char guest_scheduler[8];
	/* credit2 (xl.cfg cpu_weight= / cap=): weight 1..65535, default 256;
	 * cap in percent of one pCPU, 0 = none, at most 100 * vcpus */
	unsigned int weight;
	unsigned int cap;
	/* rtds: per vCPU, domain-wide values with per-vCPU overrides applied;
	 * always [nr_vcpus] when the pool runs rtds, NULL otherwise */
	struct scn_rtds_vcpu *rtds;
	struct scn_guest guest; /* .image SCN_GUEST_NONE: none */
	int line;
};

/* One ARINC653 minor frame (window). */
struct scn_a653_entry {
	unsigned int domain; /* index into scenario.domains */
	unsigned int vcpu;
	hv_time_t runtime;
	int line;
};

/* credit2 runqueue arrangement; the order matches enum credit2_runqueue */
enum scn_c2_runqueue {
	SCN_C2RQ_CPU,
	SCN_C2RQ_CORE,
	SCN_C2RQ_SOCKET,
	SCN_C2RQ_NODE,
	SCN_C2RQ_ALL,
};

/* The scenario's (and Xen's credit2_runqueue=) name of @rq. */
const char *scn_c2_runqueue_name(enum scn_c2_runqueue rq);

/* @t as the largest unit that divides it exactly ("5ms", "2500us",
 * "7ns"), so the text parses back. */
void scn_format_time(hv_time_t t, char *buf, size_t len);

struct scn_pool {
	char name[HV_NAME_MAX];
	char sched[HV_NAME_MAX]; /* Xen's sched= token: null, arinc653, ... */
	struct cpumask cpus;
	/* credit2 only */
	hv_time_t ratelimit; /* default 1ms; 0 = off; else 100us..500ms */
	enum scn_c2_runqueue runqueue; /* default socket */
	unsigned int max_cpus_runqueue; /* default 16, 1..128 */
	/* arinc653 only */
	hv_time_t major_frame;
	struct scn_a653_entry *a653;
	unsigned int nr_a653;
	int line;
};

/* The hypervisor cost model (sim backend). Each field is a duration. */
struct scn_costs {
	hv_time_t trap_entry; /* exception entry into EL2 */
	hv_time_t trap_exit; /* eret back to the guest */
	hv_time_t ctx_switch; /* save one vCPU's state, restore another's */
	hv_time_t sched_invoke; /* one run of the scheduling path */
	hv_time_t virq_inject; /* route a pIRQ and program a list register */
	hv_time_t ipi; /* SGI from send to arrival on the target */
};

/*
 * The QEMU machine of "hvlab run --backend qemu" (machine.qemu); the sim
 * ignores it. Every member is set, defaults included.
 */
struct scn_qemu {
	char cpu[16]; /* -cpu: "max" (default) or "cortex-a53" */
	uint64_t memory; /* -m, bytes: >= 1 GiB (default), whole MiB */
	hv_time_t timeout; /* host wall-clock limit of the whole run;
			      default 60s + 10 x pcpus x duration */
	char build[8]; /* "debug" (default: assertions checked) or
			  "release" (NDEBUG, as distributions build Xen):
			  which hypervisor image runs */
	char trace[8]; /* "all" (default) or "guest": which records the
			  hypervisor writes (docs/arm64.md, "Tracing") */
	uint64_t trace_ring; /* trace ring bytes per pCPU, 0 = no trace;
				default 16 MiB, less when pcpus x 16 MiB
				exceeds SCN_QEMU_TRACE_TOTAL */
};

/*
 * What the arm64 hypervisor keeps for all its trace rings together: its
 * heap ends at 0x47e00000, 124 MiB above its load address, and the rest
 * holds the image, stacks and tables.
 */
#define SCN_QEMU_TRACE_TOTAL (UINT64_C(96) << 20)
#define SCN_QEMU_TRACE_DEFAULT (UINT64_C(16) << 20) /* per pCPU */

struct scn_machine {
	unsigned int pcpus;
	/* topology: pCPU n is thread n % tpc of core n / tpc; cores are
	 * grouped into sockets of cores_per_socket (defaults 1 and all) */
	unsigned int threads_per_core;
	unsigned int cores_per_socket;
	uint64_t l2_size; /* bytes */
	unsigned int l2_ways;
	unsigned int l2_line; /* bytes */
	struct scn_costs costs;
	struct scn_qemu qemu;
};

/* What a budget checks (budget files in expression syntax, docs/gate.md). */
enum scn_budget_kind {
	SCN_BUDGET_LIMIT, /* metric.stat <= max: every YAML budget */
	SCN_BUDGET_WCRT, /* "wcrt.bound >= observed": every task and irq */
};

/* A latency budget, checked by "hvlab gate" (analysis/gate.h). */
struct scn_budget {
	char metric[HV_NAME_MAX]; /* irq_latency, irq_response,
				     task_response or sched_latency */
	char stat[8]; /* min, mean, p50, p90, p99, p99.9, p99.99, max */
	int domain; /* index, or -1 for all */
	char task[HV_NAME_MAX]; /* empty when not per task */
	hv_time_t max;
	int line;
	enum scn_budget_kind kind; /* SCN_BUDGET_WCRT: the fields above are
				      unused but for .line */
};

/*
 * One domain's scheduler parameters in a variant (see struct scn_variant):
 * credit2 weight and cap, or an RTDS server per vCPU; defaults applied.
 */
struct scn_variant_domain {
	unsigned int weight, cap; /* credit2 */
	struct scn_rtds_vcpu *rtds; /* rtds: [nr_vcpus], else NULL */
	int line; /* 0: the variant does not name this domain */
};

/*
 * A per-scheduler section ("variants:" in the file): what every cpupool
 * and domain needs when the whole machine is switched to @sched, as
 * "hvlab compare" does. Only the pools and domains the section names are
 * set (their .line is not 0), each complete: keys left out hold the
 * scheduler's defaults. scenario_for_scheduler() fills in the others.
 */
struct scn_variant {
	char sched[HV_NAME_MAX];
	/* [scenario.nr_pools]: name and cpus as the scenario's, sched set,
	 * then that scheduler's pool keys (ARINC653 windows resolved) */
	struct scn_pool *pools;
	struct scn_variant_domain *domains; /* [scenario.nr_domains] */
	int line;
};

struct scenario {
	char path[256]; /* as given to scenario_load */
	char name[HV_NAME_MAX];
	hv_time_t duration;
	uint64_t seed;
	uint64_t hash; /* FNV-1a of the file's bytes: identifies the input */
	struct scn_machine machine;
	struct scn_pool *pools;
	unsigned int nr_pools;
	struct scn_domain *domains;
	unsigned int nr_domains;
	struct scn_budget *budgets;
	unsigned int nr_budgets;
	struct scn_variant *variants; /* in file order, one per scheduler */
	unsigned int nr_variants;
};

/* The documented default cost model, also used when "costs:" is absent. */
void scenario_default_costs(struct scn_costs *costs);

/*
 * Parse and validate @path. On success returns 0 and *@out owns a scenario
 * to be released with scenario_free(). On failure returns -EINVAL (bad
 * content) or -errno (cannot read), writes one "path:line: message" line per
 * problem to @err (stderr when NULL), and leaves *@out NULL.
 */
int scenario_load(const char *path, FILE *err, struct scenario **out);

/* Same, from a memory buffer; @name is used in messages. */
int scenario_load_buffer(const char *name, const char *text, size_t len,
			 FILE *err, struct scenario **out);

void scenario_free(struct scenario *s);

/* Does @d's guest schedule its tasks by EDF (else fixed priority)? */
static inline bool scn_domain_edf(const struct scn_domain *d)
{
	return !strcmp(d->guest_scheduler, "edf");
}

/* Index of the domain named @name, or -1. */
int scenario_find_domain(const struct scenario *s, const char *name);

/* True when @name is a scheduler the format knows (Xen's sched= token). */
bool scenario_sched_known(const char *name);

/* The variant for scheduler @sched, or NULL when the file has none. */
const struct scn_variant *scenario_variant(const struct scenario *s,
					   const char *sched);

/*
 * scenario_for_scheduler() - @base with every cpupool running @sched.
 * Each pool and domain takes its parameters from base's variants.@sched
 * section when it is named there; otherwise it keeps its own when its
 * pool already runs @sched, and gets the scheduler's defaults when not.
 * An arinc653 pool left without a window table is an error. The result
 * is built by writing the variant (scenario_write()) and loading that
 * text, so it is exactly what the written file gives; it has no
 * variants of its own.
 *
 * Return: 0 and *@out (scenario_free()); -EINVAL after one line per
 * problem on @err (stderr when NULL), "path:line: ..." where a line
 * applies; -ENOMEM.
 */
int scenario_for_scheduler(const struct scenario *base, const char *sched,
			   FILE *err, struct scenario **out);

/*
 * scenario_write() - @s as a scenario file that loads back to the same
 * scenario: every value explicit, defaults included, no variants. The
 * text depends on @s only, so writing what it loads gives it back byte
 * for byte. Return: 0, or -EIO when writing to @out failed.
 */
int scenario_write(const struct scenario *s, FILE *out);

/*
 * A budget file (docs/gate.md): a YAML mapping whose one key, "budgets",
 * holds a list of budgets in the scenario's syntax; or, when its first
 * line that is not blank or a comment does not start with "budgets:",
 * one budget expression per line ("rt.irq_latency.p99 <= 20us",
 * "wcrt.bound >= observed").
 */
struct scn_budget_set {
	char path[256];
	struct scn_budget *budgets;
	unsigned int nr_budgets;
};

/*
 * budgets_load() - parse the budget file @path and check its domain and
 * task names against @s. Return: 0 and *@out (budgets_free()); -EINVAL
 * after one "path:line: ..." line per problem on @err (stderr when NULL);
 * -errno when the file cannot be read ("path: cannot read: ...").
 */
int budgets_load(const char *path, const struct scenario *s, FILE *err,
		 struct scn_budget_set **out);

/* Same, from a memory buffer; @name is used in messages. */
int budgets_load_buffer(const char *name, const char *text, size_t len,
			const struct scenario *s, FILE *err,
			struct scn_budget_set **out);

void budgets_free(struct scn_budget_set *set);

#endif /* HV_SCENARIO_H */
