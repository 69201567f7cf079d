/* request.c - preparing requests for the evaluator (request.h), and the
 * public ig_request_prepare: the same preparation done once, with copies
 * of every string in one allocation, for requests decided many times. */
#include <stdalign.h>
#include <string.h>

#include "eval/request.h"
#include "policy/policy.h"
#include "util/alloc.h"
#include "util/str.h"

const char *ig_request_arn_account(const ig_arn_split *sp, char *buf, size_t cap)
{
    if (sp->nseg != 6 || sp->len[0] != 3 || memcmp(sp->seg[0], "arn", 3) != 0 ||
        sp->len[4] == 0)
        return NULL;
    if (sp->len[4] >= cap)
        return "\x01(invalid account)";
    memcpy(buf, sp->seg[4], sp->len[4]);
    buf[sp->len[4]] = '\0';
    return buf;
}

/* The checks of the request as a whole; *action_len for the caller. */
static int check_request(const ig_request *req, size_t *action_len)
{
    if (!req->action || !req->resource)
        return IG_E_INPUT;
    size_t al = strlen(req->action);
    if (al == 0 || al > IG_REQ_MAX_ACTION)
        return IG_E_LIMIT;
    if (req->ncontext > IG_REQ_MAX_CONTEXT || (req->ncontext && !req->context))
        return req->ncontext > IG_REQ_MAX_CONTEXT ? IG_E_LIMIT : IG_E_INPUT;
    *action_len = al;
    return IG_OK;
}

/* The checks of one context entry; *key_len its key's length. */
static int check_entry(const ig_context_entry *ce, size_t *key_len)
{
    if (!ce->key || (ce->nvalues && (!ce->values || !ce->values[0])))
        return IG_E_INPUT;
    *key_len = strlen(ce->key);
    if (*key_len > IG_REQ_MAX_KEY || ce->nvalues > UINT32_MAX)
        return IG_E_LIMIT;
    return IG_OK;
}

/* The services RCPs apply to (docs/semantics.md §6.5), by length first:
 * this runs for every request ig_evaluate prepares. */
static bool is_rcp_service(const char *svc, size_t n)
{
#define IS(lit) (n == sizeof lit - 1 && memcmp(svc, lit, n) == 0)
    switch (n) {
    case 2: return IS("s3");
    case 3: return IS("sts") || IS("kms") || IS("sqs") || IS("ecr");
    case 4: return IS("aoss") || IS("logs");
    case 8: return IS("dynamodb");
    case 9: return IS("s3express");
    case 14: return IS("secretsmanager");
    case 16: return IS("cognito-identity");
    default: return false;
    }
#undef IS
}

/* Is the split resource an ARN of `svc` whose resource part starts with
 * `kind` ("key/", "role/")?  ARNs are case-sensitive. */
static bool arn_of(const ig_arn_split *sp, const char *svc, size_t svc_len, const char *kind,
                   size_t kind_len)
{
    return sp->nseg == 6 && sp->len[0] == 3 && memcmp(sp->seg[0], "arn", 3) == 0 &&
           sp->len[2] == svc_len && memcmp(sp->seg[2], svc, svc_len) == 0 &&
           sp->len[5] >= kind_len && memcmp(sp->seg[5], kind, kind_len) == 0;
}

/* How AWS authorizes the request (docs/semantics.md §6.0, §6.4): KMS
 * actions on a key need its key policy (those on aliases or on no key are
 * IAM's alone); AssumeRole* and, on a role, the session options TagSession,
 * SetSourceIdentity and SetContext need the role's trust policy;
 * GetCallerIdentity and GetSessionToken need no permission. */
static uint8_t authz_of(const ig_prepared *p)
{
#define NAME_IS(lit) (n == sizeof lit - 1 && memcmp(name, lit, n) == 0)
    if (p->service_len != 3)
        return IG_AUTHZ_ORDINARY;
    if (memcmp(p->action, "kms", 3) == 0)
        return arn_of(&p->rsplit, "kms", 3, "key/", 4) ? IG_AUTHZ_RESOURCE_POLICY
                                                       : IG_AUTHZ_ORDINARY;
    if (p->action_len < 4 || memcmp(p->action, "sts:", 4) != 0)
        return IG_AUTHZ_ORDINARY;
    const char *name = p->action + 4;
    size_t n = p->action_len - 4;
    if (n >= 10 && memcmp(name, "assumerole", 10) == 0)
        return IG_AUTHZ_RESOURCE_POLICY;
    if (NAME_IS("getcalleridentity") || NAME_IS("getsessiontoken"))
        return IG_AUTHZ_NONE;
    if ((NAME_IS("tagsession") || NAME_IS("setsourceidentity") || NAME_IS("setcontext")) &&
        arn_of(&p->rsplit, "iam", 3, "role/", 5))
        return IG_AUTHZ_RESOURCE_POLICY;
    return IG_AUTHZ_ORDINARY;
#undef NAME_IS
}

/* Fields computed from the (already stored) action and the resource,
 * which the caller has split. */
