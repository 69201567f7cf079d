/* account.c - the account model: adding principals and managed policies,
 * attaching them, and the environment a principal calls with.  Principals
 * call as AWS shows them to policies: a user by its ARN, a role as a
 * session of it (arn:aws:sts::ACCOUNT:assumed-role/NAME/iamguard), a group
 * through a member that has only the group's policies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/account/account.h"
#include "check/check.h"
#include "policy/policy.h"
#include "util/alloc.h"

#define ADMIN_ARN "arn:aws:iam::aws:policy/AdministratorAccess"
static const char ADMIN_DOC[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
    "\"Resource\":\"*\"}]}";

ig_account *ig_account_new(void)
{
    ig_account *a = ig_calloc(1, sizeof *a);
    if (a)
        ig_arena_init(&a->arena);
    return a;
}

void ig_account_free(ig_account *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nowned; i++)
        ig_policy_free(a->owned[i]);
    for (size_t i = 0; i < a->nscenarios; i++)
        chk_free(a->scenarios[i]);
    ig_free(a->scenarios);
    ig_free(a->owned);
    ig_free(a->p);
    ig_free(a->m);
    ig_free(a->pending);
    ig_free(a->pidx);
    ig_free(a->midx);
    ig_arena_free(&a->arena);
    ig_free(a);
}

char *an_account_strdup(ig_account *a, const char *s)
{
    return s ? ig_arena_strndup(&a->arena, s, strlen(s)) : NULL;
}

bool an_account_keep_scenario(ig_account *a, struct chk_scenario *s)
{
    struct chk_scenario **ns = ig_realloc(a->scenarios, (a->nscenarios + 1) * sizeof *ns);
    if (!ns)
        return false;
    a->scenarios = ns;
    a->scenarios[a->nscenarios++] = s;
    return true;
}

bool an_account_own(ig_account *a, ig_policy *p)
{
    if (!p)
        return false;
    if (a->nowned == a->owncap) {
        size_t nc = a->owncap ? a->owncap * 2 : 64;
        ig_policy **np = ig_realloc(a->owned, nc * sizeof *np);
        if (!np) {
            ig_policy_free(p);
            return false;
        }
        a->owned = np;
        a->owncap = nc;
    }
    a->owned[a->nowned++] = p;
    return true;
}

ig_policy *an_account_compile(ig_account *a, const char *json, ig_policy_type type,
                              const char *id)
{
    ig_policy *p = ig_policy_compile(json, strlen(json), type, id, NULL, NULL);
    return an_account_own(a, p) ? p : NULL;
}

void an_account_note_id(ig_account *a, const char *arn)
{
    /* arn:PART:SVC:REGION:ACCOUNT:... */
    if (a->account_id[0] || !arn || strncmp(arn, "arn:", 4))
        return;
    const char *p = arn;
    for (int i = 0; i < 4 && p; i++) {
        p = strchr(p, ':');
        if (p) p++;
    }
    if (!p)
        return;
    size_t n = strcspn(p, ":");
    if (n == 12 && n < sizeof a->account_id) {
        memcpy(a->account_id, p, n);
        a->account_id[n] = '\0';
    }
}

an_principal *an_account_add_principal(ig_account *a, an_pkind kind, const char *name,
                                       const char *arn)
{
    if (a->np >= AN_MAX_PRINCIPALS)
        return NULL;
    an_principal *grown = ig_grow(a->p, &a->pcap, a->np, sizeof *grown, 64);
    if (!grown)
        return NULL;
    a->p = grown;
    an_principal *p = &a->p[a->np];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->boundary = -1;
    p->name = an_account_strdup(a, name);
    p->arn = an_account_strdup(a, arn);
    if (!p->name || !p->arn)
        return NULL;
    an_account_note_id(a, arn);
    char buf[1024];
    if (kind == AN_P_ROLE) {
        /* arn:PART:iam::ACCT:role/path/NAME -> arn:PART:sts::ACCT:assumed-role/NAME/iamguard */
        const char *acct = strstr(arn, "::");
        const char *part = arn + 4;
        size_t pl = strcspn(part, ":");
        size_t al = acct ? strcspn(acct + 2, ":") : 0;
        snprintf(buf, sizeof buf, "arn:%.*s:sts::%.*s:assumed-role/%s/iamguard", (int)pl, part,
                 (int)al, acct ? acct + 2 : "", name);
        p->caller_arn = an_account_strdup(a, buf);
    } else if (kind == AN_P_GROUP) {
        const char *acct = strstr(arn, "::");
        size_t al = acct ? strcspn(acct + 2, ":") : 0;
        snprintf(buf, sizeof buf, "arn:aws:iam::%.*s:user/iamguard-member-of-%s", (int)al,
                 acct ? acct + 2 : "", name);
        p->caller_arn = an_account_strdup(a, buf);
    } else {
        p->caller_arn = p->arn;
    }
    if (!p->caller_arn)
        return NULL;
    a->np++;
    return p;
}

