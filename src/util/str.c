/* str.c - string helpers. */
#include "util/str.h"

bool ig_eq_icase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ig_lower(a[i]) != ig_lower(b[i]))
            return false;
    return true;
}

void ig_copy_lower(char *dst, const char *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = ig_lower(src[i]);
    dst[n] = '\0';
}
