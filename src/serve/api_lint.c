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
    /* The findings grow with the input (a 7.5 MB policy has 300,000):
     * the answer keeps the first max_findings and says how many it left
     * out, in a member after the summary of those shown. */
    size_t cap = c->limits.max_findings ? c->limits.max_findings : 1000;
    lint_report shown = rep;
    if (shown.n > cap) shown.n = cap;
    lint_write_json(&shown, &r->body);
    if (rep.n > cap && r->body.len >= 2 && !strcmp(r->body.data + r->body.len - 2, "}\n")) {
        r->body.len -= 2;
        json_buf_printf(&r->body, ",\n  \"omittedFindings\": %zu,\n  \"totalFindings\": %zu\n}\n",
                        rep.n - cap, rep.n);
    }
    lint_report_free(&rep);
    r->status = r->body.failed ? 500 : 200;
}
