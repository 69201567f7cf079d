/* fix_doc.c - reads a policy document into the editable form of
 * fix_doc.h (its statements as fields, their spans in the text, the
 * layout to render edits in), copies and frees it.  What the fields
 * cannot hold exactly is refused with its position rather than dropped:
 * a patched file must say everything the original said. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fix/fix_arena.h"
#include "fix/fix_doc.h"
#include "policy/policy.h"

typedef struct {
    const char *text;
    size_t len;
    const char *file;
    ig_diag *diag;
    fx_arena *arena;
    int rc;                     /* IG_E_INPUT or IG_E_NOMEM once failed */
} pctx;

static bool fail(pctx *c, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(pctx *c, size_t off, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->rc = IG_E_INPUT;
    ig_diag_set(c->diag, IG_E_INPUT, c->file, c->text, c->len, off, "%s", msg);
    return false;
}

static bool nomem(pctx *c, size_t off)
{
    c->rc = IG_E_NOMEM;
    ig_diag_set(c->diag, IG_E_NOMEM, c->file, c->text, c->len, off, "out of memory");
    return false;
}

/* A decoded string as a C string: one with "\u0000" in it cannot be. */
static bool dup_string(pctx *c, const json_value *v, const char *what, char **out)
{
    if (strlen(v->u.str) != v->len)
        return fail(c, v->start, "%s contains a NUL character (\\u0000)", what);
    if (!(*out = fx_strndup(c->arena, v->u.str, v->len)))
        return nomem(c, v->start);
    return true;
}

/* A string or an array of strings (Action, Resource). */
static bool string_list(pctx *c, const json_member *m, char ***out, size_t *n, bool *scalar)
{
    const json_value *v = &m->value;
    const json_value *items = v;
    size_t count = 1;
    *scalar = v->kind == JSON_STRING;
    if (v->kind == JSON_ARRAY) {
        items = v->u.items;
        count = v->len;
    } else if (v->kind != JSON_STRING) {
        return fail(c, v->start, "\"%s\" must be a string or an array of strings, got %s",
                    m->key, json_kind_name(v->kind));
    }
    *out = fx_alloc(c->arena, (count ? count : 1) * sizeof **out);
    if (!*out)
        return nomem(c, v->start);
    for (size_t i = 0; i < count; i++) {
        if (items[i].kind != JSON_STRING)
            return fail(c, items[i].start, "\"%s\" entries must be strings, got %s", m->key,
                        json_kind_name(items[i].kind));
        if (!dup_string(c, &items[i], m->key, &(*out)[i]))
            return false;
    }
    *n = count;
    return true;
}

/* One value of a condition: strings as they are, numbers and booleans as
 * written (remembered as literals, to be written back unquoted). */
static bool cond_value(pctx *c, const json_value *v, char **out, bool *literal)
{
    *literal = false;
    switch (v->kind) {
    case JSON_STRING:
        return dup_string(c, v, "a condition value", out);
    case JSON_NUMBER:
    case JSON_TRUE:
    case JSON_FALSE:
        *literal = true;
        if (!(*out = fx_strndup(c->arena, c->text + v->start, v->end - v->start)))
            return nomem(c, v->start);
        return true;
    default:
        return fail(c, v->start, "condition values must be strings, numbers or booleans, got %s",
                    json_kind_name(v->kind));
    }
}

static bool cond_entry(pctx *c, const char *op, const json_member *km, fx_cond *cd)
{
    const json_value *v = &km->value;
    const json_value *items = v;
    size_t n = 1;
    memset(cd, 0, sizeof *cd);
    cd->value_scalar = v->kind != JSON_ARRAY;
    if (v->kind == JSON_ARRAY) {
        items = v->u.items;
        n = v->len;
    }
    if (strlen(km->key) != km->key_len)
        return fail(c, km->key_start, "a condition key contains a NUL character (\\u0000)");
    cd->op = (char *)op;
    cd->key = fx_strndup(c->arena, km->key, km->key_len);
    cd->values = fx_alloc(c->arena, (n ? n : 1) * sizeof *cd->values);
    bool *lit = fx_alloc(c->arena, n ? n : 1);
    if (!cd->key || !cd->values || !lit)
        return nomem(c, km->key_start);
    bool any_literal = false;
    for (size_t i = 0; i < n; i++) {
        if (!cond_value(c, &items[i], &cd->values[i], &lit[i]))
            return false;
        any_literal |= lit[i];
    }
    cd->nvalues = n;
    cd->literal = any_literal ? lit : NULL;
    return true;
}

static bool parse_condition(pctx *c, const json_value *v, fx_stmt *st)
{
    if (v->kind != JSON_OBJECT)
        return fail(c, v->start, "\"Condition\" must be an object, got %s", json_kind_name(v->kind));
    if (v->len == 0)
        return fail(c, v->start, "an empty \"Condition\" cannot be edited (remove it)");
    size_t total = 0;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *om = &v->u.members[i];
        if (om->value.kind != JSON_OBJECT)
            return fail(c, om->value.start, "condition operator \"%s\" must map to an object of keys, got %s",
                        om->key, json_kind_name(om->value.kind));
        if (om->value.len == 0)
            return fail(c, om->value.start, "condition operator \"%s\" has no keys (remove it to edit this policy)",
                        om->key);
        total += om->value.len;
    }
    st->conds = fx_alloc(c->arena, total * sizeof *st->conds);
    if (!st->conds)
        return nomem(c, v->start);
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *om = &v->u.members[i];
        if (strlen(om->key) != om->key_len)
            return fail(c, om->key_start, "a condition operator contains a NUL character (\\u0000)");
        char *op = fx_strndup(c->arena, om->key, om->key_len);
        if (!op)
            return nomem(c, om->key_start);
        for (uint32_t k = 0; k < om->value.len; k++)
            if (!cond_entry(c, op, &om->value.u.members[k], &st->conds[st->nconds++]))
                return false;
    }
    return true;
}

