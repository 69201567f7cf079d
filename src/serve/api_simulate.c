/* api_simulate.c - POST /v1/simulate, POST /v1/reload, GET /healthz and
 * GET /metrics. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "serve/serve.h"

static const char *status_code_name(int code)
{
    switch (code) {
    case IG_E_JSON: return "malformed_json";
    case IG_E_POLICY: return "invalid_policy";
    case IG_E_LIMIT: return "limit_exceeded";
    case IG_E_NOMEM: return "out_of_memory";
    default: return "invalid_input";
    }
}

static bool has_file(const json_value *entry)
{
    return entry && entry->kind == JSON_OBJECT && json_get(entry, "file");
}

/* A submitted document must not make the server read its own files:
 * "requestsFile" and policy entries with "file" are refused. */
static const json_value *file_reference(const json_value *root)
{
    const json_member *m = json_get_member(root, "requestsFile");
    if (m) return &m->value;
    const json_value *pol = json_get(root, "policies");
    if (!pol || pol->kind != JSON_OBJECT) return NULL;
    for (uint32_t i = 0; i < pol->len; i++) {
        const json_value *v = &pol->u.members[i].value;
        if (has_file(v)) return v;
        if (v->kind == JSON_ARRAY)
            for (uint32_t j = 0; j < v->len; j++) {
                const json_value *e = &v->u.items[j];
                if (has_file(e)) return e;
                if (e->kind == JSON_ARRAY)          /* scps/rcps levels */
                    for (uint32_t k = 0; k < e->len; k++)
                        if (has_file(&e->u.items[k])) return &e->u.items[k];
            }
        if (v->kind == JSON_OBJECT)                 /* resourcePolicies */
            for (uint32_t j = 0; j < v->len; j++)
                if (has_file(&v->u.members[j].value)) return &v->u.members[j].value;
    }
    return NULL;
}

void api_simulate(const serve_ctx *c, const char *body, size_t len, serve_reply *r)
{
    json_error je;
    json_doc *jd = json_parse(body, len, NULL, &je);
    if (!jd) {
        serve_json_error(r, 400, "malformed_json", je.msg, je.line, je.column);
        return;
    }
    const json_value *ref = json_root(jd)->kind == JSON_OBJECT ? file_reference(json_root(jd)) : NULL;
    if (ref) {
        unsigned line, col;
        json_line_col(body, len, ref->start, &line, &col);
        json_doc_free(jd);
        serve_json_error(r, 400, "invalid_input",
                         "documents sent to the server cannot refer to files (\"file\", \"requestsFile\"); put policies and requests inline",
                         line, col);
        return;
    }
    json_doc_free(jd);
    sim_doc *s;
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (sim_load_text(body, len, "<request>", NULL, &s, &d) != IG_OK) {
        serve_json_error(r, 400, status_code_name(d.code), d.msg, d.line, d.column);
        return;
    }
    json_writer w;
    jw_init(&w, &r->body, false);
    jw_object_begin(&w);
    jw_key(&w, "results");
    jw_array_begin(&w);
    ig_result res;
    for (size_t i = 0; i < s->nreqs; i++) {
        ig_evaluate(s->env, &s->reqs[i].req, IG_EVAL_EXPLAIN, &res);
        r->decisions[res.decision]++;
        sim_write_result(&w, &s->reqs[i], &res);
        /* matched statements of every request: the answer can grow with
         * requests x statements, far beyond the document */
        if (r->body.len > SERVE_MAX_REPLY) {
            sim_free(s);
            serve_json_error(r, 413, "response_too_large",
                             "the answer would exceed 64 MiB: send fewer requests or statements per call", 0, 0);
            return;
        }
    }
    jw_array_end(&w);
    jw_object_end(&w);
    json_buf_puts(&r->body, "\n");
    sim_free(s);
    r->status = 200;
    if (r->body.failed)
        serve_json_error(r, 500, "out_of_memory", "out of memory", 0, 0);
    (void)c;
}

void api_reload(const serve_ctx *c, serve_reply *r)
{
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (!c->store->dir) {
        serve_json_error(r, 409, "no_policy_directory", "the server was started without --policies", 0, 0);
        return;
    }
    if (serve_store_reload(c->store, &d) != IG_OK) {
        char msg[1024];
        serve_json_error(r, 400, status_code_name(d.code), ig_diag_format(&d, msg, sizeof msg),
                         d.line, d.column);
        return;
    }
    api_healthz(c, r);
}

void api_healthz(const serve_ctx *c, serve_reply *r)
{
    serve_sets *s = serve_store_acquire(c->store);
    r->status = 200;
    json_writer w;
    jw_init(&w, &r->body, false);
    jw_object_begin(&w);
    jw_key(&w, "status"); jw_string(&w, "ok");
    jw_key(&w, "version"); jw_string(&w, IAMGUARD_VERSION);
    jw_key(&w, "generation"); jw_int(&w, (long long)s->generation);
    jw_key(&w, "policySets");
    jw_array_begin(&w);
    for (size_t i = 0; i < s->n; i++)
        jw_string(&w, s->sets[i].name);
    jw_array_end(&w);
    jw_object_end(&w);
    json_buf_puts(&r->body, "\n");
    serve_sets_release(s);
}

void api_metrics(const serve_ctx *c, serve_reply *r)
{
    r->status = 200;
    r->content_type = "text/plain; version=0.0.4";
    serve_metrics_write(c->metrics, c, &r->body);
}