an_mpolicy *an_account_add_managed(ig_account *a, const char *arn, const char *name)
{
    if (a->nm >= AN_MAX_MANAGED)
        return NULL;
    an_mpolicy *grown = ig_grow(a->m, &a->mcap, a->nm, sizeof *grown, 64);
    if (!grown)
        return NULL;
    a->m = grown;
    an_mpolicy *m = &a->m[a->nm];
    memset(m, 0, sizeof *m);
    m->arn = an_account_strdup(a, arn);
    m->name = an_account_strdup(a, name);
    if (!m->arn || !m->name)
        return NULL;
    m->aws_managed = !strncmp(arn, "arn:aws:iam::aws:", 17);
    a->nm++;
    return m;
}

static uint64_t arn_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* An index of ARNs (entries 0..n-1 of an array whose i-th ARN is
 * arn_of(i)), brought up to `n` entries; rebuilt when entries went away
 * (the escalation graph takes the principals it added out again) or when
 * the ARNs moved (canonical order). */
typedef const char *(*arn_fn)(const ig_account *a, size_t i);

static const char *principal_arn(const ig_account *a, size_t i) { return a->p[i].arn; }
static const char *policy_arn(const ig_account *a, size_t i) { return a->m[i].arn; }

static void idx_put(uint32_t *t, size_t cap, const char *arn, size_t i)
{
    size_t j = arn_hash(arn) & (cap - 1);
    while (t[j])
        j = (j + 1) & (cap - 1);
    t[j] = (uint32_t)i + 1;
}

static bool idx_sync(const ig_account *a, uint32_t **t, size_t *cap, size_t *have, size_t n,
                     arn_fn arn_of)
{
    if (*have > n || (n + 1) * 2 > *cap) {
        size_t nc = *cap ? *cap : 256;
        while ((n + 1) * 2 > nc)
            nc *= 2;
        uint32_t *nt = ig_calloc(nc, sizeof *nt);
        if (!nt)
            return false;
        ig_free(*t);
        *t = nt;
        *cap = nc;
        *have = 0;
    }
    for (; *have < n; (*have)++)
        idx_put(*t, *cap, arn_of(a, *have), *have);
    return true;
}

static long idx_find(const ig_account *a, const uint32_t *t, size_t cap, const char *arn,
                     arn_fn arn_of)
{
    for (size_t j = arn_hash(arn) & (cap - 1); t[j]; j = (j + 1) & (cap - 1))
        if (!strcmp(arn_of(a, t[j] - 1), arn))
            return (long)(t[j] - 1);
    return -1;
}

void an_account_reindex(ig_account *a)
{
    a->pidx_n = a->midx_n = SIZE_MAX;   /* rebuild on next use */
}

long an_account_find_managed(const ig_account *a, const char *arn)
{
    ig_account *w = (ig_account *)a;    /* the index is a cache */
    if (!idx_sync(a, &w->midx, &w->midx_cap, &w->midx_n, a->nm, policy_arn)) {
        for (size_t i = 0; i < a->nm; i++)
            if (!strcmp(a->m[i].arn, arn))
                return (long)i;
        return -1;
    }
    return idx_find(a, a->midx, a->midx_cap, arn, policy_arn);
}

