/* yaml.c - YAML read into the json.h tree with libfyaml's event parser.
 *
 * libfyaml does the YAML grammar; this file decides what each node means
 * (yaml.h states the rules) and builds the same immutable tree json_parse
 * builds, in a json_doc arena, with byte offsets into the YAML text.  Open
 * containers keep their children on one scratch stack and are copied into
 * the arena when they close, so the builder never recurses.  An alias
 * shares the anchored subtree (the tree is immutable), so expanding one
 * costs no memory; what is bounded is the number of nodes a reader walking
 * the tree would visit. */
#include "yaml/yaml.h"

#include <libfyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* Same hard ceiling as the JSON reader, so both formats nest alike. */
#define HARD_MAX_DEPTH 1024u
/* Expanded nodes allowed: at least this many, else one per input byte.  A
 * document without aliases never has more nodes than bytes, so only alias
 * bombs ("billion laughs") reach the bound. */
#define MIN_NODE_BUDGET ((uint64_t)1 << 20)
/* Maps up to this size are checked for duplicate keys pairwise. */
#define DUP_LINEAR_MAX 16u
#define KEY_SNIPPET_MAX 96u

typedef struct {
    bool is_map;
    bool flow;
    bool want_value;        /* map: a key is on the stack waiting for its value */
    unsigned depth;         /* JSON nesting level of this container */
    uint32_t start;
    uint32_t tag_start;
    const char *wrap_key;   /* CloudFormation long-form key, or NULL */
    size_t base;            /* first child on the scratch stack */
    uint64_t nodes;         /* this container and all below, aliases expanded */
    char *anchor;           /* malloc'd, or NULL */
} frame;

typedef struct {
    char *name;
    json_value value;
    uint64_t nodes;
} anchor;

typedef struct {
    json_doc *doc;
    const char *text;
    size_t len;
    json_error *err;
    bool failed;
    unsigned max_depth;
    size_t max_string;
    uint64_t max_nodes, nodes;
    uint32_t last_end;      /* end of the last node read: where an empty scalar sits */
    frame *frames;
    size_t nframes, capframes;
    json_member *stack;     /* children of open containers (arrays use .value) */
    size_t nstack, capstack;
    anchor *anchors;
    size_t nanchors, capanchors;
    uint32_t *slots;        /* open-addressing index into anchors, +1; 0 = empty */
    char *tbuf;             /* text of the token being read (token_text) */
    size_t tcap;
    size_t nslots;
    unsigned ndocs;
    bool have_root;
    json_value root;
} yparser;

static bool fail(yparser *p, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(yparser *p, size_t offset, const char *fmt, ...)
{
    if (p->failed)
        return false;
    p->failed = true;
    if (!p->err)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    p->err->offset = offset > p->len ? p->len : offset;
    return false;
}

static bool fail_oom(yparser *p, size_t offset)
{
    return fail(p, offset, "out of memory");
}

/* Grow a malloc'd array to hold at least `need` elements. */
static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 16;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return false;
        n *= 2;
    }
    void *a = ig_realloc(*arr, n * elem);
    if (!a)
        return false;
    *arr = a;
    *cap = n;
    return true;
}

/* ---- UTF-8 ---------------------------------------------------------------
 * libfyaml passes some invalid bytes through (and stops at a NUL); policies
 * must be valid UTF-8, so the whole input is checked first. */

