/* model.c - the IAM resources of a template as policies and principals.
 *
 * Resources are read in template order.  Attachments are by name or ARN
 * (a ManagedPolicy's Roles list holds role names, a Role's
 * ManagedPolicyArns holds ARNs), so they are matched once every resource
 * has its name: what matches a resource of the template is linked to it,
 * the rest is kept as "outside the template".  Resource policies (bucket,
 * queue, topic, key, secret policies) are read into their own list. */
#include <stdio.h>
#include <string.h>

#include "cfn/cfn_int.h"
#include "util/alloc.h"

typedef struct {
    size_t policy;
    cfn_principal_kind kind;
    const char *name;
} attachment;

typedef struct {
    const char *user, *group;       /* names */
} membership;

typedef struct {
    const char **arns;              /* ManagedPolicyArns as resolved */
    size_t narns;
} pending;

typedef struct {
    cfn_ctx *c;
    cfn_template *t;
    size_t cappolicies, capprincipals, cappend, capattach, capmember, capresource;
    pending *pend;                  /* one per principal */
    attachment *attach;
    size_t nattach;
    membership *member;
    size_t nmember;
} builder;

static bool push(void **arr, size_t *n, size_t *cap, const void *item, size_t size)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        void *a = ig_realloc(*arr, nc * size);
        if (!a)
            return false;
        *arr = a;
        *cap = nc;
    }
    memcpy((char *)*arr + *n * size, item, size);
    (*n)++;
    return true;
}

static bool nomem(builder *b)
{
    return cfn_fail_code(b->c, IG_E_NOMEM, 0, "out of memory");
}

/* ---- reading properties --------------------------------------------------- */

/* A property resolved; false on error, *out NULL when absent/no value. */
static bool prop(builder *b, cfn_res *r, const char *name, json_value *val, bool *present)
{
    *present = false;
    const json_value *v = r->props ? json_get(r->props, name) : NULL;
    if (!v)
        return true;
    size_t old = cfn_path_key(b->c, name);
    int rc = cfn_resolve(b->c, v, val);
    if (rc < 0)
        return false;
    cfn_path_set(b->c, old);
    *present = rc == 1;
    return true;
}

static bool required(builder *b, cfn_res *r, const char *name, bool present)
{
    if (present)
        return true;
    return cfn_fail(b->c, r->decl->key_start, "%s needs the property %s", r->type, name);
}

static bool string_prop(builder *b, cfn_res *r, const char *name, bool need, const char **out)
{
    json_value v;
    bool present;
    *out = NULL;
    if (!prop(b, r, name, &v, &present) || (need && !required(b, r, name, present)))
        return false;
    if (!present)
        return true;
    if (v.kind != JSON_STRING) {
        cfn_path_key(b->c, name);
        return cfn_fail(b->c, v.start, "must be a string, got %s", json_kind_name(v.kind));
    }
    *out = v.u.str;
    return true;
}

/* A list of strings (names or ARNs). */
static bool list_prop(builder *b, cfn_res *r, const char *name, const char ***out, size_t *n)
{
    json_value v;
    bool present;
    *out = NULL;
    *n = 0;
    if (!prop(b, r, name, &v, &present))
        return false;
    if (!present)
        return true;
    cfn_ctx *c = b->c;
    size_t old = cfn_path_key(c, name);
    if (v.kind != JSON_ARRAY)
        return cfn_fail(c, v.start, "must be a list, got %s", json_kind_name(v.kind));
    const char **items = cfn_alloc(c, (v.len ? v.len : 1) * sizeof *items);
    if (!items)
        return nomem(b);
    for (uint32_t i = 0; i < v.len; i++) {
        const json_value *it = &v.u.items[i];
        if (it->kind != JSON_STRING) {
            cfn_path_index(c, i);
            return cfn_fail(c, it->start, "must be a string, got %s", json_kind_name(it->kind));
        }
        items[i] = it->u.str;
    }
    cfn_path_set(c, old);
    *out = items;
    *n = v.len;
    return true;
}

/* A resolved policy document, kept in the template's arena. */
static bool document(builder *b, const json_value *v, const json_value **out)
{
    cfn_ctx *c = b->c;
    json_value parsed;
    if (v->kind == JSON_STRING) {
        if (!cfn_parse_json_string(c, v, &parsed))
            return false;
        v = &parsed;
    }
    if (v->kind != JSON_OBJECT)
        return cfn_fail(c, v->start, "a policy document must be a mapping, got %s",
                        json_kind_name(v->kind));
    json_value *d = cfn_alloc(c, sizeof *d);
    if (!d)
        return nomem(b);
    *d = *v;
    *out = d;
    return true;
}

