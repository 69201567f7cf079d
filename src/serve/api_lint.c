/* api_lint.c - POST /v1/lint: lint one policy with the service catalog the
 * server opened at start (src/lint/). */
#include <string.h>

#include "lint/lint.h"
#include "serve/serve.h"

void api_lint(const serve_ctx *c, const char *type, const char *body, size_t len, serve_reply *r)
{
    if (!c->catalog) {
        serve_json_error(r, 503, "no_catalog",
                         "linting needs the service catalog; start the server with --catalog", 0, 0);
        return;
    }
    lint_options lo = { .cat = c->catalog, .type = IG_POLICY_IDENTITY, .max_size = 0, .what = "" };
    if (type) {
        int t = 0;
        while (t < IG_POLICY_TYPE_COUNT && strcmp(type, ig_policy_type_name((ig_policy_type)t))) t++;
        if (t == IG_POLICY_TYPE_COUNT) {
            serve_json_error(r, 400, "invalid_input",
                             "type must be identity, permissionsBoundary, session, resource, scp or rcp", 0, 0);
            return;
        }
        lo.type = (ig_policy_type)t;
    }
    lint_report rep;
    lint_report_init(&rep);
    if (lint_policy_text(&lo, body, len, "<request>", &rep) != IG_OK || rep.failed) {
        lint_report_free(&rep);
        serve_json_error(r, 500, "out_of_memory", "out of memory", 0, 0);
        return;
    }
    lint_write_json(&rep, &r->body);
    lint_report_free(&rep);
    r->status = r->body.failed ? 500 : 200;
}
