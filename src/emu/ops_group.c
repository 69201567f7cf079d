/* ops_group.c - IAM groups and their members.  A user's groups' policies
 * are part of the user's identity policies (principal.c). */
#include <string.h>

#include "emu/entity.h"

#define MAX_GROUPS_PER_USER 10

static bool group_not_found(emu_call *c, const char *name)
{
    return emu_no_such(c, "The group with name %s cannot be found.", name);
}

/* GroupName, authorized for iam:<Action> (on the group); must exist. */
static bool group_call(emu_call *c, emu_entity *g, bool done)
{
    const char *name;
    if (!emu_param(c, "GroupName", true, 1, 128, P_NAME, &name) || (done && !emu_params_done(c)) ||
        emu_entity_get(c, "group", name, g) < 0)
        return false;
    const char *action = emu_printf(c, "iam:%s", c->action);
    if (!action || !emu_authorize(c, action, g->arn, NULL, NULL))
        return false;
    return g->found || group_not_found(c, name);
}

bool op_create_group(emu_call *c)
{
    const char *name, *path;
    if (!emu_param(c, "GroupName", true, 1, 128, P_NAME, &name) ||
        !emu_param(c, "Path", false, 1, 512, P_PATH, &path) || !emu_params_done(c))
        return false;
    path = path ? path : "/";
    if (!emu_authorize(c, "iam:CreateGroup", emu_arn(c, "group", path, name), NULL, NULL))
        return false;
    long long n = emu_count(c, "SELECT COUNT(*) FROM entities WHERE kind = 'group' AND name = ?", "s", name);
    if (n < 0)
        return false;
    if (n)
        return emu_exists(c, "Group with name %s already exists.", name);
    char id[32];
    if (!emu_random_id("AGPA", 17, id, sizeof id))
        return emu_db_error(c);
    if (!emu_exec(c, "INSERT INTO entities(kind, name, id, path, created) VALUES('group', ?, ?, ?, ?)", "sssi",
                  name, id, path, (long long)c->now))
        return false;
    emu_entity g;
    if (emu_entity_get(c, "group", name, &g) != 1)
        return c->failed ? false : emu_db_error(c);
    xml_writer w;
    emu_begin(c, &w, true);
    emu_xml_group(&w, "Group", &g);
    emu_end(c, &w);
    return !c->failed;
}

bool op_get_group(emu_call *c)
{
    emu_entity g;
    long max, start;
    if (!emu_param_paging(c, &max, &start) || !group_call(c, &g, true))
        return false;
    sqlite3_stmt *st = emu_sql(c, "SELECT e.name FROM members m JOIN entities e ON e.kind = 'user' AND e.name = m.usr"
                                  " WHERE m.grp = ? ORDER BY e.name", "s", g.name);
    if (!st)
        return false;
    const char *users[1000];
    size_t n = 0;
    while (n < 1000 && emu_step(c, st) == SQLITE_ROW)
        users[n++] = emu_col(c, st, 0);
    sqlite3_finalize(st);
    xml_writer w;
    emu_begin(c, &w, true);
    emu_xml_group(&w, "Group", &g);
    xw_open(&w, "Users");
    for (size_t i = 0; i < n; i++) {
        emu_entity u;
        if (users[i] && emu_entity_get(c, "user", users[i], &u) == 1)
            emu_xml_user(c, &w, "member", &u, false);
    }
    return emu_end_list(c, &w, 0, 0, 0);     /* never cut */
}

bool op_delete_group(emu_call *c)
{
    emu_entity g;
    if (!group_call(c, &g, true))
        return false;
    long long m = emu_count(c, "SELECT COUNT(*) FROM members WHERE grp = ?", "s", g.name);
    long long inl = emu_count(c, "SELECT COUNT(*) FROM inline_policies WHERE kind = 'group' AND owner = ?", "s", g.name);
    long long att = emu_count(c, "SELECT COUNT(*) FROM attachments WHERE kind = 'group' AND owner = ?", "s", g.name);
    if (m < 0 || inl < 0 || att < 0)
        return false;
    if (m)
        return emu_conflict(c, "Cannot delete entity, must remove users from group first.");
    if (inl)
        return emu_conflict(c, "Cannot delete entity, must delete policies first.");
    if (att)
        return emu_conflict(c, "Cannot delete entity, must detach all policies first.");
    return emu_delete_owned(c, "group", g.name) && emu_ok_empty(c);
}

