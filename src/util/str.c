/* str.c - string helpers. */
#include "util/str.h"

#include <string.h>

/* Byte by byte, stopping at the first difference: some callers compare a
 * NUL-terminated string shorter than n and rely on its NUL differing. */
bool ig_eq_icase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ig_lower(a[i]) != ig_lower(b[i]))
            return false;
    return true;
}

void ig_copy_lower(char *dst, const char *src, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, src + i, 8);
        w |= ig_swar_upper(w) >> 2;     /* 0x80 >> 2 is the case bit */
        memcpy(dst + i, &w, 8);
    }
    for (; i < n; i++)
        dst[i] = ig_lower(src[i]);
    dst[n] = '\0';
}

bool ig_has_upper(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (ig_swar_upper(w))
            return true;
    }
    for (; i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'Z')
            return true;
    return false;
}

size_t ig_count_dense(const char *s, size_t n)
{
    size_t i = 0, count = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        /* one bit per byte at bit 0; the multiply sums them in the top byte */
        count += (size_t)(((ig_swar_above_space(w) >> 7) * IG_SWAR_ONES) >> 56);
    }
    for (; i < n; i++)
        count += (unsigned char)s[i] > ' ';
    return count;
}
