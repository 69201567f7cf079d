/* escalate.c - the escalation graph: nodes (principal states), their
 * environments, their edges (computed once, see escalate_methods.c), and
 * what a start node reaches.
 *
 * Reaching is a fixpoint over facts, as an attacker accumulates them: the
 * credentials of every node held so far may be used for the next step.
 * "Principal T is becomable" (some held node can act as T) and "state V
 * of T exists" (some held node changed T's policies) are separate facts,
 * and a state is held once both hold.  Each fact remembers the edge that
 * made it, so a path is the facts it depends on, in the order found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/escalate/escalate.h"
#include "analyze/escalate/escalate_techniques.h"
#include "eval/env.h"
#include "policy/policy_int.h"
#include "util/alloc.h"

static const char ATTACKER_POLICY[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"WrittenByTheAttacker\","
    "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

/* Actions the methods ask about (the IAM ones, sts:AssumeRole, and those
 * of the technique table); the rest of the catalog is not needed. */
static size_t method_actions(const char **out, size_t cap)
{
    out[0] = "iam:*";
    out[1] = "sts:AssumeRole";
    return 2 + es_tech_actions(out + 2, cap - 2);
}

int es_init(es_graph *g, an_ctx *c, ig_account *a)
{
    memset(g, 0, sizeof *g);
    ig_arena_init(&g->arena);
    ig_arena_init(&g->scratch);
    g->memo_node = UINT32_MAX;
    g->c = c;
    g->a = a;
    /* The graph adds the principals it creates, and policies it writes, to
     * the account; es_free takes them out again. */
    g->np0 = a->np;
    g->nm0 = a->nm;
    g->nowned0 = a->nowned;
    g->open_world = !a->closed;
    g->admin_identity = an_account_compile(a, ATTACKER_POLICY, IG_POLICY_IDENTITY,
                                           "attacker-written policy");
    g->filter = ig_arena_alloc(&g->arena, c->words * sizeof *g->filter);
    if (!g->admin_identity || !g->filter)
        return IG_E_NOMEM;
    const char *bad, *acts[256];
    an_action_filter(c, acts, method_actions(acts, 256), g->filter, &bad);
    return IG_OK;
}

void es_free(es_graph *g)
{
    for (uint32_t i = 0; i < g->nnodes; i++) {
        ig_env_free(g->nodes[i].env);
        ig_free(g->nodes[i].edges);
        if (g->nodes[i].eff_done)
            an_effective_free(&g->nodes[i].eff);
        if (g->nodes[i].full_done)
            an_effective_free(&g->nodes[i].full);
    }
    ig_free(g->nodes);
    ig_free(g->index);
    ig_free(g->s_held);
    ig_free(g->s_made);
    ig_free(g->s_become);
    ig_free(g->s_made_next);
    ig_free(g->s_made_head);
    es_targets_free(g);
    ig_free(g->strs);
    ig_free(g->memo);
    ig_free(g->pat_key);
    ig_free(g->pat_val);
    ig_arena_free(&g->scratch);
    ig_free(g->pinfo);
    if (g->a) {
        for (size_t i = g->nowned0; i < g->a->nowned; i++) {
            an_forget(g->c, g->a->owned[i]);
            ig_policy_free(g->a->owned[i]);
        }
        g->a->nowned = g->nowned0;
        g->a->np = g->np0;
        g->a->nm = g->nm0;
    }
    ig_arena_free(&g->arena);
    memset(g, 0, sizeof *g);
}

static bool same_key(const es_key *a, const es_key *b)
{
    return a->p == b->p && a->admin == b->admin && a->bnd == b->bnd && a->xkind == b->xkind &&
           (a->xkind == ES_X_NONE || (a->xref == b->xref && a->xver == b->xver));
}

static int add_principal_policies(ig_account *a, ig_env *env, const an_principal *p)
{
    for (size_t i = 0; i < p->ninl; i++)
        if (ig_env_add_identity(env, p->inl[i]) != IG_OK)
            return IG_E_NOMEM;
    for (size_t i = 0; i < p->nattached; i++) {
        const an_mpolicy *m = &a->m[p->attached[i]];
        if (m->default_version >= 0 && ig_env_add_identity(env, m->versions[m->default_version]) != IG_OK)
            return IG_E_NOMEM;
    }
    return IG_OK;
}

