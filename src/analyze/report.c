/* report.c - effective permissions as text (per service, the actions by
 * access level, then each grant: its resources, the conditions that stay
 * attached, the denies that may still apply, and the statements it comes
 * from) and as JSON (the same, machine-readable; docs/effective.md). */
#include <stdlib.h>
#include <string.h>

#include "analyze/report.h"
#include "analyze/view.h"
#include "catalog/catalog_int.h"
#include "eval/env.h"
#include "util/alloc.h"

void an_cond_text(const ig_cond *c, json_buf *out)
{
    json_buf_printf(out, "%s %s ", c->op_raw, c->key_orig);
    if (c->nvals > 1)
        json_buf_puts(out, "[");
    for (uint32_t i = 0; i < c->nvals; i++) {
        if (i)
            json_buf_puts(out, ", ");
        json_buf_append(out, c->vals[i].raw, c->vals[i].raw_len);
    }
    if (c->nvals > 1)
        json_buf_puts(out, "]");
}

static const char *layer_name(uint8_t kind)
{
    switch (kind) {
    case AN_L_IDENTITY: return "identity";
    case AN_L_BOUNDARY: return "permissionsBoundary";
    case AN_L_SESSION: return "session";
    case AN_L_SCP: return "scp";
    case AN_L_RCP: return "rcp";
    }
    return "?";
}

void an_subject_text(const an_subject *s, json_buf *out)
{
    const ig_env *env = s->env;
    json_buf_puts(out, env->arn[0] ? env->arn : env->kind == IG_PRINCIPAL_ANONYMOUS ? "anonymous"
                                                                                 : env->service);
    for (uint32_t l = 0; l < s->nlayers; l++) {
        const an_layer *L = &s->layers[l];
        json_buf_printf(out, "%s%s: ", l ? "; " : " (", layer_name(L->kind));
        if (!L->npols)
            json_buf_puts(out, "none");
        for (uint32_t p = 0; p < L->npols; p++) {
            const char *id = ig_policy_id(L->pols[p]->policy);
            json_buf_printf(out, "%s%s", p ? ", " : "", id && id[0] ? id : "(unnamed)");
        }
    }
    if (s->nlayers)
        json_buf_puts(out, ")");
}

/* ---- per-service entries --------------------------------------------------- */

typedef struct {
    uint32_t svc;
    uint32_t group;
    uint32_t first, count;      /* within the group's actions */
} entry;

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->svc != y->svc)
        return x->svc < y->svc ? -1 : 1;
    return x->group < y->group ? -1 : x->group > y->group;
}

static uint32_t service_of(const an_ctx *c, uint32_t action)
{
    return c->cat->act[action].service;
}

static entry *entries_of(const an_ctx *c, const an_effective *e, size_t *n)
{
    size_t cap = 0;
    for (uint32_t g = 0; g < e->ngroups; g++)
        cap += e->groups[g].nactions;
    entry *es = ig_malloc((cap ? cap : 1) * sizeof *es);
    if (!es)
        return NULL;
    size_t k = 0;
    for (uint32_t g = 0; g < e->ngroups; g++) {
        const an_group *gr = &e->groups[g];
        for (uint32_t i = 0; i < gr->nactions;) {
            uint32_t s = service_of(c, gr->actions[i]), j = i;
            while (j < gr->nactions && service_of(c, gr->actions[j]) == s)
                j++;
            es[k++] = (entry){ s, g, i, j - i };
            i = j;
        }
    }
    qsort(es, k, sizeof *es, cmp_entry);
    *n = k;
    return es;
}

static void pat_list_text(FILE *f, const an_patlist *l, const char *label)
{
    for (uint32_t i = 0; i < l->n; i++)
        fprintf(f, "      %-7s %s\n", i ? "" : label, l->p[i]->raw);
}

