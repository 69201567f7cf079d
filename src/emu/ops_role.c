/* ops_role.c - roles: create, read, list, update, delete, trust policy and
 * permissions boundary.  Each call is authorized before anything about the
 * role is revealed or changed, with the context AWS sends for it:
 * iam:PermissionsBoundary (the boundary being set, or the role's current
 * one), aws:RequestTag/K and aws:TagKeys, aws:ResourceTag/K. */
#include <string.h>

#include "emu/entity.h"

#define TRUST_QUOTA 2048        /* AWS's default ACLSizePerRole */

static bool role_not_found(emu_call *c, const char *name)
{
    return emu_no_such(c, "The role with name %s cannot be found.", name);
}

/* A boundary must be an existing managed policy. */
static bool check_trust(emu_call *c, const char *doc)
{
    if (!emu_check_document(c, doc, IG_POLICY_RESOURCE))
        return false;
    if (emu_policy_size(doc) > TRUST_QUOTA)
        return emu_limit(c, "Cannot exceed quota for ACLSizePerRole: %d", TRUST_QUOTA);
    return true;
}

static void xml_role_full(emu_call *c, xml_writer *w, const char *elem, const emu_entity *r)
{
    emu_xml_role(c, w, elem, r, true);
}

static bool reply_role(emu_call *c, const char *name)
{
    return emu_reply_entity(c, "role", name, "Role", xml_role_full);
}

bool op_create_role(emu_call *c)
{
    const char *name, *trust, *path, *desc, *boundary;
    long max_session = 3600;
    emu_tag *tags;
    size_t ntags;
    if (!emu_param(c, "RoleName", true, 1, 64, P_NAME, &name) ||
        !emu_param(c, "AssumeRolePolicyDocument", true, 1, 131072, P_DOCUMENT, &trust) ||
        !emu_param(c, "Path", false, 1, 512, P_PATH, &path) ||
        !emu_param(c, "Description", false, 0, 1000, P_DESCRIPTION, &desc) ||
        !emu_param(c, "PermissionsBoundary", false, 20, 2048, P_ARN, &boundary) ||
        !emu_param_int(c, "MaxSessionDuration", 3600, 43200, &max_session) ||
        !emu_param_tags(c, "Tags", &tags, &ntags) || !emu_params_done(c))
        return false;
    path = path ? path : "/";
    emu_ctx x = { .n = 0 };
    if (boundary)
        emu_ctx_add(c, &x, "iam:PermissionsBoundary", boundary);
    emu_ctx_request_tags(c, &x, tags, ntags);
    if (!emu_authorize(c, "iam:CreateRole", emu_arn(c, "role", path, name), &x, NULL) ||
        !check_trust(c, trust) || (boundary && !emu_boundary_exists(c, boundary)))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM entities WHERE kind = 'role' AND name = ?", "s", name);
    if (n < 0)
        return false;
    if (n)
        return emu_exists(c, "Role with name %s already exists.", name);
    char id[32];
    if (!emu_random_id("AROA", 17, id, sizeof id))
        return emu_db_error(c);
    return emu_exec(c, "INSERT INTO entities(kind, name, id, path, created, trust, description, max_session, boundary)"
                       " VALUES('role', ?, ?, ?, ?, ?, ?, ?, ?)",
                    "sssissis", name, id, path, (long long)c->now, trust, desc,
                    (long long)max_session, boundary) &&
           emu_tags_replace(c, "role", name, tags, ntags) && reply_role(c, name);
}

/* The role named by RoleName (found or not). */
static bool role_call(emu_call *c, emu_entity *r)
{
    const char *name;
    if (!emu_param(c, "RoleName", true, 1, 64, P_NAME, &name))
        return false;
    return emu_entity_get(c, "role", name, r) >= 0;
}

/* Authorized for `action` with the role's boundary (when the action sends
 * it) and tags; then the role must exist. */
static bool authorize_role(emu_call *c, const char *action, bool boundary, emu_entity *r, emu_ctx *x)
{
    if (!emu_entity_context(c, r, boundary, x) || !emu_authorize(c, action, r->arn, x, NULL))
        return false;
    return r->found || role_not_found(c, r->name);
}

bool op_get_role(emu_call *c)
{
    emu_entity r;
    emu_ctx x = { .n = 0 };
    if (!role_call(c, &r) || !emu_params_done(c) ||
        !authorize_role(c, "iam:GetRole", true, &r, &x))
        return false;
    return reply_role(c, r.name);
}

bool op_delete_role(emu_call *c)
{
    emu_entity r;
    emu_ctx x = { .n = 0 };
    if (!role_call(c, &r) || !emu_params_done(c) ||
        !authorize_role(c, "iam:DeleteRole", true, &r, &x))
        return false;
    long long inl = emu_count(c, "SELECT COUNT(*) FROM inline_policies WHERE kind = 'role' AND owner = ?", "s", r.name);
    long long att = emu_count(c, "SELECT COUNT(*) FROM attachments WHERE kind = 'role' AND owner = ?", "s", r.name);
    long long prof = emu_count(c, "SELECT COUNT(*) FROM profile_roles WHERE role = ?", "s", r.name);
    if (inl < 0 || att < 0 || prof < 0)
        return false;
    if (inl)
        return emu_conflict(c, "Cannot delete entity, must delete policies first.");
    if (att)
        return emu_conflict(c, "Cannot delete entity, must detach all policies first.");
    if (prof)
        return emu_conflict(c, "Cannot delete entity, must remove roles from instance profile first.");
    /* sessions of a deleted role end with it */
    return emu_delete_owned(c, "role", r.name) &&
           emu_exec(c, "DELETE FROM access_keys WHERE kind = 'session' AND owner = ?", "s", r.name) &&
           emu_ok_empty(c);
}

