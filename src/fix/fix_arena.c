/* fix_arena.c - blocks of memory freed together, for the strings and
 * arrays of one editable policy document (fix_arena.h). */
#include <stdint.h>
#include <string.h>

#include "fix/fix_arena.h"
#include "util/alloc.h"

#define ALIGN 16u
#define MIN_BLOCK 1024u

typedef struct fx_block {
    struct fx_block *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} fx_block;

struct fx_arena {
    fx_block *head;             /* the block being filled; older ones follow */
};

static fx_block *block_new(size_t cap)
{
    if (cap > SIZE_MAX - sizeof(fx_block))
        return NULL;
    fx_block *b = ig_malloc(sizeof *b + cap);
    if (!b)
        return NULL;
    b->next = NULL;
    b->used = 0;
    b->cap = cap;
    return b;
}

fx_arena *fx_arena_new(size_t first)
{
    fx_arena *a = ig_malloc(sizeof *a);
    if (!a)
        return NULL;
    a->head = block_new(first < MIN_BLOCK ? MIN_BLOCK : first);
    if (!a->head) {
        ig_free(a);
        return NULL;
    }
    return a;
}

void fx_arena_free(fx_arena *a)
{
    if (!a)
        return;
    for (fx_block *b = a->head, *next; b; b = next) {
        next = b->next;
        ig_free(b);
    }
    ig_free(a);
}

void *fx_alloc(fx_arena *a, size_t n)
{
    if (n > SIZE_MAX / 2)
        return NULL;
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need == 0)
        need = ALIGN;
    fx_block *b = a->head;
    if (b->cap - b->used < need) {
        /* Doubling keeps the number of blocks logarithmic in the bytes. */
        size_t cap = b->cap * 2 > need ? b->cap * 2 : need;
        fx_block *nb = block_new(cap);
        if (!nb)
            return NULL;
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    return p;
}

char *fx_strndup(fx_arena *a, const char *s, size_t n)
{
    char *p = fx_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char **fx_strv_dup(fx_arena *a, const char *const *v, size_t n)
{
    char **out = fx_alloc(a, (n ? n : 1) * sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(out[i] = fx_strndup(a, v[i], strlen(v[i]))))
            return NULL;
    return out;
}
