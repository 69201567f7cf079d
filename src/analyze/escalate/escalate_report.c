/* escalate_report.c - escalation paths as numbered steps (text), as JSON
 * and as a Graphviz graph; and the principals a caller can create
 * (`iamguard effective --creatable`).
 *
 * A path is reported for every state the start can hold that can do more
 * than the start: actions it cannot do at all, or resources its patterns
 * do not reach (decided exactly, per action group), or -- for roles the
 * model does not contain -- whatever they can do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/escalate/escalate.h"
#include "analyze/report.h"
#include "util/alloc.h"

void es_node_text(const es_graph *g, uint32_t n, char *buf, size_t cap)
{
    const es_key *k = &g->nodes[n].key;
    const an_principal *p = &g->a->p[k->p];
    const char *kind = p->kind == AN_P_ROLE ? "role" : p->kind == AN_P_USER ? "user" : "group";
    size_t o = (size_t)snprintf(buf, cap, "%s %s", kind, p->arn);
    const es_pinfo *pi = (size_t)k->p < g->npinfo ? &g->pinfo[k->p] : NULL;
#define ADD(...) do { if (o < cap) o += (size_t)snprintf(buf + o, cap - o, __VA_ARGS__); } while (0)
    if (pi && pi->origin == ES_P_CREATED)
        ADD(" (new: %s)", pi->why ? pi->why : "created");
    if (pi && pi->origin == ES_P_OUTSIDE)
        ADD(" (not in the model: %s)", pi->why ? pi->why : "outside");
    if (k->admin)
        ADD(" with a policy the attacker writes");
    if (k->bnd == ES_BND_NONE)
        ADD(", boundary removed");
    else if (k->bnd >= 0)
        ADD(", boundary replaced by %s", g->a->m[k->bnd].arn);
    else if (p->boundary_arn && (k->admin || (pi && pi->origin == ES_P_CREATED)))
        ADD(", capped by its boundary %s", p->boundary_arn);
    if (k->xkind == ES_X_VERSION)
        ADD(", with version %s of %s as default", g->a->m[k->xref].version_ids[k->xver],
            g->a->m[k->xref].arn);
    if (k->xkind == ES_X_GROUP)
        ADD(", added to group %s", g->a->p[k->xref].arn);
#undef ADD
}

/* ---- gains -------------------------------------------------------------------------- */

typedef struct {
    bool unknown;               /* permissions not in the model */
    uint32_t new_actions;       /* actions the start cannot do */
    uint32_t broader;           /* actions both can do, on more resources */
    uint32_t examples[6];
    uint32_t nex;
    bool everything;            /* every catalog action */
} gains;

/* A literal resource one of `in`'s patterns names (its first few leaves)
 * that satisfies `test`: a witness that `test` is not empty, found without
 * the language search (the common case -- a role's own bucket or table
 * that the start's patterns do not reach -- costs a string match). */
static bool literal_witness(const lang_expr *in, const lang_expr *test, unsigned *budget)
{
    if (!in || !*budget)
        return false;
    if (in->op == LE_PAT) {
        char lit[1024];
        --*budget;
        return lang_expr_literal(in, lit, sizeof lit) && strcmp(lit, "*") &&
               lang_expr_matches(test, lit, strlen(lit), false);
    }
    if (in->op != LE_OR && in->op != LE_AND)
        return false;           /* candidates come from positive leaves (each is checked against all of `test`) */
    for (uint32_t i = 0; i < in->n; i++)
        if (literal_witness(in->kids[i], test, budget))
            return true;
    return false;
}

