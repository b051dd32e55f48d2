/*
 * From a scenario to a running sim: the machine (pools, schedulers,
 * domains, pinning, the ARINC653 tables, interrupt routes), the guest
 * models, the trace, and the first events. This is the sim's equivalent
 * of a dom0less boot reading its device tree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hv/irq.h>
#include <hv/machine.h>
#include <hv/sched.h>
#include <hv/trace.h>

#include "private.h"
#include "tracing/trace_file.h"
#include "tracing/trace_ring.h"

static int build_pools(struct sim *sim, FILE *err)
{
	const struct scenario *scn = sim->scn;

	for (unsigned int i = 0; i < scn->nr_pools; i++) {
		const struct scn_pool *p = &scn->pools[i];
		struct sched_pool_params pp = {
		    /* scenario: 0 = off; core: 0 = default, <0 = off */
		    .ratelimit = p->ratelimit ? p->ratelimit : -1,
		    .runqueue = (enum credit2_runqueue)p->runqueue,
		    .runqueue_set = true,
		    .max_cpus_runqueue = p->max_cpus_runqueue,
		};
		int rc =
		    pool_create(sim->m, i, p->name, p->sched, &p->cpus, &pp);

		if (rc) {
			fprintf(err,
				"%s:%d: pool '%s': cannot create it with "
				"scheduler '%s': %s\n",
				scn->path, p->line, p->name, p->sched,
				strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static int build_a653_table(struct sim *sim, unsigned int pool, FILE *err)
{
	const struct scenario *scn = sim->scn;
	const struct scn_pool *p = &scn->pools[pool];
	struct sched_global_params gp = {.sched_id = XEN_SCHEDULER_ARINC653};
	struct scheduler *s = sim->m->pools[pool].sched;
	int rc;

	gp.u.a653.major_frame = p->major_frame;
	gp.u.a653.nr_windows = p->nr_a653;
	for (unsigned int i = 0; i < p->nr_a653; i++) {
		gp.u.a653.windows[i] = (struct a653_window){
		    .domid = scn->domains[p->a653[i].domain].domid,
		    .vcpu_id = p->a653[i].vcpu,
		    .runtime = p->a653[i].runtime,
		};
	}
	rc = s->ops->adjust_global ? s->ops->adjust_global(s, &gp) : -EINVAL;
	if (rc)
		fprintf(err, "%s:%d: pool '%s': schedule rejected: %s\n",
			scn->path, p->line, p->name, strerror(-rc));
	return rc;
}

static int cmp_task_prio(const void *a, const void *b)
{
	const struct sim_task *ta = *(const struct sim_task *const *)a;
	const struct sim_task *tb = *(const struct sim_task *const *)b;

	return (ta->cfg->priority < tb->cfg->priority) -
	       (ta->cfg->priority > tb->cfg->priority);
}

static int build_domains(struct sim *sim, FILE *err)
{
	const struct scenario *scn = sim->scn;
	struct machine *m = sim->m;
	unsigned int nv = 0, nt = 0, ni = 0;

	for (unsigned int i = 0; i < scn->nr_domains; i++) {
		nv += scn->domains[i].nr_vcpus;
		nt += scn->domains[i].nr_tasks;
		ni += scn->domains[i].nr_irqs;
	}
	sim->vcpus = calloc(nv, sizeof(*sim->vcpus));
	sim->tasks = calloc(nt ? nt : 1, sizeof(*sim->tasks));
	sim->irqs = calloc(ni ? ni : 1, sizeof(*sim->irqs));
	if (!sim->vcpus || !sim->tasks || !sim->irqs)
		return -ENOMEM;
	if (ni && irq_table_create(m, ni))
		return -ENOMEM;

	nv = nt = ni = 0;
	for (unsigned int i = 0; i < scn->nr_domains; i++) {
		const struct scn_domain *sd = &scn->domains[i];
		struct domain *d;
		struct sim_vcpu *svs = &sim->vcpus[nv];
		int rc = domain_create(m, i, sd->domid, sd->name, sd->pool,
				       sd->nr_vcpus);

		if (rc) {
			fprintf(err, "%s:%d: domain '%s': cannot create: %s\n",
				scn->path, sd->line, sd->name, strerror(-rc));
			return rc;
		}
		d = &m->domains[i];
		d->weight = sd->weight;
		d->cap = sd->cap;
		for (unsigned int j = 0; j < sd->nr_vcpus; j++) {
			struct sim_vcpu *sv = &svs[j];

			if (sd->rtds) {
				d->vcpus[j].rt_period = sd->rtds[j].period;
				d->vcpus[j].rt_budget = sd->rtds[j].budget;
				d->vcpus[j].rt_extratime =
				    sd->rtds[j].extratime;
			}

			rc = vcpu_set_hard_affinity(m, &d->vcpus[j],
						    &sd->hard_affinity[j]);
			if (rc) {
				fprintf(err,
					"%s:%d: domain '%s': vcpu %u "
					"pinned outside its pool\n",
					scn->path, sd->line, sd->name, j);
				return rc;
			}
			sv->v = &d->vcpus[j];
			sv->v->port_priv = sv;
			sv->dom_irqs = &sim->irqs[ni];
			sv->edf = scn_domain_edf(sd);
			sim_event_init(&sv->step_ev, EV_STEP, nv + j);
			sv->tasks = calloc(sd->nr_tasks ? sd->nr_tasks : 1,
					   sizeof(*sv->tasks));
			if (!sv->tasks)
				return -ENOMEM;
		}
		for (unsigned int j = 0; j < sd->nr_hogs; j++)
			svs[sd->hogs[j].vcpu].has_hog = true;
		for (unsigned int j = 0; j < sd->nr_tasks; j++) {
			struct sim_task *t = &sim->tasks[nt + j];
			struct sim_vcpu *sv = &svs[sd->tasks[j].vcpu];

			t->cfg = &sd->tasks[j];
			t->sv = sv;
			t->index = j;
			t->next_nominal = t->cfg->offset;
			sim_event_init(&t->release_ev, EV_RELEASE, nt + j);
			sv->tasks[sv->nr_tasks++] = t;
		}
		for (unsigned int j = 0; j < sd->nr_vcpus; j++)
			qsort(svs[j].tasks, svs[j].nr_tasks,
			      sizeof(*svs[j].tasks), cmp_task_prio);
		for (unsigned int j = 0; j < sd->nr_irqs; j++) {
			struct sim_irq *q = &sim->irqs[ni + j];

			q->cfg = &sd->irqs[j];
			q->sv = &svs[sd->irqs[j].vcpu];
			q->index = j;
			q->pirq = ni + j;
			q->next_nominal = q->cfg->offset;
			sim_event_init(&q->raise_ev, EV_IRQ, ni + j);
			rc = irq_route_set(m, q->pirq, q->sv->v, j);
			if (rc)
				return rc;
		}
		nv += sd->nr_vcpus;
		nt += sd->nr_tasks;
		ni += sd->nr_irqs;
	}
	sim->nr_vcpus = nv;
	sim->nr_tasks = nt;
	sim->nr_irqs = ni;
	return 0;
}

void sim_emit_metadata(struct sim *sim)
{
	const struct scenario *scn = sim->scn;
	struct machine *m = sim->m;
	const uint64_t hz = 1000000000u; /* the clock counts ns */

	HV_TRACE(m, HVLAB_HEADER, HVLAB_TRACE_VERSION, (uint32_t)hz,
		 (uint32_t)(hz >> 32), m->nr_pcpus, HVLAB_BACKEND_SIM,
		 (uint32_t)scn->hash, (uint32_t)(scn->hash >> 32));
	for (unsigned int i = 0; i < scn->nr_domains; i++) {
		const struct scn_domain *d = &scn->domains[i];

		hv_trace_name(m, TRC_HVLAB_NAME_DOMAIN, d->domid, d->name);
		for (unsigned int j = 0; j < d->nr_tasks; j++) {
			const struct scn_task *t = &d->tasks[j];
			uint64_t dl = (uint64_t)t->deadline;

			hv_trace_name(m, TRC_HVLAB_NAME_TASK,
				      trace_dv(d->domid, j), t->name);
			HV_TRACE(m, HVLAB_TASK_INFO, trace_dv(d->domid, j),
				 t->vcpu, (uint32_t)t->period, (uint32_t)dl,
				 (uint32_t)(dl >> 32), (uint32_t)t->priority);
		}
		for (unsigned int j = 0; j < d->nr_irqs; j++)
			hv_trace_name(m, TRC_HVLAB_NAME_IRQ,
				      trace_dv(d->domid, j), d->irqs[j].name);
	}
}

/*
 * The rings and the file. Until the end of set-up the consumer answers
 * every high-water notification, whatever the drain mode: the metadata
 * must never be lost, and cpu 0's first window must hold the header.
 */
static int build_trace(struct sim *sim, FILE *err)
{
	size_t bytes = sim->opt.trace_ring_bytes ? sim->opt.trace_ring_bytes
						 : TRACE_RING_DEFAULT_BYTES;
	int rc;

	sim->trace_next_poll = HV_TIME_NEVER;
	if (!sim->opt.trace_path)
		return 0;
	if (sim->opt.trace_poll_ns < 0) {
		fprintf(err, "trace poll period %lld ns: expected >= 0\n",
			(long long)sim->opt.trace_poll_ns);
		return -EINVAL;
	}
	sim->trace = trace_ring_create(sim->m->nr_pcpus, bytes);
	if (!sim->trace) {
		fprintf(err,
			"trace ring of %zu bytes per pCPU: expected %u bytes "
			"to 1 GiB plus the 8-byte header, or out of memory\n",
			bytes, 8 + TRACE_RING_MIN_DATA);
		return -EINVAL;
	}
	sim->trace_scratch = malloc(trace_ring_data_size(sim->trace));
	if (!sim->trace_scratch)
		return -ENOMEM;
	rc = trace_file_create(sim->opt.trace_path, &sim->trace_file);
	if (rc) {
		fprintf(err, "%s: cannot create: %s\n", sim->opt.trace_path,
			strerror(-rc));
		return rc;
	}
	trace_ring_set_notify(sim->trace, sim_trace_notify, sim);
	sim->trace_drain_on_notify = true;
	rc = hv_trace_attach(sim->m, sim->trace);
	if (rc)
		fprintf(err, "%s: cannot trace: %s\n", sim->opt.trace_path,
			strerror(-rc));
	return rc;
}

/* The first release of each task and the first raise of each IRQ. */
static void arm_workload(struct sim *sim)
{
	for (unsigned int i = 0; i < sim->nr_tasks; i++)
		sim_arm(sim, &sim->tasks[i].release_ev,
			sim->tasks[i].cfg->offset);
	for (unsigned int i = 0; i < sim->nr_irqs; i++) {
		struct sim_irq *q = &sim->irqs[i];

		sim_arm(sim, &q->raise_ev,
			q->cfg->offset +
			    rng_range(&sim->rng, 0, q->cfg->jitter));
	}
}

int sim_build(struct sim *sim, FILE *err)
{
	const struct scenario *scn = sim->scn;
	unsigned int npcpus = scn->machine.pcpus;
	int rc;

	sim->m = machine_create(npcpus, scn->nr_pools, scn->nr_domains);
	sim->pcpus = calloc(npcpus, sizeof(*sim->pcpus));
	if (!sim->m || !sim->pcpus)
		return -ENOMEM;
	sim->m->port = sim;
	for (unsigned int i = 0; i < npcpus; i++) {
		unsigned int tpc = scn->machine.threads_per_core ?: 1;
		unsigned int cps = scn->machine.cores_per_socket ?: npcpus;

		sim->m->pcpus[i].core = i / tpc;
		sim->m->pcpus[i].socket = (i / tpc) / cps;
		sim_event_init(&sim->pcpus[i].timer_ev, EV_TIMER, i);
		sim_event_init(&sim->pcpus[i].ipi_ev, EV_IPI, i);
	}
	rc = build_trace(sim, err);
	if (rc)
		return rc;
	sim_emit_metadata(sim);
	/* The header must open the file: write cpu 0's window out now. */
	if (sim->trace) {
		sim_trace_drain(sim);
		sim->trace_drain_on_notify = !sim->opt.trace_poll_ns;
		if (sim->opt.trace_poll_ns)
			sim->trace_next_poll = sim->opt.trace_poll_ns;
	}

	rc = build_pools(sim, err);
	if (!rc)
		rc = build_domains(sim, err);
	for (unsigned int i = 0; !rc && i < scn->nr_pools; i++)
		if (!strcmp(scn->pools[i].sched, "arinc653"))
			rc = build_a653_table(sim, i, err);
	if (!rc)
		rc = machine_start(sim->m, 0);
	if (rc) {
		if (rc == -ENOMEM)
			fprintf(err, "%s: out of memory\n", scn->path);
		return rc;
	}
	/* Boot: every pCPU with a pending schedule request takes it now. */
	for (unsigned int i = 0; i < npcpus; i++)
		if (sim->m->pcpus[i].softirq_pending)
			sim_arm(sim, &sim->pcpus[i].ipi_ev, 0);
	arm_workload(sim);
	return 0;
}
