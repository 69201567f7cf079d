/* cond.c - the conditions of a grant, key by key.
 *
 * Conditions on different keys are independent (apart from policy
 * variables), so they are decided one key at a time.  A key the question
 * or the caller fixes is decided by a probe (probe.h) with its value.  A
 * key the request chooses has three shapes of value -- absent, one value,
 * several values -- and the conditions on it can all hold if one shape
 * works: absence and several values are probed; one value is decided
 * exactly with the pattern languages when every condition on the key is a
 * case-sensitive String or Arn operator without a set qualifier, and is
 * otherwise assumed possible.  That keeps "cannot hold" a proof, while the
 * solver, which must produce real values, tries candidates drawn from the
 * policy values and checks each with a probe. */
#include <stdio.h>
#include <string.h>

#include "analyze/cond.h"
#include "eval/env.h"
#include "policy/values.h"
#include "util/str.h"

void an_condset_init(an_condset *cs)
{
    memset(cs, 0, sizeof *cs);
    ig_arena_init(&cs->arena);
}

void an_condset_free(an_condset *cs)
{
    ig_arena_free(&cs->arena);
    memset(cs, 0, sizeof *cs);
}

static an_keyconds *find_key(an_condset *cs, const char *key, bool add, const char *shown)
{
    for (uint32_t i = 0; i < cs->nkeys; i++)
        if (!strcmp(cs->keys[i].key, key))
            return &cs->keys[i];
    if (!add || cs->nkeys >= AN_MAX_KEYS) {
        if (add)
            cs->overflow = true;
        return NULL;
    }
    an_keyconds *k = &cs->keys[cs->nkeys++];
    memset(k, 0, sizeof *k);
    k->key = key;
    k->shown = shown;
    return k;
}

void an_condset_add(an_condset *cs, const ig_cond *c, bool want)
{
    an_keyconds *k = find_key(cs, c->key, true, c->key_orig);
    if (!k)
        return;
    if (k->n >= AN_MAX_KEY_CONDS) {
        cs->overflow = true;
        return;
    }
    k->c[k->n].cond = c;
    k->c[k->n].want = want;
    k->n++;
}

void an_condset_pop(an_condset *cs, const ig_cond *c)
{
    an_keyconds *k = find_key(cs, c->key, false, NULL);
    if (k && k->n && k->c[k->n - 1].cond == c) {
        k->n--;
        if (!k->n && k == &cs->keys[cs->nkeys - 1])
            cs->nkeys--;
    }
}

void an_condset_add_stmt(an_condset *cs, const an_stmt *s, bool want)
{
    for (uint32_t i = 0; i < s->st->nconds; i++)
        an_condset_add(cs, &s->st->conds[i], want);
}

/* ---- what is known of a key --------------------------------------------------- */

bool an_key_is_principal(const char *key)
{
    size_t n = strlen(key);
    return (n >= 13 && ig_eq_icase(key, "aws:principal", 13)) ||
           (n == 10 && ig_eq_icase(key, "aws:userid", 10)) ||
           (n == 12 && ig_eq_icase(key, "aws:username", 12));
}

static bool same_key(const char *a, const char *b)
{
    return strlen(a) == strlen(b) && ig_eq_icase(a, b, strlen(a));
}

static const an_fixed *fixed_of(const an_question *q, const char *key)
{
    for (size_t i = 0; q && i < q->nfixed; i++)
        if (same_key(q->fixed[i].key, key))
            return &q->fixed[i];
    return NULL;
}


static const an_kcons *pin_of(const an_question *q, const char *key)
{
    for (size_t i = 0; q && i < q->nkc; i++)
        if ((q->kc[i].kind == AN_K_EQUALS || q->kc[i].kind == AN_K_ABSENT) &&
            same_key(q->kc[i].key, key))
            return &q->kc[i];
    return NULL;
}

static bool derived(const an_subject *s, const char *key)
{
    const ig_env *env = s->env;
    for (unsigned i = 0; i < env->nderived; i++)
        if (same_key(env->derived[i].key, key))
            return true;
    return false;
}

/* Keys an outsider sets for itself: its organization and tags (in its own
 * account) and where it calls from -- none of which can be the owner's. */
