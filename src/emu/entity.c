/* entity.c - stored users, groups, roles and instance profiles: reading a
 * row, the context keys AWS derives from one, tags, and the XML shapes
 * AWS returns them in. */
#include <stdio.h>
#include <string.h>

#include "emu/entity.h"

int emu_entity_get(emu_call *c, const char *kind, const char *name, emu_entity *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    sqlite3_stmt *st = emu_sql(c, "SELECT name, id, path, created, trust, description, max_session, boundary"
                                  " FROM entities WHERE kind = ? AND name = ?", "ss", kind, name);
    if (!st)
        return -1;
    int rc = emu_step(c, st);
    if (rc == SQLITE_ROW) {
        out->name = emu_col(c, st, 0);
        out->id = emu_col(c, st, 1);
        out->path = emu_col(c, st, 2);
        out->created = emu_col_int(st, 3);
        out->trust = emu_col(c, st, 4);
        out->description = emu_col(c, st, 5);
        out->max_session = emu_col_int(st, 6);
        out->boundary = emu_col(c, st, 7);
    }
    sqlite3_finalize(st);
    if (c->failed)
        return -1;
    if (rc != SQLITE_ROW) {
        /* authorization still needs an ARN: the one the entity would have */
        out->name = name;
        out->arn = emu_arn(c, kind, "/", name);
        return c->failed ? -1 : 0;
    }
    out->found = true;
    out->arn = emu_arn(c, kind, out->path, out->name);
    return c->failed ? -1 : 1;
}

bool emu_entity_context(emu_call *c, const emu_entity *en, bool boundary, emu_ctx *x)
{
    if (!en->found)
        return true;
    if (boundary && en->boundary)
        emu_ctx_add(c, x, "iam:PermissionsBoundary", en->boundary);
    return emu_ctx_resource_tags(c, x, en->kind, en->name) && !c->failed;
}

bool emu_tags_replace(emu_call *c, const char *kind, const char *owner, const emu_tag *tags, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        long long seq = emu_count(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM tags WHERE kind = ? AND owner = ?",
                                  "ss", kind, owner);
        if (seq < 0)
            return false;
        /* an existing key keeps its place and takes the new value */
        if (!emu_exec(c, "INSERT INTO tags(kind, owner, k, v, seq) VALUES(?, ?, ?, ?, ?)"
                         " ON CONFLICT(kind, owner, k) DO UPDATE SET v = excluded.v",
                      "ssssi", kind, owner, tags[i].key, tags[i].value, seq))
            return false;
    }
    long long total = emu_count(c, "SELECT COUNT(*) FROM tags WHERE kind = ? AND owner = ?", "ss", kind, owner);
    if (total < 0)
        return false;
    if (total > 50)
        return emu_limit(c, "The number of tags has reached the maximum limit.");
    return true;
}

bool emu_delete_owned(emu_call *c, const char *kind, const char *name)
{
    return emu_exec(c, "DELETE FROM tags WHERE kind = ? AND owner = ?", "ss", kind, name) &&
           emu_exec(c, "DELETE FROM inline_policies WHERE kind = ? AND owner = ?", "ss", kind, name) &&
           emu_exec(c, "DELETE FROM attachments WHERE kind = ? AND owner = ?", "ss", kind, name) &&
           emu_exec(c, "DELETE FROM entities WHERE kind = ? AND name = ?", "ss", kind, name);
}

void emu_xml_tags(emu_call *c, xml_writer *w, const char *kind, const char *owner, bool always)
{
    sqlite3_stmt *st = emu_sql(c, "SELECT k, v FROM tags WHERE kind = ? AND owner = ? ORDER BY seq", "ss", kind, owner);
    if (!st)
        return;
    bool open = false;
    if (always) {
        xw_open(w, "Tags");
        open = true;
    }
    while (emu_step(c, st) == SQLITE_ROW) {
        if (!open) {
            xw_open(w, "Tags");
            open = true;
        }
        xw_open(w, "member");
        xw_text(w, "Key", (const char *)sqlite3_column_text(st, 0));
        xw_text(w, "Value", (const char *)sqlite3_column_text(st, 1));
        xw_close(w);
    }
    if (open)
        xw_close(w);
    sqlite3_finalize(st);
}

static void xml_boundary(xml_writer *w, const char *arn)
{
    if (!arn)
        return;
    xw_open(w, "PermissionsBoundary");
    xw_text(w, "PermissionsBoundaryType", "Policy");
    xw_text(w, "PermissionsBoundaryArn", arn);
    xw_close(w);
}

void emu_xml_role(emu_call *c, xml_writer *w, const char *elem, const emu_entity *r, bool full)
{
    xw_open(w, elem);
    xw_text(w, "Path", r->path);
    xw_text(w, "RoleName", r->name);
    xw_text(w, "RoleId", r->id);
    xw_text(w, "Arn", r->arn);
    emu_xml_time(w, "CreateDate", r->created);
    emu_xml_document(w, "AssumeRolePolicyDocument", r->trust ? r->trust : "");
    if (r->description)
        xw_text(w, "Description", r->description);
    xw_uint(w, "MaxSessionDuration", (unsigned long long)(r->max_session ? r->max_session : 3600));
    if (full) {
        xml_boundary(w, r->boundary);
        emu_xml_tags(c, w, "role", r->name, false);
        xw_open(w, "RoleLastUsed");
        xw_close(w);
    }
    xw_close(w);
}

void emu_xml_user(emu_call *c, xml_writer *w, const char *elem, const emu_entity *u, bool full)
{
    xw_open(w, elem);
    xw_text(w, "Path", u->path);
    xw_text(w, "UserName", u->name);
    xw_text(w, "UserId", u->id);
    xw_text(w, "Arn", u->arn);
    emu_xml_time(w, "CreateDate", u->created);
    if (full) {
        xml_boundary(w, u->boundary);
        emu_xml_tags(c, w, "user", u->name, false);
    }
    xw_close(w);
}

void emu_xml_group(xml_writer *w, const char *elem, const emu_entity *g)
{
    xw_open(w, elem);
    xw_text(w, "Path", g->path);
    xw_text(w, "GroupName", g->name);
    xw_text(w, "GroupId", g->id);
    xw_text(w, "Arn", g->arn);
    emu_xml_time(w, "CreateDate", g->created);
    xw_close(w);
}

bool emu_reply_entity(emu_call *c, const char *kind, const char *name, const char *elem,
                      emu_entity_xml *write)
{
    emu_entity e;
    if (emu_entity_get(c, kind, name, &e) != 1)
        return c->failed ? false : emu_db_error(c);
    xml_writer w;
    emu_begin(c, &w, true);
    write(c, &w, elem, &e);
    emu_end(c, &w);
    return !c->failed;
}

bool emu_boundary_exists(emu_call *c, const char *arn)
{
    long long n = emu_count(c, "SELECT COUNT(*) FROM policies WHERE arn = ?", "s", arn);
    if (n < 0)
        return false;
    if (!n)
        return emu_no_such(c, "Scope ARN: %s does not exist or is not attachable.", arn);
    return true;
}
