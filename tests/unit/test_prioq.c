/* The schedulers' intrusive priority queue against a brute-force model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hv/prioq.h>

#include "hv-core/arch/sim/rng.h"

struct item {
	int64_t key;
	unsigned int id;
	struct prioq_node node;
};

static bool item_before(const struct prioq_node *a, const struct prioq_node *b)
{
	const struct item *x = prioq_entry(a, struct item, node);
	const struct item *y = prioq_entry(b, struct item, node);

	return x->key < y->key || (x->key == y->key && x->id < y->id);
}

static struct item *model_min(struct item *it, unsigned int n)
{
	struct item *best = NULL;

	for (unsigned int i = 0; i < n; i++)
		if (prioq_queued(&it[i].node) &&
		    (!best || item_before(&it[i].node, &best->node)))
			best = &it[i];
	return best;
}

static void test_random_operations_match_a_model(void **state)
{
	enum { N = 200 };
	struct item it[N];
	struct prioq q;
	struct rng r;

	(void)state;
	rng_seed(&r, 3);
	prioq_init(&q, item_before);
	for (unsigned int i = 0; i < N; i++) {
		it[i].id = i;
		it[i].key = 0;
		prioq_node_init(&it[i].node);
	}
	for (int step = 0; step < 50000; step++) {
		struct item *x = &it[rng_range(&r, 0, N - 1)];
		struct item *m;
		struct prioq_node *f;

		switch (rng_range(&r, 0, 4)) {
		case 0:
			if (!prioq_queued(&x->node)) {
				x->key = rng_range(&r, -1000, 1000);
				assert_int_equal(prioq_insert(&q, &x->node), 0);
			}
			break;
		case 1:
			prioq_remove(&q, &x->node);
			assert_false(prioq_queued(&x->node));
			break;
		case 2:
			if (prioq_queued(&x->node)) {
				x->key = rng_range(&r, -1000, 1000);
				prioq_update(&q, &x->node);
			}
			break;
		case 3:
			m = model_min(it, N);
			f = prioq_first(&q);
			assert_ptr_equal(f ? prioq_entry(f, struct item, node)
					   : NULL,
					 m);
			break;
		default:
			m = model_min(it, N);
			f = prioq_pop(&q);
			assert_ptr_equal(f ? prioq_entry(f, struct item, node)
					   : NULL,
					 m);
			break;
		}
	}
	prioq_fini(&q);
}

static void test_reserve_then_insert_needs_no_growth(void **state)
{
	struct item it[20];
	struct prioq q;

	(void)state;
	prioq_init(&q, item_before);
	assert_int_equal(prioq_reserve(&q, 20), 0);
	assert_true(q.cap >= 20);
	for (unsigned int i = 0; i < 20; i++) {
		it[i].id = i;
		it[i].key = 20 - (int64_t)i;
		prioq_node_init(&it[i].node);
		assert_int_equal(prioq_insert(&q, &it[i].node), 0);
	}
	assert_int_equal(q.cap, 32);
	for (unsigned int i = 0; i < 20; i++)
		assert_ptr_equal(prioq_pop(&q), &it[19 - i].node);
	assert_null(prioq_pop(&q));
	prioq_fini(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_operations_match_a_model),
		cmocka_unit_test(test_reserve_then_insert_needs_no_growth),
	};

	return cmocka_run_group_tests_name("prioq", tests, NULL, NULL);
}
