/* main.c - `iamguard COMMAND ...`: dispatch to the commands. */
#include <stdio.h>         /* first: it defines __GLIBC__ */
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "iamguard.h"

static const struct {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} COMMANDS[] = {
    { "simulate", cmd_simulate, "decide requests against IAM policies (AWS simulator semantics)" },
    { "bench",    cmd_bench,    "measure decisions per second on a workload" },
    { "bench-compile", cmd_bench_compile, "measure policy parse+compile throughput on a corpus" },
    { "serve",    cmd_serve,    "HTTP decision service and AWS IAM simulator endpoint" },
    { "emulate",  cmd_emulate,  "IAM/STS emulator with state that enforces policies (AWS CLI and SDKs)" },
    { "catalog",  cmd_catalog,  "the AWS actions, resource types and condition keys iamguard knows" },
    { "lint",     cmd_lint,     "find mistakes in IAM policies and templates (with positions and fixes)" },
    { "cfn",      cmd_cfn,      "render the seed's CloudFormation template; show what a template declares" },
    { "check",    cmd_check,    "check a deployment scenario: expected decisions and the claims they prove" },
    { "fix",      cmd_fix,      "repair a scenario's policies until every expectation and claim holds, with a diff" },
    { "effective", cmd_effective, "what a principal can do: actions and resource patterns, conditions attached" },
    { "escalate", cmd_escalate, "privilege-escalation paths in an account, step by step" },
    { "check-access-not-granted", cmd_check_access_not_granted, "prove no request for given actions/resources is allowed, or show one" },
    { "check-no-new-access", cmd_check_no_new_access, "prove NEW policies allow nothing OLD ones do not, or show a request" },
    { "check-no-public-access", cmd_check_no_public_access, "prove a resource policy lets nobody outside the account in" },
};

void cli_server_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

bool cli_stdout_is_tty(void) { return isatty(STDOUT_FILENO) == 1; }

bool cli_no_color_env(void)
{
    const char *v = getenv("NO_COLOR");
    return v && v[0];
}

void cli_print_diag(const void *p)
{
    char buf[1024];
    fprintf(stderr, "%s\n", ig_diag_format((const ig_diag *)p, buf, sizeof buf));
}

static void usage(FILE *f)
{
    fprintf(f, "usage: iamguard COMMAND [ARGS...]\n\n"
               "iamguard %s: an exact AWS IAM policy engine.\n\ncommands:\n", IAMGUARD_VERSION);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(f, "\n`iamguard COMMAND --help` describes a command; docs/ has a page for each\n"
               "(man iamguard-COMMAND once installed). -V, --version: the version.\n");
}

/* iamguard compiles and frees policy after policy in one process (lint
 * over a corpus, serve and its reloads, check): keep freed memory for the
 * next one instead of handing big blocks back to the kernel after every
 * compile and faulting them in again (about a tenth of the compile time
 * with glibc's defaults; docs/performance.md). */
static void tune_allocator(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

static bool is_version_flag(const char *arg)
{
    return !strcmp(arg, "--version") || !strcmp(arg, "-V");
}

/* `iamguard COMMAND ... --version` (or -V) anywhere before a "--", as
 * users of other command-line tools expect; answered here so that every
 * command, present and future, has it. */
static bool asks_version(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (is_version_flag(argv[i]))
            return true;
    return false;
}

static void print_version(void) { printf("iamguard %s\n", IAMGUARD_VERSION); }

int main(int argc, char **argv)
{
    tune_allocator();
    if (argc < 2) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (is_version_flag(argv[1])) {
        print_version();
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (!strcmp(argv[1], COMMANDS[i].name)) {
            if (asks_version(argc - 1, argv + 1)) {
                print_version();
                return EXIT_OK;
            }
            return COMMANDS[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, "iamguard: unknown command \"%s\"\n", argv[1]);
    usage(stderr);
    return EXIT_BAD_INPUT;
}