static bool outsider_free(const char *key)
{
    static const char *const keys[] = {
        "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalTag/", "aws:PrincipalIsAWSService",
        "aws:SourceAccount", "aws:SourceArn", "aws:SourceOwner", "aws:SourceOrgID",
        "aws:SourceOrgPaths", "aws:SourceVpc", "aws:SourceVpce", "aws:VpcSourceIp",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t n = strlen(keys[i]);
        if (keys[i][n - 1] == '/' ? strlen(key) > n && ig_eq_icase(key, keys[i], n)
                                  : same_key(key, keys[i]))
            return true;
    }
    return false;
}

an_key_state an_key_state_of(const an_subject *s, const an_question *q, const char *key)
{
    if (fixed_of(q, key) || pin_of(q, key) || derived(s, key))
        return AN_KEY_KNOWN;
    int ck = an_clock_key(key);
    if (s->clock && (ck == 1 || ck == 2))
        return AN_KEY_KNOWN;        /* the moment of the analysis */
    if (q && q->outsider && outsider_free(key))
        return AN_KEY_FREE;
    return an_key_is_principal(key) ? AN_KEY_UNKNOWN : AN_KEY_FREE;
}

bool an_key_outsider_chosen(const char *key)
{
    return outsider_free(key);
}

/* The clock's keys as context entries (unless the question fixes them). */
static size_t clock_context(const an_subject *s, const an_question *q, ig_context_entry *out,
                            size_t cap)
{
    size_t n = 0;
    if (!s->clock)
        return 0;
    static const char *const keys[2] = { "aws:CurrentTime", "aws:EpochTime" };
    const char *const *vals[2] = { (const char *const *)&s->clock->iso_ptr,
                                   (const char *const *)&s->clock->epoch_ptr };
    for (int i = 0; i < 2 && n < cap; i++)
        if (!fixed_of(q, keys[i]) && !pin_of(q, keys[i]))
            out[n++] = (ig_context_entry){ keys[i], vals[i], 1 };
    return n;
}

/* The context entries the question fixes, and the clock's, for probes. */
static size_t fixed_context(const an_subject *s, const an_question *q, ig_context_entry *out,
                            size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; q && i < q->nfixed && n < cap; i++)
        if (q->fixed[i].nvalues)
            out[n++] = (ig_context_entry){ q->fixed[i].key,
                                           (const char *const *)q->fixed[i].values,
                                           q->fixed[i].nvalues };
    for (size_t i = 0; q && i < q->nkc && n < cap; i++)
        if (q->kc[i].kind == AN_K_EQUALS && !fixed_of(q, q->kc[i].key))
            out[n++] = (ig_context_entry){ q->kc[i].key, &q->kc[i].value, 1 };
    return n + clock_context(s, q, out + n, cap - n);
}

static bool has_vars(const ig_cond *c)
{
    for (uint32_t i = 0; i < c->nvals; i++) {
        if (c->op->vtype == VT_STRING && c->vals[i].u.glob.nvars) return true;
        if (c->op->vtype == VT_ARN && c->vals[i].u.arn->nvars) return true;
    }
    return false;
}

/* ---- one value, decided with pattern languages -------------------------------- */

/* Whether every condition on the key is one the languages decide exactly. */
static bool lang_decidable(const an_keyconds *k)
{
    for (uint32_t i = 0; i < k->n; i++) {
        const ig_cond *c = k->c[i].cond;
        if (c->qual != QUAL_NONE || has_vars(c))
            return false;
        if (c->op->vtype == VT_NULL)
            continue;
        if ((c->op->vtype != VT_STRING && c->op->vtype != VT_ARN) || c->op->icase)
            return false;
    }
    return true;
}

/* The formula "one value v satisfies every condition as wanted and the
 * question's constraints on the key". NULL when out of memory. */
