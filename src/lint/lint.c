/* lint.c - running the checks on one policy: compile it, pair every
 * compiled statement with its JSON node, resolve actions in the catalog,
 * then hand the model to each group of checks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/lint_int.h"
#include "policy/policy.h"
#include "util/alloc.h"
#include "util/str.h"

void lint_report_init(lint_report *r)
{
    memset(r, 0, sizeof *r);
}

void lint_report_free(lint_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        ig_free(r->items[i].message);
        ig_free(r->items[i].fix);
    }
    ig_free(r->items);
    memset(r, 0, sizeof *r);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *d = ig_malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

static void position(const lint_ctx *c, size_t offset, unsigned *line, unsigned *col)
{
    size_t lo = 0, hi = c->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (c->line_starts[mid] <= offset) lo = mid; else hi = mid;
    }
    *line = (unsigned)lo + 1;
    *col = (unsigned)(offset - c->line_starts[lo]) + 1;
}

static void add_finding(lint_report *r, const lint_rule *rule, const char *file, unsigned line,
                        unsigned col, const char *msg, const char *fix)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        lint_finding *items = ig_realloc(r->items, cap * sizeof *items);
        if (!items) {
            r->failed = true;
            return;
        }
        r->items = items;
        r->cap = cap;
    }
    lint_finding *f = &r->items[r->n];
    f->rule = rule;
    f->file = file;
    f->line = line;
    f->column = col;
    f->message = dup_str(msg);
    f->fix = fix ? dup_str(fix) : NULL;
    if (!f->message || (fix && !f->fix)) {
        ig_free(f->message);
        ig_free(f->fix);
        r->failed = true;
        return;
    }
    r->n++;
}

void lint_report_add(lint_report *r, const char *code, const char *file, unsigned line,
                     unsigned column, const char *message)
{
    const lint_rule *rule = lint_rule_find(code);
    if (rule)
        add_finding(r, rule, file, line, column, message, NULL);
}

typedef struct {
    lint_finding f;
    size_t index;
} ordered;

static int cmp_ordered(const void *a, const void *b)
{
    const ordered *x = a, *y = b;
    if (x->f.line != y->f.line)
        return x->f.line < y->f.line ? -1 : 1;
    if (x->f.column != y->f.column)
        return x->f.column < y->f.column ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

void lint_report_sort(lint_report *r, size_t from)
{
    if (r->n <= from + 1)
        return;
    size_t n = r->n - from;
    ordered *tmp = ig_malloc(n * sizeof *tmp);
    if (!tmp)
        return;         /* unsorted is still correct */
    for (size_t i = 0; i < n; i++) {
        tmp[i].f = r->items[from + i];
        tmp[i].index = i;
    }
    qsort(tmp, n, sizeof *tmp, cmp_ordered);
    for (size_t i = 0; i < n; i++)
        r->items[from + i] = tmp[i].f;
    ig_free(tmp);
}

void lint_report_drop(lint_report *r, const char *const *codes, size_t n)
{
    size_t out = 0;
    for (size_t i = 0; i < r->n; i++) {
        bool drop = false;
        for (size_t k = 0; k < n && !drop; k++)
            drop = !strcmp(r->items[i].rule->code, codes[k]);
        if (drop) {
            ig_free(r->items[i].message);
            ig_free(r->items[i].fix);
        } else {
            r->items[out++] = r->items[i];
        }
    }
    r->n = out;
}

void lint_add(lint_ctx *c, const char *code, size_t offset, const char *fix, const char *fmt, ...)
{
    const lint_rule *rule = lint_rule_find(code);
    char msg[900];
    int used = 0;
    /* In an account export many policies share one file: say which. */
    if (c->o && c->o->label && c->o->label[0])
        used = snprintf(msg, 260, "%s: ", c->o->label);
    if (used < 0)
        used = 0;
    else if (used >= 260)
        used = 259;     /* cut, still followed by the message */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + used, sizeof msg - (size_t)used, fmt, ap);
    va_end(ap);
    unsigned line, col;
    position(c, offset, &line, &col);
    if (rule)
        add_finding(c->r, rule, c->file, line, col, msg, fix);
}

const char *lint_action_name(const lint_ctx *c, uint32_t action, char *buf, size_t cap)
{
    ig_catalog_action a;
    if (ig_catalog_action_get(c->cat, action, &a))
        snprintf(buf, cap, "%s:%s", a.service, a.name);
    else
        snprintf(buf, cap, "?");
    return buf;
}

