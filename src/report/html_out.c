/* html_out.c - escaping text into the page, ids, and reading the report's
 * JSON without repeating null checks in every section. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_int.h"

void h_raw(rpt_page *p, const char *s)
{
    json_buf_puts(p->out, s);
}

void h_printf(rpt_page *p, const char *fmt, ...)
{
    char small[512];
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        json_buf_append(p->out, small, (size_t)n);
    } else if (n > 0) {
        char *big = malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            json_buf_append(p->out, big, (size_t)n);
            free(big);
        } else {
            p->out->failed = true;
        }
    }
    va_end(again);
}

void h_text_n(rpt_page *p, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '&': rep = "&amp;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '\0': rep = "\xEF\xBF\xBD"; break;   /* U+FFFD: \u0000 in a JSON string */
        default: continue;
        }
        json_buf_append(p->out, s + run, i - run);
        json_buf_puts(p->out, rep);
        run = i + 1;
    }
    json_buf_append(p->out, s + run, n - run);
}

void h_text(rpt_page *p, const char *s)
{
    if (s)
        h_text_n(p, s, strlen(s));
}

void h_id(rpt_page *p, const char *prefix, const char *s)
{
    h_raw(p, prefix);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_') {
            json_buf_append(p->out, s, 1);
        } else {
            char hex[4];
            snprintf(hex, sizeof hex, ".%02x", c);
            json_buf_append(p->out, hex, 3);
        }
    }
}

void h_code(rpt_page *p, const char *s)
{
    h_raw(p, "<code>");
    h_text(p, s);
    h_raw(p, "</code>");
}

const char *j_str(const json_value *obj, const char *key)
{
    const json_value *v = json_get(obj, key);
    return v && v->kind == JSON_STRING ? v->u.str : NULL;
}

long j_int(const json_value *obj, const char *key, long dflt)
{
    const json_value *v = json_get(obj, key);
    if (!v || v->kind != JSON_NUMBER)
        return dflt;
    long n = 0;
    if (sscanf(v->u.str, "%ld", &n) != 1)
        return dflt;
    return n;
}

bool j_bool(const json_value *obj, const char *key)
{
    const json_value *v = json_get(obj, key);
    return v && v->kind == JSON_TRUE;
}

const json_value *j_arr(const json_value *obj, const char *key)
{
    const json_value *v = json_get(obj, key);
    return v && v->kind == JSON_ARRAY ? v : NULL;
}

size_t j_len(const json_value *arr)
{
    return arr && arr->kind == JSON_ARRAY ? arr->len : 0;
}
