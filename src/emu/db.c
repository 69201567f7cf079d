/* db.c - the emulator's SQLite database: schema, pragmas, transactions,
 * the account and the bootstrap key.
 *
 * WAL with synchronous=FULL: a call is answered only after its transaction
 * is committed and synced, so an acknowledged call survives a crash of the
 * process (or of the machine).  Names of users, groups, roles, instance
 * profiles and policies are unique ignoring case, as in IAM (NOCASE). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/emu_int.h"
#include "policy/policy.h"

#define SCHEMA_VERSION "1"

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);"
    /* users, groups, roles, instance profiles */
    "CREATE TABLE IF NOT EXISTS entities(kind TEXT NOT NULL, name TEXT NOT NULL COLLATE NOCASE,"
    " id TEXT NOT NULL UNIQUE, path TEXT NOT NULL, created INTEGER NOT NULL,"
    " trust TEXT, description TEXT, max_session INTEGER, boundary TEXT,"
    " PRIMARY KEY(kind, name));"
    "CREATE TABLE IF NOT EXISTS tags(kind TEXT NOT NULL, owner TEXT NOT NULL COLLATE NOCASE,"
    " k TEXT NOT NULL COLLATE NOCASE, v TEXT NOT NULL, seq INTEGER NOT NULL,"
    " PRIMARY KEY(kind, owner, k));"
    "CREATE TABLE IF NOT EXISTS inline_policies(kind TEXT NOT NULL, owner TEXT NOT NULL COLLATE NOCASE,"
    " name TEXT NOT NULL COLLATE NOCASE, doc TEXT NOT NULL, PRIMARY KEY(kind, owner, name));"
    "CREATE TABLE IF NOT EXISTS attachments(kind TEXT NOT NULL, owner TEXT NOT NULL COLLATE NOCASE,"
    " arn TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(kind, owner, arn));"
    "CREATE TABLE IF NOT EXISTS policies(arn TEXT PRIMARY KEY, name TEXT NOT NULL COLLATE NOCASE,"
    " id TEXT NOT NULL UNIQUE, path TEXT NOT NULL, description TEXT, default_version TEXT NOT NULL,"
    " next_version INTEGER NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,"
    " aws INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS policies_name ON policies(name);"
    "CREATE TABLE IF NOT EXISTS policy_versions(arn TEXT NOT NULL, vid TEXT NOT NULL,"
    " doc TEXT NOT NULL, created INTEGER NOT NULL, PRIMARY KEY(arn, vid));"
    "CREATE TABLE IF NOT EXISTS members(grp TEXT NOT NULL COLLATE NOCASE,"
    " usr TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY(grp, usr));"
    "CREATE TABLE IF NOT EXISTS access_keys(id TEXT PRIMARY KEY, secret TEXT NOT NULL,"
    " kind TEXT NOT NULL, owner TEXT COLLATE NOCASE, session_name TEXT, token TEXT,"
    " issued INTEGER NOT NULL, expires INTEGER, status TEXT NOT NULL, session_policy TEXT);"
    "CREATE INDEX IF NOT EXISTS access_keys_owner ON access_keys(kind, owner);"
    "CREATE TABLE IF NOT EXISTS login_profiles(usr TEXT PRIMARY KEY COLLATE NOCASE,"
    " created INTEGER NOT NULL, reset_required INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS profile_roles(profile TEXT NOT NULL COLLATE NOCASE,"
    " role TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY(profile, role));";

/* The one AWS managed policy every account needs for the usual guardrail
 * tests; others come from `iamguard emulate import --aws-managed FILE`. */
