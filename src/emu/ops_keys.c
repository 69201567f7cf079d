/* ops_keys.c - long-term credentials: access keys (at most two per user,
 * secrets shown once) and console login profiles.  Passwords are checked
 * against AWS's default password policy and never stored: the emulator has
 * no console to log in to. */
#include <stdio.h>
#include <string.h>

#include "emu/entity.h"

typedef struct {
    bool root;
    const char *name;           /* the user; NULL for the account root */
    const char *arn;
} key_owner;

/* UserName (or the caller), authorized for iam:<Action>; must exist. */
static bool owner_call(emu_call *c, key_owner *o, bool done)
{
    const char *given, *name = emu_user_or_caller(c, &given);
    if (!name || (done && !emu_params_done(c)))
        return false;
    const char *action = emu_printf(c, "iam:%s", c->action);
    if (!action)
        return false;
    memset(o, 0, sizeof *o);
    if (!*name) {
        o->root = true;
        o->arn = c->caller.arn;
        return emu_authorize(c, action, o->arn, NULL, NULL);
    }
    emu_entity u;
    emu_ctx x = { .n = 0 };
    if (emu_entity_get(c, "user", name, &u) < 0 || !emu_entity_context(c, &u, false, &x) ||
        !emu_authorize(c, action, u.arn, &x, NULL))
        return false;
    if (!u.found)
        return emu_no_such(c, "The user with name %s cannot be found.", name);
    o->name = u.name;
    o->arn = u.arn;
    return true;
}

bool op_create_access_key(emu_call *c)
{
    key_owner o;
    if (!owner_call(c, &o, true))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM access_keys WHERE kind = ? AND (owner = ? OR (owner IS NULL AND ? IS NULL))",
                            "sss", o.root ? "root" : "user", o.name, o.name);
    if (n < 0)
        return false;
    if (n >= 2)
        return emu_limit(c, "Cannot exceed quota for AccessKeysPerUser: 2");
    char id[32], secret[48];
    if (!emu_random_id("AKIA", 16, id, sizeof id) || !emu_random_secret(40, secret, sizeof secret))
        return emu_db_error(c);
    if (!emu_exec(c, "INSERT INTO access_keys(id, secret, kind, owner, issued, status) VALUES(?, ?, ?, ?, ?, 'Active')",
                  "ssssi", id, secret, o.root ? "root" : "user", o.name, (long long)c->now))
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "AccessKey");
    if (o.name)
        xw_text(&w, "UserName", o.name);
    xw_text(&w, "AccessKeyId", id);
    xw_text(&w, "Status", "Active");
    xw_text(&w, "SecretAccessKey", secret);
    emu_xml_time(&w, "CreateDate", (long long)c->now);
    xw_close(&w);
    emu_end(c, &w);
    return !c->failed;
}

/* AccessKeyId of the owner: NoSuchEntity when it is someone else's. */
static bool key_of(emu_call *c, const key_owner *o, const char *id)
{
    long long n = emu_count(c, "SELECT COUNT(*) FROM access_keys WHERE id = ? AND kind = ?"
                               " AND (owner = ? OR (owner IS NULL AND ? IS NULL))",
                            "ssss", id, o->root ? "root" : "user", o->name, o->name);
    if (n < 0)
        return false;
    return n ? true : emu_no_such(c, "The Access Key with id %s cannot be found.", id);
}

bool op_delete_access_key(emu_call *c)
{
    key_owner o;
    const char *id;
    if (!emu_param(c, "AccessKeyId", true, 16, 128, P_ACCESS_KEY_ID, &id) || !owner_call(c, &o, true) ||
        !key_of(c, &o, id))
        return false;
    return emu_exec(c, "DELETE FROM access_keys WHERE id = ?", "s", id) && emu_ok_empty(c);
}

bool op_update_access_key(emu_call *c)
{
    key_owner o;
    const char *id, *status;
    if (!emu_param(c, "AccessKeyId", true, 16, 128, P_ACCESS_KEY_ID, &id) ||
        !emu_param(c, "Status", true, 1, 16, P_ANY, &status))
        return false;
    if (strcmp(status, "Active") && strcmp(status, "Inactive"))
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value '%s' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]", status);
    if (!owner_call(c, &o, true) || !key_of(c, &o, id))
        return false;
    return emu_exec(c, "UPDATE access_keys SET status = ? WHERE id = ?", "ss", status, id) && emu_ok_empty(c);
}

