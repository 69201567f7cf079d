/* simdoc.c - reading simulation documents into an env and requests.
 *
 * Strict like the policy parser: unknown keys are errors, every diagnostic
 * has a position, and a document is either fully loaded or rejected. */
#include "util/alloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/env.h"
#include "policy/policy.h"
#include "sim/sim.h"
#include "util/file.h"

typedef struct {
    sim_doc *s;
    const char *text;           /* text of the document being read */
    size_t len;
    const char *file;
    const char *basedir;
    ig_diag *diag;
    unsigned line_base;         /* JSONL: line number of this text, else 0 */
} lctx;

static bool fail(lctx *c, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(lctx *c, size_t off, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ig_diag_set(c->diag, IG_E_INPUT, c->file, c->text, c->len, off, "%s", msg);
    if (c->diag && c->line_base)
        c->diag->line = c->line_base;
    return false;
}

static bool expect_kind(lctx *c, const json_value *v, json_kind k, const char *what)
{
    if (v->kind == k)
        return true;
    return fail(c, v->start, "%s must be %s %s, got %s", what,
                k == JSON_OBJECT || k == JSON_ARRAY ? "an" : "a", json_kind_name(k),
                json_kind_name(v->kind));
}

static bool own(sim_doc *s, ig_policy *p)
{
    if (s->nowned == s->owned_cap) {
        size_t cap = s->owned_cap ? s->owned_cap * 2 : 8;
        ig_policy **n = ig_realloc(s->owned, cap * sizeof *n);
        if (!n) return false;
        s->owned = n;
        s->owned_cap = cap;
    }
    s->owned[s->nowned++] = p;
    return true;
}

/* Compile a policy given as {"id":..., "document": {...}} or
 * {"id":..., "file": "path"}, or (allow_bare) a bare document. */
static ig_policy *load_policy(lctx *c, const json_value *v, ig_policy_type type,
                              const char *default_id, bool allow_bare)
{
    if (!expect_kind(c, v, JSON_OBJECT, "a policy entry"))
        return NULL;
    const json_value *doc = NULL, *file = NULL;
    const char *id = default_id;
    if (allow_bare && json_get(v, "Statement")) {
        doc = v;
    } else {
        for (uint32_t i = 0; i < v->len; i++) {
            const json_member *m = &v->u.members[i];
            if (!strcmp(m->key, "id")) {
                if (!expect_kind(c, &m->value, JSON_STRING, "\"id\"")) return NULL;
                id = m->value.u.str;
            } else if (!strcmp(m->key, "document")) {
                doc = &m->value;
            } else if (!strcmp(m->key, "file")) {
                if (!expect_kind(c, &m->value, JSON_STRING, "\"file\"")) return NULL;
                file = &m->value;
            } else if (strcmp(m->key, "description")) {
                fail(c, m->key_start, "unknown key \"%s\" in a policy entry (expected id, document or file)", m->key);
                return NULL;
            }
        }
        if (!!doc == !!file) {
            fail(c, v->start, "a policy entry needs exactly one of \"document\" and \"file\"");
            return NULL;
        }
    }
    ig_policy *p;
    if (doc) {
        p = ig_policy_compile_value(doc, c->text, c->len, type, id, c->file, c->diag);
    } else {
        char path[1024];
        ig_path_join(c->basedir, file->u.str, path, sizeof path);
        size_t flen;
        const char *err;
        char *text = ig_read_file(path, IG_MAX_FILE, &flen, &err);
        if (!text) {
            fail(c, file->start, "cannot read policy file \"%s\": %s", path, err);
            return NULL;
        }
        p = ig_policy_compile(text, flen, type, id, path, c->diag);
        ig_free(text);
    }
    if (p && !own(c->s, p)) {
        ig_policy_free(p);
        fail(c, v->start, "out of memory");
        return NULL;
    }
    return p;
}

static bool load_levels(lctx *c, const json_value *v, ig_policy_type type)
{
    if (!expect_kind(c, v, JSON_ARRAY, type == IG_POLICY_SCP ? "\"scps\"" : "\"rcps\""))
        return false;
    for (uint32_t l = 0; l < v->len; l++) {
        const json_value *lv = &v->u.items[l];
        if (!expect_kind(c, lv, JSON_ARRAY, "an organization level"))
            return false;
        const ig_policy *ps[256];
        if (lv->len > 256)
            return fail(c, lv->start, "more than 256 policies in one organization level");
        for (uint32_t i = 0; i < lv->len; i++) {
            char id[64];
            snprintf(id, sizeof id, "%s.%u.%u", type == IG_POLICY_SCP ? "scp" : "rcp", l + 1, i + 1);
            ps[i] = load_policy(c, &lv->u.items[i], type, id, false);
            if (!ps[i]) return false;
        }
        int rc = type == IG_POLICY_SCP ? ig_env_add_scp_level(c->s->env, ps, lv->len)
                                       : ig_env_add_rcp_level(c->s->env, ps, lv->len);
        if (rc != IG_OK)
            return fail(c, lv->start, "out of memory");
    }
    return true;
}

static bool load_policies(lctx *c, const json_value *v)
{
    if (!expect_kind(c, v, JSON_OBJECT, "\"policies\""))
        return false;
    sim_doc *s = c->s;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        const json_value *pv = &m->value;
        const char *k = m->key;
        if (!strcmp(k, "identity")) {
            if (!expect_kind(c, pv, JSON_ARRAY, "\"identity\"")) return false;
            for (uint32_t j = 0; j < pv->len; j++) {
                char id[32];
                snprintf(id, sizeof id, "identity.%u", j + 1);
                ig_policy *p = load_policy(c, &pv->u.items[j], IG_POLICY_IDENTITY, id, false);
                if (!p) return false;
                if (ig_env_add_identity(s->env, p) != IG_OK)
                    return fail(c, pv->u.items[j].start, "out of memory");
            }
        } else if (!strcmp(k, "permissionsBoundary") || !strcmp(k, "session") ||
                   !strcmp(k, "resource")) {
            if (pv->kind == JSON_NULL)
                continue;
            ig_policy_type t = k[0] == 'p' ? IG_POLICY_BOUNDARY : k[0] == 's' ? IG_POLICY_SESSION
                                                                            : IG_POLICY_RESOURCE;
            ig_policy *p = load_policy(c, pv, t, k, false);
            if (!p) return false;
            if (t == IG_POLICY_BOUNDARY) ig_env_set_boundary(s->env, p);
            else if (t == IG_POLICY_SESSION) ig_env_set_session(s->env, p);
            else ig_env_set_resource(s->env, p);
        } else if (!strcmp(k, "resourcePolicies")) {
            if (!expect_kind(c, pv, JSON_OBJECT, "\"resourcePolicies\"")) return false;
            s->named = ig_arena_alloc(&s->arena, (pv->len ? pv->len : 1) * sizeof *s->named);
            if (!s->named) return fail(c, pv->start, "out of memory");
            for (uint32_t j = 0; j < pv->len; j++) {
                const json_member *nm = &pv->u.members[j];
                ig_policy *p = load_policy(c, &nm->value, IG_POLICY_RESOURCE, nm->key, true);
                if (!p) return false;
                s->named[s->nnamed].name = ig_arena_strndup(&s->arena, nm->key, nm->key_len);
                s->named[s->nnamed].policy = p;
                s->nnamed++;
            }
        } else if (!strcmp(k, "scps") || !strcmp(k, "rcps")) {
            if (!load_levels(c, pv, k[0] == 's' ? IG_POLICY_SCP : IG_POLICY_RCP)) return false;
        } else {
            return fail(c, m->key_start,
                        "unknown policy kind \"%s\" (expected identity, permissionsBoundary, session, resource, resourcePolicies, scps or rcps)",
                        k);
        }
    }
    return true;
}

