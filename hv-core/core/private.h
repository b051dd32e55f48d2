/* Core-internal helpers shared by the files of hv-core/core. */
#ifndef HV_CORE_PRIVATE_H
#define HV_CORE_PRIVATE_H

#include <hv/machine.h>

/* Move @v to runstate @new at the current time, accounting and tracing. */
void vcpu_runstate_change(struct machine *m, struct vcpu *v,
			  enum runstate new_state, hv_time_t now);

/* Take @v from offline to runnable and tell its scheduler. */
void vcpu_bring_up(struct machine *m, struct vcpu *v);

#endif /* HV_CORE_PRIVATE_H */
