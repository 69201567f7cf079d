/* graph_svg.c - the escalation graph laid out by Graphviz's C library
 * (libgvc) in this process and inlined into the page as SVG: principals
 * are nodes, the calls of each hop of a path a labelled edge that links to
 * the path.  A graph beyond RPT_GRAPH_MAX_EDGES is not drawn: layout time
 * grows fast with size and such a picture is unreadable anyway. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>

#include "report/html_int.h"

#define RPT_GRAPH_MAX_NODES 400
#define RPT_GRAPH_MAX_EDGES 600

typedef struct {
    const char *key;            /* ARN, or the gain's words */
    size_t keylen;
    bool start, capped, capability;
} gnode;

/* Paths often share a hop (the same calls between the same principals):
 * such an edge is drawn once, linked to the first path, and counts the
 * others in its label. */
typedef struct {
    int from, to;
    char label[200];
    size_t start;
    uint32_t path;
    unsigned paths;
} gedge;

typedef struct {
    gnode nodes[RPT_GRAPH_MAX_NODES];
    gedge edges[RPT_GRAPH_MAX_EDGES];
    size_t nnodes, nedges;
    json_buf dot;
    bool overflow;
} graph;

/* The ARN inside "role arn:aws:iam::1:role/x (new: ...)" or the string. */
static void principal_key(const char *s, const char **key, size_t *len)
{
    const char *arn = strstr(s, "arn:");
    if (!arn) {
        *key = s;
        *len = strlen(s);
        return;
    }
    size_t n = 0;
    while (arn[n] && arn[n] != ' ' && arn[n] != ',' && arn[n] != ')')
        n++;
    *key = arn;
    *len = n;
}

static int node_of(graph *g, const char *key, size_t len)
{
    for (size_t i = 0; i < g->nnodes; i++)
        if (g->nodes[i].keylen == len && !memcmp(g->nodes[i].key, key, len))
            return (int)i;
    if (g->nnodes == RPT_GRAPH_MAX_NODES) {
        g->overflow = true;
        return -1;
    }
    g->nodes[g->nnodes] = (gnode){ .key = key, .keylen = len };
    return (int)g->nnodes++;
}

static void dot_quoted(json_buf *b, const char *s, size_t n)
{
    json_buf_puts(b, "\"");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            json_buf_puts(b, "\\");
        if (s[i] == '\n')
            json_buf_puts(b, "\\n");      /* a line break in a DOT label */
        else if ((unsigned char)s[i] < 0x20)
            json_buf_puts(b, " ");
        else
            json_buf_append(b, s + i, 1);
    }
    json_buf_puts(b, "\"");
}

static const char *step_actor(const json_value *st)
{
    const char *a = j_str(st, "principal");
    return a ? a : j_str(st, "as");
}

/* The action a step calls: the object form names it; the prose form
 * starts "call" with it ("iam:PassRole on ..."). */
static void step_action(const json_value *st, char *buf, size_t cap)
{
    const char *a = j_str(st, "action");
    const char *call = j_str(st, "call");
    if (!a && call) {
        size_t n = strcspn(call, " ");
        snprintf(buf, cap, "%.*s", (int)(n < cap ? n : cap - 1), call);
        return;
    }
    if (!a)
        a = j_str(st, "method");
    snprintf(buf, cap, "%s", a ? a : "?");
}

static void edge(graph *g, int from, int to, const char *label, size_t start, uint32_t pathno)
{
    if (from < 0 || to < 0)
        return;
    for (size_t i = 0; i < g->nedges; i++) {
        gedge *e = &g->edges[i];
        if (e->from == from && e->to == to && !strcmp(e->label, label)) {
            e->paths++;
            return;
        }
    }
    if (g->nedges == RPT_GRAPH_MAX_EDGES) {
        g->overflow = true;
        return;
    }
    gedge *e = &g->edges[g->nedges++];
    *e = (gedge){ .from = from, .to = to, .start = start, .path = pathno, .paths = 1 };
    snprintf(e->label, sizeof e->label, "%s", label);
}

static void edge_decls(graph *g)
{
    for (size_t i = 0; i < g->nedges; i++) {
        const gedge *e = &g->edges[i];
        char label[260];
        if (e->paths > 1)
            snprintf(label, sizeof label, "%s (%u paths)", e->label, e->paths);
        else
            snprintf(label, sizeof label, "%s", e->label);
        json_buf_puts(&g->dot, "  ");
        dot_quoted(&g->dot, g->nodes[e->from].key, g->nodes[e->from].keylen);
        json_buf_puts(&g->dot, " -> ");
        dot_quoted(&g->dot, g->nodes[e->to].key, g->nodes[e->to].keylen);
        json_buf_printf(&g->dot, " [id=\"e-%zu\" class=\"step\" label=", i);
        dot_quoted(&g->dot, label, strlen(label));
        json_buf_printf(&g->dot, " href=\"#path-%zu-%u\"];\n", e->start, e->path);
    }
}

