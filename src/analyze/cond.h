/* cond.h - the conditions of a grant, key by key: whether they can all
 * hold (for proofs) and which context makes them hold (for
 * counterexamples).  See cond.c. */
#ifndef IG_AN_COND_H
#define IG_AN_COND_H

#include "analyze/analyze.h"
#include "analyze/probe.h"

#define AN_MAX_KEYS 32
#define AN_MAX_KEY_CONDS 32

typedef struct {
    const char *key;            /* lowercased */
    const char *shown;          /* as a policy or the question wrote it */
    uint32_t n;
    an_pcond c[AN_MAX_KEY_CONDS];
} an_keyconds;

typedef struct {
    uint32_t nkeys;
    an_keyconds keys[AN_MAX_KEYS];
    bool overflow;              /* more keys or conditions than fit */
    ig_arena arena;
} an_condset;

void an_condset_init(an_condset *cs);
void an_condset_free(an_condset *cs);
/* Add every condition of a statement, wanted true or false. */
void an_condset_add_stmt(an_condset *cs, const an_stmt *s, bool want);
/* Add one condition. */
void an_condset_add(an_condset *cs, const ig_cond *c, bool want);
/* Remove the last condition added for a key (undo of an_condset_add). */
void an_condset_pop(an_condset *cs, const ig_cond *c);

/* What the analysis knows of a key before choosing anything. */
typedef enum {
    AN_KEY_FREE = 0,            /* the request chooses it */
    AN_KEY_KNOWN,               /* fixed by the question or the caller */
    AN_KEY_UNKNOWN              /* a fact about the caller the model lacks */
} an_key_state;

an_key_state an_key_state_of(const an_subject *s, const an_question *q, const char *key);
/* Keys an outsider chooses itself but never with the owner's values. */
bool an_key_outsider_chosen(const char *key);

/* 0 when the conditions surely cannot all be met, 1 otherwise. */
int an_condset_feasible(an_ctx *c, const an_subject *s, an_prober *pr, const an_condset *cs,
                        const an_question *q);

/* 1 when every condition is on a key the question or the caller fixes and
 * all of them hold (wanted true): then they hold for every request the
 * question covers. */
int an_condset_certain(an_ctx *c, const an_subject *s, an_prober *pr, const an_condset *cs,
                       const an_question *q);

/* Choose a value (or absence) for every free key so that its conditions
 * evaluate as wanted; write the context into r (after what the question
 * fixes).  1 when every key found a value, 0 when some key did not. */
int an_condset_solve(an_ctx *c, const an_subject *s, an_prober *pr, const an_condset *cs,
                     const an_question *q, an_request *r);

/* Add a context entry to r; false when full. */
bool an_request_add(an_request *r, const char *key, const char *value, bool absent);

#endif
