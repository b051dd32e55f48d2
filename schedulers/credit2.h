/*
 * Read-only views into a credit2 instance, for tests and tools. The
 * scheduler itself is schedulers/credit2*.c; nothing here changes state.
 */
#ifndef HV_SCHED_CREDIT2_H
#define HV_SCHED_CREDIT2_H

#include <hv/types.h>

struct scheduler;
struct vcpu;

struct credit2_unit_info {
	int runqueue; /* id of its runqueue, -1 when unassigned */
	int64_t credit; /* ns, in [-10 ms, 10.5 ms] */
	hv_time_t budget; /* grabbed cap budget (0 when not capped) */
	bool capped; /* its domain has a cap */
	bool parked; /* out of budget, waiting for a refill */
	bool queued; /* waiting in a runqueue */
};

/* Number of runqueues of @s. Returns it, or -EINVAL if @s is not a
 * credit2 instance. */
int credit2_nr_runqueues(const struct scheduler *s);

/* Runqueue id of pCPU @cpu. Returns it, or -EINVAL if @s is not credit2
 * or @cpu is not one of its pCPUs. */
int credit2_cpu_runqueue(const struct scheduler *s, unsigned int cpu);

/* Fill @out for @v. Returns 0, or -EINVAL if @s is not credit2 or @v is
 * not one of its vCPUs. */
int credit2_unit_info(const struct scheduler *s, const struct vcpu *v,
		      struct credit2_unit_info *out);

#endif /* HV_SCHED_CREDIT2_H */
