/* deps.c - the dependency graph between resources, and its cycles.
 *
 * CloudFormation rejects a template whose resources depend on each other
 * in a circle -- through Ref, Fn::GetAtt, Fn::Sub or DependsOn, whatever
 * property the reference sits in, a resource naming itself included -- and
 * one whose references name nothing.  So does iamguard, before resolving
 * anything: the graph is collected in one pass over every created resource
 * and searched without recursion, however long the chains are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/cfn_int.h"
#include "util/alloc.h"

typedef struct {
    uint32_t from, to;
    uint32_t at;                /* offset of the reference */
} edge;

typedef struct {
    cfn_ctx *c;
    uint32_t from;
    edge *edges;
    size_t nedges, cap;
    /* Path finding: when `want` is set, the scan records the path at
     * that offset instead of collecting edges. */
    bool find;
    uint32_t want;
    char found[CFN_PATH_MAX];
} scan_ctx;

/* must_be_res: 0 a Ref (parameters count), 1 from Fn::GetAtt, 2 from DependsOn. */
static bool add_edge(scan_ctx *s, const char *name, size_t namelen, uint32_t at, int must_be_res)
{
    cfn_ctx *c = s->c;
    char id[256];
    if (namelen >= sizeof id)
        namelen = sizeof id - 1;
    memcpy(id, name, namelen);
    id[namelen] = '\0';
    if (s->find) {
        if (at == s->want && !s->found[0])
            snprintf(s->found, sizeof s->found, "%s", c->path);
        return true;
    }
    if (!strncmp(id, "AWS::", 5) && !must_be_res)
        return true;
    cfn_res *r = cfn_find_res(c, id);
    if (!r && cfn_module_of(c, id))
        return true;            /* declared by a Rain module once expanded */
    if (!r) {
        if (must_be_res || !cfn_find_param(c, id)) {
            if (must_be_res)
                return cfn_fail(c, at, "%s names %s, which is not a resource of the template",
                                must_be_res == 1 ? "Fn::GetAtt" : "DependsOn", id);
            if (strchr(id, ':'))
                return cfn_fail(c, at, "${%s} is not a parameter or resource; write ${!%s} for "
                                "the IAM policy variable", id, id);
            return cfn_fail(c, at, "the template has no parameter or resource named %s", id);
        }
        return true;
    }
    bool created;
    if (!cfn_res_created(c, r, &created))
        return false;
    if (!created)
        return true;
    if (s->nedges == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        edge *e = ig_realloc(s->edges, cap * sizeof *e);
        if (!e)
            return cfn_fail_code(c, IG_E_NOMEM, at, "out of memory");
        s->edges = e;
        s->cap = cap;
    }
    s->edges[s->nedges++] = (edge){ s->from, (uint32_t)(r - c->res), at };
    return true;
}

/* The ${...} names of a Fn::Sub string, minus ${!...} and mapped ones. */
static bool scan_sub(scan_ctx *s, const json_value *str, const json_value *vars, uint32_t at)
{
    const char *p = str->u.str, *end = p + str->len;
    while ((p = memchr(p, '$', (size_t)(end - p))) != NULL && p + 1 < end) {
        if (p[1] != '{' || (p + 2 < end && p[2] == '!')) {
            p++;
            continue;
        }
        const char *close = memchr(p + 2, '}', (size_t)(end - p - 2));
        if (!close)
            break;              /* reported when the string is resolved */
        const char *name = p + 2;
        size_t n = (size_t)(close - name);
        char key[256];
        snprintf(key, sizeof key, "%.*s", (int)n, name);
        if (n && !(vars && json_get(vars, key))) {
            const char *dot = memchr(name, '.', n);
            bool pseudo = n > 5 && !strncmp(name, "AWS::", 5);
            if (!add_edge(s, name, dot && !pseudo ? (size_t)(dot - name) : n, at,
                          dot && !pseudo ? 1 : 0))
                return false;
        }
        p = close + 1;
    }
    return true;
}

static bool scan(scan_ctx *s, const json_value *v)
{
    cfn_ctx *c = s->c;
    if (v->kind == JSON_ARRAY) {
        for (uint32_t i = 0; i < v->len; i++) {
            size_t old = cfn_path_index(c, i);
            bool ok = scan(s, &v->u.items[i]);
            cfn_path_set(c, old);
            if (!ok)
                return false;
        }
        return true;
    }
    if (v->kind != JSON_OBJECT)
        return true;
    const char *fn;
    if (cfn_is_intrinsic(v, &fn)) {
        const json_value *arg = &v->u.members[0].value;
        if (!strcmp(fn, "Ref") && arg->kind == JSON_STRING)
            return add_edge(s, arg->u.str, arg->len, v->start, 0);
        if (!strcmp(fn, "Fn::GetAtt")) {
            const json_value *res = arg->kind == JSON_ARRAY && arg->len ? &arg->u.items[0] : arg;
            if (res->kind == JSON_STRING) {
                const char *dot = arg->kind == JSON_STRING ? strchr(res->u.str, '.') : NULL;
                if (!add_edge(s, res->u.str, dot ? (size_t)(dot - res->u.str) : res->len,
                              v->start, 1))
                    return false;
            }
            return arg->kind != JSON_ARRAY || arg->len < 2 || scan(s, &arg->u.items[1]);
        }
        if (!strcmp(fn, "Fn::Sub")) {
            const json_value *str = arg, *vars = NULL;
            if (arg->kind == JSON_ARRAY && arg->len == 2) {
                str = &arg->u.items[0];
                vars = arg->u.items[1].kind == JSON_OBJECT ? &arg->u.items[1] : NULL;
                if (vars && !scan(s, vars))
                    return false;
            }
            return str->kind != JSON_STRING || scan_sub(s, str, vars, v->start);
        }
        return scan(s, arg);
    }
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        size_t old = cfn_path_key(c, m->key);
        bool ok = scan(s, &m->value);
        cfn_path_set(c, old);
        if (!ok)
            return false;
    }
    return true;
}

