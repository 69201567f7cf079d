/* account_authz.c - reading `aws iam get-account-authorization-details`.
 *
 * The real format: UserDetailList, GroupDetailList, RoleDetailList and
 * Policies, with inline policies (UserPolicyList, GroupPolicyList,
 * RolePolicyList), AttachedManagedPolicies, PermissionsBoundary, Tags,
 * AssumeRolePolicyDocument and PolicyVersionList (IsDefaultVersion).  Policy
 * documents are JSON objects as the AWS CLI prints them, or URL-encoded
 * strings as the API returns them; both are read.  Fields the analysis does
 * not use are ignored; the ones it uses must have the right type. */
#include <stdio.h>
#include <string.h>

#include "analyze/account/account.h"
#include "json/json.h"
#include "policy/policy.h"
#include "util/alloc.h"

#define MAX_DOC (128u * 1024u)

typedef struct {
    ig_account *a;
    const char *text;
    size_t len;
    const char *file;
    ig_diag *diag;
    ig_linepos pos;             /* documents are compiled in order */
    ig_linepos src;             /* where entry_src counted lines to */
} actx;

static int fail(actx *c, const json_value *at, const char *fmt, const char *what)
{
    ig_diag_set(c->diag, IG_E_INPUT, c->file, c->text, c->len, at ? at->start : 0, fmt, what);
    return IG_E_INPUT;
}

static const char *get_str(actx *c, const json_value *obj, const char *key, bool required,
                           int *rc)
{
    const json_value *v = json_get(obj, key);
    if (!v) {
        if (required)
            *rc = fail(c, obj, "missing \"%s\"", key);
        return NULL;
    }
    if (v->kind != JSON_STRING) {
        *rc = fail(c, v, "\"%s\" must be a string", key);
        return NULL;
    }
    return v->u.str;
}

static const json_value *get_array(actx *c, const json_value *obj, const char *key, int *rc)
{
    const json_value *v = json_get(obj, key);
    if (v && v->kind != JSON_ARRAY) {
        *rc = fail(c, v, "\"%s\" must be an array", key);
        return NULL;
    }
    return v;
}

/* "FILE:LINE:COL" of an entry, kept in the account.  Entries come in
 * order within each list, so lines are counted on from the last one (from
 * the top only when a list lies before the previous one). */
static const char *entry_src(actx *c, const json_value *e)
{
    size_t off = e->start < c->len ? e->start : c->len;
    if (!c->src.line || off < c->src.off)
        c->src = (ig_linepos){ 0, 1, 1 };
    while (c->src.off < off) {
        const char *nl = memchr(c->text + c->src.off, '\n', off - c->src.off);
        if (!nl) {
            c->src.col += (unsigned)(off - c->src.off);
            c->src.off = off;
            break;
        }
        c->src.line++;
        c->src.col = 1;
        c->src.off = (size_t)(nl - c->text) + 1;
    }
    char buf[1200];
    snprintf(buf, sizeof buf, "%s:%u:%u", c->file ? c->file : "", c->src.line, c->src.col);
    return an_account_strdup(c->a, buf);
}

/* Text that grows; what the analysis reads of an entry, to compare two
 * entries of one ARN from different files. */
typedef struct {
    char *s;
    size_t n, cap;
    bool failed;
} sigbuf;

static void sig_add(sigbuf *b, const char *t)
{
    size_t l = strlen(t ? t : "(none)");
    if (b->failed)
        return;
    if (b->n + l + 2 > b->cap) {
        size_t nc = (b->n + l + 2) * 2;
        char *ns = ig_realloc(b->s, nc);
        if (!ns) {
            b->failed = true;
            return;
        }
        b->s = ns;
        b->cap = nc;
    }
    memcpy(b->s + b->n, t ? t : "(none)", l);
    b->n += l;
    b->s[b->n++] = '\x1f';
    b->s[b->n] = '\0';
}

static void sig_policy(sigbuf *b, const ig_policy *p)
{
    char *j = p ? ig_policy_to_json(p, false) : NULL;
    sig_add(b, j ? j : "(none)");
    ig_free(j);
}

/* The strings of a list of objects' member (AttachedManagedPolicies'
 * PolicyArn, GroupList's names), in order. */
