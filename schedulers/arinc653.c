/*
 * ARINC 653 scheduler: a fixed, cyclic table of partition windows.
 *
 * Design: each pool holds one table (Xen's arinc653.c): a major frame and
 * up to 64 windows {domain, vCPU, runtime} run back to back from each
 * major-frame boundary; time after the last window idles. The window's
 * vCPU runs only if it is runnable and lives on this pCPU; otherwise the
 * pCPU idles for the rest of the window: slack is never lent to another
 * partition (strict temporal isolation).
 *
 * Time keeping differs from Xen on purpose. Xen advances an index and a
 * "next switch" time per call; we compute the frame number as
 * (now - epoch) / major_frame and find the window by binary search on the
 * precomputed window ends. Boundaries are therefore exact integers for
 * any number of frames, nothing accumulates, and a late call can never
 * skip or stretch a window. Per-pCPU state only remembers which window was
 * last announced (for tracing), so two pools never share state (Xen's
 * function-static bug, d0561ac8ab).
 *
 * For independent per-core schedules use one pool per pCPU, as Xen
 * recommends; in a multi-pCPU pool every pCPU follows the same timeline.
 *
 * Locking: the pool lock guards the table; the core holds it around every
 * hook, including adjust_global.
 */
#include <errno.h>
#include <stdlib.h>

#include <hv/machine.h>
#include <hv/sched.h>
#include <hv/trace.h>

#include "registry.h"

/* Xen's DEFAULT_TIMESLICE: the major frame before a table is installed. */
#define A653_DEFAULT_MAJOR_FRAME HV_MS(10)

struct a653_entry {
	unsigned int domid, vcpu_id;
	hv_time_t runtime;
	hv_time_t end; /* offset of the window's end within the frame */
	struct vcpu *vcpu; /* resolved; NULL: domain absent, window idles */
};

struct a653_private {
	hv_time_t epoch; /* start of frame 0 */
	hv_time_t major_frame;
	unsigned int nr_entries;
	struct a653_entry entries[A653_MAX_WINDOWS];
};

struct a653_pcpu {
	int64_t last_frame; /* frame number of the last announced window */
	unsigned int last_index;
};

static struct a653_private *a653_priv(const struct scheduler *s)
{
	return s->sched_data;
}

static int a653_init(struct scheduler *s)
{
	struct a653_private *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->major_frame = A653_DEFAULT_MAJOR_FRAME;
	s->sched_data = p;
	return 0;
}

static void a653_deinit(struct scheduler *s)
{
	free(s->sched_data);
	s->sched_data = NULL;
}

static int a653_switch_sched(struct scheduler *s, unsigned int cpu)
{
	struct a653_pcpu *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return -ENOMEM;
	pc->last_frame = -1;
	s->m->pcpus[cpu].sched_priv = pc;
	return 0;
}

static void a653_free_pdata(struct scheduler *s, unsigned int cpu)
{
	free(s->m->pcpus[cpu].sched_priv);
	s->m->pcpus[cpu].sched_priv = NULL;
}

/* Point each window at its vCPU; windows of absent domains idle. */
static void a653_resolve(struct scheduler *s)
{
	struct a653_private *p = a653_priv(s);

	for (unsigned int i = 0; i < p->nr_entries; i++) {
		struct a653_entry *e = &p->entries[i];
		struct domain *d = machine_find_domain(s->m, e->domid);

		e->vcpu = NULL;
		if (d && d->pool == s->pool && e->vcpu_id < d->nr_vcpus &&
		    d->vcpus[e->vcpu_id].attached)
			e->vcpu = &d->vcpus[e->vcpu_id];
	}
}

/*
 * ARINC653 keeps no per-vCPU state: it only points the windows naming
 * this vCPU at it, so creating n vCPUs costs O(n * windows), not a domain
 * search per window.
 */
static int a653_alloc_udata(struct scheduler *s, struct vcpu *v)
{
	struct a653_private *p = a653_priv(s);

	for (unsigned int i = 0; i < p->nr_entries; i++)
		if (p->entries[i].domid == v->domain->domid &&
		    p->entries[i].vcpu_id == v->vcpu_id)
			p->entries[i].vcpu = v;
	return 0;
}

static void a653_free_udata(struct scheduler *s, struct vcpu *v)
{
	struct a653_private *p = a653_priv(s);

	/* Only unhook this vCPU: other domains may already be gone. */
	for (unsigned int i = 0; i < p->nr_entries; i++)
		if (p->entries[i].vcpu == v)
			p->entries[i].vcpu = NULL;
}

static unsigned int a653_pick_resource(struct scheduler *s, struct vcpu *v)
{
	struct cpumask allowed;

	if (!cpumask_and(&allowed, &v->hard_affinity, &s->pool->cpus))
		return v->processor;
	if (cpumask_test(&allowed, v->processor))
		return v->processor;
	return cpumask_first(&allowed);
}

