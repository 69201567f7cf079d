/* api.c - the public entry points of the analysis (iamguard.h): the
 * analyzer handle, effective permissions as text or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/access.h"
#include "analyze/analyze.h"
#include "analyze/escalate/escalate.h"
#include "analyze/report.h"
#include "analyze/seed.h"
#include "json/json.h"
#include "policy/policy.h"
#include "util/alloc.h"

ig_analyzer *ig_analyzer_new(const ig_catalog *cat, ig_diag *diag)
{
    if (!cat) {
        ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0, "no catalog");
        return NULL;
    }
    ig_analyzer *az = ig_calloc(1, sizeof *az);
    if (!az || an_ctx_init(&az->ctx, cat) != IG_OK) {
        ig_free(az);
        ig_diag_set(diag, IG_E_NOMEM, NULL, NULL, 0, 0, "out of memory");
        return NULL;
    }
    return az;
}

void ig_analyzer_free(ig_analyzer *az)
{
    if (!az)
        return;
    an_ctx_free(&az->ctx);
    ig_free(az);
}

const char *ig_verdict_name(ig_verdict v)
{
    switch (v) {
    case IG_VERDICT_PROVED: return "proved";
    case IG_VERDICT_REFUTED: return "refuted";
    default: return "unknown";
    }
}

/* Text reports go through a memory stream so that the library and the
 * CLI print the same thing. */
static char *take_stream(FILE *f, char **bufp)
{
    fclose(f);
    char *buf = *bufp;
    if (!buf)
        return NULL;
    size_t n = strlen(buf);
    char *out = ig_malloc(n + 1);
    if (out)
        memcpy(out, buf, n + 1);
    free(buf);
    return out;
}

int ig_analyze_effective(ig_analyzer *az, const ig_env *env, const char *const *actions,
                         size_t nactions, unsigned flags, char **out, ig_diag *diag)
{
    an_ctx *c = &az->ctx;
    an_ctx_reset(c);
    *out = NULL;
    uint64_t *filter = NULL;
    if (actions && nactions) {
        filter = ig_calloc(c->words, sizeof *filter);
        if (!filter)
            return IG_E_NOMEM;
        const char *bad;
        an_action_filter(c, actions, nactions, filter, &bad);
        if (bad) {
            ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0,
                        "action pattern \"%s\" names no action of the catalog", bad);
            ig_free(filter);
            return IG_E_INPUT;
        }
    }
    an_effective e;
    int rc = an_effective_compute(c, env, filter, &e);
    ig_free(filter);
    if (rc != IG_OK) {
        ig_diag_set(diag, rc, NULL, NULL, 0, 0, "%s", rc == IG_E_LIMIT ? "more than 32768 statements in these policies (the analysis bound; IAM quotas allow fewer)"
                                                                        : "out of memory");
        return rc;
    }
    if (flags & IG_ANALYZE_JSON) {
        json_buf b;
        json_buf_init(&b);
        json_writer w;
        jw_init(&w, &b, true);
        an_effective_json(&w, c, &e);
        json_buf_puts(&b, "\n");
        if (b.failed) {
            json_buf_free(&b);
            rc = IG_E_NOMEM;
        } else {
            *out = b.data;
        }
    } else {
        char *buf = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&buf, &n);
        if (!f) {
            rc = IG_E_NOMEM;
        } else {
            an_effective_text(f, c, &e, NULL);
            *out = take_stream(f, &buf);
            if (!*out)
                rc = IG_E_NOMEM;
        }
    }
    an_effective_free(&e);
    return rc;
}

/* ---- escalation ---------------------------------------------------------------- */

static bool is_start(const es_graph *g, size_t p)
{
    const an_principal *pr = &g->a->p[p];
    return pr->kind != AN_P_GROUP && (p >= g->npinfo || g->pinfo[p].origin == ES_P_ACCOUNT);
}

