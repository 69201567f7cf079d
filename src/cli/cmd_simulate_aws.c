/* cmd_simulate_aws.c - `iamguard simulate` with the flags of
 * `aws iam simulate-custom-policy`; output in the AWS API's JSON shape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/simulate_opts.h"
#include "iamguard.h"
#include "json/json.h"
#include "util/file.h"

#define MAX_CTX_VALUES 256

typedef struct {
    ig_policy *owned[70];
    size_t nowned;
    ig_context_entry ctx[256];
    size_t nctx;
    char *ctx_store[256];           /* buffers behind the context strings */
    const char *ctx_vals[256][MAX_CTX_VALUES];
    json_doc *ctx_docs[256];
} aws_state;

static int fail(const char *fmt, const char *arg)
{
    fprintf(stderr, "iamguard simulate: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return EXIT_BAD_INPUT;
}

/* POLICY is inline JSON or file://path, as the AWS CLI takes it. */
static ig_policy *load_arg_policy(const char *arg, ig_policy_type t, const char *id)
{
    ig_diag d;
    ig_policy *p;
    if (!strncmp(arg, "file://", 7)) {
        size_t len;
        const char *err;
        char *text = ig_read_file(arg + 7, IG_MAX_FILE, &len, &err);
        if (!text) {
            fprintf(stderr, "%s: error: %s\n", arg + 7, err);
            return NULL;
        }
        p = ig_policy_compile(text, len, t, id, arg + 7, &d);
        free(text);
    } else {
        p = ig_policy_compile(arg, strlen(arg), t, id, id, &d);
    }
    if (!p)
        cli_print_diag(&d);
    return p;
}

static bool valid_context_type(const char *t, size_t n)
{
    static const char *const types[] = { "string", "stringList", "numeric", "numericList",
        "boolean", "booleanList", "ip", "ipList", "binary", "binaryList", "date", "dateList" };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i]) == n && !memcmp(types[i], t, n))
            return true;
    return false;
}

/* Where the value of "Field=" ends: at the next ",Known=" or the end. */
static size_t field_end(const char *s)
{
    static const char *const fields[] = { ",ContextKeyName=", ",ContextKeyValues=", ",ContextKeyType=" };
    size_t best = strlen(s);
    for (size_t i = 0; i < 3; i++) {
        const char *p = strstr(s, fields[i]);
        if (p && (size_t)(p - s) < best) best = (size_t)(p - s);
    }
    return best;
}

static int add_context(aws_state *st, const char *key, const char *const *vals, size_t n,
                       const char *type, size_t typelen)
{
    if (st->nctx >= 256)
        return fail("too many context entries%s", "");
    if (type && !valid_context_type(type, typelen))
        return fail("unknown ContextKeyType in entry for %s", key);
    if (type && n > 1 && (typelen < 4 || memcmp(type + typelen - 4, "List", 4) != 0))
        return fail("ContextKeyType is not a list type but %s has several values", key);
    size_t k = st->nctx++;
    for (size_t i = 0; i < n; i++)
        st->ctx_vals[k][i] = vals[i];
    st->ctx[k].key = key;
    st->ctx[k].values = st->ctx_vals[k];
    st->ctx[k].nvalues = n;
    return 0;
}

/* ContextKeyName=k,ContextKeyValues=v1,v2,ContextKeyType=t */
static int parse_shorthand(aws_state *st, const char *arg)
{
    char *buf = strdup(arg);
    if (!buf) return fail("out of memory%s", "");
    st->ctx_store[st->nctx] = buf;
    const char *name = NULL, *type = NULL;
    size_t typelen = 0;
    const char *vals[MAX_CTX_VALUES];
    size_t nv = 0;
    char *p = buf;
    while (*p) {
        char *eq = strchr(p, '=');
        if (!eq) return fail("malformed context entry \"%s\" (expected ContextKeyName=...,ContextKeyValues=...,ContextKeyType=...)", arg);
        size_t end = field_end(eq + 1);
        char *val = eq + 1;
        char *next = val + end;
        bool more = *next != '\0';
        *eq = '\0';
        val[end] = '\0';
        if (!strcmp(p, "ContextKeyName")) name = val;
        else if (!strcmp(p, "ContextKeyType")) { type = val; typelen = strlen(val); }
        else if (!strcmp(p, "ContextKeyValues")) {
            size_t vl = strlen(val);
            if (vl >= 2 && val[0] == '[' && val[vl - 1] == ']') { val[vl - 1] = '\0'; val++; }
            for (char *v = val;;) {
                char *comma = strchr(v, ',');
                if (nv >= MAX_CTX_VALUES) return fail("too many values in context entry \"%s\"", arg);
                if (comma) *comma = '\0';
                vals[nv++] = v;
                if (!comma) break;
                v = comma + 1;
            }
        } else {
            return fail("unknown field in context entry \"%s\"", arg);
        }
        p = more ? next + 1 : next;
    }
    if (!name || !nv)
        return fail("context entry \"%s\" needs ContextKeyName and ContextKeyValues", arg);
    return add_context(st, name, vals, nv, type, typelen);
}

