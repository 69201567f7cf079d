/* fix_render.c - an fx_doc back to text.  Statements nobody edited are
 * copied byte for byte with the whitespace and commas between them; the
 * edited and new ones are written in the document's style (its
 * indentation, one value per line, or one line per statement when the
 * original is written so); everything outside "Statement" is the
 * original text (docs/fix.md, "How patched files are written"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fix/fix_doc.h"

typedef struct {
    const fx_doc *d;
    json_buf *b;
} rctx;

static void put(rctx *r, const char *s, size_t n) { json_buf_append(r->b, s, n); }
static void puts_(rctx *r, const char *s) { json_buf_puts(r->b, s); }
static void span(rctx *r, size_t from, size_t to)
{
    if (to > from)
        put(r, r->d->text + from, to - from);
}

static void newline(rctx *r, unsigned depth)
{
    puts_(r, r->d->crlf ? "\r\n" : "\n");
    for (unsigned i = 0; i < depth; i++)
        puts_(r, r->d->indent);
}

/* Between two items of a list or an object. */
static void item_sep(rctx *r, unsigned depth)
{
    puts_(r, ",");
    if (r->d->compact) {
        if (r->d->spaced)
            puts_(r, " ");
    } else {
        newline(r, depth);
    }
}

static void key(rctx *r, const char *k, bool *first, unsigned depth)
{
    if (*first) {
        if (!r->d->compact)
            newline(r, depth);
    } else {
        item_sep(r, depth);
    }
    *first = false;
    json_buf_quote(r->b, k, strlen(k));
    puts_(r, r->d->compact && !r->d->spaced ? ":" : ": ");
}

static void value(rctx *r, const char *v, bool literal)
{
    if (literal)
        puts_(r, v);
    else
        json_buf_quote(r->b, v, strlen(v));
}

/* A list whose "[" stands at `depth`: a lone string when it has one
 * element and was written so, else an array, one element per line. */
static void list(rctx *r, char *const *v, size_t n, bool scalar, const bool *literal, unsigned depth)
{
    if (n == 1 && scalar) {
        value(r, v[0], literal && literal[0]);
        return;
    }
    puts_(r, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            item_sep(r, depth + 1);
        else if (!r->d->compact)
            newline(r, depth + 1);
        value(r, v[i], literal && literal[i]);
    }
    if (n && !r->d->compact)
        newline(r, depth);
    puts_(r, "]");
}

static void close_obj(rctx *r, unsigned depth)
{
    if (!r->d->compact)
        newline(r, depth);
    puts_(r, "}");
}

/* "Condition": one object per operator (in the order they first appear),
 * its keys in order. */
static void condition(rctx *r, const fx_stmt *s, unsigned depth)
{
    puts_(r, "{");
    bool first_op = true;
    for (size_t i = 0; i < s->nconds; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(s->conds[j].op, s->conds[i].op);
        if (seen)
            continue;
        key(r, s->conds[i].op, &first_op, depth + 1);
        puts_(r, "{");
        bool first_key = true;
        for (size_t k = i; k < s->nconds; k++) {
            const fx_cond *c = &s->conds[k];
            if (strcmp(c->op, s->conds[i].op))
                continue;
            key(r, c->key, &first_key, depth + 2);
            list(r, c->values, c->nvalues, c->value_scalar, c->literal, depth + 2);
        }
        close_obj(r, depth + 1);
    }
    close_obj(r, depth);
}

/* A statement whose "{" stands at `depth`, keys in the order of AWS's
 * examples. */
static void statement(rctx *r, const fx_stmt *s, unsigned depth)
{
    bool first = true;
    unsigned in = depth + 1;
    puts_(r, "{");
    if (s->sid) {
        key(r, "Sid", &first, in);
        value(r, s->sid, false);
    }
    key(r, "Effect", &first, in);
    puts_(r, s->deny ? "\"Deny\"" : "\"Allow\"");
    if (s->principal) {
        key(r, s->not_principal ? "NotPrincipal" : "Principal", &first, in);
        puts_(r, s->principal);
    }
    key(r, s->not_action ? "NotAction" : "Action", &first, in);
    list(r, s->actions, s->nactions, s->action_scalar, NULL, in);
    if (s->has_resource) {
        key(r, s->not_resource ? "NotResource" : "Resource", &first, in);
        list(r, s->resources, s->nresources, s->resource_scalar, NULL, in);
    }
    if (s->nconds) {
        key(r, "Condition", &first, in);
        condition(r, s, in);
    }
    close_obj(r, depth);
}

static bool original(const fx_stmt *s) { return s->end != 0; }

static bool has_nl(const char *t, size_t from, size_t to)
{
    return to > from && memchr(t + from, '\n', to - from) != NULL;
}

static void stmt_text(rctx *r, const fx_stmt *s, unsigned depth)
{
    if (original(s) && !s->changed)
        span(r, s->start, s->end);
    else
        statement(r, s, depth);
}

/* The next statement of the original after index i (removed ones count:
 * the text between two statements is the original's). */
static const fx_stmt *next_original(const fx_doc *d, size_t i)
{
    for (size_t j = i + 1; j < d->nstmts; j++)
        if (original(&d->stmts[j]))
            return &d->stmts[j];
    return NULL;
}

