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

/* A hash of a condition key that ignores ASCII case, for the lookups of
 * every request.  Bytes are OR-ed with 0x20 (which folds A-Z onto a-z and
 * may fold a few punctuation characters together -- harmless, equality is
 * checked after the hash), and only the length, the first eight and the
 * last eight bytes are mixed: one multiply, since keys are short and this
 * runs for each context key of each request. */
static inline uint32_t ig_hash_key(const char *s, size_t n)
{
    uint64_t a = 0, b = 0;
    if (n >= 8) {
        __builtin_memcpy(&a, s, 8);
        __builtin_memcpy(&b, s + n - 8, 8);
    } else {
        __builtin_memcpy(&a, s, n);
        b = a;
    }
    a |= 0x2020202020202020ull;
    b |= 0x2020202020202020ull;
    uint64_t h = (a ^ ((b << 23) | (b >> 41)) ^ (uint64_t)n) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

bool ig_eq_icase(const char *a, const char *b, size_t n);
/* Copy n bytes lowercased into dst (which has room for n+1). */
void ig_copy_lower(char *dst, const char *src, size_t n);

#endif