static ig_env *node_env(es_graph *g, const es_key *k)
{
    const an_principal *p = &g->a->p[k->p];
    bool unknown = (size_t)k->p < g->npinfo && g->pinfo[k->p].unknown_perms;
    const ig_policy *extra = k->admin || unknown ? g->admin_identity : NULL;
    int ov = k->bnd == ES_BND_OWN ? 0 : k->bnd == ES_BND_NONE ? 1 : 2;
    const ig_policy *b = NULL;
    if (ov == 2) {
        const an_mpolicy *m = &g->a->m[k->bnd];
        b = m->default_version >= 0 ? m->boundary[m->default_version] : NULL;
        if (!b)
            ov = 1;
    }
    ig_diag d;
    memset(&d, 0, sizeof d);
    ig_env *env = an_account_env(g->a, p, extra, false, ov, b, &d);
    if (!env) {
        /* A principal ARN the evaluator refuses is a state IAM cannot
         * have, not a lack of memory. */
        g->node_err = d.code && d.code != IG_E_NOMEM ? IG_E_INPUT : IG_E_NOMEM;
        return NULL;
    }
    int rc = IG_OK;
    if (k->xkind == ES_X_VERSION)
        rc = ig_env_add_identity(env, g->a->m[k->xref].versions[k->xver]);
    else if (k->xkind == ES_X_GROUP)
        rc = add_principal_policies(g->a, env, &g->a->p[k->xref]);
    if (rc != IG_OK) {
        g->node_err = IG_E_NOMEM;
        ig_env_free(env);
        return NULL;
    }
    return env;
}

bool es_pinfo_grow(es_graph *g)
{
    if (g->npinfo >= g->a->np)
        return true;
    es_pinfo *np = ig_realloc(g->pinfo, g->a->np * sizeof *np);
    if (!np)
        return false;
    memset(np + g->npinfo, 0, (g->a->np - g->npinfo) * sizeof *np);
    for (size_t i = g->npinfo; i < g->a->np; i++)
        np[i].trust_aws = -1;
    g->pinfo = np;
    g->npinfo = g->a->np;
    return true;
}

static uint32_t key_hash(const es_key *k)
{
    uint64_t h = 0x9E3779B97F4A7C15ull;
    const int64_t parts[6] = { k->p, k->admin, k->bnd, k->xkind, k->xkind ? k->xref : 0,
                               k->xkind ? k->xver : 0 };
    for (int i = 0; i < 6; i++) {
        h ^= (uint64_t)parts[i];
        h *= 0x100000001B3ull;
        h ^= h >> 29;
    }
    return (uint32_t)h;
}

static bool index_add(es_graph *g, uint32_t node)
{
    if ((g->nnodes + 1) * 2 > g->icap) {
        size_t nc = g->icap ? g->icap * 2 : 256;
        uint32_t *ni = ig_calloc(nc, sizeof *ni);
        if (!ni)
            return false;
        for (uint32_t i = 0; i < g->nnodes; i++) {
            size_t j = key_hash(&g->nodes[i].key) & (nc - 1);
            while (ni[j])
                j = (j + 1) & (nc - 1);
            ni[j] = i + 1;
        }
        ig_free(g->index);
        g->index = ni;
        g->icap = nc;
    }
    size_t j = key_hash(&g->nodes[node].key) & (g->icap - 1);
    while (g->index[j])
        j = (j + 1) & (g->icap - 1);
    g->index[j] = node + 1;
    return true;
}

