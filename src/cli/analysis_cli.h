/* analysis_cli.h - what the analysis commands (effective, escalate,
 * check-access-not-granted, check-no-new-access, check-no-public-access)
 * share: naming the caller either as a principal of an account (--account
 * FILE ... PRINCIPAL) or by its policies (--policy/--boundary/--session
 * FILE with --as ARN), opening the catalog, and the output format. */
#ifndef IG_CLI_ANALYSIS_H
#define IG_CLI_ANALYSIS_H

#include <stdbool.h>
#include <stdio.h>

#include "iamguard.h"
#include "json/json.h"

#define ACLI_MAX_FILES 64
#define ACLI_MAX_ACCOUNTS 4096   /* --account files: pages, whole organisations */

typedef struct {
    const char *accounts[ACLI_MAX_ACCOUNTS];
    int naccounts;
    const char *policies[ACLI_MAX_FILES];
    int npolicies;
    const char *boundary, *session, *as;
    const char *catalog;
    const char *at;             /* --at TIME: the moment (default now) */
    bool json;
    bool html;                      /* effective --format html (json is set too) */
} acli_opts;

/* Consume one option of the shared set at argv[*i] (advancing *i past its
 * value).  1 consumed, 0 not one of ours, -1 bad (message printed). */
int acli_option(acli_opts *o, const char *cmd, int argc, char **argv, int *i);

/* Everything the caller was named with, loaded. */
typedef struct {
    ig_account *acct;
    ig_policy *owned[ACLI_MAX_FILES + 2];
    int nowned;
    ig_env *env;
    char label[512];
    char missing[700];          /* policies it has that the model lacks ("" none) */
} acli_subject;

/* The policies a principal of an account has that the account does not
 * contain (into buf, "" when none): what they allow is unknown, so no
 * proof about the principal may rely on their absence. */
void acli_missing(const ig_account *a, size_t i, char *buf, size_t cap);

/* Build the caller: `principal` names one of the accounts' principals (may
 * be NULL when --policy is used).  0 ok, else the exit code (diagnostic
 * printed). */
int acli_subject_load(const acli_opts *o, const char *cmd, const char *principal,
                      acli_subject *out);
void acli_subject_free(acli_subject *s);
/* Load only the accounts (for escalate). */
int acli_accounts_load(const acli_opts *o, const char *cmd, ig_account **out);
/* Compile one policy file of a given type (exit code on failure). */
int acli_policy_file(const char *path, ig_policy_type type, ig_policy **out);

ig_analyzer *acli_analyzer(const acli_opts *o, const char *cmd, ig_catalog **cat);

/* Split "a,b,c" into at most cap pieces (in place); returns how many. */
int acli_split(char *s, const char **out, int cap);

/* The analysis section `iamguard check` adds for a scenario of the seed's
 * shape (src/analyze/seed*.c; s NULL: the built-in imaging-viewer
 * example): as text on stdout, or (w not NULL) as the "analysis" member of
 * the open JSON object w.  Needs the catalog; without one the section says
 * it was skipped.  *not_held (may be NULL) gets how many of its claims do
 * not hold (refuted or unknown); 0 when skipped. */
struct chk_scenario;
void acli_check_section(const struct chk_scenario *s, json_writer *w, size_t *not_held);
/* Only that count, without a report (for formats that carry no analysis). */
size_t acli_check_not_held(const struct chk_scenario *s);

/* The help text of the shared options. */
extern const char ACLI_HELP[];

#endif
