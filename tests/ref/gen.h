/* gen.h - seeded random scenarios for the differential and property tests:
 * a principal, its policies (identity, boundary, session, resource, SCP and
 * RCP levels) and requests, all drawn from small shared vocabularies so
 * that actions, resources, principals and conditions actually match.
 *
 * Scenarios are plain structs so a failing case can be shrunk (statements,
 * conditions, values, context keys dropped) and printed as a simulation
 * document (`iamguard simulate`). */
#ifndef GEN_H
#define GEN_H

#include <stdio.h>

#include "iamguard.h"
#include "ref/ref_eval.h"

typedef struct {
    uint64_t s;
} gen_rng;

void gen_seed(gen_rng *r, uint64_t seed);
uint64_t gen_next(gen_rng *r);
unsigned gen_below(gen_rng *r, unsigned n);
bool gen_chance(gen_rng *r, unsigned percent);

#define GEN_MAX_VALS 4
#define GEN_MAX_CONDS 3
#define GEN_MAX_STMTS 5     /* generated policies use at most 4 */
#define GEN_MAX_POLICIES 12
#define GEN_MAX_CTX 10
#define GEN_TEXT 160

typedef struct {
    char text[GEN_TEXT];
    bool raw;                   /* emit as a JSON literal (number, true, false) */
} gen_value;

typedef struct {
    char op[64];
    char key[64];
    int nvals;
    gen_value vals[GEN_MAX_VALS];
    bool array;                 /* one value written as ["v"] */
} gen_cond;

typedef struct {
    char type[16];              /* "AWS", "Service", ...; "" = bare "*" */
    char value[GEN_TEXT];
} gen_principal;

typedef enum { GEN_EL_POSITIVE = 0, GEN_EL_NOT, GEN_EL_ABSENT } gen_element;

typedef struct {
    bool deny;
    char sid[16];
    gen_element action_kind;    /* never ABSENT */
    int nact;
    char act[GEN_MAX_VALS][64];
    gen_element res_kind;
    int nres;
    char res[GEN_MAX_VALS][GEN_TEXT];
    gen_element pr_kind;        /* ABSENT outside resource policies and RCPs */
    int npr;
    gen_principal pr[GEN_MAX_VALS];
    int ncond;
    gen_cond cond[GEN_MAX_CONDS];
    bool arrays;                /* write single entries as one-element arrays */
} gen_stmt;

typedef struct {
    ig_policy_type type;
    int level;                  /* SCP/RCP organization level, 0-based */
    int version;                /* 2012, 2008, or 0 for no Version */
    bool stmt_object;           /* "Statement": {...} when there is one */
    int nst;
    gen_stmt st[GEN_MAX_STMTS];
} gen_policy;

typedef struct {
    char key[64];
    int nvals;
    char vals[3][GEN_TEXT];
    bool list;                  /* written as an array even with one value */
} gen_ctx;

typedef struct {
    char action[64];
    char resource[GEN_TEXT];
    char resource_account[16];  /* "" = not given */
    int nctx;
    gen_ctx ctx[GEN_MAX_CTX];
} gen_request;

typedef struct {
    ig_principal_kind kind;
    char arn[GEN_TEXT];
    char service[64];
    int npol;
    gen_policy pol[GEN_MAX_POLICIES];
} gen_scenario;

void gen_scenario_random(gen_rng *r, gen_scenario *sc);
void gen_request_random(gen_rng *r, const gen_scenario *sc, gen_request *rq);
/* One random statement for a policy of `type` (the effect is forced). */
void gen_statement_random(gen_rng *r, ig_policy_type type, bool deny, gen_stmt *st);

/* The policy as JSON text; caller frees.  NULL when out of memory. */
char *gen_policy_json(const gen_policy *p);

/* ---- compiled form, for both evaluators ---- */

typedef struct {
    ig_policy *prod[GEN_MAX_POLICIES];
    ref_policy ref[GEN_MAX_POLICIES];
    const ig_policy *prod_levels[2][REF_MAX_LEVELS][GEN_MAX_POLICIES];
    const ref_policy *ref_levels[2][REF_MAX_LEVELS][GEN_MAX_POLICIES];
    const ref_policy *ref_identity[GEN_MAX_POLICIES];
    int npol;
    ig_env *env;
    ref_env renv;
} gen_built;

/* Compile every policy with the production compiler and load it for the
 * reference.  False (with a message) when a policy is rejected. */
bool gen_build(const gen_scenario *sc, gen_built *b, char *err, size_t cap);
void gen_built_free(gen_built *b);
/* A production env for the scenario's principal over already compiled
 * policies (prod[i] stands for sc->pol[i]).  NULL (with a message) on error. */
ig_env *gen_env_for(const gen_scenario *sc, ig_policy *const *prod, char *err, size_t cap);

typedef struct {
    ig_request req;
    ig_context_entry ents[GEN_MAX_CTX];
    const char *vals[GEN_MAX_CTX][3];
} gen_req_view;

void gen_request_view(const gen_request *rq, gen_req_view *v);

/* The scenario and one request as a simulation document. */
void gen_write_simdoc(FILE *f, const gen_scenario *sc, const gen_request *rq,
                      const char *expect_decision, const char *expect_blocked);

#endif
