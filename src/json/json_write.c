/* json_write.c - growable output buffer and streaming JSON writer.
 *
 * json_buf keeps its data NUL-terminated whenever it holds any, so callers
 * can hand `data` to stdio directly.  Allocation failure is sticky: the
 * buffer sets `failed`, drops every later append, and the caller checks
 * once at the end.  The writer tracks, per nesting level, whether a comma
 * is due, so callers only say what to emit, never how to separate it.
 * Misuse the writer cannot express (closing more than was opened, nesting
 * deeper than JSON_DEFAULT_MAX_DEPTH) also marks the buffer failed rather
 * than producing invalid JSON.
 */
#include "util/alloc.h"
#include "json/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_MIN_CAP 256u
/* Doubling is wasteful once buffers are large; grow by half beyond this. */
#define BUF_DOUBLE_LIMIT ((size_t)64 << 20)

/* ---- json_buf ------------------------------------------------------------ */

void json_buf_init(json_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

void json_buf_free(json_buf *b)
{
    ig_free(b->data);
    json_buf_init(b);
}

/* Make room for `extra` more bytes plus the terminating NUL. */
static bool buf_reserve(json_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->cap > b->len && extra < b->cap - b->len)
        return true;
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    size_t cap = b->cap ? b->cap : BUF_MIN_CAP;
    while (cap < need) {
        size_t step = cap < BUF_DOUBLE_LIMIT ? cap : cap / 2;
        cap = step > SIZE_MAX - cap ? need : cap + step;
    }
    char *d = ig_realloc(b->data, cap);
    if (!d) {
        b->failed = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void json_buf_append(json_buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_putc(json_buf *b, char c)
{
    if (!buf_reserve(b, 1))
        return;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void json_buf_puts(json_buf *b, const char *s)
{
    json_buf_append(b, s, strlen(s));
}

void json_buf_printf(json_buf *b, const char *fmt, ...)
{
    if (!buf_reserve(b, 64))
        return;
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->data[b->len] = '\0';
        b->failed = true;
        return;
    }
    if ((size_t)n >= room) {
        /* First attempt was truncated: grow to fit and format again. */
        b->data[b->len] = '\0';
        if (!buf_reserve(b, (size_t)n))
            return;
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/* Bytes that cannot appear raw inside a JSON string. */
static inline bool needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

void json_buf_quote(json_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (!buf_reserve(b, n + 2))        /* the common no-escape case */
        return;
    buf_putc(b, '"');
    size_t run = 0;                    /* start of bytes not yet copied */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!needs_escape(c))
            continue;
        json_buf_append(b, s + run, i - run);
        run = i + 1;
        char esc[6] = { '\\', 0, 0, 0, 0, 0 };
        size_t elen = 2;
        switch (c) {
        case '"':  esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\t': esc[1] = 't'; break;
        case '\r': esc[1] = 'r'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xf];
            elen = 6;
            break;
        }
        json_buf_append(b, esc, elen);
    }
    json_buf_append(b, s + run, n - run);
    buf_putc(b, '"');
}

/* ---- json_writer --------------------------------------------------------- */

void jw_init(json_writer *w, json_buf *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
}

static void newline_indent(json_writer *w)
{
    static const char spaces[] = "                                ";
    if (!w->pretty)
        return;
    buf_putc(w->out, '\n');
    size_t n = (size_t)w->depth * 2;
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        json_buf_append(w->out, spaces, k);
        n -= k;
    }
}

/* Separator and indentation due before a value or a key at this level. */
static void begin_item(json_writer *w)
{
    if (w->depth > 0) {
        if (w->need_comma[w->depth])
            buf_putc(w->out, ',');
        newline_indent(w);
    }
    w->need_comma[w->depth] = true;
}

static void before_value(json_writer *w)
{
    if (w->after_key)
        w->after_key = false;          /* the key already placed us */
    else
        begin_item(w);
}

static void open_container(json_writer *w, char c)
{
    before_value(w);
    if (w->depth >= JSON_DEFAULT_MAX_DEPTH) {
        w->out->failed = true;         /* need_comma has no slot for it */
        return;
    }
    buf_putc(w->out, c);
    w->depth++;
    w->need_comma[w->depth] = false;
}

static void close_container(json_writer *w, char c)
{
    if (w->depth == 0) {
        w->out->failed = true;
        return;
    }
    bool empty = !w->need_comma[w->depth];
    w->depth--;
    w->after_key = false;
    if (!empty)
        newline_indent(w);
    buf_putc(w->out, c);
}

void jw_object_begin(json_writer *w) { open_container(w, '{'); }
void jw_object_end(json_writer *w)   { close_container(w, '}'); }
void jw_array_begin(json_writer *w)  { open_container(w, '['); }
void jw_array_end(json_writer *w)    { close_container(w, ']'); }

static void key_n(json_writer *w, const char *key, size_t n)
{
    begin_item(w);
    json_buf_quote(w->out, key, n);
    if (w->pretty)
        json_buf_append(w->out, ": ", 2);
    else
        buf_putc(w->out, ':');
    w->after_key = true;
}

void jw_key(json_writer *w, const char *key)
{
    if (!key) {
        w->out->failed = true;
        return;
    }
    key_n(w, key, strlen(key));
}

void jw_string_n(json_writer *w, const char *s, size_t n)
{
    before_value(w);
    json_buf_quote(w->out, s, n);
}

void jw_string(json_writer *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_string_n(w, s, strlen(s));
}

void jw_int(json_writer *w, long long v)
{
    before_value(w);
    json_buf_printf(w->out, "%lld", v);
}

/* Shortest of %.15g..%.17g that reads back as the same double. */
static void format_double(char *buf, size_t cap, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (prec == 17 || strtod(buf, NULL) == v)
            break;
    }
    /* A locale with a decimal comma must not leak into JSON. */
    for (char *c = buf; *c; c++)
        if (*c == ',')
            *c = '.';
}

void jw_double(json_writer *w, double v)
{
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    char buf[40];
    format_double(buf, sizeof buf, v);
    before_value(w);
    json_buf_puts(w->out, buf);
}

void jw_bool(json_writer *w, bool v)
{
    before_value(w);
    if (v)
        json_buf_append(w->out, "true", 4);
    else
        json_buf_append(w->out, "false", 5);
}

void jw_null(json_writer *w)
{
    before_value(w);
    json_buf_append(w->out, "null", 4);
}

void jw_value(json_writer *w, const json_value *v)
{
    if (w->out->failed)
        return;
    if (!v) {
        jw_null(w);
        return;
    }
    switch (v->kind) {
    case JSON_NULL:
        jw_null(w);
        break;
    case JSON_FALSE:
    case JSON_TRUE:
        jw_bool(w, v->kind == JSON_TRUE);
        break;
    case JSON_NUMBER:
        before_value(w);
        json_buf_append(w->out, v->u.str, v->len);
        break;
    case JSON_STRING:
        jw_string_n(w, v->u.str, v->len);
        break;
    case JSON_ARRAY:
        jw_array_begin(w);
        for (uint32_t i = 0; i < v->len && !w->out->failed; i++)
            jw_value(w, &v->u.items[i]);
        jw_array_end(w);
        break;
    case JSON_OBJECT:
        jw_object_begin(w);
        for (uint32_t i = 0; i < v->len && !w->out->failed; i++) {
            const json_member *m = &v->u.members[i];
            key_n(w, m->key, m->key_len);
            jw_value(w, &m->value);
        }
        jw_object_end(w);
        break;
    }
}

void jw_kstring(json_writer *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

void jw_kint(json_writer *w, const char *key, long long v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kbool(json_writer *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}
