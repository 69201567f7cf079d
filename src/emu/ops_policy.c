/* ops_policy.c - managed policies and their versions (at most five, one
 * of them the default). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/entity.h"

#define POLICY_QUOTA 6144       /* characters of a managed policy, blanks aside */
#define MAX_VERSIONS 5

typedef struct {
    bool found, aws;
    const char *arn, *name, *id, *path, *description, *default_version;
    long long next_version, created, updated;
} policy_row;

static int policy_get(emu_call *c, const char *arn, policy_row *p)
{
    memset(p, 0, sizeof *p);
    p->arn = arn;
    sqlite3_stmt *st = emu_sql(c, "SELECT name, id, path, description, default_version, next_version, created,"
                                  " updated, aws FROM policies WHERE arn = ?", "s", arn);
    if (!st)
        return -1;
    int rc = emu_step(c, st);
    if (rc == SQLITE_ROW) {
        p->found = true;
        p->name = emu_col(c, st, 0);
        p->id = emu_col(c, st, 1);
        p->path = emu_col(c, st, 2);
        p->description = emu_col(c, st, 3);
        p->default_version = emu_col(c, st, 4);
        p->next_version = emu_col_int(st, 5);
        p->created = emu_col_int(st, 6);
        p->updated = emu_col_int(st, 7);
        p->aws = emu_col_int(st, 8) != 0;
    }
    sqlite3_finalize(st);
    return c->failed ? -1 : p->found;
}

static void xml_policy(emu_call *c, xml_writer *w, const char *elem, const policy_row *p, bool full)
{
    long long att = emu_count(c, "SELECT COUNT(*) FROM attachments WHERE arn = ?", "s", p->arn);
    long long pb = emu_count(c, "SELECT COUNT(*) FROM entities WHERE boundary = ?", "s", p->arn);
    xw_open(w, elem);
    xw_text(w, "PolicyName", p->name);
    xw_text(w, "PolicyId", p->id);
    xw_text(w, "Arn", p->arn);
    xw_text(w, "Path", p->path);
    xw_text(w, "DefaultVersionId", p->default_version);
    xw_uint(w, "AttachmentCount", att > 0 ? (unsigned long long)att : 0);
    xw_uint(w, "PermissionsBoundaryUsageCount", pb > 0 ? (unsigned long long)pb : 0);
    xw_bool(w, "IsAttachable", true);
    if (full && p->description)
        xw_text(w, "Description", p->description);
    emu_xml_time(w, "CreateDate", p->created);
    emu_xml_time(w, "UpdateDate", p->updated);
    if (full)
        emu_xml_tags(c, w, "policy", p->arn, false);
    xw_close(w);
}

static bool reply_policy(emu_call *c, const char *arn)
{
    policy_row p;
    if (policy_get(c, arn, &p) != 1)
        return c->failed ? false : emu_db_error(c);
    xml_writer w;
    emu_begin(c, &w, true);
    xml_policy(c, &w, "Policy", &p, true);
    emu_end(c, &w);
    return !c->failed;
}

static bool check_managed_document(emu_call *c, const char *doc)
{
    if (!emu_check_document(c, doc, IG_POLICY_IDENTITY))
        return false;
    if (emu_policy_size(doc) > POLICY_QUOTA)
        return emu_limit(c, "Cannot exceed quota for PolicySize: %d", POLICY_QUOTA);
    return true;
}