static void compute_gains(es_graph *g, uint32_t n, const an_effective *start, gains *out)
{
    memset(out, 0, sizeof *out);
    const es_key *k = &g->nodes[n].key;
    if ((size_t)k->p < g->npinfo && g->pinfo[k->p].unknown_perms) {
        out->unknown = true;
        return;
    }
    const an_effective *ep = es_node_full(g, n);
    if (!ep)
        return;
    const an_effective e = *ep;
    out->everything = e.nallowed == g->c->nact;
    ig_arena A;
    ig_arena_init(&A);
    for (uint32_t gi = 0; gi < e.ngroups; gi++) {
        const an_group *grp = &e.groups[gi];
        const an_group *last = NULL;
        bool last_broader = false;
        for (uint32_t i = 0; i < grp->nactions; i++) {
            uint32_t act = grp->actions[i];
            const an_group *sg = an_effective_find(start, act);
            if (!sg) {
                if (out->nex < 6)
                    out->examples[out->nex++] = act;
                out->new_actions++;
                continue;
            }
            if (sg != last) {
                const lang_expr *k2[2] = { grp->any_expr, lang_e_not(&A, sg->any_expr) };
                const lang_expr *more = lang_e_nary(&A, LE_AND, k2, 2);
                unsigned budget = 16;
                last_broader = (grp->star_only != AN_U_STAR && literal_witness(grp->any_expr, more, &budget)) ||
                               an_search(g->c, more, grp->star_only, NULL, 0) != LANG_EMPTY;
                last = sg;
            }
            out->broader += last_broader;
        }
    }
    ig_arena_free(&A);
}

static void gains_text(FILE *f, const es_graph *g, const gains *gn)
{
    if (gn->unknown) {
        fprintf(f, "  gains: whatever that role can do (its policies are not in the model)\n");
        return;
    }
    if (gn->everything) {
        fprintf(f, "  gains: every action of the catalog\n");
        return;
    }
    fprintf(f, "  gains: %u action%s the start cannot do", gn->new_actions, gn->new_actions == 1 ? "" : "s");
    for (uint32_t i = 0; i < gn->nex; i++) {
        ig_catalog_action a;
        ig_catalog_action_get(g->c->cat, gn->examples[i], &a);
        fprintf(f, "%s%s:%s", i ? ", " : " (", a.service, a.name);
    }
    if (gn->nex)
        fprintf(f, "%s)", gn->new_actions > gn->nex ? ", ..." : "");
    if (gn->broader)
        fprintf(f, "; more resources for %u action%s it can do", gn->broader, gn->broader == 1 ? "" : "s");
    fputc('\n', f);
}

static bool gains_any(const gains *gn)
{
    return gn->unknown || gn->new_actions || gn->broader;
}

/* ---- text ----------------------------------------------------------------------------- */

static void steps_text(FILE *f, const es_graph *g, const es_result *r, long rec, unsigned *num,
                       const char **assumes, size_t *nas)
{
    long path[256];
    size_t n = es_path(r, rec, path, 256);
    for (size_t i = 0; i < n; i++) {
        const es_rec *x = &r->recs[path[i]];
        if (x->kind != ES_R_BECOME && x->kind != ES_R_MODIFY)
            continue;
        const es_node *actor = &g->nodes[r->recs[x->actor].node];
        const es_edge *e = &actor->edges[x->edge];
        char who[1200];
        es_node_text(g, r->recs[x->actor].node, who, sizeof who);
        for (uint32_t s = 0; s < e->nsteps; s++) {
            fprintf(f, "  %u. %s\n", ++*num, e->steps[s].call);
            fprintf(f, "       as %s\n", who);
            if (e->steps[s].by[0])
                fprintf(f, "       allowed by %s\n", e->steps[s].by);
        }
        /* A row of the technique table (its id has no colon): name it, to
         * find it in escalate --list-techniques and docs/escalate.md. */
        if (e->nsteps && !strchr(e->method, ':') && !strchr(e->method, ' '))
            fprintf(f, "       technique: %s\n", e->method);
        if (e->assumes && *nas < 8) {
            bool dup = false;
            for (size_t k = 0; k < *nas; k++)
                dup |= !strcmp(assumes[k], e->assumes);
            if (!dup)
                assumes[(*nas)++] = e->assumes;
        }
    }
}

/* The gains of every held state, once. */
static gains *all_gains(es_graph *g, const es_result *r)
{
    gains *gs = ig_calloc(r->nn ? r->nn : 1, sizeof *gs);
    if (!gs)
        return NULL;
    const an_effective *start = es_node_full(g, r->start);
    if (!start) {
        ig_free(gs);
        return NULL;
    }
    for (size_t i = 0; i < r->nn; i++)
        if (r->held[i] >= 0 && i != r->start)
            compute_gains(g, (uint32_t)i, start, &gs[i]);
    return gs;
}

/* A path that passes through a state that can do everything (other than
 * the one it leads to) says nothing the shorter path does not. */
