/* seed.c - the analysis section of `iamguard check` for the built-in
 * imaging-viewer example: the account the seed's deployment leaves behind,
 * the effective permissions of the developer and of every role Amplify
 * creates, every escalation path from the developer, and a verdict per
 * claim of the seed document with its evidence.
 *
 * The model: the developer's role (ImagingDeveloper, signing in through
 * SAML) with the seed's developer policy as a managed policy; the
 * boundary; and the roles Amplify creates for environment "dev" (names and
 * trust policies from amplify-deploy.md): the auth and unauth roles
 * (trusting the Cognito identity pool), the -authRole-idp role, the user
 * pool client role and the viewer's own function role (trusting Lambda),
 * with the policies the scenario gives them.  It is one deployment, not a
 * whole account: roles of other applications may exist, and the analysis
 * says where that matters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/access.h"
#include "analyze/escalate/escalate.h"
#include "analyze/report.h"
#include "analyze/seed.h"
#include "check/check.h"
#include "policy/policy.h"
#include "util/alloc.h"

#define ACCT "123456789012"
#define STACK "amplify-imagingviewerui-dev-1a2b3"
#define BOUNDARY_ARN "arn:aws:iam::" ACCT ":policy/ImagingViewerPermissionsBoundary"
#define POOL "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

static const char TRUST_SAML[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
    "\"arn:aws:iam::" ACCT ":saml-provider/CorporateIdP\"},\"Action\":\"sts:AssumeRoleWithSAML\","
    "\"Condition\":{\"StringEquals\":{\"SAML:aud\":\"https://signin.aws.amazon.com/saml\"}}}]}";
static const char TRUST_LAMBDA[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
    "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
#define TRUST_COGNITO(AMR) \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":" \
    "\"cognito-identity.amazonaws.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":" \
    "{\"StringEquals\":{\"cognito-identity.amazonaws.com:aud\":\"" POOL "\"},\"ForAnyValue:StringLike\":" \
    "{\"cognito-identity.amazonaws.com:amr\":\"" AMR "\"}}}]}"
static const char ONLY_HEALTHIMAGING[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"medical-imaging:*\","
    "\"Resource\":\"*\"}]}";

/* ---- the model ------------------------------------------------------------------ */

static ig_policy *policy_of(ig_account *a, const chk_scenario *s, const char *name, ig_policy_type t)
{
    for (size_t i = 0; i < s->npolicies; i++) {
        if (strcmp(s->policies[i].name, name))
            continue;
        if (s->policies[i].compiled[t])
            return s->policies[i].compiled[t];
        /* Compiled there for another use only: from its canonical text. */
        for (int k = 0; k < IG_POLICY_TYPE_COUNT; k++) {
            const ig_policy *src = s->policies[i].compiled[k];
            if (!src)
                continue;
            char *json = ig_policy_to_json(src, false);
            ig_policy *p = json ? ig_policy_compile(json, strlen(json), t, name, NULL, NULL) : NULL;
            ig_free(json);
            return an_account_own(a, p) ? p : NULL;
        }
    }
    return NULL;
}

static an_principal *role(ig_account *a, const char *name, const char *trust, const char *desc)
{
    char arn[256];
    snprintf(arn, sizeof arn, "arn:aws:iam::" ACCT ":role/%s", name);
    an_principal *p = an_account_add_principal(a, AN_P_ROLE, name, arn);
    if (!p)
        return NULL;
    p->description = desc;
    p->trust = an_account_compile(a, trust, IG_POLICY_RESOURCE, "trust policy");
    return p->trust ? p : NULL;
}

static bool add_inline(ig_account *a, an_principal *p, ig_policy *pol)
{
    if (!pol)
        return false;
    ig_policy **n = ig_arena_alloc(&a->arena, (p->ninl + 1) * sizeof *n);
    if (!n)
        return false;
    if (p->ninl)
        memcpy(n, p->inl, p->ninl * sizeof *n);
    n[p->ninl++] = pol;
    p->inl = n;
    return true;
}

static bool managed(ig_account *a, const chk_scenario *s, const char *name)
{
    char arn[256];
    snprintf(arn, sizeof arn, "arn:aws:iam::" ACCT ":policy/%s", name);
    an_mpolicy *m = an_account_add_managed(a, arn, name);
    if (!m)
        return false;
    m->nversions = 1;
    m->version_ids[0] = "v1";
    m->versions[0] = policy_of(a, s, name, IG_POLICY_IDENTITY);
    m->boundary[0] = policy_of(a, s, name, IG_POLICY_BOUNDARY);
    return m->versions[0] && m->boundary[0];
}

