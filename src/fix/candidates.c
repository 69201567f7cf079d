/* candidates.c - the edits the fix search tries for one unmet obligation,
 * each with a cost (smaller edits first):
 *   a request that must be allowed and is refused: add its action to an
 *     Allow statement that already covers its resource, or a new Allow;
 *   a request that must be refused and is allowed: narrow the Resource of
 *     the statement that allows it to what the allowed requests use, add a
 *     condition they meet and it does not, make a pattern condition exact,
 *     remove an action no allowed request needs, or add a targeted Deny.
 * Never weakens a Deny: a request refused by one stays refused. */
#include <ctype.h>
#include <string.h>

#include "fix/fix_int.h"
#include "util/alloc.h"
#include <stdarg.h>
#include <strings.h>

#define MAX_LIST 256

typedef struct {
    fx_search *x;
    fx_state *st;
    fx_cand *v;
    size_t n, cap;
    bool nomem;
} cands;

static char **strv(const char *const *src, size_t n)
{
    char **v = ig_calloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; v && i < n; i++)
        if (!(v[i] = ig_strdup(src[i]))) {
            for (size_t k = 0; k < i; k++)
                ig_free(v[k]);
            ig_free(v);
            return NULL;
        }
    return v;
}

static fx_cand *push(cands *c, unsigned cost)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        fx_cand *nv = ig_realloc(c->v, ncap * sizeof *nv);
        if (!nv) {
            c->nomem = true;
            return NULL;
        }
        c->v = nv;
        c->cap = ncap;
    }
    fx_cand *k = &c->v[c->n++];
    memset(k, 0, sizeof *k);
    k->cost = cost;
    return k;
}

static bool action_match(const char *pat, const char *action)
{
    char p[256], a[256];
    size_t i;
    for (i = 0; pat[i] && i < sizeof p - 1; i++)
        p[i] = (char)tolower((unsigned char)pat[i]);
    p[i] = '\0';
    for (i = 0; action[i] && i < sizeof a - 1; i++)
        a[i] = (char)tolower((unsigned char)action[i]);
    a[i] = '\0';
    return fx_glob(p, a);
}

static bool stmt_has_action(const fx_stmt *s, const char *action)
{
    bool any = false;
    for (size_t i = 0; i < s->nactions; i++)
        any |= action_match(s->actions[i], action);
    return s->not_action ? !any : any;
}

static const ig_context_entry *ctx_get(const fx_probe *p, const char *key)
{
    for (size_t i = 0; i < p->nctx; i++)
        if (!strcasecmp(p->ctx[i].key, key))
            return &p->ctx[i];
    return NULL;
}

static const char *stmt_name(const fx_stmt *s, long idx, char *buf, size_t cap)
{
    if (s->sid && *s->sid)
        return s->sid;
    snprintf(buf, cap, "statement #%ld", idx + 1);
    return buf;
}

static const char *file_of(const fx_search *x, size_t pol)
{
    const char *f = x->s->policies[pol].file;
    const char *slash = f ? strrchr(f, '/') : NULL;
    return slash ? slash + 1 : f ? f : x->s->policies[pol].name;
}

static void list_text(char *buf, size_t cap, const char *const *v, size_t n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && at < cap; i++)
        at += (size_t)snprintf(buf + at, cap - at, "%s%s", i ? ", " : "", v[i]);
}

/* How an edit names statement si: statements the search added by the
 * order they were added in, so that a replay without an earlier edit
 * still finds them. */
static long ref_of(const fx_state *st, long si)
{
    for (size_t q = 0; q < st->ninserted; q++)
        if (st->ins_doc[q] == si)
            return -(long)q - 1;
    return si;
}

/* A candidate edit of statement si of policy pol (named as in reports). */
static fx_cand *stmt_cand(cands *c, unsigned cost, fx_kind kind, size_t pol, long si)
{
    fx_cand *k = push(c, cost);
    if (!k)
        return NULL;
    char nbuf[32];
    k->e.kind = kind;
    k->e.pol = pol;
    k->e.stmt = ref_of(c->st, si);
    k->e.sid = ig_strdup(stmt_name(&c->st->docs[pol].stmts[si], si, nbuf, sizeof nbuf));
    return k;
}

/* The edit's action list: one action. */
static void one_action(fx_cand *k, const char *action)
{
    k->e.acts = strv(&action, 1);
    k->e.nacts = k->e.acts ? 1 : 0;
}