static const lang_expr *single_value_expr(ig_arena *A, const an_keyconds *k,
                                          const an_question *q)
{
    const lang_expr **parts = ig_arena_alloc(A, (k->n + (q ? q->nkc : 0) + 1) * sizeof *parts);
    if (!parts)
        return NULL;
    size_t np = 0;
    for (uint32_t i = 0; i < k->n; i++) {
        const ig_cond *c = k->c[i].cond;
        const lang_expr *holds;
        if (c->op->vtype == VT_NULL) {
            /* A present value: Null holds when one of its values is false. */
            bool any_false = false;
            for (uint32_t v = 0; v < c->nvals; v++)
                any_false |= !c->vals[v].u.b;
            holds = lang_e_const(A, any_false);
        } else {
            const lang_expr **alts = ig_arena_alloc(A, (c->nvals ? c->nvals : 1) * sizeof *alts);
            if (!alts)
                return NULL;
            for (uint32_t v = 0; v < c->nvals; v++) {
                lang_pat *lp = ig_arena_alloc(A, sizeof *lp);
                if (!lp)
                    return NULL;
                const ig_cval *cv = &c->vals[v];
                bool ok;
                if (c->op->vtype == VT_STRING) {
                    ok = lang_from_glob(A, &cv->u.glob, NULL, lp);
                } else if (cv->u.arn->mode != ARNP_SEGMENTS) {
                    /* Arn* values that are not six segments match nothing
                     * without variables (docs/semantics.md §9). */
                    memset(lp, 0, sizeof *lp);
                    lp->kind = LP_NONE;
                    ok = true;
                } else {
                    ok = lang_from_arnpat(A, cv->u.arn, NULL, lp);
                }
                if (!ok)
                    return NULL;
                alts[v] = lang_e_pat(A, lp);
            }
            holds = lang_e_nary(A, LE_OR, alts, c->nvals);
            if (c->op->negated)
                holds = lang_e_not(A, holds);
        }
        parts[np++] = k->c[i].want ? holds : lang_e_not(A, holds);
    }
    for (size_t i = 0; q && i < q->nkc; i++) {
        const an_kcons *kc = &q->kc[i];
        if (!same_key(kc->key, k->key) || kc->kind == AN_K_ABSENT)
            continue;
        lang_pat *lp = ig_arena_alloc(A, sizeof *lp);
        if (!lp)
            return NULL;
        bool ok;
        if (kc->kind == AN_K_LIKE || kc->kind == AN_K_NOT_LIKE) {
            ig_glob g;
            const char *err;
            size_t off;
            ok = ig_glob_compile(A, kc->value, strlen(kc->value), GLOB_WILDCARDS, &g, &err, &off) &&
                 lang_from_glob(A, &g, NULL, lp);
        } else {
            ok = lang_literal(A, kc->value, strlen(kc->value), lp);
        }
        if (!ok)
            return NULL;
        const lang_expr *m = lang_e_pat(A, lp);
        parts[np++] = (kc->kind == AN_K_NOT_EQUALS || kc->kind == AN_K_NOT_LIKE)
                      ? lang_e_not(A, m) : m;
    }
    return lang_e_nary(A, LE_AND, parts, np);
}

/* Whether the question lets the key be absent / carry several values. */
static bool may_be_absent(const an_question *q, const char *key)
{
    for (size_t i = 0; q && i < q->nkc; i++)
        if (same_key(q->kc[i].key, key) &&
            (q->kc[i].kind == AN_K_EQUALS || q->kc[i].kind == AN_K_LIKE))
            return false;
    return true;
}

/* ---- feasibility ---------------------------------------------------------------- */

/* The longest session AWS issues lasts 36 hours (GetSessionToken,
 * GetFederationToken; role sessions at most 12): a session in use now
 * began no earlier than that. */
#define SESSION_MAX_NS (36LL * 3600 * 1000000000)

/* aws:TokenIssueTime under Date conditions: whether some session start in
 * the 36 hours up to the moment meets them.  Such conditions change truth
 * only at their own values, so the window's ends and each value inside it
 * (a nanosecond either side, and itself) are every case.  1 yes, 0 no, -1
 * not only Date conditions (undecided here). */