int an_seed_account(ig_account **out, ig_diag *diag)
{
    *out = NULL;
    chk_scenario *s;
    chk_options opt;
    memset(&opt, 0, sizeof opt);
    int rc = chk_load_builtin("imaging-viewer/scenario.yml", &opt, &s, diag);
    if (rc != IG_OK)
        return rc;
    ig_account *a = ig_account_new();
    if (!a || !an_account_keep_scenario(a, s)) {
        chk_free(s);
        ig_account_free(a);
        return IG_E_NOMEM;
    }
    bool ok = managed(a, s, "ImagingViewerPermissionsBoundary") &&
              managed(a, s, "ImagingViewerDeveloperPolicy");
    an_principal *dev = ok ? role(a, "ImagingDeveloper", TRUST_SAML,
                                  "the developer running the Amplify CLI") : NULL;
    ok = dev && an_account_attach(a, dev, "arn:aws:iam::" ACCT ":policy/ImagingViewerDeveloperPolicy");
    static const struct {
        const char *name, *trust, *desc, *pol[2];
    } roles[] = {
        { STACK "-authRole", TRUST_COGNITO("authenticated"),
          "signed-in viewer users (Cognito identity pool)", { "AuthRoleReadPolicy", "AuthRoleWritePolicy" } },
        { STACK "-unauthRole", TRUST_COGNITO("unauthenticated"),
          "visitors who are not signed in (Cognito identity pool)", { NULL, NULL } },
        { STACK "-authRole-idp", TRUST_LAMBDA,
          "Amplify's custom resource that rewrites the auth/unauth trust policies",
          { "UpdateRolesWithIdpFunctionPolicy", NULL } },
        { "upClientLambdaRole1a2b3c4d1a2b3-dev", TRUST_LAMBDA, "Amplify's user pool client custom resource",
          { "UserPoolClientFunctionPolicy", NULL } },
        { "imagingvieweruiLambdaRole1a2b3c4d-dev", TRUST_LAMBDA,
          "the viewer's secureDeployBucket custom resource", { "SecureDeployBucketFunctionPolicy", NULL } },
    };
    for (size_t i = 0; ok && i < sizeof roles / sizeof roles[0]; i++) {
        an_principal *p = role(a, roles[i].name, roles[i].trust, roles[i].desc);
        ok = p && an_account_set_boundary(a, p, BOUNDARY_ARN);
        for (int k = 0; ok && k < 2 && roles[i].pol[k]; k++)
            ok = add_inline(a, p, policy_of(a, s, roles[i].pol[k], IG_POLICY_IDENTITY));
    }
    if (!ok) {
        ig_account_free(a);
        ig_diag_set(diag, IG_E_NOMEM, NULL, NULL, 0, 0, "cannot build the imaging-viewer model");
        return IG_E_NOMEM;
    }
    *out = a;
    return IG_OK;
}

/* ---- claims ----------------------------------------------------------------------- */

typedef struct {
    const char *id;
    const char *claim;          /* the seed's words */
    const char *source;         /* where it says so */
} claim;

typedef struct {
    an_ctx *c;
    ig_account *a;
    FILE *f;                    /* text, or NULL */
    json_writer *w;             /* JSON, or NULL */
} out;

static void claim_head(out *o, const claim *cl, ig_verdict v, const char *summary)
{
    if (o->f) {
        fprintf(o->f, "\n  %s  %s: %s\n", v == IG_VERDICT_PROVED ? "holds  " : v == IG_VERDICT_REFUTED
                                        ? "refuted" : "unknown", cl->id, cl->claim);
        fprintf(o->f, "      seed: %s\n      %s\n", cl->source, summary);
    } else {
        jw_object_begin(o->w);
        jw_kstring(o->w, "id", cl->id);
        jw_kstring(o->w, "claim", cl->claim);
        jw_kstring(o->w, "source", cl->source);
        jw_kstring(o->w, "verdict", v == IG_VERDICT_PROVED ? "holds" : ig_verdict_name(v));
        jw_kstring(o->w, "summary", summary);
        jw_key(o->w, "evidence");
        jw_array_begin(o->w);
    }
}

