/* fault_alloc.h - an allocator for fault-injection tests (ig_set_allocator):
 * it counts allocations, fails the fail_at-th one, and counts the blocks
 * still allocated so a test can assert that a failure leaked nothing.
 * Header-only: every test binary that includes it gets its own state. */
#ifndef IG_TEST_FAULT_ALLOC_H
#define IG_TEST_FAULT_ALLOC_H

#include <stdbool.h>
#include <stdlib.h>

#include "iamguard.h"

typedef struct {
    long count;         /* allocations so far */
    long fail_at;       /* 1-based index of the allocation to fail; 0 = none */
    long live;          /* blocks currently allocated */
    bool failed;        /* the injected failure happened */
} fault_state;

static fault_state fs;

static void *f_malloc(void *ctx, size_t n)
{
    (void)ctx;
    if (++fs.count == fs.fail_at) { fs.failed = true; return NULL; }
    void *p = malloc(n ? n : 1);
    if (p) fs.live++;
    return p;
}

static void *f_realloc(void *ctx, void *p, size_t n)
{
    (void)ctx;
    if (++fs.count == fs.fail_at) { fs.failed = true; return NULL; }
    void *q = realloc(p, n ? n : 1);
    if (q && !p) fs.live++;
    return q;
}

static void f_free(void *ctx, void *p)
{
    (void)ctx;
    if (p) { fs.live--; free(p); }
}

static const ig_allocator FAULTY = { f_malloc, f_realloc, f_free, NULL };

#endif
