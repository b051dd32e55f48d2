/*
 * The keys only "hvlab run --backend qemu" reads: a domain's "guest"
 * mapping (which image of bench/guests/ runs in it, with what
 * parameters) and "machine.qemu" (the QEMU machine). The sim ignores
 * both; they are checked all the same, so a scenario is valid or not
 * whatever the backend. The format is documented for users in
 * docs/scenario.md, "guest" and "machine.qemu"; keep the two in step.
 *
 * What the qemu backend cannot do at all (more pCPUs or domains than the
 * hypervisor takes, guests that do not fit in RAM) is its own business
 * (qemu/qemu_dt.c): those limits belong to one backend, not the format.
 */
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include <hv/guest_abi.h>

#include "scenario/private.h"

#define GUEST_DEFAULT_SAMPLES 1000
#define GUEST_MAX_SAMPLES 1000000000
#define GUEST_DEFAULT_DELTA_MIN HV_US(20)
#define GUEST_DEFAULT_DELTA_MAX HV_US(100)
#define GUEST_DEFAULT_MEMORY (UINT64_C(16) << 20)
/* Guest RAM is mapped with 2 MiB stage-2 blocks. */
#define GUEST_MEMORY_ALIGN (UINT64_C(2) << 20)

#define QEMU_MIN_MEMORY (UINT64_C(1) << 30)
/* QEMU virt's RAM limit without highmem tricks (LEGACY_RAMLIMIT_GB). */
#define QEMU_MAX_MEMORY (UINT64_C(255) << 30)
/*
 * The default wall-clock limit: a minute for QEMU to start and stop,
 * plus 10 s per second of duration and pCPU. With -icount, QEMU runs
 * the pCPUs one after another, each at a fraction of real time.
 */
#define QEMU_TIMEOUT_BASE HV_S(60)
#define QEMU_TIMEOUT_FACTOR 10
#define QEMU_TRACE_ALIGN UINT64_C(4096)

/* ---- A domain's guest -------------------------------------------------- */

/* The scenario's images are the guest ABI's kinds, numbered alike. */
_Static_assert((int)SCN_GUEST_IRQLAT == GUEST_IRQLAT &&
		   (int)SCN_GUEST_HOG == GUEST_HOG &&
		   (int)SCN_GUEST_TASKS == GUEST_TASKS &&
		   (int)SCN_GUEST_PROBE == GUEST_PROBE,
	       "scenario images are guest kinds");

static void parse_guest_image(struct scn_ctx *ctx, const struct scn_field *f,
			      yaml_node_t *value, void *obj, void *aux)
{
	/* guest_abi.h's kinds, in order from 1: enum scn_guest_image */
	const char *images[8];
	struct scn_guest *g = obj;
	unsigned int n = 0;
	int i;

	(void)aux;
	while (n + 1 < 8 && guest_kind_name(n + 1)) {
		images[n] = guest_kind_name(n + 1);
		n++;
	}
	images[n] = NULL;
	if (scn_get_choice(ctx, f->key, value, images, &i))
		g->image = (enum scn_guest_image)(i + 1);
}

/* "20us-100us": a uniform range, or one time for a fixed delay. */
static void parse_guest_delta(struct scn_ctx *ctx, const struct scn_field *f,
			      yaml_node_t *value, void *obj, void *aux)
{
	const char *v = scn_scalar(ctx, f->key, value,
				   "a time range such "
				   "as 20us-100us");
	struct scn_guest *g = obj;
	char text[64], msg[SCN_MSG_MAX], a[32], b[32];
	const char *dash;
	hv_time_t lo, hi;

	(void)aux;
	if (!v)
		return;
	dash = strchr(v, '-');
	if (!dash || dash == v) {
		/* No range (a leading '-' is a negative time). */
		if (!scn_get_time(ctx, f->key, value, true, &lo))
			return;
		g->delta_min = g->delta_max = lo;
		return;
	}
	if ((size_t)(dash - v) >= sizeof(text) || strchr(dash + 1, '-')) {
		scn_quote(v, a, sizeof(a));
		scn_node_error(ctx, value,
			       "%s: %s is not a time range; expected MIN-MAX "
			       "such as 20us-100us",
			       f->key, a);
		return;
	}
	memcpy(text, v, (size_t)(dash - v));
	text[dash - v] = '\0';
	if (!scn_parse_time(text, &lo, msg, sizeof(msg)) ||
	    !scn_parse_time(dash + 1, &hi, msg, sizeof(msg))) {
		scn_node_error(ctx, value, "%s: %s", f->key, msg);
		return;
	}
	scn_format_time(lo, a, sizeof(a));
	scn_format_time(hi, b, sizeof(b));
	if (!lo)
		scn_node_error(ctx, value, "%s: expected a delay > 0, got %s",
			       f->key, a);
	else if (lo > hi)
		scn_node_error(ctx, value, "%s: min %s is larger than max %s",
			       f->key, a, b);
	else {
		g->delta_min = lo;
		g->delta_max = hi;
	}
}

