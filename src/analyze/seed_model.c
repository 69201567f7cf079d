/* seed_model.c - the account the seed's deployment leaves behind, built
 * from a scenario of its shape: the developer's role (ImagingDeveloper,
 * signing in through SAML) with the scenario developer's policies as
 * managed policies; the boundary; and the roles Amplify creates for
 * environment "dev" (names and trust policies from amplify-deploy.md): the
 * auth and unauth roles (trusting the Cognito identity pool), the
 * -authRole-idp role, the user pool client role and the viewer's own
 * function role (trusting Lambda), each under the boundary, with the
 * scenario's policies of the names the built-in example gives them.  It is
 * one deployment, not a whole account: roles of other applications may
 * exist, and the analysis says where that matters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/seed_int.h"
#include "policy/policy.h"
#include "util/alloc.h"

#define POOL "us-east-1:0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

static const char TRUST_SAML[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
    "\"arn:aws:iam::" SEED_ACCT ":saml-provider/CorporateIdP\"},\"Action\":\"sts:AssumeRoleWithSAML\","
    "\"Condition\":{\"StringEquals\":{\"SAML:aud\":\"https://signin.aws.amazon.com/saml\"}}}]}";
#define TRUST_LAMBDA \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":" \
    "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"
#define TRUST_COGNITO(AMR) \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":" \
    "\"cognito-identity.amazonaws.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":" \
    "{\"StringEquals\":{\"cognito-identity.amazonaws.com:aud\":\"" POOL "\"},\"ForAnyValue:StringLike\":" \
    "{\"cognito-identity.amazonaws.com:amr\":\"" AMR "\"}}}]}"

const seed_role_def SEED_ROLES[SEED_NROLES] = {
    { SEED_STACK "-authRole", TRUST_COGNITO("authenticated"),
      "signed-in viewer users (Cognito identity pool)", { "AuthRoleReadPolicy", "AuthRoleWritePolicy" } },
    { SEED_STACK "-unauthRole", TRUST_COGNITO("unauthenticated"),
      "visitors who are not signed in (Cognito identity pool)", { NULL, NULL } },
    { SEED_STACK "-authRole-idp", TRUST_LAMBDA,
      "Amplify's custom resource that rewrites the auth/unauth trust policies",
      { "UpdateRolesWithIdpFunctionPolicy", NULL } },
    { "upClientLambdaRole1a2b3c4d1a2b3-dev", TRUST_LAMBDA, "Amplify's user pool client custom resource",
      { "UserPoolClientFunctionPolicy", NULL } },
    { "imagingvieweruiLambdaRole1a2b3c4d-dev", TRUST_LAMBDA,
      "the viewer's secureDeployBucket custom resource", { "SecureDeployBucketFunctionPolicy", NULL } },
};

static long policy_index(const chk_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->npolicies; i++)
        if (!strcmp(s->policies[i].name, name))
            return (long)i;
    return -1;
}

const char *seed_policy_name(const chk_scenario *s, const char *name)
{
    long i = name ? policy_index(s, name) : -1;
    return i < 0 ? NULL : s->policies[i].name;
}

long seed_developer(const chk_scenario *s)
{
    for (size_t i = 0; i < s->nprincipals; i++)
        if (!strcmp(s->principals[i].name, "developer"))
            return (long)i;
    return -1;
}

long seed_role(const ig_account *a, size_t i)
{
    for (size_t k = 0; k < a->np; k++)
        if (a->p[k].description == SEED_ROLES[i].desc)
            return (long)k;
    return -1;
}

bool an_seed_applies(const chk_scenario *s)
{
    return s && policy_index(s, SEED_BOUNDARY) >= 0 && policy_index(s, SEED_DEVPOL) >= 0 &&
           seed_developer(s) >= 0;
}

ig_policy *seed_policy(ig_account *a, const chk_scenario *s, const char *name, ig_policy_type t)
{
    long i = policy_index(s, name);
    if (i < 0)
        return NULL;
    const chk_policy *sp = &s->policies[i];
    if (sp->compiled[t])
        return sp->compiled[t];
    /* Compiled there for another use only: from its canonical text. */
    for (int k = 0; k < IG_POLICY_TYPE_COUNT; k++) {
        const ig_policy *src = sp->compiled[k];
        if (!src)
            continue;
        char *json = ig_policy_to_json(src, false);
        ig_policy *p = json ? ig_policy_compile(json, strlen(json), t, name, NULL, NULL) : NULL;
        ig_free(json);
        return an_account_own(a, p) ? p : NULL;
    }
    /* Compiled for no use (a policy no principal of the scenario has):
     * from its document, with its positions. */
    if (sp->cfn || !sp->doc)
        return NULL;
    ig_policy *p = ig_policy_compile_value(sp->doc, sp->text, sp->len, t, sp->name, sp->file, NULL);
    return an_account_own(a, p) ? p : NULL;
}