static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t k = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (k == 0 || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
        (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
        return 0;       /* overlong, surrogate, or above U+10FFFF */
    return k;
}

static bool check_utf8(yparser *p)
{
    const unsigned char *s = (const unsigned char *)p->text;
    for (size_t i = 0; i < p->len;) {
        size_t k = utf8_seq_len(s + i, p->len - i);
        if (!k)
            return fail(p, i, "invalid UTF-8 byte 0x%02x", s[i]);
        /* YAML text may not hold control characters other than tab and
         * line breaks (they are written as escapes inside quotes). */
        if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') || s[i] == 0x7f)
            return fail(p, i, "control character 0x%02x in YAML text", s[i]);
        i += k;
    }
    return true;
}

/* libfyaml reports 1-based lines and columns counted in characters. */
static size_t offset_of(const yparser *p, int line, int column)
{
    size_t off = 0;
    for (int l = 1; l < line && off < p->len; l++) {
        const char *nl = memchr(p->text + off, '\n', p->len - off);
        if (!nl)
            return p->len;
        off = (size_t)(nl - p->text) + 1;
    }
    for (int c = 1; c < column && off < p->len && p->text[off] != '\n'; c++) {
        off++;
        while (off < p->len && ((unsigned char)p->text[off] & 0xC0) == 0x80)
            off++;
    }
    return off;
}

/* ---- anchors -------------------------------------------------------------- */

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static uint32_t *anchor_slot(yparser *p, const char *name)
{
    size_t mask = p->nslots - 1;
    for (size_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
        uint32_t s = p->slots[i];
        if (!s || !strcmp(p->anchors[s - 1].name, name))
            return &p->slots[i];
    }
}

static bool anchors_rehash(yparser *p)
{
    size_t n = p->nslots ? p->nslots * 2 : 64;
    uint32_t *slots = ig_calloc(n, sizeof *slots);
    if (!slots)
        return false;
    ig_free(p->slots);
    p->slots = slots;
    p->nslots = n;
    for (size_t i = 0; i < p->nanchors; i++)
        *anchor_slot(p, p->anchors[i].name) = (uint32_t)(i + 1);
    return true;
}

/* A later anchor of the same name replaces the earlier one (YAML 1.2). */
static bool anchor_put(yparser *p, char *name, const json_value *v, uint64_t nodes)
{
    if (p->nslots == 0 || (p->nanchors + 1) * 2 > p->nslots) {
        if (p->nanchors >= UINT32_MAX / 2 || !anchors_rehash(p)) {
            ig_free(name);
            return fail_oom(p, v->start);
        }
    }
    uint32_t *slot = anchor_slot(p, name);
    if (*slot) {
        anchor *a = &p->anchors[*slot - 1];
        ig_free(a->name);
        a->name = name;
        a->value = *v;
        a->nodes = nodes;
        return true;
    }
    if (!grow((void **)&p->anchors, &p->capanchors, p->nanchors + 1, sizeof *p->anchors)) {
        ig_free(name);
        return fail_oom(p, v->start);
    }
    p->anchors[p->nanchors] = (anchor){ name, *v, nodes };
    *slot = (uint32_t)++p->nanchors;
    return true;
}

static const anchor *anchor_get(yparser *p, const char *name)
{
    if (!p->nslots)
        return NULL;
    uint32_t s = *anchor_slot(p, name);
    return s ? &p->anchors[s - 1] : NULL;
}

/* The text of token t (a scalar, anchor or alias), in p->tbuf, which the
 * next call overwrites; not NUL-terminated.
 *
 * Read with libfyaml's token iterator, not fy_token_get_text(): in libfyaml
 * 0.7.12, for some malformed single-quoted scalars (runs of '),
 * fy_atom_format_text_length() counts about half the bytes the chunk
 * iterator yields; fy_atom_format_text() (under fy_token_get_text) then
 * stops at the chunk that does not fit and returns without
 * fy_atom_iter_finish(), leaking the iterator's grown chunk array (1-4 KB;
 * fuzz_yaml/fuzz_cfn/fuzz_scenario leak-*).  Here the iterator is always
 * destroyed, and a token whose two lengths libfyaml disagrees on is refused
 * rather than trusted. */
static bool token_text(yparser *p, struct fy_token *t, size_t at, const char **s, size_t *n)
{
    *s = "";
    *n = 0;
    if (!t)
        return true;
    size_t want = fy_token_get_text_length(t);
    struct fy_token_iter *it = fy_token_iter_create(t);
    if (!it)
        return fail_oom(p, at);
    size_t len = 0;
    int err = 0;
    bool ok = true;
    const struct fy_iter_chunk *c = NULL;
    while ((c = fy_token_iter_chunk_next(it, c, &err)) != NULL) {
        if (!c->len)
            continue;
        if (len + c->len > want || !c->str) {
            ok = false;              /* more than libfyaml's own count */
            break;
        }
        if (!grow((void **)&p->tbuf, &p->tcap, len + c->len, 1)) {
            fy_token_iter_destroy(it);
            return fail_oom(p, at);
        }
        memcpy(p->tbuf + len, c->str, c->len);
        len += c->len;
    }
    fy_token_iter_destroy(it);
    if (!ok || err || len != want)
        return fail(p, at, "this scalar cannot be read reliably; write it as a double-quoted "
                    "string");
    *s = len ? p->tbuf : "";
    *n = len;
    return true;
}

/* A malloc'd, NUL-terminated copy of the text of t; NULL with p->failed set. */
static char *token_dup(yparser *p, struct fy_token *t, size_t at)
{
    const char *s;
    size_t n;
    if (!token_text(p, t, at, &s, &n))
        return NULL;
    char *d = ig_malloc(n + 1);
    if (!d) {
        fail_oom(p, at);
        return NULL;
    }
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* ---- tags ----------------------------------------------------------------- */

/* CloudFormation's short-form tags and the long-form keys they stand for. */
static const struct {
    const char *tag, *key;
} CFN_TAGS[] = {
    { "Ref", "Ref" }, { "Condition", "Condition" }, { "GetAtt", "Fn::GetAtt" },
    { "Sub", "Fn::Sub" }, { "Join", "Fn::Join" }, { "Select", "Fn::Select" },
    { "Split", "Fn::Split" }, { "If", "Fn::If" }, { "Equals", "Fn::Equals" },
    { "Not", "Fn::Not" }, { "And", "Fn::And" }, { "Or", "Fn::Or" },
    { "FindInMap", "Fn::FindInMap" }, { "Base64", "Fn::Base64" }, { "Cidr", "Fn::Cidr" },
    { "ImportValue", "Fn::ImportValue" }, { "GetAZs", "Fn::GetAZs" },
    { "Transform", "Fn::Transform" },
    /* Rules functions */
    { "Contains", "Fn::Contains" }, { "EachMemberEquals", "Fn::EachMemberEquals" },
    { "EachMemberIn", "Fn::EachMemberIn" }, { "RefAll", "Fn::RefAll" },
    { "ValueOf", "Fn::ValueOf" }, { "ValueOfAll", "Fn::ValueOfAll" },
    /* AWS::LanguageExtensions */
    { "Length", "Fn::Length" }, { "ToJsonString", "Fn::ToJsonString" },
    /* Rain directives (rain pkg expands them; the reader notes them) */
    { "Rain::Embed", "Rain::Embed" }, { "Rain::Module", "Rain::Module" },
    { "Rain::S3Http", "Rain::S3Http" }, { "Rain::S3", "Rain::S3" },
    { "Rain::Include", "Rain::Include" }, { "Rain::Env", "Rain::Env" },
    { "Rain::Constant", "Rain::Constant" },
};

/* The long-form key of a CloudFormation tag ("!Sub" -> "Fn::Sub"). */
static bool tag_key(yparser *p, struct fy_token *tag, const char **key)
{
    size_t hl = 0, sl = 0;
    const char *h = fy_tag_token_handle(tag, &hl);
    const char *s = fy_tag_token_suffix(tag, &sl);
    size_t at = fy_token_start_mark(tag) ? fy_token_start_mark(tag)->input_pos : p->last_end;
    if (h && hl == 1 && h[0] == '!' && s) {
        for (size_t i = 0; i < sizeof CFN_TAGS / sizeof CFN_TAGS[0]; i++) {
            if (strlen(CFN_TAGS[i].tag) == sl && !memcmp(CFN_TAGS[i].tag, s, sl)) {
                *key = CFN_TAGS[i].key;
                return true;
            }
        }
    }
    return fail(p, at, "unsupported tag %.*s%.*s", (int)(hl > 64 ? 64 : hl), h ? h : "",
                (int)(sl > 64 ? 64 : sl), s ? s : "");
}

/* {key: *v}, placed where the tag starts. */
static bool wrap(yparser *p, const char *key, uint32_t tag_start, json_value *v)
{
    json_member *m = json_doc_alloc(p->doc, sizeof *m);
    char *k = json_doc_strndup(p->doc, key, strlen(key));
    if (!m || !k)
        return fail_oom(p, tag_start);
    m->key = k;
    m->key_len = (uint32_t)strlen(key);
    m->key_start = tag_start;
    m->value = *v;
    json_value obj = { .kind = JSON_OBJECT, .start = tag_start, .end = v->end, .len = 1 };
    obj.u.members = m;
    *v = obj;
    return true;
}

/* `!GetAtt Res.Attr` names its two parts in one scalar: split at the first
 * dot (logical ids have no dots; attribute names may). */
static bool split_getatt(yparser *p, json_value *v)
{
    if (v->kind != JSON_STRING)
        return true;
    const char *dot = memchr(v->u.str, '.', v->len);
    if (!dot)
        return fail(p, v->start, "!GetAtt needs \"Resource.Attribute\", got \"%.*s\"",
                    (int)(v->len > 96 ? 96 : v->len), v->u.str);
    size_t a = (size_t)(dot - v->u.str);
    json_value *items = json_doc_alloc(p->doc, 2 * sizeof *items);
    char *s1 = json_doc_strndup(p->doc, v->u.str, a);
    char *s2 = json_doc_strndup(p->doc, dot + 1, v->len - a - 1);
    if (!items || !s1 || !s2)
        return fail_oom(p, v->start);
    items[0] = (json_value){ .kind = JSON_STRING, .start = v->start, .end = v->start + (uint32_t)a,
                             .len = (uint32_t)a, .u.str = s1 };
    items[1] = (json_value){ .kind = JSON_STRING, .start = v->start + (uint32_t)a + 1, .end = v->end,
                             .len = (uint32_t)(v->len - a - 1), .u.str = s2 };
    json_value arr = { .kind = JSON_ARRAY, .start = v->start, .end = v->end, .len = 2 };
    arr.u.items = items;
    *v = arr;
    return true;
}

/* ---- scalars -------------------------------------------------------------- */

/* RFC 8259 number syntax: only such plain scalars are numbers, so numbers
 * keep a literal every JSON consumer understands. */
static bool is_json_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n)
        return false;
    if (s[i] == '0')
        i++;
    else if (s[i] >= '1' && s[i] <= '9')
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return false;
    if (i < n && s[i] == '.') {
        size_t d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    return i == n;
}

static bool word_in(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == n && !memcmp(s, *words, n))
            return true;
    return false;
}