static bool load_principal(lctx *c, const json_value *v)
{
    if (!expect_kind(c, v, JSON_OBJECT, "\"principal\""))
        return false;
    const char *arn = NULL, *account = NULL, *service = NULL;
    bool anonymous = false;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        if (!strcmp(m->key, "arn") || !strcmp(m->key, "account") || !strcmp(m->key, "service")) {
            if (!expect_kind(c, &m->value, JSON_STRING, m->key)) return false;
            if (m->key[0] == 'a' && m->key[1] == 'r') arn = m->value.u.str;
            else if (m->key[0] == 'a') account = m->value.u.str;
            else service = m->value.u.str;
        } else if (!strcmp(m->key, "anonymous")) {
            if (m->value.kind != JSON_TRUE && m->value.kind != JSON_FALSE)
                return fail(c, m->value.start, "\"anonymous\" must be true or false");
            anonymous = m->value.kind == JSON_TRUE;
        } else {
            return fail(c, m->key_start, "unknown key \"%s\" in \"principal\" (expected arn, account, anonymous or service)",
                        m->key);
        }
    }
    if ((arn != NULL) + anonymous + (service != NULL) != 1)
        return fail(c, v->start, "\"principal\" needs exactly one of \"arn\", \"anonymous\": true or \"service\"");
    if (anonymous)
        return ig_env_set_anonymous(c->s->env) == IG_OK;
    if (service)
        return ig_env_set_service_principal(c->s->env, service) == IG_OK ||
               fail(c, v->start, "invalid service principal");
    ig_diag d;
    if (ig_env_set_principal_arn(c->s->env, arn, account, &d) != IG_OK)
        return fail(c, json_get(v, "arn")->start, "%s", d.msg);
    return true;
}