static bool through_everything(const es_graph *g, const es_result *r, const gains *gs, size_t node)
{
    long path[256];
    size_t n = es_path(r, r->held[node], path, 256);
    for (size_t i = 0; i < n; i++) {
        const es_rec *x = &r->recs[path[i]];
        if (x->actor < 0)
            continue;
        uint32_t a = r->recs[x->actor].node;
        if (a != r->start && a != node && gs[a].everything && !g->nodes[a].key.admin)
            return true;
        if (a != r->start && a != node && gs[a].everything)
            return true;
    }
    return false;
}

/* How many API calls a state's path takes. */
static size_t path_calls(const es_graph *g, const es_result *r, size_t node)
{
    long path[256];
    size_t n = es_path(r, r->held[node], path, 256), calls = 0;
    for (size_t i = 0; i < n; i++) {
        const es_rec *x = &r->recs[path[i]];
        if (x->kind == ES_R_BECOME || x->kind == ES_R_MODIFY)
            calls += g->nodes[r->recs[x->actor].node].edges[x->edge].nsteps;
    }
    return calls;
}

/* The states to report, in order: with all_paths every held state; else
 * each gain once -- per principal reached (the start itself included: a
 * new capability of its own) the state with the shortest path -- leaving
 * out states that gain nothing and paths through a state that can
 * already do everything.  Returns how many (indexes into out). */
typedef struct {
    size_t *nodes, n;
    unsigned quiet, beyond;
} es_pick;

static bool pick_states(const es_graph *g, const es_result *r, const gains *gs, bool all_paths, es_pick *pk)
{
    memset(pk, 0, sizeof *pk);
    pk->nodes = ig_calloc(r->nn ? r->nn : 1, sizeof *pk->nodes);
    size_t *best = ig_calloc(g->a->np ? g->a->np : 1, sizeof *best);     /* per principal: node + 1 */
    size_t *len = ig_calloc(g->a->np ? g->a->np : 1, sizeof *len);
    if (!pk->nodes || !best || !len) {
        ig_free(pk->nodes);
        ig_free(best);
        ig_free(len);
        pk->nodes = NULL;
        return false;
    }
    for (size_t i = 0; i < r->nn; i++) {
        if (r->held[i] < 0 || i == r->start)
            continue;
        if (all_paths) {
            pk->nodes[pk->n++] = i;
            continue;
        }
        if (!gains_any(&gs[i])) {
            pk->quiet++;
            continue;
        }
        if (through_everything(g, r, gs, i)) {
            pk->beyond++;
            continue;
        }
        size_t p = (size_t)g->nodes[i].key.p, l = path_calls(g, r, i);
        if (p >= g->a->np)
            continue;
        if (!best[p] || l < len[p]) {
            if (best[p])
                pk->beyond++;       /* a longer way to the same gain */
            best[p] = i + 1;
            len[p] = l;
        } else {
            pk->beyond++;
        }
    }
    if (!all_paths)
        for (size_t i = 0; i < r->nn; i++)
            if (r->held[i] >= 0 && i != r->start && (size_t)g->nodes[i].key.p < g->a->np &&
                best[g->nodes[i].key.p] == i + 1)
                pk->nodes[pk->n++] = i;
    ig_free(best);
    ig_free(len);
    return true;
}

/* Requests that conditions on the clock allow only at another moment:
 * not paths now, but worth knowing (the policy may be meant to expire). */
static void timed_text(FILE *f, const es_graph *g, const es_result *r)
{
    bool first = true;
    for (size_t i = 0; i < r->nn; i++) {
        if (r->held[i] < 0 || !g->nodes[i].timed)
            continue;
        char who[1200];
        es_node_text(g, (uint32_t)i, who, sizeof who);
        fprintf(f, "%s  %s, as %s\n", first ? "\nat another time:\n" : "", g->nodes[i].timed, who);
        first = false;
    }
}

