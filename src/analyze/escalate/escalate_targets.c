/* escalate_targets.c - which principals and managed policies a node's
 * methods can act on, found through indexes instead of trying every one.
 *
 * Trying every principal from every node made escalation cost the square
 * of the account.  A method acts on principal T only when (a) an identity
 * grant of an IAM or STS action that takes a principal as its resource can
 * name T's ARN, (b) T's trust policy lets the node's principal in by itself
 * (names it, or any principal), or (c) T trusts a service and the node may
 * make every call of a technique that changes code already running as T
 * (a HIJACK row).  Before (c) was narrowed so, any node with any service
 * action (an s3:GetObject) had every service role as a candidate: the
 * square of the account in candidate checks.  (a) walks the ARNs that
 * share each grant pattern's literal prefix in a sorted index; (b) is a
 * lookup by name; (c) is one list.  Each is a superset of what the methods
 * then check request by request, so nothing is lost: a grant whose
 * patterns cannot be read this way (NotResource, an option of another
 * layer only) makes every principal a candidate. */
#include <stdlib.h>
#include <string.h>

#include "analyze/escalate/escalate.h"
#include "util/alloc.h"

/* IAM and STS actions whose resource is a user, role or group that a
 * method changes, assumes or passes (IAM actions have no resource policy:
 * the identity grant must name the target). */
static const char *const TARGET_ACTIONS[] = {
    "sts:AssumeRole", "iam:UpdateAssumeRolePolicy", "iam:PassRole",
    "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
    "iam:PutUserPolicy", "iam:PutRolePolicy", "iam:PutGroupPolicy",
    "iam:AttachUserPolicy", "iam:AttachRolePolicy", "iam:AttachGroupPolicy",
    "iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary", "iam:PutRolePermissionsBoundary",
    "iam:AddUserToGroup", "iam:DetachUserPolicy", "iam:DetachRolePolicy",
    "iam:DetachGroupPolicy", "iam:DeleteUserPolicy", "iam:DeleteRolePolicy",
    "iam:DeleteGroupPolicy", "iam:UpdateRole", "iam:TagRole", "iam:TagUser",
    "iam:UntagRole", "iam:UntagUser", "iam:CreateServiceSpecificCredential",
    "iam:UploadSSHPublicKey", "iam:UploadSigningCertificate", "iam:UpdateAccessKey",
    "iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice",
    "iam:DeleteLoginProfile", "iam:RemoveUserFromGroup", "iam:AddRoleToInstanceProfile",
    "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession",
    "sts:SetSourceIdentity",
};

/* Managed-policy actions the methods use on a policy ARN. */
static const char *const POLICY_ACTIONS[] = {
    "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion",
};

typedef struct {
    const char *key;
    uint32_t idx;
} keyed;

struct es_tindex {
    uint32_t np, nm;            /* principals and policies indexed */
    keyed *parn;                /* principals by ARN */
    keyed *marn;                /* managed policies by ARN */
    keyed *named;               /* roles by a principal name their trust names */
    size_t nnamed;
    uint32_t *open, nopen;      /* roles any principal may assume by trust alone */
    keyed *svc;                 /* roles a service may assume (or trust unknown), by ARN */
    size_t nsvc;
    uint8_t *mark;              /* scratch: candidate marks (np + nm) */
    uint32_t *out, ocap;        /* scratch: the last answer */
};

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static const char *last_part(const char *s)
{
    const char *slash = strrchr(s, '/');
    return slash ? slash + 1 : s;
}

static bool push_keyed(keyed **v, size_t *n, size_t *cap, const char *key, uint32_t idx)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        keyed *nv = ig_realloc(*v, nc * sizeof *nv);
        if (!nv)
            return false;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = (keyed){ key, idx };
    return true;
}

/* What a role's trust policy admits: by name (0 added), any principal
 * (open), a service (svc). */
static bool index_trust(struct es_tindex *x, ig_arena *A, const an_principal *p, uint32_t i,
                        size_t *ncap, bool *open, bool *svc)
{
    *open = *svc = false;
    if (!p->trust) {
        *svc = p->trust_unknown;
        return true;
    }
    for (uint32_t s = 0; s < p->trust->nstmts; s++) {
        const ig_stmt *st = &p->trust->stmts[s];
        if (st->deny)
            continue;
        if (st->principal_mode != ELEM_POSITIVE)
            *open = true;
        for (uint32_t k = 0; k < st->nprincipals; k++) {
            const ig_princ *pe = &st->principals[k];
            const char *name = NULL;
            switch (pe->kind) {
            case PE_ACCOUNT: case PE_FEDERATED: case PE_CANONICAL: case PE_FEDUSER:
                break;
            case PE_SERVICE:
                *svc = true;
                break;
            case PE_ROLE:
                name = pe->name;
                break;
            case PE_USER:
                name = pe->raw ? last_part(pe->raw) : NULL;
                break;
            case PE_SESSION: {
                /* arn:aws:sts::A:assumed-role/ROLE/SESSION: the role */
                const char *r = pe->raw ? strstr(pe->raw, ":assumed-role/") : NULL;
                if (r) {
                    char buf[256];
                    r += 14;
                    size_t n = strcspn(r, "/");
                    if (n >= sizeof buf) {
                        *open = true;
                        break;
                    }
                    memcpy(buf, r, n);
                    buf[n] = '\0';
                    if (!(name = ig_arena_strndup(A, buf, n)))
                        *open = true;
                } else {
                    *open = true;
                }
                break;
            }
            default:            /* "*", patterns, anything unread */
                *open = true;
                break;
            }
            if (name && !push_keyed(&x->named, &x->nnamed, ncap, name, i))
                return false;
        }
    }
    return true;
}

