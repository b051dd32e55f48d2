/*
 * An intrusive priority queue (binary min-heap) for schedulers.
 *
 * Embed a struct prioq_node in the element; the queue keeps pointers to
 * nodes and each node remembers its slot, so insert, remove and re-key are
 * O(log n) and the best element is O(1). The order is given by a
 * comparison function: "a comes before b". Ties must be broken inside it
 * (e.g. by a sequence number) if the order must be reproducible.
 *
 * Storage grows by doubling; prioq_reserve() lets a scheduler allocate
 * while it may (alloc_udata) so the scheduling path never does.
 */
#ifndef HV_PRIOQ_H
#define HV_PRIOQ_H

#include <stddef.h>

#include <hv/types.h>

struct prioq_node {
	int idx; /* slot, or -1 when not queued */
};

typedef bool (*prioq_before_fn)(const struct prioq_node *a,
				const struct prioq_node *b);

struct prioq {
	struct prioq_node **slots;
	unsigned int nr, cap;
	prioq_before_fn before;
};

#define prioq_entry(node, type, member) \
	((type *)((char *)(node)-offsetof(type, member)))

static inline void prioq_node_init(struct prioq_node *n)
{
	n->idx = -1;
}

static inline bool prioq_queued(const struct prioq_node *n)
{
	return n->idx >= 0;
}

static inline struct prioq_node *prioq_first(const struct prioq *q)
{
	return q->nr ? q->slots[0] : NULL;
}

/* The i-th slot in heap order (not sorted): for whole-queue walks. */
static inline struct prioq_node *prioq_at(const struct prioq *q, unsigned int i)
{
	return q->slots[i];
}

void prioq_init(struct prioq *q, prioq_before_fn before);
void prioq_fini(struct prioq *q);

/* Make room for @n elements in total. Returns 0 or -ENOMEM. */
int prioq_reserve(struct prioq *q, unsigned int n);

/* Insert @n (not queued). Returns 0 or -ENOMEM when it had to grow. */
int prioq_insert(struct prioq *q, struct prioq_node *n);

/* Remove @n if queued. */
void prioq_remove(struct prioq *q, struct prioq_node *n);

/* @n's key changed in place: restore the order. */
void prioq_update(struct prioq *q, struct prioq_node *n);

/* Remove and return the first node, or NULL. */
struct prioq_node *prioq_pop(struct prioq *q);

#endif /* HV_PRIOQ_H */