static json_kind plain_kind(const char *s, size_t n)
{
    static const char *const T[] = { "true", "True", "TRUE", NULL };
    static const char *const F[] = { "false", "False", "FALSE", NULL };
    static const char *const N[] = { "null", "Null", "NULL", "~", NULL };
    if (n == 0 || word_in(s, n, N))
        return JSON_NULL;
    if (word_in(s, n, T))
        return JSON_TRUE;
    if (word_in(s, n, F))
        return JSON_FALSE;
    return is_json_number(s, n) ? JSON_NUMBER : JSON_STRING;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* libfyaml 0.7.12 can return the wrong text for some block scalars (stale
 * bytes past the real content).  Plain, single-quoted and block scalars
 * only fold whitespace, so their non-blank characters must be exactly those
 * of the source span; anything else is refused rather than trusted. */
static bool scalar_matches_source(const yparser *p, const char *s, size_t n, size_t start,
                                  size_t end, enum fy_scalar_style style)
{
    if (style == FYSS_DOUBLE_QUOTED || end > p->len || start > end)
        return true;            /* escapes change characters: nothing to compare */
    const char *raw = p->text + start, *raw_end = p->text + end;
    const char *dec = s, *dec_end = s + n;
    for (;;) {
        while (raw < raw_end && is_blank(*raw))
            raw++;
        while (dec < dec_end && is_blank(*dec))
            dec++;
        if (raw == raw_end || dec == dec_end)
            return raw == raw_end && dec == dec_end;
        if (*raw != *dec)
            return false;
        if (style == FYSS_SINGLE_QUOTED && *raw == '\'' && raw + 1 < raw_end && raw[1] == '\'')
            raw++;              /* '' is one quote */
        raw++;
        dec++;
    }
}

/* The scalar of event `e` as a value; `as_key` keeps its text whatever it
 * looks like. */
static bool scalar_value(yparser *p, struct fy_event *e, bool as_key, json_value *v)
{
    struct fy_token *t = e->scalar.value;
    enum fy_scalar_style style = t ? fy_token_scalar_style(t) : FYSS_PLAIN;
    const struct fy_mark *sm = t ? fy_token_start_mark(t) : NULL;
    const struct fy_mark *em = t ? fy_token_end_mark(t) : NULL;
    uint32_t start = sm ? (uint32_t)sm->input_pos : p->last_end;
    const char *s;
    size_t n;
    if (!token_text(p, t, start, &s, &n))
        return false;
    uint32_t end = em ? (uint32_t)em->input_pos : start;
    if (sm && em && !scalar_matches_source(p, s, n, start, end, style))
        return fail(p, start, "this scalar cannot be read reliably; write it as a double-quoted "
                    "string");
    if (style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) {
        char q = style == FYSS_SINGLE_QUOTED ? '\'' : '"';
        if (start > 0 && p->text[start - 1] == q)
            start--;                   /* positions include the quotes, as in JSON */
        if (end < p->len && p->text[end] == q)
            end++;
    }
    if (end < start)
        end = start;
    if (n > p->max_string)
        return fail(p, start, "string longer than %zu bytes", p->max_string);
    json_kind k = as_key || style != FYSS_PLAIN ? JSON_STRING : plain_kind(s, n);
    *v = (json_value){ .kind = k, .start = start, .end = end };
    if (k == JSON_STRING || k == JSON_NUMBER) {
        char *d = json_doc_strndup(p->doc, s, n);
        if (!d)
            return fail_oom(p, start);
        v->u.str = d;
        v->len = (uint32_t)n;
    }
    p->last_end = end;
    return true;
}

/* ---- tree building -------------------------------------------------------- */

static frame *top(yparser *p) { return p->nframes ? &p->frames[p->nframes - 1] : NULL; }

static bool count_nodes(yparser *p, uint64_t k, size_t at)
{
    p->nodes += k;
    if (p->nodes > p->max_nodes)
        return fail(p, at, "document expands to more than %llu nodes (aliases nested too deeply?)",
                    (unsigned long long)p->max_nodes);
    return true;
}

/* Attach a finished value to its parent (or make it the root). */
static bool add_value(yparser *p, const json_value *v, uint64_t nodes)
{
    frame *f = top(p);
    if (!f) {
        if (p->have_root)
            return fail(p, v->start, "more than one root value");
        p->root = *v;
        p->have_root = true;
        return true;
    }
    f->nodes += nodes;
    if (f->is_map) {
        if (!f->want_value)
            return fail(p, v->start, "mapping keys must be scalars");
        p->stack[p->nstack - 1].value = *v;
        f->want_value = false;
        return true;
    }
    if (!grow((void **)&p->stack, &p->capstack, p->nstack + 1, sizeof *p->stack))
        return fail_oom(p, v->start);
    memset(&p->stack[p->nstack], 0, sizeof p->stack[0]);
    p->stack[p->nstack++].value = *v;
    return true;
}

static bool expecting_key(yparser *p)
{
    frame *f = top(p);
    return f && f->is_map && !f->want_value;
}

static bool add_key(yparser *p, const char *s, size_t n, uint32_t start)
{
    frame *f = top(p);
    if (!grow((void **)&p->stack, &p->capstack, p->nstack + 1, sizeof *p->stack))
        return fail_oom(p, start);
    json_member *m = &p->stack[p->nstack];
    memset(m, 0, sizeof *m);
    m->key = s;
    m->key_len = (uint32_t)n;
    m->key_start = start;
    p->nstack++;
    f->want_value = true;
    return true;
}

static bool dup_report(yparser *p, const json_member *m)
{
    size_t n = m->key_len > KEY_SNIPPET_MAX ? KEY_SNIPPET_MAX : m->key_len;
    return fail(p, m->key_start, "duplicate key \"%.*s%s\"", (int)n, m->key,
                m->key_len > n ? "..." : "");
}

static int cmp_members(const void *a, const void *b)
{
    const json_member *x = *(json_member *const *)a, *y = *(json_member *const *)b;
    if (x->key_len != y->key_len)
        return x->key_len < y->key_len ? -1 : 1;
    int c = memcmp(x->key, y->key, x->key_len);
    if (c)
        return c;
    return x->key_start < y->key_start ? -1 : x->key_start > y->key_start;
}

/* Report the duplicate that comes first in the text. */
static bool check_duplicates(yparser *p, json_member *m, size_t n)
{
    const json_member *first_dup = NULL;
    if (n <= DUP_LINEAR_MAX) {
        for (size_t i = 1; i < n && !first_dup; i++)
            for (size_t j = 0; j < i; j++)
                if (m[i].key_len == m[j].key_len && !memcmp(m[i].key, m[j].key, m[i].key_len)) {
                    first_dup = &m[i];
                    break;
                }
        return first_dup ? dup_report(p, first_dup) : true;
    }
    json_member **idx = ig_malloc(n * sizeof *idx);
    if (!idx)
        return fail_oom(p, m[0].key_start);
    for (size_t i = 0; i < n; i++)
        idx[i] = &m[i];
    qsort(idx, n, sizeof *idx, cmp_members);
    for (size_t i = 1; i < n; i++)
        if (idx[i]->key_len == idx[i - 1]->key_len &&
            !memcmp(idx[i]->key, idx[i - 1]->key, idx[i]->key_len) &&
            (!first_dup || idx[i]->key_start < first_dup->key_start))
            first_dup = idx[i];
    ig_free(idx);
    return first_dup ? dup_report(p, first_dup) : true;
}

static bool open_container(yparser *p, struct fy_event *e, bool is_map,
                           struct fy_token *tag, struct fy_token *anch)
{
    const struct fy_mark *sm = fy_event_start_mark(e);
    uint32_t start = sm ? (uint32_t)sm->input_pos : p->last_end;
    if (expecting_key(p))
        return fail(p, start, "mapping keys must be scalars");
    frame f = { .is_map = is_map, .start = start, .base = p->nstack, .nodes = 1 };
    f.flow = fy_event_get_node_style(e) == FYNS_FLOW;
    frame *parent = top(p);
    f.depth = (parent ? parent->depth : 0) + 1;
    if (tag) {
        if (!tag_key(p, tag, &f.wrap_key))
            return false;
        const struct fy_mark *tm = fy_token_start_mark(tag);
        f.tag_start = tm ? (uint32_t)tm->input_pos : start;
        f.depth++;
    }
    if (f.depth > p->max_depth)
        return fail(p, start, "nesting deeper than %u", p->max_depth);
    if (anch && !(f.anchor = token_dup(p, anch, start)))
        return false;
    if (!grow((void **)&p->frames, &p->capframes, p->nframes + 1, sizeof *p->frames)) {
        ig_free(f.anchor);
        return fail_oom(p, start);
    }
    p->frames[p->nframes++] = f;
    return true;
}

static bool close_container(yparser *p, struct fy_event *e)
{
    frame f = p->frames[--p->nframes];
    size_t n = p->nstack - f.base;
    json_member *kids = n ? p->stack + f.base : NULL;   /* no stack yet: NULL + 0 is UB */
    bool ok = true;
    json_value v = { .kind = f.is_map ? JSON_OBJECT : JSON_ARRAY, .start = f.start,
                     .end = f.start, .len = (uint32_t)n };
    if (n)
        v.end = kids[n - 1].value.end;
    const struct fy_mark *em = fy_event_end_mark(e);
    if (f.flow && em && em->input_pos > v.end)
        v.end = (uint32_t)em->input_pos;
    if (n > UINT32_MAX / 2)
        ok = fail(p, f.start, "too many items");
    else if (f.is_map && n && !check_duplicates(p, kids, n))
        ok = false;
    else if (f.is_map && n) {
        json_member *m = json_doc_alloc(p->doc, n * sizeof *m);
        if (!m)
            ok = fail_oom(p, f.start);
        else
            memcpy(m, kids, n * sizeof *m);
        v.u.members = m;
    } else if (n) {
        json_value *items = json_doc_alloc(p->doc, n * sizeof *items);
        if (!items)
            ok = fail_oom(p, f.start);
        else
            for (size_t i = 0; i < n; i++)
                items[i] = kids[i].value;
        v.u.items = items;
    }
    p->nstack = f.base;
    uint64_t nodes = f.nodes;
    if (ok && f.wrap_key) {
        if (!strcmp(f.wrap_key, "Fn::GetAtt"))
            ok = split_getatt(p, &v);
        ok = ok && wrap(p, f.wrap_key, f.tag_start, &v);
        nodes++;
    }
    ok = ok && count_nodes(p, f.wrap_key ? 2 : 1, f.start);
    if (ok && f.anchor) {
        ok = anchor_put(p, f.anchor, &v, nodes);
        f.anchor = NULL;
    }
    ig_free(f.anchor);
    if (ok)
        p->last_end = v.end;
    return ok && add_value(p, &v, nodes);
}

static bool on_scalar(yparser *p, struct fy_event *e)
{
    json_value v;
    if (expecting_key(p)) {
        if (e->scalar.tag) {
            const struct fy_mark *tm = fy_token_start_mark(e->scalar.tag);
            return fail(p, tm ? tm->input_pos : p->last_end, "tags are not allowed on mapping keys");
        }
        if (!scalar_value(p, e, true, &v))
            return false;
        if (e->scalar.anchor) {
            char *name = token_dup(p, e->scalar.anchor, v.start);
            if (!name)
                return false;
            if (!anchor_put(p, name, &v, 1))
                return false;
        }
        return add_key(p, v.u.str, v.len, v.start);
    }
    frame *parent = top(p);
    unsigned depth = parent ? parent->depth : 0;
    const char *key = NULL;
    uint32_t tag_start = 0;
    if (e->scalar.tag) {
        if (!tag_key(p, e->scalar.tag, &key))
            return false;
        const struct fy_mark *tm = fy_token_start_mark(e->scalar.tag);
        tag_start = tm ? (uint32_t)tm->input_pos : p->last_end;
        if (depth + 1 > p->max_depth)
            return fail(p, tag_start, "nesting deeper than %u", p->max_depth);
    }
    if (!scalar_value(p, e, key != NULL, &v))
        return false;
    uint64_t nodes = 1;
    if (key) {
        if (!strcmp(key, "Fn::GetAtt") && !split_getatt(p, &v))
            return false;
        if (!wrap(p, key, tag_start, &v))
            return false;
        nodes += v.u.members[0].value.kind == JSON_ARRAY ? 3 : 1;
    }
    if (!count_nodes(p, nodes, v.start))
        return false;
    if (e->scalar.anchor) {
        char *name = token_dup(p, e->scalar.anchor, v.start);
        if (!name)
            return false;
        if (!anchor_put(p, name, &v, nodes))
            return false;
    }
    return add_value(p, &v, nodes);
}

static bool on_alias(yparser *p, struct fy_event *e)
{
    const struct fy_mark *sm = fy_event_start_mark(e);
    uint32_t at = sm ? (uint32_t)sm->input_pos : p->last_end;
    if (at > 0 && p->text[at - 1] == '*')
        at--;                           /* point at the '*' */
    char *name = token_dup(p, e->alias.anchor, at);
    if (!name)
        return false;
    const anchor *a = anchor_get(p, name);
    if (!a) {
        fail(p, at, "unknown anchor \"%.64s\"", name);
        ig_free(name);
        return false;
    }
    ig_free(name);
    const struct fy_mark *em = fy_event_end_mark(e);
    p->last_end = em ? (uint32_t)em->input_pos : at;
    if (expecting_key(p)) {
        if (a->value.kind != JSON_STRING && a->value.kind != JSON_NUMBER)
            return fail(p, at, "an alias used as a mapping key must refer to a string");
        return add_key(p, a->value.u.str, a->value.len, at);
    }
    json_value v = a->value;
    uint64_t nodes = a->nodes;
    return count_nodes(p, nodes, at) && add_value(p, &v, nodes);
}

static bool on_event(yparser *p, struct fy_event *e)
{
    switch (e->type) {
    case FYET_DOCUMENT_START:
        if (++p->ndocs > 1) {
            const struct fy_mark *sm = fy_event_start_mark(e);
            return fail(p, sm ? sm->input_pos : p->last_end,
                        "more than one YAML document (only one is read)");
        }
        return true;
    case FYET_SCALAR:
        return on_scalar(p, e);
    case FYET_ALIAS:
        return on_alias(p, e);
    case FYET_SEQUENCE_START:
        return open_container(p, e, false, e->sequence_start.tag, e->sequence_start.anchor);
    case FYET_MAPPING_START:
        return open_container(p, e, true, e->mapping_start.tag, e->mapping_start.anchor);
    case FYET_SEQUENCE_END:
    case FYET_MAPPING_END:
        return p->nframes ? close_container(p, e) : fail(p, p->last_end, "unbalanced container");
    default:
        return true;
    }
}

static void discard_output(struct fy_diag *d, void *user, const char *buf, size_t len)
{
    (void)d; (void)user; (void)buf; (void)len;
}

/* The first error libfyaml collected, in our message style. */
static void report_fy_error(yparser *p, struct fy_diag *diag)
{
    void *it = NULL;
    struct fy_diag_error *de = diag ? fy_diag_errors_iterate(diag, &it) : NULL;
    if (!de || !de->msg) {
        fail(p, p->last_end, "invalid YAML");
        return;
    }
    char msg[160];
    snprintf(msg, sizeof msg, "%s", de->msg);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '.' || msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
        msg[0] = (char)(msg[0] + 32);
    size_t off = de->line > 0 ? offset_of(p, de->line, de->column) : p->last_end;
    fail(p, off, "invalid YAML: %s", msg);
}

static void release(yparser *p)
{
    for (size_t i = 0; i < p->nframes; i++)
        ig_free(p->frames[i].anchor);
    ig_free(p->frames);
    ig_free(p->stack);
    for (size_t i = 0; i < p->nanchors; i++)
        ig_free(p->anchors[i].name);
    ig_free(p->anchors);
    ig_free(p->slots);
    ig_free(p->tbuf);
}

static bool parse_events(yparser *p)
{
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.output_fn = discard_output;
    dc.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dc);
    if (!diag)
        return fail_oom(p, 0);
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg cfg = { .flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_JSON_NONE,
                                .diag = diag };
    struct fy_parser *fyp = fy_parser_create(&cfg);
    if (!fyp || fy_parser_set_string(fyp, p->len ? p->text : "", p->len) != 0) {
        if (fyp)
            fy_parser_destroy(fyp);
        fy_diag_destroy(diag);
        return fail_oom(p, 0);
    }
    struct fy_event *e;
    while (!p->failed && (e = fy_parser_parse(fyp)) != NULL) {
        on_event(p, e);
        fy_parser_event_free(fyp, e);
    }
    if (!p->failed && fy_parser_get_stream_error(fyp))
        report_fy_error(p, diag);
    fy_parser_destroy(fyp);
    fy_diag_destroy(diag);
    if (!p->failed && !p->have_root)
        fail(p, p->len, "empty document");
    return !p->failed;
}

