/* fuzz_eval.c - evaluation of fuzzed requests against a fuzzed compiled
 * policy, checked against the reference evaluator (tests/ref/).
 *
 * Input: byte 0 picks the principal, byte 1 the policy's slot and the
 * request's resourceAccount; then the policy JSON up to a NUL byte; then
 * the request as lines: action, resource, and "key=v1|v2|..." context. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "iamguard.h"
#include "ref/ref_eval.h"

static const char *const PRINCIPALS[] = {
    "arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:user/dev/bob",
    "arn:aws:sts::111111111111:assumed-role/admin/s1", "arn:aws:sts::222222222222:assumed-role/r/s",
    "arn:aws:sts::111111111111:federated-user/fed", "arn:aws:iam::111111111111:root",
    NULL /* anonymous */, "lambda.amazonaws.com" /* service */,
};

static const ig_policy_type SLOTS[] = {IG_POLICY_IDENTITY, IG_POLICY_RESOURCE, IG_POLICY_BOUNDARY,
                                       IG_POLICY_SESSION, IG_POLICY_SCP, IG_POLICY_RCP};

#define MAX_FIELD 256
#define MAX_CTX 8
#define MAX_VALS 4

typedef struct {
    char action[MAX_FIELD], resource[MAX_FIELD];
    char keys[MAX_CTX][MAX_FIELD];
    char vals[MAX_CTX][MAX_VALS][MAX_FIELD];
    const char *vptr[MAX_CTX][MAX_VALS];
    ig_context_entry ents[MAX_CTX];
    ig_request req;
} fuzz_request;

/* Request strings from JSON are valid UTF-8; raw C strings that are not
 * are failed closed by production in ways the contract does not describe,
 * so bytes that do not form valid UTF-8 become '_' here. */
static void make_utf8(char *s)
{
    unsigned char *u = (unsigned char *)s;
    for (size_t i = 0; u[i];) {
        size_t n = u[i] < 0x80 ? 1 : (u[i] & 0xe0) == 0xc0 ? 2 : (u[i] & 0xf0) == 0xe0 ? 3
                 : (u[i] & 0xf8) == 0xf0 ? 4 : 0;
        bool ok = n > 0 && !(n == 2 && u[i] < 0xc2) && !(n == 4 && u[i] > 0xf4);
        for (size_t k = 1; ok && k < n; k++)
            ok = (u[i + k] & 0xc0) == 0x80;
        if (ok && n == 3) {
            unsigned cp = (u[i] & 0x0fu) << 12 | (u[i + 1] & 0x3fu) << 6 | (u[i + 2] & 0x3fu);
            ok = cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff);
        }
        if (ok && n == 4) {
            unsigned cp = (u[i] & 0x07u) << 18 | (u[i + 1] & 0x3fu) << 12 | (u[i + 2] & 0x3fu) << 6;
            ok = cp >= 0x10000 && cp <= 0x10ffff;
        }
        if (!ok) {
            u[i++] = '_';
            continue;
        }
        i += n;
    }
}