static int parse_json_contexts(aws_state *st, const char *arg)
{
    json_error je;
    json_doc *d = json_parse(arg, strlen(arg), NULL, &je);
    if (!d) return fail("--context-entries: invalid JSON: %s", je.msg);
    st->ctx_docs[st->nctx] = d;
    const json_value *root = json_root(d);
    if (root->kind != JSON_ARRAY) return fail("--context-entries: expected a JSON list%s", "");
    for (uint32_t i = 0; i < root->len; i++) {
        const json_value *e = &root->u.items[i];
        const json_value *name = json_get(e, "ContextKeyName");
        const json_value *values = json_get(e, "ContextKeyValues");
        const json_value *type = json_get(e, "ContextKeyType");
        if (!name || name->kind != JSON_STRING || !values || values->kind != JSON_ARRAY || !values->len)
            return fail("--context-entries: each entry needs ContextKeyName and ContextKeyValues%s", "");
        const char *vals[MAX_CTX_VALUES];
        if (values->len > MAX_CTX_VALUES) return fail("too many context values%s", "");
        for (uint32_t k = 0; k < values->len; k++) {
            if (values->u.items[k].kind != JSON_STRING)
                return fail("--context-entries: values must be strings%s", "");
            vals[k] = values->u.items[k].u.str;
        }
        int rc = add_context(st, name->u.str, vals, values->len,
                             type && type->kind == JSON_STRING ? type->u.str : NULL,
                             type && type->kind == JSON_STRING ? type->len : 0);
        if (rc) return rc;
    }
    return 0;
}

static void write_aws_result(json_writer *w, const ig_request *rq, const ig_result *r)
{
    jw_object_begin(w);
    jw_key(w, "EvalActionName");
    jw_string(w, rq->action);
    jw_key(w, "EvalResourceName");
    jw_string(w, rq->resource);
    jw_key(w, "EvalDecision");
    jw_string(w, ig_decision_name(r->decision));
    jw_key(w, "MatchedStatements");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->nmatched; i++) {
        const ig_matched_statement *m = &r->matched[i];
        jw_object_begin(w);
        jw_key(w, "SourcePolicyId");
        jw_string(w, ig_policy_id(m->policy));
        jw_key(w, "SourcePolicyType");
        jw_string(w, m->type == IG_POLICY_RESOURCE ? "resource" : "IAM Policy");
        jw_key(w, "StartPosition");
        jw_object_begin(w);
        jw_key(w, "Line"); jw_int(w, m->start_line);
        jw_key(w, "Column"); jw_int(w, m->start_column);
        jw_object_end(w);
        jw_key(w, "EndPosition");
        jw_object_begin(w);
        jw_key(w, "Line"); jw_int(w, m->end_line);
        jw_key(w, "Column"); jw_int(w, m->end_column);
        jw_object_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "MissingContextValues");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->nmissing; i++)
        jw_string(w, r->missing[i]);
    jw_array_end(w);
    jw_key(w, "OrganizationsDecisionDetail");
    jw_object_begin(w);
    jw_key(w, "AllowedByOrganizations");
    jw_bool(w, r->allowed_by_organizations);
    jw_object_end(w);
    jw_key(w, "PermissionsBoundaryDecisionDetail");
    jw_object_begin(w);
    jw_key(w, "AllowedByPermissionsBoundary");
    jw_bool(w, r->allowed_by_boundary);
    jw_object_end(w);
    jw_key(w, "EvalDecisionDetails");
    jw_object_begin(w);
    jw_object_end(w);
    jw_object_end(w);
}

