/*
 * Run metrics: the sorted, growable arrays the builder keeps its
 * domains, tasks, IRQs and vCPUs in (metrics_private.h), and unit
 * helpers.
 */
#include <stdlib.h>
#include <string.h>

#include "analysis/metrics_private.h"
#include "tracing/trace_decode.h"

void *metrics_grow_array(void *p, size_t *cap, size_t size)
{
	size_t new_cap = *cap ? *cap * 2 : 16;

	p = new_cap <= SIZE_MAX / size ? realloc(p, new_cap * size) : NULL;
	if (p)
		*cap = new_cap;
	return p;
}

uint64_t metrics_ticks_to_ns(uint64_t ticks, uint64_t hz)
{
	const struct trace_clock c = {.hz = hz};

	return trace_clock_ns(&c, ticks);
}

/*
 * Binary search in an array sorted by its elements' first member, an
 * unsigned int. Return: the index of @key, or of where it would go.
 */
static size_t sorted_search(const void *base, size_t nr, size_t size,
			    unsigned int key)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		unsigned int k;

		memcpy(&k, (const unsigned char *)base + mid * size, sizeof(k));
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Finds @key in @v, inserting a zeroed element (key set, *@created true)
 * if absent. Return: the element, or NULL when out of memory.
 */
void *metrics_vec_get(struct vec *v, size_t size, unsigned int key,
		      bool *created)
{
	size_t pos = sorted_search(v->items, v->nr, size, key);
	unsigned char *at = v->items + pos * size;

	*created = false;
	if (pos < v->nr && !memcmp(at, &key, sizeof(key)))
		return at;
	if (v->nr == v->cap) {
		unsigned char *grown =
		    metrics_grow_array(v->items, &v->cap, size);

		if (!grown)
			return NULL;
		v->items = grown;
	}
	at = v->items + pos * size;
	memmove(at + size, at, (v->nr - pos) * size);
	memset(at, 0, size);
	memcpy(at, &key, sizeof(key));
	v->nr++;
	*created = true;
	return at;
}