static bool document_prop(builder *b, cfn_res *r, const char *name, const json_value **out)
{
    json_value v;
    bool present;
    if (!prop(b, r, name, &v, &present) || !required(b, r, name, present))
        return false;
    size_t old = cfn_path_key(b->c, name);
    if (!document(b, &v, out))
        return false;
    cfn_path_set(b->c, old);
    return true;
}

/* ---- building ------------------------------------------------------------- */

static bool add_policy(builder *b, cfn_policy_kind kind, const cfn_res *r, const char *name,
                       const char *arn, const json_value *doc, size_t *index)
{
    cfn_policy p = { .kind = kind, .logical_id = r->id, .name = name, .arn = arn,
                     .document = doc };
    *index = b->t->npolicies;
    if (!push((void **)&b->t->policies, &b->t->npolicies, &b->cappolicies, &p, sizeof p))
        return nomem(b);
    return true;
}

static bool attach(builder *b, size_t policy, cfn_principal_kind kind, const char *name)
{
    attachment a = { policy, kind, name };
    if (!push((void **)&b->attach, &b->nattach, &b->capattach, &a, sizeof a))
        return nomem(b);
    return true;
}

static bool attach_lists(builder *b, cfn_res *r, size_t policy, bool need_one)
{
    static const char *const PROPS[3] = { "Roles", "Users", "Groups" };
    static const cfn_principal_kind KINDS[3] = { CFN_ROLE, CFN_USER, CFN_GROUP };
    size_t total = 0;
    for (int k = 0; k < 3; k++) {
        const char **names;
        size_t n;
        if (!list_prop(b, r, PROPS[k], &names, &n))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!attach(b, policy, KINDS[k], names[i]))
                return false;
        total += n;
    }
    if (need_one && total == 0)
        return cfn_fail(b->c, r->decl->key_start, "%s must name at least one of Roles, Users "
                        "or Groups", r->type);
    return true;
}

static cfn_principal *principal_of(builder *b, size_t i) { return &b->t->principals[i]; }

static bool add_to(builder *b, size_t principal, size_t policy)
{
    cfn_principal *p = principal_of(b, principal);
    for (size_t i = 0; i < p->npolicies; i++)
        if (p->policies[i] == policy)
            return true;
    size_t n = p->npolicies;          /* exact-size growth: these lists are short */
    size_t *a = ig_realloc(p->policies, (n + 1) * sizeof *a);
    if (!a)
        return nomem(b);
    a[n] = policy;
    p->policies = a;
    p->npolicies = n + 1;
    return true;
}

/* Policies: [{PolicyName, PolicyDocument}] of a role, user or group. */
static bool inline_policies(builder *b, cfn_res *r, size_t principal)
{
    static const char *const KEYS[] = { "PolicyName", "PolicyDocument" };
    cfn_ctx *c = b->c;
    json_value v;
    bool present;
    if (!prop(b, r, "Policies", &v, &present))
        return false;
    if (!present)
        return true;
    size_t old = cfn_path_key(c, "Policies");
    if (v.kind != JSON_ARRAY)
        return cfn_fail(c, v.start, "must be a list, got %s", json_kind_name(v.kind));
    for (uint32_t i = 0; i < v.len; i++) {
        const json_value *it = &v.u.items[i];
        size_t item = cfn_path_index(c, i);
        if (it->kind != JSON_OBJECT)
            return cfn_fail(c, it->start, "must be a mapping with PolicyName and PolicyDocument");
        for (uint32_t k = 0; k < it->len; k++)
            if (strcmp(it->u.members[k].key, KEYS[0]) && strcmp(it->u.members[k].key, KEYS[1]))
                return cfn_fail(c, it->u.members[k].key_start, "unknown property \"%.80s\"",
                                it->u.members[k].key);
        const json_value *name = json_get(it, "PolicyName"), *doc = json_get(it, "PolicyDocument");
        if (!name || name->kind != JSON_STRING)
            return cfn_fail(c, name ? name->start : it->start, "PolicyName must be a string");
        if (!doc)
            return cfn_fail(c, it->start, "an inline policy needs a PolicyDocument");
        const json_value *d = NULL;
        cfn_path_key(c, "PolicyDocument");
        size_t index;
        if (!document(b, doc, &d) ||
            !add_policy(b, CFN_INLINE_POLICY, r, name->u.str, NULL, d, &index) ||
            !add_to(b, principal, index))
            return false;
        cfn_path_set(c, item);
    }
    cfn_path_set(c, old);
    return true;
}

