/*
 * Cross-field validation of a parsed scenario: every rule that relates two
 * or more mappings -- pools against the machine and against each other,
 * pinning against pools, workload against vCPUs, ARINC653 window tables
 * against domains, budgets against tasks, guests against their pools and
 * tasks (scenario_guest.c).
 *
 * It runs only once parsing has succeeded, so every value it reads is
 * well-formed and every parsed index is in range; what it adds is
 * consistency. Messages point at the line a user has to change: the
 * "cpus:" key for pinning, the "schedule:" key for a table that is too
 * long, the entry itself for a bad window.
 */
#include <errno.h>
#include <string.h>

#include "scenario/private.h"

static void check_pool_cpus(const struct scenario *s,
			    const struct scn_notes *notes,
			    struct scn_diag *diag)
{
	int owner[HV_MAX_PCPUS];
	unsigned int cpu;

	for (unsigned int i = 0; i < HV_MAX_PCPUS; i++)
		owner[i] = -1;
	for (unsigned int p = 0; p < s->nr_pools; p++) {
		int line = notes->pools[p].cpus_line;

		for_each_cpu (cpu, &s->pools[p].cpus) {
			if (cpu >= s->machine.pcpus) {
				scn_error(diag, line,
					  "cpus: cpu %u does not exist; the "
					  "machine has %u pCPUs (0-%u)",
					  cpu, s->machine.pcpus,
					  s->machine.pcpus - 1);
				break;
			}
			if (owner[cpu] >= 0) {
				scn_error(diag, line,
					  "cpus: pCPU %u is already in cpupool "
					  "'%s' (line %d); a pCPU belongs to "
					  "one pool only",
					  cpu, s->pools[owner[cpu]].name,
					  notes->pools[owner[cpu]].cpus_line);
				break;
			}
			owner[cpu] = (int)p;
		}
	}
}

static void check_pinning(const struct scenario *s, const struct scn_domain *d,
			  const struct scn_domain_note *note,
			  struct scn_diag *diag)
{
	const struct scn_pool *pool = &s->pools[d->pool];
	char cpus[64];
	unsigned int cpu;

	for (unsigned int v = 0; v < d->nr_vcpus; v++) {
		for_each_cpu (cpu, &d->hard_affinity[v]) {
			if (cpumask_test(&pool->cpus, cpu))
				continue;
			scn_format_cpus(&pool->cpus, cpus, sizeof(cpus));
			scn_error(diag, note->cpus_line,
				  "cpus: vcpu %u pinned to cpu %u, which is "
				  "not in pool '%s' (cpus %s)",
				  v, cpu, pool->name, cpus);
			return; /* one per domain: the rest is the same fix */
		}
	}
}

/* @vcpu of @label ("task 'x'") must exist in @d; false after reporting. */
static bool check_vcpu(const struct scn_domain *d, const char *label,
		       unsigned int vcpu, int line, struct scn_diag *diag)
{
	if (vcpu < d->nr_vcpus)
		return true;
	scn_error(
	    diag, line, "%s: vcpu %u does not exist; domain '%s' has %u vCPU%s",
	    label, vcpu, d->name, d->nr_vcpus, d->nr_vcpus == 1 ? "" : "s");
	return false;
}

static void check_priorities(const struct scn_domain *d, struct scn_diag *diag)
{
	for (unsigned int i = 1; i < d->nr_tasks; i++) {
		const struct scn_task *t = &d->tasks[i];

		for (unsigned int j = 0; j < i; j++) {
			const struct scn_task *o = &d->tasks[j];

			if (o->vcpu != t->vcpu || o->priority != t->priority)
				continue;
			scn_error(diag, t->line,
				  "task '%s': priority %d is already used by "
				  "task '%s' (line %d) on vcpu %u; priorities "
				  "must be unique per vCPU",
				  t->name, t->priority, o->name, o->line,
				  t->vcpu);
			break;
		}
	}
}

static void check_workload(const struct scn_domain *d, struct scn_diag *diag)
{
	char label[HV_NAME_MAX + 16];
	bool vcpus_ok = true;

	for (unsigned int i = 0; i < d->nr_tasks; i++) {
		snprintf(label, sizeof(label), "task '%s'", d->tasks[i].name);
		vcpus_ok &= check_vcpu(d, label, d->tasks[i].vcpu,
				       d->tasks[i].line, diag);
	}
	for (unsigned int i = 0; i < d->nr_irqs; i++) {
		snprintf(label, sizeof(label), "irq '%s'", d->irqs[i].name);
		check_vcpu(d, label, d->irqs[i].vcpu, d->irqs[i].line, diag);
	}
	for (unsigned int i = 0; i < d->nr_hogs; i++)
		check_vcpu(d, "hog", d->hogs[i].vcpu, d->hogs[i].line, diag);
	/* Priorities on a vCPU that does not exist would only add noise. */
	if (vcpus_ok)
		check_priorities(d, diag);
}