static bool parse_statement(pctx *c, const json_value *v, fx_stmt *st)
{
    memset(st, 0, sizeof *st);
    st->arena = c->arena;
    if (v->kind != JSON_OBJECT)
        return fail(c, v->start, "a statement must be an object, got %s", json_kind_name(v->kind));
    st->start = v->start;
    st->end = v->end;
    const json_member *effect = NULL, *action = NULL, *resource = NULL, *principal = NULL;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        const char *k = m->key;
        if (!strcmp(k, "Sid")) {
            if (m->value.kind != JSON_STRING)
                return fail(c, m->value.start, "\"Sid\" must be a string, got %s",
                            json_kind_name(m->value.kind));
            if (!dup_string(c, &m->value, "\"Sid\"", &st->sid))
                return false;
        } else if (!strcmp(k, "Effect")) {
            effect = m;
        } else if (!strcmp(k, "Action") || !strcmp(k, "NotAction")) {
            if (action)
                return fail(c, m->key_start, "a statement cannot have both \"Action\" and \"NotAction\"");
            action = m;
        } else if (!strcmp(k, "Resource") || !strcmp(k, "NotResource")) {
            if (resource)
                return fail(c, m->key_start, "a statement cannot have both \"Resource\" and \"NotResource\"");
            resource = m;
        } else if (!strcmp(k, "Principal") || !strcmp(k, "NotPrincipal")) {
            if (principal)
                return fail(c, m->key_start, "a statement cannot have both \"Principal\" and \"NotPrincipal\"");
            principal = m;
        } else if (!strcmp(k, "Condition")) {
            if (!parse_condition(c, &m->value, st))
                return false;
        } else {
            return fail(c, m->key_start, "unknown statement element \"%s\"", k);
        }
    }
    if (!effect)
        return fail(c, v->start, "statement has no \"Effect\"");
    const json_value *e = &effect->value;
    if (e->kind == JSON_STRING && !strcmp(e->u.str, "Deny") && e->len == 4)
        st->deny = true;
    else if (!(e->kind == JSON_STRING && !strcmp(e->u.str, "Allow") && e->len == 5))
        return fail(c, e->start, "\"Effect\" must be \"Allow\" or \"Deny\"");
    if (!action)
        return fail(c, v->start, "statement has neither \"Action\" nor \"NotAction\"");
    st->not_action = action->key[0] == 'N';
    if (!string_list(c, action, &st->actions, &st->nactions, &st->action_scalar))
        return false;
    if (resource) {
        st->has_resource = true;
        st->not_resource = resource->key[0] == 'N';
        if (!string_list(c, resource, &st->resources, &st->nresources, &st->resource_scalar))
            return false;
    }
    if (principal) {
        const json_value *p = &principal->value;
        st->not_principal = principal->key[0] == 'N';
        st->principal = fx_strndup(c->arena, c->text + p->start, p->end - p->start);
        if (!st->principal)
            return nomem(c, p->start);
    }
    return true;
}

