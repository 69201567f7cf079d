/* arena.c - bump allocation in chunks that are freed together. */
#include "util/alloc.h"
#include "util/arena.h"
#include "util/str.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_MIN_CHUNK 4096u

void ig_arena_init(ig_arena *a) { a->head = NULL; a->total = 0; a->hint = 0; }

void ig_arena_reserve(ig_arena *a, size_t n)
{
    if (!a->head)
        a->hint = n;
}

void ig_arena_free(ig_arena *a)
{
    ig_arena_chunk *c = a->head;
    while (c) {
        ig_arena_chunk *next = c->next;
        ig_free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

void *ig_arena_alloc(ig_arena *a, size_t n)
{
    void *p = ig_arena_alloc_raw(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

void *ig_arena_take_slow(ig_arena *a, size_t n, size_t align)
{
    if (n > ((size_t)1 << 40))
        return NULL;
    /* Chunks grow with the arena, by a quarter of it: few chunks for big
     * policies, and at most a quarter left unused. */
    size_t cap = a->head ? a->total / 4 : a->hint;
    /* A small arena told its size (ig_arena_reserve: a compiled policy,
     * whose estimate the result stays within 1.5 times of) starts with
     * room for that, not a whole minimum chunk: an account's trust and
     * managed policies use 1.6 KB on average, 60% of a 4 KB chunk. */
    if (cap < ARENA_MIN_CHUNK && !a->head && a->hint && a->hint + a->hint / 2 < ARENA_MIN_CHUNK)
        cap = a->hint + a->hint / 2;
    else if (cap < ARENA_MIN_CHUNK)
        cap = ARENA_MIN_CHUNK;
    if (cap < n) cap = n;
    ig_arena_chunk *c = ig_malloc(sizeof *c + cap);
    if (!c)
        return NULL;
    (void)align;                /* data is 16-byte aligned */
    c->used = n;
    c->cap = cap;
    c->next = a->head;
    a->head = c;
    a->total += n;
    return c->data;
}

char *ig_arena_strndup(ig_arena *a, const char *s, size_t n)
{
    char *p = ig_arena_take(a, n + 1, 1);
    if (!p)
        return NULL;
    ig_copy_short(p, s, n);
    p[n] = '\0';
    return p;
}
