/* api_authorize.c - POST /v1/authorize: decisions for one request or a
 * batch against a preloaded policy set.
 *
 *   {"policySet": NAME, "explain": false, "requests": [REQUEST, ...]}
 *   {"policySet": NAME, "explain": false, REQUEST fields...}
 *
 * A REQUEST is the request object of a simulation document without
 * "expect": action, resource, resourceAccount, context, resourcePolicy.
 * The whole call is rejected (with the position) if any request is
 * malformed, so a client never gets a partial answer. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "serve/serve.h"
#include "util/arena.h"

typedef struct {
    const serve_ctx *c;
    const char *body;
    size_t len;
    serve_reply *r;
    const sim_doc *set;
    ig_arena arena;
} az;

static bool reject(az *a, int status, const char *code, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static bool reject(az *a, int status, const char *code, size_t offset, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line = 0, col = 0;
    if (offset != (size_t)-1)
        json_line_col(a->body, a->len, offset, &line, &col);
    serve_json_error(a->r, status, code, msg, line, col);
    return false;
}

static const char *value_text(const json_value *v, ig_arena *arena)
{
    switch (v->kind) {
    case JSON_STRING: return v->u.str;
    case JSON_NUMBER: return ig_arena_strndup(arena, v->u.str, v->len);
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    default: return NULL;
    }
}

static bool parse_context(az *a, const json_value *v, ig_request *req)
{
    if (v->kind != JSON_OBJECT)
        return reject(a, 400, "invalid_input", v->start, "\"context\" must be an object");
    ig_context_entry *ents = ig_arena_alloc(&a->arena, (v->len ? v->len : 1) * sizeof *ents);
    if (!ents) return reject(a, 500, "out_of_memory", v->start, "out of memory");
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        const json_value *cv = &m->value;
        bool list = cv->kind == JSON_ARRAY;
        uint32_t n = list ? cv->len : 1;
        const char **vals = ig_arena_alloc(&a->arena, (n ? n : 1) * sizeof *vals);
        if (!vals) return reject(a, 500, "out_of_memory", cv->start, "out of memory");
        for (uint32_t j = 0; j < n; j++) {
            const json_value *item = list ? &cv->u.items[j] : cv;
            if (!(vals[j] = value_text(item, &a->arena)))
                return reject(a, 400, "invalid_input", item->start,
                              "context values must be strings, numbers, booleans or arrays of them, got %s",
                              json_kind_name(item->kind));
        }
        ents[i].key = m->key;
        ents[i].values = vals;
        ents[i].nvalues = n;
    }
    req->context = ents;
    req->ncontext = v->len;
    return true;
}

static bool plain_string(az *a, const json_value *v, const char *key)
{
    if (v->kind != JSON_STRING || v->len == 0 || strlen(v->u.str) != v->len)
        return reject(a, 400, "invalid_input", v->start,
                      "\"%s\" must be a non-empty string without NUL", key);
    return true;
}

/* Fill req from the request fields of obj.  `top` allows the call's own
 * keys (policySet, explain) next to them. */
static bool parse_request(az *a, const json_value *obj, ig_request *req, bool top)
{
    if (obj->kind != JSON_OBJECT)
        return reject(a, 400, "invalid_input", obj->start, "a request must be an object");
    memset(req, 0, sizeof *req);
    req->resource = "*";
    for (uint32_t i = 0; i < obj->len; i++) {
        const json_member *m = &obj->u.members[i];
        const json_value *v = &m->value;
        const char *k = m->key;
        if (!strcmp(k, "action") || !strcmp(k, "resource") || !strcmp(k, "resourceAccount")) {
            if (!plain_string(a, v, k)) return false;
            if (k[0] == 'a') req->action = v->u.str;
            else if (k[8] == 'A') req->resource_account = v->u.str;
            else req->resource = v->u.str;
        } else if (!strcmp(k, "context")) {
            if (!parse_context(a, v, req)) return false;
        } else if (!strcmp(k, "resourcePolicy")) {
            if (!plain_string(a, v, k)) return false;
            size_t j = 0;
            while (j < a->set->nnamed && strcmp(a->set->named[j].name, v->u.str)) j++;
            if (j == a->set->nnamed)
                return reject(a, 400, "invalid_input", v->start,
                              "the policy set has no resource policy named \"%s\"", v->u.str);
            req->resource_policy = a->set->named[j].policy;
        } else if (!top || (strcmp(k, "policySet") && strcmp(k, "explain"))) {
            return reject(a, 400, "invalid_input", m->key_start,
                          "unknown key \"%s\" in a request (expected action, resource, resourceAccount, context or resourcePolicy)",
                          k);
        }
    }
    if (!req->action)
        return reject(a, 400, "invalid_input", obj->start, "a request needs an \"action\"");
    return true;
}