static void claim_end(out *o)
{
    if (o->w) {
        jw_array_end(o->w);
        jw_object_end(o->w);
    }
}

static void evidence(out *o, const an_check *r, const char *question)
{
    if (o->f) {
        char *buf = NULL;
        size_t n = 0;
        FILE *m = open_memstream(&buf, &n);
        if (!m)
            return;
        an_check_text(m, o->c, r, question);
        fclose(m);
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
            fprintf(o->f, "      %s\n", line);
        free(buf);
    } else {
        an_check_json(o->w, r, question);
    }
}

static void note(out *o, const char *text)
{
    if (o->f) {
        fprintf(o->f, "      note: %s\n", text);
    } else {
        jw_object_begin(o->w);
        jw_kstring(o->w, "note", text);
        jw_object_end(o->w);
    }
}

static ig_env *env_of(ig_account *a, const char *name)
{
    long i = ig_account_find(a, name);
    return i < 0 ? NULL : ig_account_env(a, (size_t)i, NULL);
}

static int not_granted(out *o, const ig_env *env, const char *const *acts, size_t n,
                       const char *resource, const an_kcons *kc, size_t nkc, an_check *r)
{
    uint64_t *filter = ig_calloc(o->c->words, sizeof *filter);
    if (!filter)
        return IG_E_NOMEM;
    const char *bad;
    an_action_filter(o->c, acts, n, filter, &bad);
    ig_arena A;
    ig_arena_init(&A);
    const lang_expr *res = NULL;
    if (resource) {
        lang_pat *lp = ig_arena_alloc(&A, sizeof *lp);
        const char *err;
        if (lp && lang_from_text(&A, resource, strlen(resource), lp, &err))
            res = lang_e_pat(&A, lp);
    }
    int rc = an_check_not_granted(o->c, env, filter, res, kc, nkc, NULL, r);
    ig_arena_free(&A);
    ig_free(filter);
    return rc;
}

/* Claim 1: "if the permissions boundary allows medical-imaging:*, and the
 * role policy allows *.*, the effective permissions of the role becomes
 * medical-imaging:*". */
static int claim_cap(out *o)
{
    static const claim cl = {
        "boundary-caps-to-healthimaging",
        "A role whose own policy allows everything, under the boundary, can do exactly medical-imaging:*.",
        "IAM Strategy: \"if the permissions boundary allows medical-imaging:*, and the role policy allows *.*, "
        "the effective permissions of the role becomes medical-imaging:*\"" };
    long b = an_account_find_managed(o->a, BOUNDARY_ARN);
    ig_policy *all = an_account_compile(o->a,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
        IG_POLICY_IDENTITY, "AllowEverything");
    ig_policy *hi = an_account_compile(o->a, ONLY_HEALTHIMAGING, IG_POLICY_IDENTITY, "medical-imaging:*");
    if (b < 0 || !all || !hi)
        return IG_E_NOMEM;
    const char *arn = "arn:aws:sts::" ACCT ":assumed-role/experimentLambdaRole/session";
    ig_env *capped = ig_env_new(), *only = ig_env_new();
    int rc = IG_E_NOMEM;
    an_check more, less;
    if (!capped || !only || ig_env_set_principal_arn(capped, arn, NULL, NULL) != IG_OK ||
        ig_env_set_principal_arn(only, arn, NULL, NULL) != IG_OK || ig_env_add_identity(capped, all) ||
        ig_env_set_boundary(capped, o->a->m[b].boundary[0]) || ig_env_add_identity(only, hi))
        goto out;
    if ((rc = an_check_no_new_access(o->c, only, capped, NULL, &more)) != IG_OK ||
        (rc = an_check_no_new_access(o->c, capped, only, NULL, &less)) != IG_OK)
        goto out;
    ig_verdict v = more.verdict == IG_VERDICT_PROVED && less.verdict == IG_VERDICT_PROVED
                   ? IG_VERDICT_PROVED
                   : more.verdict == IG_VERDICT_REFUTED || less.verdict == IG_VERDICT_REFUTED
                   ? IG_VERDICT_REFUTED : IG_VERDICT_UNKNOWN;
    an_effective e;
    char summary[600];
    if (an_effective_compute(o->c, capped, NULL, &e) == IG_OK) {
        uint32_t hi_n = 0;
        for (uint32_t g = 0; g < e.ngroups; g++)
            for (uint32_t i = 0; i < e.groups[g].nactions; i++)
                hi_n += !strncmp(o->c->names[e.groups[g].actions[i]], "medical-imaging:", 16);
        snprintf(summary, sizeof summary,
                 "the boundary lets through %u actions: the %u of medical-imaging and %u more "
                 "(its other five statements: S3, CloudFormation, Cognito, IAM, CloudWatch Logs)",
                 e.nallowed, hi_n, e.nallowed - hi_n);
        an_effective_free(&e);
    } else {
        snprintf(summary, sizeof summary, "see the evidence");
    }
    claim_head(o, &cl, v, summary);
    evidence(o, &more, "a role with a policy allowing everything, under the boundary, can do nothing "
                       "beyond medical-imaging:*");
    evidence(o, &less, "... and everything medical-imaging:* allows");
    if (v == IG_VERDICT_REFUTED)
        note(o, "the role's reach is the whole boundary, not medical-imaging:* -- including "
                "iam:UpdateAssumeRolePolicy on every amplify-*-authRole and amplify-*-unauthRole role "
                "of the account, and s3:PutBucketPublicAccessBlock on every amplify-*-deployment bucket");
    claim_end(o);
out:
    ig_env_free(capped);
    ig_env_free(only);
    return rc;
}