bool op_create_policy(emu_call *c)
{
    const char *name, *path, *doc, *desc;
    emu_tag *tags;
    size_t ntags;
    if (!emu_param(c, "PolicyName", true, 1, 128, P_NAME, &name) ||
        !emu_param(c, "Path", false, 1, 512, P_PATH, &path) ||
        !emu_param(c, "PolicyDocument", true, 1, 131072, P_DOCUMENT, &doc) ||
        !emu_param(c, "Description", false, 0, 1000, P_DESCRIPTION, &desc) ||
        !emu_param_tags(c, "Tags", &tags, &ntags) || !emu_params_done(c))
        return false;
    path = path ? path : "/";
    const char *arn = emu_arn(c, "policy", path, name);
    emu_ctx x = { .n = 0 };
    emu_ctx_request_tags(c, &x, tags, ntags);
    if (!emu_authorize(c, "iam:CreatePolicy", arn, &x, NULL) || !check_managed_document(c, doc))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM policies WHERE aws = 0 AND name = ?", "s", name);
    if (n < 0)
        return false;
    if (n)
        return emu_exists(c, "A policy called %s already exists. Duplicate names are not allowed.", name);
    char id[32];
    if (!emu_random_id("ANPA", 17, id, sizeof id))
        return emu_db_error(c);
    long long now = (long long)c->now;
    return emu_exec(c, "INSERT INTO policies(arn, name, id, path, description, default_version, next_version,"
                       " created, updated) VALUES(?, ?, ?, ?, ?, 'v1', 2, ?, ?)",
                    "sssssii", arn, name, id, path, desc, now, now) &&
           emu_exec(c, "INSERT INTO policy_versions(arn, vid, doc, created) VALUES(?, 'v1', ?, ?)", "ssi", arn, doc, now) &&
           emu_tags_replace(c, "policy", arn, tags, ntags) && reply_policy(c, arn);
}

/* PolicyArn, authorized for `action` (with the policy's tags), then it
 * must exist; AWS managed policies cannot be changed when `write`. */
static bool policy_call(emu_call *c, const char *action, bool write, policy_row *p, bool done)
{
    const char *arn;
    if (!emu_param(c, "PolicyArn", true, 20, 2048, P_ARN, &arn))
        return false;
    if (done && !emu_params_done(c))
        return false;
    int found = policy_get(c, arn, p);
    emu_ctx x = { .n = 0 };
    if (found < 0 || (found && !emu_ctx_resource_tags(c, &x, "policy", arn)) ||
        !emu_authorize(c, action, arn, &x, NULL))
        return false;
    if (!found)
        return emu_no_such(c, "Policy %s does not exist or is not attachable.", arn);
    if (write && p->aws)
        return emu_error(c, 403, "AccessDenied", "An AWS managed policy cannot be changed: %s", arn);
    return true;
}

bool op_get_policy(emu_call *c)
{
    policy_row p;
    return policy_call(c, "iam:GetPolicy", false, &p, true) && reply_policy(c, p.arn);
}

