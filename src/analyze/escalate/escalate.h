/* escalate.h - privilege-escalation paths (see escalate.c).
 *
 * Nodes are principals in a state: as the account has them, with an
 * identity policy the attacker wrote (admin), with their boundary removed
 * or replaced, with another version of one of their managed policies made
 * default, or with one more group.  Principals are the account's, the
 * roles and users a node can create (with the boundary it must give them),
 * and -- when the model is not a whole account -- roles outside the model
 * that a policy still names.  An edge is one method of AWS privilege
 * escalation, and exists only when ig_evaluate allows every request of it
 * for the acting node. */
#ifndef IG_AN_ESCALATE_H
#define IG_AN_ESCALATE_H

#include <stdio.h>

#include "analyze/account/account.h"
#include "analyze/analyze.h"
#include "json/json.h"

#define ES_MAX_NODES 2000000    /* principal states in one graph */
#define ES_BND_OWN (-2)
#define ES_BND_NONE (-1)
#define ES_MAX_STEPS 5

enum { ES_X_NONE = 0, ES_X_VERSION, ES_X_GROUP };

typedef struct {
    long p;                     /* principal index in the account */
    bool admin;                 /* identity: an attacker-written policy allowing all */
    long bnd;                   /* ES_BND_OWN, ES_BND_NONE or a managed policy index */
    int xkind;                  /* ES_X_*: one more policy source */
    long xref;                  /* managed policy or group index */
    int xver;                   /* ES_X_VERSION: version index */
} es_key;

#define ES_MAX_BY 4

/* A statement that allowed a step: where it is written. */
typedef struct {
    const char *file;           /* the policy's file, else its id */
    unsigned line, column;
    const char *sid;            /* NULL when it has none */
} es_by;

typedef struct {
    char call[1400];            /* "iam:PassRole on ARN with k=v (note)" */
    char by[600];               /* the statements that allowed it */
    /* The same request as fields, for JSON: */
    char action[96];
    uint16_t res_at, res_len;   /* the resource within call */
    uint16_t desc_len;          /* call[0, desc_len) is the request; a note follows */
    char ctx[400];              /* per entry: key '\x1e' value '\x1f', or key '\x1d' '\x1f' (absent) */
    uint8_t nby;
    es_by at[ES_MAX_BY];
} es_step;

enum { ES_E_BECOME = 0, ES_E_MODIFY };

/* A step as an edge keeps it: the texts interned in the graph (edges from
 * one node repeat most of them), not a buffer each. */
typedef struct {
    const char *call, *by;
    /* The request as fields, for JSON (es_step's, the texts interned): */
    const char *action;
    const char *ctx;
    uint16_t res_at, res_len, desc_len;
    uint8_t nby;
    es_by at[ES_MAX_BY];        /* files and sids live as long as the model */
} es_stepref;

typedef struct {
    int kind;                   /* ES_E_* */
    uint32_t target;            /* node index: the principal's base node, or the new state */
    const char *method;         /* short name: "sts:AssumeRole", "iam:PutRolePolicy", ... */
    const char *assumes;        /* what must exist for it to work, or NULL */
    uint32_t nsteps;
    es_stepref *steps;
} es_edge;

typedef struct {
    es_key key;
    ig_env *env;                /* how it calls */
    bool expanded;
    uint32_t nedges, ecap;
    es_edge *edges;
    an_effective eff;           /* escalation-relevant actions only */
    bool eff_done;
    an_effective full;          /* every action, for reports (on demand) */
    bool full_done;
    const char *timed;          /* a request it could make at another time (and when), or NULL */
} es_node;

enum {
    ES_P_ACCOUNT = 0,           /* in the account */
    ES_P_CREATED,               /* created by a node */
    ES_P_OUTSIDE                /* a role outside the model a policy names */
};

#define ES_MAX_SERVICES 24

typedef struct {
    int origin;                 /* ES_P_* */
    const char *why;            /* created: by which call; outside: the pattern */
    bool unknown_perms;         /* its permissions are not in the model */
    /* Caches: whether its trust policy lets each service assume it
     * (0 not asked, 1 no, 2 yes, 3 the model lacks the trust policy), and
     * whether the trust policy names any AWS principal at all. */
    uint8_t svc_trust[ES_MAX_SERVICES];
    int8_t trust_aws;           /* -1 not asked, 0 no, 1 yes */
    bool trust_cond;            /* some Allow of the trust policy has conditions */
} es_pinfo;

