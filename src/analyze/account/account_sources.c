/* account_sources.c - accounts from CloudFormation templates and from
 * iamguard scenarios, and telling the kinds of input apart.
 *
 * A template gives managed policies (one version each), roles with trust
 * policies, users and groups, as src/cfn resolves them; principals outside
 * the template that its policies attach to become principals too, with the
 * note that their other policies are unknown.  A scenario gives callers
 * (user or role-session ARNs) with identity policies, a boundary and a
 * session policy; a role-session caller becomes a role whose trust policy
 * the model does not know. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/account/account.h"
#include "cfn/cfn.h"
#include "check/check.h"
#include "policy/policy.h"
#include "util/alloc.h"
#include "util/file.h"

static const char UNKNOWN_OTHERS[] = "(other policies, outside the template)";

static int load_template(ig_account *a, const cfn_template *t, ig_diag *diag)
{
    long *mi = ig_arena_alloc(&a->arena, (t->npolicies + 1) * sizeof *mi);
    long *pi = ig_arena_alloc(&a->arena, (t->nprincipals + 1) * sizeof *pi);
    if (!mi || !pi)
        return IG_E_NOMEM;
    for (size_t i = 0; i < t->npolicies; i++) {
        const cfn_policy *cp = &t->policies[i];
        mi[i] = -1;
        if (cp->kind != CFN_MANAGED_POLICY)
            continue;
        an_account_note_id(a, cp->arn);
        if (an_account_find_managed(a, cp->arn) >= 0) {
            ig_diag_set(diag, IG_E_INPUT, t->file, t->text, t->len, cp->document->start,
                        "policy %s is declared twice", cp->arn);
            return IG_E_INPUT;
        }
        an_mpolicy *m = an_account_add_managed(a, cp->arn, cp->name);
        if (!m)
            return IG_E_NOMEM;
        m->nversions = 1;
        m->version_ids[0] = "v1";
        m->versions[0] = cfn_compile_policy(t, cp, IG_POLICY_IDENTITY, diag);
        if (!an_account_own(a, m->versions[0]))
            return diag && diag->code ? diag->code : IG_E_NOMEM;
        m->boundary[0] = cfn_compile_policy(t, cp, IG_POLICY_BOUNDARY, diag);
        if (!an_account_own(a, m->boundary[0]))
            return diag && diag->code ? diag->code : IG_E_NOMEM;
        mi[i] = (long)(a->nm - 1);
    }
    static const an_pkind kinds[] = { AN_P_ROLE, AN_P_USER, AN_P_GROUP };
    for (size_t i = 0; i < t->nprincipals; i++) {
        const cfn_principal *cp = &t->principals[i];
        an_principal *p = an_account_add_principal(a, kinds[cp->kind], cp->name, cp->arn);
        if (!p)
            return IG_E_NOMEM;
        pi[i] = (long)(a->np - 1);
        p->inl = ig_arena_alloc(&a->arena, (cp->npolicies + 1) * sizeof *p->inl);
        if (!p->inl)
            return IG_E_NOMEM;
        for (size_t k = 0; k < cp->npolicies; k++) {
            const cfn_policy *pol = &t->policies[cp->policies[k]];
            if (pol->kind == CFN_MANAGED_POLICY) {
                if (!an_account_attach(a, p, pol->arn))
                    return IG_E_NOMEM;
            } else if (pol->kind == CFN_INLINE_POLICY) {
                ig_policy *c = cfn_compile_policy(t, pol, IG_POLICY_IDENTITY, diag);
                if (!an_account_own(a, c))
                    return diag && diag->code ? diag->code : IG_E_NOMEM;
                p->inl[p->ninl++] = c;
            }
        }
        for (size_t k = 0; k < cp->nexternal; k++)
            if (!an_account_attach(a, p, cp->external_policy_arns[k]))
                return IG_E_NOMEM;
        if (cp->boundary_arn && !an_account_set_boundary(a, p, cp->boundary_arn))
            return IG_E_NOMEM;
        if (cp->kind == CFN_ROLE) {
            if (cp->trust_policy >= 0) {
                p->trust = cfn_compile_policy(t, &t->policies[cp->trust_policy], IG_POLICY_RESOURCE, diag);
                if (!an_account_own(a, p->trust))
                    return diag && diag->code ? diag->code : IG_E_NOMEM;
            } else {
                p->trust_unknown = true;
            }
        }
    }
    /* Group memberships name groups by logical id. */
    for (size_t i = 0; i < t->nprincipals; i++) {
        const cfn_principal *cp = &t->principals[i];
        if (!cp->ngroups)
            continue;
        an_principal *p = &a->p[pi[i]];
        p->groups = ig_arena_alloc(&a->arena, cp->ngroups * sizeof *p->groups);
        if (!p->groups)
            return IG_E_NOMEM;
        for (size_t g = 0; g < cp->ngroups; g++)
            for (size_t k = 0; k < t->nprincipals; k++)
                if (t->principals[k].kind == CFN_GROUP &&
                    !strcmp(t->principals[k].logical_id, cp->groups[g]))
                    p->groups[p->ngroups++] = (size_t)pi[k];
    }
    /* Principals outside the template that its policies attach to. */
    for (size_t i = 0; i < t->npolicies; i++) {
        const cfn_policy *cp = &t->policies[i];
        for (size_t k = 0; k < cp->nexternal_principals; k++) {
            const char *ext = cp->external_principals[k];   /* "role/NAME" */
            const char *slash = strchr(ext, '/');
            if (!slash)
                continue;
            an_pkind kind = !strncmp(ext, "role", 4) ? AN_P_ROLE
                          : !strncmp(ext, "user", 4) ? AN_P_USER : AN_P_GROUP;
            char arn[600];
            snprintf(arn, sizeof arn, "arn:aws:iam::%s:%s", a->account_id[0] ? a->account_id
                                                                          : "123456789012", ext);
            long e = an_account_find_principal(a, arn);
            an_principal *p = e >= 0 ? &a->p[e] : an_account_add_principal(a, kind, slash + 1, arn);
            if (!p)
                return IG_E_NOMEM;
            if (e < 0) {
                p->description = "outside the template";
                p->trust_unknown = kind == AN_P_ROLE;
                const char **nm = ig_arena_alloc(&a->arena, sizeof *nm);
                if (!nm)
                    return IG_E_NOMEM;
                nm[0] = UNKNOWN_OTHERS;
                p->missing = nm;
                p->nmissing = 1;
            }
            if (cp->kind == CFN_MANAGED_POLICY) {
                if (!an_account_attach(a, p, cp->arn))
                    return IG_E_NOMEM;
            } else {
                ig_policy *c = cfn_compile_policy(t, cp, IG_POLICY_IDENTITY, diag);
                ig_policy **ni = ig_arena_alloc(&a->arena, (p->ninl + 1) * sizeof *ni);
                if (!an_account_own(a, c) || !ni)
                    return IG_E_NOMEM;
                if (p->ninl)
                    memcpy(ni, p->inl, p->ninl * sizeof *ni);
                ni[p->ninl++] = c;
                p->inl = ni;
            }
        }
    }
    return IG_OK;
}