/* ---- layout ---- */

/* The spaces and tabs that begin the line holding offset `off`. */
static void line_indent(const char *text, size_t off, size_t *ws_start, size_t *ws_len)
{
    size_t b = off;
    while (b > 0 && text[b - 1] != '\n')
        b--;
    size_t e = b;
    while (text[e] == ' ' || text[e] == '\t')
        e++;
    *ws_start = b;
    *ws_len = e - b;
}

static bool has_newline(const char *text, size_t from, size_t to)
{
    return to > from && memchr(text + from, '\n', to - from) != NULL;
}

static void set_indent(fx_doc *d, const char *s, size_t n)
{
    if (n == 0 || n >= sizeof d->indent) {
        strcpy(d->indent, "  ");
        return;
    }
    memcpy(d->indent, s, n);
    d->indent[n] = '\0';
}

/* How many indent units `ws` is (rounded down; 0 when it is not made of
 * them, which the renderer then writes from the left margin). */
static unsigned depth_of(const fx_doc *d, const char *ws, size_t n)
{
    size_t u = strlen(d->indent);
    unsigned depth = 0;
    for (size_t i = 0; i + u <= n && !memcmp(ws + i, d->indent, u); i += u)
        depth++;
    return depth;
}

/* The style edited statements are written in: the indentation unit and
 * depth of the first statement (or, without one, of the document's first
 * indented line and of the "Statement" key), one-line statements, spaces
 * after ':' and ',', CRLF line ends. */
static void detect_layout(fx_doc *d, const json_member *stmts_m)
{
    const char *t = d->text;
    const json_value *sv = &stmts_m->value;
    const char *nl = memchr(t, '\n', d->len);
    d->crlf = nl && nl > t && nl[-1] == '\r';

    /* Default unit: the document's first indented line. */
    strcpy(d->indent, "  ");
    for (const char *p = nl; p && p + 1 < t + d->len; p = memchr(p + 1, '\n', (size_t)(t + d->len - p - 1))) {
        size_t n = 0;
        while (p + 1 + n < t + d->len && (p[1 + n] == ' ' || p[1 + n] == '\t'))
            n++;
        if (n && p + 1 + n < t + d->len && p[1 + n] != '\n' && p[1 + n] != '\r') {
            set_indent(d, p + 1, n);
            break;
        }
    }

    const json_value *first = NULL;
    if (sv->kind == JSON_OBJECT)
        first = sv;
    else if (sv->len > 0)
        first = &sv->u.items[0];

    size_t ws_start, ws_len;
    if (first) {
        d->compact = !has_newline(t, first->start, first->end);
        line_indent(t, first->start, &ws_start, &ws_len);
        if (first->len > 0) {
            const json_member *m0 = &first->u.members[0];
            if (has_newline(t, first->start, m0->key_start)) {
                size_t ks, kl;
                line_indent(t, m0->key_start, &ks, &kl);
                if (kl > ws_len && !memcmp(t + ks, t + ws_start, ws_len))
                    set_indent(d, t + ks + ws_len, kl - ws_len);
            }
            /* Whitespace between the first key and its value. */
            for (size_t i = m0->key_start + 1; i < m0->value.start; i++)
                if (t[i] == ' ' && t[i - 1] == ':')
                    d->spaced = true;
        }
        d->stmt_depth = depth_of(d, t + ws_start, ws_len);
    } else {
        d->compact = !memchr(t, '\n', d->len);
        line_indent(t, stmts_m->key_start, &ws_start, &ws_len);
        d->stmt_depth = depth_of(d, t + ws_start, ws_len) + 1;
        const char *colon = memchr(t + stmts_m->key_start, ':', sv->start - stmts_m->key_start);
        d->spaced = colon && colon[1] == ' ';
    }
}

