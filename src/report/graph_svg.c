/* graph_svg.c - the escalation graph laid out by Graphviz's C library
 * (libgvc) in this process and inlined into the page as SVG: principals
 * are nodes, the calls of each hop of a path a labelled edge that links to
 * the path.  A graph beyond RPT_GRAPH_MAX_EDGES is not drawn: layout time
 * grows fast with size and such a picture is unreadable anyway. */
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

typedef struct {
    gnode nodes[RPT_GRAPH_MAX_NODES];
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
        if ((unsigned char)s[i] < 0x20)
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

static const char *step_action(const json_value *st)
{
    const char *a = j_str(st, "action");
    return a ? a : j_str(st, "method");
}

static void edge(graph *g, int from, int to, const char *label, size_t start, uint32_t pathno)
{
    if (from < 0 || to < 0)
        return;
    if (++g->nedges > RPT_GRAPH_MAX_EDGES) {
        g->overflow = true;
        return;
    }
    json_buf_puts(&g->dot, "  ");
    dot_quoted(&g->dot, g->nodes[from].key, g->nodes[from].keylen);
    json_buf_puts(&g->dot, " -> ");
    dot_quoted(&g->dot, g->nodes[to].key, g->nodes[to].keylen);
    json_buf_printf(&g->dot, " [id=\"e-%zu-%u-%zu\" class=\"step\" label=", start, pathno,
                    g->nedges);
    dot_quoted(&g->dot, label, strlen(label));
    json_buf_printf(&g->dot, " href=\"#path-%zu-%u\"];\n", start, pathno);
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
    char label[256];
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
        const char *act = step_action(st);
        if (act) {
            int n = snprintf(label + ll, sizeof label - ll, "%s%s", ll ? " + " : "", act);
            if (n > 0)
                ll = ll + (size_t)n < sizeof label ? ll + (size_t)n : sizeof label - 1;
        }
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

static bool layout(rpt_page *p, const char *dot)
{
    agseterr(AGMAX);            /* Graphviz's warnings are not ours to print */
    GVC_t *gvc = gvContext();
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
                         "them.</figcaption></figure>\n");
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
    /* Edges are written first (nodes are found along the way); the node
     * declarations then go in front of them. */
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
    json_buf edges = g->dot;
    json_buf_init(&g->dot);
    json_buf_puts(&g->dot, "digraph escalation {\n  graph [rankdir=LR fontname=\"sans-serif\" "
                           "bgcolor=\"transparent\"];\n  node [shape=box fontname=\"sans-serif\" "
                           "fontsize=11];\n  edge [fontname=\"sans-serif\" fontsize=9];\n");
    node_decls(g);
    json_buf_append(&g->dot, edges.data, edges.len);
    json_buf_puts(&g->dot, "}\n");
    json_buf_append(&g->dot, "", 1);
    bool ok = !g->overflow && !g->dot.failed && !edges.failed && layout(p, g->dot.data);
    json_buf_free(&edges);
    json_buf_free(&g->dot);
    free(g);
    return ok;
}