long an_account_find_arn(const ig_account *a, const char *arn)
{
    ig_account *w = (ig_account *)a;
    if (!idx_sync(a, &w->pidx, &w->pidx_cap, &w->pidx_n, a->np, principal_arn)) {
        for (size_t i = 0; i < a->np; i++)
            if (!strcmp(a->p[i].arn, arn))
                return (long)i;
        return -1;
    }
    return idx_find(a, a->pidx, a->pidx_cap, arn, principal_arn);
}

long an_account_admin_policy(ig_account *a)
{
    long i = an_account_find_managed(a, ADMIN_ARN);
    if (i >= 0)
        return i;
    an_mpolicy *m = an_account_add_managed(a, ADMIN_ARN, "AdministratorAccess");
    if (!m)
        return -1;
    m->nversions = 1;
    m->version_ids[0] = "v1";
    m->versions[0] = an_account_compile(a, ADMIN_DOC, IG_POLICY_IDENTITY, ADMIN_ARN);
    m->boundary[0] = an_account_compile(a, ADMIN_DOC, IG_POLICY_BOUNDARY, ADMIN_ARN);
    if (!m->versions[0] || !m->boundary[0]) {
        a->nm--;
        return -1;
    }
    return (long)(a->nm - 1);
}

long an_account_find_principal(const ig_account *a, const char *s)
{
    /* ARNs are unique; ARNs come first (a principal named by one). */
    long hit = an_account_find_arn(a, s);
    if (hit >= 0)
        return hit;
    for (size_t i = 0; i < a->np; i++)
        if (!strcmp(a->p[i].caller_arn, s))
            return (long)i;
    /* A role session of a known role: arn:PART:sts::ACCT:assumed-role/NAME/SESSION */
    const char *ar = strstr(s, ":assumed-role/");
    if (ar) {
        const char *name = ar + 14;
        size_t n = strcspn(name, "/");
        for (size_t i = 0; i < a->np; i++)
            if (a->p[i].kind == AN_P_ROLE && strlen(a->p[i].name) == n &&
                !memcmp(a->p[i].name, name, n))
                return (long)i;
    }
    long found = -1;
    for (size_t i = 0; i < a->np; i++)
        if (!strcmp(a->p[i].name, s)) {
            if (found >= 0)
                return -2;          /* ambiguous: a user and a role of one name */
            found = (long)i;
        }
    return found;
}

static bool push_missing(ig_account *a, an_principal *p, const char *arn)
{
    const char **nm = ig_arena_alloc(&a->arena, (p->nmissing + 1) * sizeof *nm);
    if (!nm)
        return false;
    if (p->nmissing)
        memcpy(nm, p->missing, p->nmissing * sizeof *nm);
    nm[p->nmissing] = an_account_strdup(a, arn);
    if (!nm[p->nmissing])
        return false;
    p->missing = nm;
    p->nmissing++;
    return true;
}

bool an_account_attach(ig_account *a, an_principal *p, const char *arn)
{
    long m = an_account_find_managed(a, arn);
    if (m < 0 && !strcmp(arn, ADMIN_ARN))
        m = an_account_admin_policy(a);
    if (m < 0)
        return push_missing(a, p, arn);
    size_t *na = ig_arena_alloc(&a->arena, (p->nattached + 1) * sizeof *na);
    if (!na)
        return false;
    if (p->nattached)
        memcpy(na, p->attached, p->nattached * sizeof *na);
    na[p->nattached++] = (size_t)m;
    p->attached = na;
    return true;
}

bool an_account_set_boundary(ig_account *a, an_principal *p, const char *arn)
{
    p->boundary_arn = an_account_strdup(a, arn);
    p->boundary = an_account_find_managed(a, arn);
    if (p->boundary < 0 && !strcmp(arn, ADMIN_ARN))
        p->boundary = an_account_admin_policy(a);
    if (p->boundary < 0)
        return push_missing(a, p, arn);
    return p->boundary_arn != NULL;
}

static const ig_policy *default_version(const an_mpolicy *m, bool boundary)
{
    if (m->default_version < 0 || (uint32_t)m->default_version >= m->nversions)
        return NULL;
    return boundary ? m->boundary[m->default_version] : m->versions[m->default_version];
}

