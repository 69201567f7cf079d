/* cmd_simulate_aws.c - `iamguard simulate` with the flags of
 * `aws iam simulate-custom-policy`; output in the AWS API's JSON shape.
 * The simulator's rules live in src/awssim/ (shared with `iamguard serve`);
 * this file parses the AWS CLI's flag syntax and prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awssim/awssim.h"
#include "cli/cli.h"
#include "cli/simulate_opts.h"
#include "iamguard.h"
#include "json/json.h"
#include "util/file.h"

#define MAX_CTX_VALUES AWSSIM_MAX_CONTEXT_VALUES

static int fail(const char *fmt, const char *arg)
{
    fprintf(stderr, "iamguard simulate: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return EXIT_BAD_INPUT;
}

static int fail_diag(const ig_diag *d)
{
    return fail("%s", d->msg);
}

/* POLICY is inline JSON or file://path, as the AWS CLI takes it. */
static int add_arg_policy(awssim *sim, const char *arg, ig_policy_type t)
{
    ig_diag d;
    int rc;
    if (!strncmp(arg, "file://", 7)) {
        size_t len;
        const char *err;
        char *text = ig_read_file(arg + 7, IG_MAX_FILE, &len, &err);
        if (!text) {
            fprintf(stderr, "%s: error: %s\n", arg + 7, err);
            return EXIT_BAD_INPUT;
        }
        rc = awssim_add_policy(sim, t, text, len, arg + 7, &d);
        free(text);
    } else {
        rc = awssim_add_policy(sim, t, arg, strlen(arg), NULL, &d);
    }
    if (rc != IG_OK) {
        cli_print_diag(&d);
        return EXIT_BAD_INPUT;
    }
    return 0;
}

static int add_context(awssim *sim, const char *key, const char *const *vals, size_t n,
                       const char *type, size_t typelen)
{
    ig_diag d;
    if (awssim_add_context(sim, key, vals, n, type, typelen, &d) != IG_OK)
        return fail_diag(&d);
    return 0;
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

/* ContextKeyName=k,ContextKeyValues=v1,v2,ContextKeyType=t */
static int parse_shorthand_in(awssim *sim, const char *arg, char *buf)
{
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
    return add_context(sim, name, vals, nv, type, typelen);
}

static int parse_shorthand(awssim *sim, const char *arg)
{
    char *buf = strdup(arg);
    if (!buf) return fail("out of memory%s", "");
    int rc = parse_shorthand_in(sim, arg, buf);
    free(buf);
    return rc;
}

static int parse_json_contexts_in(awssim *sim, const json_value *root)
{
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
        int rc = add_context(sim, name->u.str, vals, values->len,
                             type && type->kind == JSON_STRING ? type->u.str : NULL,
                             type && type->kind == JSON_STRING ? type->len : 0);
        if (rc) return rc;
    }
    return 0;
}

static int parse_json_contexts(awssim *sim, const char *arg)
{
    json_error je;
    json_doc *d = json_parse(arg, strlen(arg), NULL, &je);
    if (!d) return fail("--context-entries: invalid JSON: %s", je.msg);
    int rc = parse_json_contexts_in(sim, json_root(d));
    json_doc_free(d);
    return rc;
}

static int run(const sim_opts *o, awssim *sim)
{
    if (!o->npolicies) return fail("--policy-input-list is required%s", "");
    if (!o->nactions) return fail("--action-names is required%s", "");
    ig_diag d;
    if (awssim_set_caller(sim, o->caller_arn, o->resource_owner, o->resource_policy != NULL,
                          &AWSSIM_CLI_NAMES, &d) != IG_OK)
        return fail_diag(&d);
    int rc;
    for (size_t i = 0; i < o->npolicies; i++)
        if ((rc = add_arg_policy(sim, o->policies[i], IG_POLICY_IDENTITY)))
            return rc;
    if (o->boundary && (rc = add_arg_policy(sim, o->boundary, IG_POLICY_BOUNDARY)))
        return rc;
    if (o->resource_policy && (rc = add_arg_policy(sim, o->resource_policy, IG_POLICY_RESOURCE)))
        return rc;
    for (size_t i = 0; i < o->ncontexts; i++) {
        rc = o->contexts[i][0] == '[' ? parse_json_contexts(sim, o->contexts[i])
                                      : parse_shorthand(sim, o->contexts[i]);
        if (rc) return rc;
    }
    for (size_t i = 0; i < o->nactions; i++)
        if (awssim_check_action(o->actions[i], &AWSSIM_CLI_NAMES, &d) != IG_OK)
            return fail_diag(&d);
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
            ig_request rq;
            awssim_request(sim, o->actions[a], res[k], &rq);
            ig_evaluate(awssim_env(sim), &rq, IG_EVAL_EXPLAIN, &r);
            if (json) {
                awssim_write_json_result(&w, &rq, &r);
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
    awssim *sim = awssim_new();
    if (!sim)
        return fail("out of memory%s", "");
    int rc = run(o, sim);
    awssim_free(sim);
    return rc;
}
