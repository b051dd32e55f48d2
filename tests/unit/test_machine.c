/*
 * The machine and the scheduling core: runstate accounting adds up,
 * pinning is honoured and checked, pools refuse bad configurations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include <hv/machine.h>
#include <hv/sched.h>

#include "tests/support/world.h"

static const char busy[] =
	"name: runstates\n"
	"duration: 500ms\n"
	"seed: 7\n"
	"machine: { pcpus: 2 }\n"
	"cpupools:\n"
	"  - { name: p, sched: null, cpus: \"0-1\" }\n"
	"domains:\n"
	"  - name: rt\n"
	"    pool: p\n"
	"    cpus: \"1\"\n"
	"    workload:\n"
	"      tasks:\n"
	"        - { name: t, period: 1ms, exec: { dist: uniform, min: 100us, "
	"max: 400us }, priority: 2 }\n"
	"      irqs:\n"
	"        - { name: i, period: 250us, jitter: 50us, handler: 10us }\n"
	"  - { name: quiet, pool: p }\n";

static hv_time_t total(const struct vcpu *v, hv_time_t now)
{
	hv_time_t rs[RUNSTATE_COUNT], sum = 0;

	vcpu_runstate_get(v, now, rs);
	for (int s = 0; s < RUNSTATE_COUNT; s++)
		sum += rs[s];
	return sum;
}

static void test_runstate_time_adds_up(void **state)
{
	struct world *w = world_create(busy, false, NULL);
	struct vcpu *rt = world_vcpu(w, "rt", 0);
	struct vcpu *quiet = world_vcpu(w, "quiet", 0);
	hv_time_t end = HV_MS(500);
	hv_time_t rs[RUNSTATE_COUNT];

	(void)state;
	world_finish(w, NULL);
	assert_int_equal(total(rt, end), end);
	assert_int_equal(total(quiet, end), end);
	/* rt worked (task + irqs) and also waited for events. */
	vcpu_runstate_get(rt, end, rs);
	assert_true(rs[RUNSTATE_RUNNING] > HV_MS(100));
	assert_true(rs[RUNSTATE_BLOCKED] > HV_MS(100));
	/* quiet had nothing to do: it ran only to block once. */
	vcpu_runstate_get(quiet, end, rs);
	assert_true(rs[RUNSTATE_BLOCKED] > end - HV_MS(1));
	assert_true(rs[RUNSTATE_RUNNING] < HV_US(100));
	world_destroy(w);
}

static void test_pinning_is_honoured(void **state)
{
	struct world *w = world_create(busy, false, NULL);
	struct vcpu *rt = world_vcpu(w, "rt", 0);
	struct cpumask outside;

	(void)state;
	assert_true(cpumask_test(&rt->hard_affinity, 1));
	assert_false(cpumask_test(&rt->hard_affinity, 0));
	assert_int_equal(rt->processor, 1);
	world_finish(w, NULL);
	assert_int_equal(rt->processor, 1);

	/* A mask that misses the pool entirely is refused (Xen: -EINVAL). */
	cpumask_clear(&outside);
	cpumask_set(&outside, 5);
	assert_int_equal(vcpu_set_hard_affinity(w->m, rt, &outside), -EINVAL);
	assert_true(cpumask_test(&rt->hard_affinity, 1));
	world_destroy(w);
}

static void test_pool_create_refuses_bad_configs(void **state)
{
	struct machine *m = machine_create(4, 3, 0);
	struct cpumask a, b;

	(void)state;
	assert_non_null(m);
	cpumask_clear(&a);
	cpumask_set(&a, 0);
	cpumask_set(&a, 1);
	assert_int_equal(pool_create(m, 0, "x", "nosuch", &a, NULL), -ENOENT);
	assert_int_equal(pool_create(m, 0, "x", "null", &a, NULL), 0);
	cpumask_clear(&b);
	cpumask_set(&b, 1); /* already in pool 0 */
	assert_int_equal(pool_create(m, 1, "y", "null", &b, NULL), -EBUSY);
	cpumask_clear(&b);
	assert_int_equal(pool_create(m, 1, "y", "null", &b, NULL), -EINVAL);
	cpumask_set(&b, 9); /* beyond the machine */
	assert_int_equal(pool_create(m, 1, "y", "null", &b, NULL), -EINVAL);
	assert_null(machine_create(0, 1, 1));
	assert_null(machine_create(HV_MAX_PCPUS + 1, 1, 1));
	machine_destroy(m);
}

static void test_domain_create_checks_arguments(void **state)
{
	struct machine *m = machine_create(2, 1, 2);
	struct cpumask all;

	(void)state;
	cpumask_clear(&all);
	cpumask_set(&all, 0);
	cpumask_set(&all, 1);
	assert_int_equal(pool_create(m, 0, "p", "null", &all, NULL), 0);
	assert_int_equal(domain_create(m, 0, 1, "a", 1, 1), -EINVAL);
	assert_int_equal(domain_create(m, 0, 1, "a", 0, 0), -EINVAL);
	assert_int_equal(domain_create(m, 0, 1, "a", 0,
				       HV_MAX_VCPUS_PER_DOMAIN + 1), -EINVAL);
	assert_int_equal(domain_create(m, 0, 1, "a", 0, 2), 0);
	assert_int_equal(domain_create(m, 0, 2, "b", 0, 1), -EINVAL); /* taken */
	assert_int_equal(m->domains[0].vcpus[1].runstate, RUNSTATE_OFFLINE);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runstate_time_adds_up),
		cmocka_unit_test(test_pinning_is_honoured),
		cmocka_unit_test(test_pool_create_refuses_bad_configs),
		cmocka_unit_test(test_domain_create_checks_arguments),
	};

	return cmocka_run_group_tests_name("machine", tests, NULL, NULL);
}