static const char *value_text(lctx *c, const json_value *v)
{
    switch (v->kind) {
    case JSON_STRING: return v->u.str;
    case JSON_NUMBER: return ig_arena_strndup(&c->s->arena, v->u.str, v->len);
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    default: return NULL;
    }
}

static bool load_context(lctx *c, const json_value *v, ig_request *req)
{
    if (!expect_kind(c, v, JSON_OBJECT, "\"context\""))
        return false;
    ig_context_entry *ents = ig_arena_alloc(&c->s->arena, (v->len ? v->len : 1) * sizeof *ents);
    if (!ents) return fail(c, v->start, "out of memory");
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        const json_value *cv = &m->value;
        ents[i].key = m->key;
        if (cv->kind == JSON_ARRAY) {
            const char **vals = ig_arena_alloc(&c->s->arena, (cv->len ? cv->len : 1) * sizeof *vals);
            if (!vals) return fail(c, cv->start, "out of memory");
            for (uint32_t j = 0; j < cv->len; j++) {
                vals[j] = value_text(c, &cv->u.items[j]);
                if (!vals[j])
                    return fail(c, cv->u.items[j].start,
                                "context values must be strings, numbers or booleans, got %s",
                                json_kind_name(cv->u.items[j].kind));
            }
            ents[i].values = vals;
            ents[i].nvalues = cv->len;
        } else {
            const char **vals = ig_arena_alloc(&c->s->arena, sizeof *vals);
            if (!vals) return fail(c, cv->start, "out of memory");
            vals[0] = value_text(c, cv);
            if (!vals[0])
                return fail(c, cv->start, "context values must be strings, numbers, booleans or arrays of them, got %s",
                            json_kind_name(cv->kind));
            ents[i].values = vals;
            ents[i].nvalues = 1;
        }
    }
    req->context = ents;
    req->ncontext = v->len;
    return true;
}

static bool is_decision(const json_value *v)
{
    return v->kind == JSON_STRING && (!strcmp(v->u.str, "allowed") ||
           !strcmp(v->u.str, "explicitDeny") || !strcmp(v->u.str, "implicitDeny"));
}

