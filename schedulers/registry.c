/*
 * The scheduler registry: a plain array of every compiled-in ops table.
 *
 * Xen collects its tables from a linker section and drops any table that
 * lacks a mandatory hook at boot. We list them here, and sched_lookup()
 * refuses a table that fails sched_ops_validate(), so a broken scheduler
 * can never be instantiated.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <hv/sched.h>

#include "registry.h"

static const struct sched_ops *const registry[] = {
    &sched_null_ops,
    &sched_arinc653_ops,
    &sched_credit2_ops,
    &sched_rtds_ops,
    NULL,
};

const struct sched_ops *const *sched_registry(void)
{
	return registry;
}

int sched_ops_validate(const struct sched_ops *ops, const char **missing)
{
	/* Xen's mandatory set (scheduler_init in common/sched/core.c). */
	const struct {
		const char *name;
		bool present;
	} hooks[] = {
	    {"init", ops->init != NULL},
	    {"deinit", ops->deinit != NULL},
	    {"switch_sched", ops->switch_sched != NULL},
	    {"alloc_udata", ops->alloc_udata != NULL},
	    {"free_udata", ops->free_udata != NULL},
	    {"pick_resource", ops->pick_resource != NULL},
	    {"do_schedule", ops->do_schedule != NULL},
	};

	if (!ops->opt_name || !ops->opt_name[0]) {
		*missing = "opt_name";
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		if (!hooks[i].present) {
			*missing = hooks[i].name;
			return -EINVAL;
		}
	}
	*missing = NULL;
	return 0;
}

const struct sched_ops *sched_lookup(const char *opt_name)
{
	const char *missing;

	for (size_t i = 0; registry[i]; i++)
		if (!strcmp(registry[i]->opt_name, opt_name))
			return sched_ops_validate(registry[i], &missing)
				   ? NULL
				   : registry[i];
	return NULL;
}
