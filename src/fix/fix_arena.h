/* fix_arena.h - the bump allocator behind an fx_doc (fix_arena.c): blocks
 * that are freed together, so cloning a document for every candidate of
 * the search costs one allocation and one copy. */
#ifndef IG_FIX_ARENA_H
#define IG_FIX_ARENA_H

#include <stddef.h>

#include "fix/fix_doc.h"

/* An arena whose first block holds `first` bytes (more blocks come as
 * needed).  NULL when out of memory. */
fx_arena *fx_arena_new(size_t first);
void fx_arena_free(fx_arena *a);                /* NULL is fine */
/* n bytes, 16-aligned, uninitialised; NULL when out of memory. */
void *fx_alloc(fx_arena *a, size_t n);
/* A NUL-terminated copy of n bytes of s. */
char *fx_strndup(fx_arena *a, const char *s, size_t n);
/* Copies of n strings (NULL for n == 0 is fine: returns a valid pointer). */
char **fx_strv_dup(fx_arena *a, const char *const *v, size_t n);

#endif