int an_account_load_cfn(ig_account *a, const char *path, ig_diag *diag)
{
    cfn_params params;
    memset(&params, 0, sizeof params);
    if (a->account_id[0])
        params.account = a->account_id;
    cfn_template *t;
    int rc = cfn_load_file(path, &params, &t, diag);
    if (rc != IG_OK)
        return rc;
    rc = load_template(a, t, diag);
    cfn_free(t);
    if (rc == IG_OK)
        a->nsources++;
    return rc;
}

/* ---- scenarios ------------------------------------------------------------------ */

/* arn:PART:sts::ACCT:assumed-role/ROLE/SESSION -> arn:PART:iam::ACCT:role/ROLE */
static bool role_of_session(const char *s, char *out, size_t cap, char *name, size_t ncap)
{
    const char *ar = strstr(s, ":assumed-role/");
    if (strncmp(s, "arn:", 4) || !ar)
        return false;
    const char *part = s + 4;
    size_t pl = strcspn(part, ":");
    const char *acct = ar;
    while (acct > s && acct[-1] != ':')
        acct--;
    const char *rn = ar + 14;
    size_t rl = strcspn(rn, "/");
    snprintf(out, cap, "arn:%.*s:iam::%.*s:role/%.*s", (int)pl, part, (int)(ar - acct), acct,
             (int)rl, rn);
    snprintf(name, ncap, "%.*s", (int)rl, rn);
    return true;
}

static ig_policy *scenario_policy(const chk_scenario *s, size_t i, ig_policy_type type)
{
    return s->policies[i].compiled[type];
}

