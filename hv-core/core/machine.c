/*
 * Building and tearing down a machine: pCPUs, cpupools, domains, vCPUs.
 *
 * Set-up order mirrors a dom0less boot: pools first (each gets its
 * scheduler instance and its pCPUs), then domains and their vCPUs, then
 * machine_start() hands every vCPU to its pool's scheduler and brings it
 * online.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <hv/machine.h>
#include <hv/port.h>
#include <hv/sched.h>
#include <hv/trace.h>

#include "private.h"

static void s_timer_fn(struct machine *m, struct hv_timer *t)
{
	sched_tickle(m, t->cpu);
}

static void idle_vcpu_init(struct machine *m, struct pcpu *p)
{
	struct vcpu *v = &p->idle;

	v->domain = &m->idle_domain;
	v->vcpu_id = p->id;
	v->processor = p->id;
	v->is_idle = true;
	v->is_running = true;
	v->runstate = RUNSTATE_RUNNING;
	cpumask_set(&v->hard_affinity, p->id);
}

struct machine *machine_create(unsigned int nr_pcpus, unsigned int nr_pools,
			       unsigned int nr_domains)
{
	struct machine *m;

	if (nr_pcpus == 0 || nr_pcpus > HV_MAX_PCPUS)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->pcpus = calloc(nr_pcpus, sizeof(*m->pcpus));
	m->pools = calloc(nr_pools ? nr_pools : 1, sizeof(*m->pools));
	m->domains = calloc(nr_domains ? nr_domains : 1, sizeof(*m->domains));
	if (!m->pcpus || !m->pools || !m->domains) {
		free(m->pcpus);
		free(m->pools);
		free(m->domains);
		free(m);
		return NULL;
	}
	m->nr_pcpus = nr_pcpus;
	m->nr_pools = nr_pools;
	m->nr_domains = nr_domains;
	m->idle_domain.domid = HV_DOMID_IDLE;
	snprintf(m->idle_domain.name, sizeof(m->idle_domain.name), "idle");
	for (unsigned int i = 0; i < nr_pcpus; i++) {
		struct pcpu *p = &m->pcpus[i];

		p->id = i;
		p->core = i; /* one thread per core, one socket, until told */
		p->socket = 0;
		idle_vcpu_init(m, p);
		p->curr = &p->idle;
		timer_heap_init(&p->timers);
		timer_init(&p->s_timer, i, s_timer_fn, NULL);
	}
	return m;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	for (unsigned int i = 0; i < m->nr_domains; i++) {
		struct domain *d = &m->domains[i];
		struct scheduler *s = d->pool ? d->pool->sched : NULL;

		for (unsigned int j = 0; s && j < d->nr_vcpus; j++) {
			struct vcpu *v = &d->vcpus[j];

			/* Whole-machine teardown: no remove_unit, which
			 * would reschedule pCPUs that are going away. */
			if (v->attached)
				s->ops->free_udata(s, v);
		}
		if (s && d->sched_priv && s->ops->free_domdata)
			s->ops->free_domdata(s, d);
		free(d->vcpus);
	}
	for (unsigned int i = 0; i < m->nr_pools; i++) {
		struct scheduler *s = m->pools[i].sched;
		unsigned int cpu;

		if (!s)
			continue;
		for_each_cpu (cpu, &m->pools[i].cpus)
			if (s->ops->free_pdata)
				s->ops->free_pdata(s, cpu);
		s->ops->deinit(s);
		free(s);
	}
	for (unsigned int i = 0; i < m->nr_pcpus; i++)
		timer_heap_free(&m->pcpus[i].timers);
	free(m->irqs);
	free(m->pcpus);
	free(m->pools);
	free(m->domains);
	free(m);
}