int an_escalate_report(ig_analyzer *az, ig_account *acct, const char *from, unsigned flags,
                       FILE *f, an_progress_fn progress, void *pctx)
{
    an_ctx_reset(&az->ctx);
    es_graph g;
    int rc = es_init(&g, &az->ctx, acct);
    if (rc != IG_OK) {
        es_free(&g);
        return rc;
    }
    size_t nstart = acct->np;
    long only = -1;
    if (from) {
        only = ig_account_find(acct, from);
        if (only < 0) {
            es_free(&g);
            return IG_E_INPUT;
        }
    }
    json_buf jb;
    json_buf_init(&jb);
    json_writer w;
    jw_init(&w, &jb, true);
    if (flags & IG_ANALYZE_JSON)
        jw_object_begin(&w);
    size_t shown = 0, analysed = 0, escalating = 0, gains = 0, unknown = 0, nservice = 0;
    const char *service_example = NULL;
    bool all = flags & IG_ANALYZE_ALL_PATHS;
    if (flags & IG_ANALYZE_JSON) {
        /* Roles only AWS services can assume: targets, never starts. */
        jw_key(&w, "notStarts");
        jw_array_begin(&w);
    }
    for (size_t p = 0; only < 0 && p < nstart && es_pinfo_grow(&g); p++)
        if (is_start(&g, p) && es_service_only(&g, (long)p)) {
            nservice++;
            service_example = service_example ? service_example : acct->p[p].arn;
            if (flags & IG_ANALYZE_JSON)
                jw_string(&w, acct->p[p].arn);
        }
    if (flags & IG_ANALYZE_JSON) {
        jw_array_end(&w);
        jw_key(&w, "escalation");
        jw_array_begin(&w);
    }
    for (size_t p = 0; p < nstart && rc == IG_OK; p++) {
        if ((only >= 0 && (long)p != only) || !es_pinfo_grow(&g) || !is_start(&g, p) ||
            (only < 0 && es_service_only(&g, (long)p)))
            continue;
        analysed++;
        az->ctx.unknown_hit = false;
        size_t bounds_before = g.dropped_limit + g.unexpanded + g.dropped_invalid;
        if (progress)
            progress(pctx, p + 1, nstart);
        es_key k = { .p = (long)p, .bnd = ES_BND_OWN };
        uint32_t n = es_node_of(&g, &k);
        if (n == UINT32_MAX) {
            rc = es_node_failed(&g);
            continue;
        }
        es_result r;
        rc = es_reach_from(&g, n, &r);
        if (rc != IG_OK)
            break;
        unsigned found = 0;
        if (r.norder > 1 || only >= 0) {
            if (flags & IG_ANALYZE_JSON) {
                found = es_report_json(&w, &g, &r, all);
            } else if (flags & IG_ANALYZE_DOT) {
                es_report_dot(f, &g, &r);
            } else {
                if (shown)
                    fputc('\n', f);
                found = es_report_text(f, &g, &r, all);
            }
            shown++;
        }
        escalating += found > 0;
        gains += found;
        /* A bound reached: "no path" from this start is not a proof. */
        if (az->ctx.unknown_hit || g.limit_hit ||
            g.dropped_limit + g.unexpanded + g.dropped_invalid != bounds_before) {
            unknown++;
            if (!(flags & (IG_ANALYZE_JSON | IG_ANALYZE_DOT)))
                fprintf(f, "  unknown: a size bound of the analysis was reached from %s; paths may be missing\n",
                        acct->p[p].arn);
        }
        es_result_free(&r);
    }
    if (flags & IG_ANALYZE_JSON) {
        jw_array_end(&w);
        jw_kint(&w, "principalsAnalysed", (long long)analysed);
        es_bounds_json(&w, &g);
        jw_key(&w, "summary");
        jw_object_begin(&w);
        jw_kint(&w, "principals", (long long)analysed);
        jw_kint(&w, "escalating", (long long)escalating);
        jw_kint(&w, "gains", (long long)gains);
        jw_kint(&w, "unknown", (long long)unknown);
        jw_kint(&w, "serviceRolesNotStarts", (long long)nservice);
        jw_object_end(&w);
        jw_object_end(&w);
        json_buf_puts(&jb, "\n");
        if (jb.failed)
            rc = IG_E_NOMEM;
        else
            fwrite(jb.data, 1, jb.len, f);
    } else if (!(flags & IG_ANALYZE_DOT)) {
        if (!shown)
            fprintf(f, "no principal of the model can escalate (%zu analysed)\n", analysed);
        es_bounds_text(f, &g);
        if (nservice)
            fprintf(f, "\nnot starts: %zu role%s only AWS services can assume (service-linked or trusted by "
                       "services alone), e.g. %s; they are targets, never starts (name one as PRINCIPAL to "
                       "analyse it anyway)\n",
                    nservice, nservice == 1 ? "" : "s", service_example);
        /* One line a CI job can parse. */
        fprintf(f, "\nescalate: %zu principal%s, %zu with paths, %zu gain%s, %zu unknown\n", analysed,
                analysed == 1 ? "" : "s", escalating, gains, gains == 1 ? "" : "s", unknown);
    }
    json_buf_free(&jb);
    es_free(&g);
    return rc;
}