static void sig_list(sigbuf *b, const json_value *obj, const char *list, const char *member)
{
    const json_value *arr = json_get(obj, list);
    sig_add(b, list);
    for (uint32_t i = 0; arr && arr->kind == JSON_ARRAY && i < arr->len; i++) {
        const json_value *e = &arr->u.items[i];
        const json_value *v = member && e->kind == JSON_OBJECT ? json_get(e, member) : e;
        if (v && v->kind == JSON_STRING)
            sig_add(b, v->u.str);
    }
}

static const char *sig_done(actx *c, sigbuf *b)
{
    const char *r = b->failed ? NULL : an_account_strdup(c->a, b->s ? b->s : "");
    ig_free(b->s);
    return r;
}

static int hex(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
         : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* RFC 3986 percent-decoding ('+' stays '+', as the IAM API encodes). */
static char *url_decode(const char *s, size_t n, size_t *out_len)
{
    char *o = ig_malloc(n + 1);
    if (!o)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            o[k++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            o[k++] = s[i];
        }
    }
    o[k] = '\0';
    *out_len = k;
    return o;
}

/* A policy document: an object in the export, or a (URL-encoded) string. */
static ig_policy *document(actx *c, const json_value *v, ig_policy_type type, const char *id,
                           int *rc)
{
    if (v->kind == JSON_OBJECT) {
        ig_policy *p = ig_policy_compile_value_at(v, c->text, c->len, type, id, c->file, c->diag,
                                                  &c->pos);
        if (!p) {
            *rc = c->diag && c->diag->code ? c->diag->code : IG_E_POLICY;
            return NULL;
        }
        if (!an_account_own(c->a, p)) {     /* it freed p */
            *rc = IG_E_NOMEM;
            return NULL;
        }
        return p;
    }
    if (v->kind != JSON_STRING) {
        *rc = fail(c, v, "a policy document must be an object or a string, got %s",
                   json_kind_name(v->kind));
        return NULL;
    }
    if (v->len > MAX_DOC) {
        ig_diag_set(c->diag, IG_E_LIMIT, c->file, c->text, c->len, v->start,
                    "policy document longer than %u bytes", MAX_DOC);
        *rc = IG_E_LIMIT;
        return NULL;
    }
    size_t n;
    bool encoded = v->len && v->u.str[0] == '%';
    char *json = encoded ? url_decode(v->u.str, v->len, &n) : NULL;
    const char *src = encoded ? json : v->u.str;
    if (encoded && !json) {
        *rc = IG_E_NOMEM;
        return NULL;
    }
    if (!encoded)
        n = v->len;
    ig_diag inner;
    memset(&inner, 0, sizeof inner);
    ig_policy *p = ig_policy_compile(src, n, type, id, NULL, &inner);
    ig_free(json);
    if (!p) {
        char msg[360];
        snprintf(msg, sizeof msg, "%u:%u: %.320s", inner.line, inner.column, inner.msg);
        ig_diag_set(c->diag, inner.code ? inner.code : IG_E_POLICY, c->file, c->text, c->len,
                    v->start, "in this %spolicy document, at %s", encoded ? "URL-decoded " : "",
                    msg);
        *rc = inner.code ? inner.code : IG_E_POLICY;
        return NULL;
    }
    if (!an_account_own(c->a, p)) {         /* it freed p */
        *rc = IG_E_NOMEM;
        return NULL;
    }
    return p;
}

static int inline_policies(actx *c, an_principal *p, const json_value *obj, const char *list)
{
    int rc = IG_OK;
    const json_value *arr = get_array(c, obj, list, &rc);
    if (rc || !arr)
        return rc;
    p->inl = ig_arena_alloc(&c->a->arena, (arr->len ? arr->len : 1) * sizeof *p->inl);
    if (!p->inl)
        return IG_E_NOMEM;
    for (uint32_t i = 0; i < arr->len; i++) {
        const json_value *e = &arr->u.items[i];
        if (e->kind != JSON_OBJECT)
            return fail(c, e, "%s entries must be objects", list);
        const char *name = get_str(c, e, "PolicyName", true, &rc);
        const json_value *doc = json_get(e, "PolicyDocument");
        if (rc)
            return rc;
        if (!doc)
            return fail(c, e, "missing \"%s\"", "PolicyDocument");
        char id[600];
        snprintf(id, sizeof id, "%s/%s", p->name, name);
        ig_policy *pol = document(c, doc, IG_POLICY_IDENTITY, id, &rc);
        if (!pol)
            return rc;
        p->inl[p->ninl++] = pol;
    }
    return IG_OK;
}