uint32_t es_node_of(es_graph *g, const es_key *k)
{
    for (size_t j = g->icap ? key_hash(k) & (g->icap - 1) : 0; g->icap && g->index[j];
         j = (j + 1) & (g->icap - 1))
        if (same_key(&g->nodes[g->index[j] - 1].key, k))
            return g->index[j] - 1;
    g->node_err = IG_E_NOMEM;
    if (g->nnodes >= ES_MAX_NODES) {
        g->limit_hit = true;
        g->node_err = IG_E_LIMIT;
        return UINT32_MAX;
    }
    if (!es_pinfo_grow(g))
        return UINT32_MAX;
    if (g->nnodes == g->ncap) {
        uint32_t nc = g->ncap ? g->ncap * 2 : 64;
        es_node *nn = ig_realloc(g->nodes, nc * sizeof *nn);
        if (!nn)
            return UINT32_MAX;
        g->nodes = nn;
        g->ncap = nc;
    }
    es_node *n = &g->nodes[g->nnodes];
    memset(n, 0, sizeof *n);
    n->key = *k;
    n->env = node_env(g, k);
    if (!n->env)
        return UINT32_MAX;
    g->nnodes++;
    if (!index_add(g, g->nnodes - 1)) {
        ig_env_free(n->env);
        g->nnodes--;
        g->node_err = IG_E_NOMEM;
        return UINT32_MAX;
    }
    return g->nnodes - 1;
}

int es_node_failed(es_graph *g)
{
    if (g->node_err == IG_E_LIMIT) {
        g->dropped_limit++;
        return IG_OK;
    }
    if (g->node_err == IG_E_INPUT) {
        g->dropped_invalid++;
        return IG_OK;
    }
    return IG_E_NOMEM;
}

const lang_expr *es_new_principal_universe(es_graph *g, bool user, const char *acct)
{
    char any[160], dir[160];
    const char *kind = user ? "user" : "role";
    snprintf(any, sizeof any, "arn:aws:iam::%s:%s/*", acct, kind);
    snprintf(dir, sizeof dir, "arn:aws:iam::%s:%s/*/", acct, kind);
    const lang_pat *pats[2];
    for (int i = 0; i < 2; i++) {
        lang_pat *lp = ig_arena_alloc(&g->arena, sizeof *lp);
        const char *err, *text = i ? dir : any;
        if (!lp || !lang_from_text(&g->arena, text, strlen(text), lp, &err))
            return NULL;
        pats[i] = lp;
    }
    const lang_expr *kids[2] = { lang_e_pat(&g->arena, pats[0]),
                                 lang_e_not(&g->arena, lang_e_pat(&g->arena, pats[1])) };
    return lang_e_nary(&g->arena, LE_AND, kids, 2);
}

static uint64_t str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

/* Open-addressed string sets: find the slot of s (empty or equal). */
static size_t str_slot(const char *const *keys, size_t cap, const char *s)
{
    size_t j = str_hash(s) & (cap - 1);
    while (keys[j] && strcmp(keys[j], s))
        j = (j + 1) & (cap - 1);
    return j;
}

const char *es_intern(es_graph *g, const char *s)
{
    if (!s)
        return NULL;
    if ((g->nstrs + 1) * 2 > g->scap) {
        size_t nc = g->scap ? g->scap * 2 : 1024;
        const char **ns = ig_calloc(nc, sizeof *ns);
        if (!ns)
            return NULL;
        for (size_t i = 0; i < g->scap; i++)
            if (g->strs[i])
                ns[str_slot(ns, nc, g->strs[i])] = g->strs[i];
        ig_free(g->strs);
        g->strs = ns;
        g->scap = nc;
    }
    size_t j = str_slot(g->strs, g->scap, s);
    if (!g->strs[j]) {
        char *c = ig_arena_strndup(&g->arena, s, strlen(s));
        if (!c)
            return NULL;
        g->strs[j] = c;
        g->nstrs++;
    }
    return g->strs[j];
}