int ig_analyze_escalation(ig_analyzer *az, ig_account *acct, const char *from, unsigned flags,
                          char **out, ig_diag *diag)
{
    *out = NULL;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (!f)
        return IG_E_NOMEM;
    int rc = an_escalate_report(az, acct, from, flags, f, NULL, NULL);
    *out = take_stream(f, &buf);
    if (rc == IG_E_INPUT)
        ig_diag_set(diag, rc, NULL, NULL, 0, 0, "no principal \"%s\" in the account", from ? from : "");
    if (rc == IG_OK && !*out)
        rc = IG_E_NOMEM;
    return rc;
}

/* ---- access checks ------------------------------------------------------------- */

static ig_verdict to_public(const an_check *r, ig_counterexample *cx)
{
    if (cx) {
        memset(cx, 0, sizeof *cx);
        if (r->verdict == IG_VERDICT_REFUTED) {
            snprintf(cx->action, sizeof cx->action, "%s", r->cx.action);
            snprintf(cx->resource, sizeof cx->resource, "%s", r->cx.resource);
            size_t o = 0;
            for (size_t i = 0; i < r->cx.nsent && o < sizeof cx->context; i++)
                for (size_t v = 0; v < r->cx.ctx[i].nvalues && o < sizeof cx->context; v++)
                    o += (size_t)snprintf(cx->context + o, sizeof cx->context - o, "%s%s=%s",
                                          o ? ", " : "", r->cx.ctx[i].key, r->cx.ctx[i].values[v]);
        } else {
            snprintf(cx->reason, sizeof cx->reason, "%.500s", r->reason);
        }
    }
    return r->verdict;
}

static const lang_expr *resource_union(ig_arena *A, const char *const *res, size_t n,
                                       ig_diag *diag, bool *bad)
{
    *bad = false;
    if (!res || !n)
        return NULL;
    const lang_expr **k = ig_arena_alloc(A, n * sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        lang_pat *lp = ig_arena_alloc(A, sizeof *lp);
        const char *err = "out of memory";
        if (!lp || !lang_from_text(A, res[i], strlen(res[i]), lp, &err)) {
            ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0, "resource \"%s\": %s", res[i], err);
            *bad = true;
            return NULL;
        }
        k[i] = lang_e_pat(A, lp);
    }
    return lang_e_nary(A, LE_OR, k, n);
}