static void parse_guest_wfi(struct scn_ctx *ctx, const struct scn_field *f,
			    yaml_node_t *value, void *obj, void *aux)
{
	static const char *const modes[] = {"trap", "native", NULL};
	struct scn_guest *g = obj;
	int i;

	(void)aux;
	if (scn_get_choice(ctx, f->key, value, modes, &i))
		g->wfi_native = i == 1;
}

enum {
	G_IMAGE,
	G_SAMPLES,
	G_DELTA,
	G_MEMORY,
	G_WFI,
	G_DIRECT_IRQ,
	G_FAULT_AFTER,
	G_NR
};

static const struct scn_field guest_fields[] = {
    [G_IMAGE] = CUSTOM("image", parse_guest_image, REQ),
    [G_SAMPLES] = RANGE("samples", SCN_K_UINT, struct scn_guest, samples, 0, 1,
			GUEST_MAX_SAMPLES),
    [G_DELTA] = CUSTOM("delta", parse_guest_delta, 0),
    [G_MEMORY] = FIELD("memory", SCN_K_SIZE, struct scn_guest, memory, 0),
    [G_WFI] = CUSTOM("wfi", parse_guest_wfi, 0),
    [G_DIRECT_IRQ] =
	FIELD("direct_irq", SCN_K_BOOL, struct scn_guest, direct_irq, 0),
    [G_FAULT_AFTER] =
	FIELD("fault_after", SCN_K_TIME, struct scn_guest, fault_after, 0),
};
FITS(guest_fields);

static const char *image_name(enum scn_guest_image image)
{
	const char *name = guest_kind_name(image);

	return name ? name : "none";
}

/* A key that only some images take; false after reporting it. */
static bool key_applies(struct scn_ctx *ctx, const struct scn_guest *g,
			int line, const char *key, bool applies,
			const char *images)
{
	if (!line || applies)
		return true;
	scn_error(&ctx->diag, line,
		  "%s: only applies to image: %s; this guest is image: %s", key,
		  images, image_name(g->image));
	return false;
}

void scn_parse_guest(struct scn_ctx *ctx, const struct scn_field *f,
		     yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("guest", guest_fields);
	struct scn_domain *d = obj;
	struct scn_domain_note *note = aux;
	struct scn_guest *g = &d->guest;
	int lines[G_NR];
	char size[32];

	(void)f; /* g->line is the "guest" key's, set by the domain's walk */
	g->memory = GUEST_DEFAULT_MEMORY;
	g->delta_min = GUEST_DEFAULT_DELTA_MIN;
	g->delta_max = GUEST_DEFAULT_DELTA_MAX;
	if (!scn_walk(ctx, value, &map, NULL, g, NULL, lines))
		return;
	note->guest = (struct scn_guest_note){
	    .samples_line = lines[G_SAMPLES],
	    .direct_irq_line = lines[G_DIRECT_IRQ],
	};
	key_applies(ctx, g, lines[G_SAMPLES], "samples",
		    g->image == SCN_GUEST_IRQLAT || g->image == SCN_GUEST_TASKS,
		    "irqlat or tasks");
	key_applies(ctx, g, lines[G_DELTA], "delta",
		    g->image == SCN_GUEST_IRQLAT, "irqlat");
	key_applies(ctx, g, lines[G_FAULT_AFTER], "fault_after",
		    g->image == SCN_GUEST_HOG, "hog");
	scn_format_size(g->memory, size, sizeof(size));
	if (!g->memory || g->memory % GUEST_MEMORY_ALIGN)
		scn_error(&ctx->diag, lines[G_MEMORY],
			  "memory: %s is not a whole number of 2MiB blocks; "
			  "expected e.g. 16MiB",
			  size);
	if (g->image == SCN_GUEST_IRQLAT && !lines[G_SAMPLES])
		g->samples = GUEST_DEFAULT_SAMPLES;
	/* The tasks guest's default needs its tasks: scn_check_guest(). */
}