static int a653_adjust_global(struct scheduler *s,
			      const struct sched_global_params *gp)
{
	const struct a653_schedule *in = &gp->u.a653;
	struct a653_private *p = a653_priv(s);
	hv_time_t sum = 0;

	/* Xen's arinc653_sched_set checks, same order. */
	if (gp->sched_id != XEN_SCHEDULER_ARINC653 || in->major_frame <= 0 ||
	    in->nr_windows < 1 || in->nr_windows > A653_MAX_WINDOWS)
		return -EINVAL;
	for (unsigned int i = 0; i < in->nr_windows; i++) {
		if (in->windows[i].runtime <= 0 ||
		    in->windows[i].runtime > in->major_frame - sum)
			return -EINVAL;
		sum += in->windows[i].runtime;
	}
	p->major_frame = in->major_frame;
	p->nr_entries = in->nr_windows;
	sum = 0;
	for (unsigned int i = 0; i < in->nr_windows; i++) {
		sum += in->windows[i].runtime;
		p->entries[i] = (struct a653_entry){
		    .domid = in->windows[i].domid,
		    .vcpu_id = in->windows[i].vcpu_id,
		    .runtime = in->windows[i].runtime,
		    .end = sum,
		};
	}
	a653_resolve(s);
	/* A new table starts a fresh major frame now, as in Xen. */
	p->epoch = sched_now(s->m);
	for (unsigned int cpu = 0; cpu < s->m->nr_pcpus; cpu++)
		if (cpumask_test(&s->pool->cpus, cpu)) {
			struct a653_pcpu *pc = s->m->pcpus[cpu].sched_priv;

			pc->last_frame = -1;
			sched_tickle(s->m, cpu);
		}
	return 0;
}

/* First window whose end lies after @offset; nr_entries if in the tail. */
static unsigned int a653_window_at(const struct a653_private *p,
				   hv_time_t offset)
{
	unsigned int lo = 0, hi = p->nr_entries;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (p->entries[mid].end > offset)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static struct sched_decision a653_do_schedule(struct scheduler *s,
					      unsigned int cpu, hv_time_t now,
					      struct vcpu *prev)
{
	struct a653_private *p = a653_priv(s);
	struct a653_pcpu *pc = s->m->pcpus[cpu].sched_priv;
	struct sched_decision d = {.next = NULL, .slice = -1};
	hv_time_t frame_start, offset, window_end;
	int64_t frame;
	unsigned int i;

	if (now < p->epoch) {
		d.slice = p->epoch - now;
		return d;
	}
	frame = (now - p->epoch) / p->major_frame;
	frame_start = p->epoch + frame * p->major_frame;
	offset = now - frame_start;
	i = a653_window_at(p, offset);
	if (i == p->nr_entries) { /* idle tail of the frame */
		d.slice = frame_start + p->major_frame - now;
		return d;
	}
	window_end = frame_start + p->entries[i].end;
	d.slice = window_end - now;

	if (frame != pc->last_frame || i != pc->last_index) {
		const struct a653_entry *e = &p->entries[i];
		uint64_t len = (uint64_t)e->runtime;
		/* the window's nominal start, from the table: the decision
		 * itself comes a little later, by the path that took it */
		uint64_t start = (uint64_t)(window_end - e->runtime);

		pc->last_frame = frame;
		pc->last_index = i;
		HV_TRACE(s->m, HVLAB_A653_WINDOW, cpu, i,
			 trace_dv(e->domid, e->vcpu_id), (uint32_t)len,
			 (uint32_t)(len >> 32), (uint32_t)start,
			 (uint32_t)(start >> 32));
	}

	struct vcpu *v = p->entries[i].vcpu;

	if (v && v->processor == cpu && vcpu_runnable(v) &&
	    (!v->is_running || v == prev))
		d.next = v;
	return d;
}

static void a653_wake(struct scheduler *s, struct vcpu *v)
{
	/* Xen pokes the vCPU's pCPU; do_schedule knows if it is its turn. */
	sched_tickle(s->m, v->processor);
}

static void a653_sleep(struct scheduler *s, struct vcpu *v)
{
	if (v->is_running)
		sched_tickle(s->m, v->processor);
}

const struct sched_ops sched_arinc653_ops = {
    .name = "ARINC 653 Scheduler",
    .opt_name = "arinc653",
    .sched_id = XEN_SCHEDULER_ARINC653,
    .init = a653_init,
    .deinit = a653_deinit,
    .switch_sched = a653_switch_sched,
    .free_pdata = a653_free_pdata,
    .alloc_udata = a653_alloc_udata,
    .free_udata = a653_free_udata,
    .pick_resource = a653_pick_resource,
    .wake = a653_wake,
    .sleep = a653_sleep,
    .do_schedule = a653_do_schedule,
    .adjust_global = a653_adjust_global,
};
