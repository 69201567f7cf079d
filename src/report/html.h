/* html.h - self-contained HTML reports (`--format html` of check, escalate
 * and effective).
 *
 * A report page is a view of the command's JSON report: the renderer reads
 * the same document `--format json` prints, so the page can never say
 * something the JSON does not.  Policy files named by the report's
 * statements are shown with line numbers; their text comes from the
 * caller (the built-in example lives inside the binary).  The escalation
 * graph is laid out in-process by Graphviz's C library and inlined as SVG.
 * No network, no external scripts or fonts. */
#ifndef IG_REPORT_HTML_H
#define IG_REPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "json/json.h"

/* The text of a file a report names, or NULL when it cannot be shown.
 * The returned text must stay valid until the page is written. */
typedef const char *(*rpt_text_fn)(void *ctx, const char *file, size_t *len);

typedef enum {
    RPT_CHECK = 0,      /* `iamguard check --format json` */
    RPT_ESCALATE,       /* `iamguard escalate --format json` */
    RPT_EFFECTIVE       /* `iamguard effective --format json` */
} rpt_kind;

typedef struct {
    rpt_kind kind;
    const char *title;          /* page title */
    const char *command;        /* the command line shown in the page footer */
    rpt_text_fn text;           /* may be NULL: no policy listings */
    void *text_ctx;
} rpt_html_opts;

/* Render `report` (the parsed JSON report) as one HTML page appended to
 * `out`.  Returns 0, or -1 when memory ran out (out->failed). */
int rpt_html_render(json_buf *out, const json_value *report, const rpt_html_opts *o);

/* Render a JSON report given as text (what the commands build in memory). */
int rpt_html_from_json(json_buf *out, const char *json, size_t len, const rpt_html_opts *o,
                       char *err, size_t errcap);

/* The files a page shows: the built-in example's from inside the binary,
 * others read from disk (bounded), kept until rpt_sources_free. */
typedef struct rpt_sources rpt_sources;
rpt_sources *rpt_sources_new(void);
void rpt_sources_free(rpt_sources *s);
const char *rpt_sources_text(void *sources, const char *file, size_t *len);

/* The end of the terminal report: one line per claim (refuted first), the
 * counts, and where the full report is (`html_path`, or how to write one).
 * `root` is the check report's JSON. */
void rpt_text_summary(FILE *f, const json_value *root, const char *html_path, bool color);

#endif
