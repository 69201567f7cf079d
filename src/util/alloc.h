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
/* Room for one more element in a doubling array of `elem`-byte elements
 * holding n of *cap: returns arr as is while n < *cap, else the array
 * grown (`first` elements the first time, then twice as many) with *cap
 * updated; NULL when memory runs out (arr is then unchanged). */
void *ig_grow(void *arr, size_t *cap, size_t n, size_t elem, size_t first);
/* A copy of a string through ig_malloc; NULL when memory runs out. */
char *ig_strdup(const char *s);

#endif