/* An expectation is validated when loaded, so a typo is an error even when
 * --verify is not given. */
static bool check_expect(lctx *c, const json_value *v)
{
    if (v->kind == JSON_STRING) {
        if (!is_decision(v))
            return fail(c, v->start, "\"expect\" must be allowed, explicitDeny or implicitDeny, got \"%s\"", v->u.str);
        return true;
    }
    if (v->kind != JSON_OBJECT)
        return fail(c, v->start, "\"expect\" must be a decision string or an object");
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        const json_value *mv = &m->value;
        if (!strcmp(m->key, "decision")) {
            if (!is_decision(mv))
                return fail(c, mv->start, "\"decision\" must be allowed, explicitDeny or implicitDeny");
        } else if (!strcmp(m->key, "blockedBy")) {
            static const char *const layers[] = { "identity", "permissionsBoundary", "session",
                                                  "scp", "rcp", "resource" };
            bool ok = mv->kind == JSON_NULL;
            for (size_t k = 0; !ok && mv->kind == JSON_STRING && k < 6; k++)
                ok = !strcmp(mv->u.str, layers[k]);
            if (!ok)
                return fail(c, mv->start, "\"blockedBy\" must be null or one of identity, permissionsBoundary, session, scp, rcp, resource");
        } else if (!strcmp(m->key, "matched") || !strcmp(m->key, "missingContextValues")) {
            if (mv->kind != JSON_ARRAY)
                return fail(c, mv->start, "\"%s\" must be an array of strings", m->key);
            for (uint32_t k = 0; k < mv->len; k++)
                if (mv->u.items[k].kind != JSON_STRING)
                    return fail(c, mv->u.items[k].start, "\"%s\" must be an array of strings", m->key);
        } else if (!strcmp(m->key, "allowedByPermissionsBoundary") ||
                   !strcmp(m->key, "allowedByOrganizations")) {
            if (mv->kind != JSON_TRUE && mv->kind != JSON_FALSE)
                return fail(c, mv->start, "\"%s\" must be true or false", m->key);
        } else {
            return fail(c, m->key_start,
                        "unknown key \"%s\" in \"expect\" (expected decision, blockedBy, matched, missingContextValues, allowedByPermissionsBoundary or allowedByOrganizations)",
                        m->key);
        }
    }
    return true;
}

static bool add_request(lctx *c, const json_value *v)
{
    sim_doc *s = c->s;
    if (!expect_kind(c, v, JSON_OBJECT, "a request"))
        return false;
    if (s->nreqs == s->reqs_cap) {
        size_t cap = s->reqs_cap ? s->reqs_cap * 2 : 16;
        sim_request *n = ig_realloc(s->reqs, cap * sizeof *n);
        if (!n) return fail(c, v->start, "out of memory");
        s->reqs = n;
        s->reqs_cap = cap;
    }
    sim_request *r = &s->reqs[s->nreqs];
    memset(r, 0, sizeof *r);
    r->file = s->file;
    json_line_col(c->text, c->len, v->start, &r->line, &r->column);
    if (c->line_base) r->line = c->line_base;
    r->file = c->file;
    r->req.resource = "*";
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        const json_value *mv = &m->value;
        const char *k = m->key;
        if (!strcmp(k, "action") || !strcmp(k, "resource") || !strcmp(k, "resourceAccount")) {
            if (!expect_kind(c, mv, JSON_STRING, k)) return false;
            if (mv->len == 0 || strlen(mv->u.str) != mv->len)
                return fail(c, mv->start, "\"%s\" must not be empty or contain NUL", k);
            if (k[0] == 'a') r->req.action = mv->u.str;
            else if (k[8] == 'A') r->req.resource_account = mv->u.str;
            else r->req.resource = mv->u.str;
        } else if (!strcmp(k, "context")) {
            if (!load_context(c, mv, &r->req)) return false;
        } else if (!strcmp(k, "resourcePolicy")) {
            if (!expect_kind(c, mv, JSON_STRING, "\"resourcePolicy\"")) return false;
            size_t j = 0;
            while (j < s->nnamed && strcmp(s->named[j].name, mv->u.str)) j++;
            if (j == s->nnamed)
                return fail(c, mv->start, "no resource policy named \"%s\" in \"resourcePolicies\"", mv->u.str);
            r->req.resource_policy = s->named[j].policy;
        } else if (!strcmp(k, "expect")) {
            if (!check_expect(c, mv))
                return false;
            r->expect = mv;
            /* JSONL line texts are not kept after loading */
            r->expect_text = c->line_base ? NULL : c->text;
            r->expect_text_len = c->line_base ? 0 : c->len;
        } else if (strcmp(k, "why") && strcmp(k, "description") && strcmp(k, "name")) {
            return fail(c, m->key_start,
                        "unknown key \"%s\" in a request (expected action, resource, resourceAccount, context, resourcePolicy, expect or why)",
                        k);
        }
    }
    if (!r->req.action)
        return fail(c, v->start, "a request needs an \"action\"");
    s->nreqs++;
    return true;
}