const lang_expr *es_pattern_cached(es_graph *g, const char *pat)
{
    if (!strcmp(pat, "*"))
        return lang_e_const(&g->arena, true);
    if ((g->npat + 1) * 2 > g->pcap) {
        size_t nc = g->pcap ? g->pcap * 2 : 64;
        const char **nk = ig_calloc(nc, sizeof *nk);
        const lang_expr **nv = ig_calloc(nc, sizeof *nv);
        if (!nk || !nv) {
            ig_free(nk);
            ig_free(nv);
            return NULL;
        }
        for (size_t i = 0; i < g->pcap; i++)
            if (g->pat_key[i]) {
                size_t j = str_slot(nk, nc, g->pat_key[i]);
                nk[j] = g->pat_key[i];
                nv[j] = g->pat_val[i];
            }
        ig_free(g->pat_key);
        ig_free(g->pat_val);
        g->pat_key = nk;
        g->pat_val = nv;
        g->pcap = nc;
    }
    size_t j = str_slot(g->pat_key, g->pcap, pat);
    if (g->pat_key[j])
        return g->pat_val[j];
    lang_pat *lp = ig_arena_alloc(&g->arena, sizeof *lp);
    const char *err;
    const char *key = ig_arena_strndup(&g->arena, pat, strlen(pat));
    if (!lp || !key || !lang_from_text(&g->arena, pat, strlen(pat), lp, &err))
        return NULL;
    const lang_expr *e = lang_e_pat(&g->arena, lp);
    if (!e)
        return NULL;
    g->pat_key[j] = key;
    g->pat_val[j] = e;
    g->npat++;
    return e;
}

const char *es_principal_account(es_graph *g, long p)
{
    const char *arn = g->a->p[p].arn, *q = arn;
    for (int i = 0; i < 4 && q; i++) {
        q = strchr(q, ':');
        if (q) q++;
    }
    size_t n = q ? strcspn(q, ":") : 0;
    if (n == 12) {
        char id[13];
        memcpy(id, q, 12);
        id[12] = '\0';
        const char *r = es_intern(g, id);
        if (r)
            return r;
    }
    return g->a->account_id[0] ? g->a->account_id : "123456789012";
}

const lang_expr *es_scratch_literal(es_graph *g, const char *s)
{
    ig_arena_free(&g->scratch);
    ig_arena_init(&g->scratch);
    lang_pat *lp = ig_arena_alloc(&g->scratch, sizeof *lp);
    if (!lp || !lang_literal(&g->scratch, s, strlen(s), lp))
        return NULL;
    return lang_e_pat(&g->scratch, lp);
}

bool es_memo_key(char *out, size_t cap, const char *action, const lang_expr *universe,
                 const char *literal, const char *extra)
{
    /* Universes other than literals are compiled once per graph, so their
     * address names them. */
    int n = literal ? snprintf(out, cap, "%s\x1fL%s\x1f%p", action, literal, (const void *)extra)
                    : snprintf(out, cap, "%s\x1fU%p\x1f%p", action, (const void *)universe,
                               (const void *)extra);
    return n > 0 && (size_t)n < cap;
}

const es_memo *es_memo_find(es_graph *g, uint32_t node, const char *key)
{
    if (g->memo_node != node)
        return NULL;
    for (size_t i = 0; i < g->nmemo; i++)
        if (!strcmp(g->memo[i].key, key))
            return &g->memo[i];
    return NULL;
}

void es_memo_put(es_graph *g, uint32_t node, const char *key, int found, const es_step *st,
                 const char *res)
{
    if (g->memo_node != node) {
        g->memo_node = node;
        g->nmemo = 0;
    }
    if (g->nmemo == g->mcap) {
        size_t nc = g->mcap ? g->mcap * 2 : 16;
        if (nc > 256)
            return;             /* a memo, not a record: stop growing */
        es_memo *nm = ig_realloc(g->memo, nc * sizeof *nm);
        if (!nm)
            return;
        g->memo = nm;
        g->mcap = nc;
    }
    es_memo m = { es_intern(g, key), found, st ? es_intern(g, st->call) : NULL,
                  st ? es_intern(g, st->by) : NULL, es_intern(g, res ? res : "") };
    if (!m.key || (st && (!m.call || !m.by)) || !m.res)
        return;
    g->memo[g->nmemo++] = m;
}