/* One path: runs of steps by the same actor become one edge to the next
 * actor, the last run an edge to the principal (or capability) gained. */
static void add_path(graph *g, int from, const json_value *pth, size_t start, uint32_t pi)
{
    const json_value *steps = j_arr(pth, "steps");
    const char *target = j_str(pth, "principal");
    const char *tkey;
    size_t tlen;
    principal_key(target ? target : (j_str(pth, "to") ? j_str(pth, "to") : "more permissions"),
                  &tkey, &tlen);
    int to = node_of(g, tkey, tlen);
    if (to >= 0) {
        g->nodes[to].capped |= j_str(pth, "boundary") != NULL;
        g->nodes[to].capability |= target == NULL;
    }
    char label[190];
    size_t ll = 0;
    int actor = from;
    for (uint32_t k = 0; k < j_len(steps); k++) {
        const json_value *st = &steps->u.items[k];
        const char *who = step_actor(st);
        int a = actor;
        if (who) {
            const char *key;
            size_t len;
            principal_key(who, &key, &len);
            a = node_of(g, key, len);
        }
        if (a != actor && ll) {
            edge(g, actor, a, label, start, pi);
            ll = 0;
        }
        actor = a;
        char act[128];
        step_action(st, act, sizeof act);
        int n = snprintf(label + ll, sizeof label - ll, "%s%s", ll ? "\n" : "", act);
        if (n > 0)
            ll = ll + (size_t)n < sizeof label ? ll + (size_t)n : sizeof label - 1;
    }
    if (ll || actor != to)
        edge(g, actor, to, ll ? label : "gains", start, pi);
}

static void node_decls(graph *g)
{
    for (size_t i = 0; i < g->nnodes; i++) {
        const gnode *n = &g->nodes[i];
        const char *shown = n->key;
        size_t len = n->keylen;
        /* arn:aws:iam::123456789012:role/x -> role/x (the account in the tooltip) */
        const char *colon = memchr(n->key, ':', len);
        if (!n->capability && colon && len > 4 && !memcmp(n->key, "arn:", 4)) {
            const char *last = n->key;
            for (size_t k = 0; k < len; k++)
                if (n->key[k] == ':')
                    last = n->key + k + 1;
            len -= (size_t)(last - n->key);
            shown = last;
        }
        /* The node's name is its key: Graphviz writes it as the SVG
         * <title>, which browsers show on hover. */
        json_buf_puts(&g->dot, "  ");
        dot_quoted(&g->dot, n->key, n->keylen);
        json_buf_printf(&g->dot, " [id=\"n-%zu\" class=\"principal%s%s%s\" label=", i,
                        n->start ? " start" : "", n->capped ? " capped" : "",
                        n->capability ? " capability" : "");
        dot_quoted(&g->dot, shown, len > 80 ? 80 : len);
        json_buf_puts(&g->dot, n->start ? " style=\"filled,bold\" fillcolor=\"#dbe9ff\""
                               : n->capped ? " style=\"dashed\""
                               : " style=\"filled\" fillcolor=\"#ffe0e0\"");
        json_buf_puts(&g->dot, "];\n");
    }
}

static bool starts(const char *s, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - s) >= n && !memcmp(s, word, n);
}

/* Graphviz writes SVG 1.1: links as xlink:href with an xlink:title, and
 * the size in points.  Inline in HTML5, plain href is the standard form,
 * the <title> elements already give the hover text, and without width and
 * height the viewBox lets the picture scale to the page. */
static void copy_svg(rpt_page *p, const char *s, size_t n)
{
    const char *end = s + n, *run = s;
    bool in_root = true;
    while (s < end) {
        const char *skip_to = NULL;
        const char *put = NULL;
        if (*s == '>' && in_root) {
            in_root = false;
        } else if (starts(s, end, " xlink:href=")) {
            put = " href=";
            skip_to = s + 12;
        } else if (starts(s, end, " xlink:title=\"") ||
                   (in_root && (starts(s, end, " width=\"") || starts(s, end, " height=\"") ||
                                starts(s, end, " xmlns:xlink=\"")))) {
            const char *q = memchr(s, '"', (size_t)(end - s));
            q = q ? memchr(q + 1, '"', (size_t)(end - q - 1)) : NULL;
            if (q)
                skip_to = q + 1;
        }
        if (skip_to) {
            json_buf_append(p->out, run, (size_t)(s - run));
            if (put)
                h_raw(p, put);
            s = run = skip_to;
        } else {
            s++;
        }
    }
    json_buf_append(p->out, run, (size_t)(end - run));
}