static int add_policies(ig_account *a, ig_env *env, const an_principal *p)
{
    for (size_t i = 0; i < p->ninl; i++)
        if (ig_env_add_identity(env, p->inl[i]) != IG_OK)
            return IG_E_NOMEM;
    for (size_t i = 0; i < p->nattached; i++) {
        const ig_policy *pol = default_version(&a->m[p->attached[i]], false);
        if (pol && ig_env_add_identity(env, pol) != IG_OK)
            return IG_E_NOMEM;
    }
    return IG_OK;
}

ig_env *an_account_env(ig_account *a, const an_principal *p, const ig_policy *identity_extra,
                       bool drop_own_policies, int boundary_override, const ig_policy *boundary,
                       ig_diag *diag)
{
    ig_env *env = ig_env_new();
    if (!env)
        return NULL;
    if (ig_env_set_principal_arn(env, p->caller_arn, NULL, diag) != IG_OK)
        goto fail;
    if (!drop_own_policies) {
        if (add_policies(a, env, p) != IG_OK)
            goto fail;
        for (size_t g = 0; g < p->ngroups; g++)
            if (add_policies(a, env, &a->p[p->groups[g]]) != IG_OK)
                goto fail;
    }
    if (identity_extra && ig_env_add_identity(env, identity_extra) != IG_OK)
        goto fail;
    const ig_policy *b = NULL;
    if (boundary_override == 2)
        b = boundary;
    else if (boundary_override == 0 && p->boundary >= 0)
        b = default_version(&a->m[p->boundary], true);
    if (b && ig_env_set_boundary(env, b) != IG_OK)
        goto fail;
    return env;
fail:
    ig_env_free(env);
    return NULL;
}

/* ---- several files ------------------------------------------------------------ */

/* The account segment of an ARN (arn:PART:SVC:REGION:ACCOUNT:...). */
static size_t arn_account(const char *arn, const char **acct)
{
    const char *p = arn;
    for (int i = 0; i < 4 && p; i++) {
        p = strchr(p, ':');
        if (p) p++;
    }
    *acct = p ? p : "";
    return p ? strcspn(p, ":") : 0;
}

static long find_group(const ig_account *a, const char *user_arn, const char *name)
{
    const char *ua, *ga;
    size_t ul = arn_account(user_arn, &ua);
    for (size_t k = 0; k < a->np; k++) {
        const an_principal *g = &a->p[k];
        if (g->kind != AN_P_GROUP || strcmp(g->name, name))
            continue;
        size_t gl = arn_account(g->arn, &ga);
        if (gl == ul && !memcmp(ga, ua, ul))
            return (long)k;
    }
    return -1;
}

static bool add_group(ig_account *a, an_principal *p, size_t gi)
{
    for (size_t k = 0; k < p->ngroups; k++)
        if (p->groups[k] == gi)
            return true;
    size_t *ng = ig_arena_alloc(&a->arena, (p->ngroups + 1) * sizeof *ng);
    if (!ng)
        return false;
    if (p->ngroups)
        memcpy(ng, p->groups, p->ngroups * sizeof *ng);
    ng[p->ngroups++] = gi;
    p->groups = ng;
    return true;
}

bool an_account_resolve(ig_account *a)
{
    for (size_t i = 0; i < a->np; i++) {
        an_principal *p = &a->p[i];
        size_t keep = 0;
        for (size_t k = 0; k < p->nmissing; k++) {
            const char *arn = p->missing[k];
            long m = strncmp(arn, "arn:", 4) ? -1 : an_account_find_managed(a, arn);
            if (m < 0) {
                p->missing[keep++] = arn;
                continue;
            }
            if (p->boundary_arn && !strcmp(p->boundary_arn, arn) && p->boundary < 0) {
                p->boundary = m;
                continue;
            }
            size_t *na = ig_arena_alloc(&a->arena, (p->nattached + 1) * sizeof *na);
            if (!na)
                return false;
            if (p->nattached)
                memcpy(na, p->attached, p->nattached * sizeof *na);
            na[p->nattached++] = (size_t)m;
            p->attached = na;
        }
        p->nmissing = keep;
    }
    size_t keep = 0;
    for (size_t i = 0; i < a->npending; i++) {
        an_pending_group *pg = &a->pending[i];
        long gi = find_group(a, a->p[pg->user].arn, pg->group);
        if (gi < 0)
            a->pending[keep++] = *pg;
        else if (!add_group(a, &a->p[pg->user], (size_t)gi))
            return false;
    }
    a->npending = keep;
    return true;
}