bool op_list_access_keys(emu_call *c)
{
    key_owner o;
    long max, start;
    if (!emu_param_paging(c, &max, &start) || !owner_call(c, &o, true))
        return false;
    sqlite3_stmt *st = emu_sql(c, "SELECT id, status, issued FROM access_keys WHERE kind = ?"
                                  " AND (owner = ? OR (owner IS NULL AND ? IS NULL)) ORDER BY issued, id",
                               "sss", o.root ? "root" : "user", o.name, o.name);
    if (!st)
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "AccessKeyMetadata");
    while (emu_step(c, st) == SQLITE_ROW) {
        xw_open(&w, "member");
        if (o.name)
            xw_text(&w, "UserName", o.name);
        xw_text(&w, "AccessKeyId", (const char *)sqlite3_column_text(st, 0));
        xw_text(&w, "Status", (const char *)sqlite3_column_text(st, 1));
        emu_xml_time(&w, "CreateDate", emu_col_int(st, 2));
        xw_close(&w);
    }
    sqlite3_finalize(st);
    return emu_end_list(c, &w, 0, 0, 0);     /* never cut */
}

/* AWS's default password policy: 8 characters, three kinds of them. */
static bool password_ok(emu_call *c, const char *pw)
{
    int kinds = 0;
    bool lower = false, upper = false, digit = false, other = false;
    for (const char *p = pw; *p; p++) {
        if (*p >= 'a' && *p <= 'z') lower = true;
        else if (*p >= 'A' && *p <= 'Z') upper = true;
        else if (*p >= '0' && *p <= '9') digit = true;
        else other = true;
    }
    kinds = lower + upper + digit + other;
    if (strlen(pw) < 8 || kinds < 3)
        return emu_error(c, 400, "PasswordPolicyViolation",
                         "Password should have a minimum length of 8 and at least three of: uppercase letters, lowercase letters, numbers, symbols.");
    return true;
}

static void xml_profile(emu_call *c, const char *user, long long created, bool reset)
{
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "LoginProfile");
    xw_text(&w, "UserName", user);
    emu_xml_time(&w, "CreateDate", created);
    xw_bool(&w, "PasswordResetRequired", reset);
    xw_close(&w);
    emu_end(c, &w);
}

static bool profile_user(emu_call *c, key_owner *o)
{
    if (!owner_call(c, o, true))
        return false;
    if (o->root)
        return emu_invalid(c, "The account root has no login profile in the emulator.");
    return true;
}

bool op_create_login_profile(emu_call *c)
{
    key_owner o;
    const char *pw;
    bool reset = false;
    if (!emu_param(c, "Password", true, 1, 128, P_ANY, &pw) || !emu_param_bool(c, "PasswordResetRequired", &reset) ||
        !profile_user(c, &o) || !password_ok(c, pw))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM login_profiles WHERE usr = ?", "s", o.name);
    if (n < 0)
        return false;
    if (n)
        return emu_exists(c, "Login Profile for user %s already exists.", o.name);
    if (!emu_exec(c, "INSERT INTO login_profiles(usr, created, reset_required) VALUES(?, ?, ?)", "sii", o.name,
                  (long long)c->now, (long long)reset))
        return false;
    xml_profile(c, o.name, (long long)c->now, reset);
    return !c->failed;
}

/* The user's login profile: created and reset flag; false after a reply. */
static bool profile_get(emu_call *c, const key_owner *o, long long *created, bool *reset)
{
    sqlite3_stmt *st = emu_sql(c, "SELECT created, reset_required FROM login_profiles WHERE usr = ?", "s", o->name);
    if (!st)
        return false;
    int rc = emu_step(c, st);
    if (rc == SQLITE_ROW) {
        *created = emu_col_int(st, 0);
        *reset = emu_col_int(st, 1) != 0;
    }
    sqlite3_finalize(st);
    if (c->failed)
        return false;
    return rc == SQLITE_ROW || emu_no_such(c, "Login Profile for User %s cannot be found.", o->name);
}

bool op_update_login_profile(emu_call *c)
{
    key_owner o;
    const char *pw;
    bool reset = false, have_reset = form_get(&c->f, "PasswordResetRequired") != NULL;
    long long created;
    bool old_reset;
    if (!emu_param(c, "Password", false, 1, 128, P_ANY, &pw) || !emu_param_bool(c, "PasswordResetRequired", &reset) ||
        !profile_user(c, &o) || !profile_get(c, &o, &created, &old_reset) || (pw && !password_ok(c, pw)))
        return false;
    if (have_reset && !emu_exec(c, "UPDATE login_profiles SET reset_required = ? WHERE usr = ?", "is",
                                (long long)reset, o.name))
        return false;
    return emu_ok_empty(c);
}

bool op_get_login_profile(emu_call *c)
{
    key_owner o;
    long long created;
    bool reset;
    if (!profile_user(c, &o) || !profile_get(c, &o, &created, &reset))
        return false;
    xml_profile(c, o.name, created, reset);
    return !c->failed;
}

bool op_delete_login_profile(emu_call *c)
{
    key_owner o;
    long long created;
    bool reset;
    if (!profile_user(c, &o) || !profile_get(c, &o, &created, &reset))
        return false;
    return emu_exec(c, "DELETE FROM login_profiles WHERE usr = ?", "s", o.name) && emu_ok_empty(c);
}