/* Claim 2: roles are created, and given policies, only with the boundary. */
static int claim_attach(out *o, const ig_env *dev)
{
    static const claim cl = {
        "boundary-required-on-create",
        "The developer can create a role, or give one permissions, only with the boundary attached.",
        "IAM Strategy: \"we grant iam:CreateRole, iam:AttachRolePolicy, etc. with the condition that the "
        "iam:PermissionsBoundary has to match our permissions boundary ARN\"" };
    static const char *const acts[] = {
        "iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreateUser",
        "iam:PutUserPolicy", "iam:AttachUserPolicy", "iam:PutRolePermissionsBoundary",
        "iam:PutUserPermissionsBoundary",
    };
    const size_t na = sizeof acts / sizeof acts[0];
    an_check absent, named, same, any;
    an_kcons k_absent[1] = { { AN_K_ABSENT, "iam:PermissionsBoundary", NULL } };
    an_kcons k_named[1] = { { AN_K_NOT_LIKE, "iam:PermissionsBoundary",
                              "arn:*:iam::*:policy/ImagingViewerPermissionsBoundary" } };
    an_kcons k_same[2] = { { AN_K_LIKE, "iam:PermissionsBoundary", "arn:aws:iam::" ACCT ":*" },
                           { AN_K_NOT_EQUALS, "iam:PermissionsBoundary", BOUNDARY_ARN } };
    an_kcons k_any[1] = { { AN_K_NOT_EQUALS, "iam:PermissionsBoundary", BOUNDARY_ARN } };
    int rc;
    if ((rc = not_granted(o, dev, acts, na, NULL, k_absent, 1, &absent)) ||
        (rc = not_granted(o, dev, acts, na, NULL, k_named, 1, &named)) ||
        (rc = not_granted(o, dev, acts, na, NULL, k_same, 2, &same)) ||
        (rc = not_granted(o, dev, acts, na, NULL, k_any, 1, &any)))
        return rc;
    ig_verdict v = absent.verdict == IG_VERDICT_PROVED && named.verdict == IG_VERDICT_PROVED &&
                   same.verdict == IG_VERDICT_PROVED ? IG_VERDICT_PROVED
                 : absent.verdict == IG_VERDICT_REFUTED || named.verdict == IG_VERDICT_REFUTED ||
                   same.verdict == IG_VERDICT_REFUTED ? IG_VERDICT_REFUTED : IG_VERDICT_UNKNOWN;
    claim_head(o, &cl, v, v == IG_VERDICT_PROVED
        ? "no request of these calls is allowed without a boundary, and every boundary allowed is a "
          "policy named ImagingViewerPermissionsBoundary -- in this account only the boundary itself"
        : "see the evidence");
    const char *q = "the developer can call iam:CreateRole, PutRolePolicy, AttachRolePolicy, CreateUser, "
                    "PutUserPolicy, AttachUserPolicy, Put{Role,User}PermissionsBoundary";
    char buf[600];
    snprintf(buf, sizeof buf, "%s only with iam:PermissionsBoundary present", q);
    evidence(o, &absent, buf);
    snprintf(buf, sizeof buf, "%s only with a boundary named ImagingViewerPermissionsBoundary", q);
    evidence(o, &named, buf);
    snprintf(buf, sizeof buf, "%s with no other policy of account " ACCT " as boundary", q);
    evidence(o, &same, buf);
    snprintf(buf, sizeof buf, "%s with no boundary other than " BOUNDARY_ARN, q);
    evidence(o, &any, buf);
    if (any.verdict == IG_VERDICT_REFUTED)
        note(o, "the condition is ArnLike \"arn:aws:iam::*:policy/ImagingViewerPermissionsBoundary\": it "
                "accepts a policy of that name in any account, and an \"aws\" account too (the "
                "counterexample above). IAM takes as boundary only a policy that exists in this account or "
                "an AWS managed one, and AWS manages no policy of that name, so this is no way around the "
                "boundary; ArnEquals with the one ARN would say exactly what is meant");
    note(o, "the developer policy grants iam:CreateRole and iam:PutRolePolicy only; iam:AttachRolePolicy, "
            "which the seed names, is not granted at all (proved above)");
    claim_end(o);
    return IG_OK;
}

