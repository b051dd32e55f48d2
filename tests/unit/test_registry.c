/* The registry validates mandatory hooks and names the missing one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <hv/sched.h>

static int fake_init(struct scheduler *s) { (void)s; return 0; }
static void fake_deinit(struct scheduler *s) { (void)s; }
static int fake_switch(struct scheduler *s, unsigned int c)
{
	(void)s, (void)c;
	return 0;
}
static int fake_alloc(struct scheduler *s, struct vcpu *v)
{
	(void)s, (void)v;
	return 0;
}
static void fake_free(struct scheduler *s, struct vcpu *v) { (void)s, (void)v; }
static unsigned int fake_pick(struct scheduler *s, struct vcpu *v)
{
	(void)s, (void)v;
	return 0;
}
static struct sched_decision fake_do(struct scheduler *s, unsigned int c,
				     hv_time_t now, struct vcpu *p)
{
	(void)s, (void)c, (void)now, (void)p;
	return (struct sched_decision){ NULL, -1 };
}

static const struct sched_ops complete = {
	.opt_name = "fake",
	.init = fake_init,
	.deinit = fake_deinit,
	.switch_sched = fake_switch,
	.alloc_udata = fake_alloc,
	.free_udata = fake_free,
	.pick_resource = fake_pick,
	.do_schedule = fake_do,
};

static void test_complete_table_is_accepted(void **state)
{
	const char *missing = "x";

	(void)state;
	assert_int_equal(sched_ops_validate(&complete, &missing), 0);
	assert_null(missing);
}

static void test_each_missing_hook_is_named(void **state)
{
	static const char *const names[] = {
		"init", "deinit", "switch_sched", "alloc_udata",
		"free_udata", "pick_resource", "do_schedule",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct sched_ops ops = complete;
		const char *missing = NULL;

		switch (i) {
		case 0: ops.init = NULL; break;
		case 1: ops.deinit = NULL; break;
		case 2: ops.switch_sched = NULL; break;
		case 3: ops.alloc_udata = NULL; break;
		case 4: ops.free_udata = NULL; break;
		case 5: ops.pick_resource = NULL; break;
		case 6: ops.do_schedule = NULL; break;
		}
		assert_int_equal(sched_ops_validate(&ops, &missing), -EINVAL);
		assert_string_equal(missing, names[i]);
	}
}

static void test_registered_tables_are_valid_and_found(void **state)
{
	const struct sched_ops *const *reg = sched_registry();
	unsigned int n = 0;

	(void)state;
	for (; reg[n]; n++) {
		const char *missing;

		assert_int_equal(sched_ops_validate(reg[n], &missing), 0);
		assert_ptr_equal(sched_lookup(reg[n]->opt_name), reg[n]);
	}
	assert_true(n >= 2);
	assert_non_null(sched_lookup("null"));
	assert_non_null(sched_lookup("arinc653"));
	assert_null(sched_lookup("sedf"));
	assert_int_equal(sched_lookup("null")->sched_id, XEN_SCHEDULER_NULL);
	assert_int_equal(sched_lookup("arinc653")->sched_id,
			 XEN_SCHEDULER_ARINC653);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete_table_is_accepted),
		cmocka_unit_test(test_each_missing_hook_is_named),
		cmocka_unit_test(test_registered_tables_are_valid_and_found),
	};

	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
