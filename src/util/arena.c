/* arena.c - bump allocation in chunks that are freed together. */
#include "util/alloc.h"
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

struct ig_arena_chunk {
    ig_arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

#define ARENA_MIN_CHUNK 4096u

void ig_arena_init(ig_arena *a) { a->head = NULL; a->total = 0; }

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

void *ig_arena_alloc_raw(ig_arena *a, size_t n)
{
    if (n > ((size_t)1 << 40))
        return NULL;
    n = (n + 15u) & ~(size_t)15u;
    ig_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        /* Chunks double with the arena so big policies need few of them. */
        size_t cap = ARENA_MIN_CHUNK;
        if (a->total > cap) cap = a->total;
        if (cap < n) cap = n;
        c = ig_malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->total += n;
    return p;
}

char *ig_arena_strndup(ig_arena *a, const char *s, size_t n)
{
    char *p = ig_arena_alloc_raw(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