/* Per managed policy: the principals that have it (directly or through a
 * group) and those that have it as boundary. */
typedef struct {
    size_t *holders, nholders;
    size_t *bounded, nbounded;
} es_users;

/* An answer of the memo below. */
typedef struct {
    const char *key;
    int found;
    const char *call, *by, *res;
} es_memo;

typedef struct es_graph es_graph;
struct es_graph {
    an_ctx *c;
    ig_account *a;
    ig_arena arena;
    es_node *nodes;
    uint32_t nnodes, ncap;
    es_pinfo *pinfo;            /* per account principal (grows with it) */
    size_t npinfo;
    const ig_policy *admin_identity;
    uint64_t *filter;           /* the actions escalation methods use */
    bool open_world;            /* roles outside the model may exist */
    size_t checks;              /* requests evaluated */
    size_t np0, nm0, nowned0;   /* the account as it was: es_free restores it */
    uint32_t *index;            /* open-addressed node indexes + 1, by key */
    size_t icap;
    bool limit_hit;             /* ES_MAX_NODES reached */
    int node_err;               /* why es_node_of last failed (see es_node_failed) */
    size_t dropped_limit;       /* edges not added: ES_MAX_NODES reached */
    size_t dropped_invalid;     /* edges to a state IAM cannot have (no environment) */
    size_t unexpanded;          /* nodes over an effective-permissions bound: edges unknown */
    es_users *users;            /* per managed policy (built on first use) */
    size_t nusers;
    /* Catalog ids of the action names the methods use, by name pointer
     * (the names are string literals). */
    const char *id_name[1024];  /* open-addressed by address */
    uint32_t id_value[1024];
    uint32_t nids;
    struct es_tindex *tindex;   /* escalate_targets.c (built on first use) */
    const char **strs;          /* interned texts (open-addressed) */
    size_t nstrs, scap;
    const char **pat_key;       /* resource patterns compiled once (open-addressed) */
    const lang_expr **pat_val;
    size_t npat, pcap;
    ig_arena scratch;           /* es_scratch_literal: one at a time */
    es_memo *memo;              /* the answers of node memo_node */
    size_t nmemo, mcap;
    uint32_t memo_node;
    /* One start's facts (es_reach_from), reset entry by entry. */
    long *s_held, *s_made, *s_become;
    uint32_t *s_made_next, *s_made_head;
    size_t s_nn, s_np;
};

/* The account a principal belongs to (its ARN's), else the model's:
 * several accounts' exports analysed together act each in its own. */
const char *es_principal_account(es_graph *g, long p);
/* A text kept as long as the graph, one copy per distinct text. */
const char *es_intern(es_graph *g, const char *s);
/* A resource pattern as a formula, compiled once per graph. */
const lang_expr *es_pattern_cached(es_graph *g, const char *pat);
/* A literal as a formula, valid until the next call (no growth per ask). */
const lang_expr *es_scratch_literal(es_graph *g, const char *s);

/* Answers of one node's requests that do not depend on the target
 * (escalate.c; kept for the node being expanded). */
bool es_memo_key(char *out, size_t cap, const char *action, const lang_expr *universe,
                 const char *literal, const char *extra);
const es_memo *es_memo_find(es_graph *g, uint32_t node, const char *key);
void es_memo_put(es_graph *g, uint32_t node, const char *key, int found, const es_step *st,
                 const char *res);

/* The catalog id of an action name the methods use (cached). */
uint32_t es_action_id(es_graph *g, const char *name);

int es_init(es_graph *g, an_ctx *c, ig_account *a);
/* Make room for per-principal facts of principals added since. */
bool es_pinfo_grow(es_graph *g);
void es_free(es_graph *g);
/* The node of a key (created when new); UINT32_MAX when it cannot be
 * made: out of memory, ES_MAX_NODES reached, or a principal no environment
 * can be made for (g->node_err says which). */
uint32_t es_node_of(es_graph *g, const es_key *k);
/* After es_node_of failed: IG_E_NOMEM for a real allocation failure; IG_OK
 * when a bound was reached or the state cannot exist (counted, reported as
 * "paths may be missing"), so that the analysis goes on. */