unsigned es_report_text(FILE *f, es_graph *g, const es_result *r, bool all_paths)
{
    char who[1200];
    es_node_text(g, r->start, who, sizeof who);
    gains *gs = all_gains(g, r);
    fprintf(f, "privilege escalation from %s\n", who);
    fprintf(f, "  model: %zu principals, %zu managed policies%s\n", g->a->np, g->a->nm,
            g->open_world ? "; not a whole account, so roles outside it that policies name are considered"
                          : "; a whole account");
    size_t lacking = 0;
    const char *example = NULL;
    for (size_t p = 0; p < g->a->np; p++)
        if (g->a->p[p].nmissing) {
            lacking++;
            example = example ? example : g->a->p[p].missing[0];
        }
    if (lacking)
        fprintf(f, "  note: %zu principal%s policies the model does not contain (e.g. %s): what those allow "
                   "is not analysed, so paths through them may be missing\n", lacking,
                lacking == 1 ? " has" : "s have", example);
    if ((size_t)g->nodes[r->start].key.p < g->a->np && es_service_only(g, g->nodes[r->start].key.p))
        fprintf(f, "  note: only AWS services can assume this role; it is analysed because it was asked for\n");
    es_pick pk;
    if (!gs || !pick_states(g, r, gs, all_paths, &pk)) {
        fprintf(f, "  (out of memory)\n");
        ig_free(gs);
        return 0;
    }
    unsigned npaths = 0;
    for (size_t j = 0; j < pk.n; j++) {
        size_t i = pk.nodes[j];
        es_node_text(g, (uint32_t)i, who, sizeof who);
        fprintf(f, "\npath %u: %s\n", ++npaths, who);
        unsigned num = 0;
        const char *assumes[8];
        size_t nas = 0;
        steps_text(f, g, r, r->held[i], &num, assumes, &nas);
        gains_text(f, g, &gs[i]);
        for (size_t k = 0; k < nas; k++)
            fprintf(f, "  assumes: %s\n", assumes[k]);
    }
    timed_text(f, g, r);
    if (!npaths)
        fprintf(f, "\nno escalation path: nothing the start can reach does more than the start\n");
    else
        fprintf(f, "\n%u escalation path%s", npaths, npaths == 1 ? "" : "s");
    if (pk.beyond)
        fprintf(f, "; %u more to the same gains, longer or through a state that can already do everything "
                   "(escalate --all-paths shows them)", pk.beyond);
    if (pk.quiet)
        fprintf(f, "%s%u other state%s reachable without gaining anything", npaths || pk.beyond ? "; " : "",
                pk.quiet, pk.quiet == 1 ? "" : "s");
    fprintf(f, "%s(%zu requests evaluated)\n", npaths || pk.quiet || pk.beyond ? " " : "", g->checks);
    ig_free(pk.nodes);
    ig_free(gs);
    return npaths;
}

/* ---- JSON ----------------------------------------------------------------------------- */

/* A step's context entries as a JSON object: key -> value, null when the
 * key must be absent, an array when a key has several values. */
typedef struct {
    const char *key, *val;      /* val NULL: absent */
    int klen, vlen;
} ctx_ent;

static void ctx_json(json_writer *w, const char *ctx)
{
    ctx_ent e[AN_MAX_CTX];
    size_t n = 0;
    for (const char *p = ctx; *p && n < AN_MAX_CTX;) {
        const char *end = strchr(p, '\x1f');
        if (!end)
            break;
        const char *sep = memchr(p, '\x1e', (size_t)(end - p));
        const char *kend = sep ? sep : end - 1;     /* absent: key then '\x1d' */
        e[n++] = (ctx_ent){ p, sep ? sep + 1 : NULL, (int)(kend - p), sep ? (int)(end - sep - 1) : 0 };
        p = end + 1;
    }
    jw_object_begin(w);
    char key[200], val[AN_MAX_VALUE];
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        size_t count = 0;
        for (size_t j = 0; j < n; j++)
            if (e[j].klen == e[i].klen && !memcmp(e[j].key, e[i].key, (size_t)e[i].klen)) {
                seen |= j < i;
                count++;
            }
        if (seen)
            continue;               /* written with its first entry */
        snprintf(key, sizeof key, "%.*s", e[i].klen, e[i].key);
        jw_key(w, key);
        if (!e[i].val) {
            jw_string(w, NULL);
            continue;
        }
        if (count > 1)
            jw_array_begin(w);
        for (size_t j = i; j < n; j++)
            if (e[j].klen == e[i].klen && !memcmp(e[j].key, e[i].key, (size_t)e[i].klen) && e[j].val) {
                snprintf(val, sizeof val, "%.*s", e[j].vlen, e[j].val);
                jw_string(w, val);
                if (count == 1)
                    break;
            }
        if (count > 1)
            jw_array_end(w);
    }
    jw_object_end(w);
}

