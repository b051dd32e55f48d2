/* The allocator the core and schedulers use (lib/alloc.c): a first-fit
 * heap over the memory between the image and the guests. */
#ifndef HV_ARM64_STDLIB_H
#define HV_ARM64_STDLIB_H
#include <stddef.h>
void *malloc(size_t n);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
void *aligned_alloc(size_t align, size_t size);
_Noreturn void abort(void);
void heap_init(void *start, size_t len);
#endif