uint32_t es_action_id(es_graph *g, const char *name)
{
    /* Open-addressed by the name's address (the names are literals). */
    enum { CAP = sizeof g->id_name / sizeof g->id_name[0] };
    size_t j = ((uintptr_t)name >> 3) * 0x9E3779B97F4A7C15ull >> 54;   /* 10 bits */
    for (size_t probe = 0; probe < CAP; probe++, j = (j + 1) % CAP) {
        if (g->id_name[j] == name)
            return g->id_value[j];
        if (!g->id_name[j])
            break;
    }
    uint32_t id = ig_catalog_action_find(g->c->cat, name, strlen(name));
    if (!g->id_name[j] && g->nids + 1 < CAP / 2) {
        g->id_name[j] = name;
        g->id_value[j] = id;
        g->nids++;
    }
    return id;
}

const an_effective *es_node_full(es_graph *g, uint32_t n)
{
    es_node *x = &g->nodes[n];
    if (!x->full_done) {
        an_effective e;
        if (an_effective_compute(g->c, x->env, NULL, &e) != IG_OK)
            return NULL;
        g->nodes[n].full = e;
        g->nodes[n].full_done = true;
    }
    return &g->nodes[n].full;
}

/* A state that surely can do everything: an unconditional Allow of "*" on
 * "*" among its identity policies, no Deny in them, no boundary, session
 * policy or SCP.  Nothing further can give it more, so it is not expanded
 * (reports leave out paths through it for the same reason). */
static bool can_do_everything(const es_graph *g, uint32_t n)
{
    const ig_env *env = g->nodes[n].env;
    if (env->boundary || env->session || env->nscp || env->nrcp)
        return false;
    bool all = false;
    for (size_t i = 0; i < env->nidentity; i++) {
        const ig_policy *p = env->identity[i];
        for (uint32_t s = 0; s < p->nstmts; s++) {
            const ig_stmt *st = &p->stmts[s];
            if (st->deny)
                return false;
            if (st->nconds || st->action_mode != ELEM_POSITIVE || st->resource_mode != ELEM_POSITIVE)
                continue;
            bool any_action = false, any_resource = false;
            for (uint32_t k = 0; k < st->nactions; k++)
                any_action |= st->actions[k].shape == GS_ANY;
            for (uint32_t k = 0; k < st->nresources; k++)
                any_resource |= st->resources[k].mode == ARNP_ANY;
            all |= any_action && any_resource;
        }
    }
    return all;
}

int es_expand(es_graph *g, uint32_t n)
{
    if (g->nodes[n].expanded)
        return IG_OK;
    g->nodes[n].expanded = true;
    if (can_do_everything(g, n))
        return IG_OK;
    if (!g->nodes[n].eff_done) {
        an_effective eff;
        int rc = an_effective_compute(g->c, g->nodes[n].env, g->filter, &eff);
        if (rc == IG_E_LIMIT) {
            g->unexpanded++;        /* its edges are unknown; the rest goes on */
            return IG_OK;
        }
        if (rc != IG_OK)
            return rc;
        g->nodes[n].eff = eff;      /* nodes may move as methods add nodes */
        g->nodes[n].eff_done = true;
    }
    int rc = es_methods(g, n);
    /* Its edges are made: what it may do was needed for them only, and
     * an organisation has hundreds of thousands of nodes. */
    if (g->nodes[n].eff_done) {
        an_effective_free(&g->nodes[n].eff);
        g->nodes[n].eff_done = false;
    }
    return rc;
}

/* ---- reaching ------------------------------------------------------------------ */

static long add_rec(es_result *r, es_rec rec)
{
    if (r->nrecs == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 64;
        es_rec *nr = ig_realloc(r->recs, nc * sizeof *nr);
        if (!nr)
            return -1;
        r->recs = nr;
        r->cap = nc;
    }
    r->recs[r->nrecs] = rec;
    return (long)r->nrecs++;
}

/* The per-node and per-principal facts of one start live in arrays the
 * graph keeps across starts: a start sets only the entries it reaches and
 * es_result_free puts them back, so a start costs what it reaches, not the
 * size of the graph. */
static bool grow_fill(void **arr, size_t *n, size_t want, size_t size, int fill)
{
    if (*n >= want)
        return true;
    size_t nc = *n ? *n : 64;
    while (nc < want)
        nc *= 2;
    unsigned char *na = ig_realloc(*arr, nc * size);
    if (!na)
        return false;
    memset(na + *n * size, fill, (nc - *n) * size);
    *arr = na;
    *n = nc;
    return true;
}

