/* ops_attach.c - the policies of a role, user or group: inline policies
 * (Put/Get/Delete/List{Role,User,Group}Policy) and attached managed
 * policies (Attach/Detach/ListAttached{Role,User,Group}Policies).  One
 * implementation for the three kinds; the Action names which. */
#include <stdio.h>
#include <string.h>

#include "emu/entity.h"

typedef struct {
    const char *kind;           /* "role", "user", "group" */
    const char *param;          /* RoleName, UserName, GroupName */
    const char *label;          /* "role", "user", "group" in messages */
    bool boundary;              /* the kind has permissions boundaries */
    size_t inline_quota;        /* aggregate inline policy size */
} owner_kind;

static const owner_kind KINDS[] = {
    { "role", "RoleName", "role", true, 10240 },
    { "user", "UserName", "user", true, 2048 },
    { "group", "GroupName", "group", false, 5120 },
};

static const owner_kind *kind_of(const emu_call *c)
{
    if (strstr(c->action, "Role")) return &KINDS[0];
    if (strstr(c->action, "User")) return &KINDS[1];
    return &KINDS[2];
}

/* The owner, authorized for iam:<Action> with `x` plus its boundary (for
 * the actions AWS sends it with) and tags; then it must exist. */
static bool owner_call(emu_call *c, const owner_kind *k, bool boundary, emu_ctx *x, emu_entity *en)
{
    const char *name;
    if (!emu_param(c, k->param, true, 1, k->kind[0] == 'g' ? 128 : 64, P_NAME, &name) ||
        !emu_params_done(c) || emu_entity_get(c, k->kind, name, en) < 0 ||
        !emu_entity_context(c, en, boundary && k->boundary, x))
        return false;
    const char *action = emu_printf(c, "iam:%s", c->action);
    if (!action || !emu_authorize(c, action, en->arn, x, NULL))
        return false;
    if (!en->found)
        return emu_no_such(c, "The %s with name %s cannot be found.", k->label, name);
    return true;
}