static int attachments(actx *c, an_principal *p, const json_value *obj)
{
    int rc = IG_OK;
    const json_value *arr = get_array(c, obj, "AttachedManagedPolicies", &rc);
    for (uint32_t i = 0; !rc && arr && i < arr->len; i++) {
        const json_value *e = &arr->u.items[i];
        if (e->kind != JSON_OBJECT)
            return fail(c, e, "%s entries must be objects", "AttachedManagedPolicies");
        const char *arn = get_str(c, e, "PolicyArn", true, &rc);
        if (!rc && !an_account_attach(c->a, p, arn))
            rc = IG_E_NOMEM;
    }
    if (rc)
        return rc;
    const json_value *pb = json_get(obj, "PermissionsBoundary");
    if (pb && pb->kind == JSON_OBJECT) {
        const char *arn = get_str(c, pb, "PermissionsBoundaryArn", true, &rc);
        if (!rc && !an_account_set_boundary(c->a, p, arn))
            rc = IG_E_NOMEM;
    } else if (pb && pb->kind != JSON_NULL) {
        rc = fail(c, pb, "\"%s\" must be an object", "PermissionsBoundary");
    }
    return rc;
}

static int tags(actx *c, an_principal *p, const json_value *obj)
{
    int rc = IG_OK;
    const json_value *arr = get_array(c, obj, "Tags", &rc);
    if (rc || !arr || !arr->len)
        return rc;
    p->tag_keys = ig_arena_alloc(&c->a->arena, arr->len * sizeof *p->tag_keys);
    p->tag_values = ig_arena_alloc(&c->a->arena, arr->len * sizeof *p->tag_values);
    if (!p->tag_keys || !p->tag_values)
        return IG_E_NOMEM;
    for (uint32_t i = 0; i < arr->len; i++) {
        const json_value *e = &arr->u.items[i];
        if (e->kind != JSON_OBJECT)
            return fail(c, e, "%s entries must be objects", "Tags");
        const char *k = get_str(c, e, "Key", true, &rc);
        const char *v = rc ? NULL : get_str(c, e, "Value", true, &rc);
        if (rc)
            return rc;
        p->tag_keys[p->ntags] = an_account_strdup(c->a, k);
        p->tag_values[p->ntags] = an_account_strdup(c->a, v);
        p->ntags++;
    }
    return IG_OK;
}

/* The same policy in two files (pages of one export, exports that
 * overlap): kept once when identical, an error naming both otherwise.  The
 * new entry is the last one of the model. */
static int same_managed(actx *c, const json_value *e, long before)
{
    ig_account *a = c->a;
    an_mpolicy *old = &a->m[before], *nw = &a->m[a->nm - 1];
    if (!old->src) {
        /* The well-known AdministratorAccess the model added when an
         * earlier file attached it: the export's own entry replaces it. */
        *old = *nw;
        a->nm--;
        return IG_OK;
    }
    if (old->sig && !strcmp(old->sig, nw->sig)) {
        /* Keep the entry that comes first by source, whatever the order
         * of the files, so that "allowed by" does not depend on it. */
        if (old->src && nw->src && strcmp(nw->src, old->src) < 0)
            *old = *nw;
        a->nm--;
        return IG_OK;
    }
    char msg[1400];
    snprintf(msg, sizeof msg, "policy %s differs from its entry at %s", nw->arn,
             old->src ? old->src : "(another source)");
    return fail(c, e, "%s", msg);
}