static bool list_groups(emu_call *c, sqlite3_stmt *st, long max, long start)
{
    if (!st)
        return false;
    xml_writer w;
    emu_begin(c, &w, true);
    xw_open(&w, "Groups");
    long n = 0;
    while (emu_step(c, st) == SQLITE_ROW && n++ < max) {
        emu_entity g = { .kind = "group", .found = true, .name = emu_col(c, st, 0), .id = emu_col(c, st, 1),
                         .path = emu_col(c, st, 2), .created = emu_col_int(st, 3) };
        if (!g.name || !g.path)
            break;
        g.arn = emu_arn(c, "group", g.path, g.name);
        emu_xml_group(&w, "member", &g);
    }
    sqlite3_finalize(st);
    return emu_end_list(c, &w, n, max, start);
}

bool op_list_groups(emu_call *c)
{
    const char *prefix;
    long max, start;
    if (!emu_param(c, "PathPrefix", false, 1, 512, P_PATH_PREFIX, &prefix) || !emu_param_paging(c, &max, &start) ||
        !emu_params_done(c) || !emu_authorize(c, "iam:ListGroups", "*", NULL, NULL))
        return false;
    return list_groups(c, emu_sql(c, "SELECT name, id, path, created FROM entities WHERE kind = 'group'"
                                     " AND substr(path, 1, length(?1)) = ?1 ORDER BY name LIMIT ?2 OFFSET ?3",
                                  "sii", prefix ? prefix : "/", (long long)max + 1, (long long)start), max, start);
}

/* GroupName and UserName: authorized on the group; both must exist. */
static bool membership_call(emu_call *c, emu_entity *g, emu_entity *u)
{
    const char *user;
    if (!emu_param(c, "UserName", true, 1, 128, P_NAME, &user) || !group_call(c, g, true) ||
        emu_entity_get(c, "user", user, u) < 0)
        return false;
    return u->found || emu_no_such(c, "The user with name %s cannot be found.", user);
}

bool op_add_user_to_group(emu_call *c)
{
    emu_entity g, u;
    if (!membership_call(c, &g, &u))
        return false;
    long long have = emu_count(c, "SELECT COUNT(*) FROM members WHERE grp = ? AND usr = ?", "ss", g.name, u.name);
    long long count = emu_count(c, "SELECT COUNT(*) FROM members WHERE usr = ?", "s", u.name);
    if (have < 0 || count < 0)
        return false;
    if (have)
        return emu_ok_empty(c);
    if (count >= MAX_GROUPS_PER_USER)
        return emu_limit(c, "Cannot exceed quota for GroupsPerUser: %d", MAX_GROUPS_PER_USER);
    return emu_exec(c, "INSERT INTO members(grp, usr) VALUES(?, ?)", "ss", g.name, u.name) && emu_ok_empty(c);
}

bool op_remove_user_from_group(emu_call *c)
{
    emu_entity g, u;
    if (!membership_call(c, &g, &u))
        return false;
    long long have = emu_count(c, "SELECT COUNT(*) FROM members WHERE grp = ? AND usr = ?", "ss", g.name, u.name);
    if (have < 0)
        return false;
    if (!have)
        return emu_no_such(c, "The user with name %s cannot be found in group %s.", u.name, g.name);
    return emu_exec(c, "DELETE FROM members WHERE grp = ? AND usr = ?", "ss", g.name, u.name) && emu_ok_empty(c);
}

bool op_list_groups_for_user(emu_call *c)
{
    const char *name;
    long max, start;
    emu_entity u;
    emu_ctx x = { .n = 0 };
    if (!emu_param(c, "UserName", true, 1, 128, P_NAME, &name) || !emu_param_paging(c, &max, &start) ||
        !emu_params_done(c) || emu_entity_get(c, "user", name, &u) < 0 || !emu_entity_context(c, &u, false, &x) ||
        !emu_authorize(c, "iam:ListGroupsForUser", u.arn, &x, NULL))
        return false;
    if (!u.found)
        return emu_no_such(c, "The user with name %s cannot be found.", name);
    return list_groups(c, emu_sql(c, "SELECT e.name, e.id, e.path, e.created FROM members m JOIN entities e"
                                     " ON e.kind = 'group' AND e.name = m.grp WHERE m.usr = ? ORDER BY e.name"
                                     " LIMIT ? OFFSET ?", "sii", u.name, (long long)max + 1, (long long)start),
                       max, start);
}