static int session_start_feasible(const an_subject *s, an_prober *pr, const an_pcond *pc, uint32_t n,
                                  ig_context_entry *ctx, size_t nfix)
{
    int64_t lo = s->clock->ns - SESSION_MAX_NS, hi = s->clock->ns;
    int64_t t[2 + 3 * 16];
    size_t nt = 0;
    t[nt++] = lo;
    t[nt++] = hi;
    for (uint32_t j = 0; j < n; j++) {
        const ig_cond *cd = pc[j].cond;
        if (cd->op->vtype != VT_DATE)
            return -1;
        for (uint32_t v = 0; v < cd->nvals; v++) {
            int64_t ns;
            if (!ig_date_parse(cd->vals[v].raw, cd->vals[v].raw_len, &ns))
                return -1;
            for (int64_t d = -1; d <= 1; d++)
                if (ns + d > lo && ns + d < hi && nt < sizeof t / sizeof t[0])
                    t[nt++] = ns + d;
                else if (nt >= sizeof t / sizeof t[0])
                    return -1;
        }
    }
    for (size_t i = 0; i < nt; i++) {
        an_clock at;
        an_clock_set(&at, t[i]);
        char iso[48];
        int64_t frac = ((t[i] % 1000000000) + 1000000000) % 1000000000;
        snprintf(iso, sizeof iso, "%.19s.%09lldZ", at.iso, (long long)frac);
        const char *one[1] = { iso };
        ctx[nfix] = (ig_context_entry){ "aws:TokenIssueTime", one, 1 };
        if (an_probe(pr, pc, n, ctx, nfix + 1) != 0)
            return 1;
    }
    return 0;
}

int an_condset_feasible(an_ctx *c, const an_subject *s, an_prober *pr, const an_condset *cs,
                        const an_question *q)
{
    if (cs->overflow)
        return 1;
    ig_context_entry ctx[AN_MAX_CTX + 2];
    size_t nfix = fixed_context(s, q, ctx, AN_MAX_CTX);
    for (uint32_t i = 0; i < cs->nkeys; i++) {
        const an_keyconds *k = &cs->keys[i];
        an_key_state st = an_key_state_of(s, q, k->key);
        if (st == AN_KEY_UNKNOWN)
            continue;
        /* Conditions whose values name other keys depend on those: leave
         * them out of a proof (that only widens what may hold). */
        an_pcond pc[AN_MAX_KEY_CONDS];
        uint32_t n = 0;
        for (uint32_t j = 0; j < k->n; j++)
            if (!has_vars(k->c[j].cond))
                pc[n++] = k->c[j];
        if (!n)
            continue;
        if (st == AN_KEY_KNOWN) {
            int r = an_probe(pr, pc, n, ctx, nfix);
            if (r == 0)
                return 0;
            continue;
        }
        /* A free key: absent, several values, or one value. */
        if (may_be_absent(q, k->key) && an_probe(pr, pc, n, ctx, nfix) != 0)
            continue;
        if (an_clock_key(k->key) == 3 && s->clock && n == k->n) {
            int r = session_start_feasible(s, pr, pc, n, ctx, nfix);
            if (r == 0)
                return 0;
            if (r == 1)
                continue;
        }
        /* Several values: constraints on the key describe single values,
         * so (to stay a proof) several values are always considered. */
        static const char *const two[] = { "iamguard-a", "iamguard-b" };
        ctx[nfix] = (ig_context_entry){ k->shown, two, 2 };
        if (an_probe(pr, pc, n, ctx, nfix + 1) != 0)
            continue;
        if (n != k->n || !lang_decidable(k))
            continue;               /* one value may do: assume it can */
        ig_arena A;
        ig_arena_init(&A);
        const lang_expr *e = single_value_expr(&A, k, q);
        lang_answer a = e ? an_search(c, e, AN_U_VALUE, NULL, 0) : LANG_UNKNOWN;
        ig_arena_free(&A);
        if (a == LANG_EMPTY)
            return 0;
    }
    return 1;
}

/* ---- solving --------------------------------------------------------------------- */

bool an_request_add(an_request *r, const char *key, const char *value, bool absent)
{
    if (r->nctx >= AN_MAX_CTX || strlen(key) >= sizeof r->keys[0] ||
        (value && strlen(value) >= sizeof r->vals[0]))
        return false;
    snprintf(r->keys[r->nctx], sizeof r->keys[0], "%s", key);
    snprintf(r->vals[r->nctx], sizeof r->vals[0], "%s", value ? value : "");
    r->absent[r->nctx] = absent;
    r->nctx++;
    return true;
}

/* Candidate values for a key, most plausible first. */
typedef struct {
    size_t n;
    char v[24][AN_MAX_VALUE];
} candidates;