static bool is_allow_probe(const fx_probe *p)
{
    return p->expect == CHK_EXPECT_ALLOWED && !p->alt;
}

static bool is_deny_probe(const fx_probe *p)
{
    return p->expect != CHK_EXPECT_ALLOWED;
}

/* The expected-allowed probes a statement currently allows (it matched them). */
size_t fx_needed_by(fx_search *x, fx_state *st, size_t pol, long d, size_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < x->nprobes && n < cap; i++) {
        const fx_probe *p = &x->probes[i];
        if (!is_allow_probe(p) || p->given_up)
            continue;
        /* Needed: it matched, and no other Allow of the same layer did (a
         * request another statement allows does not need this one). */
        int layer = -1;
        for (uint32_t m = 0; m < p->res.nmatched; m++) {
            size_t pp;
            if (fx_matched_stmt(x, st, &p->res.matched[m], &pp) == d && pp == pol)
                layer = (int)p->res.matched[m].type;
        }
        if (layer < 0)
            continue;
        bool other = false;
        for (uint32_t m = 0; m < p->res.nmatched && !other; m++) {
            const ig_matched_statement *ms = &p->res.matched[m];
            if ((int)ms->type != layer)
                continue;
            size_t pp;
            long od = fx_matched_stmt(x, st, ms, &pp);
            if (od >= 0 && pp == pol && od == d)
                continue;
            /* Another statement: an Allow unless it is a Deny of an
             * editable document (a request that is allowed matched no
             * Deny that applies). */
            other = od < 0 || !st->docs[pp].stmts[od].deny;
        }
        if (!other)
            out[n++] = i;
    }
    return n;
}

static void sid_from(char *buf, size_t cap, const char *prefix, const char *action)
{
    size_t at = (size_t)snprintf(buf, cap, "%s", prefix);
    bool up = true;
    for (const char *a = action; *a && at + 1 < cap; a++) {
        if (!isalnum((unsigned char)*a)) {
            up = true;
            continue;
        }
        buf[at++] = up ? (char)toupper((unsigned char)*a) : *a;
        up = false;
    }
    buf[at] = '\0';
}

