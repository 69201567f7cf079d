/* authz_details.c - the whole account as GetAccountAuthorizationDetails
 * describes it: users, groups, roles (with trust policies, instance
 * profiles, boundaries, tags), managed policies with all their versions.
 * Served over the Query API and written by `iamguard emulate export`. */
#include <stdio.h>
#include <string.h>

#include "emu/entity.h"
#include "emu/tree.h"

static void inline_list(emu_call *c, emu_tree *t, const char *list, const char *kind, const char *owner)
{
    tree_list(t, list);
    sqlite3_stmt *st = emu_sql(c, "SELECT name, doc FROM inline_policies WHERE kind = ? AND owner = ? ORDER BY name",
                               "ss", kind, owner);
    while (st && emu_step(c, st) == SQLITE_ROW) {
        tree_item(t);
        tree_str(t, "PolicyName", (const char *)sqlite3_column_text(st, 0));
        tree_doc(t, "PolicyDocument", (const char *)sqlite3_column_text(st, 1));
        tree_item_end(t);
    }
    sqlite3_finalize(st);
    tree_list_end(t);
}

static void attached_list(emu_call *c, emu_tree *t, const char *kind, const char *owner)
{
    tree_list(t, "AttachedManagedPolicies");
    sqlite3_stmt *st = emu_sql(c, "SELECT p.name, p.arn FROM attachments a JOIN policies p ON p.arn = a.arn"
                                  " WHERE a.kind = ? AND a.owner = ? ORDER BY a.seq", "ss", kind, owner);
    while (st && emu_step(c, st) == SQLITE_ROW) {
        tree_item(t);
        tree_str(t, "PolicyName", (const char *)sqlite3_column_text(st, 0));
        tree_str(t, "PolicyArn", (const char *)sqlite3_column_text(st, 1));
        tree_item_end(t);
    }
    sqlite3_finalize(st);
    tree_list_end(t);
}

static void tags_list(emu_call *c, emu_tree *t, const char *kind, const char *owner)
{
    tree_list(t, "Tags");
    sqlite3_stmt *st = emu_sql(c, "SELECT k, v FROM tags WHERE kind = ? AND owner = ? ORDER BY seq", "ss", kind, owner);
    while (st && emu_step(c, st) == SQLITE_ROW) {
        tree_item(t);
        tree_str(t, "Key", (const char *)sqlite3_column_text(st, 0));
        tree_str(t, "Value", (const char *)sqlite3_column_text(st, 1));
        tree_item_end(t);
    }
    sqlite3_finalize(st);
    tree_list_end(t);
}

static void boundary(emu_tree *t, const char *arn)
{
    if (!arn)
        return;
    tree_obj(t, "PermissionsBoundary");
    tree_str(t, "PermissionsBoundaryType", "Policy");
    tree_str(t, "PermissionsBoundaryArn", arn);
    tree_obj_end(t);
}

/* The entities of one kind, in name order. */
static const char **names(emu_call *c, const char *kind, size_t *n)
{
    long long count = emu_count(c, "SELECT COUNT(*) FROM entities WHERE kind = ?", "s", kind);
    *n = 0;
    if (count <= 0)
        return NULL;
    const char **out = ig_arena_alloc(&c->arena, (size_t)count * sizeof *out);
    sqlite3_stmt *st = out ? emu_sql(c, "SELECT name FROM entities WHERE kind = ? ORDER BY name", "s", kind) : NULL;
    while (st && (long long)*n < count && emu_step(c, st) == SQLITE_ROW)
        out[(*n)++] = emu_col(c, st, 0);
    sqlite3_finalize(st);
    if (!out)
        emu_db_error(c);
    return out;
}