static bool scan_resource(scan_ctx *s, cfn_res *r)
{
    cfn_ctx *c = s->c;
    cfn_path_set(c, 0);
    cfn_path_key(c, "Resources");
    cfn_path_key(c, r->id);
    s->from = (uint32_t)(r - c->res);
    const json_value *dep = json_get(&r->decl->value, "DependsOn");
    if (dep) {
        size_t old = cfn_path_key(c, "DependsOn");
        uint32_t n = dep->kind == JSON_ARRAY ? dep->len : 1;
        for (uint32_t i = 0; i < n; i++) {
            const json_value *d = dep->kind == JSON_ARRAY ? &dep->u.items[i] : dep;
            if (d->kind != JSON_STRING)
                return cfn_fail(c, d->start, "DependsOn takes logical ids");
            if (!add_edge(s, d->u.str, d->len, d->start, 2))
                return false;
        }
        cfn_path_set(c, old);
    }
    if (r->props) {
        size_t old = cfn_path_key(c, "Properties");
        if (!scan(s, r->props))
            return false;
        cfn_path_set(c, old);
    }
    cfn_path_set(c, 0);
    return true;
}

static int cmp_edges(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Report the cycle closed by edge `e`; `stack` holds the DFS path. */
static bool report_cycle(scan_ctx *s, const edge *e, const uint32_t *stack, size_t depth)
{
    cfn_ctx *c = s->c;
    char chain[256];
    size_t n = 0, first = depth;
    while (first > 0 && stack[first - 1] != e->to)
        first--;
    if (first > 0)
        first--;
    for (size_t i = first; i < depth && n < sizeof chain; i++)
        n += (size_t)snprintf(chain + n, sizeof chain - n, "%s -> ", c->res[stack[i]].id);
    if (n < sizeof chain)
        snprintf(chain + n, sizeof chain - n, "%s", c->res[e->to].id);
    /* Find the path of the reference by scanning its resource again. */
    s->find = true;
    s->want = e->at;
    s->found[0] = '\0';
    scan_resource(s, &c->res[e->from]);
    cfn_path_set(c, 0);
    cfn_path_key(c, s->found[0] ? s->found : "Resources");
    return cfn_fail(c, e->at, "circular dependency between resources: %s", chain);
}

static bool find_cycles(scan_ctx *s)
{
    cfn_ctx *c = s->c;
    size_t n = c->nres;
    if (s->nedges)
        qsort(s->edges, s->nedges, sizeof *s->edges, cmp_edges);
    size_t *first = ig_calloc(n + 1, sizeof *first);
    uint32_t *stack = ig_malloc((n + 1) * sizeof *stack);
    size_t *next = ig_malloc((n + 1) * sizeof *next);     /* next edge to follow per level */
    bool ok = first && stack && next;
    if (!ok)
        cfn_fail_code(c, IG_E_NOMEM, 0, "out of memory");
    for (size_t i = 0; ok && i < s->nedges; i++)
        first[s->edges[i].from + 1]++;
    for (size_t i = 0; ok && i < n; i++)
        first[i + 1] += first[i];
    for (size_t root = 0; ok && root < n; root++) {
        if (c->res[root].dfs)
            continue;
        size_t depth = 0;
        stack[depth] = (uint32_t)root;
        next[depth++] = first[root];
        c->res[root].dfs = 1;
        while (ok && depth) {
            uint32_t at = stack[depth - 1];
            if (next[depth - 1] == first[at + 1]) {
                c->res[at].dfs = 2;
                depth--;
                continue;
            }
            const edge *e = &s->edges[next[depth - 1]++];
            if (c->res[e->to].dfs == 1) {
                ok = report_cycle(s, e, stack, depth);
            } else if (c->res[e->to].dfs == 0) {
                c->res[e->to].dfs = 1;
                stack[depth] = e->to;
                next[depth++] = first[e->to];
            }
        }
    }
    ig_free(first);
    ig_free(stack);
    ig_free(next);
    return ok;
}

bool cfn_check_dependencies(cfn_ctx *c)
{
    scan_ctx s;
    memset(&s, 0, sizeof s);
    s.c = c;
    bool ok = true;
    for (size_t i = 0; ok && i < c->nres; i++) {
        bool created;
        ok = cfn_res_created(c, &c->res[i], &created);
        if (ok && created)
            ok = scan_resource(&s, &c->res[i]);
    }
    ok = ok && find_cycles(&s);
    ig_free(s.edges);
    if (ok)
        cfn_path_set(c, 0);
    return ok;
}