static const char ADMIN_DOC[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

static int fail(ig_diag *diag, emu *e, const char *what)
{
    ig_diag_set(diag, IG_E_IO, NULL, NULL, 0, 0, "%s: %s", what,
                e->db ? sqlite3_errmsg(e->db) : "cannot open");
    return IG_E_IO;
}

static bool exec(emu *e, const char *sql)
{
    return sqlite3_exec(e->db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

int emu_db_begin(emu *e, bool write)
{
    return exec(e, write ? "BEGIN IMMEDIATE" : "BEGIN") ? IG_OK : IG_E_IO;
}

int emu_db_commit(emu *e)
{
    return exec(e, "COMMIT") ? IG_OK : IG_E_IO;
}

void emu_db_rollback(emu *e)
{
    if (!sqlite3_get_autocommit(e->db))
        exec(e, "ROLLBACK");
}

static bool meta_get(emu *e, const char *k, char *out, size_t cap)
{
    sqlite3_stmt *st;
    bool found = false;
    if (sqlite3_prepare_v2(e->db, "SELECT v FROM meta WHERE k = ?", -1, &st, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        found = true;
    }
    sqlite3_finalize(st);
    return found;
}

static bool run(emu *e, const char *sql, const char *const *args, size_t n)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(e->db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    for (size_t i = 0; i < n; i++)
        sqlite3_bind_text(st, (int)i + 1, args[i], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE;
}

static bool valid_account(const char *a)
{
    if (strlen(a) != 12)
        return false;
    for (const char *p = a; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return true;
}

/* First start: account, AdministratorAccess. */
static bool initialise(emu *e, const emu_options *o)
{
    char now[24], pid[32];
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    if (!emu_random_id("ANPA", 17, pid, sizeof pid))
        return false;
    const char *meta[] = { o->account ? o->account : "123456789012" };
    const char *admin[] = { pid, ADMIN_DOC, now };
    return run(e, "INSERT INTO meta(k, v) VALUES('schema', '" SCHEMA_VERSION "')", NULL, 0) &&
           run(e, "INSERT INTO meta(k, v) VALUES('account', ?)", meta, 1) &&
           run(e, "INSERT INTO policies(arn, name, id, path, description, default_version, next_version,"
                  " created, updated, aws) VALUES('arn:aws:iam::aws:policy/AdministratorAccess',"
                  " 'AdministratorAccess', ?1, '/', 'Provides full access to AWS services and resources.',"
                  " 'v1', 2, ?3, ?3, 1)", admin, 3) &&
           run(e, "INSERT INTO policy_versions(arn, vid, doc, created) VALUES("
                  "'arn:aws:iam::aws:policy/AdministratorAccess', 'v1', ?2, ?3)", admin, 3);
}

/* The bootstrap key: the one given, else a new random one on first start. */
static int bootstrap_key(emu *e, const emu_options *o, ig_diag *diag)
{
    char now[24];
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    if (o->boot_key_id) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(e->db, "SELECT secret, kind FROM access_keys WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
            return fail(diag, e, "reading access keys");
        sqlite3_bind_text(st, 1, o->boot_key_id, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        bool same = rc == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), o->boot_secret) &&
                    !strcmp((const char *)sqlite3_column_text(st, 1), "root");
        sqlite3_finalize(st);
        if (rc == SQLITE_ROW && !same) {
            ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0,
                        "access key %s already exists with another secret or owner", o->boot_key_id);
            return IG_E_INPUT;
        }
        const char *args[] = { o->boot_key_id, o->boot_secret, now };
        if (rc != SQLITE_ROW &&
            !run(e, "INSERT INTO access_keys(id, secret, kind, issued, status) VALUES(?, ?, 'root', ?, 'Active')", args, 3))
            return fail(diag, e, "storing the bootstrap key");
        return IG_OK;
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(e->db, "SELECT 1 FROM access_keys WHERE kind = 'root' LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return fail(diag, e, "reading access keys");
    bool any = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (any)
        return IG_OK;
    if (!emu_random_id("AKIA", 16, e->created_id, sizeof e->created_id) ||
        !emu_random_secret(40, e->created_secret, sizeof e->created_secret)) {
        ig_diag_set(diag, IG_E_IO, NULL, NULL, 0, 0, "no random numbers for the bootstrap key");
        return IG_E_IO;
    }
    const char *args[] = { e->created_id, e->created_secret, now };
    if (!run(e, "INSERT INTO access_keys(id, secret, kind, issued, status) VALUES(?, ?, 'root', ?, 'Active')", args, 3))
        return fail(diag, e, "storing the bootstrap key");
    return IG_OK;
}

int emu_db_open(emu *e, const emu_options *o, ig_diag *diag)
{
    if (o->account && !valid_account(o->account)) {
        ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0, "--account takes 12 digits, got \"%s\"", o->account);
        return IG_E_INPUT;
    }
    /* the file holds secret keys: nobody else may read it */
    int fd = open(o->db_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        ig_diag_set(diag, IG_E_IO, o->db_path, NULL, 0, 0, "cannot open the database: %s", strerror(errno));
        return IG_E_IO;
    }
    close(fd);
    if (sqlite3_open_v2(o->db_path, &e->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
        return fail(diag, e, o->db_path);
    sqlite3_busy_timeout(e->db, 5000);
    char mode[16] = "";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(e->db, "PRAGMA journal_mode=WAL", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(mode, sizeof mode, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (strcmp(mode, "wal"))
        return fail(diag, e, "cannot switch the database to WAL");
    if (!exec(e, "PRAGMA synchronous=FULL") || !exec(e, "PRAGMA foreign_keys=OFF"))
        return fail(diag, e, "setting up the database");
    if (emu_db_begin(e, true) != IG_OK)
        return fail(diag, e, "locking the database");
    char version[16];
    int rc = IG_OK;
    if (!exec(e, SCHEMA)) {
        rc = fail(diag, e, "creating the schema");
    } else if (!meta_get(e, "schema", version, sizeof version)) {
        if (!initialise(e, o))
            rc = fail(diag, e, "initialising the database");
    } else if (strcmp(version, SCHEMA_VERSION)) {
        ig_diag_set(diag, IG_E_INPUT, o->db_path, NULL, 0, 0, "database schema %s, expected %s",
                    version, SCHEMA_VERSION);
        rc = IG_E_INPUT;
    }
    if (rc == IG_OK && !meta_get(e, "account", e->account, sizeof e->account))
        rc = fail(diag, e, "reading the account");
    if (rc == IG_OK && o->account && strcmp(o->account, e->account)) {
        ig_diag_set(diag, IG_E_INPUT, o->db_path, NULL, 0, 0,
                    "the database belongs to account %s, not %s", e->account, o->account);
        rc = IG_E_INPUT;
    }
    if (rc == IG_OK)
        rc = bootstrap_key(e, o, diag);
    if (rc == IG_OK && emu_db_commit(e) != IG_OK)
        rc = fail(diag, e, "committing the set-up");
    if (rc != IG_OK)
        emu_db_rollback(e);
    return rc;
}