/* Between a new statement and another when the original had one
 * statement to learn from: a comma and the whitespace before that one when
 * it starts a line ("[\n    {"), else as one-line files do, or "}, {" when
 * the statement follows "[" on its line ("[{\n ... }"). */
static void lone_sep(rctx *r, const fx_stmt *first)
{
    const fx_doc *d = r->d;
    if (!first) {
        item_sep(r, d->stmt_depth);
    } else if (has_nl(d->text, d->array_start + 1, first->start)) {
        puts_(r, ",");
        span(r, d->array_start + 1, first->start);
    } else {
        puts_(r, d->compact && !d->spaced ? "," : ", ");
    }
}

/* Statement was an array: the original text from "[" to each kept
 * statement, the separators that followed them, the text before "]". */
static void render_array(rctx *r, size_t nkept)
{
    const fx_doc *d = r->d;
    const fx_stmt *first = NULL, *last = NULL;
    for (size_t i = 0; i < d->nstmts; i++)
        if (original(&d->stmts[i])) {
            if (!first)
                first = &d->stmts[i];
            last = &d->stmts[i];
        }
    unsigned depth = d->stmt_depth;
    span(r, 0, d->array_start + 1);
    if (nkept == 0) {
        if (first)
            puts_(r, "]");
        else
            span(r, d->array_start + 1, d->array_end);
        span(r, d->array_end, d->len);
        return;
    }
    /* The separator of new statements: the original's first, else one in
     * the document's style. */
    const fx_stmt *second = first ? next_original(d, (size_t)(first - d->stmts)) : NULL;
    if (first)
        span(r, d->array_start + 1, first->start);
    else if (!d->compact)
        newline(r, depth);
    bool first_out = true;
    for (size_t i = 0; i < d->nstmts; i++) {
        const fx_stmt *s = &d->stmts[i];
        if (s->removed)
            continue;
        if (!first_out) {
            /* After the previous kept one: its own separator if it had one. */
            size_t p = i;
            while (d->stmts[p - 1].removed)
                p--;
            const fx_stmt *prev = &d->stmts[p - 1];
            const fx_stmt *next = original(prev) ? next_original(d, p - 1) : NULL;
            if (next)
                span(r, prev->end, next->start);
            else if (second)
                span(r, first->end, second->start);
            else
                lone_sep(r, first);
        }
        first_out = false;
        stmt_text(r, s, depth);
    }
    if (last)
        span(r, last->end, d->array_end - 1);
    else if (!d->compact)
        newline(r, depth ? depth - 1 : 0);
    puts_(r, "]");
    span(r, d->array_end, d->len);
}

/* Statement was one object: it stays one while one statement is left,
 * else it becomes an array of statements written in the document's style. */
static void render_scalar(rctx *r, size_t nkept)
{
    const fx_doc *d = r->d;
    unsigned depth = d->stmt_depth;
    span(r, 0, d->array_start);
    if (nkept == 1) {
        for (size_t i = 0; i < d->nstmts; i++)
            if (!d->stmts[i].removed)
                stmt_text(r, &d->stmts[i], depth);
    } else {
        puts_(r, "[");
        bool first = true;
        for (size_t i = 0; i < d->nstmts; i++) {
            if (d->stmts[i].removed)
                continue;
            if (!first)
                item_sep(r, depth + 1);
            else if (!d->compact)
                newline(r, depth + 1);
            first = false;
            statement(r, &d->stmts[i], depth + 1);
        }
        if (nkept && !d->compact)
            newline(r, depth);
        puts_(r, "]");
    }
    span(r, d->array_end, d->len);
}

char *fx_doc_render(const fx_doc *d, size_t *len)
{
    json_buf b;
    json_buf_init(&b);
    rctx r = { .d = d, .b = &b };
    size_t nkept = 0;
    bool edited = false;
    for (size_t i = 0; i < d->nstmts; i++) {
        const fx_stmt *s = &d->stmts[i];
        nkept += !s->removed;
        edited |= s->removed || s->changed || !original(s);
    }
    if (!edited)
        span(&r, 0, d->len);
    else if (d->statement_scalar)
        render_scalar(&r, nkept);
    else
        render_array(&r, nkept);
    if (!b.data && !b.failed)
        json_buf_append(&b, "", 0);     /* an empty text is still a string */
    if (b.failed) {
        json_buf_free(&b);
        return NULL;
    }
    if (len)
        *len = b.len;
    return b.data;
}

ig_policy *fx_doc_compile(const fx_doc *d, ig_policy_type type, const char *id, ig_diag *diag)
{
    size_t len;
    char *text = fx_doc_render(d, &len);
    if (!text) {
        if (diag) {
            memset(diag, 0, sizeof *diag);
            diag->code = IG_E_NOMEM;
            snprintf(diag->file, sizeof diag->file, "%s", d->file ? d->file : "");
            snprintf(diag->msg, sizeof diag->msg, "out of memory");
        }
        return NULL;
    }
    ig_policy *p = ig_policy_compile(text, len, type, id, d->file, diag);
    free(text);
    return p;
}
