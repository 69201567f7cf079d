/* cmd_serve.c - `iamguard serve`: run the decision service and AWS IAM
 * Query API endpoint until SIGTERM/SIGINT; SIGHUP reloads the policy sets.
 *
 * Signals are blocked before the server's threads start (they inherit the
 * mask) and taken synchronously here with sigwait, so no handler ever runs
 * inside libmicrohttpd or the evaluator. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/catalog_open.h"
#include "cli/cli.h"
#include "cli/server_opts.h"
#include "iamguard.h"
#include "serve/serve.h"

static const char USAGE[] =
"usage: iamguard serve [--listen HOST:PORT] [--policies DIR] [options]\n"
"\n"
"Serve decisions over HTTP (docs/serve.md):\n"
"  POST /v1/simulate    a simulation document; the output of `iamguard simulate`\n"
"  POST /v1/authorize   one request or a batch against a policy set of --policies\n"
"  POST /v1/reload      load --policies again (as SIGHUP does)\n"
"  GET  /healthz        status and loaded policy sets\n"
"  GET  /metrics        Prometheus metrics\n"
"  POST /v1/lint        lint the policy in the body (?type=identity|resource|...)\n"
"  POST /               AWS IAM Query API: SimulateCustomPolicy, SimulatePrincipalPolicy\n"
"                       (aws iam simulate-custom-policy --endpoint-url http://HOST:PORT)\n"
"\n"
"options:\n"
"  --listen HOST:PORT     address to bind (default 127.0.0.1:8642; port 0 picks a free one)\n"
"  --policies DIR         policy sets: each DIR/NAME.json holds the \"principal\" and\n"
"                         \"policies\" of a simulation document\n"
"  --threads N            worker threads (default: number of CPUs)\n"
"  --timeout SECONDS      close connections idle this long (default 10)\n"
"  --max-body BYTES       largest request body (default 8388608); larger is 413\n"
"  --max-batch N          most requests in one /v1/authorize call (default 100000)\n"
"  --max-connections N    open connections at most (default 1024)\n"
"  --access-log FILE      one JSON line per request to FILE; \"-\" stderr (default), \"off\"\n"
"  --grace SECONDS        on SIGTERM, wait this long for open requests (default 5)\n"
"  --catalog PATH         service catalog for /v1/lint (default: as `iamguard lint`)\n"
"%s"
"\n"
"Signals: SIGTERM/SIGINT stop gracefully; SIGHUP reloads --policies (a broken\n"
"directory keeps the old sets) and reopens the access log file.\n"
"exit status: 0 after a clean stop, 2 bad options or policies, 1 cannot listen.\n";

static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "iamguard serve: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    return EXIT_BAD_INPUT;
}

static bool parse_count(const char *s, unsigned long long min, unsigned long long max,
                        unsigned long long *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9') return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v < min || v > max) return false;
    *out = v;
    return true;
}

static int parse_opts(int argc, char **argv, serve_options *o, unsigned *grace,
                      const char **catalog)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long n;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { printf(USAGE, CLI_SERVER_OPTS_HELP); exit(EXIT_OK); }
        if (!v) return bad("missing value for", a);
        i++;
        int taken = cli_server_opt("serve", a, v, o);
        if (taken < 0) return EXIT_BAD_INPUT;
        if (taken) continue;
        if (!strcmp(a, "--listen")) o->listen = v;
        else if (!strcmp(a, "--policies")) o->policies_dir = v;
        else if (!strcmp(a, "--access-log")) o->access_log = v;
        else if (!strcmp(a, "--catalog")) *catalog = v;
        else if (!strcmp(a, "--threads")) {
            if (!parse_count(v, 1, 256, &n)) return bad("--threads takes 1..256, got", v);
            o->threads = (unsigned)n;
        } else if (!strcmp(a, "--timeout")) {
            if (!parse_count(v, 1, 3600, &n)) return bad("--timeout takes 1..3600 seconds, got", v);
            o->timeout_s = (unsigned)n;
        } else if (!strcmp(a, "--max-body")) {
            if (!parse_count(v, 1024, 1ull << 30, &n)) return bad("--max-body takes 1024..1073741824 bytes, got", v);
            o->limits.max_body = (size_t)n;
        } else if (!strcmp(a, "--max-batch")) {
            if (!parse_count(v, 1, 10000000, &n)) return bad("--max-batch takes 1..10000000, got", v);
            o->limits.max_batch = (size_t)n;
        } else if (!strcmp(a, "--max-connections")) {
            if (!parse_count(v, 1, 100000, &n)) return bad("--max-connections takes 1..100000, got", v);
            o->max_connections = (unsigned)n;
        } else if (!strcmp(a, "--grace")) {
            if (!parse_count(v, 0, 3600, &n)) return bad("--grace takes 0..3600 seconds, got", v);
            *grace = (unsigned)n;
        } else {
            return bad("unknown option", a);
        }
    }
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    serve_options o = {
        .listen = "127.0.0.1:8642", .access_log = "-",
        .threads = cpus > 0 && cpus <= 256 ? (unsigned)cpus : 2,
        .timeout_s = 10, .max_connections = 1024,
        .limits = { .max_body = 8u << 20, .max_batch = 100000 },
    };
    unsigned grace = 5;
    const char *catalog_path = NULL;
    int rc = parse_opts(argc, argv, &o, &grace, &catalog_path);
    if (rc)
        return rc;
    /* /v1/lint needs the catalog; without one the rest still serves */
    char used[1024];
    ig_diag cd;
    memset(&cd, 0, sizeof cd);
    ig_catalog *cat = cli_open_catalog(catalog_path, used, sizeof used, &cd);
    if (!cat && catalog_path) {
        cli_print_diag(&cd);
        return EXIT_BAD_INPUT;
    }
    if (!cat)
        fprintf(stderr, "iamguard serve: no service catalog (%s): /v1/lint answers 503\n", cd.msg);
    o.catalog = cat;
    sigset_t set;
    cli_server_signals(&set);
    serve_server *srv;
    ig_diag d;
    memset(&d, 0, sizeof d);
    if ((rc = serve_start(&o, &srv, &d)) != IG_OK) {
        cli_print_diag(&d);
        ig_catalog_close(cat);
        return rc == IG_E_IO && !d.file[0] ? EXIT_FINDINGS : EXIT_BAD_INPUT;
    }
    fprintf(stderr, "iamguard serve: listening on %s port %u (%u threads, policies: %s)\n",
            o.listen, serve_port(srv), o.threads, o.policies_dir ? o.policies_dir : "none");
    for (;;) {
        int sig;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            memset(&d, 0, sizeof d);
            if (serve_reload(srv, &d) == IG_OK) {
                fprintf(stderr, "iamguard serve: reloaded %s\n", o.policies_dir ? o.policies_dir : "the access log");
            } else {
                fprintf(stderr, "iamguard serve: reload failed, keeping the loaded policy sets\n");
                cli_print_diag(&d);
            }
            continue;
        }
        fprintf(stderr, "iamguard serve: %s, stopping (waiting up to %us for open requests)\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM", grace);
        break;
    }
    serve_stop(srv, grace);
    ig_catalog_close(cat);
    fprintf(stderr, "iamguard serve: stopped\n");
    return EXIT_OK;
}