static bool fit(es_graph *g, es_result *r)
{
    size_t nn = g->s_nn, nn2 = g->s_nn, nn3 = g->s_nn, np = g->s_np, np2 = g->s_np;
    if (!grow_fill((void **)&g->s_held, &nn, g->nnodes, sizeof *g->s_held, 0xFF) ||
        !grow_fill((void **)&g->s_made, &nn2, g->nnodes, sizeof *g->s_made, 0xFF) ||
        !grow_fill((void **)&g->s_made_next, &nn3, g->nnodes, sizeof *g->s_made_next, 0xFF))
        return false;
    g->s_nn = nn;
    if (!grow_fill((void **)&g->s_become, &np, g->a->np, sizeof *g->s_become, 0xFF) ||
        !grow_fill((void **)&g->s_made_head, &np2, g->a->np, sizeof *g->s_made_head, 0xFF))
        return false;
    g->s_np = np;
    r->held = g->s_held;
    r->made = g->s_made;
    r->become = g->s_become;
    r->nn = g->nnodes;
    r->np = g->a->np;
    return true;
}

static bool push_u32(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        uint32_t *nv = ig_realloc(*v, nc * sizeof *nv);
        if (!nv)
            return false;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = x;
    return true;
}

/* Hold a node (it joins r->order, the queue); false when out of memory. */
static bool hold(es_result *r, uint32_t node, es_rec rec)
{
    if (r->held[node] >= 0)
        return true;
    long i = add_rec(r, rec);
    if (i < 0 || !push_u32(&r->order, &r->norder, &r->ocap, node))
        return false;
    r->held[node] = i;
    return true;
}