static const ig_account *sort_acct;

static int by_principal_arn(const void *x, const void *y)
{
    const an_principal *p = &sort_acct->p[*(const size_t *)x], *q = &sort_acct->p[*(const size_t *)y];
    return p->kind != q->kind ? (int)p->kind - (int)q->kind : strcmp(p->arn, q->arn);
}

static int by_policy_arn(const void *x, const void *y)
{
    return strcmp(sort_acct->m[*(const size_t *)x].arn, sort_acct->m[*(const size_t *)y].arn);
}

/* Several files: principals and policies in ARN order, so that the model
 * (and every report) is the same whatever the order of the files. */
static bool canonical_order(ig_account *a)
{
    size_t *pp = ig_malloc((a->np + 1) * sizeof *pp), *mp = ig_malloc((a->nm + 1) * sizeof *mp);
    size_t *pinv = ig_malloc((a->np + 1) * sizeof *pinv), *minv = ig_malloc((a->nm + 1) * sizeof *minv);
    an_principal *np = ig_malloc((a->np + 1) * sizeof *np);
    an_mpolicy *nm = ig_malloc((a->nm + 1) * sizeof *nm);
    bool ok = pp && mp && pinv && minv && np && nm;
    if (ok) {
        for (size_t i = 0; i < a->np; i++)
            pp[i] = i;
        for (size_t i = 0; i < a->nm; i++)
            mp[i] = i;
        sort_acct = a;
        qsort(pp, a->np, sizeof *pp, by_principal_arn);
        qsort(mp, a->nm, sizeof *mp, by_policy_arn);
        for (size_t i = 0; i < a->np; i++)
            pinv[pp[i]] = i;
        for (size_t i = 0; i < a->nm; i++)
            minv[mp[i]] = i;
        for (size_t i = 0; i < a->nm; i++)
            nm[i] = a->m[mp[i]];
        for (size_t i = 0; i < a->np; i++) {
            an_principal *p = &np[i];
            *p = a->p[pp[i]];
            for (size_t k = 0; k < p->ngroups; k++)
                p->groups[k] = pinv[p->groups[k]];
            for (size_t k = 0; k < p->nattached; k++)
                p->attached[k] = minv[p->attached[k]];
            if (p->boundary >= 0)
                p->boundary = (long)minv[p->boundary];
        }
        memcpy(a->p, np, a->np * sizeof *np);
        memcpy(a->m, nm, a->nm * sizeof *nm);
        an_account_reindex(a);
    }
    ig_free(pp);
    ig_free(mp);
    ig_free(pinv);
    ig_free(minv);
    ig_free(np);
    ig_free(nm);
    return ok;
}

int an_account_finish(ig_account *a, ig_diag *diag)
{
    if (!an_account_resolve(a))
        return IG_E_NOMEM;
    if (!a->npending)
        return a->nsources > 1 && !canonical_order(a) ? IG_E_NOMEM : IG_OK;
    ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0,
                "%s: user is in group %s, which the export does not list", a->pending[0].src,
                a->pending[0].group);
    return IG_E_INPUT;
}

/* ---- public face ------------------------------------------------------------ */

size_t ig_account_principal_count(const ig_account *a) { return a ? a->np : 0; }

const char *ig_account_principal_arn(const ig_account *a, size_t i)
{
    return a && i < a->np ? a->p[i].arn : NULL;
}

long ig_account_find(const ig_account *a, const char *s)
{
    if (!a || !s)
        return -1;
    long i = an_account_find_principal(a, s);
    return i < 0 ? -1 : i;
}

ig_env *ig_account_env(ig_account *a, size_t i, ig_diag *diag)
{
    if (!a || i >= a->np)
        return NULL;
    return an_account_env(a, &a->p[i], NULL, false, 0, NULL, diag);
}
