/* str.h - small string helpers shared by the parser and the evaluator. */
#ifndef IG_STR_H
#define IG_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline char ig_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* FNV-1a over the ASCII-lowercased bytes: condition keys are
 * case-insensitive, so their hashes are too. */
static inline uint32_t ig_hash_lower(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)ig_lower(s[i]);
        h *= 16777619u;
    }
    return h;
}

bool ig_eq_icase(const char *a, const char *b, size_t n);
/* Copy n bytes lowercased into dst (which has room for n+1). */
void ig_copy_lower(char *dst, const char *src, size_t n);

#endif