static int managed(actx *c, const json_value *e)
{
    int rc = IG_OK;
    if (e->kind != JSON_OBJECT)
        return fail(c, e, "%s entries must be objects", "Policies");
    const char *name = get_str(c, e, "PolicyName", true, &rc);
    const char *arn = rc ? NULL : get_str(c, e, "Arn", true, &rc);
    const char *dflt = rc ? NULL : get_str(c, e, "DefaultVersionId", false, &rc);
    const json_value *vers = rc ? NULL : get_array(c, e, "PolicyVersionList", &rc);
    if (rc)
        return rc;
    long before = an_account_find_managed(c->a, arn);
    an_mpolicy *m = an_account_add_managed(c->a, arn, name);
    if (!m)
        return IG_E_NOMEM;
    m->default_version = -1;
    m->src = entry_src(c, e);
    for (uint32_t i = 0; vers && i < vers->len; i++) {
        const json_value *v = &vers->u.items[i];
        if (v->kind != JSON_OBJECT)
            return fail(c, v, "%s entries must be objects", "PolicyVersionList");
        if (m->nversions >= AN_MAX_VERSIONS)
            return fail(c, v, "more than %s versions of one policy", "5");
        const char *vid = get_str(c, v, "VersionId", true, &rc);
        const json_value *doc = json_get(v, "Document");
        const json_value *isdef = json_get(v, "IsDefaultVersion");
        if (rc)
            return rc;
        if (!doc)
            return fail(c, v, "missing \"%s\"", "Document");
        if (isdef && isdef->kind != JSON_TRUE && isdef->kind != JSON_FALSE)
            return fail(c, isdef, "\"%s\" must be true or false", "IsDefaultVersion");
        bool is_default = (isdef && isdef->kind == JSON_TRUE) || (dflt && !strcmp(dflt, vid));
        char id[600];
        snprintf(id, sizeof id, is_default ? "%s" : "%s@%s", name, vid);
        uint32_t k = m->nversions;
        m->version_ids[k] = an_account_strdup(c->a, vid);
        m->versions[k] = document(c, doc, IG_POLICY_IDENTITY, id, &rc);
        if (!m->versions[k])
            return rc;
        m->boundary[k] = document(c, doc, IG_POLICY_BOUNDARY, id, &rc);
        if (!m->boundary[k])
            return rc;
        if (is_default)
            m->default_version = (int)k;
        m->nversions++;
    }
    if (m->nversions && m->default_version < 0)
        return fail(c, e, "policy %s has no default version", arn);
    sigbuf b = { 0 };
    for (uint32_t k = 0; k < m->nversions; k++) {
        sig_add(&b, m->version_ids[k]);
        sig_add(&b, (int)k == m->default_version ? "default" : "");
        sig_policy(&b, m->versions[k]);
    }
    if (!(m->sig = sig_done(c, &b)) || !m->src)
        return IG_E_NOMEM;
    return before < 0 ? IG_OK : same_managed(c, e, before);
}

static int memberships(actx *c, const json_value *e);

static int principal(actx *c, const json_value *e, an_pkind kind, const char *list)
{
    static const char *const name_key[] = { "UserName", "RoleName", "GroupName" };
    static const char *const inline_key[] = { "UserPolicyList", "RolePolicyList", "GroupPolicyList" };
    int rc = IG_OK;
    if (e->kind != JSON_OBJECT)
        return fail(c, e, "%s entries must be objects", list);
    const char *name = get_str(c, e, name_key[kind], true, &rc);
    const char *arn = rc ? NULL : get_str(c, e, "Arn", true, &rc);
    const char *path = rc ? NULL : get_str(c, e, "Path", false, &rc);
    if (rc)
        return rc;
    if (strncmp(arn, "arn:", 4))
        return fail(c, json_get(e, "Arn"), "not an ARN: %s", arn);
    long before = an_account_find_arn(c->a, arn);
    an_principal *p = an_account_add_principal(c->a, kind, name, arn);
    if (!p)
        return IG_E_NOMEM;
    p->path = an_account_strdup(c->a, path ? path : "/");
    p->src = entry_src(c, e);
    if (!p->path || !p->src)
        return IG_E_NOMEM;
    if ((rc = inline_policies(c, p, e, inline_key[kind])) || (rc = attachments(c, p, e)) ||
        (kind != AN_P_GROUP && (rc = tags(c, p, e))) ||
        (kind == AN_P_USER && (rc = memberships(c, e))))
        return rc;
    if (kind == AN_P_ROLE) {
        const json_value *t = json_get(e, "AssumeRolePolicyDocument");
        if (!t) {
            p->trust_unknown = true;
        } else {
            char id[600];
            snprintf(id, sizeof id, "%s/trust", name);
            p->trust = document(c, t, IG_POLICY_RESOURCE, id, &rc);
            if (!p->trust)
                return rc;
        }
    }
    p = &c->a->p[c->a->np - 1];
    sigbuf b = { 0 };
    sig_add(&b, p->path);
    for (size_t i = 0; i < p->ninl; i++)
        sig_policy(&b, p->inl[i]);
    sig_list(&b, e, "AttachedManagedPolicies", "PolicyArn");
    sig_add(&b, p->boundary_arn);
    sig_policy(&b, p->trust);
    sig_list(&b, e, "GroupList", NULL);
    for (size_t i = 0; i < p->ntags; i++) {
        sig_add(&b, p->tag_keys[i]);
        sig_add(&b, p->tag_values[i]);
    }
    if (!(p->sig = sig_done(c, &b)))
        return IG_E_NOMEM;
    if (before < 0)
        return IG_OK;
    an_principal *old = &c->a->p[before];
    if (old->sig && !strcmp(old->sig, p->sig)) {
        /* The same entry again: drop the copy and its memberships (the
         * same as the kept one's), keeping the entry first by source. */
        if (old->src && strcmp(p->src, old->src) < 0) {
            size_t *groups = old->groups, ngroups = old->ngroups;
            *old = *p;
            old->groups = groups;
            old->ngroups = ngroups;
        }
        size_t last = c->a->np - 1;
        size_t keep = 0;
        for (size_t i = 0; i < c->a->npending; i++)
            if (c->a->pending[i].user != last)
                c->a->pending[keep++] = c->a->pending[i];
        c->a->npending = keep;
        c->a->np--;
        return IG_OK;
    }
    char msg[1400];
    snprintf(msg, sizeof msg, "%s differs from its entry at %s", arn,
             old->src ? old->src : "(another source)");
    return fail(c, e, "%s", msg);
}

