/* errors.c - error replies in AWS's shape (<ErrorResponse> with Type,
 * Code, Message and RequestId) and the call arena's string helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emu/emu_int.h"

static bool reply_error(emu_call *c, int status, const char *code, const char *msg)
{
    serve_reply *r = c->r;
    c->failed = true;
    r->status = status;
    r->content_type = "text/xml";
    r->detail = code;
    r->body.len = 0;
    r->body.failed = false;
    xml_writer w;
    xw_init(&w, &r->body);
    xw_open_ns(&w, "ErrorResponse", c->sts ? EMU_STS_XMLNS : EMU_IAM_XMLNS);
    xw_open(&w, "Error");
    xw_text(&w, "Type", status >= 500 ? "Receiver" : "Sender");
    xw_text(&w, "Code", code);
    xw_text(&w, "Message", msg);
    xw_close(&w);
    xw_text(&w, "RequestId", r->request_id);
    xw_close(&w);
    json_buf_puts(&r->body, "\n");
    return false;
}

static bool verror(emu_call *c, int status, const char *code, const char *fmt, va_list ap)
{
    char msg[2600];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return reply_error(c, status, code, msg);
}

bool emu_error(emu_call *c, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(c, status, code, fmt, ap);
    va_end(ap);
    return false;
}

bool emu_db_error(emu_call *c)
{
    /* the first failure is the one worth reporting */
    if (c->failed && c->r->status >= 500)
        return false;
    return reply_error(c, 500, "ServiceFailure",
                       "The request processing has failed because of an unknown error, exception or failure.");
}

#define KIND_ERROR(fn, status, code)                        \
    bool fn(emu_call *c, const char *fmt, ...)              \
    {                                                       \
        va_list ap;                                         \
        va_start(ap, fmt);                                  \
        verror(c, status, code, fmt, ap);                   \
        va_end(ap);                                         \
        return false;                                       \
    }

KIND_ERROR(emu_no_such, 404, "NoSuchEntity")
KIND_ERROR(emu_exists, 409, "EntityAlreadyExists")
KIND_ERROR(emu_conflict, 409, "DeleteConflict")
KIND_ERROR(emu_limit, 409, "LimitExceeded")
KIND_ERROR(emu_invalid, 400, "InvalidInput")

char *emu_strdup(emu_call *c, const char *s)
{
    char *d = ig_arena_strndup(&c->arena, s, strlen(s));
    if (!d)
        emu_error(c, 500, "ServiceFailure", "out of memory");
    return d;
}

char *emu_printf(emu_call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *out = n >= 0 ? ig_arena_alloc_raw(&c->arena, (size_t)n + 1) : NULL;
    if (!out) {
        emu_error(c, 500, "ServiceFailure", "out of memory");
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(out, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return out;
}
