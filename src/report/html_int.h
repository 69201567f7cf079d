/* html_int.h - the pieces of the HTML report shared by its sections. */
#ifndef IG_REPORT_HTML_INT_H
#define IG_REPORT_HTML_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "report/html.h"

#define RPT_MAX_FILES  64       /* policy files listed on one page */
#define RPT_MAX_MARKS  4096     /* highlighted statement lines */

typedef struct {
    const char *name;           /* as the report names it */
    const char *text;           /* NULL: not available */
    size_t len;
} rpt_file;

typedef struct {
    uint16_t file;
    uint32_t line;
} rpt_mark;

typedef struct {
    json_buf *out;
    const rpt_html_opts *opts;
    json_doc *scratch;          /* copies of file names */
    rpt_file files[RPT_MAX_FILES];
    size_t nfiles;
    rpt_mark marks[RPT_MAX_MARKS];  /* lines of statements that decided */
    size_t nmarks;
} rpt_page;

/* ---- writing ---- */
void h_raw(rpt_page *p, const char *s);
void h_printf(rpt_page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text content and attribute values: <, >, &, " and ' escaped. */
void h_text(rpt_page *p, const char *s);
void h_text_n(rpt_page *p, const char *s, size_t n);
/* An id or fragment made of [A-Za-z0-9-_] from any string (others as .XX). */
void h_id(rpt_page *p, const char *prefix, const char *s);
/* <code>…</code> around escaped text. */
void h_code(rpt_page *p, const char *s);

/* ---- the report's JSON ---- */
const char *j_str(const json_value *obj, const char *key);     /* NULL if absent */
long j_int(const json_value *obj, const char *key, long dflt);
bool j_bool(const json_value *obj, const char *key);
const json_value *j_arr(const json_value *obj, const char *key); /* NULL unless array */
size_t j_len(const json_value *arr);

/* ---- policy files and statement links ---- */
/* Index of a file in the page's list (added on first use), or -1. */
int rpt_file_index(rpt_page *p, const char *name, size_t n);
/* Walk the report and register every file a statement names, and the
 * lines of statements that decided something. */
void rpt_collect(rpt_page *p, const json_value *v);
/* A link to a statement object ({file, line, sid, policy}). */
void rpt_statement_link(rpt_page *p, const json_value *st);
/* "file:line:col (Sid)" as the escalation steps write allowedBy. */
void rpt_location_link(rpt_page *p, const char *where);
void rpt_policies_section(rpt_page *p);

/* ---- sections ---- */
void rpt_check_body(rpt_page *p, const json_value *root);
void rpt_escalation_section(rpt_page *p, const json_value *esc, bool top);
void rpt_effective_section(rpt_page *p, const json_value *eff, bool top);
size_t rpt_escalation_paths(const json_value *esc);
/* Whether the analysis proved every path stays within the boundary (its
 * claim no-way-around-the-boundary holds): paths then are the design. */
bool rpt_paths_capped(const json_value *analysis);

/* The escalation graph as inline SVG (Graphviz's C library).  Appends
 * nothing and returns false when the graph cannot be laid out. */
bool rpt_escalation_svg(rpt_page *p, const json_value *paths);

#endif