/* Copy one '\n'-terminated line (at most MAX_FIELD-1 bytes, NULs dropped). */
static const char *line(const char *p, const char *end, char *out)
{
    size_t n = 0;
    while (p < end && *p != '\n') {
        if (n + 1 < MAX_FIELD && *p)
            out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    make_utf8(out);
    return p < end ? p + 1 : p;
}

static void parse_request(const char *p, const char *end, uint8_t flags, fuzz_request *r)
{
    memset(r, 0, sizeof *r);
    p = line(p, end, r->action);
    p = line(p, end, r->resource);
    if (!r->action[0])
        snprintf(r->action, sizeof r->action, "s3:GetObject");
    if (!r->resource[0])
        snprintf(r->resource, sizeof r->resource, "*");
    size_t n = 0;
    while (p < end && n < MAX_CTX) {
        char l[MAX_FIELD];
        p = line(p, end, l);
        char *eq = strchr(l, '=');
        if (!eq || eq == l)
            continue;
        *eq = '\0';
        snprintf(r->keys[n], MAX_FIELD, "%s", l);
        size_t nv = 0;
        for (char *v = eq + 1; v && nv < MAX_VALS;) {
            char *bar = strchr(v, '|');
            if (bar)
                *bar = '\0';
            snprintf(r->vals[n][nv], MAX_FIELD, "%s", v);
            r->vptr[n][nv] = r->vals[n][nv];
            nv++;
            v = bar ? bar + 1 : NULL;
        }
        if (!strcmp(eq + 1, "[]"))
            nv = 0;
        r->ents[n].key = r->keys[n];
        r->ents[n].values = r->vptr[n];
        r->ents[n].nvalues = nv;
        n++;
    }
    r->req.action = r->action;
    r->req.resource = r->resource;
    r->req.resource_account = flags & 0x40 ? (flags & 0x80 ? "222222222222" : "111111111111") : NULL;
    r->req.context = r->ents;
    r->req.ncontext = n;
}

static void print_case(const char *text, size_t len, const fuzz_request *r, const ig_result *p,
                       const ref_result *q)
{
    fprintf(stderr, "policy: %.*s\naction %s resource %s account %s\n", (int)len, text, r->action,
            r->resource, r->req.resource_account ? r->req.resource_account : "-");
    for (size_t i = 0; i < r->req.ncontext; i++)
        fprintf(stderr, "  context %s (%zu values)\n", r->keys[i], r->ents[i].nvalues);
    fprintf(stderr, "production %s/%s matched %u; reference %s/%s matched %zu\n",
            ig_decision_name(p->decision), p->blocked_by ? ig_layer_name(p->blocked_by) : "-",
            p->nmatched, ig_decision_name(q->decision),
            q->blocked_by ? ig_layer_name(q->blocked_by) : "-", q->nmatched);
}

static bool agree(const ig_result *p, const ref_result *q)
{
    if (p->error || p->decision != q->decision || p->blocked_by != q->blocked_by)
        return false;
    if (p->matched_truncated)
        return true;
    if (p->nmatched != q->nmatched)
        return false;
    for (uint32_t i = 0; i < p->nmatched; i++) {
        bool found = false;
        for (size_t j = 0; j < q->nmatched && !found; j++)
            found = q->matched[j].index == p->matched[i].index;
        if (!found)
            return false;
    }
    return true;
}

int fuzz_eval_one(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    const char *text = (const char *)data + 2, *end = (const char *)data + size;
    const char *nul = memchr(text, '\0', (size_t)(end - text));
    size_t plen = nul ? (size_t)(nul - text) : (size_t)(end - text);
    ig_policy_type type = SLOTS[(data[1] & 0x3f) % 6];
    ig_diag d;
    ig_policy *p = ig_policy_compile(text, plen, type, "fuzz", NULL, &d);
    if (!p)
        return 0;
    ref_policy rp;
    FUZZ_CHECK(ref_policy_load(&rp, text, plen, type), "the reference cannot read a compiled policy");

    ig_env *env = ig_env_new();
    FUZZ_CHECK(env, "out of memory");
    ref_env renv;
    memset(&renv, 0, sizeof renv);
    const char *who = PRINCIPALS[data[0] % 8];
    const ig_policy *one[1] = {p};
    const ref_policy *rone[1] = {&rp};
    if (data[0] % 8 == 6) {
        ig_env_set_anonymous(env);
        renv.kind = IG_PRINCIPAL_ANONYMOUS;
    } else if (data[0] % 8 == 7) {
        ig_env_set_service_principal(env, who);
        renv.kind = IG_PRINCIPAL_SERVICE;
        renv.service = who;
    } else {
        FUZZ_CHECK(ig_env_set_principal_arn(env, who, NULL, &d) == IG_OK, "principal rejected");
        renv.kind = ig_env_principal_kind(env);
        renv.arn = who;
    }
    switch (type) {
    case IG_POLICY_IDENTITY:
        ig_env_add_identity(env, p);
        renv.identity = rone;
        renv.nidentity = 1;
        break;
    case IG_POLICY_RESOURCE: ig_env_set_resource(env, p); renv.resource = &rp; break;
    case IG_POLICY_BOUNDARY: ig_env_set_boundary(env, p); renv.boundary = &rp; break;
    case IG_POLICY_SESSION: ig_env_set_session(env, p); renv.session = &rp; break;
    case IG_POLICY_SCP:
        ig_env_add_scp_level(env, one, 1);
        renv.scp[0] = (ref_level){rone, 1};
        renv.nscp = 1;
        break;
    default:
        ig_env_add_rcp_level(env, one, 1);
        renv.rcp[0] = (ref_level){rone, 1};
        renv.nrcp = 1;
        break;
    }

    static fuzz_request r;
    parse_request(nul ? nul + 1 : end, end, data[1], &r);
    static ig_result res;
    static ref_result ref;
    int rc = ig_evaluate(env, &r.req, IG_EVAL_EXPLAIN, &res);
    FUZZ_CHECK(rc == IG_OK || (res.error && res.decision == IG_IMPLICIT_DENY),
               "a failed evaluation that is not an implicit deny");
    /* The same request prepared, with and without explanations (the fast
     * paths of the evaluator are taken only without). */
    ig_prepared *pr = NULL;
    if (ig_request_prepare(&r.req, &pr, NULL) == IG_OK) {
        static ig_result pres, quick;
        int rc_explain = ig_evaluate_prepared(env, pr, IG_EVAL_EXPLAIN, &pres);
        int rc_quick = ig_evaluate_prepared(env, pr, 0, &quick);
        FUZZ_CHECK(rc_explain == rc && rc_quick == rc && pres.decision == res.decision &&
                   pres.blocked_by == res.blocked_by && pres.nmatched == res.nmatched &&
                   quick.decision == res.decision && quick.blocked_by == res.blocked_by,
                   "ig_evaluate and ig_evaluate_prepared disagree");
        ig_prepared_free(pr);
    } else {
        FUZZ_CHECK(rc != IG_OK, "a request ig_evaluate took does not prepare");
    }
    bool ok = res.error;    /* evaluation errors (8 KiB limit) are not compared */
    for (unsigned q = 0; q < 1u << REF_QUIRK_COUNT && !ok; q++) {
        renv.quirks = q;    /* q > 0: a known, reported production deviation */
        ref_evaluate(&renv, &r.req, NULL, &ref);
        ok = agree(&res, &ref);
    }
    if (!ok) {
        renv.quirks = 0;
        ref_evaluate(&renv, &r.req, NULL, &ref);
        print_case(text, plen, &r, &res, &ref);
    }
    FUZZ_CHECK(ok, "production and reference evaluators disagree");
    ig_env_free(env);
    ref_policy_free(&rp);
    ig_policy_free(p);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_eval_one(data, size);
}
#endif