bool op_list_roles(emu_call *c)
{
    const char *prefix;
    long max, start;
    if (!emu_param(c, "PathPrefix", false, 1, 512, P_PATH_PREFIX, &prefix) ||
        !emu_param_paging(c, &max, &start) || !emu_params_done(c) ||
        !emu_authorize(c, "iam:ListRoles", "*", NULL, NULL))
        return false;
    prefix = prefix ? prefix : "/";
    sqlite3_stmt *st = emu_sql(c, "SELECT name FROM entities WHERE kind = 'role' AND substr(path, 1, length(?1)) = ?1"
                                  " ORDER BY name LIMIT ?2 OFFSET ?3", "sii", prefix, (long long)max + 1, (long long)start);
    if (!st)
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "Roles");
    long n = 0;
    while (emu_step(c, st) == SQLITE_ROW && n <= max) {
        if (n++ == max)
            break;
        emu_entity r;
        const char *name = emu_col(c, st, 0);
        if (!name || emu_entity_get(c, "role", name, &r) != 1)
            break;
        emu_xml_role(c, &w, "member", &r, false);
    }
    sqlite3_finalize(st);
    return emu_end_list(c, &w, n, max, start);
}

bool op_update_role(emu_call *c)
{
    emu_entity r;
    emu_ctx x = { .n = 0 };
    const char *desc;
    long max_session = 0;
    if (!role_call(c, &r) ||
        !emu_param(c, "Description", false, 0, 1000, P_DESCRIPTION, &desc) ||
        !emu_param_int(c, "MaxSessionDuration", 3600, 43200, &max_session) || !emu_params_done(c) ||
        !authorize_role(c, "iam:UpdateRole", true, &r, &x))
        return false;
    if (desc && !emu_exec(c, "UPDATE entities SET description = ? WHERE kind = 'role' AND name = ?", "ss", desc, r.name))
        return false;
    if (max_session && !emu_exec(c, "UPDATE entities SET max_session = ? WHERE kind = 'role' AND name = ?", "is",
                                 (long long)max_session, r.name))
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    emu_end(c, &w);
    return !c->failed;
}

bool op_update_role_description(emu_call *c)
{
    emu_entity r;
    emu_ctx x = { .n = 0 };
    const char *desc;
    if (!role_call(c, &r) ||
        !emu_param(c, "Description", true, 0, 1000, P_DESCRIPTION, &desc) || !emu_params_done(c) ||
        !authorize_role(c, "iam:UpdateRoleDescription", true, &r, &x))
        return false;
    return emu_exec(c, "UPDATE entities SET description = ? WHERE kind = 'role' AND name = ?", "ss", desc, r.name) &&
           reply_role(c, r.name);
}

bool op_update_assume_role_policy(emu_call *c)
{
    emu_entity r;
    emu_ctx x = { .n = 0 };
    const char *doc;
    if (!role_call(c, &r) ||
        !emu_param(c, "PolicyDocument", true, 1, 131072, P_DOCUMENT, &doc) || !emu_params_done(c) ||
        !authorize_role(c, "iam:UpdateAssumeRolePolicy", true, &r, &x) || !check_trust(c, doc))
        return false;
    return emu_exec(c, "UPDATE entities SET trust = ? WHERE kind = 'role' AND name = ?", "ss", doc, r.name) &&
           emu_ok_empty(c);
}

bool op_put_role_permissions_boundary(emu_call *c)
{
    emu_entity r;
    emu_ctx x = { .n = 0 };
    const char *boundary;
    if (!role_call(c, &r) ||
        !emu_param(c, "PermissionsBoundary", true, 20, 2048, P_ARN, &boundary) || !emu_params_done(c))
        return false;
    /* the key carries the boundary being set, not the current one */
    emu_ctx_add(c, &x, "iam:PermissionsBoundary", boundary);
    if (!authorize_role(c, "iam:PutRolePermissionsBoundary", false, &r, &x) || !emu_boundary_exists(c, boundary))
        return false;
    return emu_exec(c, "UPDATE entities SET boundary = ? WHERE kind = 'role' AND name = ?", "ss", boundary, r.name) &&
           emu_ok_empty(c);
}

bool op_delete_role_permissions_boundary(emu_call *c)
{
    emu_entity r;
    emu_ctx x = { .n = 0 };
    if (!role_call(c, &r) || !emu_params_done(c) ||
        !authorize_role(c, "iam:DeleteRolePermissionsBoundary", true, &r, &x))
        return false;
    return emu_exec(c, "UPDATE entities SET boundary = NULL WHERE kind = 'role' AND name = ?", "s", r.name) &&
           emu_ok_empty(c);
}
