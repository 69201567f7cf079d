/* alloc.c - the library's allocator, replaceable as a whole.
 *
 * The hooks are process-wide and must be set before any other iamguard
 * call (they are read without synchronisation on every allocation). */
#include "util/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iamguard.h"

static ig_allocator current = { NULL, NULL, NULL, NULL };

void ig_set_allocator(const ig_allocator *a)
{
    if (a)
        current = *a;
    else
        memset(&current, 0, sizeof current);
}

void *ig_malloc(size_t n)
{
    return current.malloc_fn ? current.malloc_fn(current.ctx, n) : malloc(n);
}

void *ig_calloc(size_t count, size_t size)
{
    if (!current.malloc_fn)
        return calloc(count, size);
    if (size && count > (size_t)-1 / size)
        return NULL;
    void *p = current.malloc_fn(current.ctx, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *ig_realloc(void *p, size_t n)
{
    return current.realloc_fn ? current.realloc_fn(current.ctx, p, n) : realloc(p, n);
}

void *ig_grow(void *arr, size_t *cap, size_t n, size_t elem, size_t first)
{
    if (n < *cap)
        return arr;
    size_t nc = *cap ? *cap * 2 : first;
    if (nc < *cap || nc > SIZE_MAX / elem)
        return NULL;
    void *grown = ig_realloc(arr, nc * elem);
    if (grown)
        *cap = nc;
    return grown;
}

void ig_free(void *p)
{
    if (current.free_fn)
        current.free_fn(current.ctx, p);
    else
        free(p);
}

char *ig_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = ig_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}