static void step_json(json_writer *w, const es_graph *g, uint32_t actor, const es_edge *e,
                      const es_stepref *st)
{
    char buf[1400];
    jw_object_begin(w);
    jw_kstring(w, "principal", g->a->p[g->nodes[actor].key.p].arn);
    es_node_text(g, actor, buf, sizeof buf);
    jw_kstring(w, "as", buf);
    jw_kstring(w, "action", st->action);
    snprintf(buf, sizeof buf, "%.*s", (int)st->res_len, st->call + st->res_at);
    jw_kstring(w, "resource", buf);
    jw_key(w, "context");
    ctx_json(w, st->ctx);
    const char *note = st->call + st->desc_len;
    while (*note == ' ')
        note++;
    jw_key(w, "note");
    jw_string(w, *note ? note : NULL);
    jw_key(w, "allowedBy");
    jw_array_begin(w);
    for (uint8_t k = 0; k < st->nby; k++) {
        const es_by *b = &st->at[k];
        jw_object_begin(w);
        snprintf(buf, sizeof buf, "%s:%u:%u", b->file ? b->file : "", b->line, b->column);
        jw_kstring(w, "at", buf);
        jw_kstring(w, "file", b->file);
        jw_kint(w, "line", b->line);
        jw_kint(w, "column", b->column);
        jw_key(w, "sid");
        jw_string(w, b->sid);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_kstring(w, "method", e->method);
    jw_key(w, "assumes");
    jw_string(w, e->assumes);
    jw_kstring(w, "call", st->call);
    jw_object_end(w);
}

unsigned es_report_json(json_writer *w, es_graph *g, const es_result *r, bool all_paths)
{
    char buf[1200];
    gains *gs = all_gains(g, r);
    es_pick pk = { 0 };
    bool picked = gs && pick_states(g, r, gs, all_paths, &pk);
    jw_object_begin(w);
    jw_kstring(w, "from", g->a->p[g->nodes[r->start].key.p].arn);
    jw_kbool(w, "wholeAccount", !g->open_world);
    jw_key(w, "paths");
    jw_array_begin(w);
    for (size_t j = 0; picked && j < pk.n; j++) {
        size_t i = pk.nodes[j];
        const gains gn = gs[i];
        const es_key *k = &g->nodes[i].key;
        jw_object_begin(w);
        jw_key(w, "to");
        es_node_text(g, (uint32_t)i, buf, sizeof buf);
        jw_string(w, buf);
        jw_kstring(w, "principal", g->a->p[k->p].arn);
        jw_kbool(w, "attackerPolicy", k->admin);
        jw_key(w, "boundary");
        jw_string(w, k->bnd == ES_BND_NONE ? NULL : k->bnd >= 0 ? g->a->m[k->bnd].arn
                                                                : g->a->p[k->p].boundary_arn);
        jw_key(w, "steps");
        jw_array_begin(w);
        long path[256];
        size_t n = es_path(r, r->held[i], path, 256);
        const char *assumes[8];
        size_t nas = 0;
        for (size_t s2 = 0; s2 < n; s2++) {
            const es_rec *x = &r->recs[path[s2]];
            if (x->kind != ES_R_BECOME && x->kind != ES_R_MODIFY)
                continue;
            uint32_t actor = r->recs[x->actor].node;
            const es_edge *e = &g->nodes[actor].edges[x->edge];
            for (uint32_t k2 = 0; k2 < e->nsteps; k2++)
                step_json(w, g, actor, e, &e->steps[k2]);
            bool dup = !e->assumes || nas >= 8;
            for (size_t q = 0; !dup && q < nas; q++)
                dup = !strcmp(assumes[q], e->assumes);
            if (!dup)
                assumes[nas++] = e->assumes;
        }
        jw_array_end(w);
        jw_key(w, "assumes");
        jw_array_begin(w);
        for (size_t q = 0; q < nas; q++)
            jw_string(w, assumes[q]);
        jw_array_end(w);
        jw_key(w, "gains");
        jw_object_begin(w);
        jw_kbool(w, "unknown", gn.unknown);
        jw_kbool(w, "everything", gn.everything);
        jw_kint(w, "newActions", gn.new_actions);
        jw_kint(w, "broaderActions", gn.broader);
        jw_key(w, "examples");
        jw_array_begin(w);
        for (uint32_t e = 0; e < gn.nex; e++) {
            ig_catalog_action a;
            ig_catalog_action_get(g->c->cat, gn.examples[e], &a);
            snprintf(buf, sizeof buf, "%s:%s", a.service, a.name);
            jw_string(w, buf);
        }
        jw_array_end(w);
        jw_object_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_kint(w, "morePaths", picked ? pk.beyond : 0);
    jw_key(w, "atOtherTimes");
    jw_array_begin(w);
    for (size_t i = 0; i < r->nn; i++)
        if (r->held[i] >= 0 && g->nodes[i].timed)
            jw_string(w, g->nodes[i].timed);
    jw_array_end(w);
    jw_kint(w, "requestsEvaluated", (long long)g->checks);
    jw_object_end(w);
    unsigned shown = picked ? (unsigned)pk.n : 0;
    ig_free(pk.nodes);
    ig_free(gs);
    return shown;
}

/* ---- Graphviz -------------------------------------------------------------------------- */

static void dot_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
}

/* Like dot_escape, but "\\n" (a line break in a label) stays as it is. */
static void dot_label(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            fputs("\\n", f);
            s++;
            continue;
        }
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
}