/* ---- Checks that need the whole scenario ------------------------------- */

static void check_direct_irq(const struct scenario *s, unsigned int i, int line,
			     struct scn_diag *diag)
{
	const struct scn_domain *d = &s->domains[i];
	const struct scn_pool *pool = &s->pools[d->pool];
	char cpus[64];
	unsigned int cpu;

	if (strcmp(pool->sched, "null")) {
		scn_error(diag, line,
			  "direct_irq: needs a null cpupool, and domain '%s' "
			  "is in '%s', which runs %s",
			  d->name, pool->name, pool->sched);
		return;
	}
	if (cpumask_weight(&d->hard_affinity[0]) != 1) {
		scn_format_cpus(&d->hard_affinity[0], cpus, sizeof(cpus));
		scn_error(diag, line,
			  "direct_irq: domain '%s' must be pinned to one pCPU "
			  "(e.g. cpus: %u); its vCPU may run on cpus %s",
			  d->name, cpumask_first(&d->hard_affinity[0]), cpus);
		return;
	}
	cpu = cpumask_first(&d->hard_affinity[0]);
	for (unsigned int j = 0; j < s->nr_domains; j++) {
		const struct scn_domain *o = &s->domains[j];

		for (unsigned int v = 0; j != i && v < o->nr_vcpus; v++) {
			if (!cpumask_test(&o->hard_affinity[v], cpu))
				continue;
			scn_error(diag, line,
				  "direct_irq: pCPU %u is not domain '%s''s "
				  "alone: vcpu %u of domain '%s' (line %d) may "
				  "run there too",
				  cpu, d->name, v, o->name, o->line);
			return;
		}
	}
}

/* The lowest-priority task: the one whose jobs "samples" counts. */
static const struct scn_task *lowest_task(const struct scn_domain *d)
{
	const struct scn_task *low = &d->tasks[0];

	for (unsigned int i = 1; i < d->nr_tasks; i++)
		if (d->tasks[i].priority < low->priority)
			low = &d->tasks[i];
	return low;
}

/*
 * The tasks guest runs the domain's tasks at fixed priority, periodic
 * only, each job for its distribution's maximum. "samples" counts jobs
 * of the lowest-priority task; by default every job whose deadline falls
 * inside the duration, and no more than that when given.
 */
static void check_tasks_guest(const struct scenario *s, struct scn_domain *d,
			      const struct scn_guest_note *note,
			      struct scn_diag *diag)
{
	struct scn_guest *g = &d->guest;
	const struct scn_task *low;
	char a[32], b[32], c[32];
	hv_time_t first, fit;
	bool ok = true;

