/*
 * The machine: every piece of mutable hypervisor state, in one struct.
 *
 * There are no file-scope mutable globals anywhere in the core, so a test
 * can build several machines in one process. Schedulers and ports see the
 * objects below; configuration is set while building the machine and is
 * not changed by the scheduling path.
 *
 *   machine
 *    ├─ pcpus[]     curr vCPU, idle vCPU, scheduler timer, softirq flag
 *    ├─ pools[]     pCPU set + one scheduler instance each
 *    ├─ domains[]   vCPUs[] with runstate, affinity, scheduler data
 *    └─ trace       per-pCPU trace rings (tracing/trace_ring.h)
 */
#ifndef HV_MACHINE_H
#define HV_MACHINE_H

#include <hv/timer.h>
#include <hv/types.h>

struct cpupool;
struct domain;
struct scheduler;
struct trace_ring;
struct irq_route;

/* Xen's vCPU runstates (public/vcpu.h); the values are ABI in traces. */
enum runstate {
	RUNSTATE_RUNNING = 0,
	RUNSTATE_RUNNABLE = 1,
	RUNSTATE_BLOCKED = 2,
	RUNSTATE_OFFLINE = 3,
};
#define RUNSTATE_COUNT 4

/*
 * A vCPU, which is also the unit of scheduling (Xen's sched_unit at
 * granularity 1): schedulers receive struct vcpu pointers.
 */
struct vcpu {
	struct domain *domain;
	unsigned int vcpu_id;
	unsigned int processor; /* pCPU it runs on, or last ran / is homed on */
	bool is_idle; /* the per-pCPU idle vCPU */
	bool is_running; /* currently some pCPU's curr */
	bool blocked; /* guest waits for an event (WFI) */
	bool offline; /* not brought up, or taken down */

	enum runstate runstate;
	hv_time_t state_entry_time;
	hv_time_t time_in_state[RUNSTATE_COUNT];

	struct cpumask hard_affinity;

	/*
	 * RTDS server parameters given at creation (xl sched-rtds -v); 0
	 * means "the scheduler's default". Read by alloc_udata.
	 */
	hv_time_t rt_period, rt_budget;
	int rt_extratime; /* -1 default, 0 off, 1 on */

	bool attached; /* alloc_udata succeeded: free_udata at teardown */
	void *sched_priv; /* owned by the pool's scheduler (alloc_udata) */
	void *port_priv; /* owned by the port (sim: the guest model) */
};

struct domain {
	unsigned int domid;
	char name[HV_NAME_MAX];
	struct cpupool *pool;
	unsigned int nr_vcpus;
	struct vcpu *vcpus; /* [nr_vcpus] */
	/* credit2 parameters given at creation (xl.cfg cpu_weight=, cap=);
	 * 0 means "the scheduler's default". Read by alloc_domdata. */
	unsigned int weight, cap;
	void *sched_priv; /* alloc_domdata */
};

struct cpupool {
	unsigned int id;
	char name[HV_NAME_MAX];
	struct cpumask cpus;
	struct scheduler *sched; /* this pool's scheduler instance */
};

struct pcpu {
	unsigned int id;
	unsigned int core, socket; /* topology, for credit2 runqueues */
	struct cpupool *pool; /* NULL: free pCPU, runs idle */
	struct vcpu *curr;
	struct vcpu idle; /* this pCPU's idle vCPU */
	void *sched_priv; /* per-pCPU scheduler data (switch_sched) */
	bool softirq_pending; /* SCHEDULE_SOFTIRQ raised, not yet run */
	struct hv_timer s_timer; /* forces the scheduler's next decision */
	struct timer_heap timers;
};

struct machine {
	unsigned int nr_pcpus;
	struct pcpu *pcpus;
	unsigned int nr_pools;
	struct cpupool *pools;
	unsigned int nr_domains;
	struct domain *domains;
	struct domain idle_domain;

	/*
	 * Tracing: trace_on mirrors "rings attached and enabled"; the rings
	 * belong to the port, which creates, drains and frees them. Xen's
	 * event mask is applied here, not in the rings (which pass every
	 * event): trace_pairs is the mask as a pair bitmap (hv/trace.h,
	 * hv_trace_pairs), 0 while tracing is off, so that a trace point,
	 * masked out or off, costs one test.
	 */
	bool trace_on;
	uint32_t trace_mask;
	uint64_t trace_pairs;
	struct trace_ring *trace;

	/* Virtual interrupt routing (core/virq.c). */
	struct irq_route *irqs;
	unsigned int nr_irqs;

	/* Counters the tests and benchmarks read. */
	uint64_t sched_invocations;
	uint64_t context_switches;
	uint64_t wakeups; /* blocked -> runnable, handed to the scheduler */
	uint64_t sched_errors; /* invalid do_schedule decisions, see core */
	uint64_t spurious_irqs; /* raised but not routed */

	void *port; /* the port's machine-wide state */
};

static inline struct pcpu *pcpu_of(struct machine *m, unsigned int cpu)
{
	return &m->pcpus[cpu];
}

static inline bool vcpu_runnable(const struct vcpu *v)
{
	return !v->blocked && !v->offline;
}

/*
 * Build a machine with @nr_pcpus pCPUs, @nr_pools pools and @nr_domains
 * domains, all empty; fill them in with the calls below, then
 * machine_start(). Returns NULL on bad arguments or out of memory.
 */
struct machine *machine_create(unsigned int nr_pcpus, unsigned int nr_pools,
			       unsigned int nr_domains);
void machine_destroy(struct machine *m);

struct sched_pool_params;

/*
 * Create pool @id with the scheduler registered as @sched_name on @cpus.
 * @params (may be NULL: defaults) is what the scheduler's init and
 * switch_sched see in s->params, e.g. credit2's runqueue arrangement.
 * Returns 0, -ENOENT (unknown scheduler), -EBUSY (a pCPU already in a
 * pool), -EINVAL (bad id, empty mask, bad params) or -ENOMEM.
 */
int pool_create(struct machine *m, unsigned int id, const char *name,
		const char *sched_name, const struct cpumask *cpus,
		const struct sched_pool_params *params);

/*
 * Create domain at index @idx with @nr_vcpus vCPUs in pool @pool_id. The
 * vCPUs start offline with hard affinity = the pool's pCPUs; set
 * affinity with vcpu_set_hard_affinity() before machine_start().
 * Returns 0, -EINVAL or -ENOMEM.
 */
int domain_create(struct machine *m, unsigned int idx, unsigned int domid,
		  const char *name, unsigned int pool_id,
		  unsigned int nr_vcpus);

/* Returns 0, or -EINVAL when @mask does not intersect the vCPU's pool. */
int vcpu_set_hard_affinity(struct machine *m, struct vcpu *v,
			   const struct cpumask *mask);

/*
 * Hand every vCPU to its pool's scheduler (alloc_udata, insert_unit) and
 * bring it online at time @now. Returns 0 or the first scheduler error.
 */
int machine_start(struct machine *m, hv_time_t now);

/*
 * Time @v has spent in each runstate up to @now, the current stretch
 * included (Xen's vcpu_runstate_get). The four values add up to the time
 * since machine_start.
 */
void vcpu_runstate_get(const struct vcpu *v, hv_time_t now,
		       hv_time_t out[RUNSTATE_COUNT]);

/* Find a domain by domid, or NULL. */
struct domain *machine_find_domain(struct machine *m, unsigned int domid);

#endif /* HV_MACHINE_H */
