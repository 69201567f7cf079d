/* server_opts.c - parsing of the options in server_opts.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/server_opts.h"

const char CLI_SERVER_OPTS_HELP[] =
"  --header-timeout SECONDS  a request's headers must be in this long after the connection\n"
"                         opens or the previous response ends (default 5)\n"
"  --request-timeout SECONDS the whole request, body included (default 30)\n"
"  --max-connections-per-client N  open connections from one address (default: --max-connections)\n"
"  --body-budget BYTES    request body bytes held at once, all clients together; beyond it\n"
"                         503 with Retry-After (default 67108864, at least --max-body)\n"
"  --workers N            threads for heavy requests (default: --threads)\n"
"  --max-findings N       findings in one /v1/lint answer (default 1000)\n";

static bool number(const char *s, unsigned long long min, unsigned long long max, unsigned long long *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9') return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v < min || v > max) return false;
    *out = v;
    return true;
}

int cli_server_opt(const char *cmd, const char *a, const char *v, serve_options *o)
{
    static const struct { const char *name; unsigned long long min, max; const char *unit; } OPTS[] = {
        { "--header-timeout", 1, 3600, " seconds" },
        { "--request-timeout", 1, 3600, " seconds" },
        { "--max-connections-per-client", 1, 100000, "" },
        { "--body-budget", 1024, 1ull << 34, " bytes" },
        { "--workers", 1, 256, "" },
        { "--max-findings", 1, 10000000, "" },
    };
    size_t i = 0;
    while (i < sizeof OPTS / sizeof OPTS[0] && strcmp(a, OPTS[i].name)) i++;
    if (i == sizeof OPTS / sizeof OPTS[0])
        return 0;
    unsigned long long n;
    if (!number(v, OPTS[i].min, OPTS[i].max, &n)) {
        fprintf(stderr, "iamguard %s: %s takes %llu..%llu%s, got %s\n", cmd, a, OPTS[i].min, OPTS[i].max,
                OPTS[i].unit, v ? v : "nothing");
        return -1;
    }
    switch (i) {
    case 0: o->header_timeout_s = (unsigned)n; break;
    case 1: o->request_timeout_s = (unsigned)n; break;
    case 2: o->max_per_client = (unsigned)n; break;
    case 3: o->body_budget = (size_t)n; break;
    case 4: o->workers = (unsigned)n; break;
    default: o->limits.max_findings = (size_t)n; break;
    }
    return 1;
}
