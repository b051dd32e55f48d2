/* The scheduler tables the registry knows (one per schedulers/ file). */
#ifndef HV_SCHED_REGISTRY_H
#define HV_SCHED_REGISTRY_H

#include <hv/sched.h>

extern const struct sched_ops sched_null_ops;
extern const struct sched_ops sched_arinc653_ops;
extern const struct sched_ops sched_credit2_ops;
extern const struct sched_ops sched_rtds_ops;

#endif /* HV_SCHED_REGISTRY_H */