	if (!d->nr_tasks) {
		scn_error(diag, g->line,
			  "guest: image tasks runs the domain's "
			  "workload.tasks, and domain '%s' has none",
			  d->name);
		return;
	}
	if (d->nr_tasks > GUEST_MAX_TASKS) {
		scn_error(diag, g->line,
			  "guest: the tasks guest runs at most %u tasks; "
			  "domain '%s' has %u",
			  GUEST_MAX_TASKS, d->name, d->nr_tasks);
		ok = false;
	}
	if (scn_domain_edf(d)) {
		scn_error(diag, g->line,
			  "guest: the tasks guest schedules by fixed priority; "
			  "domain '%s' asks for guest_scheduler: edf",
			  d->name);
		ok = false;
	}
	for (unsigned int i = 0; i < d->nr_tasks; i++) {
		const struct scn_task *t = &d->tasks[i];

		if (t->sporadic) {
			scn_error(diag, t->line,
				  "task '%s': the tasks guest runs periodic "
				  "tasks only; give it a period instead of "
				  "sporadic",
				  t->name);
			ok = false;
		} else if (t->priority < 0) {
			/* The guest ABI's priority is a uint32_t. */
			scn_error(diag, t->line,
				  "task '%s': priority %d; the tasks guest "
				  "takes priorities from 0 up",
				  t->name, t->priority);
			ok = false;
		}
	}
	if (!ok)
		return;
	low = lowest_task(d);
	first = low->offset + low->deadline; /* both below 2^62 in practice */
	scn_format_time(s->duration, b, sizeof(b));
	if (first < low->offset || first > s->duration) {
		scn_format_time(first < low->offset ? INT64_MAX : first, a,
				sizeof(a));
		scn_error(diag, g->line,
			  "guest: the first job of task '%s' (the lowest "
			  "priority) has its deadline at %s, after duration "
			  "%s",
			  low->name, a, b);
		return;
	}
	fit = (s->duration - first) / low->period + 1;
	if (!g->samples) {
		g->samples = fit > GUEST_MAX_SAMPLES ? GUEST_MAX_SAMPLES
						     : (unsigned int)fit;
		return;
	}
	if ((hv_time_t)g->samples <= fit)
		return;
	scn_format_time(low->period, c, sizeof(c));
	scn_error(diag, note->samples_line,
		  "samples: %u jobs of task '%s' (the lowest priority, period "
		  "%s) do not fit in duration %s; at most %lld have their "
		  "deadline inside it",
		  g->samples, low->name, c, b, (long long)fit);
}

static void check_irqlat_guest(const struct scenario *s,
			       const struct scn_domain *d,
			       const struct scn_guest_note *note,
			       struct scn_diag *diag)
{
	const struct scn_guest *g = &d->guest;
	char a[32], b[32], c[32];
	hv_time_t total;

	if (!__builtin_mul_overflow((hv_time_t)g->samples, g->delta_max,
				    &total) &&
	    total <= s->duration)
		return;
	if (total < 0 || total < g->delta_max)
		total = INT64_MAX;
	scn_format_time(g->delta_max, a, sizeof(a));
	scn_format_time(total, b, sizeof(b));
	scn_format_time(s->duration, c, sizeof(c));
	scn_error(diag, note->samples_line ? note->samples_line : g->line,
		  "samples: %u samples of up to %s each take up to %s, longer "
		  "than duration %s; take fewer or shorten delta",
		  g->samples, a, b, c);
}

void scn_check_guest(struct scenario *s, unsigned int domain,
		     const struct scn_domain_note *note, struct scn_diag *diag)
{
	struct scn_domain *d = &s->domains[domain];
	const struct scn_guest *g = &d->guest;

	if (g->image == SCN_GUEST_NONE)
		return;
	if (d->nr_vcpus != 1) {
		scn_error(diag, g->line,
			  "guest: a guest image runs on one vCPU, and domain "
			  "'%s' has %u; set vcpus: 1",
			  d->name, d->nr_vcpus);
		return;
	}
	if (g->direct_irq)
		check_direct_irq(s, domain, note->guest.direct_irq_line, diag);
	if (g->image == SCN_GUEST_TASKS)
		check_tasks_guest(s, d, &note->guest, diag);
	else if (g->image == SCN_GUEST_IRQLAT)
		check_irqlat_guest(s, d, &note->guest, diag);
}

/* ---- machine.qemu ------------------------------------------------------ */