static void tindex_free(struct es_tindex *x)
{
    if (!x)
        return;
    ig_free(x->parn);
    ig_free(x->marn);
    ig_free(x->named);
    ig_free(x->open);
    ig_free(x->svc);
    ig_free(x->mark);
    ig_free(x->out);
    ig_free(x);
}

void es_targets_free(es_graph *g)
{
    tindex_free(g->tindex);
    g->tindex = NULL;
}

static struct es_tindex *tindex_build(es_graph *g)
{
    struct es_tindex *x = ig_calloc(1, sizeof *x);
    if (!x)
        return NULL;
    const ig_account *a = g->a;
    x->np = (uint32_t)g->np0;
    x->nm = (uint32_t)g->nm0;
    size_t ncap = 0;
    x->parn = ig_malloc((x->np + 1) * sizeof *x->parn);
    x->marn = ig_malloc((x->nm + 1) * sizeof *x->marn);
    x->open = ig_malloc((x->np + 1) * sizeof *x->open);
    x->svc = ig_malloc((x->np + 1) * sizeof *x->svc);
    x->mark = ig_calloc(x->np + x->nm + 1, 1);
    if (!x->parn || !x->marn || !x->open || !x->svc || !x->mark)
        goto fail;
    for (uint32_t i = 0; i < x->np; i++) {
        const an_principal *p = &a->p[i];
        x->parn[i] = (keyed){ p->arn, i };
        if (p->kind != AN_P_ROLE)
            continue;
        bool open, svc;
        if (!index_trust(x, &g->arena, p, i, &ncap, &open, &svc))
            goto fail;
        if (open)
            x->open[x->nopen++] = i;
        if (svc)
            x->svc[x->nsvc++] = (keyed){ p->arn, i };
    }
    for (uint32_t m = 0; m < x->nm; m++)
        x->marn[m] = (keyed){ a->m[m].arn, m };
    qsort(x->parn, x->np, sizeof *x->parn, cmp_keyed);
    qsort(x->marn, x->nm, sizeof *x->marn, cmp_keyed);
    if (x->nnamed)
        qsort(x->named, x->nnamed, sizeof *x->named, cmp_keyed);
    qsort(x->svc, x->nsvc, sizeof *x->svc, cmp_keyed);
    return x;
fail:
    tindex_free(x);
    return NULL;
}

