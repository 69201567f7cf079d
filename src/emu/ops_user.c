/* ops_user.c - IAM users: create, read, list, rename, delete, and their
 * permissions boundaries. */
#include <string.h>
#include <strings.h>

#include "emu/entity.h"

static bool user_not_found(emu_call *c, const char *name)
{
    return emu_no_such(c, "The user with name %s cannot be found.", name);
}

static void xml_user_full(emu_call *c, xml_writer *w, const char *elem, const emu_entity *u)
{
    emu_xml_user(c, w, elem, u, true);
}

static bool reply_user(emu_call *c, const char *name)
{
    return emu_reply_entity(c, "user", name, "User", xml_user_full);
}

bool op_create_user(emu_call *c)
{
    const char *name, *path, *boundary;
    emu_tag *tags;
    size_t ntags;
    if (!emu_param(c, "UserName", true, 1, 64, P_NAME, &name) ||
        !emu_param(c, "Path", false, 1, 512, P_PATH, &path) ||
        !emu_param(c, "PermissionsBoundary", false, 20, 2048, P_ARN, &boundary) ||
        !emu_param_tags(c, "Tags", &tags, &ntags) || !emu_params_done(c))
        return false;
    path = path ? path : "/";
    emu_ctx x = { .n = 0 };
    if (boundary)
        emu_ctx_add(c, &x, "iam:PermissionsBoundary", boundary);
    emu_ctx_request_tags(c, &x, tags, ntags);
    if (!emu_authorize(c, "iam:CreateUser", emu_arn(c, "user", path, name), &x, NULL))
        return false;
    if (boundary && !emu_boundary_exists(c, boundary))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM entities WHERE kind = 'user' AND name = ?", "s", name);
    if (n < 0)
        return false;
    if (n)
        return emu_exists(c, "User with name %s already exists.", name);
    char id[32];
    if (!emu_random_id("AIDA", 17, id, sizeof id))
        return emu_db_error(c);
    return emu_exec(c, "INSERT INTO entities(kind, name, id, path, created, boundary) VALUES('user', ?, ?, ?, ?, ?)",
                    "sssis", name, id, path, (long long)c->now, boundary) &&
           emu_tags_replace(c, "user", name, tags, ntags) && reply_user(c, name);
}

/* UserName, or the calling user when absent (AWS's rule for GetUser,
 * access keys and the like); NULL after an error reply. */
const char *emu_user_or_caller(emu_call *c, const char **given)
{
    if (!emu_param(c, "UserName", false, 1, 128, P_NAME, given))
        return NULL;
    if (*given)
        return *given;
    if (c->caller.kind == CALLER_USER)
        return c->caller.name;
    if (c->caller.kind == CALLER_ROOT)
        return "";
    emu_error(c, 400, "ValidationError", "Must specify userName when calling with non-User credentials");
    return NULL;
}

bool op_get_user(emu_call *c)
{
    const char *given, *name = emu_user_or_caller(c, &given);
    if (!name || !emu_params_done(c))
        return false;
    if (!*name) {                   /* the account root asking about itself */
        if (!emu_authorize(c, "iam:GetUser", c->caller.arn, NULL, NULL))
            return false;
        xml_writer w;
        emu_begin(c, &w, true);
        xw_open(&w, "User");
        xw_text(&w, "UserId", c->e->account);
        xw_text(&w, "Arn", c->caller.arn);
        emu_xml_time(&w, "CreateDate", 0);
        xw_close(&w);
        emu_end(c, &w);
        return !c->failed;
    }
    emu_entity u;
    emu_ctx x = { .n = 0 };
    if (emu_entity_get(c, "user", name, &u) < 0 || !emu_entity_context(c, &u, false, &x) ||
        !emu_authorize(c, "iam:GetUser", u.arn, &x, NULL))
        return false;
    return u.found ? reply_user(c, u.name) : user_not_found(c, name);
}

/* The user named by UserName, authorized for `action` with its boundary
 * (when the action sends it) and tags; then it must exist. */
static bool user_call(emu_call *c, const char *action, bool boundary, emu_ctx *x, emu_entity *u)
{
    const char *name;
    if (!emu_param(c, "UserName", true, 1, 64, P_NAME, &name) || !emu_params_done(c) ||
        emu_entity_get(c, "user", name, u) < 0 || !emu_entity_context(c, u, boundary, x) ||
        !emu_authorize(c, action, u->arn, x, NULL))
        return false;
    return u->found || user_not_found(c, name);
}

bool op_delete_user(emu_call *c)
{
    emu_entity u;
    emu_ctx x = { .n = 0 };
    if (!user_call(c, "iam:DeleteUser", false, &x, &u))
        return false;
    static const struct { const char *sql, *msg; } CHECKS[] = {
        { "SELECT COUNT(*) FROM inline_policies WHERE kind = 'user' AND owner = ?", "must delete policies first" },
        { "SELECT COUNT(*) FROM attachments WHERE kind = 'user' AND owner = ?", "must detach all policies first" },
        { "SELECT COUNT(*) FROM access_keys WHERE kind = 'user' AND owner = ?", "must delete access keys first" },
        { "SELECT COUNT(*) FROM login_profiles WHERE usr = ?", "must delete login profile first" },
        { "SELECT COUNT(*) FROM members WHERE usr = ?", "must remove user from group first" },
    };
    for (size_t i = 0; i < sizeof CHECKS / sizeof *CHECKS; i++) {
        long long n = emu_count(c, CHECKS[i].sql, "s", u.name);
        if (n < 0)
            return false;
        if (n)
            return emu_conflict(c, "Cannot delete entity, %s.", CHECKS[i].msg);
    }
    return emu_delete_owned(c, "user", u.name) && emu_ok_empty(c);
}