static bool add_principal(builder *b, cfn_res *r, cfn_principal_kind kind)
{
    cfn_ctx *c = b->c;
    if (!cfn_res_names(c, r, r->decl->key_start))
        return false;
    cfn_principal p = { .kind = kind, .logical_id = r->id, .name = r->name, .arn = r->arn,
                        .boundary_policy = -1, .trust_policy = -1 };
    size_t index = b->t->nprincipals, npend = index;
    pending none = { NULL, 0 };
    if (!push((void **)&b->pend, &npend, &b->cappend, &none, sizeof none) ||
        !push((void **)&b->t->principals, &b->t->nprincipals, &b->capprincipals, &p, sizeof p))
        return nomem(b);

    if (kind == CFN_ROLE) {
        const json_value *trust;
        size_t t;
        char name[300];
        snprintf(name, sizeof name, "%s.AssumeRolePolicyDocument", r->id);
        const char *tname = cfn_strdup(c, name, strlen(name));
        if (!tname)
            return nomem(b);
        if (!document_prop(b, r, "AssumeRolePolicyDocument", &trust) ||
            !add_policy(b, CFN_ROLE_TRUST, r, tname, NULL, trust, &t))
            return false;
        principal_of(b, index)->trust_policy = (long)t;
    }
    if (!inline_policies(b, r, index))
        return false;
    if (!list_prop(b, r, "ManagedPolicyArns", &b->pend[index].arns, &b->pend[index].narns))
        return false;
    if (kind != CFN_GROUP &&
        !string_prop(b, r, "PermissionsBoundary", false, &principal_of(b, index)->boundary_arn))
        return false;
    if (kind == CFN_USER) {
        const char **groups;
        size_t n;
        if (!list_prop(b, r, "Groups", &groups, &n))
            return false;
        for (size_t i = 0; i < n; i++) {
            membership m = { r->name, groups[i] };
            if (!push((void **)&b->member, &b->nmember, &b->capmember, &m, sizeof m))
                return nomem(b);
        }
    }
    return true;
}

/* An AWS::IAM::ManagedPolicy / Policy / RolePolicy / UserPolicy / GroupPolicy. */
static bool add_policy_resource(builder *b, cfn_res *r)
{
    cfn_ctx *c = b->c;
    cfn_res_kind k = cfn_res_get_kind(r);
    const json_value *doc;
    const char *name;
    size_t index;
    if (k == RES_MANAGED_POLICY) {
        if (!cfn_res_names(c, r, r->decl->key_start) ||
            !document_prop(b, r, "PolicyDocument", &doc) ||
            !add_policy(b, CFN_MANAGED_POLICY, r, r->name, r->arn, doc, &index))
            return false;
        return attach_lists(b, r, index, false);
    }
    if (!string_prop(b, r, "PolicyName", true, &name) ||
        !document_prop(b, r, "PolicyDocument", &doc) ||
        !add_policy(b, CFN_INLINE_POLICY, r, name, NULL, doc, &index))
        return false;
    if (k == RES_POLICY)
        return attach_lists(b, r, index, true);
    static const char *const OWNER[] = { "RoleName", "UserName", "GroupName" };
    int o = k == RES_ROLE_POLICY ? 0 : k == RES_USER_POLICY ? 1 : 2;
    const char *owner;
    if (!string_prop(b, r, OWNER[o], true, &owner))
        return false;
    return attach(b, index, o == 0 ? CFN_ROLE : o == 1 ? CFN_USER : CFN_GROUP, owner);
}

static bool add_memberships(builder *b, cfn_res *r)
{
    const char *group;
    const char **users;
    size_t n;
    if (!string_prop(b, r, "GroupName", true, &group) || !list_prop(b, r, "Users", &users, &n))
        return false;
    for (size_t i = 0; i < n; i++) {
        membership m = { users[i], group };
        if (!push((void **)&b->member, &b->nmember, &b->capmember, &m, sizeof m))
            return nomem(b);
    }
    return true;
}

/* The resource policies of other services: the document property of each
 * type.  A property that names no document (an ARN list, ...) is absent. */
static const struct {
    const char *type, *prop;
} RESOURCE_POLICIES[] = {
    { "AWS::S3::BucketPolicy", "PolicyDocument" },
    { "AWS::SQS::QueuePolicy", "PolicyDocument" },
    { "AWS::SNS::TopicPolicy", "PolicyDocument" },
    { "AWS::KMS::Key", "KeyPolicy" },
    { "AWS::SecretsManager::ResourcePolicy", "ResourcePolicy" },
};

static bool resource_policy(builder *b, cfn_res *r, const char *propname)
{
    cfn_ctx *c = b->c;
    cfn_template *t = b->t;
    json_value v;
    bool present;
    if (!prop(b, r, propname, &v, &present))
        return false;
    if (!present)
        return true;
    size_t old = cfn_path_key(c, propname);
    const json_value *doc;
    if (!document(b, &v, &doc))
        return false;
    cfn_path_set(c, old);
    char name[300];
    snprintf(name, sizeof name, "%s.%s", r->id, propname);
    const char *n = cfn_strdup(c, name, strlen(name));
    cfn_policy p = { .kind = CFN_RESOURCE_POLICY, .logical_id = r->id, .name = n,
                     .document = doc };
    if (!n || !push((void **)&t->resource_policies, &t->nresource_policies, &b->capresource,
                    &p, sizeof p))
        return nomem(b);
    return true;
}

