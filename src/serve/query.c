/* query.c - the AWS IAM Query API at POST /: SimulateCustomPolicy and
 * SimulatePrincipalPolicy from form-encoded parameters (reference §8).
 *
 * Every parameter is read, checked against AWS's documented constraints,
 * and marked used; a parameter left unused is an error, so a typo never
 * silently changes a simulation.  Nothing is evaluated until the whole
 * request has been accepted. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/form.h"
#include "serve/query.h"
#include "serve/sigv4.h"

#define MAX_ACTIONS 1024
#define MAX_RESOURCES 1024
#define MAX_POLICY_CHARS 131072
#define MAX_ITEMS_DEFAULT 100

typedef struct {
    const char *name, *type;
    const char **values;
    size_t nvalues;             /* highest member index seen */
} ctx_entry;

typedef struct {
    const serve_ctx *c;
    serve_reply *r;
    form f;
    bool principal;             /* SimulatePrincipalPolicy */
    const char *policies[AWSSIM_MAX_POLICIES];
    size_t npolicies;
    const char *boundary[2];
    size_t nboundary;
    const char *actions[MAX_ACTIONS];
    size_t nactions;
    const char *resources[MAX_RESOURCES];
    size_t nresources;
    ctx_entry ctx[AWSSIM_MAX_CONTEXT];
    size_t nctx;
    const char *resource_policy, *resource_owner, *caller_arn, *source_arn;
    size_t max_items, start;
    const ig_env *base;         /* the principal, when not from a policy set */
} qreq;