/* Claim 3: the boundary cannot be removed, replaced or changed. */
static int claim_remove(out *o, const ig_env *dev)
{
    static const claim cl = {
        "boundary-cannot-be-removed",
        "The developer cannot remove or replace a role's boundary, nor change the boundary policy.",
        "IAM Strategy: \"To prevent users from updating, detaching, or removing the permissions boundary\"; "
        "Deny Permissions Boundary Deletion; Deny Policy Change" };
    static const char *const role_acts[] = {
        "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary",
        "iam:DeleteUserPermissionsBoundary", "iam:PutUserPermissionsBoundary",
    };
    static const char *const pol_acts[] = {
        "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion",
        "iam:DeletePolicy", "iam:DetachRolePolicy", "iam:DetachUserPolicy", "iam:DetachGroupPolicy",
    };
    an_check r1, r2;
    int rc;
    if ((rc = not_granted(o, dev, role_acts, 4, NULL, NULL, 0, &r1)) ||
        (rc = not_granted(o, dev, pol_acts, 7, NULL, NULL, 0, &r2)))
        return rc;
    ig_verdict v = r1.verdict == IG_VERDICT_PROVED && r2.verdict == IG_VERDICT_PROVED ? IG_VERDICT_PROVED
                 : r1.verdict == IG_VERDICT_REFUTED || r2.verdict == IG_VERDICT_REFUTED ? IG_VERDICT_REFUTED
                 : IG_VERDICT_UNKNOWN;
    claim_head(o, &cl, v, "no request of the calls that remove, replace or rewrite a boundary is allowed, "
                          "on any resource");
    evidence(o, &r1, "the developer can delete or put no permissions boundary of any role or user");
    evidence(o, &r2, "the developer can create, select or delete no policy version, delete no policy "
                     "and detach no policy");
    claim_end(o);
    return IG_OK;
}

