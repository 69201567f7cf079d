/* gen_build.c - turning generated scenarios into policy JSON, compiled
 * policies and envs for both evaluators, requests, and simulation
 * documents for reproducers. */
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "ref/gen.h"

static void write_value(json_writer *w, const gen_value *v)
{
    if (v->raw && (!strcmp(v->text, "true") || !strcmp(v->text, "false")))
        jw_bool(w, v->text[0] == 't');
    else if (v->raw)
        jw_int(w, atoll(v->text));
    else
        jw_string(w, v->text);
}

static void write_list(json_writer *w, const char (*items)[GEN_TEXT], int n, bool array)
{
    if (n == 1 && !array) {
        jw_string(w, items[0]);
        return;
    }
    jw_array_begin(w);
    for (int i = 0; i < n; i++)
        jw_string(w, items[i]);
    jw_array_end(w);
}

static void write_actions(json_writer *w, const gen_stmt *st)
{
    jw_key(w, st->action_kind == GEN_EL_NOT ? "NotAction" : "Action");
    if (st->nact == 1 && !st->arrays) {
        jw_string(w, st->act[0]);
        return;
    }
    jw_array_begin(w);
    for (int i = 0; i < st->nact; i++)
        jw_string(w, st->act[i]);
    jw_array_end(w);
}

static void write_principals(json_writer *w, const gen_stmt *st)
{
    jw_key(w, st->pr_kind == GEN_EL_NOT ? "NotPrincipal" : "Principal");
    if (st->npr == 1 && !st->pr[0].type[0]) {
        jw_string(w, "*");
        return;
    }
    static const char *const TYPES[] = {"AWS", "Service", "Federated", "CanonicalUser"};
    jw_object_begin(w);
    for (size_t t = 0; t < 4; t++) {
        int n = 0;
        for (int i = 0; i < st->npr; i++)
            n += !strcmp(st->pr[i].type, TYPES[t]);
        if (!n)
            continue;
        jw_key(w, TYPES[t]);
        bool array = n > 1 || st->arrays;
        if (array)
            jw_array_begin(w);
        for (int i = 0; i < st->npr; i++)
            if (!strcmp(st->pr[i].type, TYPES[t]))
                jw_string(w, st->pr[i].value);
        if (array)
            jw_array_end(w);
    }
    jw_object_end(w);
}

static void write_conditions(json_writer *w, const gen_stmt *st)
{
    jw_key(w, "Condition");
    jw_object_begin(w);
    for (int i = 0; i < st->ncond; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen |= !strcmp(st->cond[j].op, st->cond[i].op);
        if (seen)
            continue;
        jw_key(w, st->cond[i].op);
        jw_object_begin(w);
        for (int j = i; j < st->ncond; j++) {
            const gen_cond *c = &st->cond[j];
            if (strcmp(c->op, st->cond[i].op))
                continue;
            jw_key(w, c->key);
            bool array = c->nvals > 1 || c->array;
            if (array)
                jw_array_begin(w);
            for (int k = 0; k < c->nvals; k++)
                write_value(w, &c->vals[k]);
            if (array)
                jw_array_end(w);
        }
        jw_object_end(w);
    }
    jw_object_end(w);
}

static void write_statement(json_writer *w, const gen_stmt *st)
{
    jw_object_begin(w);
    if (st->sid[0]) {
        jw_key(w, "Sid");
        jw_string(w, st->sid);
    }
    jw_key(w, "Effect");
    jw_string(w, st->deny ? "Deny" : "Allow");
    if (st->pr_kind != GEN_EL_ABSENT)
        write_principals(w, st);
    write_actions(w, st);
    if (st->res_kind != GEN_EL_ABSENT) {
        jw_key(w, st->res_kind == GEN_EL_NOT ? "NotResource" : "Resource");
        write_list(w, st->res, st->nres, st->arrays);
    }
    if (st->ncond)
        write_conditions(w, st);
    jw_object_end(w);
}

