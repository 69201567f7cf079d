/* cmd_emulate.c - `iamguard emulate`: the IAM emulator (docs/emulator.md).
 *
 *   iamguard emulate [serve] [--db FILE] [--listen HOST:PORT] ...
 *   iamguard emulate export  [--db FILE] [--output FILE]
 *   iamguard emulate import  [--db FILE] [--aws-managed FILE.jsonl] [AUTHZ.json|SCENARIO.yml ...]
 *   iamguard emulate session [--db FILE] --role NAME --service PRINCIPAL
 *
 * A command of its own rather than a mode of `serve`: it shares the HTTP
 * server (src/serve/server.c) but has state, keys and subcommands that
 * `serve`'s stateless options should not grow. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/server_opts.h"
#include "emu/emu.h"
#include "iamguard.h"
#include "util/file.h"

static const char USAGE[] =
"usage: iamguard emulate [serve] [--db FILE] [--listen HOST:PORT] [options]\n"
"       iamguard emulate export [--db FILE] [--output FILE]\n"
"       iamguard emulate import [--db FILE] [--aws-managed FILE.jsonl] [AUTHZ.json|SCENARIO.yml ...]\n"
"       iamguard emulate session [--db FILE] --role NAME --service PRINCIPAL\n"
"                                [--session-name NAME] [--duration SECONDS]\n"
"\n"
"An AWS IAM and STS endpoint with real state that enforces IAM policies with\n"
"iamguard's evaluator (docs/emulator.md).  Point the AWS CLI or an SDK at it:\n"
"  aws --endpoint-url http://127.0.0.1:4566 iam create-role ...\n"
"\n"
"On first start the database gets the account and a bootstrap administrator key\n"
"(the account root), printed once; or give the key in IAMGUARD_EMULATOR_ACCESS_KEY_ID\n"
"and IAMGUARD_EMULATOR_SECRET_ACCESS_KEY.\n"
"\n"
"options:\n"
"  --db FILE              the state (SQLite, WAL; default ./iamguard.db)\n"
"  --account ID           12-digit account id of a new database (default 123456789012)\n"
"  --listen HOST:PORT     address to bind (default 127.0.0.1:4566; port 0 picks one)\n"
"  --max-skew SECONDS     accepted clock skew of signatures (default 900, AWS's)\n"
"  --threads N, --timeout SECONDS, --max-body BYTES, --max-connections N,\n"
"  --access-log FILE|-|off, --grace SECONDS   as for `iamguard serve`\n"
"%s"
"\n"
"export   write the account as `aws iam get-account-authorization-details` JSON\n"
"import   add users, groups, roles and policies from such JSON (one transaction\n"
"         per file), or from a scenario of `iamguard check` (a file that is not\n"
"         such JSON): its policies become customer managed policies, its\n"
"         principals users and roles; --aws-managed loads AWS managed policies\n"
"         (JSON lines of name, arn, version, document)\n"
"session  credentials of a role as a service gets them (its trust policy must\n"
"         allow the service principal), as `aws sts assume-role` prints them\n"
"\n"
"exit status: 0 ok, 1 refused (session) or cannot listen, 2 bad options or input.\n";

typedef struct {
    emu_options emu;
    serve_options srv;
    unsigned grace;
    const char *output, *aws_managed, *role, *service, *session_name;
    unsigned duration;
    const char *files[64];
    size_t nfiles;
} opts;

static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "iamguard emulate: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    return EXIT_BAD_INPUT;
}

static bool count(const char *s, unsigned long long min, unsigned long long max, unsigned long long *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9') return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v < min || v > max) return false;
    *out = v;
    return true;
}

static int parse(int argc, char **argv, int first, opts *o)
{
    for (int i = first; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long n;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { printf(USAGE, CLI_SERVER_OPTS_HELP); exit(EXIT_OK); }
        if (a[0] != '-') {
            if (o->nfiles >= sizeof o->files / sizeof o->files[0]) return bad("too many files", NULL);
            o->files[o->nfiles++] = a;
            continue;
        }
        if (!v) return bad("missing value for", a);
        i++;
        int taken = cli_server_opt("emulate", a, v, &o->srv);
        if (taken < 0) return EXIT_BAD_INPUT;
        if (taken) continue;
        if (!strcmp(a, "--db")) o->emu.db_path = v;
        else if (!strcmp(a, "--account")) o->emu.account = v;
        else if (!strcmp(a, "--listen")) o->srv.listen = v;
        else if (!strcmp(a, "--access-log")) o->srv.access_log = v;
        else if (!strcmp(a, "--output")) o->output = v;
        else if (!strcmp(a, "--aws-managed")) o->aws_managed = v;
        else if (!strcmp(a, "--role")) o->role = v;
        else if (!strcmp(a, "--service")) o->service = v;
        else if (!strcmp(a, "--session-name")) o->session_name = v;
        else if (!strcmp(a, "--duration")) {
            if (!count(v, 900, 43200, &n)) return bad("--duration takes 900..43200 seconds, got", v);
            o->duration = (unsigned)n;
        } else if (!strcmp(a, "--max-skew")) {
            if (!count(v, 1, 86400, &n)) return bad("--max-skew takes 1..86400 seconds, got", v);
            o->emu.max_skew_s = (unsigned)n;
        } else if (!strcmp(a, "--threads")) {
            if (!count(v, 1, 256, &n)) return bad("--threads takes 1..256, got", v);
            o->srv.threads = (unsigned)n;
        } else if (!strcmp(a, "--timeout")) {
            if (!count(v, 1, 3600, &n)) return bad("--timeout takes 1..3600 seconds, got", v);
            o->srv.timeout_s = (unsigned)n;
        } else if (!strcmp(a, "--max-body")) {
            if (!count(v, 1024, 1ull << 30, &n)) return bad("--max-body takes 1024..1073741824 bytes, got", v);
            o->srv.limits.max_body = (size_t)n;
        } else if (!strcmp(a, "--max-connections")) {
            if (!count(v, 1, 100000, &n)) return bad("--max-connections takes 1..100000, got", v);
            o->srv.max_connections = (unsigned)n;
        } else if (!strcmp(a, "--grace")) {
            if (!count(v, 0, 3600, &n)) return bad("--grace takes 0..3600 seconds, got", v);
            o->grace = (unsigned)n;
        } else {
            return bad("unknown option", a);
        }
    }
    return 0;
}

static emu *open_db(const opts *o)
{
    emu *e;
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (emu_open(&o->emu, &e, &d) != IG_OK) {
        cli_print_diag(&d);
        return NULL;
    }
    const char *id, *secret;
    if (emu_created_key(e, &id, &secret))
        fprintf(stderr, "iamguard emulate: created the bootstrap administrator key (the account root of %s),"
                        " shown this once:\n  AWS_ACCESS_KEY_ID=%s\n  AWS_SECRET_ACCESS_KEY=%s\n",
                emu_account(e), id, secret);
    return e;
}

static int write_out(const char *path, const json_buf *b)
{
    FILE *f = path && strcmp(path, "-") ? fopen(path, "w") : stdout;
    if (!f)
        return bad("cannot write", path);
    size_t n = fwrite(b->data, 1, b->len, f);
    int rc = (f != stdout ? fclose(f) : fflush(f)) == 0 && n == b->len ? EXIT_OK : bad("cannot write", path);
    return rc;
}

static int run_export(const opts *o)
{
    emu *e = open_db(o);
    if (!e)
        return EXIT_BAD_INPUT;
    json_buf b;
    json_buf_init(&b);
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = emu_export_authz(e, &b, &d) == IG_OK ? write_out(o->output, &b)
           : (fprintf(stderr, "iamguard emulate: %s\n", d.msg), EXIT_BAD_INPUT);
    json_buf_free(&b);
    emu_close(e);
    return rc;
}

/* get-account-authorization-details JSON: an object naming one of its lists
 * (the rule of ig_account_load_file); anything else is taken for a scenario. */