/* Claim 4: the explicit denies are what prevents it. */
static int claim_denies(out *o, const ig_env *dev)
{
    static const claim cl = {
        "removal-explicitly-denied",
        "Explicit denies refuse removing, detaching or replacing the boundary, whatever else is granted.",
        "IAM Strategy: \"we set explicit denys for iam:DeleteRolePermissionsBoundary, iam:DetachRolePolicy, "
        "etc.\"" };
    /* The denies alone: the developer's policy plus a policy allowing
     * everything (what a later, broader grant would add). */
    ig_policy *all = an_account_compile(o->a,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
        IG_POLICY_IDENTITY, "a later grant of everything");
    long dp = an_account_find_managed(o->a, "arn:aws:iam::" ACCT ":policy/ImagingViewerDeveloperPolicy");
    ig_env *env = ig_env_new();
    if (!all || dp < 0 || !env)
        return IG_E_NOMEM;
    ig_env_set_principal_arn(env, "arn:aws:sts::" ACCT ":assumed-role/ImagingDeveloper/alice", NULL, NULL);
    ig_env_add_identity(env, o->a->m[dp].versions[0]);
    ig_env_add_identity(env, all);
    static const char *const detach[] = { "iam:DetachRolePolicy" };
    static const char *const replace[] = { "iam:PutRolePermissionsBoundary" };
    static const char *const del[] = { "iam:DeleteRolePermissionsBoundary" };
    an_kcons with_b[1] = { { AN_K_EQUALS, "iam:PermissionsBoundary", BOUNDARY_ARN } };
    an_kcons other_b[2] = { { AN_K_LIKE, "iam:PermissionsBoundary", "arn:aws:iam::" ACCT ":policy/*" },
                            { AN_K_NOT_EQUALS, "iam:PermissionsBoundary", BOUNDARY_ARN } };
    an_kcons detach_b[2] = { { AN_K_EQUALS, "iam:PolicyARN", BOUNDARY_ARN },
                             { AN_K_EQUALS, "iam:PermissionsBoundary", BOUNDARY_ARN } };
    an_check r_detach, r_replace, r_del;
    int rc;
    if ((rc = not_granted(o, env, detach, 1, "arn:aws:iam::" ACCT ":role/*", detach_b, 2, &r_detach)) ||
        (rc = not_granted(o, env, replace, 1, "arn:aws:iam::" ACCT ":role/*", other_b, 2, &r_replace)) ||
        (rc = not_granted(o, env, del, 1, "arn:aws:iam::" ACCT ":role/*", with_b, 1, &r_del))) {
        ig_env_free(env);
        return rc;
    }
    ig_verdict v = r_detach.verdict == IG_VERDICT_REFUTED || r_replace.verdict == IG_VERDICT_REFUTED ||
                   r_del.verdict == IG_VERDICT_REFUTED ? IG_VERDICT_REFUTED
                 : r_detach.verdict == IG_VERDICT_PROVED && r_replace.verdict == IG_VERDICT_PROVED &&
                   r_del.verdict == IG_VERDICT_PROVED ? IG_VERDICT_PROVED : IG_VERDICT_UNKNOWN;
    claim_head(o, &cl, v, v == IG_VERDICT_REFUTED
        ? "only deleting the boundary is denied explicitly; detaching and replacing it are refused only "
          "because nothing allows them, so a later broader grant would let them through"
        : "the denies refuse every such request on their own");
    evidence(o, &r_detach, "with the developer policy plus a grant of everything, iam:DetachRolePolicy of "
                           "the boundary policy from a role is still refused");
    evidence(o, &r_replace, "... iam:PutRolePermissionsBoundary with another policy of the account as "
                            "boundary is still refused");
    evidence(o, &r_del, "... iam:DeleteRolePermissionsBoundary on a role that carries the boundary is still "
                        "refused");
    note(o, "DenyPolicyChange names the boundary policy's ARN as Resource, but iam:DetachRolePolicy is "
            "authorized on the role's ARN (the policy comes as iam:PolicyARN), so that Deny never applies "
            "to it; and no Deny names iam:PutRolePermissionsBoundary");
    claim_end(o);
    ig_env_free(env);
    return IG_OK;
}

/* Claim 5: the boundary confines what the deployment's code can do; no
 * way around it -- the escalation analysis. */
static int claim_escalation(out *o, es_graph *g, const es_result *r)
{
    static const claim cl = {
        "no-way-around-the-boundary",
        "Code the developer deploys runs only with roles that carry the boundary: the developer cannot "
        "get past it.",
        "IAM Strategy (the purpose of enforcing the boundary on Amplify-created roles)" };
    unsigned beyond = 0, capped = 0;
    char first[1200] = "";
    for (size_t i = 0; i < r->nn; i++) {
        if (r->held[i] < 0 || i == r->start)
            continue;
        const es_key *k = &g->nodes[i].key;
        const an_principal *p = &g->a->p[k->p];
        bool outside = (size_t)k->p < g->npinfo && g->pinfo[k->p].unknown_perms;
        if (outside || (k->bnd == ES_BND_NONE) || (k->bnd == ES_BND_OWN && !p->boundary_arn && k->p != g->nodes[r->start].key.p)) {
            if (!beyond++)
                es_node_text(g, (uint32_t)i, first, sizeof first);
        } else {
            capped++;
        }
    }
    ig_verdict v = beyond ? IG_VERDICT_REFUTED : IG_VERDICT_PROVED;
    char summary[1600];
    if (beyond)
        snprintf(summary, sizeof summary,
                 "%u state%s reachable from the developer %s not capped by the boundary, e.g. %s -- see the "
                 "escalation paths above (each step a request the evaluator allows; the \"assumes\" lines say "
                 "what must exist in the account)", beyond, beyond == 1 ? "" : "s", beyond == 1 ? "is" : "are",
                 first);
    else
        snprintf(summary, sizeof summary, "every principal state the developer can reach (%u) is capped by "
                 "the boundary", capped);
    claim_head(o, &cl, v, summary);
    if (beyond)
        note(o, "the developer's own grants are not limited to the deployment: lambda:UpdateFunctionCode on "
                "every function of the account, iam:PassRole of amplify-*-authRole/-idp/-unauthRole roles to "
                "any service (no iam:PassedToService condition) and of any *LambdaRole* role to Lambda; and a "
                "role the developer creates under the boundary may still rewrite the trust policy of any "
                "amplify-*-authRole or -unauthRole role in the account, other applications' included");
    claim_end(o);
    return IG_OK;
}