static an_principal *role(ig_account *a, const char *name, const char *trust, const char *desc)
{
    char arn[256];
    snprintf(arn, sizeof arn, "arn:aws:iam::" SEED_ACCT ":role/%s", name);
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

/* A scenario policy as a managed policy of the account (once). */
static bool managed(ig_account *a, const chk_scenario *s, const char *name)
{
    char arn[256];
    snprintf(arn, sizeof arn, "arn:aws:iam::" SEED_ACCT ":policy/%s", name);
    if (an_account_find_managed(a, arn) >= 0)
        return true;
    an_mpolicy *m = an_account_add_managed(a, arn, name);
    if (!m)
        return false;
    m->nversions = 1;
    m->version_ids[0] = "v1";
    m->versions[0] = seed_policy(a, s, name, IG_POLICY_IDENTITY);
    m->boundary[0] = seed_policy(a, s, name, IG_POLICY_BOUNDARY);
    return m->versions[0] && m->boundary[0];
}

/* The name of the role the scenario's principal with policy `pol` calls
 * as ("arn:aws:sts::ACCT:assumed-role/NAME/SESSION"), else `dflt`: the
 * model's roles are the scenario's, so that a policy naming them exactly
 * names roles of the model. */
static const char *role_name(ig_account *a, const chk_scenario *s, const char *pol, const char *dflt)
{
    static const char prefix[] = "arn:aws:sts::" SEED_ACCT ":assumed-role/";
    long pi = pol ? policy_index(s, pol) : -1;
    for (size_t i = 0; pi >= 0 && i < s->nprincipals; i++) {
        const chk_principal *p = &s->principals[i];
        bool has = false;
        for (size_t k = 0; k < p->nidentity; k++)
            has |= p->identity[k] == (size_t)pi;
        if (!has || !p->arn || strncmp(p->arn, prefix, sizeof prefix - 1))
            continue;
        const char *name = p->arn + sizeof prefix - 1, *end = strchr(name, '/');
        if (!end || end == name || end - name > 64)
            continue;
        char buf[80];
        snprintf(buf, sizeof buf, "%.*s", (int)(end - name), name);
        return an_account_strdup(a, buf);
    }
    return dflt;
}

static bool build(ig_account *a, const chk_scenario *s)
{
    const chk_principal *d = &s->principals[seed_developer(s)];
    char arn[256];
    if (!managed(a, s, SEED_BOUNDARY) || !managed(a, s, SEED_DEVPOL))
        return false;
    an_principal *dev = role(a, SEED_DEV_ROLE, TRUST_SAML, "the developer running the Amplify CLI");
    if (!dev)
        return false;
    for (size_t i = 0; i < d->nidentity; i++) {
        const char *name = s->policies[d->identity[i]].name;
        snprintf(arn, sizeof arn, "arn:aws:iam::" SEED_ACCT ":policy/%s", name);
        if (!managed(a, s, name) || !an_account_attach(a, dev, arn))
            return false;
    }
    if (d->boundary >= 0) {
        const char *name = s->policies[d->boundary].name;
        snprintf(arn, sizeof arn, "arn:aws:iam::" SEED_ACCT ":policy/%s", name);
        if (!managed(a, s, name) || !an_account_set_boundary(a, dev, arn))
            return false;
    }
    for (size_t i = 0; i < SEED_NROLES; i++) {
        const char *name = role_name(a, s, SEED_ROLES[i].pol[0], SEED_ROLES[i].name);
        if (!name)
            return false;
        an_principal *p = role(a, name, SEED_ROLES[i].trust, SEED_ROLES[i].desc);
        if (!p || !an_account_set_boundary(a, p, SEED_BOUNDARY_ARN))
            return false;
        for (int k = 0; k < 2 && SEED_ROLES[i].pol[k]; k++)
            if (policy_index(s, SEED_ROLES[i].pol[k]) >= 0 &&
                !add_inline(a, p, seed_policy(a, s, SEED_ROLES[i].pol[k], IG_POLICY_IDENTITY)))
                return false;
    }
    return true;
}

int an_seed_account_of(const chk_scenario *s, ig_account **out, ig_diag *diag)
{
    *out = NULL;
    if (!an_seed_applies(s)) {
        ig_diag_set(diag, IG_E_INPUT, s ? s->file : NULL, NULL, 0, 0,
                    "the scenario has not the seed's shape (policies " SEED_BOUNDARY " and " SEED_DEVPOL
                    ", principal developer)");
        return IG_E_INPUT;
    }
    ig_account *a = ig_account_new();
    if (!a || !build(a, s)) {
        ig_account_free(a);
        ig_diag_set(diag, IG_E_NOMEM, s->file, NULL, 0, 0, "cannot build the imaging-viewer model");
        return IG_E_NOMEM;
    }
    *out = a;
    return IG_OK;
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
    rc = an_seed_account_of(s, out, diag);
    if (rc != IG_OK) {
        chk_free(s);
        return rc;
    }
    if (!an_account_keep_scenario(*out, s)) {
        chk_free(s);
        ig_account_free(*out);
        *out = NULL;
        return IG_E_NOMEM;
    }
    return IG_OK;
}