static void grant_text(FILE *f, an_ctx *c, const an_group *g, const an_grant *gr)
{
    ig_arena A;
    ig_arena_init(&A);
    an_view v;
    json_buf b;
    json_buf_init(&b);
    if (!an_view_build(c, &A, g, gr, &v)) {
        fprintf(f, "      (out of memory)\n");
        goto out;
    }
    uint32_t shown = 0;
    for (uint32_t i = 0; i < v.npos; i++) {
        if (!v.pos[i].n)
            continue;
        pat_list_text(f, &v.pos[i], shown ? "and" : "on");
        shown++;
    }
    if (!shown)
        fprintf(f, "      %-7s %s\n", "on", g->star_only == AN_U_STAR ? "* (these actions take no resource)"
                                                                     : "* (any resource)");
    for (uint32_t i = 0; i < v.nneg; i++)
        pat_list_text(f, &v.neg[i], "except");
    for (uint32_t i = 0; i < gr->nopts; i++) {
        const an_option *o = gr->opts[i];
        for (uint32_t s = 0; s < o->nstmts; s++)
            for (uint32_t k = 0; k < o->stmts[s]->st->nconds; k++) {
                b.len = 0;
                an_cond_text(&o->stmts[s]->st->conds[k], &b);
                char ref[512];
                an_stmt_ref(o->stmts[s], ref, sizeof ref);
                fprintf(f, "      %-7s %.*s  [%s]\n", "when", (int)b.len, b.data, ref);
            }
    }
    for (uint32_t d = 0; d < gr->nunless; d++) {
        const an_stmt *st = gr->unless[d];
        char ref[512];
        an_stmt_ref(st, ref, sizeof ref);
        fprintf(f, "      %-7s %s denies", "unless", ref);
        for (uint32_t k = 0; k < st->st->nconds; k++) {
            b.len = 0;
            an_cond_text(&st->st->conds[k], &b);
            fprintf(f, "%s%.*s", k ? " and " : " when ", (int)b.len, b.data);
        }
        fputc('\n', f);
    }
    fprintf(f, "      %-7s ", "from");
    bool first = true;
    for (uint32_t i = 0; i < gr->nopts; i++)
        for (uint32_t s = 0; s < gr->opts[i]->nstmts; s++) {
            char ref[512];
            an_stmt_ref(gr->opts[i]->stmts[s], ref, sizeof ref);
            fprintf(f, "%s%s", first ? "" : ", ", ref);
            first = false;
        }
    if (first)
        fputs("(the account root)", f);
    fputc('\n', f);
    if (gr->unknown)
        fprintf(f, "      (the search bound was reached: this grant may be empty)\n");
out:
    json_buf_free(&b);
    ig_arena_free(&A);
}

/* The actions of an entry by access level, wrapped. */
static void actions_text(FILE *f, const an_ctx *c, const an_group *g, const entry *en)
{
    static const unsigned order[] = { IG_ACCESS_PERMISSIONS, IG_ACCESS_TAGGING, IG_ACCESS_WRITE,
                                      IG_ACCESS_READ, IG_ACCESS_LIST, 0 };
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++) {
        size_t col = 0;
        for (uint32_t i = en->first; i < en->first + en->count; i++) {
            ig_catalog_action a;
            ig_catalog_action_get(c->cat, g->actions[i], &a);
            unsigned acc = a.access & IG_ACCESS_PERMISSIONS ? IG_ACCESS_PERMISSIONS
                         : a.access & IG_ACCESS_TAGGING ? IG_ACCESS_TAGGING
                         : a.access & IG_ACCESS_WRITE ? IG_ACCESS_WRITE
                         : a.access & IG_ACCESS_READ ? IG_ACCESS_READ
                         : a.access & IG_ACCESS_LIST ? IG_ACCESS_LIST : 0;
            if (acc != order[o])
                continue;
            if (!col) {
                const char *name = an_access_name(order[o]);
                col = (size_t)fprintf(f, "    %s: %s", name, a.name);
            } else if (col + strlen(a.name) + 2 > 100) {
                col = (size_t)fprintf(f, ",\n      %s", a.name) - 2;
            } else {
                col += (size_t)fprintf(f, ", %s", a.name);
            }
        }
        if (col)
            fputc('\n', f);
    }
}