static bool authz_details(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
        i++;
    return i < len && text[i] == '{' &&
           (strstr(text, "\"UserDetailList\"") || strstr(text, "\"RoleDetailList\"") ||
            strstr(text, "\"GroupDetailList\"") || strstr(text, "\"Policies\""));
}

static int import_file(emu *e, const char *path, bool managed)
{
    size_t len;
    const char *err;
    char *text = ig_read_file(path, IG_MAX_FILE, &len, &err);
    if (!text) {
        fprintf(stderr, "%s: error: %s\n", path, err);
        return EXIT_BAD_INPUT;
    }
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (!managed && !authz_details(text, len)) {
        free(text);
        int rc = emu_import_scenario(e, path, stderr, &d);
        if (rc != IG_OK && d.file[0])
            cli_print_diag(&d);             /* the scenario does not load: file:line:column */
        else if (rc != IG_OK)
            fprintf(stderr, "iamguard emulate: %s\n", d.msg);
        return rc == IG_OK ? EXIT_OK : EXIT_BAD_INPUT;
    }
    int rc = managed ? emu_import_managed(e, text, len, path, &d) : emu_import_authz(e, text, len, path, &d);
    free(text);
    if (rc != IG_OK) {
        fprintf(stderr, "iamguard emulate: %s\n", d.msg);
        return EXIT_BAD_INPUT;
    }
    return EXIT_OK;
}