static bool read_resource(builder *b, cfn_res *r)
{
    for (size_t i = 0; i < sizeof RESOURCE_POLICIES / sizeof RESOURCE_POLICIES[0]; i++)
        if (!strcmp(r->type, RESOURCE_POLICIES[i].type))
            return resource_policy(b, r, RESOURCE_POLICIES[i].prop);
    switch (cfn_res_get_kind(r)) {
    case RES_ROLE:  return add_principal(b, r, CFN_ROLE);
    case RES_USER:  return add_principal(b, r, CFN_USER);
    case RES_GROUP: return add_principal(b, r, CFN_GROUP);
    case RES_MANAGED_POLICY:
    case RES_POLICY:
    case RES_ROLE_POLICY:
    case RES_USER_POLICY:
    case RES_GROUP_POLICY:
        return add_policy_resource(b, r);
    case RES_USER_TO_GROUP:
        return add_memberships(b, r);
    default:
        return true;
    }
}

/* ---- linking -------------------------------------------------------------- */

static long find_principal(const cfn_template *t, cfn_principal_kind kind, const char *name)
{
    for (size_t i = 0; i < t->nprincipals; i++)
        if (t->principals[i].kind == kind && !strcmp(t->principals[i].name, name))
            return (long)i;
    return -1;
}

static long find_managed(const cfn_template *t, const char *arn)
{
    for (size_t i = 0; i < t->npolicies; i++)
        if (t->policies[i].kind == CFN_MANAGED_POLICY && !strcmp(t->policies[i].arn, arn))
            return (long)i;
    return -1;
}

static bool add_string(builder *b, const char ***arr, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*arr)[i], s))
            return true;
    const char **a = ig_realloc((void *)*arr, (*n + 1) * sizeof *a);
    if (!a)
        return nomem(b);
    a[(*n)++] = s;
    *arr = a;
    return true;
}

static bool link(builder *b)
{
    cfn_template *t = b->t;
    cfn_ctx *c = b->c;
    static const char *const KIND[] = { "role", "user", "group" };
    for (size_t i = 0; i < b->nattach; i++) {
        const attachment *a = &b->attach[i];
        long p = find_principal(t, a->kind, a->name);
        if (p >= 0) {
            if (!add_to(b, (size_t)p, a->policy))
                return false;
            continue;
        }
        char ext[300];
        snprintf(ext, sizeof ext, "%s/%s", KIND[a->kind], a->name);
        const char *s = cfn_strdup(c, ext, strlen(ext));
        cfn_policy *pol = &t->policies[a->policy];
        if (!s || !add_string(b, &pol->external_principals, &pol->nexternal_principals, s))
            return nomem(b);
    }
    for (size_t i = 0; i < t->nprincipals; i++) {
        cfn_principal *p = &t->principals[i];
        for (size_t k = 0; k < b->pend[i].narns; k++) {
            long m = find_managed(t, b->pend[i].arns[k]);
            if (m >= 0 ? !add_to(b, i, (size_t)m)
                       : !add_string(b, &p->external_policy_arns, &p->nexternal,
                                     b->pend[i].arns[k]))
                return false;
        }
        if (p->boundary_arn)
            p->boundary_policy = find_managed(t, p->boundary_arn);
    }
    for (size_t i = 0; i < b->nmember; i++) {
        long u = find_principal(t, CFN_USER, b->member[i].user);
        long g = find_principal(t, CFN_GROUP, b->member[i].group);
        if (u >= 0 && g >= 0) {
            cfn_principal *p = &t->principals[u];
            if (!add_string(b, &p->groups, &p->ngroups, t->principals[g].logical_id))
                return false;
        }
    }
    return true;
}

bool cfn_build_model(cfn_ctx *c)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.c = c;
    b.t = c->t;
    bool ok = true;
    for (size_t i = 0; ok && i < c->nres; i++) {
        cfn_res *r = &c->res[i];
        bool created;
        ok = cfn_res_created(c, r, &created);
        if (!ok || !created)
            continue;
        cfn_path_set(c, 0);
        cfn_path_key(c, "Resources");
        cfn_path_key(c, r->id);
        cfn_path_key(c, "Properties");
        ok = read_resource(&b, r);
    }
    if (ok) {
        cfn_path_set(c, 0);
        ok = link(&b);
    }
    ig_free(b.pend);
    ig_free(b.attach);
    ig_free(b.member);
    return ok;
}