static bool grow_lines(sim_doc *s, size_t *cap)
{
    if (s->nline_docs < *cap) return true;
    size_t nc = *cap ? *cap * 2 : 64;
    json_doc **d = ig_realloc(s->line_docs, nc * sizeof *d);
    if (!d) return false;
    s->line_docs = d;
    char **t = ig_realloc(s->line_texts, nc * sizeof *t);
    if (!t) return false;
    s->line_texts = t;
    *cap = nc;
    return true;
}

/* One request per line (JSON Lines), as the benchmark workloads keep them. */
static bool load_requests_file(lctx *c, const json_value *v)
{
    char path[1024];
    ig_path_join(c->basedir, v->u.str, path, sizeof path);
    size_t len;
    const char *err;
    char *text = ig_read_file(path, IG_MAX_FILE * 4, &len, &err);
    if (!text)
        return fail(c, v->start, "cannot read requests file \"%s\": %s", path, err);
    char *fname = ig_arena_strndup(&c->s->arena, path, strlen(path));
    size_t cap = 0;
    unsigned lineno = 0;
    bool ok = fname != NULL;
    for (char *p = text; ok && p < text + len; ) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        lineno++;
        size_t k = 0;
        while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r')) k++;
        if (k < n) {
            json_error je;
            json_doc *d = json_parse(p, n, NULL, &je);
            lctx lc = *c;
            lc.text = p;
            lc.len = n;
            lc.file = fname;
            lc.line_base = lineno;
            if (!d) {
                ig_diag_set(c->diag, IG_E_JSON, fname, NULL, 0, je.offset, "%s", je.msg);
                if (c->diag) { c->diag->line = lineno; c->diag->column = je.column; }
                ok = false;
                break;
            }
            if (!grow_lines(c->s, &cap)) { json_doc_free(d); ok = fail(c, v->start, "out of memory"); break; }
            c->s->line_docs[c->s->nline_docs] = d;
            c->s->line_texts[c->s->nline_docs] = NULL;
            c->s->nline_docs++;
            ok = add_request(&lc, json_root(d));
            if (!ok && c->diag) {
                unsigned l, col;
                json_line_col(p, n, c->diag->offset, &l, &col);
                c->diag->line = lineno;
                c->diag->column = col;
            }
        }
        p = nl ? nl + 1 : text + len;
    }
    /* Request strings point into the parsed line documents, not into text. */
    ig_free(text);
    return ok;
}

