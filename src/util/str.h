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

/* A hash of a condition key that ignores ASCII case: every byte is OR-ed
 * with 0x20 (which folds A-Z onto a-z and may fold a few punctuation
 * characters together -- harmless, equality is always checked after the
 * hash) and mixed eight bytes at a time.  This runs for every context key
 * of every request, so it must be cheap. */
static inline uint32_t ig_hash_key(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        __builtin_memcpy(&w, s + i, 8);
        h = (h ^ (w | 0x2020202020202020ull)) * 0x100000001B3ull;
        h ^= h >> 29;
    }
    if (i < n) {
        uint64_t w = 0;
        __builtin_memcpy(&w, s + i, n - i);
        w |= 0x2020202020202020ull >> (8 * (8 - (n - i)));
        h = (h ^ w) * 0x100000001B3ull;
    }
    h ^= h >> 32;
    return (uint32_t)h;
}

bool ig_eq_icase(const char *a, const char *b, size_t n);
/* Copy n bytes lowercased into dst (which has room for n+1). */
void ig_copy_lower(char *dst, const char *src, size_t n);

#endif