static void set_what(fx_cand *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_what(fx_cand *k, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    k->e.what = ig_strdup(buf);
}

static void keeps(cands *c, fx_cand *k, const size_t *need, size_t n)
{
    k->e.keeps = ig_calloc(n ? n : 1, sizeof *k->e.keeps);
    if (!k->e.keeps)
        return;
    for (size_t i = 0; i < n; i++) {
        const fx_probe *p = &c->x->probes[need[i]];
        const char *l = p->label;
        if (!strncmp(l, "request ", 8))
            l += 8;
        if ((k->e.keeps[k->e.nkeeps] = ig_strdup(l)))
            k->e.nkeeps++;
    }
}

/* ---- a refused request that must be allowed ------------------------------ */

/* The same edit for every refused request of the caller of the same
 * service that the statement covers: one edit adding the actions they all
 * need (a teardown's List* calls) reads better than one per action. */
static void batch(cands *c, const fx_probe *f, const fx_stmt *s, const fx_cand *single, size_t svc_len)
{
    fx_search *x = c->x;
    const char *acts[32];
    size_t na = 0;
    acts[na++] = f->action;
    for (size_t i = 0; i < x->nprobes && na < 32; i++) {
        const fx_probe *p = &x->probes[i];
        if (!is_allow_probe(p) || p->met || p->given_up || p->caller != f->caller ||
            p->res.blocked_by != f->res.blocked_by || strncasecmp(p->action, f->action, svc_len + 1))
            continue;
        bool covers = false, dup = false;
        for (size_t r = 0; r < s->nresources; r++)
            covers |= fx_glob(s->resources[r], p->resource);
        for (size_t k = 0; k < na; k++)
            dup |= !strcasecmp(acts[k], p->action);
        if (covers && !dup)
            acts[na++] = p->action;
    }
    if (na < 2)
        return;
    long pol = (long)single->e.pol, stmt = single->e.stmt;
    unsigned cost = single->cost;
    char *sid = single->e.sid ? ig_strdup(single->e.sid) : NULL;
    fx_cand *k = push(c, cost);     /* may move `single` */
    if (!k) {
        ig_free(sid);
        return;
    }
    k->e.kind = FX_ADD_ACTION;
    k->e.pol = (size_t)pol;
    k->e.stmt = stmt;
    k->e.sid = sid;
    k->e.acts = strv(acts, na);
    k->e.nacts = k->e.acts ? na : 0;
    char al[1024];
    list_text(al, sizeof al, acts, na);
    set_what(k, "%s: add %s to %s", file_of(x, (size_t)pol), al, sid ? sid : "?");
}

static void allow_candidates(cands *c, const fx_probe *f)
{
    fx_search *x = c->x;
    const fx_caller *who = &x->callers[f->caller];
    long layer[10];
    size_t nl = 0;
    if (f->res.blocked_by == IG_LAYER_IDENTITY) {
        for (size_t k = 0; k < who->nident; k++)
            if (x->editable[who->ident[k]])
                layer[nl++] = (long)who->ident[k];
    } else if (f->res.blocked_by == IG_LAYER_BOUNDARY && who->boundary >= 0 && x->editable[who->boundary]) {
        layer[nl++] = who->boundary;
    }
    const char *svc_end = strchr(f->action, ':');
    size_t svc_len = svc_end ? (size_t)(svc_end - f->action) : 0;
    for (size_t l = 0; l < nl; l++) {
        size_t pol = (size_t)layer[l];
        const fx_doc *d = &c->st->docs[pol];
        for (size_t si = 0; si < d->nstmts; si++) {
            const fx_stmt *s = &d->stmts[si];
            if (s->removed || s->deny || s->not_action || s->not_resource || !s->has_resource)
                continue;
            bool covers = false, star = false;
            size_t same = 0;
            for (size_t r = 0; r < s->nresources; r++) {
                covers |= fx_glob(s->resources[r], f->resource);
                star |= !strcmp(s->resources[r], "*");
            }
            for (size_t a = 0; a < s->nactions; a++)
                same += svc_len && !strncasecmp(s->actions[a], f->action, svc_len) &&
                        s->actions[a][svc_len] == ':';
            if (!covers)
                continue;
            /* A statement about the action's service (most of its actions
             * are) is where a reader looks for it. */
            unsigned cost = 2 + (2 * same > s->nactions ? 0 : same ? 1 : 2) +
                            (star && strcmp(f->resource, "*") ? 2 : 0);
            fx_cand *k = stmt_cand(c, cost, FX_ADD_ACTION, pol, (long)si);
            if (!k)
                return;
            one_action(k, f->action);
            set_what(k, "%s: add %s to %s", file_of(x, pol), f->action, k->e.sid ? k->e.sid : "?");
            batch(c, f, s, k, svc_len);
        }
        /* A new statement for the action, on the resources every refused
         * request of it names, generalised. */
        const char *need[MAX_LIST], *bad[MAX_LIST];
        size_t nn = 0, nb = 0;
        for (size_t i = 0; i < x->nprobes; i++) {
            const fx_probe *p = &x->probes[i];
            if (strcasecmp(p->action, f->action))
                continue;
            if (is_allow_probe(p) && !p->met && p->caller == f->caller && nn < MAX_LIST)
                need[nn++] = p->resource;
            else if (is_deny_probe(p) && nb < MAX_LIST)
                bad[nb++] = p->resource;
        }
        char *res[MAX_LIST];
        long nr = fx_generalize(need, nn, bad, nb, NULL, res, MAX_LIST);
        if (nr <= 0)
            continue;
        fx_cand *k = push(c, 8);
        if (!k) {
            for (long i = 0; i < nr; i++)
                ig_free(res[i]);
            return;
        }
        char sid[128];
        sid_from(sid, sizeof sid, "Allow", f->action);
        k->e.kind = FX_NEW_ALLOW;
        k->e.pol = pol;
        k->e.stmt = -(long)c->st->ninserted - 1;
        k->e.acts = strv((const char *const *)&f->action, 1);
        k->e.nacts = k->e.acts ? 1 : 0;
        k->e.res = ig_calloc((size_t)nr, sizeof *k->e.res);
        for (long i = 0; i < nr; i++) {
            if (k->e.res)
                k->e.res[k->e.nres++] = res[i];
            else
                ig_free(res[i]);
        }
        k->e.sid = ig_strdup(sid);
        char rl[1024];
        list_text(rl, sizeof rl, (const char *const *)k->e.res, k->e.nres);
        set_what(k, "%s: new statement %s: Allow %s on %s", file_of(x, pol), sid, f->action, rl);
    }
}

/* ---- an allowed request that must be refused ----------------------------- */

static void narrow(cands *c, const fx_probe *f, size_t pol, long si, const size_t *need, size_t nneed)
{
    fx_search *x = c->x;
    const fx_stmt *s = &c->st->docs[pol].stmts[si];
    if (!s->has_resource || s->not_resource)
        return;
    /* Resources a request must be refused on.  Not the steps of an
     * escalation path (refusing any one step is enough), and not a resource
     * an allowed request needs too: a condition, not the Resource, must
     * tell those apart. */
    const char *bad[MAX_LIST];
    size_t nb = 0;
    for (size_t i = 0; i < x->nprobes && nb < MAX_LIST; i++) {
        const fx_probe *p = &x->probes[i];
        if (p == f) {
            bad[nb++] = p->resource;
            continue;
        }
        if (!is_deny_probe(p) || p->alt || !stmt_has_action(s, p->action))
            continue;
        bool needed = false;
        for (size_t q = 0; q < nneed && !needed; q++)
            needed = !strcmp(x->probes[need[q]].resource, p->resource);
        if (!needed)
            bad[nb++] = p->resource;
    }
    char *res[MAX_LIST];
    size_t nr = 0;
    bool changed = false;
    for (size_t r = 0; r < s->nresources; r++) {
        const char *pat = s->resources[r];
        if (!fx_glob(pat, f->resource)) {
            if (nr < MAX_LIST && (res[nr] = ig_strdup(pat)))
                nr++;
            continue;
        }
        changed = true;
        const char *want[MAX_LIST];
        size_t nw = 0;
        for (size_t i = 0; i < nneed && nw < MAX_LIST; i++) {
            const char *rr = x->probes[need[i]].resource;
            if (fx_glob(pat, rr))
                want[nw++] = rr;
        }
        long got = fx_generalize(want, nw, bad, nb, pat, res + nr, MAX_LIST - nr);
        if (got < 0)
            goto out;
        nr += (size_t)got;
    }
    /* Patterns others cover already go. */
    for (size_t i = 0; i < nr; i++)
        for (size_t k = 0; k < nr; k++)
            if (i != k && res[i] && res[k] && strcmp(res[i], res[k]) && fx_glob(res[k], res[i]) && strchr(res[k], '*')) {
                ig_free(res[i]);
                res[i] = NULL;
                break;
            }
    size_t w = 0;
    for (size_t i = 0; i < nr; i++) {
        bool dup = false;
        for (size_t k = 0; k < w && res[i]; k++)
            dup |= !strcmp(res[k], res[i]);
        if (res[i] && !dup)
            res[w++] = res[i];
        else
            ig_free(res[i]);
    }
    nr = w;
    if (!changed || !nr)
        goto out;
    fx_cand *k = stmt_cand(c, 4, FX_NARROW_RESOURCE, pol, si);
    if (!k)
        goto out;
    char was[1024], now[2048];
    k->e.res = ig_calloc(nr, sizeof *k->e.res);
    if (k->e.res) {
        memcpy(k->e.res, res, nr * sizeof *res);
        k->e.nres = nr;
        nr = 0;
    }
    list_text(was, sizeof was, (const char *const *)s->resources, s->nresources);
    list_text(now, sizeof now, (const char *const *)k->e.res, k->e.nres);
    set_what(k, "%s: narrow the Resource of %s to %s (was %s)", file_of(x, pol), k->e.sid ? k->e.sid : "?",
             now, was);
    keeps(c, k, need, nneed);
out:
    for (size_t i = 0; i < nr; i++)
        ig_free(res[i]);
}

static bool all_arns(const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strncmp(v[i], "arn:", 4))
            return false;
    return n > 0;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s))
            return true;
    return false;
}