static void cand_add(candidates *cd, const char *s, size_t len)
{
    if (cd->n >= 24 || len >= AN_MAX_VALUE)
        return;
    for (size_t i = 0; i < cd->n; i++)
        if (strlen(cd->v[i]) == len && !memcmp(cd->v[i], s, len))
            return;
    memcpy(cd->v[cd->n], s, len);
    cd->v[cd->n][len] = '\0';
    cd->n++;
}

/* A value of the kind a policy value describes: the value itself, with
 * wildcards filled in (by a language witness, near the hint account). */
static void instantiate(an_ctx *c, const ig_cond *cd, const ig_cval *cv, const char *acct,
                        candidates *out)
{
    char w[AN_MAX_VALUE];
    ig_arena A;
    ig_arena_init(&A);
    lang_pat lp;
    bool ok = false;
    if (cd->op->vtype == VT_STRING)
        ok = lang_from_glob(&A, &cv->u.glob, NULL, &lp);
    else if (cd->op->vtype == VT_ARN)
        ok = lang_from_arnpat(&A, cv->u.arn, NULL, &lp);
    if (ok && lp.kind == LP_TOKENS) {
        const lang_expr *e = lang_e_pat(&A, &lp);
        if (acct && cd->op->vtype == VT_ARN) {
            char hint[128];
            snprintf(hint, sizeof hint, "arn:*:*:*:%s:*", acct);
            lang_pat hp;
            const char *err;
            const lang_expr *k[2] = { e, NULL };
            if (lang_from_text(&A, hint, strlen(hint), &hp, &err)) {
                k[1] = lang_e_pat(&A, &hp);
                if (an_search(c, lang_e_nary(&A, LE_AND, k, 2), AN_U_VALUE, w, sizeof w) == LANG_FOUND)
                    cand_add(out, w, strlen(w));
            }
        }
        if (an_search(c, e, AN_U_VALUE, w, sizeof w) == LANG_FOUND)
            cand_add(out, w, strlen(w));
    }
    ig_arena_free(&A);
    /* Typed values: the value itself, and values on either side of it. */
    switch (cd->op->vtype) {
    case VT_NUMERIC:
        cand_add(out, cv->raw, cv->raw_len);
        cand_add(out, "-1000000000000", 14);
        cand_add(out, "1000000000000", 13);
        break;
    case VT_DATE:
        cand_add(out, cv->raw, cv->raw_len);
        cand_add(out, "1970-01-02T00:00:00Z", 20);
        cand_add(out, "2999-01-01T00:00:00Z", 20);
        break;
    case VT_IP: {
        size_t n = strcspn(cv->raw, "/");
        cand_add(out, cv->raw, n < cv->raw_len ? n : cv->raw_len);
        break;
    }
    case VT_BOOL: case VT_BINARY:
        cand_add(out, cv->raw, cv->raw_len);
        break;
    default:
        break;
    }
}

