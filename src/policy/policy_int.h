/* policy_int.h - the compiled form of a policy, shared by the compiler,
 * the printer and the evaluator.  Everything lives in the policy's arena
 * and never changes after ig_policy_compile returns. */
#ifndef IG_POLICY_INT_H
#define IG_POLICY_INT_H

#include "iamguard.h"
#include "policy/glob.h"
#include "policy/values.h"
#include "util/arena.h"

/* ---- condition operators ---- */

typedef enum {
    VT_STRING = 0, VT_NUMERIC, VT_DATE, VT_BOOL, VT_BINARY, VT_IP, VT_ARN, VT_NULL
} ig_vtype;

typedef enum { CMP_EQ = 0, CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_LIKE } ig_cmp;

typedef struct {
    const char *name;       /* "StringEquals" */
    uint8_t vtype;          /* ig_vtype */
    uint8_t cmp;            /* ig_cmp */
    bool negated;           /* "none of the values matches" */
    bool icase;             /* StringEqualsIgnoreCase */
    bool wildcards;         /* StringLike, Arn* */
} ig_opdef;

/* Look up a base operator name (without qualifier or IfExists). */
const ig_opdef *ig_op_find(const char *name, size_t len);

enum { QUAL_NONE = 0, QUAL_FOR_ALL, QUAL_FOR_ANY };

typedef struct {
    const char *raw;        /* the value as written (JSON text for non-strings) */
    uint32_t raw_len;
    uint32_t offset;        /* byte offset in the source */
    union {
        ig_glob glob;       /* VT_STRING */
        ig_arnpat *arn;     /* VT_ARN: apart, it is large */
        ig_decimal dec;     /* VT_NUMERIC */
        int64_t date_ns;    /* VT_DATE */
        bool b;             /* VT_BOOL, VT_NULL */
        ig_cidr cidr;       /* VT_IP */
        struct { const uint8_t *p; size_t n; } bin;  /* VT_BINARY */
    } u;
} ig_cval;

typedef struct {
    const ig_opdef *op;
    const char *op_raw;     /* "ForAnyValue:StringLikeIfExists" as written */
    uint8_t qual;
    bool if_exists;
    const char *key;        /* lowercased */
    const char *key_orig;   /* as written */
    uint32_t key_len;
    uint32_t key_hash;
    uint32_t key_offset;
    uint32_t nvals;
    ig_cval *vals;
} ig_cond;

/* ---- principals in resource policies ---- */

typedef enum {
    PE_ANY = 0,     /* "*" */
    PE_ACCOUNT,     /* 123456789012 or arn:aws:iam::123456789012:root */
    PE_USER,        /* arn:aws:iam::A:user/... */
    PE_ROLE,        /* arn:aws:iam::A:role/path/name: its sessions */
    PE_SESSION,     /* arn:aws:sts::A:assumed-role/R/S */
    PE_FEDUSER,     /* arn:aws:sts::A:federated-user/N */
    PE_SERVICE,
    PE_FEDERATED,
    PE_CANONICAL,
    PE_OTHER        /* any other AWS value: compared with the caller's ARN */
} ig_pe_kind;

typedef struct {
    uint8_t kind;
    const char *map_key;    /* "AWS", "Service", ...; NULL for a bare "*" */
    const char *raw;
    const char *account;    /* PE_ACCOUNT, PE_ROLE */
    const char *name;       /* PE_ROLE: role name (no path) */
} ig_princ;

enum { ELEM_NONE = 0, ELEM_POSITIVE, ELEM_NOT };

typedef struct {
    const char *sid;
    bool deny;
    uint32_t index;
    unsigned start_line, start_col, end_line, end_col;
    uint8_t action_mode;    /* ELEM_POSITIVE or ELEM_NOT */
    uint8_t resource_mode;  /* ELEM_NONE (trust policies), POSITIVE, NOT */
    uint8_t principal_mode;
    bool principal_bare_star;  /* "Principal": "*" (printing) */
    bool any_action;        /* Action names "*": every action matches */
    bool any_resource;      /* Resource's first entry is "*" */
    uint32_t nactions, nresources, nprincipals, nconds;
    ig_glob *actions;       /* lowercased */
    ig_arnpat *resources;
    ig_princ *principals;
    ig_cond *conds;
} ig_stmt;

/* One action pattern of a statement that can name a service.  Literal
 * actions ("s3:getobject") carry the hash of their text, so most of them
 * are rejected by one integer comparison. */
typedef struct {
    uint32_t idx;           /* index into ig_stmt.actions */
    uint32_t hash;          /* ig_hash_key of the literal; 0 for wildcards */
} ig_patref;

/* The statements that can apply to one service, in statement order, with
 * the action patterns of each that name that service: literals first
 * (nexact of them), then wildcard patterns.  Statements with NotAction or
 * a wildcard in a service prefix are in every list, with npat 0: every
 * pattern is checked. */
typedef struct {
    uint32_t stmt;
    uint32_t npat;
    uint32_t nexact;
    const ig_patref *pat;
} ig_svc_entry;

typedef struct {
    const char *svc;        /* lowercased; NULL = empty slot */
    uint32_t len, hash;
    uint32_t n;
    ig_svc_entry *entries;
} ig_svc_bucket;

struct ig_policy {
    ig_arena arena;
    ig_policy_type type;
    char *id;
    char *file;
    char *policy_id_elem;   /* the "Id" element, or NULL */
    bool version_2012;
    bool has_version;
    uint32_t nstmts;
    ig_stmt *stmts;
    /* action index (index.c): service -> candidate statements */
    uint32_t nbuckets;      /* power of two */
    ig_svc_bucket *buckets;
    /* An Allow of every action on every resource without conditions, and
     * no Deny: the policy allows whatever is asked (when not explaining). */
    bool allows_all;
    uint32_t nwild;         /* statements for a service with no bucket */
    ig_svc_entry *wild;
};

/* Build the action index of a parsed policy.  False when out of memory. */
bool ig_policy_build_index(ig_policy *p);
/* The candidate statements for a lowercased service prefix. */
static inline const ig_svc_entry *ig_policy_candidates(const ig_policy *p, const char *svc,
                                                       uint32_t len, uint32_t hash, uint32_t *n)
{
    uint32_t mask = p->nbuckets - 1;
    for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
        const ig_svc_bucket *b = &p->buckets[i];
        if (!b->svc)
            break;
        if (b->hash == hash && b->len == len && ig_lit_eq(b->svc, svc, len)) {
            *n = b->n;
            return b->entries;
        }
    }
    *n = p->nwild;
    return p->wild;
}

#endif