/* The values key k has in every needed probe (false: some lack it, or it
 * is multi-valued somewhere, or there are too many). */
static bool values_of(fx_search *x, const size_t *need, size_t nneed, const char *key, const char **out,
                      size_t *nout)
{
    *nout = 0;
    for (size_t i = 0; i < nneed; i++) {
        const ig_context_entry *e = ctx_get(&x->probes[need[i]], key);
        if (!e || e->nvalues != 1)
            return false;
        if (!in_list(out, *nout, e->values[0])) {
            if (*nout >= FX_MAX_VALUES)
                return false;
            out[(*nout)++] = e->values[0];
        }
    }
    return *nout > 0;
}

static void add_condition(cands *c, const fx_probe *f, size_t pol, long si, const size_t *need, size_t nneed)
{
    fx_search *x = c->x;
    const fx_stmt *s = &c->st->docs[pol].stmts[si];
    if (!nneed)
        return;
    const fx_probe *first = &x->probes[need[0]];
    for (size_t e = 0; e < first->nctx; e++) {
        const char *key = first->ctx[e].key;
        const char *vals[FX_MAX_VALUES];
        size_t nv;
        if (!values_of(x, need, nneed, key, vals, &nv))
            continue;
        const ig_context_entry *fe = ctx_get(f, key);
        if (fe && fe->nvalues == 1 && in_list(vals, nv, fe->values[0]))
            continue;
        bool done = false;          /* the statement has this key's condition already */
        for (size_t q = 0; q < s->nconds; q++)
            done |= !strcasecmp(s->conds[q].key, key);
        if (done)
            continue;
        /* aws:CalledVia holds for whoever calls through the service, the
         * caller included: a last resort. */
        unsigned cost = !strcasecmp(key, "iam:PassedToService") ? 3 : !strcasecmp(key, "aws:CalledVia") ? 9
                      : !strncasecmp(key, "aws:", 4) ? 5 : 4;
        fx_cand *k = stmt_cand(c, cost, FX_ADD_CONDITION, pol, si);
        if (!k)
            return;
        char vl[1024];
        k->e.op = ig_strdup(all_arns(vals, nv) ? "ArnEquals" : "StringEquals");
        k->e.key = ig_strdup(key);
        k->e.cvals = strv(vals, nv);
        k->e.ncvals = k->e.cvals ? nv : 0;
        list_text(vl, sizeof vl, vals, nv);
        set_what(k, "%s: add the condition %s %s = %s to %s", file_of(x, pol), k->e.op ? k->e.op : "?", key, vl,
                 k->e.sid ? k->e.sid : "?");
        keeps(c, k, need, nneed);
    }
}