void es_report_dot(FILE *f, es_graph *g, const es_result *r)
{
    char buf[1200];
    fprintf(f, "digraph escalation {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n"
               "  edge [fontsize=9];\n");
    for (size_t i = 0; i < r->nn; i++) {
        if (r->held[i] < 0)
            continue;
        const es_key *k = &g->nodes[i].key;
        const es_pinfo *pi = (size_t)k->p < g->npinfo ? &g->pinfo[k->p] : NULL;
        /* Short labels: the principal's name, then what state it is in. */
        const an_principal *pr = &g->a->p[k->p];
        const char *slash = strrchr(pr->arn, '/');
        size_t o = (size_t)snprintf(buf, sizeof buf, "%s %s",
                                    pr->kind == AN_P_ROLE ? "role" : pr->kind == AN_P_USER ? "user" : "group",
                                    slash ? slash + 1 : pr->arn);
        if (pi && pi->origin == ES_P_CREATED)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\n(created)");
        if (pi && pi->origin == ES_P_OUTSIDE)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\n(not in the model)");
        if (k->admin)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\nattacker-written policy");
        if (k->bnd == ES_BND_NONE)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\nboundary removed");
        else if (k->bnd >= 0)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\nboundary %s", g->a->m[k->bnd].name);
        else if (pr->boundary_arn && o < sizeof buf)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\ncapped by %s",
                                  strrchr(pr->boundary_arn, '/') ? strrchr(pr->boundary_arn, '/') + 1
                                                                 : pr->boundary_arn);
        if (k->xkind == ES_X_VERSION && o < sizeof buf)
            snprintf(buf + o, sizeof buf - o, "\\n%s %s as default", g->a->m[k->xref].name,
                     g->a->m[k->xref].version_ids[k->xver]);
        else if (k->xkind == ES_X_GROUP && o < sizeof buf)
            snprintf(buf + o, sizeof buf - o, "\\nin group %s", g->a->p[k->xref].name);
        fprintf(f, "  n%zu [label=\"", i);
        dot_label(f, buf);
        fprintf(f, "\"%s%s];\n", i == r->start ? ", style=bold, color=blue" : "",
                pi && pi->unknown_perms ? ", style=dashed, color=red"
                : k->admin || k->bnd == ES_BND_NONE ? ", color=red" : "");
    }
    for (size_t i = 0; i < r->nrecs; i++) {
        const es_rec *x = &r->recs[i];
        if (x->kind == ES_R_BECOME || x->kind == ES_R_MODIFY) {
            const es_edge *e = &g->nodes[r->recs[x->actor].node].edges[x->edge];
            /* A state produced but not held has no node: draw it to the
             * principal's held state if any, else skip. */
            uint32_t to = x->node;
            if (r->held[to] < 0 || (x->kind == ES_R_MODIFY && r->recs[r->held[to]].kind == ES_R_HOLD))
                continue;           /* not held, or drawn with its holding record */
            fprintf(f, "  n%u -> n%u [label=\"", r->recs[x->actor].node, to);
            dot_escape(f, e->method);
            fprintf(f, "\"%s];\n", e->assumes ? ", style=dashed" : "");
        } else if (x->kind == ES_R_HOLD) {
            const es_rec *m = &r->recs[x->dep_a];
            const es_edge *e = &g->nodes[r->recs[m->actor].node].edges[m->edge];
            fprintf(f, "  n%u -> n%u [label=\"", r->recs[m->actor].node, x->node);
            dot_escape(f, e->method);
            fprintf(f, "\"];\n");
        }
    }
    fprintf(f, "}\n");
}

