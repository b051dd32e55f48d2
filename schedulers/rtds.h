/*
 * RTDS: read-only inspection of a vCPU's server state, for tests and
 * debugging tools. The scheduler itself is schedulers/rtds.c.
 */
#ifndef HV_SCHED_RTDS_H
#define HV_SCHED_RTDS_H

#include <hv/types.h>

struct vcpu;

/*
 * rtds_vcpu_state() - @v's current server state.
 * *@deadline: end of the current period (absolute ns);
 * *@budget: budget left, as of the last accounting point: a running vCPU
 * is charged at each scheduling decision and at replenishment, so between
 * two of those this is what it had when it was last charged; 0 means the
 * vCPU is depleted (no extratime) and waits for its next period;
 * *@level: priority_level, 0 = guaranteed (EDF) service, > 0 = extratime.
 * Any out pointer may be NULL.
 *
 * Return: 0, or -EINVAL when @v is not scheduled by an RTDS pool.
 */
int rtds_vcpu_state(const struct vcpu *v, hv_time_t *deadline,
		    hv_time_t *budget, unsigned int *level);

#endif /* HV_SCHED_RTDS_H */
