/* account.h - the principals of an AWS account and the policies that
 * govern them, as the analysis reads them: users (with their groups),
 * groups, roles (with trust policies), managed policies with every version,
 * inline policies, permissions boundaries and tags.  Loaded from `aws iam
 * get-account-authorization-details` output, CloudFormation templates and
 * iamguard scenarios; one account may combine several sources. */
#ifndef IG_AN_ACCOUNT_H
#define IG_AN_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "iamguard.h"
#include "util/arena.h"

#define AN_MAX_VERSIONS 5
#define AN_MAX_PRINCIPALS 1000000
#define AN_MAX_MANAGED 1000000

typedef enum { AN_P_USER = 0, AN_P_ROLE, AN_P_GROUP } an_pkind;

typedef struct {
    const char *arn, *name;
    bool aws_managed;
    uint32_t nversions;
    const char *version_ids[AN_MAX_VERSIONS];
    ig_policy *versions[AN_MAX_VERSIONS];      /* compiled as identity policies */
    ig_policy *boundary[AN_MAX_VERSIONS];      /* the same, as boundaries */
    int default_version;
    const char *src;               /* FILE:LINE:COL of its entry (exports), or NULL */
    const char *sig;               /* what the analysis reads of it, to compare entries */
} an_mpolicy;

typedef struct {
    an_pkind kind;
    const char *name, *arn, *path;
    const char *caller_arn;        /* how it calls: user ARN, role session ARN */
    const char *description;       /* may be NULL */
    ig_policy **inl;               /* inline policies (identity) */
    size_t ninl;
    size_t *attached;              /* managed policy indexes */
    size_t nattached;
    const char **missing;          /* attached or boundary ARNs the model lacks */
    size_t nmissing;
    long boundary;                 /* managed policy index, or -1 */
    const char *boundary_arn;      /* also when not in the model */
    ig_policy *trust;              /* roles: the trust policy (resource type) */
    size_t *groups;                /* users: group indexes */
    size_t ngroups;
    const char **tag_keys, **tag_values;
    size_t ntags;
    bool trust_unknown;            /* a role whose trust policy the model lacks */
    const char *src;               /* FILE:LINE:COL of its entry (exports), or NULL */
    const char *sig;               /* what the analysis reads of it, to compare entries */
} an_principal;

/* A user's group that no file read so far lists (split exports: a later
 * one may). */
typedef struct {
    size_t user;
    const char *group, *src;
} an_pending_group;

struct ig_account {
    ig_arena arena;
    an_principal *p;
    size_t np, pcap;
    an_mpolicy *m;
    size_t nm, mcap;
    ig_policy **owned;
    size_t nowned, owncap;
    struct chk_scenario **scenarios;   /* kept alive: the account uses their policies */
    size_t nscenarios;
    char account_id[32];
    bool closed;                   /* every IAM entity is known (an account export) */
    size_t nsources;
    an_pending_group *pending;     /* memberships to resolve when their group is read */
    size_t npending, pendcap;
    /* ARN indexes (open-addressed entry indexes + 1), for the first
     * pidx_n principals and midx_n policies: kept up to date lazily. */
    uint32_t *pidx, *midx;
    size_t pidx_cap, pidx_n, midx_cap, midx_n;
};

/* Keep a loaded scenario until the account is freed. */
bool an_account_keep_scenario(ig_account *a, struct chk_scenario *s);
/* Add a compiled policy the account frees. */
bool an_account_own(ig_account *a, ig_policy *p);
an_principal *an_account_add_principal(ig_account *a, an_pkind kind, const char *name,
                                       const char *arn);
an_mpolicy *an_account_add_managed(ig_account *a, const char *arn, const char *name);
long an_account_find_managed(const ig_account *a, const char *arn);
/* A principal by its ARN exactly (indexed), or -1. */
long an_account_find_arn(const ig_account *a, const char *arn);
/* The ARN indexes are rebuilt on next use (after entries moved). */
void an_account_reindex(ig_account *a);
/* A principal by name, ARN (user, role or group) or role-session ARN. */
long an_account_find_principal(const ig_account *a, const char *name_or_arn);
/* The managed policy "arn:aws:iam::aws:policy/AdministratorAccess" (added
 * when first asked for, with its well-known document). */
long an_account_admin_policy(ig_account *a);
/* Attach a managed policy by ARN (recorded as missing when unknown). */
bool an_account_attach(ig_account *a, an_principal *p, const char *arn);
bool an_account_set_boundary(ig_account *a, an_principal *p, const char *arn);
void an_account_note_id(ig_account *a, const char *arn);
char *an_account_strdup(ig_account *a, const char *s);

/* The environment a principal calls with (caller frees with ig_env_free):
 * its inline and attached policies, its groups' policies and its boundary.
 * `identity_extra` (may be NULL) is added as one more identity policy;
 * `boundary_override`: 0 keep, 1 none, 2 use `boundary` instead. */
ig_env *an_account_env(ig_account *a, const an_principal *p, const ig_policy *identity_extra,
                       bool drop_own_policies, int boundary_override, const ig_policy *boundary,
                       ig_diag *diag);

/* Loaders.  Positions in diagnostics are file:line:column of the input. */
int an_account_load_authz(ig_account *a, const char *text, size_t len, const char *file,
                          ig_diag *diag);
int an_account_load_cfn(ig_account *a, const char *path, ig_diag *diag);
int an_account_load_scenario(ig_account *a, const char *path, ig_diag *diag);

/* After the last file: memberships of groups no file listed are an error
 * (IG_E_INPUT naming the user's entry). */
int an_account_finish(ig_account *a, ig_diag *diag);
/* Attachments and boundaries that name policies read since (split exports
 * in any order), and memberships whose group was read since. */
bool an_account_resolve(ig_account *a);

/* Compile a small JSON policy the analysis writes itself. */
ig_policy *an_account_compile(ig_account *a, const char *json, ig_policy_type type,
                              const char *id);

#endif
