/*
 * Intrusive binary min-heap; see <hv/prioq.h>.
 *
 *          [0]          slots[] holds node pointers in heap order; each
 *        /     \        node stores its own index so it can be found,
 *      [1]     [2]      moved or removed without a search
 *     /  \    /  \
 *   [3] [4] [5] [6]
 */
#include <errno.h>
#include <stdlib.h>

#include <hv/prioq.h>

static void place(struct prioq *q, unsigned int i, struct prioq_node *n)
{
	q->slots[i] = n;
	n->idx = (int)i;
}

static void sift_up(struct prioq *q, unsigned int i)
{
	struct prioq_node *n = q->slots[i];

	while (i > 0) {
		unsigned int parent = (i - 1) / 2;

		if (!q->before(n, q->slots[parent]))
			break;
		place(q, i, q->slots[parent]);
		i = parent;
	}
	place(q, i, n);
}

static void sift_down(struct prioq *q, unsigned int i)
{
	struct prioq_node *n = q->slots[i];

	for (;;) {
		unsigned int child = 2 * i + 1;

		if (child >= q->nr)
			break;
		if (child + 1 < q->nr &&
		    q->before(q->slots[child + 1], q->slots[child]))
			child++;
		if (!q->before(q->slots[child], n))
			break;
		place(q, i, q->slots[child]);
		i = child;
	}
	place(q, i, n);
}

void prioq_init(struct prioq *q, prioq_before_fn before)
{
	q->slots = NULL;
	q->nr = q->cap = 0;
	q->before = before;
}

void prioq_fini(struct prioq *q)
{
	free(q->slots);
	q->slots = NULL;
	q->nr = q->cap = 0;
}

int prioq_reserve(struct prioq *q, unsigned int n)
{
	struct prioq_node **slots;
	unsigned int cap = q->cap ? q->cap : 8;

	if (n <= q->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	slots = realloc(q->slots, cap * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	q->slots = slots;
	q->cap = cap;
	return 0;
}

int prioq_insert(struct prioq *q, struct prioq_node *n)
{
	if (q->nr == q->cap && prioq_reserve(q, q->nr + 1))
		return -ENOMEM;
	place(q, q->nr++, n);
	sift_up(q, (unsigned int)n->idx);
	return 0;
}

void prioq_remove(struct prioq *q, struct prioq_node *n)
{
	unsigned int i;
	struct prioq_node *last;

	if (!prioq_queued(n))
		return;
	i = (unsigned int)n->idx;
	last = q->slots[--q->nr];
	n->idx = -1;
	if (last == n)
		return;
	place(q, i, last);
	prioq_update(q, last);
}

void prioq_update(struct prioq *q, struct prioq_node *n)
{
	unsigned int i = (unsigned int)n->idx;

	if (i > 0 && q->before(n, q->slots[(i - 1) / 2]))
		sift_up(q, i);
	else
		sift_down(q, i);
}

struct prioq_node *prioq_pop(struct prioq *q)
{
	struct prioq_node *n = prioq_first(q);

	if (n)
		prioq_remove(q, n);
	return n;
}
