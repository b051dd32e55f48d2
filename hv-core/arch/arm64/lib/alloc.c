/*
 * The hypervisor heap: first fit over an address-ordered free list, with
 * coalescing on free. Every allocation happens under the hypervisor lock
 * (the core is only entered with it held), so there is no locking here.
 * Allocation is mostly at set-up (machine, scheduler data, trace rings);
 * the scheduling path allocates rarely (queue growth), so first fit is
 * fast enough and keeps the heap easy to reason about.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16u

struct chunk { /* header in front of every block, used or free */
	size_t size; /* whole block, header included, multiple of ALIGN */
	struct chunk *next; /* free list only */
};

#define HDR ((sizeof(struct chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

static struct chunk *free_list;

void heap_init(void *start, size_t len)
{
	uintptr_t a = ((uintptr_t)start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);

	len -= a - (uintptr_t)start;
	free_list = (struct chunk *)a;
	free_list->size = len & ~(size_t)(ALIGN - 1);
	free_list->next = NULL;
}

void *malloc(size_t n)
{
	struct chunk **pp, *c;
	size_t need;

	if (n > (SIZE_MAX >> 1))
		return NULL;
	need = HDR + ((n + ALIGN - 1) & ~(size_t)(ALIGN - 1));
	for (pp = &free_list; (c = *pp); pp = &c->next) {
		if (c->size < need)
			continue;
		if (c->size - need >= HDR + ALIGN) {
			struct chunk *rest = (struct chunk *)((char *)c + need);

			rest->size = c->size - need;
			rest->next = c->next;
			*pp = rest;
			c->size = need;
		} else {
			*pp = c->next;
		}
		return (char *)c + HDR;
	}
	return NULL;
}

void *calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	p = malloc(nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

/*
 * Over-allocate, and mark the aligned block with a header of size 0
 * whose next field points back at the real block, for free().
 */
void *aligned_alloc(size_t align, size_t size)
{
	char *p, *q;
	struct chunk *mark;

	if (align <= ALIGN)
		return malloc(size);
	if (align & (align - 1) || size > (SIZE_MAX >> 2))
		return NULL;
	p = malloc(size + align + HDR);
	if (!p)
		return NULL;
	q = (char *)(((uintptr_t)p + HDR + align - 1) &
		     ~(uintptr_t)(align - 1));
	mark = (struct chunk *)(q - HDR);
	mark->size = 0;
	mark->next = (struct chunk *)(p - HDR);
	/* p is reachable through mark->next: free(q) releases it */
	// cppcheck-suppress memleak
	return q;
}

void free(void *p)
{
	struct chunk *c, **pp, *prev = NULL;

	if (!p)
		return;
	c = (struct chunk *)((char *)p - HDR);
	if (!c->size)
		c = c->next; /* from aligned_alloc */
	for (pp = &free_list; *pp && *pp < c; pp = &(*pp)->next)
		prev = *pp;
	c->next = *pp;
	*pp = c;
	if (c->next && (char *)c + c->size == (char *)c->next) {
		c->size += c->next->size;
		c->next = c->next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)c) {
		prev->size += c->size;
		prev->next = c->next;
	}
}

void *realloc(void *p, size_t n)
{
	struct chunk *c;
	void *q;
	size_t have;

	if (!p)
		return malloc(n);
	c = (struct chunk *)((char *)p - HDR);
	/* an aligned_alloc block: what is left of its chunk after @p */
	have = c->size ? c->size - HDR
		       : (size_t)((char *)c->next + c->next->size - (char *)p);
	if (n <= have)
		return p;
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	free(p);
	return q;
}
