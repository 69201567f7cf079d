/* escalate_techniques.h - the table of escalation techniques that go
 * through an AWS service: one row per technique (escalate_techniques.c),
 * read by the search (escalate_methods.c).  Adding a technique is adding
 * a row and its two case files (tests/analysis/techniques/). */
#ifndef IG_AN_ESCALATE_TECHNIQUES_H
#define IG_AN_ESCALATE_TECHNIQUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A call's resource: a pattern ("%s" is the caller's account, "*" any),
 * ES_RES_ROLE (the role the technique leads to), or ES_RES_PREV (the
 * resource of the call before it: the thing that call made). */
#define ES_RES_ROLE "@role"
#define ES_RES_PREV NULL
#define ES_TECH_MAX_CALLS 5
/* Rows the table may have: a node keeps one bit per row (escalate_int.h). */
#define ES_TECH_CAP 128
#define ES_TECH_WORDS (ES_TECH_CAP / 64)

typedef struct {
    const char *action;
    const char *resource;
} es_tcall;

typedef enum {
    ES_TECH_PASS = 0,           /* the role is passed to something the caller makes */
    ES_TECH_HIJACK              /* something that already runs as the role is changed */
} es_tech_kind;

typedef struct {
    const char *id;             /* shown as the method: "lambda-create-invoke" */
    es_tech_kind kind;
    const char *service;        /* the service principal the role must trust */
    const char *how;            /* in words: how the caller ends up running as the role */
    const char *assumes;        /* what must exist already (NULL: nothing) */
    es_tcall calls[ES_TECH_MAX_CALLS];  /* in order; PASS rows start with iam:PassRole */
    uint32_t ncalls;
} es_technique;

extern const es_technique ES_TECHNIQUES[];
extern const size_t ES_NTECHNIQUES;

/* The distinct services of the table (for trust caches and the trust
 * policy of a role the attacker creates); returns how many (<= cap). */
size_t es_tech_services(const char **out, size_t cap);
/* Every action the table names, once; returns how many (<= cap). */
size_t es_tech_actions(const char **out, size_t cap);

#endif