bool lint_stmt_tests_key(const lstmt *s, const char *key)
{
    size_t n = strlen(key);
    for (uint32_t i = 0; s->st && i < s->st->nconds; i++)
        if (s->st->conds[i].key_len == n && ig_eq_icase(s->st->conds[i].key, key, n))
            return true;
    return false;
}

const lact *lint_entry_covering(const lstmt *s, const char *action)
{
    for (uint32_t k = 0; k < s->nacts; k++)
        if (igcat_wild_match(s->acts[k].s, s->acts[k].n, action, strlen(action)))
            return &s->acts[k];
    return NULL;
}

bool lint_pins_resource_owner(const lstmt *s)
{
    return lint_stmt_tests_key(s, "aws:ResourceAccount") || lint_stmt_tests_key(s, "s3:ResourceAccount") ||
           lint_stmt_tests_key(s, "aws:ResourceOrgID") || lint_stmt_tests_key(s, "aws:ResourceOrgPaths");
}

bool lint_names_something(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != '/' && s[i] != ':')
        i++;
    if (i == n)
        i = 0;
    for (; i < n; i++)
        if (!strchr("*?/:", s[i]))
            return true;
    return false;
}

bool lint_arn_names_something(const igcat_arn_parts *p)
{
    /* An S3 resource is bucket[/key]: no type before the name. */
    if (p->len[2] == 2 && !memcmp(p->seg[2], "s3", 2)) {
        for (size_t i = 0; i < p->len[5]; i++)
            if (!strchr("*?/", p->seg[5][i]))
                return true;
        return false;
    }
    return lint_names_something(p->seg[5], p->len[5]);
}

bool lint_res_every_of_type(const lres *r)
{
    if (r->star)
        return true;
    igcat_arn_parts p;
    igcat_split_arn(r->s, r->n, &p);
    if (p.n < 6)
        return r->n > 0 && r->s[r->n - 1] == '*';     /* "arn:aws:s3:*" */
    return !lint_arn_names_something(&p);
}

/* ---- resources against resource types, remembered per statement ---------- */

static void rt_reset(lint_ctx *c, const lstmt *s)
{
    for (size_t i = 0; i < c->nrt_touched; i++) {
        c->rt_known[c->rt_touched[i]] = 0;
        c->rt_match[c->rt_touched[i]] = 0;
    }
    c->nrt_touched = 0;
    c->rt_stmt = s;
}

bool lint_res_matches_rtype(lint_ctx *c, const lstmt *s, uint32_t ri, uint32_t rt)
{
    const lres *r = &s->res[ri];
    if (r->star)
        return true;
    const char *tmpl = igcat_str(c->cat, c->cat->rt[rt].arn);
    if (ri >= 64 || !c->rt_known)
        return igcat_arn_intersects(r->s, r->n, tmpl);
    if (c->rt_stmt != s)
        rt_reset(c, s);
    uint64_t bit = (uint64_t)1 << ri;
    if (!(c->rt_known[rt] & bit)) {
        if (!c->rt_known[rt] && c->nrt_touched < c->cat->nrt)
            c->rt_touched[c->nrt_touched++] = rt;
        c->rt_known[rt] |= bit;
        if (igcat_arn_intersects(r->s, r->n, tmpl))
            c->rt_match[rt] |= bit;
    }
    return (c->rt_match[rt] & bit) != 0;
}

bool lint_action_reachable(lint_ctx *c, const lstmt *s, uint32_t action)
{
    if (s->any_star_resource)
        return true;
    const igcat_action *a = &c->cat->act[action];
    /* An action without resource types authorizes the resource "*". */
    for (uint32_t k = 0; k < a->rt_count; k++) {
        uint32_t rt = c->cat->art[a->rt_first + k].rtype;
        for (uint32_t ri = 0; ri < s->nres; ri++)
            if (lint_res_matches_rtype(c, s, ri, rt))
                return true;
    }
    return false;
}

/* ---- the model ------------------------------------------------------------ */

static const json_value *items_of(const json_member *m, uint32_t *n)
{
    if (!m) {
        *n = 0;
        return NULL;
    }
    if (m->value.kind == JSON_ARRAY) {
        *n = m->value.len;
        return m->value.u.items;
    }
    *n = 1;
    return &m->value;
}

