/* alloc.h - every allocation of the core library goes through these, so
 * that tests can make the N-th allocation fail (fault injection) and
 * embedders can supply their own allocator (ig_set_allocator). */
#ifndef IG_ALLOC_H
#define IG_ALLOC_H

#include <stddef.h>

void *ig_malloc(size_t n);
void *ig_calloc(size_t count, size_t size);
void *ig_realloc(void *p, size_t n);
void ig_free(void *p);

#endif