static bool invalid(qreq *q, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool invalid(qreq *q, const char *code, const char *fmt, ...)
{
    char msg[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    query_error(q->r, 400, "Sender", code, msg);
    return false;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool check_length(qreq *q, const char *what, const char *v, size_t min, size_t max)
{
    char pa[SERVE_PREFIX_MAX + 4], pb[SERVE_PREFIX_MAX + 4];
    (void)pa; (void)pb;
    size_t n = utf8_chars(v);
    if (n >= min && n <= max)
        return true;
    char bounds[64];
    snprintf(bounds, sizeof bounds, "%zu and %zu", min, max);
    return invalid(q, "ValidationError",
                   "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length between %s",
                   serve_prefix(what, pa), bounds);
}

/* A scalar parameter with AWS's length bounds; NULL when absent. */
static bool get_scalar(qreq *q, const char *name, size_t min, size_t max, const char **out)
{
    *out = form_get(&q->f, name);
    return !*out || check_length(q, name, *out, min, max);
}

/* Name.member.N (N = 1..max, none missing) into out; "Name=" is an empty list. */
static bool get_list(qreq *q, const char *name, const char **out, size_t max,
                     size_t minlen, size_t maxlen, size_t *count)
{
    char pa[SERVE_PREFIX_MAX + 4], pb[SERVE_PREFIX_MAX + 4];
    (void)pa; (void)pb;
    const char *bare = form_get(&q->f, name);
    if (bare && bare[0])
        return invalid(q, "ValidationError", "%s is a list: send %s.member.1, %s.member.2, ...",
                       name, name, name);
    char prefix[96];
    snprintf(prefix, sizeof prefix, "%s.member.", name);
    size_t first, n = form_prefix_range(&q->f, prefix, &first), highest = 0;
    for (size_t i = 0; i < max; i++) out[i] = NULL;
    for (size_t i = first; i < first + n; i++) {
        form_pair *p = &q->f.pairs[i];
        const char *rest;
        size_t idx = form_member_index(p->name + strlen(prefix), max, &rest);
        if (!idx || *rest) {
            char lim[160];
            snprintf(lim, sizeof lim, "%zu", max);
            /* AWS CLI 2.9 turns a lone `--policy-input-list file://x` into
             * one member per character; say so rather than just "too many". */
            if (p->value_len == 1 && form_get(&q->f, "PolicyInputList.member.1") &&
                strlen(form_get(&q->f, "PolicyInputList.member.1")) == 1)
                snprintf(lim, sizeof lim, "%zu; the client split a policy into characters: "
                         "pass the policy inline, e.g. --policy-input-list \"$(cat policy.json)\"", max);
            return invalid(q, "ValidationError",
                           "invalid list member %s (members are numbered 1 to %s)", serve_prefix(p->name, pa), lim);
        }
        p->used = true;
        if (!check_length(q, p->name, p->value, minlen, maxlen)) return false;
        out[idx - 1] = p->value;
        if (idx > highest) highest = idx;
    }
    for (size_t i = 0; i < highest; i++)
        if (!out[i]) {
            char missing[128];
            snprintf(missing, sizeof missing, "%s%zu", prefix, i + 1);
            return invalid(q, "ValidationError", "list member %s is missing", missing);
        }
    *count = highest;
    return true;
}

static bool context_value(qreq *q, ctx_entry *e, form_pair *p, const char *rest)
{
    char pa[SERVE_PREFIX_MAX + 4], pb[SERVE_PREFIX_MAX + 4];
    (void)pa; (void)pb;
    const char *vrest;
    size_t m = form_member_index(rest, AWSSIM_MAX_CONTEXT_VALUES, &vrest);
    if (!m || *vrest)
        return invalid(q, "ValidationError",
                       "invalid list member %s (at most 256 values per context key)", serve_prefix(p->name, pa));
    if (!e->values) {
        e->values = ig_arena_alloc(&q->f.arena, AWSSIM_MAX_CONTEXT_VALUES * sizeof *e->values);
        if (!e->values) return invalid(q, "ServiceFailure", "out of memory");
    }
    e->values[m - 1] = p->value;
    if (m > e->nvalues) e->nvalues = m;
    return true;
}

/* ContextEntries.member.N.{ContextKeyName,ContextKeyType,ContextKeyValues.member.M} */
static bool get_context(qreq *q)
{
    char pa[SERVE_PREFIX_MAX + 4], pb[SERVE_PREFIX_MAX + 4];
    (void)pa; (void)pb;
    const char *bare = form_get(&q->f, "ContextEntries");
    if (bare && bare[0])
        return invalid(q, "ValidationError", "ContextEntries is a list: send ContextEntries.member.1.ContextKeyName, ...");
    static const char PREFIX[] = "ContextEntries.member.";
    size_t first, n = form_prefix_range(&q->f, PREFIX, &first);
    for (size_t i = first; i < first + n; i++) {
        form_pair *p = &q->f.pairs[i];
        const char *rest;
        size_t idx = form_member_index(p->name + sizeof PREFIX - 1, AWSSIM_MAX_CONTEXT, &rest);
        if (!idx)
            return invalid(q, "ValidationError",
                           "invalid list member %s (at most 256 context entries)", serve_prefix(p->name, pa));
        ctx_entry *e = &q->ctx[idx - 1];
        if (idx > q->nctx) q->nctx = idx;
        p->used = true;
        if (!strcmp(rest, ".ContextKeyName")) {
            if (!check_length(q, p->name, p->value, 5, 256)) return false;
            e->name = p->value;
        } else if (!strcmp(rest, ".ContextKeyType")) {
            if (!awssim_context_type_valid(p->value, p->value_len))
                return invalid(q, "ValidationError",
                               "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList]",
                               serve_prefix(p->value, pa), serve_prefix(p->name, pb));
            e->type = p->value;
        } else if (!strcmp(rest, ".ContextKeyValues")) {
            if (p->value[0])
                return invalid(q, "ValidationError", "%s is a list: send %s.member.1, ...",
                               serve_prefix(p->name, pa), serve_prefix(p->name, pb));
        } else if (!strncmp(rest, ".ContextKeyValues.member.", 25)) {
            if (!context_value(q, e, p, rest + 25)) return false;
        } else {
            p->used = false;    /* reported as an unknown parameter */
        }
    }
    for (size_t i = 0; i < q->nctx; i++) {
        ctx_entry *e = &q->ctx[i];
        char which[64];
        snprintf(which, sizeof which, "ContextEntries.member.%zu", i + 1);
        if (!e->name)
            return invalid(q, "InvalidInput", "%s needs a ContextKeyName", which);
        for (size_t k = 0; k < e->nvalues; k++)
            if (!e->values[k]) {
                char index[24];
                snprintf(index, sizeof index, "%zu", k + 1);
                return invalid(q, "ValidationError", "%s.ContextKeyValues.member.%s is missing",
                               which, index);
            }
    }
    return true;
}

static bool get_paging(qreq *q)
{
    char pa[SERVE_PREFIX_MAX + 4], pb[SERVE_PREFIX_MAX + 4];
    (void)pa; (void)pb;
    const char *mi, *marker;
    if (!get_scalar(q, "MaxItems", 1, 4, &mi) || !get_scalar(q, "Marker", 1, 320, &marker))
        return false;
    q->max_items = MAX_ITEMS_DEFAULT;
    if (mi) {
        char *end;
        long v = strtol(mi, &end, 10);
        if (*end || v < 1 || v > 1000 || mi[0] < '0' || mi[0] > '9')
            return invalid(q, "ValidationError",
                           "1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must be between 1 and 1000", mi);
        q->max_items = (size_t)v;
    }
    q->start = 0;
    if (marker) {
        size_t total = q->nactions * (q->nresources ? q->nresources : 1);
        char *end;
        unsigned long v = strtoul(marker, &end, 10);
        if (*end || marker[0] < '1' || marker[0] > '9' || v >= total)
            return invalid(q, "InvalidInput", "Marker \"%s\" does not come from this simulation",
                           serve_prefix(marker, pa));
        q->start = v;
    }
    return true;
}

static const char *const HANDLING_OPTIONS[] = {
    "EC2-Classic-InstanceStore", "EC2-Classic-EBS", "EC2-VPC-InstanceStore",
    "EC2-VPC-InstanceStore-Subnet", "EC2-VPC-EBS", "EC2-VPC-EBS-Subnet",
};

static bool read_params(qreq *q)
{
    char pa[SERVE_PREFIX_MAX + 4], pb[SERVE_PREFIX_MAX + 4];
    (void)pa; (void)pb;
    size_t nb = 0;
    if (!get_list(q, "PolicyInputList", q->policies, AWSSIM_MAX_POLICIES, 1, MAX_POLICY_CHARS, &q->npolicies) ||
        !get_list(q, "PermissionsBoundaryPolicyInputList", q->boundary, 2, 1, MAX_POLICY_CHARS, &nb) ||
        !get_list(q, "ActionNames", q->actions, MAX_ACTIONS, 3, 128, &q->nactions) ||
        !get_list(q, "ResourceArns", q->resources, MAX_RESOURCES, 1, 2048, &q->nresources) ||
        !get_scalar(q, "ResourcePolicy", 1, MAX_POLICY_CHARS, &q->resource_policy) ||
        !get_scalar(q, "ResourceOwner", 1, 2048, &q->resource_owner) ||
        !get_scalar(q, "CallerArn", 1, 2048, &q->caller_arn) ||
        !get_context(q))
        return false;
    q->nboundary = nb;
    /* AWS: "You can specify only the ARN of an IAM user" */
    if (q->caller_arn && (strncmp(q->caller_arn, "arn:", 4) || !strstr(q->caller_arn, ":iam::") ||
                          !strstr(q->caller_arn, ":user/")))
        return invalid(q, "InvalidInput", "CallerArn must be the ARN of an IAM user, got \"%s\"",
                       serve_prefix(q->caller_arn, pa));
    if (nb > 1)
        return invalid(q, "InvalidInput", "PermissionsBoundaryPolicyInputList takes at most one policy");
    const char *rho;
    if (!get_scalar(q, "ResourceHandlingOption", 1, 64, &rho)) return false;
    bool known = !rho;
    for (size_t i = 0; !known && i < sizeof HANDLING_OPTIONS / sizeof *HANDLING_OPTIONS; i++)
        known = !strcmp(rho, HANDLING_OPTIONS[i]);
    if (!known)
        return invalid(q, "InvalidInput", "unknown ResourceHandlingOption \"%s\"", rho);
    if (q->principal) {
        if (!get_scalar(q, "PolicySourceArn", 20, 2048, &q->source_arn)) return false;
        if (!q->source_arn)
            return invalid(q, "ValidationError",
                           "1 validation error detected: Value null at 'policySourceArn' failed to satisfy constraint: Member must not be null");
    } else if (!q->npolicies) {
        return invalid(q, "ValidationError",
                       "1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null");
    }
    if (!q->nactions)
        return invalid(q, "ValidationError",
                       "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
    if (!get_paging(q)) return false;
    const form_pair *u = form_first_unused(&q->f);
    if (u)
        return invalid(q, "InvalidInput", "unknown parameter %s for %s", serve_prefix(u->name, pa),
                       q->principal ? "SimulatePrincipalPolicy" : "SimulateCustomPolicy");
    return true;
}

static bool diag_error(qreq *q, const ig_diag *d)
{
    char msg[1024];
    ig_diag_format(d, msg, sizeof msg);
    /* "file:line:col: error: msg" reads well; plain messages have no file */
    return invalid(q, "InvalidInput", "%s", d->file[0] ? msg : d->msg);
}

static bool build(qreq *q, awssim *sim, const serve_sets *sets)
{
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (q->principal && q->base) {
        if (awssim_use_principal(sim, q->base, q->nboundary == 0, q->resource_policy == NULL, &d) != IG_OK)
            return diag_error(q, &d);
    } else if (q->principal) {
        const serve_set *set = serve_sets_find_principal(sets, q->source_arn);
        if (!set) {
            char msg[2200];
            char pa[SERVE_PREFIX_MAX + 4];
            snprintf(msg, sizeof msg, "PolicySourceArn %s is not the principal of a loaded policy set",
                     serve_prefix(q->source_arn, pa));
            query_error(q->r, 404, "Sender", "NoSuchEntity", msg);
            return false;
        }
        if (awssim_use_principal(sim, set->doc->env, q->nboundary == 0, q->resource_policy == NULL, &d) != IG_OK)
            return diag_error(q, &d);
    }
    if (awssim_set_caller(sim, q->caller_arn, q->resource_owner, q->resource_policy != NULL,
                          &AWSSIM_QUERY_NAMES, &d) != IG_OK)
        return diag_error(q, &d);
    for (size_t i = 0; i < q->npolicies; i++)
        if (awssim_add_policy(sim, IG_POLICY_IDENTITY, q->policies[i], strlen(q->policies[i]), NULL, &d) != IG_OK)
            return diag_error(q, &d);
    if (q->nboundary &&
        awssim_add_policy(sim, IG_POLICY_BOUNDARY, q->boundary[0], strlen(q->boundary[0]), NULL, &d) != IG_OK)
        return diag_error(q, &d);
    if (q->resource_policy &&
        awssim_add_policy(sim, IG_POLICY_RESOURCE, q->resource_policy, strlen(q->resource_policy), NULL, &d) != IG_OK)
        return diag_error(q, &d);
    for (size_t i = 0; i < q->nctx; i++) {
        const ctx_entry *e = &q->ctx[i];
        if (awssim_add_context(sim, e->name, e->values, e->nvalues, e->type,
                               e->type ? strlen(e->type) : 0, &d) != IG_OK)
            return diag_error(q, &d);
    }
    for (size_t i = 0; i < q->nactions; i++)
        if (awssim_check_action(q->actions[i], &AWSSIM_QUERY_NAMES, &d) != IG_OK)
            return diag_error(q, &d);
    return true;
}

static void respond(qreq *q, const awssim *sim)
{
    static const char *const star[] = { "*" };
    const char *const *res = q->nresources ? q->resources : star;
    size_t nres = q->nresources ? q->nresources : 1;
    size_t total = q->nactions * nres;
    size_t end = total - q->start < q->max_items ? total : q->start + q->max_items;
    const char *root = q->principal ? "SimulatePrincipalPolicyResponse" : "SimulateCustomPolicyResponse";
    const char *result = q->principal ? "SimulatePrincipalPolicyResult" : "SimulateCustomPolicyResult";
    xml_writer w;
    xw_init(&w, &q->r->body);
    xw_open_ns(&w, root, IAM_XMLNS);
    xw_open(&w, result);
    xw_open(&w, "EvaluationResults");
    ig_result r;
    for (size_t i = q->start; i < end; i++) {
        ig_request rq;
        awssim_request(sim, q->actions[i / nres], res[i % nres], &rq);
        ig_evaluate(awssim_env(sim), &rq, IG_EVAL_EXPLAIN, &r);
        q->r->decisions[r.decision]++;
        query_write_result(&w, sim, &rq, &r);
    }
    xw_close(&w);
    xw_bool(&w, "IsTruncated", end < total);
    if (end < total)
        xw_uint(&w, "Marker", end);
    xw_close(&w);
    xw_open(&w, "ResponseMetadata");
    xw_text(&w, "RequestId", q->r->request_id);
    xw_close(&w);
    xw_close(&w);
    json_buf_puts(&q->r->body, "\n");
    q->r->status = 200;
    q->r->content_type = "text/xml";
    if (q->r->body.failed)
        query_error(q->r, 500, "Receiver", "ServiceFailure", "out of memory");
}

static void simulate(qreq *q)
{
    if (!read_params(q))
        return;
    serve_sets *sets = q->base ? NULL : serve_store_acquire(q->c->store);
    awssim *sim = awssim_new();
    if (!sim)
        query_error(q->r, 500, "Receiver", "ServiceFailure", "out of memory");
    else if (build(q, sim, sets))
        respond(q, sim);
    awssim_free(sim);
    serve_sets_release(sets);
}

static bool form_content_type(const char *ct)
{
    static const char FORM[] = "application/x-www-form-urlencoded";
    if (!ct) return true;
    if (strncasecmp(ct, FORM, sizeof FORM - 1)) return false;
    char next = ct[sizeof FORM - 1];
    return next == '\0' || next == ';' || next == ' ';
}

void query_handle(const serve_ctx *c, const char *content_type, const char *authorization,
                  const char *body, size_t len, serve_reply *r)
{
    char why[200];
    r->detail = NULL;
    if (!authorization) {
        query_error(r, 403, "Sender", "MissingAuthenticationToken",
                    "Request is missing Authentication Token");
        return;
    }
    if (!sigv4_well_formed(authorization, why, sizeof why)) {
        query_error(r, 400, "Sender", "IncompleteSignature", why);
        return;
    }
    if (!form_content_type(content_type)) {
        query_error(r, 400, "Sender", "InvalidInput",
                    "the body must be application/x-www-form-urlencoded");
        return;
    }
    qreq *q = calloc(1, sizeof *q);
    if (!q) {
        query_error(r, 500, "Receiver", "ServiceFailure", "out of memory");
        return;
    }
    q->c = c;
    q->r = r;
    if (form_parse(&q->f, body, len, why, sizeof why) != 0) {
        query_error(r, 404, "Sender", "MalformedQueryString", why);
    } else {
        const char *action = form_get(&q->f, "Action");
        const char *version = form_get(&q->f, "Version");
        if (!action) {
            query_error(r, 400, "Sender", "MissingAction", "The request must contain the parameter Action");
        } else if (!version) {
            query_error(r, 400, "Sender", "MissingParameter", "The request must contain the parameter Version");
        } else if (strcmp(version, IAM_API_VERSION) ||
                   (strcmp(action, "SimulateCustomPolicy") && strcmp(action, "SimulatePrincipalPolicy"))) {
            char msg[400];
            snprintf(msg, sizeof msg, "Could not find operation %.128s for version %.32s (iamguard serves SimulateCustomPolicy and SimulatePrincipalPolicy of 2010-05-08)",
                     action, version);
            query_error(r, 400, "Sender", "InvalidAction", msg);
        } else {
            q->principal = !strcmp(action, "SimulatePrincipalPolicy");
            r->detail = q->principal ? "SimulatePrincipalPolicy" : "SimulateCustomPolicy";
            simulate(q);
        }
    }
    form_free(&q->f);
    free(q);
}

void query_simulate_principal(const ig_env *base, const char *body, size_t len, serve_reply *r)
{
    char why[200];
    qreq *q = calloc(1, sizeof *q);
    if (!q) {
        query_error(r, 500, "Receiver", "ServiceFailure", "out of memory");
        return;
    }
    q->r = r;
    q->principal = true;
    q->base = base;
    if (form_parse(&q->f, body, len, why, sizeof why) != 0) {
        query_error(r, 404, "Sender", "MalformedQueryString", why);
    } else {
        form_get(&q->f, "Action");      /* checked by the caller */
        form_get(&q->f, "Version");
        simulate(q);
    }
    form_free(&q->f);
    free(q);
}