bool op_delete_policy(emu_call *c)
{
    policy_row p;
    if (!policy_call(c, "iam:DeletePolicy", true, &p, true))
        return false;
    long long att = emu_count(c, "SELECT COUNT(*) FROM attachments WHERE arn = ?", "s", p.arn);
    long long pb = emu_count(c, "SELECT COUNT(*) FROM entities WHERE boundary = ?", "s", p.arn);
    long long nv = emu_count(c, "SELECT COUNT(*) FROM policy_versions WHERE arn = ?", "s", p.arn);
    if (att < 0 || pb < 0 || nv < 0)
        return false;
    if (att || pb)
        return emu_conflict(c, "Cannot delete a policy attached to entities.");
    if (nv > 1)
        return emu_conflict(c, "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    return emu_exec(c, "DELETE FROM policy_versions WHERE arn = ?", "s", p.arn) &&
           emu_exec(c, "DELETE FROM tags WHERE kind = 'policy' AND owner = ?", "s", p.arn) &&
           emu_exec(c, "DELETE FROM policies WHERE arn = ?", "s", p.arn) && emu_ok_empty(c);
}

bool op_list_policies(emu_call *c)
{
    const char *scope, *prefix, *usage;
    bool only_attached = false;
    long max, start;
    if (!emu_param(c, "Scope", false, 1, 5, P_ANY, &scope) ||
        !emu_param(c, "PathPrefix", false, 1, 512, P_PATH_PREFIX, &prefix) ||
        !emu_param(c, "PolicyUsageFilter", false, 1, 32, P_ANY, &usage) ||
        !emu_param_bool(c, "OnlyAttached", &only_attached) || !emu_param_paging(c, &max, &start) ||
        !emu_params_done(c))
        return false;
    scope = scope ? scope : "All";
    if (strcmp(scope, "All") && strcmp(scope, "AWS") && strcmp(scope, "Local"))
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value '%s' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]", scope);
    if (usage && strcmp(usage, "PermissionsPolicy") && strcmp(usage, "PermissionsBoundary"))
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value '%s' at 'policyUsageFilter' failed to satisfy constraint: Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]", usage);
    if (!emu_authorize(c, "iam:ListPolicies", "*", NULL, NULL))
        return false;
    long long aws = !strcmp(scope, "AWS") ? 1 : !strcmp(scope, "Local") ? 0 : -1;
    const char *use = !usage ? "" : !strcmp(usage, "PermissionsPolicy") ? "policy" : "boundary";
    sqlite3_stmt *st = emu_sql(c,
        "SELECT arn FROM policies p WHERE (?1 < 0 OR aws = ?1) AND substr(path, 1, length(?2)) = ?2"
        " AND (?3 = 0 OR EXISTS(SELECT 1 FROM attachments a WHERE a.arn = p.arn)"
        "      OR EXISTS(SELECT 1 FROM entities e WHERE e.boundary = p.arn))"
        " AND (?4 <> 'policy' OR EXISTS(SELECT 1 FROM attachments a WHERE a.arn = p.arn))"
        " AND (?4 <> 'boundary' OR EXISTS(SELECT 1 FROM entities e WHERE e.boundary = p.arn))"
        " ORDER BY name LIMIT ?5 OFFSET ?6",
        "isisii", aws, prefix ? prefix : "/", (long long)only_attached, use, (long long)max + 1, (long long)start);
    if (!st)
        return false;
    const char **arns = ig_arena_alloc(&c->arena, (size_t)(max + 1) * sizeof *arns);
    long n = 0;
    while (arns && n <= max && emu_step(c, st) == SQLITE_ROW)
        arns[n++] = emu_col(c, st, 0);
    sqlite3_finalize(st);
    if (!arns || c->failed)
        return emu_db_error(c);
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "Policies");
    for (long i = 0; i < n && i < max; i++) {
        policy_row p;
        if (arns[i] && policy_get(c, arns[i], &p) == 1)
            xml_policy(c, &w, "member", &p, false);
    }
    return emu_end_list(c, &w, n, max, start);
}

static void xml_version(xml_writer *w, const char *vid, const char *doc, bool is_default, long long created)
{
    xw_open(w, "PolicyVersion");
    if (doc)
        emu_xml_document(w, "Document", doc);
    xw_text(w, "VersionId", vid);
    xw_bool(w, "IsDefaultVersion", is_default);
    emu_xml_time(w, "CreateDate", created);
    xw_close(w);
}

bool op_create_policy_version(emu_call *c)
{
    policy_row p;
    const char *doc;
    bool set_default = false;
    if (!emu_param(c, "PolicyDocument", true, 1, 131072, P_DOCUMENT, &doc) ||
        !emu_param_bool(c, "SetAsDefault", &set_default) ||
        !policy_call(c, "iam:CreatePolicyVersion", true, &p, true) || !check_managed_document(c, doc))
        return false;
    long long nv = emu_count(c, "SELECT COUNT(*) FROM policy_versions WHERE arn = ?", "s", p.arn);
    if (nv < 0)
        return false;
    if (nv >= MAX_VERSIONS)
        return emu_limit(c, "A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", MAX_VERSIONS);
    const char *vid = emu_printf(c, "v%lld", p.next_version);
    long long now = (long long)c->now;
    if (!vid || !emu_exec(c, "INSERT INTO policy_versions(arn, vid, doc, created) VALUES(?, ?, ?, ?)", "sssi", p.arn, vid, doc, now) ||
        !emu_exec(c, "UPDATE policies SET next_version = next_version + 1, updated = ? WHERE arn = ?", "is", now, p.arn) ||
        (set_default && !emu_exec(c, "UPDATE policies SET default_version = ? WHERE arn = ?", "ss", vid, p.arn)))
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xml_version(&w, vid, NULL, set_default, now);
    emu_end(c, &w);
    return !c->failed;
}