int an_api_filter(ig_analyzer *az, const char *const *actions, size_t n, uint64_t **out,
                  ig_diag *diag)
{
    *out = NULL;
    if (!actions || !n)
        return IG_OK;
    *out = ig_calloc(az->ctx.words, sizeof **out);
    if (!*out)
        return IG_E_NOMEM;
    const char *bad;
    an_action_filter(&az->ctx, actions, n, *out, &bad);
    if (bad) {
        ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0,
                    "action pattern \"%s\" names no action of the catalog", bad);
        ig_free(*out);
        *out = NULL;
        return IG_E_INPUT;
    }
    return IG_OK;
}

ig_verdict ig_analyze_not_granted(ig_analyzer *az, const ig_env *env,
                                  const char *const *actions, size_t nactions,
                                  const char *const *resources, size_t nresources,
                                  ig_counterexample *cx, ig_diag *diag)
{
    uint64_t *filter;
    an_check r;
    memset(&r, 0, sizeof r);
    r.verdict = IG_VERDICT_UNKNOWN;
    snprintf(r.reason, sizeof r.reason, "bad input");
    if (an_api_filter(az, actions, nactions, &filter, diag) != IG_OK)
        return to_public(&r, cx);
    ig_arena A;
    ig_arena_init(&A);
    bool bad;
    const lang_expr *res = resource_union(&A, resources, nresources, diag, &bad);
    an_ctx_reset(&az->ctx);
    if (!bad && an_check_not_granted(&az->ctx, env, filter, res, NULL, 0, NULL, &r) != IG_OK) {
        r.verdict = IG_VERDICT_UNKNOWN;
        snprintf(r.reason, sizeof r.reason, "out of memory");
    }
    ig_arena_free(&A);
    ig_free(filter);
    return to_public(&r, cx);
}

ig_verdict ig_analyze_no_new_access(ig_analyzer *az, const ig_env *old_env,
                                    const ig_env *new_env, ig_counterexample *cx,
                                    ig_diag *diag)
{
    (void)diag;
    an_check r;
    an_ctx_reset(&az->ctx);
    if (an_check_no_new_access(&az->ctx, old_env, new_env, NULL, &r) != IG_OK) {
        memset(&r, 0, sizeof r);
        r.verdict = IG_VERDICT_UNKNOWN;
        snprintf(r.reason, sizeof r.reason, "out of memory");
    }
    return to_public(&r, cx);
}

ig_verdict ig_analyze_no_public_access(ig_analyzer *az, const ig_policy *resource_policy,
                                       const char *account, const char *resource_arn,
                                       ig_counterexample *cx, ig_diag *diag)
{
    (void)diag;
    an_check r;
    an_ctx_reset(&az->ctx);
    if (an_check_no_public(&az->ctx, resource_policy, account ? account : "123456789012",
                           resource_arn, &r) != IG_OK) {
        memset(&r, 0, sizeof r);
        r.verdict = IG_VERDICT_UNKNOWN;
        snprintf(r.reason, sizeof r.reason, "out of memory");
    }
    return to_public(&r, cx);
}

/* ---- the seed ------------------------------------------------------------------- */

int ig_analyze_seed_report(ig_analyzer *az, unsigned flags, char **out, ig_diag *diag)
{
    *out = NULL;
    int rc;
    if (flags & IG_ANALYZE_JSON) {
        json_buf b;
        json_buf_init(&b);
        json_writer w;
        jw_init(&w, &b, true);
        jw_object_begin(&w);
        rc = an_seed_report(&az->ctx, NULL, &w);
        jw_object_end(&w);
        json_buf_puts(&b, "\n");
        if (rc == IG_OK && !b.failed)
            *out = b.data;
        else
            json_buf_free(&b);
    } else {
        char *buf = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&buf, &n);
        if (!f)
            return IG_E_NOMEM;
        rc = an_seed_report(&az->ctx, f, NULL);
        *out = take_stream(f, &buf);
    }
    if (rc == IG_OK && !*out)
        rc = IG_E_NOMEM;
    if (rc != IG_OK)
        ig_diag_set(diag, rc, NULL, NULL, 0, 0, "the imaging-viewer analysis failed");
    return rc;
}
