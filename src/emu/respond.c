/* respond.c - successful replies: <ActionResponse><ActionResult>...,
 * ResponseMetadata, and values in the encodings AWS uses (policy documents
 * URL-encoded, times in ISO 8601). */
#include <stdio.h>
#include <string.h>

#include "emu/emu_int.h"

void emu_begin(emu_call *c, xml_writer *w, bool result)
{
    c->r->body.len = 0;
    c->r->body.failed = false;
    xw_init(w, &c->r->body);
    /* element names must outlive the writer: they live in the call arena */
    const char *root = emu_printf(c, "%sResponse", c->action);
    const char *res = emu_printf(c, "%sResult", c->action);
    if (!root || !res) {
        c->r->body.failed = true;
        return;
    }
    xw_open_ns(w, root, c->sts ? EMU_STS_XMLNS : EMU_IAM_XMLNS);
    if (result)
        xw_open(w, res);
}

void emu_end(emu_call *c, xml_writer *w)
{
    if (w->depth == 2)
        xw_close(w);
    xw_open(w, "ResponseMetadata");
    xw_text(w, "RequestId", c->r->request_id);
    xw_close(w);
    xw_close(w);
    json_buf_puts(&c->r->body, "\n");
    c->r->status = 200;
    c->r->content_type = "text/xml";
    if (c->r->body.failed)
        emu_error(c, 500, "ServiceFailure", "out of memory");
}

bool emu_end_list(emu_call *c, xml_writer *w, long n, long max, long start)
{
    xw_close(w);
    xw_bool(w, "IsTruncated", n > max);
    if (n > max)
        xw_uint(w, "Marker", (unsigned long long)(start + max));
    emu_end(c, w);
    return !c->failed;
}

bool emu_ok_empty(emu_call *c)
{
    xml_writer w;
    emu_begin(c, &w, false);
    emu_end(c, &w);
    return !c->failed;
}

/* RFC 3986 unreserved characters stay, everything else is %XX (a space is
 * %20: botocore decodes with unquote, not unquote_plus). */
void emu_xml_document(xml_writer *w, const char *name, const char *doc)
{
    static const char H[] = "0123456789ABCDEF";
    json_buf enc;
    json_buf_init(&enc);
    for (const unsigned char *p = (const unsigned char *)doc; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            json_buf_append(&enc, (const char *)p, 1);
        } else {
            char e[3] = { '%', H[*p >> 4], H[*p & 15] };
            json_buf_append(&enc, e, 3);
        }
    }
    if (enc.failed)
        w->out->failed = true;
    else
        xw_text_n(w, name, enc.data ? enc.data : "", enc.len);
    json_buf_free(&enc);
}

void emu_xml_time(xml_writer *w, const char *name, long long t)
{
    char iso[32];
    emu_iso_time((time_t)t, iso);
    xw_text(w, name, iso);
}