static void tighten(cands *c, size_t pol, long si, const size_t *need, size_t nneed)
{
    fx_search *x = c->x;
    const fx_stmt *s = &c->st->docs[pol].stmts[si];
    for (size_t q = 0; q < s->nconds && nneed; q++) {
        const fx_cond *cd = &s->conds[q];
        const char *like = strstr(cd->op, "Like");
        if (!like || strchr(cd->op, ':') || strstr(cd->op, "IfExists") || strstr(cd->op, "Not"))
            continue;
        const char *vals[FX_MAX_VALUES];
        size_t nv;
        if (!values_of(x, need, nneed, cd->key, vals, &nv))
            continue;
        bool wild = false;
        for (size_t i = 0; i < nv; i++)
            wild |= strpbrk(vals[i], "*?$") != NULL;
        if (wild)
            continue;
        char op[64];
        snprintf(op, sizeof op, "%.*sEquals", (int)(like - cd->op), cd->op);
        fx_cand *k = stmt_cand(c, 2, FX_TIGHTEN_CONDITION, pol, si);
        if (!k)
            return;
        char vl[1024], was[1024];
        k->e.cond = q;
        k->e.op = ig_strdup(op);
        k->e.key = ig_strdup(cd->key);
        k->e.cvals = strv(vals, nv);
        k->e.ncvals = k->e.cvals ? nv : 0;
        list_text(vl, sizeof vl, vals, nv);
        list_text(was, sizeof was, (const char *const *)cd->values, cd->nvalues);
        set_what(k, "%s: make the condition on %s of %s exact: %s %s (was %s %s)", file_of(x, pol), cd->key,
                 k->e.sid ? k->e.sid : "?", op, vl, cd->op, was);
        keeps(c, k, need, nneed);
    }
}