/* ---- the document ---- */

static bool parse_doc(pctx *c, const json_value *root, fx_doc *d)
{
    if (root->kind != JSON_OBJECT)
        return fail(c, root->start, "a policy must be a JSON object, got %s", json_kind_name(root->kind));
    const json_member *stmts = NULL;
    for (uint32_t i = 0; i < root->len; i++) {
        const json_member *m = &root->u.members[i];
        if (!strcmp(m->key, "Version") || !strcmp(m->key, "Id")) {
            if (m->value.kind != JSON_STRING)
                return fail(c, m->value.start, "\"%s\" must be a string, got %s", m->key,
                            json_kind_name(m->value.kind));
        } else if (!strcmp(m->key, "Statement")) {
            stmts = m;
        } else {
            return fail(c, m->key_start, "unknown policy element \"%s\"", m->key);
        }
    }
    if (!stmts)
        return fail(c, root->start, "policy has no \"Statement\"");
    const json_value *sv = &stmts->value;
    const json_value *list = sv;
    size_t n = 1;
    if (sv->kind == JSON_ARRAY) {
        list = sv->u.items;
        n = sv->len;
    } else if (sv->kind != JSON_OBJECT) {
        return fail(c, sv->start, "\"Statement\" must be an object or an array of objects, got %s",
                    json_kind_name(sv->kind));
    }
    d->statement_scalar = sv->kind == JSON_OBJECT;
    d->array_start = sv->start;
    d->array_end = sv->end;
    d->stmts = fx_alloc(c->arena, (n ? n : 1) * sizeof *d->stmts);
    if (!d->stmts)
        return nomem(c, sv->start);
    for (size_t i = 0; i < n; i++) {
        if (!parse_statement(c, &list[i], &d->stmts[i]))
            return false;
        d->nstmts++;
    }
    detect_layout(d, stmts);
    return true;
}

