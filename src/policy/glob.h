/* glob.h - compiled wildcard patterns with policy variables.
 *
 * One representation serves action names, resource ARNs and the values of
 * String and Arn condition operators: a pattern is a list of tokens
 * (literal text, `*`, `?`, `${variable}`).  Variables are resolved by the
 * caller at match time, and their substituted text is always literal, so a
 * `*` that arrives in a request value is never a wildcard. */
#ifndef IG_GLOB_H
#define IG_GLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

#define IG_MAX_VARS 16      /* variables in one pattern */

enum { GT_LIT = 0, GT_STAR, GT_QMARK, GT_VAR };

typedef struct {
    uint8_t kind;
    uint8_t var;            /* GT_VAR: index into ig_glob.vars */
    uint32_t len;           /* GT_LIT */
    const char *text;       /* GT_LIT */
} ig_gtok;

typedef struct {
    const char *key;        /* lowercased key name */
    const char *key_orig;   /* as written */
    uint32_t key_len;
    uint32_t hash;          /* ig_hash_lower(key) */
    const char *dflt;       /* default value, or NULL */
    uint32_t dflt_len;
} ig_var;

/* Shapes with a fast path in ig_glob_match. */
enum { GS_GENERAL = 0, GS_ANY, GS_EXACT, GS_PREFIX, GS_SUFFIX, GS_PREFIX_SUFFIX };

typedef struct {
    const char *raw;        /* the pattern as written */
    uint32_t raw_len;
    uint16_t ntok;
    uint8_t nvars;
    uint8_t shape;
    ig_gtok *tok;
    ig_var *vars;
} ig_glob;

#define GLOB_WILDCARDS 1u   /* '*' and '?' are wildcards */
#define GLOB_VARIABLES 2u   /* '${...}' is a policy variable */
#define GLOB_LOWER     4u   /* lowercase literal text (actions) */
#define GLOB_BORROW    8u   /* s outlives the pattern: raw points into it */

/* Compile n bytes of s.  On error returns false and sets *err_msg and
 * *err_off (byte offset within s). */
bool ig_glob_compile(ig_arena *a, const char *s, size_t n, unsigned flags,
                     ig_glob *out, const char **err_msg, size_t *err_off);

/* A variable's value as the caller resolved it; ptr NULL = unresolved. */
typedef struct { const char *ptr; size_t len; } ig_strref;

/* n bytes equal?  Inline and word-at-a-time: literals are short, and a
 * call into libc's memcmp costs more than the comparison. */
static inline bool ig_lit_eq(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        for (size_t i = 0; i + 8 <= n; i += 8) {
            __builtin_memcpy(&x, a + i, 8);
            __builtin_memcpy(&y, b + i, 8);
            if (x != y)
                return false;
        }
        __builtin_memcpy(&x, a + n - 8, 8);
        __builtin_memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t x, y, u, v;
        __builtin_memcpy(&x, a, 4);
        __builtin_memcpy(&y, b, 4);
        __builtin_memcpy(&u, a + n - 4, 4);
        __builtin_memcpy(&v, b + n - 4, 4);
        return x == y && u == v;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Match a pattern whose variables are resolved in vals[] (nvars entries,
 * all non-NULL).  icase: ASCII case-insensitive literal comparison. */
bool ig_glob_match_general(const ig_glob *g, const ig_strref *vals,
                           const char *s, size_t n, bool icase);

/* The common shapes inline; the rest in ig_glob_match_general. */
static inline bool ig_glob_match(const ig_glob *g, const ig_strref *vals,
                                 const char *s, size_t n, bool icase)
{
    if (!icase) {
        switch (g->shape) {
        case GS_ANY:
            return true;
        case GS_EXACT:
            if (g->ntok == 0) return n == 0;
            return g->tok[0].len == n && ig_lit_eq(g->tok[0].text, s, n);
        case GS_PREFIX:
            return n >= g->tok[0].len && ig_lit_eq(g->tok[0].text, s, g->tok[0].len);
        default:
            break;
        }
    }
    return ig_glob_match_general(g, vals, s, n, icase);
}

/* ARN-aware resource pattern. */
typedef struct {
    uint8_t mode;           /* ARNP_ANY, ARNP_SEGMENTS, ARNP_REST, ARNP_FEW */
    uint8_t nseg;           /* ARNP_SEGMENTS: 6; ARNP_REST, ARNP_FEW: 1..5 */
    uint8_t nvars;          /* variables of all segments together */
    uint8_t lit_segs;       /* leading segments that are plain literals */
    uint32_t lit_len;       /* bytes of raw they cover, colons included */
    const char *raw;        /* the pattern as written */
    uint32_t raw_len;
    ig_var *vars;           /* shared by every segment's tokens */
    ig_glob seg[6];
} ig_arnpat;

enum { ARNP_ANY = 0, ARNP_SEGMENTS, ARNP_REST, ARNP_FEW };

bool ig_arnpat_compile(ig_arena *a, const char *s, size_t n, unsigned flags,
                       ig_arnpat *out, const char **err_msg, size_t *err_off);

/* An ARN split at its first five colons; nseg < 6 when it is not an ARN. */
typedef struct {
    uint8_t nseg;
    const char *seg[6];
    uint32_t len[6];
} ig_arn_split;

void ig_arn_split_str(const char *s, size_t n, ig_arn_split *out);

/* Match a resource (already split) against a pattern whose variables are
 * resolved in vals[] (indexed like p->vars). */
bool ig_arnpat_match(const ig_arnpat *p, const ig_strref *vals,
                     const char *s, size_t n, const ig_arn_split *sp);

#endif
