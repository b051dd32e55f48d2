/*
 * The scheduler interface: one const ops table per algorithm, one instance
 * (struct scheduler) per cpupool. Modelled on Xen's xen/common/sched/
 * private.h; the unit of scheduling is the vCPU.
 *
 * Contexts. "On cpu X" means the core runs the hook while executing on pCPU
 * X with that pCPU's schedule lock held. The sim port is single-threaded;
 * the arm64 port takes a per-pool lock around every hook, so hooks never
 * take locks themselves. Hooks marked "no alloc" run on the scheduling path
 * and must not allocate memory.
 *
 * Mandatory hooks: init, deinit, switch_sched, alloc_udata, free_udata,
 * pick_resource, do_schedule. sched_ops_validate() rejects a table that
 * lacks one and names it. The others may be NULL: the core then does
 * nothing (see the sched_* wrappers below).
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/machine.h>
#include <hv/types.h>

/* Xen's scheduler IDs (public/domctl.h), kept for trace compatibility. */
#define XEN_SCHEDULER_CREDIT2 6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS 8
#define XEN_SCHEDULER_NULL 9

/* ARINC653: Xen's ARINC653_MAX_DOMAINS_PER_SCHEDULE. */
#define A653_MAX_WINDOWS 64

/* credit2 runqueue arrangement (Xen's credit2_runqueue=). */
enum credit2_runqueue {
	CREDIT2_RQ_CPU,
	CREDIT2_RQ_CORE,
	CREDIT2_RQ_SOCKET, /* Xen's default */
	CREDIT2_RQ_NODE, /* no NUMA model here: same as socket */
	CREDIT2_RQ_ALL,
};

/*
 * Pool parameters known when the pool is created (Xen: boot options and
 * cpupool creation). Zero values mean "the scheduler's default".
 */
struct sched_pool_params {
	/* credit2 */
	hv_time_t ratelimit; /* sched_ratelimit_us; <0: off (Xen's 0) */
	enum credit2_runqueue runqueue;
	bool runqueue_set; /* false: Xen's default (socket) */
	unsigned int max_cpus_runqueue; /* sched_credit2_max_cpus_runqueue */
};

/* One scheduler instance: the algorithm plus this pool's private state. */
struct scheduler {
	const struct sched_ops *ops;
	void *sched_data; /* owned by ops->init/deinit */
	struct cpupool *pool;
	struct machine *m;
	struct sched_pool_params params; /* as given to pool_create */
};

/* What do_schedule decides. */
struct sched_decision {
	struct vcpu *next; /* NULL: run this pCPU's idle vCPU */
	hv_time_t slice; /* ns until the next forced decision; <0: none */
};

/* Pool-wide parameters (Xen's XEN_SYSCTL_scheduler_op union). */
struct a653_window {
	unsigned int domid;
	unsigned int vcpu_id;
	hv_time_t runtime;
};

struct a653_schedule {
	hv_time_t major_frame;
	unsigned int nr_windows;
	struct a653_window windows[A653_MAX_WINDOWS];
};

struct sched_global_params {
	unsigned int sched_id; /* which member is valid */
	union {
		struct a653_schedule a653;
	} u;
};

struct sched_ops {
	const char *name; /* human name */
	const char *opt_name; /* the sched= token, e.g. "arinc653" */
	unsigned int sched_id;

	/*
	 * init / deinit: create and free the instance's sched_data.
	 * Caller: pool_create / machine_destroy, before any pCPU is added.
	 * May allocate. Returns 0 or -errno.
	 */
	int (*init)(struct scheduler *s);
	void (*deinit)(struct scheduler *s);

	/*
	 * switch_sched: take ownership of pCPU @cpu, which has just joined the
	 * pool: set up pcpu->sched_priv. Caller: pool_create, once per pCPU,
	 * before any vCPU exists. May allocate. Returns 0 or -errno.
	 * (Xen also returns the lock that becomes the pCPU's schedule lock;
	 * our locks are per pool, so there is nothing to return.)
	 */
	int (*switch_sched)(struct scheduler *s, unsigned int cpu);
	void (*free_pdata)(struct scheduler *s, unsigned int cpu);

	/*
	 * alloc_domdata / free_domdata: per-domain data in d->sched_priv.
	 * Caller: machine_start, before the domain's vCPUs. May allocate.
	 */
	int (*alloc_domdata)(struct scheduler *s, struct domain *d);
	void (*free_domdata)(struct scheduler *s, struct domain *d);

	/*
	 * alloc_udata / free_udata: per-vCPU data in v->sched_priv.
	 * Caller: machine_start / machine_destroy. May allocate. Returns 0 or
	 * -errno.
	 */
	int (*alloc_udata)(struct scheduler *s, struct vcpu *v);
	void (*free_udata)(struct scheduler *s, struct vcpu *v);

	/*
	 * insert_unit / remove_unit: make @v known to (forget it in) the
	 * runqueue structures. Called after alloc_udata, while @v is offline.
	 * May allocate. Returns 0 or -errno (insert).
	 */
	int (*insert_unit)(struct scheduler *s, struct vcpu *v);
	void (*remove_unit)(struct scheduler *s, struct vcpu *v);

	/*
	 * pick_resource: the pCPU @v should live on; must be in its hard
	 * affinity and the pool. Caller: machine_start and migrations, on any
	 * pCPU. No alloc.
	 */
	unsigned int (*pick_resource)(struct scheduler *s, struct vcpu *v);