static bool resolve_action(lint_ctx *c, lact *a)
{
    a->all = a->n == 1 && a->s[0] == '*';
    a->wildcard = memchr(a->s, '*', a->n) || memchr(a->s, '?', a->n);
    if (a->all) {
        a->known = true;
        return true;
    }
    if (!a->wildcard) {
        uint32_t id = ig_catalog_action_find(c->cat, a->s, a->n);
        if (id == IG_CATALOG_NONE)
            return true;
        a->ids = ig_arena_alloc(&c->arena, sizeof *a->ids);
        if (!a->ids)
            return false;
        a->ids[0] = id;
        a->nids = 1;
        a->known = true;
        return true;
    }
    size_t total = ig_catalog_expand(c->cat, a->s, a->n, NULL, 0);
    if (!total)
        return true;
    a->ids = ig_arena_alloc(&c->arena, total * sizeof *a->ids);
    if (!a->ids)
        return false;
    a->nids = ig_catalog_expand(c->cat, a->s, a->n, a->ids, total);
    a->known = true;
    return true;
}

static bool build_statement(lint_ctx *c, const json_value *obj, const ig_stmt *st, lstmt *s)
{
    s->obj = obj;
    s->st = st;
    s->deny = st->deny;
    for (uint32_t i = 0; i < obj->len; i++) {
        const json_member *m = &obj->u.members[i];
        if (!strcmp(m->key, "Sid")) s->sid = m;
        else if (!strcmp(m->key, "Effect")) s->effect = m;
        else if (!strcmp(m->key, "Action") || !strcmp(m->key, "NotAction")) s->action = m;
        else if (!strcmp(m->key, "Resource") || !strcmp(m->key, "NotResource")) s->resource = m;
        else if (!strcmp(m->key, "Principal") || !strcmp(m->key, "NotPrincipal")) s->principal = m;
        else if (!strcmp(m->key, "Condition")) s->condition = m;
    }
    s->not_action = st->action_mode == ELEM_NOT;
    s->not_resource = st->resource_mode == ELEM_NOT;
    const json_value *items = items_of(s->action, &s->nacts);
    s->acts = ig_arena_alloc(&c->arena, (s->nacts ? s->nacts : 1) * sizeof *s->acts);
    if (!s->acts)
        return false;
    s->actions_known = true;
    for (uint32_t i = 0; i < s->nacts; i++) {
        lact *a = &s->acts[i];
        a->v = &items[i];
        a->s = items[i].u.str;
        a->n = items[i].len;
        if (!resolve_action(c, a))
            return false;
        s->actions_known &= a->known;
    }
    items = items_of(s->resource, &s->nres);
    s->res = ig_arena_alloc(&c->arena, (s->nres ? s->nres : 1) * sizeof *s->res);
    if (!s->res)
        return false;
    for (uint32_t i = 0; i < s->nres; i++) {
        lres *r = &s->res[i];
        r->v = &items[i];
        r->s = items[i].u.str;
        r->n = items[i].len;
        r->star = r->n == 1 && r->s[0] == '*';
        s->any_star_resource |= r->star && !s->not_resource;
    }
    /* Trust and other resource policies may omit Resource: every resource. */
    if (!s->resource)
        s->any_star_resource = true;
    return true;
}

static bool build_model(lint_ctx *c)
{
    const json_value *sv = json_get(c->root, "Statement");
    const json_value *list = sv;
    uint32_t n = 1;
    if (sv && sv->kind == JSON_ARRAY) {
        list = sv->u.items;
        n = sv->len;
    }
    if (!sv || n != c->pol->nstmts)
        return true;        /* cannot happen after a successful compile */
    c->stmts = ig_arena_alloc(&c->arena, (n ? n : 1) * sizeof *c->stmts);
    if (!c->stmts)
        return false;
    c->nstmts = n;
    for (uint32_t i = 0; i < n; i++)
        if (!build_statement(c, &list[i], &c->pol->stmts[i], &c->stmts[i]))
            return false;
    return true;
}

bool lint_lines_index(lint_lines *l, const char *text, size_t len)
{
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    l->text = text;
    l->n = 0;
    l->starts = ig_malloc(lines * sizeof *l->starts);
    if (!l->starts)
        return false;
    l->starts[l->n++] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            l->starts[l->n++] = (uint32_t)(i + 1);
    return true;
}

void lint_lines_free(lint_lines *l)
{
    ig_free(l->starts);
    memset(l, 0, sizeof *l);
}