void an_effective_text(FILE *f, an_ctx *c, const an_effective *e, const char *title)
{
    json_buf b;
    json_buf_init(&b);
    an_subject_text(&e->subj, &b);
    fprintf(f, "%s %.*s\n", title ? title : "effective permissions of", (int)b.len, b.data);
    json_buf_free(&b);
    size_t n;
    entry *es = entries_of(c, e, &n);
    if (!es) {
        fprintf(f, "  (out of memory)\n");
        return;
    }
    uint32_t nsvc = 0;
    for (size_t i = 0; i < n; i++)
        nsvc += !i || es[i].svc != es[i - 1].svc;
    fprintf(f, "  %u actions in %u services%s\n", e->nallowed, nsvc,
            e->unknown ? " (some grants could not be decided within the search bound)" : "");
    if (e->subj.unknown_policies)
        fprintf(f, "  note: some action patterns name no action of the catalog; they are not analysed\n");
    for (size_t i = 0; i < n; i++) {
        const entry *en = &es[i];
        const an_group *g = &e->groups[en->group];
        const igcat_service *sv = &c->cat->svc[en->svc];
        if (!i || es[i - 1].svc != en->svc) {
            uint32_t total = 0;
            for (size_t j = i; j < n && es[j].svc == en->svc; j++)
                total += es[j].count;
            fprintf(f, "\n%s  (%u of %u actions)\n", igcat_str(c->cat, sv->name), total,
                    sv->action_count);
        }
        if (en->count == sv->action_count)
            fprintf(f, "    all actions (%s:*)\n", igcat_str(c->cat, sv->name));
        else
            actions_text(f, c, g, en);
        for (uint32_t k = 0; k < g->ngrants; k++) {
            if (g->ngrants > 1)
                fprintf(f, "    grant %u of %u:\n", k + 1, g->ngrants);
            grant_text(f, c, g, &g->grants[k]);
        }
        if (g->unknown && g->ngrants >= 512)
            fprintf(f, "    (more combinations than shown)\n");
    }
    ig_free(es);
}

/* ---- JSON -------------------------------------------------------------------- */

static void stmt_json(json_writer *w, const an_stmt *s)
{
    jw_object_begin(w);
    jw_kstring(w, "policy", ig_policy_id(s->policy));
    const char *file = ig_policy_file(s->policy);
    if (file && file[0]) {
        jw_kstring(w, "file", file);
        jw_kint(w, "line", s->st->start_line);
        jw_kint(w, "column", s->st->start_col);
    }
    jw_kint(w, "index", s->index);
    jw_kstring(w, "sid", s->st->sid);
    jw_object_end(w);
}

static void conds_json(json_writer *w, const an_stmt *s)
{
    for (uint32_t k = 0; k < s->st->nconds; k++) {
        const ig_cond *cd = &s->st->conds[k];
        jw_object_begin(w);
        jw_kstring(w, "operator", cd->op_raw);
        jw_kstring(w, "key", cd->key_orig);
        jw_key(w, "values");
        jw_array_begin(w);
        for (uint32_t v = 0; v < cd->nvals; v++)
            jw_string_n(w, cd->vals[v].raw, cd->vals[v].raw_len);
        jw_array_end(w);
        jw_key(w, "statement");
        stmt_json(w, s);
        jw_object_end(w);
    }
}

static void patlists_json(json_writer *w, const an_patlist *l, uint32_t n)
{
    jw_array_begin(w);
    for (uint32_t i = 0; i < n; i++) {
        if (!l[i].n)
            continue;
        jw_array_begin(w);
        for (uint32_t p = 0; p < l[i].n; p++)
            jw_string(w, l[i].p[p]->raw);
        jw_array_end(w);
    }
    jw_array_end(w);
}

static void grant_json(json_writer *w, an_ctx *c, const an_group *g, const an_grant *gr)
{
    ig_arena A;
    ig_arena_init(&A);
    an_view v;
    jw_object_begin(w);
    if (an_view_build(c, &A, g, gr, &v)) {
        jw_key(w, "resources");
        jw_object_begin(w);
        jw_kbool(w, "noResource", g->star_only == AN_U_STAR);
        jw_key(w, "allOf");
        patlists_json(w, v.pos, v.npos);
        jw_key(w, "except");
        patlists_json(w, v.neg, v.nneg);
        jw_object_end(w);
    }
    jw_key(w, "conditions");
    jw_array_begin(w);
    for (uint32_t i = 0; i < gr->nopts; i++)
        for (uint32_t s = 0; s < gr->opts[i]->nstmts; s++)
            conds_json(w, gr->opts[i]->stmts[s]);
    jw_array_end(w);
    jw_key(w, "unlessDenied");
    jw_array_begin(w);
    for (uint32_t d = 0; d < gr->nunless; d++) {
        jw_object_begin(w);
        jw_key(w, "statement");
        stmt_json(w, gr->unless[d]);
        jw_key(w, "conditions");
        jw_array_begin(w);
        conds_json(w, gr->unless[d]);
        jw_array_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "statements");
    jw_array_begin(w);
    for (uint32_t i = 0; i < gr->nopts; i++)
        for (uint32_t s = 0; s < gr->opts[i]->nstmts; s++)
            stmt_json(w, gr->opts[i]->stmts[s]);
    jw_array_end(w);
    jw_kbool(w, "decided", !gr->unknown);
    jw_object_end(w);
    ig_arena_free(&A);
}

