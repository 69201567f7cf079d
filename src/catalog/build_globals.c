/* build_globals.c - the global condition keys (aws:SourceIp, ...) of the
 * data package.  The package ships them only as a JavaScript array of
 * object literals (dist/cjs/globalConditionKeys.js), so this reads exactly
 * that shape: `{ key: '...', category: '...', type: '...', ... }`, with
 * strings in single, double or back quotes.  Anything else is an error:
 * a data package that moved them elsewhere needs a new reader, not a
 * silently empty list. */
#include "catalog/build_globals.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *p, *end;
} cursor;

static void skip_space(cursor *c)
{
    for (;;) {
        while (c->p < c->end && (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
            c->p++;
        if (c->end - c->p >= 2 && c->p[0] == '/' && c->p[1] == '/') {
            while (c->p < c->end && *c->p != '\n')
                c->p++;
            continue;
        }
        return;
    }
}

static bool take(cursor *c, char ch)
{
    skip_space(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

/* A quoted string without escapes other than \x for a literal x. */
static bool read_string(cursor *c, char *out, size_t cap)
{
    skip_space(c);
    if (c->p >= c->end || (*c->p != '\'' && *c->p != '"' && *c->p != '`'))
        return false;
    char q = *c->p++;
    size_t n = 0;
    while (c->p < c->end && *c->p != q) {
        if (*c->p == '\\' && c->p + 1 < c->end)
            c->p++;
        if (n + 1 < cap)
            out[n++] = *c->p;
        c->p++;
    }
    if (c->p >= c->end)
        return false;
    c->p++;
    out[n] = '\0';
    return true;
}

static bool read_ident(cursor *c, char *out, size_t cap)
{
    skip_space(c);
    size_t n = 0;
    while (c->p < c->end && ((*c->p >= 'a' && *c->p <= 'z') || (*c->p >= 'A' && *c->p <= 'Z') ||
                             (*c->p >= '0' && *c->p <= '9') || *c->p == '_')) {
        if (n + 1 < cap)
            out[n++] = *c->p;
        c->p++;
    }
    out[n] = '\0';
    return n > 0;
}

int bg_read_globals(const char *js, size_t len, bg_key *keys, size_t cap,
                    size_t *count, const char **err)
{
    static const char anchor[] = "globalConditionKeys = [";
    const char *start = memmem(js, len, anchor, sizeof anchor - 1);
    *count = 0;
    if (!start) {
        *err = "no \"globalConditionKeys = [\" array";
        return -1;
    }
    cursor c = { start + sizeof anchor - 1, js + len };
    if (take(&c, ']'))
        return 0;
    for (;;) {
        if (!take(&c, '{')) {
            *err = "expected an object literal in globalConditionKeys";
            return -1;
        }
        bg_key k;
        memset(&k, 0, sizeof k);
        while (!take(&c, '}')) {
            char field[32], value[BG_MAX_TEXT];
            if (!read_ident(&c, field, sizeof field) || !take(&c, ':') ||
                !read_string(&c, value, sizeof value)) {
                *err = "unexpected text in a globalConditionKeys entry";
                return -1;
            }
            if (!strcmp(field, "key"))
                snprintf(k.key, sizeof k.key, "%s", value);
            else if (!strcmp(field, "type"))
                snprintf(k.type, sizeof k.type, "%s", value);
            take(&c, ',');
        }
        if (!k.key[0] || !k.type[0]) {
            *err = "a globalConditionKeys entry lacks key or type";
            return -1;
        }
        if (*count == cap) {
            *err = "too many global condition keys";
            return -1;
        }
        keys[(*count)++] = k;
        if (take(&c, ']'))
            return 0;
        if (!take(&c, ',')) {
            *err = "expected ',' or ']' in globalConditionKeys";
            return -1;
        }
        if (take(&c, ']'))
            return 0;
    }
}
