/* principal.c - the policies that govern a stored user or role, compiled
 * into an evaluation environment: inline and attached policies (a user's
 * groups' too), the permissions boundary, and the entity's tags (for
 * aws:PrincipalTag). */
#include <stdio.h>
#include <string.h>

#include "emu/emu_int.h"

const char *emu_policy_document(emu_call *c, const char *arn, bool *db_failed)
{
    *db_failed = false;
    sqlite3_stmt *st = emu_sql(c, "SELECT v.doc FROM policies p JOIN policy_versions v"
                                  " ON v.arn = p.arn AND v.vid = p.default_version WHERE p.arn = ?", "s", arn);
    if (!st) {
        *db_failed = true;
        return NULL;
    }
    int rc = emu_step(c, st);
    const char *doc = rc == SQLITE_ROW ? emu_col(c, st, 0) : NULL;
    sqlite3_finalize(st);
    *db_failed = c->failed;
    return doc;
}

/* Compile one stored document into p; -1 database, -2 broken policy. */
static int add(emu_call *c, emu_principal *p, const char *id, const char *doc, ig_policy_type type)
{
    if (p->nowned >= EMU_MAX_POLICIES) {
        snprintf(p->error, sizeof p->error, "more than %d policies govern the principal", EMU_MAX_POLICIES);
        return -2;
    }
    ig_diag d;
    memset(&d, 0, sizeof d);
    ig_policy *pol = ig_policy_compile(doc, strlen(doc), type, id, id, &d);
    if (!pol) {
        snprintf(p->error, sizeof p->error, "the stored policy %.200s cannot be evaluated (%.200s)", id, d.msg);
        return -2;
    }
    p->owned[p->nowned++] = pol;
    int rc = type == IG_POLICY_IDENTITY ? ig_env_add_identity(p->env, pol)
           : type == IG_POLICY_BOUNDARY ? ig_env_set_boundary(p->env, pol)
           : ig_env_set_session(p->env, pol);
    if (rc != IG_OK) {
        snprintf(p->error, sizeof p->error, "out of memory");
        return -2;
    }
    (void)c;
    return 0;
}

/* The name part of a policy ARN, for explanations. */
static const char *policy_name(const char *arn)
{
    const char *slash = strrchr(arn, '/');
    return slash ? slash + 1 : arn;
}

/* Inline and attached policies of (kind, owner). */
static int add_owned(emu_call *c, emu_principal *p, const char *kind, const char *owner)
{
    sqlite3_stmt *st = emu_sql(c, "SELECT name, doc FROM inline_policies WHERE kind = ? AND owner = ? ORDER BY name",
                               "ss", kind, owner);
    if (!st)
        return -1;
    int rc = 0, step;
    while (rc == 0 && (step = emu_step(c, st)) == SQLITE_ROW) {
        const char *name = emu_col(c, st, 0), *doc = emu_col(c, st, 1);
        rc = !name || !doc ? -1 : add(c, p, name, doc, IG_POLICY_IDENTITY);
    }
    sqlite3_finalize(st);
    if (rc || c->failed)
        return rc ? rc : -1;
    st = emu_sql(c, "SELECT a.arn, v.doc FROM attachments a JOIN policies pol ON pol.arn = a.arn"
                    " JOIN policy_versions v ON v.arn = pol.arn AND v.vid = pol.default_version"
                    " WHERE a.kind = ? AND a.owner = ? ORDER BY a.seq", "ss", kind, owner);
    if (!st)
        return -1;
    while (rc == 0 && (step = emu_step(c, st)) == SQLITE_ROW) {
        const char *arn = emu_col(c, st, 0), *doc = emu_col(c, st, 1);
        rc = !arn || !doc ? -1 : add(c, p, policy_name(arn), doc, IG_POLICY_IDENTITY);
    }
    sqlite3_finalize(st);
    return rc ? rc : c->failed ? -1 : 0;
}

static int load_tags(emu_call *c, emu_principal *p, const char *kind, const char *name)
{
    long long n = emu_count(c, "SELECT COUNT(*) FROM tags WHERE kind = ? AND owner = ?", "ss", kind, name);
    if (n < 0)
        return -1;
    p->tags = n ? ig_arena_alloc(&c->arena, (size_t)n * sizeof *p->tags) : NULL;
    if (n && !p->tags)
        return emu_db_error(c), -1;
    sqlite3_stmt *st = emu_sql(c, "SELECT k, v FROM tags WHERE kind = ? AND owner = ? ORDER BY seq", "ss", kind, name);
    if (!st)
        return -1;
    while ((long long)p->ntags < n && emu_step(c, st) == SQLITE_ROW) {
        p->tags[p->ntags].key = emu_col(c, st, 0);
        p->tags[p->ntags].value = emu_col(c, st, 1);
        p->ntags++;
    }
    sqlite3_finalize(st);
    return c->failed ? -1 : 0;
}

int emu_principal_load(emu_call *c, const char *kind, const char *name, const char *principal_arn,
                       emu_principal *p)
{
    memset(p, 0, sizeof *p);
    if (!(p->env = ig_env_new())) {
        emu_db_error(c);
        return -1;
    }
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (ig_env_set_principal_arn(p->env, principal_arn, NULL, &d) != IG_OK) {
        snprintf(p->error, sizeof p->error, "the principal %.300s cannot be evaluated (%.200s)", principal_arn, d.msg);
        return -2;
    }
    if (!kind)                       /* the account root: no policies */
        return 0;
    int rc = add_owned(c, p, kind, name);
    if (rc == 0 && !strcmp(kind, "user")) {
        sqlite3_stmt *st = emu_sql(c, "SELECT grp FROM members WHERE usr = ? ORDER BY grp", "s", name);
        if (!st)
            return -1;
        const char *groups[64];
        size_t ng = 0;
        while (ng < 64 && emu_step(c, st) == SQLITE_ROW)
            groups[ng++] = emu_col(c, st, 0);
        sqlite3_finalize(st);
        for (size_t i = 0; rc == 0 && i < ng; i++)
            rc = groups[i] ? add_owned(c, p, "group", groups[i]) : -1;
    }
    if (rc)
        return rc;
    sqlite3_stmt *st = emu_sql(c, "SELECT boundary FROM entities WHERE kind = ? AND name = ?", "ss", kind, name);
    if (!st)
        return -1;
    const char *boundary = emu_step(c, st) == SQLITE_ROW ? emu_col(c, st, 0) : NULL;
    sqlite3_finalize(st);
    if (c->failed)
        return -1;
    if (boundary) {
        snprintf(p->boundary_arn, sizeof p->boundary_arn, "%s", boundary);
        bool dbf;
        const char *doc = emu_policy_document(c, boundary, &dbf);
        if (dbf)
            return -1;
        if (!doc) {
            /* a boundary whose policy is gone allows nothing: fail closed */
            doc = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        }
        if ((rc = add(c, p, policy_name(boundary), doc, IG_POLICY_BOUNDARY)))
            return rc;
    }
    return load_tags(c, p, kind, name);
}

int emu_principal_add_session(emu_call *c, emu_principal *p, const char *doc)
{
    return add(c, p, "SessionPolicy", doc, IG_POLICY_SESSION);
}

void emu_principal_free(emu_principal *p)
{
    ig_env_free(p->env);
    for (size_t i = 0; i < p->nowned; i++)
        ig_policy_free(p->owned[i]);
    p->env = NULL;
    p->nowned = 0;
}