int an_account_load_scenario(ig_account *a, const char *path, ig_diag *diag)
{
    chk_scenario *s;
    chk_options opt;
    memset(&opt, 0, sizeof opt);
    int rc = chk_load_file(path, &opt, &s, diag);
    if (rc != IG_OK)
        return rc;
    /* The scenario's compiled policies (with their positions) are used as
     * they are; the account keeps the scenario alive. */
    if (!an_account_keep_scenario(a, s)) {
        chk_free(s);
        return IG_E_NOMEM;
    }
    for (size_t i = 0; i < s->nprincipals && rc == IG_OK; i++) {
        const chk_principal *cp = &s->principals[i];
        char arn[1024], name[512];
        an_pkind kind = AN_P_USER;
        if (role_of_session(cp->arn, arn, sizeof arn, name, sizeof name)) {
            kind = AN_P_ROLE;
        } else {
            snprintf(arn, sizeof arn, "%s", cp->arn);
            const char *slash = strrchr(cp->arn, '/');
            snprintf(name, sizeof name, "%s", slash ? slash + 1 : cp->name);
        }
        if (an_account_find_principal(a, arn) >= 0)
            continue;               /* two callers of one role: keep the first */
        an_principal *p = an_account_add_principal(a, kind, name, arn);
        if (!p) {
            rc = IG_E_NOMEM;
            break;
        }
        p->description = an_account_strdup(a, cp->description);
        p->trust_unknown = kind == AN_P_ROLE;
        if (kind == AN_P_ROLE)
            p->caller_arn = an_account_strdup(a, cp->arn);
        p->inl = ig_arena_alloc(&a->arena, (cp->nidentity + 1) * sizeof *p->inl);
        if (!p->inl) {
            rc = IG_E_NOMEM;
            break;
        }
        for (size_t k = 0; k < cp->nidentity; k++) {
            ig_policy *c = scenario_policy(s, cp->identity[k], IG_POLICY_IDENTITY);
            if (c)
                p->inl[p->ninl++] = c;
        }
        if (cp->boundary >= 0) {
            /* The boundary is a managed policy named as the scenario names it. */
            const chk_policy *bp = &s->policies[cp->boundary];
            char barn[600];
            const char *acct = strstr(arn, "::");
            snprintf(barn, sizeof barn, "arn:aws:iam::%.12s:policy/%s", acct ? acct + 2 : "",
                     bp->name);
            if (an_account_find_managed(a, barn) < 0) {
                an_mpolicy *m = an_account_add_managed(a, barn, bp->name);
                if (!m) {
                    rc = IG_E_NOMEM;
                    break;
                }
                m->nversions = 1;
                m->version_ids[0] = "v1";
                m->boundary[0] = scenario_policy(s, cp->boundary, IG_POLICY_BOUNDARY);
                m->versions[0] = scenario_policy(s, cp->boundary, IG_POLICY_IDENTITY);
                if (!m->versions[0]) {
                    /* Never used as an identity policy there: compile one,
                     * without positions (its text is canonical JSON). */
                    char *json = ig_policy_to_json(m->boundary[0], false);
                    m->versions[0] = json ? ig_policy_compile(json, strlen(json), IG_POLICY_IDENTITY,
                                                              bp->name, NULL, NULL) : NULL;
                    ig_free(json);
                    if (!an_account_own(a, m->versions[0])) {
                        rc = IG_E_NOMEM;
                        break;
                    }
                }
            }
            if (!an_account_set_boundary(a, p, barn))
                rc = IG_E_NOMEM;
        }
    }
    if (rc == IG_OK)
        a->nsources++;
    return rc;
}

/* ---- which kind of file ---------------------------------------------------------- */

static bool has_key(const char *text, const char *key)
{
    return strstr(text, key) != NULL;
}

int ig_account_load_file(ig_account *a, const char *path, ig_diag *diag)
{
    if (!a || !path)
        return IG_E_INPUT;
    size_t len;
    const char *err;
    char *text = ig_read_file(path, IG_MAX_FILE, &len, &err);
    if (!text) {
        ig_diag_set(diag, IG_E_IO, path, NULL, 0, 0, "%s", err);
        return IG_E_IO;
    }
    int rc;
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    bool json_object = i < len && text[i] == '{';
    if (json_object && (has_key(text, "\"UserDetailList\"") || has_key(text, "\"RoleDetailList\"") ||
                        has_key(text, "\"GroupDetailList\"") ||
                        (has_key(text, "\"Policies\"") && has_key(text, "\"PolicyVersionList\""))))
        rc = an_account_load_authz(a, text, len, path, diag);
    else if (chk_document_kind(path) == CHK_DOC_TEMPLATE)
        rc = an_account_load_cfn(a, path, diag);
    else
        rc = an_account_load_scenario(a, path, diag);
    ig_free(text);
    return rc;
}

int ig_account_load_authz(ig_account *a, const char *json, size_t len, const char *file,
                          ig_diag *diag)
{
    if (!a || !json)
        return IG_E_INPUT;
    return an_account_load_authz(a, json, len, file, diag);
}