/* ---- principals a caller can create ------------------------------------------------ */

int an_creatable_report(ig_analyzer *az, ig_account *acct, const char *who, bool json,
                        const char *const *acts, size_t nacts, char **out)
{
    *out = NULL;
    long p = ig_account_find(acct, who);
    if (p < 0)
        return IG_E_INPUT;
    an_ctx_reset(&az->ctx);
    es_graph g;
    int rc = es_init(&g, &az->ctx, acct);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = rc == IG_OK ? open_memstream(&buf, &len) : NULL;
    if (!f) {
        es_free(&g);
        return IG_E_NOMEM;
    }
    uint64_t *filter = NULL;
    if (acts && nacts) {
        const char *bad;
        filter = ig_calloc(az->ctx.words, sizeof *filter);
        if (!filter) {
            fclose(f);
            free(buf);
            es_free(&g);
            return IG_E_NOMEM;
        }
        an_action_filter(&az->ctx, acts, nacts, filter, &bad);
    }
    es_key k = { .p = p, .bnd = ES_BND_OWN };
    uint32_t n = es_node_of(&g, &k);
    rc = n == UINT32_MAX ? IG_E_NOMEM : es_expand(&g, n);
    json_buf jb;
    json_buf_init(&jb);
    json_writer w;
    jw_init(&w, &jb, true);
    if (json) {
        jw_object_begin(&w);
        jw_key(&w, "creatable");
        jw_array_begin(&w);
    } else {
        fprintf(f, "\nprincipals %s can create\n", who);
    }
    unsigned count = 0;
    for (uint32_t i = 0; rc == IG_OK && i < g.nodes[n].nedges; i++) {
        const es_edge *e = &g.nodes[n].edges[i];
        const es_key *tk = &g.nodes[e->target].key;
        if (e->kind != ES_E_MODIFY || tk->p >= (long)g.npinfo || g.pinfo[tk->p].origin != ES_P_CREATED)
            continue;
        char name[1200];
        es_node_text(&g, e->target, name, sizeof name);
        an_effective eff;
        if (an_effective_compute(&az->ctx, g.nodes[e->target].env, filter, &eff) != IG_OK) {
            rc = IG_E_NOMEM;
            break;
        }
        count++;
        if (json) {
            jw_object_begin(&w);
            jw_kstring(&w, "principal", name);
            jw_kstring(&w, "boundary", acct->p[tk->p].boundary_arn);
            jw_key(&w, "steps");
            jw_array_begin(&w);
            for (uint32_t s = 0; s < e->nsteps; s++)
                jw_string(&w, e->steps[s].call);
            jw_array_end(&w);
            jw_key(&w, "effective");
            an_effective_json(&w, &az->ctx, &eff);
            jw_object_end(&w);
        } else {
            fprintf(f, "\n%s\n", name);
            for (uint32_t s = 0; s < e->nsteps; s++)
                fprintf(f, "  %u. %s\n       allowed by %s\n", s + 1, e->steps[s].call, e->steps[s].by);
            if (acct->p[tk->p].boundary_arn)
                fprintf(f, "  it must carry the boundary %s\n", acct->p[tk->p].boundary_arn);
            an_effective_text(f, &az->ctx, &eff, "  its effective permissions:");
        }
        an_effective_free(&eff);
    }
    if (json) {
        jw_array_end(&w);
        jw_object_end(&w);
        json_buf_puts(&jb, "\n");
        fwrite(jb.data, 1, jb.len, f);
    } else if (!count) {
        fprintf(f, "  none: no role or user it can create could be given any permission\n");
    }
    json_buf_free(&jb);
    fclose(f);
    if (buf && rc == IG_OK) {
        *out = ig_malloc(len + 1);
        if (*out)
            memcpy(*out, buf, len + 1);
        else
            rc = IG_E_NOMEM;
    }
    free(buf);
    ig_free(filter);
    es_free(&g);
    return rc;
}