static void remove_action(cands *c, const fx_probe *f, size_t pol, long si, const size_t *need, size_t nneed)
{
    fx_search *x = c->x;
    const fx_stmt *s = &c->st->docs[pol].stmts[si];
    if (!nneed) {
        /* Nothing the deployment does needs the statement at all. */
        fx_cand *k = stmt_cand(c, 3, FX_REMOVE_STATEMENT, pol, si);
        if (!k)
            return;
        set_what(k, "%s: remove the statement %s (no allowed request needs it)", file_of(x, pol),
                 k->e.sid ? k->e.sid : "?");
    }
    if (s->not_action || s->nactions < 2)
        return;
    for (size_t a = 0; a < s->nactions; a++) {
        if (!action_match(s->actions[a], f->action))
            continue;
        /* Used: some needed request's action only this entry covers. */
        bool used = false;
        for (size_t i = 0; i < nneed; i++) {
            const char *act = x->probes[need[i]].action;
            bool other = false;
            for (size_t o = 0; o < s->nactions; o++)
                other |= o != a && action_match(s->actions[o], act);
            used |= action_match(s->actions[a], act) && !other;
        }
        if (used && strpbrk(s->actions[a], "*?")) {
            /* A wildcard some allowed requests need: the actions they use. */
            const char *acts[64];
            size_t na = 0;
            for (size_t i = 0; i < nneed && na < 64; i++) {
                const char *act = x->probes[need[i]].action;
                bool other = false, dup = false;
                for (size_t o = 0; o < s->nactions; o++)
                    other |= o != a && action_match(s->actions[o], act);
                for (size_t q = 0; q < na; q++)
                    dup |= !strcasecmp(acts[q], act);
                if (action_match(s->actions[a], act) && !other && !dup)
                    acts[na++] = act;
            }
            if (!na || na >= 64)
                continue;
            fx_cand *k = stmt_cand(c, 3, FX_NARROW_ACTION, pol, si);
            if (!k)
                return;
            char al[1024];
            k->e.pattern = ig_strdup(s->actions[a]);
            k->e.acts = strv(acts, na);
            k->e.nacts = k->e.acts ? na : 0;
            list_text(al, sizeof al, acts, na);
            set_what(k, "%s: replace %s in %s with the actions allowed requests use: %s", file_of(x, pol),
                     s->actions[a], k->e.sid ? k->e.sid : "?", al);
            continue;
        }
        if (used)
            continue;
        fx_cand *k = stmt_cand(c, 2, FX_REMOVE_ACTION, pol, si);
        if (!k)
            return;
        one_action(k, s->actions[a]);
        set_what(k, "%s: remove %s from %s (no allowed request needs it)", file_of(x, pol), s->actions[a],
                 k->e.sid ? k->e.sid : "?");
    }
}

/* Values the allowed requests give a key (any key when key is NULL). */
static size_t known_values(fx_search *x, const char *key, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < x->nprobes; i++) {
        const fx_probe *p = &x->probes[i];
        if (!is_allow_probe(p))
            continue;
        for (size_t e = 0; e < p->nctx; e++) {
            if (key && strcasecmp(p->ctx[e].key, key))
                continue;
            for (size_t v = 0; v < p->ctx[e].nvalues; v++)
                if (!in_list(out, n, p->ctx[e].values[v])) {
                    if (n >= cap)
                        return SIZE_MAX;
                    out[n++] = p->ctx[e].values[v];
                }
        }
    }
    return n;
}

static void new_deny(cands *c, const fx_probe *f, size_t pol, unsigned cost, const char *op, const char *key,
                     const char *const *vals, size_t nv)
{
    fx_search *x = c->x;
    fx_cand *k = push(c, cost);
    if (!k)
        return;
    char sid[128], vl[1024] = "";
    sid_from(sid, sizeof sid, "Deny", f->action);
    static const char *const star[] = { "*" };
    k->e.kind = FX_NEW_DENY;
    k->e.pol = pol;
    k->e.stmt = -(long)c->st->ninserted - 1;
    k->e.acts = strv((const char *const *)&f->action, 1);
    k->e.nacts = k->e.acts ? 1 : 0;
    k->e.res = strv(star, 1);
    k->e.nres = k->e.res ? 1 : 0;
    if (op) {
        k->e.op = ig_strdup(op);
        k->e.key = ig_strdup(key);
        k->e.cvals = strv(vals, nv);
        k->e.ncvals = k->e.cvals ? nv : 0;
        list_text(vl, sizeof vl, vals, nv);
    }
    k->e.sid = ig_strdup(sid);
    if (op)
        set_what(k, "%s: new statement %s: Deny %s when %s %s = %s", file_of(x, pol), sid, f->action, op, key, vl);
    else
        set_what(k, "%s: new statement %s: Deny %s on every resource", file_of(x, pol), sid, f->action);
}

