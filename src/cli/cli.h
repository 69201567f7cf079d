/* cli.h - the iamguard command-line tool: one function per command. */
#ifndef IG_CLI_H
#define IG_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

/* Exit codes shared by every command. */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_BAD_INPUT = 2 };

int cmd_simulate(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_bench_compile(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_emulate(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_cfn(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_effective(int argc, char **argv);
int cmd_escalate(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_check_access_not_granted(int argc, char **argv);
int cmd_check_no_new_access(int argc, char **argv);
int cmd_check_no_public_access(int argc, char **argv);

/* True when stdout is a terminal (text output by default). */
/* NO_COLOR (no-color.org): set and not empty turns colour off; set but
 * empty does not. */
bool cli_no_color_env(void);
bool cli_stdout_is_tty(void);
/* Print a diagnostic to stderr in gcc style. */
/* For the servers: block SIGINT, SIGTERM and SIGHUP in every thread (the
 * main thread takes them with sigwait on *set) and ignore SIGPIPE. */
void cli_server_signals(sigset_t *set);
void cli_print_diag(const void *ig_diag_ptr);

#endif
