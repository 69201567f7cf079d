/* arena.h - a bump allocator: many small allocations, one free.
 *
 * Compiled policies live in one arena so that a policy is a single block of
 * memory to share between threads and to release with one call. */
#ifndef IG_ARENA_H
#define IG_ARENA_H

#include <stddef.h>

typedef struct ig_arena_chunk ig_arena_chunk;
struct ig_arena_chunk {
    ig_arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};
typedef struct {
    ig_arena_chunk *head;
    size_t total;           /* bytes handed out, for limits and stats */
    size_t hint;            /* size of the first chunk, 0: the minimum */
} ig_arena;

void ig_arena_init(ig_arena *a);
/* Make the first chunk n bytes: for a caller that can estimate its need,
 * so that a small arena is one block with little slack. */
void ig_arena_reserve(ig_arena *a, size_t n);
void ig_arena_free(ig_arena *a);
/* The slow path of ig_arena_take: a new chunk. */
void *ig_arena_take_slow(ig_arena *a, size_t n, size_t align);

/* n bytes at the given alignment (a power of two, at most 16); NULL when
 * out of memory.  Inline: a policy compile makes hundreds of these. */
static inline void *ig_arena_take(ig_arena *a, size_t n, size_t align)
{
    ig_arena_chunk *c = a->head;
    if (c) {
        size_t at = (c->used + align - 1) & ~(align - 1);
        if (at <= c->cap && c->cap - at >= n) {
            a->total += n + (at - c->used);
            c->used = at + n;
            return c->data + at;
        }
    }
    return ig_arena_take_slow(a, n, align);
}

/* Zeroed, 8-byte aligned memory; NULL when out of memory. */
void *ig_arena_alloc(ig_arena *a, size_t n);
/* The same without zeroing, for buffers the caller fills entirely. */
static inline void *ig_arena_alloc_raw(ig_arena *a, size_t n)
{
    return ig_arena_take(a, n, 8);
}
/* n bytes without alignment or zeroing, for text. */
static inline char *ig_arena_alloc_bytes(ig_arena *a, size_t n)
{
    return ig_arena_take(a, n, 1);
}
/* A NUL-terminated copy of n bytes of s (not aligned). */
char *ig_arena_strndup(ig_arena *a, const char *s, size_t n);

#endif