static void check_domains(struct scenario *s, const struct scn_notes *notes,
			  struct scn_diag *diag)
{
	for (unsigned int i = 0; i < s->nr_domains; i++) {
		check_pinning(s, &s->domains[i], &notes->domains[i], diag);
		check_workload(&s->domains[i], diag);
		scn_check_guest(s, i, &notes->domains[i], diag);
	}
}

/* Resolve one window's domain; false after reporting a problem. */
static bool check_a653_entry(struct scenario *s, unsigned int p,
			     struct scn_a653_entry *e, const char *dom,
			     struct scn_diag *diag)
{
	const struct scn_pool *pool = &s->pools[p];
	int d = scenario_find_domain(s, dom);
	const struct scn_domain *domain;

	if (d < 0) {
		scn_error(diag, e->line,
			  "schedule: unknown domain '%s'; a window names a "
			  "domain of cpupool '%s'",
			  dom, pool->name);
		return false;
	}
	domain = &s->domains[d];
	if (domain->pool != p) {
		scn_error(
		    diag, e->line,
		    "schedule: domain '%s' is in cpupool '%s', not in '%s'",
		    dom, s->pools[domain->pool].name, pool->name);
		return false;
	}
	if (e->vcpu >= domain->nr_vcpus) {
		scn_error(
		    diag, e->line,
		    "schedule: domain '%s' has no vcpu %u (it has %u vCPU%s)",
		    dom, e->vcpu, domain->nr_vcpus,
		    domain->nr_vcpus == 1 ? "" : "s");
		return false;
	}
	e->domain = (unsigned int)d;
	return true;
}

/*
 * Xen's arinc653_sched_set() rules: each entry names a vCPU of the pool,
 * and the windows, run back to back, fit in the major frame (the rest of
 * the frame idles).
 */
void scn_check_a653_table(struct scenario *s, unsigned int p,
			  struct scn_pool *pool,
			  const struct scn_pool_note *note,
			  struct scn_diag *diag)
{
	hv_time_t total = 0;
	char a[32], b[32];
	bool overflow = false;

	for (unsigned int i = 0; i < pool->nr_a653; i++) {
		struct scn_a653_entry *e = &pool->a653[i];

		check_a653_entry(s, p, e, note->a653_dom[i], diag);
		overflow |= __builtin_add_overflow(total, e->runtime, &total);
	}
	if (!overflow && total <= pool->major_frame)
		return;
	scn_format_time(overflow ? INT64_MAX : total, a, sizeof(a));
	scn_format_time(pool->major_frame, b, sizeof(b));
	scn_error(diag, note->schedule_line,
		  "schedule is %s long but major_frame is %s; shorten the "
		  "windows or lengthen major_frame",
		  a, b);
}

void scn_check_a653_pool(struct scenario *s, unsigned int p,
			 const struct scn_pool_note *note,
			 struct scn_diag *diag)
{
	scn_check_a653_table(s, p, &s->pools[p], note, diag);
}

void scn_check_budgets(const struct scenario *s,
		       const struct scn_budget *budgets, unsigned int nr,
		       struct scn_diag *diag)
{
	for (unsigned int i = 0; i < nr; i++) {
		const struct scn_budget *b = &budgets[i];
		const struct scn_domain *d;
		bool found = false;

		if (!b->task[0] || b->domain < 0)
			continue;
		d = &s->domains[b->domain];
		for (unsigned int t = 0; t < d->nr_tasks && !found; t++)
			found = !strcmp(d->tasks[t].name, b->task);
		if (!found)
			scn_error(diag, b->line,
				  "budget: domain '%s' has no task '%s'",
				  d->name, b->task);
	}
}

int scn_check(struct scenario *s, const struct scn_notes *notes,
	      struct scn_diag *diag)
{
	unsigned int errors = diag->count;

	check_pool_cpus(s, notes, diag);
	check_domains(s, notes, diag);
	for (unsigned int p = 0; p < s->nr_pools; p++) {
		const struct scn_sched_desc *desc =
		    scn_sched_find(s->pools[p].sched);

		if (desc && desc->check_pool)
			desc->check_pool(s, p, &notes->pools[p], diag);
	}
	scn_check_budgets(s, s->budgets, s->nr_budgets, diag);
	return diag->count == errors ? 0 : -EINVAL;
}
