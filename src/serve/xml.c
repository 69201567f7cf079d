/* xml.c - writing escaped, always well-formed XML elements. */
#include <string.h>

#include "serve/xml.h"

void xw_init(xml_writer *w, json_buf *out)
{
    w->out = out;
    w->depth = 0;
}

void xml_escape(json_buf *b, const char *s, size_t n)
{
    size_t run = 0;         /* bytes copied as they are, flushed in one go */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        case '\r': rep = "&#13;"; break;     /* parsers would normalise a raw CR */
        case '\t': case '\n': break;
        default:
            if (c < 0x20 || c == 0x7F) rep = "&#xFFFD;";
            break;
        }
        if (!rep) {
            run++;
            continue;
        }
        json_buf_append(b, s + i - run, run);
        run = 0;
        json_buf_puts(b, rep);
    }
    json_buf_append(b, s + n - run, run);
}

void xw_open_ns(xml_writer *w, const char *name, const char *ns)
{
    if (w->depth >= XML_MAX_DEPTH) {
        w->out->failed = true;
        return;
    }
    w->open[w->depth++] = name;
    json_buf_printf(w->out, "<%s", name);
    if (ns) {
        json_buf_puts(w->out, " xmlns=\"");
        xml_escape(w->out, ns, strlen(ns));
        json_buf_puts(w->out, "\"");
    }
    json_buf_puts(w->out, ">");
}

void xw_open(xml_writer *w, const char *name)
{
    xw_open_ns(w, name, NULL);
}

void xw_close(xml_writer *w)
{
    if (w->depth == 0) {
        w->out->failed = true;
        return;
    }
    json_buf_printf(w->out, "</%s>", w->open[--w->depth]);
}

void xw_text_n(xml_writer *w, const char *name, const char *text, size_t n)
{
    json_buf_printf(w->out, "<%s>", name);
    xml_escape(w->out, text, n);
    json_buf_printf(w->out, "</%s>", name);
}

void xw_text(xml_writer *w, const char *name, const char *text)
{
    xw_text_n(w, name, text ? text : "", text ? strlen(text) : 0);
}

void xw_bool(xml_writer *w, const char *name, bool v)
{
    xw_text(w, name, v ? "true" : "false");
}

void xw_uint(xml_writer *w, const char *name, unsigned long long v)
{
    json_buf_printf(w->out, "<%s>%llu</%s>", name, v, name);
}