static void defaults(candidates *cd)
{
    static const char *const d[] = {
        "iamguard-other", "true", "false", "0", "203.0.113.10", "2001:db8::10",
        "2020-01-01T00:00:00Z", "arn:aws:iam::000000000000:role/iamguard-other",
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        cand_add(cd, d[i], strlen(d[i]));
}

static bool kcons_allow(const an_question *q, const char *key, const char *v, bool absent)
{
    for (size_t i = 0; q && i < q->nkc; i++) {
        const an_kcons *kc = &q->kc[i];
        if (!same_key(kc->key, key))
            continue;
        switch (kc->kind) {
        case AN_K_ABSENT:
            if (!absent) return false;
            break;
        case AN_K_EQUALS:
            if (absent || strcmp(v, kc->value)) return false;
            break;
        case AN_K_NOT_EQUALS:
            if (!absent && !strcmp(v, kc->value)) return false;
            break;
        case AN_K_LIKE: case AN_K_NOT_LIKE: {
            if (absent) {
                if (kc->kind == AN_K_LIKE) return false;
                break;
            }
            ig_arena A;
            ig_arena_init(&A);
            ig_glob g;
            const char *err;
            size_t off;
            bool m = ig_glob_compile(&A, kc->value, strlen(kc->value), GLOB_WILDCARDS, &g, &err, &off) &&
                     ig_glob_match(&g, NULL, v, strlen(v), false);
            ig_arena_free(&A);
            if (m != (kc->kind == AN_K_LIKE)) return false;
            break;
        }
        }
    }
    return true;
}

/* TokenIssueTime candidates: the moment first, then those within the
 * longest session before it. */
static void an_clock_only_before(candidates *cd, const an_clock *k)
{
    static candidates keep;
    keep.n = 0;
    cand_add(&keep, k->iso, strlen(k->iso));
    for (size_t i = 0; i < cd->n; i++) {
        int64_t ns;
        if (!ig_date_parse(cd->v[i], strlen(cd->v[i]), &ns))
            continue;
        /* The value, and a second either side (strict comparisons). */
        for (int64_t d = -1; d <= 1; d++) {
            int64_t t = ns + d * 1000000000;
            if (t > k->ns || t < k->ns - SESSION_MAX_NS)
                continue;
            an_clock c;
            an_clock_set(&c, t);
            cand_add(&keep, c.iso, strlen(c.iso));
        }
    }
    *cd = keep;
}

/* A clock key whose conditions fail at the moment: if they hold a second
 * before or after one of the policy's own times, say so (into c->timed,
 * the first such note kept). */
static void timed_note(an_ctx *c, const an_subject *s, an_prober *pr, const an_keyconds *k, int ck)
{
    if (c->timed[0] || !s->clock)
        return;
    for (uint32_t j = 0; j < k->n; j++) {
        const ig_cond *cd = k->c[j].cond;
        for (uint32_t v = 0; v < cd->nvals; v++) {
            int64_t ns;
            if (!ig_date_parse(cd->vals[v].raw, cd->vals[v].raw_len, &ns))
                continue;
            for (int side = -1; side <= 1; side += 2) {
                int64_t t = ns + side * (int64_t)1000000000;
                if ((side < 0) != (t < s->clock->ns))
                    continue;       /* only times on the far side of now */
                an_clock at;
                an_clock_set(&at, t);
                const char *val = ck == 2 ? at.epoch : at.iso;
                ig_context_entry one = { k->shown, &val, 1 };
                if (an_probe(pr, k->c, k->n, &one, 1) == 1) {
                    snprintf(c->timed, sizeof c->timed, "holds only %s %.*s (%s; the analysis runs at %s)",
                             side < 0 ? "before" : "after", (int)cd->vals[v].raw_len, cd->vals[v].raw,
                             k->shown, s->clock->iso);
                    return;
                }
            }
        }
    }
}

int an_condset_solve(an_ctx *c, const an_subject *s, an_prober *pr, const an_condset *cs,
                     const an_question *q, an_request *r)
{
    /* The question's fixed entries first: they are not ours to choose. */
    for (size_t i = 0; q && i < q->nfixed; i++) {
        if (!q->fixed[i].nvalues) {
            if (!an_request_add(r, q->fixed[i].key, NULL, true))
                return 0;
            continue;
        }
        for (size_t v = 0; v < q->fixed[i].nvalues; v++)
            if (!an_request_add(r, q->fixed[i].key, q->fixed[i].values[v], false))
                return 0;
    }
    for (size_t i = 0; q && i < q->nkc; i++) {
        const an_kcons *kc = &q->kc[i];
        if ((kc->kind == AN_K_EQUALS || kc->kind == AN_K_ABSENT) && !fixed_of(q, kc->key) &&
            !an_request_add(r, kc->key, kc->value, kc->kind == AN_K_ABSENT))
            return 0;
    }
    const char *acct = q && q->account_hint ? q->account_hint : s->env->account;
    int all = 1;
    for (uint32_t i = 0; i < cs->nkeys; i++) {
        const an_keyconds *k = &cs->keys[i];
        an_key_state st = an_key_state_of(s, q, k->key);
        int ck = an_clock_key(k->key);
        if (st != AN_KEY_FREE && !(st == AN_KEY_KNOWN && (ck == 1 || ck == 2) && s->clock))
            continue;
        /* The context chosen so far, and the clock's, for the probe. */
        ig_context_entry ctx[AN_MAX_CTX + 3];
        const char *vals[AN_MAX_CTX][1];
        size_t nctx = 0;
        for (size_t j = 0; j < r->nctx; j++) {
            if (r->absent[j])
                continue;
            vals[nctx][0] = r->vals[j];
            ctx[nctx] = (ig_context_entry){ r->keys[j], vals[nctx], 1 };
            nctx++;
        }
        nctx += clock_context(s, q, ctx + nctx, 2);
        if (st == AN_KEY_KNOWN) {
            /* The clock's own value: nothing to choose, but a condition
             * that fails now may hold at another time. */
            if (an_probe(pr, k->c, k->n, ctx, nctx) != 1)
                timed_note(c, s, pr, k, ck);
            continue;
        }
        bool done = false;
        if (may_be_absent(q, k->key) && kcons_allow(q, k->key, NULL, true) &&
            an_probe(pr, k->c, k->n, ctx, nctx) == 1) {
            done = an_request_add(r, k->shown, NULL, true);
        }
        static candidates cd;
        cd.n = 0;
        if (!done && lang_decidable(k)) {
            ig_arena A;
            ig_arena_init(&A);
            const lang_expr *e = single_value_expr(&A, k, q);
            char w[AN_MAX_VALUE];
            if (e) {
                char hint[128];
                lang_pat hp;
                const char *err;
                snprintf(hint, sizeof hint, "arn:aws:*:*:%s:*", acct);
                const lang_expr *kk[2] = { e, NULL };
                if (lang_from_text(&A, hint, strlen(hint), &hp, &err)) {
                    kk[1] = lang_e_pat(&A, &hp);
                    if (an_search(c, lang_e_nary(&A, LE_AND, kk, 2), AN_U_VALUE, w, sizeof w) == LANG_FOUND)
                        cand_add(&cd, w, strlen(w));
                }
                if (an_search(c, e, AN_U_VALUE, w, sizeof w) == LANG_FOUND)
                    cand_add(&cd, w, strlen(w));
            }
            ig_arena_free(&A);
        }
        if (!done) {
            for (uint32_t j = 0; j < k->n; j++) {
                const ig_cond *cd0 = k->c[j].cond;
                for (uint32_t v = 0; v < cd0->nvals; v++)
                    instantiate(c, cd0, &cd0->vals[v], acct, &cd);
            }
            for (size_t j = 0; q && j < q->nkc; j++)
                if (same_key(q->kc[j].key, k->key) && q->kc[j].value)
                    cand_add(&cd, q->kc[j].value, strlen(q->kc[j].value));
            defaults(&cd);
        }
        if (ck == 3 && s->clock) {
            /* A session starts at or before the moment: now first, and
             * no later value. */
            an_clock_only_before(&cd, s->clock);
        }
        for (size_t j = 0; !done && j < cd.n; j++) {
            if (!kcons_allow(q, k->key, cd.v[j], false))
                continue;
            const char *one[1] = { cd.v[j] };
            ctx[nctx] = (ig_context_entry){ k->shown, one, 1 };
            if (an_probe(pr, k->c, k->n, ctx, nctx + 1) == 1)
                done = an_request_add(r, k->shown, cd.v[j], false);
        }
        if (!done && ck == 3 && s->clock)
            timed_note(c, s, pr, k, ck);
        if (!done)
            all = 0;
    }
    return all;
}

int an_condset_certain(an_ctx *c, const an_subject *s, an_prober *pr, const an_condset *cs,
                       const an_question *q)
{
    (void)c;
    if (cs->overflow)
        return 0;
    ig_context_entry ctx[AN_MAX_CTX + 2];
    size_t nfix = fixed_context(s, q, ctx, AN_MAX_CTX);
    an_pcond all[AN_MAX_KEYS * 4];
    size_t n = 0;
    for (uint32_t i = 0; i < cs->nkeys; i++) {
        const an_keyconds *k = &cs->keys[i];
        if (an_key_state_of(s, q, k->key) != AN_KEY_KNOWN)
            return 0;
        for (uint32_t j = 0; j < k->n; j++) {
            if (n >= sizeof all / sizeof all[0])
                return 0;
            all[n++] = k->c[j];
        }
    }
    return an_probe(pr, all, n, ctx, nfix) == 1;
}
