/* form.c - decoding application/x-www-form-urlencoded bodies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/form.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
static bool valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        unsigned min;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xE0) == 0xC0) { k = 1; min = 0x80; c &= 0x1F; }
        else if ((c & 0xF0) == 0xE0) { k = 2; min = 0x800; c &= 0x0F; }
        else if ((c & 0xF8) == 0xF0) { k = 3; min = 0x10000; c &= 0x07; }
        else return false;
        if (n - i <= k) return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return false;
            c = (c << 6) | (s[i + j] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
        i += k + 1;
    }
    return true;
}

/* Decode s[0..n) into a new arena string; NULL with err on failure. */
/* `base` is the offset of s in the body, for messages. */
static char *decode(form *f, const char *s, size_t n, size_t base, const char *what,
                    char *err, size_t cap)
{
    char *out = ig_arena_alloc(&f->arena, n + 1);
    if (!out) {
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = n - i >= 3 ? hexval(s[i + 1]) : -1;
            int lo = n - i >= 3 ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                snprintf(err, cap, "invalid percent escape in %s at byte %zu", what, base + i);
                return NULL;
            }
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0') {
            snprintf(err, cap, "NUL byte in %s", what);
            return NULL;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    if (!valid_utf8((const unsigned char *)out, o)) {
        snprintf(err, cap, "%s is not valid UTF-8", what);
        return NULL;
    }
    return out;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const form_pair *)a)->name, ((const form_pair *)b)->name);
}

int form_parse(form *f, const char *body, size_t len, char *err, size_t errcap)
{
    memset(f, 0, sizeof f[0]);
    ig_arena_init(&f->arena);
    size_t count = 1;
    for (size_t i = 0; i < len; i++)
        count += body[i] == '&';
    if (count > FORM_MAX_PAIRS) {
        snprintf(err, errcap, "more than %u parameters", FORM_MAX_PAIRS);
        return -1;
    }
    f->pairs = ig_arena_alloc(&f->arena, count * sizeof *f->pairs);
    if (!f->pairs) {
        snprintf(err, errcap, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < len;) {
        const char *seg = body + i;
        const char *amp = memchr(seg, '&', len - i);
        size_t n = amp ? (size_t)(amp - seg) : len - i;
        i += n + 1;
        if (n == 0)
            continue;           /* "a=1&&b=2" and a trailing '&' are harmless */
        const char *eq = memchr(seg, '=', n);
        size_t nl = eq ? (size_t)(eq - seg) : n;
        if (nl == 0) {
            snprintf(err, errcap, "a parameter without a name");
            f->n = 0;
            return -1;
        }
        form_pair *p = &f->pairs[f->n];
        p->name = decode(f, seg, nl, (size_t)(seg - body), "a parameter name", err, errcap);
        if (!p->name) { f->n = 0; return -1; }
        const char *v = eq ? eq + 1 : seg + n;
        size_t vl = eq ? n - nl - 1 : 0;
        char what[96];
        snprintf(what, sizeof what, "the value of %.64s", p->name);
        char *val = decode(f, v, vl, (size_t)(v - body), what, err, errcap);
        if (!val) { f->n = 0; return -1; }
        p->value = val;
        p->value_len = strlen(val);
        p->used = false;
        f->n++;
    }
    qsort(f->pairs, f->n, sizeof *f->pairs, by_name);
    for (size_t i = 1; i < f->n; i++)
        if (!strcmp(f->pairs[i - 1].name, f->pairs[i].name)) {
            snprintf(err, errcap, "parameter %.128s appears more than once", f->pairs[i].name);
            f->n = 0;
            return -1;
        }
    return 0;
}

void form_free(form *f)
{
    ig_arena_free(&f->arena);
    f->pairs = NULL;
    f->n = 0;
}

/* Index of the first pair whose name is >= key. */
static size_t lower_bound(const form *f, const char *key)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(f->pairs[mid].name, key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

const char *form_get(form *f, const char *name)
{
    size_t i = lower_bound(f, name);
    if (i < f->n && !strcmp(f->pairs[i].name, name)) {
        f->pairs[i].used = true;
        return f->pairs[i].value;
    }
    return NULL;
}

size_t form_prefix_range(const form *f, const char *prefix, size_t *first)
{
    size_t i = lower_bound(f, prefix), pl = strlen(prefix), j = i;
    while (j < f->n && !strncmp(f->pairs[j].name, prefix, pl))
        j++;
    *first = i;
    return j - i;
}

size_t form_member_index(const char *s, size_t max, const char **rest)
{
    if (*s < '1' || *s > '9')
        return 0;
    size_t v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (size_t)(*s - '0');
        if (v > max)
            return 0;
        s++;
    }
    if (*s != '\0' && *s != '.')
        return 0;
    *rest = s;
    return v;
}

const form_pair *form_first_unused(const form *f)
{
    for (size_t i = 0; i < f->n; i++)
        if (!f->pairs[i].used)
            return &f->pairs[i];
    return NULL;
}