int es_node_failed(es_graph *g);
/* The ARNs a new role (or user) can have in account `acct`: a name after
 * the path, never empty ("role/a/" is a path, not a role). */
const lang_expr *es_new_principal_universe(es_graph *g, bool user, const char *acct);
/* Compute a node's edges (once). */
int es_expand(es_graph *g, uint32_t n);

/* The principals node n's methods may act on (escalate_targets.c): a
 * superset of those some method applies to, ascending.  Returns how many;
 * *out NULL means every principal of the account; SIZE_MAX when out of
 * memory.  Valid until the next call.  `hijack`: the node can change code
 * that already runs as a role (some HIJACK row of the technique table). */
size_t es_targets(es_graph *g, uint32_t n, bool hijack, const uint32_t **out);
/* The same for the managed policies node n may change. */
size_t es_policy_targets(es_graph *g, uint32_t n, const uint32_t **out);
void es_targets_free(es_graph *g);

/* Methods (escalate_methods.c): add the edges of node n. */
int es_methods(es_graph *g, uint32_t n);

/* One start's reachable states, and how each was reached. */
enum {
    ES_R_START = 0,             /* the start node */
    ES_R_BECOME,                /* an actor's edge made a principal's base node held */
    ES_R_MODIFY,                /* an actor's edge produced a new state of a principal */
    ES_R_HOLD                   /* a state is held: produced (dep_a) and becomable (dep_b) */
};

typedef struct {
    uint32_t node;
    int kind;                   /* ES_R_* */
    long actor;                 /* the actor's held record (BECOME, MODIFY) */
    int edge;                   /* the actor node's edge index */
    long dep_a, dep_b;          /* ES_R_HOLD */
} es_rec;

/* held, made and become are the graph's arrays (valid until
 * es_result_free, one result at a time); order and sorted list the held
 * nodes (found order, node order), so that a start costs what it reaches. */
typedef struct {
    uint32_t start;
    es_rec *recs;
    size_t nrecs, cap;
    long *held;                 /* per node: its holding record, or -1 */
    long *made;                 /* per node: its MODIFY record, or -1 */
    long *become;               /* per principal: the record that made it becomable */
    size_t nn, np;              /* sizes of the arrays above */
    uint32_t *order, *sorted;   /* the held nodes */
    size_t norder, ocap;
    es_graph *g;
    uint32_t *touched_m, *touched_p;
    size_t ntouched_m, tmcap, ntouched_p, tpcap;
} es_result;

int es_reach_from(es_graph *g, uint32_t start, es_result *out);
void es_result_free(es_result *r);
/* The records a record depends on, in order, ending with itself; returns
 * how many (at most cap). */
size_t es_path(const es_result *r, long rec, long *out, size_t cap);

/* Which bounds the analysis reached (escalate.c): each makes some
 * question "unknown", never a false "no path". */
bool es_incomplete(const es_graph *g);
void es_bounds_text(FILE *f, const es_graph *g);
void es_bounds_json(json_writer *w, const es_graph *g);

/* Reports (escalate_report.c). */
/* Both return how many gains they reported. */
unsigned es_report_text(FILE *f, es_graph *g, const es_result *r, bool all_paths);
unsigned es_report_json(json_writer *w, es_graph *g, const es_result *r, bool all_paths);
/* A role only AWS services can assume (service-linked, or a trust policy
 * naming services alone): a target, never a start (escalate_starts.c). */
bool es_service_only(es_graph *g, long p);
void es_report_dot(FILE *f, es_graph *g, const es_result *r);
/* A node's effective permissions over every action (computed once). */
const an_effective *es_node_full(es_graph *g, uint32_t n);
/* A node in words: "role arn:... (boundary removed)". */
void es_node_text(const es_graph *g, uint32_t n, char *buf, size_t cap);

/* Escalation reports from one principal (`from`, name or ARN) or from every
 * user and role of the account, written to f; progress (may be NULL) is
 * called before each start. */
typedef void (*an_progress_fn)(void *ctx, size_t done, size_t total);
int an_escalate_report(ig_analyzer *az, ig_account *acct, const char *from, unsigned flags,
                       FILE *f, an_progress_fn progress, void *pctx);

/* `iamguard effective --creatable`: the principals `who` can create. */
int an_creatable_report(ig_analyzer *az, ig_account *acct, const char *who, bool json,
                        const char *const *acts, size_t nacts, char **out);

#endif