static void deny_candidates(cands *c, const fx_probe *f)
{
    fx_search *x = c->x;
    const fx_caller *who = &x->callers[f->caller];
    long target = -1;
    for (size_t k = 0; k < who->nident && target < 0; k++)
        if (x->editable[who->ident[k]])
            target = (long)who->ident[k];
    if (target < 0 && who->boundary >= 0 && x->editable[who->boundary])
        target = who->boundary;
    if (target < 0)
        return;
    size_t pol = (size_t)target;
    const fx_doc *d = &c->st->docs[pol];
    /* An existing Deny that would refuse it with one more action. */
    for (size_t si = 0; si < d->nstmts; si++) {
        const fx_stmt *s = &d->stmts[si];
        if (s->removed || !s->deny || s->not_action || stmt_has_action(s, f->action))
            continue;
        /* After a targeted new Deny: the existing one's conditions were
         * written for other actions and may refuse more than this one. */
        fx_cand *k = stmt_cand(c, 7, FX_EXTEND_DENY, pol, (long)si);
        if (!k)
            return;
        one_action(k, f->action);
        set_what(k, "%s: add %s to the Deny %s", file_of(x, pol), f->action, k->e.sid ? k->e.sid : "?");
    }
    const char *all[512];
    size_t nall = known_values(x, NULL, all, 512);
    for (size_t e = 0; e < f->nctx; e++) {
        const ig_context_entry *ce = &f->ctx[e];
        if (ce->nvalues != 1)
            continue;
        const char *v = ce->values[0];
        bool arn = !strncmp(v, "arn:", 4);
        /* Deny it for a value the deployment itself uses (its boundary). */
        if (nall != SIZE_MAX && arn && in_list(all, nall, v))
            new_deny(c, f, pol, 6, "ArnEquals", ce->key, &v, 1);
        /* Deny it unless the key has the value the deployment uses. */
        const char *kv[FX_MAX_VALUES];
        size_t nk = known_values(x, ce->key, kv, FX_MAX_VALUES);
        if (nk && nk != SIZE_MAX && !in_list(kv, nk, v))
            new_deny(c, f, pol, 8, all_arns(kv, nk) ? "ArnNotEquals" : "StringNotEquals", ce->key, kv, nk);
    }
    new_deny(c, f, pol, 10, NULL, NULL, NULL, 0);
}

static void refuse_candidates(cands *c, const fx_probe *f)
{
    fx_search *x = c->x;
    if (f->res.decision == IG_ALLOWED && f->expect != CHK_EXPECT_EXPLICIT_DENY) {
        for (uint32_t m = 0; m < f->res.nmatched; m++) {
            size_t pol;
            long si = fx_matched_stmt(x, c->st, &f->res.matched[m], &pol);
            if (si < 0 || c->st->docs[pol].stmts[si].deny)
                continue;
            size_t need[FX_MAX_PROBES > 1024 ? 1024 : FX_MAX_PROBES];
            size_t nneed = fx_needed_by(x, c->st, pol, si, need, sizeof need / sizeof need[0]);
            narrow(c, f, pol, si, need, nneed);
            add_condition(c, f, pol, si, need, nneed);
            tighten(c, pol, si, need, nneed);
            remove_action(c, f, pol, si, need, nneed);
        }
    }
    if (f->res.decision != IG_EXPLICIT_DENY)
        deny_candidates(c, f);
}

int fx_candidates(fx_search *x, fx_state *st, size_t i, fx_cand **out, size_t *n)
{
    cands c = { .x = x, .st = st };
    const fx_probe *f = &x->probes[i];
    if (f->alt) {
        /* A path is best cut where it starts: the later steps' edits cost
         * one more, so that a tie goes to the first step. */
        bool first = true;
        for (size_t k = 0; k < x->nprobes; k++) {
            if (x->probes[k].alt != f->alt)
                continue;
            size_t from = c.n;
            if (!x->probes[k].met)
                refuse_candidates(&c, &x->probes[k]);
            for (size_t q = from; !first && q < c.n; q++)
                c.v[q].cost++;
            first = false;
        }
    } else if (f->expect == CHK_EXPECT_ALLOWED) {
        if (f->res.decision == IG_IMPLICIT_DENY && !f->res.error)
            allow_candidates(&c, f);
    } else {
        refuse_candidates(&c, f);
    }
    *out = c.v;
    *n = c.n;
    return c.nomem ? IG_E_NOMEM : IG_OK;
}
