/* framing.c - refuse requests whose length two parties could read
 * differently (request smuggling): a front proxy that honours one header
 * and a server that honours another see different requests on the same
 * connection.  libmicrohttpd prefers Transfer-Encoding and takes the first
 * Content-Length; we accept only one unambiguous framing. */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/server_int.h"

typedef struct {
    unsigned content_length, transfer_encoding, host;
    bool chunked_only;
} framing;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    framing *f = cls;
    (void)kind;
    if (!strcasecmp(key, "Content-Length")) {
        f->content_length++;
    } else if (!strcasecmp(key, "Transfer-Encoding")) {
        f->transfer_encoding++;
        f->chunked_only = value && !strcasecmp(value, "chunked");
    } else if (!strcasecmp(key, "Host")) {
        f->host++;
    }
    return MHD_YES;
}

const char *serve_framing_error(void *conn, const char *version)
{
    framing f = { 0 };
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_header, &f);
    if (f.content_length > 1)
        return "more than one Content-Length header";
    if (f.transfer_encoding > 1)
        return "more than one Transfer-Encoding header";
    if (f.transfer_encoding && f.content_length)
        return "both Content-Length and Transfer-Encoding";
    if (f.transfer_encoding && !f.chunked_only)
        return "a Transfer-Encoding other than chunked";
    if (version && !strcmp(version, MHD_HTTP_VERSION_1_1) && f.host != 1)
        return f.host ? "more than one Host header" : "an HTTP/1.1 request without Host";
    return NULL;
}
