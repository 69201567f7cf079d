/* json.h - strict RFC 8259 JSON reader and a small streaming writer.
 *
 * The reader turns a buffer into an immutable tree that lives in one arena
 * owned by the json_doc; every value remembers the byte offsets where it
 * starts and ends so diagnostics and matched statements can report
 * line:column.  Duplicate object keys, invalid UTF-8, lone surrogates,
 * leading zeros, trailing commas and anything after the root value are
 * errors.  Depth, size and string length are bounded (json_limits).
 */
#ifndef IG_JSON_H
#define IG_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef enum {
    JSON_NULL = 0,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_kind;

typedef struct json_value json_value;
typedef struct json_member json_member;

struct json_value {
    json_kind kind;
    uint32_t start;     /* byte offset of the value's first character */
    uint32_t end;       /* byte offset one past its last character */
    uint32_t len;       /* string/number: bytes in str; array/object: items */
    union {
        const char *str;        /* STRING: decoded UTF-8, NUL-terminated (may
                                   contain NUL if the text had \u0000);
                                   NUMBER: the literal as written */
        json_value *items;      /* ARRAY */
        json_member *members;   /* OBJECT, in document order */
    } u;
};

struct json_member {
    const char *key;        /* decoded, NUL-terminated */
    uint32_t key_len;
    uint32_t key_start;     /* byte offset of the key's opening quote */
    json_value value;
};

typedef struct {
    size_t max_bytes;       /* whole document; 0 = JSON_DEFAULT_MAX_BYTES */
    unsigned max_depth;     /* nesting of arrays/objects; 0 = default */
    size_t max_string;      /* bytes in one decoded string; 0 = default */
} json_limits;

#define JSON_DEFAULT_MAX_BYTES  (16u * 1024u * 1024u)
#define JSON_DEFAULT_MAX_DEPTH  64u   /* IAM documents nest 5 deep; 64 keeps
                                         the recursive reader's stack small */
#define JSON_DEFAULT_MAX_STRING (1u * 1024u * 1024u)

typedef struct {
    size_t offset;          /* byte offset of the problem */
    unsigned line, column;  /* 1-based; column counts bytes */
    char msg[192];          /* lowercase, no trailing period */
} json_error;

typedef struct json_doc json_doc;

/* Parse `len` bytes of `text`.  The doc does not keep a pointer to `text`.
 * Returns NULL and fills *err (if non-NULL) on failure, including when
 * memory runs out.  `lim` may be NULL for the defaults. */
json_doc *json_parse(const char *text, size_t len, const json_limits *lim,
                     json_error *err);
const json_value *json_root(const json_doc *doc);
void json_doc_free(json_doc *doc);          /* NULL is fine */

/* Object lookup by exact key; NULL when absent or `obj` is not an object. */
const json_value *json_get(const json_value *obj, const char *key);
/* Member lookup returning the member (for key positions). */
const json_member *json_get_member(const json_value *obj, const char *key);

/* 1-based line and column (in bytes) of `offset` within `text`. */
void json_line_col(const char *text, size_t len, size_t offset,
                   unsigned *line, unsigned *column);

const char *json_kind_name(json_kind k);    /* "string", "object", ... */

/* ---- building documents by hand ----------------------------------------
 * For readers of other formats (YAML, CloudFormation) that produce the same
 * tree.  Memory comes from the doc's arena and is freed with the doc. */
json_doc *json_doc_new(void);                       /* NULL when out of memory */
void *json_doc_alloc(json_doc *doc, size_t n);      /* zeroed, 16-aligned */
char *json_doc_strndup(json_doc *doc, const char *s, size_t n);
void json_doc_set_root(json_doc *doc, const json_value *root);  /* copied */

/* ---- writer ---------------------------------------------------------- */

/* A growable output buffer.  Errors are sticky: once allocation fails,
 * `failed` is set and further appends do nothing. */
typedef struct {
    char *data;
    size_t len, cap;
    bool failed;
} json_buf;

void json_buf_init(json_buf *b);
void json_buf_free(json_buf *b);
void json_buf_append(json_buf *b, const char *s, size_t n);
void json_buf_puts(json_buf *b, const char *s);
void json_buf_printf(json_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append `s` (n bytes) as a quoted JSON string with escapes
 * (control characters as \u00XX, '"' and '\\' escaped, UTF-8 kept). */
void json_buf_quote(json_buf *b, const char *s, size_t n);

/* Streaming writer on top of json_buf: inserts commas, colons and (when
 * `pretty`) newlines and two-space indentation itself. */
typedef struct {
    json_buf *out;
    bool pretty;
    unsigned depth;
    bool need_comma[JSON_DEFAULT_MAX_DEPTH + 1];
    bool after_key;
} json_writer;

void jw_init(json_writer *w, json_buf *out, bool pretty);
void jw_object_begin(json_writer *w);
void jw_object_end(json_writer *w);
void jw_array_begin(json_writer *w);
void jw_array_end(json_writer *w);
void jw_key(json_writer *w, const char *key);
void jw_string(json_writer *w, const char *s);          /* NULL -> null */
void jw_string_n(json_writer *w, const char *s, size_t n);
void jw_int(json_writer *w, long long v);
void jw_double(json_writer *w, double v);               /* %.17g-free: "%.6g"-ish but
                                                           always valid JSON */
void jw_bool(json_writer *w, bool v);
void jw_null(json_writer *w);
/* Re-emit a parsed value (and its children) through the writer. */
void jw_value(json_writer *w, const json_value *v);
/* A member: key and value in one call. */
void jw_kstring(json_writer *w, const char *key, const char *s);   /* NULL -> null */
void jw_kint(json_writer *w, const char *key, long long v);
void jw_kbool(json_writer *w, const char *key, bool v);

#endif