static void finish(ig_prepared *p)
{
    const char *colon = memchr(p->action, ':', p->action_len);
    p->service_len = colon ? (uint32_t)(colon - p->action) : p->action_len;
    p->rcp_service = is_rcp_service(p->action, p->service_len);
    p->authz = authz_of(p);
    p->service_hash = ig_hash_key(p->action, p->service_len);
    p->action_hash = ig_hash_key(p->action, p->action_len);
    p->resource_star = p->resource_len == 1 && p->resource[0] == '*';
}

int ig_request_prepare_in(const ig_request *req, ig_request_buf *buf)
{
    size_t al;
    int rc = check_request(req, &al);
    if (rc != IG_OK)
        return rc;
    ig_prepared *p = &buf->p;
    ig_copy_lower(buf->action, req->action, al);
    p->action = buf->action;
    p->action_len = (uint32_t)al;
    p->resource = req->resource;
    p->resource_len = (uint32_t)strlen(req->resource);
    ig_arn_split_str(p->resource, p->resource_len, &p->rsplit);
    finish(p);
    p->keys_lower = false;      /* compared case-insensitively, not copied */
    p->resource_policy = req->resource_policy;
    p->resource_account = req->resource_account && req->resource_account[0]
        ? req->resource_account
        : ig_request_arn_account(&p->rsplit, buf->account, sizeof buf->account);
    p->resource_account_len = p->resource_account ? (uint32_t)strlen(p->resource_account) : 0;
    ig_account_key(p->resource_account, p->resource_account_len, p->account_key);
    for (size_t i = 0; i < req->ncontext; i++) {
        const ig_context_entry *ce = &req->context[i];
        ig_ctx_ent *e = &buf->ctx[i];
        size_t kl;
        rc = check_entry(ce, &kl);
        if (rc != IG_OK)
            return rc;
        e->key = ce->key;
        e->len = (uint32_t)kl;
        e->hash = ig_hash_key(ce->key, e->len);
        e->values = ce->values;
        e->lens = NULL;
        e->ips = NULL;
        e->ip_mode = IG_IP_PARSE;
        e->n = (uint32_t)ce->nvalues;
        e->len0 = e->n ? (uint32_t)strlen(ce->values[0]) : 0;
    }
    p->ctx = buf->ctx;
    p->nctx = (uint32_t)req->ncontext;
    p->slots = NULL;
    p->slot_mask = 0;
    return IG_OK;
}

/* ---- ig_request_prepare: one allocation, laid out in the order the
 * evaluator reads it, so that a decision touches few cache lines:
 * [ig_prepared][action][account][resource][keys, values][ctx][ptrs][ips]
 * [lens][slots] ---- */

static size_t align_up(size_t n, size_t a)
{
    return (n + a - 1) & ~(a - 1);
}

static char *put(char **text, const char *s, size_t n)
{
    char *dst = *text;
    memcpy(dst, s, n);
    dst[n] = '\0';
    *text += n + 1;
    return dst;
}

/* A value the IP operators accept: one address, no prefix or a full one. */
static bool host_ip(const char *v, size_t n, ig_cidr *out)
{
    return v && ig_cidr_parse(v, n, out) && out->prefix == (out->family == 4 ? 32 : 128);
}

static bool any_ip_value(const ig_context_entry *ce)
{
    ig_cidr ip;
    for (size_t k = 0; k < ce->nvalues; k++)
        if (ce->values[k] && host_ip(ce->values[k], strlen(ce->values[k]), &ip))
            return true;
    return false;
}

typedef struct {
    size_t text, nvals, nips, nslots;
    size_t off_ctx, off_ptr, off_ip, off_len, off_slot, total;
    uint32_t key_len[IG_REQ_MAX_CONTEXT];
    bool has_ip[IG_REQ_MAX_CONTEXT];    /* some value of the entry is an IP */
} layout;

/* Check every context entry and size the allocation. */
static int plan(const ig_request *req, size_t al, size_t rl, size_t acl, bool acct, layout *l)
{
    l->text = al + 1 + (acct ? acl + 1 : 0) + rl + 1;
    l->nvals = l->nips = 0;
    for (size_t i = 0; i < req->ncontext; i++) {
        const ig_context_entry *ce = &req->context[i];
        size_t kl;
        int rc = check_entry(ce, &kl);
        if (rc != IG_OK)
            return rc;
        l->key_len[i] = (uint32_t)kl;
        l->has_ip[i] = any_ip_value(ce);
        l->nvals += ce->nvalues;
        l->nips += l->has_ip[i] ? ce->nvalues : 0;
        l->text += kl + 1;
        for (size_t k = 0; k < ce->nvalues; k++)
            l->text += (ce->values[k] ? strlen(ce->values[k]) : 0) + 1;
    }
    l->nslots = 0;
    if (req->ncontext) {
        l->nslots = 8;
        while (l->nslots < 2 * req->ncontext)
            l->nslots *= 2;
    }
    l->off_ctx = align_up(sizeof(ig_prepared) + l->text, alignof(ig_ctx_ent));
    l->off_ptr = align_up(l->off_ctx + req->ncontext * sizeof(ig_ctx_ent), alignof(char *));
    l->off_ip = l->off_ptr + l->nvals * sizeof(char *);
    l->off_len = align_up(l->off_ip + l->nips * sizeof(ig_cidr), alignof(uint32_t));
    l->off_slot = l->off_len + l->nvals * sizeof(uint32_t);
    l->total = l->off_slot + l->nslots * sizeof(uint16_t);
    return IG_OK;
}