int fx_doc_parse(const char *text, size_t len, const char *file, fx_doc *out, ig_diag *diag)
{
    memset(out, 0, sizeof *out);
    if (!file)
        file = "";
    json_error je;
    json_doc *jd = json_parse(text, len, NULL, &je);
    if (!jd) {
        bool oom = !strcmp(je.msg, "out of memory");
        ig_diag_set(diag, oom ? IG_E_NOMEM : IG_E_INPUT, file, text, len, je.offset, "%s", je.msg);
        return oom ? IG_E_NOMEM : IG_E_INPUT;
    }
    pctx c = { .text = text, .len = len, .file = file, .diag = diag, .rc = IG_OK };
    /* The copy of the text and the fields take about twice its size. */
    c.arena = fx_arena_new(2 * len + 1024);
    if (!c.arena) {
        json_doc_free(jd);
        ig_diag_set(diag, IG_E_NOMEM, file, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    out->arena = c.arena;
    out->text = fx_strndup(c.arena, text, len);
    out->file = fx_strndup(c.arena, file, strlen(file));
    out->len = len;
    bool ok = out->text && out->file ? parse_doc(&c, json_root(jd), out) : nomem(&c, 0);
    json_doc_free(jd);
    if (!ok) {
        int rc = c.rc;
        fx_doc_free(out);
        return rc;
    }
    return IG_OK;
}

/* ---- copies ---- */

static size_t strv_size(char *const *v, size_t n)
{
    size_t s = n * sizeof *v + 16;
    for (size_t i = 0; i < n; i++)
        s += strlen(v[i]) + 16;
    return s;
}

static size_t stmt_size(const fx_stmt *s)
{
    size_t z = strv_size(s->actions, s->nactions) + strv_size(s->resources, s->nresources) +
               (s->sid ? strlen(s->sid) + 16 : 0) + (s->principal ? strlen(s->principal) + 16 : 0) +
               s->nconds * sizeof *s->conds + 16;
    for (size_t i = 0; i < s->nconds; i++)
        z += strlen(s->conds[i].op) + strlen(s->conds[i].key) + 32 +
             strv_size(s->conds[i].values, s->conds[i].nvalues) + s->conds[i].nvalues + 16;
    return z;
}

static char *dup_opt(fx_arena *a, const char *s, bool *ok)
{
    if (!s)
        return NULL;
    char *p = fx_strndup(a, s, strlen(s));
    *ok &= p != NULL;
    return p;
}

static bool stmt_copy(fx_arena *a, const fx_stmt *src, fx_stmt *dst)
{
    bool ok = true;
    *dst = *src;
    dst->arena = a;
    dst->sid = dup_opt(a, src->sid, &ok);
    dst->principal = dup_opt(a, src->principal, &ok);
    dst->actions = fx_strv_dup(a, (const char *const *)src->actions, src->nactions);
    dst->resources = fx_strv_dup(a, (const char *const *)src->resources, src->nresources);
    dst->conds = fx_alloc(a, (src->nconds ? src->nconds : 1) * sizeof *dst->conds);
    if (!ok || !dst->actions || !dst->resources || !dst->conds)
        return false;
    for (size_t i = 0; i < src->nconds; i++) {
        const fx_cond *sc = &src->conds[i];
        fx_cond *dc = &dst->conds[i];
        *dc = *sc;
        dc->op = fx_strndup(a, sc->op, strlen(sc->op));
        dc->key = fx_strndup(a, sc->key, strlen(sc->key));
        dc->values = fx_strv_dup(a, (const char *const *)sc->values, sc->nvalues);
        if (!dc->op || !dc->key || !dc->values)
            return false;
        if (sc->literal) {
            if (!(dc->literal = fx_alloc(a, sc->nvalues ? sc->nvalues : 1)))
                return false;
            memcpy(dc->literal, sc->literal, sc->nvalues);
        }
    }
    return true;
}

int fx_doc_clone(const fx_doc *src, fx_doc *dst)
{
    memset(dst, 0, sizeof *dst);
    size_t need = src->len + strlen(src->file) + 64 + (src->nstmts + 1) * sizeof(fx_stmt);
    for (size_t i = 0; i < src->nstmts; i++)
        need += stmt_size(&src->stmts[i]);
    /* Room for the edits of a candidate without a second block. */
    fx_arena *a = fx_arena_new(need + need / 8 + 1024);
    if (!a)
        return IG_E_NOMEM;
    *dst = *src;
    dst->arena = a;
    dst->text = fx_strndup(a, src->text, src->len);
    dst->file = fx_strndup(a, src->file, strlen(src->file));
    dst->stmts = fx_alloc(a, (src->nstmts ? src->nstmts : 1) * sizeof *dst->stmts);
    bool ok = dst->text && dst->file && dst->stmts;
    for (size_t i = 0; ok && i < src->nstmts; i++)
        ok = stmt_copy(a, &src->stmts[i], &dst->stmts[i]);
    if (!ok) {
        fx_arena_free(a);
        memset(dst, 0, sizeof *dst);
        return IG_E_NOMEM;
    }
    return IG_OK;
}

void fx_doc_free(fx_doc *d)
{
    if (!d)
        return;
    fx_arena_free(d->arena);
    memset(d, 0, sizeof *d);
}