json_doc *yaml_parse(const char *text, size_t len, const json_limits *lim,
                     json_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
    yparser p;
    memset(&p, 0, sizeof p);
    p.text = text ? text : "";
    p.len = text ? len : 0;
    p.err = err;
    size_t max_bytes = lim && lim->max_bytes ? lim->max_bytes : JSON_DEFAULT_MAX_BYTES;
    if (max_bytes > UINT32_MAX - 1)         /* offsets are 32-bit */
        max_bytes = UINT32_MAX - 1;
    p.max_depth = lim && lim->max_depth ? lim->max_depth : JSON_DEFAULT_MAX_DEPTH;
    if (p.max_depth > HARD_MAX_DEPTH)
        p.max_depth = HARD_MAX_DEPTH;
    p.max_string = lim && lim->max_string ? lim->max_string : JSON_DEFAULT_MAX_STRING;
    p.max_nodes = max_bytes > MIN_NODE_BUDGET ? max_bytes : MIN_NODE_BUDGET;

    bool ok;
    if (!text && len)
        ok = fail(&p, 0, "no input buffer");
    else if (p.len > max_bytes)
        ok = fail(&p, max_bytes, "document larger than %zu bytes", max_bytes);
    else if (!check_utf8(&p))
        ok = false;
    else if (!(p.doc = json_doc_new()))
        ok = fail_oom(&p, 0);
    else
        ok = parse_events(&p);
    release(&p);
    if (!ok) {
        json_doc_free(p.doc);
        if (err)
            json_line_col(p.text, p.len, err->offset, &err->line, &err->column);
        return NULL;
    }
    json_doc_set_root(p.doc, &p.root);
    return p.doc;
}

json_doc *ig_parse_structured(const char *text, size_t len,
                              const json_limits *lim, json_error *err)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    if (i < len && (text[i] == '{' || text[i] == '['))
        return json_parse(text, len, lim, err);
    return yaml_parse(text, len, lim, err);
}