/* ---- the report ---------------------------------------------------------------------- */

static const char *const AMPLIFY_ROLES[] = {
    STACK "-authRole", STACK "-unauthRole", STACK "-authRole-idp",
    "upClientLambdaRole1a2b3c4d1a2b3-dev", "imagingvieweruiLambdaRole1a2b3c4d-dev",
};

static int effective_of(out *o, const char *name, const char *title)
{
    ig_env *env = env_of(o->a, name);
    if (!env)
        return IG_E_NOMEM;
    an_effective e;
    int rc = an_effective_compute(o->c, env, NULL, &e);
    if (rc == IG_OK) {
        if (o->f) {
            fprintf(o->f, "\n");
            an_effective_text(o->f, o->c, &e, title);
        } else {
            an_effective_json(o->w, o->c, &e);
        }
        an_effective_free(&e);
    }
    ig_env_free(env);
    return rc;
}

int an_seed_report(an_ctx *c, FILE *f, json_writer *w)
{
    an_ctx_reset(c);
    ig_account *a;
    ig_diag d;
    int rc = an_seed_account(&a, &d);
    if (rc != IG_OK)
        return rc;
    out o = { c, a, f, w };
    es_graph g;
    es_result r;
    memset(&r, 0, sizeof r);
    bool have_graph = false;
    ig_env *dev = env_of(a, "ImagingDeveloper");
    if (!dev) {
        rc = IG_E_NOMEM;
        goto done;
    }
    if (f)
        fprintf(f, "analysis (iamguard effective, escalate and the access checks on the seed's policies)\n"
                   "  model: the developer role and the roles Amplify creates for environment dev, with the "
                   "boundary; one deployment, not a whole account\n");
    else {
        jw_key(w, "analysis");
        jw_object_begin(w);
        jw_key(w, "effective");
        jw_array_begin(w);
    }
    if ((rc = effective_of(&o, "ImagingDeveloper", "effective permissions of the developer:")))
        goto done;
    for (size_t i = 0; i < sizeof AMPLIFY_ROLES / sizeof AMPLIFY_ROLES[0]; i++)
        if ((rc = effective_of(&o, AMPLIFY_ROLES[i], "effective permissions of the Amplify role")))
            goto done;
    if (w) {
        jw_array_end(w);
        jw_key(w, "escalation");
    }
    if ((rc = es_init(&g, c, a)) != IG_OK)
        goto done;
    have_graph = true;
    es_key k = { .p = ig_account_find(a, "ImagingDeveloper"), .bnd = ES_BND_OWN };
    uint32_t n = es_node_of(&g, &k);
    if (n == UINT32_MAX || (rc = es_reach_from(&g, n, &r)) != IG_OK) {
        rc = rc ? rc : IG_E_NOMEM;
        goto done;
    }
    if (f) {
        fprintf(f, "\n");
        es_report_text(f, &g, &r, false);
        fprintf(f, "\nclaims of the seed document (deployment-security.md)\n");
    } else {
        es_report_json(w, &g, &r, false);
        jw_key(w, "claims");
        jw_array_begin(w);
    }
    if ((rc = claim_cap(&o)) || (rc = claim_attach(&o, dev)) || (rc = claim_remove(&o, dev)) ||
        (rc = claim_denies(&o, dev)) || (rc = claim_escalation(&o, &g, &r)))
        goto done;
    if (w) {
        jw_array_end(w);
        jw_object_end(w);
    }
done:
    if (have_graph) {
        es_result_free(&r);
        es_free(&g);
    }
    ig_env_free(dev);
    ig_account_free(a);
    return rc;
}