	/*
	 * wake: @v became runnable (it was blocked or offline). Enqueue it and
	 * tickle a pCPU with sched_tickle() if it should run now. Caller: the
	 * core on whichever pCPU delivered the wake-up. No alloc.
	 */
	void (*wake)(struct scheduler *s, struct vcpu *v);

	/*
	 * sleep: @v is no longer runnable. Dequeue it; if it is running,
	 * tickle its pCPU so do_schedule replaces it. Caller: any pCPU.
	 * No alloc.
	 */
	void (*sleep)(struct scheduler *s, struct vcpu *v);

	/* yield: @v (running on its pCPU) gives up the rest of its turn. */
	void (*yield)(struct scheduler *s, struct vcpu *v);

	/*
	 * do_schedule: THE decision for pCPU @cpu at @now. @prev is what ran
	 * until now (possibly the idle vCPU, possibly no longer runnable).
	 * Returns the vCPU to run (NULL = idle) and the ns until the core must
	 * call again even without an event (<0 = not needed). The returned
	 * vCPU must be runnable, allowed on @cpu, and not running elsewhere.
	 * Caller: the scheduling softirq on @cpu, s_timer stopped. No alloc.
	 */
	struct sched_decision (*do_schedule)(struct scheduler *s,
					     unsigned int cpu, hv_time_t now,
					     struct vcpu *prev);

	/*
	 * context_saved: @v has been switched out on its pCPU (re-queue it if
	 * it was preempted while runnable, return unused budget...). Caller:
	 * the core right after the switch, on that pCPU. No alloc.
	 */
	void (*context_saved)(struct scheduler *s, struct vcpu *v);

	/*
	 * migrate: move @v's bookkeeping to @new_cpu. Default: set
	 * v->processor. Caller: the core, with both pCPUs' locks. No alloc.
	 */
	void (*migrate)(struct scheduler *s, struct vcpu *v,
			unsigned int new_cpu);

	/*
	 * adjust_global: set pool-wide parameters (the ARINC653 window table,
	 * ratelimits). Caller: machine set-up or a control operation, on any
	 * pCPU. May allocate. Returns 0, or -EINVAL naming nothing: callers
	 * validate user input first and report it with context.
	 */
	int (*adjust_global)(struct scheduler *s,
			     const struct sched_global_params *p);
};

/* ---- registry (schedulers/registry.c) ---- */

/*
 * Check that @ops has every mandatory hook. Returns 0, or -EINVAL with
 * *@missing set to the name of the first missing hook.
 */
int sched_ops_validate(const struct sched_ops *ops, const char **missing);

/* The registered scheduler with sched= token @opt_name, or NULL. */
const struct sched_ops *sched_lookup(const char *opt_name);

/* Registered tables, NULL-terminated, in registry order. */
const struct sched_ops *const *sched_registry(void);

/* ---- services the core offers schedulers (core/schedule.c) ---- */

/* Ask @cpu to run its scheduler soon (Xen's SCHEDULE_SOFTIRQ). */
void sched_tickle(struct machine *m, unsigned int cpu);

/* The pCPU the core is executing on (port's notion of "this CPU"). */
unsigned int sched_this_cpu(struct machine *m);

/* The current time, for hooks that are not handed one. */
hv_time_t sched_now(struct machine *m);

/* ---- the core's scheduling entry points ---- */

/* Run the scheduler on @cpu if its softirq is pending (port calls this
 * on every return to the guest). */
void hv_do_softirq(struct machine *m, unsigned int cpu);

/* The scheduling path for @cpu: decide, account, switch. */
void hv_schedule(struct machine *m, unsigned int cpu);

/* @v (running) waits for an event: guest WFI with vwfi=trap. */
void hv_vcpu_block(struct machine *m, struct vcpu *v);

/* @v becomes runnable if it was blocked; nothing if already runnable. */
void hv_vcpu_wake(struct machine *m, struct vcpu *v);

/* @v goes offline (paused, or VCPUOP_down): traced as Xen's SLEEP. */
void hv_vcpu_sleep(struct machine *m, struct vcpu *v);

/* @v gives up the rest of its turn (SCHEDOP_yield). */
void hv_vcpu_yield(struct machine *m, struct vcpu *v);

/* ---- small wrappers supplying defaults for optional hooks ---- */

static inline void sched_wake(struct scheduler *s, struct vcpu *v)
{
	if (s->ops->wake)
		s->ops->wake(s, v);
}

static inline void sched_sleep(struct scheduler *s, struct vcpu *v)
{
	if (s->ops->sleep)
		s->ops->sleep(s, v);
}

static inline void sched_yield(struct scheduler *s, struct vcpu *v)
{
	if (s->ops->yield)
		s->ops->yield(s, v);
}

static inline void sched_context_saved(struct scheduler *s, struct vcpu *v)
{
	if (s->ops->context_saved)
		s->ops->context_saved(s, v);
}

static inline void sched_migrate(struct scheduler *s, struct vcpu *v,
				 unsigned int new_cpu)
{
	if (s->ops->migrate)
		s->ops->migrate(s, v, new_cpu);
	else
		v->processor = new_cpu;
}

static inline struct scheduler *vcpu_scheduler(const struct vcpu *v)
{
	return v->domain->pool->sched;
}

#endif /* HV_SCHED_H */