static bool load_root(lctx *c, const json_value *root)
{
    if (!expect_kind(c, root, JSON_OBJECT, "a simulation document"))
        return false;
    const json_value *principal = NULL, *policies = NULL, *requests = NULL, *reqfile = NULL;
    for (uint32_t i = 0; i < root->len; i++) {
        const json_member *m = &root->u.members[i];
        if (!strcmp(m->key, "principal")) principal = &m->value;
        else if (!strcmp(m->key, "policies")) policies = &m->value;
        else if (!strcmp(m->key, "requests")) requests = &m->value;
        else if (!strcmp(m->key, "requestsFile")) reqfile = &m->value;
        else if (strcmp(m->key, "description") && strcmp(m->key, "name"))
            return fail(c, m->key_start,
                        "unknown key \"%s\" in a simulation document (expected principal, policies, requests or requestsFile)",
                        m->key);
    }
    if (!principal)
        return fail(c, root->start, "a simulation document needs a \"principal\"");
    if (!load_principal(c, principal))
        return false;
    if (policies && !load_policies(c, policies))
        return false;
    if (requests) {
        if (!expect_kind(c, requests, JSON_ARRAY, "\"requests\""))
            return false;
        for (uint32_t i = 0; i < requests->len; i++)
            if (!add_request(c, &requests->u.items[i]))
                return false;
    }
    if (reqfile) {
        if (!expect_kind(c, reqfile, JSON_STRING, "\"requestsFile\""))
            return false;
        if (!load_requests_file(c, reqfile))
            return false;
    }
    if (!requests && !reqfile)
        return fail(c, root->start, "a simulation document needs \"requests\" or \"requestsFile\"");
    return true;
}

int sim_load_text(const char *text, size_t len, const char *file,
                  const char *basedir, sim_doc **out, ig_diag *diag)
{
    *out = NULL;
    sim_doc *s = ig_calloc(1, sizeof *s);
    if (!s) {
        ig_diag_set(diag, IG_E_NOMEM, file, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    ig_arena_init(&s->arena);
    s->file = ig_arena_strndup(&s->arena, file ? file : "<input>", strlen(file ? file : "<input>"));
    s->text = ig_malloc(len + 1);
    s->env = ig_env_new();
    if (!s->file || !s->text || !s->env) {
        sim_free(s);
        ig_diag_set(diag, IG_E_NOMEM, file, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    json_error je;
    s->doc = json_parse(s->text, len, NULL, &je);
    if (!s->doc) {
        ig_diag_set(diag, IG_E_JSON, s->file, s->text, len, je.offset, "%s", je.msg);
        sim_free(s);
        return IG_E_JSON;
    }
    lctx c = { .s = s, .text = s->text, .len = len, .file = s->file,
               .basedir = basedir ? basedir : ".", .diag = diag, .line_base = 0 };
    if (!load_root(&c, json_root(s->doc))) {
        sim_free(s);
        return diag ? (diag->code ? diag->code : IG_E_INPUT) : IG_E_INPUT;
    }
    *out = s;
    return IG_OK;
}

int sim_load_file(const char *path, sim_doc **out, ig_diag *diag)
{
    size_t len;
    const char *err;
    char *text = ig_read_file(path, IG_MAX_FILE, &len, &err);
    if (!text) {
        ig_diag_set(diag, IG_E_IO, path, NULL, 0, 0, "%s", err);
        *out = NULL;
        return IG_E_IO;
    }
    char dir[1024];
    int rc = sim_load_text(text, len, strcmp(path, "-") ? path : "<stdin>",
                           strcmp(path, "-") ? ig_path_dir(path, dir, sizeof dir) : ".", out, diag);
    ig_free(text);
    return rc;
}

void sim_free(sim_doc *s)
{
    if (!s)
        return;
    ig_env_free(s->env);
    for (size_t i = 0; i < s->nowned; i++)
        ig_policy_free(s->owned[i]);
    ig_free(s->owned);
    for (size_t i = 0; i < s->nline_docs; i++)
        json_doc_free(s->line_docs[i]);
    ig_free(s->line_docs);
    ig_free(s->line_texts);
    json_doc_free(s->doc);
    ig_free(s->text);
    ig_free(s->reqs);
    ig_arena_free(&s->arena);
    ig_free(s);
}