static int run(const sim_opts *o, aws_state *st, ig_env *env)
{
    if (!o->npolicies) return fail("--policy-input-list is required%s", "");
    if (!o->nactions) return fail("--action-names is required%s", "");
    char owner_acct[64] = "123456789012";
    if (o->resource_owner) {
        const char *r = o->resource_owner;
        if (strncmp(r, "arn:", 4) || strlen(r) < 20)
            return fail("--resource-owner must be arn:aws:iam::ACCOUNT:root, got \"%s\"", r);
        const char *p = r;
        for (int k = 0; k < 4 && p; k++) p = strchr(p + 1, ':');
        const char *q = p ? strchr(p + 1, ':') : NULL;
        if (!q || q - p - 1 <= 0 || (size_t)(q - p - 1) >= sizeof owner_acct)
            return fail("--resource-owner must be arn:aws:iam::ACCOUNT:root, got \"%s\"", r);
        snprintf(owner_acct, sizeof owner_acct, "%.*s", (int)(q - p - 1), p + 1);
    }
    if (o->resource_policy && !o->caller_arn)
        return fail("--caller-arn is required with --resource-policy%s", "");
    char caller[600];
    if (o->caller_arn)
        snprintf(caller, sizeof caller, "%s", o->caller_arn);
    else
        snprintf(caller, sizeof caller, "arn:aws:iam::%s:user/SimulatedCaller", owner_acct);
    ig_diag d;
    if (ig_env_set_principal_arn(env, caller, NULL, &d) != IG_OK) {
        fprintf(stderr, "iamguard simulate: --caller-arn: %s\n", d.msg);
        return EXIT_BAD_INPUT;
    }
    for (size_t i = 0; i < o->npolicies; i++) {
        char id[40];
        snprintf(id, sizeof id, "PolicyInputList.%zu", i + 1);
        ig_policy *p = load_arg_policy(o->policies[i], IG_POLICY_IDENTITY, id);
        if (!p) return EXIT_BAD_INPUT;
        st->owned[st->nowned++] = p;
        ig_env_add_identity(env, p);
    }
    if (o->boundary) {
        ig_policy *p = load_arg_policy(o->boundary, IG_POLICY_BOUNDARY, "PermissionsBoundaryPolicyInputList.1");
        if (!p) return EXIT_BAD_INPUT;
        st->owned[st->nowned++] = p;
        ig_env_set_boundary(env, p);
    }
    if (o->resource_policy) {
        ig_policy *p = load_arg_policy(o->resource_policy, IG_POLICY_RESOURCE, "ResourcePolicy");
        if (!p) return EXIT_BAD_INPUT;
        st->owned[st->nowned++] = p;
        ig_env_set_resource(env, p);
    }
    for (size_t i = 0; i < o->ncontexts; i++) {
        int rc = o->contexts[i][0] == '[' ? parse_json_contexts(st, o->contexts[i])
                                          : parse_shorthand(st, o->contexts[i]);
        if (rc) return rc;
    }
    for (size_t i = 0; i < o->nactions; i++)
        if (strchr(o->actions[i], '*') || strchr(o->actions[i], '?') || !strchr(o->actions[i], ':'))
            return fail("--action-names takes action names without wildcards, got \"%s\"", o->actions[i]);
    static const char *const star[] = { "*" };
    const char *const *res = o->nresources ? o->resources : star;
    size_t nres = o->nresources ? o->nresources : 1;
    bool json = o->format == 1 || (o->format == 0 && !cli_stdout_is_tty());
    json_buf out;
    json_buf_init(&out);
    json_writer w;
    jw_init(&w, &out, o->pretty || json);
    jw_object_begin(&w);
    jw_key(&w, "EvaluationResults");
    jw_array_begin(&w);
    ig_result r;
    for (size_t a = 0; a < o->nactions; a++)
        for (size_t k = 0; k < nres; k++) {
            ig_request rq = { .action = o->actions[a], .resource = res[k],
                              .resource_account = o->resource_owner ? owner_acct : NULL,
                              .context = st->ctx, .ncontext = st->nctx };
            ig_evaluate(env, &rq, IG_EVAL_EXPLAIN, &r);
            if (json) {
                write_aws_result(&w, &rq, &r);
            } else {
                printf("%-12s %-40s %s\n", ig_decision_name(r.decision), rq.action, rq.resource);
                if (o->explain)
                    for (uint32_t m = 0; m < r.nmatched; m++)
                        printf("             %s:%u:%u\n", ig_policy_id(r.matched[m].policy),
                               r.matched[m].start_line, r.matched[m].start_column);
            }
        }
    jw_array_end(&w);
    jw_object_end(&w);
    if (json) {
        fwrite(out.data, 1, out.len, stdout);
        fputc('\n', stdout);
    }
    json_buf_free(&out);
    return EXIT_OK;
}

int cmd_aws_simulate(const sim_opts *o)
{
    aws_state *st = calloc(1, sizeof *st);
    ig_env *env = ig_env_new();
    if (!st || !env) {
        free(st);
        ig_env_free(env);
        return fail("out of memory%s", "");
    }
    int rc = run(o, st, env);
    ig_env_free(env);
    for (size_t i = 0; i < st->nowned; i++)
        ig_policy_free(st->owned[i]);
    for (size_t i = 0; i < 256; i++) {
        free(st->ctx_store[i]);
        json_doc_free(st->ctx_docs[i]);
    }
    free(st);
    return rc;
}