static void users(emu_call *c, emu_tree *t)
{
    size_t n;
    const char **list = names(c, "user", &n);
    tree_list(t, "UserDetailList");
    for (size_t i = 0; i < n && !c->failed; i++) {
        emu_entity u;
        if (!list[i] || emu_entity_get(c, "user", list[i], &u) != 1)
            break;
        tree_item(t);
        tree_str(t, "Path", u.path);
        tree_str(t, "UserName", u.name);
        tree_str(t, "UserId", u.id);
        tree_str(t, "Arn", u.arn);
        tree_time(t, "CreateDate", u.created);
        inline_list(c, t, "UserPolicyList", "user", u.name);
        tree_list(t, "GroupList");
        sqlite3_stmt *st = emu_sql(c, "SELECT e.name FROM members m JOIN entities e ON e.kind = 'group' AND e.name = m.grp"
                                      " WHERE m.usr = ? ORDER BY e.name", "s", u.name);
        while (st && emu_step(c, st) == SQLITE_ROW)
            tree_str_item(t, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        tree_list_end(t);
        attached_list(c, t, "user", u.name);
        boundary(t, u.boundary);
        tags_list(c, t, "user", u.name);
        tree_item_end(t);
    }
    tree_list_end(t);
}

static void groups(emu_call *c, emu_tree *t)
{
    size_t n;
    const char **list = names(c, "group", &n);
    tree_list(t, "GroupDetailList");
    for (size_t i = 0; i < n && !c->failed; i++) {
        emu_entity g;
        if (!list[i] || emu_entity_get(c, "group", list[i], &g) != 1)
            break;
        tree_item(t);
        tree_str(t, "Path", g.path);
        tree_str(t, "GroupName", g.name);
        tree_str(t, "GroupId", g.id);
        tree_str(t, "Arn", g.arn);
        tree_time(t, "CreateDate", g.created);
        inline_list(c, t, "GroupPolicyList", "group", g.name);
        attached_list(c, t, "group", g.name);
        tree_item_end(t);
    }
    tree_list_end(t);
}

static void profiles_of(emu_call *c, emu_tree *t, const emu_entity *r)
{
    tree_list(t, "InstanceProfileList");
    sqlite3_stmt *st = emu_sql(c, "SELECT profile FROM profile_roles WHERE role = ? ORDER BY profile", "s", r->name);
    const char *found[16];
    size_t n = 0;
    while (st && n < 16 && emu_step(c, st) == SQLITE_ROW)
        found[n++] = emu_col(c, st, 0);
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++) {
        emu_entity p;
        if (!found[i] || emu_entity_get(c, "instance-profile", found[i], &p) != 1)
            continue;
        tree_item(t);
        tree_str(t, "Path", p.path);
        tree_str(t, "InstanceProfileName", p.name);
        tree_str(t, "InstanceProfileId", p.id);
        tree_str(t, "Arn", p.arn);
        tree_time(t, "CreateDate", p.created);
        tree_list(t, "Roles");
        tree_item(t);
        tree_str(t, "Path", r->path);
        tree_str(t, "RoleName", r->name);
        tree_str(t, "RoleId", r->id);
        tree_str(t, "Arn", r->arn);
        tree_time(t, "CreateDate", r->created);
        tree_doc(t, "AssumeRolePolicyDocument", r->trust);
        tree_item_end(t);
        tree_list_end(t);
        tree_item_end(t);
    }
    tree_list_end(t);
}

static void roles(emu_call *c, emu_tree *t)
{
    size_t n;
    const char **list = names(c, "role", &n);
    tree_list(t, "RoleDetailList");
    for (size_t i = 0; i < n && !c->failed; i++) {
        emu_entity r;
        if (!list[i] || emu_entity_get(c, "role", list[i], &r) != 1)
            break;
        tree_item(t);
        tree_str(t, "Path", r.path);
        tree_str(t, "RoleName", r.name);
        tree_str(t, "RoleId", r.id);
        tree_str(t, "Arn", r.arn);
        tree_time(t, "CreateDate", r.created);
        tree_doc(t, "AssumeRolePolicyDocument", r.trust);
        /* RoleDetail has no Description or MaxSessionDuration (AWS's shape) */
        profiles_of(c, t, &r);
        inline_list(c, t, "RolePolicyList", "role", r.name);
        attached_list(c, t, "role", r.name);
        boundary(t, r.boundary);
        tags_list(c, t, "role", r.name);
        tree_obj(t, "RoleLastUsed");
        tree_obj_end(t);
        tree_item_end(t);
    }
    tree_list_end(t);
}

static void versions(emu_call *c, emu_tree *t, const char *arn, const char *default_version)
{
    tree_list(t, "PolicyVersionList");
    sqlite3_stmt *st = emu_sql(c, "SELECT vid, doc, created FROM policy_versions WHERE arn = ?"
                                  " ORDER BY CAST(substr(vid, 2) AS INTEGER) DESC", "s", arn);
    while (st && emu_step(c, st) == SQLITE_ROW) {
        const char *vid = (const char *)sqlite3_column_text(st, 0);
        tree_item(t);
        tree_doc(t, "Document", (const char *)sqlite3_column_text(st, 1));
        tree_str(t, "VersionId", vid);
        tree_bool(t, "IsDefaultVersion", vid && default_version && !strcmp(vid, default_version));
        tree_time(t, "CreateDate", sqlite3_column_int64(st, 2));
        tree_item_end(t);
    }
    sqlite3_finalize(st);
    tree_list_end(t);
}