/* Only the two plugins the page needs: the dot layout and the core SVG
 * renderer, loaded from Graphviz's plugin directory (GV_PLUGIN_DIR, from
 * pkg-config at build time).  Without a text-layout plugin Graphviz sizes
 * labels from its built-in font metrics, so the picture is the same on
 * every machine whatever fonts it has, and fontconfig (whose caches live
 * until exit) is never loaded.  The handles stay open: Graphviz keeps
 * pointers into them. */
#ifndef GV_PLUGIN_DIR
#define GV_PLUGIN_DIR "/usr/lib/x86_64-linux-gnu/graphviz"
#endif

static bool load_plugins(lt_symlist_t *list)
{
    static const char *const names[][2] = {
        { "libgvplugin_dot_layout.so.6", "gvplugin_dot_layout_LTX_library" },
        { "libgvplugin_core.so.6", "gvplugin_core_LTX_library" },
    };
    for (size_t i = 0; i < 2; i++) {
        char file[512];
        snprintf(file, sizeof file, "%s/%s", GV_PLUGIN_DIR, names[i][0]);
        void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
        void *lib = h ? dlsym(h, names[i][1]) : NULL;
        if (!lib)
            return false;
        list[i].name = names[i][1];
        list[i].address = lib;
    }
    list[2].name = NULL;
    list[2].address = NULL;
    return true;
}

static bool layout(rpt_page *p, const char *dot)
{
    agseterr(AGMAX);            /* Graphviz's warnings are not ours to print */
    static lt_symlist_t plugins[3];
    static bool loaded;
    if (!loaded && !(loaded = load_plugins(plugins)))
        return false;
    GVC_t *gvc = gvContextPlugins(plugins, 0);
    if (!gvc)
        return false;
    bool ok = false;
    Agraph_t *gr = agmemread(dot);
    if (gr && gvLayout(gvc, gr, "dot") == 0) {
        char *svg = NULL;
        unsigned int len = 0;
        if (gvRenderData(gvc, gr, "svg", &svg, &len) == 0 && svg) {
            /* Inline SVG needs no XML declaration or DOCTYPE. */
            const char *root = strstr(svg, "<svg");
            if (root) {
                h_raw(p, "<figure class=\"graph\" id=\"graph\">");
                copy_svg(p, root, len - (size_t)(root - svg));
                h_raw(p, "<figcaption>Escalation graph: principals and the calls between "
                         "them. Blue, bold: where the analysis starts; dashed: capped by a "
                         "permissions boundary; red: reached without a boundary.</figcaption>"
                         "</figure>\n");
                ok = true;
            }
        }
        gvFreeRenderData(svg);
        gvFreeLayout(gvc, gr);
    }
    if (gr)
        agclose(gr);
    gvFreeContext(gvc);
    return ok;
}

bool rpt_escalation_svg(rpt_page *p, const json_value *esc)
{
    graph *g = calloc(1, sizeof *g);        /* 400 nodes: too big for the stack */
    if (!g)
        return false;
    json_buf_init(&g->dot);
    for (size_t s = 0;; s++) {
        const json_value *start = esc->kind == JSON_ARRAY ? (s < esc->len ? &esc->u.items[s] : NULL)
                                                          : (s == 0 ? esc : NULL);
        if (!start)
            break;
        const char *from = j_str(start, "from");
        const char *key;
        size_t len;
        principal_key(from ? from : "?", &key, &len);
        int fi = node_of(g, key, len);
        if (fi >= 0)
            g->nodes[fi].start = true;
        const json_value *paths = j_arr(start, "paths");
        for (uint32_t i = 0; i < j_len(paths); i++)
            add_path(g, fi, &paths->u.items[i], s, i);
    }
    /* Courier: Graphviz's built-in metrics give every character 0.6 em, as
     * the browser's monospace font does, so labels fit their boxes. */
    json_buf_puts(&g->dot, "digraph escalation {\n  graph [rankdir=LR fontname=\"Courier\" "
                           "bgcolor=\"transparent\"];\n  node [shape=box fontname=\"Courier\" "
                           "fontsize=11];\n  edge [fontname=\"Courier\" fontsize=9];\n");
    node_decls(g);
    edge_decls(g);
    json_buf_puts(&g->dot, "}\n");
    json_buf_append(&g->dot, "", 1);
    bool ok = !g->overflow && !g->dot.failed && layout(p, g->dot.data);
    json_buf_free(&g->dot);
    free(g);
    return ok;
}