static void write_result(json_writer *w, const ig_request *req, const ig_result *res, bool explain)
{
    if (explain) {
        sim_request sr;
        memset(&sr, 0, sizeof sr);
        sr.req = *req;
        sim_write_result(w, &sr, res);
        return;
    }
    jw_object_begin(w);
    jw_kstring(w, "decision", ig_decision_name(res->decision));
    jw_kstring(w, "blockedBy", ig_layer_name(res->blocked_by));
    if (res->error) {
        jw_kstring(w, "error", res->error_msg);
    }
    jw_object_end(w);
}

static bool decide(az *a, json_writer *w, const json_value *obj, bool top, bool explain)
{
    ig_request req;
    ig_result res;
    if (!parse_request(a, obj, &req, top))
        return false;
    ig_evaluate(a->set->env, &req, explain ? IG_EVAL_EXPLAIN : 0, &res);
    a->r->decisions[res.decision]++;
    write_result(w, &req, &res, explain);
    return true;
}

static void run(az *a, const json_value *root, const serve_sets *sets)
{
    if (root->kind != JSON_OBJECT) {
        reject(a, 400, "invalid_input", root->start, "the body must be a JSON object");
        return;
    }
    const json_value *name = json_get(root, "policySet");
    const json_value *explain_v = json_get(root, "explain");
    const json_value *reqs = json_get(root, "requests");
    if (!name || name->kind != JSON_STRING) {
        reject(a, 400, "invalid_input", name ? name->start : root->start,
               "\"policySet\" (a string naming a policy set) is required");
        return;
    }
    const serve_set *set = serve_sets_find(sets, name->u.str);
    if (!set) {
        reject(a, 404, "unknown_policy_set", name->start, "no policy set named \"%s\"", name->u.str);
        return;
    }
    a->set = set->doc;
    if (explain_v && explain_v->kind != JSON_TRUE && explain_v->kind != JSON_FALSE) {
        reject(a, 400, "invalid_input", explain_v->start, "\"explain\" must be true or false");
        return;
    }
    bool explain = explain_v && explain_v->kind == JSON_TRUE;
    json_writer w;
    jw_init(&w, &a->r->body, false);
    a->r->status = 200;
    if (!reqs) {
        if (!decide(a, &w, root, true, explain)) return;
        json_buf_puts(&a->r->body, "\n");
        return;
    }
    for (uint32_t i = 0; i < root->len; i++) {
        const char *k = root->u.members[i].key;
        if (strcmp(k, "policySet") && strcmp(k, "explain") && strcmp(k, "requests")) {
            reject(a, 400, "invalid_input", root->u.members[i].key_start,
                   "unknown key \"%s\" in a batch (expected policySet, explain and requests)", k);
            return;
        }
    }
    if (reqs->kind != JSON_ARRAY) {
        reject(a, 400, "invalid_input", reqs->start, "\"requests\" must be an array");
        return;
    }
    if (reqs->len > a->c->limits.max_batch) {
        reject(a, 413, "batch_too_large", reqs->start, "more than %zu requests in one call",
               a->c->limits.max_batch);
        return;
    }
    jw_object_begin(&w);
    jw_key(&w, "policySet"); jw_string(&w, set->name);
    jw_key(&w, "generation"); jw_int(&w, (long long)sets->generation);
    jw_key(&w, "results");
    jw_array_begin(&w);
    for (uint32_t i = 0; i < reqs->len; i++) {
        if (!decide(a, &w, &reqs->u.items[i], false, explain)) return;
        if (a->r->body.len > SERVE_MAX_REPLY) {   /* explanations outgrow the request */
            serve_json_error(a->r, 413, "response_too_large",
                             "the answer would exceed 64 MiB: send fewer requests per call, or without explain", 0, 0);
            return;
        }
        if (a->arena.total > (1u << 20)) {      /* context copies of earlier requests */
            ig_arena_free(&a->arena);
            ig_arena_init(&a->arena);
        }
    }
    jw_array_end(&w);
    jw_key(&w, "summary");
    jw_object_begin(&w);
    for (int d = IG_IMPLICIT_DENY; d <= IG_ALLOWED; d++) {
        jw_key(&w, ig_decision_name((ig_decision)d));
        jw_int(&w, (long long)a->r->decisions[d]);
    }
    jw_object_end(&w);
    jw_object_end(&w);
    json_buf_puts(&a->r->body, "\n");
}

void api_authorize(const serve_ctx *c, const char *body, size_t len, serve_reply *r)
{
    json_error je;
    json_doc *jd = json_parse(body, len, NULL, &je);
    if (!jd) {
        serve_json_error(r, 400, "malformed_json", je.msg, je.line, je.column);
        return;
    }
    az a = { .c = c, .body = body, .len = len, .r = r };
    ig_arena_init(&a.arena);
    serve_sets *sets = serve_store_acquire(c->store);
    run(&a, json_root(jd), sets);
    serve_sets_release(sets);
    ig_arena_free(&a.arena);
    json_doc_free(jd);
    if (r->body.failed)
        serve_json_error(r, 500, "out_of_memory", "out of memory", 0, 0);
}