void an_effective_json(json_writer *w, an_ctx *c, const an_effective *e)
{
    json_buf b;
    json_buf_init(&b);
    jw_object_begin(w);
    jw_key(w, "principal");
    const ig_env *env = e->subj.env;
    jw_string(w, env->arn[0] ? env->arn : env->kind == IG_PRINCIPAL_ANONYMOUS ? "anonymous" : env->service);
    jw_key(w, "layers");
    jw_array_begin(w);
    for (uint32_t l = 0; l < e->subj.nlayers; l++) {
        jw_object_begin(w);
        jw_kstring(w, "type", layer_name(e->subj.layers[l].kind));
        jw_key(w, "policies");
        jw_array_begin(w);
        for (uint32_t p = 0; p < e->subj.layers[l].npols; p++)
            jw_string(w, ig_policy_id(e->subj.layers[l].pols[p]->policy));
        jw_array_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    size_t n;
    entry *es = entries_of(c, e, &n);
    jw_kint(w, "actionsAllowed", e->nallowed);
    jw_kbool(w, "decided", !e->unknown);
    jw_kbool(w, "unknownActionPatterns", e->subj.unknown_policies);
    jw_key(w, "services");
    jw_array_begin(w);
    for (size_t i = 0; es && i < n; i++) {
        const entry *en = &es[i];
        const an_group *g = &e->groups[en->group];
        const igcat_service *sv = &c->cat->svc[en->svc];
        if (!i || es[i - 1].svc != en->svc) {
            if (i) {
                jw_array_end(w);
                jw_object_end(w);
            }
            jw_object_begin(w);
            jw_kstring(w, "service", igcat_str(c->cat, sv->name));
            jw_kint(w, "actionsInService", sv->action_count);
            jw_key(w, "entries");
            jw_array_begin(w);
        }
        jw_object_begin(w);
        jw_key(w, "actions");
        jw_array_begin(w);
        for (uint32_t k = en->first; k < en->first + en->count; k++) {
            ig_catalog_action a;
            ig_catalog_action_get(c->cat, g->actions[k], &a);
            jw_object_begin(w);
            jw_key(w, "action");
            b.len = 0;
            json_buf_printf(&b, "%s:%s", a.service, a.name);
            jw_string_n(w, b.data, b.len);
            jw_kstring(w, "access", an_access_name(a.access));
            jw_object_end(w);
        }
        jw_array_end(w);
        jw_key(w, "grants");
        jw_array_begin(w);
        for (uint32_t k = 0; k < g->ngrants; k++)
            grant_json(w, c, g, &g->grants[k]);
        jw_array_end(w);
        jw_object_end(w);
    }
    if (es && n) {
        jw_array_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
    ig_free(es);
    json_buf_free(&b);
}

void an_request_json(json_writer *w, const an_request *r)
{
    jw_object_begin(w);
    jw_kstring(w, "action", r->action);
    jw_kstring(w, "resource", r->resource);
    jw_key(w, "context");
    jw_object_begin(w);
    for (size_t i = 0; i < r->nsent; i++) {
        jw_key(w, r->ctx[i].key);
        if (r->ctx[i].nvalues == 1) {
            jw_string(w, r->ctx[i].values[0]);
        } else {
            jw_array_begin(w);
            for (size_t v = 0; v < r->ctx[i].nvalues; v++)
                jw_string(w, r->ctx[i].values[v]);
            jw_array_end(w);
        }
    }
    jw_object_end(w);
    jw_kstring(w, "decision", ig_decision_name(r->res.decision));
    jw_key(w, "matchedStatements");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->res.nmatched; i++) {
        const ig_matched_statement *m = &r->res.matched[i];
        jw_object_begin(w);
        jw_kstring(w, "policy", ig_policy_id(m->policy));
        jw_kstring(w, "type", ig_policy_type_name(m->type));
        jw_kstring(w, "sid", m->sid);
        jw_kint(w, "line", m->start_line);
        jw_kint(w, "column", m->start_column);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
}