void scn_qemu_defaults(struct scenario *s)
{
	struct scn_qemu *q = &s->machine.qemu;
	unsigned int pcpus = s->machine.pcpus ? s->machine.pcpus : 1;

	memcpy(q->cpu, "max", sizeof("max"));
	memcpy(q->trace, "all", sizeof("all"));
	memcpy(q->build, "debug", sizeof("debug"));
	q->memory = QEMU_MIN_MEMORY;
	/* duration is checked (<= 1 hour) after the machine is parsed */
	if (__builtin_mul_overflow(s->duration,
				   (hv_time_t)QEMU_TIMEOUT_FACTOR * pcpus,
				   &q->timeout) ||
	    __builtin_add_overflow(q->timeout, QEMU_TIMEOUT_BASE, &q->timeout))
		q->timeout = INT64_MAX;
	q->trace_ring =
	    SCN_QEMU_TRACE_TOTAL / pcpus / QEMU_TRACE_ALIGN * QEMU_TRACE_ALIGN;
	if (q->trace_ring > SCN_QEMU_TRACE_DEFAULT)
		q->trace_ring = SCN_QEMU_TRACE_DEFAULT;
}

static const char *const qemu_cpus[] = {"max", "cortex-a53", NULL};
static const char *const qemu_traces[] = {"all", "guest", NULL};
static const char *const qemu_builds[] = {"debug", "release", NULL};

enum { Q_CPU, Q_MEMORY, Q_TIMEOUT, Q_TRACE_RING, Q_TRACE, Q_BUILD, Q_NR };

static const struct scn_field qemu_fields[] = {
    [Q_CPU] = CHOICE("cpu", qemu_cpus, struct scn_qemu, cpu, 0),
    [Q_MEMORY] = FIELD("memory", SCN_K_SIZE, struct scn_qemu, memory, 0),
    [Q_TIMEOUT] = FIELD("timeout", SCN_K_TIME_POS, struct scn_qemu, timeout, 0),
    [Q_TRACE_RING] =
	FIELD("trace_ring", SCN_K_SIZE, struct scn_qemu, trace_ring, 0),
    [Q_TRACE] = CHOICE("trace", qemu_traces, struct scn_qemu, trace, 0),
    [Q_BUILD] = CHOICE("build", qemu_builds, struct scn_qemu, build, 0),
};
FITS(qemu_fields);

static void check_trace_ring(struct scn_ctx *ctx, const struct scn_machine *m,
			     int line)
{
	uint64_t ring = m->qemu.trace_ring;
	char a[32], b[32];

	scn_format_size(ring, a, sizeof(a));
	scn_format_size(SCN_QEMU_TRACE_TOTAL, b, sizeof(b));
	if (ring % QEMU_TRACE_ALIGN)
		scn_error(&ctx->diag, line,
			  "trace_ring: %s is not a whole number of 4KiB "
			  "pages; expected e.g. 16MiB, or 0B for no trace",
			  a);
	else if (m->pcpus && ring > SCN_QEMU_TRACE_TOTAL / m->pcpus)
		scn_error(&ctx->diag, line,
			  "trace_ring: %u pCPUs x %s is more than the %s the "
			  "hypervisor keeps for trace rings; expected at most "
			  "%" PRIu64 "KiB per pCPU",
			  m->pcpus, a, b,
			  SCN_QEMU_TRACE_TOTAL / m->pcpus / 1024);
}

void scn_parse_qemu(struct scn_ctx *ctx, const struct scn_field *f,
		    yaml_node_t *value, void *obj, void *aux)
{
	static const struct scn_map map = MAP("qemu", qemu_fields);
	struct scn_machine *m = obj;
	struct scn_qemu *q = &m->qemu;
	int lines[Q_NR];
	char a[32];

	(void)f;
	(void)aux;
	scn_qemu_defaults(ctx->s);
	if (!scn_walk(ctx, value, &map, NULL, q, NULL, lines))
		return;
	scn_format_size(q->memory, a, sizeof(a));
	if (q->memory < QEMU_MIN_MEMORY || q->memory > QEMU_MAX_MEMORY ||
	    q->memory % (UINT64_C(1) << 20))
		scn_error(&ctx->diag, lines[Q_MEMORY],
			  "memory: %s is out of range; expected a whole number "
			  "of MiB from 1GiB to 255GiB (QEMU virt's RAM)",
			  a);
	if (lines[Q_TRACE_RING])
		check_trace_ring(ctx, m, lines[Q_TRACE_RING]);
}
