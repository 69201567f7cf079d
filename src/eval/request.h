/* request.h - a request in the form the evaluator reads: action lowercased
 * and hashed, resource split into ARN segments, context keys hashed.
 * Built on the stack for each ig_evaluate call, or once on the heap by
 * ig_request_prepare for requests evaluated many times. */
#ifndef IG_REQUEST_H
#define IG_REQUEST_H

#include "eval/env.h"
#include "policy/glob.h"

#define IG_REQ_MAX_CONTEXT 256      /* context keys in one request */
#define IG_REQ_MAX_ACTION  256      /* bytes of an action name */
#define IG_REQ_MAX_KEY     1024     /* bytes of a context key */

/* Laid out hottest first: every decision reads the first cache line. */
struct ig_prepared {
    const char *action;             /* lowercased */
    uint32_t action_len;
    uint32_t service_len;           /* bytes before ':' */
    uint32_t service_hash;          /* ig_hash_key of the service prefix */
    uint32_t action_hash;           /* ig_hash_key of the whole action */
    const char *resource;
    uint32_t resource_len;
    bool resource_star;
    bool keys_lower;                /* ctx[].key lowercased: compare bytes */
    uint8_t authz;                  /* IG_AUTHZ_*: how AWS authorizes it (§6) */
    bool rcp_service;               /* a service RCPs apply to (§6.5) */
    uint32_t resource_account_len;
    uint32_t nctx;
    /* The resource's account: the request's, else the ARN's account field;
     * NULL when neither says (then it is the caller's).  Accounts of up to
     * 16 bytes are also packed into account_key, so that comparing them
     * with the caller's reads no text. */
    uint64_t account_key[2];
    const char *resource_account;
    const ig_policy *resource_policy;
    const ig_ctx_ent *ctx;
    /* Open-addressed table of ctx by key hash: index + 1, 0 = empty; the
     * first of equal keys wins.  slot_mask 0: no table, scan ctx[]. */
    const uint16_t *slots;
    uint32_t slot_mask;
    ig_arn_split rsplit;
};

/* Requests AWS authorizes apart from the ordinary order (§6): a key
 * policy or trust policy must allow them itself, or no permission is
 * needed at all. */
enum { IG_AUTHZ_ORDINARY = 0, IG_AUTHZ_RESOURCE_POLICY, IG_AUTHZ_NONE };

/* Room for preparing one request without allocating. */
typedef struct {
    ig_prepared p;
    char action[IG_REQ_MAX_ACTION + 1];
    char account[64];
    ig_ctx_ent ctx[IG_REQ_MAX_CONTEXT];
} ig_request_buf;

/* Prepare `req` into `buf`, pointing at the request's own strings (which
 * must outlive the evaluation).  IG_OK, IG_E_INPUT or IG_E_LIMIT. */
int ig_request_prepare_in(const ig_request *req, ig_request_buf *buf);

/* Pack an account of at most 16 bytes into key[2] (zero-padded). */
static inline void ig_account_key(const char *s, size_t n, uint64_t key[2])
{
    char b[16] = { 0 };
    if (s && n <= 16)
        __builtin_memcpy(b, s, n);
    __builtin_memcpy(key, b, 16);
}

/* The resource account field of an ARN split, or NULL: an account field
 * too long to be an account becomes a value that equals no account, so
 * such a request is cross-account, never silently same-account. */
const char *ig_request_arn_account(const ig_arn_split *sp, char *buf, size_t cap);

#endif
