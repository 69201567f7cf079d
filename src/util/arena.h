/* arena.h - a bump allocator: many small allocations, one free.
 *
 * Compiled policies live in one arena so that a policy is a single block of
 * memory to share between threads and to release with one call. */
#ifndef IG_ARENA_H
#define IG_ARENA_H

#include <stddef.h>

typedef struct ig_arena_chunk ig_arena_chunk;
typedef struct {
    ig_arena_chunk *head;
    size_t total;           /* bytes handed out, for limits and stats */
} ig_arena;

void ig_arena_init(ig_arena *a);
void ig_arena_free(ig_arena *a);
/* Zeroed, 16-byte aligned memory; NULL when out of memory. */
void *ig_arena_alloc(ig_arena *a, size_t n);
/* The same without zeroing, for buffers the caller fills entirely. */
void *ig_arena_alloc_raw(ig_arena *a, size_t n);
/* A NUL-terminated copy of n bytes of s. */
char *ig_arena_strndup(ig_arena *a, const char *s, size_t n);

#endif