/* The key table: the first of equal (lowercased) keys wins. */
static void index_keys(ig_prepared *p, uint16_t *slots, uint32_t nslots)
{
    memset(slots, 0, nslots * sizeof *slots);
    p->slot_mask = nslots ? nslots - 1 : 0;
    p->slots = nslots ? slots : NULL;
    for (uint32_t i = 0; i < p->nctx; i++) {
        const ig_ctx_ent *e = &p->ctx[i];
        for (uint32_t h = e->hash & p->slot_mask;; h = (h + 1) & p->slot_mask) {
            if (!slots[h]) {
                slots[h] = (uint16_t)(i + 1);
                break;
            }
            const ig_ctx_ent *o = &p->ctx[slots[h] - 1];
            if (o->hash == e->hash && o->len == e->len && !memcmp(o->key, e->key, e->len))
                break;
        }
    }
}

int ig_request_prepare(const ig_request *req, ig_prepared **out, ig_diag *diag)
{
    *out = NULL;
    size_t al;
    int rc = req ? check_request(req, &al) : IG_E_INPUT;
    size_t rl = 0, acl = 0;
    ig_arn_split sp;
    char acct_buf[64];
    const char *acct = NULL;
    layout l;
    if (rc == IG_OK) {
        rl = strlen(req->resource);
        ig_arn_split_str(req->resource, rl, &sp);
        acct = req->resource_account && req->resource_account[0]
            ? req->resource_account : ig_request_arn_account(&sp, acct_buf, sizeof acct_buf);
        acl = acct ? strlen(acct) : 0;
        rc = plan(req, al, rl, acl, acct != NULL, &l);
    }
    if (rc != IG_OK) {
        ig_diag_set(diag, rc, NULL, NULL, 0, 0, "%s",
                    rc == IG_E_LIMIT ? "request exceeds a limit" : "invalid request");
        return rc;
    }
    char *mem = ig_malloc(l.total);
    if (!mem) {
        ig_diag_set(diag, IG_E_NOMEM, NULL, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    ig_prepared *p = (ig_prepared *)mem;
    char *t = mem + sizeof(ig_prepared);
    ig_ctx_ent *ctx = (ig_ctx_ent *)(mem + l.off_ctx);
    const char **ptrs = (const char **)(mem + l.off_ptr);
    ig_cidr *ips = (ig_cidr *)(mem + l.off_ip);
    uint32_t *lens = (uint32_t *)(mem + l.off_len);

    char *action = t;
    ig_copy_lower(action, req->action, al);
    t += al + 1;
    p->action = action;
    p->action_len = (uint32_t)al;
    p->resource_account = acct ? put(&t, acct, acl) : NULL;
    p->resource_account_len = (uint32_t)acl;
    ig_account_key(acct, acl, p->account_key);
    p->resource = put(&t, req->resource, rl);
    p->resource_len = (uint32_t)rl;
    p->rsplit = sp;     /* split once, above: moved onto the copy */
    for (unsigned i = 0; i < sp.nseg; i++)
        p->rsplit.seg[i] = p->resource + (sp.seg[i] - req->resource);
    finish(p);
    p->keys_lower = true;
    p->resource_policy = req->resource_policy;
    for (size_t i = 0; i < req->ncontext; i++) {
        const ig_context_entry *ce = &req->context[i];
        ig_ctx_ent *e = &ctx[i];
        size_t kl = l.key_len[i];
        char *key = t;
        ig_copy_lower(key, ce->key, kl);
        t += kl + 1;
        e->key = key;
        e->len = (uint32_t)kl;
        e->hash = ig_hash_key(key, kl);
        e->values = ptrs;
        e->lens = lens;
        e->n = (uint32_t)ce->nvalues;
        bool any_ip = l.has_ip[i];
        e->ips = any_ip ? ips : NULL;
        e->ip_mode = any_ip ? IG_IP_CACHED : IG_IP_NONE;
        for (size_t k = 0; k < ce->nvalues; k++) {
            const char *v = ce->values[k];
            size_t vl = v ? strlen(v) : 0;
            /* A NULL among the values stays NULL: the evaluator reports it. */
            *ptrs++ = v ? put(&t, v, vl) : NULL;
            if (!v) t++;
            *lens++ = (uint32_t)vl;
            if (any_ip) {
                if (!host_ip(v, vl, ips))
                    memset(ips, 0, sizeof *ips);
                ips++;
            }
        }
        e->len0 = e->n ? e->lens[0] : 0;
    }
    p->ctx = ctx;
    p->nctx = (uint32_t)req->ncontext;
    index_keys(p, (uint16_t *)(mem + l.off_slot), (uint32_t)l.nslots);
    *out = p;
    return IG_OK;
}

void ig_prepared_free(ig_prepared *p)
{
    ig_free(p);
}