static int run_import(const opts *o)
{
    if (!o->aws_managed && !o->nfiles)
        return bad("import needs FILE arguments or --aws-managed", NULL);
    emu *e = open_db(o);
    if (!e)
        return EXIT_BAD_INPUT;
    int rc = o->aws_managed ? import_file(e, o->aws_managed, true) : EXIT_OK;
    for (size_t i = 0; rc == EXIT_OK && i < o->nfiles; i++)
        rc = import_file(e, o->files[i], false);
    emu_close(e);
    return rc;
}

static int run_session(const opts *o)
{
    if (!o->role || !o->service)
        return bad("session needs --role NAME and --service PRINCIPAL", NULL);
    emu *e = open_db(o);
    if (!e)
        return EXIT_BAD_INPUT;
    json_buf b;
    json_buf_init(&b);
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = emu_service_session(e, o->role, o->service, o->session_name ? o->session_name : o->role,
                                 o->duration ? o->duration : 3600, &b, &d);
    if (rc == IG_OK) {
        rc = write_out(NULL, &b);
    } else {
        fprintf(stderr, "iamguard emulate: %s\n", d.msg);
        rc = rc == IG_E_IO ? EXIT_BAD_INPUT : EXIT_FINDINGS;
    }
    json_buf_free(&b);
    emu_close(e);
    return rc;
}

static int run_server(opts *o)
{
    if (o->nfiles)
        return bad("unexpected argument", o->files[0]);
    emu *e = open_db(o);
    if (!e)
        return EXIT_BAD_INPUT;
    o->srv.query_fn = emu_handle;
    o->srv.query_ud = e;
    sigset_t set;
    cli_server_signals(&set);
    serve_server *srv;
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = serve_start(&o->srv, &srv, &d);
    if (rc != IG_OK) {
        cli_print_diag(&d);
        emu_close(e);
        return rc == IG_E_IO && !d.file[0] ? EXIT_FINDINGS : EXIT_BAD_INPUT;
    }
    fprintf(stderr, "iamguard emulate: listening on %s port %u (account %s, database %s)\n", o->srv.listen,
            serve_port(srv), emu_account(e), o->emu.db_path);
    for (;;) {
        int sig;
        if (sigwait(&set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            serve_reload(srv, &d);          /* reopens the access log */
            continue;
        }
        fprintf(stderr, "iamguard emulate: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        break;
    }
    serve_stop(srv, o->grace);
    emu_close(e);
    fprintf(stderr, "iamguard emulate: stopped\n");
    return EXIT_OK;
}

int cmd_emulate(int argc, char **argv)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    opts o;
    memset(&o, 0, sizeof o);
    o.emu.db_path = "iamguard.db";
    o.emu.boot_key_id = getenv("IAMGUARD_EMULATOR_ACCESS_KEY_ID");
    o.emu.boot_secret = getenv("IAMGUARD_EMULATOR_SECRET_ACCESS_KEY");
    o.srv = (serve_options){ .listen = "127.0.0.1:4566", .access_log = "-",
                             .threads = cpus > 0 && cpus <= 256 ? (unsigned)cpus : 2,
                             .timeout_s = 10, .max_connections = 1024,
                             .limits = { .max_body = 8u << 20, .max_batch = 1 } };
    o.grace = 5;
    const char *sub = argc > 1 && argv[1][0] != '-' ? argv[1] : "serve";
    int first = argc > 1 && argv[1][0] != '-' ? 2 : 1;
    int rc = parse(argc, argv, first, &o);
    if (rc)
        return rc;
    if (!strcmp(sub, "serve")) return run_server(&o);
    if (!strcmp(sub, "export")) return o.nfiles ? bad("unexpected argument", o.files[0]) : run_export(&o);
    if (!strcmp(sub, "import")) return run_import(&o);
    if (!strcmp(sub, "session")) return o.nfiles ? bad("unexpected argument", o.files[0]) : run_session(&o);
    return bad("unknown subcommand", sub);
}