static bool set_become(es_graph *g, es_result *r, long p, long rec)
{
    if (!push_u32(&r->touched_p, &r->ntouched_p, &r->tpcap, (uint32_t)p))
        return false;
    g->s_become[p] = rec;
    return true;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int es_reach_from(es_graph *g, uint32_t start, es_result *r)
{
    memset(r, 0, sizeof *r);
    r->start = start;
    r->g = g;
    size_t qh = 0;
    int rc = IG_E_NOMEM;
    if (!fit(g, r))
        goto out;
    if (!hold(r, start, (es_rec){ start, ES_R_START, -1, -1, -1, -1 }) ||
        !set_become(g, r, g->nodes[start].key.p, 0))
        goto out;
    while (qh < r->norder) {
        uint32_t x = r->order[qh++];
        rc = es_expand(g, x);
        if (rc != IG_OK)
            goto out;
        rc = IG_E_NOMEM;
        if (!fit(g, r))
            goto out;
        long xrec = r->held[x];
        for (uint32_t ei = 0; ei < g->nodes[x].nedges; ei++) {
            const es_edge *e = &g->nodes[x].edges[ei];
            uint32_t t = e->target;
            long tp = g->nodes[t].key.p;
            es_rec rec = { t, e->kind == ES_E_BECOME ? ES_R_BECOME : ES_R_MODIFY, xrec, (int)ei, -1, -1 };
            if (e->kind == ES_E_BECOME) {
                if (r->become[tp] >= 0)
                    continue;
                if (r->held[t] >= 0) {
                    if (!set_become(g, r, tp, r->held[t]))
                        goto out;
                    continue;
                }
                if (!hold(r, t, rec) || !set_become(g, r, tp, r->held[t]))
                    goto out;
                /* States of it that held nodes produced become held too. */
                for (uint32_t v = g->s_made_head[tp]; v != UINT32_MAX; v = g->s_made_next[v])
                    if (!hold(r, v, (es_rec){ v, ES_R_HOLD, -1, -1, r->made[v], r->become[tp] }))
                        goto out;
            } else {
                if (r->made[t] >= 0 || r->held[t] >= 0)
                    continue;
                long m = add_rec(r, rec);
                if (m < 0 || !push_u32(&r->touched_m, &r->ntouched_m, &r->tmcap, t))
                    goto out;
                r->made[t] = m;
                g->s_made_next[t] = g->s_made_head[tp];
                g->s_made_head[tp] = t;
                if (r->become[tp] >= 0 &&
                    !hold(r, t, (es_rec){ t, ES_R_HOLD, -1, -1, m, r->become[tp] }))
                    goto out;
            }
        }
    }
    /* Reports list states in node order. */
    r->sorted = ig_malloc((r->norder ? r->norder : 1) * sizeof *r->sorted);
    if (!r->sorted)
        goto out;
    memcpy(r->sorted, r->order, r->norder * sizeof *r->sorted);
    qsort(r->sorted, r->norder, sizeof *r->sorted, cmp_u32);
    rc = IG_OK;
out:
    if (rc != IG_OK)
        es_result_free(r);
    return rc;
}

void es_result_free(es_result *r)
{
    es_graph *g = r->g;
    if (g) {
        for (size_t i = 0; i < r->norder; i++)
            g->s_held[r->order[i]] = -1;
        for (size_t i = 0; i < r->ntouched_m; i++) {
            uint32_t t = r->touched_m[i];
            g->s_made[t] = -1;
            g->s_made_next[t] = UINT32_MAX;
            g->s_made_head[g->nodes[t].key.p] = UINT32_MAX;
        }
        for (size_t i = 0; i < r->ntouched_p; i++)
            g->s_become[r->touched_p[i]] = -1;
    }
    ig_free(r->recs);
    ig_free(r->order);
    ig_free(r->sorted);
    ig_free(r->touched_m);
    ig_free(r->touched_p);
    memset(r, 0, sizeof *r);
}

/* The dependencies of a record, found with an explicit stack (paths may be
 * long in a hostile account); records are created after the ones they
 * depend on, so ascending index is an order that works. */
size_t es_path(const es_result *r, long rec, long *out, size_t cap)
{
    bool *seen = ig_calloc(r->nrecs ? r->nrecs : 1, sizeof *seen);
    long *stack = ig_malloc((r->nrecs * 3 + 1) * sizeof *stack);
    size_t n = 0, sp = 0;
    if (!seen || !stack)
        goto out;
    stack[sp++] = rec;
    while (sp) {
        long x = stack[--sp];
        if (x < 0 || (size_t)x >= r->nrecs || seen[x])
            continue;
        seen[x] = true;
        const es_rec *e = &r->recs[x];
        stack[sp++] = e->actor;
        stack[sp++] = e->dep_a;
        stack[sp++] = e->dep_b;
    }
    for (size_t i = 0; i < r->nrecs && n < cap; i++)
        if (seen[i])
            out[n++] = (long)i;
out:
    ig_free(seen);
    ig_free(stack);
    return n;
}

/* ---- bounds reached ---------------------------------------------------------------- */

bool es_incomplete(const es_graph *g)
{
    return g->dropped_limit || g->dropped_invalid || g->unexpanded;
}

void es_bounds_text(FILE *f, const es_graph *g)
{
    if (g->dropped_limit)
        fprintf(f, "unknown: %zu steps left out: the graph reached its bound of %u principal "
                   "states; paths through them may be missing\n", g->dropped_limit, ES_MAX_NODES);
    if (g->unexpanded)
        fprintf(f, "unknown: %zu principal states not expanded: their policies pass the bound of "
                   "%u statements per environment; paths from them may be missing\n",
                g->unexpanded, AN_MAX_STATEMENTS);
    if (g->dropped_invalid)
        fprintf(f, "note: %zu steps to principals IAM cannot have (no valid caller ARN) left out\n",
                g->dropped_invalid);
}

void es_bounds_json(json_writer *w, const es_graph *g)
{
    jw_key(w, "bounds");
    jw_object_begin(w);
    jw_kbool(w, "complete", !es_incomplete(g));
    jw_kint(w, "stepsOverNodeBound", (long long)g->dropped_limit);
    jw_kint(w, "nodeBound", ES_MAX_NODES);
    jw_kint(w, "statesOverStatementBound", (long long)g->unexpanded);
    jw_kint(w, "statementBound", AN_MAX_STATEMENTS);
    jw_kint(w, "invalidPrincipalsLeftOut", (long long)g->dropped_invalid);
    jw_object_end(w);
}