/* A user's groups, by name: resolved when the group is read (in this file
 * or a later one; an_account_finish reports the ones never read). */
static int memberships(actx *c, const json_value *e)
{
    int rc = IG_OK;
    const json_value *gl = get_array(c, e, "GroupList", &rc);
    if (rc || !gl)
        return rc;
    ig_account *a = c->a;
    for (uint32_t g = 0; g < gl->len; g++) {
        const json_value *gn = &gl->u.items[g];
        if (gn->kind != JSON_STRING)
            return fail(c, gn, "%s entries must be strings", "GroupList");
        an_pending_group *grown = ig_grow(a->pending, &a->pendcap, a->npending, sizeof *grown, 64);
        if (!grown)
            return IG_E_NOMEM;
        a->pending = grown;
        const char *name = an_account_strdup(a, gn->u.str), *src = entry_src(c, gn);
        if (!name || !src)
            return IG_E_NOMEM;
        a->pending[a->npending++] = (an_pending_group){ a->np - 1, name, src };
    }
    return IG_OK;
}

int an_account_load_authz(ig_account *a, const char *text, size_t len, const char *file,
                          ig_diag *diag)
{
    json_error je;
    /* Exports of large accounts pass the 16 MiB default. */
    json_limits lim = { .max_bytes = 64u * 1024u * 1024u };
    json_doc *doc = json_parse(text, len, &lim, &je);
    if (!doc) {
        ig_diag_set(diag, IG_E_JSON, file, text, len, je.offset, "%s", je.msg);
        return IG_E_JSON;
    }
    actx c = { a, text, len, file, diag, { 0, 0, 0 }, { 0, 0, 0 } };
    const json_value *root = json_root(doc);
    int rc = IG_OK;
    if (root->kind != JSON_OBJECT) {
        rc = fail(&c, root, "an account export must be an object, got %s", json_kind_name(root->kind));
        goto out;
    }
    static const char *const lists[] = { "Policies", "GroupDetailList", "UserDetailList",
                                         "RoleDetailList" };
    const json_value *arr[4];
    bool any = false;
    for (int i = 0; i < 4; i++) {
        arr[i] = get_array(&c, root, lists[i], &rc);
        if (rc)
            goto out;
        any |= arr[i] != NULL;
    }
    if (!any) {
        rc = fail(&c, root, "not an account export: no %s", "UserDetailList, GroupDetailList, RoleDetailList or Policies");
        goto out;
    }
    /* Managed policies first: the principals attach them by ARN. */
    for (uint32_t i = 0; arr[0] && i < arr[0]->len && !rc; i++)
        rc = managed(&c, &arr[0]->u.items[i]);
    static const an_pkind kinds[] = { AN_P_GROUP, AN_P_USER, AN_P_ROLE };
    for (int l = 1; l < 4 && !rc; l++)
        for (uint32_t i = 0; arr[l] && i < arr[l]->len && !rc; i++)
            rc = principal(&c, &arr[l]->u.items[i], kinds[l - 1], lists[l]);
    /* Pages of one export come in any order: what an earlier file named
     * and this one defines is linked now. */
    if (!rc && !an_account_resolve(a))
        rc = IG_E_NOMEM;
    if (!rc) {
        a->closed = true;
        a->nsources++;
    }
out:
    json_doc_free(doc);
    return rc;
}