bool op_list_users(emu_call *c)
{
    const char *prefix;
    long max, start;
    if (!emu_param(c, "PathPrefix", false, 1, 512, P_PATH_PREFIX, &prefix) ||
        !emu_param_paging(c, &max, &start) || !emu_params_done(c) ||
        !emu_authorize(c, "iam:ListUsers", "*", NULL, NULL))
        return false;
    sqlite3_stmt *st = emu_sql(c, "SELECT name, id, path, created FROM entities WHERE kind = 'user'"
                                  " AND substr(path, 1, length(?1)) = ?1 ORDER BY name LIMIT ?2 OFFSET ?3",
                               "sii", prefix ? prefix : "/", (long long)max + 1, (long long)start);
    if (!st)
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "Users");
    long n = 0;
    while (emu_step(c, st) == SQLITE_ROW && n++ < max) {
        emu_entity u = { .kind = "user", .found = true, .name = emu_col(c, st, 0), .id = emu_col(c, st, 1),
                         .path = emu_col(c, st, 2), .created = emu_col_int(st, 3) };
        if (!u.name || !u.path)
            break;
        u.arn = emu_arn(c, "user", u.path, u.name);
        emu_xml_user(c, &w, "member", &u, false);
    }
    sqlite3_finalize(st);
    return emu_end_list(c, &w, n, max, start);
}

/* A rename moves everything that refers to the user by name. */
static bool rename_user(emu_call *c, const char *from, const char *to)
{
    static const char *const SQL[] = {
        "UPDATE tags SET owner = ?2 WHERE kind = 'user' AND owner = ?1",
        "UPDATE inline_policies SET owner = ?2 WHERE kind = 'user' AND owner = ?1",
        "UPDATE attachments SET owner = ?2 WHERE kind = 'user' AND owner = ?1",
        "UPDATE access_keys SET owner = ?2 WHERE kind = 'user' AND owner = ?1",
        "UPDATE login_profiles SET usr = ?2 WHERE usr = ?1",
        "UPDATE members SET usr = ?2 WHERE usr = ?1",
        "UPDATE entities SET name = ?2 WHERE kind = 'user' AND name = ?1",
    };
    for (size_t i = 0; i < sizeof SQL / sizeof *SQL; i++)
        if (!emu_exec(c, SQL[i], "ss", from, to))
            return false;
    return true;
}

bool op_update_user(emu_call *c)
{
    const char *new_name, *new_path;
    emu_entity u;
    emu_ctx x = { .n = 0 };
    if (!emu_param(c, "NewUserName", false, 1, 64, P_NAME, &new_name) ||
        !emu_param(c, "NewPath", false, 1, 512, P_PATH, &new_path) ||
        !user_call(c, "iam:UpdateUser", false, &x, &u))
        return false;
    if (new_name && strcasecmp(new_name, u.name)) {
        long long n = emu_count(c, "SELECT COUNT(*) FROM entities WHERE kind = 'user' AND name = ?", "s", new_name);
        if (n < 0)
            return false;
        if (n)
            return emu_exists(c, "User with name %s already exists.", new_name);
    }
    if (new_path && !emu_exec(c, "UPDATE entities SET path = ? WHERE kind = 'user' AND name = ?", "ss", new_path, u.name))
        return false;
    if (new_name && !rename_user(c, u.name, new_name))
        return false;
    return emu_ok_empty(c);
}

bool op_put_user_permissions_boundary(emu_call *c)
{
    const char *boundary;
    emu_entity u;
    emu_ctx x = { .n = 0 };
    if (!emu_param(c, "PermissionsBoundary", true, 20, 2048, P_ARN, &boundary))
        return false;
    emu_ctx_add(c, &x, "iam:PermissionsBoundary", boundary);
    if (!user_call(c, "iam:PutUserPermissionsBoundary", false, &x, &u))
        return false;
    if (!emu_boundary_exists(c, boundary))
        return false;
    return emu_exec(c, "UPDATE entities SET boundary = ? WHERE kind = 'user' AND name = ?", "ss", boundary, u.name) &&
           emu_ok_empty(c);
}

bool op_delete_user_permissions_boundary(emu_call *c)
{
    emu_entity u;
    emu_ctx x = { .n = 0 };
    if (!user_call(c, "iam:DeleteUserPermissionsBoundary", true, &x, &u))
        return false;
    return emu_exec(c, "UPDATE entities SET boundary = NULL WHERE kind = 'user' AND name = ?", "s", u.name) &&
           emu_ok_empty(c);
}