bool op_put_inline_policy(emu_call *c)
{
    const owner_kind *k = kind_of(c);
    const char *pname, *doc;
    emu_entity en;
    emu_ctx x = { .n = 0 };
    if (!emu_param(c, "PolicyName", true, 1, 128, P_NAME, &pname) ||
        !emu_param(c, "PolicyDocument", true, 1, 131072, P_DOCUMENT, &doc) ||
        !owner_call(c, k, true, &x, &en) || !emu_check_document(c, doc, IG_POLICY_IDENTITY))
        return false;
    if (!emu_exec(c, "INSERT INTO inline_policies(kind, owner, name, doc) VALUES(?, ?, ?, ?)"
                     " ON CONFLICT(kind, owner, name) DO UPDATE SET doc = excluded.doc",
                  "ssss", k->kind, en.name, pname, doc))
        return false;
    sqlite3_stmt *st = emu_sql(c, "SELECT doc FROM inline_policies WHERE kind = ? AND owner = ?", "ss", k->kind, en.name);
    if (!st)
        return false;
    size_t total = 0;
    while (emu_step(c, st) == SQLITE_ROW)
        total += emu_policy_size((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (c->failed)
        return false;
    if (total > k->inline_quota)
        return emu_limit(c, "Maximum policy size of %zu bytes exceeded for %s %s", k->inline_quota, k->label, en.name);
    return emu_ok_empty(c);
}

bool op_get_inline_policy(emu_call *c)
{
    const owner_kind *k = kind_of(c);
    const char *pname;
    emu_entity en;
    emu_ctx x = { .n = 0 };
    if (!emu_param(c, "PolicyName", true, 1, 128, P_NAME, &pname) || !owner_call(c, k, false, &x, &en))
        return false;
    sqlite3_stmt *st = emu_sql(c, "SELECT name, doc FROM inline_policies WHERE kind = ? AND owner = ? AND name = ?",
                               "sss", k->kind, en.name, pname);
    if (!st)
        return false;
    int rc = emu_step(c, st);
    const char *name = rc == SQLITE_ROW ? emu_col(c, st, 0) : NULL;
    const char *doc = rc == SQLITE_ROW ? emu_col(c, st, 1) : NULL;
    sqlite3_finalize(st);
    if (c->failed)
        return false;
    if (!name || !doc)
        return emu_no_such(c, "The %s policy with name %s cannot be found.", k->label, pname);
    xml_writer w;
    emu_begin(c, &w, true);
    xw_text(&w, k->param, en.name);
    xw_text(&w, "PolicyName", name);
    emu_xml_document(&w, "PolicyDocument", doc);
    emu_end(c, &w);
    return !c->failed;
}

bool op_delete_inline_policy(emu_call *c)
{
    const owner_kind *k = kind_of(c);
    const char *pname;
    emu_entity en;
    emu_ctx x = { .n = 0 };
    if (!emu_param(c, "PolicyName", true, 1, 128, P_NAME, &pname) || !owner_call(c, k, true, &x, &en))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM inline_policies WHERE kind = ? AND owner = ? AND name = ?",
                            "sss", k->kind, en.name, pname);
    if (n < 0)
        return false;
    if (!n)
        return emu_no_such(c, "The %s policy with name %s cannot be found.", k->label, pname);
    return emu_exec(c, "DELETE FROM inline_policies WHERE kind = ? AND owner = ? AND name = ?", "sss",
                    k->kind, en.name, pname) && emu_ok_empty(c);
}

bool op_list_inline_policies(emu_call *c)
{
    const owner_kind *k = kind_of(c);
    emu_entity en;
    emu_ctx x = { .n = 0 };
    long max, start;
    if (!emu_param_paging(c, &max, &start) || !owner_call(c, k, false, &x, &en))
        return false;
    sqlite3_stmt *st = emu_sql(c, "SELECT name FROM inline_policies WHERE kind = ? AND owner = ? ORDER BY name"
                                  " LIMIT ? OFFSET ?", "ssii", k->kind, en.name, (long long)max + 1, (long long)start);
    if (!st)
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "PolicyNames");
    long n = 0;
    while (emu_step(c, st) == SQLITE_ROW && n++ < max)
        xw_text(&w, "member", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return emu_end_list(c, &w, n, max, start);
}

/* PolicyArn, and the caller authorized on the owner with iam:PolicyARN
 * in the context (Attach* and Detach*). */
static bool policy_arn_call(emu_call *c, const owner_kind *k, const char **arn, emu_entity *en)
{
    emu_ctx x = { .n = 0 };
    if (!emu_param(c, "PolicyArn", true, 20, 2048, P_ARN, arn))
        return false;
    emu_ctx_add(c, &x, "iam:PolicyARN", *arn);
    return owner_call(c, k, true, &x, en);
}

bool op_attach_policy(emu_call *c)
{
    const owner_kind *k = kind_of(c);
    const char *arn;
    emu_entity en;
    if (!policy_arn_call(c, k, &arn, &en))
        return false;
    long long exists = emu_count(c, "SELECT COUNT(*) FROM policies WHERE arn = ?", "s", arn);
    if (exists < 0)
        return false;
    if (!exists)
        return emu_no_such(c, "Policy %s does not exist or is not attachable.", arn);
    long long have = emu_count(c, "SELECT COUNT(*) FROM attachments WHERE kind = ? AND owner = ? AND arn = ?",
                               "sss", k->kind, en.name, arn);
    long long count = emu_count(c, "SELECT COUNT(*) FROM attachments WHERE kind = ? AND owner = ?", "ss", k->kind, en.name);
    long long seq = emu_count(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM attachments", NULL);
    if (have < 0 || count < 0 || seq < 0)
        return false;
    if (have)
        return emu_ok_empty(c);
    if (count >= 10)
        return emu_limit(c, "Cannot exceed quota for PoliciesPer%s: 10",
                         k->kind[0] == 'r' ? "Role" : k->kind[0] == 'u' ? "User" : "Group");
    return emu_exec(c, "INSERT INTO attachments(kind, owner, arn, seq) VALUES(?, ?, ?, ?)", "sssi",
                    k->kind, en.name, arn, seq) && emu_ok_empty(c);
}

bool op_detach_policy(emu_call *c)
{
    const owner_kind *k = kind_of(c);
    const char *arn;
    emu_entity en;
    if (!policy_arn_call(c, k, &arn, &en))
        return false;
    long long have = emu_count(c, "SELECT COUNT(*) FROM attachments WHERE kind = ? AND owner = ? AND arn = ?",
                               "sss", k->kind, en.name, arn);
    if (have < 0)
        return false;
    if (!have)
        return emu_no_such(c, "Policy %s was not found.", arn);
    return emu_exec(c, "DELETE FROM attachments WHERE kind = ? AND owner = ? AND arn = ?", "sss", k->kind, en.name, arn) &&
           emu_ok_empty(c);
}

bool op_list_attached_policies(emu_call *c)
{
    const owner_kind *k = kind_of(c);
    const char *prefix;
    emu_entity en;
    emu_ctx x = { .n = 0 };
    long max, start;
    if (!emu_param(c, "PathPrefix", false, 1, 512, P_PATH_PREFIX, &prefix) || !emu_param_paging(c, &max, &start) ||
        !owner_call(c, k, false, &x, &en))
        return false;
    sqlite3_stmt *st = emu_sql(c, "SELECT p.name, p.arn FROM attachments a JOIN policies p ON p.arn = a.arn"
                                  " WHERE a.kind = ? AND a.owner = ? AND substr(p.path, 1, length(?3)) = ?3"
                                  " ORDER BY a.seq LIMIT ? OFFSET ?",
                               "sssii", k->kind, en.name, prefix ? prefix : "/", (long long)max + 1, (long long)start);
    if (!st)
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "AttachedPolicies");
    long n = 0;
    while (emu_step(c, st) == SQLITE_ROW && n++ < max) {
        xw_open(&w, "member");
        xw_text(&w, "PolicyName", (const char *)sqlite3_column_text(st, 0));
        xw_text(&w, "PolicyArn", (const char *)sqlite3_column_text(st, 1));
        xw_close(&w);
    }
    sqlite3_finalize(st);
    return emu_end_list(c, &w, n, max, start);
}