/* The first entry whose key is not below `key` (n: none). */
static size_t lower_bound(const keyed *v, size_t n, const char *key, size_t klen)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strncmp(v[mid].key, key, klen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Mark every entry a pattern can match (by its literal prefix, then the
 * pattern itself).  False: the pattern matches anything (mark all). */
static bool mark_pattern(const keyed *v, size_t n, const lang_pat *lp, uint8_t *mark)
{
    if (lp->kind == LP_NONE)
        return true;
    if (lp->kind == LP_ALL)
        return false;
    char prefix[1024];
    size_t pl = 0;
    for (uint16_t t = 0; t < lp->ntok && lp->tok[t].kind == LT_SYM && pl + 4 < sizeof prefix; t++) {
        uint32_t c = lp->tok[t].sym;
        char b[4];
        size_t l = 0;
        do {
            b[l++] = (char)(c & 0xFF);
            c >>= 8;
        } while (c && l < 4);
        while (l)
            prefix[pl++] = b[--l];
    }
    for (size_t i = lower_bound(v, n, prefix, pl); i < n && !strncmp(v[i].key, prefix, pl); i++)
        if (!mark[v[i].idx] && lang_matches(lp, v[i].key, strlen(v[i].key)))
            mark[v[i].idx] = 1;
    return true;
}

/* Mark what the identity grants of `actions` can name; false: anything. */
static bool mark_grants(es_graph *g, const an_effective *eff, const char *const *actions,
                        size_t nact, const keyed *v, size_t n, uint8_t *mark)
{
    const an_group *seen[64];
    size_t nseen = 0;
    if (eff->subj.root)
        return false;
    for (size_t k = 0; k < nact; k++) {
        uint32_t id = es_action_id(g, actions[k]);
        const an_group *grp = id == IG_CATALOG_NONE ? NULL : an_effective_find(eff, id);
        if (!grp)
            continue;
        bool dup = false;
        for (size_t s = 0; s < nseen && !dup; s++)
            dup = seen[s] == grp;
        if (dup)
            continue;
        if (nseen < sizeof seen / sizeof seen[0])
            seen[nseen++] = grp;
        if (grp->star_only == AN_U_STAR)
            continue;           /* no resource: names no principal */
        for (uint32_t gi = 0; gi < grp->ngrants; gi++) {
            const an_grant *gr = &grp->grants[gi];
            bool read = false;
            for (uint32_t o = 0; o < gr->nopts; o++) {
                const an_option *op = gr->opts[o];
                if (op->layer >= eff->subj.nlayers)
                    return false;
                if (eff->subj.layers[op->layer].kind != AN_L_IDENTITY)
                    continue;
                if (op->all || op->neg)
                    return false;
                read = true;
                for (uint32_t s = 0; s < op->nstmts; s++) {
                    const an_stmt *st = op->stmts[s];
                    if (st->res_mode != ELEM_POSITIVE)
                        return false;
                    for (uint32_t r = 0; r < st->nres; r++)
                        if (!mark_pattern(v, n, &st->res[r], mark))
                            return false;
                }
            }
            if (!read)
                return false;
        }
    }
    return true;
}

/* Collect the marks (and clear them) into the answer, ascending. */
static size_t collect(struct es_tindex *x, uint8_t *mark, uint32_t lo, uint32_t hi, uint32_t base,
                      size_t extra_from, size_t extra_to, const uint32_t **out)
{
    size_t need = (hi - lo) + (extra_to - extra_from) + 1;
    if (need > x->ocap) {
        uint32_t *no = ig_realloc(x->out, need * sizeof *no);
        if (!no)
            return SIZE_MAX;
        x->out = no;
        x->ocap = (uint32_t)need;
    }
    size_t n = 0;
    for (uint32_t i = lo; i < hi; i++)
        if (mark[i - base]) {
            mark[i - base] = 0;
            x->out[n++] = i;
        }
    for (size_t i = extra_from; i < extra_to; i++)
        x->out[n++] = (uint32_t)i;
    *out = x->out;
    return n;
}

size_t es_targets(es_graph *g, uint32_t node, bool hijack, const uint32_t **out)
{
    *out = NULL;
    if (!g->tindex && !(g->tindex = tindex_build(g)))
        return SIZE_MAX;
    struct es_tindex *x = g->tindex;
    const es_node *nd = &g->nodes[node];
    const an_effective *eff = &nd->eff;
    uint8_t *mark = x->mark;
    if (!mark_grants(g, eff, TARGET_ACTIONS, sizeof TARGET_ACTIONS / sizeof TARGET_ACTIONS[0],
                     x->parn, x->np, mark)) {
        memset(mark, 0, x->np);
        return g->a->np;        /* every principal: *out stays NULL */
    }
    /* (b) trust policies that let this principal in by name, or anyone. */
    const an_principal *self = &g->a->p[nd->key.p];
    const char *nm = self->name;
    size_t nl = strlen(nm);
    for (size_t i = lower_bound(x->named, x->nnamed, nm, nl + 1); i < x->nnamed &&
                                                                 !strcmp(x->named[i].key, nm); i++)
        mark[x->named[i].idx] = 1;
    for (uint32_t i = 0; i < x->nopen; i++)
        mark[x->open[i]] = 1;
    /* (c) code that runs as a role a service may assume, when the node
     * can change such code (some HIJACK row of the technique table; a
     * PASS row needs iam:PassRole, which (a) covers): a role of the
     * node's own account (code is changed only in the account of the
     * caller), found by its ARN's "arn:P:iam::ACCOUNT:". */
    if (hijack) {
        const char *q = self->arn;
        for (int k = 0; k < 5 && q; k++) {
            q = strchr(q, ':');
            if (q) q++;
        }
        size_t pl = q ? (size_t)(q - self->arn) : 0;
        for (size_t i = lower_bound(x->svc, x->nsvc, self->arn, pl);
             i < x->nsvc && !strncmp(x->svc[i].key, self->arn, pl); i++)
            mark[x->svc[i].idx] = 1;
    }
    if ((size_t)nd->key.p < x->np)
        mark[nd->key.p] = 1;    /* itself (the methods skip what does not apply) */
    /* Principals added since the index: created, outside the model. */
    return collect(x, mark, 0, x->np, 0, x->np, g->a->np, out);
}

size_t es_policy_targets(es_graph *g, uint32_t node, const uint32_t **out)
{
    *out = NULL;
    if (!g->tindex && !(g->tindex = tindex_build(g)))
        return SIZE_MAX;
    struct es_tindex *x = g->tindex;
    uint8_t *mark = x->mark + x->np;
    if (!mark_grants(g, &g->nodes[node].eff, POLICY_ACTIONS,
                     sizeof POLICY_ACTIONS / sizeof POLICY_ACTIONS[0], x->marn, x->nm, mark)) {
        memset(mark, 0, x->nm);
        return g->a->nm;        /* every policy: *out stays NULL */
    }
    return collect(x, mark, 0, x->nm, 0, x->nm, g->a->nm, out);
}
