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
    } else if (n >= 4) {            /* two overlapping loads, no byte loop */
        uint32_t lo, hi;
        __builtin_memcpy(&lo, s, 4);
        __builtin_memcpy(&hi, s + n - 4, 4);
        a = b = lo | (uint64_t)hi << 32;
    } else if (n > 0) {
        a = b = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                (uint64_t)(unsigned char)s[n - 1] << 16;
    }
    a |= 0x2020202020202020ull;
    b |= 0x2020202020202020ull;
    uint64_t h = (a ^ ((b << 23) | (b >> 41)) ^ (uint64_t)n) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32) ^ (uint32_t)h;
}

/* ---- eight bytes at a time (SWAR) ----
 * Each returns a word with the high bit of every byte that qualifies set,
 * exactly (no false positives from borrows between bytes). */
#define IG_SWAR_ONES 0x0101010101010101ull
#define IG_SWAR_HIGH 0x8080808080808080ull
#define IG_SWAR_LOW7 0x7F7F7F7F7F7F7F7Full

static inline uint64_t ig_swar_eq(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (IG_SWAR_ONES * c);
    return ~(((x & IG_SWAR_LOW7) + IG_SWAR_LOW7) | x) & IG_SWAR_HIGH;
}

/* Bytes 'A'..'Z'. */
static inline uint64_t ig_swar_upper(uint64_t w)
{
    uint64_t h = w & IG_SWAR_LOW7;
    uint64_t ge_a = h + IG_SWAR_ONES * (0x80 - 'A');
    uint64_t gt_z = h + IG_SWAR_ONES * (0x80 - 'Z' - 1);
    return ge_a & ~gt_z & ~w & IG_SWAR_HIGH;
}

/* Bytes above ' ' (0x21..0xFF). */
static inline uint64_t ig_swar_above_space(uint64_t w)
{
    return (((w & IG_SWAR_LOW7) + IG_SWAR_ONES * (0x80 - 0x21)) | w) & IG_SWAR_HIGH;
}

/* memcpy for the short strings of policies, without a call into libc:
 * overlapping word moves cover every length up to 16. */
static inline void ig_copy_short(void *dst, const void *src, size_t n)
{
    char *d = dst;
    const char *s = src;
    if (n > 16) {
        __builtin_memcpy(d, s, n);
    } else if (n >= 8) {
        uint64_t a, b;
        __builtin_memcpy(&a, s, 8);
        __builtin_memcpy(&b, s + n - 8, 8);
        __builtin_memcpy(d, &a, 8);
        __builtin_memcpy(d + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        __builtin_memcpy(&a, s, 4);
        __builtin_memcpy(&b, s + n - 4, 4);
        __builtin_memcpy(d, &a, 4);
        __builtin_memcpy(d + n - 4, &b, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    }
}

bool ig_eq_icase(const char *a, const char *b, size_t n);
/* Whether any byte is 'A'..'Z'. */
bool ig_has_upper(const char *s, size_t n);
/* Bytes above ' ': a JSON text's size without its whitespace. */
size_t ig_count_dense(const char *s, size_t n);
/* Copy n bytes lowercased into dst (which has room for n+1). */
void ig_copy_lower(char *dst, const char *src, size_t n);

#endif
