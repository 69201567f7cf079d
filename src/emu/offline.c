/* offline.c - running the emulator's operations without an HTTP request
 * (`iamguard emulate export|import|session`): a call whose error reply
 * becomes a diagnostic. */
#include <stdio.h>
#include <string.h>

#include "emu/emu_int.h"
#include "policy/policy.h"

void emu_offline_begin(emu *e, emu_call *c, serve_reply *r)
{
    memset(c, 0, sizeof *c);
    serve_reply_init(r);
    serve_request_id(r->request_id);
    c->e = e;
    c->r = r;
    c->action = "";
    c->now = time(NULL);
    ig_arena_init(&c->arena);
}

int emu_offline_end(emu_call *c, serve_reply *r, bool ok, ig_diag *diag)
{
    int rc = IG_OK;
    if (!ok) {
        const char *body = r->body.data ? r->body.data : "";
        const char *m = strstr(body, "<Message>"), *end = m ? strstr(m, "</Message>") : NULL;
        char msg[400];
        if (m && end)
            snprintf(msg, sizeof msg, "%.*s", (int)(end - m - 9), m + 9);
        else
            snprintf(msg, sizeof msg, "failed (status %d)", r->status);
        rc = r->status >= 500 ? IG_E_IO : IG_E_INPUT;
        ig_diag_set(diag, rc, NULL, NULL, 0, 0, "%s", msg);
    }
    emu_authz_free(c->authz);
    form_free(&c->f);
    serve_reply_free(r);
    ig_arena_free(&c->arena);
    return rc;
}