static bool index_lines(lint_ctx *c)
{
    if (c->o && c->o->lines && c->o->lines->text == c->text) {
        c->line_starts = c->o->lines->starts;
        c->nlines = c->o->lines->n;
        return true;
    }
    size_t lines = 1;
    for (size_t i = 0; i < c->len; i++)
        lines += c->text[i] == '\n';
    uint32_t *starts = ig_arena_alloc(&c->arena, lines * sizeof *starts);
    if (!starts)
        return false;
    c->nlines = 0;
    starts[c->nlines++] = 0;
    for (size_t i = 0; i < c->len; i++)
        if (c->text[i] == '\n')
            starts[c->nlines++] = (uint32_t)(i + 1);
    c->line_starts = starts;
    return true;
}

size_t lint_default_max_size(ig_policy_type t)
{
    switch (t) {
    case IG_POLICY_IDENTITY: return 6144;       /* managed policy */
    case IG_POLICY_BOUNDARY: return 6144;       /* a managed policy too */
    case IG_POLICY_SESSION: return 2048;
    case IG_POLICY_RESOURCE: return 20480;      /* S3 bucket and SQS queue policies */
    case IG_POLICY_SCP: return 5120;
    case IG_POLICY_RCP: return 5120;
    default: return 6144;
    }
}

static void grammar_finding(lint_ctx *c, const ig_diag *d)
{
    const char *code = d->code == IG_E_JSON ? "syntax-error" : "policy-grammar";
    if (d->code == IG_E_NOMEM) {
        c->r->failed = true;
        return;
    }
    lint_add(c, code, d->offset, NULL, "%s", d->msg);
}

int lint_policy_value(const lint_options *o, const json_value *root, const char *text,
                      size_t len, const char *file, lint_report *r)
{
    lint_ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.cat = o->cat;
    c.text = text;
    c.len = len;
    c.file = file;
    c.r = r;
    c.root = root;
    ig_arena_init(&c.arena);
    int rc = IG_OK;
    if (!index_lines(&c)) {
        rc = IG_E_NOMEM;
        goto out;
    }
    ig_diag d;
    memset(&d, 0, sizeof d);
    c.pol = ig_policy_compile_value(root, text, len, o->type, o->what, file, &d);
    if (!c.pol) {
        /* The version and size checks need only the JSON. */
        grammar_finding(&c, &d);
        lint_check_document(&c);
        goto out;
    }
    if (!build_model(&c)) {
        rc = IG_E_NOMEM;
        goto out;
    }
    lint_check_document(&c);
    if (c.cat) {
        c.rt_known = ig_calloc(c.cat->nrt ? c.cat->nrt : 1, sizeof *c.rt_known);
        c.rt_match = ig_calloc(c.cat->nrt ? c.cat->nrt : 1, sizeof *c.rt_match);
        c.rt_touched = ig_calloc(c.cat->nrt ? c.cat->nrt : 1, sizeof *c.rt_touched);
        if (!c.rt_known || !c.rt_match || !c.rt_touched) {
            rc = IG_E_NOMEM;
            goto out;
        }
        lint_check_actions(&c);
        lint_check_resources(&c);
        lint_check_conditions(&c);
        lint_check_security(&c);
        lint_check_grants(&c);
        lint_check_exposure(&c);
    }
    lint_check_statements(&c);
out:
    ig_free(c.rt_known);
    ig_free(c.rt_match);
    ig_free(c.rt_touched);
    ig_policy_free(c.pol);
    ig_arena_free(&c.arena);
    if (r->failed && rc == IG_OK)
        rc = IG_E_NOMEM;
    return rc;
}

int lint_policy_text(const lint_options *o, const char *text, size_t len, const char *file,
                     lint_report *r)
{
    json_error je;
    json_doc *doc = json_parse(text, len, NULL, &je);
    if (!doc) {
        lint_ctx c;
        memset(&c, 0, sizeof c);
        c.text = text;
        c.len = len;
        c.file = file;
        c.r = r;
        ig_arena_init(&c.arena);
        if (!index_lines(&c)) {
            ig_arena_free(&c.arena);
            return IG_E_NOMEM;
        }
        lint_add(&c, "syntax-error", je.offset, NULL, "%s", je.msg);
        ig_arena_free(&c.arena);
        return r->failed ? IG_E_NOMEM : IG_OK;
    }
    int rc = lint_policy_value(o, json_root(doc), text, len, file, r);
    json_doc_free(doc);
    return rc;
}