int pool_create(struct machine *m, unsigned int id, const char *name,
		const char *sched_name, const struct cpumask *cpus,
		const struct sched_pool_params *params)
{
	const struct sched_ops *ops = sched_lookup(sched_name);
	struct cpupool *pool;
	struct scheduler *s;
	unsigned int cpu;
	int rc;

	if (!ops)
		return -ENOENT;
	if (id >= m->nr_pools || m->pools[id].sched || cpumask_empty(cpus))
		return -EINVAL;
	for_each_cpu (cpu, cpus)
		if (cpu >= m->nr_pcpus)
			return -EINVAL;
		else if (m->pcpus[cpu].pool)
			return -EBUSY;

	pool = &m->pools[id];
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	pool->id = id;
	snprintf(pool->name, sizeof(pool->name), "%s", name);
	pool->cpus = *cpus;
	s->ops = ops;
	s->pool = pool;
	s->m = m;
	if (params)
		s->params = *params;
	rc = ops->init(s);
	if (rc) {
		free(s);
		return rc;
	}
	pool->sched = s;
	for_each_cpu (cpu, cpus) {
		m->pcpus[cpu].pool = pool;
		rc = ops->switch_sched(s, cpu);
		if (rc)
			return rc; /* machine_destroy undoes the partial pool */
	}
	return 0;
}

int domain_create(struct machine *m, unsigned int idx, unsigned int domid,
		  const char *name, unsigned int pool_id, unsigned int nr_vcpus)
{
	struct domain *d;

	if (idx >= m->nr_domains || pool_id >= m->nr_pools ||
	    !m->pools[pool_id].sched || nr_vcpus == 0 ||
	    nr_vcpus > HV_MAX_VCPUS_PER_DOMAIN || domid >= HV_DOMID_IDLE)
		return -EINVAL;
	d = &m->domains[idx];
	if (d->vcpus)
		return -EINVAL;
	d->vcpus = calloc(nr_vcpus, sizeof(*d->vcpus));
	if (!d->vcpus)
		return -ENOMEM;
	d->domid = domid;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->pool = &m->pools[pool_id];
	d->nr_vcpus = nr_vcpus;
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = &d->vcpus[i];

		v->domain = d;
		v->vcpu_id = i;
		v->offline = true;
		v->runstate = RUNSTATE_OFFLINE;
		v->hard_affinity = d->pool->cpus;
		v->processor = cpumask_first(&d->pool->cpus);
		v->rt_extratime = -1;
	}
	return 0;
}

int vcpu_set_hard_affinity(struct machine *m, struct vcpu *v,
			   const struct cpumask *mask)
{
	struct cpumask eff;

	(void)m;
	/* Xen: a hard mask must intersect the pool (-EINVAL otherwise). */
	if (!cpumask_and(&eff, mask, &v->domain->pool->cpus))
		return -EINVAL;
	v->hard_affinity = eff;
	return 0;
}

void vcpu_runstate_get(const struct vcpu *v, hv_time_t now,
		       hv_time_t out[RUNSTATE_COUNT])
{
	for (int i = 0; i < RUNSTATE_COUNT; i++)
		out[i] = v->time_in_state[i];
	out[v->runstate] += now - v->state_entry_time;
}

struct domain *machine_find_domain(struct machine *m, unsigned int domid)
{
	for (unsigned int i = 0; i < m->nr_domains; i++)
		if (m->domains[i].vcpus && m->domains[i].domid == domid)
			return &m->domains[i];
	return NULL;
}

static int domain_attach(struct machine *m, struct domain *d, hv_time_t now)
{
	struct scheduler *s = d->pool->sched;
	int rc;

	if (s->ops->alloc_domdata) {
		rc = s->ops->alloc_domdata(s, d);
		if (rc)
			return rc;
	}
	HV_TRACE(m, DOM_ADD, d->domid);
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = &d->vcpus[i];

		v->state_entry_time = now;
		rc = s->ops->alloc_udata(s, v);
		if (rc)
			return rc;
		v->attached = true;
		v->processor = s->ops->pick_resource(s, v);
		if (s->ops->insert_unit) {
			rc = s->ops->insert_unit(s, v);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int machine_start(struct machine *m, hv_time_t now)
{
	int rc;

	for (unsigned int i = 0; i < m->nr_pcpus; i++) {
		m->pcpus[i].idle.state_entry_time = now;
	}
	for (unsigned int i = 0; i < m->nr_domains; i++) {
		if (!m->domains[i].vcpus)
			return -EINVAL;
		rc = domain_attach(m, &m->domains[i], now);
		if (rc)
			return rc;
	}
	/* Bring every vCPU up, as a dom0less boot starts each domain. */
	for (unsigned int i = 0; i < m->nr_domains; i++)
		for (unsigned int j = 0; j < m->domains[i].nr_vcpus; j++)
			vcpu_bring_up(m, &m->domains[i].vcpus[j]);
	return 0;
}