char *gen_policy_json(const gen_policy *p)
{
    json_buf b;
    json_buf_init(&b);
    json_writer w;
    jw_init(&w, &b, false);
    jw_object_begin(&w);
    if (p->version) {
        jw_key(&w, "Version");
        jw_string(&w, p->version == 2012 ? "2012-10-17" : "2008-10-17");
    }
    jw_key(&w, "Statement");
    if (p->stmt_object && p->nst == 1) {
        write_statement(&w, &p->st[0]);
    } else {
        jw_array_begin(&w);
        for (int i = 0; i < p->nst; i++)
            write_statement(&w, &p->st[i]);
        jw_array_end(&w);
    }
    jw_object_end(&w);
    json_buf_append(&b, "", 1);
    if (b.failed) {
        json_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* ---- building ---- */

static int max_level(const gen_scenario *sc, ig_policy_type t)
{
    int m = -1;
    for (int i = 0; i < sc->npol; i++)
        if (sc->pol[i].type == t && sc->pol[i].level > m)
            m = sc->pol[i].level;
    return m;
}

/* Append the organization levels of type t (levels emptied by shrinking
 * are left out) to the production env, and to the reference env if given. */
static bool add_levels(const gen_scenario *sc, ig_env *env, ig_policy *const *prod,
                       gen_built *b, ig_policy_type t)
{
    int which = t == IG_POLICY_SCP ? 0 : 1;
    for (int l = 0; l <= max_level(sc, t) && l < REF_MAX_LEVELS; l++) {
        const ig_policy *ps[GEN_MAX_POLICIES];
        size_t n = 0;
        for (int i = 0; i < sc->npol; i++)
            if (sc->pol[i].type == t && sc->pol[i].level == l) {
                ps[n] = prod[i];
                if (b)
                    b->ref_levels[which][l][n] = &b->ref[i];
                n++;
            }
        if (!n)
            continue;
        int rc = which == 0 ? ig_env_add_scp_level(env, ps, n) : ig_env_add_rcp_level(env, ps, n);
        if (rc != IG_OK)
            return false;
        if (b) {
            ref_level *rl = which == 0 ? &b->renv.scp[b->renv.nscp++] : &b->renv.rcp[b->renv.nrcp++];
            rl->ps = b->ref_levels[which][l];
            rl->n = n;
        }
    }
    return true;
}

static ig_env *assemble(const gen_scenario *sc, ig_policy *const *prod, gen_built *b,
                        char *err, size_t cap)
{
    ig_env *env = ig_env_new();
    if (!env) {
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = sc->kind == IG_PRINCIPAL_ANONYMOUS ? ig_env_set_anonymous(env)
           : sc->kind == IG_PRINCIPAL_SERVICE  ? ig_env_set_service_principal(env, sc->service)
                                              : ig_env_set_principal_arn(env, sc->arn, NULL, &d);
    if (rc != IG_OK) {
        snprintf(err, cap, "principal rejected: %s", d.msg);
        ig_env_free(env);
        return NULL;
    }
    for (int i = 0; i < sc->npol; i++) {
        switch (sc->pol[i].type) {
        case IG_POLICY_IDENTITY:
            rc = ig_env_add_identity(env, prod[i]);
            if (b)
                b->ref_identity[b->renv.nidentity++] = &b->ref[i];
            break;
        case IG_POLICY_BOUNDARY:
            rc = ig_env_set_boundary(env, prod[i]);
            if (b)
                b->renv.boundary = &b->ref[i];
            break;
        case IG_POLICY_SESSION:
            rc = ig_env_set_session(env, prod[i]);
            if (b)
                b->renv.session = &b->ref[i];
            break;
        case IG_POLICY_RESOURCE:
            rc = ig_env_set_resource(env, prod[i]);
            if (b)
                b->renv.resource = &b->ref[i];
            break;
        default:
            break;
        }
        if (rc != IG_OK) {
            snprintf(err, cap, "env rejected policy P%d", i);
            ig_env_free(env);
            return NULL;
        }
    }
    if (!add_levels(sc, env, prod, b, IG_POLICY_SCP) || !add_levels(sc, env, prod, b, IG_POLICY_RCP)) {
        snprintf(err, cap, "out of memory");
        ig_env_free(env);
        return NULL;
    }
    return env;
}

ig_env *gen_env_for(const gen_scenario *sc, ig_policy *const *prod, char *err, size_t cap)
{
    return assemble(sc, prod, NULL, err, cap);
}

bool gen_build(const gen_scenario *sc, gen_built *b, char *err, size_t cap)
{
    memset(b, 0, sizeof *b);
    b->renv.kind = sc->kind;
    b->renv.arn = sc->arn;
    b->renv.service = sc->service;
    for (int i = 0; i < sc->npol; i++) {
        const gen_policy *p = &sc->pol[i];
        char *text = gen_policy_json(p);
        char id[16];
        snprintf(id, sizeof id, "P%d", i);
        ig_diag d;
        memset(&d, 0, sizeof d);
        b->prod[i] = text ? ig_policy_compile(text, strlen(text), p->type, id, NULL, &d) : NULL;
        bool ref_ok = text && ref_policy_load(&b->ref[i], text, strlen(text), p->type);
        b->npol = i + 1;
        if (!b->prod[i] || !ref_ok) {
            snprintf(err, cap, "policy %s (%s) rejected: %s: %s", id, ig_policy_type_name(p->type),
                     d.msg, text ? text : "(out of memory)");
            free(text);
            return false;
        }
        free(text);
    }
    b->renv.identity = b->ref_identity;
    b->env = assemble(sc, b->prod, b, err, cap);
    return b->env != NULL;
}

void gen_built_free(gen_built *b)
{
    ig_env_free(b->env);
    for (int i = 0; i < b->npol; i++) {
        ig_policy_free(b->prod[i]);
        ref_policy_free(&b->ref[i]);
    }
    memset(b, 0, sizeof *b);
}

void gen_request_view(const gen_request *rq, gen_req_view *v)
{
    memset(v, 0, sizeof *v);
    v->req.action = rq->action;
    v->req.resource = rq->resource;
    v->req.resource_account = rq->resource_account[0] ? rq->resource_account : NULL;
    for (int i = 0; i < rq->nctx; i++) {
        for (int j = 0; j < rq->ctx[i].nvals; j++)
            v->vals[i][j] = rq->ctx[i].vals[j];
        v->ents[i].key = rq->ctx[i].key;
        v->ents[i].values = v->vals[i];
        v->ents[i].nvalues = (size_t)rq->ctx[i].nvals;
    }
    v->req.context = v->ents;
    v->req.ncontext = (size_t)rq->nctx;
}

/* ---- simulation documents ---- */

static void write_policy_entry(json_writer *w, const gen_scenario *sc, int i)
{
    char *text = gen_policy_json(&sc->pol[i]);
    json_doc *d = text ? json_parse(text, strlen(text), NULL, NULL) : NULL;
    char id[16];
    snprintf(id, sizeof id, "P%d", i);
    jw_object_begin(w);
    jw_key(w, "id");
    jw_string(w, id);
    jw_key(w, "document");
    if (d)
        jw_value(w, json_root(d));
    else
        jw_null(w);
    jw_object_end(w);
    json_doc_free(d);
    free(text);
}

static void write_levels(json_writer *w, const gen_scenario *sc, ig_policy_type t)
{
    int m = max_level(sc, t);
    if (m < 0)
        return;
    jw_key(w, t == IG_POLICY_SCP ? "scps" : "rcps");
    jw_array_begin(w);
    for (int l = 0; l <= m; l++) {
        bool any = false;
        for (int i = 0; i < sc->npol; i++)
            any |= sc->pol[i].type == t && sc->pol[i].level == l;
        if (!any)
            continue;
        jw_array_begin(w);
        for (int i = 0; i < sc->npol; i++)
            if (sc->pol[i].type == t && sc->pol[i].level == l)
                write_policy_entry(w, sc, i);
        jw_array_end(w);
    }
    jw_array_end(w);
}

static void write_single(json_writer *w, const gen_scenario *sc, ig_policy_type t, const char *key)
{
    for (int i = 0; i < sc->npol; i++)
        if (sc->pol[i].type == t) {
            jw_key(w, key);
            write_policy_entry(w, sc, i);
            return;
        }
}

void gen_write_simdoc(FILE *f, const gen_scenario *sc, const gen_request *rq,
                      const char *expect_decision, const char *expect_blocked)
{
    json_buf b;
    json_buf_init(&b);
    json_writer w;
    jw_init(&w, &b, true);
    jw_object_begin(&w);
    jw_key(&w, "principal");
    jw_object_begin(&w);
    if (sc->kind == IG_PRINCIPAL_ANONYMOUS) {
        jw_key(&w, "anonymous");
        jw_bool(&w, true);
    } else if (sc->kind == IG_PRINCIPAL_SERVICE) {
        jw_key(&w, "service");
        jw_string(&w, sc->service);
    } else {
        jw_key(&w, "arn");
        jw_string(&w, sc->arn);
    }
    jw_object_end(&w);
    jw_key(&w, "policies");
    jw_object_begin(&w);
    bool any_identity = false;
    for (int i = 0; i < sc->npol; i++)
        any_identity |= sc->pol[i].type == IG_POLICY_IDENTITY;
    if (any_identity) {
        jw_key(&w, "identity");
        jw_array_begin(&w);
        for (int i = 0; i < sc->npol; i++)
            if (sc->pol[i].type == IG_POLICY_IDENTITY)
                write_policy_entry(&w, sc, i);
        jw_array_end(&w);
    }
    write_single(&w, sc, IG_POLICY_BOUNDARY, "permissionsBoundary");
    write_single(&w, sc, IG_POLICY_SESSION, "session");
    write_single(&w, sc, IG_POLICY_RESOURCE, "resource");
    write_levels(&w, sc, IG_POLICY_SCP);
    write_levels(&w, sc, IG_POLICY_RCP);
    jw_object_end(&w);
    jw_key(&w, "requests");
    jw_array_begin(&w);
    jw_object_begin(&w);
    jw_key(&w, "action");
    jw_string(&w, rq->action);
    jw_key(&w, "resource");
    jw_string(&w, rq->resource);
    if (rq->resource_account[0]) {
        jw_key(&w, "resourceAccount");
        jw_string(&w, rq->resource_account);
    }
    if (rq->nctx) {
        jw_key(&w, "context");
        jw_object_begin(&w);
        for (int i = 0; i < rq->nctx; i++) {
            jw_key(&w, rq->ctx[i].key);
            if (rq->ctx[i].list || rq->ctx[i].nvals != 1) {
                jw_array_begin(&w);
                for (int j = 0; j < rq->ctx[i].nvals; j++)
                    jw_string(&w, rq->ctx[i].vals[j]);
                jw_array_end(&w);
            } else {
                jw_string(&w, rq->ctx[i].vals[0]);
            }
        }
        jw_object_end(&w);
    }
    if (expect_decision) {
        jw_key(&w, "expect");
        jw_object_begin(&w);
        jw_key(&w, "decision");
        jw_string(&w, expect_decision);
        if (expect_blocked) {
            jw_key(&w, "blockedBy");
            jw_string(&w, expect_blocked);
        }
        jw_object_end(&w);
    }
    jw_object_end(&w);
    jw_array_end(&w);
    jw_object_end(&w);
    if (!b.failed)
        fprintf(f, "%.*s\n", (int)b.len, b.data);
    json_buf_free(&b);
}