/* Local policies all; AWS managed ones only where the account uses them. */
static void policies(emu_call *c, emu_tree *t, unsigned filter)
{
    sqlite3_stmt *st = emu_sql(c,
        "SELECT arn, name, id, path, description, default_version, created, updated,"
        " (SELECT COUNT(*) FROM attachments a WHERE a.arn = p.arn),"
        " (SELECT COUNT(*) FROM entities e WHERE e.boundary = p.arn)"
        " FROM policies p WHERE (aws = 0 AND ?1) OR (aws = 1 AND ?2 AND"
        "  (EXISTS(SELECT 1 FROM attachments a WHERE a.arn = p.arn) OR EXISTS(SELECT 1 FROM entities e WHERE e.boundary = p.arn)))"
        " ORDER BY aws, name", "ii", (long long)((filter & AD_LOCAL) != 0), (long long)((filter & AD_AWS) != 0));
    tree_list(t, "Policies");
    while (st && emu_step(c, st) == SQLITE_ROW) {
        const char *arn = emu_col(c, st, 0), *dv = emu_col(c, st, 5);
        if (!arn)
            break;
        tree_item(t);
        tree_str(t, "PolicyName", (const char *)sqlite3_column_text(st, 1));
        tree_str(t, "PolicyId", (const char *)sqlite3_column_text(st, 2));
        tree_str(t, "Arn", arn);
        tree_str(t, "Path", (const char *)sqlite3_column_text(st, 3));
        tree_str(t, "DefaultVersionId", dv);
        tree_uint(t, "AttachmentCount", (unsigned long long)sqlite3_column_int64(st, 8));
        tree_uint(t, "PermissionsBoundaryUsageCount", (unsigned long long)sqlite3_column_int64(st, 9));
        tree_bool(t, "IsAttachable", true);
        if (sqlite3_column_text(st, 4))
            tree_str(t, "Description", (const char *)sqlite3_column_text(st, 4));
        tree_time(t, "CreateDate", sqlite3_column_int64(st, 6));
        tree_time(t, "UpdateDate", sqlite3_column_int64(st, 7));
        versions(c, t, arn, dv);
        tree_item_end(t);
    }
    sqlite3_finalize(st);
    tree_list_end(t);
}

bool emu_write_authz_details(emu_call *c, emu_tree *t, unsigned filter)
{
    if (filter & AD_USER) users(c, t);
    if (filter & AD_GROUP) groups(c, t);
    if (filter & AD_ROLE) roles(c, t);
    if (filter & (AD_LOCAL | AD_AWS)) policies(c, t, filter);
    return !c->failed;
}

bool op_get_account_authorization_details(emu_call *c)
{
    const char **filters;
    size_t nf;
    long max, start;
    if (!emu_param_list(c, "Filter", 5, 1, 32, P_ANY, &filters, &nf) || !emu_param_paging(c, &max, &start) ||
        !emu_params_done(c))
        return false;
    static const struct { const char *name; unsigned bit; } NAMES[] = {
        { "User", AD_USER }, { "Role", AD_ROLE }, { "Group", AD_GROUP },
        { "LocalManagedPolicy", AD_LOCAL }, { "AWSManagedPolicy", AD_AWS },
    };
    unsigned filter = nf ? 0 : AD_ALL;
    for (size_t i = 0; i < nf; i++) {
        unsigned bit = 0;
        for (size_t k = 0; k < sizeof NAMES / sizeof *NAMES; k++)
            if (!strcmp(filters[i], NAMES[k].name)) bit = NAMES[k].bit;
        if (!bit)
            return emu_error(c, 400, "ValidationError",
                             "1 validation error detected: Value '[%s]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [LocalManagedPolicy, Role, Group, User, AWSManagedPolicy]]",
                             filters[i]);
        filter |= bit;
    }
    if (!emu_authorize(c, "iam:GetAccountAuthorizationDetails", "*", NULL, NULL))
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    emu_tree t = { .json = false, .x = &w };
    emu_write_authz_details(c, &t, filter);
    xw_bool(&w, "IsTruncated", false);
    emu_end(c, &w);
    return !c->failed;
}

int emu_export_authz(emu *e, json_buf *out, ig_diag *diag)
{
    emu_call c;
    serve_reply r;
    emu_offline_begin(e, &c, &r);
    bool ok = emu_db_begin(e, false) == IG_OK;
    if (ok) {
        json_writer j;
        jw_init(&j, out, true);
        emu_tree t = { .json = true, .j = &j };
        jw_object_begin(&j);
        ok = emu_write_authz_details(&c, &t, AD_ALL);
        jw_object_end(&j);
        json_buf_puts(out, "\n");
        emu_db_rollback(e);
        if (out->failed && ok)
            ok = emu_error(&c, 500, "ServiceFailure", "out of memory");
    } else {
        emu_db_error(&c);
    }
    return emu_offline_end(&c, &r, ok && !c.failed, diag);
}
