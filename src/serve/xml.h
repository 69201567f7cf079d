/* xml.h - a small XML writer for the AWS Query API's responses.
 *
 * Elements only (no attributes but the root's xmlns); text is escaped, and
 * characters XML 1.0 cannot carry (most C0 controls) become U+FFFD, so the
 * output is always well-formed whatever the input.  Writes into a json_buf
 * (a plain growable byte buffer with sticky allocation failure). */
#ifndef IG_XML_H
#define IG_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "json/json.h"

#define XML_MAX_DEPTH 32

typedef struct {
    json_buf *out;
    unsigned depth;
    const char *open[XML_MAX_DEPTH];    /* names must outlive the element */
} xml_writer;

void xw_init(xml_writer *w, json_buf *out);
/* <name xmlns="ns"> (ns may be NULL) */
void xw_open_ns(xml_writer *w, const char *name, const char *ns);
void xw_open(xml_writer *w, const char *name);
void xw_close(xml_writer *w);
/* <name>text</name> */
void xw_text(xml_writer *w, const char *name, const char *text);
void xw_text_n(xml_writer *w, const char *name, const char *text, size_t n);
void xw_bool(xml_writer *w, const char *name, bool v);
void xw_uint(xml_writer *w, const char *name, unsigned long long v);
/* Append escaped character data. */
void xml_escape(json_buf *b, const char *s, size_t n);

#endif