/* VersionId of the policy: its document and creation time. */
static int version_get(emu_call *c, const policy_row *p, const char *vid, const char **doc, long long *created)
{
    sqlite3_stmt *st = emu_sql(c, "SELECT doc, created FROM policy_versions WHERE arn = ? AND vid = ?", "ss", p->arn, vid);
    if (!st)
        return -1;
    int rc = emu_step(c, st);
    if (rc == SQLITE_ROW) {
        *doc = emu_col(c, st, 0);
        *created = emu_col_int(st, 1);
    }
    sqlite3_finalize(st);
    if (c->failed)
        return -1;
    if (rc != SQLITE_ROW)
        return emu_no_such(c, "Policy %s version %s does not exist or is not attachable.", p->arn, vid), 0;
    return 1;
}

static bool version_call(emu_call *c, const char *action, bool write, policy_row *p, const char **vid)
{
    return emu_param(c, "VersionId", true, 1, 64, P_VERSION_ID, vid) && policy_call(c, action, write, p, true);
}

bool op_get_policy_version(emu_call *c)
{
    policy_row p;
    const char *vid, *doc = NULL;
    long long created = 0;
    if (!version_call(c, "iam:GetPolicyVersion", false, &p, &vid) || version_get(c, &p, vid, &doc, &created) != 1)
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xml_version(&w, vid, doc ? doc : "", !strcmp(vid, p.default_version), created);
    emu_end(c, &w);
    return !c->failed;
}

bool op_delete_policy_version(emu_call *c)
{
    policy_row p;
    const char *vid, *doc;
    long long created;
    if (!version_call(c, "iam:DeletePolicyVersion", true, &p, &vid) || version_get(c, &p, vid, &doc, &created) != 1)
        return false;
    if (!strcmp(vid, p.default_version))
        return emu_conflict(c, "Cannot delete the default version of a policy.");
    return emu_exec(c, "DELETE FROM policy_versions WHERE arn = ? AND vid = ?", "ss", p.arn, vid) && emu_ok_empty(c);
}

bool op_set_default_policy_version(emu_call *c)
{
    policy_row p;
    const char *vid, *doc;
    long long created;
    if (!version_call(c, "iam:SetDefaultPolicyVersion", true, &p, &vid) || version_get(c, &p, vid, &doc, &created) != 1)
        return false;
    return emu_exec(c, "UPDATE policies SET default_version = ?, updated = ? WHERE arn = ?", "sis", vid,
                    (long long)c->now, p.arn) && emu_ok_empty(c);
}

bool op_list_policy_versions(emu_call *c)
{
    policy_row p;
    long max, start;
    if (!emu_param_paging(c, &max, &start) || !policy_call(c, "iam:ListPolicyVersions", false, &p, true))
        return false;
    sqlite3_stmt *st = emu_sql(c, "SELECT vid, created FROM policy_versions WHERE arn = ?"
                                  " ORDER BY CAST(substr(vid, 2) AS INTEGER) DESC", "s", p.arn);
    if (!st)
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "Versions");
    while (emu_step(c, st) == SQLITE_ROW) {
        const char *vid = (const char *)sqlite3_column_text(st, 0);
        xw_open(&w, "member");
        xw_text(&w, "VersionId", vid);
        xw_bool(&w, "IsDefaultVersion", vid && !strcmp(vid, p.default_version));
        emu_xml_time(&w, "CreateDate", emu_col_int(st, 1));
        xw_close(&w);
    }
    sqlite3_finalize(st);
    return emu_end_list(c, &w, 0, 0, 0);     /* never cut */
}
